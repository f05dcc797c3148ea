"""Where a locator map looks and how the globe is flattened for it: views, frames and clipping.

Two kinds of view, both projections of PROJ (through pyproj) on a sphere:

- ``laea``: Lambert azimuthal equal-area centred on the middle of the pair. It is continuous
  everywhere but at the point opposite the centre, so pairs across the antimeridian (Fiji and New
  Zealand) need no cutting. Parts that come near that opposite point are
  drawn up to ``FAR_EDGE_DEGREES`` from the centre and follow that circle beyond it (far outside any
  frame); a part that covers the opposite point is dropped, being then at least ``MAX_VIEW_DEGREES``
  away from the centre.
- ``world``: Equal Earth, for pairs too far apart for one azimuthal view (Japan and Peru, Russia and
  the United States), whose frame would reach past ``MAX_VIEW_DEGREES``. Its central meridian is
  chosen so that its edge, the meridian opposite, falls in the widest longitude gap of the two
  countries; parts crossing or touching that edge are cut there.

A frame is the rectangle of projected metres that a map shows: both countries' core parts, with
margins, at the map's aspect ratio.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import Polygon, box

from .outlines import Atlas, Outline, unit

__all__ = ["Frame", "View", "choose_view", "visible"]

#: Radius of the sphere the maps are projected from, in metres (the mean Earth radius).
EARTH_RADIUS = 6_371_008.8
#: Pairs whose homes are farther apart than this many degrees are drawn on a world map.
FAR_DEGREES = 110.0
#: An azimuthal view whose frame reaches farther than this from its centre becomes a world map. At 90
#: degrees the Lambert azimuthal projection stretches shapes 2:1 (its Tissot ratio is 1/cos²(c/2));
#: at the 115 degrees allowed before, 3.5:1, and a pair 100–115 degrees apart (Ethiopia and the United
#: States) had the farther country squashed against the frame's edge.
MAX_VIEW_DEGREES = 90.0
#: Parts are drawn up to this many degrees from an azimuthal view's centre (see the module doc).
FAR_EDGE_DEGREES = 150.0
#: Margin around the pair, as a share of the larger side of their bounds.
MARGIN = 0.12
#: Smallest side of a frame in metres, so two microstates still show their surroundings.
MIN_SPAN = 700_000.0

#: Degrees a world map's parts keep off its edge meridian, so that no vertex lies on it.
EDGE_GAP = 1e-7

_GEOGRAPHIC = f"+proj=longlat +R={EARTH_RADIUS} +no_defs"


@functools.lru_cache(maxsize=64)
def _transformer(crs: str) -> Transformer:
    return Transformer.from_crs(_GEOGRAPHIC, crs, always_xy=True)


@dataclass(frozen=True, slots=True)
class View:
    """A projection: ``kind`` 'laea' (centred on ``lon``, ``lat``) or 'world' (central meridian ``lon``)."""

    kind: str
    lon: float
    lat: float

    @property
    def crs(self) -> str:
        if self.kind == "laea":
            return f"+proj=laea +lat_0={self.lat:.6f} +lon_0={self.lon:.6f} +R={EARTH_RADIUS} +no_defs"
        return f"+proj=eqearth +lon_0={self.lon:.6f} +R={EARTH_RADIUS} +no_defs"

    def forward(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return _transformer(self.crs).transform(lon, lat)

    def inverse(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return _transformer(self.crs).transform(x, y, direction="INVERSE")

    def project(self, geoms: np.ndarray) -> np.ndarray:
        """Lon/lat geometries projected, all in one call of PROJ."""
        return shapely.transform(geoms, lambda xy: np.column_stack(self.forward(xy[:, 0], xy[:, 1])))

    def centre(self) -> np.ndarray:
        return unit(np.array([self.lon]), np.array([self.lat]))[0]


@dataclass(frozen=True, slots=True)
class Frame:
    """The rectangle a map shows, in projected metres, and how far from the view's centre it reaches."""

    view: View
    x0: float
    y0: float
    x1: float
    y1: float
    reach: float  # degrees from the centre to the farthest point of the frame (laea)

    @property
    def box(self) -> Polygon:
        return box(self.x0, self.y0, self.x1, self.y1)


def _angles(xyz: np.ndarray, centre: np.ndarray) -> np.ndarray:
    return np.degrees(np.arccos(np.clip(xyz @ centre, -1.0, 1.0)))


def _lonlat(v: np.ndarray) -> tuple[float, float]:
    return math.degrees(math.atan2(v[1], v[0])), math.degrees(math.asin(max(-1.0, min(1.0, v[2]))))


def _core_points(atlas: Atlas, outline: Outline) -> list[np.ndarray]:
    """Lon/lat of the vertices of each of the outline's core parts (its home where it has none)."""
    if not outline.core:
        return [np.array([outline.home])]
    return [np.asarray(atlas.polygons[i].exterior.coords) for i in outline.core]


def _bounds(view: View, points: np.ndarray) -> tuple[float, float, float, float]:
    x, y = view.forward(points[:, 0], points[:, 1])
    ok = np.isfinite(x) & np.isfinite(y)
    return float(x[ok].min()), float(y[ok].min()), float(x[ok].max()), float(y[ok].max())


def _fit(view: View, bounds: tuple[float, float, float, float], aspect: float) -> Frame:
    """Bounds with margins, at least MIN_SPAN wide and high, widened to ``aspect`` (width / height)."""
    x0, y0, x1, y1 = bounds
    pad = MARGIN * max(x1 - x0, y1 - y0, MIN_SPAN)
    w, h = max(x1 - x0 + 2 * pad, MIN_SPAN), max(y1 - y0 + 2 * pad, MIN_SPAN)
    w, h = max(w, h * aspect), max(h, w / aspect)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return Frame(view, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, _reach(view, cx, cy, w, h))


def _reach(view: View, cx: float, cy: float, w: float, h: float) -> float:
    """Degrees from the view's centre to the farthest corner or side of a frame (inf off the globe)."""
    if view.kind != "laea":
        return 180.0
    fx = np.array([-1, 0, 1, -1, 1, -1, 0, 1]) * w / 2 + cx
    fy = np.array([-1, -1, -1, 0, 0, 1, 1, 1]) * h / 2 + cy
    lon, lat = view.inverse(fx, fy)
    if not (np.all(np.isfinite(lon)) and np.all(np.isfinite(lat))):
        return math.inf
    return float(_angles(unit(lon, lat), view.centre()).max())


def _widest_gap(parts: list[np.ndarray]) -> float:
    """The meridian in the middle of the widest span of longitudes that none of the parts covers."""
    covered = np.zeros(360, dtype=bool)
    for p in parts:
        lo, hi = np.floor(p[:, 0].min()), np.ceil(p[:, 0].max())
        covered[(np.arange(lo, hi + 1).astype(int) + 180) % 360] = True
    if covered.all():
        return 0.0
    # Longest run of uncovered degrees, going round: roll so that the list starts at a covered one.
    start = int(np.argmax(covered))
    free = ~np.roll(covered, -start)
    best, best_len, run = 0, 0, 0
    for i, f in enumerate(free):
        run = run + 1 if f else 0
        if run > best_len:
            best, best_len = i - run + 1, run
    return (best + best_len / 2 + start) % 360 - 180


def choose_view(atlas: Atlas, a: Outline, b: Outline, aspect: float) -> Frame:
    """The view and frame of a locator map of ``a`` and ``b`` (``aspect`` = width / height)."""
    parts = _core_points(atlas, a) + _core_points(atlas, b)
    both = np.concatenate(parts)
    ha, hb = unit(*np.array([a.home, b.home]).T)
    if _angles(ha[None, :], hb)[0] <= FAR_DEGREES:
        mid = ha + hb
        view = View("laea", *_lonlat(mid / np.linalg.norm(mid)))
        # Centre again on the middle of the pair's bounds, so big countries are balanced.
        x0, y0, x1, y1 = _bounds(view, both)
        lon, lat = view.inverse(np.array([(x0 + x1) / 2]), np.array([(y0 + y1) / 2]))
        if np.isfinite(lon[0]) and np.isfinite(lat[0]):
            view = View("laea", float(lon[0]), float(lat[0]))
        frame = _fit(view, _bounds(view, both), aspect)
        if frame.reach <= MAX_VIEW_DEGREES:
            return frame
    edge = _widest_gap(parts)
    view = View("world", (edge + 360.0) % 360.0 - 180.0, 0.0)
    return _within_globe(_fit(view, _bounds(view, both), aspect))


def _within_globe(frame: Frame) -> Frame:
    """A world frame moved up or down so it shows no sky above a pole (where it is not too tall)."""
    top = float(frame.view.forward(np.array([frame.view.lon]), np.array([90.0]))[1][0])
    shift = 0.0
    if frame.y1 - frame.y0 >= 2 * top:
        shift = -(frame.y0 + frame.y1) / 2
    elif frame.y1 > top:
        shift = top - frame.y1
    elif frame.y0 < -top:
        shift = -top - frame.y0
    return Frame(frame.view, frame.x0, frame.y0 + shift, frame.x1, frame.y1 + shift, frame.reach)


def visible(atlas: Atlas, frame: Frame) -> tuple[np.ndarray, np.ndarray]:
    """The parts a frame shows: their atlas indexes and their geometries, projected and clipped."""
    view = frame.view
    if view.kind == "laea":
        index, geoms = _near_centre(atlas, frame)
    else:
        index, geoms = _cut_at_edge(atlas, view)
    projected = view.project(geoms)
    # A part bent or cut (see the module doc) may come out invalid: a bent ring can cross itself where it
    # follows the far circle. Made valid here, where they are derived, so clipping never meets one.
    changed = [k for k, (g, i) in enumerate(zip(geoms, index, strict=True)) if g is not atlas.polygons[i]]
    if len(changed):
        projected[changed] = shapely.make_valid(projected[changed])
    clip = frame.box
    inside = shapely.contains_properly(clip, projected)
    projected[~inside] = shapely.intersection(projected[~inside], clip)
    keep = ~shapely.is_empty(projected)
    return index[keep], projected[keep]


def _near_centre(atlas: Atlas, frame: Frame) -> tuple[np.ndarray, np.ndarray]:
    """Parts that may reach into an azimuthal frame; parts near the far side are bent (module doc)."""
    centre = frame.view.centre()
    dist = _angles(atlas.centres, centre)
    index = np.flatnonzero(dist - atlas.radii <= frame.reach + 1.0)
    geoms = atlas.polygons[index].copy()
    far = dist[index] + atlas.radii[index] > FAR_EDGE_DEGREES
    antipode = _lonlat(-centre)
    drop = np.zeros(len(index), dtype=bool)
    for k in np.flatnonzero(far):
        g = geoms[k]
        if any(shapely.intersects_xy(g, antipode[0] + 360 * s, antipode[1]) for s in (-1, 0, 1)):
            drop[k] = True
        else:
            geoms[k] = _bend(g, frame.view)
    return index[~drop], geoms[~drop]


def _bend(poly: Polygon, view: View) -> Polygon:
    """A lon/lat polygon whose points beyond FAR_EDGE_DEGREES are moved onto that circle.

    Returned in lon/lat again, so that it projects like the others: a vertex moved onto the circle
    keeps its direction from the centre, and between two moved vertices the ring follows the circle,
    so no edge cuts across the map near the point opposite the centre.
    """
    r_max = 2 * EARTH_RADIUS * math.sin(math.radians(FAR_EDGE_DEGREES) / 2)

    def ring(coords: np.ndarray) -> np.ndarray:
        coords = coords[:-1]
        x, y = view.forward(coords[:, 0], coords[:, 1])
        xy = np.column_stack([x, y])
        xy[~np.isfinite(xy).all(axis=1)] = [2 * r_max, 0.0]  # the opposite point itself
        bent, source = _follow_circle(xy, r_max)
        # Points left where they were keep their lon/lat (the inverse fails at the poles).
        out = np.empty_like(bent)
        kept = source >= 0
        out[kept] = coords[source[kept]]
        out[~kept] = np.column_stack(view.inverse(bent[~kept, 0], bent[~kept, 1]))
        return out

    # Longitudes that come back from the inverse may jump by 360 degrees; the azimuthal projection
    # does not mind, and nothing else reads these rings before it.
    holes = [ring(np.asarray(h.coords)) for h in poly.interiors]
    return Polygon(ring(np.asarray(poly.exterior.coords)), [h for h in holes if len(h) >= 3])


def _follow_circle(
    xy: np.ndarray, r_max: float, step: float = math.radians(2)
) -> tuple[np.ndarray, np.ndarray]:
    """Points outside radius ``r_max`` moved onto it, with arcs between consecutive moved points.

    Returns the new points and, for each, the index of the point it is (-1 for a moved or new one).
    """
    r = np.hypot(xy[:, 0], xy[:, 1])
    theta = np.arctan2(xy[:, 1], xy[:, 0])
    out = r > r_max
    if not out.any():
        return xy, np.arange(len(xy))
    onto = np.column_stack([np.cos(theta), np.sin(theta)]) * r_max
    p = np.where(out[:, None], onto, xy)
    turn = (np.roll(theta, -1) - theta + math.pi) % (2 * math.pi) - math.pi
    n = np.where(out & np.roll(out, -1), np.ceil(np.abs(turn) / step).astype(int), 1)
    n = np.maximum(n, 1)
    owner = np.repeat(np.arange(len(p)), n)
    j = np.arange(len(owner)) - np.repeat(np.cumsum(n) - n, n)
    angle = theta[owner] + turn[owner] * j / n[owner]
    arc = np.column_stack([np.cos(angle), np.sin(angle)]) * r_max
    first = j == 0
    source = np.where(first & ~out[owner], owner, -1)
    return np.where(first[:, None], p[owner], arc), source


def _cut_at_edge(atlas: Atlas, view: View) -> tuple[np.ndarray, np.ndarray]:
    """Every part, cut where it crosses or touches the world map's edge (the meridian opposite the centre).

    A part with a vertex on the edge meridian itself is cut too: such a vertex may project to either side
    of the map, and the ring then crosses the whole map and itself (Greece's vertex at 20°E on a map
    centred on 160°W made GEOS fail on Belize and South Korea). Cut, it keeps ``EDGE_GAP`` off the edge.
    """
    edge = view.lon + 180.0
    eps = EDGE_GAP
    index = np.arange(len(atlas.polygons))
    geoms = atlas.polygons.copy()
    bounds = shapely.bounds(geoms)
    out_index, out_geoms = [], []
    for k in range(len(geoms)):
        lo, hi = bounds[k, 0], bounds[k, 2]
        first = math.floor((lo - edge - eps) / 360)
        last = math.floor((hi - edge + eps) / 360)
        if first == last:
            out_index.append(k)
            out_geoms.append(geoms[k])
            continue
        for s in range(first, last + 1):
            west = edge + 360 * s
            piece = shapely.intersection(geoms[k], box(west + eps, -90, west + 360 - eps, 90))
            if not piece.is_empty:
                out_index.append(k)
                out_geoms.append(shapely.segmentize(piece, 1.0))
    return index[out_index], np.array(out_geoms, dtype=object)


def world_outline(view: View) -> Polygon:
    """The outline of the whole globe on a world view (lon/lat, to be projected)."""
    eps = EDGE_GAP
    return shapely.segmentize(box(view.lon - 180 + eps, -90, view.lon + 180 - eps, 90), 1.0)
