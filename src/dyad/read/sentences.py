"""Split a run of prose into sentence spans, by hand and fast.

A sentence ends after ``.``, ``!``, ``?`` or ``…`` (with any closing quotes or brackets right after
them) when whitespace follows and the next character is an upper-case letter, a digit, a letter of a
script without case, or an opening quote. Abbreviations decide the doubtful full stops:

- never an end: titles and other abbreviations that always lead into what follows
  (``Mr.``, ``Dr.``, ``St.``, ``Gen.``, ``Lt.``, ``Jan.`` … ``Dec.``, ``c.``, ``ca.``, ``e.g.``, ``i.e.``,
  ``vs.``, …), and ``No.`` before a digit;
- an end only before a common sentence-starting word (``The``, ``It``, ``In``, ``He`` …): initials and
  letter-dot abbreviations (``A.``, ``M.R.``, ``U.S.``, ``D.C.``, ``p.m.``) and ``Jr.``, ``Inc.``, ``Ltd.``.
  So "J. Douglas Dykhouse" and "the U.S. Embassy" hold together, while "Washington, D.C. The
  embassy" splits;
- ``etc.`` is an ordinary word: it ends a sentence when a capital follows.

A line break after the final punctuation ends the sentence whatever comes next (flattened articles put
one paragraph per line), except after a never-an-end abbreviation. A line break without final punctuation
is plain whitespace, so hard-wrapped prose still reads as one sentence. Text after the last end (an
article cut mid-sentence) is the last sentence; it is never dropped. A run of more than
:data:`MAX_SENTENCE` characters without an end (a table flattened to one line, a repeated phrase) is cut
into pieces of at most that length.
"""

from __future__ import annotations

import re

__all__ = ["sentence_spans"]

# Punctuation that ends a sentence, the closers that may follow it, and the whitespace after them.
_END = re.compile(r"[.!?…][\"'”’»)\]]*(\s+)")
_LONGEST = 8  # words this long or longer, without a full stop inside, are no abbreviation
_OPENERS = frozenset("\"'“‘«")
_INITIALS = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")
_NEXT_WORD = re.compile(r"[^\W\d_]+")
_LEADING_JUNK = "(\"'“‘[«"
MAX_SENTENCE = 1200  # characters; a longer run is cut (see _cut)

# Abbreviations (lower case, without the final full stop) after which a sentence never ends.
_NEVER = frozenset(
    """
    mr mrs ms messrs dr prof st mt ft gen lt col capt cpt maj sgt cpl adm cmdr brig gov sen rep pres
    rev fr hon amb sec dept
    jan feb mar apr jun jul aug sep sept oct nov dec
    c ca cf e.g i.e vs viz approx fig figs vol vols p pp ch art para sect op
    """.split()
)
# Abbreviations that end a sentence only when a common sentence-starting word follows.
_SOFT = frozenset("jr sr inc ltd co corp bros esq plc".split())
# Capitalised words that commonly open a sentence; after "D.C." or "Jr." they mark a new one.
_STARTERS = frozenset(
    """
    The This That These Those There Then Their They It Its In On At As After Before During Since Until
    Following However He She His Her We Our A An Both But By For From Further Furthermore Moreover
    Also Although Though While When Where Today Currently Later Meanwhile Despite Under Of To With
    Relations Diplomatic Trade
    """.split()
)


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` spans of the sentences in ``text[start:end]``.

    The caller passes a span already stripped of surrounding whitespace; every returned span is
    stripped too, and together they cover the span with only whitespace between them.
    """
    spans: list[tuple[int, int]] = []
    begin = start
    # The common case stays inline: this loop runs once per candidate end in every article.
    for m in _END.finditer(text, start, end):
        after = m.end()
        if after >= end:
            break
        nxt = text[after]
        if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
            if not ("\n" in m.group(1) or nxt.isalpha() and not nxt.islower()):
                continue
        punct = m.start()
        if text[punct] == "." and punct > begin and text[punct - 1] != ".":
            before = text[punct - _LONGEST if punct - _LONGEST > begin else begin : punct]
            if before[-1:].isspace():
                word = ""  # a stray " ." left by a removed template
            else:
                word = before.rsplit(None, 1)[-1].lstrip(_LEADING_JUNK)
            if word and (len(word) < _LONGEST or "." in word) and not _abbreviation_ends(text, word, m):
                continue
        spans.append((begin, m.start(1)))
        begin = after
    spans.append((begin, end))
    if any(e - b > MAX_SENTENCE for b, e in spans):
        spans = [piece for b, e in spans for piece in _cut(text, b, e)]
    return spans


def _cut(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A run longer than :data:`MAX_SENTENCE` characters cut into pieces no longer than that, each at
    its last semicolon, comma or space: no real sentence is that long, and every later step works on a
    sentence at a time, so the cap keeps the cost of any input linear in its length."""
    out = []
    while end - start > MAX_SENTENCE:
        hi = start + MAX_SENTENCE
        cut = max(text.rfind("; ", start, hi), text.rfind(", ", start, hi))
        if cut <= start + MAX_SENTENCE // 2:
            cut = text.rfind(" ", start, hi)
        if cut <= start:
            cut = hi - 1
        out.append((start, cut if text[cut].isspace() else cut + 1))
        start = cut + 1
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        out.append((start, end))
    return out


def _abbreviation_ends(text: str, word: str, m: re.Match[str]) -> bool:
    """Tell whether a full stop after ``word`` ends the sentence, ``word`` being short or dotted."""
    key = word.lower()
    if key in _NEVER:
        return False
    after = m.end()
    if key == "no":
        return not text[after].isdigit()
    if key in _SOFT or (len(key) == 1 or key[1] == ".") and _INITIALS.fullmatch(word):
        return "\n" in m.group(1) or _starts_sentence(text, after)
    return True


def _starts_sentence(text: str, at: int) -> bool:
    """Tell whether the word at ``at`` is a common sentence opener (and not itself an initial)."""
    m = _NEXT_WORD.match(text, at)
    if m is None:
        return text[at] in _OPENERS or text[at].isdigit()
    return m.group() in _STARTERS and text[m.end() : m.end() + 1] != "."
