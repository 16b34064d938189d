"""Progress on assigned tasks: each agency records, per task (and per period for recurring work), whether
it has not started, is under way or is done, with a note — an append-only history, the latest record per
period standing. The task's id names its document, unit and words, so a re-read document keeps it.

Periods follow the deadline's recurrence: "2025" (yearly, or "định kỳ" with no frequency), "2025-H1",
"2025-Q3", "2025-07", "2025-W07"; a one-off task has none."""

from __future__ import annotations

import hashlib
import json
import re
import time
import uuid
from datetime import UTC, date, datetime
from typing import Any

from tracuu.core.errors import InvalidArgument

from .periods import EVERY_VI, EXAMPLE, frequency, period_key, period_start

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


def check_period(deadline: dict[str, Any] | None, period: str | None, issued: str | None, today: date,
                 pending: str | None = None) -> str:  # fmt: skip
    """The period a new record is for: the one named (checked against the task's recurrence, not before the
    document, not in the future), else `pending` (the last period that fell due and is not done: a late
    report is for it), else the running one; "" for one-off work."""
    every = frequency(deadline)
    period = (period or "").strip()
    if every is None:
        if period:
            raise InvalidArgument(f"Nhiệm vụ này không định kỳ: không ghi kỳ báo cáo ('{period[:40]}').")
        return ""
    if not period:
        return pending or period_key(every, today)
    try:
        start = period_start(every, period)
    except ValueError:
        raise InvalidArgument(f"Kỳ '{period[:40]}' không hợp lệ cho nhiệm vụ {EVERY_VI[every]}: ghi dạng "
                              f"{EXAMPLE[every]}.") from None  # fmt: skip
    if start > today:
        raise InvalidArgument(f"Kỳ {period} chưa bắt đầu: không ghi tiến độ trước cho kỳ tương lai.")
    if issued and period_key(every, date.fromisoformat(issued[:10])) > period:
        raise InvalidArgument(f"Kỳ {period} trước ngày ban hành văn bản ({issued[:10]}): nhiệm vụ chưa có.")
    return period


def new_entry(t: dict[str, Any], state: str, note: str, period: str, author: str,
              evidence: dict[str, Any] | None = None, now: datetime | None = None) -> dict[str, Any]:  # fmt: skip
    return {
        "id": f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}", "task_id": t["task_id"], "doc_id": t["doc_id"], "period": period,
        "state": state, "note": (note or "").strip(), "author": author,
        "evidence": json.dumps(evidence, ensure_ascii=False) if evidence else None,
        "at": (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds"),
    }  # fmt: skip


def entry_json(e: dict[str, Any]) -> dict[str, Any]:
    return {"id": e["id"], "task_id": e["task_id"], "period": e["period"] or None, "state": e["state"],
            "state_vi": STATES.get(e["state"], e["state"]), "note": e["note"], "author": e["author"],
            "at": e["at"], "evidence": json.loads(e["evidence"]) if e.get("evidence") else None}  # fmt: skip


def latest(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The standing record of each (task, period): the latest written (entries oldest first)."""
    out: dict[str, dict[str, Any]] = {}
    for e in entries:
        out[f"{e['task_id']}\n{e['period']}"] = e
    return out
