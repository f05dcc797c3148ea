"""Read one sentence's structure: words, the actors and dates in it, its clauses, and who fills which role.

A rule that finds a trigger ("closed", "embassy", "war") asks the :class:`Analysis` of its sentence
who acts (:meth:`Analysis.agents`) and on whom (:meth:`Analysis.targets`), in which clause the trigger
stands (:meth:`Analysis.clause_at`) and which dates belong to that clause. The reading is by rule, not
by a statistical parser (see README: none installs from the registries with its weights under a
permissive licence at the speed dyad needs), and it knows the few structures that decide roles in
English prose:

- **Clauses.** A sentence splits at semicolons; at parentheses (an aside, read apart); at a relative
  pronoun after a comma or a name (", which …", "Rwanda, who …": the clause's subject is the name
  before it); at a subordinating conjunction that opens a clause ("because", "although", "while",
  "after" + a clause with a verb); at ", and" / "but" before a new subject or a verb (a verb alone
  shares the subject of the clause before: "Belgium closed its embassy and recalled its envoy").
- **Roles of an actor mention.** Governed by a preposition (``pp``, with the preposition: "with
  Syria", "relations between A and B"); the object of a verb (``obj``: "invaded China"); a possessor or
  an adjective before a noun (``mod``: "Belgium's embassy", "the French embassy"); otherwise a
  subject (``subj``). Coordination shares a role ("Egypt and Israel signed", "with A and B").
- **Voice.** A participle after a form of "be" is passive; its agent is the "by" phrase.
- **Reference.** "it", "its", "they", "the two countries", "both sides" resolve to the nearest
  fitting actor of the paragraph, or to the two parties.

Offsets are code points into the document's text; all matching reads the lower-cased text (same
offsets). Nothing here knows about fact types: :mod:`dyad.extract.engine` does.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..resolve.actors import Mention
    from ..resolve.dates import DateMention

__all__ = ["Analysis", "Clause", "Role", "Tok", "analyse"]

# -- word classes (closed classes of English, lower case) -------------------------------------------

PREPOSITIONS = frozenset(
    """in to from of with against on at for by into onto toward towards via within over after before
    following since during until till between among amongst across under throughout like unlike about
    regarding concerning including upon amid amidst despite than per versus vs alongside beside
    besides near behind beyond through without inside outside""".split()
)
# Words that may stand between a preposition or verb and the actor it governs.
_TRANSPARENT = frozenset(
    """the a an its their his her our both all other neighbouring neighboring fellow newly independent
    then former present-day modern rest whole entire two several many some much more most""".split()
)
# nouns that stand for their state: "the people of Kosovo", "the government of Peru"
_STANDS_FOR = frozenset(
    """people peoples government governments authorities leadership leaders leader regime citizens
    nation""".split()
)
# titles before a person's name ("with Prime Minister Lars Berg"): the phrase is the person's
_TITLES = frozenset(
    """president prime minister chancellor king queen emperor empress foreign secretary vice deputy premier
    ambassador counterpart leader emir sultan mr mrs ms dr general""".split()
)
# offices whose holder stands for the state after "of" ("the President of Finland")
_OFFICES = frozenset("president minister king queen emperor empress premier chancellor emir sultan".split())
_BE = frozenset("is are was were be been being am 's".split())
_HAVE = frozenset("has have had having".split())
_DO = frozenset("do does did".split())
MODALS = frozenset("will would shall should can could may might must".split())
AUXILIARIES = _BE | _HAVE | _DO | MODALS
_RELATIVE = frozenset("which who whom whose".split())
_SUBORDINATORS = frozenset(
    "because although though whereas while when whenever if unless until after before since as once".split()
)
# Subordinators that open a clause wherever they stand ("after", "since", "as" may open a phrase).
_CLEAR_SUBORDINATORS = frozenset(("because", "although", "though", "whereas", "unless"))
# Verbs of saying and believing, whose object may be a clause ("said that …", "claimed X did Y").
_SAYING = frozenset(
    """said says say claimed claims claim stated states announced announces reported reports alleged
    alleges believed believes warned warns noted notes insisted insists argued argues confirmed
    confirms denied denies added adds declared declares asserted asserts maintained maintains
    acknowledged acknowledges revealed reveals suggested suggests""".split()
)
_COORD = frozenset(("and", "but", "or", "yet", "nor"))
_PRONOUN_SUBJECTS = frozenset(("it", "they", "he", "she"))
_POSSESSIVE_PRONOUNS = frozenset(("its", "their", "his", "her"))
# Past forms that do not end in -ed, and present forms common in the prose dyad reads; with the
# auxiliaries and any -ed word they are what "a verb" means to the role finder.
_IRREGULAR = frozenset(
    """began begun became become broke broken brought built bought came caught chose chosen cut dealt
    did done drew drawn drove fell felt fought found forbade forbidden forgave froze frozen gave given
    went gone grew grown held hid kept knew known laid led left lent let lost made meant met paid put
    quit ran rose said saw seen sent set shook shot showed shown shut sold spent spoke spoken split
    stood stole struck swore sworn took taken taught told thought threw thrown understood undertook
    undertaken withdrew withdrawn won wore wrote written overthrew overthrown arose arisen sought
    fled bore borne beat beaten bid bound bred burnt dug fed forgot forgotten hung heard hurt lay
    mistook overcame overtook rebuilt reopened""".split()
)
#: Irregular verb forms (past tenses and participles, mostly): for other modules that tell forms apart.
IRREGULAR_FORMS = _IRREGULAR
_PRESENT = frozenset(
    """has have is are does do maintains maintain hosts host holds hold remains remain becomes become
    supports support condemns condemn criticizes criticises welcomes welcome recognizes recognises
    recognize recognise considers consider claims claim accuses accuse denies deny rejects reject
    shares share borders border exports export imports import provides provide receives receive sends
    send signs sign opens open closes close operates operate runs run keeps keep calls call urges urge
    demands demand continues continue seeks seek wants want plans plan intends intend hopes hope
    agrees agree refuses refuse fails fail says say states state announces announce expects expect
    views view sees see regards regard enjoys enjoy""".split()
)
_NOT_VERBS = frozenset(
    """need red bed seed speed feed breed united based related led-by armed allied limited detailed
    advanced developed sophisticated interested concerned""".split()
)
_WORD = re.compile(r"[^\W_]+(?:['’\-.][^\W_]+)*|['’]s\b|\S")
_POSSESSIVE = ("'s", "’s")
# Words that stand for actors named elsewhere: the pair ("both countries"), one actor ("it", "its"),
# several ("they", "their"). They enter the analysis as mentions with these codes and resolve later.
BOTH, ONE, MANY = "@both", "@it", "@they"
_REFERRING = re.compile(
    r"\b(?:(?:the|both)\s+(?:two\s+)?(?:countries|nations|states|governments|sides(?!\s+of\b)|neighbou?rs|parties|"
    r"leaders|presidents|ministers|capitals|men|women|heads\s+of\s+(?:state|government))"
    r"|both\s+(?=have|had|are|were|agreed|signed|sides|maintain|established|share)"
    r"|each other|one another|(?<=between )the two|(?<=of )the two|(?<=with )the two)\b"
    r"|\b(?:it|its|they|their|itself|themselves|he|she)\b"
)
_NOUNISH_END = re.compile(r"(?:tion|ment|ness|ship|ity|ism|ance|ence|ies|ers|ors)$")


def is_verb(w: str) -> bool:
    """Whether a lower-case word reads as a finite or participle verb form (by rule, not by a parser)."""
    if w in AUXILIARIES or w in _IRREGULAR or w in _PRESENT:
        return True
    if w in _NOT_VERBS or len(w) < 5:
        return False
    return w.endswith("ed")


_NOT_GERUNDS = frozenset(
    "building meeting beijing nanjing chongqing wellington king during morning evening nothing something "
    "anything everything thing things".split()
)


def is_gerund(w: str) -> bool:
    """A participle or gerund in -ing ("condemning", "backing"), by rule."""
    return len(w) > 5 and w.endswith("ing") and w not in _NOT_GERUNDS


# -- the pieces -----------------------------------------------------------------------------------


_PLACE_PREPS = frozenset(("in", "at", "across", "throughout", "within", "inside"))


@functools.lru_cache(maxsize=8)
def text_end(text: str) -> int:
    """Where the text ends, trailing whitespace aside (once per document: asked for every phrase that
    may run into the end of a cut file)."""
    return len(text.rstrip())


@dataclass(slots=True)
class Tok:
    """A word, a punctuation mark, an actor mention (``ent``) or a date (``date``)."""

    kind: str  # 'w' | 'p' | 'ent' | 'date'
    text: str  # lower case
    start: int
    end: int
    mention: Mention | None = None
    date: DateMention | None = None


@dataclass(slots=True)
class Role:
    """How an actor mention stands in its clause: ``subj``, ``obj``, ``pp`` (with ``prep``), ``mod``."""

    tok: int  # index of the mention's token
    code: str
    kind: str
    prep: str = ""
    coord_with: int | None = None  # the token of the mention it is coordinated with
    form: str = "name"


@dataclass(slots=True)
class Clause:
    """A run of tokens ``[lo, hi)`` that makes one clause.

    ``kind``: ``main``, ``coord`` (after ", and" / "but"), ``vp`` (a verb phrase sharing the subject
    of ``parent``), ``rel`` (a relative clause about ``antecedent``), ``sub`` (after a subordinator),
    ``paren`` (inside parentheses) or ``quote``.
    """

    lo: int
    hi: int
    kind: str = "main"
    parent: int | None = None
    antecedent: int | None = None  # token index of the actor a relative clause is about
    opener: str = ""  # the subordinator or conjunction that opened it


@dataclass
class Analysis:
    """The structure of one sentence: tokens, clauses and the role of every actor mention."""

    text: str  # the whole document, lower case
    start: int
    end: int
    toks: list[Tok]
    clauses: list[Clause]
    roles: dict[int, Role] = field(default_factory=dict)
    _starts: list[int] = field(default_factory=list)
    _in: dict[int, list[Role]] = field(default_factory=dict)  # mentions_in, per clause

    # -- positions --

    def tok_at(self, pos: int) -> int:
        """The index of the token that covers (or is the first after) text offset ``pos``."""
        i = bisect.bisect_right(self._starts, pos) - 1
        if i < 0:
            return 0
        if self.toks[i].end <= pos and i + 1 < len(self.toks):
            return i + 1
        return i

    def clause_at(self, pos: int) -> int:
        """The index of the innermost clause holding text offset ``pos``."""
        t = self.tok_at(pos)
        best = 0
        for i, c in enumerate(self.clauses):
            if c.lo <= t < c.hi and (c.hi - c.lo) <= (self.clauses[best].hi - self.clauses[best].lo):
                best = i
        return best

    def span(self, clause: int) -> tuple[int, int]:
        """The text span of a clause (first to last token)."""
        c = self.clauses[clause]
        if c.hi <= c.lo:
            return self.start, self.end
        return self.toks[c.lo].start, self.toks[c.hi - 1].end

    def in_clause(self, clause: int, tok: int) -> bool:
        """Whether a token belongs to the clause itself (not to a clause nested inside it)."""
        c = self.clauses[clause]
        if not c.lo <= tok < c.hi:
            return False
        for j, other in enumerate(self.clauses):
            if j != clause and c.lo <= other.lo and other.hi <= c.hi and other.lo <= tok < other.hi:
                if (other.hi - other.lo) < (c.hi - c.lo):
                    return False
        return True

    # -- actors --

    def mentions_in(self, clause: int) -> list[Role]:
        found = self._in.get(clause)
        if found is None:
            found = self._in[clause] = [r for t, r in sorted(self.roles.items()) if self.in_clause(clause, t)]
        return list(found)

    def dates_in(self, clause: int) -> list[DateMention]:
        return [
            t.date
            for i, t in enumerate(self.toks)
            if t.kind == "date" and t.date is not None and self.in_clause(clause, i)
        ]

    def dates_of(self, clause: int) -> list[DateMention]:
        """The dates that belong to a clause: its own; else, for a "when"/"as" clause, the date just
        before it; else those of the clause it continues; else a date that ends the verb phrase
        coordinated with it ("suspended the embassy's work and withdrew its staff in 2012")."""
        own = self.dates_in(clause)
        if own:
            return own
        c = self.clauses[clause]
        lo = self.span(clause)[0]
        if c.kind == "sub" and c.opener in ("when", "as", "while") and c.parent is not None:
            # "continued until 1949, when they were disrupted": the when-clause is at that date
            before = [d for d in self.dates_in(c.parent) if d.end <= lo]
            if before:
                return before[-1:]
        node, steps = c, 0
        while (
            node.kind in ("vp", "coord", "paren") or (node.kind == "rel" and node.antecedent is None)
        ) and (node.parent is not None and steps < 3):
            parent = self.dates_in(node.parent)
            if parent:
                return [d for d in parent if d.start < lo][-1:] or parent[:1]
            node = self.clauses[node.parent]
            steps += 1
        for k, other in enumerate(self.clauses):
            if other.kind == "vp" and other.parent == clause and other.lo >= c.hi - 1:
                shared = self.dates_in(k)
                if shared:
                    return shared[-1:]
        return []

    def is_passive(self, tok: int) -> bool:
        """A participle after a form of "be" (adverbs allowed between): "was closed", "were broken off"."""
        w = self.toks[tok].text
        if not (w.endswith(("ed", "en", "wn", "ut")) or w in _IRREGULAR):
            return False  # "are members": a noun after "be" is no passive
        if tok + 1 < len(self.toks) and self.toks[tok + 1].text in ("with", "against"):
            return False  # "were allied against", "is aligned with": a state of the subject
        j = tok - 1
        steps = 0
        while j >= 0 and steps < 3:
            w = self.toks[j].text
            if w in _BE:
                return True
            if w in ("and", "or") and j > 0 and self.is_passive(j - 1):
                return True  # "was conquered and colonized by France"
            if not (w.endswith("ly") or w in ("not", "never", "also", "formally", "officially", "finally")):
                return False
            j -= 1
            steps += 1
        return False

    def agents(self, tok: int, clause: int, *, noun: bool = False) -> list[Role]:
        """Who acts at the trigger token ``tok``: see the module docstring.

        For a verb: the "by" phrase of a passive; else the subjects before it in the clause (with the
        actors coordinated with them); else the subject the clause shares (a verb phrase after "and",
        the antecedent of a relative clause). For a noun ("the French embassy", "Japan's invasion",
        "the invasion … by France"): the possessor or adjective right before it, else a "by" phrase.
        """
        c = self.clauses[clause]
        if noun:
            found = self._modifiers_before(tok, c.lo)
            if found:
                return found
            return [r for r in self._after(tok, clause) if r.kind == "pp" and r.prep == "by"][:1]
        if self.is_passive(tok):
            # the "by" phrase of this verb, not of a later one ("restored in an agreement brokered by China")
            by = [
                r
                for r in self._after(tok, clause)
                if r.kind in ("pp", "mod")
                and r.prep == "by"
                and not any(
                    t.kind == "w" and is_verb(t.text) and not self.is_passive(k)
                    for k, t in enumerate(self.toks[tok + 1 : r.tok], tok + 1)
                )
            ]
            return self._with_coordinated(by[:1])
        subjects = [
            r
            for r in self.mentions_in(clause)
            if r.tok < tok and r.kind in ("subj", "mod") and not self._modifies_noun_before(r, tok)
        ]
        if subjects and tok > 0 and self.toks[tok - 1].text == "," and self.toks[tok].text.endswith("ing"):
            # "Turkey is Northern Cyprus's largest partner, providing aid": a participle after a comma
            # shares the clause's subject, not a possessive inside its predicate
            subj = [r for r in subjects if r.kind == "subj"]
            if subj:
                return self._with_coordinated(subj[:1])
        if subjects:
            return self._with_coordinated([subjects[-1]])
        # "King Ghazi of Iraq demanded": the state a titled person belongs to, before any verb
        c = self.clauses[clause]
        if not any(t.kind == "w" and is_verb(t.text) for t in self.toks[c.lo : tok]):
            of = [r for r in self.mentions_in(clause) if r.tok < tok and r.kind == "pp" and r.prep == "of"]
            if of:
                return self._with_coordinated(of[:1])
        return self.shared_subject(clause)

    def shared_subject(self, clause: int) -> list[Role]:
        """The subject a clause takes from another: its antecedent, or the parent's subject."""
        c = self.clauses[clause]
        if c.kind == "rel":
            # "which called for …": the relative pronoun stands for the word before it, not for an
            # actor further back
            if c.antecedent is not None and c.antecedent in self.roles:
                r = self.roles[c.antecedent]
                if r.kind == "pp" and r.prep in _PLACE_PREPS:
                    # "a movement emerged in Kuwait which called for …": what acts is the noun before
                    # the place, not the place
                    return []
                return self._with_coordinated([r])
            return []
        if c.kind in ("vp", "sub", "rel", "paren") and c.parent is not None:
            p = c.parent
            # a possessive inside a phrase ("in the early years of Yeltsin's presidency") is not one
            subjects = [
                r
                for r in self.mentions_in(p)
                if (r.kind == "subj" or (r.kind == "mod" and not r.prep)) and r.tok < c.lo
            ]
            if subjects:
                first = subjects[0] if c.kind == "vp" else subjects[-1]
                return self._with_coordinated([first])
            return self.shared_subject(p)
        return []

    def targets(self, tok: int, clause: int, preps: frozenset[str] | None = None) -> list[Role]:
        """The actors a trigger acts on: its object (the first actor after it with only articles and
        adjectives between: "recognised the TRNC", "condemned the Syrian government", "Kosovo's
        independence") or, when ``preps`` allows, a prepositional phrase after it in its clause; with
        those coordinated with them."""
        out = []
        for r in self._after(tok, clause):
            if r.kind == "pp":
                if preps is None or r.prep in preps:
                    out.append(r)
                    break
                continue
            if r.kind == "obj" or self._only_modifiers_between(tok, r.tok):
                out.append(r)
                break
        return self._with_coordinated(out)

    def _only_modifiers_between(self, tok: int, ent: int) -> bool:
        between = self.toks[tok + 1 : ent]
        if len(between) > 4:
            return False
        for t in between:
            if t.kind != "w" or t.text in PREPOSITIONS or t.text in _COORD or is_verb(t.text):
                return False
        return True

    def _after(self, tok: int, clause: int) -> list[Role]:
        return [r for r in self.mentions_in(clause) if r.tok > tok]

    def _with_coordinated(self, found: list[Role]) -> list[Role]:
        """The first role found and every actor coordinated with it ("A and B", "A, B and C")."""
        if not found:
            return []
        root = found[0].coord_with if found[0].coord_with is not None else found[0].tok
        group = [r for r in self.roles.values() if r.tok == root or r.coord_with == root]
        return sorted(group, key=lambda r: r.tok)

    def _modifiers_before(self, tok: int, lo: int) -> list[Role]:
        """The possessor or adjective of the noun at ``tok``: "Belgium's", "the Belgian", "its"."""
        j = tok - 1
        steps = 0
        while j >= lo and steps < 4:
            t = self.toks[j]
            if t.kind == "ent" and j in self.roles:
                r = self.roles[j]
                if r.kind == "mod":
                    return self._with_coordinated([r])
                return []
            if t.kind == "p" and t.text not in ("-", "–", "’", "'"):
                return []
            if t.kind == "w" and t.text != "'s" and (t.text in PREPOSITIONS or is_verb(t.text)):
                return []
            j -= 1
            steps += 1
        return []

    def _modifies_noun_before(self, r: Role, tok: int) -> bool:
        """An adjective that belongs to a noun phrase governed by a preposition ("with the Syrian
        regime"): not a subject."""
        if r.kind != "mod":
            return False
        j = r.tok - 1
        while j >= 0 and self.toks[j].kind == "w" and self.toks[j].text in _TRANSPARENT:
            j -= 1
        if j < 0 or self.toks[j].kind != "w":
            return False
        w = self.toks[j].text
        # "with the Syrian regime", "expelled French envoy X": a modifier inside a phrase that a
        # preposition or a verb governs
        return w in PREPOSITIONS or (is_verb(w) and w not in _BE and w not in _HAVE)

    def word_before(self, tok: int, n: int = 1) -> str:
        j = tok - n
        return self.toks[j].text if j >= 0 else ""


# -- building an analysis --------------------------------------------------------------------------


def referring(lower: str, start: int, end: int, mentions: list[Mention]) -> list[Mention]:
    """The words of ``lower[start:end]`` that refer to actors named elsewhere, as mentions whose code
    is :data:`BOTH`, :data:`ONE` or :data:`MANY` and whose form is ``pronoun`` or ``possessive``."""
    from ..resolve.actors import Mention as _Mention

    taken = [(m.start, m.end) for m in mentions]
    out = []
    for m in _REFERRING.finditer(lower, start, end):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        w = m.group()
        if w in ("it", "its", "itself", "he", "she"):
            # a person stands for the state they speak for, as "it" does: "the president said he would"
            # ("his", "her" do not: "met her Tanzanian counterpart" names the other side)
            code, form = ONE, "possessive" if w == "its" else "pronoun"
        elif w in ("they", "their", "themselves"):
            code, form = MANY, "possessive" if w == "their" else "pronoun"
        else:
            code, form = BOTH, "pronoun"
        out.append(_Mention(m.start(), m.end(), w, code, form))
    return out


def analyse(
    lower: str,
    start: int,
    end: int,
    mentions: list[Mention],
    dates: list[DateMention],
) -> Analysis:
    """The analysis of the sentence ``lower[start:end]`` with its actor mentions and dates.

    Words that refer to actors ("it", "the two countries") join the mentions (see :func:`referring`).
    """
    mentions = sorted([*mentions, *referring(lower, start, end, mentions)], key=lambda m: m.start)
    toks = _tokens(lower, start, end, mentions, dates)
    clauses = _clauses(toks)
    a = Analysis(lower, start, end, toks, clauses, _starts=[t.start for t in toks])
    a.roles = _roles(toks, {c.lo for c in clauses if c.kind in ("coord", "vp")})
    for c in clauses:
        # "after Japan surrendered": the actor after a subordinator is the subject of its clause
        if c.kind == "sub" and c.lo + 1 in a.roles and c.lo + 2 < len(toks):
            r = a.roles[c.lo + 1]
            nxt = toks[c.lo + 2]
            if r.kind == "pp" and nxt.kind == "w" and is_verb(nxt.text):
                r.kind, r.prep = "subj", ""
    return a


def _tokens(lower: str, start: int, end: int, mentions: list[Mention], dates: list[DateMention]) -> list[Tok]:
    spans: list[tuple[int, int, str, object]] = []
    for m in mentions:
        if start <= m.start and m.end <= end:
            spans.append((m.start, m.end, "ent", m))
    for d in dates:
        if start <= d.start and d.end <= end and not any(s < d.end and d.start < e for s, e, _, _ in spans):
            spans.append((d.start, d.end, "date", d))
    spans.sort(key=lambda s: s[0])
    toks: list[Tok] = []
    pos = start
    for s, e, kind, obj in spans:
        if s < pos:
            continue
        _words(lower, pos, s, toks)
        if kind == "ent":
            toks.append(Tok("ent", lower[s:e], s, e, mention=obj))  # type: ignore[arg-type]
        else:
            toks.append(Tok("date", lower[s:e], s, e, date=obj))  # type: ignore[arg-type]
        pos = e
    _words(lower, pos, end, toks)
    return toks


def _words(lower: str, lo: int, hi: int, out: list[Tok]) -> None:
    append = out.append
    for m in _WORD.finditer(lower, lo, hi):
        w = m.group()
        s, e = m.span()
        if w[0].isalnum():
            # a possessive "'s" is its own token, as the role finder reads it
            if len(w) > 2 and w.endswith(_POSSESSIVE):
                append(Tok("w", w[:-2], s, e - 2))
                append(Tok("w", "'s", e - 2, e))
            else:
                append(Tok("w", w, s, e))  # a word never ends in "." (see _WORD)
        elif w in _POSSESSIVE:
            append(Tok("w", "'s", s, e))
        else:
            append(Tok("p", w, s, e))


def _has_verb(toks: list[Tok], lo: int, hi: int) -> bool:
    return any(t.kind == "w" and is_verb(t.text) for t in toks[lo:hi])


def _next_comma(toks: list[Tok], i: int, hi: int) -> int:
    for j in range(i, hi):
        if toks[j].kind == "p" and toks[j].text in (",", ";"):
            return j
    return hi


def _clauses(toks: list[Tok]) -> list[Clause]:
    """Split the tokens into clauses (see the module docstring); clause 0 is the whole sentence."""
    n = len(toks)
    out = [Clause(0, n)]
    # parentheses and brackets: an aside, read apart
    depth_start: list[int] = []
    for i, t in enumerate(toks):
        if t.kind == "p" and t.text in "([":
            depth_start.append(i)
        elif t.kind == "p" and t.text in ")]" and depth_start:
            lo = depth_start.pop()
            out.append(Clause(lo + 1, i, "paren", parent=0))
    # the main line: cut at semicolons, relative pronouns, subordinators and coordination
    cuts: list[tuple[int, str, str]] = []  # (token index where a clause starts, kind, opener)
    i = 0
    while i < n:
        t = toks[i]
        prev = toks[i - 1] if i > 0 else None
        if t.kind == "p" and t.text == ";":
            cuts.append((i + 1, "main", ";"))
        elif (
            t.kind == "w"
            and t.text in _RELATIVE
            and prev is not None
            and (
                (prev.kind == "p" and prev.text == ",")
                or prev.kind == "ent"
                or (prev.kind == "w" and prev.text not in PREPOSITIONS and not is_verb(prev.text))
            )
        ):
            cuts.append((i, "rel", t.text))
        elif (
            t.kind == "w"
            and t.text in _SAYING
            and i + 2 < n
            and _starts_clause(toks, i + 2 if toks[i + 1].text == "that" else i + 1, n)
        ):
            # "Guyana claimed Venezuelan troops destroyed …": what is said is a clause of its own
            cuts.append((i + 1, "comp", t.text))
        elif t.kind == "w" and t.text in _SUBORDINATORS and i + 1 < n and toks[i + 1].kind != "date":
            stop = _next_comma(toks, i + 1, n)
            opens = prev is None or prev.kind == "p"
            clear = t.text in _CLEAR_SUBORDINATORS
            if (opens and _has_verb(toks, i + 1, stop)) or (
                not opens and (clear or _starts_clause(toks, i + 1, n))
            ):
                cuts.append((i, "sub", t.text))
                if opens and stop < n and toks[stop].text == ",":
                    cuts.append((stop + 1, "main", ","))
        elif t.kind == "w" and t.text in ("and", "but") and i + 1 < n:
            nxt = toks[i + 1]
            after_comma = prev is not None and prev.kind == "p" and prev.text == ","
            participles = prev is not None and prev.text.endswith("ed") and nxt.text.endswith("ed")
            if participles:
                pass  # "was conquered and colonized by France": one verb phrase
            elif nxt.kind == "w" and is_verb(nxt.text) and nxt.text not in ("is", "are", "was", "were"):
                cuts.append((i, "vp", t.text))
            elif nxt.kind == "w" and nxt.text in _SUBORDINATORS | PREPOSITIONS and after_comma:
                cuts.append((i, "coord", t.text))
            elif (after_comma or t.text == "but") and _starts_clause(toks, i + 1, n):
                cuts.append((i, "coord", t.text))
        i += 1
    first_kind = ("main", "")
    if cuts and cuts[0][0] == 0:
        first_kind = (cuts[0][1], cuts[0][2])
        cuts = cuts[1:]
    if not cuts and first_kind[0] == "main":
        return out
    bounds = sorted(cuts)
    # each cut runs to the next cut (a relative or subordinate clause ends at the next comma too)
    line: list[Clause] = []
    starts = [0] + [c[0] for c in bounds]
    kinds = [first_kind] + [(c[1], c[2]) for c in bounds]
    for k, lo in enumerate(starts):
        hi = starts[k + 1] if k + 1 < len(starts) else n
        kind, opener = kinds[k]
        if kind in ("rel", "sub"):
            comma = _next_comma(toks, lo + 1, hi)
            if comma < hi and kind == "rel":
                line.append(Clause(lo, comma, kind, opener=opener))
                line.append(Clause(comma + 1, hi, "main", opener=","))
                continue
        line.append(Clause(lo, hi, kind, opener=opener))
    # parents: a vp or coord clause continues the clause before it on the line; a relative clause is
    # about the actor just before it; the clause after a relative clause continues the one before it
    for k, c in enumerate(line):
        if k == 0:
            c.kind = "main" if c.kind != "sub" else "sub"
            if c.kind == "sub":
                c.parent = None
            continue
        prev_main = next((j for j in range(k - 1, -1, -1) if line[j].kind not in ("rel", "sub")), 0)
        c.parent = len(out) + prev_main
        if c.kind == "rel":
            j = c.lo - 1
            while j >= 0 and toks[j].kind == "p" and toks[j].text == ",":
                j -= 1
            if j >= 0 and toks[j].kind == "ent":
                c.antecedent = j
            c.parent = len(out) + k - 1
        elif c.kind == "main" and c.opener == "," and line[k - 1].kind == "rel":
            c.kind = "vp"  # "Rwanda, which …, invaded": the main line goes on with its subject
            c.parent = len(out) + prev_main
    # a sentence that opens with a subordinate clause: the clause after it is the main one
    if line and line[0].kind == "sub":
        for c in line[1:]:
            if c.kind == "main":
                line[0].parent = len(out) + line.index(c)
                break
    out.extend(line)
    return out


def _starts_clause(toks: list[Tok], i: int, n: int) -> bool:
    """Whether a new subject and its verb start at token ``i``: "the embassy was closed", "Syria has"."""
    j = i
    steps = 0
    while j < n and steps < 6:
        t = toks[j]
        if t.kind == "p":
            return False
        if t.kind == "w" and j == i and is_verb(t.text) and t.text not in _PRONOUN_SUBJECTS:
            return False  # a clause opens with its subject: "the modern states were established" is one
        if t.kind == "w" and is_verb(t.text) and j > i:
            return True
        if t.kind == "w" and t.text in _PRONOUN_SUBJECTS and j == i:
            return j + 1 < n and toks[j + 1].kind == "w" and is_verb(toks[j + 1].text)
        if t.kind == "w" and t.text in PREPOSITIONS and j > i:
            return False
        j += 1
        steps += 1
    return False


def _governing(toks: list[Tok], i: int) -> str:
    """The preposition that governs the noun phrase a modifier at ``i`` opens ("by the Burkinabe
    minister": "by"), or ""."""
    j = i - 1
    participles = 0  # "about continued Russian military activity": after a preposition, adjectives
    while j >= 0 and toks[j].kind == "w":
        w = toks[j].text
        if w in _TRANSPARENT:
            j -= 1
        elif participles < 2 and len(w) > 4 and w.endswith(("ed", "ing")) and w not in PREPOSITIONS:
            participles += 1
            j -= 1
        else:
            break
    if j >= 0 and toks[j].kind == "w" and toks[j].text in PREPOSITIONS:
        return toks[j].text
    return ""


def _roles(toks: list[Tok], opens: set[int] | frozenset[int] = frozenset()) -> dict[int, Role]:
    """The role of every actor mention (see the module docstring); ``opens`` are the tokens where a
    coordinated clause begins ("…, and the Vice President commended"), across which names are not
    coordinated."""
    roles: dict[int, Role] = {}
    for i, t in enumerate(toks):
        if t.kind != "ent" or t.mention is None:
            continue
        m = t.mention
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        # coordination: "A and B", "A, B and C", "A and the B", "A–B" in a compound
        j = i - 1
        while j >= 0 and toks[j].kind == "w" and toks[j].text in ("the", "its", "their"):
            j -= 1
        if (
            j >= 0
            and toks[j].kind in ("w", "p")
            and toks[j].text in ("and", ",", "or", "&", "–", "-", "/")
            and j not in opens
        ):
            k = j - 1
            if k >= 0 and toks[k].text == "," and toks[j].text in ("and", "or"):
                k -= 1
            if k >= 0 and toks[k].kind == "ent" and k in roles:
                head = roles[k]
                root = head.coord_with if head.coord_with is not None else k
                roles[i] = Role(i, m.code, head.kind, head.prep, coord_with=root, form=m.form)
                continue
        if nxt is not None and nxt.kind == "p" and nxt.text in ("-", "–") and i + 2 < len(toks):
            after = toks[i + 2]
            if after.kind == "w" and after.text.endswith("ed"):
                # "the United Nations-led process", "Saudi-backed forces": part of a modifier
                roles[i] = Role(i, m.code, "attr", form=m.form)
                continue
        if (nxt is not None and nxt.kind == "w" and nxt.text == "'s") or m.form == "possessive":
            roles[i] = Role(i, m.code, "mod", _governing(toks, i), form=m.form)
            continue
        if m.form in ("adjective", "prefix") and nxt is not None and nxt.kind in ("w", "ent", "p"):
            if nxt.kind == "w" and not is_verb(nxt.text) and nxt.text not in PREPOSITIONS | _COORD:
                roles[i] = Role(i, m.code, "mod", _governing(toks, i), form=m.form)
                continue
            if nxt.kind == "p" and nxt.text in ("-", "–") or nxt.kind == "ent":
                roles[i] = Role(i, m.code, "mod", _governing(toks, i), form=m.form)
                continue
        if m.form == "person" and i > 0 and toks[i - 1].kind == "ent" and (i - 1) in roles:
            prev = toks[i - 1].mention
            if prev is not None and prev.code == m.code:
                continue  # "the President of Finland Sauli Niinisto": the name is the state's phrase
        j = i - 1
        skip = _TRANSPARENT | _TITLES if m.form == "person" else _TRANSPARENT
        while j >= 0 and toks[j].kind == "w" and toks[j].text in skip:
            j -= 1
        stands_for = False
        if j >= 1 and toks[j].text == "of" and toks[j - 1].text in _STANDS_FOR | _OFFICES:
            # "congratulated the people of Kosovo", "talks with the government of Peru", "a call with the
            # President of Finland": the state is what the whole phrase is
            j -= 2
            while j >= 0 and toks[j].kind == "w" and toks[j].text in _TRANSPARENT | _TITLES:
                j -= 1
            stands_for = True
        before = toks[j] if j >= 0 else None
        if before is not None and before.kind == "w" and before.text in PREPOSITIONS:
            prep = before.text
            if (
                prep == "of"
                and j >= 1
                and toks[j - 1].kind == "w"
                and toks[j - 1].text in ("out", "because", "instead")
            ):
                prep = toks[j - 1].text + " of"
            roles[i] = Role(i, m.code, "pp", prep, form=m.form)
        elif before is not None and before.kind == "w" and before.text in _SAYING:
            roles[i] = Role(i, m.code, "subj", form=m.form)  # "said she would", "claimed Chile had"
        elif (
            before is not None
            and before.kind == "w"
            and (is_verb(before.text) or is_gerund(before.text) or stands_for)
            and (before.text not in _BE)
        ):
            roles[i] = Role(i, m.code, "obj", form=m.form)
        else:
            roles[i] = Role(i, m.code, "subj", form=m.form)
    return roles
