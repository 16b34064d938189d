"""Progress on assigned tasks: each agency records, per task (and per period for recurring work), whether
it has not started, is under way or is done, with a note — an append-only history, the latest record per
period standing. The task's id names its document, unit and words, so a re-read document keeps it.

Periods follow the deadline's recurrence: "2025" (yearly, or "định kỳ" with no frequency), "2025-H1",
"2025-Q3", "2025-07", "2025-W07"; a one-off task has none."""

from __future__ import annotations

import hashlib
import re
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tracuu.core.errors import InvalidArgument

MAX_NOTE = 4000  # characters of a progress note
STATES = {"not_started": "chưa thực hiện", "in_progress": "đang thực hiện", "done": "hoàn thành"}
_WORDS = {"chua thuc hien": "not_started", "dang thuc hien": "in_progress", "hoan thanh": "done"}


def task_id(t: dict[str, Any]) -> str:
    """`<doc_id>~<10 hex>`: the document, the unit and the task's words (white space folded)."""
    words = " ".join(t["task"].split())
    digest = hashlib.sha1(f"{t['unit_path']}\n{words}".encode()).hexdigest()[:10]
    return f"{t['doc_id']}~{digest}"


def state_of(value: str) -> str:
    """`not_started`, `in_progress` or `done`, also from their Vietnamese names with or without diacritics."""
    from tracuu.ingest.normalize import fold

    v = (value or "").strip()
    if v in STATES:
        return v
    found = _WORDS.get(re.sub(r"\s+", " ", fold(v)))
    if found:
        return found
    raise InvalidArgument(
        f"Trạng thái '{value}' không hợp lệ; dùng một trong: "
        + ", ".join(f"{k} ({vi})" for k, vi in STATES.items())
        + "."
    )


def frequency(deadline: dict[str, Any] | None) -> str | None:
    """How often the task's work is reported: its recurrence, "year" for yearly-continuing or unspecified
    periodic work, None for one-off work."""
    if not deadline:
        return None
    if deadline["kind"] == "recurrence":
        return deadline.get("every") or "year"
    if deadline.get("ongoing") and deadline.get("every"):
        return deadline["every"]
    return None


def period_key(every: str | None, day: date) -> str:
    """The name of the period of `every` that holds `day`."""
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


_PERIOD = {
    "year": re.compile(r"(\d{4})"), "half_year": re.compile(r"(\d{4})-H([12])"),
    "quarter": re.compile(r"(\d{4})-Q([1-4])"), "month": re.compile(r"(\d{4})-(0[1-9]|1[0-2])"),
    "week": re.compile(r"(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])"),
}  # fmt: skip
_EXAMPLE = {
    "year": "2025",
    "half_year": "2025-H1",
    "quarter": "2025-Q3",
    "month": "2025-07",
    "week": "2025-W07",
}


def period_start(every: str, key: str) -> date:
    m = _PERIOD[every].fullmatch(key)
    assert m is not None
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


def check_period(deadline: dict[str, Any] | None, period: str | None, issued: str | None, today: date) -> str:
    """The period a new record is for: the one named (checked against the task's recurrence, not before the
    document, not in the future), or the running one; "" for one-off work."""
    every = frequency(deadline)
    period = (period or "").strip()
    if every is None:
        if period:
            raise InvalidArgument(f"Nhiệm vụ này không định kỳ: không ghi kỳ báo cáo ('{period}').")
        return ""
    if not period:
        return period_key(every, today)
    if not _PERIOD[every].fullmatch(period):
        raise InvalidArgument(f"Kỳ '{period}' không hợp lệ cho nhiệm vụ {'hằng năm' if every == 'year' else every}: "
                              f"ghi dạng {_EXAMPLE[every]}.")  # fmt: skip
    start = period_start(every, period)
    if start > today:
        raise InvalidArgument(f"Kỳ {period} chưa bắt đầu: không ghi tiến độ trước cho kỳ tương lai.")
    if (
        issued
        and period_key(every, date.fromisoformat(issued[:10])) > period
        and _PERIOD[every].fullmatch(period)
    ):
        raise InvalidArgument(f"Kỳ {period} trước ngày ban hành văn bản ({issued[:10]}): nhiệm vụ chưa có.")
    return period


def new_entry(t: dict[str, Any], state: str, note: str, period: str, author: str,
              evidence: dict[str, Any] | None = None, now: datetime | None = None) -> dict[str, Any]:  # fmt: skip
    import json

    return {
        "id": f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}", "task_id": t["task_id"], "doc_id": t["doc_id"], "period": period,
        "state": state, "note": (note or "").strip(), "author": author,
        "evidence": json.dumps(evidence, ensure_ascii=False) if evidence else None,
        "at": (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds"),
    }  # fmt: skip


def entry_json(e: dict[str, Any]) -> dict[str, Any]:
    import json

    return {"id": e["id"], "task_id": e["task_id"], "period": e["period"] or None, "state": e["state"],
            "state_vi": STATES.get(e["state"], e["state"]), "note": e["note"], "author": e["author"],
            "at": e["at"], "evidence": json.loads(e["evidence"]) if e.get("evidence") else None}  # fmt: skip


def latest(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The standing record of each (task, period): the latest written (entries oldest first)."""
    out: dict[str, dict[str, Any]] = {}
    for e in entries:
        out[f"{e['task_id']}\n{e['period']}"] = e
    return out


def last_due_period(deadline: dict[str, Any] | None, first: date | None, at: date) -> tuple[str, date] | None:
    """The most recent period of recurring work whose due day has passed on `at` (its name and due day);
    none before the work began (`first`: the deadline's start, else the document's date)."""
    from .followup import _anchor_dates

    every = frequency(deadline)
    if every is None:
        return None
    on = deadline.get("on") if deadline else None
    if on:
        past = [d for d in _anchor_dates(on, at - timedelta(days=366)) if d < at]
    else:
        past = [period_start(every, period_key(every, at)) - timedelta(days=1)]  # the last period's end
    past = [d for d in past if first is None or d >= first]
    return (period_key(every, past[-1]), past[-1]) if past else None
