"""The web app: :func:`create_app` puts the JSON API, the pages and (when allowed) ingest together.

Errors are translated once, here. The API answers every error with one JSON shape::

    {"error": {"status": 404, "code": "unknown_actor", "message": "unknown country …", "suggestions": [...]}}

and the pages with an HTML page saying the same. The codes:

    400 bad_request          a DyadError: a date that cannot be read, one country twice, too wide a query
    401 unauthorized         ingest without the right token
    403 ingest_disabled      ingest asked of a server started without --allow-ingest
    404 not_found            no such route or source
    404 unknown_actor        a country name that resolves to nothing (with suggestions)
    405 method_not_allowed
    413 too_large            an upload over the limit
    422 invalid_parameter    a parameter out of range or of the wrong form (``detail`` lists them)
    422 bad_input            an uploaded article that cannot be read (the CLI's rules)
    500 internal_error       a bug; the message says no more
    503 store_unavailable    the knowledge base cannot be read
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from dyad import __version__
from dyad.errors import DyadError, InputError, StoreError, UnknownActorError
from dyad.settings import MAX_ARTICLE_BYTES
from dyad.web import api, ingest, pages, shapes
from dyad.web.pool import ReadPool

__all__ = ["SECURITY_HEADERS", "WORKER_THREADS", "create_app"]

log = logging.getLogger("dyad.web")

#: Headers sent with every response. Scripts and styles come from the app only; inline style attributes
#: are allowed for the SVG maps and charts, inline scripts never.
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        b"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
)

#: Threads that run the requests answered off the event loop (pages, lists). Their work is Python under
#: the GIL but for DuckDB, shapely and pyproj, which let go of it: a few threads overlap those, while
#: forty (anyio's default) make every request wait on all the others: under 50 clients on two workers,
#: pair pages at p99 1.4 s and 48/s with 4 threads, 2.6 s and 41/s with 40 (bench/serve.py).
WORKER_THREADS = 4

_HTTP_CODES = {
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
}


def create_app(
    db_path: str | os.PathLike[str],
    *,
    allow_ingest: bool = False,
    token: str | None = None,
    max_upload_bytes: int = MAX_ARTICLE_BYTES,
    gazetteer: Any = None,
) -> FastAPI:
    """The dyad web app over the knowledge base at ``db_path``, read through read-only connections.

    With ``allow_ingest`` (which needs a ``token``) the app also takes articles over the web: an upload
    form at ``/ingest`` and ``POST /api/sources``, each article at most ``max_upload_bytes``; the file is
    created when missing. Without it the file must exist (:class:`~dyad.errors.StoreError` otherwise).
    ``gazetteer`` replaces the default one (tests and benchmarks).
    """
    if allow_ingest and not token:
        raise DyadError("ingest over the web needs a token; give one with --token or DYAD_TOKEN")
    pool = ReadPool(Path(db_path), writable=allow_ingest, gazetteer=gazetteer)
    app = FastAPI(
        title="dyad",
        version=__version__,
        description="Cited, time-aware facts about pairs of countries. The names are those of facts.md.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=_closing(pool),
    )
    app.state.pool = pool
    app.state.ingest = ingest.Settings(allow_ingest, token, max_upload_bytes)
    app.include_router(api.router)
    app.include_router(ingest.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(packages=[("dyad.web", "static")]), name="static")
    _add_error_handlers(app)
    app.add_middleware(_SecurityHeaders)
    return app


def _closing(pool: ReadPool) -> Callable[[FastAPI], Any]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
        yield
        pool.close()

    return lifespan


class _SecurityHeaders:
    """ASGI middleware adding :data:`SECURITY_HEADERS` to every response (plain ASGI: no per-request task)."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[MutableMapping[str, Any]]],
        send: Callable[[MutableMapping[str, Any]], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/")


def _error(request: Request, status: int, code: str, message: str, **extra: Any) -> Response:
    if _wants_html(request):
        return pages.error_page(request, status, message, **extra)
    response = shapes.error_json(status, code, message, **extra)
    if status == 401:
        response.headers["www-authenticate"] = "Bearer"
    return response


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(UnknownActorError)
    async def unknown_actor(request: Request, e: UnknownActorError) -> Response:
        return _error(request, 404, "unknown_actor", str(e), suggestions=e.suggestions)

    @app.exception_handler(api.NotFound)
    async def not_found(request: Request, e: api.NotFound) -> Response:
        return _error(request, 404, "not_found", str(e))

    @app.exception_handler(ingest.Refused)
    async def refused(request: Request, e: ingest.Refused) -> Response:
        return _error(request, e.status, e.code, str(e))

    @app.exception_handler(InputError)
    async def bad_input(request: Request, e: InputError) -> Response:
        return _error(request, 422, "bad_input", str(e))

    @app.exception_handler(StoreError)
    async def store_error(request: Request, e: StoreError) -> Response:
        log.error("knowledge base error: %s", e)
        return _error(request, 503, "store_unavailable", "the knowledge base cannot be read just now")

    @app.exception_handler(DyadError)
    async def dyad_error(request: Request, e: DyadError) -> Response:
        return _error(request, 400, "bad_request", str(e))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, e: RequestValidationError) -> Response:
        detail = [
            {
                "field": ".".join(str(p) for p in err.get("loc", ())[1:]) or "request",
                "problem": err.get("msg", ""),
            }
            for err in e.errors()
        ]
        message = "; ".join(f"{d['field']}: {d['problem']}" for d in detail)
        return _error(request, 422, "invalid_parameter", message, detail=detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, e: StarletteHTTPException) -> Response:
        code = _HTTP_CODES.get(e.status_code, "error")
        message = e.detail if isinstance(e.detail, str) else code.replace("_", " ")
        if e.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        elif e.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        return _error(request, e.status_code, code, message)

    @app.exception_handler(Exception)
    async def internal(request: Request, e: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return _error(request, 500, "internal_error", "internal error; the server log has the details")
