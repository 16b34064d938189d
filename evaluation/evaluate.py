"""Retrieval evaluation on real benchmarks: ALQAC (laws), Zalo 2021 on Bộ Pháp điển, and the seed
plan's development questions. Results are chunks; an article's rank is that of its best chunk.

Reports Recall@1, Recall@10, MRR@10 and nDCG@10 for lexical, dense and hybrid retrieval, with queries as
written and with diacritics stripped (restored by the n-gram model, or matched on the folded field only).
"""

from __future__ import annotations

import gzip
import json
import math
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracuu.index.backend import Filters
from tracuu.index.search import CANDIDATES, Query, Searcher, convex, rrf
from tracuu.ingest.normalize import fold


@dataclass
class EvalQuery:
    qid: str
    text: str
    gold: set[str]  # keys of relevant items (articles) — or answer strings for "contains" datasets
    kind: str = "key"  # "key": match hit keys; "contains": an answer string appears in a hit's text


@dataclass
class Dataset:
    name: str
    queries: list[EvalQuery]
    key: Callable[[dict[str, Any]], str | None]  # chunk row (doc_title, section, …) → item key
    notes: list[str] = field(default_factory=list)


def rank_of(keys: list[str | None], gold: set[str], k: int = 10) -> list[int]:
    """1-based ranks (within the first k distinct keys) at which gold keys appear."""
    seen: list[str] = []
    for key in keys:
        if key is not None and key not in seen:
            seen.append(key)
        if len(seen) >= k:
            break
    return [i + 1 for i, key in enumerate(seen) if key in gold]


def scores_for(ranks: list[int], n_gold: int, k: int = 10) -> dict[str, float]:
    first = min(ranks) if ranks else None
    dcg = sum(1.0 / math.log2(r + 1) for r in ranks if r <= k)
    idcg = sum(1.0 / math.log2(i + 2) for i in range(min(n_gold, k))) or 1.0
    return {
        "R@1": float(first == 1),
        "R@10": float(first is not None and first <= k),
        "MRR@10": 1.0 / first if first and first <= k else 0.0,
        "nDCG@10": dcg / idcg,
    }


def mean(rows: Iterable[dict[str, float]]) -> dict[str, float]:
    rows = list(rows)
    return {m: sum(r[m] for r in rows) / max(1, len(rows)) for m in rows[0]} if rows else {}


# ---------------------------------------------------------------- datasets
_ARTICLE = re.compile(r"Điều (\d+)")


def law_key(row: dict[str, Any]) -> str | None:
    m = _ARTICLE.search(row.get("section") or "")
    return f"{fold(row.get('doc_title') or '')}#{m.group(1)}" if m else None


def alqac(shared: Path) -> Dataset:
    data = json.loads((shared / "data/incoming/alqac2025/alqac25_train.json").read_text(encoding="utf-8"))
    queries = [
        EvalQuery(
            q["question_id"],
            q["text"],
            {f"{fold(a['law_id'])}#{a['article_id']}" for a in q["relevant_articles"]},
        )
        for q in data
    ]
    return Dataset(
        "ALQAC 2025 train", queries, law_key, ["corpus: the 17 ALQAC laws of corpus/ (2,249 articles)"]
    )


def seed(shared: Path) -> Dataset:
    queries = []
    for line in (shared / "eval/seed_qa_dev.jsonl").read_text(encoding="utf-8").splitlines():
        q = json.loads(line)
        if q["kind"] in {"passage", "reference"}:
            queries.append(EvalQuery(q["id"], q["question"], set(q["answer"]), kind="contains"))
    return Dataset("seed plan dev (passage + reference)", queries, lambda r: None, ["corpus: all of corpus/"])


ZALO_SPLITS = {"dev": (0, 8), "validation": (4, 8), "test": (8, 16)}  # first hex digit of the question id
VALIDATION_ARTICLES = 6000
VALIDATION_SEED = 20261203


def zalo(shared: Path, split: str) -> Dataset:
    """Zalo 2021 questions on Bộ Pháp điển by the first hex digit of the id: 0–7 dev, 8–f test; 4–7 is the
    validation half of dev (0–3 trains the legal adapter, `modelbuild/train_adapter.py`)."""
    low, high = ZALO_SPLITS[split]
    queries = []
    for q in zalo_rows(shared):
        if low <= int(q["qid"][0], 16) < high:
            gold = {p for r in q["relevant"] for p in r["pd_ids"]}
            queries.append(EvalQuery(q["qid"], q["query"], gold))
    corpus = ("the validation subset: every Pháp điển document holding a gold article of these questions plus "
              f"seeded random documents, {VALIDATION_ARTICLES:,}+ articles") if split == "validation" else (
              "all 42,642 Pháp điển articles")  # fmt: skip
    return Dataset(f"Zalo 2021 on Pháp điển ({split})", queries, lambda r: r.get("doc_id_key"),
                   [f"corpus: {corpus}, one document each"])  # fmt: skip


def zalo_rows(shared: Path) -> list[dict[str, Any]]:
    path = shared / "data/incoming/phapdien_vn/zalo2021_on_phapdien_qrels.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def validation_articles(
    shared: Path, target: int = VALIDATION_ARTICLES, seed: int = VALIDATION_SEED
) -> set[str]:
    """The fixed subset the adapter is validated on: whole source documents — each one holding a gold article
    of a validation question, then documents drawn with a fixed seed until `target` articles are in."""
    low, high = ZALO_SPLITS["validation"]
    gold = {p for q in zalo_rows(shared) if low <= int(q["qid"][0], 16) < high for r in q["relevant"]
            for p in r["pd_ids"]}  # fmt: skip
    by_doc: dict[str, list[str]] = {}
    for pd_id, _text, meta in phapdien_raw(shared):
        by_doc.setdefault(meta["number"] or meta["title"], []).append(pd_id)
    chosen = {d for d, ids in by_doc.items() if gold & set(ids)}
    rest = sorted(set(by_doc) - chosen)
    random.Random(seed).shuffle(rest)
    count = sum(len(by_doc[d]) for d in chosen)
    for d in rest:
        if count >= target:
            break
        chosen.add(d)
        count += len(by_doc[d])
    return {p for d in chosen for p in by_doc[d]}


def phapdien_raw(shared: Path, limit: int | None = None) -> Iterable[tuple[str, str, dict[str, str]]]:
    """(pd_id, text, metadata) for each Pháp điển article, as a small legal text "Điều N. heading"."""
    path = shared / "data/incoming/phapdien_vn/phapdien_articles.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if limit and i >= limit:
                return
            a = json.loads(line)
            number = (a.get("source_article") or "Điều 1").replace("Điều", "").strip() or "1"
            text = f"Điều {number}. {a['heading']}\n\n{a['text']}"
            meta = {"title": a.get("doc_title") or a["heading"], "number": a.get("doc_number") or "",
                    "type": a.get("doc_type") or "", "issuer": a.get("issuer") or ""}  # fmt: skip
            yield a["pd_id"], text, meta


# ---------------------------------------------------------------- running
def evaluate(searcher: Searcher, ds: Dataset, modes: list[str], alphas: list[float], k: int = 10,
             row_key: Callable[[int], str | None] | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """All modes for both query forms. Lexical and dense candidates are computed once per query, fusions
    are then cheap to compare."""
    index = searcher.index
    chunk_rows = {r["chunk_id"]: r for r in _chunk_rows(searcher)}
    keys = row_key or (lambda row: ds.key(chunk_rows.get(index.meta.chunk_ids[row], {})))
    texts = lambda row: chunk_rows.get(index.meta.chunk_ids[row], {}).get("text", "")  # noqa: E731
    allowed = index.allowed(Filters())
    results: list[dict[str, Any]] = []
    for form in ("accented", "unaccented", "unaccented-folded-only"):
        queries = [_form(searcher, q.text, form) for q in ds.queries]
        dense_vecs = None
        if "dense" in modes or "hybrid" in modes:
            dense_vecs = (
                searcher.embedder.queries([q.restored or q.text for q in queries])
                if searcher.embedder
                else None
            )
        per: dict[str, list[dict[str, float]]] = {}
        for qi, (q, eq) in enumerate(zip(queries, ds.queries, strict=True)):
            lex = searcher.lexical(q, allowed, CANDIDATES) if q.text else []
            dense = index.dense_search(dense_vecs[qi], CANDIDATES, allowed) if dense_vecs is not None else []
            rankings: dict[str, list[int]] = {}
            if "lexical" in modes:
                rankings["lexical"] = [h.row for h in lex]
            if "dense" in modes and dense:
                rankings["dense"] = [h.row for h in dense]
            if "hybrid" in modes and dense:
                rankings["hybrid rrf"] = [r for r, _ in rrf(lex, dense)]
                for a in alphas:
                    rankings[f"hybrid convex {a:.1f}"] = [r for r, _ in convex(lex, dense, a)]
            for name, rows in rankings.items():
                per.setdefault(name, []).append(_score(eq, rows, keys, texts, k))
        for name, rows in per.items():
            results.append(
                {"dataset": ds.name, "queries": len(ds.queries), "mode": name, "form": form, **mean(rows)}
            )
    return results


def _form(searcher: Searcher, text: str, form: str) -> Query:
    if form == "accented":
        return searcher.prepare(text)
    stripped = fold(text)
    if form == "unaccented":
        return searcher.prepare(stripped)
    return Query(stripped, None, True)  # no restoration: syllables and words will not match, fold will


def _score(eq: EvalQuery, rows: list[int], keys, texts, k: int) -> dict[str, float]:
    if eq.kind == "contains":
        top = rows[:5]
        hit = any(any(_contains(texts(r), a) for a in eq.gold) for r in top)
        first = next(
            (i + 1 for i, r in enumerate(rows[:k]) if any(_contains(texts(r), a) for a in eq.gold)), None
        )
        s = scores_for([first] if first else [], 1, k)
        s["R@5"] = float(hit)
        return s
    return scores_for(rank_of([keys(r) for r in rows], eq.gold, k), len(eq.gold), k)


def _contains(text: str, answer: str) -> bool:
    return fold(answer) in fold(text)


def _chunk_rows(searcher: Searcher) -> list[dict[str, Any]]:
    rows = searcher.store.conn.execute(
        "SELECT c.chunk_id, c.section, c.text, d.title AS doc_title, d.doc_id, d.metadata"
        " FROM chunks c JOIN documents d ON d.doc_id = c.doc_id"
    ).fetchall()
    out = []
    for r in rows:
        d = dict(r)
        d["doc_id_key"] = json.loads(d.pop("metadata") or "{}").get("pd_id")
        out.append(d)
    return out


def ask_top1(searcher: Searcher, ds: Dataset) -> dict[str, Any]:
    """`ask`'s answer scored as ALQAC scores retrieval: the legal unit it answers with (its first reference
    that holds a unit, else its first evidence passage) is in a relevant article. Typed as written."""
    from tracuu.knowledge.answer import ask

    right = 0
    for q in ds.queries:
        result = ask(searcher, q.text)
        held = next((r for r in result["answer"]["references"] if r.get("unit")), None)
        if held is not None:
            row = {"section": held["unit"], "doc_title": held["title"]}
        elif result["evidence"]:
            row = {
                "section": result["evidence"][0]["section"],
                "doc_title": _title(searcher, result["evidence"][0]),
            }
        else:
            continue
        right += ds.key(row) in q.gold
    return {
        "dataset": ds.name,
        "queries": len(ds.queries),
        "ask_top1_article": right / max(1, len(ds.queries)),
    }


def _title(searcher: Searcher, evidence: dict[str, Any]) -> str | None:
    header = searcher.store.header(evidence["doc_id"])
    return header["title"] if header else None


def table(results: list[dict[str, Any]]) -> str:
    metrics = ["R@1", "R@5", "R@10", "MRR@10", "nDCG@10"] if any("R@5" in r for r in results) else [
        "R@1", "R@10", "MRR@10", "nDCG@10"]  # fmt: skip
    lines = ["| dataset | queries | mode | queries typed | " + " | ".join(metrics) + " |",
             "|---|---|---|---|" + "---|" * len(metrics)]  # fmt: skip
    for r in results:
        values = " | ".join(f"{r.get(m, 0.0):.3f}" for m in metrics)
        lines.append(f"| {r['dataset']} | {r['queries']} | {r['mode']} | {r['form']} | {values} |")
    return "\n".join(lines)


# ---------------------------------------------------------------- knowledge base (issue: assignments, answers)
def _norm_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def assignments_eval(tasks: list[dict[str, Any]], gold_path: Path) -> dict[str, Any]:
    """Gold assignments scored one to one (`evaluate_tasks.match`): an item counts when a task of its own
    length holds its phrase and has its lead; a task counts for one item at most. Cooperating agencies and
    deadlines are scored on the items whose lead is right."""
    from .evaluate_tasks import read_gold, score

    items = read_gold(gold_path)
    s, matches = score(tasks, items)
    rows = [{"id": m.gold.get("id"), "ok": m.lead_ok, "gold": m.gold["lead"],
             "got": m.task["lead"] if m.task else None, "section": m.gold.get("section"),
             "task_contains": m.gold["task_contains"], "cooperating_ok": m.cooperating_ok,
             "deadline_ok": m.deadline_ok} for m in matches]  # fmt: skip
    n = max(1, len(items))
    return {"n": len(items), "lead_accuracy": s.lead_right / n, "cooperating_accuracy": s.cooperating_right / n,
            "deadline_accuracy": s.deadline_right / max(1, s.deadlines), "deadlines": s.deadlines,
            "items": rows}  # fmt: skip


def qa_eval(searcher: Searcher, gold_path: Path, unaccented: bool = False) -> dict[str, Any]:
    """Seed questions: lead_agency exact (same agency), reference exact (gold number among references),
    passage (the answer string in an evidence passage); `unaccented` strips every question's diacritics."""
    from tracuu.ingest.agencies import same_agency
    from tracuu.ingest.references import number_key
    from tracuu.knowledge.answer import ask

    items = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    per_kind: dict[str, list[bool]] = {}
    rows = []
    for g in items:
        question = fold(g["question"]) if unaccented else g["question"]
        res = ask(searcher, question)
        a = res["answer"]
        if g["kind"] == "lead_agency":
            ok = a["lead"] is not None and any(same_agency(a["lead"], gold) for gold in g["answer"])
        elif g["kind"] == "reference":
            keys = {number_key(r["number"]) for r in a["references"] if r.get("number")}
            ok = any(number_key(gold) in keys for gold in g["answer"])
        else:
            texts = " ".join(e["text"] for e in res["evidence"])
            ok = any(gold in texts for gold in g["answer"])
        per_kind.setdefault(g["kind"], []).append(ok)
        rows.append({"id": g["id"], "kind": g["kind"], "detected": res["kind"], "ok": ok, "gold": g["answer"],
                     "lead": a["lead"], "references": [r.get("number") for r in a["references"]][:5]})  # fmt: skip
    scored = per_kind.get("lead_agency", []) + per_kind.get("reference", [])
    return {
        "n": len(items),
        "unaccented": unaccented,
        "exact": sum(scored) / max(1, len(scored)),
        "by_kind": {k: {"n": len(v), "accuracy": sum(v) / len(v)} for k, v in per_kind.items()},
        "kind_detection": sum(r["kind"] == r["detected"] for r in rows) / max(1, len(rows)),
        "items": rows,
    }
