"""dyad on the web: a JSON API and pages over a knowledge base, served by ``dyad serve``.

    >>> from dyad.web import create_app
    >>> app = create_app("dyad.duckdb")          # a FastAPI app; run it with uvicorn

Modules: :mod:`~dyad.web.app` (the app factory and the one error shape), :mod:`~dyad.web.api` (the JSON
API under /api), :mod:`~dyad.web.pages` (the HTML pages), :mod:`~dyad.web.ingest` (uploads, off by
default), :mod:`~dyad.web.views` (what both show), :mod:`~dyad.web.pool` (read-only connections per
thread), :mod:`~dyad.web.worldmap` (the country page's map), :mod:`~dyad.web.render` (the pair page's
pictures from :mod:`dyad.render`, when present).
"""

from __future__ import annotations

from dyad.web.app import create_app

__all__ = ["create_app"]
