"""A profile of a pair: an article about the relations of two countries, written from the facts.

    >>> p = profile(kb, "Belgium", "Syria")                  # from the knowledge base
    >>> p = profile_from_documents([doc], "BEL", "SYR")       # from extracted documents, no database
    >>> print(to_article(p))                                  # the flattened article format of the seed
    >>> to_markdown(p), to_html(p, map_svg=..., chart_svg=...)

A :class:`Profile` has a title, an infobox, a lead (how and when relations began, what holds now, the
organisations both belong to), sections by theme (diplomatic history with agreements, visits and
meetings, economic relations, sanctions, humanitarian assistance, migration, security, conflicts), See
also, and footnotes. Only asserted facts are told; planned, negated and claimed ones are not. Every
sentence is written from facts (:mod:`dyad.render.prose`) and keeps them; each footnote names a source
and quotes its evidence. A section appears only when facts support it, so a pair with few facts gets a
short article.

The facts are those between the two, plus the facts of the pair's own articles about either of them (the
organisations they belong to, the EU's sanctions on one of them). Facts that several sources state alike
are one, citing every source. With ``at``, the article is written as of that date: what began later is
left out and what ended later is still open.

The article format round-trips: ``dyad extract`` reads a generated article back into the facts it was
written from (its References are a table, which the extractor does not read for facts).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from dyad import edtf
from dyad.edtf import bounds as edtf_bounds
from dyad.errors import DyadError, UnknownActorError
from dyad.kb import parse_date
from dyad.model import Actor, Document, Named, SourceRecord, StoredFact, actor_key
from dyad.query import PairHistory, group_entries
from dyad.query.show import core_status
from dyad.registry import SANCTION_SCOPES
from dyad.render.phrases import Phrasebook, load_phrasebook
from dyad.render.prose import Cited, Sentence, Support, Writer, time_key
from dyad.report import citation_label, source_label

if TYPE_CHECKING:
    from dyad.kb import KnowledgeBase
    from dyad.query import Entry
    from dyad.resolve.actors import Gazetteer

__all__ = [
    "Footnote",
    "Profile",
    "Section",
    "profile",
    "profile_from_documents",
    "profile_from_facts",
    "to_article",
    "to_html",
    "to_markdown",
]

#: Infobox titles of envoy ranks, as the articles write them.
ENVOY_TITLES = {
    "ambassador": "Ambassador",
    "minister": "Minister Plenipotentiary",
    "envoy": "Envoy",
    "charge-d-affaires": "Chargé d'Affaires",
    "high-commissioner": "High Commissioner",
    "nuncio": "Apostolic Nuncio",
    "other": "Head of Mission",
}
_INFOBOX_MISSIONS = {
    "embassy": "Embassy",
    "consulate-general": "Consulate General",
    "consulate": "Consulate",
    "legation": "Legation",
    "representative-office": "Representative Office",
}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Footnote:
    """A source place a sentence cites: the source's title and path, and the quoted evidence."""

    number: int
    title: str
    path: str
    section: str
    start: int
    end: int
    quote: str
    citing: str | None = None  # "Wikipedia, citing Reuters 2012-03-02"
    url: str | None = None  # the cited reference's http(s) address


@dataclass(frozen=True, slots=True)
class Section:
    """A titled part of the article: paragraphs of sentences."""

    title: str
    paragraphs: tuple[tuple[Sentence, ...], ...]


@dataclass(frozen=True, slots=True)
class Profile:
    """An article about a pair, every sentence with the facts it states and its footnote numbers.

    ``infobox`` is ordered (key, value) pairs as the articles' infoboxes give them; ``facts`` are all
    the facts the article states, in the order it first states them.
    """

    a: Actor
    b: Actor
    names: Mapping[str, str]
    at: str | None
    title: str
    infobox: tuple[tuple[str, str], ...]
    lead: tuple[tuple[Sentence, ...], ...]
    sections: tuple[Section, ...]
    see_also: tuple[str, ...]
    footnotes: tuple[Footnote, ...]
    facts: tuple[Cited, ...]

    @property
    def empty(self) -> bool:
        return not self.facts

    def sentences(self) -> list[Sentence]:
        """Every sentence, lead first, in reading order."""
        out = [s for p in self.lead for s in p]
        return out + [s for sec in self.sections for p in sec.paragraphs for s in p]

    def name(self, actor: Actor) -> str:
        return self.names.get(actor_key(actor), actor_key(actor))


# -- gathering the facts --


def profile(kb: KnowledgeBase, a: str, b: str, *, at: str | None = None) -> Profile:
    """The profile of ``a`` and ``b`` from the knowledge base (names, codes or adjectives)."""
    ca, cb = kb.resolve(a), kb.resolve(b)
    if ca == cb:
        raise DyadError(f"'{a}' and '{b}' are both {ca}; name two different countries")
    pair = {ca, cb}
    found: dict[int | None, StoredFact] = {}
    for sf in [*kb.facts(ca), *kb.facts(cb)]:
        if sf.fact.polarity != "asserted":
            continue  # the article states what the sources assert (planned and denied facts apart)
        own_source = {actor_key(p) for p in sf.source.parties} == pair
        between = {actor_key(sf.fact.actor), actor_key(sf.fact.target)} == pair
        if between or own_source:
            found[sf.id] = sf
    facts = sorted(found.values(), key=lambda sf: (sf.source.path, sf.id))
    sources = [sf.source for sf in facts if {actor_key(p) for p in sf.source.parties} == pair]
    return profile_from_facts(facts, ca, cb, name=kb.name, links=_links(sources), at=at)


def profile_from_facts(
    facts: Sequence[StoredFact],
    a: str,
    b: str,
    *,
    name: Callable[[Actor], str],
    links: Sequence[str] = (),
    at: str | None = None,
    adjective: Callable[[Actor], str | None] | None = None,
) -> Profile:
    """The profile of the pair (codes) ``a``, ``b`` from facts already read (a page's, a store's)."""
    return _write(facts, (a, b), name, adjective or _adjective, links, at)


def profile_from_documents(
    docs: Iterable[Document], a: str, b: str, *, at: str | None = None, gazetteer: Gazetteer | None = None
) -> Profile:
    """The profile of ``a`` and ``b`` from extracted documents, without a knowledge base.

    ``a`` and ``b`` take names, codes or adjectives. A document about the pair gives all its facts about
    either of them; any other document gives its facts between the two.
    """
    gz = gazetteer or _gazetteer()
    ca, cb = _resolve(gz, a), _resolve(gz, b)
    if ca == cb:
        raise DyadError(f"'{a}' and '{b}' are both {ca}; name two different countries")
    pair = {ca, cb}
    facts: list[StoredFact] = []
    sources: list[SourceRecord] = []
    for i, doc in enumerate(docs):
        s = doc.source
        record = SourceRecord(
            i, s.path, s.title, s.format, s.sha256, doc.parties, doc.links, _EPOCH, published=s.published
        )
        own = {actor_key(p) for p in doc.parties} == pair
        if own:
            sources.append(record)
        for f in doc.facts:
            if f.polarity != "asserted":
                continue  # the article states what the sources assert (planned and denied facts apart)
            involved = {actor_key(f.actor), actor_key(f.target)}
            if involved == pair or (own and involved & pair):
                facts.append(StoredFact(None, f, record))

    def name(actor: Actor | str) -> str:
        return _name(gz, actor)

    return _write(facts, (ca, cb), name, lambda c: _adjective(c, gz), _links(sources), at)


@functools.cache
def _gazetteer() -> Gazetteer:
    from dyad.resolve.actors import Gazetteer

    return Gazetteer.default()


def _resolve(gz: Gazetteer, name: str) -> str:
    code = gz.resolve(name.strip())
    if code is None:
        raise UnknownActorError(name, gz.suggest(name))
    return code


def _name(gz: Gazetteer, actor: Actor | str) -> str:
    if isinstance(actor, Named):
        return actor.name
    if actor.startswith("*"):
        return actor[1:]
    try:
        return str(gz.name(actor))
    except (KeyError, LookupError, ValueError, DyadError):
        return actor


def _adjective(actor: Actor, gz: Gazetteer | None = None) -> str | None:
    if isinstance(actor, Named):
        return None
    try:
        return (gz or _gazetteer()).adjective(actor)
    except (KeyError, LookupError, ValueError, DyadError):
        return None


def _http(url: object) -> str | None:
    """A reference's address when it is a web link (anything else is never made a link)."""
    return url if isinstance(url, str) and url.startswith(("http://", "https://")) else None


def _links(sources: Sequence[SourceRecord]) -> list[str]:
    return list(dict.fromkeys(link for s in sources for link in s.links))


def _cited(entry: Entry) -> Cited:
    supports = tuple(
        Support(
            source_label(sf.source),
            sf.source.path,
            ev,
            citation_label(sf.source, ev.ref) if ev.ref else None,
            _http(ev.ref.get("url")) if ev.ref else None,
        )
        for sf in entry.facts
        for ev in sf.fact.evidence
    )
    return Cited(
        entry.type, entry.actor, entry.target, dict(entry.attrs), entry.start, entry.end, entry.date, supports
    )


def _as_of(c: Cited, at_last: int) -> Cited | None:
    """The fact as it stood on the day ``at_last`` (yyyymmdd), or None when the sources do not place it
    by then: it began later, or its start is not stated and it had not ended by then (it may not have
    begun: dyad.query answers "unknown" of it)."""
    begun = edtf_bounds(c.start or c.date)
    ended = edtf_bounds(c.end)
    if begun is None:
        return c if ended is not None and ended[0] <= at_last else None
    if begun[0] > at_last:
        return None
    if ended and ended[0] > at_last:
        return replace(c, end=None)
    return c


# -- writing the article --


def _write(
    facts: Sequence[StoredFact],
    parties: tuple[str, str],
    name: Callable[[Actor], str],
    adjective: Callable[[Actor], str | None],
    links: Sequence[str],
    at: str | None,
) -> Profile:
    when = parse_date(at) if at else None
    a, b = parties
    every = group_entries(list(facts))
    # Who was in post on the article's date (today without one): the heads of mission of dyad.query.
    answers = PairHistory.build(every, a, b).answers(edtf_bounds(when or edtf.today()))  # type: ignore[arg-type]
    cited: list[Cited] = []
    recent: set[int] = set()
    for e in every:
        if e.polarity != "asserted":
            continue  # planned, negated and claimed facts are not told as what happened
        c: Cited | None = _cited(e)
        if when:
            # As of a date, the article states only what the sources date by then: a fact without a
            # date is the source's present, which is not that date.
            c = _as_of(c, edtf_bounds(when)[1]) if e.dated else None  # type: ignore[arg-type,index]
        if c is None:
            continue
        cited.append(c)
        if e.type == "envoy" and c.start and core_status(answers, e) == "yes":
            recent.add(id(c))
    book = load_phrasebook()
    w = Writer(book, name, adjective, parties)
    names = {actor_key(x): name(x) for x in [a, b, *(y for c in cited for y in (c.actor, c.target))]}
    by_type: dict[str, list[Cited]] = {}
    for c in cited:
        by_type.setdefault(c.type, []).append(c)
    used: set[int] = set()
    lead = _lead(w, by_type, parties, used, recent)
    sections = _sections(w, book, by_type, used, recent)
    title = f"{names[a]}–{names[b]} relations"
    see_also = [x for x in links if x != title] or [f"Foreign relations of {w.the(x)}" for x in (a, b)]
    numbered_lead, numbered_sections, footnotes = _number(lead, sections)
    stated: dict[int, Cited] = {}
    for paragraph in [*numbered_lead, *(p for s in numbered_sections for p in s.paragraphs)]:
        for sentence in paragraph:
            for c in sentence.facts:
                stated.setdefault(id(c), c)
    return Profile(
        a=a,
        b=b,
        names=names,
        at=when,
        title=title,
        infobox=_infobox(w, by_type, parties, names, recent),
        lead=numbered_lead,
        sections=numbered_sections,
        see_also=tuple(see_also),
        footnotes=footnotes,
        facts=tuple(stated.values()),
    )


def _chronological(sentences: Iterable[tuple[str | None, Sentence]]) -> tuple[Sentence, ...]:
    """Dated sentences in time order, undated ones after them.

    When the paragraph has a decade or a century, its undated sentences go first instead: the
    extractor lends a paragraph's "in the 1990s" to the undated sentences that follow it.
    """
    items = list(sentences)
    dated = sorted((x for x in items if x[0]), key=lambda x: time_key(x[0]))
    undated = [x for x in items if not x[0]]
    vague = any("X" in (when or "") for when, _ in dated)
    ordered = undated + dated if vague else dated + undated
    return tuple(s for _, s in ordered)


def _lead(
    w: Writer, by_type: Mapping[str, list[Cited]], parties: tuple[str, str], used: set[int], recent: set[int]
) -> list[tuple[Sentence, ...]]:
    """How and when relations began and what became of them; what holds now; shared memberships.

    Adds the ids of the facts it states to ``used``.
    """
    relations = by_type.get("relations", [])
    began = {c.start for c in relations if c.start and c.attrs.get("status") == "established"}
    how = [c for c in by_type.get("envoy", []) if c.start in began]
    first = _chronological(
        [
            (c.end if c.attrs.get("status") in ("severed", "suspended") else c.when, w.relations(c))
            for c in relations
        ]
        + _envoy_sentences(w, how, recent)
    )
    now: list[Sentence] = []
    latest = _latest_missions(by_type.get("mission", []))
    missions = [c for c in latest if not (c.start or c.end or c.date)]
    for party in parties:
        own = [c for c in missions if actor_key(c.actor) == party]
        if own:
            now += w.missions_present(own[0].actor, own)
    others = [c for c in missions if actor_key(c.actor) not in parties]
    for actor in dict.fromkeys(actor_key(c.actor) for c in others):
        own = [c for c in others if actor_key(c.actor) == actor]
        now += w.missions_present(own[0].actor, own)
    events = [
        x
        for c in latest
        if c.start or c.end or c.date
        for x in w.mission_event(c, reopened=_reopened(c, by_type.get("mission", [])))
    ]
    now += _chronological(events)
    current = [
        c for c in by_type.get("envoy", []) if c.attrs.get("person") and not (c.start or c.end or c.date)
    ]
    now += [w.envoy(c) for c in current]
    now += w.memberships(by_type.get("membership", []))
    paragraphs = [p for p in (first, tuple(now)) if p]
    used.update(id(c) for p in paragraphs for s in p for c in s.facts)
    return paragraphs


def _sections(
    w: Writer, book: Phrasebook, by_type: Mapping[str, list[Cited]], used: set[int], recent: set[int]
) -> list[Section]:
    titles = book.sections
    out: list[Section] = []
    rest = {t: [c for c in cs if id(c) not in used] for t, cs in by_type.items()}
    diplomacy = _diplomacy(w, rest, recent)
    if diplomacy:
        out.append(Section(titles["diplomacy"], diplomacy))
    trade = _trade(w, rest.get("trade", []))
    if trade:
        out.append(Section(titles["trade"], trade))
    if rest.get("sanctions"):
        scopes = _sanction_scopes()
        sentences = _chronological((c.when, w.sanctions(c, scopes)) for c in rest["sanctions"])
        out.append(Section(titles["sanctions"], (sentences,)))
    if rest.get("aid"):
        aid = rest["aid"]
        humanitarian = all(c.attrs.get("kind") == "humanitarian" for c in aid)
        title = titles["aid"] if humanitarian else titles["aid_mixed"]
        out.append(Section(title, (_chronological((c.when, w.aid(c)) for c in aid),)))
    if rest.get("migration"):
        sentences = _chronological((c.when, w.migration(c)) for c in rest["migration"])
        out.append(Section(titles["migration"], (sentences,)))
    if rest.get("security"):
        sentences = _chronological((c.when, w.security(c)) for c in rest["security"])
        out.append(Section(titles["security"], (sentences,)))
    if rest.get("conflict"):
        sentences = _chronological((c.when, w.conflict(c)) for c in rest["conflict"])
        out.append(Section(titles["conflict"], (sentences,)))
    return out


def _sanction_scopes() -> frozenset[str]:
    return frozenset(SANCTION_SCOPES)


def _diplomacy(
    w: Writer, by_type: Mapping[str, list[Cited]], recent: set[int]
) -> tuple[tuple[Sentence, ...], ...]:
    """Missions opened and closed; envoys; agreements and visits; statements: a paragraph each."""
    events: list[tuple[str | None, Sentence]] = []
    missions = by_type.get("mission", [])
    for c in missions:
        events += w.mission_event(c, reopened=_reopened(c, missions))
    paragraphs = [
        _chronological(events),
        _chronological(_envoy_sentences(w, by_type.get("envoy", []), recent)),
        _chronological(
            [(c.when, w.agreement(c)) for c in by_type.get("agreement", [])]
            + [(c.when, w.visit(c)) for c in by_type.get("visit", [])]
            + [(c.when, w.meeting(c)) for c in by_type.get("meeting", [])]
        ),
        _chronological((c.when, w.statement(c)) for c in by_type.get("statement", [])),
    ]
    return tuple(p for p in paragraphs if p)


def _reopened(c: Cited, missions: Sequence[Cited]) -> bool:
    """Whether the mission's start follows the closing of the same mission."""
    same = [d for d in missions if d is not c and _same_mission(c, d)]
    return bool(c.start) and any(d.end and time_key(d.end) <= time_key(c.start) for d in same)


def _latest_missions(missions: Sequence[Cited]) -> list[Cited]:
    """Of each mission (sender, kind, city), the fact about its latest state: what holds now."""
    latest: dict[tuple[Any, ...], Cited] = {}
    for c in missions:
        key = (actor_key(c.actor), c.attrs.get("kind"), c.attrs.get("city"))
        if key not in latest or time_key(c.end or c.start or c.date) > time_key(
            latest[key].end or latest[key].start or latest[key].date
        ):
            latest[key] = c
    return list(latest.values())


def _same_mission(c: Cited, d: Cited) -> bool:
    keys = ("kind", "city")
    return actor_key(c.actor) == actor_key(d.actor) and all(c.attrs.get(k) == d.attrs.get(k) for k in keys)


def _envoy_sentences(
    w: Writer, envoys: Sequence[Cited], recent: set[int]
) -> list[tuple[str | None, Sentence]]:
    out: list[tuple[str | None, Sentence]] = []
    paired: set[int] = set()
    for c in envoys:
        if id(c) in paired:
            continue
        if not c.attrs.get("person") and c.start:
            mate = next(
                (
                    d
                    for d in envoys
                    if id(d) not in paired
                    and d is not c
                    and not d.attrs.get("person")
                    and d.start == c.start
                    and d.attrs.get("rank") == c.attrs.get("rank")
                    and actor_key(d.actor) == actor_key(c.target)
                    and actor_key(d.target) == actor_key(c.actor)
                ),
                None,
            )
            if mate is not None:
                paired |= {id(c), id(mate)}
                out.append((c.start, w.envoys_exchanged(c, mate)))
                continue
        out.append((c.when, w.envoy(c, current=id(c) in recent)))
    return out


def _trade(w: Writer, trade: Sequence[Cited]) -> tuple[tuple[Sentence, ...], ...]:
    """A paragraph per trend and start of goods (the trend sentence first), then the general trends.

    The extractor gives goods in a paragraph the trend of the paragraph's trend sentence, and reads a
    trend sentence with goods after it as no fact of its own: so trends without goods stand apart.
    """
    goods = [c for c in trade if c.attrs.get("goods")]
    general = [c for c in trade if not c.attrs.get("goods")]
    groups: dict[tuple[str | None, str | None], list[Cited]] = {}
    for c in sorted(goods, key=lambda c: time_key(c.start)):
        groups.setdefault((c.attrs.get("trend"), c.start if c.attrs.get("trend") else None), []).append(c)
    out = []
    for (trend, start), group in groups.items():
        if trend:
            sentences = [w.trade_trend_of(str(trend), start, group)]
            sentences += [w.trade_goods(c, dated=False) for c in group]
        else:
            sentences = [
                s
                for _, s in sorted(
                    ((c.when, w.trade_goods(c, dated=True)) for c in group), key=lambda x: time_key(x[0])
                )
            ]
        out.append(tuple(sentences))
    for c in sorted(general, key=lambda c: time_key(c.when)):
        out.append((w.trade_trend(c),))
    return tuple(out)


# -- infobox --


def _infobox(
    w: Writer,
    by_type: Mapping[str, list[Cited]],
    parties: tuple[str, str],
    names: Mapping[str, str],
    in_post: set[int],
) -> tuple[tuple[str, str], ...]:
    a, b = parties
    adj_a, adj_b = w.adj(a), w.adj(b)
    title = f"{adj_a}–{adj_b} relations" if adj_a and adj_b else f"{names[a]}–{names[b]} relations"
    rows = [
        ("Title", title),
        ("Map", f"{names[a]} {names[b]} Locator.svg"),
        ("Party1", names[a]),
        ("Party2", names[b]),
    ]
    for n, party in enumerate(parties, 1):
        m = _infobox_mission(w, by_type.get("mission", []), party)
        if m:
            rows.append((f"Mission{n}", m))
    for n, party in enumerate(parties, 1):
        envoy = _current_envoy(by_type.get("envoy", []), party, in_post)
        if envoy is not None:
            rows.append((f"Envoytitle{n}", ENVOY_TITLES.get(str(envoy.attrs.get("rank")), "Envoy")))
            if envoy.attrs.get("person"):
                rows.append((f"Envoy{n}", str(envoy.attrs["person"])))
    return tuple(rows)


def _infobox_mission(w: Writer, missions: Sequence[Cited], party: str) -> str | None:
    """The party's open mission to the other, an embassy in the capital if there is one."""
    own = [
        c
        for c in missions
        if actor_key(c.actor) == party and not c.end and c.attrs.get("kind") in _INFOBOX_MISSIONS
    ]
    if not own:
        return None
    capital = _capital(w, own[0].target)
    best = min(own, key=lambda c: (c.attrs.get("kind") != "embassy", c.attrs.get("city") != capital))
    kind = str(best.attrs.get("kind"))
    city = best.attrs.get("city")
    if kind == "embassy" and party == "VAT":
        return f"Apostolic Nunciature, {city}" if city else f"Apostolic Nunciature to {w.the(best.target)}"
    words = f"{_INFOBOX_MISSIONS[kind]} of {w.the(party)}"
    return f"{words}, {city}" if city else f"{words} to {w.the(best.target)}"


def _capital(w: Writer, actor: Actor) -> str | None:
    if isinstance(actor, Named):
        return None
    try:
        return _gazetteer().capital(actor)
    except (KeyError, LookupError, ValueError, DyadError):
        return None


def _current_envoy(envoys: Sequence[Cited], party: str, in_post: set[int]) -> Cited | None:
    """The party's envoy now: one in post by dyad.query's rules (one head at a time, an appointment
    with no successor not forever), or one its source states with no date (the source's present)."""
    own = [
        c
        for c in envoys
        if actor_key(c.actor) == party and not c.end and (id(c) in in_post or not (c.start or c.date))
    ]
    if not own:
        return None
    return max(
        own,
        key=lambda c: (
            any(s.evidence.section == "Infobox" for s in c.supports),
            time_key(c.start),
            bool(c.attrs.get("person")),
        ),
    )


# -- footnotes --


def _number(
    lead: Sequence[tuple[Sentence, ...]], sections: Sequence[Section]
) -> tuple[tuple[tuple[Sentence, ...], ...], tuple[Section, ...], tuple[Footnote, ...]]:
    """Give each sentence the numbers of its sources' evidence, numbered in reading order."""
    numbers: dict[tuple[str, int, int], Footnote] = {}

    def note(sentence: Sentence) -> Sentence:
        mine = []
        for c in sentence.facts:
            for s in c.supports:
                key = (s.path, s.evidence.start, s.evidence.end)
                if key not in numbers:
                    e = s.evidence
                    numbers[key] = Footnote(
                        len(numbers) + 1, s.title, s.path, e.section, e.start, e.end, e.quote, s.citing, s.url
                    )
                if numbers[key].number not in mine:
                    mine.append(numbers[key].number)
        return replace(sentence, notes=tuple(mine))

    new_lead = tuple(tuple(note(s) for s in p) for p in lead)
    new_sections = tuple(
        Section(sec.title, tuple(tuple(note(s) for s in p) for p in sec.paragraphs)) for sec in sections
    )
    return new_lead, new_sections, tuple(numbers.values())


# The formats live in their own module; they are part of this module's API.
from dyad.render.formats import to_article, to_html, to_markdown  # noqa: E402
