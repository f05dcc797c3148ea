"""Tests of the reader registry and the wikitext and page readers, on small inputs written for them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dyad.cli import main
from dyad.pipeline import extract_file, extract_items
from dyad.read.formats import Reader, detect, read_head, read_input, register
from dyad.read.wikitext import read_wikitext

WIKITEXT = """{{Short description|Bilateral relations}}
{{Use mdy dates|date=December 2022}}
{{Infobox bilateral relations|Latvia–Mexico|Latvia|Mexico|filetype=svg
| mission1 = [[Embassy of Latvia, Mexico City]]
| envoytitle2 = [[Ambassador of Mexico to Latvia|Ambassador]]
| envoy2 = Jorge Ruiz
}}
[[File:Flags.jpg|thumb|Two flags]]
'''Latvia–Mexico relations''' are the relations between [[Latvia]] and {{flag|Mexico}}.<ref name="mfa">\
{{cite web |url=https://example.org/mfa |title=Bilateral ties |publisher=Ministry of Foreign Affairs \
|date=2015-06-01 |access-date=March 3, 2021}}</ref>

== History ==
The two countries established diplomatic relations on {{start date|1992|5|9}}.<ref name="mfa" /> \
{{lang|es|Relaciones}} grew {{nowrap|after 2000}}.{{Citation needed|date=May 2020}}
* In 2005, Mexico opened an honorary consulate in [[Riga]].<ref>[https://news.example.com/riga Consulate opens]</ref>

== References ==
{{Reflist}}
[[Category:Bilateral relations of Latvia]]
"""

TEXT = """= Latvia–Mexico relations =

Infobox
- Party1: Latvia
- Party2: Mexico
- Filetype: svg
- Mission1: Embassy of Latvia, Mexico City
- Envoytitle2: Ambassador
- Envoy2: Jorge Ruiz

Latvia–Mexico relations are the relations between Latvia and Mexico.

== History ==

The two countries established diplomatic relations on May 9, 1992. Relaciones grew after 2000.
- In 2005, Mexico opened an honorary consulate in Riga.
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_wikitext_renders_as_plain_text_with_infobox_fields():
    article = read_wikitext(WIKITEXT, "lm.wiki")
    assert article.text == TEXT
    assert article.format == "wikitext"
    assert article.field("Envoy2").value == "Jorge Ruiz"
    assert [(article.text[x.start : x.end], x.target) for x in article.links][:3] == [
        ("Embassy of Latvia, Mexico City", "Embassy of Latvia, Mexico City"),
        ("Ambassador", "Ambassador of Mexico to Latvia"),
        ("Latvia", "Latvia"),
    ]


def test_wikitext_refs_named_and_reused_cite_the_words_before_them():
    article = read_wikitext(WIKITEXT, "lm.wiki")
    assert article.references == (
        {"url": "https://example.org/mfa", "title": "Bilateral ties", "publisher": "Ministry of Foreign Affairs",
         "date": "2015-06-01"},
        {"url": "https://news.example.com/riga", "title": "Consulate opens", "publisher": "news.example.com",
         "date": None},
    )  # fmt: skip
    cited = [(article.text[c.start : c.end], c.ref) for c in article.citations]
    assert cited == [
        ("Latvia–Mexico relations are the relations between Latvia and Mexico.", 0),
        ("The two countries established diplomatic relations on May 9, 1992.", 0),
        ("In 2005, Mexico opened an honorary consulate in Riga.", 1),
    ]


def test_wikitext_facts_carry_refs_and_no_citation_dates(tmp_path):
    doc = extract_file(write(tmp_path / "lm.wiki", WIKITEXT))
    assert doc.source.format == "wikitext"
    assert doc.parties == ("LVA", "MEX")
    [relations] = [f for f in doc.facts if f.type == "relations"]
    assert (relations.start, relations.evidence[0].ref["publisher"]) == (
        "1992-05-09",
        "Ministry of Foreign Affairs",
    )
    dates = sorted({d for f in doc.facts for d in (f.start, f.end, f.date) if d})
    assert dates == ["1992-05-09", "2005"]  # nothing from Use mdy dates, the citation or its access-date
    for f in doc.facts:
        for e in f.evidence:
            assert e.quote == TEXT[e.start : e.end]


def test_wikitext_edit_page_copy_reads_the_text_box(tmp_path):
    copy = "Jump to content\nMain menu\nSearch\nEditing\nLatvia–Mexico relations\nRead\nEdit\n" + WIKITEXT
    copy += "Summary:\nBy publishing changes, you agree to the Terms of Use.\nPublish changes\n"
    path = write(tmp_path / "edit.txt", copy)
    [item] = read_input(str(path))
    assert item.article.format == "wikitext"
    assert item.article.text == TEXT


def test_wikitext_diff_copy_reads_the_newer_side(tmp_path):
    diff = (
        "Latvia–Mexico relations: Difference between revisions\n\nFrom Wikipedia, the free encyclopedia\n"
        "Content deleted Content added\nLine 1: Line 1:\n"
        "{{Infobox bilateral relations|Latvia–Mexico|Latvia|Mexico}}\n"
        "{{Infobox bilateral relations|Latvia–Mexico|Latvia|Mexico}}\n"
        "'''Latvia–Mexico relations''' are old.\n"
        "'''Latvia–Mexico relations''' are the relations between [[Latvia]] and [[Mexico]].\n"
    )
    [item] = read_input(str(write(tmp_path / "diff.txt", diff)))
    assert item.article.publisher == "Wikipedia"
    assert item.article.text == (
        "= Latvia–Mexico relations =\n\nInfobox\n- Party1: Latvia\n- Party2: Mexico\n\n"
        "Latvia–Mexico relations are the relations between Latvia and Mexico.\n"
    )


def test_wikitext_cut_short_is_read_unbalanced_markup_is_an_error(tmp_path):
    cut = write(
        tmp_path / "cut.wiki", WIKITEXT.split("== History")[0].rstrip() + " More.<ref>{{cite web|url=htt"
    )
    assert extract_file(cut).parties == ("LVA", "MEX")
    broken = write(
        tmp_path / "broken.wiki",
        "Latvia–Mexico relations\n\n{{Infobox bilateral relations|x\n\n'''Latvia''' and [[Mexico]].\n\nMore.",
    )
    [got] = list(extract_items(str(broken)))
    assert str(got.error) == (
        f"{broken}: unbalanced markup: '{{{{' on line 3 is never closed or never opened; fix the wikitext"
    )


PAGE = """Jump to content
Main menu
Search
Latvia–Mexico relations
3 languages
Article
Talk
From Wikipedia, the free encyclopedia
Latvia–Mexico relations
Map indicating locations of Latvia and Mexico
Diplomatic mission
Embassy of Latvia, Mexico City\tEmbassy of Mexico, Stockholm

Latvia–Mexico relations are the bilateral relations between Latvia and Mexico.[1]

History[edit]

The two countries established diplomatic relations on 9 May 1992.[2] Trade grew after 2000.

References[edit]

  1. ^ "Relations with Latvia". Ministry of Foreign Affairs. Retrieved 5 June 2020.
  2. ^ Smith, Ann (2 March 2012). "Ties agreed". Reuters.

Retrieved from "https://en.wikipedia.org/w/index.php?title=Latvia–Mexico_relations"
Categories: Bilateral relations of Latvia
"""


def test_page_text_copy_drops_chrome_reads_infobox_and_footnotes(tmp_path):
    [item] = read_input(str(write(tmp_path / "page.txt", PAGE)))
    a = item.article
    assert (a.format, a.title, a.publisher) == ("page", "Latvia–Mexico relations", "Wikipedia")
    assert a.text == (
        "= Latvia–Mexico relations =\n\nInfobox\n- Party1: Latvia\n- Party2: Mexico\n"
        "- Mission1: Embassy of Latvia, Mexico City\n- Mission2: Embassy of Mexico, Stockholm\n\n"
        "Latvia–Mexico relations are the bilateral relations between Latvia and Mexico.\n\n"
        "== History ==\n\nThe two countries established diplomatic relations on 9 May 1992. Trade grew after 2000.\n"
    )
    doc = extract_file(tmp_path / "page.txt")
    [relations] = [f for f in doc.facts if f.type == "relations"]
    assert relations.start == "1992-05-09"
    assert relations.evidence[0].ref == {"url": None, "title": "Ties agreed", "publisher": "Reuters",
                                         "date": "2012-03-02"}  # fmt: skip


HTML = """<!DOCTYPE html><html><head><title>Latvia–Mexico relations - Wikipedia</title>
<link rel="canonical" href="https://en.wikipedia.org/wiki/Latvia%E2%80%93Mexico_relations"></head><body>
<a class="mw-jump-link" href="#c">Jump to content</a><nav><ul><li>Main page</li><li>Random article</li></ul></nav>
<h1 id="firstHeading">Latvia–Mexico relations</h1><div id="siteSub">From Wikipedia, the free encyclopedia</div>
<div class="mw-parser-output"><table class="infobox"><tr><td colspan="2">Map indicating locations of Latvia and
Mexico</td></tr><tr><th colspan="2">Diplomatic mission</th></tr><tr><td>Embassy of Latvia, Mexico City</td>
<td>Embassy of Mexico, Stockholm</td></tr><tr><th colspan="2">Envoy</th></tr><tr><td>Ambassador<br>Anna Ozola</td>
<td>Ambassador<br>Jorge Ruiz</td></tr></table>
<p><b>Latvia–Mexico relations</b> are the bilateral relations between Latvia and Mexico. The two countries
established diplomatic relations on 9 May 1992.<sup class="reference"><a href="#cite_note-1">[1]</a></sup></p>
<h2>History<span class="mw-editsection">[edit]</span></h2>
<p>In 2005, Mexico opened an honorary consulate in Riga, and trade between the two grew in the years after.</p>
<h2>References</h2><ol class="references"><li id="cite_note-1"><a href="#cite_ref-1">^</a> <cite>
<a class="external" href="https://news.example.com/ties">"Ties agreed"</a>. <i>Reuters</i>. 2 March 2012.</cite></li></ol>
<div class="printfooter">Retrieved from "https://en.wikipedia.org/"</div></div>
<footer><li id="footer-info-lastmod">This page was last edited on 4 October 2024, at 10:00</li></footer></body></html>
"""


def test_page_html_main_text_infobox_and_references(tmp_path):
    doc = extract_file(write(tmp_path / "page.html", HTML))
    s = doc.source
    assert (s.format, s.title, s.publisher, s.published) == (
        "page",
        "Latvia–Mexico relations",
        "Wikipedia",
        "2024-10-04",
    )
    assert s.url == "https://en.wikipedia.org/wiki/Latvia%E2%80%93Mexico_relations"
    facts = {(f.type, f.actor, f.target, f.attrs.get("city"), f.attrs.get("person")) for f in doc.facts}
    assert ("mission", "LVA", "MEX", "Mexico City", None) in facts
    assert ("envoy", "MEX", "LVA", None, "Jorge Ruiz") in facts
    assert ("mission", "MEX", "LVA", "Riga", None) in facts
    [relations] = [f for f in doc.facts if f.type == "relations"]
    assert relations.evidence[0].ref == {"url": "https://news.example.com/ties", "title": "Ties agreed",
                                         "publisher": "Reuters", "date": "2012-03-02"}  # fmt: skip


def test_page_html_without_main_text_is_an_error(tmp_path):
    path = write(
        tmp_path / "empty.html",
        "<html><head><title>Nothing</title></head><body><nav>Menu</nav></body></html>",
    )
    [got] = list(extract_items(str(path)))
    assert (
        str(got.error)
        == f"{path}: no main text found in the HTML; save the page's text or its wikitext instead"
    )


def test_detection_by_content_and_forced_format(tmp_path):
    article = write(tmp_path / "a.wiki", "= Latvia–Mexico relations =\n\nThe '''two''' are [[friends]].\n")
    assert detect(read_head(str(article))).name == "article"
    wiki = write(tmp_path / "b.txt", WIKITEXT)
    assert detect(read_head(str(wiki))).name == "wikitext"
    assert detect(read_head(str(write(tmp_path / "c.txt", PAGE)))).name == "page"
    assert detect(read_head(str(write(tmp_path / "d.dat", HTML)))).name == "page"
    forced = extract_file(article, format="wikitext")
    assert forced.source.format == "wikitext"
    assert "'''" not in forced.source.title


def test_no_reader_scores_above_its_surest(tmp_path):
    """Detection skips a reader whose ``surest`` cannot beat the best score so far; that is right only
    if no sniff ever says more. Checked on every kind of input the tests and the eval texts hold."""
    from dyad.read.formats import READERS, format_names

    format_names()  # the built-in readers, registered
    shared = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
    files = [write(tmp_path / f"{n}.txt", t) for n, t in enumerate((WIKITEXT, TEXT, PAGE, HTML))]
    if shared.is_dir():
        files += sorted(p for p in shared.rglob("*") if p.is_file() and p.suffix != ".json")
    for path in files:
        head = read_head(str(path))
        for reader in READERS.values():
            assert reader.sniff(head) <= reader.surest, (reader.name, path.name)


def test_cli_format_in_and_unknown_format(tmp_path):
    plain = write(tmp_path / "notes.txt", "Shopping list\n\nEggs and bread.\n")
    result = CliRunner().invoke(main, ["extract", str(plain)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {plain}: unknown format: not an article (first line '= A–B relations ='), wikitext, a web page's "
        "text or HTML, a MediaWiki XML dump, a news story, JSON Lines of stories or a WARC file; force one with "
        "--format-in article|wikitext|page|dump|news|jsonl|warc\n"
    )
    result = CliRunner().invoke(main, ["extract", "--format-in", "page", str(plain)])
    assert result.exit_code == 0, result.stderr
    assert '"format": "page"' in result.stdout and '"title": "Shopping list"' in result.stdout


def test_cli_sources_show_prints_the_text_evidence_points_into(tmp_path):
    db = tmp_path / "kb.duckdb"
    wiki = write(tmp_path / "lm.wiki", WIKITEXT)
    assert CliRunner().invoke(main, ["ingest", "--db", str(db), str(wiki)]).exit_code == 0
    result = CliRunner().invoke(main, ["sources", "--db", str(db), "--show", "1"])
    assert result.stdout == TEXT
    missing = CliRunner().invoke(main, ["sources", "--db", str(db), "--show", "9"])
    assert (missing.exit_code, missing.stderr) == (
        1,
        "Error: no source with id 9; 'dyad sources' lists the ids\n",
    )


def test_register_adds_a_format_to_detection_and_format_in(tmp_path):
    def sniff(head):
        return 95 if head.text.startswith("STORY\n") else 0

    def parse(text, path):
        return read_wikitext("Latvia–Mexico relations\n\n" + text.removeprefix("STORY\n"), path)

    from dyad.read import formats

    before = dict(formats.READERS)
    try:
        register(Reader("story", sniff, parse=parse, label="a story"))
        path = write(tmp_path / "s.txt", "STORY\nLatvia and Mexico signed a treaty.\n")
        assert detect(read_head(str(path))).name == "story"
        assert "story" in formats.format_names()
    finally:
        formats.READERS.clear()
        formats.READERS.update(before)


@pytest.mark.parametrize("suffix", [".txt", ".wiki"])
def test_directory_takes_wikitext_files(tmp_path, suffix):
    write(tmp_path / f"lm{suffix}", WIKITEXT)
    result = CliRunner().invoke(main, ["extract", str(tmp_path)])
    assert result.exit_code == 0 and '"parties": ["LVA", "MEX"]' in result.stdout
