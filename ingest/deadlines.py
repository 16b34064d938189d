"""When assigned work is due: the first deadline a task's text states ("trước ngày 20/12/2021", "định kỳ hàng
năm trước ngày 15/11", "quý III/2026") and the time field that closes a task ("Thời gian hoàn tất: …").

Apart from `assignments.py` so what counts as a deadline can be read in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .normalize import fold

_DEADLINE = re.compile(
    r"(?:(?:định kỳ\s+)?(?:hàng|hằng)\s+(?:năm|quý|tháng|tuần)[^.;:\d]{0,30}?)?"
    r"(?:trước|chậm nhất(?: là)?|hoàn thành trước|trong)\s+(?:ngày\s+)?\d{1,2}(?:/|\s+tháng\s+)\d{1,2}"
    r"(?:(?:/|\s+năm\s+)\d{4})?"
    r"|định kỳ\s+(?:(?:hàng|hằng)\s+)?(?:năm|quý|tháng|6 tháng)\b(?!\s+(?:của|các))"
    r"|(?:trong\s+)?(?:Quý|quý)\s+(?:[IV]+|[1-4])(?:/|\s+năm\s+)\d{4}"  # "quý III/2026", "quý 1/2019"
    r"|(?:trước\s+)?(?:tháng)\s+\d{1,2}/\d{4}"
    r"|(?:hoàn thành\s+)?(?:trong|trước)\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"  # "trong tháng 3 năm 2025"
    r"|trong (?:thời hạn|vòng) \d{1,3} (?:ngày|tháng|giờ)(?: làm việc)?(?: kể từ [^.;,]{3,60})?",  # a time limit
    re.I,
)
# a rhythm with no date: "vào chiều thứ Sáu hằng tuần", "tổ chức hằng năm"
_RHYTHM = re.compile(  # after "vào", or after work that recurs (a report, a meeting, a check) in the same phrase:
    # not the monthly allowance of "trợ cấp xã hội hằng tháng", nor the "kế hoạch … hằng năm" a task refers to
    r"(?P<r>vào\s+(?:[^\W\d_]+\s+){0,3}?(?:hàng|hằng)\s+(?:tuần|tháng|quý|năm)\b)"
    r"|\b(?:báo cáo|họp|giao ban|sơ kết|tổng kết|kiểm tra|cập nhật|tổng hợp|tổ chức|duy trì|rà soát|đánh giá)\s"
    r"(?:[^\W\d_]+\s+){0,6}?(?P<after>(?:định kỳ\s+)?(?:hàng|hằng)\s+(?:tuần|tháng|quý|năm)\b)",
    re.I,
)
_TIME_ONLY = re.compile(
    r"^(?:Thời gian(?: thực hiện| hoàn thành| hoàn tất)?|Thời hạn(?: hoàn thành)?|Tiến độ)\s*:\s*(.{2,120})$",
    re.I | re.S,
)


def find_deadline(text: str) -> str | None:
    """The first deadline as written: "trước ngày 20/12/2021", "định kỳ hàng năm trước ngày 15/11"."""
    m = _DEADLINE.search(text)  # a date or a period first; a bare rhythm when none
    if m is None and (r := _RHYTHM.search(text)):
        return r.group("r") or r.group("after")
    return re.sub(r"\s+", " ", m.group(0)).strip() if m else None


# ---------------------------------------------------------------- deadlines as data
# Everything below reads the words of one deadline (as `find_deadline` or a table's time cell gives them) on
# their folded form (no diacritics, lower case: "trước ngày" and "truoc ngay" read alike, OCR's lost accents
# too) and returns its structure. One pass finds the time expressions (a day, a month or months, a quarter, a
# year or a range of years); the words between and around them say how they combine ("từ … đến …", "trước",
# "chậm nhất", "đến hết"); recurrence and continuation words say what repeats.
_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_YEAR = r"((?:19|20)\d\d)"
_TIME = re.compile(
    # a day with its year: 20/12/2021, 20-12-2021, "20 tháng 12 năm 2021"
    rf"(?P<dmy>(?:ngay\s+)?(\d{{1,2}})\s*/\s*(\d{{1,2}})\s*/\s*{_YEAR}|(?:ngay\s+)?(\d{{1,2}})-(\d{{1,2}})-{_YEAR}"
    rf"|(?:ngay\s+)?(\d{{1,2}})\.(\d{{1,2}})\.{_YEAR}"
    rf"|(?:ngay\s+)?(\d{{1,2}})\s+thang\s+(\d{{1,2}})\s*,?\s*nam\s+{_YEAR}"
    rf"|(?:ngay\s+)?(\d{{1,2}})\s*/\s*(\d{{1,2}})\s*,?\s*nam\s+{_YEAR})"
    # a day of the last month of each quarter ("ngày 20 tháng cuối quý")
    r"|(?P<dq>(?:ngay\s+)?(\d{1,2})\s+(?:cua\s+)?thang\s+cuoi\s+(?:moi\s+)?quy)"
    # a day without its year: "ngày 15/11", "15 tháng 6"
    r"|(?P<dm>(?:ngay\s+)?(\d{1,2})\s*/\s*(\d{1,2})(?!\s*/?\s*\d|\s*,?\s*nam\s+\d)"
    r"|(?:ngay\s+)?(\d{1,2})\s+thang\s+(\d{1,2})\b(?!\s*,?\s*nam\s+\d))"
    # a day of each month: "ngày 20 hằng tháng", "trước ngày 25" (with a monthly recurrence)
    r"|(?P<dmo>ngay\s+(\d{1,2})\b(?!\s*(?:/|thang|-|\.)))"
    # a quarter: "quý IV/2025", "quý 1/2019", "Quý I năm 2026"
    rf"|(?P<q>quy\s+(iv|iii|ii|i|[1-4])\s*(?:/|,?\s*nam\s+){_YEAR})"
    # the first or last months of a year: "6 tháng đầu năm 2025", "02 tháng cuối năm 2025"
    rf"|(?P<part>(\d{{1,2}})\s+thang\s+(dau|cuoi)\s+nam\s+{_YEAR})"
    # vague months of a year ("những tháng đầu năm 2026"): a start or an end, not a date
    rf"|(?P<vague>(?:nhung|cac)\s+thang\s+(dau|cuoi)\s+nam\s+{_YEAR})"
    # a month or months of a year: "tháng 11/2025", "Tháng 11, 12/2013", "6/2025", "tháng 3 năm 2025"
    rf"|(?P<my>(?:thang\s+)?(\d{{1,2}}(?:\s*,\s*\d{{1,2}})*)\s*/\s*{_YEAR}|thang\s+(\d{{1,2}})\s*,?\s*nam\s+{_YEAR})"
    # a range of years: "2025 - 2026", "giai đoạn 2026-2030", "năm 2026 - 2027"
    rf"|(?P<years>(?:giai\s+doan\s+|nam\s+)?{_YEAR}\s*-\s*{_YEAR})"
    # the end of a year: "cuối năm 2025" (due then, no start)
    rf"|(?P<yend>cuoi\s+(?:nam\s+)?{_YEAR})"
    # a month or a quarter whose year comes after it: "tháng 5 - 6/2025", "Quý I và Quý II năm 2025"
    r"|(?P<mq>(?:thang\s+(\d{1,2})|quy\s+(iv|iii|ii|i|[1-4]))\b(?!\s*(?:/|,?\s*nam\s+\d)))"
    # a year: "năm 2025", or a bare 2025 where a time is expected (not "Luật An ninh mạng 2025")
    rf"|(?P<y>nam\s+{_YEAR}|(?:(?<=^)|(?<=\bden\s)|(?<=\btu\s)|(?<=\bva\s)|(?<=[,;(]\s)|(?<=[,;(])|(?<=\btrong\s)|(?<=\bvao\s)){_YEAR})"
    # the year after the document's: "trong năm tiếp theo", "năm sau"
    r"|(?P<next>nam\s+(?:tiep\s+theo|sau|toi)\b(?!\s+(?:do|nua)))",
)
_NOT_NEXT = re.compile(r"(?:cac|nhung)\s+$")  # "các năm tiếp theo" continues, "năm tiếp theo" is next year
_RANGE = re.compile(r"^\s*(?:-|den(?:\s+het)?|toi)\s*(?:ngay\s+|nam\s+|thang\s+)?$")
_LIST = re.compile(r"^\s*(?:,|;|va|hoac)?\s*(?:vao\s+|trong\s+)?$")
_BEFORE = re.compile(r"\btruoc(?:\s+ngay)?\s*$")
_BY = re.compile(r"\b(?:cham\s+nhat(?:\s+la)?|han\s+cuoi|trong|vao|den\s+het)(?:\s+ngay)?\s*$")
_UNTIL = re.compile(r"\b(?:den(?:\s+het)?|toi)(?:\s+nam)?\s*$")
_FROM = re.compile(r"\btu(?:\s+ngay)?\s*$")
_EVERY = (  # the most frequent named wins: "6 tháng, hằng năm" reports every half year
    ("week", re.compile(r"\b(?:hang|moi)\s+tuan\b|\btuan\s+mot\s+lan\b")),
    ("month", re.compile(r"\b(?:hang|moi)\s+thang\b|(?<!\d\s)\bthang\s+mot\s+lan\b|\bdinh\s+ky\s+thang\b")),
    (
        "quarter",
        re.compile(
            r"\b(?:hang|moi)\s+quy\b|\bquy\s+mot\s+lan\b|\b0?3\s+thang\s*(?:mot\s+lan|/\s*lan)\b"
            r"|\bdinh\s+ky\s+quy\b|\bcuoi\s+(?:moi\s+)?quy\b"
        ),
    ),  # fmt: skip
    (
        "half_year",
        re.compile(
            r"(?<!trong\s)(?<!vong\s)(?<!sau\s)(?<!han\s)(?<!ket\s)(?<![\d/])\b0?6\s+thang\b"
            r"(?!\s*,?\s*(?:dau|cuoi|ke|tu|sau|nam\s+\d)\b)|\bnua\s+nam\b|\b0?6\s+thang\s*(?:mot\s+lan|/\s*lan)"
        ),
    ),
    ("year", re.compile(r"\b(?:hang|moi)\s+nam\b|\bthuong\s+nien\b|\bdinh\s+ky\s+nam\b")),
)
_PERIODIC = re.compile(r"\bdinh\s+ky\b")
_NEXT_YEARS = re.compile(r"\b(?:cac|nhung)\s+nam\s+(?:tiep\s+theo|sau|tiep)\b")
_ONGOING = re.compile(r"\bva\s+tiep\s+theo\b|\btro\s+di\b|\bthuong\s+xuyen\b|\blau\s+dai\b")
_CONTINUOUS = re.compile(r"\bthuong\s+xuyen\b|\blien\s+tuc\b|\blau\s+dai\b")
_NOW = re.compile(
    r"^\W*(?:thuc\s+hien\s+)?ngay\W*$|\bngay\s+sau\s+khi\s+(?:\w+\s+){0,3}?(?:duoc\s+)?(?:ky|ban\s+hanh)\b"
)
_RELATIVE = re.compile(
    r"\b(?:trong(?:\s+vong|\s+thoi\s+han)?|sau|cham\s+nhat(?:\s+la)?|truoc)\s+(\d{1,3})\s+"
    r"(ngay\s+lam\s+viec|ngay|tuan|thang|nam)\b(?:\s+\w+){0,3}?\s*,?\s+(?:ke\s+)?(?:tu|sau)\s+(?:ngay\s+|khi\s+)?"
    r"(\w+(?:\s+\w+){0,3})"
)
_OWN_DATE = re.compile(r"^(?:ky|ban\s+hanh|van\s+ban|ke\s+hoach|quyet\s+dinh|chi\s+thi|cong\s+van|nay)\b")


@dataclass(frozen=True)
class _Span:
    start: date | None
    end: date | None
    at: int  # where the expression starts and ends in the folded text
    to: int
    day: bool = False  # one named day (a "trước" makes it the day before)
    yearless: tuple[int, int] | None = None  # (day, month) of a day named without its year
    quarter_day: int | None = None  # the day of the last month of each quarter
    next_year: bool = False  # "năm tiếp theo": the year after the document's
    months: tuple[int, int] | None = None  # first and last month of a month or quarter named without its year
    month_day: int | None = None  # "ngày 20" of each month (with a monthly recurrence)


def _month_end(y: int, m: int) -> date:
    return date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)


def _spans(s: str, issued: date | None) -> list[_Span]:
    out: list[_Span] = []
    for m in _TIME.finditer(s):
        g, at, to = m.lastgroup, m.start(), m.end()
        v = [x for x in m.groups() if x is not None][1:]  # the groups of the alternative that matched
        try:
            if g == "dmy":
                d = date(int(v[2]), int(v[1]), int(v[0]))
                out.append(_Span(d, d, at, to, day=True))
            elif g == "dq":
                out.append(_Span(None, None, at, to, quarter_day=int(v[0])))
            elif g == "dm":
                day, month = int(v[0]), int(v[1])
                date(2000, month, day)  # a day that exists in some year (29/02 too), else not a time
                out.append(_Span(None, None, at, to, day=True, yearless=(day, month)))  # year: `_year_days`
            elif g == "dmo":
                if 1 <= int(v[0]) <= 31:
                    out.append(_Span(None, None, at, to, month_day=int(v[0])))
            elif g == "q":
                q, y = _Q[v[0]], int(v[1])
                out.append(_Span(date(y, 3 * q - 2, 1), _month_end(y, 3 * q), at, to))
            elif g == "part":
                n, y = int(v[0]), int(v[2])
                first, last = (1, n) if v[1] == "dau" else (13 - n, 12)
                out.append(_Span(date(y, first, 1), _month_end(y, last), at, to))
            elif g == "vague":
                y = int(v[1])
                out.append(
                    _Span(date(y, 1, 1), None, at, to)
                    if v[0] == "dau"
                    else _Span(None, date(y, 12, 31), at, to)
                )
            elif g == "my":
                months, y = [int(x) for x in re.findall(r"\d+", v[0])], int(v[1])
                out.append(_Span(date(y, months[0], 1), _month_end(y, months[-1]), at, to))
            elif g == "years":
                out.append(_Span(date(int(v[0]), 1, 1), date(int(v[1]), 12, 31), at, to))
            elif g == "yend":
                out.append(_Span(None, date(int(v[0]), 12, 31), at, to))
            elif g == "mq":  # dated by the next time's year (`_dated`)
                month = m.group(0).startswith("thang")
                first, last = (int(v[0]), int(v[0])) if month else (3 * _Q[v[0]] - 2, 3 * _Q[v[0]])
                out.append(_Span(None, None, at, to, months=(first, last)))
            elif g == "y":
                y = int(v[0])
                out.append(_Span(date(y, 1, 1), date(y, 12, 31), at, to))
            elif g == "next" and issued and not _NOT_NEXT.search(s[:at]):
                y = issued.year + 1
                out.append(_Span(date(y, 1, 1), date(y, 12, 31), at, to, next_year=True))
        except (ValueError, KeyError, IndexError):  # 31/02, month 13: not a time
            continue
    return _year_days(_dated(out, s), s, issued)


GRACE = timedelta(days=31)  # a day without its year this long before the document is next year's


def _on(y: int, month: int, day: int) -> date:
    """That day of year `y`; 29 February of a common year is its 28th."""
    return date(y, month, min(day, _month_end(y, month).day))


def _year_days(spans: list[_Span], s: str, issued: date | None) -> list[_Span]:
    """Days named without their year take one: that of a dated day they are listed or ranged with ("trước
    ngày 30/6 và 31/12/2025"), the next year for "15/01 năm sau", else the document's — or the next when that
    would fall well before the document ("trước ngày 10/01" in a plan of 10/12/2025). Undated, they stay
    yearless (a yearly day, when the words say so)."""
    out: list[_Span] = []
    skip: set[int] = set()
    for i, sp in enumerate(spans):
        if i in skip:
            continue
        if sp.yearless is None:
            out.append(sp)
            continue
        d, m = sp.yearless
        nxt = spans[i + 1] if i + 1 < len(spans) else None
        between = s[sp.to : nxt.at] if nxt else ""
        year = None
        if nxt is not None and nxt.next_year and not between.strip():
            year, _ = (nxt.start.year if nxt.start else None), skip.add(i + 1)
        elif (
            nxt is not None
            and nxt.day
            and not nxt.yearless
            and nxt.start
            and (_LIST.match(between) or _RANGE.match(between))
        ):
            year = nxt.start.year - (_on(nxt.start.year, m, d) > nxt.start and bool(_RANGE.match(between)))
        elif issued is not None:
            year = issued.year + (_on(issued.year, m, d) < issued - GRACE)
        if year is None:
            out.append(sp)
            continue
        day = _on(year, m, d)
        out.append(_Span(day, day, sp.at, sp.to, day=True, yearless=sp.yearless))
    return out


def _dated(spans: list[_Span], s: str) -> list[_Span]:
    """A month or quarter named without its year takes the year of the time it is listed or ranged with
    ("tháng 5 - 6/2025", "Quý I và Quý II năm 2025"); with none, it is no time."""
    out = []
    for i, sp in enumerate(spans):
        if sp.months is None:
            out.append(sp)
            continue
        nxt = next((n for n in spans[i + 1 :] if n.months is None and (n.start or n.end)), None)
        joined = nxt is not None and (
            _RANGE.match(s[sp.to : nxt.at])
            or _LIST.match(s[sp.to : nxt.at])
            or re.fullmatch(r"\s*(?:,|va|-)\s*(?:(?:thang|quy)\s+\w+\s*(?:,|va|-)\s*)*", s[sp.to : nxt.at])
        )
        if not joined:
            continue
        y = (nxt.start or nxt.end).year
        try:
            out.append(_Span(date(y, sp.months[0], 1), _month_end(y, sp.months[1]), sp.at, sp.to))
        except ValueError:
            continue
    return out


def _every(s: str) -> str | None:
    return next((name for name, rx in _EVERY if rx.search(s)), None)


def _relative(s: str, issued: date | None) -> dict[str, Any] | None:
    m = _RELATIVE.search(s)
    if not m:
        return None
    n, unit, source = int(m.group(1)), m.group(2).replace(" ", "_"), m.group(3)
    unit = {"ngay": "day", "ngay_lam_viec": "working_day", "tuan": "week", "thang": "month", "nam": "year"}[
        unit
    ]
    due = None
    if issued and _OWN_DATE.match(source):  # from the document's own date: computable
        if unit == "day":
            due = issued + timedelta(days=n)
        elif unit == "week":
            due = issued + timedelta(weeks=n)
        elif unit == "working_day":
            due, left = issued, n
            while left:
                due += timedelta(days=1)
                left -= due.weekday() < 5
        else:
            months = n * (12 if unit == "year" else 1) + issued.month - 1
            y, mo = issued.year + months // 12, months % 12 + 1
            due = date(y, mo, min(issued.day, _month_end(y, mo).day))
    return {"amount": n, "unit": unit, "from": source, "due": due}


def parse_deadline(text: str | None, issued: str | date | None = None) -> dict[str, Any] | None:
    """A deadline's structure, with the words it came from. `issued`: the document's date (ISO or a date),
    which dates a "trong 30 ngày kể từ ngày ký", a "năm tiếp theo" and a day named without its year.

    kind: "date" (one day: "trước ngày 20/12/2021" is due the 19th, "chậm nhất ngày 10/12/2025" the 10th),
    "period" (a month, quarter, year or range of them, due on its last day; "đến năm 2030" has no start,
    "từ 01/7/2025" no end), "recurrence" ("hằng năm", "hằng quý", "6 tháng", "định kỳ", "trước ngày 15/12
    hằng năm": `every`, and `on` the day in each period), "relative" ("trong 30 ngày kể từ ngày ký": `after`),
    "continuous" ("thường xuyên") or "event" (no time: "khi có yêu cầu", "sau khi Nghị định … ban hành").
    `ongoing`: the work goes on after `due` ("và các năm tiếp theo": also `every` year; "trở đi")."""
    if not text or not text.strip():
        return None
    if isinstance(issued, str):
        try:
            issued = date.fromisoformat(issued[:10])
        except ValueError:
            issued = None
    s = re.sub(r"\s+", " ", fold(text).replace("–", "-").replace("—", "-")).strip()
    out: dict[str, Any] = {"kind": "event", "text": text.strip(), "start": None, "due": None, "every": _every(s),
                           "on": None, "after": None, "ongoing": False, "milestones": []}  # fmt: skip
    spans = _spans(s, issued)
    rel = _relative(s, issued)
    if rel and not any(sp.day and not sp.yearless for sp in spans):
        out.update(kind="relative", due=rel.pop("due"), after=rel)
    elif _NOW.search(s) and not spans:
        out.update(kind="relative", due=issued, after={"amount": 0, "unit": "day", "from": "ký"})
    elif spans:
        _combine(out, s, spans)
    elif out["every"] or _PERIODIC.search(s):
        out.update(kind="recurrence", ongoing=True)
    elif _CONTINUOUS.search(s):
        out.update(kind="continuous", ongoing=True)
    if _NEXT_YEARS.search(s) and out["kind"] in ("period", "date"):
        out.update(every="year", ongoing=True)
    elif out["kind"] in ("period", "date") and _ONGOING.search(s):
        out["ongoing"] = True
    for k in ("start", "due"):
        out[k] = out[k].isoformat() if out[k] else None
    out["milestones"] = [d.isoformat() for d in out["milestones"]]
    return out


def _combine(out: dict[str, Any], s: str, spans: list[_Span]) -> None:
    """Ranges ("từ tháng 11/2025 đến quý I/2026", "2025 - 2026"), a list's parts ("Quý IV/2025 và Quý
    I/2026": one due each), and what the words before a time say of it ("trước", "chậm nhất", "đến hết")."""
    parts: list[tuple[date | None, date | None, bool]] = []  # start, end, a due day
    anchors: list[dict[str, int]] = []
    i, carried = 0, False
    while i < len(spans):
        sp = spans[i]
        before = s[spans[i - 1].to if i else 0 : sp.at]
        is_before = bool(_BEFORE.search(before)) or (
            carried and bool(_LIST.match(before))
        )  # "trước 15/6 và 15/12"
        carried = is_before
        if sp.month_day is not None:  # "ngày 20 hằng tháng": a day of each month, only with a monthly rhythm
            if out["every"] == "month":
                anchors.append({"day": max(sp.month_day - is_before, 1)})
        elif sp.quarter_day is not None:  # "trước ngày 20 tháng cuối quý"
            anchors.append({"day": max(sp.quarter_day - is_before, 1), "month_of_quarter": 3})
        elif (
            i + 1 < len(spans)
            and _RANGE.match(s[sp.to : spans[i + 1].at])
            and spans[i + 1].quarter_day is None
            and spans[i + 1].month_day is None
        ):
            nxt, end = spans[i + 1], spans[i + 1].end
            if sp.yearless and nxt.yearless and sp.start and end and end < sp.start:  # "từ 15/12 đến 15/01"
                end = end.replace(year=end.year + 1)
            parts.append((sp.start, end, False))
            i += 1
        elif is_before and sp.start:  # before a day is the day before; before a month, its eve
            parts.append((None, sp.start - timedelta(days=1), True))
        elif _UNTIL.search(before) and not _FROM.search(before):
            parts.append((None, sp.end, sp.day))
        elif _FROM.search(before):
            parts.append((sp.start, None, False))
            out["ongoing"] = True
        else:
            parts.append((None, sp.end, True) if sp.day else (sp.start, sp.end, False))
        if sp.yearless:
            d, m = sp.yearless
            if is_before:  # the day before, in a common year (the day before 1 March is 28 February)
                prev = date(2000 if (d, m) == (29, 2) else 2001, m, d) - timedelta(days=1)
                d, m = prev.day, prev.month
            anchors.append({"month": m, "day": d})
        i += 1
    if anchors and (out["every"] or _PERIODIC.search(s) or not any(p[0] or p[1] for p in parts)):
        out.update(kind="recurrence", ongoing=True, on=anchors if len(anchors) > 1 else anchors[0])
        if out["every"] is None:
            out["every"] = "quarter" if "month_of_quarter" in anchors[0] else "year"
        return
    starts = [p[0] for p in parts if p[0]]
    ends = [p[1] for p in parts if p[1]]
    if not parts:  # only days of a month or quarter, with no rhythm to place them in
        out["kind"] = "event"
        return
    out["kind"] = "relative" if spans[0].next_year else "date" if all(p[2] for p in parts) else "period"
    out["start"] = min(starts) if starts else None
    out["due"] = max(ends) if ends and all(p[1] for p in parts) else None  # an open part leaves no end
    if len(ends) > 1:
        out["milestones"] = sorted(ends)
    if out["every"]:
        out["ongoing"] = True  # "Tháng 11, 12/2013 và bổ sung, sửa đổi hằng năm": then every year
