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
AID_KINDS = ("humanitarian", "development", "military")
MIGRATION_KINDS = ("refugees", "asylum-seekers", "migrants", "diaspora", "foreign-fighters")
SECURITY_KINDS = ("counterterrorism", "coalition", "military-operation", "arms", "defence-agreement")
AGREEMENT_KINDS = ("treaty", "agreement", "memorandum")


@dataclass(frozen=True, slots=True)
class MissionKind:
    words: tuple[str, ...]
    kind: str
    sender: str | None


@dataclass(frozen=True, slots=True)
class RelationsRule:
    id: str
    status: str
    trigger: re.Pattern[str]
    object: re.Pattern[str] | None
    window: int
    not_: re.Pattern[str] | None
    confidence: float
    words: tuple[str, ...] = ()  # cheap pre-check: one of these must occur in the sentence


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
    relations: tuple[RelationsRule, ...]
    statement_stances: Mapping[str, re.Pattern[str]]
    statement_not: re.Pattern[str]
    goods_hs: Mapping[str, tuple[str, ...]]
    patterns: Mapping[str, re.Pattern[str]]  # "<section>.<key>" -> compiled pattern
    kinds: Mapping[str, Mapping[str, re.Pattern[str]]]  # "<section>" -> kind -> pattern
    confidence: Mapping[str, float]  # rule id -> base confidence
    ids: Mapping[str, str]  # section -> rule id
    lists: Mapping[str, tuple[str, ...]]  # "<section>.<key>" -> word list
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

    def kinds(self, where: str, table: Any, allowed: tuple[str, ...]) -> dict[str, re.Pattern[str]]:
        out: dict[str, re.Pattern[str]] = {}
        if not isinstance(table, Mapping):
            self.problems.append(f"{where}: expected a table of kind = pattern")
            return out
        for kind, pat in table.items():
            self.one_of(f"{where}.{kind}", kind, allowed)
            out[kind] = self.pattern(f"{where}.{kind}", pat)
        return out


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
    relations = []
    for i, r in enumerate(data.get("relations") or []):
        where = f"relations[{i}]"
        c.one_of(f"{where}.status", r.get("status"), RELATION_STATUSES)
        relations.append(
            RelationsRule(
                id=str(r.get("id") or c.problems.append(f"{where}.id: missing") or ""),  # type: ignore[func-returns-value]
                status=r.get("status", ""),
                trigger=c.pattern(f"{where}.trigger", r.get("trigger")),
                object=c.pattern(f"{where}.object", r["object"]) if "object" in r else None,
                window=int(r.get("window", 60)),
                not_=c.pattern(f"{where}.not", r["not"]) if "not" in r else None,
                confidence=float(r.get("confidence", 0.7)),
                words=tuple(r.get("words") or ()),
            )
        )
    st = (data.get("statement") or [{}])[0]
    stances = c.kinds("statement.stances", st.get("stances"), STANCES)
    goods = {}
    for g, secs in (c.section(data, "goods_hs")).items():
        if not isinstance(secs, list) or not secs:
            c.problems.append(f"goods_hs.{g!r}: expected a list of HS section numerals")
            continue
        for s in secs:
            c.one_of(f"goods_hs.{g!r}", s, HS_SECTIONS)
        goods[g.lower()] = tuple(secs)

    patterns: dict[str, re.Pattern[str]] = {}
    kind_tables: dict[str, dict[str, re.Pattern[str]]] = {}
    lists: dict[str, tuple[str, ...]] = {}
    conf: dict[str, float] = {r.id: r.confidence for r in relations}
    ids: dict[str, str] = {"statement": st.get("id", "statement.verb@1")}
    conf[ids["statement"]] = float(st.get("confidence", 0.7))
    allowed_kinds = {
        "aid": AID_KINDS,
        "migration": MIGRATION_KINDS,
        "security": SECURITY_KINDS,
        "agreement": AGREEMENT_KINDS,
        "trade.trends": ("growing", "declining", "stable"),
    }
    for sec in (
        "sanctions",
        "aid",
        "migration",
        "trade",
        "security",
        "membership",
        "agreement",
        "visit",
        "time",
    ):
        table = c.section(data, sec)
        if sec != "time":
            if not isinstance(table.get("id"), str) or "@" not in table.get("id", ""):
                c.problems.append(f"[{sec}].id: expected a versioned id such as '{sec}.rule@1'")
            ids[sec] = table.get("id", f"{sec}@0")
            conf[ids[sec]] = float(table.get("confidence", 0.6))
        for key, value in table.items():
            if key in ("id", "confidence"):
                continue
            if key in ("kinds", "trends"):
                name = sec if key == "kinds" else f"{sec}.{key}"
                kind_tables[name] = c.kinds(f"{sec}.{key}", value, allowed_kinds.get(name, ()))
            elif isinstance(value, list):
                lists[f"{sec}.{key}"] = tuple(str(v).lower() for v in value)
            else:
                patterns[f"{sec}.{key}"] = c.pattern(f"{sec}.{key}", value)
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
        relations=tuple(relations),
        statement_stances=stances,
        statement_not=c.pattern("statement.not_object", st.get("not_object")),
        goods_hs=goods,
        patterns=patterns,
        kinds=kind_tables,
        confidence=conf,
        ids=ids,
        lists=lists,
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
