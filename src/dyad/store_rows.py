"""The rows of the store's tables both ways: those a document makes (Arrow tables for DuckDB to
append) and the stored facts read back from rows, with the filters (a WHERE clause of placeholders, and
the same test in Python) that select facts.

Kept apart from :mod:`dyad.store` (which owns the connection and the SQL) because it is the hot path of
a bulk load and of every read: plain Python over millions of values, tuned for that (a compact JSON
encoder, the cyclic garbage collector paused). The column tuples here are the tables' columns, in
schema order.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from dyad.edtf import bounds as edtf_bounds
from dyad.errors import StoreError
from dyad.model import (
    Actor,
    Document,
    Evidence,
    Fact,
    Named,
    SourceRecord,
    StoredFact,
    actor_from_json,
    actor_json,
    actor_key,
)

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["document_tables", "fact_queries", "gc_paused", "stored_facts"]

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


def _source_values(doc: Document, text: str, now: datetime) -> list[Any]:
    """The values of _SOURCE_COLUMNS after id: path … ingested_at (``now``), url, published, publisher,
    refs, text."""
    s = doc.source
    return [
        s.path,
        s.title,
        s.format,
        s.sha256,
        json.dumps([actor_json(p) for p in doc.parties], ensure_ascii=False),
        json.dumps(list(doc.links), ensure_ascii=False),
        now,
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

    Facts take ``fact_ids`` in order. Columns are the table columns in schema order; every source is
    ingested now.
    """
    with gc_paused():
        return _document_tables(items, fact_ids, _now(), with_pairs=False)[:3]


def _tables(
    items: Sequence[tuple[int, Document, str]], fact_ids: Sequence[int], now: datetime
) -> tuple[pa.Table, pa.Table, pa.Table, pa.Table]:
    """:func:`document_tables` and the ``pair_facts`` rows of the items, each ingested at ``now``."""
    with gc_paused():
        return _document_tables(items, fact_ids, now, with_pairs=True)


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
    items: Sequence[tuple[int, Document, str]], fact_ids: Sequence[int], now: datetime, *, with_pairs: bool
) -> tuple[pa.Table, pa.Table, pa.Table, pa.Table]:
    import pyarrow as pa

    values = [_source_values(doc, text, now) for _, doc, text in items]
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


# -- reading rows back --

_SOURCE_SELECT = ", ".join(_SOURCE_COLUMNS[:-1])
_FACT_SELECT = (
    'SELECT id, source_id, type, actor, target, attrs, "start", "end", "date", confidence, rule, polarity, '
    "cameo, goldstein FROM facts"
)


def _key_actor(key: str) -> Actor:
    return Named(key[1:]) if key.startswith("*") else key


def _source_record(r: Sequence[Any]) -> SourceRecord:
    """A record from a row of _SOURCE_SELECT followed by the fact count, the text and (maybe) the paths."""
    ingested = r[7] if isinstance(r[7], datetime) else datetime.fromisoformat(str(r[7]))
    parties = tuple(actor_from_json(p) for p in json.loads(r[5]))
    refs = tuple(json.loads(r[11])) if r[11] else ()
    paths = tuple(r[14]) if len(r) > 14 and r[14] else ()
    return SourceRecord(
        r[0], r[1], r[2], r[3], r[4], parties, tuple(json.loads(r[6])), ingested, int(r[12]), r[13],
        r[8], r[9], r[10], refs, paths,
    )  # fmt: skip


def fact_queries(where: str) -> tuple[str, str, str]:
    """The three SELECTs that read the facts matching ``where``: facts, their evidence, their sources.

    Each takes the parameters of ``where`` once; the SQL is plain enough for SQLite (bench/store.py).
    Their rows make :func:`stored_facts`.
    """
    return (
        f"{_FACT_SELECT} WHERE {where}",
        'SELECT fact_id, section, "start", "end", quote, ref FROM evidence '
        f"WHERE fact_id IN (SELECT id FROM facts WHERE {where}) ORDER BY fact_id, seq",
        f"SELECT {_SOURCE_SELECT}, 0, NULL FROM sources "
        f"WHERE id IN (SELECT source_id FROM facts WHERE {where})",
    )


def stored_facts(
    fact_rows: Sequence[Sequence[Any]],
    evidence_rows: Sequence[Sequence[Any]],
    source_rows: Sequence[Sequence[Any]],
    *,
    by_path: bool = True,
) -> list[StoredFact]:
    """StoredFacts from the rows of :func:`fact_queries`, in source path and document order (or, with
    ``by_path=False``, in the order of ``fact_rows``)."""
    evidence: dict[int, list[Evidence]] = {}
    for fact_id, section, start, end, quote, *ref in evidence_rows:
        cited = json.loads(ref[0]) if ref and ref[0] else None
        evidence.setdefault(fact_id, []).append(Evidence(section, start, end, quote, cited))
    sources = {r[0]: _source_record(r) for r in source_rows}
    out = []
    for row in fact_rows:
        fact_id, source_id, type_, actor, target, attrs, start, end, date, confidence, rule = row[:11]
        polarity, cameo, goldstein = (*row[11:14], None, None, None)[:3]
        fact = Fact(
            type=type_,
            actor=_key_actor(actor),
            target=_key_actor(target),
            attrs=json.loads(attrs),
            evidence=tuple(evidence.get(fact_id, ())),
            start=start,
            end=end,
            date=date,
            confidence=confidence,
            rule=rule,
            polarity=polarity or "asserted",
            cameo=cameo,
            goldstein=goldstein,
        )
        out.append(StoredFact(fact_id, fact, sources[source_id]))
    if by_path:
        out.sort(key=lambda sf: (sf.source.path, sf.id))
    return out


def _stored_from_pair_rows(texts: Iterable[str]) -> list[StoredFact]:
    """StoredFacts from ``pair_facts`` rows, in source path and document order.

    A row is ``{"source": [id, path, title, format, sha256, parties, links, ingested_at, url, published,
    publisher], "facts": [[id, type, actor, target, attrs, start, end, date, confidence, rule, [[section,
    start, end, quote, ref?], ...], polarity, cameo, goldstein], ...]}`` (:func:`_document_tables` writes
    it; migration 2 built rows without the fields after ``ingested_at``, ``evidence`` and ``ref``, which
    read as absent).
    """
    out: list[StoredFact] = []
    loads = json.loads
    for text in texts:
        row = loads(text)
        sid, path, title, format_, sha256, parties, links, ingested_at = row["source"][:8]
        url, published, publisher = (*row["source"][8:11], None, None, None)[:3]
        source = SourceRecord(
            sid,
            path,
            title,
            format_,
            sha256,
            tuple(actor_from_json(p) for p in parties),
            tuple(links),
            datetime.fromisoformat(ingested_at),
            url=url,
            published=published,
            publisher=publisher,
        )
        facts = row["facts"]
        for f in facts:
            fact_id, type_, actor, target, attrs, start, end, date, confidence, rule, evidence = f[:11]
            polarity, cameo, goldstein = (*f[11:14], None, None, None)[:3]
            fact = Fact(
                type_,
                _key_actor(actor),
                _key_actor(target),
                attrs,
                tuple(Evidence(*e) for e in evidence),
                start,
                end,
                date,
                confidence,
                rule,
                polarity or "asserted",
                cameo,
                goldstein,
            )
            out.append(StoredFact(fact_id, fact, source))
    out.sort(key=lambda sf: (sf.source.path, sf.id))
    return out


# -- filters --


def pair_key(a: Actor, b: Actor) -> str:
    """The canonical key of an unordered pair: the two actor keys sorted, joined by ``|``."""
    return "|".join(sorted((actor_key(a), actor_key(b))))


def _meets(fact: Fact, first: int | None, last: int | None) -> bool:
    """Whether the span of ``fact`` meets [first, last] (days; None: no bound), as Store.facts filters."""
    if first is None and last is None:
        return True
    lo, hi = _time_span(fact)
    if lo is None and hi is None:
        return False
    return not (
        (first is not None and hi is not None and hi < first)
        or (last is not None and lo is not None and lo > last)
    )


def _days(since: str | None, until: str | None) -> tuple[int | None, int | None]:
    """The first and last day (yyyymmdd) of a time filter; StoreError for a date that is not EDTF."""
    days: list[int | None] = []
    for edtf, side in ((since, 0), (until, 1)):
        if edtf is None:
            days.append(None)
            continue
        found = edtf_bounds(edtf)
        if found is None:
            raise StoreError(f"cannot read the EDTF date '{edtf}'")
        days.append(found[side])
    return days[0], days[1]


def _fact_filter(
    actor: Actor | None, other: Actor | None, type: str | None, first: int | None, last: int | None
) -> tuple[str, list[Any]]:
    """The WHERE clause (over ``facts``) and its parameters for the filters of :meth:`Store.facts`.

    Only placeholders take values: nothing read from a source is ever part of the SQL text.
    """
    where: list[str] = []
    params: list[Any] = []
    if actor is not None and other is not None:
        where.append("pair = ?")
        params.append(pair_key(actor, other))
    elif actor is not None:
        where.append("(actor = ? OR target = ?)")
        params += [actor_key(actor)] * 2
    if type is not None:
        where.append("type = ?")
        params.append(type)
    for day, clause in ((first, "t_hi IS NULL OR t_hi >= ?"), (last, "t_lo IS NULL OR t_lo <= ?")):
        if day is not None:
            where.append(f"(t_lo IS NOT NULL OR t_hi IS NOT NULL) AND ({clause})")
            params.append(day)
    return " AND ".join(where) or "true", params
