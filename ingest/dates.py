"""Dates as legal texts write them: "01/7/2021", "ngày 01 tháng 7 năm 2021", and in words ("ngày mồng một
tháng Bảy năm hai nghìn không trăm hai mươi mốt", "ngày 15 tháng Giêng năm 2021"). One place, so relations
and entry into force read the same dates.
"""

from __future__ import annotations

import re
from datetime import date

from .normalize import fold

_UNITS = {"khong": 0, "linh": 0, "le": 0, "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4,
          "nam": 5, "lam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9, "muoi": 10, "gieng": 1, "chap": 12}  # fmt: skip
_WORD = r"(?:không|linh|lẻ|một|mốt|hai|ba|bốn|tư|năm|lăm|sáu|bảy|bẩy|tám|chín|mười|mươi|trăm|nghìn|ngàn|giêng|chạp)"
_WORDS = rf"{_WORD}(?:\s+{_WORD})*"
_NUM = rf"(?:\d{{1,4}}|{_WORDS})"
# "ngày 01 tháng 7 năm 2021", "ngày mồng một tháng bảy năm hai nghìn …", "01/7/2021", "01-7-2021"
DATE = re.compile(
    rf"(?:ngày\s*(?:mồng\s+|mùng\s+)?(?P<d>{_NUM})\s*tháng\s*(?P<m>{_NUM})\s*năm\s*(?P<y>\d{{4}}|{_WORDS}))"
    r"|(?P<d2>\d{1,2})\s*[/-]\s*(?P<m2>\d{1,2})\s*[/-]\s*(?P<y2>\d{4})",
    re.I,
)


def number_words(text: str) -> int | None:
    """A number written in digits or Vietnamese words, up to the thousands: "hai mươi mốt" → 21,
    "hai nghìn không trăm hai mươi mốt" → 2021, "Bảy" → 7, "Giêng" → 1. None when it is not one."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    total, current, seen, counted = 0, 0, False, False  # counted: a digit word since the last multiplier
    for word in fold(text.lower()).split():
        if word in ("nghin", "ngan"):
            total, current, counted = total + (current if counted else 1) * 1000, 0, False
        elif word == "tram":
            total, current, counted = total + (current if counted else 1) * 100, 0, False
        elif word == "muoi":  # "mười" (10) or "… mươi" (× 10): both fold to "muoi"
            current, counted = (current * 10 if current else 10), True
        elif word in _UNITS:
            current, counted = current + _UNITS[word], True
        else:
            return None
        seen = True
    return total + current if seen else None


def parse_date(match: re.Match[str]) -> str | None:
    """The ISO date of a `DATE` match, or None when the day cannot exist ("31/02")."""
    day, month, year = (match.group("d"), match.group("m"), match.group("y")) if match.group("d") else (
        match.group("d2"), match.group("m2"), match.group("y2"))  # fmt: skip
    d, m, y = number_words(day), number_words(month), number_words(year)
    if d is None or m is None or y is None:
        return None
    if not 1900 <= y <= 2100:  # "năm hai không hai mốt" read as 5: not a year a legal text gives
        return None
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def find_date(text: str) -> str | None:
    """The first date a text writes, as ISO."""
    for m in DATE.finditer(text):
        if iso := parse_date(m):
            return iso
    return None
