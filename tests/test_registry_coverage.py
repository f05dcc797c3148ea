"""Every fact type of the registry is covered by every surface that shows facts: the knowledge base's
identity and sections, show and timeline (text and JSON), the profile, the chart and the web pages.

Adding a type to :mod:`dyad.registry` without teaching a surface about it fails here.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from fastapi.testclient import TestClient

import dyad.kb as kb_module
from dyad import report
from dyad.kb import KEY_ATTRS
from dyad.model import Evidence, Fact, SourceRecord, StoredFact
from dyad.query import SECTIONS, pair_state, timeline
from dyad.registry import TYPES
from dyad.render.chart import COLOURS, chart_svg
from dyad.render.profile import profile_from_facts
from dyad.web import create_app
from test_kb import mini, write

assert mini  # a fixture, used by name

#: One fact of each type between Belgium and Syria: (actor, target, attrs, times).
SAMPLES: dict[str, tuple[str, str, dict, dict]] = {
    "relations": ("BEL", "SYR", {"status": "established"}, {"start": "1946-03-20"}),
    "mission": ("BEL", "SYR", {"kind": "embassy", "city": "Damascus"}, {"start": "1950"}),
    "envoy": ("BEL", "SYR", {"rank": "ambassador", "person": "Anna Berg"}, {"start": "2020"}),
    "trade": ("SYR", "BEL", {"goods": ["phosphates"]}, {"start": "2005"}),
    "sanctions": ("BEL", "SYR", {"scope": ["officials"]}, {"start": "2011"}),
    "aid": ("BEL", "SYR", {"kind": "humanitarian"}, {"start": "2012"}),
    "migration": ("SYR", "BEL", {"kind": "refugees"}, {"start": "2013"}),
    "statement": ("BEL", "SYR", {"stance": "condemn", "subject": "the shelling"}, {"date": "2014"}),
    "agreement": ("BEL", "SYR", {"name": "Treaty of Friendship", "kind": "treaty"}, {"date": "1960"}),
    "visit": ("BEL", "SYR", {"office": "prime minister"}, {"date": "2009"}),
    "meeting": ("BEL", "SYR", {"kind": "talks", "place": "Geneva"}, {"date": "2016"}),
    "membership": ("BEL", "SYR", {}, {"start": "1990"}),
    "security": ("BEL", "SYR", {"kind": "counterterrorism"}, {"start": "2015"}),
    "conflict": ("SYR", "BEL", {"kind": "threat"}, {"date": "2017"}),
}
SOURCE = SourceRecord(
    1, "/s.txt", "Belgium–Syria relations", "article", "s", ("BEL", "SYR"), (), datetime(2026, 1, 1)
)
AT = "2020"


def sample(type_: str, fact_id: int = 1) -> StoredFact:
    actor, target, attrs, times = SAMPLES[type_]
    quote = f"{type_} of {actor} and {target}"
    fact = Fact(type_, actor, target, attrs, (Evidence("Body", 0, len(quote), quote),), **times)
    return StoredFact(fact_id, fact, SOURCE)


def test_registry_coverage_samples_cover_the_registry():
    assert list(SAMPLES) == list(TYPES)


@pytest.mark.parametrize("type_", list(TYPES))
def test_registry_coverage_knowledge_base_identity_and_sections(type_):
    assert KEY_ATTRS[type_] == TYPES[type_].keys
    assert (TYPES[type_].section, type_) in SECTIONS
    assert report.TITLES[TYPES[type_].section]


@pytest.mark.parametrize("type_", list(TYPES))
def test_registry_coverage_show_and_timeline(type_):
    found = [sample(type_)]
    state = pair_state(found, "BEL", "SYR", AT, names={"BEL": "Belgium", "SYR": "Syria"})
    text = report.show_text(state)
    data = json.loads(report.show_json(state))
    listed = [e for e in data["sections"][TYPES[type_].section] if e["type"] == type_]
    assert len(listed) == 1 and listed[0]["description"], text
    if type_ not in ("relations", "mission", "envoy", "sanctions"):
        assert f"\n{report.TITLES[TYPES[type_].section]}\n" in text
    line = report.timeline_text(timeline(found, "BEL", "SYR", names=state.names)).splitlines()[0]
    assert (
        report.describe(state.sections[TYPES[type_].section][0], state.names) in line or type_ == "relations"
    )


@pytest.mark.parametrize("type_", list(TYPES))
def test_registry_coverage_profile_sentence(type_):
    found = [sample(type_)]
    if type_ != "relations":  # a profile opens with relations; the type must then have its own sentence
        found.append(sample("relations", 2))
    p = profile_from_facts(found, "BEL", "SYR", name={"BEL": "Belgium", "SYR": "Syria"}.get)
    told = [s for s in p.sentences() if any(c.type == type_ for c in s.facts)]
    assert told, [s.text for s in p.sentences()]


@pytest.mark.parametrize("type_", list(TYPES))
def test_registry_coverage_chart_colour(type_):
    assert COLOURS[type_] == TYPES[type_].colour
    svg = chart_svg([sample(type_).fact])
    point = "date" in SAMPLES[type_][3]  # a fact dated at a point is a mark of the events lane
    colour = COLOURS["event"] if point else TYPES[type_].colour
    assert f'fill="{colour}"' in svg


@pytest.fixture
def client(tmp_path, mini):
    lines = ["parties BEL SYR"]
    for type_, (actor, target, attrs, times) in SAMPLES.items():
        fields = [f"{k}={','.join(v) if isinstance(v, list) else v}" for k, v in {**attrs, **times}.items()]
        if type_ in ("trade", "sanctions"):
            fields = [f + "," if f.split("=")[0] in ("goods", "scope") else f for f in fields]
        lines.append(" | ".join([f"{type_} {actor} {target}", *fields]))
    db = tmp_path / "kb.duckdb"
    with kb_module.open(db) as kb:
        assert kb.ingest([write(tmp_path / "s.txt", "Belgium–Syria relations", *lines)]).ok
    with TestClient(create_app(db)) as c:
        yield c


def test_registry_coverage_web_labels(client):
    html = client.get(f"/pairs/BEL/SYR?at={AT}").text
    for t in TYPES.values():
        assert f"<h3>{t.label[:1].upper() + t.label[1:]}</h3>" in html, t.name
