"""Rules for the other facts in prose: trade, sanctions, aid, migration, statements, security,
membership, agreements and visits.

Each rule reads one sentence and returns claims. Trigger words and kinds come from the lexicon;
what is here is how a sentence's parts are found: the actor that acts, the one acted on, the date.
"""

from __future__ import annotations

import re

from .context import Sent
from .merge import Claim

_LIST_ITEM = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
_COUNT = re.compile(r"\b(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?\s+(?:million|thousand)|\d{2,})\b")
_PASSIVE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?$")
_PRONOUNS = frozenset(
    ("it", "them", "this", "that", "these", "those", "him", "her", "one another", "each other")
)
_HEDGE = re.compile(
    r"^(?:mainly|mostly|largely|chiefly|primarily|principally|especially|notably|including|such as|"
    r"in particular|above all|also|other)\s+"
)
_NOUNS = re.compile(r"[a-z][a-z-]*(?:\s+[a-z][a-z-]*){0,2}")
_STOP = re.compile(
    r"\s+(?:to|from|with|for|in|into|by|through|via|against|on)\b|[,;.)]\s*(?:while|but|which|as|and\s+(?:has|have|was|were|is|the))\b|[;.(]|$"
)
_SUBJECT_END = re.compile(
    r"\s+(?:and|but)\s+(?:has\s+|have\s+|had\s+)?[a-z]+(?:ed|s)\b|\s+to\s+[a-z]+\b|[,;.]|$"
)


def _claim(r, section: str, type_: str, actor, target, attrs: dict, evidence: list, *, order: int) -> Claim:
    """A claim made by the lexicon section's rule, with that rule's id and base confidence."""
    rid = r.ids[section]
    return Claim(type_, actor, target, attrs, evidence, rid, r.confidence[rid], order=order)


def _date_fields(c: Claim, s: Sent, pos: int, *, point: bool = False) -> Claim:
    d = s.date_near(pos)
    if d is not None:
        if point or d.role == "by":
            c.date = d.edtf
        elif d.role == "range":
            c.start, c.end = d.edtf, d.end_edtf
        elif d.role in ("until", "before"):
            c.end = d.edtf
        else:
            c.start = d.edtf
    elif s.inherited:
        if point:
            c.date = s.inherited
        else:
            c.start = s.inherited
    return c


def _items(text: str, start: int, end: int) -> list[str]:
    """A list of short noun phrases: "textiles, agricultural products, and phosphates"."""
    seg = text[start:end]
    stop = _STOP.search(seg)
    seg = seg[: stop.start()] if stop else seg
    out = []
    for part in _LIST_ITEM.split(seg):
        part = _HEDGE.sub("", part.strip().strip(","))
        if part and _NOUNS.fullmatch(part):
            out.append(part)
    return out


def _target(s: Sent, pos: int, actor: str | None, limit: int | None = None) -> str | None:
    m = s.actor_after(pos, limit, skip=actor)
    if m is not None:
        return m.code
    return s.ctx.other(actor) if actor is not None else None


def statements(s: Sent) -> list[Claim]:
    ctx = s.ctx
    text = s.text
    out = []
    for stance, pat in ctx.rules.statement_stances.items():
        for m in pat.finditer(s.lower, s.start, s.end):
            verb = m.group(0).split()[0]
            if verb.endswith("ing") and verb != "expressing" or _PASSIVE.search(s.lower, s.start, m.start()):
                continue  # "accused X of supporting", "was criticized for": not the actor speaking
            obj_start = m.end()
            while obj_start < s.end and text[obj_start] == " ":
                obj_start += 1
            end = _SUBJECT_END.search(text, obj_start, s.end)
            obj_end = end.start() if end else s.end
            subject = text[obj_start:obj_end].strip()
            if (
                not subject
                or subject.startswith("by ")
                or subject.lower() in _PRONOUNS
                or ctx.rules.statement_not.search(subject.lower())
            ):
                continue
            actor = s.subject_before(m.start(), within_clause=False)
            if actor is None or not (ctx.is_party(actor) or ctx.is_state(actor)):
                continue
            target = None
            for x in s.mentions:
                if obj_start <= x.start < obj_end and x.code != actor and ctx.is_state(x.code):
                    target = x.code
                    break
            if target is None:
                target = ctx.other(actor)
            if target is None or not (ctx.is_party(actor) or ctx.is_party(target)):
                continue
            c = Claim(
                "statement",
                actor,
                target,
                {"stance": stance, "subject": subject},
                [s.evidence(m.start() if actor is None else _from_subject(s, m.start()), obj_end)],
                ctx.rules.ids["statement"],
                ctx.rules.confidence[ctx.rules.ids["statement"]],
                order=m.start(),
            )
            out.append(_date_fields(c, s, m.start(), point=True))
    return out


def _from_subject(s: Sent, pos: int) -> int:
    """Start evidence at the clause holding the verb, so the quote reads as a statement."""
    return s.clause_of(pos).start


def sanctions(s: Sent) -> list[Claim]:
    ctx = s.ctx
    r = ctx.rules
    text = s.text
    out = []
    low = s.lower
    for m in r.patterns["sanctions.trigger"].finditer(low, s.start, s.end):
        actor = s.subject_before(m.start(), within_clause=False)
        if actor is None:
            continue
        tail = text[m.end() : s.end]
        on = (
            re.match(r"\s*(?:on|against)\s+(?:the\s+)?", tail)
            if "sanctions" in m.group(0).lower()[-9:]
            else None
        )
        if on is None:
            on = re.search(r"\bsanctions\s+(?:on|against)\s+(?:the\s+)?", text[m.start() : s.end])
            obj = m.start() + on.end() if on else m.end()
        else:
            obj = m.end() + on.end()
        tgt = s.actor_after(obj, obj + 40, skip=actor)
        if tgt is None:
            continue
        scope = [w for w in r.lists["sanctions.scopes"] if re.search(rf"\b{w}\b", low[m.start() : m.end()])]
        if tgt.start == obj and tgt.form == "adjective":
            scope = _items(text, tgt.end, s.end) or scope
        attrs = {"scope": scope}
        via = r.patterns["sanctions.via"].search(low, s.start, s.end)
        if via:
            v = s.actor_after(via.end(), via.end() + 30, states_only=False)
            if v and not ctx.is_state(v.code) and v.code != actor:
                attrs["via"] = v.code
        c = _claim(
            r,
            "sanctions",
            "sanctions",
            actor,
            tgt.code,
            attrs,
            [s.evidence(_from_subject(s, m.start()), None)],
            order=m.start(),
        )
        out.append(_date_fields(c, s, m.start()))
    return out


def aid(s: Sent) -> list[Claim]:
    ctx = s.ctx
    r = ctx.rules
    out = []
    low = s.lower
    for m in r.patterns["aid.trigger"].finditer(low, s.start, s.end):
        verb = r.patterns["aid.verbs"].search(low, max(s.start, m.start() - 45), m.start())
        if not verb or r.patterns["aid.not"].search(low, s.start, s.end):
            continue
        donor = s.subject_before(verb.start(), within_clause=False, states_only=True)
        if donor is None:
            continue
        recipient = _target(s, m.end(), donor)
        if recipient is None or recipient == donor or not (ctx.is_party(donor) or ctx.is_party(recipient)):
            continue
        kind = None
        for k, pat in r.kinds["aid"].items():
            if pat.search(low, max(s.start, m.start() - 30), m.end()) or pat.search(s.section.lower()):
                kind = k
                break
        channels = []
        ch = r.patterns["aid.channels"].search(low, m.end(), s.end)
        if ch:
            channels = [x.code for x in s.mentions if x.start >= ch.end() and not ctx.is_state(x.code)]
        c = _claim(
            r,
            "aid",
            "aid",
            donor,
            recipient,
            {"kind": kind, "channels": channels},
            [s.evidence(_from_subject(s, verb.start()), None)],
            order=m.start(),
        )
        out.append(_date_fields(c, s, m.start()))
        break
    return out


def migration(s: Sent) -> list[Claim]:
    ctx = s.ctx
    r = ctx.rules
    text = s.text
    low = s.lower
    if r.patterns["migration.not"].search(low, s.start, s.end):
        return []
    if not r.patterns["migration.verbs"].search(low, s.start, s.end):
        return []
    out = []
    for kind, pat in r.kinds["migration"].items():
        m = pat.search(low, s.start, s.end)
        if not m:
            continue
        origin = dest = None
        # "Syrian refugees", "Syrians": the people's own adjective names the state they come from
        for x in s.mentions:
            if x.form == "adjective" and x.end <= m.start() and m.start() - x.end <= 3:
                origin = x.code
        for x in s.mentions:
            if (
                x.form == "adjective"
                and x.text.endswith("s")
                and ctx.is_state(x.code)
                and not s.is_oblique(x)
            ):
                origin = origin or x.code
        fm = re.search(r"\bfrom\s+(?:the\s+)?", text[m.end() : s.end])
        if origin is None and fm:
            o = s.actor_after(m.end() + fm.end(), m.end() + fm.end() + 30)
            origin = o.code if o else None
        to = (
            re.search(r"\b(?:in|to|into)\s+(?:the\s+)?", text[m.start() : s.end])
            if kind != "foreign-fighters"
            else None
        )
        if kind == "foreign-fighters":
            dest_m = re.search(r"\b(?:to|for)\s+", text[m.start() : s.end])
            d = s.actor_after(m.start() + dest_m.end(), m.start() + dest_m.end() + 30) if dest_m else None
            dest = d.code if d else None
            origin = s.subject_before(m.start(), within_clause=False, states_only=True)
        else:
            if to:
                d = s.actor_after(m.start() + to.end(), m.start() + to.end() + 30, skip=origin)
                dest = d.code if d and ctx.is_party(d.code) else None
            if dest is None:
                subj = s.subject_before(m.start(), within_clause=False, states_only=True)
                dest = subj if subj != origin else None
        if origin is None and dest is not None:
            origin = ctx.other(dest)
        if dest is None and origin is not None:
            dest = ctx.other(origin)
        if (
            origin is None
            or dest is None
            or origin == dest
            or not (ctx.is_party(origin) and ctx.is_party(dest))
        ):
            continue
        attrs = {"kind": kind}
        for count in _COUNT.finditer(text, s.start, m.start()):
            if not any(d.start <= count.start() < d.end for d in s.dates):
                attrs["count"] = count.group(1)
        c = _claim(
            r,
            "migration",
            "migration",
            origin,
            dest,
            attrs,
            [s.evidence()],
            order=m.start(),
        )
        out.append(_date_fields(c, s, m.start()))
    return out


def trade(s: Sent) -> list[Claim]:
    ctx = s.ctx
    r = ctx.rules
    text = s.text
    out = []
    for direction in ("export", "import"):
        for m in r.patterns[f"trade.{direction}"].finditer(s.lower, s.start, s.end):
            subj = s.subject_before(m.start(), within_clause=False, states_only=True)
            pos = m.end()
            of = re.match(r"\s+(?:of\s+)?", text[pos : s.end])
            pos += of.end() if of else 0
            other = None
            adj = s.actor_after(pos, pos + 40)
            if adj is not None and adj.start == pos and adj.form == "adjective":
                other = adj.code
                pos = adj.end
            goods = _items(text, pos, s.end)
            if not goods:
                continue
            rest = text[pos : s.clause_of(pos).end]
            prep = re.search(r"\b(?:to|from)\s+(?:the\s+)?", rest)
            if other is None and prep:
                x = s.actor_after(pos + prep.end(), pos + prep.end() + 30)
                other = x.code if x else None
            if subj is None or other is None or subj == other:
                continue
            exporter, importer = (subj, other) if direction == "export" else (other, subj)
            if not (ctx.is_party(exporter) and ctx.is_party(importer)):
                continue
            hs: list[str] = []
            for g in goods:
                for sec in r.goods_hs.get(g.lower()) or r.goods_hs.get(g.lower().split()[-1], ()):
                    if sec not in hs:
                        hs.append(sec)
            c = _claim(
                r,
                "trade",
                "trade",
                exporter,
                importer,
                {"goods": goods, "hs_sections": hs, "trend": None},
                [s.evidence(_from_subject(s, m.start()), None)],
                order=m.start(),
            )
            out.append(_date_fields(c, s, m.start()))
    if not out and r.patterns["trade.general"].search(s.lower, s.start, s.end):
        for trend, pat in r.kinds["trade.trends"].items():
            if pat.search(s.lower, s.start, s.end):
                a, b = ctx.parties
                c = Claim(
                    "trade",
                    a,
                    b,
                    {"trend": trend},
                    [s.evidence()],
                    r.ids["trade"],
                    r.confidence[r.ids["trade"]] - 0.1,
                    order=s.start,
                    extra={"general": True},
                )
                out.append(_date_fields(c, s, s.start))
                break
    return out


def security(s: Sent) -> list[Claim]:
    ctx = s.ctx
    r = ctx.rules
    verb = r.patterns["security.verbs"].search(s.lower, s.start, s.end)
    if not verb:
        return []
    org_spans = [(x.start, x.end) for x in s.mentions if not ctx.is_state(x.code)]
    for kind, pat in r.kinds["security"].items():
        for m in pat.finditer(s.lower, s.start, s.end):
            if any(a <= m.start() < b for a, b in org_spans):
                continue
            actor = s.subject_before(verb.start(), within_clause=False, states_only=True)
            if actor is None:
                continue
            target = _target(s, verb.end(), actor)
            if target is None or target == actor or not ctx.is_party(actor):
                continue
            c = _claim(
                r,
                "security",
                "security",
                actor,
                target,
                {"kind": kind},
                [s.evidence()],
                order=m.start(),
            )
            return [_date_fields(c, s, m.start())]
    return []


def membership(s: Sent) -> list[Claim]:
    ctx = s.ctx
    r = ctx.rules
    text = s.text
    out = []
    for m in r.patterns["membership.trigger"].finditer(s.lower, s.start, s.end):
        members = []
        subj = s.subject_before(m.start(), within_clause=False, states_only=True)
        head = text[s.start : m.start()]
        if re.search(r"\b(?:both|the two|they)\b", head, re.IGNORECASE) or (
            s.mentions_both_parties() and re.search(r"\band\b", head)
        ):
            members = list(ctx.parties)
        elif subj is not None:
            members = [subj]
        orgs = []
        for x in s.mentions:
            if x.start >= m.end() and not ctx.is_state(x.code) and x.code not in orgs:
                if text[m.end() : x.start].count(".") == 0:
                    orgs.append(x.code)
        for member in members:
            if not ctx.is_party(member):
                continue
            for org in orgs:
                c = _claim(
                    r,
                    "membership",
                    "membership",
                    member,
                    org,
                    {},
                    [s.evidence()],
                    order=m.start(),
                )
                d = s.date_near(m.start())
                if d is not None and re.search(r"join|admit|acced|became", m.group(0), re.IGNORECASE):
                    c.start = d.edtf
                out.append(c)
    return out


_KIND_WORD = (
    r"(?:[Tt]reat(?:y|ies)|[Aa]greements?|[Mm]emorand(?:um|a)(?: of [Uu]nderstanding)?|[Pp]act|[Aa]ccords?|"
    r"[Cc]onvention|[Pp]rotocol|MoU)"
)
_AGREEMENT_NAME = re.compile(
    r"(?:the\s+)?((?:[A-Z\d][\w'’-]*\s+(?:(?:[A-Z\d][\w'’–-]*|of|on|and|for|the|in|between|de)\s+)*?)?"
    + _KIND_WORD
    + r"(?:\s+(?:of|on|for|between)\s+(?:the\s+)?[A-Z][\w'’-]*"
    r"(?:\s+(?:(?:and|of|the|on|for)\s+)?[A-Z][\w'’-]*)*)?)"
    r"|\b(?:an?|two|three|several)\s+((?:[a-z][\w-]*\s+){0,3}"
    + _KIND_WORD.replace("[Tt]", "t")
    .replace("[Aa]", "a")
    .replace("[Mm]", "m")
    .replace("[Pp]", "p")
    .replace("[Cc]", "c")
    + r")"
)


def agreements(s: Sent) -> list[Claim]:
    ctx = s.ctx
    r = ctx.rules
    text = s.text
    out = []
    for m in r.patterns["agreement.trigger"].finditer(s.lower, s.start, s.end):
        name_m = _AGREEMENT_NAME.search(text, m.end(), min(s.end, m.end() + 160))
        if not name_m:
            continue
        name = (name_m.group(1) or name_m.group(2)).strip().rstrip(",")
        kind = "agreement"
        for k, pat in r.kinds["agreement"].items():
            if pat.search(name.lower()):
                kind = k
                break
        if not s.refers_to_both():
            continue
        a, b = ctx.parties
        c = _claim(
            r,
            "agreement",
            "agreement",
            a,
            b,
            {"name": name, "kind": kind},
            [s.evidence()],
            order=m.start(),
        )
        out.append(_date_fields(c, s, m.start(), point=True))
    return out


def visits(s: Sent) -> list[Claim]:
    ctx = s.ctx
    r = ctx.rules
    text = s.text
    out = []
    for m in r.patterns["visit.trigger"].finditer(s.lower, s.start, s.end):
        host_m = s.actor_after(m.end(), m.end() + 30)
        visitor = None
        office = None
        head = text[max(s.start, m.start() - 80) : m.start()]
        for o in r.lists["visit.offices"]:
            if re.search(rf"\b{re.escape(o)}\b", head, re.IGNORECASE):
                office = o
                break
        for x in s.mentions:
            if x.end <= m.start() and ctx.is_state(x.code) and not s.is_oblique(x):
                visitor = x.code
        if host_m is None or visitor is None or host_m.code == visitor:
            continue
        if not (ctx.is_party(visitor) and ctx.is_party(host_m.code)) or office is None:
            continue
        c = _claim(
            r,
            "visit",
            "visit",
            visitor,
            host_m.code,
            {"office": office},
            [s.evidence()],
            order=m.start(),
        )
        out.append(_date_fields(c, s, m.start(), point=True))
        break
    return out
