"""State-secret stamps: a document marked "MẬT", "TỐI MẬT" or "TUYỆT MẬT" (Luật Bảo vệ bí mật nhà nước 2018,
Điều 8) must not enter a system of this kind, so it is refused at ingest with the stamp named — before
anything of it is stored or indexed.

The stamp stands alone on a line of the document's header (beside or under "Số: …"), sometimes as "Độ mật:
Tối mật" or in a box; a plan *about* protecting secrets ("KẾ HOẠCH bảo vệ bí mật nhà nước") carries none."""

from __future__ import annotations

import re
from pathlib import Path

from .readers.base import IngestError

HEADER_CHARS = 1500  # the stamp sits in the header: at most this far in, or before the body if that is later
_STAMP = re.compile(r"^(?:ĐỘ\s+MẬT\s*:?\s*)?(TUYỆT\s+MẬT|TỐI\s+MẬT|MẬT)$")
_LABELLED = re.compile(r"^độ\s+mật\s*:\s*(tuyệt\s+mật|tối\s+mật|mật)$", re.I)
_DECORATION = re.compile(r"[*_#|\[\](){}<>\"'“”«»=~`\s-]+")


class Classified(IngestError):
    """A document stamped as a state secret."""

    code = "classified"
    title = "văn bản mật"


def secrecy_stamp(text: str, body_start: int = 0) -> str | None:
    """The stamp on the document's header ("MẬT", "TỐI MẬT", "TUYỆT MẬT"), or None."""
    for line in text[: max(HEADER_CHARS, body_start)].splitlines():
        for cell in line.split("|"):  # a header typed as a table: the stamp in a cell of its own
            bare = _DECORATION.sub(" ", cell).strip()
            m = _STAMP.match(bare) or _LABELLED.match(bare)
            if m:
                return re.sub(r"\s+", " ", m.group(1)).upper()
    return None


def refuse_secret(text: str, body_start: int, source: str | Path) -> None:
    stamp = secrecy_stamp(text, body_start)
    if stamp:
        raise Classified(source, f"văn bản mang dấu độ mật “{stamp}”: văn bản bí mật nhà nước không được đưa "
                                 "vào hệ thống này; không có gì của văn bản được lưu")  # fmt: skip
