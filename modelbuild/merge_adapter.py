"""Merge a LoRA adapter into a copy of the converted model: the adapted model costs nothing more at inference.

    python -m tracuu.modelbuild.merge_adapter BASE_DIR OUT_DIR [--adapter modelbuild/adapters/legal-vi]

Run by `make model` after the conversion and before the ONNX export. Each adapted linear layer gets
W + (alpha / r) · B·A, read from peft's `adapter_model.safetensors` and `adapter_config.json` with numpy alone
(peft is needed to train, not to build the model). `tracuu_adapter.json` in OUT_DIR names the adapter and its
hash: the model key an index records includes it (`index.embed.model_id`), so vectors of another model or
another adapter are never mixed in.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

ADAPTERS = Path(__file__).resolve().parent / "adapters"
RECORD = "tracuu_adapter.json"
_PEFT_PREFIX = "base_model.model."


def adapter_hash(adapter: Path) -> str:
    h = hashlib.sha256()
    for name in ("adapter_config.json", "adapter_model.safetensors"):
        h.update((adapter / name).read_bytes())
    return h.hexdigest()


def deltas(adapter: Path) -> dict[str, np.ndarray]:
    """Each adapted weight's name in the base model and the update to add to it."""
    from safetensors.numpy import load_file

    config = json.loads((adapter / "adapter_config.json").read_text(encoding="utf-8"))
    if config.get("use_rslora") or config.get("use_dora"):
        raise ValueError(f"{adapter}: only plain LoRA adapters can be merged here")
    scale = config["lora_alpha"] / config["r"]
    tensors = load_file(str(adapter / "adapter_model.safetensors"))
    out = {}
    for key, a in tensors.items():
        if ".lora_A." not in key:
            continue
        b = tensors[key.replace(".lora_A.", ".lora_B.")]
        name = key.removeprefix(_PEFT_PREFIX).replace(".lora_A.weight", ".weight")
        out[name] = (b.astype(np.float64) @ a.astype(np.float64) * scale).astype(np.float32)
    return out


def up_to_date(out: Path, adapter: Path) -> bool:
    record = out / RECORD
    return record.exists() and json.loads(record.read_text())["sha256"] == adapter_hash(adapter)


def merge(base: Path, out: Path, adapter: Path) -> int:
    """Write OUT as BASE with the adapter merged; returns how many weights changed. Written beside and renamed
    into place, so an interrupted merge never leaves a half-merged model."""
    from safetensors.numpy import load_file, save_file

    weights = load_file(str(base / "model.safetensors"))
    changes = deltas(adapter)
    missing = sorted(set(changes) - set(weights))
    if missing:
        raise ValueError(f"{adapter}: adapted weights absent from {base}: {missing[:3]}")
    for name, delta in changes.items():
        weights[name] = (weights[name].astype(np.float32) + delta).astype(weights[name].dtype)
    tmp = Path(tempfile.mkdtemp(prefix=out.name + ".", dir=out.parent))
    try:
        for item in base.iterdir():
            if item.name in {"model.safetensors", "onnx", RECORD}:
                continue
            (shutil.copytree if item.is_dir() else shutil.copy2)(item, tmp / item.name)
        save_file(weights, str(tmp / "model.safetensors"), metadata={"format": "pt"})
        config = json.loads((adapter / "adapter_config.json").read_text(encoding="utf-8"))
        record = {"adapter": adapter.name, "sha256": adapter_hash(adapter), "r": config["r"],
                  "lora_alpha": config["lora_alpha"], "weights_changed": len(changes), "base": base.name}  # fmt: skip
        (tmp / RECORD).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return len(changes)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="merge a LoRA adapter into a copy of the converted model")
    ap.add_argument("base", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--adapter", type=Path, default=ADAPTERS / "legal-vi")
    args = ap.parse_args(argv)
    if up_to_date(args.out, args.adapter):
        print(f"{args.out}: adapter {args.adapter.name} already merged")
        return 0
    n = merge(args.base, args.out, args.adapter)
    print(f"{args.out}: {args.adapter.name} merged into {n} weights of {args.base.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
