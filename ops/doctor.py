"""`tracuu doctor`: check that the store and the index on disk agree, and repair what can be repaired.

The SQLite store is the source of truth; the index (vectors, BM25, HNSW) is derived from it and
swapped in whole generations. A crash can therefore leave the index *behind* the store (documents
stored but not yet indexed, or deleted but still indexed) and leave files behind (an unfinished
generation, an uploaded file whose document was never stored). None of that loses data and search
already skips index rows whose chunk is gone; `repair` brings everything back in line, re-using cached
vectors, so it embeds only text that was never embedded.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from tracuu.index.backend import IndexMismatch, LocalIndex, leftovers
from tracuu.index.places import IndexPlace, LocalPlace, index_place
from tracuu.index.store import Store, open_store

ORPHAN_UPLOAD_AGE_S = 86_400  # younger files may belong to an upload still received, parsed or queued


class Finding(NamedTuple):
    code: str  # store-corrupt, orphan-rows, index-missing/-broken/-mismatch, not-indexed, stale-index, …
    detail: str  # Vietnamese, names the document or file
    repairable: bool
    path: str | None = None  # the file or folder a repair removes


def diagnose(home: str | Path, model: str | None = None, database_url: str | None = None) -> list[Finding]:
    """Everything that disagrees, without changing anything (safe while other processes read)."""
    home = Path(home)
    store = open_store(home, database_url)
    try:
        found = _check_store(store)
        if any(f.code == "store-corrupt" for f in found):
            return found
        found += _check_index(store, index_place(home, database_url), model)
        found += _check_uploads(store, home / "uploads")
    finally:
        store.close()
    return found


def _check_store(store: Store) -> list[Finding]:
    if store.dialect != "sqlite":
        return []  # PostgreSQL keeps its own integrity (constraints, WAL); nothing a repair here could mend
    integrity = [r[0] for r in store.conn.execute("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        return [Finding("store-corrupt", f"{store.path}: SQLite báo lỗi: {'; '.join(integrity[:5])}", False)]
    orphans = store.conn.execute("PRAGMA foreign_key_check").fetchall()
    if orphans:
        tables = sorted({r[0] for r in orphans})
        return [
            Finding("orphan-rows", f"{len(orphans)} dòng không thuộc văn bản nào ({', '.join(tables)})", True)
        ]
    return []


def _check_index(store: Store, place: IndexPlace, model: str | None) -> list[Finding]:
    stored = store.doc_hashes()
    local = isinstance(place, LocalPlace)
    root = place.root if local else store.path  # what a finding names: the index folder, or the database
    found = [
        Finding("leftover-files", f"{p}: thế hệ chỉ mục dở dang hoặc cũ", True, str(p))
        for p in (leftovers(place.root) if local else [])
    ]
    if place.current() is None:
        if stored:
            found.append(Finding("index-missing", f"{root}: chưa có chỉ mục cho {len(stored)} văn bản", True))
        return found
    try:
        index = place.load(model=model)
        if index is None:
            raise FileNotFoundError(root)
        if isinstance(index, LocalIndex):
            _check_shapes(index)
    except IndexMismatch as exc:
        return [*found, Finding("index-mismatch", str(exc), True)]
    except Exception as exc:  # any unreadable piece: the index is rebuilt from the store
        return [
            *found,
            Finding("index-broken", f"{root}: chỉ mục không đọc được ({type(exc).__name__}: {exc})", True),
        ]
    if index.pending:  # lexical-first, or a large upload: `tracuu serve` fills them; a repair embeds them now
        found.append(Finding("vectors-pending", f"{root}: {index.pending} đoạn chưa có vector (chỉ tìm được theo "
                                                "từ khóa cho tới khi có)", True))  # fmt: skip
    indexed = {d: m.get("hash") for d, m in index.meta.docs.items()}
    for d in sorted(set(stored) - set(indexed)):
        found.append(Finding("not-indexed", f"{d}: có trong kho nhưng chưa được lập chỉ mục", True))
    for d in sorted(set(indexed) - set(stored)):
        found.append(Finding("stale-index", f"{d}: đã xóa khỏi kho nhưng còn trong chỉ mục", True))
    for d in sorted(d for d in set(indexed) & set(stored) if indexed[d] != stored[d]):
        found.append(Finding("stale-index", f"{d}: chỉ mục giữ phiên bản cũ của văn bản", True))
    rows: dict[str, set[str]] = {}
    for i in np.flatnonzero(index.alive):  # (a database index: rows of dead documents are gone)
        rows.setdefault(index.meta.row_doc[i], set()).add(index.meta.chunk_ids[i])
    current = {d for d in set(indexed) & set(stored) if indexed[d] == stored[d]}
    in_store: dict[str, set[str]] = {}
    for r in store.conn.execute("SELECT doc_id, chunk_id FROM chunks"):
        in_store.setdefault(r[0], set()).add(r[1])
    for d in sorted(current):
        if rows.get(d, set()) != in_store.get(d, set()):
            found.append(
                Finding("chunk-mismatch", f"{d}: các đoạn trong chỉ mục khác các đoạn trong kho", True)
            )
    return found


def _check_shapes(index: LocalIndex) -> None:
    n = len(index.meta.chunk_ids)
    sizes = {"vectors": len(index.vectors), "row_doc": len(index.meta.row_doc), "alive": len(index.alive),
             "embedded": len(index.embedded)}  # fmt: skip
    sizes |= {f"bm25 {name}": len(f.lengths) for name, f in index.lexical.fields.items()}
    wrong = {k: v for k, v in sizes.items() if v != n}
    if wrong:
        raise ValueError(f"{n} dòng nhưng " + ", ".join(f"{k}: {v}" for k, v in wrong.items()))
    if index.vectors.shape[1:] != (index.dim,):
        raise ValueError(f"vector {index.vectors.shape[1:]} khác số chiều {index.dim}")


def _check_uploads(store: Store, folder: Path) -> list[Finding]:
    if not folder.is_dir():
        return []
    known = {Path(r[0]).resolve() for r in store.conn.execute("SELECT source_path FROM documents")}
    cutoff = time.time() - ORPHAN_UPLOAD_AGE_S
    return [
        Finding("orphan-upload", f"{p}: tệp tải lên không thuộc văn bản nào", True, str(p))
        for p in sorted(folder.iterdir())
        if p.is_file() and p.resolve() not in known and p.stat().st_mtime < cutoff
    ]


def repair(home: str | Path, embedder: Any, database_url: str | None = None) -> dict[str, Any]:
    """Fix every repairable finding. The caller holds the writer lock (`ops.lock.writer_lock`)."""
    from tracuu.index.search import sync_saved_index

    home = Path(home)
    before = diagnose(home, embedder.name, database_url)
    codes = {f.code for f in before}
    if "store-corrupt" in codes:
        return {"before": before, "after": before, "index": None}
    store = open_store(home, database_url)
    try:
        if "orphan-rows" in codes:
            with store.transaction() as c:
                for table, rowid, _parent, _fk in c.execute("PRAGMA foreign_key_check").fetchall():
                    c.execute(f'DELETE FROM "{table}" WHERE rowid = ?', (rowid,))
        for f in before:
            if f.path is not None:
                path = Path(f.path)
                shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
        stats = None
        if codes & {"index-missing", "index-broken", "index-mismatch", "not-indexed", "stale-index",
                    "chunk-mismatch", "vectors-pending"}:  # fmt: skip
            fresh = codes & {"index-broken", "index-mismatch", "chunk-mismatch"}
            _, stats = sync_saved_index(store, home, embedder, fresh=bool(fresh), database_url=database_url)
    finally:
        store.close()
    return {"before": before, "after": diagnose(home, embedder.name, database_url), "index": stats}
