"""The knowledge base's schema: the migrations that build it, each applied once and recorded.

Each migration is a version, a description and its statements; :class:`dyad.store.Store` applies the
ones a file lacks, each in one transaction, and records them in ``schema_version``. The tables are
described in :mod:`dyad.store`.
"""

from __future__ import annotations

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "schema_sql"]

# Each migration is (version, description, statements); a database records the versions applied.
MIGRATIONS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (
        1,
        "sources, facts, evidence and actors",
        (
            "CREATE SEQUENCE source_id_seq START 1",
            "CREATE SEQUENCE fact_id_seq START 1",
            """CREATE TABLE sources (
                id INTEGER PRIMARY KEY,
                path VARCHAR NOT NULL UNIQUE,
                title VARCHAR NOT NULL,
                format VARCHAR NOT NULL,
                sha256 VARCHAR NOT NULL,
                parties JSON NOT NULL,
                links JSON NOT NULL,
                ingested_at TIMESTAMP NOT NULL,
                text VARCHAR NOT NULL)""",
            # Facts and evidence are appended in id (and so source) order, so DuckDB's min/max zonemaps
            # find a source's facts and a fact's evidence without an index; an index there only slows
            # writes (a fifth of a bulk load). The pair, asked for at random, has one.
            """CREATE TABLE facts (
                id BIGINT NOT NULL,
                source_id INTEGER NOT NULL,
                seq INTEGER NOT NULL,
                pair VARCHAR NOT NULL,
                type VARCHAR NOT NULL,
                actor VARCHAR NOT NULL,
                target VARCHAR NOT NULL,
                attrs JSON NOT NULL,
                "start" VARCHAR,
                "end" VARCHAR,
                "date" VARCHAR,
                confidence DOUBLE NOT NULL,
                rule VARCHAR NOT NULL,
                t_lo INTEGER,
                t_hi INTEGER)""",
            "CREATE INDEX facts_pair ON facts (pair)",
            """CREATE TABLE evidence (
                fact_id BIGINT NOT NULL,
                seq INTEGER NOT NULL,
                section VARCHAR NOT NULL,
                "start" INTEGER NOT NULL,
                "end" INTEGER NOT NULL,
                quote VARCHAR NOT NULL)""",
            """CREATE TABLE actors (
                code VARCHAR PRIMARY KEY,
                name VARCHAR NOT NULL,
                kind VARCHAR NOT NULL)""",
        ),
    ),
    (
        2,
        "pair_facts: each source's facts about a pair, with their evidence, for one-lookup reads",
        (
            # Uncompressed: DuckDB fetches an indexed row of a ZSTD string segment by decompressing the
            # segment, 10 ms a lookup against 0.5 ms. The price is size: with these rows the file takes
            # 517 bytes a fact against 129 (bench/store.py).
            """CREATE TABLE pair_facts (
                pair VARCHAR NOT NULL,
                source_id INTEGER NOT NULL,
                facts VARCHAR NOT NULL USING COMPRESSION uncompressed)""",
            "CREATE INDEX pair_facts_pair ON pair_facts (pair)",
            # A pair's facts are now read from pair_facts; the index on facts only slowed writes.
            "DROP INDEX facts_pair",
            # From the tables of version 1, in the shape _document_tables writes (_stored_from_pair_rows).
            """INSERT INTO pair_facts
            WITH ev AS (
                SELECT fact_id, to_json(list(json_array(section, "start", "end", quote) ORDER BY seq)) AS ev
                FROM evidence GROUP BY fact_id)
            SELECT f.pair, f.source_id, json_object(
                'source', json_array(any_value(s.id), any_value(s.path), any_value(s.title),
                    any_value(s.format), any_value(s.sha256), any_value(s.parties), any_value(s.links),
                    strftime(any_value(s.ingested_at), '%Y-%m-%dT%H:%M:%S.%f')),
                'facts', to_json(list(json_array(f.id, f.type, f.actor, f.target, f.attrs, f."start",
                    f."end", f."date", f.confidence, f.rule, coalesce(ev.ev, '[]'::JSON)) ORDER BY f.id)))
            FROM facts f JOIN sources s ON s.id = f.source_id LEFT JOIN ev ON ev.fact_id = f.id
            GROUP BY f.pair, f.source_id""",
        ),
    ),
    (
        3,
        "facts.md version 2: polarity, CAMEO codes, evidence citations, source metadata",
        (
            # Facts stored before version 2 were all stated as happening: asserted.
            "ALTER TABLE facts ADD COLUMN polarity VARCHAR DEFAULT 'asserted'",
            "ALTER TABLE facts ADD COLUMN cameo VARCHAR",
            "ALTER TABLE facts ADD COLUMN goldstein DOUBLE",
            "ALTER TABLE evidence ADD COLUMN ref JSON",
            "ALTER TABLE sources ADD COLUMN url VARCHAR",
            "ALTER TABLE sources ADD COLUMN published VARCHAR",
            "ALTER TABLE sources ADD COLUMN publisher VARCHAR",
            "ALTER TABLE sources ADD COLUMN refs JSON",
            # pair_facts rows of version 2 are read as they are: the new fields sit at the end of each
            # array, and a row without them reads as asserted, uncoded, uncited.
        ),
    ),
    (
        4,
        "scans: how far the scan of each dump got, so that an interrupted one resumes",
        (
            """CREATE TABLE scans (
                path VARCHAR PRIMARY KEY,
                identity VARCHAR NOT NULL,
                position JSON NOT NULL,
                updated_at TIMESTAMP NOT NULL)""",
        ),
    ),
    (
        5,
        "a source is its content: sources merged by sha256, every path they were read from remembered",
        (
            """CREATE TABLE source_paths (
                path VARCHAR PRIMARY KEY,
                source_id INTEGER NOT NULL,
                added_at TIMESTAMP NOT NULL)""",
            # Of the sources with one content, the oldest stays and takes the others' paths.
            """INSERT INTO source_paths
            SELECT s.path, k.keep, s.ingested_at FROM sources s
            JOIN (SELECT sha256, min(id) AS keep FROM sources GROUP BY sha256) k ON k.sha256 = s.sha256""",
            """DELETE FROM evidence WHERE fact_id IN (SELECT id FROM facts
                WHERE source_id NOT IN (SELECT min(id) FROM sources GROUP BY sha256))""",
            "DELETE FROM facts WHERE source_id NOT IN (SELECT min(id) FROM sources GROUP BY sha256)",
            "DELETE FROM pair_facts WHERE source_id NOT IN (SELECT min(id) FROM sources GROUP BY sha256)",
            # sources.path is now the path a source was first read from, no longer unique: the table is
            # made again without that constraint (DuckDB cannot drop one).
            """CREATE TABLE sources_v4 (
                id INTEGER PRIMARY KEY,
                path VARCHAR NOT NULL,
                title VARCHAR NOT NULL,
                format VARCHAR NOT NULL,
                sha256 VARCHAR NOT NULL,
                parties JSON NOT NULL,
                links JSON NOT NULL,
                ingested_at TIMESTAMP NOT NULL,
                text VARCHAR NOT NULL,
                url VARCHAR,
                published VARCHAR,
                publisher VARCHAR,
                refs JSON)""",
            """INSERT INTO sources_v4 SELECT id, path, title, format, sha256, parties, links, ingested_at,
                text, url, published, publisher, refs FROM sources
            WHERE id IN (SELECT min(id) FROM sources GROUP BY sha256)""",
            "DROP TABLE sources",
            "ALTER TABLE sources_v4 RENAME TO sources",
        ),
    ),
)

#: The schema version this dyad writes and reads.
SCHEMA_VERSION = MIGRATIONS[-1][0]


def schema_sql() -> list[str]:
    """The tables and indexes that hold the facts (sources, facts, evidence, actors) with the columns of
    facts.md version 2, as plain SQL that SQLite runs too: sequences, the DuckDB-only ``pair_facts`` and
    the ``source_paths`` of version 4 are left out.

    For tools that compare engines (bench/store.py); dyad itself creates the schema by migration.
    """
    first = [sql for sql in MIGRATIONS[0][2] if not sql.startswith("CREATE SEQ")]
    return first + list(MIGRATIONS[2][2])  # the columns facts.md version 2 added
