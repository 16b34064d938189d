"""Data for screening the legal adapter's training choices quickly (`sweep_adapter.py`), on an accelerator when
one is lent, else on the CPU over a re-ranking pool:

    python -m tracuu.modelbuild.sweep_data --out .sweep      # after `tracuu eval zalo --split validation`

Writes, pre-tokenised with the product's tokenizer over a pruned vocabulary (the ~8,000 pieces the texts use),
so the folder travels under 64 MiB with no tokenizer: every training pair `train_adapter.training_pairs` gives
with all unambiguous headings and its BM25 hard negative (`data.npz`: q, pos, neg, source); the validation
questions and passages in index row order with each passage's article and each question's BM25 top 100
(`data.npz`: vq, vp, keys; `val.json.gz`); the base model with that vocabulary, fp16, its FFN matrices int8 per
row (`model.safetensors`, `config.json`); and `pool.json`, the re-ranking pool — gold chunks, the top 20 of
BM25, of the base model and of the shipped adapter (their cached int8 vectors) for every question, 2,000
seeded random chunks — on which both shipped models' dense MRR@10 equals their full-set figure."""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from pathlib import Path

import numpy as np

POOL_TOP = 20
POOL_RANDOM = 2000


def _validation(
    shared: Path,
) -> tuple[list[str], list[str], list[str], list[list[list[float]]], list[set[str]], list[str]]:
    """Passages (index row order) and their article keys, questions, BM25 top 100, gold, chunk ids."""
    from tracuu.evaluation import evaluate as ev
    from tracuu.index.backend import Filters
    from tracuu.index.places import index_place
    from tracuu.index.search import CANDIDATES, Searcher, passage_text
    from tracuu.index.store import open_store

    home = Path(".tracuu-eval/zalo-validation")
    store = open_store(home, None)
    try:
        index = index_place(home, None).load_for_write()
        searcher = Searcher(store, index, None)
        ds = ev.zalo(shared, "validation")
        rows = {r["chunk_id"]: r for r in store.index_rows()}
        meta = {r["chunk_id"]: r for r in ev._chunk_rows(searcher)}
        ids = list(index.meta.chunk_ids)
        allowed = index.allowed(Filters())
        lex = [[[h.row, h.score] for h in searcher.lexical(searcher.prepare(q.text), allowed, CANDIDATES)]
               for q in ds.queries]  # fmt: skip
        return ([passage_text(rows[c]) for c in ids], [meta[c]["doc_id_key"] or "" for c in ids],
                [q.text for q in ds.queries], lex, [set(q.gold) for q in ds.queries], ids)  # fmt: skip
    finally:
        store.close()


def _pool(
    passages: list[str], keys: list[str], questions: list[str], lex: list, gold: list[set[str]]
) -> list[int]:
    from tracuu.core.settings import Settings
    from tracuu.index.embed import Embedder
    from tracuu.index.search import vector_key
    from tracuu.index.store import open_store

    store = open_store(Path(".tracuu-eval/zalo-validation"), None)
    pool = {i for i, k in enumerate(keys) if any(k in g for g in gold)}
    pool |= {r for hits in lex for r, _ in hits[:POOL_TOP]}
    try:
        for adapter in ("none", "legal-vi"):
            s = Settings(adapter=adapter)
            emb = Embedder(s.model, quantize=s.quantize, threads=2)
            cached = store.cached_vectors([vector_key(emb.name, t) for t in passages], emb.name)
            vectors = np.stack(
                [np.frombuffer(cached[vector_key(emb.name, t)], dtype=np.float32) for t in passages]
            )
            top = np.argsort(-(emb.queries(questions) @ vectors.T), axis=1)[:, :POOL_TOP]
            pool |= set(top.ravel().tolist())
    finally:
        store.close()
    rest = sorted(set(range(len(keys))) - pool)
    random.Random(1).shuffle(rest)
    return sorted(pool | set(rest[:POOL_RANDOM]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--out", type=Path, default=Path(".sweep"))
    args = ap.parse_args()
    from safetensors.numpy import load_file, save_file
    from tokenizers import Tokenizer

    from tracuu.index.embed import BASE_MODEL
    from tracuu.modelbuild import train_adapter as T

    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    arts = T.articles(args.shared)
    pairs, report = T.training_pairs(args.shared, arts, random.Random(20261203), 100_000)
    T.mine_negatives(pairs, arts)
    del arts
    passages, keys, questions, lex, gold, _ = _validation(args.shared)
    tok = Tokenizer.from_file(str(BASE_MODEL / "tokenizer.json"))
    tok.enable_truncation(max_length=512)
    texts = {"q": ["query: " + p.query for p in pairs], "pos": ["passage: " + p.positive for p in pairs],
             "neg": ["passage: " + (p.negative or p.positive) for p in pairs],
             "vq": ["query: " + q for q in questions], "vp": ["passage: " + p for p in passages]}  # fmt: skip
    ids = {k: [e.ids for e in tok.encode_batch(v)] for k, v in texts.items()}
    used = sorted(
        {i for v in ids.values() for s in v for i in s} | {0, 1, 2, 3}
    )  # <s>, <pad>, </s>, <unk> keep ids
    remap = np.zeros(max(used) + 1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    arrays: dict[str, np.ndarray] = {}
    for k, v in ids.items():
        cap = 256 if k in ("pos", "neg") else 512  # training reads at most 256 tokens of a passage
        v = [s[: cap - 1] + [s[-1]] if len(s) > cap else s for s in v]
        arrays[k + "_len"] = np.array([len(s) for s in v], dtype=np.int32)
        arrays[k + "_ids"] = remap[np.concatenate([np.array(s) for s in v])].astype(np.uint16)
    arrays["source"] = np.array([p.source == "zalo" for p in pairs], dtype=np.bool_)
    arrays["keys"] = np.array(keys)
    np.savez_compressed(out / "data.npz", **arrays)
    with gzip.open(out / "val.json.gz", "wt") as fh:
        json.dump({"gold": [sorted(g) for g in gold], "lex": lex, "report": report}, fh)
    (out / "pool.json").write_text(json.dumps(_pool(passages, keys, questions, lex, gold)))
    weights = load_file(str(BASE_MODEL / "model.safetensors"))
    small: dict[str, np.ndarray] = {}
    for name, w in weights.items():
        if "word_embeddings" in name:
            w = w[used]
        if re.search(r"(intermediate\.dense|layer\.\d+\.output\.dense)\.weight$", name):
            scale = np.abs(w).max(axis=1, keepdims=True) / 127.0
            small[name + ".q8"] = np.round(w / scale).astype(np.int8)
            small[name + ".scale"] = scale.astype(np.float32)
        else:
            small[name] = w.astype(np.float16)
    save_file(small, str(out / "model.safetensors"))
    config = json.loads((BASE_MODEL / "config.json").read_text())
    (out / "config.json").write_text(json.dumps({**config, "vocab_size": len(used)}))
    print(
        json.dumps(
            {"pairs": len(pairs), "validation_passages": len(passages), "vocabulary": len(used), **report}
        )
    )


if __name__ == "__main__":
    main()
