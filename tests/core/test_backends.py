"""The whole product on either backend: the core ingests, indexes, answers and deletes the same way whether
the store is SQLite in the data folder or a real PostgreSQL (TRACUU_DATABASE_URL); and a database that
cannot be used is a clear Vietnamese message, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import SMALL_PLAN, seed_excerpt
from tracuu.core.app import Tracuu
from tracuu.core.settings import Settings


def _rounded(value):
    """Scores to 4 decimals: BM25 sums in float32 here, in double precision in PostgreSQL."""
    if isinstance(value, dict):
        return {k: round(v, 4) if k == "score" else _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def _answers(app: Tracuu) -> dict:
    """What the doors ask of the core, with what differs by nature (ingest time) left out."""
    shown = app.document_info("7/KH-UBND")
    shown.pop("ingested_at", None)
    return _rounded({
        "search": app.search("Sở Thông tin và Truyền thông nâng cấp mạng", mode="lexical"),
        "unaccented": app.search("so tai chinh bo tri kinh phi", mode="lexical"),
        "filtered": app.search("kinh phí", mode="lexical", doc_type="Kế hoạch", issuer="Phú Yên"),
        "ask": app.ask("Cơ quan nào chủ trì nâng cấp mạng diện rộng của tỉnh?"),
        "tasks": app.tasks(agency="Sở Tài chính"), "refs": app.references("161/QĐ-TTg"),
        "agencies": app.agencies(), "documents": app.documents(), "show": shown,
    })  # fmt: skip


def test_the_core_answers_the_same_on_sqlite_and_postgresql(tmp_path, pg_url):
    plan = tmp_path / "docs" / "ke-hoach-7-phu-yen.md"
    plan.parent.mkdir()
    plan.write_text(SMALL_PLAN, encoding="utf-8")
    seed = seed_excerpt(plan.parent)
    seen = []
    for url in (None, pg_url):
        with Tracuu(Settings(home=tmp_path / f"home-{bool(url)}", database_url=url)) as app:
            app.ingest([plan, seed], index=False)
            assert len(app.documents()) == 2
            app.reindex(lexical_first=True)
            answers = _answers(app)
            assert answers["search"]["results"][0]["doc_id"] == "ke-hoach-7-phu-yen"
            assert answers["ask"]["answer"]["lead"] == "Sở Thông tin và Truyền thông"
            app.delete("7/KH-UBND")  # through the writer process, which opens the same backend
            after = app.search("Sở Thông tin và Truyền thông nâng cấp mạng", mode="lexical")
            assert all(r["doc_id"] != "ke-hoach-7-phu-yen" for r in after["results"])
            assert [d["doc_id"] for d in app.documents()] == [seed.stem.lower()]
            seen.append(answers)
    sqlite, postgres = seen
    for key in sqlite:
        assert postgres[key] == sqlite[key], key


def _cli(*args: str, url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TRACUU_DATABASE_URL": url}
    return subprocess.run([sys.executable, "-m", "tracuu.api.cli", *args], capture_output=True, text=True,
                          env=env, timeout=60)  # fmt: skip


def test_a_database_that_cannot_be_used_is_a_clear_message(tmp_path, pg_server):
    refused = _cli("--home", str(tmp_path), "docs", url="postgresql://tracuu:bí-mật@127.0.0.1:1/tracuu")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "Không kết nối được PostgreSQL" in refused.stderr and "bí-mật" not in refused.stderr
    assert "127.0.0.1:1" in refused.stderr
    wrong = _cli("--home", str(tmp_path), "docs", url="mysql://localhost/tracuu")
    assert wrong.returncode == 1 and "không phải địa chỉ PostgreSQL" in wrong.stderr
    missing = _cli("--home", str(tmp_path), "docs", url=pg_server.url("no_such_database"))
    assert (
        missing.returncode == 1 and "no_such_database" in missing.stderr and "Traceback" not in missing.stderr
    )


def _docs_folder(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir(exist_ok=True)
    plan = folder / "ke-hoach-7-phu-yen.md"
    plan.write_text(SMALL_PLAN, encoding="utf-8")
    other = folder / "ke-hoach-9-binh-dinh.md"
    other.write_text(SMALL_PLAN.replace("7/KH-UBND", "9/KH-UBND").replace("PHÚ YÊN", "BÌNH ĐỊNH")
                     .replace("Phú Yên", "Bình Định").replace("mạng diện rộng", "trung tâm dữ liệu"),
                     encoding="utf-8")  # fmt: skip
    return plan, other


def test_servers_on_one_database_see_each_others_writes_at_once(tmp_path, pg_url):
    """Two servers (each its own data folder, as on two machines) share one database: what one ingests or
    deletes, the other's next search sees — the index and its diacritics model follow."""
    plan, other = _docs_folder(tmp_path)
    a = Tracuu(Settings(home=tmp_path / "a", database_url=pg_url))
    b = Tracuu(Settings(home=tmp_path / "b", database_url=pg_url))
    with a, b:
        a.ingest([plan], index=False)
        a.reindex(lexical_first=True)
        assert b.search("mạng diện rộng", mode="lexical")["results"][0]["doc_id"] == "ke-hoach-7-phu-yen"
        b.ingest([other], index=False)
        b.reindex(lexical_first=True)
        found = a.search("trung tam du lieu", mode="lexical")  # unaccented: restored by the shared model
        assert found["restored_query"] == "trung tâm dữ liệu"
        assert found["results"][0]["doc_id"] == "ke-hoach-9-binh-dinh"
        b.delete("7/KH-UBND")
        assert all(
            r["doc_id"] != "ke-hoach-7-phu-yen" for r in a.search("mạng diện rộng", mode="lexical")["results"]
        )
        assert a.index.stats()["rows"] == b.index.stats()["rows"] == len(a.open_store().chunks())


def test_writers_on_two_machines_never_index_a_document_twice(tmp_path, pg_url):
    """Two writers that do not share a data folder (so no file lock between them) sync at the same time: the
    database's write lock orders them, and every chunk is indexed exactly once."""
    import threading

    plan, other = _docs_folder(tmp_path)
    apps = [Tracuu(Settings(home=tmp_path / name, database_url=pg_url)) for name in ("a", "b")]
    for app, path in zip(apps, (plan, other), strict=True):
        app.ingest([path], index=False)
    errors: list[BaseException] = []

    def run(app):
        try:
            app.reindex(lexical_first=True)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(app,)) for app in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    store = apps[0].open_store()
    try:
        chunks = sorted(c["chunk_id"] for c in store.chunks())
    finally:
        store.close()
    index = apps[0].index
    assert sorted(c for c in index.meta.chunk_ids if c) == chunks
    for app in apps:
        app.close()


def test_doctor_checks_and_repairs_an_index_in_the_database(tmp_path, pg_url):
    plan, _ = _docs_folder(tmp_path)
    with Tracuu(Settings(home=tmp_path / "home", database_url=pg_url)) as app:
        app.ingest([plan], index=False)
        codes = {f["code"] for f in app.doctor()["findings"]}
        assert codes == {"index-missing"}
        app.reindex(lexical_first=True)
        codes = {f["code"] for f in app.doctor()["findings"]}
        assert codes == {"vectors-pending"}
        assert not (tmp_path / "home" / "index").exists()  # nothing of the index in the data folder


def test_a_dropped_connection_is_replaced_when_the_next_read_begins(tmp_path, pg_url, pg_server):
    import psycopg

    from tracuu.index.postgres.connection import DatabaseUnavailable

    plan, _ = _docs_folder(tmp_path)
    with Tracuu(Settings(home=tmp_path / "home", database_url=pg_url)) as app:
        app.ingest([plan], index=False)
        app.reindex(lexical_first=True)
        assert app.search("mạng diện rộng", mode="lexical")["results"]
        with psycopg.connect(pg_server.url(), autocommit=True) as admin:  # the server drops every session
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (pg_url.rsplit("/", 1)[1],),
            )
        failures = []
        for _ in range(4):
            try:
                found = app.search("mạng diện rộng", mode="lexical")
                break
            except DatabaseUnavailable as exc:
                failures.append(exc.detail)
        # the idle connection the server dropped is replaced when the next read begins: the reader sees no
        # error at all; a loss in the middle of a request is a Vietnamese message (never a trace)
        assert len(failures) <= 1 and all("Mất kết nối tới PostgreSQL" in f for f in failures)
        assert found["results"][0]["doc_id"] == "ke-hoach-7-phu-yen"


def test_postings_written_write_by_write_and_merged_rank_as_the_local_index(tmp_path, pg_url, monkeypatch):
    """Each write adds a postings segment; past MERGE_SEGMENTS the writer merges them, dropping deleted
    rows. Through writes, deletes and merges, BM25 ranks exactly as the local index does."""
    from tracuu.index.postgres import index as pg_index

    monkeypatch.setattr(pg_index, "MERGE_SEGMENTS", 2)
    plan, other = _docs_folder(tmp_path)
    seed = seed_excerpt(plan.parent)
    queries = (
        "Sở Tài chính bố trí kinh phí",
        "trung tam du lieu",
        "tuyên truyền Cộng đồng ASEAN",
        "hạ tầng số",
    )
    seen = []
    for url in (None, pg_url):
        with Tracuu(Settings(home=tmp_path / f"merge-{bool(url)}", database_url=url)) as app:
            for path in (plan, seed, other):
                app.ingest([path], index=False)
                app.reindex(lexical_first=True)
            app.delete("7/KH-UBND")
            app.ingest([plan], index=False)
            app.reindex(lexical_first=True)
            seen.append([_rounded(app.search(q, mode="lexical", k=20)) for q in queries])
            if url:
                import psycopg

                with psycopg.connect(url) as c:
                    assert c.execute("SELECT count(DISTINCT seg) FROM postings").fetchone()[0] <= 2
    assert seen[0] == seen[1]
