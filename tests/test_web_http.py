"""Tests of the web app's HTTP edges: HEAD, 405s, store errors, the cache's bound, what pages link
and show (no server paths), and the renderers the pair page draws with."""

from __future__ import annotations

import json
import logging
import re
import warnings
from pathlib import Path

import pytest

import dyad.kb as kb_module
from dyad.errors import StoreBusy
from dyad.web import create_app
from dyad.web.cache import ENTRY_OVERHEAD, ByteCache
from test_kb import BASE, mini, write
from test_web_api import client, db  # noqa: F401 - fixtures, used by name

with warnings.catch_warnings():  # Starlette asks for httpx2; httpx does the same here
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

assert mini  # a fixture, used by name

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PAGES = ["/", "/pairs", "/pairs/BEL/SYR?at=2013", "/pairs/BEL/SYR/state?at=2013", "/sources", "/sources/1",
         "/countries", "/countries/BEL?at=2013", "/api/docs"]  # fmt: skip
API = ["/api/pairs", "/api/pairs/BEL/SYR?at=2013", "/api/pairs/BEL/SYR/timeline", "/api/pairs/BEL/SYR/pulse",
       "/api/facts?a=BEL", "/api/sources", "/api/sources/1", "/api/sources/2", "/api/countries",
       "/api/countries/BEL", "/api/openapi.json"]  # fmt: skip


# -- methods --


def test_web_head_answers_every_page_and_endpoint_like_get(client):  # noqa: F811
    for url in [*PAGES, *API, "/static/dyad.css"]:
        got, head = client.get(url), client.head(url)
        assert (head.status_code, head.content) == (200, b""), url
        assert head.headers["content-type"] == got.headers["content-type"], url
        assert head.headers["content-length"] == str(len(got.content)), url


def test_web_405_carries_allow(client):  # noqa: F811
    for method, url, allow in [
        ("DELETE", "/api/pairs", "GET, HEAD"),
        ("POST", "/pairs/BEL/SYR", "GET, HEAD"),
        ("PUT", "/api/sources", "GET, HEAD, POST"),
        ("PATCH", "/", "GET, HEAD"),
    ]:
        response = client.request(method, url)
        assert (response.status_code, response.headers["allow"]) == (405, allow), (method, url)
    assert client.request("BREW", "/api/pairs").json() == {
        "error": {"status": 405, "code": "method_not_allowed", "message": "BREW is not allowed on /api/pairs"}
    }
    head = client.head("/api/sources/1", headers={})  # HEAD where GET exists: allowed
    assert head.status_code == 200


# -- store errors --


def test_web_store_gone_is_a_503_in_the_error_shape(tmp_path, caplog):
    path = tmp_path / "gone.duckdb"
    kb_module.open(path).close()
    caplog.set_level(logging.WARNING)
    with TestClient(create_app(path, allow_ingest=True, token="t")) as web:
        path.unlink()
        response = web.get("/api/pairs")
        assert (response.status_code, response.headers["retry-after"]) == (503, "2")
        assert response.json() == {
            "error": {
                "status": 503,
                "code": "store_unavailable",
                "message": "the knowledge base cannot be used just now; the server log says why",
            }
        }
        page = web.get("/pairs")
        assert page.status_code == 503 and "the knowledge base cannot be used just now" in page.text
    assert not any(r.exc_info for r in caplog.records)  # one line each, no traceback
    assert "gone.duckdb: the knowledge base file is gone" in caplog.text
    assert str(tmp_path) not in json.dumps(response.json())


def test_web_store_busy_is_a_503_store_busy(db, caplog):  # noqa: F811
    app = create_app(db)

    def busy() -> None:
        raise StoreBusy(f"{db}: another process is writing the knowledge base")

    app.add_api_route("/api/busy", busy)
    caplog.set_level(logging.WARNING)
    with TestClient(app) as web:
        response = web.get("/api/busy")
    assert (response.status_code, response.headers["retry-after"]) == (503, "2")
    assert response.json()["error"]["code"] == "store_busy"
    assert not any(r.exc_info for r in caplog.records)


# -- the cache --


def test_web_cache_is_bounded_by_bytes_not_entries(db):  # noqa: F811
    bound = 40_000
    with TestClient(create_app(db, cache_bytes=bound)) as web:
        cache = web.app.state.pool.cache
        bodies = {}
        for year in range(1601, 2001):  # 400 distinct questions
            response = web.get(f"/api/facts?since={year}&limit=1")
            assert response.status_code == 200
            bodies[year] = response.content
        sizes = cache.sizes()
        assert 0 < cache.bytes <= bound and cache.bytes == sum(sizes.values())
        assert 0 < len(cache) < 400
        # Each entry is counted for its page's bytes at least: what was asked for, not the facts it came from.
        for key, size in sizes.items():
            year = int(key[1][4])
            assert size >= len(bodies[year]) + ENTRY_OVERHEAD
        again = web.get("/api/facts?since=2000&limit=1")  # the latest is still there
        assert again.content == bodies[2000] and len(cache) == len(sizes)


def test_web_cache_keeps_no_value_over_a_quarter_of_its_bound():
    cache = ByteCache(4_000)
    assert cache.get("big", lambda: b"x" * 1_000) == b"x" * 1_000
    assert len(cache) == 0 and cache.bytes == 0
    cache.get("small", lambda: "y" * 100)
    assert cache.sizes() == {"small": 100 + len("small") + ENTRY_OVERHEAD}
    with pytest.raises(TypeError, match="cache values are bytes or str, not list"):
        cache.get("list", lambda: [1, 2])


# -- what pages show and link --


def test_web_no_server_path_anywhere(client, tmp_path):  # noqa: F811
    for url in [*PAGES, *API, "/sources/2"]:
        body = client.get(url).text
        assert str(tmp_path) not in body, url
    sources = client.get("/api/sources").json()["items"]
    assert [(s["path"], s["paths"]) for s in sources] == [
        ("belgium-syria.txt", ["belgium-syria.txt"]),
        ("other.txt", ["other.txt"]),
    ]


def test_web_paths_shown_tell_same_named_files_apart(tmp_path, mini):
    path = tmp_path / "kb.duckdb"
    with kb_module.open(path) as kb:
        assert kb.ingest(
            [
                write(tmp_path / "v1" / "belgium-syria.txt", "Belgium–Syria relations", *BASE),
                write(tmp_path / "v2" / "belgium-syria.txt", "Belgium–Syria relations", *BASE[:3]),
            ]
        ).ok
    with TestClient(create_app(path)) as web:
        shown = [s["path"] for s in web.get("/api/sources").json()["items"]]
        assert shown == ["v1/belgium-syria.txt", "v2/belgium-syria.txt"]
        state = web.get("/api/pairs/BEL/SYR?at=2013").text
        assert "v1/belgium-syria.txt" in state and "v2/belgium-syria.txt" in state
        assert str(tmp_path) not in state


def test_web_source_page_links_only_pairs_that_have_a_page(tmp_path):
    article = tmp_path / "freedonia.txt"
    article.write_text(
        "= Belgium–Freedonia relations =\n\n"
        "Belgium and Freedonia established diplomatic relations in 1950.\n",
        encoding="utf-8",
    )
    path = tmp_path / "kb.duckdb"
    with kb_module.open(path) as kb:
        assert kb.ingest([article]).ok
    with TestClient(create_app(path)) as web:
        html = web.get("/sources/1").text
        assert "Belgium – Freedonia" in html
        links = re.findall(r'href="(/pairs/[^"]*)"', html)
        assert links == []
        for link in re.findall(r'href="(/[^"#]*)"', web.get("/").text):
            assert web.get(link).status_code == 200, link


def test_web_source_page_links_its_pair(client):  # noqa: F811
    html = client.get("/sources/1").text
    assert '<a href="/pairs/BEL/SYR">Belgium – Syria</a>' in html


# -- the renderers --


def test_web_pair_page_draws_map_chart_and_profile(client):  # noqa: F811
    html = client.get("/pairs/BEL/SYR?at=2013").text
    assert 'id="locator-map"' in html and 'id="country-BEL" class="pair"' in html
    assert '<figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" class="dyad-chart"' in html
    assert '<section class="article"' in html or 'class="article"' in html  # the profile
