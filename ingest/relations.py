"""Typed relations between documents, as the texts state them: "Nghị định này thay thế Nghị định số
136/2013/NĐ-CP", "… hết hiệu lực kể từ ngày 01/7/2021", "bãi bỏ Điều 5, khoản 2 Điều 7 của Nghị định số …",
"sửa đổi, bổ sung một số điều của Luật …", "quy định chi tiết … Luật …", "Căn cứ Luật … số …;".

One mechanism for every type: the citations of a clause (`references.find_references`) and the verb that
governs each — a verb before it whose object is the citation itself or parts of it ("một số điều của",
"Điều 5, khoản 2 Điều 7 của"), or "hết hiệu lực" after the citations it has as subject. A verb whose object
is something else ("bãi bỏ thủ tục …", "sửa đổi hồ sơ theo Nghị định …") states no relation. Each relation
keeps the clause that states it (its span), the parts it touches and the date it takes effect: a date, or
"on_effect" when the clause says "kể từ ngày <this document> có hiệu lực".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import DATE, parse_date
from .references import Reference, find_references

_SELF = r"(?:Nghị\s+định|Hiến\s+pháp|Luật|Bộ\s+luật|Thông\s+tư(?:\s+liên\s+tịch)?|Quyết\s+định|Nghị\s+quyết|Pháp\s+lệnh|Chỉ\s+thị|Văn\s+bản)\s+này"
TYPES = ("replaces", "expires", "repeals_part", "amends", "guides", "based_on")

_PART = (
    r"(?:(?:các\s+điều\s+)?từ\s+[Đđ]iều\s+\d+[a-zđ]?\s+đến\s+[Đđ]iều\s+\d+[a-zđ]?)|"
    r"(?:(?:các\s+|một\s+số\s+)?(?:[Đđ]iều|[Kk]hoản|[Đđ]iểm|[Cc]hương|[Mm]ục|[Pp]hụ\s+lục|[Mm]ẫu(?:\s+số)?)"
    r"(?:\s+(?:\d+[a-zđ]?|[IVXLC]+|[a-zđ]\b)(?:\.\d+)*)?|một\s+số\s+điều|tên)"
)
# parts named before a citation: "Điều 5, khoản 2 Điều 7 và điểm a khoản 1 Điều 9 của", "các điều 104, 105
# và 117 của" (then the citation)
_PART_ONE = rf"(?>{_PART})"  # one reading per item, one per separator: no exponential backtracking
_SEP = r"(?:\s*[,;]\s*|\s+(?:và|hoặc)\s+|\s+)"
_PARTS_BEFORE = re.compile(
    rf"((?:{_PART_ONE}(?:{_SEP}(?:{_PART_ONE}|\d+[a-zđ]?\b))*+))\s*(?:,\s*)?"
    r"(?:(?:được\s+)?quy\s+định\s+)?(?:của|tại|thuộc|trong)?\s*$"
)
# what a citation's trích yếu opens with: a verb right after "… của Chính phủ" belongs to that document
_TITLE_VERB = re.compile(
    r"^\s*(?:quy\s+định|hướng\s+dẫn|sửa\s+đổi|bổ\s+sung|ban\s+hành|về|thay\s+thế|bãi\s+bỏ|phê\s+duyệt)\b",
    re.I,
)
# the text before a citation that makes it a part's owner, not a whole: "Các quy định về … tại"
_PART_OF = re.compile(r"\b(?:các\s+)?(?:quy\s+định|nội\s+dung)\b[^;.]{0,200}?\b(?:tại|của|trong)\s*$", re.I)
_CUES = [  # (type, pattern of the verb before its object)
    ("replaces", re.compile(r"\bthay\s+thế(?:\s+cho)?\s*$", re.I)),
    ("repeals", re.compile(r"\b(?:bãi\s+bỏ|hủy\s+bỏ|huỷ\s+bỏ)\s*$", re.I)),
    ("amends", re.compile(r"\b(?:sửa\s+đổi|bổ\s+sung|sửa\s+đổi,?\s+bổ\s+sung|đính\s+chính)\s*$", re.I)),
    (
        "guides",
        re.compile(r"\b(?:quy\s+định\s+chi\s+tiết|hướng\s+dẫn(?:\s+thi\s+hành|\s+thực\s+hiện)?)\s*$", re.I),
    ),
]
_ITEM = re.compile(r"\s*(?:(?:[a-zđ]|\d{1,3})[.)]|[-–+•])\s*", re.I)
_LEAD_IN_VERBS = [
    ("guides", re.compile(rf"{_SELF}\s+(?:quy\s+định\s+chi\s+tiết|hướng\s+dẫn)\b", re.I)),
    (
        "repeals",
        re.compile(r"\b(?:bãi\s+bỏ|hủy\s+bỏ|huỷ\s+bỏ|hết\s+hiệu\s+lực|chấm\s+dứt\s+hiệu\s+lực)\b", re.I),
    ),
    ("replaces", re.compile(r"\bthay\s+thế\b", re.I)),
    ("amends", re.compile(r"\b(?:sửa\s+đổi|bổ\s+sung)\b", re.I)),
]
_NOT_DOCUMENTS = re.compile(r"\b(?:hồ\s+sơ|giấy\s+tờ|trường\s+hợp|điều\s+kiện)\b", re.I)
# "… chưa hết hiệu lực", "khi tổ chức giải thể", "trường hợp …": a condition, not a statement
_CONDITION = re.compile(r"\b(?:chưa|không|khi|nếu|trường\s+hợp|đến\s+khi|cho\s+đến)\b", re.I)
_EXPIRE = re.compile(r"\b(?:hết|chấm\s+dứt)\s+hiệu\s+lực", re.I)
_BASED = re.compile(r"^\s*(?:[-–•]\s*)?(?:Căn\s+cứ|Thực\s+hiện(?!\s+theo))\b", re.I)  # a preamble's grounds
# a clause is a sentence or a paragraph: ";" joins the members of one list ("Nghị định số A …; Điều 17
# Nghị định số B …; … hết hiệu lực"), "Căn cứ" lines stand on lines of their own
_MARKER = re.compile(r"\s*(?:\d{1,3}|[IVXLC]{1,6}|[a-zđ])[.)]", re.I)
_CLAUSE_END = re.compile(r"(?<=[.:])\s+(?=[A-ZĐÀ-Ỹ\-–•(\d])|\n+")
_FROM = re.compile(r"(?:kể\s+)?từ\s+(?=ngày\b|\d)", re.I)  # "(kể) từ ngày …": when a relation takes effect
_ON_EFFECT = re.compile(rf"ngày\s+{_SELF}\s+có\s+hiệu\s+lực", re.I)
_DAY_WORD = re.compile(r"ngày\s+(?=\d{1,2}\s*[/-])", re.I)
# between a verb and its object: the object's own words, nothing else ("toàn bộ", "các quy định tại")
_LEAD_IN = re.compile(
    r"(?<!\s)\s*(?:toàn\s+bộ|(?:các|một\s+số)\s+(?:quy\s+định|nội\s+dung)(?:\s+(?:tại|của))?|nội\s+dung\s+(?:tại|của))\s*$",
    re.I,
)
# a citation as the adjunct of something else, not a text listed ("… được thành lập theo Luật …"); a text
# "ban hành kèm theo" a document is one
_ADJUNCT = re.compile(r"(?<!kèm)\s+theo(?:\s+quy\s+định\s+(?:của|tại))?\s*$", re.I)
_YEAR_AFTER = re.compile(r"\s+(?:ban\s+hành\s+)?năm\s+(\d{4})\b", re.I)
# edits of words inside a text ("Thay thế cụm từ …", "Bỏ cụm từ …", "thay thế từ, cụm từ, dấu phẩy tại …"):
# the document is amended, nothing in it ends
_TEXT_EDIT = re.compile(r"\b(?:cụm\s+từ|từ\s+ngữ|dấu\s+(?:phẩy|chấm)|chữ)\b|\btừ\s*[,“\"]", re.I)
_EXCEPT = re.compile(
    r"(?<=[,;])\s*trừ\s+(?:(?:các\s+)?(?:Điều|Khoản|Điểm|Chương|Mục|Phụ\s+lục|quy\s+định)\b[^.;]{0,160})",
    re.I,
)
_SOME = re.compile(r"\b(một\s+số\s+(?:quy\s+định|nội\s+dung))(?:\s+(?:tại|của))?\s*$", re.I)
_HEAD_VERB = re.compile(
    rf"\s*(?:(?:[a-zđ]|\d{{1,3}})[.)]\s*)?(?P<self>{_SELF}\s+)?(?P<verb>thay\s+thế|bãi\s+bỏ|sửa\s+đổi(?:,\s*bổ\s+sung)?"
    r"|bổ\s+sung|quy\s+định\s+chi\s+tiết|hướng\s+dẫn(?:\s+thi\s+hành|\s+thực\s+hiện)?)\b(?P<obj>[^;]*)$",
    re.I,
)
_PART_WORDS = re.compile(r"\b(?:điều|khoản|điểm|mục|chương|phụ\s+lục|cụm\s+từ|từ|danh\s+mục|biểu\s+mẫu|các\s+quy\s+định"
                         r"|một\s+số\s+quy\s+định|nội\s+dung)\b", re.I)  # fmt: skip
_NOT_DOCUMENT = re.compile(r"\b(?:thủ\s+tục|hồ\s+sơ|giấy|người|tổ\s+chức|cá\s+nhân)\b", re.I)
_LIST_LINK = re.compile(r"[\s,;]*+(?:và|hoặc)?[\s,;]*+", re.I)  # what joins the citations of one list


@dataclass
class Relation:
    type: str  # one of TYPES
    other: str  # the other document's number, or its title when the clause names it only so
    other_kind: str  # "number" | "title"
    scope: str  # "whole", or the parts named ("Điều 5, khoản 2 Điều 7")
    start: int  # the stating clause's span in the text given
    end: int
    date: str | None = None  # ISO, "on_effect" (the stating document's own effective date), or None
    unit_path: str = ""  # the unit holding the clause, once placed in a document (ingest/pipeline.py)
    section: str = ""
    other_date: str | None = None  # the other document's date as cited (ISO): tells local numbers apart

    def to_dict(self) -> dict[str, str | int | None]:
        return {"type": self.type, "other": self.other, "other_kind": self.other_kind, "scope": self.scope,
                "from": self.date, "span": [self.start, self.end]}  # fmt: skip


def find_relations(text: str) -> list[Relation]:
    """Every relation the text states, clause by clause, in order. A lead-in ending with ":" ("Nghị định
    này bãi bỏ các văn bản sau đây:", "… các văn bản sau đây hết hiệu lực:") governs the items below it."""
    out: list[Relation] = []
    governing: tuple[str, str | None] | None = None
    for start, end in _clauses(text):
        clause = text[start:end]
        if governing is not None and _ITEM.match(clause):
            out += _clause_relations(text, start, end) or _item_relations(text, start, end, *governing)
            continue
        found = _clause_relations(text, start, end)
        out += found
        governing = _lead_in(clause) if not found and clause.rstrip().endswith(":") else None
    return out


def _lead_in(clause: str) -> tuple[str, str | None] | None:
    """What a lead-in does to the documents listed under it, and from when."""
    if _NOT_DOCUMENTS.search(clause):  # "Hồ sơ đề nghị bổ sung gồm các giấy tờ sau:" lists papers, not texts
        return None
    for kind, pattern in _LEAD_IN_VERBS:
        if pattern.search(clause):
            return kind, _date(clause)
    return None


def _item_relations(text: str, start: int, end: int, kind: str, when: str | None) -> list[Relation]:
    """An item under a lead-in: each document it names, whole or the parts named before it."""
    clause = text[start:end]
    body = _ITEM.match(clause).end()  # type: ignore[union-attr]
    refs = [r for r in _refs(clause) if r.start >= body]
    out = []
    for i, ref in enumerate(refs):
        gap = _gap(clause, refs[i - 1] if i else None, ref)[0 if i else body :]
        parts, head = _parts_before(gap)
        here = kind
        if not i:
            if _ADJUNCT.search(head):  # "a) Doanh nghiệp được thành lập theo Luật …": not a text listed
                return []
            if _TEXT_EDIT.search(head):  # "d) Cụm từ … tại Phụ lục XLIV ban hành kèm theo …": words edited
                here = "amends"
            elif not parts and (_PART_WORDS.search(head) or _PART_OF.search(head)):
                parts = (
                    "một số nội dung"  # "a) Các quy định về quảng cáo … trong Thông tư số …": a part of it
                )
        out.append(_relation(_typed(here, parts), ref, parts or "whole", start, end, _date(clause) or when))
    return out


def _clauses(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in _CLAUSE_END.finditer(text):
        if _MARKER.fullmatch(text[pos : m.start()]):
            continue  # "2. Nghị định số …": a point's number, not a sentence
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


def _refs(clause: str) -> list[Reference]:
    """The clause's citations; a law named by its title keeps the year written after it ("Luật Trợ giúp pháp
    lý năm 2006"): without it, the name is the current law's."""
    refs = [r for r in find_references(clause) if r.number or r.title]
    for r in refs:
        if not r.number and r.title and (year := _YEAR_AFTER.match(clause, r.end)):
            r.title, r.end = f"{r.title} năm {year.group(1)}", year.end()
    return _outer(clause, refs)


def _clause_relations(text: str, start: int, end: int) -> list[Relation]:
    clause = text[start:end]
    refs = _refs(clause)
    if not refs:
        return []
    when = _date(clause)
    based = _BASED.match(clause)
    if based:  # "Căn cứ Luật …;": only when the citation follows at once ("Căn cứ vào khả năng …" is prose)
        if not re.fullmatch(r"\s*(?:vào|theo)?\s*", clause[based.end() : refs[0].start], re.I):
            return []
        return [_relation("based_on", r, "whole", start, end, None) for r in refs]
    found: list[Relation] = []
    kind: str | None = None
    for i, ref in enumerate(refs):
        parts, head = _parts_before(_gap(clause, refs[i - 1] if i else None, ref))
        if not parts and (some := _SOME.search(head)):  # "bãi bỏ một số nội dung tại …": a part, unnamed
            parts = " ".join(some.group(1).split())
        verb = _verb_before(head)
        if verb is None and not i and (verb := _head_verb(head)) in ("replaces", "repeals") and not parts:
            # a longer object before the document ("Bãi bỏ điểm 4.1 tiểu mục 04 Phụ lục số 01 của …"): a part
            parts = "một số nội dung"
        if verb in ("replaces", "repeals") and _TEXT_EDIT.search(head):  # "Thay thế cụm từ … tại Điều 6 của"
            verb = "amends"
        linked = _LIST_LINK.fullmatch(re.sub(r"\([^)]*\)", " ", head))  # "…, Nghị định số B và …"
        kind = verb or (kind if kind and linked else None)
        if kind is not None:
            found.append(_relation(_typed(kind, parts), ref, parts or "whole", start, end, when))
    return _except(clause, found + _expiring(clause, refs, found, start, end, when))


def _except(clause: str, found: list[Relation]) -> list[Relation]:
    """ "… hết hiệu lực kể từ …, trừ Điều 5": what ends is the whole but the exception — a part."""
    m = _EXCEPT.search(clause)
    if m:
        for r in found:
            if r.type in ("expires", "replaces") and r.scope == "whole":
                r.scope = " ".join(m.group(0).split()).rstrip(" .;")
    return found


def _outer(clause: str, refs: list[Reference]) -> list[Reference]:
    """The citations the clause itself speaks of: one inside another's trích yếu ("Nghị định số 83/2013/NĐ-CP
    … quy định chi tiết … Luật Quản lý thuế") is what that document does, not what this one does. Each kept
    citation's `end` moves past its trích yếu, so no verb inside it is read as the clause's."""
    kept: list[Reference] = []
    zone = 0
    for ref in refs:
        if ref.start < zone:
            continue
        if kept and _opens_title(clause[kept[-1].end : ref.start]):
            continue  # inside a trích yếu the reference reader ended early
        zone = _title_end(clause, ref)
        kept.append(ref)
    return kept


_TRAILING_VERB = re.compile(
    r"[\s,;]+(?:và\s+)?(?:thay\s+thế|bãi\s+bỏ|sửa\s+đổi(?:,?\s*bổ\s+sung)?|bổ\s+sung)\s*$", re.I
)
_DATE_AFTER = re.compile(
    r"\s*ngày\s+\d{1,2}(?:\s*[/-]\s*\d{1,2}\s*[/-]\s*\d{4}|\s+tháng\s+\d{1,2}\s+năm\s+\d{4})", re.I
)


def _opens_title(gap: str) -> bool:
    """The text after a citation, up to the next one, is that citation's trích yếu: after its date and
    issuer ("ngày 10 tháng 4 năm 2012 của Chính phủ") it opens with what the document does, in one clause."""
    if re.search(r"[;.]", gap):
        return False
    m = _DATE_AFTER.match(gap)
    words = gap[m.end() if m else 0 :].split()
    if (
        words and words[0].lower() == "của"
    ):  # the issuer ("Chính phủ", "Bộ trưởng Bộ Tài chính"), then the verb
        for i in range(2, min(len(words), 10)):
            if (
                _TITLE_VERB.match(" ".join(words[i:]))
                and words[i - 1] not in ("và", "hoặc")
                and not words[i - 1].endswith(",")
            ):
                return True
        return False
    return bool(_TITLE_VERB.match(" ".join(words)))


def _title_end(clause: str, ref: Reference) -> int:
    """Where the citation's trích yếu ends in the clause (its words, whitespace as written)."""
    if not ref.title:
        return ref.end
    words = ref.title.split()
    m = re.compile(r"\s+".join(re.escape(w) for w in words)).search(clause, ref.end)
    if not m or m.start() - ref.end >= 40:
        return ref.end
    verb = _TRAILING_VERB.search(clause, m.start(), m.end())  # "… tại ngũ và thay thế" (then a citation)
    return verb.start() if verb else m.end()


def _gap(clause: str, prev: Reference | None, ref: Reference) -> str:
    """The text between the previous citation (its trích yếu left out) and this one."""
    return clause[_title_end(clause, prev) if prev else 0 : ref.start]


def _parts_before(before: str) -> tuple[str, str]:
    """The parts named just before a citation ("Điều 5, khoản 2 Điều 7 của") and the text before them."""
    m = _PARTS_BEFORE.search(before, max(0, len(before) - 2000))  # the tail only: linear time
    if not m or not m.group(1).strip():
        return "", before
    parts = " ".join(m.group(1).split()).strip(" ,;")
    return ("" if parts.lower() == "tên" else parts), before[: m.start()]


def _head_verb(head: str) -> str | None:
    """The clause's own verb at its start, with a longer object made of a document's parts ("Bổ sung một
    số từ, cụm từ … vào các điều, khoản sau đây của"), or, for a text detailing or guiding another, any
    object ("Thông tư này hướng dẫn phương pháp … theo quy định tại")."""
    m = _HEAD_VERB.match(head)
    if not m:
        return None
    kind = next(k for k, pattern in _CUES if pattern.search(m.group("verb") + " "))
    if kind == "guides" and m.group("self"):
        return kind
    obj = m.group("obj")
    return kind if _PART_WORDS.search(obj) and not _NOT_DOCUMENT.search(obj) else None


def _verb_before(head: str) -> str | None:
    """The verb whose object starts right here ("thay thế", "bãi bỏ", "sửa đổi, bổ sung" …), if any."""
    head = _LEAD_IN.sub("", head)
    for kind, pattern in _CUES:
        m = pattern.search(head)
        if m:  # "… đã được sửa đổi, bổ sung …": what happened to another document, not what this one does
            return None if re.search(r"\bđược\s*$", head[: m.start()], re.I) else kind
    return None


def _typed(kind: str, parts: str) -> str:
    if kind == "repeals":
        return "repeals_part" if parts else "expires"
    return kind


def _expiring(clause: str, refs: list[Reference], found: list[Relation], start: int, end: int,
              when: str | None) -> list[Relation]:  # fmt: skip
    """ "… hết hiệu lực": the citations before it that no verb governs are its subjects."""
    m = _EXPIRE.search(clause)
    if not m or re.search(rf"{_SELF}\s+(?:\S+\s+){{0,3}}hết\s+hiệu\s+lực", clause[: m.end()], re.I):
        return []
    subjects = [r for r in refs if r.start < m.start()]
    if (
        not subjects
        or _CONDITION.search(clause[: subjects[0].start])
        or _CONDITION.search(clause[subjects[-1].end : m.start()])
    ):
        return []
    if re.search(r"\b(?:theo|tại|căn\s+cứ)\s*$", clause[: subjects[0].start], re.I):
        return []  # "Giấy phép cấp theo Nghị định số …": the citation is an adjunct, not the subject
    taken = {(r.other, r.scope) for r in found}
    out = []
    prev: Reference | None = None
    for ref in refs:
        if ref.start >= m.start():
            break
        gap = _gap(clause, prev, ref)
        parts, head = _parts_before(gap)
        if prev is not None and out and not parts and not _LIST_LINK.fullmatch(head):
            break  # "… số 24/2004/QH11 đã được sửa đổi theo Luật số 65/2011/QH12 hết hiệu lực": one subject
        if not parts and (described := _PART_OF.search(head)):
            parts = re.sub(r"\s*\b(?:tại|của|trong)$", "", " ".join(head[described.start() :].split()))
        prev = ref
        other, _kind = _other(ref)
        if (other, parts or "whole") in taken or any(r.other == other for r in found):
            continue
        out.append(_relation("repeals_part" if parts else "expires", ref, parts or "whole", start, end, when))
    return out


def _other(ref: Reference) -> tuple[str, str]:
    """The other document: its number, or, cited by name, its type and name ("Luật Người khuyết tật")."""
    if ref.number:
        return ref.number, "number"
    name = ref.title or ref.text
    return (f"{ref.type} {name}" if ref.type and not name.startswith(ref.type) else name), "title"


def _relation(kind: str, ref: Reference, scope: str, start: int, end: int, when: str | None) -> Relation:
    other, other_kind = _other(ref)
    return Relation(kind, other, other_kind, scope, start, end, when, other_date=ref.date)


def _date(clause: str) -> str | None:
    """The first "(kể) từ ngày …" of a clause: an ISO date (digits or words), "on_effect" for "từ ngày
    <this document> có hiệu lực", None when absent or impossible ("31/02")."""
    for m in _FROM.finditer(clause):
        if _ON_EFFECT.match(clause, m.end()):
            return "on_effect"
        at = m.end() + (d.end() - d.start() if (d := _DAY_WORD.match(clause, m.end())) else 0)
        if found := DATE.match(clause, at):
            return parse_date(found)
    return None
