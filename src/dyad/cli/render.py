"""The picture commands: ``dyad map A B -o FILE``.

A thin shell over :mod:`dyad.render.maps`; a file that cannot be written is a DyadError, which the
group prints as one line ``Error: <message>`` (exit status 1).
"""

from __future__ import annotations

from pathlib import Path

import click

from dyad.errors import DyadError, shown

__all__ = ["MAP_FORMATS", "map_command"]

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
    fmt = MAP_FORMATS.get(output.suffix.lower())
    if fmt is None:
        raise DyadError(f"{shown(str(output))}: unknown map format; use .svg or .png")
    from dyad.render import maps  # numpy, shapely and pyproj load only for this command

    shapes = maps.locator_map(a, b, width=width, height=height)
    try:
        if fmt == "svg":
            output.write_text(maps.svg(shapes), encoding="utf-8")
        else:
            maps.png(shapes, output)
    except OSError as e:
        raise DyadError(f"{shown(str(output))}: cannot write: {e.strerror or e}") from None
