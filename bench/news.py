#!/usr/bin/env python3
"""Throughput of the news reader end to end, on one core (not part of the test suite).

Generates stories from templates written for this benchmark (pairs of real countries, invented
events, the words our own), then times, each on one core:

1. a JSON Lines file of at least ``--mb`` MB of stories (default 50), streamed through
   ``dyad.pipeline.extract_items`` (read, detect, news reader, relative dates, extraction) with each
   document written out as JSON, as ``dyad extract --format json`` does;
2. the same stories as plain-text files (``--files`` of them, default 2,000), each read from disk
   and detected by content;
3. a WARC file (``--warc-mb``, default 10) of the stories as HTML pages, read with warcio and
   trafilatura end to end.

    .venv/bin/python bench/news.py                   # 50 MB, 2,000 files, 10 MB of WARC
    .venv/bin/python bench/news.py --mb 5 --warc-mb 2 --files 200

Prints stories/s, MB/s (of input), facts and peak memory for each, against the target of 1 MB/s.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MB = 1_000_000
TARGET_MBPS = 1.0

# (name, adjective, capital) of each country the stories are about.
COUNTRIES = [
    ("Kenya", "Kenyan", "Nairobi"), ("Tanzania", "Tanzanian", "Dodoma"), ("Chile", "Chilean", "Santiago"),
    ("Peru", "Peruvian", "Lima"), ("Ghana", "Ghanaian", "Accra"), ("Togo", "Togolese", "Lome"),
    ("Norway", "Norwegian", "Oslo"), ("Sweden", "Swedish", "Stockholm"), ("Japan", "Japanese", "Tokyo"),
    ("Vietnam", "Vietnamese", "Hanoi"), ("Brazil", "Brazilian", "Brasilia"),
    ("Argentina", "Argentine", "Buenos Aires"), ("Poland", "Polish", "Warsaw"),
    ("Lithuania", "Lithuanian", "Vilnius"), ("Egypt", "Egyptian", "Cairo"), ("Sudan", "Sudanese", "Khartoum"),
]  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")  # fmt: skip
AGENCIES = ("Reuters", "AP", "AFP")
HEADLINES = (
    "{A} and {B} hold talks on trade", "{A} imposes sanctions on {B}", "{A} and {B} sign energy agreement",
    "{AdjA} president visits {B}", "{B} condemns {A} over border closure", "{A} pledges aid to {B}",
)  # fmt: skip
EVENTS = (
    "The foreign ministers of {A} and {B} met in {CapA} {when} to discuss trade across the border.",
    "{A} imposed sanctions on {B} {when} over the dispute about fishing rights.",
    "{A} and {B} signed an agreement on energy cooperation {when}.",
    "The {AdjA} president visited {B} {when} for two days of talks.",
    "{B} condemned {A} {when} for closing the border crossing.",
    "{A} pledged 5 million dollars in aid to {B} {when} after the floods.",
    "{A} praised {B} {when} for its help in the negotiations.",
)
FILLER = (
    "Officials on both sides described the atmosphere as businesslike, though several questions were left "
    "for later rounds.",
    "Traders in the border towns said the uncertainty of recent months had cut their sales by a third.",
    "Analysts in {CapB} said the step reflected pressure from farmers and fishing towns along the coast.",
    "The ministry published a short statement on its website but gave no further details of the meeting.",
    "Opposition lawmakers asked the government to publish the full text before any vote in parliament.",
    "A spokesman said technical teams would continue their work over the coming weeks in both capitals.",
    "Local newspapers carried the news on their front pages, and radio stations took calls from listeners.",
    "Economists warned that the effect on prices would depend on how quickly the new rules are applied.",
)
WHEN = ("on {weekday}", "last month", "earlier this year", "yesterday", "last week", "on {weekday}")
#: The share of paragraphs that report an event between the two countries; the rest is context.
EVENT_SHARE = 0.2
CHROME = ("Skip to main content", "Breaking News", "Share this article", "Related stories")


def load() -> None:
    try:
        import dyad  # noqa: F401
    except ImportError:
        sys.path.insert(0, str(REPO / "src"))


def stories(seed: int = 7) -> Iterator[dict[str, str]]:
    """Stories without end, each a dict of title, text, date, url and publisher."""
    rng = random.Random(seed)
    n = 0
    while True:
        n += 1
        (a, adj_a, cap_a), (b, _, cap_b) = rng.sample(COUNTRIES, 2)
        year, month, day = rng.randint(2015, 2024), rng.randint(1, 12), rng.randint(1, 28)
        slots = {"A": a, "B": b, "AdjA": adj_a, "CapA": cap_a, "CapB": cap_b}
        paragraphs = []
        for _ in range(rng.randint(8, 14)):
            if rng.random() < EVENT_SHARE:
                when = rng.choice(WHEN).format(weekday=rng.choice(WEEKDAYS))
                paragraphs.append(rng.choice(EVENTS).format(when=when, **slots))
            else:
                paragraphs.append(
                    " ".join(rng.choice(FILLER).format(**slots) for _ in range(rng.randint(1, 3)))
                )
        dateline = f"{cap_a.upper()}, {MONTHS[month - 1]} {day}, {year} ({rng.choice(AGENCIES)}) - "
        yield {
            "title": rng.choice(HEADLINES).format(**slots),
            "text": dateline + "\n\n".join(paragraphs),
            "date": f"{year:04d}-{month:02d}-{day:02d}",
            "url": f"https://wire.example/{year}/{n}",
            "publisher": "Example Wire",
        }


def as_text(story: dict[str, str], rng: random.Random) -> str:
    chrome = rng.sample(CHROME[:2], 1)
    return "\n".join(chrome) + f"\n\n{story['title']}\n\n{story['text']}\n\n{CHROME[2]}\n{CHROME[3]}\n"


def as_html(story: dict[str, str]) -> str:
    from html import escape

    body = "".join(f"<p>{escape(p)}</p>" for p in story["text"].split("\n\n"))
    return (
        f"<!DOCTYPE html><html><head><title>{escape(story['title'])}</title>"
        f'<meta property="og:type" content="article"><meta property="article:published_time" '
        f'content="{story["date"]}"><meta property="og:site_name" content="{story["publisher"]}">'
        f'<link rel="canonical" href="{story["url"]}"></head><body><nav><a href="/">Home</a> '
        f'<a href="/world">World</a></nav><article><h1>{escape(story["title"])}</h1>{body}</article>'
        "<footer>Example Wire</footer></body></html>"
    )


def write_jsonl(path: Path, mb: float) -> int:
    count = size = 0
    with open(path, "w", encoding="utf-8") as f:
        for story in stories():
            line = json.dumps(story, ensure_ascii=False) + "\n"
            f.write(line)
            count, size = count + 1, size + len(line.encode("utf-8"))
            if size >= mb * MB:
                return count
    return count


def write_files(folder: Path, n: int) -> None:
    rng = random.Random(11)
    for i, story in zip(range(n), stories(seed=3), strict=False):
        (folder / f"story-{i:05d}.txt").write_text(as_text(story, rng), encoding="utf-8")


def write_warc(path: Path, mb: float) -> tuple[int, int]:
    """Write the WARC; return the number of pages and the bytes of HTML they hold."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    count = html = 0
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for story in stories(seed=5):
            http = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            page = as_html(story).encode("utf-8")
            html += len(page)
            payload = io.BytesIO(page)
            writer.write_record(
                writer.create_warc_record(story["url"], "response", payload=payload, http_headers=http)
            )
            count += 1
            if out.tell() >= mb * MB:
                return count, html
    return count, html


def timed(paths: Sequence[Path]) -> tuple[float, int, int, int]:
    """Extract every story of the paths as ``dyad extract --format json`` does; (seconds, stories,
    facts, errors)."""
    from dyad.pipeline import extract_items

    sink = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    count = facts = errors = 0
    t0 = time.perf_counter()
    for path in paths:
        for got in extract_items(str(path)):
            if got.error is not None:
                errors += 1
                continue
            count += 1
            facts += len(got.document.facts)
            sink.write(json.dumps(got.document.to_json(), ensure_ascii=False) + "\n")
    seconds = time.perf_counter() - t0
    sink.close()
    return seconds, count, facts, errors


def report(label: str, size: int, result: tuple[float, int, int, int], target: float | None) -> None:
    seconds, count, facts, errors = result
    mbps = size / MB / seconds
    line = (
        f"{label:<24} {size / MB:6.1f} MB  {count:7,} stories  {seconds:6.1f} s  "
        f"{count / seconds:6,.0f} stories/s  {mbps:5.2f} MB/s  {facts:8,} facts  {errors} errors"
    )
    if target:
        line += f"  ({mbps / target:.2f}x the {target:g} MB/s target)"
    print(line, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=50.0, help="JSON Lines corpus size in MB (default 50)")
    ap.add_argument("--files", type=int, default=2000, help="plain-text story files (default 2000)")
    ap.add_argument("--warc-mb", type=float, default=10.0, help="WARC file size in MB (default 10)")
    args = ap.parse_args(argv)
    load()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    with tempfile.TemporaryDirectory(prefix="dyad-news-bench-") as tmp:
        folder = Path(tmp)
        feed = folder / "stories.jsonl"
        n = write_jsonl(feed, args.mb)
        texts = folder / "texts"
        texts.mkdir()
        write_files(texts, args.files)
        warc = folder / "crawl.warc.gz"
        pages, html = write_warc(warc, args.warc_mb)
        print(
            f"generated {n:,} stories as JSON Lines, {args.files:,} text files, {pages:,} WARC pages",
            flush=True,
        )
        report("JSON Lines, streamed", feed.stat().st_size, timed([feed]), TARGET_MBPS)
        files = sorted(texts.iterdir())
        report("text files, detected", sum(p.stat().st_size for p in files), timed(files), TARGET_MBPS)
        result = timed([warc])
        report("WARC (gzip, HTML)", warc.stat().st_size, result, None)
        print(f"{'':<24} {html / MB:6.1f} MB of HTML: {html / MB / result[0]:5.2f} MB/s", flush=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / MB
    print(f"peak RSS {rss:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
