"""The rows a document makes in the store's tables, built as Arrow tables for DuckDB to append.

Kept apart from :mod:`dyad.store` (which owns the connection and the SQL) because it is the hot path of
a bulk load: plain Python over millions of values, tuned for that (a compact JSON encoder, the cyclic
garbage collector paused). The column tuples here are the tables' columns, in schema order.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from dyad.edtf import bounds as edtf_bounds
from dyad.model import Document, Fact, actor_json, actor_key

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["document_tables", "gc_paused"]

_FACT_COLUMNS = (
    "id", "source_id", "seq", "pair", "type", "actor", "target", "attrs",
    '"start"', '"end"', '"date"', "confidence", "rule", "t_lo", "t_hi", "polarity", "cameo", "goldstein",
)  # fmt: skip
_EVIDENCE_COLUMNS = ("fact_id", "seq", "section", '"start"', '"end"', "quote", "ref")
_PAIR_COLUMNS = ("pair", "source_id", "facts")
_SOURCE_COLUMNS = (
    "id", "path", "title", "format", "sha256", "parties", "links", "ingested_at",
    "url", "published", "publisher", "refs", "text",
)  # fmt: skip


def _time_span(fact: Fact) -> tuple[int | None, int | None]:
    """(t_lo, t_hi) of a fact; NULL on a side means open (or no time at all when both are NULL)."""
    start, end = edtf_bounds(fact.start), edtf_bounds(fact.end)
    if start or end:
        return (start[0] if start else None), (end[1] if end else None)
    date = edtf_bounds(fact.date)
    return (date[0], date[1]) if date else (None, None)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def _source_values(doc: Document, text: str) -> list[Any]:
    """The values of _SOURCE_COLUMNS after id: path … ingested_at, url, published, publisher, refs, text."""
    s = doc.source
    return [
        s.path,
        s.title,
        s.format,
        s.sha256,
        json.dumps([actor_json(p) for p in doc.parties], ensure_ascii=False),
        json.dumps(list(doc.links), ensure_ascii=False),
        _now(),
        s.url,
        s.published,
        s.publisher,
        json.dumps([dict(r) for r in s.references], ensure_ascii=False) if s.references else None,
        text,
    ]


def _compact_json() -> Callable[[Any], str]:
    """``json.dumps(value, ensure_ascii=False)`` for values built of dicts, lists and scalars, without a
    check for cycles (the rows written hold none), and without the set-up that ``JSONEncoder.encode``
    repeats on every call: a microsecond per fact, a tenth of a bulk load's time in Python.
    """
    encoder = json.JSONEncoder(ensure_ascii=False, check_circular=False)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # an interpreter without the C encoder
        return encoder.encode
    chunks = make(
        None,
        encoder.default,
        json.encoder.encode_basestring,
        None,
        encoder.key_separator,
        encoder.item_separator,
        False,
        False,
        True,
    )
    return lambda value: "".join(chunks(value, 0))


_encode = _compact_json()
_FACT_FIELDS = tuple(c.strip('"') for c in _FACT_COLUMNS)
_FACT_STRINGS = (
    "pair",
    "type",
    "actor",
    "target",
    "attrs",
    "start",
    "end",
    "date",
    "rule",
    "polarity",
    "cameo",
)
_EVIDENCE_FIELDS = tuple(c.strip('"') for c in _EVIDENCE_COLUMNS)


def document_tables(
    items: Sequence[tuple[int, Document, str]], fact_ids: Sequence[int]
) -> tuple[pa.Table, pa.Table, pa.Table]:
    """The sources, facts and evidence rows of (source id, document, text) items, as Arrow tables.

    Facts take ``fact_ids`` in order. Columns are the table columns in schema order.
    """
    with gc_paused():
        return _document_tables(items, fact_ids, with_pairs=False)[:3]


def _tables(
    items: Sequence[tuple[int, Document, str]], fact_ids: Sequence[int]
) -> tuple[pa.Table, pa.Table, pa.Table, pa.Table]:
    """:func:`document_tables` and the ``pair_facts`` rows of the items."""
    with gc_paused():
        return _document_tables(items, fact_ids, with_pairs=True)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the block (restoring its state after): for code that
    builds many acyclic objects at once, which reference counting frees anyway."""
    # Building millions of row tuples makes the cyclic collector rescan every live object again and
    # again (half the time of a bulk load); the rows hold no cycles, so pause it and restore its state.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _document_tables(
    items: Sequence[tuple[int, Document, str]], fact_ids: Sequence[int], *, with_pairs: bool
) -> tuple[pa.Table, pa.Table, pa.Table, pa.Table]:
    import pyarrow as pa

    values = [_source_values(doc, text) for _, doc, text in items]
    sources = pa.table(
        {
            "id": pa.array([sid for sid, _, _ in items], pa.int32()),
            **{name: [v[i] for v in values] for i, name in enumerate(_SOURCE_COLUMNS[1:])},
        }
    )
    fact_rows: list[tuple[Any, ...]] = []
    evidence_rows: list[tuple[Any, ...]] = []
    next_id = iter(fact_ids)
    pair_rows: list[tuple[str, int, str]] = []
    encode = _encode
    for (source_id, doc, _), v in zip(items, values, strict=True):
        by_pair: dict[str, list[tuple[Any, ...]]] = {}
        for seq, fact in enumerate(doc.facts):
            fact_id = next(next_id)
            actor, target = actor_key(fact.actor), actor_key(fact.target)
            pair = f"{actor}|{target}" if actor <= target else f"{target}|{actor}"
            attrs = dict(fact.attrs)
            fact_rows.append(
                (fact_id, source_id, seq, pair, fact.type, actor, target, encode(attrs), fact.start,
                 fact.end, fact.date, fact.confidence, fact.rule, *_time_span(fact), fact.polarity,
                 fact.cameo, fact.goldstein)
            )  # fmt: skip
            evidence = [
                (ev.section, ev.start, ev.end, ev.quote, dict(ev.ref)) if ev.ref
                else (ev.section, ev.start, ev.end, ev.quote)
                for ev in fact.evidence
            ]  # fmt: skip
            evidence_rows.extend(
                [
                    (fact_id, i, *ev[:4], encode(ev[4]) if len(ev) > 4 else None)
                    for i, ev in enumerate(evidence)
                ]
            )
            if not with_pairs:
                continue
            row = (fact_id, fact.type, actor, target, attrs, fact.start, fact.end, fact.date, fact.confidence,
                   fact.rule, evidence, fact.polarity, fact.cameo, fact.goldstein)  # fmt: skip
            if pair in by_pair:
                by_pair[pair].append(row)
            else:
                by_pair[pair] = [row]
        if by_pair:
            # The shape _stored_from_pair_rows reads; v holds path, title, format, sha256, parties, links,
            # ingested_at and text.
            source = [source_id, *v[:4], [actor_json(p) for p in doc.parties], list(doc.links),
                      v[6].isoformat(), *v[7:10]]  # fmt: skip
            pair_rows.extend(
                (pair, source_id, encode({"source": source, "facts": facts}))
                for pair, facts in by_pair.items()
            )
    f = dict(
        zip(
            _FACT_FIELDS,
            zip(*fact_rows, strict=True) if fact_rows else ([],) * len(_FACT_FIELDS),
            strict=True,
        )
    )
    e = dict(
        zip(
            _EVIDENCE_FIELDS,
            zip(*evidence_rows, strict=True) if evidence_rows else ([],) * len(_EVIDENCE_FIELDS),
            strict=True,
        )
    )
    types = {"confidence": pa.float64(), "t_lo": pa.int32(), "t_hi": pa.int32(), "seq": pa.int32(),
             "goldstein": pa.float64()}  # fmt: skip
    types |= {"id": pa.int64(), "source_id": pa.int32()} | {k: pa.string() for k in _FACT_STRINGS}
    facts = pa.table({k: pa.array(v, types[k]) for k, v in f.items()})
    ev_types = {"fact_id": pa.int64(), "seq": pa.int32(), "section": pa.string(), "start": pa.int32(),
                "end": pa.int32(), "quote": pa.string(), "ref": pa.string()}  # fmt: skip
    evidence = pa.table({k: pa.array(v, ev_types[k]) for k, v in e.items()})
    p = zip(*pair_rows, strict=True) if pair_rows else ([],) * 3
    pairs = pa.table(
        {
            k: pa.array(v, t)
            for k, v, t in zip(_PAIR_COLUMNS, p, (pa.string(), pa.int32(), pa.string()), strict=True)
        }
    )
    return sources, facts, evidence, pairs
