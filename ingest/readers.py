"""One reader per format; the only module that touches pypdf and python-docx.

Every reader returns `RawText` (text with page marks) or raises an `IngestError` whose message names
the file and the problem in Vietnamese, so a batch can report it and carry on.
"""

from __future__ import annotations

import functools
import io
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from tracuu.core.errors import TracuuError

from .docx_text import WML, blocks, cell_lines, children, paragraph_text
from .encodings import convert_legacy_text, decode_legacy_bytes
from .normalize import (
    TABLE_MIN_COLUMNS,
    clean_text,
    looks_hard_wrapped,
    merge_header_rows,
    pdf_pages_to_text,
    rejoin_lines,
    strip_markdown,
    table_row,
)
from .numbering import Numbering
from .stamps import stamped_pages

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
# A PDF's pages are counted before any text is extracted: past this many, it is refused (a 2,000-page PDF
# took 13 s of a core; an official plan or decree is tens of pages, a gazette issue a few hundred).
MAX_PDF_PAGES = 1000
SUPPORTED = {".txt", ".md", ".markdown", ".pdf", ".docx", ".html", ".htm"}


class IngestError(TracuuError):
    """A file that cannot become a document. `reason` is short and Vietnamese; str() names the file."""

    code = "unreadable"
    title = "tệp không đọc được"

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

    def __reduce__(self):  # survive the trip back from a worker process
        return (type(self), (self.path, self.reason))


class EmptyFile(IngestError):
    code = "empty"


class FileTooLarge(IngestError):
    code = "too_large"


class UnsupportedFormat(IngestError):
    code = "unsupported"


class WrongEncoding(IngestError):
    code = "encoding"


class BinaryFile(IngestError):
    code = "binary"


class CorruptFile(IngestError):
    code = "corrupt"


class EncryptedPdf(IngestError):
    code = "encrypted"


class ScannedPdf(IngestError):
    code = "scanned"


@dataclass
class RawText:
    text: str
    fmt: str
    pages: list[tuple[int, int]] = field(default_factory=list)  # (offset, page number)
    metadata: dict[str, str] = field(default_factory=dict)  # front matter of corpus files


def read_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES, ocr: bool | None = None) -> RawText:
    """Read any supported file. Raises an `IngestError` subclass for every kind of bad input. `ocr`: OCR a
    scanned PDF (None: when tesseract with its Vietnamese data is installed)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise UnsupportedFormat(path, f"định dạng '{suffix or '(không có đuôi)'}' chưa được hỗ trợ")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(path, f"không đọc được tệp ({exc.strerror})") from exc
    if size == 0:
        raise EmptyFile(path, "tệp rỗng")
    if size > max_bytes:
        raise FileTooLarge(path, f"tệp quá lớn ({human_size(size)}, giới hạn {human_size(max_bytes)})")
    data = path.read_bytes()
    if suffix == ".pdf":
        raw = read_pdf(path, data, ocr=ocr)
    elif suffix == ".docx":
        raw = read_docx(path, data)
    elif suffix in {".html", ".htm"}:
        raw = read_html(path, data)
    else:
        raw = read_plain(path, data, markdown=suffix in {".md", ".markdown"})
    if not raw.text.strip():
        raise EmptyFile(path, "tệp không có nội dung văn bản")
    return raw


def human_size(n: int) -> str:
    """Bytes as people read them, in binary units like the TRACUU_MAX_FILE_MB setting."""
    if n < 1024:
        return f"{n} byte"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


# ---------------------------------------------------------------- plain text and markdown
# TCVN3/VNI letters as they show in Latin-1 ("Céng hßa"), counted where they touch a letter; "§©®" are
# left out, ordinary text uses them.
_GLYPHS = "¸µ¶·¹¨»¾¼½ÆÊÇÈÉËÐÌÎÏÑ¬ÒÓÔÕÖ×ÝØÜÞ"
_LEGACY_GLYPHS = re.compile(f"(?<=[A-Za-z])[{_GLYPHS}]|[{_GLYPHS}](?=[A-Za-z])")  # inside a word: "hµnh"
_VIET_LETTERS = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I)
_NOT_UTF8 = (
    "tệp không phải UTF-8 và không nhận ra bảng mã cũ (Windows-1258, TCVN3, VNI); hãy lưu lại với mã UTF-8"
)


def decode_text(path: str | Path, data: bytes) -> str:
    """Text of a file; see `decode_bytes`."""
    return decode_bytes(path, data)[0]


def decode_bytes(path: str | Path, data: bytes) -> tuple[str, str | None]:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; Windows-1258, TCVN3 or VNI (raw, or read as Latin-1
    and saved as UTF-8) converted to Unicode when that is clearly Vietnamese. Returns the text and the
    old encoding it was converted from (None for Unicode); anything unsure is refused with the reason."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as exc:
            raise WrongEncoding(path, "tệp UTF-16 bị hỏng") from exc
    sample = data[:65536]
    if b"\x00" in sample or _control_share(sample) > 0.05:
        raise BinaryFile(path, "tệp nhị phân, không phải văn bản")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        converted = decode_legacy_bytes(data)
        if converted is None:
            raise WrongEncoding(path, _NOT_UTF8) from exc
        return converted
    converted = convert_legacy_text(text)
    if converted is not None:
        return converted
    letters = sum(1 for c in text[:20000] if c.isalpha())
    legacy = len(_LEGACY_GLYPHS.findall(text[:20000]))
    viet = len(_VIET_LETTERS.findall(text[:20000]))
    if letters and legacy > 0.03 * letters and legacy > viet:
        raise WrongEncoding(
            path,
            "văn bản dùng bảng mã cũ TCVN3/VNI (chữ hiển thị sai) mà không chuyển được chắc chắn; "
            "hãy chuyển sang Unicode",
        )
    return text, None


def _control_share(sample: bytes) -> float:
    if not sample:
        return 0.0
    bad = sum(1 for b in sample if b < 9 or 13 < b < 32 or b == 127)
    return bad / len(sample)


_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """`key: value` lines between `---` fences at the top of a corpus file."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    meta = {}
    for line in m.group(1).split("\n"):
        key, sep, value = line.partition(":")
        if sep and key.strip() and re.fullmatch(r"[A-Za-z_]+", key.strip()):
            meta[key.strip()] = value.strip()
        else:
            return {}, text  # not front matter after all
    return meta, text[m.end() :]


def read_plain(path: str | Path, data: bytes, markdown: bool = False) -> RawText:
    text, encoding = decode_bytes(path, data)
    meta, text = split_front_matter(clean_text(text))
    if encoding:
        meta["encoding"] = encoding  # converted from an old encoding: shown with the document
    if markdown or "**" in text or re.search(r"^\s*\|", text, re.M):
        text = clean_text(strip_markdown(text))  # removing marks can leave combining accents to compose
    if looks_hard_wrapped(text.split("\n")):
        text = rejoin_lines(text)
    return RawText(text=text, fmt="md" if markdown else "txt", metadata=meta)


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
            parts.append(page.within_bbox((0, top, page.width, t_top)).extract_text() or "")
        parts.extend(merge_header_rows(_table_rows_of(table))[0])
        top = max(top, t_bottom)
    if top < page.height:
        parts.append(page.within_bbox((0, top, page.width, page.height)).extract_text() or "")
    return [p for p in parts if not isinstance(p, str) or p.strip()]


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


MAX_SPAN = 64  # columns or rows one merged HTML cell can stand for (colspan="100000000" in a hostile page)


def table_lines(rows: list[list[list[str]]]) -> list[str]:
    """DOCX and HTML tables, rows of cells of paragraphs, as text: a two-row header as one
    (`merge_header_rows`); each row of a wide table one line, cells joined by " | " (as PDF tables and
    markdown pipes come); the cells of narrow layout tables (header blocks, signatures) their own paragraphs."""
    texts = [[" ".join(t.strip() for t in cell if t.strip()) for cell in row] for row in rows]
    texts, folded = merge_header_rows(texts)
    if folded is not None:
        rows = [*rows[:folded], *rows[folded + 1 :]]
    out: list[str] = []
    for cells, row in zip(texts, rows, strict=True):
        wide = table_row(cells)
        if wide is not None:
            out.extend([wide, ""])
            continue
        for paragraphs in row:
            out.extend([*paragraphs, ""])
    return out


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
                cells.extend([None] * max(0, min(tc.grid_span, columns - offset) - 1))  # merged across
            offset += tc.grid_span
        rows.append(cells)
        above = here
    return rows


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
