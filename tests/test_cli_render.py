"""Tests of ``dyad map``, through dyad's own group."""

from __future__ import annotations

from click.testing import CliRunner

from dyad.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_cli_render_map_svg(tmp_path):
    out = tmp_path / "bel-syr.svg"
    result = run("map", "Belgium", "Syria", "-o", str(out))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    svg = out.read_text(encoding="utf-8")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600"')
    assert 'id="country-BEL"' in svg and 'id="country-SYR"' in svg


def test_cli_render_map_png_with_adjective_and_code(tmp_path):
    out = tmp_path / "bel-syr.PNG"
    result = run("map", "belgian", "SYR", "--output", str(out), "--width", "400", "--height", "300")
    assert (result.exit_code, result.stderr) == (0, "")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_render_map_unknown_format(tmp_path):
    out = tmp_path / "map.gif"
    result = run("map", "Belgium", "Syria", "-o", str(out))
    assert (result.exit_code, result.stderr) == (1, f"Error: {out}: unknown map format; use .svg or .png\n")
    assert not out.exists()


def test_cli_render_map_unknown_country(tmp_path):
    result = run("map", "Belgum", "Syria", "-o", str(tmp_path / "m.svg"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: unknown country or organisation 'Belgum'; did you mean Belgium")
    assert result.stderr.count("\n") == 1


def test_cli_render_map_same_country_twice(tmp_path):
    result = run("map", "Belgium", "Belgian", "-o", str(tmp_path / "m.svg"))
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: 'Belgium' and 'Belgian' are the same country (BEL); a locator map needs two\n",
    )


def test_cli_render_map_unwritable(tmp_path):
    out = tmp_path / "missing" / "m.svg"
    result = run("map", "Belgium", "Syria", "-o", str(out))
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {out}: cannot write: No such file or directory\n",
    )


def test_cli_render_map_needs_output():
    result = run("map", "Belgium", "Syria")
    assert result.exit_code == 2
    assert "Missing option '-o' / '--output'" in result.stderr
