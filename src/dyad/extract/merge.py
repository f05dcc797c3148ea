"""Turn the claims the rules make into facts: mentions of one fact become one fact.

A :class:`Claim` is what one rule read in one place. Claims with the same type, actors and key
attributes are one fact when their times agree (one is unknown, or one refines the other: "1946" and
"20 March 1946"); their evidence is pooled. Claims whose times contradict stay apart, so a mission
closed in 2021 and reopened in 2022 keeps both periods.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Actor, Evidence, Fact, actor_key
from ..registry import TYPES, cameo_of
from ..resolve.dates import edtf_sort_key

#: The attributes that tell two facts of a type apart (the rest are details that get pooled).
KEY_ATTRS: dict[str, tuple[str, ...]] = {name: t.keys for name, t in TYPES.items()}
_POOLED = ("channels", "goods", "hs_sections", "scope")
#: At most this many places are quoted for one fact of a document (the first ones in reading order);
#: a text that says one thing a thousand times supports it no better than one that says it 25 times.
MAX_EVIDENCE = 25
#: A new claim is compared with at most this many earlier facts of its key, so that a text listing
#: thousands of differently dated events of one key costs linear time.
_GROUP_WINDOW = 64


@dataclass
class Claim:
    type: str
    actor: Actor
    target: Actor
    attrs: dict[str, Any]
    evidence: list[Evidence]
    rule: str
    confidence: float
    start: str | None = None
    end: str | None = None
    date: str | None = None
    order: int = 0  # position in the document, for stable output
    extra: dict[str, Any] = field(default_factory=dict)

    def key(self) -> tuple:
        vals = []
        for k in KEY_ATTRS[self.type]:
            v = self.attrs.get(k)
            if isinstance(v, list):
                v = tuple(v)
            elif isinstance(v, str):
                # "the U.S.-Colombia trade agreement" and "U.S.-Colombia Trade Agreement" are one name
                v = v.casefold().removeprefix("the ")
            vals.append(v)
        return (
            self.type,
            actor_key(self.actor),
            actor_key(self.target),
            *vals,
            self.extra.get("polarity", "asserted"),
            self.extra.get("ident"),  # what tells two events of a type apart (a war's name, a figure)
        )


def _refines(a: str | None, b: str | None) -> bool:
    """True when two EDTF values can name the same time (one unknown, or one a prefix of the other)."""
    if a is None or b is None or a == b:
        return True
    a0, b0 = a.rstrip("~"), b.rstrip("~")
    return a0.startswith(b0) or b0.startswith(a0) or _decade_contains(a0, b0) or _decade_contains(b0, a0)


def _decade_contains(a: str, b: str) -> bool:
    if "X" not in a:
        return False
    stem = a.split("X", 1)[0]
    return b.startswith(stem)


def _finer(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if len(a.rstrip("~").replace("X", "")) >= len(b.rstrip("~").replace("X", "")) else b


def compatible(a: Claim, b: Claim) -> bool:
    if not (_refines(a.start, b.start) and _refines(a.end, b.end) and _refines(a.date, b.date)):
        return False
    # a mission opened and one closed, sanctions imposed and lifted: two events, whatever their times
    action = TYPES[a.type].action
    if action and a.attrs.get(action) and b.attrs.get(action) and a.attrs[action] != b.attrs[action]:
        return False
    # an end from one and a later start from the other are two periods, not one
    start, end = _finer(a.start, b.start), _finer(a.end, b.end)
    return start is None or end is None or edtf_sort_key(start)[:1] <= edtf_sort_key(end)[:1]


def _absorb(into: Claim, c: Claim) -> None:
    into.start = _finer(into.start, c.start)
    into.end = _finer(into.end, c.end)
    into.date = _finer(into.date, c.date)
    seen = {(x.start, x.end) for x in into.evidence}
    for e in c.evidence:
        if len(into.evidence) >= MAX_EVIDENCE:
            break
        if (e.start, e.end) not in seen:
            seen.add((e.start, e.end))
            into.evidence.append(e)
    for k, v in c.attrs.items():
        if k not in into.attrs or into.attrs[k] in (None, "", []):
            into.attrs[k] = v
        elif k in _POOLED and isinstance(v, list):
            into.attrs[k] = into.attrs[k] + [x for x in v if x not in into.attrs[k]]
    into.confidence = max(into.confidence, c.confidence)
    into.order = min(into.order, c.order)


class Merger:
    """Claims pooled as they come (see :func:`merge_claims`): a long text's repeated claims are folded
    at once instead of waiting, with their quotes, for the end of the document."""

    def __init__(self) -> None:
        self.out: list[Claim] = []
        self._by_key: dict[tuple, list[Claim]] = {}

    def add(self, c: Claim) -> None:
        group = self._by_key.setdefault(c.key(), [])
        for g in group[-_GROUP_WINDOW:]:
            if compatible(g, c):
                _absorb(g, c)
                return
        group.append(c)
        self.out.append(c)

    def extend(self, claims: list[Claim]) -> None:
        for c in claims:
            self.add(c)


def merge_claims(claims: list[Claim]) -> list[Claim]:
    """Pool claims that state one fact; keep contradicting ones apart."""
    m = Merger()
    m.extend(claims)
    return m.out


def to_fact(c: Claim) -> Fact:
    ev = tuple(sorted(c.evidence, key=lambda e: e.start))
    # Several independent places saying the same thing make a fact a little more certain.
    conf = min(0.99, c.confidence + 0.03 * (len(ev) - 1))
    attrs = {k: v for k, v in c.attrs.items() if v not in (None, [], "")}
    polarity = c.extra.get("polarity", "asserted")
    coded = cameo_of(c.type, attrs, polarity)
    return Fact(
        type=c.type,
        actor=c.actor,
        target=c.target,
        attrs=attrs,
        evidence=ev,
        start=c.start,
        end=c.end,
        date=c.date,
        confidence=conf,
        rule=c.rule,
        polarity=polarity,
        cameo=coded[0] if coded else None,
        goldstein=coded[1] if coded else None,
    )
