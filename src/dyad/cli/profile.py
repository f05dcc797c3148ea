"""The profile commands: ``dyad profile`` (an article about a pair), ``dyad chart`` (its timeline, or with
``--pulse`` its events by period) and ``dyad pulse`` (its events by period as a table, JSON or CSV).

Thin shells over :mod:`dyad.render.profile`, :mod:`dyad.render.chart` and :mod:`dyad.render.pulse`. They
take ``--db PATH`` (or ``$DYAD_DB``) like the knowledge-base commands. A pair with no facts is not an
error: ``profile`` and ``chart`` write nothing, say on stderr which sources about the pair were read,
and exit 0, as ``show`` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from dyad.cli.common import db_option, open_kb, write_output
from dyad.errors import DyadError
from dyad.model import SourceRecord
from dyad.render import chart as chart_api
from dyad.render import profile as profile_api
from dyad.render import pulse as pulse_api
from dyad.report import no_facts

__all__ = ["PROFILE_FORMATS", "chart", "profile", "pulse"]

_by_option = click.option(
    "--by", type=click.Choice(["month", "quarter", "year"]), default="month", show_default=True,
    help="Count the events by month, quarter or year.",
)  # fmt: skip

#: The formats of ``dyad profile``: the flattened article format (which ``dyad extract`` reads back),
#: Markdown, and one self-contained HTML page with the map, the chart and the cited facts.
PROFILE_FORMATS = ("article", "markdown", "html")


def _map_svg(a: str, b: str) -> str | None:
    """The pair's locator map; None when one of them has no outline (a former state, an organisation)."""
    from dyad.render import maps  # numpy, shapely and pyproj load only for an HTML profile

    try:
        return maps.locator_svg(a, b)
    except DyadError:
        return None  # the page goes without a map


def _nothing(a: str, b: str, read: Sequence[SourceRecord]) -> None:
    """Say on stderr that the pair has no facts, and which sources about it were read."""
    click.echo(f"dyad: {no_facts(a, b, read)}", err=True)


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
@db_option
def profile(a: str, b: str, at: str | None, fmt: str, output: Path | None, db: Path | None) -> None:
    """An article about the relations of A and B, every sentence written from facts and cited.

    A and B take names, codes or adjectives (Belgium, BEL, Belgian).
    """
    with open_kb(db, read_only=True) as kb:
        p = profile_api.profile(kb, a, b, at=at)
        read = kb.sources_about(a, b) if p.empty else ()
    if p.empty:
        _nothing(p.name(p.a), p.name(p.b), read)
        return
    if fmt == "article":
        text = profile_api.to_article(p)
    elif fmt == "markdown":
        text = profile_api.to_markdown(p)
    else:
        chart_svg = chart_api.chart_svg(p, title=p.title)
        text = profile_api.to_html(p, map_svg=_map_svg(str(p.a), str(p.b)), chart_svg=chart_svg)
    write_output(text, output)


@click.command()
@click.argument("a")
@click.argument("b")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.svg, not stdout."
)
@click.option("--pulse", "as_pulse", is_flag=True, help="Draw the pulse (events by period) instead.")
@_by_option
@db_option
def chart(a: str, b: str, output: Path | None, as_pulse: bool, by: str, db: Path | None) -> None:
    """The timeline of A and B as an SVG picture: bars for what lasts, marks for events.

    With --pulse: the events of A and B by period (--by), a line each for all events, cooperation and
    conflict, and the mean Goldstein value of each period; periods with no data are grey.
    """
    if as_pulse:
        with open_kb(db, read_only=True) as kb:
            found = kb.pulse(a, b, by=by)
        write_output(pulse_api.pulse_svg(found), output)
        return
    with open_kb(db, read_only=True) as kb:
        timeline = kb.timeline(a, b)
    names = timeline.names
    a_name, b_name = names.get(timeline.a, timeline.a), names.get(timeline.b, timeline.b)
    if not timeline.events and not timeline.undated:
        _nothing(a_name, b_name, timeline.read)
        return
    write_output(chart_api.chart_svg(timeline, title=f"{a_name}–{b_name} relations"), output)


@click.command()
@click.argument("a")
@click.argument("b")
@_by_option
@click.option(
    "--format", "fmt", type=click.Choice(list(pulse_api.PULSE_FORMATS)), default="text", show_default=True
)
@db_option
def pulse(a: str, b: str, by: str, fmt: str, db: Path | None) -> None:
    """The pulse of A and B: per period, the events, cooperation and conflict (CAMEO quad classes) and
    the summed and mean Goldstein value. A period with no events between others is "no data"."""
    with open_kb(db, read_only=True) as kb:
        found = kb.pulse(a, b, by=by)
    click.echo(pulse_api.PULSE_FORMATS[fmt](found), nl=False)
