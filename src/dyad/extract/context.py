"""What the extractor knows while it reads one document: sentences with their actors and dates.

A :class:`Sent` is one sentence with the actor mentions and date mentions found in it and the
helpers the fact rules share: clauses, the subject before a word, the actor after it, the date that
governs it. A :class:`DocContext` carries what runs across sentences: the parties, the last subject
(for "it", "its"), dated events that later sentences refer back to ("as the conflict escalated").
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from ..model import Actor, Evidence
from ..read.article import Article, Block, Sentence
from ..resolve.actors import Gazetteer, Mention
from ..resolve.dates import DateMention, find_dates, resolve_relative
from ..resolve.places import is_city
from ..resolve.relative import find_news_dates, with_news_dates
from .analysis import Analysis, analyse
from .persons import person_mentions
from .records import CueSet, load_cues
from .rules import Rules, lowered

# Words that make the actor after them an object or a place rather than the one who acts.
# Words that make the actor after them an object or a place rather than the one who acts.
_OBLIQUE = frozenset(
    "in to from of with against on at for by into toward towards via within over after before following "
    "since "
    "during until unlike between among than about regarding across under throughout like".split()
)
_LOOKBACK = 5  # sentences a pronoun may reach back for its actor
# Publishers whose stories speak for a government (their officials go unnamed by state).
HOME_SITES = (
    ("whitehouse.gov", "USA"), ("state.gov", "USA"), ("defense.gov", "USA"), ("war.gov", "USA"),
    ("energy.gov", "USA"), ("usmission.gov", "USA"), ("ustr.gov", "USA"),
    ("white house", "USA"), ("department of state", "USA"),
    ("kremlin.ru", "RUS"), ("president of russia", "RUS"), ("gov.uk", "GBR"), ("elysee.fr", "FRA"),
    ("mofa.go.jp", "JPN"), ("kantei.go.jp", "JPN"), ("fmprc.gov.cn", "CHN"),
)  # fmt: skip
_HOME_LINE = re.compile(
    r"\b(?:Official (?:website|site) of the (?:President|Prime Minister|Government) of [A-Z][\w ]+|"
    r"(?:Office|Ministry) of (?:the )?(?:Press Secretary|Foreign Affairs) of [A-Z][\w ]+)"
)
# Lines a government's own page carries near its top (its name, its press office, its archive banner):
# the page speaks for that government. Searched in the first lines only, as written.
HOME_LINES = (
    ("The White House", "USA"),
    ("Office of the Press Secretary", "USA"),
    ("U.S. Department of State", "USA"),
    ("Readout of the President’s", "USA"),
    ("Readout of the President's", "USA"),
    ("Readout of the Vice President’s", "USA"),
    ("Readout of the Vice President's", "USA"),
    ("This is historical material “frozen in time”", "USA"),
    ("American Forces Press Service", "USA"),
    ("Office of the United States Trade Representative", "USA"),
    ("U.S. Mission to the OSCE", "USA"),
    ("Foreign & Commonwealth Office", "GBR"),
    ("Foreign and Commonwealth Office", "GBR"),
    ("GOV.UK", "GBR"),
    ("10 Downing Street", "GBR"),
    ("President of Russia", "RUS"),
    ("The official part of the President", "RUS"),
    ("Council of the European Union", "EU"),
    ("European Commission", "EU"),
    ("European External Action Service", "EU"),
)
_DETERMINERS = frozenset(("the", "a", "an"))
_NOT_VERBS = frozenset(("was", "has", "had", "as", "is", "this", "yes", "does", "goes", "sides", "times"))
# Where a sentence's clauses part. ", and" parts clauses only when a new subject follows (a name
# and then a lower-case word, or a pronoun), so that lists ("chemicals, and pharmaceuticals") stay whole.
_CLAUSE_BREAK = re.compile(
    r";|,\s+(?:but|while|whereas|although|though|with)\s+|\s+while\s+|\s\(|\)"
    r"|,\s+and\s+(?=(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*\s+[a-z]|(?:it|its|they|their|he|she|this|these|in|on|by|"
    r"since|after|the)\b)"
)
_CONTROL = re.compile(
    r"\b(?:asked|urged|told|called on|called for|requested|ordered|invited|forced|allowed|permitted|"
    r"pressed)\s+"
    r"(.{1,40}?)\s+to\s+\w+\s+(?:\w+\s+)?$"
)
_PRONOUN = re.compile(r"\b(?:its|it|their|they|his|her)\b", re.IGNORECASE)
_BOTH = re.compile(
    r"\b(?:(?:the|both)\s+(?:two\s+)?(?:countries|nations|states|governments|sides)|they|their)\b",
    re.IGNORECASE,
)


# Codes are the same in every document: whether one is a state is worth remembering.
_STATE_CACHE: dict[str, bool] = {}


@dataclass(frozen=True, slots=True)
class Clause:
    start: int
    end: int


@dataclass
class DocContext:
    """Per-document state shared by the rules."""

    article: Article
    gazetteer: Gazetteer
    rules: Rules
    parties: tuple[Actor, ...]  # the title's two states; none for a news story
    events: list[tuple[str, str]] = field(default_factory=list)  # (noun, edtf) of dated events
    last_date: str | None = None  # the last explicit date read, for "in September of that year"
    cache: dict = field(default_factory=dict)  # results a rule may compute twice (an infobox mission)
    lower: str = ""  # the text lower-cased, same offsets: what lexicon patterns read
    oblique: dict[int, bool] = field(default_factory=dict)  # mention start -> governed by a preposition
    mentions: list[Mention] = field(default_factory=list)  # every actor mention of the document
    _starts: list[int] = field(default_factory=list)
    cues: CueSet = field(default_factory=load_cues)
    posts: dict = field(default_factory=dict)  # (paragraph, rank) -> (sender, receiver) last named there
    # (sender, host, city) of the mission last named, in reading order: what "it was raised to an
    # embassy" raises
    last_mission: tuple[Actor, Actor, str | None] | None = None

    @property
    def home(self) -> str | None:
        """The state a story speaks for (a government's press release), from its publisher or its
        address, else from the government its first lines name ("Official website of the President of
        Russia", "The White House"); None for an encyclopaedia article."""
        if "home" in self.cache:
            return self.cache["home"]
        code = None
        if self.article.format == "news":
            where = f"{self.article.url or ''} {self.article.publisher or ''}".lower()
            code = next((c for key, c in HOME_SITES if key in where), None)
            if code is None:
                # a header line of the page itself, not a phrase of its story
                lines = self.article.text[:800].splitlines()
                code = next(
                    (c for line, c in HOME_LINES for ln in lines if ln.strip().startswith(line)), None
                )
            if code is None:
                head = self.article.text[:1500]
                m = _HOME_LINE.search(head)
                if m:
                    code = next(
                        (
                            x.code
                            for x in self.gazetteer.find(head, m.start(), m.end())
                            if self.is_state(x.code)
                        ),
                        None,
                    )
                if code is None:
                    # a government's own seat in the page's top lines ("The White House", "Kremlin");
                    # a city there is a dateline, the story's subject, not its speaker
                    top = self.article.text[:300]
                    seats = [
                        x for x in self.gazetteer.find(top) if x.form == "capital" and not is_city(x.text)
                    ]
                    code = seats[0].code if seats else None
        self.cache["home"] = code
        return code

    @property
    def has_parties(self) -> bool:
        """Whether the document is about a pair named in its title (a relations article)."""
        return all(isinstance(p, str) and p for p in self.parties) and len(self.parties) == 2

    def in_scope(self, code: Actor | None) -> bool:
        """Whether facts may be stated about ``code``: a party of a relations article; any state in a
        story about no one pair."""
        if code is None:
            return False
        if self.has_parties:
            return self.is_party(code)
        return isinstance(code, str) and self.is_state(code)

    @property
    def story_pair(self) -> tuple[str, str] | None:
        """The pair a story's headline and lead are about (the first two states they name), which "the
        two leaders" and "both countries" refer to; None for an article, or a story naming fewer."""
        if "story_pair" in self.cache:
            return self.cache["story_pair"]
        pair = None
        if not self.has_parties:
            blocks = [b for b in self.article.blocks if b.kind != "row"][:3]
            if blocks:
                found: list[str] = []
                for m in self.mentions_between(blocks[0].start, min(blocks[-1].end, blocks[0].start + 900)):
                    if m.form != "capital" and self.is_state(m.code) and m.code not in found:
                        found.append(m.code)
                if self.home is not None and self.home not in found:
                    found.insert(0, self.home)
                pair = (found[0], found[1]) if len(found) >= 2 else None
        self.cache["story_pair"] = pair
        return pair

    def counterpart(self, code: Actor, sent: Sent) -> Actor | None:
        """The other side of a fact ``code`` is one side of: the other party, or in a story the state
        named nearest before (or in) the sentence."""
        if self.has_parties:
            return self.other(code)
        return next((x for x in sent.recent_states(4) if x != code), None)

    def keeps(self, type_: str, actor: Actor, target: Actor) -> bool:
        """Whether the document reports a fact between these actors: in a relations article, the two
        parties, or a party and an organisation; elsewhere, any two actors one of which is a state."""
        if not isinstance(actor, str) or not isinstance(target, str):
            return False
        if not self.has_parties:
            return self.is_state(actor) or self.is_state(target)
        if self.is_party(actor) and self.is_party(target):
            return True
        if type_ in ("relations", "mission", "envoy", "trade", "migration", "visit", "meeting", "conflict"):
            return False
        return (self.is_party(actor) and not self.is_state(target)) or (
            self.is_party(target) and not self.is_state(actor)
        )

    def mentions_between(self, start: int, end: int, *, capitals: bool = True) -> list[Mention]:
        """The document's actor mentions inside text[start:end] (found once, in one pass): the states and
        organisations the gazetteer knows, and the officials the text introduces (dyad.extract.persons)."""
        if not self.mentions and not self._starts:
            self.mentions = self.gazetteer.find(self.article.text)
            self._starts = [m.start for m in self.mentions] or [-1]
            people = [
                p
                for p in person_mentions(self)
                if not any(m.start < p.end and p.start < m.end for m in self.mentions)
            ]
            if people:
                self.mentions = sorted([*self.mentions, *people], key=lambda m: m.start)
                self._starts = [m.start for m in self.mentions]
        i = bisect.bisect_left(self._starts, start)
        out = []
        for m in self.mentions[i:]:
            if m.start >= end:
                break
            if m.end <= end and (capitals or m.form != "capital"):
                out.append(m)
        return out

    def __post_init__(self) -> None:
        self.lower = lowered(self.article.text)

    def is_party(self, code: Actor | None) -> bool:
        return code is not None and code in self.parties

    def other(self, code: Actor) -> Actor | None:
        a, b = self.parties
        if code == a:
            return b
        if code == b:
            return a
        return None

    def is_state(self, code: str) -> bool:
        known = _STATE_CACHE.get(code)
        if known is None:
            known = _STATE_CACHE[code] = self.gazetteer.kind(code) != "organisation"
        return known


@dataclass(slots=True)
class Sent:
    """One sentence of a block, with its actors, dates and clauses."""

    ctx: DocContext
    block: Block
    sentence: Sentence
    mentions: list[Mention]
    dates: list[DateMention]
    inherited: str | None = None  # a date the sentence takes from its paragraph or an event it names
    prev: Sent | None = None  # the sentence before, in reading order
    _clauses: list[Clause] | None = None
    _analysis: Analysis | None = None

    @property
    def analysis(self) -> Analysis:
        """The sentence's structure (clauses, roles), read on first use."""
        if self._analysis is None:
            self._analysis = analyse(self.ctx.lower, self.start, self.end, self.mentions, self.dates)
        return self._analysis

    def recent_states(self, n: int) -> list[Actor]:
        """The last ``n`` distinct states named up to the end of this sentence (this one first)."""
        out: list[Actor] = []
        s: Sent | None = self
        for _ in range(_LOOKBACK):
            if s is None:
                break
            for m in reversed(s.mentions):
                if self.ctx.is_state(m.code) and m.code not in out:
                    out.append(m.code)
                    if len(out) == n:
                        return out
            s = s.prev
        return out

    def release(self) -> None:
        """Forget the sentence's structure once it has been read (it is rebuilt if asked for again)."""
        self._analysis = None
        self._clauses = None

    @property
    def clauses(self) -> list[Clause]:
        """The sentence's clauses, split on first use (most sentences never need them)."""
        if self._clauses is None:
            self._clauses = split_clauses(self.text, self.start, self.end)
        return self._clauses

    @property
    def text(self) -> str:
        return self.ctx.article.text

    @property
    def lower(self) -> str:
        return self.ctx.lower

    @property
    def start(self) -> int:
        return self.sentence.start

    @property
    def end(self) -> int:
        return self.sentence.end

    @property
    def section(self) -> str:
        return self.block.section

    def evidence(self, start: int | None = None, end: int | None = None) -> Evidence:
        """Evidence for a span of this sentence (the whole sentence by default), trimmed of the stop."""
        s = self.start if start is None else start
        e = self.end if end is None else end
        t = self.text
        while e > s and t[e - 1] in " .;,:":
            e -= 1
        while s < e and t[s] in " ,;:":
            s += 1
        return Evidence(self.section, s, e, t[s:e])

    def clause_of(self, pos: int) -> Clause:
        """The span of the innermost clause (see :mod:`dyad.extract.analysis`) that holds ``pos``."""
        a = self.analysis
        if not a.toks:
            return Clause(self.start, self.end)
        lo, hi = a.span(a.clause_at(pos))
        return Clause(lo, hi)

    def is_oblique(self, m: Mention) -> bool:
        """True when a preposition or a verb governs the mention ("in Damascus", "condemned the Syrian …")."""
        cache = self.ctx.oblique
        if m.start not in cache:
            cache[m.start] = _governed(self.text[max(self.start, m.start - 30) : m.start])
        return cache[m.start]

    def states(self) -> list[Mention]:
        return [m for m in self.mentions if self.ctx.is_state(m.code)]

    def subject_before(
        self, pos: int, *, within_clause: bool = True, states_only: bool = False
    ) -> str | None:
        """The actor that acts at ``pos``: the last non-oblique mention before it in its clause."""
        lo = self.clause_of(pos).start if within_clause else self.start
        for m in reversed(self.mentions):
            if m.end <= pos and m.start >= lo and not self.is_oblique(m):
                if states_only and not self.ctx.is_state(m.code):
                    continue
                return m.code
        pron = _PRONOUN.search(self.text, lo, pos)
        if pron:
            return self.pronoun_referent(pron.start())
        return None

    def pronoun_referent(self, pos: int) -> str | None:
        """What "its", "their" … at ``pos`` refer to.

        The object of "asked X to recall its …" when the pronoun sits in such a clause; else the
        sentence's subject (its first state not governed by a preposition); else the nearest state
        before; else the subject of the last sentence.
        """
        control = _CONTROL.search(self.text, max(self.start, pos - 80), pos)
        if control:
            for m in self.mentions:
                if control.start(1) <= m.start < control.end(1) and self.ctx.is_state(m.code):
                    return m.code
        states = [
            m for m in self.mentions if m.end <= pos and self.ctx.is_state(m.code) and m.form != "capital"
        ]
        for m in states:
            if not self.is_oblique(m):
                return m.code
        if states:
            return states[-1].code
        return self.previous_subject()

    def previous_subject(self) -> str | None:
        """The actor the sentences before this one were last about (for a pronoun that opens a sentence)."""
        prev = self.prev
        for _ in range(_LOOKBACK):
            if prev is None:
                return None
            for m in reversed(prev.mentions):
                if self.ctx.is_state(m.code) and m.form != "capital" and not prev.is_oblique(m):
                    return m.code
            prev = prev.prev
        return None

    def actor_after(
        self, pos: int, limit: int | None = None, *, states_only: bool = True, skip: str | None = None
    ) -> Mention | None:
        end = self.end if limit is None else min(self.end, limit)
        for m in self.mentions:
            if m.start >= pos and m.end <= end and m.code != skip:
                if states_only and not self.ctx.is_state(m.code):
                    continue
                return m
        return None

    def mentions_both_parties(self) -> bool:
        codes = {m.code for m in self.mentions}
        return all(p in codes for p in self.ctx.parties)

    def refers_to_both(self) -> bool:
        return self.mentions_both_parties() or bool(_BOTH.search(self.text, self.start, self.end))

    def date_near(
        self, pos: int, *, after_first: bool = False, same_clause: bool = True
    ) -> DateMention | None:
        """The date that governs a word at ``pos``: in its clause, nearest (after it first if asked)."""
        if same_clause and self.analysis.toks:
            cands = self.analysis.dates_of(self.analysis.clause_at(pos))
        else:
            cands = list(self.dates)
        if not cands:
            return None
        if after_first:
            after = [d for d in cands if d.start >= pos]
            if after:
                return after[0]
        return min(cands, key=lambda d: abs((d.start + d.end) // 2 - pos))


def _governed(before: str) -> bool:
    """Does the text just before a mention end in a preposition or a verb in -ed/-es (and a determiner)?"""
    if not before or not before[-1].isspace():
        return False
    words = before.split()
    if not words:
        return False
    last = words[-1].lower()
    if last in _DETERMINERS and len(words) > 1:
        if last == "the" and words[-2].lower() in _OBLIQUE:
            return True
        last = words[-2].lower()
    if last in _OBLIQUE:
        return words[-1].lower() in _OBLIQUE or words[-1].lower() == "the"
    return last.isalpha() and last.islower() and last.endswith(("ed", "es")) and last not in _NOT_VERBS


def build_sents(ctx: DocContext, blocks: list[Block]) -> list[Sent]:
    """Every sentence of the blocks, with actors and dates found in one pass over the document."""
    text = ctx.article.text
    if not blocks:
        return []
    lo, hi = blocks[0].start, blocks[-1].end
    mentions = ctx.mentions_between(lo, hi)
    dates = find_dates(text, lo, hi)
    if ctx.article.format == "news":  # a story's "on Tuesday" counts from its day
        dates = with_news_dates(dates, find_news_dates(text, lo, hi))
    out = []
    mi = di = 0
    for block in blocks:
        for sentence in block.sentences:
            # mentions and dates are in text order, like the sentences: walk them alongside
            while mi < len(mentions) and mentions[mi].start < sentence.start:
                mi += 1
            mj = mi
            while mj < len(mentions) and mentions[mj].end <= sentence.end:
                mj += 1
            while di < len(dates) and dates[di].start < sentence.start:
                di += 1
            dj = di
            while dj < len(dates) and dates[dj].end <= sentence.end:
                dj += 1
            out.append(build_sent(ctx, block, sentence, mentions[mi:mj], dates[di:dj]))
            out[-1].prev = out[-2] if len(out) > 1 else None
            mi, di = mj, dj
    return out


def build_sent(
    ctx: DocContext,
    block: Block,
    sentence: Sentence,
    mentions: list[Mention] | None = None,
    found: list[DateMention] | None = None,
) -> Sent:
    text = ctx.article.text
    if mentions is None:
        mentions = ctx.gazetteer.find(text, sentence.start, sentence.end)
    if found is None:
        found = find_dates(text, sentence.start, sentence.end)
        if ctx.article.format == "news":
            found = with_news_dates(found, find_news_dates(text, sentence.start, sentence.end))
    dates = []
    for d in found:
        if d.role == "relative":
            # "that year" counts from the last date read; a story's "last month" from its own day
            anchor = ctx.article.published if d.unit else ctx.last_date
            if anchor is None:
                continue
            d = replace(d, edtf=resolve_relative(d, anchor), role="point")
        elif d.edtf:
            ctx.last_date = d.end_edtf or d.edtf
        if d.edtf:
            dates.append(d)
    return Sent(ctx, block, sentence, mentions, dates)


def split_clauses(text: str, start: int, end: int) -> list[Clause]:
    clauses = []
    pos = start
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        clauses.append(Clause(pos, m.start()))
        pos = m.start()
    clauses.append(Clause(pos, end))
    return clauses
