"""Write work that runs in a process of its own (parse a file; bring the saved index in line with the store).

Both are mostly pure Python. In the HTTP server's process they would queue for the GIL behind every search
thread: an upload under 32 searching clients took 62 s there (BENCHMARKS.md). In a separate process they get
a core of their own from the OS. The caller holds the data directory's write lock while a job runs; a job
never takes it itself.

A worker dies with the process that started it (`pool`). Killed with kill -9, a server left its writer
running, re-parented to init, and that writer saved a new index generation 70 s later without the lock
(the kernel had released it with the dead holder). Each worker now follows its owner's life from a thread
(a pidfd: woken the moment the owner ends) and checks once more right before a generation is committed.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from tracuu.ingest.model import Document
from tracuu.ingest.pipeline import ingest_file
from tracuu.ingest.readers import IngestError

_EMBEDDERS: dict[tuple[str, str, int], Any] = {}  # per worker process: the model loads once, not per job
_OWNER: list[int] = []  # in a worker process: the pid of the process it works for (set by `follow`)
_POLL_S = 0.25  # where pidfds are missing (not Linux ≥ 5.3): how often a worker looks at its owner


class OwnerGone(RuntimeError):
    """The process this worker works for has ended: nothing more may be written for it."""


def context():
    """Workers are fresh interpreters started by the caller itself ("spawn"): never a fork of the caller (a
    fork while another thread holds a lock — malloc, logging; servers and test runners have threads —
    deadlocks) and no forkserver in between, which outlived a killed caller and kept its workers."""
    return multiprocessing.get_context("spawn")


def pool(max_workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers end when this process ends, however it ends (kill -9 included)."""
    return ProcessPoolExecutor(max_workers=max_workers, mp_context=context(), initializer=follow,
                               initargs=(os.getpid(),))  # fmt: skip


def follow(owner: int) -> None:
    """In a worker: exit at once when process `owner` (its parent) ends. A thread waits on a pidfd, which
    names that very process (no pid reuse) and becomes readable when it ends; no signal of the kernel's
    (PR_SET_PDEATHSIG fires when the *thread* that started the worker ends: a server's pool thread)."""
    _OWNER[:] = [owner]
    if os.getppid() != owner:
        os._exit(1)  # already gone: re-parented before we got here
    try:
        fd = os.pidfd_open(owner)
    except (AttributeError, OSError):
        fd = None
    threading.Thread(
        target=_exit_with_owner, args=(owner, fd), name="tracuu-follow-owner", daemon=True
    ).start()


def _exit_with_owner(owner: int, fd: int | None) -> None:
    while True:
        if fd is not None:
            select.select([fd], [], [])
        else:
            time.sleep(_POLL_S)
        if not owner_alive():
            os._exit(1)  # from this thread: the whole process, whatever job it is in the middle of


def owner_alive() -> bool:
    """Whether the process this worker works for is still there (always true outside a worker)."""
    return not _OWNER or os.getppid() == _OWNER[0]


def require_owner() -> None:
    """Raise `OwnerGone` unless the owner is alive: called right before a write is committed."""
    if not owner_alive():
        raise OwnerGone(f"tiến trình {_OWNER[0]} đã dừng; không ghi tiếp")


def parse_file(path: str, doc_id: str, max_bytes: int, ocr: bool | None) -> Document | IngestError:
    """A Document, or the error that names the file (returned, not raised: a batch goes on)."""
    try:
        return ingest_file(path, max_bytes=max_bytes, ocr=ocr, doc_id=doc_id)
    except IngestError as exc:
        return exc
    except Exception as exc:  # a bug must not stop the batch nor show a traceback to the user
        return IngestError(path, f"lỗi nội bộ khi xử lý tệp ({type(exc).__name__}: {exc})")


def sync_saved(home: str, model: str, quantize: str, threads: int, embed_limit: int | None = None,
               database_url: str | None = None) -> dict[str, int]:  # fmt: skip
    """Load the saved index, sync it with the store (embedding at most `embed_limit` chunks; the rest wait
    for the background fill), save the new generation; the sync's counts."""
    from tracuu.index.search import sync_saved_index
    from tracuu.index.store import open_store

    embedder = _embedder(model, quantize, threads)
    store = open_store(home, database_url)
    try:
        _, stats = sync_saved_index(store, home, embedder, before_commit=require_owner, embed_limit=embed_limit,
                                    database_url=database_url)  # fmt: skip
    finally:
        store.close()
    return stats


def embed_saved(home: str, model: str, quantize: str, threads: int, limit: int) -> int:
    """One step of the background fill of a data folder's index, without the write lock: vectors for up to
    `limit` rows the saved index holds without one, computed and cached (the next sync puts them in). How
    many were embedded. (An index in PostgreSQL fills by its queue: `embed_queue`.)"""
    from tracuu.index.backend import LocalIndex
    from tracuu.index.search import embed_waiting, index_dir
    from tracuu.index.store import Store

    embedder = _embedder(model, quantize, threads)
    index = LocalIndex.load(index_dir(home), model=embedder.name)
    if index is None:
        return 0
    store = Store.open(home)
    try:
        return embed_waiting(store, index, embedder, limit)
    finally:
        store.close()


def embed_queue(database_url: str, model: str, quantize: str, threads: int, limit: int) -> int:
    """One step of the background fill with the index in PostgreSQL: a batch of the embedding queue, as a
    `tracuu worker` takes it (committed with the vectors; servers then re-read only their vector mask). How
    many were embedded."""
    from tracuu.index.postgres.queue import embed_batch

    return embed_batch(database_url, _embedder(model, quantize, threads), limit)[0]


def _embedder(model: str, quantize: str, threads: int) -> Any:
    from tracuu.index.embed import Embedder

    key = (model, quantize, threads)
    if key not in _EMBEDDERS:
        _EMBEDDERS[key] = Embedder(model, quantize=quantize, threads=threads)
    return _EMBEDDERS[key]
