"""The fact types of facts.md (version 2), in one table that every part of dyad reads.

Each :class:`FactType` says which attributes a type carries and which values they take, which of them
make two facts statements of the same thing (:attr:`FactType.keys`), whether the order of actor and
target matters, which date slot each action fills, the CAMEO code and Goldstein value of the events it
reports, and how people call it. Extraction, merging, the knowledge base, the reports, the profile,
the chart and the web read this table; nothing else keeps a per-type list. Adding a type is one entry
here (and in facts.md first), plus the rules that find it.

    >>> TYPES["mission"].slot_of({"action": "closed"})
    'end'
    >>> TYPES["conflict"].is_symmetric({"kind": "war"})
    True
    >>> cameo_of("envoy", {"action": "expelled"}, "asserted")
    ('166', -7.0)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "GOLDSTEIN",
    "POLARITIES",
    "QUAD_CLASSES",
    "TYPES",
    "Attr",
    "FactType",
    "cameo_of",
    "check_fact",
    "quad_class",
]

Slot = Literal["start", "end", "date"]

#: How a source states a fact (facts.md). Only ``asserted`` facts change the state of relations.
POLARITIES = ("asserted", "negated", "planned", "claimed")


@dataclass(frozen=True, slots=True)
class Attr:
    """One attribute of a fact type: its allowed values (None: free text) and whether it is a list."""

    name: str
    values: tuple[str, ...] | None = None
    many: bool = False

    def check(self, value: Any) -> str | None:
        """A problem with ``value`` for this attribute, or None when it fits."""
        if value is None:
            return None
        if self.many:
            if not isinstance(value, list | tuple):
                return f"{self.name} must be a list, not {value!r}"
            items = value
        else:
            if isinstance(value, list | tuple | dict):
                return f"{self.name} must be one value, not {value!r}"
            items = [value]
        if self.values is not None:
            bad = [v for v in items if v not in self.values]
            if bad:
                return f"{self.name} {bad[0]!r} is not one of {', '.join(self.values)}"
        return None


@dataclass(frozen=True, slots=True)
class FactType:
    """A fact type of facts.md and everything dyad needs to know about it.

    - ``keys``: the attributes that, with type, actor and target, identify the thing a fact is about
      (a mission's kind and city); two facts with equal keys and compatible times are one fact.
    - ``action``: the attribute whose value is a change (a relations ``status``, a mission ``action``);
      ``slots`` maps each of its values to the date slot it fills; facts without one fill
      ``default_slot``.
    - ``symmetric``: True when actor and target can be swapped; or the values of ``symmetric_by``
      (``kind`` unless said) for which they can (a war is symmetric, an attack is not; trade whose
      ``flow`` is ``total`` has no direction).
    - ``cameo``: the attribute the CAMEO code depends on (None: one code for the type) and the code of
      each of its values (``"*"`` for any value); ``cameo_planned`` the same for planned facts.
    - ``colour``: how charts and maps draw it; ``began``/``ended``: the verbs a timeline writes for a
      start and an end that no action names ("opened", "closed"; for a point event, ``began`` is the
      verb of its date: "signed", "visited").
    """

    name: str
    label: str
    plural: str
    section: str
    attrs: tuple[Attr, ...]
    keys: tuple[str, ...]
    action: str | None = None
    slots: Mapping[str, Slot | None] = field(default_factory=dict)
    default_slot: Slot = "start"
    symmetric: bool | frozenset[str] = False
    symmetric_by: str = "kind"
    cameo_by: str | None = None
    cameo: Mapping[str, str] = field(default_factory=dict)
    cameo_planned: Mapping[str, str] = field(default_factory=dict)
    colour: str = "#455a64"
    began: str = "began"
    ended: str = "ended"

    def attr(self, name: str) -> Attr | None:
        for a in self.attrs:
            if a.name == name:
                return a
        return None

    @property
    def attr_names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.attrs)

    def values(self, name: str) -> tuple[str, ...]:
        a = self.attr(name)
        return a.values if a is not None and a.values is not None else ()

    def slot_of(self, attrs: Mapping[str, Any]) -> Slot | None:
        """The date slot a fact with these attributes fills: ``start``, ``end``, ``date`` or None."""
        if self.action is not None:
            value = attrs.get(self.action)
            if value is not None and value in self.slots:
                return self.slots[value]
        return self.default_slot

    def is_symmetric(self, attrs: Mapping[str, Any]) -> bool:
        if isinstance(self.symmetric, bool):
            return self.symmetric
        return attrs.get(self.symmetric_by) in self.symmetric

    def key(self, attrs: Mapping[str, Any]) -> tuple[Any, ...]:
        """The values of the key attributes, normalised for comparison (lists as tuples, case folded)."""
        out: list[Any] = []
        for k in self.keys:
            v = attrs.get(k)
            if isinstance(v, list | tuple):
                v = tuple(sorted(str(x).casefold() for x in v))
            elif isinstance(v, str):
                v = v.casefold()
            out.append(v)
        return tuple(out)


def _t(*names: str | tuple[str, tuple[str, ...]], many: tuple[str, ...] = ()) -> tuple[Attr, ...]:
    out = []
    for n in names:
        if isinstance(n, tuple):
            out.append(Attr(n[0], n[1], n[0] in many))
        else:
            out.append(Attr(n, None, n in many))
    return tuple(out)


MISSION_KINDS = (
    "embassy",
    "consulate-general",
    "consulate",
    "honorary-consulate",
    "legation",
    "representative-office",
    "interests-section",
    "non-resident",
)
ENVOY_RANKS = (
    "ambassador",
    "minister",
    "envoy",
    "charge-d-affaires",
    "high-commissioner",
    "nuncio",
    "representative",
    "other",
)
RELATION_STATUSES = (
    "established",
    "severed",
    "suspended",
    "restored",
    "downgraded",
    "upgraded",
    "recognised",
    "none",
)
STANCES = (
    "condemn",
    "criticize",
    "support",
    "praise",
    "concern",
    "demand",
    "deny",
    "reject",
    "apologize",
)
HS_SECTIONS = tuple("I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII XVIII XIX XX XXI".split())

_TYPES: tuple[FactType, ...] = (
    FactType(
        "relations",
        "diplomatic relations",
        "diplomatic relations",
        "relations",
        _t(("status", RELATION_STATUSES)),
        keys=("status",),
        action="status",
        slots={
            "established": "start",
            "restored": "start",
            "upgraded": "start",
            "recognised": "start",
            "severed": "end",
            "suspended": "end",
            "downgraded": "end",
            "none": None,
        },
        symmetric=True,
        cameo_by="status",
        cameo={
            "established": "050",
            "restored": "050",
            "upgraded": "050",
            "recognised": "054",
            "severed": "161",
            "suspended": "161",
            "downgraded": "161",
        },
        cameo_planned={
            "established": "032",
            "restored": "032",
            "upgraded": "032",
            "recognised": "032",
            "severed": "1313",
            "suspended": "1313",
            "downgraded": "1313",
        },
        colour="#2e7d32",
        began="established",
        ended="ended",
    ),
    FactType(
        "mission",
        "diplomatic mission",
        "diplomatic missions",
        "missions",
        _t(
            ("kind", MISSION_KINDS),
            "city",
            "accredited_from",
            ("action", ("opened", "closed", "reopened", "relocated", "upgraded")),
        ),
        keys=("kind", "city"),
        action="action",
        slots={
            "opened": "start",
            "reopened": "start",
            "relocated": "start",
            "upgraded": "start",
            "closed": "end",
        },
        cameo_by="action",
        cameo={"opened": "050", "reopened": "050", "upgraded": "050", "relocated": "050", "closed": "161"},
        cameo_planned={
            "opened": "032",
            "reopened": "032",
            "upgraded": "032",
            "relocated": "032",
            "closed": "1313",
        },
        colour="#1565c0",
        began="opened",
        ended="closed",
    ),
    FactType(
        "envoy",
        "envoy",
        "envoys",
        "envoys",
        _t(
            "person",
            ("rank", ENVOY_RANKS),
            "residence",
            ("action", ("appointed", "presented-credentials", "recalled", "expelled", "summoned")),
        ),
        keys=("rank", "person"),
        action="action",
        slots={
            "appointed": "start",
            "presented-credentials": "start",
            "recalled": "end",
            "expelled": "end",
            "summoned": "date",
        },
        cameo_by="action",
        cameo={
            "appointed": "050",
            "presented-credentials": "050",
            "recalled": "161",
            "expelled": "166",
            "summoned": "114",
        },
        cameo_planned={
            "appointed": "032",
            "presented-credentials": "032",
            "recalled": "1313",
            "expelled": "1313",
        },
        colour="#6a1b9a",
        began="appointed",
        ended="left post",
    ),
    FactType(
        "trade",
        "trade",
        "trade",
        "trade",
        _t(
            "goods",
            ("hs_sections", HS_SECTIONS),
            ("trend", ("growing", "declining", "stable")),
            "value",
            "currency",
            ("flow", ("exports", "total")),
            many=("goods", "hs_sections"),
        ),
        keys=("goods", "trend", "value"),
        symmetric=frozenset({"total"}),
        symmetric_by="flow",
        cameo={"*": "061"},
        cameo_planned={"*": "0311"},
        colour="#ef6c00",
        began="began",
        ended="ended",
    ),
    FactType(
        "sanctions",
        "sanctions",
        "sanctions",
        "sanctions",
        _t("scope", "via", ("action", ("imposed", "lifted", "extended")), many=("scope",)),
        keys=("scope", "via"),
        action="action",
        slots={"imposed": "start", "extended": "start", "lifted": "end"},
        cameo_by="action",
        cameo={"imposed": "163", "extended": "163", "lifted": "085", "*": "163"},
        cameo_planned={"imposed": "1312", "extended": "1312", "lifted": "0354", "*": "1312"},
        colour="#c62828",
        began="imposed",
        ended="lifted",
    ),
    FactType(
        "aid",
        "aid",
        "aid",
        "aid",
        _t(("kind", ("humanitarian", "development", "military")), "amount", "channels", many=("channels",)),
        keys=("kind",),
        cameo_by="kind",
        cameo={"humanitarian": "073", "development": "071", "military": "072", "*": "070"},
        cameo_planned={"humanitarian": "0333", "development": "0331", "military": "0332", "*": "033"},
        colour="#00838f",
        began="began",
        ended="ended",
    ),
    FactType(
        "migration",
        "migration",
        "migration",
        "migration",
        _t(
            (
                "kind",
                ("refugees", "asylum-seekers", "migrants", "diaspora", "foreign-fighters", "deportation"),
            ),
            "count",
        ),
        keys=("kind",),
        colour="#5d4037",
        began="began",
        ended="ended",
    ),
    FactType(
        "statement",
        "statement",
        "statements",
        "statements",
        _t(("stance", STANCES), "subject"),
        keys=("stance", "subject"),
        default_slot="date",
        cameo_by="stance",
        cameo={
            "condemn": "111",
            "criticize": "111",
            "concern": "012",
            "support": "051",
            "praise": "051",
            "demand": "100",
            "deny": "016",
            "reject": "120",
            "apologize": "055",
        },
        colour="#8d6e63",
        began="made",
        ended="ended",
    ),
    FactType(
        "agreement",
        "agreement",
        "agreements",
        "agreements",
        _t("name", ("kind", ("treaty", "agreement", "memorandum"))),
        keys=("name",),
        default_slot="date",
        symmetric=True,
        cameo={"*": "057"},
        cameo_planned={"*": "030"},
        colour="#558b2f",
        began="signed",
        ended="ended",
    ),
    FactType(
        "visit",
        "visit",
        "visits",
        "visits",
        _t("person", "office"),
        keys=("person",),
        default_slot="date",
        cameo={"*": "042"},
        cameo_planned={"*": "036"},
        colour="#0277bd",
        began="made",
        ended="ended",
    ),
    FactType(
        "meeting",
        "meeting",
        "meetings",
        "meetings",
        _t(("kind", ("talks", "call", "negotiation", "summit")), "persons", "place", many=("persons",)),
        keys=("kind",),
        default_slot="date",
        symmetric=True,
        cameo_by="kind",
        cameo={"talks": "040", "call": "041", "negotiation": "046", "summit": "040", "*": "040"},
        cameo_planned={"*": "036"},
        colour="#00695c",
        began="held",
        ended="ended",
    ),
    FactType(
        "membership",
        "membership",
        "memberships",
        "memberships",
        (),
        keys=(),
        colour="#7cb342",
        began="joined",
        ended="left",
    ),
    FactType(
        "security",
        "security cooperation",
        "security cooperation",
        "security",
        _t(
            (
                "kind",
                (
                    "counterterrorism",
                    "coalition",
                    "military-operation",
                    "arms",
                    "defence-agreement",
                    "exercise",
                ),
            )
        ),
        keys=("kind",),
        cameo={"*": "062"},
        cameo_planned={"*": "0312"},
        colour="#37474f",
        began="began",
        ended="ended",
    ),
    FactType(
        "conflict",
        "conflict",
        "conflicts",
        "conflicts",
        _t(("kind", ("threat", "clash", "attack", "war", "occupation", "blockade", "dispute"))),
        keys=("kind",),
        symmetric=frozenset({"war", "dispute"}),
        cameo_by="kind",
        cameo={
            "threat": "138",
            "clash": "190",
            "attack": "190",
            "war": "190",
            "occupation": "192",
            "blockade": "191",
            "dispute": "110",
        },
        cameo_planned={"*": "138"},
        colour="#b71c1c",
        began="began",
        ended="ended",
    ),
)

#: Every fact type by name, in the order reports list them.
#: The words a sanctions fact's ``scope`` lists ("economic and arms sanctions"), as the extractor reads
#: them and the profile writes them.
SANCTION_SCOPES = (
    "economic", "financial", "trade", "arms", "oil", "travel", "diplomatic", "targeted", "military", "energy",
    "banking", "visa", "sectoral",
)  # fmt: skip

TYPES: Mapping[str, FactType] = {t.name: t for t in _TYPES}

#: Goldstein scale values of the CAMEO codes dyad assigns (GDELT's CAMEO.goldsteinscale.txt, which
#: ``../shared/data/cameo`` holds; where GDELT and ICEWS differ, GDELT's value, so that counts can be
#: summed with GDELT rows).
GOLDSTEIN: Mapping[str, float] = {
    "012": -0.4,
    "016": -2.0,
    "030": 4.0,
    "032": 4.5,
    "033": 5.2,
    "036": 4.0,
    "040": 1.0,
    "041": 1.0,
    "042": 1.9,
    "046": 7.0,
    "050": 3.5,
    "051": 3.4,
    "054": 6.0,
    "055": 7.0,
    "057": 8.0,
    "061": 6.4,
    "062": 7.4,
    "070": 7.0,
    "071": 7.4,
    "072": 8.3,
    "073": 7.4,
    "085": 7.0,
    "100": -5.0,
    "110": -2.0,
    "111": -2.0,
    "114": -2.0,
    "120": -4.0,
    "138": -7.0,
    "161": -4.0,
    "163": -8.0,
    "166": -7.0,
    "190": -10.0,
    "191": -9.5,
    "192": -9.5,
    "0311": 5.2,
    "0312": 5.2,
    "0331": 5.2,
    "0332": 5.2,
    "0333": 5.2,
    "0354": 7.0,
    "1312": -5.8,
    "1313": -5.8,
}

#: CAMEO quad classes by root code (the first two digits): verbal and material cooperation and conflict.
QUAD_CLASSES = ("verbal-cooperation", "material-cooperation", "verbal-conflict", "material-conflict")


def quad_class(code: str) -> str:
    """The quad class of a CAMEO code: 01–05 verbal cooperation, 06–08 material cooperation, 09–13
    verbal conflict, 14–20 material conflict."""
    root = int(code[:2])
    if root <= 5:
        return QUAD_CLASSES[0]
    if root <= 8:
        return QUAD_CLASSES[1]
    if root <= 13:
        return QUAD_CLASSES[2]
    return QUAD_CLASSES[3]


def cameo_of(type_: str, attrs: Mapping[str, Any], polarity: str) -> tuple[str, float] | None:
    """The CAMEO code and Goldstein value of a fact, or None (a standing state, a negated or claimed
    fact, a planned fact with no "express intent" code)."""
    t = TYPES[type_]
    if polarity == "asserted":
        table = t.cameo
    elif polarity == "planned":
        table = t.cameo_planned
    else:
        return None
    if not table:
        return None
    value = attrs.get(t.cameo_by) if t.cameo_by else None
    code = table.get(value) if value is not None else None
    if code is None:
        if t.cameo_by is not None and t.action == t.cameo_by and value is None:
            return None  # a mission or envoy with no action is a standing state, not an event
        code = table.get("*")
    if code is None:
        return None
    return code, GOLDSTEIN[code]


def check_fact(type_: str, attrs: Mapping[str, Any], polarity: str) -> list[str]:
    """Every way a fact's type, attributes and polarity break the contract (empty when none)."""
    t = TYPES.get(type_)
    if t is None:
        return [f"unknown fact type {type_!r}; facts.md lists {', '.join(TYPES)}"]
    problems = []
    if polarity not in POLARITIES:
        problems.append(f"polarity {polarity!r} is not one of {', '.join(POLARITIES)}")
    for name, value in attrs.items():
        a = t.attr(name)
        if a is None:
            problems.append(f"a {type_} fact has no attribute {name!r} (facts.md: {', '.join(t.attr_names)})")
            continue
        problem = a.check(value)
        if problem:
            problems.append(f"{type_}: {problem}")
    return problems
