"""Validity and relations of the catalog's 3,181 documents, derived from the Bộ Pháp điển article texts.

    .venv/bin/python corpus/build_validity.py [--articles PATH] [--as-of YYYY-MM-DD]

writes `corpus/catalog/phapdien_validity.jsonl`, one line per document of `phapdien_documents.jsonl` (same
order). How each field is derived:
- `effective_from`: the date the Pháp điển source lines of the document's articles give ("…, có hiệu lực
  thi hành kể từ ngày 01/01/2019)"), the most common one when they differ (an article amended later carries
  the amending text's source line); `effective_evidence` is one such source line.
- `relations`: `tracuu.ingest.relations.find_relations` over each article's text (Pháp điển's trailing
  "(Điều này có nội dung liên quan đến …)" cross-references removed first: they are navigation, not law);
  each relation keeps the stating clause (`quote`), its formal citation (Khoản and Điều of the article in
  the source document) and the Pháp điển article id (`pd_id`). Relations to the document itself are dropped.
- `validity`, `expired_from`, `replaced_by`, `expired_by`: `tracuu.knowledge.validity` over these facts
  alone, as of `as_of` (the build date unless given). tracuu recomputes validity at query time, for any
  date, from the same facts plus the corpus's; the stored status is for readers of the file.
Pháp điển holds the provisions in force when it was compiled (snapshot of the source repository, see
`../shared/data/incoming/phapdien_vn/SOURCE.txt`), so an expiry it does not state is not known here.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

from tqdm import tqdm

from tracuu.index.citation import cite
from tracuu.ingest.references import canonical_number, number_key
from tracuu.ingest.relations import find_relations
from tracuu.knowledge.validity import build_ledger

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "data" / "incoming" / "phapdien_vn"
_TRAILER = re.compile(r"\(Điều này có nội dung liên quan đến.*$", re.S)
# the next Pháp điển article run into this one's text ("… Điều 39.3.NĐ.1.1. Phạm vi điều chỉnh (Điều 1 Nghị định
# số 31/2014/NĐ-CP …"): often another document's; what follows is not this article
_NEXT_ARTICLE = re.compile(r"\bĐiều\s+\d+(?:\.\d+)+\.[A-ZĐ]+(?:\.\d+)+\.\s")
_CLAUSE = re.compile(r"^\s*(\d+[a-z]?)\.\s", re.M)
_POINT = re.compile(r"^\s*([a-zđ])\)\s", re.M)


def iso(d: str | None) -> str | None:
    m = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", (d or "").strip())
    return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}" if m else None


def unit_of(text: str, at: int) -> str:
    """ "Điểm a Khoản 2" of the clause holding offset `at` in an article's text ("" in its opening)."""
    line_start = text.rfind("\n", 0, at) + 1
    clause = [m for m in _CLAUSE.finditer(text) if m.start(1) <= at]
    point = _POINT.match(text, line_start)
    out = []
    if point:
        out.append(f"Điểm {point.group(1)}")
    if clause:
        out.append(f"Khoản {clause[-1].group(1)}")
    return " ".join(out)


def _clip(quote: str, size: int = 600) -> str:
    """A clause as quoted in the file: whole up to `size` characters, else cut at a word with "…"."""
    return quote if len(quote) <= size else quote[:size].rsplit(" ", 1)[0] + " …"


class _NoStore:
    """The ledger's store, empty: the catalog's facts alone."""

    def effects(self) -> list[dict]:
        return []

    def relations(self) -> list[dict]:
        return []


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=Path, default=SHARED / "phapdien_articles.jsonl.gz")
    ap.add_argument("--documents", type=Path, default=HERE / "catalog" / "phapdien_documents.jsonl")
    ap.add_argument("--out", type=Path, default=HERE / "catalog" / "phapdien_validity.jsonl")
    ap.add_argument("--as-of", default=date.today().isoformat())
    args = ap.parse_args()
    docs = [
        json.loads(line) for line in args.documents.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    by_key = {number_key(canonical_number(d["doc_number"])): d for d in docs}
    dates: dict[str, Counter[str]] = defaultdict(Counter)
    evidence: dict[str, dict[str, str]] = {}
    relations: dict[str, list[dict]] = defaultdict(list)
    with gzip.open(args.articles, "rt", encoding="utf-8") as f:
        articles = [json.loads(line) for line in f]
    for a in tqdm(articles, desc="Điều luật Pháp điển", unit=" điều"):
        if not a.get("doc_number"):
            continue
        key = number_key(canonical_number(a["doc_number"]))
        if key not in by_key:
            continue
        doc = by_key[key]
        if (when := iso(a.get("effective_from"))) is not None:
            dates[key][when] += 1
            evidence.setdefault(
                f"{key}|{when}", {"raw": a.get("source_raw") or "", "article": a.get("source_article") or ""}
            )
        text = _TRAILER.sub("", a.get("text") or "")
        text = text[: m.start()].rstrip() if (m := _NEXT_ARTICLE.search(text)) else text.rstrip()
        cited = {"type": doc.get("doc_type"), "number": canonical_number(doc["doc_number"]),
                 "date": iso(doc.get("issue_date")), "issuer_full": doc.get("issuer"), "title": doc.get("title")}  # fmt: skip
        for r in find_relations(text):
            if r.other_kind == "number" and number_key(r.other) == key:
                continue
            unit = " ".join(p for p in (unit_of(text, r.start), a.get("source_article") or "") if p)
            relations[key].append({
                "type": r.type, "other": r.other, "other_kind": r.other_kind, "other_date": r.other_date,
                "scope": r.scope, "date": r.date,
                "citation": f"{unit} {cite(cited)}" if unit else cite(cited),
                "quote": _clip(" ".join(text[r.start : r.end].split())), "pd_id": a.get("pd_id"),
            })  # fmt: skip
    items = []
    for d in docs:
        key = number_key(canonical_number(d["doc_number"]))
        when = dates[key].most_common(1)[0][0] if dates[key] else None
        ev = evidence.get(f"{key}|{when}") if when else None
        items.append({
            "doc_number": canonical_number(d["doc_number"]), "doc_type": d.get("doc_type"), "title": d.get("title"),
            "issue_date": iso(d.get("issue_date")), "effective_from": when,
            "effective_citation": f"{ev['article']} {d.get('doc_type')} số {canonical_number(d['doc_number'])} (Bộ Pháp điển)"
            if ev else None,
            "effective_evidence": ev["raw"] if ev else None, "relations": relations.get(key, []),
        })  # fmt: skip
    ledger = build_ledger(_NoStore(), None, items)
    for item in items:
        v = ledger.validity(number_key(item["doc_number"]), args.as_of)
        item.update({"validity": v.validity, "expired_from": v.expired_from, "replaced_by": v.replaced_by,
                     "expired_by": v.expired_by, "as_of": args.as_of})  # fmt: skip
    with args.out.open("w", encoding="utf-8") as f:
        for item in items:
            f.write(json.dumps(item, ensure_ascii=False) + "\n")
    counts = Counter(i["validity"] for i in items)
    types = Counter(r["type"] for i in items for r in i["relations"])
    print(
        f"{len(items)} văn bản, {sum(types.values())} quan hệ {dict(types)}; hiệu lực ngày {args.as_of}: {dict(counts)}"
    )
    print(f"→ {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
