"""The ``dyad serve`` command: the web app (:func:`dyad.web.create_app`) on uvicorn.

Like the other commands it takes ``--db PATH`` (or ``$DYAD_DB``). Everything that can fail at start is
checked before it says it is serving: the knowledge base opens, and the address is bound (a port in use
is one line ``Error: …``, exit status 1).
"""

from __future__ import annotations

import errno
import gc
import os
import secrets
import socket
from pathlib import Path

import click
from fastapi import FastAPI

from dyad.cli.common import db_option
from dyad.errors import DyadError
from dyad.kb import default_path

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "TOKEN_ENV", "listen", "serve"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: Environment variable holding the ingest token.
TOKEN_ENV = "DYAD_TOKEN"
#: The event loop uvicorn runs. Not uvloop, which uvicorn picks when it is installed: saturated by 50
#: keep-alive clients (wrk; one worker, 2.4 ms a request), uvloop left some of them waiting for seconds
#: (p99 1.1 s, and timeouts) where asyncio's own loop served them in turn (p99 136 ms), at the same
#: 3,900 requests/s.
LOOP = "asyncio"
# How the parent tells worker processes (--workers > 1) which file to serve.
_WORKER_DB_ENV = "DYAD_SERVE_DB"


@click.command()
@db_option
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=DEFAULT_PORT,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on.",
)
@click.option(
    "--allow-ingest",
    is_flag=True,
    help="Take articles over the web (an upload form and POST /api/sources), with a token.",
)
@click.option(
    "--token",
    envvar=TOKEN_ENV,
    show_envvar=True,
    help="Token that ingest over the web asks for [default: a random one, printed at start].",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes; more than one only without --allow-ingest.",
)
def serve(db: Path | None, host: str, port: int, allow_ingest: bool, token: str | None, workers: int) -> None:
    """Serve the knowledge base: pages for people and a JSON API (docs at /api/docs).

    Queries run on read-only connections. Ingest over the web is off unless --allow-ingest is given.
    """
    import uvicorn

    from dyad.web import create_app

    path = db or default_path()
    if allow_ingest and workers > 1:
        raise DyadError("--allow-ingest needs --workers 1: only one process may write the knowledge base")
    if allow_ingest and not token:
        token = secrets.token_urlsafe(24)
        click.echo(f"Ingest token: {token}", err=True)
    app = create_app(path, allow_ingest=allow_ingest, token=token)  # reports a bad file before serving
    try:
        sock = listen(host, port)  # reports a port in use before serving
    except DyadError:
        app.state.pool.close()
        raise
    port = sock.getsockname()[1]
    click.echo(f"dyad: serving {path} on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    if workers == 1:
        _settle()
        config = uvicorn.Config(app, log_level="warning", loop=LOOP)
        uvicorn.Server(config).run(sockets=[sock])
        return
    app.state.pool.close()
    sock.close()  # the workers' supervisor binds the address again (with SO_REUSEADDR, as here)
    os.environ[_WORKER_DB_ENV] = str(path)
    uvicorn.run(
        f"{__name__}:worker_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        loop=LOOP,
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
    """The app of one worker process when ``--workers`` is more than one (read-only)."""
    from dyad.web import create_app

    app = create_app(os.environ[_WORKER_DB_ENV])
    _settle()
    return app


def _settle() -> None:
    """Take what start-up built (the gazetteer above all) out of the garbage collector's sight.

    A request allocates thousands of short-lived objects, so the collector walks its oldest generation
    every second or so, stopping every request in flight meanwhile; with the start-up objects in it a
    walk took up to 50 ms, and the API's p99 was 124 ms instead of 84 ms (bench/serve.py's load).
    """
    gc.collect()
    gc.freeze()
