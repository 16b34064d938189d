"""HTTP API: the CLI's `--json` contracts as FastAPI routes, for people and chat tools (OpenAPI at /docs).

Reads are open (POST /check, which only reads a draft sent to it, too). Each runs in FastAPI's threadpool with
its own SQLite connection (connections are not shared across threads) inside one read transaction, over the
index snapshot it grabbed. Writes need the bearer token TRACUU_API_TOKEN, run one at a time, sync a private
copy of the index, save it atomically and swap the app's reference in one assignment: a search never sees a
half-built index.

Routes live in `read`, `check` and `write`; `common` holds what they share."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from tracuu.core.app import Tracuu
from tracuu.core.errors import TracuuError
from tracuu.core.settings import Settings

from ..docs import install_docs
from ..guard import Guard
from ..problems import (
    Problem,
    problem_of,
    problem_response,
)
from . import admin, check, read, write
from .common import (
    _INVALID,
    FORM_FIELDS,
    FORM_FILES,
)

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


WEB = Path(__file__).resolve().parent.parent / "web"


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
        engine.serve_in_background()  # vectors the index still lacks: computed while it serves
        engine.start_notifying()  # agencies' webhooks told of newly overdue tasks (TRACUU_NOTIFY_EVERY_S)
        yield
        engine.close()  # the writer process, if a write started one

    app = FastAPI(title="tracuu", version="0.1.0", summary="Tra cứu văn bản hành chính Việt Nam",
                  description=DESCRIPTION, lifespan=lifespan, docs_url=None, redoc_url=None)  # fmt: skip
    app.state.engine = engine
    install_handlers(app)
    for routes in (read.router, check.router, write.router, admin.router):
        app.include_router(routes)
    document_problems(app)
    install_web(app)
    install_docs(app)  # /docs (Swagger UI) with its assets from an installed package, not a CDN

    app.add_middleware(Guard, engine=engine)
    return app


if __name__ == "__main__":
    from ..server import serve

    serve()
