"""The country outlines that locator maps are drawn from, read once from ``data/outlines.json.gz``.

The file is made by ``scripts/build_outlines.py`` from Natural Earth's 1:50m admin-0 countries (public
domain). Each code has a ``home`` (its capital) and parts; a part is one polygon in lon/lat degrees
whose longitudes may run past ±180 where it crosses the antimeridian. ``core`` parts are the ones a
map is framed on (mainland France, not French Guiana).
"""

from __future__ import annotations

import functools
import gzip
import json
from dataclasses import dataclass
from importlib import resources

import numpy as np
from shapely.geometry import Polygon

__all__ = ["OUTLINES_FILE", "Atlas", "Outline", "unit"]

#: Data file of the package with the outlines.
OUTLINES_FILE = "outlines.json.gz"
_QUANTUM = 1e-4


def unit(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Unit vectors (n, 3) of points given in degrees."""
    lam, phi = np.radians(lon), np.radians(lat)
    return np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])


@dataclass(frozen=True, slots=True)
class Outline:
    """One country: its home point (lon, lat) and the indexes of its parts in the atlas."""

    code: str
    home: tuple[float, float]
    parts: tuple[int, ...]
    core: tuple[int, ...]


class Atlas:
    """Every part of every outline, with what a map needs to pick the visible ones quickly.

    ``polygons[i]`` is part ``i`` (lon/lat); ``owner[i]`` its code (or '' for land without a code);
    ``centres[i]`` the unit vector of its middle and ``radii[i]`` the angle in degrees from there to its
    farthest vertex, so a part more than ``radius`` degrees outside a view is skipped unread.
    """

    def __init__(self, data: dict) -> None:
        polygons: list[Polygon] = []
        owner: list[str] = []
        self.outlines: dict[str, Outline] = {}
        for code, entry in data["countries"].items():
            start = len(polygons)
            core = []
            for part in entry["parts"]:
                if part["core"]:
                    core.append(len(polygons))
                polygons.append(_polygon(part["rings"]))
                owner.append(code)
            home = (float(entry["home"][0]), float(entry["home"][1]))
            self.outlines[code] = Outline(code, home, tuple(range(start, len(polygons))), tuple(core))
        for parts in data.get("other", {}).values():
            for rings in parts:
                polygons.append(_polygon(rings))
                owner.append("")
        self.polygons = np.array(polygons, dtype=object)
        self.owner = np.array(owner, dtype=object)
        self.centres, self.radii = _extents(polygons)

    @classmethod
    @functools.cache
    def default(cls) -> Atlas:
        """The atlas of the package's outlines file, read once."""
        raw = resources.files("dyad.data").joinpath(OUTLINES_FILE).read_bytes()
        return cls(json.loads(gzip.decompress(raw)))


def _ring(flat: list[int]) -> np.ndarray:
    return np.cumsum(np.asarray(flat, dtype=np.float64).reshape(-1, 2), axis=0) * _QUANTUM


def _polygon(rings: list[list[int]]) -> Polygon:
    shell, *holes = (_ring(r) for r in rings)
    return Polygon(shell, holes)


def _extents(polygons: list[Polygon]) -> tuple[np.ndarray, np.ndarray]:
    centres = np.zeros((len(polygons), 3))
    radii = np.zeros(len(polygons))
    for i, p in enumerate(polygons):
        xyz = unit(*np.asarray(p.exterior.coords).T)
        c = xyz.mean(axis=0)
        c /= np.linalg.norm(c)
        centres[i] = c
        radii[i] = np.degrees(np.arccos(np.clip(xyz @ c, -1, 1)).max())
    return centres, radii
