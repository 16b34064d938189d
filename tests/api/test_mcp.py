"""The MCP server on a real small home (the seed plan and the opening of Nghị định 20/2021, e5 model),
driven by the MCP client library: in-process over in-memory streams (initialize handshake, JSON-RPC), and
once as `python -m tracuu.api.mcp` over stdio."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest

from conftest import ROOT, SEED, SMALL_PLAN, nd20_opening, product_store, saved_index
from tracuu.index.embed import DEFAULT_MODEL, Embedder
from tracuu.ingest.pipeline import ingest_file

pytestmark = pytest.mark.skipif(
    not (DEFAULT_MODEL / "onnx" / "export.json").exists(), reason="model not converted: run `make model`"
)

from mcp import Client, StdioServerParameters  # noqa: E402

from tracuu.api.mcp import create_server  # noqa: E402
from tracuu.core.settings import Settings  # noqa: E402

TOOLS = {
    "search_documents",
    "who_leads",
    "lookup_reference",
    "get_unit",
    "check_validity",
    "list_tasks",
    "task_progress",
}
LEAD = "Sở Lao động - Thương binh và Xã hội"
QUESTION = "Cơ quan nào chủ trì thực hiện chính sách trợ giúp xã hội hàng tháng cho đối tượng bảo trợ xã hội?"
SEED_CITATION = "Kế hoạch số 1212/KH-UBND"
PLAN = SMALL_PLAN


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("home")
    store = product_store(home)
    for path in (SEED, nd20_opening(tmp_path_factory.mktemp("docs"))):
        store.put(ingest_file(path))
    saved_index(store, home, Embedder(DEFAULT_MODEL))
    store.close()
    return home


@pytest.fixture(scope="module")
def server(home):
    return create_server(Settings(home=home))  # one server: the model loads once for the module


def call(server, name: str, arguments: dict[str, Any]):
    """One tool call through a client session over in-memory streams (initialize handshake, JSON-RPC)."""

    async def go():
        async with Client(server, mode="legacy") as client:
            return await client.call_tool(name, arguments)

    return anyio.run(go)


def text_of(result) -> str:
    return "\n".join(c.text for c in result.content if c.type == "text")


def ok(result) -> dict[str, Any]:
    assert not result.is_error, text_of(result)
    assert isinstance(result.structured_content, dict)
    return result.structured_content


def refused(result, *words: str) -> str:
    """A tool error with a Vietnamese message (and no traceback)."""
    assert result.is_error
    message = text_of(result)
    assert "Traceback" not in message and "validation error" not in message
    for w in words:
        assert w in message, message
    return message


def test_lists_the_four_tools(server):
    async def go():
        async with Client(server, mode="legacy") as client:
            return (await client.list_tools()).tools

    tools = {t.name: t for t in anyio.run(go)}
    assert set(tools) == TOOLS
    for t in tools.values():
        assert len(t.description) > 200 and "Example" in t.description
        assert t.input_schema["type"] == "object" and t.input_schema["properties"]
    search = tools["search_documents"].input_schema
    assert search["required"] == ["query"]
    assert set(search["properties"]) == {"query", "k", "type", "issuer", "year", "in_force"}
    assert search["properties"]["k"]["minimum"] == 1 and search["properties"]["k"]["maximum"] == 50
    assert search["properties"]["query"]["maxLength"] == 1000
    assert tools["who_leads"].input_schema["required"] == ["question"]
    assert tools["lookup_reference"].input_schema["required"] == ["number"]
    assert set(tools["get_unit"].input_schema["required"]) == {"doc", "path"}
    assert "required" not in tools["list_tasks"].input_schema and tools["task_progress"].input_schema[
        "required"
    ] == ["task_id"]


def test_search_returns_cited_passages(server):
    result = call(server, "search_documents", {"query": "trợ giúp xã hội người khuyết tật", "k": 5})
    data = ok(result)
    assert 0 < len(data["results"]) <= 5
    first = data["results"][0]
    assert {"citation", "section", "text", "score", "doc_id", "chunk_id"} <= set(first)
    assert any(SEED_CITATION in r["citation"] for r in data["results"])
    text = text_of(result)
    assert SEED_CITATION in text and first["citation"] in text


def test_search_filters_and_unaccented_query(server):
    data = ok(
        call(server, "search_documents", {"query": "tro cap xa hoi hang thang", "k": 3, "type": "nghi dinh"})
    )
    assert data["restored_query"] and data["results"]
    assert all("Nghị định số 20/2021/NĐ-CP" in r["citation"] for r in data["results"])
    empty = call(server, "search_documents", {"query": "trợ giúp xã hội", "year": 1999})
    assert not ok(empty)["results"] and "Không tìm thấy" in text_of(empty)


def test_who_leads_answers_with_evidence(server):
    result = call(server, "who_leads", {"question": QUESTION})
    data = ok(result)
    assert data["answer"]["lead"] == LEAD
    assert data["evidence"] and SEED_CITATION in data["evidence"][0]["citation"]
    text = text_of(result)
    assert f"Cơ quan chủ trì: {LEAD}" in text and data["evidence"][0]["citation"] in text


def test_who_leads_off_topic_has_no_lead(server):
    result = call(server, "who_leads", {"question": "Cơ quan nào chủ trì phóng tàu vũ trụ lên sao Hỏa?"})
    data = ok(result)
    assert data["answer"]["lead"] is None
    text = text_of(result)
    assert "căn cứ đủ tin cậy" in text and "Cơ quan chủ trì:" not in text


def test_lookup_reference_cited_not_in_corpus(server):
    result = call(server, "lookup_reference", {"number": "161/QD-TTg"})
    data = ok(result)
    ref = data["references"][0]
    assert ref["number"] == "161/QĐ-TTg" and not ref["in_corpus"] and ref["cited_in"]
    assert data["document"] is None
    text = text_of(result)
    assert "chưa có trong kho" in text and ref["cited_in"][0]["citation"] in text
    assert SEED_CITATION in text


def test_lookup_reference_in_corpus(server):
    result = call(server, "lookup_reference", {"number": "20/2021/NĐ-CP"})
    data = ok(result)
    assert data["document"] and data["document"]["number"] == "20/2021/NĐ-CP"
    assert data["references"] and data["references"][0]["in_corpus"]
    assert "Có trong kho: Nghị định số 20/2021/NĐ-CP" in text_of(result)


def test_lookup_reference_unknown_number_is_an_answer(server):
    result = call(server, "lookup_reference", {"number": "999/QĐ-XYZ"})
    data = ok(result)
    assert data["references"] == [] and data["document"] is None
    assert "Kho không có văn bản số 999/QĐ-XYZ" in text_of(result)


def test_get_unit_text_and_citation(server):
    result = call(server, "get_unit", {"doc": "1212/KH-UBND", "path": "III.2"})
    data = ok(result)
    assert "Sở Lao động" in data["text"] and data["path"] == "III.2"
    assert data["citation"].startswith("Mục III.2, Kế hoạch số 1212/KH-UBND")
    assert text_of(result).startswith(data["citation"]) and "Sở Lao động" in text_of(result)
    again = ok(call(server, "get_unit", {"doc": "1212/kh-ubnd", "path": "iii.2."}))
    assert again["citation"] == data["citation"]


@pytest.mark.parametrize(
    ("name", "arguments", "words"),
    [
        ("search_documents", {"query": "giảm nghèo", "k": 0}, ["'k'", "lớn hơn hoặc bằng 1"]),
        ("search_documents", {"query": "giảm nghèo", "k": 51}, ["'k'", "nhỏ hơn hoặc bằng 50"]),
        ("search_documents", {"query": "giảm nghèo", "k": "năm"}, ["'k'", "số nguyên"]),
        ("search_documents", {"query": ""}, ["'query'", "trống"]),
        ("search_documents", {"query": "  ?! "}, ["'query'", "trống"]),
        ("search_documents", {"query": "x" * 1001}, ["'query'", "1000"]),
        ("search_documents", {}, ["thiếu tham số", "'query'"]),
        ("search_documents", {"query": "giảm nghèo", "type": "Sắc lệnh"}, ["Sắc lệnh", "Kế hoạch"]),
        ("who_leads", {"question": "   "}, ["'question'", "trống"]),
        ("get_unit", {"doc": "9999/KH-XYZ", "path": "I"}, ["Không có văn bản '9999/KH-XYZ'"]),
        ("get_unit", {"doc": "1212/KH-UBND", "path": "IX.9"}, ["không có đơn vị 'IX.9'", "III"]),
        ("lookup_reference", {"number": ""}, ["'number'"]),
        ("tra_cuu", {"q": "x"}, ["Không có công cụ 'tra_cuu'", "search_documents"]),
    ],
)
def test_bad_input_is_a_vietnamese_tool_error(server, name, arguments, words):
    refused(call(server, name, arguments), *words)


def test_no_index_and_no_store(tmp_path):
    if not os.environ.get("TRACUU_DATABASE_URL"):  # a database always holds a store, empty or not
        empty = create_server(Settings(home=tmp_path / "none"))
        refused(call(empty, "get_unit", {"doc": "1212/KH-UBND", "path": "III.2"}), "tracuu ingest")
        assert not (tmp_path / "none").exists()  # a call never creates a data folder
    home = tmp_path / "home"
    store = product_store(home)
    store.put(ingest_file(SEED))
    store.close()
    no_index = create_server(Settings(home=home))
    refused(call(no_index, "search_documents", {"query": "giảm nghèo"}), "tracuu index")
    refused(call(no_index, "who_leads", {"question": QUESTION}), "tracuu index")
    assert "Mục III.2" in ok(call(no_index, "get_unit", {"doc": "1212/KH-UBND", "path": "III.2"}))["citation"]


def test_stdio_module_entry_point(home):
    """`python -m tracuu.api.mcp` speaks MCP on stdin/stdout, reading TRACUU_HOME."""
    env = {"TRACUU_HOME": str(home), "HF_HUB_OFFLINE": "1", "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    if os.environ.get("TRACUU_DATABASE_URL"):  # the same server on PostgreSQL (TRACUU_TEST_BACKEND)
        env["TRACUU_DATABASE_URL"] = os.environ["TRACUU_DATABASE_URL"]
    params = StdioServerParameters(command=sys.executable, args=["-m", "tracuu.api.mcp"], env=env, cwd=ROOT)

    async def go():
        with anyio.fail_after(120):
            async with Client(params, mode="legacy") as client:
                tools = (await client.list_tools()).tools
                unit = await client.call_tool("get_unit", {"doc": "1212/KH-UBND", "path": "III.2"})
                bad = await client.call_tool("get_unit", {"doc": "nope", "path": "I"})
                return tools, unit, bad

    tools, unit, bad = anyio.run(go)
    assert {t.name for t in tools} == TOOLS
    assert ok(unit)["citation"].startswith("Mục III.2, Kế hoạch số 1212/KH-UBND")
    refused(bad, "Không có văn bản 'nope'")


def test_long_unit_text_is_cut_but_json_is_whole(server, monkeypatch):
    import tracuu.api.mcp as mcp_server

    monkeypatch.setattr(mcp_server, "MAX_UNIT_TEXT", 2000)
    result = call(server, "get_unit", {"doc": "1212/KH-UBND", "path": "III"})
    data = ok(result)
    assert len(data["text"]) > 10_000
    text = text_of(result)
    assert len(text) < 2300 and "còn khoảng" in text and text.startswith(data["citation"])


def test_who_leads_reference_question_names_no_lead(server):
    result = call(server, "who_leads", {"question": "Văn bản nào quy định mức chuẩn trợ giúp xã hội?"})
    data = ok(result)
    assert data["kind"] == "reference" and data["answer"]["lead"] is None
    text = text_of(result)
    assert "không có căn cứ đủ tin cậy để nêu cơ quan chủ trì" in text and "Cơ quan chủ trì:" not in text
    assert "Nghị định số 20/2021/NĐ-CP" in text


def test_new_index_generation_is_picked_up(home, server):
    """After `tracuu index` writes a new generation, the running server searches it (no restart)."""
    plan = home.parent / "ke-hoach-7-phu-yen.md"
    plan.write_text(PLAN, encoding="utf-8")
    query = {"query": "nâng cấp mạng diện rộng của tỉnh", "k": 3, "type": "Kế hoạch"}
    before = ok(call(server, "search_documents", query))["results"]
    assert all("7/KH-UBND" not in r["citation"] for r in before)
    store = product_store(home)
    store.put(ingest_file(plan))
    saved_index(store, home, Embedder(DEFAULT_MODEL))
    store.close()
    after = ok(call(server, "search_documents", query))["results"]
    assert "Kế hoạch số 7/KH-UBND" in after[0]["citation"]
