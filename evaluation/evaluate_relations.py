"""Typed relations (`ingest.relations`) against gold written from Pháp điển clauses and the corpus's
preambles (`tests/data/relations_gold.jsonl`): each gold line is one clause with every relation it states
(complete per clause, so extracted relations it does not list are false positives). A relation matches when
its type and its other document agree (the number by `number_key`, a title folded, "Luật" and the like left
out); of the matched, how many also have the right scope and date."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from tracuu.ingest.normalize import fold
from tracuu.ingest.references import number_key
from tracuu.ingest.relations import TYPES, find_relations

GOLD = Path(__file__).resolve().parent.parent / "tests" / "data" / "relations_gold.jsonl"
# a second gold, on other articles, that nobody changing the rules has read: its misses are not shown
HELD_OUT = GOLD.with_name("relations_gold_heldout.jsonl")
_TYPE_WORDS = re.compile(
    r"^(?:bo\s+luat|luat|phap\s+lenh|nghi\s+dinh|thong\s+tu|quyet\s+dinh|nghi\s+quyet)\s+"
)


def other_key(other: str, kind: str = "number") -> str:
    """One key per other document: its number's key, or its folded title without the type word or a year."""
    if kind == "number" and "/" in other:
        return number_key(other)
    title = _TYPE_WORDS.sub("", fold(other).lower().strip())
    return re.sub(r"\s+(?:nam\s+)?\d{4}$", "", title).strip()


def _pair(want: list[Any], got: list[Any]) -> tuple[list[tuple[Any, Any]], dict[str, list[Any]]]:
    """One gold relation to one extracted relation: equal keys first (the same scope preferred), then a
    document cited by a name cut short ("Trách nhiệm bồi thường" for "… của Nhà nước") when it is the only
    gold relation left it could be and the shorter name has three words or more. What is left: misses and
    false positives."""
    want, got, pairs = list(want), list(got), []
    for same_scope in (True, False):
        for w in list(want):
            match = next((e for e in got if e[:2] == w[:2] and (not same_scope or
                          _scope_key(e[2].scope) == _scope_key(w[2].get("scope")))), None)  # fmt: skip
            if match is not None:
                pairs.append((w, match))
                want.remove(w)
                got.remove(match)
    for e in list(got):
        if "/" in e[1] or len(e[1].split()) < 3:
            continue
        close = [w for w in want if w[0] == e[0] and "/" not in w[1]
                 and (w[1].startswith(e[1] + " ") or e[1].startswith(w[1] + " "))]  # fmt: skip
        if len(close) == 1:
            pairs.append((close[0], e))
            want.remove(close[0])
            got.remove(e)
    return pairs, {"want": want, "got": got}


def _scope_key(scope: str | None) -> str:
    return re.sub(r"[\s,;]+|\bva\b", " ", fold(scope or "whole").lower()).strip()


def relations_report(development: Path = GOLD, held_out: Path = HELD_OUT) -> dict[str, Any]:
    """`tracuu eval relations`: the development gold with its misses, the held-out gold without them."""
    out = {"development": relations_eval(development)}
    if held_out.exists():
        out["held_out"] = {k: v for k, v in relations_eval(held_out).items() if k != "misses"}
    return out


def relations_eval(gold: Path = GOLD) -> dict[str, Any]:
    """Precision and recall per type, over every clause of the gold; the misses and false positives listed."""
    items = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    scope_ok = date_ok = 0
    misses: list[dict[str, Any]] = []
    for item in items:
        want = [
            (r["type"], other_key(r["other"], r.get("other_kind", "number")), r) for r in item["relations"]
        ]
        got = [(r.type, other_key(r.other, r.other_kind), r) for r in find_relations(item["clause"])]
        pairs, left = _pair(want, got)
        for (kind, _, g), (_, _, e) in pairs:
            tp[kind] += 1
            scope_ok += _scope_key(e.scope) == _scope_key(g.get("scope"))
            date_ok += e.date == g.get("from")
        for kind, _, g in left["want"]:
            fn[kind] += 1
            misses.append({"id": item["id"], "missed": g, "clause": item["clause"][:300]})
        for kind, _, e in left["got"]:
            fp[kind] += 1
            misses.append({"id": item["id"], "extra": e.to_dict(), "clause": item["clause"][:300]})
    by_type = {
        t: {"gold": tp[t] + fn[t], "found": tp[t] + fp[t], "recall": _ratio(tp[t], tp[t] + fn[t]),
            "precision": _ratio(tp[t], tp[t] + fp[t])}
        for t in TYPES
    }  # fmt: skip
    total_tp, total_fp, total_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    return {
        "clauses": len(items),
        "relations": total_tp + total_fn,
        "recall": _ratio(total_tp, total_tp + total_fn),
        "precision": _ratio(total_tp, total_tp + total_fp),
        "scope_accuracy": _ratio(scope_ok, total_tp),
        "date_accuracy": _ratio(date_ok, total_tp),
        "by_type": by_type,
        "misses": misses,
    }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None
