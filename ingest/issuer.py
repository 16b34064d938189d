"""The issuing body's name as a header writes it, in capitals over one or more lines: the body split from
the one above it ("UBND TỈNH X" / "SỞ Y TẾ"), a letter-spaced crawl repaired, a province's accents mended
where OCR misread them, and the name given in its short and full forms ("UBND tỉnh Khánh Hòa", "Ủy ban
nhân dân tỉnh Khánh Hòa").

Apart from `header.py`, which finds the lines of the header and reads its other fields, so each can be read
alone; the provinces listed here are the ones `agencies.py` knows too.
"""

from __future__ import annotations

import re

from .normalize import fold

_BODY_KEYWORDS = ("ỦY BAN", "UỶ BAN", "UBND", "SỞ ", "BỘ ", "TRƯỜNG ", "VĂN PHÒNG", "TỈNH ĐOÀN", "TIỂU BAN",
                  "BAN ", "CỤC ", "TỔNG CỤC", "HỘI ĐỒNG", "CÔNG AN", "ĐẢNG ỦY", "BỘ CHỈ HUY")  # fmt: skip


def is_upper(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def mend_places(words: list[str], alone: bool = False) -> list[str]:
    """A province's name (and "thành phố"/"tỉnh" before it) spelled right where its letters are right but
    its accents are not ("THÀNH PHÓ HÒ CHÍ MINH", OCR); other words as they are. The name must end the words
    and follow "tỉnh"/"thành phố" — or be all there is (`alone`: a place-and-date line's place) — so "TRUNG
    TÂM VĂN HÓA ĐA NĂNG" keeps its "ĐA NĂNG"."""
    folded = [fold(w) for w in words]
    out = list(words)
    for i in range(len(words)):
        for size in (4, 3, 2, 1):
            right = _FOLDED_PROVINCES.get(tuple(folded[i : i + size]))
            if not right or i + size != len(words):  # a place ends the name
                continue
            unit = next((u for u in _UNITS if i >= len(u) and tuple(folded[i - len(u) : i]) == u), None)
            if unit is None and not (alone and i == 0):
                continue
            out[i : i + size] = _like(right, words[i : i + size])
            if unit is not None:
                out[i - len(unit) : i] = _like(_UNITS[unit], words[i - len(unit) : i])
            return out
    return out


def _like(right: list[str], written: list[str]) -> list[str]:
    """`right` (upper case) in the case the words were written in: "HỒ" as "Hồ" beside "Hò"."""
    return [
        r if w.isupper() else (r.lower() if w.islower() else r.capitalize())
        for r, w in zip(right, written, strict=True)
    ]


def split_issuer(parts: list[str]) -> tuple[str | None, str]:
    """("UBND TỈNH X", "SỞ Y TẾ") → parent and issuing body; one name broken over lines is joined."""
    groups: list[str] = []
    for p in parts:
        p = _despace(re.sub(r"\s+", " ", p).strip(" -,"))
        starts_body = any(p.startswith(k) for k in _BODY_KEYWORDS)
        if groups and starts_body and not groups[-1].endswith(("THỦ TƯỚNG", "TM.", "VĂN PHÒNG")):
            groups.append(p)
        elif groups:
            groups[-1] = f"{groups[-1]} {p}"
        else:
            groups.append(p)
    return (groups[-2] if len(groups) > 1 else None), groups[-1]


def _despace(s: str) -> str:
    """Repair letter-spaced crawls ("ỦY B AN NHÂN D Â N T HÀNH P HỐ") when the pattern is obvious."""
    tokens = s.split()
    if len(tokens) > 3 and sum(len(t) == 1 for t in tokens) >= len(tokens) / 3:
        squashed = "".join(tokens)
        for prefix in ("ỦYBANNHÂNDÂN", "UỶBANNHÂNDÂN"):
            if squashed.startswith(prefix):
                rest = squashed[len(prefix) :]
                for unit in ("THÀNHPHỐ", "TỈNH", "HUYỆN", "QUẬN", "XÃ", "PHƯỜNG"):
                    if rest.startswith(unit):
                        place = _PLACES.get(rest[len(unit) :])
                        if place:
                            return f"ỦY BAN NHÂN DÂN {_UNIT_NAMES[unit]} {place}"
    return s


_UNIT_NAMES = {
    "THÀNHPHỐ": "THÀNH PHỐ",
    "TỈNH": "TỈNH",
    "HUYỆN": "HUYỆN",
    "QUẬN": "QUẬN",
    "XÃ": "XÃ",
    "PHƯỜNG": "PHƯỜNG",
}
PROVINCES = (
    "HÀ NỘI", "HỒ CHÍ MINH", "HẢI PHÒNG", "ĐÀ NẴNG", "CẦN THƠ", "HUẾ", "KHÁNH HÒA", "SƠN LA", "LAI CHÂU",
    "BẮC NINH", "ĐỒNG NAI", "ĐẮK LẮK", "QUẢNG NINH", "THANH HÓA", "NGHỆ AN", "LÀO CAI", "TUYÊN QUANG",
    "CAO BẰNG", "LẠNG SƠN", "ĐIỆN BIÊN", "PHÚ THỌ", "THÁI NGUYÊN", "NINH BÌNH", "HƯNG YÊN", "HÀ TĨNH",
    "QUẢNG TRỊ", "QUẢNG NGÃI", "GIA LAI", "LÂM ĐỒNG", "TÂY NINH", "ĐỒNG THÁP", "VĨNH LONG", "AN GIANG", "CÀ MAU",
)  # fmt: skip
_PLACES = {p.replace(" ", ""): p for p in PROVINCES}
_FOLDED_PROVINCES = {tuple(fold(p).split()): p.split() for p in PROVINCES}
_UNITS = {("thanh", "pho"): ["THÀNH", "PHỐ"], ("tinh",): ["TỈNH"]}

_LOWER_WORDS = {"và", "về", "của", "các", "cho", "với", "trong", "thuộc"}
_KEEP_CAPS = {"Công thương": "Công Thương", "việt nam": "Việt Nam", "Việt nam": "Việt Nam"}


def issuer_names(upper: str) -> tuple[str, str]:
    """Upper-case issuer → (short "UBND tỉnh Khánh Hòa", full "Ủy ban nhân dân tỉnh Khánh Hòa")."""
    s = " ".join(mend_places(re.sub(r"\s+", " ", upper.replace("UỶ", "ỦY")).split()))
    if not is_upper(s):
        full = s
    else:
        full = _case_name(s)
    short = re.sub(r"^Ủy ban nhân dân", "UBND", full)
    short = re.sub(r"^Hội đồng nhân dân", "HĐND", short)
    return short, full


def _case_name(s: str) -> str:
    if s.startswith("SỞ ") and not _PLACE_UNIT.search(s):  # "SỞ Y TẾ": a Sở named by its domain, as a Bộ is
        from .agencies import resolve  # (agencies read this module's provinces on import)

        plain = _sentence_case(s)
        known = resolve(plain)
        if known is not None and known.kind == "so":
            return known.name
        return _case_name("BỘ " + s[3:]).replace("Bộ", "Sở", 1)
    if s.startswith("BỘ "):
        kind, rest = s.split(" ", 1)
        out, cap_next = [], True
        for w in rest.split():
            lw = w.lower()
            if lw in {"và", "-", "–"}:
                out.append(lw)
                cap_next = True
            else:
                out.append(lw.capitalize() if cap_next else lw)
                cap_next = lw.endswith(",")
        name = f"{kind.capitalize()} {' '.join(out)}"
        for k, v in _KEEP_CAPS.items():
            name = name.replace(k, v)
        return name
    m = _PLACE_UNIT.search(s)
    if m:
        named = s[: m.start()].strip()
        head = (
            (_case_name(named) if named.startswith(("SỞ ", "BỘ ")) else _sentence_case(named))
            if named
            else ""
        )
        place = " ".join(w.capitalize() for w in s[m.end() :].split())
        return f"{head} {m.group(1).lower()} {place}".strip()
    return _sentence_case(s)


_PLACE_UNIT = re.compile(r"(?:^|\s)(TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN)\s(?!HỘI\b)")


def _sentence_case(s: str) -> str:
    known = {"THỦ TƯỚNG CHÍNH PHỦ": "Thủ tướng Chính phủ", "CHÍNH PHỦ": "Chính phủ", "QUỐC HỘI": "Quốc hội",
             "VĂN PHÒNG CHÍNH PHỦ": "Văn phòng Chính phủ", "ỦY BAN NHÂN DÂN": "Ủy ban nhân dân",
             "HỘI ĐỒNG NHÂN DÂN": "Hội đồng nhân dân"}  # fmt: skip
    if s in known:
        return known[s]
    words = [
        w
        if not re.search(r"[AEIOUYĂÂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴẮẰẲẴẶẤẦẨẪẬẾỀỂỄỆỐỒỔỖỘỚỜỞỠỢỨỪỬỮỰ]", w)
        else w.lower()
        for w in s.split()
    ]  # vowel-less tokens are abbreviations: MTTQ, UBND
    if not words:
        return s
    text = " ".join(words)
    for k, v in (("ủy ban", "Ủy ban"), ("việt nam", "Việt Nam"), ("thường trực", "Thường trực"),
                 ("công thương", "Công Thương")):  # fmt: skip
        text = text.replace(k, v)
    # a school's kind is part of its name: "Trường Đại học …", "Trường Cao đẳng …"
    text = re.sub(r"^(trường|học viện) (đại học|cao đẳng)\b", lambda m: f"{m[1]} {m[2].capitalize()}", text)
    return text[0].upper() + text[1:]
