"""Rules and polarity cues as uniform records, validated when loaded (``data/rules/rules.toml``,
``data/rules/cues.toml``).

A rule record says: when ``trigger`` (a regular expression over lower-case text, found only in
sentences holding one of its gate ``words``) stands in a clause — with ``near`` within ``window`` words
of it when given, and ``unless`` nowhere in the clause — it states a fact of ``type`` with the
attributes ``set``; its actor fills the first of the ``agent`` roles found, its target the first of the
``target`` roles (see :mod:`dyad.extract.analysis` for the roles), and the named ``fill`` function adds
the type's own attributes (a city, a person, a treaty's name). ``examples`` are sentences written for
the rule that it must read (tests check them). Every record is validated with pydantic against the
fact registry; all problems are reported at once with where they are.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import RulesError
from ..registry import TYPES

__all__ = ["Cue", "CueSet", "Rule", "load_cues", "load_records", "parse_cues", "parse_records"]

#: The roles a rule may read (see dyad.extract.analysis): subject, object, modifier (a possessor or
#: adjective before a noun trigger), by (the agent of a passive), or the actor after a preposition.
ROLE_NAMES = (
    "subject",
    "object",
    "mod",
    "by",
    "with",
    "to",
    "on",
    "against",
    "between",
    "of",
    "from",
    "in",
    "into",
    "over",
    "toward",
    "towards",
    "for",
    "at",
    "among",
    "about",
    "regarding",
    "upon",
    "that",
)

#: Filler functions a rule may name; dyad.extract.fill registers them (checked at load time).
FILLERS = (
    "mission",
    "envoy",
    "statement",
    "agreement",
    "visit",
    "meeting",
    "trade",
    "aid",
    "migration",
    "sanctions",
    "membership",
    "conflict",
    "relations",
    "security",
)

_ID = r"^[a-z][a-z-]*\.[a-z0-9][a-z0-9.-]*@[0-9]+$"


def _pattern(value: str) -> str:
    try:
        re.compile(value)
    except re.error as e:
        raise ValueError(f"bad regular expression ({e})") from None
    if re.search(r"(?<!\\)[A-Z]", re.sub(r"\\[A-Za-z]|\(\?P<\w+>|\(\?<\w+>", "", value)):
        raise ValueError("patterns read lower-cased text; write them in lower case")
    return value


class _RuleModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID)
    type: str
    set: dict[str, str] = {}
    words: list[str] = Field(min_length=1)
    trigger: str
    near: str | None = None
    window: int = Field(default=6, ge=1, le=40)
    unless: str | None = None
    unless_before: str | None = None
    light: str | None = None
    head: Literal["verb", "noun"] = "verb"
    agent: list[Literal[ROLE_NAMES]] = []  # type: ignore[valid-type]
    target: list[Literal[ROLE_NAMES]] = []  # type: ignore[valid-type]
    fill: Literal[FILLERS] | None = None  # type: ignore[valid-type]
    polarity: Literal["negated", "planned", "claimed"] | None = None
    dated: bool = False
    complement: bool = False
    confidence: float = Field(ge=0.0, le=1.0)
    examples: list[str] = Field(min_length=1)

    @field_validator("type")
    @classmethod
    def _known_type(cls, v: str) -> str:
        if v not in TYPES:
            raise ValueError(f"unknown fact type {v!r}; the registry lists {', '.join(TYPES)}")
        return v

    @field_validator("trigger", "near", "unless", "unless_before", "light")
    @classmethod
    def _regex(cls, v: str | None) -> str | None:
        return None if v is None else _pattern(v)

    @field_validator("words")
    @classmethod
    def _lower_words(cls, v: list[str]) -> list[str]:
        for w in v:
            if not w or w != w.lower():
                raise ValueError(f"gate word {w!r} must be non-empty lower case")
        return v

    def check_set(self) -> list[str]:
        t = TYPES[self.type]
        problems = []
        for k, value in self.set.items():
            a = t.attr(k)
            if a is None:
                problems.append(f"set.{k}: a {self.type} fact has no attribute {k!r}")
            elif (p := a.check([value] if a.many else value)) is not None:
                problems.append(f"set.{k}: {p}")
        return problems


@dataclass(frozen=True, slots=True)
class Rule:
    """A compiled rule record (see the module docstring)."""

    id: str
    type: str
    set: Mapping[str, str]
    words: tuple[str, ...]
    trigger: re.Pattern[str]
    near: re.Pattern[str] | None
    window: int
    unless: re.Pattern[str] | None
    head: str
    agent: tuple[str, ...]
    target: tuple[str, ...]
    fill: str | None
    confidence: float
    examples: tuple[str, ...]
    polarity: str | None = None  # a polarity the pattern states itself ("uninterrupted relations")
    dated: bool = False  # only a clause with a date states it (a nominal event: "the normalization of …")
    complement: bool = False  # the trigger must govern a clause with its own verb ("claimed X did Y")
    unless_before: re.Pattern[str] | None = None  # matched against the words just before the trigger
    light: re.Pattern[str] | None = None  # for a noun: the verbs through which the subject acts on it


@dataclass(frozen=True, slots=True)
class Cue:
    """A polarity cue: a pattern, the polarity it gives, which way and how far it reaches."""

    id: str
    polarity: str
    pattern: re.Pattern[str]
    direction: str
    window: int
    heads: tuple[str, ...] = ("verb", "noun")  # the triggers it may govern
    unless: re.Pattern[str] | None = None  # phrases that look like this cue and are not


@dataclass(frozen=True, slots=True)
class CueSet:
    cues: tuple[Cue, ...]
    terminators: re.Pattern[str]
    pseudo: re.Pattern[str]


class _CueModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID)
    polarity: Literal["negated", "planned", "claimed", "past"]
    pattern: str
    direction: Literal["forward", "backward"]
    window: int = Field(ge=1, le=30)
    heads: list[Literal["verb", "noun"]] = ["verb", "noun"]
    unless: str | None = None

    @field_validator("unless")
    @classmethod
    def _unless(cls, v: str | None) -> str | None:
        return None if v is None else _pattern(v)

    @field_validator("pattern")
    @classmethod
    def _regex(cls, v: str) -> str:
        return _pattern(v)


def _where(prefix: str, e: Mapping[str, Any]) -> str:
    loc = ".".join(str(x) for x in e["loc"])
    return f"{prefix}.{loc}: {e['msg']}" if loc else f"{prefix}: {e['msg']}"


def parse_records(data: Mapping[str, Any], name: str = "rules.toml") -> tuple[Rule, ...]:
    """Validate and compile rule records; raise RulesError listing every problem with its place."""
    problems: list[str] = []
    out: list[Rule] = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("rule") or []):
        where = f"rule[{i}]" + (f" ({raw.get('id')})" if isinstance(raw, Mapping) and raw.get("id") else "")
        try:
            r = _RuleModel.model_validate(raw)
        except ValidationError as e:
            problems.extend(_where(where, err) for err in e.errors())
            continue
        problems.extend(f"{where}.{p}" for p in r.check_set())
        if r.id in seen:
            problems.append(f"{where}.id: {r.id!r} is used twice")
        seen.add(r.id)
        for j, ex in enumerate(r.examples):
            low = ex.lower()
            if not any(w in low for w in r.words):
                problems.append(f"{where}.examples[{j}]: none of the gate words {r.words} occurs in it")
            elif not re.search(r.trigger, low):
                problems.append(f"{where}.examples[{j}]: the trigger does not match it")
        out.append(
            Rule(
                r.id,
                r.type,
                dict(r.set),
                tuple(r.words),
                re.compile(r.trigger),
                re.compile(r.near) if r.near else None,
                r.window,
                re.compile(r.unless) if r.unless else None,
                r.head,
                tuple(r.agent),
                tuple(r.target),
                r.fill,
                r.confidence,
                tuple(r.examples),
                r.polarity,
                r.dated,
                r.complement,
                re.compile(r.unless_before + r"\s*$") if r.unless_before else None,
                re.compile(r.light) if r.light else None,
            )
        )
    if problems:
        raise RulesError(f"{name}: {len(problems)} problem(s): " + "; ".join(problems))
    return tuple(out)


def parse_cues(data: Mapping[str, Any], name: str = "cues.toml") -> CueSet:
    """Validate and compile the polarity cues; raise RulesError listing every problem."""
    problems: list[str] = []
    cues = []
    for i, raw in enumerate(data.get("cue") or []):
        try:
            c = _CueModel.model_validate(raw)
        except ValidationError as e:
            problems.extend(_where(f"cue[{i}]", err) for err in e.errors())
            continue
        unless = re.compile(c.unless) if c.unless else None
        cues.append(
            Cue(c.id, c.polarity, re.compile(c.pattern), c.direction, c.window, tuple(c.heads), unless)
        )
    compiled = {}
    for key in ("terminators", "pseudo"):
        value = data.get(key)
        try:
            compiled[key] = re.compile(_pattern(value)) if isinstance(value, str) else None
        except ValueError as e:
            problems.append(f"{key}: {e}")
            compiled[key] = None
        if compiled[key] is None and not any(key in p for p in problems):
            problems.append(f"{key}: expected a regular expression")
    if problems:
        raise RulesError(f"{name}: {len(problems)} problem(s): " + "; ".join(problems))
    return CueSet(
        tuple(cues),
        compiled["terminators"],  # type: ignore[arg-type]
        compiled["pseudo"],  # type: ignore[arg-type]
    )


def _toml(file: str) -> Mapping[str, Any]:
    text = resources.files("dyad.data.rules").joinpath(file).read_text(encoding="utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise RulesError(f"{file}: not valid TOML ({e})") from None


@cache
def load_records() -> tuple[Rule, ...]:
    """The project's rule records, parsed and validated once per process."""
    return parse_records(_toml("rules.toml"))


@cache
def load_cues() -> CueSet:
    """The project's polarity cues, parsed and validated once per process."""
    return parse_cues(_toml("cues.toml"))
