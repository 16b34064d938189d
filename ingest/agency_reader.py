"""The agency reader: from one word of a text, the longest agency named there (`_at`) — a body of the
gazetteer with its level and place, "Sở"/"Bộ"/"Phòng" and a domain (or a list of domains after one head),
a generic head and capitalised words, a council of a level, a collective — and the scopes and places
that say which province a name belongs to.

Apart from `agencies.py`, whose functions (`resolve`, `find_agencies`, `split_agencies` …) call it.
"""

from __future__ import annotations

import re

from .agency_gazetteer import (
    _BREAK_T,
    _CITIES,
    _COLL_T,
    _DOM,
    _DOMAINS,
    _FIRST,
    _HEAD_T,
    _HW,
    _LEVEL_T,
    _LEVELS,
    _LOWER_OK,
    _MAIN,
    _MOD_T,
    _PLACE_T,
    _SHORT,
    Agency,
)
from .agency_words import _COMPOUNDS, _U, _display, _is, _joint, _key, _recase, _seq, _Trie, _walk
from .normalize import fold


# ---------------------------------------------------------------- scopes
def _scope_of(unit: str, place: str) -> str:
    return "Thành phố Hồ Chí Minh" if fold(place) == "ho chi minh" else f"{unit} {place}"


def _split_scope(scope: str | None) -> tuple[str, str] | None:
    """ "tỉnh Khánh Hòa" → ("tỉnh", "Khánh Hòa"); None for "Chính phủ" or no scope."""
    m = re.match(r"(?i)(tỉnh|thành phố)\s+(\S.*)$", scope or "")
    return (m.group(1), m.group(2)) if m else None


def _prov(ctx: str | None) -> str | None:
    return ctx if _split_scope(ctx) else None


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
    if noun == "thành viên":  # "Các thành viên Hội đồng", "các thành viên Ban Chỉ đạo tỉnh": of one body
        if not cac or (h := _walk(_HEAD_T, units, last + 1)[0]) < 0 or not units[last + 1].cap:
            return -1
        gen = _generic(units, h + 1)
        return _suffix(units, (gen if gen >= 0 else h) + 1, False)[0]
    nouns, mods = 1, 0
    while last + 1 < len(units):
        m, mod = _mod(units, last + 1)
        if m >= 0:
            last, mods = m, mods + (1 if loose or "liên quan" in str(mod) else 0)
            continue
        n = last + 1 + (_joint(units, last + 1) or units[last + 1].p == "-")
        n += _is(units, n, "các")
        e, noun = _walk(_COLL_T, units, n)
        if (
            e < 0
            or _starts(units, n)
            or (n == last + 1 and noun not in ("ngành", "đơn vị", "đoàn thể", "ấp", "bản"))
        ):
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


_NUMERAL = re.compile(r"^(?:[IVXL]{1,6}|\d{1,2})$")


def _region(units: list[_U], j: int) -> int:
    """Last unit of "khu vực XV" / "cơ sở 3" from unit j — the regional branches central bodies work through
    since 2025 (Kho bạc, Thuế, Bảo hiểm xã hội, Thống kê) — or -1."""
    for words in (("khu", "vực"), ("cơ", "sở")):
        e = _seq(units, j, words)
        if e >= 0 and e + 1 < len(units) and not units[e + 1].p and _NUMERAL.match(units[e + 1].raw):
            return e + 1
    return -1


def _body(units: list[_U], text: str, i: int, j: int, val: tuple[str, str, str], ctx: str | None):
    """A gazetteer body matched on units i..j, with its level and place."""
    cls, kind, base = val
    if cls in ("C", "C-"):
        return i, j, Agency(base, _key(base), kind, "Chính phủ" if cls == "C" else None)
    if cls in ("U", "H"):
        return _council(units, text, i, j, base, kind, ctx)
    if (r := _region(units, j + 1)) >= 0:  # "Kho bạc Nhà nước khu vực XV", "Thuế cơ sở 3": a regional branch
        name = _display(text[units[i].start : units[r].end], expand=True)
        return i, r, Agency(name, _key(name), kind, _prov(ctx))
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
