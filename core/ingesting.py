"""The core's batch writes: files and folders into the store, and the index brought in line with it. Used by
`tracuu ingest` and `tracuu index` (the HTTP API writes one upload at a time through `Tracuu.write`).
Progress goes through `progress(description, total, unit)`, a context manager whose value has `update(n)`:
the CLI passes tqdm; nothing shows by default."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from tracuu.index.backend import WritableIndex
from tracuu.index.search import sync_saved_index
from tracuu.index.store import Store, open_store
from tracuu.ingest.pipeline import slugify
from tracuu.ingest.readers import SUPPORTED, IngestError
from tracuu.ingest.task_tables import TABLE_NOTICE
from tracuu.ops.jobs import parse_file
from tracuu.ops.jobs import pool as worker_pool
from tracuu.ops.lock import writer_lock

Progress = Callable[[str, int, str], AbstractContextManager[Any]]
SKIP_NAMES = {"readme.md", "readme.txt", "license", "license.md", "source.txt"}


class _Silent:
    def update(self, n: int = 1) -> None:
        pass


def no_progress(description: str, total: int, unit: str) -> AbstractContextManager[Any]:
    return nullcontext(_Silent())


def collect_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """Files to ingest from files and folders (recursively; hidden files and READMEs skipped), and the
    paths that do not exist."""
    files: list[Path] = []
    missing: list[str] = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p)
                if (
                    f.is_file()
                    and f.suffix.lower() in SUPPORTED
                    and f.name.lower() not in SKIP_NAMES
                    and not any(part.startswith(".") for part in rel.parts)
                ):
                    files.append(f)
        elif p.is_file():
            files.append(p)
        else:
            missing.append(str(p))
    return files, missing


def ingest_paths(app: Any, paths: Sequence[str | Path], workers: int | None = None, index: bool = True,
                 progress: Progress = no_progress, on_wait: Callable[[str], None] | None = None,
                 visibility: tuple[str, list[str]] | None = None) -> dict[str, Any]:  # fmt: skip
    """Files and folders into the store, parsed in `workers` processes; then an existing index brought in line
    (also after a crash left it behind). Unchanged files are skipped by their content hash; a file that
    cannot be read is an entry of `errors`, never the end of the batch. Holds the data folder's write lock
    (waiting up to TRACUU_LOCK_TIMEOUT, `on_wait` told who holds it)."""
    s = app.settings
    files, missing = collect_files(paths)
    errors: list[dict[str, str]] = [
        {"file": m, "code": "missing", "reason": "không tìm thấy tệp"} for m in missing
    ]
    with writer_lock(s.home, s.lock_timeout, on_wait=on_wait, database_url=s.database_url):
        place = app.index_place()
        place.remove_leftovers()  # what a crashed writer left (this one holds the lock)
        store = open_store(s.home, s.database_url)
        try:
            todo, unchanged = _todo(store, files, errors)
            added = {"documents": 0, "units": 0, "chunks": 0, "tasks": 0}
            notices: list[dict[str, str]] = []  # task tables that could not be read, by page
            n_workers = max(1, min(workers or s.workers, len(todo)))
            args = [(src, did, s.max_bytes, s.ocr) for src, did in todo]
            with progress("Đang nhập", len(todo), "tệp") as bar:
                if n_workers > 1:
                    with worker_pool(n_workers) as pool:
                        results = pool.map(parse_file, *zip(*args, strict=True), chunksize=1)
                        _store_results(store, results, added, errors, bar, notices, visibility)
                else:
                    _store_results(
                        store, (parse_file(*a) for a in args), added, errors, bar, notices, visibility
                    )
            if visibility is not None:  # and the unchanged files named: their visibility changes all the same
                for f in files:
                    if (found := store.find(str(Path(f).resolve()))) is not None:
                        store.set_visibility(found["doc_id"], *visibility)
            summary = {**added, "unchanged": unchanged, "errors": errors, "notices": notices,
                       "total": store.counts()}  # fmt: skip
            saved = place.load() if index else None
            if saved is not None and _behind(saved, store):
                summary["index"] = _sync(app, store, progress, index=saved)
        finally:
            store.close()
    return summary


def reindex(app: Any, rebuild: bool = False, progress: Progress = no_progress,
            on_wait: Callable[[str], None] | None = None, embed_limit: int | None = None) -> dict[str, Any]:  # fmt: skip
    """The index brought in line with the store (`rebuild`: a new one, re-using the cached vectors; at most
    `embed_limit` chunks embedded now, the rest left to the background fill); the sync's counts and the
    index's statistics."""
    s = app.settings
    with writer_lock(s.home, s.lock_timeout, on_wait=on_wait, database_url=s.database_url):
        store = open_store(s.home, s.database_url)
        try:
            stats = _sync(app, store, progress, fresh=rebuild, embed_limit=embed_limit)
        finally:
            store.close()
    return {**stats, **app.index_place().load().stats()}


def _todo(store: Store, files: list[Path], errors: list[dict[str, str]]) -> tuple[list[tuple[str, str]], int]:
    """The (source, doc_id) of each file whose content is new or changed, and how many are unchanged."""
    todo: list[tuple[str, str]] = []
    unchanged = 0
    for f in files:
        source = str(f.resolve())
        try:
            digest = hashlib.sha256(f.read_bytes()).hexdigest()
        except OSError as exc:
            errors.append(
                {"file": str(f), "code": "unreadable", "reason": f"không đọc được tệp ({exc.strerror})"}
            )
            continue
        if store.is_current(source, digest):
            unchanged += 1
            continue
        todo.append((source, store.doc_id_for(source, slugify(f.stem))))
    return todo, unchanged


def _store_results(store: Store, results: Iterable[Any], added: dict[str, int], errors: list[dict[str, str]],
                   bar: Any, notices: list[dict[str, str]], shown: tuple[str, list[str]] | None = None
                   ) -> None:  # fmt: skip
    for result in results:
        if isinstance(result, IngestError):
            errors.append({"file": result.path, "code": result.code, "reason": result.reason})
        else:
            store.put(result, shown)  # "--visibility internal --agency …" in the same transaction
            notices.extend({"file": result.source_path, "notice": w} for w in result.warnings
                           if w.startswith(TABLE_NOTICE))  # fmt: skip
            added["documents"] += 1
            added["units"] += len(result.units)
            added["chunks"] += len(result.chunks)
            added["tasks"] += len(result.tasks)
        bar.update(1)


def _behind(index: WritableIndex, store: Store) -> bool:
    """Whether the store holds documents (or versions of them) the index lacks, or the reverse."""
    return {d: m.get("hash") for d, m in index.meta.docs.items()} != store.doc_hashes()


def _sync(app: Any, store: Store, progress: Progress, fresh: bool = False, index: WritableIndex | None = None,
          embed_limit: int | None = None) -> dict[str, int]:  # fmt: skip
    """The index in line with the store. In PostgreSQL, the rows go in at once (one short transaction) and
    their vectors after, a batch per transaction, as embedding workers compute them: the index is never
    locked for the hours a large corpus takes to embed, and `tracuu worker`s elsewhere share the work."""
    url = app.settings.database_url
    limit = 0 if url and embed_limit is None else embed_limit
    total = store.counts()["chunks"] if limit is None else limit
    with progress("Đang nhúng", total, "đoạn") as bar:
        _, stats = sync_saved_index(store, app.settings.home, app.embedder(), index=index, fresh=fresh,
                                    progress=bar.update, embed_limit=limit, database_url=url)  # fmt: skip
    if url and embed_limit is None and stats["pending"]:
        with progress("Đang nhúng", stats["pending"], "đoạn") as bar:
            seen = [0]

            def step(done: int, _left: int) -> None:
                bar.update(done - seen[0])
                seen[0] = done

            stats["embedded"] += app.work(until_done=True, on_batch=step)["embedded"]
        stats["pending"] = 0  # `until_done`: no row waits any more
    return stats
