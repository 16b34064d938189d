"""Export the embedding model to ONNX and quantise it (int8 weights) for onnxruntime: the fast CPU path.

    python -m tracuu.modelbuild.export_onnx MODEL_DIR      # writes MODEL_DIR/onnx/{model.onnx, model_quint8.onnx}

Run by `make model` in its own process. The export is checked against torch on a batch and sequence length
other than the traced ones; files are written to a temporary folder and renamed into place, and an
up-to-date export is left alone.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np

FORMAT = 1


def _source_hash(model: Path) -> str:
    h = hashlib.sha256(str(FORMAT).encode())
    for name in ("config.json", "tokenizer.json"):
        h.update((model / name).read_bytes())
    if (model / "tracuu_adapter.json").exists():  # a re-merged adapter: export again
        h.update((model / "tracuu_adapter.json").read_bytes())
    h.update(str((model / "model.safetensors").stat().st_size).encode())
    return h.hexdigest()


def up_to_date(model: Path) -> bool:
    record = model / "onnx" / "export.json"
    return record.exists() and json.loads(record.read_text())["source"] == _source_hash(model)


def export(model: Path, dest: Path) -> float:
    """torch.onnx.export of the transformer (last hidden state); returns the max abs difference to torch."""
    import onnxruntime as ort
    import torch
    from transformers import AutoModel, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(model)
    net = AutoModel.from_pretrained(model, attn_implementation="eager").eval()

    class Hidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.net = net

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            return self.net(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    traced = tok(
        ["passage: Điều 1. Phạm vi điều chỉnh", "query: hộ chiếu"], padding=True, return_tensors="pt"
    )
    check = tok(["query: a", "passage: " + "Nghị định quy định chi tiết " * 20, "x y z"], padding=True,
                return_tensors="pt")  # fmt: skip
    with torch.inference_mode():  # before tracing: tracing alters the module
        want = Hidden()(check["input_ids"], check["attention_mask"]).numpy()
    axes = {0: "batch", 1: "seq"}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # the TorchScript exporter warns about itself and the mask helper
        torch.onnx.export(
            Hidden(), (traced["input_ids"], traced["attention_mask"]), str(dest), dynamo=False, opset_version=17,
            input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
        )  # fmt: skip
    sess = ort.InferenceSession(str(dest), providers=["CPUExecutionProvider"])
    (got,) = sess.run(None, {k: check[k].numpy() for k in ("input_ids", "attention_mask")})
    mask = check["attention_mask"].numpy()[..., None].astype(bool)
    return float(np.abs(np.where(mask, got - want, 0)).max())


def quantize(src: Path, dest: Path) -> None:
    """ORT's pre-processing, then dynamic quantisation with unsigned 8-bit weights (the variant that agreed
    best with fp32 on this CPU, see BENCHMARKS.md)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.quantization.shape_inference import quant_pre_process

    logging.getLogger().setLevel(logging.ERROR)
    pre = src.with_suffix(".pre.onnx")
    quant_pre_process(str(src), str(pre))
    quantize_dynamic(str(pre), str(dest), weight_type=QuantType.QUInt8)
    pre.unlink()


def main() -> None:
    ap = argparse.ArgumentParser(description="Export and quantise the embedding model for onnxruntime.")
    ap.add_argument("model", type=Path)
    ap.add_argument("--force", action="store_true")
    args = ap.parse_args()
    model: Path = args.model
    if not args.force and up_to_date(model):
        print(f"export_onnx: {model}/onnx is up to date", file=sys.stderr)
        return
    tmp = Path(tempfile.mkdtemp(prefix=".onnx-", dir=model))
    try:
        diff = export(model, tmp / "model.onnx")
        if diff > 1e-3:
            raise SystemExit(f"export_onnx: ONNX output differs from torch by {diff:.2e}; not installing it")
        print(f"export_onnx: exported (max abs difference to torch {diff:.1e}); quantising", file=sys.stderr)
        quantize(tmp / "model.onnx", tmp / "model_quint8.onnx")
        (tmp / "export.json").write_text(json.dumps({"source": _source_hash(model), "max_abs_diff": diff}))
        os.chmod(tmp, 0o755)
        final = model / "onnx"
        if final.exists():
            shutil.rmtree(final)
        os.rename(tmp, final)
        print(f"export_onnx: wrote {final}", file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
