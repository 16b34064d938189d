"""Hybrid search on PostgreSQL: vectors in a pgvector column, BM25 in SQL, fused as on SQLite + faiss —
the same answers — and a lexical-first index in the database gets its vectors from the server's
background fill, as the data folder's does."""

from __future__ import annotations

import time

import pytest

from conftest import SMALL_PLAN, nd20_opening
from tracuu.core import vectors
from tracuu.core.app import Tracuu
from tracuu.core.settings import Settings
from tracuu.index.embed import DEFAULT_MODEL

pytestmark = pytest.mark.skipif(
    not (DEFAULT_MODEL / "onnx" / "export.json").exists(), reason="model not converted: run `make model`"
)
QUESTIONS = ("mức trợ cấp xã hội hằng tháng", "nguoi khuyet tat nang duoc tro cap bao nhieu",
             "Sở nào nâng cấp mạng diện rộng?")  # fmt: skip


def _files(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    plan = folder / "ke-hoach-7-phu-yen.md"
    plan.write_text(SMALL_PLAN, encoding="utf-8")
    return [plan, nd20_opening(folder, until="Điều 7.")]


def _ranked(app: Tracuu, mode: str = "hybrid") -> list:
    out = []
    for q in QUESTIONS:
        found = app.search(q, mode=mode)
        assert found["mode"] == mode
        out.append([(r["chunk_id"], round(r["score"], 3)) for r in found["results"]])
        answer = app.ask(q)
        out.append((answer["answer"].get("lead"), [e["chunk_id"] for e in answer["evidence"]]))
    return out


def test_hybrid_search_ranks_the_same_on_both_backends(tmp_path, pg_url):
    files = _files(tmp_path)
    seen = []
    for url in (None, pg_url):
        with Tracuu(Settings(home=tmp_path / f"home-{bool(url)}", database_url=url, quantize="onnx")) as app:
            app.ingest(files, index=False)
            app.reindex()
            seen.append((_ranked(app), _ranked(app, "dense")))
    assert seen[0] == seen[1]


def test_the_background_fill_completes_an_index_in_the_database(tmp_path, pg_url, monkeypatch):
    monkeypatch.setattr(vectors, "FILL_STEP", 40)  # several steps, each a committed generation
    files = _files(tmp_path)
    with Tracuu(Settings(home=tmp_path / "home", database_url=pg_url, quantize="onnx")) as app:
        app.ingest(files, index=False)
        app.reindex(lexical_first=True)
        assert app.search(QUESTIONS[0])["mode"] == "lexical" and app.index.pending
        app.serve_in_background()
        end = time.monotonic() + 240
        while not (app.health()["dense"]["ready"] and not app.fill.running):
            assert time.monotonic() < end, app.health()["dense"]
            assert app.health()["dense"]["error"] is None
            time.sleep(0.2)
        assert app.search(QUESTIONS[0])["mode"] == "hybrid" and app.index.pending == 0
        filled = _ranked(app)
    with Tracuu(Settings(home=tmp_path / "sqlite", quantize="onnx")) as app:
        app.ingest(files, index=False)
        app.reindex()
        assert _ranked(app) == filled


def _worker(tmp_path, url: str, *args: str):
    import os
    import subprocess
    import sys

    env = {**os.environ, "TRACUU_DATABASE_URL": url, "TRACUU_QUANTIZE": "onnx", "TRACUU_THREADS": "1"}
    return subprocess.Popen([sys.executable, "-m", "tracuu.api.cli", "--home", str(tmp_path / "w"), "worker", *args],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip


def test_workers_share_the_queue_and_a_killed_worker_loses_nothing(tmp_path, pg_url):
    """Two workers embed the waiting rows between them, none twice; one killed mid-batch leaves its rows to
    the other; then every search is hybrid and ranks as an index embedded at once."""
    import json
    import signal

    import psycopg

    files = _files(tmp_path)
    with Tracuu(Settings(home=tmp_path / "home", database_url=pg_url, quantize="onnx")) as app:
        app.ingest(files, index=False)
        app.reindex(lexical_first=True)
        waiting = app.index.pending
        assert waiting > 40
        victim = _worker(tmp_path, pg_url, "--batch", "8")
        end = time.monotonic() + 120
        with psycopg.connect(pg_url) as c:  # its first batch is in: it is working
            while c.execute("SELECT count(*) FROM index_rows WHERE embedding IS NOT NULL").fetchone()[0] < 8:
                assert victim.poll() is None and time.monotonic() < end
                time.sleep(0.05)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
        workers = [_worker(tmp_path, pg_url, "--until-done", "--batch", "8", "--json") for _ in range(2)]
        outs = [json.loads(w.communicate(timeout=300)[0]) for w in workers]
        assert all(w.returncode == 0 for w in workers)
        assert (
            8 <= waiting - sum(o["embedded"] for o in outs) < waiting
        )  # the victim's committed batches only
        assert app.index.pending == 0 and app.search(QUESTIONS[0])["mode"] == "hybrid"
        filled = _ranked(app)
    with Tracuu(Settings(home=tmp_path / "sqlite", quantize="onnx")) as app:
        app.ingest(files, index=False)
        app.reindex()
        assert _ranked(app) == filled
