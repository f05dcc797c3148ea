"""Tests of dyad.kb: ingest, show, timeline, facts, and the helpers the other knowledge-base tests share.

Articles for these tests are written in a small line language read by :func:`mini_extract`, which stands
in for the real extractor so that each test states exactly the facts it stores::

    = Belgium–Syria relations =
    parties BEL SYR
    mission BEL SYR | kind=embassy | city=Damascus | end=2012

Each fact line is ``type actor target | key=value | ...``; ``start``, ``end``, ``date`` and
``confidence`` are the fact's own fields, a value with commas is a list, and the evidence is the line.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path

import pytest

import dyad.kb as kb_module
from dyad.errors import DyadError, InputError, UnknownActorError
from dyad.model import Document, Evidence, Fact, Source
from dyad.read.types import Article
from dyad.resolve.actors import Gazetteer

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "belgium-syria-relations.txt"


def gazetteer() -> Gazetteer:
    return Gazetteer.default()


# -- the line language --


def _value(text: str):
    return [v.strip() for v in text.split(",")] if "," in text else text


def mini_document(article: Article, *, sha256: str | None = None) -> Document:
    """The extractor the knowledge base is given in these tests: an article read by the real reader (the
    line language's first line is an article title), its facts read from its text in the line language."""
    return mini_parse(article.text, article.path, sha256)


def mini_extract(path: str) -> Document:
    """Read an article file in the test line language (see the module doc) into a Document."""
    p = Path(path)
    if not p.exists():
        raise InputError(str(path), "no such file or directory")
    data = p.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(str(path), "not UTF-8 text") from None
    return mini_parse(text, str(path), hashlib.sha256(data).hexdigest())


def mini_parse(text: str, path: str, sha256: str | None) -> Document:
    """A Document of the facts a text in the line language states, each with its line as evidence."""
    lines = text.splitlines(keepends=True)
    if not lines or not lines[0].startswith("= "):
        raise InputError(str(path), "no title line: the first line must read '= A–B relations ='")
    title = lines[0].strip().strip("=").strip()
    parties = ("BEL", "SYR")
    facts = []
    offset = len(lines[0])
    for line in lines[1:]:
        body = line.rstrip("\n")
        if body.startswith("parties "):
            a, b = body.split()[1:3]
            parties = (a, b)
        elif body.strip():
            head, *pairs = [part.strip() for part in body.split("|")]
            type_, actor, target = head.split()
            fields = dict(pair.split("=", 1) for pair in pairs)
            own = {k: fields.pop(k) for k in ("start", "end", "date", "confidence") if k in fields}
            facts.append(
                Fact(
                    type=type_,
                    actor=actor,
                    target=target,
                    attrs={k: _value(v) for k, v in fields.items()},
                    evidence=(Evidence("Body", offset, offset + len(body), body),),
                    start=own.get("start"),
                    end=own.get("end"),
                    date=own.get("date"),
                    confidence=float(own.get("confidence", 0.9)),
                    rule="test@1",
                )
            )
        offset += len(line)
    digest = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    source = Source(str(path), title, "article", digest)
    return Document(source, parties, tuple(facts))


def write(path: Path, title: str, *lines: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([f"= {title} =", *lines]) + "\n", encoding="utf-8")
    return path


BASE = (
    "parties BEL SYR",
    "relations BEL SYR | status=established | start=1946-03-20",
    "mission BEL SYR | kind=embassy | city=Damascus | end=2012",
    "mission SYR BEL | kind=embassy | city=Brussels",
    "envoy BEL SYR | person=M.R. Taymans | rank=charge-d-affaires | residence=Beirut | start=1946-03-20",
    "trade SYR BEL | goods=textiles,phosphates | trend=growing | start=200X | end=2011",
    "sanctions BEL SYR | scope=officials,businesses | via=EU | start=2011",
    "statement BEL SYR | stance=condemn | subject=the government’s actions | date=2011",
    "statement BEL SYR | stance=support | subject=the UN-led peace process",
    "migration SYR BEL | kind=asylum-seekers | date=2020",
    "membership BEL GCDI",
)


@pytest.fixture
def mini(monkeypatch):
    """Knowledge bases opened in the test (the CLI's and the web's too) extract with mini_document."""
    monkeypatch.setattr(kb_module, "extract_article", mini_document)


@pytest.fixture
def kb(tmp_path, mini):
    with kb_module.open(tmp_path / "kb.duckdb") as k:
        yield k


@pytest.fixture
def base(tmp_path, kb):
    path = write(tmp_path / "a" / "belgium-syria.txt", "Belgium–Syria relations", *BASE)
    report = kb.ingest([path])
    assert report.ok
    return path


def lines_of(entries):
    return [(e.type, e.actor, e.target, e.start, e.end, e.date, e.status) for e in entries]


# -- open --


def test_kb_open_default_path_from_env(tmp_path, monkeypatch):
    monkeypatch.setenv("DYAD_DB", str(tmp_path / "env.duckdb"))
    assert kb_module.default_path() == tmp_path / "env.duckdb"
    with kb_module.open() as k:
        assert k.path == tmp_path / "env.duckdb"
    assert (tmp_path / "env.duckdb").exists()


def test_kb_open_default_path_in_user_data_dir(monkeypatch):
    monkeypatch.delenv("DYAD_DB", raising=False)
    path = kb_module.default_path()
    assert path.name == "dyad.duckdb"
    assert path.parent.name == "dyad"


# -- ingest --


def test_kb_ingest_reports_each_file(tmp_path, kb):
    a = write(tmp_path / "d" / "a.txt", "A", "mission BEL SYR | kind=embassy | city=Damascus")
    b = write(
        tmp_path / "d" / "b.txt", "B", "mission SYR BEL | kind=embassy | city=Brussels", "membership BEL GCDI"
    )
    bad = tmp_path / "d" / "bad.txt"
    bad.write_bytes(b"= B =\n\xff mission BEL SYR\n")
    report = kb.ingest([tmp_path / "d", tmp_path / "missing.txt"])
    assert [(r.path, r.status, r.facts) for r in report.results] == [
        (str(tmp_path / "missing.txt"), "error", 0),
        (str(a), "added", 1),
        (str(b), "added", 2),
        (str(bad), "error", 0),
    ]
    assert [str(r.error) for r in report.errors] == [
        f"{tmp_path / 'missing.txt'}: no such file or directory",
        f"{bad}: not UTF-8 text (byte 0xFF at offset 6); convert it to UTF-8",
    ]
    assert not report.ok
    assert report.facts == 3
    assert [s.path for s in kb.sources()] == [str(a), str(b)]


def test_kb_ingest_same_source_twice_is_unchanged(tmp_path, kb, base):
    before = kb.store.counts()
    report = kb.ingest([base, tmp_path / "a"])
    assert [(r.path, r.status) for r in report.results] == [(str(base), "unchanged")]
    assert kb.store.counts() == before == {"sources": 1, "facts": 10, "evidence": 10}


def test_kb_ingest_same_file_by_relative_path_is_one_source(tmp_path, kb, base, monkeypatch):
    monkeypatch.chdir(tmp_path)
    report = kb.ingest(["a/../a/belgium-syria.txt"])
    assert [r.status for r in report.results] == ["unchanged"]
    assert len(kb.sources()) == 1


def test_kb_ingest_changed_source_replaces_its_facts(tmp_path, kb, base):
    write(
        base, "Belgium–Syria relations", "parties BEL SYR", "mission BEL SYR | kind=embassy | city=Damascus"
    )
    report = kb.ingest([base])
    assert [(r.status, r.facts) for r in report.results] == [("replaced", 1)]
    assert kb.store.counts() == {"sources": 1, "facts": 1, "evidence": 1}
    [source] = kb.sources()
    assert source.sha256 == hashlib.sha256(base.read_bytes()).hexdigest()
    assert [sf.fact.end for sf in kb.facts("BEL", "SYR")] == [None]


def test_kb_ingest_progress(tmp_path, kb):
    write(tmp_path / "d" / "a.txt", "A", "mission BEL SYR | kind=embassy")
    write(tmp_path / "d" / "b.txt", "B", "mission SYR BEL | kind=embassy")
    calls = []

    class Bar:
        def __init__(self, total):
            calls.append(("total", total))

        def update(self, n):
            calls.append(("update", n))

        def close(self):
            calls.append(("close",))

    kb.ingest([tmp_path / "d"], progress=Bar)
    assert calls == [("total", 2), ("update", 1), ("update", 1), ("close",)]


def test_kb_ingest_stores_text_and_actors(tmp_path, kb, base):
    source = kb.source(str(base))
    assert source.text == base.read_text(encoding="utf-8")
    assert source.parties == ("BEL", "SYR")
    [sf] = kb.facts("BEL", "GCDI")
    ev = sf.fact.evidence[0]
    assert source.text[ev.start : ev.end] == ev.quote == "membership BEL GCDI"
    actors = kb.store.actors()
    assert actors["BEL"] == ("Belgium", "state")
    assert actors["GCDI"][1] == "organisation"


# -- show --


def test_kb_show_at_dates(kb, base):
    # The Damascus embassy's opening is not stated: unknown while relations hold, no once closed in 2012.
    at_2010 = kb.show("BEL", "SYR", at="2010")
    assert lines_of(at_2010.sections["missions"]) == [
        ("mission", "BEL", "SYR", None, "2012", None, "unknown"),
        ("mission", "SYR", "BEL", None, None, None, "unknown"),
    ]
    at_2013 = kb.show("Syria", "Belgian", at="2013")
    assert (at_2013.a, at_2013.b, at_2013.at) == ("SYR", "BEL", "2013")
    assert lines_of(at_2013.sections["missions"]) == [
        ("mission", "SYR", "BEL", None, None, None, "unknown"),
        ("mission", "BEL", "SYR", None, "2012", None, "no"),
    ]


def test_kb_show_end_year_is_closed_during_that_year(kb, base):
    """An end '2012' is closed at 2012 and at any day of 2012, not yet at 2011-12-31."""

    def value(at):
        [m] = [m for m in kb.show("BEL", "SYR", at=at).answers.missions if m.fields["sender"] == "BEL"]
        return m.answer.value

    assert [value(at) for at in ("2011", "2011-12-31", "2012", "2012-01", "2012-06-15", "2013")] == [
        "unknown", "unknown", "no", "no", "no", "no",
    ]  # fmt: skip


def test_kb_show_start_in_at_year_is_in_force(kb, base):
    def sanctions(at):
        return [i.answer.value for i in kb.show("BEL", "SYR", at=at).answers.sanctions]

    assert sanctions("2010") == ["no"]
    assert sanctions("2011") == ["yes"]
    assert kb.show("BEL", "SYR", at="1946-03-19").answers.relations.value == "no"
    assert kb.show("BEL", "SYR", at="1946-03").answers.relations.value == "yes"


def test_kb_show_events_up_to_at(kb, base):
    state = kb.show("BEL", "SYR", at="2015")
    assert [(e.attrs["stance"], e.date, e.status) for e in state.sections["statements"]] == [
        ("condemn", "2011", "event"),
        ("support", None, "undated"),
    ]
    assert state.sections["migration"] == ()
    assert [e.status for e in kb.show("BEL", "SYR", at="2020").sections["migration"]] == ["event"]


def test_kb_show_natural_date(kb, base):
    assert kb.show("BEL", "SYR", at="20 March 1946").at == "1946-03-20"


def test_kb_show_bad_date(kb, base):
    with pytest.raises(DyadError) as e:
        kb.show("BEL", "SYR", at="soon")
    assert str(e.value) == (
        "cannot read the date 'soon'; give a year (2013), a month (2013-05) or a day (20 March 1946)"
    )


def test_kb_show_unknown_name_lists_closest(kb, base):
    with pytest.raises(UnknownActorError) as e:
        kb.show("Belgum", "SYR")
    assert e.value.suggestions == gazetteer().suggest("Belgum")
    assert "Belgium" in e.value.suggestions


def test_kb_show_same_country_twice(kb, base):
    with pytest.raises(DyadError) as e:
        kb.show("Belgium", "BEL")
    assert str(e.value) == "'Belgium' and 'BEL' are both BEL; name two different countries"


def test_kb_show_organisation_known_to_kb(kb, base):
    state = kb.show("BEL", "GCDI")
    assert [e.type for e in state.sections["memberships"]] == ["membership"]
    assert state.names["GCDI"] == gazetteer().name("GCDI")


# -- disagreement --


@pytest.fixture
def disputed(tmp_path, kb, base):
    other = write(
        tmp_path / "b" / "other.txt",
        "Syria and Belgium",
        "parties SYR BEL",
        "relations SYR BEL | status=established | start=1947",
        "mission BEL SYR | kind=embassy | city=Damascus",
        "mission SYR BEL | kind=embassy | city=Brussels | start=1950",
    )
    assert kb.ingest([other]).ok
    return other


def test_kb_disagreement_kept_and_marked(kb, disputed):
    state = kb.show("BEL", "SYR", at="2013")
    missions = state.sections["missions"]
    # One source says the Damascus embassy is open (undated), the other that it closed in 2012: the
    # mission is closed by the dated closing; both claims are listed, each naming the other's source.
    assert [(e.actor, e.status, [s.title for s in e.sources]) for e in missions] == [
        ("BEL", "no", ["Belgium–Syria relations"]),
        ("BEL", "no", ["Syria and Belgium"]),
        ("SYR", "yes", ["Belgium–Syria relations", "Syria and Belgium"]),
    ]
    closed, open_, agreed = missions
    assert [(d.end, [s.title for s in d.sources]) for d in open_.disputes] == [
        ("2012", ["Belgium–Syria relations"])
    ]
    assert [(d.end, [s.title for s in d.sources]) for d in closed.disputes] == [(None, ["Syria and Belgium"])]
    assert agreed.disputes == () and agreed.start == "1950"
    relations = state.sections["relations"]
    assert [(e.start, len(e.disputes)) for e in relations] == [("1946-03-20", 1), ("1947", 1)]


def test_kb_agreeing_sources_make_one_entry_with_the_most_precise_date(tmp_path, kb, base):
    write(tmp_path / "c" / "c.txt", "C", "relations BEL SYR | status=established | start=1946")
    kb.ingest([tmp_path / "c"])
    [entry] = kb.show("BEL", "SYR").sections["relations"]
    assert entry.start == "1946-03-20" and entry.disputes == ()
    assert [s.title for s in entry.sources] == ["Belgium–Syria relations", "C"]


def test_kb_same_source_two_periods_are_no_disagreement(tmp_path, kb):
    write(
        tmp_path / "a.txt",
        "A",
        "mission BEL SYR | kind=embassy | city=Damascus | start=1950 | end=1967",
        "mission BEL SYR | kind=embassy | city=Damascus | start=1974",
    )
    write(tmp_path / "b.txt", "B", "mission BEL SYR | kind=embassy | city=Damascus | start=1974")
    kb.ingest([tmp_path / "a.txt", tmp_path / "b.txt"])
    entries = kb.timeline("BEL", "SYR").events
    assert [(ev.when, ev.kind, ev.entry.disputes) for ev in entries] == [
        ("1950", "start", ()),
        ("1967", "end", ()),
        ("1974", "start", ()),
    ]


# -- timeline --


def test_kb_timeline_order(kb, base):
    tl = kb.timeline("SYR", "BEL")
    assert [(ev.when, ev.kind, ev.entry.type) for ev in tl.events] == [
        ("1946-03-20", "start", "relations"),
        ("1946-03-20", "start", "envoy"),
        ("200X", "start", "trade"),
        ("2011", "end", "trade"),
        ("2011", "start", "sanctions"),
        ("2011", "date", "statement"),
        ("2012", "end", "mission"),
        ("2020", "date", "migration"),
    ]
    assert [e.type for e in tl.undated] == ["mission", "statement"]


def test_kb_timeline_wider_period_first(tmp_path, kb):
    write(
        tmp_path / "a.txt",
        "A",
        "visit BEL SYR | person=X | date=2000-05",
        "visit BEL SYR | person=Y | date=2000",
        "visit BEL SYR | person=Z | date=200X",
    )
    kb.ingest([tmp_path / "a.txt"])
    assert [ev.when for ev in kb.timeline("BEL", "SYR").events] == ["200X", "2000", "2000-05"]


# -- facts, pairs, sources --


def test_kb_facts_filters(kb, base):
    assert len(kb.facts()) == 10
    assert len(kb.facts("BEL")) == 10
    assert len(kb.facts("Belgian", "Syria")) == 9
    assert [sf.fact.type for sf in kb.facts("SYR", type="mission")] == ["mission", "mission"]
    # A time filter keeps facts whose span meets it; a fact with no date never matches one.
    assert [(sf.fact.type, sf.fact.start, sf.fact.end, sf.fact.date) for sf in kb.facts(since="2012")] == [
        ("relations", "1946-03-20", None, None),
        ("mission", None, "2012", None),
        ("envoy", "1946-03-20", None, None),
        ("sanctions", "2011", None, None),
        ("migration", None, None, "2020"),
    ]
    assert [sf.fact.type for sf in kb.facts(since="2012", until="2019")] == [
        "relations",
        "mission",
        "envoy",
        "sanctions",
    ]
    assert [sf.fact.type for sf in kb.facts(until="1946")] == ["relations", "mission", "envoy"]


def test_kb_facts_bad_type(kb, base):
    with pytest.raises(DyadError) as e:
        kb.facts(type="war")
    assert str(e.value).startswith("unknown fact type 'war'; the types are relations, mission,")


def test_kb_pairs_and_sources(kb, base):
    assert [(p.a, p.b, p.facts, p.sources) for p in kb.pairs()] == [
        ("BEL", "GCDI", 1, 1),
        ("BEL", "SYR", 9, 1),
    ]
    [source] = kb.sources()
    assert (source.path, source.title, source.facts) == (str(base), "Belgium–Syria relations", 10)


def test_kb_source_missing(kb, base):
    with pytest.raises(DyadError) as e:
        kb.source("nowhere.txt")
    assert str(e.value) == "nowhere.txt: not in the knowledge base; 'dyad sources' lists what it holds"


# -- the seed --


@pytest.fixture
def seeded(tmp_path):
    if not SEED.exists():
        pytest.skip("../shared (the seed article) is not beside the project")
    with kb_module.open(tmp_path / "seed.duckdb") as k:
        report = k.ingest([SEED])
        assert report.ok, report.errors
        yield k


def _mission(state, actor, city):
    [m] = [m for m in state.answers.missions if m.fields["sender"] == actor and m.fields["city"] == city]
    return m.fields["kind"], m.answer.value


def test_kb_seed_show_embassies(seeded):
    at_2010 = seeded.show("BEL", "SYR", at="2010")
    at_2013 = seeded.show("BEL", "SYR", at="2013")
    # The seed dates neither embassy's opening: unknown while relations hold; Damascus closed in 2012.
    assert _mission(at_2010, "BEL", "Damascus") == ("embassy", "unknown")
    assert _mission(at_2013, "BEL", "Damascus") == ("embassy", "no")
    assert _mission(at_2010, "SYR", "Brussels") == ("embassy", "unknown")
    assert _mission(at_2013, "SYR", "Brussels") == ("embassy", "unknown")


def test_kb_seed_timeline_starts_1946(seeded):
    events = seeded.timeline("Belgium", "Syria").events
    assert events[0].when == "1946-03-20"
    assert events[0].entry.type == "relations"


# -- atomicity under a kill --

_KILL_SCRIPT = """
import sys
sys.path.insert(0, {tests!r})
import test_kb
import dyad.ingest
import dyad.kb as kb

dyad.ingest.INGEST_BATCH_FILES = {batch}



class Bar:
    def __init__(self, total):
        pass

    def update(self, n):
        print("done", flush=True)

    def close(self):
        pass


with kb.open({db!r}, extract=test_kb.mini_document) as k:
    k.ingest([{articles!r}], progress=Bar)
"""


def _version(v: int, i: int) -> tuple[str, ...]:
    """Article i in version v: version 1 states 2 facts, version 2 states 6 others."""
    if v == 1:
        return (
            "parties BEL SYR",
            f"visit BEL SYR | person=P{i} | date=1990",
            "mission BEL SYR | kind=embassy",
        )
    return ("parties BEL SYR", *(f"visit SYR BEL | person=Q{i}-{j} | date=200{j}" for j in range(6)))


def _stored(k) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    for sf in k.facts():
        f = sf.fact
        out.setdefault(sf.source.path, []).append((f.type, f.actor, f.target, dict(f.attrs), f.date, f.end))
    return out


def _expected(path: Path) -> list[tuple]:
    return [(f.type, f.actor, f.target, dict(f.attrs), f.date, f.end) for f in mini_extract(str(path)).facts]


@pytest.mark.parametrize(("batch", "read", "written"), [(1, 3, 3), (4, 5, 4)])
def test_kb_ingest_atomic_under_kill(tmp_path, kb, batch, read, written):
    """SIGKILL in the middle of an ingest leaves every source fully old or fully new, and loses at most
    the batch being written (sources are written ``batch`` at a time, each batch one transaction)."""
    import signal
    import subprocess

    articles = tmp_path / "articles"
    paths = [write(articles / f"a{i:02d}.txt", f"A{i}", *_version(1, i)) for i in range(12)]
    assert kb.ingest([articles]).ok
    old = {str(p): (_expected(p), hashlib.sha256(p.read_bytes()).hexdigest()) for p in paths}
    kb.close()
    for i, p in enumerate(paths):
        write(p, f"A{i}", *_version(2, i))
    new = {str(p): (_expected(p), hashlib.sha256(p.read_bytes()).hexdigest()) for p in paths}

    script = _KILL_SCRIPT.format(
        tests=str(Path(__file__).parent), db=str(kb.path), articles=str(articles), batch=batch
    )
    env = {**os.environ, "DYAD_TEST_SLOW": "0.05"}  # 6 facts: 0.3 s a source inside each transaction
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, env=env)
    try:
        for _ in range(read):  # a file is "done" once read; its batch is written when full
            assert proc.stdout.readline() == b"done\n"
        time.sleep(0.12)  # into the next batch's transaction
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL

    with kb_module.open(kb.path, read_only=True) as k:
        stored = _stored(k)
        shas = {s.path: s.sha256 for s in k.sources()}
        counts = k.store.counts()
    states = []
    for path in map(str, paths):
        for name, (facts, sha) in (("old", old[path]), ("new", new[path])):
            if stored[path] == facts and shas[path] == sha:
                states.append(name)
                break
        else:
            pytest.fail(f"{path} is neither fully old nor fully new: {stored[path]}")
    assert states == ["new"] * written + ["old"] * (12 - written)
    facts = written * 6 + (12 - written) * 2
    assert counts == {"sources": 12, "facts": facts, "evidence": facts}
