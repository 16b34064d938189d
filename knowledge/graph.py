"""The citation graph, read from the store: both directions of "cites" / "cited by", and what the store
knows of a cited number (`references`)."""

from __future__ import annotations

from typing import Any

from tracuu.index.citation import cite
from tracuu.index.store import Store
from tracuu.ingest.normalize import fold
from tracuu.ingest.references import number_key


def ref_key(r: dict[str, Any]) -> str:
    """One key per cited document: its number, or its type and name for laws cited by name."""
    if r.get("number"):
        return number_key(r["number"])
    return f"{r.get('type')}:{fold(r.get('title') or '').lower()}"


def ref_label(r: dict[str, Any]) -> str:
    if r.get("number"):
        return f"{r.get('type') or 'Văn bản'} số {r['number']}"
    return f"{r.get('type') or ''} {r.get('title') or ''}".strip()


def resolve(store: Store, r: dict[str, Any]) -> dict[str, Any] | None:
    """The corpus document a citation points to, if the corpus has it."""
    if r.get("number"):
        return store.find_number(r["number"])
    title = fold(r.get("title") or "").lower()
    if not title or not r.get("type"):
        return None
    seen, hidden = store.unhidden()
    for row in store.conn.execute(
        f"SELECT doc_id, title FROM documents WHERE type = ? AND {seen}", (r["type"], *hidden)
    ):
        doc_title = fold(row["title"] or "").lower()
        if (
            doc_title == title
            or doc_title.endswith(f" {title}")
            or doc_title == f"{fold(r['type']).lower()} {title}"
        ):
            return store.find(row["doc_id"])
    return None


def references(store: Store, number: str | None = None) -> dict[str, Any]:
    """`tracuu refs [NUMBER] --json`: each cited document once, where it is cited, and (when it is in the
    corpus) what it cites in turn."""
    groups: dict[str, dict[str, Any]] = {}
    for r in store.refs(number=number):
        key = ref_key(r)
        if not r.get("number") and not r.get("title"):
            continue
        g = groups.get(key)
        if g is None:
            doc = resolve(store, r)
            g = groups[key] = {
                "number": r["number"], "type": r["type"], "title": r["title"], "label": ref_label(r),
                "date": r["date"], "issuer": r["issuer"], "in_corpus": doc is not None,
                "doc_id": doc["doc_id"] if doc else None, "citation": cite(doc) if doc else None,
                "problems": [], "cited_in": [], "cites": cites(store, doc["doc_id"]) if doc else [],
            }  # fmt: skip
        for field in ("date", "issuer", "title"):
            g[field] = g[field] or r[field]
        for p in r["problems"]:
            if p not in g["problems"]:
                g["problems"].append(p)
        citing = {
            "doc_id": r["doc_id"], "doc_number": r["doc_number"], "section": r["section"], "text": r["text"],
            "unit_path": r["unit_path"], "problems": r["problems"],
            "citation": cite({"type": r["doc_type"], "number": r["doc_number"], "date": r["doc_date"],
                              "issuer_full": r["doc_issuer"], "title": r["doc_title"]}, r["section"] or ""),
        }  # fmt: skip
        g["cited_in"].append(citing)
    return {"number": number, "references": list(groups.values())}


def cites(store: Store, doc_id: str) -> list[dict[str, Any]]:
    """The documents one document cites (each once)."""
    out: dict[str, dict[str, Any]] = {}
    for r in store.refs(doc_id=doc_id):
        key = ref_key(r)
        if key in out or (not r.get("number") and not r.get("title")):
            continue
        doc = resolve(store, r)
        out[key] = {"number": r["number"], "type": r["type"], "label": ref_label(r), "in_corpus": doc is not None,
                    "doc_id": doc["doc_id"] if doc else None}  # fmt: skip
    return list(out.values())


def cited_by(store: Store, doc_id: str) -> list[dict[str, Any]]:
    """The corpus documents that cite this one (by its number or, for a law, its name)."""
    doc = store.find(doc_id)
    if doc is None:
        return []
    rows = store.refs(number=doc["number"]) if doc.get("number") else []
    seen: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r["doc_id"] != doc_id and r["doc_id"] not in seen:
            seen[r["doc_id"]] = {"doc_id": r["doc_id"], "number": r["doc_number"], "type": r["doc_type"],
                                 "title": r["doc_title"], "section": r["section"]}  # fmt: skip
    return list(seen.values())
