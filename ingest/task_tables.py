"""Task tables: rows of a table whose header has a lead column ("Cơ quan chủ trì") become tasks, whatever the
format gave the table (markdown pipes, DOCX and PDF cells, crawled cell-per-line tables all arrive as
" | "-joined rows). Rows that cannot be read are counted and reported, never made into tasks."""

from __future__ import annotations

import re
from typing import Any, Protocol

from .agencies import canonical, find_agencies, split_agencies
from .model import Document, Task, Unit
from .normalize import CELL_SEP


class Reader(Protocol):
    """What the table reader needs of the extractor: the document, its place, the tasks found so far, and
    how it names and resolves bodies."""

    doc: Document
    scope: str | None
    tasks: list[Task]

    def is_agency(self, phrase: str) -> bool: ...

    def make(
        self, written: str, coop: list[str], kind: str, path: str | None = None, whole: bool = False
    ) -> Any: ...

    def coop_list(self, phrase: str) -> list[str]: ...

    def field_parties(self, phrase: str) -> list[str]: ...


# the kind of body a name states ("Trường …", "Tập đoàn …", "Địa phương …"): what makes a phrase a body's name
_BODY_KIND = re.compile(
    r"(?:(?:các|những)\s+)?(?:sở|bộ|ban|ủy ban|uỷ ban|ubnd|cục|chi cục|tổng cục|vụ|trung tâm|trường|viện|học viện|đại học|"
    r"thư viện|bảo tàng|nhà hát|nhà xuất bản|phòng|khoa|trạm|"
    r"bệnh viện|tập đoàn|công ty|doanh nghiệp|địa phương|tỉnh|thành phố|huyện|quận|xã|phường|đoàn|đài|"
    r"báo(?!\s+cáo)|hội(?!\s+(?:nghị|thảo|thi|diễn|chợ|đồng))|hội đồng|văn phòng|quỹ|ngân hàng|kho bạc|cơ quan|"
    r"đơn vị|lực lượng|công an|quân khu|bộ chỉ huy|chính quyền|thanh tra|tòa án|viện kiểm sát|mặt trận|hợp tác xã|"
    r"câu lạc bộ)\b",
    re.I,
)
# a table's group row that is only a time: "Đến năm 2030", "Giai đoạn 2026 - 2030", "Năm 2025"
_PERIOD = re.compile(
    r"^(?:(?:đến|trước|trong|từ|sau)\s+)?(?:năm|giai đoạn|quý|tháng|nhiệm kỳ)\s+[\dIVX][\w\s/–-]{0,30}$", re.I
)
_ACRONYM = re.compile(r"[A-ZĐ]{2,8}")  # "VTV", "TTXVN", "EVN": a body named by its initials in a lead cell
_TABLE_LEAD = re.compile(r"chủ trì|thực hiện|chịu trách nhiệm|phụ trách", re.I)
_TABLE_WHO = re.compile(r"^(?:cơ quan|đơn vị|địa phương)(?:\s*[,/]\s*(?:cơ quan|đơn vị|địa phương))*$", re.I)
_TABLE_COOP = re.compile(r"phối hợp", re.I)
_TABLE_TASK = re.compile(r"nhiệm vụ|nội dung|công việc|chỉ tiêu|hoạt động", re.I)
_TABLE_TIME = re.compile(r"thời gian|thời hạn|tiến độ", re.I)
MAX_BROKEN_LINES = 4  # lines between two rows of one table that can have been one row come apart
_GROUP_LABEL = re.compile(r"^(?:[IVXLC]{1,5}|[A-ZĐ])\.?$")  # the label of a group row: "I", "II.", "A"
TABLE_NOTICE = "bảng nhiệm vụ ở "  # how the warnings below begin (tracuu ingest lists them)


def unreadable_tables(doc: Document, offsets: list[int]) -> list[str]:
    """One warning per page (or, without pages, per section) holding task-table rows that could not be read."""
    where: dict[str, int] = {}
    for offset in offsets:
        page = doc.page_at(offset)
        unit = next((u for u in reversed(doc.units) if u.start <= offset), None)
        key = f"trang {page}" if page else f"mục {unit.section}" if unit and unit.section else "văn bản"
        where[key] = where.get(key, 0) + 1
    return [f"{TABLE_NOTICE}{key}: {n} hàng không đọc được (thiếu ô hoặc không nhận ra cơ quan chủ trì)"
            for key, n in where.items()]  # fmt: skip


def read_tables(ex: Reader) -> None:
    """Rows of tables whose header has a lead column ("Cơ quan chủ trì"). Rows of such a table that cannot
    be read (cells missing or run together, a lead cell naming no agency) are counted, and the document
    says on which page (`unreadable_tables`): no task is made up from them."""
    text = ex.doc.text
    header: dict[str, int] | None = None
    width = 0
    period: str | None = None  # the time a group row gives the rows under it
    unreadable: list[int] = []  # offsets of rows that could not be read
    gap: list[int] = []  # lines since the last row that are not rows
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if not line.strip():
            continue
        cells = [c.strip() for c in line.split(CELL_SEP.strip())]
        if (
            header is not None
            and _GROUP_LABEL.match(cells[0])
            and len(cells) >= 2
            and cells[1]
            and not any(cells[2:])
        ):
            if _PERIOD.match(cells[1]):  # "| II | Năm 2026 | | |": the time of the rows under it
                period = cells[1]
            continue  # a group row spanning the table ("| I | Công tác chỉ đạo | |"): neither a task nor broken
        if len(cells) < 4:  # a row come apart (its cells on lines of their own), or the table's end
            gap.append(start)
            if len(gap) > MAX_BROKEN_LINES:
                header, gap = None, []
            continue
        cols = _table_header(cells)
        if cols is not None:
            header, width, gap, period = cols, len(cells), [], None
            continue
        if header is None:
            continue
        if gap and len(cells) != width:  # another table, after the text that ended this one
            header, gap = None, []
            continue
        if gap:  # the table goes on after lines that were one of its rows
            unreadable.append(gap[0])
            gap = []
        if len(cells) <= header["lead"]:
            unreadable.append(start)
            continue
        lead_cell = cells[header["lead"]]
        task_cell = cells[header.get("task", 1)] if len(cells) > header.get("task", 1) else ""
        parts, marked_coop = marked_leads(lead_cell)  # "X (chủ trì); Y, Z": one column for all who act
        parts = parts or cell_leads(ex, lead_cell, well_formed=len(cells) == width)
        if not lead_cell and _PERIOD.match(task_cell) and not any(cells[header.get("task", 1) + 1 :]):
            period = task_cell  # a group row "| I | Đến năm 2030 | | |": the time of the rows under it
            continue
        if not parts or not task_cell:
            if len(cells) != width or (lead_cell and task_cell and not parts):
                unreadable.append(start)
            continue
        coop = cells[header["coop"]] if "coop" in header and len(cells) > header["coop"] else ""
        coop = "; ".join(c for c in (coop, *marked_coop) if c)
        lead = ex.make(parts[0], ex.field_parties(coop), "table")  # the column names them: kept as written
        u = unit_at(ex.doc, start)
        t = Task(
            unit_path=u.path if u else "",
            section=u.section if u else "",
            lead=lead.name,
            lead_written=parts[0],
            cooperating=lead.cooperating,
            task=task_cell,
            deadline=(cells[header["time"]] if "time" in header and len(cells) > header["time"] else None)
            or period,
            kind="table",
            co_leads=[canonical(p, ex.scope) for p in parts[1:]],
            start=start,
            end=start + len(line),
        )
        ex.tasks.append(t)
    ex.doc.warnings.extend(unreadable_tables(ex.doc, unreadable))


_MARKED = re.compile(r"\s*\((?:cơ quan |đơn vị )?chủ trì\)", re.I)


def marked_leads(cell: str) -> tuple[list[str], list[str]]:
    """A cell that names everyone who acts and marks the lead: "Công chức Văn hóa - Xã hội (chủ trì); Hội
    Phụ nữ xã, Hội Nông dân xã" → (["Công chức Văn hóa - Xã hội"], ["Hội Phụ nữ xã", "Hội Nông dân xã"])."""
    if not _MARKED.search(cell):
        return [], []
    marked = [m.strip() for m in re.findall(r"([^,;()]+?)" + _MARKED.pattern, cell, re.I)]
    rest = [p for p in split_agencies(_MARKED.sub("", cell)) if p.strip() and p.strip() not in marked]
    return marked, rest


def cell_leads(ex: Reader, cell: str, well_formed: bool) -> list[str]:
    """The leads a task table's lead cell names, in order: its agencies, its acronyms ("VTV, VOV, TTXVN,
    các địa phương"), names run together without a comma ("Bộ Thông tin và Truyền thông Bộ Khoa học và
    Công nghệ"); in a row with every cell in place, a name the gazetteer does not know ("Địa phương được
    lựa chọn", "Tập đoàn, doanh nghiệp công nghệ số") is still the lead: the column says so."""
    parts = [p for p in split_agencies(cell) if ex.is_agency(p) or _ACRONYM.fullmatch(p)]
    if parts and (ex.is_agency(parts[0]) or len(parts) > 1):
        return parts
    found = [m.text for m in find_agencies(cell, ex.scope)]
    if len(found) > 1 and sum(len(f) for f in found) >= 0.8 * len(cell.strip()):
        return found
    if parts:
        return parts
    if well_formed and looks_named(cell):
        return [cell.rstrip(" .")]
    return []


def unit_at(doc: Document, offset: int) -> Unit | None:
    best = None
    for u in doc.units:
        if u.start <= offset < max(u.end, u.start + 1) and (best is None or u.level >= best.level):
            best = u
    return best


def looks_named(text: str) -> bool:
    """A name where a block or a column says a body stands ("Trường Chính trị tỉnh", "Địa phương được lựa
    chọn"): capitalised, short, no figures, not a sentence — the gazetteer need not know it."""
    text = text.strip()
    if not (text[:1].isupper() and len(text) <= 150 and not re.search(r"\d|[.:;]\s", text)):
        return False
    return bool(_ACRONYM.fullmatch(text) or _BODY_KIND.match(text))  # not "Theo phân công", "Báo cáo kết quả"


def _table_header(cells: list[str]) -> dict[str, int] | None:
    cols: dict[str, int] = {}
    for i, c in enumerate(cells):
        if len(c) > 60:
            return None
        if "coop" not in cols and _TABLE_COOP.search(c):
            cols["coop"] = i
        elif "lead" not in cols and _TABLE_LEAD.search(c) and re.search(r"cơ quan|đơn vị", c, re.I):
            cols["lead"] = i
        elif "task" not in cols and _TABLE_TASK.search(c):
            cols["task"] = i
        elif "time" not in cols and _TABLE_TIME.search(c):
            cols["time"] = i
    if (
        "lead" not in cols and "task" in cols
    ):  # "STT | Đơn vị | Nhiệm vụ | Thời gian": who, by its column alone
        who = [i for i, c in enumerate(cells) if _TABLE_WHO.match(c.strip()) and i not in cols.values()]
        if who:
            cols["lead"] = who[0]
    return cols if "lead" in cols else None
