"""The store's error boundary, its one clock per write, its busy wait, and paging through facts."""

from __future__ import annotations

import inspect
import subprocess
import sys
from datetime import datetime, timedelta

import pytest

import dyad.store as store_module
from dyad.errors import StoreBusy, StoreError
from dyad.store import Store, store_error
from test_store import TEXT, doc, fact

# -- one boundary --


def _public_methods():
    return [
        name
        for name, member in inspect.getmembers(Store, inspect.isfunction)
        if not name.startswith("__") and name not in ("replace_document",)  # a call of write_sources
    ]


def test_every_store_method_is_inside_the_boundary():
    unguarded = [name for name in _public_methods() if not getattr(getattr(Store, name), "guarded", None)]
    # The private helpers run inside a guarded method; every other method is guarded itself.
    assert [n for n in unguarded if not n.startswith("_")] == []


# Each public read or write, with arguments; run on a store whose connection is gone, each must raise
# StoreError (never a duckdb error).
CALLS = [
    ("schema_version", (), {}),
    ("source_sha256", ("/a",), {}),
    ("linked", ([("s", "/a")],), {}),
    ("contents", (["s"],), {}),
    ("scan_position", ("/d.xml", "1:2"), {}),
    ("save_scan", ("/d.xml", "1:2", {"pages": 1}), {}),
    ("link_path", ("s1", "/b"), {}),
    ("write_sources", ([(doc(), TEXT)],), {}),
    ("replace_document", (doc(), TEXT), {}),
    ("remove_source", (1,), {}),
    ("bulk_load", ([(doc(), TEXT)],), {}),
    ("pair_facts", ("BEL", "SYR"), {}),
    ("source_facts", (1,), {}),
    ("facts", (), {"actor": "BEL"}),
    ("count_facts", (), {}),
    ("pairs", (), {}),
    ("sources", (), {}),
    ("source", (1,), {}),
    ("sources_about", ("BEL", "SYR"), {}),
    ("actors", (), {}),
    ("counts", (), {}),
]


def test_the_calls_cover_every_public_method():
    public = {n for n in _public_methods() if not n.startswith("_")} | {"replace_document"}
    assert public - {name for name, _, _ in CALLS} == {"close", "iter_facts"}  # both tested below


@pytest.mark.parametrize(("name", "args", "kwargs"), CALLS, ids=[c[0] for c in CALLS])
def test_a_database_error_becomes_one_store_error(tmp_path, name, args, kwargs):
    store = Store(tmp_path / "kb.duckdb")
    store._con.close()  # every statement now fails inside duckdb
    with pytest.raises(StoreError) as raised:
        getattr(store, name)(*args, **kwargs)
    message = str(raised.value)
    assert message.startswith(f"{tmp_path / 'kb.duckdb'}: cannot ")
    assert "\n" not in message


def test_iter_facts_errors_become_store_errors(tmp_path):
    store = Store(tmp_path / "kb.duckdb")
    store._con.close()
    with pytest.raises(StoreError, match="cannot read the facts"):
        list(store.iter_facts())


def test_store_error_messages():
    path = store_module.Path("/k/kb.duckdb")
    full = store_error(path, "store the sources", OSError(28, "No space left on device"))
    assert (
        str(full) == "/k/kb.duckdb: the disk is full; cannot store the sources. Free some space and run again"
    )
    denied = store_error(path, "open the knowledge base", PermissionError(13, "Permission denied"))
    assert str(denied) == "/k/kb.duckdb: cannot open the knowledge base (Permission denied)"
    duck = store_module.duckdb.IOException(
        'IO Error: Could not set lock on file "/k/kb.duckdb": Conflicting lock is held in /usr/bin/python3 '
        "(PID 4242). See also https://duckdb.org/docs/current/connect/concurrency"
    )
    busy = store_error(path, "open the knowledge base", duck)
    assert isinstance(busy, StoreBusy)
    assert str(busy) == (
        "/k/kb.duckdb: another dyad process (PID 4242) is using the knowledge base; try again when it is done"
    )


# -- paths that are no place for a database --


def test_a_database_path_inside_a_file(tmp_path):
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(StoreError) as raised:
        Store(tmp_path / "file.txt" / "kb.duckdb")
    assert str(raised.value) == (
        f"{tmp_path}/file.txt/kb.duckdb: {tmp_path}/file.txt is not a folder; "
        "give --db a file path in a folder"
    )


def test_a_database_path_that_is_a_folder(tmp_path):
    with pytest.raises(StoreError, match="is not a folder"):
        Store(tmp_path)


def test_a_database_folder_that_cannot_be_made(tmp_path):
    # /proc takes no new folders, even for root (the tests may run as root, for whom modes do not count).
    with pytest.raises(StoreError) as raised:
        Store("/proc/dyad-test/kb.duckdb")
    assert str(raised.value).startswith("/proc/dyad-test/kb.duckdb: cannot make the folder /proc/dyad-test (")


# -- busy: another process holds the file --

_HOLD = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
sys.stdin.read()
"""


def test_a_held_knowledge_base_waits_then_says_busy(tmp_path):
    path = tmp_path / "kb.duckdb"
    Store(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline() == "holding\n"
        told: list[str] = []
        for read_only in (False, True):
            with pytest.raises(StoreBusy) as raised:
                Store(path, read_only=read_only, wait=0.3, on_wait=told.append)
            assert str(raised.value) == (
                f"{path}: another dyad process (PID {holder.pid}) is using the knowledge base; "
                "try again when it is done"
            )
        assert (
            told
            == [
                f"{path}: another dyad process (PID {holder.pid}) is using the knowledge base; "
                "waiting up to 0.3 s"
            ]
            * 2
        )
    finally:
        holder.stdin.close()
        holder.wait()
    with Store(path) as store:  # released: opens at once
        assert store.counts()["sources"] == 0


# -- one clock per write --


def test_one_write_reads_the_clock_once(tmp_path, monkeypatch):
    ticks = iter(datetime(2030, 1, 1) + timedelta(seconds=n) for n in range(1000))
    monkeypatch.setattr(store_module, "_now", lambda: next(ticks))
    with Store(tmp_path / "kb.duckdb") as store:
        store.replace_document(doc(facts=(fact(start="1990"), fact(actor="FRA"))), TEXT)
        [source] = store.sources()
        from_pairs = {sf.source.ingested_at for sf in store.pair_facts("BEL", "SYR")}
        from_pairs |= {sf.source.ingested_at for sf in store.pair_facts("FRA", "SYR")}
        assert from_pairs == {source.ingested_at}
        assert store.facts(actor="SYR", other="BEL") == [
            sf for sf in store.facts(actor="SYR") if "FRA" not in (sf.fact.actor, sf.fact.target)
        ]


# -- paging through facts --


@pytest.fixture
def many(tmp_path):
    with Store(tmp_path / "kb.duckdb") as store:
        for n in range(5):
            stated = [
                fact(start=str(1990 + n), attrs={"kind": "embassy", "city": f"C{n}-{i}"}) for i in range(3)
            ]
            stated.append(
                fact(type_="statement", attrs={"stance": "praise"}, actor="FRA", date=str(2000 + n))
            )
            store.replace_document(doc(path=f"/a/{4 - n}.txt", sha=f"s{n}", facts=stated), TEXT)
        yield store


@pytest.mark.parametrize("batch", [1, 2, 3, 7, 2_000])
@pytest.mark.parametrize(
    "filters",
    [{}, {"actor": "FRA"}, {"actor": "BEL", "other": "SYR"}, {"type": "statement"}, {"since": "1993"}],
)
def test_iter_facts_gives_what_facts_gives_in_stored_order(many, batch, filters):
    listed = many.facts(**filters)
    paged = list(many.iter_facts(batch=batch, **filters))
    assert [sf.id for sf in paged] == sorted(sf.id for sf in listed)
    by_id = {sf.id: sf for sf in listed}
    assert all(sf.fact == by_id[sf.id].fact and sf.source.path == by_id[sf.id].source.path for sf in paged)
    assert many.count_facts(**filters) == len(listed)


def test_iter_facts_after_an_id_pages_on(many):
    everything = [sf.id for sf in many.iter_facts()]
    first = [sf.id for sf in many.iter_facts(batch=3)][:7]
    rest = [sf.id for sf in many.iter_facts(after=first[-1], batch=3)]
    assert first + rest == everything


def test_iter_facts_of_nothing(tmp_path):
    with Store(tmp_path / "kb.duckdb") as store:
        assert list(store.iter_facts()) == []
        assert store.count_facts(actor="BEL") == 0
