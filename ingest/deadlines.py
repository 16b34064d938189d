"""When assigned work is due: the first deadline a task's text states ("trước ngày 20/12/2021", "định kỳ hàng
năm trước ngày 15/11", "quý III/2026") and the time field that closes a task ("Thời gian hoàn tất: …").

Apart from `assignments.py` so what counts as a deadline can be read in one place.
"""

from __future__ import annotations

import re

_DEADLINE = re.compile(
    r"(?:(?:định kỳ\s+)?(?:hàng|hằng)\s+(?:năm|quý|tháng|tuần)[^.;:\d]{0,30}?)?"
    r"(?:trước|chậm nhất(?: là)?|hoàn thành trước|trong)\s+(?:ngày\s+)?\d{1,2}(?:/|\s+tháng\s+)\d{1,2}"
    r"(?:(?:/|\s+năm\s+)\d{4})?"
    r"|định kỳ\s+(?:(?:hàng|hằng)\s+)?(?:năm|quý|tháng|6 tháng)\b(?!\s+(?:của|các))"
    r"|(?:trong\s+)?(?:Quý|quý)\s+(?:[IV]+|[1-4])(?:/|\s+năm\s+)\d{4}"  # "quý III/2026", "quý 1/2019"
    r"|(?:trước\s+)?(?:tháng)\s+\d{1,2}/\d{4}"
    r"|(?:hoàn thành\s+)?(?:trong|trước)\s+tháng\s+\d{1,2}\s+năm\s+\d{4}",  # "trong tháng 3 năm 2025"
    re.I,
)
_TIME_ONLY = re.compile(
    r"^(?:Thời gian(?: thực hiện| hoàn thành| hoàn tất)?|Thời hạn(?: hoàn thành)?|Tiến độ)\s*:\s*(.{2,120})$",
    re.I | re.S,
)


def find_deadline(text: str) -> str | None:
    """The first deadline as written: "trước ngày 20/12/2021", "định kỳ hàng năm trước ngày 15/11"."""
    m = _DEADLINE.search(text)
    return re.sub(r"\s+", " ", m.group(0)).strip() if m else None
