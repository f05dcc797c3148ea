"""Rule records (data/rules/rules.toml) and cues (cues.toml): validated when loaded, and every rule reads
the sentences written for it."""

from __future__ import annotations

import pytest

from dyad.errors import RulesError
from dyad.extract import extract_article
from dyad.extract.records import load_cues, load_records, parse_cues, parse_records
from dyad.read.article import read_text
from dyad.resolve.actors import Gazetteer

RULES = load_records()
GZ = Gazetteer.default()


def _title_for(sentence: str) -> str:
    """A relations-article title for a sentence: its first two states, else Belgium–Syria."""
    states: list[str] = []
    for m in GZ.find(sentence):
        if GZ.kind(m.code) != "organisation" and m.code not in states:
            states.append(m.code)
    if len(states) < 2:
        states = [s for s in states if s not in ("BEL", "SYR")]
        states = (states + ["BEL", "SYR"])[:2]
    return f"{GZ.name(states[0])}–{GZ.name(states[1])} relations"


def _facts(sentence: str, records=None):
    text = f"= {_title_for(sentence)} =\n\n{sentence}\n"
    return extract_article(read_text(text, "example.txt"), records=records).facts


@pytest.mark.parametrize(
    ("rule", "example"),
    [pytest.param(r, ex, id=f"{r.id}[{i}]") for r in RULES for i, ex in enumerate(r.examples)],
)
def test_rules_every_example_is_read_by_its_rule(rule, example):
    found = [f for f in _facts(example, (rule,)) if f.rule == rule.id and f.type == rule.type]
    assert found, f"{rule.id} read nothing in {example!r}"
    assert any(all(f.attrs.get(k) == v for k, v in rule.set.items()) for f in found)


def test_rules_ids_are_unique_and_versioned():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert all("@" in i for i in ids)


def test_rules_every_problem_is_reported_with_its_place():
    bad = {
        "rule": [
            {"id": "x", "type": "treaty", "words": [], "trigger": "(", "confidence": 2, "examples": []},
            {
                "id": "relations.ok@1",
                "type": "relations",
                "set": {"status": "frozen"},
                "words": ["establish"],
                "trigger": "establish",
                "agent": ["nobody"],
                "confidence": 0.5,
                "examples": ["They signed a treaty."],
            },
        ]
    }
    with pytest.raises(RulesError) as e:
        parse_records(bad)
    msg = str(e.value)
    for part in (
        "rule[0] (x).id: String should match pattern",
        "rule[0] (x).type: Value error, unknown fact type 'treaty'",
        "rule[0] (x).words",
        "rule[0] (x).trigger: Value error, bad regular expression",
        "rule[0] (x).confidence",
        "rule[0] (x).examples",
        "rule[1] (relations.ok@1).agent.0",
    ):
        assert part in msg, part


def test_rules_set_values_and_examples_are_checked():
    bad = {
        "rule": [
            {
                "id": "relations.ok@1",
                "type": "relations",
                "set": {"status": "frozen"},
                "words": ["establish"],
                "trigger": "establish",
                "confidence": 0.5,
                "examples": ["They signed a treaty.", "They established ties."],
            }
        ]
    }
    with pytest.raises(RulesError) as e:
        parse_records(bad)
    msg = str(e.value)
    assert "rule[0] (relations.ok@1).set.status: status 'frozen' is not one of" in msg
    assert "examples[0]: none of the gate words ['establish'] occurs in it" in msg
    assert "examples[1]" not in msg


def test_rules_patterns_read_lower_case_text():
    bad = {"rule": [{"id": "a.b@1", "type": "visit", "words": ["v"], "trigger": "Visit", "confidence": 0.5,
                     "examples": ["v"]}]}  # fmt: skip
    with pytest.raises(RulesError, match="write them in lower case"):
        parse_records(bad)


def test_cues_load_and_report_problems():
    cues = load_cues()
    assert {c.polarity for c in cues.cues} == {"negated", "planned", "claimed", "past"}
    with pytest.raises(RulesError) as e:
        parse_cues(
            {"cue": [{"id": "n@1", "polarity": "maybe", "pattern": "x", "direction": "up", "window": 0}]}
        )
    msg = str(e.value)
    assert "cue[0].polarity" in msg and "cue[0].direction" in msg and "cue[0].window" in msg
    assert "terminators: expected a regular expression" in msg
