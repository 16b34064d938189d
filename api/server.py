"""The API served by uvicorn, with what uvicorn itself answers and logs made to fit the API's rules:
- a request uvicorn cannot parse (a 100,000-character URL: the parser stops at 64 KB; a broken request
  line or header) is answered with a problem+json 400 in Vietnamese, not uvicorn's plain-text one;
- the access log never holds a secret sent in a URL: the value of a query parameter named like a
  credential (`token`, `api_key`, `password` …), and the server's own token anywhere in the line, are
  written as `***` (a token in the query string is refused, but used to be logged in clear).
"""

from __future__ import annotations

import copy
import json
import logging
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from uvicorn.config import LOGGING_CONFIG
from uvicorn.protocols.http.h11_impl import H11Protocol

from tracuu.core.settings import Settings

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # httptools missing: uvicorn's pure-Python h11 parser
    HttpToolsProtocol = None  # type: ignore[assignment,misc]

UNPARSABLE = {"type": "/problems/bad-request", "title": "yêu cầu không hợp lệ", "status": 400,
              "detail": "Yêu cầu HTTP không đọc được: dòng yêu cầu hoặc tiêu đề sai, hoặc quá dài (địa chỉ URL và "
                        "mỗi tiêu đề tối đa 64 KB; câu truy vấn tối đa 1.000 ký tự)."}  # fmt: skip
_SECRET_PARAM = re.compile(
    r"([?&;](?:[\w.-]*(?:token|secret|password|passwd|api[_-]?key|apikey|auth\w*|credential\w*)|key|sig)=)[^&;#\s]*",
    re.I,
)
MASK = "***"


def unparsable_response(default_headers: list[tuple[bytes, bytes]]) -> bytes:
    """The raw HTTP/1.1 400 problem+json for a request that could not be parsed (the connection closes)."""
    body = json.dumps(UNPARSABLE, ensure_ascii=False).encode()
    head = [b"HTTP/1.1 400 Bad Request"]
    head += [name + b": " + value for name, value in default_headers]
    head += [b"content-type: application/problem+json", b"content-length: " + str(len(body)).encode(),
             b"connection: close", b"x-content-type-options: nosniff"]  # fmt: skip
    return b"\r\n".join(head) + b"\r\n\r\n" + body


class H11Problems(H11Protocol):
    def send_400_response(self, msg: str) -> None:
        self.transport.write(unparsable_response(self.server_state.default_headers))
        self.transport.close()


if HttpToolsProtocol is not None:

    class HttpToolsProblems(HttpToolsProtocol):
        def send_400_response(self, msg: str) -> None:
            self.transport.write(unparsable_response(self.server_state.default_headers))
            self.transport.close()

    PROTOCOL: type = HttpToolsProblems
else:
    PROTOCOL = H11Problems


def redact(text: str, token: str | None = None) -> str:
    """`text` with `token` (as such or percent-encoded, wherever it stands as a whole value) and the values
    of credential-like query parameters replaced by ***."""
    if token:
        for form in {token, quote(token, safe="")}:
            text = re.sub(rf"(?<![\w.~-]){re.escape(form)}(?![\w.~-])", MASK, text)
    return _SECRET_PARAM.sub(lambda m: m.group(1) + MASK, text)


class RedactSecrets(logging.Filter):
    """On uvicorn's access log: the request line's path and query go through `redact`."""

    def __init__(self, token: str | None = None):
        super().__init__()
        self.token = token or None

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5:  # client, method, full path, HTTP version, status
            record.args = (*args[:2], redact(str(args[2]), self.token), *args[3:])
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg, self.token)
        return True


def log_config(token: str | None) -> dict[str, Any]:
    """uvicorn's logging configuration with `RedactSecrets` on the access log."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact": {"()": f"{__name__}.RedactSecrets", "token": token}}
    config["handlers"]["access"]["filters"] = ["redact"]
    config["handlers"]["default"]["filters"] = ["redact"]
    return config


def serve(
    settings: Settings | None = None, host: str = "127.0.0.1", port: int = 8000, workers: int = 1
) -> None:
    """Run the API with uvicorn. Several worker processes may serve one data folder: each follows the index
    generations on disk, and writes are serialised by the folder's file lock."""
    import uvicorn

    from .http import create_app

    settings = settings or Settings()
    options = {"host": host, "port": port, "http": PROTOCOL, "log_config": log_config(settings.api_token)}
    if workers == 1:
        uvicorn.run(create_app(settings), **options)
        return
    os.environ["TRACUU_HOME"] = str(Path(settings.home).resolve())  # the workers read their settings here
    uvicorn.run("tracuu.api.http:create_app", factory=True, workers=workers, **options)
