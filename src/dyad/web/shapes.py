"""The JSON the API answers with: compact encoding, and the shapes of the CLI's JSON as dicts.

A pair's state and timeline have the shapes of ``dyad show --format json`` and ``dyad timeline --format
json`` (:mod:`dyad.report`); they are built here as dicts so that the API can encode them compactly
with the C encoder (``report`` indents, which makes ``json`` fall back to pure Python). The tests hold
the two equal.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi.responses import Response

from dyad import report
from dyad.kb import PairState, Timeline
from dyad.store import StoredFact

__all__ = ["JSON", "entry_json", "error_json", "fact_json", "page", "state_json", "timeline_json"]


class JSON(Response):
    """Compact JSON through the C encoder (``json.dumps`` with an indent falls back to pure Python)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return _ENCODE(content).encode("utf-8")


_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


entry_json = report.entry_dict


def state_json(state: PairState) -> dict[str, Any]:
    """The state of a pair in the shape of ``dyad show --format json``."""
    return report.state_dict(state)


def timeline_json(timeline: Timeline) -> dict[str, Any]:
    """A pair's timeline in the shape of ``dyad timeline --format json``."""
    return report.timeline_dict(timeline)


def page(items: list[Any], total: int, limit: int, offset: int) -> dict[str, Any]:
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def fact_json(sf: StoredFact) -> dict[str, Any]:
    """A stored fact as the API gives it: its id, the facts.md fact, and its source (id, path, title)."""
    return {
        "id": sf.id,
        **sf.fact.to_json(),
        "source": {
            "id": sf.source.id,
            "path": sf.source.path,
            "title": sf.source.title,
            "url": sf.source.url,
            "published": sf.source.published,
            "publisher": sf.source.publisher,
        },
    }


def error_json(status: int, code: str, message: str, **extra: Any) -> JSON:
    """The one shape of every error the API returns."""
    return JSON({"error": {"status": status, "code": code, "message": message, **extra}}, status)
