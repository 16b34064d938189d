"""Webhooks: an agency's URL called when a new document assigns it tasks and when its tasks fall overdue.
Each call is a JSON POST signed with HMAC-SHA256 over the exact body (`X-Tracuu-Signature: sha256=<hex>`, the
secret shared when the webhook was added), retried with exponential back-off on network errors, timeouts and
5xx/408/429 answers; a 4xx is the receiver's final word. Standard library only: nothing to install."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlparse

from tracuu.core.errors import InvalidArgument

SIGNATURE_HEADER = "X-Tracuu-Signature"
EVENT_HEADER = "X-Tracuu-Event"
DELIVERY_HEADER = "X-Tracuu-Delivery"
ATTEMPTS = 4  # one call and three retries
BACKOFF_S = 0.5  # waits 0.5, 1, 2 seconds between them
TIMEOUT_S = 5.0


@dataclass(frozen=True)
class Delivery:
    """How one event's delivery ended: delivered or not, the last HTTP status, attempts made, why not."""

    ok: bool
    status: int | None
    attempts: int
    error: str = ""
    delivery_id: str = ""


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str | None) -> bool:
    """What a receiver does: the signature over the body it got, compared in constant time."""
    return bool(signature) and hmac.compare_digest(sign(secret, body), signature or "")


def check_url(url: str) -> str:
    parts = urlparse((url or "").strip())
    try:
        parts.port  # noqa: B018 ("http://host:abc/" raises here, not at the first call)
    except ValueError:
        parts = parts._replace(netloc="")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidArgument(
            f"Địa chỉ webhook '{url}' không hợp lệ: cần http:// hoặc https://, tên máy và cổng số."
        )
    return url.strip()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is not a delivery: urllib would follow a 301/302/303 as a GET without the body."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def body_of(event: str, payload: dict[str, Any]) -> bytes:
    sent = datetime.now(UTC).isoformat(timespec="seconds")
    return json.dumps({"event": event, "sent_at": sent, **payload}, ensure_ascii=False).encode()


def deliver(url: str, secret: str, event: str, payload: dict[str, Any], attempts: int = ATTEMPTS,
            backoff: float = BACKOFF_S, timeout: float = TIMEOUT_S,
            sleep: Callable[[float], None] = time.sleep) -> Delivery:  # fmt: skip
    """POST one event, retried with back-off; never raises (the caller records how it ended)."""
    body, delivery_id = body_of(event, payload), uuid.uuid4().hex
    headers = {"Content-Type": "application/json; charset=utf-8", SIGNATURE_HEADER: sign(secret, body),
               EVENT_HEADER: event, DELIVERY_HEADER: delivery_id, "User-Agent": "tracuu-webhook/1"}  # fmt: skip
    status: int | None = None
    error = ""
    n = 0
    for n in range(1, attempts + 1):
        try:
            request = urllib.request.Request(url, data=body, method="POST", headers=headers)
            with _OPENER.open(request, timeout=timeout) as answer:  # http/https only (check_url)
                status = answer.status
            return Delivery(True, status, n, "", delivery_id)
        except urllib.error.HTTPError as exc:
            status, error = exc.code, f"HTTP {exc.code}"
            if (300 <= exc.code < 500) and exc.code not in (408, 429):
                break  # refused or moved: retrying sends the same request to the same answer
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            error = str(getattr(exc, "reason", exc)) or type(exc).__name__
        except Exception as exc:  # a malformed address or answer: told, never raised to the writer
            error = f"{type(exc).__name__}: {exc}"
            break
        if n < attempts:
            sleep(backoff * 2 ** (n - 1))
    return Delivery(False, status, n, error, delivery_id)
