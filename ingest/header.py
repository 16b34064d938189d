"""Header of an administrative document: issuer, số/ký hiệu, place and date, type, trích yếu,
signer and "Nơi nhận" (layout of Nghị định 30/2020/NĐ-CP).

Works on cleaned lines (markdown stripped). A received-document stamp ("CÔNG VĂN ĐẾN Số: 3HST
Ngày 02/12/2021") is never taken for the number. Missing fields stay None. The issuer's name (its
short and full forms, the body above it) is read in `issuer.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .issuer import PROVINCES as PROVINCES  # re-exported: knowledge/scope.py reads it here
from .issuer import is_upper, issuer_names, mend_places, split_issuer
from .model import Header
from .normalize import MOTTO, fold

DOC_TYPES = {
    "KẾ HOẠCH": "Kế hoạch", "QUYẾT ĐỊNH": "Quyết định", "NGHỊ ĐỊNH": "Nghị định", "THÔNG TƯ": "Thông tư",
    "THÔNG TƯ LIÊN TỊCH": "Thông tư liên tịch", "CHỈ THỊ": "Chỉ thị", "THÔNG BÁO": "Thông báo",
    "NGHỊ QUYẾT": "Nghị quyết", "CÔNG VĂN": "Công văn", "LUẬT": "Luật", "BỘ LUẬT": "Bộ luật",
    "HIẾN PHÁP": "Hiến pháp", "PHÁP LỆNH": "Pháp lệnh", "BÁO CÁO": "Báo cáo", "TỜ TRÌNH": "Tờ trình",
    "HƯỚNG DẪN": "Hướng dẫn", "CHƯƠNG TRÌNH": "Chương trình", "ĐỀ ÁN": "Đề án", "QUY CHẾ": "Quy chế",
    "QUY ĐỊNH": "Quy định", "KẾT LUẬN": "Kết luận", "CÔNG ĐIỆN": "Công điện", "THÔNG TRI": "Thông tri",
}  # fmt: skip
# Type code in the symbol ("…/QĐ-TTg") → type; a symbol without one ("…/UBND-ĐT") is a công văn.
TYPE_CODES = {
    "KH": "Kế hoạch", "QĐ": "Quyết định", "NĐ": "Nghị định", "TT": "Thông tư", "TTLT": "Thông tư liên tịch",
    "CT": "Chỉ thị", "TB": "Thông báo", "NQ": "Nghị quyết", "BC": "Báo cáo", "TTR": "Tờ trình",
    "HD": "Hướng dẫn", "QH": "Luật", "PL": "Pháp lệnh", "CĐ": "Công điện", "KL": "Kết luận", "CTR": "Chương trình",
}  # fmt: skip

_QUOC_HIEU = re.compile(r"C[ỘÔOỌ]NG\s*H[ÒOÓ][ÀA]?\s*X[ÃA]\s*H[ỘỌÔO]I\s*CH")  # OCR: "CỌNG", "HỌI"
# "Số: 12/KH-UBND"; laws, ordinances and orders put their kind first: "Luật số: 45/2019/QH14",
# "Pháp lệnh số: 02/2022/UBTVQH15", "Lệnh số: 05/2019/L-CTN" (then the colon is required: "Luật số 45 quy
# định …" in a sentence is a citation, not the header's number).
_SO = re.compile(
    r"^\s*(?:(?:Số|SỐ|só|số)\s*[:.]?|(?:Bộ luật|Luật|Pháp lệnh|Lệnh|Nghị quyết|BỘ LUẬT|LUẬT|PHÁP LỆNH|LỆNH|NGHỊ QUYẾT)"
    r"\s+(?:số|Số|SỐ)\s*:)\s*(.*)$"
)
_STAMP = re.compile(r"(?:ĐẾN|ĐỀN|DEN)\b", re.I)
_DATE = re.compile(
    r"ng[àa]y\s*(\d(?:\s?\d)?)\s*th[áa]ng\s*(\d(?:\s?\d)?)\s*n[ăa]m\s*(\d\s?\d\s?\d\s?\d)", re.I
)
_NUMBER = re.compile(
    r"^(\d{1,6}[a-z]?(?:/\d{4})?)[/-]((?:[A-ZĐ][A-ZĐa-zđ0-9&.]*)(?:-[A-ZĐ0-9][A-ZĐa-zđ0-9&.]*)*)$"
)
_BODY_START = re.compile(
    r"^(Căn cứ|Thực hiện|Theo đề nghị|Xét đề nghị|Xét|Kính gửi|Để|Nhằm|Trên cơ sở|Ngày \d|Trong|Thời gian)\b"
)
_AUTHORITY = re.compile(r"^(CHỦ TỊCH|THỦ TƯỚNG|BỘ TRƯỞNG|CHÍNH PHỦ|ỦY BAN|HỘI ĐỒNG|QUỐC HỘI|GIÁM ĐỐC|BAN )")
_SIGN_TITLE = re.compile(
    r"^(?:(?:TM|KT|TL|TUQ|Q)\.\s*)?(?:PHÓ\s+)?(?:CHỦ TỊCH|THỦ TƯỚNG|BỘ TRƯỞNG|THỨ TRƯỞNG|GIÁM ĐỐC|"
    r"CHÁNH VĂN PHÒNG|TRƯỞNG BAN|HIỆU TRƯỞNG|BÍ THƯ|TỔNG CỤC TRƯỞNG|CỤC TRƯỞNG|TRƯỞNG TIỂU BAN)\b"
)


@dataclass
class Line:
    text: str
    start: int
    end: int


@dataclass
class HeaderResult:
    header: Header
    doc_start: int = 0  # text before it is page chrome (crawler banners), not the document
    body_start: int = 0  # where the body (căn cứ, parts, articles) begins
    tail_start: int | None = None  # "Nơi nhận" / signer block of the last part
    notes: list[str] = field(default_factory=list)


def split_lines(text: str) -> list[Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(Line(raw.strip(), pos, pos + len(raw)))
        pos += len(raw) + 1
    return out


def parse_header(text: str) -> HeaderResult:
    """Find the header block near the quốc hiệu and read its fields."""
    lines = split_lines(text)
    h = Header()
    res = HeaderResult(header=h)
    limit = min(len(lines), 250)
    q = next((i for i in range(limit) if _quoc_hieu_start(lines, i) is not None), None)
    if q is None:
        q = next((i for i in range(min(limit, 60)) if MOTTO.search(lines[i].text)), None)

    first = 0
    if q is not None:
        issuer_lines, first = _issuer_lines(lines, q)
        if issuer_lines:
            parent, issuer = split_issuer(issuer_lines)
            if parent and re.match(r"^(BAN )?THƯỜNG TRỰC\b", issuer):
                issuer, parent = f"{issuer} {parent}", None
            h.issuer, h.issuer_full = issuer_names(issuer)
            if parent:
                res.notes.append(f"cơ quan cấp trên: {issuer_names(parent)[0]}")
        res.doc_start = lines[first].start if first < len(lines) else 0

    start = first if q is not None else 0
    window_end = min(len(lines), start + 60)
    type_idx = None
    for i in range(start, window_end):
        t = lines[i].text
        if i > (q if q is not None else -1) and type_idx is None:
            key = re.sub(r"\s+", " ", t.strip(" :")).upper()
            if key in DOC_TYPES and not t.rstrip().endswith(":") and is_upper(t):
                type_idx = i
                h.type = DOC_TYPES[key]
        if h.number is None:
            h.number = _number_at(lines, i)
        if h.date is None and (m := _DATE.search(_with_wrap(lines, i))) and not _BODY_START.match(t):
            h.date = _iso(m)
            h.place = _place_before(t[: m.start()])
        elif h.place is None and (pm := _PLACE_DATE.match(t)) and not _BODY_START.match(t):
            h.place = _place_before(pm.group(1))  # "Thành phó Hồ Chí Minh, ngày đỗ tháng 6": the day unread
        if type_idx is not None and i > type_idx:
            break
        if _BODY_START.match(t) and i > start + 2:
            break

    body_from = start
    if type_idx is not None:
        title, body_from = _title_after(lines, type_idx)
        h.title = title
    else:
        vv = next((i for i in range(start, window_end) if _VV.match(lines[i].text)), None)
        if vv is not None:
            h.title, body_from = _collect(lines, vv, lambda s: s)
            h.title = _VV.sub("", h.title).strip(" :")
            h.type = h.type or "Công văn"  # only a letter states its subject as "V/v …"
        for i in range(start, window_end):
            t = lines[i].text
            if _BODY_START.match(t) and i > body_from:
                break
            date = _DATE.search(t)
            before = t[: date.start()].rstrip() if date else ""
            # "Hà Nội, ngày …" is the header's; "Triển khai Kết luận số 18-KL/TW ngày 02 tháng 4 …" is the body
            dated = date and date.start() < 40 and (before.endswith(",") or len(before.split()) <= 3)
            if _SO.match(t) or dated or MOTTO.search(t):
                body_from = max(body_from, i + 1)
    if h.type is None and h.number:
        h.type = type_from_number(h.number)
    res.body_start = lines[body_from].start if body_from < len(lines) else len(text)
    _tail(lines, body_from, h, res)
    return res


# A place-and-date line wrapped in a two-column header ("Quảng Ngãi, ngày 05 tháng 3 năm" / "2024"): at 13 pt
# the right column is too narrow for it in PDFs.
_DATE_CUT = re.compile(r"ng[àa]y(?:\s*\d{1,2}\s*(?:th[áa]ng\s*(?:\d{1,2}\s*(?:n[ăa]m\s*)?)?)?)?$", re.I)


def _quoc_hieu_start(lines: list[Line], i: int) -> int | None:
    """Where the quốc hiệu starts on line i, also when it wraps onto the next line ("CỘNG HÒA XÃ" / "HỘI
    CHỦ NGHĨA VIỆT NAM": a two-column header at 13 pt, a crawled cell); None when it does not."""
    t = lines[i].text
    m = _QUOC_HIEU.search(t)
    if m:
        return m.start()
    if not re.search(r"C[ỘÔOỌ]NG\b", t):
        return None
    nxt = next((lines[j].text for j in range(i + 1, min(len(lines), i + 3)) if lines[j].text), "")
    m = _QUOC_HIEU.search(f"{t} {nxt}")
    return m.start() if m and m.start() < len(t) else None


def _with_wrap(lines: list[Line], i: int) -> str:
    """Line i, with the next non-empty line joined when line i ends in the middle of a date."""
    t = lines[i].text
    if not _DATE_CUT.search(t):
        return t
    nxt = next((lines[j].text for j in range(i + 1, min(len(lines), i + 3)) if lines[j].text), "")
    return f"{t} {nxt}"


_VV = re.compile(r"^V\s?/\s?[vw]\b", re.I)  # "V/v", and OCR's "V/w"


def _issuer_lines(lines: list[Line], q: int) -> tuple[list[str], int]:
    """Upper-case lines just before the quốc hiệu (and the part of its own line before it)."""
    collected: list[str] = []
    own = lines[q].text[: _quoc_hieu_start(lines, q) or 0].strip(" -|")
    if is_upper(own):
        collected.append(own)
    first = q
    i = q - 1
    while i >= 0 and q - i <= 14:
        t = lines[i].text
        if _SO.match(t):  # the number belongs to the header: never cut off with the chrome above it
            first = i
            i -= 1
            continue
        if not t or re.match(r"^[-_=—–|\s]+$", t):
            i -= 1
            continue
        if is_upper(t) and len(t) < 120 and not _QUOC_HIEU.search(t):
            collected.insert(0, t)
            first = i
            i -= 1
            continue
        vv = next((j for j in range(i, max(-1, i - 4), -1) if _VV.match(lines[j].text)), None)
        if vv is not None and not any(is_upper(lines[j].text) for j in range(vv, i + 1)):
            i = (
                vv - 1
            )  # a letter's "V/v …" under its number, read before the right column: not the issuer's end
            continue
        break
    # A left column may continue after the quốc hiệu line (OCR, DOCX tables): upper lines before "Số"; also
    # when the line itself began with the parent body ("BỘ CÔNG THƯƠNG CỘNG HÒA …" / "TRƯỜNG ĐẠI HỌC …").
    if not collected or (first == q and len(collected) == 1 and own):
        nonblank = [j for j in range(q + 1, min(len(lines), q + 12)) if lines[j].text][:5]
        for j in nonblank:
            raw = lines[j].text
            if motto := MOTTO.search(raw):  # "TRƯỜNG ĐẠI HỌC … Độc lập - Tự do - Hạnh phúc": the left column
                raw = raw[: motto.start()]
            t = " ".join(re.sub(r"(?<!\S)[a-z.…,=_\-—–]+(?!\S)", " ", raw).split())  # OCR marks: "mm..."
            if _SO.match(t) or _DATE.search(t) or _PLACE_DATE.match(t) or t.strip(" :") in DOC_TYPES:
                break
            if t and is_upper(t):
                collected.append(t)
    return collected, first


# a place before a date whose day or month OCR could not read: "Thành phó Hồ Chí Minh, ngày đỗ tháng 6 năm 2026"
_PLACE_DATE = re.compile(r"^([^,\d]{2,50}),\s*ng[àa]y\b[^,]{0,6}th[áa]ng\b", re.I)


def _place_before(text: str) -> str | None:
    """The place on a place-and-date line; after the number when OCR ran the two header columns together
    ("Số: 4@† /TTg-CĐS Hà Nội, ngày30 tháng 4 …"); its accents mended when it is a province OCR misread."""
    place = text.strip(" ,*")
    if _SO.match(place):  # the place is the last words after the number's symbol: look at the line's end only
        after = re.search(r"/[^/\s]*\s+([^\d/:]{2,40})$", place[-80:])
        place = after.group(1).strip(" ,*") if after else ""
    if not place or len(place) >= 60:
        return None
    return " ".join(mend_places(place.split(), alone=True))


def _number_at(lines: list[Line], i: int) -> str | None:
    m = _SO.match(lines[i].text)
    if not m:
        return None
    context = " ".join(lines[j].text for j in range(max(0, i - 2), i + 1))
    rest = m.group(1)
    if _STAMP.search(context) or re.search(r"\bNgày\s*\d", rest):
        return None  # a received-document stamp
    if not rest.strip():
        nxt = next((lines[j].text for j in range(i + 1, min(len(lines), i + 3)) if lines[j].text), "")
        rest = nxt
    return normalize_number(rest)


def normalize_number(raw: str) -> str | None:
    """ "1212 /KH-UBND" → "1212/KH-UBND"; "3210/QĐ - U B ND" → "3210/QĐ-UBND"; junk → None."""
    s = raw.strip().split("  ")[0]
    s = re.split(r"\s+(?:ngày|Ngày|V/v|v/v)\b|,", s)[0]
    s = re.sub(r"\s*([/-])\s*", r"\1", s.strip())
    if "/" in s:
        num, _, sym = s.partition("/")
        sym_tokens = sym.split()
        if len(sym_tokens) > 1 and all(re.fullmatch(r"[A-ZĐ0-9&/-]+", t) for t in sym_tokens):
            sym = "".join(sym_tokens)
        else:
            sym = sym_tokens[0] if sym_tokens else ""
        s = f"{num}/{sym}"
    s = s.replace("Ð", "Đ").rstrip(".;:")
    return s if _NUMBER.match(s) else None


def type_from_number(number: str) -> str | None:
    symbol = number.split("/")[-1]
    code = symbol.split("-")[0].upper()
    if code.startswith("QH"):
        return None  # laws carry their type in the title line
    if code in TYPE_CODES:
        return TYPE_CODES[code]
    return "Công văn" if "-" in symbol else None


def _iso(m: re.Match[str]) -> str | None:
    d, mo, y = (int(re.sub(r"\s", "", g)) for g in m.groups())
    if 1 <= d <= 31 and 1 <= mo <= 12 and 1900 <= y <= 2100:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _collect(lines: list[Line], i: int, fn) -> tuple[str, int]:
    """Consecutive non-blank lines from i (a wrapped paragraph) → (joined text, next index); a line that ends
    with "," goes on past one blank line (OCR puts one between the lines of a wrapped "V/v …")."""
    parts = []
    j = i
    while j < len(lines) and len(parts) < 6:
        if not lines[
            j
        ].text:  # on past one blank line only to words that go on the sentence ("đơn giản hóa …")
            going_on = j + 1 < len(lines) and lines[j + 1].text[:1].islower()
            if not (parts and parts[-1].endswith(",") and going_on):
                break
            j += 1
        parts.append(fn(lines[j].text))
        j += 1
    return " ".join(parts), j


def _title_after(lines: list[Line], type_idx: int) -> tuple[str | None, int]:
    """The trích yếu: lines after the type line, up to a blank line, a body opener or an authority line."""
    j = type_idx + 1
    while j < len(lines) and not lines[j].text:
        j += 1
    parts: list[str] = []
    while j < len(lines) and len(parts) < 6:
        t = lines[j].text
        if not t:
            nxt = next((ln.text for ln in lines[j + 1 : j + 3] if ln.text), "")
            if parts and not (nxt[:1].islower() and not is_upper(parts[-1])):
                break  # a title typed over two Word paragraphs goes on in lower case
            j += 1
            continue
        if re.match(r"^(?:[IVX]+|\d+)\.\s|^Điều\s+\d|^Chương\s", t) or (parts and _BODY_START.match(t)):
            break
        if parts and is_upper(t) and _AUTHORITY.match(t) and len(t) < 60:
            break
        parts.append(t)
        j += 1
    title = re.sub(r"\s+", " ", " ".join(parts)).strip() or None
    return title, j


def _tail(lines: list[Line], body_from: int, h: Header, res: HeaderResult) -> None:
    """Nơi nhận and signer: the last "Nơi nhận" block of the document."""
    idx = None
    for i in range(len(lines) - 1, body_from - 1, -1):
        if re.match(r"^Nơi\s+nhận\s*:?", lines[i].text, re.I):
            idx = i
            break
    if idx is None:
        return
    after = [ln.text for ln in lines[idx + 1 :]]
    attached = any(re.match(r"^(?:[IVX]+\.\s|Điều\s+\d|Chương\s+[IVX\d])", t) for t in after) or any(
        is_upper(t) and t.strip(" :") in DOC_TYPES for t in after
    )
    if not attached:  # the Nơi nhận closes the document; otherwise an attached plan follows it
        res.tail_start = lines[idx].start
    rest = re.sub(r"^Nơi\s+nhận\s*:?\s*", "", lines[idx].text, flags=re.I)
    items = [p.strip(" ;.") for p in re.split(r"(?:^|\s)-\s+", rest) if p.strip(" ;.")]
    j = idx + 1
    while (
        j < len(lines) and (lines[j].text.startswith(("-", "+", "•")) or not lines[j].text) and j - idx < 60
    ):
        if lines[j].text:
            items.append(lines[j].text.lstrip("-+• ").strip(" ;."))
        j += 1
    h.recipients = [i for i in items if i]
    # Signer: a title line ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH") followed by a name, near the tail.
    lo = max(body_from, idx - 25)
    for i in range(lo, min(len(lines), idx + 80)):
        if _SIGN_TITLE.match(lines[i].text):
            title, name = _split_name(lines[i].text)
            h.signer_title = title if h.signer_title is None else h.signer_title
            if name:
                h.signer = name
                return
            for k in range(i + 1, min(len(lines), i + 8)):
                t = lines[k].text
                if t and _is_name(t):
                    h.signer = t
                    return
                if t and not (_SIGN_TITLE.match(t) or is_upper(t)):
                    break


def _split_name(line: str) -> tuple[str, str | None]:
    """ "KT. CHỦ TỊCH PHÓ CHỦ TỊCH Lê Trường Sơn" → ("KT. CHỦ TỊCH PHÓ CHỦ TỊCH", "Lê Trường Sơn")."""
    words = line.split()
    k = len(words)
    while k > 0 and words[k - 1][:1].isupper() and not words[k - 1].isupper():
        k -= 1
    name = " ".join(words[k:])
    return " ".join(words[:k]), (name if name and _is_name(name) else None)


def _is_name(t: str) -> bool:
    words = t.split()
    return (
        2 <= len(words) <= 5
        and all(w[:1].isupper() and not w.isupper() for w in words)
        and not re.search(r"\d", t)
        and fold(t) != t.lower()
    )
