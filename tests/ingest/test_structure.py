"""Outline parsing: the seed plan's parts and bullets, Nghị định 20/2021's chapters, articles, khoản
and điểm, and a plan written for the tests in the seed's style with other wording."""

from __future__ import annotations

import re

from tracuu.ingest.model import Document
from tracuu.ingest.pipeline import build_document
from tracuu.ingest.readers import RawText
from tracuu.ingest.structure import parse_structure, short_lead


def kinds(doc: Document, kind: str) -> list[str]:
    return [u.path for u in doc.units if u.kind == kind]


def test_seed_parts_and_sections(seed_doc):
    assert kinds(seed_doc, "part") == ["I", "II", "III", "IV", "V", "VI"]
    assert [p for p in kinds(seed_doc, "section") if p.startswith("III.")] == [
        f"III.{i}" for i in range(1, 9)
    ]
    points = kinds(seed_doc, "point")
    assert "I.1.a" in points and "V.1.đ" in points
    assert "I.1.d_2" in points  # the seed repeats "d)": paths stay unique


def test_seed_bullets_nest_under_their_lead(seed_doc):
    units = {u.path: u for u in seed_doc.units}
    lead = units["III.2.-1"]
    assert lead.heading.startswith("- Sở Lao động - Thương binh và Xã hội chủ trì")
    pluses = [p for p in units if p.startswith("III.2.-1.+")]
    assert len(pluses) == 17
    assert units["III.2.-1.+1"].section == "III.2 › Sở Lao động - Thương binh và Xã hội chủ trì… › +"
    # III.1 has a collective lead paragraph, then "+" bullets straight under the section.
    assert [p for p in units if re.fullmatch(r"III\.1\.\+\d+", p)] == [f"III.1.+{i}" for i in range(2, 7)]


def test_paragraph_continues_the_bullet_above(seed_doc):
    """ "Thực hiện Chương trình trợ giúp người khuyết tật…" belongs to the Chỉ thị 39 bullet."""
    bullet = next(u for u in seed_doc.units if "Chỉ thị số 39-CT/TW" in u.heading)
    body = seed_doc.text[bullet.start : bullet.end]
    assert "Thực hiện Chương trình trợ giúp người khuyết tật giai đoạn 2021-2030" in body


def test_offsets_point_into_the_text(seed_doc):
    for u in seed_doc.units:
        assert seed_doc.text[u.start : u.start + len(u.heading)] == u.heading
        assert u.start <= u.body_end <= u.end
    for c in seed_doc.chunks:
        assert seed_doc.text[c.start : c.end].strip() == c.text


def test_chunks_carry_their_heading_path(seed_doc):
    chunk = next(c for c in seed_doc.chunks if "phòng, chống HIV/AIDS" in c.text)
    assert chunk.section.startswith("III.4 › Sở Y tế chủ trì…")
    assert "Sở Y tế chủ trì" in chunk.context
    assert "_" in chunk.words and "HIV/AIDS" in chunk.words
    assert len({c.chunk_id for c in seed_doc.chunks}) == len(seed_doc.chunks)
    assert len({c.hash for c in seed_doc.chunks}) == len(seed_doc.chunks)


def test_nd20_chapters_articles_clauses(nd20_doc):
    assert nd20_doc.kind == "legal"
    articles = [u for u in nd20_doc.units if u.kind == "article"]
    assert [a.label for a in articles] == [f"Điều {i}" for i in range(1, 40)]
    assert len([u for u in nd20_doc.units if u.kind == "chapter"]) == 8
    units = {u.path: u for u in nd20_doc.units}
    assert units["C2.D5.K1"].section == "Chương II › Điều 5 › Khoản 1"
    diem = [u for u in nd20_doc.units if u.kind == "diem" and u.parent == "C2.D5.K1"]
    assert [d.label for d in diem][:3] == ["Điểm a", "Điểm b", "Điểm c"]
    assert units["C1"].heading == "Chương I"
    assert "QUY ĐỊNH CHUNG" in nd20_doc.text[units["C1"].start : units["C1"].body_end]


def test_long_units_are_split_on_sentences():
    sentence = "Cơ quan chủ trì tổ chức kiểm tra việc thực hiện chính sách trợ giúp xã hội tại địa phương. "
    text = "I. NHIỆM VỤ\n\n1. Kiểm tra\n\n- " + sentence * 30 + "\n"
    doc = build_document(RawText(text, "txt"), "long.txt", "-", "long", segment=False)
    pieces = [c for c in doc.chunks if c.unit_path == "I.1.-1"]
    assert len(pieces) >= 3
    assert all(len(c.text) <= 1200 and c.text.endswith(".") for c in pieces)
    assert [c.chunk_id for c in pieces][:2] == ["long#I.1.-1", "long#I.1.-1~2"]


def test_a_rule_line_is_not_a_chunk():
    """Sources separate parts with a line of underscores or stars: the words around it are chunks, the rule
    line alone is not (it would match any query's vector and nothing lexically)."""
    text = "Điều 1. Phạm vi\n\nNội dung điều một về trợ giúp xã hội.\n\n______________\n\n***\n\nĐiều 2. Hiệu lực\n\nCó hiệu lực.\n"
    doc = build_document(RawText(text, "txt"), "rule.txt", "-", "rule", segment=False)
    assert doc.chunks and all(any(ch.isalnum() for ch in c.text) for c in doc.chunks)
    assert any("trợ giúp xã hội" in c.text for c in doc.chunks) and any(
        "Có hiệu lực" in c.text for c in doc.chunks
    )


TEST_PLAN = """ỦY BAN NHÂN DÂN
TỈNH LÂM ĐỒNG

Số: 88/KH-UBND

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Lâm Đồng, ngày 5 tháng 3 năm 2024

KẾ HOẠCH

Phát triển du lịch cộng đồng năm 2024

Căn cứ Quyết định số 22/QĐ-UBND ngày 02/01/2024 của UBND tỉnh;

A. MỤC TIÊU CHUNG

I. NHIỆM VỤ TRỌNG TÂM

1. Phát triển sản phẩm

1.1. Xây dựng sản phẩm đặc thù

- Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với Sở Công Thương thực hiện:

+ Khảo sát các làng nghề truyền thống.

Ưu tiên các làng nghề có đông đồng bào dân tộc thiểu số.

+ Tổ chức lễ hội cà phê.

1.2. Quảng bá

a) Giao Sở Thông tin và Truyền thông đăng tải tin bài.

b) Đề nghị Tỉnh đoàn tổ chức chiến dịch tình nguyện.

II. TỔ CHỨC THỰC HIỆN

Các sở, ngành báo cáo trước ngày 15/12/2024.

Nơi nhận:
- Như trên;
- Lưu: VT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Nguyễn Văn An
"""


def test_a_plan_in_another_layout():
    doc = build_document(RawText(TEST_PLAN, "txt"), "test-plan.txt", "-", "test-plan", segment=False)
    h = doc.header
    assert (h.number, h.date, h.issuer, h.type) == (
        "88/KH-UBND",
        "2024-03-05",
        "UBND tỉnh Lâm Đồng",
        "Kế hoạch",
    )
    assert h.title == "Phát triển du lịch cộng đồng năm 2024"
    assert h.signer == "Nguyễn Văn An" and h.signer_title == "KT. CHỦ TỊCH"
    assert h.recipients == ["Như trên", "Lưu: VT"]
    paths = [u.path for u in doc.units]
    assert "A.I.1.1.-1.+1" in paths and "A.I.1.1.-1.+2" in paths
    assert "A.I.1.2.a" in paths and "A.I.1.2.b" in paths
    assert "A.II.p1" in paths
    plus1 = next(u for u in doc.units if u.path == "A.I.1.1.-1.+1")
    assert "Ưu tiên các làng nghề" in doc.text[plus1.start : plus1.end]
    assert not any("Như trên" in u.heading or "Nguyễn Văn An" in u.heading for u in doc.units)


def test_structure_offsets_are_global():
    text = "tiêu đề\n\nI. PHẦN MỘT\n\n1. Mục một\n\n- gạch đầu dòng\n"
    start = text.index("I.")
    units = parse_structure(text, start, len(text))
    assert [u.path for u in units] == ["I", "I.1", "I.1.-1"]
    assert text[units[2].start :].startswith("- gạch")


def test_short_lead():
    assert short_lead("- Sở Y tế chủ trì, triển khai các dịch vụ") == "Sở Y tế chủ trì…"
    assert short_lead("- Tăng cường phối hợp: nội dung sau") == "Tăng cường phối hợp"


def test_an_article_heading_and_a_wrapped_citation():
    """One rule for both the paragraph rebuilder and the outline: "Điều 6 - Phạm vi" and "Điều 6 (được sửa
    đổi)" open articles; "Điều 6; khoản 5 Điều 9" and "Điều 8 của Luật" are a wrapped citation's next line."""
    from tracuu.ingest.normalize import article_start, is_marker

    for heading in (
        "Điều 6. Phạm vi",
        "Điều 6: Phạm vi",
        "Điều 6 - Phạm vi",
        "Điều 6 (được sửa đổi)",
        "Điều 6",
    ):
        assert article_start(heading) and is_marker(heading), heading
    for wrapped in ("Điều 6; khoản 5 Điều 9; khoản 3", "Điều 8 của Luật Đất đai", "Điều 17, 18 và 19"):
        assert not article_start(wrapped) and not is_marker(wrapped), wrapped
