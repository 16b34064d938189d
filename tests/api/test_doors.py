"""The three doors onto one core agree: the CLI (`--json`), the HTTP API and the MCP server, asked the same
things over the same knowledge base, give the same JSON, find a document by id or by any written form of its
number, and map each core error code the same way (not found in every door, etc.)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anyio
import pytest
from click.testing import CliRunner

from conftest import SEED, indexed_home, nd20_opening
from tracuu.index.embed import DEFAULT_MODEL

pytestmark = [
    pytest.mark.model,
    pytest.mark.embedded_only,  # every door over one module-wide data folder (PostgreSQL: tests/core/test_backends.py)
    pytest.mark.skipif(
        not (DEFAULT_MODEL / "onnx" / "export.json").exists(), reason="model not converted: run `make model`"
    ),
]

from fastapi.testclient import TestClient  # noqa: E402
from mcp import Client  # noqa: E402

from tracuu.api.cli import cli  # noqa: E402
from tracuu.api.http import create_app  # noqa: E402
from tracuu.api.mcp import create_server  # noqa: E402
from tracuu.core.settings import Settings  # noqa: E402

QUESTION = "co quan nao chu tri thuc hien chinh sach tro giup xa hoi hang thang"
QUERY = "trợ cấp xã hội hằng tháng"


@pytest.fixture(scope="module")
def doors(tmp_path_factory) -> dict[str, Any]:
    home = indexed_home(
        tmp_path_factory.mktemp("home"), [SEED, nd20_opening(tmp_path_factory.mktemp("docs"))]
    )
    settings = Settings(home=home)
    with TestClient(create_app(settings)) as http:
        yield {"home": str(home), "http": http, "mcp": create_server(settings)}


def cli_json(doors: dict[str, Any], *args: str) -> Any:
    run = CliRunner().invoke(cli, ["--home", doors["home"], *args, "--json"])
    assert run.exit_code == 0, run.output
    return json.loads(run.output[run.output.index("{") :])


def tool(doors: dict[str, Any], name: str, arguments: dict[str, Any]):
    async def go():
        async with Client(doors["mcp"], mode="legacy") as client:
            return await client.call_tool(name, arguments)

    return anyio.run(go)


@pytest.mark.parametrize("ref", ["1212/KH-UBND", "1212/kh-ubnd", "20/2021/ND-CP", "20/2021/NĐ-CP"])
def test_show_finds_the_same_document_with_the_same_fields(doors, ref):
    shown = cli_json(doors, "show", ref)
    served = doors["http"].get(f"/documents/{ref}").json()
    assert shown == served
    assert {"cites", "cited_by", "outline"} <= set(shown)
    by_id = doors["http"].get(f"/documents/{shown['doc_id']}").json()
    assert by_id == served


def test_unit_search_ask_tasks_refs_and_check_agree(doors):
    http = doors["http"]
    unit = http.get("/documents/1212/KH-UBND/units/III.2").json()
    got = tool(doors, "get_unit", {"doc": "1212/kh-ubnd", "path": "III.2"})
    assert not got.is_error and got.structured_content == unit

    served = http.get("/search", params={"q": QUERY, "k": 5, "mode": "lexical"}).json()
    assert cli_json(doors, "search", QUERY, "-k", "5", "--mode", "lexical") == served
    hybrid = http.get("/search", params={"q": QUERY, "k": 5}).json()
    got = tool(doors, "search_documents", {"query": QUERY, "k": 5})
    assert got.structured_content == hybrid
    assert cli_json(doors, "search", QUERY, "-k", "5") == hybrid

    asked = http.get("/ask", params={"q": QUESTION}).json()
    assert asked["answer"]["lead"] and cli_json(doors, "ask", QUESTION) == asked
    assert tool(doors, "who_leads", {"question": QUESTION}).structured_content == asked

    assert (
        cli_json(doors, "tasks", "--doc", "1212/KH-UBND")
        == http.get("/tasks", params={"doc": "1212/KH-UBND"}).json()
    )
    late = http.get("/tasks", params={"overdue": "true", "at": "2022-01-01"}).json()
    assert late["tasks"] and cli_json(doors, "tasks", "--overdue", "--at", "01/01/2022") == late
    got = tool(doors, "list_tasks", {"overdue": True, "at": "2022-01-01"})
    assert not got.is_error and got.structured_content == late and "task_id" in got.content[0].text
    one = late["tasks"][0]["task_id"]
    history = http.get(f"/tasks/{one}/progress").json()
    assert tool(doors, "task_progress", {"task_id": one}).structured_content == history
    assert cli_json(doors, "progress", one) == history
    served_ics = http.get("/calendar/So Y te.ics").text
    run = CliRunner().invoke(cli, ["--home", doors["home"], "calendar", "Sở Y tế"])
    assert run.exit_code == 0 and "BEGIN:VEVENT" in run.output
    assert [x for x in run.output.splitlines() if not x.startswith("DTSTAMP")] == [
        x for x in served_ics.splitlines() if not x.startswith("DTSTAMP")
    ]  # the runner reads CRLF as one line end
    refs = http.get("/references", params={"number": "161/QĐ-TTg"}).json()
    assert cli_json(doors, "refs", "161/QĐ-TTg") == refs
    looked = tool(doors, "lookup_reference", {"number": "161/QĐ-TTg"}).structured_content
    assert {k: v for k, v in looked.items() if k != "document"} == refs

    valid = http.get("/validity/136/2013/ND-CP", params={"at": "2022-01-01"}).json()
    assert cli_json(doors, "validity", "136/2013/ND-CP", "--at", "2022-01-01") == valid
    assert (
        tool(doors, "check_validity", {"number": "136/2013/ND-CP", "at": "2022-01-01"}).structured_content
        == valid
    )
    assert (
        valid["validity"] == "expired" and valid["expired_by"] == "20/2021/NĐ-CP"
    )  # from the catalog (Pháp điển)

    draft = Path(doors["home"]) / "du-thao.md"
    draft.write_text("Căn cứ Nghị định số 20/2021/NĐ-CP và Quyết định số 161/QĐ-TTg.", encoding="utf-8")
    checked = http.post("/check", json={"text": draft.read_text(encoding="utf-8")}).json()
    assert cli_json(doors, "check", str(draft)) == checked


def test_each_door_says_not_found_the_same_way(doors):
    missing = "999/KH-XYZ"
    r = doors["http"].get(f"/documents/{missing}")
    assert r.status_code == 404 and r.json()["type"] == "/problems/not-found"
    run = CliRunner().invoke(cli, ["--home", doors["home"], "show", missing])
    assert run.exit_code == 1 and f"Không có văn bản '{missing}'" in run.output
    got = tool(doors, "get_unit", {"doc": missing, "path": "I"})
    assert got.is_error and got.structured_content["error"] == "not-found"
    assert f"Không có văn bản '{missing}'" in r.json()["detail"] == got.structured_content["message"]
