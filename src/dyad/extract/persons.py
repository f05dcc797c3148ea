"""Officials who stand for their states: "Japanese Prime Minister Junichiro Koizumi" acts for Japan,
and so do "Mr Koizumi" and "the Japanese prime minister" later in the same text.

A text introduces an official with the state beside the office ("Russian President Vladimir Putin",
"Recep Tayyip Erdoğan, the Turkish prime minister", "the Prime Minister of India, Manmohan Singh");
:func:`person_mentions` remembers each such name for the document and returns every later mention of
it (the full name, the surname, "Mr Putin") as an actor mention of that state, with form ``person``.
An office named without a state ("President Obama", "the President") belongs to the text's own state
(:attr:`DocContext.home`, the government a press release speaks for) when the text has one, or to the
state of the last official of that office.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..resolve.actors import Mention
from .analysis import is_verb

if TYPE_CHECKING:
    from .context import DocContext

__all__ = ["person_mentions"]

_OFFICE = (
    r"(?:(?:former|then|acting|new|incoming|outgoing|deputy|vice|first|late|interim)[ \t-]+)*"
    r"(?:President|Vice[ -]President|Prime Minister|Premier|Chancellor|Foreign Minister|Defen[cs]e Minister|"
    r"Minister(?: (?:of|for) (?:the )?(?:Foreign|External|Defen[cs]e|Interior|Home|Trade|Finance|Economy|"
    r"Energy|Justice|Commerce|Industry|Culture|Education|Health|Agriculture)(?: Affairs| Relations)?)?|"
    r"Secretary of State|"
    r"Secretary[ -]General|Secretary|King|Queen|Emperor|Empress|Pope|Crown Prince|Prince|Princess|Sultan|"
    r"Emir|Shah|Leader|Supreme Leader|Chairman|General|Admiral|Ambassador|Envoy|Senator|Governor|"
    r"Spokes(?:man|woman)|Foreign Secretary|Home Secretary|Chief of Staff|Deputy Prime Minister)"
)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# a word of a name: capitalised, inner dots only ("St.John" no, "J.R." yes), "al-Assad", "bin Salman"
_WORD = rf"(?!(?:{_MONTHS})\b)(?:(?:al|el|ad|ar|as|at|an|ibn|bin|ben)-)?[A-Z][\w'’-]*(?:\.[A-Z][\w'’-]*)*"
_NAME = (
    rf"(?<![\w/-])(?:{_WORD}|[A-Z]\.)"
    rf"(?:[ \t]+(?:(?:de|da|do|di|dos|van|von|der|den|bin|ibn|al|el|la|le)[ \t]+)?(?:{_WORD}|[A-Z]\.)){{0,3}}"
    r"(?!['’]s\b)"
)
_OFFICE_RE = re.compile(_OFFICE, re.IGNORECASE)
# Offices are found in the lower-cased text (one case-sensitive scan is several times faster than a
# case-insensitive one); the names around them are read in the text itself.
_OFFICE_LOW = re.compile(rf"\b(?:{_OFFICE.lower()})\b")
# "Prime Minister Junichiro Koizumi", "the Prime Minister of India, Manmohan Singh", "the Syrian
# president, Bashar al-Assad"
_NAME_AFTER = re.compile(
    r"(?P<of>[ \t]+of[ \t]+(?:the[ \t]+)?[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+){0,3}(?=,))?"
    rf",?[ \t]+(?P<name>{_NAME})"
)
# "President Francois Hollande of France": the state after the name
_OF_AFTER_NAME = re.compile(r"[ \t]+of[ \t]+(?:the[ \t]+)?")
# "President of Finland Sauli Niinisto", "President of the Republic of Belarus Alexander Lukashenko"
_OF_STATE = re.compile(r"[ \t]+of[ \t]+(?:the[ \t]+)?(?:Republic[ \t]+of[ \t]+|Kingdom[ \t]+of[ \t]+)?")
# an office named alone ("The President spoke today with …"): in a government's own text, its own
_BARE_OFFICE = re.compile(
    r"\b[Tt]he[ \t]+(?:(?:Vice|Deputy)[ \t]+)?(?:President|Prime[ \t]+Minister|"
    r"Secretary(?:[ \t]+of[ \t]+State)?|Chancellor|Foreign[ \t]+(?:Minister|Secretary))\b"
    r"(?![ \t]+(?:of\b|[A-Z]))"
)
# "Recep Tayyip Erdoğan, the Turkish prime minister" (the state's word and at most a qualifier between)
_NAME_BEFORE = re.compile(
    rf"(?P<name>{_NAME}),[ \t]+(?:[Tt]he[ \t]+|an?[ \t]+)?"
    r"(?P<rest>(?:(?:then|former|current|later|now)[ \t]+)?(?:[\w'’-]+[ \t]+){1,2}?)$"
)
_NOT_NAMES = frozenset(
    """The A An In On At Of And For To With By As From This That These Those His Her Its Their Our I We
    Before After During Since Until While When Where At Over Under About Between Against Without Into
    Meeting Meets Met Talks Visit Visits Bilateral Joint Press Statement Remarks Readout Call""".split()
)


def _clean(name: str) -> str | None:
    words = [w for w in re.sub(r"['’]s$", "", name).split() if w]
    while words and words[0] in _NOT_NAMES:
        words = words[1:]
    # a caption in title case ("Rodríguez Before Their Bilateral"): the name ends at a common word
    cut = next((i for i, w in enumerate(words) if w in _NOT_NAMES), len(words))
    words = words[:cut]
    while words and words[-1].endswith(".") and len(words[-1]) > 2:
        words = words[:-1]
    if len(words) == 1 and len(words[0]) < 3:
        return None  # "I", "US": no name
    return " ".join(words) if words else None


def _state_before(ctx: DocContext, pos: int) -> str | None:
    """The state an adjective or name right before ``pos`` names ("Japanese", "Russia's")."""
    found = ctx.mentions_between(max(0, pos - 40), pos, capitals=False)
    if not found:
        return None
    m = found[-1]
    gap = ctx.article.text[m.end : pos]
    if re.fullmatch(r"(?:['’]s)?[ \t]*", gap) and ctx.is_state(m.code):  # not across a line
        return m.code
    return None


def _state_in(ctx: DocContext, lo: int, hi: int) -> str | None:
    for m in ctx.mentions_between(lo, hi, capitals=False):
        if ctx.is_state(m.code):
            return m.code
    return None


# a name opening a sentence (or a line), then its verb
_SUBJECT_NAME = re.compile(
    rf"(?:^|(?<=[.!?][ \t]))[ \t]*(?P<name>{_NAME})[ \t]+(?P<verb>[a-z]+)\b", re.MULTILINE
)


def officials(ctx: DocContext) -> dict[str, tuple[str, str]]:
    """Every official the text introduces with a state: name (and surname) -> (state, office)."""
    text = ctx.article.text
    known: dict[str, tuple[str, str]] = {}

    def remember(name: str | None, code: str | None, office: str) -> None:
        if not name or not code or ctx.gazetteer.resolve(name) is not None:
            return
        known.setdefault(name, (code, office))
        parts = name.split()
        if len(parts) > 1 and len(parts[-1]) > 2:
            known.setdefault(parts[-1], (code, office))

    for o in _OFFICE_LOW.finditer(ctx.lower):
        office = text[o.start() : o.end()]
        of = _OF_STATE.match(text, o.end())
        if of is not None:
            # "President of Finland Sauli Niinisto": the state, then the name
            x = next((x for x in ctx.mentions_between(of.end(), of.end() + 60, capitals=False)), None)
            if x is not None and x.start == of.end() and ctx.is_state(x.code):
                n = re.match(rf"[ \t]+(?P<name>{_NAME})", text[x.end : x.end + 80])
                if n is not None:
                    remember(_clean(n.group("name")), x.code, office)
                    continue
        m = _NAME_AFTER.match(text, o.end())
        if m is not None:
            name = _clean(m.group("name"))
            if name and _OFFICE_RE.fullmatch(name):
                continue
            code = _state_before(ctx, o.start())
            if code is None and m.group("of"):
                code = _state_in(ctx, m.start("of"), m.end("of"))  # "the Prime Minister of India, …"
            if code is None:
                after = _OF_AFTER_NAME.match(text, m.end())
                if after is not None:  # "President Francois Hollande of France"
                    x = next(
                        (x for x in ctx.mentions_between(after.end(), after.end() + 60, capitals=False)), None
                    )
                    if x is not None and x.start == after.end() and ctx.is_state(x.code):
                        code = x.code
            if code is None and ctx.home is not None:
                code = ctx.home  # a press release names its own officials without their state
            remember(name, code, office)
        elif not re.match(r"[ \t]+[A-Z]", text[o.end() : o.end() + 2]):
            b = _NAME_BEFORE.search(text, max(0, o.start() - 120), o.start())
            if b is not None:
                remember(_clean(b.group("name")), _state_in(ctx, b.start("rest"), o.end() + 20), office)
    if ctx.home is not None:
        # "Vladimir Putin had a telephone conversation with …" on the Kremlin's page: a government's own
        # text names its own people without office or state; a full name that opens a sentence as its
        # subject, introduced with no other state, is the government's
        for m in _SUBJECT_NAME.finditer(text):
            name = _clean(m.group("name"))
            if (
                name
                and " " in name
                and not _OFFICE_RE.match(name)  # "President Poroshenko informed": an official named before
                and not any(part in known for part in name.split())
                and is_verb(m.group("verb"))
            ):
                remember(name, ctx.home, "")
    return known


def person_mentions(ctx: DocContext) -> list[Mention]:
    """Mentions of the officials the text introduces (see the module docstring), in text order."""
    known = officials(ctx)
    text = ctx.article.text
    names = sorted(known, key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b") if names else None
    out = []
    for m in pattern.finditer(text) if pattern else ():
        code, _office = known[m.group()]
        out.append(Mention(m.start(), m.end(), m.group(), code, "person"))
    if ctx.home is not None:
        for m in _BARE_OFFICE.finditer(text):
            out.append(Mention(m.start(), m.end(), m.group(), ctx.home, "person"))
        # "We congratulate the people of Kosovo": a government's own page speaks as "we", outside quotes
        for m in _WE.finditer(text):
            if not _quoted(text, m.start()):
                out.append(Mention(m.start(), m.end(), m.group(), ctx.home, "person"))
        out.sort(key=lambda x: x.start)
    return out


_WE = re.compile(r"\b(?:We|we|Our|our)\b")


def _quoted(text: str, pos: int) -> bool:
    """Whether ``pos`` is inside a quotation opened earlier on its line (someone else speaking)."""
    line = text[text.rfind("\n", 0, pos) + 1 : pos]
    return line.count('"') % 2 == 1 or line.count("“") > line.count("”")
