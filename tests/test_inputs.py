"""Inputs that are no article: special files, unreadable files and folders, odd names and encodings.

Each gets one line ``Error: <path>: <problem>`` on stderr, the other inputs are still read, and the exit
status is 1. Commands that could block (a named pipe) run in a subprocess with a timeout, so a hang
fails the test instead of stopping the suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import dyad.read.files as files
from dyad.cli import main
from dyad.errors import InputError
from dyad.read.formats import load

ARTICLE = "= Belgium–Syria relations =\n\nBelgium and Syria established diplomatic relations in 1946.\n"
DYAD = [sys.executable, "-m", "dyad"]
TIMEOUT = 60  # seconds: far more than any of these runs takes, far less than forever


def article(path: Path, text: str = ARTICLE) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def dyad(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*DYAD, *args], capture_output=True, text=True, timeout=TIMEOUT, cwd=cwd)


def extracted_paths(stdout: str) -> list[str]:
    return [json.loads(line)["source"]["path"] for line in stdout.splitlines()]


# -- special files: never read, never waited for --


def test_extract_a_fifo_is_an_error_and_the_next_file_is_read(tmp_path):
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    good = article(tmp_path / "good.txt")
    result = dyad("extract", str(fifo), str(good))  # before: blocked forever on the pipe
    assert result.returncode == 1
    assert result.stderr == (
        f"Error: {fifo}: a named pipe (FIFO), not a regular file; dyad reads only regular files\n"
    )
    assert extracted_paths(result.stdout) == [str(good)]


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_extract_a_device_is_an_error_before_any_read(tmp_path, device):
    good = article(tmp_path / "good.txt")
    result = dyad("extract", device, str(good))  # before: read until memory ran out
    assert result.returncode == 1
    assert (
        result.stderr
        == f"Error: {device}: a character device, not a regular file; dyad reads only regular files\n"
    )
    assert extracted_paths(result.stdout) == [str(good)]


def test_ingest_with_a_fifo_stores_the_others_and_leaves_the_database_free(tmp_path):
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    good = article(tmp_path / "good.txt")
    db = tmp_path / "kb.duckdb"
    result = dyad("ingest", "--db", str(db), str(fifo), "/dev/zero", str(good))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"Error: {fifo}: a named pipe (FIFO), not a regular file; dyad reads only regular files",
        "Error: /dev/zero: a character device, not a regular file; dyad reads only regular files",
    ]
    assert result.stdout == f"1 added, 0 replaced, 0 unchanged, 2 failed; 1 facts written to {db}\n"
    assert dyad("sources", "--db", str(db), "--format", "json").returncode == 0  # nothing holds it


def test_a_file_is_read_at_most_to_the_limit_and_one_byte(tmp_path, monkeypatch):
    """A file that says it is small but goes on (it grows while read) is cut at the limit plus one byte."""
    big = tmp_path / "growing.txt"
    with big.open("wb") as f:
        f.truncate(files.MAX_BYTES + 4096)  # sparse: no disk used
    asked: list[int] = []

    class Spy:
        """The open file, counting what is read of it."""

        def __init__(self, f):
            self.f = f

        def fileno(self) -> int:
            return self.f.fileno()

        def read(self, n: int = -1) -> bytes:
            data = self.f.read(n)
            asked.append(len(data))
            return data

    class Small:
        st_size = 10  # what the file said when the read began

    with files.open_regular(str(big)) as f:
        monkeypatch.setattr(files.os, "fstat", lambda fd: Small())
        with pytest.raises(InputError) as raised:
            files.read_rest(Spy(f), str(big), b"")
    assert sum(asked) == files.MAX_BYTES + 1
    assert (
        raised.value.problem
        == "too large: over the limit of 20 MB (20,971,520 bytes); split it into smaller files"
    )


def test_too_large_says_the_real_size(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(files.MAX_BYTES + 1)
    with pytest.raises(InputError) as raised:
        load(str(big))
    assert raised.value.problem == (
        "too large: 20,971,521 bytes, over the limit of 20 MB (20,971,520 bytes); split it into smaller files"
    )


# -- unreadable files and folders: each its own line, the rest read --


@pytest.fixture
def unreadable(monkeypatch):
    """Make paths unreadable. Root reads everything whatever the mode, so the tests, which CI runs as
    root, make the system calls fail as they fail for a user without the right."""
    denied: set[str] = set()
    real_open, real_scandir = os.open, os.scandir

    def fake_open(path, flags, *args, **kwargs):
        if os.fspath(path) in denied:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    def fake_scandir(path="."):
        if os.fspath(path) in denied:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(os, "scandir", fake_scandir)
    return lambda path: denied.add(str(path))


def test_extract_unreadable_file_subfolder_and_folder(tmp_path, unreadable):
    top = tmp_path / "top"
    (top / "sub").mkdir(parents=True)
    locked = tmp_path / "locked"
    locked.mkdir()
    article(locked / "hidden.txt")
    good = article(top / "a.txt")
    secret = article(top / "secret.txt")
    article(top / "sub" / "b.txt")
    lone = article(tmp_path / "lone.txt")
    for path in (top / "sub", locked, secret, lone):
        unreadable(path)
    result = CliRunner().invoke(main, ["extract", str(lone), str(top), str(locked)])
    assert result.exit_code == 1  # before: a usage error (exit 2) and nothing read
    assert result.stderr.splitlines() == [
        f"Error: {lone}: permission denied; make the file readable",
        f"Error: {top / 'sub'}: cannot list the directory (Permission denied); make it readable",
        f"Error: {secret}: permission denied; make the file readable",
        f"Error: {locked}: cannot list the directory (Permission denied); make it readable",
    ]
    assert extracted_paths(result.stdout) == [str(good)]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_extract_unreadable_by_mode(tmp_path):
    good = article(tmp_path / "good.txt")
    secret = article(tmp_path / "secret.txt")
    secret.chmod(0)
    result = dyad("extract", str(secret), str(good))
    assert result.returncode == 1
    assert result.stderr == f"Error: {secret}: permission denied; make the file readable\n"
    assert extracted_paths(result.stdout) == [str(good)]


# -- names and encodings --


def test_extract_empty_path_does_not_read_the_current_folder(tmp_path):
    article(tmp_path / "here.txt")
    result = dyad("extract", "", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == "Error: '': an empty path; name a file or a directory\n"


def test_extract_symlink_loop_and_dangling_link(tmp_path):
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "gone.txt")
    good = article(tmp_path / "good.txt")
    result = CliRunner().invoke(main, ["extract", str(loop), str(dangling), str(good)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {loop}: a loop of symbolic links (a link that leads back to itself); fix or remove the link",
        f"Error: {dangling}: a symbolic link to nothing (its target is missing)",
    ]
    assert extracted_paths(result.stdout) == [str(good)]


def test_a_file_name_with_a_newline_stays_on_one_line(tmp_path):
    odd = tmp_path / "two\nlines.txt"
    odd.write_bytes(b"\x00\x01binary")
    result = CliRunner().invoke(main, ["extract", str(odd)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path}/two\\nlines.txt: binary file, not an article\n"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("\ufeff" + ARTICLE, None),  # UTF-8 with a byte-order mark is read
        (ARTICLE.encode("utf-32"), "not UTF-8 text (a UTF-32 byte-order mark); convert it to UTF-8"),
        (ARTICLE.encode("utf-32-be") and b"\x00\x00\xfe\xff" + ARTICLE.encode("utf-32-be"),
         "not UTF-8 text (a UTF-32 byte-order mark); convert it to UTF-8"),
        (ARTICLE.encode("utf-16"), "not UTF-8 text (a UTF-16 byte-order mark); convert it to UTF-8"),
        (ARTICLE.replace("\n", "\r").encode(),
         "its lines end with a carriage return alone (old Mac line endings); convert them to line feeds"),
    ],
    ids=["utf8-bom", "utf32-le", "utf32-be", "utf16", "cr-only"],
)  # fmt: skip
def test_encodings_and_line_endings(tmp_path, data, problem):
    path = tmp_path / "a.txt"
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    result = CliRunner().invoke(main, ["extract", str(path)])
    if problem is None:
        assert result.exit_code == 0 and extracted_paths(result.stdout) == [str(path)]
    else:
        assert (result.exit_code, result.stderr) == (1, f"Error: {path}: {problem}\n")
