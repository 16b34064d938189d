"""Cited answers from the knowledge base: "cơ quan nào chủ trì …?", "văn bản nào quy định …?".

Retrieval finds the passages; the assignments and citations extracted at ingest say who leads and
which documents apply. Nothing is generated: the lead is an extracted agency, the references are
parsed citations, the text quotes the document, and a question without confident evidence gets
`lead: null` and a sentence saying so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tracuu.index.backend import Filters
from tracuu.index.citation import LAW_TYPES, cite, designation
from tracuu.index.search import Hit, Searcher
from tracuu.index.store import agency_key
from tracuu.ingest.normalize import fold

from .graph import ref_key, resolve
from .policy import LEGAL_TYPES, amount, containing_reference, policy_kind
from .scope import question_scope, unknown_place, without_scope
from .tasks import all_leads, conflicting, task_document

LEAD, REFERENCE, PASSAGE = "lead_agency", "reference", "passage"
EVIDENCE_K = 5
CANDIDATES = 20
DEEP_DOCUMENTS = 5  # searched one by one for the kind of body a question asks for ("Sở nào …?")
NOT_FOUND = (
    "Không tìm thấy căn cứ đủ tin cậy trong kho văn bản để trả lời câu hỏi này; "
    "hãy thử diễn đạt khác hoặc nêu rõ văn bản, lĩnh vực."
)
MIN_COVERAGE = 0.5  # share of the question's content words the evidence must contain
LEAD_SLACK = 0.15  # how much less of the question an assignment's passage may hold than the best passage

_DOC_WORDS = r"(?:van ban|nghi dinh|quyet dinh|thong tu|chi thi|ke hoach|nghi quyet|luat|bo luat|phap lenh|cong van|de an)"
_REFERENCE_Q = re.compile(
    rf"\b{_DOC_WORDS}\s+(?:nao|so may|so bao nhieu|gi)\b|\bquy dinh (?:tai|o|trong)\b|\bcan cu (?:vao )?{_DOC_WORDS}"
    rf"|\btheo {_DOC_WORDS} nao\b|\bvan ban (?:phap luat|quy pham) nao\b"
)
_LEAD_Q = re.compile(
    r"\b(?:co quan|don vi|so|bo|nganh|to chuc|ben|cap|uy ban(?: nhan dan)?|ubnd|chi cuc|cuc|phong|tinh doan)"
    r"\s+nao\b|^\s*ai\b|\bai\s+(?:la\s+)?(?:chu tri|chiu trach nhiem"
    r"|phu trach|thuc hien|trien khai|to chuc|xay dung|lo|tham muu|huong dan|co nhiem vu|co trach nhiem)\b"
    r"|\bcua\s+ai\b|\bnhung ai\b"
)
# "Sở nào …?", "… là trung tâm nào?": the kind of body the question wants (at its start or after là/do/
# thuộc/của, so "cán bộ nào" or "xã hội nào" inside a question is not read as one); folded, as an
# unaccented "so nao" may be restored to "số nào"
_WANTED_BODY = re.compile(
    r"(?:^\W*|\b(?:la|do|thuoc|cua)\s+)(so|ban|trung tam|uy ban nhan dan|ubnd|bo|cuc|chi cuc|tinh doan)\s+nao\b"
)
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
# "Sở Y tế có những nhiệm vụ gì?", "Tỉnh đoàn chủ trì những việc gì?", "Sở Tài chính phải làm gì?"
_ASKS_DUTIES = re.compile(
    r"nhiệm vụ (?:gì|nào)|những nhiệm vụ|nhiệm vụ của|(?:những )?việc gì|làm gì|trách nhiệm gì|được giao (?:gì|những)"
)
DUTIES_LISTED = 10
SHORT_QUOTE = 160  # a passage shorter than this is quoted after its parent clause
_MEMBERS_Q = re.compile(r"\b(?:gom|bao gom)\b")  # "… gồm những ngành nào?" asks for a list, not a lead
_STOP = set(
    "cua cac va cho voi trong tai theo ve la duoc co nhung mot nay do de thi ma hay hoac boi tu den nhu "
    "nao gi dau nhieu may ai khong chua sao the o".split()  # "ở" (at, in): a preposition in nearly every passage
)
_DOC_TYPE_WORDS = {
    "quyet dinh": "Quyết định", "nghi dinh": "Nghị định", "thong tu": "Thông tư", "chi thi": "Chỉ thị",
    "ke hoach": "Kế hoạch", "nghi quyet": "Nghị quyết", "luat": "Luật", "phap lenh": "Pháp lệnh",
    "cong van": "Công văn",
}  # fmt: skip


def detect_kind(question: str) -> str:
    """lead_agency, reference or passage, from the question's wording, with or without diacritics."""
    q = fold(question).lower()
    if _REFERENCE_Q.search(q):
        return REFERENCE
    if _LEAD_Q.search(q) and not _MEMBERS_Q.search(q):
        return LEAD
    return PASSAGE


_FRAME = re.compile(
    r"\b(?:co quan|don vi|to chuc|chu tri|chiu trach nhiem|co trach nhiem|phu trach|thuc hien|trien khai"
    r"|nhiem vu cua|nhiem vu|van ban|quy dinh|ban hanh|la ai|nao|ai"
    r"|(?:nam )?o(?= (?:van ban|dau|dieu|khoan|luat|nghi dinh|thong tu)\b)"
    r"|chinh sach nao|che do nao|ap dung (?:cho|doi voi))\b"
)


def content_words(question: str) -> list[str]:
    """The words a passage must contain to answer the question: folded, without the question's frame
    ("cơ quan nào chủ trì", "văn bản nào quy định") and stop words."""
    text = _FRAME.sub(" ", fold(question).lower())
    words = re.findall(r"\w+", text)
    return [w for w in words if w not in _STOP and (not w.isdigit() or len(w) >= 3)]


def coverage(question: str, text: str) -> float:
    """Share of the question's content words, and of its word pairs, that the passage contains."""
    words = content_words(question)
    if not words:
        return 0.0
    tokens = re.findall(r"\w+", fold(text).lower())
    have = set(tokens)
    unigram = sum(w in have for w in words) / len(words)
    pairs = list(zip(words, words[1:], strict=False))
    if not pairs:
        return unigram
    bigrams = set(zip(tokens, tokens[1:], strict=False))
    return (unigram + sum(p in bigrams for p in pairs) / len(pairs)) / 2


@dataclass
class _Candidate:
    hit: Hit
    coverage: float
    task: dict[str, Any] | None


def _candidate(hit: Hit, wording: str) -> _Candidate:
    """A passage with the share of the question's words it holds (its headings count too)."""
    return _Candidate(hit, coverage(wording, f"{hit.context}\n{hit.text}"), None)


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
        evidence = (
            _by_answer_type(_definitions_after(confident, wording), wording) if kind == PASSAGE else confident
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


@dataclass
class _Duties:
    agency: str
    key: str
    lead: list[dict[str, Any]]  # the assignments it leads
    cooperating: list[dict[str, Any]]  # those it is named to cooperate on
    group: list[dict[str, Any]]  # those given to a group whose heading lists it ("bao gồm: Y tế, …")


def _duties(store, wording: str, doc_id: str | None, docs: tuple[str, ...] | None = None) -> _Duties | None:
    """The agency a "what must X do?" question names, the assignments it leads and those it cooperates on
    (in one named document, when the question names one, or in the documents of its scope); None for other
    questions or an agency no assignment names."""
    if not _ASKS_DUTIES.search(wording.lower()):
        return None
    from tracuu.ingest.agencies import find_agencies

    from .tasks import ROLE_COOPERATING, is_member, role_of

    # as typed, else title-cased: a question is often all lower case ("sở y tế làm gì")
    # ("so y te" may come back restored as "số y tế")
    mentions = (find_agencies(wording) or find_agencies(wording.title())
                or find_agencies(re.sub(r"^\W*số\b", "Sở", wording).title()))  # fmt: skip
    named = {m.agency.key: m.agency for m in mentions}
    if len(named) != 1:
        return None
    agency = next(iter(named.values()))
    key = agency_key(agency.name)  # its own assignments, not those it only co-leads with another
    lead = [t for t in store.tasks(agency=agency.name, doc_id=doc_id) if t.get("lead_key") == key]
    cooperating = [
        t for t in store.tasks_cooperating(agency.name, doc_id)
        if t.get("lead_key") != key and role_of(agency.name, t) == ROLE_COOPERATING
    ]  # fmt: skip
    units: dict[str, dict[str, dict[str, Any]]] = {}
    group = [
        t for t in store.group_tasks(doc_id)
        if is_member(agency.name, t, units.setdefault(t["doc_id"], {u["path"]: u for u in store.units(t["doc_id"])}))
    ]  # fmt: skip
    if docs is not None:
        lead, cooperating, group = (
            [t for t in ts if t["doc_id"] in docs] for ts in (lead, cooperating, group)
        )
    if not (lead or cooperating or group):
        return None
    return _Duties(lead[0]["lead"] if lead else agency.name, key, lead, cooperating, group)


def _duties_text(d: _Duties) -> str:
    """Each assignment quoted (shortened past 200 characters) with its citation, the first ten; those it
    only cooperates on after them, with who leads each."""

    def quoted(tasks: list[dict[str, Any]], first: int, with_lead: bool) -> list[str]:
        items = []
        for i, t in enumerate(tasks, first):
            quote = re.sub(r"\s+", " ", t["task"]).strip().lstrip("-+• ")
            if len(quote) > 200:
                quote = quote[:200].rsplit(" ", 1)[0] + " …"
            doc = task_document(t)
            lead = f"; {t['lead']} chủ trì" if with_lead else ""
            items.append(f"({i}) {quote} ({cite(doc, t['section'])}{lead})")
        return items

    shown_lead = d.lead[:DUTIES_LISTED]
    shown_coop = d.cooperating[: max(0, DUTIES_LISTED - len(shown_lead))]
    parts = []
    if d.lead:
        parts.append(f"{d.agency} chủ trì {len(d.lead)} nhiệm vụ: " + "; ".join(quoted(shown_lead, 1, False)))
    else:
        parts.append(f"{d.agency} không được giao riêng nhiệm vụ chủ trì nào")
    if d.cooperating:
        listed = quoted(shown_coop, len(shown_lead) + 1, True)
        parts.append(
            f"phối hợp thực hiện {len(d.cooperating)} nhiệm vụ" + (": " + "; ".join(listed) if listed else "")
        )
    if d.group:  # the group's tasks by citation only: the agency's own come first
        doc = task_document(d.group[0])
        sections = ", ".join(t["section"] for t in d.group[1:])
        group = d.group[0]["lead"][:1].lower() + d.group[0]["lead"][1:]
        parts.append(f"cùng {group} chủ trì {len(d.group)} nhiệm vụ ({cite(doc, d.group[0]['section'])}"
                     + (f"; {sections}" if sections else "") + ")")  # fmt: skip
    more = len(d.lead) + len(d.cooperating) - len(shown_lead) - len(shown_coop)
    tail = f"; và {more} nhiệm vụ khác (xem `tracuu report --agency` hoặc GET /report)" if more > 0 else ""
    return "; ".join(parts) + tail + "."


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


def _lead_candidate(
    store, cands: list[_Candidate], wording: str = "", deeper: Callable[[str], list[_Candidate]] | None = None
) -> _Candidate | None:
    """The best-covered passage that belongs to an assignment; ties go to the better search rank. A
    question that names the kind of body it wants ("Sở nào …?", "Trung tâm nào …?") is answered by an
    assignment to that kind of body, not by a group ("Các sở, ban, …") or a ministry whose law passage
    ranks higher: `deeper(body)` candidates are looked through when the first ones have none."""
    with_task = _with_task(store, cands)
    wanted = _WANTED_BODY.search(fold(wording).lower())
    if wanted:
        body = wanted.group(1)
        typed = [c for c in with_task if _is_body(c.task["lead"], body)]
        if not typed and deeper is not None:
            typed = [c for c in _with_task(store, deeper(body)) if _is_body(c.task["lead"], body)]
        with_task = typed or with_task
    if not with_task:
        return None
    top = max(c.coverage for c in with_task)
    return next(c for c in with_task if c.coverage >= top - 0.15)


_BODY_NAMES = {
    "so": "Sở", "ban": "Ban", "trung tam": "Trung tâm", "uy ban nhan dan": "Ủy ban nhân dân",
    "ubnd": "Ủy ban nhân dân", "bo": "Bộ", "cuc": "Cục", "chi cuc": "Chi cục", "tinh doan": "Tỉnh đoàn",
}  # fmt: skip


def _is_body(name: str | None, body: str) -> bool:
    """Whether an agency is of a kind of body ("so", folded): "Sở Y tế" is, "Các sở, ban, ngành" is not."""
    body = "uy ban nhan dan" if body == "ubnd" else body
    return fold(name or "").lower().startswith(f"{body} ")


def _with_task(store, cands: list[_Candidate]) -> list[_Candidate]:
    """The candidates that belong to an assignment with a lead (each candidate's task filled in)."""
    for c in cands:
        c.task = c.task or _task_of(store, c.hit)
    return [c for c in cands if c.task is not None and c.task.get("lead")]


def _deeper(
    searcher: Searcher, question: str, wording: str, body: str, docs: tuple[str, ...] | None = None
) -> list[_Candidate]:
    """Passages of the documents that assign tasks to the kind of body asked for (the plans that give
    tasks to each Sở), searched one by one: a law's many clauses on the same matter outrank a plan's
    one line in a search over everything."""

    out: list[_Candidate] = []
    assigning = searcher.store.documents_assigning(
        _BODY_NAMES[body], DEEP_DOCUMENTS if docs is None else 10**6
    )
    for doc_id in [d for d in assigning if docs is None or d in docs][:DEEP_DOCUMENTS]:
        for h in searcher.search(question, k=CANDIDATES, filters=Filters(doc=doc_id)):
            c = _candidate(h, wording)
            if c.coverage >= MIN_COVERAGE:
                out.append(c)
    return out


def _task_of(store, hit: Hit) -> dict[str, Any] | None:
    """The assignment a passage belongs to: the smallest task overlapping it, or the one its bullets share."""
    tasks = store.tasks_in(hit.doc_id, hit.start, hit.end)
    if tasks:
        return tasks[0]
    path = hit.chunk_id.split("#", 1)[-1].split("~")[0]
    rows = store.tasks_below(hit.doc_id, path)
    return rows[0] if rows and len({r["lead"] for r in rows}) == 1 else None


def _lead_text(task: dict[str, Any], hit: Hit) -> str:
    verb = {"request": "được đề nghị thực hiện", "duty": "có trách nhiệm"}.get(task["kind"], "chủ trì")
    quote = re.sub(r"\s+", " ", task["task"]).strip()
    if len(quote) > 400:
        quote = quote[:400].rsplit(" ", 1)[0] + " …"
    return f"{task['lead']} {verb} ({hit.citation}): “{quote}”"


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
