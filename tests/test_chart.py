"""Tests of dyad.render.chart: the SVG is checked as XML, by its structure and the classes it gives."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from dyad.kb import Entry, Event, Timeline
from dyad.render.chart import CHAR_WIDTH, UNKNOWN_STUB, chart_svg
from test_profile import fact, written

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def lanes(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("data-lane"): g for g in root.iter(f"{SVG}g") if g.get("class") == "lane"}


def classes(el: ET.Element) -> set[str]:
    return set((el.get("class") or "").split())


def bars(lane: ET.Element) -> list[ET.Element]:
    return [r for r in lane.iter(f"{SVG}rect") if "bar" in classes(r)]


def labels(lane: ET.Element) -> list[str]:
    return [t.text or "" for t in lane.iter(f"{SVG}text") if t.get("class") == "label"]


FACTS = (
    fact("relations", "BEL", "SYR", start="1946-03-20", status="established"),
    fact("mission", "BEL", "SYR", end="2012", kind="embassy", city="Damascus"),
    fact("mission", "SYR", "BEL", start="1950", kind="embassy", city="Brussels"),
    fact("envoy", "BEL", "SYR", start="1946-03-20", rank="charge-d-affaires", person="M.R. Taymans"),
    fact("envoy", "BEL", "SYR", start="1990", rank="ambassador", person="Anna Berg"),
    fact("sanctions", "EU", "SYR", start="2011", scope=["economic"]),
    fact("statement", "BEL", "SYR", date="2011", stance="condemn", subject="the <crackdown> & arrests"),
    fact("visit", "BEL", "SYR", date="2011-05", office="prime minister"),
    fact("migration", "SYR", "BEL", kind="refugees"),
)


def test_chart_is_svg_with_a_lane_for_each_thing_that_lasts():
    root = parse(chart_svg(written(*FACTS), title="Belgium–Syria relations"))
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert list(lanes(root)) == [
        "Diplomatic relations",
        "Belgium embassy, Damascus",
        "Syria embassy, Brussels",
        "Belgium envoys to Syria",
        "Sanctions: European Union → Syria",
        "Events",
    ]


def test_chart_open_bars_run_to_the_edge_with_an_arrow():
    root = parse(chart_svg(written(*FACTS)))
    found = lanes(root)
    (relations,) = bars(found["Diplomatic relations"])
    assert classes(relations) == {"bar", "open"}
    arrows = [p for p in root.iter(f"{SVG}path") if p.get("class") == "arrow"]
    assert len(arrows) == sum("open" in classes(b) for lane in found.values() for b in bars(lane)) == 4
    (closed,) = bars(found["Belgium embassy, Damascus"])
    assert classes(closed) == {"bar", "unknown-start"}  # closed in 2012, opened when is not known


def test_chart_unknown_start_is_drawn_from_the_establishment_not_the_axis_edge():
    root = parse(chart_svg(written(*FACTS)))
    found = lanes(root)
    (relations,) = bars(found["Diplomatic relations"])
    (closed,) = bars(found["Belgium embassy, Damascus"])
    # the embassy cannot predate relations: its unknown part starts where they begin, dashed
    assert float(closed.get("x")) == float(relations.get("x"))
    assert closed.get("stroke-dasharray") == "4 3" and closed.get("fill-opacity") == "0.08"
    # with no relations to bound it, a short stub before its known end, never the left edge
    alone = parse(
        chart_svg(written(fact("mission", "BEL", "SYR", end="2012", kind="embassy", city="Damascus")))
    )
    (stub,) = bars(lanes(alone)["Belgium embassy, Damascus"])
    assert float(stub.get("width")) == UNKNOWN_STUB


def test_chart_envoy_bars_end_where_the_next_envoy_begins():
    root = parse(chart_svg(written(*FACTS)))
    first, second = bars(lanes(root)["Belgium envoys to Syria"])
    assert "open" not in classes(first) and "open" in classes(second)
    assert float(first.get("x")) + float(first.get("width")) == float(second.get("x"))


def test_chart_events_are_marks():
    root = parse(chart_svg(written(*FACTS)))
    events = lanes(root)["Events"]
    assert len([p for p in events.iter(f"{SVG}path") if p.get("class") == "mark"]) == 2
    assert sorted(labels(events)) == [
        "condemn: the <crackdown> & arrests (Belgium)",  # escaped in the SVG, read back by the parser
        "visit by prime minister (Belgium)",
    ]


def test_chart_years_on_the_axis():
    root = parse(chart_svg(written(*FACTS)))
    years = [t.text for g in root.iter(f"{SVG}g") if g.get("class") == "tick" for t in g.iter(f"{SVG}text")]
    assert years == ["1950", "1960", "1970", "1980", "1990", "2000", "2010"]


def test_chart_undated_facts_listed_apart():
    root = parse(chart_svg(written(*FACTS)))
    undated = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "undated"]
    assert undated == ["migration: Syria → Belgium: refugees"]


def test_chart_labels_do_not_collide():
    many = [
        fact(
            "statement",
            "BEL",
            "SYR",
            date=f"201{i}",
            stance="support",
            subject=f"the long-awaited plan number {i}",
        )
        for i in range(6)
    ]
    root = parse(chart_svg(written(*many)))
    boxes = []
    for t in lanes(root)["Events"].iter(f"{SVG}text"):
        if t.get("class") != "label":
            continue
        x, width = float(t.get("x")), len(t.text) * CHAR_WIDTH
        left = x - width if t.get("text-anchor") == "end" else x
        boxes.append((float(t.get("y")), left, left + width))
    assert len({y for y, _, _ in boxes}) > 1  # they needed more than one row
    for i, (y, a, b) in enumerate(boxes):
        for y2, a2, b2 in boxes[i + 1 :]:
            assert y != y2 or b <= a2 or b2 <= a


def test_chart_of_a_timeline():
    entry = Entry("mission", "BEL", "SYR", {"kind": "embassy", "city": "Damascus"}, "1950", "2012", None, ())
    timeline = Timeline("BEL", "SYR", {"BEL": "Belgium", "SYR": "Syria"},
                        (Event("1950", "start", entry), Event("2012", "end", entry)))  # fmt: skip
    root = parse(chart_svg(timeline))
    (bar,) = bars(lanes(root)["Belgium embassy, Damascus"])
    assert classes(bar) == {"bar"}


def test_chart_of_nothing():
    root = parse(chart_svg([]))
    assert root.tag == f"{SVG}svg" and lanes(root) == {}
