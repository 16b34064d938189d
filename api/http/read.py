"""Reading routes: search, ask, documents and their units, tasks, references, agencies, the agency
report, health. Each parses its parameters, calls the core (`Tracuu`) and returns its JSON."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse, Response

from tracuu.core.results import (
    AgencyList,
    AskResult,
    Dashboard,
    DocumentInfo,
    DocumentPage,
    Health,
    ReferenceList,
    Report,
    SearchResult,
    TaskList,
    TaskProgress,
    UnitText,
    ValidityResult,
)
from tracuu.index.search import MAX_QUERY_CHARS
from tracuu.ingest.pipeline import slugify

from ..export import REPORT_MEDIA_TYPES, render_report, report_filename
from .common import (
    AS_GIVEN,
    CITE,
    EVIDENCE,
    HIT,
    LEAD,
    PROGRESS,
    SUMMARY,
    TASK,
    DocQ,
    Eng,
    InForceQ,
    IssuerQ,
    K,
    LimitedRoute,
    ModeQ,
    Q,
    RefP,
    TaskIdP,
    TypeQ,
    Viewer,
    YearQ,
    about,
    attachment,
    param,
)

router = APIRouter(route_class=LimitedRoute)


@router.get("/search", response_model=SearchResult, **AS_GIVEN, **about("Tìm đoạn văn bản liên quan",
    "Tìm các đoạn (Điều, Khoản, mục của kế hoạch) liên quan tới câu hỏi hoặc từ khóa, kèm trích dẫn chính thức. "
    "Dùng để trích nguyên văn hoặc tìm nơi một vấn đề được quy định; câu không dấu được khôi phục dấu "
    "(`restored_query`). Câu hỏi 'cơ quan nào chủ trì…?' thì dùng /ask.",
    {"query": "co quan nao chu tri giam ngheo", "restored_query": "cơ quan nào chủ trì giảm nghèo", "results": [HIT],
     "mode": "hybrid"}))  # fmt: skip
def search(eng: Eng, viewer: Viewer, q: Q, k: K = 10, type: TypeQ = None, issuer: IssuerQ = None, year: YearQ = None,
           doc: DocQ = None, mode: ModeQ = "hybrid", in_force: InForceQ = None) -> dict[str, Any]:  # fmt: skip
    return eng.search(q, k=k, doc_type=type, issuer=issuer, year=year, doc=doc, mode=mode, in_force=in_force,
                      viewer=viewer)  # fmt: skip


@router.get("/ask", response_model=AskResult, **AS_GIVEN, **about("Trả lời câu hỏi kèm căn cứ",
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
     "evidence": [EVIDENCE]}))  # fmt: skip
def ask(eng: Eng, viewer: Viewer, q: Annotated[str, param("Câu hỏi tiếng Việt, có dấu hoặc không dấu.", "Cơ quan nào chủ trì "
        "giảm nghèo?", min_length=1, max_length=MAX_QUERY_CHARS)]) -> dict[str, Any]:  # fmt: skip
    return eng.ask(q, viewer=viewer)


@router.get("/documents", response_model=DocumentPage, **AS_GIVEN, **about("Liệt kê văn bản trong kho",
    "Danh sách văn bản (mã, số hiệu, loại, ngày, cơ quan, trích yếu), lọc theo loại, cơ quan, năm; phân trang bằng "
    "offset/limit. Dùng để biết kho có gì hoặc lấy `doc_id` cho các lệnh khác.",
    {"documents": [SUMMARY], "total": 1, "offset": 0, "limit": 50}))  # fmt: skip
def list_documents(eng: Eng, viewer: Viewer, type: TypeQ = None, issuer: IssuerQ = None, year: YearQ = None,
                   offset: Annotated[int, param("Bỏ qua bao nhiêu văn bản.", 0, ge=0)] = 0,
                   limit: Annotated[int, param("Số văn bản một trang (1–500).", 50, ge=1, le=500)] = 50,
                   ) -> dict[str, Any]:  # fmt: skip
    return eng.document_page(type, issuer, year, offset, limit, viewer=viewer)


# Registered before /documents/{ref:path}, which would swallow it: numbers hold slashes (1212/KH-UBND).
@router.get("/documents/{ref:path}/units/{unit:path}", response_model=UnitText, **AS_GIVEN, **about(
    "Nguyên văn một đơn vị (Điều, Khoản, mục)",
    "Nguyên văn một đơn vị theo đường dẫn trong dàn ý (`outline[].path` của /documents/{ref}, ví dụ `III.2`) kèm "
    "trích dẫn chính thức. Dùng sau /search hoặc /documents/{ref} để đọc trọn một mục.",
    {"doc_id": "ke-hoach-1212", "path": "III.2", "heading": "2. Triển khai …", "text": "…", "citation": CITE}))  # fmt: skip
def get_unit(eng: Eng, viewer: Viewer, ref: RefP, unit: Annotated[str, param("Đường dẫn đơn vị.", "III.2", PathParam)]
             ) -> dict[str, Any]:  # fmt: skip
    return eng.unit(ref, unit, viewer=viewer)


DOCUMENT = {"doc_id": "ke-hoach-1212", "number": "1212/KH-UBND", "type": "Kế hoạch", "date": "2021-11-29",
            "issuer": "UBND tỉnh Khánh Hòa", "issuer_full": "Ủy ban nhân dân tỉnh Khánh Hòa", "place": "Khánh Hòa",
            "title": "…", "signer": None, "signer_title": None, "recipients": ["Các sở, ban, ngành thuộc tỉnh"],
            "kind": "admin", "source_path": "corpus/ke-hoach-1212.md", "metadata": {}, "warnings": [], "units": 139,
            "chunks": 120, "outline": [{"path": "III.2", "kind": "section", "label": "2", "section": "III.2",
                                        "heading": "2. Triển khai …", "level": 1, "start": 7575, "end": 25074,
                                        "page_start": None}],
            "cites": [{"number": "161/QĐ-TTg", "type": "Quyết định", "label": "Quyết định số 161/QĐ-TTg",
                       "in_corpus": False, "doc_id": None}], "cited_by": []}  # fmt: skip


@router.get("/documents/{ref:path}", response_model=DocumentInfo, **AS_GIVEN, **about(
    "Thông tin, dàn ý và viện dẫn của một văn bản",
    "Thông tin văn bản (số hiệu, ngày, cơ quan, người ký), dàn ý, các văn bản nó viện dẫn (`cites`) và các văn bản "
    "trong kho viện dẫn nó (`cited_by`). `ref` là mã, số hiệu (1212/KH-UBND) hoặc đường dẫn nguồn.",
    DOCUMENT))  # fmt: skip
def get_document(eng: Eng, viewer: Viewer, ref: RefP) -> dict[str, Any]:
    return eng.document_info(ref, viewer=viewer)


@router.get("/tasks", response_model=TaskList, **AS_GIVEN, **about("Nhiệm vụ được giao cho các cơ quan",
    "Nhiệm vụ trích từ văn bản: cơ quan chủ trì, phối hợp, thời hạn, nội dung, trích dẫn. Lọc theo cơ quan (tên đầy "
    "đủ hoặc viết tắt, có hoặc không dấu: 'Sở LĐTBXH', 'So LDTBXH') và/hoặc văn bản. Dùng cho 'cơ quan X phải làm gì?'.",
    {"tasks": [{"doc_id": "ke-hoach-1212", "section": "III.2 › …", "lead": LEAD, "cooperating": ["Sở Tài chính"],
                "task": "…", "deadline": None, "citation": CITE, "leads": [LEAD]}]}))  # fmt: skip
def list_tasks(eng: Eng, viewer: Viewer, agency: Annotated[str | None, param("Cơ quan chủ trì.", "So LDTBXH")] = None,
               doc: DocQ = None,
               due_before: Annotated[str | None, param("Chỉ nhiệm vụ có hạn trước ngày này.", "2026-12-31")] = None,
               overdue: Annotated[bool, param("Chỉ nhiệm vụ đã quá hạn vào ngày `at`.", False)] = False,
               at: Annotated[str | None, param("Ngày xét hạn (mặc định hôm nay).", "2026-06-30")] = None,
               ) -> dict[str, Any]:  # fmt: skip
    return eng.tasks(agency, doc, due_before, overdue, at, viewer=viewer)


@router.get("/tasks/{task_id}/progress", response_model=TaskProgress, **AS_GIVEN, **about(
    "Lịch sử tiến độ của một nhiệm vụ", "Nhiệm vụ (như GET /tasks) và mọi bản ghi tiến độ của nó, cũ trước.",
    {"task": {**TASK, "progress": PROGRESS}, "history": [PROGRESS]}))  # fmt: skip
def task_progress(eng: Eng, viewer: Viewer, task_id: TaskIdP) -> dict[str, Any]:
    return eng.task_progress(task_id, viewer=viewer)


@router.get("/dashboard", response_model=Dashboard, **AS_GIVEN, **about(
    "Theo dõi nhiệm vụ theo cơ quan",
    "Mỗi cơ quan chủ trì (nhiệm vụ của kế hoạch, quyết định, văn bản giao việc; không tính nghĩa vụ trong luật): "
    "số nhiệm vụ, quá hạn, sắp đến hạn (30 ngày), hoàn thành, không có hạn, kèm danh sách việc quá hạn và sắp đến hạn "
    "có trích dẫn. Quá hạn nhiều nhất trước. `at`: ngày xét (mặc định hôm nay).",
    {"at": "2026-06-30", "soon_days": 30, "agencies": [{"agency": LEAD, "tasks": 20, "overdue": 1, "due_soon": 2,
     "done": 5, "no_due": 12, "overdue_tasks": [], "due_soon_tasks": []}]}))  # fmt: skip
def dashboard(eng: Eng, viewer: Viewer, at: Annotated[str | None, param("Ngày xét (mặc định hôm nay).", "2026-06-30")] = None,
              agency: Annotated[str | None, param("Chỉ một cơ quan.", "So Y te", max_length=200)] = None,
              ) -> dict[str, Any]:  # fmt: skip
    return eng.dashboard(at, agency, viewer=viewer)


@router.get("/calendar/{agency}.ics", response_model=None, response_class=Response,
            summary="Lịch hạn nhiệm vụ của một cơ quan (iCalendar)",
            description="Hạn các nhiệm vụ một cơ quan chủ trì, phối hợp hoặc chủ trì trong nhóm, dạng tệp .ics (RFC 5545) "
            "mở được bằng Outlook, Thunderbird, Google Calendar: mỗi nhiệm vụ có hạn là một sự kiện cả ngày, việc định "
            "kỳ có quy tắc lặp (hằng năm trước ngày 15/12, cuối mỗi quý…). Cơ quan: tên đầy đủ hoặc viết tắt, có hoặc "
            "không dấu.",
            responses={200: {"content": {"text/calendar": {"schema": {"type": "string"}, "example": "BEGIN:VCALENDAR…"}}}})  # fmt: skip
def agency_calendar(eng: Eng, viewer: Viewer, agency: Annotated[str, PathParam(description="Cơ quan chủ trì.",
                    examples=["So LDTBXH"], max_length=200)]) -> Response:  # fmt: skip
    return Response(eng.calendar(agency, viewer=viewer), media_type="text/calendar; charset=utf-8",
                    headers=attachment(f"han-nhiem-vu-{slugify(agency)}.ics"))  # fmt: skip


@router.get("/references", response_model=ReferenceList, **AS_GIVEN, **about(
    "Văn bản được viện dẫn và nơi viện dẫn",
    "Mỗi văn bản được viện dẫn một lần (mọi cách viết số hiệu), nơi viện dẫn, có trong kho hay chưa, lỗi viện dẫn "
    "phát hiện được. Dùng cho 'văn bản nào viện dẫn Quyết định 161?' hoặc kiểm tra căn cứ pháp lý.",
    {"number": "161/QĐ-TTg", "references": [{"number": "161/QĐ-TTg", "type": "Quyết định", "title": "phê duyệt …",
     "label": "Quyết định số 161/QĐ-TTg", "date": "2016-01-25", "issuer": "Thủ tướng Chính phủ", "in_corpus": False,
     "doc_id": None, "citation": None, "problems": [], "cited_in": [{"doc_id": "ke-hoach-1212",
     "doc_number": "1212/KH-UBND", "section": "", "text": "Quyết định số 161/QĐ-TTg ngày 25/01/2016 …",
     "unit_path": "p1", "problems": [], "citation": "Kế hoạch số 1212/KH-UBND …"}], "cites": []}]}))  # fmt: skip
def list_references(eng: Eng, viewer: Viewer, number: Annotated[str | None, param(
        "Số hiệu, viết cách nào cũng được (161/QD-TTg).", "161/QĐ-TTg")] = None) -> dict[str, Any]:  # fmt: skip
    return eng.references(number, viewer=viewer)


@router.get("/validity/{number:path}", response_model=ValidityResult, **AS_GIVEN, **about(
    "Tình trạng hiệu lực của một văn bản",
    "Văn bản (số hiệu viết cách nào cũng được, hoặc tên như 'Luật Cư trú') còn hiệu lực, hết hiệu lực một phần, hết "
    "hiệu lực toàn bộ, chưa có hiệu lực hay chưa rõ vào ngày `at` (mặc định hôm nay), kèm điều khoản làm căn cứ "
    "(`evidence`, `effective_evidence`), văn bản thay thế và các quan hệ cả hai chiều (`relations`). Không bao giờ "
    "nói 'còn hiệu lực' khi không có ngày có hiệu lực được nêu.",
    {"query": "136/2013/ND-CP", "number": "136/2013/NĐ-CP", "at": "2026-12-03", "validity": "expired",
     "label": "Hết hiệu lực toàn bộ", "effective_from": None, "expired_from": "2021-07-01", "replaced_by": None,
     "expired_by": "20/2021/NĐ-CP", "effective_evidence": None, "evidence": [], "repealed_parts": [],
     "amended_by": [], "conflicts": [], "reason": "…", "in_corpus": False, "in_catalog": False, "doc_id": None,
     "relations": [{"type": "expired_by", "other": "20/2021/NĐ-CP", "scope": "whole", "from": "2021-07-01",
                    "citation": "Khoản 2 Điều 38 Nghị định số 20/2021/NĐ-CP …", "direction": "in"}]}))  # fmt: skip
def get_validity(eng: Eng, viewer: Viewer, number: Annotated[str, param("Số hiệu hoặc tên văn bản.", "136/2013/ND-CP", PathParam,
                                                       max_length=300)],
                 at: Annotated[str | None, param("Ngày xét (2021-07-01 hoặc 01/07/2021).", "2021-07-01")] = None,
                 ) -> dict[str, Any]:  # fmt: skip
    return eng.validity(number, at, viewer=viewer)


@router.get("/agencies", response_model=AgencyList, **AS_GIVEN, **about("Các cơ quan chủ trì nhiệm vụ",
    "Cơ quan (tên chuẩn) chủ trì nhiệm vụ trong kho, các cách viết gặp trong văn bản và số nhiệm vụ. Dùng để biết "
    "tên cơ quan trước khi gọi /tasks.",
    {"agencies": [{"name": LEAD, "key": "…", "variants": ["Sở LĐTBXH"], "tasks": 12}]}))  # fmt: skip
def list_agencies(eng: Eng, viewer: Viewer) -> dict[str, Any]:
    return eng.agencies(viewer=viewer)


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
    REPORT, files=tuple(REPORT_MEDIA_TYPES.values()), model=Report))  # fmt: skip
def report(eng: Eng, viewer: Viewer, agency: Annotated[str, param("Cơ quan: tên đầy đủ hoặc viết tắt, có hoặc không dấu.",
           "So LDTBXH")], doc: DocQ = None, format: Annotated[Literal["json", "md", "csv", "xlsx", "docx"], param(
           "json (mặc định) hoặc tệp tải về: md, csv, xlsx, docx.", "xlsx")] = "json") -> Response:  # fmt: skip
    data = eng.report(agency, doc, viewer=viewer)  # NotFound, InvalidArgument: mapped by `problem_of`
    if format == "json":
        return JSONResponse(data)
    return Response(render_report(data, format), media_type=REPORT_MEDIA_TYPES[format],
                    headers=attachment(report_filename(data, format)))  # fmt: skip


@router.get("/healthz", response_model=Health, **AS_GIVEN, **about("Tình trạng máy chủ",
    "Kho, chỉ mục và mô hình đã sẵn sàng chưa, và vector của các đoạn đã tính được bao nhiêu (`dense`).",
    {"status": "ok", "index_loaded": True, "counts": {"documents": 2, "units": 200, "chunks": 240},
     "model": "multilingual-e5-small@…", "rows": 240, "writes_enabled": True,
     "dense": {"ready": True, "embedded": 240, "total": 240, "percent": 100.0, "running": False, "error": None}}))  # fmt: skip
def healthz(eng: Eng, viewer: Viewer) -> dict[str, Any]:
    return eng.health(viewer=viewer)
