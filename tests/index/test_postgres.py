"""What only the PostgreSQL backend has: its own schema versions, and databases that cannot be used —
each refused with a Vietnamese message that names the database (password hidden), never a traceback."""

from __future__ import annotations

import psycopg
import pytest

from tracuu.index.postgres.connection import DatabaseUnavailable, redact, translate
from tracuu.index.postgres.store import SCHEMA_VERSION, PgStore
from tracuu.index.store import SchemaTooNew


def test_the_store_sql_is_spoken_to_postgresql():
    assert translate("SELECT * FROM t WHERE a = ? AND b LIKE 'Các %'") == (
        "SELECT * FROM t WHERE a = %s AND b LIKE 'Các %%'"
    )
    assert (
        translate("BEGIN") == "BEGIN ISOLATION LEVEL REPEATABLE READ"
        and translate("BEGIN IMMEDIATE") == "BEGIN"
    )
    assert redact("postgresql://u:bí-mật@h:5/db") == "postgresql://u:***@h:5/db"


def test_a_new_database_gets_every_migration_once(pg_url):
    first = PgStore.connect(pg_url)
    second = PgStore.connect(pg_url)  # already current: nothing is written again
    try:
        assert first.version() == second.version() == SCHEMA_VERSION
        tables = {
            r[0] for r in first.conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        }
        assert {"documents", "chunks", "tasks", "refs", "embeddings", "index_rows", "postings"} <= tables
        assert first.conn.execute("SELECT count(*) FROM tracuu_schema").fetchone()[0] == 1
    finally:
        first.close()
        second.close()


def test_a_database_of_a_newer_tracuu_is_refused(pg_url):
    PgStore.connect(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as c:
        c.execute("UPDATE tracuu_schema SET version = %s", (SCHEMA_VERSION + 1,))
    with pytest.raises(SchemaTooNew, match="mới hơn"):
        PgStore.connect(pg_url)


def test_a_role_that_may_not_create_the_schema_is_told_why(pg_url, pg_server):
    with psycopg.connect(pg_url, autocommit=True) as c:
        c.execute("DROP ROLE IF EXISTS chi_doc")
        c.execute("CREATE ROLE chi_doc LOGIN PASSWORD 'bí-mật'")
        c.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    url = pg_url.replace("postgres@", "chi_doc:b%C3%AD-m%E1%BA%ADt@")
    with pytest.raises(DatabaseUnavailable) as caught:
        PgStore.connect(url)
    assert "không tạo được lược đồ" in caught.value.detail and "bí-mật" not in caught.value.detail
