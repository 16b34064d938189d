"""HTTP API: the CLI's `--json` contracts as FastAPI routes, for people and chat tools (OpenAPI at /docs).

Reads are open (POST /check, which only reads a draft sent to it, too). Each runs in FastAPI's threadpool with
its own SQLite connection (connections are not shared across threads) inside one read transaction, over the
index snapshot it grabbed. Writes need the bearer token TRACUU_API_TOKEN, run one at a time, sync a private
copy of the index, save it atomically and swap the app's reference in one assignment: a search never sees a
half-built index.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import uuid
import zipfile
from collections.abc import Callable
from contextlib import asynccontextmanager
from pathlib import Path, PureWindowsPath
from typing import Annotated, Any, Literal, NamedTuple

from fastapi import APIRouter, Depends, FastAPI, File, Query, Request, Security, UploadFile
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile as FormFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from tracuu.core.app import Tracuu, check_type, count, summary
from tracuu.core.errors import TracuuError
from tracuu.core.settings import Settings
from tracuu.index.backend import Filters
from tracuu.index.search import MAX_QUERY_CHARS
from tracuu.index.store import Store
from tracuu.ingest.normalize import clean_text
from tracuu.ingest.pipeline import slugify
from tracuu.ingest.readers import IngestError, read_file
from tracuu.knowledge.check import check_text
from tracuu.knowledge.graph import references
from tracuu.knowledge.tasks import agencies, agency_report, task_json
from tracuu.ops.jobs import parse_file

from .annotate import annotated_docx
from .docs import install_docs
from .export import REPORT_MEDIA_TYPES, render_report, report_filename
from .guard import CHECKED, Guard, token_problem
from .problems import (
    JSON_BODY,
    MAX_DRAFT_BYTES,
    Problem,
    draft_too_long,
    problem_of,
    problem_response,
    too_large,
)

_INVALID = ("invalid-parameter", "tham số không hợp lệ")
_BAD_FILE = ("bad-file", "tệp không đọc được")


def _engine(request: Request) -> Tracuu:
    return request.app.state.engine


Eng = Annotated[Tracuu, Depends(_engine)]
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


router = APIRouter(route_class=LimitedRoute)


def about(summary: str, description: str, example: Any, status: int = 200, files: tuple[str, ...] = ()
          ) -> dict[str, Any]:  # fmt: skip
    """OpenAPI metadata of a route: what it answers and when to use it, and an example answer (and the media
    types of the files it can answer with instead)."""
    content: dict[str, Any] = {"application/json": {"example": example}}
    content |= {media.split(";")[0]: {"schema": {"type": "string", "format": "binary"}} for media in files}
    return {"summary": summary, "description": description, "responses": {status: {"content": content}}}


def param(description: str, example: Any, where: Callable = Query, **checks: Any) -> Any:
    return where(description=description, examples=[example], **checks)


def _text(value: str, name: str) -> str:
    if not value.strip() or not any(c.isalnum() for c in value):
        raise Problem(422, *_INVALID, f"'{name}' trống: cần chữ hoặc số.")
    return value


Q = Annotated[str, param("Câu truy vấn tiếng Việt, có dấu hoặc không dấu (1–1000 ký tự).",
                         "co quan nao chu tri giam ngheo", min_length=1, max_length=MAX_QUERY_CHARS)]  # fmt: skip
K = Annotated[int, param("Số đoạn trả về (1–100).", 5, ge=1, le=100)]
TypeQ = Annotated[str | None, param("Loại văn bản có trong kho (Kế hoạch, Nghị định, Luật…).", "Nghị định")]
IssuerQ = Annotated[str | None, param("Cơ quan ban hành: một phần tên, có hoặc không dấu.", "Khánh Hòa")]
YearQ = Annotated[int | None, param("Năm ban hành.", 2021, ge=1945, le=2100)]
DocQ = Annotated[str | None, param("Chỉ trong một văn bản: mã hoặc số hiệu.", "1212/KH-UBND")]
ModeQ = Annotated[Literal["hybrid", "dense", "lexical"], param(
    "hybrid (mặc định: từ khóa BM25 + vector ngữ nghĩa), dense (chỉ ngữ nghĩa) hoặc lexical (chỉ từ khóa).", "hybrid")]  # fmt: skip
RefP = Annotated[str, param("Mã, số hiệu hoặc đường dẫn nguồn của văn bản.", "1212/KH-UBND", PathParam)]
CITE = "Mục III.2, Kế hoạch số 1212/KH-UBND ngày 29/11/2021 của Ủy ban nhân dân tỉnh Khánh Hòa"
HIT = {"chunk_id": "ke-hoach-1212#III.2.-1", "doc_id": "ke-hoach-1212", "doc_number": "1212/KH-UBND",
       "section": "III.2 › Sở Lao động - Thương binh và Xã hội chủ trì …", "text": "…", "score": 0.92,
       "citation": CITE}  # fmt: skip
SUMMARY = {"doc_id": "ke-hoach-1212", "number": "1212/KH-UBND", "type": "Kế hoạch", "date": "2021-11-29",
           "issuer": "UBND tỉnh Khánh Hòa", "title": "…", "units": 139, "chunks": 120}  # fmt: skip
LEAD = "Sở Lao động - Thương binh và Xã hội"


@router.get("/search", **about("Tìm đoạn văn bản liên quan",
    "Tìm các đoạn (Điều, Khoản, mục của kế hoạch) liên quan tới câu hỏi hoặc từ khóa, kèm trích dẫn chính thức. "
    "Dùng để trích nguyên văn hoặc tìm nơi một vấn đề được quy định; câu không dấu được khôi phục dấu "
    "(`restored_query`). Câu hỏi 'cơ quan nào chủ trì…?' thì dùng /ask.",
    {"query": "co quan nao chu tri giam ngheo", "restored_query": "cơ quan nào chủ trì giảm nghèo", "results": [HIT]}))  # fmt: skip
def search(eng: Eng, q: Q, k: K = 10, type: TypeQ = None, issuer: IssuerQ = None, year: YearQ = None,
           doc: DocQ = None, mode: ModeQ = "hybrid") -> dict[str, Any]:  # fmt: skip
    query = _text(q, "q")
    with eng.store() as store:
        check_type(store, type)
        doc_id = eng.document(store, doc)["doc_id"] if doc else None
        searcher = eng.searcher(store, mode)
        hits = searcher.search(query, k=k, filters=Filters(type, issuer, year, None, doc_id), mode=mode)
        restored = searcher.prepare(query).restored
    return {"query": q, "restored_query": restored, "results": [h.to_dict() for h in hits]}


@router.get("/ask", **about("Trả lời câu hỏi kèm căn cứ",
    "Trả lời 'cơ quan nào chủ trì / chịu trách nhiệm …?' (cơ quan chủ trì và phối hợp), 'văn bản nào quy định …?' "
    "(văn bản và Điều/Khoản/Điểm chứa quy định, trích dẫn chuẩn trong `references[].citation`, `unit`; rồi các văn "
    "bản được viện dẫn), câu hỏi chính sách (`policy_kind`: document, eligibility, amount, procedure, deadline, "
    "authority; mức tiền theo hệ số × mức chuẩn được tính trong `answer.amount`, dẫn cả hai điều khoản) hoặc câu hỏi "
    "nội dung, luôn kèm đoạn trích làm căn cứ. Không sinh nội dung: thiếu căn cứ "
    "thì `lead` là null và `text` nói rõ. Câu hỏi nêu tỉnh, thành phố hay cơ quan ban hành ('Ở Quảng Ngãi, …', "
    "'… theo thông báo của Văn phòng Chính phủ') được trả lời từ văn bản của nơi đó; `scope` (names, documents) "
    "cho biết phạm vi.",
    {"question": "Cơ quan nào chủ trì giảm nghèo?", "kind": "lead_agency",
     "answer": {"lead": LEAD, "cooperating": ["Sở Tài chính"], "references": [], "text": f"{LEAD} chủ trì (…)"},
     "evidence": [{**HIT, "coverage": 1.0}]}))  # fmt: skip
def ask(eng: Eng, q: Annotated[str, param("Câu hỏi tiếng Việt, có dấu hoặc không dấu.", "Cơ quan nào chủ trì "
        "giảm nghèo?", min_length=1, max_length=MAX_QUERY_CHARS)]) -> dict[str, Any]:  # fmt: skip
    from tracuu.knowledge.answer import ask as answer

    question = _text(q, "q")
    with eng.store() as store:
        return answer(eng.searcher(store), question)


@router.get("/documents", **about("Liệt kê văn bản trong kho",
    "Danh sách văn bản (mã, số hiệu, loại, ngày, cơ quan, trích yếu), lọc theo loại, cơ quan, năm; phân trang bằng "
    "offset/limit. Dùng để biết kho có gì hoặc lấy `doc_id` cho các lệnh khác.",
    {"documents": [SUMMARY], "total": 1, "offset": 0, "limit": 50}))  # fmt: skip
def list_documents(eng: Eng, type: TypeQ = None, issuer: IssuerQ = None, year: YearQ = None,
                   offset: Annotated[int, param("Bỏ qua bao nhiêu văn bản.", 0, ge=0)] = 0,
                   limit: Annotated[int, param("Số văn bản một trang (1–500).", 50, ge=1, le=500)] = 50,
                   ) -> dict[str, Any]:  # fmt: skip
    rows = eng.documents(type, issuer, year)
    return {"documents": rows[offset : offset + limit], "total": len(rows), "offset": offset, "limit": limit}


# Registered before /documents/{ref:path}, which would swallow it: numbers hold slashes (1212/KH-UBND).
@router.get("/documents/{ref:path}/units/{unit:path}", **about("Nguyên văn một đơn vị (Điều, Khoản, mục)",
    "Nguyên văn một đơn vị theo đường dẫn trong dàn ý (`outline[].path` của /documents/{ref}, ví dụ `III.2`) kèm "
    "trích dẫn chính thức. Dùng sau /search hoặc /documents/{ref} để đọc trọn một mục.",
    {"doc_id": "ke-hoach-1212", "path": "III.2", "heading": "2. Triển khai …", "text": "…", "citation": CITE}))  # fmt: skip
def get_unit(eng: Eng, ref: RefP, unit: Annotated[str, param("Đường dẫn đơn vị.", "III.2", PathParam)]
             ) -> dict[str, Any]:  # fmt: skip
    return eng.unit(ref, unit)


@router.get("/documents/{ref:path}", **about("Thông tin, dàn ý và viện dẫn của một văn bản",
    "Thông tin văn bản (số hiệu, ngày, cơ quan, người ký), dàn ý, các văn bản nó viện dẫn (`cites`) và các văn bản "
    "trong kho viện dẫn nó (`cited_by`). `ref` là mã, số hiệu (1212/KH-UBND) hoặc đường dẫn nguồn.",
    {**SUMMARY, "outline": [{"path": "III.2", "heading": "2. Triển khai …", "level": 1}], "cited_by": [],
     "cites": [{"number": "161/QĐ-TTg", "label": "Quyết định số 161/QĐ-TTg", "in_corpus": False}]}))  # fmt: skip
def get_document(eng: Eng, ref: RefP) -> dict[str, Any]:
    return eng.document_info(ref)


@router.get("/tasks", **about("Nhiệm vụ được giao cho các cơ quan",
    "Nhiệm vụ trích từ văn bản: cơ quan chủ trì, phối hợp, thời hạn, nội dung, trích dẫn. Lọc theo cơ quan (tên đầy "
    "đủ hoặc viết tắt, có hoặc không dấu: 'Sở LĐTBXH', 'So LDTBXH') và/hoặc văn bản. Dùng cho 'cơ quan X phải làm gì?'.",
    {"tasks": [{"doc_id": "ke-hoach-1212", "section": "III.2 › …", "lead": LEAD, "cooperating": ["Sở Tài chính"],
                "task": "…", "deadline": None, "citation": CITE}]}))  # fmt: skip
def list_tasks(eng: Eng, agency: Annotated[str | None, param("Cơ quan chủ trì.", "So LDTBXH")] = None,
               doc: DocQ = None) -> dict[str, Any]:  # fmt: skip
    with eng.store() as store:
        doc_id = eng.document(store, doc)["doc_id"] if doc else None
        return {"tasks": [task_json(t) for t in store.tasks(agency=agency, doc_id=doc_id)]}


@router.get("/references", **about("Văn bản được viện dẫn và nơi viện dẫn",
    "Mỗi văn bản được viện dẫn một lần (mọi cách viết số hiệu), nơi viện dẫn, có trong kho hay chưa, lỗi viện dẫn "
    "phát hiện được. Dùng cho 'văn bản nào viện dẫn Quyết định 161?' hoặc kiểm tra căn cứ pháp lý.",
    {"number": "161/QĐ-TTg", "references": [{"number": "161/QĐ-TTg", "label": "Quyết định số 161/QĐ-TTg",
     "in_corpus": False, "problems": [], "cites": [], "cited_in": [{"doc_id": "ke-hoach-1212", "citation": CITE}]}]}))  # fmt: skip
def list_references(eng: Eng, number: Annotated[str | None, param(
        "Số hiệu, viết cách nào cũng được (161/QD-TTg).", "161/QĐ-TTg")] = None) -> dict[str, Any]:  # fmt: skip
    with eng.store() as store:
        return references(store, number)


@router.get("/agencies", **about("Các cơ quan chủ trì nhiệm vụ",
    "Cơ quan (tên chuẩn) chủ trì nhiệm vụ trong kho, các cách viết gặp trong văn bản và số nhiệm vụ. Dùng để biết "
    "tên cơ quan trước khi gọi /tasks.",
    {"agencies": [{"name": LEAD, "key": "…", "variants": ["Sở LĐTBXH"], "tasks": 12}]}))  # fmt: skip
def list_agencies(eng: Eng) -> dict[str, Any]:
    with eng.store() as store:
        return {"agencies": agencies(store)}


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


@router.post("/check", openapi_extra=CHECK_BODY, **about("Kiểm tra trích dẫn trong một dự thảo",
    "Tìm mọi trích dẫn văn bản trong dự thảo (JSON `{\"text\": …}` hoặc tệp `file` TXT, Markdown, DOCX) và đối chiếu "
    "với kho và danh mục văn bản: sai ngày, sai cơ quan ban hành, sai loại, số hiệu không tồn tại, Điều/Khoản không "
    "có. Mỗi trích dẫn kèm `status` (ok, problem, unverifiable: không có trong kho và danh mục, không phải là sai), "
    "các lỗi và trích dẫn chuẩn nên dùng. `format=docx`: trả bản dự thảo có tô màu và nhận xét (Word).",
    {"findings": [FINDING], "summary": {"total": 1, "ok": 0, "problem": 1, "unverifiable": 0}},
    files=(DOCX_TYPE,)))  # fmt: skip
async def check(eng: Eng, request: Request, format: Annotated[Literal["json", "docx"], param(
        "json (mặc định): kết quả kiểm tra; docx: bản dự thảo có đánh dấu và nhận xét, dạng tệp tải về.",
        "json")] = "json") -> Response:  # fmt: skip
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
    result = await run_in_threadpool(_checked, eng, text)
    if format == "json":
        return JSONResponse(result)
    body = await run_in_threadpool(annotated_docx, text, result["findings"])
    filename = f"{slugify(Path(name).stem)}-nhan-xet.docx"
    return Response(body, media_type=DOCX_TYPE, headers=_attachment(filename))


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


def _checked(eng: Tracuu, text: str) -> dict[str, Any]:
    with eng.store() as store:
        return check_text(store, text, eng.catalog(store))  # TooManyCitations: 413 (`problem_of`)


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


REPORT = {"agency": LEAD, "agency_written": "So LDTBXH", "doc": None, "counts": {"lead": 20, "cooperating": 1, "member": 0},
          "groups": [{"doc_id": "ke-hoach-1212", "doc_citation": "Kế hoạch số 1212/KH-UBND ngày 29/11/2021 của Ủy ban "
                      "nhân dân tỉnh Khánh Hòa", "doc_title": "…", "doc_label": "Kế hoạch số 1212/KH-UBND",
                      "sections": [{"section": "III.2", "heading": "2. …", "tasks": [
                          {"role": "chủ trì", "lead": LEAD, "cooperating": ["Sở Tài chính"], "task": "…",
                           "deadline": None, "citation": CITE, "unit_path": "III.2.-1", "result": ""}]}]}]}  # fmt: skip


@router.get("/report", response_model=None, **about("Báo cáo nhiệm vụ của một cơ quan",
    "Mọi nhiệm vụ một cơ quan chủ trì hoặc phối hợp, theo văn bản và theo mục, kèm thời hạn, trích dẫn và cột "
    "'Kết quả thực hiện' để trống cho cơ quan điền: bản báo cáo hằng năm các kế hoạch yêu cầu. `format`: json (dữ "
    "liệu), hoặc tệp tải về md, csv (UTF-8 có BOM, mở được bằng Excel), xlsx, docx.",
    REPORT, files=tuple(REPORT_MEDIA_TYPES.values())))  # fmt: skip
def report(eng: Eng, agency: Annotated[str, param("Cơ quan: tên đầy đủ hoặc viết tắt, có hoặc không dấu.",
           "So LDTBXH")], doc: DocQ = None, format: Annotated[Literal["json", "md", "csv", "xlsx", "docx"], param(
           "json (mặc định) hoặc tệp tải về: md, csv, xlsx, docx.", "xlsx")] = "json") -> Response:  # fmt: skip
    with eng.store() as store:
        data = agency_report(store, agency, doc)  # NotFound, InvalidArgument: mapped by `problem_of`
    if format == "json":
        return JSONResponse(data)
    return Response(render_report(data, format), media_type=REPORT_MEDIA_TYPES[format],
                    headers=_attachment(report_filename(data, format)))  # fmt: skip


@router.get("/healthz", **about("Tình trạng máy chủ", "Kho, chỉ mục và mô hình đã sẵn sàng chưa.",
    {"status": "ok", "index_loaded": True, "counts": {"documents": 2, "units": 200, "chunks": 240},
     "model": "multilingual-e5-small@…", "rows": 240, "writes_enabled": True}))  # fmt: skip
def healthz(eng: Eng) -> dict[str, Any]:
    index = eng.index
    with eng.store() as store:
        counts = store.counts()
    return {"status": "ok", "index_loaded": index is not None, "counts": counts,
            "model": index.model if index else None, "rows": index.stats()["rows"] if index else 0,
            "writes_enabled": bool(eng.settings.api_token)}  # fmt: skip


bearer = HTTPBearer(auto_error=False, description="Mã TRACUU_API_TOKEN của máy chủ.")


def require_token(eng: Eng, request: Request,
                  cred: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]) -> None:  # fmt: skip
    """Writes need the token (see `guard.token_problem`). The guard in front of the app has compared it
    before the body was read; an app served without the guard compares it here."""
    if request.scope.get(CHECKED):
        return
    refused = token_problem(eng.settings.api_token, cred.credentials if cred else None)
    if refused is not None:
        raise refused


def _uploaded(store: Store, folder: Path) -> int:
    """How many documents came from uploads (their source is a file in `folder`)."""
    prefix = f"{folder}{os.sep}"
    sql = "SELECT COUNT(*) FROM documents WHERE substr(source_path, 1, ?) = ?"
    return store.conn.execute(sql, (len(prefix), prefix)).fetchone()[0]


SAME_FILE = {"responses": {"200": {"description": "Tệp đã có, không đổi: tóm tắt văn bản đã lưu.",
                                   "content": {"application/json": {"example": SUMMARY}}}}}  # fmt: skip


@router.post("/documents", status_code=201, dependencies=[Depends(require_token)],
             openapi_extra=SAME_FILE, **about(
    "Tải lên và lập chỉ mục một văn bản",
    "Tải lên một tệp PDF, DOCX, TXT, Markdown hoặc HTML (loại nhận theo nội dung, không theo đuôi tệp); văn bản "
    "được phân tích, lưu và tìm được ngay. 201 kèm tóm tắt; tệp đã có, không đổi: 200. Tệp hỏng, rỗng, sai bảng mã: "
    "422; quá lớn: 413; đang xử lý quá nhiều tệp: 429; kho đủ số văn bản tải lên: 409. Cần mã Bearer.",
    {**SUMMARY, "index": {"added_docs": 1, "embedded": 120}}, 201))  # fmt: skip
def upload(eng: Eng, file: Annotated[UploadFile, File(description="Tệp văn bản (pdf, docx, txt, md, html).")]
           ) -> JSONResponse:  # fmt: skip
    name = PureWindowsPath(file.filename or "").name or "tep-tai-len"  # no folder, "/" or "\\" alike
    got = receive(file, eng.uploads, eng.settings.max_bytes, name)
    try:
        return _upload(eng, got, name)
    finally:
        got.part.unlink(missing_ok=True)  # gone already once moved into place


def _upload(eng: Tracuu, got: Received, name: str) -> JSONResponse:
    path = got.path
    with eng.store() as store:
        index = eng.index
        if store.is_current(str(path), got.digest) and path.exists():  # the same file again
            doc = store.find(str(path))
            if index is not None and doc["doc_id"] in index.meta.docs:  # …and indexed: nothing to do
                return JSONResponse(_summary(store, doc["doc_id"]), status_code=200)

    def put(store: Store) -> str:
        stored, cap = _uploaded(store, eng.uploads), eng.settings.max_uploads  # under the write lock: exact
        if stored >= cap and store.find(str(path)) is None:
            raise Problem(409, "too-many-documents", "kho đã đủ văn bản tải lên",
                          f"{name}: kho đã có {stored} văn bản tải lên, giới hạn là {cap} (TRACUU_MAX_UPLOADS); "
                          "hãy xóa văn bản không còn cần (DELETE /documents/{ref}) rồi tải lên lại.")  # fmt: skip
        os.replace(got.part, path)  # under the write lock: a delete of the same file cannot remove it
        doc_id = store.doc_id_for(str(path), slugify(Path(name).stem))
        parsed = eng.in_writer(parse_file, str(path), doc_id, eng.settings.max_bytes, eng.settings.ocr)
        if isinstance(parsed, IngestError):
            path.unlink(missing_ok=True)  # a file that did not become a document is not kept
            raise Problem(422, *_BAD_FILE, f"{name}: {parsed.reason}", code=parsed.code)
        store.put(parsed)
        return parsed.doc_id

    doc_id, stats = eng.write(put)
    with eng.store() as store:
        body = {**_summary(store, doc_id), "index": stats}
    return JSONResponse(body, status_code=201, headers={"Location": f"/documents/{doc_id}"})


def _summary(store: Store, doc_id: str) -> dict[str, Any]:
    found = store.find(doc_id) or {}
    return summary(
        {**found, "units": count(store, "units", doc_id), "chunks": count(store, "chunks", doc_id)}
    )


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


@router.delete("/documents/{ref:path}", status_code=204, dependencies=[Depends(require_token)],
               summary="Xóa một văn bản", description="Xóa văn bản khỏi kho và chỉ mục (204). Cần mã Bearer.")  # fmt: skip
def delete_document(eng: Eng, ref: RefP) -> Response:
    def remove(store: Store) -> None:
        found = eng.document(store, ref)
        store.delete(found["doc_id"])
        if Path(found["source_path"]).parent == eng.uploads:  # an uploaded copy goes with its document,
            Path(found["source_path"]).unlink(missing_ok=True)  # under the lock (a re-upload may be waiting)

    eng.write(remove)
    return Response(status_code=204)


_TITLES = {404: "không tìm thấy", 405: "phương thức không được hỗ trợ", 413: "yêu cầu quá lớn"}
_FORM_LIMITS = {"Too many files": f"Yêu cầu có quá nhiều tệp: mỗi lần chỉ gửi {FORM_FILES} tệp, trong trường 'file'.",
                "Too many fields": f"Biểu mẫu có quá nhiều trường (tối đa {FORM_FIELDS}): chỉ cần tệp trong trường "
                                   "'file'."}  # fmt: skip


def install_handlers(app: FastAPI) -> None:
    """Every error is problem+json with a Vietnamese detail; never a stack trace."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(request, exc)

    @app.exception_handler(TracuuError)
    async def _core(request: Request, exc: TracuuError) -> JSONResponse:
        return problem_response(request, problem_of(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"param": str(e["loc"][-1]), "message": vi_error(e)} for e in exc.errors()]
        detail = "; ".join(e["message"] for e in errors)
        return problem_response(request, Problem(422, *_INVALID, detail, errors=errors))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = _TITLES.get(exc.status_code, "yêu cầu không hợp lệ")
        detail = (
            f"Không có đường dẫn {request.url.path}." if exc.status_code == 404 else f"{title} ({exc.detail})"
        )
        detail = next((vi for en, vi in _FORM_LIMITS.items() if str(exc.detail).startswith(en)), detail)
        return problem_response(request, Problem(exc.status_code, "http", title, detail, headers=exc.headers))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        detail = f"Lỗi nội bộ khi xử lý yêu cầu ({type(exc).__name__})."
        return problem_response(request, Problem(500, "internal", "lỗi nội bộ", detail))


PROBLEM_SCHEMA = {"type": "object", "required": ["type", "title", "status", "detail", "instance"],
                  "description": "Lỗi theo RFC 9457; `detail` nói bằng tiếng Việt điều gì sai.",
                  "properties": {"type": {"type": "string", "example": "/problems/invalid-parameter"},
                                 "title": {"type": "string"}, "status": {"type": "integer"},
                                 "detail": {"type": "string"}, "instance": {"type": "string"}}}  # fmt: skip


def document_problems(app: FastAPI) -> None:
    """The OpenAPI schema says what the handlers answer: any error is problem+json, never FastAPI's 422 shape."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = build()  # cached by FastAPI as app.openapi_schema, amended here once
            schemas = spec.setdefault("components", {}).setdefault("schemas", {})
            for name in ("HTTPValidationError", "ValidationError"):
                schemas.pop(name, None)
            schemas["Problem"] = PROBLEM_SCHEMA
            error = {"description": "Lỗi (RFC 9457)",
                     "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}  # fmt: skip
            for ops in spec["paths"].values():
                for op in ops.values():
                    op["responses"].pop("422", None)
                    op["responses"]["default"] = error
        return app.openapi_schema

    app.openapi = openapi


def vi_error(e: dict[str, Any]) -> str:
    """One pydantic validation error in Vietnamese, naming the parameter."""
    name, ctx, got = e["loc"][-1], e.get("ctx") or {}, e.get("input")
    expected = str(ctx.get("expected", "")).replace(" or ", ", ")
    messages = {
        "missing": f"thiếu tham số bắt buộc '{name}'",
        "greater_than_equal": f"'{name}' phải lớn hơn hoặc bằng {ctx.get('ge')} (nhận {got})",
        "less_than_equal": f"'{name}' phải nhỏ hơn hoặc bằng {ctx.get('le')} (nhận {got})",
        "string_too_short": f"'{name}' không được để trống",
        "string_too_long": f"'{name}' dài quá {ctx.get('max_length')} ký tự",
        "int_parsing": f"'{name}' phải là số nguyên (nhận '{got}')",
        "literal_error": f"'{name}' phải là một trong {expected} (nhận '{got}')",
    }
    return messages.get(e["type"], f"'{name}' không hợp lệ ({e.get('msg')})")


DESCRIPTION = """Tra cứu văn bản hành chính và pháp luật Việt Nam (kế hoạch, nghị định, luật…) trong kho đã nhập.

Chọn công cụ: **/ask** cho câu hỏi "cơ quan nào chủ trì…?", "văn bản nào quy định…?" (trả lời kèm căn cứ);
**/search** để tìm đoạn văn và trích dẫn; **/tasks** cho nhiệm vụ của một cơ quan; **/report** cho bản báo cáo
nhiệm vụ của một cơ quan (json, md, csv, xlsx, docx); **/references** cho quan hệ viện dẫn; **/check** để kiểm
tra trích dẫn trong một dự thảo; **/documents** để xem kho, một văn bản, dàn ý hoặc nguyên văn một mục. Câu hỏi
có thể viết không dấu.
Lỗi theo RFC 9457 (application/problem+json). Ghi (tải lên, xóa) cần mã Bearer TRACUU_API_TOKEN."""


WEB = Path(__file__).resolve().parent / "web"


def install_web(app: FastAPI) -> None:
    """The search page at / (static HTML, JS and CSS under /web; it routes on the URL's #fragment)."""

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(WEB / "index.html", headers={"Cache-Control": "no-cache"})

    app.mount("/web", StaticFiles(directory=WEB), name="web")


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new app over one data folder; the model loads at startup when an index exists."""
    settings = settings or Settings()
    engine = Tracuu(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        try:
            if engine.index is not None:
                engine.embedder()
        except TracuuError:
            pass  # lexical search may still work; the others answer 503 with the reason
        yield
        engine.close()  # the writer process, if a write started one

    app = FastAPI(title="tracuu", version="0.1.0", summary="Tra cứu văn bản hành chính Việt Nam",
                  description=DESCRIPTION, lifespan=lifespan, docs_url=None, redoc_url=None)  # fmt: skip
    app.state.engine = engine
    install_handlers(app)
    app.include_router(router)
    document_problems(app)
    install_web(app)
    install_docs(app)  # /docs (Swagger UI) with its assets from an installed package, not a CDN

    app.add_middleware(Guard, engine=engine)
    return app


if __name__ == "__main__":
    from .server import serve

    serve()
