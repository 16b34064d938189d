"""Agencies (cơ quan, đơn vị): one canonical entity per agency, whatever way a document writes it.

Task assignments name the same agency many ways ("Sở LĐTBXH", "Sở Lao động – Thương binh và Xã hội",
"SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI tỉnh Khánh Hòa"); grouping them needs one entity. Rules decide (a head
word + a domain name, a level, a place) with a small gazetteer for abbreviations and key equality, so a plan
never seen before works too: any "Sở" + capitalised words is a Sở.

Identity is (key, scope). The key never holds the province ("Sở Y tế" is "so y te" everywhere, "Công an
tỉnh" is "cong an"), the scope does ("tỉnh Khánh Hòa"; "Chính phủ" for a ministry), so a query typed
without scope matches on the key alone.
Text is read as words with their accents ("số" is not "sở", "phong trào" not "phòng"); text typed without
any accent ("So LDTBXH") is matched folded. Spans always index the text as given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .header import DOC_TYPES, PROVINCES, is_upper
from .normalize import clean_text, fold, match_form

# ---------------------------------------------------------------- gazetteer
# Domain of a Sở / Bộ / Phòng: canonical name, abbreviations, who has it (s = a Sở, b = a Bộ).
_DOMAINS = (
    ("Lao động - Thương binh và Xã hội", "LĐTBXH LĐ-TB&XH LĐTB&XH LĐ-TBXH", "sb"),
    ("Khoa học và Công nghệ", "KH&CN KHCN", "sb"), ("Kế hoạch và Đầu tư", "KH&ĐT KHĐT", "sb"),
    ("Thông tin và Truyền thông", "TT&TT TTTT", "sb"), ("Tài nguyên và Môi trường", "TN&MT TNMT", "sb"),
    ("Giáo dục và Đào tạo", "GD&ĐT GDĐT", "sb"), ("Văn hóa, Thể thao và Du lịch", "VHTTDL VH,TT&DL VHTT&DL", "sb"),
    ("Văn hóa và Thể thao", "VH&TT VHTT", "s"), ("Nông nghiệp và Phát triển nông thôn", "NN&PTNT NNPTNT", "sb"),
    ("Nông nghiệp và Môi trường", "NN&MT NNMT", "sb"), ("Giao thông vận tải", "GTVT", "sb"),
    ("Dân tộc và Tôn giáo", "DT&TG", "sb"), ("Nội vụ", "NV", "sb"), ("Tư pháp", "", "sb"),
    ("Tài chính", "TC", "sb"), ("Y tế", "YT", "sb"), ("Xây dựng", "XD", "sb"), ("Công Thương", "CT", "sb"),
    ("Ngoại vụ", "", "s"), ("Du lịch", "", "s"), ("Quy hoạch - Kiến trúc", "", "s"), ("Công an", "", "b"),
    ("Quốc phòng", "", "b"), ("Ngoại giao", "", "b"),
)  # fmt: skip
_SHORT = {"NV", "TC", "YT", "XD", "CT"}  # two-letter forms, read only in lists: "Các Bộ: TC, XD, NV"
_DOMAIN_FORMS = (("Lao động - Thương binh", "Lao động - Thương binh và Xã hội"),)
# Named bodies, "class|kind|name|variants…". L: provincial, named with its level when known ("Công an tỉnh",
# key "cong an"); L!: read only with a written level; D: Tỉnh đoàn; U/H: Ủy ban / Hội đồng nhân dân; B: a
# central body's local branch, named bare; C: central, scope "Chính phủ"; C-: central, no scope.
# Abbreviations inside a variant expand by _ABBR ("Ủy ban MTTQ Việt Nam" is read as the full name).
_BODIES = """
L!|other|Công an
L!|other|Thanh tra
L!|other|Thuế
L|other|Bộ Chỉ huy Quân sự|BCHQS
L|other|Bộ đội Biên phòng|Bộ Chỉ huy Bộ đội Biên phòng|BĐBP
L|other|Văn phòng Ủy ban nhân dân|Văn phòng UBND
L|other|Văn phòng Hội đồng nhân dân và Ủy ban nhân dân|Văn phòng HĐND và UBND
L|other|Văn phòng Hội đồng nhân dân|Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân
L|other|Ban Dân tộc
L|other|Bảo hiểm xã hội|BHXH
L|other|Đài Phát thanh và Truyền hình|Đài Phát thanh - Truyền hình|Đài PT-TH
L|other|Báo và Phát thanh, Truyền hình
L|other|Tòa án nhân dân|TAND
L|other|Viện Kiểm sát nhân dân|VKSND
L|other|Ban Quản lý các khu công nghiệp
L|doan_the|Ủy ban Mặt trận Tổ quốc Việt Nam|Ủy ban MTTQ Việt Nam|UBMTTQVN|Mặt trận Tổ quốc Việt Nam|Mặt trận Tổ quốc|Ủy ban Mặt trận Tổ quốc
L|doan_the|Hội Liên hiệp Phụ nữ|Hội LHPN|Hội Phụ nữ
L|doan_the|Hội Nông dân
L|doan_the|Hội Cựu chiến binh|Hội CCB
L|doan_the|Hội Chữ thập đỏ
L|doan_the|Liên đoàn Lao động|LĐLĐ
L|doan_the|Liên minh Hợp tác xã
D|doan_the|Tỉnh đoàn|Thành đoàn|Đoàn Thanh niên Cộng sản Hồ Chí Minh|Đoàn TNCS Hồ Chí Minh|Đoàn Thanh niên
U|ubnd|Ủy ban nhân dân|UBND|Uỷ ban nhân dân
H|hdnd|Hội đồng nhân dân|HĐND
B|other|Ban Thường vụ Tỉnh ủy
B|other|Ban Thường vụ Thành ủy
B|other|Thường trực Tỉnh ủy|Thường trực tỉnh ủy
B|other|Thường trực Thành ủy|Thường trực thành ủy
B|other|Tỉnh ủy|Tỉnh uỷ
B|other|Thành ủy|Thành uỷ
B|other|Kho bạc Nhà nước|KBNN
B|other|Cục Thuế
B|other|Cục Thống kê
B|other|Cục Hải quan
B|other|Ngân hàng Chính sách xã hội|NHCSXH|Chi nhánh Ngân hàng Chính sách xã hội
C|bo|Văn phòng Chính phủ|VPCP
C|bo|Thanh tra Chính phủ
C|bo|Ngân hàng Nhà nước Việt Nam|Ngân hàng Nhà nước|NHNN
C|bo|Ủy ban Dân tộc
C|other|Bảo hiểm xã hội Việt Nam|BHXH Việt Nam
C|other|Đài Truyền hình Việt Nam
C|other|Đài Tiếng nói Việt Nam
C|other|Thông tấn xã Việt Nam
C|other|Viện Hàn lâm Khoa học và Công nghệ Việt Nam
C|other|Viện Hàn lâm Khoa học xã hội Việt Nam
C-|other|Kiểm toán Nhà nước
C-|other|Tòa án nhân dân tối cao
C-|other|Viện Kiểm sát nhân dân tối cao
C-|doan_the|Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam
C-|doan_the|Trung ương Đoàn Thanh niên Cộng sản Hồ Chí Minh|Trung ương Đoàn
C-|other|Chính phủ
C-|other|Thủ tướng Chính phủ
C-|other|Quốc hội
C-|other|Ủy ban Thường vụ Quốc hội
C-|other|Văn phòng Quốc hội
C-|other|Văn phòng Chủ tịch nước
C-|other|Bộ Chính trị
C-|other|Ban Bí thư
"""
_ABBR_FORMS = {  # abbreviations read anywhere (domain ones are added from _DOMAINS)
    "UBND": "Ủy ban nhân dân", "HĐND": "Hội đồng nhân dân", "MTTQ": "Mặt trận Tổ quốc",
    "UBMTTQ": "Ủy ban Mặt trận Tổ quốc", "MTTQVN": "Mặt trận Tổ quốc Việt Nam",
    "UBMTTQVN": "Ủy ban Mặt trận Tổ quốc Việt Nam", "BHXH": "Bảo hiểm xã hội", "LHPN": "Liên hiệp Phụ nữ",
    "CCB": "Cựu chiến binh", "LĐLĐ": "Liên đoàn Lao động", "NHCSXH": "Ngân hàng Chính sách xã hội",
    "KBNN": "Kho bạc Nhà nước", "BCHQS": "Bộ Chỉ huy Quân sự", "BĐBP": "Bộ đội Biên phòng",
    "PTTH": "Phát thanh và Truyền hình", "TNCS": "Thanh niên Cộng sản", "HCM": "Hồ Chí Minh",
    "VN": "Việt Nam", "TW": "Trung ương", "TP": "thành phố", "VPCP": "Văn phòng Chính phủ",
    "NHNN": "Ngân hàng Nhà nước", "TAND": "Tòa án nhân dân", "VKSND": "Viện Kiểm sát nhân dân",
}  # fmt: skip
# Generic heads: any of these + capitalised words is an agency of that kind ("Trung tâm Y tế", "Hội Người mù").
_HEADS = {"sở": "so", "phòng": "other", "hội": "doan_the", "hội đồng": "other", "cục": "other",
          "chi cục": "other", "tổng cục": "other", "ban": "other", "trung tâm": "other", "viện": "other",
          "đài": "other", "báo": "other", "văn phòng": "other", "ngân hàng": "other",
          "bệnh viện": "other", "học viện": "other", "liên đoàn": "doan_the", "liên minh": "doan_the",
          "quỹ": "other", "ủy ban": "other", "khoa": "other", "trường": "other", "tiểu ban": "other", "trạm": "other", "tổng công ty": "other", "công ty": "other", "tập đoàn": "other",
          "vụ": "other", "thư viện": "other", "bảo tàng": "other", "nhà hát": "other", "nhà xuất bản": "other"}  # fmt: skip
_COLL_NOUNS = ("sở", "ban", "ngành", "bộ", "cơ quan", "đơn vị", "đoàn thể", "tổ chức", "địa phương", "hội", "phòng", "khoa")  # fmt: skip
_COLL_MODS = ("có liên quan", "liên quan", "chính trị - xã hội", "chính trị", "cấp tỉnh", "cấp huyện", "cấp xã",
              "tỉnh", "thành phố", "trung ương", "ở trung ương", "thuộc tỉnh", "thuộc thành phố", "chuyên môn",
              "trực thuộc", "trực thuộc Ủy ban nhân dân tỉnh", "trực thuộc Ủy ban nhân dân thành phố", "khác",
              "thành viên", "thông tấn, báo chí", "báo chí", "thông tin đại chúng", "trên địa bàn", "trên địa bàn tỉnh", "trên địa bàn thành phố", "cùng cấp", "ngang bộ", "thuộc Chính phủ")  # fmt: skip
_LEVELS = ("tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn", "đặc khu")
_MORE_PLACES = (
    "Bình Dương, Bà Rịa - Vũng Tàu, Thừa Thiên Huế, Bình Định, Phú Yên, Ninh Thuận, Bình Thuận, Kon Tum, "
    "Long An, Tiền Giang, Bến Tre, Trà Vinh, Sóc Trăng, Hậu Giang, Bạc Liêu, Kiên Giang, Bình Phước, Đắk Nông, "
    "Quảng Nam, Quảng Bình, Hà Giang, Yên Bái, Bắc Kạn, Bắc Giang, Hòa Bình, Vĩnh Phúc, Hải Dương, Thái Bình, "
    "Hà Nam, Nam Định"
)
_CITIES = {"ha noi", "ho chi minh", "hai phong", "da nang", "can tho", "hue"}  # thành phố trực thuộc TW
# Lower-case words that end a name: the verbs and particles that follow an agency in a sentence.
_STOP = set(
    "chủ phối có tổ thực triển tham hướng theo để trong và tại của về với được là các cho báo rà kiểm căn giao "
    "khẩn chịu cung trình tiếp nghiên đôn bố lập thành tỉnh xem tổng hỗ chỉ đảm bảo cấp làm đã sẽ đang phải tăng "
    "đẩy nâng gửi nhận sau trước đến qua thuộc trên khi nếu nhằm vào liên khác này do hằng hàng định tuyên huy ký "
    "quản duy ưu mở xây phụ ban góp đưa áp trao quy ở".split()
)
_STOP_BARE = {fold(w) for w in _STOP}
_COMPOUNDS = {"việc làm", "phát triển", "tiến bộ"}  # a stop word that goes on a name after these
_COMPOUNDS |= {fold(w) for w in _COMPOUNDS}
_HEADWORDS = {"sở": "so", "bộ": "bo", "phòng": "phong", "các": "cac"}  # heads of a domain name or list


@dataclass(frozen=True)
class Agency:
    """One agency. Identity is (key, scope): the key is the same in every province, the scope says which."""

    name: str  # canonical display name: "Sở Lao động - Thương binh và Xã hội", "Tỉnh đoàn Khánh Hòa"
    key: str  # folded, one dash form, no commas: equal for all written variants of the agency
    kind: str  # so, bo, ubnd, hdnd, doan_the, collective, other
    scope: str | None  # "tỉnh Khánh Hòa", "Chính phủ", or None when unknown


@dataclass(frozen=True)
class Mention:
    """An agency named in running text; `text == source[start:end]`."""

    start: int
    end: int
    text: str
    agency: Agency


# ---------------------------------------------------------------- words
_TOKEN = re.compile(r"[^\W_]+|\n|[^\w\s]")
_ACCENTED = re.compile(r"[^\W\d_a-zA-Z]")  # a letter outside ASCII: the text is written with accents
_DASHES = str.maketrans({c: "-" for c in "–—‐‑−"})


class _Lower(dict):
    """str.translate table: lower case and one dash, one character for one, so offsets stay valid."""

    def __missing__(self, code: int) -> str:
        low = chr(code).lower()
        self[code] = v = low if len(low) == 1 else chr(code)
        return v


_LOWER = _Lower(_DASHES)
_DASH = re.compile(r"(?<=[^\W\d_])\s*[-–—‐‑−]\s*(?=[^\W\d_])")
_ABBR: dict[str, tuple[str, ...]] = {}  # compact abbreviation ("ldtbxh") → the words it stands for


@dataclass(slots=True)
class _U:
    """A word (or a glued abbreviation: "LĐ-TB&XH") or one mark, with the words it stands for: accented
    and lower case, or folded when the whole text has no accents (`bare`)."""

    start: int
    end: int
    raw: str
    words: tuple[str, ...]
    p: str  # the mark ("\n" too); "" for a word
    cap: bool = False  # starts with a capital
    up: bool = False  # all capitals
    abbr: bool = False
    stop: bool = False  # a verb or particle: ends a name
    bare: bool = False


@lru_cache(maxsize=4096)
def _f(word: str) -> str:
    return fold(word)


def _compact(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(s))


def _units(text: str) -> list[_U]:
    bare = _ACCENTED.search(text) is None
    low = match_form(text).translate(_LOWER)  # same length as text
    toks = [(m.start(), m.end()) for m in _TOKEN.finditer(low)]
    out: list[_U] = []
    i = 0
    while i < len(toks):
        s, e = toks[i]
        w = _f(low[s:e]) if bare else low[s:e]
        if not w or not w[0].isalnum():
            w = w or low[s:e]  # a lone combining accent ("tế \u0301 chủ") folds to nothing: a mark
            amp = w == "&"
            out.append(_U(s, e, w, ("va" if bare else "và",) if amp else (), "" if amp else w, bare=bare))
            i += 1
            continue
        best = j = i  # the longest run of capitals glued by - & , . that is a known abbreviation
        while j + 2 < len(toks) and toks[j][1] == toks[j + 1][0] and toks[j + 1][1] == toks[j + 2][0]:
            if low[toks[j + 1][0]] not in "-&,." or not text[toks[j + 2][0] : toks[j + 2][1]].isupper():
                break
            j += 2
            if _compact(low[s : toks[j][1]]) in _ABBR and text[s:e].isupper():
                best = j
        e = toks[best][1]
        raw = text[s:e]
        words = None
        if bare or raw.isupper():  # abbreviations are written in capitals, or typed in a bare query
            words = _ABBR.get(_f(w) if best == i else _compact(low[s:e]))
        if words and bare:
            words = tuple(_f(x) for x in words)
        stop = w in (_STOP_BARE if bare else _STOP)
        out.append(_U(s, e, raw, words or (w,), "", raw[0].isupper(), raw.isupper(), bool(words), stop, bare))
        i = best + 1
    return out


def _words(s: str) -> tuple[str, ...]:
    return tuple(w for u in _units(s) for w in u.words)


class _Trie:
    """Word trie over accented gazetteer words, with a folded twin for text typed without accents."""

    def __init__(self, items: object = ()) -> None:
        self.roots: tuple[dict, dict] = ({}, {})
        for words, value in items:  # type: ignore[attr-defined]
            self.add(words, value)

    def add(self, words: tuple[str, ...], value: object) -> None:
        for root, ws in zip(self.roots, (words, tuple(_f(w) for w in words)), strict=True):
            node = root
            for w in ws:
                node = node.setdefault(w, {})
            node.setdefault(None, value)


def _walk(trie: _Trie, units: list[_U], i: int) -> tuple[int, object]:
    """Longest gazetteer match from unit i: (last unit, value) or (-1, None). Dashes and commas between
    words may be written or not; an abbreviation stands for all its words."""
    if i >= len(units):
        return -1, None
    node, best, j = trie.roots[units[i].bare], (-1, None), i
    while j < len(units):
        u = units[j]
        if u.p:
            if u.p in ("-", ",") and j > i:
                j += 1
                continue
            break
        for w in u.words:
            node = node.get(w)
            if node is None:
                return best
        if None in node:
            best = (j, node[None])
        j += 1
    return best


def _seq(units: list[_U], k: int, words: tuple[str, ...]) -> int:
    """Last unit of `words` (accented) written exactly from unit k, or -1."""
    if k < len(units) and units[k].bare:
        words = tuple(_f(w) for w in words)
    n, j = 0, k
    while n < len(words):
        if j >= len(units) or units[j].p or tuple(words[n : n + len(units[j].words)]) != units[j].words:
            return -1
        n, j = n + len(units[j].words), j + 1
    return j - 1


def _is(units: list[_U], j: int, word: str) -> bool:
    return _seq(units, j, (word,)) == j


def _joint(units: list[_U], j: int, semicolon: bool = False) -> bool:
    """A list joint: a comma, a slash, "và" (and ";" when asked)."""
    return j < len(units) and (units[j].p in (",", "/", ";" if semicolon else ",") or _is(units, j, "và"))


# ---------------------------------------------------------------- names, keys
def _key(name: str) -> str:
    """Folded, lower case, "&" as "và", one dash form, no commas, single spaces."""
    s = fold(clean_text(name)).translate(_DASHES).replace("&", " va ")
    s = re.sub(r"\s*-\s*", " - ", re.sub(r"[,;.:()/]", " ", s))
    return " ".join(s.split()).strip(" -")


def _display(s: str, expand: bool = False) -> str:
    """Written text as a name: one tone placement, " - " dashes, single spaces, no edge punctuation."""
    s = _DASH.sub(" - ", match_form(clean_text(s)))
    if expand:
        s = re.sub(r"(?<!\w)HĐND(?!\w)", "Hội đồng nhân dân", s)
        s = re.sub(r"(?<!\w)U[BỶ]ND(?!\w)", "Ủy ban nhân dân", s)
    return " ".join(s.split()).strip(" ,;:.-")


def _recase(s: str) -> str:
    """All-capital names in title style: "KHOA HỌC, CÔNG NGHỆ VÀ ĐỔI MỚI" → "Khoa học, Công nghệ và Đổi mới"."""
    if not is_upper(s):
        return s
    out, cap = [], True
    for w in s.split():
        lw = w.lower()
        out.append(lw if lw in ("và", "-") else lw.capitalize() if cap else lw)
        cap = lw in ("và", "-") or lw.endswith(",")
    return " ".join(out).replace("Việt nam", "Việt Nam")


# ---------------------------------------------------------------- the tables, built once
for _abbr, _full in _ABBR_FORMS.items():
    _ABBR[_compact(_abbr)] = _words(_full)
for _dom, _abbrs, _who in _DOMAINS:
    for _a in _abbrs.split():
        _ABBR.update({} if _a in _SHORT else {_compact(_a): _words(_dom)})
_DOM = {t: _Trie() for t in "sb*"}  # domain names of a Sở, of a Bộ, of any
_MAIN = _Trie()  # named bodies
_GAZ: list[Agency] = []
_VARIANTS: dict[str, list[str]] = {}
for _dom, _abbrs, _who in _DOMAINS:
    for _form in (_dom, *(f for f, d in _DOMAIN_FORMS if d == _dom)):
        for _t in (*_who, "*"):
            _DOM[_t].add(_words(_form), _dom)
    for _t, _head, _kind, _scope in (("s", "Sở", "so", None), ("b", "Bộ", "bo", "Chính phủ")):
        if _t in _who:
            _GAZ.append(Agency(f"{_head} {_dom}", _key(f"{_head} {_dom}"), _kind, _scope))
            _VARIANTS[_GAZ[-1].key] = [f"{_head} {v}" for v in (_dom, *_abbrs.split()) if v not in _SHORT]
for _line in _BODIES.strip().splitlines():
    _cls, _kind, _name, *_vars = _line.split("|")
    for _v in (_name, *_vars):
        _MAIN.add(_words(_v), (_cls, _kind, _name))
    _lvl = " tỉnh" if _cls in ("L", "L!", "U", "H") else ""
    _key_name = _name + _lvl if _cls in "UH" else _name  # a body of the province: the level is no identity
    _GAZ.append(Agency(_name + _lvl, _key(_key_name), _kind, "Chính phủ" if _cls == "C" else None))
    _VARIANTS[_GAZ[-1].key] = [v + (" tỉnh" if v.startswith("Đoàn") else _lvl) for v in (_name, *_vars)] + (
        [f"{_name} {_p}" for _p in ("thành phố", "cấp tỉnh")] if _lvl else []
    )
_HEAD_T = _Trie((_words(h), k) for h, k in _HEADS.items())
_COLL_T = _Trie((_words(n), n) for n in _COLL_NOUNS)
# and the levels below the province, bare or after "cấp"/"trên địa bàn": "Các tổ chức chính trị - xã hội xã"
_MOD_T = _Trie(
    (_words(n), n)
    for n in (*_COLL_MODS, *(f"{pre}{unit}" for pre in ("", "cấp ", "trên địa bàn ") for unit in _LEVELS[2:]))
)
_LEVEL_T = _Trie((_words(n), n) for n in _LEVELS)
_TITLES = ("Thủ trưởng", "Giám đốc", "Chủ tịch", "Bộ trưởng", "Chánh Văn phòng", "Trưởng ban", "Thủ tướng")
_BREAK_T = _Trie((_words(d), d) for d in (*DOC_TYPES.values(), *_TITLES))  # names that end a list of names
_PLACES = [" ".join(w.capitalize() for w in p.split()) for p in PROVINCES] + _MORE_PLACES.split(", ")
_PLACE_T = _Trie((_words(p), p) for p in _PLACES)
_FIRST = {w for t in (_MAIN, _HEAD_T, _COLL_T) for r in t.roots for w in r} | {*_HEADWORDS, "tất"}
_FIRST |= {_f(w) for w in _FIRST}
_LOWER_OK = {w for r in _COLL_T.roots for w in r} | {"các", "tất", "ủy", "hội", "cac", "tat", "uy", "hoi"}
_HW = {**_HEADWORDS, **{_f(k): v for k, v in _HEADWORDS.items()}}
_LEAD = re.compile(r"^[\s\-–—•+*]*(?:(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)]\s+)?")


# ---------------------------------------------------------------- scopes
def _scope_of(unit: str, place: str) -> str:
    return "Thành phố Hồ Chí Minh" if fold(place) == "ho chi minh" else f"{unit} {place}"


def _split_scope(scope: str | None) -> tuple[str, str] | None:
    """ "tỉnh Khánh Hòa" → ("tỉnh", "Khánh Hòa"); None for "Chính phủ" or no scope."""
    m = re.match(r"(?i)(tỉnh|thành phố)\s+(\S.*)$", scope or "")
    return (m.group(1), m.group(2)) if m else None


def _prov(ctx: str | None) -> str | None:
    return ctx if _split_scope(ctx) else None


@lru_cache(maxsize=256)
def _ctx(scope: str | None) -> str | None:
    """The document's scope in canonical form ("tinh khanh hoa" → "tỉnh Khánh Hòa"); an issuer ("UBND tỉnh
    X") is read as its province; anything else ("Chính phủ") is kept as written."""
    if not scope or not scope.strip():
        return None
    scope = _display(scope)
    units = _units(scope)
    last, unit, place = _suffix(units, 0, False)
    if unit and place and last == len(units) - 1:
        return _where(unit, place, None)[0] or scope
    return province_of(scope) or scope


def _where(unit: str | None, place: str | None, ctx: str | None) -> tuple[str | None, str | None]:
    """(scope, lower level) from a written level and place: "thành phố Nha Trang" in a province is a lower
    level, "thành phố Cần Thơ" a province of its own."""
    if place is None or place == "Việt Nam":
        return _prov(ctx), None
    if unit is None:
        unit = "thành phố" if fold(place) in _CITIES else "tỉnh"
    if unit == "tỉnh" or (unit == "thành phố" and fold(place) in _CITIES):
        return _scope_of(unit, place), None
    return _prov(ctx), f"{unit} {place}"


# ---------------------------------------------------------------- the reader
def _starts(units: list[_U], j: int) -> bool:
    """Does a new name (an agency, a document type, a title) begin at unit j, ending the name before it?"""
    if j >= len(units) or units[j].p or not units[j].cap:
        return False
    h = _walk(_HEAD_T, units, j)[0]
    return (
        _walk(_MAIN, units, j)[0] >= 0
        or _walk(_BREAK_T, units, j)[0] >= 0
        or (h >= 0 and h + 1 < len(units) and units[h + 1].cap)
        or (_hw(units, j) in ("so", "bo") and j + 1 < len(units) and units[j + 1].cap)
    )


def _hw(units: list[_U], j: int) -> str:
    """ "so", "bo", "phong", "cac" for the head words "Sở", "Bộ", "Phòng", "các"."""
    return _HW.get(units[j].words[0], "") if j < len(units) and units[j].words else ""


def _is_level(units: list[_U], j: int) -> bool:
    """ "tỉnh", "thành phố", "cấp tỉnh" here (not "Tỉnh ủy")."""
    e = max(_seq(units, j, w) for w in (("tỉnh",), ("thành", "phố"), ("cấp", "tỉnh")))
    return e >= 0 and not _is(units, e + 1, "ủy")


def _place(units: list[_U], k: int, any_title: bool) -> tuple[int, str | None]:
    """A place name from unit k: a known province, or (after "tỉnh", "huyện" …) capitalised words."""
    if k >= len(units) or units[k].p or not (units[k].cap or units[k].bare or any_title):
        return -1, None
    j, known = _walk(_PLACE_T, units, k)
    if j >= 0:
        return j, str(known)  # lower case too after "tỉnh" or in a query typed without accents
    if not any_title or not units[k].cap or units[k].stop or _starts(units, k):
        return -1, None
    j = k
    while j + 1 < len(units) and j - k < 5:
        if units[j + 1].p == "-" and j + 2 < len(units) and units[j + 2].cap and not units[j + 2].p:
            j += 2
        elif not units[j + 1].p and units[j + 1].cap and not _starts(units, j + 1):
            j += 1
        else:
            break
    if j == k:
        return -1, None  # one capitalised word is more often the sentence going on ("thành phố Quy định")
    return j, " ".join(u.raw if u.p else u.raw.capitalize() for u in units[k : j + 1])


# the levels below the province (`_LEVELS`), written alone or after "cấp"
_LOWER_LEVELS = tuple(
    (tuple(f"{cap}{unit}".split()), unit)
    for cap in ("cấp ", "")
    for unit in _LEVELS
    if unit not in ("tỉnh", "thành phố")
)


_BELOW = {unit for _, unit in _LOWER_LEVELS}


def _suffix(units: list[_U], k: int, bare: bool) -> tuple[int, str | None, str | None]:
    """(last unit, level, place) of "tỉnh", "cấp tỉnh", "thành phố Cần Thơ", "TP. HCM", "Việt Nam", or —
    when `bare` — a known province written alone ("Tỉnh đoàn Khánh Hòa")."""
    if (j := _seq(units, k, ("cấp", "tỉnh"))) >= 0:
        return j, "tỉnh", None
    for words, unit in ((("tỉnh",), "tỉnh"), (("thành", "phố"), "thành phố")):
        if (j := _seq(units, k, words)) >= 0 and not _is(units, j + 1, "ủy"):
            n = j + 2 if units[j].abbr and j + 1 < len(units) and units[j + 1].p == "." else j + 1
            e, place = _place(units, n, True)
            return (e, unit, place) if e >= 0 else (j, unit, None)
    if (j := _seq(units, k, ("việt", "nam"))) >= 0:
        return j, None, "Việt Nam"
    for (
        words,
        unit,
    ) in _LOWER_LEVELS:  # "Văn phòng HĐND và UBND xã", "Công an huyện": a body below the province
        if (j := _seq(units, k, words)) >= 0 and not _is(units, j + 1, "ủy"):
            return j, unit, None
    if bare and (e := _place(units, k, False))[0] >= 0:
        return e[0], None, e[1]
    return k - 1, None, None


_VU_BEFORE = {"nhiệm", "dịch", "nghĩa", "thời", "mùa", "sự", "phục", "nghiệp", "công", "chuyên", "nhiem", "dich",
              "nghia", "thoi", "mua", "su", "phuc", "nghiep", "cong", "chuyen"}  # fmt: skip


def _compound_vu(units: list[_U], i: int) -> bool:
    """ "Vụ" that ends a compound ("Nhiệm Vụ Gì", "Phục Vụ Công Tác" in a title-cased line) heads no body."""
    return (
        units[i].words[:1] in (("vụ",), ("vu",))
        and i > 0
        and not units[i - 1].p
        and units[i - 1].words[-1:][0] in _VU_BEFORE
    )


def _generic(units: list[_U], k: int) -> int:
    """Last unit of a name of capitalised words from unit k ("Khoa học, Công nghệ và Đổi mới sáng tạo"):
    lower-case words follow a capitalised one up to a verb; "và", "-" and "," join capitalised words that
    start no other name, level or place; "A, B" without a closing "và C" stops at the comma. -1: none."""
    if k >= len(units) or units[k].p or not units[k].cap or _is_level(units, k):
        return -1
    last, low, comma, j = k, 0, -1, k + 1
    while j < len(units):
        u = units[j]
        if u.p in ("-", ",") or _is(units, j, "và"):
            n = j + 1
            if n >= len(units) or units[n].p or not units[n].cap or _starts(units, n) or _is_level(units, n):
                break
            if u.p == ",":
                comma = last if comma < 0 else comma
            elif not u.p:
                comma = -1
            last, low, j = n, 0, n + 1
            continue
        if u.p:
            break
        if u.cap:
            if _is_level(units, j) or _starts(units, j) or _place(units, j, False)[0] >= 0:
                break
            last, low = j, 0
        elif (u.stop and f"{units[j - 1].words[-1]} {u.words[0]}" not in _COMPOUNDS) or low >= 3:
            break
        else:
            last, low = j, low + 1
        j += 1
    return comma if comma >= 0 else last


_LOWER_LAST = {level.split()[-1] for level in _LEVELS[2:]}  # "xã", "huyện", "phường", "trấn", …


def _mod(units: list[_U], j: int) -> tuple[int, object]:
    """A modifier of a collective at unit j. One that ends on a level ends there: not "xã" of "xã hội", not
    "huyện" of "huyện Châu Thành" (the place goes with its level, past what a collective takes)."""
    m, mod = _walk(_MOD_T, units, j)
    if (
        m >= 0
        and str(mod).split()[-1] in _LOWER_LAST
        and (_is(units, m + 1, "hội") or (m + 1 < len(units) and units[m + 1].cap and not units[m + 1].p))
    ):
        return -1, None
    return m, mod


def _mods(units: list[_U], last: int) -> int:
    while (m := _mod(units, last + 1)[0]) >= 0:
        last = m
    return last


def _coll(units: list[_U], i: int, loose: bool) -> int:
    """Last unit of a collective ("các sở, ban, ngành có liên quan", "cơ quan, đơn vị liên quan"), or -1."""
    j = i + 2 if _seq(units, i, ("tất", "cả")) >= 0 else i
    cac = _is(units, j, "các")
    last, noun = _walk(_COLL_T, units, j + cac)
    if last < 0 or (not cac and not units[j].cap and noun in ("hội", "phòng")):
        return -1  # "xã hội", "phòng, chống": not a list of bodies
    nouns, mods = 1, 0
    while last + 1 < len(units):
        m, mod = _mod(units, last + 1)
        if m >= 0:
            last, mods = m, mods + (1 if loose or "liên quan" in str(mod) else 0)
            continue
        n = last + 1 + (_joint(units, last + 1) or units[last + 1].p == "-")
        n += _is(units, n, "các")
        e, noun = _walk(_COLL_T, units, n)
        if e < 0 or _starts(units, n) or (n == last + 1 and noun not in ("ngành", "đơn vị", "đoàn thể")):
            break
        last, nouns = e, nouns + 1
    return last if (cac or nouns >= 2 or mods) else -1


def _collective(units: list[_U], text: str, i: int, e: int, ctx: str | None) -> tuple[int, int, Agency]:
    name = _display(text[units[i].start : units[e].end], expand=True)
    name = name[:1].upper() + name[1:]
    key = re.sub(r"^(?:tat ca )?cac ", "", _key(name)).replace("co lien quan", "lien quan")
    return i, e, Agency(name, key, "collective", _prov(ctx))


def _council(units: list[_U], text: str, i: int, j: int, base: str, kind: str, ctx: str | None):
    """Ủy ban / Hội đồng nhân dân + level: a province, a lower level, or a collective ("… các huyện")."""
    k = j + 1
    cac = _is(units, k, "các")
    n, levels, last, place = k + cac, [], j, None
    if _is(units, n, "cấp"):  # "các cấp", "cấp xã", "cấp tỉnh"
        e, lvl = _walk(_LEVEL_T, units, n + 1)
        if lvl != "tỉnh" or cac:
            return _collective(units, text, i, max(e, n), ctx)
        last, unit = e, "tỉnh"
    else:
        while (e := _walk(_LEVEL_T, units, n))[0] >= 0:
            levels.append(str(e[1]))
            last = e[0]
            n = last + 1 + _joint(units, last + 1)
            if n == last + 1:
                break
        if levels and (cac or len(levels) > 1):
            return _collective(units, text, i, _mods(units, last), ctx)
        unit = levels[0] if levels else None
        if unit in (None, "tỉnh", "thành phố"):
            last, unit, place = _suffix(units, k, True)
        else:
            e, place = _place(units, last + 1, True)
            last = max(last, e)
    scope, sub = _where(unit, place, ctx)
    if unit not in (None, "tỉnh", "thành phố") or sub:
        name = f"{base} {sub or unit + (' ' + place if place else '')}"
        return i, last, Agency(name, _key(name), kind, scope)
    if unit is None and (place is None or place == "Việt Nam"):
        return i, j, Agency(base, _key(base), kind, _prov(ctx))
    name = f"{base} {scope}" if _prov(scope) else f"{base} {unit or 'tỉnh'}"
    return i, last, Agency(name, _key(base + " tỉnh"), kind, scope)


def _body(units: list[_U], text: str, i: int, j: int, val: tuple[str, str, str], ctx: str | None):
    """A gazetteer body matched on units i..j, with its level and place."""
    cls, kind, base = val
    if cls in ("C", "C-"):
        return i, j, Agency(base, _key(base), kind, "Chính phủ" if cls == "C" else None)
    if cls in ("U", "H"):
        return _council(units, text, i, j, base, kind, ctx)
    last, unit, place = _suffix(units, j + 1, True)
    if cls == "L!" and last == j:
        return i, j, None  # "lực lượng Công an": no particular body
    if place == "Việt Nam" and cls in ("L", "L!"):
        return i, last, Agency(f"{base} Việt Nam", _key(f"{base} Việt Nam"), kind, None)
    scope, sub = _where(unit, place, ctx)
    sp = _split_scope(scope)
    if (
        unit in _BELOW and not sub
    ):  # "Công an xã" is not "Công an tỉnh": a lower level is part of name and key
        name = f"{'Đoàn Thanh niên' if cls == 'D' else base} {unit}"
        return i, last, Agency(name, _key(name), kind, scope)
    if cls == "B":
        return i, last, Agency(base, _key(base), kind, scope)
    if cls == "D":
        city = sp[0].lower() == "thành phố" if sp else (unit == "thành phố" or _is(units, i, "thành"))
        if not sp and not unit and not _is(units, i + 1, "đoàn"):
            base = "Đoàn Thanh niên Cộng sản Hồ Chí Minh"  # no level known: the union itself
            return i, last, Agency(base, _key(base), kind, None)
        head = "Thành đoàn" if city else "Tỉnh đoàn"
        return i, last, Agency(f"{head} {sp[1]}" if sp else head, "tinh doan", kind, scope)
    if sub:
        return i, last, Agency(f"{base} {sub}", _key(f"{base} {sub}"), kind, scope)
    level = sp[0] if sp else unit  # the name says its level when it is known
    return i, last, Agency(f"{base} {level}" if level else base, _key(base), kind, scope)


def _domain_list(units: list[_U], k: int, trie: _Trie, loose: bool) -> list[tuple[int, int, str]]:
    """Known domains in a row after one head: "Sở: Nội vụ, Y tế, KHCN", "Các Bộ: TC, XD, NV"."""
    out: list[tuple[int, int, str]] = []
    while k < len(units) and not units[k].p and (units[k].cap or (loose and not out)):
        e, dom = _walk(trie, units, k)
        if e < 0 and units[k].raw in _SHORT:
            e, dom = k, next(d for d, a, _ in _DOMAINS if units[k].raw in a.split())
        if e < 0:
            break
        out.append((k, e, str(dom)))
        k = e + 1 + _joint(units, e + 1, semicolon=True)
        if k == e + 1:
            break
    return out


def _headed(
    units: list[_U], text: str, i: int, ctx: str | None, loose: bool
) -> list[tuple[int, int, Agency]]:
    """ "Sở"/"Bộ"/"Phòng" + a domain (known, or any capitalised name); "Sở Y tế, Tài chính và Xây dựng"
    and "Các Bộ: Tài chính, Quốc phòng" name one body per domain."""
    head = _hw(units, i)
    k = i + 1 + (head == "cac")
    which = "b" if "bo" in (head, _hw(units, i + 1)) else "s"
    colon = k < len(units) and units[k].p == ":"
    k += colon
    lst = _domain_list(units, k, _DOM["*" if head == "phong" else which], loose)
    h, kind = ("Bộ", "bo") if which == "b" else ("Phòng", "other") if head == "phong" else ("Sở", "so")
    scope = "Chính phủ" if kind == "bo" else _prov(ctx)
    if head != "phong" and (len(lst) > 1 or (lst and (colon or head == "cac"))):
        hits = [(s, e, Agency(f"{h} {d}", _key(f"{h} {d}"), kind, scope)) for s, e, d in lst]
        return hits if head == "cac" else [(i, *hits[0][1:])] + hits[1:]
    if head == "cac" or colon:
        return []
    known = lst[0][1] if lst else -1
    gen = _generic(units, k) if head != "bo" and (loose or not units[i].up) else -1
    if gen > known and (known < 0 or _joint(units, known + 1) or units[known + 1].p == "-"):
        dom = _recase(_display(text[units[k].start : units[gen].end]))
    elif known >= 0:
        gen, dom = known, lst[0][2]
    else:
        return []
    last, unit, place = _suffix(units, gen + 1, True)
    scope = "Chính phủ" if kind == "bo" else _where(unit, place, ctx)[0]
    return [(i, last, Agency(f"{h} {dom}", _key(f"{h} {dom}"), kind, scope))]


def _at(units: list[_U], text: str, i: int, ctx: str | None, loose: bool) -> list[tuple[int, int, Agency]]:
    """The agency (or, after a shared head, agencies) named from unit i; the longest reading wins."""
    u = units[i]
    first = u.words[0] if u.words else ""
    if u.p or first not in _FIRST or not (loose or u.cap or first in _LOWER_OK):
        return []
    glued = (i and units[i - 1].p in ("-", "/") and units[i - 1].end == u.start) or (
        i + 1 < len(units) and units[i + 1].p in ("-", "/") and units[i + 1].start == u.end
    )
    if u.abbr and glued:
        return []  # part of a document number: "1212/KH-UBND"
    cands: list[tuple[int, int, Agency | None]] = []
    main = -1
    if (m := _walk(_MAIN, units, i))[0] >= 0:
        cands.append(_body(units, text, i, m[0], m[1], ctx))  # type: ignore[arg-type]
        main = m[0]
    head = _hw(units, i)
    if len(u.words) == 1 and head and (head != "cac" or _hw(units, i + 1) in ("so", "bo")):
        hits = _headed(units, text, i, ctx, loose)
        if len(hits) > 1 or (hits and head == "cac"):
            return hits
        cands += hits
    if (
        (h := _walk(_HEAD_T, units, i))[0] >= 0
        and not head
        and (loose or not u.up)
        and not _compound_vu(units, i)
    ):
        gen = _generic(units, h[0] + 1)
        # a gazetteer name goes on only into a longer name: "Ngân hàng Nhà nước chi nhánh …", "… và …"
        if gen >= 0 and (main < 0 or _joint(units, main + 1) or _seq(units, main + 1, ("chi", "nhánh")) > 0):
            last, unit, place = _suffix(units, gen + 1, False)
            name = _recase(_display(text[u.start : units[gen].end], expand=True))
            cands.append((i, last, Agency(name, _key(name), str(h[1]), _where(unit, place, ctx)[0])))
    if (e := _coll(units, i, loose)) >= 0:
        cands.append(_collective(units, text, i, e, ctx))
    ok = [c for c in cands if c[2] and (loose or u.cap or c[2].kind in ("collective", "ubnd", "hdnd"))]
    return [max(ok, key=lambda c: c[1])] if ok else []  # type: ignore[list-item]


# ---------------------------------------------------------------- public API
def _clean(phrase: str) -> str:
    """A phrase without list marker, trailing parenthesis or edge punctuation."""
    s = _LEAD.sub("", " ".join(clean_text(phrase or "").split()), count=1)
    while True:
        s = s.rstrip(" .,;:!?")
        if not (s.endswith(")") and (p := s.rfind("(")) > 0):
            return s
        s = s[:p]


def province_of(issuer: str | None) -> str | None:
    """ "UBND tỉnh Khánh Hòa" → "tỉnh Khánh Hòa": the scope of the agencies a provincial document names."""
    a = resolve(issuer) if issuer else None
    return a.scope if a and _split_scope(a.scope) else None


@lru_cache(maxsize=8192)
def resolve(phrase: str, scope: str | None = None) -> Agency | None:
    """The agency a whole phrase names, or None ("người dân", "Kế hoạch này"). `scope` is the document's
    province; a province written in the phrase wins. Collectives listed together make one collective."""
    text = _clean(phrase)
    units = _units(text)
    if not units:
        return None
    ctx = _ctx(scope)
    hits = _at(units, text, 0, ctx, True)
    if len(hits) == 1 and hits[0][1] == len(units) - 1:
        return hits[0][2]
    parts = split_agencies(text)
    if len(parts) > 1 and all((a := resolve(p, scope)) and a.kind == "collective" for p in parts):
        return _collective(units, text, 0, len(units) - 1, ctx)[2]
    return None


def canonical(phrase: str, scope: str | None = None) -> str:
    """The canonical name, or the phrase cleaned (dashes and spaces) when no agency is known for it."""
    a = resolve(phrase, scope)
    return a.name if a else _display(_clean(phrase))


def same_agency(a: str, b: str, scope: str | None = None) -> bool:
    """Same key, and scopes that agree (a scope left unknown agrees with any)."""
    ra, rb = resolve(a, scope), resolve(b, scope)
    if ra is None or rb is None:
        return ra is None and rb is None and _key(_clean(a)) == _key(_clean(b)) != ""
    return ra.key == rb.key and (ra.scope is None or rb.scope is None or fold(ra.scope) == fold(rb.scope))


_COMPRESSED = re.compile(r"\b[Cc]ác\s+(Bộ|Sở|Tập đoàn|Tổng công ty|Ngân hàng|Ban|Cục|Hội)\s*:\s*")


def expand_lists(text: str, scope: str | None = None) -> str:
    """A compressed list written out: "các Bộ: Tài chính, Xây dựng và Công Thương" → "Bộ Tài chính, Bộ Xây
    dựng và Bộ Công Thương", "các Tập đoàn: Bưu chính Viễn thông Việt Nam, …" likewise, so each member is
    an agency of its own. Members are read while the kind and the name make a known agency."""
    out, last = [], 0
    for m in _COMPRESSED.finditer(text):
        kind, pos, members = m.group(1), m.end(), []
        while True:
            a = agency_at_start(f"{kind} {text[pos : pos + 200]}", scope)
            if a is None or a.start != 0 or a.end <= len(kind) + 1:
                break
            members.append(text[pos : pos + a.end - len(kind) - 1])
            pos += a.end - len(kind) - 1
            sep = re.match(r",\s*|\s+và\s+", text[pos:])
            if not sep or not text[pos + sep.end() : pos + sep.end() + 1].isupper():
                break
            members.append(sep.group())
            pos += sep.end()
        if members and re.fullmatch(r",\s*|\s+và\s+", members[-1]):
            pos -= len(members.pop())  # the list ended after its separator
        if not members:
            continue
        written = "".join(x if re.fullmatch(r",\s*|\s+và\s+", x) else f"{kind} {x}" for x in members)
        out.append(text[last : m.start()] + written)
        last = pos
    return "".join(out) + text[last:] if out else text


def split_agencies(phrase: str) -> list[str]:
    """A written list → its members as written: splits at ",", ";" and "và" outside agency names, so
    "Sở Văn hóa, Thể thao và Du lịch" and "các sở, ban, ngành" stay whole."""
    return list(_split(phrase))


@lru_cache(maxsize=8192)
def _split(phrase: str) -> tuple[str, ...]:
    text = _clean(phrase)
    units = _units(text)
    inside: set[int] = set()
    i = 0
    while i < len(units):
        hits = _at(units, text, i, None, True)
        for s, e, _ in hits:
            inside.update(range(s, e + 1))
        i = hits[-1][1] + 1 if hits else i + 1
    out, cur = [], []
    for j, u in enumerate(units + [_U(len(text), len(text), "", (), ";")]):
        if j not in inside and (u.p in (",", ";", "\n") or _is(units, j, "và")):
            if cur:
                out.append(_clean(text[cur[0].start : cur[-1].end]))
            cur = []
        else:
            cur.append(u)
    return tuple(p for p in out if p)


def find_agencies(text: str, scope: str | None = None) -> list[Mention]:
    """Every agency named in running text, leftmost-longest; spans index `text` exactly."""
    units = _units(text)
    ctx = _ctx(scope)
    out: list[Mention] = []
    i = 0
    while i < len(units):
        hits = _at(units, text, i, ctx, False)
        for s, e, a in hits:
            out.append(Mention(units[s].start, units[e].end, text[units[s].start : units[e].end], a))
        i = hits[-1][1] + 1 if hits else i + 1
    return out


_FIRST_WORD = re.compile(r"^[\s\-–—•+*(]*([^\W\d_][\w&]*)")


def agency_at_start(text: str, scope: str | None = None) -> Mention | None:
    """The agency a text opens with (the actor of a clause), reading only its first words."""
    head = text[:200]
    first = _FIRST_WORD.match(head)
    if first is None:
        return None
    word = first.group(1)
    low = match_form(word).lower()
    if low not in _FIRST and _f(low) not in _FIRST and not (word.isupper() and _compact(word) in _ABBR):
        return None  # cheap: most clauses open with a word no agency name starts with
    units = _units(head)
    if not units:
        return None
    hits = [h for h in _at(units, head, 0, _ctx(scope), False) if h[0] == 0]
    if not hits:
        return None
    s, e, a = max(hits, key=lambda h: h[1])
    return Mention(units[s].start, units[e].end, head[units[s].start : units[e].end], a)


def gazetteer() -> list[Agency]:
    """The known canonical entities, without a province (for listing and autocompletion)."""
    return list(_GAZ)


def variants(agency: Agency) -> list[str]:
    """Known written forms of an agency (full names, abbreviations); its own name when none are known."""
    forms = _VARIANTS.get(agency.key, [])
    return forms if agency.name in forms else [agency.name, *forms]
