"""Next due day and lateness from a deadline's structure, as `tracuu tasks --due-before/--overdue` use them."""

from __future__ import annotations

from datetime import date

from tracuu.ingest.deadlines import parse_deadline
from tracuu.knowledge.followup import next_due, overdue, select


def test_fixed_deadlines_are_late_after_their_day_only():
    d = parse_deadline("trước ngày 20/12/2021", "2021-11-29")
    assert next_due(d, date(2021, 12, 1)) == date(2021, 12, 19)
    assert not overdue(d, date(2021, 12, 19)) and overdue(d, date(2021, 12, 20))
    quarter = parse_deadline("Quý I/2026")
    assert next_due(quarter, date(2026, 1, 5)) == date(2026, 3, 31) and overdue(quarter, date(2026, 4, 1))


def test_work_that_goes_on_rolls_to_the_running_year_and_is_late_per_year():
    d = parse_deadline("Năm 2026 và các năm tiếp theo", "2025-11-19")
    assert next_due(d, date(2027, 3, 1)) == date(2027, 12, 31)
    assert overdue(d, date(2027, 3, 1)) and not overdue(d, date(2027, 3, 1), standing={"2026": "done"})
    assert next_due(parse_deadline("thường xuyên"), date(2026, 1, 1)) is None
    assert next_due(parse_deadline("khi có yêu cầu"), date(2026, 1, 1)) is None


def test_recurrences_fall_due_on_their_day_or_at_the_end_of_the_period():
    yearly = parse_deadline("định kỳ hằng năm trước ngày 15/12")
    assert next_due(yearly, date(2026, 12, 14)) == date(2026, 12, 14)
    assert next_due(yearly, date(2026, 12, 15)) == date(2027, 12, 14)
    assert next_due(parse_deadline("hằng quý"), date(2026, 5, 2)) == date(2026, 6, 30)
    assert next_due(parse_deadline("6 tháng một lần"), date(2026, 7, 2)) == date(2026, 12, 31)
    q = parse_deadline("trước ngày 20 tháng cuối quý")
    assert next_due(q, date(2026, 6, 20)) == date(2026, 9, 19)
    assert overdue(yearly, date(2030, 1, 1))  # 2029's report is not recorded done


def test_select_orders_by_due_day():
    tasks = [{"id": i, "deadline_parsed": parse_deadline(t, "2025-11-18")} for i, t in enumerate(
        ["Quý I/2026", "trước ngày 05 tháng 12 năm 2025", "thường xuyên", "Tháng 11/2025", None])]  # fmt: skip
    at = date(2025, 12, 10)
    assert [t["id"] for t in select(tasks, at, due_before=date(2026, 1, 1))] == [3, 1]
    assert [t["id"] for t in select(tasks, at, late=True)] == [3, 1]
    assert [t["id"] for t in select(tasks, at, due_before=date(2026, 4, 1), late=False)] == [3, 1, 0]
    assert select(tasks, at) == tasks


def test_calendar_rules_expand_to_the_days_the_words_say():
    from datetime import datetime

    from dateutil.rrule import rrulestr

    from tracuu.knowledge.ical import schedule

    def days(text: str, issued: date, n: int = 3) -> list[str]:
        (first, rule), *_ = schedule(parse_deadline(text, issued.isoformat()), issued)
        if rule is None:
            return [first.isoformat()]
        r = rrulestr(rule, dtstart=datetime.combine(first, datetime.min.time()))
        return [d.date().isoformat() for d in r[:n]]

    assert days("trước ngày 20 tháng cuối quý", date(2014, 6, 28)) == [
        "2014-09-19",
        "2014-12-19",
        "2015-03-19",
    ]
    assert days("hằng quý", date(2014, 6, 28)) == ["2014-06-30", "2014-09-30", "2014-12-31"]
    assert days("định kỳ 6 tháng", date(2025, 7, 1)) == ["2025-12-31", "2026-06-30", "2026-12-31"]
    assert days("định kỳ hằng năm trước ngày 15/12", date(2025, 12, 20)) == [
        "2026-12-14",
        "2027-12-14",
        "2028-12-14",
    ]
    assert days("Năm 2026 và các năm tiếp theo", date(2025, 11, 19)) == [
        "2026-12-31",
        "2027-12-31",
        "2028-12-31",
    ]
    assert days("hằng tháng", date(2025, 1, 15)) == ["2025-01-31", "2025-02-28", "2025-03-31"]
    assert days("Chậm nhất ngày 10/12/2025", date(2025, 11, 18)) == ["2025-12-10"]
    assert schedule(parse_deadline("thường xuyên"), date(2025, 1, 1)) == []
