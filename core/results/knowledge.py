"""What the knowledge layer gives: tasks, agencies, references, a draft's checked citations, the agency report."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from .base import Result
from .documents import CitedDocument
from .validity import RelationEntry, Stamped


class Deadline(Result):
    """A task's deadline as data (`ingest.deadlines.parse_deadline`), with the words it came from."""

    kind: Literal["date", "period", "recurrence", "relative", "continuous", "event"] = Field(
        description="date (một ngày), period (tháng/quý/năm/khoảng), recurrence (định kỳ), relative (tính từ "
        "ngày ký), continuous (thường xuyên), event (khi có yêu cầu, sau khi …)."
    )
    text: str = Field(description="Nguyên văn thời hạn.")
    start: str | None = Field(description="Ngày bắt đầu (ISO), nếu có.")
    due: str | None = Field(
        description="Hạn cuối (ISO): 'trước ngày 20/12' là 19/12; một kỳ hết vào ngày cuối."
    )
    every: Literal["year", "half_year", "quarter", "month", "week"] | None = Field(
        description="Chu kỳ lặp lại."
    )
    on: dict[str, int] | list[dict[str, int]] | None = Field(
        description="Ngày hạn trong mỗi kỳ: {month, day} hoặc {day, month_of_quarter}."
    )
    after: dict[str, Any] | None = Field(description="Thời hạn tương đối: {amount, unit, from}.")
    ongoing: bool = Field(description="Việc tiếp tục sau hạn (các năm tiếp theo, trở đi, thường xuyên).")
    milestones: list[str] = Field(description="Các mốc hạn khi văn bản ghi nhiều mốc.")


class ProgressEntry(Result):
    """One progress record of a task (append-only history; the latest per period stands)."""

    id: str = Field(description="Mã bản ghi.")
    task_id: str = Field(description="Mã nhiệm vụ.")
    period: str | None = Field(
        description="Kỳ báo cáo (2025, 2025-Q3, 2025-H1, 2025-07); không có với việc một lần."
    )
    state: Literal["not_started", "in_progress", "done"] = Field(description="Trạng thái.")
    state_vi: str = Field(description="chưa thực hiện, đang thực hiện, hoàn thành.")
    note: str = Field(description="Ghi chú, kết quả thực hiện.")
    author: str = Field(description="Người/cơ quan ghi.")
    at: str = Field(description="Thời điểm ghi (UTC, ISO 8601).")
    evidence: dict[str, Any] | None = Field(
        default=None, description="Tệp minh chứng: tên, SHA-256, kích thước."
    )


class TaskItem(Result):
    """One assignment (`knowledge.tasks.task_json`)."""

    doc_id: str = Field(description="Mã văn bản giao việc.")
    section: str = Field(description="Đề mục chứa nhiệm vụ.")
    lead: str | None = Field(description="Cơ quan chủ trì (tên chuẩn).")
    cooperating: list[str] = Field(description="Cơ quan phối hợp.")
    task: str = Field(description="Nguyên văn nhiệm vụ.")
    deadline: str | None = Field(description="Thời hạn như văn bản ghi.")
    citation: str = Field(description="Trích dẫn chính thức.")
    unit_path: str | None = Field(default=None, description="Đường dẫn đơn vị chứa nhiệm vụ.")
    kind: str | None = Field(
        default=None, description="assign (chủ trì), request (đề nghị), duty (trách nhiệm), table."
    )
    lead_written: str | None = Field(default=None, description="Cơ quan chủ trì như văn bản viết.")
    co_leads: list[str] | None = Field(default=None, description="Cơ quan đồng chủ trì khác.")
    report_to: list[str] | None = Field(default=None, description="Nơi nhận báo cáo kết quả.")
    lead_scope: str | None = Field(default=None, description="Tỉnh hoặc bộ, ngành của cơ quan chủ trì.")
    leads: list[str] = Field(description="Mọi cơ quan chủ trì, `lead` trước.")
    deadline_parsed: Deadline | None = Field(default=None, description="Thời hạn dạng dữ liệu.")
    task_id: str | None = Field(
        default=None, description="Mã nhiệm vụ (văn bản, đơn vị, nội dung): ổn định khi đọc lại văn bản."
    )
    progress: ProgressEntry | None = Field(default=None, description="Bản ghi tiến độ mới nhất.")


class TaskProgress(Result):
    """GET /tasks/{task_id}/progress, `tracuu progress TASK_ID --json`."""

    task: TaskItem
    history: list[ProgressEntry] = Field(description="Mọi bản ghi tiến độ, cũ trước.")


class ProgressRecorded(TaskProgress):
    """POST /tasks/{task_id}/progress, `tracuu progress TASK_ID --set STATE --json`."""

    recorded: ProgressEntry = Field(description="Bản ghi vừa thêm.")


class TaskList(Result):
    """`tracuu tasks --json`, GET /tasks."""

    tasks: list[TaskItem]


class Agency(Result):
    """A canonical agency that leads tasks."""

    name: str = Field(description="Tên chuẩn.")
    key: str = Field(description="Khóa so khớp của tên.")
    variants: list[str] = Field(description="Các cách viết gặp trong văn bản.")
    tasks: int = Field(description="Số nhiệm vụ chủ trì.")


class AgencyList(Result):
    """GET /agencies."""

    agencies: list[Agency]


class CitingPlace(Result):
    """Where a document is cited."""

    doc_id: str = Field(description="Mã văn bản viện dẫn.")
    doc_number: str | None = Field(description="Số hiệu văn bản viện dẫn.")
    section: str | None = Field(description="Đề mục nơi viện dẫn.")
    text: str = Field(description="Câu viện dẫn như văn bản viết.")
    unit_path: str | None = Field(description="Đường dẫn đơn vị nơi viện dẫn.")
    problems: list[str] = Field(description="Lỗi của lần viện dẫn này.")
    citation: str = Field(description="Trích dẫn chính thức nơi viện dẫn.")


class ReferenceEntry(Stamped):
    """A cited document, once whatever its written forms, with where it is cited."""

    number: str | None = Field(description="Số hiệu (null: luật viện dẫn theo tên).")
    type: str | None = Field(description="Loại văn bản.")
    title: str | None = Field(description="Trích yếu hoặc tên.")
    label: str = Field(description="Tên gọi ngắn.")
    date: str | None = Field(description="Ngày ban hành (ISO 8601).")
    issuer: str | None = Field(description="Cơ quan ban hành.")
    in_corpus: bool = Field(description="Có trong kho.")
    doc_id: str | None = Field(description="Mã trong kho (null: chưa có).")
    citation: str | None = Field(description="Trích dẫn chuẩn khi có trong kho.")
    problems: list[str] = Field(description="Lỗi viện dẫn phát hiện được.")
    cited_in: list[CitingPlace] = Field(description="Nơi viện dẫn.")
    cites: list[CitedDocument] = Field(description="Văn bản nó viện dẫn (khi có trong kho).")
    relations: list[RelationEntry] | None = Field(
        default=None, description="Quan hệ với văn bản khác, cả hai chiều, kèm điều khoản nêu."
    )


class ReferenceList(Result):
    """`tracuu refs --json`, GET /references."""

    number: str | None = Field(description="Số hiệu đã hỏi (null: mọi văn bản).")
    references: list[ReferenceEntry]


class DraftReference(Result):
    """What a citation of a draft parses to."""

    number: str | None = None
    type: str | None = None
    date: str | None = Field(default=None, description="ISO 8601.")
    issuer: str | None = None
    title: str | None = None


class CheckProblem(Result):
    """What does not add up in a citation."""

    code: str = Field(
        description="date_mismatch, year_mismatch, issuer_mismatch, type_mismatch, not_found, number_mismatch, "
        "date_differs_from_citations, undefined_short_name, unit_not_found, expired (kèm `replaced_by`), "
        "not_yet_in_force, unit_repealed; ba mã sau kèm `evidence` (điều khoản chứng minh)."
    )
    message: str = Field(description="Lời giải thích tiếng Việt.")
    unit: str | None = Field(default=None, description="unit_repealed: đơn vị đã bị bãi bỏ (Điều 17).")
    replaced_by: str | None = Field(default=None, description="expired: văn bản thay thế, nếu có.")
    expired_from: str | None = Field(
        default=None, description="expired, unit_repealed: ngày hết hiệu lực (ISO 8601)."
    )
    effective_from: str | None = Field(
        default=None, description="not_yet_in_force: ngày có hiệu lực (ISO 8601)."
    )
    evidence: dict[str, Any] | None = Field(
        default=None, description="Điều khoản chứng minh: citation, quote, …"
    )


class FindingUnit(Result):
    """A unit quoted before the citation ("Khoản 2 Điều 5 …") and whether the document has it."""

    label: str = Field(description="Đơn vị như dự thảo ghi.")
    status: Literal["found", "not_found", "unverifiable"]
    path: str | None = Field(default=None, description="Đường dẫn đơn vị tìm thấy.")
    text: str | None = Field(default=None, description="Nguyên văn (800 ký tự đầu).")
    citation: str | None = Field(default=None, description="Trích dẫn chính thức của đơn vị.")


class KnownDocument(Result):
    """What the corpus, the catalog or the corpus's own citations know of the cited number."""

    source: Literal["corpus", "catalog", "cited"]
    date: str | None = None
    issuer: str | None = None


class Finding(Result):
    """One citation of a draft, checked."""

    span: list[int] = Field(description="[đầu, cuối] trong dự thảo (ký tự).")
    text: str = Field(description="Trích dẫn như dự thảo viết.")
    reference: DraftReference
    in_corpus: bool = Field(description="Văn bản có trong kho.")
    in_catalog: bool = Field(description="Văn bản có trong danh mục văn bản.")
    citation: str = Field(description="Trích dẫn chuẩn nên dùng.")
    status: Literal["ok", "problem", "unverifiable"] = Field(
        description="ok, problem, hoặc unverifiable (không có trong kho và danh mục: không phải là sai)."
    )
    problems: list[CheckProblem]
    unit: FindingUnit | None = None
    known: KnownDocument | None = None


class CheckSummary(Result):
    total: int
    ok: int
    problem: int
    unverifiable: int


class CheckResult(Result):
    """`tracuu check --json`, POST /check."""

    findings: list[Finding]
    summary: CheckSummary | None = None
    checked_at: str | None = Field(
        default=None, description="Ngày xét hiệu lực (ISO 8601): ngày của dự thảo, hoặc hôm nay."
    )
    checked_at_source: Literal["draft", "today"] | None = Field(
        default=None, description="Ngày xét lấy từ đâu."
    )


class ReportTask(Result):
    role: str = Field(description="chủ trì, phối hợp hoặc thuộc nhóm chủ trì.")
    lead: str | None = Field(description="Cơ quan chủ trì.")
    cooperating: list[str] = Field(description="Cơ quan phối hợp.")
    task: str = Field(description="Nguyên văn nhiệm vụ.")
    deadline: str | None = Field(description="Thời hạn.")
    citation: str = Field(description="Trích dẫn chính thức.")
    unit_path: str | None = Field(description="Đường dẫn đơn vị.")
    result: str = Field(
        description="Kết quả thực hiện: từ bản ghi tiến độ mới nhất của mỗi kỳ; trống khi chưa có."
    )
    task_id: str | None = Field(default=None, description="Mã nhiệm vụ (ghi tiến độ).")


class ReportSection(Result):
    section: str = Field(description="Mục hoặc Điều.")
    heading: str = Field(description="Tên mục.")
    tasks: list[ReportTask]


class ReportGroup(Result):
    doc_id: str
    doc_citation: str = Field(description="Trích dẫn chính thức của văn bản.")
    doc_title: str | None = Field(description="Trích yếu.")
    doc_label: str = Field(description="Tên gọi ngắn (Kế hoạch số 1212/KH-UBND).")
    sections: list[ReportSection]


class ReportCounts(Result):
    lead: int = Field(description="Nhiệm vụ chủ trì.")
    cooperating: int = Field(description="Nhiệm vụ phối hợp.")
    member: int = Field(description="Nhiệm vụ giao cho nhóm có cơ quan này.")


class Report(Result):
    """`tracuu report --format json`, GET /report?format=json: one agency's tasks for its report."""

    agency: str = Field(description="Tên chuẩn của cơ quan.")
    agency_written: str = Field(description="Tên như đã gõ.")
    doc: str | None = Field(description="Mã văn bản, khi chỉ trong một văn bản.")
    groups: list[ReportGroup] = Field(description="Theo văn bản, rồi theo mục.")
    counts: ReportCounts


class AuditEntry(Result):
    """One line of the audit log."""

    id: str = Field(description="Mã dòng (theo thời gian).")
    at: str = Field(description="Thời điểm (UTC, ISO 8601).")
    actor: str = Field(description="Ai ghi: mã truy cập hoặc người dùng máy (cli:tên).")
    origin: str = Field(description="Từ đâu: địa chỉ IP hoặc tên máy.")
    action: str = Field(description="ingest, upload, delete, index, repair, restore, progress.")
    target: str = Field(description="Văn bản, nhiệm vụ hoặc tệp được ghi.")
    detail: dict[str, Any] = Field(description="Chi tiết.")


class AuditLog(Result):
    """GET /audit, `tracuu audit --json`."""

    entries: list[AuditEntry]


class BoardTask(Result):
    """A late or soon-due task on the dashboard."""

    task_id: str = Field(description="Mã nhiệm vụ.")
    task: str = Field(description="Nhiệm vụ (rút gọn).")
    deadline: str | None = Field(description="Thời hạn như văn bản ghi.")
    due: str | None = Field(description="Hạn (ISO): hạn đã qua với việc trễ, hạn tới với việc sắp đến hạn.")
    citation: str = Field(description="Trích dẫn chính thức.")
    doc_id: str = Field(description="Mã văn bản.")
    unit_path: str | None = Field(description="Đơn vị chứa nhiệm vụ (liên kết vào văn bản).")
    lead: str | None = Field(description="Cơ quan chủ trì.")


class BoardAgency(Result):
    """One lead agency's row."""

    agency: str = Field(description="Cơ quan chủ trì.")
    tasks: int = Field(description="Số nhiệm vụ.")
    overdue: int = Field(description="Quá hạn.")
    due_soon: int = Field(description="Đến hạn trong soon_days ngày.")
    done: int = Field(description="Hoàn thành (kỳ hiện tại hoặc việc một lần).")
    no_due: int = Field(description="Không có hạn (thường xuyên, khi có yêu cầu…).")
    overdue_tasks: list[BoardTask]
    due_soon_tasks: list[BoardTask]


class Dashboard(Result):
    """GET /dashboard: per lead agency, on a day."""

    at: str = Field(description="Ngày xét (ISO).")
    soon_days: int = Field(description="Số ngày tính là sắp đến hạn.")
    agencies: list[BoardAgency]
