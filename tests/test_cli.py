"""`dyad extract` as a user runs it: formats, exit status, and a one-line error for each bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from dyad.cli import main

NO_INPUTS = (
    "directory has no articles (no .txt, .wiki, .wikitext, .html, .htm, .xml, .xml.bz2, .xml.gz, .jsonl, "
    ".jsonl.gz, .warc, .warc.gz files)"
)

UNKNOWN_FORMAT = (
    "unknown format: not an article (first line '= A–B relations ='), wikitext, a web page's text or HTML, "
    "a MediaWiki XML dump, a news story, JSON Lines of stories or a WARC file; force one with --format-in "
    "article|wikitext|page|dump|news|jsonl|warc"
)

ARTICLE = """= Belgium–Syria relations =

Infobox
- Mission1: Belgian Embassy, Damascus
- Mission2: Syrian Embassy, Brussels

Belgium and Syria established diplomatic relations on 20 March 1946.

==See also==
- Foreign relations of Belgium
"""


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.stdout, r.stderr


def write(path: Path, data: bytes | str) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def test_cli_extract_json_lines(tmp_path):
    f = write(tmp_path / "belgium-syria-relations.txt", ARTICLE)
    code, out, err = run("extract", str(f))
    assert code == 0 and err == ""
    doc = json.loads(out)
    assert doc["parties"] == ["BEL", "SYR"]
    assert doc["links"] == ["Foreign relations of Belgium"]
    assert set(doc) == {"source", "parties", "facts", "links"}
    assert doc["source"]["path"] == str(f)
    kinds = sorted((f["type"], f["actor"], f["target"], f.get("start")) for f in doc["facts"])
    assert kinds == [
        ("mission", "BEL", "SYR", None),
        ("mission", "SYR", "BEL", None),
        ("relations", "BEL", "SYR", "1946-03-20"),
    ]


def test_cli_extract_table(tmp_path):
    f = write(tmp_path / "a.txt", ARTICLE)
    code, out, _ = run("extract", "--format", "table", str(f))
    assert code == 0
    assert out.splitlines()[0] == f"Belgium–Syria relations (BEL / SYR) — {f}"
    assert "relations  BEL    SYR     status=established" in out
    assert "“Belgium and Syria established diplomatic relations on 20 March 1946”" in out


def test_cli_extract_trace_names_the_rule(tmp_path):
    f = write(tmp_path / "a.txt", ARTICLE)
    _, out, _ = run("extract", "--trace", str(f))
    rules = sorted(x["rule"] for x in json.loads(out)["facts"])
    assert rules == ["mission.infobox@1", "mission.infobox@1", "relations.establish@2"]


def test_cli_extract_bad_inputs_each_one_line_and_others_still_extracted(tmp_path):
    good = write(tmp_path / "good.txt", ARTICLE)
    empty = write(tmp_path / "empty.txt", b"")
    binary = write(tmp_path / "binary.txt", b"\x00\x01\x02PNG\x00" * 100)
    latin = write(
        tmp_path / "latin.txt", "= Belgium–Syria relations =\n\nCaf\u00e9".encode("utf-8")[:-2] + b"\xe9 x\n"
    )
    notitle = write(tmp_path / "notitle.txt", "Belgium and Syria are friends.\n")
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    emptydir = tmp_path / "nothing"
    emptydir.mkdir()
    missing = tmp_path / "missing.txt"
    code, out, err = run(
        "extract",
        str(empty),
        str(binary),
        str(latin),
        str(notitle),
        str(big),
        str(emptydir),
        str(missing),
        str(good),
    )
    assert code == 1
    assert [json.loads(line)["source"]["path"] for line in out.splitlines()] == [str(good)]
    assert err.splitlines() == [
        f"Error: {empty}: empty file: nothing to read",
        f"Error: {binary}: binary file, not an article",
        f"Error: {latin}: not UTF-8 text (byte 0xE9 at offset 34); convert it to UTF-8",
        f"Error: {notitle}: {UNKNOWN_FORMAT}",
        f"Error: {big}: too large: 52,428,800 bytes, over the limit of 20 MB (20,971,520 bytes); "
        "split it into smaller files",
        f"Error: {emptydir}: {NO_INPUTS}",
        f"Error: {missing}: no such file or directory",
    ]
    assert "Traceback" not in err


def test_cli_extract_directory(tmp_path):
    write(tmp_path / "b.txt", ARTICLE)
    write(tmp_path / "a.txt", ARTICLE.replace("Belgium–Syria", "Japan–Peru"))
    write(tmp_path / "notes.md", "not an article")
    code, out, _ = run("extract", str(tmp_path))
    assert code == 0
    assert [json.loads(x)["parties"] for x in out.splitlines()] == [["JPN", "PER"], ["BEL", "SYR"]]


def test_cli_extract_real_process_exit_status(tmp_path):
    """The installed entry point, as a shell runs it: no traceback, status 1."""
    missing = tmp_path / "nope.txt"
    env = dict(os.environ)
    r = subprocess.run(
        [sys.executable, "-m", "dyad", "extract", str(missing)], capture_output=True, text=True, env=env
    )
    assert r.returncode == 1
    assert r.stderr == f"Error: {missing}: no such file or directory\n"


def test_cli_progress_bar_only_on_a_terminal(monkeypatch, capsys):
    from dyad.cli import common as cli

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert list(cli.progress(["a", "b", "c"], "extract")) == ["a", "b", "c"]
    assert "extract:   0%|          | 0/3" in capsys.readouterr().err
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert list(cli.progress(["a", "b", "c"], "extract")) == ["a", "b", "c"]
    assert capsys.readouterr().err == ""
