"""A longer fuzz run of the reader and parser properties in tests/test_fuzz.py (which `make test` runs with a
small, fixed budget). Prints one line per property and a Markdown summary for BENCHMARKS.md.

    .venv/bin/python bench/fuzz_readers.py [--examples 2000] [--seed N] [--only NAME ...]
    .venv/bin/python bench/fuzz_readers.py --atheris [--runs 100000]   # coverage-guided, if installed

The property: any file ends as a `RawText`/`Document` or as an `IngestError` with a Vietnamese reason, within
10 s. A failure prints Hypothesis's shrunk example; the run goes on with the next property.

atheris (libFuzzer for Python) is not a dependency of the project. To use it:
`.venv/bin/pip install atheris` (needs clang/libFuzzer on some platforms; wheels exist for x86_64 Linux).
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import random
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # broken PDFs make pypdf warn on every line

import hypothesis  # noqa: E402
import test_fuzz as props  # noqa: E402
from hypothesis import settings  # noqa: E402

PROPERTIES = [
    name for name in dir(props) if name.startswith("test_") and hasattr(getattr(props, name), "hypothesis")
]
SUFFIXES = [".txt", ".md", ".html", ".docx", ".pdf"]


def _count_calls() -> dict[str, int]:
    """Count the files read and documents built (examples, shrinking included)."""
    counts = {"files": 0, "documents": 0}
    read, build = props.check_read, props.check_document

    def check_read(*a, **k):
        counts["files"] += 1
        return read(*a, **k)

    def check_document(*a, **k):
        counts["documents"] += 1
        return build(*a, **k)

    props.check_read, props.check_document = check_read, check_document
    return counts


def run_hypothesis(examples: int, seed: int, only: list[str]) -> list[dict]:
    counts = _count_calls()
    rows = []
    for name in PROPERTIES:
        if only and not any(o in name for o in only):
            continue
        test = getattr(props, name)
        # Same property, bigger budget, a given seed: what @settings would say if it could be applied twice.
        test._hypothesis_internal_use_settings = settings(
            test._hypothesis_internal_use_settings, max_examples=examples, derandomize=False
        )
        test = hypothesis.seed(seed)(test)
        before = dict(counts)
        started = time.monotonic()
        failure = ""
        try:
            test()
        except Exception as exc:  # a falsified property: report it and go on
            failure = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
            traceback.print_exc()
        row = {
            "property": name,
            "files": counts["files"] - before["files"],
            "documents": counts["documents"] - before["documents"],
            "seconds": time.monotonic() - started,
            "failure": failure,
        }
        rows.append(row)
        status = "FAILED " + failure if failure else "ok"
        print(f"{name:60s} files={row['files']:6d} docs={row['documents']:6d} {row['seconds']:7.1f} s  {status}",
              flush=True)  # fmt: skip
    return rows


def run_atheris(runs: int) -> None:
    try:
        import atheris
    except ImportError:
        print(
            "atheris is not installed (it is no dependency of tracuu). To run the coverage-guided harness:\n"
            "    .venv/bin/pip install atheris\n"
            "    .venv/bin/python bench/fuzz_readers.py --atheris --runs 100000\n"
            "(wheels exist for x86_64 Linux and Python 3.11; elsewhere it builds against clang's libFuzzer).",
            file=sys.stderr,
        )
        sys.exit(2)

    def one_input(data: bytes) -> None:
        if not data:
            return
        props.check_read(data[1:], SUFFIXES[data[0] % len(SUFFIXES)])  # raises on a broken property

    with atheris.instrument_imports():
        import tracuu.ingest.encodings  # noqa: F401
        import tracuu.ingest.readers  # noqa: F401
    atheris.Setup([sys.argv[0], f"-runs={runs}", "-timeout=30", "-rss_limit_mb=2048"], one_input)
    atheris.Fuzz()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--examples", type=int, default=2000, help="Hypothesis examples per property")
    ap.add_argument("--seed", type=int, default=None, help="Hypothesis seed (default: random, printed)")
    ap.add_argument("--only", nargs="*", default=[], help="run the properties whose name holds one of these")
    ap.add_argument("--atheris", action="store_true", help="run the atheris harness over read_file instead")
    ap.add_argument("--runs", type=int, default=100_000, help="atheris runs")
    args = ap.parse_args()
    if args.atheris:
        run_atheris(args.runs)
        return
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    print(
        f"seed {seed}, {args.examples} examples per property, {platform.python_version()}, {os.cpu_count()} CPUs"
    )
    started = time.monotonic()
    rows = run_hypothesis(args.examples, seed, args.only)
    total = time.monotonic() - started
    failed = [r for r in rows if r["failure"]]
    print("\n| property | files read | documents built | time | result |\n|---|---|---|---|---|")
    for r in rows:
        result = f"FAILED: {r['failure']}" if r["failure"] else "ok"
        print(f"| {r['property']} | {r['files']:,} | {r['documents']:,} | {r['seconds']:.0f} s | {result} |")
    print(f"\n{len(rows)} properties, {sum(r['files'] for r in rows):,} files and "
          f"{sum(r['documents'] for r in rows):,} documents in {total:.0f} s; {len(failed)} failed.")  # fmt: skip
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
