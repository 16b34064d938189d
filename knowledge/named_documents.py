"""Questions that name a document by number ("Kế hoạch 1212/KH-UBND …?"): the documents named, in the corpus
or known only from its citations; what the question asks of the document besides naming it (only how it
was issued, or nothing); the document's header as evidence, its own passages for the rest of the question,
and the answer for a document the corpus only cites.

Apart from `answer.py`, which decides from these what kind of answer a named document gets.
"""

from __future__ import annotations

import re
from typing import Any

from tracuu.index.backend import Filters
from tracuu.index.citation import LAW_TYPES, cite, designation
from tracuu.index.search import Searcher
from tracuu.ingest.normalize import fold

from .graph import resolve
from .questions import (
    _LEAD_Q,
    CANDIDATES,
    EVIDENCE_K,
    PASSAGE,
    _Candidate,
    _candidate,
    content_words,
    coverage,
)

# what a document's header answers: its issuance, signer, number, title
# (a trailing "… gì": "quy định gì về mức chuẩn?" asks about mức chuẩn)
_ASKS_SUBJECT = re.compile(
    r"(?:quy định|điều chỉnh|nói|đề cập)\s+(?:về\s+)?(?:(?:những\s+)?(?:vấn đề|nội dung|lĩnh vực|việc)\s+)?gì\W*$"
)
_ABOUT_ISSUANCE = re.compile(
    r"ban hành(?! kèm)|(?<!đăng )(?<!giao )\bký\b(?! kết)|số hiệu|trích yếu|\bdo ai\b|\bcủa ai\b|về việc gì"
    r"|tên (?:là )?gì|" + _ASKS_SUBJECT.pattern
)
# what is left of a question about a named document when it asks only how that document was issued
# ("Quyết định 650/QĐ-LĐTBXH do cơ quan nào ban hành, ngày nào?"): folded
_ISSUANCE_WORDS = re.compile(r"\b(?:ban hanh|ky|ngay|nam|thang|so hieu|trich yeu)\b")
_ISSUED = re.compile(r"\b(?:ban hanh|ky|so hieu|trich yeu)\b(?! (?:kem|ket))")  # what outweighs a "who" frame
# a document type written before or after the number the question names ("NĐ 20/2021", "nd 20/2021")
_TYPE_ABBREVIATIONS = set(
    "nd qd tt nq kh ct cv tb ttlt ttg cp ubnd hdnd nghi dinh quyet thong tu chi thi".split()
)


def _named_documents(
    store, question: str
) -> tuple[
    list[tuple[dict[str, Any], list[tuple[int, int]]]], list[tuple[dict[str, Any], list[tuple[int, int]]]]
]:
    """The corpus documents the question names by number ("Kế hoạch 1212/KH-UBND"), and the documents it
    names that the corpus only cites (their `tracuu refs` entry), each with where the question names it."""
    from dataclasses import asdict

    from tracuu.ingest.references import find_typed_references

    from .graph import references

    named: list[tuple[dict[str, Any], list[tuple[int, int]]]] = []
    cited: list[tuple[dict[str, Any], list[tuple[int, int]]]] = []
    for ref in find_typed_references(question):  # "1212/kh-ubnd" as typed
        doc = resolve(store, asdict(ref))
        if doc is None:
            known = references(store, ref.number)["references"] if ref.number else []
            if known:
                _add_span(cited, known[0], "number", (ref.start, ref.end))
            continue
        _add_span(named, doc, "doc_id", (ref.start, ref.end))
    return named, cited


def _add_span(found: list[tuple[dict[str, Any], list[tuple[int, int]]]], item: dict[str, Any], key: str,
              span: tuple[int, int]) -> None:  # fmt: skip
    spans = next((spans for d, spans in found if d[key] == item[key]), None)
    if spans is None:
        found.append((item, [span]))
    else:
        spans.append(span)


def _asked_besides(rest: str, also: re.Pattern | None = None) -> list[str]:
    """The content words of a question about a named document once the document is taken out: none left
    means it asks only for the document ("NĐ 20/2021?"), or, with `also`, only how it was issued."""
    text = _LEAD_Q.sub(" ", fold(rest).lower())  # "Bộ nào ban hành …?": the body asked for is not content
    if also is not None:
        text = also.sub(" ", text)
    return [w for w in content_words(text) if w not in _TYPE_ABBREVIATIONS]


def _cited_answer(store, question: str, ref: dict[str, Any]) -> dict[str, Any]:
    """A document the corpus does not hold, answered from how the corpus cites it: number, date, issuer
    and title as written there, with the passages that cite it as evidence."""
    doc = {"type": ref["type"], "number": ref["number"], "date": ref["date"], "issuer": ref["issuer"],
           "title": ref["title"] if ref["type"] in LAW_TYPES else None}  # fmt: skip
    name = designation(doc)
    if ref["type"] in LAW_TYPES:  # a law's designation is its name, number and date: add who passed it
        name += f" của {ref['issuer']}" if ref["issuer"] else ""
    elif ref.get("title"):
        name += f" {ref['title']}"
    evidence: list[dict[str, Any]] = []
    for r in store.refs(number=ref["number"]):
        chunk = store.chunk_at(r["doc_id"], r["start"], r["end"])
        if chunk is None or any(e["chunk_id"] == chunk["chunk_id"] for e in evidence):
            continue
        citing = store.header(r["doc_id"]) or {"doc_id": r["doc_id"]}
        evidence.append({"chunk_id": chunk["chunk_id"], "doc_id": r["doc_id"], "section": chunk["section"],
                         "text": chunk["text"], "citation": cite(citing, chunk["section"]), "score": 1.0,
                         "coverage": round(coverage(question, chunk["text"]), 3)})  # fmt: skip
        if len(evidence) == EVIDENCE_K:
            break
    where = f" tại {evidence[0]['citation']}" if evidence else ""
    item = {
        "number": ref["number"], "type": ref["type"], "date": ref["date"], "issuer": ref["issuer"],
        "in_corpus": False, "doc_id": None, "title": ref["title"], "problems": ref["problems"],
        "citation": designation(doc),
    }  # fmt: skip
    text = f"{name} (văn bản chưa có trong kho; thông tin theo trích dẫn{where})."
    answer = {"lead": None, "leads": [], "cooperating": [], "references": [item], "text": text}
    return {"question": question, "kind": PASSAGE, "answer": answer, "evidence": evidence}


def _header(store, doc: dict[str, Any], question: str) -> dict[str, Any]:
    """The document's header block (number, date, issuer, title) as an evidence item."""
    units = store.units(doc["doc_id"])
    head = doc["text"][: units[0]["start"]] if units else doc["text"][:600]
    head = re.sub(r"\s+", " ", head).strip()[:600]
    return {"chunk_id": f"{doc['doc_id']}#header", "doc_id": doc["doc_id"], "section": "header",
            "text": head, "citation": cite(doc), "score": 1.0,
            "coverage": round(coverage(question, head), 3)}  # fmt: skip


def _rest_of(question: str, spans: list[tuple[int, int]]) -> str:
    """The question without the document references at `spans`."""
    parts, last = [], 0
    for start, end in sorted(spans):
        parts.append(question[last:start])
        last = end
    parts.append(question[last:])
    return re.sub(r"\s+", " ", " ".join(parts)).strip()


def _within(searcher: Searcher, rest: str, wording: str, doc: dict[str, Any]) -> list[_Candidate]:
    """The named document's passages for the rest of the question: inside it the document calls itself
    "Nghị định này", so its number would only lower the coverage of the passage that answers."""

    hits = searcher.search(rest, k=CANDIDATES, filters=Filters(doc=doc["doc_id"]))
    return [_candidate(h, wording) for h in hits]
