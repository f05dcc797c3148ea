"""The pair page's pictures, from :mod:`dyad.render` when it is there: infobox, locator map, chart.

Each is optional: when a renderer is missing (or fails on a pair), the page goes without that piece
and still shows the state and the facts. What a renderer returns is SVG or HTML that it has escaped.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from markupsafe import Markup

from dyad.kb import KnowledgeBase, PairState, Timeline

__all__ = ["PairExtras", "pair_extras"]

log = logging.getLogger("dyad.web")


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
    except Exception:  # a renderer's bug costs its picture, not the page
        log.exception("the %s renderer failed", what)
        return None
    return Markup(out) if out else None  # noqa: S704 - SVG/HTML from dyad's renderers, escaped there


def pair_extras(
    kb: KnowledgeBase, a: str, b: str, at: str, state: PairState, timeline: Timeline
) -> PairExtras:
    """The infobox, map and chart of a pair, each None when its renderer is not installed."""
    maps = _module("dyad.render.maps")
    locator = _safe("map", maps.locator_svg, a, b) if maps and hasattr(maps, "locator_svg") else None
    return PairExtras(infobox=None, map=locator, chart=None)
