"""Extraction rules, each on a small article written for the test, with exact outputs."""

from __future__ import annotations

import pytest

from dyad import extract_text
from dyad.errors import RulesError
from dyad.extract import parties_of
from dyad.extract.rules import load_rules, parse_rules
from dyad.model import Named
from dyad.resolve.actors import Gazetteer


def article(body: str, title: str = "Belgium–Syria relations", infobox: str = "") -> str:
    box = f"Infobox\n{infobox}\n\n" if infobox else ""
    return f"= {title} =\n\n{box}{body}\n"


def facts(body: str, type_: str | None = None, polarity: str | None = "asserted", **kw) -> list[tuple]:
    """(type, actor, target, attrs, start, end, date) of every fact stated with ``polarity`` (any with
    None), optionally of one type."""
    doc = extract_text(article(body, **kw), "t.txt")
    text = article(body, **kw)
    for f in doc.facts:
        for e in f.evidence:
            assert text[e.start : e.end] == e.quote
    return [
        (f.type, f.actor, f.target, dict(f.attrs), f.start, f.end, f.date)
        for f in doc.facts
        if (type_ is None or f.type == type_) and (polarity is None or f.polarity == polarity)
    ]


# -- parties ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "parties"),
    [
        ("Belgium–Syria relations", ("BEL", "SYR")),
        ("Holy See–Israel relations", ("VAT", "ISR")),
        ("Democratic Republic of the Congo–Rwanda relations", ("COD", "RWA")),
        ("Guinea-Bissau–Senegal relations", ("GNB", "SEN")),
        ("Guinea-Bissau-Senegal relations", ("GNB", "SEN")),
        ("Prussia–United States relations", ("XPRU", "USA")),
        ("Atlantis–Spain relations", (Named("Atlantis"), "ESP")),
    ],
)
def test_extract_parties_from_title(title, parties):
    assert parties_of(title, Gazetteer.default()) == parties


# -- relations -------------------------------------------------------------------------------------


def test_extract_relations_established_passive_and_active():
    assert facts("Diplomatic relations were established on 4 August 1960.", "relations") == [
        ("relations", "BEL", "SYR", {"status": "established"}, "1960-08-04", None, None)
    ]
    assert facts("Belgium and Syria established diplomatic ties in March 1949.", "relations") == [
        ("relations", "BEL", "SYR", {"status": "established"}, "1949-03", None, None)
    ]


def test_extract_relations_two_mentions_one_fact_finer_date():
    got = extract_text(
        article(
            "Relations were established on 20 March 1946. Diplomatic relations between "
            "Belgium and Syria began shortly after independence in 1946."
        ),
        "t.txt",
    )
    rel = [f for f in got.facts if f.type == "relations"]
    assert len(rel) == 1 and rel[0].start == "1946-03-20" and len(rel[0].evidence) == 2


@pytest.mark.parametrize(
    "sentence",
    [
        "The Congress had tried to establish diplomatic relations in 1777, but was refused.",
        "Prior to establishing formal diplomatic relations, in 1872, a ship incident took place.",
        "Japan began fostering diplomatic relations with several nations in 1868.",
        "Friendly ties were formally established with the 1904 agreement.",
        "After the establishment of the People's Republic of China in 1949, relations were tense.",
        "In 1511 Russia became the first major state to establish diplomatic relations with",
        "On 13 November 2024, the president announced his intention to sever relations with Syria.",
    ],
)
def test_extract_relations_not_an_establishment(sentence):
    assert [f for f in facts(sentence, "relations") if f[4] or f[5]] == []


def test_extract_relations_not_until_wins():
    got = facts(
        "The two began diplomatic relations in 1785, but formal relations were not established until 1797.",
        "relations",
    )
    assert [(f[3]["status"], f[4]) for f in got] == [("established", "1797")]


def test_extract_relations_date_of_a_preceding_event_gives_the_year():
    got = facts("Relations were established after the independence of Syria on August 27, 1991.", "relations")
    assert got[0][4] == "1991"


def test_extract_relations_since_and_severed_and_restored():
    got = facts(
        "Belgium and Syria have had uninterrupted diplomatic relations since their establishment in 1902. "
        "Syria broke off diplomatic relations with Belgium in January 1942. "
        "Relations were restored in 1952.",
        "relations",
    )
    assert [(f[3]["status"], f[4], f[5]) for f in got] == [
        ("established", "1902", None),
        ("severed", None, "1942-01"),
        ("restored", "1952", None),
    ]


# -- missions --------------------------------------------------------------------------------------


def test_extract_missions_infobox_forms():
    box = "- Mission1: Embassy of Belgium in Damascus,\n- Mission2: Syrian Embassy, Brussels"
    assert facts("Text.", "mission", infobox=box) == [
        ("mission", "BEL", "SYR", {"kind": "embassy", "city": "Damascus"}, None, None, None),
        ("mission", "SYR", "BEL", {"kind": "embassy", "city": "Brussels"}, None, None, None),
    ]


def test_extract_missions_nunciature_and_washington():
    box = "- Mission1: Apostolic Nunciature to Israel\n- Mission2: Embassy of Israel, Washington, D.C."
    got = facts("Text.", "mission", infobox=box, title="Holy See–Israel relations")
    assert got[0] == ("mission", "VAT", "ISR", {"kind": "embassy"}, None, None, None)
    got = facts(
        "Text.",
        "mission",
        infobox=box.replace("Apostolic Nunciature to Israel", "Embassy of the United States, Tel Aviv"),
        title="Israel–United States relations",
    )
    assert [(f[1], f[3]["city"]) for f in got] == [("USA", "Tel Aviv"), ("ISR", "Washington, D.C.")]


def test_extract_missions_prose_lists_and_kinds():
    got = facts(
        "Syria has an embassy in Brussels and honorary consulates in Antwerp and Liège. "
        "Belgium has a consulate general in Aleppo, while Syria has a consulate in Ghent.",
        "mission",
    )
    assert [(f[1], f[2], f[3]["kind"], f[3]["city"]) for f in got] == [
        ("SYR", "BEL", "embassy", "Brussels"),
        ("SYR", "BEL", "honorary-consulate", "Antwerp"),
        ("SYR", "BEL", "honorary-consulate", "Liège"),
        ("BEL", "SYR", "consulate-general", "Aleppo"),
        ("SYR", "BEL", "consulate", "Ghent"),
    ]


def test_extract_missions_closed_and_reopened_keep_both_periods():
    got = facts(
        "In 2012, Belgium closed its embassy in Damascus. In November 2022, Belgium reopened its "
        "embassy in Damascus.",
        "mission",
    )
    assert [(f[4], f[5]) for f in got] == [(None, "2012"), ("2022-11", None)]


def test_extract_missions_not_to_a_third_state_nor_an_attack():
    assert facts("The new embassy to Germany was built by Belgium in Berlin.", "mission") == []
    assert facts("A mob attack on the Syrian Embassy in Brussels took place in 2003.", "mission") == []


# -- envoys ----------------------------------------------------------------------------------------


def test_extract_envoys_infobox_sides_and_titles():
    box = (
        "- Mission1: Embassy of Syria, Brussels\n- Envoytitle1: Ambassador Irit Lillian\n"
        "- Envoytitle2: Minister Counsellor\n- Envoy2: Jan Peeters"
    )
    got = facts("Text.", "envoy", infobox=box)
    assert [(f[1], f[2], f[3]) for f in got] == [
        ("SYR", "BEL", {"rank": "ambassador", "person": "Irit Lillian"}),
        ("BEL", "SYR", {"rank": "other", "person": "Jan Peeters"}),
    ]


def test_extract_envoys_prose():
    got = facts(
        "M.R. Taymans was appointed as Chargé d'Affaires of Belgium to Syria with residence in Beirut "
        "on 20 March 1946. Since 2023, the Syrian Ambassador to Belgium is Ahmad Haj.",
        "envoy",
    )
    assert got == [
        (
            "envoy",
            "BEL",
            "SYR",
            {
                "rank": "charge-d-affaires",
                "person": "M.R. Taymans",
                "residence": "Beirut",
                "action": "appointed",
            },
            "1946-03-20",
            None,
            None,
        ),
        ("envoy", "SYR", "BEL", {"rank": "ambassador", "person": "Ahmad Haj"}, "2023", None, None),
    ]


def test_extract_envoys_exchange_is_both_ways():
    got = facts("The two countries exchange high commissioners.", "envoy")
    assert [(f[1], f[2], f[3]["rank"]) for f in got] == [
        ("BEL", "SYR", "high-commissioner"),
        ("SYR", "BEL", "high-commissioner"),
    ]


def test_extract_envoys_its_refers_to_the_asked_state():
    got = facts("In January 2023, Syria's government asked Belgium to recall its ambassador.", "envoy", None)
    # the recall is asked for, not done: planned, ending the post in January 2023
    assert [(f[1], f[2], f[3]["action"], f[5]) for f in got] == [("BEL", "SYR", "recalled", "2023-01")]
    asked = extract_text(article("Syria asked Belgium to recall its envoy."), "t")
    # the asking is done (a demand, asserted); the recall is not (planned)
    assert sorted((f.type, f.actor, f.polarity) for f in asked.facts) == [
        ("envoy", "BEL", "planned"),
        ("statement", "SYR", "asserted"),
    ]


# -- the other types -------------------------------------------------------------------------------


def test_extract_trade_goods_hs_and_trend_period():
    got = facts(
        "In the early 2000s, trade between Belgium and Syria grew. Belgium was an importer of Syrian "
        "textiles and phosphates, while exporting machinery to Syria.\n\n"
        "Trade declined sharply in 2011.",
        "trade",
    )
    assert got == [
        (
            "trade",
            "SYR",
            "BEL",
            {
                "flow": "exports",
                "goods": ["textiles", "phosphates"],
                "hs_sections": ["XI", "V"],
                "trend": "growing",
            },
            "200X",
            "2011",
            None,
        ),
        (
            "trade",
            "BEL",
            "SYR",
            {"flow": "exports", "goods": ["machinery"], "hs_sections": ["XVI"], "trend": "growing"},
            "200X",
            "2011",
            None,
        ),
        ("trade", "BEL", "SYR", {"flow": "total", "trend": "declining"}, "2011", None, None),
    ]


def test_extract_sanctions_scope_and_via():
    got = facts(
        "In 2011 the European Union imposed economic sanctions on Syria. Belgium, in line with EU "
        "policy, supported the imposition of sanctions on Syrian officials and businesses.",
        "sanctions",
    )
    assert got == [
        ("sanctions", "EU", "SYR", {"action": "imposed", "scope": ["economic"]}, "2011", None, None),
        (
            "sanctions",
            "BEL",
            "SYR",
            {"action": "imposed", "scope": ["officials", "businesses"], "via": "EU"},
            None,
            None,
            None,
        ),
    ]


def test_extract_statement_stance_subject_and_event_date():
    got = facts(
        "The Syrian Civil War, which began in 2011, changed everything. Belgium condemned the Syrian "
        "government's actions against civilians. In 2012 the embassy was closed. Belgium has "
        "expressed support for the peace process to end the conflict.",
        "statement",
    )
    assert got == [
        (
            "statement",
            "BEL",
            "SYR",
            {"stance": "condemn", "subject": "the Syrian government's actions against civilians"},
            None,
            None,
            "2011",
        ),
        ("statement", "BEL", "SYR", {"stance": "support", "subject": "the peace process"}, None, None, None),
    ]


def test_extract_aid_kind_channels_and_anaphor_date():
    got = facts(
        "The war in Syria began in 2011.\n\nAs the conflict escalated, Belgium provided humanitarian "
        "aid to Syrian refugees through UNHCR and the Red Cross.",
        "aid",
    )
    assert got == [
        ("aid", "BEL", "SYR", {"kind": "humanitarian", "channels": ["UNHCR", "ICRC"]}, "2011", None, None)
    ]


def test_extract_migration_kinds():
    got = facts(
        "Belgium has received many Syrian refugees. By 2020, Syrians represented the largest group of "
        "asylum seekers in Belgium. About 400 Belgians travelled to Syria to join armed groups.",
        "migration",
    )
    assert [(f[1], f[2], f[3]["kind"], f[6]) for f in got] == [
        ("SYR", "BEL", "refugees", None),
        ("SYR", "BEL", "asylum-seekers", "2020"),
        ("BEL", "SYR", "foreign-fighters", None),
    ]


def test_extract_membership_security_agreement_visit():
    body = (
        "Both countries are members of the United Nations and the Union for the Mediterranean. "
        "Belgium has also participated in the Global Coalition to Defeat ISIS. "
        "Belgian police have cooperated with Syria on counterterrorism. "
        "In 2009 Belgium and Syria signed a Memorandum of Understanding on Tourism. "
        "In 2010 the Belgian foreign minister visited Syria."
    )
    got = facts(body)
    assert [(f[0], f[1], f[2]) for f in got if f[0] == "membership"] == [
        ("membership", "BEL", "UN"),
        ("membership", "BEL", "UFM"),
        ("membership", "SYR", "UN"),
        ("membership", "SYR", "UFM"),
        ("membership", "BEL", "GCDI"),
    ]
    assert [(f[1], f[2], f[3]) for f in got if f[0] == "security"] == [
        ("BEL", "SYR", {"kind": "counterterrorism"})
    ]
    assert [(f[3], f[6]) for f in got if f[0] == "agreement"] == [
        ({"name": "Memorandum of Understanding on Tourism", "kind": "memorandum"}, "2009")
    ]
    assert [(f[1], f[2], f[3], f[6]) for f in got if f[0] == "visit"] == [
        ("BEL", "SYR", {"office": "Foreign Minister"}, "2010")
    ]


def test_extract_cut_mid_sentence_is_read():
    got = facts("Belgium and Syria established diplomatic relations in 1946. Belgium has an embassy in Dam")
    assert [(f[0], f[4]) for f in got] == [("relations", "1946")]


# -- rules are data, validated ---------------------------------------------------------------------


def test_extract_rules_load_and_trace_ids():
    rules = load_rules()
    assert rules.version == 1
    assert rules.envoy_rank["ambassador"] == "ambassador"


def test_extract_rules_every_problem_reported_at_once():
    bad = {
        "mission_kind": [{"words": ["embassy"], "kind": "palace"}],
        "mission_event": {"open": "(", "close": "x", "reopen": "x", "ignore": "x"},
        "envoy_rank": {"ambassador": "king"},
    }
    with pytest.raises(RulesError) as e:
        parse_rules(bad)
    msg = str(e.value)
    assert "mission_kind[0].kind: 'palace' is not one of" in msg
    assert "mission_event.open: bad regular expression" in msg
    assert "envoy_rank.'ambassador': 'king' is not one of" in msg
    assert "[time]: missing section" in msg


def test_extract_missions_non_resident_from_a_third_state():
    got = facts(
        "Andorra is accredited to Japan from its embassy in Paris. Japan is represented in Andorra through "
        "its embassy in Madrid.",
        "mission",
        title="Andorra–Japan relations",
    )
    assert [(f[1], f[2], f[3]) for f in got] == [
        ("AND", "JPN", {"kind": "non-resident", "city": "Paris", "accredited_from": "FRA"}),
        ("JPN", "AND", {"kind": "non-resident", "city": "Madrid", "accredited_from": "ESP"}),
    ]


def test_extract_missions_embassy_to_the_holy_see_in_rome_is_an_embassy():
    got = facts(
        "Israel has an embassy to the Holy See in Rome.", "mission", title="Holy See–Israel relations"
    )
    assert [(f[1], f[2], f[3]) for f in got] == [("ISR", "VAT", {"kind": "embassy", "city": "Rome"})]


def test_extract_missions_infobox_non_resident():
    box = (
        "- Mission1: Embassy of Andorra in Paris (accredited)\n"
        "- Mission2: Embassy of Japan, Madrid (non-resident)"
    )
    got = facts("Text.", "mission", infobox=box, title="Andorra–Japan relations")
    assert [(f[1], f[2], f[3]) for f in got] == [
        ("AND", "JPN", {"kind": "non-resident", "city": "Paris", "accredited_from": "FRA"}),
        ("JPN", "AND", {"kind": "non-resident", "city": "Madrid", "accredited_from": "ESP"}),
    ]


def test_extract_relations_broken_off_and_re_established():
    got = facts(
        "Diplomatic relations were broken off in 1967 and restored in 1989. Belgium and Syria re-established "
        "diplomatic relations in 1995.",
        "relations",
    )
    assert [(f[3]["status"], f[4], f[5]) for f in got] == [
        ("severed", None, "1967"),
        ("restored", "1989", None),
        ("restored", "1995", None),
    ]


def test_extract_relations_third_state_as_broker_is_still_the_pair():
    got = facts("Relations were restored in March 2023 in an agreement brokered by China.", "relations")
    assert [(f[3]["status"], f[4]) for f in got] == [("restored", "2023-03")]
    assert facts("France established diplomatic relations with China in 1964.", "relations") == []


def test_extract_missions_since():
    got = facts("Syria has had an embassy in Brussels since 2018.", "mission")
    assert [(f[1], f[3]["city"], f[4]) for f in got] == [("SYR", "Brussels", "2018")]


def test_extract_missions_in_each_others_capitals():
    got = facts("Both countries have embassies in each other's capitals.", "mission")
    assert [(f[1], f[2], f[3]) for f in got] == [
        ("BEL", "SYR", {"kind": "embassy", "city": "Damascus"}),
        ("SYR", "BEL", {"kind": "embassy", "city": "Brussels"}),
    ]


def test_extract_envoys_non_resident_ambassador():
    got = facts("Syria is represented in Belgium by a non-resident ambassador based in Paris.", "envoy")
    assert [(f[1], f[2], f[3]) for f in got] == [("SYR", "BEL", {"rank": "ambassador", "residence": "Paris"})]


def test_extract_statement_not_from_gerunds_passives_or_pronouns():
    # the accusation is a statement; what it accuses of is only claimed
    assert facts("Syria accused Belgium of supporting opposition forces.", "statement") == [
        (
            "statement",
            "SYR",
            "BEL",
            {"stance": "criticize", "subject": "supporting opposition forces"},
            None,
            None,
            None,
        )
    ]
    assert facts("No Belgian party endorsed it.", "statement") == []
    got = facts("Belgium backed the regime of Syria, which was criticized for its abuses.", "statement")
    assert [(f[1], f[2], f[3]) for f in got] == [
        ("BEL", "SYR", {"stance": "support", "subject": "the regime of Syria"})
    ]


def test_extract_missions_infobox_several_in_one_field():
    box = (
        "- Mission1: Embassy of Belgium, Damascus, Consulate-General of Belgium, Aleppo\n"
        "- Mission2: Embassy of Syria, Brussels; Honorary Consulate of Syria, Antwerp"
    )
    got = facts("Text.", "mission", infobox=box)
    assert [(f[1], f[3]["kind"], f[3]["city"]) for f in got] == [
        ("BEL", "embassy", "Damascus"),
        ("BEL", "consulate-general", "Aleppo"),
        ("SYR", "embassy", "Brussels"),
        ("SYR", "honorary-consulate", "Antwerp"),
    ]


def test_extract_relations_have_existed_since():
    got = facts("Formal diplomatic relations have existed since 1946.", "relations")
    assert [(f[3]["status"], f[4]) for f in got] == [("established", "1946")]
