"""Digitally signed documents: the page text reads "Số:      /UBND-VX … ngày   tháng   năm 2024" and the
number and day are drawn at signing by annotations (signature widgets) with appearance streams. A letter is
typed in Word, exported to PDF by real LibreOffice, then stamped the way signing tools stamp: a widget per
stamp, its appearance a form XObject (optionally layered, as Adobe-style signature appearances are)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_tables import to_pdf

from tracuu.ingest.pipeline import ingest_file

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)

BODY = (
    "Thực hiện Kế hoạch chuyển đổi số của tỉnh năm 2024, để bảo đảm việc quản lý sức khỏe người dân được "
    "thực hiện thống nhất trên môi trường số, Ủy ban nhân dân tỉnh có ý kiến như sau:",
    "Ủy ban nhân dân tỉnh giao Sở Y tế chủ trì, phối hợp với Sở Tài chính triển khai hồ sơ sức khỏe điện tử "
    "cho người dân trên địa bàn tỉnh, bảo đảm kết nối với Cơ sở dữ liệu quốc gia về dân cư; hoàn thành trong "
    "quý III năm 2024.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị kịp thời báo cáo Ủy ban nhân "
    "dân tỉnh (qua Sở Y tế) để được hướng dẫn, giải quyết theo quy định.",
)


@pytest.fixture(scope="module")
def letter(tmp_path_factory) -> Path:
    """The letter as exported before signing: blanks where the number and the day go."""
    import docx
    from docx.shared import Pt

    folder = tmp_path_factory.mktemp("letter")
    d = docx.Document()
    d.styles["Normal"].font.name = "Times New Roman"
    d.styles["Normal"].font.size = Pt(13)
    left, right = d.add_table(rows=1, cols=2).rows[0].cells
    left.text = "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\n-------\nSố:        /UBND-VX\nV/v triển khai hồ sơ sức khỏe điện tử"
    right.text = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------\n"
                  "Quảng Ngãi, ngày      tháng      năm 2024")  # fmt: skip
    d.add_paragraph("Kính gửi: Sở Y tế tỉnh Quảng Ngãi.")
    for paragraph in BODY:
        d.add_paragraph(paragraph)
    path = folder / "cong-van.docx"
    d.save(path)
    return to_pdf(path)


def stamped(pdf: Path, out: Path, texts: list[str], layered: bool = False) -> Path:
    """`pdf` with one signature widget per text, each drawing its text in its appearance stream."""
    from pypdf import PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
    )

    writer = PdfWriter(clone_from=pdf)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Times-Roman"),
                             NameObject("/Encoding"): NameObject("/WinAnsiEncoding")})  # fmt: skip

    def form(content: bytes, resources: DictionaryObject) -> DecodedStreamObject:
        f = DecodedStreamObject()
        f.set_data(content)
        f.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                  NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(120), FloatObject(18)]),
                  NameObject("/Resources"): resources})  # fmt: skip
        return f

    for i, text in enumerate(texts):
        fonts = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
        drawing = form(f"BT /F1 12 Tf 2 4 Td ({text}) Tj ET".encode(), fonts)
        if layered:  # /N → /FRM → /n2, as Adobe-style signature appearances nest their layers
            inner = DictionaryObject(
                {NameObject("/XObject"): DictionaryObject({NameObject("/n2"): writer._add_object(drawing)})}
            )
            frm = form(b"q /n2 Do Q", inner)
            outer = DictionaryObject(
                {NameObject("/XObject"): DictionaryObject({NameObject("/FRM"): writer._add_object(frm)})}
            )
            drawing = form(b"q /FRM Do Q", outer)  # fmt: skip
        rect = [FloatObject(v) for v in (100 + 200 * i, 700, 220 + 200 * i, 718)]
        writer.add_annotation(page_number=0, annotation=DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Sig"), NameObject("/Rect"): ArrayObject(rect),
            NameObject("/F"): NumberObject(4),
            NameObject("/AP"): DictionaryObject({NameObject("/N"): writer._add_object(drawing)})}))  # fmt: skip
    writer.write(out)
    return out


@pytest.mark.parametrize("layered", [False, True])
def test_the_number_and_day_come_from_the_stamps(letter, tmp_path, layered):
    doc = ingest_file(stamped(letter, tmp_path / "signed.pdf", ["88", "05/03/2024"], layered), segment=False)
    expected = {
        "number": "88/UBND-VX",
        "date": "2024-03-05",
        "type": "Công văn",
        "issuer": "UBND tỉnh Quảng Ngãi",
    }
    assert {k: getattr(doc.header, k) for k in expected} == expected
    assert [(t.lead, t.cooperating, t.deadline) for t in doc.tasks] == [
        ("Sở Y tế", ["Sở Tài chính"], "trong quý III năm 2024"),
        ("Các cơ quan, đơn vị", [], None),  # the closing "nếu có khó khăn, vướng mắc, các cơ quan … báo cáo"
    ]


def test_no_stamp_no_number(letter):
    """Unsigned, or signed without a readable stamp: no number and no day, never a guessed one."""
    h = ingest_file(letter, segment=False).header
    assert (h.number, h.date) == (None, None)
    assert h.issuer == "UBND tỉnh Quảng Ngãi"


@pytest.mark.parametrize(
    "texts",
    [
        ["88", "89"],  # two numbers: which one?
        ["88/UBND-KT"],  # a number for another symbol than the page prints
        ["05/03/2023"],  # a day in another year than the page prints
        ["05/03/2024", "06/03/2024"],  # two days
    ],
)
def test_stamps_that_disagree_fill_nothing(letter, tmp_path, texts):
    h = ingest_file(stamped(letter, tmp_path / "signed.pdf", texts), segment=False).header
    assert h.number is None
    assert h.date is None
