"""Typed relations between documents as their texts state them (`ingest.relations`): the decree in the
corpus, and clauses written for the test in the forms the issue names — each type, lists, parts, dates,
and cue words that govern something other than a document."""

from __future__ import annotations

import pytest

from conftest import CORPUS
from tracuu.ingest.relations import find_relations


def _rels(text: str) -> list[tuple[str, str, str, str | None]]:
    return [(r.type, r.other, r.scope, r.date) for r in find_relations(text)]


def test_the_decree_in_the_corpus_ends_one_decree_and_parts_of_three():
    text = (CORPUS / "nghi-dinh-20-2021-ND-CP.md").read_text(encoding="utf-8")
    clause = next(line for line in text.splitlines() if "136/2013/NĐ-CP" in line and "hết hiệu lực" in line)
    assert (
        _rels(clause)
        == [
            ("expires", "136/2013/NĐ-CP", "whole", "on_effect"),
            ("repeals_part", "140/2018/NĐ-CP", "Điều 17", "on_effect"),
            ("repeals_part", "103/2017/NĐ-CP", "các điều từ Điều 40 đến Điều 43", "on_effect"),
            ("repeals_part", "28/2012/NĐ-CP", "các điều từ Điều 15 đến Điều 23", "on_effect"),
        ]
    )  # "quy định chi tiết … Luật Người khuyết tật" is what Nghị định 28/2012 does, not a relation of this one
    spans = {tuple(r.to_dict()["span"]) for r in find_relations(clause)}
    assert spans == {(0, len(clause))}  # each relation keeps the clause that states it


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("Thông tư này có hiệu lực thi hành kể từ ngày 15 tháng 02 năm 2024 và thay thế Thông tư số "
         "07/2019/TT-BTC ngày 01 tháng 3 năm 2019 của Bộ trưởng Bộ Tài chính.",
         [("replaces", "07/2019/TT-BTC", "whole", "2024-02-15")]),
        ("Bãi bỏ khoản 3 Điều 5 và Điều 9 của Quyết định số 12/2020/QĐ-UBND ngày 4/5/2020 của Ủy ban nhân dân "
         "tỉnh Phú Yên.", [("repeals_part", "12/2020/QĐ-UBND", "khoản 3 Điều 5 và Điều 9", None)]),
        ("Bãi bỏ Quyết định số 30/2018/QĐ-UBND, Quyết định số 31/2018/QĐ-UBND và Quyết định số "
         "2/2019/QĐ-UBND của Ủy ban nhân dân tỉnh.",
         [("expires", "30/2018/QĐ-UBND", "whole", None), ("expires", "31/2018/QĐ-UBND", "whole", None),
          ("expires", "2/2019/QĐ-UBND", "whole", None)]),
        ("Nghị định này sửa đổi, bổ sung một số điều của Nghị định số 15/2018/NĐ-CP ngày 02 tháng 02 năm 2018 "
         "của Chính phủ.", [("amends", "15/2018/NĐ-CP", "một số điều", None)]),
        ("Thông tư này hướng dẫn thi hành Nghị định số 20/2021/NĐ-CP ngày 15 tháng 3 năm 2021 của Chính phủ.",
         [("guides", "20/2021/NĐ-CP", "whole", None)]),
        ("Căn cứ Luật Người cao tuổi ngày 23 tháng 11 năm 2009;", [("based_on", "Luật Người cao tuổi", "whole", None)]),
        ("Luật Trẻ em số 25/2004/QH11 hết hiệu lực kể từ ngày 01 tháng 6 năm 2017.",
         [("expires", "25/2004/QH11", "whole", "2017-06-01")]),
    ],
)  # fmt: skip
def test_each_type_as_officials_write_it(clause, expected):
    assert _rels(clause) == expected


@pytest.mark.parametrize(
    "clause",
    [
        "Bãi bỏ thủ tục hành chính quy định tại Quyết định số 12/2015/QĐ-UBND ngày 1/6/2015.",
        "Người khai bổ sung quy định tại khoản 9 Điều 1 Thông tư số 39/2018/TT-BTC thực hiện thủ tục như sau.",
        "Căn cứ vào khả năng cân đối ngân sách, Ủy ban nhân dân tỉnh trình theo Nghị định số 163/2016/NĐ-CP.",
        "Hồ sơ thực hiện theo Nghị định số 83/2013/NĐ-CP ngày 22 tháng 7 năm 2013 của Chính phủ quy định chi tiết "
        "thi hành một số điều của Luật Quản lý thuế.",
        "Giấy phép cấp theo Nghị định số 15/2018/NĐ-CP hết hiệu lực khi tổ chức giải thể.",
        "Trường hợp Quyết định số 12/2020/QĐ-UBND chưa hết hiệu lực thì tiếp tục áp dụng.",
        "Hồ sơ đề nghị bổ sung gồm các giấy tờ sau:\na) Bản sao Quyết định số 12/2020/QĐ-UBND;",
        "Cơ quan thuế loại bỏ Thông tư số 07/2019/TT-BTC khỏi danh mục tra cứu.",
        "Thực hiện theo Nghị định số 15/2018/NĐ-CP.",
    ],
)
def test_a_cue_that_governs_no_document_states_no_relation(clause):
    assert _rels(clause) == []


def test_a_document_amended_by_another_is_one_subject_not_two():
    clause = ("Bộ luật Tố tụng dân sự số 24/2004/QH11 đã được sửa đổi, bổ sung một số điều theo Luật số "
              "65/2011/QH12 hết hiệu lực kể từ ngày Bộ luật này có hiệu lực thi hành.")  # fmt: skip
    assert _rels(clause) == [("expires", "24/2004/QH11", "whole", "on_effect")]


def test_parts_before_a_stipulating_phrase_and_long_lists_read_in_linear_time():
    """ "Bãi bỏ <parts> quy định tại <document>" repeals those parts; a long list of parts with other words
    before the citation once made the parts pattern backtrack exponentially (12 parts: over 16 s)."""
    parts = ", ".join(f"khoản {i} Điều {i}" for i in range(1, 41))
    assert _rels(f"Bãi bỏ {parts} quy định tại Nghị định số 15/2018/NĐ-CP.") == [
        ("repeals_part", "15/2018/NĐ-CP", parts, None)
    ]
    assert _rels("Bãi bỏ " + "Điều 1, " * 6000 + "và các nội dung khác của Nghị định số 15/2018/NĐ-CP.")
