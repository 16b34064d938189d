"""The audit log: every write to a knowledge base (who, from where, when, what) as one appended line, read
by admins (`tracuu audit`, GET /audit). Nothing updates or deletes a line."""

from __future__ import annotations

import getpass
import json
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True)
class Who:
    """Who writes: a token's name or the local user, and from where (an IP address, a host)."""

    actor: str
    origin: str = ""


def local() -> Who:
    """The person at this machine's console (`tracuu ingest`, `tracuu progress` …)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "?"
    return Who(f"cli:{user}", socket.gethostname())


def line(who: Who, action: str, target: str = "", detail: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "id": f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "actor": who.actor, "origin": who.origin, "action": action, "target": target,
        "detail": json.dumps(detail or {}, ensure_ascii=False),
    }  # fmt: skip


def line_json(row: dict[str, Any]) -> dict[str, Any]:
    return {**{k: row[k] for k in ("id", "at", "actor", "origin", "action", "target")},
            "detail": json.loads(row["detail"] or "{}")}  # fmt: skip
