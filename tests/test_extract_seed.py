"""The seed article's 17 facts come out with the right type, actors, attributes, dates and evidence.

Reads ../shared in place (the seed and its gold); skips with a reason when it is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dyad import extract_file

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seed" / "belgium-syria-relations.txt"
GOLD = SHARED / "eval" / "dev" / "belgium-syria-relations.gold.json"

pytestmark = pytest.mark.skipif(
    not SEED.exists() or not GOLD.exists(),
    reason="../shared (seed article and gold) is not beside the project",
)

KEY_ATTRS = {
    "mission": ("kind", "city"),
    "envoy": ("rank",),
    "statement": ("stance",),
    "aid": ("kind",),
    "migration": ("kind",),
    "security": ("kind",),
    "relations": ("status",),
}


def key(f: dict) -> tuple:
    attrs = f.get("attrs") or {}
    return (f["type"], f["actor"], f["target"], *(attrs.get(k) for k in KEY_ATTRS.get(f["type"], ())))


@pytest.fixture(scope="module")
def seed():
    doc = extract_file(SEED).to_json()
    text = SEED.read_bytes().decode("utf-8")
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    return doc, text, gold


def _match(gold_fact: dict, facts: list[dict], text: str) -> dict | None:
    spans = [(text.find(q), text.find(q) + len(q)) for q in gold_fact["quotes"]]
    for f in facts:
        if key(f) != key(gold_fact):
            continue
        if any(e["start"] < b and a < e["end"] for e in f["evidence"] for a, b in spans):
            return f
    return None


def test_extract_seed_parties_and_links(seed):
    doc, _, gold = seed
    assert doc["parties"] == ["BEL", "SYR"]
    assert doc["links"] == gold["links"]
    assert doc["source"]["title"] == "Belgium–Syria relations"


def test_extract_seed_every_gold_fact_found_with_its_time(seed):
    doc, text, gold = seed
    missing, mistimed = [], []
    for g in gold["facts"]:
        f = _match(g, doc["facts"], text)
        if f is None:
            missing.append(key(g))
            continue
        if (f.get("start"), f.get("end"), f.get("date")) != (g.get("start"), g.get("end"), g.get("date")):
            mistimed.append((key(g), (f.get("start"), f.get("end"), f.get("date"))))
    assert missing == []
    assert len(mistimed) <= 2, mistimed


def test_extract_seed_precision(seed):
    doc, text, gold = seed
    matched = sum(1 for g in gold["facts"] if _match(g, doc["facts"], text))
    assert matched / len(doc["facts"]) >= 0.85, [key(f) for f in doc["facts"]]


def test_extract_seed_evidence_is_exact(seed):
    doc, text, _ = seed
    for f in doc["facts"]:
        assert f["evidence"], f
        for e in f["evidence"]:
            assert text[e["start"] : e["end"]] == e["quote"]


def test_extract_seed_details(seed):
    doc, text, gold = seed
    by_key = {key(f): f for f in doc["facts"]}
    envoy = by_key[("envoy", "BEL", "SYR", "charge-d-affaires")]
    assert envoy["attrs"] == {
        "person": "M.R. Taymans",
        "rank": "charge-d-affaires",
        "residence": "Beirut",
        "action": "appointed",
    }
    assert envoy["start"] == "1946-03-20"
    embassy = by_key[("mission", "BEL", "SYR", "embassy", "Damascus")]
    assert embassy["end"] == "2012"
    assert [e["section"] for e in embassy["evidence"]] == [
        "Infobox",
        "Historical background",
        "Impact of the Syrian Civil War",
    ]
    relations = by_key[("relations", "BEL", "SYR", "established")]
    assert relations["start"] == "1946-03-20"
    assert [e["quote"][:40] for e in relations["evidence"]] == [
        "Belgium–Syria relations were established",
        "While formal diplomatic relations have e",
        "Diplomatic relations between Belgium and",
    ]
    trade = [f for f in doc["facts"] if f["type"] == "trade" and f["actor"] == "SYR"]
    assert trade[0]["attrs"]["goods"] == ["textiles", "agricultural products", "phosphates"]
    assert trade[0]["attrs"]["hs_sections"] == ["XI", "II", "V"]
    aid = by_key[("aid", "BEL", "SYR", "humanitarian")]
    assert aid["attrs"]["channels"] == ["UN", "ICRC"]
    sanctions = [f for f in doc["facts"] if f["type"] == "sanctions" and f["actor"] == "BEL"]
    assert sanctions[0]["attrs"] == {
        "action": "imposed",
        "scope": ["officials", "businesses", "government institutions"],
        "via": "EU",
    }
