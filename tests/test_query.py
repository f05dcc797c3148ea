"""Tests of dyad.query: the rules of ../shared/docs/state.md, each on a small list of facts written here.

Every test builds facts by hand and asks :func:`dyad.query.pair_state` about dates; no database.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from dyad.model import Evidence, Fact, SourceRecord, StoredFact
from dyad.query import group_entries, pair_state, timeline

SOURCE = SourceRecord(
    1, "/a.txt", "Japan–Peru relations", "article", "s", ("JPN", "PER"), (), datetime(2026, 1, 1)
)


def facts(*specs: tuple, source: SourceRecord = SOURCE) -> list[StoredFact]:
    """Facts from (type, actor, target, attrs, **times and polarity) tuples."""
    out = []
    for i, (type_, actor, target, attrs, *rest) in enumerate(specs, 1):
        extra = rest[0] if rest else {}
        quote = f"{type_} {actor} {target} {attrs}"
        out.append(
            StoredFact(
                i,
                Fact(type_, actor, target, attrs, (Evidence("Body", 0, len(quote), quote),), **extra),
                source,
            )
        )
    return out


def relations(found, a, b, at):
    return pair_state(found, a, b, at).answers.relations.value


def missions(found, a, b, at):
    return {
        (m.fields["sender"], m.fields["city"]): m.answer.value
        for m in pair_state(found, a, b, at).answers.missions
    }


def heads(found, a, b, at):
    return {h.person: h.answer.value for h in pair_state(found, a, b, at).answers.heads}


JAPAN_PERU = facts(
    ("relations", "JPN", "PER", {"status": "established"}, {"start": "1873-08-21"}),
    ("relations", "PER", "JPN", {"status": "severed"}, {"end": "1942-01"}),
    ("relations", "JPN", "PER", {"status": "restored"}, {"start": "1952"}),
    ("mission", "JPN", "PER", {"kind": "embassy", "city": "Lima"}, {"start": "1900"}),
    ("mission", "PER", "JPN", {"kind": "embassy", "city": "Tokyo"}),
    ("mission", "PER", "JPN", {"kind": "consulate-general", "city": "Nagoya"}),
)


@pytest.mark.parametrize(
    ("at", "value"),
    [("1870", "no"), ("1873-08-20", "no"), ("1873-08", "yes"), ("1900", "yes"), ("1941", "yes"),
     ("1942", "no"), ("1945", "no"), ("1951", "no"), ("1952", "yes"), ("2000", "yes")],
)  # fmt: skip
def test_query_relations_before_after_a_severance_and_a_restoration(at, value):
    assert relations(JAPAN_PERU, "JPN", "PER", at) == value


def test_query_missions_close_with_relations_and_are_unknown_after_the_restoration():
    assert missions(JAPAN_PERU, "JPN", "PER", "1870") == {
        ("JPN", "Lima"): "no",  # before relations, and before its opening
        ("PER", "Tokyo"): "no",
        ("PER", "Nagoya"): "unknown",  # a consulate can exist without relations; no date
    }
    assert missions(JAPAN_PERU, "JPN", "PER", "1920")[("JPN", "Lima")] == "yes"
    # an embassy whose opening is not stated: unknown while relations hold
    assert missions(JAPAN_PERU, "JPN", "PER", "1920")[("PER", "Tokyo")] == "unknown"
    assert missions(JAPAN_PERU, "JPN", "PER", "1945")[("JPN", "Lima")] == "no"  # relations severed
    # relations restored in 1952: reopening the Lima embassy is not stated
    assert missions(JAPAN_PERU, "JPN", "PER", "1960")[("JPN", "Lima")] == "unknown"


def test_query_text_and_timeline_say_what_changed():
    events = [
        (ev.when, ev.verb) for ev in timeline(JAPAN_PERU, "JPN", "PER").events if ev.entry.type == "relations"
    ]
    assert events == [("1873-08-21", "established"), ("1942-01", "severed"), ("1952", "restored")]
    state = pair_state(JAPAN_PERU, "JPN", "PER", "1945")
    assert state.answers.relations.until == "1942-01" and state.answers.relations.next == "1952"
    assert state.answers.relations_known == "established 1873-08-21; severed 1942-01; restored 1952"


def test_query_a_state_that_did_not_exist_yet():
    found = facts(("mission", "BEL", "SYR", {"kind": "embassy", "city": "Damascus"}, {"end": "2012"}))
    state = pair_state(found, "BEL", "SYR", "1930")
    assert state.answers.relations.value == "no"
    assert state.answers.relations.reason == "SYR was not a state then (dyad's table of states)"
    assert [m.answer.value for m in state.answers.missions] == ["no"]
    assert relations(found, "BEL", "SYR", "1950") == "unknown"  # both states exist; no relations fact
    assert relations([], "NOR", "SWE", "1900") == "no"  # Norway before 1905, with no facts at all


def test_query_sources_override_the_table_of_states():
    """Relations dated in a gap of the table hold there: the sources know better than the table."""
    found = facts(("relations", "IND", "MUS", {"status": "established"}, {"start": "1948"}))
    assert relations(found, "IND", "MUS", "1950") == "yes"  # Mauritius: independent in 1968
    assert relations(found, "IND", "MUS", "1940") == "no"  # before the relations the source dates


def test_query_none_and_a_negated_establishment_are_no_at_every_date():
    none = facts(("relations", "ISR", "SAU", {"status": "none"}))
    assert [relations(none, "ISR", "SAU", at) for at in ("1960", "2020")] == ["no", "no"]
    never = facts(("relations", "ISR", "SAU", {"status": "established"}, {"polarity": "negated"}))
    assert relations(never, "ISR", "SAU", "2020") == "no"
    # ... unless the sources also assert relations
    both = never + facts(("relations", "ISR", "SAU", {"status": "established"}))
    assert relations(both, "ISR", "SAU", "2020") == "unknown"


def test_query_planned_and_negated_facts_change_nothing():
    found = facts(
        ("relations", "ISR", "TUR", {"status": "established"}, {"start": "1949-03"}),
        ("relations", "TUR", "ISR", {"status": "severed"}, {"end": "2024-11-13", "polarity": "planned"}),
        ("mission", "TUR", "ISR", {"kind": "embassy", "city": "Tel Aviv", "action": "closed"},
         {"end": "2023", "polarity": "negated"}),
    )  # fmt: skip
    state = pair_state(found, "ISR", "TUR", "2025")
    assert state.answers.relations.value == "yes"
    assert state.answers.missions == ()  # only a negated closing: no mission is known
    assert sorted((e.type, e.polarity) for e in state.apart) == [
        ("mission", "negated"),
        ("relations", "planned"),
    ]


def test_query_an_undated_mission_is_unknown_and_the_source_date_places_it():
    undated = facts(
        ("relations", "BEL", "SYR", {"status": "established"}, {"start": "1946-03-20"}),
        ("mission", "SYR", "BEL", {"kind": "embassy", "city": "Brussels"}),
    )
    assert missions(undated, "BEL", "SYR", "2013") == {("SYR", "Brussels"): "unknown"}
    assert missions(undated, "BEL", "SYR", "1940") == {("SYR", "Brussels"): "no"}
    news = SourceRecord(
        2, "/n.txt", "News", "news", "n", ("BEL", "SYR"), (), datetime(2026, 1, 1), published="2020-05-04"
    )
    told = undated[:1] + facts(
        ("mission", "SYR", "BEL", {"kind": "embassy", "city": "Brussels"}), source=news
    )
    # a present-tense fact holds from the source's own date: unknown before it, yes from it
    assert missions(told, "BEL", "SYR", "2019") == {("SYR", "Brussels"): "unknown"}
    assert missions(told, "BEL", "SYR", "2021") == {("SYR", "Brussels"): "yes"}


def test_query_a_former_mission_without_a_date():
    found = facts(
        ("relations", "BEL", "SYR", {"status": "established"}, {"start": "1946"}),
        ("mission", "BEL", "SYR", {"kind": "embassy", "city": "Aleppo"}, {"start": "1950"}),
        ("mission", "BEL", "SYR", {"kind": "embassy", "city": "Aleppo", "action": "closed"}),
    )
    assert [missions(found, "BEL", "SYR", at)[("BEL", "Aleppo")] for at in ("1949", "1950", "1990")] == [
        "no", "yes", "unknown",
    ]  # fmt: skip


HOLY_SEE = facts(
    ("relations", "VAT", "ISR", {"status": "established"}, {"start": "1993-12-30"}),
    ("envoy", "ISR", "VAT", {"person": "Shmuel Hadas", "rank": "ambassador", "action": "appointed"},
     {"start": "1994-09"}),
    ("envoy", "ISR", "VAT", {"person": "Aharon Lopez", "rank": "ambassador"}, {"start": "1997-04"}),
    ("envoy", "ISR", "VAT", {"person": "Oren David", "rank": "ambassador"}, {"start": "2016", "end": "2021"}),
    ("envoy", "VAT", "ISR", {"person": "Andrea Cordero Lanza di Montezemolo", "rank": "nuncio",
                             "action": "appointed"}, {"start": "1994-09"}),
    ("envoy", "ISR", "VAT", {"person": "Raphael Schutz", "rank": "ambassador"}),
)  # fmt: skip


def test_query_a_later_appointment_ends_the_earlier_one():
    at_1996 = heads(HOLY_SEE, "VAT", "ISR", "1996")
    assert (at_1996["Shmuel Hadas"], at_1996["Aharon Lopez"]) == ("yes", "no")
    at_1999 = heads(HOLY_SEE, "VAT", "ISR", "1999")
    assert (at_1999["Shmuel Hadas"], at_1999["Aharon Lopez"]) == ("no", "yes")
    at_2018 = heads(HOLY_SEE, "VAT", "ISR", "2018")
    assert (at_2018["Aharon Lopez"], at_2018["Oren David"]) == ("no", "yes")
    assert heads(HOLY_SEE, "VAT", "ISR", "2022")["Oren David"] == "no"  # left post in 2021
    assert heads(HOLY_SEE, "VAT", "ISR", "2022")["Raphael Schutz"] == "unknown"  # "present", undated


def test_query_the_first_ambassador_is_not_todays():
    # The first nuncio of 1994, with no successor known: in post then, not "still" decades later.
    at = {
        year: heads(HOLY_SEE, "VAT", "ISR", year)["Andrea Cordero Lanza di Montezemolo"]
        for year in ("1990", "1995", "2020")
    }
    assert at == {"1990": "no", "1995": "yes", "2020": "unknown"}


def test_query_recalled_envoys_are_out_and_a_charge_heads_only_alone():
    found = facts(
        ("relations", "FRA", "MLI", {"status": "established"}, {"start": "1960"}),
        ("envoy", "FRA", "MLI", {"person": "A", "rank": "ambassador"}, {"start": "2018"}),
        (
            "envoy",
            "FRA",
            "MLI",
            {"person": "A", "rank": "ambassador", "action": "expelled"},
            {"end": "2022-01-31"},
        ),
        ("envoy", "FRA", "MLI", {"person": "B", "rank": "charge-d-affaires"}, {"start": "2019"}),
    )
    assert heads(found, "FRA", "MLI", "2020") == {"A": "yes", "B": "no"}  # the ambassador heads
    assert heads(found, "FRA", "MLI", "2023") == {"A": "no", "B": "yes"}  # the chargé, once A is expelled


def test_query_sanctions_via_eu_membership_count_for_the_member():
    found = facts(
        ("sanctions", "EU", "SYR", {"scope": ["economic"], "action": "imposed"}, {"start": "2011-05"}),
        ("sanctions", "EU", "SYR", {"action": "lifted"}, {"end": "2025-05"}),
        ("membership", "BEL", "EU", {}, {"start": "1958"}),
        ("relations", "BEL", "SYR", {"status": "established"}, {"start": "1946-03-20"}),
    )

    def sanctions(at):
        return {
            (s.fields["actor"], s.fields.get("via")): s.answer.value
            for s in pair_state(found, "BEL", "SYR", at).answers.sanctions
        }

    assert sanctions("2010") == {("EU", None): "no", ("BEL", "EU"): "no"}
    assert sanctions("2015") == {("EU", None): "yes", ("BEL", "EU"): "yes"}
    assert sanctions("2026") == {("EU", None): "no", ("BEL", "EU"): "no"}  # lifted


def test_query_groups_agreeing_sources_and_marks_disagreement():
    other = SourceRecord(2, "/b.txt", "Other", "article", "o", ("BEL", "SYR"), (), datetime(2026, 1, 1))
    found = (
        facts(("relations", "BEL", "SYR", {"status": "established"}, {"start": "1946-03-20"}))
        + facts(
            ("relations", "SYR", "BEL", {"status": "established"}, {"start": "1946"}),
            ("mission", "BEL", "SYR", {"kind": "embassy", "city": "Damascus"}, {"start": "1950"}),
            source=other,
        )
        + facts(("mission", "BEL", "SYR", {"kind": "embassy", "city": "Damascus"}, {"start": "1960"}))
    )
    entries = group_entries(found)
    [relations_entry] = [e for e in entries if e.type == "relations"]
    assert relations_entry.start == "1946-03-20" and len(relations_entry.sources) == 2  # most precise
    missions_ = [e for e in entries if e.type == "mission"]
    assert sorted((e.start, [s.title for d in e.disputes for s in d.sources]) for e in missions_) == [
        ("1950", ["Japan–Peru relations"]),
        ("1960", ["Other"]),
    ]


def test_a_state_that_did_not_exist_holds_nothing_of_unknown_start():
    (trade,) = facts(("trade", "BEL", "SYR", {"goods": ["machinery"]}, {"end": "2011"}))
    assert pair_state([trade], "BEL", "SYR", "1800").sections["trade"] == ()
    assert [e.type for e in pair_state([trade], "BEL", "SYR", "2000").sections["trade"]] == ["trade"]
