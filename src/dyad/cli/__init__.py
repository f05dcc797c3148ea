"""The ``dyad`` command: one click group, each command a thin call of the library.

Errors have one boundary, :class:`DyadGroup`: a :class:`~dyad.errors.DyadError` raised by any command
becomes a :class:`click.ClickException`, which click prints as one line ``Error: <message>`` on stderr
with exit status 1. Nothing else is caught, so a bug still shows its traceback. Commands that read many
inputs print one such line per input that fails (:func:`dyad.cli.common.fail`) and exit 1 at the end;
usage errors exit 2 (click's own); an interrupted ingest exits 130.

The commands live by subject: :mod:`~dyad.cli.read` (extract), :mod:`~dyad.cli.kb` (ingest, show,
timeline, facts, pairs, sources, remove), :mod:`~dyad.cli.profile` (profile, chart, pulse),
:mod:`~dyad.cli.render` (map) and :mod:`~dyad.cli.web` (serve).
"""

from __future__ import annotations

from typing import Any

import click

from dyad import __version__
from dyad.cli import kb, profile, read, render, web
from dyad.cli.common import one_line
from dyad.errors import DyadError

__all__ = ["DyadGroup", "main"]


class DyadGroup(click.Group):
    """The group of dyad's commands, and the one place a library error becomes a CLI error."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DyadError as e:
            raise click.ClickException(one_line(str(e))) from None


@click.group(cls=DyadGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dyad")
def main() -> None:
    """dyad: cited, time-aware facts about pairs of countries."""


for command in (
    read.extract,
    kb.ingest,
    kb.show,
    kb.timeline,
    kb.facts,
    kb.pairs,
    kb.sources,
    kb.remove,
    profile.profile,
    profile.chart,
    profile.pulse,
    render.map_command,
    web.serve,
):
    main.add_command(command)
