"""The HTML page of a profile: one self-contained file with the article, map, chart and cited facts.

The page is the Jinja2 template ``templates/profile.html.j2`` rendered with autoescaping on: every
string from a source (titles, quotes, names, links) is escaped. The map and the chart are SVG that dyad
drew itself and are inlined as they are. The CSS is inline and the page loads nothing from the network,
so it opens offline.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from dyad.model import actor_key
from dyad.render.phrases import load_phrasebook
from dyad.resolve.dates import format_edtf

if TYPE_CHECKING:
    from dyad.render.profile import Profile
    from dyad.render.prose import Cited

__all__ = ["PAGE_TEMPLATE", "render_profile_page"]

#: The page template, in the package's ``render/templates`` folder.
PAGE_TEMPLATE = "profile.html.j2"


@functools.cache
def _template() -> jinja2.Template:
    text = resources.files("dyad.render").joinpath("templates", PAGE_TEMPLATE).read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return env.from_string(text)


def _when(c: Cited) -> str:
    if c.start or c.end:
        return f"{format_edtf(c.start) if c.start else '?'} – {format_edtf(c.end) if c.end else 'open'}"
    return format_edtf(c.date) if c.date else ""


def _fact_row(c: Cited, names: dict[str, str]) -> dict[str, Any]:
    from dyad.report import describe

    a, b = (names.get(actor_key(x), actor_key(x)) for x in (c.actor, c.target))
    what = describe(c, names)  # type: ignore[arg-type]  # a Cited reads like an Entry
    return {"type": c.type, "who": f"{a} → {b}", "what": what, "when": _when(c), "supports": c.supports}


def _infobox_rows(info: dict[str, str]) -> list[tuple[str, str]]:
    """The infobox as a reader sees it: 'Mission of Belgium', "Chargé d'Affaires of Belgium"."""
    rows = [("Countries", f"{info.get('Party1', '')} and {info.get('Party2', '')}")]
    for n in (1, 2):
        party = info.get(f"Party{n}", "")
        if f"Mission{n}" in info:
            rows.append((f"Mission of {party}", info[f"Mission{n}"]))
        if f"Envoytitle{n}" in info:
            rows.append((f"{info[f'Envoytitle{n}']} of {party}", info.get(f"Envoy{n}", "not named")))
    return rows


def render_profile_page(p: Profile, *, map_svg: str | None = None, chart_svg: str | None = None) -> str:
    """The profile as one HTML page; see :func:`dyad.render.profile.to_html`."""
    from dyad import __version__

    book = load_phrasebook()
    names = dict(p.names)
    infobox = dict(p.infobox)
    return _template().render(
        p=p,
        version=__version__,
        at_words=format_edtf(p.at) if p.at else "",
        infobox_title=infobox.get("Title", p.title),
        infobox_rows=_infobox_rows(infobox),
        map_svg=Markup(map_svg) if map_svg else None,
        chart_svg=Markup(chart_svg) if chart_svg else None,
        facts=[_fact_row(c, names) for c in p.facts],
        see_also_title=book.sections["see_also"],
        references_title=book.sections["references"],
    )
