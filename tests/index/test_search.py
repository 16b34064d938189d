"""Hybrid search on a real index of the seed plan and Nghị định 20/2021 built with the converted e5 model:
filters, fusion, unaccented queries, incremental add/replace/delete, the atomic swap, the CLI contract."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from conftest import ROOT, SEED, SMALL_PLAN, nd20_opening
from tracuu.api.cli import cli
from tracuu.index.backend import Filters, IndexMismatch, LocalIndex, RowHit
from tracuu.index.embed import DEFAULT_MODEL, Embedder
from tracuu.index.search import Searcher, convex, index_dir, rrf, sync
from tracuu.index.store import Store
from tracuu.ingest.pipeline import ingest_file

pytestmark = pytest.mark.skipif(
    not (DEFAULT_MODEL / "onnx" / "export.json").exists(), reason="model not converted: run `make model`"
)


class CountingEmbedder:
    """The real model, counting how many passages it embeds."""

    def __init__(self, inner: Embedder):
        self.inner, self.name, self.dim, self.embedded = inner, inner.name, inner.dim, 0

    def passages(self, texts: list[str]) -> np.ndarray:
        self.embedded += len(texts)
        return self.inner.passages(texts)

    def queries(self, texts: list[str]) -> np.ndarray:
        return self.inner.queries(texts)


@pytest.fixture(scope="module")
def embedder():
    return CountingEmbedder(Embedder(DEFAULT_MODEL))  # the default path, as the CLI uses it


@pytest.fixture(scope="module")
def built(tmp_path_factory, embedder):
    home = tmp_path_factory.mktemp("home")
    store = Store.open(home)
    for path in (SEED, nd20_opening(tmp_path_factory.mktemp("docs"))):
        store.put(ingest_file(path))
    index, stats = sync(store, None, embedder)
    index.save(index_dir(home))
    return home, store, index, stats


def test_unaccented_query_is_restored_and_finds_the_passage(built, embedder):
    _, store, index, _ = built
    s = Searcher(store, index, embedder)
    q = s.prepare("co quan nao chu tri giam ngheo")
    assert q.unaccented and q.restored.startswith("cơ quan nào chủ trì")
    hits = s.search("co quan nao chu tri giam ngheo", k=5)
    assert any("giảm nghèo" in h.text for h in hits)


def test_a_query_that_only_names_a_document_gets_that_document_first(built, embedder):
    """Typed as a number alone, with its type, without diacritics: the document comes first, then the
    passages that cite it; a number with other words is an ordinary search, and filters still apply."""
    _, store, index, _ = built
    s = Searcher(store, index, embedder)
    for q in ("20/2021/NĐ-CP", "nghi dinh so 20/2021/ND-CP", "Nghị định 20/2021/nđ-cp"):
        hits = s.search(q, k=3)
        assert hits[0].doc_id == "nghi-dinh-20-2021-nd-cp" and hits[0].chunk_id.endswith("D1.p1"), (
            q,
            hits[0],
        )
    seed = s.search("1212/KH-UBND", k=3, filters=Filters(type="Nghị định"))
    assert seed and all(h.doc_type == "Nghị định" for h in seed)  # the plan is filtered out, not forced in
    row = s.named_document_row("20/2021/NĐ-CP", Filters())
    assert row is not None and s.named_document_row("20/2021/NĐ-CP trợ cấp người cao tuổi", Filters()) is None
    assert s.named_document_row("999/2099/NĐ-CP", Filters()) is None


def test_hits_carry_sections_and_citations(built, embedder):
    _, store, index, _ = built
    hits = Searcher(store, index, embedder).search(
        "trợ cấp xã hội hằng tháng người cao tuổi", k=5, filters=Filters(type="Nghị định")
    )
    assert hits and all(h.doc_number == "20/2021/NĐ-CP" for h in hits)
    top = hits[0]
    assert top.section.startswith("Chương") and "Điều" in top.section
    assert top.citation.endswith("Nghị định số 20/2021/NĐ-CP ngày 15/3/2021 của Chính phủ")


def test_filters_never_starve_the_top_k(built, embedder):
    _, store, index, _ = built
    s = Searcher(store, index, embedder)
    for f in (
        Filters(type="Kế hoạch"),
        Filters(year=2021, issuer="khanh hoa"),
        Filters(doc="nghi-dinh-20-2021-nd-cp"),
    ):
        for mode in ("hybrid", "dense", "lexical"):
            hits = s.search("trợ giúp xã hội", k=10, filters=f, mode=mode)
            assert len(hits) == 10, (f, mode)
    assert s.search("trợ giúp xã hội", k=10, filters=Filters(year=1999)) == []


def test_fusion_functions():
    lex = [RowHit(1, 9.0), RowHit(2, 5.0), RowHit(3, 1.0)]
    dense = [RowHit(3, 0.9), RowHit(1, 0.8)]
    assert [r for r, _ in rrf(lex, dense)][0] == 1
    fused = dict(convex(lex, dense, 0.5))
    assert fused[1] == pytest.approx(0.5 * 1.0 + 0.5 * 0.0)
    assert fused[3] == pytest.approx(0.5 * 0.0 + 0.5 * 1.0)
    assert fused[2] == pytest.approx(0.5 * 0.5)


def small_plan_index(tmp_path: Path, embedder) -> tuple[Store, Path, LocalIndex, dict[str, int]]:
    """A store holding SMALL_PLAN (as plan.txt, to be rewritten by the test) and its synced index."""
    store = Store.open(tmp_path / "home")
    plan = tmp_path / "plan.txt"
    plan.write_text(SMALL_PLAN, encoding="utf-8")
    store.put(ingest_file(plan))
    index, stats = sync(store, None, embedder)
    return store, plan, index, stats


def test_incremental_add_replace_delete(tmp_path, embedder):
    store, plan, index, s1 = small_plan_index(tmp_path, embedder)
    assert s1["embedded"] == store.counts()["chunks"] == index.stats()["rows"]
    # Replace: one bullet added; the unchanged chunks are not embedded again.
    plan.write_text(
        SMALL_PLAN + "\n- Sở Nội vụ chủ trì đào tạo kỹ năng số cho công chức.\n", encoding="utf-8"
    )
    store.put(ingest_file(plan))
    index, s2 = sync(store, index, embedder)
    assert (s2["removed_docs"], s2["added_docs"], s2["embedded"]) == (1, 1, 1)
    assert index.stats()["rows"] == store.counts()["chunks"]
    hits = Searcher(store, index, embedder).search("đào tạo kỹ năng số cho công chức", k=1)
    assert hits[0].section.startswith("I.1 › Sở Nội vụ chủ trì")
    # Delete: gone from every index.
    store.delete(store.documents()[0]["doc_id"])
    index, s3 = sync(store, index, embedder)
    assert index.stats()["rows"] == 0 and s3["removed_docs"] == 1
    assert Searcher(store, index, embedder).search("chuyển đổi số") == []


def test_atomic_swap_survives_an_interrupted_save(tmp_path, built, monkeypatch):
    home, _, index, _ = built
    root = tmp_path / "index"
    shutil.copytree(index_dir(home), root)
    good = LocalIndex.load(root)
    real_replace = os.replace

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        index.save(root)
    monkeypatch.setattr(os, "replace", real_replace)
    again = LocalIndex.load(root)  # CURRENT still names the old, complete generation
    assert again.stats() == good.stats()
    assert again.meta.chunk_ids == good.meta.chunk_ids


def test_index_refuses_another_model(built):
    home, _, index, _ = built
    with pytest.raises(IndexMismatch, match="không trộn"):
        LocalIndex.load(index_dir(home), model="another-model@123")


def test_cli_search_json_contract(built):
    home, _, _, _ = built
    out = CliRunner().invoke(
        cli, ["--home", str(home), "search", "cơ quan nào chủ trì phòng chống HIV", "-k", "3", "--json"]
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["query"] == "cơ quan nào chủ trì phòng chống HIV"
    assert len(data["results"]) == 3
    keys = {"chunk_id", "doc_id", "doc_number", "doc_title", "section", "text", "page", "score", "citation"}
    assert all(keys <= set(r) for r in data["results"])
    batch = Path(home) / "q.jsonl"
    batch.write_text(
        '{"id": "a", "query": "giảm nghèo"}\n{"id": "b", "query": "người khuyết tật"}\n', encoding="utf-8"
    )
    out = CliRunner().invoke(cli, ["--home", str(home), "search", "--batch", str(batch), "-k", "2", "--json"])
    lines = [json.loads(x) for x in out.output.splitlines()]
    assert [x["id"] for x in lines] == ["a", "b"] and all(len(x["results"]) == 2 for x in lines)
    # a bad line gets its error on its own line; the lines after it are still answered
    batch.write_text('{"id": "a", "query": "giảm nghèo"}\n{"id": "b"}\nnot json\n[1]\n'
                     '{"id": "e", "query": "người khuyết tật"}\n', encoding="utf-8")  # fmt: skip
    out = CliRunner().invoke(cli, ["--home", str(home), "search", "--batch", str(batch), "-k", "2", "--json"])
    assert out.exit_code == 1 and "3 dòng" in out.stderr
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert [(x["id"], x.get("line")) for x in lines] == [
        ("a", None),
        ("b", 2),
        (None, 3),
        (None, 4),
        ("e", None),
    ]
    assert [len(x["results"]) for x in lines] == [2, 0, 0, 0, 2]
    assert '"query"' in lines[1]["error"] and "JSON" in lines[2]["error"] and "q.jsonl" in lines[3]["error"]


def test_queries_that_are_not_text_return_nothing(built, embedder):
    _, store, index, _ = built
    s = Searcher(store, index, embedder)
    assert s.search("") == []
    assert s.search("?!…;:") == []
    assert isinstance(s.search("x" * 10_000, k=3), list)
    assert isinstance(s.search('\'; DROP TABLE chunks; -- AND OR NOT "*"', k=3), list)
    assert ROOT.exists()


def test_unaccented_query_without_a_restorer_uses_the_folded_field(built, embedder):
    """With no diacritics model, an unaccented query still finds its passage through the stripped field,
    and its unaccented syllables do not pull in accented passages that merely share a spelling."""
    import copy

    _, store, index, _ = built
    bare = copy.copy(index)
    bare.restorer = None
    s = Searcher(store, bare, embedder)
    q = s.prepare("nguoi khuyet tat")
    assert q.unaccented and q.restored is None
    hits = s.search("nguoi khuyet tat", k=3, mode="lexical")
    assert hits and all("người khuyết tật" in h.text.lower() for h in hits)
    # the hybrid does not let the model's reading of unaccented text outvote the stripped field
    assert [h.chunk_id for h in s.search("nguoi khuyet tat", k=3)] == [h.chunk_id for h in hits]


def test_cli_index_ingest_and_rebuild(tmp_path):
    """`tracuu index` builds the index, `ingest` keeps an existing one in step, `--rebuild` reuses vectors."""
    home = str(tmp_path / "home")
    plan = tmp_path / "plan.txt"
    plan.write_text(SMALL_PLAN, encoding="utf-8")
    run = CliRunner().invoke
    assert run(cli, ["--home", home, "ingest", str(plan)]).exit_code == 0
    out = run(cli, ["--home", home, "index", "--json"])
    assert out.exit_code == 0, out.output
    first = json.loads(out.stdout)  # progress bars go to stderr
    assert first["rows"] == first["embedded"] > 0 and first["documents"] == 1
    more = tmp_path / "more.txt"
    more.write_text(
        SMALL_PLAN.replace("7/KH-UBND", "8/KH-UBND").replace("Sở Tài chính", "Sở Nội vụ"), encoding="utf-8"
    )
    summary = json.loads(run(cli, ["--home", home, "ingest", str(more), "--json"]).stdout)
    assert summary["index"]["added_docs"] == 1  # the existing index followed the store
    rebuilt = json.loads(run(cli, ["--home", home, "index", "--rebuild", "--json"]).stdout)
    assert rebuilt["documents"] == 2 and rebuilt["embedded"] == 0


def test_filtered_dense_search_is_thread_safe(built, embedder):
    """faiss releases the GIL while it searches: the filter bitmap must stay alive for the whole search
    (a temporary was freed and reused by another thread, letting rows outside the filter through)."""
    from concurrent.futures import ThreadPoolExecutor

    _, store, index, _ = built
    vec = embedder.queries(["trợ giúp xã hội hàng tháng"])[0]
    masks = {t: index.allowed(Filters(type=t)) for t in ("Nghị định", "Kế hoạch")}

    def run(t: str) -> bool:
        for _ in range(300):
            hits = index.dense_search(vec, 10, masks[t])
            if any(not masks[t][h.row] for h in hits):
                return False
        return True

    with ThreadPoolExecutor(4) as pool:
        assert all(pool.map(run, ["Nghị định", "Kế hoạch"] * 2))


def test_a_second_sync_changes_nothing(built, embedder):
    """The index records each document's version exactly as the store reports it, so an unchanged store
    means no document is dropped and re-added."""
    _, store, index, _ = built
    _, stats = sync(store, index, embedder)
    assert stats["added_docs"] == 0 and stats["removed_docs"] == 0 and stats["embedded"] == 0


def test_repeated_queries_reuse_their_vectors(embedder, monkeypatch):
    """The model runs once per distinct recent query; the remembered vector is the one it computed."""
    inner = embedder.inner
    inner._cache.clear()  # the module's other tests may have asked these
    calls = []
    encode = inner._encode
    monkeypatch.setattr(inner, "_encode", lambda texts, *a: calls.append(list(texts)) or encode(texts, *a))
    first = inner.queries(["trợ giúp xã hội hằng tháng", "người cao tuổi"])
    again = inner.queries(["người cao tuổi", "trợ giúp xã hội hằng tháng", "giảm nghèo bền vững"])
    assert calls == [["trợ giúp xã hội hằng tháng", "người cao tuổi"], ["giảm nghèo bền vững"]]
    assert np.array_equal(again[0], first[1]) and np.array_equal(again[1], first[0])
    assert np.linalg.norm(again[2]) == pytest.approx(1.0, abs=1e-5)


def test_rankings_are_remembered_per_snapshot_and_forgotten_on_change(tmp_path, embedder, monkeypatch):
    """The same question and filters rank once per index snapshot; any change to the index forgets
    the remembered rankings, so a replaced document's new text is found at once."""
    store, plan, index, _ = small_plan_index(tmp_path, embedder)
    ranked = []
    lexical = index.lexical_top
    monkeypatch.setattr(index, "lexical_top", lambda *a: ranked.append(1) or lexical(*a))
    s = Searcher(store, index, embedder)
    question = "Sở Nội vụ đào tạo kỹ năng số cho công chức"
    first = s.search(question, k=3)
    assert s.search(question, k=3) == first and len(ranked) == 1  # remembered
    assert Searcher(store, index, embedder).search(question, k=3) == first and len(ranked) == 1
    s.search(question, k=3, filters=Filters(year=2023))  # other filters: ranked again
    s.search(question, k=3, mode="lexical")  # other mode: ranked again
    assert len(ranked) == 3
    assert not any("Sở Nội vụ" in h.text for h in first)
    plan.write_text(
        SMALL_PLAN + "\n- Sở Nội vụ chủ trì đào tạo kỹ năng số cho công chức.\n", encoding="utf-8"
    )
    store.put(ingest_file(plan))
    index, _ = sync(store, index, embedder)  # the same object, changed in place
    hits = Searcher(store, index, embedder).search(question, k=3)
    assert len(ranked) == 4 and "Sở Nội vụ" in hits[0].text


def test_lru_keeps_the_most_recently_used():
    from tracuu.index.lru import LRU

    lru: LRU[int] = LRU(2)
    lru.put("a", 1)
    lru.put("b", 2)
    assert lru.get("a") == 1  # "a" is now the most recent
    lru.put("c", 3)
    assert (lru.get("a"), lru.get("b"), lru.get("c"), len(lru)) == (1, None, 3, 2)
    lru.clear()
    assert len(lru) == 0
    none: LRU[int] = LRU(0)
    none.put("a", 1)
    assert none.get("a") is None


def test_the_diacritics_model_counts_uploads_and_refits_after_many_deletions(tmp_path):
    """An added document is counted into the restorer without refitting; deleted rows stay counted
    (and are tallied) until they make up a fifth of the index, then the model is fitted afresh."""
    store = Store.open(tmp_path)
    store.put(ingest_file(SEED))
    index, _ = sync(store, None, None)
    fitted = index.restorer
    plan = tmp_path / "plan.txt"
    plan.write_text(SMALL_PLAN.replace("hạ tầng số", "hạ tầng số và điện toán đám mây"), encoding="utf-8")
    store.put(ingest_file(plan))
    index, stats = sync(store, index, None)
    assert index.restorer is not fitted
    assert index.restorer.restore("dien toan dam may") == "điện toán đám mây"  # only the new plan has it
    assert fitted.restore("dien toan dam may") != "điện toán đám mây"  # the model in use was left as it was
    small = next(d["doc_id"] for d in store.documents() if d["doc_id"] != ingest_file(SEED).doc_id)
    store.delete(small)
    index, stats = sync(store, index, None)
    assert index.restorer.forgotten == stats["removed_rows"] > 0  # tallied, not refitted
    assert index.restorer.restore("ran san ho") == "rạn san hô"  # the seed's words still counted
    seed_id = ingest_file(SEED).doc_id
    store.delete(seed_id)
    store.put(ingest_file(plan))
    index, stats = sync(store, index, None)
    assert index.restorer.forgotten == 0  # most of the index deleted: fitted afresh
    # the seed plan's words are gone ("giảm nghèo" is also in the question language, "san hô" only in the seed)
    assert index.restorer.restore("ran san ho") != "rạn san hô"
