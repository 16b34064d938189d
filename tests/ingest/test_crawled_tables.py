"""Tables in pages saved from the web, where every cell stands on lines of its own between lines holding only
"|" (the header cells in bold, the rows numbered): read as rows, the same rows as the markdown pipe table of
the same plan gives, so each row is one task with its lead, cooperating agencies and deadline."""

from __future__ import annotations

from pathlib import Path

from test_tables import HEAD, ROWS

from tracuu.ingest.normalize import cell_per_line_tables
from tracuu.ingest.pipeline import ingest_file

TOP = """|
**ỦY BAN NHÂN
DÂN **
TỈNH QUẢNG NGÃI
--------
|
**CỘNG HÒA XÃ
HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số: 88/KH-UBND
|
*Quảng Ngãi, ngày
05 tháng 3 năm 2024*
|

**KẾ HOẠCH**

Triển khai chuyển đổi số năm 2024

**I. NHIỆM VỤ**

Các nhiệm vụ cụ thể tại danh mục sau:

"""


def wrapped(text: str, width: int = 40) -> list[str]:
    """A cell's text broken over lines as a crawler breaks it."""
    lines, cur = [], ""
    for word in text.split():
        if cur and len(cur) + len(word) > width:
            lines.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}".strip()
    return [*lines, cur]


def crawled(rows: list[tuple[str, ...]]) -> str:
    out = ["|"]
    for i, row in enumerate([HEAD, *rows]):
        if i:
            out.append("|")
        for cell in row:
            out.extend([f"**{cell}**"] if not i else wrapped(cell))
            out.append("|")
    return (
        TOP
        + "\n".join(out)
        + "\n\n**II. TỔ CHỨC THỰC HIỆN**\n\nCác cơ quan báo cáo kết quả trước ngày 15/12/2024.\n"
    )


def piped(rows: list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return (
        TOP
        + "\n".join(lines)
        + "\n\n**II. TỔ CHỨC THỰC HIỆN**\n\nCác cơ quan báo cáo kết quả trước ngày 15/12/2024.\n"
    )


def tasks(path: Path) -> list[tuple]:
    doc = ingest_file(path, segment=False)
    return [(t.lead, tuple(t.cooperating), t.deadline, " ".join(t.task.split())) for t in doc.tasks]


def test_cell_per_line_rows_are_rows(tmp_path):
    web = tmp_path / "ke-hoach-88.md"
    web.write_text(crawled(ROWS), encoding="utf-8")
    pipe = tmp_path / "ke-hoach-88-pipe.md"
    pipe.write_text(piped(ROWS), encoding="utf-8")
    got = tasks(web)
    assert got == tasks(pipe)
    assert [(t[0], t[2], t[3]) for t in got[:4]] == [
        ("Sở Thông tin và Truyền thông", "Quý IV năm 2024", " ".join(ROWS[0][1].split())),
        ("Văn phòng Ủy ban nhân dân tỉnh", "Năm 2024", ROWS[1][1]),
        ("Sở Tài chính", "Tháng 6 năm 2024", ROWS[2][1]),
        ("Sở Thông tin và Truyền thông", "Thường xuyên", ROWS[3][1]),
    ]
    assert got[3][1] == ("Báo Quảng Ngãi", "Đài Phát thanh và Truyền hình tỉnh")
    header = ingest_file(web, segment=False).header
    assert (header.number, header.type, header.date) == ("88/KH-UBND", "Kế hoạch", "2024-03-05")


def test_what_is_not_a_table_of_rows_is_left_alone():
    """A two-column header block, a table whose first row is not a bold header, rows that do not close
    where the header's width says: left line for line as they came."""
    header_block = TOP.split("\n\n")[0].split("\n")
    assert cell_per_line_tables(header_block) == header_block
    metadata = ["|", "**Số hiệu:**", "|", "88/KH-UBND", "|", "**Loại văn bản:**", "|", "Kế hoạch", "|", "|",
                "**Nơi ban hành:**", "|", "Quảng Ngãi", "|", "**Người ký:**", "|", "Nguyễn Văn A", "|"]  # fmt: skip
    assert cell_per_line_tables(metadata) == metadata
    ragged = crawled(ROWS[:1]).split("\n")
    cut = ragged.index("Quý IV năm 2024")
    del ragged[cut - 1 : cut + 1]  # the row lost a cell: nothing to align it by
    assert not any(line.startswith("| 1 |") for line in cell_per_line_tables(ragged))


def test_rows_that_cannot_be_read_are_reported_not_invented(tmp_path):
    """A task table whose rows came apart (cells run together, a lead cell naming no agency): the rows that
    read give their tasks, the others give none, and `tracuu ingest` says where the table could not be read."""
    import json

    from click.testing import CliRunner

    from tracuu.api.cli import cli

    rows = [
        ROWS[0],
        ("2", f"{ROWS[1][1]} {ROWS[1][2]}"),
        ("3", ROWS[2][1], "Theo phân công", "", "Năm 2024"),
        ROWS[3],
    ]
    lines = ["| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    path = tmp_path / "ke-hoach-88.md"
    path.write_text(TOP + "\n".join(lines) + "\n", encoding="utf-8")
    doc = ingest_file(path, segment=False)
    assert [t.lead for t in doc.tasks] == ["Sở Thông tin và Truyền thông", "Sở Thông tin và Truyền thông"]
    notices = [w for w in doc.warnings if w.startswith("bảng nhiệm vụ")]
    assert notices == [
        "bảng nhiệm vụ ở mục I: 2 hàng không đọc được (thiếu ô hoặc không nhận ra cơ quan chủ trì)"
    ]
    run = CliRunner().invoke(
        cli, ["--home", str(tmp_path / "kho"), "ingest", "--no-index", "--json", str(path)]
    )
    summary = json.loads(run.output[run.output.index("{") :])
    assert summary["tasks"] == 2
    assert summary["notices"] == [{"file": str(path.resolve()), "notice": notices[0]}]
    text = (
        CliRunner().invoke(cli, ["--home", str(tmp_path / "kho2"), "ingest", "--no-index", str(path)]).output
    )
    assert f"Lưu ý: {path.resolve()}: {notices[0]}" in text


def saved_page(rows: list[tuple[str, ...]], merge_first_leads: bool = False) -> str:
    """A plan as a portal serves it: the header in a borderless layout table, the task table in <table>
    markup with no <tbody>, a two-row header ("Cơ quan thực hiện" over "Chủ trì | Phối hợp", the other
    header cells merged down) and, with `merge_first_leads`, the first lead cell merged down over two rows."""
    cells = []
    for i, (stt, task, lead, coop, when) in enumerate(rows):
        if merge_first_leads and i == 1:
            lead_cell = ""  # covered by the cell above
        elif merge_first_leads and i == 0:
            lead_cell = f'<td rowspan="2">{lead}</td>'
        else:
            lead_cell = f"<td>{lead}</td>"
        cells.append(
            f"<tr><td>{stt}</td><td><p>{task}</p></td>{lead_cell}<td>{coop}</td><td>{when}</td></tr>"
        )
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Kế hoạch 88/KH-UBND</title></head><body>
<nav><a href="/">Trang chủ</a> | <a href="/van-ban">Văn bản</a></nav>
<table><tr><td><p><b>ỦY BAN NHÂN DÂN<br>TỈNH QUẢNG NGÃI</b></p><p>--------</p><p>Số: 88/KH-UBND</p></td>
<td><p><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br><b>Độc lập - Tự do - Hạnh phúc</b></p><p>---------------</p>
<p><i>Quảng Ngãi, ngày 05 tháng 3 năm 2024</i></p></td></tr></table>
<p align="center"><b>KẾ HOẠCH</b></p><p align="center"><b>Triển khai chuyển đổi số năm 2024</b></p>
<p><b>I. NHIỆM VỤ</b></p><p>Các nhiệm vụ cụ thể tại danh mục sau:</p>
<table border="1"><tr><th rowspan="2">STT</th><th rowspan="2">Nhiệm vụ</th><th colspan="2">Cơ quan thực hiện</th>
<th rowspan="2">Thời gian hoàn thành</th></tr><tr><th>Chủ trì</th><th>Phối hợp</th></tr>
{"".join(cells)}</table>
<p><b>II. TỔ CHỨC THỰC HIỆN</b></p><p>Các cơ quan báo cáo kết quả trước ngày 15/12/2024.</p>
<footer>Bản quyền thuộc Cổng thông tin điện tử tỉnh</footer></body></html>"""


def test_an_html_table_reads_as_the_same_rows(tmp_path):
    """A saved page's <table> came out one cell per line: no row was read as a row, and a lead merged down
    (rowspan) or a header of two rows (colspan) lost its column. Read into the table model DOCX and PDF
    tables share, the page gives the pipe table's tasks."""
    page = tmp_path / "ke-hoach-88.html"
    page.write_text(saved_page(ROWS), encoding="utf-8")
    pipe = tmp_path / "ke-hoach-88-pipe.md"
    pipe.write_text(piped(ROWS), encoding="utf-8")
    got = tasks(page)
    assert got == tasks(pipe)
    assert got[3][1] == ("Báo Quảng Ngãi", "Đài Phát thanh và Truyền hình tỉnh")
    header = ingest_file(page, segment=False).header
    assert (header.number, header.type, header.date, header.issuer) == (
        "88/KH-UBND", "Kế hoạch", "2024-03-05", "UBND tỉnh Quảng Ngãi")  # fmt: skip
    same_lead = [ROWS[0], (ROWS[1][0], ROWS[1][1], ROWS[0][2], *ROWS[1][3:]), *ROWS[2:]]
    merged = tmp_path / "ke-hoach-88-gop-o.html"
    merged.write_text(saved_page(same_lead, merge_first_leads=True), encoding="utf-8")
    assert [t[0] for t in tasks(merged)[:2]] == ["Sở Thông tin và Truyền thông"] * 2


def test_html_tables_keep_what_stands_outside_their_cells():
    """A caption, and the rest of a page whose table is never closed, stay in the text, after the rows."""
    from tracuu.ingest.readers.html import read_html

    text = read_html("p.html", "<p>Mở đầu</p><table><caption>Bảng 1. Nhiệm vụ</caption><tr><td>a</td>"
                     "<td>b</td></tr><p>Điều 1. Phạm vi</p><p>Điều 2. Đối tượng</p>".encode()).text  # fmt: skip
    lines = [ln for ln in text.split("\n") if ln.strip()]
    assert lines == ["Mở đầu", "Bảng 1. Nhiệm vụ", "a", "b", "Điều 1. Phạm vi", "Điều 2. Đối tượng"]


def test_html_rowspan_over_a_short_row_and_group_rows_stay_rows():
    """A cell merged down over a row that has fewer cells lands in that row, not in a later one; a section
    row ("I | CÔNG TÁC CHỈ ĐẠO") above a row whose STT is blank is never folded into a header."""
    from tracuu.ingest.normalize import merge_header_rows
    from tracuu.ingest.readers.html import read_html

    html = ("<table><tr><td>1</td><td>Việc một</td><td>Sở Y tế</td><td rowspan=2>Quý I</td></tr>"
            "<tr><td>2</td><td>Việc hai</td><td>Sở Tài chính</td></tr>"
            "<tr><td>3</td><td>Việc ba</td><td>Sở Nội vụ</td><td>Quý III</td></tr></table>")  # fmt: skip
    rows = [ln for ln in read_html("p.html", html.encode()).text.split("\n") if ln.strip()]
    assert rows == ["1 | Việc một | Sở Y tế | Quý I", "2 | Việc hai | Sở Tài chính | Quý I",
                    "3 | Việc ba | Sở Nội vụ | Quý III"]  # fmt: skip
    section = [["I", "CÔNG TÁC CHỈ ĐẠO", "", "", ""], ["", "Họp ban", "Sở Y tế", "Sở Tài chính", "Quý"]]
    assert merge_header_rows(section) == (section, None)
