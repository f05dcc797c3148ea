"""Tests of locator maps: the SVG's structure, the framing of hard pairs, and a map for every UN member."""

from __future__ import annotations

import random
import re
import struct
import xml.etree.ElementTree as ET

import pytest

from dyad.errors import DyadError, UnknownActorError
from dyad.render.maps import COLOURS, HEIGHT, LEGEND_HEIGHT, WIDTH, locator_map, locator_png, locator_svg

SVG = "{http://www.w3.org/2000/svg}"

# The 193 member states of the United Nations, by ISO alpha-3 code: the gazetteer's current states
# less its territories (Réunion, Greenland …) and the states that are not members (Holy See, Palestine,
# Taiwan, Kosovo, and the project-coded de facto states).
UN_MEMBERS = """
AFG AGO ALB AND ARE ARG ARM ATG AUS AUT AZE BDI BEL BEN BFA BGD BGR BHR BHS BIH BLR BLZ BOL BRA BRB
BRN BTN BWA CAF CAN CHE CHL CHN CIV CMR COD COG COL COM CPV CRI CUB CYP CZE DEU DJI DMA DNK DOM DZA
ECU EGY ERI ESP EST ETH FIN FJI FRA FSM GAB GBR GEO GHA GIN GMB GNB GNQ GRC GRD GTM GUY HND HRV HTI
HUN IDN IND IRL IRN IRQ ISL ISR ITA JAM JOR JPN KAZ KEN KGZ KHM KIR KNA KOR KWT LAO LBN LBR LBY LCA
LIE LKA LSO LTU LUX LVA MAR MCO MDA MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG MOZ MRT MUS MWI MYS NAM
NER NGA NIC NLD NOR NPL NRU NZL OMN PAK PAN PER PHL PLW PNG POL PRK PRT PRY QAT ROU RUS RWA SAU SDN
SEN SGP SLB SLE SLV SMR SOM SRB SSD STP SUR SVK SVN SWE SWZ SYC SYR TCD TGO THA TJK TKM TLS TON TTO
TUN TUR TUV TZA UGA UKR URY USA UZB VCT VEN VNM VUT WSM YEM ZAF ZMB ZWE
""".split()
MAP_HEIGHT = HEIGHT - LEGEND_HEIGHT
_POINT = re.compile(r"(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)")


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def by_id(root: ET.Element, ident: str) -> ET.Element | None:
    return next((e for e in root.iter() if e.get("id") == ident), None)


def rings(path: ET.Element) -> list[list[tuple[float, float]]]:
    return [[(float(x), float(y)) for x, y in _POINT.findall(r)] for r in path.get("d", "").split("M")[1:]]


def extent(path: ET.Element) -> tuple[float, float, float, float]:
    points = [p for r in rings(path) for p in r]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return min(xs), min(ys), max(xs), max(ys)


def markers(root: ET.Element, code: str) -> list[tuple[float, float, float]]:
    group = by_id(root, f"marker-{code}")
    if group is None:
        return []
    rings = [c for c in group if c.get("fill") is None]  # each circle has a dot at its centre
    return [(float(c.get("cx")), float(c.get("cy")), float(c.get("r"))) for c in rings]


def assert_drawn(root: ET.Element, code: str, colour: str) -> None:
    """The country's path is there in its colour, and shows (outline inside the map, or a marker)."""
    path = by_id(root, f"country-{code}")
    assert path is not None, code
    assert (path.tag, path.get("class"), path.get("fill")) == (f"{SVG}path", "pair", colour)
    spots = markers(root, code)
    if rings(path):
        x0, y0, x1, y1 = extent(path)
        assert 0 <= x0 < x1 <= WIDTH and 0 <= y0 < y1 <= MAP_HEIGHT, (code, x0, y0, x1, y1)
    else:
        assert spots, f"{code}: neither outline nor marker"
    for x, y, r in spots:
        assert 0 < x < WIDTH and 0 < y < MAP_HEIGHT and r > 0, (code, x, y)


# --------------------------------------------------------------------------------------------------
# Structure


def test_maps_svg_pair_paths_in_their_colours():
    root = parse(locator_svg("Belgium", "Syria"))
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == f"0 0 {WIDTH} {HEIGHT}"
    assert_drawn(root, "BEL", COLOURS[0])
    assert_drawn(root, "SYR", COLOURS[1])
    # Neighbours are drawn, in the land colour, not the pair's.
    for code in ("FRA", "NLD", "DEU", "TUR", "LBN", "ISR"):
        path = by_id(root, f"country-{code}")
        assert path is not None and path.get("fill") is None and path.get("class") is None, code
    assert by_id(root, "locator-sea") is not None
    assert root.find(f"{SVG}title").text == "Belgium and Syria"
    legend = [t.text for t in by_id(root, "locator-legend").iter(f"{SVG}text")]
    assert legend == ["Belgium", "Syria", "Outlines: Natural Earth"]


def test_maps_svg_frame_leaves_margins_around_compact_pairs():
    for a, b in [("Belgium", "Syria"), ("Japan", "Peru"), ("Holy See", "Israel"), ("Andorra", "Spain")]:
        m = locator_map(a, b)
        root = parse(locator_svg(a, b))
        for code in m.codes:
            if markers(root, code):
                continue
            x0, y0, x1, y1 = extent(by_id(root, f"country-{code}"))
            assert x0 > 10 and y0 > 10 and x1 < WIDTH - 10 and y1 < MAP_HEIGHT - 10, (a, b, code)


def test_maps_microstates_are_marked():
    root = parse(locator_svg("Holy See", "Israel"))
    ((x, y, r),) = markers(root, "VAT")
    assert by_id(root, "marker-VAT").get("stroke") == COLOURS[0]
    assert r >= 9
    assert markers(root, "ISR") == []
    # Tuvalu has no outline at 1:50m: only its marker shows where it is.
    root = parse(locator_svg("Fiji", "Tuvalu"))
    assert rings(by_id(root, "country-TUV")) == []
    assert len(markers(root, "TUV")) == 1
    assert by_id(root, "marker-TUV").get("stroke") == COLOURS[1]
    for a, b in [("Andorra", "Spain"), ("Singapore", "Malta"), ("Monaco", "France")]:
        root = parse(locator_svg(a, b))
        assert markers(root, locator_map(a, b).codes[0]), a


def test_maps_antimeridian_pairs_have_no_wrapped_rings():
    # A ring drawn across the antimeridian the wrong way spans the whole map.
    for a, b, widest in [("Fiji", "New Zealand", 100), ("Russia", "United States", 0.6 * WIDTH)]:
        root = parse(locator_svg(a, b))
        for code in locator_map(a, b).codes:
            for ring in rings(by_id(root, f"country-{code}")):
                xs = [x for x, _ in ring]
                assert max(xs) - min(xs) < widest, (a, b, code)
        assert_drawn(root, locator_map(a, b).codes[0], COLOURS[0])


def test_maps_far_pairs_are_drawn_on_a_world_map():
    m = locator_map("Japan", "Peru")
    assert m.projection.startswith("+proj=eqearth")
    assert locator_map("Belgium", "Syria").projection.startswith("+proj=laea")


def test_maps_are_deterministic():
    assert locator_svg("Fiji", "New Zealand") == locator_svg("FJI", "NZL")


def test_maps_names_adjectives_and_codes():
    assert locator_map("belgian", "SYR").codes == ("BEL", "SYR")
    assert locator_map("Syria", "Belgium").names == ("Syria", "Belgium")


def test_maps_png_is_written_at_its_size(tmp_path):
    path = tmp_path / "m.png"
    locator_png("Belgium", "Syria", path, width=400, height=300)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (400, 300)


# --------------------------------------------------------------------------------------------------
# Errors


def test_maps_unknown_country_lists_suggestions():
    with pytest.raises(UnknownActorError) as e:
        locator_svg("Belgum", "Syria")
    assert str(e.value).startswith("unknown country or organisation 'Belgum'; did you mean Belgium")


def test_maps_same_country_twice():
    with pytest.raises(DyadError) as e:
        locator_svg("Belgium", "BEL")
    assert str(e.value) == "'Belgium' and 'BEL' are the same country (BEL); a locator map needs two"


def test_maps_actor_without_outline():
    with pytest.raises(DyadError) as e:
        locator_svg("EU", "Syria")
    assert str(e.value) == "'EU': no outline of European Union (EU) to draw: it is an organisation"
    with pytest.raises(DyadError) as e:
        locator_svg("Soviet Union", "Syria")
    assert str(e.value) == "'Soviet Union': no outline of Soviet Union (SUN) to draw: it no longer exists"


# --------------------------------------------------------------------------------------------------
# Every UN member


def test_maps_un_members_are_193():
    assert len(UN_MEMBERS) == len(set(UN_MEMBERS)) == 193


@pytest.mark.parametrize("partner", ["BEL", "FJI"])
def test_maps_every_un_member_renders(partner):
    for code in UN_MEMBERS:
        other = "SYR" if code == partner else partner
        root = parse(locator_svg(code, other))
        assert_drawn(root, code, COLOURS[0])
        assert_drawn(root, other, COLOURS[1])


def test_maps_sample_of_pairs_render():
    rng = random.Random(4)
    for _ in range(40):
        a, b = rng.sample(UN_MEMBERS, 2)
        root = parse(locator_svg(a, b))
        assert_drawn(root, a, COLOURS[0])
        assert_drawn(root, b, COLOURS[1])


# --------------------------------------------------------------------------------------------------
# Geometry that never fails, views that do not distort


def test_maps_outlines_are_valid_geometries():
    import shapely

    from dyad.render.outlines import Atlas

    polygons = Atlas.default().polygons
    assert len(polygons) > 1000 and bool(shapely.is_valid(polygons).all())


def test_maps_pairs_whose_world_edge_met_a_vertex_render():
    # A map centred on 160°W has its edge on 20°E, where a vertex of Greece lies: GEOS failed on these.
    for a, b in [("BLZ", "KOR"), ("BRN", "ECU"), ("KOR", "SLV")]:
        m = locator_map(a, b)
        assert m.projection.startswith("+proj=eqearth +lon_0=-160.000000")
        root = parse(svg_of(m))
        assert_drawn(root, a, COLOURS[0])
        assert_drawn(root, b, COLOURS[1])


def svg_of(m):
    from dyad.render.maps import svg

    return svg(m)


def tissot_ratios(frame, points=41):
    """The ratio of the largest to the smallest scale of the projection at points along the frame's edge
    (the Tissot indicatrix; 1 is no distortion), for the points on the globe between 60°S and 60°N."""
    import numpy as np
    from pyproj import Proj

    t = np.linspace(0.0, 1.0, points)
    xs = np.concatenate(
        [frame.x0 + t * (frame.x1 - frame.x0)] * 2 + [np.full_like(t, frame.x0), np.full_like(t, frame.x1)]
    )
    ys = np.concatenate(
        [np.full_like(t, frame.y0), np.full_like(t, frame.y1)] + [frame.y0 + t * (frame.y1 - frame.y0)] * 2
    )
    lon, lat = frame.view.inverse(xs, ys)
    on = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 60)
    back_x, back_y = frame.view.forward(lon[on], lat[on])
    on[on] = np.isclose(back_x, xs[on], atol=1e3) & np.isclose(back_y, ys[on], atol=1e3)  # off the globe
    factors = Proj(frame.view.crs).get_factors(lon[on], lat[on])
    return factors.tissot_semimajor / factors.tissot_semiminor


def test_maps_pairs_100_to_115_degrees_apart_are_not_distorted_at_the_frame_edge():
    import itertools

    import numpy as np

    from dyad.render.outlines import Atlas, unit
    from dyad.render.project import choose_view

    atlas = Atlas.default()
    aspect = WIDTH / MAP_HEIGHT
    worst = {"laea": 0.0, "world": 0.0}
    seen = 0
    for a, b in itertools.combinations(UN_MEMBERS, 2):
        oa, ob = atlas.outlines[a], atlas.outlines[b]
        ha, hb = unit(*np.array([oa.home, ob.home]).T)
        if not 100 <= np.degrees(np.arccos(np.clip(ha @ hb, -1, 1))) <= 115:
            continue
        seen += 1
        frame = choose_view(atlas, oa, ob, aspect)
        worst[frame.view.kind] = max(worst[frame.view.kind], float(tissot_ratios(frame).max()))
    assert seen > 1400
    # An azimuthal frame stretches shapes at most 2:1 at its edge (it reached 3.5:1: Ethiopia and the
    # United States); wider pairs are on the world map, whose stretch between 60°S and 60°N stays
    # under 3.3:1 at the frame's edge.
    assert worst["laea"] <= 2.0 + 1e-6 and worst["world"] < 3.3, worst
    ethiopia_usa = choose_view(atlas, atlas.outlines["ETH"], atlas.outlines["USA"], aspect)
    assert ethiopia_usa.view.kind == "world"


def test_maps_every_un_member_renders_on_the_pair_page():
    # Through the renderer the pair page uses, each member with a partner at a different distance
    # (a stride through the list); bench/maps.py draws all 18,528 pairs the same way.
    from dyad.web.render import locator

    for i, code in enumerate(UN_MEMBERS):
        partner = UN_MEMBERS[(i * 37 + 11) % len(UN_MEMBERS)]
        if partner == code:
            partner = UN_MEMBERS[(i + 1) % len(UN_MEMBERS)]
        root = parse(str(locator(code, partner)))
        assert_drawn(root, code, COLOURS[0])
        assert_drawn(root, partner, COLOURS[1])
