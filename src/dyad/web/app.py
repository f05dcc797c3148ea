"""The web app: :func:`create_app` puts the JSON API, the pages and (when allowed) ingest together.

Errors are translated once, here. The API answers every error with one JSON shape::

    {"error": {"status": 404, "code": "unknown_actor", "message": "unknown country …", "suggestions": [...]}}

and the pages with an HTML page saying the same. The codes:

    400 bad_request          a DyadError: a date that cannot be read, one country twice, too wide a query
    401 unauthorized         ingest without the right token
    403 ingest_disabled      ingest asked of a server started without --allow-ingest
    404 not_found            no such route or source
    404 unknown_actor        a country name that resolves to nothing (with suggestions)
    405 method_not_allowed   with an ``Allow`` header; any method, known to HTTP or not
    411 length_required      an upload without a declared length
    413 too_large            an upload over the limit
    422 invalid_parameter    a parameter out of range or of the wrong form (``detail`` lists them)
    422 bad_input            an uploaded article that cannot be read (the CLI's rules)
    500 internal_error       a bug; the message says no more
    503 store_unavailable    the knowledge base cannot be read or written just now (with Retry-After)
    503 store_busy           another process holds the knowledge base (with Retry-After)

Every page and GET endpoint answers HEAD as it answers GET, without the body.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, MutableMapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from dyad import __version__
from dyad.errors import DyadError, InputError, StoreBusy, StoreError, UnknownActorError
from dyad.settings import MAX_ARTICLE_BYTES
from dyad.web import api, ingest, pages, shapes
from dyad.web.extractor import Extractor
from dyad.web.pool import CACHE_BYTES, ReadPool

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
#: Key of the ASGI scope marking a HEAD request answered as GET.
HEAD_KEY = "dyad.head"
#: Seconds a client is told to wait (Retry-After) when the knowledge base is busy or cannot be read.
RETRY_SECONDS = 2


def create_app(
    db_path: str | os.PathLike[str],
    *,
    allow_ingest: bool = False,
    token: str | None = None,
    max_upload_bytes: int = MAX_ARTICLE_BYTES,
    gazetteer: Any = None,
    cache_bytes: int = CACHE_BYTES,
) -> FastAPI:
    """The dyad web app over the knowledge base at ``db_path``, read through read-only connections.

    With ``allow_ingest`` (which needs a ``token``) the app also takes articles over the web: an upload
    form at ``/ingest`` and ``POST /api/sources``, each article at most ``max_upload_bytes``; the file is
    created when missing. Without it the file must exist (:class:`~dyad.errors.StoreError` otherwise).
    ``gazetteer`` replaces the default one (tests and benchmarks); ``cache_bytes`` bounds the answers
    kept in memory (:class:`~dyad.web.cache.ByteCache`).
    """
    if allow_ingest and not token:
        raise DyadError("ingest over the web needs a token; give one with --token or DYAD_TOKEN")
    pool = ReadPool(Path(db_path), writable=allow_ingest, gazetteer=gazetteer, cache_bytes=cache_bytes)
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
    app.state.extractor = Extractor()
    app.state.ingest = ingest.Settings(allow_ingest, token, max_upload_bytes)
    app.include_router(api.router)
    app.include_router(ingest.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(packages=[("dyad.web", "static")]), name="static")
    _add_error_handlers(app)
    app.add_middleware(_Head)
    app.add_middleware(_SecurityHeaders)
    return app


def _closing(pool: ReadPool) -> Callable[[FastAPI], Any]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
        yield
        pool.close()

    return lifespan


# The ASGI interface, as the middlewares below see it.
_Scope = MutableMapping[str, Any]
_Receive = Callable[[], Awaitable[_Scope]]
_Send = Callable[[_Scope], Awaitable[None]]
_App = Callable[..., Awaitable[None]]


class _SecurityHeaders:
    """ASGI middleware adding :data:`SECURITY_HEADERS` to every response (plain ASGI: no per-request task)."""

    def __init__(self, app: _App) -> None:
        self.app = app

    async def __call__(
        self,
        scope: _Scope,
        receive: _Receive,
        send: _Send,
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: _Scope) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _Head:
    """ASGI middleware answering HEAD as GET without the body (the headers, Content-Length included).

    The routes are declared for GET only, so that the API's schema lists what it does; HEAD on a route
    without GET answers 405 as GET would.
    """

    def __init__(self, app: _App) -> None:
        self.app = app

    async def __call__(
        self,
        scope: _Scope,
        receive: _Receive,
        send: _Send,
    ) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_headers_only(message: _Scope) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                await send(message)
            elif message["type"] == "http.response.body" and not started and not message.get("more_body"):
                started = True
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await self.app({**scope, "method": "GET", HEAD_KEY: True}, receive, send_headers_only)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/")


def _error(
    request: Request,
    status: int,
    code: str,
    message: str,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> Response:
    if _wants_html(request):
        response: Response = pages.error_page(request, status, message, **extra)
    else:
        response = shapes.error_json(status, code, message, **extra)
    if status == 401:
        response.headers["www-authenticate"] = "Bearer"
    response.headers.update(headers or {})
    return response


#: Methods a route may have, tried one by one to find those a path allows.
_METHODS = ("DELETE", "GET", "PATCH", "POST", "PUT")


def _allowed(request: Request) -> list[str]:
    """The methods the request's path allows (a path may have several routes, one per method), with
    HEAD wherever GET is (see :class:`_Head`)."""
    found = [
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] == Match.FULL
            for route in request.app.router.routes
        )
    ]
    return sorted([*found, "HEAD"] if "GET" in found else found)


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

    retry = {"retry-after": str(RETRY_SECONDS)}

    @app.exception_handler(StoreBusy)
    async def store_busy(request: Request, e: StoreBusy) -> Response:
        log.warning("knowledge base busy: %s", e)
        message = "the knowledge base is busy (another process is writing it); try again in a moment"
        return _error(request, 503, "store_busy", message, retry)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, e: StoreError) -> Response:
        log.error("knowledge base error: %s", e)  # one line: the error says what failed, no traceback
        message = "the knowledge base cannot be used just now; the server log says why"
        return _error(request, 503, "store_unavailable", message, retry)

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
            method = "HEAD" if request.scope.get(HEAD_KEY) else request.method
            message = f"{method} is not allowed on {request.url.path}"
            return _error(request, 405, code, message, {"allow": ", ".join(_allowed(request))})
        return _error(request, e.status_code, code, message, e.headers)

    @app.exception_handler(ingest.ClientGone)
    async def gone(request: Request, e: ingest.ClientGone) -> Response:
        return Response(status_code=ingest.GONE)  # to no one: not an error of the server

    @app.exception_handler(Exception)
    async def internal(request: Request, e: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return _error(request, 500, "internal_error", "internal error; the server log has the details")
