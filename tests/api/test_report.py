"""The agency task report on the seed plan (Kế hoạch 1212/KH-UBND): who leads and who cooperates, grouped by
section, and its four file formats read back with their own readers."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess

import pytest

from conftest import product_store
from tracuu.api.export import HEADERS, REPORT_MEDIA_TYPES, render_report, report_filename
from tracuu.core.errors import InvalidArgument, NotFound
from tracuu.knowledge.tasks import agency_report

LDTBXH = "Sở Lao động - Thương binh và Xã hội"
FORMATS = ("md", "csv", "xlsx", "docx")


@pytest.fixture(scope="module")
def store(tmp_path_factory, seed_doc):
    s = product_store(tmp_path_factory.mktemp("report"))
    s.put(seed_doc)
    yield s
    s.close()


@pytest.fixture(scope="module")
def report(store):
    return agency_report(store, "Sở LĐTBXH")


def tasks_of(report, role=None):
    return [
        (s["section"], t)
        for g in report["groups"]
        for s in g["sections"]
        for t in s["tasks"]
        if role is None or t["role"] == role
    ]


@pytest.mark.parametrize("written", ["Sở LĐTBXH", "so ldtbxh", "SỞ LAO ĐỘNG – THƯƠNG BINH VÀ XÃ HỘI"])
def test_any_variant_names_the_agency(store, written):
    r = agency_report(store, written)
    assert r["agency"] == LDTBXH
    assert r["agency_written"] == written
    assert r["doc"] is None
    assert [g["doc_id"] for g in r["groups"]] == ["ke-hoach-1212-kh-ubnd-khanh-hoa-asean-2021-2025"]
    assert r["counts"] == {"lead": 20, "cooperating": 3, "member": 0}


def test_lead_tasks_by_section_in_reading_order(report):
    group = report["groups"][0]
    assert (
        group["doc_citation"] == "Kế hoạch số 1212/KH-UBND ngày 29/11/2021 của Ủy ban nhân dân tỉnh Khánh Hòa"
    )
    assert group["doc_label"] == "Kế hoạch số 1212/KH-UBND"
    assert group["doc_title"].startswith("Thực hiện Đề án xây dựng và triển khai Kế hoạch")
    assert [s["section"] for s in group["sections"]] == ["III.2", "III.4", "V.1", "V.2", "V.3", "V.6"]
    lead = tasks_of(report, "chủ trì")
    assert {section for section, _ in lead} == {"III.2", "III.4", "V.2"}
    for section, t in lead:
        assert t["unit_path"].startswith(section + ".")
        assert t["lead"] == LDTBXH
        assert t["citation"].startswith(f"Mục {section}")  # or deeper: "Mục V.2.a, Kế hoạch số …"
        assert (
            ", Kế hoạch số 1212/KH-UBND ngày 29/11/2021 của Ủy ban nhân dân tỉnh Khánh Hòa" in t["citation"]
        )
        assert t["result"] == ""
    paths = [t["unit_path"] for _, t in lead]
    assert paths[:3] == ["III.2.-1.+1", "III.2.-1.+2", "III.2.-1.+3"]
    assert paths[-3:] == ["III.4.-1", "V.2.a", "V.2.b"]
    first = lead[0][1]
    assert first["cooperating"] == [
        "Các sở, ban, ngành có liên quan",
        "Ủy ban nhân dân các huyện, thị xã, thành phố",
    ]
    assert first["task"].startswith("+ Xây dựng các chương trình, kế hoạch")


def test_cooperating_tasks(report):
    coop = tasks_of(report, "phối hợp")
    # V.3: "Chủ trì, phối hợp với Sở Lao động - Thương binh và Xã hội …", under the heading "Sở Tài chính";
    # V.1.c and V.6.c: "c) Phối hợp chặt chẽ với Sở Lao động - Thương binh và Xã hội …" (the units of the pillar,
    # the districts): the Sở takes part as the real plans' annotators count it, not as a lead
    assert [(s, t["unit_path"]) for s, t in coop] == [("V.1", "V.1.c"), ("V.3", "V.3.p1"), ("V.6", "V.6.c")]
    assert coop[1][1]["lead"] == "Sở Tài chính" and coop[1][1]["cooperating"] == [LDTBXH]
    assert coop[1][1]["citation"].startswith("Mục V.3, Kế hoạch số 1212/KH-UBND")
    assert all(LDTBXH in t["cooperating"] and t["lead"] != LDTBXH for _, t in coop)


def test_one_document_by_number(store, report):
    r = agency_report(store, "So LDTBXH", "1212/KH-UBND")
    assert r["doc"] == "ke-hoach-1212-kh-ubnd-khanh-hoa-asean-2021-2025"
    assert r["groups"] == report["groups"]
    with pytest.raises(NotFound, match="Không có văn bản"):
        agency_report(store, "Sở LĐTBXH", "999/KH-UBND")


def test_so_y_te_leads_its_iii4_tasks_and_shares_the_groups_in_v1(store):
    """Sở Y tế leads four tasks in III.4; V.1 gives six to "the units of the ASEAN socio-cultural pillar",
    and its heading lists them ("bao gồm: Y tế, Giáo dục và Đào tạo, …"): Sở Y tế is one, so those six
    (with the plan deadline 20/12/2021) are in its report as a group member's. Sở Tài chính is not one."""
    r = agency_report(store, "Sở Y tế")
    assert r["agency"] == "Sở Y tế"
    assert [s["section"] for g in r["groups"] for s in g["sections"]] == ["III.4", "V.1"]
    assert r["counts"] == {"lead": 4, "cooperating": 0, "member": 6}
    lead = [t for _, t in tasks_of(r, "chủ trì")]
    assert len(lead) == 4 and all(t["unit_path"].startswith("III.4.-4") for t in lead)
    member = [t for _, t in tasks_of(r, "thuộc nhóm chủ trì")]
    assert [t["unit_path"] for t in member] == ["V.1.a", "V.1.b", "V.1.c", "V.1.d", "V.1.đ", "V.1.e"]
    assert member[0]["deadline"] == "trước ngày 20/12/2021"
    assert "cùng nhóm chủ trì 6 nhiệm vụ" in render_report(r, "md").decode()
    assert agency_report(store, "Tỉnh đoàn Khánh Hòa")["counts"]["member"] == 6
    assert agency_report(store, "Sở Tài chính")["counts"]["member"] == 0


@pytest.mark.parametrize("unknown", ["Sở Không Tồn Tại", "Ban Quản lý dự án xyz", "xyz"])
def test_unknown_agency_gives_no_groups(store, unknown):
    r = agency_report(store, unknown)
    assert r["groups"] == [] and r["counts"] == {"lead": 0, "cooperating": 0, "member": 0}
    for fmt in FORMATS:
        assert render_report(r, fmt)


@pytest.mark.parametrize("empty", ["", "   "])
def test_empty_agency_is_refused_in_vietnamese(store, empty):
    with pytest.raises(InvalidArgument, match="Chưa nêu tên cơ quan"):
        agency_report(store, empty)


# ---------------------------------------------------------------- formats
TASK = "Xây dựng các chương trình, kế hoạch và giải pháp thiết thực"


def test_markdown(report):
    md = render_report(report, "md").decode("utf-8")
    assert md.startswith(f"# Báo cáo kết quả thực hiện nhiệm vụ — {LDTBXH}\n")
    assert "## Kế hoạch số 1212/KH-UBND ngày 29/11/2021 của Ủy ban nhân dân tỉnh Khánh Hòa" in md
    assert "| " + " | ".join(HEADERS) + " |" in md
    assert TASK in md and "| + Xây dựng" not in md  # the list bullet is dropped
    rows = [line for line in md.splitlines() if line.startswith("| ") and not line.startswith("| STT")]
    assert len(rows) == 23  # 20 led, 3 taken part in
    assert all(line.count(" | ") == len(HEADERS) - 1 for line in rows)  # no stray "|" inside a cell
    assert all(line.endswith("|  |") for line in rows)  # "Kết quả thực hiện" left to fill in


def test_csv(report):
    data = render_report(report, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(HEADERS)
    assert len(rows) == 24
    body = rows[1:]
    assert [r[0] for r in body] == [str(i) for i in range(1, 24)]
    assert body[0][1:4] == ["Kế hoạch số 1212/KH-UBND", "III.2", "chủ trì"]
    assert body[0][4].startswith(TASK)
    coop = next(r for r in body if r[3] == "phối hợp" and r[2] == "V.3")
    assert coop[5].startswith("Sở Tài chính (chủ trì); ")
    assert all(r[8] == "" for r in body)


def test_xlsx(report):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(render_report(report, "xlsx")))
    ws = wb.worksheets[0]
    assert len(wb.worksheets) == 1 and len(ws.title) <= 31
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    assert values[0] == list(HEADERS)
    assert len(values) == 24
    assert values[1][:4] == [1, "Kế hoạch số 1212/KH-UBND", "III.2", "chủ trì"]
    assert values[1][4].startswith(TASK)
    assert all(r[8] is None for r in values[1:])  # Kết quả thực hiện: empty, to fill in
    assert ws["A1"].font.bold and ws["E2"].alignment.wrap_text
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["E"].width >= 40


def test_docx(report):
    from docx import Document
    from docx.enum.section import WD_ORIENT

    doc = Document(io.BytesIO(render_report(report, "docx")))
    assert doc.sections[0].orientation == WD_ORIENT.LANDSCAPE
    assert doc.paragraphs[0].text == f"Báo cáo kết quả thực hiện nhiệm vụ — {LDTBXH}"
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Kế hoạch số 1212/KH-UBND ngày 29/11/2021 của Ủy ban nhân dân tỉnh Khánh Hòa"]
    (table,) = doc.tables
    assert [c.text for c in table.rows[0].cells] == list(HEADERS)
    assert len(table.rows) == 24
    assert table.rows[1].cells[4].text.startswith(TASK)
    assert all(row.cells[8].text == "" for row in table.rows[1:])


def test_cells_that_look_like_formulas_stay_text():
    from openpyxl import load_workbook

    task = {"role": "chủ trì", "lead": "Sở Y tế", "cooperating": [], "task": "=HYPERLINK(\"x\")", "deadline": None,
            "citation": "Mục I", "unit_path": "I.p1", "result": ""}  # fmt: skip
    r = {"agency": "Sở Y tế", "agency_written": "Sở Y tế", "doc": None, "counts": {"lead": 1, "cooperating": 0},
         "groups": [{"doc_id": "d", "doc_citation": "Kế hoạch", "doc_title": "", "doc_label": "Kế hoạch",
                     "sections": [{"section": "I", "heading": "", "tasks": [task]}]}]}  # fmt: skip
    row = list(csv.reader(io.StringIO(render_report(r, "csv").decode("utf-8-sig"))))[1]
    assert row[4] == '\'=HYPERLINK("x")'
    cell = load_workbook(io.BytesIO(render_report(r, "xlsx"))).worksheets[0]["E2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("x")'


def one_task_report(task_text: str, deadline: str | None = None, **group: str) -> dict:
    """A report of one document with one task, as agency_report builds it."""
    task = {"role": "chủ trì", "lead": "Sở Y tế", "cooperating": [], "task": task_text, "deadline": deadline,
            "citation": "Mục I", "unit_path": "I.p1", "result": ""}  # fmt: skip
    doc = {"doc_id": "d", "doc_citation": "Kế hoạch", "doc_title": "", "doc_label": "Kế hoạch", **group,
           "sections": [{"section": "I", "heading": "", "tasks": [task]}]}  # fmt: skip
    return {"agency": "Sở Y tế", "agency_written": "Sở Y tế", "doc": None,
            "counts": {"lead": 1, "cooperating": 0}, "groups": [doc]}  # fmt: skip


@pytest.mark.parametrize(
    "text",
    ["＝cmd|' /C calc'!A0", "＋1+1", "－2+3", "＠SUM(A1)", "﹦1+1", "⁼1+1", " \t＝1+1", "\u200b\u3000=1+1",
     "\r\n+1", "\ufeff@SUM(A1)"],
)  # fmt: skip
def test_full_width_and_hidden_formula_signs_stay_text(text):
    """The full-width (and small, superscript) forms of = + - @, and a sign after spaces, control or
    zero-width characters: the CSV cell gets its apostrophe, the xlsx cell is text with Excel's quote prefix.
    In the task (whose surrounding whitespace the report drops) and in the deadline (kept as written)."""
    from openpyxl import load_workbook

    r = one_task_report(text, deadline=text)
    row = list(csv.reader(io.StringIO(render_report(r, "csv").decode("utf-8-sig"), newline="")))[1]
    assert (row[4], row[6]) == ("'" + text.strip(), "'" + text)
    ws = load_workbook(io.BytesIO(render_report(r, "xlsx"))).worksheets[0]
    for cell, value in ((ws["E2"], text.strip()), (ws["G2"], text)):
        assert cell.data_type == "s" and cell.value == value and cell.quotePrefix


@pytest.mark.parametrize("text", ["Sở Y tế ＝ chủ trì", "Ａ＝1", "1 = 1", "“=” là dấu bằng", "•"])
def test_text_with_a_formula_sign_inside_is_left_alone(text):
    from openpyxl import load_workbook

    r = one_task_report(text)
    row = list(csv.reader(io.StringIO(render_report(r, "csv").decode("utf-8-sig"), newline="")))[1]
    assert row[4] == text
    cell = load_workbook(io.BytesIO(render_report(r, "xlsx"))).worksheets[0]["E2"]
    assert cell.value == text and not cell.quotePrefix


def test_markdown_escapes_html_in_every_text():
    """Titles, citations, tasks, the agency: "<", ">" and "&" become entities, so a Markdown renderer shows
    a document's <script> or <img onerror> as text and runs nothing; the report still reads as Markdown."""
    from markdown_it import MarkdownIt

    r = one_task_report("<script>alert(1)</script> Sở Y tế & Sở Tài chính | phối hợp",
                        doc_title="<img src=x onerror=alert(1)>", doc_citation="Kế hoạch <b>số 9</b>")  # fmt: skip
    r["agency"] = "Sở <i>Y tế</i>"
    r["groups"][0]["sections"][0]["tasks"][0]["citation"] = "Mục I, <a href=javascript:alert(1)>Kế hoạch</a>"
    md = render_report(r, "md").decode("utf-8")
    assert "<" not in md and ">" not in md
    assert md.startswith("# Báo cáo kết quả thực hiện nhiệm vụ — Sở &lt;i&gt;Y tế&lt;/i&gt;\n")
    assert "## Kế hoạch &lt;b&gt;số 9&lt;/b&gt;\n" in md
    assert "*&lt;img src=x onerror=alert(1)&gt;*" in md
    assert "| &lt;script&gt;alert(1)&lt;/script&gt; Sở Y tế &amp; Sở Tài chính \\| phối hợp |" in md
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(md)  # raw HTML allowed
    for tag in ("<script", "<img", "<b>", "<i>", "<a "):
        assert tag not in rendered
    for shown in ("&lt;script&gt;alert(1)&lt;/script&gt;", "<em>&lt;img src=x onerror=alert(1)&gt;</em>",
                  "<h2>Kế hoạch &lt;b&gt;số 9&lt;/b&gt;</h2>", "Sở Y tế &amp; Sở Tài chính | phối hợp</td>"):  # fmt: skip
        assert shown in rendered
    assert rendered.count("<tr>") == 2 and rendered.count("<td>") == len(HEADERS)  # one row, no stray cell


def test_filenames_and_media_types(report, store):
    assert report_filename(report, "xlsx") == "bao-cao-nhiem-vu-so-lao-dong-thuong-binh-va-xa-hoi.xlsx"
    one = agency_report(store, "Sở Y tế", "1212/KH-UBND")
    name = report_filename(one, "docx")
    assert name == "bao-cao-nhiem-vu-so-y-te-ke-hoach-1212-kh-ubnd-khanh-hoa-asean-2021-2025.docx"
    assert name.isascii()
    assert set(REPORT_MEDIA_TYPES) == set(FORMATS)
    with pytest.raises(InvalidArgument, match="không được hỗ trợ"):
        render_report(report, "pdf")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_libreoffice_renders_vietnamese(report, tmp_path, fmt):
    from pypdf import PdfReader

    src = tmp_path / f"report.{fmt}"
    src.write_bytes(render_report(report, fmt))
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(src)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = "".join(page.extract_text() or "" for page in PdfReader(tmp_path / "report.pdf").pages)
    assert "Kết quả thực hiện" in " ".join(text.split())


@pytest.mark.embedded_only  # the CLI over a module-wide data folder
def test_cli_report(store, tmp_path):
    import json

    from click.testing import CliRunner

    from tracuu.api.cli import cli

    home = str(store.path.parent)
    runner = CliRunner()
    out = runner.invoke(cli, ["--home", home, "report", "--agency", "Sở LĐTBXH", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["agency"] == "Sở Lao động - Thương binh và Xã hội" and data["counts"]["lead"] >= 20
    path = tmp_path / "bao-cao.xlsx"
    out = runner.invoke(
        cli, ["--home", home, "report", "--agency", "so ldtbxh", "--format", "xlsx", "-o", str(path)]
    )
    assert out.exit_code == 0 and path.stat().st_size > 0 and "Đã ghi" in out.output
    bad = runner.invoke(cli, ["--home", home, "report", "--agency", "Sở Y tế", "--doc", "99/KH-XYZ"])
    assert bad.exit_code == 1 and "Không có văn bản" in bad.output
