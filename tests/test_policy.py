"""Policy questions: their kind, typed with or without diacritics, and amounts given as a coefficient of a
base amount defined in another article."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from tracuu.index.policy import policy_kind
from tracuu.ingest.normalize import fold

QUESTIONS = ROOT / "tests" / "data" / "policy_questions.jsonl"


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Văn bản nào quy định mức trợ cấp xã hội hàng tháng?", "document"),
        ("Người khuyết tật nặng được hưởng trợ cấp xã hội hàng tháng bao nhiêu?", "amount"),
        ("Mức phạt khi không khai báo tạm trú là bao nhiêu tiền?", "amount"),
        ("Hồ sơ đề nghị trợ cấp gồm những giấy tờ gì?", "procedure"),
        ("Trong bao lâu phải giải quyết đơn đề nghị?", "deadline"),
        ("Ai có thẩm quyền quyết định tiếp nhận đối tượng vào cơ sở trợ giúp xã hội?", "authority"),
        ("Những ai được hưởng trợ cấp xã hội hàng tháng?", "eligibility"),
        ("Cơ quan nào chủ trì tổ chức Tuần lễ văn hóa ASEAN?", None),  # who leads a task: no policy question
    ],
)
def test_policy_kinds_with_and_without_diacritics(question, kind):
    assert policy_kind(question) == kind
    assert policy_kind(fold(question)) == kind


def test_the_policy_question_set_is_well_formed():
    """72 questions, twelve of each kind, a third typed without diacritics; each names one article and a
    phrase of it (bench/bench_policy_questions.py scores `ask` on them)."""
    items = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(items) >= 60 and len({i["id"] for i in items}) == len(items)
    assert sum(not i["accented"] for i in items) * 3 >= len(items)
    for i in items:
        text = (ROOT / "corpus" / i["file"]).read_text(encoding="utf-8")
        assert i["article"].startswith("Điều ") and i["answer_contains"] in text, i
        assert i["accented"] or i["question"] == fold(i["question"]), i
