"""The pulse of a pair: events by period, quad classes and Goldstein values; no data is not zero."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from dyad.cli import main
from dyad.kb import group_entries
from dyad.model import Evidence, Fact, SourceRecord, StoredFact
from dyad.query.pulse import pulse
from dyad.render.pulse import pulse_csv, pulse_dict, pulse_svg, pulse_text

NEWS = SourceRecord(1, "story.txt", "A story", "news", "0" * 64, (), (), datetime(2024, 1, 1))


def _fact(
    n: int, type_: str, attrs: dict, cameo: str | None, goldstein: float | None, **when: str
) -> StoredFact:
    evidence = (Evidence("Lead", 0, 5, "Kenya"),)
    fact = Fact(type_, "KEN", "TZA", attrs, evidence, cameo=cameo, goldstein=goldstein, **when)
    return StoredFact(n, fact, NEWS)


FACTS = [
    _fact(1, "meeting", {"kind": "talks"}, "040", 1.0, date="2024-01-09"),
    _fact(2, "statement", {"stance": "praise"}, "051", 3.4, date="2024-01-20"),
    _fact(3, "sanctions", {"action": "imposed"}, "163", -8.0, start="2024-03-02"),
    _fact(4, "statement", {"stance": "condemn"}, "111", -2.0, date="2024-03-15"),
    _fact(5, "agreement", {"kind": "treaty", "name": "treaty"}, "057", 8.0, date="2024-03"),
    _fact(6, "visit", {}, "042", 1.9, date="2024"),  # a year: too coarse for months
    _fact(7, "statement", {"stance": "support"}, "051", 3.4),  # undated
    _fact(8, "mission", {"kind": "embassy", "city": "Nairobi"}, None, None, start="2024-02-01"),  # a state
]


def test_pulse_by_month_with_a_period_of_no_data():
    p = pulse(group_entries(FACTS), "KEN", "TZA", by="month", names={"KEN": "Kenya", "TZA": "Tanzania"})
    assert [
        (x.label, x.events, x.cooperation, x.conflict, x.goldstein_sum, x.goldstein_mean) for x in p.periods
    ] == [
        ("2024-01", 2, 2, 0, 4.4, 2.2),
        ("2024-02", None, None, None, None, None),  # the embassy is no event: February has no data
        ("2024-03", 3, 1, 2, -2.0, -0.67),
    ]
    assert dict(p.periods[2].quad) == {
        "verbal-cooperation": 1,  # 057 signing a formal agreement is verbal cooperation (roots 01-05)
        "material-cooperation": 0,
        "verbal-conflict": 1,
        "material-conflict": 1,
    }
    assert (p.coarse, p.undated, p.events) == (1, 1, 5)


def test_pulse_by_quarter_and_year():
    quarters = pulse(group_entries(FACTS), "KEN", "TZA", by="quarter")
    assert [(x.label, x.events) for x in quarters.periods] == [("2024-Q1", 5)]
    years = pulse(group_entries(FACTS), "KEN", "TZA", by="year")
    assert [(x.label, x.events, x.goldstein_sum) for x in years.periods] == [("2024", 6, 4.3)]
    assert (years.coarse, years.undated) == (0, 1)
    with pytest.raises(ValueError, match="unknown period 'week'"):
        pulse([], "KEN", "TZA", by="week")


def test_pulse_text_json_and_csv_show_no_data_as_such():
    p = pulse(group_entries(FACTS), "KEN", "TZA", names={"KEN": "Kenya", "TZA": "Tanzania"})
    assert pulse_text(p) == (
        "Kenya – Tanzania: events by month\n"
        "period    events  coop  conflict  goldstein   mean\n"
        "2024-01        2     2         0       +4.4  +2.20\n"
        "2024-02  no data\n"
        "2024-03        3     1         2       -2.0  -0.67\n"
        "1 event(s) dated less precisely than a month, not counted\n"
        "1 undated event(s), not counted\n"
    )
    shape = pulse_dict(p)
    assert shape["periods"][1] == {
        "period": "2024-02",
        "events": None,
        "cooperation": None,
        "conflict": None,
        "quad_classes": None,
        "goldstein_sum": None,
        "goldstein_mean": None,
    }
    assert shape["not_counted"] == {"coarse": 1, "undated": 1}
    assert pulse_csv(p).splitlines() == [
        "period,events,cooperation,conflict,verbal_cooperation,material_cooperation,verbal_conflict,"
        "material_conflict,goldstein_sum,goldstein_mean",
        "2024-01,2,2,0,2,0,0,0,4.4,2.2",
        "2024-02,,,,,,,,,",
        "2024-03,3,1,2,1,0,1,1,-2.0,-0.67",
    ]


def test_pulse_chart_breaks_its_lines_where_there_is_no_data():
    p = pulse(group_entries(FACTS), "KEN", "TZA", names={"KEN": "Kenya <&>", "TZA": "Tanzania"})
    svg = pulse_svg(p)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert svg.count('class="nodata"') == 1
    assert svg.count('class="line events"') == 0  # January and March are apart: points, no line across
    assert svg.count('class="point events"') == 2
    assert svg.count('class="goldstein"') == 2
    assert "Kenya &lt;&amp;&gt;" in svg and "Kenya <&>" not in svg


STORY = "{headline}\n\nNAIROBI, {day} (Reuters) - {body}\n"
STORIES = [
    ("Kenya and Tanzania hold talks", "January 10, 2024",
     "The foreign ministers of Kenya and Tanzania met in Nairobi on Tuesday to discuss trade."),
    ("Kenya imposes sanctions on Tanzania", "March 8, 2024",
     "Kenya imposed sanctions on Tanzania on Thursday over the dispute about fishing rights."),
    ("Kenya and Tanzania sign energy agreement", "March 21, 2024",
     "Kenya and Tanzania signed an agreement on energy cooperation on Wednesday."),
]  # fmt: skip


def _db(tmp_path: Path) -> Path:
    for n, (headline, day, body) in enumerate(STORIES):
        (tmp_path / f"s{n}.txt").write_text(STORY.format(headline=headline, day=day, body=body))
    db = tmp_path / "kb.duckdb"
    result = CliRunner().invoke(
        main, ["ingest", "--db", str(db), *(str(p) for p in sorted(tmp_path.glob("*.txt")))]
    )
    assert result.exit_code == 0, result.stderr
    return db


def test_cli_pulse_and_pulse_chart(tmp_path):
    db = _db(tmp_path)
    result = CliRunner().invoke(main, ["pulse", "--db", str(db), "Kenya", "Tanzania"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "Kenya – Tanzania: events by month\n"
        "period    events  coop  conflict  goldstein   mean\n"
        "2024-01        1     1         0       +1.0  +1.00\n"
        "2024-02  no data\n"
        "2024-03        2     1         1       +0.0  +0.00\n"
    )
    as_json = CliRunner().invoke(
        main, ["pulse", "--db", str(db), "KEN", "TZA", "--by", "year", "--format", "json"]
    )
    assert json.loads(as_json.stdout)["periods"] == [
        {
            "period": "2024",
            "events": 3,
            "cooperation": 2,
            "conflict": 1,
            "quad_classes": {
                "verbal-cooperation": 2,
                "material-cooperation": 0,
                "verbal-conflict": 0,
                "material-conflict": 1,
            },
            "goldstein_sum": 1.0,
            "goldstein_mean": 0.33,
        }
    ]
    out = tmp_path / "pulse.svg"
    drawn = CliRunner().invoke(
        main, ["chart", "--db", str(db), "Kenya", "Tanzania", "--pulse", "-o", str(out)]
    )
    assert drawn.exit_code == 0, drawn.stderr
    assert out.read_text().count('class="nodata"') == 1


def test_cli_pulse_errors_are_one_line(tmp_path):
    db = _db(tmp_path)
    result = CliRunner().invoke(main, ["pulse", "--db", str(db), "Kenya", "Narnia"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: unknown country or organisation 'Narnia'")
    assert len(result.stderr.splitlines()) == 1
