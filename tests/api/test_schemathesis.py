"""Schemathesis over the app's own OpenAPI schema, in process: every operation, fed the schema's examples,
boundary values and fuzzed (also invalid) input, never answers a server error, answers only the status codes,
media types and shapes its schema documents, and every error is RFC 9457 problem+json with a Vietnamese detail.
Writes are sent without and with the token; a fixture document a fuzzed DELETE removes is put back at once, so
the operations after it still find it. A small fixed budget (15 examples an operation, derandomized): under a
minute."""

from __future__ import annotations

import re

import pytest

from conftest import indexed_home, nd20_opening, seed_excerpt
from tracuu.index.embed import DEFAULT_MODEL

pytestmark = pytest.mark.skipif(
    not (DEFAULT_MODEL / "onnx" / "export.json").exists(), reason="model not converted: run `make model`"
)
schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tracuu.api.http import create_app  # noqa: E402
from tracuu.core.settings import Settings  # noqa: E402
from tracuu.ingest.pipeline import ingest_file  # noqa: E402

TOKEN = "bi-mat-fuzz"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
VIETNAMESE = re.compile("[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.I)
WRITES = {("POST", "/documents"), ("DELETE", "/documents/{ref}")}


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("docs")
    return [seed_excerpt(folder), nd20_opening(folder, until="Chương II")]


@pytest.fixture(scope="module")
def app(tmp_path_factory, docs):
    home = indexed_home(tmp_path_factory.mktemp("home"), docs)
    return create_app(Settings(home=home, api_token=TOKEN, max_file_mb=0.01))


# The schema is the app's own, read at import without a data folder; the cases go to the module's `app`.
# (`schemathesis.pytest.from_fixture` would load it from the fixture, but 4.32 does not run under pytest 9.)
schema = schemathesis.openapi.from_dict(create_app(Settings(home="/nonexistent")).openapi())


def is_problem(response) -> None:
    """An error as the API promises it: problem+json, its status in the body, a Vietnamese detail."""
    assert response.headers["content-type"][0].startswith("application/problem+json"), response.text
    body = response.json()
    assert {"type", "title", "status", "detail", "instance"} <= set(body), body
    assert body["status"] == response.status_code and VIETNAMESE.search(body["detail"]), body
    assert "Traceback" not in response.text


def restore(app, docs) -> None:
    """Put back the fixture documents a DELETE removed (their vectors are still cached: no embedding)."""
    eng = app.state.engine
    with eng.store() as store:
        gone = [path for path in docs if store.find(str(path)) is None]
    for path in gone:
        parsed = ingest_file(path)
        eng.write(lambda store, parsed=parsed: store.put(parsed))


@schema.parametrize()
@settings(max_examples=15, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))  # fmt: skip
def test_no_server_errors_and_every_error_is_a_problem(case, app, docs):
    """One operation: its cases sent in process to the app over the small home, each response checked."""
    write = (case.method.upper(), case.operation.path) in WRITES
    for headers in ({}, AUTH) if write else ({},):
        response = case.call(app=app, headers=headers)
        case.validate_response(response, checks=CHECKS)
        if response.status_code >= 400:
            is_problem(response)
        elif write and not headers:
            pytest.fail(f"{case.method} {case.formatted_path} succeeded without the token")
    if write and case.method.upper() == "DELETE":
        restore(app, docs)
