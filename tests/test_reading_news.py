"""Reading news stories: who speaks for whom, readout verbs, "the two leaders", one fact per actor,
the story's day — on stories written for these tests."""

from __future__ import annotations

from dyad.pipeline import extract_text


def facts(story: str) -> list[tuple]:
    doc = extract_text(story, "story.txt")
    assert doc.source.format == "news", doc.source.format
    return [
        (f.type, f.actor, f.target, f.attrs.get("kind") or f.attrs.get("stance"), f.date) for f in doc.facts
    ]


HEADER = "The White House\nOffice of the Press Secretary\n\nFor Immediate Release\nMarch 5, 2024\n\n"


def test_news_a_governments_page_speaks_for_it():
    story = HEADER + (
        "Readout of the President's Call with Prime Minister Lars Berg of Norway\n\n"
        "The President spoke today with Prime Minister Lars Berg of Norway about the Arctic. "
        "The two leaders also discussed trade.\n"
    )
    got = facts(story)
    meetings = [f for f in got if f[0] == "meeting"]
    assert [(f[1], f[2], f[3]) for f in meetings] == [("USA", "NOR", "call")]
    assert meetings[0][4] == "2024-03-05"  # told without a date: the story's day


def test_news_a_dateline_city_is_not_the_speaker():
    story = (
        "Chile and Peru sign a fisheries accord\n\n"
        "LIMA, May 2, 2023 (Reuters) - President Gabriel Torres of Chile met Peruvian President Ana Ruiz "
        "in Lima on Tuesday. The two presidents signed a fisheries agreement.\n"
    )
    got = facts(story)
    assert ("meeting", "CHL", "PER") in [f[:3] for f in got] or ("meeting", "PER", "CHL") in [
        f[:3] for f in got
    ]
    assert all("USA" not in f[1:3] for f in got)


def test_news_one_fact_per_coordinated_actor():
    story = (
        "Nordic states condemn the attack\n\n"
        "OSLO, March 3, 2024 (Reuters) - Sweden, Finland and Estonia condemned Russia on Friday.\n"
    )
    got = {(f[1], f[2], f[3]) for f in facts(story) if f[0] == "statement"}
    assert got == {("SWE", "RUS", "condemn"), ("FIN", "RUS", "condemn"), ("EST", "RUS", "condemn")}


def test_news_a_joint_fight_against_a_threat_is_no_war():
    story = (
        "Allies stand together\n\n"
        "PARIS, March 3, 2024 (Reuters) - France and Italy stand united in the fight against terrorism, "
        "the two governments said on Friday.\n"
    )
    assert [f for f in facts(story) if f[0] == "conflict"] == []


def test_news_we_and_he_speak_for_the_page_and_the_official():
    story = HEADER + (
        "Statement on Chile\n\n"
        "We congratulate the people of Chile on a peaceful election. "
        "Norwegian Foreign Minister Eva Lund said she would welcome Chile's bid to join the council.\n"
    )
    got = {(f[0], f[1], f[2], f[3]) for f in facts(story)}
    assert ("statement", "USA", "CHL", "praise") in got
    assert ("statement", "NOR", "CHL", "praise") in got


def test_news_a_phrase_of_the_story_is_no_header():
    story = (
        "Talks in Oslo\n\n"
        "OSLO, March 3, 2024 (Reuters) - Chilean and Peruvian ministers met in Oslo, and a report by the "
        "European Commission was discussed. Chile praised Peru.\n"
    )
    got = {(f[0], f[1], f[2]) for f in facts(story)}
    assert ("statement", "CHL", "PER") in got
    assert all(f[1] != "EU" for f in got)


def test_news_diplomats_count_only_when_something_happens_to_them():
    story = (
        "Norway expels Chilean diplomats\n\n"
        "OSLO, March 3, 2024 (Reuters) - Norway expelled three Chilean diplomats on Friday. "
        "Many Chilean diplomats live in Oslo.\n"
    )
    got = [(f[1], f[2], f[3]) for f in facts(story) if f[0] == "envoy"]
    assert got == [("CHL", "NOR", None)]
    doc = extract_text(story, "story.txt")
    assert [f.attrs.get("action") for f in doc.facts if f.type == "envoy"] == ["expelled"]


def test_news_a_visit_to_a_capital_is_a_visit_to_its_state():
    story = (
        "Premier in Beijing\n\n"
        "TOKYO, May 2, 2005 (AP) - Japanese Prime Minister Taro Kato made a visit to Beijing in April.\n"
    )
    got = [(f[1], f[2]) for f in facts(story) if f[0] == "visit"]
    assert got == [("JPN", "CHN")]


def test_news_an_agreement_named_for_its_two_sides():
    story = (
        "Trade pact marks a year\n\n"
        "WASHINGTON, May 15, 2013 (AP) - The Chile-Peru Trade Agreement marks one year of lower tariffs.\n"
    )
    got = [(f[1], f[2], f[4]) for f in facts(story) if f[0] == "agreement"]
    assert got == [("CHL", "PER", "2013-05-15")]


KREMLIN = "Official website of the President of Russia\n\n"


def test_news_a_governments_page_names_its_own_people_without_their_state():
    story = KREMLIN + (
        "Telephone conversation with the President of Chile\n\nMay 27, 2020\n\n"
        "Dmitri Ivanov had a telephone conversation with President of Chile Gabriel Torres. "
        "Dmitri Ivanov met at the Kremlin with the Prime Minister of Norway Lars Berg.\n"
    )
    got = [f[:4] for f in facts(story) if f[0] == "meeting"]
    assert got == [("meeting", "RUS", "CHL", "call"), ("meeting", "RUS", "NOR", "talks")]


def test_news_a_named_person_of_no_page_has_no_state():
    # no government's page: a name alone says nothing of its state
    story = (
        "Talks in Oslo\n\nOSLO, May 27, 2020 (Wire) - Dmitri Ivanov had a telephone conversation with "
        "President of Chile Gabriel Torres on Tuesday.\n"
    )
    assert [f for f in facts(story) if f[0] == "meeting" and "RUS" in f[1:3]] == []


def test_news_an_office_of_a_state_is_the_state_in_a_phrase():
    story = HEADER + (
        "Readout\n\nThe President held talks today with the President of Chile and later spoke by phone "
        "with the Prime Minister of Norway.\n"
    )
    got = [f[:4] for f in facts(story) if f[0] == "meeting"]
    assert ("meeting", "USA", "CHL", "talks") in got
    assert ("meeting", "USA", "NOR", "call") in got


def test_news_a_clause_after_and_is_not_a_list_of_names():
    story = HEADER + (
        "Readout of the Vice President's Call with Chilean President Gabriel Torres\n\n"
        "The Vice President spoke with Chilean President Gabriel Torres about the border. President Torres "
        "informed the Vice President that the trucks had returned to Peru, and the Vice President commended "
        "Chile's restraint.\n"
    )
    got = [f[:4] for f in facts(story)]
    assert ("statement", "USA", "CHL", "praise") in got
    # an official introduced with his state keeps it when named with his office alone
    assert not [f for f in got if f[1] == f[2]]


def test_news_a_state_adjective_after_a_participle_is_in_the_phrase():
    story = (
        "Norway worried by Chilean moves\n\nOSLO, May 27, 2020 (Wire) - Norway expressed concern on Tuesday "
        "about continued Chilean military activity along the border, and voiced concern over renewed "
        "Peruvian fishing in the fjords.\n"
    )
    got = {f[:4] for f in facts(story) if f[0] == "statement"}
    assert got == {("statement", "NOR", "CHL", "concern"), ("statement", "NOR", "PER", "concern")}
