"""An agency's deadlines as an iCalendar file (RFC 5545) that Outlook, Thunderbird and Google Calendar open:
one all-day event per dated task, recurring work with a real recurrence rule ("trước ngày 15/12 hằng năm":
FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=14; "hằng quý" without a day: the last day of each quarter).

Written by hand (the format is plain text: escaped, folded at 75 octets, CRLF); read back in the tests with
the `icalendar` library, whose expansion of each rule is checked against the deadline's words."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

from .followup import _period_end

_LAST_MONTHS = {"year": "12", "half_year": "6,12", "quarter": "3,6,9,12"}


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\n", "\\n")
    )


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


def _first_on_or_after(candidates: list[date], start: date) -> date | None:
    return next((d for d in sorted(candidates) if d >= start), None)


def schedule(deadline: dict[str, Any] | None, issued: date) -> list[tuple[date, str | None]]:
    """(first day, RRULE or None) for each event a deadline makes; none for continuous work or a condition."""
    if not deadline:
        return []
    kind, every = deadline["kind"], deadline.get("every")
    if kind in ("date", "period", "relative"):
        if not deadline.get("due"):
            return []
        due = date.fromisoformat(deadline["due"])
        return [(due, "FREQ=YEARLY" if deadline.get("ongoing") and every == "year" else None)]
    if kind != "recurrence":
        return []
    on = deadline.get("on")
    if on:
        out = []
        for a in on if isinstance(on, list) else [on]:
            months = [a["month"]] if "month" in a else [3, 6, 9, 12]
            days = []
            for y in (issued.year, issued.year + 1):
                for m in months:
                    try:
                        days.append(date(y, m, a["day"]))
                    except ValueError:
                        continue
            first = _first_on_or_after(days, issued)
            if first:
                out.append((first, f"FREQ=YEARLY;BYMONTH={','.join(map(str, months))};BYMONTHDAY={a['day']}"))
        return out
    if every == "month":
        return [(_period_end("month", issued), "FREQ=MONTHLY;BYMONTHDAY=-1")]
    if every == "week":
        return [(_period_end("week", issued), "FREQ=WEEKLY;BYDAY=SU")]
    if every in _LAST_MONTHS:
        return [(_period_end(every, issued), f"FREQ=YEARLY;BYMONTH={_LAST_MONTHS[every]};BYMONTHDAY=-1")]
    return []  # "định kỳ" with no frequency: nothing to put on a calendar


def calendar(
    agency: str, tasks: list[tuple[dict[str, Any], str | None, str]], now: datetime | None = None
) -> str:
    """The VCALENDAR text for `tasks` (each a task JSON, its document's ISO date and the agency's role)."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tracuu//Han nhiem vu//VI", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{_escape('Hạn nhiệm vụ — ' + agency)}"]  # fmt: skip
    for t, issued, role in tasks:
        start = date.fromisoformat(issued[:10]) if issued else date.today()
        key = hashlib.sha1(f"{t['doc_id']}\n{t['section']}\n{t['task']}".encode()).hexdigest()[:20]
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
                "BEGIN:VEVENT", f"UID:{key}-{i}@tracuu", f"DTSTAMP:{stamp}", f"DTSTART;VALUE=DATE:{_d(day)}",
                f"DTEND;VALUE=DATE:{_d(day + timedelta(days=1))}", *([f"RRULE:{rule}"] if rule else []),
                f"SUMMARY:{_escape(f'Hạn ({role}): {summary}')}", f"DESCRIPTION:{_escape(chr(10).join(about))}",
                "TRANSP:TRANSPARENT", "END:VEVENT",
            ]  # fmt: skip
            lines += event
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))
