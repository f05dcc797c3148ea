"""Read MediaWiki markup (wikitext) into an :class:`~dyad.read.types.Article`, through mwparserfromhell.

What becomes what:

- ``{{Infobox bilateral relations}}``: its named parameters are infobox fields (``mission1`` ->
  ``Mission1``), its positional country names ``Party1`` and ``Party2``, its first positional the title
  when the page gives none;
- headings, paragraphs, list items and table rows are blocks; a link keeps its text and remembers its
  target; templates that carry text are rendered (:mod:`dyad.read.templates`); maintenance templates,
  files, images, categories, comments and the References and External links sections are dropped;
- each ``<ref>`` (named, reused by name, or list-defined) and each citation template outside a ref is
  a citation of the words before it.

A copy of an edit page or of a revision diff (text selected in a browser, site chrome and all) is read
as the wikitext it shows; of a diff, the newer side. Markup left open where the text ends (a copy cut
short) is dropped; markup left open or closed twice earlier is an :class:`~dyad.errors.InputError`
naming the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import mwparserfromhell
from mwparserfromhell.nodes import Comment, ExternalLink, Heading, HTMLEntity, Tag, Template, Text, Wikilink
from mwparserfromhell.wikicode import Wikicode

from dyad.errors import InputError
from dyad.read.layout import APPARATUS, Layout, clean_input
from dyad.read.templates import (
    INFOBOXES,
    REF_LIKE,
    citation_of,
    is_citation,
    normal_name,
    reference_from_text,
    render_template,
    site_of,
)
from dyad.read.types import Article

__all__ = ["read_wikitext", "render_wikitext", "sniff_wikitext"]

# Links to these namespaces show no text in the article.
_DROPPED_NAMESPACES = frozenset({"file", "image", "category", "media", "wikipedia", "wp", "template", "help"})
_INTERWIKI = re.compile(r"^:?[a-z]{2,3}(?:-[a-z]+)?:")
# Tags whose content is not prose.
_DROPPED_TAGS = frozenset(
    {"references", "gallery", "math", "chem", "syntaxhighlight", "source", "pre", "timeline", "imagemap",
     "score", "graph", "mapframe", "maplink", "templatestyles", "style", "script", "noinclude", "hiero",
     "indicator", "categorytree", "inputbox"}
)  # fmt: skip
_RESIDUE = ("{{", "}}", "[[", "]]", "<ref", "</ref")
_WIKI_MARKERS = re.compile(r"\{\{|\[\[|'''|<ref[ >/]|^==.*==\s*$", re.MULTILINE)
_STARTS_WIKI = re.compile(r"^(?:\{\{|\[\[|'''|''|==|<|__|\{\||\*|#)")
_DIFF_TITLE = re.compile(r"^(.*\S)\s*:\s*Difference between revisions\s*$", re.IGNORECASE)
_DIFF_LINE_NO = re.compile(r"^Line \d+:")
_EDIT_TITLE = re.compile(r"^Editing\s+(.+)$")
_PIPES = re.compile(r"^[|\s]*$")
_CHROME_END = re.compile(
    r"^(?:Summary:|Save changes|Publish changes|Show preview|By (?:saving|publishing) changes|"
    r"Retrieved from|Categories:|This page was last edited|Templates used on this page)"
)
_URL_KEYS = frozenset({"url", "chapter-url", "archive-url"})
_SIMILAR_PREFIX = 20  # characters two versions of a line share when a diff shows them side by side


@dataclass(frozen=True, slots=True)
class _Copy:
    """The wikitext a file holds and what its chrome said."""

    wikitext: str
    title: str | None
    publisher: str | None
    first_line: int  # the line of the file the wikitext starts on (1-based), for error messages


def sniff_wikitext(head: str) -> int:
    """How sure we are that ``head`` is wikitext: 0 when it shows almost no wiki markup."""
    found = len(_WIKI_MARKERS.findall(head[:20_000]))
    return 0 if found < 2 else min(70, 50 + found)


def read_wikitext(text: str, path: str) -> Article:
    """Read a wikitext file (raw, or an edit page or revision diff copied from a browser)."""
    copy = _find_wikitext(clean_input(text))
    return render_wikitext(
        copy.wikitext, path, title=copy.title, publisher=copy.publisher, first_line=copy.first_line
    )


def render_wikitext(
    wikitext: str,
    path: str,
    *,
    title: str | None = None,
    url: str | None = None,
    published: str | None = None,
    publisher: str | None = None,
    first_line: int = 1,
) -> Article:
    """Render one page's wikitext as an article; ``title`` is the page's, when the caller knows it."""
    code = _parse_checked(clean_input(wikitext), path, first_line)
    layout = Layout()
    renderer = _Renderer(layout, _named_refs(code))
    renderer.blocks(code)
    layout.title = title or renderer.infobox_title or ""
    if not layout.title.strip():
        raise InputError(
            path, "no title: give the page title on the first line, or an {{Infobox bilateral relations}}"
        )
    return layout.build(path, format="wikitext", url=url, published=published, publisher=publisher)


# -- finding the wikitext in a copy --------------------------------------------------------------------


def _find_wikitext(text: str) -> _Copy:
    lines = text.split("\n")
    head = lines[:80]
    publisher = "Wikipedia" if any("From Wikipedia" in line for line in head) else None
    title: str | None = None
    diff = False
    start = 0
    for i, line in enumerate(head):
        s = line.strip()
        m = _DIFF_TITLE.match(s)
        if m:
            title, diff = m.group(1), True
            continue
        if _DIFF_LINE_NO.match(s):
            diff, start = True, i + 1
            break
        m = _EDIT_TITLE.match(s)
        if m and title is None:
            title = m.group(1)
        elif s == "Editing" and title is None:
            title = next((x.strip() for x in lines[i + 1 : i + 3] if x.strip()), None)
    if not diff:
        start = next((i for i, line in enumerate(lines) if _STARTS_WIKI.match(line.strip())), 0)
        plain = [line.strip() for line in lines[:start] if line.strip()]
        if title is None and plain and len(plain) <= 3 and len(plain[0]) < 120:
            title = plain[0]  # a raw page with its title on the first line
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        if title is None and first is not None and re.fullmatch(r"=[^=].*[^=]=", lines[first].strip()):
            title, start = lines[first].strip().strip("= "), first + 1  # a level-1 heading: the title
    body = lines[start:]
    if start > 0:  # a copy with chrome: stop where the chrome after the text begins
        end = next((i for i, line in enumerate(body) if _CHROME_END.match(line.strip())), len(body))
        body = body[:end]
    if diff:
        body = _newer_side(body)
    return _Copy("\n".join(body), title, publisher, start + 1)


def _newer_side(lines: list[str]) -> list[str]:
    """The newer revision's lines of a copied diff table: each row shows the old line, then the new.

    Rows read as cells ending in " |" in some copies, with rows of bare pipes between them; the line
    numbers of the diff's hunks ("Line 3:") are dropped.
    """
    cells = []
    for line in lines:
        s = line.rstrip()
        if _DIFF_LINE_NO.match(s.strip()) or (s and _PIPES.match(s)):
            continue
        cells.append(s[:-2].rstrip() if s.endswith(" |") else s)
    out: list[str] = []
    i = 0
    while i < len(cells):
        cur = cells[i]
        nxt = cells[i + 1] if i + 1 < len(cells) else None
        if nxt is not None and _two_versions(cur, nxt):
            out.append(nxt)
            i += 2
        else:
            out.append(cur)
            i += 1
    return out


def _two_versions(old: str, new: str) -> bool:
    """Whether two neighbouring lines are one line before and after an edit."""
    if old == new:
        return True
    if not old.strip() or not new.strip():
        return False
    shorter = min(len(old), len(new))
    prefix = len(_common_prefix(old, new))
    return prefix >= min(_SIMILAR_PREFIX, shorter) or len(_common_prefix(old[::-1], new[::-1])) >= 40


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return a[:n]


# -- parsing and checking ------------------------------------------------------------------------------


def _parse_checked(wikitext: str, path: str, first_line: int) -> Wikicode:
    """Parse, dropping markup left open at the very end (a cut copy); raise on markup unbalanced earlier."""
    for _ in range(8):  # each pass cuts at least one opener; a handful covers any real copy
        code = mwparserfromhell.parse(wikitext)
        found = _residue(code)
        if found is None:
            return code
        offset, token = found
        rest = wikitext[offset:]
        if "\n\n" not in rest.rstrip() and not re.search(r"\n=+[^=\n]+=+\s*(?:\n|$)", rest):
            wikitext = wikitext[:offset]  # open where the copy ends: cut it off
            continue
        line = first_line + wikitext.count("\n", 0, offset)
        problem = f"unbalanced markup: '{token}' on line {line} is never closed or never opened"
        raise InputError(path, f"{problem}; fix the wikitext")
    return mwparserfromhell.parse(wikitext)


def _residue(code: Wikicode) -> tuple[int, str] | None:
    """The offset and token of the first piece of markup the parser had to read as plain text."""
    offset = 0
    for node in code.nodes:
        source = str(node)
        if isinstance(node, Text):
            texts = [source]
        elif isinstance(node, Comment | HTMLEntity):
            texts = []
        elif isinstance(node, Tag) and node.tag in ("nowiki", "pre", "math", "syntaxhighlight", "source"):
            texts = []
        else:
            texts = [str(t) for t in node.__children__() if isinstance(t, Wikicode)]  # type: ignore[attr-defined]
            texts = [str(t) for c in texts for t in mwparserfromhell.parse(c).filter_text()]
        for piece in texts:
            hits = [(piece.find(tok), tok) for tok in _RESIDUE if tok in piece]
            if hits:
                at, tok = min(hits)
                inner = source.find(tok)
                return offset + (inner if inner >= 0 else at), tok
        offset += len(source)
    return None


def _named_refs(code: Wikicode) -> dict[str, Wikicode]:
    """Every ``<ref name=…>`` with content, by name, wherever it is defined (list-defined refs too)."""
    named: dict[str, Wikicode] = {}
    for tag in code.filter_tags(matches=lambda n: n.tag == "ref"):
        if tag.has("name") and tag.contents is not None and str(tag.contents).strip():
            named.setdefault(str(tag.get("name").value).strip().strip("\"'"), tag.contents)
    return named


# -- rendering -----------------------------------------------------------------------------------------


class _Renderer:
    """Walks the parsed page, writing blocks into a :class:`Layout`."""

    def __init__(self, layout: Layout, named: dict[str, Wikicode]) -> None:
        self.layout = layout
        self.named = named
        self.infobox_title: str | None = None
        self._refs: dict[str, str] = {}  # ref name -> its marker, so a reused ref is one citation
        self._kind: str | None = None  # "para" or "item" while a block is open
        self._buf: list[str] = []
        self._line_has_text = False
        self._skip_level = 0  # inside an apparatus section (References …) of this level

    # blocks

    def blocks(self, code: Wikicode) -> None:
        for node in code.nodes:
            if isinstance(node, Heading):
                self._flush()
                title = self.inline(node.title)
                if self._skip_level and node.level > self._skip_level:
                    continue
                self._skip_level = node.level if title.strip().lower() in APPARATUS else 0
                if not self._skip_level:
                    self.layout.heading(title, node.level)
                continue
            if self._skip_level:
                continue
            if isinstance(node, Text):
                self._text(str(node))
            elif (
                isinstance(node, Tag)
                and node.wiki_markup in ("*", "#", ";", ":")
                or (isinstance(node, Tag) and node.tag == "li")
            ):
                self._flush()
                self._kind = "item" if node.wiki_markup != ":" else "para"
            elif isinstance(node, Tag) and node.tag == "table":
                self._flush()
                self._table(node)
            elif isinstance(node, Template) and normal_name(str(node.name)) in INFOBOXES:
                self._infobox(node)
            elif isinstance(node, Tag) and node.tag in ("blockquote", "div", "center", "poem", "p"):
                self._flush()
                if node.contents is not None:
                    self.blocks(node.contents)
                self._flush()
            else:
                self._add(self.inline_node(node))
        self._flush()

    def _text(self, text: str) -> None:
        parts = text.split("\n")
        for i, part in enumerate(parts):
            if i:
                self._newline()
            self._add(part)

    def _newline(self) -> None:
        if self._kind == "item" or not self._line_has_text:
            self._flush()
        else:
            self._buf.append(" ")
        self._line_has_text = False

    def _add(self, piece: str) -> None:
        if not piece:
            return
        if piece.strip() and not piece.startswith("\ue000"):
            self._line_has_text = True
            if self._kind is None:
                self._kind = "para"
        self._buf.append(piece)

    def _flush(self) -> None:
        text = "".join(self._buf)
        if self._kind == "item":
            self.layout.item(text)
        elif text.strip():
            self.layout.paragraph(text)
        self._buf, self._kind, self._line_has_text = [], None, False

    def _table(self, table: Tag) -> None:
        if table.has("class") and "navbox" in str(table.get("class").value):
            return
        row: list[str] = []
        for tag in table.contents.filter_tags(recursive=False):
            if tag.tag == "tr":
                if row:
                    self.layout.row(row)
                row = [self.inline(c.contents) for c in tag.contents.filter_tags(recursive=False)
                       if c.tag in ("td", "th")]  # fmt: skip
                self.layout.row(row)
                row = []
            elif tag.tag in ("td", "th"):
                row.append(self.inline(tag.contents))
        if row:
            self.layout.row(row)

    def _infobox(self, node: Template) -> None:
        if self.layout.has_fields:
            return  # the first bilateral infobox is the article's
        positional = [self.inline(p.value) for p in node.params if not p.showkey]
        named = {str(p.name).strip(): p.value for p in node.params if p.showkey}
        if len(positional) >= 3 and "party1" not in {k.lower() for k in named}:
            self.layout.field("Party1", positional[1])
            self.layout.field("Party2", positional[2])
        if positional and positional[0].strip():
            plain = " ".join(re.sub("\ue000[^\ue001]*\ue001", "", positional[0]).split())
            self.infobox_title = plain if plain.endswith("relations") else f"{plain} relations"
        elif len(positional) >= 3:
            self.infobox_title = f"{positional[1].strip()}–{positional[2].strip()} relations"
        for key, value in named.items():
            self.layout.field(key, self.inline(value))

    # inline

    def inline(self, code: Wikicode | None) -> str:
        if code is None:
            return ""
        return "".join(self.inline_node(n) for n in code.nodes)

    def inline_node(self, node: Any) -> str:
        if isinstance(node, Text):
            return str(node)
        if isinstance(node, Wikilink):
            return self._wikilink(node)
        if isinstance(node, Template):
            return self._template(node)
        if isinstance(node, Tag):
            return self._tag(node)
        if isinstance(node, ExternalLink):
            return self.inline(node.title) if node.title is not None else ""
        if isinstance(node, HTMLEntity):
            return node.normalize()
        return ""  # comments, arguments, anything else

    def _wikilink(self, node: Wikilink) -> str:
        target = str(node.title).strip()
        space = target.lstrip(":").split(":", 1)[0].strip().lower() if ":" in target else ""
        if space in _DROPPED_NAMESPACES or _INTERWIKI.match(target) and not target.startswith(":"):
            return ""
        text = self.inline(node.text) if node.text is not None else target.lstrip(":").split("#")[0]
        return self.layout.link(text, target.lstrip(":").split("#")[0])

    def _tag(self, node: Tag) -> str:
        name = str(node.tag).lower()
        if name == "ref":
            return self._ref(node)
        if name in _DROPPED_TAGS:
            return ""
        if name == "br":
            return " "
        if name == "nowiki":
            return str(node.contents) if node.contents is not None else ""
        return self.inline(node.contents) if node.contents is not None else ""

    def _ref(self, node: Tag) -> str:
        name = str(node.get("name").value).strip().strip("\"'") if node.has("name") else None
        if name and name in self._refs:
            return self._refs[name]
        contents = node.contents if node.contents is not None and str(node.contents).strip() else None
        if contents is None and name:
            contents = self.named.get(name)
        if contents is None:
            return ""
        marker = self.layout.cite(self._reference(contents))
        if name:
            self._refs[name] = marker
        return marker

    def _reference(self, contents: Wikicode) -> dict[str, Any]:
        """A reference from a ref's content: its citation template, its external link, or its text."""
        for tpl in contents.filter_templates(recursive=False):
            name = normal_name(str(tpl.name))
            if is_citation(name):
                return self._citation(tpl, name)
        for link in contents.filter_external_links():
            title = self._plain(link.title) if link.title is not None else None
            return reference_from_text(title or "", str(link.url)) if title else _bare(str(link.url))
        return reference_from_text(self._plain(contents))

    def _citation(self, node: Template, name: str) -> dict[str, Any]:
        params = {
            key: str(p.value).strip() if key in _URL_KEYS else self._plain(p.value)
            for p in node.params
            if p.showkey and (key := str(p.name).strip().lower())
        }
        positional = [self._plain(p.value) for p in node.params if not p.showkey]
        return citation_of(name, params, positional)

    def _plain(self, code: Wikicode) -> str:
        """Rendered text without citation or link markers: for references and template parameters."""
        return " ".join(re.sub("\ue000[^\ue001]*\ue001", "", self.inline(code)).split())

    def _template(self, node: Template) -> str:
        name = normal_name(str(node.name))
        if is_citation(name):
            return self.layout.cite(self._citation(node, name))
        if name in REF_LIKE:
            positional = [p.value for p in node.params if not p.showkey]
            return self.layout.cite(self._reference(positional[0])) if positional else ""
        params = {str(p.name).strip().lower(): self.inline(p.value).strip() for p in node.params if p.showkey}
        args = [self.inline(p.value).strip() for p in node.params if not p.showkey]
        return render_template(name, params, args)


def _bare(url: str) -> dict[str, Any]:
    return {"url": url, "title": None, "publisher": site_of(url), "date": None}
