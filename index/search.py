"""Hybrid retrieval: lexical BM25 and dense vectors fused into one ranking, with filters, returning
cited `Hit`s. Also keeps the index in step with the SQLite store (`sync`)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from tracuu.ingest.normalize import clean_text, fold
from tracuu.ingest.segment import word_segment

from .backend import Filters, IndexBackend, LocalIndex, RowHit, WritableIndex, require_model
from .citation import cite
from .lexical import field_tokens, fold_tokens, syllable_tokens, word_tokens
from .lru import LRU
from .store import Store

MAX_QUERY_CHARS = 1000
CANDIDATES = 100  # from each retriever, before fusion
RRF_K = 60
REFIT_SHARE = 0.2  # the diacritics model is fitted afresh once deleted rows make up this share of the index
DENSE_WEIGHT = 0.5  # convex fusion weight of the dense score (chosen on ALQAC + Zalo dev, BENCHMARKS.md)
FUSION = "convex"  # or "rrf"
# Interrogatives: rare in documents, so BM25 would give them a high weight and match noise.
QUESTION_WORDS = {"nào", "gì", "đâu", "nhiêu", "mấy", "nao", "gi", "dau", "nhieu", "may"}
WEIGHTS_ACCENTED = {"syl": 1.0, "words": 1.0, "fold": 0.2}
WEIGHTS_UNACCENTED = {"syl": 1.0, "words": 1.0, "fold": 1.0}
# what may surround a document number in a query that only names a document ("Quyết định số 161/QĐ-TTg")
DOCUMENT_NAME_WORDS = set(
    "so van ban quyet dinh nghi dinh thong tu chi thi ke hoach nghi quyet luat bo phap lenh cong van de an "
    "lien tich nd qd tt nq kh ct cv ttlt".split()
)
_NUMBER_LIKE = re.compile(r"\d\s*/")


@dataclass
class Hit:
    chunk_id: str
    doc_id: str
    doc_number: str | None
    doc_title: str | None
    section: str
    text: str
    page: int | None
    score: float
    citation: str
    doc_type: str | None = None
    context: str = ""
    start: int = 0
    end: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in _HIT_FIELDS}  # every field is a scalar: no deep copy needed


_HIT_FIELDS = tuple(f.name for f in fields(Hit))


@dataclass
class Query:
    """What the retrievers see: the query as typed, and with diacritics restored when it had none."""

    text: str
    restored: str | None
    unaccented: bool


def index_dir(home: Path) -> Path:
    return Path(home) / "index"


def passage_text(row: dict[str, Any]) -> str:
    """What is embedded for a chunk: the document's name and the headings above it give context."""
    head = " › ".join(p for p in (row.get("title"), row.get("context")) if p)
    return f"{head}\n{row['text']}" if head else row["text"]


def vector_key(model: str, text: str) -> str:
    return hashlib.sha256(f"{model}\n{text}".encode()).hexdigest()


def sync_saved_index(store: Store, home: str | Path, embedder, index: WritableIndex | None = None, fresh: bool = False,
                     progress: Callable[[int], None] | None = None,
                     before_commit: Callable[[], None] | None = None,
                     embed_limit: int | None = None, database_url: str | None = None,
                     ) -> tuple[WritableIndex, dict[str, int]]:  # fmt: skip
    """The index's one write step, whoever writes (the CLI, the server's writer process, the doctor): load
    the saved generation (or take `index`, already loaded; `fresh`: start empty, cached vectors are still
    re-used), bring it in line with the store (`sync`), save a new generation atomically — in the data
    folder, or in PostgreSQL with the store (`database_url`). IndexMismatch when the saved index was built
    with another model."""
    from .places import index_place

    place = index_place(home, database_url)
    guard: AbstractContextManager[Any] = nullcontext()
    if database_url:  # a server lost or refusing mid-write: a message, and the transaction rolled back
        from .postgres.connection import lost_connection

        guard = lost_connection(database_url)
    with guard:
        try:
            if fresh:
                index = None
            elif index is None or database_url:  # a database index is read again under its write lock
                index = place.load_for_write(model=embedder.name)
            else:
                require_model(index.model, embedder.name)
            if index is None:
                index = place.new(embedder.name, embedder.dim)
            try:
                index, stats = sync(store, index, embedder, progress=progress, embed_limit=embed_limit)
                place.save(index, before_commit=before_commit)
            except BaseException:
                if hasattr(index, "abandon"):
                    index.abandon()  # a database index rolls back what this sync changed
                raise
        finally:
            place.close()  # its connections (the saved index is not read here again)
    return index, stats


def sync(store: Store, index: WritableIndex | None, embedder, progress: Callable[[int], None] | None = None,
         root: Path | None = None, embed_limit: int | None = None,
         new_index: Callable[[str, int], WritableIndex] = LocalIndex) -> tuple[WritableIndex, dict[str, int]]:  # fmt: skip
    """Bring the index in line with the store: drop removed or changed documents, add new ones.
    Unchanged chunks are never re-embedded (vectors cached by content hash). `embed_limit`: embed at most
    this many chunks now (0: none — lexical search at once); the others wait in the index without a vector
    (`LocalIndex.pending`) and get it from the cache, or from a later sync, when it is there."""
    if embedder is None:
        embedder = NoEmbedder()
    if index is None:
        index = new_index(embedder.name, embedder.dim)
    stored = store.doc_hashes()
    indexed = {d: m.get("hash") for d, m in index.meta.docs.items()}
    stale = {d for d, h in indexed.items() if stored.get(d) != h}
    fresh = {d for d, h in stored.items() if indexed.get(d) != h}
    removed = index.delete(stale)
    all_rows = store.index_rows()  # read once: new rows to add, all texts to refit the restorer
    rows = [r for r in all_rows if r["doc_id"] in fresh]
    cache = not isinstance(embedder, NoEmbedder)  # zeros of a lexical-only index are not worth keeping
    waiting, rows_waiting = _waiting_rows(index, all_rows) if cache else (np.zeros(0, dtype=np.int64), [])
    # the new rows first, within the limit; rows that waited before are embedded here only by a full sync
    # (`tracuu index`): otherwise they take what the cache holds and the background fill does the rest
    vectors, done, embedded = _vectors(store, embedder, [passage_text(r) for r in rows], cache, embed_limit,
                                       progress)  # fmt: skip
    old_vectors, old_done, old_embedded = _vectors(store, embedder, [passage_text(r) for r in rows_waiting], cache,
                                                   None if embed_limit is None else 0, progress)  # fmt: skip
    index.fill(waiting[old_done], old_vectors[old_done])
    tokens = [field_tokens(f"{r.get('context') or ''}\n{r['text']}", r["words"]) for r in rows]
    index.add(rows, vectors, tokens, embedded=done)
    if fresh or stale:
        from itertools import chain

        from .diacritics import DiacriticRestorer, question_texts

        index.compact()
        restorer = index.restorer
        # internal documents teach it nothing: a restored query must never spell a word only they hold
        private = {r["doc_id"] for r in all_rows if r.get("visibility") == "internal"}
        if (
            restorer is None
            or restorer.forgotten + removed > REFIT_SHARE * max(len(all_rows), 1)
            or (fresh | stale) & private  # a document made internal: its words must be forgotten now
        ):
            texts = chain(question_texts(), (r["text"] for r in all_rows if r["doc_id"] not in private))
            index.restorer = DiacriticRestorer().fit(texts)
        else:  # count only the new text; deleted text stays counted until it is a fifth of the index
            index.restorer = restorer.with_texts(r["text"] for r in rows if r["doc_id"] not in private)
            index.restorer.forgotten = restorer.forgotten + removed
    return index, {"added_docs": len(fresh), "removed_docs": len(stale), "added_rows": len(rows),
                   "removed_rows": removed, "embedded": embedded + old_embedded, "pending": index.pending,
                   "filled": int(old_done.sum())}  # fmt: skip


def _waiting_rows(
    index: LocalIndex, all_rows: list[dict[str, Any]]
) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """The rows indexed earlier without their vector, and their store rows (a row the store no longer has
    as such is left waiting: `tracuu doctor` reports that disagreement and rebuilds)."""
    waiting = np.flatnonzero(index.alive & ~index.embedded)
    if not len(waiting):
        return waiting, []
    by_chunk = {r["chunk_id"]: r for r in all_rows}
    found = [(i, by_chunk.get(index.meta.chunk_ids[i])) for i in waiting]
    found = [(i, r) for i, r in found if r is not None]
    return np.array([i for i, _ in found], dtype=np.int64), [r for _, r in found]


def embed_waiting(store: Store, index: LocalIndex, embedder, limit: int) -> int:
    """Vectors for up to `limit` of the rows the index holds without one (the oldest first), computed and
    cached but not put in the index: the next sync takes them from the cache under the write lock, so the
    slow part of a background fill never holds it. How many were embedded."""
    waiting = np.flatnonzero(index.alive & ~index.embedded)[: max(limit, 0)]
    rows = store.index_rows([index.meta.chunk_ids[i] for i in waiting])
    return _vectors(store, embedder, [passage_text(r) for r in rows], True, limit, None)[2]


def _vectors(store: Store, embedder, texts: list[str], cache: bool, limit: int | None,
             progress: Callable[[int], None] | None) -> tuple[np.ndarray, np.ndarray, int]:  # fmt: skip
    """Each text's vector — cached, or embedded now (at most `limit` of them: the first in order) — whether
    it has one, and how many were embedded."""
    keys = [vector_key(embedder.name, t) for t in texts]
    cached = store.cached_vectors(keys, embedder.name) if cache else {}
    vectors = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    done = np.zeros(len(texts), dtype=bool)
    for i, k in enumerate(keys):
        if k in cached:
            vectors[i], done[i] = np.frombuffer(cached[k], dtype=np.float32), True
    todo = [i for i in range(len(texts)) if not done[i]]
    if cache and limit is not None:
        todo = todo[: max(limit, 0)]
    # longest first across the whole job, so every batch holds similar lengths (little padding)
    todo.sort(key=lambda i: -len(texts[i]))
    batch = 256
    for start in range(0, len(todo), batch):
        part = todo[start : start + batch]
        vecs = embedder.passages([texts[i] for i in part])
        vectors[part], done[part] = vecs, True
        if cache:
            store.cache_vectors([(keys[i], vecs[j].tobytes()) for j, i in enumerate(part)], embedder.name)
        if progress:
            progress(len(part))
    return vectors, done, len(todo)


class NoEmbedder:
    """Stands in for a model in lexical-only indexes (evaluation of BM25 alone on large sets)."""

    name = "none"
    dim = 1

    def passages(self, texts: list[str]) -> np.ndarray:
        return np.zeros((len(texts), 1), dtype=np.float32)


class Searcher:
    """Answers queries over one store and its index; loads the model once."""

    def __init__(self, store: Store, index: IndexBackend, embedder=None):
        self.store = store
        self.index = index
        self.embedder = embedder
        self._docs: dict[str, dict[str, Any]] = {}
        self._prepared: LRU[Query] = LRU(1024)

    def prepare(self, query: str) -> Query:
        """The query cleaned, and restored when typed without diacritics (kept: callers ask again)."""
        q = self._prepared.get(query)
        if q is None:
            q = self._prepare(query)
            self._prepared.put(query, q)
        return q

    def _prepare(self, query: str) -> Query:
        text = unicodedata.normalize("NFC", clean_text(query or "")).strip()[:MAX_QUERY_CHARS]
        restorer = self.index.restorer
        no_marks = fold(text) == text.lower() and any(c.isalpha() for c in text)
        unaccented = no_marks and (restorer is None or restorer.is_unaccented(text))
        restored = restorer.restore(text) if unaccented and restorer is not None else None
        return Query(text, restored, unaccented)

    def search(
        self, query: str, k: int = 10, filters: Filters | None = None, mode: str = "hybrid"
    ) -> list[Hit]:
        filters = self.visible(filters or Filters())
        q = self.prepare(query)
        if not q.text or not any(c.isalnum() for c in q.text):
            return []
        ranked = self.rank(q, filters, mode, max(k, CANDIDATES) if mode == "hybrid" else k)[:k]
        first = self.named_document_row(q.text, filters)
        if first is not None:  # "161/QD-TTg": the document itself first, then where it is cited
            ranked = [(first, ranked[0][1] if ranked else 1.0), *(r for r in ranked if r[0] != first)][:k]
        chunks = self.store.chunks_by_id([self.index.meta.chunk_ids[row] for row, _ in ranked])
        hits = (self._hit(chunks.get(self.index.meta.chunk_ids[row]), score) for row, score in ranked)
        return [h for h in hits if h is not None]

    def named_document_row(self, text: str, filters: Filters) -> int | None:
        """The first row of the corpus document a query only names ("161/QD-TTg", "Nghị định số
        20/2021/NĐ-CP"), when the filters allow it; None for any other query."""
        if not _NUMBER_LIKE.search(text):
            return None
        from tracuu.ingest.references import find_typed_references

        refs = [r for r in find_typed_references(text) if r.number]
        if len(refs) != 1:
            return None
        rest = text[: refs[0].start] + " " + text[refs[0].end :]
        if any(
            w not in DOCUMENT_NAME_WORDS for w in fold(rest).lower().split() if any(c.isalnum() for c in w)
        ):
            return None
        doc = self.store.find_number(refs[0].number)
        if doc is None:
            return None
        rows = np.flatnonzero(
            self.index.allowed(self.visible(filters)) & self.index.allowed(Filters(doc=doc["doc_id"]))
        )
        return int(rows[0]) if len(rows) else None

    def mode_for(self, filters: Filters, mode: str) -> str | None:
        """The mode a search runs in: hybrid is lexical while some row it may return still waits for its
        vector (the background fill), so no passage is missed or ranked by half its evidence; None for a
        dense search then (it would miss those rows)."""
        return self._mode_over(self.index.allowed(self.visible(filters)), mode)

    def visible(self, filters: Filters) -> Filters:
        """The filters, leaving out the documents this searcher's reader may not see (`Store.hidden`)."""
        hidden = self.store.hidden
        return filters._replace(hidden=filters.hidden | hidden) if hidden else filters

    def _mode_over(self, allowed: np.ndarray, mode: str) -> str | None:
        if mode == "lexical" or self.embedder is None or self.index.dense_ready(allowed):
            return mode
        return "lexical" if mode == "hybrid" else None

    def rank(self, q: Query, filters: Filters, mode: str, n: int) -> list[tuple[int, float]]:
        """Rows and scores, best first. A snapshot's rankings are remembered: the same question with the
        same filters always ranks the same in one snapshot, and the store is still read for every hit."""
        filters = self.visible(filters)
        allowed = self.index.allowed(filters)
        mode = self._mode_over(allowed, mode) or mode  # hybrid is lexical while rows wait (`mode_for`)
        key = (q.text, q.restored, q.unaccented, filters, mode, n, getattr(self.embedder, "name", None))
        rankings = getattr(self.index, "rankings", None)
        kept = rankings.get(key) if rankings is not None else None
        if kept is not None:
            return list(zip(kept[0].tolist(), kept[1].tolist(), strict=True))
        ranked = self._rank(q, allowed, mode, n) if allowed.any() else []
        if rankings is not None:  # as arrays: a fraction of the memory of tuples
            rankings.put(key, (np.array([r for r, _ in ranked], np.int64), np.array([s for _, s in ranked])))
        return ranked

    def _rank(self, q: Query, allowed: np.ndarray, mode: str, n: int) -> list[tuple[int, float]]:
        lexical: list[RowHit] = []
        dense: list[RowHit] = []
        vector = None
        # an unaccented query nothing restored is noise to the model: the stripped lexical field answers it
        blind = q.unaccented and not q.restored and mode == "hybrid"
        if mode in {"hybrid", "dense"} and self.embedder is not None and not blind:
            text = q.restored or q.text
            start = getattr(self.embedder, "query_future", None)  # the model runs while BM25 ranks
            vector = start(text) if start else _done(self.embedder.queries([text])[0])
        later = getattr(self.index, "dense_later", None)  # a database index searches beside BM25
        pending = later(vector, n, allowed) if vector is not None and later is not None else None
        if mode in {"hybrid", "lexical"}:
            lexical = self.lexical(q, allowed, n)
        if pending is not None:
            dense = pending.result()
        elif vector is not None:
            dense = self.index.dense_search(vector.result(), n, allowed)
        if mode == "lexical" or not dense:
            return [(h.row, h.score) for h in lexical]
        if mode == "dense" or not lexical:
            return [(h.row, h.score) for h in dense]
        return rrf(lexical, dense) if FUSION == "rrf" else convex(lexical, dense, DENSE_WEIGHT)

    def lexical(self, q: Query, allowed: np.ndarray, n: int) -> list[RowHit]:
        queries = {f: list(toks) for f, toks in query_fields(q.restored or q.text, q.text)}
        if q.unaccented and not q.restored:
            weights = {"fold": 1.0}  # nothing restored: only the accent-stripped field can match honestly
        else:
            weights = WEIGHTS_UNACCENTED if q.unaccented else WEIGHTS_ACCENTED
        return self.index.lexical_top(queries, allowed, weights, n)

    def _doc(self, doc_id: str) -> dict[str, Any]:
        if doc_id not in self._docs:
            self._docs[doc_id] = self.store.header(doc_id) or {"doc_id": doc_id}
        return self._docs[doc_id]

    def _hit(self, c: dict[str, Any] | None, score: float) -> Hit | None:
        """The hit for a stored chunk; None when the store no longer has it (an index snapshot held by a
        server while a concurrent delete removed the document: skipped rather than failing)."""
        if c is None:
            return None
        doc = self._doc(c["doc_id"])
        return Hit(
            chunk_id=c["chunk_id"], doc_id=c["doc_id"], doc_number=doc.get("number"), doc_title=doc.get("title"),
            section=c["section"], text=c["text"], page=c["page"], score=round(float(score), 6),
            citation=cite(doc, c["section"]), doc_type=doc.get("type"), context=c["context"],
            start=c["start"], end=c["end"],
        )  # fmt: skip


@lru_cache(maxsize=4096)
def query_fields(main: str, typed: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The query's tokens for each lexical field: syllables and underthesea words of `main` (restored when
    typed without marks), the accent-stripped form of what was typed; question words dropped unless
    nothing else is left. Pure, so kept for repeated queries (word segmentation costs ~2 ms)."""
    fields_ = {
        "syl": syllable_tokens(main),
        "words": word_tokens(word_segment(main)),
        "fold": fold_tokens(typed),
    }
    return tuple(
        (f, tuple(t for t in toks if t not in QUESTION_WORDS) or tuple(toks)) for f, toks in fields_.items()
    )


def _done(value: Any) -> Future:
    future: Future = Future()
    future.set_result(value)
    return future


def rrf(*lists: list[RowHit], k: int = RRF_K) -> list[tuple[int, float]]:
    """Reciprocal rank fusion: rank positions only, no score scales to reconcile."""
    fused: dict[int, float] = {}
    for hits in lists:
        for rank, h in enumerate(hits):
            fused[h.row] = fused.get(h.row, 0.0) + 1.0 / (k + rank + 1)
    return sorted(fused.items(), key=lambda x: -x[1])


def convex(lexical: list[RowHit], dense: list[RowHit], alpha: float) -> list[tuple[int, float]]:
    """Min-max normalise each list, then alpha·dense + (1−alpha)·lexical (missing = 0)."""

    def norm(hits: list[RowHit]) -> tuple[np.ndarray, np.ndarray]:
        rows = np.fromiter((h.row for h in hits), dtype=np.int64, count=len(hits))
        s = np.fromiter((h.score for h in hits), dtype=np.float64, count=len(hits))
        if not len(s):
            return rows, s
        lo, hi = s.min(), s.max()
        return rows, (s - lo) / (hi - lo if hi > lo else 1.0)

    (lr, ls), (dr, ds) = norm(lexical), norm(dense)
    rows, inverse = np.unique(np.concatenate([lr, dr]), return_inverse=True)
    fused = np.zeros(len(rows))
    np.add.at(fused, inverse, np.concatenate([(1 - alpha) * ls, alpha * ds]))
    order = np.lexsort((rows, -fused))  # best first; ties by row number, so equal scores rank reproducibly
    return [(int(rows[i]), float(fused[i])) for i in order]
