"""Build dyad's country outlines, ``src/dyad/data/outlines.json.gz``, from Natural Earth.

Reads the world-atlas TopoJSON of Natural Earth's 1:50m admin-0 countries (public domain; packaging
ISC, see ``shared/data/geo/PROVENANCE.md``), simplifies its shared arcs, keys every feature by its ISO
alpha-3 code and writes one gzipped JSON file that :mod:`dyad.render.maps` draws locator maps from.

    .venv/bin/python scripts/build_outlines.py [--source countries-50m.json] [--out FILE]

Decisions:

- Arcs are simplified once each (Douglas-Peucker, ``TOLERANCE`` degrees), so two neighbours still share
  the same simplified border. A ring that simplification would collapse (a small island, Vatican City,
  Monaco) keeps its original points, so no state disappears.
- TopoJSON ids are ISO 3166-1 numeric codes, mapped to alpha-3 with the iso3166 package. Features
  without an id are keyed by name (``NAMED``); Natural Earth's "Indian Ocean Ter." is split into
  Christmas Island and the Cocos Islands; features with no code (Siachen Glacier) are kept under
  ``other`` and drawn as land. Two features with one id (Australia and Ashmore and Cartier) merge.
- Every code has a ``home``: its capital from the countryinfo package (MIT), else a point inside its
  largest part. A state Natural Earth does not draw at 1:50m (Tuvalu) has a home and no parts, and is
  drawn as a marker.
- Every part is flagged ``core`` or not. Maps are framed on core parts only, so France is framed on
  Europe, not French Guiana, and the United States on the lower 48, not Hawaii: the core starts with
  the part nearest the home and every part holding ``CORE_SHARE`` of the country's area (Malaysian
  Borneo), and grows by every part within ``CORE_KM`` of a core part (an archipelago such as
  Indonesia or Fiji, Nakhchivan, Cabinda).
- Longitudes are unwrapped: a ring crossing the antimeridian keeps going past ±180 (to 190, say).
- Coordinates are integers in units of 1e-4 degree, each ring a flat list ``[x0, y0, dx1, dy1, …]``
  (the first point absolute, then differences), closed implicitly (the first point is not repeated).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from countryinfo import CountryInfo
from iso3166 import countries_by_numeric
from pyproj import Geod, Transformer
from shapely.geometry import LineString, Polygon

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "geo" / "countries-50m.json"
DEFAULT_OUT = ROOT / "src" / "dyad" / "data" / "outlines.json.gz"

#: Douglas-Peucker tolerance in degrees (about 1 km at the equator; under a pixel on dyad's maps).
TOLERANCE = 0.005
#: Longest edge kept, in degrees: longer straight edges (the 49th parallel) get points added, so
#: they stay parallels when projected.
SEGMENT = 1.0
#: Coordinates are stored as integers of this many degrees.
QUANTUM = 1e-4
#: A part holding this share of its country's area is core wherever it lies ...
CORE_SHARE = 0.2
#: ... and so is a part within this many kilometres of a core part.
CORE_KM = 300
#: Features Natural Earth draws without an ISO numeric id, keyed by their name there.
NAMED = {"Kosovo": "XKX", "N. Cyprus": "XNCY", "Somaliland": "XSML"}
#: Features with no code of their own; their parts go to a code by longitude (west, split, east).
SPLIT = {"Indian Ocean Ter.": ("CCK", 100.0, "CXR")}

GEOD = Geod(ellps="WGS84")


def decode_arcs(topo: dict[str, Any]) -> list[np.ndarray]:
    """The TopoJSON arcs as arrays of lon/lat (delta-decoded and de-quantized)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        q = np.cumsum(np.asarray(arc, dtype=np.float64), axis=0)
        arcs.append(np.column_stack([q[:, 0] * sx + tx, q[:, 1] * sy + ty]))
    return arcs


def simplify_arcs(arcs: list[np.ndarray], tolerance: float) -> list[np.ndarray]:
    out = []
    for a in arcs:
        if len(a) <= 2:
            out.append(a)
            continue
        s = np.asarray(LineString(a).simplify(tolerance, preserve_topology=True).coords)
        out.append(s if len(s) >= 2 else a)
    return out


def ring(refs: list[int], arcs: list[np.ndarray]) -> np.ndarray:
    """A ring from arc references (``~i`` is arc ``i`` reversed), without repeated joints.

    Longitudes are unwrapped, so a ring that crosses the antimeridian (Chukotka, Taveuni) runs on past
    ±180 instead of jumping across the map.
    """
    pieces = []
    for n, r in enumerate(refs):
        a = arcs[r] if r >= 0 else arcs[~r][::-1]
        pieces.append(a if n == 0 else a[1:])
    r = np.concatenate(pieces)
    r[:, 0] = np.unwrap(r[:, 0], period=360)
    r[:, 0] -= 360 * np.round(r[:, 0].mean() / 360)
    return r


def around_pole(r: np.ndarray) -> bool:
    """Whether a ring goes once around a pole (its longitudes advance by a full turn)."""
    return abs(r[-1, 0] - r[0, 0]) > 180


def close_at_pole(r: np.ndarray) -> np.ndarray:
    """A ring around a pole (Antarctica's coast) as a plane ring: closed along the pole's latitude."""
    pole = 90.0 if r[:, 1].mean() > 0 else -90.0
    return np.vstack([r, [[r[-1, 0], pole], [r[0, 0], pole]], r[:1]])


def densify(r: np.ndarray, step: float = SEGMENT) -> np.ndarray:
    """The ring with points added so no edge is longer than ``step`` degrees (straight in lon/lat)."""
    return np.asarray(LineString(r).segmentize(step).coords)


def polygons(geometry: dict[str, Any]) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def build_polygon(rings: list[list[int]], fine: list[np.ndarray], coarse: list[np.ndarray]) -> Polygon:
    """A valid polygon from simplified arcs; a ring that collapses keeps its original points.

    World-atlas draws Antarctica as a degenerate ring along the South Pole with its coast as a hole;
    here the coast, closed along the pole, is the shell.
    """
    built = []
    for refs in rings:
        r = ring(refs, coarse)
        f = ring(refs, fine)
        if len(np.unique(r.round(6), axis=0)) < 4 or abs(Polygon(r).area) < 0.2 * abs(Polygon(f).area):
            r = f
        if around_pole(r):
            if np.all(np.abs(r[:, 1]) > 89.99):
                continue  # the degenerate ring along the pole itself
            r = close_at_pole(r)
        built.append(densify(r))
    poly = Polygon(built[0], built[1:])
    if not poly.is_valid:
        fixed = shapely.make_valid(poly)
        polys = [g for g in getattr(fixed, "geoms", [fixed]) if isinstance(g, Polygon)]
        poly = max(polys, key=lambda p: p.area)
    return shapely.geometry.polygon.orient(poly, 1.0)


def features(topo: dict[str, Any]) -> tuple[dict[str, list[Polygon]], dict[str, list[Polygon]]]:
    """Polygons per alpha-3 code, and per name for features without a code."""
    fine = decode_arcs(topo)
    coarse = simplify_arcs(fine, TOLERANCE)
    by_code: dict[str, list[Polygon]] = {}
    other: dict[str, list[Polygon]] = {}
    for g in topo["objects"]["countries"]["geometries"]:
        name = g["properties"]["name"]
        polys = [build_polygon(rings, fine, coarse) for rings in polygons(g)]
        if g.get("id"):
            by_code.setdefault(countries_by_numeric[g["id"]].alpha3, []).extend(polys)
        elif name in NAMED:
            by_code.setdefault(NAMED[name], []).extend(polys)
        elif name in SPLIT:
            west, lon, east = SPLIT[name]
            for p in polys:
                by_code.setdefault(west if p.centroid.x < lon else east, []).append(p)
        else:
            other.setdefault(name, []).extend(polys)
    return by_code, other


def capitals() -> dict[str, tuple[float, float]]:
    """Capital (lon, lat) per alpha-3 code, from countryinfo."""
    out = {}
    for info in CountryInfo.all().values():
        code = (info.get("ISO") or {}).get("alpha3")
        latlng = info.get("capital_latlng")
        if code and latlng and len(latlng) == 2:
            out[code] = (float(latlng[1]), float(latlng[0]))
    return out


def area_km2(p: Polygon) -> float:
    return abs(GEOD.geometry_area_perimeter(p)[0]) / 1e6


def core_flags(polys: list[Polygon], home: tuple[float, float]) -> list[bool]:
    """Which parts frame the country (see CORE_SHARE and CORE_KM)."""
    local = Transformer.from_crs("EPSG:4326", f"+proj=laea +lat_0={home[1]} +lon_0={home[0]}", always_xy=True)
    projected = [
        shapely.transform(p, lambda xy: np.column_stack(local.transform(xy[:, 0], xy[:, 1]))) for p in polys
    ]
    here = shapely.Point(*local.transform(*home))
    areas = [area_km2(p) for p in polys]
    core = {min(range(len(polys)), key=lambda i: projected[i].distance(here))}
    core |= {i for i, a in enumerate(areas) if a >= CORE_SHARE * sum(areas)}
    todo = list(core)
    while todo:
        near = projected[todo.pop()].buffer(CORE_KM * 1000, quad_segs=4)
        for i, p in enumerate(projected):
            if i not in core and near.intersects(p):
                core.add(i)
                todo.append(i)
    return [i in core for i in range(len(polys))]


def encode_ring(coords: np.ndarray) -> list[int]:
    q = np.round(np.asarray(coords)[:-1] / QUANTUM).astype(np.int64)  # drop the closing point
    keep = np.ones(len(q), dtype=bool)
    keep[1:] = np.any(q[1:] != q[:-1], axis=1)
    q = q[keep]
    return np.concatenate([q[:1], np.diff(q, axis=0)]).ravel().tolist()


def encode_polygon(p: Polygon) -> list[list[int]]:
    return [encode_ring(p.exterior.coords), *(encode_ring(r.coords) for r in p.interiors)]


def build(source: Path) -> dict[str, Any]:
    topo = json.loads(source.read_text(encoding="utf-8"))
    by_code, other = features(topo)
    caps = capitals()
    by_code.setdefault("TUV", [])  # not drawn at 1:50m: a marker at its capital
    countries = {}
    for code in sorted(by_code):
        polys = by_code[code]
        largest = max(polys, key=lambda p: p.area) if polys else None
        home = caps.get(code) or (largest.representative_point().coords[0] if largest else None)
        if home is None:
            raise SystemExit(f"{code}: no outline and no capital")
        flags = core_flags(polys, home) if polys else []
        countries[code] = {
            "home": [round(home[0], 4), round(home[1], 4)],
            "parts": [{"core": f, "rings": encode_polygon(p)} for p, f in zip(polys, flags, strict=True)],
        }
    return {
        "about": "Country outlines for dyad's locator maps, simplified from Natural Earth 1:50m admin-0 "
        "countries (public domain, naturalearthdata.com) as packaged in world-atlas 2.0.2 (ISC). "
        "Capitals from the countryinfo package (MIT).",
        "source": "world-atlas@2.0.2 countries-50m.json (Natural Earth 1:50m admin-0, public domain)",
        "generator": "scripts/build_outlines.py",
        "tolerance_degrees": TOLERANCE,
        "encoding": f"rings of integers in units of {QUANTUM} degree: x0, y0, then dx, dy per point; "
        "first ring of a part is its shell (counter-clockwise), the others holes",
        "countries": countries,
        "other": {name: [encode_polygon(p) for p in polys] for name, polys in sorted(other.items())},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    data = build(args.source)
    raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    # mtime=0: the same input gives byte-identical output.
    args.out.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    points = sum(len(r) // 2 for c in data["countries"].values() for p in c["parts"] for r in p["rings"])
    print(
        f"{args.out}: {len(data['countries'])} codes, {points} points, {args.out.stat().st_size} bytes",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
