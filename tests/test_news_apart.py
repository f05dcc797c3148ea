"""News stands apart from articles: show, timeline, profile and the web say which facts come from a
story and link it; the pair's pulse on its page and in the API."""

from __future__ import annotations

import json
import warnings

import pytest
from click.testing import CliRunner

from dyad import kb as kb_module
from dyad.cli import main
from dyad.web import create_app

with warnings.catch_warnings():  # Starlette asks for httpx2; httpx does the same here
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

RECORDS = [
    {
        "title": "Kenya and Tanzania hold talks",
        "text": "The foreign ministers of Kenya and Tanzania met in Nairobi on Tuesday to discuss trade.",
        "date": "2024-01-10",
        "url": "https://wire.example/talks",
        "publisher": "Wire",
    },
    {
        "title": "Kenya imposes sanctions on Tanzania",
        "text": "Kenya imposed sanctions on Tanzania on Thursday over the dispute about fishing rights.",
        "date": "2024-03-08",
        "url": "javascript:alert(1)",
        "publisher": "Wire <b>",
    },
]
ARTICLE = """= Kenya–Tanzania relations =

Kenya and Tanzania established diplomatic relations in 1964.
"""


@pytest.fixture
def db(tmp_path):
    feed = tmp_path / "stories.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    article = tmp_path / "kenya-tanzania.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    path = tmp_path / "kb.duckdb"
    with kb_module.open(path) as kb:
        assert kb.ingest([str(feed), str(article)]).ok
    return path


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_show_and_timeline_name_news_sources_apart(db):
    timeline = run("timeline", "--db", str(db), "Kenya", "Tanzania")
    assert timeline.splitlines() == [
        "1964        relations established [Kenya–Tanzania relations]",
        "2024-01-09  meeting talks in Nairobi [news: Kenya and Tanzania hold talks (Wire, 2024-01-10) "
        "<https://wire.example/talks>]",
        "2024-03-07  Kenya → Tanzania: sanctions imposed [news: Kenya imposes sanctions on Tanzania "
        "(Wire <b>, 2024-03-08) <javascript:alert(1)>]",
    ]
    text = run("show", "--db", str(db), "Kenya", "Tanzania", "--at", "2024-12")
    assert (
        "  talks in Nairobi, 2024-01-09 [news: Kenya and Tanzania hold talks (Wire, 2024-01-10) "
        "<https://wire.example/talks>]"
    ) in text.splitlines()
    shown = run("show", "--db", str(db), "Kenya", "Tanzania", "--at", "2024-12", "--format", "json")
    meetings = json.loads(shown)["sections"]["meetings"]
    assert meetings[0]["sources"] == [
        {
            "id": meetings[0]["sources"][0]["id"],
            "path": meetings[0]["sources"][0]["path"],
            "title": "Kenya and Tanzania hold talks",
            "format": "news",
            "url": "https://wire.example/talks",
            "published": "2024-01-10",
            "publisher": "Wire",
        }
    ]
    relations = json.loads(shown)["sections"]["relations"]
    assert set(relations[0]["sources"][0]) == {"id", "path", "title", "published"}  # an article's as before


def test_profile_cites_the_story(db):
    markdown = run("profile", "--db", str(db), "Kenya", "Tanzania", "--format", "markdown")
    assert (
        "[^3]: *news: Kenya and Tanzania hold talks (Wire, 2024-01-10) \\<https://wire.example/talks\\>* "
        "(Lead): “The foreign ministers of Kenya and Tanzania met in Nairobi on Tuesday to discuss trade”"
    ) in markdown


@pytest.fixture
def client(db):
    with TestClient(create_app(db)) as c:
        yield c


def test_api_pulse(client):
    response = client.get("/api/pairs/Kenya/Tanzania/pulse?by=month")
    assert response.status_code == 200
    body = response.json()
    assert [(p["period"], p["events"], p["cooperation"], p["conflict"]) for p in body["periods"]] == [
        ("2024-01", 1, 1, 0),
        ("2024-02", None, None, None),
        ("2024-03", 1, 0, 1),
    ]
    assert client.get("/api/pairs/KEN/TZA/pulse?by=quarter").json()["periods"][0]["events"] == 2
    bad = client.get("/api/pairs/KEN/TZA/pulse?by=week")
    assert bad.status_code == 422
    assert {"status", "code", "message"} <= set(bad.json()["error"])


def test_pair_page_shows_the_pulse_and_marks_news(client):
    page = client.get("/pairs/KEN/TZA").text
    assert '<section class="pulse-section">' in page
    assert page.count('class="nodata"') == 1
    assert '<a class="story" href="https://wire.example/talks" rel="nofollow noopener">story</a>' in page
    assert 'href="javascript:' not in page  # a story's address is linked only when it is http(s)
    assert "Wire &lt;b&gt;" in page and "Wire <b>" not in page
    assert page.count('<span class="news-mark">news</span>') >= 2
