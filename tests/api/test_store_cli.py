"""The SQLite store (migrations, atomic replace) and the `tracuu docs` / `tracuu show` contracts."""

from __future__ import annotations

import copy
import json
import sqlite3

import pytest
from click.testing import CliRunner

from conftest import ND20, SEED
from tracuu.api.cli import cli
from tracuu.index.store import SCHEMA_VERSION, SchemaTooNew, Store


@pytest.mark.embedded_only  # SQLite's own schema and errors (PostgreSQL: tests/index/test_postgres.py)
def test_migrations_set_the_schema_version(tmp_path):
    store = Store.open(tmp_path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    store.close()
    Store.open(tmp_path).close()  # opening again migrates nothing and keeps the version


@pytest.mark.embedded_only  # SQLite's own schema and errors (PostgreSQL: tests/index/test_postgres.py)
def test_newer_schema_is_refused_with_a_message(tmp_path):
    Store.open(tmp_path).close()
    conn = sqlite3.connect(tmp_path / "tracuu.sqlite3")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(SchemaTooNew, match="mới hơn"):
        Store.open(tmp_path)


@pytest.mark.embedded_only  # SQLite's own schema and errors (PostgreSQL: tests/index/test_postgres.py)
def test_a_failed_replace_keeps_the_old_version(tmp_path, seed_doc):
    store = Store.open(tmp_path)
    store.put(seed_doc)
    broken = copy.deepcopy(seed_doc)
    broken.chunks.append(broken.chunks[0])  # duplicate chunk id: the insert fails mid-transaction
    with pytest.raises(sqlite3.IntegrityError):
        store.put(broken)
    assert store.counts() == {"documents": 1, "units": len(seed_doc.units), "chunks": len(seed_doc.chunks)}
    assert store.delete(seed_doc.doc_id)
    assert store.counts() == {"documents": 0, "units": 0, "chunks": 0}
    store.close()


def run(args: list[str]):
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return result


def test_docs_and_show_json_contracts(tmp_path):
    home = str(tmp_path / "home")
    assert run(["--home", home, "ingest", str(SEED), str(ND20)]).exit_code == 0
    docs = json.loads(run(["--home", home, "docs", "--json"]).output)["documents"]
    assert len(docs) == 2
    for d in docs:
        assert set(d) == {"doc_id", "number", "type", "date", "issuer", "title", "units", "chunks",
                          "validity", "effective_from", "expired_from", "relations"}  # fmt: skip
        assert d["units"] > 0 and d["chunks"] > 0
    seed = next(d for d in docs if d["number"] == "1212/KH-UBND")
    assert (seed["type"], seed["date"], seed["issuer"]) == ("Kế hoạch", "2021-11-29", "UBND tỉnh Khánh Hòa")
    nd20 = next(d for d in docs if d["number"] == "20/2021/NĐ-CP")
    assert nd20["date"] == "2021-03-15" and nd20["issuer"] == "Chính phủ"

    shown = json.loads(run(["--home", home, "show", "1212/KH-UBND", "--json"]).output)
    assert shown["doc_id"] == seed["doc_id"]
    parts = [u["label"] for u in shown["outline"] if u["kind"] == "part"]
    assert parts == ["I", "II", "III", "IV", "V", "VI"]
    text = run(["--home", home, "show", seed["doc_id"]]).output
    assert "Kế hoạch 1212/KH-UBND" in text and "III. NHIỆM VỤ, GIẢI PHÁP THỰC HIỆN" in text

    assert {c["number"] for c in shown["cites"]} >= {"161/QĐ-TTg", "20/2021/NĐ-CP"}  # as GET /documents/{ref}
    assert shown["cited_by"] == []
    nd20_shown = json.loads(
        run(["--home", home, "show", "20/2021/ND-CP", "--json"]).output
    )  # written unaccented
    assert nd20_shown["doc_id"] == nd20["doc_id"] and seed["doc_id"] in {
        d["doc_id"] for d in nd20_shown["cited_by"]
    }

    missing = run(["--home", home, "show", "999/XX-YY"])
    assert missing.exit_code == 1 and "Không có văn bản '999/XX-YY'" in missing.output


def test_reingest_unchanged_does_nothing(tmp_path):
    home = str(tmp_path / "home")
    run(["--home", home, "ingest", str(SEED)])
    summary = json.loads(run(["--home", home, "ingest", str(SEED), "--json"]).output)
    assert summary["documents"] == 0 and summary["unchanged"] == 1
    assert summary["total"]["documents"] == 1


def test_parallel_ingest_while_other_threads_run(tmp_path):
    """Parsing workers must not be forked from a process whose other threads may hold locks (malloc,
    logging): the HTTP server and test runners have such threads, and a forked child can hang for ever."""
    import subprocess
    import sys

    script = f"""
import threading
from click.testing import CliRunner
from tracuu.api.cli import cli
stop = False
def churn():
    while not stop:
        [bytearray(4096) for _ in range(200)]
threads = [threading.Thread(target=churn, daemon=True) for _ in range(4)]
[t.start() for t in threads]
for i in range(3):
    out = CliRunner().invoke(cli, ["--home", r"{tmp_path}/h{{i}}", "ingest", "--workers", "2", "--no-index",
                                   r"{SEED}", r"{ND20}", "--json"])
    assert out.exit_code == 0, out.output
stop = True
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.embedded_only  # SQLite's own schema and errors (PostgreSQL: tests/index/test_postgres.py)
def test_migration_4_keys_existing_documents_by_number(tmp_path, seed_doc):
    """A store made before migration 4 finds its documents by any written form of their number after it."""
    store = Store.open(tmp_path)
    store.put(seed_doc)
    store.conn.executescript(
        "DROP INDEX documents_number_key; ALTER TABLE documents DROP COLUMN number_key; DROP TABLE relations;"
        " ALTER TABLE documents DROP COLUMN effective; PRAGMA user_version = 3;"
    )
    store.close()
    store = Store.open(tmp_path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.find_number("1212/kh-ubnd")["doc_id"] == seed_doc.doc_id
    assert store.find_number("1213/KH-UBND") is None
    # migration 5: relations and entry into force are there (empty for a document stored before it)
    assert store.relations() == [] and store.effects()[0]["effective"] is None
    store.close()
