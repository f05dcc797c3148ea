"""The engine that runs rule records (``rules.toml``) over the sentences of a document.

For each sentence that holds one of a rule's gate words, each match of the rule's trigger becomes a
:class:`Hit`: the trigger's clause, its polarity (cues with scope), the actors in the rule's agent and
target roles, the attributes the rule sets, and the dates of its clause. The rule's filler
(:mod:`dyad.extract.fill`) adds the type's own attributes and may refuse the hit. :func:`finish` then
resolves words such as "it" and "the two countries", decides actor and target (symmetric types take
both sides of "A and B", "between A and B", "A … with B"), places the date in the slot the registry
gives the action, and makes the :class:`~dyad.extract.merge.Claim`.

Who may be a party is the document's business: in a relations article (two parties in its title), a
fact must be between the two parties, or between a party and an organisation; a state named in a role
that is neither party makes the hit a fact about that state, which the article does not report.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..model import Actor
from ..query.states import StateTable
from ..registry import TYPES
from ..resolve.dates import DateMention
from .analysis import BOTH, MANY, ONE, PREPOSITIONS, Analysis, Role, is_verb, text_end
from .merge import Claim
from .polarity import Polarity, polarity_at
from .records import Rule, load_records

if TYPE_CHECKING:
    from .context import DocContext, Sent

__all__ = ["Hit", "plan_rules", "run_rules", "run_sentence"]

_FILLERS: dict[str, Any] = {}

# "asked France to recall its ambassador": "its" is the object of the asking verb.
_CONTROL = re.compile(
    r"\b(?:asked|urged|told|called on|called for|requested|ordered|invited|forced|allowed|permitted|"
    r"pressed|persuaded)"
    r"\s+"
    r"(.{1,40}?)\s+to\s+\w+\s+(?:\w+\s+)?$"
)
_DETERMINERS = frozenset(("the", "a", "an", "its", "their", "his", "her", "both", "then", "newly", "new"))
_STOP_WORDS = PREPOSITIONS | frozenset(("and", "or", "but", "which", "who", "that", "as", "when", "while"))
_PREPOSITION_ROLES = frozenset(
    ("with", "to", "on", "against", "between", "of", "from", "in", "into", "over", "toward", "towards", "for",
     "at", "among")
)  # fmt: skip


def filler(name: str):
    """Register a filler function under the name rule records use."""

    def register(fn):
        _FILLERS[name] = fn
        return fn

    return register


@dataclass
class Hit:
    """One match of a rule in a sentence, on its way to becoming a claim."""

    rule: Rule
    sent: Sent
    match: re.Match[str]
    a: Analysis
    clause: int
    tok: int
    polarity: Polarity
    attrs: dict[str, Any]
    agents: list[Role]
    targets: list[Role]
    span: tuple[int, int]  # evidence span
    actor: Actor | None = None
    target: Actor | None = None
    date: DateMention | None = None
    dates: list[DateMention] = field(default_factory=list)
    confidence: float = 0.0
    start: str | None = None
    end: str | None = None
    when: str | None = None
    undated: bool = False  # the filler found that no date of the clause belongs to the fact
    extra: dict[str, Any] = field(default_factory=dict)  # notes for the document-level settling

    @property
    def ctx(self) -> DocContext:
        return self.sent.ctx

    @property
    def text(self) -> str:
        return self.sent.text

    @property
    def low(self) -> str:
        return self.sent.lower

    def clause_span(self) -> tuple[int, int]:
        return self.a.span(self.clause)

    def roles(self, sources: tuple[str, ...] | list[str]) -> list[Role]:
        return collect(
            self.a, self.tok, self.clause, sources, self.rule.head == "noun", until=self.match.end()
        )


_DETERMINER_BEFORE = frozenset(("the", "a", "an", "its", "their", "his", "her", "this", "that", "'s"))


def collect(
    a: Analysis,
    tok: int,
    clause: int,
    sources: tuple[str, ...] | list[str],
    noun: bool,
    light: re.Pattern[str] | None = None,
    until: int = 0,
) -> list[Role]:
    """The actors in the first of ``sources`` that is filled around the trigger token ``tok``.

    A verb trigger after a determiner ("the signing of the treaty") is read as a noun. A noun takes the
    clause's subject only through one of its ``light`` verbs, when the rule gives them ("X conducted
    operations in Y"). Words of the trigger itself (before ``until``) are not verbs that take a phrase
    away from it ("expressed support for Hamas").
    """
    if not noun and tok > 0 and a.toks[tok - 1].text in _DETERMINER_BEFORE:
        noun = True
    for src in sources:
        if src == "subject":
            if noun and light is not None:
                lo = a.span(clause)[0]
                if not light.search(a.text, lo, a.toks[tok].start):
                    continue
            # "Guyana's bid to become a member", "Belgium's decision to close its embassy"
            found = _infinitive_owner(a, tok, clause) if not noun else []
            if not noun and not found:
                found = a.agents(tok, clause, noun=False)
            if noun and not found:
                # a noun trigger in a clause whose subject acts: "Japan fought a war with China"
                found = [r for r in a.mentions_in(clause) if r.tok < tok and r.kind == "subj"][
                    -1:
                ] or a.shared_subject(clause)
                found = a._with_coordinated(found)
        elif src == "mod":
            found = a._modifiers_before(tok, a.clauses[clause].lo)
            if not found and until:
                # "an end to the U.S. trade embargo": the owner named inside the trigger's own words
                found = [
                    r
                    for r in a.mentions_in(clause)
                    if r.tok > tok
                    and a.toks[r.tok].end <= until
                    and not r.code.startswith("@")
                    and r.tok + 1 < len(a.toks)
                    and a.toks[r.tok + 1].kind == "w"
                    and a.toks[r.tok + 1].text not in PREPOSITIONS | {"and", "or", "to"}
                ][:1]
        elif src == "object":
            found = [r for r in a.targets(tok, clause, frozenset()) if r.kind in ("obj", "mod")]
        elif src == "by":
            found = [
                r for r in a.mentions_in(clause) if r.tok > tok and r.kind in ("pp", "mod") and r.prep == "by"
            ][:1]
            found = a._with_coordinated(found)
        else:
            prep = "toward" if src == "towards" else src
            near = [
                r
                for r in a.mentions_in(clause)
                if r.kind in ("pp", "mod")
                and (r.prep == src or r.prep == prep)
                and r.coord_with is None
                and not _verb_between(a, tok, r.tok, until)
            ]
            near.sort(key=lambda r: (r.tok < tok, abs(r.tok - tok)))
            found = a._with_coordinated(near[:1])
        if found:
            return found
    return []


_NOT_GERUNDS = frozenset(
    ("building", "meeting", "beijing", "nanjing", "chongqing", "wellington", "king", "during")
)


def _verb_between(a: Analysis, tok: int, other: int, until: int = 0) -> bool:
    """Whether a verb (or a participle in -ing) stands between the trigger and a phrase after it: the
    phrase then belongs to that verb ("invaded Manchuria, establishing the state of Manchukuo")."""
    if other < tok:
        return False
    for k in range(tok + 1, other):
        t = a.toks[k]
        if t.start < until:
            continue
        before = a.toks[k - 1]
        if t.text.endswith("ed") and before.kind == "w" and before.text in PREPOSITIONS:
            continue  # "about continued Russian activity": a participle after a preposition describes
        if t.kind == "w" and (
            is_verb(t.text) or (t.text.endswith("ing") and len(t.text) > 5 and t.text not in _NOT_GERUNDS)
        ):
            return True
    return False


def _infinitive_owner(a: Analysis, tok: int, clause: int) -> list[Role]:
    """ "Venezuela vetoed Guyana's bid to become a member": the possessor before an infinitive is who
    would act."""
    j = tok - 1
    steps = 0
    while j > 0 and steps < 4 and a.toks[j].text != "to":
        j -= 1
        steps += 1
    if j <= 0 or a.toks[j].text != "to":
        return []
    for k in range(j - 1, max(-1, j - 4), -1):
        r = a.roles.get(k)
        if r is not None and r.kind == "mod" and r.form != "adjective":
            return [r]
        if r is not None and r.kind == "pp" and r.prep == "for":
            return [r]  # "an invitation for King Felipe of Spain to visit": who would act
    return []


#: A rule reads at most this many of its triggers in one sentence: no real sentence says more, and the
#: cap bounds the work a sentence can cost (see dyad.read.sentences.MAX_SENTENCE for its length).
MAX_TRIGGERS = 8


def plan_rules(ctx: DocContext, sents: list[Sent], rules: tuple[Rule, ...]) -> dict[int, list[Rule]]:
    """Which rules each sentence opens (by its gate words): sentence index -> rules, in rule order."""
    if not sents:
        return {}
    gates = _gates(rules)
    starts = [s.start for s in sents]
    todo: dict[int, set[int]] = {}
    for m in gates.pattern.finditer(ctx.lower, sents[0].start, sents[-1].end):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and m.start() < sents[i].end:
            todo.setdefault(i, set()).update(gates.rules_of[m.group(1)])
    return {i: [rules[r] for r in sorted(found)] for i, found in todo.items()}


def run_sentence(s: Sent, rules: list[Rule]) -> list[Claim]:
    """The claims the given rules find in one sentence."""
    out: list[Claim] = []
    undated = (
        not s.dates and not _story_day(s) and _AFTER_INDEPENDENCE.search(s.lower, s.start, s.end) is None
    )
    for rule in rules:
        if rule.near is not None and rule.near.search(s.lower, s.start, s.end) is None:
            continue  # its word is nowhere in the sentence (_hits looks for it there only)
        if rule.dated and undated:
            continue  # it needs a date, and the sentence has none (_hits would find none)
        for m in itertools.islice(rule.trigger.finditer(s.lower, s.start, s.end), MAX_TRIGGERS):
            for hit in _hits(rule, s, m):
                out.extend(finish(hit))
    return out


def _story_day(s: Sent) -> bool:
    """Whether the sentence is a story's, which has a day of its own (its undated events are of it)."""
    return s.ctx.article.format == "news" and bool(s.ctx.article.published)


def run_rules(ctx: DocContext, sents: list[Sent], rules: tuple[Rule, ...]) -> list[Claim]:
    """Every claim the rules find in the sentences, in reading order."""
    plan = plan_rules(ctx, sents, rules)
    return [c for i in sorted(plan) for c in run_sentence(sents[i], plan[i])]


@dataclass(frozen=True)
class _Gates:
    pattern: re.Pattern[str]
    rules_of: dict[str, frozenset[int]]


_GATES: dict[tuple[str, ...], _Gates] = {}


def _gates(rules: tuple[Rule, ...]) -> _Gates:
    key = tuple(r.id for r in rules)
    g = _GATES.get(key)
    if g is None:
        stems: dict[str, set[int]] = {}
        for i, r in enumerate(rules):
            for w in r.words:
                stems.setdefault(w, set()).add(i)
        # a stem that starts with a shorter stem opens that one's rules too (the pattern finds the longest)
        rules_of = {
            w: frozenset(i for other, ids in stems.items() if w.startswith(other) for i in ids) for w in stems
        }
        # gate words are the starts of words: a word boundary before each spares most of the text (a
        # contraction such as "n't" is the end of one); the words are one trie, so that each position
        # of the text is tried once
        starts = [w for w in stems if w[:1].isalnum() and not w.startswith("n'")]
        others = [w for w in stems if w not in starts]
        alts = [r"\b" + _trie(starts)] + ([_trie(others)] if others else [])
        pattern = re.compile("(" + "|".join(f"(?:{a})" for a in alts) + ")")
        g = _GATES[key] = _Gates(pattern, rules_of)
    return g


def _trie(words: list[str]) -> str:
    """One pattern for many words, shaped as a trie: the longest word wins at each position."""

    def build(ws: list[str]) -> str:
        groups: dict[str, list[str]] = {}
        end = False
        for w in ws:
            if w:
                groups.setdefault(w[0], []).append(w[1:])
            else:
                end = True
        if not groups:
            return ""
        alts = [re.escape(ch) + build(rest) for ch, rest in sorted(groups.items())]
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if end else body

    return build(sorted(set(words)))


_PRONOUN_SUBJECT = re.compile(r"\b(?:they|which|these|both)\b")


def _hits(rule: Rule, s: Sent, m: re.Match[str]) -> list[Hit]:
    a = s.analysis
    if not a.toks:
        return []
    clause = a.clause_at(m.start())
    tok = a.tok_at(m.start())
    lo, hi = a.span(clause)
    if rule.near is not None:
        near = [
            n
            for n in rule.near.finditer(s.lower, lo, hi)
            if _near(a, s.lower, m, n, rule.window) and not _taken(rule, s.lower, m, n)
        ]
        c = a.clauses[clause]
        if not near and c.kind == "vp" and c.parent is not None:
            # "relations were broken off in 1967 and restored in 1989": the shared subject is the word
            p_lo = a.span(c.parent)[0]
            near = list(rule.near.finditer(s.lower, p_lo, min(lo, p_lo + 60)))
        if not near and c.kind in ("sub", "rel", "vp") and _PRONOUN_SUBJECT.search(s.lower, lo, m.start()):
            # "relations continued until 1949, when they were disrupted": the pronoun stands for the word
            near = list(rule.near.finditer(s.lower, max(s.start, lo - 150), lo))
        if not near:
            return []
    if rule.unless is not None and rule.unless.search(s.lower, lo, hi):
        return []
    if rule.unless_before is not None and rule.unless_before.search(
        s.lower, max(lo, m.start() - 40), m.start()
    ):
        return []
    dates = clause_dates(a, clause, s)
    if m.group().endswith("ing") and tok > 0 and a.toks[tok - 1].text in PREPOSITIONS | {"to"}:
        # "Prior to establishing relations, in 1872, …": a gerund after a preposition is a phrase of
        # its own, which ends at the next comma; the clause's other dates are not its dates
        comma = s.lower.find(",", m.end(), hi)
        stop = comma if comma != -1 else hi
        dates = [d for d in dates if m.start() <= d.start < stop]
    if not dates:
        dates = _independence(s, lo, hi)
    if rule.dated and not dates and not _story_day(s):
        return []  # an article's undated nominal is background; a story's is its own event, of its day
    if rule.complement and not any(
        t.kind == "w" and is_verb(t.text) and t.start >= m.end() for t in a.toks[tok + 1 : tok + 12]
    ):
        return []
    if rule.polarity is not None:
        pol = Polarity(rule.polarity, rule.id)
    else:
        pol = polarity_at(s.ctx.cues, a, m.start(), m.end(), rule.head)
    hit = Hit(
        rule,
        s,
        m,
        a,
        clause,
        tok,
        pol,
        dict(rule.set),
        collect(a, tok, clause, rule.agent, rule.head == "noun", rule.light, until=m.end()),
        collect(a, tok, clause, rule.target, rule.head == "noun", until=m.end()),
        (lo, hi),
        confidence=rule.confidence,
        dates=dates,
    )
    if rule.fill is None:
        return [hit]
    fn = _FILLERS.get(rule.fill)
    if fn is None:
        raise KeyError(f"rule {rule.id}: no filler named {rule.fill!r}")
    return fn(hit)


# A capitalised name that stands for a polity or an organised group: "the Holy Roman Empire", "the
# Syrian National Coalition", "SOC" (an acronym).
_ACTOR_LIKE = re.compile(
    r"(?:[A-Z][\w'’.-]*\s+(?:of\s+(?:the\s+)?)?){0,5}(?:Republic|Kingdom|Empire|State|States|Union|Dynasty|"
    r"Government|Coalition|Council|Movement|Party|Front|Federation|Confederation|Emirate|Sultanate|"
    r"Caliphate|Authority|Administration|Regime|Junta|Organi[sz]ation|Alliance|League)\b|[A-Z]{2,6}\b"
)
_AFTER_EVENT = re.compile(r"\b(?:after|following)\b")
_ASIDE = re.compile(r"\([^()]*\)")
_BREAK = re.compile(r"[,;:()]")


def _taken(rule: Rule, low: str, m: re.Match[str], n: re.Match[str]) -> bool:
    """Whether the word ``n`` after the trigger ``m`` belongs to a verb coordinated after it instead:
    "agreed to end hostilities and normalize relations" (a trigger of another rule of the type stands
    after "and"/"or" between the two)."""
    if n.start() < m.end():
        return False
    for c in _COORDINATED.finditer(low, m.end(), n.start()):
        if any(other.trigger.match(low, c.end(), n.start()) for other in _same_type(rule.type)):
            return True
    return False


_COORDINATED = re.compile(r"\b(?:and|or) ")


@functools.cache
def _same_type(type_: str) -> tuple[Rule, ...]:
    """The rules of a fact type, among the project's records."""
    return tuple(r for r in load_records() if r.type == type_)


def _near(a: Analysis, low: str, m: re.Match[str], n: re.Match[str], window: int) -> bool:
    """Whether the word ``n`` stands close enough to the trigger ``m``: within ``window`` words, an
    aside in parentheses not counted, and no comma or semicolon between them."""
    if n.start() < m.end() and m.start() < n.end():
        return False
    lo, hi = (m.end(), n.start()) if m.end() <= n.start() else (n.end(), m.start())
    subject_of_passive = n.end() <= m.start() and a.is_passive(a.tok_at(m.start()))
    if _BREAK.search(_ASIDE.sub("", low[lo:hi])) and not subject_of_passive:
        return False  # ("Formal ties, long sought by both, were established": the subject of a passive)
    # count words as the analysis reads them: a name is one word, an aside in parentheses none
    t_lo, t_hi = a.tok_at(lo), a.tok_at(hi)
    depth = 0
    words = 0
    for t in a.toks[t_lo:t_hi]:
        if t.kind == "p" and t.text in "([":
            depth += 1
        elif t.kind == "p" and t.text in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and t.kind != "p":
            words += 1
    return words <= window


def blocked(hit: Hit) -> bool:
    """Whether the trigger's target place holds a name that is not an actor ("recognition to the SOC",
    "relations with the Holy Roman Empire"), or nothing at all because the text ends there: then the
    target is not the other party by default."""
    a, text = hit.a, hit.sent.text
    preps = {p for p in hit.rule.target if p in _PREPOSITION_ROLES}
    c = a.clauses[hit.clause]
    c_end = a.span(hit.clause)[1]
    j = hit.tok + 1
    steps = 0
    while j < c.hi and steps < 6:
        t = a.toks[j]
        if t.kind == "ent":
            return False
        if t.kind == "p":
            return False
        if t.kind == "date":
            return False
        if t.text in preps:
            if j + 1 >= c.hi and t.end >= text_end(text) - 1:
                return True  # "established relations with" and the text ends
            j += 1
            steps += 1
            continue
        if t.text in _DETERMINERS:
            j += 1
            steps += 1
            continue
        word = text[t.start : t.end]
        if word[:1].isupper() and t.kind == "w":
            # a name that is not an actor dyad knows: only one that reads as a polity or a group blocks
            return bool(_ACTOR_LIKE.match(text, t.start, min(c_end, t.start + 80)))
        if t.kind == "w" and (t.text in _STOP_WORDS or is_verb(t.text)):
            return False
        j += 1
        steps += 1
    return False


_AFTER_INDEPENDENCE = re.compile(
    r"\b(?:shortly |soon |immediately |right |just )?after (?:(?:their|its|the(?: two countries')?) )?"
    r"(?:formal |full )?independence\b"
)


def _independence(s: Sent, lo: int, hi: int) -> list[DateMention]:
    """ "established ties shortly after their independence": the year the younger of the pair became a
    state (the state table, dyad.query.states), when the clause has no date of its own."""
    m = _AFTER_INDEPENDENCE.search(s.lower, lo, hi)
    ctx = s.ctx
    if m is None or not ctx.has_parties:
        return []
    began = [StateTable.default().began(p) for p in ctx.parties if isinstance(p, str)]
    if len(began) != 2 or None in began:
        return []
    year = str(max(b for b in began if b is not None))[:4]
    return [DateMention(m.start(), m.end(), s.text[m.start() : m.end()], year, "point")]


def clause_dates(a: Analysis, clause: int, s: Sent) -> list[DateMention]:
    """The dates that belong to a clause (see :meth:`Analysis.dates_of`)."""
    return a.dates_of(clause)


def pick_date(hit: Hit) -> DateMention | None:
    """The date of the hit's event: the nearest after the trigger in its clause, else before it."""
    if not hit.dates:
        return None
    pos = hit.match.start()
    after = [d for d in hit.dates if d.start >= hit.match.end()]
    before = [d for d in hit.dates if d.end <= pos]
    # "In 1946, Belgium opened …": a date that opens the clause governs it
    lo = hit.clause_span()[0]
    if before and before[0].start - lo <= 3 and not after:
        return before[0]
    if after:
        return after[0]
    return before[-1] if before else hit.dates[0]


def resolve(hit: Hit, role: Role) -> list[Actor]:
    """The actors a role's mention stands for: its code, or what "it", "they", "the two countries"
    refer to."""
    code = role.code
    ctx = hit.ctx
    if code == BOTH:
        if ctx.has_parties:
            return list(ctx.parties)
        # a story's "the two leaders" are those of its lead, not the last two states named
        return list(ctx.story_pair or hit.sent.recent_states(2))
    if code in (ONE, MANY):
        tok = hit.a.toks[role.tok]
        if tok.text in ("he", "she"):
            return _person_referent(hit, tok.start)
        ref = referent(hit, tok.start)
        if ref is None and code == MANY and ctx.has_parties:
            return list(ctx.parties)
        return [ref] if ref is not None else []
    if not ctx.is_state(code) and ctx.gazetteer.kind(code) != "organisation":
        return []
    return [code]


def _person_referent(hit: Hit, pos: int) -> list[Actor]:
    """What "he" or "she" stands for: the state of the last official named before it (in this
    sentence or the one before), else the government a story speaks for; nothing otherwise."""
    sent: Sent | None = hit.sent
    for _ in range(2):
        if sent is None:
            break
        people = [m for m in sent.mentions if m.form == "person" and m.end <= pos]
        if people:
            return [people[-1].code]
        sent, pos = sent.prev, len(hit.text)
    return [hit.ctx.home] if hit.ctx.home else []


def referent(hit: Hit, pos: int) -> Actor | None:
    """What "it" / "its" / "they" at ``pos`` refers to: the object of "asked X to …"; else the
    subject of the sentence before it; else the nearest state before it; else the subject the
    sentences before were about."""
    s = hit.sent
    control = _CONTROL.search(s.text, max(s.start, pos - 80), pos)
    if control:
        for r in hit.a.roles.values():
            t = hit.a.toks[r.tok]
            if control.start(1) <= t.start < control.end(1) and not r.code.startswith("@"):
                return r.code
    before = [r for r in sorted(hit.a.roles.values(), key=lambda r: r.tok) if hit.a.toks[r.tok].end <= pos]
    states = [
        r for r in before if not r.code.startswith("@") and hit.ctx.is_state(r.code) and r.form != "capital"
    ]
    for r in states:
        if r.kind in ("subj", "mod"):
            return r.code
    if states:
        return states[-1].code
    return s.previous_subject()


#: At most this many facts from one trigger with coordinated actors ("A, B and C condemned D and E").
MAX_DISTRIBUTED = 12


def finish(hit: Hit) -> list[Claim]:
    """Decide the hit's actor, target and date and make its claims (none when it has no parties).

    "Both countries lodged complaints": a directed fact whose actors are both parties, with no target
    of its own, is stated each way. Coordinated dates ("clashes in 2008 and 2011") make one claim each.
    """
    ctx = hit.ctx
    t = TYPES[hit.rule.type]
    mutual = all(r.code == BOTH for r in hit.targets)  # "criticized each other"
    # what each side does to the other (accusations, complaints, visits); cooperation stated of both
    # ("both share military ties") is one fact
    each_way = hit.rule.type in ("statement", "visit", "conflict", "envoy", "mission")
    if hit.actor is None and not t.is_symmetric(hit.attrs) and ctx.has_parties and mutual and each_way:
        sides = {x for r in hit.agents for x in resolve(hit, r)}
        if sides == set(ctx.parties):
            out = []
            for one, other in (ctx.parties, ctx.parties[::-1]):
                h = replace(hit, actor=one, target=other, attrs=dict(hit.attrs), extra=dict(hit.extra))
                out.extend(finish(h))
            return out
    if hit.actor is None and hit.target is None and not t.is_symmetric(hit.attrs):
        # "Sweden, Finland and Estonia agreed to send doctors to Moldova": one fact per actor named
        agents = list(dict.fromkeys(x for r in hit.agents for x in resolve(hit, r)))
        targets = [
            x for x in dict.fromkeys(x for r in hit.targets for x in resolve(hit, r)) if x not in agents
        ]
        if targets and (len(agents) > 1 or len(targets) > 1):
            named: list[Actor | None] = list(agents) or [None]
            pairs = [(a, b) for a in named for b in targets][:MAX_DISTRIBUTED]
            if agents:
                out = []
                for a, b in pairs:
                    out.extend(
                        finish(replace(hit, actor=a, target=b, attrs=dict(hit.attrs), extra=dict(hit.extra)))
                    )
                return out
    claims = []
    for h in _per_date(hit):
        c = _finish_one(h)
        if c is not None:
            claims.append(c)
    return claims


_STANCES = frozenset(("statement", "security", "aid", "trade", "migration", "sanctions"))


def _per_date(hit: Hit) -> list[Hit]:
    """The hit once per date when its dates are coordinated ("in 2008 and 2011"), else the hit."""
    d = hit.date if hit.date is not None else pick_date(hit)
    if d is None or d.role == "range":
        return [hit]
    same = [d]
    for other in hit.dates:
        if other.start > same[-1].end and re.fullmatch(
            r"\s*(?:,|and|, and|or)\s*", hit.text[same[-1].end : other.start]
        ):
            same.append(other)
    if len(same) == 1:
        return [hit]
    decades = [x.edtf for x in same]
    if (
        hit.rule.type in _STANCES
        and all(re.fullmatch(r"\d{3}X", x) for x in decades)
        and all(int(b[:3]) - int(a[:3]) == 1 for a, b in zip(decades, decades[1:], strict=False))
    ):
        # "in the 1960s and 1970s, Brazil supported …": a stance held over consecutive decades is one
        span = replace(same[0], end=same[-1].end, role="range", end_edtf=decades[-1])
        return [replace(hit, date=span, attrs=dict(hit.attrs), extra=dict(hit.extra))]
    return [replace(hit, date=x, attrs=dict(hit.attrs), extra=dict(hit.extra)) for x in same]


def _finish_one(hit: Hit) -> Claim | None:
    ctx = hit.ctx
    t = TYPES[hit.rule.type]
    symmetric = t.is_symmetric(hit.attrs)
    if hit.actor is None or hit.target is None:
        agents = [x for r in hit.agents for x in resolve(hit, r)]
        targets = [x for r in hit.targets for x in resolve(hit, r)]
        agents = list(dict.fromkeys(agents))
        targets = [x for x in dict.fromkeys(targets) if x not in agents]
        if not targets and hit.target is None and blocked(hit):
            return None
        actor: Actor | None
        target: Actor | None
        if symmetric:
            both = [*agents, *targets]
            third = _with_third_state(hit) if not targets else None
            if third is not None:
                # "negotiated a treaty with the government of New Granada": the other side is that state
                if not agents:
                    return None
                both.append(third)
            pair = _pair_of(ctx, both)
            if pair is None:
                return None
            actor, target = pair
            if ctx.has_parties and {actor, target} == set(ctx.parties):
                actor, target = ctx.parties  # a symmetric fact between the parties reads in title order
        else:
            actor = hit.actor or (agents[0] if agents else None)
            target = hit.target or (targets[0] if targets else None)
            if target is None and hit.target is None and len(agents) >= 2:
                target = agents[1]  # "the British and French were allied": one with the other
            if hit.extra.get("swap"):
                actor, target = target, actor  # "X imports goods from Y": Y exports to X
            if actor is None and target is not None and ctx.has_parties and hit.rule.head == "noun":
                actor = None  # a noun with no owner: leave it to the filler's defaults
            if target is None and actor is not None and ctx.has_parties and ctx.is_party(actor):
                target = ctx.other(actor)
            if (
                actor is None
                and target is not None
                and ctx.has_parties
                and ctx.is_party(target)
                and hit.rule.type
                in (
                    "mission",
                    "envoy",
                )
            ):
                actor = ctx.other(target)
        hit.actor, hit.target = actor, target
    if hit.actor is None or hit.target is None or hit.actor == hit.target:
        return None
    if not ctx.keeps(hit.rule.type, hit.actor, hit.target):
        return None
    _place_date(hit, t.slot_of(hit.attrs))
    polarity = hit.polarity.value
    ev = hit.sent.evidence(*hit.span)
    c = Claim(
        hit.rule.type,
        hit.actor,
        hit.target,
        {k: v for k, v in hit.attrs.items()},
        [ev],
        hit.rule.id,
        hit.confidence,
        start=hit.start,
        end=hit.end,
        date=hit.when,
        order=hit.match.start(),
    )
    c.extra["polarity"] = polarity
    c.extra["cue"] = hit.polarity.cue
    c.extra["sentence"] = hit.sent.start
    c.extra["trigger"] = hit.match.group()
    c.extra["block"] = hit.sent.block.start
    c.extra.update(hit.extra)
    return c


_WITH_BEFORE = re.compile(
    r"\b(?:with|between)\s+(?:the\s+)?(?:(?:government|authorities|representatives|regime|republic|kingdom|"
    r"empire|state|king|emperor|court)\s+of\s+(?:the\s+)?)?$"
)


def _with_third_state(hit: Hit) -> str | None:
    """A state outside the pair that the trigger's clause names as the other side ("with X")."""
    ctx = hit.ctx
    if not ctx.has_parties:
        return None
    lo = hit.clause_span()[0]
    for r in hit.a.mentions_in(hit.clause):
        if r.code.startswith("@") or not ctx.is_state(r.code) or ctx.is_party(r.code):
            continue
        start = hit.a.toks[r.tok].start
        if _WITH_BEFORE.search(hit.low, max(lo, start - 40), start):
            return r.code
    return None


def _pair_of(ctx: DocContext, actors: list[Actor]) -> tuple[Actor, Actor] | None:
    """Both sides of a symmetric fact from the actors its clause names."""
    if ctx.has_parties:
        a, b = ctx.parties
        named = [x for x in actors if x in (a, b)]
        others = [x for x in actors if x not in (a, b)]
        if len(set(named)) == 2:
            return a, b
        if len(set(named)) == 1:
            if others:
                return named[0], others[0]
            return a, b
        if others:
            return (others[0], others[1]) if len(others) > 1 else None
        return a, b
    uniq = list(dict.fromkeys(actors))
    return (uniq[0], uniq[1]) if len(uniq) >= 2 else None


def _place_date(hit: Hit, slot: str | None) -> None:
    if hit.start or hit.end or hit.when or hit.undated:
        return
    d = hit.date if hit.date is not None else pick_date(hit)
    when = None
    end_when = None
    if d is not None:
        when = d.edtf
        if d.role == "range":
            end_when = d.end_edtf
        lo, hi = (hit.match.end(), d.start) if d.start >= hit.match.end() else (d.end, hit.match.start())
        if d.role == "point" and _AFTER_EVENT.search(hit.low, lo, hi):
            when = when[
                :4
            ]  # "established after the independence on 27 August 1991": that day is the other event's
    elif (
        hit.sent.inherited
        and hit.rule.head == "verb"
        and (slot != "start" or hit.rule.type not in ("relations", "mission", "envoy"))
    ):
        when = hit.sent.inherited  # "In the early 2000s, …. Belgium imported …": the paragraph's period
    if when is None:
        return
    if (
        d is not None
        and d.role != "range"
        and slot in ("start", "end")
        and d.text.lower().startswith(("as of", "as at", "by "))
    ):
        # "as of 2024, Guatemala recognises Taiwan": it holds then, it did not begin then; a count or a
        # value "as of 2020" is dated by it
        if hit.rule.type in ("migration", "trade", "aid"):
            hit.when = when
        return
    if d is not None and d.role == "range" and (slot in ("start", "end", None) or hit.rule.type in _STANCES):
        hit.start, hit.end = when, end_when
        return
    if d is not None and d.role in ("until", "before") and slot == "start":
        hit.end = when
        return
    if d is not None and d.role == "point" and any(k in hit.attrs for k in ("value", "count", "amount")):
        hit.when = when  # a figure is dated: "trade stood at US$17 billion in 2017"
        return
    if slot == "end":
        hit.end = when
    elif slot == "date":
        hit.when = when
    elif slot == "start":
        hit.start = when
