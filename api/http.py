"""HTTP API: the CLI's `--json` contracts as FastAPI routes, for people and for chat tools (OpenAPI at /docs).

Reads are open. Each runs in FastAPI's threadpool with its own SQLite connection (connections are not
shared across threads) inside one read transaction, over the index snapshot it grabbed. Writes need the
bearer token TRACUU_API_TOKEN, run one at a time, sync a private copy of the index, save it atomically and
swap the app's reference in one assignment: a search never sees a half-built index.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import threading
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, File, Query, Request, Security, UploadFile
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException

from tracuu.index.backend import Filters, IndexMismatch, LocalIndex
from tracuu.index.citation import cite
from tracuu.index.knowledge import agencies, cited_by, cites, references, task_json
from tracuu.index.search import MAX_QUERY_CHARS, Hit, Searcher, index_dir, sync
from tracuu.index.store import Store
from tracuu.ingest.normalize import fold
from tracuu.ingest.pipeline import ingest_file, slugify
from tracuu.ingest.readers import IngestError, human_size

from .cli import doc_summary
from .settings import Settings

PROBLEM = "application/problem+json"
_META = ("doc_id", "number", "type", "date", "issuer", "issuer_full", "place", "title", "signer",
         "signer_title", "recipients", "kind", "source_path", "metadata", "warnings")  # fmt: skip
_OUTLINE = ("path", "kind", "label", "section", "heading", "level", "start", "end", "page_start")


class Problem(Exception):
    """An RFC 9457 problem: `kind` names its type URI, `detail` says in Vietnamese what went wrong."""

    def __init__(self, status: int, kind: str, title: str, detail: str, headers: dict | None = None, **extra):
        super().__init__(detail)
        self.status, self.kind, self.title, self.detail = status, kind, title, detail
        self.headers, self.extra = headers, extra


def problem_response(request: Request, p: Problem) -> JSONResponse:
    body = {"type": f"/problems/{p.kind}", "title": p.title, "status": p.status, "detail": p.detail,
            "instance": request.url.path, **p.extra}  # fmt: skip
    return JSONResponse(body, status_code=p.status, media_type=PROBLEM, headers=p.headers)


class SnapshotSearcher(Searcher):
    """A Searcher over an index snapshot that may still name chunks a concurrent delete removed from the
    store: those are skipped instead of failing the request (the request's read transaction keeps the
    check and the fetch consistent)."""

    def search(self, query: str, k: int = 10, filters: Filters | None = None, mode: str = "hybrid") -> list[Hit]:
        return [h for h in super().search(query, k, filters, mode) if h is not None]

    def _hit(self, row: int, score: float) -> Hit | None:  # type: ignore[override]
        chunk_id = self.index.meta.chunk_ids[row]
        if self.store.conn.execute("SELECT 1 FROM chunks WHERE chunk_id = ?", (chunk_id,)).fetchone() is None:
            return None
        return super()._hit(row, score)


class Engine:
    """What the app holds: settings, the live index snapshot, the model (loaded once), the write lock."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.index: LocalIndex | None = LocalIndex.load(index_dir(settings.home))
        self.write_lock = threading.Lock()
        self._model_lock = threading.Lock()
        self._embedder: Any = None

    @property
    def uploads(self) -> Path:
        return Path(self.settings.home) / "uploads"

    def embedder(self) -> Any:
        from tracuu.index.embed import Embedder, ModelMissing

        with self._model_lock:
            if self._embedder is None:
                s = self.settings
                try:
                    self._embedder = Embedder(s.model, quantize=s.quantize, threads=s.threads)
                except ModelMissing as exc:
                    raise Problem(503, "no-model", "chưa có mô hình", str(exc)) from exc
        return self._embedder

    @contextmanager
    def store(self, read: bool = True) -> Iterator[Store]:
        """A connection for this request and thread; reads see one consistent database snapshot."""
        store = Store.open(self.settings.home)
        try:
            if read:
                store.conn.execute("BEGIN")
            yield store
        finally:
            store.close()  # closing ends the read transaction

    def searcher(self, store: Store, mode: str = "hybrid") -> SnapshotSearcher:
        index = self.index  # one read of the reference: this request's snapshot
        if index is None:
            raise Problem(503, "no-index", "chưa có chỉ mục",
                          "Kho chưa có chỉ mục tìm kiếm; hãy tải văn bản lên hoặc chạy `tracuu index`.")  # fmt: skip
        embedder = None if mode == "lexical" else self.embedder()
        if embedder is not None and index.model != embedder.name:
            raise Problem(503, "index-mismatch", "chỉ mục khác mô hình",
                          f"Chỉ mục được xây bằng mô hình '{index.model}', khác mô hình đang dùng "
                          f"'{embedder.name}'; chạy `tracuu index --rebuild`.")  # fmt: skip
        return SnapshotSearcher(store, index, embedder)

    def write(self, change: Callable[[Store], Any]) -> tuple[Any, dict[str, int]]:
        """One store change, then a private copy of the index synced, saved (atomic) and swapped in."""
        with self.write_lock, self.store(read=False) as store:
            result = change(store)
            embedder = self.embedder()
            try:
                fresh = LocalIndex.load(index_dir(self.settings.home), model=embedder.name)
            except IndexMismatch as exc:
                raise Problem(503, "index-mismatch", "chỉ mục khác mô hình", str(exc)) from exc
            fresh, stats = sync(store, fresh, embedder)
            fresh.save(index_dir(self.settings.home))
            self.index = fresh
            return result, stats


def _engine(request: Request) -> Engine:
    return request.app.state.engine


Eng = Annotated[Engine, Depends(_engine)]
router = APIRouter()


def _ok(example: Any) -> dict:
    return {200: {"content": {"application/json": {"example": example}}}}


def _text(value: str, name: str) -> str:
    if not value.strip() or not any(c.isalnum() for c in value):
        raise Problem(422, "invalid-parameter", "tham số không hợp lệ", f"'{name}' trống: cần chữ hoặc số.")
    return value


def _find(store: Store, ref: str) -> dict[str, Any]:
    doc = store.find(ref)
    if doc is None:
        raise Problem(404, "not-found", "không tìm thấy văn bản",
                      f"Không có văn bản '{ref}' trong kho (mã, số hiệu hoặc đường dẫn); xem GET /documents.")  # fmt: skip
    return doc


def _check_type(store: Store, doc_type: str | None) -> None:
    if doc_type is None:
        return
    known = [r[0] for r in store.conn.execute("SELECT DISTINCT type FROM documents WHERE type IS NOT NULL")]
    if fold(doc_type).lower() not in {fold(t).lower() for t in known}:
        raise Problem(422, "invalid-parameter", "tham số không hợp lệ",
                      f"'type' = '{doc_type}' không có trong kho; các loại hiện có: {', '.join(sorted(known))}.")  # fmt: skip


Q = Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, examples=["co quan nao chu tri giam ngheo"],
                         description="Câu truy vấn tiếng Việt, có dấu hoặc không dấu (1–1000 ký tự).")]  # fmt: skip
K = Annotated[int, Query(ge=1, le=100, examples=[5], description="Số đoạn trả về (1–100).")]
TypeQ = Annotated[str | None, Query(examples=["Nghị định"],
                                    description="Loại văn bản có trong kho (Kế hoạch, Nghị định, Luật…).")]  # fmt: skip
IssuerQ = Annotated[str | None, Query(examples=["Khánh Hòa"],
                                      description="Cơ quan ban hành: một phần tên, có hoặc không dấu.")]  # fmt: skip
YearQ = Annotated[int | None, Query(ge=1945, le=2100, examples=[2021], description="Năm ban hành.")]
DocQ = Annotated[str | None, Query(examples=["1212/KH-UBND"], description="Chỉ trong một văn bản: mã hoặc số hiệu.")]
ModeQ = Annotated[Literal["hybrid", "dense", "lexical"], Query(
    examples=["hybrid"], description="hybrid (mặc định: BM25 + vector), dense (ngữ nghĩa) hoặc lexical (từ khóa).")]  # fmt: skip

SEARCH_EXAMPLE = {"query": "co quan nao chu tri giam ngheo", "restored_query": "cơ quan nào chủ trì giảm nghèo",
                  "results": [{"chunk_id": "ke-hoach-1212#III.2.-1.+3", "doc_id": "ke-hoach-1212",
                               "doc_number": "1212/KH-UBND", "section": "III.2 › Sở Lao động …",
                               "text": "Thực hiện chương trình giảm nghèo …", "score": 0.92,
                               "citation": "Mục III.2, Kế hoạch số 1212/KH-UBND ngày 29/11/2021 của …"}]}  # fmt: skip


@router.get("/search", summary="Tìm đoạn văn bản liên quan", responses=_ok(SEARCH_EXAMPLE), description=(
    "Tìm các đoạn (Điều, Khoản, mục của kế hoạch) liên quan tới một câu hỏi hoặc từ khóa, kèm trích dẫn chính "
    "thức. Dùng khi cần trích nguyên văn hoặc tìm nơi một vấn đề được quy định; câu không dấu được khôi phục dấu "
    "(`restored_query`). Với câu hỏi 'cơ quan nào chủ trì…?' hãy dùng /ask."))  # fmt: skip
def search(eng: Eng, q: Q, k: K = 10, type: TypeQ = None, issuer: IssuerQ = None, year: YearQ = None,
           doc: DocQ = None, mode: ModeQ = "hybrid") -> dict[str, Any]:  # fmt: skip
    query = _text(q, "q")
    with eng.store() as store:
        _check_type(store, type)
        doc_id = _find(store, doc)["doc_id"] if doc else None
        searcher = eng.searcher(store, mode)
        hits = searcher.search(query, k=k, filters=Filters(type, issuer, year, None, doc_id), mode=mode)
        restored = searcher.prepare(query).restored
    return {"query": q, "restored_query": restored, "results": [h.to_dict() for h in hits]}


ASK_EXAMPLE = {"question": "Cơ quan nào chủ trì giảm nghèo?", "kind": "lead_agency",
               "answer": {"lead": "Sở Lao động - Thương binh và Xã hội", "cooperating": ["Sở Tài chính"],
                          "references": [], "text": "Sở Lao động - Thương binh và Xã hội chủ trì (Mục III.2, …)"},
               "evidence": [{"chunk_id": "…", "doc_id": "…", "section": "III.2 › …", "text": "…",
                             "citation": "Mục III.2, Kế hoạch số 1212/KH-UBND …", "score": 0.9, "coverage": 1.0}]}  # fmt: skip


@router.get("/ask", summary="Trả lời câu hỏi kèm căn cứ", responses=_ok(ASK_EXAMPLE), description=(
    "Trả lời 'cơ quan nào chủ trì/ chịu trách nhiệm …?' (cơ quan chủ trì và phối hợp), 'văn bản nào quy định "
    "…?' (văn bản được viện dẫn) hoặc câu hỏi nội dung, luôn kèm đoạn trích làm căn cứ. Không sinh nội dung: "
    "không đủ căn cứ thì `lead` là null và `text` nói rõ."))  # fmt: skip
def ask(eng: Eng, q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description="Câu hỏi tiếng Việt.",
        examples=["Cơ quan nào chủ trì thực hiện chính sách trợ giúp xã hội hàng tháng?"])]) -> dict[str, Any]:  # fmt: skip
    from tracuu.index.answer import ask as answer

    question = _text(q, "q")
    with eng.store() as store:
        return answer(eng.searcher(store), question)


DOCS_EXAMPLE = {"documents": [{"doc_id": "ke-hoach-1212", "number": "1212/KH-UBND", "type": "Kế hoạch",
                               "date": "2021-11-29", "issuer": "UBND tỉnh Khánh Hòa", "title": "…",
                               "units": 139, "chunks": 120}], "total": 1, "offset": 0, "limit": 50}  # fmt: skip


@router.get("/documents", summary="Liệt kê văn bản trong kho", responses=_ok(DOCS_EXAMPLE), description=(
    "Danh sách văn bản (mã, số hiệu, loại, ngày, cơ quan, trích yếu), lọc theo loại, cơ quan, năm; phân trang "
    "bằng offset/limit. Dùng để biết kho có gì hoặc lấy `doc_id` cho các lệnh khác."))  # fmt: skip
def list_documents(eng: Eng, type: TypeQ = None, issuer: IssuerQ = None, year: YearQ = None,
                   offset: Annotated[int, Query(ge=0, examples=[0], description="Bỏ qua bao nhiêu văn bản.")] = 0,
                   limit: Annotated[int, Query(ge=1, le=500, examples=[50], description="Số văn bản (1–500).")] = 50,
                   ) -> dict[str, Any]:  # fmt: skip
    with eng.store() as store:
        _check_type(store, type)
        rows = [doc_summary(r) for r in store.documents() if _doc_fits(r, type, issuer, year)]
    return {"documents": rows[offset : offset + limit], "total": len(rows), "offset": offset, "limit": limit}


def _doc_fits(r: dict[str, Any], doc_type: str | None, issuer: str | None, year: int | None) -> bool:
    return ((not doc_type or fold(r["type"] or "").lower() == fold(doc_type).lower())
            and (not issuer or fold(issuer).lower() in fold(r["issuer"] or "").lower())
            and (not year or (r["date"] or "")[:4] == str(year)))  # fmt: skip


RefP = Annotated[str, PathParam(examples=["1212/KH-UBND"], description="Mã, số hiệu hoặc đường dẫn nguồn của văn bản.")]
UNIT_EXAMPLE = {"doc_id": "ke-hoach-1212", "path": "III.2", "kind": "item", "heading": "2. Triển khai …",
                "section": "III.2", "start": 9000, "end": 12000, "text": "2. Triển khai các hoạt động …",
                "citation": "Mục III.2, Kế hoạch số 1212/KH-UBND ngày 29/11/2021 của …"}  # fmt: skip


@router.get("/documents/{ref:path}/units/{unit:path}", summary="Một đơn vị của văn bản (Điều, Khoản, mục)",
            responses=_ok(UNIT_EXAMPLE), description=(
    "Nguyên văn một đơn vị theo đường dẫn trong dàn ý (`outline[].path`, ví dụ `III.2` hoặc `II.Đ5.2`) kèm "
    "trích dẫn chính thức. Dùng sau /search hoặc /documents/{ref} để đọc trọn một mục."))  # fmt: skip
def get_unit(eng: Eng, ref: RefP, unit: Annotated[str, PathParam(examples=["III.2"], description="Đường dẫn đơn vị.")]
             ) -> dict[str, Any]:  # fmt: skip
    with eng.store() as store:
        doc = _find(store, ref)
        row = next((u for u in store.units(doc["doc_id"]) if u["path"] == unit), None)
    if row is None:
        raise Problem(404, "not-found", "không tìm thấy đơn vị",
                      f"Văn bản '{ref}' không có đơn vị '{unit}'; xem `outline` của GET /documents/{ref}.")  # fmt: skip
    return {**row, "text": doc["text"][row["start"] : row["end"]], "citation": cite(doc, row["section"])}


SHOW_EXAMPLE = {**DOCS_EXAMPLE["documents"][0], "issuer_full": "Ủy ban nhân dân tỉnh Khánh Hòa", "outline": [
    {"path": "III.2", "kind": "item", "heading": "2. Triển khai …", "level": 1}],
    "cites": [{"number": "161/QĐ-TTg", "type": "Quyết định", "label": "Quyết định số 161/QĐ-TTg",
               "in_corpus": False, "doc_id": None}], "cited_by": []}  # fmt: skip


@router.get("/documents/{ref:path}", summary="Thông tin, dàn ý và viện dẫn của một văn bản",
            responses=_ok(SHOW_EXAMPLE), description=(
    "Thông tin văn bản (số hiệu, ngày, cơ quan, người ký), dàn ý, các văn bản nó viện dẫn (`cites`) và các văn "
    "bản trong kho viện dẫn nó (`cited_by`). `ref` là mã, số hiệu (1212/KH-UBND) hoặc đường dẫn nguồn."))  # fmt: skip
def get_document(eng: Eng, ref: RefP) -> dict[str, Any]:
    with eng.store() as store:
        doc = _find(store, ref)
        doc_id = doc["doc_id"]
        units = store.units(doc_id)
        return {**{k: doc[k] for k in _META}, "units": len(units), "chunks": _count(store, "chunks", doc_id),
                "outline": [{k: u[k] for k in _OUTLINE} for u in units],
                "cites": cites(store, doc_id), "cited_by": cited_by(store, doc_id)}  # fmt: skip


TASKS_EXAMPLE = {"tasks": [{"doc_id": "ke-hoach-1212", "section": "III.2 › …", "lead": "Sở Lao động - Thương "
                            "binh và Xã hội", "cooperating": ["Sở Tài chính"], "task": "…", "deadline": None,
                            "citation": "Mục III.2, Kế hoạch số 1212/KH-UBND …"}]}  # fmt: skip


@router.get("/tasks", summary="Nhiệm vụ được giao", responses=_ok(TASKS_EXAMPLE), description=(
    "Các nhiệm vụ trích từ văn bản: cơ quan chủ trì, phối hợp, thời hạn, nội dung, trích dẫn. Lọc theo cơ quan "
    "(tên đầy đủ hoặc viết tắt, có hoặc không dấu: 'Sở LĐTBXH', 'So LDTBXH') và/hoặc văn bản. Dùng cho "
    "'cơ quan X phải làm gì?'."))  # fmt: skip
def list_tasks(eng: Eng,
               agency: Annotated[str | None, Query(examples=["So LDTBXH"], description="Cơ quan chủ trì.")] = None,
               doc: DocQ = None) -> dict[str, Any]:  # fmt: skip
    with eng.store() as store:
        doc_id = _find(store, doc)["doc_id"] if doc else None
        return {"tasks": [task_json(t) for t in store.tasks(agency=agency, doc_id=doc_id)]}


REFS_EXAMPLE = {"number": "161/QĐ-TTg", "references": [{"number": "161/QĐ-TTg", "type": "Quyết định",
                "label": "Quyết định số 161/QĐ-TTg", "in_corpus": False, "problems": [], "cites": [],
                "cited_in": [{"doc_id": "ke-hoach-1212", "citation": "Mục I, Kế hoạch số 1212/KH-UBND …"}]}]}  # fmt: skip


@router.get("/references", summary="Văn bản được viện dẫn", responses=_ok(REFS_EXAMPLE), description=(
    "Mỗi văn bản được viện dẫn một lần (mọi cách viết số hiệu), nơi viện dẫn, có trong kho hay chưa, và lỗi "
    "viện dẫn phát hiện được. Dùng cho 'văn bản nào viện dẫn Quyết định 161?' hoặc kiểm tra căn cứ pháp lý."))  # fmt: skip
def list_references(eng: Eng, number: Annotated[str | None, Query(
        examples=["161/QĐ-TTg"], description="Số hiệu (mọi cách viết, ví dụ 161/QD-TTg).")] = None) -> dict[str, Any]:  # fmt: skip
    with eng.store() as store:
        return references(store, number)


@router.get("/agencies", summary="Các cơ quan chủ trì nhiệm vụ", description=(
    "Cơ quan (tên chuẩn) chủ trì nhiệm vụ trong kho, các cách viết gặp trong văn bản và số nhiệm vụ. Dùng để "
    "biết tên cơ quan trước khi gọi /tasks."), responses=_ok({"agencies": [
        {"name": "Sở Y tế", "key": "so-y-te", "variants": ["Sở Y tế"], "tasks": 4}]}))  # fmt: skip
def list_agencies(eng: Eng) -> dict[str, Any]:
    with eng.store() as store:
        return {"agencies": agencies(store)}


@router.get("/healthz", summary="Tình trạng máy chủ", description="Kho, chỉ mục và mô hình đã sẵn sàng chưa.",
            responses=_ok({"status": "ok", "index_loaded": True, "model": "multilingual-e5-small@…", "rows": 240,
                           "counts": {"documents": 2, "units": 200, "chunks": 240}}))  # fmt: skip
def healthz(eng: Eng) -> dict[str, Any]:
    index = eng.index
    with eng.store() as store:
        counts = store.counts()
    return {"status": "ok", "index_loaded": index is not None, "counts": counts,
            "model": index.model if index else None, "rows": index.stats()["rows"] if index else 0,
            "writes_enabled": bool(eng.settings.api_token)}  # fmt: skip


bearer = HTTPBearer(auto_error=False, description="Mã TRACUU_API_TOKEN của máy chủ.")


def require_token(eng: Eng, cred: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]) -> None:
    """Writes are off without a configured token (403), and need exactly that token (401)."""
    token = eng.settings.api_token
    if not token:
        raise Problem(403, "writes-disabled", "ghi bị tắt",
                      "Máy chủ chưa đặt TRACUU_API_TOKEN nên tải lên và xóa văn bản đều bị tắt.")  # fmt: skip
    if cred is None or not hmac.compare_digest(cred.credentials.encode(), token.encode()):
        raise Problem(401, "unauthorized", "cần mã truy cập", "Thiếu hoặc sai mã truy cập (Authorization: Bearer …).",
                      headers={"WWW-Authenticate": "Bearer"})  # fmt: skip


@router.post("/documents", status_code=201, dependencies=[Depends(require_token)],
             summary="Tải lên và lập chỉ mục một văn bản", description=(
    "Tải lên một tệp PDF, DOCX, TXT, Markdown hoặc HTML (loại được nhận theo nội dung, không theo đuôi tệp); "
    "văn bản được phân tích, lưu và tìm được ngay. Trả về tóm tắt văn bản (201); tệp đã có, không đổi: 200. "
    "Tệp hỏng, rỗng, sai bảng mã: 422; quá lớn: 413. Cần mã Bearer."),
             responses={201: {"content": {"application/json": {"example": DOCS_EXAMPLE["documents"][0]}}}})  # fmt: skip
def upload(eng: Eng, file: Annotated[UploadFile, File(description="Tệp văn bản (pdf, docx, txt, md, html).")]
           ) -> JSONResponse:  # fmt: skip
    name = Path(file.filename or "tep-tai-len").name
    path, digest = receive(file, eng.uploads, eng.settings.max_bytes, name)
    with eng.store() as store:
        if store.is_current(str(path), digest):  # the same file again: nothing to do
            return JSONResponse(_summary(store, store.find(str(path))["doc_id"]), status_code=200)

    def put(store: Store) -> str:
        try:
            doc = ingest_file(path, max_bytes=eng.settings.max_bytes, ocr=eng.settings.ocr,
                              doc_id=store.doc_id_for(str(path), slugify(Path(name).stem)))  # fmt: skip
        except IngestError as exc:
            path.unlink(missing_ok=True)
            raise Problem(422, "bad-file", "tệp không đọc được", f"{name}: {exc.reason}", code=exc.code) from exc
        store.put(doc)
        return doc.doc_id

    doc_id, stats = eng.write(put)
    with eng.store() as store:
        body = {**_summary(store, doc_id), "index": stats}
    return JSONResponse(body, status_code=201, headers={"Location": f"/documents/{doc_id}"})


def _count(store: Store, table: str, doc_id: str) -> int:
    return store.conn.execute(f"SELECT COUNT(*) FROM {table} WHERE doc_id = ?", (doc_id,)).fetchone()[0]


def _summary(store: Store, doc_id: str) -> dict[str, Any]:
    doc = store.find(doc_id) or {}
    return doc_summary({**doc, "units": _count(store, "units", doc_id), "chunks": _count(store, "chunks", doc_id)})


def receive(file: UploadFile, folder: Path, limit: int, name: str) -> tuple[Path, str]:
    """The upload saved under uploads/ with the suffix its content calls for, and its SHA-256; or a problem."""
    tmp, digest, size = save_upload(file, folder, limit, name)
    try:
        if size == 0:
            raise Problem(422, "bad-file", "tệp không đọc được", f"{name}: tệp rỗng", code="empty")
        path = folder / f"{slugify(Path(name).stem)}-{digest[:12]}{sniff(tmp, name)}"
    except Problem:
        tmp.unlink()
        raise
    os.replace(tmp, path)
    return path, digest


def save_upload(upload: UploadFile, folder: Path, limit: int, name: str) -> tuple[Path, str, int]:
    """Stream the upload to disk in pieces, refusing it once past the size limit; its SHA-256 and size."""
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{uuid.uuid4().hex}.part"
    digest, size = hashlib.sha256(), 0
    with tmp.open("wb") as out:
        while chunk := upload.file.read(1 << 20):
            size += len(chunk)
            if size > limit:
                out.close()
                tmp.unlink()
                raise too_large(name, limit)
            digest.update(chunk)
            out.write(chunk)
    return tmp, digest.hexdigest(), size


def too_large(name: str, limit: int) -> Problem:
    return Problem(413, "too-large", "tệp quá lớn", f"{name}: tệp vượt giới hạn {human_size(limit)} (TRACUU_MAX_FILE_MB).")


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
        except zipfile.BadZipFile:
            pass
        raise Problem(422, "bad-file", "tệp không đọc được", f"{name}: tệp nén zip nhưng không phải DOCX",
                      code="unsupported")  # fmt: skip
    if _HTML.search(head):
        return ".html"
    return ".md" if name.lower().endswith((".md", ".markdown")) else ".txt"  # readers check it is UTF-8 text


@router.delete("/documents/{ref:path}", status_code=204, dependencies=[Depends(require_token)],
               summary="Xóa một văn bản", description="Xóa văn bản khỏi kho và chỉ mục (204). Cần mã Bearer.")
def delete_document(eng: Eng, ref: RefP) -> Response:
    def remove(store: Store) -> str:
        doc = _find(store, ref)
        store.delete(doc["doc_id"])
        return doc["source_path"]

    source, _ = eng.write(remove)
    if Path(source).parent == eng.uploads:
        Path(source).unlink(missing_ok=True)  # an uploaded copy goes with its document
    return Response(status_code=204)


_TITLES = {404: "không tìm thấy", 405: "phương thức không được hỗ trợ", 413: "yêu cầu quá lớn"}


def install_handlers(app: FastAPI) -> None:
    """Every error is problem+json with a Vietnamese detail; never a stack trace."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"param": str(e["loc"][-1]), "message": vi_error(e)} for e in exc.errors()]
        detail = "; ".join(e["message"] for e in errors)
        return problem_response(request, Problem(422, "invalid-parameter", "tham số không hợp lệ", detail,
                                                 errors=errors))  # fmt: skip

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = _TITLES.get(exc.status_code, "yêu cầu không hợp lệ")
        detail = f"Không có đường dẫn {request.url.path}." if exc.status_code == 404 else f"{title} ({exc.detail})"
        return problem_response(request, Problem(exc.status_code, "http", title, detail))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        return problem_response(request, Problem(500, "internal", "lỗi nội bộ",
                                                 f"Lỗi nội bộ khi xử lý yêu cầu ({type(exc).__name__})."))  # fmt: skip


def vi_error(e: dict[str, Any]) -> str:
    """One pydantic validation error in Vietnamese, naming the parameter."""
    name, ctx, got = e["loc"][-1], e.get("ctx") or {}, e.get("input")
    messages = {
        "missing": f"thiếu tham số bắt buộc '{name}'",
        "greater_than_equal": f"'{name}' phải lớn hơn hoặc bằng {ctx.get('ge')} (nhận {got})",
        "less_than_equal": f"'{name}' phải nhỏ hơn hoặc bằng {ctx.get('le')} (nhận {got})",
        "string_too_short": f"'{name}' không được để trống",
        "string_too_long": f"'{name}' dài quá {ctx.get('max_length')} ký tự",
        "int_parsing": f"'{name}' phải là số nguyên (nhận '{got}')",
        "literal_error": f"'{name}' phải là một trong {str(ctx.get('expected', '')).replace(' or ', ', ')} (nhận '{got}')",
    }  # fmt: skip
    return messages.get(e["type"], f"'{name}' không hợp lệ ({e.get('msg')})")


DESCRIPTION = """Tra cứu văn bản hành chính và pháp luật Việt Nam (kế hoạch, nghị định, luật…) trong kho đã nhập.

Chọn công cụ: **/ask** cho câu hỏi "cơ quan nào chủ trì…?", "văn bản nào quy định…?" (câu trả lời kèm căn cứ);
**/search** để tìm đoạn văn liên quan và trích dẫn; **/tasks** cho nhiệm vụ của một cơ quan; **/references** cho
quan hệ viện dẫn; **/documents** để xem kho, một văn bản, dàn ý hoặc nguyên văn một mục. Câu hỏi có thể viết không dấu.
Lỗi theo RFC 9457 (application/problem+json). Ghi (tải lên, xóa) cần mã Bearer TRACUU_API_TOKEN."""


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new app over one data folder; the model loads at startup when an index exists."""
    engine = Engine(settings or Settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if engine.index is not None:
            try:
                engine.embedder()
            except Problem:
                pass  # lexical search still works; dense requests answer 503 with the reason
        yield

    app = FastAPI(title="tracuu", version="0.1.0", summary="Tra cứu văn bản hành chính Việt Nam",
                  description=DESCRIPTION, lifespan=lifespan)  # fmt: skip
    app.state.engine = engine
    install_handlers(app)
    app.include_router(router)

    @app.middleware("http")
    async def _limit_upload(request: Request, call_next):
        """Refuse an oversized upload from its Content-Length, before its body is read."""
        length = request.headers.get("content-length", "")
        if request.method == "POST" and length.isdigit() and int(length) > engine.settings.max_bytes + 65536:
            return problem_response(request, too_large("tệp tải lên", engine.settings.max_bytes))
        return await call_next(request)

    return app


def serve(settings: Settings | None = None, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the API with uvicorn in one process (the write lock and the index snapshot live in it)."""
    import uvicorn

    uvicorn.run(create_app(settings), host=host, port=port)


if __name__ == "__main__":
    serve()
