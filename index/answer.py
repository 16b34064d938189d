"""Cited answers from the knowledge base: "cơ quan nào chủ trì …?", "văn bản nào quy định …?".

Retrieval finds the passages; the assignments and citations extracted at ingest say who leads and
which documents apply. Nothing is generated: the lead is an extracted agency, the references are
parsed citations, the text quotes the document, and a question without confident evidence gets
`lead: null` and a sentence saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tracuu.ingest.normalize import fold

from .citation import cite
from .knowledge import ref_key, resolve
from .search import Hit, Searcher
from .store import agency_key

LEAD, REFERENCE, PASSAGE = "lead_agency", "reference", "passage"
EVIDENCE_K = 5
CANDIDATES = 20
NOT_FOUND = (
    "Không tìm thấy căn cứ đủ tin cậy trong kho văn bản để trả lời câu hỏi này; "
    "hãy thử diễn đạt khác hoặc nêu rõ văn bản, lĩnh vực."
)
MIN_COVERAGE = 0.5  # share of the question's content words the evidence must contain

_DOC_WORDS = r"(?:van ban|nghi dinh|quyet dinh|thong tu|chi thi|ke hoach|nghi quyet|luat|bo luat|phap lenh|cong van|de an)"
_REFERENCE_Q = re.compile(
    rf"\b{_DOC_WORDS}\s+(?:nao|so may|so bao nhieu|gi)\b|\bquy dinh (?:tai|o|trong)\b|\bcan cu (?:vao )?{_DOC_WORDS}"
    rf"|\btheo {_DOC_WORDS} nao\b|\bvan ban (?:phap luat|quy pham) nao\b"
)
_LEAD_Q = re.compile(
    r"\b(?:co quan|don vi|so|bo|nganh|to chuc|ben|cap)\s+nao\b|^\s*ai\b|\bai\s+(?:la\s+)?(?:chu tri|chiu trach nhiem"
    r"|phu trach|thuc hien|trien khai|to chuc|xay dung|lo|tham muu|huong dan|co nhiem vu|co trach nhiem)\b"
    r"|\bcua\s+ai\b|\bnhung ai\b"
)
# "Sở nào …?", "… là trung tâm nào?": the kind of body the question wants (at its start or after là/do/
# thuộc/của, so "cán bộ nào" or "xã hội nào" inside a question is not read as one)
_WANTED_BODY = re.compile(
    r"(?:^\W*|\b(?:là|do|thuộc|của)\s+)(sở|ban|trung tâm|ủy ban nhân dân|ubnd|bộ|cục|chi cục|tỉnh đoàn)\s+nào\b"
)
_ASKS_QUANTITY = re.compile(r"\b(?:bao nhiêu|mấy|bao lâu)\b")
_ASKS_WHEN = re.compile(r"\b(?:ngày nào|khi nào|bao giờ|thời điểm nào|năm nào|tháng nào)\b")
_STATES_NUMBER = re.compile(r"\d")
_NOT_UNITS = {"là", "thì", "được", "so", "trong", "cho", "để", "và", "một", "mỗi"}  # "bao nhiêu là …"
_STATES_DATE = re.compile(r"\bngày\s+\d|\b\d{1,2}/\d{1,2}/\d{4}\b|\b(?:năm|tháng)\s+\d")
_LIST_MARK = re.compile(r"^\s*(?:\d+(?:\.\d+)*|[a-zđ])[.)]\s+")  # "1. ", "a) ": not a stated number
# what a document's header answers: its issuance, signer, number, title
_ABOUT_ISSUANCE = re.compile(
    r"ban hành|\bký\b|số hiệu|trích yếu|\bdo ai\b|\bcủa ai\b|về việc gì|tên (?:là )?gì"
)
# "Sở Y tế có những nhiệm vụ gì?", "Tỉnh đoàn chủ trì những việc gì?", "Sở Tài chính phải làm gì?"
_ASKS_DUTIES = re.compile(
    r"nhiệm vụ (?:gì|nào)|những nhiệm vụ|nhiệm vụ của|(?:những )?việc gì|làm gì|trách nhiệm gì|được giao (?:gì|những)"
)
DUTIES_LISTED = 10
_SYMBOL = re.compile(r"\b(\d{1,5}(?:/\d{4})?[/-])([a-zđ&]+(?:[-/][a-zđ&0-9]+)*)\b", re.I)
_MEMBERS_Q = re.compile(r"\b(?:gom|bao gom)\b")  # "… gồm những ngành nào?" asks for a list, not a lead
_STOP = set(
    "cua cac va cho voi trong tai theo ve la duoc co nhung mot nay do de thi ma hay hoac boi tu den nhu "
    "nao gi dau nhieu may ai khong chua sao the".split()
)
_DOC_TYPE_WORDS = {
    "quyet dinh": "Quyết định", "nghi dinh": "Nghị định", "thong tu": "Thông tư", "chi thi": "Chỉ thị",
    "ke hoach": "Kế hoạch", "nghi quyet": "Nghị quyết", "luat": "Luật", "phap lenh": "Pháp lệnh",
    "cong van": "Công văn",
}  # fmt: skip
_LEGAL_TYPES = {"Luật", "Bộ luật", "Hiến pháp", "Nghị định", "Thông tư", "Thông tư liên tịch", "Pháp lệnh"}


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
    r"|nhiem vu cua|nhiem vu|van ban|quy dinh tai|duoc quy dinh|ban hanh|la ai|nao|ai)\b"
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


def ask(searcher: Searcher, question: str, kind: str | None = None) -> dict[str, Any]:
    """The `tracuu ask --json` contract: {question, kind, answer{lead, cooperating, references, text}, evidence}."""
    kind = kind or detect_kind(question)
    store = searcher.store
    # the restored form of an unaccented question, so coverage counts the words the passage really has
    q = searcher.prepare(question)
    wording = q.restored or q.text
    hits = searcher.search(question, k=CANDIDATES)
    cands = [_Candidate(h, coverage(wording, f"{h.context}\n{h.text}"), None) for h in hits]
    named = _named_documents(store, question)
    only_names = False  # the question names a document and asks nothing else of it ("Nghị định 20/2021?")
    if named:  # "Nghị định 20/2021/NĐ-CP có hiệu lực từ ngày nào?": that document's own passages first
        rest = _rest_of(question, named[0][1])
        only_names = not content_words(rest)
        if not only_names:  # the document is given, not asked for: coverage counts the rest of the question
            rq = searcher.prepare(rest)
            rest_wording = rq.restored or rq.text
            cands = [
                _Candidate(c.hit, coverage(rest_wording, f"{c.hit.context}\n{c.hit.text}"), None)
                for c in cands
            ]
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
        best = _lead_candidate(store, confident, wording)
        if best is not None and best.task is not None:
            t = best.task
            answer.update(lead=t["lead"], cooperating=t["cooperating"])
            answer["text"] = _lead_text(t, best.hit)
            evidence = [best] + [c for c in confident if c is not best]
        else:
            answer["text"] = (
                "Các đoạn tìm được không giao rõ cơ quan chủ trì cho nội dung này; xem các đoạn trích dẫn bên dưới."
            )
            evidence = confident
    else:
        evidence = _by_answer_type(confident, wording) if kind == PASSAGE else confident
    duties = _duties(store, wording, named[0][0]["doc_id"] if named else None) if kind == PASSAGE else None
    if duties:  # "Sở Y tế có những nhiệm vụ gì?": its assignments, each quoted and cited
        tasks = duties[1]
        for c in cands:
            c.task = c.task or _task_of(store, c.hit)
        own = [c for c in cands if c.task and c.task.get("lead_key") == tasks[0]["lead_key"]]
        evidence = own + [c for c in evidence if c not in own]
    evidence = _both_sides(evidence, cands)
    refs = _references(store, evidence, question)
    answer["references"] = refs
    if kind == REFERENCE:
        if refs:
            answer["text"] = "; ".join(r["citation"] for r in refs[:3])
        else:
            answer["text"] = "Các đoạn tìm được không viện dẫn văn bản nào cho nội dung này."
    elif kind == PASSAGE:
        answer["text"] = _duties_text(*duties) if duties else evidence[0].hit.text if evidence else ""
    result = _result(question, kind, answer, evidence)
    headers = [_header(store, doc, question) for doc, _ in named]
    if headers:  # a question about a named document: its header (number, date, issuer) is evidence too
        about_document = (
            kind == PASSAGE
            and not duties
            and (only_names or not confident or _ABOUT_ISSUANCE.search(wording.lower()))
        )
        first = headers if about_document or kind != PASSAGE else []
        rest = [h for h in headers if not any(h is f for f in first)]
        result["evidence"] = [*first, *result["evidence"], *rest][: EVIDENCE_K + len(headers)]
        if about_document:
            answer["text"] = headers[0]["text"]
    return result


def _duties(store, wording: str, doc_id: str | None) -> tuple[str, list[dict[str, Any]]] | None:
    """The agency a "what must X do?" question names, and the assignments it leads (in one named
    document, when the question names one); None for other questions or an agency without any."""
    if not _ASKS_DUTIES.search(wording.lower()):
        return None
    from tracuu.ingest.agencies import find_agencies

    # as typed, else title-cased: a question is often all lower case ("sở y tế làm gì")
    mentions = find_agencies(wording) or find_agencies(wording.title())
    named = {m.agency.key: m.agency for m in mentions}
    if len(named) != 1:
        return None
    agency = next(iter(named.values()))
    key = agency_key(agency.name)  # its own assignments, not those it only co-leads with another
    tasks = [t for t in store.tasks(agency=agency.name, doc_id=doc_id) if t.get("lead_key") == key]
    return (tasks[0]["lead"], tasks) if tasks else None


def _duties_text(agency: str, tasks: list[dict[str, Any]]) -> str:
    """Each assignment quoted (shortened past 200 characters) with its citation, the first ten."""
    items = []
    for i, t in enumerate(tasks[:DUTIES_LISTED], 1):
        quote = re.sub(r"\s+", " ", t["task"]).strip().lstrip("-+• ")
        if len(quote) > 200:
            quote = quote[:200].rsplit(" ", 1)[0] + " …"
        doc = {k: t.get(k) for k in ("type", "number", "date", "issuer", "issuer_full", "title")}
        items.append(f"({i}) {quote} ({cite(doc, t['section'])})")
    more = len(tasks) - DUTIES_LISTED
    tail = f"; và {more} nhiệm vụ khác (xem `tracuu tasks --agency` hoặc GET /tasks)" if more > 0 else ""
    return f"{agency} chủ trì {len(tasks)} nhiệm vụ: " + "; ".join(items) + tail + "."


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
    best = max(fitting, key=lambda c: c.coverage)  # the first of the best covered, in search order
    return [best, *(c for c in cands if c is not best)]


def _named_documents(store, question: str) -> list[tuple[dict[str, Any], list[tuple[int, int]]]]:
    """Each corpus document the question names by number ("Kế hoạch 1212/KH-UBND"), with where."""
    from dataclasses import asdict

    from tracuu.ingest.references import find_references

    out: list[tuple[dict[str, Any], list[tuple[int, int]]]] = []
    typed = _SYMBOL.sub(lambda m: m.group(1) + m.group(2).upper(), question)  # "1212/kh-ubnd" as typed
    for ref in find_references(typed):
        doc = resolve(store, asdict(ref))
        if doc is None:
            continue
        known = next((spans for d, spans in out if d["doc_id"] == doc["doc_id"]), None)
        if known is None:
            out.append((doc, [(ref.start, ref.end)]))
        else:
            known.append((ref.start, ref.end))
    return out


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
    from tracuu.index.backend import Filters

    hits = searcher.search(rest, k=CANDIDATES, filters=Filters(doc=doc["doc_id"]))
    return [_Candidate(h, coverage(wording, f"{h.context}\n{h.text}"), None) for h in hits]


def _lead_candidate(store, cands: list[_Candidate], wording: str = "") -> _Candidate | None:
    """The best-covered passage that belongs to an assignment; ties go to the better search rank. A
    question that names the kind of body it wants ("Sở nào …?", "Trung tâm nào …?") is answered by an
    assignment to that kind of body when one is among the candidates, not by a group ("Các sở, ban, …")."""
    for c in cands:
        c.task = _task_of(store, c.hit)
    with_task = [c for c in cands if c.task is not None and c.task.get("lead")]
    if not with_task:
        return None
    wanted = _WANTED_BODY.search(wording.lower())
    if wanted:
        body = wanted.group(1)
        typed = [c for c in with_task if c.task["lead"].lower().startswith(f"{body} ")]
        with_task = typed or with_task
    top = max(c.coverage for c in with_task)
    return next(c for c in with_task if c.coverage >= top - 0.15)


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
        if any((c.hit.doc_type in _LEGAL_TYPES) == is_legal for c in out):
            continue
        extra = next((c for c in cands if (c.hit.doc_type in _LEGAL_TYPES) == is_legal
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


def _result(question: str, kind: str, answer: dict[str, Any], evidence: list[_Candidate]) -> dict[str, Any]:
    return {
        "question": question,
        "kind": kind,
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
