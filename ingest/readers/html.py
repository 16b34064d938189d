"""HTML: a saved web page's text (menus, side bars and scripts left out), its tables in the shared table
model, its declared charset honoured or legacy Vietnamese encodings repaired."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..normalize import (
    clean_text,
)
from .base import (
    CorruptFile,
    RawText,
    WrongEncoding,
)
from .plain import decode_bytes
from .tables import MAX_SPAN, table_lines

# ---------------------------------------------------------------- HTML
_BLOCK_TAGS = {
    "p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "table",
    "section", "article", "header", "footer", "blockquote", "pre", "ul", "ol", "dd", "dt",
}  # fmt: skip
# never the document's text; "nav", "aside" and "footer" are the saved page's menus, side bars and copyright
_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "svg", "nav", "aside", "footer"}


MAX_NESTED_TABLES = 4  # tables in tables in cells: deeper ones are layout, read as the text of their cell
REPEAT_BUDGET = 1_000_000  # characters a table may repeat from cells merged down; past it they stay empty


class _Cell:
    """A cell's text as lines, each line gathered in pieces (joined once: no quadratic string growth)."""

    def __init__(self) -> None:
        self.lines: list[list[str]] = [[]]

    def write(self, text: str) -> None:
        self.lines[-1].append(text)

    def newline(self) -> None:
        if any(p.strip() for p in self.lines[-1]):
            self.lines.append([])

    def text(self) -> list[str]:
        return [" ".join("".join(line).split()) for line in self.lines if "".join(line).strip()]


class _Table:
    """A table being read: rows of cells (None: a column covered by a cell merged across). A cell merged
    down (rowspan) is repeated on the rows it covers, as a DOCX vertical merge is; text outside any cell
    (a caption, stray text between rows, the rest of a page whose table is never closed) is kept as a
    row of its own, read as paragraphs."""

    def __init__(self) -> None:
        self.rows: list[list[_Cell | None]] = []
        self.cell: _Cell | None = None  # the cell being read
        self.loose: _Cell | None = None  # text outside any cell, since the last cell
        self.spans: dict[int, tuple[_Cell, int, int]] = {}  # grid column → (cell, rows still to cover, width)
        self.column = 0  # grid column of the next cell in this row
        self.placed: set[int] = set()  # columns of spans placed in this row
        self.repeated = 0  # characters repeated by spans so far

    def open_row(self) -> None:
        self.close_row()
        self.rows.append([])
        self.column, self.placed = 0, set()
        self._carry()

    def close_row(self) -> None:
        self.close_cell()
        if not self.rows:
            return
        for column in sorted(c for c in self.spans if c >= self.column):  # a short row: the spans after it
            self.rows[-1].extend([None] * (column - self.column))
            self.column = column
            self._carry()
        for column in [c for c in self.spans if c not in self.placed]:  # a cell of this row stood there
            cell, left, across = self.spans.pop(column)
            if left > 1:
                self.spans[column] = (cell, left - 1, across)
        self.placed = set(self.spans)  # placed or consumed: the next row starts afresh

    def open_cell(self, attrib) -> None:
        self.close_cell()
        if not self.rows:
            self.open_row()
        self._carry()
        self.cell = _Cell()
        self.rows[-1].append(self.cell)
        down, across = _span(attrib.get("rowspan")), _span(attrib.get("colspan"))
        if down > 1:
            self.spans[self.column] = (self.cell, down - 1, across)
            self.placed.add(self.column)
        self.rows[-1].extend([None] * (across - 1))  # merged across: empty columns, kept aligned
        self.column += across

    def close_cell(self) -> None:
        self.cell = None

    def write_outside(self, text: str) -> None:
        if self.loose is None:
            if not text.strip():
                return
            self.loose = _Cell()
            self.rows.append([self.loose])
            self.rows.append([])  # the rows after it are rows of their own
            self.column, self.placed = 0, set()
        self.loose.write(text)

    def _carry(self) -> None:
        """Cells merged down from the rows above that stand at the next grid column of this row."""
        self.loose = None
        while self.column in self.spans:
            cell, left, across = self.spans.pop(self.column)
            self.repeated += sum(len(p) for line in cell.lines for p in line)
            self.rows[-1].extend([cell if self.repeated <= REPEAT_BUDGET else None, *[None] * (across - 1)])
            self.placed.add(self.column)
            if left > 1:
                self.spans[self.column] = (cell, left - 1, across)
            self.column += across

    def lines(self) -> list[str]:
        """The table as text lines, as a DOCX table reads (`table_lines`)."""
        return table_lines([[cell.text() if cell else [] for cell in row] for row in self.rows if row])


def _span(value) -> int:
    try:
        return max(1, min(int(str(value).strip()), MAX_SPAN))
    except (TypeError, ValueError):
        return 1


class _TextTarget:
    """Parser events to text (lxml's "target" interface: no tree is built, nothing recurses). Tables come out
    in the one table model every format shares (`table_row`); nested tables are read inside their cell,
    down to MAX_NESTED_TABLES (deeper ones are text of their cell).

    libxml2's HTML parser rather than html.parser: on unclosed markup ("<a<a<a…", "<!--<!--…") the
    standard library's parser takes quadratic time (Python 3.11.7: 160 KB of "<a" took 77 s, 320 KB of
    "<!--" 167 s); libxml2 reads both in linear time and recovers from any broken markup."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.skip = 0
        self.tables: list[_Table] = []
        self.flat = 0  # tables opened past MAX_NESTED_TABLES, read as text

    def start(self, tag, attrib) -> None:
        tag = tag.lower() if isinstance(tag, str) else ""
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif self.skip:
            return
        elif tag == "table" and (self.flat or len(self.tables) >= MAX_NESTED_TABLES):
            self.flat += 1
            self._break()
        elif tag == "table":
            self.tables.append(_Table())
        elif self.tables and not self.flat and tag == "tr":
            self.tables[-1].open_row()
        elif self.tables and not self.flat and tag in {"td", "th"}:
            self.tables[-1].open_cell(attrib)
        elif tag in _BLOCK_TAGS:
            self._break()

    def end(self, tag) -> None:
        tag = tag.lower() if isinstance(tag, str) else ""
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif self.skip:
            return
        elif tag == "table" and self.flat:
            self.flat -= 1
            self._break()
        elif tag == "table" and self.tables:
            lines = self.tables.pop().lines()
            self._break()
            for line in lines:
                self._write(line)
                self._break()
        elif self.tables and not self.flat and tag == "tr":
            self.tables[-1].close_row()
        elif self.tables and not self.flat and tag in {"td", "th"}:
            self.tables[-1].close_cell()
        elif tag in _BLOCK_TAGS:
            self._break()

    def data(self, data: str) -> None:
        if not self.skip:
            self._write(re.sub(r"\s+", " ", data))

    def _write(self, text: str) -> None:
        if not self.tables:
            self.parts.append(text)
        elif self.tables[-1].cell is not None:
            self.tables[-1].cell.write(text)
        else:
            self.tables[-1].write_outside(text)

    def _break(self) -> None:
        if not self.tables:
            self.parts.append("\n\n")
        elif self.tables[-1].cell is not None:
            self.tables[-1].cell.newline()
        elif self.tables[-1].loose is not None:
            self.tables[-1].loose.newline()

    def comment(self, text: str) -> None:
        pass

    def close(self) -> str:
        while self.tables:  # a table the page never closed
            self.flat = 0
            self.end("table")
        return "".join(self.parts)


# Declared charsets read as UTF-8 or, for old TCVN3/VNI pages served as Latin-1, converted.
_HTML_UTF8_OR_LEGACY = {"utf-8", "utf8", "iso-8859-1", "latin1", "latin-1", "windows-1252", "cp1252",
                        "us-ascii"}  # fmt: skip


def read_html(path: str | Path, data: bytes) -> RawText:
    m = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:4096], re.I)
    charset = m.group(1).decode("ascii", "ignore").lower() if m else "utf-8"
    encoding = None
    if charset in {"windows-1258", "cp1258"}:
        try:
            text, encoding = unicodedata.normalize("NFC", data.decode("cp1258")), "windows-1258"
        except UnicodeDecodeError as exc:
            raise WrongEncoding(path, "trang HTML khai báo Windows-1258 nhưng có byte không hợp lệ") from exc
    elif charset in _HTML_UTF8_OR_LEGACY:  # TCVN3/VNI pages were served as Latin-1
        text, encoding = decode_bytes(path, data)
    else:
        raise WrongEncoding(path, f"trang HTML dùng bảng mã {charset}; hãy lưu lại với mã UTF-8")
    from lxml import etree  # python-docx's own dependency

    target = _TextTarget()
    try:
        parser = etree.HTMLParser(target=target, recover=True, no_network=True)
        parser.feed(text)
        parser.close()
    except Exception as exc:
        raise CorruptFile(path, f"HTML không đọc được ({type(exc).__name__})") from exc
    lines = [line.strip() for line in "".join(target.parts).split("\n")]
    meta = {"encoding": encoding} if encoding else {}
    return RawText(text=clean_text("\n".join(lines)), fmt="html", metadata=meta)
