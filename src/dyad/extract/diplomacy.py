"""Rules for diplomatic facts in prose: relations, missions and envoys.

Each rule reads one sentence (:class:`Sent`) and returns claims. The words come from the lexicon
(``data/rules/lexicon.toml``); the code here only knows how the parts of a sentence relate: who
acts, on whom, where and when.
"""

from __future__ import annotations

import itertools
import re

from ..errors import DyadError
from ..model import Actor
from ..resolve.places import city_countries, generic
from .analysis import text_end
from .context import Sent
from .engine import MAX_TRIGGERS
from .merge import Claim
from .polarity import polarity_at

# A place name after "in": capitalised words, with the particles and punctuation real names carry.
_PLACE = re.compile(
    # a month or a day of the week is a date's ("in Washington, July 20"), never a place
    r"(?:the[ \u00a0]+)?(?!(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)"
    r"([A-Z\u00C0-\u024F][\w\u00C0-\u024F'’.-]*(?:[ \u00a0-]+"
    r"(?:(?:la|le|de|del|da|do|di|du|des|al|el|upon|am|an|sur|of)[ \u00a0-]+)?"
    r"[A-Z\u00C0-\u024F][\w\u00C0-\u024F'’.-]*)*(?:,[ \u00a0]+D\.[ \u00a0]?C\.)?)"
)
# a mission raised to this rank: "raised to an embassy", "the elevation of the legation to embassy status"
_RAISED_TO = re.compile(
    r"\b(?:upgrad\w*|elevat\w*|rais(?:ed|es|ing)|promot\w*|convert\w*|transform\w*|turned)"
    r"(?: (?:of |into )?[\w.’'-]+){0,4}? (?:to|into) (?:an? |the |full )?(?:rank of (?:an? )?)?$"
)
_ABBREV_END = re.compile(r"(?:\b[A-Z]\.|\bSt\.)$")
_HAS_MISSION = re.compile(
    r"\b(?:has|have|had|maintain\w*|open\w*|re-?open\w*|clos\w*|establish\w*|operat\w*|set up|"
    r"suspend\w*|withdr[ae]w\w*|evacuat\w*|kept|"
    r"built|upgrad\w*|keeps?|kept|runs?|shut\w*|inaugurat\w*|moved)\b",
    re.IGNORECASE,
)
_ACCREDITED = re.compile(
    r"\b(?:accredited|represented (?:in|to)|non-resident|covers|covered by|responsible for|from its embassy|"
    r"through its embassy|via its embassy)\b"
)
_WITH_BEFORE = re.compile(r"\b(?:with|and)\s+(?:the\s+)?$", re.IGNORECASE)
_EACH_OTHER = re.compile(
    r"\b((?:resident\s+)?(?:embassies|high commissions))\s+(?:in|at)\s+(?:each other'?s|one another'?s|"
    r"each other’s|their respective|the other's|the other’s|both)\s+capitals?\b"
)
_HAS_ENVOY = re.compile(
    r"\b(?:represented|has|have|had|appointed|accredited|sen[dt]s?|maintains?)\b", re.IGNORECASE
)
_POSSESSIVE = re.compile(r"\b(?:its|their)\s+(?:(?:own|new|resident|first)\s+)?$", re.IGNORECASE)
_LIST_SEP = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
_PERSON = re.compile(
    r"(?:[A-Z][\w\u00C0-\u024F'’.-]*\.?|[A-Z]\.)"
    r"(?:\s+(?:(?:di|da|de|del|van|von|der|den|bin|ibn|al|la|le|y)\s+)?(?:[A-Z\u00C0-\u024F][\w\u00C0-\u024F'’.-]*))+"
)
_HONORIFIC = re.compile(
    r"(?:(?:Archbishop|Bishop|Cardinal|Monsignor|Msgr\.|Sir|Dame|Dr\.?|Mr\.?|Mrs\.?|Ms\.?|Admiral|General|Gen\.|"
    r"Colonel|Col\.|Baron|Count|Prince|Princess|Sheikh|H\.E\.|His Excellency|Her Excellency)\s+)+"
)
_NOT_NAME = re.compile(
    r"^(?:The|A|An|In|On|At|Since|From|After|Before|During|Both|This|That|President|King|Queen|Prime|Minister|"
    r"Ambassador|Embassy|Consul|General|His|Her|Their|Its)\b"
)
_SENDER_BEFORE = re.compile(
    r"(?:\b(?:then-|first|the|an?|new|present|current|former|its|their|non-resident|resident|special|"
    r"permanent|\s)+)$",
    re.IGNORECASE,
)
_EXCHANGE = re.compile(r"\bexchang(?:e|ed|es|ing)\s+(?:of\s+)?$", re.IGNORECASE)
_NOT_UNTIL = re.compile(r"\bnot\s+(?:\w+\s+){0,2}until\b", re.IGNORECASE)
_PAREN = re.compile(r"\([^)]*\)")
_FOUNDS = re.compile(r"\s+of\s+", re.IGNORECASE)
_FOUNDS_RELATIONS = re.compile(r"\s+of\s+(?:\w+\s+){0,2}(?:relations|ties)\b", re.IGNORECASE)
_WITH_MANY = re.compile(r"[^.;]{0,40}?\bwith\s+(?:several|many|other|various|a number of)\b", re.IGNORECASE)
_AFTER_EVENT = re.compile(r"\b(?:after|following)\b", re.IGNORECASE)
_IS_NAME = re.compile(
    r"[\s,]*(?:to\s+(?:the\s+)?[\w\s]{0,40}?\s+)?(?:is|was|has been|had been|were)\s+", re.IGNORECASE
)
_HEADED_BY = re.compile(r"\s*(?:in\s+[A-Z][\w\s.,]{0,30}?\s+)?headed by\s+", re.IGNORECASE)


def _year(edtf: str) -> str:
    return edtf[:4]


def _clause_span(s: Sent, span: tuple[int, int]) -> tuple[int, int]:
    c = s.clause_of(span[0])
    return c.start, max(c.end, span[1])


def _places(text: str, pos: int, end: int) -> tuple[list[tuple[str, int, int]], int]:
    """The place names of "in Aleppo and Latakia" / ", Damascus" starting at ``pos``."""
    out = []
    while pos < end:
        m = _PLACE.match(text, pos, end)
        if not m:
            break
        name, a, b = m.group(1), m.start(1), m.end(1)
        if name.endswith(".") and not _ABBREV_END.search(name):
            name, b = name[:-1], b - 1
        if b >= text_end(text):
            return [], pos  # the file was cut in the middle of this name: it is not a place we know
        out.append((name, a, b))
        pos = b
        sep = _LIST_SEP.match(text, pos, end)
        if not sep or not _PLACE.match(text, sep.end(), end):
            break
        pos = sep.end()
    return out, pos


def mission_phrase(s: Sent, m: re.Match[str]) -> list[Claim]:
    """One mission word in a sentence, with its sender, host and cities."""
    ctx = s.ctx
    text = s.text
    gz = ctx.gazetteer
    word = re.sub(r"[\s\u00a0]+", " ", m.group(0).lower())
    mk = ctx.rules.mission_word_kind[word]
    clause = s.clause_of(m.start())
    if ctx.rules.mission_ignore.search(s.lower, max(s.start, m.start() - 30), min(s.end, m.end() + 10)):
        return []
    # sender: the word's own sender, an adjective or name just before, "of X" after, a possessive, the subject
    sender: Actor | None = mk.sender
    before = [x for x in s.mentions if x.end <= m.start() and x.start >= clause.start]
    if sender is None and before:
        last = before[-1]
        gap = text[last.end : m.start()]
        if re.fullmatch(
            r"(?:'s|’s)?\s*(?:(?:royal|new|first|former|current|resident|own|permanent|general|an?|the)\s+)*",
            gap,
            re.IGNORECASE,
        ) and ctx.is_state(last.code):
            sender = last.code
    after_of = re.match(r"\s+of\s+(?:the\s+)?", text[m.end() : s.end])
    if sender is None and after_of:
        x = s.actor_after(m.end(), m.end() + after_of.end() + 60)
        if x and x.start == m.end() + after_of.end():
            sender = x.code
    if sender is None:
        sender = _owner(s, m.start(), _HAS_MISSION)
    raised = _RAISED_TO.search(s.lower, max(clause.start, m.start() - 50), m.start())
    upgrades = None  # the mission this one raises in rank: "it was raised to an embassy"
    if raised and ctx.last_mission and sender in (None, ctx.last_mission[0]):
        upgrades = ctx.last_mission
        sender = upgrades[0]
    if sender is None or not ctx.in_scope(sender):
        return []
    host = upgrades[1] if upgrades else ctx.counterpart(sender, s)
    # cities: "in X and Y", ", X" (infobox style), "to X" (a state)
    pos = m.end()
    if after_of:
        pos += after_of.end()
        x = s.actor_after(m.end(), pos + 60)
        if x:
            pos = x.end
    name: str | None  # a place the clause names
    cities: list[tuple[str | None, int, int]] = []
    tail = text[pos : clause.end]
    lead = re.match(
        r"(?:\s+(?:status|building|compound|premises|staff))?(,?\s+(?:in|at)\s+(?:the\s+)?|,\s+)", tail
    )
    if lead:
        found, _ = _places(text, pos + lead.end(), clause.end)
        for name, a, b in found:
            code = gz.resolve(name)
            if (
                code
                and gz.kind(code) != "organisation"
                and gz.capital(code) != name
                and not _city_state(gz, code, name)
            ):
                # "a nunciature in Israel": a state, not a city
                if ctx.in_scope(code) and code != sender:
                    host = code
                continue
            if generic(name):
                continue  # "an embassy in the Republic", "at the Swedish Embassy": no city
            cities.append((name, a, b))
    else:
        to = re.match(r"\s+to\s+(?:the\s+)?", tail)
        if to:
            x = s.actor_after(pos, pos + to.end() + 40, states_only=False)
            if x and x.start == pos + to.end():
                if not ctx.in_scope(x.code):
                    return []  # a mission to a third state
                if x.code != sender:
                    host = x.code
                inn = re.match(r",?\s+(?:in|at)\s+", text[x.end : clause.end])
                if inn:  # "an embassy to the Holy See in Rome"
                    found, _ = _places(text, x.end + inn.end(), clause.end)
                    cities = [(n, a, b) for n, a, b in found if not gz.resolve(n) or gz.city_state(n)]
    if not cities:
        loc = re.search(
            r"\b(?:is|are|was|were)\s+(?:(?:first|later|simultaneously)\s+)?(?:located|based|situated|established|opened|"
            r"set up|reopened|re-opened|inaugurated|moved)\s+in\s+",
            text[pos : clause.end],
        )
        if loc:
            found, _ = _places(text, pos + loc.end(), clause.end)
            cities = [(n, a, b) for n, a, b in found]
    if not cities and upgrades and upgrades[2] and upgrades[:2] == (sender, host):
        cities = [(upgrades[2], 0, 0)]  # raised in rank where it stood
    if host is None or host == sender:
        return []
    if not cities and lead and clause.end >= text_end(text):
        return []  # "an embassy in Dam": the file ends inside the place name
    if cities and cities[0][0] and not mk.sender:
        # a mission stands in its host's city: one in the sender's own city is the other way round
        seat = gz.city_state(cities[0][0])
        where = (seat,) if seat else city_countries(cities[0][0])
        if where == (sender,):
            sender, host = host, sender
    # open/close: the verb in the clause, with its date
    head = s.lower[clause.start : m.start()]
    tail_all = s.lower[m.end() : clause.end]
    event = action = None
    if raised:
        event, action = "open", "upgraded"  # "the legation was raised to an embassy", "elevation to embassy"
    elif ctx.rules.mission_reopen.search(head) or ctx.rules.mission_reopen.search(tail_all[:60]):
        event, action = "open", "reopened"
    elif ctx.rules.mission_close.search(head) or re.search(r"\bwas closed\b|\bclosed\b", tail_all[:60]):
        event, action = "close", "closed"
    elif ctx.rules.mission_open.search(head) or ctx.rules.mission_open.search(tail_all[:80]):
        opened = ctx.rules.mission_open.search(head) or ctx.rules.mission_open.search(tail_all[:80])
        event = "open"
        action = "upgraded" if opened and opened.group().startswith(("upgrad", "elevat")) else "opened"
    pol = polarity_at(ctx.cues, s.analysis, m.start(), m.end(), "noun")
    if pol.past and event is None:
        event, action = "close", "closed"  # "the former embassy", "used to have an embassy"
    d = s.date_near(m.start(), same_clause=True)
    if action == "upgraded":
        # "with the elevation to embassy status occurring in 1902": the date after the new rank is its
        after = [x for x in s.dates if m.end() <= x.start <= m.end() + 40]
        if after:
            d = after[0]
    if not event and d is not None and d.role != "since":
        d = None  # "has an embassy in X" with a date of something else in the clause
    when = d.edtf if d else (s.inherited if event == "close" else None)
    out = []
    ev_span = s.evidence(clause.start, clause.end)
    accredited = _ACCREDITED.search(s.lower, s.start, s.end)
    for name, _a, _b in cities or [(None, 0, 0)]:
        attrs = {"kind": mk.kind, "city": name}
        seat = gz.city_state(name) if name else None
        if accredited and seat and seat not in (sender, host):
            # "accredited to B from its embassy in Paris": a mission that sits in a third state
            attrs = {"kind": "non-resident", "city": name, "accredited_from": seat}
            ev_span = s.evidence()
        c = Claim(
            "mission",
            sender,
            host,
            attrs,
            [ev_span],
            "mission.prose@1",
            0.85 if name else 0.7,
            order=m.start(),
        )
        if event == "open":
            c.start = when
        elif event == "close":
            c.end = when
        if d and d.role == "since":
            c.start = d.edtf
        if action:
            c.attrs["action"] = action
        c.extra["polarity"] = pol.value
        out.append(c)
    if out and isinstance(sender, str) and isinstance(host, str):
        ctx.last_mission = (sender, host, out[-1].attrs.get("city"))
    return out


def _city_state(gz, code: str, name: str) -> bool:
    cap = gz.capital(code)
    return bool(cap) and cap.casefold().startswith(name.casefold())


def _owner(s: Sent, pos: int, verbs: re.Pattern[str]) -> str | None:
    """Whose mission or envoy the word at ``pos`` is: "its embassy" -> what "its" refers to; else the
    subject of its clause, when a verb of having or sending stands between them."""
    pron = _POSSESSIVE.search(s.text, max(s.start, pos - 25), pos)
    if pron:
        return s.pronoun_referent(pron.start())
    if verbs.search(s.text, s.clause_of(pos).start, pos):
        return s.subject_before(pos, states_only=True)
    return None


def missions(s: Sent) -> list[Claim]:
    out = []
    each_other = _EACH_OTHER.search(s.lower, s.start, s.end)
    if each_other:
        out.extend(_each_others_capitals(s, each_other))
    for m in itertools.islice(s.ctx.rules.mission_re.finditer(s.lower, s.start, s.end), MAX_TRIGGERS):
        if each_other and each_other.start() <= m.start() < each_other.end():
            continue
        out.extend(mission_phrase(s, m))
    return out


def _each_others_capitals(s: Sent, m: re.Match[str]) -> list[Claim]:
    """ "Both countries have embassies in each other's capitals": one embassy each way, in the capital."""
    ctx = s.ctx
    word = re.sub(r"[\s\u00a0]+", " ", m.group(1))
    mk = ctx.rules.mission_word_kind.get(word) or ctx.rules.mission_word_kind.get(word.rstrip("s"))
    if mk is None or not s.refers_to_both():
        return []
    out = []
    pair = ctx.parties if ctx.has_parties else tuple(s.recent_states(2))
    if len(pair) != 2:
        return []
    for sender, host in (pair, pair[::-1]):
        if not isinstance(host, str) or not isinstance(sender, str):
            continue
        try:
            city = ctx.gazetteer.capital(host)
        except DyadError:
            city = None
        out.append(
            Claim(
                "mission",
                sender,
                host,
                {"kind": mk.kind, "city": city},
                [s.evidence()],
                "mission.each-other@1",
                0.8,
                order=m.start(),
            )
        )
    return out


def _person(m: re.Match[str] | None, gz) -> tuple[str, int, int] | None:
    """A person's name match, without a sentence's full stop, unless it is a country or a title."""
    if m is None or _NOT_NAME.match(m.group(0)):
        return None
    name, start, end = m.group(0), m.start(), m.end()
    if name.endswith(".") and not re.search(r"\b[A-Z]\.$", name):
        name, end = name[:-1], end - 1
    h = _HONORIFIC.match(name)
    if h and len(name) > h.end():
        name, start = name[h.end() :], start + h.end()
    if gz.resolve(name) is not None:
        return None
    return name, start, end


def person_near(s: Sent, start: int, end: int) -> tuple[str, int, int] | None:
    """The person an envoy title names: "French envoy Joël Meyer", "X was appointed as …", "… is X"."""
    text = s.text
    gz = s.ctx.gazetteer
    # right after the title (and its "to <State>")
    tail = text[end : s.end]
    to = re.match(r"\s+(?:to|in)\s+(?:the\s+)?", tail)
    pos = end
    if to:
        x = s.actor_after(end, end + to.end() + 50, states_only=False)
        if x and x.start == end + to.end():
            pos = x.end
    found = _person(_PERSON.match(text, pos + 1, s.end), gz) if text[pos : pos + 1] == " " else None
    if found:
        return found
    m2 = _IS_NAME.match(text, pos, s.end)
    if m2:
        found = _person(_PERSON.match(text, m2.end(), s.end), gz)
        if found:
            return found
    # before: "<Name> was appointed as the first <title>", "<Name> serving as …", "<Name> as the first …"
    head = text[s.start : start]
    ap = re.search(
        r"(?:,\s*)?(?:was|were|had been|is|has been)?\s*(?:appointed|named|serving|served|accredited|)\s*"
        r"(?:as\s+)?(?:the\s+)?(?:first\s+)?(?:new\s+)?(?:[A-Z][\w.]*\s+){0,3}$",
        head,
    )
    if ap and ap.group(0).strip():
        names = list(_PERSON.finditer(text, s.start, s.start + ap.start() + 1))
        if names:
            n = names[-1]
            gap = text[n.end() : s.start + ap.start()]
            if not gap.strip(" ,"):
                return _person(n, gz)
    return None


_DEFINITE = re.compile(
    r"\b(?:the|this|that)\s+(?:(?:new|next|then|former|present|current)\s+)?$", re.IGNORECASE
)
_ENVOY_ACTIONS = (
    (
        "presented-credentials",
        re.compile(r"\bpresent(?:ed|s|ing)\s+(?:(?:his|her|their)\s+)?(?:letters of\s+)?credentials\b"),
    ),
    (
        "expelled",
        re.compile(
            r"\b(?:expel(?:led|s|ling)?|expulsion of|declared\s+(?:\w+\s+){0,3}persona non grata"
            r"|ordered\s+(?:\w+\s+){0,4}to leave)\b"
        ),
    ),
    (
        "recalled",
        re.compile(
            r"\b(?:recall(?:ed|s|ing)?|withdr[ae]w(?:n)?|withdrawal of|pull(?:ed|s|ing)? out|departed)\b"
        ),
    ),
    ("summoned", re.compile(r"\bsummon(?:ed|s|ing)?\b")),
    (
        "appointed",
        re.compile(
            r"\b(?:appoint(?:ed|s|ment of)?|nominat(?:ed|es)|named|accredited|designated|sent|sends|"
            r"took up (?:his|her) post)\b"
        ),
    ),
)


def _envoy_action(s: Sent, m: re.Match[str]) -> tuple[str, int] | None:
    """What happens to the envoy titled at ``m``: the verb within a few words before the title ("expelled
    French envoy X", "was appointed as the first Nuncio") or right after it ("the ambassador was
    recalled"), with its position."""
    low = s.lower
    clause = s.clause_of(m.start())
    lo = max(clause.start, m.start() - 70)
    hi = min(clause.end, m.end() + 60)
    best = None
    for action, pattern in _ENVOY_ACTIONS:
        for v in pattern.finditer(low, lo, hi):
            d = m.start() - v.end() if v.end() <= m.start() else v.start() - m.end()
            if d < 0:
                continue
            if best is None or d < best[2]:
                best = (action, v.start(), d)
    return (best[0], best[1]) if best else None


_FOLLOWED = re.compile(r"\b(?:followed|succeeded|replaced|came after)\s+")
# one earlier holder in a list: "Mordechay Lewy, who was appointed in May 2008", "Oded Ben-Hur (from June
# 2003)"
_HOLDER = re.compile(
    r"\s*(?:and\s+)?(?P<name>[A-Z][^\s,()]*(?:\s+(?:[a-z]{1,3}\s+)?[A-Z][^\s,()]*){0,4})"
    r"(?:,\s+who\s+(?:was|had been)\s+(?:appointed|named|accredited)\s+|\s+\((?:from|since|appointed)\s+)"
)


def _predecessors(s: Sent) -> list[Claim]:
    """ "He followed Mordechay Lewy, who was appointed in May 2008, Oded Ben-Hur (from June 2003), …": the
    earlier holders of the post the paragraph last named, each from the date given."""
    ctx = s.ctx
    post = ctx.posts.get((s.block.start, None))
    f = _FOLLOWED.search(s.text, s.start, s.end)
    if post is None or f is None:
        return []
    rank, sender, receiver = post
    out = []
    pos = f.end()
    dates = s.dates
    while pos < s.end:
        h = _HOLDER.match(s.text, pos, s.end)
        if h is None:
            break
        # the date right after the opener (a date phrase may take in its "from")
        when = next((d for d in dates if d.end > h.end() and h.end() - 8 <= d.start <= h.end() + 12), None)
        name = _person(re.match(r".+", h.group("name")), ctx.gazetteer)
        if when is None or name is None:
            break
        c = Claim(
            "envoy",
            sender,
            receiver,
            {"rank": rank, "person": name[0]} | ({"action": "appointed"} if "appoint" in h.group() else {}),
            [s.evidence(h.start("name"), when.end + (1 if s.text[when.end : when.end + 1] == ")" else 0))],
            "envoy.predecessor@1",
            0.75,
            start=when.edtf,
            order=h.start("name"),
        )
        c.extra["polarity"] = "asserted"
        out.append(c)
        nxt = re.match(r"\)?\s*,?", s.text[when.end : s.end])
        pos = when.end + (nxt.end() if nxt else 0)
    return out


_TOOK_PLACE = re.compile(
    r"\s+(?:\w+\s+){0,2}?(?:took place|occurred|happened|came|followed|was completed|were completed)\b"
)


def envoys(s: Sent) -> list[Claim]:
    """Envoys named by title: "the first Israeli Ambassador to Egypt", "Chargé d'Affaires of Belgium to …"."""
    ctx = s.ctx
    text = s.text
    out = []
    for m in ctx.rules.envoy_re.finditer(s.lower, s.start, s.end):
        title = re.sub(r"[\s\u00a0]+", " ", m.group(0).lower()).replace("’", "'")
        rank = ctx.rules.envoy_rank.get(title) or ctx.rules.envoy_rank.get(title.rstrip("s"))
        if rank is None:
            continue
        nearby = s.lower[max(s.start, m.start() - 12) : m.end() + 12]
        if ctx.rules.envoy_not.search(nearby) and rank == "other":
            continue
        sender: Actor | None = "VAT" if rank == "nuncio" else None
        receiver: Actor | None = None
        before = [x for x in s.mentions if x.end <= m.start()]
        if sender is None and before:
            last = before[-1]
            gap = text[last.end : m.start()]
            if _SENDER_BEFORE.fullmatch(gap) or gap.strip() in ("", "'s", "’s"):
                sender = last.code if ctx.is_state(last.code) else None
        tail = text[m.end() : s.end]
        of = re.match(r"\s+of\s+(?:the\s+)?", tail)
        pos = m.end()
        if of:
            x = s.actor_after(m.end(), m.end() + of.end() + 50)
            if x and x.start == m.end() + of.end():
                sender = sender or x.code
                pos = x.end
        to = re.match(r"\s+(?:to|in|at)\s+(?:the\s+)?", text[pos : s.end])
        if to:
            x = s.actor_after(pos, pos + to.end() + 50)
            if x and x.start == pos + to.end():
                receiver = x.code
            else:
                places, _ = _places(text, pos + to.end(), s.end)
                if places:
                    receiver = ctx.gazetteer.city_state(places[0][0])
        if sender is None:
            # "its ambassador"; "Estonia is represented in Chile by a non-resident ambassador"
            sender = _owner(s, m.start(), _HAS_ENVOY)
        if sender is None and _DEFINITE.search(text, max(s.start, m.start() - 12), m.start()):
            # "the Ambassador": the post the paragraph last named
            post = ctx.posts.get((s.block.start, rank))
            if post is not None:
                sender, receiver = post
        both = _EXCHANGE.search(text, max(s.start, m.start() - 20), m.start())
        if both:
            pair = ctx.parties if ctx.has_parties else tuple(s.recent_states(2))
            pairs = [pair, pair[::-1]] if len(pair) == 2 else []
        else:
            if sender is None or not ctx.in_scope(sender):
                continue
            if receiver is None or not ctx.in_scope(receiver) or receiver == sender:
                receiver = ctx.counterpart(sender, s)
            if receiver is None:
                continue
            pairs = [(sender, receiver)]
        person = None if both else person_near(s, m.start(), m.end())
        # "the exchange of ambassadors took place a month later, on 26 February": the date after the verb
        later = bool(_TOOK_PLACE.match(s.lower, m.end(), min(s.end, m.end() + 60)))
        d = s.date_near(m.start(), same_clause=True, after_first=later) or s.date_near(
            m.start(), same_clause=False, after_first=later
        )
        action = _envoy_action(s, m)
        if title.startswith("diplomat") and (action is None or action[0] == "appointed"):
            continue  # "Cuban diplomats" are no envoy; "expelled 15 Cuban diplomats" is an event of them
        pol = polarity_at(ctx.cues, s.analysis, m.start(), m.end(), "noun")
        if action is not None and pol.value == "asserted":
            # "asked France to recall its ambassador": the cue governs the verb, not the title
            verb_at = action[1]
            pol = polarity_at(ctx.cues, s.analysis, verb_at, verb_at + 1, "verb")
        if not both:
            ctx.posts[(s.block.start, rank)] = pairs[0]
            ctx.posts[(s.block.start, None)] = (rank, *pairs[0])  # the post the paragraph last named
        for snd, rcv in pairs:
            attrs = {"rank": rank, "person": person[0] if person else None}
            res = re.search(
                r"\b(?:with (?:residence|his residence|her residence|seat) in|resident in|based in|"
                r"accredited from)\s+",
                tail,
            )
            if res:
                places, _ = _places(text, m.end() + res.end(), s.end)
                if places:
                    attrs["residence"] = places[0][0]
            clause = s.clause_of(m.start())
            ev = s.evidence(clause.start, clause.end) if len(s.clauses) > 1 else s.evidence()
            c = Claim("envoy", snd, rcv, attrs, [ev], "envoy.title@1", 0.8, order=m.start())
            slot = "start"
            if action is not None:
                c.attrs["action"] = action[0]
                slot = {"recalled": "end", "expelled": "end", "summoned": "date"}.get(action[0], "start")
            if d is not None and d.role in ("point", "since"):
                setattr(c, slot, d.edtf)
            elif d is not None and d.role == "range":
                c.start, c.end = d.edtf, d.end_edtf
            elif d is not None and d.role == "until":
                c.end = d.edtf
            c.extra["polarity"] = pol.value
            out.append(c)
    out.extend(_predecessors(s))
    # a mission "headed by" someone names its envoy, rank not stated
    for m in ctx.rules.mission_re.finditer(s.lower, s.start, s.end):
        h = _HEADED_BY.match(text, m.end())
        if not h:
            continue
        claims = mission_phrase(s, m)
        p = _PERSON.match(text, h.end(), s.end)
        if claims and p:
            c0 = claims[0]
            out.append(
                Claim(
                    "envoy",
                    c0.actor,
                    c0.target,
                    {"rank": "envoy", "person": p.group(0)},
                    [s.evidence()],
                    "envoy.headed-by@1",
                    0.7,
                    start=c0.start,
                    order=m.start(),
                )
            )
    return out
