"""Running the web app on uvicorn, in one process or several: what ``dyad serve`` does.

:func:`run` serves the knowledge base at a path until interrupted. With ``workers`` above one, uvicorn
starts that many processes, each building its app with :func:`worker_app` from the settings
:func:`run` leaves in the environment; ingest works with any number of them, since a write never
needs the readers of the other processes to stop (:mod:`dyad.web.pool`).
"""

from __future__ import annotations

import errno
import gc
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from dyad.errors import DyadError

__all__ = ["HTTP", "LOOP", "listen", "run", "worker_app"]

#: The event loop uvicorn runs. Not uvloop, which uvicorn picks when it is installed: saturated by 50
#: keep-alive clients (wrk; one worker, 2.4 ms a request), uvloop left some of them waiting for seconds
#: (p99 1.1 s, and timeouts) where asyncio's own loop served them in turn (p99 136 ms), at the same
#: 3,900 requests/s.
LOOP = "asyncio"
#: HTTP parser. h11, not httptools: httptools answers a method it does not know (``BREW /``) itself,
#: in plain text, where h11 lets the app answer it in the API's JSON error shape.
HTTP = "h11"
# How the parent tells worker processes (workers > 1) what to serve.
_DB_ENV = "DYAD_SERVE_DB"
_INGEST_ENV = "DYAD_SERVE_INGEST"
_TOKEN_ENV = "DYAD_SERVE_TOKEN"


def run(
    path: str | os.PathLike[str],
    *,
    host: str,
    port: int,
    workers: int = 1,
    allow_ingest: bool = False,
    token: str | None = None,
    ready: Callable[[str], None] | None = None,
    **app_options: Any,
) -> None:
    """Serve the knowledge base at ``path`` on ``host``:``port`` until interrupted.

    The app is built (and the file checked) first, then the address is bound: a bad file or a port in
    use raise :class:`~dyad.errors.DyadError` before anything is served. ``ready(url)`` is called then
    (with the port bound, when ``port`` is 0), for the caller to say where it serves. ``app_options``
    go to :func:`dyad.web.create_app` (in one process only).
    """
    import uvicorn

    from dyad.web import create_app

    app = create_app(path, allow_ingest=allow_ingest, token=token, **app_options)
    try:
        sock = listen(host, port)
    except BaseException:
        app.state.pool.close()
        raise
    port = sock.getsockname()[1]
    if ready is not None:
        ready(f"http://{host}:{port}/")
    if workers == 1:
        settle()
        config = uvicorn.Config(app, log_level="warning", loop=LOOP, http=HTTP)
        uvicorn.Server(config).run(sockets=[sock])
        return
    app.state.pool.close()
    sock.close()  # uvicorn's supervisor binds the address again (with SO_REUSEADDR, as here)
    os.environ[_DB_ENV] = str(Path(path))
    os.environ[_INGEST_ENV] = "1" if allow_ingest else ""
    os.environ[_TOKEN_ENV] = token or ""
    uvicorn.run(
        f"{__name__}:worker_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        loop=LOOP,
        http=HTTP,
    )


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` as uvicorn binds one; DyadError in one line when it cannot be
    (a port in use, an address not of this machine)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        in_use = e.errno == errno.EADDRINUSE
        reason = "the port is in use; choose another --port" if in_use else (e.strerror or str(e))
        raise DyadError(f"{host}:{port}: cannot serve there ({reason})") from None
    except (TypeError, ValueError) as e:  # socket.gaierror is an OSError; these are malformed addresses
        sock.close()
        raise DyadError(f"{host}:{port}: cannot serve there ({e})") from None
    sock.set_inheritable(True)
    return sock


def worker_app() -> FastAPI:
    """The app of one worker process when :func:`run` starts several."""
    from dyad.web import create_app

    allow = bool(os.environ.get(_INGEST_ENV))
    app = create_app(os.environ[_DB_ENV], allow_ingest=allow, token=os.environ.get(_TOKEN_ENV) or None)
    settle()
    return app


def settle() -> None:
    """Take what start-up built (the gazetteer above all) out of the garbage collector's sight.

    A request allocates thousands of short-lived objects, so the collector walks its oldest generation
    every second or so, stopping every request in flight meanwhile; with the start-up objects in it a
    walk took up to 50 ms, and the API's p99 was 124 ms instead of 84 ms (bench/serve.py's load).
    """
    gc.collect()
    gc.freeze()
