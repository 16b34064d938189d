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

What other modules call is here; the words a text is read as (`agency_words.py`), the known agencies and
the tables built from them (`agency_gazetteer.py`) and the reader of one name (`agency_reader.py`) are
apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .agency_gazetteer import _FIRST, _GAZ, _VARIANTS, Agency
from .agency_reader import _at, _collective, _split_scope, _suffix, _where
from .agency_words import _ABBR, _U, _compact, _display, _f, _is, _key, _units
from .normalize import LOWER, UPPER, clean_text, fold, match_form


@dataclass(frozen=True)
class Mention:
    """An agency named in running text; `text == source[start:end]`."""

    start: int
    end: int
    text: str
    agency: Agency


_LEAD = re.compile(r"^[\s\-–—•+*]*(?:(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)]\s+)?")


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


def doc_province(doc: dict[str, Any]) -> str | None:
    """The province a document is of: its issuer's ("UBND tỉnh Khánh Hòa"), else its place line's
    ("Khánh Hòa, ngày …" under "SỞ Y TẾ"); None for a ministry's or when nothing says."""
    for name in (doc.get("issuer_full"), doc.get("issuer")):
        if name and (found := province_of(name)):
            return found
        if name and (body := resolve(name)) is not None and body.scope == "Chính phủ":
            return None  # a ministry's document is of no province, wherever it was signed
    place = (doc.get("place") or "").strip()
    for unit in ("thành phố", "tỉnh") if place else ():
        if found := province_of(f"Ủy ban nhân dân {unit} {place}"):
            return found
    return None


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
    return tuple(_shared_council(p for p in out if p))


_COUNCIL_LEVEL = re.compile(
    r"^(.*?\b(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Hội đồng nhân dân|HĐND))\s+(?:xã|phường|thị trấn|đặc khu|huyện|quận"
    r"|thị xã|thành phố)\s+\S"
)
_PLACE_PART = re.compile(
    rf"^(?:xã|phường|thị trấn|đặc khu|huyện|quận|thị xã)\s+[{UPPER}][{LOWER}]*(?:\s+[{UPPER}][{LOWER}]*)*"
)  # "xã Lạc Dương": a level and its place, after a council named once


def _shared_council(parts: Iterable[str]) -> Iterator[str]:
    """ "Ủy ban nhân dân xã Đức Trọng, xã Lạc Dương": the council's name goes with each place after it;
    "Trạm Y tế các xã, phường": a bare level after a name ending on "các <level>" is one more of its levels."""
    out: list[str] = []
    head = None
    for p in parts:
        if head and _PLACE_PART.match(p):
            out.append(f"{head} {p}")
            continue
        if out and p in _BARE_LEVELS and _PLURAL_LEVEL.search(out[-1]):
            out[-1] = f"{out[-1]}, {p}"
            continue
        m = _COUNCIL_LEVEL.match(p)
        head = m.group(1) if m else None
        out.append(p)
    return iter(out)


_BARE_LEVELS = {"xã", "phường", "thị trấn", "đặc khu", "huyện", "quận", "thị xã", "thành phố"}
_PLURAL_LEVEL = re.compile(
    r"\bcác (?:xã|phường|thị trấn|đặc khu|huyện|quận|thị xã|thành phố)(?:, (?:xã|phường|thị trấn|đặc khu|huyện|quận|thị xã|thành phố))*$"
)


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
