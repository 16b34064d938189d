"""Exact (IndexFlatIP) against approximate (HNSW) dense search: where the size threshold lies.

    .venv/bin/python bench/bench_dense.py [--sizes 10000,50000,100000,200000,300000] [--queries 200]

Vectors: the real e5 passage vectors of an index when `--home` holds one (repeated with small noise to
reach the larger sizes), otherwise random unit vectors. Reports per-query latency (one query at a time,
2 threads) and HNSW recall@10 against the exact result, with the build time of each index.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import faiss
import numpy as np

from tracuu.index.backend import LocalIndex
from tracuu.index.search import index_dir

ROOT = Path(__file__).resolve().parent.parent


def vectors(home: Path, n: int, dim: int, rng: np.random.Generator) -> np.ndarray:
    base = None
    if (index_dir(home) / "CURRENT").exists():
        base = LocalIndex.load(index_dir(home)).vectors
    if base is None or base.shape[1] != dim:
        x = rng.standard_normal((n, dim)).astype(np.float32)
    else:
        reps = -(-n // len(base))
        x = np.tile(base, (reps, 1))[:n] + rng.normal(0, 0.02, (n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def timed_search(index, queries: np.ndarray, k: int) -> tuple[np.ndarray, float, float]:
    ids, times = [], []
    for q in queries:
        t = time.perf_counter()
        _, i = index.search(q[None, :], k)
        times.append((time.perf_counter() - t) * 1000)
        ids.append(i[0])
    times.sort()
    return np.array(ids), times[len(times) // 2], times[int(len(times) * 0.95) - 1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,50000,100000,200000,300000")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--home", type=Path, default=ROOT / ".tracuu-eval" / "alqac")
    args = ap.parse_args()
    faiss.omp_set_num_threads(2)
    rng = np.random.default_rng(0)
    dim = 384
    print("| vectors | exact p50 / p95 ms | HNSW build s | HNSW p50 / p95 ms | HNSW recall@10 |")
    print("|---|---|---|---|---|")
    for n in (int(s) for s in args.sizes.split(",")):
        x = vectors(args.home, n, dim, rng)
        q = x[rng.choice(n, args.queries, replace=False)] + rng.normal(0, 0.05, (args.queries, dim)).astype(
            np.float32
        )
        q /= np.linalg.norm(q, axis=1, keepdims=True)
        flat = faiss.IndexFlatIP(dim)
        flat.add(x)
        exact, fp50, fp95 = timed_search(flat, q, 10)
        t = time.perf_counter()
        hnsw = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = 80
        hnsw.add(x)
        build = time.perf_counter() - t
        hnsw.hnsw.efSearch = 128
        approx, hp50, hp95 = timed_search(hnsw, q, 10)
        recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approx, exact, strict=True)])
        print(
            f"| {n:,} | {fp50:.2f} / {fp95:.2f} | {build:.1f} | {hp50:.2f} / {hp95:.2f} | {recall:.3f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
