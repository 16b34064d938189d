"""Give a lexical-only index (the Pháp điển evaluation index, 290k chunks) e5 vectors, to measure latency
and memory at full size before every chunk is embedded (about 3 hours of this machine's two cores).

    .venv/bin/python bench/fill_vectors.py --home .tracuu-eval/zalo --out .tracuu-eval/zalo-filled-index
    .venv/bin/python bench/bench_search.py --home .tracuu-eval/zalo --index .tracuu-eval/zalo-filled-index \
        --questions zalo

Each row gets its cached vector when `tracuu eval zalo` has embedded it, otherwise a cached vector of
another row plus noise, normalised. Search quality over such an index means nothing; its size, the HNSW
graph (built and saved here, timed) and the work per query are those of the real one.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from tracuu.index.backend import LocalIndex
from tracuu.index.embed import DEFAULT_MODEL, Embedder
from tracuu.index.search import index_dir, passage_text, vector_key
from tracuu.index.store import Store


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--home", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--model", default=str(DEFAULT_MODEL))
    args = ap.parse_args()

    embedder = Embedder(args.model)
    lexical = LocalIndex.load(index_dir(args.home))
    store = Store.open(args.home)
    rows = {r["chunk_id"]: r for r in store.index_rows()}
    keys = [vector_key(embedder.name, passage_text(rows[c])) for c in lexical.meta.chunk_ids]
    cached = store.cached_vectors(keys, embedder.name)
    store.close()
    real = np.array([np.frombuffer(cached[k], dtype=np.float32) for k in keys if k in cached])
    rng = np.random.default_rng(0)
    vectors = np.empty((len(keys), embedder.dim), dtype=np.float32)
    have = np.array([k in cached for k in keys])
    vectors[have] = real
    fill = real[rng.integers(0, len(real), int((~have).sum()))]
    fill = fill + rng.normal(0, 0.02, fill.shape).astype(np.float32)
    vectors[~have] = fill / np.linalg.norm(fill, axis=1, keepdims=True)
    print(f"{len(keys):,} rows: {int(have.sum()):,} real vectors, {int((~have).sum()):,} filled")

    index = LocalIndex(embedder.name, embedder.dim)
    index.vectors, index.alive, index.meta = vectors, lexical.alive, lexical.meta
    index.embedded = np.ones(len(vectors), dtype=bool)
    index.lexical, index.restorer = lexical.lexical, lexical.restorer
    t = time.perf_counter()
    index._dense_index()
    print(f"dense index: {index.stats()['dense']}, built in {time.perf_counter() - t:.0f} s")
    t = time.perf_counter()
    index.save(args.out)
    print(f"saved to {args.out} in {time.perf_counter() - t:.0f} s")


if __name__ == "__main__":
    main()
