"""`tracuu eval` as one function: build (or refresh) the evaluation's own data folder, then measure. Returns
the JSON the CLI prints with `--json`; the door formats the text. Datasets: `seed` (the seed plan's dev
questions), `alqac`, `zalo` (on Bộ Pháp điển), `knowledge` (assignments and answers on the seed), `plans`
(assignments on the 20 real plans against complete gold), `relations` (typed relations between documents
against clause gold)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tracuu.core.errors import InvalidArgument, NotFound
from tracuu.core.ingesting import Progress, no_progress
from tracuu.core.settings import Settings
from tracuu.index.places import index_place
from tracuu.index.search import Searcher, sync
from tracuu.index.store import Store, open_store
from tracuu.ingest.pipeline import build_document, ingest_file, slugify
from tracuu.ingest.readers import RawText
from tracuu.ops.jobs import pool as worker_pool
from tracuu.ops.lock import writer_lock

from . import evaluate as ev
from .evaluate_tasks import real_plans_eval

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def run(settings: Settings, dataset: str, split: str = "dev", modes: Sequence[str] = ("lexical", "dense", "hybrid"),
        alphas: Sequence[float] = (0.2, 0.3, 0.4, 0.5), eval_home: Path | None = None,
        shared: Path = Path("../shared"), progress: Progress = no_progress,
        on_wait: Callable[[str], None] | None = None, eval_database: str | None = None) -> dict[str, Any]:  # fmt: skip
    """One evaluation's results (see the module's docstring). `eval_database`: keep the evaluation's store
    and index in that PostgreSQL database instead of its data folder (never the product's own database)."""
    if dataset == "deadlines":
        from .evaluate_deadlines import deadlines_report

        return deadlines_report()
    if dataset == "relations":
        from .evaluate_relations import relations_report

        return relations_report()
    if dataset == "validity":
        from .evaluate_validity import validity_reports

        return validity_reports()
    if dataset == "plans":
        plans = shared / "data" / "incoming" / "plans"
        if not plans.is_dir():
            raise NotFound(f"Không thấy {plans}: cần thư mục dữ liệu chung (--shared).")
        return real_plans_eval(plans)
    if eval_database and eval_database == settings.database_url:
        raise InvalidArgument(
            "--eval-database là cơ sở dữ liệu của kho chính (TRACUU_DATABASE_URL): đánh giá sẽ ghi văn bản "
            "đánh giá vào kho; hãy dùng một cơ sở dữ liệu riêng"
        )
    name = "seed" if dataset == "knowledge" else "zalo-validation" if split == "validation" else dataset
    home = eval_home or Path(".tracuu-eval") / name
    store = open_store(home, eval_database)
    try:
        ds = _fill(store, dataset, split, shared, progress)
        embedder = _embedder(settings) if {"dense", "hybrid"} & set(modes) else None
        place = index_place(home, eval_database)
        with writer_lock(home, settings.lock_timeout, on_wait=on_wait, database_url=eval_database):
            index = place.load_for_write()
            if index is not None and embedder is not None and index.model != embedder.name:
                if hasattr(index, "abandon"):
                    index.abandon()
                index = None  # built by another model or lexical-only: rebuild (vectors stay cached)
            if index is None:
                index = place.new(embedder.name, embedder.dim) if embedder else place.new("none", 1)
            try:
                with progress("Đang lập chỉ mục", store.counts()["chunks"], "đoạn") as bar:
                    index, _ = sync(store, index, embedder, progress=bar.update)
                place.save(index)
            except BaseException:
                if hasattr(index, "abandon"):
                    index.abandon()
                raise
        searcher = Searcher(store, index, embedder)
        if dataset == "knowledge":
            return knowledge(store, searcher, shared)
        results = ev.evaluate(searcher, ds, list(modes), list(alphas))
        answers = ev.ask_top1(searcher, ds) if dataset == "alqac" and embedder is not None else None
        return {
            "dataset": ds.name,
            "notes": ds.notes,
            "results": results,
            **({"ask": answers} if answers else {}),
        }
    finally:
        store.close()


def knowledge(store: Store, searcher: Searcher, shared: Path) -> dict[str, Any]:
    """Seed plan: gold assignments (III.1–III.3) and the lead_agency/reference questions, as written and
    with diacritics stripped."""
    seed = store.find("1212/KH-UBND")
    if seed is None:
        raise NotFound("Kế hoạch mẫu 1212/KH-UBND chưa có trong kho đánh giá.")
    gold = shared / "eval"
    return {
        "assignments": ev.assignments_eval(
            store.tasks(doc_id=seed["doc_id"]), gold / "seed_assignments_dev.jsonl"
        ),
        "qa": ev.qa_eval(searcher, gold / "seed_qa_dev.jsonl"),
        "qa_unaccented": ev.qa_eval(searcher, gold / "seed_qa_dev.jsonl", unaccented=True),
    }


def _fill(store: Store, dataset: str, split: str, shared: Path, progress: Progress) -> Any:
    """The dataset's questions; its documents stored (unchanged files are skipped by their hash)."""
    everything = sorted(p for p in CORPUS.glob("*.md") if p.name != "README.md")
    if dataset == "knowledge":
        ds, files = None, everything
    elif dataset == "seed":
        ds, files = ev.seed(shared), everything
    elif dataset == "alqac":
        ds = ev.alqac(shared)
        files = sorted(CORPUS.glob("luat-*.md")) + [CORPUS / "bo-luat-dan-su.md", CORPUS / "hien-phap.md"]
    else:
        ds, files = ev.zalo(shared, split), []
        _load_phapdien(
            store, shared, progress, ev.validation_articles(shared) if split == "validation" else None
        )
    for f in files:
        source = str(f.resolve())
        if not store.is_current(source, hashlib.sha256(f.read_bytes()).hexdigest()):
            store.put(ingest_file(f, doc_id=store.doc_id_for(source, slugify(f.stem))))
    return ds


def _embedder(settings: Settings) -> Any:
    from tracuu.index.embed import Embedder

    return Embedder(settings.model, quantize=settings.quantize, threads=settings.threads)  # or ModelMissing


def _load_phapdien(store: Store, shared: Path, progress: Progress, only: set[str] | None = None) -> None:
    """The Pháp điển articles (or `only` those) as one small legal document each (parsed and segmented once,
    then kept)."""
    if store.counts()["documents"] >= (len(only) if only else 42_000):
        return
    items = [item for item in ev.phapdien_raw(shared) if only is None or item[0] in only]
    with worker_pool(2) as pool, progress("Pháp điển", len(items), "điều") as bar:
        for doc in pool.map(_phapdien_doc, items, chunksize=64):
            store.put(doc)
            bar.update(1)


def _phapdien_doc(item: tuple[str, str, dict[str, str]]) -> Any:
    pd_id, text, meta = item
    raw = RawText(text=text, fmt="jsonl", metadata={**meta, "pd_id": pd_id})
    return build_document(raw, f"phapdien:{pd_id}", pd_id, slugify(pd_id))
