"""State-secret stamps: a document marked "MẬT", "TỐI MẬT" or "TUYỆT MẬT" (Luật Bảo vệ bí mật nhà nước 2018,
Điều 8) must not enter a system of this kind, so it is refused at ingest with the stamp named — before
anything of it is stored or indexed.

The stamp stands alone on a line of the document's header (beside or under "Số: …"), sometimes as "Độ mật:
Tối mật" or in a box; a plan *about* protecting secrets ("KẾ HOẠCH bảo vệ bí mật nhà nước") carries none."""

from __future__ import annotations

import re
from pathlib import Path

from .readers.base import IngestError

HEADER_CHARS = 1500  # where no header was found: the stamp sits in the first lines
_URGENT = r"(?:THƯỢNG\s+KHẨN|HỎA\s+TỐC|KHẨN)"
_STAMP = re.compile(
    rf"^(?:{_URGENT}\s*[-,–]?\s*)?(?:ĐỘ\s+MẬT\s*:?\s*)?(TUYỆT\s+MẬT|TỐI\s+MẬT|MẬT)(?:\s*[-,–]?\s*{_URGENT})?$"
)
_LABELLED = re.compile(r"^độ\s+mật\s*:\s*(tuyệt\s+mật|tối\s+mật|mật)$", re.I)
_OCR = re.compile(r"^(TUYET\s+MAT|TOI\s+MAT)$")  # accents lost by OCR; a bare "MAT" is too many other words
_DECORATION = re.compile(r"[*_#|│┃\[\](){}<>\"'“”«»=~`.;:\s-]+$|^[*_#|│┃\[\](){}<>\"'“”«»=~`\s-]+")
_CELLS = re.compile(r"\s*[|│┃]\s*|\s{2,}|\t")  # table cells, or columns a PDF's text keeps apart with spaces


class Classified(IngestError):
    """A document stamped as a state secret."""

    code = "classified"
    title = "văn bản mật"


def secrecy_stamp(text: str, body_start: int = 0) -> str | None:
    """The stamp on the document's header ("MẬT", "TỐI MẬT", "TUYỆT MẬT"), or None. The header is the text
    before the body when one was found, else the first `HEADER_CHARS` characters."""
    for line in text[: body_start if body_start > 0 else HEADER_CHARS].splitlines():
        for cell in _CELLS.split(line.strip()):
            bare = re.sub(r"\s+", " ", _DECORATION.sub("", cell.strip()))
            m = _STAMP.match(bare) or _LABELLED.match(bare)
            if m:
                return re.sub(r"\s+", " ", m.group(1)).upper()
            if _OCR.match(bare):
                return "TUYỆT MẬT" if bare.startswith("TUYET") else "TỐI MẬT"
    return None


def refuse_secret(text: str, body_start: int, source: str | Path) -> None:
    stamp = secrecy_stamp(text, body_start)
    if stamp:
        raise Classified(source, f"văn bản mang dấu độ mật “{stamp}”: văn bản bí mật nhà nước không được đưa "
                                 "vào hệ thống này; không có gì của văn bản được lưu")  # fmt: skip
