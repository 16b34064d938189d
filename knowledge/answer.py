"""Cited answers from the knowledge base: "cơ quan nào chủ trì …?", "văn bản nào quy định …?".

Retrieval finds the passages; the assignments and citations extracted at ingest say who leads and
which documents apply. Nothing is generated: the lead is an extracted agency, the references are
parsed citations, the text quotes the document, and a question without confident evidence gets
`lead: null` and a sentence saying so.

The parts an answer is made of are apart: what a question asks and how much of it a passage holds
(`questions.py`), documents named by number (`named_documents.py`), an agency's duties (`duties.py`), the
assignment that says who leads (`lead_answer.py`), the evidence shown and the documents cited
(`evidence.py`); amounts and policy kinds are in `policy.py`.
"""

from __future__ import annotations

from typing import Any

from tracuu.index.backend import Filters
from tracuu.index.citation import cite
from tracuu.index.search import Searcher
from tracuu.ingest.normalize import fold

from .duties import _duties, _duties_text
from .evidence import (
    _article,
    _both_sides,
    _by_answer_type,
    _by_heading,
    _definitions_after,
    _holding,
    _quote,
    _references,
    _unit_text,
)
from .lead_answer import _deeper, _lead_candidate, _lead_text, _with_task
from .named_documents import (
    _ABOUT_ISSUANCE,
    _ASKS_SUBJECT,
    _ISSUANCE_WORDS,
    _ISSUED,
    _asked_besides,
    _cited_answer,
    _header,
    _named_documents,
    _rest_of,
    _within,
)
from .policy import LEGAL_TYPES, amount, policy_kind
from .questions import (
    _LEAD_Q,
    CANDIDATES,
    EVIDENCE_K,
    LEAD,
    MIN_COVERAGE,
    PASSAGE,
    REFERENCE,
    _Candidate,
    _candidate,
    detect_kind,
)
from .scope import question_scope, unknown_place, without_scope
from .tasks import all_leads, conflicting, task_document

NOT_FOUND = (
    "Không tìm thấy căn cứ đủ tin cậy trong kho văn bản để trả lời câu hỏi này; "
    "hãy thử diễn đạt khác hoặc nêu rõ văn bản, lĩnh vực."
)
LEAD_SLACK = 0.15  # how much less of the question an assignment's passage may hold than the best passage


def ask(searcher: Searcher, question: str, kind: str | None = None) -> dict[str, Any]:
    """The `tracuu ask --json` contract: {question, kind, answer{lead, cooperating, references, text}, evidence},
    plus `scope` ({names, documents}) when the question names a place or issuer it is answered within."""
    store = searcher.store
    named = _named_documents(store, question)
    headers = [] if named[0] else store.headers()  # a document named by number is the scope itself
    scope = question_scope(headers, question) if headers else None
    if scope is None:
        place = unknown_place(headers, question) if headers else None
        if place is None:
            return _ask(searcher, question, kind, Filters(), named)
        answer = {
            "lead": None,
            "cooperating": [],
            "references": [],
            "text": f"Kho chưa có văn bản nào của {place}.",
        }
        result = _result(question, kind or detect_kind(question), answer, [])
        result["scope"] = {"names": [place], "documents": []}
        return result
    asked = without_scope(question, scope)
    result = _ask(searcher, asked, kind, Filters(docs=scope.docs), _named_documents(store, asked))
    result["question"] = question
    result["scope"] = scope.to_dict()
    if result["answer"]["text"] == NOT_FOUND:
        result["answer"]["text"] = (
            f"Trong văn bản của {', '.join(scope.names)}: {NOT_FOUND[0].lower()}{NOT_FOUND[1:]}"
        )
    return result


def _ask(
    searcher: Searcher, question: str, kind: str | None, filters: Filters, found: tuple[list, list]
) -> dict[str, Any]:
    """The answer within `filters`; `found`: the documents the question names (`_named_documents`)."""
    store = searcher.store
    named, cited = found
    about = named[0][1] if named else cited[0][1] if cited else None
    rest = _rest_of(question, about) if about else ""
    # "Quyết định 650/QĐ-LĐTBXH do cơ quan nào ban hành?" asks about the document, not who leads a task
    # ("ngày", "tháng" alone do not outweigh "Đơn vị nào …": "… thực hiện Kế hoạch 1212 trong tháng 6?")
    issuance_only = (
        about is not None
        and not _asked_besides(rest, _ISSUANCE_WORDS)
        and bool(_ISSUED.search(fold(rest).lower()) or not _LEAD_Q.search(fold(question).lower()))
    )
    if kind is None:
        kind = PASSAGE if issuance_only else detect_kind(question)
    # the restored form of an unaccented question, so coverage counts the words the passage really has
    q = searcher.prepare(question)
    wording = q.restored or q.text
    if cited and not named and kind == PASSAGE and (issuance_only or _ASKS_SUBJECT.search(wording.lower())):
        return _cited_answer(store, question, cited[0][0])  # known only from the corpus's citations of it
    hits = searcher.search(question, k=CANDIDATES, filters=filters)
    cands = [_candidate(h, wording) for h in hits]
    only_names = False  # the question names a document and asks nothing else of it ("Nghị định 20/2021?")
    if named:  # "Nghị định 20/2021/NĐ-CP có hiệu lực từ ngày nào?": that document's own passages first
        only_names = not _asked_besides(rest)
        if not only_names:  # the document is given, not asked for: coverage counts the rest of the question
            rq = searcher.prepare(rest)
            rest_wording = rq.restored or rq.text
            cands = [_candidate(c.hit, rest_wording) for c in cands]
            inside = _within(searcher, rest, rest_wording, named[0][0])
            seen = {c.hit.chunk_id for c in inside}
            cands = inside + [c for c in cands if c.hit.chunk_id not in seen]
    confident = [c for c in cands if c.coverage >= MIN_COVERAGE]
    answer: dict[str, Any] = {"lead": None, "cooperating": [], "references": [], "text": ""}
    evidence: list[_Candidate] = []
    if not confident and (not named or kind != PASSAGE):  # (a named document's header can still answer)
        answer["text"] = NOT_FOUND
        result = _result(question, kind, answer, cands[:EVIDENCE_K])
        if named:
            result["evidence"] = [_header(store, doc, question) for doc, _ in named] + result["evidence"]
        return result
    if kind == LEAD:
        best = _lead_candidate(
            store,
            confident,
            wording,
            deeper=lambda body: _deeper(searcher, question, wording, body, filters.docs),
        )
        # an assignment in a passage far less on the question than the best one is not its answer ("Chính phủ
        # quy định chi tiết … thu hồi Giấy phép" for "cơ quan nào cấp giấy phép thành lập …?"), when a law's provision
        # says it better (a plan's assignments are its answers, however the passages rank)
        top = max(confident, key=lambda c: c.coverage)
        if best is not None and top.hit.doc_type in LEGAL_TYPES and best.coverage < top.coverage - LEAD_SLACK:
            best = None
        # a policy question ("nộp hồ sơ … ở cơ quan nào?") is answered by the provision that ranks first, not
        # by a duty read out of another, less covered article ("Tổng cục Du lịch thông báo …" in Điều 35)
        first = confident[0]
        if (
            best is not None
            and policy_kind(question)
            not in (None, "authority")  # "Cơ quan nào cấp …?": often another article
            and first.hit.doc_type in LEGAL_TYPES
            and best.hit.doc_type in LEGAL_TYPES
            and _article(best.hit) != _article(first.hit)
            and best.coverage < first.coverage
        ):
            best = None
        if best is not None and best.task is not None:
            t = best.task
            answer.update(lead=t["lead"], leads=all_leads(t), cooperating=t["cooperating"])
            answer["text"] = _lead_text(t, best.hit)
            others = conflicting(store, t)
            if others:  # the document gives the same work to another lead too (body and appendix): say both
                answer["conflicts"] = [
                    {"lead": o["lead"], "leads": all_leads(o), "task": o["task"],
                     "citation": cite(task_document(o), o["section"])} for o in others
                ]  # fmt: skip
                answer["text"] += " Lưu ý: văn bản cũng giao nội dung này cho " + "; ".join(
                    f"{c['lead']} ({c['citation']})" for c in answer["conflicts"]
                )
            evidence = [best] + [c for c in confident if c is not best]
        else:
            answer["text"] = (
                "Các đoạn tìm được không giao rõ cơ quan chủ trì cho nội dung này; xem các đoạn trích dẫn bên dưới."
            )
            evidence = confident
    else:
        ranked = _by_heading(confident, wording) if policy_kind(question) == "document" else confident
        evidence = (
            _by_answer_type(_definitions_after(ranked, wording), wording) if kind == PASSAGE else ranked
        )
    doc_id = named[0][0]["doc_id"] if named else None
    duties = _duties(store, wording, doc_id, filters.docs) if kind == PASSAGE else None
    if duties:  # "Sở Y tế có những nhiệm vụ gì?": its assignments, each quoted and cited
        _with_task(store, cands)
        mine = {(t["doc_id"], t["ord"]) for t in duties.lead or duties.cooperating}
        own = [c for c in cands if c.task and (c.task["doc_id"], c.task["ord"]) in mine]
        evidence = own + [c for c in evidence if c not in own]
    evidence = _both_sides(evidence, cands)
    # the legal units that hold the evidence answer "which rule": they go first, each cited formally
    holding = _holding(store, evidence) if (kind != LEAD or not answer["lead"]) and not duties else []
    refs = holding + [r for r in _references(store, evidence, question)
                      if not any(h["doc_id"] == r["doc_id"] for h in holding)]  # fmt: skip
    answer["references"] = refs
    if kind == LEAD and not answer["lead"] and holding and evidence[0].hit.doc_type in LEGAL_TYPES:
        answer["text"] = _unit_text(holding[0], evidence)  # no assignment answers: the provision does
    if kind == REFERENCE:
        if holding:
            answer["text"] = _unit_text(holding[0], evidence)
        elif refs:
            answer["text"] = "; ".join(r["citation"] for r in refs[:3])
        else:
            answer["text"] = "Các đoạn tìm được không viện dẫn văn bản nào cho nội dung này."
    elif kind == PASSAGE:
        answer["text"] = _duties_text(duties) if duties else _quote(evidence[0].hit) if evidence else ""
    if kind != LEAD and evidence and policy_kind(question) == "amount":
        if (computed := amount(store, evidence[0].hit)) is not None:  # "hệ số 1,5" × the base it refers to
            answer["amount"] = computed
            answer["text"] += (
                f"\nMức tính: {computed['text']} ({computed['base_name']} tại {computed['base_citation']})."
            )
    result = _result(question, kind, answer, evidence)
    headers = [_header(store, doc, question) for doc, _ in named]
    if headers:  # a question about a named document: its header (number, date, issuer) is evidence too
        about_document = (
            kind == PASSAGE
            and not duties
            and (only_names or issuance_only or not confident or _ABOUT_ISSUANCE.search(wording.lower()))
        )
        first = headers if about_document or kind != PASSAGE else []
        rest = [h for h in headers if not any(h is f for f in first)]
        result["evidence"] = [*first, *result["evidence"], *rest][: EVIDENCE_K + len(headers)]
        if about_document:
            answer["text"] = headers[0]["text"]
    return result


def _result(question: str, kind: str, answer: dict[str, Any], evidence: list[_Candidate]) -> dict[str, Any]:
    answer.setdefault("leads", [answer["lead"]] if answer.get("lead") else [])
    return {
        "question": question,
        "kind": kind,
        "policy_kind": policy_kind(question),
        "answer": answer,
        "evidence": [
            {
                "chunk_id": c.hit.chunk_id,
                "doc_id": c.hit.doc_id,
                "section": c.hit.section,
                "text": c.hit.text,
                "citation": c.hit.citation,
                "score": c.hit.score,
                "coverage": round(c.coverage, 3),
            }  # fmt: skip
            for c in evidence
        ],
    }
