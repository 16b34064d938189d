"""Who may do what: named tokens made, listed and revoked from the console, and the access a request's
bearer token grants (`ops/tokens.py` says what a scope means). Mixed into the application core
(`app.Tracuu`), whose `store()` and `_log` these use; kept apart so app.py stays about documents."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from typing import Any

from tracuu.ops import tokens
from tracuu.ops.audit import Who
from tracuu.ops.tokens import Access

from .errors import InvalidArgument, StoreMissing


class AccessMixin:
    """Token management and checks of `Tracuu` (settings.api_token is the shared admin token)."""

    def create_token(self, name: str, scopes: list[str], expires: str | None = None,
                     who: Who | None = None, today: date | None = None) -> dict[str, Any]:  # fmt: skip
        """A new named token; its secret is in the answer once and nowhere else."""
        secret, row = tokens.new_token(name, scopes, expires, today or date.today())
        with self.store(read=False) as store:  # type: ignore[attr-defined]
            if not store.add_token(row):
                raise InvalidArgument(
                    f"Đã có mã truy cập tên '{row['name']}': chọn tên khác hoặc thu hồi mã cũ."
                )
        self._log(
            who, "token-create", row["name"], {"scopes": row["scopes"].split(","), "expires": row["expires"]}
        )  # type: ignore[attr-defined]
        return {
            "name": row["name"],
            "token": secret,
            "scopes": row["scopes"].split(","),
            "expires": row["expires"],
        }

    def list_tokens(self, today: date | None = None) -> dict[str, Any]:
        with self.store() as store:  # type: ignore[attr-defined]
            return {"tokens": [tokens.public(r, today) for r in store.tokens()]}

    def revoke_token(self, name: str, who: Who | None = None) -> dict[str, Any]:
        at = datetime.now(UTC).isoformat(timespec="seconds")
        with self.store(read=False) as store:  # type: ignore[attr-defined]
            if not store.revoke_token(name, at):
                raise tokens.missing(name)
        self._log(who, "token-revoke", name)  # type: ignore[attr-defined]
        return {"name": name, "revoked": at}

    def access(self, given: str | None, today: date | None = None) -> Access | None:
        """The access a bearer token grants: the shared one is admin; a named one its scopes while neither
        revoked nor expired; anything else none."""
        if not given:
            return None
        shared = tokens.shared_access(self.settings.api_token, given)  # type: ignore[attr-defined]
        if shared is not None:
            return shared
        try:
            with self.store() as store:  # type: ignore[attr-defined]
                row = store.token_by_hash(tokens.hash_of(given))
        except (StoreMissing, sqlite3.Error):
            return None
        return tokens.check(row, given, today or date.today())

    def writes_enabled(self) -> bool:
        """Writes are on once there is a way to be allowed one: the shared token or a live named one."""
        if self.settings.api_token:  # type: ignore[attr-defined]
            return True
        try:
            return any(t["active"] for t in self.list_tokens()["tokens"])
        except (StoreMissing, sqlite3.Error):
            return False
