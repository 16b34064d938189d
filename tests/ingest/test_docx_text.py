"""DOCX text as Word shows it: content controls (how e-office templates hold the number and the date),
tracked insertions, smart tags, fields and text boxes were dropped by python-docx's paragraph text."""

from __future__ import annotations

from pathlib import Path

from tracuu.ingest.pipeline import ingest_file
from tracuu.ingest.readers import read_file

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (f'xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:v="urn:schemas-microsoft-com:vml"')  # fmt: skip


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def box(text: str) -> str:
    """A text box as Word writes it: the DrawingML shape, and a VML copy under mc:Fallback."""
    inner = f"<w:txbxContent><w:p>{run(text)}</w:p></w:txbxContent>"
    return (f"<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wps:txbx>{inner}</wps:txbx>"
            f"</w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox>{inner}</v:textbox></w:pict></mc:Fallback>"
            "</mc:AlternateContent></w:r>")  # fmt: skip


BLOCKS = [
    f"<w:sdt><w:sdtPr/><w:sdtContent><w:p>{run('ỦY BAN NHÂN DÂN')}</w:p><w:p>{run('TỈNH QUẢNG NGÃI')}</w:p>"
    "</w:sdtContent></w:sdt>",
    f"<w:p>{run('Số: ')}<w:sdt><w:sdtContent>{run('15/KH-UBND')}</w:sdtContent></w:sdt></w:p>",
    f"<w:p>{box('Quảng Ngãi, ngày 12 tháng 3 năm 2026')}</w:p>",
    f"<w:p>{run('KẾ HOẠCH')}</w:p>",
    f"<w:p>{run('Chuyển đổi số trong y tế năm 2026')}</w:p>",
    f"<w:p>{run('I. NHIỆM VỤ')}</w:p>",
    f'<w:p>{run("1. Sở Y tế chủ trì ")}<w:ins w:id="1" w:author="A">{run("triển khai hồ sơ sức khỏe điện tử")}'
    f'</w:ins><w:del w:id="2" w:author="A"><w:r><w:delText> cho cán bộ</w:delText></w:r></w:del>{run(".")}</w:p>',
    f'<w:p><w:smartTag w:uri="x" w:element="place">{run("2. Công an tỉnh")}</w:smartTag>'
    f"{run(' chủ trì làm sạch dữ liệu dân cư; hoàn thành trước ngày ')}"
    f'<w:fldSimple w:instr="DATE">{run("30/6/2026")}</w:fldSimple>{run(".")}</w:p>',
    f'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> MERGEFIELD X </w:instrText></w:r>'
    f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{run("3. Sở Tài chính bố trí kinh phí thực hiện.")}'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
    f"<w:tbl><w:tr><w:tc><w:sdt><w:sdtContent><w:p>{run('Nơi nhận:')}</w:p></w:sdtContent></w:sdt></w:tc>"
    f"<w:tc><w:p>{run('CHỦ TỊCH')}</w:p></w:tc></w:tr></w:tbl>",
]


def word_docx(path: Path) -> Path:
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    body = d.element.body
    for xml in BLOCKS:
        body.insert(len(body) - 1, parse_xml(xml.replace(">", f" {NS}>", 1)))
    d.save(path)
    return path


def test_content_controls_insertions_fields_and_text_boxes_are_read(tmp_path):
    lines = [ln for ln in read_file(word_docx(tmp_path / "ke-hoach-15.docx")).text.split("\n") if ln.strip()]
    assert lines[:5] == ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI", "Số: 15/KH-UBND",
                         "Quảng Ngãi, ngày 12 tháng 3 năm 2026", "KẾ HOẠCH"]  # fmt: skip
    assert "1. Sở Y tế chủ trì triển khai hồ sơ sức khỏe điện tử." in lines  # inserted kept, deleted gone
    assert "2. Công an tỉnh chủ trì làm sạch dữ liệu dân cư; hoàn thành trước ngày 30/6/2026." in lines
    assert "3. Sở Tài chính bố trí kinh phí thực hiện." in lines and "MERGEFIELD" not in " ".join(lines)
    assert "Nơi nhận:" in lines and lines.count("Quảng Ngãi, ngày 12 tháng 3 năm 2026") == 1  # one box, once


def test_the_plan_behind_them_parses_fully(tmp_path):
    doc = ingest_file(word_docx(tmp_path / "ke-hoach-15.docx"), segment=False)
    assert (doc.header.number, doc.header.date, doc.header.type) == ("15/KH-UBND", "2026-03-12", "Kế hoạch")
    got = [(t.lead, t.deadline) for t in doc.tasks]
    assert got == [
        ("Sở Y tế", None),
        ("Công an tỉnh", "hoàn thành trước ngày 30/6/2026"),
        ("Sở Tài chính", None),
    ], got


def test_hidden_text_nested_tables_and_rows_in_content_controls(tmp_path):
    """Hidden runs are not read; a table in a table's cell is read once per level, not once per ancestor;
    rows and cells a template wraps in content controls are the table's."""
    import docx
    from docx.oxml import parse_xml

    inner = f"<w:tbl><w:tr><w:tc><w:p>{run('TRONG')}</w:p></w:tc></w:tr></w:tbl>"
    middle = f"<w:tbl><w:tr><w:tc><w:p>{run('GIỮA')}</w:p>{inner}<w:p/></w:tc></w:tr></w:tbl>"
    blocks = [
        f"<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>ẨN</w:t></w:r>{run('Hiện ra')}</w:p>",
        f"<w:tbl><w:tr><w:tc><w:p>{run('NGOÀI')}</w:p>{middle}<w:p/></w:tc></w:tr>"
        f"<w:sdt><w:sdtContent><w:tr><w:tc><w:p>{run('HÀNG TRONG Ô NỘI DUNG')}</w:p></w:tc>"
        f"<w:sdt><w:sdtContent><w:tc><w:p>{run('Ô TRONG Ô NỘI DUNG')}</w:p></w:tc></w:sdtContent></w:sdt>"
        "</w:tr></w:sdtContent></w:sdt></w:tbl>",
    ]
    d = docx.Document()
    body = d.element.body
    for xml in blocks:
        body.insert(len(body) - 1, parse_xml(xml.replace(">", f" {NS}>", 1)))
    d.save(tmp_path / "long.docx")
    text = read_file(tmp_path / "long.docx").text
    assert "Hiện ra" in text and "ẨN" not in text
    assert (
        text.count("TRONG") - text.count("HÀNG TRONG") - text.count("Ô TRONG") == 1
        and text.count("GIỮA") == 1
    )
    assert "HÀNG TRONG Ô NỘI DUNG" in text and "Ô TRONG Ô NỘI DUNG" in text, text
