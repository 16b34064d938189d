"""The store, whichever backend holds it: every test here runs against SQLite and a real PostgreSQL
(`any_store`), and the two must hold and return the same rows."""

from __future__ import annotations

import dataclasses
import sqlite3

import psycopg
import pytest

from conftest import SMALL_PLAN
from tracuu.index.store import open_store
from tracuu.ingest.pipeline import ingest_file


@pytest.fixture(scope="module")
def small_doc(tmp_path_factory):
    path = tmp_path_factory.mktemp("plan") / "ke-hoach-7-phu-yen.md"
    path.write_text(SMALL_PLAN, encoding="utf-8")
    return ingest_file(path)


def test_a_document_is_found_by_id_number_in_any_spelling_and_path(any_store, seed_doc):
    any_store.put(seed_doc)
    by_id = any_store.find(seed_doc.doc_id)
    assert by_id["number"] == "1212/KH-UBND" and by_id["recipients"] == seed_doc.header.recipients
    for ref in ("1212/KH-UBND", "1212/kh-ubnd", "1212/KH-UBND ", seed_doc.source_path):
        assert any_store.find(ref)["doc_id"] == seed_doc.doc_id, ref
    assert any_store.find_number("1212/kh-UBND")["doc_id"] == seed_doc.doc_id
    assert any_store.find("9999/KH-UBND") is None
    assert any_store.counts() == {
        "documents": 1, "units": len(seed_doc.units), "chunks": len(seed_doc.chunks)
    }  # fmt: skip


def test_units_chunks_tasks_and_citations_come_back_as_stored(any_store, seed_doc):
    any_store.put(seed_doc)
    units = any_store.units(seed_doc.doc_id)
    assert [u["path"] for u in units] == [u.path for u in seed_doc.units]
    assert [(u["start"], u["end"]) for u in units] == [(u.start, u.end) for u in seed_doc.units]
    chunks = any_store.chunks(seed_doc.doc_id)
    assert [c["chunk_id"] for c in chunks] == [c.chunk_id for c in seed_doc.chunks]
    first = seed_doc.chunks[3]
    assert any_store.chunk_at(seed_doc.doc_id, first.start, first.end)["chunk_id"] == first.chunk_id
    shown = any_store.chunks_by_id([first.chunk_id, "missing"])
    assert list(shown) == [first.chunk_id] and shown[first.chunk_id]["end"] == first.end
    tasks = any_store.tasks(doc_id=seed_doc.doc_id)
    assert len(tasks) == len(seed_doc.tasks)
    assert tasks[0]["cooperating"] == seed_doc.tasks[0].cooperating  # JSON lists decoded
    led = any_store.tasks("Sở Văn hóa và Thể thao")
    assert led and all(t["lead"] == "Sở Văn hóa và Thể thao" for t in led)
    refs = any_store.refs("161/QD-TTg")  # another written form of 161/QĐ-TTg
    assert refs and all(r["number"] == "161/QĐ-TTg" for r in refs)
    r = refs[0]
    assert any(x["ord"] == r["ord"] for x in any_store.refs_in(seed_doc.doc_id, r["start"], r["end"]))


def test_a_replaced_document_keeps_one_copy_and_a_deleted_one_leaves_nothing(any_store, seed_doc, small_doc):
    any_store.put(small_doc)
    any_store.put(small_doc)
    any_store.put(seed_doc)
    assert any_store.counts()["documents"] == 2
    assert len(any_store.tasks(doc_id=small_doc.doc_id)) == len(small_doc.tasks) == 2
    assert any_store.delete(small_doc.doc_id) and not any_store.delete(small_doc.doc_id)
    assert any_store.tasks(doc_id=small_doc.doc_id) == [] and any_store.chunks(small_doc.doc_id) == []
    assert [d["doc_id"] for d in any_store.documents()] == [seed_doc.doc_id]


def test_a_failed_write_leaves_the_document_as_it_was(any_store, small_doc):
    any_store.put(small_doc)
    broken = dataclasses.replace(
        small_doc, chunks=[small_doc.chunks[0], small_doc.chunks[0]]
    )  # same id twice
    with pytest.raises((sqlite3.IntegrityError, psycopg.IntegrityError)):
        any_store.put(broken)
    assert [c["chunk_id"] for c in any_store.chunks(small_doc.doc_id)] == [
        c.chunk_id for c in small_doc.chunks
    ]


def test_the_vector_cache_keeps_the_last_vector_of_a_key(any_store):
    any_store.cache_vectors([("k1", b"\x00\x01"), ("k2", b"\x02")], "m")
    any_store.cache_vectors([("k1", b"\xff")], "m")
    assert any_store.cached_vectors(["k1", "k2", "k3"], "m") == {"k1": b"\xff", "k2": b"\x02"}
    assert any_store.cached_vectors(["k1"], "another model") == {}


def test_both_backends_return_the_same_rows(pg_url, tmp_path, seed_doc, small_doc):
    """Every read the product makes, compared row for row (ingest time aside)."""
    stores = [open_store(tmp_path / "home"), open_store(tmp_path / "unused", pg_url)]
    try:
        for s in stores:
            s.put(seed_doc)
            s.put(small_doc)

        def reads(s):
            found = s.find(seed_doc.doc_id)
            found.pop("ingested_at")
            return {
                "documents": s.documents(), "headers": s.headers(), "find": found,
                "header": s.header(small_doc.doc_id), "units": s.units(seed_doc.doc_id),
                "chunks": s.chunks(), "index_rows": s.index_rows(), "doc_hashes": s.doc_hashes(),
                "tasks": s.tasks(), "cooperating": s.tasks_cooperating("Sở Tài chính"),
                "groups": s.group_tasks(), "assigning": s.documents_assigning("Sở", 5),
                "below": s.tasks_below(seed_doc.doc_id, "III"), "refs": s.refs(),
                "numbered": s.numbered("7/KH-UBND"), "current": s.is_current(small_doc.source_path, small_doc.file_hash),
            }  # fmt: skip

        sqlite, postgres = (reads(s) for s in stores)
        for key in sqlite:
            assert postgres[key] == sqlite[key], key
        assert sqlite["tasks"] and sqlite["refs"] and sqlite["current"]
    finally:
        for s in stores:
            s.close()
