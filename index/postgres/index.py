"""The search index in PostgreSQL: BM25 over the same three token fields as the local index — postings
stored as segments of packed arrays (a term's rows and frequencies per write), a query's terms fetched and
scored by the local index's own code — and dense search over a pgvector column with an HNSW index — behind the same
`IndexBackend` / `WritableIndex` interface as `LocalIndex`, so retrieval, fusion, filters and the result
JSON do not know which backend answers.

Rows are numbered by a sequence and a number is never reused, so a reader's snapshot and the tables always
agree on what a row is. A snapshot (`PgIndex.load`) holds, in memory, what filters and the fill read (row →
chunk and document, which rows are live and have a vector, field lengths, the diacritics restorer); the
postings and vectors stay in the database and are queried per search, limited to the snapshot's rows. A
writer changes the tables in one transaction and bumps `index_state.generation` when it commits (`save`),
so servers on other machines see a complete new index or the old one, never half a document.

BM25 here is the local index's code (Lucene's idf, k1 1.2, b 0.75, statistics over the rows a filter allows)
on the tokens the same code produces, so the two backends score alike to the bit (scoring in SQL was tried
first: the same ranking at 60–170 ms a query, BENCHMARKS.md); accent folding is our own tokenizer's (`fold`
field), not PostgreSQL's unaccent, for that reason.
"""

from __future__ import annotations

import io
import tempfile
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import numpy as np

from tracuu.index.backend import Filters, IndexMismatch, RowHit, RowMeta, require_model, rows_allowed
from tracuu.index.lexical import FIELDS, TOKENIZER_VERSION, FieldIndex, LexicalIndex, Segment
from tracuu.index.lru import LRU

from .connection import DatabaseUnavailable, lost_connection, redact

FIELD_IDS = {name: i for i, name in enumerate(FIELDS)}
MERGE_SEGMENTS = 32  # more postings segments than this: the writer merges them into one (dead rows dropped)
EF_SEARCH = 512  # HNSW candidates per search (the local index's HNSW uses the same; pgvector allows 1000)
RANKING_CACHE = 1024


def _vector_text(v: np.ndarray) -> str:
    return "[" + ",".join(f"{x:.9g}" for x in np.asarray(v, dtype=np.float32).tolist()) + "]"  # float32 exact


def connect_raw(url: str) -> Any:
    """A plain psycopg connection (autocommit) set up for vector search."""
    import psycopg

    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as e:
        raise DatabaseUnavailable(
            f"Không kết nối được PostgreSQL tại '{redact(url)}': {' '.join(str(e).split())}"
        ) from None
    conn.execute(f"SET hnsw.ef_search = {EF_SEARCH}")
    conn.execute("SET hnsw.iterative_scan = relaxed_order")  # filtered searches still find k rows
    return conn


WRITE_LOCK = 7_455_382_022  # pg_advisory_xact_lock key held by the one index writer, on any machine


def begin_write(url: str) -> Any:
    """A connection inside a transaction that holds the index's write lock (other writers wait for it)."""
    conn = connect_raw(url)
    conn.execute("BEGIN")
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
    return conn


def begin_work(url: str) -> Any:
    """A connection inside a transaction, for an embedding worker's claim (no write lock: claims of rows
    do not collide, `FOR UPDATE SKIP LOCKED`)."""
    conn = connect_raw(url)
    conn.execute("BEGIN")
    return conn


class PgIndex:
    """A snapshot of the index in PostgreSQL (reads), or the index a writer changes (writes, then `save`)."""

    def __init__(self, url: str, model: str, dim: int, reader: Callable[[], Any]):
        self.url = url
        self.model = model
        self.dim = dim
        self.meta = RowMeta()  # chunk_ids / row_doc indexed by row number; None where no live row is
        self.alive = np.zeros(0, dtype=bool)
        self.embedded = np.zeros(0, dtype=bool)
        self.lengths = np.zeros((0, len(FIELDS)), dtype=np.float32)
        self.restorer: Any = None
        self.generation: str | None = None
        self.segment = 0  # the last postings segment this snapshot sees (later ones hold later rows)
        self.rankings: LRU[Any] = LRU(RANKING_CACHE)
        self._reader = reader  # this thread's connection for searches
        self.submit: Callable[[Callable[[], Any]], Future[Any]] | None = None  # the place's search threads
        self._writer: Any = None  # the writer's connection, inside its transaction until `save`
        self._fresh = False  # `new`: the tables are emptied by the first write
        self._changed = False  # this writer changed something (else `save` commits nothing)

    # ------------------------------------------------------------ loading
    @classmethod
    def load(cls, url: str, reader: Callable[[], Any], model: str | None = None, writer: Any = None
             ) -> PgIndex | None:  # fmt: skip
        """The committed index as one consistent snapshot; None when none was built yet. `writer`: read
        inside a writer's transaction, which holds the write lock (`PgPlace.load_for_write`)."""
        conn = writer or reader()
        with conn.transaction() if writer is None else nullcontext():
            if writer is None:
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            state = conn.execute(
                "SELECT generation, model, dim, tokenizer, restorer, segment, vectors FROM index_state WHERE id = 1"
            ).fetchone()
            if state is None or state[1] is None:
                return None
            generation, built_with, dim, tokenizer, restorer, segment, filled = state
            if tokenizer != TOKENIZER_VERSION:
                raise IndexMismatch(
                    f"{redact(url)}: chỉ mục dùng bộ tách từ {tokenizer}, khác {TOKENIZER_VERSION}; "
                    "chạy `tracuu index --rebuild`"
                )
            require_model(built_with, model)
            index = cls(url, built_with, dim, reader)
            index.generation, index.segment = f"{generation}.{filled}", segment
            rows = conn.execute(
                "SELECT rid, chunk_id, doc_id, embedding IS NOT NULL, len_syl, len_words, len_fold FROM index_rows"
            ).fetchall()
            docs = conn.execute("SELECT doc_id, hash, type, issuer, number, year FROM index_docs").fetchall()
        index._mirror(rows, docs)
        if restorer is not None:
            from tracuu.index.diacritics import DiacriticRestorer

            index.restorer = DiacriticRestorer.load(io.BytesIO(bytes(restorer)))
        return index

    def with_vectors(self, conn: Any, generation: str) -> PgIndex:
        """This snapshot with the rows that have their vector read again (only vectors changed since)."""
        copy = PgIndex(self.url, self.model, self.dim, self._reader)
        copy.submit = self.submit
        copy.meta, copy.alive, copy.lengths, copy.restorer, copy.segment = (
            self.meta, self.alive, self.lengths, self.restorer, self.segment,
        )  # fmt: skip
        waiting = [r[0] for r in conn.execute(
            "SELECT rid FROM index_rows WHERE embedding IS NULL AND rid < %s", (len(self.alive),)
        ).fetchall()]  # fmt: skip
        copy.embedded = self.alive.copy()
        copy.embedded[np.asarray(waiting, dtype=np.int64)] = False
        copy.generation = generation
        return copy

    def _mirror(self, rows: list[tuple], docs: list[tuple]) -> None:
        n = max((r[0] for r in rows), default=-1) + 1
        self.meta = RowMeta([None] * n, [None] * n, {})  # type: ignore[list-item]
        self.alive = np.zeros(n, dtype=bool)
        self.embedded = np.zeros(n, dtype=bool)
        self.lengths = np.zeros((n, len(FIELDS)), dtype=np.float32)
        for rid, chunk_id, doc_id, has_vector, *lengths in rows:
            self.meta.chunk_ids[rid], self.meta.row_doc[rid] = chunk_id, doc_id
            self.alive[rid], self.embedded[rid] = True, has_vector
            self.lengths[rid] = lengths
        for doc_id, digest, type_, issuer, number, year in docs:
            self.meta.docs[doc_id] = {"type": type_, "issuer": issuer, "number": number, "year": year,
                                      "hash": digest}  # fmt: skip

    # ------------------------------------------------------------ writes (one transaction, ended by save)
    def _tx(self) -> Any:
        self._changed = True
        if self._writer is None:
            self._writer = begin_write(self.url)
            if self._fresh:
                self._writer.execute("DELETE FROM index_rows")
                self._writer.execute("DELETE FROM index_docs")
                self._writer.execute("DELETE FROM postings")
                self._set_vector_column(self._writer)
        return self._writer

    def _set_vector_column(self, conn: Any) -> None:
        """The vector column of this model's dimension, with its HNSW index (dropped and made again when a
        rebuild changes the model's dimension)."""
        row = conn.execute(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
            " WHERE attrelid = 'index_rows'::regclass AND attname = 'embedding' AND NOT attisdropped"
        ).fetchone()
        if row is not None and row[0] == f"vector({self.dim})":
            return
        conn.execute("ALTER TABLE index_rows DROP COLUMN IF EXISTS embedding")
        conn.execute(f"ALTER TABLE index_rows ADD COLUMN embedding vector({int(self.dim)})")
        conn.execute("CREATE INDEX index_rows_hnsw ON index_rows USING hnsw (embedding vector_ip_ops)")
        conn.execute(
            "CREATE INDEX index_rows_waiting ON index_rows (rid) WHERE embedding IS NULL"
        )  # the queue

    def add(self, rows: list[dict[str, Any]], vectors: np.ndarray, tokens: list[dict[str, list[str]]],
            embedded: np.ndarray | None = None) -> None:  # fmt: skip
        if not rows:
            return
        conn = self._tx()
        self.rankings.clear()
        done = np.ones(len(rows), dtype=bool) if embedded is None else np.asarray(embedded, dtype=bool)
        rids = [r[0] for r in conn.execute(
            "SELECT nextval('index_rows_rid') FROM generate_series(1, %s)", (len(rows),)
        ).fetchall()]  # fmt: skip
        lengths = [[len(t[f]) for f in FIELDS] for t in tokens]
        with conn.cursor().copy(
            "COPY index_rows (rid, chunk_id, doc_id, len_syl, len_words, len_fold, embedding) FROM STDIN"
        ) as copy:
            for rid, r, lens, v, ok in zip(rids, rows, lengths, vectors, done, strict=True):
                copy.write_row((rid, r["chunk_id"], r["doc_id"], *lens, _vector_text(v) if ok else None))
        self._write_segment(conn, rids, tokens)
        new_docs = {}
        for r in rows:
            new_docs.setdefault(r["doc_id"], {
                "type": r.get("type"), "issuer": r.get("issuer"), "number": r.get("number"),
                "year": int(r["date"][:4]) if r.get("date") else None, "hash": r.get("file_hash"),
            })  # fmt: skip
        conn.cursor().executemany(
            "INSERT INTO index_docs (doc_id, hash, type, issuer, number, year) VALUES (%s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (doc_id) DO UPDATE SET hash = EXCLUDED.hash, type = EXCLUDED.type,"
            " issuer = EXCLUDED.issuer, number = EXCLUDED.number, year = EXCLUDED.year",
            [(d, m["hash"], m["type"], m["issuer"], m["number"], m["year"]) for d, m in new_docs.items()],
        )
        for d, m in new_docs.items():
            self.meta.docs.setdefault(d, m)
        self._grow(max(rids) + 1)
        for rid, r, lens, ok in zip(rids, rows, lengths, done, strict=True):
            self.meta.chunk_ids[rid], self.meta.row_doc[rid] = r["chunk_id"], r["doc_id"]
            self.alive[rid], self.embedded[rid] = True, ok
            self.lengths[rid] = lens
        self.rankings.clear()

    def _write_segment(self, conn: Any, rids: list[int], tokens: list[dict[str, list[str]]]) -> None:
        """The postings of these rows as one new segment: per field and term, its rows and frequencies."""
        seg = conn.execute("SELECT nextval('postings_seg')").fetchone()[0]
        with conn.cursor().copy("COPY postings (field, term, seg, rids, tfs) FROM STDIN") as copy:
            for name in FIELDS:
                per_term: dict[str, list[tuple[int, int]]] = {}
                for rid, t in zip(rids, tokens, strict=True):
                    for term, tf in Counter(t[name]).items():
                        per_term.setdefault(term, []).append((rid, tf))
                for term, postings in per_term.items():
                    arr = np.asarray(postings, dtype=np.int64)
                    copy.write_row((FIELD_IDS[name], term, seg, arr[:, 0].astype(np.int32).tobytes(),
                                    arr[:, 1].astype(np.float32).tobytes()))  # fmt: skip
        self.segment = max(self.segment, seg)

    def _merge_segments(self, conn: Any) -> None:
        """Past MERGE_SEGMENTS segments, one segment of the live rows' postings replaces them all (queries
        then read one row per term instead of one per write)."""
        if conn.execute("SELECT count(DISTINCT seg) FROM postings").fetchone()[0] <= MERGE_SEGMENTS:
            return
        seg = conn.execute("SELECT nextval('postings_seg')").fetchone()[0]
        out, key, parts = [], None, []
        rows = conn.execute(
            "SELECT field, term, rids, tfs FROM postings ORDER BY field, term, seg"
        ).fetchall()
        for field, term, rids, tfs in [*rows, (None, None, b"", b"")]:
            if (field, term) != key and parts:
                found = np.concatenate([r for r, _ in parts])
                freqs = np.concatenate([f for _, f in parts])
                live = (found < len(self.alive)) & self.alive[np.minimum(found, len(self.alive) - 1)]
                if live.any():
                    out.append((key[0], key[1], seg, found[live].tobytes(), freqs[live].tobytes()))
                parts = []
            key = (field, term)
            if field is not None:
                parts.append((np.frombuffer(rids, np.int32), np.frombuffer(tfs, np.float32)))
        with conn.cursor().copy("COPY postings (field, term, seg, rids, tfs) FROM STDIN") as copy:
            for row in out:
                copy.write_row(row)
        conn.execute("DELETE FROM postings WHERE seg < %s", (seg,))
        self.segment = seg

    def _grow(self, n: int) -> None:
        extra = n - len(self.alive)
        if extra <= 0:
            return
        self.meta.chunk_ids.extend([None] * extra)  # type: ignore[list-item]
        self.meta.row_doc.extend([None] * extra)  # type: ignore[list-item]
        self.alive = np.concatenate([self.alive, np.zeros(extra, dtype=bool)])
        self.embedded = np.concatenate([self.embedded, np.zeros(extra, dtype=bool)])
        self.lengths = np.vstack([self.lengths, np.zeros((extra, len(FIELDS)), dtype=np.float32)])

    def fill(self, rows: np.ndarray, vectors: np.ndarray) -> None:
        rows = np.asarray(rows, dtype=np.int64)
        if not len(rows):
            return
        conn = self._tx()
        self.rankings.clear()
        conn.cursor().executemany(
            "UPDATE index_rows SET embedding = %s::vector WHERE rid = %s",
            [(_vector_text(v), int(r)) for r, v in zip(rows, vectors, strict=True)],
        )
        self.embedded[rows] = True
        self.rankings.clear()

    def delete(self, doc_ids: set[str]) -> int:
        if not doc_ids:
            return 0
        conn = self._tx()
        self.rankings.clear()
        conn.execute("DELETE FROM index_rows WHERE doc_id = ANY(%s)", (list(doc_ids),))
        conn.execute("DELETE FROM index_docs WHERE doc_id = ANY(%s)", (list(doc_ids),))
        doc_of = np.asarray(self.meta.row_doc, dtype=object)
        dead = np.isin(doc_of, list(doc_ids)) & self.alive
        self.alive[dead] = False
        for i in np.flatnonzero(dead):
            self.meta.chunk_ids[i] = self.meta.row_doc[i] = None  # type: ignore[call-overload]
        for d in doc_ids:
            self.meta.docs.pop(d, None)
        self.rankings.clear()
        return int(dead.sum())

    def compact(self) -> None:
        """Nothing to do: row numbers are never reused, dead rows are gone from the tables."""

    def save(self, before_commit: Callable[[], None] | None = None) -> None:
        """Commit the writer's changes with the restorer and a new generation; when it changed nothing, end
        its transaction without one (servers have nothing to reload). `before_commit` may refuse the commit
        (a writer whose owner died)."""
        if not self._changed and not self._fresh:
            self.abandon()
            return
        conn = self._tx()
        restorer = None
        if self.restorer is not None:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "diacritics.npz"
                self.restorer.save(path)
                restorer = path.read_bytes()
        self._merge_segments(conn)
        row = conn.execute(
            "INSERT INTO index_state (id, generation, model, dim, tokenizer, restorer, segment)"
            " VALUES (1, 1, %s, %s, %s, %s, %s)"
            " ON CONFLICT (id) DO UPDATE SET generation = index_state.generation + 1, model = EXCLUDED.model,"
            " dim = EXCLUDED.dim, tokenizer = EXCLUDED.tokenizer, restorer = EXCLUDED.restorer,"
            " segment = EXCLUDED.segment RETURNING generation, vectors",
            (self.model, self.dim, TOKENIZER_VERSION, restorer, self.segment),
        ).fetchone()
        try:
            if before_commit is not None:
                before_commit()
        except BaseException:
            self.abandon()
            raise
        conn.execute("COMMIT")
        conn.close()
        self._writer, self._fresh, self._changed = None, False, False
        self.generation = f"{row[0]}.{row[1]}"

    def abandon(self) -> None:
        """Roll the writer's changes back (an error before `save`)."""
        if self._writer is not None:
            self._writer.close()  # closing rolls back
            self._writer = None

    # ------------------------------------------------------------ reads
    @property
    def pending(self) -> int:
        return int((self.alive & ~self.embedded).sum())

    def allowed(self, filters: Filters) -> np.ndarray:
        return rows_allowed(self.meta, self.alive, filters)

    def dense_ready(self, allowed: np.ndarray) -> bool:
        return not (allowed & ~self.embedded).any()

    def _scope(self, allowed: np.ndarray) -> tuple[str, dict[str, Any]]:
        """SQL limiting a query to the rows a mask allows: this snapshot's rows, of the documents allowed."""
        where, args = "rid < %(n)s", {"n": len(allowed)}
        if not allowed.all() and (allowed | ~self.alive).sum() < len(allowed):  # a filter, not just dead rows
            docs = sorted({self.meta.row_doc[i] for i in np.flatnonzero(allowed)})
            where += " AND doc_id = ANY(%(docs)s)"
            args["docs"] = docs
        return where, args

    def dense_search(self, vector: np.ndarray, k: int, allowed: np.ndarray) -> list[RowHit]:
        allowed = allowed & self.embedded
        if not allowed.any():
            return []
        where, args = self._scope(allowed)
        rows = self._query(
            f"SELECT rid, -(embedding <#> %(v)s::vector) FROM index_rows WHERE embedding IS NOT NULL AND {where}"
            " ORDER BY embedding <#> %(v)s::vector LIMIT %(k)s",
            {**args, "v": _vector_text(vector), "k": k},
        )
        hits = [RowHit(int(r), float(s)) for r, s in rows if allowed[r]]
        return sorted(hits, key=lambda h: (-h.score, h.row))  # relaxed order: sorted here

    def dense_later(
        self, vector: Future[np.ndarray], k: int, allowed: np.ndarray
    ) -> Future[list[RowHit]] | None:
        """The dense search started on another connection once the query's vector is there, so the database
        walks the HNSW graph while this thread fetches and scores the postings (a hybrid search then costs
        about the longer of the two, not their sum). None when this index has no search threads."""
        if self.submit is None:
            return None
        return self.submit(lambda: self.dense_search(vector.result(), k, allowed))

    def _lexical(self, queries: dict[str, list[str]], weights: dict[str, float]) -> LexicalIndex:
        """The local index's BM25 over the postings of this query's terms only, fetched from the database,
        and this snapshot's field lengths: the same code scores, so both backends rank alike."""
        wanted = [(FIELD_IDS[f], t) for f, w in weights.items() if w for t in set(queries.get(f) or ())]
        fields = {name: FieldIndex([], self.lengths[:, i].copy()) for i, name in enumerate(FIELDS)}
        if not wanted:
            return LexicalIndex(fields)
        rows = self._query(
            "SELECT p.field, p.seg, p.term, p.rids, p.tfs FROM postings p"
            " JOIN unnest(%(fields)s::smallint[], %(terms)s::text[]) AS q(field, term)"
            " ON p.field = q.field AND p.term = q.term ORDER BY p.field, p.seg",
            {"fields": [f for f, _ in wanted], "terms": [t for _, t in wanted]},
            binary=True,  # the packed arrays as they are: text would hex-encode them (2.5× slower at 300k rows)
        )
        by_segment: dict[tuple[int, int], list[tuple[str, np.ndarray, np.ndarray]]] = {}
        n = len(self.alive)
        for field, seg, term, rids, tfs in rows:
            found, freqs = np.frombuffer(rids, dtype=np.int32), np.frombuffer(tfs, dtype=np.float32)
            # rows added after this snapshot (a later write, or a rebuild or merge committed meanwhile: a
            # segment of any number may hold them) are cut here; rows deleted since are dead in the mask
            if len(found) and found.max() >= n:
                keep = found < n
                found, freqs = found[keep], freqs[keep]
            by_segment.setdefault((field, seg), []).append((term, found, freqs))
        for (field, _), postings in by_segment.items():
            fields[FIELDS[field]].segments.append(_segment(postings))
        return LexicalIndex(fields)

    def _query(self, sql: str, params: dict[str, Any], binary: bool = False) -> list[tuple]:
        """A read on this thread's connection; one the server dropped while it sat idle (a restart, a failover,
        an idle timeout — a search thread's connection may sit idle long) is replaced once, not failed."""
        import psycopg

        with lost_connection(self.url):
            conn = self._reader()
            try:
                return conn.execute(sql, params, binary=binary).fetchall()
            except psycopg.OperationalError:
                if not (conn.closed or conn.broken):
                    raise
                return self._reader().execute(sql, params, binary=binary).fetchall()

    def lexical_scores(self, queries: dict[str, list[str]], allowed: np.ndarray, weights: dict[str, float]
                       ) -> np.ndarray:  # fmt: skip
        return self._lexical(queries, weights).scores(queries, allowed, weights)

    def lexical_top(self, queries: dict[str, list[str]], allowed: np.ndarray, weights: dict[str, float],
                    n: int) -> list[RowHit]:  # fmt: skip
        rows, scores = self._lexical(queries, weights).top(queries, allowed, weights, n)
        return [RowHit(int(r), float(s)) for r, s in zip(rows, scores, strict=True)]

    def stats(self) -> dict[str, Any]:
        return {
            "rows": int(self.alive.sum()), "dead_rows": 0, "documents": len(self.meta.docs),
            "model": self.model, "dim": self.dim, "dense": "pgvector-hnsw", "lexical_segments": 1,
            "pending_vectors": self.pending, "database": redact(self.url),
        }  # fmt: skip


def _segment(postings: list[tuple[str, np.ndarray, np.ndarray]]) -> Segment:
    """A segment of the local index's shape holding only the fetched terms."""
    offsets = np.zeros(len(postings) + 1, dtype=np.int64)
    np.cumsum([len(r) for _, r, _ in postings], out=offsets[1:])
    return Segment({term: i for i, (term, _, _) in enumerate(postings)}, offsets,
                   np.concatenate([r for _, r, _ in postings]), np.concatenate([f for _, _, f in postings]))  # fmt: skip
