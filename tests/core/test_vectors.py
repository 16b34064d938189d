"""Serving without the wait: an index built lexical-first answers searches and questions at once, the
server's background fill computes the vectors a step at a time, and from then on search is hybrid and
ranks exactly as an index built with every vector at once. A large write embeds only TRACUU_EMBED_NOW
chunks before it answers."""

from __future__ import annotations

import time

import pytest

from conftest import nd20_opening, seed_excerpt
from tracuu.core import vectors
from tracuu.core.app import Tracuu
from tracuu.core.errors import VectorsPending
from tracuu.core.settings import Settings
from tracuu.index.embed import DEFAULT_MODEL
from tracuu.index.store import Store
from tracuu.ingest.pipeline import ingest_file

pytestmark = [
    pytest.mark.skipif(
        not (DEFAULT_MODEL / "onnx" / "export.json").exists(), reason="model not converted: run `make model`"
    ),
    pytest.mark.embedded_only,  # two data folders compared in one test; PostgreSQL's fill: test_backends_dense.py
]
QUERIES = ("co quan nao chu tri giam ngheo", "mức trợ cấp xã hội hằng tháng", "Nghị định 20/2021/NĐ-CP")


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("docs")
    return [ingest_file(seed_excerpt(folder)), ingest_file(nd20_opening(folder))]


def _home(tmp_path, docs, name: str):
    home = tmp_path / name
    store = Store.open(home)
    for doc in docs:
        store.put(doc)
    store.close()
    return home


def _wait_ready(app: Tracuu, timeout: float = 240) -> dict:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        dense = app.health()["dense"]
        if dense["ready"] and not app.fill.running:
            return dense
        assert dense["error"] is None, dense
        time.sleep(0.2)
    raise AssertionError(f"vectors not filled in {timeout} s: {app.health()['dense']}")


def test_lexical_first_answers_at_once_then_the_fill_makes_search_hybrid(tmp_path, docs, monkeypatch):
    monkeypatch.setattr(vectors, "FILL_STEP", 40)  # several steps, each a generation
    settings = {
        "quantize": "onnx"
    }  # int8 activations are scaled per batch: a step's vectors differ in the 3rd digit
    full = _home(tmp_path, docs, "full")
    with Tracuu(Settings(home=full, **settings)) as app:
        app.reindex()
        expected = {q: app.search(q, k=8) for q in QUERIES}
    assert all(r["mode"] == "hybrid" for r in expected.values())

    home = _home(tmp_path, docs, "first")
    with Tracuu(Settings(home=home, **settings)) as app:
        stats = app.reindex(lexical_first=True)
        chunks = sum(len(d.chunks) for d in docs)
        assert stats["embedded"] == 0 and stats["pending"] == chunks == stats["rows"]
        dense = app.health()["dense"]
        assert dense == {"ready": False, "embedded": 0, "total": chunks, "percent": 0.0, "running": False,
                         "error": None}  # fmt: skip
        early = app.search(QUERIES[0], k=8)
        assert early["mode"] == "lexical" and any("giảm nghèo" in h["text"] for h in early["results"])
        assert app.search(QUERIES[0], k=8, mode="lexical")["results"] == early["results"]
        with pytest.raises(
            VectorsPending, match=f"{chunks} trong {chunks} đoạn chưa có vector; chạy `tracuu index`"
        ):
            app.search(QUERIES[0], mode="dense")
        answer = app.ask("Cơ quan nào chủ trì giảm nghèo?")["answer"]
        assert answer["lead"] == "Sở Lao động - Thương binh và Xã hội"  # knowledge answers need no vectors

        generations = set()
        app.serve_in_background()
        while app.fill.running:
            generations.add(app.index.generation)
            time.sleep(0.05)
        dense = _wait_ready(app)
        assert dense["embedded"] == dense["total"] == chunks and dense["percent"] == 100.0
        assert len(generations) >= 2  # the share grew step by step, each step a generation readers saw
        for q in (
            QUERIES
        ):  # the same vectors (fp32: a text's vector does not depend on its batch), the same ranking
            got, want = app.search(q, k=8)["results"], expected[q]["results"]
            assert [h["chunk_id"] for h in got] == [h["chunk_id"] for h in want], q
            assert [h["score"] for h in got] == pytest.approx([h["score"] for h in want], abs=1e-4)
        assert app.reindex()["embedded"] == 0  # nothing left for `tracuu index` to embed


def test_a_large_write_embeds_only_what_it_must_before_answering(tmp_path, docs):
    home = _home(tmp_path, docs[:1], "write")
    with Tracuu(Settings(home=home, embed_now=10)) as app:
        app.reindex()
        app.serve_in_background()  # as the HTTP server does
        assert not app.fill.running  # nothing waits

        _, stats = app.write(lambda store: store.put(docs[1]))
        assert stats["embedded"] == 10 and stats["pending"] == len(docs[1].chunks) - 10
        filtered = app.search("trợ cấp xã hội", doc="1212/KH-UBND")
        assert filtered["mode"] == "hybrid"  # the plan's rows all have vectors: hybrid there at once
        _wait_ready(app)
        assert app.search("trợ cấp xã hội")["mode"] == "hybrid"


def _embedded_by_doc(app: Tracuu) -> dict[str, tuple[int, int]]:
    """Per document: rows with their vector, rows in all."""
    index, out = app.index, {}
    for row, doc in enumerate(index.meta.row_doc):
        if index.alive[row]:
            done, total = out.get(doc, (0, 0))
            out[doc] = (done + int(index.embedded[row]), total + 1)
    return out


def test_a_write_during_the_fill_embeds_its_own_rows_not_the_waiting_ones(tmp_path, docs):
    """An upload while rows wait: its own first chunks are embedded before it answers, no waiting row of
    another document costs it time (those are the fill's), and a delete embeds nothing."""
    home = _home(tmp_path, docs[:1], "during")
    with Tracuu(Settings(home=home)) as app:
        app.reindex(lexical_first=True)
        old = docs[0].doc_id
        _, stats = app.write(lambda store: store.put(docs[1]), embed_limit=10)
        assert stats["embedded"] == 10 and stats["filled"] == 0
        assert _embedded_by_doc(app) == {
            old: (0, len(docs[0].chunks)),
            docs[1].doc_id: (10, len(docs[1].chunks)),
        }
        _, stats = app.write(lambda store: store.delete(docs[1].doc_id), embed_limit=10)
        assert stats["embedded"] == 0 and stats["pending"] == len(docs[0].chunks)
        with pytest.raises(VectorsPending, match="chạy `tracuu index`"):  # nothing fills in a CLI process
            app.search("trợ cấp", mode="dense")


def test_a_long_writer_elsewhere_delays_the_fill_without_stopping_it(tmp_path, docs, monkeypatch):
    """Another process holds the write lock (a long `tracuu ingest`) for longer than a step waits: the fill
    waits, tries again, and finishes; /healthz never shows an error that no longer holds."""
    import subprocess
    import sys

    monkeypatch.setattr(vectors, "STEP_LOCK_WAIT_S", 0.2)
    home = _home(tmp_path, docs[:1], "busy")
    with Tracuu(Settings(home=home)) as app:
        app.reindex(lexical_first=True)
        holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom tracuu.ops.lock import writer_lock\n"
                                   f"with writer_lock({str(home)!r}):\n    print('held', flush=True)\n    time.sleep(4)"],
                                  stdout=subprocess.PIPE, text=True)  # fmt: skip
        assert holder.stdout.readline().strip() == "held"
        app.serve_in_background()
        time.sleep(1.5)
        assert app.fill.running and not app.health()["dense"]["ready"]  # waiting, not given up
        holder.wait(30)
        dense = _wait_ready(app)
        assert dense["error"] is None and dense["percent"] == 100.0


def test_doctor_reports_rows_without_vectors_and_repair_embeds_them(tmp_path, docs):
    home = _home(tmp_path, docs[:1], "doctor")
    with Tracuu(Settings(home=home)) as app:
        app.reindex(lexical_first=True)
        found = app.doctor()
        assert not found["ok"] and [f["code"] for f in found["findings"]] == ["vectors-pending"]
        repaired = app.doctor(repair=True)
        assert repaired["ok"] and [f["code"] for f in repaired["repaired"]] == ["vectors-pending"]
        assert app.index.pending == 0 and app.search("giảm nghèo")["mode"] == "hybrid"
