"""The pair page's profile and pictures, from :mod:`dyad.render` when it is there.

Three optional pieces: the profile (:func:`dyad.render.profile.profile`: infobox and article), the
locator map (:func:`dyad.render.maps.locator_svg`) and the timeline chart
(:func:`dyad.render.chart.chart_svg`). When a renderer is missing, or fails on a pair, the page goes
without that piece and still shows the state and the facts. The SVG a renderer returns is escaped
there; the profile's text is escaped by the page's template.

The profile is written from the facts the page has already read (the pair's facts) and those of the
pair's own sources (one query by source id), so that a page costs two reads whatever the size of the
knowledge base: :func:`dyad.render.profile.profile` reads every fact of both countries.
"""

from __future__ import annotations

import functools
import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from markupsafe import Markup

from dyad.errors import DyadError
from dyad.kb import KnowledgeBase, Timeline
from dyad.model import actor_key
from dyad.store import StoredFact
from dyad.web import views

__all__ = ["Footnote", "PairExtras", "pair_extras"]

log = logging.getLogger("dyad.web")

#: Locator maps kept drawn (they cost 10-150 ms each and depend on the pair only).
LOCATOR_CACHE = 2048
#: Infobox keys the page leaves out (the title is the page's heading; the map is drawn).
_INFOBOX_SKIP = frozenset({"Title", "Map"})


@dataclass(frozen=True, slots=True)
class Footnote:
    """A footnote of the profile, with the place of its evidence on a source page when known."""

    number: int
    title: str
    quote: str
    href: str | None


@dataclass(frozen=True, slots=True)
class PairExtras:
    """What the renderers add to a pair page; each piece is None or empty when unavailable."""

    infobox: tuple[tuple[str, str], ...] = ()
    article: tuple[tuple[str, tuple[tuple[Any, ...], ...]], ...] = ()  # (section title, paragraphs)
    footnotes: tuple[Footnote, ...] = ()
    map: Markup | None = None
    chart: Markup | None = None


def _function(module: str, name: str) -> Callable[..., Any] | None:
    try:
        found: ModuleType = importlib.import_module(module)
    except ImportError:
        return None
    return getattr(found, name, None)  # type: ignore[no-any-return]


def _call(what: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    try:
        return fn(*args, **kwargs)
    except DyadError as e:  # nothing to draw: an organisation has no outline
        log.debug("no %s: %s", what, e)
    except Exception:  # a renderer's bug costs its piece, not the page
        log.exception("the %s renderer failed", what)
    return None


def _svg(out: Any) -> Markup | None:
    return Markup(out) if out else None  # noqa: S704 - SVG from dyad's renderers, escaped there


@functools.lru_cache(maxsize=LOCATOR_CACHE)
def _locator(a: str, b: str) -> Markup | None:
    """The locator map of a pair; it depends on the two codes only, so it is drawn once per pair."""
    locator_svg = _function("dyad.render.maps", "locator_svg")
    return _svg(_call("map", locator_svg, a, b)) if locator_svg else None


def _profile(
    kb: KnowledgeBase, a: str, b: str, at: str, facts: list[StoredFact], own: list[StoredFact]
) -> tuple[tuple[tuple[str, str], ...], tuple[Any, ...], tuple[Footnote, ...]]:
    profile = _function("dyad.render.profile", "profile_from_facts")
    if profile is None:
        return (), (), ()
    everything = {sf.id: sf for sf in [*facts, *own]}
    pair = {a, b}
    links = list(
        dict.fromkeys(
            link
            for sf in everything.values()
            if {actor_key(p) for p in sf.source.parties} == pair
            for link in sf.source.links
        )
    )
    chosen = [
        sf
        for sf in everything.values()
        if {actor_key(sf.fact.actor), actor_key(sf.fact.target)} == pair
        or {actor_key(p) for p in sf.source.parties} == pair
    ]
    p = _call("profile", profile, chosen, a, b, name=kb.name, links=links, at=at)
    if p is None:
        return (), (), ()
    places = {
        (sf.source.path, ev.start, ev.end): f"/sources/{sf.source.id}#ev-{sf.id}-{i}"
        for sf in everything.values()
        for i, ev in enumerate(sf.fact.evidence)
    }
    infobox = tuple((k, v) for k, v in p.infobox if k not in _INFOBOX_SKIP)
    article = (("", p.lead), *((s.title, s.paragraphs) for s in p.sections))
    notes = tuple(
        Footnote(n.number, n.title, n.quote, places.get((n.path, n.start, n.end))) for n in p.footnotes
    )
    return infobox, article, notes


def pair_extras(
    kb: KnowledgeBase, a: str, b: str, at: str, timeline: Timeline, facts: list[StoredFact], *, scan: bool
) -> PairExtras:
    """The profile, map and chart of the pair (codes) ``a``, ``b`` on ``at``, from its ``facts``.

    ``scan`` allows reading every fact of both countries to find the rest of the facts of the pair's own
    sources (when the store cannot ask by source); without it the profile has the pair's facts only.
    """
    pair = {a, b}
    own_sources = {
        sf.source.id: sf.source for sf in facts if {actor_key(p) for p in sf.source.parties} == pair
    }
    by_id = getattr(kb.store, "source_facts", None)
    if by_id is not None:  # one query for all of them
        own = list(by_id(*own_sources)) if own_sources else []
    else:
        own = [sf for s in own_sources.values() for sf in views.source_facts(kb, s, scan=scan)]
    infobox, article, notes = _profile(kb, a, b, at, facts, own)
    chart_svg = _function("dyad.render.chart", "chart_svg")
    chart = _svg(_call("chart", chart_svg, timeline)) if chart_svg and timeline.events else None
    return PairExtras(infobox, article, notes, _locator(a, b), chart)
