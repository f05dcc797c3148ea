"""Build MediaWiki XML dumps in the real export schema (0.11) from wikitext written for the tests."""

from __future__ import annotations

import bz2
import gzip
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

HEAD = """<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xsi:schemaLocation="http://www.mediawiki.org/xml/export-0.11/ http://www.mediawiki.org/xml/export-0.11.xsd" \
version="0.11" xml:lang="en">
  <siteinfo>
    <sitename>Wikipedia</sitename>
    <dbname>enwiki</dbname>
    <base>https://en.wikipedia.org/wiki/Main_Page</base>
    <generator>MediaWiki 1.44.0-wmf.5</generator>
    <case>first-letter</case>
    <namespaces>
      <namespace key="0" case="first-letter" />
      <namespace key="1" case="first-letter">Talk</namespace>
    </namespaces>
  </siteinfo>
"""
TAIL = "</mediawiki>\n"


def page(n: int, title: str, text: str, *, ns: int = 0, redirect: str | None = None) -> str:
    """One ``<page>`` element; page id ``n``, revision id ``1000 + n``, edited on day ``n`` of May 2024."""
    r = f"    <redirect title={quoteattr(redirect)} />\n" if redirect else ""
    return f"""  <page>
    <title>{escape(title)}</title>
    <ns>{ns}</ns>
    <id>{n}</id>
{r}    <revision>
      <id>{1000 + n}</id>
      <parentid>{999 + n}</parentid>
      <timestamp>2024-05-{n % 28 + 1:02d}T08:30:00Z</timestamp>
      <contributor>
        <username>Editor{n}</username>
        <id>{n}</id>
      </contributor>
      <comment>copyedit</comment>
      <origin>{1000 + n}</origin>
      <model>wikitext</model>
      <format>text/x-wiki</format>
      <text bytes="{len(text.encode())}" sha1="0" xml:space="preserve">{escape(text)}</text>
      <sha1>0</sha1>
    </revision>
  </page>
"""


def write_dump(path: Path, pages: list[str], *, multistream: bool = False) -> Path:
    """Write the dump as .xml, .xml.bz2 or .xml.gz by the path's suffix; multistream bzip2 puts the
    header, every page and the tail in streams of their own, as the real multistream dumps do."""
    if path.suffix == ".bz2" and multistream:
        parts = [HEAD, *pages, TAIL]
        path.write_bytes(b"".join(bz2.compress(p.encode("utf-8")) for p in parts))
        return path
    data = (HEAD + "".join(pages) + TAIL).encode("utf-8")
    if path.suffix == ".bz2":
        data = bz2.compress(data)
    elif path.suffix == ".gz":
        data = gzip.compress(data)
    path.write_bytes(data)
    return path
