"""The project's table of states (src/dyad/data/states.toml), checked against the Correlates of War and
Gleditsch–Ward lists of states in ../shared/data (read in place; skipped when absent)."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import iso3166
import pytest

from dyad.errors import RulesError
from dyad.query.states import StateTable

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
COW = SHARED / "cow" / "states2016.csv"
GW = SHARED / "cow" / "gw_states.csv"
CROSSWALK = SHARED / "countries" / "crosswalk_iso_cow_gw_demonyms.csv"
FIRST, LAST = 1816, 2016  # the years both lists cover
FORMER = {"SUN", "YUG", "CSK", "DDR", "SCG", "YMD", "XKX"}  # facts.md's codes of former states and Kosovo

needs_lists = pytest.mark.skipif(
    not (COW.exists() and GW.exists() and CROSSWALK.exists()),
    reason="../shared/data (the COW and Gleditsch–Ward lists) is not beside the project",
)


def _years(periods: list[tuple[int, int]]) -> set[int]:
    """The years any of the periods (first and last day, yyyymmdd) touches, within FIRST..LAST."""
    out: set[int] = set()
    for lo, hi in periods:
        out.update(range(max(lo // 10000, FIRST), min(hi // 10000, LAST) + 1))
    return out


def _lists() -> tuple[dict[str, set[int]], dict[str, set[int]]]:
    """Years each ISO code is a state in the COW list and in the Gleditsch–Ward list."""
    cow: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for r in csv.DictReader(COW.open(encoding="utf-8")):
        day = int(r["styear"]) * 10000 + int(r["stmonth"]) * 100 + int(r["stday"])
        end = int(r["endyear"]) * 10000 + int(r["endmonth"]) * 100 + int(r["endday"])
        cow[r["ccode"]].append((day, end))
    gw: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for r in csv.DictReader(GW.open(encoding="utf-8")):
        gw[r["gwcode"]].append((int(r["startdate"].replace("-", "")), int(r["enddate"].replace("-", ""))))
    by_cow, by_gw = {}, {}
    for r in csv.DictReader(CROSSWALK.open(encoding="utf-8")):
        code = "XKX" if r["cca3"] == "UNK" else r["cca3"]
        if cow.get(r["cow_ccode"]):
            by_cow[code] = _years(cow[r["cow_ccode"]])
        if gw.get(r["gwcode"]):
            by_gw[code] = _years(gw[r["gwcode"]])
    return by_cow, by_gw


def test_states_table_loads_and_its_codes_are_states():
    table = StateTable.default()
    assert len(table.periods) > 190
    for code in table.periods:
        assert code in iso3166.countries_by_alpha3 or code in FORMER, code


def test_states_gaps():
    table = StateTable.default()
    assert table.exists("SYR", 19460101) and not table.exists("SYR", 19451231)
    assert table.gap("AUT", 19400101) == (19380314, 19450426)  # the Anschluss
    assert table.exists("AUT", 18500101)  # the Austrian Empire counts as Austria
    assert not table.exists("SUN", 19920101) and table.exists("RUS", 19920101)
    assert table.exists("XYZ", 10000101)  # not in the table: no constraint


def test_states_table_reports_every_problem():
    with pytest.raises(RulesError) as e:
        StateTable.from_toml(
            'version = 1\n[periods]\nAAA = ["1990"]\nBBB = ["2000/1990"]\n[notes]\nCCC = "x"\n'
        )
    assert str(e.value).count("\n  - ") == 3


@needs_lists
def test_states_agree_with_cow_or_gleditsch_ward_year_by_year():
    """Every year a state exists in the table, at least one list covering it says so too, and every year
    both say it does not exist, the table agrees: unless the table explains the difference in a note."""
    table = StateTable.default()
    by_cow, by_gw = _lists()
    problems = []
    for code, periods in table.periods.items():
        first, last = FIRST * 10000 + 101, LAST * 10000 + 1231
        ours = _years([(first if lo is None else lo, last if hi is None else hi) for lo, hi in periods])
        lists = [years for years in (by_cow.get(code), by_gw.get(code)) if years is not None]
        if not lists:
            if code not in table.notes and code not in FORMER:
                problems.append(f"{code}: in neither list and no note")
            continue
        for year in range(FIRST, LAST + 1):
            says = [year in years for years in lists]
            if (year in ours) not in says and code not in table.notes:
                problems.append(f"{code} {year}: table says {year in ours}, the lists {says}")
                break
    assert problems == []


@needs_lists
def test_states_table_lists_every_state_of_the_lists():
    table = StateTable.default()
    by_cow, by_gw = _lists()
    missing = sorted(set(by_cow) | set(by_gw) - set(table.periods))
    assert [c for c in missing if c not in table.periods] == []
