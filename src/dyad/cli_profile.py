"""The profile commands: ``dyad profile`` (an article about a pair), ``dyad chart`` (its timeline, or with
``--pulse`` its events by period) and ``dyad pulse`` (its events by period as a table, JSON or CSV).

Thin shells over :mod:`dyad.render.profile`, :mod:`dyad.render.chart` and :mod:`dyad.render.pulse`;
:func:`register` adds them to the ``dyad`` group. They take ``--db PATH`` (or ``$DYAD_DB``) like the
knowledge-base commands, and turn a :class:`~dyad.errors.DyadError` into one line ``Error: <message>`` on
stderr and exit status 1.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from dyad.cli_kb import _db_option, _errors, _open
from dyad.errors import DyadError
from dyad.render import chart as chart_api
from dyad.render import profile as profile_api
from dyad.render import pulse as pulse_api

__all__ = ["PROFILE_FORMATS", "chart", "profile", "pulse", "register"]

_by_option = click.option(
    "--by", type=click.Choice(["month", "quarter", "year"]), default="month", show_default=True,
    help="Count the events by month, quarter or year.",
)  # fmt: skip

#: The formats of ``dyad profile``: the flattened article format (which ``dyad extract`` reads back),
#: Markdown, and one self-contained HTML page with the map, the chart and the cited facts.
PROFILE_FORMATS = ("article", "markdown", "html")


def _map_svg(a: str, b: str) -> str | None:
    """The pair's locator map, when dyad.render.maps is there and knows both countries."""
    try:
        maps = importlib.import_module("dyad.render.maps")
    except ImportError:
        return None
    try:
        return str(maps.locator_svg(a, b))
    except DyadError:
        return None  # a former state or an organisation has no outline: the page goes without a map


def _write(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as e:
        raise DyadError(f"{output}: cannot write the file ({e.strerror or e})") from None


def _no_facts(a: str, b: str) -> DyadError:
    return DyadError(
        f"no facts about {a} and {b} in the knowledge base; 'dyad pairs' lists the pairs it holds"
    )


@click.command()
@click.argument("a")
@click.argument("b")
@click.option(
    "--at",
    "at",
    metavar="DATE",
    help="Write the article as of this date, EDTF or plain (2013, '20 March 1946').",
)
@click.option(
    "--format", "fmt", type=click.Choice(PROFILE_FORMATS), default="article", show_default=True,
    help="article: the flattened article format; markdown; html: one self-contained page.",
)  # fmt: skip
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE, not stdout."
)
@_db_option
@_errors
def profile(a: str, b: str, at: str | None, fmt: str, output: Path | None, db: Path | None) -> None:
    """An article about the relations of A and B, every sentence written from facts and cited.

    A and B take names, codes or adjectives (Belgium, BEL, Belgian).
    """
    with _open(db, read_only=True) as kb:
        p = profile_api.profile(kb, a, b, at=at)
    if p.empty:
        raise _no_facts(p.name(p.a), p.name(p.b))
    if fmt == "article":
        text = profile_api.to_article(p)
    elif fmt == "markdown":
        text = profile_api.to_markdown(p)
    else:
        chart_svg = chart_api.chart_svg(p, title=p.title)
        text = profile_api.to_html(p, map_svg=_map_svg(str(p.a), str(p.b)), chart_svg=chart_svg)
    _write(text, output)


@click.command()
@click.argument("a")
@click.argument("b")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.svg, not stdout."
)
@click.option("--pulse", "as_pulse", is_flag=True, help="Draw the pulse (events by period) instead.")
@_by_option
@_db_option
@_errors
def chart(a: str, b: str, output: Path | None, as_pulse: bool, by: str, db: Path | None) -> None:
    """The timeline of A and B as an SVG picture: bars for what lasts, marks for events.

    With --pulse: the events of A and B by period (--by), a line each for all events, cooperation and
    conflict, and the mean Goldstein value of each period; periods with no data are grey.
    """
    if as_pulse:
        with _open(db, read_only=True) as kb:
            found = kb.pulse(a, b, by=by)
        _write(pulse_api.pulse_svg(found), output)
        return
    with _open(db, read_only=True) as kb:
        timeline = kb.timeline(a, b)
    if not timeline.events and not timeline.undated:
        raise _no_facts(
            timeline.names.get(timeline.a, timeline.a), timeline.names.get(timeline.b, timeline.b)
        )
    names = timeline.names
    title = f"{names.get(timeline.a, timeline.a)}–{names.get(timeline.b, timeline.b)} relations"
    _write(chart_api.chart_svg(timeline, title=title), output)


@click.command()
@click.argument("a")
@click.argument("b")
@_by_option
@click.option(
    "--format", "fmt", type=click.Choice(list(pulse_api.PULSE_FORMATS)), default="text", show_default=True
)
@_db_option
@_errors
def pulse(a: str, b: str, by: str, fmt: str, db: Path | None) -> None:
    """The pulse of A and B: per period, the events, cooperation and conflict (CAMEO quad classes) and
    the summed and mean Goldstein value. A period with no events between others is "no data"."""
    with _open(db, read_only=True) as kb:
        found = kb.pulse(a, b, by=by)
    click.echo(pulse_api.PULSE_FORMATS[fmt](found), nl=False)


def register(group: click.Group) -> None:
    """Add the profile commands to ``group``."""
    for command in (profile, chart, pulse):
        group.add_command(command)
