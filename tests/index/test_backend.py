"""The dense side of LocalIndex past its HNSW threshold: the graph is saved with the index, grown on add,
remapped on compaction, and never returns a deleted row. Exact search is the reference."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tracuu.index.backend import LocalIndex

DIM = 16


def rows(doc: str, n: int, start: int = 0) -> list[dict]:
    return [{"chunk_id": f"{doc}-{i}", "doc_id": doc} for i in range(start, start + n)]


def vectors(n: int, seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(n, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def tokens(n: int) -> list[dict[str, list[str]]]:
    return [{"syl": ["x"], "words": ["x"], "fold": ["x"]} for _ in range(n)]


def make(threshold: int) -> LocalIndex:
    index = LocalIndex("test-model", DIM, hnsw_threshold=threshold)
    for d, seed in (("a", 1), ("b", 2), ("c", 3)):
        index.add(rows(d, 100), vectors(100, seed), tokens(100))
    return index


def top(index: LocalIndex, q: np.ndarray, k: int = 10) -> list[str]:
    return [index.meta.chunk_ids[h.row] for h in index.dense_search(q, k, index.allowed(_no_filter()))]


def _no_filter():
    from tracuu.index.backend import Filters

    return Filters()


@pytest.fixture()
def queries() -> np.ndarray:
    return vectors(20, 99)


def test_hnsw_past_the_threshold_agrees_with_exact_search(queries):
    exact, approx = make(10_000), make(50)
    assert exact.stats()["dense"] == "flat" and approx.stats()["dense"] == "hnsw"
    overlap = [len(set(top(exact, q)) & set(top(approx, q))) / 10 for q in queries]
    assert np.mean(overlap) >= 0.9  # 300 vectors, efSearch 512: the graph finds nearly all


def test_the_graph_is_saved_and_loaded_not_rebuilt(tmp_path, queries, monkeypatch):
    import faiss

    index = make(50)
    before = [top(index, q) for q in queries]
    index.save(tmp_path)
    gen = next(tmp_path.glob("gen-*"))
    assert (gen / "hnsw.faiss").exists() and (gen / "hnsw_labels.npy").exists()
    built = []
    monkeypatch.setattr(faiss, "IndexHNSWFlat", lambda *a: built.append(a))  # a rebuild would call this
    loaded = LocalIndex.load(tmp_path)
    assert [top(loaded, q) for q in queries] == before
    assert built == []


def test_add_grows_the_graph_and_delete_hides_rows(queries):
    index = make(50)
    top(index, queries[0])  # builds the graph
    graph = index._dense
    index.add(rows("d", 50), vectors(50, 4), tokens(50))
    assert index._dense is graph and graph.ntotal == 350  # grown in place
    q = index.vectors[320]  # a vector of the new document finds its own row
    assert top(index, q, 1) == ["d-20"]
    index.delete({"a"})
    assert not any(c.startswith("a-") for q in queries for c in top(index, q))
    assert len(top(index, queries[0], 10)) == 10  # deleted rows never starve the top k


def test_compaction_remaps_labels_and_rebuilds_when_many_nodes_are_dead(queries):
    index = make(50)
    top(index, queries[0])
    graph = index._dense
    index.delete({"a"})  # a third of the nodes: past the rebuild share
    index.compact()
    assert index._dense is not graph or index._dense is None
    assert not any(c.startswith("a-") for q in queries for c in top(index, q))

    index = make(50)
    index.add(rows("e", 10), vectors(10, 5), tokens(10))
    top(index, queries[0])
    graph = index._dense
    index.delete({"e"})  # 10 of 310 nodes: kept, labels remapped
    index.compact()
    assert index._dense is graph
    assert (index._labels == -1).sum() == 10 and set(index._labels[index._labels >= 0]) == set(range(300))
    exact = make(10_000)
    for q in queries:
        got = top(index, q)
        assert len(got) == 10 and not any(c.startswith("e-") for c in got)
    assert np.mean([len(set(top(index, q)) & set(top(exact, q))) / 10 for q in queries]) >= 0.9


@pytest.mark.parametrize("threshold", [10_000, 50])  # exact, and a graph
def test_rows_without_vectors_are_never_dense_hits_until_filled(tmp_path, queries, threshold):
    """Rows added before their vectors (lexical first) stay out of dense search — no zero vector ranks
    among real ones — survive save, load and compaction aligned, and join once `fill` gives them theirs:
    then the index answers exactly as one built with every vector at once."""
    reference = make(threshold)
    index = LocalIndex("test-model", DIM, hnsw_threshold=threshold)
    index.add(rows("a", 100), vectors(100, 1), tokens(100))
    waiting = np.arange(100) % 3 == 0
    index.add(rows("b", 100), np.where(waiting[:, None], 0, vectors(100, 2)), tokens(100), embedded=~waiting)
    index.add(rows("c", 100), vectors(100, 3), tokens(100), embedded=np.zeros(100, dtype=bool))
    assert index.pending == waiting.sum() + 100
    everything = index.allowed(_no_filter())
    assert not index.dense_ready(everything)
    only_a = np.zeros(300, dtype=bool)
    only_a[:100] = True
    assert index.dense_ready(only_a)  # a search limited to embedded rows may run hybrid
    hidden = {f"b-{i}" for i in np.flatnonzero(waiting)} | {f"c-{i}" for i in range(100)}
    for q in queries:
        assert not hidden & set(top(index, q, 50))
    index.save(tmp_path)
    loaded = LocalIndex.load(tmp_path)
    assert loaded.pending == index.pending and loaded.embedded.tolist() == index.embedded.tolist()
    loaded.delete({"a"})
    loaded.compact()
    assert len(loaded.embedded) == 200 and loaded.pending == index.pending
    loaded.fill(np.flatnonzero(~loaded.embedded), np.vstack([vectors(100, 2)[waiting], vectors(100, 3)]))
    assert loaded.pending == 0 and loaded.dense_ready(loaded.allowed(_no_filter()))
    reference.delete({"a"})
    reference.compact()
    for q in queries:
        assert top(loaded, q) == top(reference, q)


def test_a_generation_saved_before_vectors_could_wait_loads_as_complete(tmp_path):
    index = make(10_000)
    gen = index.save(tmp_path)
    (gen / "embedded.npy").unlink()  # as schema 1 wrote it
    manifest = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
    del manifest["embedded"]
    (gen / "manifest.json").write_text(json.dumps({**manifest, "schema": 1}), encoding="utf-8")
    loaded = LocalIndex.load(tmp_path)
    assert loaded.pending == 0 and loaded.embedded.all() and len(loaded.embedded) == 300


def test_the_local_index_is_what_retrieval_is_typed_against():
    """`IndexBackend` (what `Searcher` and the core read) and `WritableIndex` (what a sync changes) are
    real interfaces: the local index has each member, with the declared parameters."""
    import inspect

    from tracuu.index.backend import IndexBackend, WritableIndex

    index = LocalIndex("test-model", DIM)
    assert isinstance(index, IndexBackend) and isinstance(index, WritableIndex)
    for proto in (IndexBackend, WritableIndex):
        for name, member in vars(proto).items():
            if callable(member) and not name.startswith("_"):
                declared = list(inspect.signature(member).parameters)
                assert list(inspect.signature(getattr(LocalIndex, name)).parameters) == declared, name


def test_a_generation_missing_its_vector_mask_is_not_read_as_complete(tmp_path):
    """Removed by a writer while read: the reader must look again, never take waiting rows' zeros as
    vectors."""
    index = make(10_000)
    index.add(rows("d", 5), np.zeros((5, DIM), np.float32), tokens(5), embedded=np.zeros(5, dtype=bool))
    gen = index.save(tmp_path)
    (gen / "embedded.npy").unlink()
    with pytest.raises(FileNotFoundError):
        LocalIndex.load(tmp_path)
