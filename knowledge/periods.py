"""The calendar arithmetic that following tasks up shares (`followup`, `progress`, `ical`): a recurrence's
periods and their names ("2025", "2025-H1", "2025-Q3", "2025-07", "2025-W07"), the day each period ends, and
the days a deadline's anchors ("trước ngày 15/12 hằng năm", "ngày 20 hằng tháng") fall on — a day a month
lacks (31 June, 29 February of a common year) is that month's last day, everywhere."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

EVERY_VI = {"year": "hằng năm", "half_year": "6 tháng một lần", "quarter": "hằng quý", "month": "hằng tháng",
            "week": "hằng tuần"}  # fmt: skip
_MONTHS = {"year": 12, "half_year": 6, "quarter": 3, "month": 1}
PERIOD = {
    "year": re.compile(r"(\d{4})", re.ASCII), "half_year": re.compile(r"(\d{4})-H([12])", re.ASCII),
    "quarter": re.compile(r"(\d{4})-Q([1-4])", re.ASCII), "month": re.compile(r"(\d{4})-(0[1-9]|1[0-2])", re.ASCII),
    "week": re.compile(r"(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])", re.ASCII),
}  # fmt: skip
EXAMPLE = {
    "year": "2025",
    "half_year": "2025-H1",
    "quarter": "2025-Q3",
    "month": "2025-07",
    "week": "2025-W07",
}


def month_end(y: int, m: int) -> date:
    return date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)


def on_day(y: int, m: int, day: int) -> date:
    """Day `day` of that month, or its last day when it has fewer."""
    return date(y, m, min(day, month_end(y, m).day))


def period_end(every: str | None, at: date) -> date | None:
    """The last day of the `every` period (calendar-aligned) that holds `at`."""
    if every == "week":
        return at + timedelta(days=6 - at.weekday())
    months = _MONTHS.get(every or "")
    if months is None:
        return None
    last = ((at.month - 1) // months + 1) * months  # the period's last month
    return month_end(at.year, last)


def frequency(deadline: dict[str, Any] | None) -> str | None:
    """How often the task's work is reported: its recurrence ("year" for periodic work of no stated
    rhythm), the rhythm of dated work that goes on ("và các năm tiếp theo"), None for one-off work."""
    if not deadline:
        return None
    if deadline["kind"] == "recurrence":
        return deadline.get("every") or "year"
    if deadline.get("ongoing") and deadline.get("every"):
        return deadline["every"]
    return None


def anchors(deadline: dict[str, Any] | None) -> list[dict[str, int]]:
    """The days in each period the work is due: the deadline's own (`on`), else, for dated yearly work that
    goes on, its due day each year ("trước ngày 15/12/2025 và các năm tiếp theo")."""
    if not deadline:
        return []
    on = deadline.get("on")
    if on:
        return on if isinstance(on, list) else [on]
    if (
        deadline["kind"] in ("date", "period", "relative")
        and deadline.get("due")
        and deadline.get("every") == "year"
    ):
        due = date.fromisoformat(deadline["due"])
        return [{"month": due.month, "day": due.day}]
    return []


def anchor_months(a: dict[str, int]) -> list[int]:
    if "month" in a:
        return [a["month"]]
    if "month_of_quarter" in a:
        return [3 * q - 3 + a["month_of_quarter"] for q in range(1, 5)]
    return list(range(1, 13))  # a day of each month


def anchor_dates(on: list[dict[str, int]], around: date) -> list[date]:
    """The anchors' days from a year before `around` to a year after, in order."""
    return sorted(on_day(y, m, a["day"]) for a in on for y in range(around.year - 1, around.year + 2)
                  for m in anchor_months(a))  # fmt: skip


def period_key(every: str | None, day: date) -> str:
    """The name of the period of `every` that holds `day` ("" for one-off work)."""
    if every is None:
        return ""
    if every == "half_year":
        return f"{day.year}-H{1 if day.month <= 6 else 2}"
    if every == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if every == "month":
        return f"{day.year}-{day.month:02d}"
    if every == "week":
        y, w, _ = day.isocalendar()
        return f"{y}-W{w:02d}"
    return str(day.year)


def period_start(every: str, key: str) -> date:
    """The first day of a period named by `period_key`; ValueError for a name that is none."""
    m = PERIOD[every].fullmatch(key)
    if m is None:
        raise ValueError(key)
    y = int(m.group(1))
    if every == "year":
        return date(y, 1, 1)
    n = int(m.group(2))
    if every == "half_year":
        return date(y, 6 * n - 5, 1)
    if every == "quarter":
        return date(y, 3 * n - 2, 1)
    if every == "month":
        return date(y, n, 1)
    return date.fromisocalendar(y, n, 1)


def last_due(deadline: dict[str, Any] | None, first: date | None, at: date) -> tuple[str, date] | None:
    """The most recent period of recurring work whose due day has passed on `at` (its name and due day);
    none before the work began (`first`)."""
    every = frequency(deadline)
    if every is None:
        return None
    on = anchors(deadline)
    if on:
        past = [d for d in anchor_dates(on, at) if d < at]
    else:
        past = [period_start(every, period_key(every, at)) - timedelta(days=1)]  # the last period's end
    past = [d for d in past if first is None or d >= first]
    return (period_key(every, past[-1]), past[-1]) if past else None
