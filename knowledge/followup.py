"""Following assigned tasks up: when each one is next due and whether it is late, read from its deadline's
structure (`ingest.deadlines.parse_deadline`, stored words → data at read time, so a better reader needs no
migration).

A task is late when a fixed due day (a date, the end of a period, a relative deadline worked out from the
document's date) has passed and its progress is not "done"; recurring work (the next "trước ngày 15/12" of a
"hằng năm", else the end of each year, quarter, month) is late when the last period that fell due is not
recorded done (`knowledge.progress`). Continuous work and conditions ("khi có yêu cầu") are never late.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from .periods import anchor_dates, anchors, frequency, last_due, period_end, period_key

_PERIOD_MONTHS = {"year": 12, "half_year": 6, "quarter": 3, "month": 1}


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def next_due(deadline: dict[str, Any] | None, at: date) -> date | None:
    """The day by which the task is next due, seen on `at` (a past day for a fixed deadline already passed)."""
    if not deadline:
        return None
    kind = deadline["kind"]
    if kind in ("date", "period", "relative"):
        due = _d(deadline.get("due"))
        if due and deadline.get("ongoing") and deadline.get("every") == "year":
            while due < at:  # "năm 2026 và các năm tiếp theo": the same day of the running year
                due = (
                    due.replace(year=due.year + 1)
                    if not (due.month == 2 and due.day == 29)
                    else date(due.year + 1, 2, 28)
                )
        return due
    if kind == "recurrence":
        on = anchors(deadline)
        if on:
            return next((d for d in anchor_dates(on, at) if d >= at), None)
        return period_end(deadline.get("every"), at)
    return None  # continuous work, a condition ("khi có yêu cầu")


def first_day(deadline: dict[str, Any] | None, issued: str | None) -> date | None:
    """When the work began: the deadline's own start, else the document's date."""
    start = (deadline or {}).get("start") or issued
    return date.fromisoformat(start[:10]) if start else None


def overdue(deadline: dict[str, Any] | None, at: date, first: date | None = None,
            standing: dict[str, str] | None = None) -> bool:  # fmt: skip
    """Late on `at`: a fixed due day passed and the work is not recorded done; for recurring work, the last
    period whose due day passed (since `first`) is not recorded done. `standing`: state per period ("" for
    one-off work), the latest record of each."""
    standing = standing or {}
    if not deadline or (
        deadline["kind"] == "recurrence" and not deadline.get("every") and not deadline.get("on")
    ):
        return False  # "định kỳ" with no rhythm: never due, so never late
    if frequency(deadline) is not None:
        last = last_due(deadline, first, at)
        return last is not None and standing.get(last[0]) != "done"
    if deadline["kind"] not in ("date", "period", "relative") or deadline.get("ongoing"):
        return False
    due = _d(deadline.get("due"))
    return due is not None and due < at and standing.get("") != "done"


def select(tasks: list[dict[str, Any]], at: date, due_before: date | None = None, late: bool = False,
           context: dict[str, tuple[date | None, dict[str, str]]] | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """The tasks due before a day (`due_before`, as seen on `at`) and/or late on `at`, soonest due first.
    `context`: per task id, when its work began and its standing state per period."""
    context = context or {}
    out = []
    for t in tasks:
        d = t.get("deadline_parsed")
        due = next_due(d, at)
        if due_before is not None and (due is None or due >= due_before):
            continue
        first, standing = context.get(t.get("task_id", ""), (None, {}))
        if late and not overdue(d, at, first, standing):
            continue
        out.append((due or date.max, t))
    if due_before is not None or late:
        out.sort(key=lambda x: x[0])
    return [t for _, t in out]


SOON_DAYS = 30  # "due soon" on the dashboard: within this many days


def _brief(t: dict[str, Any], due: date | None) -> dict[str, Any]:
    words = " ".join(t["task"].split())
    return {"task_id": t["task_id"], "task": words if len(words) <= 240 else words[:239].rsplit(" ", 1)[0] + "…",
            "deadline": t["deadline"], "due": due.isoformat() if due else None, "citation": t["citation"],
            "doc_id": t["doc_id"], "unit_path": t["unit_path"], "lead": t["lead"]}  # fmt: skip


def board(tasks: list[dict[str, Any]], context: dict[str, tuple[date | None, dict[str, str]]], at: date,
          soon: int = SOON_DAYS) -> list[dict[str, Any]]:  # fmt: skip
    """Per lead agency, on `at`: its tasks, how many are late, due within `soon` days, done (the running
    period's or the one-off task's standing record), with the late and the soon listed; most late first."""
    rows: dict[str, dict[str, Any]] = {}
    for t in tasks:
        lead = t["lead"] or "(chưa rõ cơ quan chủ trì)"
        row = rows.setdefault(lead, {"agency": lead, "tasks": 0, "overdue": 0, "due_soon": 0, "done": 0,
                                     "no_due": 0, "overdue_tasks": [], "due_soon_tasks": []})  # fmt: skip
        d = t.get("deadline_parsed")
        first, standing = context.get(t["task_id"], (None, {}))
        every = frequency(d)
        row["tasks"] += 1
        due = next_due(d, at)
        if standing.get(period_key(every, at)) == "done":
            row["done"] += 1
        elif overdue(d, at, first, standing):
            row["overdue"] += 1
            last = last_due(d, first, at)
            row["overdue_tasks"].append(_brief(t, last[1] if last else due))
        elif due is not None and at <= due <= at + timedelta(days=soon):
            row["due_soon"] += 1
            row["due_soon_tasks"].append(_brief(t, due))
        elif due is None:
            row["no_due"] += 1
    for row in rows.values():
        row["overdue_tasks"].sort(key=lambda x: x["due"] or "")
        row["due_soon_tasks"].sort(key=lambda x: x["due"] or "")
    return sorted(rows.values(), key=lambda r: (-r["overdue"], -r["due_soon"], -r["tasks"], r["agency"]))
