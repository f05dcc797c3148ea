"""Every file of ../shared/eval/formats reads with the right parties, and where the same article is in
../shared/eval/dev, the two versions' facts agree on what both texts say (read in place; skipped when
../shared is absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dyad.model import actor_key
from dyad.pipeline import extract_items
from dyad.registry import TYPES

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
FORMATS = EVAL / "formats"
# The articles that are also in the dev set (the formats README names them).
BOTH = ("brazil-paraguay", "france-syria", "guyana-venezuela", "israel-turkey", "malaysia-singapore")
# Parties of the files with no gold of their own, as their titles name them.
PARTIES = {
    "australia-new-zealand": ["AUS", "NZL"],
    "bhutan-india": ["BTN", "IND"],
    "canada-united-states": ["CAN", "USA"],
    "holy-see-italy": ["VAT", "ITA"],
    "israel-morocco": ["ISR", "MAR"],
}


def _files() -> list[Path]:
    if not FORMATS.is_dir():
        return []
    return sorted(p for p in FORMATS.glob("*.txt") if p.name != "README.md")


def _read(path: Path):
    [got] = list(extract_items(str(path)))
    assert got.error is None, got.error
    return got


def _slug(path: Path) -> str:
    return path.name.split(".")[0].removesuffix("-relations")


@pytest.mark.skipif(not FORMATS.is_dir(), reason="../shared/eval/formats is not beside the project")
@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_formats_file_reads_with_the_right_parties(path):
    got = _read(path)
    gold = EVAL / "dev" / f"{_slug(path)}-relations.gold.json"
    expected = json.loads(gold.read_text())["parties"] if gold.exists() else PARTIES[_slug(path)]
    assert sorted(actor_key(p) for p in got.document.parties) == sorted(expected)
    assert got.document.source.format == ("wikitext" if ".wikitext." in path.name else "page")
    for fact in got.document.facts:
        for e in fact.evidence:
            assert e.quote == got.text[e.start : e.end]


def _key(fact) -> tuple:
    keys = tuple(str(fact.attrs.get(k)) for k in TYPES[fact.type].keys)
    return (fact.type, actor_key(fact.actor), actor_key(fact.target), keys, fact.start, fact.end, fact.date,
            fact.polarity)  # fmt: skip


@pytest.mark.skipif(not FORMATS.is_dir(), reason="../shared/eval/formats is not beside the project")
@pytest.mark.parametrize("slug", BOTH)
def test_formats_and_dev_versions_agree_where_the_texts_agree(slug):
    [other] = [p for p in _files() if _slug(p) == slug]
    dev = _read(EVAL / "dev" / f"{slug}-relations.txt")
    copy = _read(other)
    compared = 0
    for one, two in ((dev, copy), (copy, dev)):
        theirs = {_key(f) for f in two.document.facts}
        for fact in one.document.facts:
            # only what both texts say: a fact whose every quote stands word for word in the other text
            if all(e.quote in two.text for e in fact.evidence):
                compared += 1
                assert _key(fact) in theirs, (fact.evidence[0].quote, _key(fact))
    if slug in ("france-syria", "malaysia-singapore"):
        assert compared >= 6  # these two share sentences that state missions and memberships
