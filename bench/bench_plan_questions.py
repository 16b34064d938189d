"""Questions an official asks of the real plans, one per gold assignment, answered by `ask` over a knowledge
base holding all the plans: "Cơ quan nào chủ trì <the task>?" as typed with accents, the same without them,
and scoped by the issuer's province ("Ở Cần Thơ, …"). Right = the answer's lead (or a co-lead) is the gold
lead. Reported per layout family and for the held-out documents (tests/data/gold/held_out.txt).

    TRACUU_HOME=/tmp/plans .venv/bin/tracuu ingest corpus/ ../shared/data/incoming/plans/ && \
    TRACUU_HOME=/tmp/plans .venv/bin/tracuu index
    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_plan_questions.py --home /tmp/plans

The questions are built from the gold, not tuned on: nothing in the product reads them.
"""

from __future__ import annotations

import argparse
import re
import time
from collections import defaultdict
from pathlib import Path

from tracuu.evaluation.evaluate_tasks import GOLD_DIR, held_out, read_gold, same_lead
from tracuu.ingest.normalize import fold
from tracuu.knowledge.answer import ask
from tracuu.knowledge.scope import document_names


def question(task: str) -> str:
    task = re.sub(r"\s+", " ", task).strip().rstrip(".;:")
    body = task[:1].lower() + task[1:]
    if re.match(r"(?:chủ trì|phối hợp|chịu trách nhiệm)\b", body):
        return f"Cơ quan nào {body}?"
    return f"Cơ quan nào chủ trì {body}?"


def main() -> None:
    from tracuu.core.app import Tracuu
    from tracuu.core.settings import Settings
    from tracuu.index.store import Store

    ap = argparse.ArgumentParser()
    ap.add_argument("--home", type=Path, required=True)
    ap.add_argument("--limit", type=int, default=0, help="questions per document (0: all)")
    args = ap.parse_args()
    searcher = Tracuu(Settings(home=args.home)).searcher(
        Store.open(args.home)
    )  # what every door asks through
    headers = {h["doc_id"]: h for h in searcher.store.headers()}
    docs = {Path(d["source_path"]).name: d["doc_id"] for d in searcher.store.documents()}
    right: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    held = held_out()
    started, asked = time.perf_counter(), 0
    for path in sorted(GOLD_DIR.glob("*.jsonl")):
        gold = read_gold(path)[: args.limit or None]
        doc_id = docs.get(gold[0]["file"]) if gold else None
        if doc_id is None:
            continue
        places = list(document_names(headers[doc_id])[0].values())
        split = "held-out" if path.stem in held else "dev"
        for g in gold:
            q = question(g["task_contains"])
            variants = {"accented": q, "unaccented": fold(q)}
            if places:
                variants["scoped"] = f"Ở {places[0]}, {q[0].lower()}{q[1:]}"
            for how, text in variants.items():
                a = ask(searcher, text)["answer"]
                ok = any(same_lead(x, g) for x in (a.get("leads") or [a["lead"]]) if x)
                asked += 1
                keys = [(g["layout"], how), ("all", how), (split, how)] + [("placed", how)] * bool(places)
                for key in keys:
                    right[key][0] += ok
                    right[key][1] += 1
    print(f"{asked} questions in {time.perf_counter() - started:.0f} s\n")
    print("| layout | questions | accented | unaccented | scoped by province (questions) |")
    print("|---|---:|---:|---:|---:|")
    layouts = sorted({k[0] for k in right} - {"placed"}, key=lambda x: (x in {"all", "dev", "held-out"}, x))
    for layout in layouts:
        cells = [f"{right[(layout, h)][0] / right[(layout, h)][1]:.3f}" if right[(layout, h)][1] else "–"
                 for h in ("accented", "unaccented", "scoped")]  # fmt: skip
        cells[2] += f" ({right[(layout, 'scoped')][1]})"
        print(f"| {layout} | {right[(layout, 'accented')][1]} | {' | '.join(cells)} |")
    print(
        "\nOn the documents with a province (the scoped questions' documents), unscoped accented: "
        f"{right[('placed', 'accented')][0] / max(1, right[('placed', 'accented')][1]):.3f}"
    )


if __name__ == "__main__":
    main()
