"""The HTTP API on a real small home (the seed plan and the opening of Nghị định 20/2021, e5 model):
the CLI's JSON contracts, Vietnamese problem+json errors, token-guarded writes, searches during a write."""

from __future__ import annotations

import shutil
import threading
from datetime import datetime

import pytest

from conftest import SEED, SMALL_PLAN, nd20_opening, product_store, saved_index
from hostile import W_NS
from tracuu.index.embed import DEFAULT_MODEL, Embedder
from tracuu.index.search import Searcher, index_dir, sync
from tracuu.ingest.pipeline import ingest_file

pytestmark = pytest.mark.skipif(
    not (DEFAULT_MODEL / "onnx" / "export.json").exists(), reason="model not converted: run `make model`"
)

from fastapi.testclient import TestClient  # noqa: E402

from tracuu.api.http import create_app  # noqa: E402
from tracuu.core.settings import Settings  # noqa: E402

TOKEN = "bi-mat"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
LIMIT_MB = 0.01  # about 10 KB: the oversize tests stay small
LEAD = "Sở Lao động - Thương binh và Xã hội"
QUESTION = "Cơ quan nào chủ trì thực hiện chính sách trợ giúp xã hội hàng tháng cho đối tượng bảo trợ xã hội?"
ND20_QUERY = {"q": "trợ cấp xã hội hằng tháng người cao tuổi", "k": 5, "type": "Nghị định"}
PLAN_QUERY = {"q": "trợ giúp xã hội người khuyết tật", "k": 5, "type": "Kế hoạch"}
PLAN = SMALL_PLAN


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    store = product_store(home)
    for path in (SEED, nd20_opening(tmp_path_factory.mktemp("docs"))):
        store.put(ingest_file(path))
    saved_index(store, home, Embedder(DEFAULT_MODEL))
    store.close()
    settings = Settings(home=home, api_token=TOKEN, max_file_mb=LIMIT_MB)
    with TestClient(create_app(settings)) as c:
        yield c


def is_problem(r, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert {"type", "title", "status", "detail", "instance"} <= set(body) and body["status"] == status
    assert "Traceback" not in r.text
    return body


def upload(client, name: str, data: bytes, headers=AUTH):
    return client.post("/documents", files={"file": (name, data)}, headers=headers)


def test_search_returns_the_passage_and_its_citation(client):
    r = client.get("/search", params=ND20_QUERY)
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["query"] == ND20_QUERY["q"] and len(data["results"]) == 5
    top = data["results"][0]
    assert top["doc_number"] == "20/2021/NĐ-CP" and "Điều" in top["section"]
    assert top["citation"].endswith("Nghị định số 20/2021/NĐ-CP ngày 15/3/2021 của Chính phủ")


def test_unaccented_query_is_restored(client):
    data = client.get("/search", params={"q": "co quan nao chu tri giam ngheo", "k": 5}).json()
    assert data["restored_query"].startswith("cơ quan nào chủ trì")
    assert any("giảm nghèo" in h["text"] for h in data["results"])


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"q": "giảm nghèo", "k": 0}, "'k' phải lớn hơn hoặc bằng 1"),
        ({"q": "giảm nghèo", "k": 101}, "'k' phải nhỏ hơn hoặc bằng 100"),
        ({"q": ""}, "'q' không được để trống"),
        ({"q": "?!;"}, "'q' trống"),
        ({"q": "x" * 1001}, "dài quá 1000 ký tự"),
        ({"q": "giảm nghèo", "mode": "magic"}, "'mode' phải là một trong"),
        ({"q": "giảm nghèo", "type": "Sắc lệnh"}, "không có trong kho"),
        ({"q": "giảm nghèo", "k": "nhiều"}, "phải là số nguyên"),
        ({}, "thiếu tham số bắt buộc 'q'"),
    ],
)
def test_bad_parameters_are_vietnamese_problems(client, params, needle):
    assert needle in is_problem(client.get("/search", params=params), 422)["detail"]


def test_unknown_documents_and_routes_are_404(client):
    assert "không có văn bản" in is_problem(client.get("/documents/khong-co"), 404)["detail"].lower()
    is_problem(client.get("/search", params={"q": "giảm nghèo", "doc": "khong-co"}), 404)
    is_problem(client.get("/documents/1212/KH-UBND/units/IX.9"), 404)
    is_problem(client.get("/tasks", params={"doc": "khong-co"}), 404)
    is_problem(client.get("/khong-co-duong-dan"), 404)


def test_documents_paging_and_filters(client):
    full = client.get("/documents").json()
    assert full["total"] == len(full["documents"]) >= 2
    page = client.get("/documents", params={"offset": 1, "limit": 1}).json()
    assert page["documents"] == full["documents"][1:2] and (page["offset"], page["limit"]) == (1, 1)
    plans = client.get("/documents", params={"type": "Ke hoach", "year": 2021}).json()
    assert [d["number"] for d in plans["documents"]] == ["1212/KH-UBND"]
    assert {"doc_id", "number", "type", "date", "issuer", "title", "units", "chunks"} <= set(
        plans["documents"][0]
    )
    is_problem(client.get("/documents", params={"limit": 0}), 422)


def test_document_has_outline_and_cites(client):
    data = client.get("/documents/1212/KH-UBND").json()  # by number, slash and all
    assert data["number"] == "1212/KH-UBND" and data["units"] == len(data["outline"]) > 0
    assert any(u["path"] == "III.2" for u in data["outline"])
    assert "161/QĐ-TTg" in {c["number"] for c in data["cites"]}
    nd20 = next(c for c in data["cites"] if c["number"] == "20/2021/NĐ-CP")
    assert nd20["in_corpus"]
    cited_by = client.get(f"/documents/{nd20['doc_id']}").json()["cited_by"]
    assert data["doc_id"] in {c["doc_id"] for c in cited_by}


def test_unit_text_and_citation(client):
    doc_id = client.get("/documents/1212/KH-UBND").json()["doc_id"]
    unit = client.get(f"/documents/{doc_id}/units/III.2").json()
    assert "Sở Lao động" in unit["text"] and unit["path"] == "III.2"
    assert unit["citation"].startswith("Mục III.2, Kế hoạch số 1212/KH-UBND")


def test_tasks_by_unaccented_abbreviation(client):
    tasks = client.get("/tasks", params={"agency": "So LDTBXH"}).json()["tasks"]
    assert tasks and all(t["lead"] == LEAD and t["leads"][0] == LEAD for t in tasks)
    assert all("1212/KH-UBND" in t["citation"] for t in tasks)


def test_references_and_agencies(client):
    refs = client.get("/references", params={"number": "161/QD-TTg"}).json()
    assert refs["references"] and refs["references"][0]["number"] == "161/QĐ-TTg"
    assert not refs["references"][0]["in_corpus"] and refs["references"][0]["cited_in"]
    names = [a["name"] for a in client.get("/agencies").json()["agencies"]]
    assert LEAD in names


def test_ask_names_the_lead_with_evidence(client):
    data = client.get("/ask", params={"q": QUESTION}).json()
    assert (
        data["kind"] == "lead_agency" and data["answer"]["lead"] == LEAD and data["answer"]["leads"] == [LEAD]
    )
    assert data["evidence"] and "1212/KH-UBND" in data["evidence"][0]["citation"]
    is_problem(client.get("/ask", params={"q": "   "}), 422)


def test_healthz(client):
    data = client.get("/healthz").json()
    assert data["status"] == "ok" and data["index_loaded"] and data["rows"] > 0
    assert data["counts"]["documents"] >= 2 and data["model"].startswith("multilingual-e5-small")


def test_openapi_documents_every_route_and_parameter(client):
    spec = client.get("/openapi.json").json()
    for path, ops in spec["paths"].items():
        for op in ops.values():
            assert op.get("summary") and op.get("description"), path
            for p in op.get("parameters", []):
                assert p.get("description") and (p.get("schema", {}).get("examples") or p.get("examples")), (
                    path,
                    p,
                )


def test_writes_need_the_token(client, tmp_path):
    assert (
        "ghi bị tắt"
        in is_problem(
            TestClient(create_app(Settings(home=tmp_path))).post(
                "/documents", files={"file": ("a.txt", b"x")}
            ),
            403,
        )["title"]
    )
    is_problem(upload(client, "a.txt", PLAN.encode(), headers={}), 401)
    is_problem(upload(client, "a.txt", PLAN.encode(), headers={"Authorization": "Bearer sai"}), 401)
    is_problem(client.delete("/documents/1212/KH-UBND", headers={"Authorization": "Bearer sai"}), 401)


@pytest.mark.parametrize(
    ("name", "data", "needle"),
    [
        ("rong.txt", b"", "tệp rỗng"),
        ("gia.pdf", b"%PDF-1.4 garbage", "PDF"),
        ("sai-ma.txt", b"Ke hoach so 5 \xe0\xe1\xc3 abc", "UTF-8"),
        ("cp1258.txt", b"K\xea\xec ho\xb5ch ph\xe1t tri\xea\xd2n", "UTF-8"),
        ("nen.docx", b"PK\x03\x04 not really a zip", "DOCX"),
        (
            "mat.txt",
            ("ỦY BAN NHÂN DÂN\nTỈNH KHÁNH HÒA\nSố: 99/KH-UBND\n\nTỐI MẬT\n\n" + PLAN).encode(),
            "TỐI MẬT",
        ),
    ],
)
def test_bad_uploads_are_422_naming_the_file(client, name, data, needle):
    uploads = client.app.state.engine.uploads
    before = client.get("/documents").json()["total"], sorted(uploads.glob("*"))
    detail = is_problem(upload(client, name, data), 422)["detail"]
    assert detail.startswith(f"{name}:") and needle in detail
    assert (client.get("/documents").json()["total"], sorted(uploads.glob("*"))) == before  # nothing kept
    assert client.get("/search", params=ND20_QUERY).json()["results"][0]["doc_number"] == "20/2021/NĐ-CP"


def test_oversize_uploads_are_413(client):
    limit = int(LIMIT_MB * 1024 * 1024)
    is_problem(upload(client, "lon.txt", b"a" * (limit + 1)), 413)  # read in pieces, refused past the limit
    is_problem(upload(client, "rat-lon.txt", b"a" * (limit * 20)), 413)  # refused from Content-Length


def test_upload_search_delete(client):
    r = upload(client, "ke-hoach-7.txt", PLAN.encode())
    assert r.status_code == 201, r.text
    doc = r.json()
    assert doc["number"] == "7/KH-UBND" and doc["chunks"] > 0
    assert r.headers["location"] == f"/documents/{doc['doc_id']}"
    saved = list(client.app.state.engine.uploads.glob("ke-hoach-7-*.txt"))
    assert len(saved) == 1
    assert upload(client, "ke-hoach-7.txt", PLAN.encode()).status_code == 200  # the same file again
    hits = client.get("/search", params={"q": "nâng cấp mạng diện rộng", "k": 3}).json()["results"]
    assert hits[0]["doc_id"] == doc["doc_id"] and "Sở Thông tin và Truyền thông" in hits[0]["text"]
    assert client.delete(f"/documents/{doc['doc_id']}", headers=AUTH).status_code == 204
    hits = client.get("/search", params={"q": "nâng cấp mạng diện rộng", "k": 3}).json()["results"]
    assert all(h["doc_id"] != doc["doc_id"] for h in hits)
    is_problem(client.get(f"/documents/{doc['doc_id']}"), 404)
    assert not saved[0].exists()  # the uploaded copy went with it
    is_problem(client.delete(f"/documents/{doc['doc_id']}", headers=AUTH), 404)


def test_searches_during_writes_see_a_whole_index(client):
    """Searches in threads, with different filters, while a document is uploaded and deleted: every one
    answers from a complete index (k results of its filter, the same top passage), none fails, and some
    ran while the write held its lock."""
    lock = client.app.state.engine.write_lock
    queries = [ND20_QUERY, PLAN_QUERY]
    baseline = [client.get("/search", params=q).json()["results"][0]["chunk_id"] for q in queries]
    done, failures, during = threading.Event(), [], []

    def searching(turn: int):
        while not done.is_set():
            turn += 1
            q = queries[turn % 2]
            r = client.get("/search", params=q)
            during.append(lock.locked())
            hits = r.json().get("results") if r.status_code == 200 else None
            if (
                not hits
                or len(hits) != q["k"]
                or hits[0]["chunk_id"] != baseline[turn % 2]
                or any(h["doc_type"] != q["type"] for h in hits)
            ):
                failures.append(
                    (r.status_code, q["type"], [(h["chunk_id"], h["doc_type"]) for h in hits or []])
                )

    readers = [threading.Thread(target=searching, args=(n,)) for n in range(4)]
    for t in readers:
        t.start()
    try:
        r = upload(client, "ke-hoach-8.txt", PLAN.replace("7/KH-UBND", "8/KH-UBND").encode())
        assert r.status_code == 201, r.text
        assert client.delete(f"/documents/{r.json()['doc_id']}", headers=AUTH).status_code == 204
    finally:
        done.set()
        for t in readers:
            t.join()
    assert not failures, failures[:3]
    assert sum(during) >= 3  # searches really overlapped the writes


def test_an_old_snapshot_skips_chunks_deleted_under_it(client):
    """A search that grabbed the index before a delete may name chunks the store no longer has: they are
    skipped, and the write never touched that snapshot (it synced a fresh copy)."""
    eng = client.app.state.engine
    plan = PLAN.replace("7/KH-UBND", "9/KH-UBND").encode()
    doc_id = upload(client, "ke-hoach-9.txt", plan).json()["doc_id"]
    old = eng.index
    eng.write(lambda store: store.delete(doc_id))
    assert eng.index is not old and doc_id in old.meta.docs and doc_id not in eng.index.meta.docs
    with eng.store() as store:
        hits = Searcher(store, old, eng.embedder()).search("nâng cấp mạng diện rộng", k=3)
    assert 0 < len(hits) < 3 and all(h.doc_id != doc_id for h in hits)  # its two chunks were skipped


def test_internal_errors_are_problems_without_traces(tmp_path, monkeypatch):
    import tracuu.core.app as core_app

    def broken(store):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(core_app, "agencies", broken)
    c = TestClient(create_app(Settings(home=tmp_path)), raise_server_exceptions=False)
    body = is_problem(c.get("/agencies"), 500)
    assert "secret" not in body["detail"]
    assert "chưa có chỉ mục" in is_problem(c.get("/search", params={"q": "giảm nghèo"}), 503)["title"]


# ---- citation checker and agency report ---------------------------------------------------------

WRONG = "Nghị định số 20/2021/NĐ-CP ngày 15/4/2021 của Chính phủ"
RIGHT = "Nghị định số 20/2021/NĐ-CP ngày 15/3/2021 của Chính phủ"
DRAFT = f"Căn cứ {WRONG} quy định chính sách trợ giúp xã hội đối với đối tượng bảo trợ xã hội;\n"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_check_finds_a_wrong_date_and_the_citation_to_use(client):
    r = client.post("/check", json={"text": DRAFT})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json", r.text
    data = r.json()
    assert set(data) == {
        "findings",
        "summary",
        "checked_at",
        "checked_at_source",
    }  # judged today: no header date
    assert data["checked_at_source"] == "today"
    [f] = data["findings"]
    assert f["text"] == WRONG and DRAFT[f["span"][0] : f["span"][1]] == WRONG
    assert [p["code"] for p in f["problems"]] == ["date_mismatch"]
    assert "15/3/2021" in f["problems"][0]["message"]
    assert f["citation"] == RIGHT and f["status"] == "problem" and f["in_corpus"] and f["in_catalog"]
    assert f["reference"]["number"] == "20/2021/NĐ-CP" and f["reference"]["date"] == "2021-04-15"
    assert data["summary"] == {"total": 1, "ok": 0, "problem": 1, "unverifiable": 0}


def test_check_a_correct_citation_has_no_problems(client):
    # longer than the upload limit (about 10 KB): a pasted draft has its own limit
    text = f"Căn cứ {RIGHT};\n" + "Nội dung báo cáo không viện dẫn văn bản nào.\n" * 400
    assert len(text.encode()) > LIMIT_MB * 1024 * 1024
    data = client.post("/check", json={"text": text}).json()
    assert [(f["text"], f["status"], f["problems"]) for f in data["findings"]] == [(RIGHT, "ok", [])]
    assert data["summary"]["ok"] == 1


def test_check_an_uploaded_markdown_draft(client):
    md = (f"# Dự thảo báo cáo\n\n- Căn cứ **{WRONG}**;\n- Căn cứ Kế hoạch số 1212/KH-UBND ngày 29/11/2021 của "
          "Ủy ban nhân dân tỉnh Khánh Hòa.\n")  # fmt: skip
    r = client.post("/check", files={"file": ("du-thao.md", md.encode())})
    assert r.status_code == 200, r.text
    found = {f["reference"]["number"]: f for f in r.json()["findings"]}
    assert found["20/2021/NĐ-CP"]["status"] == "problem" and found["20/2021/NĐ-CP"]["citation"] == RIGHT
    assert found["1212/KH-UBND"]["status"] == "ok" and found["1212/KH-UBND"]["in_corpus"]


def small_docx(*paragraphs: str) -> bytes:
    """A DOCX of just its three required parts: python-docx's own template is bigger than the test limit."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{escape(t)}</w:t></w:r></w:p>" for t in paragraphs)
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
        'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>",
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}"><w:body>{body}'
        "</w:body></w:document>",
    }  # fmt: skip
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, xml in parts.items():
            zf.writestr(name, xml)
    return buf.getvalue()


def test_check_an_uploaded_docx_draft_named_anything(client):
    import io

    import docx

    data = small_docx("DỰ THẢO", f"Căn cứ {WRONG};")
    r = client.post("/check", params={"format": "docx"}, files={"file": ("Dự thảo tờ trình.bin", data)})
    assert r.status_code == 200 and r.headers["content-type"] == DOCX, r.text  # a DOCX by its content
    assert r.headers["content-disposition"] == 'attachment; filename="du-thao-to-trinh-nhan-xet.docx"'
    back = docx.Document(io.BytesIO(r.content))
    assert [p.text for p in back.paragraphs if p.text] == ["DỰ THẢO", f"Căn cứ {WRONG};"]
    assert len(list(back.comments)) == 1


@pytest.mark.parametrize(
    ("name", "data", "needle"),
    [
        ("rong.md", b"", "tệp rỗng"),
        ("du-thao.pdf", b"%PDF-1.4 garbage", "TXT, Markdown, DOCX"),
        ("du-thao.txt", b"<html><body><p>Nghi dinh</p></body></html>", "HTML"),
        ("sai-ma.txt", b"Ke hoach so 5 \xe0\xe1\xc3 abc", "UTF-8"),
        ("nen.docx", b"PK\x03\x04 not really a zip", "DOCX"),
    ],
)
def test_check_bad_drafts_are_422_naming_the_file(client, name, data, needle):
    detail = is_problem(client.post("/check", files={"file": (name, data)}), 422)["detail"]
    assert detail.startswith(f"{name}:") and needle in detail


def test_check_limits_and_malformed_requests(client):
    limit = int(LIMIT_MB * 1024 * 1024)
    is_problem(client.post("/check", files={"file": ("lon.txt", b"a" * (limit + 1))}), 413)
    from tracuu.api.problems import MAX_DRAFT_BYTES

    is_problem(client.post("/check", json={"text": "a" * (MAX_DRAFT_BYTES + 1)}), 413)
    is_problem(client.post("/check", files={"tep": ("a.txt", b"abc")}), 422)
    is_problem(client.post("/check", json={"draft": DRAFT}), 422)
    is_problem(client.post("/check", content=b"{text", headers={"Content-Type": "application/json"}), 422)
    is_problem(client.post("/check", content=DRAFT.encode(), headers={"Content-Type": "text/plain"}), 415)
    is_problem(client.post("/check", params={"format": "pdf"}, json={"text": DRAFT}), 422)


def test_check_as_an_annotated_docx(client):
    import io

    import docx

    r = client.post("/check", params={"format": "docx"}, json={"text": DRAFT})
    assert r.status_code == 200 and r.headers["content-type"] == DOCX, r.text
    assert r.headers["content-disposition"] == 'attachment; filename="du-thao-nhan-xet.docx"'
    doc = docx.Document(io.BytesIO(r.content))
    comments = list(doc.comments)
    assert len(comments) == 1 and "15/3/2021" in comments[0].text and RIGHT in comments[0].text
    marked = [run.text for p in doc.paragraphs for run in p.runs if run.font.highlight_color is not None]
    assert marked == [WRONG]


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_check_an_empty_draft_is_a_problem(client, text):
    assert "Dự thảo trống" in is_problem(client.post("/check", json={"text": text}), 422)["detail"]


def test_report_as_json(client):
    r = client.get("/report", params={"agency": "So LDTBXH"})
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["agency"] == LEAD and data["agency_written"] == "So LDTBXH" and data["counts"]["lead"] > 0
    [plan] = [g for g in data["groups"] if "1212/KH-UBND" in g["doc_citation"]]
    iii2 = next(s for s in plan["sections"] if s["section"] == "III.2")
    assert iii2["tasks"] and all(t["role"] == "chủ trì" and t["lead"] == LEAD for t in iii2["tasks"])
    assert all(t["citation"].startswith("Mục III.2") and t["result"] == "" for t in iii2["tasks"])
    one = client.get("/report", params={"agency": "Sở LĐTBXH", "doc": "1212/KH-UBND"}).json()
    assert one["doc"] == plan["doc_id"] and one["counts"] == data["counts"]


def test_report_as_files(client):
    import io

    from openpyxl import load_workbook

    from tracuu.api.export import HEADERS

    r = client.get("/report", params={"agency": "So LDTBXH", "format": "xlsx"})
    assert r.status_code == 200 and r.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = "bao-cao-nhiem-vu-so-lao-dong-thuong-binh-va-xa-hoi"
    assert r.headers["content-disposition"] == f'attachment; filename="{name}.xlsx"'
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    counts = client.get("/report", params={"agency": "So LDTBXH"}).json()["counts"]
    assert rows[0] == HEADERS and len(rows) == 1 + counts["lead"] + counts["cooperating"]
    assert rows[1][:4] == (1, "Kế hoạch số 1212/KH-UBND", "III.2", "chủ trì") and rows[1][-1] is None
    csv = client.get("/report", params={"agency": "So LDTBXH", "format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv") and csv.content.startswith(b"\xef\xbb\xbf")
    md = client.get("/report", params={"agency": "So LDTBXH", "format": "md"})
    assert md.text.startswith("# Báo cáo kết quả thực hiện nhiệm vụ")
    assert md.headers["content-disposition"] == f'attachment; filename="{name}.md"'


def test_report_problems(client):
    body = is_problem(client.get("/report", params={"agency": "So LDTBXH", "doc": "khong-co"}), 404)
    assert "khong-co" in body["detail"]
    assert "Chưa nêu tên cơ quan" in is_problem(client.get("/report", params={"agency": " "}), 422)["detail"]
    assert "thiếu tham số bắt buộc 'agency'" in is_problem(client.get("/report"), 422)["detail"]
    is_problem(client.get("/report", params={"agency": "So LDTBXH", "format": "pdf"}), 422)


def test_security_headers_and_no_cors(client):
    page = client.get("/")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY" and page.headers["x-content-type-options"] == "nosniff"
    api = client.get("/healthz", headers={"Origin": "https://evil.example"})
    assert api.headers["referrer-policy"] == "no-referrer"
    assert "access-control-allow-origin" not in api.headers
    pre = client.options(
        "/search", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
    )
    assert "access-control-allow-origin" not in pre.headers


# ---- hostile and odd input, limits ----------------------------------------------------------------

ODD_QUERIES = [
    "của và là các những",  # stop words only
    "' OR 1=1 --",
    '"giảm nghèo',
    "giảm* nghèo",
    "NEAR(giảm nghèo",
    "100% hộ nghèo",
    "giảm\\nghèo",
    ";DROP TABLE documents;",
    "giảm\x00nghèo\x07\x1b[31m\x7f",  # control characters
    "giảm nghèo 🇻🇳😀",
    "\ufeffgiảm\u200bnghèo\u00ad",
]


@pytest.mark.parametrize("q", ODD_QUERIES)
def test_odd_queries_answer_normally(client, q):
    for path in ("/search", "/ask"):
        r = client.get(path, params={"q": q})
        assert r.status_code == 200 and r.headers["content-type"] == "application/json", r.text
    assert isinstance(r.json()["evidence"], list)
    assert client.get("/documents").json()["total"] >= 2  # ;DROP TABLE was text, nothing more


def test_nfd_and_undecodable_queries(client):
    import unicodedata

    nfc = "trợ giúp xã hội hàng tháng"
    top = client.get("/search", params={"q": nfc, "k": 3}).json()["results"]
    nfd = client.get("/search", params={"q": unicodedata.normalize("NFD", nfc), "k": 3}).json()["results"]
    assert [h["chunk_id"] for h in nfd] == [h["chunk_id"] for h in top]  # the same words, composed or not
    for url in ("/search?q=%ED%A0%80gi%E1%BA%A3m", "/ask?q=%FF%FEgi%E1%BA%A3m"):  # not UTF-8: replaced
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("q", "needle"),
    [
        ("", "'q' không được để trống"),
        ("  \t\n ", "'q' trống"),
        ("?!;.,:-()[]{}…", "'q' trống"),
        ('"', "'q' trống"),
        ("*", "'q' trống"),
        ("%", "'q' trống"),
        ("\x00", "'q' trống"),
        ("😀😀", "'q' trống"),
        ("giảm nghèo " * 910, "dài quá 1000 ký tự"),  # 10,010 characters
    ],
)
def test_empty_or_overlong_queries_are_422(client, q, needle):
    for path in ("/search", "/ask"):
        assert needle in is_problem(client.get(path, params={"q": q}), 422)["detail"]


def test_a_query_just_below_the_limit_is_answered_in_time(client):
    import time

    from tracuu.index.search import MAX_QUERY_CHARS

    q = ("co quan nao chu tri giam ngheo tro giup xa hoi " * 30)[:MAX_QUERY_CHARS]  # unaccented: restored too
    assert len(q) == MAX_QUERY_CHARS
    for path in ("/search", "/ask"):
        start = time.monotonic()
        r = client.get(path, params={"q": q})
        assert r.status_code == 200, r.text
        assert time.monotonic() - start < 20
    assert r.json()["kind"] == "lead_agency"


def test_searcher_takes_any_text(client):
    eng = client.app.state.engine
    with eng.store() as store:
        searcher = eng.searcher(store)
        assert searcher.search("") == [] and searcher.search(" ?!; ") == []
        assert len(searcher.search("giảm nghèo " * 1000, k=3)) == 3  # cut to MAX_QUERY_CHARS
        for q in ODD_QUERIES:
            assert len(searcher.search(q, k=3, mode="lexical")) <= 3


def test_paths_cannot_leave_the_data_folder(client):
    from pathlib import Path

    for url in (
        "/documents/..%2F..%2Fetc%2Fpasswd",
        "/documents/%2e%2e/%2e%2e/etc/passwd",  # reaches the app as /documents/../../etc/passwd
        "/documents/%2e%2e/%2e%2e/etc/passwd/units/x",
        "/documents/..%2F..%2Fetc%2Fpasswd/units/..%2F..%2Fetc%2Fshadow",
        "/documents/%2Fetc%2Fpasswd",
        "/web/..%2F..%2Fhttp.py",
        "/web/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    ):
        r = client.get(url)
        is_problem(r, 404)
        assert "root:" not in r.text and "import" not in r.text
    for url in ("/documents/%2e%2e/%2e%2e/etc/passwd", "/documents/..%2F..%2Fetc%2Fhosts"):
        is_problem(client.delete(url, headers=AUTH), 404)
    assert Path("/etc/passwd").exists() and Path("/etc/hosts").exists()


def test_uploads_land_in_the_uploads_folder_under_a_safe_name(client):
    import re
    from pathlib import Path

    eng = client.app.state.engine
    home = Path(eng.settings.home).resolve()
    names = ["../../evil.txt", "/tmp/tracuu-evil.txt", "..\\..\\evil.txt", "C:\\Windows\\evil.txt", "/", ".."]
    for n, name in enumerate(names, start=20):
        before = set(eng.uploads.glob("*"))
        r = upload(client, name, PLAN.replace("7/KH-UBND", f"{n}/KH-UBND").encode())
        assert r.status_code == 201, r.text
        [saved] = set(eng.uploads.glob("*")) - before
        assert saved.resolve().parent == eng.uploads.resolve()
        assert re.fullmatch(r"[a-z0-9-]+-[0-9a-f]{12}\.txt", saved.name), saved.name
        assert client.delete(f"/documents/{r.json()['doc_id']}", headers=AUTH).status_code == 204
        assert not saved.exists()
    for outside in (home.parent / "evil.txt", home.parent.parent / "evil.txt", Path("/tmp/tracuu-evil.txt")):
        assert not outside.exists()


def test_more_than_one_file_or_many_fields_are_400(client):
    eng = client.app.state.engine
    before = client.get("/documents").json()["total"], sorted(eng.uploads.glob("*"))
    two = [("file", ("a.txt", PLAN.encode())), ("file", ("b.txt", PLAN.encode()))]
    assert "quá nhiều tệp" in is_problem(client.post("/documents", files=two, headers=AUTH), 400)["detail"]
    assert "quá nhiều tệp" in is_problem(client.post("/check", files=two), 400)["detail"]
    fields = {f"f{i}": "x" for i in range(50)}
    r = client.post("/documents", files={"file": ("a.txt", PLAN.encode())}, data=fields, headers=AUTH)
    assert "quá nhiều trường" in is_problem(r, 400)["detail"]
    assert (client.get("/documents").json()["total"], sorted(eng.uploads.glob("*"))) == before


def test_uploads_beyond_the_concurrent_limit_are_429(client, monkeypatch):
    """Two uploads held in progress (their copy waits on an event): a third is refused at once with 429 and
    Retry-After; once they finish, uploads are taken again."""
    import tracuu.api.http.write as http

    eng = client.app.state.engine
    assert eng.settings.max_concurrent_uploads == 2  # the default
    entered, go, answers, receive = threading.Semaphore(0), threading.Event(), [], http.receive

    def held(*args):
        entered.release()
        assert go.wait(60)
        return receive(*args)

    def empty_upload():
        answers.append(upload(client, "rong.txt", b""))

    monkeypatch.setattr(http, "receive", held)
    uploads = [threading.Thread(target=empty_upload) for _ in range(2)]
    for t in uploads:
        t.start()
    try:
        assert entered.acquire(timeout=60) and entered.acquire(timeout=60)
        r = upload(client, "ke-hoach-30.txt", PLAN.replace("7/KH-UBND", "30/KH-UBND").encode())
        body = is_problem(r, 429)
        assert "TRACUU_MAX_CONCURRENT_UPLOADS" in body["detail"] and "gửi lại sau" in body["detail"]
        assert int(r.headers["retry-after"]) > 0
    finally:
        go.set()
        for t in uploads:
            t.join()
    assert sorted(a.status_code for a in answers) == [422, 422]  # the held ones ran on: empty files
    assert "tệp rỗng" in is_problem(upload(client, "rong.txt", b""), 422)["detail"]  # the slots are free


def test_stored_uploads_are_capped(client, monkeypatch):
    eng = client.app.state.engine
    monkeypatch.setattr(eng.settings, "max_uploads", 1)
    plan = {n: PLAN.replace("7/KH-UBND", f"{n}/KH-UBND").encode() for n in (31, 32)}
    first = upload(client, "ke-hoach-31.txt", plan[31])
    assert first.status_code == 201, first.text
    before = sorted(eng.uploads.glob("*"))
    body = is_problem(upload(client, "ke-hoach-32.txt", plan[32]), 409)
    assert body["detail"].startswith("ke-hoach-32.txt:") and "TRACUU_MAX_UPLOADS" in body["detail"]
    assert sorted(eng.uploads.glob("*")) == before  # nothing of it kept
    assert upload(client, "ke-hoach-31.txt", plan[31]).status_code == 200  # the same file again is no new one
    assert client.delete(f"/documents/{first.json()['doc_id']}", headers=AUTH).status_code == 204
    second = upload(client, "ke-hoach-32.txt", plan[32])
    assert second.status_code == 201, second.text
    assert client.delete(f"/documents/{second.json()['doc_id']}", headers=AUTH).status_code == 204


def test_the_token_is_never_logged_or_echoed(client, caplog, monkeypatch):
    import hmac
    import logging

    compared = []
    real = hmac.compare_digest
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: compared.append(1) or real(a, b))
    caplog.set_level(logging.DEBUG)
    wrong = "sai-ma-bi-mat-123"
    answers = [
        upload(client, "rong.txt", b"", headers=AUTH),  # the right token, a bad file: 422
        upload(client, "a.txt", PLAN.encode(), headers={"Authorization": f"Bearer {wrong}"}),
        upload(client, "a.txt", PLAN.encode(), headers={"Authorization": f"Bearer {TOKEN}x"}),
        client.delete("/documents/khong-co", headers=AUTH),
        client.delete("/documents/khong-co", headers={"Authorization": f"Bearer {wrong}"}),
        client.delete("/documents/khong-co", headers={"Authorization": f"Basic {TOKEN}"}),
        client.get("/search", params={"q": ""}, headers=AUTH),
    ]
    assert [r.status_code for r in answers] == [422, 401, 401, 404, 401, 401, 422]
    assert (
        len(compared) == 6
    )  # every bearer token was compared in constant time (the search's too: reads check it)
    for r in answers:
        seen = r.text + " ".join(f"{k}: {v}" for k, v in r.headers.items())
        assert TOKEN not in seen and wrong not in seen
    assert TOKEN not in caplog.text and wrong not in caplog.text


def test_deep_json_and_odd_content_length_are_not_500(client, tmp_path):
    """Two former 500s: JSON nested past the C stack (RecursionError) and a Content-Length of Unicode digits
    ("²".isdigit() is true, int("²") fails), which a lax server would pass on."""
    import anyio

    json_type = {"Content-Type": "application/json"}
    for body in (b"[" * 100_000, b'{"text": ' + b"{" * 100_000):
        r = client.post("/check", content=body, headers=json_type)
        assert "không phải JSON" in is_problem(r, 422)["detail"]

    async def post(path: str, length: str) -> int:
        scope = {"type": "http", "http_version": "1.1", "method": "POST", "path": path, "raw_path": path.encode(),
                 "root_path": "", "scheme": "http", "query_string": b"", "client": ("127.0.0.1", 1),
                 "server": ("testserver", 80), "headers": [(b"content-type", b"application/json"),
                                                          (b"content-length", length.encode("latin-1"))]}  # fmt: skip
        sent = []

        async def receive():
            return {"type": "http.request", "body": b'{"text": "a"}', "more_body": False}

        async def send(message):
            sent.append(message)

        await create_app(Settings(home=tmp_path))(scope, receive, send)
        return next(m["status"] for m in sent if m["type"] == "http.response.start")

    assert anyio.run(post, "/check", "²") == 200
    assert anyio.run(post, "/documents", "¹²") == 403  # writes are off in this app; no crash first


def doctored_zips() -> list[bytes]:
    """A DOCX whose central directory claims zip version 15.6, and one whose name is flagged UTF-8 but is not:
    zipfile raises NotImplementedError and UnicodeDecodeError, not BadZipFile."""
    data = small_docx("Kế hoạch")
    c = data.index(b"PK\x01\x02")  # the first central directory entry
    version = data[: c + 6] + bytes([156, 0]) + data[c + 8 :]
    flags = (int.from_bytes(data[c + 8 : c + 10], "little") | 0x800).to_bytes(2, "little")
    name = data[: c + 8] + flags + data[c + 10 : c + 47] + b"\xff" + data[c + 48 :]
    return [version, name]


def test_doctored_zips_are_422_not_500(client):
    """A former 500: the content sniffing only caught BadZipFile."""
    for data in doctored_zips():
        assert "không phải DOCX" in is_problem(upload(client, "hong.docx", data), 422)["detail"]
        checked = client.post("/check", files={"file": ("hong.docx", data)})
        assert "không phải DOCX" in is_problem(checked, 422)["detail"]


def test_characters_xml_forbids_still_give_word_and_excel_files(client):
    """A former 500: U+FFFE in a draft or an agency name could not be written into a .docx or .xlsx."""
    import io

    import docx

    for fmt in ("xlsx", "docx"):
        r = client.get("/report", params={"agency": "So LDTBXH\ufffe", "format": fmt})
        assert r.status_code == 200 and len(r.content) > 1000, r.text
    r = client.post("/check", params={"format": "docx"}, json={"text": f"Căn cứ {WRONG}\ufffe\uffff;"})
    assert r.status_code == 200, r.text
    back = docx.Document(io.BytesIO(r.content))
    assert [p.text for p in back.paragraphs if p.text] == [f"Căn cứ {WRONG}\ufffd\ufffd;"]
    assert len(list(back.comments)) == 1


def test_another_process_writes_and_the_server_follows(tmp_path, monkeypatch):
    """A write by another process (the CLI, another server worker) is seen without a restart; while that
    process holds the data directory's write lock an upload waits, then gets 503 with Retry-After."""
    import tracuu.core.app as core_app
    from conftest import indexed_home, seed_excerpt
    from tracuu.ops.lock import writer_lock

    home = indexed_home(tmp_path / "home", [seed_excerpt(tmp_path)])
    query = {"q": "nâng cấp mạng diện rộng của tỉnh", "k": 3, "mode": "lexical"}
    with TestClient(create_app(Settings(home=home, api_token=TOKEN))) as c:
        assert not any(
            h["doc_number"] == "7/KH-UBND" for h in c.get("/search", params=query).json()["results"]
        )
        plan = tmp_path / "ke-hoach-7.md"
        plan.write_text(PLAN, encoding="utf-8")
        indexed_home(home, [plan])  # as another process would: store, sync, save a new generation
        hits = c.get("/search", params=query).json()["results"]
        assert hits[0]["doc_number"] == "7/KH-UBND"
        monkeypatch.setattr(core_app, "WRITE_WAIT_S", 0.5)
        with writer_lock(home):
            r = upload(c, "ke-hoach-8.md", PLAN.replace("7/KH-UBND", "8/KH-UBND").encode())
            body = is_problem(r, 503)
        assert r.headers["Retry-After"] and "đang được ghi" in body["detail"]
        assert upload(c, "ke-hoach-8.md", PLAN.replace("7/KH-UBND", "8/KH-UBND").encode()).status_code == 201


def test_check_follows_the_store_after_an_upload(client):
    """The checker's catalog is kept between requests but rebuilt when the store changes."""
    draft = {"text": "Căn cứ Kế hoạch số 31/KH-UBND ngày 3/4/2023 của Ủy ban nhân dân tỉnh Phú Yên."}

    def in_corpus() -> bool:
        [finding] = client.post("/check", json=draft).json()["findings"]
        return finding["in_corpus"]

    assert not in_corpus() and not in_corpus()  # the second answer comes from the kept catalog
    r = upload(client, "ke-hoach-31.txt", PLAN.replace("7/KH-UBND", "31/KH-UBND").encode())
    assert r.status_code == 201, r.text
    try:
        assert in_corpus()
    finally:
        assert client.delete(f"/documents/{r.json()['doc_id']}", headers=AUTH).status_code == 204
    assert not in_corpus()


@pytest.mark.embedded_only  # a SQLite file replaced under the server
def test_thread_connections_follow_a_replaced_database_and_writes_get_their_own(tmp_path, seed_doc, nd20_doc):
    """Reads reuse a worker thread's SQLite connection, but a database file replaced under the server (the
    data folder deleted and re-ingested) is read afresh, and a write always lands in the current file;
    a store block opened inside another gets its own connection instead of ending the outer snapshot."""
    from tracuu.core.app import Tracuu

    home = tmp_path / "home"
    product_store(home).put(seed_doc)
    eng = Tracuu(Settings(home=home))
    with eng.store() as s:
        assert [d["doc_id"] for d in s.documents()] == [seed_doc.doc_id]
        with eng.store() as inner:  # nested: its own connection
            assert inner.conn is not s.conn
        assert s.conn.in_transaction  # the outer snapshot is still open
    shutil.rmtree(home)  # the folder deleted and built again while the server runs
    fresh = product_store(home)
    fresh.put(nd20_doc)
    fresh.close()
    with eng.store() as s:
        assert [d["doc_id"] for d in s.documents()] == [nd20_doc.doc_id]
    with eng.store(read=False) as s:
        s.put(seed_doc)
    assert {d["doc_id"] for d in product_store(home).documents()} == {seed_doc.doc_id, nd20_doc.doc_id}


@pytest.mark.embedded_only  # index files saved by hand, built by no model at all
def test_an_index_built_by_another_model_answers_lexical_searches_only(tmp_path, seed_doc):
    """Dense search refuses vectors from another model (503 index-mismatch, problem+json, in
    Vietnamese); BM25 does not depend on the model and still answers."""

    store = product_store(tmp_path)
    store.put(seed_doc)
    index, _ = sync(store, None, None)  # lexical only: built "by" no model at all
    index.save(index_dir(tmp_path))
    with TestClient(create_app(Settings(home=tmp_path))) as c:
        r = c.get("/search", params={"q": "phòng chống HIV"})
        assert r.status_code == 503 and r.headers["content-type"].startswith("application/problem+json")
        body = r.json()
        assert body["type"] == "/problems/index-mismatch" and "mô hình 'none'" in body["detail"]
        r = c.get("/search", params={"q": "phòng chống HIV", "mode": "lexical"})
        assert r.status_code == 200 and any("HIV" in h["text"] for h in r.json()["results"])


# ---- hardening: what a hostile client without (or with) the token could make the server do ----------------


@pytest.fixture(scope="module")
def roomy(client):
    """The same home served with an 8 MB upload limit (the hostile files are about 1–5 MB)."""
    home = client.app.state.engine.settings.home
    with TestClient(create_app(Settings(home=home, api_token=TOKEN, max_file_mb=8))) as c:
        yield c


def test_check_a_docx_whose_headers_lie_is_read_in_bounded_memory(roomy):
    """The probe's DOCX (headers: a 274-byte XML; stream: 1 GB) sent to the open /check: +1.7 to +2 GB of
    the server's memory per request before; now the declared XML only, in a few MB."""
    import tracemalloc

    from hostile import lying_docx

    tracemalloc.start()
    try:
        r = roomy.post("/check", files={"file": ("bom.docx", lying_docx(1024))})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert r.status_code == 200, r.text
    assert [f["text"] for f in r.json()["findings"]] == ["Kế hoạch số 12/KH-UBND"]  # the declared XML's text
    assert peak < 48 * 1024 * 1024, peak


def test_check_citation_floods_are_refused_with_a_clear_problem(client):
    """2,000 citations of one article took 50–60 s of a core; 500,000 × "1/A " gave a 126 MB answer. Both
    are refused (413, the limit named) before any citation is checked; a draft under the limit is fine."""
    cite = "Khoản 1 Điều 5 Bộ luật Dân sự số 91/2015/QH13 ngày 24/11/2015 của Quốc hội; "
    for text, said in ((cite * 2000, "hơn 1.000 trích dẫn"), ("1/A " * 500_000, "hơn 10.000 số hiệu")):
        r = client.post("/check", json={"text": text})
        body = is_problem(r, 413)
        assert body["type"] == "/problems/too-many-citations" and body["limit"] == 1000
        assert said in body["detail"] and "chia nhỏ" in body["detail"]
        assert len(r.content) < 2000
    under = client.post("/check", json={"text": f"Căn cứ {RIGHT};\n" * 300})
    assert under.status_code == 200 and under.json()["summary"] == {"total": 300, "ok": 300, "problem": 0,
                                                                    "unverifiable": 0}  # fmt: skip


def test_a_draft_has_one_text_limit_however_it_arrives(roomy):
    """The 2 MB draft limit held for pasted JSON only: the same text as a 3 MB .txt was checked. Now a file
    draft is held to it too (a plain-text file refused unread, a DOCX by its text), naming the file."""
    from hostile import docx_with_xml
    from tracuu.api.problems import MAX_DRAFT_BYTES

    text = "Nội dung báo cáo không viện dẫn văn bản nào. " * (3 * 1024 * 1024 // 48)
    assert len(text.encode()) > MAX_DRAFT_BYTES
    body = is_problem(roomy.post("/check", files={"file": ("du-thao.txt", text.encode())}), 413)
    assert body["detail"].startswith("du-thao.txt:") and "Dự thảo dài quá 2.0 MB" in body["detail"]
    is_problem(roomy.post("/check", json={"text": text}), 413)
    import random

    words = "ủy ban nhân dân tỉnh sở y tế chủ trì phối hợp kế hoạch nhiệm vụ năm triển khai báo cáo".split()
    pick = random.Random(0).choice
    lines = [" ".join(pick(words) for _ in range(2000)) for _ in range(250)]  # 2.6 MB of text, varied
    paragraphs = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in lines)
    xml = f'<?xml version="1.0"?><w:document {W_NS}><w:body>{paragraphs}</w:body></w:document>'.encode()
    data = docx_with_xml(xml)
    assert len(data) < 2 * 1024 * 1024 < len("".join(lines).encode())  # smaller as a file than as text
    body = is_problem(roomy.post("/check", files={"file": ("du-thao.docx", data)}), 413)
    assert body["detail"].startswith("du-thao.docx:")
    ok = roomy.post("/check", files={"file": ("ngan.txt", f"Căn cứ {RIGHT}.".encode())})
    assert ok.status_code == 200 and ok.json()["summary"]["ok"] == 1


def _asgi(app, method: str, path: str, headers: dict[str, str], pieces=(b"",)) -> tuple[int, dict, int]:
    """One request straight through the ASGI app, its body sent in `pieces` as the app asks for them: the
    status, the problem body and how many body bytes the app read."""
    import json

    import anyio

    pieces, read, sent = list(pieces), [0], []

    async def receive():
        if not pieces:
            return {"type": "http.disconnect"}
        piece = pieces.pop(0)
        read[0] += len(piece)
        return {"type": "http.request", "body": piece, "more_body": bool(pieces)}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "http_version": "1.1", "method": method, "path": path, "raw_path": path.encode(),
             "root_path": "", "scheme": "http", "query_string": b"", "client": ("127.0.0.1", 1),
             "server": ("testserver", 80),
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]}  # fmt: skip
    anyio.run(app, scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    payload = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], json.loads(payload or b"{}"), read[0]


def test_writes_are_refused_before_the_body_is_read(client):
    """Without the right token, or with every upload slot taken, an upload or a delete is answered from its
    headers alone: the app never asks for a byte of the body (a 200 MB chunked upload without the token was
    spooled to disk before its 401)."""
    app, eng = client.app, client.app.state.engine
    form = {"content-type": "multipart/form-data; boundary=x", "transfer-encoding": "chunked"}
    for auth in ({}, {"authorization": "Bearer sai"}, {"authorization": f"Basic {TOKEN}"}):
        assert _asgi(app, "POST", "/documents", {**form, **auth}, [b"x" * 1000])[::2] == (401, 0)
        assert _asgi(app, "DELETE", "/documents/1212/KH-UBND", auth)[::2] == (401, 0)
    sized = {**form, "content-length": str(100 * 1024 * 1024)}
    del sized["transfer-encoding"]
    assert _asgi(app, "POST", "/documents", sized)[::2] == (401, 0)
    taken = [eng.uploading.acquire(blocking=False) for _ in range(eng.settings.max_concurrent_uploads)]
    try:
        assert all(taken)
        status, problem, reads = _asgi(app, "POST", "/documents", {**form, **AUTH}, [b"x" * 1000])
        assert (status, reads) == (429, 0) and "TRACUU_MAX_CONCURRENT_UPLOADS" in problem["detail"]
    finally:
        for _ in taken:
            eng.uploading.release()
    assert client.get("/documents/1212/KH-UBND").status_code == 200  # nothing was deleted


def test_chunked_bodies_are_cut_at_the_upload_limit(client):
    """A body without Content-Length is counted as it arrives and refused past the limit, like one that
    states its length: the rest is never read, and nothing of it is kept."""
    eng = client.app.state.engine
    before = sorted(eng.uploads.glob("*"))
    limit = int(LIMIT_MB * 1024 * 1024)
    head = b'--x\r\nContent-Disposition: form-data; name="file"; filename="lon.txt"\r\n\r\n'
    pieces = [head, *[b"a" * 4096] * 1000, b"\r\n--x--\r\n"]  # 4 MB
    form = {**AUTH, "content-type": "multipart/form-data; boundary=x", "transfer-encoding": "chunked"}
    for path in ("/documents", "/check"):
        status, problem, read = _asgi(client.app, "POST", path, form, pieces)
        assert status == 413 and "TRACUU_MAX_FILE_MB" in problem["detail"], problem
        assert read <= limit + 65536 + 4096  # the limit, the form's room, one piece: not the 4 MB
    assert sorted(eng.uploads.glob("*")) == before


def test_ask_a_policy_question_names_the_unit_and_links_to_it(client):
    """The legal unit that holds the rule comes first in `references`, with its path; the page's link to it
    (GET /documents/{doc}/units/{path}) opens that unit; an amount is computed with its base cited."""
    data = client.get(
        "/ask", params={"q": "nguoi khuyet tat nang duoc huong tro cap xa hoi hang thang bao nhieu"}
    ).json()
    first = data["answer"]["references"][0]
    assert data["policy_kind"] == "amount" and first["in_corpus"] and "Điều 6" in first["unit"], data[
        "answer"
    ]
    assert (
        data["answer"]["amount"]["value"] == "540.000"
        and "Điều 4" in data["answer"]["amount"]["base_citation"]
    )
    unit = client.get(f"/documents/{first['doc_id']}/units/{first['unit_path']}")
    assert unit.status_code == 200 and "Hệ số 1,5" in unit.json()["text"], unit.text


def test_tasks_due_before_and_overdue(client):
    """The seed plan's "trước ngày 20/12/2021" tasks are due on the 19th: late on 2022-01-01, not on
    2021-12-01; its "định kỳ hàng năm" reports fall due at each year's end, late once 2021 ended unreported."""
    every = client.get("/tasks", params={"doc": "1212/KH-UBND"}).json()["tasks"]
    assert all("deadline_parsed" in t for t in every)
    fixed = [t for t in every if t["deadline"] == "trước ngày 20/12/2021"]
    assert len(fixed) >= 2 and all(t["deadline_parsed"]["due"] == "2021-12-19" for t in fixed)
    late = client.get("/tasks", params={"overdue": "true", "at": "2022-01-01"}).json()["tasks"]
    assert late and all(
        t["deadline_parsed"]["due"] < "2022-01-01" for t in late if t["deadline_parsed"]["due"]
    )
    assert {t["task"] for t in fixed} <= {t["task"] for t in late}
    yearly = [t for t in late if t["deadline_parsed"]["kind"] == "recurrence"]
    assert yearly and all(t["deadline_parsed"]["every"] == "year" for t in yearly)  # 2021 not reported done
    assert not client.get("/tasks", params={"overdue": "true", "at": "2021-12-01"}).json()["tasks"]
    soon = client.get("/tasks", params={"due_before": "2022-01-01", "at": "2021-12-01"}).json()["tasks"]
    assert {t["task"] for t in fixed} <= {t["task"] for t in soon}
    assert any(t["deadline_parsed"]["kind"] == "recurrence" for t in soon)  # due 31/12/2021
    dues = [
        t["deadline_parsed"]["due"] or "9999" for t in soon if t["deadline_parsed"]["kind"] != "recurrence"
    ]
    assert dues == sorted(dues)
    is_problem(client.get("/tasks", params={"overdue": "true", "at": "31/02/2022"}), 422)


def test_agency_calendar_opens_as_icalendar_with_real_recurrences(client):
    """Sở Y tế is a member of the group the seed plan gives its first tasks to: its calendar holds the
    "trước ngày 20/12/2021" deadline (due the 19th) and the "định kỳ hàng năm" report, a yearly rule that a
    calendar program expands to the last day of each year."""
    from dateutil.rrule import rrulestr
    from icalendar import Calendar

    r = client.get("/calendar/So Y te.ics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    assert r.text.startswith("BEGIN:VCALENDAR\r\n") and all(
        len(line.encode()) <= 75 for line in r.text.split("\r\n")
    )
    cal = Calendar.from_ical(r.content)
    events = list(cal.walk("VEVENT"))
    assert len({str(e["UID"]) for e in events}) == len(events) > 0
    once = [e for e in events if "RRULE" not in e]
    assert any(
        e.decoded("DTSTART").isoformat() == "2021-12-19" and "20/12/2021" in str(e["DESCRIPTION"])
        for e in once
    )
    yearly = [e for e in events if "RRULE" in e]
    assert yearly
    for e in yearly:
        start = e.decoded("DTSTART")
        rule = rrulestr(e["RRULE"].to_ical().decode(), dtstart=datetime.combine(start, datetime.min.time()))
        days = [d.date().isoformat() for d in rule[:3]]
        assert days == ["2021-12-31", "2022-12-31", "2023-12-31"] and "Sở Y tế" not in str(e["SUMMARY"])
    assert "Văn hóa - Xã hội" in str(events[0]["DESCRIPTION"])  # the group it leads as a member of
    body = is_problem(client.get("/calendar/So Khong Co.ics"), 404)
    assert "So Khong Co" in body["detail"]


def test_progress_recorded_with_history_and_late_no_more(client):
    """Progress on a yearly task of the seed plan: written with the token, the whole history kept, the
    standing record per period makes it not late, the agency report's "Kết quả thực hiện" filled; bad
    states, periods and ids refused in Vietnamese."""
    every = client.get("/tasks", params={"doc": "1212/KH-UBND"}).json()["tasks"]
    yearly = next(
        t for t in every if t["deadline"] == "định kỳ hàng năm" and t["lead"].startswith("Các đơn vị")
    )
    once = next(
        t for t in every if t["deadline"] == "trước ngày 20/12/2021" and t["lead"].startswith("Các đơn vị")
    )
    path = f"/tasks/{yearly['task_id']}/progress"
    is_problem(client.post(path, json={"state": "done", "period": "2023"}), 401)
    r = client.post(
        path, json={"state": "in_progress", "period": "2023", "note": "Đang tổng hợp"}, headers=AUTH
    )
    assert r.status_code == 201 and r.json()["recorded"]["state_vi"] == "đang thực hiện"
    late = {
        t["task_id"]
        for t in client.get("/tasks", params={"overdue": "true", "at": "2024-02-01"}).json()["tasks"]
    }
    assert yearly["task_id"] in late  # in progress is not done
    done = client.post(
        path, json={"state": "hoàn thành", "period": "2023", "note": "Đã báo cáo"}, headers=AUTH
    ).json()
    assert [e["state"] for e in done["history"]] == ["in_progress", "done"] and done["task"]["progress"][
        "state"
    ] == "done"
    late = {
        t["task_id"]
        for t in client.get("/tasks", params={"overdue": "true", "at": "2024-02-01"}).json()["tasks"]
    }
    assert yearly["task_id"] not in late and once["task_id"] in late
    assert client.get(path).json()["history"] == done["history"]
    listed = next(
        t
        for t in client.get("/tasks", params={"doc": "1212/KH-UBND"}).json()["tasks"]
        if t["task_id"] == yearly["task_id"]
    )
    assert listed["progress"]["note"] == "Đã báo cáo"
    report = client.get("/report", params={"agency": "So Y te"}).json()
    results = [
        t["result"]
        for g in report["groups"]
        for sec in g["sections"]
        for t in sec["tasks"]
        if t["task_id"] == yearly["task_id"]
    ]
    assert results == ["2023: hoàn thành — Đã báo cáo"]
    for body, needle in [({"state": "xong"}, "không hợp lệ"), ({"state": "done", "period": "2023-Q1"}, "2023"),
                         ({"state": "done", "period": "2099"}, "chưa bắt đầu"), ({"state": "done", "period": "2019"}, "trước ngày ban hành")]:  # fmt: skip
        assert needle in is_problem(client.post(path, json=body, headers=AUTH), 422)["detail"]
    one = f"/tasks/{once['task_id']}/progress"
    assert (
        "không định kỳ"
        in is_problem(client.post(one, json={"state": "done", "period": "2021"}, headers=AUTH), 422)["detail"]
    )
    assert client.post(one, json={"state": "done"}, headers=AUTH).json()["recorded"]["period"] is None
    is_problem(client.post("/tasks/khong-co~0000000000/progress", json={"state": "done"}, headers=AUTH), 404)
    is_problem(client.get("/tasks/khong-co/progress"), 404)


def test_audit_log_names_every_write_for_admins_only(client):
    """Uploads, deletes and progress are logged with who and from where; the log needs the token."""
    is_problem(client.get("/audit"), 401)
    r = upload(client, "nhat-ky.txt", ("KẾ HOẠCH\nGhi nhật ký kiểm tra\n\n" + PLAN).encode())
    assert r.status_code in (200, 201), r.text
    doc_id = r.json()["doc_id"]
    assert client.delete(f"/documents/{doc_id}", headers=AUTH).status_code == 204
    entries = client.get("/audit", headers=AUTH, params={"limit": 20}).json()["entries"]
    mine = [(e["action"], e["target"]) for e in entries]
    assert ("delete", doc_id) in mine and ("upload", doc_id) in mine
    assert mine.index(("delete", doc_id)) < mine.index(("upload", doc_id))  # newest first
    assert all(
        e["actor"] == "api-token" and e["origin"] == "testclient" for e in entries if e["target"] == doc_id
    )
    only = client.get("/audit", headers=AUTH, params={"action": "delete"}).json()["entries"]
    assert only and {e["action"] for e in only} == {"delete"}
    is_problem(client.get("/audit", headers=AUTH, params={"limit": 0}), 422)


def test_dashboard_counts_late_soon_and_done_per_lead(client):
    """The seed plan on 1 Dec 2021: its "trước ngày 20/12/2021" tasks are due soon; on 1 Jan 2022, late
    (listed with the day they fell due), and laws' duties are not counted."""
    before = client.get("/dashboard", params={"at": "2021-12-01"}).json()
    assert before["soon_days"] == 30 and sum(r["overdue"] for r in before["agencies"]) == 0
    soon = [t for r in before["agencies"] for t in r["due_soon_tasks"]]
    assert any(t["due"] == "2021-12-19" and "1212/KH-UBND" in t["citation"] for t in soon)
    after = client.get("/dashboard", params={"at": "2022-01-01"}).json()
    rows = {r["agency"]: r for r in after["agencies"]}
    district = rows["Ủy ban nhân dân các huyện, thị xã, thành phố"]
    assert district["overdue"] >= 1 and any(t["due"] == "2021-12-19" for t in district["overdue_tasks"])
    assert after["agencies"][0]["overdue"] >= after["agencies"][-1]["overdue"]  # most late first
    assert all(
        r["overdue"] + r["due_soon"] + r["done"] + r["no_due"] <= r["tasks"] for r in after["agencies"]
    )
    assert not any("Nghị định" in t["citation"] for r in after["agencies"] for t in r["overdue_tasks"])
    is_problem(client.get("/dashboard", params={"at": "hôm qua"}), 422)


def test_an_upload_tells_the_agencies_it_assigns_tasks_to(client):
    """A webhook for Sở Y tế (a real receiver on 127.0.0.1): an uploaded plan that gives it a task calls the
    webhook once, signed, in the background (the upload's answer does not wait for it)."""
    import time

    from receiver import Receiver

    hooks = Receiver()
    engine = client.app.state.engine
    secret = engine.add_webhook("Sở Y tế", hooks.url)["secret"]
    try:
        plan = ("ỦY BAN NHÂN DÂN\nTỈNH PHÚ YÊN\n\nSố: 41/KH-UBND\n\nPhú Yên, ngày 02 tháng 3 năm 2026\n\nKẾ HOẠCH\n"
                "Tiêm chủng bổ sung\n\n1. Sở Y tế chủ trì tổ chức tiêm chủng bổ sung cho trẻ em; hoàn thành "
                "trước ngày 30/6/2026.\n")  # fmt: skip
        r = upload(client, "ke-hoach-41.txt", plan.encode())
        assert r.status_code == 201, r.text
        for _ in range(100):
            if hooks.got:
                break
            time.sleep(0.1)
        events = hooks.events(secret)
        assert [e["event"] for e in events] == ["task.assigned"]
        assert events[0]["document"]["number"] == "41/KH-UBND" and events[0]["tasks"][0]["lead"] == "Sở Y tế"
        assert client.delete(f"/documents/{r.json()['doc_id']}", headers=AUTH).status_code == 204
    finally:
        engine.remove_webhook("Sở Y tế")
        hooks.server.shutdown()
