"""Tests of ``dyad profile`` and ``dyad chart``, through dyad's own group.

The knowledge base holds the project's own example article about Belgium and Syria (examples/).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

import dyad
from dyad.cli import main
from dyad.pipeline import extract_text

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "belgium-syria-relations.txt"


@pytest.fixture(scope="module")
def kb_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("kb") / "kb.duckdb"
    with dyad.kb.open(path) as kb:
        assert kb.ingest([EXAMPLE]).ok
    return path


@pytest.fixture
def db(kb_file, monkeypatch):
    monkeypatch.setenv("DYAD_DB", str(kb_file))
    return kb_file


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_cli_profile_article(db):
    result = run("profile", "Belgium", "Syria")
    assert result.exit_code == 0
    assert result.output.startswith(
        "= Belgium–Syria relations =\n"
        "\n"
        "Infobox\n"
        "- Title: Belgian–Syrian relations\n"
        "- Map: Belgium Syria Locator.svg\n"
        "- Party1: Belgium\n"
        "- Party2: Syria\n"
        "- Mission2: Embassy of Syria, Brussels\n"
        "- Envoytitle1: Chargé d'Affaires\n"
        "\n"
        "Belgium and Syria established diplomatic relations on 20 March 1946.[1]\n"
    )
    assert re.search(
        r"\n==Sanctions==\n\nThe European Union imposed sanctions on Syria in May 2011.\[\d+\]\n",
        result.output,
    )


def test_cli_profile_article_reads_back_into_the_facts(db):
    with dyad.kb.open(db, read_only=True) as kb:
        stored = sorted(
            repr((f.fact.type, f.fact.start, f.fact.end, f.fact.date))
            for f in kb.facts("BEL", "SYR")
            if f.fact.polarity == "asserted"
        )
    again = extract_text(run("profile", "BEL", "SYR").output, "profile.txt")
    pair = [f for f in again.facts if {f.actor, f.target} == {"BEL", "SYR"} and f.polarity == "asserted"]
    assert sorted(repr((f.type, f.start, f.end, f.date)) for f in pair) == stored


def test_cli_profile_at(db):
    result = run("profile", "BEL", "SYR", "--at", "2010")
    # the Damascus embassy's opening is not stated: as of 2010 the profile does not say it is there
    assert "Mission1" not in result.output
    assert "Belgium and Syria established diplomatic relations on 20 March 1946." in result.output
    assert "Sanctions" not in result.output
    assert "- Mission1: Embassy of Belgium, Damascus\n" not in run("profile", "BEL", "SYR").output


def test_cli_profile_markdown(db):
    result = run("profile", "Belgian", "Syrian", "--format", "markdown")
    assert result.exit_code == 0
    assert result.output.startswith("# Belgium–Syria relations\n")
    assert "Belgium and Syria established diplomatic relations on 20 March 1946.[^1]\n" in result.output


def test_cli_profile_html_to_a_file(db, tmp_path):
    out = tmp_path / "profile.html"
    result = run("profile", "BEL", "SYR", "--format", "html", "-o", str(out))
    assert (result.exit_code, result.output) == (0, "")
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert 'class="dyad-chart"' in page and ">Facts</h2>" in page


def test_cli_chart(db, tmp_path):
    out = tmp_path / "chart.svg"
    result = run("chart", "Belgium", "Syria", "-o", str(out))
    assert (result.exit_code, result.output) == (0, "")
    root = ET.parse(out).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    lanes = [
        g.get("data-lane") for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "lane"
    ]
    assert lanes[0] == "Diplomatic relations"


def test_cli_chart_to_stdout(db):
    result = run("chart", "BEL", "SYR")
    assert result.output.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="dyad-chart"')


@pytest.mark.parametrize("command", ["profile", "chart"])
def test_cli_no_facts_is_an_answer_not_an_error(db, command, tmp_path):
    out = tmp_path / "out.file"
    result = CliRunner().invoke(main, [command, "Belgium", "Japan", "-o", str(out)])
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "",
        "dyad: No facts about Belgium and Japan; 'dyad pairs' lists the pairs the knowledge base holds.\n",
    )
    assert not out.exists()


@pytest.mark.parametrize("command", ["profile", "chart"])
def test_cli_no_facts_names_the_sources_read(tmp_path, monkeypatch, command):
    article = tmp_path / "belgium-japan.txt"
    article.write_text("= Belgium–Japan relations =\n\nThe two countries are far apart.\n", encoding="utf-8")
    monkeypatch.setenv("DYAD_DB", str(tmp_path / "kb.duckdb"))
    assert CliRunner().invoke(main, ["ingest", str(article)]).exit_code == 0
    result = CliRunner().invoke(main, [command, "Japan", "Belgium"])
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "",
        f"dyad: No facts about Japan and Belgium in the sources read about them: "
        f"Belgium–Japan relations ({article}).\n",
    )


@pytest.mark.parametrize("command", ["profile", "chart"])
def test_cli_unknown_country(db, command):
    result = CliRunner().invoke(main, [command, "Belgium", "Narnia"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: unknown country or organisation 'Narnia'; did you mean ")


def test_cli_same_country_twice(db):
    result = CliRunner().invoke(main, ["profile", "Belgium", "BEL"])
    assert (result.exit_code, result.output) == (
        1,
        "Error: 'Belgium' and 'BEL' are both BEL; name two different countries\n",
    )


def test_cli_profile_unwritable_output(db, tmp_path):
    out = tmp_path / "missing" / "profile.txt"
    result = CliRunner().invoke(main, ["profile", "BEL", "SYR", "-o", str(out)])
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {out}: cannot write the file (No such file or directory)\n",
    )


def test_cli_profile_no_knowledge_base(tmp_path, monkeypatch):
    monkeypatch.setenv("DYAD_DB", str(tmp_path / "none.duckdb"))
    result = CliRunner().invoke(main, ["profile", "BEL", "SYR"])
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {tmp_path / 'none.duckdb'}: no knowledge base there; run 'dyad ingest' first\n",
    )


def test_cli_profile_help_lists_the_formats():
    result = run("profile", "--help")
    assert "[article|markdown|html]" in result.output and "DYAD_DB" in result.output
