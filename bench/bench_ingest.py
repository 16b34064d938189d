"""Ingest throughput: the shipped corpus/ and the 42,642-article Bộ Pháp điển set, parsed and segmented
(no embeddings) with both cores. Prints a Markdown table for BENCHMARKS.md.

    .venv/bin/python bench/bench_ingest.py [--phapdien PATH] [--limit N] [--workers 2]

A "page" is 3,000 characters of document text (a printed A4 page of Vietnamese administrative text) for
sources without pages; PDFs would report real pages.
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import resource
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from tracuu.ingest.pipeline import build_document, ingest_file
from tracuu.ingest.readers import RawText, read_file
from tracuu.ingest.segment import word_segment

ROOT = Path(__file__).resolve().parent.parent
PHAPDIEN = ROOT.parent / "shared" / "data" / "incoming" / "phapdien_vn" / "phapdien_articles.jsonl.gz"
PAGE_CHARS = 3000


def _timed_build(raw: RawText, name: str) -> dict[str, float]:
    """Parse without segmentation, then segment the chunks: the two costs measured apart."""
    t0 = time.perf_counter()
    doc = build_document(raw, name, "-", name, segment=False)
    t1 = time.perf_counter()
    for chunk in doc.chunks:
        chunk.words = word_segment(chunk.text)
    t2 = time.perf_counter()
    return {"parse_s": t1 - t0, "segment_s": t2 - t1, "chunks": len(doc.chunks), "units": len(doc.units),
            "chars": len(doc.text)}  # fmt: skip


def _corpus_job(path: str) -> dict[str, float]:
    t0 = time.perf_counter()
    raw = read_file(path)
    read_s = time.perf_counter() - t0
    stats = _timed_build(raw, Path(path).stem)
    return {**stats, "read_s": read_s}


def _phapdien_job(item: tuple[str, str]) -> dict[str, float]:
    name, text = item
    return {**_timed_build(RawText(text=text, fmt="jsonl"), name), "read_s": 0.0}


def phapdien_documents(path: Path, limit: int | None) -> list[tuple[str, str]]:
    """Group the articles by đề mục and chapter into legal texts: "Chương …" then "Điều N. heading"."""
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if limit and i >= limit:
                break
            a = json.loads(line)
            groups[(a["page"], a.get("chapter") or "")].append(a)
    docs = []
    for (page, chapter), arts in groups.items():
        parts = [chapter] if chapter else []
        for n, a in enumerate(arts, start=1):
            parts.append(f"Điều {n}. {a['heading']}\n\n{a['text']}")
        docs.append((f"{page}#{chapter}", "\n\n".join(parts)))
    return docs


def run(label: str, job, items: list, workers: int) -> dict[str, float]:
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(job, items, chunksize=4))
    wall = time.perf_counter() - t0
    total = {k: sum(r[k] for r in results) for k in results[0]}
    total.update(wall_s=wall, docs=len(items), label=label, workers=workers)
    return total


def report(r: dict) -> str:
    pages = r["chars"] / PAGE_CHARS
    cpu = r["read_s"] + r["parse_s"] + r["segment_s"]
    share = {k: 100 * r[k] / cpu for k in ("read_s", "parse_s", "segment_s")}
    return (
        f"| {r['label']} | {r['docs']:,} | {r['chars'] / 1e6:.1f} M | {r['units']:,} | {r['chunks']:,} | "
        f"{r['wall_s']:.1f} s | {pages / r['wall_s']:.1f} | {r['chunks'] / r['wall_s']:.0f} | "
        f"{share['read_s']:.0f}% / {share['parse_s']:.0f}% / {share['segment_s']:.0f}% |"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--phapdien", type=Path, default=PHAPDIEN)
    ap.add_argument("--limit", type=int, default=None, help="only the first N Pháp điển articles")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()

    rows = []
    corpus = sorted(str(p) for p in (ROOT / "corpus").glob("*.md") if p.name != "README.md")
    ingest_file(corpus[0])  # warm the segmenter once so start-up is not billed to the corpus
    rows.append(run("corpus/", _corpus_job, corpus, args.workers))
    if args.phapdien.exists():
        t0 = time.perf_counter()
        docs = phapdien_documents(args.phapdien, args.limit)
        load_s = time.perf_counter() - t0
        r = run("Bộ Pháp điển", _phapdien_job, docs, args.workers)
        r["wall_s"] += load_s  # reading and grouping the JSONL is part of the job
        r["read_s"] += load_s
        rows.append(r)
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"Machine: {platform.processor() or platform.machine()}, {args.workers} worker processes, "
          f"Python {platform.python_version()}")  # fmt: skip
    print()
    print(
        "| set | documents | characters | units | chunks | wall | pages/s | chunks/s | read / parse / segment |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(report(r))
    print()
    print(f"Peak RSS: main process {peak_self:.0f} MB, largest worker {peak_child:.0f} MB.")


if __name__ == "__main__":
    main()
