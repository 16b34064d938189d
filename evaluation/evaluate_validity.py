"""Validity against gold written independently (`tests/data/validity_gold/`): decrees, circulars, decisions
and laws written for the purpose by an annotator who never saw the code, with varied entry-into-force
wordings, replacements, expiries, partial repeals, amendments, a conflict and distractor sentences; facts
"status of X on date D" judged from those texts alone; drafts with the problems each citation should get.

The texts are ingested into a fresh store (with the shipped Pháp điển catalog, as the product reads it); each
fact is compared field by field (status, effective_from, expired_from, replaced_by); each draft's citations
are checked and their validity codes (expired, not_yet_in_force, unit_repealed) compared in order."""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from tracuu.index.store import Store
from tracuu.ingest.pipeline import ingest_file
from tracuu.ingest.references import number_key

GOLD = Path(__file__).resolve().parent.parent / "tests" / "data" / "validity_gold"
# a second set by another annotator (72 facts, 12 drafts), scored once when written and never tuned on:
# its misses are not shown
HELD_OUT = GOLD.with_name("validity_gold_heldout")
CODES = ("expired", "not_yet_in_force", "unit_repealed")


def validity_reports() -> dict[str, Any]:
    """`tracuu eval validity`: the development set with its misses, the held-out set without them."""
    out = {"development": validity_report(GOLD)}
    if HELD_OUT.exists():
        held = validity_report(HELD_OUT)
        out["held_out"] = {part: {k: v for k, v in r.items() if k != "misses"} for part, r in held.items()}
    return out


def validity_report(gold: Path = GOLD) -> dict[str, Any]:
    """One set's facts and drafts, with every miss listed."""
    from tracuu.knowledge.catalog import Catalog
    from tracuu.knowledge.check import check_text

    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(tmp)
        try:
            for path in sorted((gold / "docs").glob("*.txt")):
                store.put(ingest_file(path))
            catalog = Catalog(store)
            facts = _facts(catalog, _lines(gold / "facts.jsonl"))
            drafts = _drafts(store, catalog, _lines(gold / "drafts.jsonl"), check_text)
        finally:
            store.close()
    return {"facts": facts, "drafts": drafts}


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def _facts(catalog: Any, facts: list[dict[str, Any]]) -> dict[str, Any]:
    ledger = catalog.ledger
    right: Counter[str] = Counter()
    by_status: dict[str, Counter[str]] = {}
    misses = []
    for f in facts:
        v = ledger.validity(ledger.lookup(f["number"]), f["at"])
        got = {"validity": v.validity, "effective_from": v.effective_from, "expired_from": v.expired_from,
               "replaced_by": v.replaced_by}  # fmt: skip
        same = {k: _same(k, got[k], f.get(k)) for k in got}
        right.update(k for k, ok in same.items() if ok)
        right["all"] += all(same.values())
        counts = by_status.setdefault(f["validity"], Counter())
        counts["gold"] += 1
        counts["right"] += same["validity"]
        if not all(same.values()):
            misses.append({"number": f["number"], "at": f["at"], "want": {k: f.get(k) for k in got}, "got": got,
                           "why": f.get("why")})  # fmt: skip
    n = len(facts)
    return {"facts": n, **{f"{k}_accuracy": round(right[k] / n, 3) for k in ("validity", "effective_from",
            "expired_from", "replaced_by", "all")}, "by_status": {s: dict(c) for s, c in sorted(by_status.items())},
            "misses": misses}  # fmt: skip


def _same(key: str, got: Any, want: Any) -> bool:
    if key == "replaced_by" and got and want:
        return number_key(got) == number_key(want)
    return got == want


def _drafts(store: Store, catalog: Any, drafts: list[dict[str, Any]], check_text: Any) -> dict[str, Any]:
    tp = fp = fn = 0
    per_code: dict[str, Counter[str]] = {c: Counter() for c in CODES}
    misses = []
    for d in drafts:
        found = check_text(store, d["text"], catalog)["findings"]
        got = [(f["reference"]["number"], sorted(p["code"] for p in f["problems"] if p["code"] in CODES))
               for f in found if f["reference"]["number"]]  # fmt: skip
        want = [(e["number"], sorted(e["codes"])) for e in d["expected"]]
        # citations paired in order by their numbers (one missing or extra citation shifts nothing after it)
        matcher = SequenceMatcher(a=[number_key(n) for n, _ in got], b=[number_key(n) for n, _ in want],
                                  autojunk=False)  # fmt: skip
        paired_got, paired_want = set(), set()
        for block in matcher.get_matching_blocks():
            for k in range(block.size):
                i, j = block.a + k, block.b + k
                paired_got.add(i)
                paired_want.add(j)
                for code in CODES:
                    g, w = code in got[i][1], code in want[j][1]
                    tp, fp, fn = tp + (g and w), fp + (g and not w), fn + (w and not g)
                    per_code[code]["tp" if g and w else "fp" if g else "fn" if w else "tn"] += 1
        fp += sum(len(c) for i, (_, c) in enumerate(got) if i not in paired_got)  # a citation one side lacks
        fn += sum(len(c) for j, (_, c) in enumerate(want) if j not in paired_want)
        if got != want:
            misses.append({"id": d["id"], "want": want, "got": got})
    return {"drafts": len(drafts), "precision": round(tp / (tp + fp), 3) if tp + fp else None,
            "recall": round(tp / (tp + fn), 3) if tp + fn else None,
            "by_code": {c: {k: v for k, v in per_code[c].items() if k != "tn"} for c in CODES},
            "exact_drafts": len(drafts) - len(misses), "misses": misses}  # fmt: skip
