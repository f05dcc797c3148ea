"""A world map in SVG, each country a path that a page colours by class: the country page's map.

Drawn from the package's outlines (``data/outlines.json.gz``, Natural Earth 1:50m, public domain) in
the Equal Earth projection, thinned to what a map about a thousand pixels wide shows: points closer
than :data:`MIN_STEP` pixels to the last one kept are dropped, rings smaller than a pixel or two are
left out, and a country left with nothing (Tuvalu, Nauru) is drawn as a dot at its capital. The paths
are computed once per process; :func:`world_svg` only joins them with the classes and links asked for.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import escape
from importlib import resources

__all__ = ["HEIGHT", "WIDTH", "world_svg"]

WIDTH = 1000
#: Pixels between kept points, and the smallest ring area (square pixels) drawn.
MIN_STEP = 1.2
MIN_AREA = 1.5
#: Latitudes south of this are left out (Antarctica has no relations to colour).
SOUTH = -60.0

_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2
_X_MAX = 2.7066297319215575  # x of (180°, 0°)
_SCALE = WIDTH / (2 * _X_MAX)


def _equal_earth(lon: float, lat: float) -> tuple[float, float]:
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = 2 * math.sqrt(3) * lam * math.cos(theta) / (3 * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


_Y_TOP = _equal_earth(0, 84)[1]
HEIGHT = round((_Y_TOP - _equal_earth(0, SOUTH)[1]) * _SCALE)


def _px(lon: float, lat: float) -> tuple[float, float]:
    x, y = _equal_earth(max(-180.0, min(180.0, lon)), max(SOUTH, lat))
    return (x + _X_MAX) * _SCALE, (_Y_TOP - y) * _SCALE


def _ring_path(flat: list[int]) -> str:
    lon = lat = 0
    kept: list[tuple[float, float]] = []
    for i in range(0, len(flat), 2):
        lon += flat[i]
        lat += flat[i + 1]
        p = _px(lon * 1e-4, lat * 1e-4)
        if not kept or abs(p[0] - kept[-1][0]) + abs(p[1] - kept[-1][1]) >= MIN_STEP:
            kept.append(p)
    if len(kept) < 3:
        return ""
    area = 0.5 * abs(
        sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(kept, kept[1:] + kept[:1], strict=True))
    )
    if area < MIN_AREA:
        return ""
    head = f"M{kept[0][0]:.1f} {kept[0][1]:.1f}"
    return (
        head
        + "".join(f"l{x1 - x0:.1f} {y1 - y0:.1f}" for (x0, y0), (x1, y1) in zip(kept, kept[1:], strict=False))
        + "z"
    )


@dataclass(frozen=True, slots=True)
class _Shape:
    path: str  # empty for a country drawn as a dot
    home: tuple[float, float]


@functools.cache
def _shapes() -> tuple[dict[str, _Shape], str]:
    raw = resources.files("dyad.data").joinpath("outlines.json.gz").read_bytes()
    data = json.loads(gzip.decompress(raw))
    shapes = {}
    for code, entry in data["countries"].items():
        if code == "ATA":
            continue
        path = "".join(_ring_path(ring) for part in entry["parts"] for ring in part["rings"])
        shapes[code] = _Shape(path, _px(*entry["home"]))
    other = "".join(
        _ring_path(ring) for parts in data.get("other", {}).values() for rings in parts for ring in rings
    )
    return shapes, other


def world_svg(
    classes: Mapping[str, str],
    *,
    titles: Mapping[str, str] | None = None,
    link: Callable[[str], str | None] | None = None,
    label: str = "World map",
    ring: str | None = None,
) -> str:
    """An SVG world map: each country in ``classes`` gets that CSS class, the rest ``class="land"``.

    ``titles`` gives each country its tooltip; ``link`` its href (None for no link); ``ring`` a country
    whose capital gets a ring, so that a small one can be found. Everything put in the markup is escaped.
    """
    shapes, other = _shapes()
    titles = titles or {}
    out = [
        f'<svg class="world" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<path class="land other" d="{other}"/>' if other else "",
    ]
    for code in sorted(shapes, key=lambda c: c in classes):  # coloured countries on top
        shape = shapes[code]
        cls = escape(classes.get(code, "land"))
        title = f"<title>{escape(titles[code])}</title>" if code in titles else ""
        if shape.path:
            body = f'<path class="{cls}" data-code="{escape(code)}" d="{shape.path}">{title}</path>'
        else:
            x, y = shape.home
            body = (
                f'<circle class="{cls}" data-code="{escape(code)}" cx="{x:.1f}" cy="{y:.1f}" r="2.5">'
                f"{title}</circle>"
            )
        href = link(code) if link and code in classes else None
        out.append(f'<a href="{escape(href)}">{body}</a>' if href else body)
    if ring in shapes:
        x, y = shapes[ring].home
        out.append(f'<circle class="ring" cx="{x:.1f}" cy="{y:.1f}" r="7"/>')
    out.append("</svg>")
    return "".join(out)
