"""Where the index lives when the store is PostgreSQL: the same database. `PgPlace` is what `LiveIndex`,
the sync and the fill ask — the committed generation, a snapshot (or, when only vectors were added since
the last one, that snapshot with its vector mask read again), a writer's index under the write lock — and
it owns the readers' connections, one per thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from .connection import lost_connection
from .index import PgIndex, begin_write, connect_raw

SEARCH_THREADS = 8  # dense searches in flight at once per server process (each holds a connection)


class PgPlace:
    """Where the index lives when the store is in PostgreSQL: the same database. Readers share one
    connection per thread."""

    def __init__(self, url: str):
        self.url = url
        self._local = threading.local()
        self._opened: list[Any] = []  # every thread's connection, closed by `close`
        self._lock = threading.Lock()
        self._tables = False  # the index tables exist (checked until they do)
        self._last: PgIndex | None = None  # the last snapshot loaded (a vectors-only change copies it)
        self._searches: ThreadPoolExecutor | None = None  # dense searches beside the lexical ones

    def reader(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed or conn.broken:
            conn = self._local.conn = connect_raw(self.url)
            with self._lock:
                self._opened = [c for c in self._opened if not c.closed] + [conn]
        return conn

    def submit(self, job: Callable[[], Any]) -> Future[Any]:
        """A search step on one of this place's threads (each with its own reader connection)."""
        with self._lock:
            if self._searches is None:
                self._searches = ThreadPoolExecutor(SEARCH_THREADS, thread_name_prefix="tracuu-pg-search")
            return self._searches.submit(job)

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
            searches, self._searches = self._searches, None
        if searches is not None:
            searches.shutdown(wait=True)
        for conn in opened:
            conn.close()

    def current(self) -> str | None:
        """The committed generation, "rows.vectors" (None: no index built yet, or no tables yet). Every
        request asks this first: a connection the server dropped while it sat idle (a restart, a failover)
        is replaced here, once, rather than failing the request."""
        import psycopg

        with lost_connection(self.url):
            conn = self.reader()
            try:
                return self._current(conn)
            except psycopg.OperationalError:
                if not (conn.closed or conn.broken):
                    raise
                return self._current(self.reader())  # a new connection: `reader` replaces a broken one

    def _current(self, conn: Any) -> str | None:
        if not self._tables and conn.execute("SELECT to_regclass('index_state')").fetchone()[0] is None:
            return None
        self._tables = True
        row = conn.execute("SELECT generation, vectors, model FROM index_state WHERE id = 1").fetchone()
        return f"{row[0]}.{row[1]}" if row and row[2] else None

    def load(self, model: str | None = None) -> PgIndex | None:
        """The committed index. When only vectors were added since the last load (embedding workers, the
        fill), that snapshot is copied with the rows that have their vector read again — not the whole
        mirror."""
        with lost_connection(self.url):
            last = self._last
            generation = self.current()
            if last is not None and generation is not None and last.generation is not None:
                if generation.split(".")[0] == last.generation.split(".")[0] and last.model == (
                    model or last.model
                ):
                    return last.with_vectors(self.reader(), generation)
            if generation is None:
                return None
            index = PgIndex.load(self.url, self.reader, model)
            if index is not None:
                index.submit = self.submit
            self._last = index
            return index

    def load_for_write(self, model: str | None = None) -> PgIndex | None:
        """The index as the writer sees it once it holds the write lock (a writer on another machine may
        have committed just before): changes go into that transaction, committed by `save`."""
        conn = begin_write(self.url)
        try:
            with lost_connection(self.url):
                index = PgIndex.load(self.url, self.reader, model, writer=conn)
        except BaseException:
            conn.close()
            raise
        if index is None:
            conn.close()
            return None
        index._writer = conn
        return index

    def new(self, model: str, dim: int) -> PgIndex:
        """An empty index for `model`: the tables are emptied by its first write, committed by `save`."""
        index = PgIndex(self.url, model, dim, self.reader)
        index._fresh = True
        return index

    def save(self, index: PgIndex, before_commit: Callable[[], None] | None = None) -> None:
        index.save(before_commit)

    def remove_leftovers(self) -> None:
        """Nothing: an unfinished write is a rolled-back transaction."""
