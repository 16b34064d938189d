"""Readers: the same plan as text, PDF and DOCX gives the same outline; HTML and crawled markdown read
cleanly; the real documents in ../shared give the header their own text states."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from conftest import PLANS, SEED, needs_shared
from tracuu.ingest.normalize import clean_text, match_form, pdf_pages_to_text
from tracuu.ingest.pipeline import ingest_file
from tracuu.ingest.readers import ScannedPdf, read_file

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
needs_font = pytest.mark.skipif(
    not FONT.is_file(), reason=f"{FONT} (DejaVu Sans, for Vietnamese text in fpdf2) is absent"
)

OUTLINE_KINDS = {"part", "section", "subsection", "point", "dash", "plus"}
RUNNING_HEADER = "UBND tỉnh Khánh Hòa - Kế hoạch 1212"


def outline(doc) -> list[tuple[str, str]]:
    return [(u.kind, u.path) for u in doc.units if u.kind in OUTLINE_KINDS]


def seed_lines() -> list[str]:
    """The seed's body lines: front matter between the first two `---` lines dropped, markdown emphasis removed."""
    text = SEED.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    body = text.split("---\n", 2)[2]
    return [line.replace("*", "").strip() for line in body.split("\n") if line.strip()]


# ---------------------------------------------------------------- the seed plan as PDF and DOCX
@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory) -> Path:
    """The seed typeset the way an office PDF is: wrapped paragraphs, a running header, page numbers."""
    if not FONT.is_file():
        pytest.skip(f"{FONT} is absent")
    from fpdf import FPDF

    class PlanPdf(FPDF):
        def header(self):
            self.set_font("dejavu", size=9)
            self.cell(0, 6, RUNNING_HEADER, align="C", new_x="LMARGIN", new_y="NEXT")
            self.ln(2)

        def footer(self):
            self.set_y(-15)
            self.set_font("dejavu", size=9)
            self.cell(0, 10, f"Trang {self.page_no()}/{{nb}}", align="C")

    pdf = PlanPdf()
    pdf.add_font("dejavu", fname=str(FONT))
    pdf.add_page()
    pdf.set_font("dejavu", size=11)
    for line in seed_lines():
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    path = tmp_path_factory.mktemp("seed_pdf") / "ke-hoach-1212.pdf"
    pdf.output(str(path))
    return path


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory) -> Path:
    """The seed as Word writes it: the header in a 2-column table, then one paragraph per line."""
    import docx

    lines = seed_lines()
    issuer, issuer2, number, quoc_hieu, motto, date = lines[:6]
    assert issuer == "ỦY BAN NHÂN DÂN" and number.startswith("Số:") and quoc_hieu.startswith("CỘNG HÒA")
    assert "ngày 29 tháng 11 năm 2021" in date
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = f"{issuer}\n{issuer2}"
    table.cell(0, 1).text = f"{quoc_hieu}\n{motto}"
    table.cell(1, 0).text = number
    table.cell(1, 1).text = date
    for line in lines[6:]:
        document.add_paragraph(line)
    path = tmp_path_factory.mktemp("seed_docx") / "ke-hoach-1212.docx"
    document.save(str(path))
    return path


@pytest.fixture(scope="module")
def seed_pdf_doc(seed_pdf):
    return ingest_file(seed_pdf, segment=False)


@pytest.fixture(scope="module")
def seed_docx_doc(seed_docx):
    return ingest_file(seed_docx, segment=False)


def test_seed_pdf_really_spans_pages_with_wrapped_lines(seed_pdf):
    """Guard for the tests below: the generated PDF must exercise page breaks and line wrapping."""
    from pypdf import PdfReader

    pages = [p.extract_text() for p in PdfReader(seed_pdf).pages]
    assert len(pages) >= 5
    assert max(len(line) for line in seed_lines()) > 600  # paragraphs that must wrap over several PDF lines
    assert max(len(line) for p in pages for line in p.split("\n")) < 150
    assert all(RUNNING_HEADER in p for p in pages)


def test_docx_outline_matches_text_file(seed_doc, seed_docx_doc):
    """A plan saved as Word must give the same parts, sections, points and bullets as its text."""
    assert len(outline(seed_doc)) > 100
    assert outline(seed_docx_doc) == outline(seed_doc)


def test_docx_header_from_table(seed_docx_doc):
    """Issuer, number and date sit in a 2-column table in real Word documents."""
    h = seed_docx_doc.header
    assert h.number == "1212/KH-UBND"
    assert h.date == "2021-11-29"
    assert h.issuer == "UBND tỉnh Khánh Hòa"
    assert h.type == "Kế hoạch"


def test_pdf_outline_matches_text_file(seed_doc, seed_pdf_doc):
    """A plan printed to PDF must give the same outline as its text, whatever the line wrapping."""
    assert outline(seed_pdf_doc) == outline(seed_doc)


def test_pdf_header_date_and_issuer(seed_pdf_doc):
    h = seed_pdf_doc.header
    assert h.date == "2021-11-29"
    assert h.issuer == "UBND tỉnh Khánh Hòa"


def test_pdf_header_number_and_type(seed_pdf_doc):
    h = seed_pdf_doc.header
    assert h.number == "1212/KH-UBND"
    assert h.type == "Kế hoạch"


def test_pdf_keeps_page_numbers(seed_pdf_doc):
    """Answers cite pages: every unit knows its page, and later parts sit on later pages."""
    assert len(seed_pdf_doc.pages) >= 5
    assert all(u.page_start is not None and u.page_start >= 1 for u in seed_pdf_doc.units)
    assert all(u.page_end >= u.page_start for u in seed_pdf_doc.units)
    parts = {u.label: u for u in seed_pdf_doc.units if u.kind == "part"}
    assert parts["I"].page_start == 1
    assert parts["VI"].page_start > parts["I"].page_start
    assert [c.page for c in seed_pdf_doc.chunks] == sorted(c.page for c in seed_pdf_doc.chunks)


def test_pdf_drops_running_header_and_page_numbers(seed_pdf_doc):
    text = seed_pdf_doc.text
    assert RUNNING_HEADER not in text
    assert not re.search(r"Trang \d+/\d+", text)
    assert not re.search(r"^\s*\d{1,3}\s*$", text, re.M)
    assert "Tiếp tục triển khai và thực hiện hiệu quả Quyết định số 161/QĐ-TTg" in text


def test_pdf_year_range_wrapped_over_a_page_break_is_joined():
    """'2021-' at the end of one page and '2025' at the top of the next is one token again."""
    text, marks = pdf_pages_to_text(
        [
            "a) Xây dựng kế hoạch của tỉnh giai đoạn 2021-",
            "2025 với những nội dung như sau:\nb) Tổ chức thực hiện.",
        ]
    )
    assert "giai đoạn 2021-2025 với những nội dung như sau:" in text
    assert "2021- " not in text and "2021-\n" not in text
    assert marks[0] == (0, 1)
    assert text[marks[-1][0] :].startswith("b) Tổ chức") and marks[-1][1] == 2


def test_pdf_short_heading_line_ends_its_paragraph():
    text, _ = pdf_pages_to_text(
        [
            "1. Mục tiêu chung\n"
            "Nâng cao nhận thức của các cấp, các ngành và người dân về Cộng đồng Văn hóa - Xã hội\n"
            "ASEAN đến năm 2025."
        ]
    )
    assert text.split("\n\n") == [
        "1. Mục tiêu chung",
        "Nâng cao nhận thức của các cấp, các ngành và người dân về Cộng đồng Văn hóa - Xã hội ASEAN đến năm 2025.",
    ]


def test_pdf_wrapped_year_range_with_spaced_dash_is_not_a_bullet():
    text, _ = pdf_pages_to_text(
        [
            "b) Đề ra các giải pháp thúc đẩy việc thực hiện có hiệu quả các mục tiêu trên địa bàn tỉnh giai đoạn 2021\n"
            "- 2025; chú trọng nâng cao chất lượng cuộc sống của người dân."
        ]
    )
    assert "\n" not in text
    assert "giai đoạn 2021 - 2025; chú trọng" in text


# ---------------------------------------------------------------- HTML
def test_html_reader(tmp_path):
    """Block tags make paragraphs, inline tags do not; scripts, styles, the <head> and a saved page's menus,
    side bars and footer never leak."""
    page = tmp_path / "trang.html"
    page.write_text(
        """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Tiêu đề tab</title>
        <style>p { color: red }</style><script>var lo = "KHÔNG ĐƯỢC HIỆN";</script></head>
        <body><nav><a href="/">Trang chủ</a> | <a href="/van-ban">Văn bản</a></nav>
        <aside><p>Văn bản liên quan: Quyết định 99/QĐ-UBND</p></aside>
        <p>ỦY BAN NHÂN DÂN<br>TỈNH KHÁNH HÒA</p>
        <p>Sở Lao động &amp; Thương binh phối hợp với <b>Sở Tài chính</b> thực hiện
        kế hoạch.</p>
        <table><tr><td>Cơ quan chủ trì</td><td>Thời hạn</td></tr><tr><td>Sở Y tế</td><td>Quý IV/2025</td></tr></table>
        <SCRIPT type="text/javascript">document.write("mã chèn")</SCRIPT>
        <footer><p>Bản quyền © 2025 Thư viện. Liên hệ: 1900 6192</p></footer>
        </body></html>""",
        encoding="utf-8",
    )
    raw = read_file(page)
    lines = [line for line in raw.text.split("\n") if line.strip()]
    assert raw.fmt == "html"
    assert lines == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH KHÁNH HÒA",
        "Sở Lao động & Thương binh phối hợp với Sở Tài chính thực hiện kế hoạch.",
        "Cơ quan chủ trì",
        "Thời hạn",
        "Sở Y tế",
        "Quý IV/2025",
    ]
    for leaked in ("KHÔNG ĐƯỢC HIỆN", "mã chèn", "color", "Tiêu đề tab", "&amp;", "<"):
        assert leaked not in raw.text


# ---------------------------------------------------------------- crawled markdown and normalisation
@needs_shared
def test_hard_wrapped_crawled_markdown():
    """Crawler layout (80-column wrap, pipe-table header, bold marks) reads back as clean paragraphs."""
    path = PLANS / "01_CanTho_159-KH-UBND_2025-11-19_truyen-thong-giam-ngheo.md"
    raw_source = path.read_text(encoding="utf-8")
    assert "**" in raw_source and "\n|\n" in raw_source  # the layout under test
    raw = read_file(path)
    assert "**" not in raw.text
    assert "|" not in raw.text
    title = (
        "TRUYỀN THÔNG VỀ GIẢM NGHÈO ĐA CHIỀU THUỘC CHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA GIẢM NGHÈO BỀN VỮNG "
        "TRÊN ĐỊA BÀN THÀNH PHỐ CẦN THƠ NĂM 2025"
    )
    assert title in raw.text.split("\n")
    assert "Căn cứ Thông tư số 06/2022/TT-BTTTT ngày 30 tháng 6 năm 2022" in raw.text
    doc = ingest_file(path, segment=False)
    assert doc.header.title == title
    assert [u.heading for u in doc.units if u.kind == "part"][0] == "I. MỤC ĐÍCH, YÊU CẦU"


def test_match_form_moves_old_style_tones_and_keeps_length():
    old = "Thuỷ lợi hoà bình, khoẻ"
    assert match_form(old) == "Thủy lợi hòa bình, khỏe"
    assert len(match_form(old)) == len(old)
    assert match_form("quý") == "quý"
    assert match_form("Quý") == "Quý"


def test_clean_text_fixes_eth_and_nfd():
    assert clean_text("\u00d0iều 5") == "Điều 5"
    nfd = unicodedata.normalize("NFD", "Cộng hòa xã hội chủ nghĩa Việt Nam")
    assert nfd != "Cộng hòa xã hội chủ nghĩa Việt Nam"
    assert clean_text(nfd) == "Cộng hòa xã hội chủ nghĩa Việt Nam"
    assert unicodedata.is_normalized("NFC", clean_text(nfd))


# ---------------------------------------------------------------- the 20 real documents in ../shared
# (file, number, ISO date, type, issuer substring): read from each file's own header block.
PLAN_HEADERS = [
    ("01_CanTho_159-KH-UBND_2025-11-19_truyen-thong-giam-ngheo.md", "159/KH-UBND", "2025-11-19", "Kế hoạch", "Cần Thơ"),
    ("02_CanTho_157-KH-UBND_2025-11-18_chi-tra-tro-giup-xa-hoi.md", "157/KH-UBND", "2025-11-18", "Kế hoạch", "Cần Thơ"),
    ("03_DongNai_182-KH-UBND_2025-11-20_MTQG-phong-chong-ma-tuy.md", "182/KH-UBND", "2025-11-20", "Kế hoạch", "Đồng Nai"),
    ("04_LaiChau_7360-KH-UBND_2025-11-19_thi-hanh-luat-tieu-chuan.md", "7360/KH-UBND", "2025-11-19", "Kế hoạch", "Lai Châu"),
    ("05_BacNinh_141-KH-UBND_2025-11-20_nang-luc-xay-dung-phap-luat.md", "141/KH-UBND", "2025-11-20", "Kế hoạch", "Bắc Ninh"),
    ("06_HCM_174-KH-UBND_2025-11-18_binh-dang-gioi.md", "174/KH-UBND", "2025-11-18", "Kế hoạch", "Hồ Chí Minh"),
    ("07_TTg_2623-QD-TTg_2025-11-29_KH-thi-hanh-luat-BVDLCN.md", "2623/QĐ-TTg", "2025-11-29", "Quyết định", "Thủ tướng"),
    ("08_BVHTTDL_4385-QD-BVHTTDL_2025-11-18_KH-quy-hoach-co-so-VHTT.md", "4385/QĐ-BVHTTDL", "2025-11-18", "Quyết định",
     "Bộ Văn hóa, Thể thao và Du lịch"),
    ("09_DakLak_010-CT-UBND_2025-11-17_chi-thi-tham-dinh-du-an.md", "010/CT-UBND", "2025-11-17", "Chỉ thị", "Đắk Lắk"),
    ("10_HCM_4085-UBND-DT_2025-11-25_cong-van-du-lieu-so-nha.md", "4085/UBND-ĐT", "2025-11-25", "Công văn", "Hồ Chí Minh"),
    ("11_VPCP_634-TB-VPCP_2025-11-22_thong-bao-ket-luan-Thanh-Hoa.md", "634/TB-VPCP", "2025-11-22", "Thông báo",
     "Văn phòng Chính phủ"),
    ("12_SonLa_254-QD-UBND_2023-02-17_KH-bao-ve-BMNN.md", "254/QĐ-UBND", "2023-02-17", "Quyết định", "Sơn La"),
    ("13_HCM_3210-QD-UBND_2014-06-28_KH-ho-tro-nguoi-co-cong-nha-o.md", "3210/QĐ-UBND", "2014-06-28", "Quyết định",
     "Hồ Chí Minh"),
    ("14_TTg_773-QD-TTg_2018-06-26_KH-CT14-nguoi-co-cong.md", "773/QĐ-TTg", "2018-06-26", "Quyết định", "Thủ tướng"),
    ("15_BCDQG1237_252-KH-BCDQG1237_2013-11-11_tim-kiem-hai-cot-liet-si.md", "252/KH-BCĐQG1237", "2013-11-11", "Kế hoạch",
     "Ban chỉ đạo quốc gia"),
    ("16_CP_03-NQ-CP_2025-01-09_CTHD-NQ57_with-appendix-tables.md", "03/NQ-CP", "2025-01-09", "Nghị quyết", "Chính phủ"),
    ("17_LuongMinh-QuangNinh_16-KH-MTTQ-BTT_2025-11-18_bau-cu.docx", "16/KH-MTTQ-BTT", "2025-11-18", "Kế hoạch",
     "Lương Minh"),
    ("18_PhoBang_01-KH-TBTTKT_2025-12-10_tieu-ban-tuyen-truyen-bau-cu.docx", "01/KH-TBTTKT", "2025-12-10", "Kế hoạch",
     "Tiểu ban thông tin, tuyên truyền, khánh tiết"),
]  # fmt: skip


@needs_shared
def test_plan_list_is_complete():
    """The parametrised list covers every text file in PLANS (16 markdown, 2 Word)."""
    names = {p.name for p in PLANS.iterdir() if p.suffix in {".md", ".docx"}}
    assert names == {row[0] for row in PLAN_HEADERS}
    assert sum(n.endswith(".md") for n in names) == 16


@needs_shared
@pytest.mark.parametrize(
    ("name", "number", "date", "doc_type", "issuer"), PLAN_HEADERS, ids=[row[0][:2] for row in PLAN_HEADERS]
)
def test_real_plan_header(name, number, date, doc_type, issuer):
    doc = ingest_file(PLANS / name, segment=False)
    h = doc.header
    assert (h.number, h.date, h.type) == (number, date, doc_type)
    assert h.issuer and issuer.casefold() in h.issuer.casefold()
    assert doc.units and doc.chunks


@needs_shared
@pytest.mark.parametrize(
    ("name", "title"),
    [
        (
            "17_LuongMinh-QuangNinh_16-KH-MTTQ-BTT_2025-11-18_bau-cu.docx",
            "Thực hiện công tác bầu cử đại biểu Quốc hội khóa XVI và bầu cử đại biểu Hội đồng nhân dân các cấp "
            "nhiệm kỳ 2026-2031",
        ),
        (
            "18_PhoBang_01-KH-TBTTKT_2025-12-10_tieu-ban-tuyen-truyen-bau-cu.docx",
            "Triển khai của Tiểu ban thông tin, tuyên truyền, khánh tiết bầu cử đại biểu Quốc hội khóa XVI và bầu cử "
            "đại biểu Hội đồng nhân dân các cấp, nhiệm kỳ 2026 - 2031 trên địa bàn xã Phố Bảng",
        ),
    ],
    ids=["17", "18"],
)
def test_docx_title_over_two_paragraphs(name, title):
    assert ingest_file(PLANS / name, segment=False).header.title == title


@needs_shared
@pytest.mark.parametrize(
    "name",
    [
        "19_TTg_464-TTg-CDS_2026-04-30_cong-van_SCANNED.pdf",
        "20_DHCongThuong-HCM_753-KH-DCT_2026-06-23_khao-sat-hai-long_SCANNED.pdf",
    ],
    ids=["19", "20"],
)
def test_scanned_pdf_is_refused_with_its_name(name):
    """A scan without a text layer, with OCR off (TRACUU_OCR=0), is refused, never stored as an empty
    document."""
    path = PLANS / name
    with pytest.raises(ScannedPdf) as info:
        read_file(path, ocr=False)
    assert str(path) in str(info.value)
    assert "scan" in info.value.reason


def _tesseract_has_vietnamese() -> bool:
    import shutil
    import subprocess

    if not shutil.which("tesseract"):
        return False
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False)
    return "vie" in (langs.stdout + langs.stderr).split()


@needs_shared
@pytest.mark.skipif(not _tesseract_has_vietnamese(), reason="Debian's tesseract-ocr-vie is not installed")
def test_ocr_reads_a_scanned_pdf_by_default_when_tesseract_is_installed(tmp_path):
    """With tesseract-ocr-vie installed, OCR is on without setting anything (it used to need TRACUU_OCR=1,
    and then pillow, which only the test extras installed): a scanned letter becomes a document instead of
    an error (never an empty one), and `tracuu doctor` says OCR is on."""
    from click.testing import CliRunner

    from tracuu.api.cli import cli

    doc = ingest_file(PLANS / "19_TTg_464-TTg-CDS_2026-04-30_cong-van_SCANNED.pdf")
    assert doc.header.issuer == "Thủ tướng Chính phủ"
    assert doc.header.date == "2026-04-30"
    assert "Kết luận số 18-KL/TW" in doc.text
    assert doc.chunks and {p for _, p in doc.pages} == {1, 2, 3}
    said = CliRunner().invoke(cli, ["doctor", "--json"], env={"TRACUU_HOME": str(tmp_path)})
    assert json.loads(said.output[said.output.index("{") :])["ocr"]["enabled"] is True


def test_pdf_paragraphs_after_a_long_numbered_line():
    """A dash bullet under a one-line numbered heading is its own paragraph; a line that stops mid-phrase
    ("… (Văn phòng HĐND và") goes on into the next, even when that opens with a capital; a wrapped range
    ("giai đoạn 2021" / "- 2025") stays one line."""
    from tracuu.ingest.normalize import pdf_pages_to_text

    full = "x" * 80
    page = "\n".join([
        full,
        "1. Đồng chí Nguyễn Văn An - Chủ tịch Ủy ban nhân dân xã, Trưởng Ban tổ chức Ngày hội",
        "- Chỉ đạo chung toàn bộ hoạt động của Ngày hội.",
        "2. Tổ chức tập huấn nghiệp vụ cho cán bộ cấp xã trong năm 2026 (Văn phòng HĐND và",
        "UBND xã chủ trì, các đoàn thể phối hợp).",
        "3. Thực hiện Kế hoạch phát triển kinh tế - xã hội của tỉnh trong giai đoạn 2021",
        "- 2025 theo đúng các mục tiêu, chỉ tiêu đã được Hội đồng nhân dân tỉnh thông qua.",
    ])  # fmt: skip
    text, _ = pdf_pages_to_text([page])
    paragraphs = text.split("\n\n")
    assert paragraphs[2] == "- Chỉ đạo chung toàn bộ hoạt động của Ngày hội.", paragraphs
    assert paragraphs[3].endswith("(Văn phòng HĐND và UBND xã chủ trì, các đoàn thể phối hợp).")
    assert paragraphs[4].startswith("3. Thực hiện") and "2021 - 2025 theo" in paragraphs[4], paragraphs
