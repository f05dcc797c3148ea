"""A pair's timeline as a picture: bars for what lasts, marks for events, years along the axis.

    >>> svg = chart_svg(kb.timeline("Belgium", "Syria"))    # a Timeline, a Profile, or facts
    >>> svg = chart_svg(profile_from_documents([doc], "BEL", "SYR"))

Each lane is one thing that lasts: diplomatic relations, each mission (sender, kind, city), each side's
envoys, sanctions, trade, aid, migration, security, conflicts. A bar runs from a fact's start to its end; a
bar with no end runs to the right edge and ends in an arrow. A bar whose start the sources do not give is
drawn as unknown (dashed, class ``unknown-start``) from the earliest it can have begun, the establishment
of relations, or as a short stub before its end when that is not known either: never from the axis's
left edge, which would date it before everything else. Colours are the registry's (:mod:`dyad.registry`).
Statements, visits, agreements and other facts that happen on a date are marks in an "Events" lane.
Labels are placed greedily on the first row of their lane where they do not touch another label or bar,
so they never collide. Facts with no date at all are listed below the axis.

The SVG is written as text; every label is escaped with :func:`html.escape`. Elements carry classes
(``lane``, ``bar``, ``open``, ``mark``, ``label``, ``tick``, ``undated``) for tests and styling.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dyad.edtf import bounds as edtf_bounds
from dyad.model import Actor, actor_key
from dyad.registry import TYPES
from dyad.report import describe

__all__ = ["CHART_WIDTH", "chart_svg"]

#: Width of the chart in pixels; the height follows from the lanes.
CHART_WIDTH = 960
LANE_LABEL_WIDTH = 210
ROW_HEIGHT = 20
LANE_GAP = 8
CHAR_WIDTH = 6.4  # average width of a character of the 11px label font, for placing labels
FONT = "font-family:Helvetica,Arial,sans-serif;font-size:11px"
#: Colours by fact type, from the registry; events share one.
COLOURS = {**{name: t.colour for name, t in TYPES.items()}, "event": "#455a64"}
#: Width in pixels of the stub drawn before the end of a bar whose start is unknown and not bounded.
UNKNOWN_STUB = 36
_MARGIN = 16
_AXIS = 28
# Types drawn as bars (their time is a period), in lane order: the registry's order.
_PERIOD_TYPES = tuple(name for name, t in TYPES.items() if t.default_slot != "date")
_OPENS = ("established", "restored")
_TYPE_ORDER = {t: i for i, t in enumerate(_PERIOD_TYPES)}


@dataclass
class _Item:
    lo: float | None  # start, in fractional years; None: unknown and not bounded (a stub before hi)
    hi: float | None  # end; None: still open (arrow to the right edge)
    label: str
    kind: str  # "bar" or "mark"
    colour: str
    unknown_start: bool = False  # lo is only the earliest it can have begun


@dataclass
class _Lane:
    title: str
    items: list[_Item] = field(default_factory=list)
    rows: list[list[tuple[float, float]]] = field(default_factory=list)


def _year(edtf: str | None, *, end: bool = False) -> float | None:
    """An EDTF date as a fractional year (its first day, or with ``end`` the day after its last)."""
    bounds = edtf_bounds(edtf)
    if bounds is None:
        return None
    day = bounds[1] if end else bounds[0]
    y, m, d = day // 10000, day // 100 % 100, day % 100
    value = y + (m - 1) / 12 + (d - 1) / 365
    return value + (1 / 365 if end else 0)


def _facts(source: Any) -> tuple[list[Any], Mapping[str, str], str | None]:
    """The facts (anything with type, actor, target, attrs, start, end, date), the names, the first party."""
    if hasattr(source, "events") and hasattr(source, "undated"):  # a kb.Timeline
        seen: dict[int, Any] = {}
        for ev in source.events:
            seen.setdefault(id(ev.entry), ev.entry)
        for e in source.undated:
            seen.setdefault(id(e), e)
        return list(seen.values()), dict(source.names), actor_key(source.a)
    if hasattr(source, "facts") and hasattr(source, "names"):  # a Profile
        return list(source.facts), dict(source.names), actor_key(source.a)
    return list(source), {}, None


def _name(names: Mapping[str, str], actor: Actor) -> str:
    return names.get(actor_key(actor), actor_key(actor))


def _lanes(
    facts: Iterable[Any], names: Mapping[str, str], first: str | None
) -> tuple[list[_Lane], list[str]]:
    """The lanes in order (relations, then by type, the first party's before the other's, each in time
    order; events last) and the undated facts as lines."""
    lanes: dict[tuple[Any, ...], _Lane] = {}
    sides: dict[tuple[Any, ...], bool] = {}
    undated: list[str] = []

    def lane(key: tuple[Any, ...], title: str) -> _Lane:
        return lanes.setdefault(key, _Lane(title))

    relations = []
    facts = [f for f in facts if getattr(f, "polarity", "asserted") == "asserted"]
    established = [
        y
        for f in facts
        if f.type == "relations" and (f.attrs or {}).get("status") == "established"
        if (y := _year(f.start or f.date)) is not None
    ]
    floor = min(established, default=None)  # nothing diplomatic began before relations did
    for f in facts:
        a, b = _name(names, f.actor), _name(names, f.target)
        what = describe(f, names)
        if not (f.start or f.end or f.date):
            undated.append(f"{f.type}: {a} → {b}: {what}")
            continue
        colour = COLOURS.get(f.type, COLOURS["event"])
        if f.type == "relations":
            relations.append(f)
            continue
        if f.type not in _PERIOD_TYPES or (f.date and not (f.start or f.end)):
            lane(("events",), "Events").items.append(
                _Item(_year(f.date or f.start or f.end), None, f"{what} ({a})", "mark", COLOURS["event"])
            )
            continue
        if f.type == "mission":
            key: tuple[Any, ...] = ("mission", a, f.attrs.get("kind"), f.attrs.get("city"))
            title = f"{a} {f.attrs.get('kind') or 'mission'}" + (
                f", {f.attrs['city']}" if f.attrs.get("city") else ""
            )
            label = what
        elif f.type == "envoy":
            key, title = ("envoy", a, b), f"{a} envoys to {b}"
            label = what
        else:
            key, title = (f.type, a, b), f"{f.type.capitalize()}: {a} → {b}"
            label = what
        lo, hi = _year(f.start), _year(f.end, end=True)
        unknown = lo is None
        if unknown and f.type in ("mission", "envoy") and floor is not None and (hi is None or floor < hi):
            lo = floor
        lane(key, title).items.append(_Item(lo, hi, label, "bar", colour, unknown))
        sides[key] = actor_key(f.actor) != first
    for key, found in lanes.items():
        if key[0] == "envoy":
            _succeed(found.items)
    if relations:
        lanes = {("relations",): _relations_lane(relations), **lanes}

    def order(kv: tuple[tuple[Any, ...], _Lane]) -> tuple[Any, ...]:
        key, found = kv
        begins = min((it.lo for it in found.items if it.lo is not None), default=float("inf"))
        return (key[0] == "events", _TYPE_ORDER.get(key[0], 99), sides.get(key, False), begins)

    ordered = sorted(lanes.items(), key=order)
    return [lane for _, lane in ordered], undated


def _succeed(items: list[_Item]) -> None:
    """End an envoy's open bar where the same side's next envoy begins: one head of mission at a time."""
    starts = sorted(it.lo for it in items if it.lo is not None)
    for it in items:
        if it.hi is None and it.lo is not None:
            later = [s for s in starts if s > it.lo]
            if later:
                it.hi = later[0]


def _relations_lane(relations: list[Any]) -> _Lane:
    """One bar per period of relations: from an establishment or restoration to the next break."""
    lane = _Lane("Diplomatic relations")
    colour = COLOURS["relations"]
    opened: tuple[float | None, str] | None = None
    for f in sorted(relations, key=lambda f: _year(f.start or f.end or f.date) or 0.0):
        status = str(f.attrs.get("status") or "established")
        if status in _OPENS:
            if opened is None:
                opened = (_year(f.start or f.date), f"relations {status}")
        else:
            start, label = opened if opened is not None else (None, "relations")
            lane.items.append(
                _Item(start, _year(f.end or f.date, end=True), f"{label}, then {status}", "bar", colour)
            )
            opened = None
    if opened is not None:
        lane.items.append(_Item(opened[0], None, opened[1], "bar", colour))
    return lane


def _ticks(lo: float, hi: float) -> list[int]:
    span = max(hi - lo, 1.0)
    step = next((s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500) if span / s <= 12), 1000)
    first = math.ceil(lo / step) * step
    return list(range(first, int(hi) + 1, step))


def _place(lane: _Lane, x0: float, x1: float) -> int:
    """The first row of the lane where [x0, x1] touches nothing placed yet; taken for it."""
    for i, row in enumerate(lane.rows):
        if all(x1 + 4 <= a or x0 >= b + 4 for a, b in row):
            row.append((x0, x1))
            return i
    lane.rows.append([(x0, x1)])
    return len(lane.rows) - 1


def chart_svg(timeline_or_facts: Any, *, width: int = CHART_WIDTH, title: str | None = None) -> str:
    """The timeline as SVG text: a :class:`~dyad.kb.Timeline`, a profile, or an iterable of facts."""
    facts, names, first = _facts(timeline_or_facts)
    lanes, undated = _lanes(facts, names, first)
    years = [y for lane in lanes for it in lane.items for y in (it.lo, it.hi) if y is not None]
    lo, hi = (min(years), max(years)) if years else (2000.0, 2001.0)
    pad = max((hi - lo) * 0.04, 1.0)
    lo, hi = math.floor(lo - pad), math.ceil(hi + pad)
    x_left, x_right = LANE_LABEL_WIDTH + _MARGIN, width - _MARGIN - 12

    def x(year: float) -> float:
        return x_left + (year - lo) / (hi - lo) * (x_right - x_left)

    backgrounds: list[str] = []
    body: list[str] = []
    y = _MARGIN + (22 if title else 0)
    for lane in lanes:
        placed = []
        for it in sorted(lane.items, key=lambda it: it.lo if it.lo is not None else lo):
            if it.lo is not None:
                start = x(it.lo)
            elif it.hi is not None:  # unknown and unbounded start: a stub before the known end
                start = max(x(it.hi) - UNKNOWN_STUB, x_left)
            else:
                start = x_right - UNKNOWN_STUB
            end = start if it.kind == "mark" else max(x(it.hi) if it.hi is not None else x_right, start + 3)
            label, text_x, anchor = _label_at(it, start, end, x_left, x_right + 12)
            left = min(
                start - (5 if it.kind == "mark" else 0),
                text_x - len(label) * CHAR_WIDTH if anchor == "end" else text_x,
            )
            right = max(end, text_x if anchor == "end" else text_x + len(label) * CHAR_WIDTH)
            placed.append((it, _place(lane, left, right), start, end, label, text_x, anchor))
        rows = max(len(lane.rows), 1)
        height = rows * ROW_HEIGHT
        body.append(f'<g class="lane" data-lane="{html.escape(lane.title)}">')
        backgrounds.append(
            f'<rect class="lane-bg" x="{_MARGIN}" y="{y - 2}" width="{width - 2 * _MARGIN}" '
            f'height="{height + 4}" fill="#f5f6f7"/>'
        )
        body.append(
            f'<text class="lane-title" x="{_MARGIN + 4}" y="{y + 14}" style="{FONT};font-weight:bold">'
            f"{html.escape(_clip(lane.title, LANE_LABEL_WIDTH - 8))}</text>"
        )
        for it, row, start, end, label, text_x, anchor in placed:
            top = y + row * ROW_HEIGHT
            colour = html.escape(it.colour)
            if it.kind == "mark":
                cy = top + ROW_HEIGHT / 2
                body.append(
                    f'<path class="mark" d="M{start:.1f},{cy - 5:.1f} l5,5 l-5,5 l-5,-5 z" fill="{colour}"/>'
                )
            else:
                cls = (
                    "bar"
                    + (" open" if it.hi is None else "")
                    + (" unknown-start" if it.unknown_start else "")
                )
                style = (
                    f' fill-opacity="0.08" stroke="{colour}" stroke-dasharray="4 3"'
                    if it.unknown_start
                    else ' fill-opacity="0.4"'
                )
                body.append(
                    f'<rect class="{cls}" x="{start:.1f}" y="{top + 4}" width="{end - start:.1f}" '
                    f'height="{ROW_HEIGHT - 8}" fill="{colour}"{style}/>'
                )
                if it.hi is None:
                    body.append(
                        f'<path class="arrow" d="M{x_right:.1f},{top + 2} l9,{ROW_HEIGHT / 2 - 2:.0f} '
                        f'l-9,{ROW_HEIGHT / 2 - 2:.0f} z" fill="{colour}"/>'
                    )
            anchor_attr = ' text-anchor="end"' if anchor == "end" else ""
            body.append(
                f'<text class="label" x="{text_x:.1f}" y="{top + 14}"{anchor_attr} style="{FONT}" '
                f'fill="#111">{html.escape(label)}</text>'
            )
        body.append("</g>")
        y += height + LANE_GAP
    axis_y = y + 4
    ticks = [f'<line x1="{x_left}" y1="{axis_y}" x2="{x_right}" y2="{axis_y}" stroke="#555"/>']
    for year in _ticks(lo, hi):
        tx = x(year)
        ticks.append(
            f'<g class="tick"><line x1="{tx:.1f}" y1="{_MARGIN}" x2="{tx:.1f}" y2="{axis_y + 4}" '
            f'stroke="#ccc" stroke-width="0.5"/><text x="{tx:.1f}" y="{axis_y + 16}" '
            f'text-anchor="middle" style="{FONT}">{year}</text></g>'
        )
    y = axis_y + _AXIS
    notes = []
    if undated:
        notes.append(
            f'<text class="undated-title" x="{_MARGIN}" y="{y + 4}" style="{FONT};font-weight:bold">'
            "Undated</text>"
        )
        for i, line in enumerate(undated, 1):
            notes.append(
                f'<text class="undated" x="{_MARGIN + 8}" y="{y + 4 + i * 16}" style="{FONT}">'
                f"{html.escape(line)}</text>"
            )
        y += 12 + len(undated) * 16
    total = y + _MARGIN
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="dyad-chart" width="{width}" height="{total}" '
        f'viewBox="0 0 {width} {total}" role="img">',
        f"<title>{html.escape(title or 'Timeline')}</title>",
        f'<rect width="{width}" height="{total}" fill="#ffffff"/>',
    ]
    if title:
        head.append(
            f'<text class="chart-title" x="{_MARGIN}" y="{_MARGIN + 12}" '
            f'style="{FONT};font-size:14px;font-weight:bold">{html.escape(title)}</text>'
        )
    return "\n".join([*head, *backgrounds, *ticks, *body, *notes, "</svg>"]) + "\n"


def _label_at(
    it: _Item, start: float, end: float, left_edge: float, right_edge: float
) -> tuple[str, float, str]:
    """Where a label goes: right of the bar's start (or the mark) if it fits, else left of it, clipped
    to the wider side when it fits neither. Returns (text, x, anchor)."""
    text_x = start + (7 if it.kind == "mark" else 4)
    room_right = right_edge - text_x
    room_left = start - (7 if it.kind == "mark" else 4) - left_edge
    width = len(it.label) * CHAR_WIDTH
    if width <= room_right:
        return it.label, text_x, "start"
    if width <= room_left:
        return it.label, start - (7 if it.kind == "mark" else 4), "end"
    if room_right >= room_left:
        return _clip(it.label, room_right), text_x, "start"
    return _clip(it.label, room_left), start - (7 if it.kind == "mark" else 4), "end"


def _clip(text: str, px: float) -> str:
    most = int(px / CHAR_WIDTH)
    return text if len(text) <= most else text[: most - 1] + "…"
