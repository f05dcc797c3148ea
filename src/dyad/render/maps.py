"""Locator maps of a pair of countries, like the ones in Wikipedia's relations articles.

    >>> svg = locator_svg("Belgium", "Syria")
    >>> locator_png("Japan", "PER", "japan-peru.png")

The two countries are filled in two colours (``COLOURS``, first for ``a``), every other country in
light grey over a light blue sea, with a legend naming the pair below the map. A country smaller than
``MICRO_PX`` pixels on the map (Vatican City, Andorra, often Luxembourg), or whose largest island is
under ``MICRO_AREA`` square pixels (Tuvalu, Kiribati), gets a circle in its colour.
How the map is projected and framed is described in :mod:`dyad.render.project`.

The SVG is written directly: one ``<path id="country-XXX">`` per country drawn (XXX its code, as
:class:`~dyad.resolve.actors.Gazetteer` uses them), the pair's with ``class="pair"`` and a ``fill`` of
its colour, and one ``<g id="marker-XXX" class="marker">`` of circles per marked country. The PNG is drawn
from the same shapes with matplotlib's Agg renderer. Both need only the package's data: nothing is
downloaded.

Errors: a name that is no known country raises :class:`~dyad.errors.UnknownActorError`; a country
without an outline (a former state, an organisation, a territory Natural Earth draws as part of
another country) or the same country twice raises :class:`~dyad.errors.DyadError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import shapely
from shapely.geometry import box

from ..errors import DyadError, UnknownActorError
from ..resolve.actors import Gazetteer
from .outlines import Atlas
from .project import Frame, choose_view, visible, world_outline

__all__ = ["COLOURS", "HEIGHT", "WIDTH", "LocatorMap", "locator_map", "locator_png", "locator_svg"]

#: Default size of a map in pixels, the legend included.
WIDTH = 800
HEIGHT = 600
#: Height of the legend strip below the map, in pixels.
LEGEND_HEIGHT = 36
#: Fill of the first and the second country.
COLOURS = ("#c0392b", "#2471a3")
SEA = "#d5e7f3"
LAND = "#e4e0d6"
BORDER = "#b3ad9f"
PAPER = "#ffffff"
TEXT = "#222222"
FAINT = "#777777"
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
FONT_PX = 14
#: A country whose drawn extent is under this many pixels gets a marker.
MICRO_PX = 20.0
#: ... and so does one whose largest part covers under this many square pixels.
MICRO_AREA = 150.0
#: Smallest radius of a marker, in pixels.
MARKER_RADIUS = 9.0
#: Outlines are simplified to this many pixels once projected (so borders stay shared to a pixel).
SIMPLIFY_PX = 0.25
CREDIT = "Outlines: Natural Earth"

Rings = list[np.ndarray]


@dataclass(frozen=True, slots=True)
class Marker:
    code: str
    colour: str
    x: float
    y: float
    r: float


@dataclass(frozen=True, slots=True)
class LocatorMap:
    """What a locator map shows, in pixels (y down): ready for :func:`svg` or :func:`png`."""

    codes: tuple[str, str]
    names: tuple[str, str]
    width: int
    height: int
    map_height: int
    projection: str  # the PROJ string the map was drawn with
    sea: Rings
    land: dict[str, Rings]  # every other country drawn, by code ('' for land without a code)
    pair: dict[str, Rings]
    markers: tuple[Marker, ...]


def locator_map(a: str, b: str, *, width: int = WIDTH, height: int = HEIGHT) -> LocatorMap:
    """The shapes of a locator map of ``a`` and ``b`` (names, adjectives or codes)."""
    gazetteer = Gazetteer.default()
    atlas = Atlas.default()
    codes = (_code(gazetteer, atlas, a), _code(gazetteer, atlas, b))
    if codes[0] == codes[1]:
        raise DyadError(f"'{a}' and '{b}' are the same country ({codes[0]}); a locator map needs two")
    map_height = height - LEGEND_HEIGHT
    if width < 100 or map_height < 100:
        raise DyadError(
            f"a map of {width}x{height} pixels is too small; give at least 100x{100 + LEGEND_HEIGHT}"
        )
    outlines = [atlas.outlines[c] for c in codes]
    frame = choose_view(atlas, outlines[0], outlines[1], aspect=width / map_height)
    scale = width / (frame.x1 - frame.x0)

    def to_px(xy: np.ndarray) -> np.ndarray:
        return (xy - [frame.x0, frame.y1]) * [scale, -scale]

    index, geoms = visible(atlas, frame)
    # Simplified without keeping topology: cheaper, and a slip under a pixel shows nowhere.
    geoms = shapely.simplify(shapely.transform(geoms, to_px), SIMPLIFY_PX, preserve_topology=False)
    geoms = shapely.orient_polygons(geoms)
    owners = atlas.owner[index]
    land: dict[str, Rings] = {}
    pair: dict[str, Rings] = {c: [] for c in codes}
    for owner, ring in _rings(geoms, owners):
        (pair[owner] if owner in pair else land.setdefault(owner, [])).append(ring)
    markers = tuple(
        m
        for o, colour in zip(outlines, COLOURS, strict=True)
        for m in _markers(atlas, frame, o.code, colour, to_px)
    )
    return LocatorMap(
        codes=codes,
        names=(gazetteer.name(codes[0]), gazetteer.name(codes[1])),
        width=width,
        height=height,
        map_height=map_height,
        projection=frame.view.crs,
        sea=_sea(frame, to_px, width, map_height),
        land=land,
        pair=pair,
        markers=markers,
    )


def locator_svg(a: str, b: str, *, width: int = WIDTH, height: int = HEIGHT) -> str:
    """A locator map of ``a`` and ``b`` as an SVG document."""
    return svg(locator_map(a, b, width=width, height=height))


def locator_png(a: str, b: str, path: str | Path, *, width: int = WIDTH, height: int = HEIGHT) -> None:
    """Write a locator map of ``a`` and ``b`` to ``path`` as a PNG image of ``width`` x ``height``."""
    png(locator_map(a, b, width=width, height=height), path)


# --------------------------------------------------------------------------------------------------
# Building the shapes.


def _code(gazetteer: Gazetteer, atlas: Atlas, name: str) -> str:
    code = gazetteer.resolve(name)
    if code is None:
        raise UnknownActorError(name, gazetteer.suggest(name))
    if code not in atlas.outlines:
        kind = gazetteer.kind(code)
        why = {"organisation": "it is an organisation", "former-state": "it no longer exists"}.get(
            kind, "Natural Earth draws it as part of another country"
        )
        raise DyadError(f"'{name}': no outline of {gazetteer.name(code)} ({code}) to draw: {why}")
    return code


def _rings(geoms: np.ndarray, owners: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """Every polygon ring of the geometries, with the owner of the geometry it came from."""
    parts, part_of = shapely.get_parts(geoms, return_index=True)
    polygons = shapely.get_type_id(parts) == 3
    parts, part_of = parts[polygons], part_of[polygons]
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    coords, coord_of = shapely.get_coordinates(rings, return_index=True)
    splits = np.cumsum(np.bincount(coord_of, minlength=len(rings)))[:-1]
    return [
        (owners[part_of[ring_of[i]]], c[:-1]) for i, c in enumerate(np.split(coords, splits)) if len(c) >= 4
    ]


def _markers(atlas: Atlas, frame: Frame, code: str, colour: str, to_px) -> list[Marker]:
    """Circles around a country too small to see at the map's scale; none for a country one can see.

    A country is too small when its core is under MICRO_PX across, or when even its largest part
    covers under MICRO_AREA square pixels (Kiribati's atolls spread over thousands of kilometres).
    Parts closer than two markers share one circle.
    """
    outline = atlas.outlines[code]
    if outline.core:
        core = shapely.transform(frame.view.project(atlas.polygons[list(outline.core)]), to_px)
        bounds = shapely.bounds(core)
        x0, y0 = bounds[:, :2].min(axis=0)
        x1, y1 = bounds[:, 2:].max(axis=0)
        if max(x1 - x0, y1 - y0) >= MICRO_PX and shapely.area(core).max() >= MICRO_AREA:
            return []
    else:
        x, y = frame.view.forward(np.array([outline.home[0]]), np.array([outline.home[1]]))
        bounds = np.array([[*to_px(np.array([x[0], y[0]]))] * 2])
    clusters = _clusters(bounds, 2 * MARKER_RADIUS)
    return [
        Marker(
            code,
            colour,
            (c[0] + c[2]) / 2,
            (c[1] + c[3]) / 2,
            max(MARKER_RADIUS, float(np.hypot(c[2] - c[0], c[3] - c[1])) / 2 + 4),
        )
        for c in clusters
    ]


def _clusters(bounds: np.ndarray, gap: float) -> list[np.ndarray]:
    """Boxes (x0, y0, x1, y1) merged until no two are closer than ``gap`` in both directions."""
    boxes = [b.astype(float) for b in bounds]
    merged = True
    while merged:
        merged = False
        for i in range(len(boxes)):
            for j in range(i + 1, len(boxes)):
                a, b = boxes[i], boxes[j]
                if max(a[0], b[0]) - min(a[2], b[2]) < gap and max(a[1], b[1]) - min(a[3], b[3]) < gap:
                    boxes[i] = np.concatenate([np.minimum(a[:2], b[:2]), np.maximum(a[2:], b[2:])])
                    del boxes[j]
                    merged = True
                    break
            if merged:
                break
    return boxes


def _sea(frame: Frame, to_px, width: int, height: int) -> Rings:
    """The sea: the whole frame, or on a world map the globe's outline within it."""
    rect = box(0, 0, width, height)
    if frame.view.kind == "laea":
        return [np.asarray(rect.exterior.coords)[:-1]]
    globe = shapely.transform(frame.view.project(np.array([world_outline(frame.view)]))[0], to_px)
    sea = shapely.orient_polygons(shapely.intersection(globe, rect))
    return [ring for _, ring in _rings(np.array([sea]), np.array([""]))]


# --------------------------------------------------------------------------------------------------
# Writing them.


def _legend(m: LocatorMap) -> list[tuple[str, str, float]]:
    """(colour, name, x) of each legend entry; widths estimated from the name's length."""
    x = 12.0
    out = []
    for name, colour in zip(m.names, COLOURS, strict=True):
        out.append((colour, name, x))
        x += 14 + 8 + 0.6 * FONT_PX * len(name) + 24
    return out


def _d(rings: Rings) -> str:
    return "".join("M" + ("%.1f,%.1f " * len(r) % tuple(r.ravel())).rstrip() + "Z" for r in rings)


def svg(m: LocatorMap) -> str:
    """An SVG document of a locator map."""
    w, h, mh = m.width, m.height, m.map_height
    title = escape(f"{m.names[0]} and {m.names[1]}")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
        f'font-family="{FONT}" font-size="{FONT_PX}">',
        f"<title>{title}</title>",
        f"<desc>Locator map; projection {escape(m.projection)}; {CREDIT}</desc>",
        f'<rect width="{w}" height="{h}" fill="{PAPER}"/>',
        f'<clipPath id="locator-clip"><rect width="{w}" height="{mh}"/></clipPath>',
        '<g id="locator-map" clip-path="url(#locator-clip)">',
        f'<path id="locator-sea" fill="{SEA}" d="{_d(m.sea)}"/>',
        f'<g id="locator-land" fill="{LAND}" stroke="{BORDER}" stroke-width="0.5" stroke-linejoin="round">',
    ]
    for code, rings in m.land.items():
        attr = f' id="country-{code}"' if code else ""
        out.append(f'<path{attr} d="{_d(rings)}"/>')
    out.append("</g>")
    out.append(f'<g id="locator-pair" stroke="{BORDER}" stroke-width="0.5" stroke-linejoin="round">')
    for code, colour in zip(m.codes, COLOURS, strict=True):
        out.append(f'<path id="country-{code}" class="pair" fill="{colour}" d="{_d(m.pair[code])}"/>')
    out.append("</g>")
    out.append('<g id="locator-markers" fill="none" stroke-width="2">')
    for code in m.codes:
        circles = [k for k in m.markers if k.code == code]
        if circles:
            out.append(f'<g id="marker-{code}" class="marker" stroke="{circles[0].colour}">')
            for k in circles:
                out.append(f'<circle cx="{k.x:.1f}" cy="{k.y:.1f}" r="{k.r:.1f}"/>')
                out.append(f'<circle fill="{k.colour}" stroke="none" cx="{k.x:.1f}" cy="{k.y:.1f}" r="2"/>')
            out.append("</g>")
    out.append("</g>")
    out.append(f'<rect id="locator-frame" width="{w}" height="{mh}" fill="none" stroke="#b0b0b0"/>')
    out.append("</g>")
    out.append('<g id="locator-legend">')
    y = mh + LEGEND_HEIGHT / 2
    for colour, name, x in _legend(m):
        out.append(f'<rect x="{x:.0f}" y="{y - 7:.0f}" width="14" height="14" fill="{colour}"/>')
        out.append(f'<text x="{x + 22:.0f}" y="{y + 5:.0f}" fill="{TEXT}">{escape(name)}</text>')
    out.append(
        f'<text x="{w - 10}" y="{y + 4:.0f}" font-size="11" text-anchor="end" fill="{FAINT}">{CREDIT}</text>'
    )
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def png(m: LocatorMap, path: str | Path, *, dpi: int = 100) -> None:
    """Draw a locator map to a PNG file with matplotlib's Agg renderer (no display needed)."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle, Patch, PathPatch, Rectangle
    from matplotlib.path import Path as MplPath

    pt = 72 / dpi  # points per pixel

    def patch(rings: Rings, **style) -> PathPatch:
        verts, codes = [], []
        for r in rings:
            verts.extend([*r, r[0]])
            codes.extend([MplPath.MOVETO] + [MplPath.LINETO] * (len(r) - 1) + [MplPath.CLOSEPOLY])
        return PathPatch(MplPath(np.asarray(verts), codes), **style)

    fig = Figure(figsize=(m.width / dpi, m.height / dpi), dpi=dpi, facecolor=PAPER)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, m.width)
    ax.set_ylim(m.height, 0)
    ax.set_axis_off()
    clip = Rectangle((0, 0), m.width, m.map_height, transform=ax.transData)
    border = {"edgecolor": BORDER, "linewidth": 0.5 * pt, "joinstyle": "round"}
    shapes: list[Patch] = [patch(m.sea, facecolor=SEA, edgecolor="none")]
    shapes += [patch(r, facecolor=LAND, **border) for r in m.land.values() if r]
    shapes += [
        patch(m.pair[c], facecolor=col, **border)
        for c, col in zip(m.codes, COLOURS, strict=True)
        if m.pair[c]
    ]
    for k in m.markers:
        shapes.append(Circle((k.x, k.y), k.r, fill=False, edgecolor=k.colour, linewidth=2 * pt))
        shapes.append(Circle((k.x, k.y), 2, facecolor=k.colour, edgecolor="none"))
    for s in shapes:
        ax.add_patch(s)
        s.set_clip_path(clip)
    ax.add_patch(
        Rectangle(
            (0.5, 0.5), m.width - 1, m.map_height - 1, fill=False, edgecolor="#b0b0b0", linewidth=1 * pt
        )
    )
    y = m.map_height + LEGEND_HEIGHT / 2
    font = FONT_PX * pt
    for colour, name, x in _legend(m):
        ax.add_patch(Rectangle((x, y - 7), 14, 14, facecolor=colour, edgecolor="none"))
        ax.text(x + 22, y, name, fontsize=font, color=TEXT, va="center", family="DejaVu Sans")
    ax.text(
        m.width - 10, y, CREDIT, fontsize=11 * pt, color=FAINT, va="center", ha="right", family="DejaVu Sans"
    )
    fig.savefig(path, format="png", dpi=dpi, facecolor=PAPER)
