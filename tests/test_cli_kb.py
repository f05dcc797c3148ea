"""Tests of the knowledge-base commands, through a small ``main`` group with the commands registered."""

from __future__ import annotations

import csv
import io
import json

import click
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from dyad.cli_kb import register
from dyad.report import FACT_COLUMNS
from test_kb import BASE, gazetteer, mini, write

NO_INPUTS = (
    "directory has no articles (no .txt, .wiki, .wikitext, .html, .htm, .xml, .xml.bz2, .xml.gz files)"
)

assert mini  # a fixture, used by name


@click.group()
def main() -> None:
    """dyad, as these tests build it."""


register(main)

SOURCE = "Belgium–Syria relations"
OTHER = "Syria and Belgium"


@pytest.fixture
def db(tmp_path, mini, monkeypatch):
    path = tmp_path / "kb.duckdb"
    monkeypatch.setenv("DYAD_DB", str(path))
    return path


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def base(tmp_path, db):
    path = write(tmp_path / "a" / "belgium-syria.txt", SOURCE, *BASE)
    assert run("ingest", str(path)).exit_code == 0
    return path


@pytest.fixture
def other(tmp_path, base):
    path = write(
        tmp_path / "b" / "other.txt",
        OTHER,
        "parties SYR BEL",
        "relations SYR BEL | status=established | start=1947",
        "mission BEL SYR | kind=embassy | city=Damascus",
    )
    assert run("ingest", str(path)).exit_code == 0
    return path


def test_cli_kb_commands_registered():
    result = run("--help")
    for command in ("ingest", "show", "timeline", "facts", "pairs", "sources"):
        assert f"  {command} " in result.stdout


# -- ingest --


def test_cli_kb_ingest(tmp_path, db):
    write(tmp_path / "d" / "a.txt", "A", "mission BEL SYR | kind=embassy")
    write(tmp_path / "d" / "b.txt", "B", "mission SYR BEL | kind=embassy", "membership BEL GCDI")
    result = run("ingest", str(tmp_path / "d"))
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == f"2 added, 0 replaced, 0 unchanged, 0 failed; 3 facts written to {db}\n"
    again = run("ingest", str(tmp_path / "d" / "a.txt"), str(tmp_path / "d"))
    assert again.stdout == f"0 added, 0 replaced, 2 unchanged, 0 failed; 0 facts written to {db}\n"
    write(
        tmp_path / "d" / "a.txt",
        "A",
        "mission BEL SYR | kind=embassy | end=2012",
        "visit BEL SYR | date=2001",
    )
    changed = run("ingest", str(tmp_path / "d"))
    assert changed.stdout == f"0 added, 1 replaced, 1 unchanged, 0 failed; 2 facts written to {db}\n"
    assert run("sources", "--format", "json").stdout.count('"facts": 2') == 2


def test_cli_kb_ingest_bad_files_reported_others_ingested(tmp_path, db):
    write(tmp_path / "d" / "a.txt", "A", "mission BEL SYR | kind=embassy")
    (tmp_path / "d" / "bad.txt").write_bytes(b"\xff\xfe not text")
    (tmp_path / "empty").mkdir()
    result = run("ingest", str(tmp_path / "missing.txt"), str(tmp_path / "d"), str(tmp_path / "empty"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {tmp_path / 'missing.txt'}: no such file or directory\n"
        f"Error: {tmp_path / 'empty'}: {NO_INPUTS}\n"
        f"Error: {tmp_path / 'd' / 'bad.txt'}: not UTF-8 text\n"
    )
    assert result.stdout == f"1 added, 0 replaced, 0 unchanged, 3 failed; 1 facts written to {db}\n"


def test_cli_kb_db_option_beats_env(tmp_path, db):
    path = write(tmp_path / "a.txt", "A", "mission BEL SYR | kind=embassy")
    result = run("ingest", str(path), "--db", str(tmp_path / "other.duckdb"))
    assert result.stdout.endswith(f"written to {tmp_path / 'other.duckdb'}\n")
    assert not db.exists()


# -- show --

SHOW_2013 = f"""\
Belgium – Syria on 2013
Relations
  established, open since 1946-03-20 [{SOURCE}]
Missions
  Belgium → Syria: embassy in Damascus, closed 2012 [{SOURCE}]
  Syria → Belgium: embassy in Brussels, open since ? [{SOURCE}]
Envoys
  Belgium → Syria: chargé d'affaires M.R. Taymans, resident in Beirut, open since 1946-03-20 [{SOURCE}]
  Syria → Belgium: none known
Trade
  Syria → Belgium: textiles, phosphates (growing), open 200X, closed 2011 [{SOURCE}]
Sanctions
  Belgium → Syria: sanctions on officials, businesses via EU, open since 2011 [{SOURCE}]
Statements
  Belgium → Syria: condemn: the government’s actions, 2011 [{SOURCE}]
  Belgium → Syria: support: the UN-led peace process, date ? [{SOURCE}]
"""


def test_cli_kb_show_text(base):
    result = run("show", "BEL", "SYR", "--at", "2013")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == SHOW_2013
    assert run("show", "Belgian", "Syria", "--at", "2013").stdout == SHOW_2013


def test_cli_kb_show_text_2010_other_way_round(base):
    assert (
        run("show", "Syria", "Belgium", "--at", "2010").stdout
        == f"""\
Syria – Belgium on 2010
Relations
  established, open since 1946-03-20 [{SOURCE}]
Missions
  Syria → Belgium: embassy in Brussels, open since ? [{SOURCE}]
  Belgium → Syria: embassy in Damascus, open since ? [{SOURCE}]
Envoys
  Belgium → Syria: chargé d'affaires M.R. Taymans, resident in Beirut, open since 1946-03-20 [{SOURCE}]
  Syria → Belgium: none known
Trade
  Syria → Belgium: textiles, phosphates (growing), open since 200X [{SOURCE}]
Statements
  Belgium → Syria: support: the UN-led peace process, date ? [{SOURCE}]
"""
    )


def test_cli_kb_show_disagreement(other):
    assert run("show", "BEL", "SYR", "--at", "2013").stdout.splitlines()[:8] == [
        "Belgium – Syria on 2013",
        "Relations",
        f"  established, open since 1946-03-20 [{SOURCE}] (sources disagree: {OTHER} says open since 1947)",
        f"  established, open since 1947 [{OTHER}] (sources disagree: {SOURCE} says open since 1946-03-20)",
        "Missions",
        f"  Belgium → Syria: embassy in Damascus, open since ? [{OTHER}] "
        f"(sources disagree: {SOURCE} says closed 2012)",
        f"  Belgium → Syria: embassy in Damascus, closed 2012 [{SOURCE}] "
        f"(sources disagree: {OTHER} says open since ?)",
        f"  Syria → Belgium: embassy in Brussels, open since ? [{SOURCE}]",
    ]


def test_cli_kb_show_json(tmp_path, db):
    path = write(tmp_path / "a.txt", "A", "mission BEL SYR | kind=embassy | city=Damascus | end=2012")
    run("ingest", str(path))
    result = run("show", "BEL", "SYR", "--at", "2012", "--format", "json")
    data = json.loads(result.stdout)
    quote = "mission BEL SYR | kind=embassy | city=Damascus | end=2012"
    source = {"path": str(path), "title": "A"}
    assert data == {
        "a": "BEL",
        "b": "SYR",
        "at": "2012",
        "names": {"BEL": "Belgium", "SYR": "Syria"},
        "sections": {
            "relations": [],
            "missions": [
                {
                    "type": "mission",
                    "actor": "BEL",
                    "target": "SYR",
                    "attrs": {"kind": "embassy", "city": "Damascus"},
                    "start": None,
                    "end": "2012",
                    "date": None,
                    "description": "embassy in Damascus",
                    "status": "closed",
                    "sources": [source],
                    "disagreement": [],
                    "facts": [
                        {
                            "type": "mission",
                            "actor": "BEL",
                            "target": "SYR",
                            "attrs": {"kind": "embassy", "city": "Damascus"},
                            "start": None,
                            "end": "2012",
                            "date": None,
                            "polarity": "asserted",
                            "evidence": [
                                {"section": "Body", "start": 6, "end": 6 + len(quote), "quote": quote}
                            ],
                            "confidence": 0.9,
                            "source": source,
                        }
                    ],
                }
            ],
            **{s: [] for s in ("envoys", "trade", "sanctions", "aid", "migration", "statements")},
            **{s: [] for s in ("agreements", "visits", "meetings", "memberships", "security", "conflicts")},
        },
    }


def test_cli_kb_show_json_disagreement(other):
    data = json.loads(run("show", "BEL", "SYR", "--at", "2013", "--format", "json").stdout)
    [first, second, _] = data["sections"]["missions"]
    assert first["disagreement"] == [
        {
            "start": None,
            "end": "2012",
            "date": None,
            "sources": [{"path": str(base_path(other)), "title": SOURCE}],
        }
    ]
    assert second["disagreement"][0]["sources"] == [{"path": str(other), "title": OTHER}]


def base_path(other):
    return other.parent.parent / "a" / "belgium-syria.txt"


def test_cli_kb_show_unknown_name(base):
    result = run("show", "Belgum", "SYR")
    assert result.exit_code == 1
    assert result.stdout == ""
    suggestions = ", ".join(gazetteer().suggest("Belgum"))
    assert result.stderr == f"Error: unknown country or organisation 'Belgum'; did you mean {suggestions}?\n"


def test_cli_kb_show_bad_date(base):
    result = run("show", "BEL", "SYR", "--at", "someday")
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: cannot read the date 'someday'; "
        "give a year (2013), a month (2013-05) or a day (20 March 1946)\n",
    )


def test_cli_kb_show_without_knowledge_base(tmp_path, db):
    result = run("show", "BEL", "SYR")
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {db}: no knowledge base there; run 'dyad ingest' first\n",
    )


def test_cli_kb_show_pair_without_facts(base):
    result = run("show", "France", "SYR", "--at", "2000")
    assert result.stdout == (
        "France – Syria on 2000\n"
        "No facts about this pair; 'dyad pairs' lists the pairs the knowledge base holds.\n"
    )


# -- timeline --

TIMELINE = f"""\
1946-03-20  start  relations established [{SOURCE}]
1946-03-20  start  envoy Belgium → Syria: chargé d'affaires M.R. Taymans, resident in Beirut [{SOURCE}]
200X        start  trade Syria → Belgium: textiles, phosphates (growing) [{SOURCE}]
2011        end    trade Syria → Belgium: textiles, phosphates (growing) [{SOURCE}]
2011        start  sanctions Belgium → Syria: sanctions on officials, businesses via EU [{SOURCE}]
2011        date   statement Belgium → Syria: condemn: the government’s actions [{SOURCE}]
2012        end    mission Belgium → Syria: embassy in Damascus [{SOURCE}]
2020        date   migration Syria → Belgium: asylum-seekers [{SOURCE}]

Undated
  mission Syria → Belgium: embassy in Brussels [{SOURCE}]
  statement Belgium → Syria: support: the UN-led peace process [{SOURCE}]
"""


def test_cli_kb_timeline_text(base):
    result = run("timeline", "SYR", "BEL")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == TIMELINE


def test_cli_kb_timeline_disagreement(other):
    lines = run("timeline", "BEL", "SYR").stdout.splitlines()
    disagree = "(sources disagree: {} says {})".format
    assert (
        lines[0]
        == f"1946-03-20  start  relations established [{SOURCE}] {disagree(OTHER, 'open since 1947')}"
    )
    assert (
        lines[2]
        == f"1947        start  relations established [{OTHER}] {disagree(SOURCE, 'open since 1946-03-20')}"
    )
    mission = f"  mission Belgium → Syria: embassy in Damascus [{OTHER}] {disagree(SOURCE, 'closed 2012')}"
    assert mission in lines


def test_cli_kb_timeline_csv(base):
    rows = list(csv.reader(io.StringIO(run("timeline", "BEL", "SYR", "--format", "csv").stdout)))
    assert rows[0] == [
        "when", "event", "type", "actor", "target", "description", "start", "end", "date", "sources", "paths",
        "disagreement",
    ]  # fmt: skip
    assert rows[1] == [
        "1946-03-20", "start", "relations", "BEL", "SYR", "established", "1946-03-20", "", "", SOURCE,
        str(base), "",
    ]  # fmt: skip
    assert rows[-1] == [
        "", "undated", "statement", "BEL", "SYR", "support: the UN-led peace process", "", "", "", SOURCE,
        str(base), "",
    ]  # fmt: skip
    assert [r[:3] for r in rows[1:]] == [
        ["1946-03-20", "start", "relations"],
        ["1946-03-20", "start", "envoy"],
        ["200X", "start", "trade"],
        ["2011", "end", "trade"],
        ["2011", "start", "sanctions"],
        ["2011", "date", "statement"],
        ["2012", "end", "mission"],
        ["2020", "date", "migration"],
        ["", "undated", "mission"],
        ["", "undated", "statement"],
    ]


def test_cli_kb_timeline_json(other):
    data = json.loads(run("timeline", "BEL", "SYR", "--format", "json").stdout)
    assert (data["a"], data["b"], data["names"]) == ("BEL", "SYR", {"BEL": "Belgium", "SYR": "Syria"})
    first = data["events"][0]
    assert (first["when"], first["event"], first["type"], first["sources"]) == (
        "1946-03-20",
        "start",
        "relations",
        [{"path": str(base_path(other)), "title": SOURCE}],
    )
    assert first["disagreement"] == [
        {"start": "1947", "end": None, "date": None, "sources": [{"path": str(other), "title": OTHER}]}
    ]
    assert (
        first["facts"][0]["evidence"][0]["quote"]
        == "relations BEL SYR | status=established | start=1946-03-20"
    )
    assert [e["type"] for e in data["undated"]] == ["mission", "mission", "statement"]


# -- facts --


@pytest.fixture
def small(tmp_path, db):
    path = write(
        tmp_path / "s.txt",
        "Small",
        "parties BEL SYR",
        "mission BEL SYR | kind=embassy | city=Damascus | end=2012",
        "sanctions EU SYR | scope=officials,businesses | start=2011",
    )
    assert run("ingest", str(path)).exit_code == 0
    return path


def test_cli_kb_facts_json(small):
    result = run("facts")
    assert result.stdout.count("\n") == 1
    sha = json.loads(result.stdout)["source"]["sha256"]
    text = small.read_text(encoding="utf-8")
    q1 = "mission BEL SYR | kind=embassy | city=Damascus | end=2012"
    q2 = "sanctions EU SYR | scope=officials,businesses | start=2011"
    assert json.loads(result.stdout) == {
        "source": {
            "path": str(small),
            "title": "Small",
            "format": "article",
            "sha256": sha,
            "url": None,
            "published": None,
            "publisher": None,
        },
        "parties": ["BEL", "SYR"],
        "facts": [
            {
                "type": "mission",
                "actor": "BEL",
                "target": "SYR",
                "attrs": {"kind": "embassy", "city": "Damascus"},
                "start": None,
                "end": "2012",
                "date": None,
                "polarity": "asserted",
                "evidence": [
                    {"section": "Body", "start": text.index(q1), "end": text.index(q1) + len(q1), "quote": q1}
                ],
                "confidence": 0.9,
            },
            {
                "type": "sanctions",
                "actor": "EU",
                "target": "SYR",
                "attrs": {"scope": ["officials", "businesses"]},
                "start": "2011",
                "end": None,
                "date": None,
                "polarity": "asserted",
                "evidence": [
                    {"section": "Body", "start": text.index(q2), "end": text.index(q2) + len(q2), "quote": q2}
                ],
                "confidence": 0.9,
            },
        ],
        "links": [],
    }


def test_cli_kb_facts_filters(small):
    def types(*args):
        return [
            f["type"] for line in run("facts", *args).stdout.splitlines() for f in json.loads(line)["facts"]
        ]

    assert types("Belgium") == ["mission"]
    assert types("SYR", "EU") == ["sanctions"]
    assert types("--type", "sanctions") == ["sanctions"]
    assert types("--since", "2013") == ["sanctions"]
    assert types("--until", "2010") == ["mission"]
    assert types("--since", "2011", "--until", "2012") == ["mission", "sanctions"]
    assert run("facts", "FRA").stdout == ""


def test_cli_kb_facts_csv(small):
    rows = list(csv.DictReader(io.StringIO(run("facts", "--format", "csv").stdout)))
    assert list(rows[0]) == list(FACT_COLUMNS)
    assert {k: v for k, v in rows[1].items() if v and k != "evidence"} == {
        "source_path": str(small),
        "source_title": "Small",
        "type": "sanctions",
        "actor": "EU",
        "target": "SYR",
        "start": "2011",
        "confidence": "0.9",
        "attrs.scope": "officials; businesses",
    }
    assert (
        json.loads(rows[1]["evidence"])[0]["quote"]
        == "sanctions EU SYR | scope=officials,businesses | start=2011"
    )


def test_cli_kb_facts_parquet(small, tmp_path):
    result = CliRunner().invoke(main, ["facts", "--format", "parquet"])
    table = pq.read_table(io.BytesIO(result.stdout_bytes))
    assert table.column_names == list(FACT_COLUMNS)
    rows = table.to_pylist()
    assert [(r["type"], r["end"], r["confidence"], r["attrs.city"]) for r in rows] == [
        ("mission", "2012", 0.9, "Damascus"),
        ("sanctions", None, 0.9, None),
    ]


def test_cli_kb_facts_too_many_actors(small):
    result = CliRunner().invoke(main, ["facts", "BEL", "SYR", "FRA"])
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: give at most two countries\n")


def test_cli_kb_facts_bad_type(small):
    result = CliRunner().invoke(main, ["facts", "--type", "war"])
    assert result.exit_code == 2
    assert "'war' is not one of 'relations', 'mission'" in result.stderr


# -- pairs and sources --


def test_cli_kb_pairs(small, base):
    gcdi = gazetteer().name("GCDI")
    assert run("pairs").stdout == (
        "a    b     facts  sources  names\n"
        f"BEL  GCDI      1        1  Belgium – {gcdi}\n"
        "BEL  SYR      10        2  Belgium – Syria\n"
        f"EU   SYR       1        1  {gazetteer().name('EU')} – Syria\n"
    )
    assert json.loads(run("pairs", "--format", "json").stdout)[1] == {
        "a": "BEL",
        "b": "SYR",
        "names": ["Belgium", "Syria"],
        "facts": 10,
        "sources": 2,
    }


def test_cli_kb_sources(small, base):
    lines = run("sources").stdout.splitlines()
    assert lines[0] == "id  facts  ingested          title                    path"
    assert [(line[:9], line[29:]) for line in lines[1:]] == [
        (" 2     10", f"{SOURCE}  {base}"),
        (" 1      2", f"Small                    {small}"),
    ]
    [first, _] = json.loads(run("sources", "--format", "json").stdout)
    assert {k: v for k, v in first.items() if k not in ("sha256", "ingested_at")} == {
        "path": str(base),
        "title": SOURCE,
        "format": "article",
        "url": None,
        "published": None,
        "publisher": None,
        "parties": ["BEL", "SYR"],
        "links": [],
        "facts": 10,
    }


def test_cli_kb_empty_knowledge_base(tmp_path, db):
    run("ingest", str(write(tmp_path / "x.txt", "X")))
    assert run("pairs").stdout == "a  b  facts  sources  names\n"
    assert run("facts").stdout == ""
