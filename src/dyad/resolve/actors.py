"""Actors: the names, adjectives, codes and capitals of states and organisations, as codes.

:class:`Gazetteer` answers two questions. :meth:`~Gazetteer.resolve` says which code a name stands for
(exact lookup, case-insensitive). :meth:`~Gazetteer.find` says where actors are mentioned in a text
(one pass, case-sensitive, longest match, left to right). The tables come from the iso3166 and
countryinfo packages and from the project's ``data/countries.toml`` and ``data/organisations.toml``,
whose headers document every code and decision; :meth:`Gazetteer.default` builds them once.

Decisions a caller should know:

- A state is its ISO 3166-1 alpha-3 code; a former state its ISO 3166-3 code or a four-letter project
  code starting with X (``XPRU`` Prussia, ``XOTT`` Ottoman Empire, ``XNCY`` Northern Cyprus); an
  organisation a short upper-case code (``EU``, ``UN``, ``ICRC``, ``GCDI``).
- A string that belongs to several actors ("Congolese", "Dominican") resolves to none: never a guess.
  Where package tables disagree, a sovereign state wins over a dependent territory ("French" is France,
  not Réunion).
- :meth:`~Gazetteer.find` matches names only as written with capitals ("Chad", never "chad"), reads
  over phrases that contain a name but do not mean the state ("Latin American", "New Mexico"), never
  reports two-letter ISO codes ("IN", "BE"), and reports alpha-3 codes only in upper case and only
  where they are not also English words or common acronyms ("AND", "CAN").
- A capital is reported (form ``'capital'``) only where it stands for its government: "Damascus
  responded", "Washington's decision", "relations between Moscow and Kyiv", "the Beijing government";
  not where it names a place: "its embassy in Damascus", "Brussels-based", "the Damascus embassy",
  "George Washington". A capital that is also the state's name ("Singapore") is a name.
- A combining form ("Sino" in "Sino-Japanese") is reported, as an adjective, only when a hyphen and
  another actor follow it.
"""

from __future__ import annotations

import difflib
import functools
import re
import sys
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from countryinfo import CountryInfo
from iso3166 import countries as _iso_countries

from ..errors import RulesError, UnknownActorError
from ..model import Actor, Named

__all__ = ["Gazetteer", "Mention"]

#: Data files of the package that the default gazetteer is built from.
COUNTRIES_FILE = "countries.toml"
ORGANISATIONS_FILE = "organisations.toml"


@dataclass(frozen=True, slots=True)
class Mention:
    """An actor named in a text; ``text == source[start:end]``."""

    start: int
    end: int
    text: str
    code: str
    form: str  # 'name' | 'adjective' | 'capital' | 'code' | 'organisation'


# --------------------------------------------------------------------------------------------------
# Tokens. A name and a text are cut into the same tokens, so that a name's key is what the scanner
# builds when it reads that name: words (with inner apostrophes: "d'Ivoire"), dotted abbreviations
# ("U.S."), and the possessive "'s" as a token of its own (so "Syria's" is "Syria" + "'s").

_WORD = r"(?:[A-Z]\.){2,}|[^\W_]+(?:['’](?![sS]\b)[^\W\d_][^\W_]*)*"
_POSS = r"['’]s\b"
_FIRST = re.compile(_WORD)
# Between two tokens of a name: spaces, a hyphen or en dash, a comma or a full stop ("Washington,
# D.C.", "St. Lucia"), or nothing before a possessive. Never a line break.
_NEXT = re.compile(rf"([^\S\n]*[,.][^\S\n]*|[^\S\n]+|[-–‐]|(?=['’]s\b))({_WORD}|{_POSS})")
# Where a mention may begin: a word that starts with an upper-case letter (Latin, Greek or Cyrillic;
# some Latin-extended lower-case letters slip in and fail the lookup). It starts with a character
# class and checks the word boundary behind that first letter, so that the engine skips ahead fast.
_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u024f\u0386-\u03ab\u0400-\u042f"
_CANDIDATE = re.compile(
    rf"[{_UPPER}](?<![^\W_].)(?<![^\W_]['’].)"
    r"(?:(?<=[A-Z])\.(?:[A-Z]\.)+|[^\W_]*(?:['’](?![sS]\b)[^\W\d_][^\W_]*)*)"
)
_HEAD = re.compile(r"([a-z]+|The)(?:[^\S\n]+|[-–‐])\Z")
_ALLCAPS = re.compile(r"(?:[A-Z]\.){2,}|[A-Z][A-Z0-9]{1,9}")
_HYPHENS = "-–‐"


def _piece(gap: str, token: str) -> str:
    """One token of a key, with the separator it keeps (commas and stops matter, spaces do not)."""
    token = token.replace("’", "'")
    if "," in gap:
        return " , " + token
    if "." in gap:
        return " . " + token
    return " " + token


def _key_pieces(name: str) -> list[str] | None:
    """The scanner's key of a name, piece by piece; None when the scanner cannot read it whole."""
    name = name.strip()
    m = _FIRST.match(name)
    if not m:
        return None
    pieces = [m.group().replace("’", "'")]
    pos = m.end()
    while pos < len(name):
        n = _NEXT.match(name, pos)
        if not n:
            return None
        pieces.append(_piece(n.group(1), n.group(2)))
        pos = n.end()
    return pieces


_FOLD = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "&": " and ", ".": None})
_NON_WORD = re.compile(r"[^\w']+")


def _strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


@functools.lru_cache(maxsize=65536)
def _norm(name: str) -> str:
    """The lookup key of a name: no accents, case, dots, punctuation, possessive or leading "the"."""
    s = _NON_WORD.sub(" ", _strip_accents(name).casefold().translate(_FOLD)).strip(" '")
    if s.endswith("'s"):
        s = s[:-2].rstrip()
    if s.startswith("the "):
        s = s[4:]
    return " ".join(s.split())


def _plural(adjective: str) -> str | None:
    """The "s" plural of a demonym ("Syrians"), or None for the invariable ones ("Swiss", "Japanese")."""
    if adjective.endswith(("ese", "s", "sh", "ch", "y", "è", "é", "abe", "x", "z", "ic")):
        return None
    return adjective + "s"


# --------------------------------------------------------------------------------------------------
# Capitals. Context words that tell a capital that stands for its government from one that names a
# place; see Gazetteer.find.

_BEFORE_PLACE = frozenset(
    """
    in at to from near into via of outside within through toward towards inside around across
    throughout onto on for over beyond above below behind past until till reached reach reaching
    visited visit visiting visits left leave leaving entered enter entering arrived captured occupied
    shelled bombed besieged liberated fled flew moved returned based capital city downtown central
    northern southern eastern western greater
    the a an this that these those its his her their our my your whose each every any some no
""".split()
)
_BEFORE_GOVERNMENT = frozenset("with against by between".split())
# One-word seats of government that take "the" ("the Kremlin", "the Pentagon").
_SEATS_WITH_THE = frozenset(("Kremlin", "Pentagon", "Élysée", "Elysée", "Elysee", "Kantei"))
_OPENERS = frozenset(
    """
    both and but when while then however meanwhile also yet after before since although though as if
    because later soon today now thus so eventually initially instead still once why how what where
    whether in at on by for with from to
""".split()
)
_FUNCTION_WORDS = _OPENERS | _BEFORE_PLACE | _BEFORE_GOVERNMENT
_AFTER_GOVERNMENT = frozenset(
    """
    government governments regime authorities authority administration leadership officials cabinet
""".split()
)
_AFTER_PLACE = frozenset(
    """
    embassy embassies consulate consulates airport office offices station university metro region area
    suburb suburbs district city municipality province governorate street streets headquarters hotel
    residents resident citizens population based campus branch bureau correspondent time stock exchange
    talks meeting meetings summit conference negotiations round agreement accords accord protocol
    process format declaration museum countryside outskirts neighbourhood neighborhood mission legation
    nunciature high international airport port harbour harbor
""".split()
)
_AFTER_ADVERBS = frozenset(
    """
    also then later still again soon never now already thus therefore initially eventually finally
    not quickly
""".split()
)
_AFTER_VERBS = frozenset(
    """
    has had have is are was were will would could should can may might must did does do said says say
    agrees wants want sees see hopes insists claims demands refuses rejects denies accuses recognises
    recognizes responds warns urges continues remains maintains considers views regards seeks supports
    opposes backs condemns welcomes blames announces expels recalls signs sends sent sought took takes
    made makes gave gives chose broke breaks cut cuts began begins became becomes kept keeps held holds
    knew thinks thought told tells led leads won wins lost paid pays met meets sold sells bought built
    brought spent tried tries insisted agreed
""".split()
)
_COORDINATION = re.compile(r"\s*(?:,\s*(?:(?:and|or)\s+)?|(?:and|or)\s+|[–-]\s*)")
_AFTER_WORD = re.compile(r"[^\S\n]*(['’]s\b|[^\W\d_]+|\S)")


def _word_before(text: str, s: int) -> tuple[str, bool]:
    """The word before ``s`` (or the punctuation there) and whether that word opens a sentence."""
    i = s
    while i > 0 and text[i - 1] in " \t\u00a0":
        i -= 1
    if i == 0 or text[i - 1] in '.!?\n"“(:;=':
        return "", True
    if not text[i - 1].isalpha():
        return text[i - 1], False
    j = i
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] in "'’"):
        j -= 1
    k = j
    while k > 0 and text[k - 1] in " \t\u00a0":
        k -= 1
    return text[j:i], k == 0 or text[k - 1] in '.!?\n"“(:;='


def _words_after(text: str, e: int, n: int = 3) -> list[str]:
    out = []
    for _ in range(n):
        m = _AFTER_WORD.match(text, e)
        if not m:
            break
        out.append(m.group(1))
        e = m.end()
        if not m.group(1)[0].isalpha() and m.group(1)[0] not in "'’":
            break
    return out


def _capital_role(text: str, s: int, e: int) -> tuple[bool | None, str]:
    """Whether the capital at [s, e) stands for its government (True), names a place (False) or the
    context does not say (None); with the side of the context that decided."""
    if e < len(text) - 1 and text[e] in "-‐" and text[e + 1].isalpha() and text[e + 1].islower():
        return False, "after"  # "Brussels-based"
    after = _words_after(text, e)
    w1 = after[0] if after else ""
    if w1[:1].isupper():
        return False, "after"  # part of a longer name: "Damascus Declaration", "Moscow State University"
    low1 = w1.lower()
    if low1 in _AFTER_PLACE:
        return False, "after"
    governs = low1 in _AFTER_GOVERNMENT
    before, opens = _word_before(text, s)
    seat_with_the = text[s:e] in _SEATS_WITH_THE
    if before.lower() == "the" and text[s : s + 1].isupper() and " " in text[s:e] or seat_with_the:
        # "the White House said", "the Kremlin said": a seat that takes the article; what comes before
        # the article decides
        before, opens = _word_before(text, s - 4) if before.lower() == "the" else (before, opens)
    low0 = before.lower()
    if not governs and (low0 in _BEFORE_PLACE or low0.endswith(("'s", "’s"))):
        return False, "before"
    if before[:1].isupper() and low0 not in _FUNCTION_WORDS and not (opens and low0.endswith("ly")):
        return False, "before"  # part of a longer name: "George Washington", "East Jerusalem"
    if governs or w1 in ("'s", "’s") or (text[e - 1] == "s" and text[e : e + 1] in ("'", "’")):
        return True, "after"
    words = [w.lower() for w in after if w[:1].isalpha()]
    if words and (words[0] in _AFTER_ADVERBS or words[0].endswith("ly")):
        words = words[1:]
    if words and (words[0] in _AFTER_VERBS or (words[0].endswith("ed") and words[0] != "based")):
        return True, "after"
    if low0 in _BEFORE_GOVERNMENT:
        return True, "before"
    return None, ""


# --------------------------------------------------------------------------------------------------
# Building the tables.

# Precedence of a string's sources: a lower number wins when two actors claim the same string.
_P_CODE, _P_BLOCK, _P_PROJECT, _P_PACKAGE, _P_DEMONYM, _P_CAPITAL, _P_ALPHA2 = range(7)
_FORM_ORDER = {"organisation": 0, "name": 1, "adjective": 2, "code": 3, "capital": 4, "blocked": 5}
_PROJECT_STATE = re.compile(r"X[A-Z]{3}")
_ORG_CODE = re.compile(r"[A-Z][A-Z0-9]{1,9}")
_COUNTRY_TABLES = {"version", "exclude", "territories", "prefixes", "blocked", "states", "former", "cities"}
_STATE_KEYS = {"name", "names", "historical", "adjectives", "capital", "seats", "lookup_only"}
_FORMER_KEYS = _STATE_KEYS | {"source"}
_ORG_KEYS = {"name", "aliases", "lookup_only", "by_name"}


class _Claims:
    """Strings claimed by actors, each with a precedence and a form; settled into one table."""

    def __init__(self) -> None:
        self.claims: dict[str, dict[str, tuple[int, str]]] = {}
        self.pieces: dict[str, list[str]] = {}  # scanner keys, token by token

    def add(self, key: str, code: str, prio: int, form: str, pieces: list[str] | None = None) -> None:
        if pieces:
            self.pieces[key] = pieces
        by_code = self.claims.setdefault(key, {})
        old = by_code.get(code)
        if old is None or (prio, _FORM_ORDER[form]) < (old[0], _FORM_ORDER[old[1]]):
            by_code[code] = (prio, form)

    def settle(self, sovereign: frozenset[str]) -> dict[str, tuple[str, str]]:
        """One (code, form) per string: the strongest claim; among equals a sovereign state's; else none."""
        table = {}
        for key, by_code in self.claims.items():
            best = min(p for p, _ in by_code.values())
            top = [c for c, (p, _) in by_code.items() if p == best]
            if len(top) > 1:
                top = [c for c in top if c in sovereign]
            if len(top) == 1:
                table[key] = (top[0], by_code[top[0]][1])
        return table


def _package_states() -> dict[str, dict[str, Any]]:
    """Per ISO alpha-3 code: names, demonyms and capital from iso3166 and countryinfo."""
    out: dict[str, dict[str, Any]] = {}
    for c in _iso_countries:
        out[c.alpha3] = {
            "alpha2": c.alpha2,
            "name": None,
            "names": {c.name, c.apolitical_name},
            "demonyms": [],
            "capital": None,
        }
    for info in CountryInfo.all().values():
        iso = info.get("ISO") or {}
        entry = out.get(iso.get("alpha3") or "")
        if entry is None or not iso.get("numeric"):
            continue  # countryinfo's extras (Scotland, Wales …) have no numeric code
        entry["name"] = entry["name"] or info["name"]
        codes = {iso.get("alpha2"), iso.get("alpha3")}
        demonyms = [d.strip() for d in re.split(r"[,/]", info.get("demonym") or "") if d.strip()]
        entry["demonyms"] += [d for d in demonyms if d not in entry["demonyms"]]
        for alt in [info["name"], *(info.get("altSpellings") or [])]:
            alt = alt.strip()
            if alt and alt not in codes and alt not in demonyms:
                entry["names"].add(alt)
        capital = info.get("capital")
        if isinstance(capital, str) and capital.strip() and not entry["capital"]:
            entry["capital"] = capital.strip()
    return out


class _Builder:
    """Reads the package tables and the project's tables into the maps a Gazetteer looks up.

    Every problem found in the project's tables is collected in ``problems``.
    """

    def __init__(self, countries: Mapping[str, Any], organisations: Mapping[str, Any]) -> None:
        self.problems: list[str] = []
        self.package = _package_states()
        self.kind: dict[str, str] = {}
        self.name: dict[str, str] = {}
        self.adjective: dict[str, str | None] = {}
        self.capital: dict[str, str | None] = {}
        self.codes: dict[str, tuple[int, str]] = {}  # code as written -> (precedence, code)
        self.names, self.texts = _Claims(), _Claims()  # for resolve() and for find()
        self.cities: dict[str, str] = {}
        self.suggest: dict[str, str] = {}
        self.prefixes: dict[str, str] = {}
        self.project: dict[str, str] = {}  # normalised project string -> code, to report conflicts
        self.lookup_only: set[str] = set()
        self.by_name: set[str] = set()  # organisations written by name in facts (no code of their own)
        self.read_exclusions(countries, organisations)
        for section in ("states", "former"):
            for code, table in countries.get(section, {}).items():
                self.read_state(code, table, section)
        for code, entry in self.package.items():
            self.read_package_state(code, entry)
        for code, table in organisations.get("organisations", {}).items():
            self.read_organisation(code, table)
        self.read_extras(countries)

    def strings(self, table: Mapping[str, Any], key: str, where: str) -> list[str]:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problems.append(f"{where}: '{key}' must be a list of non-empty strings")
            return []
        return value

    def read_exclusions(self, countries: Mapping[str, Any], organisations: Mapping[str, Any]) -> None:
        for key in set(countries) - _COUNTRY_TABLES:
            self.problems.append(f"{COUNTRIES_FILE}: unknown table '{key}'")
        for key in set(organisations) - {"version", "organisations"}:
            self.problems.append(f"{ORGANISATIONS_FILE}: unknown table '{key}'")
        for where, table in ((COUNTRIES_FILE, countries), (ORGANISATIONS_FILE, organisations)):
            if table.get("version") != 1:
                self.problems.append(f"{where}: 'version' must be 1")
        exclude = countries.get("exclude", {})
        where = f"{COUNTRIES_FILE} [exclude]"
        self.excluded = {_norm(s) for s in self.strings(exclude, "names", where)}
        self.ambiguous = {_norm(s) for s in self.strings(exclude, "ambiguous", where)}
        self.not_metonyms = {_norm(s) for s in self.strings(exclude, "capitals_not_in_text", where)}
        self.not_in_text = set(self.strings(exclude, "codes_not_in_text", where))
        self.words = set(self.strings(exclude, "words", where))
        self.territories = set(self.strings(countries.get("territories", {}), "codes", "[territories]"))
        # names that find() must never report, whichever table claims them first
        tables = [
            *countries.get("states", {}).values(),
            *countries.get("former", {}).values(),
            *organisations.get("organisations", {}).values(),
        ]
        for table in tables:
            if isinstance(table, Mapping) and isinstance(table.get("lookup_only"), list):
                self.lookup_only |= {_norm(t) for t in table["lookup_only"] if isinstance(t, str)}
        known = set(self.package) | set(countries.get("former", {}))
        for code in sorted((self.territories | self.not_in_text) - known):
            self.problems.append(f"{COUNTRIES_FILE}: '{code}' in [exclude] or [territories] is no known code")

    def claim(self, text: str, code: str, prio: int, form: str, *, in_text: bool = True) -> None:
        """Claim a string for a code: for resolve() (unless a capital) and, if ``in_text``, for find()."""
        key = _norm(text)
        if not key or key in self.excluded or key in self.ambiguous:
            return
        if form == "name" and _ALLCAPS.fullmatch(text):
            form = "code"  # "USSR", "U.S.", "DRC"
        if form == "capital":
            in_text = in_text and key not in self.not_metonyms
        else:
            self.names.add(key, code, prio, form)
            if prio == _P_PROJECT and form != "code" and len(key) > 3:
                self.suggest.setdefault(key, text)  # the project's names, not native spellings
        if in_text and key not in self.lookup_only:
            self.claim_text(text, code, prio, form)

    def claim_text(self, text: str, code: str, prio: int, form: str) -> None:
        """Claim the scanner keys of a string, as written and without accents.

        A name is found without its leading "the" ("the Netherlands" -> "Netherlands"); a city keeps it
        ("The Hague", found with either case of "the").
        """
        variants = list(dict.fromkeys((text, _strip_accents(text))))
        if form == "capital":
            variants += [v[0].lower() + v[1:] for v in variants if v.startswith("The ")]
        for variant in variants:
            if form != "capital":
                variant = re.sub(r"^[Tt]he\s+(?=\S)", "", variant)
            pieces = _key_pieces(variant)
            if pieces and variant not in self.words and not (pieces[0][:1].islower() and len(pieces) == 1):
                self.texts.add("".join(pieces), code, prio, form, pieces)

    def claim_plural(self, adjective: str, code: str, names: set[str]) -> None:
        """Claim a demonym's plural ("Syrians"), unless the demonym is dropped or also a name ("Vatican")."""
        plural = _plural(adjective)
        if plural and _norm(adjective) not in self.excluded and _norm(adjective) not in names:
            self.claim(plural, code, _P_DEMONYM, "adjective")

    def claim_project(self, text: str, code: str, form: str, where: str) -> None:
        """Claim a string of the project's tables, where two actors may not share a string."""
        key = _norm(text)
        if key in self.ambiguous:
            return
        other = self.project.setdefault(key, code)
        if other != code:
            self.problems.append(f"{where}: '{text}' is already a name of {other}")
        if _key_pieces(text) is None:
            self.problems.append(
                f"{where}: '{text}' cannot be read in a text (use letters, digits, "
                "spaces, hyphens, apostrophes, commas and full stops)"
            )
        self.claim(text, code, _P_CAPITAL if form == "capital" else _P_PROJECT, form)

    def claim_code(self, text: str, code: str, prio: int, *, in_text: bool) -> None:
        """A code resolves as written (upper case); some alpha-3 codes are found in prose too."""
        if text not in self.codes or prio < self.codes[text][0]:
            self.codes[text] = (prio, code)
        if in_text:
            self.claim_text(text, code, prio, "code")

    def read_state(self, code: str, table: Any, section: str) -> None:
        where = f"{COUNTRIES_FILE} [{section}.{code}]"
        if not isinstance(table, Mapping):
            self.problems.append(f"{where}: must be a table")
            return
        kind = "state" if section == "states" else "former-state"
        for key in set(table) - (_STATE_KEYS if kind == "state" else _FORMER_KEYS):
            self.problems.append(f"{where}: unknown key '{key}'")
        if kind == "state" and code not in self.package and not _PROJECT_STATE.fullmatch(code):
            self.problems.append(f"{where}: not an ISO alpha-3 code nor a project code (X + 3 letters)")
        if kind == "former-state":
            source = table.get("source")
            if code in self.package or not re.fullmatch(r"[A-Z]{3}|X[A-Z]{3}", code):
                self.problems.append(f"{where}: a former state needs an ISO 3166-3 or a project code")
            elif source not in ("ISO 3166-3", "project") or (source == "project") != (len(code) == 4):
                self.problems.append(
                    f"{where}: 'source' must be 'ISO 3166-3' (3 letters) or 'project' (X + 3 letters)"
                )
        if code not in self.package and not isinstance(table.get("name"), str):
            self.problems.append(f"{where}: 'name' is required for a code without an ISO entry")
        self.kind[code] = kind
        if isinstance(table.get("name"), str):
            self.name[code] = table["name"]
        for text in self.strings(table, "lookup_only", where):
            self.claim_project(text, code, "name", where)
        names = [t for field in ("name", "names", "historical") for t in self.strings(table, field, where)]
        for text in names:
            self.claim_project(text, code, "name", where)
        adjectives = self.strings(table, "adjectives", where)
        for text in adjectives:
            self.claim_project(text, code, "adjective", where)
            self.claim_plural(text, code, {_norm(t) for t in names})
        if adjectives:
            self.adjective[code] = adjectives[0]
        capital = table.get("capital")
        if capital is not None and not isinstance(capital, str):
            self.problems.append(f"{where}: 'capital' must be a string")
        elif capital:
            self.capital[code] = capital
        # a former state's capital belongs to its successor today; only its own seats are its
        for city in ([capital] if capital and kind == "state" else []) + self.strings(table, "seats", where):
            self.cities.setdefault(_norm(city), code)
            self.claim_project(city, code, "capital", where)
        self.claim_code(code, code, _P_CODE, in_text=code not in self.not_in_text)

    def read_package_state(self, code: str, entry: dict[str, Any]) -> None:
        self.kind.setdefault(code, "state")
        self.name.setdefault(code, entry["name"] or min(entry["names"], key=len))
        for text in entry["names"]:
            # ISO's inverted names ("Korea, Republic of") and parenthesised ones are for lookup only
            self.claim(text, code, _P_PACKAGE, "name", in_text="," not in text and "(" not in text)
        names = {_norm(t) for t in entry["names"]}
        for text in entry["demonyms"]:
            self.claim(text, code, _P_DEMONYM, "adjective")
            self.claim_plural(text, code, names)
        display = (d for d in entry["demonyms"] if _norm(d) not in self.excluded)
        self.adjective.setdefault(code, next(display, None))
        capital = self.capital.setdefault(code, entry["capital"])
        if capital and code not in self.territories:  # a territory's capital is no government's
            self.cities.setdefault(_norm(capital), code)
            self.claim(capital, code, _P_CAPITAL, "capital")
        self.claim_code(code, code, _P_CODE, in_text=code not in self.not_in_text)
        self.claim_code(entry["alpha2"], code, _P_ALPHA2, in_text=False)

    def read_organisation(self, code: str, table: Any) -> None:
        where = f"{ORGANISATIONS_FILE} [organisations.{code}]"
        if not isinstance(table, Mapping):
            self.problems.append(f"{where}: must be a table")
            return
        for key in set(table) - _ORG_KEYS:
            self.problems.append(f"{where}: unknown key '{key}'")
        if not _ORG_CODE.fullmatch(code) or code in self.kind:
            self.problems.append(f"{where}: a code is 2-10 upper-case letters or digits, not a state's")
        if not isinstance(table.get("name"), str):
            self.problems.append(f"{where}: 'name' is required")
        self.kind.setdefault(code, "organisation")
        self.name.setdefault(code, table.get("name") or code)
        if table.get("by_name") is True:
            self.by_name.add(code)
        elif "by_name" in table:
            self.problems.append(f"{where}: 'by_name' is true or absent")
        for text in self.strings(table, "lookup_only", where):
            self.claim_project(text, code, "organisation", where)
        for text in self.strings(table, "name", where) + self.strings(table, "aliases", where):
            self.claim_project(text, code, "organisation", where)
        self.claim_code(code, code, _P_CODE, in_text=False)

    def read_extras(self, countries: Mapping[str, Any]) -> None:
        """Combining forms, phrases to read over, diplomatic cities."""
        for text, code in countries.get("prefixes", {}).items():
            if code not in self.kind or not _FIRST.fullmatch(text):
                self.problems.append(
                    f"{COUNTRIES_FILE} [prefixes]: '{text}' = '{code}' is not a word and a known code"
                )
            self.prefixes[text] = code
        for text in self.strings(countries.get("blocked", {}), "phrases", f"{COUNTRIES_FILE} [blocked]"):
            pieces = _key_pieces(text)
            if pieces is None:
                self.problems.append(f"{COUNTRIES_FILE} [blocked]: '{text}' cannot be read in a text")
            else:
                self.texts.add("".join(pieces), "", _P_BLOCK, "blocked", pieces)
        for city, code in countries.get("cities", {}).items():
            if code not in self.kind:
                self.problems.append(f"{COUNTRIES_FILE} [cities]: '{city}' = '{code}' is not a known code")
            self.cities[_norm(city)] = code


class Gazetteer:
    """Names, adjectives, codes and capitals of states and organisations, mapped to codes."""

    def __init__(self, countries: Mapping[str, Any], organisations: Mapping[str, Any]) -> None:
        """Build from the parsed country and organisation tables (see the data files' headers).

        Raises :class:`RulesError` listing every problem found in the tables.
        """
        b = _Builder(countries, organisations)
        if b.problems:
            count = f"{len(b.problems)} problem{'s' * (len(b.problems) > 1)}"
            raise RulesError(f"the actor tables have {count}:\n  - " + "\n  - ".join(b.problems))
        self._kind, self._name, self._adjective, self._capital = b.kind, b.name, b.adjective, b.capital
        self._cities, self._prefixes = b.cities, b.prefixes
        self._by_name = frozenset(b.by_name)
        self._suggest = b.suggest | {_norm(name): name for name in b.name.values()}
        self._codes = {text: code for text, (_, code) in b.codes.items()}
        # states that take precedence in a clash of package names, and whose capitals stand for them
        self._sovereign = frozenset(
            code for code, kind in b.kind.items() if kind != "organisation" and code not in b.territories
        )
        self._lookup = {key: code for key, (code, _) in b.names.settle(self._sovereign).items()}
        self._build_scanner(b.texts.settle(self._sovereign | {""}), b.texts.pieces)

    def _build_scanner(self, table: dict[str, tuple[str, str]], pieces_of: dict[str, list[str]]) -> None:
        self._phrases = table
        self._continues: set[str] = set()
        # Names that begin with a lower-case word or "The" ("anti-ISIS coalition", "al-Qaeda", "The
        # Hague") are found from their second word, so that "The" opening a sentence costs nothing.
        heads: dict[str, set[str]] = {}
        starts: set[str] = set(self._prefixes)
        for key in table:
            pieces = pieces_of[key]
            for i in range(1, len(pieces)):
                self._continues.add("".join(pieces[:i]))
            if pieces[0][:1].islower() or pieces[0] == "The":
                heads.setdefault(pieces[1].lstrip(" ,."), set()).add(pieces[0])
                starts.add(pieces[1].lstrip(" ,."))
            else:
                starts.add(pieces[0])
        self._head_reach = max((len(h) for hs in heads.values() for h in hs), default=0) + 3
        # What a word that may start a mention leads to: the one-word phrase it is, whether longer
        # phrases start with it, the code of the combining form it is, the words that may precede it.
        self._starts: dict[str, tuple[tuple[str, str] | None, bool, str | None, frozenset[str] | None]] = {
            token: (
                table.get(token),
                token in self._continues,
                self._prefixes.get(token),
                frozenset(heads[token]) if token in heads else None,
            )
            for token in starts
        }

    # ----------------------------------------------------------------------------------------------

    @classmethod
    @functools.cache
    def default(cls) -> Gazetteer:
        """The gazetteer of the project's data files, built once per process."""
        data = resources.files("dyad.data")
        countries, organisations = (
            tomllib.loads(data.joinpath(name).read_text(encoding="utf-8"))
            for name in (COUNTRIES_FILE, ORGANISATIONS_FILE)
        )
        return cls(countries, organisations)

    def resolve(self, name: str) -> str | None:
        """The code of a name, official or historical name, adjective, demonym, code or abbreviation.

        For names, case, accents, a leading "the", a possessive and surrounding punctuation do not
        matter; codes (ISO alpha-2 and alpha-3, project and organisation codes) are taken as written in
        upper case, so that "in" or "Nordic" is no code. None when the name is unknown or belongs to
        several actors. A capital is not a name of its state: see :meth:`city_state`.
        """
        name = name.strip()
        return self._codes.get(name) or self._lookup.get(_norm(name))

    def written(self, code: Actor) -> Actor:
        """An actor as facts write it: its code, or for an organisation without a code of its own (a
        table entry with ``by_name``) its name."""
        if isinstance(code, str) and code in self._by_name:
            return Named(self._name[code])
        return code

    def name(self, code: str) -> str:
        """The common English short name of a code ("Syria", "Holy See", "European Union")."""
        return self._name[self._known(code)]

    def adjective(self, code: str) -> str | None:
        """The usual adjective of a state ("Belgian", "Congolese"); None for most organisations."""
        return self._adjective.get(self._known(code))

    def capital(self, code: str) -> str | None:
        """The capital of a state ("Brussels", "Washington, D.C."); None if it has none."""
        return self._capital.get(self._known(code))

    def kind(self, code: str) -> str:
        """'state', 'former-state' or 'organisation'."""
        return self._kind[self._known(code)]

    def codes(self) -> list[str]:
        """Every state code, current and former, sorted."""
        return sorted(c for c, k in self._kind.items() if k != "organisation")

    def city_state(self, city: str) -> str | None:
        """The state a capital, seat of government or diplomatic city belongs to; None if unknown."""
        key = _norm(city)
        if key in self._cities:
            return self._cities[key]
        code = self._lookup.get(key)  # "Guatemala" for Guatemala City, "Singapore", "Luxembourg"
        capital = self._capital.get(code or "")
        if code and capital and key == _norm(capital).removesuffix(" city").removeprefix("city of "):
            return code
        return None

    def suggest(self, name: str, n: int = 5) -> list[str]:
        """The known names closest to an unknown one, best first, for error messages."""
        keys = difflib.get_close_matches(_norm(name), self._suggest, n=n * 3, cutoff=0.6)
        out: list[str] = []
        for key in keys:
            text = self._suggest[key]
            if text not in out:
                out.append(text)
        return out[:n]

    def _known(self, code: str) -> str:
        if code not in self._kind:
            raise UnknownActorError(code, self.suggest(code))
        return code

    # ----------------------------------------------------------------------------------------------

    def find(
        self, text: str, start: int = 0, end: int | None = None, *, capitals: bool = True
    ) -> list[Mention]:
        """Every actor mentioned in ``text[start:end]``, left to right, longest match first, no overlaps.

        Offsets are into ``text``. With ``capitals=False`` capitals are never reported (they still
        cover their words, so "Mexico City" is never read as Mexico).
        """
        end = len(text) if end is None else end
        found: list[tuple[int, int, str, str]] = []
        done = start
        settle = False
        starts = self._starts
        for m in _CANDIDATE.finditer(text, start, end):
            token = m.group()
            entry = starts.get(token)
            if entry is None:
                if "’" not in token:
                    continue
                token = token.replace("’", "'")
                entry = starts.get(token)
                if entry is None:
                    continue
            s, e = m.span()
            if s < done:
                continue
            hit, continues, prefix, heads = entry
            headed = self._headed(text, s, heads, max(start, done), end) if heads else None
            if headed is not None:
                s, e, hit = headed
            else:
                if continues:
                    e, hit = self._extend(text, e, token, end, hit)
                if hit is None:
                    if prefix and e < end and text[e] in _HYPHENS:
                        found.append((s, e, prefix, "prefix"))
                        settle = True
                        done = e
                    continue
            if text[e - 1] == "." and e < end and text[e].isalnum():
                continue  # "U.S.A" without its last stop
            done = e
            code, form = hit
            if form != "blocked":
                found.append((s, e, code, form))
                settle = settle or form == "capital"
        if settle:
            found = self._settle(text, found, capitals)
        # names repeat: one string per distinct name keeps a long text's mentions small
        return [Mention(s, e, sys.intern(text[s:e]), code, form) for s, e, code, form in found]

    def _extend(
        self, text: str, e: int, key: str, end: int, best: tuple[str, str] | None
    ) -> tuple[int, tuple[str, str] | None]:
        """The end and entry of the longest known phrase that continues the key read up to ``e``."""
        phrases, continues = self._phrases, self._continues
        best_end = e
        while key in continues:
            n = _NEXT.match(text, e, end)
            if n is None:
                break
            gap, token = n.groups()
            if "’" in token:
                token = token.replace("’", "'")
            key += (" , " if "," in gap else " . " if "." in gap else " ") + token
            e = n.end()
            if key in phrases:
                best, best_end = phrases[key], e
        return best_end, best

    def _headed(
        self, text: str, s: int, heads: frozenset[str], lo: int, end: int
    ) -> tuple[int, int, tuple[str, str]] | None:
        """A name whose first word, one of ``heads``, comes before ``s`` ("anti-ISIS coalition")."""
        h = _HEAD.search(text, max(lo, s - self._head_reach), s)
        if not h or h.group(1) not in heads or (h.start() > 0 and text[h.start() - 1].isalnum()):
            return None
        e, hit = self._extend(text, h.end(1), h.group(1), end, None)
        return (h.start(), e, hit) if hit is not None else None

    def _settle(
        self, text: str, found: list[tuple[int, int, str, str]], capitals: bool
    ) -> list[tuple[int, int, str, str]]:
        """Drop the capitals that name places and the combining forms that combine with no actor."""
        keep = self._settle_capitals(text, found, capitals)
        out: list[tuple[int, int, str, str]] = []
        for i in range(len(found) - 1, -1, -1):
            s, e, code, form = found[i]
            if not keep[i]:
                continue
            if form == "prefix":
                # "Sino-Japanese": a hyphen and a kept actor that is not a capital must follow
                if not (out and out[-1][0] == e + 1 and out[-1][3] != "capital"):
                    continue
                form = "adjective"
            out.append((s, e, code, form))
        out.reverse()
        return out

    def _settle_capitals(
        self, text: str, found: list[tuple[int, int, str, str]], capitals: bool
    ) -> list[bool]:
        """Which mentions to keep: a capital only where it stands for its government (module docstring)."""
        keep = [True] * len(found)
        i = 0
        while i < len(found):
            if found[i][3] != "capital":
                i += 1
                continue
            chain = [i]  # capitals joined by "and", "or", commas or a dash: "Beijing and Tokyo agreed"
            while (
                chain[-1] + 1 < len(found)
                and found[chain[-1] + 1][3] == "capital"
                and _COORDINATION.fullmatch(text, found[chain[-1]][1], found[chain[-1] + 1][0])
            ):
                chain.append(chain[-1] + 1)
            roles = [_capital_role(text, found[j][0], found[j][1]) for j in chain]
            if not capitals or roles[0] == (False, "before"):
                accept = [False] * len(chain)  # "in Beijing and Tokyo": the preposition governs them all
            elif len(chain) == 1:
                accept = [roles[0][0] is True]
            else:
                accept = [role is not False for role, _ in roles]
            for j, ok in zip(chain, accept, strict=True):
                keep[j] = ok and found[j][2] in self._sovereign
            i = chain[-1] + 1
        return keep
