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


def _answers(app: Tracuu) -> dict:
    """What the doors ask of the core, with what differs by nature (ingest time) left out."""
    shown = app.document_info("7/KH-UBND")
    shown.pop("ingested_at", None)
    return {
        "search": app.search("Sở Thông tin và Truyền thông nâng cấp mạng", mode="lexical"),
        "unaccented": app.search("so tai chinh bo tri kinh phi", mode="lexical"),
        "filtered": app.search("kinh phí", mode="lexical", doc_type="Kế hoạch", issuer="Phú Yên"),
        "ask": app.ask("Cơ quan nào chủ trì nâng cấp mạng diện rộng của tỉnh?"),
        "tasks": app.tasks(agency="Sở Tài chính"), "refs": app.references("161/QĐ-TTg"),
        "agencies": app.agencies(), "documents": app.documents(), "show": shown,
    }  # fmt: skip


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
