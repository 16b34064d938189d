"""Search latency, one query at a time, query embedding included, and the searcher's memory.

    .venv/bin/python bench/bench_search.py --home .tracuu-eval/alqac [--n 200] [--mode hybrid]

Queries are the ALQAC 2025 questions (and their unaccented forms), read from ../shared. Prints p50/p95/
mean latency in ms and the peak RSS of the process holding the loaded index and model.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import psutil

from tracuu.index.backend import LocalIndex
from tracuu.index.embed import DEFAULT_MODEL, Embedder
from tracuu.index.lru import LRU
from tracuu.index.search import Searcher, index_dir
from tracuu.index.store import Store
from tracuu.ingest.normalize import fold

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--home", type=Path, default=ROOT / ".tracuu-eval" / "alqac")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--mode", default="hybrid", choices=["hybrid", "dense", "lexical"])
    ap.add_argument("--model", default=str(DEFAULT_MODEL))
    ap.add_argument("--quantize", default="onnx-int8", choices=["none", "int8", "onnx", "onnx-int8"])
    ap.add_argument(
        "--index", type=Path, help="an index folder other than HOME/index (bench/fill_vectors.py)"
    )
    ap.add_argument("--questions", choices=["alqac", "zalo"], default="alqac")
    args = ap.parse_args()

    proc = psutil.Process()
    t0 = time.perf_counter()
    # no query cache: the unaccented pass restores many questions to their accented form
    embedder = Embedder(args.model, quantize=args.quantize, query_cache=0) if args.mode != "lexical" else None
    index = LocalIndex.load(args.index or index_dir(args.home), model=embedder.name if embedder else None)
    index.rankings = LRU(0)  # nor a ranking cache: every search is computed
    store = Store.open(args.home)
    searcher = Searcher(store, index, embedder)
    load_s = time.perf_counter() - t0
    incoming = args.shared / "data" / "incoming"
    if args.questions == "alqac":
        data = json.loads((incoming / "alqac2025/alqac25_train.json").read_text(encoding="utf-8"))
        questions = [q["text"] for q in data][: args.n]
    else:
        lines = (incoming / "phapdien_vn/zalo2021_on_phapdien_qrels.jsonl").read_text(encoding="utf-8")
        questions = [json.loads(line)["query"] for line in lines.splitlines() if line][: args.n]
    searcher.search(questions[0], k=10, mode=args.mode)  # warm-up
    rows = []
    for form, qs in (("accented", questions), ("unaccented", [fold(q) for q in questions])):
        times = []
        for q in qs:
            t = time.perf_counter()
            searcher.search(q, k=10, mode=args.mode)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        rows.append(
            (
                form,
                len(times),
                times[len(times) // 2],
                times[int(len(times) * 0.95) - 1],
                statistics.mean(times),
            )
        )
    rss = proc.memory_info().rss / 2**20
    peak = getattr(proc.memory_info(), "peak_wset", None) or _peak_rss_mb()
    print(f"Index: {index.stats()['rows']:,} chunks ({args.home}); mode {args.mode}; load {load_s:.1f} s")
    print("| queries typed | n | p50 ms | p95 ms | mean ms |")
    print("|---|---|---|---|---|")
    for form, n, p50, p95, avg in rows:
        print(f"| {form} | {n} | {p50:.1f} | {p95:.1f} | {avg:.1f} |")
    print(f"RSS after the run: {rss:.0f} MB; peak RSS: {peak:.0f} MB")


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
