"""The ``dyad serve`` command: the web app on uvicorn, as :func:`dyad.web.serve.run` serves it.

Like the other commands it takes ``--db PATH`` (or ``$DYAD_DB``). Everything that can fail at start is
checked before it says it is serving: the knowledge base opens, and the address is bound (a port in use
is one line ``Error: …``, exit status 1).
"""

from __future__ import annotations

import secrets
from pathlib import Path

import click

from dyad.cli.common import db_option
from dyad.kb import default_path

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "TOKEN_ENV", "serve"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: Environment variable holding the ingest token.
TOKEN_ENV = "DYAD_TOKEN"


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
    help="Server processes (ingest works with any number).",
)
def serve(db: Path | None, host: str, port: int, allow_ingest: bool, token: str | None, workers: int) -> None:
    """Serve the knowledge base: pages for people and a JSON API (docs at /api/docs).

    Queries run on read-only connections. Ingest over the web is off unless --allow-ingest is given.
    """
    from dyad.web.serve import run

    path = db or default_path()
    if allow_ingest and not token:
        token = secrets.token_urlsafe(24)
        click.echo(f"Ingest token: {token}", err=True)

    def ready(url: str) -> None:
        click.echo(f"dyad: serving {path} on {url} (Ctrl-C stops)", err=True)

    run(path, host=host, port=port, workers=workers, allow_ingest=allow_ingest, token=token, ready=ready)
