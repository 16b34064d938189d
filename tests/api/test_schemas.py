"""Typed results (`core/results/`): /openapi.json documents every JSON answer of the HTTP API with its model
(beside the example), and every real answer on a small home validates against its model, dumps back to itself
(`to_dict()`: no field lost or added), is the core's own dict (FastAPI's response filtering keeps every field the
core gives and invents none) and has every field declared, typed, in its model."""

from __future__ import annotations

import json
from typing import Any, get_args

import pytest
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError

from conftest import SMALL_PLAN, indexed_home, nd20_opening, seed_excerpt
from tracuu.api.http import admin, check, create_app, read, write
from tracuu.api.http.check import limit_draft
from tracuu.core import results
from tracuu.core.settings import Settings
from tracuu.index.embed import DEFAULT_MODEL

NEEDS_MODEL = [
    pytest.mark.model,
    pytest.mark.skipif(
        not (DEFAULT_MODEL / "onnx" / "export.json").exists(), reason="model not converted: run `make model`"
    ),
]
TOKEN = "bi-mat-schemas"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

# Every JSON answer of the API: (method, path) → (status, model). One the schema has and this lacks fails.
ANSWERS = {
    ("get", "/search"): ("200", results.SearchResult),
    ("get", "/ask"): ("200", results.AskResult),
    ("get", "/documents"): ("200", results.DocumentPage),
    ("post", "/documents"): ("201", results.UploadResult),
    ("get", "/documents/{ref}"): ("200", results.DocumentInfo),
    ("get", "/documents/{ref}/units/{unit}"): ("200", results.UnitText),
    ("get", "/tasks"): ("200", results.TaskList),
    ("get", "/references"): ("200", results.ReferenceList),
    ("get", "/agencies"): ("200", results.AgencyList),
    ("get", "/report"): ("200", results.Report),
    ("get", "/healthz"): ("200", results.Health),
    ("post", "/check"): ("200", results.CheckResult),
    ("get", "/validity/{number}"): ("200", results.ValidityResult),
    ("get", "/tasks/{task_id}/progress"): ("200", results.TaskProgress),
    ("post", "/tasks/{task_id}/progress"): ("201", results.ProgressRecorded),
    ("post", "/tasks/{task_id}/evidence"): ("201", results.ProgressRecorded),
    ("get", "/audit"): ("200", results.AuditLog),
    ("get", "/dashboard"): ("200", results.Dashboard),
}
SAME_FILE = ("post", "/documents", "200", results.DocumentSummary)  # an upload of a file already stored
MODELS = [getattr(results, name) for name in results.__all__ if isinstance(getattr(results, name), type)]
assert len(MODELS) > 40  # every model of the package, not an empty parametrisation


def as_json(value: Any) -> Any:
    """What a value is once sent as JSON."""
    return json.loads(json.dumps(value, ensure_ascii=False))


def undeclared(typed: Any, at: str = "$") -> list[str]:
    """Where a validated result holds a field its model does not declare (kept by `extra="allow"`, untyped)."""
    out: list[str] = []
    if isinstance(typed, BaseModel):
        out += [f"{at}.{key}" for key in typed.model_extra or {}]
        for name in type(typed).model_fields:
            out += undeclared(getattr(typed, name), f"{at}.{name}")
    elif isinstance(typed, list):
        for i, item in enumerate(typed):
            out += undeclared(item, f"{at}[{i}]")
    return out


def fits(model: type[results.Result], body: Any) -> Any:
    """The body validates against the model, dumps back to itself and has every field typed; the typed result."""
    typed = model.model_validate(body)
    assert typed.to_dict() == body
    assert undeclared(typed) == []
    return typed


# ------------------------------------------------------------------ the schema (no model, no data)
@pytest.fixture(scope="module")
def app_without_data(tmp_path_factory):
    return create_app(Settings(home=tmp_path_factory.mktemp("empty")))


def test_openapi_has_a_schema_for_every_json_answer(app_without_data):
    spec = app_without_data.openapi()
    components = spec["components"]["schemas"]
    json_answers = {
        (method, path, status)
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        for status, response in op["responses"].items()
        if status.startswith("2") and "application/json" in response.get("content", {})
    }
    expected = [(m, p, s, model) for (m, p), (s, model) in ANSWERS.items()] + [SAME_FILE]
    assert json_answers == {(m, p, s) for m, p, s, _ in expected}
    for method, path, status, model in expected:
        content = spec["paths"][path][method]["responses"][status]["content"]["application/json"]
        assert content["schema"] == {"$ref": f"#/components/schemas/{model.__name__}"}, (method, path)
        assert "example" in content, (method, path)  # `about(...)`'s example stays beside the schema
        schema = components[model.__name__]
        assert set(schema["properties"]) == set(model.model_fields), model
        required = {name for name, field in model.model_fields.items() if field.is_required()}
        assert set(schema.get("required", [])) == required, model
        assert schema["additionalProperties"] is True, model  # a field the core adds is allowed, not filtered


def test_nested_results_are_components_too(app_without_data):
    components = app_without_data.openapi()["components"]["schemas"]
    cli_only = {results.Result, results.DocumentList}  # the base; `tracuu docs --json`
    assert {m.__name__ for m in MODELS if m not in cli_only} <= set(components)
    hits = components["SearchResult"]["properties"]["results"]["items"]
    assert hits == {"$ref": "#/components/schemas/Hit"}
    assert components["AskResult"]["properties"]["answer"] == {"$ref": "#/components/schemas/Answer"}
    dense = components["Health"]["properties"]["dense"]["anyOf"]
    assert {"$ref": "#/components/schemas/DenseStatus"} in dense and {"type": "null"} in dense


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_model_keeps_extra_fields_and_never_requires_what_may_be_left_out(model):
    assert model.model_config.get("extra") == "allow"
    assert callable(model.to_dict)
    for name, field in model.model_fields.items():
        if not field.is_required():
            assert field.default is None, (model, name)  # X | None = None
            assert type(None) in get_args(field.annotation), (model, name)
    if any(f.is_required() for f in model.model_fields.values()):
        with pytest.raises(ValidationError):
            model.model_validate({})


def test_route_examples_fit_their_models():
    seen = set()
    for route in [*read.router.routes, *check.router.routes, *write.router.routes, *admin.router.routes]:
        assert isinstance(route, APIRoute)
        for status, response in route.responses.items():
            example = response.get("content", {}).get("application/json", {}).get("example")
            if example is not None:
                model = response.get("model") or route.response_model
                assert model.model_validate(example).to_dict() == as_json(example), (route.path, status)
                seen.add((*route.methods, route.path, int(status)))
    assert len(seen) == len(ANSWERS) + 1


def test_a_result_dumps_only_what_it_was_given_and_keeps_what_it_does_not_declare():
    body = {"query": "q", "restored_query": None, "results": [], "later": {"a": 1}}
    typed = results.SearchResult.model_validate(body)
    assert typed.to_dict() == body  # no "mode": null added, "later" kept
    assert undeclared(typed) == ["$.later"]
    with pytest.raises(ValidationError):
        results.SearchResult.model_validate({"query": "q", "results": []})  # restored_query is always given
    with pytest.raises(ValidationError):
        results.Health.model_validate({"status": "ok", "index_loaded": True, "counts": {}, "model": None,
                                       "rows": 0, "writes_enabled": False})  # fmt: skip


def test_what_the_core_adds_is_kept_what_it_leaves_out_is_not_invented_and_a_wrong_shape_is_a_500(
    app_without_data, monkeypatch
):
    from fastapi.testclient import TestClient

    eng, c = app_without_data.state.engine, TestClient(app_without_data, raise_server_exceptions=False)
    hit = {"chunk_id": "d#1", "doc_id": "d", "doc_number": None, "doc_title": None, "section": "1", "text": "…",
           "page": None, "score": 1.5, "citation": "Mục 1", "new_field": {"b": 2}}  # fmt: skip
    given = {"query": "x", "restored_query": None, "results": [hit], "later": [1, {"a": None}]}
    monkeypatch.setattr(eng, "search", lambda *a, **k: given)
    r = c.get("/search", params={"q": "x"})
    assert r.status_code == 200 and r.json() == given  # no "mode": null added; fields it does not type kept
    broken = {"agencies": [{"name": 1, "key": "k", "variants": [], "tasks": 1}]}
    monkeypatch.setattr(eng, "agencies", lambda: broken)
    r = c.get("/agencies")  # a name that is not a string: the answer breaks its schema, it is not sent
    assert r.status_code == 500 and r.headers["content-type"].startswith("application/problem+json")
    assert "Traceback" not in r.text


# ------------------------------------------------------------------ real answers on a small home
@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from fastapi.testclient import TestClient

    folder = tmp_path_factory.mktemp("docs")
    home = indexed_home(tmp_path_factory.mktemp("home"), [seed_excerpt(folder), nd20_opening(folder)])
    with TestClient(create_app(Settings(home=home, api_token=TOKEN))) as c:
        yield c


QUESTIONS = {
    "lead": "Cơ quan nào chủ trì tổ chức hội nghị tuyên truyền về Cộng đồng Văn hóa - Xã hội ASEAN?",
    "unaccented": "co quan nao chu tri giam ngheo",
    "reference": "văn bản nào quy định trợ cấp xã hội hàng tháng",
    "amount": "Người khuyết tật đặc biệt nặng được trợ cấp xã hội hằng tháng bao nhiêu tiền?",
    "scope": "Ở Khánh Hòa, cơ quan nào chủ trì giảm nghèo?",
    "unknown-place": "Ở Quảng Ngãi, cơ quan nào chủ trì giảm nghèo?",
    "cited-only": "Quyết định 161/QĐ-TTg do cơ quan nào ban hành?",
    "named": "Nghị định 20/2021/NĐ-CP có hiệu lực từ ngày nào?",
}
DRAFT = (
    "Căn cứ Nghị định số 20/2021/NĐ-CP ngày 15/4/2021 của Chính phủ quy định chính sách trợ giúp xã hội đối với "
    "đối tượng bảo trợ xã hội;\nKhoản 1 Điều 5 Nghị định số 20/2021/NĐ-CP ngày 15/3/2021 của Chính phủ;\nĐiều 99 "
    "Nghị định số 20/2021/NĐ-CP ngày 15/3/2021 của Chính phủ;\nLuật Người cao tuổi số 39/2009/QH12 ngày 23/11/2009;"
    "\nQuyết định số 161/QĐ-TTg ngày 25/01/2016 của Thủ tướng Chính phủ;\nNghị định số 136/2013/NĐ-CP ngày "
    "21/10/2013 của Chính phủ;\nQuyết định số 999/QĐ-UBND ngày "
    "01/01/2020 của UBND tỉnh Gia Lai.\n"
)


def _page(eng, offset: int, limit: int) -> dict[str, Any]:
    rows = eng.documents()
    return {"documents": rows[offset : offset + limit], "total": len(rows), "offset": offset, "limit": limit}


# (what, GET path, query, the model, the core's own answer)
READS = [
    ("search", "/search", {"q": "trợ cấp xã hội hằng tháng", "k": 5}, results.SearchResult,
     lambda e: e.search("trợ cấp xã hội hằng tháng", k=5)),
    ("search-lexical", "/search", {"q": "tro giup xa hoi", "k": 3, "mode": "lexical", "type": "Nghị định"},
     results.SearchResult, lambda e: e.search("tro giup xa hoi", k=3, mode="lexical", doc_type="Nghị định")),
    ("search-in-a-document", "/search", {"q": "giảm nghèo", "doc": "1212/KH-UBND"}, results.SearchResult,
     lambda e: e.search("giảm nghèo", doc="1212/KH-UBND")),
    ("documents", "/documents", {}, results.DocumentPage, lambda e: _page(e, 0, 50)),
    ("documents-page", "/documents", {"offset": 1, "limit": 1}, results.DocumentPage, lambda e: _page(e, 1, 1)),
    ("document-plan", "/documents/1212/KH-UBND", {}, results.DocumentInfo, lambda e: e.document_info("1212/KH-UBND")),
    ("document-law", "/documents/20/2021/ND-CP", {}, results.DocumentInfo, lambda e: e.document_info("20/2021/ND-CP")),
    ("unit", "/documents/1212/KH-UBND/units/III.2", {}, results.UnitText, lambda e: e.unit("1212/KH-UBND", "III.2")),
    ("tasks", "/tasks", {}, results.TaskList, lambda e: e.tasks()),
    ("tasks-of-an-agency", "/tasks", {"agency": "So LDTBXH"}, results.TaskList, lambda e: e.tasks("So LDTBXH")),
    ("references", "/references", {}, results.ReferenceList, lambda e: e.references()),
    ("references-of-a-number", "/references", {"number": "161/QD-TTg"}, results.ReferenceList,
     lambda e: e.references("161/QD-TTg")),
    ("agencies", "/agencies", {}, results.AgencyList, lambda e: e.agencies()),
    ("validity", "/validity/136/2013/ND-CP", {"at": "2022-01-01"}, results.ValidityResult,
     lambda e: e.validity("136/2013/ND-CP", "2022-01-01")),
    ("validity-in-force", "/validity/20/2021/NĐ-CP", {}, results.ValidityResult, lambda e: e.validity("20/2021/NĐ-CP")),
    ("search-in-force", "/search", {"q": "trợ giúp xã hội", "k": 3, "in_force": "2022-01-01"}, results.SearchResult,
     lambda e: e.search("trợ giúp xã hội", k=3, in_force="2022-01-01")),
    ("report", "/report", {"agency": "So LDTBXH"}, results.Report, lambda e: e.report("So LDTBXH")),
    ("healthz", "/healthz", {}, results.Health, lambda e: e.health()),
    *((f"ask-{what}", "/ask", {"q": q}, results.AskResult, lambda e, q=q: e.ask(q)) for what, q in QUESTIONS.items()),
]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "query", "model", "core"), [pytest.param(*r[1:], id=r[0], marks=NEEDS_MODEL) for r in READS]
)
def test_each_answer_fits_its_model_and_is_the_cores_own(client, path, query, model, core):
    r = client.get(path, params=query)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json", r.text
    fits(model, r.json())
    assert r.json() == as_json(core(client.app.state.engine))


@pytest.mark.model
@pytest.mark.skipif(not (DEFAULT_MODEL / "onnx" / "export.json").exists(), reason="model not converted")
def test_the_answers_cover_every_part_of_the_models(client):
    """The answers above are not all alike: the optional parts of the ask and check models are exercised."""
    asked = {what: client.get("/ask", params={"q": q}).json() for what, q in QUESTIONS.items()}
    for who in ("lead", "unaccented"):
        assert asked[who]["kind"] == "lead_agency" and asked[who]["answer"]["lead"], asked[who]
    assert asked["reference"]["kind"] == "reference"
    assert any("unit_path" in ref for ref in asked["reference"]["answer"]["references"])
    assert "amount" in asked["amount"]["answer"]
    assert asked["scope"]["scope"]["documents"] and asked["unknown-place"]["scope"]["documents"] == []
    assert "policy_kind" not in asked["cited-only"]  # answered from citations: the key is left out, not null
    assert not any("scope" in asked[w] for w in ("lead", "reference", "amount", "cited-only", "named"))
    assert client.get("/search", params={"q": "giảm nghèo"}).json()["mode"] == "hybrid"
    health = client.get("/healthz").json()
    assert health["dense"]["ready"] and health["dense"]["total"] == health["rows"] > 0


@pytest.mark.model
@pytest.mark.skipif(not (DEFAULT_MODEL / "onnx" / "export.json").exists(), reason="model not converted")
def test_check_answers_fit_their_model_and_are_the_cores_own(client):
    r = client.post("/check", json={"text": DRAFT})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json", r.text
    typed = fits(results.CheckResult, r.json())
    assert r.json() == as_json(client.app.state.engine.check(limit_draft(DRAFT)))
    statuses = {f.status for f in typed.findings}
    assert {"ok", "problem", "unverifiable"} <= statuses, statuses
    assert {f.unit.status for f in typed.findings if f.unit} >= {"found"}
    assert any(f.known for f in typed.findings) and any(f.known is None for f in typed.findings)
    expired = [p for f in typed.findings for p in f.problems if p.code == "expired"]
    assert expired and expired[0].evidence["citation"].startswith(
        "Khoản 2 Điều 38 Nghị định số 20/2021/NĐ-CP"
    )
    files = client.post("/check", files={"file": ("du-thao.md", DRAFT.encode())})
    assert files.status_code == 200 and files.json() == r.json()


@pytest.mark.model
@pytest.mark.skipif(not (DEFAULT_MODEL / "onnx" / "export.json").exists(), reason="model not converted")
def test_upload_answers_fit_their_models(client):
    sent = {"file": ("ke-hoach-7.md", SMALL_PLAN.encode())}
    new = client.post("/documents", files=sent, headers=AUTH)
    assert new.status_code == 201, new.text
    assert new.headers["location"] == f"/documents/{new.json()['doc_id']}"
    typed = fits(results.UploadResult, new.json())
    assert typed.index is not None and typed.index.added_docs == 1 and typed.number == "7/KH-UBND"
    again = client.post("/documents", files=sent, headers=AUTH)
    assert again.status_code == 200 and "location" not in again.headers, again.text
    fits(results.DocumentSummary, again.json())
    assert again.json() == {k: v for k, v in new.json().items() if k != "index"}
    assert client.delete(f"/documents/{typed.doc_id}", headers=AUTH).status_code == 204
