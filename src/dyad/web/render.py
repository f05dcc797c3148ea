"""The pair page's profile and pictures, from :mod:`dyad.render`.

Three pieces: the profile (:func:`dyad.render.profile.profile_from_facts`: infobox and article), the
locator map (:func:`dyad.render.maps.locator_svg`) and the timeline chart
(:func:`dyad.render.chart.chart_svg`), imported plainly: a renderer renamed or broken fails the tests
and the page, it is not silently left out. A pair with nothing to draw goes without that piece: an
organisation has no outline (a :class:`~dyad.errors.DyadError`), a pair without dated facts no chart.
The SVG a renderer returns is escaped there; the profile's text is escaped by the page's template.

The profile is written from the facts the page has already read (the pair's facts) and those of the
pair's own sources (one query by source id), so that a page costs two reads whatever the size of the
knowledge base: :func:`dyad.render.profile.profile` reads every fact of both countries.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from dyad.errors import DyadError
from dyad.kb import KnowledgeBase, Timeline
from dyad.model import actor_key
from dyad.render.chart import chart_svg
from dyad.render.maps import locator_svg
from dyad.render.profile import profile_from_facts
from dyad.store import StoredFact
from dyad.web.cache import ByteCache

__all__ = ["MAP_CACHE_BYTES", "Footnote", "PairExtras", "locator", "pair_extras"]

log = logging.getLogger("dyad.web")

#: Bytes of locator maps kept drawn (they cost 10-150 ms each, depend on the pair only and weigh 20 to
#: 300 kB: a bound by count let 2,048 of them hold 300 MB); some fifty maps.
MAP_CACHE_BYTES = 8 * 1024 * 1024
#: Infobox keys the page leaves out (the title is the page's heading; the map is drawn).
_INFOBOX_SKIP = frozenset({"Title", "Map"})


@dataclass(frozen=True, slots=True)
class Footnote:
    """A footnote of the profile, with the place of its evidence on a source page when known."""

    number: int
    title: str
    quote: str
    href: str | None
    citing: str | None = None  # "Wikipedia, citing Reuters 2012-03-02"
    url: str | None = None  # the cited reference's http(s) address


@dataclass(frozen=True, slots=True)
class PairExtras:
    """What the renderers add to a pair page; each piece is None or empty when unavailable."""

    infobox: tuple[tuple[str, str], ...] = ()
    article: tuple[tuple[str, tuple[tuple[Any, ...], ...]], ...] = ()  # (section title, paragraphs)
    footnotes: tuple[Footnote, ...] = ()
    map: Markup | None = None
    chart: Markup | None = None


def _svg(out: str | None) -> Markup | None:
    return Markup(out) if out else None  # noqa: S704 - SVG from dyad's renderers, escaped there


#: The locator maps drawn, by pair.
_maps = ByteCache(MAP_CACHE_BYTES)


def _draw_map(a: str, b: str) -> str:
    try:
        return locator_svg(a, b)
    except DyadError as e:  # nothing to draw: an organisation or a former state has no outline
        log.debug("no map of %s and %s: %s", a, b, e)
        return ""


def locator(a: str, b: str) -> Markup | None:
    """The locator map of a pair (codes), as the pair page shows it; None when there is none to draw.

    Drawn once per pair and kept (:data:`MAP_CACHE_BYTES`), since it depends on the two codes only.
    """
    return _svg(_maps.get((a, b), lambda: _draw_map(a, b)))


def _profile(
    kb: KnowledgeBase, a: str, b: str, at: str, facts: list[StoredFact], own: list[StoredFact]
) -> tuple[tuple[tuple[str, str], ...], tuple[Any, ...], tuple[Footnote, ...]]:
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
    p = profile_from_facts(chosen, a, b, name=kb.name, links=links, at=at)
    places = {
        (sf.source.path, ev.start, ev.end): f"/sources/{sf.source.id}#ev-{sf.id}-{i}"
        for sf in everything.values()
        for i, ev in enumerate(sf.fact.evidence)
    }
    infobox = tuple((k, v) for k, v in p.infobox if k not in _INFOBOX_SKIP)
    article = (("", p.lead), *((s.title, s.paragraphs) for s in p.sections))
    notes = tuple(
        Footnote(n.number, n.title, n.quote, places.get((n.path, n.start, n.end)), n.citing, n.url)
        for n in p.footnotes
    )
    return infobox, article, notes


def pair_extras(
    kb: KnowledgeBase, a: str, b: str, at: str, timeline: Timeline, facts: list[StoredFact]
) -> PairExtras:
    """The profile, map and chart of the pair (codes) ``a``, ``b`` on ``at``, from its ``facts`` and the
    other facts of the pair's own sources."""
    pair = {a, b}
    own_sources = {
        sf.source.id: sf.source for sf in facts if {actor_key(p) for p in sf.source.parties} == pair
    }
    own = kb.store.source_facts(*own_sources) if own_sources else []
    infobox, article, notes = _profile(kb, a, b, at, facts, own)
    chart = _svg(chart_svg(timeline)) if timeline.events else None
    return PairExtras(infobox, article, notes, locator(a, b), chart)
