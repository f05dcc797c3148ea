"""The ``dyad serve`` command: the web app (:func:`dyad.web.create_app`) on uvicorn.

:func:`register` adds it to the ``dyad`` group. Like the other commands it takes ``--db PATH`` (or
``$DYAD_DB``); a :class:`~dyad.errors.DyadError` becomes ``Error: <message>`` and exit status 1.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import click

from dyad.cli_kb import _db_option, _errors
from dyad.errors import DyadError
from dyad.kb import default_path

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "TOKEN_ENV", "register", "serve"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: Environment variable holding the ingest token.
TOKEN_ENV = "DYAD_TOKEN"


@click.command()
@_db_option
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to listen on.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(0, 65535), help="Port.")
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
    help="Server processes (read-only only).",
)
@_errors
def serve(db: Path | None, host: str, port: int, allow_ingest: bool, token: str | None, workers: int) -> None:
    """Serve the knowledge base: pages for people and a JSON API (docs at /api/docs).

    Queries run on read-only connections. Ingest over the web is off unless --allow-ingest is given.
    """
    import uvicorn

    from dyad.web import create_app

    path = db or default_path()
    if allow_ingest and workers > 1:
        raise DyadError(
            "--allow-ingest needs one worker (--workers 1): one process may write the knowledge base"
        )
    if allow_ingest and not token:
        token = secrets.token_urlsafe(24)
        click.echo(f"Ingest token: {token}", err=True)
    if workers > 1:
        create_app(path).state.pool.close()  # report a bad file here, once, before the workers start
        import os

        os.environ["DYAD_SERVE_DB"] = str(path)
        uvicorn.run(
            "dyad.cli_web:_app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
        )
        return
    app = create_app(path, allow_ingest=allow_ingest, token=token)
    click.echo(f"dyad: serving {path} on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _app_from_env():  # type: ignore[no-untyped-def]
    """The app of a worker process (``--workers`` > 1), over the file the parent checked."""
    import os

    from dyad.web import create_app

    return create_app(os.environ["DYAD_SERVE_DB"])


def register(group: click.Group) -> None:
    """Add ``serve`` to ``group``."""
    group.add_command(serve)
