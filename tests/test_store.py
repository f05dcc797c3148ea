"""Tests of dyad.store: schema and migrations, writing a source in one transaction, reading facts back."""

from __future__ import annotations

import duckdb
import pytest

import dyad.store as store_module
from dyad.edtf import bounds as edtf_bounds
from dyad.errors import StoreError
from dyad.model import Document, Evidence, Fact, Named, Source
from dyad.store import SCHEMA_VERSION, Store, pair_key

TEXT = "Belgium closed its embassy in Damascus in 2012. Syria has an embassy in Brussels."


def fact(type_="mission", actor="BEL", target="SYR", attrs=None, quote="Belgium closed its embassy", **kw):
    start = TEXT.index(quote)
    return Fact(
        type=type_,
        actor=actor,
        target=target,
        attrs={"kind": "embassy", "city": "Damascus"} if attrs is None else attrs,
        evidence=(Evidence("Lead", start, start + len(quote), quote),),
        confidence=0.8,
        rule="mission.prose@1",
        **kw,
    )


def doc(path="/a/belgium-syria.txt", sha="s1", facts=None):
    facts = (fact(end="2012"),) if facts is None else facts
    return Document(
        Source(path, "Belgium–Syria relations", "article", sha), ("BEL", "SYR"), tuple(facts), ("X",)
    )


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "kb.duckdb") as s:
        yield s


# -- schema --


def test_store_creates_schema_and_folder(tmp_path):
    path = tmp_path / "deep" / "er" / "kb.duckdb"
    with Store(path) as s:
        assert s.schema_version() == SCHEMA_VERSION == 5
        assert s.counts() == {"sources": 0, "facts": 0, "evidence": 0}
    with Store(path) as s:  # reopening applies nothing twice
        assert s.schema_version() == 5
    con = duckdb.connect(str(path))
    assert con.execute("SELECT version, description FROM schema_version ORDER BY version").fetchall() == [
        (1, "sources, facts, evidence and actors"),
        (2, "pair_facts: each source's facts about a pair, with their evidence, for one-lookup reads"),
        (3, "facts.md version 2: polarity, CAMEO codes, evidence citations, source metadata"),
        (4, "scans: how far the scan of each dump got, so that an interrupted one resumes"),
        (5, "a source is its content: sources merged by sha256, every path they were read from remembered"),
    ]
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert tables == {
        "schema_version",
        "sources",
        "source_paths",
        "facts",
        "evidence",
        "actors",
        "pair_facts",
        "scans",
    }
    con.close()


def test_store_refuses_newer_schema(tmp_path):
    path = tmp_path / "kb.duckdb"
    Store(path).close()
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO schema_version VALUES (7, 'from the future', now())")
    con.close()
    with pytest.raises(StoreError) as e:
        Store(path)
    assert str(e.value) == f"{path}: made by a newer dyad (schema 7, this dyad knows 5); upgrade dyad"


def test_store_read_only_needs_existing_file(tmp_path):
    with pytest.raises(StoreError) as e:
        Store(tmp_path / "none.duckdb", read_only=True)
    assert str(e.value) == f"{tmp_path / 'none.duckdb'}: no knowledge base there; run 'dyad ingest' first"
    assert not (tmp_path / "none.duckdb").exists()


def test_store_read_only_refuses_old_schema_and_foreign_files(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER, description VARCHAR, applied_at TIMESTAMP)")
    con.close()
    with pytest.raises(StoreError) as e:
        Store(path, read_only=True)
    assert str(e.value) == (
        f"{path}: schema 0 needs upgrading to 5; open it once for writing (dyad ingest) first"
    )
    with Store(path) as s:  # opening for writing migrates it
        assert s.schema_version() == 5
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).close()
    with pytest.raises(StoreError) as e:
        Store(other, read_only=True)
    assert str(e.value) == f"{other}: not a dyad knowledge base (no schema_version table)"


def _pairs_agree(s):
    """Every pair read through pair_facts equals the same pair read from the facts and evidence tables."""
    pairs = s.pairs()
    for p in pairs:
        assert s.pair_facts(p.b, p.a) == s.facts(actor=p.a, other=p.b)
    return [(p.a, p.b, len(s.pair_facts(p.a, p.b))) for p in pairs]


MIXED = (
    fact(end="2012"),
    fact("sanctions", "EU", Named("Some Council"), {"scope": ["officials"], "via": "EU"}, quote="Syria has"),
    fact("statement", attrs={"stance": "condemn", "subject": "“quoted” ü"}, quote="in 2012", date="2012-05"),
)


_V3_COLUMNS = {
    "facts": ("polarity", "cameo", "goldstein"),
    "evidence": ("ref",),
    "sources": ("url", "published", "publisher", "refs"),
}


def _back_to_v1(path):
    """Take a knowledge base back to what a dyad of schema 1 wrote."""
    con = duckdb.connect(str(path))
    for table, columns in _V3_COLUMNS.items():
        for c in columns:
            con.execute(f"ALTER TABLE {table} DROP COLUMN {c}")
    con.execute("DROP TABLE pair_facts")
    con.execute("DROP TABLE scans")
    con.execute("DROP TABLE source_paths")
    con.execute("CREATE INDEX facts_pair ON facts (pair)")
    con.execute("DELETE FROM schema_version WHERE version >= 2")
    con.close()


def test_store_migrates_v1_to_v5(tmp_path):
    path = tmp_path / "kb.duckdb"
    with Store(path) as s:
        s.replace_document(doc(facts=MIXED), TEXT)
        s.replace_document(doc(path="/b.txt", sha="s3", facts=(fact(start="1990"), fact(start="2001"))), TEXT)
        s.replace_document(doc(path="/b.txt", sha="s2", facts=(fact(start="1991"),)), TEXT)
    _back_to_v1(path)
    with pytest.raises(StoreError):
        Store(path, read_only=True)
    with Store(path) as s:
        assert s.schema_version() == 5
        assert _pairs_agree(s) == [(Named("Some Council"), "EU", 1), ("BEL", "SYR", 3)]
        assert [sf.fact.start for sf in s.pair_facts("SYR", "BEL")] == [None, None, "1991"]
        # facts stored before facts.md version 2 read as asserted, without codes or citations
        assert {sf.fact.polarity for sf in s.facts()} == {"asserted"}
        assert {sf.fact.cameo for sf in s.facts()} == {None}


def test_store_migrates_v2_rows_of_pair_facts(tmp_path):
    """pair_facts rows written by schema 2 (without the version-2 fields) read as before."""
    path = tmp_path / "kb.duckdb"
    with Store(path) as s:
        s.replace_document(doc(facts=MIXED), TEXT)
    con = duckdb.connect(str(path))
    rows = con.execute("SELECT pair, source_id, facts FROM pair_facts").fetchall()
    import json

    con.execute("DELETE FROM pair_facts")
    for pair, sid, text in rows:
        row = json.loads(text)
        row["source"] = row["source"][:8]
        row["facts"] = [[*f[:10], [e[:4] for e in f[10]]] for f in row["facts"]]
        con.execute("INSERT INTO pair_facts VALUES (?, ?, ?)", [pair, sid, json.dumps(row)])
    con.close()
    with Store(path) as s:
        assert _pairs_agree(s) == [(Named("Some Council"), "EU", 1), ("BEL", "SYR", 2)]


def test_store_keeps_polarity_codes_citations_and_source_metadata(store):
    ref = {
        "url": "https://example.org/story",
        "title": "A story",
        "publisher": "Example",
        "date": "2012-03-02",
    }
    start = TEXT.index("Belgium closed its embassy")
    planned = Fact(
        "mission",
        "BEL",
        "SYR",
        {"kind": "embassy", "city": "Damascus", "action": "closed"},
        (Evidence("Lead", start, start + 26, TEXT[start : start + 26], ref),),
        end="2012",
        polarity="planned",
        cameo="1313",
        goldstein=-5.8,
    )
    source = Source("/n/story.txt", "A story", "news", "s9", "https://example.org/s", "2012-03-02", "Example")
    store.replace_document(Document(source, ("BEL", "SYR"), (planned,)), TEXT)
    for sf in (store.pair_facts("BEL", "SYR")[0], store.facts(actor="BEL")[0]):
        assert sf.fact == planned
        assert sf.fact.evidence[0].ref == ref
        assert (sf.source.url, sf.source.published, sf.source.publisher) == (
            "https://example.org/s",
            "2012-03-02",
            "Example",
        )


def test_store_pair_facts_follow_writes(store):
    store.replace_document(doc(facts=MIXED), TEXT)
    assert _pairs_agree(store) == [(Named("Some Council"), "EU", 1), ("BEL", "SYR", 2)]
    store.replace_document(doc(sha="s2", facts=(fact(actor="FRA", start="1990"),)), TEXT)
    assert _pairs_agree(store) == [("FRA", "SYR", 1)]
    assert store.pair_facts("BEL", "SYR") == [] and store.pair_facts("EU", Named("Some Council")) == []
    items = [(doc(path=p, facts=(fact(), fact(actor="EU"))), TEXT) for p in ("/a/belgium-syria.txt", "/c")]
    store.bulk_load(items)
    assert _pairs_agree(store) == [("BEL", "SYR", 2), ("EU", "SYR", 2)]


def test_store_source_facts_in_document_order(store):
    store.replace_document(doc(facts=MIXED), TEXT)
    store.replace_document(doc(path="/b.txt", sha="s3", facts=(fact(start="1990"),)), TEXT)
    first, second = store.sources()
    assert store.source_facts(first.id) == [sf for sf in store.facts() if sf.source.id == first.id]
    assert [sf.fact.type for sf in store.source_facts(first.id)] == ["mission", "sanctions", "statement"]
    assert len(store.source_facts(first.id, second.id)) == 4
    assert store.source_facts() == [] and store.source_facts(99) == []


def test_store_read_only_refuses_writes(tmp_path):
    Store(tmp_path / "kb.duckdb").close()
    with Store(tmp_path / "kb.duckdb", read_only=True) as s:
        with pytest.raises(StoreError) as e:
            s.replace_document(doc(), TEXT)
    assert str(e.value) == f"{tmp_path / 'kb.duckdb'}: opened read-only; open it without read_only to write"


# -- writing --


def test_store_replace_document_added_unchanged_replaced(store):
    assert store.replace_document(doc(), TEXT) == "added"
    assert store.replace_document(doc(), TEXT) == "unchanged"
    assert store.counts() == {"sources": 1, "facts": 1, "evidence": 1}
    two = (fact(end="2012"), fact(attrs={"kind": "embassy", "city": "Brussels"}, actor="SYR", target="BEL"))
    assert store.replace_document(doc(sha="s2", facts=two), TEXT) == "replaced"
    assert store.counts() == {"sources": 1, "facts": 2, "evidence": 2}
    [source] = store.sources()
    assert (source.id, source.sha256, source.facts) == (1, "s2", 2)
    assert store.source_sha256("/a/belgium-syria.txt") == "s2"
    assert store.source_sha256("/elsewhere.txt") is None


def test_store_round_trips_facts(store):
    stated = (
        fact(end="2012"),
        fact(
            "sanctions",
            "EU",
            Named("Some Council"),
            {"scope": ["officials", "businesses"], "via": "EU"},
            quote="Syria has an embassy",
            start="2011",
        ),
        fact("statement", attrs={"stance": "condemn"}, quote="in 2012", date="2012-05"),
    )
    store.replace_document(doc(facts=stated), TEXT)
    back = store.facts()
    assert [sf.fact for sf in back] == list(stated)
    assert [sf.source.title for sf in back] == ["Belgium–Syria relations"] * 3
    assert back[0].to_json()["source"] == {"path": "/a/belgium-syria.txt", "title": "Belgium–Syria relations"}
    assert store.pair_facts("SYR", "BEL") == store.pair_facts("BEL", "SYR") == [back[0], back[2]]
    assert store.pair_facts("EU", Named("Some Council")) == [back[1]]


def test_store_keeps_source_text_parties_and_links(store):
    store.replace_document(doc(), TEXT)
    source = store.source("/a/belgium-syria.txt")
    assert (source.text, source.parties, source.links, source.facts) == (TEXT, ("BEL", "SYR"), ("X",), 1)
    assert store.source(source.id) == source
    assert store.sources()[0].text is None
    assert store.source("/nowhere") is None


def test_store_write_is_one_transaction(store, monkeypatch):
    store.replace_document(doc(), TEXT)

    def fail(*args):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store_module, "add_actors", fail)  # after facts and evidence are written
    with pytest.raises(RuntimeError):
        store.replace_document(doc(sha="s2", facts=(fact(start="1950"), fact(start="1960"))), TEXT)
    assert store.counts() == {"sources": 1, "facts": 1, "evidence": 1}
    assert [(sf.fact.start, sf.fact.end) for sf in store.facts()] == [(None, "2012")]
    assert store.pair_facts("BEL", "SYR") == store.facts()
    assert store.source_sha256("/a/belgium-syria.txt") == "s1"


def test_store_actors_added_once(store):
    store.replace_document(doc(), TEXT, actors=[("BEL", "Belgium", "state"), ("SYR", "Syria", "state")])
    store.replace_document(doc(sha="s2"), TEXT, actors=[("BEL", "Royaume", "state")])
    assert store.actors() == {"BEL": ("Belgium", "state"), "SYR": ("Syria", "state")}


def _to_v4_with_two_copies(path):
    """A knowledge base as schema 4 wrote it: one text stored twice, from two paths, as two sources."""
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE source_paths")
    con.execute("DELETE FROM schema_version WHERE version >= 5")
    source = con.execute("SELECT * FROM sources WHERE id = 1").fetchall()[0]
    con.execute(
        "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [9, "/copy.txt", *source[2:]]
    )
    for table, column in (("facts", "source_id"), ("pair_facts", "source_id")):
        con.execute(f"CREATE TEMP TABLE t AS SELECT * FROM {table} WHERE {column} = 1")
        if table == "facts":
            con.execute("UPDATE t SET id = id + 100, source_id = 9")
            con.execute("INSERT INTO evidence SELECT fact_id + 100, seq, section, start, \"end\", quote, ref "
                        "FROM evidence WHERE fact_id IN (SELECT id - 100 FROM t)")  # fmt: skip
        else:
            con.execute("UPDATE t SET source_id = 9")
        con.execute(f"INSERT INTO {table} SELECT * FROM t")
        con.execute("DROP TABLE t")
    con.close()


def test_store_migrates_v4_sources_with_one_text_into_one(tmp_path):
    """Schema 5: two sources of the same text (two paths) become one source with both paths."""
    path = tmp_path / "kb.duckdb"
    with Store(path) as s:
        s.replace_document(doc(facts=MIXED), TEXT)
        s.replace_document(doc(path="/b.txt", sha="s3", facts=(fact(start="1990"),)), TEXT)
    _to_v4_with_two_copies(path)
    with duckdb.connect(str(path)) as con:
        assert con.execute("SELECT count(*) FROM sources").fetchone() == (3,)
        assert con.execute("SELECT count(*) FROM facts").fetchone() == (7,)
    with Store(path) as s:
        assert s.schema_version() == 5
        assert [(x.id, x.path, x.paths, x.facts) for x in s.sources()] == [
            (1, "/a/belgium-syria.txt", ("/a/belgium-syria.txt", "/copy.txt"), 3),
            (2, "/b.txt", ("/b.txt",), 1),
        ]
        assert s.counts() == {"sources": 2, "facts": 4, "evidence": 4}
        assert _pairs_agree(s) == [(Named("Some Council"), "EU", 1), ("BEL", "SYR", 3)]
        assert s.source("/copy.txt").id == 1


def test_store_same_text_from_two_paths_is_one_source(store):
    assert store.replace_document(doc(), TEXT) == "added"
    assert store.replace_document(doc(path="/elsewhere/copy.txt"), TEXT) == "unchanged"
    [source] = store.sources()
    assert (source.path, source.paths, source.facts) == (
        "/a/belgium-syria.txt",
        ("/a/belgium-syria.txt", "/elsewhere/copy.txt"),
        1,
    )
    # the first path's file changes: it becomes a source of its own, the copy keeps the old text
    assert store.replace_document(doc(sha="s2", facts=(fact(start="1990"),)), TEXT) == "added"
    assert [(x.path, x.paths, x.sha256) for x in store.sources()] == [
        ("/a/belgium-syria.txt", ("/a/belgium-syria.txt",), "s2"),
        ("/elsewhere/copy.txt", ("/elsewhere/copy.txt",), "s1"),
    ]
    # and when the copy changes to the same new text, the old text has no path left: it is gone
    assert store.replace_document(doc(path="/elsewhere/copy.txt", sha="s2"), TEXT) == "unchanged"
    [only] = store.sources()
    assert (only.sha256, only.paths) == ("s2", ("/a/belgium-syria.txt", "/elsewhere/copy.txt"))
    assert store.counts() == {"sources": 1, "facts": 1, "evidence": 1}


def test_store_remove_source_with_its_facts(store):
    store.replace_document(doc(facts=MIXED), TEXT)
    store.replace_document(doc(path="/b.txt", sha="s3", facts=(fact(start="1990"),)), TEXT)
    removed, n = store.remove_source(1)
    assert (removed.path, n) == ("/a/belgium-syria.txt", 3)
    assert store.counts() == {"sources": 1, "facts": 1, "evidence": 1}
    assert (
        store.source("/a/belgium-syria.txt") is None and store.pair_facts("EU", Named("Some Council")) == []
    )
    assert [sf.fact.start for sf in store.pair_facts("BEL", "SYR")] == ["1990"]
    assert store.remove_source(1) is None


def test_store_bulk_load(store):
    store.replace_document(doc(path="/a/1.txt"), TEXT)
    items = [(doc(path=f"/a/{i}.txt", facts=(fact(), fact(start="2001"))), TEXT) for i in range(1, 4)]
    assert store.bulk_load(items, actors=[("BEL", "Belgium", "state")]) == 6
    assert store.counts() == {"sources": 3, "facts": 6, "evidence": 6}
    assert [(s.path, s.facts) for s in store.sources()] == [("/a/1.txt", 2), ("/a/2.txt", 2), ("/a/3.txt", 2)]
    assert store.bulk_load([]) == 0


# -- reading --


def test_store_pairs(store):
    store.replace_document(doc(facts=(fact(), fact(actor="SYR", target="BEL"), fact(actor="EU"))), TEXT)
    store.replace_document(doc(path="/b.txt", sha="s3", facts=(fact(),)), TEXT)
    assert [(p.a, p.b, p.facts, p.sources) for p in store.pairs()] == [
        ("BEL", "SYR", 3, 2),
        ("EU", "SYR", 1, 1),
    ]


def test_store_facts_filters(store):
    store.replace_document(
        doc(
            facts=(
                fact(start="1990", end="1999"),
                fact(type_="statement", attrs={"stance": "praise"}, date="2005"),
                fact(),
                fact(start="2010"),
            )
        ),
        TEXT,
    )
    spans = lambda **kw: [(sf.fact.start, sf.fact.end, sf.fact.date) for sf in store.facts(**kw)]  # noqa: E731
    assert spans(since="2000") == [(None, None, "2005"), ("2010", None, None)]
    assert spans(until="1995-06") == [("1990", "1999", None)]
    assert spans(since="1999-12-31", until="2005") == [("1990", "1999", None), (None, None, "2005")]
    assert spans(type="statement") == [(None, None, "2005")]
    assert len(store.facts(actor="SYR")) == 4 and store.facts(actor="FRA") == []
    with pytest.raises(StoreError):
        store.facts(since="soon")
    with pytest.raises(StoreError):
        store.facts(actor="BEL", other="SYR", until="later")


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"since": "2000"},
        {"until": "1995-06"},
        {"since": "1999-12-31", "until": "2005"},
        {"type": "statement"},
    ],
)
def test_store_facts_of_a_pair_filter_like_the_sql(store, filters):
    stated = (
        fact(start="1990", end="1999"),
        fact(type_="statement", attrs={"stance": "praise"}, date="2005"),
        fact(),
        fact(start="2010"),
    )
    store.replace_document(doc(facts=(*stated, fact(actor="FRA", start="2001"))), TEXT)
    of_pair = [
        sf for sf in store.facts(actor="SYR", **filters) if "FRA" not in (sf.fact.actor, sf.fact.target)
    ]
    assert store.facts(actor="SYR", other="BEL", **filters) == of_pair


def test_store_pair_key():
    assert pair_key("SYR", "BEL") == pair_key("BEL", "SYR") == "BEL|SYR"
    assert pair_key(Named("Hezbollah"), "SYR") == "*Hezbollah|SYR"


@pytest.mark.parametrize(
    ("edtf", "bounds"),
    [
        ("2012", (20120101, 20121231)),
        ("2011-02", (20110201, 20110228)),
        ("2012-02", (20120201, 20120229)),
        ("1946-03-20", (19460320, 19460320)),
        ("200X", (20000101, 20091231)),
        ("19XX", (19000101, 19991231)),
        ("2000~", (20000101, 20001231)),
        ("2011-03?", (20110301, 20110331)),
        ("2012-21", (20120301, 20120531)),  # spring, as the edtf package reads seasons
        ("1990/1995-06", (19900101, 19950630)),
        ("2011-13-01", None),
        ("2011-00", None),
        ("2011-21-01", None),
        ("2011-02-30", None),
        ("spring", None),
        ("", None),
        (None, None),
    ],
)
def test_store_edtf_bounds(edtf, bounds):
    assert edtf_bounds(edtf) == bounds
