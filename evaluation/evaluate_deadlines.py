"""`tracuu eval deadlines`: deadlines as data against hand-annotated structures — the 120 distinct deadline
phrases of the 20 real plans' gold (development) and 40 written apart from them (relative deadlines,
recurrences with a day, months or quarters sharing a year) — accuracy per field and per kind, misses listed."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from tracuu.ingest.deadlines import parse_deadline

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
SETS = {"development": DATA / "deadlines_gold.jsonl", "written": DATA / "deadlines_written.jsonl"}
FIELDS = ("kind", "start", "due", "every", "on", "ongoing")


def deadlines_eval(gold: Path) -> dict[str, Any]:
    """Share of phrases with each field right, with every field right, per gold kind; the misses."""
    items = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    right: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    kinds_right: Counter[str] = Counter()
    misses = []
    for item in items:
        got = parse_deadline(item["text"], item.get("issued"))
        ok = {f: got is not None and got[f] == item.get(f) for f in FIELDS}
        right.update(f for f, v in ok.items() if v)
        kinds[item["kind"]] += 1
        if all(ok.values()):
            right["all"] += 1
            kinds_right[item["kind"]] += 1
        else:
            misses.append({"text": item["text"], "want": {f: item.get(f) for f in FIELDS if not ok[f]},
                           "got": {f: got[f] if got else None for f in FIELDS if not ok[f]}})  # fmt: skip
    n = len(items)
    return {
        "phrases": n,
        "accuracy": {f: round(right[f] / n, 3) for f in (*FIELDS, "all")},
        "by_kind": {k: {"phrases": c, "all_right": round(kinds_right[k] / c, 3)} for k, c in kinds.items()},
        "misses": misses,
    }


def deadlines_report() -> dict[str, Any]:
    return {name: deadlines_eval(path) for name, path in SETS.items()}
