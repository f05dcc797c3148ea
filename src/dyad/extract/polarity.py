"""Polarity with scope: which cue governs a trigger (NegEx / ConText, as data in ``cues.toml``).

A cue reaches forward (or backward) over at most its window of words, inside the trigger's clause —
or, for a plan or a claim, from the clause that a verb phrase or subordinate clause continues ("will
travel to Havana and re-open the embassy") — and stops at a terminator ("but", "however", ";"). So in
"did not close the embassy but recalled the ambassador" only the closing is negated.
"""

from __future__ import annotations

from dataclasses import dataclass

from .analysis import IRREGULAR_FORMS as _IRREGULAR_FORMS
from .analysis import Analysis, is_verb
from .records import Cue, CueSet

__all__ = ["Polarity", "polarity_at"]

_RANK = {"negated": 3, "claimed": 2, "planned": 1}


@dataclass(frozen=True, slots=True)
class Polarity:
    """The polarity of one trigger, the cue that gave it (None: asserted), and whether a ``past`` cue
    ("former embassy") governs it."""

    value: str = "asserted"
    cue: str | None = None
    past: bool = False


_ASSERTED = Polarity()


def _matches(cues: CueSet, a: Analysis) -> list[tuple[int, int, Cue]]:
    """The cue matches of the sentence, outside pseudo-cues, found once per analysis."""
    found = getattr(a, "_cue_matches", None)
    if found is not None:
        return found
    text, lo, hi = a.text, a.start, a.end
    out: list[tuple[int, int, Cue]] = []
    # each cue looks for itself: a first look with all of them in one pattern costs as much as the ten
    # looks (a regular expression tries every alternative at every position), and finds a cue in most
    # sentences ("to", "no")
    pseudo: list[tuple[int, int]] | None = None  # found when a cue is
    for c in cues.cues:
        own: list[tuple[int, int]] | None = None
        for m in c.pattern.finditer(text, lo, hi):
            if pseudo is None:
                pseudo = [p.span() for p in cues.pseudo.finditer(text, lo, hi)]
            if own is None:
                own = [u.span() for u in c.unless.finditer(text, lo, hi)] if c.unless is not None else []
            at = m.start()
            if any(s <= at < e for s, e in pseudo) or any(s <= at < e for s, e in own):
                continue
            out.append((at, m.end(), c))
    a._cue_matches = out  # type: ignore[attr-defined]
    return out


# adverbial clauses whose events the sentence takes as given, whatever governs the main clause
_PRESUPPOSED = frozenset(
    ("when", "after", "before", "since", "because", "as", "while", "once", "although", "though")
)


def _reaches(a: Analysis, cue_clause: int, trigger_clause: int, polarity: str) -> bool:
    if cue_clause == trigger_clause:
        return True
    if polarity == "negated":
        return False
    c = a.clauses[trigger_clause]
    steps = 0
    while c.kind in ("vp", "sub", "rel", "comp") and c.parent is not None and steps < 4:
        if c.kind == "sub" and c.opener in _PRESUPPOSED:
            # "agreed to establish relations when they signed the agreement": the signing happened
            return False
        if c.parent == cue_clause:
            return True
        c = a.clauses[c.parent]
        steps += 1
    return False


# finite forms a verb phrase coordinated with a cued one may start with, and so says it is not cued
_FINITE = frozenset(("has", "have", "had", "is", "are", "was", "were", "did", "does", "do", "would", "will"))
_BARE_IRREGULAR = frozenset(
    ("become", "come", "cut", "let", "put", "quit", "run", "set", "shut", "split", "beat")
)


def _shares_cue(a: Analysis, c: Cue, cue_tok: int, t_lo: int) -> bool:
    """Whether the trigger opens a bare verb phrase coordinated with the one a forward cue opens, which
    shares the cue however long the first phrase is: "has threatened to suspend all exchanges with the
    U.S., and impose sanctions on …", "will open an embassy in Lima next year and appoint an ambassador".
    The trigger is the verb after "and"/"or", or the noun after it ("and impose sanctions")."""
    if c.direction != "forward" or c.polarity == "past":
        return False
    toks = a.toks
    if cue_tok + 1 >= len(toks) or toks[cue_tok + 1].kind != "w":
        return False  # the cue is not followed by a verb phrase of its own
    for verb in (t_lo, t_lo - 1):
        j = verb - 1
        if j <= cue_tok + 1 or toks[j].kind != "w" or toks[j].text not in ("and", "or"):
            continue
        w = toks[verb].text
        finite = (
            w in _FINITE
            or (w in _IRREGULAR_FORMS and w not in _BARE_IRREGULAR)
            or w.endswith(
                ("ed", "ing")
            )  # "-ing": a gerund of another phrase ("by selling …, and concluding")
            or (w.endswith("s") and not w.endswith("ss"))
        )
        return toks[verb].kind == "w" and not finite
    return False


def _subject_of_cue(a: Analysis, c: Cue, t_hi: int, cue_tok: int) -> bool:
    """Whether the trigger is in the noun phrase a backward cue is said of, however long its name:
    "the Treaty on Good-Neighbourliness, Friendship and Cooperation was scheduled for signing" (no verb
    between the two)."""
    if c.direction != "backward" or c.polarity == "past":
        return False
    return not any(t.kind == "w" and is_verb(t.text) for t in a.toks[t_hi + 1 : cue_tok])


def polarity_at(cues: CueSet, a: Analysis, start: int, end: int, head: str = "verb") -> Polarity:
    """The polarity of the trigger at ``text[start:end]`` of the analysed sentence; ``head`` says
    whether the trigger is a verb or a noun (some cues govern only one)."""
    found = _matches(cues, a)
    if not found:
        return _ASSERTED
    clause = a.clause_at(start)
    t_lo, t_hi = a.tok_at(start), a.tok_at(max(start, end - 1))
    best: tuple[int, str] | None = None
    past = False
    for s, e, c in found:
        if head not in c.heads:
            continue
        if c.direction == "forward":
            if e > start:
                continue
            gap = t_lo - a.tok_at(max(s, e - 1))
            between = (e, start)
        else:
            if s < end:
                continue
            gap = a.tok_at(s) - t_hi
            between = (end, s)
        if gap < 0 or (
            gap > c.window
            and not _shares_cue(a, c, a.tok_at(max(s, e - 1)), t_lo)
            and not _subject_of_cue(a, c, t_hi, a.tok_at(s))
        ):
            continue
        if not _reaches(a, a.clause_at(s), clause, c.polarity):
            continue
        if cues.terminators.search(a.text, *between):
            continue
        if c.polarity == "past":
            past = True
            continue
        rank = _RANK[c.polarity]
        if best is None or rank > best[0]:
            best = (rank, c.id)
            value = c.polarity
    if best is None:
        return Polarity(past=past) if past else _ASSERTED
    return Polarity(value, best[1], past)
