"""Progress periods, states and lateness per period, from the deadline's structure."""

from __future__ import annotations

from datetime import date

import pytest

from tracuu.core.errors import InvalidArgument
from tracuu.ingest.deadlines import parse_deadline
from tracuu.knowledge.followup import first_day, overdue
from tracuu.knowledge.periods import last_due as last_due_period
from tracuu.knowledge.periods import period_key
from tracuu.knowledge.progress import check_period, state_of


def test_states_by_code_or_vietnamese_name():
    assert state_of("done") == state_of("Hoàn thành") == state_of("hoan thanh") == "done"
    assert state_of("đang thực hiện") == "in_progress"
    with pytest.raises(InvalidArgument):
        state_of("xong")


def test_periods_follow_the_recurrence():
    quarterly = parse_deadline("hằng quý", "2025-01-09")
    assert check_period(quarterly, None, "2025-01-09", date(2025, 8, 1)) == "2025-Q3"
    assert check_period(quarterly, "2025-Q1", "2025-01-09", date(2025, 8, 1)) == "2025-Q1"
    for bad in ("2025", "2025-Q5", "2025-Q4", "2024-Q4"):
        with pytest.raises(InvalidArgument):
            check_period(quarterly, bad, "2025-01-09", date(2025, 8, 1))
    assert (
        period_key("half_year", date(2025, 7, 1)) == "2025-H2"
        and period_key("week", date(2025, 1, 1)) == "2025-W01"
    )
    once = parse_deadline("trước ngày 20/12/2021", "2021-11-29")
    assert check_period(once, None, "2021-11-29", date(2022, 1, 1)) == ""
    with pytest.raises(InvalidArgument):
        check_period(once, "2021", "2021-11-29", date(2022, 1, 1))


def test_recurring_work_is_late_for_the_last_period_not_done():
    d = parse_deadline("định kỳ hằng năm trước ngày 15/12", "2021-11-29")
    first = first_day(d, "2021-11-29")
    assert last_due_period(d, first, date(2021, 12, 1)) is None  # nothing fell due yet
    assert last_due_period(d, first, date(2023, 1, 10)) == ("2022", date(2022, 12, 14))
    assert overdue(d, date(2023, 1, 10), first, {})
    assert overdue(d, date(2023, 1, 10), first, {"2022": "in_progress", "2021": "done"})
    assert not overdue(d, date(2023, 1, 10), first, {"2022": "done"})
    quarterly = parse_deadline("hằng quý", "2025-01-09")
    assert last_due_period(quarterly, first_day(quarterly, "2025-01-09"), date(2025, 8, 1)) == (
        "2025-Q2",
        date(2025, 6, 30),
    )
    yearly_from = parse_deadline("Năm 2026 và các năm tiếp theo", "2025-11-19")
    assert last_due_period(yearly_from, first_day(yearly_from, "2025-11-19"), date(2026, 6, 1)) is None
    assert overdue(yearly_from, date(2027, 2, 1), first_day(yearly_from, "2025-11-19"), {})


def test_bad_periods_are_refused_not_crashes_and_a_late_report_goes_to_its_period():
    yearly = parse_deadline("hằng năm", "2021-11-29")
    weekly = parse_deadline("hằng tuần", "2021-11-29")
    for deadline, bad in ((yearly, "0000"), (weekly, "2025-W53"), (yearly, "２０２５")):
        with pytest.raises(InvalidArgument):
            check_period(deadline, bad, "2021-11-29", date(2026, 1, 5))
    quarterly = parse_deadline("hằng quý", "2025-01-09")
    assert check_period(quarterly, None, "2025-01-09", date(2025, 10, 5), pending="2025-Q3") == "2025-Q3"
    assert not overdue(
        parse_deadline("Định kỳ"), date(2030, 1, 2), None, {}
    )  # no rhythm: never due, never late
    dated = parse_deadline("Trước ngày 15/12/2025 và các năm tiếp theo", "2025-11-01")
    first = first_day(dated, "2025-11-01")
    assert (
        overdue(dated, date(2025, 12, 20), first, {})
        and last_due_period(dated, first, date(2026, 12, 20))[0] == "2026"
    )
