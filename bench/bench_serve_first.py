"""Serving without the wait: what `make run` does on a fresh data folder, timed — ingest `corpus/`, the
lexical-first index, the server up and answering, then the background fill until search is hybrid — and,
in the same run, the old way (`tracuu index`, every vector before serving) for the ratio. Also the search
latency while the fill runs, against after it.

    .venv/bin/python bench/bench_serve_first.py [--port 8137] [--skip-full]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRACUU = str(Path(sys.executable).parent / "tracuu")
QUERIES = ["co quan nao chu tri giam ngheo", "mức trợ cấp xã hội hằng tháng", "phòng chống mua bán người",
           "Nghị định 20/2021/NĐ-CP", "chuyen doi so trong giao duc"]  # fmt: skip


def run(args: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run([TRACUU, *args], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.loads(r.read())


def latency(base: str) -> float:
    """Median milliseconds of the queries (each once, after one warm-up round)."""
    times = []
    for warm in (True, False):
        for q in QUERIES:
            t = time.perf_counter()
            get(f"{base}/search?q={urllib.parse.quote(q)}&k=10")
            if not warm:
                times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=8137)
    ap.add_argument("--skip-full", action="store_true", help="skip the old way (every vector before serving)")
    args = ap.parse_args()
    home = Path(tempfile.mkdtemp(prefix="tracuu-bench-"))
    env = {**os.environ, "TRACUU_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    base = f"http://127.0.0.1:{args.port}"
    out: dict[str, float | str] = {}
    try:
        out["ingest_s"] = run(["ingest", str(ROOT / "corpus")], env)
        out["index_lexical_first_s"] = run(["index", "--lexical-first"], env)
        start = time.perf_counter()
        server = subprocess.Popen([TRACUU, "serve", "--port", str(args.port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            while True:
                try:
                    first = get(f"{base}/search?q=giam%20ngheo&k=5")
                    break
                except OSError:
                    time.sleep(0.2)
            out["serve_to_first_answer_s"] = time.perf_counter() - start
            out["first_answer_mode"] = first["mode"]
            out["search_ms_while_filling"] = latency(base)
            while not (dense := get(f"{base}/healthz")["dense"])["ready"]:
                if dense["error"]:
                    raise SystemExit(f"fill stopped: {dense['error']}")
                time.sleep(2)
            out["fill_s"] = time.perf_counter() - start
            out["mode_after_fill"] = get(f"{base}/search?q=giam%20ngheo&k=5")["mode"]
            out["search_ms_after_fill"] = latency(base)
        finally:
            server.terminate()
            server.wait(60)
        out["until_lexical_search_s"] = (
            out["ingest_s"] + out["index_lexical_first_s"] + out["serve_to_first_answer_s"]
        )
        if not args.skip_full:  # the old way, same machine, same run: every vector before serving
            shutil.rmtree(home)
            home.mkdir()
            run(["ingest", str(ROOT / "corpus")], env)
            out["index_full_s"] = run(["index"], env)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print(json.dumps({k: round(v, 1) if isinstance(v, float) else v for k, v in out.items()}, indent=2))


if __name__ == "__main__":
    main()
