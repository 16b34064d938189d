"""Questions that name a province or an issuer are answered from that province's or issuer's documents:
with several provinces' plans in one knowledge base, "who leads X" has one answer per province."""

from __future__ import annotations

import pytest

from conftest import indexed_home, loaded_index, product_store

TASK = "triển khai hồ sơ sức khỏe điện tử cho người dân trên địa bàn"


def plan(issuer: str, place: str, number: str, lead: str) -> str:
    return f"""ỦY BAN NHÂN DÂN
TỈNH {issuer}
-------
Số: {number}
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
{place}, ngày 05 tháng 3 năm 2024

KẾ HOẠCH
Chuyển đổi số trong lĩnh vực y tế năm 2024

I. NHIỆM VỤ
1. {lead} chủ trì, phối hợp với các cơ quan liên quan {TASK} tỉnh; hoàn thành trong quý III năm 2024.
2. Sở Tài chính chủ trì bố trí kinh phí thực hiện Kế hoạch này.
"""


NOTICE = f"""VĂN PHÒNG CHÍNH PHỦ
-------
Số: 77/TB-VPCP
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Hà Nội, ngày 10 tháng 4 năm 2024

THÔNG BÁO
Kết luận của Thủ tướng Chính phủ về chuyển đổi số y tế

1. Giao Bộ Y tế chủ trì, phối hợp với Bộ Tài chính {TASK} cả nước, hoàn thành trong năm 2024.
"""


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    from tracuu.index.embed import DEFAULT_MODEL, Embedder
    from tracuu.index.search import Searcher

    folder = tmp_path_factory.mktemp("docs")
    texts = {
        "ke-hoach-quang-ngai.txt": plan("QUẢNG NGÃI", "Quảng Ngãi", "88/KH-UBND", "Sở Y tế"),
        "ke-hoach-gia-lai.txt": plan("GIA LAI", "Gia Lai", "41/KH-UBND", "Sở Khoa học và Công nghệ"),
        "thong-bao-vpcp.txt": NOTICE,
    }
    paths = []
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    home = indexed_home(tmp_path_factory.mktemp("home"), paths)
    store = product_store(home)
    yield Searcher(store, loaded_index(home), Embedder(DEFAULT_MODEL))
    store.close()


names = {
    "ke-hoach-quang-ngai": "Quảng Ngãi",
    "ke-hoach-gia-lai": "Gia Lai",
    "thong-bao-vpcp": "Văn phòng Chính phủ",
}


def doc_of(result) -> set[str]:
    return {e["doc_id"] for e in result["evidence"]}


@pytest.mark.parametrize(
    ("question", "lead", "doc"),
    [
        (f"Ở Quảng Ngãi, cơ quan nào chủ trì {TASK}?", "Sở Y tế", "ke-hoach-quang-ngai"),
        (f"Tại tỉnh Gia Lai, đơn vị nào chủ trì {TASK}?", "Sở Khoa học và Công nghệ", "ke-hoach-gia-lai"),
        ("gia lai don vi nao chu tri trien khai ho so suc khoe dien tu", "Sở Khoa học và Công nghệ", "ke-hoach-gia-lai"),
        ("quang ngai co quan nao chu tri trien khai ho so suc khoe dien tu", "Sở Y tế", "ke-hoach-quang-ngai"),
        (f"Bộ nào được giao chủ trì {TASK} theo thông báo của Văn phòng Chính phủ?", "Bộ Y tế", "thong-bao-vpcp"),
    ],
)  # fmt: skip
def test_a_named_province_or_issuer_scopes_the_answer(searcher, question, lead, doc):
    from tracuu.knowledge.answer import ask

    result = ask(searcher, question)
    assert result["question"] == question
    assert result["answer"]["lead"] == lead
    assert result["scope"]["documents"] == [doc]
    assert result["scope"]["names"] == [names[doc]]  # as the documents write them, however it was typed
    assert doc_of(result) == {doc}


def test_without_a_place_every_document_answers(searcher):
    from tracuu.knowledge.answer import ask

    result = ask(searcher, f"Cơ quan nào chủ trì {TASK}?")
    assert "scope" not in result
    assert len(doc_of(result)) >= 2


def test_a_province_with_no_document_is_not_answered_from_another(searcher):
    """ "Ở Cà Mau, …" with no plan of Cà Mau in the knowledge base: saying so, not Quảng Ngãi's answer."""
    from tracuu.knowledge.answer import ask

    result = ask(searcher, f"Ở Cà Mau, cơ quan nào chủ trì {TASK}?")
    assert result["answer"]["lead"] is None and result["evidence"] == []
    assert "Cà Mau" in result["answer"]["text"]
    assert result["scope"] == {"names": ["Cà Mau"], "documents": []}


def test_an_issuer_named_as_the_subject_does_not_scope(searcher):
    """ "Bộ Y tế chủ trì những nhiệm vụ nào?" asks about Bộ Y tế's duties wherever they are; only "theo …
    của Văn phòng Chính phủ" makes an issuer the source. (Here no document is issued by Bộ Y tế, and the
    name of the notice's issuer is not in the question.)"""
    from tracuu.knowledge.scope import question_scope

    headers = searcher.store.headers()
    assert question_scope(headers, "Văn phòng Chính phủ có nhiệm vụ gì?") is None
    # asks for one of the issuer's documents, wherever it is cited: no scope (it hid the seed plan's answer)
    assert question_scope(headers, "Kế hoạch thực hiện thông báo nào của Văn phòng Chính phủ?") is None
    scoped = question_scope(headers, "theo thông báo của văn phong chinh phu, bo nao chu tri?")
    assert scoped is not None and scoped.docs == ("thong-bao-vpcp",)
