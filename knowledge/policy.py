"""Which rule applies: the kind of a policy question, the legal unit that answers it, and an amount a
clause gives as a coefficient of a base amount defined elsewhere.

A legal provision answers "văn bản nào quy định …?" by being that provision: the answer is the document
and the Điều/Khoản/Điểm that contain the passage, cited formally ("Điểm b Khoản 1 Điều 6 Nghị định số
20/2021/NĐ-CP ngày 15/3/2021 của Chính phủ"), not the documents the passage happens to cite. An amount
("hệ số 1,5" of "mức chuẩn trợ giúp xã hội quy định tại Điều 4") is computed only from figures both
clauses state, each cited; when either is missing nothing is computed.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from tracuu.index.citation import cite
from tracuu.ingest.normalize import LOWER, fold
from tracuu.ingest.structure import LEGAL_TYPES

# The kinds of a policy question, read from the question folded (so typed with or without diacritics);
# the first that fits wins, in this order.
_KINDS = (
    ("document", r"\b(?:van ban|nghi dinh|thong tu|luat|bo luat|nghi quyet)\s+(?:nao|gi)\b"
                 r"|\bquy dinh (?:tai|o|trong) (?:dau|van ban)|\bnam o dau\b|\bo (?:van ban|dieu) nao\b"
                 r"|\bcan cu (?:vao )?(?:dau|van ban nao)|\b(?:dieu|khoan) nao\b"),
    ("amount", r"\bbao nhieu (?:tien|dong|phan tram|%)|\b(?:muc|he so|so tien|tien|tro cap|ho tro|phat|luong|"
               r"phi|le phi)\b.{0,60}\bbao nhieu\b|\bbao nhieu\b.{0,40}\b(?:tro cap|ho tro|phat|luong|tien)\b"),
    ("deadline", r"\bbao lau\b|\bthoi han\b|\btrong (?:vong|thoi han) bao\b|\bmay (?:ngay|thang|nam)\b"
                 r"|\bkhi nao\b|\bthoi gian (?:giai quyet|xu ly|lam viec|toi da|bao lau)\b"),
    ("procedure", r"\bho so\b|\bthu tuc\b|\btrinh tu\b|\bquy trinh\b|\bgiay to\b|\blam the nao\b|\bnop (?:o|tai) dau\b"
                  r"|\bcach thuc\b|\bde nghi .{0,40}\bnhu the nao\b"),
    ("authority", r"\b(?:ai|co quan nao|cap nao|nguoi nao)\s+(?:co tham quyen|quyet dinh|phe duyet|cap|ky|giai quyet|"
                  r"xem xet|cong nhan|thu hoi)\b|\bthuoc tham quyen\b|\btham quyen\b"),
    ("eligibility", r"\bnhung ai\b|\b(?:chinh sach|che do) nao\b|\bai (?:duoc|la)\b|\bdoi tuong nao\b|\b(?:nhung )?(?:nguoi|truong hop|doi tuong) nao\b"
                    r"|\bco (?:duoc|thuoc dien)\b.{0,40}\b(?:khong|hay khong)\b|\bdieu kien\b|\bthuoc dien\b"),
)  # fmt: skip
_KIND_PATTERNS = tuple((kind, re.compile(pattern)) for kind, pattern in _KINDS)

_COEFFICIENT = re.compile(r"\b[Hh]ệ số\s+(\d+(?:[,.]\d+)?)(?![.,]?\d)")  # "1,5", and "1.5" as some type it
# "Mức chuẩn trợ giúp xã hội áp dụng từ ngày 01 tháng 7 năm 2021 là 360.000 đồng/tháng."
_BASE = re.compile(r"(?P<name>[Mm]ức (?:chuẩn|lương cơ sở)[^.;:]{0,120}?)\s+là\s+(?P<value>\d{1,3}(?:\.\d{3})+)\s*"
                   r"(?P<unit>đồng(?:/(?:tháng|người|năm))*)")  # fmt: skip
_BASE_NAME = re.compile(
    rf"\b(mức chuẩn [{LOWER} ]{{3,40}}?|mức lương cơ sở)\s+(?:quy định tại|theo)\s+Điều\s+(\d+)"
)


# an amount question typed with diacritics names money: "lượng", "phát", "mục", "tiến" fold as "lương",
# "phạt", "mức", "tiền" do ("Số lượng thành viên là bao nhiêu?" asks a count)
_MONEY = re.compile(r"\b(?:mức|hệ số|tiền|trợ cấp|hỗ trợ|phạt|lương|phí|lệ phí|đồng|phần trăm)\b|%")


def policy_kind(question: str) -> str | None:
    """document, amount, deadline, procedure, authority or eligibility; None for a question of none of
    these kinds (who leads a task, what a plan says)."""
    q = fold(question).lower()
    accented = q != question.lower()
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(q) and not (kind == "amount" and accented and not _MONEY.search(question.lower())):
            return kind
    return None


def containing_reference(store, hit) -> dict[str, Any] | None:
    """The legal document that holds a passage, as a reference: its number, type, date and issuer, the
    unit path and the formal citation of the unit. None for a passage of a plan or letter."""
    if hit.doc_type not in LEGAL_TYPES:
        return None
    doc = store.header(hit.doc_id)
    if doc is None:
        return None
    return {
        "number": doc["number"], "type": doc["type"], "date": doc["date"], "issuer": doc["issuer"],
        "in_corpus": True, "doc_id": doc["doc_id"], "title": doc["title"], "problems": [],
        "citation": cite(doc, hit.section), "unit": hit.section,
        "unit_path": hit.chunk_id.split("#", 1)[-1].split("~", 1)[0],  # where the page opens the document
    }  # fmt: skip


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(".", "").replace(",", "."))
    except InvalidOperation:
        return None


def _factor(text: str) -> Decimal | None:
    """A coefficient: "1,5" or "1.5" (a coefficient has no thousands)."""
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


def _vn(value: Decimal) -> str:
    """540000 → "540.000"; 1.5 → "1,5"."""
    whole, _, frac = f"{value.normalize():f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{grouped},{frac}" if frac else grouped


def amount(store, hit) -> dict[str, Any] | None:
    """A coefficient × the base amount its article refers to: "Hệ số 1,5 …" under "… mức chuẩn trợ giúp xã
    hội quy định tại Điều 4 … nhân với hệ số …" and "Mức chuẩn trợ giúp xã hội … là 360.000 đồng/tháng" in
    Điều 4 give 540.000 đồng/tháng, with both clauses cited. None unless both figures are stated."""
    coefficient = _COEFFICIENT.search(hit.text)
    if coefficient is None or hit.doc_type not in LEGAL_TYPES:
        return None
    doc = store.find(hit.doc_id)
    if doc is None:
        return None
    units = store.units(hit.doc_id)
    article = next((u for u in units if u["kind"] == "article" and u["start"] <= hit.start < u["end"]), None)
    # the base the coefficient belongs to: named by the passage itself, else by the clauses above it, else
    # anywhere in its article ("… mức chuẩn trợ giúp xã hội quy định tại Điều 4 … nhân với hệ số …")
    whole = doc["text"][article["start"] : article["end"]] if article else ""
    named = next((m for m in (_BASE_NAME.search(t) for t in (hit.text, hit.context or "", whole)) if m), None)
    if named is None:
        return None
    key = f"D{named.group(2)}"
    where = next((u for u in units if u["kind"] == "article" and u["path"].rsplit(".", 1)[-1] == key), None)
    if where is None:
        return None
    for m in _BASE.finditer(doc["text"], where["start"], where["end"]):
        if fold(named.group(1).split()[1]) not in fold(m["name"]):  # "mức chuẩn …" for "mức chuẩn …"
            continue
        base, factor = _number(m["value"]), _factor(coefficient.group(1))
        if base is None or factor is None:
            return None
        at = m.start() + doc["text"][m.start() : m.end()].find(m["value"])
        unit = next((u for u in reversed(units) if u["start"] <= at < u["end"]), where)
        value = base * factor
        return {
            "coefficient": coefficient.group(1), "base": m["value"], "unit": m["unit"],
            "value": _vn(value), "base_citation": cite(doc, unit["section"]), "base_name": named.group(1),
            "text": f"hệ số {coefficient.group(1)} × {m['value']} {m['unit']} = {_vn(value)} {m['unit']}",
        }  # fmt: skip
    return None
