"""RFC 9457 problems: every error the HTTP API gives, as `application/problem+json` with a Vietnamese
`detail`. Shared by the routes (`http`) and the ASGI guard in front of them (`guard`)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from tracuu.core.errors import TracuuError
from tracuu.ingest.readers import IngestError, human_size

RETRY_AFTER = 30  # seconds a client told "busy" waits: about one upload's parsing and embedding
# The one table of this door: each core error code → HTTP status. Codes not here are the server's fault (500).
HTTP_STATUS = {
    "not-found": 404, "invalid-argument": 422, "too-many-citations": 413, "busy": 503, "no-store": 503,
    "no-index": 503, "index-broken": 503, "index-mismatch": 503, "no-model": 503, "writer-died": 503,
    "schema-too-new": 503, "too-many-documents": 409, "vectors-pending": 503, "database-unavailable": 503,
    "forbidden": 403,
}  # fmt: skip
_PROBLEM_TYPES = {
    "invalid-argument": "invalid-parameter"
}  # types the API published before the core had codes


class Problem(Exception):
    """An RFC 9457 problem: `kind` names its type URI, `detail` says in Vietnamese what went wrong."""

    def __init__(self, status: int, kind: str, title: str, detail: str, headers: dict | None = None, **extra):
        super().__init__(detail)
        self.status, self.kind, self.title, self.detail = status, kind, title, detail
        self.headers, self.extra = headers, extra


def problem_response(request: Request, p: Problem) -> JSONResponse:
    body = {"type": f"/problems/{p.kind}", "title": p.title, "status": p.status, "detail": p.detail,
            "instance": request.url.path, **p.extra}  # fmt: skip
    return JSONResponse(body, status_code=p.status, media_type="application/problem+json", headers=p.headers)


def problem_of(exc: TracuuError) -> Problem:
    """A core error as this API's problem: status from `HTTP_STATUS`, the core's code as its type."""
    if isinstance(exc, IngestError):  # "file: reason", as the API has always written it
        return Problem(422, "bad-file", exc.title, exc.detail, code=exc.code)
    detail = exc.detail if exc.detail.endswith((".", "?", "!")) else f"{exc.detail}."
    extra = {"limit": exc.limit} if hasattr(exc, "limit") else {}
    headers = {"Retry-After": str(RETRY_AFTER)} if exc.code in {"busy", "vectors-pending"} else None
    kind = _PROBLEM_TYPES.get(exc.code, exc.code)
    return Problem(HTTP_STATUS.get(exc.code, 500), kind, exc.title, detail, headers=headers, **extra)


def too_large(name: str, limit: int) -> Problem:
    return Problem(413, "too-large", "tệp quá lớn", f"{name}: vượt giới hạn {human_size(limit)} (TRACUU_MAX_FILE_MB).")  # fmt: skip


MAX_DRAFT_BYTES = 2 * 1024 * 1024  # a draft's text for /check, pasted or sent as a file: 2 MB of UTF-8
JSON_BODY = 3 * MAX_DRAFT_BYTES + 65536  # the same text in JSON, with room for \uXXXX escapes


def draft_too_long(name: str | None = None) -> Problem:
    where = f"{name}: " if name else ""
    return Problem(413, "too-large", "dự thảo quá lớn",
                   f"{where}Dự thảo dài quá {human_size(MAX_DRAFT_BYTES)} văn bản; hãy chia nhỏ dự thảo.")  # fmt: skip
