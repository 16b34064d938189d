"""What every route of the HTTP door shares: the core behind a request (`Eng`), form limits, OpenAPI
metadata helpers, the annotated parameters and the example answers the OpenAPI document shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request, Security
from fastapi import Path as PathParam
from fastapi.responses import Response
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from tracuu.core.app import Tracuu
from tracuu.index.search import MAX_QUERY_CHARS
from tracuu.ops.tokens import Access

from ..problems import Problem

_INVALID = ("invalid-parameter", "tham số không hợp lệ")
_BAD_FILE = ("bad-file", "tệp không đọc được")


def _engine(request: Request) -> Tracuu:
    return request.app.state.engine


Eng = Annotated[Tracuu, Depends(_engine)]
_reader = HTTPBearer(auto_error=False, description="Mã truy cập (không bắt buộc khi đọc): mã có phạm vi "
                     "agency:<cơ quan> hoặc admin thấy cả văn bản nội bộ được phép.")  # fmt: skip


def _viewer(
    request: Request, cred: Annotated[HTTPAuthorizationCredentials | None, Security(_reader)]
) -> Access | None:
    """Who reads: anonymous (public documents only) without a token; a token's access with one; a token
    sent but unknown, revoked or expired is refused (401), never read as anonymous."""
    if cred is None:
        if request.headers.get("authorization", "").strip():  # "Basic …", a bare token: not a way in
            raise Problem(401, "unauthorized", "cần mã truy cập", "Mã truy cập phải gửi dạng Authorization: Bearer ….",
                          headers={"WWW-Authenticate": "Bearer"})  # fmt: skip
        return None
    access = _engine(request).access(cred.credentials)
    if access is None:
        raise Problem(401, "unauthorized", "cần mã truy cập",
                      "Mã truy cập sai, đã thu hồi hoặc đã hết hạn (Authorization: Bearer …).",
                      headers={"WWW-Authenticate": "Bearer"})  # fmt: skip
    return access


Viewer = Annotated[Access | None, Depends(_viewer)]
FORM_FILES, FORM_FIELDS = 1, 10  # parts of a multipart request: one file, a few plain fields


class FormLimits(Request):
    """A request whose form is parsed with tight limits: Starlette's defaults let one request carry 1000 files
    and 1000 fields, each spooled before the route could refuse them. More is refused with 400."""

    def form(self, *, max_files: int | float = FORM_FILES, max_fields: int | float = FORM_FIELDS,
             max_part_size: int = 1024 * 1024) -> Any:  # fmt: skip
        return super().form(max_files=max_files, max_fields=max_fields, max_part_size=max_part_size)


class LimitedRoute(APIRoute):
    """A route that parses its form (FastAPI's own parsing of `File` parameters too) with `FormLimits`."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def limited(request: Request) -> Response:
            return await handler(FormLimits(request.scope, request.receive))

        return limited


# With a `response_model`, a route answers the core's dict as it is: FastAPI validates it against the model and
# keeps every field the core gave (the models allow extra fields) and no other (a field the core left out is not
# added as null).
AS_GIVEN: dict[str, Any] = {"response_model_exclude_unset": True}


def about(summary: str, description: str, example: Any, status: int = 200, files: tuple[str, ...] = (),
          model: type[BaseModel] | None = None) -> dict[str, Any]:  # fmt: skip
    """OpenAPI metadata of a route: what it answers and when to use it, and an example answer (and the media
    types of the files it can answer with instead). The JSON schema comes from the route's `response_model`
    (FastAPI puts it beside the example); `model` gives it for a route without one (one that may answer a file)."""
    content: dict[str, Any] = {"application/json": {"example": example}}
    content |= {media.split(";")[0]: {"schema": {"type": "string", "format": "binary"}} for media in files}
    response: dict[str, Any] = {"content": content} | ({"model": model} if model is not None else {})
    return {"summary": summary, "description": description, "responses": {status: response}}


def param(description: str, example: Any, where: Callable = Query, **checks: Any) -> Any:
    return where(description=description, examples=[example], **checks)


Q = Annotated[str, param("Câu truy vấn tiếng Việt, có dấu hoặc không dấu (1–1000 ký tự).",
                         "co quan nao chu tri giam ngheo", min_length=1, max_length=MAX_QUERY_CHARS)]  # fmt: skip
K = Annotated[int, param("Số đoạn trả về (1–100).", 5, ge=1, le=100)]
TypeQ = Annotated[str | None, param("Loại văn bản có trong kho (Kế hoạch, Nghị định, Luật…).", "Nghị định")]
IssuerQ = Annotated[str | None, param("Cơ quan ban hành: một phần tên, có hoặc không dấu.", "Khánh Hòa")]
YearQ = Annotated[int | None, param("Năm ban hành.", 2021, ge=1945, le=2100)]
InForceQ = Annotated[
    str | None,
    param(
        "Chỉ văn bản còn hiệu lực (toàn bộ hoặc một phần) vào ngày này (2021-07-01); 'today' hoặc rỗng: hôm nay.",
        "today",
    ),
]
DocQ = Annotated[str | None, param("Chỉ trong một văn bản: mã hoặc số hiệu.", "1212/KH-UBND")]
ModeQ = Annotated[Literal["hybrid", "dense", "lexical"], param(
    "hybrid (mặc định: từ khóa BM25 + vector ngữ nghĩa), dense (chỉ ngữ nghĩa) hoặc lexical (chỉ từ khóa).", "hybrid")]  # fmt: skip
RefP = Annotated[str, param("Mã, số hiệu hoặc đường dẫn nguồn của văn bản.", "1212/KH-UBND", PathParam)]
CITE = "Mục III.2, Kế hoạch số 1212/KH-UBND ngày 29/11/2021 của Ủy ban nhân dân tỉnh Khánh Hòa"
HIT = {"chunk_id": "ke-hoach-1212#III.2.-1", "doc_id": "ke-hoach-1212", "doc_number": "1212/KH-UBND",
       "doc_title": "…", "section": "III.2 › Sở Lao động - Thương binh và Xã hội chủ trì …", "text": "…",
       "page": None, "score": 0.92, "citation": CITE}  # fmt: skip
EVIDENCE = {"chunk_id": HIT["chunk_id"], "doc_id": HIT["doc_id"], "section": HIT["section"], "text": "…",
            "citation": CITE, "score": 0.92, "coverage": 1.0}  # fmt: skip
SUMMARY = {"doc_id": "ke-hoach-1212", "number": "1212/KH-UBND", "type": "Kế hoạch", "date": "2021-11-29",
           "issuer": "UBND tỉnh Khánh Hòa", "title": "…", "units": 139, "chunks": 120}  # fmt: skip
LEAD = "Sở Lao động - Thương binh và Xã hội"
TASK = {"doc_id": "ke-hoach-1212", "section": "V.1 › d)", "lead": "Các đơn vị thuộc trụ cột Văn hóa - Xã hội ASEAN",
        "cooperating": [], "task": "d) Báo cáo tiến độ và kết quả thực hiện … định kỳ hàng năm …",
        "deadline": "định kỳ hàng năm", "citation": "Mục V.1.d, Kế hoạch số 1212/KH-UBND …",
        "leads": ["Các đơn vị thuộc trụ cột Văn hóa - Xã hội ASEAN"], "task_id": "ke-hoach-1212~f993a59dcb"}  # fmt: skip
PROGRESS = {"id": "5f0c…", "task_id": "ke-hoach-1212~f993a59dcb", "period": "2025", "state": "done",
            "state_vi": "hoàn thành", "note": "Đã báo cáo UBND tỉnh", "author": "api", "at": "2025-12-10T08:00:00+00:00"}  # fmt: skip
TaskIdP = Annotated[str, param("Mã nhiệm vụ: trường task_id của GET /tasks.", "ke-hoach-1212~f993a59dcb",
                               where=PathParam, min_length=3, max_length=300)]  # fmt: skip


def attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}
