"""Write work that runs in a process of its own (parse a file; bring the saved index in line with the store).

Both are mostly pure Python. In the HTTP server's process they would queue for the GIL behind every search
thread: an upload under 32 searching clients took 62 s there (BENCHMARKS.md). In a separate process they get
a core of their own from the OS. The caller holds the data directory's write lock while a job runs; a job
never takes it itself.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

from tracuu.ingest.model import Document
from tracuu.ingest.pipeline import ingest_file
from tracuu.ingest.readers import IngestError

_EMBEDDERS: dict[tuple[str, str, int], Any] = {}  # per worker process: the model loads once, not per job


def context():
    """Workers start from a clean single-threaded server ("forkserver"), never by forking the caller: a fork
    while another thread holds a lock (malloc, logging; servers and test runners have threads) deadlocks."""
    return multiprocessing.get_context("forkserver")


def parse_file(path: str, doc_id: str, max_bytes: int, ocr: bool) -> Document | IngestError:
    """A Document, or the error that names the file (returned, not raised: a batch goes on)."""
    try:
        return ingest_file(path, max_bytes=max_bytes, ocr=ocr, doc_id=doc_id)
    except IngestError as exc:
        return exc
    except Exception as exc:  # a bug must not stop the batch nor show a traceback to the user
        return IngestError(path, f"lỗi nội bộ khi xử lý tệp ({type(exc).__name__}: {exc})")


def sync_saved(home: str, model: str, quantize: str, threads: int) -> dict[str, int]:
    """Load the saved index, sync it with the store, save the new generation; the sync's counts."""
    from .backend import LocalIndex
    from .embed import Embedder
    from .search import index_dir, sync
    from .store import Store

    key = (model, quantize, threads)
    if key not in _EMBEDDERS:
        _EMBEDDERS[key] = Embedder(model, quantize=quantize, threads=threads)
    embedder = _EMBEDDERS[key]
    store = Store.open(home)
    try:
        index = LocalIndex.load(index_dir(Path(home)), model=embedder.name)
        index, stats = sync(store, index, embedder)
        index.save(index_dir(Path(home)))
    finally:
        store.close()
    return stats
