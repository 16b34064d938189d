"""PDF: text by pypdf (page marks, running headers and page numbers dropped), ruled tables by pdfplumber
(rows, merged cells, rows over a page break), number and day from signing stamps, OCR of scanned pages."""

from __future__ import annotations

import functools
import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..normalize import (
    TABLE_MIN_COLUMNS,
    merge_header_rows,
    pdf_pages_to_text,
    table_row,
)
from ..stamps import stamped_pages
from .base import (
    CorruptFile,
    EmptyFile,
    EncryptedPdf,
    FileTooLarge,
    IngestError,
    RawText,
    ScannedPdf,
)

# A PDF's pages are counted before any text is extracted: past this many, it is refused (a 2,000-page PDF
# took 13 s of a core; an official plan or decree is tens of pages, a gazette issue a few hundred).
MAX_PDF_PAGES = 1000


# ---------------------------------------------------------------- PDF
def read_pdf(path: str | Path, data: bytes, ocr: bool | None = None) -> RawText:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise CorruptFile(path, "không phải tệp PDF hợp lệ (thiếu phần đầu %PDF)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise EncryptedPdf(path, "PDF được bảo vệ bằng mật khẩu")
            except (FileNotDecryptedError, NotImplementedError) as exc:
                raise EncryptedPdf(path, "PDF được mã hóa, không mở được") from exc
        if len(reader.pages) > MAX_PDF_PAGES:
            raise FileTooLarge(path, f"PDF có {len(reader.pages)} trang, vượt giới hạn {MAX_PDF_PAGES} trang; "
                                     "hãy tách thành các tệp nhỏ hơn")  # fmt: skip
        pages = [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except FileNotDecryptedError as exc:
        raise EncryptedPdf(path, "PDF được bảo vệ bằng mật khẩu") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        raise CorruptFile(path, f"PDF bị hỏng ({type(exc).__name__})") from exc
    except Exception as exc:  # pypdf raises many kinds on malformed files
        raise CorruptFile(path, f"PDF bị hỏng ({type(exc).__name__})") from exc
    if not pages:
        raise EmptyFile(path, "PDF không có trang nào")
    chars = sum(len(p.strip()) for p in pages)
    if chars < 30 * len(pages):
        if ocr is None:
            ocr = ocr_available()
        if ocr:
            pages = ocr_pdf(path, reader)
        else:
            raise ScannedPdf(
                path,
                f"PDF là bản scan, không có lớp văn bản ({len(pages)} trang); "
                "cài tesseract-ocr-vie và bật TRACUU_OCR=1 để nhận dạng chữ",
            )
    for number, text in pdf_table_pages(path, data).items():
        pages[number] = text
    pages = stamped_pages(reader, pages)  # signed in an e-office system: the number and day in the stamps
    text, marks = pdf_pages_to_text(pages)
    return RawText(text=text, fmt="pdf", pages=marks)


def pdf_table_pages(path: str | Path, data: bytes) -> dict[int, str]:
    """The text of each page that holds a ruled table, the table as rows: pypdf returns a table as a stream
    of wrapped cell pieces, in which no rule can find the rows. pdfplumber finds the table from its drawn
    rules; each row becomes one line, its cells joined by " | " as DOCX and HTML tables are (`table_row`),
    and the text above, between and below the tables is read around them. A row broken over a page break
    is joined again. Pages without a table keep pypdf's text; a PDF pdfplumber cannot read keeps it all."""
    try:
        import pdfplumber
    except ImportError:  # pragma: no cover - a dependency; without it PDF tables read as before
        return {}
    found: dict[int, list[str | list[str]]] = {}
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number, page in enumerate(pdf.pages):
                try:
                    tables = [t for t in page.find_tables() if _is_data_table(t)]
                    if tables:
                        found[number] = _page_with_tables(page, tables)
                finally:
                    page.close()
    except Exception:  # pdfminer raises many kinds on odd files; pypdf's text stands
        return {}
    _join_rows_over_pages(found)
    return {number: "\n".join(_line(p) for p in parts if _line(p).strip()) for number, parts in found.items()}


def _is_data_table(table) -> bool:
    return len(table.rows) >= 2 and max(len(r.cells) for r in table.rows) >= TABLE_MIN_COLUMNS


def _page_with_tables(page, tables) -> list[str | list[str]]:
    """The page as text pieces (str) and table rows (lists of cells), top to bottom."""
    parts: list[str | list[str]] = []
    top = 0.0
    for table in sorted(tables, key=lambda t: t.bbox[1]):
        x0, t_top, x1, t_bottom = table.bbox
        if t_top > top:
            parts.append(_text_between(page, top, t_top))
        parts.extend(merge_header_rows(_table_rows_of(table))[0])
        top = max(top, t_bottom)
    if top < page.height:
        parts.append(_text_between(page, top, page.height))
    return [p for p in parts if not isinstance(p, str) or p.strip()]


def _text_between(page, top: float, bottom: float) -> str:
    """The page's text whose characters' middles lie between two heights: a heading just under a table,
    whose accents reach above the table's bottom line ("III. KINH PHÍ"), is not lost as "not within"."""
    inside = page.filter(
        lambda o: o.get("object_type") != "char" or top <= (o["top"] + o["bottom"]) / 2 < bottom
    )
    return inside.extract_text() or ""


class _Covered(str):
    """A cell's text repeated from the cell merged down over it from a row above."""


def _table_rows_of(table) -> list[list[str]]:
    """Each row's cells; where a cell merged down from a row above covers this row (no cell of its own
    there), that cell's whole text is repeated (as `_Covered`), as DOCX rows do."""
    texts = table.extract()
    owner: dict[int, tuple[tuple, str | None]] = {}  # column → the last cell drawn in it, and its text
    rows: list[list[str]] = []
    for r, row in enumerate(table.rows):
        cells: list[str] = []
        bottom = min(box[3] for box in row.cells if box is not None)  # the row's own bottom
        for c, box in enumerate(row.cells):
            text = texts[r][c] if c < len(texts[r]) else None
            if box is not None and box[3] > bottom + 1:  # merged down: its whole text, not its first row's
                text = _text_in(table.page, box, text)
            if box is not None:
                owner[c] = (box, text)
                cells.append(" ".join((text or "").split()))
            elif c in owner and owner[c][0][3] > row.bbox[1] + 1:  # the cell above reaches into this row
                cells.append(_Covered(" ".join((owner[c][1] or "").split())))
            else:
                cells.append("")
        rows.append(cells)
    return rows


def _text_in(page, box: tuple, fallback: str | None) -> str | None:
    """The text of a cell merged down over several rows (pdfplumber cuts a cell's text at its first row):
    the characters whose centre lies in the cell, as pdfplumber's own cell text is taken."""
    x0, top, x1, bottom = box

    def inside(obj) -> bool:
        return (obj.get("object_type") == "char" and x0 <= (obj["x0"] + obj["x1"]) / 2 <= x1
                and top <= (obj["top"] + obj["bottom"]) / 2 <= bottom)  # fmt: skip

    try:
        return page.filter(inside).extract_text()
    except (KeyError, ValueError):
        return fallback


_PAGE_NO = re.compile(r"^\s*(?:[-–]\s*)?\d{1,4}(?:\s*[-–])?\s*$")


def _join_rows_over_pages(found: dict[int, list[str | list[str]]]) -> None:
    """A table that goes on over a page break. Its next page opens with a row whose first cell (the STT) is
    empty, as wide as the row that closed the previous page: the rest of that row, joined to it. A cell
    merged down over the break is drawn again, empty, on the next page: its first row's empty cells (and
    the cells merged under them) take the text of the row above the break."""
    for number in sorted(found):
        before, parts = found.get(number - 1), found[number]
        if not before or not isinstance(before[-1], list):
            continue
        lead = next((i for i, p in enumerate(parts) if not (isinstance(p, str) and _PAGE_NO.match(p))), None)
        if lead is None or not isinstance(parts[lead], list) or len(parts[lead]) != len(before[-1]):
            continue
        last, first = before[-1], parts[lead]
        if not first[0] and any(first):
            before[-1] = last = [f"{a} {b}".strip() for a, b in zip(last, first, strict=True)]
            del parts[lead]
            if lead >= len(parts) or not isinstance(parts[lead], list) or len(parts[lead]) != len(last):
                continue
            first = parts[lead]
        for c in range(1, len(first)):
            if first[c] or not last[c]:
                continue
            for row in parts[lead:]:
                if not isinstance(row, list) or len(row) != len(first) or (row is not first and not
                                                                           isinstance(row[c], _Covered)):  # fmt: skip
                    break
                row[c] = _Covered(last[c])


def _line(part: str | list[str]) -> str:
    if isinstance(part, str):
        return part
    row = table_row(part)
    return row if row is not None else "\n".join(c for c in part if c)


def ocr_available() -> bool:
    """Whether scanned PDFs can be read: Debian's tesseract with its Vietnamese data (tesseract-ocr-vie)."""
    return ocr_status()[0]


@functools.cache
def ocr_status() -> tuple[bool, str]:
    """(available, what to tell the user): asked of tesseract once per process."""
    exe = shutil.which("tesseract")
    if exe is None:
        return False, "tắt: chưa cài tesseract-ocr và tesseract-ocr-vie (PDF scan sẽ bị từ chối)"
    try:
        done = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
        version = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return False, f"tắt: không chạy được tesseract ({type(exc).__name__})"
    if "vie" not in (done.stdout + done.stderr).split():
        return False, "tắt: tesseract chưa có dữ liệu tiếng Việt (cài tesseract-ocr-vie)"
    first = (version.stdout or version.stderr).strip().splitlines()
    return True, f"bật: {first[0] if first else 'tesseract'} với tiếng Việt"


def ocr_pdf(path: str | Path, reader) -> list[str]:
    """OCR each page's images with Debian's tesseract (vie). Optional extra; never silently empty."""
    if not ocr_available():
        raise ScannedPdf(path, "PDF là bản scan và máy chưa cài tesseract-ocr-vie để nhận dạng chữ")
    pages: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for number, page in enumerate(reader.pages, start=1):
            texts = []
            for k, image in enumerate(page.images):
                img_path = Path(tmp) / f"p{number}_{k}{Path(image.name).suffix or '.png'}"
                img_path.write_bytes(image.data)
                done = subprocess.run(
                    ["tesseract", str(img_path), "stdout", "-l", "vie"],
                    capture_output=True,
                    timeout=300,
                    check=False,
                )
                texts.append(done.stdout.decode("utf-8", "replace"))
            pages.append("\n".join(texts))
    if sum(len(p.strip()) for p in pages) < 30:
        raise ScannedPdf(path, "PDF là bản scan và nhận dạng chữ (OCR) không đọc được nội dung")
    return pages
