"""Sentences from facts: the words a profile article is written in, each sentence with its facts.

The phrasings are data (``templates/sentences.toml``, see :mod:`dyad.render.phrases`). A :class:`Writer`
turns facts of one type into :class:`Sentence` objects; the n-th sentence of a case in one article takes
the case's n-th phrasing (cycling), so an article does not repeat itself.

Every phrasing is chosen so that ``dyad extract`` reads it back into the fact it was written from:
the verbs and prepositions are those of the extraction lexicon, a sentence names its actor (never "it"),
and dates keep the precision the facts give ("in the 1990s" for ``199X``, never a guessed year).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dyad.model import Actor, Evidence, Named, actor_key
from dyad.render.phrases import Phrasebook
from dyad.resolve.dates import edtf_sort_key, format_edtf

__all__ = ["Cited", "Sentence", "Support", "Writer", "listing", "on", "time_key"]

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}~?")


# -- what a sentence is made of --


@dataclass(frozen=True, slots=True)
class Support:
    """One place a source states a fact: the source's title and path, and the quoted evidence."""

    title: str
    path: str
    evidence: Evidence
    citing: str | None = None  # "Wikipedia, citing Reuters 2012-03-02": the reference the source gives
    url: str | None = None  # that reference's address


@dataclass(frozen=True, slots=True)
class Cited:
    """A fact as a profile states it, with every place in the sources that supports it.

    ``type``, ``actor``, ``target``, ``attrs`` and the times are those of facts.md; when several
    sources agree, the times are the most precise they give.
    """

    type: str
    actor: Actor
    target: Actor
    attrs: Mapping[str, Any]
    start: str | None
    end: str | None
    date: str | None
    supports: tuple[Support, ...]

    @property
    def when(self) -> str | None:
        """The first time the fact gives: its start, else its date, else its end."""
        return self.start or self.date or self.end


@dataclass(frozen=True, slots=True)
class Sentence:
    """A generated sentence (sometimes two) and the facts it states."""

    text: str
    facts: tuple[Cited, ...]
    notes: tuple[int, ...] = ()


def time_key(edtf: str | None) -> tuple[int, ...]:
    """Chronological order of EDTF dates, undated first."""
    return (0, *edtf_sort_key(edtf)) if edtf else (-1,)


def on(edtf: str) -> str:
    """The date with its preposition: 'on 20 March 1946', 'in March 1946', 'in the 1990s'."""
    words = format_edtf(edtf)
    return f"on {words}" if _DAY.fullmatch(edtf) else f"in {words}"


# -- words --

_MISSION_NOUNS = {
    "embassy": ("embassy", "embassies"),
    "consulate-general": ("consulate general", "consulates general"),
    "consulate": ("consulate", "consulates"),
    "honorary-consulate": ("honorary consulate", "honorary consulates"),
    "legation": ("legation", "legations"),
    "representative-office": ("representative office", "representative offices"),
    "interests-section": ("interests section", "interests sections"),
    "non-resident": ("non-resident embassy", "non-resident embassies"),
}
_NUNCIATURE = ("apostolic nunciature", "apostolic nunciatures")
_TITLES = {
    "ambassador": ("ambassador", "ambassadors"),
    "minister": ("minister plenipotentiary", "ministers plenipotentiary"),
    "envoy": ("envoy", "envoys"),
    "charge-d-affaires": ("chargé d'affaires", "chargés d'affaires"),
    "high-commissioner": ("high commissioner", "high commissioners"),
    "nuncio": ("apostolic nuncio", "apostolic nuncios"),
    "other": ("head of mission", "heads of mission"),
}
_MEETINGS = {
    "talks": "talks",
    "call": "a telephone call",
    "negotiation": "negotiations",
    "summit": "a summit",
}
_STANCE_VERBS = {
    "condemn": ("condemned",),
    "criticize": ("criticized",),
    "support": ("supported", "expressed support for"),
    "praise": ("praised", "welcomed"),
    "concern": ("expressed concern about",),
    "demand": ("called for",),
    "deny": ("denied",),
    "reject": ("rejected",),
    "apologize": ("apologized for",),
}


def listing(items: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    items = list(items)
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _indefinite(noun: str) -> str:
    vowel = noun[:1].lower() in "aeiou" or noun.lower().startswith(("hon", "hour", "heir"))
    return ("an " if vowel else "a ") + noun


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# -- the writer --


@dataclass
class Writer:
    """Writes the sentences of one article; keeps count of each case to vary the phrasing.

    ``name`` gives an actor's display name ("United States"), ``adjective`` its adjective or None.
    """

    book: Phrasebook
    name: Callable[[Actor], str]
    adjective: Callable[[Actor], str | None]
    parties: tuple[Actor, Actor]
    _used: dict[tuple[str, str], int] = field(default_factory=dict)

    # -- basics --

    def say(self, table: str, case: str, facts: Iterable[Cited], **fields: str) -> Sentence:
        variants = self.book.cases[table][case]
        n = self._used.get((table, case), 0)
        self._used[(table, case)] = n + 1
        text = _cap(variants[n % len(variants)].format_map(fields))
        if text.endswith(".."):  # "Washington, D.C." closing the sentence
            text = text[:-1]
        return Sentence(text, tuple(facts))

    def the(self, actor: Actor) -> str:
        """The name as it reads in running text: 'Belgium', 'the United States', 'The Gambia'."""
        name = self.name(actor)
        if name.lower().startswith("the "):
            return name
        words = set(re.findall(r"[A-Za-z]+", name))
        return f"the {name}" if words & self.book.the_words else name

    def adj(self, actor: Actor) -> str | None:
        return None if isinstance(actor, Named) else self.adjective(actor)

    def other(self, actor: Actor) -> Actor:
        a, b = self.parties
        return b if actor_key(actor) == actor_key(a) else a

    @staticmethod
    def dates(f: Cited) -> dict[str, str]:
        """The date fields of a fact: when/When for its first time, start and end as words."""
        out = {"when": "", "When": "", "start": "", "end": "", "since": "", "date": ""}
        first = f.when
        if f.start and f.end and not f.date:
            # a period: "from the 1960s to the 1970s"
            span = f"from {format_edtf(f.start)} to {format_edtf(f.end)}"
            out["when"], out["When"] = " " + span, _cap(span)
        elif first:
            out["when"] = " " + on(first)
            out["When"] = _cap(on(first))
        if f.start:
            out["start"] = format_edtf(f.start)
            out["since"] = " since " + format_edtf(f.start)
        if f.end:
            out["end"] = format_edtf(f.end)
        if f.date:
            out["date"] = format_edtf(f.date)
        return out

    @staticmethod
    def period(f: Cited, *, opening: str = "since") -> str:
        """' since 2011', ' from 2011 to 2015', ' until 2015' or '' (a point date reads ' in 2020')."""
        if f.start and f.end:
            return f" from {format_edtf(f.start)} to {format_edtf(f.end)}"
        if f.start:
            return f" {opening} {format_edtf(f.start)}" if opening != "on" else " " + on(f.start)
        if f.end:
            return f" until {format_edtf(f.end)}"
        if f.date:
            return " " + on(f.date)
        return ""

    # -- relations --

    def relations(self, f: Cited) -> Sentence:
        status = str(f.attrs.get("status") or "established")
        when = f.end if status in ("severed", "suspended", "downgraded") else f.start
        when = when or f.date
        case = f"{status}_{'dated' if when and status != 'none' else 'undated'}"
        fields = {"a": self.the(f.actor), "b": self.the(f.target), **self.dates(f)}
        if when:
            fields["when"], fields["When"] = " " + on(when), _cap(on(when))
        return self.say("relations", case, [f], **fields)

    # -- missions --

    def _mission_noun(self, f: Cited, plural: bool = False) -> str:
        kind = str(f.attrs.get("kind") or "embassy")
        nouns = _NUNCIATURE if kind == "embassy" and actor_key(f.actor) == "VAT" else _MISSION_NOUNS.get(kind)
        nouns = nouns or (kind.replace("-", " "), kind.replace("-", " ") + "s")
        return nouns[plural]

    def _place(self, f: Cited) -> str:
        city = f.attrs.get("city")
        return f"in {city}" if city else f"in {self.the(f.target)}"

    def missions_present(self, actor: Actor, facts: Sequence[Cited]) -> list[Sentence]:
        """'Syria has an embassy in Paris and honorary consulates in Marseille and Nice.'"""
        groups: dict[tuple[str, bool], list[Cited]] = {}
        for f in facts:
            groups.setdefault((self._mission_noun(f), bool(f.attrs.get("city"))), []).append(f)
        parts: list[tuple[str, list[Cited]]] = []
        for (noun, has_city), group in groups.items():
            if has_city and len(group) > 1:
                cities = [str(f.attrs["city"]) for f in group]
                parts.append((f"{self._mission_noun(group[0], True)} in {listing(cities)}", group))
            else:
                parts += [(f"{_indefinite(noun)} {self._place(f)}", [f]) for f in group]
        out = []
        # two kinds a sentence: a third after a comma would lose its sender
        for i in range(0, len(parts), 2):
            chunk = parts[i : i + 2]
            out.append(
                self.say(
                    "mission",
                    "present",
                    [f for _, fs in chunk for f in fs],
                    actor=self.the(actor),
                    target=self.the(self.other(actor)),
                    missions=" and ".join(p for p, _ in chunk),
                )
            )
        return out

    def mission_event(self, f: Cited, *, reopened: bool = False) -> list[tuple[str | None, Sentence]]:
        """A mission's opening and closing, one sentence each, with the date of each."""
        noun = self._mission_noun(f)
        fields = {
            "actor": self.the(f.actor),
            "target": self.the(f.target),
            "mission": f"{_indefinite(noun)} {self._place(f)}",
            "place": f"{noun} {self._place(f)}",
        }
        out: list[tuple[str | None, Sentence]] = []
        if f.start:
            case = "reopened" if reopened else "opened"
            opened = self.say("mission", case, [f], **fields, when=" " + on(f.start), When=_cap(on(f.start)))
            out.append((f.start, opened))
        if f.end:
            closed = self.say("mission", "closed", [f], **fields, when=" " + on(f.end), When=_cap(on(f.end)))
            out.append((f.end, closed))
        return out

    # -- envoys --

    def _title(self, f: Cited, plural: bool = False) -> tuple[str, bool]:
        """('Belgian ambassador to Syria', True) or ('ambassador of Belgium to Syria', False)."""
        rank = str(f.attrs.get("rank") or "envoy")
        noun = _TITLES.get(rank, (rank, rank + "s"))[plural]
        to = f"to {self.the(f.target)}"
        if rank == "nuncio" and actor_key(f.actor) == "VAT":
            return f"{noun} {to}", True
        adjective = self.adj(f.actor)
        if adjective:
            return f"{adjective} {noun} {to}", True
        return f"{noun} of {self.the(f.actor)} {to}", False

    def envoy(self, f: Cited, *, current: bool = False) -> Sentence:
        """An envoy's appointment, term or present post; ``current`` says "since" of a recent start."""
        title, _ = self._title(f)
        residence = f", with residence in {f.attrs['residence']}" if f.attrs.get("residence") else ""
        person = f.attrs.get("person")
        fields = {
            "a": self.the(f.actor),
            "b": self.the(f.target),
            "title": title,
            "the_title": f"the {title}",
            "The_title": f"The {title}",
            "a_title": _indefinite(title),
            "A_title": _cap(_indefinite(title)),
            "titles": "",
            "person": str(person or ""),
            "residence": residence,
            **self.dates(f),
        }
        if person:
            if f.start and f.end:
                case = "term"
            elif f.start:
                case = "since" if current and not residence and "X" not in f.start else "appointed"
            elif f.end:
                case = "until"
            else:
                case = "current"
        else:
            case = "unnamed_appointed" if f.start else "unnamed_current"
        return self.say("envoy", case, [f], **fields)

    def envoys_exchanged(self, f: Cited, g: Cited) -> Sentence:
        """Two envoys of one rank sent each way on one date: 'A and B exchanged ambassadors in 1980.'"""
        rank = str(f.attrs.get("rank") or "envoy")
        titles = _TITLES.get(rank, (rank, rank + "s"))[1]
        return self.say(
            "envoy",
            "exchanged",
            [f, g],
            a=self.the(f.actor),
            b=self.the(f.target),
            titles=titles,
            **self.dates(f),
        )

    # -- trade --

    def trade_trend(self, f: Cited) -> Sentence:
        if not f.attrs.get("trend"):
            # "China is the Philippines' top trading partner", "trade stood at US$17 billion in 2017"
            value = f.attrs.get("value")
            fields = {"a": self.the(self.parties[0]), "b": self.the(self.parties[1]), **self.dates(f)}
            if f.when:
                fields["when"] = " " + on(f.when)
            return self.say("trade", "value" if value else "partner", [f], value=str(value or ""), **fields)
        trend = str(f.attrs.get("trend") or "growing")
        case = f"{trend}_{'range' if f.start and f.end else 'dated' if f.when else 'undated'}"
        return self.say(
            "trade", case, [f], a=self.the(self.parties[0]), b=self.the(self.parties[1]), **self.dates(f)
        )

    def trade_trend_of(self, trend: str, start: str | None, facts: Sequence[Cited]) -> Sentence:
        """The trend sentence that opens a paragraph of goods, stated by those goods facts."""
        dates = {"when": "", "When": "", "start": "", "end": "", "since": "", "date": ""}
        if start:
            dates.update(when=" " + on(start), When=_cap(on(start)), since=" since " + format_edtf(start))
        case = f"{trend}_{'dated' if start else 'undated'}"
        return self.say(
            "trade", case, facts, a=self.the(self.parties[0]), b=self.the(self.parties[1]), **dates
        )

    def trade_goods(self, f: Cited, *, dated: bool) -> Sentence:
        goods = f.attrs.get("goods") or []
        goods = [goods] if isinstance(goods, str) else list(goods)
        return self.say(
            "trade",
            "goods",
            [f],
            exporter=self.the(f.actor),
            importer=self.the(f.target),
            goods=listing([str(g) for g in goods]),
            period=self.period(f, opening="on") if dated else "",
        )

    # -- sanctions, aid, migration, security --

    def sanctions(self, f: Cited, scopes: frozenset[str]) -> Sentence:
        scope = f.attrs.get("scope") or []
        scope = [scope] if isinstance(scope, str) else [str(s) for s in scope]
        words = [s for s in scope if s in scopes]
        nouns = [s for s in scope if s not in scopes]
        target = self.the(f.target)
        adjective = self.adj(f.target)
        if nouns and adjective:
            what = f"{' and '.join(words) + ' ' if words else ''}sanctions on {adjective} {listing(nouns)}"
        else:
            what = f"{' and '.join(words) + ' ' if words else ''}sanctions on {target}"
        via = f.attrs.get("via")
        fields = {
            "actor": self.the(f.actor),
            "target": target,
            "sanctions": what,
            "period": self.period(f, opening="on"),
        }
        if via:
            return self.say("sanctions", "imposed_via", [f], via=self.name(via), **fields)
        return self.say("sanctions", "imposed", [f], **fields)

    def aid(self, f: Cited) -> Sentence:
        kind = f.attrs.get("kind")
        channels = f.attrs.get("channels") or []
        channels = [channels] if isinstance(channels, str) else list(channels)
        through = f" through {listing([self.the(c) for c in channels])}" if channels else ""
        return self.say(
            "aid",
            "given",
            [f],
            actor=self.the(f.actor),
            target=self.the(f.target),
            aid=f"{kind} aid" if kind else "aid",
            channels=through,
            period=self.period(f),
        )

    def migration(self, f: Cited) -> Sentence:
        kind = str(f.attrs.get("kind") or "migrants")
        people = {"asylum-seekers": "asylum seekers"}.get(kind, kind)
        if f.attrs.get("count"):
            people = f"{f.attrs['count']} {people}"
        fields = {"origin": self.the(f.actor), "destination": self.the(f.target), "people": people}
        if kind == "foreign-fighters":
            return self.say("migration", "fighters", [f], **fields, period=self.period(f))
        if kind == "diaspora":
            return self.say("migration", "diaspora", [f], **fields, period=self.period(f))
        if f.date and not (f.start or f.end):
            return self.say("migration", "received_by", [f], **fields, date=format_edtf(f.date))
        return self.say("migration", "received", [f], **fields, period=self.period(f))

    def meeting(self, f: Cited) -> Sentence:
        """'In 2015, Belgium and Syria held talks in Geneva.'"""
        kind = str(f.attrs.get("kind") or "talks")
        what = _MEETINGS.get(kind, kind)
        persons = f.attrs.get("persons") or []
        persons = [persons] if isinstance(persons, str) else [str(p) for p in persons]
        place = f" in {f.attrs['place']}" if f.attrs.get("place") else ""
        fields = {
            "a": self.the(f.actor),
            "b": self.the(f.target),
            "meeting": what,
            "place": place,
            "persons": f", between {listing(persons)}" if len(persons) > 1 else "",
            **self.dates(f),
        }
        return self.say("meeting", "dated" if f.when else "undated", [f], **fields)

    def conflict(self, f: Cited) -> Sentence:
        """'Syria attacked Belgium in 2015.' (one case per kind of conflict)."""
        kind = str(f.attrs.get("kind") or "dispute")
        case = kind if kind in self.book.cases["conflict"] else "dispute"
        return self.say(
            "conflict",
            case,
            [f],
            actor=self.the(f.actor),
            target=self.the(f.target),
            period=self.period(f, opening="on"),
        )

    def security(self, f: Cited) -> Sentence:
        kind = str(f.attrs.get("kind") or "other")
        case = kind if kind in self.book.cases["security"] else "other"
        return self.say(
            "security", case, [f], actor=self.the(f.actor), target=self.the(f.target), period=self.period(f)
        )

    # -- statements, agreements, visits, memberships --

    def statement(self, f: Cited) -> Sentence:
        stance = str(f.attrs.get("stance") or "support")
        verbs = _STANCE_VERBS.get(stance, (stance,))
        n = self._used.get(("statement", "dated"), 0) + self._used.get(("statement", "undated"), 0)
        subject = str(f.attrs.get("subject") or self.the(f.target))
        verb = verbs[n % len(verbs)]
        if stance in ("criticize", "condemn") and re.match(r"[a-z]+ing\b", subject):
            verb = f"accused {self.the(f.target)} of"  # "accused Rwanda of supporting the rebels"
        fields = {"actor": self.the(f.actor), "target": self.the(f.target), "verb": verb, "subject": subject}
        return self.say("statement", "dated" if f.when else "undated", [f], **fields, **self.dates(f))

    def agreement(self, f: Cited) -> Sentence:
        name = str(f.attrs.get("name") or "agreement")
        if name[:1].isupper():
            what = f"the {name}"
        elif name.lower().startswith("the "):
            what = name  # "the Treaty of Peace" as the source wrote it
        elif name.endswith(("ies", "s", "memoranda")):
            what = name  # "signed agreements"
        else:
            what = _indefinite(name)  # "signed a tax information exchange agreement"
        fields = {"a": self.the(f.actor), "b": self.the(f.target), "agreement": what, **self.dates(f)}
        return self.say("agreement", "dated" if f.when else "undated", [f], **fields)

    def visit(self, f: Cited) -> Sentence:
        office = str(f.attrs.get("office") or "leader")
        adjective = self.adj(f.actor)
        visitor = f"the {adjective} {office}" if adjective else f"{self.the(f.actor)}'s {office}"
        if f.attrs.get("person"):
            visitor += f", {f.attrs['person']},"
        fields = {"visitor": visitor, "host": self.the(f.target), **self.dates(f)}
        return self.say("visit", "dated" if f.when else "undated", [f], **fields)

    def memberships(self, facts: Sequence[Cited]) -> list[Sentence]:
        """Shared memberships in one sentence, then each party's own, then those joined on a date."""
        a, b = (actor_key(p) for p in self.parties)
        undated = [f for f in facts if not (f.start or f.end or f.date)]
        dated = [f for f in facts if f.start or f.end or f.date]
        members: dict[str, set[str]] = {}
        for f in undated:
            members.setdefault(actor_key(f.target), set()).add(actor_key(f.actor))
        both = [org for org, who in members.items() if {a, b} <= who]
        out = []
        if both:
            facts_both = [f for f in undated if actor_key(f.target) in both]
            out.append(
                self.say("membership", "both", facts_both, actor="", orgs=self._orgs(both, facts_both))
            )
        for party in self.parties:
            own = [
                f
                for f in undated
                if actor_key(f.actor) == actor_key(party) and actor_key(f.target) not in both
            ]
            if own:
                orgs = list(dict.fromkeys(actor_key(f.target) for f in own))
                out.append(
                    self.say("membership", "one", own, actor=self.the(party), orgs=self._orgs(orgs, own))
                )
        others = [f for f in undated if actor_key(f.actor) not in (a, b)]
        for f in others:
            out.append(self.say("membership", "one", [f], actor=self.the(f.actor), orgs=self.the(f.target)))
        for f in sorted(dated, key=lambda f: time_key(f.when)):
            out.append(
                self.say(
                    "membership",
                    "joined",
                    [f],
                    actor=self.the(f.actor),
                    orgs=self.the(f.target),
                    **self.dates(f),
                )
            )
        return out

    def _orgs(self, keys: Sequence[str], facts: Sequence[Cited]) -> str:
        by_key = {actor_key(f.target): f.target for f in facts}
        return listing([self.the(by_key[k]) for k in keys])
