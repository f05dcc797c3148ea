"""Tests of dyad.registry: the one table of fact types agrees with facts.md and with the CAMEO data."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from dyad.model import Evidence, Fact
from dyad.registry import GOLDSTEIN, POLARITIES, TYPES, cameo_of, check_fact, quad_class

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
FACTS_MD = SHARED / "docs" / "facts.md"
GOLDSTEIN_FILE = SHARED / "data" / "cameo" / "GDELT_CAMEO.goldsteinscale.txt"


def _facts_md_types() -> dict[str, dict[str, list[str]]]:
    """The type table of facts.md: type -> attribute -> the values it lists (empty for free text)."""
    out: dict[str, dict[str, list[str]]] = {}
    table = FACTS_MD.read_text(encoding="utf-8").split("## The types", 1)[1].split("\n\n", 2)[1]
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        m = re.fullmatch(r"`(\w+)`", cells[0])
        if not m:
            continue
        attrs: dict[str, list[str]] = {}
        for part in cells[3].split(";"):
            head, colon, values = part.partition(":")
            names = re.findall(r"`([^`]+)`", head)
            for i, n in enumerate(names):
                attrs[n] = re.findall(r"`([^`]+)`", values) if colon and i == len(names) - 1 else []
        out[m.group(1)] = attrs
    return out


@pytest.mark.skipif(not FACTS_MD.exists(), reason="../shared/docs/facts.md is not beside the project")
def test_registry_types_and_values_are_those_of_facts_md():
    documented = _facts_md_types()
    assert list(documented) == list(TYPES)
    for name, attrs in documented.items():
        t = TYPES[name]
        assert set(attrs) <= set(t.attr_names), name
        for attr, values in attrs.items():
            if values:  # facts.md lists the values; free text (or HS numerals) otherwise
                assert list(t.values(attr)) == values, (name, attr)


@pytest.mark.skipif(not FACTS_MD.exists(), reason="../shared/docs/facts.md is not beside the project")
def test_registry_symmetric_types_are_those_of_facts_md():
    text = FACTS_MD.read_text(encoding="utf-8")
    assert (
        "`relations`, `agreement`, `meeting`, and `conflict` of kind `war` or `dispute` are symmetric" in text
    )
    symmetric = {n for n, t in TYPES.items() if t.symmetric is True}
    assert symmetric == {"relations", "agreement", "meeting"}
    assert TYPES["conflict"].is_symmetric({"kind": "war"}) and TYPES["conflict"].is_symmetric(
        {"kind": "dispute"}
    )
    assert not TYPES["conflict"].is_symmetric({"kind": "attack"})


@pytest.mark.skipif(not GOLDSTEIN_FILE.exists(), reason="../shared/data/cameo is not beside the project")
def test_registry_goldstein_values_are_gdelts():
    with GOLDSTEIN_FILE.open(encoding="utf-8") as f:
        gdelt = {
            row["CAMEOEVENTCODE"]: float(row["GOLDSTEINSCALE"]) for row in csv.DictReader(f, delimiter="\t")
        }
    for code, value in GOLDSTEIN.items():
        assert gdelt[code] == value, code


def test_registry_every_code_has_a_goldstein_value():
    for t in TYPES.values():
        for code in (*t.cameo.values(), *t.cameo_planned.values()):
            assert code in GOLDSTEIN, (t.name, code)


@pytest.mark.parametrize(
    ("type_", "attrs", "polarity", "expected"),
    [
        ("relations", {"status": "severed"}, "asserted", ("161", -4.0)),
        ("relations", {"status": "established"}, "planned", ("032", 4.5)),
        ("relations", {"status": "none"}, "asserted", None),
        ("envoy", {"rank": "ambassador", "action": "expelled"}, "asserted", ("166", -7.0)),
        ("envoy", {"rank": "ambassador"}, "asserted", None),  # a post, not an event
        ("mission", {"kind": "embassy", "action": "closed"}, "asserted", ("161", -4.0)),
        ("statement", {"stance": "concern"}, "asserted", ("012", -0.4)),
        ("statement", {"stance": "condemn"}, "planned", None),
        ("visit", {}, "planned", ("036", 4.0)),
        ("conflict", {"kind": "occupation"}, "asserted", ("192", -9.5)),
        ("aid", {"kind": "military"}, "planned", ("0332", 5.2)),
        ("sanctions", {"action": "lifted"}, "asserted", ("085", 7.0)),
        ("membership", {}, "asserted", None),
        ("agreement", {}, "negated", None),
        ("meeting", {"kind": "call"}, "claimed", None),
    ],
)
def test_registry_cameo_of(type_, attrs, polarity, expected):
    assert cameo_of(type_, attrs, polarity) == expected


def test_registry_slots():
    assert TYPES["relations"].slot_of({"status": "severed"}) == "end"
    assert TYPES["relations"].slot_of({"status": "restored"}) == "start"
    assert TYPES["relations"].slot_of({"status": "none"}) is None
    assert TYPES["envoy"].slot_of({"action": "summoned"}) == "date"
    assert TYPES["envoy"].slot_of({}) == "start"
    assert TYPES["visit"].slot_of({}) == "date"


def test_registry_quad_classes():
    assert [quad_class(c) for c in ("042", "073", "111", "190", "1313")] == [
        "verbal-cooperation",
        "material-cooperation",
        "verbal-conflict",
        "material-conflict",
        "verbal-conflict",
    ]


def test_registry_check_fact_reports_every_problem():
    assert (
        check_fact("mission", {"kind": "embassy", "city": "Damascus", "action": "closed"}, "asserted") == []
    )
    assert check_fact("treaty", {}, "asserted") == [
        "unknown fact type 'treaty'; facts.md lists " + ", ".join(TYPES)
    ]
    assert check_fact("mission", {"kind": "palace", "colour": "red"}, "maybe") == [
        "polarity 'maybe' is not one of " + ", ".join(POLARITIES),
        "mission: kind 'palace' is not one of " + ", ".join(TYPES["mission"].values("kind")),
        "a mission fact has no attribute 'colour' (facts.md: kind, city, accredited_from, action)",
    ]
    assert check_fact("trade", {"goods": "oil"}, "asserted") == ["trade: goods must be a list, not 'oil'"]


def test_registry_a_fact_is_checked_when_built():
    ev = (Evidence("Lead", 0, 3, "abc"),)
    with pytest.raises(ValueError, match="kind 'palace'"):
        Fact("mission", "BEL", "SYR", {"kind": "palace"}, ev)
    with pytest.raises(ValueError, match="polarity"):
        Fact("mission", "BEL", "SYR", {"kind": "embassy"}, ev, polarity="rumoured")
    f = Fact(
        "meeting", "RUS", "CHN", {"kind": "talks", "persons": ["A", "B"]}, ev, date="2000", polarity="planned"
    )
    assert Fact.from_json(f.to_json()) == f
