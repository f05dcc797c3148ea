"""Scan speed and memory of reading a MediaWiki dump: build one of at least 200 MB, scan it, print figures.

The dump is in the real export schema (0.11), built from generated pages of which about one in 200 is a
bilateral-relations article (as in the real dump, most pages are not). It is scanned twice, as .xml and as
.xml.bz2, each in a child process on one core, and the script prints MB/s of uncompressed XML and of the
file as stored, pages/s and the peak resident memory; a scan of half the dump shows whether memory grows
with its size.

    .venv/bin/python bench/dump.py [--mb 200] [--keep DIR]
"""

from __future__ import annotations

import argparse
import bz2
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

RELATIONS = """{{Infobox bilateral relations|Latvia–Mexico|Latvia|Mexico
|mission1=[[Embassy of Latvia, Mexico City]]}}
'''Latvia–Mexico relations''' are the ties between [[Latvia]] and [[Mexico]]. The two countries \
established diplomatic relations on {{start date|1992|5|9}}.<ref>{{cite news|url=https://example.org/a\
|title=Ties|work=Reuters}}</ref>
"""
_RNG = random.Random(5)
# A vocabulary of made-up words, so that the dump compresses about as well as real wikitext (4-5 times).
WORDS = ["".join(_RNG.choice("etaoinshrdlucmfwyp") for _ in range(_RNG.randint(2, 10))) for _ in range(20000)]


def _page(n: int, title: str, text: str) -> str:
    return (
        f"  <page>\n    <title>{escape(title)}</title>\n    <ns>0</ns>\n    <id>{n}</id>\n    <revision>\n"
        f"      <id>{n + 10**6}</id>\n      <timestamp>2024-05-01T00:00:00Z</timestamp>\n"
        f"      <contributor>\n        <username>Bench</username>\n        <id>1</id>\n      </contributor>\n"
        f"      <model>wikitext</model>\n      <format>text/x-wiki</format>\n"
        f'      <text bytes="{len(text)}" xml:space="preserve">{escape(text)}</text>\n'
        f"      <sha1>0</sha1>\n    </revision>\n  </page>\n"
    )


def build(path: Path, megabytes: int) -> int:
    """Write a dump of about ``megabytes`` MB; return the number of pages."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from dumps import HEAD as head
    from dumps import TAIL as tail

    rng = random.Random(11)
    target = megabytes * 10**6
    size, n = 0, 0
    with open(path, "w", encoding="utf-8") as f:
        f.write(head)
        while size < target:
            n += 1
            if n % 200 == 0:
                text, title = (
                    RELATIONS,
                    f"Country{n}–Mexico relations" if n % 400 else "Latvia–Mexico relations",
                )
            else:
                body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(200, 1500)))
                text = f"'''Page {n}''' is a [[{rng.choice(WORDS)}]]. {body} &lt;ref&gt;x&lt;/ref&gt;\n"
                title = f"Page {n}"
            piece = _page(n, title, text)
            f.write(piece)
            size += len(piece)
        f.write(tail)
    return n


def scan(path: str) -> dict[str, float]:
    """Scan in this process (the child): seconds, pages, kept, peak RSS in MB."""
    from dyad.read.formats import read_input

    seen = {}
    start = time.perf_counter()
    kept = sum(1 for _ in read_input(path, progress=lambda p: seen.update(pages=p.pages, xml=p.xml_bytes)))
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "pages": seen["pages"], "kept": kept, "xml": seen["xml"], "rss_mb": rss}


def child(path: Path) -> dict[str, float]:
    out = subprocess.run(
        ["taskset", "-c", "0", sys.executable, __file__, "--scan", str(path)], capture_output=True, text=True
    )
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--scan")
    parser.add_argument("--keep")
    args = parser.parse_args()
    if args.scan:
        print(json.dumps(scan(args.scan)))
        return
    with tempfile.TemporaryDirectory(dir=args.keep) as tmp:
        xml = Path(tmp) / "bench.xml"
        half = Path(tmp) / "half.xml"
        pages = build(xml, args.mb)
        build(half, args.mb // 2)
        compressed = Path(tmp) / "bench.xml.bz2"
        with open(xml, "rb") as src, bz2.open(compressed, "wb", compresslevel=9) as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
        print(f"dump: {xml.stat().st_size / 1e6:.0f} MB of XML, {pages:,} pages; "
              f"{compressed.stat().st_size / 1e6:.0f} MB as bzip2")  # fmt: skip
        for path in (half, xml, compressed):
            r = child(path)
            stored = path.stat().st_size / 1e6
            s = r["seconds"]
            print(
                f"{path.name:14} {r['pages']:>9,.0f} pages, {r['kept']:>5,.0f} kept in {s:6.1f} s: "
                f"{r['xml'] / 1e6 / s:5.1f} MB/s of XML, {stored / s:5.1f} MB/s of file, "
                f"{r['pages'] / s:8,.0f} pages/s, peak {r['rss_mb']:.0f} MB RSS"
            )


if __name__ == "__main__":
    main()
