"""The news reader: stories as text (chrome and all), HTML, JSON Lines and WARC; dates; bad input."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dyad.cli import main
from dyad.errors import InputError
from dyad.pipeline import extract_items
from dyad.read.dateline import dateline_at, is_date_line, metadata_date, story_date
from dyad.read.formats import detect, read_head, read_input
from dyad.read.news import read_story

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "news"

STORY = """Skip to main content
Menu
World

Kenya and Tanzania agree to reopen border crossing

By Amina Otieno

NAIROBI, March 5, 2024 (Reuters) – Kenya and Tanzania agreed on Tuesday to reopen the Namanga
border crossing, the two governments said in a joint statement.

President William Ruto met Tanzanian President Samia Suluhu Hassan in Nairobi last month.

Share this article

Related stories
Kenya opens embassy in Lima
"""

HTML_STORY = """<!DOCTYPE html><html><head><title>Ghana and Togo sign a fisheries accord | Coast Wire</title>
<meta property="og:type" content="article"><meta property="og:site_name" content="Coast Wire">
<meta property="article:published_time" content="2023-06-14T08:30:00Z">
<link rel="canonical" href="https://coastwire.example/ghana-togo-fisheries"></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/africa">Africa</a></li></ul></nav>
<article><h1>Ghana and Togo sign a fisheries accord</h1>
<p>Ghana and Togo signed an accord on fishing in their shared waters on Monday in Accra, the two
fisheries ministries said.</p>
<p>The ministers had met in Lome earlier this year to agree on the quotas that the accord sets.</p>
</article><footer><p>Copyright Coast Wire. All rights reserved.</p></footer></body></html>
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# -- plain text ------------------------------------------------------------------------------------


def test_story_text_is_read_in_place_with_headline_date_and_paragraphs(tmp_path):
    path = write(tmp_path / "story.txt", STORY)
    assert detect(read_head(str(path))).name == "news"
    [item] = list(read_input(str(path)))
    article = item.article
    assert article.text == STORY  # offsets point into the file as it was saved
    assert article.format == "news"
    assert article.title == "Kenya and Tanzania agree to reopen border crossing"
    assert article.published == "2024-03-05"
    paragraphs = [b.text for b in article.blocks]
    assert paragraphs == [
        "Kenya and Tanzania agree to reopen border crossing",
        "Kenya and Tanzania agreed on Tuesday to reopen the Namanga\nborder crossing, the two governments "
        "said in a joint statement.",
        "President William Ruto met Tanzanian President Samia Suluhu Hassan in Nairobi last month.",
    ]
    for block in article.blocks:
        assert STORY[block.start : block.end] == block.text


def test_story_without_a_date_has_no_published_date(tmp_path):
    text = "Chile and Peru hold talks\n\nChile and Peru held talks on their sea border on Friday in Lima.\n"
    article = read_story(text, "s.txt")
    assert (article.title, article.published) == ("Chile and Peru hold talks", None)


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("Monday, February 6, 2012", "2012-02-06"),
        ("Brussels, 28 February 2012", "2012-02-28"),
        ("15 Dec 2014 12:27 PM", "2014-12-15"),
        ("September 13, 2000, The Kremlin, Moscow", "2000-09-13"),
        ("23/08/2010  - ", "2010-08-23"),
        ("05/15/2013", "2013-05-15"),
        ("Published 3 March 2021", "2021-03-03"),
        ("05/06/2013", None),  # day and month could be either
        ("The talks ended on 6 February 2012 without an agreement on the border.", None),
        ("March 2013", None),  # a date line gives a day
    ],
)
def test_date_lines(line, day):
    assert is_date_line(line) == day


@pytest.mark.parametrize(
    ("line", "date", "rest"),
    [
        ("WASHINGTON, March 3, 2024 (Reuters) – The US said", "2024-03-03", "The US said"),
        ("WASHINGTON, March 3 (Reuters) – The United States said", None, "The United States said"),
        ("MOSCOW (AP) — Russia said on Monday", None, "Russia said on Monday"),
        ("KYIV, Ukraine (AP) — Ukraine said", None, "Ukraine said"),
        ("Aug. 26, 2008 - President Bush condemned", "2008-08-26", "President Bush condemned"),
        ("May 24, 2002: Bush and Putin sign", "2002-05-24", "Bush and Putin sign"),
    ],
)
def test_datelines(line, date, rest):
    found = dateline_at(line)
    assert found is not None
    assert (found.date, line[found.end :]) == (date, rest)


def test_no_dateline_in_ordinary_sentences():
    assert dateline_at("Washington, D.C. – Today, the trade representative said") is None
    assert dateline_at("US, India Announce Agreement on Nuclear Power") is None


def test_story_date_prefers_the_dateline_to_a_date_line():
    lines = ["Wednesday, August 27, 2008", "A headline here", "Aug. 26, 2008 - The president condemned it."]
    assert story_date(lines) == "2008-08-26"
    assert story_date(["A headline", "Text of the story that says nothing of when.", "June 2, 2001, Rome"])
    assert story_date(["A headline", "Some text of the story that says nothing of when."]) is None


@pytest.mark.parametrize(
    ("value", "edtf"),
    [
        ("2024-03-01", "2024-03-01"),
        ("2024-03-01T10:00:00Z", "2024-03-01"),
        ("2024-03", "2024-03"),
        ("Fri, 01 Mar 2024 10:00:00 GMT", "2024-03-01"),
        ("1 March 2024", "2024-03-01"),
        ("", None),
        (None, None),
    ],
)
def test_metadata_dates(value, edtf):
    assert metadata_date(value) == edtf


@pytest.mark.parametrize("value", ["the day after", "2024-13", 20240301])
def test_metadata_date_that_cannot_be_read(value):
    with pytest.raises(ValueError):
        metadata_date(value)


def test_detection_keeps_other_formats_and_rejects_non_prose(tmp_path):
    article = write(tmp_path / "a.txt", "= Chile–Peru relations =\n\nChile and Peru established relations.\n")
    assert detect(read_head(str(article))).name == "article"
    copied = write(
        tmp_path / "b.txt",
        "Chile–Peru relations\nFrom Wikipedia, the free encyclopedia\n\n"
        "Chile and Peru established diplomatic relations in 1839 and have kept embassies since then.\n",
    )
    assert detect(read_head(str(copied))).name == "page"
    with pytest.raises(InputError, match="unknown format"):
        detect(read_head(str(write(tmp_path / "c.txt", "Shopping list\n\nEggs and bread.\n"))))


def test_cli_extract_reads_a_story_with_no_flag(tmp_path):
    path = write(tmp_path / "story.txt", STORY)
    result = CliRunner().invoke(main, ["extract", "--format", "json", str(path)])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["source"]["format"] == "news"
    assert doc["source"]["published"] == "2024-03-05"
    assert doc["source"]["title"] == "Kenya and Tanzania agree to reopen border crossing"
    assert sorted(doc["parties"]) == ["KEN", "TZA"]
    for fact in doc["facts"]:
        for e in fact["evidence"]:
            assert STORY[e["start"] : e["end"]] == e["quote"]


def test_story_with_no_text_is_an_error(tmp_path):
    path = write(tmp_path / "empty-story.txt", "Breaking News\nShare\n\nKenya and Tanzania hold talks\n")
    [got] = list(extract_items(str(path), format="news"))
    assert str(got.error) == (
        f"{path}: no story text found; give the story's text (a headline and paragraphs)"
    )


# -- HTML ------------------------------------------------------------------------------------------


def test_html_story_main_text_and_metadata(tmp_path):
    path = write(tmp_path / "story.html", HTML_STORY)
    assert detect(read_head(str(path))).name == "news"
    [item] = list(read_input(str(path)))
    article = item.article
    assert article.format == "news"
    assert article.title == "Ghana and Togo sign a fisheries accord"
    assert (article.url, article.publisher, article.published) == (
        "https://coastwire.example/ghana-togo-fisheries",
        "Coast Wire",
        "2023-06-14",
    )
    assert [b.text for b in article.blocks] == [
        "Ghana and Togo sign a fisheries accord",
        "Ghana and Togo signed an accord on fishing in their shared waters on Monday in Accra, the two "
        "fisheries ministries said.",
        "The ministers had met in Lome earlier this year to agree on the quotas that the accord sets.",
    ]
    assert "Copyright" not in article.text and "Home" not in article.text


def test_html_story_with_no_main_text_is_an_error(tmp_path):
    page = '<html><head><meta property="og:type" content="article"></head><body><nav>Home</nav></body></html>'
    path = write(tmp_path / "empty.html", page)
    [got] = list(extract_items(str(path)))
    assert str(got.error) == f"{path}: no main text found in the HTML; save the story's text instead"


# -- JSON Lines ------------------------------------------------------------------------------------

GOOD = {
    "title": "Kenya and Tanzania agree to reopen border crossing",
    "text": "Kenya and Tanzania agreed on Tuesday to reopen the Namanga border crossing.",
    "date": "2024-03-05",
    "url": "https://wire.example/kenya-tanzania",
    "publisher": "Wire",
}


def _jsonl(tmp_path: Path) -> Path:
    lines = [
        json.dumps(GOOD),
        "{not json",
        json.dumps({"title": "A title and nothing else"}),
        json.dumps({**GOOD, "date": "the day after"}),
        "",
        json.dumps(
            {
                "text": "Chile recalls envoy\n\nChile recalled its ambassador to Peru on Friday, the "
                "foreign ministry in Santiago said."
            }
        ),  # fmt: skip
    ]
    return write(tmp_path / "stories.jsonl", "\n".join(lines) + "\n")


def test_jsonl_stories_each_a_source_and_bad_lines_named(tmp_path):
    path = _jsonl(tmp_path)
    assert detect(read_head(str(path))).name == "jsonl"
    items = list(read_input(str(path)))
    assert [i.key for i in items] == [f"{path}#{n}" for n in (1, 2, 3, 4, 6)]
    first = items[0].article
    assert first.text == GOOD["title"] + "\n\n" + GOOD["text"] + "\n"
    assert (first.title, first.published, first.url, first.publisher, first.format) == (
        GOOD["title"], "2024-03-05", GOOD["url"], "Wire", "news",
    )  # fmt: skip
    assert [str(i.error) for i in items[1:4]] == [
        f"{path}#2: line 2 is not JSON (Expecting property name enclosed in double quotes: line 1 column 2 "
        "(char 1)); give one story object a line",
        f'{path}#3: line 3 has no text; give the story in a "text" field',
        f"{path}#4: line 4: cannot read the date 'the day after'; give an ISO date such as 2024-03-01",
    ]
    assert items[4].article.title == "Chile recalls envoy"


def test_cli_jsonl_prints_the_good_stories_and_exits_non_zero(tmp_path):
    path = _jsonl(tmp_path)
    result = CliRunner().invoke(main, ["extract", "--format", "json", str(path)])
    assert result.exit_code == 1
    assert [json.loads(x)["source"]["path"] for x in result.stdout.splitlines()] == [f"{path}#1", f"{path}#6"]
    assert len(result.stderr.splitlines()) == 3
    assert all(line.startswith(f"Error: {path}#") for line in result.stderr.splitlines())


def test_jsonl_gzip_is_read_as_a_stream(tmp_path):
    path = tmp_path / "stories.jsonl.gz"
    path.write_bytes(gzip.compress((json.dumps(GOOD) + "\n").encode()))
    [item] = list(read_input(str(path)))
    assert item.article.title == GOOD["title"]


# -- WARC ------------------------------------------------------------------------------------------


def _warc(path: Path, *, gz: bool, stories: int = 3) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "dyad tests"}))
        for n in range(stories):
            body = HTML_STORY.replace("on Monday", f"on Monday ({n})").encode()
            kind = [("Content-Type", "text/html; charset=utf-8")]
            http = StatusAndHeaders("200 OK", kind, protocol="HTTP/1.1")
            record = writer.create_warc_record(
                f"https://coastwire.example/s{n}", "response", payload=io.BytesIO(body), http_headers=http
            )
            writer.write_record(record)
        http = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        png = writer.create_warc_record(
            "https://coastwire.example/logo.png", "response", payload=io.BytesIO(b"PNG"), http_headers=http
        )
        writer.write_record(png)
    return path


@pytest.mark.parametrize("gz", [False, True])
def test_warc_stories_are_streamed(tmp_path, gz):
    path = _warc(tmp_path / ("crawl.warc.gz" if gz else "crawl.warc"), gz=gz)
    assert detect(read_head(str(path))).name == "warc"
    items = list(read_input(str(path)))
    assert [i.key for i in items] == [f"{path}#{n}" for n in (2, 3, 4)]  # record 1 is warcinfo, 5 an image
    assert {i.article.title for i in items} == {"Ghana and Togo sign a fisheries accord"}
    assert {i.article.published for i in items} == {"2023-06-14"}
    assert all(i.article.format == "news" for i in items)


@pytest.mark.parametrize("gz", [False, True])
def test_truncated_warc_names_the_record_and_keeps_the_stories_before(tmp_path, gz):
    path = _warc(tmp_path / ("cut.warc.gz" if gz else "cut.warc"), gz=gz)
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as f:
        records = ArchiveIterator(f)
        offsets = [records.get_record_offset() for _ in records]
    data = path.read_bytes()
    path.write_bytes(data[: offsets[3] + (offsets[4] - offsets[3]) // 2])  # in the middle of record 4
    result = CliRunner().invoke(main, ["extract", "--format", "json", str(path)])
    assert result.exit_code == 1
    assert [json.loads(x)["source"]["path"] for x in result.stdout.splitlines()] == [f"{path}#2", f"{path}#3"]
    [line] = result.stderr.splitlines()
    assert line.startswith((f"Error: {path}: record 4 ", f"Error: {path}#4: record 4 "))
    assert "truncated" in line


# -- the evaluation stories ------------------------------------------------------------------------


def _eval_stories() -> list[Path]:
    return sorted(EVAL.glob("*.txt")) if EVAL.is_dir() else []


@pytest.mark.skipif(not EVAL.is_dir(), reason="../shared/eval/news is not beside the project")
def test_eval_stories_are_news_and_every_gold_quote_is_read():
    dated = 0
    for path in _eval_stories():
        gold = json.loads(path.with_suffix("").with_suffix(".gold.json").read_text())
        [item] = list(read_input(str(path)))
        article = item.article
        assert article.format == "news", path.name
        assert article.text == path.read_text(encoding="utf-8")
        if article.published is not None:
            assert article.published == gold["published"], path.name  # never a wrong date
            dated += 1
        for fact in gold["facts"]:
            for quote in fact.get("quotes") or []:
                at = article.text.find(quote)
                assert any(b.start <= at and at + len(quote) <= b.end for b in article.blocks), quote
    assert dated >= 20
