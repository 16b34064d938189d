"""Named API tokens with scopes, from the console to the HTTP API: made once and stored hashed, an agency's
token writes its own tasks' progress and gets 403 on another's, read-only and revoked or expired tokens
refused, the shared TRACUU_API_TOKEN still an admin, the audit log naming the token used."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from conftest import SEED, product_store, saved_index
from tracuu.api.cli import cli
from tracuu.api.http import create_app
from tracuu.core.app import Tracuu
from tracuu.core.settings import Settings
from tracuu.ingest.pipeline import ingest_file

SHARED = "chung-bi-mat"
LEAD = "Sở Lao động - Thương binh và Xã hội"


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    store = product_store(home)
    store.put(ingest_file(SEED))
    saved_index(store, home)  # lexical only: these routes need no model
    store.close()
    return home


@pytest.fixture(scope="module")
def made(home):
    """Four tokens made from the console, as an administrator would."""
    runner, out = CliRunner(), {}
    for name, scopes in (("ldtbxh", [f"agency:{LEAD}"]), ("yte", ["agency:Sở Y tế"]), ("doc", ["read"]),
                         ("quantri", ["admin"])):  # fmt: skip
        args = [
            "--home",
            str(home),
            "token",
            "create",
            name,
            "--json",
            *[a for s in scopes for a in ("--scope", s)],
        ]
        r = runner.invoke(cli, args)
        assert r.exit_code == 0, r.output
        out[name] = json.loads(r.output)
    return out


@pytest.fixture(scope="module")
def client(home, made):
    with TestClient(create_app(Settings(home=home, api_token=SHARED, max_file_mb=0.01))) as c:
        yield c


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def a_task(client, lead: str) -> dict:
    return next(
        t for t in client.get("/tasks", params={"doc": "1212/KH-UBND"}).json()["tasks"] if t["lead"] == lead
    )


def test_create_prints_the_token_once_and_stores_only_its_hash(home, made):
    ldtbxh = made["ldtbxh"]
    assert set(ldtbxh) == {"name", "token", "scopes", "expires"}
    assert ldtbxh["scopes"] == [f"agency:{LEAD}"] and ldtbxh["expires"] is None
    assert made["yte"]["scopes"] == ["agency:Sở Y tế"] and made["doc"]["scopes"] == ["read"]
    store = product_store(home)
    try:
        rows = store.tokens()
    finally:
        store.close()
    stored = json.dumps(rows, ensure_ascii=False)
    assert all(t["token"] not in stored for t in made.values())  # never in clear
    listed = CliRunner().invoke(cli, ["--home", str(home), "token", "list", "--json"])
    assert listed.exit_code == 0 and all(t["token"] not in listed.output for t in made.values())
    names = {t["name"]: t for t in json.loads(listed.output)["tokens"]}
    assert names["quantri"]["active"] and names["quantri"]["scopes"] == ["admin"]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["token", "create", "x", "--scope", "agency:khong co gi"], "không nhận ra cơ quan"),
        (["token", "create", "x", "--scope", "owner"], "không hợp lệ"),
        (["token", "create", "x", "--expires", "2020-01-01"], "đã qua"),
        (["token", "create", "x", "--expires", "31/12/2027"], "YYYY-MM-DD"),
        (["token", "create", "ldtbxh"], "Đã có mã"),
        (["token", "revoke", "khong-co"], "Không có mã"),
    ],
)
def test_bad_token_commands_say_why(home, made, args, needle):
    r = CliRunner().invoke(cli, ["--home", str(home), *args])
    assert r.exit_code != 0 and needle in r.output and "Traceback" not in r.output


def test_an_agency_writes_its_own_progress_and_not_another_agencys(client, made):
    mine = a_task(client, LEAD)
    path = f"/tasks/{mine['task_id']}/progress"
    r = client.post(
        path, json={"state": "in_progress", "note": "Đang làm"}, headers=bearer(made["ldtbxh"]["token"])
    )
    assert r.status_code == 201, r.text
    other = client.post(path, json={"state": "done"}, headers=bearer(made["yte"]["token"]))
    assert other.status_code == 403 and "Sở Y tế" in other.json()["detail"]
    read_only = client.post(path, json={"state": "done"}, headers=bearer(made["doc"]["token"]))
    assert read_only.status_code == 403
    assert client.post(path, json={"state": "done"}, headers=bearer("tcu_gia-mao")).status_code == 401
    assert client.post(path, json={"state": "done"}, headers=bearer(SHARED)).status_code == 201
    entries = client.get(
        "/audit", headers=bearer(made["quantri"]["token"]), params={"action": "progress"}
    ).json()
    actors = [e["actor"] for e in entries["entries"] if e["target"] == mine["task_id"]]
    assert actors == ["api-token", "ldtbxh"]  # newest first: the shared token, then the agency's


def test_document_writes_and_the_audit_log_need_the_admin_scope(client, made):
    data = {"file": ("a.txt", b"KE HOACH\nthu\n")}
    for name in ("ldtbxh", "doc"):
        r = client.post("/documents", files=data, headers=bearer(made[name]["token"]))
        assert r.status_code == 403 and "admin" in r.json()["detail"]
        assert client.get("/audit", headers=bearer(made[name]["token"])).status_code == 403
    assert client.delete("/documents/khong-co", headers=bearer(made["quantri"]["token"])).status_code == 404


def test_revoked_and_expired_tokens_are_refused(home, client):
    app = Tracuu(Settings(home=home))
    with app:
        fresh = app.create_token("tam-thoi", ["admin"])
        soon = app.create_token("het-han", ["admin"], expires="2027-01-01", today=date(2026, 12, 1))
        assert app.access(soon["token"], today=date(2026, 12, 31)) is not None
        assert app.access(soon["token"], today=date(2027, 1, 2)) is None  # past its day
        assert client.get("/audit", headers=bearer(fresh["token"])).status_code == 200
        app.revoke_token("tam-thoi")
    assert client.get("/audit", headers=bearer(fresh["token"])).status_code == 401
    out = CliRunner().invoke(cli, ["--home", str(home), "token", "list", "--json"]).output
    listed = {t["name"]: t for t in json.loads(out)["tokens"]}
    assert not listed["tam-thoi"]["active"] and listed["tam-thoi"]["revoked"]


def test_named_tokens_alone_turn_writes_on(tmp_path):
    """A server without TRACUU_API_TOKEN: writes are off (403) until a named admin token exists."""
    store = product_store(tmp_path)
    store.put(ingest_file(SEED))
    store.close()
    with TestClient(create_app(Settings(home=tmp_path))) as c:
        assert c.post("/documents", files={"file": ("a.txt", b"x")}).status_code == 403
        assert not c.get("/healthz").json()["writes_enabled"]
        with Tracuu(Settings(home=tmp_path)) as app:
            admin = app.create_token("admin", ["admin"])["token"]
        assert c.get("/healthz").json()["writes_enabled"]
        assert c.post("/documents", files={"file": ("a.txt", b"x")}).status_code == 401
        assert c.get("/audit", headers=bearer(admin)).status_code == 200


def test_progress_with_an_evidence_file(client, made, home):
    """An agency records progress with its evidence file (multipart): kept under evidence/ by its SHA-256,
    named in the record; an empty or oversized file and a missing token are refused in Vietnamese."""
    import hashlib

    mine = a_task(client, LEAD)
    path = f"/tasks/{mine['task_id']}/evidence"
    data = "Biên bản kiểm tra năm 2023".encode()
    form = {"state": "done", "note": "Đã kiểm tra"}
    r = client.post(
        path, data=form, files={"file": ("bien-ban.txt", data)}, headers=bearer(made["ldtbxh"]["token"])
    )
    assert r.status_code == 201, r.text
    evidence = r.json()["recorded"]["evidence"]
    assert evidence["sha256"] == hashlib.sha256(data).hexdigest() and evidence["name"] == "bien-ban.txt"
    assert (home / evidence["file"]).read_bytes() == data
    empty = client.post(
        path, data=form, files={"file": ("rong.txt", b"")}, headers=bearer(made["ldtbxh"]["token"])
    )
    assert empty.status_code == 422 and "rỗng" in empty.json()["detail"]
    big = client.post(
        path, data=form, files={"file": ("lon.pdf", b"x" * 20_000)}, headers=bearer(made["ldtbxh"]["token"])
    )
    assert big.status_code == 413
    assert client.post(path, data=form, files={"file": ("a.txt", data)}).status_code == 401
    other = client.post(
        path, data=form, files={"file": ("a.txt", data)}, headers=bearer(made["yte"]["token"])
    )
    assert other.status_code == 403
