"""Train a LoRA adapter for the converted e5-small on public Vietnamese legal retrieval pairs.

    python -m tracuu.modelbuild.train_adapter --shared ../shared --minutes 150 --out modelbuild/adapters/legal-vi

Why an adapter: e5-small is a general multilingual model that never saw a Vietnamese legal question; a low-rank
update of its linear layers (a few MB) teaches it the register, and merged into the weights it costs nothing at
inference (`merge.py`, done by `make model`).

Data (`training_pairs`), all in ../shared:
- Zalo 2021 questions on Bộ Pháp điển whose id starts 0–3 (half of the dev split; 4–7 is the validation half,
  8–f the test split, never read here), each with its gold article;
- Bộ Pháp điển article headings paired with the article's text (weak pairs), headings that name one article only.
ALQAC 2023 and 2024 questions are *not* used: every one of them is also a question of ALQAC 2025, our ALQAC
evaluation set (`guard` finds them). Every training query is compared with every forbidden question (Zalo
test and validation, ALQAC 2025) by character 3–5-gram TF-IDF cosine; at or above `NEAR` it is dropped.

Training: sentence-transformers' MultipleNegativesRankingLoss (in-batch negatives plus one hard negative per
pair, the best-ranked non-gold article under our own BM25), AdamW on the LoRA weights only, a fixed seed, a
wall-clock budget; the schedule decays linearly over the steps the first steps' speed says will fit.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tracuu.evaluation.evaluate import ZALO_SPLITS, zalo_rows
from tracuu.index.embed import BASE_MODEL
from tracuu.index.lexical import FieldIndex, syllable_tokens
from tracuu.index.search import passage_text
from tracuu.ingest.normalize import fold

NEAR = 0.7  # TF-IDF cosine of character 3–5-grams at which two questions are one question reworded
TARGETS = ["query", "key", "value", "dense"]  # every linear layer of the encoder
INC = Path("data") / "incoming"
TRAIN_SPLITS = {"train": (0, 4), "validation": ZALO_SPLITS["validation"], "test": ZALO_SPLITS["test"]}


@dataclass
class Pair:
    query: str
    positive: str  # the passage as the index embeds it (document › article heading, then text)
    gold: frozenset[str]  # pd_ids that answer it (never a hard negative)
    source: str  # "zalo" or "heading"
    negative: str = ""


def split_of(qid: str) -> str:
    """Zalo on Pháp điển by the first hex digit of the id: 0–3 train, 4–7 validation, 8–f test
    (`evaluation.evaluate.ZALO_SPLITS`)."""
    d = int(qid[0], 16)
    return next(name for name, (low, high) in TRAIN_SPLITS.items() if low <= d < high)


def articles(shared: Path) -> dict[str, dict[str, Any]]:
    path = shared / INC / "phapdien_vn" / "phapdien_articles.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return {a["pd_id"]: a for a in map(json.loads, fh)}


def passage(a: dict[str, Any], with_heading: bool = True) -> str:
    """An article as `index.search.passage_text` gives its first chunk: document title › article heading."""
    number = (a.get("source_article") or "Điều 1").replace("Điều", "").strip() or "1"
    context = f"Điều {number}. {a['heading']}" if with_heading else None
    return passage_text({"title": a.get("doc_title") or a["heading"], "context": context, "text": a["text"]})


def forbidden_questions(shared: Path) -> list[str]:
    """What must never be trained on: the Zalo test and validation questions and ALQAC 2025."""
    out = [q["query"] for q in zalo_rows(shared) if split_of(q["qid"]) != "train"]
    alqac = json.loads((shared / INC / "alqac2025" / "alqac25_train.json").read_text(encoding="utf-8"))
    return out + [q["text"] for q in alqac]


def alqac_candidates(shared: Path) -> list[str]:
    """ALQAC 2023 and 2024 questions, the issue's first source: checked by `guard`, never kept (all are in 2025)."""
    out = []
    for year, files in (("alqac2023", ("train.json", "public_test.json", "private_test.json")),
                        ("alqac2024", ("train.json",))):  # fmt: skip
        for name in files:
            out += [q["text"] for q in json.loads((shared / INC / year / name).read_text(encoding="utf-8"))]
    return out


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", fold(text).lower()).strip()


def guard(queries: list[str], forbidden: list[str]) -> np.ndarray:
    """Each query's highest similarity to any forbidden question (character 3–5-gram TF-IDF cosine, accents
    folded): 1.0 is the same question; at `NEAR` or above it is the same question reworded."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=1, sublinear_tf=True)
    vec.fit([_norm(t) for t in forbidden + queries])
    f = vec.transform([_norm(t) for t in forbidden])
    best = np.zeros(len(queries), dtype=np.float32)
    for s in range(0, len(queries), 4096):
        q = vec.transform([_norm(t) for t in queries[s : s + 4096]])
        best[s : s + 4096] = (q @ f.T).max(axis=1).toarray().ravel()
    return best


def training_pairs(shared: Path, arts: dict[str, dict[str, Any]], rng: random.Random,
                   max_headings: int) -> tuple[list[Pair], dict[str, Any]]:  # fmt: skip
    """Zalo's training half and unambiguous article headings, minus anything near a forbidden question."""
    pairs = [
        Pair(q["query"], passage(arts[p]), frozenset(ps), "zalo")
        for q in zalo_rows(shared)
        if split_of(q["qid"]) == "train"
        for ps in [[p for r in q["relevant"] for p in r["pd_ids"] if p in arts]]
        for p in ps[:1]
    ]
    headings = Counter(_norm(a["heading"]) for a in arts.values())
    weak = [
        Pair(a["heading"], passage(a, with_heading=False), frozenset([pid]), "heading")
        for pid, a in arts.items()
        if headings[_norm(a["heading"])] == 1 and len(a["heading"].split()) >= 4 and len(a["text"]) >= 80
    ]
    rng.shuffle(weak)
    weak = weak[:max_headings]
    forbidden = forbidden_questions(shared)
    sims = guard([p.query for p in pairs + weak], forbidden)
    kept = [p for p, s in zip(pairs + weak, sims, strict=True) if s < NEAR]
    alqac = alqac_candidates(shared)
    alqac_sims = guard(alqac, forbidden)
    report = {
        "zalo_train": len(pairs), "headings": len(weak),
        "dropped_near_forbidden": {src: sum(1 for p, s in zip(pairs + weak, sims, strict=True) if p.source == src and s >= NEAR)
                                   for src in ("zalo", "heading")},
        "max_similarity_kept": round(float(max((s for s in sims if s < NEAR), default=0.0)), 3),
        "forbidden_questions": len(forbidden), "near": NEAR,
        "alqac_2023_2024": len(alqac), "alqac_near_2025": int((alqac_sims >= NEAR).sum()),
    }  # fmt: skip
    return kept, report


def mine_negatives(pairs: list[Pair], arts: dict[str, dict[str, Any]]) -> None:
    """For each pair, the article our BM25 ranks highest that is not gold (syllable field, accents kept)."""
    ids = list(arts)
    index = FieldIndex()
    index.add([syllable_tokens(passage(arts[i])) for i in ids], 0)
    alive = np.ones(len(ids), dtype=bool)
    for p in pairs:
        scores = index.scores(syllable_tokens(p.query), alive)
        for row in np.argsort(-scores)[:20]:
            if ids[row] not in p.gold:
                p.negative = passage(arts[ids[row]], with_heading=p.source == "zalo")
                break


def train(pairs: list[Pair], out: Path, minutes: float, seed: int, batch: int, lr: float, rank: int,
          max_len: int, top_layers: int) -> dict[str, Any]:  # fmt: skip
    import torch
    from peft import LoraConfig, get_peft_model
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.losses import MultipleNegativesRankingLoss

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    model = SentenceTransformer(str(BASE_MODEL), device="cpu")
    model.max_seq_length = max_len
    layers = model[0].model.config.num_hidden_layers
    # only the top layers adapted: the backward pass stops below the lowest one (half the cost with 6 of 12)
    config = LoraConfig(
        r=rank,
        lora_alpha=2 * rank,
        lora_dropout=0.05,
        target_modules=TARGETS,
        bias="none",
        layers_to_transform=list(range(layers - top_layers, layers)),
    )
    model[0].model = get_peft_model(model[0].model, config)  # the Transformer module's transformers model
    params = [p for p in model.parameters() if p.requires_grad]
    print(f"{sum(p.numel() for p in params):,} trainable parameters", flush=True)
    loss_fn = MultipleNegativesRankingLoss(model)
    optim = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    order = list(range(len(pairs)))
    random.Random(seed).shuffle(order)
    started, step, losses, planned = time.monotonic(), 0, [], None
    budget = minutes * 60
    model.train()
    while True:
        idx = order[(step * batch) % len(order) :][:batch]
        if len(idx) < batch:
            idx += order[: batch - len(idx)]
        chunk = [pairs[i] for i in idx]
        feats = [
            model.preprocess([("query: " + p.query) for p in chunk]),
            model.preprocess([("passage: " + p.positive) for p in chunk]),
            model.preprocess([("passage: " + (p.negative or p.positive)) for p in chunk]),
        ]
        elapsed = time.monotonic() - started
        if planned is None and step == 5:
            planned = max(10, int(budget / (elapsed / 5)))  # the steps the budget allows at this speed
        warm = max(1, int(0.05 * (planned or 100)))
        scale = min(1.0, (step + 1) / warm) * (1.0 if planned is None else max(0.0, 1 - step / planned))
        for g in optim.param_groups:
            g["lr"] = lr * scale
        loss = loss_fn(feats, None)
        optim.zero_grad()
        loss.backward()
        optim.step()
        losses.append(float(loss.detach()))
        step += 1
        if step <= 5 or step % 20 == 0:
            print(
                f"step {step}/{planned} loss {np.mean(losses[-20:]):.4f} {elapsed / 60:.1f} min", flush=True
            )
        if time.monotonic() - started > budget or (planned is not None and step >= planned):
            break
    out.mkdir(parents=True, exist_ok=True)
    model[0].model.save_pretrained(str(out))  # peft writes the adapter alone
    return {"steps": step, "pairs_seen": step * batch, "seconds": round(time.monotonic() - started),
            "loss_first_20": round(float(np.mean(losses[:20])), 4), "loss_last_20": round(float(np.mean(losses[-20:])), 4)}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "adapters" / "legal-vi")
    ap.add_argument("--minutes", type=float, default=150.0, help="wall-clock budget of the training loop")
    ap.add_argument("--seed", type=int, default=20261203)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-4)
    ap.add_argument("--rank", type=int, default=16)
    ap.add_argument("--max-len", type=int, default=128, help="tokens per text while training")
    ap.add_argument("--top-layers", type=int, default=6, help="adapt this many of the top encoder layers")
    ap.add_argument("--max-headings", type=int, default=12_000)
    ap.add_argument("--zalo-repeat", type=int, default=6, help="each Zalo pair seen this many times per pass")
    args = ap.parse_args()
    import torch

    torch.set_num_threads(2)
    started = time.monotonic()
    rng = random.Random(args.seed)
    arts = articles(args.shared)
    pairs, report = training_pairs(args.shared, arts, rng, args.max_headings)
    print(json.dumps(report, ensure_ascii=False), flush=True)
    mine_negatives(pairs, arts)
    del arts  # 60 M characters of articles: not needed while training
    pairs = [p for p in pairs if p.source == "zalo"] * args.zalo_repeat + [
        p for p in pairs if p.source != "zalo"
    ]
    print(f"{len(pairs)} training pairs; negatives mined in {time.monotonic() - started:.0f} s", flush=True)
    stats = train(
        pairs,
        args.out,
        args.minutes,
        args.seed,
        args.batch,
        args.lr,
        args.rank,
        args.max_len,
        args.top_layers,
    )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    log = {"command": "python -m tracuu.modelbuild.train_adapter " + " ".join(
        f"--{k.replace('_', '-')} {v}" for k, v in vars(args).items() if k not in {"shared", "out"}),
        "commit": commit, "data": report, **stats, "base": BASE_MODEL.name,
        "targets": TARGETS, "total_seconds": round(time.monotonic() - started)}  # fmt: skip
    (args.out / "training.json").write_text(
        json.dumps(log, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(json.dumps(log, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
