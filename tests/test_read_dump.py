"""Tests of dyad.read.dump and ingesting dumps: which pages are kept, what a page's source records,
compressed and multistream files, truncated and cut files, resuming an interrupted scan."""

from __future__ import annotations

import bz2
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

import dyad
import dyad.ingest
from dumps import HEAD, TAIL, page, write_dump
from dyad.cli import main
from dyad.pipeline import extract_items

RELATIONS = """{{Short description|Bilateral relations}}
{{Use dmy dates|date=March 2019}}
{{Infobox bilateral relations|Latvia–Mexico|Latvia|Mexico|mission1=[[Embassy of Latvia, Mexico City]]}}
'''Latvia–Mexico relations''' are the ties between [[Latvia]] and [[Mexico]]. The two countries \
established diplomatic relations on {{start date|1992|5|9|df=y}}.<ref>{{cite news \
|url=https://example.org/ties |title=Ties agreed |work=Reuters |date=2 March 2012 \
|access-date=5 June 2020}}</ref>
"""
INFOBOX_ONLY = """{{Infobox bilateral relations|Chile–Peru|Chile|Peru|mission1=Embassy of Chile, Lima}}
'''Relations between Chile and Peru''' are close.
"""


def _pages() -> list[str]:
    return [
        page(1, "Aardvark", "The '''aardvark''' is a mammal. [[Category:Mammals]]"),
        page(2, "Latvia–Mexico relations", RELATIONS),
        page(3, "Latvia-Mexico relations", "#REDIRECT [[Latvia–Mexico relations]]",
             redirect="Latvia–Mexico relations"),
        page(4, "Talk:Latvia–Mexico relations", "Where is the embassy?", ns=1),
        page(5, "Chile and Peru", INFOBOX_ONLY),
        page(6, "Foo–Bar relations", "'''Foo–Bar relations''' are fictional."),
        page(7, "Zebra", "The zebra is striped."),
    ]  # fmt: skip


def _read(path: Path, **options):
    return list(extract_items(str(path), **options))


@pytest.mark.parametrize("name", ["d.xml", "d.xml.bz2", "d.xml.gz"])
def test_dump_keeps_relations_pages_only(tmp_path, name):
    path = write_dump(tmp_path / name, _pages())
    got = _read(path)
    assert [g.key for g in got] == [f"{path}#Latvia–Mexico relations", f"{path}#Chile and Peru"]
    doc = got[0].document
    assert doc.parties == ("LVA", "MEX")
    assert doc.source.format == "wikitext"
    assert doc.source.published == "2024-05-03T08:30:00Z"
    assert doc.source.url == "https://en.wikipedia.org/w/index.php?oldid=1002"
    assert doc.source.publisher == "Wikipedia"
    assert got[1].document.parties == ("CHL", "PER")


def test_dump_page_facts_cite_their_ref_and_take_no_date_from_it(tmp_path):
    path = write_dump(tmp_path / "d.xml", _pages())
    got = _read(path)[0]
    [relations] = [f for f in got.document.facts if f.type == "relations"]
    assert relations.start == "1992-05-09"
    [ev] = relations.evidence
    assert ev.quote == got.text[ev.start : ev.end]
    assert "9 May 1992" in ev.quote
    assert ev.ref == {"url": "https://example.org/ties", "title": "Ties agreed", "publisher": "Reuters",
                      "date": "2012-03-02"}  # fmt: skip
    dates = {d for f in got.document.facts for d in (f.start, f.end, f.date) if d}
    assert dates == {"1992-05-09"}  # not 2012 (the citation), 2019 (Use dmy dates) nor 2020 (access-date)


def test_dump_multistream_resumes_by_seeking_to_a_stream(tmp_path):
    pages = [page(n, f"Page {n}", "Nothing about states. " * 50) for n in range(1, 40)]
    pages[20] = page(21, "Latvia–Mexico relations", RELATIONS)
    path = write_dump(tmp_path / "d.xml.bz2", pages, multistream=True)
    positions = []
    [whole] = _read(path, progress=lambda p: positions.append(dict(p.position)))
    assert positions[-1] == {"done": True, "pages": 39, "kept": 1}
    # one compressed stream a page: a scan resumes by seeking to the stream of the page it stopped in
    stream = {"file": len(bz2.compress(HEAD.encode())), "xml": len(HEAD.encode()), "stream": True,
              "pages": 0, "kept": 0}  # fmt: skip
    again = _read(path, resume=stream)
    assert [g.key for g in again] == [whole.key]
    assert again[0].text == whole.text
    last = path.stat().st_size - len(bz2.compress(TAIL.encode()))
    after = _read(path, resume={"file": last, "stream": True, "xml": 10**6, "pages": 39, "kept": 1})
    assert after == []


class _Stop(Exception):
    pass


def test_ingest_dump_interrupted_then_resumed(tmp_path, monkeypatch):
    monkeypatch.setattr(dyad.ingest, "INGEST_BATCH_FILES", 1)  # each page written as the scan passes it
    rng = random.Random(7)
    filler = [page(n, f"Filler {n}", " ".join(rng.choice("abcdefgh") * 5 for _ in range(1200)))
              for n in range(1, 400)]  # fmt: skip
    filler[100] = page(101, "Latvia–Mexico relations", RELATIONS)
    filler[300] = page(301, "Chile and Peru", INFOBOX_ONLY)
    path = write_dump(tmp_path / "big.xml", filler)
    calls = []

    def stop_after_first(path_, state, facts):
        calls.append(state.kept)
        if state.kept >= 1:
            raise _Stop

    with dyad.open(tmp_path / "kb.duckdb") as kb:
        with pytest.raises(_Stop):
            kb.ingest([path], on_scan=stop_after_first)
        assert [s.title for s in kb.sources()] == ["Latvia–Mexico relations"]
        again = kb.ingest([path])
        assert [(r.path, r.status) for r in again.results] == [(f"{path}#Chile and Peru", "added")]
        [scan] = again.scans
        assert (scan.pages, scan.kept, scan.done, scan.resumed) == (399, 2, True, True)
        third = kb.ingest([path])
        assert third.results == () and third.scans[0].already


def test_cli_ingest_truncated_bz2_keeps_pages_before(tmp_path):
    rng = random.Random(3)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(6)) for _ in range(3000)]
    filler = [page(n, f"Filler {n}", " ".join(rng.choice(words) for _ in range(800))) for n in range(3, 400)]
    pages = [page(1, "Aardvark", "An animal."), page(2, "Latvia–Mexico relations", RELATIONS), *filler]
    whole = write_dump(tmp_path / "whole.xml.bz2", pages)
    data = whole.read_bytes()
    cut = tmp_path / "cut.xml.bz2"
    cut.write_bytes(data[: len(data) * 2 // 3])
    db = tmp_path / "kb.duckdb"
    result = CliRunner().invoke(main, ["ingest", "--db", str(db), str(cut)])
    assert result.exit_code == 1
    [line] = [x for x in result.stderr.splitlines() if x.startswith("Error:")]
    assert line.startswith(f"Error: {cut}: the compressed data ends early inside page 'Filler ")
    assert "(XML byte " in line and line.endswith("; the file is truncated")
    with dyad.open(db, read_only=True) as kb:
        assert [s.title for s in kb.sources()] == ["Latvia–Mexico relations"]


def test_cli_ingest_dump_cut_mid_page(tmp_path):
    path = write_dump(tmp_path / "d.xml", _pages())
    text = path.read_text(encoding="utf-8")
    cut = tmp_path / "cut.xml"
    at = text.index("<title>Zebra")
    cut.write_text(text[: at + 40], encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", "--db", str(tmp_path / "kb.duckdb"), str(cut)])
    assert result.exit_code == 1
    start = len(text[: text.index("<page>", text.index("Foo–Bar relations") + 100)].encode("utf-8"))
    assert result.stderr == (
        f"Error: {cut}: the XML ends inside page 'Zebra' (XML byte {start:,}); the dump is cut short\n"
    )
    assert result.stdout.splitlines() == [
        f"{cut}: 7 pages seen, 2 kept; stopped before the end, run again to resume",
        f"2 added, 0 replaced, 0 unchanged, 1 failed; 3 facts written to {tmp_path / 'kb.duckdb'}",
    ]


def test_dump_page_with_unbalanced_markup_is_reported_and_others_kept(tmp_path):
    broken = (
        "{{Infobox bilateral relations|Chile–Peru|Chile|Peru\n\nChile and Peru are neighbours.\n\nMore text."
    )
    pages = [page(1, "Chile–Peru relations", broken), page(2, "Latvia–Mexico relations", RELATIONS)]
    path = write_dump(tmp_path / "d.xml", pages)
    got = _read(path)
    assert [(g.key, str(g.error) if g.error else None) for g in got] == [
        (f"{path}#Chile–Peru relations", f"{path}#Chile–Peru relations: unbalanced markup: '{{{{' on line 1 "
         "is never closed or never opened; fix the wikitext"),
        (f"{path}#Latvia–Mexico relations", None),
    ]  # fmt: skip


def test_bz2_of_something_else_is_not_a_dump(tmp_path):
    path = tmp_path / "notes.txt.bz2"
    path.write_bytes(bz2.compress(b"= Latvia-Mexico relations =\n\nText.\n" * 2000))
    [got] = _read(path)
    assert str(got.error) == f"{path}: a bz2 file that is not a dump, JSON Lines or WARC; decompress it first"


def test_cli_show_names_the_cited_source(tmp_path):
    path = write_dump(tmp_path / "d.xml", _pages())
    db = str(tmp_path / "kb.duckdb")
    assert CliRunner().invoke(main, ["ingest", "--db", db, str(path)]).exit_code == 0
    lines = (
        CliRunner().invoke(main, ["show", "--db", db, "Latvia", "Mexico", "--at", "2000"]).stdout.splitlines()
    )
    assert lines[1] == (
        "Diplomatic relations: yes — established 1992-05-09 "
        "[Latvia–Mexico relations; Wikipedia, citing Reuters 2012-03-02 <https://example.org/ties>]"
    )
