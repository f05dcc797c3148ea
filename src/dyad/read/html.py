"""Read a page's HTML: the main text through trafilatura, the infobox and references through lxml.

The page's own structure is read first, skin or site whatever: the title (``h1#firstHeading``, else
``<title>`` without its " - Wikipedia" tail), the canonical URL, the site name, the last-edit date; the
rendered infobox table (``table.infobox``) as infobox fields; the numbered references
(``ol.references``) as citations, each footnote marker (``sup.reference``) becoming a citation of the
words before it. What is left goes to trafilatura (Apache-2.0), which finds the main text among
menus, navigation boxes and footers; its headings, paragraphs, lists and tables become blocks.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from dyad.errors import InputError
from dyad.read.layout import Layout, clean_input
from dyad.read.templates import reference_from_text, site_of
from dyad.read.types import Article

__all__ = ["read_html"]

# Parts of a page that are never its main text.
_DROP = (
    ".mw-editsection, .navbox, .vertical-navbox, .hatnote, .noprint, .metadata, .ambox, .mw-jump-link, "
    "#toc, .toc, #siteSub, #contentSub, .printfooter, .catlinks, figure, .thumb, .mw-cite-backlink, "
    "style, script, noscript, .reflist, ol.references, .mw-references-wrap, .sistersitebox, .portalbox"
)
_TITLE_TAIL = re.compile(r"\s+[-–—|]\s+(?:Simple English )?Wikipedia.*$")
_LAST_EDIT = re.compile(r"last edited on (\d{1,2} \w+ \d{4}|\w+ \d{1,2}, \d{4})")
_MAP = re.compile(r"Map indicating locations? of (.+?) and (.+?)\.?$", re.IGNORECASE)
_LABELS = {"diplomatic mission": "Mission", "diplomatic missions": "Mission", "envoy": "Envoy"}


def read_html(text: str, path: str) -> Article:
    """Read one HTML page; InputError when it has no main text."""
    try:
        root = lxml_html.document_fromstring(clean_input(text))
    except (etree.ParserError, ValueError) as e:
        raise InputError(path, f"cannot parse the HTML ({e})") from None
    layout = Layout()
    layout.title = _title(root)
    token = "⟦" + secrets.token_hex(4)  # footnote stand-ins that the page's own text cannot forge
    notes, markers = _references(root, layout)
    for sup in root.cssselect("sup.reference"):
        link = sup.find(".//a")
        href = (link.get("href") or "") if link is not None else ""
        note = href.rpartition("#")[2]
        replacement = f"{token}{notes[note]}⟧" if note in notes else ""
        _replace(sup, replacement)
    for box in root.cssselect("table.infobox"):
        if not layout.has_fields:
            _infobox(box, layout)
        box.drop_tree()
    for node in root.cssselect(_DROP):
        node.drop_tree()
    if not _main_text(root, layout, token, markers):
        raise InputError(path, "no main text found in the HTML; save the page's text or its wikitext instead")
    return layout.build(
        path, format="page", url=_canonical(root), published=_last_edit(root), publisher=_site(root)
    )


def _references(root: Any, layout: Layout) -> tuple[dict[str, int], list[str]]:
    """The page's numbered references: each note id's index, and the citation marker of each index."""
    found: dict[str, int] = {}
    markers: list[str] = []
    for li in root.cssselect("ol.references > li[id]"):
        link = next(iter(li.cssselect("a.external, a[href^='http']")), None)
        url = link.get("href") if link is not None else None
        text = " ".join(li.text_content().split())
        ref = reference_from_text(text, url)
        work = li.find(".//i")
        if work is not None and work.text_content().strip():
            ref["publisher"] = " ".join(work.text_content().split())
        found[li.get("id")] = len(markers)
        markers.append(layout.cite(ref))
    return found, markers


def _replace(node: Any, text: str) -> None:
    """Put ``text`` where ``node`` was, keeping what followed it."""
    parent = node.getparent()
    if parent is None:
        return
    previous = node.getprevious()
    tail = text + (node.tail or "")
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(node)


def _title(root: Any) -> str:
    for selector in ("h1#firstHeading", "h1.firstHeading", "#section_0", "h1"):
        found = root.cssselect(selector)
        if found and found[0].text_content().strip():
            return " ".join(found[0].text_content().split())
    title = root.find(".//title")
    return _TITLE_TAIL.sub("", title.text_content().strip()) if title is not None else ""


def _canonical(root: Any) -> str | None:
    for selector in ("link[rel=canonical]", "meta[property='og:url']"):
        found = root.cssselect(selector)
        if found:
            return found[0].get("href") or found[0].get("content")
    return None


def _site(root: Any) -> str | None:
    found = root.cssselect("meta[property='og:site_name']")
    if found and found[0].get("content"):
        return str(found[0].get("content"))
    title = root.find(".//title")
    m = _TITLE_TAIL.search(title.text_content()) if title is not None else None
    if m:
        return m.group().strip(" -–—|").strip()
    url = _canonical(root)
    return site_of(url) if url else None


def _last_edit(root: Any) -> str | None:
    found = root.cssselect("#footer-info-lastmod, .last-modified-bar, #mw-mf-last-modified")
    m = _LAST_EDIT.search(found[0].text_content()) if found else None
    if m is None:
        return None
    from dyad.resolve.dates import to_edtf

    return to_edtf(m.group(1))


def _infobox(box: Any, layout: Layout) -> None:
    """Fields from a rendered infobox: the map caption's two parties, two-column rows by their label."""
    label: str | None = None
    parties = False
    for caption in box.cssselect(".infobox-caption, .infobox-image, td"):
        m = _MAP.search(" ".join(caption.text_content().split()))
        if m:
            layout.field("Party1", m.group(1))
            layout.field("Party2", m.group(2))
            parties = True
            break
    for tr in box.iter("tr"):
        heads = [c for c in tr if c.tag == "th"]
        cells = [c for c in tr if c.tag == "td"]
        if heads and not cells:
            label = _LABELS.get(_text(heads[0]).lower().rstrip(":"))
            continue
        if len(cells) == 1 and cells[0].find(".//table") is None and not heads:
            continue
        if heads and len(cells) == 1:
            layout.field(_text(heads[0]), _text(cells[0]))
            continue
        if len(cells) >= 2:
            _pair(cells[:2], label, layout, parties)
            parties = parties or label is None
            label = None


def _pair(cells: list[Any], label: str | None, layout: Layout, parties: bool) -> None:
    for n, cell in enumerate(cells, 1):
        if label == "Envoy":
            parts = [p for p in _lines(cell) if p]
            if len(parts) >= 2:
                layout.field(f"Envoytitle{n}", parts[0])
                layout.field(f"Envoy{n}", " ".join(parts[1:]))
            elif parts:
                layout.field(f"Envoytitle{n}", parts[0])
        elif label is not None:
            layout.field(f"{label}{n}", ", ".join(p for p in _lines(cell) if p))
        elif not parties:
            layout.field(f"Party{n}", _text(cell))


def _lines(cell: Any) -> list[str]:
    """A cell's text split at its line breaks."""
    for br in cell.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return [" ".join(part.split()) for part in cell.text_content().split("\n")]


def _text(node: Any) -> str:
    return " ".join(node.text_content().split())


def _main_text(root: Any, layout: Layout, token: str, markers: list[str]) -> bool:
    """Blocks from trafilatura's reading of the page; False when it finds no main text."""
    import trafilatura

    found = trafilatura.extract(
        lxml_html.tostring(root, encoding="unicode"),
        output_format="xml",
        include_tables=True,
        include_comments=False,
        include_formatting=False,
        include_links=False,
        include_images=False,
        favor_recall=True,
    )
    if not found:
        return False
    stand_in = re.compile(re.escape(token) + r"(\d+)⟧")

    def inline(node: Any) -> str:
        text = " ".join("".join(node.itertext()).split())
        return stand_in.sub(lambda m: _at(markers, int(m.group(1))), text)

    doc = etree.fromstring(found.encode("utf-8"))
    prose = False
    for node in doc.iter("head", "p", "item", "row", "quote"):
        if node.tag == "head":
            if inline(node) == layout.title:
                continue  # the page's own heading, which trafilatura keeps
            level = int((node.get("rend") or "h2").lstrip("h") or 2)
            layout.heading(inline(node), level)
        elif node.tag == "p" and _inside(node, ("item", "cell", "quote")):
            continue
        elif node.tag in ("p", "quote"):
            layout.paragraph(inline(node))
            prose = True
        elif node.tag == "item":
            layout.item(inline(node))
        else:
            layout.row([inline(cell) for cell in node.iter("cell")])
    return prose


def _at(markers: list[str], index: int) -> str:
    return markers[index] if index < len(markers) else ""


def _inside(node: Any, tags: tuple[str, ...]) -> bool:
    parent = node.getparent()
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.getparent()
    return False
