"""Render what the knowledge base answers as text, JSON, CSV or Parquet: pure functions, str or bytes out.

Every line of text names the titles of its sources in brackets, and a line whose sources disagree with
others ends with ``(sources disagree: <titles> says <what>)``. Dates are printed as EDTF, at the precision
the sources give. JSON carries the facts in the facts.md shape, with their sources and evidence. The
export of facts (JSON Lines, CSV, Parquet; :data:`FACT_COLUMNS`) streams, in :mod:`dyad.export`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from dyad.export import FACT_COLUMNS
from dyad.ingest import IngestReport
from dyad.model import SourceRecord, actor_json, actor_key
from dyad.query import SECTIONS, Answer, Dispute, Entry, Head, Item, PairState, Timeline
from dyad.registry import TYPES
from dyad.store import PairCount

__all__ = [
    "FACT_COLUMNS",
    "LIST_FORMATS",
    "SHOW_FORMATS",
    "TIMELINE_FORMATS",
    "answer_words",
    "change_words",
    "describe",
    "head_what",
    "item_what",
    "no_facts",
    "ingest_summary",
    "pairs_json",
    "pairs_text",
    "show_json",
    "show_text",
    "sources_json",
    "sources_text",
    "timeline_csv",
    "timeline_json",
    "timeline_text",
]

ARROW = "→"
LIST_SEPARATOR = "; "  # joins list values (goods, scope, channels) in text and CSV cells

_RANKS = {"charge-d-affaires": "chargé d'affaires", "high-commissioner": "high commissioner"}
#: Section headings, from the registry ("Diplomatic missions", "Envoys" …).
TITLES = {t.section: t.plural[:1].upper() + t.plural[1:] for t in TYPES.values()}
# The answers of state.md print first; these types' sections are replaced by them.
_ANSWERED = ("relations", "missions", "envoys", "sanctions")


# -- describing one entry --


def _listed(value: Any) -> str:
    return ", ".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)


def describe(entry: Entry, names: Mapping[str, str]) -> str:
    """What an entry states, in a few words ("embassy in Damascus", "humanitarian aid through UN")."""
    a = entry.attrs
    t = entry.type
    if t == "relations":
        return str(a.get("status") or "relations")
    if t == "mission":
        kind = str(a.get("kind") or "mission")
        if a.get("accredited_from"):
            return f"{kind} accredited from {a['accredited_from']}"
        return f"{kind} in {a['city']}" if a.get("city") else kind
    if t == "envoy":
        rank = str(a.get("rank") or "envoy")
        words = " ".join(w for w in (_RANKS.get(rank, rank), a.get("person")) if w)
        return f"{words}, resident in {a['residence']}" if a.get("residence") else words
    if t == "trade":
        words = _listed(a["goods"]) if a.get("goods") else "trade"
        if a.get("value"):
            words += " worth " + " ".join(str(v) for v in (a["value"], a.get("currency")) if v)
        if a.get("trend"):
            words += f" ({a['trend']})" if a.get("goods") else f" {a['trend']}"
        return words
    if t == "sanctions":
        words = f"sanctions on {_listed(a['scope'])}" if a.get("scope") else "sanctions"
        return f"{words} via {a['via']}" if a.get("via") else words
    if t == "aid":
        words = f"{a['kind']} aid" if a.get("kind") else "aid"
        return f"{words} through {_listed(a['channels'])}" if a.get("channels") else words
    if t == "migration":
        words = str(a.get("kind") or "migration")
        return f"{words}, {a['count']}" if a.get("count") else words
    if t == "statement":
        return ": ".join(str(v) for v in (a.get("stance") or "statement", a.get("subject")) if v)
    if t == "agreement":
        return ": ".join(str(v) for v in (a.get("kind") or "agreement", a.get("name")) if v)
    if t == "visit":
        words = ", ".join(str(v) for v in (a.get("person"), a.get("office")) if v)
        return f"visit by {words}" if words else "visit"
    if t == "membership":
        return f"member of {names.get(actor_key(entry.target), actor_key(entry.target))}"
    if t == "meeting":
        words = str(a.get("kind") or "meeting")
        if a.get("persons"):
            words += f" between {_listed(a['persons'])}"
        return f"{words} in {a['place']}" if a.get("place") else words
    if t == "conflict":
        return str(a.get("kind") or "conflict")
    return str(a.get("kind") or TYPES[t].label)


def _who(entry: Entry, names: Mapping[str, str]) -> str:
    a = names.get(actor_key(entry.actor), actor_key(entry.actor))
    b = names.get(actor_key(entry.target), actor_key(entry.target))
    return f"{a} {ARROW} {b}"


def _span(start: str | None, end: str | None, date: str | None) -> str:
    """How long a claim holds, independent of any date: 'since 2011', 'ended 2012', '2020'."""
    if end:
        return f"from {start} to {end}" if start else f"start not stated, ended {end}"
    if start:
        return f"since {start}"
    return date or "time not stated"


def _when(entry: Entry) -> str:
    """The entry's time as show prints it for its status."""
    if entry.status == "event":
        return entry.date or "date not stated"
    if entry.status == "ended":
        return f"ended {entry.end}" + (f" (since {entry.start})" if entry.start else "")
    if entry.status == "undated":
        return "time not stated"
    if entry.status == "unknown":
        return f"start not stated; ends {entry.end}"
    return f"since {entry.start}" + (f", until {entry.end}" if entry.end else "")


def source_label(source: SourceRecord) -> str:
    """How a line names a source: its title; a news story as "news: <title> (<publisher>, <published>)
    <url>", so that what the news says stands apart from what articles say, with a link to the story."""
    if source.format != "news":
        return source.title
    about = ", ".join(x for x in (source.publisher, source.published) if x)
    return (
        f"news: {source.title}"
        + (f" ({about})" if about else "")
        + (f" <{source.url}>" if source.url else "")
    )


def _titles(sources: Sequence[SourceRecord]) -> str:
    return LIST_SEPARATOR.join(source_label(s) for s in sources)


def _named(sources: Sequence[SourceRecord], others: Sequence[SourceRecord]) -> str:
    """Source titles, with the path where another source of the same title must be told apart."""
    same = {s.title for s in others}
    return LIST_SEPARATOR.join(f"{s.title} ({s.path})" if s.title in same else s.title for s in sources)


def _disputes(entry: Entry) -> str:
    if not entry.disputes:
        return ""
    mine = entry.sources
    said = LIST_SEPARATOR.join(
        f"{_named(d.sources, mine)} says {_span(d.start, d.end, d.date)}" for d in entry.disputes
    )
    return f" (sources disagree: {said})"


def _line(entry: Entry, names: Mapping[str, str], when: str | None = None) -> str:
    what = describe(entry, names)
    if not TYPES[entry.type].is_symmetric(entry.attrs):
        what = f"{_who(entry, names)}: {what}"
    if when:
        what = f"{what}, {when}"
    return f"{what} [{_titles(entry.sources)}{_citing(entry)}]{_disputes(entry)}"


def citation_label(source: SourceRecord, ref: Mapping[str, Any]) -> str:
    """ "Wikipedia, citing Reuters 2012-03-02": who published the source and whom it cites, with when."""
    cited = ref.get("publisher") or ref.get("title") or ref.get("url") or "a reference"
    date = f" {ref['date']}" if ref.get("date") else ""
    return f"{source.publisher or source.title}, citing {cited}{date}"


def _citing(entry: Entry) -> str:
    """'; Wikipedia, citing Reuters 2012-03-02 <url>' for each reference the entry's evidence carries."""
    seen: dict[tuple[Any, ...], str] = {}
    for sf in entry.facts:
        for e in sf.fact.evidence:
            if e.ref:
                label = citation_label(sf.source, e.ref)
                url = e.ref.get("url")
                seen.setdefault((label, url), f"{label} <{url}>" if url else label)
    return "".join(f"; {text}" for text in seen.values())


# -- show --


def answer_words(answer: Answer, known: str) -> str:
    """'no — opening not stated; closed 2012', 'yes — established 1946-03-20'."""
    words = answer.value
    known = known if known != "no date stated" else ""
    reason = answer.reason if answer.reason and answer.reason not in known else ""
    detail = "; ".join(w for w in (known, reason) if w)
    if not detail and answer.value == "unknown":
        detail = "no date stated"
    return f"{words} — {detail}" if detail else words


def _cites(entries: Sequence[Entry]) -> str:
    """The sources of the entries an answer rests on, and what disagreeing sources say instead."""
    sources = {s.id: s for e in entries for s in e.sources}
    disputed = next((e for e in entries if e.disputes), None)
    refs = "".join(dict.fromkeys(_citing(e) for e in entries))
    cited = f" [{_titles(list(sources.values()))}{refs}]" if sources else ""
    return cited + (_disputes(disputed) if disputed is not None else "")


def _key_of(actor: Any) -> str:
    return "*" + str(actor.get("name")) if isinstance(actor, dict) else actor_key(actor)


def _nm(names: Mapping[str, str], actor: Any) -> str:
    """The display name of an actor given as a code, a Named, or facts.md JSON ({"name": …})."""
    if isinstance(actor, dict):
        return str(actor.get("name"))
    key = actor_key(actor)
    return names.get(key, key.lstrip("*"))


def item_what(item: Item, names: Mapping[str, str]) -> tuple[str, str]:
    """Who and what an answered item is about: ('Belgium → Syria', 'embassy in Damascus')."""
    f = item.fields
    sender = f.get("sender", f.get("actor"))
    receiver = f.get("receiver", f.get("target"))
    who = f"{_nm(names, sender)} {ARROW} {_nm(names, receiver)}"
    if "kind" in f:
        kind = str(f.get("kind") or "mission")
        return who, f"{kind} in {f['city']}" if f.get("city") else kind
    return who, f"sanctions via {f['via']}" if f.get("via") else "sanctions"


def head_what(head: Head, names: Mapping[str, str]) -> tuple[str, str]:
    """Who and what a head of mission is: ('Belgium → Syria', "chargé d'affaires M.R. Taymans")."""
    who = f"{_nm(names, head.sender)} {ARROW} {_nm(names, head.receiver)}"
    rank = _RANKS.get(head.rank or "", head.rank or "envoy")
    return who, " ".join(w for w in (rank, head.person) if w)


def _item_line(item: Item, names: Mapping[str, str]) -> str:
    who, what = item_what(item, names)
    return f"{who}: {what}: {answer_words(item.answer, item.known)}{_cites(item.answer.entries)}"


def _head_line(head: Head, names: Mapping[str, str]) -> str:
    who, what = head_what(head, names)
    return f"{who}: {what}: {answer_words(head.answer, head.known)}{_cites(head.answer.entries)}"


def show_text(state: PairState) -> str:
    """The state of a pair: the answers of state.md (relations, missions, heads of mission, sanctions:
    yes, no or unknown, with what the sources date), then the other facts in force, then what the
    sources state as planned, negated or claimed; every line names its sources."""
    names = state.names
    a, b = names.get(state.a, state.a), names.get(state.b, state.b)
    answers = state.answers
    lines = [f"{a} – {b} on {state.at}"]
    lines.append(
        f"Diplomatic relations: {answer_words(answers.relations, answers.relations_known)}"
        f"{_cites(answers.relations.entries)}"
    )
    lines.append("Diplomatic missions")
    for x, y in ((state.a, state.b), (state.b, state.a)):
        own = [m for m in answers.missions if _key_of(m.fields["sender"]) == x]
        lines += [f"  {_item_line(m, names)}" for m in own]
        if not own:
            lines.append(f"  {names.get(x, x)} {ARROW} {names.get(y, y)}: none known")
    lines.append("Heads of mission")
    for x, y in ((state.a, state.b), (state.b, state.a)):
        own_heads = [h for h in answers.heads if actor_key(h.sender) == x]
        lines += [f"  {_head_line(h, names)}" for h in own_heads]
        if not own_heads:
            lines.append(f"  {names.get(x, x)} {ARROW} {names.get(y, y)}: none known")
    if answers.sanctions:
        lines.append("Sanctions")
        lines += [f"  {_item_line(s, names)}" for s in answers.sanctions]
    for section, _ in SECTIONS:
        entries = state.sections.get(section, ())
        if section in _ANSWERED or not entries:
            continue
        lines.append(TITLES[section])
        lines += [f"  {_line(entry, names, _when(entry))}" for entry in entries]
    if state.apart:
        lines.append("Stated, not as fact (planned, negated or claimed; these change nothing)")
        for e in state.apart:
            lines.append(f"  {e.polarity}: {e.type} {_line(e, names, _span(e.start, e.end, e.date))}")
    if state.empty:
        lines.append(no_facts(a, b, state.read))
    return "\n".join(lines) + "\n"


def no_facts(a: str, b: str, read: Sequence[SourceRecord]) -> str:
    """What to say of a pair (display names) with no facts: which sources about it were read, if any."""
    if read:
        said = LIST_SEPARATOR.join(f"{s.title} ({s.path})" for s in read)
        return f"No facts about {a} and {b} in the sources read about them: {said}."
    return f"No facts about {a} and {b}; 'dyad pairs' lists the pairs the knowledge base holds."


def _source_json(s: SourceRecord) -> dict[str, Any]:
    d: dict[str, Any] = {"id": s.id, "path": s.path, "title": s.title, "published": s.published}
    if s.format == "news":  # a story: say so, and where to read it
        d.update(format="news", url=s.url, publisher=s.publisher)
    return d


def entry_dict(entry: Entry, names: Mapping[str, str]) -> dict[str, Any]:
    """One entry of a state or timeline as plain data, with its facts, sources and disagreements."""
    d: dict[str, Any] = {
        "type": entry.type,
        "actor": actor_json(entry.actor),
        "target": actor_json(entry.target),
        "attrs": dict(entry.attrs),
        "start": entry.start,
        "end": entry.end,
        "date": entry.date,
        "description": describe(entry, names),
    }
    d["polarity"] = entry.polarity
    if entry.status is not None:
        d["status"] = entry.status
    d["sources"] = [_source_json(s) for s in entry.sources]
    d["disagreement"] = [_dispute_json(x) for x in entry.disputes]
    d["facts"] = [sf.to_json() for sf in entry.facts]
    return d


def _dispute_json(d: Dispute) -> dict[str, Any]:
    return {"start": d.start, "end": d.end, "date": d.date, "sources": [_source_json(s) for s in d.sources]}


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


def state_dict(state: PairState) -> dict[str, Any]:
    """The state of a pair as plain data (the shape of ``show --format json`` and the pair API)."""
    return {
        "a": state.a,
        "b": state.b,
        "at": state.at,
        "names": dict(state.names),
        "answers": state.answers.to_json(),
        "sections": {
            section: [entry_dict(e, state.names) for e in state.sections.get(section, ())]
            for section, _ in SECTIONS
        },
        "apart": [entry_dict(e, state.names) for e in state.apart],
        "read": [_source_json(s) for s in state.read],
    }


def show_json(state: PairState) -> str:
    """The state of a pair as one JSON object; each entry carries its facts with sources and evidence."""
    return _dumps(state_dict(state))


# -- timeline --


def change_words(entry: Entry, verb: str, names: Mapping[str, str]) -> str:
    """What changed, in words: 'relations severed', 'Belgium → Syria: embassy in Damascus closed'."""
    t = TYPES[entry.type]
    if entry.type == "relations":
        what = f"relations {verb}"
    elif t.default_slot == "date":
        what = f"{t.label} {describe(entry, names)}" if entry.type != "visit" else describe(entry, names)
    else:
        what = f"{describe(entry, names)} {verb}".rstrip()
    if not t.is_symmetric(entry.attrs):
        what = f"{_who(entry, names)}: {what}"
    return what + (f" ({entry.polarity})" if entry.polarity != "asserted" else "")


def timeline_text(timeline: Timeline) -> str:
    """One line per event, ``<date>  <what changed> [sources]``; undated entries after."""
    names = timeline.names
    lines = [
        f"{ev.when:<10}  {change_words(ev.entry, ev.verb, names)} [{_titles(ev.entry.sources)}]"
        + _disputes(ev.entry)
        for ev in timeline.events
    ]
    if timeline.undated:
        if lines:
            lines.append("")
        lines.append("Undated")
        lines += [f"  {e.type} {_line(e, names)}" for e in timeline.undated]
    if not lines:
        a, b = names.get(timeline.a, timeline.a), names.get(timeline.b, timeline.b)
        lines.append(no_facts(a, b, timeline.read))
    return "\n".join(lines) + "\n"


def timeline_dict(timeline: Timeline) -> dict[str, Any]:
    """The timeline as plain data: ``events`` in time order, ``undated`` entries apart."""
    names = timeline.names
    return {
        "a": timeline.a,
        "b": timeline.b,
        "names": dict(names),
        "events": [
            {"when": ev.when, "event": ev.kind, "change": ev.verb, **entry_dict(ev.entry, names)}
            for ev in timeline.events
        ],
        "undated": [entry_dict(e, names) for e in timeline.undated],
        "read": [_source_json(s) for s in timeline.read],
    }


def timeline_json(timeline: Timeline) -> str:
    """The timeline as one JSON object: ``events`` in time order, ``undated`` entries apart."""
    return _dumps(timeline_dict(timeline))


TIMELINE_COLUMNS = (
    "when", "event", "change", "type", "actor", "target", "description", "polarity", "start", "end", "date",
    "sources", "paths", "disagreement",
)  # fmt: skip


def timeline_csv(timeline: Timeline) -> str:
    """One CSV row per event (undated entries last, event ``undated``), with what changed (``change``) and
    the polarity; sources as titles and paths."""
    names = timeline.names
    rows = [(ev.when, ev.kind, ev.verb, ev.entry) for ev in timeline.events]
    rows += [("", "undated", "", e) for e in timeline.undated]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(TIMELINE_COLUMNS)
    for when, kind, verb_, e in rows:
        writer.writerow(
            [
                when,
                kind,
                verb_,
                e.type,
                actor_key(e.actor),
                actor_key(e.target),
                describe(e, names),
                e.polarity,
                e.start or "",
                e.end or "",
                e.date or "",
                _titles(e.sources),
                LIST_SEPARATOR.join(s.path for s in e.sources),
                _disputes(e).removeprefix(" (sources disagree: ").removesuffix(")"),
            ]
        )
    return out.getvalue()


# -- what the knowledge base holds --


def pairs_text(pairs: Sequence[PairCount], names: Mapping[str, str]) -> str:
    """A table of pairs: the two codes, fact and source counts, and the names."""
    rows = [("a", "b", "facts", "sources", "names")]
    for p in pairs:
        a, b = actor_key(p.a), actor_key(p.b)
        rows.append((a, b, str(p.facts), str(p.sources), f"{names.get(a, a)} – {names.get(b, b)}"))
    return _table(rows, right=(2, 3))


def pairs_json(pairs: Sequence[PairCount], names: Mapping[str, str]) -> str:
    return _dumps(
        [
            {
                "a": actor_json(p.a),
                "b": actor_json(p.b),
                "names": [names.get(actor_key(x), actor_key(x)) for x in (p.a, p.b)],
                "facts": p.facts,
                "sources": p.sources,
            }
            for p in pairs
        ]
    )


def sources_text(sources: Sequence[SourceRecord]) -> str:
    """A table of sources: id (for ``dyad sources --show ID``), fact count, ingest time, title and every
    path it was read from."""
    rows = [("id", "facts", "ingested", "title", "paths")]
    for s in sources:
        paths = LIST_SEPARATOR.join(s.paths or (s.path,))
        rows.append(
            (str(s.id), str(s.facts), s.ingested_at.isoformat(sep=" ", timespec="minutes"), s.title, paths)
        )
    return _table(rows, right=(0, 1))


def removed_line(source: SourceRecord, facts: int) -> str:
    """What ``remove`` did: 'removed source 3, Belgium–Syria relations (/a/b.txt): 17 facts'."""
    paths = LIST_SEPARATOR.join(source.paths or (source.path,))
    return f"removed source {source.id}, {source.title} ({paths}): {facts} facts\n"


def sources_json(sources: Sequence[SourceRecord]) -> str:
    return _dumps([{"id": s.id, **s.to_json()} for s in sources])


def _table(rows: Sequence[Sequence[str]], *, right: Sequence[int] = ()) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def ingest_summary(report: IngestReport, db: str) -> str:
    """One line: how many sources were added, replaced, unchanged and failed, and the facts written."""
    counts = ", ".join(f"{report.count(s)} {s}" for s in ("added", "replaced", "unchanged"))
    scans = "".join(
        f"{scan.path}: {scan.pages:,} pages seen, {scan.kept:,} kept"
        + (" (resumed)" if scan.resumed and not scan.already else "")
        + (" (read to the end before; nothing to do)" if scan.already else "")
        + ("" if scan.done else "; stopped before the end, run again to resume")
        + "\n"
        for scan in report.scans
    )
    return f"{scans}{counts}, {len(report.errors)} failed; {report.facts} facts written to {db}\n"


SHOW_FORMATS: Mapping[str, Callable[[PairState], str]] = {"text": show_text, "json": show_json}
TIMELINE_FORMATS: Mapping[str, Callable[[Timeline], str]] = {
    "text": timeline_text,
    "json": timeline_json,
    "csv": timeline_csv,
}
LIST_FORMATS = ("text", "json")
