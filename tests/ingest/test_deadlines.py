"""Deadlines as data: every deadline phrase of the 20 real plans' gold (120 distinct, structure annotated by
hand from the words) and 40 written apart from them (relative deadlines, recurrences with a day, lists of
months or quarters sharing a year) read into kind, start, due, recurrence and continuation."""

from __future__ import annotations

import pytest

from tracuu.evaluation.evaluate_deadlines import SETS, deadlines_eval
from tracuu.ingest.deadlines import parse_deadline


@pytest.mark.parametrize("name", sorted(SETS))
def test_gold_structures(name):
    out = deadlines_eval(SETS[name])
    assert out["phrases"] >= 40 and out["accuracy"]["all"] >= 0.95, out["misses"]


def test_words_kept_and_unaccented_alike():
    d = parse_deadline("Trước ngày 20/12/2021", "2021-11-29")
    assert d["text"] == "Trước ngày 20/12/2021" and d["kind"] == "date" and d["due"] == "2021-12-19"
    assert {
        k: v for k, v in parse_deadline("truoc ngay 20/12/2021", "2021-11-29").items() if k != "text"
    } == {k: v for k, v in d.items() if k != "text"}
    assert parse_deadline(None) is None and parse_deadline("  ") is None


def test_relative_from_the_documents_date():
    # 2025-03-07 is a Friday: five working days later is Friday 14 March
    d = parse_deadline("trong thời hạn 05 ngày làm việc kể từ ngày ký", "2025-03-07")
    assert d["kind"] == "relative" and d["due"] == "2025-03-14"
    assert d["after"] == {"amount": 5, "unit": "working_day", "from": "ky"}
    assert parse_deadline("trong 30 ngày kể từ ngày ký", "2025-01-31")["due"] == "2025-03-02"
    assert parse_deadline("trong 01 tháng kể từ ngày ban hành", "2025-01-31")["due"] == "2025-02-28"
    unknown = parse_deadline("trong 30 ngày kể từ ngày nhận được hồ sơ hợp lệ", "2025-01-31")
    assert unknown["kind"] == "relative" and unknown["due"] is None and unknown["after"]["amount"] == 30
    assert parse_deadline("trong 30 ngày kể từ ngày ký")["due"] is None  # no document date: no day


def test_recurrence_days_in_each_period():
    d = parse_deadline("định kỳ hằng năm trước ngày 15/12", "2025-03-10")
    assert d["kind"] == "recurrence" and d["every"] == "year" and d["on"] == {"month": 12, "day": 14}
    q = parse_deadline("Định kỳ hằng quý, trước ngày 20 tháng cuối quý")
    assert q["every"] == "quarter" and q["on"] == {"day": 19, "month_of_quarter": 3}
    assert parse_deadline("trước ngày 01/01 hằng năm")["on"] == {"month": 12, "day": 31}


def test_a_year_in_a_name_is_not_a_deadline():
    d = parse_deadline("Theo tiến độ được giao của Luật An ninh mạng 2025", "2025-11-29")
    assert d["kind"] == "event" and d["due"] is None


@pytest.mark.parametrize(
    ("text", "issued", "want"),
    [  # phrases an independent review wrote, each a bug it found (kind, start, due, every, on)
        (
            "Hằng năm, trước ngày 29/02",
            "2024-01-10",
            ("recurrence", None, None, "year", {"month": 2, "day": 28}),
        ),
        ("trước ngày 31/4", None, ("event", None, None, None, None)),  # no such day: no crash, no time
        (
            "trước ngày 10/01",
            "2025-12-10",
            ("date", None, "2026-01-09", None, None),
        ),  # not before the document
        ("Trước 15/01 năm sau", "2025-12-10", ("date", None, "2026-01-14", None, None)),
        ("Trước ngày 20/11 năm 2025", "2025-01-01", ("date", None, "2025-11-19", None, None)),
        (
            "Hoàn thành trong 6 tháng",
            "2025-01-01",
            ("event", None, None, None, None),
        ),  # a duration, not a rhythm
        ("3 tháng/lần", None, ("recurrence", None, None, "quarter", None)),
        ("trước ngày 25 hằng tháng", None, ("recurrence", None, None, "month", {"day": 24})),
        (
            "trước ngày 15/6 và 15/12 hằng năm",
            None,
            ("recurrence", None, None, "year", [{"month": 6, "day": 14}, {"month": 12, "day": 14}]),
        ),  # fmt: skip
        ("Trong thời hạn 15 ngày, kể từ ngày ký", "2025-01-01", ("relative", None, "2025-01-16", None, None)),
        ("Trong 01 tháng kể từ ngày ký", "2025-03-31", ("relative", None, "2025-04-30", None, None)),
    ],
)
def test_review_phrases(text, issued, want):
    d = parse_deadline(text, issued)
    assert (d["kind"], d["start"], d["due"], d["every"], d["on"]) == want
    assert parse_deadline("trước ngày 30/6 và 31/12/2025", "2024-11-01")["milestones"] == [
        "2025-06-29",
        "2025-12-30",
    ]
