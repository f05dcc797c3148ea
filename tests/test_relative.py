"""Dates counted from a story's day: found in news, resolved against ``published``, never guessed."""

from __future__ import annotations

import pytest

from dyad.extract import extract_article
from dyad.read.news import read_story
from dyad.resolve.dates import find_dates, resolve_relative
from dyad.resolve.relative import find_news_dates, resolve_news, with_news_dates

# Wednesday 6 March 2024
PUBLISHED = "2024-03-06"


def _resolved(text: str, published: str = PUBLISHED) -> list[tuple[str, str]]:
    return [(d.text, resolve_news(d, published)) for d in find_news_dates(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The talks ended today.", [("today", "2024-03-06")]),
        ("He left yesterday, back tomorrow.", [("yesterday", "2024-03-05"), ("tomorrow", "2024-03-07")]),
        ("They met on Tuesday.", [("on Tuesday", "2024-03-05")]),
        ("They met on Wednesday.", [("on Wednesday", "2024-03-06")]),
        ("They met last Thursday.", [("last Thursday", "2024-02-29")]),
        ("They will meet on Tuesday.", [("on Tuesday", "2024-03-12")]),
        ("The envoy is due to leave by Friday.", [("Friday", "2024-03-08")]),
        ("They meet next Monday.", [("next Monday", "2024-03-11")]),
        ("The minister visited last month.", [("last month", "2024-02")]),
        ("Trade grew last year.", [("last year", "2023")]),
        ("Talks began earlier this year.", [("earlier this year", "2024")]),
        ("Talks resume next month.", [("next month", "2024-04")]),
        ("Talks resume next week.", [("next week", "2024-03")]),
        ("Bombings on December 23 and January 6 shook the city.", [("on December 23", "2023-12-23"),
                                                                   ("January 6", "2024-01-06")]),
        ("The visit on 20 April was postponed.", [("on 20 April", "2024-04-20")]),
        ("In November the embassy closed.", [("In November", "2023-11")]),
        ("In April the embassy will open.", [("In April", "2024-04")]),
        ("The treaty of March 3, 2024 was signed.", []),  # a full date is find_dates's
        ("By May the talks may resume.", []),  # "May" may be the verb
    ],
)  # fmt: skip
def test_news_dates_resolve_against_the_story_day(text, expected):
    assert _resolved(text) == expected


def test_a_week_across_two_months_gives_the_year_and_across_two_years_nothing():
    [last_week] = find_news_dates("They met last week.")
    assert resolve_news(last_week, "2024-03-06") == "2024"  # 26 February - 3 March
    assert resolve_news(last_week, "2025-01-08") == ""  # 30 December 2024 - 5 January 2025
    assert resolve_news(last_week, "2024-01-10") == "2024-01"  # 1 - 7 January


def test_the_story_day_must_be_as_precise_as_the_phrase():
    [tuesday] = find_news_dates("They met on Tuesday.")
    [month] = find_news_dates("They met last month.")
    assert resolve_news(tuesday, "2024-03") == ""
    assert resolve_news(month, "2024-03") == "2024-02"
    assert resolve_news(month, "2024") == ""


def test_resolve_relative_keeps_that_year_against_the_last_date_and_hands_news_dates_on():
    [that_year] = find_dates("in September of that year")
    assert resolve_relative(that_year, "1993-12-30") == "1993-09"
    [yesterday] = find_news_dates("yesterday")
    assert resolve_relative(yesterday, "2024-03-06") == "2024-03-05"


def test_with_news_dates_drops_news_phrases_inside_full_dates():
    text = "On Tuesday, March 5, 2024 the envoy left, and on Friday he returned."
    merged = with_news_dates(find_dates(text), find_news_dates(text))
    assert [(d.text, d.role) for d in merged] == [
        ("On Tuesday", "relative"),
        ("March 5, 2024", "point"),
        ("on Friday", "relative"),
    ]


STORY = """Kenya and Tanzania sign a water treaty

NAIROBI, March 7, 2024 (Reuters) - Kenya and Tanzania signed a treaty on Tuesday on sharing the waters of
Lake Victoria.

The Kenyan foreign minister met her Tanzanian counterpart in Arusha last month.
"""


def _dates_by_type(text: str) -> dict[str, str | None]:
    doc = extract_article(read_story(text, "story.txt"))
    return {f.type: f.date or f.start for f in doc.facts}


def test_extracted_facts_take_relative_dates_from_the_dateline():
    assert _dates_by_type(STORY) == {"agreement": "2024-03-05", "meeting": "2024-02"}


def test_without_a_story_date_relative_dates_stay_unresolved():
    undated = STORY.replace("NAIROBI, March 7, 2024 (Reuters) - ", "")
    assert _dates_by_type(undated) == {"agreement": None, "meeting": None}
