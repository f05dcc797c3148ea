"""Export facts, streaming: JSON Lines of facts.md documents, CSV rows, or a Parquet file.

Each writer takes an iterable of stored facts (:meth:`dyad.kb.KnowledgeBase.iter_facts`, which pages
through the store) and never holds more than a page of them: text comes out as chunks of lines, Parquet
as row groups written as they fill. The JSON Lines are one facts.md document per source, so the scorers
read them as they read ``dyad extract``; a source's facts come together, as the store keeps them. CSV
and Parquet flatten each fact to one row (:data:`FACT_COLUMNS`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, BinaryIO

from dyad.model import FACT_TYPES, SourceRecord, StoredFact, actor_json, actor_key
from dyad.settings import FACT_PAGE

__all__ = ["FACT_COLUMNS", "TEXT_EXPORTS", "csv_chunks", "json_lines", "write_parquet"]

LIST_SEPARATOR = "; "  # joins list values (goods, scope, channels) in CSV cells

_ATTR_NAMES = tuple(dict.fromkeys(name for names in FACT_TYPES.values() for name in names))

#: The columns of a flattened fact (CSV, Parquet): the store's id, the source's path, title and metadata,
#: the facts.md fields (polarity, CAMEO code and Goldstein value included); list attributes are joined by
#: "; ", an unresolved actor is written ``*name``, evidence is the facts.md evidence list as JSON (with
#: each piece's ``ref``, the source's own citation, when it has one).
FACT_COLUMNS = (
    "id", "source_path", "source_title", "source_url", "source_published", "source_publisher", "type",
    "actor", "target", "start", "end", "date", "polarity", "cameo", "goldstein", "confidence",
    *(f"attrs.{name}" for name in _ATTR_NAMES), "evidence",
)  # fmt: skip

_PARQUET_TYPES = {"id": "int64", "confidence": "float64", "goldstein": "float64"}


def json_lines(facts: Iterable[StoredFact]) -> Iterator[str]:
    """One line per source: the facts.md document of the given facts of that source, in the order
    given (facts of one source must come together, as the store gives them)."""
    source: SourceRecord | None = None
    stated: list[dict[str, Any]] = []
    for sf in facts:
        if source is not None and sf.source.id != source.id:
            yield _document(source, stated)
            stated = []
        source = sf.source
        stated.append(sf.fact.to_json())
    if source is not None:
        yield _document(source, stated)


def _document(source: SourceRecord, facts: list[dict[str, Any]]) -> str:
    doc = {
        "source": source.to_source().to_json(),
        "parties": [actor_json(p) for p in source.parties],
        "facts": facts,
        "links": list(source.links),
    }
    return json.dumps(doc, ensure_ascii=False) + "\n"


def _flat(value: Any) -> str | None:
    if value is None:
        return None
    return LIST_SEPARATOR.join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)


def fact_row(sf: StoredFact) -> dict[str, Any]:
    """A stored fact as one row of :data:`FACT_COLUMNS`."""
    f = sf.fact
    row: dict[str, Any] = {
        "id": sf.id,
        "source_path": sf.source.path,
        "source_title": sf.source.title,
        "source_url": sf.source.url,
        "source_published": sf.source.published,
        "source_publisher": sf.source.publisher,
        "type": f.type,
        "actor": actor_key(f.actor),
        "target": actor_key(f.target),
        "start": f.start,
        "end": f.end,
        "date": f.date,
        "polarity": f.polarity,
        "cameo": f.cameo,
        "goldstein": f.goldstein,
        "confidence": round(f.confidence, 3),
    }
    row.update({f"attrs.{name}": _flat(f.attrs.get(name)) for name in _ATTR_NAMES})
    row["evidence"] = json.dumps([e.to_json() for e in f.evidence], ensure_ascii=False)
    return row


def csv_chunks(facts: Iterable[StoredFact], *, rows: int = FACT_PAGE) -> Iterator[str]:
    """CSV text: the header, then a row per fact, in chunks of ``rows`` lines; an empty cell is a
    missing value."""
    out = io.StringIO()
    writer = csv.DictWriter(out, FACT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for sf in facts:
        writer.writerow(fact_row(sf))
        n += 1
        if n % rows == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def write_parquet(facts: Iterable[StoredFact], sink: BinaryIO | str, *, rows: int = FACT_PAGE) -> int:
    """The CSV columns as a Parquet file written to ``sink`` (a binary stream or a path), a row group per
    ``rows`` facts: strings, nulls for missing values, the id as an integer, confidence and Goldstein
    value as doubles. Returns the number of facts written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(c, getattr(pa, _PARQUET_TYPES.get(c, "string"))()) for c in FACT_COLUMNS])
    written = 0
    with pq.ParquetWriter(sink, schema) as writer:
        page: list[dict[str, Any]] = []
        for sf in facts:
            page.append(fact_row(sf))
            if len(page) >= rows:
                writer.write_table(pa.Table.from_pylist(page, schema))
                written += len(page)
                page = []
        if page or not written:
            writer.write_table(pa.Table.from_pylist(page, schema))
            written += len(page)
    return written


#: The text exports by ``--format`` name (Parquet, binary, is :func:`write_parquet`).
TEXT_EXPORTS: Mapping[str, Callable[[Iterable[StoredFact]], Iterator[str]]] = {
    "json": json_lines,
    "csv": csv_chunks,
}
