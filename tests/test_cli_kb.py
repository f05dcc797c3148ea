"""Tests of the knowledge-base commands, through dyad's own group."""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from dyad.cli import main
from dyad.report import FACT_COLUMNS
from test_kb import BASE, gazetteer, mini, write

NO_INPUTS = (
    "directory has no articles (no .txt, .wiki, .wikitext, .html, .htm, .xml, .xml.bz2, .xml.gz, .jsonl, "
    ".jsonl.gz, .warc, .warc.gz files)"
)

assert mini  # a fixture, used by name


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
        f"Error: {tmp_path / 'd' / 'bad.txt'}: "
        "not UTF-8 text (a UTF-16 byte-order mark); convert it to UTF-8\n"
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
Diplomatic relations: yes — established 1946-03-20 [{SOURCE}]
Diplomatic missions
  Belgium → Syria: embassy in Damascus: no — opening not stated; closed 2012 [{SOURCE}]
  Syria → Belgium: embassy in Brussels: unknown — no date stated [{SOURCE}]
Heads of mission
  Belgium → Syria: chargé d'affaires M.R. Taymans: unknown — in post from 1946-03-20; end not stated \
[{SOURCE}]
  Syria → Belgium: none known
Sanctions
  Belgium → Syria: sanctions via EU: yes — imposed 2011 [{SOURCE}]
Trade
  Syria → Belgium: textiles, phosphates (growing), ended 2011 (since 200X) [{SOURCE}]
Statements
  Belgium → Syria: condemn: the government’s actions, 2011 [{SOURCE}]
  Belgium → Syria: support: the UN-led peace process, time not stated [{SOURCE}]
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
Diplomatic relations: yes — established 1946-03-20 [{SOURCE}]
Diplomatic missions
  Syria → Belgium: embassy in Brussels: unknown — no date stated [{SOURCE}]
  Belgium → Syria: embassy in Damascus: unknown — opening not stated; closed 2012 [{SOURCE}]
Heads of mission
  Syria → Belgium: none known
  Belgium → Syria: chargé d'affaires M.R. Taymans: unknown — in post from 1946-03-20; end not stated \
[{SOURCE}]
Sanctions
  Belgium → Syria: sanctions via EU: no — imposed 2011 [{SOURCE}]
Trade
  Syria → Belgium: textiles, phosphates (growing), since 200X, until 2011 [{SOURCE}]
Statements
  Belgium → Syria: support: the UN-led peace process, time not stated [{SOURCE}]
"""
    )


def test_cli_kb_show_disagreement(other):
    assert run("show", "BEL", "SYR", "--at", "2013").stdout.splitlines()[:5] == [
        "Belgium – Syria on 2013",
        f"Diplomatic relations: yes — established 1946-03-20; established 1947 [{SOURCE}; {OTHER}] "
        f"(sources disagree: {OTHER} says since 1947)",
        "Diplomatic missions",
        f"  Belgium → Syria: embassy in Damascus: no — opening not stated; closed 2012 [{SOURCE}] "
        f"(sources disagree: {OTHER} says time not stated)",
        f"  Syria → Belgium: embassy in Brussels: unknown — no date stated [{SOURCE}]",
    ]


def test_cli_kb_show_disagreement_names_two_versions_of_one_article(tmp_path, base):
    """Two versions of one article (same title) that disagree are told apart by their paths."""
    path = write(
        tmp_path / "v2" / "belgium-syria.txt", SOURCE, "mission BEL SYR | kind=embassy | city=Damascus"
    )
    run("ingest", str(path))
    line = run("show", "BEL", "SYR", "--at", "2013").stdout.splitlines()[3]
    assert line.endswith(f"[{SOURCE}] (sources disagree: {SOURCE} ({path}) says time not stated)")


def test_cli_kb_show_json(tmp_path, db):
    path = write(tmp_path / "a.txt", "A", "mission BEL SYR | kind=embassy | city=Damascus | end=2012")
    run("ingest", str(path))
    result = run("show", "BEL", "SYR", "--at", "2012", "--format", "json")
    data = json.loads(result.stdout)
    quote = "mission BEL SYR | kind=embassy | city=Damascus | end=2012"
    source = {"id": 1, "path": str(path), "title": "A", "published": None}
    assert data == {
        "a": "BEL",
        "b": "SYR",
        "at": "2012",
        "names": {"BEL": "Belgium", "SYR": "Syria"},
        # state.md's answers: the embassy closed in 2012 is "no" in 2012, with the fact it rests on
        "answers": {
            "relations": {"value": "unknown"},
            "missions": [
                {
                    "sender": "BEL",
                    "receiver": "SYR",
                    "kind": "embassy",
                    "city": "Damascus",
                    "value": "no",
                    "until": "2012",
                    "facts": [
                        {"id": 1, "source": {"id": 1, "path": str(path), "title": "A"}, "quote": quote}
                    ],
                }
            ],
            "heads": [],
            "sanctions": [],
        },
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
                    "polarity": "asserted",
                    "status": "no",
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
                            "source": {"path": str(path), "title": "A"},
                        }
                    ],
                }
            ],
            **{s: [] for s in ("envoys", "trade", "sanctions", "aid", "migration", "statements")},
            **{s: [] for s in ("agreements", "visits", "meetings", "memberships", "security", "conflicts")},
        },
        "apart": [],
        "read": [],
    }


def test_cli_kb_show_json_disagreement(other):
    data = json.loads(run("show", "BEL", "SYR", "--at", "2013", "--format", "json").stdout)
    [second, first, _] = data["sections"]["missions"]
    assert first["disagreement"] == [
        {
            "start": None,
            "end": "2012",
            "date": None,
            "sources": [{"id": 1, "path": str(base_path(other)), "title": SOURCE, "published": None}],
        }
    ]
    assert second["disagreement"][0]["sources"] == [
        {"id": 2, "path": str(other), "title": OTHER, "published": None}
    ]


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
        "Diplomatic relations: unknown — no date stated\n"
        "Diplomatic missions\n"
        "  France → Syria: none known\n"
        "  Syria → France: none known\n"
        "Heads of mission\n"
        "  France → Syria: none known\n"
        "  Syria → France: none known\n"
        "No facts about France and Syria; 'dyad pairs' lists the pairs the knowledge base holds.\n"
    )
    # before Syria existed, the answer needs no fact: dyad's table of states
    assert run("show", "France", "SYR", "--at", "1930").stdout.splitlines()[1] == (
        "Diplomatic relations: no — SYR was not a state then (dyad's table of states)"
    )


def test_cli_kb_show_pair_without_facts_names_the_sources_read(tmp_path, db):
    path = write(tmp_path / "gy.txt", "Guyana–Venezuela relations", "parties GUY VEN")
    run("ingest", str(path))
    lines = run("show", "Guyana", "Venezuela", "--at", "2000").stdout.splitlines()
    assert lines[-1] == (
        "No facts about Guyana and Venezuela in the sources read about them: "
        f"Guyana–Venezuela relations ({path})."
    )


# -- timeline --

TIMELINE = f"""\
1946-03-20  relations established [{SOURCE}]
1946-03-20  Belgium → Syria: chargé d'affaires M.R. Taymans, resident in Beirut appointed [{SOURCE}]
200X        Syria → Belgium: textiles, phosphates (growing) began [{SOURCE}]
2011        Syria → Belgium: textiles, phosphates (growing) ended [{SOURCE}]
2011        Belgium → Syria: sanctions on officials, businesses via EU imposed [{SOURCE}]
2011        Belgium → Syria: statement condemn: the government’s actions [{SOURCE}]
2012        Belgium → Syria: embassy in Damascus closed [{SOURCE}]
2020        Syria → Belgium: asylum-seekers [{SOURCE}]

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
    assert lines[0] == f"1946-03-20  relations established [{SOURCE}] {disagree(OTHER, 'since 1947')}"
    assert lines[2] == f"1947        relations established [{OTHER}] {disagree(SOURCE, 'since 1946-03-20')}"
    mission = (
        f"  mission Belgium → Syria: embassy in Damascus [{OTHER}] "
        f"{disagree(SOURCE, 'start not stated, ended 2012')}"
    )
    assert mission in lines


def test_cli_kb_timeline_csv(base):
    rows = list(csv.reader(io.StringIO(run("timeline", "BEL", "SYR", "--format", "csv").stdout)))
    assert rows[0] == [
        "when", "event", "change", "type", "actor", "target", "description", "polarity", "start", "end",
        "date", "sources", "paths", "disagreement",
    ]  # fmt: skip
    assert rows[1] == [
        "1946-03-20", "start", "established", "relations", "BEL", "SYR", "established", "asserted",
        "1946-03-20", "", "", SOURCE, str(base), "",
    ]  # fmt: skip
    assert rows[-1] == [
        "", "undated", "", "statement", "BEL", "SYR", "support: the UN-led peace process", "asserted", "", "",
        "", SOURCE, str(base), "",
    ]  # fmt: skip
    assert [r[:4] for r in rows[1:]] == [
        ["1946-03-20", "start", "established", "relations"],
        ["1946-03-20", "start", "appointed", "envoy"],
        ["200X", "start", "began", "trade"],
        ["2011", "end", "ended", "trade"],
        ["2011", "start", "imposed", "sanctions"],
        ["2011", "date", "made", "statement"],
        ["2012", "end", "closed", "mission"],
        ["2020", "date", "", "migration"],
        ["", "undated", "", "mission"],
        ["", "undated", "", "statement"],
    ]


def test_cli_kb_timeline_json(other):
    data = json.loads(run("timeline", "BEL", "SYR", "--format", "json").stdout)
    assert (data["a"], data["b"], data["names"]) == ("BEL", "SYR", {"BEL": "Belgium", "SYR": "Syria"})
    first = data["events"][0]
    assert (first["when"], first["event"], first["change"], first["type"], first["sources"]) == (
        "1946-03-20",
        "start",
        "established",
        "relations",
        [{"id": 1, "path": str(base_path(other)), "title": SOURCE, "published": None}],
    )
    assert first["disagreement"] == [
        {
            "start": "1947",
            "end": None,
            "date": None,
            "sources": [{"id": 2, "path": str(other), "title": OTHER, "published": None}],
        }
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
        "id": "2",
        "source_path": str(small),
        "source_title": "Small",
        "type": "sanctions",
        "actor": "EU",
        "target": "SYR",
        "start": "2011",
        "polarity": "asserted",
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
    assert lines[0] == "id  facts  ingested          title                    paths"
    assert [(line[:9], line[29:]) for line in lines[1:]] == [
        (" 2     10", f"{SOURCE}  {base}"),
        (" 1      2", f"Small                    {small}"),
    ]
    [first, _] = json.loads(run("sources", "--format", "json").stdout)
    assert {k: v for k, v in first.items() if k not in ("sha256", "ingested_at")} == {
        "id": 2,
        "paths": [str(base)],
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


def test_cli_kb_same_file_from_two_paths_is_one_source(tmp_path, base):
    copy = tmp_path / "copy" / "belgium-syria.txt"
    copy.parent.mkdir()
    copy.write_bytes(base.read_bytes())
    result = run("ingest", str(copy))
    assert result.stdout.startswith("0 added, 0 replaced, 1 unchanged, 0 failed; 0 facts written")
    [source] = json.loads(run("sources", "--format", "json").stdout)
    assert (source["path"], source["paths"], source["facts"]) == (str(base), [str(base), str(copy)], 10)


def test_cli_kb_remove_source_and_its_facts(tmp_path, base, small):
    assert run("show", "BEL", "SYR", "--at", "2013").stdout.startswith(
        "Belgium – Syria on 2013\nDiplomatic relations: yes"
    )
    result = run("remove", str(base))
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == f"removed source 1, {SOURCE} ({base}): 10 facts\n"
    assert [s["id"] for s in json.loads(run("sources", "--format", "json").stdout)] == [2]
    assert run("show", "BEL", "SYR", "--at", "2013").stdout.splitlines()[1] == (
        "Diplomatic relations: unknown — no date stated"
    )
    # by id; a source that is not there is reported and the others go on
    result = run("remove", "7", "2")
    assert result.exit_code == 1
    assert result.stderr == "Error: 7: not in the knowledge base; 'dyad sources' lists what it holds\n"
    assert result.stdout == f"removed source 2, Small ({small}): 2 facts\n"
    assert run("sources", "--format", "json").stdout == "[]\n"


def test_cli_kb_empty_knowledge_base(tmp_path, db):
    run("ingest", str(write(tmp_path / "x.txt", "X")))
    assert run("pairs").stdout == "a  b  facts  sources  names\n"
    assert run("facts").stdout == ""
