"""SQLite store of documents, units and chunks, with a schema version and numbered migrations.

One transaction per document: a document is either fully stored or absent, so a bad file or a crash
never loses what was already indexed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from tracuu.core.errors import TracuuError
from tracuu.ingest.agencies import resolve as resolve_agency
from tracuu.ingest.model import PIPELINE_VERSION, Document
from tracuu.ingest.normalize import fold
from tracuu.ingest.references import number_key

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
    # 3: the knowledge base: assignments and citations, plus the pipeline version that produced them
    #    (documents of version 0 predate extraction and are parsed again on the next ingest)
    """
    ALTER TABLE documents ADD COLUMN pipeline INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE tasks (
        doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        ord INTEGER NOT NULL,
        unit_path TEXT NOT NULL, section TEXT NOT NULL,
        lead TEXT, lead_key TEXT, lead_written TEXT,
        cooperating TEXT NOT NULL DEFAULT '[]', co_leads TEXT NOT NULL DEFAULT '[]',
        task TEXT NOT NULL, deadline TEXT, report_to TEXT NOT NULL DEFAULT '[]', kind TEXT NOT NULL,
        start INTEGER NOT NULL, end INTEGER NOT NULL,
        PRIMARY KEY (doc_id, ord)
    );
    CREATE INDEX tasks_lead ON tasks(lead_key);
    CREATE TABLE refs (
        doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        ord INTEGER NOT NULL,
        unit_path TEXT, section TEXT,
        start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,
        type TEXT, number TEXT, number_key TEXT, date TEXT, issuer TEXT, title TEXT,
        short_name TEXT, via_short_name INTEGER NOT NULL DEFAULT 0,
        problems TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (doc_id, ord)
    );
    CREATE INDEX refs_number ON refs(number_key);
    """,
    # 4: documents found by number in one index lookup ("161/QD-TTg" → 161/QĐ-TTg), not a scan of all
    """
    ALTER TABLE documents ADD COLUMN number_key TEXT;
    UPDATE documents SET number_key = tracuu_number_key(number) WHERE number IS NOT NULL;
    CREATE INDEX documents_number_key ON documents(number_key);
    """,
    # 5: what documents state of each other (replaces, expires, repeals_part, amends, guides, based_on) and
    #    of themselves (entry into force, as JSON: date, basis, days, span)
    """
    ALTER TABLE documents ADD COLUMN effective TEXT;
    CREATE TABLE relations (
        doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        ord INTEGER NOT NULL,
        type TEXT NOT NULL, other TEXT NOT NULL, other_key TEXT NOT NULL, other_kind TEXT NOT NULL,
        scope TEXT NOT NULL, date TEXT,
        start INTEGER NOT NULL, "end" INTEGER NOT NULL, unit_path TEXT NOT NULL, section TEXT NOT NULL,
        PRIMARY KEY (doc_id, ord)
    );
    CREATE INDEX relations_other ON relations(other_key);
    """,
    # 6: the other document's date as the clause cites it: tells apart local numbers without a year
    #    ("05/QĐ-UBND" of two provinces, two years)
    """
    ALTER TABLE relations ADD COLUMN other_date TEXT;
    """,
    # 7: progress on assigned tasks, append-only (the full history is kept); no foreign key: a task's
    #    progress outlives a re-reading of its document (the task id is its document, unit and words)
    """
    CREATE TABLE IF NOT EXISTS progress (
        id TEXT PRIMARY KEY,
        task_id TEXT NOT NULL,
        doc_id TEXT NOT NULL,
        period TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        evidence TEXT,
        author TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS progress_task ON progress(task_id, period, at);
    """,
    # 8: the audit log: every write, who, from where, when (append-only: nothing updates or deletes a row)
    """
    CREATE TABLE IF NOT EXISTS audit (
        id TEXT PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        origin TEXT NOT NULL DEFAULT '',
        action TEXT NOT NULL,
        target TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX IF NOT EXISTS audit_action ON audit(action, id);
    """,
    # 9: named API tokens with scopes, kept as SHA-256 hashes (the secret is shown once, never stored)
    """
    CREATE TABLE IF NOT EXISTS tokens (
        name TEXT PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        scopes TEXT NOT NULL,
        expires TEXT,
        created TEXT NOT NULL,
        revoked TEXT
    );
    """,
    # 10: who may read a document: public (everyone) or internal to the agencies in `audience` (a JSON list)
    """
    ALTER TABLE documents ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public';
    ALTER TABLE documents ADD COLUMN audience TEXT NOT NULL DEFAULT '[]';
    CREATE INDEX IF NOT EXISTS documents_visibility ON documents(visibility);
    """,
    # 11: webhooks per agency, and what was sent to them (an event is sent once: its key is kept when delivered)
    """
    CREATE TABLE IF NOT EXISTS webhooks (
        agency TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        secret TEXT NOT NULL,
        created TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS notifications (
        key TEXT PRIMARY KEY,
        agency TEXT NOT NULL,
        event TEXT NOT NULL,
        target TEXT NOT NULL,
        at TEXT NOT NULL,
        ok INTEGER NOT NULL,
        status INTEGER,
        attempts INTEGER NOT NULL,
        error TEXT NOT NULL DEFAULT ''
    );
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


# what the index compares to know a document changed: its file, the pipeline that parsed it, and whether it is
# internal (made internal, its words leave the diacritics restorer: `search.sync`)
_VERSION = (
    "d.file_hash || ':' || d.pipeline || CASE WHEN d.visibility = 'internal' THEN ':internal' ELSE '' END"
)


def _effect_json(doc: Document) -> str | None:
    """The entry into force with the sentence that states it, so reading it needs no document text."""
    e = doc.effect
    return None if e is None else _j({**e.to_dict(), "quote": doc.text[e.start : e.end]})


def _relation_key(other: str, kind: str) -> str:
    """The other document's key: its number's, or its folded name (resolved against the catalog later)."""
    return number_key(other) if kind == "number" else "title:" + " ".join(fold(other).lower().split())


def _number_key_or_none(number: str | None) -> str | None:
    return number_key(number) if number else None


class SchemaTooNew(TracuuError):
    """A data folder written by a newer tracuu: never downgraded, never read half-understood."""

    code = "schema-too-new"
    title = "kho của phiên bản mới hơn"


def open_store(home: str | Path, database_url: str | None = None) -> Store:
    """The store a configuration names: PostgreSQL at `database_url` (TRACUU_DATABASE_URL) when set,
    else SQLite in the data folder `home`."""
    if database_url:
        from .postgres.store import PgStore

        return PgStore.connect(database_url)
    return Store.open(home)


class Store:
    """Documents on disk. Open with `Store.open(home)` (or `open_store`); every write is one transaction."""

    dialect = "sqlite"
    # Documents this connection's reader may not see (internal ones, for a caller without their scope): every
    # read below leaves them out, so whatever is built from the store (answers, tasks, references, reports,
    # counts) never holds them. Set by the core for one request (`Tracuu.store(viewer=…)`), empty otherwise.
    hidden: frozenset[str] = frozenset()

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
        conn.create_function("tracuu_number_key", 1, _number_key_or_none, deterministic=True)  # migration 4
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
                if c.execute("PRAGMA user_version").fetchone()[0] > number:
                    continue  # another process migrated it while this one waited for the lock
                for statement in _statements(MIGRATIONS[number]):
                    try:
                        c.execute(statement)
                    except sqlite3.OperationalError as e:  # a column an intermediate version already added
                        if not ("duplicate column name" in str(e) and "ADD COLUMN" in statement.upper()):
                            raise
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

    def put(self, doc: Document, shown: tuple[str, list[str]] | None = None) -> None:
        """Insert or replace a document with its units and chunks, atomically; `shown` (visibility, audience)
        set in the same transaction, so an internal document is never readable as public, even for a moment."""
        h = doc.header
        with self.transaction() as c:
            kept = c.execute(  # a new version of a document keeps who may read it
                "SELECT visibility, audience FROM documents WHERE doc_id = ? OR source_path = ?",
                (doc.doc_id, doc.source_path),
            ).fetchone()
            c.execute(
                "DELETE FROM documents WHERE doc_id = ? OR source_path = ?", (doc.doc_id, doc.source_path)
            )
            c.execute(
                "INSERT INTO documents (doc_id, source_path, file_hash, kind, number, type, date, issuer, issuer_full,"
                " place, title, signer, signer_title, recipients, metadata, warnings, pages, text, pipeline, number_key,"
                " effective) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    doc.doc_id, doc.source_path, doc.file_hash, doc.kind, h.number, h.type, h.date, h.issuer,
                    h.issuer_full, h.place, h.title, h.signer, h.signer_title, _j(h.recipients), _j(doc.metadata),
                    _j(doc.warnings), _j(doc.pages), doc.text, doc.pipeline, _number_key_or_none(h.number),
                    _effect_json(doc),
                ),
            )  # fmt: skip
            if shown is not None:
                kept = (shown[0], _j(shown[1]))
            if kept is not None and kept[0] != "public":
                c.execute("UPDATE documents SET visibility = ?, audience = ? WHERE doc_id = ?",
                          (kept[0], kept[1], doc.doc_id))  # fmt: skip
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
            c.executemany(
                "INSERT INTO tasks VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (doc.doc_id, i, t.unit_path, t.section, t.lead, agency_key(t.lead), t.lead_written,
                     _j(t.cooperating), _j(t.co_leads), t.task, t.deadline, _j(t.report_to), t.kind, t.start, t.end)
                    for i, t in enumerate(doc.tasks)
                ],
            )  # fmt: skip
            c.executemany(
                "INSERT INTO refs VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (doc.doc_id, i, r.unit_path, r.section, r.start, r.end, r.text, r.type, r.number,
                     number_key(r.number) if r.number else None, r.date, r.issuer, r.title, r.short_name,
                     int(r.via_short_name), _j(r.problems))
                    for i, r in enumerate(doc.references)
                ],
            )  # fmt: skip
            c.executemany(
                'INSERT INTO relations (doc_id, ord, type, other, other_key, other_kind, other_date, scope, date, start,'
                ' "end", unit_path, section) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)',
                [
                    (doc.doc_id, i, r.type, r.other, _relation_key(r.other, r.other_kind), r.other_kind, r.other_date,
                     r.scope, r.date, r.start, r.end, r.unit_path, r.section)
                    for i, r in enumerate(doc.relations)
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
        return self._shown(dict(r) for r in rows)

    def headers(self) -> list[dict[str, Any]]:
        """Every document's number, date, issuer and place: what a question can name it by (knowledge/scope.py)
        and what keys it in the validity ledger."""
        rows = self.conn.execute(
            "SELECT doc_id, number, date, issuer, issuer_full, place FROM documents"
        ).fetchall()
        return self._shown(dict(r) for r in rows)

    def find(self, ref: str) -> dict[str, Any] | None:
        """A document by id, by number ("1212/KH-UBND", case-insensitive, or in another written form of it:
        "161/QD-TTg", "161/qđ-ttg") or by source path: the one way every door finds a document."""
        seen, hid = self.unhidden()  # a hidden document is not there at all: no other row is shadowed by it
        row = self.conn.execute(
            f"SELECT * FROM documents WHERE (doc_id = ? OR lower(number) = lower(?) OR source_path = ?) AND {seen}"
            " ORDER BY doc_id = ? DESC LIMIT 1",
            (ref, ref.strip(), ref, *hid, ref),
        ).fetchone()
        if row is None and "/" in ref:  # a number written another way (ids never hold "/")
            row = self.conn.execute(
                f"SELECT * FROM documents WHERE number_key = ? AND {seen} ORDER BY doc_id LIMIT 1",
                (number_key(ref), *hid),
            ).fetchone()
        if row is None or row["doc_id"] in self.hidden:
            return None
        doc = dict(row)
        for key in ("recipients", "metadata", "warnings", "pages"):
            doc[key] = json.loads(doc[key])
        return doc

    def header(self, doc_id: str) -> dict[str, Any] | None:
        """A document's metadata by id, without its text (what a search hit and its citation need)."""
        row = self.conn.execute(
            "SELECT doc_id, kind, number, type, date, issuer, issuer_full, place, title FROM documents"
            " WHERE doc_id = ?",
            (doc_id,),
        ).fetchone()
        return dict(row) if row and doc_id not in self.hidden else None

    def units(self, doc_id: str) -> list[dict[str, Any]]:
        if doc_id in self.hidden:
            return []
        rows = self.conn.execute("SELECT * FROM units WHERE doc_id = ? ORDER BY ord", (doc_id,)).fetchall()
        return [dict(r) for r in rows]

    def chunks(self, doc_id: str | None = None) -> list[dict[str, Any]]:
        if doc_id is None:
            rows = self.conn.execute("SELECT * FROM chunks ORDER BY doc_id, ord").fetchall()
        else:
            rows = self.conn.execute(
                "SELECT * FROM chunks WHERE doc_id = ? ORDER BY ord", (doc_id,)
            ).fetchall()
        return self._shown(dict(r) for r in rows)

    def chunks_by_id(self, chunk_ids: list[str]) -> dict[str, dict[str, Any]]:
        """The chunks a result list shows, in one query and without their segmented words."""
        out: dict[str, dict[str, Any]] = {}
        for start in range(0, len(chunk_ids), 500):  # under SQLite's bound-parameter limit
            part = chunk_ids[start : start + 500]
            rows = self.conn.execute(
                'SELECT chunk_id, doc_id, section, text, page, context, start, "end" FROM chunks'
                f" WHERE chunk_id IN ({','.join('?' * len(part))})",
                part,
            ).fetchall()
            out.update((r["chunk_id"], dict(r)) for r in rows if r["doc_id"] not in self.hidden)
        return out

    def chunk_at(self, doc_id: str, start: int, end: int) -> dict[str, Any] | None:
        """The smallest chunk that holds a span of a document (where a citation sits)."""
        row = self.conn.execute(
            'SELECT chunk_id, doc_id, section, text, page, context, start, "end" FROM chunks'
            ' WHERE doc_id = ? AND start <= ? AND "end" >= ? ORDER BY "end" - start LIMIT 1',
            (doc_id, start, end),
        ).fetchone()
        return dict(row) if row and doc_id not in self.hidden else None

    def index_rows(self, chunk_ids: list[str] | None = None) -> list[dict[str, Any]]:
        """Every chunk (or those named, in that order) with what the index needs: text, context, document
        metadata for filters."""
        sql = ("SELECT c.chunk_id, c.doc_id, c.text, c.words, c.context, c.section,"
               f" {_VERSION} AS file_hash, d.type, d.issuer,"
               " d.date, d.number, d.title, d.visibility FROM chunks c JOIN documents d ON d.doc_id = c.doc_id")  # fmt: skip
        if chunk_ids is None:
            return [dict(r) for r in self.conn.execute(sql + " ORDER BY c.doc_id, c.ord").fetchall()]
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(chunk_ids), 500):  # under SQLite's bound-parameter limit
            part = chunk_ids[start : start + 500]
            rows = self.conn.execute(sql + f" WHERE c.chunk_id IN ({','.join('?' * len(part))})", part)
            found.update((r["chunk_id"], dict(r)) for r in rows)
        return [found[c] for c in chunk_ids if c in found]

    def doc_hashes(self) -> dict[str, str]:
        """What the index compares to know a document changed: its file and the pipeline that parsed it."""
        rows = self.conn.execute(f"SELECT d.doc_id, {_VERSION} FROM documents d").fetchall()
        return dict(rows)

    def is_current(self, source_path: str, file_hash: str) -> bool:
        """The file is stored, unchanged, and was parsed by this version of the pipeline."""
        row = self.conn.execute(
            "SELECT file_hash, pipeline FROM documents WHERE source_path = ?", (source_path,)
        ).fetchone()
        return row is not None and row[0] == file_hash and row[1] >= PIPELINE_VERSION

    # ------------------------------------------------------------ knowledge
    def tasks(self, agency: str | None = None, doc_id: str | None = None) -> list[dict[str, Any]]:
        """Assignments, optionally of one agency (any written variant) and/or one document."""
        where, args = [], []
        if agency:
            where.append("(t.lead_key = ? OR t.co_leads LIKE ?)")
            args += [agency_key(agency), f"%{agency}%"]
        return self._tasks(where, args, doc_id)

    def tasks_cooperating(self, agency: str, doc_id: str | None = None) -> list[dict[str, Any]]:
        """Assignments that name an agency (its canonical name) among those who cooperate."""
        return self._tasks(["t.cooperating LIKE ?"], [f"%{agency}%"], doc_id)

    def group_tasks(self, doc_id: str | None = None) -> list[dict[str, Any]]:
        """Assignments led by a group ("Các đơn vị thuộc trụ cột …", "Các sở, ban, ngành")."""
        return self._tasks(["t.lead LIKE 'Các %'"], [], doc_id)

    def _tasks(self, where: list[str], args: list[Any], doc_id: str | None) -> list[dict[str, Any]]:
        """Assignments with their document's metadata, in reading order, under the given conditions."""
        if doc_id:
            where, args = [*where, "t.doc_id = ?"], [*args, doc_id]
        sql = (
            "SELECT t.*, d.number, d.type, d.date, d.issuer, d.issuer_full, d.place, d.title FROM tasks t"
            " JOIN documents d ON d.doc_id = t.doc_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY t.doc_id, t.ord"
        )
        return self._shown(
            _decode(dict(r), "cooperating", "co_leads", "report_to") for r in self.conn.execute(sql, args)
        )

    def documents_assigning(self, lead_prefix: str, limit: int) -> list[str]:
        """The documents with the most assignments led by a kind of body ("Sở …"), most first."""
        rows = self.conn.execute(
            "SELECT doc_id FROM tasks WHERE lead LIKE ? GROUP BY doc_id ORDER BY count(*) DESC, doc_id LIMIT ?",
            (f"{lead_prefix} %", limit + len(self.hidden)),
        )
        return [r[0] for r in rows if r[0] not in self.hidden][:limit]

    def tasks_in(self, doc_id: str, start: int, end: int) -> list[dict[str, Any]]:
        """Assignments whose text overlaps a span of a document (the evidence passage of an answer)."""
        rows = self.conn.execute(
            'SELECT * FROM tasks WHERE doc_id = ? AND start < ? AND "end" > ? ORDER BY ("end" - start), ord',
            (doc_id, end, start),
        ).fetchall()
        return self._shown(_decode(dict(r), "cooperating", "co_leads", "report_to") for r in rows)

    def tasks_below(self, doc_id: str, path: str) -> list[dict[str, Any]]:
        """Assignments inside a unit (its bullets and points), in reading order."""
        rows = self.conn.execute(
            "SELECT * FROM tasks WHERE doc_id = ? AND unit_path LIKE ? ORDER BY ord", (doc_id, f"{path}.%")
        ).fetchall()
        return self._shown(_decode(dict(r), "cooperating", "co_leads", "report_to") for r in rows)

    def refs(self, number: str | None = None, doc_id: str | None = None) -> list[dict[str, Any]]:
        """Citations, optionally of one number (any written form) and/or in one document."""
        where, args = [], []
        if number:
            where.append("r.number_key = ?")
            args.append(number_key(number))
        if doc_id:
            where.append("r.doc_id = ?")
            args.append(doc_id)
        sql = (
            "SELECT r.*, d.number AS doc_number, d.type AS doc_type, d.date AS doc_date,"
            " d.issuer_full AS doc_issuer, d.title AS doc_title FROM refs r JOIN documents d ON d.doc_id = r.doc_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY r.doc_id, r.ord"
        )
        return self._shown(_decode(dict(r), "problems") for r in self.conn.execute(sql, args))

    def refs_in(self, doc_id: str, start: int, end: int) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            'SELECT * FROM refs WHERE doc_id = ? AND start < ? AND "end" > ? ORDER BY ord',
            (doc_id, end, start),
        ).fetchall()
        return self._shown(_decode(dict(r), "problems") for r in rows)

    def add_progress(self, entry: dict[str, Any]) -> None:
        """One progress record, appended in its own transaction (never updated, never deleted)."""
        cols = ("id", "task_id", "doc_id", "period", "state", "note", "evidence", "author", "at")
        with self.transaction() as c:
            c.execute(f"INSERT INTO progress ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                      [entry[k] for k in cols])  # fmt: skip

    def progress(self, task_ids: list[str] | None = None) -> list[dict[str, Any]]:
        """Progress records (of these tasks), in the order written (ids begin with the time in ns)."""
        sql = "SELECT * FROM progress"
        rows: list[Any] = []
        if task_ids is None:
            rows = self.conn.execute(sql + " ORDER BY id").fetchall()
        else:
            for start in range(0, len(task_ids), 500):
                part = task_ids[start : start + 500]
                rows += self.conn.execute(
                    sql + f" WHERE task_id IN ({','.join('?' * len(part))})", part
                ).fetchall()
            rows.sort(key=lambda r: r["id"])
        return self._shown(dict(r) for r in rows)

    def add_audit(self, entry: dict[str, Any]) -> None:
        """One line of the audit log, appended in its own transaction."""
        cols = ("id", "at", "actor", "origin", "action", "target", "detail")
        with self.transaction() as c:
            c.execute(f"INSERT INTO audit ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                      [entry[k] for k in cols])  # fmt: skip

    def audit(self, limit: int = 100, action: str | None = None) -> list[dict[str, Any]]:
        """The latest lines of the audit log, newest first."""
        where, args = ("WHERE action = ? ", [action]) if action else ("", [])
        rows = self.conn.execute(f"SELECT * FROM audit {where}ORDER BY id DESC LIMIT ?", [*args, limit])
        return [dict(r) for r in rows]

    def set_visibility(self, doc_id: str, visibility: str, audience: list[str]) -> None:
        with self.transaction() as c:
            c.execute("UPDATE documents SET visibility = ?, audience = ? WHERE doc_id = ?",
                      (visibility, _j(audience), doc_id))  # fmt: skip

    def internal_documents(self) -> dict[str, tuple[list[str], str | None]]:
        """Every internal document with the agencies it is shown to and its province (an agency of its
        audience named without one is of that province). Few: one indexed query."""
        from tracuu.ingest.agencies import doc_province

        rows = self.conn.execute(
            "SELECT doc_id, audience, issuer, issuer_full, place FROM documents WHERE visibility = 'internal'"
        ).fetchall()
        return {r["doc_id"]: (json.loads(r["audience"] or "[]"), doc_province(dict(r))) for r in rows}

    def set_webhook(self, row: dict[str, Any]) -> None:
        """An agency's webhook, added or replaced."""
        with self.transaction() as c:
            c.execute("DELETE FROM webhooks WHERE agency = ?", [row["agency"]])
            c.execute("INSERT INTO webhooks (agency, url, secret, created) VALUES (?, ?, ?, ?)",
                      [row["agency"], row["url"], row["secret"], row["created"]])  # fmt: skip

    def webhooks(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM webhooks ORDER BY agency")]

    def remove_webhook(self, agency: str) -> bool:
        with self.transaction() as c:
            return c.execute("DELETE FROM webhooks WHERE agency = ?", [agency]).rowcount > 0

    def delivered(self, keys: list[str]) -> set[str]:
        """Which of these events were delivered already (a failed one is tried again next time)."""
        out: set[str] = set()
        for start in range(0, len(keys), 500):
            part = keys[start : start + 500]
            rows = self.conn.execute(
                f"SELECT key FROM notifications WHERE ok = 1 AND key IN ({','.join('?' * len(part))})", part
            )
            out.update(r[0] for r in rows)
        return out

    def record_notifications(self, rows: list[dict[str, Any]]) -> None:
        cols = ("key", "agency", "event", "target", "at", "ok", "status", "attempts", "error")
        with self.transaction() as c:
            for row in rows:
                c.execute("DELETE FROM notifications WHERE key = ?", [row["key"]])
                c.execute(f"INSERT INTO notifications ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                          [row[k] for k in cols])  # fmt: skip

    def add_token(self, row: dict[str, Any]) -> bool:
        """A new named token; False when the name is taken."""
        cols = ("name", "hash", "scopes", "expires", "created", "revoked")
        with self.transaction() as c:
            if c.execute("SELECT 1 FROM tokens WHERE name = ?", [row["name"]]).fetchone():
                return False
            c.execute(f"INSERT INTO tokens ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                      [row[k] for k in cols])  # fmt: skip
        return True

    def tokens(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM tokens ORDER BY created, name")]

    def token_by_hash(self, digest: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT * FROM tokens WHERE hash = ?", [digest]).fetchone()
        return dict(row) if row else None

    def revoke_token(self, name: str, at: str) -> bool:
        """Mark a token revoked (kept, so the audit log's names stay explained); False when unknown."""
        with self.transaction() as c:
            row = c.execute("SELECT revoked FROM tokens WHERE name = ?", [name]).fetchone()
            if row is None:
                return False
            if row[0] is None:
                c.execute("UPDATE tokens SET revoked = ? WHERE name = ?", [at, name])
        return True

    def relations(self) -> list[dict[str, Any]]:
        """Every relation the stored documents state, with the stating document's number, type, date,
        issuer and own entry into force, in document order."""
        sql = (
            "SELECT r.*, d.number AS doc_number, d.type AS doc_type, d.date AS doc_date,"
            ' d.issuer_full AS doc_issuer, d.title AS doc_title, substr(d.text, r.start + 1, r."end" - r.start) AS quote'
            " FROM relations r JOIN documents d ON d.doc_id = r.doc_id ORDER BY r.doc_id, r.ord"
        )
        return self._shown(dict(r) for r in self.conn.execute(sql))

    def effects(self) -> list[dict[str, Any]]:
        """Each stored document's own entry into force, as its text states it (rows without one included)."""
        rows = self.conn.execute(
            "SELECT doc_id, number, type, date, issuer_full, title, effective FROM documents"
        )
        return self._shown(_decode(dict(r), "effective") if r["effective"] else dict(r) for r in rows)

    def numbered(self, number: str) -> list[str]:
        """Every document carrying a number, in any written form of it (two provinces' "12/KH-UBND")."""
        rows = self.conn.execute(
            "SELECT doc_id FROM documents WHERE lower(number) = lower(?) OR number_key = ? ORDER BY doc_id",
            (number.strip(), number_key(number)),
        ).fetchall()
        return [r[0] for r in rows if r[0] not in self.hidden]

    def find_number(self, number: str) -> dict[str, Any] | None:
        """The corpus document that carries a number, whatever its written form ("161/QD-TTg"), even
        without a "/" ("161 QĐ-TTg")."""
        rows = self.conn.execute(
            "SELECT doc_id FROM documents WHERE number_key = ? ORDER BY doc_id", (number_key(number),)
        ).fetchall()
        shown = [r[0] for r in rows if r[0] not in self.hidden]
        return self.find(shown[0]) if shown else None

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
        out = {
            "documents": q("SELECT COUNT(*) FROM documents").fetchone()[0],
            "units": q("SELECT COUNT(*) FROM units").fetchone()[0],
            "chunks": q("SELECT COUNT(*) FROM chunks").fetchone()[0],
        }
        if self.hidden:  # what the reader may not see is not counted either
            ids = sorted(self.hidden)
            marks = ",".join("?" * len(ids))
            out["documents"] -= q(
                f"SELECT COUNT(*) FROM documents WHERE doc_id IN ({marks})", ids
            ).fetchone()[0]
            out["units"] -= q(f"SELECT COUNT(*) FROM units WHERE doc_id IN ({marks})", ids).fetchone()[0]
            out["chunks"] -= q(f"SELECT COUNT(*) FROM chunks WHERE doc_id IN ({marks})", ids).fetchone()[0]
        return out

    def unhidden(self, column: str = "doc_id") -> tuple[str, list[str]]:
        """An SQL condition (and its arguments) keeping a query that reads the tables itself to the documents
        this reader may see: "1=1" when nothing is hidden."""
        if not self.hidden:
            return "1=1", []
        ids = sorted(self.hidden)
        return f"{column} NOT IN ({','.join('?' * len(ids))})", ids

    def _shown(self, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """The rows of documents this reader may see (`hidden`)."""
        return [r for r in rows if r["doc_id"] not in self.hidden]


def agency_key(name: str | None) -> str | None:
    """The matching key of an agency name: equal for every written variant of one agency."""
    if not name:
        return None
    agency = resolve_agency(name)
    return agency.key if agency is not None else " ".join(name.lower().split())


def _decode(row: dict[str, Any], *keys: str) -> dict[str, Any]:
    for key in keys:
        row[key] = json.loads(row[key])
    return row


def _j(value: Any) -> str:
    return json.dumps(
        value if not hasattr(value, "__dataclass_fields__") else asdict(value), ensure_ascii=False
    )


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
