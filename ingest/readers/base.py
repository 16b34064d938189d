"""What every reader shares: the errors that name a file and its problem (Vietnamese), the text a reader
returns (`RawText`), the limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tracuu.core.errors import TracuuError

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
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


def human_size(n: int) -> str:
    """Bytes as people read them, in binary units like the TRACUU_MAX_FILE_MB setting."""
    if n < 1024:
        return f"{n} byte"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / (1024 * 1024):.1f} MB"
