"""A plan that contradicts itself — its body gives a task to one agency, its appendix table to another — is
answered with both, each with its citation: which is right is for the reader, not for a silent pick."""

from __future__ import annotations

import pytest

from conftest import indexed_home, loaded_index, product_store

PLAN = """ỦY BAN NHÂN DÂN
TỈNH GIA LAI
-------
Số: 41/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Gia Lai, ngày 05 tháng 3 năm 2024

KẾ HOẠCH
Chuyển đổi số trong lĩnh vực y tế năm 2024

I. NHIỆM VỤ
1. Sở Y tế chủ trì triển khai hồ sơ sức khỏe điện tử cho người dân trên địa bàn tỉnh, hoàn thành trong quý III năm 2024.
2. Sở Tài chính chủ trì bố trí kinh phí thực hiện Kế hoạch này.

PHỤ LỤC
DANH MỤC NHIỆM VỤ

| STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |
|---|---|---|---|---|
| 1 | Triển khai hồ sơ sức khỏe điện tử cho người dân trên địa bàn tỉnh | Sở Khoa học và Công nghệ | Sở Y tế | Quý III năm 2024 |
| 2 | Bố trí kinh phí thực hiện Kế hoạch này | Sở Tài chính | Các sở, ngành | Năm 2024 |
"""


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    from tracuu.index.embed import DEFAULT_MODEL, Embedder
    from tracuu.index.search import Searcher

    path = tmp_path_factory.mktemp("docs") / "ke-hoach-41.md"
    path.write_text(PLAN, encoding="utf-8")
    home = indexed_home(tmp_path_factory.mktemp("home"), [path])
    store = product_store(home)
    yield Searcher(store, loaded_index(home), Embedder(DEFAULT_MODEL))
    store.close()


def test_body_and_appendix_disagree_both_are_given(searcher):
    from tracuu.knowledge.answer import ask

    a = ask(searcher, "Cơ quan nào chủ trì triển khai hồ sơ sức khỏe điện tử cho người dân?")["answer"]
    named = {a["lead"], *(c["lead"] for c in a.get("conflicts", []))}
    assert named == {"Sở Y tế", "Sở Khoa học và Công nghệ"}
    assert len(a["conflicts"]) == 1 and "Kế hoạch số 41/KH-UBND" in a["conflicts"][0]["citation"]
    # the appendix is cited as such: the row is not in Mục I.2, whose text ends before "PHỤ LỤC"
    assert {a["conflicts"][0]["citation"].split(",")[0], a["text"].split("(")[1].split(",")[0]} == {
        "Mục I.1",
        "Phụ lục",
    }
    assert "Lưu ý: văn bản cũng giao nội dung này cho" in a["text"]


def test_where_body_and_appendix_agree_there_is_nothing_to_flag(searcher):
    from tracuu.knowledge.answer import ask

    a = ask(searcher, "Cơ quan nào chủ trì bố trí kinh phí thực hiện Kế hoạch?")["answer"]
    assert a["lead"] == "Sở Tài chính" and "conflicts" not in a
