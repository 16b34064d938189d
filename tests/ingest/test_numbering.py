"""Plans typed with Word's list buttons: the "I." / "1." / "a)" / "-" labels live in word/numbering.xml,
not in the paragraph text, and without them the parts, points and bullets of the plan are lost."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tracuu.ingest.numbering import Numbering
from tracuu.ingest.pipeline import ingest_file
from tracuu.ingest.readers import read_file

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# One multi-level list as Vietnamese plans number them: I. / 1. / a) / bullet "-" (Symbol glyph in Word).
LEVELS = [("upperRoman", "%1."), ("decimal", "%2."), ("lowerLetter", "%3)"), ("bullet", "\uf02d")]
PLAN = [
    (None, "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"),
    (None, "Số: 91/KH-UBND"),
    (None, "Quảng Ngãi, ngày 12 tháng 3 năm 2024"),
    (None, "KẾ HOẠCH"),
    (None, "Triển khai chuyển đổi số trong lĩnh vực y tế năm 2024"),
    (0, "MỤC ĐÍCH, YÊU CẦU"),
    (1, "Mục đích"),
    (3, "Nâng cao chất lượng khám, chữa bệnh cho người dân trên địa bàn tỉnh."),
    (0, "NHIỆM VỤ VÀ TỔ CHỨC THỰC HIỆN"),
    (1, "Sở Y tế chủ trì, phối hợp với Sở Thông tin và Truyền thông triển khai hồ sơ sức khỏe điện tử cho "
        "người dân trên địa bàn tỉnh; hoàn thành trong quý III năm 2024."),
    (1, "Sở Tài chính:"),
    (2, "Bố trí kinh phí thực hiện Kế hoạch từ nguồn ngân sách tỉnh năm 2024."),
    (2, "Hướng dẫn các đơn vị thanh toán, quyết toán kinh phí theo quy định."),
    (1, "Ủy ban nhân dân các huyện, thị xã, thành phố chỉ đạo các trạm y tế xã triển khai bệnh án điện tử."),
]  # fmt: skip


def numbered_docx(path: Path) -> Path:
    """PLAN typed with one Word multi-level list (numPr on each numbered paragraph, no label in the text)."""
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    numbering = d.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(LEVELS)
    )
    numbering.insert(
        0, parse_xml(f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="90">{levels}</w:abstractNum>')
    )
    numbering.append(parse_xml(f'<w:num xmlns:w="{W}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for level, text in PLAN:
        p = d.add_paragraph(text)
        if level is not None:
            numpr = p._p.get_or_add_pPr().get_or_add_numPr()
            numpr.get_or_add_ilvl().val = level
            numpr.get_or_add_numId().val = 90
    d.save(path)
    return path


def typed(level: int | None, text: str, counts: list[int]) -> str:
    """The same paragraph with the label typed by hand, as the plan reads on paper."""
    if level is None:
        return text
    counts[level] += 1
    counts[level + 1 :] = [0] * (len(counts) - level - 1)
    label = ["I", "II", "III"][counts[0] - 1] + "." if level == 0 else (
        f"{counts[1]}." if level == 1 else "abc"[counts[2] - 1] + ")" if level == 2 else "-")  # fmt: skip
    return f"{label} {text}"


def test_word_list_labels_are_read_as_the_page_shows_them(tmp_path):
    text = read_file(numbered_docx(tmp_path / "ke-hoach-91.docx")).text
    counts = [0, 0, 0, 0]
    assert [line for line in text.split("\n") if line.strip()] == [typed(lv, t, counts) for lv, t in PLAN]


def test_a_word_numbered_plan_gives_the_tasks_of_the_same_plan_typed_by_hand(tmp_path):
    """Without the labels the plan had no parts and no points: "Sở Tài chính:" led nothing."""
    counts = [0, 0, 0, 0]
    by_hand = tmp_path / "ke-hoach-91.txt"
    by_hand.write_text("\n".join(typed(lv, t, counts) for lv, t in PLAN), encoding="utf-8")
    expected = [
        (t.lead, t.cooperating, t.deadline, t.task) for t in ingest_file(by_hand, segment=False).tasks
    ]
    doc = ingest_file(numbered_docx(tmp_path / "ke-hoach-91.docx"), segment=False)
    assert [(t.lead, t.cooperating, t.deadline, t.task) for t in doc.tasks] == expected
    assert [t.lead for t in doc.tasks].count("Sở Tài chính") == 2
    assert doc.header.number == "91/KH-UBND"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_its_pdf_export_gives_the_same_tasks(tmp_path):
    """LibreOffice draws the labels into the PDF's text: both ways in agree."""
    from test_tables import to_pdf

    path = numbered_docx(tmp_path / "ke-hoach-91.docx")
    from_docx = [(t.lead, " ".join(t.task.split())) for t in ingest_file(path, segment=False).tasks]
    from_pdf = [(t.lead, " ".join(t.task.split())) for t in ingest_file(to_pdf(path), segment=False).tasks]
    assert from_pdf == from_docx and len(from_docx) >= 4


def _numbering(levels: str, nums: str, styles: str = "") -> Numbering:
    ns = f'xmlns:w="{W}"'
    return Numbering.parse(f"<w:numbering {ns}>{levels}{nums}</w:numbering>".encode(),
                           f"<w:styles {ns}>{styles}</w:styles>".encode())  # fmt: skip


def _p(inner: str):
    from lxml import etree

    return etree.fromstring(f'<w:p xmlns:w="{W}"><w:pPr>{inner}</w:pPr></w:p>')


ABSTRACT = (
    '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%1.%2."/></w:lvl><w:lvl w:ilvl="2"><w:isLgl/><w:start w:val="4"/>'
    '<w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%1.%3"/></w:lvl></w:abstractNum>'
)


def test_counters_restart_below_and_continue_above():
    n = _numbering(ABSTRACT, '<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>')
    seq = [0, 1, 1, 0, 1, 2, 2]
    paragraphs = [_p(f'<w:numPr><w:ilvl w:val="{i}"/><w:numId w:val="5"/></w:numPr>') for i in seq]
    assert [n.label(p) for p in paragraphs] == ["1.", "1.1.", "1.2.", "2.", "2.1.", "2.4", "2.5"]
    assert n.label(paragraphs[0]) == "1."  # read again (a merged cell on every row it spans): counted once


def test_start_override_style_numbering_and_switching_off():
    nums = ('<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num><w:num w:numId="6"><w:abstractNumId w:val="1"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="7"/></w:lvlOverride></w:num>')  # fmt: skip
    styles = ('<w:style w:styleId="Base"><w:pPr><w:numPr><w:numId w:val="6"/></w:numPr></w:pPr></w:style>'
              '<w:style w:styleId="Task"><w:basedOn w:val="Base"/></w:style>')  # fmt: skip
    n = _numbering(ABSTRACT, nums, styles)
    assert [n.label(_p('<w:pStyle w:val="Task"/>')) for _ in range(2)] == ["7.", "8."]
    assert n.label(_p('<w:pStyle w:val="Task"/><w:numPr><w:numId w:val="0"/></w:numPr>')) == ""
    assert n.label(_p("")) == "" and n.label(_p('<w:numPr><w:numId w:val="99"/></w:numPr>')) == ""


def test_a_broken_numbering_part_costs_the_labels_not_the_text(tmp_path):
    import zipfile

    path = numbered_docx(tmp_path / "ke-hoach-91.docx")
    broken = tmp_path / "hong.docx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(broken, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            out.writestr(item, b"\x00not xml" if item.filename == "word/numbering.xml" else data)
    text = read_file(broken).text
    assert "Bố trí kinh phí thực hiện Kế hoạch" in text and "I. MỤC ĐÍCH" not in text


def test_spec_corners_and_hostile_values():
    """Lists of one abstractNum count on from each other; a level redefined in lvlOverride; isLgl="0" is off;
    a deleted paragraph is not counted; a start of 200,000,000 letters is kept to Word's range."""
    levels = ('<w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
              '<w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/><w:isLgl w:val="0"/></w:lvl></w:abstractNum>'
              '<w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="x"><w:start w:val="200000000"/>'
              '<w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1)"/></w:lvl></w:abstractNum>')  # fmt: skip
    nums = ('<w:num w:numId="1"><w:abstractNumId w:val="2"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="2"/>'
            '</w:num><w:num w:numId="3"><w:abstractNumId w:val="2"/><w:lvlOverride w:ilvl="0"><w:lvl w:ilvl="0">'
            '<w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1)"/></w:lvl></w:lvlOverride>'
            '</w:num><w:num w:numId="4"><w:abstractNumId w:val="3"/></w:num>')  # fmt: skip
    n = _numbering(levels, nums)

    def para(num: int, deleted: bool = False):
        mark = "<w:rPr><w:del w:id='1' w:author='A'/></w:rPr>" if deleted else ""
        return _p(f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr>{mark}')

    got = [
        n.label(para(1)),
        n.label(para(2, deleted=True)),
        n.label(para(2)),
        n.label(para(3)),
        n.label(para(4)),
    ]
    assert got[:4] == ["I.", "", "II.", "a)"] and len(got[4]) < 10, got


def test_a_merged_cell_read_on_every_row_is_numbered_once(tmp_path):
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.insert(0, parse_xml(f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="91"><w:lvl w:ilvl="0">'
                                  '<w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
                                  "</w:abstractNum>"))  # fmt: skip
    numbering.append(parse_xml(f'<w:num xmlns:w="{W}" w:numId="91"><w:abstractNumId w:val="91"/></w:num>'))
    table = d.add_table(rows=3, cols=4)
    for r in range(3):
        for c in range(4):
            table.cell(r, c).text = f"ô {r}{c} dài để thành hàng bảng"
    table.cell(0, 0).merge(table.cell(2, 0)).text = "Sở Y tế"
    numpr = table.cell(0, 0).paragraphs[0]._p.get_or_add_pPr().get_or_add_numPr()
    numpr.get_or_add_ilvl().val, numpr.get_or_add_numId().val = 0, 91
    p = d.add_paragraph("Sở Tài chính bố trí kinh phí.")
    numpr = p._p.get_or_add_pPr().get_or_add_numPr()
    numpr.get_or_add_ilvl().val, numpr.get_or_add_numId().val = 0, 91
    d.save(tmp_path / "gop.docx")
    text = read_file(tmp_path / "gop.docx").text
    assert text.count("1. Sở Y tế") == 3 and "2. Sở Tài chính bố trí kinh phí." in text, text
