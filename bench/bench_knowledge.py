"""Knowledge extraction: accuracy of task assignments on hand-read gold (18 real plans of other provinces
and ministries, the plan written for the tests), references found, and the cost of extraction per document
and per Pháp điển article. Prints Markdown for BENCHMARKS.md.

    .venv/bin/python bench/bench_knowledge.py [--articles 3000]

The seed plan's own numbers come from `tracuu eval knowledge` (its gold is the development set).
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
import unicodedata
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from tracuu.evaluation.evaluate import assignments_eval
from tracuu.ingest.assignments import extract_tasks
from tracuu.ingest.pipeline import body_references, build_document, ingest_file
from tracuu.ingest.readers import RawText

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT.parent / "shared" / "data" / "incoming" / "plans"
PHAPDIEN = ROOT.parent / "shared" / "data" / "incoming" / "phapdien_vn" / "phapdien_articles.jsonl.gz"
DATA = ROOT / "tests" / "data"


def plans_table() -> list[str]:
    gold = [
        json.loads(line)
        for line in (DATA / "plans_assignments.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    by_file: dict[str, list[dict]] = {}
    for g in gold:
        by_file.setdefault(g["file"], []).append(g)
    rows, per_layout, per_layout_n, ok_all = [], Counter(), Counter(), 0
    tmp = ROOT / "bench" / "out" / "gold.jsonl"
    tmp.parent.mkdir(parents=True, exist_ok=True)
    for name, items in sorted(by_file.items()):
        doc = ingest_file(PLANS / name)
        tasks = [{**asdict(t), "task": unicodedata.normalize("NFC", t.task)} for t in doc.tasks]
        tmp.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items), encoding="utf-8")
        result = assignments_eval(tasks, tmp)
        ok = sum(i["ok"] for i in result["items"])
        ok_all += ok
        for item, g in zip(result["items"], items, strict=True):
            per_layout[g["layout"]] += item["ok"]
            per_layout_n[g["layout"]] += 1
        rows.append(f"| {name[:48]} | {len(doc.tasks)} | {len(doc.references)} | {ok}/{len(items)} |")
    out = ["| Document | tasks extracted | references | gold leads right |", "|---|---:|---:|---:|", *rows]
    out.append(f"| **all 18** | | | **{ok_all}/{len(gold)} = {ok_all / len(gold):.1%}** |")
    out += ["", "| Layout | right |", "|---|---:|"]
    out += [f"| {k} | {per_layout[k]}/{n} |" for k, n in per_layout_n.most_common()]
    doc = ingest_file(DATA / "ke-hoach-thu-nghiem.md")
    r = assignments_eval([asdict(t) for t in doc.tasks], DATA / "ke-hoach-thu-nghiem.gold.jsonl")
    out += ["", f"Plan written for the tests (other province, agencies and wording): leads {r['lead_accuracy']:.1%}, "
            f"cooperating {r['cooperating_accuracy']:.1%} of {r['n']} gold items."]  # fmt: skip
    return out


def cost_table(n_articles: int) -> list[str]:
    docs = []
    with gzip.open(PHAPDIEN, "rt", encoding="utf-8") as f:
        for line in f:
            item = json.loads(line)
            text = item.get("text") or item.get("content") or ""
            docs.append(build_document(RawText(text=text, fmt="jsonl"), "x", "-", "x", segment=False))
            if len(docs) >= n_articles:
                break
    t0 = time.perf_counter()
    n_tasks = sum(len(extract_tasks(d)) for d in docs)
    t1 = time.perf_counter()
    n_refs = sum(len(body_references(d)) for d in docs)
    t2 = time.perf_counter()
    return [
        f"Extraction over {len(docs)} Pháp điển articles: tasks {1000 * (t1 - t0) / len(docs):.2f} ms/article "
        f"({n_tasks} duties found), references {1000 * (t2 - t1) / len(docs):.2f} ms/article ({n_refs} citations)."
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=3000)
    args = ap.parse_args()
    print("\n".join(plans_table()))
    print()
    if PHAPDIEN.exists():
        print("\n".join(cost_table(args.articles)))


if __name__ == "__main__":
    main()
