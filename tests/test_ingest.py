"""Ingest under faults: a file replaced while read, batches, a full disk, a busy knowledge base, Ctrl-C,
and ``serve`` on a port in use. Articles are in the line language of test_kb (mini_document)."""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

import dyad.ingest
import dyad.kb as kb_module
import dyad.read.formats as formats
import dyad.settings
import dyad.store as store_module
import dyad.store_write as store_write
from dyad.cli import main
from test_kb import mini, mini_document, write

assert mini  # a fixture, used by name

OLD = (
    "mission BEL SYR | kind=embassy | city=Damascus",
    "relations BEL SYR | status=established | start=1946",
)
NEW = ("mission BEL SYR | kind=embassy | city=Damascus | end=2012", "envoy BEL SYR | person=A. Envoy")


def _evidence_exact(kb) -> bool:
    for source in kb.sources():
        text = kb.source_text(source.id)
        for sf in kb.store.source_facts(source.id):
            if any(text[e.start : e.end] != e.quote for e in sf.fact.evidence):
                return False
    return True


# -- Deliver 4: one read --


@pytest.mark.parametrize("how", ["renamed over", "rewritten in place"])
def test_a_file_replaced_while_read_is_stored_as_read(tmp_path, monkeypatch, how):
    """The text hashed, stored and extracted from is one read: whatever happens to the file meanwhile,
    every stored quote is its text's own, and the next ingest stores the file's content as it is then
    (before: 19 times in 25 a quote pointed into other text, and the next ingest said "unchanged")."""
    path = write(tmp_path / "a.txt", "A", *OLD)
    other = write(tmp_path / "other.txt", "A", *NEW)  # shorter: what was read stays a text of lines
    real_start = formats.read_start
    swapped = []

    def start_then_swap(f, name, n):
        head = real_start(f, name, n)  # the reader has the file open and its first bytes
        if name == str(path) and not swapped:
            swapped.append(name)
            if how == "renamed over":  # an editor saving: a new file takes the name
                os.replace(other, path)
            else:  # a sync tool: the same file written again
                path.write_bytes(other.read_bytes())
        return head

    monkeypatch.setattr(formats, "read_start", start_then_swap)
    monkeypatch.setattr(formats, "HEAD_BYTES", len("= A =\n"))  # the rest is read after the swap
    with kb_module.open(tmp_path / "kb.duckdb", extract=mini_document) as kb:
        [first] = kb.ingest([path]).results
        assert first.status == "added" and swapped
        [stored] = kb.sources()
        text = kb.source_text(stored.id)
        assert stored.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
        assert text == "\n".join(["= A =", *OLD]) + "\n"  # as read: the small file came whole with its head
        assert _evidence_exact(kb)
        monkeypatch.setattr(formats, "read_start", real_start)
        [again] = kb.ingest([path]).results
        assert (again.status, again.facts) == ("replaced", 2)
        [stored] = kb.sources()
        assert kb.source_text(stored.id) == path.read_text(encoding="utf-8")
        assert _evidence_exact(kb)


def test_each_file_is_opened_once(tmp_path, monkeypatch):
    paths = [write(tmp_path / "d" / f"{n}.txt", f"A{n}", *OLD) for n in range(3)]
    opened: list[str] = []
    real = formats.open_regular
    monkeypatch.setattr(formats, "open_regular", lambda name: opened.append(name) or real(name))
    with kb_module.open(tmp_path / "kb.duckdb", extract=mini_document) as kb:
        assert kb.ingest([tmp_path / "d"]).ok
        assert sorted(opened) == sorted(map(str, paths))
        opened.clear()
        assert [r.status for r in kb.ingest([tmp_path / "d"]).results] == ["unchanged"] * 3
        assert sorted(opened) == sorted(map(str, paths))


# -- Deliver 10: batches keep each source's meaning --


def _state(kb) -> list[tuple]:
    return sorted((s.sha256, tuple(Path(p).name for p in s.paths), s.facts, s.title) for s in kb.sources())


def test_batches_store_what_one_source_at_a_time_stores(tmp_path, monkeypatch):
    """New, copied, unchanged, changed and moved files in one batch end as they do one by one."""
    runs = {}
    for batch in (1, 500):
        monkeypatch.setattr(dyad.ingest, "INGEST_BATCH_FILES", batch)
        root = tmp_path / f"b{batch}"
        a = write(root / "a.txt", "A", *OLD)
        b = write(root / "b.txt", "B", *NEW)
        write(root / "c.txt", "C", *OLD)
        statuses = []
        with kb_module.open(root / "kb.duckdb", extract=mini_document) as kb:
            statuses.append([r.status for r in kb.ingest([root]).results])
            write(root / "a.txt", "A", *NEW)  # a changed
            write(root / "d.txt", "B", *NEW)  # a copy of b
            write(root / "e.txt", "A", *NEW)  # a copy of a's new text, in the same batch as a
            write(root / "f.txt", "F", "trade BEL SYR | trend=growing")
            statuses.append([r.status for r in kb.ingest([root]).results])
            runs[batch] = (statuses, _state(kb))
        assert a.exists() and b.exists()
    assert runs[1] == runs[500]
    statuses, _ = runs[500]
    assert statuses == [
        ["added", "added", "added"],
        ["replaced", "unchanged", "unchanged", "unchanged", "unchanged", "added"],
    ]


# -- Deliver 8, 9: the store fails, or is busy --


def test_a_full_disk_stops_the_run_with_a_summary(tmp_path, monkeypatch, mini):
    monkeypatch.setattr(dyad.ingest, "INGEST_BATCH_FILES", 2)
    for n in range(5):
        write(tmp_path / "d" / f"{n}.txt", f"A{n}", *OLD[: 1 + n % 2], f"membership BEL ORG{n}")
    writes = []
    real = store_write.write_sources

    def disk_fills(con, items, now):
        writes.append(len(items))
        if len(writes) == 2:
            raise duckdb.IOException(
                'IO Error: Could not write file "kb.duckdb.wal": No space left on device'
            )
        return real(con, items, now)

    monkeypatch.setattr(store_module, "write_sources", disk_fills)
    db = tmp_path / "kb.duckdb"
    result = CliRunner().invoke(main, ["ingest", "--db", str(db), str(tmp_path / "d")])
    assert result.exit_code == 1
    assert result.stdout == f"2 added, 0 replaced, 0 unchanged, 0 failed; 5 facts written to {db}\n"
    assert result.stderr == (
        f"Error: {db}: the disk is full; cannot store the sources. Free some space and run again "
        "(3 sources not stored)\n"
    )
    monkeypatch.setattr(store_module, "write_sources", real)
    with kb_module.open(db, read_only=True) as kb:
        assert [(s.title, s.facts) for s in kb.sources()] == [("A0", 2), ("A1", 3)]  # whole, or absent


_HOLD = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
sys.stdin.read()
"""


def test_a_busy_knowledge_base_waits_then_says_so(tmp_path, monkeypatch):
    db = tmp_path / "kb.duckdb"
    CliRunner().invoke(main, ["ingest", "--db", str(db), str(write(tmp_path / "a.txt", "A", *OLD))])
    monkeypatch.setattr(dyad.settings, "STORE_BUSY_SECONDS", 0.5)
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline() == "holding\n"
        for command in (["ingest", str(tmp_path / "a.txt")], ["show", "BEL", "SYR"]):
            started = time.monotonic()
            result = CliRunner().invoke(main, [*command, "--db", str(db)])
            assert time.monotonic() - started >= 0.5
            who = f"another dyad process (PID {holder.pid}) is using the knowledge base"
            assert (result.exit_code, result.stdout) == (1, "")
            assert result.stderr == (
                f"dyad: {db}: {who}; waiting up to 0.5 s\nError: {db}: {who}; try again when it is done\n"
            )
    finally:
        holder.stdin.close()
        holder.wait()


def test_a_database_path_inside_a_file(tmp_path):
    (tmp_path / "file").write_text("x")
    db = tmp_path / "file" / "kb.duckdb"
    result = CliRunner().invoke(main, ["ingest", "--db", str(db), str(write(tmp_path / "a.txt", "A", *OLD))])
    assert (result.exit_code, result.stdout) == (1, "")
    assert (
        result.stderr
        == f"Error: {db}: {tmp_path / 'file'} is not a folder; give --db a file path in a folder\n"
    )


# -- Deliver 8: Ctrl-C --

_INTERRUPTIBLE = """
import sys
sys.path.insert(0, {tests!r})
import test_kb
import dyad.ingest
import dyad.kb
from dyad.cli import main

dyad.ingest.INGEST_BATCH_FILES = 1
dyad.kb.extract_article = test_kb.mini_document
write_batch = dyad.ingest._Run._flush


def flush(self):  # tell the test when a batch is written
    write_batch(self)
    print("written", file=sys.stderr, flush=True)


dyad.ingest._Run._flush = flush
main(["ingest", "--db", {db!r}, {articles!r}])
"""


def test_ctrl_c_during_ingest_is_one_line_and_nothing_half_written(tmp_path):
    articles = tmp_path / "articles"
    for n in range(12):
        write(articles / f"a{n:02d}.txt", f"A{n}", *(f"membership BEL ORG{n}-{i}" for i in range(6)))
    db = tmp_path / "kb.duckdb"
    script = _INTERRUPTIBLE.format(tests=str(Path(__file__).parent), db=str(db), articles=str(articles))
    env = {**os.environ, "DYAD_TEST_SLOW": "0.1"}  # 0.6 s inside each source's transaction
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    for _ in range(2):
        assert proc.stderr.readline() == "written\n"
    time.sleep(0.2)  # inside the third source's transaction
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "Traceback" not in err
    [line] = [x for x in err.splitlines() if x != "written"]
    assert line.startswith("Error: interrupted: ") and line.endswith(
        " sources not stored (the batch being written was rolled back whole); "
        "run the same command again to go on"
    )
    added = int(out.split(" added")[0])
    assert 0 < added < 12
    with kb_module.open(db, read_only=True) as kb:
        assert [s.facts for s in kb.sources()] == [6] * added  # each stored source whole
        assert kb.store.counts()["facts"] == 6 * added


def test_a_statement_interrupted_inside_duckdb_is_an_interrupt(tmp_path, monkeypatch):
    def interrupted(con, items, now):
        raise RuntimeError("Query interrupted")  # what DuckDB raises when Ctrl-C stops a statement

    monkeypatch.setattr(store_module, "write_sources", interrupted)
    with kb_module.open(tmp_path / "kb.duckdb", extract=mini_document) as kb:
        with pytest.raises(KeyboardInterrupt) as raised:
            kb.ingest([write(tmp_path / "a.txt", "A", *OLD)])
        assert isinstance(raised.value, dyad.ingest.IngestInterrupted)
        assert (raised.value.report.results, raised.value.report.left) == ((), 1)
        assert kb.store.counts()["sources"] == 0


# -- serve: a port in use says so before it says it serves --


def test_serve_on_a_port_in_use(tmp_path):
    db = tmp_path / "kb.duckdb"
    CliRunner().invoke(main, ["ingest", "--db", str(db), str(write(tmp_path / "a.txt", "A", *OLD))])
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--db", str(db), "--port", str(port)])
    assert (result.exit_code, result.stdout) == (1, "")
    assert (
        result.stderr
        == f"Error: 127.0.0.1:{port}: cannot serve there (the port is in use; choose another --port)\n"
    )


def test_an_item_extracted_elsewhere_is_stored_as_ingest_stores_it(tmp_path):
    """The web app extracts an upload apart from its write, then stores the item (add_extracted)."""
    from dyad.pipeline import extract_items

    path = write(tmp_path / "a.txt", "A", *OLD)
    copy = write(tmp_path / "copy.txt", "A", *OLD)
    with kb_module.open(tmp_path / "kb.duckdb", extract=mini_document) as kb:
        [got] = extract_items(str(path), extract=mini_document)
        assert (kb.add_extracted(got, str(path)).status, kb.add_extracted(got, str(copy)).status) == (
            "added",
            "unchanged",
        )
        [source] = kb.sources()
        assert (source.paths, source.facts) == ((str(path), str(copy)), 2)
        [bad] = extract_items(str(tmp_path / "missing.txt"))
        assert kb.add_extracted(bad, "x").status == "error"
