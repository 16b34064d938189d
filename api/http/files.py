"""An uploaded file received within its limits (copied in pieces, counted, refused past the limit) and its
type told from its bytes, not its name: shared by uploads and by drafts sent to /check."""

from __future__ import annotations

import hashlib
import re
import uuid
import zipfile
from pathlib import Path
from typing import NamedTuple

from fastapi import UploadFile

from tracuu.ingest.pipeline import slugify

from ..problems import (
    Problem,
    too_large,
)
from .common import _BAD_FILE


class Received(NamedTuple):
    part: Path  # where the bytes are: a private name no one else writes
    path: Path  # where they belong: name, digest, suffix told by the content (moved there under the lock)
    digest: str


def receive(upload: UploadFile, folder: Path, limit: int, name: str) -> Received:
    """Copy the upload under uploads/ in pieces (never whole in memory), refusing it once past the size
    limit, when empty, or when its content rules it out; where it is, where it belongs, its SHA-256."""
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{uuid.uuid4().hex}.part"
    digest, size = hashlib.sha256(), 0
    try:
        with tmp.open("wb") as out:
            while piece := upload.file.read(1 << 20):
                size += len(piece)
                if size > limit:
                    raise too_large(name, limit)
                digest.update(piece)
                out.write(piece)
        if size == 0:
            raise Problem(422, *_BAD_FILE, f"{name}: tệp rỗng", code="empty")
        path = folder / f"{slugify(Path(name).stem)}-{digest.hexdigest()[:12]}{sniff(tmp, name)}"
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Received(tmp, path, digest.hexdigest())


_HTML = re.compile(rb"<(?:!doctype\s+html|html|head|body|p|div|table|h[1-6])[\s>/]", re.I)


def sniff(path: Path, name: str) -> str:
    """The file's type from its content (the name is not trusted): the suffix the readers dispatch on."""
    with path.open("rb") as fh:
        head = fh.read(8192)
    if head.lstrip()[:5] == b"%PDF-":
        return ".pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as zf:
                if "word/document.xml" in zf.namelist():
                    return ".docx"
        except Exception:  # BadZipFile, and NotImplementedError, UnicodeDecodeError… on a doctored archive
            pass
        raise Problem(422, *_BAD_FILE, f"{name}: tệp nén zip nhưng không phải DOCX", code="unsupported")
    if _HTML.search(head):
        return ".html"
    return ".md" if name.lower().endswith((".md", ".markdown")) else ".txt"  # the reader checks it is UTF-8
