"""The JSON the API answers with: compact encoding, and the shapes of the CLI's JSON as dicts.

A pair's state and timeline have the shapes of ``dyad show --format json`` and ``dyad timeline --format
json`` (:mod:`dyad.report`); they are built here as dicts so that the API can encode them compactly
with the C encoder (``report`` indents, which makes ``json`` fall back to pure Python). The tests hold
the two equal.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from fastapi.responses import Response

from dyad import report
from dyad.kb import SECTIONS, Entry, PairState, Timeline
from dyad.model import actor_json
from dyad.store import SourceRecord, StoredFact

__all__ = ["JSON", "entry_json", "error_json", "fact_json", "page", "state_json", "timeline_json"]


class JSON(Response):
    """Compact JSON through the C encoder (``json.dumps`` with an indent falls back to pure Python)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return _ENCODE(content).encode("utf-8")


_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _source_ref(s: SourceRecord) -> dict[str, str]:
    return {"path": s.path, "title": s.title}


def entry_json(entry: Entry, names: Mapping[str, str]) -> dict[str, Any]:
    d: dict[str, Any] = {
        "type": entry.type,
        "actor": actor_json(entry.actor),
        "target": actor_json(entry.target),
        "attrs": dict(entry.attrs),
        "start": entry.start,
        "end": entry.end,
        "date": entry.date,
        "description": report.describe(entry, names),
    }
    if entry.status is not None:
        d["status"] = entry.status
    d["sources"] = [_source_ref(s) for s in entry.sources]
    d["disagreement"] = [
        {"start": x.start, "end": x.end, "date": x.date, "sources": [_source_ref(s) for s in x.sources]}
        for x in entry.disputes
    ]
    d["facts"] = [sf.to_json() for sf in entry.facts]
    return d


def state_json(state: PairState) -> Response:
    """The state of a pair in the shape of ``dyad show --format json``."""
    return {
        "a": state.a,
        "b": state.b,
        "at": state.at,
        "names": dict(state.names),
        "sections": {
            section: [entry_json(e, state.names) for e in state.sections.get(section, ())]
            for section, _ in SECTIONS
        },
    }


def timeline_json(timeline: Timeline) -> Response:
    """A pair's timeline in the shape of ``dyad timeline --format json``."""
    names = timeline.names
    return {
        "a": timeline.a,
        "b": timeline.b,
        "names": dict(names),
        "events": [
            {"when": ev.when, "event": ev.kind, **entry_json(ev.entry, names)} for ev in timeline.events
        ],
        "undated": [entry_json(e, names) for e in timeline.undated],
    }


def page(items: list[Any], total: int, limit: int, offset: int) -> dict[str, Any]:
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def fact_json(sf: StoredFact) -> Response:
    """A stored fact as the API gives it: its id, the facts.md fact, and its source (id, path, title)."""
    return {
        "id": sf.id,
        **sf.fact.to_json(),
        "source": {"id": sf.source.id, "path": sf.source.path, "title": sf.source.title},
    }


def error_json(status: int, code: str, message: str, **extra: Any) -> JSON:
    """The one shape of every error the API returns."""
    return JSON({"error": {"status": status, "code": code, "message": message, **extra}}, status)
