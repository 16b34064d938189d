"""The outline tree of a document body, with stable paths and character offsets.

Administrative texts: A./B. parts, I./II. parts, 1./2. sections, 1.1. subsections, a)/b) points,
"-" and "+" bullets. Legal texts: Chương / Mục / Điều / Khoản (1.) / Điểm (a)). Plain paragraphs
continue the bullet or point above them, or become paragraph units under a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .header import DOC_TYPES, is_upper
from .model import Unit
from .normalize import article_start

# rank: how deep a kind sits; a new unit closes every open unit of equal or deeper rank.
RANK = {
    "appendix": 0, "letterpart": 0, "chapter": 1, "part": 1, "muc": 2, "section": 2, "article": 3, "subsection": 3,
    "clause": 4, "point": 4, "diem": 5, "dash": 6, "plus": 7,
}  # fmt: skip
BULLET_KINDS = {"point", "diem", "clause", "dash", "plus"}  # a following paragraph continues them
HEADING_KINDS = {"letterpart", "part", "chapter", "muc"}
LEGAL_TYPES = {"Luật", "Bộ luật", "Hiến pháp", "Nghị định", "Thông tư", "Thông tư liên tịch", "Pháp lệnh"}

_ROMAN = re.compile(r"^([IVXLC]+)\.\s*(\S.*)?$")
_LETTER_PART = re.compile(r"^([A-H])\.\s+(\S.*)$")
_CHAPTER = re.compile(r"^Chương\s+([IVXLC]+|\d+)\b\.?\s*(.*)$", re.I)
_MUC = re.compile(r"^Mục\s+(\d+)\b\.?\s*(.*)$")
_ARTICLE = re.compile(r"^Điều\s+(\d+[a-z]?)\b\.?\s*(.*)$")
# "3. Sở …", and "3.Sở …" (a space lost in OCR or typing) when a capital letter follows: not "3.500", "2.đẩy"
_UPPER = "".join(c for c in map(chr, range(0x41, 0x1EFA)) if c.isupper() and c.isalpha())
_NUMBERED = re.compile(rf"^(\d{{1,3}})\.(?:\s+|(?=[{_UPPER}]))(\S.*)$|^(\d{{1,3}})\.$")
_SUBNUM = re.compile(rf"^(\d{{1,3}}(?:\.\d{{1,3}})+)(?:\.?\s+|\.(?=[{_UPPER}]))(\S.*)$")
_POINT = re.compile(r"^([a-zđ])\)\s*(.*)$")
# "Nhiệm vụ 1: Xây dựng …", "Hoạt động 2. …": an item named and numbered, heading the fields or points below it
_NAMED_ITEM = re.compile(
    r"^(Nhiệm vụ|Hoạt động|Giải pháp|Dự án|Đề án|Nội dung)\s+(\d{1,2})\s*[:.]\s*(\S.*)?$"
)
# "-", "–", "—", "•"; "_ " and "~ " are how OCR reads a dash at the start of a line
_DASH = re.compile(r"^[-–—•]\s*(\S.*)$|^[_~]\s+(\S.*)$")
_PLUS = re.compile(r"^\+\s*(\S.*)$")
# "PHỤ LỤC", "PHỤ LỤC II", "Phụ lục số 1" on a line of its own: an appendix closes the body's outline
_APPENDIX = re.compile(r"^(?:PHỤ LỤC|Phụ lục)(?:\s+(?:SỐ|số)\s*)?(?:\s+([IVXLC]+|\d{1,2}[a-z]?))?\s*[:.]?$")
# "Trên đây là Kế hoạch …", "Trong quá trình tổ chức thực hiện, nếu có khó khăn …": a plan's closing paragraph
_CLOSING = re.compile(r"^(?:Trên đây là|Trong quá trình (?:tổ chức )?(?:triển khai )?thực hiện)\b")
_RECIPIENTS = re.compile(r"^(?:Nơi\s+nhận\b|Kính\s+gửi\b|gửi\s*:)", re.I)  # OCR may lose "Kính"
_STAMP = re.compile(
    r"^(?:CÔNG VĂN\s+)?(?:ĐẾN|ĐỀN)$|^Số\s*:.*\bNgày\s*\d|^Ngày\s*:?\s*\d+/\d+(?:/\d+)?$|^Chuyển\s*:"
)


def stamp_lines(lines: list[str]) -> set[int]:
    """Indices of a received-document stamp ("LIÊN ĐOÀN LAO ĐỘNG … / CÔNG VĂN ĐẾN / Số: 3HST Ngày …")."""
    found: set[int] = set()
    for i, line in enumerate(lines):
        s = line.strip()
        if re.match(r"^(?:CÔNG VĂN\s+)?(?:ĐẾN|ĐỀN)$", s):
            found.add(i)
            j = i - 1
            while j >= 0 and not lines[j].strip():
                j -= 1
            if j >= 0 and is_upper(lines[j]) and len(lines[j]) < 80:
                found.add(j)
            for k in range(i + 1, min(len(lines), i + 6)):
                if _STAMP.match(lines[k].strip()):
                    found.add(k)
    return found


def roman_to_int(s: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for a, b in zip(s, s[1:] + " ", strict=False):
        v = values[a]
        total += -v if b != " " and values.get(b, 0) > v else v
    return total


@dataclass
class _Open:
    unit: Unit
    rank: int
    children: int = 0


def classify(line: str, in_article: bool) -> tuple[str, str, str] | None:
    """(kind, label, key) of a structural line, or None for a plain paragraph."""
    if m := _APPENDIX.match(line.strip()):
        n = m.group(1) or ""
        return "appendix", f"Phụ lục {n}".strip(), f"PL{n}"
    if (m := _ARTICLE.match(line)) and article_start(line):
        return "article", f"Điều {m.group(1)}", f"D{m.group(1)}"
    if m := _CHAPTER.match(line):
        n = m.group(1).upper()
        num = str(roman_to_int(n)) if not n.isdigit() else n
        return "chapter", f"Chương {n}", f"C{num}"
    if m := _MUC.match(line):
        return "muc", f"Mục {m.group(1)}", f"M{m.group(1)}"
    if (m := _ROMAN.match(line)) and (m.group(2) is None or not m.group(2)[:1].islower()):
        return "part", m.group(1), m.group(1)
    if (m := _LETTER_PART.match(line)) and is_upper(m.group(2)[:30]):
        return "letterpart", m.group(1), m.group(1)
    if m := _SUBNUM.match(line):
        return "subsection", m.group(1), m.group(1).split(".")[-1]
    if (m := _NAMED_ITEM.match(line)) and not in_article:
        initials = "".join(w[0] for w in m.group(1).split()).upper()
        return "section", f"{m.group(1)} {m.group(2)}", f"{initials}{m.group(2)}"
    if m := _NUMBERED.match(line):
        n = m.group(1) or m.group(3)
        return ("clause", f"Khoản {n}", f"K{n}") if in_article else ("section", n, n)
    if m := _POINT.match(line):
        return ("diem", f"Điểm {m.group(1)}", m.group(1)) if in_article else ("point", m.group(1), m.group(1))
    if _PLUS.match(line):
        return "plus", "+", "+"
    if _DASH.match(line):
        return "dash", "-", "-"
    return None


# the second half of a hyphenated compound, read as a bullet when a line breaks at its hyphen: "chính trị /
# - xã hội", "kinh tế / - xã hội", "giáo dục / - nghề nghiệp"; a bullet that opens in lower case is a bullet
_COMPOUND_TAIL = re.compile(
    r"^-\s*(?:xã hội|nghề nghiệp|thương binh|thương mại|kỹ thuật|nghệ thuật|quốc phòng)\b"
)


# a short line that names whose points follow ("Sở Xây dựng:", "Ủy ban nhân dân các xã, phường:") after the last
# bullet of another: a label of its own, not the bullet going on
_LABEL_LINE = re.compile(r"^[A-ZĐÀ-Ỹ][^:.;]{2,100}:$")


def _open_end(line: str) -> bool:
    """A long line that stops mid-sentence (on a letter): the next line goes on with it."""
    return len(line) >= 50 and line[-1:].isalpha()


def parse_structure(text: str, start: int, end: int) -> list[Unit]:
    """Units of text[start:end] in document order. Offsets are into the whole `text`."""
    units: list[Unit] = []
    stack: list[_Open] = []
    root_children = 0
    taken: set[str] = set()
    suffixes: dict[str, int] = {}  # path → the next "_n" to try for a repeated path
    recipients_mode = False

    pos = start
    previous = ""  # the last line read, for a dash that only wraps a compound
    raw_lines = text[start:end].split("\n")
    stamps = stamp_lines(raw_lines)
    for idx, raw in enumerate(raw_lines):
        line_start, line_end = pos, pos + len(raw)
        pos = line_end + 1
        line = raw.strip()
        if not line or idx in stamps:
            continue
        lead = line_start + (len(raw) - len(raw.lstrip()))
        in_article = any(o.unit.kind in {"article", "clause", "diem"} for o in stack)
        kind_info = classify(line, in_article)
        # "… phối hợp tổ chức chính trị" / "- xã hội tại địa phương …": a compound cut at its hyphen, not a bullet
        wrapped = bool(
            kind_info and kind_info[0] == "dash" and _COMPOUND_TAIL.match(line) and _open_end(previous)
        )
        kind_info = None if wrapped else kind_info
        previous = line

        in_tail_block = recipients_mode and (
            (kind_info and kind_info[0] in {"dash", "plus"}) or (kind_info is None and len(line) < 60)
        )
        if _RECIPIENTS.match(line) or in_tail_block:
            recipients_mode = True
            _close(stack, -1, line_start)
            continue  # "Nơi nhận" lists are header data, not body
        recipients_mode = False
        if kind_info is None and is_upper(line) and line.strip(" :").upper() in DOC_TYPES:
            _close(
                stack, -1, line_start
            )  # the type line of an attached document ("KẾ HOẠCH" after a decision's
            continue  # last article): what follows is not that article's

        if kind_info is None and _CLOSING.match(line):
            _close(stack, RANK["section"], line_start)  # the plan's closing words: not its last bullet's
        if kind_info is None:
            top = stack[-1] if stack else None
            continues = top and (
                wrapped
                or (top.unit.kind in BULLET_KINDS and not _LABEL_LINE.match(line))
                or (top.unit.kind in HEADING_KINDS and top.children == 0 and is_upper(line))
                or (
                    top.unit.kind == "article"
                    and top.children == 0
                    and not top.unit.heading.split(".", 1)[-1].strip()
                )
            )
            if continues:
                top.unit.end = top.unit.body_end = line_end
                _extend(stack, line_end)
                continue
            kind, label, key = "paragraph", "", "p"
            if top and top.unit.kind in {"dash", "plus"} and _LABEL_LINE.match(line):
                _close(stack, RANK["dash"], line_start)  # "Sở Xây dựng:" after a bullet: beside it, not in it
        else:
            kind, label, key = kind_info
        rank = RANK.get(kind, 99)
        if kind != "paragraph":
            _close(stack, rank, line_start)
        parent = stack[-1] if stack else None
        if parent:
            parent.children += 1
            count = parent.children
        else:
            root_children += 1
            count = root_children
        if kind in {"dash", "plus", "paragraph"}:
            key = f"{key}{count}"
        elif kind == "subsection" and not (parent and label.startswith(f"{parent.unit.label}.")):
            key = label  # "1.4" with no open section 1
        path = f"{parent.unit.path}.{key}" if parent else key
        base, n = path, suffixes.get(path, 2)  # resume where the last "I_n" stopped: no quadratic rescan
        while path in taken:
            path, n = f"{base}_{n}", n + 1
        suffixes[base] = n
        taken.add(path)
        unit = Unit(
            path=path, kind=kind, label=label or key, heading=line[:300], level=len(stack),
            start=lead, end=line_end, body_end=line_end, parent=parent.unit.path if parent else None,
        )  # fmt: skip
        units.append(unit)
        _extend(stack, line_end)
        if kind != "paragraph":
            stack.append(_Open(unit, rank))
    _set_sections(units)
    return units


def _close(stack: list[_Open], rank: int, at: int) -> None:
    while stack and stack[-1].rank >= rank:
        stack.pop()


def _extend(stack: list[_Open], end: int) -> None:
    for o in stack:
        o.unit.end = max(o.unit.end, end)


def _set_sections(units: list[Unit]) -> None:
    """Display heading path: numbering collapses ("III.2", "V.1.a"), bullets show their lead."""
    by_path = {u.path: u for u in units}
    for u in units:
        chain = []
        p: Unit | None = u
        while p is not None:
            chain.append(p)
            p = by_path.get(p.parent) if p.parent else None
        chain.reverse()
        parts: list[str] = []
        numbering: list[str] = []
        for c in chain:
            if c.kind in {"letterpart", "part", "section", "subsection", "point"}:
                numbering.append(c.label if c.kind != "subsection" else c.label.split(".")[-1])
                continue
            if numbering:
                parts.append(".".join(numbering))
                numbering = []
            if c.kind in {"appendix", "chapter", "muc", "article", "clause", "diem"}:
                parts.append(c.label)
            elif c.kind == "dash":
                parts.append(short_lead(c.heading))
            elif c.kind == "plus":
                parts.append("+")
        if numbering:
            parts.append(".".join(numbering))
        u.section = " › ".join(parts)


def short_lead(heading: str, limit: int = 70) -> str:
    """ "- Sở X chủ trì, phối hợp …" → "Sở X chủ trì…": the part of a lead line worth showing."""
    text = re.sub(r"^(?:[-–—•+]|[_~](?=\s))\s*", "", heading)
    m = re.search(r"\b(chủ trì|có trách nhiệm|phụ trách)\b", text)
    if m and m.end() <= limit + 20:
        return text[: m.end()] + "…"
    cut = re.split(r"[:;]", text)[0]
    return cut if len(cut) <= limit else cut[:limit].rsplit(" ", 1)[0] + "…"


def is_legal(doc_type: str | None, units: list[Unit]) -> bool:
    """Chương/Điều/Khoản texts (laws, decrees, circulars) rather than plans and letters."""
    if doc_type in LEGAL_TYPES:
        return True
    return sum(u.kind == "article" for u in units) >= 5 and not any(u.kind == "part" for u in units)
