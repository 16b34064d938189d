"""Internal documents: a plan ingested `--visibility internal --agency "Sở Y tế"` never appears, in any form,
to a caller without the scope. One test walks every read route of the HTTP API (from its OpenAPI document, so
a new route is walked too) and every MCP tool, asking for the internal plan by its number, its words, its
agency, its task and its citation, as anonymous, as a `read` token and as another agency's token; the admin
and the Sở Y tế token see it (the control that makes the walk able to fail)."""

from __future__ import annotations

import json
from typing import Any

import anyio
import pytest

from conftest import SEED, product_store, saved_index
from tracuu.index.embed import DEFAULT_MODEL, Embedder

pytestmark = pytest.mark.skipif(
    not (DEFAULT_MODEL / "onnx" / "export.json").exists(), reason="model not converted: run `make model`"
)

from fastapi.testclient import TestClient  # noqa: E402
from mcp import Client  # noqa: E402

from tracuu.api.http import create_app  # noqa: E402
from tracuu.api.mcp import create_server  # noqa: E402
from tracuu.core.app import Tracuu  # noqa: E402
from tracuu.core.settings import Settings  # noqa: E402

MARKERS = ("noi-bo-77", "Hoa Sen Bạc")  # the internal plan's id and a name only it holds
INTERNAL = """ỦY BAN NHÂN DÂN
TỈNH KHÁNH HÒA
SỞ Y TẾ

Số: 77/KH-SYT

Khánh Hòa, ngày 10 tháng 01 năm 2026

KẾ HOẠCH
Bảo quản vắc xin dự phòng tại kho lạnh Hoa Sen Bạc năm 2026

Căn cứ Quyết định số 999/QĐ-BYT ngày 01/12/2025 của Bộ Y tế, Sở Y tế ban hành Kế hoạch như sau:

I. NHIỆM VỤ

1. Sở Y tế chủ trì, phối hợp với Sở Tài chính kiểm kê vắc xin dự phòng tại kho lạnh Hoa Sen Bạc; hoàn thành trước ngày 15/12/2026.

2. Sở Tài chính bố trí kinh phí bảo dưỡng kho lạnh Hoa Sen Bạc; định kỳ hằng quý báo cáo Sở Y tế.

3. Trung tâm Kiểm soát bệnh tật tỉnh theo dõi nhiệt độ kho lạnh Hoa Sen Bạc hằng ngày.
"""


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    docs = tmp_path_factory.mktemp("docs")
    (docs / "noi-bo-77.md").write_text(INTERNAL, encoding="utf-8")
    with Tracuu(Settings(home=home)) as app:
        app.ingest([SEED], index=False)
        app.ingest([docs / "noi-bo-77.md"], index=False, visibility="internal", agencies=["Sở Y tế"])
        tokens = {name: app.create_token(name, scopes)["token"] for name, scopes in (
            ("quantri", ["admin"]), ("yte", ["agency:Sở Y tế"]), ("taichinh", ["agency:Sở Tài chính"]),
            ("doc", ["read"]), ("yte-gialai", ["agency:Sở Y tế tỉnh Gia Lai"]))}  # fmt: skip
        internal_task = next(t for t in app.tasks(doc="77/KH-SYT")["tasks"])["task_id"]
        finance_task = next(t for t in app.tasks(doc="77/KH-SYT")["tasks"] if t["lead"] == "Sở Tài chính")[
            "task_id"
        ]
    store = product_store(home)
    saved_index(store, home, Embedder(DEFAULT_MODEL))
    store.close()
    with TestClient(create_app(Settings(home=home))) as client:
        yield {
            "home": home,
            "client": client,
            "tokens": tokens,
            "task": internal_task,
            "finance": finance_task,
        }


VALUES = {"q": "bảo quản vắc xin dự phòng kho lạnh", "agency": "Sở Y tế", "doc": "77/KH-SYT", "ref": "77/KH-SYT",
          "number": "77/KH-SYT", "unit": "I.1", "at": "2027-01-01", "due_before": "2027-12-31", "k": "20",
          "limit": "500", "overdue": "false"}  # fmt: skip


def requests(client, task_id: str) -> list[tuple[str, str, dict[str, Any]]]:
    """Every GET route of the OpenAPI document with its parameters filled to reach the internal plan, the
    task route with its task, and a draft that cites it."""
    out = []
    for path, item in client.get("/openapi.json").json()["paths"].items():
        op = item.get("get")
        if op is None:
            continue
        params = {p["name"]: VALUES.get(p["name"], task_id if p["name"] == "task_id" else None)
                  for p in op.get("parameters", [])}  # fmt: skip
        url = path
        for name in list(params):
            if "{" + name in url:
                url = url.replace("{" + name + ":path}", params[name]).replace(
                    "{" + name + "}", params.pop(name)
                )
        if path == "/report":
            for fmt in ("json", "md", "csv"):
                out.append(
                    ("GET", url, {**{k: v for k, v in params.items() if v is not None}, "format": fmt})
                )
            continue
        out.append(("GET", url, {k: v for k, v in params.items() if v is not None}))
        if path == "/tasks":
            out.append(("GET", url, {}))  # every task, no filter
            out.append(("GET", url, {"overdue": "true", "at": "2027-01-01"}))
        if path == "/search":
            out.append(("GET", url, {"q": "77/KH-SYT"}))
            out.append(("GET", url, {"q": "kho lanh hoa sen bac"}))  # typed without accents: nothing restored
            out.append(("GET", url, {"q": VALUES["q"], "mode": "dense"}))
    return out


def seen(r) -> str:
    return r.text + " ".join(f"{k}: {v}" for k, v in r.headers.items())


def test_an_internal_plan_never_appears_to_a_caller_without_its_scope(world):
    client, tokens = world["client"], world["tokens"]
    walked = requests(client, world["task"])
    assert len({u for _, u, _ in walked}) >= 15  # every read route, /healthz to /calendar
    callers = {
        "anonymous": {},
        **{n: {"Authorization": f"Bearer {tokens[n]}"} for n in ("doc", "taichinh", "yte-gialai")},
    }
    for who, headers in callers.items():
        for method, url, params in walked:
            r = client.request(method, url, params=params, headers=headers)
            assert r.status_code < 500, (who, url, r.text)
            said = seen(r).replace(world["task"], "…")  # the task id the caller sent, echoed in a 404
            assert not any(m in said for m in MARKERS), (who, url, params, r.text[:300])
            assert "sen bạc" not in said.lower(), (who, url, params, r.text[:300])  # not even restored
        draft = client.post("/check", json={"text": "Theo Kế hoạch số 77/KH-SYT ngày 10/01/2026 của Sở Y tế."},
                            headers=headers)  # fmt: skip
        assert draft.status_code == 200 and not any(m in seen(draft) for m in MARKERS)
        assert all(not f.get("doc_id") for f in draft.json()["findings"])  # not "in the store" for them
        health = client.get("/healthz", headers=headers).json()
        assert health["counts"]["documents"] == 1  # the internal plan is not even counted
        assert health["rows"] == health["counts"]["chunks"] == health["dense"]["total"]  # nor its rows
    for who in ("quantri", "yte"):  # the control: those it is shown to see it on the same routes
        headers = {"Authorization": f"Bearer {tokens[who]}"}
        assert "Hoa Sen Bạc" in client.get("/documents/77/KH-SYT", headers=headers).text
        assert "Hoa Sen Bạc" in client.get("/search", params={"q": VALUES["q"]}, headers=headers).text
        assert "noi-bo-77" in client.get("/tasks", params={"agency": "Sở Y tế"}, headers=headers).text
        assert client.get("/healthz", headers=headers).json()["counts"]["documents"] == 2
    bad = client.get("/documents", headers={"Authorization": "Bearer tcu_khong-co"})
    assert bad.status_code == 401  # a wrong token is refused, never read as anonymous
    assert client.get("/documents", headers={"Authorization": "Basic abc"}).status_code == 401


def test_progress_on_an_internal_task_is_for_its_audience_only(world):
    """Sở Tài chính leads a task of the plan internal to Sở Y tế: its token may not see the task, so it is not
    found (404, not 403 naming the lead), nor by a read token; Sở Y tế of another province is not its audience."""
    client, tokens = world["client"], world["tokens"]
    path = f"/tasks/{world['finance']}/progress"
    for who in ("taichinh", "doc", "yte-gialai"):
        r = client.post(path, json={"state": "done"}, headers={"Authorization": f"Bearer {tokens[who]}"})
        assert r.status_code == 404 and not any(m in r.text for m in MARKERS[1:]), (who, r.text)
    admin = client.post(
        path, json={"state": "in_progress"}, headers={"Authorization": f"Bearer {tokens['quantri']}"}
    )
    assert admin.status_code == 201


def call(server, name: str, arguments: dict[str, Any]):
    async def go():
        async with Client(server, mode="legacy") as client:
            return await client.call_tool(name, arguments)

    return anyio.run(go)


def test_mcp_tools_show_internal_plans_only_to_their_token(world):
    """Every MCP tool, asked for the internal plan: nothing of it without TRACUU_MCP_TOKEN; with a token
    of Sở Y tế, the plan."""
    arguments = {
        "search_documents": {"query": VALUES["q"], "k": 10}, "who_leads": {"question": "Cơ quan nào chủ trì kiểm kê vắc xin dự phòng tại kho lạnh?"},
        "lookup_reference": {"number": "999/QĐ-BYT"}, "check_validity": {"number": "77/KH-SYT"},
        "get_unit": {"doc": "77/KH-SYT", "path": "I.1"}, "list_tasks": {"agency": "Sở Y tế"},
        "task_progress": {"task_id": world["task"]},
    }  # fmt: skip
    anonymous = create_server(Settings(home=world["home"]))
    tools = anyio.run(lambda: _tools(anonymous))
    assert set(tools) == set(arguments), tools  # a new tool must be walked too
    for name, args in arguments.items():
        result = call(anonymous, name, args)
        text = json.dumps(result.structured_content, ensure_ascii=False) + " ".join(
            c.text for c in result.content if c.type == "text"
        )
        text = text.replace(world["task"], "…")  # the task id asked for, echoed by its "not found"
        assert not any(m in text for m in MARKERS), (name, text[:300])
    health = create_server(Settings(home=world["home"], mcp_token=world["tokens"]["yte"]))
    unit = call(health, "get_unit", arguments["get_unit"])
    assert not unit.is_error and "Hoa Sen Bạc" in unit.structured_content["text"]


async def _tools(server) -> list[str]:
    async with Client(server, mode="legacy") as client:
        listed = await client.list_tools()
        return [t.name for t in getattr(listed, "tools", listed)]


def test_visibility_is_checked_at_ingest(tmp_path):
    with Tracuu(Settings(home=tmp_path)) as app:
        for kwargs, needle in (({"visibility": "internal"}, "ít nhất một cơ quan"),
                               ({"visibility": "secret", "agencies": ["Sở Y tế"]}, "không hợp lệ"),
                               ({"visibility": "internal", "agencies": ["khong co"]}, "Không nhận ra"),
                               ({"agencies": ["Sở Y tế"]}, "--visibility")):  # fmt: skip
            with pytest.raises(Exception, match=needle):
                app.ingest([SEED], index=False, **kwargs)
        assert not app.has_store() or app.documents() == []  # refused before anything was stored
