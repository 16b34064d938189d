"""Webhooks against a real local receiver (an HTTP server on 127.0.0.1 in a thread): signed with HMAC-SHA256
over the exact body, retried with back-off on 5xx and network errors but not on a 4xx, an agency told once of
the tasks a new document gives it and once of each task that falls overdue, a failed delivery tried again."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from receiver import Receiver

from conftest import SEED
from tracuu.api.cli import cli
from tracuu.core.app import Tracuu
from tracuu.core.settings import Settings
from tracuu.ops import webhooks

LEAD = "Sở Nội vụ"
PLAN = """ỦY BAN NHÂN DÂN
TỈNH KHÁNH HÒA

Số: 5/KH-UBND

Khánh Hòa, ngày 02 tháng 3 năm 2026

KẾ HOẠCH
Rà soát đối tượng bảo trợ xã hội năm 2026

I. NHIỆM VỤ

1. Sở Nội vụ chủ trì, phối hợp với Sở Tài chính rà soát danh sách đối tượng bảo trợ xã hội; hoàn thành trước ngày 30/6/2026.

2. Sở Nội vụ tổng hợp kết quả chi trả trợ cấp, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/12/2026.

3. Sở Y tế chủ trì khám sức khỏe định kỳ cho đối tượng tại cơ sở trợ giúp xã hội; hoàn thành trong Quý III/2026.
"""


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.server.shutdown()


def test_retries_with_back_off_then_delivers(receiver):
    receiver.answers = [503, 502]
    waits: list[float] = []
    got = webhooks.deliver(receiver.url, "bi-mat", "task.overdue", {"tasks": []}, sleep=waits.append)
    assert got.ok and got.attempts == 3 and got.status == 200
    assert waits == [0.5, 1.0]  # 0.5 s, then twice that
    assert len(receiver.events("bi-mat")) == 3


def test_a_refusal_is_not_retried_and_a_dead_receiver_is_given_up(receiver):
    receiver.answers = [400, 302]
    got = webhooks.deliver(receiver.url, "bi-mat", "task.overdue", {}, sleep=lambda s: None)
    assert not got.ok and got.attempts == 1 and got.status == 400
    moved = webhooks.deliver(receiver.url, "bi-mat", "task.overdue", {}, sleep=lambda s: None)
    assert not moved.ok and moved.status == 302 and len(receiver.got) == 2  # a redirect is not a delivery
    with pytest.raises(Exception, match="cổng"):
        webhooks.check_url("http://may-chu:abc/hook")
    receiver.server.shutdown()
    receiver.server.server_close()
    dead = webhooks.deliver(receiver.url, "bi-mat", "task.overdue", {}, sleep=lambda s: None, timeout=1)
    assert not dead.ok and dead.attempts == webhooks.ATTEMPTS and dead.error


def test_an_agency_is_told_of_new_tasks_and_overdue_ones_once(tmp_path, receiver):
    plan = tmp_path / "ke-hoach-5.md"
    plan.write_text(PLAN, encoding="utf-8")
    with Tracuu(Settings(home=tmp_path / "home")) as app:
        hook = app.add_webhook("So Noi vu", receiver.url)
        assert hook["agency"] == LEAD and len(hook["secret"]) == 64
        app.ingest([plan, SEED], index=False)
        assigned = receiver.events(hook["secret"])
        assert [e["event"] for e in assigned] == ["task.assigned"]
        tasks = assigned[0]["tasks"]
        assert len(tasks) == 2 and all(t["lead"] == LEAD for t in tasks)  # its two, not Sở Y tế's
        assert assigned[0]["document"]["number"] == "5/KH-UBND"
        app.ingest([plan, SEED], index=False)  # unchanged: nothing new to tell
        assert len(receiver.got) == 1

        receiver.answers = [500] * webhooks.ATTEMPTS  # the receiver is down for the first check
        first = app.notify_overdue("2026-07-01")
        assert len(first) == 1 and not first[0]["ok"] and first[0]["attempts"] == webhooks.ATTEMPTS
        again = app.notify_overdue("2026-07-01")  # tried again, delivered
        assert len(again) == 1 and again[0]["ok"]
        late = receiver.events(hook["secret"])[-1]
        assert late["event"] == "task.overdue" and late["at"] == "2026-07-01"
        assert [t["deadline"] for t in late["tasks"]] == [
            "hoàn thành trước ngày 30/6/2026"
        ]  # not December's yet
        assert app.notify_overdue("2026-07-01") == []  # told once
        assert app.notify_overdue("2027-01-01")[0]["tasks"] == 1  # the December one, when it falls late
        assert app.remove_webhook(LEAD)["removed"]
        assert app.list_webhooks() == {"webhooks": []}


def test_webhook_commands_say_what_is_wrong(tmp_path, receiver):
    home = ["--home", str(tmp_path)]
    runner = CliRunner()
    made = runner.invoke(cli, [*home, "webhook", "add", "Sở Y tế", receiver.url, "--json"])
    assert made.exit_code == 0 and json.loads(made.output)["agency"] == "Sở Y tế"
    listed = runner.invoke(cli, [*home, "webhook", "list", "--json"])
    assert "secret" not in listed.output and receiver.url in listed.output
    for args, needle in ((["webhook", "add", "Sở Y tế", "ftp://x"], "không hợp lệ"),
                         (["webhook", "add", "khong co gi", receiver.url], "Không nhận ra"),
                         (["webhook", "remove", "Sở Tài chính"], "không có webhook")):  # fmt: skip
        r = runner.invoke(cli, [*home, *args])
        assert r.exit_code != 0 and needle in r.output and "Traceback" not in r.output


def test_the_server_tells_of_overdue_tasks_by_itself(tmp_path, receiver):
    """`tracuu serve` checks for newly overdue tasks every TRACUU_NOTIFY_EVERY_S (here a fraction of a second):
    the plan's June task, late today, reaches the agency's webhook once, however many turns pass."""
    import time

    plan = tmp_path / "ke-hoach-5.md"
    plan.write_text(PLAN, encoding="utf-8")
    app = Tracuu(Settings(home=tmp_path / "home", notify_every_s=0.2))
    try:
        hook = app.add_webhook("Sở Nội vụ", receiver.url)
        app.ingest([plan], index=False)
        assert app.start_notifying(first=0.05) is not None
        for _ in range(100):
            if any(e["event"] == "task.overdue" for e in receiver.events(hook["secret"])):
                break
            time.sleep(0.05)
        time.sleep(0.6)  # three more turns: nothing new to tell
        late = [e for e in receiver.events(hook["secret"]) if e["event"] == "task.overdue"]
        assert len(late) == 1 and "hoàn thành trước ngày 30/6/2026" in [
            t["deadline"] for t in late[0]["tasks"]
        ]
    finally:
        app.close()
