"""Task tables in PDFs as offices make them: a plan typed in Word/LibreOffice, exported to PDF by real
LibreOffice (`soffice --headless --convert-to pdf`), gives the same tasks as its DOCX."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tracuu.ingest.pipeline import ingest_file

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)

HEAD = ("STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành")
TWO_ROW_HEAD = ("STT", "Nội dung công việc", "Cơ quan thực hiện", "", "Thời gian hoàn thành")
ROWS = [
    ("1", "Xây dựng kho dữ liệu dùng chung của tỉnh phục vụ chỉ đạo, điều hành và cung cấp dịch vụ công trực "
          "tuyến", "Sở Thông tin và Truyền thông", "Các sở, ban, ngành", "Quý IV năm 2024"),
    ("2", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực tại bộ phận một cửa các cấp",
     "Văn phòng UBND tỉnh", "UBND các huyện, thị xã, thành phố", "Năm 2024"),
    ("3", "Bố trí kinh phí thực hiện các nhiệm vụ chuyển đổi số từ nguồn ngân sách nhà nước năm 2024",
     "Sở Tài chính", "Sở Kế hoạch và Đầu tư", "Tháng 6 năm 2024"),
    ("4", "Tuyên truyền, phổ biến lợi ích của chuyển đổi số đến người dân và doanh nghiệp",
     "Sở Thông tin và Truyền thông", "Báo Quảng Ngãi; Đài Phát thanh và Truyền hình tỉnh", "Thường xuyên"),
]  # fmt: skip


def plan_docx(
    path: Path, rows: list[tuple[str, ...]], merge_leads: int = 1, two_row_header: bool = False
) -> Path:
    """A plan as an office types it at the official 13 pt: a borderless header table (issuer and number on
    the left, quốc hiệu and place/date on the right), two numbered tasks, an appendix "DANH MỤC NHIỆM VỤ"
    table with ruled cells; `merge_leads` > 1 merges the lead cell down over that many rows;
    `two_row_header`: "Cơ quan thực hiện" spans "Chủ trì | Phối hợp" on a second header row, the other
    header cells merged down over both rows."""
    import docx
    from docx.shared import Pt

    d = docx.Document()
    d.styles["Normal"].font.name = "Times New Roman"
    d.styles["Normal"].font.size = Pt(13)
    left, right = d.add_table(rows=1, cols=2).rows[0].cells
    left.text = "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\n-------\nSố: 88/KH-UBND"
    right.text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------\nQuảng Ngãi, ngày 05 tháng 3 năm 2024"
    for line in ("KẾ HOẠCH", "Triển khai chuyển đổi số trong lĩnh vực y tế và giáo dục năm 2024", "I. NHIỆM VỤ",
                 "1. Sở Y tế chủ trì, phối hợp với Sở Thông tin và Truyền thông triển khai hồ sơ sức khỏe điện tử "
                 "cho người dân trên địa bàn tỉnh; hoàn thành trong quý III năm 2024.",
                 "2. Sở Giáo dục và Đào tạo chủ trì triển khai học bạ số tại các trường trung học phổ thông; hoàn "
                 "thành trước ngày 30/9/2024.", "II. TỔ CHỨC THỰC HIỆN",
                 "Giao Sở Thông tin và Truyền thông theo dõi, tổng hợp kết quả thực hiện Kế hoạch này."):  # fmt: skip
        d.add_paragraph(line)
    d.add_page_break()
    d.add_paragraph("PHỤ LỤC")
    d.add_paragraph("DANH MỤC NHIỆM VỤ")
    heads = [TWO_ROW_HEAD, ("", "", "Chủ trì", "Phối hợp", "")] if two_row_header else [HEAD]
    table = d.add_table(rows=len(rows) + len(heads), cols=len(HEAD))
    table.style = "Table Grid"
    for r, row in enumerate([*heads, *rows]):
        for c, value in enumerate(row):
            table.rows[r].cells[c].text = value
    if two_row_header:
        for c in (0, 1, 4):
            table.cell(0, c).merge(table.cell(1, c)).text = TWO_ROW_HEAD[c]
        table.cell(0, 2).merge(table.cell(0, 3)).text = TWO_ROW_HEAD[2]
    first_row = len(heads)
    if merge_leads > 1:
        for first in range(first_row, len(rows) + first_row, merge_leads):
            last = min(first + merge_leads - 1, len(rows) + first_row - 1)
            keep = table.cell(first, 2).text
            merged = table.cell(first, 2).merge(table.cell(last, 2))
            merged.text = keep
    d.save(path)
    return path


def to_pdf(docx_path: Path) -> Path:
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{docx_path.parent}/lo-profile",
                           "--convert-to", "pdf", "--outdir", str(docx_path.parent), str(docx_path)],
                          capture_output=True, text=True, timeout=180)  # fmt: skip
    pdf = docx_path.with_suffix(".pdf")
    assert done.returncode == 0 and pdf.exists(), done.stderr
    return pdf


def tasks(path: Path) -> list[tuple]:
    doc = ingest_file(path, segment=False)
    return [(t.lead, tuple(t.cooperating), t.deadline, " ".join(t.task.split())) for t in doc.tasks]


def test_a_pdf_task_table_gives_the_tasks_its_docx_gives(tmp_path):
    """pypdf returned the appendix table as a stream of wrapped cell pieces: the PDF gave the two numbered
    tasks and then sixteen "tasks" of fragments, all given to the last lead. Read by its ruled cells, each
    row is one task with its lead, cooperating agencies and deadline, as in the DOCX."""
    docx_path = plan_docx(tmp_path / "ke-hoach-88.docx", ROWS)
    from_docx, from_pdf = tasks(docx_path), tasks(to_pdf(docx_path))
    assert from_pdf == from_docx
    table = [t for t in from_pdf if t[3] in {" ".join(r[1].split()) for r in ROWS}]
    assert [(t[0], t[2]) for t in table] == [
        ("Sở Thông tin và Truyền thông", "Quý IV năm 2024"),
        ("Văn phòng Ủy ban nhân dân tỉnh", "Năm 2024"),
        ("Sở Tài chính", "Tháng 6 năm 2024"),
        ("Sở Thông tin và Truyền thông", "Thường xuyên"),
    ]
    assert table[3][1] == ("Báo Quảng Ngãi", "Đài Phát thanh và Truyền hình tỉnh")
    assert sum(1 for t in from_pdf if t[0] == "Sở Y tế") == 1 and len(from_pdf) <= len(ROWS) + 3
    header = ingest_file(docx_path.with_suffix(".pdf"), segment=False).header
    assert (header.number, header.type, header.date) == ("88/KH-UBND", "Kế hoạch", "2024-03-05")


def test_a_header_of_two_rows_names_the_lead_and_cooperating_columns(tmp_path):
    """ "Cơ quan thực hiện" merged across "Chủ trì | Phối hợp" on a second header row, STT and the time
    merged down over both: the rows are read as under a one-row header, in the DOCX and its PDF alike."""
    docx_path = plan_docx(tmp_path / "ke-hoach-hai-dong.docx", ROWS, two_row_header=True)
    from_docx, from_pdf = tasks(docx_path), tasks(to_pdf(docx_path))
    assert from_pdf == from_docx
    table = {t[3]: t for t in from_docx}
    read = [table.get(" ".join(r[1].split())) for r in ROWS]
    assert [(t[0], t[2]) if t else None for t in read] == [
        ("Sở Thông tin và Truyền thông", "Quý IV năm 2024"),
        ("Văn phòng Ủy ban nhân dân tỉnh", "Năm 2024"),
        ("Sở Tài chính", "Tháng 6 năm 2024"),
        ("Sở Thông tin và Truyền thông", "Thường xuyên"),
    ]
    assert table[" ".join(ROWS[3][1].split())][1] == ("Báo Quảng Ngãi", "Đài Phát thanh và Truyền hình tỉnh")
    assert not any(t[0] and "Chủ trì" in t[3] for t in from_docx)  # the second header row is no task


def test_a_table_over_pages_with_merged_lead_cells(tmp_path):
    """36 rows over several pages, each lead cell merged down over three rows: every row keeps its lead
    on every page, as in the DOCX."""
    leads = ["Sở Y tế", "Sở Tài chính", "Sở Nội vụ", "Công an tỉnh"]
    rows = [(str(i + 1), f"Triển khai nhiệm vụ số {i + 1} về chuyển đổi số trong lĩnh vực được giao, báo cáo kết "
             f"quả định kỳ hằng quý cho Ủy ban nhân dân tỉnh", leads[(i // 3) % 4], "Sở Thông tin và Truyền thông",
             f"Quý {i % 4 + 1} năm 2025") for i in range(36)]  # fmt: skip
    docx_path = plan_docx(tmp_path / "ke-hoach-gop-o.docx", rows, merge_leads=3)
    pdf = to_pdf(docx_path)
    from pypdf import PdfReader

    assert len(PdfReader(pdf).pages) >= 3  # the table goes over pages
    from_docx, from_pdf = tasks(docx_path), tasks(pdf)
    assert from_pdf == from_docx
    table = [t for t in from_pdf if t[3].startswith("Triển khai nhiệm vụ số")]
    assert [t[0] for t in table] == [r[2] for r in rows]


def test_ingest_says_how_many_tasks_it_found(tmp_path):
    import json

    from click.testing import CliRunner

    from tracuu.api.cli import cli

    pdf = to_pdf(plan_docx(tmp_path / "ke-hoach-88.docx", ROWS))
    run = CliRunner().invoke(
        cli, ["--home", str(tmp_path / "kho"), "ingest", "--no-index", "--json", str(pdf)]
    )
    assert run.exit_code == 0, run.output
    summary = json.loads(run.output[run.output.index("{") :])
    assert summary["tasks"] == len(ingest_file(pdf, segment=False).tasks) == len(ROWS) + 3
    text = (
        CliRunner().invoke(cli, ["--home", str(tmp_path / "kho2"), "ingest", "--no-index", str(pdf)]).output
    )
    assert f"{len(ROWS) + 3} nhiệm vụ được giao" in text


def test_a_saved_web_page_and_its_libreoffice_exports_give_the_same_leads(tmp_path):
    """A Sở's plan saved from its web page (tests/data/written/w05…html: a task table with columns in another
    order and group rows), opened in LibreOffice and saved as DOCX, then exported as PDF. The three give the
    same tasks and leads; the PDF keeps the heading right under the table ("III. KINH PHÍ", whose accents
    reach above the table's bottom line, was dropped) and one paragraph wrapped inside a bracket ("(qua" /
    "Phòng Nghiệp vụ Y) trước ngày …" made a second task); the Sở's issuer reads "Sở Y tế", not "Sở y tế"."""
    page = Path(__file__).resolve().parents[1] / "data" / "written" / "w05_so-y-te-gia-lai_kh-tiem-chung.html"
    shutil.copy(page, tmp_path / "ke-hoach.html")
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                           "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path),
                           str(tmp_path / "ke-hoach.html")], capture_output=True, text=True, timeout=180)  # fmt: skip
    assert done.returncode == 0, done.stderr
    docx_path = tmp_path / "ke-hoach.docx"
    pdf_path = to_pdf(docx_path)

    def leads(path: Path) -> list[tuple[str | None, str]]:
        return [(t[0], t[3][:40]) for t in tasks(path)]

    assert leads(page) == leads(docx_path) == leads(pdf_path)
    assert len(leads(page)) == 8
    pdf = ingest_file(pdf_path, segment=False)
    assert "III. KINH PHÍ" in pdf.text and pdf.header.issuer == "Sở Y tế"
    assert ingest_file(page, segment=False).header.issuer == "Sở Y tế"
