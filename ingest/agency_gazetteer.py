"""The agencies known by name: the domains of a Sở or a Bộ with their abbreviations, the named bodies and
their levels, the generic heads ("Trung tâm …"), the collectives ("các sở, ban, ngành …"), the places; and
the tables built from them once, on import.

Apart from `agencies.py` so the data can be read (and extended) without the rules that read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .agency_words import _ABBR, _compact, _f, _key, _Trie, _words
from .header import DOC_TYPES
from .issuer import PROVINCES

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
L|other|Trung tâm Phục vụ hành chính công|Trung tâm PVHCC
L|other|Thường trực Hội đồng nhân dân|Thường trực HĐND
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
          "vụ": "other", "thư viện": "other", "bảo tàng": "other", "nhà hát": "other", "nhà xuất bản": "other", "hiệp hội": "other"}  # fmt: skip
_COLL_NOUNS = ("sở", "ban", "ngành", "bộ", "cơ quan", "đơn vị", "đoàn thể", "tổ chức", "địa phương", "hội", "phòng", "khoa", "chủ đầu tư", "thành viên", "thôn", "tổ dân phố", "ấp", "khu phố", "bản", "bệnh viện")  # fmt: skip
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
_HEADWORDS = {"sở": "so", "bộ": "bo", "phòng": "phong", "các": "cac"}  # heads of a domain name or list


@dataclass(frozen=True)
class Agency:
    """One agency. Identity is (key, scope): the key is the same in every province, the scope says which."""

    name: str  # canonical display name: "Sở Lao động - Thương binh và Xã hội", "Tỉnh đoàn Khánh Hòa"
    key: str  # folded, one dash form, no commas: equal for all written variants of the agency
    kind: str  # so, bo, ubnd, hdnd, doan_the, collective, other
    scope: str | None  # "tỉnh Khánh Hòa", "Chính phủ", or None when unknown


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
    for n in (
        *_COLL_MODS,
        *(f"{pre}{unit}" for pre in ("", "cấp ", "trên địa bàn ", "thuộc ") for unit in _LEVELS[2:]),
    )
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
