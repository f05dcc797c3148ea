"""The actor gazetteer: names, adjectives, codes, organisations and capitals to codes, and where in a text.

The last test reads the evaluation articles in ../shared in place; it skips with a reason when absent.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dyad.errors import RulesError, UnknownActorError
from dyad.resolve.actors import Gazetteer, Mention

SHARED = Path(__file__).resolve().parents[2] / "shared"  # read in place, never copied


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return Gazetteer.default()


def found(g: Gazetteer, text: str, **kw) -> list[tuple[str, str, str]]:
    mentions = g.find(text, **kw)
    for m in mentions:
        assert text[m.start : m.end] == m.text
    return [(m.text, m.code, m.form) for m in mentions]


# resolve ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Belgium", "BEL"),
        ("Kingdom of Belgium", "BEL"),
        ("Republic of Peru", "PER"),
        ("Syrian Arab Republic", "SYR"),
        ("United States", "USA"),
        ("United States of America", "USA"),
        ("U.S.", "USA"),
        ("United Kingdom", "GBR"),
        ("Great Britain", "GBR"),
        ("Britain", "GBR"),
        ("South Korea", "KOR"),
        ("North Korea", "PRK"),
        ("DR Congo", "COD"),
        ("Democratic Republic of the Congo", "COD"),
        ("DRC", "COD"),
        ("Ivory Coast", "CIV"),
        ("Côte d'Ivoire", "CIV"),
        ("Czechia", "CZE"),
        ("Czech Republic", "CZE"),
        ("Türkiye", "TUR"),
        ("Holy See", "VAT"),
        ("Vatican City", "VAT"),
        ("Taiwan", "TWN"),
        ("Republic of China", "TWN"),
        ("People's Republic of China", "CHN"),
        ("Mainland China", "CHN"),
        ("Burma", "MMR"),
        ("East Timor", "TLS"),
        ("Swaziland", "SWZ"),
        ("The Gambia", "GMB"),
        ("Kosovo", "XKX"),
        ("State of Palestine", "PSE"),
        ("Russian Federation", "RUS"),
        ("Holland", "NLD"),
        ("Northern Cyprus", "XNCY"),
        ("Turkish Republic of Northern Cyprus", "XNCY"),
        ("TRNC", "XNCY"),
    ],
)
def test_actors_resolve_names(g: Gazetteer, name: str, code: str) -> None:
    assert g.resolve(name) == code


def test_actors_resolve_is_tolerant_of_case_the_punctuation_apostrophes_and_accents(g: Gazetteer) -> None:
    assert g.resolve("  the Netherlands. ") == "NLD"
    assert g.resolve("BELGIUM") == g.resolve("belgium") == "BEL"
    assert g.resolve("Cote d’Ivoire") == "CIV"
    assert g.resolve("Turkiye") == "TUR"
    assert g.resolve("Holy See's") == "VAT"
    assert g.resolve("(Syria)") == "SYR"


@pytest.mark.parametrize(
    ("adjective", "code"),
    [
        ("Syrian", "SYR"),
        ("Syrians", "SYR"),
        ("Dutch", "NLD"),
        ("British", "GBR"),
        ("Swiss", "CHE"),
        ("Filipino", "PHL"),
        ("Filipinos", "PHL"),
        ("Philippine", "PHL"),
        ("Thai", "THA"),
        ("Malagasy", "MDG"),
        ("Monegasque", "MCO"),
        ("Emirati", "ARE"),
        ("Kuwaiti", "KWT"),
        ("Burkinabè", "BFA"),
        ("Burkinabe", "BFA"),
        ("Guatemalan", "GTM"),
        ("Peruvian", "PER"),
        ("Japanese", "JPN"),
        ("Chinese", "CHN"),
        ("American", "USA"),
        ("Americans", "USA"),
        ("Soviet", "SUN"),
        ("Ottoman", "XOTT"),
        ("Prussian", "XPRU"),
        ("Vatican", "VAT"),
    ],
)
def test_actors_resolve_adjectives_and_plural_demonyms(g: Gazetteer, adjective: str, code: str) -> None:
    assert g.resolve(adjective) == code


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Soviet Union", "SUN"),
        ("USSR", "SUN"),
        ("the Soviets", "SUN"),
        ("Yugoslavia", "YUG"),
        ("SFR Yugoslavia", "YUG"),
        ("Kingdom of Yugoslavia", "YUG"),
        ("Czechoslovakia", "CSK"),
        ("East Germany", "DDR"),
        ("German Democratic Republic", "DDR"),
        ("GDR", "DDR"),
        ("West Germany", "DEU"),
        ("Federal Republic of Germany", "DEU"),
        ("Prussia", "XPRU"),
        ("Kingdom of Prussia", "XPRU"),
        ("Ottoman Empire", "XOTT"),
        ("Ottoman Turkey", "XOTT"),
        ("Austria-Hungary", "XAHU"),
        ("Serbia and Montenegro", "SCG"),
        ("Empire of Brazil", "BRA"),
        ("Qing dynasty", "CHN"),
        ("Qing China", "CHN"),
        ("Imperial China", "CHN"),
        ("Russian Empire", "RUS"),
        ("Tsardom of Russia", "RUS"),
        ("Upper Volta", "BFA"),
        ("Republic of Upper Volta", "BFA"),
        ("Zaire", "COD"),
        ("Ceylon", "LKA"),
        ("Persia", "IRN"),
        ("Siam", "THA"),
        ("Rhodesia", "RHO"),
        ("South Vietnam", "XSVN"),
        ("North Vietnam", "VDR"),
        ("United Arab Republic", "XUAR"),
        ("Kingdom of Hawaii", "XHAW"),
        ("Republic of Texas", "XTEX"),
        ("New Granada", "COL"),
    ],
)
def test_actors_resolve_historical_states(g: Gazetteer, name: str, code: str) -> None:
    assert g.resolve(name) == code


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("European Union", "EU"),
        ("the EU", "EU"),
        ("European Community", "EU"),
        ("EEC", "EU"),
        ("United Nations", "UN"),
        ("U.N.", "UN"),
        ("Security Council", "UNSC"),
        ("UN Security Council", "UNSC"),
        ("UNHCR", "UNHCR"),
        ("World Food Programme", "WFP"),
        ("North Atlantic Treaty Organization", "NATO"),
        ("Red Cross", "ICRC"),
        ("International Committee of the Red Cross", "ICRC"),
        ("African Union", "AU"),
        ("League of Arab States", "LAS"),
        ("Organization of Ibero-American States", "OEI"),
        ("Forum of East Asia–Latin America Cooperation", "FEALAC"),
        ("Comprehensive and Progressive Agreement for Trans-Pacific Partnership", "CPTPP"),
        ("Global Coalition to Defeat ISIS", "GCDI"),
        ("Global Coalition against Daesh", "GCDI"),
        ("anti-ISIS coalition", "GCDI"),
        ("ISIL", "ISIS"),
        ("Daesh", "ISIS"),
        ("Francophonie", "OIF"),
        ("Non-Aligned Movement", "NAMO"),
    ],
)
def test_actors_resolve_organisations_with_aliases(g: Gazetteer, name: str, code: str) -> None:
    assert g.resolve(name) == code
    assert g.kind(code) == "organisation"


def test_actors_resolve_codes_as_written(g: Gazetteer) -> None:
    assert [g.resolve(c) for c in ("BEL", "BE", "SYR", "SY", "XKX", "SUN", "XPRU", "NATO")] == [
        "BEL", "BEL", "SYR", "SYR", "XKX", "SUN", "XPRU", "NATO"
    ]  # fmt: skip
    assert g.resolve("AU") == "AU"  # the African Union's code, not Australia's alpha-2
    # lower-case codes are words, not codes
    assert [g.resolve(c) for c in ("in", "be", "and", "syr", "nordic")] == [None] * 5


def test_actors_resolve_unknown_or_ambiguous_is_none(g: Gazetteer) -> None:
    assert g.resolve("Atlantis") is None
    assert g.resolve("Congolese") is None  # both Congos
    assert g.resolve("Dominican") is None  # Dominica and the Dominican Republic
    assert g.resolve("Korea") is None
    assert g.resolve("papal") is None
    assert g.resolve("Apostolic") is None
    assert g.resolve("") is None


# find: names, adjectives, codes, organisations ------------------------------------------------------


def test_actors_find_names_with_offsets_into_the_text(g: Gazetteer) -> None:
    text = "Belgium's stance and Syria’s independence from France in 1946."
    mentions = g.find(text)
    assert mentions == [
        Mention(0, 7, "Belgium", "BEL", "name"),
        Mention(21, 26, "Syria", "SYR", "name"),
        Mention(47, 53, "France", "FRA", "name"),
    ]


def test_actors_find_in_a_region_gives_offsets_into_the_whole_text(g: Gazetteer) -> None:
    text = "Peru. Japan and Peru signed a treaty. Chile"
    assert [(m.start, m.end, m.code) for m in g.find(text, 6, 37)] == [(6, 11, "JPN"), (16, 20, "PER")]


def test_actors_find_official_names_and_the_longest_match(g: Gazetteer) -> None:
    text = (
        "Equatorial Guinea, Guinea-Bissau, Papua New Guinea and Guinea; the Democratic Republic of the "
        "Congo and the Republic of the Congo; the Kingdom of Prussia; "
        "the Turkish Republic of Northern Cyprus."
    )
    assert found(g, text) == [
        ("Equatorial Guinea", "GNQ", "name"),
        ("Guinea-Bissau", "GNB", "name"),
        ("Papua New Guinea", "PNG", "name"),
        ("Guinea", "GIN", "name"),
        ("Democratic Republic of the Congo", "COD", "name"),
        ("Republic of the Congo", "COG", "name"),
        ("Kingdom of Prussia", "XPRU", "name"),
        ("Turkish Republic of Northern Cyprus", "XNCY", "name"),
    ]


def test_actors_find_names_without_a_leading_the(g: Gazetteer) -> None:
    assert found(g, "The Gambia and the Netherlands") == [
        ("Gambia", "GMB", "name"),
        ("Netherlands", "NLD", "name"),
    ]


def test_actors_find_adjectives_and_plural_demonyms(g: Gazetteer) -> None:
    text = "Belgian-Syrian relations; Syrians in Belgium; Dutch and Swiss traders; Soviet troops"
    assert found(g, text) == [
        ("Belgian", "BEL", "adjective"),
        ("Syrian", "SYR", "adjective"),
        ("Syrians", "SYR", "adjective"),
        ("Belgium", "BEL", "name"),
        ("Dutch", "NLD", "adjective"),
        ("Swiss", "CHE", "adjective"),
        ("Soviet", "SUN", "adjective"),
    ]


def test_actors_find_combining_forms_before_another_actor(g: Gazetteer) -> None:
    text = "the First Sino-Japanese War, the Franco-Prussian War, Anglo-French ties, an Anglo-Saxon king"
    assert found(g, text) == [
        ("Sino", "CHN", "adjective"),
        ("Japanese", "JPN", "adjective"),
        ("Franco", "FRA", "adjective"),
        ("Prussian", "XPRU", "adjective"),
        ("Anglo", "GBR", "adjective"),
        ("French", "FRA", "adjective"),
    ]


def test_actors_find_reads_over_phrases_that_are_not_the_state(g: Gazetteer) -> None:
    text = "Latin American states, New Mexico, French Indo-China and the Austro-Hungarian navy"
    assert found(g, text) == [("French", "FRA", "adjective"), ("Austro-Hungarian", "XAHU", "adjective")]


def test_actors_find_no_lowercase_words(g: Gazetteer) -> None:
    assert found(g, "chad turkey china jordan us guinea fowl") == []
    assert found(g, "Chad, Turkey, China, Jordan") == [
        ("Chad", "TCD", "name"),
        ("Turkey", "TUR", "name"),
        ("China", "CHN", "name"),
        ("Jordan", "JOR", "name"),
    ]


def test_actors_find_codes_and_abbreviations_but_not_two_letter_iso_codes(g: Gazetteer) -> None:
    text = "IN BE AND CAN ETH US U.S. UK USSR USA GBR EU UN NATO"
    assert found(g, text) == [
        ("US", "USA", "code"),
        ("U.S.", "USA", "code"),
        ("UK", "GBR", "code"),
        ("USSR", "SUN", "code"),
        ("USA", "USA", "code"),
        ("GBR", "GBR", "code"),
        ("EU", "EU", "organisation"),
        ("UN", "UN", "organisation"),
        ("NATO", "NATO", "organisation"),
    ]


def test_actors_find_organisations_by_name_and_alias(g: Gazetteer) -> None:
    text = (
        "aid programs run by the United Nations, the Red Cross and UNHCR; the United Nations-led process; "
        "the European Union imposed sanctions; Belgium joined The Global Coalition to Defeat ISIS; "
        "the anti-ISIS coalition fought ISIS."
    )
    assert found(g, text) == [
        ("United Nations", "UN", "organisation"),
        ("Red Cross", "ICRC", "organisation"),
        ("UNHCR", "UNHCR", "organisation"),
        ("United Nations", "UN", "organisation"),
        ("European Union", "EU", "organisation"),
        ("Belgium", "BEL", "name"),
        ("Global Coalition to Defeat ISIS", "GCDI", "organisation"),
        ("anti-ISIS coalition", "GCDI", "organisation"),
        ("ISIS", "ISIS", "organisation"),
    ]


# find: capitals ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Damascus responded sharply.", [("Damascus", "SYR")]),
        ("Beijing and Tokyo agreed to talk.", [("Beijing", "CHN"), ("Tokyo", "JPN")]),
        ("Washington's decision surprised many.", [("Washington", "USA")]),
        ("relations between Moscow and Kyiv", [("Moscow", "RUS"), ("Kyiv", "UKR")]),
        ("Ankara later recalled its envoy.", [("Ankara", "TUR")]),
        ("The Beijing government protested.", [("Beijing", "CHN")]),
        ("talks with Tehran", [("Tehran", "IRN")]),
    ],
)
def test_actors_find_capital_that_stands_for_its_government(g: Gazetteer, text: str, expected) -> None:
    assert [(m.text, m.code) for m in g.find(text) if m.form == "capital"] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Belgium closed its embassy in Damascus in 2012.",
        "The company moved to Brussels.",
        "He flew from Beirut.",
        "a Brussels-based charity",
        "the Damascus embassy",
        "the Austrian Embassy is located in Washington, D.C.",
        "George Washington said so.",
        "the Moscow State University",
        "East Jerusalem",
        "in Beijing and Tokyo",
    ],
)
def test_actors_find_no_capital_that_names_a_place(g: Gazetteer, text: str) -> None:
    assert [m for m in g.find(text) if m.form == "capital"] == []


def test_actors_find_capitals_false_never_gives_capitals(g: Gazetteer) -> None:
    assert found(g, "Damascus responded.", capitals=False) == []


def test_actors_find_capital_that_is_the_state_name_is_a_name(g: Gazetteer) -> None:
    text = "Singapore and Luxembourg agreed, in Mexico City and Kuwait City."
    assert found(g, text) == [("Singapore", "SGP", "name"), ("Luxembourg", "LUX", "name")]


# the other lookups -------------------------------------------------------------------------------


def test_actors_name_adjective_capital_and_kind(g: Gazetteer) -> None:
    assert [g.name(c) for c in ("BEL", "SYR", "USA", "VAT", "SUN", "EU")] == [
        "Belgium", "Syria", "United States", "Holy See", "Soviet Union", "European Union"
    ]  # fmt: skip
    assert (g.adjective("BEL"), g.adjective("VAT"), g.adjective("COD"), g.adjective("EU")) == (
        "Belgian", "Vatican", "Congolese", None
    )  # fmt: skip
    assert (g.capital("BEL"), g.capital("USA"), g.capital("UN")) == ("Brussels", "Washington, D.C.", None)
    assert [g.kind(c) for c in ("SYR", "XNCY", "SUN", "XPRU", "ICRC")] == [
        "state", "state", "former-state", "former-state", "organisation"
    ]  # fmt: skip


def test_actors_unknown_code_raises_with_suggestions(g: Gazetteer) -> None:
    with pytest.raises(UnknownActorError) as err:
        g.name("Belgum")
    assert "Belgium" in err.value.suggestions


def test_actors_codes_are_states_current_and_former(g: Gazetteer) -> None:
    codes = g.codes()
    assert {"BEL", "SYR", "XKX", "TWN", "XNCY", "SUN", "YUG", "XPRU", "XOTT"} <= set(codes)
    assert "EU" not in codes and codes == sorted(codes)


@pytest.mark.parametrize(
    ("city", "code"),
    [
        ("Damascus", "SYR"),
        ("Washington, D.C.", "USA"),
        ("Washington", "USA"),
        ("Rome", "ITA"),
        ("Tel Aviv", "ISR"),
        ("Brasília", "BRA"),
        ("Brasilia", "BRA"),
        ("The Hague", "NLD"),
        ("Geneva", "CHE"),
        ("Johor Bahru", "MYS"),
        ("Singapore", "SGP"),
        ("Guatemala", "GTM"),
        ("North Nicosia", "XNCY"),
        ("Constantinople", "XOTT"),
        ("Atlantis", None),
    ],
)
def test_actors_city_state(g: Gazetteer, city: str, code: str | None) -> None:
    assert g.city_state(city) == code


def test_actors_suggest_close_names(g: Gazetteer) -> None:
    assert "Belgium" in g.suggest("Belgum")
    assert len(g.suggest("Belgum", n=2)) <= 2
    assert g.suggest("Zzzzzzzz") == []


def test_actors_default_is_built_once(g: Gazetteer) -> None:
    assert Gazetteer.default() is Gazetteer.default() is g


def test_actors_tables_report_every_problem_at_once() -> None:
    countries = {
        "version": 1,
        "colours": {},
        "states": {"ABCD": {"names": ["Freedonia"], "flag": "red"}, "BEL": {"names": "Belgium!"}},
        "former": {"XFOO": {"name": "Foo", "source": "ISO 3166-3"}},
        "cities": {"Atlantis": "ZZZ"},
    }
    organisations = {"version": 1, "organisations": {"eu": {"aliases": ["Freedonia"]}}}
    with pytest.raises(RulesError) as err:
        Gazetteer(countries, organisations)
    message = str(err.value)
    for problem in (
        "unknown table 'colours'",
        "[states.ABCD]: unknown key 'flag'",
        "[states.ABCD]: not an ISO alpha-3 code",
        "[states.ABCD]: 'name' is required",
        "'Belgium!' cannot be read in a text",
        "[former.XFOO]: 'source' must be",
        "[cities]: 'Atlantis' = 'ZZZ'",
        "[organisations.eu]: a code is 2-10 upper-case letters",
        "'Freedonia' is already a name of ABCD",
    ):
        assert problem in message


# the evaluation titles ----------------------------------------------------------------------------


def test_actors_dev_titles_resolve_to_the_gold_parties(g: Gazetteer) -> None:
    golds = sorted((SHARED / "eval" / "dev").glob("*.gold.json"))
    if not golds:
        pytest.skip(f"no evaluation articles at {SHARED / 'eval' / 'dev'}")
    for gold_path in golds:
        slug = gold_path.name.removesuffix(".gold.json")
        article = next(
            (
                p
                for p in (gold_path.with_name(slug + ".txt"), SHARED / "seed" / (slug + ".txt"))
                if p.exists()
            ),
            None,
        )
        assert article is not None, slug
        title = article.read_text(encoding="utf-8").splitlines()[0]
        sides = re.fullmatch(r"= (.+)–(.+) relations =", title)
        assert sides, title
        parties = json.loads(gold_path.read_text(encoding="utf-8"))["parties"]
        for side, gold in zip(sides.groups(), parties, strict=True):
            code = g.resolve(side)
            if gold.startswith("*"):  # a state without an ISO code: any project code will do
                assert code and g.kind(code) != "organisation" and not re.fullmatch(r"[A-Z]{3}", code), side
            else:
                assert code == gold, side
