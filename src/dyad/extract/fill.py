"""Fillers: the attributes each fact type carries beyond what a rule record sets.

A rule record names its filler (``fill = "mission"``); the filler reads the hit's clause for the type's
own attributes (a mission's city, an envoy's person and action, a treaty's name) and returns the hits
to keep — none to refuse one, several when a clause names several things ("consulates in Aleppo and
Latakia"). Words are data (``lexicon.toml``); what is here is where in a clause each attribute stands.
"""

from __future__ import annotations

import re

from .engine import Hit, filler

__all__ = ["filler"]

_NOT_UNTIL = re.compile(r"\b(?:not|only)\s+(?:\w+\s+){0,3}(?:until|till|in)\s*$")
_SINCE_NO = re.compile(r"\bsince\b")


@filler("relations")
def relations(hit: Hit) -> list[Hit]:  # noqa: C901
    """Relations: a date after "not … until" is when it happened; "no relations since 2012" is a break."""
    status = hit.attrs.get("status")
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
