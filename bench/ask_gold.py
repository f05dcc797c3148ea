"""The state logic alone: ask the gold questions of the gold facts, without extraction.

``../shared/eval/ask.py`` measures dyad end to end (extraction, then the answers of ``dyad show``). This
script gives :func:`dyad.query.pair_state` the facts the gold files list instead of extracted ones, and
checks the answers with ask.py's own ``answer`` function (read in place), so that a miss here is a miss
of the state rules (or a question the facts alone cannot settle), and a miss only in ask.py is one of
extraction. Prints the accuracy and every miss.

    python bench/ask_gold.py [../shared/eval/dev]
"""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import datetime
from pathlib import Path

from dyad.model import Evidence, Fact, Named, SourceRecord, StoredFact
from dyad.query import pair_state

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"


def _ask_module(folder: Path):  # the eval's own module, read in place
    spec = importlib.util.spec_from_file_location("ask", folder / "ask.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no ask.py in {folder}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _actor(value: object) -> str | Named:
    return Named(value["name"]) if isinstance(value, dict) else str(value)


def _facts(gold: dict) -> list[StoredFact]:
    source = SourceRecord(
        1, gold.get("slug", ""), gold.get("title", ""), "article", "", (), (), datetime(2026, 1, 1)
    )
    out = []
    for i, f in enumerate(gold.get("facts") or []):
        quote = (f.get("quotes") or ["-"])[0] or "-"
        fact = Fact(
            f["type"], _actor(f["actor"]), _actor(f["target"]), f.get("attrs") or {},
            (Evidence("Body", 0, len(quote), quote),), f.get("start"), f.get("end"), f.get("date"),
            polarity=f.get("polarity") or "asserted",
        )  # fmt: skip
        out.append(StoredFact(i, fact, source))
    return out


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else EVAL / "dev"
    ask = _ask_module(folder.parent)
    right = total = 0
    for path in sorted(folder.glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if not gold.get("questions"):
            continue
        facts = _facts(gold)
        a, b = ("*" + p[1:] if p.startswith("*") else p for p in gold["parties"][:2])
        for q in gold["questions"]:
            got = ask.answer(q, pair_state(facts, a, b, str(q["at"])).answers.to_json())
            total += 1
            if got == q["answer"]:
                right += 1
            else:
                print(f"{gold.get('slug', path.stem)}: {json.dumps(q, ensure_ascii=False)} -> {got}")
    print(f"questions {total}  accuracy on the gold facts {right / total:.4f}" if total else "no questions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
