"""Citation checker for drafts: every reference to a document, checked against the corpus and the catalog.

A finding says where the citation is, what it parses to, whether the document is known (full text in the
corpus, metadata in the catalog), the formal citation to use, and what does not add up. A correct
citation has no problems; a document outside the corpus and the catalog is unverifiable, not wrong.
"""

from __future__ import annotations

import re
from typing import Any

from tracuu.ingest.normalize import fold
from tracuu.ingest.references import Reference, expected_issuer, find_references, number_key, symbol_type

from .catalog import Catalog, Known
from .citation import LAW_TYPES, cite, designation, vn_date
from .store import Store

# A unit quoted right before the citation: "Khoản 2 Điều 5 Nghị định …", "mục 3 của Quyết định số 161".
_UNIT_BEFORE = re.compile(
    r"(?:(?:[Đđ]iểm\s+(?P<diem>[a-zđ])\s*,?\s+)?(?:[Kk]hoản\s+(?P<khoan>\d+)\s*,?\s+)?[Đđ]iều\s+(?P<dieu>\d+[a-z]?)"
    r"|[Mm]ục\s+(?P<muc>[IVXLC]+(?:\.\d+)*|\d+(?:\.\d+)*)|[Pp]hần\s+(?P<phan>[IVXLC]+))"
    r"\s*,?\s*(?:của|tại|theo|thuộc)?\s*$"
)


# a `missing` note that says articles are lacking, not only the preamble, signature or annexes
_ARTICLES_MISSING = re.compile(r"\barticles?\b|everything|Điều\b|Chương\b", re.I)


def problem(code: str, message: str) -> dict[str, str]:
    return {"code": code, "message": message}


def check_text(store: Store, text: str, catalog: Catalog | None = None) -> dict[str, Any]:
    """`tracuu check --json`: {"findings": [{"span", "text", "reference", "in_corpus", "in_catalog",
    "citation", "problems", …}]} for every citation in a draft."""
    catalog = catalog or Catalog(store)
    findings = [_finding(store, catalog, text, r) for r in find_references(text)]
    return {"findings": findings, "summary": _summary(findings)}


def _finding(store: Store, catalog: Catalog, text: str, ref: Reference) -> dict[str, Any]:
    known = catalog.get(ref.number) if ref.number else None
    trusted = known if known is not None and known.source in {"corpus", "catalog"} else None
    # a law cited by name and a number we do not know: the corpus may hold it by name ("Luật Cư trú")
    by_name = _by_name(store, ref) if ref.number and known is None else None
    problems = _problems(catalog, ref, trusted, by_name)
    if known is not None and known.source == "cited":
        problems += _against_citations(ref, known)
    target = trusted or (_known_doc(by_name, ref) if by_name else None)
    unit = _unit(store, text, ref, target) if target and target.doc_id else None
    if unit and unit.get("status") == "not_found":
        problems.append(problem("unit_not_found", f"{unit['label']} không có trong {ref.number or ref.text}"))
    start = unit["start"] if unit and "start" in unit else ref.start
    return {
        "span": [start, ref.end],
        "text": text[start : ref.end],
        "reference": {
            "number": ref.number,
            "type": ref.type,
            "date": ref.date,
            "issuer": ref.issuer,
            "title": ref.title,
        },  # fmt: skip
        "in_corpus": bool(trusted and trusted.source == "corpus") or by_name is not None,
        "in_catalog": bool(ref.number) and catalog.lists(ref.number),
        "citation": unit["citation"]
        if unit and unit.get("status") == "found"
        else _citation(
            store, ref, trusted or (_known_doc(by_name, ref) if by_name and by_name["number"] else None)
        ),
        "status": "ok" if not problems and trusted else ("problem" if problems else "unverifiable"),
        "problems": problems,
        "unit": {k: v for k, v in unit.items() if k != "start"} if unit else None,
        "known": {"source": known.source, "date": known.date, "issuer": known.issuer} if known else None,
    }


def _problems(catalog: Catalog, ref: Reference, known: Known | None,
              by_name: dict[str, Any] | None = None) -> list[dict[str, str]]:  # fmt: skip
    out: list[dict[str, str]] = []
    if not ref.number:
        if not ref.title and re.search(r"\d", ref.text):  # "Quyết định số 161" with no definition before it
            out.append(problem("undefined_short_name",
                               f"“{ref.text}” là tên gọi tắt chưa được định nghĩa trước khi dùng"))  # fmt: skip
        return out
    year = re.match(r"^[0-9.]+[a-z]?/([0-9]{4})/", ref.number)
    if year and ref.date and year.group(1) != ref.date[:4]:
        out.append(problem("year_mismatch",
                           f"Năm trong số hiệu ({year.group(1)}) khác năm ban hành ghi trong văn bản ({ref.date[:4]})"))  # fmt: skip
    if known is not None and ref.date and known.date and ref.date != known.date:
        out.append(problem("date_mismatch", f"Ngày ban hành ghi {vn_date(ref.date)} nhưng "
                                            f"{ref.number} ban hành ngày {vn_date(known.date)}"))  # fmt: skip
    want = (known.issuer if known and known.issuer else None) or expected_issuer(ref.number)
    if ref.issuer and want and not _same_issuer(ref.issuer, want):
        out.append(problem("issuer_mismatch", f"Cơ quan ban hành ghi “{ref.issuer}” nhưng {ref.number} là văn bản "
                                              f"của {want}"))  # fmt: skip
    want_type = (known.type if known and known.type else None) or symbol_type(ref.number)
    if ref.type and want_type and not _same_type(ref.type, want_type):
        out.append(
            problem("type_mismatch", f"Loại văn bản ghi “{ref.type}” nhưng {ref.number} là {want_type}")
        )
    if by_name is not None and by_name["number"] and number_key(by_name["number"]) != number_key(ref.number):
        out.append(problem("number_mismatch", f"{designation({**by_name, 'number': None})} trong kho có số {by_name['number']}, "
                                              f"không phải {ref.number}"))  # fmt: skip
    elif known is None and by_name is None and catalog.covers(ref.number) and catalog.get(ref.number) is None:
        out.append(problem("not_found", f"Không có văn bản số {ref.number} trong kho và danh mục văn bản "
                                        f"đã biết ({len(catalog)} văn bản)"))  # fmt: skip
    return out


def _against_citations(ref: Reference, known: Known) -> list[dict[str, str]]:
    """A document known only from how the corpus cites it: a date of the same year that none of those
    citations gives is flagged (one of them is wrong). Numbers without a year (3743/KH-UBND) recur every
    year and in every province, so another year, or another issuer, is another document."""
    dates = {d for d in (known.date, *known.other_dates) if d}
    if not ref.date or not dates or ref.date in dates or all(d[:4] != ref.date[:4] for d in dates):
        return []
    if ref.issuer and known.issuer and not _same_issuer(ref.issuer, known.issuer):
        return []
    cited = ", ".join(vn_date(d) or d for d in sorted(dates))
    return [problem("date_differs_from_citations", f"Ngày ban hành ghi {vn_date(ref.date)} nhưng các văn bản "
                    f"trong kho trích dẫn {ref.number} ngày {cited}")]  # fmt: skip


def _by_name(store: Store, ref: Reference) -> dict[str, Any] | None:
    """The corpus law a citation names ("Luật Cư trú") under a number nothing else knows: one held without
    a number, or one whose number shares the cited number's sequence or year (a slip: "73/2020/QH14" for
    73/2021/QH14). Laws only: a decree's or plan's title is often its predecessor's too, and an older law
    of the same name (Luật Giáo dục 2005 beside 2019) is another document."""
    if not ref.title or ref.type not in LAW_TYPES or not ref.number:
        return None
    from .knowledge import resolve

    doc = resolve(store, {"type": ref.type, "title": ref.title})
    if doc is None or not doc.get("number"):
        return doc
    cited, held = number_key(ref.number).split("/"), number_key(doc["number"]).split("/")
    same_sequence = cited[0] == held[0]
    same_year = len(cited) > 2 and len(held) > 2 and cited[1] == held[1]
    return doc if same_sequence or same_year else None


def _known_doc(doc: dict[str, Any], ref: Reference) -> Known:
    return Known(doc["number"] or ref.number or "", doc["type"], doc.get("date"), doc.get("issuer_full"),
                 doc.get("title"), "corpus", doc["doc_id"])  # fmt: skip


def _norm_issuer(s: str) -> str:
    s = re.sub(r"^(?:Bộ trưởng|Chủ tịch|Thủ trưởng)\s+", "", s.strip())
    s = re.sub(r"\bUBND\b", "Ủy ban nhân dân", re.sub(r"\bHĐND\b", "Hội đồng nhân dân", s))
    return re.sub(r"[^a-z0-9]", "", fold(s))


def _same_issuer(written: str, known: str) -> bool:
    a, b = _norm_issuer(written), _norm_issuer(known)
    return a.startswith(b) or b.startswith(a) and len(a) >= 6


def _same_type(written: str, known: str) -> bool:
    w, k = fold(written).lower(), fold(known).lower()
    return w == k or w.startswith(k) or k.startswith(w) or {w, k} <= {"quy dinh", "quyet dinh"}


def _citation(store: Store, ref: Reference, known: Known | None) -> str:
    """The formal citation to use: from the corpus or the catalog when known, else from what is written."""
    if known is not None and known.doc_id:
        doc = store.find(known.doc_id)
        if doc is not None:
            return cite(doc)
    if known is not None:
        return designation(known.as_doc())
    if not ref.number and not ref.title:
        return ref.text  # a short name nothing defines: nothing to expand it to
    return designation({"type": ref.type or (symbol_type(ref.number) if ref.number else None),
                        "number": ref.number, "date": ref.date, "issuer_full": ref.issuer,
                        "title": ref.title})  # fmt: skip


def _unit(store: Store, text: str, ref: Reference, known: Known) -> dict[str, Any] | None:
    """A unit quoted before the citation ("Khoản 2 Điều 5 …"): found in the corpus document, with its text."""
    m = _UNIT_BEFORE.search(text[max(0, ref.start - 80) : ref.start])
    if not m:
        return None
    start = max(0, ref.start - 80) + m.start()
    label = m.group(0).strip().rstrip(",").strip()
    label = re.sub(r"\s*,?\s*(?:của|tại|theo|thuộc)$", "", label)
    doc = store.find(known.doc_id)
    units = store.units(known.doc_id)
    if m.group("dieu"):
        want = [f"D{m.group('dieu')}"] + ([f"K{m.group('khoan')}"] if m.group("khoan") else [])
        want += [m.group("diem")] if m.group("diem") else []
        hit = next((u for u in units if _path_ends(u["path"], want)), None)
    else:
        number = m.group("muc") or m.group("phan")
        hit = next((u for u in units if u["path"] == number or (u["kind"] in {"section", "part"}
                                                                and u["label"] == number)), None)  # fmt: skip
    if hit is None:
        article_there = bool(m.group("dieu")) and any(
            _path_ends(u["path"], [f"D{m.group('dieu')}"]) for u in units
        )
        status = (
            "unverifiable" if _may_lack(doc or {}, m.group("dieu")) and not article_there else "not_found"
        )
        return {"label": label, "status": status, "start": start}
    body = re.sub(r"\s+", " ", doc["text"][hit["start"] : hit["end"]]).strip()
    return {"label": label, "status": "found", "path": hit["path"], "text": body[:800],
            "citation": cite(doc, hit["section"]), "start": start}  # fmt: skip


def _may_lack(doc: dict[str, Any], dieu: str | None) -> bool:
    """Whether the corpus text may lack a unit the original has, so its absence proves nothing: a partial
    text (the corpus's 161/QĐ-TTg is its opening only), unless its `missing` note names only parts outside
    the articles (Nghị định 20 lacks its preamble and annex forms, not an article); an article the note
    names ("missing: Điều 45")."""
    meta = doc.get("metadata", {})
    missing = str(meta.get("missing") or "")
    if dieu is not None:
        if dieu in re.findall(r"Điều\s+(\d+[a-z]?)", missing):
            return True
        if meta.get("completeness") == "partial":
            return bool(_ARTICLES_MISSING.search(missing)) or not missing
        return False
    return meta.get("completeness") == "partial"


def _path_ends(path: str, want: list[str]) -> bool:
    parts = path.split(".")
    return parts[-len(want) :] == want if len(parts) >= len(want) else False


def _summary(findings: list[dict[str, Any]]) -> dict[str, int]:
    out = {"total": len(findings), "ok": 0, "problem": 0, "unverifiable": 0}
    for f in findings:
        out[f["status"]] += 1
    return out
