"""Policy questions: their kind, typed with or without diacritics, and amounts given as a coefficient of a
base amount defined in another article."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, product_store
from tracuu.ingest.normalize import fold
from tracuu.knowledge.policy import policy_kind

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


def test_counts_are_no_amounts_and_a_verb_is_no_document():
    """Folded, "lượng", "tiến", "mục" read as "lương", "tiền", "mức": typed with diacritics they are no money."""
    for question in ("Số lượng thành viên Ban chỉ đạo là bao nhiêu?", "Tiến hành bao nhiêu đợt?",
                     "Mục tiêu có bao nhiêu xã?", "Sở Y tế quyết định gì?"):  # fmt: skip
        assert policy_kind(question) is None, question


def test_an_amount_takes_the_base_its_own_clause_names(tmp_path):
    """Two bases in one decree: "hệ số 1,5" under a clause on "mức chuẩn … tại Điều 4" and "hệ số 0,2 mức lương
    cơ sở quy định tại Điều 5" each take their own; a coefficient typed "1.5" is one and a half."""
    from tracuu.index.search import Hit
    from tracuu.ingest.pipeline import ingest_file
    from tracuu.knowledge.policy import amount

    text = """CHÍNH PHỦ
Số: 99/2026/NĐ-CP
NGHỊ ĐỊNH
Quy định chế độ hỗ trợ thử nghiệm

Điều 4. Mức chuẩn trợ giúp xã hội

Mức chuẩn trợ giúp xã hội áp dụng từ ngày 01 tháng 7 năm 2026 là 500.000 đồng/tháng.

Điều 5. Mức lương cơ sở

Mức lương cơ sở áp dụng cho việc tính hỗ trợ là 2.340.000 đồng/tháng.

Điều 6. Mức hỗ trợ

1. Đối tượng được hỗ trợ hàng tháng với mức bằng mức chuẩn trợ giúp xã hội quy định tại Điều 4 Nghị định này nhân với hệ số sau:

a) Hệ số 1.5 đối với người cao tuổi.

2. Người chăm sóc được hỗ trợ bằng hệ số 0,2 mức lương cơ sở quy định tại Điều 5 Nghị định này.
"""
    path = tmp_path / "nghi-dinh-99-2026.md"
    path.write_text(text, encoding="utf-8")
    store = product_store(tmp_path / "home")
    doc = ingest_file(path)
    store.put(doc)

    def hit_for(phrase: str) -> Hit:
        c = next(c for c in store.chunks(doc.doc_id) if phrase in c["text"])
        return Hit(c["chunk_id"], doc.doc_id, doc.header.number, doc.header.title, c["section"], c["text"], None,
                   1.0, "", doc_type="Nghị định", context=c.get("context") or "", start=c["start"], end=c["end"])  # fmt: skip

    first = amount(store, hit_for("Hệ số 1.5"))
    assert first and (first["coefficient"], first["base"], first["value"]) == ("1.5", "500.000", "750.000"), (
        first
    )
    second = amount(store, hit_for("hệ số 0,2"))
    assert second and (second["base"], second["value"]) == ("2.340.000", "468.000"), second
    assert "Điều 5" in second["base_citation"] and "Điều 4" in first["base_citation"]
