"""The measures themselves: a gold assignment is scored against one extracted task of its own size, every
extracted task counts for one gold item at most, and the real-plan measure holds its level."""

from __future__ import annotations

import pytest

from conftest import PLANS, needs_shared
from tracuu.evaluation.evaluate_tasks import GOLD_DIR, match, read_gold, real_plans_eval, score


def task(text: str, lead: str, **extra) -> dict:
    return {"task": text, "lead": lead, "cooperating": [], "co_leads": [], "deadline": None, **extra}


GOLD = [
    {"id": "a", "task_contains": "xây dựng kho dữ liệu", "task_chars": 60, "lead": "Sở Thông tin và Truyền thông"},
    {"id": "b", "task_contains": "số hóa hồ sơ thủ tục", "task_chars": 60, "lead": "Sở Thông tin và Truyền thông"},
    {"id": "c", "task_contains": "bố trí kinh phí thực hiện", "task_chars": 60, "lead": "Sở Tài chính",
     "cooperating": ["Sở Kế hoạch và Đầu tư"], "deadline": "Quý IV năm 2024"},
]  # fmt: skip


def test_one_run_together_task_satisfies_one_gold_item_only():
    """The old scorer passed a gold item when its phrase was anywhere in a task with the right lead: one
    task made of several items satisfied all of them."""
    together = task("Sở TT&TT xây dựng kho dữ liệu dùng chung; số hóa hồ sơ thủ tục hành chính.", "Sở TT&TT")
    s, matches = score([together], GOLD[:2])
    assert (s.lead_right, s.gold, s.extracted) == (1, 2, 1)
    assert [m.lead_ok for m in matches] == [True, False]


def test_a_task_far_longer_than_its_gold_item_does_not_count():
    long = task(
        "Sở TT&TT xây dựng kho dữ liệu dùng chung. " + "Nội dung khác của một mục khác. " * 20, "Sở TT&TT"
    )
    assert score([long], GOLD[:1])[0].lead_right == 0
    short = task("Sở TT&TT xây dựng kho dữ liệu dùng chung của tỉnh.", "Sở Thông tin và Truyền thông")
    assert score([short], GOLD[:1])[0].lead_right == 1


def test_precision_partners_and_deadlines_are_scored():
    tasks = [
        task("Xây dựng kho dữ liệu dùng chung.", "Sở Thông tin và Truyền thông"),
        task("Số hóa hồ sơ thủ tục hành chính.", "Văn phòng UBND tỉnh"),  # wrong lead
        task(
            "Bố trí kinh phí thực hiện các nhiệm vụ.",
            "Sở Tài chính",
            cooperating=["Sở KH&ĐT"],
            deadline="trong Quý IV năm 2024",
        ),  # fmt: skip
        task("Mục đích, yêu cầu của Kế hoạch.", "Sở Tài chính"),  # no gold item: a false positive
    ]
    s, matches = score(tasks, GOLD)
    rates = s.rates()
    assert (rates["lead_recall"], rates["lead_precision"]) == (round(2 / 3, 4), 0.5)
    assert rates["cooperating_accuracy"] == 1.0 and rates["deadline_recall"] == 1.0
    assert matches[1].task is tasks[1] and not matches[1].lead_ok


def test_co_leads_must_be_the_same_agencies_one_to_one():
    gold = [{"task_contains": "hướng dẫn cơ chế ưu đãi", "task_chars": 80, "lead": "Bộ Xây dựng",
             "leads": ["Bộ Xây dựng", "Bộ Tài chính"]}]  # fmt: skip
    one = task("Hướng dẫn cơ chế ưu đãi vốn.", "Bộ Xây dựng")
    two = task("Hướng dẫn cơ chế ưu đãi vốn.", "Bộ Xây dựng", co_leads=["Bộ Tài chính"])
    assert [m.leads_ok for m in match([one], gold)] == [False]
    assert [m.leads_ok for m in match([two], gold)] == [True]


def test_a_group_list_as_one_lead_names_the_gold_leads():
    """The seed gold writes "Các sở, ban, ngành và UBND các huyện" as one group lead; gold that gives the
    first group as lead and the rest as co-leads names the same bodies: equal, but only for the same bodies."""
    gold = [{"task_contains": "cung cấp thông tin", "task_chars": 80, "lead": "Các Sở, ban, ngành",
             "leads": ["Các Sở, ban, ngành", "UBND cấp xã"]}]  # fmt: skip
    whole = task("Cung cấp thông tin quy hoạch.", "Các Sở, ban, ngành, Ủy ban nhân dân cấp xã")
    fewer = task("Cung cấp thông tin quy hoạch.", "Các Sở, ban, ngành, Sở Tài chính")
    assert [(m.lead_ok, m.leads_ok) for m in match([whole], gold)] == [(True, True)]
    assert [m.lead_ok for m in match([fewer], gold)] == [False]


@needs_shared
def test_real_plans_against_their_complete_gold():
    """Twenty real documents of other provinces and ministries (two scanned, read by OCR), every assignment
    annotated from the documents alone (831 items). Thresholds sit just under the measured values (BENCHMARKS.md):
    a regression fails."""
    out = real_plans_eval(PLANS)
    pooled = out["pooled"]
    assert out["documents"] == len(list(GOLD_DIR.glob("*.jsonl"))) >= 20 and pooled["gold"] >= 830
    assert pooled["lead_recall"] >= 0.915, pooled  # measured 0.919
    assert pooled["lead_precision"] >= 0.935, pooled  # measured 0.936
    assert pooled["cooperating_accuracy"] >= 0.915, pooled  # measured 0.918
    assert pooled["deadline_recall"] >= 0.895, pooled  # measured 0.899
    assert out["mean_per_document"]["lead_recall"] >= 0.9, out["mean_per_document"]  # measured 0.902
    assert out["seconds"] < 120  # all 20 real documents (the scanned ones OCRed) read in under 2 minutes
    held = out["splits"]["held_out"]
    assert held["documents"] == 5 and out["splits"]["development"]["documents"] == out["documents"] - 5
    assert held["pooled"]["lead_recall"] >= 0.895, held  # measured 0.898 on the five still held out
    # (the easier of the seven: 02 and 17, frozen at 0.366 recall, became development documents; a new plan
    # should expect the frozen first measures in BENCHMARKS.md, not this)
    assert all(d["misses"] == "(held out)" for d in out["per_document"] if d["held_out"])  # never shown
    assert all(f["tasks"] is not None for f in out["files"]), out["files"]


@pytest.mark.parametrize("path", sorted(GOLD_DIR.glob("*.jsonl")), ids=lambda p: p.name[:2])
def test_gold_files_are_well_formed(path):
    items = read_gold(path)
    assert items and len({i["id"] for i in items}) == len(items)
    for i in items:
        assert i["lead"] and (not i.get("leads") or i["leads"][0] == i["lead"]), i
        shortest = 10 if i["layout"] == "table" else 20  # a target's cell: "Quy mô kinh tế số"
        assert shortest <= len(i["task_contains"]) <= 90 and i["task_chars"] > 0, i
        assert i["layout"] in {"agency_heading", "lead_line", "labelled_fields", "giao_clause", "table",
                               "legal_duty", "other"}, i  # fmt: skip


def test_cooperating_bodies_count_whichever_way_the_list_was_cut():
    """ "X và Y" in one gold entry names the bodies X and Y; a third body, or one missing, is still wrong."""
    gold = [{"task_contains": "phổ biến chính sách", "task_chars": 60, "lead": "Sở Tư pháp",
             "cooperating": ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và Hội Cựu chiến binh tỉnh"]}]  # fmt: skip
    both = task("Phổ biến chính sách mới.", "Sở Tư pháp")
    both["cooperating"] = ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Hội Cựu chiến binh tỉnh"]
    one = dict(both, cooperating=["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"])
    three = dict(both, cooperating=[*both["cooperating"], "Công an tỉnh"])
    assert [match([t], gold)[0].cooperating_ok for t in (both, one, three)] == [True, False, False]


@needs_shared
def test_zalo_validation_subset_is_fixed_and_holds_every_gold_article():
    """The adapter's validation: questions 4–7 (never 0–3, which train it, nor the test split 8–f) over whole
    Pháp điển documents holding their gold articles, filled with seeded random documents to 6,000 articles."""
    from conftest import SHARED
    from tracuu.evaluation.evaluate import validation_articles, zalo

    subset = validation_articles(SHARED)
    questions = zalo(SHARED, "validation").queries
    assert {q.qid[0] for q in questions} <= set("4567") and len(questions) > 200
    assert {p for q in questions for p in q.gold} <= subset
    assert 6000 <= len(subset) < 6500 and validation_articles(SHARED) == subset
    dev = {q.qid for q in zalo(SHARED, "dev").queries}
    assert {q.qid for q in questions} < dev and not dev & {q.qid for q in zalo(SHARED, "test").queries}
