"""Text as the agency reader sees it: words (and glued abbreviations: "LĐ-TB&XH") with the words they stand
for, accented and lower case, or folded when the text has no accents; the word trie the gazetteer is kept
in and its walk; an agency's key and display name.

Apart from `agencies.py` (what other modules call) so the reading of words can be read alone; the
gazetteer (`agency_gazetteer.py`) fills `_ABBR` once, as it builds its tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .issuer import is_upper
from .normalize import clean_text, fold, match_form

# Lower-case words that end a name: the verbs and particles that follow an agency in a sentence.
_STOP = set(
    "chủ phối có tổ thực triển tham hướng theo để trong và tại của về với được là các cho báo rà kiểm căn giao "
    "khẩn chịu cung trình tiếp nghiên đôn bố lập thành tỉnh xem tổng hỗ chỉ đảm bảo cấp làm đã sẽ đang phải tăng "
    "đẩy nâng gửi nhận sau trước đến qua thuộc trên khi nếu nhằm vào liên khác này do hằng hàng định tuyên huy ký "
    "quản duy ưu mở xây phụ ban góp đưa áp trao quy ở giúp vận chuẩn lồng".split()
)
_STOP_BARE = {fold(w) for w in _STOP}
_COMPOUNDS = {"việc làm", "phát triển", "tiến bộ"}  # a stop word that goes on a name after these
_COMPOUNDS |= {fold(w) for w in _COMPOUNDS}


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
