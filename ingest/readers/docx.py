"""DOCX: paragraphs and tables in body order as Word shows them (list labels, content controls, text
boxes, merged cells), read from the XML parts within size and ratio limits."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..docx_text import WML, blocks, cell_lines, children, paragraph_text
from ..normalize import (
    clean_text,
)
from ..numbering import Numbering
from .base import (
    CorruptFile,
    IngestError,
    RawText,
)
from .tables import MAX_SPAN, table_lines

# ---------------------------------------------------------------- DOCX
_MAX_DOCX_UNZIPPED = 500 * 1024 * 1024
# A part that inflates more than 100-fold is a zip bomb (Apache POI's ZipSecureFile uses the same ratio);
# small parts may: an empty settings.xml compresses well. Word's own document.xml inflates 5–20-fold.
_MAX_DOCX_RATIO = 100
_RATIO_FROM = 1024 * 1024
# The body part is inflated in 1 MB pieces and refused past this, whatever the zip headers declare (a
# 500-page plan's document.xml is 20–50 MB; lxml's tree of it takes about ten times that).
MAX_DOCX_XML = 100 * 1024 * 1024
_PIECE = 1024 * 1024


def read_docx(path: str | Path, data: bytes) -> RawText:
    """Paragraphs and tables in body order (through content controls; text boxes after their anchor); a
    wide table row is one line (cells joined by " | "), the cells of narrow layout tables become their own
    paragraphs. Read: word/document.xml, and numbering.xml and styles.xml for the list labels."""
    parts = _docx_xml(path, data)
    body = _docx_body(path, parts["word/document.xml"])
    numbering = _docx_numbering(parts)
    lines: list[str] = []

    def text(p) -> str:
        return _numbered(numbering, p)

    try:
        for kind, block in blocks(body):
            if kind == "p":
                lines.append(text(block))
            else:
                rows = [
                    [cell_lines(tc, text) if tc is not None else [] for tc in row]
                    for row in _table_rows(block)
                ]
                lines.extend(table_lines(rows))
    except Exception as exc:
        raise CorruptFile(path, f"DOCX bị hỏng ({type(exc).__name__})") from exc
    text = clean_text("\n\n".join(line.strip() for line in lines if line and line.strip()))
    return RawText(text=text, fmt="docx")


def _numbered(numbering: Numbering, p) -> str:
    """A paragraph's visible text after the label Word numbers it with, which its text does not hold."""
    text, label = paragraph_text(p), numbering.label(p)
    return f"{label} {text}" if label and text.strip() else text


def _docx_numbering(parts: dict[str, bytes]) -> Numbering:
    """The document's lists; a broken numbering or styles part costs the labels, never the text."""
    try:
        return Numbering.parse(parts.get("word/numbering.xml"), parts.get("word/styles.xml"))
    except Exception:  # lxml's recovering parser gave up: the text without labels is still the text
        return Numbering()


_DOCX_PARTS = ("word/document.xml", "word/numbering.xml", "word/styles.xml")


def _docx_xml(path: str | Path, data: bytes) -> dict[str, bytes]:
    """word/document.xml (required), numbering.xml and styles.xml (when present), each inflated piece by
    piece and refused once past `MAX_DOCX_XML`. The sizes in the zip's headers are checked first but not
    trusted: `ZipFile.read` inflates a whole deflate stream before cutting it to the declared size (a 1 MB
    stream declared as 308 bytes took 2 GB)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "word/document.xml" not in names:
                raise CorruptFile(path, "DOCX thiếu word/document.xml")
            total = sum(i.file_size for i in zf.infolist())
            if total > _MAX_DOCX_UNZIPPED:
                raise CorruptFile(path, f"DOCX giải nén quá lớn ({total / 1e6:.0f} MB): nghi là zip bomb")
            for i in zf.infolist():
                if i.file_size > _RATIO_FROM and i.file_size > _MAX_DOCX_RATIO * max(i.compress_size, 1):
                    raise CorruptFile(
                        path,
                        f"DOCX có phần {i.filename} giải nén gấp {i.file_size // max(i.compress_size, 1)} lần "
                        f"({i.file_size / 1e6:.0f} MB): nghi là zip bomb",
                    )
            return {name: _inflate(path, zf, zf.getinfo(name)) for name in _DOCX_PARTS if name in names}
    except IngestError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
        raise CorruptFile(path, "DOCX bị hỏng (không phải tệp zip hợp lệ)") from exc
    except Exception as exc:  # NotImplementedError (compression method), EOFError, zlib.error, OSError …
        raise CorruptFile(path, f"DOCX bị hỏng ({type(exc).__name__})") from exc


def _inflate(path: str | Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > MAX_DOCX_XML:
        raise CorruptFile(path, f"DOCX có phần {info.filename} giải nén quá lớn ({info.file_size / 1e6:.0f} MB, "
                                f"giới hạn {MAX_DOCX_XML // 2**20} MB)")  # fmt: skip
    out = bytearray()
    with zf.open(info) as part:
        while piece := part.read(_PIECE):
            out += piece
            if len(out) > MAX_DOCX_XML:
                raise CorruptFile(path, f"DOCX có phần {info.filename} giải nén vượt {MAX_DOCX_XML // 2**20} MB: "
                                        "nghi là zip bomb")  # fmt: skip
    return bytes(out)


def _docx_body(path: str | Path, xml: bytes):
    """The `w:body` element, parsed with python-docx's element classes; never fetches anything. An entity
    the document declares but that is not resolved (`&xxe;`, an external entity) is dropped and the text
    around it kept; one it does not declare at all too (lxml's recovering parser, tried only then)."""
    from docx.oxml.parser import element_class_lookup
    from lxml import etree

    def parser(recover: bool):
        made = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True,
                               load_dtd=False, recover=recover)  # fmt: skip
        made.set_element_class_lookup(element_class_lookup)
        return made

    try:
        strict = parser(recover=False)
        try:
            root = etree.fromstring(xml, strict)
        except etree.XMLSyntaxError:
            errors = strict.error_log  # this parse's own errors (the exception's may hold earlier ones)
            if not errors or any(e.type_name != "ERR_UNDECLARED_ENTITY" for e in errors):
                raise
            root = etree.fromstring(xml, parser(recover=True))
    except etree.XMLSyntaxError as exc:
        raise CorruptFile(path, f"DOCX bị hỏng (XML không hợp lệ: {exc.msg})") from exc
    except ValueError as exc:
        raise CorruptFile(path, f"DOCX bị hỏng ({type(exc).__name__})") from exc
    if root is None or root.find(f"{WML}body") is None:
        raise CorruptFile(path, "DOCX bị hỏng (word/document.xml không có phần thân w:body)")
    for entity in list(root.iter(etree.Entity)):
        _drop_keeping_tail(entity)
    return root.find(f"{WML}body")


def _drop_keeping_tail(node) -> None:
    """Remove an XML node; the text after it joins its previous sibling's tail or its parent's text (one
    space between, not the two that surrounded the node)."""
    parent, tail = node.getparent(), node.tail or ""
    if parent is None:
        return
    before = node.getprevious()
    head = (before.tail if before is not None else parent.text) or ""
    if head.endswith(" ") and tail.startswith(" "):
        tail = tail[1:]
    if before is not None:
        before.tail = head + tail
    else:
        parent.text = head + tail
    parent.remove(node)


def _table_rows(tbl) -> list[list]:
    """Each row's cells (`w:tc`) once each, left to right, then None for each further column of the
    table's grid it spans (the columns stay aligned with the rows of single cells); a cell merged down from the row above
    (vMerge "continue") is that cell, so its text shows on every row it spans.

    What python-docx's `_Row.cells` gives, without its costs: it repeats a cell once per grid column
    it spans (gridSpan="100000000" in a 1 KB file: 18 s and 900 MB) and finds the cell above by a
    recursive search from the top (a 800-row merged column: 50 s; past 1,000 rows, RecursionError)."""
    rows: list[list] = []
    above: dict[int, object] = {}  # grid offset → the cell holding the text, in the row above
    grid = tbl.find(f"{WML}tblGrid")
    columns = len(grid.findall(f"{WML}gridCol")) if grid is not None else 0  # the table's declared width
    for tr in children(tbl, "tr"):  # rows and cells in content controls too
        here: dict[int, object] = {}
        cells: list = []
        seen: set[int] = set()
        offset = tr.grid_before
        for tc in children(tr, "tc"):
            root = above.get(offset, tc) if tc.vMerge == "continue" else tc
            here[offset] = root
            if id(root) not in seen:
                seen.add(id(root))
                cells.append(root)
                cells.extend(
                    [None] * max(0, min(tc.grid_span, columns - offset, MAX_SPAN) - 1)
                )  # merged across
            offset += tc.grid_span
        rows.append(cells)
        above = here
    return rows
