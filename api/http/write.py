"""Writing routes (bearer token): upload a document (received within limits, its type sniffed from its
bytes, parsed in the core's writer process and indexed) and delete one."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path, PureWindowsPath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, Security, UploadFile
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from tracuu.core.results import DocumentSummary, ProgressRecorded, UploadResult
from tracuu.ingest.pipeline import slugify
from tracuu.ops.audit import Who
from tracuu.ops.tokens import audience

from ..guard import CHECKED, authorize
from ..problems import too_large
from .common import (
    AS_GIVEN,
    PROGRESS,
    SUMMARY,
    TASK,
    Eng,
    LimitedRoute,
    RefP,
    TaskIdP,
    about,
)
from .files import receive

router = APIRouter(route_class=LimitedRoute)

bearer = HTTPBearer(auto_error=False, description="Mã truy cập: TRACUU_API_TOKEN của máy chủ hoặc một mã có tên "
                    "(tracuu token create).")  # fmt: skip


def require_token(eng: Eng, request: Request,
                  cred: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]) -> None:  # fmt: skip
    """Admin writes and reads need an admin token (see `guard.authorize`). The guard in front of the app has
    checked document writes before the body was read; an app served without the guard checks here."""
    access = request.scope.get(CHECKED)
    if access is None:
        access, refused = authorize(eng, cred.credentials if cred else None)
        if refused is not None:
            raise refused
    request.state.access = access


def require_writer(eng: Eng, request: Request,
                   cred: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]) -> None:  # fmt: skip
    """Progress needs a valid token of any scope; whose task it may report on is the core's to check. The
    guard has checked it before the body was read; an app served without the guard checks here."""
    access = request.scope.get(CHECKED)
    if access is None:
        access, refused = authorize(eng, cred.credentials if cred else None, admin=False)
        if refused is not None:
            raise refused
    request.state.access = access


UPLOADED = about(
    "Tải lên và lập chỉ mục một văn bản",
    "Tải lên một tệp PDF, DOCX, TXT, Markdown hoặc HTML (loại nhận theo nội dung, không theo đuôi tệp); văn bản "
    "được phân tích, lưu và tìm được ngay. 201 kèm tóm tắt; tệp đã có, không đổi: 200. Tệp hỏng, rỗng, sai bảng mã: "
    "422; quá lớn: 413; đang xử lý quá nhiều tệp: 429; kho đủ số văn bản tải lên: 409. Cần mã Bearer.",
    {**SUMMARY, "index": {"added_docs": 1, "embedded": 120}}, 201)  # fmt: skip
UPLOADED["responses"][200] = {"description": "Tệp đã có, không đổi: tóm tắt văn bản đã lưu.", "model": DocumentSummary,
                              "content": {"application/json": {"example": SUMMARY}}}  # fmt: skip


@router.post("/documents", status_code=201, dependencies=[Depends(require_token)], response_model=UploadResult,
             **AS_GIVEN, **UPLOADED)  # fmt: skip
def upload(eng: Eng, response: Response, request: Request,
           file: Annotated[UploadFile, File(description="Tệp văn bản (pdf, docx, txt, md, html).")],
           visibility: Annotated[str | None, Form(description="public (mặc định) hoặc internal: chỉ các cơ quan ở "
                                                  "`agency` (và quản trị) xem được.", max_length=20)] = None,
           agency: Annotated[list[str] | None, Form(description="Cơ quan được xem văn bản nội bộ; gửi nhiều lần "
                                                     "được.")] = None,
           ) -> dict[str, Any]:  # fmt: skip
    name = PureWindowsPath(file.filename or "").name or "tep-tai-len"  # no folder, "/" or "\\" alike
    shown = audience(visibility, agency or [])  # a bad value: 422 before anything is stored
    got = receive(file, eng.uploads, eng.settings.max_bytes, name)
    try:
        body, new = eng.upload(
            got.part, got.path, got.digest, name, who(request), shown
        )  # errors: `problem_of`
    finally:
        got.part.unlink(missing_ok=True)  # gone already once moved into place
    if new:
        response.headers["Location"] = f"/documents/{body['doc_id']}"
    else:
        response.status_code = 200  # the same file again: its summary, nothing added
    return body  # validated against UploadResult by FastAPI


@router.delete("/documents/{ref:path}", status_code=204, dependencies=[Depends(require_token)],
               summary="Xóa một văn bản", description="Xóa văn bản khỏi kho và chỉ mục (204). Cần mã Bearer.")  # fmt: skip
def delete_document(eng: Eng, ref: RefP, request: Request) -> Response:
    eng.delete(ref, who(request))
    return Response(status_code=204)


class ProgressIn(BaseModel):
    """A progress record: the task's state, a note (what was done), the period (recurring work)."""

    state: str = Field(max_length=40, description="not_started, in_progress hoặc done (hoặc: chưa thực hiện, đang thực hiện, "
                       "hoàn thành).", examples=["in_progress"])  # fmt: skip
    note: str = Field("", max_length=4000, description="Ghi chú, kết quả thực hiện.")
    period: str | None = Field(None, max_length=16, description="Kỳ báo cáo của việc định kỳ (2025, 2025-Q3, "
                               "2025-H1, 2025-07); mặc định kỳ hiện tại.", examples=["2025"])  # fmt: skip


@router.post("/tasks/{task_id}/progress", status_code=201, dependencies=[Depends(require_writer)],
             response_model=ProgressRecorded, **AS_GIVEN, **about(
    "Ghi tiến độ thực hiện một nhiệm vụ",
    "Thêm một bản ghi tiến độ (giữ toàn bộ lịch sử): trạng thái, ghi chú, kỳ báo cáo với việc định kỳ (mặc định kỳ "
    "hiện tại). Mã nhiệm vụ lấy từ GET /tasks (task_id). Nhiệm vụ không có: 404; trạng thái, kỳ không hợp lệ: 422. "
    "Cần mã Bearer: quản trị, hoặc mã của cơ quan chủ trì nhiệm vụ (agency:…); mã của cơ quan khác: 403.",
    {"task": {**TASK, "progress": PROGRESS}, "recorded": PROGRESS, "history": [PROGRESS]}, 201))  # fmt: skip
def record_progress(eng: Eng, task_id: TaskIdP, body: ProgressIn, request: Request) -> dict[str, Any]:
    return eng.record_progress(
        task_id,
        body.state,
        body.note,
        body.period,
        who(request),
        access=getattr(request.state, "access", None),
    )


@router.post("/tasks/{task_id}/evidence", status_code=201, dependencies=[Depends(require_writer)],
             response_model=ProgressRecorded, **AS_GIVEN, **about(
    "Ghi tiến độ kèm tệp minh chứng",
    "Như POST /tasks/{task_id}/progress, gửi dạng multipart/form-data: trường `file` (tệp minh chứng: biên bản, "
    "báo cáo, ảnh…, tối đa TRACUU_MAX_FILE_MB), `state`, `note`, `period`. Tệp được giữ theo SHA-256 trong kho; "
    "bản ghi tiến độ có `evidence` (tên, SHA-256, số byte). Tệp rỗng: 422; quá lớn: 413. Cần mã Bearer như ghi "
    "tiến độ.",
    {"task": {**TASK, "progress": PROGRESS}, "recorded": PROGRESS, "history": [PROGRESS]}, 201))  # fmt: skip
def record_evidence(eng: Eng, task_id: TaskIdP, request: Request,
                    file: Annotated[UploadFile, File(description="Tệp minh chứng.")],
                    state: Annotated[str, Form(max_length=40, description="not_started, in_progress hoặc done.")],
                    note: Annotated[str, Form(max_length=4000, description="Ghi chú, kết quả thực hiện.")] = "",
                    period: Annotated[str | None, Form(max_length=16, description="Kỳ báo cáo.")] = None,
                    ) -> dict[str, Any]:  # fmt: skip
    name = slugify(Path(PureWindowsPath(file.filename or "").name).stem) or "minh-chung"
    folder = eng.uploads / f".minh-chung-{uuid.uuid4().hex}"
    folder.mkdir(parents=True)
    kept = folder / f"{name}{Path(file.filename or '').suffix.lower()[:10]}"
    try:
        size = 0
        with kept.open("wb") as out:
            while piece := file.file.read(1 << 20):
                size += len(piece)
                if size > eng.settings.max_bytes:
                    raise too_large(file.filename or name, eng.settings.max_bytes)
                out.write(piece)
        return eng.record_progress(task_id, state, note, period, who(request), evidence=kept,
                                   access=getattr(request.state, "access", None))  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def who(request: Request) -> Who:
    """The writer as the audit log names it: the token's name ("api-token" for the shared one) and the
    client."""
    access = getattr(request.state, "access", None)
    return Who(access.name if access else "api-token", request.client.host if request.client else "")
