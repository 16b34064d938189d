"""The failover window on loopback: a primary and a streaming replica (`LocalServer.add_replica`), a client
writing small documents through a multi-host URL (`target_session_attrs=read-write`) and a reader searching
on the replica. The primary is killed (-9); the replica is promoted after `--detect` seconds (what an
orchestrator takes to decide; 0 = at once), or, with `--patroni`, nobody promotes anything: a Patroni cluster
of two nodes and an etcd (`PatroniCluster`) fails over by itself once the leader's key expires. Reports how long writes were refused, whether
every committed document survived, and what the reads saw meanwhile.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_failover.py --folder /tmp/bench-failover [--detect 0]
    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_failover.py --folder /tmp/bench-failover --patroni
"""

from __future__ import annotations

import argparse
import shutil
import threading
import time
from pathlib import Path

PLAN = """ỦY BAN NHÂN DÂN
TỈNH PHÚ YÊN

Số: {n}/KH-UBND

Phú Yên, ngày 3 tháng 4 năm 2023

KẾ HOẠCH

Thử nghiệm {n}

I. NHIỆM VỤ

1. Hạ tầng

- Sở Thông tin và Truyền thông chủ trì nâng cấp mạng số {n}.
"""


def main() -> None:
    from tracuu.core.app import Tracuu
    from tracuu.core.settings import Settings
    from tracuu.index.postgres.cluster import LocalServer
    from tracuu.index.postgres.patroni import PatroniCluster

    ap = argparse.ArgumentParser()
    ap.add_argument("--folder", type=Path, required=True)
    ap.add_argument("--detect", type=float, default=0.0, help="seconds before the replica is promoted")
    ap.add_argument("--before", type=float, default=5.0, help="seconds of traffic before the kill")
    ap.add_argument("--patroni", action="store_true", help="a Patroni cluster fails over by itself")
    args = ap.parse_args()
    shutil.rmtree(args.folder, ignore_errors=True)
    if args.patroni:
        cluster = PatroniCluster(args.folder / "ha")
        cluster.start()
        url = cluster.create_database("tracuu")
        lost = cluster.leader()
        survivor = next(n for n in cluster.names if n != lost)
        replica_url = cluster.node_url(survivor, "tracuu")
        kill, promote, stop_all = (lambda: cluster.kill(lost)), (lambda: None), cluster.stop
        args.detect = 0.0
    else:
        primary = LocalServer(args.folder / "primary")
        primary.start()
        primary.create_database("tracuu")
        replica = primary.add_replica(args.folder / "replica")
        url = (f"postgresql://postgres@127.0.0.1:{primary.port},127.0.0.1:{replica.port}/tracuu"
               "?target_session_attrs=read-write&connect_timeout=2")  # fmt: skip
        replica_url = replica.url("tracuu")
        kill, promote, stop_all = primary.kill, replica.promote, (lambda: (replica.stop(), primary.stop()))
    try:
        docs = args.folder / "docs"
        docs.mkdir()
        writer = Tracuu(Settings(home=args.folder / "w", database_url=url))
        reader = Tracuu(Settings(home=args.folder / "r", database_url=replica_url))
        committed, refused, reads = [], [], {"ok": 0, "failed": 0}
        stop = threading.Event()

        def write_loop() -> None:
            n = 0
            while not stop.is_set():
                n += 1
                path = docs / f"ke-hoach-{n}.md"
                path.write_text(PLAN.format(n=n), encoding="utf-8")
                began = time.monotonic()
                try:
                    writer.ingest([path], index=False)
                    writer.reindex(lexical_first=True)
                    committed.append((began, n))
                except Exception as exc:  # noqa: BLE001 - every kind is counted and named
                    refused.append((began, type(exc).__name__))
                    time.sleep(0.1)

        def read_loop() -> None:
            while not stop.is_set():
                try:
                    reader.search("mạng số", mode="lexical")
                    reads["ok"] += 1
                except Exception as exc:  # noqa: BLE001
                    reads["failed"] += 1
                    reads.setdefault("kinds", set()).add(type(exc).__name__)
                    reads.setdefault("messages", set()).add(str(getattr(exc, "detail", exc))[:120])
                    time.sleep(0.05)

        first = docs / "ke-hoach-0.md"
        first.write_text(PLAN.format(n=0), encoding="utf-8")
        writer.ingest([first], index=False)  # schema and index exist before the traffic starts
        writer.reindex(lexical_first=True)
        threads = [threading.Thread(target=write_loop), threading.Thread(target=read_loop)]
        for t in threads:
            t.start()
        time.sleep(args.before)
        before = len(committed)
        killed = time.monotonic()
        kill()
        time.sleep(args.detect)
        promoted = time.monotonic()
        promote()
        promotion = time.monotonic() - promoted
        while not [c for c in committed if c[0] > killed] and time.monotonic() - killed < 60:
            time.sleep(0.05)
        accepted = time.monotonic()  # the first write begun after the kill has just committed
        time.sleep(2)
        stop.set()
        for t in threads:
            t.join(timeout=60)
        with Tracuu(Settings(home=args.folder / "check", database_url=replica_url)) as app:
            stored = {d["number"] for d in app.documents()}
        lost = [n for _, n in committed if f"{n}/KH-UBND" not in stored]
        window = accepted - killed if [c for c in committed if c[0] > killed] else float("nan")
        kinds = sorted({k for _, k in refused} | reads.get("kinds", set()))
        how = "Patroni (automatic)" if args.patroni else f"detect {args.detect:.0f} s"
        promoted_by = "" if args.patroni else f" (pg_ctl promote {promotion:.1f} s)"
        print(f"| {how} | writes before kill {before} | window (kill → first write accepted) "
              f"{window:.1f} s{promoted_by} | refused attempts {len(refused)} | committed {len(committed)}, lost {len(lost)} | reads on the "
              f"replica: {reads['ok']} ok, {reads['failed']} failed | errors seen: {', '.join(kinds) or '-'} |")  # fmt: skip
        for message in sorted(reads.get("messages", ())):
            print(f"  read error: {message}")
        writer.close()
        reader.close()
    finally:
        stop_all()


if __name__ == "__main__":
    main()
