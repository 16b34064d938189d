"""Named API tokens with scopes: `read` (public documents), `agency:<canonical agency>` (that agency's own task
progress, and its internal documents once visibility exists), `admin` (ingest, delete, every document). A
token is shown once when made; the store keeps only its SHA-256, looked up by that hash and compared in
constant time. The server's shared TRACUU_API_TOKEN stays an admin token."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from tracuu.core.errors import InvalidArgument, NotFound
from tracuu.ingest.agencies import canonical, resolve, same_agency
from tracuu.ingest.normalize import fold

PREFIX = "tcu_"
SHARED = "api-token"  # the name the shared token's writes carry in the audit log (as before named tokens)


@dataclass(frozen=True)
class Access:
    """Who a request's token says it is: the token's name and what it may do."""

    name: str
    scopes: tuple[str, ...]

    @property
    def admin(self) -> bool:
        return "admin" in self.scopes

    @property
    def agencies(self) -> list[str]:
        return [s.split(":", 1)[1] for s in self.scopes if s.startswith("agency:")]

    def may_report_for(
        self, lead: str | None, co_leads: list[str] | None = None, scope: str | None = None
    ) -> bool:
        """An admin, or an agency token of the task's lead (or a co-lead), in the task's province (`scope`)
        when the token names one."""
        return self.admin or any(
            same_agency(mine, who, scope)
            for mine in self.agencies
            for who in [lead or "", *(co_leads or [])]
            if who
        )


CONSOLE = Access("console", ("admin",))  # the person at the data folder's own console sees everything


def hidden_from(internal: dict[str, tuple[list[str], str | None]], viewer: Access | None) -> frozenset[str]:
    """The internal documents a viewer may not see: all of them for an anonymous or `read` caller, those not
    addressed to one of its agencies for an agency token (an agency of the document's audience is of the
    document's province; a token that names a province is of that one only), none for an admin."""
    if not internal or (viewer is not None and viewer.admin):
        return frozenset()
    mine = viewer.agencies if viewer is not None else []
    return frozenset(
        d
        for d, (shown_to, province) in internal.items()
        if not any(same_agency(a, b, province) for a in mine for b in shown_to)
    )


def audience(visibility: str | None, agencies: Sequence[str]) -> tuple[str, list[str]] | None:
    """A document's visibility as given at ingest or upload, checked: ("internal", canonical agencies)."""
    if visibility is None or not visibility.strip():
        if agencies:
            raise InvalidArgument("Đã nêu cơ quan (--agency) mà không nêu --visibility internal.")
        return None
    v = visibility.strip().lower()
    if v not in ("public", "internal"):
        raise InvalidArgument(f"Chế độ xem '{visibility}' không hợp lệ: dùng public hoặc internal.")
    if v == "public":
        return ("public", [])
    if not agencies:
        raise InvalidArgument(
            'Văn bản nội bộ (internal) cần ít nhất một cơ quan được xem (--agency "Sở Y tế").'
        )
    names = []
    for a in agencies:
        if resolve(a.strip()) is None:
            raise InvalidArgument(f"Không nhận ra cơ quan '{a}' (ví dụ: \"Sở Y tế\").")
        names.append(qualified(a.strip()))
    return ("internal", list(dict.fromkeys(names)))


def hash_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def qualified(agency: str) -> str:
    """The canonical name, with the province when the name gives one ("Sở Y tế tỉnh Gia Lai" stays of Gia Lai:
    a token or an audience of one province's Sở Y tế is not every province's)."""
    found = resolve(agency)
    name = canonical(agency)
    scope = found.scope if found is not None else None
    if scope and scope != "Chính phủ" and fold(scope) not in fold(name):
        return f"{name} {scope}"
    return name


def parse_scopes(scopes: list[str]) -> list[str]:
    """Scopes as given → canonical ("agency:so y te" → "agency:Sở Y tế"); an unknown one is refused."""
    out: list[str] = []
    for raw in scopes or ["read"]:
        s = raw.strip()
        if s in ("read", "admin"):
            name = s
        elif s.lower().startswith("agency:") and s[7:].strip():
            agency = s[7:].strip()
            if resolve(agency) is None:
                raise InvalidArgument(
                    f"Phạm vi '{s}': không nhận ra cơ quan '{agency}' (ví dụ: agency:Sở Y tế)."
                )
            name = f"agency:{qualified(agency)}"
        else:
            raise InvalidArgument(f"Phạm vi '{s}' không hợp lệ: dùng read, admin hoặc agency:<tên cơ quan>.")
        if name not in out:
            out.append(name)
    return out


def parse_expiry(expires: str | None, today: date) -> str | None:
    if not expires:
        return None
    try:
        day = date.fromisoformat(expires.strip())
    except ValueError:
        raise InvalidArgument(f"Ngày hết hạn '{expires}' không hợp lệ (dạng YYYY-MM-DD).") from None
    if day <= today:
        raise InvalidArgument(f"Ngày hết hạn {day.isoformat()} đã qua: chọn một ngày sau hôm nay.")
    return day.isoformat()


def new_token(name: str, scopes: list[str], expires: str | None, today: date) -> tuple[str, dict[str, Any]]:
    """A fresh secret and the row that stores it (the hash only)."""
    name = name.strip()
    if not name or len(name) > 80 or any(c.isspace() for c in name):
        raise InvalidArgument("Tên mã phải có 1-80 ký tự, không có khoảng trắng.")
    secret = PREFIX + secrets.token_urlsafe(32)
    row = {"name": name, "hash": hash_of(secret), "scopes": ",".join(parse_scopes(scopes)),
           "expires": parse_expiry(expires, today), "created": datetime.now(UTC).isoformat(timespec="seconds"),
           "revoked": None}  # fmt: skip
    return secret, row


def public(row: dict[str, Any], today: date | None = None) -> dict[str, Any]:
    """A token as `token list` shows it: never its secret nor its hash."""
    today = today or date.today()
    expired = bool(row.get("expires")) and date.fromisoformat(row["expires"]) < today
    return {"name": row["name"], "scopes": row["scopes"].split(","), "expires": row.get("expires"),
            "created": row["created"], "revoked": row.get("revoked"),
            "active": not row.get("revoked") and not expired}  # fmt: skip


def check(row: dict[str, Any] | None, given: str, today: date) -> Access | None:
    """The access a stored row grants to the token given, or None (unknown, revoked, expired)."""
    if row is None or not hmac.compare_digest(row["hash"], hash_of(given)):
        return None
    if row.get("revoked") or (row.get("expires") and date.fromisoformat(row["expires"]) < today):
        return None
    return Access(row["name"], tuple(row["scopes"].split(",")))


def shared_access(shared: str | None, given: str) -> Access | None:
    if shared and hmac.compare_digest(given.encode(), shared.encode()):
        return Access(SHARED, ("admin",))
    return None


def missing(name: str) -> NotFound:
    return NotFound(f"Không có mã truy cập tên '{name}'.")
