"""Load and validate the extraction lexicon (``data/rules/*.toml``).

Patterns are written in lower case and matched against the lower-cased text of a document (see
:func:`lowered`), which keeps the offsets of the original and is about twice as fast as matching
with ``re.IGNORECASE``.

The rules are data: word lists, code tables and regular expressions. :func:`load_rules` reads them
once, compiles every pattern, checks every table, and raises one :class:`RulesError` listing all the
problems it found, so a broken rule file never yields a half-working extractor.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ..errors import RulesError

MISSION_KINDS = (
    "embassy",
    "consulate-general",
    "consulate",
    "honorary-consulate",
    "legation",
    "representative-office",
    "interests-section",
    "non-resident",
)
ENVOY_RANKS = ("ambassador", "minister", "envoy", "charge-d-affaires", "high-commissioner", "nuncio", "other")
RELATION_STATUSES = ("established", "severed", "suspended", "restored", "none")
STANCES = ("condemn", "criticize", "support", "praise", "concern", "demand")
HS_SECTIONS = (
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
    "XVIII",
    "XIX",
    "XX",
    "XXI",
)


@dataclass(frozen=True, slots=True)
class MissionKind:
    words: tuple[str, ...]
    kind: str
    sender: str | None


@dataclass(frozen=True, slots=True)
class Rules:
    """The compiled lexicon."""

    version: int
    mission_kinds: tuple[MissionKind, ...]
    mission_re: re.Pattern[str]  # any mission word, longest first
    mission_word_kind: Mapping[str, MissionKind]
    mission_open: re.Pattern[str]
    mission_close: re.Pattern[str]
    mission_reopen: re.Pattern[str]
    mission_ignore: re.Pattern[str]
    envoy_rank: Mapping[str, str]
    envoy_re: re.Pattern[str]
    envoy_not: re.Pattern[str]
    goods_hs: Mapping[str, tuple[str, ...]]
    patterns: Mapping[str, re.Pattern[str]]  # "<section>.<key>" -> compiled pattern
    gates: Mapping[str, tuple[str, ...]]  # prose rule name -> the lower-case stems it starts from
    gate_re: re.Pattern[str]  # any gate stem at the start of a word, in lower-case text
    gate_names: Mapping[str, frozenset[str]]  # gate stem -> the rules it opens


def _words_re(words: list[str]) -> re.Pattern[str]:
    alts = sorted({w for w in words}, key=len, reverse=True)
    return re.compile(
        r"\b(?:" + "|".join(re.escape(w.lower()).replace(r"\ ", r"[\s\u00a0]+") for w in alts) + r")\b"
    )


class _Checker:
    """Collects every problem in the lexicon instead of stopping at the first."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[str] = []

    def pattern(self, where: str, value: Any) -> re.Pattern[str]:
        if not isinstance(value, str) or not value:
            self.problems.append(f"{where}: expected a regular expression string")
            return re.compile(r"(?!)")
        try:
            if value != value.lower() and re.search(r"(?<!\\)[A-Z]", re.sub(r"\\[A-Za-z]", "", value)):
                self.problems.append(f"{where}: patterns read lower-cased text; write them in lower case")
            return re.compile(value)
        except re.error as e:
            self.problems.append(f"{where}: bad regular expression ({e})")
            return re.compile(r"(?!)")

    def one_of(self, where: str, value: Any, allowed: tuple[str, ...]) -> None:
        if value not in allowed:
            self.problems.append(f"{where}: {value!r} is not one of {', '.join(allowed)}")

    def section(self, data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
        value = data.get(key)
        if not isinstance(value, Mapping):
            self.problems.append(f"[{key}]: missing section")
            return {}
        return value


def parse_rules(data: Mapping[str, Any], name: str = "lexicon.toml") -> Rules:
    """Validate and compile a parsed lexicon; raise RulesError listing every problem."""
    c = _Checker(name)
    kinds: list[MissionKind] = []
    for i, mk in enumerate(data.get("mission_kind") or []):
        c.one_of(f"mission_kind[{i}].kind", mk.get("kind"), MISSION_KINDS)
        words = mk.get("words") or []
        if not words or not all(isinstance(w, str) and w for w in words):
            c.problems.append(f"mission_kind[{i}].words: expected a list of words")
        kinds.append(MissionKind(tuple(w.lower() for w in words), mk.get("kind", ""), mk.get("sender")))
    word_kind = {w: mk for mk in kinds for w in mk.words}
    me = c.section(data, "mission_event")
    ranks = dict(c.section(data, "envoy_rank"))
    for title, rank in ranks.items():
        c.one_of(f"envoy_rank.{title!r}", rank, ENVOY_RANKS)
    envoy_not = list((c.section(data, "envoy_not")).get("words") or [])
    goods = {}
    for g, secs in (c.section(data, "goods_hs")).items():
        if not isinstance(secs, list) or not secs:
            c.problems.append(f"goods_hs.{g!r}: expected a list of HS section numerals")
            continue
        for s in secs:
            c.one_of(f"goods_hs.{g!r}", s, HS_SECTIONS)
        goods[g.lower()] = tuple(secs)

    patterns: dict[str, re.Pattern[str]] = {}
    for key, value in (c.section(data, "time")).items():
        patterns[f"time.{key}"] = c.pattern(f"time.{key}", value)
    for key in ("open", "close", "reopen", "ignore"):
        patterns[f"mission.{key}"] = c.pattern(f"mission_event.{key}", me.get(key))
    gates = {}
    for name, words in (c.section(data, "gates")).items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w == w.lower() and w for w in words):
            c.problems.append(f"gates.{name}: expected a list of lower-case words")
            continue
        gates[name] = tuple(words)
    if c.problems:
        raise RulesError(f"{name}: {len(c.problems)} problem(s): " + "; ".join(c.problems))
    return Rules(
        version=int(data.get("version", 0)),
        mission_kinds=tuple(kinds),
        mission_re=_words_re(list(word_kind)),
        mission_word_kind=word_kind,
        mission_open=patterns["mission.open"],
        mission_close=patterns["mission.close"],
        mission_reopen=patterns["mission.reopen"],
        mission_ignore=patterns["mission.ignore"],
        envoy_rank={k.lower(): v for k, v in ranks.items()},
        envoy_re=_words_re(list(ranks)),
        envoy_not=_words_re(envoy_not) if envoy_not else re.compile(r"(?!)"),
        goods_hs=goods,
        patterns=patterns,
        gates=gates,
        gate_re=_trie_re(sorted({w.split()[0] for words in gates.values() for w in words})),
        gate_names=_gate_names(gates),
    )


def _gate_names(gates: Mapping[str, tuple[str, ...]]) -> dict[str, frozenset[str]]:
    """Each gate stem (a phrase counts by its first word) and the rules it opens; a stem that starts
    with a shorter stem opens that one's rules too, since the pattern finds the longest."""
    names: dict[str, set[str]] = {}
    for name, words in gates.items():
        for w in words:
            names.setdefault(w.split()[0], set()).add(name)
    return {
        stem: frozenset(n for other, ns in names.items() if stem.startswith(other) for n in ns)
        for stem in names
    }


def _trie_re(words: list[str]) -> re.Pattern[str]:
    """One pattern for many word stems, shaped as a trie so each position is tried once."""

    def build(ws: list[str]) -> str:
        if not ws:
            return ""
        groups: dict[str, list[str]] = {}
        end = False
        for w in ws:
            if w:
                groups.setdefault(w[0], []).append(w[1:])
            else:
                end = True
        alts = [re.escape(ch) + build(rest) for ch, rest in sorted(groups.items())]
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if end else body

    return re.compile(r"\b(" + build(sorted(set(words))) + ")")


def lowered(text: str) -> str:
    """The text in lower case with every offset unchanged (the few letters whose lower case is longer
    than one character, such as 'İ', stay as they are)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


@functools.cache
def load_rules() -> Rules:
    """The project's lexicon, parsed and validated once per process."""
    text = resources.files("dyad.data.rules").joinpath("lexicon.toml").read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise RulesError(f"lexicon.toml: not valid TOML ({e})") from None
    return parse_rules(data)
