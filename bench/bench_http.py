"""Load on the HTTP API over loopback: concurrent clients sending searches (and optionally /ask), bounded
in requests and seconds, optionally uploading and deleting a document meanwhile. Prints a Markdown row.

    .venv/bin/python bench/bench_http.py --home .tracuu-eval/seed --clients 8 --duration 30
    .venv/bin/python bench/bench_http.py --home .tracuu-eval/seed --clients 32 --duration 60 --ask-ratio 0.3 --upload

The server is started here (`tracuu serve` in its own process, one worker, as `make run` runs it) on a free
port; the clients are one asyncio process with httpx, so client and server share this machine's two cores.
`--database-url` serves from PostgreSQL; `--servers 2` starts two servers (each its own data folder, as on
two machines) and spreads the clients over them:

    .venv/bin/python bench/bench_http.py --database-url postgresql://… --servers 2 --clients 8 --duration 30
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT.parent / "shared" / "eval" / "seed_qa_dev.jsonl"
FALLBACK = [
    "cơ quan nào chủ trì phòng chống HIV", "trợ giúp xã hội hàng tháng", "co quan nao chu tri giam ngheo",
    "chuyển giao mô hình trồng trọt VietGap", "Nghị định 20/2021/NĐ-CP", "người cao tuổi neo đơn",
]  # fmt: skip
UPLOAD = """ỦY BAN NHÂN DÂN
TỈNH PHÚ YÊN

Số: 9/KH-UBND

Phú Yên, ngày 3 tháng 4 năm 2023

KẾ HOẠCH

Thử tải

I. NHIỆM VỤ

1. Hạ tầng

- Sở Thông tin và Truyền thông chủ trì nâng cấp mạng diện rộng của tỉnh.
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def queries(distinct: bool) -> list[str]:
    """The seed plan's 30 dev questions (repeated: what a query cache sees at its best), or with
    `distinct` every legal question of ../shared (seed, ALQAC, Zalo: about 1,700), shuffled and never
    repeated until all were sent (what it sees at its worst)."""
    qs = [json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines()] \
        if QUESTIONS.exists() else list(FALLBACK)  # fmt: skip
    if not distinct:
        return qs
    incoming = ROOT.parent / "shared" / "data" / "incoming"
    alqac = incoming / "alqac2025" / "alqac25_train.json"
    if alqac.exists():
        qs += [q["text"] for q in json.loads(alqac.read_text(encoding="utf-8"))]
    zalo = incoming / "phapdien_vn" / "zalo2021_on_phapdien_qrels.jsonl"
    if zalo.exists():
        qs += [json.loads(line)["query"] for line in zalo.read_text(encoding="utf-8").splitlines() if line]
    qs = sorted(set(qs))
    random.Random(0).shuffle(qs)
    return qs


async def client(http: httpx.AsyncClient, qs: list[str], ask_ratio: float, stop_at: float, budget: list[int],
                 lat: dict[str, list[float]], errors: list[str], rng: random.Random, distinct: bool) -> None:  # fmt: skip
    while time.perf_counter() < stop_at and budget[0] > 0 and qs:
        budget[0] -= 1
        route = "/ask" if rng.random() < ask_ratio else "/search"
        q = qs.pop() if distinct else rng.choice(qs)
        params = {"q": q[:1000]} | ({"k": 10} if route == "/search" else {})
        t0 = time.perf_counter()
        try:
            r = await http.get(route, params=params)
            if r.status_code != 200:
                errors.append(f"{route} {r.status_code}")
        except httpx.HTTPError as exc:
            errors.append(f"{route} {type(exc).__name__}")
            continue
        lat[route].append(time.perf_counter() - t0)


async def writer(
    http: httpx.AsyncClient, token: str, stop_at: float, errors: list[str], log: list[str]
) -> None:
    """Upload a small plan, wait, delete it, while the readers run."""
    headers = {"Authorization": f"Bearer {token}"}
    while time.perf_counter() < stop_at - 5:
        t0 = time.perf_counter()
        try:
            r = await http.post("/documents", headers=headers, files={"file": ("tai-thu.md", UPLOAD.encode())},
                                timeout=120)  # fmt: skip
        except httpx.HTTPError as exc:
            errors.append(f"upload {type(exc).__name__}")
            return
        if r.status_code not in (200, 201):
            errors.append(f"upload {r.status_code}")
            return
        doc_id = r.json()["doc_id"]
        log.append(f"upload {time.perf_counter() - t0:.1f} s")
        await asyncio.sleep(2)
        t0 = time.perf_counter()
        try:
            r = await http.delete(f"/documents/{doc_id}", headers=headers, timeout=120)
        except httpx.HTTPError as exc:
            errors.append(f"delete {type(exc).__name__}")
            return
        if r.status_code != 204:
            errors.append(f"delete {r.status_code}")
            return
        log.append(f"delete {time.perf_counter() - t0:.1f} s")
        await asyncio.sleep(2)


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000


async def run(args: argparse.Namespace, bases: list[str], token: str) -> dict:
    qs = queries(args.distinct)
    lat: dict[str, list[float]] = {"/search": [], "/ask": []}
    errors: list[str] = []
    writes: list[str] = []
    budget = [args.max_requests]
    limits = httpx.Limits(max_connections=args.clients + 2)
    https = [httpx.AsyncClient(base_url=base, timeout=30, limits=limits) for base in bases]
    try:
        for http in https:
            for q in FALLBACK[:3]:  # warm-up: model and caches (not one of the measured queries)
                await http.get("/search", params={"q": q})
        start = time.perf_counter()
        stop_at = start + args.duration
        tasks = [client(https[i % len(https)], qs, args.ask_ratio, stop_at, budget, lat, errors, random.Random(i),
                        args.distinct) for i in range(args.clients)]  # fmt: skip
        if args.upload:
            tasks.append(writer(https[0], token, stop_at, errors, writes))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - start
    finally:
        for http in https:
            await http.aclose()
    every = lat["/search"] + lat["/ask"]
    return {
        "clients": args.clients, "seconds": round(elapsed, 1), "requests": len(every),
        "throughput": round(len(every) / elapsed, 1), "errors": len(errors), "error_kinds": sorted(set(errors)),
        "search": {"n": len(lat["/search"]), "p50": pct(lat["/search"], 50), "p95": pct(lat["/search"], 95),
                   "p99": pct(lat["/search"], 99)},
        "ask": {"n": len(lat["/ask"]), "p50": pct(lat["/ask"], 50), "p95": pct(lat["/ask"], 95),
                "p99": pct(lat["/ask"], 99)},
        "all": {"p50": pct(every, 50), "p95": pct(every, 95), "p99": pct(every, 99),
                "mean": statistics.fmean(every) * 1000 if every else float("nan")},
        "writes": writes,
    }  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--home", type=Path, default=ROOT / ".tracuu-eval" / "seed")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--duration", type=float, default=30.0)
    ap.add_argument("--max-requests", type=int, default=20_000)
    ap.add_argument("--ask-ratio", type=float, default=0.0)
    ap.add_argument("--upload", action="store_true", help="upload and delete a document during the run")
    ap.add_argument("--distinct", action="store_true", help="every query different (no query-cache hits)")
    ap.add_argument("--workers", type=int, default=1, help="server worker processes")
    ap.add_argument("--database-url", help="serve from PostgreSQL (TRACUU_DATABASE_URL)")
    ap.add_argument(
        "--servers", type=int, default=1, help="API servers, each its own data folder with a database"
    )
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    token = "bench-token"
    servers, bases = [], []
    for n in range(args.servers):
        port = free_port()
        home = args.home if n == 0 or not args.database_url else Path(f"{args.home}-server{n + 1}")
        env = {**os.environ, "TRACUU_HOME": str(home), "TRACUU_API_TOKEN": token, "HF_HUB_OFFLINE": "1"}
        if args.database_url:
            env["TRACUU_DATABASE_URL"] = args.database_url
        cmd = [sys.executable, "-m", "tracuu.api.cli", "serve", "--port", str(port), "--workers", str(args.workers)]  # fmt: skip
        servers.append(subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base in bases:
            for _ in range(600):
                try:
                    if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.5)
        result = asyncio.run(run(args, bases, token))
    finally:
        for server in servers:
            server.send_signal(signal.SIGINT)
        for server in servers:
            server.wait(timeout=30)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    a = result["all"]
    print(f"| {'PostgreSQL' if args.database_url else 'SQLite'} × {args.servers} | {result['clients']} | {args.workers} | {'distinct' if args.distinct else 'repeated'} | "
          f"{args.ask_ratio:.0%} | {'yes' if args.upload else 'no'} | {result['requests']} "
          f"in {result['seconds']} s | {result['throughput']}/s | {a['p50']:.0f} / {a['p95']:.0f} / {a['p99']:.0f} ms "
          f"| {result['errors']} |  ({platform.processor() or platform.machine()}, {os.cpu_count()} cores)")  # fmt: skip


if __name__ == "__main__":
    main()
