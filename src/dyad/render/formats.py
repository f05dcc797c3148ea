"""The formats of a profile: the flattened article format, Markdown and HTML.

:func:`to_article` writes the format of the seed article, which ``dyad extract`` reads back into the
facts the profile was written from: footnote markers close each paragraph (inside a sentence they would
become part of what the extractor reads) and the References are a table, which the extractor does not
read for facts. :func:`to_markdown` puts a footnote after each sentence; :func:`to_html` makes one
self-contained page (:mod:`dyad.render.page`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from dyad.render.phrases import load_phrasebook

if TYPE_CHECKING:
    from dyad.render.profile import Footnote, Profile
    from dyad.render.prose import Sentence

__all__ = ["to_article", "to_html", "to_markdown"]

_INITIAL_END = re.compile(r"(?:\b[A-Z]\.|\b(?:Jr|Sr|Inc|Ltd|Co|Corp|Bros|Esq|Plc)\.)$")


def _marker(n: int) -> str:
    # "[1,000]" rather than "[1000]": the extractor would read a bare four-digit number as a year
    return f"[{n:,}]"


def to_article(p: Profile) -> str:
    """The profile in the flattened article format of the seed, which ``dyad extract`` reads back.

    Footnote markers close each paragraph (a marker inside a sentence would become part of what the
    extractor reads); the References are a table of number, source and quote.
    """
    lines = [f"= {p.title} =", "", "Infobox"]
    lines += [f"- {k}: {v}" for k, v in p.infobox]
    lines.append("")
    for paragraph in p.lead:
        lines += _article_paragraphs(paragraph)
    for sec in p.sections:
        lines += [f"=={sec.title}==", ""]
        for paragraph in sec.paragraphs:
            lines += _article_paragraphs(paragraph)
    book = load_phrasebook()
    lines += [f"=={book.sections['see_also']}=="] + [f"- {x}" for x in p.see_also] + [""]
    if p.footnotes:
        lines.append(f"=={book.sections['references']}==")
        for n in p.footnotes:
            citing = f"; {_cell(n.citing)}" + (f" {n.url}" if n.url else "") if n.citing else ""
            where = f"{_cell(n.title)} ({_cell(n.section)}){citing}"
            lines.append(f"| {_marker(n.number)} | {where} | “{_cell(n.quote)}” |")
    return "\n".join(lines).rstrip("\n") + "\n"


def _article_paragraphs(sentences: Sequence[Sentence]) -> list[str]:
    """The paragraph's lines, each followed by a blank line; its footnote markers close it.

    A sentence that ends in an initial ("… in Washington, D.C.") closes its paragraph: the extractor's
    sentence splitter reads such a full stop as the end of a sentence only before a common first word.
    """
    out: list[str] = []
    chunk: list[Sentence] = []
    for i, s in enumerate(sentences):
        chunk.append(s)
        if i == len(sentences) - 1 or _INITIAL_END.search(s.text):
            notes = list(dict.fromkeys(n for x in chunk for n in x.notes))
            out += [" ".join(x.text for x in chunk) + "".join(_marker(n) for n in notes), ""]
            chunk = []
    return out


def _cell(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("|", "/")).strip()


def to_markdown(p: Profile) -> str:
    """The profile as Markdown: infobox as a table, a footnote after each sentence, references last."""
    lines = [f"# {_md(p.title)}", "", "| | |", "|---|---|"]
    lines += [f"| **{k}** | {_md(v).replace('|', '&#124;')} |" for k, v in p.infobox if k != "Map"]
    lines.append("")
    for paragraph in p.lead:
        lines += [_md_paragraph(paragraph), ""]
    book = load_phrasebook()
    for sec in p.sections:
        lines += [f"## {_md(sec.title)}", ""]
        for paragraph in sec.paragraphs:
            lines += [_md_paragraph(paragraph), ""]
    lines += [f"## {book.sections['see_also']}", ""] + [f"- {_md(x)}" for x in p.see_also] + [""]
    if p.footnotes:
        lines += [f"## {book.sections['references']}", ""]
        lines += [
            f"[^{n.number}]: *{_md(n.title)}* ({_md(n.section)}){_md_citing(n)}: “{_md(n.quote)}”"
            for n in p.footnotes
        ]
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_citing(n: Footnote) -> str:
    if not n.citing:
        return ""
    return f", {_md(n.citing)}" + (f" <{n.url}>" if n.url else "")


def _md(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"([\\`*_\[\]<>#])", r"\\\1", text)


def _md_paragraph(sentences: Sequence[Sentence]) -> str:
    return " ".join(_md(s.text) + "".join(f"[^{n}]" for n in s.notes) for s in sentences)


def to_html(p: Profile, *, map_svg: str | None = None, chart_svg: str | None = None) -> str:
    """The profile as one self-contained HTML page: article, map, chart, and the facts with citations.

    ``map_svg`` and ``chart_svg`` are inlined as they are (dyad's own drawings); everything taken from
    sources is escaped. The page loads nothing from the network.
    """
    from dyad.render.page import render_profile_page

    return render_profile_page(p, map_svg=map_svg, chart_svg=chart_svg)
