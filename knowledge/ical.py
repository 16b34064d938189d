"""An agency's deadlines as an iCalendar file (RFC 5545) that Outlook, Thunderbird and Google Calendar open:
one all-day event per dated task, recurring work with a real recurrence rule ("trước ngày 15/12 hằng năm":
FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=14; "hằng quý" without a day: the last day of each quarter).

Written by hand (the format is plain text: escaped, folded at 75 octets, CRLF); read back in the tests with
the `icalendar` library, whose expansion of each rule is checked against the deadline's words."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from .periods import anchor_dates, anchors, period_end

_LAST_MONTHS = {"year": "12", "half_year": "6,12", "quarter": "3,6,9,12"}


def _escape(text: str) -> str:
    """TEXT as RFC 5545 writes it: backslash, ";" and "," escaped, line ends as \\n, no control characters."""
    text = re.sub(r"\r\n?", "\n", text)
    text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", text)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """Lines of at most 75 octets, never cut inside a UTF-8 character; continuations begin with a space."""
    out, current, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > (75 if not out else 74):
            out.append(current)
            current, size = "", 0
        current += ch
        size += n
    out.append(current)
    return [out[0]] + [" " + part for part in out[1:]]


def _d(day: date) -> str:
    return day.strftime("%Y%m%d")


def _rule_day(day: int) -> str:
    """BYMONTHDAY for a day some months lack: the last of 28..day in each month (BYSETPOS=-1)."""
    return str(day) if day <= 28 else f"{','.join(str(d) for d in range(28, day + 1))};BYSETPOS=-1"


def schedule(deadline: dict[str, Any] | None, issued: date) -> list[tuple[date, str | None]]:
    """(first day, RRULE or None) for each event a deadline makes: one per due day of dated work (each
    milestone), one per anchor of recurring work, the end of each period without one; none for continuous work
    or a condition. The first day is always an instance of its rule."""
    if not deadline:
        return []
    kind, every = deadline["kind"], deadline.get("every")
    on = anchors(deadline)
    if kind in ("date", "period", "relative") and not (on and deadline.get("ongoing")):
        days = deadline.get("milestones") or ([deadline["due"]] if deadline.get("due") else [])
        return [(date.fromisoformat(d), None) for d in days]
    if kind not in ("recurrence", "date", "period", "relative"):
        return []
    if on:
        out = []
        begin = (
            date.fromisoformat(deadline["due"]) if kind != "recurrence" and deadline.get("due") else issued
        )
        for a in on:
            first = next((d for d in anchor_dates([a], begin) if d >= begin), None)
            if first is None:
                continue
            if "month" in a:
                rule = f"FREQ=YEARLY;BYMONTH={a['month']};BYMONTHDAY={_rule_day(a['day'])}"
            elif "month_of_quarter" in a:
                rule = f"FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY={_rule_day(a['day'])}"
            else:
                rule = f"FREQ=MONTHLY;BYMONTHDAY={_rule_day(a['day'])}"
            out.append((first, rule))
        return out
    end = period_end(every, issued)
    if end is None:
        return []  # "định kỳ" with no frequency: nothing to put on a calendar
    if every == "week":
        return [(end, "FREQ=WEEKLY;BYDAY=SU")]
    if every == "month":
        return [(end, "FREQ=MONTHLY;BYMONTHDAY=-1")]
    return [(end, f"FREQ=YEARLY;BYMONTH={_LAST_MONTHS[every]};BYMONTHDAY=-1")]


def calendar(
    agency: str, tasks: list[tuple[dict[str, Any], str | None, str]], now: datetime | None = None
) -> str:
    """The VCALENDAR text for `tasks` (each a task JSON, its document's ISO date and the agency's role)."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tracuu//Han nhiem vu//VI", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{_escape('Hạn nhiệm vụ — ' + agency)}"]  # fmt: skip
    for t, issued, role in tasks:
        start = date.fromisoformat(issued[:10]) if issued else date.today()
        summary = " ".join(t["task"].split())
        summary = summary if len(summary) <= 90 else summary[:89].rsplit(" ", 1)[0] + "…"
        about = [
            t["task"].strip(),
            f"Thời hạn: {t['deadline']}",
            f"Vai trò: {role}",
            f"Chủ trì: {t['lead'] or '(chưa rõ)'}",
        ]
        if t.get("cooperating"):
            about.append("Phối hợp: " + "; ".join(t["cooperating"]))
        about.append(t["citation"])
        for i, (day, rule) in enumerate(schedule(t.get("deadline_parsed"), start)):
            event = [
                "BEGIN:VEVENT", f"UID:{t['task_id']}-{i}@tracuu", f"DTSTAMP:{stamp}", f"DTSTART;VALUE=DATE:{_d(day)}",
                f"DTEND;VALUE=DATE:{_d(day + timedelta(days=1))}", *([f"RRULE:{rule}"] if rule else []),
                f"SUMMARY:{_escape(f'Hạn ({role}): {summary}')}", f"DESCRIPTION:{_escape(chr(10).join(about))}",
                "TRANSP:TRANSPARENT", "END:VEVENT",
            ]  # fmt: skip
            lines += event
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))
