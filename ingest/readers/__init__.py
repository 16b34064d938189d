"""One reader per format; the only package that touches pypdf, pdfplumber and python-docx.

Every reader returns `RawText` (text with page marks) or raises an `IngestError` whose message names
the file and the problem in Vietnamese, so a batch can report it and carry on. `read_file` picks the
reader by the file's suffix: `plain` (txt, md), `pdf`, `docx`, `html`; `tables` is the table model
DOCX and HTML share; `base` the errors and limits.
"""

from __future__ import annotations

from pathlib import Path

from .base import (
    DEFAULT_MAX_BYTES,
    SUPPORTED,
    BinaryFile,
    CorruptFile,
    EmptyFile,
    EncryptedPdf,
    FileTooLarge,
    IngestError,
    RawText,
    ScannedPdf,
    UnsupportedFormat,
    WrongEncoding,
    human_size,
)
from .docx import read_docx
from .html import read_html
from .pdf import MAX_PDF_PAGES, ocr_available, ocr_pdf, ocr_status, pdf_table_pages, read_pdf
from .plain import decode_bytes, decode_text, read_plain, split_front_matter
from .tables import table_lines

__all__ = [
    "DEFAULT_MAX_BYTES", "MAX_PDF_PAGES", "SUPPORTED", "BinaryFile", "CorruptFile", "EmptyFile", "EncryptedPdf",
    "FileTooLarge", "IngestError", "RawText", "ScannedPdf", "UnsupportedFormat", "WrongEncoding", "decode_bytes",
    "decode_text", "human_size", "ocr_available", "ocr_pdf", "ocr_status", "pdf_table_pages", "read_docx",
    "read_file", "read_html", "read_pdf", "read_plain", "split_front_matter", "table_lines",
]  # fmt: skip


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
