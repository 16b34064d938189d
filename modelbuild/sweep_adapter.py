"""Screen the legal adapter's training choices: train each configuration from the base model with the same
loss as `train_adapter.py` (in-batch negatives plus the BM25 hard negative, MultipleNegativesRankingLoss's
scale 20) and score it on the Zalo validation questions, dense and hybrid (convex 0.5 with the BM25 top 100),
MRR@10 by article. Data from `sweep_data.py`; stand-alone (torch, transformers, peft), so the folder can be sent
to an accelerator as it is:

    python modelbuild/sweep_adapter.py --data .sweep '["base", {}, {"neg": false}, {"heads": 0, "zrep": 40}]'
    python modelbuild/sweep_adapter.py --data .sweep --device cpu --pool '["base", {"steps": 100}]'

A configuration changes the shipped one (rank 16, top 6 layers, lr 2e-4, batch 32, 128 tokens, Zalo pairs × 6,
12,000 headings, 307 steps, hard negatives); "base" scores the model without an adapter. `--pool`: only the
re-ranking pool's passages (CPU screening). One JSON line per configuration, also gathered in OUT/sweep.json."""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import time
from pathlib import Path
from typing import Any

import numpy as np

SHIPPED = {"rank": 16, "top": 6, "lr": 2e-4, "batch": 32, "len": 128, "zrep": 6, "heads": 12000, "steps": 307,
           "neg": True, "seed": 20261203}  # fmt: skip


class Sweep:
    def __init__(self, data: Path, device: str, pool: bool) -> None:
        import torch
        from safetensors.torch import load_file
        from transformers import XLMRobertaConfig

        self.torch, self.device = torch, device
        arrays = np.load(data / "data.npz")
        self.seqs = {k: self._split(arrays, k) for k in ("q", "pos", "neg", "vq", "vp")}
        self.zalo = arrays["source"]
        self.keys = list(arrays["keys"])
        with gzip.open(data / "val.json.gz", "rt") as fh:
            val = json.load(fh)
        self.gold = [set(g) for g in val["gold"]]
        self.lex = val["lex"]
        if pool:
            rows = json.loads((data / "pool.json").read_text())
            at = {r: i for i, r in enumerate(rows)}
            self.seqs["vp"] = [self.seqs["vp"][i] for i in rows]
            self.keys = [self.keys[i] for i in rows]
            self.lex = [[[at[r], s] for r, s in hits if r in at] for hits in self.lex]
        config = json.loads((data / "config.json").read_text())
        self.config = XLMRobertaConfig(**{k: v for k, v in config.items() if k != "architectures"})
        weights = load_file(str(data / "model.safetensors"))
        for name in [n for n in weights if n.endswith(".q8")]:
            weights[name[:-3]] = weights.pop(name).float() * weights.pop(name[:-3] + ".scale")
        self.weights = {k: v.float() for k, v in weights.items()}

    @staticmethod
    def _split(arrays: Any, k: str) -> list[np.ndarray]:
        lens, ids = arrays[k + "_len"], arrays[k + "_ids"].astype(np.int64)
        offsets = np.concatenate([[0], np.cumsum(lens)])
        return [ids[offsets[i] : offsets[i + 1]] for i in range(len(lens))]

    def model(self) -> Any:
        from transformers import XLMRobertaModel

        m = XLMRobertaModel(self.config, add_pooling_layer=False)
        missing, _ = m.load_state_dict(self.weights, strict=False)
        assert not [k for k in missing if "pooler" not in k], missing
        return m.to(self.device)

    def embed(self, m: Any, seqs: list[np.ndarray], max_len: int) -> Any:
        torch = self.torch
        seqs = [s if len(s) <= max_len else np.concatenate([s[: max_len - 1], s[-1:]]) for s in seqs]
        ids = np.ones((len(seqs), max(len(s) for s in seqs)), dtype=np.int64)  # 1: <pad>
        for i, s in enumerate(seqs):
            ids[i, : len(s)] = s
        t = torch.from_numpy(ids).to(self.device)
        mask = (t != 1).long()
        h = m(input_ids=t, attention_mask=mask).last_hidden_state
        return torch.nn.functional.normalize((h * mask[..., None]).sum(1) / mask.sum(1, keepdim=True), dim=-1)

    def encode(self, m: Any, seqs: list[np.ndarray], batch: int = 256) -> Any:
        torch = self.torch
        m.eval()
        order = np.argsort([len(s) for s in seqs])
        out = torch.zeros(len(seqs), self.config.hidden_size, device=self.device)
        with torch.no_grad():
            for s in range(0, len(order), batch):
                idx = order[s : s + batch]
                with torch.autocast(self.device, dtype=torch.bfloat16):
                    out[torch.from_numpy(idx).to(self.device)] = self.embed(
                        m, [seqs[i] for i in idx], 512
                    ).float()
        return out

    def _mrr(self, qi: int, rows: list[int]) -> tuple[float, bool]:
        seen: list[str] = []
        for r in rows:
            if self.keys[r] and self.keys[r] not in seen:
                seen.append(self.keys[r])
            if len(seen) >= 10:
                break
        first = next((i + 1 for i, k in enumerate(seen) if k in self.gold[qi]), None)
        return (1 / first if first else 0.0), first is not None

    def score(self, m: Any) -> dict[str, float]:
        sims = self.encode(m, self.seqs["vq"]) @ self.encode(m, self.seqs["vp"]).T
        top = self.torch.topk(sims, 100, dim=1)
        out: dict[str, list[float]] = {"dense": [], "hybrid": [], "r10_dense": [], "r10_hybrid": []}
        for qi in range(len(self.gold)):
            rows, scores = top.indices[qi].tolist(), np.array(top.values[qi].tolist())
            mrr, hit = self._mrr(qi, rows)
            out["dense"].append(mrr)
            out["r10_dense"].append(hit)
            fused: dict[int, float] = {}
            for hits, weight in (
                (self.lex[qi], 0.5),
                ([[r, s] for r, s in zip(rows, scores, strict=True)], 0.5),
            ):
                if hits:
                    s = np.array([h[1] for h in hits], dtype=np.float64)
                    s = (s - s.min()) / ((s.max() - s.min()) or 1.0)
                    for (r, _), v in zip(hits, s, strict=True):
                        fused[r] = fused.get(r, 0.0) + weight * v
            mrr, hit = self._mrr(qi, [r for r, _ in sorted(fused.items(), key=lambda x: (-x[1], x[0]))])
            out["hybrid"].append(mrr)
            out["r10_hybrid"].append(hit)
        return {k: round(float(np.mean(v)), 4) for k, v in out.items()}

    def train(self, c: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        torch = self.torch
        from peft import LoraConfig, get_peft_model

        random.seed(c["seed"])
        np.random.seed(c["seed"])
        torch.manual_seed(c["seed"])
        layers = self.config.num_hidden_layers
        m = get_peft_model(self.model(), LoraConfig(
            r=c["rank"], lora_alpha=2 * c["rank"], lora_dropout=0.05, bias="none",
            target_modules=["query", "key", "value", "dense"],
            layers_to_transform=list(range(layers - c["top"], layers))))  # fmt: skip
        optim = torch.optim.AdamW(
            [p for p in m.parameters() if p.requires_grad], lr=c["lr"], weight_decay=0.01
        )
        rng = random.Random(c["seed"])
        heads = [i for i in range(len(self.zalo)) if not self.zalo[i]]
        rng.shuffle(heads)
        pool = [i for i in range(len(self.zalo)) if self.zalo[i]] * c["zrep"] + heads[: c["heads"]]
        rng.shuffle(pool)
        steps, batch = c["steps"], c["batch"]
        warm, losses = max(1, int(0.05 * steps)), []
        m.train()
        for step in range(steps):
            idx = [pool[(step * batch + j) % len(pool)] for j in range(batch)]
            for g in optim.param_groups:
                g["lr"] = c["lr"] * min(1.0, (step + 1) / warm) * max(0.0, 1 - step / steps)
            q = self.embed(m, [self.seqs["q"][i] for i in idx], c["len"])
            cand = [self.seqs["pos"][i] for i in idx] + (
                [self.seqs["neg"][i] for i in idx] if c["neg"] else []
            )
            loss = torch.nn.functional.cross_entropy(20.0 * q @ self.embed(m, cand, c["len"]).T,
                                                     torch.arange(batch, device=self.device))  # fmt: skip
            optim.zero_grad()
            loss.backward()
            optim.step()
            losses.append(loss.item())
        return m, {"steps": steps, "pairs": len(pool), "loss_first_20": round(float(np.mean(losses[:20])), 3),
                   "loss_last_20": round(float(np.mean(losses[-20:])), 3)}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("grid", help='JSON list: "base" and/or changes to the shipped configuration')
    ap.add_argument("--data", type=Path, default=Path(".sweep"))
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--pool", action="store_true", help="score on the re-ranking pool only (CPU screening)")
    ap.add_argument(
        "--seconds", type=float, default=1e9, help="start no configuration after this many seconds"
    )
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    torch.backends.cuda.matmul.allow_tf32 = True
    started = time.monotonic()
    sweep = Sweep(args.data, args.device, args.pool)
    out_dir = Path(os.environ.get("OUT", "/tmp"))
    results = []
    for g in json.loads(args.grid):
        if time.monotonic() - started > args.seconds:
            print(json.dumps({"not run (time)": g}), flush=True)
            continue
        t = time.monotonic()
        if g == "base":
            r = {"name": "base", **sweep.score(sweep.model())}
        else:
            m, stats = sweep.train({**SHIPPED, **g})
            r = {"name": json.dumps(g), **sweep.score(m), **stats}
        r["seconds"] = round(time.monotonic() - t)
        print(json.dumps(r), flush=True)
        results.append(r)
        (out_dir / "sweep.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
