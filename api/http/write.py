"""Writing routes (bearer token): upload a document (received within limits, its type sniffed from its
bytes, parsed in the core's writer process and indexed) and delete one."""

from __future__ import annotations

import os
from pathlib import Path, PureWindowsPath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, Security, UploadFile
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from tracuu.core.app import Tracuu, count, summary
from tracuu.index.store import Store
from tracuu.ingest.pipeline import slugify
from tracuu.ingest.readers import IngestError
from tracuu.ops.jobs import parse_file

from ..guard import CHECKED, token_problem
from ..problems import (
    Problem,
)
from .common import (
    _BAD_FILE,
    SUMMARY,
    Eng,
    LimitedRoute,
    RefP,
    about,
)
from .files import Received, receive

router = APIRouter(route_class=LimitedRoute)

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
