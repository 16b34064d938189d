"""Validity (issue 19): how well a document's own entry into force is read, what the shipped catalog knows,
and what validity costs. Prints Markdown for BENCHMARKS.md.

    .venv/bin/python bench/bench_validity.py

1. Entry into force (`ingest.effect.find_effect`) against Bộ Pháp điển's source lines: every article whose
   heading names "hiệu lực" and whose text says "<Loại> này có hiệu lực …", read by the extractor and compared
   with the date the Pháp điển source line gives that article's document ("…, có hiệu lực thi hành kể từ
   ngày 01/01/2019)"). Per document type: found with a date, equal, different, found without a date (the
   text says "sau 15 ngày kể từ ngày đăng Công báo": no date in the text), not found.
2. The catalog shipped in corpus/catalog/phapdien_validity.jsonl: statuses and relations by type.
3. Cost: building the ledger (catalog file + a store's relations) and answering validity for every
   catalog document.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter, defaultdict
from pathlib import Path

from tracuu.ingest.effect import find_effect
from tracuu.ingest.references import number_key
from tracuu.knowledge.validity import VALIDITY_FILE, build_ledger, read_catalog

ROOT = Path(__file__).resolve().parent.parent
PHAPDIEN = ROOT.parent / "shared" / "data" / "incoming" / "phapdien_vn" / "phapdien_articles.jsonl.gz"
_SELF_EFFECT = re.compile(
    r"\b(?:Nghị định|Luật|Bộ luật|Thông tư|Quyết định|Nghị quyết|Pháp lệnh)\s+(?:liên tịch\s+)?này\s+có\s+hiệu\s+lực"
)


def iso(d: str | None) -> str | None:
    m = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", (d or "").strip())
    return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}" if m else None


def effect_table() -> list[str]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    examples: dict[str, list[str]] = defaultdict(list)
    with gzip.open(PHAPDIEN, "rt", encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            if "hiệu lực" not in (a.get("heading") or "").lower() or not _SELF_EFFECT.search(
                a.get("text") or ""
            ):
                continue
            want = iso(a.get("effective_from"))
            if want is None:
                continue
            kind = a.get("doc_type") or "?"
            e = find_effect(a["text"], iso(a.get("issue_date")))
            outcome = ("not found" if e is None else "no date in text" if e.date is None
                       else "equal" if e.date == want else "different")  # fmt: skip
            counts[kind][outcome] += 1
            counts["all"][outcome] += 1
            if outcome in ("different", "not found") and len(examples[outcome]) < 3:
                examples[outcome].append(f"{a['pd_id']}: want {want}, got {e.date if e else None}: "
                                         f"{' '.join(a['text'].split())[:160]}")  # fmt: skip
    out = ["| type | articles | equal | different | no date in text | not found | equal / with a date |",
           "|---|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for kind, c in sorted(counts.items(), key=lambda kv: (kv[0] != "all", -sum(kv[1].values()))):
        n = sum(c.values())
        dated = c["equal"] + c["different"]
        out.append(f"| {kind} | {n} | {c['equal']} | {c['different']} | {c['no date in text']} | {c['not found']} | "
                   f"{c['equal'] / dated:.3f} |" if dated else f"| {kind} | {n} | 0 | 0 | {c['no date in text']} | "
                   f"{c['not found']} | – |")  # fmt: skip
    for outcome, lines in examples.items():
        out += ["", f"Examples ({outcome}):"] + [f"- {x}" for x in lines]
    return out


def catalog_table() -> list[str]:
    items = read_catalog(VALIDITY_FILE)
    status = Counter(i["validity"] for i in items)
    types = Counter(r["type"] for i in items for r in i["relations"])
    dated = sum(1 for i in items if i["effective_from"])
    return [
        f"{len(items)} documents (as of {items[0]['as_of']}), {dated} with an effective date; statuses: "
        + ", ".join(f"{k} {v}" for k, v in status.most_common()) + ".",
        f"{sum(types.values())} relations stated in their articles: " + ", ".join(f"{k} {v}" for k, v in types.most_common()) + ".",
    ]  # fmt: skip


class _NoStore:
    def effects(self) -> list[dict]:
        return []

    def relations(self) -> list[dict]:
        return []


def cost_lines() -> list[str]:
    t = time.perf_counter()
    items = read_catalog(VALIDITY_FILE)
    read_s = time.perf_counter() - t
    t = time.perf_counter()
    ledger = build_ledger(_NoStore(), None, items)
    build_s = time.perf_counter() - t
    keys = [number_key(i["doc_number"]) for i in items]
    t = time.perf_counter()
    for k in keys:
        ledger.validity(k, "2026-12-03")
    per = (time.perf_counter() - t) / len(keys)
    return [f"reading the catalog file {read_s * 1000:.0f} ms, building the ledger {build_s * 1000:.0f} ms, "
            f"validity of one document {per * 1e6:.0f} µs (all {len(keys)} catalog documents)."]  # fmt: skip


def main() -> None:
    print("### Entry into force read from the text, against Bộ Pháp điển's source lines\n")
    print("\n".join(effect_table()))
    print("\n### The shipped catalog\n")
    print("\n".join(catalog_table()))
    print("\n### Cost\n")
    print("\n".join(cost_lines()))


if __name__ == "__main__":
    main()
