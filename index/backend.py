"""The narrow interface the indexes sit behind, and its local implementation (faiss + BM25 on disk).

`IndexBackend` is what search.py talks to: add rows, delete documents, dense search, lexical search,
filters, stats. A server backend (PostgreSQL + pgvector) can implement the same methods later without
touching ingest/ or api/.

On disk, each change writes a new generation folder and then swaps the `CURRENT` pointer atomically
(`os.replace`), so a reader — or a crash, or Ctrl-C — only ever sees a complete index.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, Protocol, runtime_checkable

import numpy as np

from tracuu.core.errors import IndexUnavailable

from .lexical import TOKENIZER_VERSION, LexicalIndex
from .lru import LRU

INDEX_SCHEMA = (
    2  # 2: rows may wait for their vector (embedded.npy); an older reader would take zeros as vectors
)
# Exact search below, HNSW above: exact search costs ~0.21 ms per 1,000 vectors, so past ~60k it alone
# eats the 40 ms query budget (BENCHMARKS.md, "Exact against approximate dense search").
HNSW_THRESHOLD = 60_000
# candidates the graph search keeps: 128 found 92% of the exact top 100 over Pháp điển (Zalo dev questions),
# 512 finds 97.5% for about 1 ms more a query (BENCHMARKS.md)
HNSW_EF_SEARCH = 512
RANKING_CACHE = 1024  # recent rankings kept per loaded snapshot (two arrays of up to 200 numbers each)
HNSW_REBUILD_DEAD = 0.2  # rebuild the graph once this share of its nodes belong to deleted rows


class IndexMismatch(IndexUnavailable):
    """The index on disk was built with another model, tokenizer or schema."""

    code = "index-mismatch"
    title = "chỉ mục khác mô hình"


class Filters(NamedTuple):
    type: str | None = None
    issuer: str | None = None
    year: int | None = None
    number: str | None = None
    doc: str | None = None
    docs: tuple[str, ...] | None = None  # any of these documents (a question's scope: knowledge/scope.py)
    hidden: frozenset[str] = frozenset()  # none of these (internal documents the reader may not see)


class RowHit(NamedTuple):
    row: int
    score: float


@dataclass
class RowMeta:
    """What filters look at, per row (chunk) and per document."""

    chunk_ids: list[str] = field(default_factory=list)
    row_doc: list[str] = field(default_factory=list)
    docs: dict[str, dict[str, Any]] = field(default_factory=dict)  # doc_id → type, issuer, year, number, hash


@runtime_checkable
class IndexBackend(Protocol):
    """What retrieval (`search.Searcher`) and the application core read from an index snapshot, whoever
    keeps it: `LocalIndex` (faiss + BM25 files in the data folder) here; a server backend implements the
    same. Rows are the snapshot's numbering of chunks (`meta.chunk_ids[row]`); `allowed` masks are over it."""

    model: str  # the embedding model the vectors were computed with (`require_model`)
    dim: int
    meta: RowMeta  # row → chunk and document; per document what filters look at
    restorer: Any  # the diacritics restorer fitted on the indexed text (None: none yet)
    rankings: LRU[Any]  # recent rankings of this snapshot (`Searcher.rank`)

    @property
    def pending(self) -> int: ...  # live rows still waiting for their vector
    def allowed(self, filters: Filters) -> np.ndarray: ...
    def dense_ready(self, allowed: np.ndarray) -> bool: ...
    def dense_search(self, vector: np.ndarray, k: int, allowed: np.ndarray) -> list[RowHit]: ...
    def lexical_scores(
        self, queries: dict[str, list[str]], allowed: np.ndarray, weights: dict[str, float]
    ) -> np.ndarray: ...
    def lexical_top(
        self, queries: dict[str, list[str]], allowed: np.ndarray, weights: dict[str, float], n: int
    ) -> list[RowHit]: ...
    def stats(self) -> dict[str, Any]: ...


class WritableIndex(IndexBackend, Protocol):
    """An index the writer changes (`search.sync`): rows added with or without vectors, vectors filled in,
    documents removed. `alive` and `embedded` mark, per row, a live row and one that has its vector."""

    alive: np.ndarray
    embedded: np.ndarray

    def add(self, rows: list[dict[str, Any]], vectors: np.ndarray, tokens: list[dict[str, list[str]]],
            embedded: np.ndarray | None = None) -> None: ...  # fmt: skip
    def fill(self, rows: np.ndarray, vectors: np.ndarray) -> None: ...
    def delete(self, doc_ids: set[str]) -> int: ...
    def compact(self) -> None: ...  # after deletes: drop dead rows where the backend keeps them


class LocalIndex:
    """faiss (exact inner product, or HNSW past a size) + three BM25 fields, rows aligned."""

    def __init__(self, model: str, dim: int, hnsw_threshold: int = HNSW_THRESHOLD):
        self.model = model
        self.dim = dim
        self.hnsw_threshold = hnsw_threshold
        self.vectors = np.zeros((0, dim), dtype=np.float32)
        self.alive = np.zeros(0, dtype=bool)
        self.embedded = np.zeros(0, dtype=bool)  # rows whose vector is computed (the rest: zeros, pending)
        self.meta = RowMeta()
        self.lexical = LexicalIndex()
        self.restorer: Any = None  # diacritics restorer fitted on the indexed text
        self._dense = None  # exact index: rebuilt lazily (cheap); HNSW: kept, grown, saved with the index
        self.generation: str | None = None  # the folder it was loaded from or saved to
        self._labels = np.zeros(0, dtype=np.int64)  # HNSW label → row (-1: the row was deleted)
        self._dense_lock = threading.Lock()  # concurrent first searches build the dense index once
        self.rankings: LRU[list[tuple[int, float]]] = LRU(
            RANKING_CACHE
        )  # see Searcher.rank; emptied by writes

    @property
    def approximate(self) -> bool:
        return len(self.vectors) > self.hnsw_threshold

    # ------------------------------------------------------------ writes
    def add(
        self,
        rows: list[dict[str, Any]],
        vectors: np.ndarray,
        tokens: list[dict[str, list[str]]],
        embedded: np.ndarray | None = None,
    ) -> None:
        """New rows; `embedded` marks those whose vector is real (default: all). A row without one is found
        by lexical search at once and joins dense search when `fill` gives it its vector."""
        self.rankings.clear()
        done = np.ones(len(rows), dtype=bool) if embedded is None else np.asarray(embedded, dtype=bool)
        first = len(self.meta.chunk_ids)
        for r in rows:
            self.meta.chunk_ids.append(r["chunk_id"])
            self.meta.row_doc.append(r["doc_id"])
            self.meta.docs.setdefault(
                r["doc_id"],
                {"type": r.get("type"), "issuer": r.get("issuer"), "number": r.get("number"),
                 "year": int(r["date"][:4]) if r.get("date") else None, "hash": r.get("file_hash")},
            )  # fmt: skip
        self.vectors = np.vstack([self.vectors, vectors.astype(np.float32)]) if len(rows) else self.vectors
        self.alive = np.concatenate([self.alive, np.ones(len(rows), dtype=bool)])
        self.embedded = np.concatenate([self.embedded, done])
        self.lexical.add(tokens, first)
        self._grow_dense(first + np.flatnonzero(done), vectors[done] if len(rows) else vectors)
        self.rankings.clear()  # again: a search during the change may have remembered a half-changed state

    def fill(self, rows: np.ndarray, vectors: np.ndarray) -> None:
        """Vectors for rows added without one (`add(embedded=...)`): they join dense search."""
        rows = np.asarray(rows, dtype=np.int64)
        if not len(rows):
            return
        self.rankings.clear()
        if not self.vectors.flags.writeable:  # loaded memory-mapped, read-only: a private copy
            self.vectors = np.array(self.vectors)
        self.vectors[rows] = vectors
        self.embedded[rows] = True
        self._grow_dense(rows, vectors)
        self.rankings.clear()

    def _grow_dense(self, rows: np.ndarray, vectors: np.ndarray) -> None:
        """A graph grows by the rows that got vectors; an exact index is rebuilt on the next search."""
        if self._is_hnsw() and len(rows):
            self._dense.add(np.ascontiguousarray(vectors, dtype=np.float32))
            self._labels = np.concatenate([self._labels, np.asarray(rows, dtype=np.int64)])
        elif not self._is_hnsw():
            self._dense = None

    @property
    def pending(self) -> int:
        """Live rows still waiting for their vector."""
        return int((self.alive & ~self.embedded).sum())

    def dense_ready(self, allowed: np.ndarray) -> bool:
        """Whether every row a search may return has its vector (dense results would otherwise miss some)."""
        return not (allowed & ~self.embedded).any()

    def delete(self, doc_ids: set[str]) -> int:
        if not doc_ids:
            return 0
        self.rankings.clear()
        doc_of = np.asarray(self.meta.row_doc, dtype=object)
        dead = np.isin(doc_of, list(doc_ids)) & self.alive
        self.alive[dead] = False
        for d in doc_ids:
            self.meta.docs.pop(d, None)
        if not self._is_hnsw():  # an HNSW graph keeps the nodes; the alive mask hides them
            self._dense = None
        self.rankings.clear()
        return int(dead.sum())

    def compact(self) -> None:
        """Drop dead rows: renumber rows, merge lexical segments."""
        if self.alive.all() and len(self.lexical.fields["syl"].segments) <= 1:
            return
        self.rankings.clear()
        keep = np.flatnonzero(self.alive)
        self.lexical.compact(self.alive)
        remap = np.full(len(self.alive), -1, dtype=np.int64)
        remap[keep] = np.arange(len(keep))
        for f in self.lexical.fields.values():
            for s in f.segments:
                s.rows = remap[s.rows].astype(np.int32)
            f.lengths = f.lengths[keep] if len(f.lengths) >= len(self.alive) else f.lengths
        self.vectors = self.vectors[keep]
        self.embedded = self.embedded[keep]
        self.meta.chunk_ids = [self.meta.chunk_ids[i] for i in keep]
        self.meta.row_doc = [self.meta.row_doc[i] for i in keep]
        self.alive = np.ones(len(keep), dtype=bool)
        if self._is_hnsw():
            self._labels = np.where(self._labels >= 0, remap[np.maximum(self._labels, 0)], -1)
            if not len(self._labels) or (self._labels < 0).mean() > HNSW_REBUILD_DEAD or not self.approximate:
                self._dense, self._labels = None, np.zeros(0, dtype=np.int64)
        else:
            self._dense = None
        self.rankings.clear()

    # ------------------------------------------------------------ reads
    def allowed(self, filters: Filters) -> np.ndarray:
        return rows_allowed(self.meta, self.alive, filters)

    def dense_search(self, vector: np.ndarray, k: int, allowed: np.ndarray) -> list[RowHit]:
        import faiss

        allowed = allowed & self.embedded  # a row still waiting for its vector has none to compare
        if not allowed.any():
            return []
        index = self._dense_index()
        q = vector.reshape(1, -1).astype(np.float32)
        if isinstance(index, faiss.IndexFlat):
            bits = np.packbits(
                allowed, bitorder="little"
            )  # must outlive the search: swig_ptr keeps no reference
            sel = faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(bits))
            scores, ids = index.search(q, k, params=faiss.SearchParameters(sel=sel))
            del bits
        else:  # HNSW: over-fetch, then filter; grow until k allowed rows are found
            labels, fetch = self._labels, k * 4
            while True:
                scores, ids = index.search(q, min(fetch, index.ntotal))
                rows = [(int(labels[i]), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
                keep = [RowHit(r, s) for r, s in rows if r >= 0 and allowed[r]]
                if len(keep) >= k or fetch >= index.ntotal:
                    return keep[:k]
                fetch *= 4
        return [RowHit(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def lexical_scores(
        self, queries: dict[str, list[str]], allowed: np.ndarray, weights: dict[str, float]
    ) -> np.ndarray:
        return self.lexical.scores(queries, allowed, weights)

    def lexical_top(
        self, queries: dict[str, list[str]], allowed: np.ndarray, weights: dict[str, float], n: int
    ) -> list[RowHit]:
        """The n best rows by BM25, best first (the top of `lexical_scores`, computed faster)."""
        rows, scores = self.lexical.top(queries, allowed, weights, n)
        return [RowHit(int(r), float(s)) for r, s in zip(rows, scores, strict=True)]

    def _dense_index(self):
        if self._dense is None:
            with self._dense_lock:
                if self._dense is None:
                    self._dense = self._build_dense()
        return self._dense

    def _build_dense(self):
        import faiss

        if not self.approximate:
            index = faiss.IndexFlatIP(self.dim)
            if len(self.vectors):
                index.add(np.ascontiguousarray(self.vectors))
            return index
        index = faiss.IndexHNSWFlat(self.dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = HNSW_EF_SEARCH
        live = np.flatnonzero(self.alive & self.embedded)
        index.add(np.ascontiguousarray(self.vectors[live]))
        self._labels = live.astype(np.int64)
        return index

    def _is_hnsw(self) -> bool:
        import faiss

        return isinstance(self._dense, faiss.IndexHNSW)

    def stats(self) -> dict[str, Any]:
        return {
            "rows": int(self.alive.sum()), "dead_rows": int((~self.alive).sum()), "documents": len(self.meta.docs),
            "model": self.model, "dim": self.dim,
            "dense": "hnsw" if self.approximate else "flat",
            "lexical_segments": len(self.lexical.fields["syl"].segments), "pending_vectors": self.pending,
        }  # fmt: skip

    # ------------------------------------------------------------ persistence
    def save(self, root: Path, before_commit: Callable[[], None] | None = None) -> Path:
        """Write a new generation, then swap CURRENT to it atomically; older generations are removed.
        `before_commit` runs right before the swap and may refuse it by raising (a writer whose owner,
        the lock holder, has died)."""
        root.mkdir(parents=True, exist_ok=True)
        gen = f"gen-{time.time_ns()}"
        tmp = root / f".{gen}.tmp"
        tmp.mkdir()
        np.save(tmp / "vectors.npy", self.vectors)
        np.save(tmp / "alive.npy", self.alive)
        np.save(tmp / "embedded.npy", self.embedded)
        self.lexical.save(tmp)
        (tmp / "rows.json").write_text(
            json.dumps({"chunk_ids": self.meta.chunk_ids, "row_doc": self.meta.row_doc, "docs": self.meta.docs},
                       ensure_ascii=False),
            encoding="utf-8",
        )  # fmt: skip
        if self.restorer is not None:
            from .diacritics import MODEL_NAME

            self.restorer.save(tmp / MODEL_NAME)
        if self.approximate:  # the graph is saved, so loading never rebuilds it (75 s at 300k vectors)
            import faiss

            faiss.write_index(self._dense_index(), str(tmp / "hnsw.faiss"))
            np.save(tmp / "hnsw_labels.npy", self._labels)
        manifest = {"schema": INDEX_SCHEMA, "model": self.model, "dim": self.dim, "tokenizer": TOKENIZER_VERSION,
                    "hnsw_threshold": self.hnsw_threshold, "rows": len(self.meta.chunk_ids),
                    "hnsw": self.approximate, "restorer": self.restorer is not None, "embedded": True, "created": time.strftime("%Y-%m-%dT%H:%M:%S")}  # fmt: skip
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        for f in tmp.iterdir():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
        os.rename(tmp, root / gen)
        pointer = root / "CURRENT.tmp"
        pointer.write_text(gen, encoding="utf-8")
        with open(pointer, "rb") as fh:
            os.fsync(fh.fileno())
        if before_commit is not None:
            before_commit()
        os.replace(pointer, root / "CURRENT")
        directory = os.open(root, os.O_RDONLY)  # the renames themselves reach the disk
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
        self.generation = gen
        remove_leftovers(root)
        return root / gen

    @classmethod
    def load(cls, root: Path, model: str | None = None) -> LocalIndex | None:
        """The current generation, or None when no index was built yet. A writer in another process may
        swap in a new generation and remove this one while it is read: then read the new one."""
        for attempt in range(3):
            pointer = root / "CURRENT"
            if not pointer.exists():
                return None
            gen = root / pointer.read_text(encoding="utf-8").strip()
            try:
                return cls._load(gen, model)
            except FileNotFoundError:
                if attempt == 2 or (root / "CURRENT").read_text(encoding="utf-8").strip() == gen.name:
                    raise
        return None

    @classmethod
    def _load(cls, gen: Path, model: str | None) -> LocalIndex:
        manifest = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
        if manifest["schema"] > INDEX_SCHEMA:
            raise IndexMismatch(
                f"{gen}: chỉ mục có lược đồ {manifest['schema']}, mới hơn bản này hỗ trợ ({INDEX_SCHEMA})"
            )
        if manifest["tokenizer"] != TOKENIZER_VERSION:
            raise IndexMismatch(
                f"{gen}: chỉ mục dùng bộ tách từ {manifest['tokenizer']}, khác {TOKENIZER_VERSION}; "
                "chạy `tracuu index --rebuild`"
            )
        require_model(manifest["model"], model)
        index = cls(manifest["model"], manifest["dim"], manifest.get("hnsw_threshold", HNSW_THRESHOLD))
        index.vectors = np.load(gen / "vectors.npy", mmap_mode="r")  # paged in only when needed
        index.alive = np.load(gen / "alive.npy")
        done = gen / "embedded.npy"  # absent in generations saved before vectors could wait: all computed
        if manifest.get("embedded") and not done.exists():
            raise FileNotFoundError(done)  # removed while read: the caller reads the new one
        index.embedded = np.load(done) if done.exists() else np.ones(len(index.alive), dtype=bool)
        index.lexical = LexicalIndex.load(gen)
        rows = json.loads((gen / "rows.json").read_text(encoding="utf-8"))
        index.meta = RowMeta(rows["chunk_ids"], rows["row_doc"], rows["docs"])
        from .diacritics import MODEL_NAME, DiacriticRestorer

        if manifest.get("restorer") and not (gen / MODEL_NAME).exists():
            raise FileNotFoundError(gen / MODEL_NAME)  # removed while read: the caller reads the new one
        if (gen / MODEL_NAME).exists():
            index.restorer = DiacriticRestorer.load(gen / MODEL_NAME)
        if manifest.get("hnsw") and not (gen / "hnsw.faiss").exists():
            raise FileNotFoundError(gen / "hnsw.faiss")
        if index.approximate and (gen / "hnsw.faiss").exists():
            import faiss

            try:
                dense = faiss.read_index(str(gen / "hnsw.faiss"))
            except RuntimeError:
                if (gen / "hnsw.faiss").exists():
                    raise
                raise FileNotFoundError(gen / "hnsw.faiss") from None
            dense.hnsw.efSearch = HNSW_EF_SEARCH
            index._dense, index._labels = dense, np.load(gen / "hnsw_labels.npy")
        index.generation = gen.name
        return index


def require_model(built_with: str, model: str | None) -> None:
    """An index answers only queries embedded by the model that built it (None: any model will do)."""
    if model is not None and built_with != model:
        raise IndexMismatch(
            f"chỉ mục được xây bằng mô hình '{built_with}', khác mô hình đang dùng '{model}'; "
            "không trộn hai mô hình: chạy `tracuu index --rebuild` hoặc đặt TRACUU_MODEL (hoặc TRACUU_ADAPTER=none) "
            "về mô hình cũ"
        )


def leftovers(root: Path) -> list[Path]:
    """Generations CURRENT does not point to: unfinished (a crash mid-save) or superseded."""
    if not root.is_dir():
        return []
    pointer = root / "CURRENT"
    current = pointer.read_text(encoding="utf-8").strip() if pointer.exists() else None
    return sorted(
        p for p in root.iterdir()
        if (p.name.startswith((".gen-", "gen-")) and p.name != current) or p.name == "CURRENT.tmp"
    )  # fmt: skip


def remove_leftovers(root: Path) -> None:
    """Only a writer holding the lock may call this (another writer's unfinished generation looks alike)."""
    for p in leftovers(root):
        shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)


def rows_allowed(meta: RowMeta, alive: np.ndarray, filters: Filters) -> np.ndarray:
    """The live rows of the documents the filters admit (what every backend's `allowed` returns)."""
    mask = alive.copy()
    if not any(filters):
        return mask
    ok = {d for d, m in meta.docs.items() if _doc_matches(d, m, filters)}
    return mask & np.isin(np.asarray(meta.row_doc, dtype=object), list(ok))


def _doc_matches(doc_id: str, m: dict[str, Any], f: Filters) -> bool:
    from tracuu.ingest.normalize import fold

    if f.doc and doc_id != f.doc:
        return False
    if f.docs is not None and doc_id not in f.docs:
        return False
    if doc_id in f.hidden:
        return False
    if f.year and m.get("year") != f.year:
        return False
    if f.type and fold(m.get("type") or "") != fold(f.type):
        return False
    if f.issuer and fold(f.issuer) not in fold(m.get("issuer") or ""):
        return False
    return not (f.number and fold(f.number).replace(" ", "") != fold(m.get("number") or "").replace(" ", ""))
