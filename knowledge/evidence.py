"""The evidence an answer shows and the documents it cites: passages ordered by what the question asks for (a
number, a date; a term's definition only when its meaning is asked), a plan passage and a legal unit side by
side, the quote that answers; the documents cited in the evidence and the legal units that hold it.

Apart from `answer.py`, which chooses the kind of answer; this is what every kind shows.
"""

from __future__ import annotations

import re
from typing import Any

from tracuu.index.citation import cite
from tracuu.index.search import Hit
from tracuu.ingest.normalize import fold

from .graph import ref_key, resolve
from .policy import LEGAL_TYPES, containing_reference, policy_kind
from .questions import _STOP, EVIDENCE_K, MIN_COVERAGE, _Candidate, coverage

_ASKS_QUANTITY = re.compile(r"\b(?:bao nhiêu|mấy|bao lâu)\b")
_ASKS_WHEN = re.compile(r"\b(?:ngày nào|khi nào|bao giờ|thời điểm nào|năm nào|tháng nào)\b")
_STATES_NUMBER = re.compile(r"\d")
_STATES_DURATION = re.compile(
    r"(?<!ngày )(?<!tháng )\b\d+\s*(?:ngày|tháng|năm|giờ|tuần)\b(?!\s*\d)"
)  # not a date
_STATES_AMOUNT = re.compile(r"\b[Hh]ệ số\s+\d|\d[\d.,]*\s*(?:(?:đồng|phần trăm|lần)\b|%)")
_NOT_UNITS = {"là", "thì", "được", "so", "trong", "cho", "để", "và", "một", "mỗi"}  # "bao nhiêu là …"
_STATES_DATE = re.compile(r"\bngày\s+\d|\b\d{1,2}/\d{1,2}/\d{4}\b|\b(?:năm|tháng)\s+\d")
_LIST_MARK = re.compile(r"^\s*(?:\d+(?:\.\d+)*|[a-zđ])[.)]\s+")  # "1. ", "a) ": not a stated number
SHORT_QUOTE = 160  # a passage shorter than this is quoted after its parent clause
_DOC_TYPE_WORDS = {
    "quyet dinh": "Quyết định", "nghi dinh": "Nghị định", "thong tu": "Thông tư", "chi thi": "Chỉ thị",
    "ke hoach": "Kế hoạch", "nghi quyet": "Nghị quyết", "luat": "Luật", "phap lenh": "Pháp lệnh",
    "cong van": "Công văn",
}  # fmt: skip


def _quote(hit: Hit) -> str:
    """A passage as the answer: a short point or bullet ("a) Hệ số 5,0 …") after the clause it belongs to,
    so the quote keeps what it is about ("… nuôi dưỡng tại cơ sở trợ giúp xã hội …")."""
    parent = [p.strip() for p in (hit.context or "").split("›") if p.strip()]
    if len(hit.text) >= SHORT_QUOTE or not parent or parent[-1].startswith(("Chương", "Phần", "PHẦN")):
        return hit.text
    return f"{parent[-1]}\n{hit.text}"


def _by_answer_type(cands: list[_Candidate], wording: str) -> list[_Candidate]:
    """A "bao nhiêu …?" question is answered by a passage that states a number (of the unit asked, when
    one is named) and "ngày nào …?" by one that states a date: the best-covered such passage, among those
    within 0.15 of the best coverage, goes first ("Mức chuẩn … là bao nhiêu?": the clause with 360.000
    đồng, not the definition)."""
    low = wording.lower()
    patterns: list[re.Pattern] = []
    if m := _ASKS_QUANTITY.search(low):  # "bao nhiêu tuổi": first a number of years, not "03 ngày"
        unit = re.match(r"\s+([^\W\d_]+)", low[m.end() :])
        if unit and unit.group(1) not in _NOT_UNITS:
            patterns.append(re.compile(rf"\d\s*{re.escape(unit.group(1))}\b"))
        # "được trợ cấp bao nhiêu?": a sum or a coefficient, not "Mẫu số 2a"
        if policy_kind(wording) == "amount":
            patterns.append(_STATES_AMOUNT)
        if m.group(0) == "bao lâu":  # "tối đa bao lâu?": a length of time, not "khoản 2 Điều 5"
            patterns.append(_STATES_DURATION)
        patterns.append(_STATES_NUMBER)
    elif _ASKS_WHEN.search(low):
        patterns = [_STATES_DATE]
    if not patterns or not cands:
        return cands
    top = max(c.coverage for c in cands)
    near = [c for c in cands if c.coverage >= top - 0.15]
    for fits in patterns:
        fitting = [c for c in near if fits.search(_LIST_MARK.sub("", c.hit.text))]
        if fitting:
            break
    if not fitting:
        return cands
    # the best covered; among equals, the one whose own words cover most, then the shortest (the general case
    # "Hệ số 1,5 đối với người khuyết tật nặng" before "… trẻ em khuyết tật nặng hoặc người cao tuổi …")
    best = max(
        fitting,
        key=lambda c: (round(c.coverage, 3), round(coverage(wording, c.hit.text), 3), -len(c.hit.text)),
    )
    return [best, *(c for c in cands if c is not best)]


HEADING_TIE = 0.05  # passages this close to the best coverage are ranked by their article's heading
_ARTICLE_HEADING = re.compile(r"\bĐiều\s+\d+\w*\.\s*([^›]+)")


def _by_heading(cands: list[_Candidate], wording: str) -> list[_Candidate]:
    """A law states a rule in the article named after it ("Điều 6. Mức trợ cấp xã hội hằng tháng") and
    mentions the matter in passing elsewhere ("… mức trợ cấp xã hội hàng tháng" in the procedure of Điều 8):
    among legal passages that cover a "which document regulates …?" question about as well as the best, the
    one whose article heading covers the question best goes first (ties keep the ranking's order)."""
    if not cands:
        return cands
    top = max(c.coverage for c in cands)
    near = [c for c in cands if c.coverage >= top - HEADING_TIE and c.hit.doc_type in LEGAL_TYPES]
    if len(near) < 2:
        return cands

    def heading(c: _Candidate) -> float:
        m = _ARTICLE_HEADING.search(c.hit.context or "")
        return coverage(wording, m.group(1)) if m else 0.0

    first = next(c for c in cands if c in near)
    if not _ARTICLE_HEADING.search(first.hit.context or ""):
        return cands  # untitled articles (the Constitution's): nothing to compare
    best = max(near, key=heading)  # the first of equals
    if heading(best) <= heading(first):
        return cands
    return [best, *(c for c in cands if c is not best)]


_DEFINITIONS = re.compile(r"\bGiải thích từ ngữ\b", re.I)  # the article every law opens with
_ASKS_MEANING = re.compile(r"\b(?:là gì|được hiểu|nghĩa là|khái niệm|định nghĩa)\b")


def _definitions_after(cands: list[_Candidate], wording: str) -> list[_Candidate]:
    """A term's definition ("Người có nghĩa vụ và quyền phụng dưỡng … là …") answers "… là gì?", not which
    rule applies: unless the question asks what a word means, a passage of the "Giải thích từ ngữ" article
    goes after the passages as well covered as it."""
    if _ASKS_MEANING.search(wording.lower()):
        return cands
    defines = [c for c in cands if _DEFINITIONS.search(c.hit.context or "")]
    if not defines:
        return cands
    out = [c for c in cands if c not in defines]
    for d in defines:  # after the last passage that covers the question as well
        at = max((i + 1 for i, c in enumerate(out) if c.coverage >= d.coverage), default=0)
        out.insert(at, d)
    return out


def _both_sides(evidence: list[_Candidate], cands: list[_Candidate]) -> list[_Candidate]:
    """Answer from both sides: a plan passage and a legal unit (Điều/Khoản) that governs the matter,
    when both are among the candidates with enough of the question's words."""
    out = list(evidence[:EVIDENCE_K])
    for is_legal in (True, False):
        if any((c.hit.doc_type in LEGAL_TYPES) == is_legal for c in out):
            continue
        extra = next((c for c in cands if (c.hit.doc_type in LEGAL_TYPES) == is_legal
                      and c.coverage >= MIN_COVERAGE - 0.1), None)  # fmt: skip
        if extra is not None:
            out = [*out[: EVIDENCE_K - 1], extra] if len(out) >= EVIDENCE_K else [*out, extra]
    return out


def _references(store, evidence: list[_Candidate], question: str) -> list[dict[str, Any]]:
    """Documents cited in the evidence, those that fit the question's wording (type, issuer) first."""
    q = fold(question).lower()
    wanted_types = {t for w, t in _DOC_TYPE_WORDS.items() if re.search(rf"\b{w}\b", q)}
    seen: dict[str, dict[str, Any]] = {}
    order = 0
    for c in evidence:
        for r in store.refs_in(c.hit.doc_id, c.hit.start, c.hit.end):
            key = ref_key(r)
            if key in seen or (not r["number"] and not r["title"]):
                continue
            doc = resolve(store, r)
            item = {
                "number": r["number"], "type": r["type"], "date": r["date"], "issuer": r["issuer"],
                "in_corpus": doc is not None, "doc_id": doc["doc_id"] if doc else None,
                "title": r["title"], "problems": r["problems"],
                "citation": cite(doc) if doc else r["text"],
            }  # fmt: skip
            fit = (r["type"] in wanted_types) + _issuer_fit(q, r["issuer"])
            seen[key] = {**item, "_rank": (-fit, order)}
            order += 1
    refs = sorted(seen.values(), key=lambda x: x["_rank"])
    for r in refs:
        r.pop("_rank")
    return refs


def _issuer_fit(q: str, issuer: str | None) -> int:
    if not issuer:
        return 0
    words = [w for w in fold(issuer).lower().split() if w not in _STOP]
    return int(bool(words) and sum(w in q.split() for w in words) / len(words) >= 0.6)


def _holding(store, evidence: list[_Candidate]) -> list[dict[str, Any]]:
    """The legal documents that hold the evidence passages, one reference per article, in evidence order."""
    out: list[dict[str, Any]] = []
    for c in evidence:
        ref = containing_reference(store, c.hit)
        article = ref and (_article(c.hit)[1] or ref["unit"])
        if ref and not any(r["doc_id"] == ref["doc_id"] and r["_article"] == article for r in out):
            out.append({**ref, "_article": article})
    for r in out:
        r.pop("_article")
    return out


def _article(hit: Hit) -> tuple[str, str | None]:
    """(document, "Điều N") of a passage."""
    return hit.doc_id, next((p for p in hit.section.split(" › ") if p.startswith("Điều ")), None)


def _unit_text(ref: dict[str, Any], evidence: list[_Candidate]) -> str:
    """The legal unit that answers, cited formally, then quoted."""
    first = next(c for c in evidence if (c.hit.doc_id, c.hit.section) == (ref["doc_id"], ref["unit"]))
    return f"{ref['citation']}: “{_quote(first.hit)}”"
