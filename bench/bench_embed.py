"""Embedding on the CPU, four ways side by side in one run: torch fp32, torch dynamic int8, onnxruntime fp32
and onnxruntime dynamic int8 on an ONNX export of the same e5-small. Prints a Markdown table for BENCHMARKS.md.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_embed.py [--limit 400] [--queries 100] [--batch-size 16]
        [--threads 1,2] [--paths torch-fp32,torch-int8,onnx-fp32,onnx-int8] [--out-dir bench/out]

Texts: N corpus chunks spread evenly over corpus/*.md, as the index embeds them (title › headings, text),
with "passage: "; Q queries of 6-15 words cut from chunk texts, with "query: ". Each configuration runs in
a fresh process and reports: passages/s (batched, longest first like sentence-transformers), one-query
latency p50/p95 (tokenisation included), the process's peak RSS, and the cosine of its vectors with torch
fp32's (mean/min over passages and queries). Variants (torch quantised engines, ONNX weight types) are run
at the highest thread count, the fastest again at the others. Exported ONNX files are cached in --out-dir.
Retrieval quality (MRR) is measured by `tracuu eval`, not here.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shlex
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

from tracuu.index.embed import DEFAULT_MODEL, model_id
from tracuu.index.search import passage_text
from tracuu.ingest.pipeline import ingest_file

ROOT = Path(__file__).resolve().parent.parent
PATHS = ("torch-fp32", "torch-int8", "onnx-fp32", "onnx-int8")
ORT_VARIANTS = {"QInt8": ("QInt8", False), "QInt8+reduce_range": ("QInt8", True), "QUInt8": ("QUInt8", False)}
PROMPTS = {"passage": "passage: ", "query": "query: "}


@dataclass
class Config:
    path: str
    threads: int
    variant: str = ""  # torch quantised engine, or ONNX weight type
    onnx: str = ""  # the .onnx file for the onnx paths


def corpus_texts(limit: int, n_queries: int) -> tuple[list[str], list[str]]:
    """N chunks spread evenly over the corpus (deterministic), and Q word spans of 6-15 words."""
    files = sorted(p for p in (ROOT / "corpus").glob("*.md") if p.name != "README.md")
    rows = []
    for f in files:
        doc = ingest_file(f, segment=False)
        rows += [{"title": doc.header.title, "context": c.context, "text": c.text} for c in doc.chunks]
    step = len(rows) / max(1, limit)
    passages = [passage_text(rows[int(i * step)]) for i in range(min(limit, len(rows)))]
    queries: list[str] = []
    i = 0
    while len(queries) < n_queries:
        words = rows[(i * 7919) % len(rows)]["text"].split()
        n = 6 + i % 10
        if len(words) >= n:
            start = (i * 31) % (len(words) - n + 1)
            queries.append(" ".join(words[start : start + n]))
        i += 1
    return passages, queries


def in_child(fn, *args: Any) -> Any:
    """Run fn in a fresh process: its own threads, its own peak RSS, nothing left loaded here."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


def export_onnx(model: str, dest: str) -> dict[str, Any]:
    """The project's own export (`tracuu.modelbuild.export_onnx`), checked against torch; warnings recorded."""
    from tracuu.modelbuild.export_onnx import export

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        diff = export(Path(model), Path(dest))
    notes = sorted({f"{w.category.__name__} ({Path(w.filename).name}:{w.lineno}): {str(w.message)[:90]}…"
                    for w in caught})  # fmt: skip
    return {"max_abs_diff": diff, "warnings": notes}


def quantize_onnx(src: str, dests: dict[str, str]) -> dict[str, str]:
    """ORT pre-processing (shape inference, basic graph optimisation), then dynamic quantisation."""
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.quantization.shape_inference import quant_pre_process

    logging.getLogger().setLevel(logging.ERROR)
    pre = src.replace(".onnx", ".pre.onnx")
    quant_pre_process(src, pre)
    errors = {}
    for variant, dest in dests.items():
        wtype, reduce_range = ORT_VARIANTS[variant]
        try:
            quantize_dynamic(pre, dest, weight_type=getattr(QuantType, wtype), reduce_range=reduce_range)
        except Exception as e:  # noqa: BLE001 - recorded in the notes
            errors[variant] = f"{type(e).__name__}: {e}"
    os.unlink(pre)
    return errors


def encoder(cfg: Config, model: str):
    """encode(texts, kind, batch_size) -> normalised float32 vectors, for one configuration."""
    if cfg.path.startswith("torch"):
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(cfg.threads)
        st = SentenceTransformer(model, device="cpu").eval()
        if cfg.variant:
            torch.backends.quantized.engine = cfg.variant
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # torch marks its quantised tensor API deprecated
                st = torch.ao.quantization.quantize_dynamic(st, {torch.nn.Linear}, dtype=torch.qint8)

        def encode_torch(texts: list[str], kind: str, batch_size: int) -> np.ndarray:
            with torch.inference_mode():
                return st.encode(texts, prompt_name=kind, batch_size=batch_size, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False)  # fmt: skip

        return encode_torch

    import onnxruntime as ort
    from transformers import AutoTokenizer

    opts = ort.SessionOptions()
    opts.intra_op_num_threads, opts.inter_op_num_threads = cfg.threads, 1
    sess = ort.InferenceSession(cfg.onnx, opts, providers=["CPUExecutionProvider"])
    tok = AutoTokenizer.from_pretrained(model)

    def encode_onnx(texts: list[str], kind: str, batch_size: int) -> np.ndarray:
        texts = [PROMPTS[kind] + t for t in texts]
        order = np.argsort([-len(t) for t in texts], kind="stable")
        parts = []
        for s in range(0, len(texts), batch_size):
            batch = [texts[i] for i in order[s : s + batch_size]]
            enc = tok(batch, padding=True, truncation=True, max_length=512, return_tensors="np")
            mask = enc["attention_mask"].astype(np.int64)
            (hidden,) = sess.run(
                None, {"input_ids": enc["input_ids"].astype(np.int64), "attention_mask": mask}
            )
            w = mask[..., None].astype(np.float32)
            v = (hidden * w).sum(axis=1) / np.maximum(w.sum(axis=1), 1e-9)
            parts.append(v / np.linalg.norm(v, axis=1, keepdims=True))
        out = np.empty_like(np.vstack(parts))
        out[order] = np.vstack(parts)
        return out

    return encode_onnx


def measure(cfg: Config, model: str, passages: list[str], queries: list[str], batch_size: int) -> dict:
    os.environ["RAYON_NUM_THREADS"] = str(cfg.threads)  # the fast tokenizer's pool, before first use
    t0 = time.perf_counter()
    encode = encoder(cfg, model)
    load_s = time.perf_counter() - t0
    encode(passages[:batch_size], "passage", batch_size)  # warm-up
    t0 = time.perf_counter()
    pvecs = encode(passages, "passage", batch_size)
    passages_s = time.perf_counter() - t0
    encode(queries[:1], "query", 1)
    qvecs, times = [], []
    for q in queries:
        t0 = time.perf_counter()
        qvecs.append(encode([q], "query", 1)[0])
        times.append((time.perf_counter() - t0) * 1000)
    return {"cfg": cfg, "load_s": load_s, "per_s": len(passages) / passages_s, "p50": np.percentile(times, 50),
            "p95": np.percentile(times, 95), "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "vecs": np.vstack([pvecs, np.array(qvecs)]), "torch_loaded": "torch" in sys.modules}  # fmt: skip


def label(cfg: Config) -> str:
    return f"{cfg.path} ({cfg.variant})" if cfg.variant else cfg.path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=400, help="passages to embed")
    ap.add_argument("--queries", type=int, default=100, help="single queries to time")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    ap.add_argument("--paths", default=",".join(PATHS), help="comma-separated subset of " + ", ".join(PATHS))
    ap.add_argument("--out-dir", type=Path, default=ROOT / "bench" / "out", help="ONNX files are cached here")
    ap.add_argument("--model", default=str(DEFAULT_MODEL))
    args = ap.parse_args()
    paths = [p for p in args.paths.split(",") if p]
    if unknown := set(paths) - set(PATHS):
        ap.error(f"unknown paths: {', '.join(sorted(unknown))}")
    threads = sorted({int(t) for t in args.threads.split(",")})
    top = threads[-1]
    if not Path(args.model).is_dir():
        sys.exit(f"model folder not found: {args.model} (run `make model`)")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # inherited by the child processes
    load0 = os.getloadavg()[0]
    passages, queries = corpus_texts(args.limit, args.queries)
    notes: list[str] = []

    onnx_fp32 = ""
    ort_files: dict[str, str] = {}
    if {"onnx-fp32", "onnx-int8"} & set(paths):
        args.out_dir.mkdir(parents=True, exist_ok=True)
        stem = model_id(args.model).replace("@", "-")
        onnx_fp32 = str(args.out_dir / f"{stem}.onnx")
        if not Path(onnx_fp32).exists():
            tmp = onnx_fp32 + ".part"
            ex = in_child(export_onnx, args.model, tmp)
            os.replace(tmp, onnx_fp32)
            notes.append(f"ONNX export (opset 17): max |Δ| of last_hidden_state vs torch on an untraced "
                         f"shape {ex['max_abs_diff']:.2e}; exporter warnings: " + "; ".join(ex["warnings"]))  # fmt: skip
        else:
            notes.append(
                f"ONNX export reused from {onnx_fp32} (delete it to re-export and see its warnings)."
            )
        if "onnx-int8" in paths:
            ort_files = {
                v: str(args.out_dir / f"{stem}.int8-{v.replace('+', '-')}.onnx") for v in ORT_VARIANTS
            }
            missing = {v: f for v, f in ort_files.items() if not Path(f).exists()}
            for v, err in (in_child(quantize_onnx, onnx_fp32, missing) if missing else {}).items():
                notes.append(f"onnxruntime quantize_dynamic {v} failed: {err}")
                del ort_files[v]

    import torch  # only to list the quantised engines; the measurements run in child processes

    engines = [e for e in torch.backends.quantized.supported_engines if e != "none"]
    plan: list[tuple[str, list[Config]]] = []
    for path in paths:
        if path == "torch-int8":
            plan.append((path, [Config(path, top, e) for e in engines]))
        elif path == "onnx-int8":
            plan.append((path, [Config(path, top, v, f) for v, f in ort_files.items()]))
        else:
            plan.append((path, [Config(path, t, onnx=onnx_fp32) for t in threads]))

    def run(cfg: Config) -> list[dict]:
        print(f"measuring {label(cfg)} × {cfg.threads} threads", file=sys.stderr, flush=True)
        try:
            return [in_child(measure, cfg, args.model, passages, queries, args.batch_size)]
        except Exception as e:  # noqa: BLE001 - a failing variant is a result, not a crash
            notes.append(f"{label(cfg)}, {cfg.threads} threads failed: {type(e).__name__}: {e}")
            return []

    results: list[dict] = []
    for path, configs in plan:
        done = [r for cfg in configs for r in run(cfg)]
        if done and configs[0].variant:  # variants: the fastest again at the other thread counts
            best = max(done, key=lambda r: r["per_s"])["cfg"]
            if len(done) > 1:
                notes.append(f"{path}: fastest variant at {top} threads is {best.variant} of "
                             + ", ".join(r["cfg"].variant for r in done) + ".")  # fmt: skip
            done += [r for t in threads[:-1] for r in run(Config(path, t, best.variant, best.onnx))]
        results += done

    ref = next((r["vecs"] for r in results if r["cfg"].path == "torch-fp32"), None)
    print(f"Command: `{shlex.join(['.venv/bin/python', 'bench/bench_embed.py', *sys.argv[1:]])}`")
    print(f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, torch "
          f"{torch.__version__}, onnxruntime {_version('onnxruntime')}; load average {load0:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after. {len(passages)} passages (batch {args.batch_size}), "
          f"{len(queries)} queries.")  # fmt: skip
    print()
    print(
        "| path | threads | passages/s | query p50 | query p95 | peak RSS | load | cos vs fp32 mean / min |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        cos = "n/a"
        if ref is not None:
            c = (r["vecs"] * ref).sum(axis=1)
            cos = f"{c.mean():.5f} / {c.min():.5f}"
        print(f"| {label(r['cfg'])} | {r['cfg'].threads} | {r['per_s']:.1f} | {r['p50']:.1f} ms | "
              f"{r['p95']:.1f} ms | {r['rss']:.0f} MB | {r['load_s']:.1f} s | {cos} |")  # fmt: skip
    print()
    notes += [
        "Peak RSS is the whole process (Python, imports, model); torch int8 includes the fp32 model it was "
        "quantised from (quantize_dynamic copies, as Embedder does).",
        "Earlier ad-hoc measurements found torch dynamic int8 slower than fp32 on this CPU (AVX2, no VNNI).",
        'sentence-transformers\' own backend="onnx" needs optimum-onnx, which pins older transformers and '
        "sentence-transformers: not installed; the ONNX paths here use torch.onnx.export (TorchScript "
        "exporter: the dynamo exporter needs onnxscript, not installed), the same tokenizer, mean pooling "
        "and L2 normalisation in numpy.",
    ]
    if load0 > 0.5:
        notes.append(f"The machine was not idle (load average {load0:.1f} at the start): other processes "
                     "compete for the cores, which hurts the 2-thread rows most.")  # fmt: skip
    if any(r["torch_loaded"] for r in results if r["cfg"].path.startswith("onnx")):
        notes.append(
            "The ONNX processes had torch imported (by transformers' tokenizer): their RSS includes it."
        )
    for n in notes:
        print(f"- {n}")


def _version(pkg: str) -> str:
    from importlib.metadata import version

    return version(pkg)


if __name__ == "__main__":
    main()
