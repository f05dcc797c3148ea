"""The errors dyad raises, one tree rooted at :class:`DyadError`.

    DyadError                 anything dyad reports to a user
    ├── InputError            a source that cannot be read as an article
    ├── RulesError            a rule or data file of the project that fails validation
    ├── UnknownActorError     a name that resolves to no state or organisation
    └── StoreError            the knowledge base cannot be opened or written
        └── StoreBusy         another process holds the knowledge base; try again later

Each surface turns these into its own form once: the CLI prints ``Error: <message>`` and exits 1.
Messages name the input and say what to do, on one line: a name is shown with :func:`shown`.
"""

from __future__ import annotations

import re

# Characters that would break a one-line message, or that a terminal would act on: C0 and C1 controls,
# DEL, the Unicode line and paragraph separators, and the lone surrogates of undecodable file names.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    c = match.group()
    if c in _ESCAPES:
        return _ESCAPES[c]
    code = ord(c)
    if 0xDC80 <= code <= 0xDCFF:  # a byte the file system gave that is not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def shown(text: str) -> str:
    """A name (a path, a title) as it can stand in a one-line message: control characters escaped as
    ``\\n``, ``\\x1b``…, and an empty name as ``''``."""
    return _UNPRINTABLE.sub(_escape, text) if text else "''"


class DyadError(Exception):
    """Base of every error dyad reports to a user."""


class InputError(DyadError):
    """A source that cannot be read: missing, empty, binary, not UTF-8, too large, no title."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{shown(path)}: {problem}")
        self.path = path
        self.problem = problem


class RulesError(DyadError):
    """A rule or data file that fails validation; the message lists every problem found."""


class UnknownActorError(DyadError):
    """A name that is neither a known state, organisation, code nor adjective."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        hint = (
            f"; did you mean {', '.join(suggestions)}?" if suggestions else "; try a country name or ISO code"
        )
        super().__init__(f"unknown country or organisation '{name}'{hint}")
        self.name = name
        self.suggestions = suggestions


class StoreError(DyadError):
    """The knowledge base cannot be opened, migrated or written."""


class StoreBusy(StoreError):
    """Another process holds the knowledge base (DuckDB allows one writer); the caller may retry."""
