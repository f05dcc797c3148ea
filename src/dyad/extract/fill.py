"""Fillers: the attributes each fact type carries beyond what a rule record sets.

A rule record names its filler (``fill = "mission"``); the filler reads the hit's clause for the type's
own attributes (a mission's city, an envoy's person and action, a treaty's name) and returns the hits
to keep — none to refuse one, several when a clause names several things ("consulates in Aleppo and
Latakia"). Words are data (``lexicon.toml``); what is here is where in a clause each attribute stands.
"""

from __future__ import annotations

import re
from typing import cast

from ..registry import SANCTION_SCOPES
from .engine import Hit, filler
from .polarity import Polarity

__all__ = ["filler"]

_NOT_UNTIL = re.compile(r"\b(?:not|only)\s+(?:\w+\s+){0,3}(?:until|till|in)\s*$")
_SINCE_NO = re.compile(r"\bsince\b")


@filler("relations")
def relations(hit: Hit) -> list[Hit]:  # noqa: C901
    """Relations: a date after "not … until" is when it happened; "no relations since 2012" is a break."""
    status = hit.attrs.get("status")
    if status == "restored" and hit.match.group().startswith("normali"):
        hit.extra["normalized"] = True  # a restoration only if the text tells of relations before
    if status == "recognised" and not (hit.agents or hit.targets):
        return []  # "gave the institutions recognised legal status": a recognition names who is recognised
    if hit.polarity.value == "negated" and hit.rule.polarity != "negated":
        until = [d for d in hit.dates if d.role == "until"]
        if until:
            # "until the 1990s the Holy See declined to recognise Israel": then it did
            hit.polarity = Polarity()
            hit.date = until[0]
            hit.start = until[0].edtf if status != "severed" else None
            hit.end = until[0].edtf if status == "severed" else None
            hit.extra["not_until"] = True
            return [hit]
    if hit.polarity.value == "negated" and hit.rule.polarity == "negated":
        hit.undated = True  # "uninterrupted relations since 1902": the date is the establishment's
        return [hit]
    for d in hit.dates:
        if d.role == "until" and _NOT_UNTIL.search(hit.low, hit.clause_span()[0], d.start + len("until")):
            hit.date = d
            hit.start = d.edtf if status != "severed" else None
            hit.end = d.edtf if status == "severed" else None
            hit.extra["not_until"] = True
            break
    if status == "none":
        since = [d for d in hit.dates if d.role == "since"]
        if since:
            hit.attrs["status"] = "severed"
            hit.end = since[0].edtf
    return [hit]


# -- helpers ---------------------------------------------------------------------------------------

_OFFICE = (
    r"(?:(?:former|then|acting|new|incoming|outgoing|deputy|vice|first|late)[\s-]+)*"
    r"(?:president|vice[\s-]president|prime minister|premier|chancellor|foreign minister|"
    r"minister(?: of [a-z ]{3,30}?)?"
    r"|secretary of state|secretary[\s-]general|king|queen|emperor|empress|pope|crown prince|prince|"
    r"princess|sultan"
    r"|emir|shah|leader|head of state|head of government|dictator|general|admiral|commissioner|envoy|"
    r"ambassador"
    r"|senator|governor|speaker|mayor|spokes(?:man|woman|person)|official|diplomat)"
)
_NAME = (
    r"[A-Z][\w'’.-]*(?:\s+(?:(?:de|da|do|di|van|von|der|den|bin|ibn|al|el|la|le|y)\s+)?[A-Z][\w'’.-]*){0,3}"
)
_OFFICE_NAME = re.compile(rf"\b(?P<office>(?i:{_OFFICE}))\s+(?P<name>{_NAME})")
_NAME_OFFICE = re.compile(rf"(?P<name>{_NAME}),\s+(?:the\s+)?(?:[A-Z][a-z]+\s+)?(?P<office>{_OFFICE})\b")
_POSSESSOR = re.compile(rf"(?P<name>{_NAME})['’]s\s+(?:\w+\s+)?$")
_STOP_SUBJECT = re.compile(
    r"\s+(?:(?:in order )?to [a-z]+\b|in|on|at|during|since|after|before|because|when|while|which|who|but|"
    r"and (?:the )?[A-Z]|and [a-z]+ing\b|by "
    r"(?:the )?[A-Z]|as (?:a|an|the) )|[;,.()\"“”]"
)
_LOWER_OFFICES = re.compile(_OFFICE, re.IGNORECASE)
_NAME_PAID = re.compile(
    rf"\s*(?P<name>{_NAME})\s+(?:\w+\s+)?(?:paid|made|undertook|began|started|concluded|ended)\s+(?:an?|the|his|her)\b"
)
_CAP_NAME = re.compile(_NAME)


def _after_trigger_phrase(hit: Hit, words: int = 14, *, infinitive: bool = False) -> tuple[int, int]:
    """The span of the phrase after the trigger up to the end of its clause, a date, or a new clause
    (with ``infinitive``, "X to do Y" stays whole: what a demand asks for)."""
    text = hit.text
    lo = hit.match.end()
    while lo < len(text) and text[lo] == " ":
        lo += 1
    hi = hit.clause_span()[1]
    for k, c in enumerate(hit.a.clauses):
        if c.kind == "comp" and c.parent == hit.clause:
            hi = max(hi, hit.a.span(k)[1])  # "claimed Venezuelan troops destroyed …": what was claimed
    for d in hit.dates:
        if lo < d.start < hi:
            hi = d.start
    stop = _STOP_SUBJECT.search(text, lo, hi)
    while (
        stop and infinitive and text[stop.start() : stop.end()].lstrip().startswith(("to ", "in order to "))
    ):
        stop = _STOP_SUBJECT.search(text, stop.end(), hi)
    if stop and stop.start() > lo:
        hi = stop.start()
    cut = text[lo:hi].split()
    if len(cut) > words:
        hi = lo + len(" ".join(cut[:words]))
    return lo, hi


def _person_office(hit: Hit, lo: int, hi: int) -> tuple[str | None, str | None]:
    """A person and office named in text[lo:hi]: "Japanese emperor Akihito", "Recep Tayyip Erdoğan, the
    Turkish prime minister", "President Tsai Ing-wen"."""
    seg = hit.text[lo:hi]
    gz = hit.ctx.gazetteer
    m: re.Match[str] | None
    for m in _OFFICE_NAME.finditer(seg):
        name = m.group("name").rstrip(".")
        if gz.resolve(name) is None and not _LOWER_OFFICES.fullmatch(name):
            return name, _title(m.group("office"))
    m = _NAME_OFFICE.search(seg)
    if m and gz.resolve(m.group("name")) is None:
        return m.group("name"), _title(m.group("office"))
    for m in _LOWER_OFFICES.finditer(seg):
        gap = hit.text[lo + m.end() : hit.match.start()]
        inside = hit.match.start() < lo + m.end() <= hit.match.end()
        if inside or (hit.rule.head == "noun" and gap.isspace()):
            continue  # "an official visit", "a state visit": the word describes the event
        return None, _title(m.group())
    return None, None


def _title(office: str) -> str:
    return " ".join(w if w.isupper() else w.capitalize() for w in office.split())


# -- conflicts --------------------------------------------------------------------------------------


_TEMPORAL_BEFORE = re.compile(
    r"\b(?:during|after|before|following|since|until|amid|throughout|at the time of|in the (?:wake|"
    r"aftermath) of|"
    r"the end of|the (?:start|beginning|outbreak) of)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,6}$",
    re.IGNORECASE,
)
_EVENT_VERBS = re.compile(
    r"\b(?:began|begun|broke out|erupted|started|ended|emerged?|took place|occurred|lasted|flared|escalated|"
    r"fought|waged|declared|resumed|ignited|led to|culminated)\b"
)


@filler("conflict")
def conflict(hit: Hit) -> list[Hit]:
    """Conflicts.

    A war or a clash is between the pair only when the clause names both (or "the two"), or the war's
    own name names a party and the clause the other ("the Sino-Japanese War"); a war that only dates
    something ("during the Napoleonic Wars") needs a party in its name. An attack or occupation needs
    the one who acts and a target that is an actor or a place named by its proper name. A nominal
    conflict takes a date only from its own phrase ("the 1971 war", "(1793–1815)") or from a verb
    that says when it happened ("clashes broke out in 2008").
    """
    kind = hit.attrs.get("kind")
    text = hit.text
    start = hit.match.start()
    from .engine import resolve

    if kind in ("war", "dispute", "clash") and hit.rule.head == "noun":
        named = _party_in_name(hit)
        refs = _party_refs(hit)
        proper = _proper_name(hit)
        if proper:
            hit.extra["ident"] = proper.lower()
        temporal = _TEMPORAL_BEFORE.search(text, max(0, start - 80), start)
        if temporal and _party_in_name(hit, both=True) is False:
            return []  # "neutral during the American Revolutionary War": the war only dates the clause
        if not named and refs < 2:
            return []
        if named and refs < 1:
            return []
        _own_date(hit)
    if kind in ("attack", "occupation", "threat", "blockade"):
        if not hit.agents:
            return []
        if not hit.targets:
            if hit.a.is_passive(hit.tok):
                patient = [
                    r for r in hit.a.mentions_in(hit.clause) if r.tok < hit.tok and r.kind in ("subj", "mod")
                ] or _parent_subject(hit)
                if not patient:
                    return []
                hit.target = next(iter(resolve(hit, patient[-1])), None)
                if hit.target is None:
                    return []
            else:
                obj = re.match(
                    r"\s+(?:(?:the|its|their|these|those|a|an|parts? of|much of)\s+)*(\S+)",
                    text[hit.match.end() :],
                )
                if obj and not obj.group(1)[:1].isupper():
                    return []  # "annexed these territories": a target that is not named
        if hit.rule.head == "noun":
            _own_date(hit)
    return [hit]


def _proper_name(hit: Hit) -> str | None:
    """The proper name a conflict word ends ("the Second Sino-Japanese War"), or None."""
    word = hit.text[hit.match.start() : hit.match.end()]
    if not word[:1].isupper():
        return None
    m = re.search(
        r"(?:[A-Z\d][\w'’–-]*\s+(?:and\s+)?)*$", hit.text[max(0, hit.match.start() - 80) : hit.match.start()]
    )
    return (m.group() if m else "") + word


def _parent_subject(hit: Hit) -> list:
    """The subject of the clause a coordinated clause continues ("Algeria was …, and in 1830 was
    conquered")."""
    c = hit.a.clauses[hit.clause]
    if c.kind in ("vp", "coord") and c.parent is not None:
        return [r for r in hit.a.mentions_in(c.parent) if r.kind in ("subj", "mod")][:1]
    return []


def _party_in_name(hit: Hit, both: bool = False) -> bool:
    """Whether a party's name or adjective stands in the conflict's own name ("Sino-Japanese War",
    "India–Pakistan war", "the Japanese invasion"); with ``both``, both parties'."""
    a = hit.a
    j = hit.tok - 1
    steps = 0
    seen: set[str] = set()
    while j >= a.clauses[hit.clause].lo and steps < 6:
        t = a.toks[j]
        if t.kind == "ent" and j in a.roles and hit.ctx.is_party(a.roles[j].code):
            seen.add(a.roles[j].code)
            if not both or len(seen) == 2:
                return True
        if t.kind == "p" and t.text not in ("-", "–", "'", "’"):
            return False
        if t.kind == "w" and not (
            hit.text[t.start : t.start + 1].isupper() or t.text.isdigit() or t.text in ("the", "of")
        ):
            if t.text not in ("first", "second", "third", "border", "territorial", "military", "armed"):
                return False
        j -= 1
        steps += 1
    return False


_PAIR_WORDS = re.compile(r"\b(?:relations|ties|relationship|they)\b")


def _party_refs(hit: Hit) -> int:
    """How many of the pair the trigger's clause refers to (2 for "the two countries")."""
    found: set[str] = set()
    lo, hi = hit.clause_span()
    if (
        hit.ctx.has_parties
        and hit.attrs.get("kind") == "dispute"
        and _PAIR_WORDS.search(hit.low, lo, hit.match.start())
    ):
        return 2  # "relations have deteriorated due to territorial disputes": the pair's
    for r in hit.a.mentions_in(hit.clause):
        if r.code == "@both":
            return 2
        if hit.ctx.is_party(r.code):
            found.add(r.code)
    if not found:
        for m in hit.sent.mentions:
            if hit.ctx.is_party(m.code):
                found.add(m.code)
        return min(len(found), 1)
    return len(found)


def _own_date(hit: Hit) -> None:
    """Keep only the dates that belong to a nominal conflict (see :func:`conflict`)."""
    if hit.match.group().endswith("ed") and hit.attrs.get("kind") == "clash":
        return  # "clashed at sea in 2008": a verb, dated by its clause ("disputed waters" is no verb)
    text = hit.text
    lo, hi = hit.clause_span()
    near = []
    for d in hit.dates:
        if (
            d.end <= hit.match.start()
            and re.fullmatch(r"[\s\w'’–-]*", text[d.end : hit.match.start()])
            and (hit.match.start() - d.end < 40)
        ):
            near.append(d)  # "the 1948 Arab–Israeli War"
        elif d.start >= hit.match.end() and re.fullmatch(
            r"\s*(?:of|in|\(|from)?\s*", text[hit.match.end() : d.start]
        ):
            near.append(d)  # "the war of 1971", "the Yom Kippur War in 1973", "Wars (1793–1815)"
    for t in hit.a.toks:
        if t.kind == "date" and t.date is not None and hit.match.end() <= t.start < hit.match.end() + 4:
            if t.date not in near:
                near.append(t.date)
    if near:
        hit.dates = near
        hit.date = near[0]
        return
    if not _EVENT_VERBS.search(hit.low, lo, hi):
        hit.dates = []
        hit.undated = True


def _refers_to_parties(hit: Hit) -> bool:
    """Whether the sentence names a party or both ("the two countries")."""
    ctx = hit.ctx
    return any(ctx.is_party(m.code) for m in hit.sent.mentions) or any(
        r.code.startswith("@") for r in hit.a.roles.values()
    )


# -- statements -------------------------------------------------------------------------------------


@filler("statement")
def statement(hit: Hit) -> list[Hit]:
    """Statements: who speaks must be named; the subject is the phrase the stance is about."""
    if not hit.agents:
        return []
    lo, hi = _after_trigger_phrase(hit, words=18, infinitive=hit.attrs.get("stance") == "demand")
    if re.match(r"(?:asked|urged|pressed|called on|requested)\b", hit.match.group()):
        # "asked France to recall its ambassador": what is asked, of whom
        first = hit.match.start() + len(hit.match.group().split()[0])
        lo = first + (
            len(hit.match.group().split()[1]) + 1 if hit.match.group().startswith("called on") else 0
        )
        while lo < hi and hit.text[lo] == " ":
            lo += 1
    subject = hit.text[lo:hi].strip(" ,;:")
    of = re.match(r"(?:\S+\s+){1,4}?of\s+(.+)", subject) if hit.match.group().startswith("accus") else None
    if of:
        subject = of.group(1)  # "accused Rwanda of supporting the rebels": what it is accused of
    subject = re.sub(r"^(?:about|over|at|regarding|for|on|upon)\s+", "", subject)
    if not subject or subject.lower() in ("it", "them", "this", "that", "him", "her", "these", "those"):
        return []
    hit.attrs["subject"] = subject
    hit.undated = False
    return [hit]


# -- agreements -------------------------------------------------------------------------------------

_AGREEMENT_WORD = re.compile(
    r"\b(?:treat(?:y|ies)|agreements?|accords?|pacts?|protocols?|conventions?|memorand(?:um|a)|mou|"
    r"communiqu[eé]|declaration|deals?|concordat|charter|arrangements?|entente cordiale|peace)\b",
    re.IGNORECASE,
)
_NAME_LEFT = re.compile(
    r"(?:(?:[A-Z\d][\w'’.–-]*|of|the|and|for|on|de|peace|free|trade|nuclear|defen[cs]e|security)\s+){0,8}$"
)
_NAME_RIGHT = re.compile(
    r"(?:\s+(?:of|on|for|between|concerning|regarding)\s+(?:the\s+)?(?!(?:January|February|March|April|May|June|July|"
    r"August|September|October|November|December)\b)[A-Z][\w'’–-]*"
    r"(?:\s+(?:[A-Z][\w'’–-]*|(?:of|and|the|in|de|on|for)(?=\s+(?:the\s+)?[A-Z])))*)?"
)


@filler("agreement")
def agreement(hit: Hit) -> list[Hit]:
    """Agreements: the name as written ("Treaty of Peace and Friendship", "a free trade agreement") and
    the kind (treaty, agreement, memorandum)."""
    text = hit.text
    lo, hi = hit.clause_span()
    words = list(_AGREEMENT_WORD.finditer(text, lo, hi))
    if not words:
        return []
    if hit.rule.head == "noun":
        w = min(words, key=lambda w: abs(w.start() - hit.match.start()))
    else:
        after = [w for w in words if w.start() >= hit.match.end()]
        w = after[0] if after else min(words, key=lambda w: abs(w.start() - hit.match.start()))
    left = _NAME_LEFT.search(text, max(lo, w.start() - 120), w.start())
    start = left.start() if left else w.start()
    right = _NAME_RIGHT.match(text, w.end(), hi)
    end = right.end() if right else w.end()
    name = text[start:end].strip()
    name = re.sub(r"^(?:the|a|an|and|of|on|for)\s+", "", name, flags=re.IGNORECASE)
    name = re.sub(r"^\d{4}\s+", "", name)
    name = re.sub(r"\s+(?:the|and|of|on|for|in)$", "", name)
    if not name:
        return []
    if hit.rule.head == "noun" and not any(c.isupper() for c in name):
        return []  # a named agreement has a name
    low = name.lower()
    if re.search(r"\b(?:treat(?:y|ies)|pacts?|concordat|peace of)\b", low):
        kind = "treaty"
    elif re.search(r"\b(?:memorand(?:um|a)|mou)\b", low):
        kind = "memorandum"
    else:
        kind = "agreement"
    hit.attrs["name"] = name
    hit.attrs["kind"] = kind
    hit.extra["generic"] = not any(c.isupper() for c in name)
    if hit.actor is None and hit.target is None:
        # "the U.S.-Colombia Trade Agreement", "the Kosovo–Serbia Dialogue Agreement": its name joins its
        # two sides
        at = text.find(name, start, end + 1)
        sides = [
            m.code
            for m in hit.sent.mentions
            if at <= m.start < at + len(name) and m.form != "capital" and hit.ctx.is_state(m.code)
        ]
        joined = _SIDES.search(name)
        if joined and len(set(sides)) == 2:
            hit.actor, hit.target = sides[0], sides[1]
    return [hit]


_SIDES = re.compile(r"[\w.]+[–—-][A-Z][\w.]+")


# -- visits and meetings ----------------------------------------------------------------------------


_DESTINATION = re.compile(
    r"\s+(?:(?:\w+\s+){0,2}?(?:to|in)\s+)(?:the\s+)?([A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,2})"
)


@filler("visit")
def visit(hit: Hit) -> list[Hit]:
    """Visits: who visits (a state, or an official of one) and whom; the person and office."""
    lo = hit.clause_span()[0]
    if hit.rule.head == "noun":
        seg_lo, seg_hi = max(lo, hit.match.start() - 60), min(hit.clause_span()[1], hit.match.end() + 80)
    else:
        seg_lo, seg_hi = lo, hit.match.start()
    person, office = _person_office(hit, seg_lo, seg_hi)
    if person is None:
        # an official the text has introduced ("Mr Erdoğan visited Israel")
        named = [hit.a.toks[r.tok].mention for r in hit.agents if r.form == "person"]
        if named and named[0] is not None:
            person = named[0].text
    if person is None and hit.rule.head == "noun":
        # "Recep Tayyip Erdoğan paid an official visit to Israel": a named subject of the light verb
        subj = _NAME_PAID.match(hit.text, lo, hit.match.start())
        if subj and hit.ctx.gazetteer.resolve(subj.group("name")) is None:
            person = subj.group("name")
    if person is None and hit.rule.head == "noun":
        owner = _POSSESSOR.search(hit.text, max(lo, hit.match.start() - 40), hit.match.start())
        if owner and hit.ctx.gazetteer.resolve(owner.group("name")) is None:
            person = owner.group("name")
    if person:
        hit.attrs["person"] = person
    if office:
        hit.attrs["office"] = office
    if not (person or office):
        return []  # a visit is made by someone: "residents travelled to Syria" is not one
    if not hit.targets and hit.target is None:
        # "a visit to Beijing", "arrived in New Delhi": a capital or seat names the state visited
        dest = _DESTINATION.match(hit.text, hit.match.end(), hit.clause_span()[1])
        if dest is not None:
            code = hit.ctx.gazetteer.city_state(dest.group(1))
            if code is not None and (hit.ctx.has_parties is False or hit.ctx.is_party(code)):
                hit.target = code
    if not hit.agents:
        if not (person or office) or not hit.ctx.has_parties:
            return []
        # an official named without a state, visiting one party of the pair: the other party's
        targets = [r.code for r in hit.targets]
        if not targets or not hit.ctx.is_party(targets[0]):
            return []
        hit.actor = hit.ctx.other(targets[0])
        hit.target = targets[0]
    return [hit]


@filler("meeting")
def meeting(hit: Hit) -> list[Hit]:
    """Meetings: the persons named around the trigger and the place ("in Paris")."""
    lo, hi = hit.clause_span()
    persons = []
    for m in _OFFICE_NAME.finditer(hit.text, lo, hi):
        name = m.group("name").rstrip(".")
        if hit.ctx.gazetteer.resolve(name) is None and name not in persons:
            persons.append(name)
    if persons:
        hit.attrs["persons"] = persons
    place = re.search(
        r"\b(?:in|at)\s+(?:the\s+)?([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})", hit.text[hit.match.end() : hi]
    )
    if place:
        name = place.group(1)
        code = hit.ctx.gazetteer.resolve(name)
        if code is None or hit.ctx.gazetteer.city_state(name):
            hit.attrs["place"] = name
    return [hit]


# -- memberships ------------------------------------------------------------------------------------


@filler("membership")
def membership(hit: Hit) -> list[Hit]:
    """Memberships: every member the subject names, in every organisation the clause lists after the
    trigger ("Both countries are members of the UN, the OSCE and the Council of Europe")."""
    from copy import copy

    from .engine import resolve

    ctx = hit.ctx
    lo, hi = hit.clause_span()
    orgs = []
    for r in sorted(hit.a.roles.values(), key=lambda r: r.tok):
        t = hit.a.toks[r.tok]
        if t.start >= hit.match.start() and t.end <= hi and hit.a.in_clause(hit.clause, r.tok):
            if not r.code.startswith("@") and not ctx.is_state(r.code) and r.code not in orgs:
                orgs.append(r.code)
    if not orgs:
        return []
    if not re.match(r"join|acced|accession|admitted|founding", hit.match.group()):
        # "are members of": a standing state, dated only by "since"
        hit.dates = [d for d in hit.dates if d.role == "since"]
        hit.undated = not hit.dates
    members = [x for r in hit.agents for x in resolve(hit, r)]
    members = [m for m in dict.fromkeys(members) if ctx.is_state(cast(str, m))]  # cast: type only
    if not members:
        return []
    out = []
    for member in members:
        for org in orgs:
            h = copy(hit)
            h.attrs = dict(hit.attrs)
            h.extra = dict(hit.extra)
            h.actor, h.target = member, org
            out.append(h)
    return out


# -- trade, sanctions, aid, migration, security -------------------------------------------------------

_LIST_ITEM = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
_HEDGE = re.compile(
    r"^(?:mainly|mostly|largely|chiefly|primarily|principally|especially|notably|including|such as|"
    r"in particular|above all|also|other|its|their)\s+"
)
_NOUNS = re.compile(r"[a-z][a-z-]*(?:\s+[a-z][a-z-]*){0,2}")
_GOODS_STOP = re.compile(
    r"\s+(?:to|from|with|for|in|into|by|through|via|against|on|at)\b|[,;.)]\s*(?:while|but|which|as|and\s+(?:has|have|"
    r"was|were|is|the))\b|[;.(]|$"
)
_VALUE = re.compile(
    r"(?P<cur>US\$|\$|€|£|¥|USD|EUR|GBP)?\s?(?P<num>\d[\d.,]*)\s?(?P<unit>million|billion|trillion|bn|m|M)?"
    r"(?:\s?(?P<cur2>USD|US dollars|dollars|euros|EUR|pounds))?"
)
_CURRENCY = {
    "$": "USD", "US$": "USD", "USD": "USD", "US dollars": "USD", "dollars": "USD", "€": "EUR", "EUR": "EUR",
    "euros": "EUR", "£": "GBP", "GBP": "GBP", "pounds": "GBP", "¥": "JPY",
}  # fmt: skip
_GROWING = (
    r"\b(?:grew|grow(?:s|ing|th|n)?|increas(?:ed|es|ing)|expand(?:ed|s|ing)|rose|risen|boom(?:ed|ing)|"
    r"strengthen(?:ed|ing)|doubled|tripled)\b"
)
_DECLINING = (
    r"\b(?:declin(?:ed|es|ing)|decreas(?:ed|es|ing)|fell|fallen|dropp(?:ed|ing)|shrank|collaps(?:ed|es)|"
    r"plummeted)\b"
)
_TRENDS = (
    ("growing", re.compile(_GROWING)),
    ("declining", re.compile(_DECLINING)),
    ("stable", re.compile(r"\b(?:stable|steady|unchanged)\b")),
)


def _items(text: str, start: int, end: int) -> list[str]:
    """A list of short noun phrases: "textiles, agricultural products, and phosphates"."""
    seg = text[start:end]
    stop = _GOODS_STOP.search(seg)
    seg = seg[: stop.start()] if stop else seg
    out = []
    for part in _LIST_ITEM.split(seg):
        part = _HEDGE.sub("", part.strip().strip(","))
        if part and _NOUNS.fullmatch(part):
            out.append(part)
    return out


def _value(hit: Hit, lo: int, hi: int) -> tuple[str, str | None] | None:
    """An amount of money in text[lo:hi] ("US$17.63 billion", "$22m USD") as written, and its currency."""
    for m in _VALUE.finditer(hit.text, lo, hi):
        if not (m.group("cur") or m.group("unit") or m.group("cur2")):
            continue
        if any(d.start <= m.start() < d.end for d in hit.dates):
            continue
        written = m.group().strip()
        return written, _CURRENCY.get(m.group("cur") or m.group("cur2") or "")
    return None


@filler("trade")
def trade(hit: Hit) -> list[Hit]:
    """Trade: goods as written with their HS sections; exporter and importer; a value; a trend."""
    text, low = hit.text, hit.low
    lo, hi = hit.clause_span()
    m = hit.match
    word = m.group()
    if hit.rule.id.startswith("trade.goods"):
        importing = bool(re.match(r"(?:import(?:ed|s|ing|ers?)?|bought|buys?|buying|purchas\w*)\b", word))
        pos = m.end()
        of = re.match(r"\s+(?:of\s+)?", text[pos:hi])
        pos += of.end() if of else 0
        goods = _items(text, pos, hi)
        # "an importer of Syrian textiles": the adjective names the other side
        adj = [r for r in hit.a.roles.values() if hit.a.toks[r.tok].start == pos and r.form == "adjective"]
        if adj:
            goods = _items(text, hit.a.toks[adj[0].tok].end, hi)
            hit.targets = [adj[0]]
        if not goods:
            return []
        hs: list[str] = []
        for g in goods:
            for sec in hit.ctx.rules.goods_hs.get(g.lower()) or hit.ctx.rules.goods_hs.get(
                g.lower().split()[-1], ()
            ):
                if sec not in hs:
                    hs.append(sec)
        hit.attrs["goods"] = goods
        if hs:
            hit.attrs["hs_sections"] = hs
        if importing:
            hit.extra["swap"] = True
    for trend, pattern in _TRENDS:
        if pattern.search(low, lo, hi):
            hit.attrs["trend"] = trend
            break
    v = _value(hit, m.end(), hi)
    if v:
        hit.attrs["value"] = v[0]
        if v[1]:
            hit.attrs["currency"] = v[1]
        hit.extra["ident"] = v[0]  # a figure is its own fact, not a mention of a partnership
    if hit.rule.id.startswith("trade.partner") and "partner" not in word and "value" not in hit.attrs:
        return []  # "bilateral trade" says something only with a figure ("stood at US$17 billion")
    if hit.rule.id.startswith("trade.trend"):
        if "trend" not in hit.attrs:
            return []
        hit.extra["general"] = True  # a trend of the pair's trade, which goods facts of the paragraph take
    return [hit]


_SCOPES = SANCTION_SCOPES
_VIA = re.compile(
    r"\b(?:in line with|following|in accordance with|as (?:a |an )?(?:member|part) of|together with|"
    r"alongside|under|as an?)\s+(?:the\s+)?"
)


@filler("sanctions")
def sanctions(hit: Hit) -> list[Hit]:
    """Sanctions: who imposes them, on whom; their scope; the organisation acted through ("in line with
    EU policy")."""
    ctx = hit.ctx
    lo, hi = hit.clause_span()
    seg = hit.low[max(lo, hit.match.start() - 40) : min(hi, hit.match.end() + 60)]
    scope = [w for w in _SCOPES if re.search(rf"\b{w}\b", seg)]
    # "sanctions on Syrian officials and businesses": who they target, when an adjective names the state
    on = re.search(r"\b(?:on|against)\s+(?:the\s+)?", hit.low[hit.match.start() : hi])
    if on:
        at = hit.match.start() + on.end()
        for r in hit.a.roles.values():
            t = hit.a.toks[r.tok]
            if t.start == at and r.form == "adjective":
                scope = _items(hit.text, t.end, hi) or scope
    if scope:
        hit.attrs["scope"] = scope
    via = _VIA.search(hit.low, hit.sent.start, hi)  # "Belgium, in line with EU policy, … supported sanctions"
    if via:
        for r in sorted(hit.a.roles.values(), key=lambda r: r.tok):
            t = hit.a.toks[r.tok]
            if (
                via.end() <= t.start <= via.end() + 30
                and not r.code.startswith("@")
                and not ctx.is_state(r.code)
            ):
                hit.attrs["via"] = r.code
                break
    return [hit]


_DEVELOPMENT = (
    r"\b(?:development|economic|financial|budget|infrastructure|loans?|hospital|schools?|projects?|"
    r"investment)\b"
)
_AID_KINDS = (
    # aid against a disaster or an epidemic is humanitarian, as donors count it
    (
        "humanitarian",
        re.compile(
            r"\b(?:humanitarian|relief|emergency|food|medical|health|disasters?|floods?|earthquakes?|"
            r"famine|drought|epidemics?|pandemic|outbreaks?|ebola|cholera|refugees?|displaced)\b"
        ),
    ),
    ("military", re.compile(r"\b(?:military|defen[cs]e|arms|weapons|security assistance)\b")),
    ("development", re.compile(_DEVELOPMENT)),
)


_CHANNELS = re.compile(
    r"\b(?:run by|through|via|channel(?:l)?ed through|by way of|implemented by|managed by|administered by)\b"
)


@filler("aid")
def aid(hit: Hit) -> list[Hit]:
    """Aid: donor and recipient ("X is the largest recipient of Y's aid" reverses them), kind, amount."""
    lo, hi = hit.clause_span()
    seg_lo, seg_hi = max(lo, hit.match.start() - 60), min(hi, hit.match.end() + 100)
    for kind, pattern in _AID_KINDS:
        # the words around the trigger, or the heading it stands under ("Humanitarian assistance")
        if pattern.search(hit.low, seg_lo, seg_hi) or pattern.search(hit.sent.section.lower()):
            hit.attrs["kind"] = kind
            break
    else:
        hit.attrs["kind"] = "development"  # aid named for no purpose: development aid, as donors count it
    v = _value(hit, seg_lo, seg_hi)
    if v:
        hit.attrs["amount"] = v[0]
    channel = _CHANNELS.search(hit.low, hit.match.end(), hi)
    if channel:
        orgs = [
            r.code
            for r in sorted(hit.a.roles.values(), key=lambda r: r.tok)
            if hit.a.toks[r.tok].start >= channel.end()
            and not r.code.startswith("@")
            and not hit.ctx.is_state(r.code)
        ]
        if orgs:
            hit.attrs["channels"] = list(dict.fromkeys(orgs))
    if hit.match.group().rstrip("s").endswith("recipient"):
        hit.extra["swap"] = True  # the subject receives
    return [hit]


_MIGRATION_KINDS = (
    ("refugees", re.compile(r"\b(?:refugees?|fled|flee|displace(?:d|ment))\b")),
    ("asylum-seekers", re.compile(r"\basylum\b")),
    ("diaspora", re.compile(r"\b(?:diaspora|origin|descent|ancestry|community)\b")),
    ("foreign-fighters", re.compile(r"\bforeign fighters\b")),
    ("deportation", re.compile(r"\b(?:deport(?:ed|ation)|expelled|returned)\b")),
    ("migrants", re.compile(r"\b(?:(?:im|e)?migra\w*|labou?rers|workers|settlers|expatriates)\b")),
)
_COUNT = re.compile(
    r"\b(?:(?:about|around|over|more than|some|nearly|almost|up to|at least|several|an estimated)\s+)?"
    r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?\s+(?:million|thousand)|\d{2,}|(?:a|half a|a quarter-)\s*million|"
    r"millions|thousands|hundreds of thousands|(?:two|three|four|five|several) (?:million|thousand))\b"
)


@filler("migration")
def migration(hit: Hit) -> list[Hit]:
    """Migration: people of one state (origin, the actor) in or into another (destination, the target);
    the kind; a count as written."""
    lo, hi = hit.clause_span()
    seg = hit.low[max(lo, hit.match.start() - 50) : min(hi, hit.match.end() + 40)]
    for kind, pattern in _MIGRATION_KINDS:
        if "kind" in hit.attrs:
            break
        if pattern.search(seg):
            hit.attrs["kind"] = kind
    if "kind" not in hit.attrs:
        return []
    if hit.attrs["kind"] == "diaspora" and hit.rule.id.startswith("migration.people"):
        # "the Indian community in Mauritius", "people of Indian origin in Mauritius": a community is
        # migration only where it lives in the other state
        lo_c, hi_c = hit.clause_span()
        hosted = re.search(r"\b(?:home to|host(?:s|ed)?|hosting)\b", hit.low[lo_c:hi_c])
        if not hit.targets or not (hosted or any(r.kind == "pp" for r in hit.targets)):
            return []
    if hit.rule.id.startswith("migration.residents"):
        # "there are 120,000 Malians in France": only a plural demonym names the people
        people = [
            r
            for r in hit.a.mentions_in(hit.clause)
            if r.form == "adjective"
            and hit.text[hit.a.toks[r.tok].start : hit.a.toks[r.tok].end].endswith("s")
        ]
        if not people:
            return []
        hit.agents = people[:1]
        hit.targets = [r for r in hit.targets if r.tok != people[0].tok]
    # "Syrians in Belgium": a plural demonym is people of that state
    if not hit.agents:
        for r in hit.a.mentions_in(hit.clause):
            t = hit.a.toks[r.tok]
            if (
                r.form == "adjective"
                and hit.text[t.start : t.end].endswith("s")
                and t.end <= hit.match.start() + 2
            ):
                hit.agents = [r]
    if not hit.agents and hit.rule.id.startswith("migration.fighters"):
        # "a country with citizens who traveled to Syria": the people are the main clause's subject's
        c = hit.a.clauses[hit.clause]
        if c.kind == "rel" and c.parent is not None:
            hit.agents = [r for r in hit.a.mentions_in(c.parent) if r.kind in ("subj", "mod")][:1]
    if not hit.agents:
        return []
    count = None
    for m in _COUNT.finditer(hit.text, lo, hit.match.start()):
        if not any(d.start <= m.start() < d.end for d in hit.dates):
            count = m.group()
    if count:
        hit.attrs["count"] = count
    return [hit]


@filler("security")
def security(hit: Hit) -> list[Hit]:
    """Security cooperation: the state that acts must be named."""
    if not hit.agents:
        return []
    return [hit]
