"""The JSON API under ``/api``: pairs, a pair's state, timeline and pulse, facts, sources and countries.

Names are those of facts.md and of the CLI's JSON: a pair's state is exactly ``dyad show --format
json``, its timeline ``dyad timeline --format json``, a fact the facts.md fact with its ``id`` and its
source. Countries in paths and parameters take names, codes or adjectives, as on the command line.
Lists are paged: ``{"total", "limit", "offset", "items"}``. Every error has one shape (see
:mod:`dyad.web.app`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from itertools import islice
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from dyad.errors import DyadError
from dyad.kb import KnowledgeBase, parse_date
from dyad.model import FACT_TYPES, actor_json
from dyad.render.pulse import pulse_dict
from dyad.store_rows import gc_paused
from dyad.web import views
from dyad.web.pool import ReadPool
from dyad.web.shapes import JSON, fact_json, page, state_json, timeline_json

__all__ = ["FACTS_SCAN_LIMIT", "MAX_LIMIT", "router"]

#: The largest page a list endpoint returns.
MAX_LIMIT = 500
#: Above this many facts in the knowledge base, listing facts needs a country (``a``).
FACTS_SCAN_LIMIT = 200_000

router = APIRouter(prefix="/api", default_response_class=JSON)

T = TypeVar("T")

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=10**9, description="Items to skip.")]
Actor = Annotated[str, Path(min_length=1, max_length=200, description="A country: name, code or adjective.")]
At = Annotated[
    str | None,
    Query(max_length=40, description="Date, EDTF or plain (2013, 2013-05, 20 March 1946); default today."),
]


def pool_of(request: Request) -> ReadPool:
    return request.app.state.pool  # type: ignore[no-any-return]


# -- countries --


@router.get("/countries", summary="Countries, for a type-ahead or a list")
def list_countries(
    request: Request,
    q: Annotated[str, Query(max_length=100, description="Name, code or adjective, or its start.")] = "",
    limit: Limit = 20,
    offset: Offset = 0,
) -> Response:
    """States and organisations matching ``q`` (all of them when empty, those in most pairs first)."""
    pool = pool_of(request)
    with pool.read() as kb:
        found = pool.kept("countries", lambda: views.countries(kb))
    matched = views.search_countries(found, q, len(found))
    return JSON(page([c.to_json() for c in matched[offset : offset + limit]], len(matched), limit, offset))


@router.get("/countries/{code}", summary="A country and the state of relations with each partner")
def get_country(request: Request, code: Actor, at: At = None) -> Response:
    """The country, and every partner the knowledge base knows with the state of relations on ``at``.

    ``state`` is one of ``missions``, ``relations``, ``severed``, ``facts`` (see ``states``).
    """
    pool = pool_of(request)
    with pool.read() as kb:
        resolved = kb.resolve(code)
        when = kb_date(at)
        body = pool.cached(("country", resolved, when), lambda: _country_json(pool, kb, resolved, when))
    return Response(body, media_type=JSON.media_type)


def _country_json(pool: ReadPool, kb: KnowledgeBase, code: str, when: str) -> bytes:
    partners = views.country_partners(kb, code, when)
    country = country_of(pool, kb, code)
    return bytes(
        JSON(
            {
                **country.to_json(),
                "at": when,
                "states": dict(views.MAP_STATES),
                "partners": [p.to_json() for p in partners],
            }
        ).body
    )


def country_of(pool: ReadPool, kb: KnowledgeBase, code: str) -> views.Country:
    found = pool.kept("countries", lambda: views.countries(kb))
    for c in found:
        if c.code == code:
            return c
    return views.Country(code, kb.name(code), None, "organisation")


def kb_date(at: str | None) -> str:
    """The EDTF of ``at`` (EDTF or plain English), today when not given."""
    return parse_date(at) if at and at.strip() else date.today().isoformat()


# -- pairs --


@router.get("/pairs", summary="Pairs the knowledge base holds facts about")
def list_pairs(
    request: Request,
    country: Annotated[
        str | None, Query(max_length=200, description="Only pairs with this country (name, code, adjective).")
    ] = None,
    sort: Annotated[str, Query(pattern="^(pair|facts|sources|recent)$", description="Order.")] = "pair",
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    """Pairs with their names, fact and source counts, and the last time one of their sources came in.

    ``sort``: ``pair`` (by codes), ``facts`` or ``sources`` (most first), ``recent`` (latest first).
    """
    pool = pool_of(request)
    with pool.read() as kb:
        code = kb.resolve(country) if country else None
        pairs = sorted_pairs(pool, kb, sort)
    if code is not None:
        pairs = [p for p in pairs if code in (p.a, p.b)]
    return JSON(page([p.to_json() for p in pairs[offset : offset + limit]], len(pairs), limit, offset))


def sorted_pairs(pool: ReadPool, kb: KnowledgeBase, sort: str) -> list[views.Pair]:
    return pool.kept(
        ("pairs", sort),
        lambda: sorted(pool.kept("pairs", lambda: views.pair_list(kb)), key=views.PAIR_SORTS[sort]),
    )


@router.get("/pairs/{a}/{b}", summary="The state of relations between two countries on a date")
async def pair_state(request: Request, a: Actor, b: Actor, at: At = None) -> Response:
    """What held between ``a`` and ``b`` on ``at``: ``dyad show --format json``."""
    return await in_place(pool_of(request), _pair_state, a, b, at)


def _pair_state(pool: ReadPool, a: str, b: str, at: str | None) -> Response:
    with pool.read() as kb:
        key = ("state", kb.resolve(a), kb.resolve(b), kb_date(at))
        with gc_paused():  # acyclic objects only: see KnowledgeBase.show
            body = pool.cached(key, lambda: JSON(state_json(kb.show(a, b, at=at))).body)
    return Response(body, media_type=JSON.media_type)


async def in_place(pool: ReadPool, fn: Callable[..., T], *args: Any) -> T:
    """``fn(pool, *args)``, run on the event loop.

    A pair's state or timeline is two milliseconds of Python under the GIL: a worker thread would run
    it no sooner, and the hop there and back costs a tenth of that (bench/serve.py, two workers: 864
    requests/s against 684). No read waits for a write (:mod:`dyad.web.pool`), so none can stop the
    loop.
    """
    return fn(pool, *args)


@router.get("/pairs/{a}/{b}/timeline", summary="Every dated fact of a pair, in time order")
async def pair_timeline(request: Request, a: Actor, b: Actor) -> Response:
    """Start, end and date events in time order, undated entries apart: ``dyad timeline --format json``."""
    return await in_place(pool_of(request), _pair_timeline, a, b)


def _pair_timeline(pool: ReadPool, a: str, b: str) -> Response:
    with pool.read() as kb:
        timeline = kb.timeline(a, b)
    return JSON(timeline_json(timeline))


@router.get("/pairs/{a}/{b}/pulse", summary="A pair's events by month, quarter or year")
async def pair_pulse(
    request: Request,
    a: Actor,
    b: Actor,
    by: Annotated[Literal["month", "quarter", "year"], Query(description="Count by this period.")] = "month",
) -> Response:
    """Per period: events, cooperation and conflict (CAMEO quad classes), summed and mean Goldstein
    value; a period with no events between others has ``null`` counts (no data, not zero):
    ``dyad pulse --format json``."""
    return await in_place(pool_of(request), _pair_pulse, a, b, by)


def _pair_pulse(pool: ReadPool, a: str, b: str, by: str) -> Response:
    with pool.read() as kb:
        found = kb.pulse(a, b, by=by)
    return JSON(pulse_dict(found))


# -- facts --


@router.get("/facts", summary="Facts, filtered by pair, type and dates")
def list_facts(
    request: Request,
    a: Annotated[str | None, Query(max_length=200, description="Only facts involving this country.")] = None,
    b: Annotated[str | None, Query(max_length=200, description="With a: only facts between a and b.")] = None,
    type: Annotated[
        str | None, Query(pattern="^(" + "|".join(FACT_TYPES) + ")$", description="Only this fact type.")
    ] = None,
    since: Annotated[
        str | None, Query(max_length=40, description="Only facts reaching this date or later.")
    ] = None,
    until: Annotated[
        str | None, Query(max_length=40, description="Only facts reaching this date or earlier.")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    """Stored facts in the order they were stored (source by source, each in document order); a date
    filter leaves out facts with no date."""
    pool = pool_of(request)
    with pool.read() as kb:
        if a is None:
            if b is not None:
                raise DyadError("give the first country (a) before the second (b)")
            total = pool.kept("counts", kb.store.counts)["facts"]
            if total > FACTS_SCAN_LIMIT:
                raise DyadError(
                    f"the knowledge base holds {total:,} facts; give a country (a=…) to list them"
                )
        # The page asked for is kept, by its bytes; the facts it was cut from are not.
        key = ("facts", a, b, type, since, until, limit, offset)
        body = pool.cached(key, lambda: _facts_page(kb, a, b, type, since, until, limit, offset))
    return Response(body, media_type=JSON.media_type)


def _facts_page(
    kb: KnowledgeBase,
    a: str | None,
    b: str | None,
    type: str | None,
    since: str | None,
    until: str | None,
    limit: int,
    offset: int,
) -> bytes:
    """One page of facts, read a batch at a time (:meth:`dyad.store.Store.iter_facts`): the facts before
    the page are passed over, those after it never read, and the total is one count."""
    filters = kb.facts_filters(a, b, type, since, until)
    total = kb.store.count_facts(**filters)
    items = [fact_json(sf) for sf in islice(kb.store.iter_facts(**filters), offset, offset + limit)]
    return bytes(JSON(page(items, total, limit, offset)).body)


# -- sources --


@router.get("/sources", summary="Sources, without their text")
def list_sources(request: Request, limit: Limit = 50, offset: Offset = 0) -> Response:
    """Every source by path, with its fact count and ingest time."""
    pool = pool_of(request)
    with pool.read() as kb:
        found = pool.kept("sources", kb.sources)
    items = [{"id": s.id, **s.to_json()} for s in found[offset : offset + limit]]
    return JSON(page(items, len(found), limit, offset))


@router.get("/sources/{source_id}", summary="One source: the facts.md document, with its text")
def get_source(request: Request, source_id: Annotated[int, Path(ge=1, le=2**31 - 1)]) -> Response:
    """The source as a facts.md document (``source``, ``parties``, ``facts``, ``links``) with its ``id``,
    ``ingested_at`` and full ``text``; each fact has its ``id`` and evidence offsets into the text."""
    with pool_of(request).read() as kb:
        source = kb.store.source(source_id)
        if source is None:
            raise NotFound(f"no source {source_id}; /api/sources lists them")
        facts = views.source_facts(kb, source)
    return JSON(
        {
            "id": source.id,
            "source": source.to_source().to_json(),
            "parties": [actor_json(p) for p in source.parties],
            "facts": [{"id": sf.id, **sf.fact.to_json()} for sf in facts],
            "links": list(source.links),
            "ingested_at": source.ingested_at.isoformat(timespec="seconds"),
            "text": source.text,
        }
    )


class NotFound(DyadError):
    """A resource the request names does not exist (a 404)."""
