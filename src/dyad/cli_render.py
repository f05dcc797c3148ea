"""The picture commands: ``dyad map A B -o FILE``.

A thin shell over :mod:`dyad.render`; :func:`register` adds the commands to the ``dyad`` group. A
:class:`~dyad.errors.DyadError` becomes one line ``Error: <message>`` on stderr and exit status 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from dyad.errors import DyadError

__all__ = ["MAP_FORMATS", "map_command", "register"]

#: Map file suffixes and what they are written as.
MAP_FORMATS = {".svg": "svg", ".png": "png"}


@click.command("map")
@click.argument("a")
@click.argument("b")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write: .svg or .png.",
)
@click.option(
    "--width", type=click.IntRange(min=100), default=800, show_default=True, help="Width in pixels."
)
@click.option(
    "--height",
    type=click.IntRange(min=140),
    default=600,
    show_default=True,
    help="Height in pixels, the legend included.",
)
def map_command(a: str, b: str, output: Path, width: int, height: int) -> None:
    """Draw a locator map of countries A and B (names, adjectives or ISO codes).

    The two countries are filled in two colours among their neighbours, framed so both fit; a country
    too small to see is circled.
    """
    try:
        fmt = MAP_FORMATS.get(output.suffix.lower())
        if fmt is None:
            raise DyadError(f"{output}: unknown map format; use .svg or .png")
        from dyad.render import maps  # numpy, shapely and pyproj load only for this command

        shapes = maps.locator_map(a, b, width=width, height=height)
        if fmt == "svg":
            output.write_text(maps.svg(shapes), encoding="utf-8")
        else:
            maps.png(shapes, output)
    except DyadError as e:
        click.echo(f"Error: {e}", err=True)
        sys.exit(1)
    except OSError as e:
        click.echo(f"Error: {output}: cannot write: {e.strerror or e}", err=True)
        sys.exit(1)


def register(group: click.Group) -> None:
    """Add the picture commands to ``group``."""
    group.add_command(map_command)
