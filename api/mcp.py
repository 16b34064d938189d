"""MCP server over stdio: the knowledge base as four tools a chat assistant can call (`tracuu mcp`).

Each tool answers with the JSON the HTTP API returns for the same question (`structuredContent`) and a
short Vietnamese text that always carries the formal citations (`content`). Nothing is generated: the
text quotes the documents. A refused call (bad argument, unknown document, no index, no model) is a tool
error (`isError`) with a Vietnamese message, never a traceback.

The SQLite store is opened per call, in the worker thread that runs it; the embedding model is loaded
once, on the first search; the index is reloaded when `tracuu index` has written a new generation.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field, ValidationError

from tracuu.core.app import Tracuu
from tracuu.core.errors import InvalidArgument, NotFound, TracuuError
from tracuu.core.settings import Settings
from tracuu.index.backend import Filters
from tracuu.index.citation import cite, vn_date
from tracuu.index.search import MAX_QUERY_CHARS
from tracuu.index.store import Store
from tracuu.knowledge.answer import LEAD as LEAD_KIND
from tracuu.knowledge.answer import MIN_COVERAGE
from tracuu.knowledge.answer import REFERENCE as REFERENCE_KIND
from tracuu.ops.tokens import Access

log = logging.getLogger("tracuu.mcp")

MAX_K = 50
SNIPPET = 600  # characters of each passage in the text answer (the JSON has them whole)
MAX_UNIT_TEXT = 40_000  # characters of a unit in the text answer (a whole section of a plan fits)
READ_ONLY = ToolAnnotations(
    read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False
)

INSTRUCTIONS = """Tra cứu văn bản hành chính và pháp luật Việt Nam (kế hoạch, nghị định, luật…)
trong kho đã nhập. Trả lời luôn kèm trích dẫn chính thức (Điều/Khoản/Mục, số hiệu, ngày, cơ quan
ban hành); không sinh nội dung.
Chọn công cụ: who_leads cho "cơ quan nào chủ trì / chịu trách nhiệm …?"; search_documents để tìm đoạn văn và
trích nguyên văn; lookup_reference cho một số hiệu văn bản (ai viện dẫn nó, có trong kho không); get_unit để
đọc trọn một mục hoặc Điều khi đã biết văn bản và đường dẫn (ví dụ III.2). Câu hỏi có thể viết không dấu."""


# This door's one table: each core error code → the MCP tool error's code (those not here keep their own).
MCP_CODES = {"index-broken": "index-busy"}  # a generation replaced while it was read: the call may be retried


def error_result(code: str, message: str) -> CallToolResult:
    data = {"error": code, "message": message}
    return CallToolResult(content=[TextContent(text=message)], structured_content=data, is_error=True)


def answer(text: str, data: dict[str, Any]) -> CallToolResult:
    return CallToolResult(content=[TextContent(text=text)], structured_content=data)


def refusals(fn: Callable[..., CallToolResult]) -> Callable[..., CallToolResult]:
    """A tool body's core error (`tracuu.core.errors`) becomes a tool error; anything unexpected too, logged with its traceback to
    stderr, never sent to the client."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> CallToolResult:
        try:
            return fn(*args, **kwargs)
        except TracuuError as exc:
            return error_result(MCP_CODES.get(exc.code, exc.code), exc.detail)
        except Exception as exc:
            log.exception("tool %s failed", fn.__name__)
            return error_result(
                "internal", f"Lỗi nội bộ khi xử lý yêu cầu ({type(exc).__name__}); xem nhật ký máy chủ."
            )

    return wrapper


def vi_error(e: dict[str, Any]) -> str:
    """One pydantic validation error of a tool's arguments, in Vietnamese, naming the argument."""
    name = ".".join(str(p) for p in e.get("loc", ())) or "tham số"
    ctx, got = e.get("ctx") or {}, e.get("input")
    messages = {
        "missing": f"thiếu tham số bắt buộc '{name}'",
        "greater_than_equal": f"'{name}' phải lớn hơn hoặc bằng {ctx.get('ge')} (nhận {got!r})",
        "less_than_equal": f"'{name}' phải nhỏ hơn hoặc bằng {ctx.get('le')} (nhận {got!r})",
        "string_too_short": f"'{name}' không được để trống",
        "string_too_long": f"'{name}' dài quá {ctx.get('max_length')} ký tự",
        "int_parsing": f"'{name}' phải là số nguyên (nhận {got!r})",
        "int_from_float": f"'{name}' phải là số nguyên (nhận {got!r})",
        "int_type": f"'{name}' phải là số nguyên (nhận {got!r})",
        "string_type": f"'{name}' phải là chuỗi ký tự (nhận {got!r})",
    }
    return messages.get(e.get("type", ""), f"'{name}' không hợp lệ ({e.get('msg')})")


class TracuuServer(MCPServer):
    """MCPServer whose argument errors and unknown tool names are answered in Vietnamese."""

    engine: Tracuu  # the application core its tools call

    async def call_tool(self, name: str, arguments: dict[str, Any], context: Any = None) -> Any:
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            if isinstance(exc.__cause__, ValidationError):
                detail = "; ".join(vi_error(e) for e in exc.__cause__.errors())
                return error_result("invalid-argument", f"Tham số không hợp lệ: {detail}.")
            if str(exc).startswith("Unknown tool"):
                known = ", ".join(t.name for t in await self.list_tools())
                return error_result("unknown-tool", f"Không có công cụ '{name}'; các công cụ: {known}.")
            raise


def _text(value: str, name: str) -> str:
    value = value.strip()
    if not value or not any(c.isalnum() for c in value):
        raise InvalidArgument(f"Tham số không hợp lệ: '{name}' trống, cần có chữ hoặc số.")
    return value


def _one_line(text: str, limit: int = SNIPPET) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _doc_summary(doc: dict[str, Any]) -> dict[str, Any]:
    keys = ("doc_id", "number", "type", "date", "issuer", "title")
    return {**{k: doc.get(k) for k in keys}, "citation": cite(doc)}


# ---------------------------------------------------------------- tool descriptions

SEARCH_DOC = """Search the Vietnamese government documents in the knowledge base for passages (Điều, Khoản, \
sections of plans) relevant to a query, each with its formal citation ("Khoản 2 Điều 5 Nghị định số \
20/2021/NĐ-CP ngày 15/3/2021 của Chính phủ", "Mục III.2, Kế hoạch số 1212/KH-UBND …").
Use it to find where a matter is regulated or to quote the exact wording; the query may be written \
with or without Vietnamese diacritics. For "which agency leads / is responsible for …?" use who_leads \
instead; to read a whole section you already know, use get_unit.
Example: {"query": "trợ giúp xã hội hằng tháng cho người khuyết tật", "k": 5, "type": "Nghị định"}; add {"in_force": "today"} for documents in force only. Each result carries its document's `validity`.
Returns the JSON of GET /search ({query, restored_query, results[{citation, section, text, score, …}]}) \
and a Vietnamese text listing the passages with their citations."""

WHO_LEADS_DOC = """Answer "which agency leads (chủ trì) / is responsible for …?" questions from the tasks \
assigned in the documents: the lead agency, the cooperating agencies, related legal documents, and the \
evidence passages with their formal citations. It also answers "which document regulates …?" (văn bản \
nào quy định …?) with the cited documents. Nothing is guessed: when the documents do not clearly assign \
the matter, `answer.lead` is null and the text says there is no reliable evidence.
Example: {"question": "Cơ quan nào chủ trì thực hiện chính sách trợ giúp xã hội hàng tháng cho đối tượng \
bảo trợ xã hội?"} (diacritics optional).
A question naming a province, city or issuer ("Ở Quảng Ngãi, …", "… theo thông báo của Văn phòng Chính \
phủ") is answered from that place's or issuer's documents only, reported in `scope` {names, documents}.
Returns the JSON of GET /ask ({question, kind, answer{lead, cooperating, references, text}, evidence[…]}) \
and a Vietnamese text with the answer and its citations."""

LOOKUP_DOC = """Look up one document by its number (số hiệu), written any way (with or without "Đ", \
diacritics or spaces): whether the knowledge base holds it (with its formal citation), every place a \
document in the base cites it (with the citing unit's formal citation), what it cites in turn, and \
problems flagged in those citations (wrong date, wrong issuer, repealed…).
Use it for "which documents cite Quyết định 161?", "is Nghị định 20/2021 in the base?", or to check the \
legal basis a plan relies on.
Example: {"number": "161/QĐ-TTg"} or {"number": "20/2021/ND-CP"}.
Returns the JSON of GET /references ({number, references[{label, in_corpus, citation, cited_in[…], \
problems, cites}]}) plus `document` (the document itself when the base holds it, else null)."""

VALIDITY_DOC = """Say whether a document is in force (tình trạng hiệu lực) on a date — in_force, partly_expired, expired, not_yet_in_force or unknown — with the clauses that prove it: where its entry into force is stated, which document replaced it or declared it no longer in force and from when, which articles were repealed, conflicts between documents. Never says in_force without a stated effective date. Works for any document the base, the Bộ Pháp điển catalog or a clause of another document knows, by number (any spelling) or by name ("Luật Cư trú"). Use it before relying on a document a draft or an answer cites.
Example: {"number": "136/2013/NĐ-CP"} or {"number": "20/2021/ND-CP", "at": "2021-06-30"}.
Returns the JSON of GET /validity/{number} ({validity, label, effective_from, expired_from, replaced_by, evidence[{citation, quote}], relations[{type, other, scope, from, citation}], …}) and a Vietnamese text."""

UNIT_DOC = """Read one unit of a document in full: a section of a plan (e.g. "III.2"), or an Điều / Khoản \
of a legal document, with its formal citation. Use it after search_documents or who_leads to read the \
whole section a passage comes from. `doc` is the document's id or number (e.g. "1212/KH-UBND"); `path` \
is the unit's path in the document's outline, as found in a passage's `section` (e.g. "III.2", "I.1").
Example: {"doc": "1212/KH-UBND", "path": "III.2"}.
Returns the JSON of GET /documents/{doc}/units/{path} ({doc_id, path, heading, text, citation, …}) and \
the citation followed by the unit's text."""

TASKS_DOC = """List the tasks the documents assign (who leads, who cooperates, the task's words, its deadline as \
written and as data, its formal citation, its task_id and latest progress), filtered by agency (any written form, \
with or without diacritics), document, due before a day, or late on a day. Use it for "what must Sở Y tế do?", \
"which tasks are overdue?", "what falls due before 31/12/2025?". Late means: a fixed deadline passed and the task \
is not recorded done, or recurring work (hằng năm, hằng quý…) whose last period that fell due is not done.
Example: {"agency": "So Y te"}, {"overdue": true, "at": "2026-01-15"}, {"due_before": "2025-12-31", "doc": "1212/KH-UBND"}.
Returns the JSON of GET /tasks ({tasks[{task_id, lead, cooperating, task, deadline, deadline_parsed{kind, due, \
every, …}, progress, citation, …}]}) and a Vietnamese list."""

PROGRESS_DOC = """Read one task's progress history (each record: state not_started / in_progress / done, the \
period for recurring work, a note, who and when), oldest first, with the task itself. `task_id` comes from \
list_tasks. Read only: progress is written through the HTTP API or the CLI.
Example: {"task_id": "ke-hoach-1212-kh-ubnd-khanh-hoa-asean-2021-2025~f993a59dcb"}.
Returns the JSON of GET /tasks/{task_id}/progress ({task, history[…]}) and a Vietnamese text."""

Query = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_QUERY_CHARS,
        description="Vietnamese query, with or without diacritics (1–1000 characters).",
        examples=["co quan nao chu tri giam ngheo"],
    ),
]
K = Annotated[int, Field(ge=1, le=MAX_K, description="Number of passages to return (1–50).")]
DocType = Annotated[
    str | None,
    Field(
        description="Only documents of this type: Kế hoạch, Nghị định, Luật, Quyết định… (any accents).",
        examples=["Nghị định"],
    ),
]
Issuer = Annotated[
    str | None,
    Field(description="Only documents whose issuer contains this (any accents).", examples=["Khánh Hòa"]),
]
Year = Annotated[int | None, Field(ge=1945, le=2100, description="Only documents issued this year.")]
Question = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_QUERY_CHARS,
        description="The question in Vietnamese, with or without diacritics.",
        examples=["Cơ quan nào chủ trì giảm nghèo?"],
    ),
]
Number = Annotated[
    str,
    Field(
        min_length=1, max_length=100, description="Document number, any spelling.", examples=["161/QĐ-TTg"]
    ),
]
InForce = Annotated[
    str | None,
    Field(
        max_length=20,
        description="Only documents in force (wholly or partly) on this date (2021-07-01); "
        "'today' for today.",
        examples=["today"],
    ),  # fmt: skip
]
At = Annotated[
    str | None,
    Field(
        max_length=20,
        description="Date to judge on (2021-07-01 or 01/07/2021); today when absent.",
        examples=["2021-07-01"],
    ),  # fmt: skip
]
DocRef = Annotated[
    str, Field(min_length=1, max_length=300, description="Document id or number.", examples=["1212/KH-UBND"])
]
UnitPath = Annotated[
    str,
    Field(
        min_length=1, max_length=100, description="Unit path in the document's outline.", examples=["III.2"]
    ),
]


Agency = Annotated[
    str | None,
    Field(max_length=200, description="Agency, any written form (So Y te, Sở LĐTBXH).", examples=["So Y te"]),
]
DueBefore = Annotated[
    str | None,
    Field(max_length=20, description="Only tasks due before this day (2025-12-31).", examples=["2025-12-31"]),
]
TaskId = Annotated[
    str, Field(min_length=3, max_length=300, description="A task's task_id (from list_tasks).")
]


def create_server(settings: Settings | None = None) -> TracuuServer:
    """A new MCP server over one data folder (TRACUU_HOME); nothing is loaded until a tool needs it."""
    engine = Tracuu(settings or Settings())
    search_lock = threading.Lock()  # one search at a time: bounded CPU, no shared-state races

    def viewer() -> Access | None:
        """Who the tools read as: the named token TRACUU_MCP_TOKEN names (checked at every call: a revoked
        one stops at once), or no one (public documents only): a chat assistant sees no internal document
        unless its operator gave it a token that may."""
        token = engine.settings.mcp_token
        if not token:
            return None
        access = engine.access(token)
        if access is None:
            raise InvalidArgument(
                "TRACUU_MCP_TOKEN sai, đã thu hồi hoặc đã hết hạn: tạo mã mới bằng `tracuu token create`."
            )
        return access

    @contextmanager
    def reading() -> Iterator[Store]:
        """A read snapshot; a call never creates a data folder (StoreMissing when there is none)."""
        engine.require_store()
        with engine.store(viewer=viewer()) as store:
            yield store

    server = TracuuServer(
        "tracuu", title="Tra cứu văn bản hành chính Việt Nam", version="0.1.0", instructions=INSTRUCTIONS
    )
    server.engine = engine

    @server.tool(description=SEARCH_DOC, title="Tìm đoạn văn bản", annotations=READ_ONLY)
    @refusals
    def search_documents(
        query: Query, k: K = 5, type: DocType = None, issuer: Issuer = None, year: Year = None,
        in_force: InForce = None,
    ) -> CallToolResult:  # fmt: skip
        _text(query, "query")
        engine.require_store()
        with search_lock:
            data = engine.search(query, k=k, doc_type=type, issuer=issuer, year=year, in_force=in_force,
                                 viewer=viewer())  # fmt: skip
        filters = Filters(
            type, issuer.strip() if issuer and issuer.strip() else None, year
        )  # as the text says it
        return answer(search_text(data, filters), data)

    @server.tool(description=WHO_LEADS_DOC, title="Cơ quan nào chủ trì?", annotations=READ_ONLY)
    @refusals
    def who_leads(question: Question) -> CallToolResult:
        text = _text(question, "question")
        engine.require_store()
        with search_lock:
            data = engine.ask(text, viewer=viewer())
        return answer(lead_text(data), data)

    @server.tool(description=LOOKUP_DOC, title="Tra số hiệu văn bản", annotations=READ_ONLY)
    @refusals
    def lookup_reference(number: Number) -> CallToolResult:
        wanted = _text(number, "number")
        engine.require_store()
        data = engine.references(wanted, viewer=viewer())
        with reading() as store:
            doc = store.find_number(wanted) or store.find(wanted)
            data["document"] = _doc_summary(doc) if doc else None
        return answer(reference_text(data, wanted), data)

    @server.tool(description=VALIDITY_DOC, title="Tình trạng hiệu lực", annotations=READ_ONLY)
    @refusals
    def check_validity(number: Number, at: At = None) -> CallToolResult:
        wanted = _text(number, "number")
        engine.require_store()
        data = engine.validity(wanted, at, viewer=viewer())
        return answer(validity_text(data), data)

    @server.tool(description=UNIT_DOC, title="Đọc một mục, Điều, Khoản", annotations=READ_ONLY)
    @refusals
    def get_unit(doc: DocRef, path: UnitPath) -> CallToolResult:
        ref, wanted = _text(doc, "doc"), _text(path, "path")
        with reading() as store:
            found = engine.document(store, ref)
            units = store.units(found["doc_id"])
        row = _unit(units, wanted)
        if row is None:
            top = min((u["level"] for u in units), default=0)
            paths = [u["path"] for u in units if u["level"] == top][:30]
            raise NotFound(
                f"{cite(found)} không có đơn vị '{wanted}'. Các mục cấp cao nhất: "
                f"{', '.join(paths) or '(không có)'}; đường dẫn con viết như III.2.",
            )
        data = {
            **row,
            "text": found["text"][row["start"] : row["end"]],
            "citation": cite(found, row["section"]),
        }
        body = data["text"].strip()
        if len(body) > MAX_UNIT_TEXT:
            rest = len(body) - MAX_UNIT_TEXT
            body = body[:MAX_UNIT_TEXT].rsplit(" ", 1)[0]
            body += f" … (còn khoảng {rest} ký tự: xem structuredContent hoặc đọc các đơn vị con)"
        return answer(f"{data['citation']}:\n\n{body}", data)

    @server.tool(description=TASKS_DOC, title="Nhiệm vụ, thời hạn, quá hạn", annotations=READ_ONLY)
    @refusals
    def list_tasks(agency: Agency = None, doc: DocRef | None = None, due_before: DueBefore = None,
                   overdue: bool = False, at: At = None) -> CallToolResult:  # fmt: skip
        engine.require_store()
        data = engine.tasks(agency, doc, due_before, overdue, at, viewer=viewer())
        return answer(tasks_text(data), data)

    @server.tool(description=PROGRESS_DOC, title="Tiến độ một nhiệm vụ", annotations=READ_ONLY)
    @refusals
    def task_progress(task_id: TaskId) -> CallToolResult:
        engine.require_store()
        data = engine.task_progress(_text(task_id, "task_id"), viewer=viewer())
        lines = [f"{data['task']['lead'] or '(chưa rõ)'} — {data['task']['citation']}"]
        lines += [f"- {e['at'][:10]}{' kỳ ' + e['period'] if e['period'] else ''}: {e['state_vi']}"
                  + (f" — {e['note']}" if e["note"] else "") for e in data["history"]] or ["Chưa có bản ghi tiến độ."]  # fmt: skip
        return answer("\n".join(lines), data)

    return server


def _unit(units: list[dict[str, Any]], path: str) -> dict[str, Any] | None:
    """A unit by its outline path; "iii.2" or "III.2." find "III.2" too."""
    exact = next((u for u in units if u["path"] == path), None)
    if exact is not None:
        return exact
    key = path.strip().rstrip(".").upper()
    return next((u for u in units if str(u["path"]).upper() == key), None)


# ---------------------------------------------------------------- human-readable answers


VALIDITY_WORDS = {"in_force": "còn hiệu lực", "partly_expired": "hết hiệu lực một phần", "expired": "hết hiệu lực",
                  "not_yet_in_force": "chưa có hiệu lực"}  # fmt: skip


def search_text(data: dict[str, Any], filters: Any) -> str:
    understood = f" (hiểu là “{data['restored_query']}”)" if data["restored_query"] else ""
    results = data["results"]
    if not results:
        named = zip(("loại", "cơ quan", "năm"), filters[:3], strict=True)
        where = [f"{name} = {value}" for name, value in named if value]
        scope = f" với bộ lọc {', '.join(where)}" if where else ""
        return f"Không tìm thấy đoạn văn bản nào phù hợp với “{data['query']}”{understood}{scope}."
    keyword = " (tìm theo từ khóa: vector của kho đang được tính)" if data.get("mode") == "lexical" else ""
    lines = [f"{len(results)} đoạn văn bản liên quan tới “{data['query']}”{understood}{keyword}:"]
    for i, h in enumerate(results, start=1):
        state = VALIDITY_WORDS.get(h.get("validity") or "")
        lines.append(f"\n{i}. {h['citation']}" + (f" ({state})" if state else ""))
        if h["section"]:
            lines.append(f"   [{h['section']}]")
        lines.append(f"   {_one_line(h['text'])}")
    return "\n".join(lines)


def lead_text(data: dict[str, Any]) -> str:
    a, evidence = data["answer"], data["evidence"]
    lines: list[str] = []
    if a["lead"]:
        lines.append(f"Cơ quan chủ trì: {a['lead']}")
        if a["cooperating"]:
            lines.append(f"Phối hợp: {'; '.join(a['cooperating'])}")
        lines.append(a["text"])
    else:
        if data["kind"] == LEAD_KIND and "căn cứ đủ tin cậy" not in a["text"]:
            lines.append(
                "Không có căn cứ đủ tin cậy trong kho để xác định cơ quan chủ trì; không đưa ra phỏng đoán."
            )
        elif data["kind"] != LEAD_KIND:
            about = "văn bản quy định" if data["kind"] == REFERENCE_KIND else "nội dung văn bản"
            lines.append(
                f"Câu hỏi về {about}, không hỏi cơ quan chủ trì: không có căn cứ đủ tin cậy để nêu "
                "cơ quan chủ trì nào."
            )
        if a["text"]:
            lines.append(_one_line(a["text"], 1500))
    if a["references"]:
        lines.append("\nVăn bản liên quan:")
        lines += [
            f"- {r['citation']}" + ("" if r["in_corpus"] else " (chưa có trong kho)") for r in a["references"]
        ]
    confident = any(e.get("coverage", 0) >= MIN_COVERAGE for e in evidence)
    if evidence:
        lines.append("\nCăn cứ:" if confident else "\nCác đoạn gần nhất tìm được (không đủ làm căn cứ):")
        for i, e in enumerate(evidence, start=1):
            lines.append(f"{i}. {e['citation']}")
            if confident:
                lines.append(f"   {_one_line(e['text'], 300)}")
    return "\n".join(lines)


def tasks_text(data: dict[str, Any], limit: int = 30) -> str:
    """The tasks as a Vietnamese list: lead, deadline (and due day), progress, the task's opening words."""
    tasks = data["tasks"]
    if not tasks:
        return "Không có nhiệm vụ nào phù hợp."
    lines = [f"{len(tasks)} nhiệm vụ:"]
    for t in tasks[:limit]:
        due = (t.get("deadline_parsed") or {}).get("due")
        head = f"- {t['lead'] or '(chưa rõ)'}: {_one_line(t['task'], 160)}"
        if t["deadline"]:
            head += f" — thời hạn: {t['deadline']}" + (f" (hạn {due})" if due else "")
        if t.get("progress"):
            head += f" — tiến độ: {t['progress']['state_vi']}"
        lines.append(head + f" [{t['citation']}; task_id {t['task_id']}]")
    if len(tasks) > limit:
        lines.append(f"… và {len(tasks) - limit} nhiệm vụ khác (xem structuredContent).")
    return "\n".join(lines)


def validity_text(data: dict[str, Any]) -> str:
    """The status, its reason, and the clauses that prove it, in Vietnamese."""
    lines = [f"{data['number']} — {data['label']} (ngày {vn_date(data['at'])}): {data['reason']}."]
    if data.get("effective_evidence") and data["effective_evidence"].get("citation"):
        lines.append(f"Ngày có hiệu lực nêu tại: {data['effective_evidence']['citation']}.")
    lines += [f"Căn cứ: {e['citation']}: “{e['quote'][:300]}”" for e in data["evidence"]]
    lines += [f"Mâu thuẫn: {c['citation']}" for c in data["conflicts"]]
    return "\n".join(lines)


def reference_text(data: dict[str, Any], number: str) -> str:
    doc, refs = data["document"], data["references"]
    lines: list[str] = []
    if doc:
        lines.append(f"Có trong kho: {doc['citation']} (mã {doc['doc_id']}).")
    if not refs:
        if doc:
            lines.append("Chưa văn bản nào trong kho viện dẫn văn bản này.")
        else:
            lines.append(
                f"Kho không có văn bản số {number}, và không văn bản nào trong kho viện dẫn số hiệu này."
            )
        return "\n".join(lines)
    for r in refs:
        if not r["in_corpus"]:
            where = "chưa có trong kho"
        else:
            where = (
                "có trong kho" if doc and doc["doc_id"] == r["doc_id"] else f"có trong kho: {r['citation']}"
            )
        lines.append(f"{r['label']} ({where}) được viện dẫn {len(r['cited_in'])} lần:")
        lines += [f"- {c['citation']}" for c in r["cited_in"][:10]]
        if len(r["cited_in"]) > 10:
            lines.append(f"- … và {len(r['cited_in']) - 10} nơi khác (xem structuredContent)")
        lines += [f"Lưu ý: {p}" for p in r["problems"]]
        if r["cites"]:
            lines.append(f"Văn bản này viện dẫn: {', '.join(c['label'] for c in r['cites'])}")
    return "\n".join(lines)


def run(settings: Settings | None = None) -> None:
    """Serve the tools over stdio until the client closes the connection (`tracuu mcp`)."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    server = create_server(settings)
    server.engine.serve_in_background()  # a long-running door: vectors the index lacks computed meanwhile
    try:
        server.run("stdio")
    finally:
        server.engine.close()


if __name__ == "__main__":
    run()
