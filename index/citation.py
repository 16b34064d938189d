"""Formal Vietnamese citations: "Khoản 2 Điều 5 Nghị định số 20/2021/NĐ-CP ngày 15/3/2021 của Chính phủ",
"Mục III.2, Kế hoạch số 1212/KH-UBND ngày 29/11/2021 của Ủy ban nhân dân tỉnh Khánh Hòa", "Điều 33 Luật Du
lịch số 09/2017/QH14 ngày 19/6/2017"."""

from __future__ import annotations

from typing import Any

LAW_TYPES = {"Luật", "Bộ luật", "Hiến pháp", "Pháp lệnh"}


def vn_date(iso: str | None) -> str | None:
    """Dates as Nghị định 30/2020/NĐ-CP writes them: a 0 before days under 10 and months 1 and 2."""
    if not iso:
        return None
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{d:02d}/{m:02d}/{y}" if m <= 2 else f"{d:02d}/{m}/{y}"


def designation(doc: dict[str, Any]) -> str:
    """How a document is named in a citation."""
    doc_type, number, title = doc.get("type"), doc.get("number"), doc.get("title") or ""
    if doc_type in LAW_TYPES:  # "Luật Du lịch số 09/2017/QH14 ngày 19/6/2017": the date it was passed
        name = title if title.lower().startswith(doc_type.lower()) else f"{doc_type} {title}".strip()
        name = f"{name} số {number}" if number else name
        return f"{name} ngày {date}" if (date := vn_date(doc.get("date"))) else name
    parts = [f"{doc_type or 'Văn bản'}" + (f" số {number}" if number else "")]
    if date := vn_date(doc.get("date")):
        parts.append(f"ngày {date}")
    if issuer := doc.get("issuer_full") or doc.get("issuer"):
        parts.append(f"của {issuer}")
    return " ".join(parts)


def unit_phrase(section: str) -> str:
    """ "Chương II › Điều 32 › Khoản 1 › Điểm a" → "Điểm a Khoản 1 Điều 32"; "III.2 › Sở … › +" → "Mục III.2"."""
    parts = [p.strip() for p in section.split("›") if p.strip()]
    legal = [p for p in parts if p.startswith(("Điều ", "Khoản ", "Điểm "))]
    if legal:
        return " ".join(reversed(legal))
    numbering = next((p for p in parts if p[:1].isdigit() or p[:1] in "IVXLCABCDEFGH"), None)
    appendix = next((p for p in parts if p.startswith("Phụ lục")), None)
    if appendix:  # "Phụ lục I" or "Phụ lục I, mục 2"
        return f"{appendix}, mục {numbering}" if numbering else appendix
    return f"Mục {numbering}" if numbering and not numbering.startswith(("Chương", "Mục")) else ""


def cite(doc: dict[str, Any], section: str = "") -> str:
    unit = unit_phrase(section)
    name = designation(doc)
    if not unit:
        return name
    return f"{unit} {name}" if unit.startswith(("Điều", "Khoản", "Điểm")) else f"{unit}, {name}"
