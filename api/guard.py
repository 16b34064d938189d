"""What stands in front of the routes, in plain ASGI (BaseHTTPMiddleware would cost a task and a body copy
per request). Everything here is decided from the request line and headers, before a byte of the body is
read: a client without the token, or over a limit, cannot make the server store or parse anything.

- security headers on every response (no sniffing, no framing, no referrer; the page may load only its own
  files; no CORS, so another site's scripts cannot read this API from a browser);
- writes (`POST /documents`, `DELETE /documents/…`): the bearer token is checked first (a chunked 200 MB
  upload without it used to be spooled to disk before its 401), then an upload takes one of the
  TRACUU_MAX_CONCURRENT_UPLOADS slots (429 otherwise);
- bodies: refused from their Content-Length when over the limit, and counted as they arrive when chunked,
  so a body without Content-Length is cut at the same limit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import anyio
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request

from .problems import JSON_BODY, RETRY_AFTER, Problem, draft_too_long, problem_response, too_large

CHECKED = "tracuu.access"  # scope key: the access the guard granted this request (its token compared)
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
_WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
_FORM_ROOM = 65536  # multipart framing around an uploaded file


def authorize(engine: Any, given: str | None, admin: bool = True) -> tuple[Any, Problem | None]:
    """The access a write's bearer token grants, or why it is refused: writes are off while no token exists
    (403: neither TRACUU_API_TOKEN nor a named token); they need a valid token (401: missing, unknown,
    revoked, expired); an admin write needs the admin scope (403). Compared in constant time (`ops/tokens.py`)."""
    if not engine.writes_enabled():
        return None, Problem(403, "writes-disabled", "ghi bị tắt",
                             "Máy chủ chưa đặt TRACUU_API_TOKEN và chưa có mã truy cập nào (tracuu token create) "
                             "nên mọi thao tác ghi đều bị tắt.")  # fmt: skip
    access = engine.access(given)
    if access is None:
        return None, Problem(401, "unauthorized", "cần mã truy cập",
                             "Thiếu, sai, đã thu hồi hoặc đã hết hạn mã truy cập (Authorization: Bearer …).",
                             headers={"WWW-Authenticate": "Bearer"})  # fmt: skip
    if admin and not access.admin:
        return access, Problem(403, "forbidden", "không có quyền",
                               f"Mã truy cập '{access.name}' không có quyền quản trị (admin) cần cho thao tác "
                               "này.")  # fmt: skip
    return access, None


def bearer(headers: Headers) -> str | None:
    scheme, _, credentials = headers.get("authorization", "").partition(" ")
    return credentials.strip() or None if scheme.lower() == "bearer" else None


def too_many_uploads(limit: int) -> Problem:
    return Problem(429, "too-many-uploads", "quá nhiều tệp đang tải lên",
                   f"Máy chủ đang xử lý {limit} tệp tải lên cùng lúc (giới hạn TRACUU_MAX_CONCURRENT_UPLOADS); "
                   f"hãy gửi lại sau {RETRY_AFTER} giây.", headers={"Retry-After": str(RETRY_AFTER)})  # fmt: skip


_PROGRESS = re.compile(r"^/tasks/[^/]+/(?:progress|evidence)$")


def is_progress(scope: dict) -> bool:
    return scope["method"] == "POST" and bool(_PROGRESS.match(scope["path"]))


def is_write(scope: dict) -> bool:
    path = scope["path"]
    return scope["method"] in _WRITE_METHODS and (path == "/documents" or path.startswith("/documents/"))


class Guard:
    """Headers, the write gate and body limits around the app (see the module's docstring). `engine` is the
    app's core (`tracuu.core.app.Tracuu`): its settings and its upload slots."""

    def __init__(self, app: Any, engine: Any):
        self.app, self.engine = app, engine

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        send = _with_headers(scope, send)
        if scope["method"] not in _WRITE_METHODS:  # no body to limit: searches go straight through
            return await self.app(scope, receive, send)
        limit = self._body_limit(scope)
        refused = await anyio.to_thread.run_sync(
            self._refused, scope, limit
        )  # reads the token store: off the loop
        uploading = refused is None and scope["method"] == "POST" and scope["path"] == "/documents"
        if uploading and not self.engine.uploading.acquire(blocking=False):
            refused, uploading = too_many_uploads(self.engine.settings.max_concurrent_uploads), False
        if refused is not None:
            return await _refuse_unread(scope, refused)(scope, receive, send)
        try:
            body = _Body(scope, receive, send, *limit)
            try:
                await self.app(scope, body.receive, body.send)
            except Problem:  # past the limit inside a route that let it through (request.form())
                if not body.over or body.started:
                    raise
                await body.refuse()
        finally:
            if uploading:
                self.engine.uploading.release()

    def _refused(self, scope: dict, body_limit: tuple[int, Problem]) -> Problem | None:
        """A write without the token, or a body whose Content-Length is over the limit: answered at once."""
        headers = Headers(scope=scope)
        if is_write(scope) or is_progress(scope):  # documents need an admin; progress any valid token
            access, refused = authorize(self.engine, bearer(headers), admin=is_write(scope))
            if refused is not None:
                return refused
            scope[CHECKED] = access  # the routes read who it is from here, not by checking again
        length = headers.get("content-length", "")
        if not (length.isascii() and length.isdigit()):  # not "²"
            return None
        limit, refusal = body_limit
        return refusal if int(length) > limit else None

    def _body_limit(self, scope: dict) -> tuple[int, Problem]:
        """The most body bytes this request may send, and what it is told past them."""
        if scope["path"] == "/check" and Headers(scope=scope).get("content-type", "").startswith(
            "application/json"
        ):
            return JSON_BODY, draft_too_long()  # a pasted draft: its own limit
        max_bytes = self.engine.settings.max_bytes
        return max_bytes + _FORM_ROOM, too_large("tệp tải lên", max_bytes)


def _refuse_unread(scope: dict, refused: Problem) -> Any:
    """The answer to a request whose body was not read: the connection closes after it, so the client's
    body is never read either (not even to skip it before a next request on the connection)."""
    response = problem_response(Request(scope), refused)
    headers = Headers(scope=scope)
    if headers.get("transfer-encoding") or headers.get("content-length", "0") != "0":
        response.headers["Connection"] = "close"
    return response


def _with_headers(scope: dict, send: Callable) -> Callable:
    page = scope["path"] == "/" or scope["path"].startswith("/web/")

    async def send_with_headers(message: dict) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            headers.setdefault("X-Content-Type-Options", "nosniff")
            headers.setdefault("X-Frame-Options", "DENY")
            headers.setdefault("Referrer-Policy", "no-referrer")
            if page:
                headers.setdefault("Content-Security-Policy", PAGE_CSP)
        await send(message)

    return send_with_headers


class _Body:
    """A request body counted as it arrives. Past the limit, reading stops with the refusal (a `Problem`);
    whatever the app then answers (FastAPI turns a failed form into a 400) is replaced by that 413."""

    def __init__(self, scope: dict, receive: Callable, send: Callable, limit: int, refusal: Problem):
        self.scope, self._receive, self._send = scope, receive, send
        self.limit, self.refusal = limit, refusal
        self.seen, self.over, self.started = 0, False, False

    async def receive(self) -> dict:
        if self.over:
            raise self.refusal
        message = await self._receive()
        if message["type"] == "http.request":
            self.seen += len(message.get("body", b""))
            if self.seen > self.limit:
                self.over = True
                raise self.refusal
        return message

    async def send(self, message: dict) -> None:
        if not self.over:
            self.started = self.started or message["type"] == "http.response.start"
            return await self._send(message)
        if message["type"] == "http.response.start" and not self.started:
            await self.refuse()

    async def refuse(self) -> None:
        self.started = True
        response = problem_response(Request(self.scope), self.refusal)
        await self._send({"type": "http.response.start", "status": response.status_code,
                          "headers": response.raw_headers})  # fmt: skip
        await self._send({"type": "http.response.body", "body": response.body})
