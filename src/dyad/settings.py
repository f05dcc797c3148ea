"""Named defaults, in one place. Each setting has a name, a default and a help line."""

from __future__ import annotations

#: Largest article file dyad reads, in bytes; larger files are refused with an error naming the limit.
MAX_ARTICLE_BYTES = 20 * 1024 * 1024

#: File suffixes taken as inputs when a directory is given (a file named on the command line is read
#: whatever its suffix; its format is told by its content).
ARTICLE_SUFFIXES = (
    ".txt", ".wiki", ".wikitext", ".html", ".htm", ".xml", ".xml.bz2", ".xml.gz", ".jsonl", ".jsonl.gz",
    ".warc", ".warc.gz",
)  # fmt: skip

#: Environment variable that overrides the default knowledge-base path.
DB_ENV = "DYAD_DB"

#: File name of the default knowledge base inside the user's data directory.
DB_FILENAME = "dyad.duckdb"

#: How many files make extract/ingest show a progress bar (when stderr is a terminal).
PROGRESS_MIN_FILES = 2

#: How long opening the knowledge base waits for another process that holds it (DuckDB allows one
#: writer, and no reader beside a writer), in seconds, before saying the knowledge base is busy.
STORE_BUSY_SECONDS = 10.0

#: Facts read at a time when a large export or listing pages through the knowledge base.
FACT_PAGE = 2_000

#: An ingest writes its sources in batches, one transaction each: at most this many sources, this much
#: text (bytes) or this many seconds of reading a batch. A batch is written whole or not at all, so an
#: interrupt loses at most one; each source in it is always fully old or fully new.
INGEST_BATCH_FILES = 500
INGEST_BATCH_BYTES = 8 * 1024 * 1024
INGEST_BATCH_SECONDS = 2.0
