"""News in the knowledge base: one event reported by several stories is one fact listing each story."""

from __future__ import annotations

from pathlib import Path

import dyad
from dyad.query.group import SAME_EVENT_DAYS

STORIES = {
    "a.txt": "Kenya and Tanzania hold talks\n\nNAIROBI, March 6, 2024 (Reuters) - The Kenyan foreign "
    "minister met her Tanzanian counterpart in Arusha on Tuesday.\n",
    # the same meeting, dated a day later by a story filed two days later
    "b.txt": "Ministers of Kenya and Tanzania meet\n\nDODOMA, March 8, 2024 (AP) - The Kenyan foreign "
    "minister met her Tanzanian counterpart in Arusha on Wednesday, officials said.\n",
    # another meeting, three weeks later
    "c.txt": "Kenya and Tanzania meet again\n\nARUSHA, March 26, 2024 (AP) - The Kenyan foreign minister met "
    "her Tanzanian counterpart in Arusha on Monday.\n",
}


def _kb(tmp_path: Path, stories: dict[str, str]) -> dyad.kb.KnowledgeBase:
    for name, text in stories.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    kb = dyad.open(tmp_path / "kb.duckdb")
    report = kb.ingest([str(tmp_path / n) for n in stories])
    assert report.ok, report.errors
    return kb


def _meetings(kb: dyad.kb.KnowledgeBase) -> list[tuple[str, list[str]]]:
    timeline = kb.timeline("Kenya", "Tanzania")
    return [
        (ev.when, sorted(s.title for s in ev.entry.sources))
        for ev in timeline.events
        if ev.entry.type == "meeting"
    ]


def test_one_event_in_two_stories_is_one_fact_with_both_sources(tmp_path):
    with _kb(tmp_path, STORIES) as kb:
        assert _meetings(kb) == [
            ("2024-03-05", ["Kenya and Tanzania hold talks", "Ministers of Kenya and Tanzania meet"]),
            ("2024-03-25", ["Kenya and Tanzania meet again"]),
        ]


def test_the_tolerance_is_a_few_days(tmp_path):
    assert SAME_EVENT_DAYS == 3
    # the meeting on 11 March: six days after the first
    late = STORIES["b.txt"].replace("March 8, 2024", "March 13, 2024").replace("Wednesday", "Monday")
    with _kb(tmp_path, {"a.txt": STORIES["a.txt"], "late.txt": late}) as kb:
        assert _meetings(kb) == [
            ("2024-03-05", ["Kenya and Tanzania hold talks"]),
            ("2024-03-11", ["Ministers of Kenya and Tanzania meet"]),
        ]


def test_close_days_do_not_chain_into_one_event(tmp_path):
    # talks reported on 4, 6 and 8 March: the first two are one event, the third (four days after the
    # first) another, though it is two days after the second
    stories = {
        f"d{day}.txt": STORIES["a.txt"]
        .replace("March 6, 2024", f"March {day + 1}, 2024")
        .replace("Tuesday", {4: "Monday", 6: "Wednesday", 8: "Friday"}[day])
        for day in (4, 6, 8)
    }
    with _kb(tmp_path, stories) as kb:
        assert [(when, len(titles)) for when, titles in _meetings(kb)] == [
            ("2024-03-04", 2),
            ("2024-03-08", 1),
        ]
