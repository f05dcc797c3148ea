"""Tests for dyad.resolve.dates: finding date phrases and writing them as EDTF."""

from __future__ import annotations

import pytest

from dyad.resolve.dates import (
    DateMention,
    edtf_sort_key,
    find_dates,
    format_edtf,
    resolve_relative,
    to_edtf,
    year_of,
)


def spans(text: str) -> list[tuple[int, int, str, str, str, str | None]]:
    """The mentions of ``text`` as (start, end, text, edtf, role, end_edtf), checking the quote rule."""
    found = find_dates(text)
    for m in found:
        assert text[m.start : m.end] == m.text
    return [(m.start, m.end, m.text, m.edtf, m.role, m.end_edtf) for m in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20 March 1946", (0, 13, "20 March 1946")),
        ("Relations began on 20 March 1946 when", (16, 32, "on 20 March 1946")),
        ("March 20, 1946", (0, 14, "March 20, 1946")),
        ("It opened on March 20, 1946.", (10, 27, "on March 20, 1946")),
        ("20th March 1946", (0, 15, "20th March 1946")),
        ("March 20th, 1946", (0, 16, "March 20th, 1946")),
        ("On 20\u00a0March\u00a01946, the", (0, 16, "On 20\u00a0March\u00a01946")),
        ("the 20th of March 1946", (0, 22, "the 20th of March 1946")),
        ("Mar. 20, 1946", (0, 13, "Mar. 20, 1946")),
    ],
)
def test_dates_full_date_is_a_day(text: str, expected: tuple[int, int, str]) -> None:
    assert spans(text) == [(*expected, "1946-03-20", "point", None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in June 1873", (0, 12, "in June 1873")),
        ("June 1873", (0, 9, "June 1873")),
        ("It was signed in mid-June 1873.", (14, 30, "in mid-June 1873")),
        ("by the end of June 1873", (0, 23, "by the end of June 1873")),
    ],
)
def test_dates_month_and_year_is_a_month(text: str, expected: tuple[int, int, str]) -> None:
    [found] = spans(text)
    assert found[:4] == (*expected, "1873-06")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The mission closed in 2012.", [(19, 26, "in 2012", "2012", "point", None)]),
        ("In 2012, the office moved.", [(0, 7, "In 2012", "2012", "point", None)]),
        ("2012", [(0, 4, "2012", "2012", "point", None)]),
        ("the 1994 peace treaty", [(4, 8, "1994", "1994", "point", None)]),
        ("in  2012", [(0, 8, "in  2012", "2012", "point", None)]),
        ("( 1946 )", [(2, 6, "1946", "1946", "point", None)]),
        ("in the year 2000", [(0, 16, "in the year 2000", "2000", "point", None)]),
        ("As of 2025, exports", [(0, 10, "As of 2025", "2025", "point", None)]),
        ("the 1948 refugees", [(4, 8, "1948", "1948", "point", None)]),
        ("Chile's 1990 bid", [(8, 12, "1990", "1990", "point", None)]),
        ("the war of 1971", [(8, 15, "of 1971", "1971", "point", None)]),
        ("(1702, 1705)", [(1, 5, "1702", "1702", "point", None), (7, 11, "1705", "1705", "point", None)]),
        (
            "in 1990 and 1995",
            [(0, 7, "in 1990", "1990", "point", None), (12, 16, "1995", "1995", "point", None)],
        ),
    ],
)
def test_dates_year_alone_is_a_year(text: str, expected: list) -> None:
    assert spans(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "a crew of 232 Chinese sailors",
        "| Area | 412,306 km2 | 688.4 km2 |",
        "| Population | 21,904,000 | 5,607,300 |",
        "Largest city – 1,768,000",
        "| Density | 1946.5 per km2 |",
        "1946 people fled",
        "around 2000 people",
        "some 1500 French troops",
        "its 1500 troops",
        "the 2000 km border",
        "a total of 2000, the most",
        "up to 2000 refugees",
        "a border of 1630 km",
        "worth US$1946 million",
        "about 1200 Chinese workers",
        "see pp. 1946–1950",
        "p. 1946",
        "UN Security Council Resolution 1973",
        'the "Agenda 2014" initiative',
        "more than 1990 were killed",
        "call +32 2 1946 5678",
        "between 1500 and 2000 troops",
        "in 2012.5 seconds",
    ],
)
def test_dates_numbers_that_are_not_years_are_skipped(text: str) -> None:
    assert find_dates(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("since 1992", (0, 10, "since 1992", "1992", "since")),
        ("Since 3 June 2021, the envoy", (0, 17, "Since 3 June 2021", "2021-06-03", "since")),
        ("By 2020, trade", (0, 7, "By 2020", "2020", "by")),
        ("until 2012", (0, 10, "until 2012", "2012", "until")),
        ("a truce that held till 1355.", (18, 27, "till 1355", "1355", "until")),
        ("up to 2012", (0, 10, "up to 2012", "2012", "until")),
        ("before 1990", (0, 11, "before 1990", "1990", "before")),
        ("prior to 1990", (0, 13, "prior to 1990", "1990", "before")),
        ("pre-1990 borders", (0, 8, "pre-1990", "1990", "before")),
        ("after 1990", (0, 10, "after 1990", "1990", "after")),
        ("from June 2003", (0, 14, "from June 2003", "2003-06", "since")),
        ("From 1834 when the port opened", (0, 9, "From 1834", "1834", "since")),
        ("by the end of 2015", (0, 18, "by the end of 2015", "2015", "by")),
    ],
)
def test_dates_preposition_gives_the_role(text: str, expected: tuple) -> None:
    assert spans(text) == [(*expected, None)]


def test_dates_event_before_a_year_keeps_the_year_a_point() -> None:
    text = "Exports fell following the start of the conflict in 2011."
    assert spans(text) == [(49, 56, "in 2011", "2011", "point", None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("In the early 2000s, exports rose", (0, 18, "In the early 2000s", "200X")),
        ("the 1990s", (0, 9, "the 1990s", "199X")),
        ("the mid-1990s", (0, 13, "the mid-1990s", "199X")),
        ("in the late 1840s", (0, 17, "in the late 1840s", "184X")),
        ("the 1800s", (0, 9, "the 1800s", "18XX")),
        ("the 2000s", (0, 9, "the 2000s", "200X")),
        ("Throughout the 20th century, trade", (0, 27, "Throughout the 20th century", "19XX")),
        ("the 19th century", (0, 16, "the 19th century", "18XX")),
        ("in the late 19th century", (0, 24, "in the late 19th century", "18XX")),
        ("in the early nineteenth century", (0, 31, "in the early nineteenth century", "18XX")),
        ("=== 21st century ===", (4, 16, "21st century", "20XX")),
        ("a 19th-century treaty", (2, 14, "19th-century", "18XX")),
    ],
)
def test_dates_decades_and_centuries_keep_unspecified_digits(text: str, expected: tuple) -> None:
    [found] = spans(text)
    assert found[:4] == expected


@pytest.mark.parametrize(
    "text", ["around 2000", "about 2000", "circa 2000", "c. 2000", "ca. 2000", "approximately 2000", "c.2000"]
)
def test_dates_approximate_year_is_qualified(text: str) -> None:
    assert spans(text) == [(0, len(text), text, "2000~", "point", None)]


@pytest.mark.parametrize(
    ("text", "edtf"),
    [("mid-2022", "2022"), ("early 2015", "2015"), ("late 2015", "2015"), ("in the spring of 1946", "1946")],
)
def test_dates_part_of_a_year_keeps_year_precision(text: str, edtf: str) -> None:
    assert spans(text) == [(0, len(text), text, edtf, "point", None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("from 2016 to 2021", (0, 17, "from 2016 to 2021", "2016", "2021")),
        ("between 1990 and 1995", (0, 21, "between 1990 and 1995", "1990", "1995")),
        ("2016–2021", (0, 9, "2016–2021", "2016", "2021")),
        ("2016-2021", (0, 9, "2016-2021", "2016", "2021")),
        ("2016 — 2021", (0, 11, "2016 — 2021", "2016", "2021")),
        ("from 1511-1521", (0, 14, "from 1511-1521", "1511", "1521")),
        ("the federation (1945–1992).", (16, 25, "1945–1992", "1945", "1992")),
        ("the 2008–09 season", (4, 11, "2008–09", "2008", "2009")),
        ("from 30 September 2012 to 2016.", (0, 30, "from 30 September 2012 to 2016", "2012-09-30", "2016")),
        ("20 March 1946 – 3 June 1950", (0, 27, "20 March 1946 – 3 June 1950", "1946-03-20", "1950-06-03")),
        ("1–3 June 1946", (0, 13, "1–3 June 1946", "1946-06-01", "1946-06-03")),
        ("in March–June 1946", (0, 18, "in March–June 1946", "1946-03", "1946-06")),
        ("from the 1850s to 1870s", (0, 23, "from the 1850s to 1870s", "185X", "187X")),
        ("the 16th and 17th centuries", (0, 27, "the 16th and 17th centuries", "15XX", "16XX")),
        ("by 271–275 AD, the legions", (0, 13, "by 271–275 AD", "0271", "0275")),
    ],
)
def test_dates_ranges_have_an_end(text: str, expected: tuple) -> None:
    start, end, quote, edtf, end_edtf = expected
    assert spans(text) == [(start, end, quote, edtf, "range", end_edtf)]


@pytest.mark.parametrize("text", ["2021–2016", "1990-85", "1 March 1946 – 31 February 1950"])
def test_dates_impossible_range_gives_nothing(text: str) -> None:
    assert find_dates(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("from 2016 to the present", (0, 24, "from 2016 to the present")),
        ("Ambassador (2016–present)", (12, 24, "2016–present")),
        ("Ambassador (2016–)", (12, 17, "2016–")),
    ],
)
def test_dates_range_open_to_the_present_is_since(text: str, expected: tuple) -> None:
    assert spans(text) == [(*expected, "2016", "since", None)]


def test_dates_between_without_an_end_date_is_just_the_date() -> None:
    text = "arrived between 1834 and the later decades"
    assert spans(text) == [(16, 20, "1834", "1834", "point", None)]


@pytest.mark.parametrize(
    ("text", "quote", "offset", "month"),
    [
        ("He was appointed in September of that year.", "in September of that year", 0, 9),
        ("that year, the", "that year", 0, None),
        ("in the same year", "in the same year", 0, None),
        ("Later that year, Japan", "Later that year", 0, None),
        ("The following year, the", "The following year", 1, None),
        ("A year later, a new", "A year later", 1, None),
        ("two years later", "two years later", 2, None),
        ("three years earlier", "three years earlier", -3, None),
    ],
)
def test_dates_relative_phrases_carry_an_offset(
    text: str, quote: str, offset: int, month: int | None
) -> None:
    start = text.index(quote)
    assert find_dates(text) == [
        DateMention(start, start + len(quote), quote, "", "relative", offset=offset, month=month)
    ]


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        ("in September of that year", "1993-12-30", "1993-09"),
        ("the following year", "1993", "1994"),
        ("two years later", "2000~", "2002~"),
        ("that year", "1946-03-20", "1946"),
        ("that year", "199X", ""),
    ],
)
def test_dates_resolve_relative_uses_the_anchor_year(text: str, anchor: str, expected: str) -> None:
    [mention] = find_dates(text)
    assert resolve_relative(mention, anchor) == expected


def test_dates_resolve_relative_ignores_explicit_mentions() -> None:
    [mention] = find_dates("in 2012")
    assert resolve_relative(mention, "1993") == ""


@pytest.mark.parametrize(
    "text",
    [
        "As of , Palau is a member",
        "King Zahir Shah () ruled",
        "It was signed in Ju",
        "It was signed on 20 March 19",
        "the 5th century BC",
        "in 1000–900 BC",
        "in 2000 BCE",
        "31 February 1946",
        "",
    ],
)
def test_dates_gaps_cuts_and_impossible_dates_give_nothing(text: str) -> None:
    assert find_dates(text) == []


def test_dates_text_cut_by_end_is_not_read_past_the_end() -> None:
    text = "on 20 March 1946 and in 2012"
    assert spans(text[:14]) == []
    assert [(m.start, m.text) for m in find_dates(text, 17, 27)] == []
    assert [(m.start, m.text, m.edtf) for m in find_dates(text, 17)] == [(21, "in 2012", "2012")]


def test_dates_offsets_are_into_the_whole_text() -> None:
    text = "Founded in 1900. Closed in 2012."
    assert [(m.start, m.end, m.text) for m in find_dates(text, start=17)] == [(24, 31, "in 2012")]


def test_dates_curly_quotes_and_year_possessives() -> None:
    assert spans("Malta’s independence in 1964") == [(21, 28, "in 1964", "1964", "point", None)]
    assert spans("the 1990’s") == [(0, 10, "the 1990’s", "199X", "point", None)]


def test_dates_years_before_1000_need_an_era() -> None:
    assert spans("ending in 106 AD. The") == [(7, 16, "in 106 AD", "0106", "point", None)]
    assert find_dates("in 800 the city") == []


def test_dates_iso_date_is_a_day() -> None:
    assert spans("opened 1946-03-20.") == [(7, 17, "1946-03-20", "1946-03-20", "point", None)]


@pytest.mark.parametrize(
    ("phrase", "edtf"),
    [
        ("20 March 1946", "1946-03-20"),
        ("March 20, 1946", "1946-03-20"),
        ("June 1873", "1873-06"),
        ("2012", "2012"),
        ("the early 2000s", "200X"),
        ("the 1800s", "18XX"),
        ("the 20th century", "19XX"),
        ("circa 2000", "2000~"),
        ("around March 1946", "1946-03~"),
        ("around the 1990s", "199X"),
        (" 1946 ", "1946"),
    ],
)
def test_dates_to_edtf_converts_a_bare_phrase(phrase: str, edtf: str) -> None:
    assert to_edtf(phrase) == edtf


@pytest.mark.parametrize(
    "phrase", ["in 2012", "31 February 1946", "20 March", "yesterday", "2100", "1946 and 1950"]
)
def test_dates_to_edtf_rejects_what_is_not_one_date(phrase: str) -> None:
    assert to_edtf(phrase) is None


def test_dates_sort_key_orders_by_time_then_width() -> None:
    dates = ["1946-03-20", "2000~", "1946", "19XX", "199X", "1946-03", "1990", "2000", "18XX"]
    assert sorted(dates, key=edtf_sort_key) == [
        "18XX", "19XX", "1946", "1946-03", "1946-03-20", "199X", "1990", "2000", "2000~",
    ]  # fmt: skip


def test_dates_sort_key_rejects_other_strings() -> None:
    with pytest.raises(ValueError, match="not an EDTF date dyad writes: '2012-13'"):
        edtf_sort_key("2012-13")


@pytest.mark.parametrize(
    ("edtf", "words"),
    [
        ("1946-03-20", "20 March 1946"),
        ("1873-06", "June 1873"),
        ("2012", "2012"),
        ("200X", "the 2000s"),
        ("18XX", "the 19th century"),
        ("20XX", "the 21st century"),
        ("2000~", "about 2000"),
        ("0106", "106"),
    ],
)
def test_dates_format_edtf_writes_english(edtf: str, words: str) -> None:
    assert format_edtf(edtf) == words


def test_dates_format_edtf_round_trips_through_to_edtf() -> None:
    for edtf in ["1946-03-20", "1873-06", "2012", "199X", "18XX", "2000~"]:
        assert to_edtf(format_edtf(edtf)) == edtf


@pytest.mark.parametrize(
    ("edtf", "year"),
    [("200X", 2000), ("1946-03-20", 1946), ("18XX", 1800), ("2000~", 2000), ("", None), ("soon", None)],
)
def test_dates_year_of_is_the_first_year(edtf: str, year: int | None) -> None:
    assert year_of(edtf) == year
