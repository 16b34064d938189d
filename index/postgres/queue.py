"""The embedding queue: the index's rows still without a vector are the queue. A worker claims a batch with
`FOR UPDATE SKIP LOCKED` (workers on any machine never take the same rows), embeds it, writes the vectors
and the vector cache and commits, which makes a new generation servers follow. A worker that dies
mid-batch holds its claim only as long as its transaction: PostgreSQL rolls it back when the connection
goes, and the rows are free for the next claim."""

from __future__ import annotations

from typing import Any

import numpy as np

from tracuu.index.search import passage_text, vector_key

from .connection import lost_connection
from .index import _vector_text, begin_work


def embed_batch(url: str, embedder: Any, n: int) -> tuple[int, int]:
    """One claim: up to `n` waiting rows embedded and committed (none when the index is built with another
    model, or when another worker holds every waiting row). (rows embedded, rows still waiting — those other
    workers hold included). What `tracuu worker` repeats and a server's background fill does a step of."""
    from tracuu.index.backend import require_model

    with lost_connection(url):
        conn = begin_work(url)
        try:
            built_with = index_model(conn)
            if built_with is None:
                return 0, 0
            require_model(built_with, embedder.name)
            rows = claim(conn, n)
            if rows and complete(conn, rows, embedder.passages([t for _, t in rows]), embedder.name):
                conn.execute("COMMIT")
            else:
                rows = []
            return len(rows), waiting(conn)
        finally:
            conn.close()  # rolls back an unfinished claim


def claim(conn: Any, n: int) -> list[tuple[int, str]]:
    """Inside the caller's transaction: up to `n` rows without a vector that no other worker holds, with the
    text that is embedded for each (the document's title and the headings above the passage)."""
    rows = conn.execute(
        "SELECT r.rid, c.text, c.context, d.title FROM index_rows r"
        " JOIN chunks c ON c.chunk_id = r.chunk_id JOIN documents d ON d.doc_id = c.doc_id"
        " WHERE r.embedding IS NULL ORDER BY r.rid LIMIT %s FOR UPDATE OF r SKIP LOCKED",
        (n,),
    ).fetchall()
    return [
        (rid, passage_text({"text": text, "context": context, "title": title}))
        for rid, text, context, title in rows
    ]


def complete(conn: Any, rows: list[tuple[int, str]], vectors: np.ndarray, model: str) -> bool:
    """Inside the claim's transaction: the vectors in, cached by text, the vectors' generation counted up —
    only if the index is still built with `model` (a rebuild with another model may have committed since
    the worker looked: then False, and the caller rolls back)."""
    still = conn.execute(
        "UPDATE index_state SET vectors = vectors + 1 WHERE id = 1 AND model = %s RETURNING 1", (model,)
    ).fetchone()
    if still is None:
        return False
    cur = conn.cursor()
    cur.executemany(
        "UPDATE index_rows SET embedding = %s::vector WHERE rid = %s",
        [(_vector_text(v), rid) for (rid, _), v in zip(rows, vectors, strict=True)],
    )
    cached = {vector_key(model, text): np.asarray(v, dtype=np.float32).tobytes()
              for (_, text), v in zip(rows, vectors, strict=True)}  # fmt: skip
    cur.executemany(  # keys in order, as every writer of the cache takes them: no deadlock between two
        "INSERT INTO embeddings (key, model, vec) VALUES (%s, %s, %s) ON CONFLICT (key) DO NOTHING",
        [(k, model, cached[k]) for k in sorted(cached)],
    )
    return True


def waiting(conn: Any) -> int:
    """Rows still without a vector that a claim can take (their chunk and document stored)."""
    return conn.execute(
        "SELECT count(*) FROM index_rows r JOIN chunks c ON c.chunk_id = r.chunk_id"
        " JOIN documents d ON d.doc_id = c.doc_id WHERE r.embedding IS NULL"
    ).fetchone()[0]


def index_model(conn: Any) -> str | None:
    """The model the index is built with; None before the first index (or before its tables exist)."""
    if conn.execute("SELECT to_regclass('index_state')").fetchone()[0] is None:
        return None
    row = conn.execute("SELECT model FROM index_state WHERE id = 1").fetchone()
    return row[0] if row else None
