"""Tests of the web app's JSON API and pages (dyad.web), through Starlette's TestClient.

The knowledge base is written with the small line language of test_kb (mini_extract), so each test
knows exactly which facts it serves; the upload and escaping tests use the real reader and extractor.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest

import dyad.kb as kb_module
from dyad import report
from dyad.web import create_app
from dyad.web.ingest import uploads_dir
from test_kb import BASE, mini, write

UNKNOWN_FORMAT = (
    "unknown format: not an article (first line '= A–B relations ='), wikitext, a web page's text or HTML, "
    "a MediaWiki XML dump, a news story, JSON Lines of stories or a WARC file; force one with --format-in "
    "article|wikitext|page|dump|news|jsonl|warc"
)


with warnings.catch_warnings():  # Starlette asks for httpx2; httpx does the same here
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

assert mini  # a fixture, used by name

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SOURCE = "Belgium–Syria relations"
OTHER = "Syria and Belgium"
TOKEN = "s3cret-token"


@pytest.fixture
def db(tmp_path, mini):
    path = tmp_path / "kb.duckdb"
    with kb_module.open(path) as kb:
        done = kb.ingest(
            [
                write(tmp_path / "a" / "belgium-syria.txt", SOURCE, *BASE),
                write(
                    tmp_path / "b" / "other.txt",
                    OTHER,
                    "parties SYR BEL",
                    "relations SYR BEL | status=established | start=1947",
                    "mission BEL SYR | kind=embassy | city=Damascus",
                ),
            ]
        )
        assert done.ok
    return path


@pytest.fixture
def client(db):
    with TestClient(create_app(db)) as c:
        yield c


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


def paths(tmp_path):
    """The two sources' paths as the web shows them: their file names, never the server's folders."""
    return "belgium-syria.txt", "other.txt"


def public(text, tmp_path):
    """JSON text of the CLI with the sources' absolute paths as the web shows them."""
    for folder in ("a", "b"):
        text = text.replace(str(tmp_path / folder) + "/", "")
    assert str(tmp_path) not in text
    return json.loads(text)


def without_times(items):
    """The items with ``ingested_at`` checked for its form and dropped."""
    out = []
    for item in items:
        item = dict(item)
        when = item.pop("ingested_at")
        assert when is None or re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", when)
        out.append(item)
    return out


# -- pairs --


def test_web_api_pairs_lists_every_pair(client):
    got = get_json(client, "/api/pairs")
    assert {k: got[k] for k in ("total", "limit", "offset")} == {"total": 2, "limit": 50, "offset": 0}
    assert without_times(got["items"]) == [
        {
            "a": "BEL",
            "b": "GCDI",
            "names": ["Belgium", "Global Coalition to Defeat ISIS"],
            "facts": 1,
            "sources": 1,
        },
        {"a": "BEL", "b": "SYR", "names": ["Belgium", "Syria"], "facts": 11, "sources": 2},
    ]
    assert got["items"][0]["ingested_at"] is None  # no source is about Belgium and GCDI


def test_web_api_pairs_filtered_sorted_and_paged(client):
    got = get_json(client, "/api/pairs?country=Syrian&sort=facts")
    assert (got["total"], [(p["a"], p["b"]) for p in got["items"]]) == (1, [("BEL", "SYR")])
    by_facts = get_json(client, "/api/pairs?sort=facts&limit=1&offset=1")
    assert (by_facts["total"], by_facts["limit"], by_facts["offset"]) == (2, 1, 1)
    assert [(p["a"], p["b"]) for p in by_facts["items"]] == [("BEL", "GCDI")]
    recent = get_json(client, "/api/pairs?sort=recent")
    assert [(p["a"], p["b"]) for p in recent["items"]] == [("BEL", "SYR"), ("BEL", "GCDI")]


def test_web_api_pair_state_is_show_json(client, db, tmp_path):
    got = get_json(client, "/api/pairs/Belgium/Syrian?at=2013")
    with kb_module.open(db, read_only=True) as kb:
        assert got == public(report.show_json(kb.show("BEL", "SYR", at="2013")), tmp_path)
    assert (got["a"], got["b"], got["at"], got["names"]) == (
        "BEL",
        "SYR",
        "2013",
        {"BEL": "Belgium", "SYR": "Syria"},
    )
    missions = [
        (
            e["actor"],
            e["target"],
            e["description"],
            e["end"],
            e["status"],
            [d["end"] for d in e["disagreement"]],
        )
        for e in got["sections"]["missions"]
    ]
    # one mission (Damascus) closed by the dated closing; the other source's undated claim kept apart
    assert missions == [
        ("BEL", "SYR", "embassy in Damascus", "2012", "no", [None]),
        ("BEL", "SYR", "embassy in Damascus", None, "no", ["2012"]),
        ("SYR", "BEL", "embassy in Brussels", None, "unknown", []),
    ]


def test_web_api_pair_state_dates_in_plain_english(client):
    got = get_json(client, "/api/pairs/BEL/SYR?at=20%20March%201946")
    assert got["at"] == "1946-03-20"
    assert [e["description"] for e in got["sections"]["relations"]] == ["established"]


def test_web_api_pair_timeline_is_timeline_json(client, db, tmp_path):
    got = get_json(client, "/api/pairs/SYR/BEL/timeline")
    with kb_module.open(db, read_only=True) as kb:
        assert got == public(report.timeline_json(kb.timeline("SYR", "BEL")), tmp_path)
    assert [(e["when"], e["event"], e["type"]) for e in got["events"]][:3] == [
        ("1946-03-20", "start", "relations"),
        ("1946-03-20", "start", "envoy"),
        ("1947", "start", "relations"),
    ]


# -- facts --


def test_web_api_facts_of_a_pair_by_type(client, tmp_path):
    first, other = paths(tmp_path)
    got = get_json(client, "/api/facts?a=BEL&b=SYR&type=mission&limit=2")
    assert got == {
        "total": 3,
        "limit": 2,
        "offset": 0,
        "items": [
            {
                "id": 2,
                "type": "mission",
                "actor": "BEL",
                "target": "SYR",
                "attrs": {"kind": "embassy", "city": "Damascus"},
                "start": None,
                "end": "2012",
                "date": None,
                "polarity": "asserted",
                "evidence": [
                    {
                        "section": "Body",
                        "start": 102,
                        "end": 159,
                        "quote": "mission BEL SYR | kind=embassy | city=Damascus | end=2012",
                    }
                ],
                "confidence": 0.9,
                "source": {
                    "id": 1,
                    "path": first,
                    "title": SOURCE,
                    "url": None,
                    "published": None,
                    "publisher": None,
                },
            },
            {
                "id": 3,
                "type": "mission",
                "actor": "SYR",
                "target": "BEL",
                "attrs": {"kind": "embassy", "city": "Brussels"},
                "start": None,
                "end": None,
                "date": None,
                "polarity": "asserted",
                "evidence": [
                    {
                        "section": "Body",
                        "start": 160,
                        "end": 206,
                        "quote": "mission SYR BEL | kind=embassy | city=Brussels",
                    }
                ],
                "confidence": 0.9,
                "source": {
                    "id": 1,
                    "path": first,
                    "title": SOURCE,
                    "url": None,
                    "published": None,
                    "publisher": None,
                },
            },
        ],
    }
    rest = get_json(client, "/api/facts?a=BEL&b=SYR&type=mission&limit=2&offset=2")
    assert [(f["id"], f["source"]["path"]) for f in rest["items"]] == [(12, other)]


def test_web_api_facts_by_dates(client):
    got = get_json(client, "/api/facts?a=BEL&since=2012&until=2015")
    assert [(f["type"], f["start"], f["end"], f.get("date")) for f in got["items"]] == [
        ("relations", "1946-03-20", None, None),
        ("mission", None, "2012", None),
        ("envoy", "1946-03-20", None, None),
        ("sanctions", "2011", None, None),
        ("relations", "1947", None, None),
    ]
    dated = get_json(client, "/api/facts?a=Syria&type=migration")
    assert [(f["actor"], f["date"]) for f in dated["items"]] == [("SYR", "2020")]


# -- sources --


def test_web_api_sources_list_without_text(client, tmp_path):
    first, other = paths(tmp_path)
    got = get_json(client, "/api/sources?limit=1&offset=1")
    assert (got["total"], got["limit"], got["offset"]) == (2, 1, 1)
    [item] = without_times(got["items"])
    sha = item.pop("sha256")
    assert re.fullmatch("[0-9a-f]{64}", sha)
    assert item == {
        "id": 2,
        "path": other,
        "title": OTHER,
        "format": "article",
        "url": None,
        "published": None,
        "publisher": None,
        "parties": ["SYR", "BEL"],
        "links": [],
        "facts": 2,
        "paths": ["other.txt"],
    }


def test_web_api_source_is_a_document_with_text(client, tmp_path):
    other = paths(tmp_path)[1]
    got = get_json(client, "/api/sources/2")
    text = (tmp_path / "b" / other).read_text(encoding="utf-8")
    assert got["text"] == text
    assert got["source"] == {
        "path": other,
        "title": OTHER,
        "format": "article",
        "sha256": got["source"]["sha256"],
        "url": None,
        "published": None,
        "publisher": None,
    }
    assert (got["id"], got["parties"], got["links"]) == (2, ["SYR", "BEL"], [])
    assert [
        (f["id"], f["type"], f["actor"], f["target"], [(e["start"], e["end"]) for e in f["evidence"]])
        for f in got["facts"]
    ] == [(11, "relations", "SYR", "BEL", [(38, 89)]), (12, "mission", "BEL", "SYR", [(90, 136)])]
    for fact in got["facts"]:
        for ev in fact["evidence"]:
            assert text[ev["start"] : ev["end"]] == ev["quote"]


# -- countries --


def test_web_api_countries_type_ahead_by_name_code_and_adjective(client):
    def codes(q):
        return [c["code"] for c in get_json(client, f"/api/countries?q={q}&limit=3")["items"]]

    assert codes("bel") == ["BEL", "BLR", "BLZ"]
    assert codes("Syrian") == ["SYR"]
    assert codes("SYR") == ["SYR"]
    assert codes("gcd") == ["GCDI"]
    assert get_json(client, "/api/countries?q=belg")["items"] == [
        {"code": "BEL", "name": "Belgium", "adjective": "Belgian", "kind": "state", "pairs": 2}
    ]
    assert codes("") == ["BEL", "GCDI", "SYR"]  # most pairs first when nothing is typed


def test_web_api_country_with_the_state_of_each_partner(client):
    got = get_json(client, "/api/countries/Belgian?at=2013")
    assert got == {
        "code": "BEL",
        "name": "Belgium",
        "adjective": "Belgian",
        "kind": "state",
        "pairs": 2,
        "at": "2013",
        "states": {
            "missions": "relations in force and a resident mission open",
            "relations": "relations in force",
            "none": "no relations (not yet, broken off, or not a state then)",
            "unknown": "relations not known on this date",
        },
        "partners": [
            {"code": "GCDI", "name": "Global Coalition to Defeat ISIS", "state": "unknown", "facts": 1},
            {"code": "SYR", "name": "Syria", "state": "relations", "facts": 11},
        ],
    }
    # Damascus closed in 2012, Brussels undated: no resident mission is known open in 2013; in 1900
    # Syria was not a state (dyad's table of states), whatever undated missions say
    before = get_json(client, "/api/countries/BEL?at=1900")
    assert [(p["code"], p["state"]) for p in before["partners"]] == [("GCDI", "unknown"), ("SYR", "none")]


# -- errors --


@pytest.mark.parametrize(
    ("url", "status", "error"),
    [
        (
            "/api/pairs/Belgum/Syria",
            404,
            {
                "code": "unknown_actor",
                "message": "unknown country or organisation 'Belgum'; "
                "did you mean Belgium, Benelux, Belarus, Guam?",
            },
        ),
        (
            "/api/pairs/BEL/Belgian",
            400,
            {
                "code": "bad_request",
                "message": "'BEL' and 'Belgian' are both BEL; name two different countries",
            },
        ),
        (
            "/api/pairs/BEL/SYR?at=someday",
            400,
            {
                "code": "bad_request",
                "message": "cannot read the date 'someday'; give a year (2013), a month (2013-05) or a day "
                "(20 March 1946)",
            },
        ),
        ("/api/sources/99", 404, {"code": "not_found", "message": "no source 99; /api/sources lists them"}),
        ("/api/nothing", 404, {"code": "not_found", "message": "nothing at /api/nothing"}),
        (
            "/api/facts?b=SYR",
            400,
            {"code": "bad_request", "message": "give the first country (a) before the second (b)"},
        ),
    ],
)
def test_web_api_errors_have_one_shape(client, url, status, error):
    got = get_json(client, url, status)
    extra = {"suggestions": got["error"].get("suggestions")} if error["code"] == "unknown_actor" else {}
    assert got == {"error": {"status": status, **error, **extra}}


def test_web_api_unknown_actor_lists_suggestions(client):
    got = get_json(client, "/api/pairs/Belgum/Syria", 404)
    assert got["error"]["suggestions"] == ["Belgium", "Benelux", "Belarus", "Guam"]


def test_web_api_invalid_parameters_are_422_with_detail(client):
    got = get_json(client, "/api/pairs?limit=0&sort=size", 422)
    assert got == {
        "error": {
            "status": 422,
            "code": "invalid_parameter",
            "message": "sort: String should match pattern '^(pair|facts|sources|recent)$'; "
            "limit: Input should be greater than or equal to 1",
            "detail": [
                {"field": "sort", "problem": "String should match pattern '^(pair|facts|sources|recent)$'"},
                {"field": "limit", "problem": "Input should be greater than or equal to 1"},
            ],
        }
    }
    assert get_json(client, "/api/facts?a=BEL&type=gossip", 422)["error"]["detail"][0]["field"] == "type"


def test_web_api_wrong_method_is_405(client):
    response = client.delete("/api/pairs")
    assert response.status_code == 405
    assert response.json() == {
        "error": {
            "status": 405,
            "code": "method_not_allowed",
            "message": "DELETE is not allowed on /api/pairs",
        }
    }


def test_web_api_openapi_schema_and_docs_page(client):
    schema = get_json(client, "/api/openapi.json")
    assert schema["info"]["title"] == "dyad"
    assert sorted(schema["paths"]) == [
        "/api/countries",
        "/api/countries/{code}",
        "/api/facts",
        "/api/pairs",
        "/api/pairs/{a}/{b}",
        "/api/pairs/{a}/{b}/pulse",
        "/api/pairs/{a}/{b}/timeline",
        "/api/sources",
        "/api/sources/{source_id}",
    ]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "<code>/api/pairs/{a}/{b}/timeline</code>" in docs.text


def test_web_api_security_headers_on_every_response(client):
    for url in ("/", "/api/pairs", "/api/nothing", "/static/dyad.css"):
        headers = client.get(url).headers
        assert headers["content-security-policy"].startswith("default-src 'self'; script-src 'self';")
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"


def test_web_api_reads_through_read_only_connections(client):
    with client.app.state.pool.read() as kb:
        assert kb.store.read_only


def test_web_api_missing_knowledge_base_is_an_error(tmp_path):
    from dyad.errors import StoreError

    with pytest.raises(StoreError, match="no knowledge base there; run 'dyad ingest' first"):
        create_app(tmp_path / "missing.duckdb")
    assert not (tmp_path / "missing.duckdb").exists()


# -- pages --


def test_web_pages_render(client):
    for url, needle in [
        ("/", "Belgium – Syria"),
        ("/pairs/BEL/SYR?at=2013", "embassy in Damascus"),
        ("/pairs/BEL/SYR/state?at=2013", "On <time>2013</time>"),
        ("/sources/1", 'class="source-text"'),
        ("/countries/BEL", 'class="world"'),
        ("/countries", "Global Coalition to Defeat ISIS"),
        ("/pairs", "Belgium – Syria"),
        ("/sources", OTHER),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert needle in response.text, url


def test_web_pages_search_resolves_names_and_redirects(client):
    response = client.get("/pair?a=belgian&b=Syria&at=2013", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/pairs/BEL/SYR?at=2013")
    again = client.get("/pairs/Belgium/SYR", follow_redirects=False)
    assert (again.status_code, again.headers["location"]) == (308, "/pairs/BEL/SYR")
    unknown = client.get("/pair?a=Belgum&b=Syria")
    assert unknown.status_code == 404
    assert "unknown country or organisation &#39;Belgum&#39;" in unknown.text
    assert '<a href="/countries/Belgium">Belgium</a>' in unknown.text


def test_web_pages_state_on_a_date(client):
    html = client.get("/pairs/BEL/SYR/state?at=2010").text
    # relations yes; the two embassies' openings are not stated: unknown
    assert re.findall(r'<li class="entry st-(\w+)">', html)[:3] == ["yes", "unknown", "unknown"]
    later = client.get("/pairs/BEL/SYR/state?at=2013").text
    assert re.findall(r'<li class="entry st-(\w+)">', later)[:3] == ["yes", "no", "unknown"]
    assert "opening not stated; closed 2012" in later


def test_web_pages_source_highlights_every_piece_of_evidence(client, tmp_path):
    html = client.get("/sources/2").text
    assert re.findall(
        r'<mark class="ev" data-facts="(f\d+)"><span class="anchor" id="(ev-\d+-\d+)"></span>', html
    ) == [
        ("f11", "ev-11-0"),
        ("f12", "ev-12-0"),
    ]
    assert '<a href="#ev-12-0" data-fact="f12">' in html


def test_web_pages_country_map_coloured_by_state(client):
    html = client.get("/countries/BEL?at=2013").text
    assert re.search(r'<path class="st-relations" data-code="SYR" d="M', html)
    before = client.get("/countries/BEL?at=1930").text  # Syria was not a state yet
    assert re.search(r'<path class="st-none" data-code="SYR" d="M', before)
    assert re.search(r'<path class="self" data-code="BEL" d="M', html)
    assert '<a href="/pairs/BEL/SYR?at=2013">' in html


# -- escaping: source text is untrusted --

EVIL = """\
= Belgium–Syria relations <script>window.__xss=1</script><img src=x onerror="window.__xss=2"> =

Infobox
- Party1: Belgium
- Party2: Syria
- Mission1: Embassy of Belgium, Damascus <script>window.__xss=3</script>

Belgium closed its embassy in Damascus in 2012 "><svg onload="window.__xss=7">.
"""


def test_web_pages_escape_source_text(tmp_path):
    article = tmp_path / "evil.txt"
    article.write_text(EVIL, encoding="utf-8")
    db = tmp_path / "evil.duckdb"
    with kb_module.open(db) as kb:
        assert kb.ingest([article]).ok
    with TestClient(create_app(db)) as client:
        pages = [client.get(url).text for url in ("/", "/pairs", "/sources", "/sources/1", "/countries/BEL")]
        source = pages[3]
        assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in source
        assert "&lt;script&gt;window.__xss=3&lt;/script&gt;" in source
        assert "&#34;&gt;&lt;svg onload=&#34;window.__xss=7&#34;&gt;" in source
        for html in pages:
            assert "<script>window" not in html
            assert "<svg onload" not in html
            assert "<img src=x" not in html
        api = client.get("/api/sources/1").json()
        assert api["source"]["title"].endswith('<img src=x onerror="window.__xss=2">')


# -- ingest over the web --


def upload(client, data, *, token=TOKEN, name="article.txt"):
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return client.post("/api/sources", files={"file": (name, data, "text/plain")}, headers=headers)


@pytest.fixture
def ingest_client(tmp_path):
    with TestClient(create_app(tmp_path / "web.duckdb", allow_ingest=True, token=TOKEN)) as c:
        yield c


def test_web_ingest_off_by_default(client):
    response = upload(client, b"= A =\n")
    assert response.status_code == 403
    assert response.json()["error"] == {
        "status": 403,
        "code": "ingest_disabled",
        "message": "ingest over the web is off; start dyad serve with --allow-ingest",
    }
    assert client.get("/ingest").status_code == 403


def test_web_ingest_needs_a_token(tmp_path):
    from dyad.errors import DyadError

    with pytest.raises(DyadError, match="needs a token"):
        create_app(tmp_path / "x.duckdb", allow_ingest=True)


def test_web_ingest_adds_an_article(ingest_client, tmp_path):
    data = (EXAMPLES / "belgium-syria-relations.txt").read_bytes()
    response = upload(ingest_client, data, name="../../etc/belgium-syria.txt")
    assert response.status_code == 201
    got = response.json()
    stored = uploads_dir(tmp_path / "web.duckdb") / f"{__import__('hashlib').sha256(data).hexdigest()}.txt"
    assert got == {
        "file": "belgium-syria.txt",
        "status": "added",
        "facts": got["facts"],
        "source": {"id": 1, "path": stored.name, "title": "Belgium–Syria relations"},
    }
    assert got["facts"] > 5 and stored.read_bytes() == data
    assert get_json(ingest_client, "/api/pairs/BEL/SYR?at=2013")["sections"]["relations"]
    again = upload(ingest_client, data)
    assert (again.status_code, again.json()["status"], again.json()["facts"]) == (
        200,
        "unchanged",
        got["facts"],
    )


def test_web_delete_source_with_its_facts(ingest_client):
    data = (EXAMPLES / "belgium-syria-relations.txt").read_bytes()
    upload(ingest_client, data)
    url = "/api/pairs/BEL/SYR?at=2013"
    assert get_json(ingest_client, url)["answers"]["relations"]["value"] == "yes"
    assert ingest_client.delete("/api/sources/1").status_code == 401  # no token
    wrong = ingest_client.delete("/api/sources/1", headers={"authorization": "Bearer nope"})
    assert wrong.status_code == 401
    headers = {"authorization": f"Bearer {TOKEN}"}
    done = ingest_client.delete("/api/sources/1", headers=headers)
    assert done.status_code == 200
    body = done.json()
    assert (body["removed"]["id"], body["removed"]["title"], body["facts"] > 5) == (
        1,
        "Belgium–Syria relations",
        True,
    )
    assert get_json(ingest_client, "/api/sources")["total"] == 0
    assert get_json(ingest_client, url)["answers"]["relations"]["value"] == "unknown"  # cache refreshed
    gone = ingest_client.delete("/api/sources/1", headers=headers)
    assert (gone.status_code, gone.json()["error"]["code"]) == (404, "not_found")


def test_web_delete_source_off_by_default(client):
    response = client.delete("/api/sources/1", headers={"authorization": f"Bearer {TOKEN}"})
    assert (response.status_code, response.json()["error"]["code"]) == (403, "ingest_disabled")
    assert get_json(client, "/api/sources")["total"] == 2


def test_web_ingest_refreshes_cached_answers(ingest_client):
    url = "/api/pairs/BEL/SYR?at=2013"
    before = get_json(ingest_client, url)
    assert not any(before["sections"].values()) and get_json(ingest_client, url) == before  # cached
    page = ingest_client.get("/pairs/BEL/SYR?at=2013")
    assert page.status_code == 200 and "Belgium–Syria relations" not in page.text
    upload(ingest_client, (EXAMPLES / "belgium-syria-relations.txt").read_bytes())
    assert get_json(ingest_client, url)["sections"]["relations"]
    assert "Belgium–Syria relations" in ingest_client.get("/pairs/BEL/SYR?at=2013").text


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"\x00\x01\x02binary", "binary file, not an article"),
        (b"", "empty file: nothing to read"),
        (b"no title line here\n", UNKNOWN_FORMAT),
        (b"= A\xff =\n", "not UTF-8 text (byte 0xFF at offset 3); convert it to UTF-8"),
    ],
)
def test_web_ingest_bad_input_like_the_cli(ingest_client, tmp_path, data, problem):
    response = upload(ingest_client, data, name="bad.txt")
    assert response.status_code == 422
    assert response.json() == {
        "error": {"status": 422, "code": "bad_input", "message": f"bad.txt: {problem}"}
    }
    assert list(uploads_dir(tmp_path / "web.duckdb").iterdir()) == []


def test_web_ingest_wrong_token_is_401(ingest_client):
    for token in ("wrong", None):
        response = upload(ingest_client, b"= A =\n", token=token)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json()["error"]["code"] == "unauthorized"


def test_web_ingest_size_limit_is_413(tmp_path):
    app = create_app(tmp_path / "small.duckdb", allow_ingest=True, token=TOKEN, max_upload_bytes=100)
    with TestClient(app) as client:
        response = upload(client, b"= A =\n" + b"x" * 200)
        assert response.status_code == 413
        assert response.json()["error"]["message"] == "the article is over the limit of 100 bytes"
        huge = upload(client, b"x" * 20_000)
        assert huge.status_code == 413
        assert huge.json()["error"]["message"] == "the upload is over the limit of 100 bytes"


def test_web_ingest_form_page(ingest_client):
    form = ingest_client.get("/ingest")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text
    data = (EXAMPLES / "japan-peru-relations.txt").read_bytes()
    files = {"file": ("japan-peru.txt", data, "text/plain")}
    refused = ingest_client.post("/ingest", files=files, data={"token": "nope"})
    assert refused.status_code == 401 and "a valid ingest token is needed" in refused.text
    done = ingest_client.post("/ingest", files=files, data={"token": TOKEN})
    assert done.status_code == 201
    assert "japan-peru.txt: added" in done.text


def test_pair_page_names_what_a_wikipedia_sentence_cites(tmp_path):
    """The pair page says what each quote's reference cites ("Wikipedia, citing Reuters 2012-03-02"), by
    the quote and in the profile's footnotes, linked only when the reference's address is a web link."""
    from test_profile import CITED_WIKI

    wiki = tmp_path / "chile-norway.wiki"
    wiki.write_text(CITED_WIKI, encoding="utf-8")
    path = tmp_path / "kb.duckdb"
    with kb_module.open(path) as kb:
        assert kb.ingest([wiki]).ok
    with TestClient(create_app(path)) as c:
        page = c.get("/pairs/CHL/NOR").text
    # a wikitext file names no publisher, so the article's title stands for it
    linked = (
        '<a href="https://news.example.org/ties" rel="nofollow noopener">'
        "Chile–Norway relations, citing Daily Courier 1958-05-10</a>"
    )
    assert page.count(linked) == 2  # by the quote, and in the profile's references
    assert page.count("Chile–Norway relations, citing Bad Site</span>") == 2  # not a link
    assert "javascript:" not in page
