"""Rules for the infobox: parties, missions (Mission1/2) and envoys (Envoytitle1/2, Envoy1/2).

An infobox has two sides. Side ``n`` is the state named by ``Party<n>``, else the state whose
mission ``Mission<n>`` is, else the ``n``-th state of the title. A mission names its own sender
("Embassy of Japan, Lima", "Belgian Embassy, Damascus"); an envoy title may name its own
("Indian Ambassador to Japan"); otherwise they belong to their side.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import Actor, Evidence
from ..read.article import Field
from .context import DocContext
from .diplomacy import _places
from .merge import Claim

SECTION = "Infobox"
# What may stand between a separator and the next mission word: the words that name it ("Royal Thai").
_NAME_WORDS = re.compile(r"\s*(?:[A-Z][\w.'’-]*\s+){0,4}")


def _evidence(ctx: DocContext, f: Field, start: int | None = None, end: int | None = None) -> Evidence:
    s = f.start if start is None else start
    e = f.end if end is None else end
    return Evidence(SECTION, s, e, ctx.article.text[s:e])


def _missions(ctx: DocContext, f: Field, side: Actor | None) -> list[Claim]:
    """Parse a Mission field, which may name several missions ("Embassy of X, Tokyo; Consulate, Osaka")."""
    key = (f.start, side)
    if key not in ctx.cache:
        claims = []
        for start, end in _segments(ctx, f):
            part = replace(f, start=start, end=end, value=ctx.article.text[start:end])
            c = _parse_mission(ctx, part, side)
            if c is not None:
                claims.append(c)
        ctx.cache[key] = claims
    return [
        Claim(c.type, c.actor, c.target, dict(c.attrs), list(c.evidence), c.rule, c.confidence, order=c.order)
        for c in ctx.cache[key]
    ]


def _segments(ctx: DocContext, f: Field) -> list[tuple[int, int]]:
    """The spans of a field's value that each name one mission: a new one starts at a mission word's
    phrase (the capitalised words before it) after a comma or semicolon."""
    text = ctx.article.text
    words = list(ctx.rules.mission_re.finditer(ctx.lower, f.start, f.end))
    if len(words) < 2:
        return [(f.start, f.end)]
    spans = []
    start = f.start
    for w in words[1:]:
        sep = max(text.rfind(",", start, w.start()), text.rfind(";", start, w.start()))
        if sep == -1 or _NAME_WORDS.fullmatch(text, sep + 1, w.start()) is None:
            continue
        spans.append((start, sep))
        start = sep + 1
        while start < w.start() and text[start].isspace():
            start += 1
    spans.append((start, f.end))
    return [(a, b) for a, b in spans if b > a]


def _parse_mission(ctx: DocContext, f: Field, side: Actor | None) -> Claim | None:
    gz = ctx.gazetteer
    text = ctx.article.text
    m = ctx.rules.mission_re.search(ctx.lower, f.start, f.end)
    if not m:
        return None
    mk = ctx.rules.mission_word_kind[re.sub(r"[\s\u00a0]+", " ", m.group(0).lower())]
    mentions = ctx.mentions_between(f.start, f.end, capitals=False)
    sender: Actor | None = mk.sender
    # the state named before the place part of the value is the sender
    comma = text.find(",", m.end(), f.end)
    name_end = comma if comma != -1 else f.end
    inn = re.search(r"\s+(?:in|at)\s+", text[m.end() : name_end])
    to = re.search(r"\s+to\s+(?:the\s+)?", text[m.end() : name_end])
    if inn:
        name_end = m.end() + inn.start()
    if to:
        name_end = m.end() + to.start()
    for x in mentions:
        if x.end <= name_end and ctx.is_state(x.code) and sender is None:
            sender = x.code
    if sender is None:
        sender = side
    if sender is None or not ctx.is_party(sender):
        return None
    host = ctx.other(sender)
    city = None
    if to:
        there = next((x for x in mentions if x.start >= m.end() + to.end()), None)
        if there and ctx.is_party(there.code) and there.code != sender:
            host = there.code
    place_at = None
    if inn:
        place_at = m.end() + inn.end()
    elif comma != -1:
        place_at = comma + 1
        while place_at < f.end and text[place_at] == " ":
            place_at += 1
    if place_at is not None:
        found, _ = _places(text, place_at, f.end)
        if found:
            name = found[0][0]
            code = gz.resolve(name)
            cap = gz.capital(code) if code else None
            if (
                code
                and gz.kind(code) != "organisation"
                and not (cap and cap.casefold().startswith(name.casefold()))
            ):
                if ctx.is_party(code) and code != sender:
                    host = code
            else:
                city = name
                if f.value.rstrip().endswith("D.C.") and "D.C" not in city:
                    city = city + ", D.C."
    if host is None:
        return None
    attrs = {"kind": mk.kind, "city": city}
    seat = gz.city_state(city) if city else None
    if (
        seat
        and not ctx.is_party(seat)
        and re.search(r"accredited|non-resident|\bfrom\b", f.value, re.IGNORECASE)
    ):
        attrs = {"kind": "non-resident", "city": city, "accredited_from": seat}
    return Claim(
        "mission",
        sender,
        host,
        attrs,
        [_evidence(ctx, f)],
        "mission.infobox@1",
        0.95,
        order=f.start,
    )


def _side_of_title(ctx: DocContext, f: Field | None) -> tuple[Actor | None, Actor | None]:
    """Sender and receiver an envoy title names itself: "Malaysian High Commissioner to Singapore"."""
    if f is None:
        return None, None
    text = ctx.article.text
    sender = receiver = None
    to = re.search(r"\s+to\s+(?:the\s+)?", text[f.start : f.end])
    for x in ctx.mentions_between(f.start, f.end, capitals=False):
        if not ctx.is_state(x.code):
            continue
        if to and x.start >= f.start + to.end():
            receiver = receiver or x.code
        else:
            sender = sender or x.code
    return sender, receiver


def sides(ctx: DocContext) -> list[Actor | None]:
    """The state on each side of the infobox (index 0 is side 1)."""
    art = ctx.article
    out: list[Actor | None] = [None, None]
    for n in (1, 2):
        p = art.field(f"Party{n}")
        if p is not None:
            code = ctx.gazetteer.resolve(p.value)
            if code and ctx.is_party(code):
                out[n - 1] = code
        if out[n - 1] is None:
            mf = art.field(f"Mission{n}")
            if mf is not None:
                found = _missions(ctx, mf, None)
                if found:
                    out[n - 1] = found[0].actor
    if out[0] is None and out[1] is not None:
        out[0] = ctx.other(out[1])
    if out[1] is None and out[0] is not None:
        out[1] = ctx.other(out[0])
    if out[0] is None:
        out = list(ctx.parties)
    return out


def infobox_claims(ctx: DocContext) -> list[Claim]:
    art = ctx.article
    if not art.infobox:
        return []
    side = sides(ctx)
    out: list[Claim] = []
    for n in (1, 2):
        f = art.field(f"Mission{n}")
        if f is not None:
            out.extend(_missions(ctx, f, side[n - 1]))
    rules = ctx.rules
    for n in (1, 2):
        title = art.field(f"Envoytitle{n}")
        envoy = art.field(f"Envoy{n}")
        if title is None and envoy is None:
            continue
        rank = None
        if title is not None:
            m = rules.envoy_re.search(ctx.lower, title.start, title.end)
            if m:
                rank = rules.envoy_rank.get(re.sub(r"[\s\u00a0]+", " ", m.group(0).lower()).replace("’", "'"))
                # "Minister Counsellor" is a rank of its own, not a minister
                whole = title.value.lower().strip(" ,")
                if whole in rules.envoy_rank:
                    rank = rules.envoy_rank[whole]
            elif title.value.strip():
                rank = "other"
        if rank is None:
            rank = "ambassador" if title is None else None
        if rank is None:
            continue
        sender, receiver = _side_of_title(ctx, title)
        sender = sender if sender and ctx.is_party(sender) else side[n - 1]
        if rank == "nuncio":
            sender = "VAT" if ctx.is_party("VAT") else sender
        if sender is None or not ctx.is_party(sender):
            continue
        receiver = (
            receiver if receiver and ctx.is_party(receiver) and receiver != sender else ctx.other(sender)
        )
        person = None
        evidence = []
        if title is not None:
            evidence.append(_evidence(ctx, title))
            if title.person:
                person = title.person
                evidence.append(_evidence(ctx, title, title.person_start, title.person_end))
        if envoy is not None and envoy.value:
            person = envoy.value
            evidence.append(_evidence(ctx, envoy))
        anchor = title or envoy
        assert anchor is not None and receiver is not None  # one of the two fields; a party's other party
        out.append(
            Claim(
                "envoy",
                sender,
                receiver,
                {"rank": rank, "person": person},
                evidence,
                "envoy.infobox@1",
                0.9,
                order=anchor.start,
            )
        )
    return out
