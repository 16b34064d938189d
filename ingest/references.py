"""Citations of other documents in Vietnamese administrative and legal text.

"Quyết định số 161/QĐ-TTg ngày 25/01/2016 của Thủ tướng Chính phủ về phê duyệt …" → type, số/ký
hiệu, date, issuer and trích yếu; laws cited by name ("Luật Người khuyết tật"); short names the text
defines ("(sau đây gọi tắt là Quyết định số 161)") and their later uses. `check` says what does not
add up (year in the number against the date, type or issuer against the symbol).

Every pattern is compiled once and scanned left to right with bounded repetition, so a whole law
corpus goes through in linear time. A reference's span covers the citation proper (type … issuer);
its trích yếu is only in `title`, so spans never overlap a citation nested in a trích yếu.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field
from datetime import date as _date
from functools import lru_cache

from .header import DOC_TYPES, TYPE_CODES, type_from_number
from .normalize import clean_text, fold


@dataclass
class Reference:
    """One citation of another document, with what the text says about it."""

    start: int  # span in the text given, as written
    end: int
    text: str
    type: str | None
    number: str | None  # canonical số/ký hiệu; None for a law cited by name, or a short form not resolved
    date: str | None = None  # ISO, when written
    issuer: str | None = None  # as written after "của", dashes as " - "
    title: str | None = None  # trích yếu, or the name of a named law
    short_name: str | None = None  # the name the text defines for it
    via_short_name: bool = False  # a later use of a defined short name, resolved to the full number
    problems: list[str] = field(default_factory=list)
    unit_path: str = ""  # where the citation sits in its document (set when a document is built)
    section: str = ""


# Issuer by symbol code (the part after the type code: "QĐ-TTg", "TT-BXD", "NQ-HĐND").
_LDTBXH = "Bộ Lao động - Thương binh và Xã hội"
ISSUER_CODES = {
    "TTg": "Thủ tướng Chính phủ", "CP": "Chính phủ", "VPCP": "Văn phòng Chính phủ", "QH": "Quốc hội",
    "UBTVQH": "Ủy ban Thường vụ Quốc hội", "CTN": "Chủ tịch nước", "HĐND": "Hội đồng nhân dân",
    "UBND": "Ủy ban nhân dân", "BTC": "Bộ Tài chính", "BYT": "Bộ Y tế", "BGDĐT": "Bộ Giáo dục và Đào tạo",
    "BLĐTBXH": _LDTBXH, "LĐTBXH": _LDTBXH, "BTNMT": "Bộ Tài nguyên và Môi trường",
    "BNNPTNT": "Bộ Nông nghiệp và Phát triển nông thôn", "BNNMT": "Bộ Nông nghiệp và Môi trường",
    "BNN&MT": "Bộ Nông nghiệp và Môi trường", "BCA": "Bộ Công an", "BQP": "Bộ Quốc phòng", "BNV": "Bộ Nội vụ",
    "BTP": "Bộ Tư pháp", "BKHĐT": "Bộ Kế hoạch và Đầu tư", "BKHCN": "Bộ Khoa học và Công nghệ",
    "BTTTT": "Bộ Thông tin và Truyền thông", "BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch",
    "BCT": "Bộ Công Thương", "BGTVT": "Bộ Giao thông vận tải", "BXD": "Bộ Xây dựng", "BNG": "Bộ Ngoại giao",
    "BDTTG": "Bộ Dân tộc và Tôn giáo", "UBDT": "Ủy ban Dân tộc", "NHNN": "Ngân hàng Nhà nước Việt Nam",
    "TTCP": "Thanh tra Chính phủ", "KTNN": "Kiểm toán nhà nước", "TANDTC": "Tòa án nhân dân tối cao",
    "VKSNDTC": "Viện kiểm sát nhân dân tối cao",
}  # fmt: skip
# Canonical spelling of symbol codes, keyed by their folded form: "QD" → "QĐ", "ttg" → "TTg".
_EXTRA_CODES = ("TTr", "CTr", "QĐi", "KH&ĐT", "TW", "TU", "ĐU", "BCĐ", "ĐT", "GDĐT", "HD")
_CODES = {fold(c): c for c in (*TYPE_CODES, *ISSUER_CODES, *_EXTRA_CODES)}
_ISSUERS = {fold(c): name for c, name in ISSUER_CODES.items()}
_SYMBOL_TYPES = {fold(c): t for c, t in TYPE_CODES.items()} | {"qdi": "Quy định"}
_PARTY_TYPES = _SYMBOL_TYPES | {"tt": "Thông tri"}  # "02-TT/TU"
_NAMED_TYPES = {"Luật", "Bộ luật", "Pháp lệnh", "Hiến pháp"}
_TYPE_WORDS = {**DOC_TYPES, "THÔNG BÁO KẾT LUẬN": "Thông báo", "VĂN BẢN": None}

_W = r"(?![^\W_])"  # end of a word
_TYPES = "|".join(
    r"[ \t]+".join(map(re.escape, t.split())) for t in sorted(_TYPE_WORDS, key=len, reverse=True)
)
_TYPE_I = rf"(?i:{_TYPES}){_W}"
_TYPE_CAP = "|".join(
    r"[ \t]+".join(map(re.escape, v.split())) for t in sorted(_TYPE_WORDS, key=len, reverse=True)
    for v in (t, t.capitalize())
)  # fmt: skip
_TYPE_AT = re.compile(rf"(?:{_TYPE_CAP}){_W}")
_SO = r"(?i:số)"
_SO_N = rf"{_SO}[ \t]+[0-9]{{1,6}}(?![\w/]|[ \t]?[/-][ \t]?\w)"  # "số 161", not "số 161/QĐ-TTg"
_CODE = rf"[A-ZĐÐ](?:[A-Za-zĐđÐð0-9]|&[ \t]?(?=[A-ZĐÐ]))*{_W}"
_NUM = (
    rf"(?<![\w/.-])[0-9]{{1,6}}(?:\.[0-9]{{1,3}})?[a-z]?(?:"
    rf"(?:[ \t]?/[ \t]?[0-9]{{4}})?[ \t]?/[ \t]?{_CODE}(?:-[ \t]?{_CODE})*"  # 20/2021/NĐ-CP, 161 / QĐ-TTg
    rf"|[ \t]?-[ \t]?{_CODE}(?:[ \t]?/[ \t]?{_CODE})+)"  # party: 39-CT/TW
)
_PREFIX = (  # "Quyết định số ", "Nghị định ", "Pháp lệnh Ưu đãi … số ", "số "
    rf"(?:(?P<t>{_TYPE_I})[ \t]+(?:{_SO}[ \t]*:?[ \t]*)?"
    rf"|(?P<tm>{_TYPE_CAP})(?P<mid>(?:,?[ \t]+(?!{_TYPE_I}|{_SO}{_W})[^\W\d_]+){{1,10}}?)"
    rf"[ \t]+{_SO}[ \t]*:?[ \t]*"
    rf"|(?P<so>{_SO}[ \t]*:?[ \t]*))"
)
_REF = re.compile(rf"(?<![^\W_]){_PREFIX}?(?P<num>{_NUM})")  # a citation starting here
# Scanning goes number first (digits are rare, type words are not), then looks back for the prefix.
_NUM_RE = re.compile(_NUM)
_PREFIX_BEFORE = re.compile(rf"(?<![^\W_]){_PREFIX}\Z")
_PARTIAL = re.compile(rf"(?<![^\W_])(?P<t>{_TYPE_I})[ \t]+{_SO_N}")
_SO_N_RE = re.compile(rf"[sS][ốỐ](?<![^\W_]..){_SO_N[len(_SO) :]}")  # literal first: fast to scan
_TYPE_BEFORE = re.compile(rf"(?<![^\W_])(?P<t>{_TYPE_I})[ \t]+\Z")
_NAMED = re.compile(rf"(?:Bộ [lL]uật|BỘ LUẬT|Luật|LUẬT|Pháp lệnh|PHÁP LỆNH|Hiến pháp|HIẾN PHÁP){_W}")
_CLAUSE = re.compile(rf"[ \t]+(?:là|được|đã|có|phải|sẽ|đang){_W}")
_AMENDING = re.compile(r"(?i:sửa[ \t]+đổi)")
_TYPE_ANY = re.compile(_TYPE_I)  # any case: "nghị định" ends an issuer, "(… gọi tắt là Luật)" is no name
_DATE = re.compile(
    r"[ \t]*,?[ \t]*(?:(?i:ban hành|thông qua)[ \t]+)?(?i:ngày)[ \t]+"
    r"(?:([0-9]{1,2})[ \t]*([/.-])[ \t]*([0-9]{1,2})[ \t]*\2[ \t]*([0-9]{4})"
    r"|([0-9]{1,2})[ \t]+(?i:tháng)[ \t]+([0-9]{1,2})[ \t]*,?[ \t]+(?i:năm)[ \t]+([0-9]{4}))"
)
_CUA = re.compile(r"[ \t]*,?[ \t]*(?i:của)[ \t]+")
_WORD = re.compile(r"[ \t]*([^\W\d_]+)")
_DASH = re.compile(r"[ \t]*[-–—][ \t]*(?=[^\W\d_])")
_COMMA = re.compile(r",[ \t]*")
# Words that end a name (issuer or law): the trích yếu, a date, a list going on.
_STOP_BASE = (
    r"về|ngày|của|năm|nhằm|để|theo|trong|tại|được|đã|đang|sẽ|là|khi|do|đến|từ|cho|các|những|này|đó|trình|"
    r"thì|mà|hoặc|trên|thực hiện|triển khai|quy định|hướng dẫn|ban hành|phê duyệt|sửa đổi|bổ sung|"
    r"thi hành|hiện hành|(?:có|hết) hiệu lực|bao gồm|"
    r"với việc|với các|số(?=[ \t]*[0-9])|v/v"
)
_STOP_LAW = re.compile(rf"(?:{_STOP_BASE}){_W}")
_STOP_LAW_I = re.compile(rf"(?i:{_STOP_BASE}){_W}")
_STOP_ISSUER = re.compile(
    rf"(?i:{_STOP_BASE}|đối với|thông qua|công bố|yêu cầu|gửi|kèm|giữa|có|với|nay|"
    rf"kết luận|thông báo|quyết định){_W}"
)
_ROLE = re.compile(r"(?i:bộ trưởng|thứ trưởng|(?:phó )?chủ tịch|thống đốc|chánh văn phòng|thường trực)[ \t]+")
_KNOWN_ISSUER = re.compile(
    "(?i:"
    + "|".join(
        re.escape(n)
        .replace(r"\ \-\ ", r"[ \t]*[-–—,][ \t]*")
        .replace(r",\ ", r",?[ \t]+")
        .replace(r"\ ", r"[ \t]+")
        for n in sorted(set(ISSUER_CODES.values()), key=len, reverse=True)
    )
    + f"){_W}"
)
_TITLE_START = re.compile(
    r"[ \t]*,?[ \t]*(?:(?i:về[ \t]+việc|v/v|về)[ \t]*:?[ \t]+|(?=(?i:quy định|hướng dẫn|ban hành|"
    rf"phê duyệt|sửa đổi|bổ sung|thực hiện|triển khai|điều chỉnh|phân bổ|thành lập|kiện toàn|bãi bỏ|công bố|"
    rf"kết luận){_W}))"
)
_TITLE_BODY = re.compile(
    r"(?:“(?:[^”\n]|\n(?!\n)){0,300}”|\"[^\"\n]{0,300}\"|[^;:\n(“”\"….]|\.(?![ \t\n]|$))+"
)
_LIST_JOIN = re.compile(r"(?:[,;]|[ \t]+(?:và|hoặc))[ \t]*$")
_DEF = re.compile(
    r"[ \t]*\([ \t*_]*(?i:sau[ \t]+đây[ \t]+)?(?i:(?:được[ \t]+)?(?:gọi|viết)(?:[ \t]+(?:tắt|gọn))?[ \t]+là)"
    r"[ \t]*:?[ \t]*[*_“\"']*(?P<name>[^()\n*_“”\"']{1,80}?)[ \t]*[*_”\"']*[ \t]*\)"
)
_FORM_BEFORE = re.compile(  # a form or a standard, not a document: "theo Mẫu số 01/TK", "QCVN 06:2010/BXD"
    r"(?:(?i:mẫu|biểu|phụ lục|ký hiệu)[ \t]*(?:(?i:số)[ \t]*)?:?|(?:QCVN|TCVN)[ 0-9.:-]*)[ \t]*\Z"
)
_MAX_SHORT_NAMES = 50  # names resolved per text: bounds the work on adversarial input
_HEADER_SO = re.compile(r"[\s*_#>|]*(?i:số)[ \t]*:?[ \t]*$")


def number_key(number: str) -> str:
    """Key to match numbers however written: folded (đ→d), lower case, no spaces, no leading zeros."""
    return re.sub(r"^0+(?=[0-9])", "", re.sub(r"\s+", "", fold(clean_text(number))))


@lru_cache(maxsize=4096)
def canonical_number(raw: str) -> str:
    """ "161 / QD-TTG" → "161/QĐ-TTg": no spaces, codes spelt as the standard ones, others upper case."""
    s = re.sub(r"\s+", "", clean_text(raw))
    out = []
    for tok in re.split(r"([/-])", s):
        m = re.fullmatch(r"([^\W\d_][\w&]*?)([0-9]*)", tok)
        out.append(_CODES.get(fold(m.group(1)), m.group(1).upper()) + m.group(2) if m else tok)
    return "".join(out)


def _is_party(number: str) -> bool:
    return bool(re.match(r"^[0-9.]+[a-z]?-", number))


@lru_cache(maxsize=4096)
def symbol_type(number: str) -> str | None:
    """Document type the symbol says: "39-CT/TW" → Chỉ thị, "20/2021/NĐ-CP" → Nghị định."""
    if _is_party(number):
        return _PARTY_TYPES.get(fold(number.split("-", 1)[1].split("/")[0]))
    return type_from_number(number)


@lru_cache(maxsize=4096)
def expected_issuer(number: str) -> str | None:
    """Who issues a document with this symbol; None when the symbol does not say (party, joint, unknown)."""
    number = canonical_number(number)
    if _is_party(number):
        return None  # /TW: Ban Chấp hành Trung ương, Bộ Chính trị and Ban Bí thư all issue under it
    codes = [re.sub(r"[0-9]+$", "", c) for c in re.split(r"[/-]", number)[1:]]
    names = list(dict.fromkeys(_ISSUERS[fold(c)] for c in codes if fold(c) in _ISSUERS))
    return names[0] if len(names) == 1 else None


def _squash(s: str) -> str:
    s = _ROLE.sub("", s.strip(), count=1)
    s = re.sub(r"\bUBND\b", "Ủy ban nhân dân", re.sub(r"\bHĐND\b", "Hội đồng nhân dân", s))
    return re.sub(r"[^a-z0-9]", "", fold(s))


def check(ref: Reference) -> list[str]:
    """What in a citation does not add up: year in the number vs the date, type or issuer vs the symbol."""
    problems: list[str] = []
    if not ref.number:
        return problems
    year = re.match(r"^[0-9.]+[a-z]?/([0-9]{4})/", ref.number)
    if year and ref.date and year.group(1) != ref.date[:4]:
        problems.append(f"Năm trong số hiệu ({year.group(1)}) khác năm ban hành ({ref.date[:4]})")
    sym = symbol_type(ref.number)
    if ref.type and sym and not _same_type(ref.type, sym):
        problems.append(f"Loại văn bản “{ref.type}” không khớp ký hiệu {ref.number} ({sym})")
    want = expected_issuer(ref.number)
    if ref.issuer and want:
        have, exp = _squash(ref.issuer), _squash(want)
        if not (have.startswith(exp) or (len(have) >= 6 and exp.startswith(have))):
            problems.append(f"Cơ quan ban hành “{ref.issuer}” không khớp ký hiệu {ref.number} ({want})")
    return problems


def _same_type(written: str, sym: str) -> bool:
    return written.startswith(sym) or sym.startswith(written) or {written, sym} <= {"Quy định", "Quyết định"}


@dataclass
class _Cand:
    ref: Reference
    prio: int  # 0 full number, 1 named law, 2 short form ("Quyết định số 161")
    anchor: int = 0  # where a "(sau đây gọi tắt là …)" would start


_TYPED_SYMBOL = re.compile(r"\b(\d{1,5}(?:/\d{4})?[/-])([a-zđ&]+(?:[-/][a-zđ&0-9]+)*)\b", re.I)


def find_typed_references(text: str) -> list[Reference]:
    """Citations in what a user typed: a symbol in lower case ("161/qd-ttg") is read as written in capitals."""
    return find_references(_TYPED_SYMBOL.sub(lambda m: m.group(1) + m.group(2).upper(), text))


def find_references(text: str) -> list[Reference]:
    """Every citation of another document in `text`, in order of appearance, checked."""
    cands = _number_refs(text) + _named_refs(text) + _partial_refs(text)
    cands.sort(key=lambda c: (c.ref.start, c.prio))
    kept: list[_Cand] = []
    for c in cands:
        if not kept or c.ref.start >= kept[-1].ref.end:
            kept.append(c)
    for c in kept:
        _tail(text, c)
    starts = [c.ref.start for c in kept]
    for c in kept:
        if c.prio == 0 and c.ref.title is None:
            _title(text, c, starts)
    kept = _short_names(text, kept)
    refs = sorted((c.ref for c in kept), key=lambda r: r.start)
    for r in refs:
        r.problems = check(r)
    return refs


def count_numbers(text: str, stop: int) -> int:
    """Number-shaped tokens ("12/KH-UBND", "1/A") in `text`, counted no further than `stop`: a cheap bound on
    the work of `find_references` (about 1 µs a token here, 17 µs there)."""
    return sum(1 for _ in itertools.islice(_NUM_RE.finditer(text), stop))


def _type(word: str | None) -> str | None:
    return _TYPE_WORDS.get(" ".join(word.split()).upper()) if word else None


def _number_refs(text: str) -> list[_Cand]:
    out = []
    for n in _NUM_RE.finditer(text):
        m = _PREFIX_BEFORE.search(text, max(0, n.start() - 120), n.start())
        start = m.start() if m else n.start()
        if m and m.group("so") and _HEADER_SO.fullmatch(_line_before(text, start) + text[start : n.start()]):
            continue  # the document's own "Số: 1212/KH-UBND"
        typed = m and (m.group("t") or m.group("tm"))
        if not typed and _FORM_BEFORE.search(text, max(0, start - 20), n.start()):
            continue  # "theo Mẫu số 01/TK-SDDPNN"
        number = canonical_number(n.group(0))
        typ = _type(typed) or symbol_type(number)
        ref = Reference(start, n.end(), text[start : n.end()], typ, number)
        if m and m.group("mid") and typ in _NAMED_TYPES:
            ref.title = " ".join(m.group("mid").split()).strip(", ")
        out.append(_Cand(ref, 0, n.end()))
    return out


def _line_before(text: str, pos: int, limit: int = 20) -> str:
    """The line up to pos, when it starts at most `limit` characters back (else a marker that it is long)."""
    lo = max(0, pos - limit)
    nl = text.rfind("\n", lo, pos)
    return text[nl + 1 : pos] if nl >= 0 or lo == 0 else "…"


def _partial_refs(text: str) -> list[_Cand]:
    """ "Quyết định số 161": a short form, resolved later if the text defines it."""
    out = []
    for n in _SO_N_RE.finditer(text):
        if m := _TYPE_BEFORE.search(text, max(0, n.start() - 40), n.start()):
            ref = Reference(m.start(), n.end(), text[m.start() : n.end()], _type(m.group("t")), None)
            out.append(_Cand(ref, 2, n.end()))
    return out


def _named_refs(text: str) -> list[_Cand]:
    """Luật/Bộ luật/Pháp lệnh/Hiến pháp cited by name: "Luật Người khuyết tật", "Bộ luật Lao động"."""
    out = []
    for m in _NAMED.finditer(text):  # literal first (fast); word start checked here
        before = text[max(0, m.start() - 5) : m.start()]
        if before[-1:].isalnum() or fold(before) == "phap ":
            continue  # "pháp luật", "PHÁP LUẬT"
        typ = _type(m.group(0))
        w = _WORD.match(text, m.end())
        if w and _AMENDING.match(text, w.start(1)):
            continue  # "Luật sửa đổi, bổ sung …": the amending law, named by what it amends
        end = _scan_name(text, m.end(), law=True)
        name = " ".join(text[m.end() : end].split()) or None
        if typ == "Hiến pháp":  # cited bare ("theo Hiến pháp"); a name only when it is one
            if not _line_before(text, m.start()).strip():
                continue  # a heading line "HIẾN PHÁP", not a citation
            name = name if name and name != name.lower() else None
        elif not name or (typ != "Bộ luật" and name == name.lower()):
            continue  # "Luật này", "Luật khác có liên quan"
        end = end if name else m.end()
        out.append(_Cand(Reference(m.start(), end, text[m.start() : end], typ, None, title=name), 1, end))
    return out


def _stops(text: str, at: int, word: str, law: bool) -> bool:
    if not law:
        return bool(_STOP_ISSUER.match(text, at))
    if word.islower():
        return bool(_STOP_LAW.match(text, at))
    return word.isupper() and bool(_STOP_LAW_I.match(text, at))  # "Quy chuẩn" inside a name goes on


def _cites_at(text: str, at: int) -> bool:
    """Does a type word at `at` start another citation (not "Kế hoạch và Đầu tư" in a ministry name)?"""
    if _REF.match(text, at) or _PARTIAL.match(text, at):
        return True
    m = _NAMED.match(text, at)
    w = _WORD.match(text, m.end()) if m else None
    return bool(w and w.group(1)[0].isupper())


def _run(text: str, pos: int, limit: int, clause_ends: bool = False) -> int:
    """Lower-case words from pos before a stop (0 when more than limit): "gia đình" in "Hôn nhân và gia đình".
    With clause_ends, 0 when a verb follows: "Luật Trẻ em, người học là …" lists, it does not name."""
    n = 0
    while (w := _WORD.match(text, pos)) and w.group(1).islower() and w.group(1) != "và":
        if _stops(text, w.start(1), w.group(1), True):
            break
        n, pos = n + 1, w.end()
        if n > limit:
            return 0
    return 0 if clause_ends and _CLAUSE.match(text, pos) else n


def _scan_name(text: str, pos: int, law: bool, words: int = 0) -> int:
    """End of a proper name from pos: an issuer ("Bộ Lao động – Thương binh và Xã hội") or a law's name."""
    end, seg = pos, words  # seg: words since the last comma
    while words < (12 if law else 14):
        if w := _WORD.match(text, end):
            word, at = w.group(1), w.start(1)
            if word[0].isupper() and words and (_TYPE_AT.match(text, at) if law else _cites_at(text, at)):
                break  # the next citation: "… của Chính phủ và Quyết định số …"
            if _stops(text, at, word, law) or (not law and word.islower() and _TYPE_ANY.match(text, at)):
                break
            if word.lower() == "và" and not (words and _and_goes_on(text, w.end(), law)):
                break
            end, words, seg = w.end(), words + 1, seg + 1
        elif (
            words
            and (sep := (_COMMA if law else _DASH).match(text, end))
            and _sep_goes_on(text, sep.end(), law, seg)
        ):
            end, seg = sep.end(), 0
        else:
            break
    return end


def _and_goes_on(text: str, pos: int, law: bool) -> bool:
    """After "và": a capitalised part of the same name ("và Xã hội"), or a short tail of a law's name."""
    if not (nxt := _WORD.match(text, pos)):
        return False
    if nxt.group(1)[0].isupper():
        return not _TYPE_AT.match(text, nxt.start(1)) and not _stops(text, nxt.start(1), nxt.group(1), law)
    return law and _run(text, pos, 4) > 0


def _sep_goes_on(text: str, pos: int, law: bool, seg: int) -> bool:
    """After "," in a law's name ("Phòng, chống", "Cán bộ, công chức") or a dash in an issuer's."""
    nxt = _WORD.match(text, pos)
    if not nxt or _TYPE_AT.match(text, nxt.start(1)) or _stops(text, nxt.start(1), nxt.group(1), law):
        return False
    word = nxt.group(1)
    if not law:
        return word[0].isupper()  # "Lao động – Thương binh"
    return seg <= 4 and (word[0].isupper() or fold(word) == "chong" or _run(text, pos, 2, True) > 0)


def _iso(m: re.Match[str]) -> str | None:
    d, mo, y = (m.group(1), m.group(3), m.group(4)) if m.group(1) else (m.group(5), m.group(6), m.group(7))
    try:
        return _date(int(y), int(mo), int(d)).isoformat()
    except ValueError:
        return None


def _tail(text: str, c: _Cand) -> None:
    """Date and issuer after the number (or the law's name), in either order."""
    r, end = c.ref, c.ref.end
    if r.number and r.type in _NAMED_TYPES and r.title is None:  # "Luật số 24/2018/QH14 An ninh mạng"
        e = _scan_name(text, end, law=True)
        if (name := " ".join(text[end:e].split())) != name.lower():
            r.title, end = name, e
    for _ in range(3):
        if r.date is None and (m := _DATE.match(text, end)):
            r.date, end = _iso(m), m.end()
            continue
        if r.issuer is None and (m := _CUA.match(text, end)):
            role = _ROLE.match(text, m.end())
            known = _KNOWN_ISSUER.match(text, role.end() if role else m.end())
            w = _WORD.match(text, m.end())
            if known or (w and w.group(1)[0].isupper() and not _cites_at(text, w.start(1))):
                e = _scan_name(text, known.end() if known else m.end(), law=False, words=1 if known else 0)
                issuer = re.sub(r"\s*[-–—]\s*", " - ", " ".join(text[m.end() : e].split()))
                r.issuer, end = issuer, e
                continue
        break
    r.end, r.text = end, text[r.start : end]
    c.anchor = max(c.anchor, end)


def _title(text: str, c: _Cand, starts: list[int]) -> None:
    """The trích yếu after the citation: "về phê duyệt Đề án …" → "phê duyệt Đề án …"."""
    m = _TITLE_START.match(text, c.ref.end)
    if not m or not (body := _TITLE_BODY.match(text, m.end(), m.end() + 800)):
        return
    end = body.end()
    for s in starts[bisect.bisect_right(starts, m.end()) : bisect.bisect_left(starts, end)]:
        if j := _LIST_JOIN.search(text, max(m.end(), s - 12), s):
            end = j.start()  # a list goes on: "…, Nghị định số …"
            break
    title = " ".join(text[m.end() : end].split()).strip(" ,")
    if len(title) > 400:
        title = title[:400].rsplit(" ", 1)[0]
    if title:
        c.ref.title, c.anchor = title, end


def _short_names(text: str, kept: list[_Cand]) -> list[_Cand]:
    """Attach "(sau đây gọi tắt là X)" to the citation it follows; resolve later uses of X."""
    defs: dict[int, tuple[re.Match[str], _Cand]] = {}
    for c in kept:  # in order: a citation nested at the end of a trích yếu wins over the outer one
        m = _DEF.match(text, c.anchor)
        t = _TYPE_AT.match(m.group("name").strip()) if m else None
        if t and _type(t.group(0)) == c.ref.type:  # "Quyết định số 161" names a Quyết định, not a campaign
            defs[m.start()] = (m, c)
    spans = sorted((m.start(), m.end()) for m, _ in defs.values())
    kept = [c for c in kept if not _inside(spans, c.ref.start)]  # the number inside "(… là Nghị quyết số …)"
    uses: list[_Cand] = []
    for m, c in sorted(defs.values(), key=lambda d: d[0].start())[:_MAX_SHORT_NAMES]:
        name = c.ref.short_name = " ".join(m.group("name").split())
        if _TYPE_ANY.fullmatch(name) or _NUM_RE.search(name):
            continue  # "(… gọi tắt là Luật)" or a full number: nothing to resolve
        pat = re.compile(r"[ \t]+".join(map(re.escape, name.split())) + rf"{_W}(?![ \t]?[/-][ \t]?\w)")
        for u in pat.finditer(text):
            if _inside(spans, u.start()) or text[u.start() - 1 : u.start()].isalnum():
                continue
            after = u.start() >= m.end()  # a later definition of the same name takes over from here
            ref = Reference(u.start(), u.end(), u.group(0), c.ref.type, c.ref.number if after else None)
            if after:  # resolved; a law cited by name keeps its name
                ref.via_short_name, ref.title = True, None if c.ref.number else c.ref.title
            uses.append(_Cand(ref, 1, m.start()))
    uses.sort(key=lambda u: (u.ref.start, -u.ref.via_short_name, -u.anchor))  # resolved, latest definition
    starts, dropped, added = [c.ref.start for c in kept], set(), []
    for u in uses:  # a use replaces the short form "Quyết định số 161" found at the same place
        clash, j = [], bisect.bisect_left(starts, u.ref.end) - 1
        while j >= 0 and kept[j].ref.end > u.ref.start:  # kept do not overlap: their ends are sorted too
            clash, j = [*clash, j], j - 1
        if all(kept[j].prio == 2 for j in clash) and not (added and added[-1].ref.end > u.ref.start):
            dropped.update(clash)
            added.append(u)
    return [c for j, c in enumerate(kept) if j not in dropped] + added


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    i = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]
