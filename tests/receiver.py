"""A webhook receiver for the tests: a real HTTP server on 127.0.0.1 in a thread, recording what it gets."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tracuu.ops import webhooks


class Receiver:
    """Records every POST; answers the codes queued in `answers` first, then 200."""

    def __init__(self) -> None:
        self.got: list[tuple[dict[str, str], bytes]] = []
        self.answers: list[int] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                outer.got.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(outer.answers.pop(0) if outer.answers else 200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self, secret: str) -> list[dict]:
        out = []
        for headers, body in self.got:
            assert webhooks.verify(secret, body, headers["x-tracuu-signature"])  # signed over the exact body
            assert not webhooks.verify("khac", body, headers["x-tracuu-signature"])
            event = json.loads(body)
            assert headers["x-tracuu-event"] == event["event"]
            out.append(event)
        return out
