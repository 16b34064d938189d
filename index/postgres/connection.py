"""One PostgreSQL connection that speaks the store's SQL: `?` placeholders, rows read by position or by
column name (as `sqlite3.Row`), `BEGIN IMMEDIATE` for a write and `BEGIN` for a consistent read.

The store's queries are written once, in the SQL both engines share; this is the only place that knows
PostgreSQL writes its placeholders as `%s`. Connection failures become one error with a Vietnamese message
that names the server, never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from tracuu.core.errors import Busy, TracuuError

CONNECT_TIMEOUT_S = 10
_STATEMENTS = {
    "BEGIN IMMEDIATE": "BEGIN",  # a write: PostgreSQL locks the rows it changes
    "BEGIN": "BEGIN ISOLATION LEVEL REPEATABLE READ",  # a read sees one snapshot, as in SQLite
}


class DatabaseUnavailable(TracuuError):
    """The database named by TRACUU_DATABASE_URL cannot be reached, refuses us, or lacks what we need."""

    code = "database-unavailable"
    title = "không dùng được cơ sở dữ liệu"


@contextmanager
def lost_connection(url: str) -> Iterator[None]:
    """A server that goes away mid-query (restarted, failed over, network cut) is DatabaseUnavailable, with
    the server named: the request fails with a message, the next one connects again."""
    import psycopg

    try:
        yield
    except (
        psycopg.errors.TransactionRollback,
        psycopg.errors.LockNotAvailable,
        psycopg.errors.QueryCanceled,
    ):
        raise Busy(
            f"PostgreSQL '{redact(url)}' đang bận (một thao tác ghi khác giữ dữ liệu này, hoặc hết thời gian "
            "chờ khóa); hãy thử lại"
        ) from None
    except psycopg.errors.ReadOnlySqlTransaction:
        raise DatabaseUnavailable(
            f"PostgreSQL '{redact(url)}' chỉ cho đọc (một bản sao): tải lên, xóa và lập chỉ mục phải đi qua máy "
            "chủ chính (đặt TRACUU_DATABASE_URL nhiều máy với target_session_attrs=read-write)"
        ) from None
    except psycopg.OperationalError as e:
        raise DatabaseUnavailable(
            f"Mất kết nối tới PostgreSQL '{redact(url)}' giữa chừng: {' '.join(str(e).split())}; hãy thử lại"
        ) from None


class Row(tuple):
    """A result row read as `row[0]` or `row["doc_id"]`, and `dict(row)`: what the store expects of SQLite."""

    _names: tuple[str, ...]
    _at: dict[str, int]

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._at[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> tuple[str, ...]:
        return self._names


def _row_factory(cursor: Any) -> Any:
    names = tuple(d.name for d in cursor.description or ())
    at = {n: i for i, n in enumerate(names)}

    def make(values: Sequence[Any]) -> Row:
        row = Row(values)
        row._names, row._at = names, at
        return row

    return make


def translate(sql: str, with_params: bool = True) -> str:
    """The store's SQL for PostgreSQL: `?` → `%s` (a literal `%` doubled: psycopg reads `%` as a placeholder
    only when parameters are passed), transaction openings mapped."""
    if sql in _STATEMENTS:
        return _STATEMENTS[sql]
    return re.sub(r"\?", "%s", sql.replace("%", "%%")) if with_params else sql


_PASSWORDS = (
    re.compile(r"(://[^:/@?#\s]*:)[^@/?#\s]*(@)"),  # postgresql://user:PASSWORD@host
    re.compile(
        r"(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|[^&\s]*)", re.I
    ),  # ?password=… or password=… (key=value)
)


def redact(url: str) -> str:
    """A connection string without its password, for messages: in a URL's user part, as a URL parameter,
    or in libpq's key=value form."""
    for pattern in _PASSWORDS:
        url = pattern.sub(lambda m: m.group(1) + "***" + (m.group(2) if m.re is _PASSWORDS[0] else ""), url)
    return url


class Connection:
    """A psycopg connection in autocommit mode: a transaction is opened explicitly, as the store does."""

    def __init__(self, raw: Any, url: str):
        self.raw = raw
        self.url = url

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        sql = translate(sql, params is not None)
        with lost_connection(self.url):
            return self.raw.execute(sql, tuple(params) if params is not None else None)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Any:
        cur = self.raw.cursor()
        with lost_connection(self.url):
            cur.executemany(translate(sql), [tuple(r) for r in rows])
        return cur

    @property
    def closed(self) -> bool:
        """Closed, or broken by a lost server (the next use opens a new connection)."""
        return bool(self.raw.closed or self.raw.broken)

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        self.raw.close()


STORE_WRITE_LOCK = 7_455_382_020  # pg_advisory_lock key: one store writer at a time, on any machine


@contextmanager
def database_lock(url: str, timeout: float) -> Iterator[None]:
    """The database's write lock, as a data folder's file lock is for one machine: writers on every machine
    take turns choosing ids, storing and indexing. Busy after `timeout` seconds."""
    conn = connect(url)
    try:
        with lost_connection(url):
            conn.raw.execute(f"SET lock_timeout = {int(max(timeout, 0.001) * 1000)}")
            conn.raw.execute("SELECT pg_advisory_lock(%s)", (STORE_WRITE_LOCK,))
        yield
    finally:
        conn.close()  # a session lock ends with its session


def connect(url: str) -> Connection:
    """A connection to the database at `url` (libpq syntax; several hosts with `target_session_attrs` follow
    a failover), or DatabaseUnavailable saying which server and why."""
    try:
        import psycopg
    except ImportError as e:  # pragma: no cover - a broken install
        raise DatabaseUnavailable(
            "Thiếu gói psycopg để dùng PostgreSQL (TRACUU_DATABASE_URL); hãy cài lại tracuu: pip install -e ."
        ) from e
    if not url.startswith(("postgresql://", "postgres://")) and "=" not in url:
        raise DatabaseUnavailable(
            f"TRACUU_DATABASE_URL='{redact(url)}' không phải địa chỉ PostgreSQL "
            "(dạng postgresql://người_dùng@máy:cổng/tên_csdl)"
        )
    try:
        raw = psycopg.connect(
            url, autocommit=True, row_factory=_row_factory, connect_timeout=CONNECT_TIMEOUT_S
        )
    except psycopg.Error as e:
        reason = " ".join(str(e).split())
        raise DatabaseUnavailable(f"Không kết nối được PostgreSQL tại '{redact(url)}': {reason}") from None
    return Connection(raw, url)
