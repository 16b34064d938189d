"""Typed results: the JSON the core gives the doors (CLI `--json`, HTTP, MCP), as pydantic models.

The core keeps building plain dicts; these models describe them, so that the HTTP door declares them as
`response_model` and /openapi.json carries real schemas. Each model allows extra fields (`extra="allow"`):
a field the core adds is kept, never filtered out of an answer, and a contract only grows. A field the core
may leave out is optional (`X | None = None`) and `to_dict()` gives back only the fields that were given
(`exclude_unset`): the model of a core dict dumps to that same dict, with no null added for an absent key.
Fields are declared in the order the core writes them."""

from .answers import Amount, Answer, AnswerReference, AskResult, Conflict, Evidence, Hit, Scope, SearchResult
from .base import Result
from .documents import (
    CitedDocument,
    CitingDocument,
    DocumentInfo,
    DocumentList,
    DocumentPage,
    DocumentSummary,
    IndexStats,
    OutlineEntry,
    UnitText,
    UploadResult,
)
from .health import DenseStatus, Health, StoreCounts
from .knowledge import (
    Agency,
    AgencyList,
    AuditEntry,
    AuditLog,
    BoardAgency,
    BoardTask,
    CheckProblem,
    CheckResult,
    CheckSummary,
    CitingPlace,
    Dashboard,
    Deadline,
    DraftReference,
    Finding,
    FindingUnit,
    KnownDocument,
    ProgressEntry,
    ProgressRecorded,
    ReferenceEntry,
    ReferenceList,
    Report,
    ReportCounts,
    ReportGroup,
    ReportSection,
    ReportTask,
    TaskItem,
    TaskList,
    TaskProgress,
)
from .validity import RelationEntry, ValidityResult

RESULTS: tuple[type[Result], ...] = (
    SearchResult, AskResult, DocumentPage, DocumentList, DocumentInfo, UnitText, UploadResult, TaskList,
    ReferenceList, AgencyList, CheckResult, Report, Health, ValidityResult, TaskProgress, ProgressRecorded,
    AuditLog, Dashboard,
)  # fmt: skip
"""The top-level results (the others are their parts)."""

__all__ = [
    "RESULTS",
    "Result",
    "Hit",
    "SearchResult",
    "AnswerReference",
    "Conflict",
    "Amount",
    "Answer",
    "Evidence",
    "Scope",
    "AskResult",
    "DocumentSummary",
    "DocumentPage",
    "DocumentList",
    "IndexStats",
    "UploadResult",
    "OutlineEntry",
    "CitedDocument",
    "CitingDocument",
    "DocumentInfo",
    "UnitText",
    "TaskItem",
    "TaskList",
    "Deadline",
    "AuditEntry",
    "AuditLog",
    "Dashboard",
    "BoardAgency",
    "BoardTask",
    "ProgressEntry",
    "TaskProgress",
    "ProgressRecorded",
    "Agency",
    "AgencyList",
    "CitingPlace",
    "ReferenceEntry",
    "ReferenceList",
    "DraftReference",
    "CheckProblem",
    "FindingUnit",
    "KnownDocument",
    "Finding",
    "CheckSummary",
    "CheckResult",
    "ReportTask",
    "ReportSection",
    "ReportGroup",
    "ReportCounts",
    "Report",
    "StoreCounts",
    "DenseStatus",
    "Health",
    "RelationEntry",
    "ValidityResult",
]
