"""POST /check: a draft (JSON text or an uploaded TXT/Markdown/DOCX) read within its limits, its citations
checked by the core; JSON or the draft annotated as .docx."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path, PureWindowsPath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile as FormFile

from tracuu.core.results import CheckResult
from tracuu.ingest.normalize import clean_text
from tracuu.ingest.pipeline import slugify
from tracuu.ingest.readers import IngestError, read_file

from ..annotate import annotated_docx
from ..export import REPORT_MEDIA_TYPES
from ..problems import (
    JSON_BODY,
    MAX_DRAFT_BYTES,
    Problem,
    draft_too_long,
)
from .common import (
    _BAD_FILE,
    _INVALID,
    AS_GIVEN,
    Eng,
    LimitedRoute,
    Viewer,
    about,
    attachment,
    param,
)
from .files import receive

router = APIRouter(route_class=LimitedRoute)

_DRAFT_TYPES = {".txt": "TXT", ".md": "Markdown", ".docx": "DOCX"}
DOCX_TYPE = REPORT_MEDIA_TYPES["docx"]
DRAFT = "Căn cứ Nghị định số 20/2021/NĐ-CP ngày 15/4/2021 của Chính phủ quy định chính sách trợ giúp xã hội …"
FINDING = {"span": [7, 62], "text": "Nghị định số 20/2021/NĐ-CP ngày 15/4/2021 của Chính phủ",
           "reference": {"number": "20/2021/NĐ-CP", "type": "Nghị định", "date": "2021-04-15", "issuer": "Chính phủ",
                         "title": "quy định chính sách trợ giúp xã hội"},
           "in_corpus": True, "in_catalog": True, "citation": "Nghị định số 20/2021/NĐ-CP ngày 15/3/2021 của Chính phủ",
           "status": "problem", "problems": [{"code": "date_mismatch", "message": "Ngày ban hành ghi 15/4/2021 nhưng "
                                              "20/2021/NĐ-CP ban hành ngày 15/3/2021"}],
           "unit": None, "known": {"source": "corpus", "date": "2021-03-15", "issuer": "Chính phủ"}}  # fmt: skip
CHECK_BODY = {"requestBody": {"required": True, "description": "Dự thảo: văn bản dạng JSON, hoặc một tệp tải lên.",
    "content": {
        "application/json": {"schema": {"type": "object", "required": ["text"], "properties": {"text": {
            "type": "string", "description": "Nội dung dự thảo (tối đa 2 MB)."}}}, "example": {"text": DRAFT}},
        "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {"file": {
            "type": "string", "format": "binary",
            "description": "Tệp dự thảo TXT, Markdown hoặc DOCX (loại nhận theo nội dung; giới hạn TRACUU_MAX_FILE_MB)."}}}},
    }}}  # fmt: skip


@router.post("/check", openapi_extra=CHECK_BODY, response_model=CheckResult, **AS_GIVEN, **about(
    "Kiểm tra trích dẫn trong một dự thảo",
    "Tìm mọi trích dẫn văn bản trong dự thảo (JSON `{\"text\": …}` hoặc tệp `file` TXT, Markdown, DOCX) và đối chiếu "
    "với kho và danh mục văn bản: sai ngày, sai cơ quan ban hành, sai loại, số hiệu không tồn tại, Điều/Khoản không "
    "có. Mỗi trích dẫn kèm `status` (ok, problem, unverifiable: không có trong kho và danh mục, không phải là sai), "
    "các lỗi và trích dẫn chuẩn nên dùng. `format=docx`: trả bản dự thảo có tô màu và nhận xét (Word).",
    {"findings": [FINDING], "summary": {"total": 1, "ok": 0, "problem": 1, "unverifiable": 0}},
    files=(DOCX_TYPE,)))  # fmt: skip
async def check(eng: Eng, viewer: Viewer, request: Request, format: Annotated[Literal["json", "docx"], param(
        "json (mặc định): kết quả kiểm tra; docx: bản dự thảo có đánh dấu và nhận xét, dạng tệp tải về.",
        "json")] = "json") -> Any:  # fmt: skip
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        text, name = _draft_text(await _json_body(request)), "du-thao"
    elif kind == "multipart/form-data":
        async with request.form(max_files=1, max_fields=10) as form:
            upload = form.get("file")
            if not isinstance(upload, FormFile):
                raise Problem(422, *_INVALID, "Thiếu tệp dự thảo: gửi tệp trong trường 'file' (TXT, Markdown, DOCX).")  # fmt: skip
            name = PureWindowsPath(upload.filename or "").name or "du-thao"
            text = await run_in_threadpool(read_draft, upload, name, eng.settings.max_bytes)
    else:
        raise Problem(415, "unsupported-media-type", "kiểu nội dung không được hỗ trợ",
                      f"Kiểu nội dung '{kind or '(không có)'}' không được hỗ trợ: gửi application/json "
                      "{\"text\": …} hoặc multipart/form-data với tệp 'file'.")  # fmt: skip
    result = await run_in_threadpool(
        lambda: eng.check(text, viewer=viewer)
    )  # TooManyCitations: 413 (`problem_of`)
    if format == "json":
        return result  # validated against CheckResult by FastAPI
    body = await run_in_threadpool(annotated_docx, text, result["findings"])
    filename = f"{slugify(Path(name).stem)}-nhan-xet.docx"
    return Response(body, media_type=DOCX_TYPE, headers=attachment(filename))


async def _json_body(request: Request) -> Any:
    """The JSON body, read in pieces and refused once past the limit (a body without Content-Length too)."""
    body = bytearray()
    async for piece in request.stream():
        body += piece
        if len(body) > JSON_BODY:
            raise draft_too_long()
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:  # also a body that is not UTF-8, or nested past the C stack
        raise Problem(422, *_INVALID, 'Nội dung gửi lên không phải JSON hợp lệ: cần {"text": "…"}.') from exc


def _draft_text(body: Any) -> str:
    if not isinstance(body, dict) or not isinstance(body.get("text"), str):
        raise Problem(422, *_INVALID, """Cần JSON dạng {"text": "…"} với 'text' là nội dung dự thảo.""")
    text = limit_draft(body["text"].encode("utf-8", "replace").decode("utf-8"))  # a lone surrogate: "?"
    if not text.strip():
        raise Problem(422, *_INVALID, "Dự thảo trống: hãy dán nội dung cần kiểm tra trích dẫn vào 'text'.")
    return text


def limit_draft(text: str, name: str | None = None) -> str:
    """A draft's text, cleaned, refused past MAX_DRAFT_BYTES of UTF-8 however it came (pasted or a file)."""
    if len(text) > MAX_DRAFT_BYTES or len(text.encode("utf-8")) > MAX_DRAFT_BYTES:
        raise draft_too_long(name)
    return clean_text(text)


def read_draft(upload: FormFile, name: str, limit: int) -> str:
    """An uploaded draft's text: copied in pieces to a private folder (size-limited), its type told by its
    content (TXT, Markdown, DOCX only), read by the ingest readers, then removed. Its text has the pasted
    draft's limit; a plain-text file over twice that (UTF-16 at most doubles it) is refused unread."""
    with tempfile.TemporaryDirectory(prefix="tracuu-check-") as folder:
        got = receive(upload, Path(folder), limit, name)
        path = got.path
        os.replace(got.part, path)  # a private folder: no lock needed
        if path.suffix not in _DRAFT_TYPES:
            raise Problem(422, *_BAD_FILE, f"{name}: chỉ kiểm tra được tệp {', '.join(_DRAFT_TYPES.values())} "
                                           f"(tệp này là {path.suffix[1:].upper()})", code="unsupported")  # fmt: skip
        if path.suffix != ".docx" and path.stat().st_size > 2 * MAX_DRAFT_BYTES:
            raise draft_too_long(name)
        try:
            return limit_draft(read_file(path, max_bytes=limit).text, name)
        except IngestError as exc:
            raise Problem(422, *_BAD_FILE, f"{name}: {exc.reason}", code=exc.code) from exc
