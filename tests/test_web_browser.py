"""The web pages in a real browser: Playwright driving Debian's chromium against ``dyad serve``'s app.

A person's path through the site: search two countries with the type-ahead, read the pair page, move
the date (the state changes without a reload), open a source and see the evidence highlighted, open a
country's map. Then the same pages without JavaScript, on a phone, and with hostile sources whose
scripts must never run. Skips, with the reason, when Playwright or chromium is missing.

Set ``DYAD_SCREENSHOTS=DIR`` to keep a screenshot of each page there (docs/screenshots in the repo).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import dyad.kb as kb_module
from dyad.web import create_app

playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
uvicorn = pytest.importorskip("uvicorn", reason="uvicorn is not installed")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("chromium is not installed (.ci/run installs Debian's)", allow_module_level=True)

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SHOTS = os.environ.get("DYAD_SCREENSHOTS")
TIMEOUT_MS = 10_000
LAPTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}

# Hostile sources: scripts and attributes in the title, the infobox, the prose and the See also list.
EVIL_TITLE = """\
= Belgium–Syria relations <script>window.__xss=1</script><img src=x onerror="window.__xss=2"> =

Infobox
- Party1: Belgium
- Party2: Syria

Belgium and Syria established diplomatic relations on 20 March 1946.

== See also ==
- Foreign relations of <script>window.__xss=8</script>
"""
EVIL_BODY = """\
= Belgium–Syria relations =

Infobox
- Party1: Belgium
- Party2: Syria
- Mission1: Embassy of Belgium, Damascus <script>window.__xss=3</script>
- Mission2: Embassy of Syria, Brussels" onmouseover="window.__xss=4
- Envoytitle1: Chargé d'affaires <b onclick="window.__xss=5">(1946)</b>

Belgium and Syria established diplomatic relations on 20 March 1946 <script>window.__xss=6</script>.
Belgium closed its embassy in Damascus in 2012 "><svg onload="window.__xss=7">.
"""


# How many elements carry an event-handler attribute (onclick, onerror ...): none should.
ON_ATTRIBUTES = (
    "[...document.querySelectorAll('*')]"
    ".filter(e => [...e.attributes].some(a => a.name.toLowerCase().startsWith('on'))).length"
)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(db: Path) -> Iterator[str]:
    """The app over ``db`` on a free loopback port, in a thread, for as long as the generator runs."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[str]:
    """The example articles, served."""
    db = tmp_path_factory.mktemp("site") / "kb.duckdb"
    with kb_module.open(db) as kb:
        assert kb.ingest([EXAMPLES]).ok
    yield from _serve(db)


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory) -> Iterator[str]:
    """The example about Belgium and Syria, and two hostile articles about them, served."""
    folder = tmp_path_factory.mktemp("evil")
    (folder / "evil-title.txt").write_text(EVIL_TITLE, encoding="utf-8")
    (folder / "evil-body.txt").write_text(EVIL_BODY, encoding="utf-8")
    db = folder / "kb.duckdb"
    with kb_module.open(db) as kb:
        assert kb.ingest([folder, EXAMPLES / "belgium-syria-relations.txt"]).ok
    yield from _serve(db)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=LAPTOP)
    context.set_default_timeout(TIMEOUT_MS)
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield p
    context.close()
    assert errors == []


def shot(page, name: str, *, full_page: bool = False) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=full_page)


def fits_width(page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_web_browser_search_pair_date_source_country(site, page):
    # search: the type-ahead finds countries by name, and by adjective
    page.goto(site + "/")
    page.fill("#pick-a", "Belg")
    suggestion = page.locator("#pick-a ~ ul.suggestions li").first
    playwright_api.expect(suggestion).to_contain_text("Belgium")
    playwright_api.expect(suggestion).to_contain_text("BEL · Belgian")
    shot(page, "home")
    suggestion.click()
    assert page.input_value("#pick-a") == "Belgium"
    page.fill("#pick-b", "Syrian")
    playwright_api.expect(page.locator("#pick-b ~ ul.suggestions li").first).to_contain_text("Syria")
    page.keyboard.press("Enter")  # picks the highlighted suggestion
    assert page.input_value("#pick-b") == "Syria"
    page.click("form.pick button")
    page.wait_for_url("**/pairs/BEL/SYR")

    # the pair page: state today, map, chart
    playwright_api.expect(page.locator("h1")).to_have_text("Belgium – Syria")
    damascus = page.locator("#state li.entry", has_text="embassy in Damascus")
    playwright_api.expect(damascus).to_have_class("entry st-no")  # closed in 2012
    shot(page, "pair")

    # move the date: the state changes in place, the page is not reloaded
    page.evaluate("window.__same_page = true")
    page.locator("[data-year-slider]").fill("2005")
    playwright_api.expect(page.locator("#state .state")).to_have_attribute("data-at", "2005")
    playwright_api.expect(damascus).to_have_class("entry st-unknown")  # its opening is not stated
    assert page.evaluate("window.__same_page") is True
    assert page.url.endswith("/pairs/BEL/SYR?at=2005")
    page.fill("#at", "March 2011")
    page.click("form.when-form button")
    playwright_api.expect(page.locator("#state h2")).to_have_text("On 2011-03")
    playwright_api.expect(damascus).to_have_class("entry st-unknown")
    assert page.evaluate("window.__same_page") is True
    shot(page, "pair-date")

    # open a source from a citation: the evidence is highlighted and in view
    damascus.locator(".cite a").first.click()
    page.wait_for_url("**/sources/*#ev-*")
    active = page.locator("mark.ev.active")
    playwright_api.expect(active.first).to_be_visible()
    playwright_api.expect(active.first).to_be_in_viewport()
    # choosing another fact in the index scrolls to its evidence and highlights it
    fact = page.locator(".fact-index a", has_text="humanitarian aid").first
    fact_id = fact.get_attribute("data-fact")
    fact.click()
    marks = page.locator(f'mark.ev.active[data-facts~="{fact_id}"]')
    playwright_api.expect(marks.first).to_be_in_viewport()
    assert "humanitarian aid" in marks.first.inner_text()
    playwright_api.expect(page.locator("mark.ev.active")).to_have_count(marks.count())
    shot(page, "source")

    # the country page: a world map coloured by the state of relations
    page.click("text=Belgium – Syria")
    page.click("h1 a >> text=Belgium")
    page.wait_for_url("**/countries/BEL")
    playwright_api.expect(page.locator('svg.world [data-code="SYR"]')).to_have_class("st-relations")
    playwright_api.expect(page.locator('svg.world [data-code="BEL"]')).to_have_class("self")
    playwright_api.expect(page.locator("table.partners")).to_contain_text("Syria")
    shot(page, "country")


def test_web_browser_a_pair_before_relations_began(site, page):
    """Belgium and Syria in 1940, before relations (1946) and before Syria was a state: the page, its
    profile, its chart and the country map say no, and state nothing that began later."""
    page.goto(site + "/pairs/BEL/SYR?at=1940")
    state = page.locator("#state")
    playwright_api.expect(state.locator(".sec-relations li.entry")).to_have_class("entry st-no")
    playwright_api.expect(state.locator(".sec-missions li.entry")).to_have_count(2)
    for entry in state.locator(".sec-missions li.entry").all():
        playwright_api.expect(entry).to_have_class("entry st-no")
    assert "SYR was not a state then" in state.inner_text()
    # the date control reaches back before relations began, to the year before Syria became a state
    assert int(page.get_attribute("[data-year-slider]", "min")) <= 1945
    # the profile as of 1940 tells nothing that began after it
    article = page.locator("section.article")
    if article.count():
        text = article.inner_text()
        for later in ("1946", "2011", "2012", "embassy", "ambassador", "chargé"):
            assert later not in text.split("References")[0], later
    # the chart draws the Damascus embassy, whose opening is not stated, from relations, not the edge
    chart = page.locator("figure.chart svg")
    relations = chart.locator('g.lane[data-lane="Diplomatic relations"] rect.bar').first
    damascus = chart.locator('g.lane[data-lane^="Belgium embassy"] rect.bar').first
    playwright_api.expect(damascus).to_have_class("bar unknown-start")
    assert float(damascus.get_attribute("x")) == float(relations.get_attribute("x"))
    shot(page, "pair-before-relations", full_page=True)
    # the country map in 1940: no relations with Syria
    page.goto(site + "/countries/BEL?at=1940")
    playwright_api.expect(page.locator('svg.world [data-code="SYR"]')).to_have_class("st-none")
    playwright_api.expect(page.locator("table.partners tr", has_text="Syria")).to_contain_text("no relations")


def test_web_browser_reading_without_javascript(site, browser):
    context = browser.new_context(viewport=LAPTOP, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(site + "/")
        page.fill("#pick-a", "Japan")
        page.fill("#pick-b", "Peruvian")
        page.click("form.pick button")
        page.wait_for_url("**/pairs/JPN/PER")
        playwright_api.expect(page.locator("[data-year-slider]")).to_be_hidden()  # needs JavaScript
        page.fill("#at", "1930")
        page.click("form.when-form button")
        page.wait_for_url("**/pairs/JPN/PER?at=1930")
        playwright_api.expect(page.locator("#state h2")).to_have_text("On 1930")
        page.locator(".fact-list .cite a").first.click()
        page.wait_for_url("**/sources/*#ev-*")
        playwright_api.expect(page.locator("mark.ev:has(> .anchor:target)")).to_have_count(1)
    finally:
        context.close()


def test_web_browser_fits_a_phone(site, browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        for url, name in [
            ("/", "phone-home"),
            ("/pairs/BEL/SYR?at=2013", "phone-pair"),
            ("/sources/2", "phone-source"),
            ("/countries/BEL", "phone-country"),
        ]:
            page.goto(site + url)
            assert fits_width(page), url
            shot(page, name)
    finally:
        context.close()


def test_web_browser_hostile_sources_never_run(evil_site, page):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(evil_site + "/sources")
    titles = page.locator("table.source-table td a").all_inner_texts()
    assert any("<script>window.__xss=1</script>" in t for t in titles)
    urls = ["/", "/pairs", "/sources", "/countries", "/countries/BEL", "/pairs/BEL/SYR?at=2013"]
    urls += [page.locator("table.source-table td a").nth(i).get_attribute("href") for i in range(len(titles))]
    for url in urls:
        page.goto(evil_site + url)
        page.mouse.move(200, 300)
        for mark in page.locator("mark.ev").all()[:20]:
            mark.hover()
            mark.click()
        assert page.evaluate("typeof window.__xss") == "undefined", url
        assert page.evaluate("document.querySelectorAll('script:not([src])').length") == 0, url
        assert page.evaluate(ON_ATTRIBUTES) == 0, url
    # the hostile markup is shown as the text it is
    page.goto(evil_site + "/sources/1")  # evil-body.txt, ingested first
    text = page.locator("article.source-text").inner_text()
    assert "Damascus <script>window.__xss=3</script>" in text
    assert '2012 "><svg onload="window.__xss=7">.' in text
    playwright_api.expect(page.locator("mark.ev", has_text="<script>window.__xss=3</script>")).to_have_count(
        1
    )
    page.goto(evil_site + "/sources/2")  # evil-title.txt
    playwright_api.expect(page.locator("h1")).to_have_text(
        'Belgium–Syria relations <script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
    )
    assert dialogs == []
