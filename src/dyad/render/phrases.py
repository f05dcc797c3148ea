"""The phrasebook: the phrasings of profile sentences, read from ``templates/sentences.toml``.

:func:`load_phrasebook` reads the file once and validates it with :func:`validate_phrasebook`, which raises
one :class:`~dyad.errors.RulesError` listing every problem: a table or case missing, a case the writer
does not use, a phrasing with a field the writer does not give (``{wen}``), section titles missing.
"""

from __future__ import annotations

import functools
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from dyad.errors import RulesError

__all__ = ["PHRASES_FILE", "SECTION_KEYS", "Phrasebook", "load_phrasebook", "validate_phrasebook"]

#: The phrasings, in the package's ``render/templates`` folder.
PHRASES_FILE = "sentences.toml"

_DATES = {"when", "When", "start", "end", "since", "period", "date"}
# The cases each table must have, and the fields its phrasings may use.
_SCHEMA: Mapping[str, tuple[tuple[str, ...], frozenset[str]]] = {
    "relations": (
        tuple(
            f"{s}_{d}"
            for s in (
                "established",
                "severed",
                "suspended",
                "restored",
                "recognised",
                "downgraded",
                "upgraded",
            )
            for d in ("dated", "undated")
        )
        + ("none_undated",),
        frozenset({"a", "b"} | _DATES),
    ),
    "mission": (
        ("present", "opened", "reopened", "closed"),
        frozenset({"actor", "target", "missions", "mission", "place"} | _DATES),
    ),
    "envoy": (
        (
            "term",
            "appointed",
            "since",
            "current",
            "until",
            "unnamed_appointed",
            "unnamed_current",
            "exchanged",
        ),
        frozenset(
            {
                "a",
                "b",
                "person",
                "title",
                "the_title",
                "The_title",
                "a_title",
                "A_title",
                "titles",
                "residence",
            }
            | _DATES
        ),
    ),
    "trade": (
        tuple(f"{t}_{d}" for t in ("growing", "declining", "stable") for d in ("dated", "undated", "range"))
        + ("goods", "partner", "value"),
        frozenset({"a", "b", "exporter", "importer", "goods", "value"} | _DATES),
    ),
    "sanctions": (("imposed", "imposed_via"), frozenset({"actor", "target", "sanctions", "via"} | _DATES)),
    "aid": (("given",), frozenset({"actor", "target", "aid", "channels"} | _DATES)),
    "migration": (
        ("received", "received_by", "diaspora", "fighters"),
        frozenset({"origin", "destination", "people"} | _DATES),
    ),
    "statement": (("dated", "undated"), frozenset({"actor", "target", "verb", "subject"} | _DATES)),
    "agreement": (("dated", "undated"), frozenset({"a", "b", "agreement"} | _DATES)),
    "visit": (("dated", "undated"), frozenset({"visitor", "host"} | _DATES)),
    "membership": (("both", "one", "joined"), frozenset({"actor", "orgs"} | _DATES)),
    "security": (
        (
            "counterterrorism",
            "coalition",
            "military-operation",
            "arms",
            "defence-agreement",
            "exercise",
            "other",
        ),
        frozenset({"actor", "target"} | _DATES),
    ),
    "meeting": (("dated", "undated"), frozenset({"a", "b", "meeting", "place", "persons"} | _DATES)),
    "conflict": (
        ("threat", "clash", "attack", "war", "occupation", "blockade", "dispute"),
        frozenset({"actor", "target"} | _DATES),
    ),
}
SECTION_KEYS = ("diplomacy", "trade", "sanctions", "aid", "aid_mixed", "migration", "security", "conflict",
                "see_also", "references")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Phrasebook:
    """The validated phrasings: ``cases[table][case]`` is a tuple of templates."""

    cases: Mapping[str, Mapping[str, tuple[str, ...]]]
    sections: Mapping[str, str]
    the_words: frozenset[str]


def _fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]


def validate_phrasebook(data: Mapping[str, Any], where: str = PHRASES_FILE) -> Phrasebook:
    """Check a parsed phrasebook; raise RulesError listing every problem, else return it."""
    problems: list[str] = []
    cases: dict[str, dict[str, tuple[str, ...]]] = {}
    if data.get("version") != 1:
        problems.append(f"version must be 1, not {data.get('version')!r}")
    for table, (needed, allowed) in _SCHEMA.items():
        given = data.get(table)
        if not isinstance(given, dict):
            problems.append(f"[{table}] is missing")
            continue
        cases[table] = {}
        for case in needed:
            if case not in given:
                problems.append(f"[{table}] has no '{case}'")
        for case, variants in given.items():
            if case not in needed:
                problems.append(f"[{table}] '{case}' is not a case the writer uses ({', '.join(needed)})")
                continue
            if (
                not isinstance(variants, list)
                or not variants
                or not all(isinstance(v, str) for v in variants)
            ):
                problems.append(f"[{table}] '{case}' must be a non-empty list of strings")
                continue
            for v in variants:
                try:
                    unknown = sorted(set(_fields(v)) - allowed)
                except ValueError as e:
                    problems.append(f"[{table}] '{case}': {v!r} is not a valid template ({e})")
                    continue
                if unknown:
                    problems.append(f"[{table}] '{case}': {v!r} uses unknown field(s) {', '.join(unknown)}")
            cases[table][case] = tuple(variants)
    sections = data.get("sections")
    if not isinstance(sections, dict) or any(not isinstance(sections.get(k), str) for k in SECTION_KEYS):
        problems.append(f"[sections] must give a title for each of {', '.join(SECTION_KEYS)}")
        sections = {}
    words = (data.get("names") or {}).get("the_words")
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        problems.append("[names] the_words must be a list of strings")
        words = []
    if problems:
        raise RulesError(f"{where}: {len(problems)} problem(s):\n  - " + "\n  - ".join(problems))
    return Phrasebook(cases, dict(sections), frozenset(words))


@functools.cache
def load_phrasebook() -> Phrasebook:
    """The package's phrasebook, read and validated once per process."""
    text = resources.files("dyad.render").joinpath("templates", PHRASES_FILE).read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise RulesError(f"{PHRASES_FILE}: not valid TOML ({e})") from None
    return validate_phrasebook(data)
