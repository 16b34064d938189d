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


class _Table:
    """A table being read: its rows of cells, each cell a list of lines; `rowspan` carries a merged cell's
    text down to the rows it spans (as a DOCX vertical merge does)."""

    def __init__(self) -> None:
        self.rows: list[list[list[str]]] = []
        self.cell: list[str] | None = None  # the lines of the cell being read
        self.spans: dict[int, tuple[list[str], int, int]] = {}  # grid column → (cell, rows to cover, width)
        self.column = 0  # grid column of the next cell in this row

    def open_row(self) -> None:
        self.close_row()
        self.rows.append([])
        self.column = 0
        self._carry()

    def close_row(self) -> None:
        self.close_cell()
        if self.rows:
            self._carry()

    def open_cell(self, attrib) -> None:
        self.close_cell()
        if not self.rows:
            self.open_row()
        self._carry()
        self.cell = [""]
        self.rows[-1].append(self.cell)
        down, across = _span(attrib.get("rowspan")), _span(attrib.get("colspan"))
        if down > 1:
            self.spans[self.column] = (self.cell, down - 1, across)
        self.rows[-1].extend([] for _ in range(across - 1))  # merged across: empty columns, kept aligned
        self.column += across

    def close_cell(self) -> None:
        self.cell = None

    def _carry(self) -> None:
        """Cells merged down from the rows above that stand at the next grid column of this row."""
        while self.column in self.spans:
            lines, left, across = self.spans.pop(self.column)
            self.rows[-1].extend([lines, *([] for _ in range(across - 1))])
            if left > 1:
                self.spans[self.column] = (lines, left - 1, across)
            self.column += across

    def lines(self) -> list[str]:
        """The table as text lines, as a DOCX table reads (`table_lines`)."""
        rows = [[[" ".join(x.split()) for x in cell if x.strip()] for cell in row] for row in self.rows]
        return table_lines(rows)


def _span(value) -> int:
    try:
        return max(1, min(int(str(value).strip()), MAX_SPAN))
    except (TypeError, ValueError):
        return 1


class _TextTarget:
    """Parser events to text (lxml's "target" interface: no tree is built, nothing recurses). Tables come out
    in the one table model every format shares (`table_row`); nested tables are read inside their cell.

    libxml2's HTML parser rather than html.parser: on unclosed markup ("<a<a<a…", "<!--<!--…") the
    standard library's parser takes quadratic time (Python 3.11.7: 160 KB of "<a" took 77 s, 320 KB of
    "<!--" 167 s); libxml2 reads both in linear time and recovers from any broken markup."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.skip = 0
        self.tables: list[_Table] = []

    def start(self, tag, attrib) -> None:
        tag = tag.lower() if isinstance(tag, str) else ""
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif self.skip:
            return
        elif tag == "table":
            self.tables.append(_Table())
        elif self.tables and tag == "tr":
            self.tables[-1].open_row()
        elif self.tables and tag in {"td", "th"}:
            self.tables[-1].open_cell(attrib)
        elif tag in _BLOCK_TAGS:
            self._break()

    def end(self, tag) -> None:
        tag = tag.lower() if isinstance(tag, str) else ""
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif self.skip:
            return
        elif tag == "table" and self.tables:
            lines = self.tables.pop().lines()
            self._break()
            for line in lines:
                self._write(line)
                self._break()
        elif self.tables and tag == "tr":
            self.tables[-1].close_row()
        elif self.tables and tag in {"td", "th"}:
            self.tables[-1].close_cell()
        elif tag in _BLOCK_TAGS:
            self._break()

    def data(self, data: str) -> None:
        if not self.skip:
            self._write(re.sub(r"\s+", " ", data))

    def _write(self, text: str) -> None:
        cell = self.tables[-1].cell if self.tables else None
        if cell is not None:
            cell[-1] += text
        elif not self.tables:
            self.parts.append(text)
        # text of a table outside any cell (stray markup between rows) is not the table's

    def _break(self) -> None:
        cell = self.tables[-1].cell if self.tables else None
        if cell is not None:
            if cell[-1].strip():
                cell.append("")
        elif not self.tables:
            self.parts.append("\n\n")

    def comment(self, text: str) -> None:
        pass

    def close(self) -> str:
        while self.tables:  # a table the page never closed
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
