"""Tests for dyad.read.article and dyad.read.sentences: structure, cleaning, sentences, offsets, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyad.errors import InputError
from dyad.pipeline import extract_text
from dyad.read.article import MAX_BYTES, Article, Block, read_article, read_text
from dyad.read.sentences import sentence_spans

SHARED = Path(__file__).resolve().parents[2] / "shared"  # read in place, never copied


def assert_offsets(article: Article) -> None:
    """Check that every span indexes ``article.text`` exactly and is stripped."""
    text = article.text
    assert text[article.title_start : article.title_end] == article.title
    for f in article.infobox:
        raw = text[f.start : f.end]
        assert raw and raw == raw.strip()
        assert raw[0] == f.value[0] and raw[-1] == f.value[-1]
        if f.person is not None:
            assert " ".join(text[f.person_start : f.person_end].split()) == f.person
    for section in article.sections:
        assert text[section.start : section.end] == section.title
    for block in article.blocks:
        assert text[block.start : block.end] == block.text
        assert block.text and block.text == block.text.strip()
        assert block.sentences
        for sentence in block.sentences + block.cells:
            assert text[sentence.start : sentence.end] == sentence.text
            assert sentence.text and sentence.text == sentence.text.strip()
            assert block.start <= sentence.start < sentence.end <= block.end
        if block.kind != "row":
            assert block.sentences[0].start == block.start and block.sentences[-1].end == block.end
            for before, after in zip(block.sentences, block.sentences[1:], strict=False):
                assert text[before.end : after.start].isspace()
    for entry in article.see_also:
        assert text[entry.start : entry.end] == entry.text
    starts = [b.start for b in article.blocks]
    assert starts == sorted(starts)


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text, 0, len(text))]


# --- title, infobox --------------------------------------------------------------------------------


def test_read_title() -> None:
    article = read_text("\n= Belgium–Syria relations =\n\nBelgium and Syria trade.\n", path="a.txt")
    assert article.title == "Belgium–Syria relations"
    assert (article.title_start, article.title_end) == (3, 26)
    assert article.path == "a.txt"
    assert_offsets(article)


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n", "Belgium and Syria trade.\n", "== History ==\nText.\n", "=  =\nText.\n"],
)
def test_read_title_missing_raises(text: str) -> None:
    with pytest.raises(InputError) as caught:
        read_text(text, path="a.txt")
    assert str(caught.value) == "a.txt: no title line: the first line must read '= A–B relations ='"


INFOBOX = """= A–B relations =

Infobox
- Title: A–B relations
- Mission1: Belgian Embassy, Damascus,
- Mission2: Embassy of X,, Lima
- Envoytitle1: , Ambassador
- Party1: |Pakistan|China
- Party2: | , |
- Map:   A   B  locator.png\t
- Filetype:

Lead text.
"""


@pytest.mark.parametrize(
    ("key", "value", "raw"),
    [
        ("Title", "A–B relations", "A–B relations"),
        ("Mission1", "Belgian Embassy, Damascus", "Belgian Embassy, Damascus"),
        ("Mission2", "Embassy of X, Lima", "Embassy of X,, Lima"),
        ("Envoytitle1", "Ambassador", "Ambassador"),
        ("Party1", "Pakistan, China", "Pakistan|China"),
        ("Map", "A B locator.png", "A   B  locator.png"),
    ],
)
def test_read_infobox_cleaning(key: str, value: str, raw: str) -> None:
    article = read_text(INFOBOX)
    field = article.field(key)
    assert field is not None
    assert field.value == value
    assert article.text[field.start : field.end] == raw
    assert field.person is None


def test_read_infobox_drops_empty_values_and_keeps_order() -> None:
    article = read_text(INFOBOX)
    assert [f.key for f in article.infobox] == [
        "Title",
        "Mission1",
        "Mission2",
        "Envoytitle1",
        "Party1",
        "Map",
    ]
    assert article.field("Party2") is None and article.field("Filetype") is None
    assert [b.text for b in article.blocks] == ["Lead text."]
    assert_offsets(article)


def test_read_infobox_ends_at_first_line_that_is_not_a_field() -> None:
    article = read_text("= A–B relations =\nInfobox\n- Party1: A\nA and B are neighbours.\n")
    assert [f.key for f in article.infobox] == ["Party1"]
    assert [(b.kind, b.section, b.text) for b in article.blocks] == [
        ("paragraph", "Lead", "A and B are neighbours.")
    ]


def test_read_field_lookup() -> None:
    article = read_text(
        "= A–B relations =\nInfobox\n- Mission1: X\n- Mission2: Y\n- Envoytitle1: Ambassador\n"
        "- Envoy1: Jane Roe\n- Envoy2: John Doe\n"
    )
    assert article.field("mission2").value == "Y"
    assert article.field("Nope") is None
    assert [f.value for f in article.fields("Mission")] == ["X", "Y"]
    assert [f.value for f in article.fields("envoy")] == ["Jane Roe", "John Doe"]


@pytest.mark.parametrize(
    ("raw", "value", "person"),
    [
        ("Ambassador Irit Lillian", "Ambassador", "Irit Lillian"),
        ("Ambassador Şakir Özkan Torunlar", "Ambassador", "Şakir Özkan Torunlar"),
        ("Chargé d'Affaires a.i. Jan van der Berg", "Chargé d'Affaires a.i.", "Jan van der Berg"),
        ("Head of Mission Ana Díaz,", "Head of Mission", "Ana Díaz"),
        ("Indian Ambassador to Japan", "Indian Ambassador to Japan", None),
        ("Malaysian High Commissioner to Singapore", "Malaysian High Commissioner to Singapore", None),
        ("Apostolic Nuncio", "Apostolic Nuncio", None),
        ("Minister Counsellor", "Minister Counsellor", None),
        ("Chargé d'Affaires", "Chargé d'Affaires", None),
        ("Ambassador,", "Ambassador", None),
        ("Ambassador Japan", "Ambassador Japan", None),
        ("Ambassador of Peru", "Ambassador of Peru", None),
    ],
)
def test_read_envoy_title_person_split(raw: str, value: str, person: str | None) -> None:
    article = read_text(f"= A–B relations =\nInfobox\n- Envoytitle2: {raw}\n")
    (field,) = article.infobox
    assert (field.value, field.person) == (value, person)
    assert article.text[field.start : field.end] == value
    if person is not None:
        assert article.text[field.person_start : field.person_end] == person
    assert_offsets(article)


def test_read_person_split_only_in_envoy_title_lines() -> None:
    article = read_text("= A–B relations =\nInfobox\n- Mission1: Ambassador Irit Lillian\n")
    assert article.infobox[0].person is None
    assert article.infobox[0].value == "Ambassador Irit Lillian"


# --- lead, headings, lists, tables, See also ---------------------------------------------------------


def test_read_lead_without_infobox() -> None:
    article = read_text(
        "= A–B relations =\nFirst paragraph.\nSame paragraph.\n\n\nSecond one.\n== History ==\nOld."
    )
    lead = [b for b in article.blocks if b.section == "Lead"]
    assert [(b.kind, b.path, b.text) for b in lead] == [
        ("paragraph", (), "First paragraph.\nSame paragraph."),
        ("paragraph", (), "Second one."),
    ]
    assert [s.text for s in lead[0].sentences] == ["First paragraph.", "Same paragraph."]


HEADINGS = """= A–B relations =

Lead.

==History==
Right under.
=== Early years ===
====Treaties====

Deep text.
== Economy ==
=== Trade ===
Trade text.
"""


def test_read_headings_each_style_and_depth() -> None:
    article = read_text(HEADINGS)
    assert [(s.title, s.level) for s in article.sections] == [
        ("History", 2),
        ("Early years", 3),
        ("Treaties", 4),
        ("Economy", 2),
        ("Trade", 3),
    ]
    assert [(b.text, b.section, b.path) for b in article.blocks] == [
        ("Lead.", "Lead", ()),
        ("Right under.", "History", ("History",)),
        ("Deep text.", "Treaties", ("History", "Early years", "Treaties")),
        ("Trade text.", "Trade", ("Economy", "Trade")),
    ]
    assert_offsets(article)


def test_read_list_items() -> None:
    article = read_text(
        "= A–B relations =\n== Treaties ==\nSigned:\n- 1946 treaty. It held.\n*\tTrade pact\n-\n"
    )
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("paragraph", "Signed:"),
        ("item", "1946 treaty. It held."),
        ("item", "Trade pact"),
    ]
    assert [s.text for s in article.blocks[1].sentences] == ["1946 treaty.", "It held."]
    assert_offsets(article)


def test_read_table_rows() -> None:
    text = (
        "= A–B relations =\n== Comparison ==\n| Flag | | |\n|---|---|---|\n"
        "| Area | 330,803 km2 | 719.1 km2 |\n| Ethnic | 74.3% Chinese, 3."
    )
    article = read_text(text)
    rows = [b for b in article.blocks if b.kind == "row"]
    assert [[c.text for c in row.cells] for row in rows] == [
        ["Flag"],
        ["Area", "330,803 km2", "719.1 km2"],
        ["Ethnic", "74.3% Chinese, 3."],
    ]
    assert rows[1].text == "| Area | 330,803 km2 | 719.1 km2 |"
    assert rows[1].sentences == rows[1].cells
    assert_offsets(article)


def test_read_see_also_not_in_blocks() -> None:
    article = read_text(
        "= A–B relations =\nText.\n\n== See also ==\n- Foreign relations of A\n- A–C relations\n"
    )
    assert [e.text for e in article.see_also] == ["Foreign relations of A", "A–C relations"]
    assert [b.text for b in article.blocks] == ["Text."]
    assert [s.title for s in article.sections] == ["See also"]
    assert_offsets(article)


# --- sentences ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It began. Trade grew! Why? 1990 came.", ["It began.", "Trade grew!", "Why?", "1990 came."]),
        ('He said "Go." Then he left.', ['He said "Go."', "Then he left."]),
        ("It rained (a lot.) Later it stopped.", ["It rained (a lot.)", "Later it stopped."]),
        ("It began. “Peace” followed.", ["It began.", "“Peace” followed."]),
        ("It began. then it went on.", ["It began. then it went on."]),
        ("M.R. Taymans was appointed.", ["M.R. Taymans was appointed."]),
        ("Envoy J. Douglas Dykhouse and Henry A.P. Muhlenberg met.", None),
        ("The U.S. Embassy and the U.N. Council met.", None),
        ("Mr. Smith, Dr. Jones, St. Paul, Gen. Lee and Lt. Ross met on Jan. 5 and Feb. 6.", None),
        ("See No. 5, c. 1900, ca. 1850, e.g. Paris, i.e. Rome, A vs. B.", None),
        ("Washington, D.C. The embassy opened.", ["Washington, D.C.", "The embassy opened."]),
        (
            "They moved to the U.S. In 1990 they returned.",
            ["They moved to the U.S.", "In 1990 they returned."],
        ),
        ("Cloth, dye, etc. The trade grew.", ["Cloth, dye, etc.", "The trade grew."]),
        ("He said no. Then he left.", ["He said no.", "Then he left."]),
        (
            "It was signed in 1946. Relations cooled after",
            ["It was signed in 1946.", "Relations cooled after"],
        ),
        (
            "As of , Palau is  small . King Zahir Shah () came.",
            ["As of , Palau is  small .", "King Zahir Shah () came."],
        ),
        ("It ended in Washington, D.C.\nThe embassy", ["It ended in Washington, D.C.", "The embassy"]),
        ("A line ending\nin the middle.", ["A line ending\nin the middle."]),
        ("It closed.\r\nIt opened.", ["It closed.", "It opened."]),
    ],
)
def test_read_sentences(text: str, expected: list[str] | None) -> None:
    assert sentences(text) == (expected or [text])


def test_read_sentences_partial_last_sentence_kept() -> None:
    article = read_text("= A–B relations =\nIt began in 1946. In Ju")
    assert [s.text for s in article.blocks[0].sentences] == ["It began in 1946.", "In Ju"]


# --- offsets -----------------------------------------------------------------------------------------


def test_read_offsets_with_crlf_bom_tabs_and_trailing_whitespace() -> None:
    text = (
        "\ufeff= A–B relations =\r\nInfobox\r\n- Mission1:\tEmbassy of A,  B ,\r\n\r\n"
        "\tLead one.  Lead two. \t\r\n\r\n== History ==\r\nOld ties.\r\n- Item.\r\n| x | y |\r\n\r\n"
        "==See also==\r\n- Foreign relations of A \r\n"
    )
    article = read_text(text)
    assert article.text == text
    assert article.title == "A–B relations"
    assert article.infobox[0].value == "Embassy of A, B"
    assert [b.text for b in article.blocks] == ["Lead one.  Lead two.", "Old ties.", "Item.", "| x | y |"]
    assert [e.text for e in article.see_also] == ["Foreign relations of A"]
    assert_offsets(article)


def test_read_blocks_are_frozen() -> None:
    block = read_text("= A–B relations =\nText.").blocks[0]
    assert isinstance(block, Block)
    with pytest.raises(AttributeError):
        block.text = "changed"  # type: ignore[misc]


# --- bad input ---------------------------------------------------------------------------------------


def problem_of(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read_article(path)
    assert caught.value.path == str(path)
    assert str(caught.value) == f"{path}: {caught.value.problem}"
    return caught.value.problem


def test_read_article_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("= A–B relations =\nCafé talks.\n".encode())
    article = read_article(str(path))
    assert article.path == str(path)
    assert article.blocks[0].text == "Café talks."
    assert read_article(path).text == article.text


def test_read_article_missing_file(tmp_path: Path) -> None:
    assert problem_of(tmp_path / "nope.txt") == "no such file"


def test_read_article_directory(tmp_path: Path) -> None:
    assert problem_of(tmp_path) == "is a directory"


@pytest.mark.parametrize("content", [b"", b"  \n\r\n\t", b"\xef\xbb\xbf \n"])
def test_read_article_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(content)
    assert problem_of(path) == "empty file: nothing to read"


def test_read_article_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: nothing is written, and nothing must be read
    assert MAX_BYTES == 20 * 1024 * 1024
    assert problem_of(path) == (
        "too large: 52,428,800 bytes, over the limit of 20 MB (20,971,520 bytes); split it into smaller files"
    )


@pytest.mark.parametrize(
    "content",
    [b"= A-B relations =\n\x00\x01", bytes(range(1, 9)) * 100 + b"= A-B relations =\n"],
)
def test_read_article_binary(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "a.bin"
    path.write_bytes(content)
    assert problem_of(path) == "binary file, not an article"


def test_read_article_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"= A-B relations =\nCaf\xe9 talks.\n")
    assert problem_of(path) == "not UTF-8 text (byte 0xE9 at offset 21); convert it to UTF-8"


def test_read_article_utf16(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("= A-B relations =\n".encode("utf-16"))
    assert problem_of(path) == "not UTF-8 text (a UTF-16 byte-order mark); convert it to UTF-8"


def test_read_article_no_title(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Belgium and Syria trade.\n", encoding="utf-8")
    assert problem_of(path) == "no title line: the first line must read '= A–B relations ='"


# --- real articles -----------------------------------------------------------------------------------


def test_read_real_articles() -> None:
    paths = sorted((SHARED / "eval" / "dev").glob("*.txt")) + sorted((SHARED / "seed").glob("*.txt"))
    if not paths:
        pytest.skip(f"no shared articles at {SHARED}")
    for path in paths:
        article = read_article(path)
        assert article.title.endswith("relations"), path
        assert article.blocks, path
        assert_offsets(article)


def test_a_run_without_ends_is_cut_into_bounded_pieces():
    from dyad.read.sentences import MAX_SENTENCE

    text = "Belgium embassy Damascus, " * 2000 + "and so on"
    spans = sentence_spans(text, 0, len(text))
    assert len(spans) > 1
    assert all(0 < e - s <= MAX_SENTENCE for s, e in spans)
    # the pieces cover the run, stripped, with only whitespace between them
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    for (_, e), (s, _) in zip(spans, spans[1:], strict=False):
        assert text[e:s].isspace() or e == s
    assert all(not text[s].isspace() and not text[e - 1].isspace() for s, e in spans)


def test_a_phrase_said_thousands_of_times_is_one_fact_with_bounded_evidence():
    from dyad.extract.merge import MAX_EVIDENCE

    body = "Belgium embassy Damascus " * 4000
    doc = extract_text(f"= Belgium–Syria relations =\n\n{body}\n", "repeated.txt")
    missions = [f for f in doc.facts if f.type == "mission"]
    assert [(f.actor, f.target) for f in missions] == [("BEL", "SYR")]
    assert 1 < len(missions[0].evidence) <= MAX_EVIDENCE
