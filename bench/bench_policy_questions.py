"""Policy questions over the legal documents `make run` serves: which document, who is eligible, how much,
what procedure, what time limit, who decides (tests/data/policy_questions.jsonl, 72 questions written from
the documents by an annotator who did not see the product; a third without diacritics). Each is answered
by one article. Reported per kind, accented and unaccented: the answer's legal unit names the right
document and article (top 1), and the right article is among the first three evidence passages (top 3).

    TRACUU_HOME=/tmp/kb .venv/bin/tracuu ingest corpus/ && TRACUU_HOME=/tmp/kb .venv/bin/tracuu index
    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_policy_questions.py --home /tmp/kb [--misses]

Nothing in the product reads these questions.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from tracuu.knowledge.answer import ask

QUESTIONS = Path(__file__).resolve().parent.parent / "tests" / "data" / "policy_questions.jsonl"


def article_of(section: str | None) -> str | None:
    """ "Chương II › Điều 6 › Khoản 1" → "Điều 6"."""
    parts = [p.strip() for p in (section or "").split("›")]
    return next((p for p in parts if p.startswith("Điều ")), None)


def answer_unit(result: dict[str, Any]) -> tuple[str | None, str | None]:
    """(doc_id, article) of the legal unit the answer gives: its first reference that holds a unit, else the
    first evidence passage."""
    for ref in result["answer"].get("references") or []:
        if ref.get("doc_id") and ref.get("unit"):
            return ref["doc_id"], article_of(ref["unit"])
    ev = result.get("evidence") or []
    return (ev[0]["doc_id"], article_of(ev[0]["section"])) if ev else (None, None)


def main() -> None:
    from tracuu.core.app import Tracuu
    from tracuu.core.settings import Settings
    from tracuu.index.store import Store

    ap = argparse.ArgumentParser()
    ap.add_argument("--home", type=Path, required=True)
    ap.add_argument("--misses", action="store_true", help="print the questions answered wrong")
    args = ap.parse_args()
    searcher = Tracuu(Settings(home=args.home)).searcher(
        Store.open(args.home)
    )  # what every door asks through
    docs = {Path(d["source_path"]).name: d["doc_id"] for d in searcher.store.documents()}
    right: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])  # top-1, top-3, asked
    started = time.perf_counter()
    questions = [
        json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    for q in questions:
        want = (docs.get(q["file"]), q["article"])
        result = ask(searcher, q["question"])
        top1 = answer_unit(result) == want
        top3 = any((e["doc_id"], article_of(e["section"])) == want for e in result["evidence"][:3])
        how = "accented" if q["accented"] else "unaccented"
        for key in ((q["kind"], how), ("all", how), (q["kind"], "both"), ("all", "both")):
            right[key][0] += top1
            right[key][1] += top3
            right[key][2] += 1
        if args.misses and not top1:
            got = answer_unit(result)
            print(
                f"MISS {q['id']} {q['kind']}: {q['question']}\n   want {q['file']} {q['article']}; got {got}"
            )
    print(f"{len(questions)} questions in {time.perf_counter() - started:.0f} s\n")
    print(
        "| kind | questions | top-1 article (accented / unaccented / all) | top-3 article (accented / unaccented / all) |"
    )
    print("|---|---:|---:|---:|")
    for kind in sorted({k for k, _ in right}, key=lambda k: (k == "all", k)):
        cells = []
        for i in (0, 1):
            cells.append(" / ".join(f"{right[(kind, h)][i] / right[(kind, h)][2]:.2f}" if right[(kind, h)][2] else "–"
                                    for h in ("accented", "unaccented", "both")))  # fmt: skip
        print(f"| {kind} | {right[(kind, 'both')][2]} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
