"""What the hostile inputs of issue 14 cost now: time and peak traced memory per request-sized job.

    .venv/bin/python bench/bench_hostile.py [--home DIR]

Builds the probe's files itself (tests/hostile.py): the DOCX whose headers lie about a 1 GB stream, the
citation floods for /check, a 2,000-page PDF. `--home` is a data folder with `corpus/` ingested (no index
needed); without it one is made in a temporary folder first.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hostile import lying_docx  # noqa: E402
from tracuu.index.store import Store  # noqa: E402
from tracuu.ingest.readers import IngestError, read_file  # noqa: E402
from tracuu.knowledge.check import TooManyCitations, check_text  # noqa: E402


def measure(name: str, job: Callable[[], object]) -> None:
    """Timed once as it runs, then again under tracemalloc for its peak (tracing slows it several-fold)."""
    outcome, elapsed = _run(job)
    tracemalloc.start()
    _run(job)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"| {name} | {elapsed:.2f} s | {peak / 2**20:.1f} MB | {outcome} |")


def _run(job: Callable[[], object]) -> tuple[object, float]:
    started = time.perf_counter()
    try:
        outcome = job()
    except (TooManyCitations, IngestError) as exc:
        outcome = f"{type(exc).__name__}: {exc.reason if isinstance(exc, IngestError) else exc}"[:90]
    return outcome, time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--home", type=Path)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tracuu-hostile-"))
    home = args.home
    if home is None:
        from tracuu.ingest.pipeline import ingest_file

        home = work / "home"
        store = Store.open(home)
        for path in sorted((ROOT / "corpus").glob("*.md")):
            store.put(ingest_file(path))
        store.close()
    bomb = work / "bom.docx"
    bomb.write_bytes(lying_docx(1024))
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for page in range(2000):
        pdf.add_page()
        pdf.cell(0, 6, f"Trang {page + 1}: noi dung")
    big = work / "cong-bao.pdf"
    big.write_bytes(bytes(pdf.output()))
    store = Store.open(home)
    from tracuu.knowledge.catalog import Catalog

    catalog = Catalog(store)
    cite = "Khoản 1 Điều 5 Bộ luật Dân sự số 91/2015/QH13 ngày 24/11/2015 của Quốc hội; "
    print("| input | time | peak traced memory | outcome |\n|---|---:|---:|---|")
    measure(
        "DOCX, headers 274 B, stream 1 GB (1 MB file)", lambda: f"{len(read_file(bomb).text)} characters read"
    )
    measure("2,000-page PDF", lambda: read_file(big))
    for label, text in ((f"/check: 900 × {cite[:30]}…", cite * 900), ("/check: 2,000 × the same", cite * 2000),
                        ('/check: "1/A " × 500,000 (2 MB)', "1/A " * 500_000),
                        ('/check: "Mẫu số 1/A " × 180,000 (2 MB)', "Mẫu số 1/A " * 180_000)):  # fmt: skip
        measure(label, lambda text=text: f"{check_text(store, text, catalog)['summary']['total']} findings")
    store.close()


if __name__ == "__main__":
    main()
