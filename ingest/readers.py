"""One reader per format; the only module that touches pypdf and python-docx.

Every reader returns `RawText` (text with page marks) or raises an `IngestError` whose message names
the file and the problem in Vietnamese, so a batch can report it and carry on.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from .normalize import (
    clean_text,
    looks_hard_wrapped,
    pdf_pages_to_text,
    rejoin_lines,
    strip_markdown,
    table_row,
)

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
SUPPORTED = {".txt", ".md", ".markdown", ".pdf", ".docx", ".html", ".htm"}


class IngestError(Exception):
    """A file that cannot become a document. `reason` is short and Vietnamese; str() names the file."""

    code = "unreadable"

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


def read_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES, ocr: bool = False) -> RawText:
    """Read any supported file. Raises an `IngestError` subclass for every kind of bad input."""
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
_TCVN3_GLYPHS = set("¸µ¶·¹¨»¾¼½Æ©ÊÇÈÉËÐÌÎÏÑ¬ÒÓÔÕÖ×ÝØÜÞ®§")
_VIET_LETTERS = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I)


def decode_text(path: str | Path, data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; anything else is refused with the reason."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise WrongEncoding(path, "tệp UTF-16 bị hỏng") from exc
    sample = data[:65536]
    if b"\x00" in sample or _control_share(sample) > 0.05:
        raise BinaryFile(path, "tệp nhị phân, không phải văn bản")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise WrongEncoding(
            path,
            "tệp không phải UTF-8 (có thể là Windows-1258, TCVN3 hoặc VNI); hãy lưu lại với mã UTF-8",
        ) from exc
    letters = sum(1 for c in text[:20000] if c.isalpha())
    legacy = sum(1 for c in text[:20000] if c in _TCVN3_GLYPHS)
    viet = len(_VIET_LETTERS.findall(text[:20000]))
    if letters and legacy > 0.03 * letters and legacy > viet:
        raise WrongEncoding(
            path, "văn bản dùng bảng mã cũ TCVN3/VNI (chữ hiển thị sai); hãy chuyển sang Unicode"
        )
    return text


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
    text = clean_text(decode_text(path, data))
    meta, text = split_front_matter(text)
    if markdown or "**" in text or re.search(r"^\s*\|", text, re.M):
        text = clean_text(strip_markdown(text))  # removing marks can leave combining accents to compose
    if looks_hard_wrapped(text.split("\n")):
        text = rejoin_lines(text)
    return RawText(text=text, fmt="md" if markdown else "txt", metadata=meta)


# ---------------------------------------------------------------- PDF
def read_pdf(path: str | Path, data: bytes, ocr: bool = False) -> RawText:
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
        if ocr:
            pages = ocr_pdf(path, reader)
        else:
            raise ScannedPdf(
                path,
                f"PDF là bản scan, không có lớp văn bản ({len(pages)} trang); "
                "cài tesseract-ocr-vie và bật TRACUU_OCR=1 để nhận dạng chữ",
            )
    text, marks = pdf_pages_to_text(pages)
    return RawText(text=text, fmt="pdf", pages=marks)


def ocr_available() -> bool:
    return shutil.which("tesseract") is not None


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


def read_docx(path: str | Path, data: bytes) -> RawText:
    """Paragraphs and tables in body order; a wide table row is one line (cells joined by " | "),
    the cells of narrow layout tables become their own paragraphs."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if "word/document.xml" not in zf.namelist():
                raise CorruptFile(path, "DOCX thiếu word/document.xml")
            total = sum(i.file_size for i in zf.infolist())
            if total > _MAX_DOCX_UNZIPPED:
                raise CorruptFile(path, f"DOCX giải nén quá lớn ({total / 1e6:.0f} MB): nghi là zip bomb")
    except zipfile.BadZipFile as exc:
        raise CorruptFile(path, "DOCX bị hỏng (không phải tệp zip hợp lệ)") from exc
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.element.body.iterchildren():
            tag = block.tag.rsplit("}", 1)[-1]
            if tag == "p":
                lines.append(Paragraph(block, document).text)
            elif tag == "tbl":
                for row in Table(block, document).rows:
                    seen, cells = set(), []
                    for cell in row.cells:
                        if id(cell._tc) in seen:  # merged cells repeat
                            continue
                        seen.add(id(cell._tc))
                        cells.append([p.text for p in cell.paragraphs])
                    wide = table_row([" ".join(t.strip() for t in c if t.strip()) for c in cells])
                    if wide is not None:
                        lines.extend([wide, ""])
                        continue
                    for paragraphs in cells:
                        lines.extend([*paragraphs, ""])
    except IngestError:
        raise
    except Exception as exc:
        raise CorruptFile(path, f"DOCX bị hỏng ({type(exc).__name__})") from exc
    text = clean_text("\n\n".join(line.strip() for line in lines if line.strip()))
    return RawText(text=text, fmt="docx")


# ---------------------------------------------------------------- HTML
_BLOCK_TAGS = {
    "p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "table",
    "section", "article", "header", "footer", "blockquote", "pre", "ul", "ol", "dd", "dt",
}  # fmt: skip
_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "svg"}


class _TextExtractor(HTMLParser):
    """Non-recursive, so deeply nested HTML costs no stack."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(re.sub(r"\s+", " ", data))


def read_html(path: str | Path, data: bytes) -> RawText:
    m = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:4096], re.I)
    charset = m.group(1).decode("ascii", "ignore").lower() if m else "utf-8"
    if charset not in {"utf-8", "utf8"}:
        raise WrongEncoding(path, f"trang HTML dùng bảng mã {charset}; hãy lưu lại với mã UTF-8")
    text = decode_text(path, data)
    parser = _TextExtractor()
    try:
        parser.feed(text)
        parser.close()
    except Exception as exc:
        raise CorruptFile(path, f"HTML không đọc được ({type(exc).__name__})") from exc
    lines = [line.strip() for line in "".join(parser.parts).split("\n")]
    return RawText(text=clean_text("\n".join(lines)), fmt="html")
