"""Header parsing on the seed plan, the shipped corpus and documents written for the tests."""

from __future__ import annotations

from conftest import CORPUS
from tracuu.ingest.header import issuer_names, normalize_number, parse_header, type_from_number
from tracuu.ingest.pipeline import ingest_file


def test_seed_header(seed_doc):
    h = seed_doc.header
    assert h.number == "1212/KH-UBND"
    assert h.date == "2021-11-29"
    assert h.issuer == "UBND tỉnh Khánh Hòa"
    assert h.issuer_full == "Ủy ban nhân dân tỉnh Khánh Hòa"
    assert h.type == "Kế hoạch"
    assert h.title.startswith("Thực hiện Đề án xây dựng và triển khai Kế hoạch")
    assert h.title.endswith("giai đoạn 2021-2025")
    assert "Báo Khánh Hòa" in h.recipients
    assert h.signer is None  # the seed text has no signature block: never guessed


def test_received_stamp_is_not_the_number(seed_doc):
    """ "CÔNG VĂN ĐỀN Số: 3HST Ngày 02/12/2021" is a received-mail stamp, not the document's number."""
    assert "3HST" not in (seed_doc.header.number or "")
    assert not any("3HST" in u.heading for u in seed_doc.units)
    assert not any("CÔNG VĂN ĐỀN" in c.text for c in seed_doc.chunks)


def test_stamp_before_the_real_number():
    text = (
        "SỞ Y TẾ TỈNH KHÁNH HÒA\nCÔNG VĂN ĐẾN\nSố: 77 Ngày 03/01/2022\n\n"
        "ỦY BAN NHÂN DÂN\nTỈNH KHÁNH HÒA\n\nSố: 45/QĐ-UBND\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n\nKhánh Hòa, ngày 2 tháng 1 năm 2022\n\nQUYẾT ĐỊNH\n\nVề việc thử nghiệm\n"
    )
    h = parse_header(text).header
    assert h.number == "45/QĐ-UBND"
    assert h.date == "2022-01-02"
    assert h.type == "Quyết định"
    assert h.title == "Về việc thử nghiệm"


def test_missing_fields_are_null():
    h = parse_header("Một đoạn văn không có phần đầu văn bản hành chính.\n\nĐoạn thứ hai.").header
    assert (h.number, h.date, h.issuer, h.type, h.title) == (None, None, None, None, None)


def test_number_variants():
    assert normalize_number("1212 /KH-UBND") == "1212/KH-UBND"
    assert normalize_number("3210/QĐ - U B ND") == "3210/QĐ-UBND"
    assert normalize_number("20/2021/NĐ-CP ngày 15/3/2021") == "20/2021/NĐ-CP"
    assert normalize_number("4@† /TTg-CĐS") is None  # OCR junk is not a number
    assert normalize_number("3HST Ngày 02/12/2021") is None
    assert type_from_number("4085/UBND-ĐT") == "Công văn"
    assert type_from_number("161/QĐ-TTg") == "Quyết định"


def test_issuer_names_are_cased_properly():
    assert issuer_names("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI")[0] == "Bộ Lao động - Thương binh và Xã hội"
    assert issuer_names("BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH")[0] == "Bộ Văn hóa, Thể thao và Du lịch"
    assert issuer_names("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH") == (
        "UBND thành phố Hồ Chí Minh",
        "Ủy ban nhân dân thành phố Hồ Chí Minh",
    )
    assert issuer_names("THỦ TƯỚNG CHÍNH PHỦ")[0] == "Thủ tướng Chính phủ"


def test_corpus_laws_carry_their_names_and_numbers():
    """A law's title carries its name; the number comes from its front matter when known."""
    doc = ingest_file(CORPUS / "luat-phong-chong-ma-tuy.md", segment=False)
    assert doc.header.title == "Luật Phòng, chống ma túy"
    assert doc.header.number == "73/2021/QH14"
    assert doc.header.type == "Luật"
    assert doc.kind == "legal"


def test_partial_decision_161_resolves_to_a_real_header():
    doc = ingest_file(CORPUS / "quyet-dinh-161-QD-TTg-2016-partial.md", segment=False)
    assert doc.header.number == "161/QĐ-TTg"
    assert doc.header.date == "2016-01-25"
    assert doc.header.issuer == "Thủ tướng Chính phủ"
    assert doc.metadata["completeness"] == "partial"
