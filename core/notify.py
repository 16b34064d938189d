"""Notifications: a webhook per agency (added by an admin), called when a new document assigns the agency tasks
(`task.assigned`, one call per document) and when its tasks fall overdue (`task.overdue`, one call per check
listing the newly late ones). Each event is sent once: its key is kept when delivered, a failed one is tried
again at the next ingest or check. Mixed into the application core (`app.Tracuu`); delivery and signing are
`ops/webhooks.py`."""

from __future__ import annotations

import fcntl
import logging
import secrets
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from tracuu.ingest.agencies import doc_province, resolve, same_agency
from tracuu.knowledge.periods import last_due
from tracuu.knowledge.tasks import task_json
from tracuu.ops import webhooks
from tracuu.ops.audit import Who
from tracuu.ops.tokens import Access, qualified

from .errors import InvalidArgument, NotFound

LOG = logging.getLogger("tracuu.notify")


@contextmanager
def _only_one(path: Path) -> Iterator[bool]:
    """Whether this process holds a lock file (never waits: another holder means another process checks)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _period(task: dict[str, Any], day: date) -> str:
    """The period a late task fell due in (a recurring task is late once per period)."""
    due = last_due(task.get("deadline_parsed"), None, day)
    return str(due[0]) if due else ""


def _leads(task: dict[str, Any], agency: str) -> bool:
    """The agency leads the task (or co-leads it), in the task's province when the webhook names one."""
    scope = doc_province(task) or task.get("lead_scope")
    return any(
        same_agency(agency, who, scope)
        for who in [task.get("lead") or "", *(task.get("co_leads") or [])]
        if who
    )


NOTIFY_THREAD = "tracuu-notify"
FIRST_CHECK_S = 60.0  # after the server starts: the first check of overdue tasks


class NotifyMixin:
    """Webhooks of `Tracuu`: managed from the console, called after ingest, upload and `tracuu notify`, and
    by the server itself every TRACUU_NOTIFY_EVERY_S (`start_notifying`)."""

    def start_notifying(self, first: float = FIRST_CHECK_S) -> threading.Thread | None:
        """The server's own overdue check, in a daemon thread: at `first` seconds, then every
        `notify_every_s`. One process of the data folder checks at a time (a lock file beside the store: no
        event is sent twice by two workers); a check that fails is logged and tried at the next turn."""
        every = self.settings.notify_every_s  # type: ignore[attr-defined]
        if not every:
            return None
        stop = self.fill.closing  # type: ignore[attr-defined]  # set when the core closes

        def loop() -> None:
            wait = first
            while not stop.wait(wait):
                wait = every
                try:
                    with _only_one(Path(self.settings.home) / "notify.lock") as mine:  # type: ignore[attr-defined]
                        if mine and self.list_webhooks()["webhooks"]:
                            self.notify_overdue()
                except Exception as exc:  # a broken check must not end the server's checks
                    LOG.warning("kiểm tra nhiệm vụ quá hạn không chạy được: %s", exc)

        thread = threading.Thread(target=loop, name=NOTIFY_THREAD, daemon=True)
        thread.start()
        return thread

    def add_webhook(self, agency: str, url: str, secret: str | None = None,
                    who: Who | None = None) -> dict[str, Any]:  # fmt: skip
        """An agency's webhook (replacing its old one); the answer carries the signing secret."""
        if resolve((agency or "").strip()) is None:
            raise InvalidArgument(f"Không nhận ra cơ quan '{agency}' (ví dụ: \"Sở Y tế\").")
        row = {"agency": qualified(agency.strip()), "url": webhooks.check_url(url),
               "secret": secret or secrets.token_hex(32), "created": _now()}  # fmt: skip
        with self.store(read=False) as store:  # type: ignore[attr-defined]
            store.set_webhook(row)
        self._log(who, "webhook-add", row["agency"], {"url": row["url"]})  # type: ignore[attr-defined]
        return row

    def list_webhooks(self) -> dict[str, Any]:
        """The webhooks, without their secrets."""
        with self.store() as store:  # type: ignore[attr-defined]
            return {"webhooks": [{k: w[k] for k in ("agency", "url", "created")} for w in store.webhooks()]}

    def remove_webhook(self, agency: str, who: Who | None = None) -> dict[str, Any]:
        name = qualified((agency or "").strip())
        with self.store(read=False) as store:  # type: ignore[attr-defined]
            if not store.remove_webhook(name):
                raise NotFound(f"Cơ quan '{agency}' không có webhook.")
        self._log(who, "webhook-remove", name)  # type: ignore[attr-defined]
        return {"agency": name, "removed": True}

    def notify_assigned(self, doc_ids: Sequence[str]) -> list[dict[str, Any]]:
        """`task.assigned` to each agency with a webhook that leads tasks in these documents, once per
        document; documents internal to other agencies are not told about."""
        with self.store() as store:  # type: ignore[attr-defined]
            hooks = store.webhooks()
        todo = []  # gathered in one read each, sent after it: no transaction stays open while a receiver answers
        for hook in hooks:
            viewer = Access(f"webhook:{hook['agency']}", (f"agency:{hook['agency']}",))
            with self.store(viewer=viewer) as store:  # type: ignore[attr-defined]
                for doc_id in doc_ids:
                    doc = store.header(doc_id)
                    tasks = [task_json(t) for t in store.tasks(doc_id=doc_id) if _leads(t, hook["agency"])]
                    if doc is None or not tasks:
                        continue
                    keys = {t["task_id"]: f"assigned:{hook['agency']}:{t['task_id']}" for t in tasks}
                    sent = store.delivered(list(keys.values()))
                    tasks = [t for t in tasks if keys[t["task_id"]] not in sent]
                    if tasks:
                        todo.append((hook, doc_id, [keys[t["task_id"]] for t in tasks],
                                     {"agency": hook["agency"], "document": doc, "tasks": tasks}))  # fmt: skip
        return [
            self._send(hook, "task.assigned", target, keys, payload) for hook, target, keys, payload in todo
        ]

    def notify_overdue(self, at: str | None = None) -> list[dict[str, Any]]:
        """`task.overdue` to each agency with a webhook whose tasks are late on `at` (today by default) and
        were not reported late before (a recurring task: once per period it falls due)."""
        out = []
        with self.store() as store:  # type: ignore[attr-defined]
            hooks = store.webhooks()
        for hook in hooks:
            viewer = Access(f"webhook:{hook['agency']}", (f"agency:{hook['agency']}",))
            late = self.tasks(hook["agency"], overdue=True, at=at, viewer=viewer)["tasks"]  # type: ignore[attr-defined]
            late = [t for t in late if _leads(t, hook["agency"])]
            day = date.fromisoformat(at) if at else date.today()
            keys = {t["task_id"]: f"overdue:{hook['agency']}:{t['task_id']}:{_period(t, day)}" for t in late}
            with self.store() as store:  # type: ignore[attr-defined]
                sent = store.delivered(list(keys.values()))
            late = [t for t in late if keys[t["task_id"]] not in sent]
            if late:
                out.append(self._send(hook, "task.overdue", hook["agency"], [keys[t["task_id"]] for t in late],
                                      {"agency": hook["agency"], "at": at, "tasks": late}))  # fmt: skip
        return out

    def _send(self, hook: dict[str, Any], event: str, target: str, keys: list[str],
              payload: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
        got = webhooks.deliver(hook["url"], hook["secret"], event, payload)
        rows = [{"key": k, "agency": hook["agency"], "event": event, "target": target, "at": _now(), "ok": int(got.ok),
                 "status": got.status, "attempts": got.attempts, "error": got.error} for k in keys]  # fmt: skip
        with self.store(read=False) as store:  # type: ignore[attr-defined]
            store.record_notifications(rows)
        return {"agency": hook["agency"], "event": event, "target": target, "tasks": len(keys), "ok": got.ok,
                "status": got.status, "attempts": got.attempts, "error": got.error}  # fmt: skip
