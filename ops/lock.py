"""One writer at a time per data directory, across processes.

SQLite serialises single transactions, but an index update spans many (store the documents, then sync
and save a new index generation) and two of them interleaved could save generations that each miss the
other's documents, or clean up a generation the other is still writing. So every writer (`tracuu
ingest`, `tracuu index`, `tracuu doctor --repair`, an upload or a delete over HTTP) holds this lock.
Readers never take it: they see the last complete generation.

The lock is an OS file lock (`filelock`), released by the kernel when its holder dies, even by kill -9.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from tracuu.core import errors

LOCK_NAME = "write.lock"
HOLDER_NAME = "write.lock.json"
FILL_LOCK_NAME = "fill.lock"


class Busy(errors.Busy):
    """Another process kept the write lock past the timeout."""


@contextmanager
def writer_lock(
    home: str | Path,
    timeout: float = 600.0,
    on_wait: Callable[[str], None] | None = None,
    database_url: str | None = None,
) -> Iterator[None]:
    """Hold the data directory's write lock — and, with the store in PostgreSQL (`database_url`), the
    database's, which writers on other machines take. Waits up to `timeout` seconds (calling `on_wait`
    once with a description of the holder), then raises `Busy` with a Vietnamese message."""
    home = Path(home)
    home.mkdir(parents=True, exist_ok=True)
    lock = FileLock(home / LOCK_NAME)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        holder = describe_holder(home)
        if on_wait is not None:
            on_wait(holder)
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise Busy(
                f"{home}: kho đang được ghi bởi {holder}; đã chờ {timeout:.0f} giây, hãy thử lại sau"
            ) from None
    try:
        (home / HOLDER_NAME).write_text(
            json.dumps({"pid": os.getpid(), "since": time.strftime("%Y-%m-%dT%H:%M:%S")}), encoding="utf-8"
        )
        if database_url:
            from tracuu.index.postgres.connection import database_lock

            with database_lock(database_url, timeout):
                yield
        else:
            yield
    finally:
        lock.release()


@contextmanager
def fill_lock(home: str | Path) -> Iterator[bool]:
    """Whether this process is the one that computes the vectors an index still lacks (several server
    processes may share a data folder; one fills, the others follow its generations). Never waits."""
    lock = FileLock(Path(home) / FILL_LOCK_NAME)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        yield False
        return
    try:
        yield True
    finally:
        lock.release()


def fill_held(home: str | Path) -> bool:
    """Whether some process fills the data folder's vectors now (holds the fill lock)."""
    lock = FileLock(Path(home) / FILL_LOCK_NAME)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return True
    lock.release()
    return False


def describe_holder(home: Path) -> str:
    """Who holds the lock, as far as the holder wrote it down (the note may be stale: the lock is not)."""
    try:
        info = json.loads((home / HOLDER_NAME).read_text(encoding="utf-8"))
        return f"tiến trình {info['pid']} (từ {info['since']})"
    except (OSError, ValueError, KeyError):
        return "một tiến trình khác"
