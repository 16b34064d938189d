"""The application core: one document lookup for every door, and one error vocabulary every door maps."""

from __future__ import annotations

import pytest

from conftest import SMALL_PLAN, product_store
from tracuu.core import errors
from tracuu.core.app import Tracuu
from tracuu.core.settings import Settings
from tracuu.ingest.pipeline import ingest_file


def _codes() -> set[str]:
    """Every code a core error can carry: the hierarchy's classes and the codes raised with `code=`."""
    from tracuu.index.backend import IndexMismatch
    from tracuu.index.postgres.connection import DatabaseUnavailable
    from tracuu.index.store import SchemaTooNew
    from tracuu.knowledge.check import TooManyCitations

    kinds = [
        *errors.TracuuError.__subclasses__(),
        IndexMismatch,
        SchemaTooNew,
        TooManyCitations,
        DatabaseUnavailable,
    ]
    return {k.code for k in kinds if k.code != "unreadable"} | {"index-broken", "too-many-citations"}


def test_every_door_maps_every_core_code():
    from tracuu.api.cli import EXIT_CODES
    from tracuu.api.problems import HTTP_STATUS

    missing_http = _codes() - set(HTTP_STATUS)
    missing_cli = (
        _codes() - set(EXIT_CODES) - {"writer-died", "too-many-documents", "error"}
    )  # HTTP-only writes
    assert not missing_http - {"error"} and not missing_cli


def test_a_number_two_documents_carry_is_refused_not_guessed(tmp_path):
    """Two provinces' "12/KH-UBND": by number, GET could show one and DELETE remove the other; the core
    refuses the number and names both ids, which work."""
    home = tmp_path / "home"
    store = product_store(home)
    for name, province in (("ke-hoach-a.md", "PHÚ YÊN"), ("ke-hoach-b.md", "QUẢNG NGÃI")):
        text = SMALL_PLAN.replace("7/KH-UBND", "12/KH-UBND").replace("PHÚ YÊN", province)
        (tmp_path / name).write_text(text, encoding="utf-8")
        doc = ingest_file(tmp_path / name)
        store.put(doc)
    ids = [d["doc_id"] for d in store.documents()]
    store.close()
    with Tracuu(Settings(home=home)) as app:
        for ref in ("12/KH-UBND", "12/kh-ubnd", "12/KH-UBND "):
            with pytest.raises(errors.InvalidArgument, match="có ở 2 văn bản") as refused:
                app.document_info(ref)
            assert all(i in refused.value.detail for i in ids)
        assert {app.document_info(i)["doc_id"] for i in ids} == set(ids)


def test_a_kubernetes_service_link_is_not_a_port(monkeypatch):
    monkeypatch.setenv("TRACUU_PORT", "tcp://10.0.0.1:8000")
    assert Settings().port == 8000
    monkeypatch.setenv("TRACUU_PORT", "8123")
    assert Settings().port == 8123
    monkeypatch.setenv("TRACUU_PORT", "tám nghìn")
    with pytest.raises(ValueError):
        Settings()
