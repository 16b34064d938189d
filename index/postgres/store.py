"""The store in PostgreSQL: the same tables, queries and one-transaction-per-document writes as the SQLite
store (it is that class, on another connection), with PostgreSQL's own numbered migrations.

Migration 1 is the SQLite schema at its version 4, column for column (the store inserts rows by position),
so both backends hold the same rows; migration 2 holds the search index (pgvector), which SQLite keeps in
files beside it. A database migrated by a newer tracuu is refused, as SQLite's is.
"""

from __future__ import annotations

from tracuu.index.store import MIGRATIONS as SQLITE_MIGRATIONS
from tracuu.index.store import SchemaTooNew, Store, _statements

from .connection import Connection, DatabaseUnavailable, connect, redact

MIGRATIONS: list[str] = [
    # 1: documents, units, chunks, the embedding cache, tasks and citations (SQLite's schema 4)
    """
    CREATE TABLE documents (
        doc_id TEXT PRIMARY KEY,
        source_path TEXT NOT NULL UNIQUE,
        file_hash TEXT NOT NULL,
        kind TEXT NOT NULL,
        number TEXT, type TEXT, date TEXT, issuer TEXT, issuer_full TEXT, place TEXT,
        title TEXT, signer TEXT, signer_title TEXT,
        recipients TEXT NOT NULL DEFAULT '[]',
        metadata TEXT NOT NULL DEFAULT '{}',
        warnings TEXT NOT NULL DEFAULT '[]',
        pages TEXT NOT NULL DEFAULT '[]',
        text TEXT NOT NULL,
        ingested_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
        pipeline INTEGER NOT NULL DEFAULT 0,
        number_key TEXT
    );
    CREATE INDEX documents_number ON documents(number);
    CREATE INDEX documents_number_key ON documents(number_key);
    CREATE TABLE units (
        doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        ord INTEGER NOT NULL,
        kind TEXT NOT NULL, label TEXT NOT NULL, heading TEXT NOT NULL, section TEXT NOT NULL,
        level INTEGER NOT NULL, parent TEXT,
        start INTEGER NOT NULL, "end" INTEGER NOT NULL, body_end INTEGER NOT NULL,
        page_start INTEGER, page_end INTEGER,
        PRIMARY KEY (doc_id, path)
    );
    CREATE TABLE chunks (
        chunk_id TEXT PRIMARY KEY,
        doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        unit_path TEXT NOT NULL,
        ord INTEGER NOT NULL,
        text TEXT NOT NULL, words TEXT NOT NULL, section TEXT NOT NULL, context TEXT NOT NULL,
        start INTEGER NOT NULL, "end" INTEGER NOT NULL, page INTEGER,
        hash TEXT NOT NULL
    );
    CREATE INDEX chunks_doc ON chunks(doc_id);
    CREATE INDEX chunks_hash ON chunks(hash);
    CREATE TABLE embeddings (
        key TEXT PRIMARY KEY,
        model TEXT NOT NULL,
        vec BYTEA NOT NULL
    );
    CREATE TABLE tasks (
        doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        ord INTEGER NOT NULL,
        unit_path TEXT NOT NULL, section TEXT NOT NULL,
        lead TEXT, lead_key TEXT, lead_written TEXT,
        cooperating TEXT NOT NULL DEFAULT '[]', co_leads TEXT NOT NULL DEFAULT '[]',
        task TEXT NOT NULL, deadline TEXT, report_to TEXT NOT NULL DEFAULT '[]', kind TEXT NOT NULL,
        start INTEGER NOT NULL, "end" INTEGER NOT NULL,
        PRIMARY KEY (doc_id, ord)
    );
    CREATE INDEX tasks_lead ON tasks(lead_key);
    CREATE TABLE refs (
        doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        ord INTEGER NOT NULL,
        unit_path TEXT, section TEXT,
        start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
        type TEXT, number TEXT, number_key TEXT, date TEXT, issuer TEXT, title TEXT,
        short_name TEXT, via_short_name INTEGER NOT NULL DEFAULT 0,
        problems TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (doc_id, ord)
    );
    CREATE INDEX refs_number ON refs(number_key);
    """,
    # 2: the search index (index/postgres/index.py): rows (a chunk each, with its field lengths; its vector
    #    added by the index once the model's dimension is known), BM25 postings of three fields in segments
    #    (a term's rows and term frequencies per write, as packed arrays), the indexed documents with what
    #    filters read, and the index's state (generation, model, restorer)
    """
    CREATE EXTENSION IF NOT EXISTS vector;
    CREATE TABLE index_rows (
        rid BIGINT PRIMARY KEY,
        chunk_id TEXT NOT NULL UNIQUE,
        doc_id TEXT NOT NULL,
        len_syl INTEGER NOT NULL, len_words INTEGER NOT NULL, len_fold INTEGER NOT NULL
    );
    CREATE INDEX index_rows_doc ON index_rows(doc_id);
    CREATE SEQUENCE index_rows_rid START 0 MINVALUE 0;
    CREATE TABLE postings (
        field SMALLINT NOT NULL, term TEXT NOT NULL, seg BIGINT NOT NULL,
        rids BYTEA NOT NULL, tfs BYTEA NOT NULL,
        PRIMARY KEY (field, term, seg)
    );
    CREATE SEQUENCE postings_seg;
    CREATE TABLE index_docs (
        doc_id TEXT PRIMARY KEY, hash TEXT, type TEXT, issuer TEXT, number TEXT, year INTEGER
    );
    CREATE TABLE index_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        generation BIGINT NOT NULL DEFAULT 0,
        model TEXT, dim INTEGER, tokenizer TEXT, restorer BYTEA,
        segment BIGINT NOT NULL DEFAULT 0,
        vectors BIGINT NOT NULL DEFAULT 0
    );
    """,
    # 3, 4: relations between documents and each document's own entry into force, the other document's cited
    #    date: SQLite's migrations 5 and 6, as they are
    SQLITE_MIGRATIONS[4],
    SQLITE_MIGRATIONS[5],
    # 5, 6: progress on assigned tasks, the audit log: SQLite's migrations 7 and 8
    SQLITE_MIGRATIONS[6],
    SQLITE_MIGRATIONS[7],
    # 7, 8: named API tokens, documents' visibility: SQLite's migrations 9 and 10
    SQLITE_MIGRATIONS[8],
    SQLITE_MIGRATIONS[9],
    # 9: webhooks and their deliveries: SQLite's migration 11
    SQLITE_MIGRATIONS[10],
]
SCHEMA_VERSION = len(MIGRATIONS)
_MIGRATE_LOCK = 7_455_382_021  # pg_advisory_xact_lock key: one process migrates, the others wait


class PgStore(Store):
    """The store on a PostgreSQL connection. Open with `PgStore.connect(url)`."""

    dialect = "postgresql"
    conn: Connection  # type: ignore[assignment]

    @classmethod
    def connect(cls, url: str) -> PgStore:
        conn = connect(url)
        store = cls(conn, redact(url))  # type: ignore[arg-type]
        try:
            store.migrate()
        except BaseException:
            conn.close()
            raise
        return store

    def version(self) -> int:
        if self.conn.execute("SELECT to_regclass('tracuu_schema')").fetchone()[0] is None:
            return 0
        return self.conn.execute("SELECT max(version) FROM tracuu_schema").fetchone()[0] or 0

    def migrate(self) -> None:
        """Bring the schema to this version (one process at a time), or refuse a newer one. A schema already
        current is only read: a server reading from a replica (read-only) connects as any other."""
        import psycopg

        version = self.version()
        if version > SCHEMA_VERSION:
            raise SchemaTooNew(
                f"{self.path}: cơ sở dữ liệu có phiên bản lược đồ {version}, mới hơn phiên bản "
                f"{SCHEMA_VERSION} mà chương trình này hỗ trợ; hãy cập nhật tracuu"
            )
        if version == SCHEMA_VERSION:
            return
        try:
            with self.transaction() as c:
                c.execute("SELECT pg_advisory_xact_lock(?)", (_MIGRATE_LOCK,))
                c.execute("CREATE TABLE IF NOT EXISTS tracuu_schema (version INTEGER NOT NULL)")
                row = c.execute("SELECT version FROM tracuu_schema").fetchone()
                version = row[0] if row else 0
                if version > SCHEMA_VERSION:
                    raise SchemaTooNew(
                        f"{self.path}: cơ sở dữ liệu có phiên bản lược đồ {version}, mới hơn phiên bản "
                        f"{SCHEMA_VERSION} mà chương trình này hỗ trợ; hãy cập nhật tracuu"
                    )
                for number in range(version, SCHEMA_VERSION):
                    for statement in _statements(MIGRATIONS[number]):
                        c.execute(statement)
                if row is None:
                    c.execute("INSERT INTO tracuu_schema (version) VALUES (?)", (SCHEMA_VERSION,))
                elif version < SCHEMA_VERSION:
                    c.execute("UPDATE tracuu_schema SET version = ?", (SCHEMA_VERSION,))
        except psycopg.Error as e:
            reason = " ".join(str(e).split())
            hint = (
                " — máy chủ thiếu phần mở rộng pgvector (cài gói postgresql-NN-pgvector, hoặc dùng `tracuu pg start`)"
                if "vector" in reason and ("extension" in reason or "control file" in reason)
                else ""
            )
            raise DatabaseUnavailable(
                f"{self.path}: không tạo được lược đồ của tracuu trong cơ sở dữ liệu: {reason}{hint}"
            ) from None

    def cache_vectors(self, items: list[tuple[str, bytes]], model: str) -> None:
        """Keys in order (as embedding workers take them: two writers of the cache never deadlock)."""
        by_key = dict(items)
        with self.transaction() as c:
            c.executemany(
                "INSERT INTO embeddings (key, model, vec) VALUES (?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET model = EXCLUDED.model, vec = EXCLUDED.vec",
                [(k, model, by_key[k]) for k in sorted(by_key)],
            )

    def cached_vectors(self, keys: list[str], model: str) -> dict[str, bytes]:
        return {k: bytes(v) for k, v in super().cached_vectors(keys, model).items()}
