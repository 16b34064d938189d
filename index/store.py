"""SQLite store of documents, units and chunks, with a schema version and numbered migrations.

One transaction per document: a document is either fully stored or absent, so a bad file or a crash
never loses what was already indexed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from tracuu.ingest.model import Document

DB_NAME = "tracuu.sqlite3"

MIGRATIONS: list[str] = [
    # 1: documents, units, chunks
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
        ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE INDEX documents_number ON documents(number);
    CREATE TABLE units (
        doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        ord INTEGER NOT NULL,
        kind TEXT NOT NULL, label TEXT NOT NULL, heading TEXT NOT NULL, section TEXT NOT NULL,
        level INTEGER NOT NULL, parent TEXT,
        start INTEGER NOT NULL, end INTEGER NOT NULL, body_end INTEGER NOT NULL,
        page_start INTEGER, page_end INTEGER,
        PRIMARY KEY (doc_id, path)
    );
    CREATE TABLE chunks (
        chunk_id TEXT PRIMARY KEY,
        doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        unit_path TEXT NOT NULL,
        ord INTEGER NOT NULL,
        text TEXT NOT NULL, words TEXT NOT NULL, section TEXT NOT NULL, context TEXT NOT NULL,
        start INTEGER NOT NULL, end INTEGER NOT NULL, page INTEGER,
        hash TEXT NOT NULL
    );
    CREATE INDEX chunks_doc ON chunks(doc_id);
    CREATE INDEX chunks_hash ON chunks(hash);
    """,
    # 2: embeddings keyed by a hash of (model, passage text): unchanged text is never re-embedded
    """
    CREATE TABLE embeddings (
        key TEXT PRIMARY KEY,
        model TEXT NOT NULL,
        vec BLOB NOT NULL
    );
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNew(RuntimeError):
    pass


class Store:
    """Documents on disk. Open with `Store.open(home)`; every write is one transaction."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, home: str | Path) -> Store:
        home = Path(home)
        home.mkdir(parents=True, exist_ok=True)
        path = home / DB_NAME
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        store = cls(conn, path)
        store.migrate()
        return store

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise SchemaTooNew(
                f"{self.path}: cơ sở dữ liệu có phiên bản lược đồ {version}, mới hơn phiên bản {SCHEMA_VERSION} "
                "mà chương trình này hỗ trợ; hãy cập nhật tracuu"
            )
        for number in range(version, SCHEMA_VERSION):
            with self.transaction() as c:
                for statement in _statements(MIGRATIONS[number]):
                    c.execute(statement)
                c.execute(f"PRAGMA user_version = {number + 1}")

    # ------------------------------------------------------------ writes
    def file_hash_of(self, source_path: str) -> str | None:
        row = self.conn.execute(
            "SELECT file_hash FROM documents WHERE source_path = ?", (source_path,)
        ).fetchone()
        return row[0] if row else None

    def doc_id_for(self, source_path: str, wanted: str) -> str:
        """Keep a file's id on re-ingest; give a new file a free id (suffix on collision)."""
        row = self.conn.execute(
            "SELECT doc_id FROM documents WHERE source_path = ?", (source_path,)
        ).fetchone()
        if row:
            return row[0]
        doc_id, n = wanted, 2
        while self.conn.execute("SELECT 1 FROM documents WHERE doc_id = ?", (doc_id,)).fetchone():
            doc_id, n = f"{wanted}-{n}", n + 1
        return doc_id

    def put(self, doc: Document) -> None:
        """Insert or replace a document with its units and chunks, atomically."""
        h = doc.header
        with self.transaction() as c:
            c.execute(
                "DELETE FROM documents WHERE doc_id = ? OR source_path = ?", (doc.doc_id, doc.source_path)
            )
            c.execute(
                "INSERT INTO documents (doc_id, source_path, file_hash, kind, number, type, date, issuer, issuer_full,"
                " place, title, signer, signer_title, recipients, metadata, warnings, pages, text)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    doc.doc_id, doc.source_path, doc.file_hash, doc.kind, h.number, h.type, h.date, h.issuer,
                    h.issuer_full, h.place, h.title, h.signer, h.signer_title, _j(h.recipients), _j(doc.metadata),
                    _j(doc.warnings), _j(doc.pages), doc.text,
                ),
            )  # fmt: skip
            c.executemany(
                "INSERT INTO units VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (doc.doc_id, u.path, i, u.kind, u.label, u.heading, u.section, u.level, u.parent,
                     u.start, u.end, u.body_end, u.page_start, u.page_end)
                    for i, u in enumerate(doc.units)
                ],
            )  # fmt: skip
            c.executemany(
                "INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (ch.chunk_id, doc.doc_id, ch.unit_path, ch.ord, ch.text, ch.words, ch.section, ch.context,
                     ch.start, ch.end, ch.page, ch.hash)
                    for ch in doc.chunks
                ],
            )  # fmt: skip

    def delete(self, doc_id: str) -> bool:
        with self.transaction() as c:
            return c.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,)).rowcount > 0

    # ------------------------------------------------------------ reads
    def documents(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT d.doc_id, d.number, d.type, d.date, d.issuer, d.title, d.kind, d.source_path,"
            " (SELECT COUNT(*) FROM units u WHERE u.doc_id = d.doc_id) AS units,"
            " (SELECT COUNT(*) FROM chunks c WHERE c.doc_id = d.doc_id) AS chunks"
            " FROM documents d ORDER BY d.date IS NULL, d.date DESC, d.doc_id"
        ).fetchall()
        return [dict(r) for r in rows]

    def find(self, ref: str) -> dict[str, Any] | None:
        """A document by id, by number ("1212/KH-UBND", case-insensitive) or by source path."""
        row = self.conn.execute(
            "SELECT * FROM documents WHERE doc_id = ? OR lower(number) = lower(?) OR source_path = ?"
            " ORDER BY doc_id = ? DESC LIMIT 1",
            (ref, ref.strip(), ref, ref),
        ).fetchone()
        if row is None:
            return None
        doc = dict(row)
        for key in ("recipients", "metadata", "warnings", "pages"):
            doc[key] = json.loads(doc[key])
        return doc

    def units(self, doc_id: str) -> list[dict[str, Any]]:
        rows = self.conn.execute("SELECT * FROM units WHERE doc_id = ? ORDER BY ord", (doc_id,)).fetchall()
        return [dict(r) for r in rows]

    def chunks(self, doc_id: str | None = None) -> list[dict[str, Any]]:
        if doc_id is None:
            rows = self.conn.execute("SELECT * FROM chunks ORDER BY doc_id, ord").fetchall()
        else:
            rows = self.conn.execute(
                "SELECT * FROM chunks WHERE doc_id = ? ORDER BY ord", (doc_id,)
            ).fetchall()
        return [dict(r) for r in rows]

    def index_rows(self) -> list[dict[str, Any]]:
        """Every chunk with what the index needs: text, context, document metadata for filters."""
        rows = self.conn.execute(
            "SELECT c.chunk_id, c.doc_id, c.text, c.words, c.context, c.section, d.file_hash, d.type, d.issuer,"
            " d.date, d.number, d.title FROM chunks c JOIN documents d ON d.doc_id = c.doc_id"
            " ORDER BY c.doc_id, c.ord"
        ).fetchall()
        return [dict(r) for r in rows]

    def doc_hashes(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT doc_id, file_hash FROM documents").fetchall())

    def cached_vectors(self, keys: list[str], model: str) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            q = f"SELECT key, vec FROM embeddings WHERE model = ? AND key IN ({','.join('?' * len(part))})"
            out.update(dict(self.conn.execute(q, (model, *part)).fetchall()))
        return out

    def cache_vectors(self, items: list[tuple[str, bytes]], model: str) -> None:
        with self.transaction() as c:
            c.executemany(
                "INSERT OR REPLACE INTO embeddings (key, model, vec) VALUES (?, ?, ?)",
                [(k, model, v) for k, v in items],
            )

    def counts(self) -> dict[str, int]:
        q = self.conn.execute
        return {
            "documents": q("SELECT COUNT(*) FROM documents").fetchone()[0],
            "units": q("SELECT COUNT(*) FROM units").fetchone()[0],
            "chunks": q("SELECT COUNT(*) FROM chunks").fetchone()[0],
        }


def _j(value: Any) -> str:
    return json.dumps(
        value if not hasattr(value, "__dataclass_fields__") else asdict(value), ensure_ascii=False
    )


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
