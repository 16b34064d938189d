"""The agency task report (`knowledge.tasks.agency_report`) as a file to fill in and send back: Markdown,
CSV (UTF-8 with BOM, so Excel reads the Vietnamese), Excel (.xlsx) and Word (.docx, landscape A4).

Every format has the same columns, one row per task, and an empty "Kết quả thực hiện" column for the agency
to write what it did: the yearly report the plans ask of each agency."""

from __future__ import annotations

import csv
import html
import io
import re
import unicodedata
from typing import Any

from tracuu.core.errors import InvalidArgument
from tracuu.ingest.normalize import fold

HEADERS = ("STT", "Văn bản", "Mục", "Vai trò", "Nhiệm vụ", "Cơ quan phối hợp", "Thời hạn", "Trích dẫn",
           "Kết quả thực hiện")  # fmt: skip
# Column widths: Excel characters; Word centimetres on a landscape A4 page less 2 × 1.5 cm margins (26.7 cm).
XLSX_WIDTHS = (6, 22, 12, 11, 60, 32, 16, 40, 40)
DOCX_WIDTHS = (1.0, 2.6, 1.6, 1.6, 7.2, 3.4, 2.2, 3.6, 3.5)
REPORT_MEDIA_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
_BULLET = re.compile(r"^\s*[-+•*–]\s+")
_FORMULA = ("=", "+", "-", "@")  # a spreadsheet reads a cell that starts so as a formula
_INVISIBLE = ("Cc", "Cf", "Zs", "Zl", "Zp")  # control, format (zero-width…) and space characters
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(value: Any) -> Any:
    """What a Word or Excel file can hold: each character XML 1.0 forbids (U+FFFE, a control character…)
    becomes U+FFFD, one for one, so offsets into the text stay right; in strings, lists and dicts."""
    if isinstance(value, str):
        return _NOT_XML.sub("\ufffd", value)
    if isinstance(value, list | tuple):
        return [xml_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: xml_safe(v) for k, v in value.items()}
    return value


def title(report: dict[str, Any]) -> str:
    return f"Báo cáo kết quả thực hiện nhiệm vụ — {report['agency']}"


def summary(report: dict[str, Any]) -> str:
    c = report["counts"]
    if not report["groups"]:
        return "Không có nhiệm vụ nào giao cho cơ quan này trong các văn bản của kho."
    member = f", cùng nhóm chủ trì {c['member']} nhiệm vụ" if c.get("member") else ""
    return (f"Chủ trì {c['lead']} nhiệm vụ, phối hợp {c['cooperating']} nhiệm vụ{member}, "
            f"trong {len(report['groups'])} văn bản.")  # fmt: skip


def rows(report: dict[str, Any]) -> list[tuple[dict[str, Any], list[list[str]]]]:
    """(document group, its rows) per document, numbered on across the whole report."""
    out, n = [], 0
    for group in report["groups"]:
        table = []
        for section in group["sections"]:
            for t in section["tasks"]:
                n += 1
                table.append([str(n), group["doc_label"], section["section"], t["role"], task_text(t["task"]),
                              partners(t), t["deadline"] or "", t["citation"], t.get("result") or ""])  # fmt: skip
        out.append((group, table))
    return out


def task_text(text: str) -> str:
    """The task without the bullet ("+ ", "- ") it had in its list."""
    return _BULLET.sub("", text).strip()


def partners(t: dict[str, Any]) -> str:
    """Who cooperates; for a task the agency only cooperates on, who leads it first."""
    names = list(t["cooperating"])
    if t["role"] != "chủ trì" and t["lead"]:
        names.insert(0, f"{t['lead']} (chủ trì)")
    return "; ".join(names)


def report_filename(report: dict[str, Any], fmt: str) -> str:
    """ASCII-safe: "bao-cao-nhiem-vu-so-lao-dong-thuong-binh-va-xa-hoi.xlsx"."""
    parts = ["bao-cao-nhiem-vu", report["agency"]] + ([report["doc"]] if report.get("doc") else [])
    slug = re.sub(r"[^a-z0-9]+", "-", fold(" ".join(parts)).encode("ascii", "ignore").decode()).strip("-")
    return f"{slug[:150].rstrip('-') or 'bao-cao-nhiem-vu'}.{fmt}"


def render_report(report: dict[str, Any], fmt: str) -> bytes:
    renderers = {"md": _md, "csv": _csv, "xlsx": _xlsx, "docx": _docx}
    if fmt not in renderers:
        raise InvalidArgument(f"Định dạng '{fmt}' không được hỗ trợ; chọn một trong: {', '.join(renderers)}.")
    return renderers[fmt](xml_safe(report) if fmt in ("xlsx", "docx") else report)


# ---------------------------------------------------------------- formats
def _md(report: dict[str, Any]) -> bytes:
    """Every text from the documents or the request (agency, citation, title, task…) goes through _md_text:
    a Markdown renderer passes raw HTML through, and a document's "<script>" must stay text."""
    lines = [f"# {_md_text(title(report))}", "", _md_text(summary(report))]
    for group, table in rows(report):
        lines += ["", f"## {_md_text(group['doc_citation'])}", ""]
        if group.get("doc_title"):
            lines += [f"*{_md_text(group['doc_title'])}*", ""]
        lines += ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
        lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in table]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _md_text(value: str) -> str:
    """One line of inert Markdown: whitespace runs (newlines too) become one space, "&", "<", ">" become
    entities (never raw HTML: "<img onerror=…>" shows as typed), and a backslash stays a backslash."""
    return html.escape(" ".join(value.split()), quote=False).replace("\\", "\\\\")


def _md_cell(value: str) -> str:
    """A table cell: _md_text, and "|" escaped so it does not end the cell."""
    return _md_text(value).replace("|", "\\|")


def _csv(report: dict[str, Any]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for _, table in rows(report):
        writer.writerows([[_inert(v) for v in row] for row in table])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _inert(value: str) -> str:
    """A cell Excel will not run as a formula: one that looks like a formula gets a leading apostrophe."""
    return f"'{value}" if _looks_like_formula(value) else value


def _looks_like_formula(value: str) -> bool:
    """Whether a spreadsheet may read the text as a formula: its first visible character (after any spaces,
    control or zero-width characters, which an import or a trim may drop) is =, +, - or @ in any form NFKC
    folds to one: also the full-width "＝" "＋" "－" "＠" (East Asian input methods type these, and an
    import that folds them to ASCII would start a formula), the small "﹦" "﹢" "﹣" "﹫", the superscript "⁼"."""
    for char in value:
        if char.isspace() or unicodedata.category(char) in _INVISIBLE:
            continue
        return unicodedata.normalize("NFKC", char).startswith(_FORMULA)
    return False


def _xlsx(report: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Báo cáo nhiệm vụ"
    ws.append(HEADERS)
    for _, table in rows(report):
        for row in table:
            ws.append([int(row[0]), *row[1:-1], None])  # the result column stays empty, to fill in
    thin = Side(style="thin", color="999999")
    for r, cells in enumerate(ws.iter_rows(min_row=1, max_col=len(HEADERS)), start=1):
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula
                if _looks_like_formula(cell.value):
                    cell.quotePrefix = True  # and stays text when edited in Excel, as if typed after a "'"
            cell.alignment = Alignment(wrap_text=True, vertical="center" if r == 1 else "top")
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if r == 1:
                cell.font = Font(bold=True)
                cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for i, width in enumerate(XLSX_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddHeader.center.text = title(report).replace("&", "&&")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _docx(report: dict[str, Any]) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(11)
    doc.add_heading(title(report), level=0)
    doc.add_paragraph(summary(report))
    for group, table in rows(report):
        doc.add_heading(group["doc_citation"], level=1)
        if group.get("doc_title"):
            doc.add_paragraph().add_run(group["doc_title"]).italic = True
        t = doc.add_table(rows=1, cols=len(HEADERS))
        t.style = "Table Grid"
        t.autofit = False
        header = t.rows[0]
        repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page
        repeat.set(qn("w:val"), "true")
        header._tr.get_or_add_trPr().append(repeat)
        for cell, text in zip(header.cells, HEADERS, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
        for row in table:
            cells = t.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.paragraphs[0].add_run(text).font.size = Pt(10)
        for col, width in zip(t.columns, DOCX_WIDTHS, strict=True):
            for cell in col.cells:
                cell.width = Cm(width)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
