"""The HTML pages: home, pair, source, country, the lists, the API docs; readable without JavaScript.

Templates are Jinja2 with autoescape on for every template: source text, titles, names and attribute
values are escaped wherever they appear. The only markup put in unescaped is SVG made by dyad's own
renderers (:mod:`dyad.web.worldmap`, and :mod:`dyad.render` when present), which escape what they put
in. The pair page's date control asks ``/pairs/{a}/{b}/state`` for the state section alone (with
JavaScript); without it, the same form reloads the page.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from dyad import __version__, report
from dyad.edtf import bounds
from dyad.errors import DyadError
from dyad.kb import KnowledgeBase
from dyad.model import FACT_TYPES, Named, StoredFact, actor_key
from dyad.query import Entry, StateTable, Timeline
from dyad.registry import TYPES
from dyad.render.pulse import pulse_svg
from dyad.web import api, ingest, render, views, worldmap
from dyad.web.pool import ReadPool

__all__ = ["error_page", "router"]

#: Pairs listed on the home page, in each of its lists, and per page of /pairs.
HOME_PAIRS = 12
PAGE_SIZE = 100

router = APIRouter(include_in_schema=False)

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("dyad.web", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _paged(items: list[Any], page: int) -> tuple[list[Any], int]:
    """The items of one page of a list, and how many pages it has."""
    return items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE], max(1, math.ceil(len(items) / PAGE_SIZE))


# -- helpers the templates use --


def _name(names: Mapping[str, str], actor: Any) -> str:
    key = actor_key(actor)
    return names.get(key, key.lstrip("*"))


def _who(entry: Entry, names: Mapping[str, str]) -> str:
    if TYPES[entry.type].is_symmetric(entry.attrs):
        return ""
    return f"{_name(names, entry.actor)} {report.ARROW} {_name(names, entry.target)}"


def _span(start: str | None, end: str | None, when: str | None) -> str:
    if end:
        return f"{start or 'start not stated'} – {end}"
    if start:
        return f"since {start}"
    return when or "time not stated"


def _entry_when(entry: Entry) -> str:
    """An entry's time as the state shows it for its status (in-force, ended, event …)."""
    if entry.status == "event":
        return entry.date or "date not stated"
    if entry.status == "ended":
        return f"ended {entry.end}" + (f" (since {entry.start})" if entry.start else "")
    if entry.status == "undated":
        return "time not stated"
    if entry.status == "unknown":
        return f"start not stated; ends {entry.end}"
    return f"since {entry.start}" + (f", until {entry.end}" if entry.end else "")


def _fact_entry(sf: StoredFact) -> Entry:
    f = sf.fact
    return Entry(f.type, f.actor, f.target, f.attrs, f.start, f.end, f.date, (sf,), polarity=f.polarity)


def _fact_when(sf: StoredFact) -> str:
    f = sf.fact
    if TYPES[f.type].default_slot == "date" or (f.date and not (f.start or f.end)):
        return f.date or "time not stated"
    return _span(f.start, f.end, f.date)


def _pair_url(a: Any, b: Any, at: str | None = None) -> str:
    url = f"/pairs/{quote(actor_key(a), safe='')}/{quote(actor_key(b), safe='')}"
    return f"{url}?{urlencode({'at': at})}" if at else url


def _linkable(a: Any, b: Any) -> bool:
    """Whether a pair has a page: two different actors that resolve (not names read but unresolved)."""
    return not isinstance(a, Named) and not isinstance(b, Named) and actor_key(a) != actor_key(b)


def _country_url(code: str) -> str:
    return f"/countries/{quote(code, safe='')}"


def _evidence_ids(covered: tuple[tuple[int, int], ...]) -> str:
    return " ".join(f"f{fid}" for fid in dict.fromkeys(fid for fid, _ in covered))


def _story_url(source: Any) -> str | None:
    """The web address of a news story, when it is one a page may link (http or https only: the address
    comes from the story and is untrusted)."""
    url = getattr(source, "url", None) or ""
    return (
        url if getattr(source, "format", "") == "news" and url.startswith(("https://", "http://")) else None
    )


def _pulse_svg(kb: Any, a: str, b: str) -> tuple[Markup, str] | None:
    """The pair's pulse chart and its period (months, or quarters or years when the months are too many
    to draw); None when the pair has no dated event."""
    for by in ("month", "quarter", "year"):
        found = kb.pulse(a, b, by=by)
        if len(found.periods) <= PULSE_PERIODS:
            break
    if not found.events:
        return None
    return Markup(pulse_svg(found)), by  # the chart escapes every label it writes


def _citation(source: Any, evidence: Any) -> tuple[str, str | None] | None:
    """("Wikipedia, citing Reuters 2012-03-02", its address when it is an http(s) link) for evidence that
    carries a reference; None otherwise. The reference comes from the source and is untrusted."""
    ref = getattr(evidence, "ref", None)
    if not ref:
        return None
    url = ref.get("url")
    link = url if isinstance(url, str) and url.startswith(("https://", "http://")) else None
    return report.citation_label(source, ref), link


#: The most periods the pair page's pulse chart draws before it counts by a longer period.
PULSE_PERIODS = 48

_env.globals.update(
    story_url=_story_url,
    citation=_citation,
    version=__version__,
    arrow=report.ARROW,
    describe=report.describe,
    who=_who,
    entry_when=_entry_when,
    fact_entry=_fact_entry,
    fact_when=_fact_when,
    entry_sources=views.entry_sources,
    pair_url=_pair_url,
    linkable=_linkable,
    country_url=_country_url,
    actor_key=actor_key,
    section_titles=report.TITLES,
    answer_words=report.answer_words,
    change_words=report.change_words,
    item_what=report.item_what,
    head_what=report.head_what,
    type_labels={name: t.label for name, t in TYPES.items()},
    evidence_ids=_evidence_ids,
    map_states=views.MAP_STATES,
    fact_types=tuple(FACT_TYPES),
)


def _html(request: Request, template: str, **context: Any) -> str:
    context.setdefault("title", "dyad")
    return _env.get_template(template).render(
        ingest_enabled=request.app.state.ingest.allowed, path=request.url.path, **context
    )


def _render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(_html(request, template, **context), status_code)


def error_page(request: Request, status: int, message: str, **extra: Any) -> HTMLResponse:
    """The HTML page for an error: the status, the message, and suggestions for an unknown country."""
    return _render(
        request,
        "error.html",
        status,
        title=f"{status} · dyad",
        status=status,
        message=message,
        suggestions=extra.get("suggestions", []),
    )


def _pool(request: Request) -> ReadPool:
    return request.app.state.pool  # type: ignore[no-any-return]


# -- home and search --


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    pool = _pool(request)
    with pool.read() as kb:
        recent = [p for p in api.sorted_pairs(pool, kb, "recent") if p.resolved and p.ingested_at]
        biggest = [p for p in api.sorted_pairs(pool, kb, "facts") if p.resolved]
        countries = pool.kept("countries", lambda: views.countries(kb))
    return _render(
        request,
        "home.html",
        title="dyad: relations between countries",
        recent=recent[:HOME_PAIRS],
        biggest=biggest[:HOME_PAIRS],
        countries=countries,
    )


@router.get("/pair")
def find_pair(
    request: Request,
    a: str = Query("", max_length=200),
    b: str = Query("", max_length=200),
    at: str = Query("", max_length=40),
) -> Response:
    """The home page's search form: resolve the two names and go to the pair's page."""
    if not a.strip() or not b.strip():
        raise DyadError("name two countries, by name, code or adjective (Belgium, SYR, Syrian)")
    with _pool(request).read() as kb:
        ca, cb = kb.resolve(a), kb.resolve(b)
    if ca == cb:
        raise DyadError(f"'{a}' and '{b}' are both {kb.name(ca)}; name two different countries")
    return RedirectResponse(_pair_url(ca, cb, at.strip() or None), 303)


# -- pairs --


@router.get("/pairs", response_class=HTMLResponse)
def pairs_page(
    request: Request,
    sort: str = Query("facts", pattern="^(pair|facts|sources|recent)$"),
    page: int = Query(1, ge=1, le=10**6),
) -> Response:
    pool = _pool(request)
    with pool.read() as kb:
        pairs = api.sorted_pairs(pool, kb, sort)
    shown, pages = _paged(pairs, page)
    return _render(
        request,
        "pairs.html",
        title="Pairs · dyad",
        pairs=shown,
        total=len(pairs),
        sort=sort,
        page=page,
        pages=pages,
    )


def _canonical(kb: KnowledgeBase, a: str, b: str) -> tuple[str, str]:
    ca, cb = kb.resolve(a), kb.resolve(b)
    if ca == cb:
        raise DyadError(f"'{a}' and '{b}' are both {kb.name(ca)}; name two different countries")
    return ca, cb


def _years(timeline: Timeline) -> tuple[int, int]:
    """The span of years a pair's date control covers: from the year before either the first dated
    event or the later of the two states began (so that "before" can be seen), to this year."""
    this_year = date.today().year
    firsts = [b[0] // 10000 for ev in timeline.events if (b := bounds(ev.when))]
    table = StateTable.default()
    began = [d // 10000 for d in (table.began(timeline.a), table.began(timeline.b)) if d is not None]
    if began:
        firsts.append(max(began))
    first = min(firsts, default=this_year - 50) - 1
    return min(first, this_year - 1), this_year


@router.get("/pairs/{a}/{b}", response_class=HTMLResponse)
def pair_page(request: Request, a: str, b: str, at: str | None = Query(None, max_length=40)) -> Response:
    pool = _pool(request)
    with pool.read() as kb:
        ca, cb = _canonical(kb, a, b)
        if (ca, cb) != (a, b):
            return RedirectResponse(_pair_url(ca, cb, at), 308)
        when = api.kb_date(at)
        # The page as asked for (its date as given shows in the form), kept by its bytes.
        html = pool.cached(
            ("pair-page", ca, cb, when, at or ""), lambda: _pair_html(request, pool, kb, ca, cb, when, at)
        )
    return HTMLResponse(html)


def _pair_html(
    request: Request, pool: ReadPool, kb: KnowledgeBase, ca: str, cb: str, when: str, at: str | None
) -> str:
    view = views.pair_view(kb, ca, cb, when)
    state, timeline, facts = view.state, view.timeline, view.facts
    extras = render.pair_extras(kb, ca, cb, when, timeline, facts)
    pulse = _pulse_svg(kb, ca, cb)
    names = state.names
    first, last = _years(timeline)
    return _html(
        request,
        "pair.html",
        title=f"{names.get(ca, ca)} – {names.get(cb, cb)} · dyad",
        state=state,
        timeline=timeline,
        facts=_group_facts(facts),
        n_facts=len(facts),
        extras=extras,
        pulse=pulse,
        first_year=first,
        last_year=last,
        at_year=(bounds(when) or (last * 10000,))[0] // 10000,
        at_given=at or "",
    )


@router.get("/pairs/{a}/{b}/state", response_class=HTMLResponse)
def pair_state_fragment(
    request: Request, a: str, b: str, at: str | None = Query(None, max_length=40)
) -> Response:
    """The state section of a pair page alone, for the date control."""
    with _pool(request).read() as kb:
        state = kb.show(*_canonical(kb, a, b), at=api.kb_date(at))
    return HTMLResponse(_env.get_template("_state.html").render(state=state))


def _group_facts(facts: list[StoredFact]) -> list[tuple[str, list[StoredFact]]]:
    by_type: dict[str, list[StoredFact]] = {}
    for sf in facts:
        by_type.setdefault(sf.fact.type, []).append(sf)
    return [(t, by_type[t]) for t in FACT_TYPES if t in by_type]


# -- sources --


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, page: int = Query(1, ge=1, le=10**6)) -> Response:
    pool = _pool(request)
    with pool.read() as kb:
        found = pool.kept("sources", kb.sources)
    shown, pages = _paged(found, page)
    return _render(
        request,
        "sources.html",
        title="Sources · dyad",
        sources=shown,
        total=len(found),
        page=page,
        pages=pages,
    )


@router.get("/sources/{source_id}", response_class=HTMLResponse)
def source_page(request: Request, source_id: int) -> Response:
    if not 1 <= source_id < 2**31:
        raise api.NotFound(f"no source {source_id}")
    with _pool(request).read() as kb:
        source = kb.store.source(source_id)
        if source is None:
            raise api.NotFound(f"no source {source_id}; the sources page lists them")
        facts = views.source_facts(kb, source)
        names = kb.names()
    segments = views.highlight(source.text or "", facts)
    return _render(
        request,
        "source.html",
        title=f"{source.title} · dyad",
        source=source,
        facts=facts,
        names=names,
        segments=segments,
    )


# -- countries --


@router.get("/countries", response_class=HTMLResponse)
def countries_page(request: Request) -> Response:
    pool = _pool(request)
    with pool.read() as kb:
        found = pool.kept("countries", lambda: views.countries(kb))
    return _render(
        request, "countries.html", title="Countries · dyad", countries=[c for c in found if c.pairs]
    )


@router.get("/countries/{code}", response_class=HTMLResponse)
def country_page(request: Request, code: str, at: str | None = Query(None, max_length=40)) -> Response:
    pool = _pool(request)
    with pool.read() as kb:
        resolved = kb.resolve(code)
        if resolved != code:
            url = _country_url(resolved) + (f"?{urlencode({'at': at})}" if at else "")
            return RedirectResponse(url, 308)
        html = pool.cached(
            ("country-page", resolved, at or ""), lambda: _country_html(request, pool, kb, resolved, at)
        )
    return HTMLResponse(html)


def _country_html(request: Request, pool: ReadPool, kb: KnowledgeBase, code: str, at: str | None) -> str:
    when = api.kb_date(at)
    partners = views.country_partners(kb, code, when)
    country = api.country_of(pool, kb, code)
    classes = {p.code: f"st-{p.state}" for p in partners}
    classes[code] = "self"
    titles = {p.code: f"{p.name}: {views.MAP_STATES[p.state]}" for p in partners}
    titles[code] = country.name
    svg = worldmap.world_svg(
        classes,
        titles=titles,
        link=lambda c: _pair_url(code, c, at) if c != code else None,
        label=f"Relations of {country.name} on {when}",
        ring=code,
    )
    return _html(
        request,
        "country.html",
        title=f"{country.name} · dyad",
        country=country,
        partners=partners,
        at=when,
        at_given=at or "",
        world=Markup(svg),  # noqa: S704 - built by worldmap, which escapes every value
    )


# -- API docs --


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    """The API described from its OpenAPI schema, as a page that needs nothing from elsewhere."""
    schema = request.app.openapi()
    endpoints = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            params = [
                {
                    "name": p["name"],
                    "in": p["in"],
                    "required": p.get("required", False),
                    "description": p.get("description", ""),
                    "type": _schema_type(p.get("schema", {})),
                }
                for p in op.get("parameters", [])
            ]
            endpoints.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "params": params,
                }
            )
    return _render(request, "docs.html", title="API · dyad", endpoints=endpoints, info=schema.get("info", {}))


def _schema_type(schema: Mapping[str, Any]) -> str:
    if "anyOf" in schema:
        return " or ".join(_schema_type(s) for s in schema["anyOf"] if s.get("type") != "null")
    text = str(schema.get("type", ""))
    if "pattern" in schema:
        text += f" {schema['pattern'].strip('^$')}"
    if "minimum" in schema or "maximum" in schema:
        text += f" {schema.get('minimum', '')}..{schema.get('maximum', '')}"
    return text


# -- ingest form --


@router.get("/ingest", response_class=HTMLResponse)
def ingest_form(request: Request) -> Response:
    settings = ingest.check_allowed(request)
    return _render(request, "ingest.html", title="Ingest · dyad", limit=settings.max_bytes, outcome=None)


@router.post("/ingest", response_class=HTMLResponse)
async def ingest_post(request: Request) -> Response:
    """The upload form's article; the form sends its token before the file, which is checked first."""
    settings = ingest.check_allowed(request)
    received = await ingest.receive_upload(request, settings, form_token=True)
    outcome = await ingest.ingest_upload(request, received)
    return _render(
        request,
        "ingest.html",
        201 if outcome.status == "added" else 200,
        title="Ingest · dyad",
        limit=settings.max_bytes,
        outcome=outcome,
    )
