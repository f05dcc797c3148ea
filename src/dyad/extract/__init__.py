"""Extract: an :class:`~dyad.read.article.Article` in, a :class:`~dyad.model.Document` of facts out.

The steps, in order: find the two parties in the title; read the infobox; read every sentence with
each prose rule (diplomacy, then the other topics), carrying dates across sentences where the text
refers back to them; merge mentions of one fact; settle what one fact says about another (a growing
trade ends when its decline begins).
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Callable
from dataclasses import replace
from typing import cast

from ..model import Actor, Document, Fact, Named, Source
from ..read.article import Article
from ..registry import TYPES
from ..resolve.actors import Gazetteer
from ..resolve.dates import edtf_sort_key
from . import diplomacy, fill  # noqa: F401  (fill registers the fillers rule records name)
from .context import DocContext, Sent, build_sents
from .engine import plan_rules, run_sentence
from .infobox import infobox_claims
from .merge import MAX_EVIDENCE, Claim, Merger, compatible, merge_claims, to_fact
from .records import Rule, load_records
from .rules import Rules, load_rules, lowered

__all__ = ["extract_article", "parties_of"]

#: The prose rules, in the order they run on each sentence.
PROSE_RULES: tuple[Callable[[Sent], list[Claim]], ...] = (
    diplomacy.missions,
    diplomacy.envoys,
)

_DEFENCE = re.compile(r"\b(?:defen[cs]e|security|military|mutual assistance|alliance)\b", re.IGNORECASE)
_TITLE_SUFFIX = re.compile(r"\s+(?:relations|relationship|ties)\s*$", re.IGNORECASE)


def parties_of(title: str, gazetteer: Gazetteer) -> tuple[Actor, Actor]:
    """The two states a title names, in its order: "Belgium–Syria relations" -> ("BEL", "SYR")."""
    name = _TITLE_SUFFIX.sub("", title.strip())
    for sep in ("–", "—", " and ", "-", "/"):
        if sep not in name:
            continue
        parts = name.split(sep)
        # try every split point: "Guinea-Bissau-Senegal" has one that resolves on both sides
        for i in range(1, len(parts)):
            left, right = sep.join(parts[:i]).strip(), sep.join(parts[i:]).strip()
            a, b = gazetteer.resolve(left), gazetteer.resolve(right)
            if a and b:
                return a, b
        if len(parts) == 2:
            left, right = (p.strip() for p in parts)
            return gazetteer.resolve(left) or Named(left), gazetteer.resolve(right) or Named(right)
    return Named(name), Named("")


def _anchor_dates(ctx: DocContext, sents: list[Sent]) -> None:
    """Give undated sentences the date they refer back to, within their paragraph or by an event.

    A period opened in a paragraph ("The war, which began in 2011, …", "In the early 2000s …")
    carries to the paragraph's later sentences until a sentence names a point in
    time of its own. "As the conflict escalated" takes the start of the latest dated event.
    """
    r = ctx.rules
    ongoing: str | None = None
    block = None
    low = ctx.lower
    for s in sents:
        if s.block is not block:
            block, ongoing = s.block, None
        if s.dates:
            noun = r.patterns["time.event_nouns"].search(low, s.start, s.end)
            starts = noun and r.patterns["time.event_start"].search(low, s.start, s.end)
            d0 = s.dates[0]
            if starts and noun:
                ctx.events.append((noun.group(0).lower(), d0.edtf))
                ongoing = d0.edtf
            elif any("X" in d.edtf for d in s.dates):
                ongoing = next(d.edtf for d in s.dates if "X" in d.edtf)
            else:
                ongoing = None
            continue
        if ctx.events and r.patterns["time.anaphor"].search(low, s.start, s.end):
            s.inherited = ctx.events[-1][1]
            ongoing = s.inherited
        elif ongoing:
            s.inherited = ongoing


def _gated(text: str, sents: list[Sent], rules: Rules) -> list[tuple[int, Callable[[Sent], list[Claim]]]]:
    """(sentence index, rule) for each rule whose gate words occur in the sentence, in reading order."""
    if not sents:
        return []
    lower = lowered(text)
    index = {rule.__name__: r for r, rule in enumerate(PROSE_RULES)}
    starts = [s.start for s in sents]
    active: set[tuple[int, int]] = set()
    for m in rules.gate_re.finditer(lower, sents[0].start, sents[-1].end):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and m.start() < sents[i].end:
            for name in rules.gate_names.get(m.group(1), ()):
                if name in index:
                    active.add((i, index[name]))
    ungated = [r for r, rule in enumerate(PROSE_RULES) if rule.__name__ not in rules.gates]
    active.update((i, r) for i in range(len(sents)) for r in ungated)
    return [(i, PROSE_RULES[r]) for i, r in sorted(active)]


def _fold(into: Claim, c: Claim) -> None:
    """Fold a mention without detail into the fact it names (its evidence, times and action)."""
    into.evidence.extend(e for e in c.evidence if e not in into.evidence)
    del into.evidence[MAX_EVIDENCE:]
    into.start = into.start or c.start
    into.end = into.end or c.end
    action = TYPES[c.type].action
    if action and c.attrs.get(action) and not into.attrs.get(action):
        into.attrs[action] = c.attrs[action]


def _settle(claims: list[Claim], ctx: DocContext) -> list[Claim]:
    """What facts of one document say about each other."""
    out = []
    # a general trend sentence whose trend the goods facts of its paragraph took is not a fact of its own
    for c in claims:
        if c.type == "trade" and c.extra.get("general"):
            absorbed = [
                g
                for g in claims
                if g.type == "trade"
                and not g.extra.get("general")
                and g.extra.get("block") == c.extra.get("block")
                and g.attrs.get("trend") in (None, c.attrs["trend"])
            ]
            if absorbed:
                for g in absorbed:
                    g.attrs["trend"] = c.attrs["trend"]
                    g.start = g.start or c.start
                continue
        out.append(c)
    # a growing trade ends where the decline of the pair's trade begins
    declines = [c for c in out if c.type == "trade" and c.attrs.get("trend") == "declining" and c.start]
    for c in out:
        if c.type == "trade" and c.attrs.get("trend") == "growing" and c.end is None and c.start:
            later = [d.start for d in declines if d.start and edtf_sort_key(d.start) > edtf_sort_key(c.start)]
            if later:
                c.end = min(later, key=edtf_sort_key)
    # an envoy without a name is the named one of the same side and rank, when there is just one;
    # a mission without a city is the one of the same side and kind that has a city
    detail = {"envoy": ("rank", "person"), "mission": ("kind", "city")}
    named: dict[tuple, list[Claim]] = {}
    for c in out:
        if c.type in detail and c.attrs.get(detail[c.type][1]):
            named.setdefault((c.type, c.actor, c.target, c.attrs[detail[c.type][0]]), []).append(c)
    kept = []
    for c in out:
        if c.type in detail and not c.attrs.get(detail[c.type][1]):
            same = [
                g
                for g in named.get((c.type, c.actor, c.target, c.attrs[detail[c.type][0]]), [])
                if compatible(g, c)
            ]
            if len(same) == 1 or (same and c.rule.endswith("infobox@1")):
                # an infobox post names the present holder: the latest the prose names
                _fold(max(same, key=lambda g: edtf_sort_key(g.start or g.date or "0000")), c)
                continue
        kept.append(c)
    # "began relations in 1785, but formal relations were not established until 1797": the formal one
    late = {c.extra.get("sentence") for c in kept if c.extra.get("not_until")}
    if late:
        kept = [
            c
            for c in kept
            if not (
                c.type == "relations"
                and c.extra.get("sentence") in late
                and not c.extra.get("not_until")
                and c.attrs.get("status") == "established"
            )
        ]
    kept = _settle_agreements(kept)
    kept = _settle_discussions(kept)
    # a defence pact is an agreement and security cooperation of kind defence-agreement (ANNOTATE.md)
    for c in list(kept):
        if c.type == "agreement" and _DEFENCE.search(str(c.attrs.get("name") or "")):
            twin = Claim(
                "security",
                c.actor,
                c.target,
                {"kind": "defence-agreement"},
                list(c.evidence),
                c.rule,
                c.confidence,
                start=c.date,
                order=c.order,
                extra={"polarity": c.extra.get("polarity", "asserted")},
            )
            if not any(k.type == "security" and k.key() == twin.key() for k in kept):
                kept.append(twin)
    # "normalized relations" with no relations or break told before is their establishment
    earlier = [
        c.order
        for c in kept
        if c.type == "relations" and c.attrs["status"] in ("established", "severed", "suspended")
    ]
    for c in kept:
        if c.type == "relations" and c.extra.get("normalized") and not any(o < c.order for o in earlier):
            c.attrs["status"] = "established"
    # a later establishment after a break is a restoration
    est = sorted(
        (c for c in kept if c.type == "relations" and c.attrs["status"] == "established" and c.start),
        key=lambda c: edtf_sort_key(cast(str, c.start)),
    )
    for c in est[1:]:
        first, this = cast(str, est[0].start), cast(str, c.start)  # est holds dated establishments only
        if not this.startswith(first[:4]) and not first.startswith(this[:4]):
            breaks = [
                b
                for b in kept
                if b.type == "relations"
                and b.attrs["status"] in ("severed", "suspended")
                and b.end
                and edtf_sort_key(first) < edtf_sort_key(b.end) <= edtf_sort_key(this)
            ]
            if breaks:
                c.attrs["status"] = "restored"
    return kept


_ANAPHOR = re.compile(
    r"(?:the|this|that|these|those)\s+(?:treat(?:y|ies)|agreements?|accords?|pacts?|protocols?)$", re.I
)


_DISCUSSED = re.compile(r"(?:discuss|consult)", re.I)


def _settle_discussions(claims: list[Claim]) -> list[Claim]:
    """ "The two leaders also discussed trade": what a meeting or call of the pair covered is that
    meeting, not another; a discussion of a pair with no other meeting stays one."""
    meetings: dict[frozenset, Claim] = {}
    for c in sorted(claims, key=lambda c: c.order):
        if (
            c.type == "meeting"
            and c.attrs.get("kind") in ("call", "talks")
            and not _DISCUSSED.match(c.extra.get("trigger", ""))
        ):
            meetings.setdefault(frozenset((str(c.actor), str(c.target))), c)
    out = []
    for c in claims:
        if c.type == "meeting" and _DISCUSSED.match(c.extra.get("trigger", "")):
            host = meetings.get(frozenset((str(c.actor), str(c.target))))
            if host is not None and host is not c and host.extra.get("polarity") == c.extra.get("polarity"):
                _fold(host, c)
                continue
        out.append(c)
    return out


# "Treaty", "the Agreement": an agreement word alone, capitalised or not, names no agreement
_BARE = re.compile(r"(?:the\s+)?(?:treat(?:y|ies)|agreements?|accords?|pacts?|protocols?|conventions?)", re.I)


def _settle_agreements(claims: list[Claim]) -> list[Claim]:
    """Agreements named once and mentioned again: "signed two agreements — the Fundamental Agreement
    and …" is the named ones; "the treaty was signed" after a named treaty is that treaty."""
    named: list[Claim] = []
    out: list[Claim] = []

    def is_generic(c: Claim) -> bool:
        name = str(c.attrs.get("name") or "").strip()
        return not any(ch.isupper() for ch in name) or bool(_ANAPHOR.fullmatch(name) or _BARE.fullmatch(name))

    def reading_order(c: Claim) -> tuple[int, bool, int]:
        # a sentence's named agreements before its generic mentions ("signed two agreements — the …")
        generic = c.type == "agreement" and is_generic(c)
        return (c.extra.get("sentence", c.order), generic, c.order)

    for c in sorted(claims, key=reading_order):
        if c.type != "agreement":
            out.append(c)
            continue
        name = str(c.attrs.get("name") or "")
        generic = is_generic(c)
        if generic:
            # a generic mention in a sentence that names an agreement, or after one: that agreement
            same = [n for n in named if n.extra.get("sentence") == c.extra.get("sentence")]
            anaphor = bool(_ANAPHOR.fullmatch(name.strip()) or _BARE.fullmatch(name.strip()))
            before = same or [n for n in named if anaphor]
            target = before[-1] if before else None
            if (
                target is not None
                and target.extra.get("polarity") == c.extra.get("polarity")
                and compatible(target, c)
            ):
                _fold(target, c)
                continue
            if target is not None and anaphor:
                c.attrs["name"] = target.attrs.get("name")  # "the treaty was renewed in 1799"
        else:
            low = name.casefold()
            twin = next(
                (
                    n
                    for n in named
                    if n.extra.get("sentence") == c.extra.get("sentence")
                    and (
                        low in str(n.attrs.get("name")).casefold()
                        or str(n.attrs.get("name")).casefold() in low
                    )
                ),
                None,
            )
            if twin is not None and compatible(twin, c):
                _fold(twin, c)
                if len(name) > len(str(twin.attrs.get("name"))):
                    twin.attrs["name"] = name
                continue
            named.append(c)
        out.append(c)
    return out


def extract_article(
    article: Article,
    *,
    gazetteer: Gazetteer | None = None,
    rules: Rules | None = None,
    sha256: str | None = None,
    records: tuple[Rule, ...] | None = None,
) -> Document:
    """Every fact the article states, each with its evidence, in the facts.md shape.

    ``records`` runs only those rule records on the prose (the infobox and mission and envoy rules
    still run): a rule can be tested alone.
    """
    gz = gazetteer or Gazetteer.default()
    rules = rules or load_rules()
    # a news story names no pair in its title: every pair of actors it states facts about counts
    parties: tuple[Actor, ...] = () if article.format == "news" else parties_of(article.title, gz)
    ctx = DocContext(article, gz, rules, parties)
    claims = infobox_claims(ctx)
    sents = build_sents(ctx, [b for b in article.blocks if b.kind != "row"])
    _anchor_dates(ctx, sents)
    plan = plan_rules(ctx, sents, load_records() if records is None else records)
    gated: dict[int, list[Callable[[Sent], list[Claim]]]] = {}
    for i, rule in _gated(article.text, sents, rules):
        gated.setdefault(i, []).append(rule)
    # one sentence at a time, its structure dropped when it is read: memory stays that of the text
    # and the claims of each kind pooled as they come, so that a repeated fact keeps only its quotes
    ruled, prose = Merger(), Merger()
    for i, s in enumerate(sents):
        if i in plan:
            ruled.extend(run_sentence(s, plan[i]))
        for rule in gated.get(i, ()):
            for c in rule(s):
                c.extra.setdefault("block", s.block.start)
                prose.add(c)
        s.release()
    claims.extend(ruled.out)
    claims.extend(prose.out)
    facts = [to_fact(c) for c in sorted(_settle(merge_claims(claims), ctx), key=lambda c: c.order)]
    # an organisation without a code of its own is written by its name
    facts = [
        replace(f, actor=gz.written(f.actor), target=gz.written(f.target))
        if gz.written(f.actor) != f.actor or gz.written(f.target) != f.target
        else f
        for f in facts
    ]
    if article.format == "news" and article.published:
        # a story's own events (a statement, a visit, a meeting, a signing) told without a date happen
        # on its day: "now" in a source is its date (facts.md)
        day = article.published[:10]
        facts = [
            replace(f, date=day)
            if TYPES[f.type].default_slot == "date"
            and not (f.date or f.start or f.end)
            and f.polarity == "asserted"
            else f
            for f in facts
        ]
    digest = sha256 or hashlib.sha256(article.text.encode("utf-8")).hexdigest()
    if not parties:
        parties = main_pair(facts, ctx.mentions_between(0, len(article.text)), gz)
    return _document(article, digest, parties, facts)


def main_pair(facts: list[Fact], mentions: list, gazetteer: Gazetteer) -> tuple[Actor, ...]:
    """The pair a story is mostly about (facts.md ``parties`` for news): the two states its facts join
    most often, else the two states it names most; ``()`` when it names fewer than two."""
    pairs: dict[tuple[str, str], int] = {}
    for f in facts:
        a, b = f.actor, f.target
        if isinstance(a, str) and isinstance(b, str) and _is_state(gazetteer, a) and _is_state(gazetteer, b):
            key = (a, b) if a <= b else (b, a)
            pairs[key] = pairs.get(key, 0) + len(f.evidence)
    if pairs:
        return max(pairs.items(), key=lambda kv: kv[1])[0]
    counts: dict[str, int] = {}
    for m in mentions:
        if m.form != "capital" and _is_state(gazetteer, m.code):
            counts[m.code] = counts.get(m.code, 0) + 1
    top = sorted(counts, key=lambda c: -counts[c])[:2]
    return tuple(top) if len(top) == 2 else ()


def _is_state(gazetteer: Gazetteer, code: str) -> bool:
    return gazetteer.kind(code) != "organisation"


def _document(article: Article, digest: str, parties: tuple[Actor, ...], facts: list[Fact]) -> Document:
    """The document: what the reader knew of the source, and each evidence item's citation (the
    reference whose span covers most of its words; a citation's date is never a fact's)."""
    source = Source(
        path=article.path,
        title=article.title,
        format=article.format,
        sha256=digest,
        url=article.url,
        published=article.published,
        publisher=article.publisher,
        references=article.references,
    )
    if article.citations:
        facts = [
            replace(f, evidence=tuple(replace(e, ref=article.ref_for(e.start, e.end)) for e in f.evidence))
            for f in facts
        ]
    links = tuple(s.text for s in article.see_also)
    return Document(source=source, parties=parties, facts=tuple(facts), links=links)
