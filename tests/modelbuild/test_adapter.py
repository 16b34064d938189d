"""The legal adapter: merged by numpy as peft would apply it, shipped small, recorded in the model key."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tracuu.index.embed import BASE_MODEL, DEFAULT_MODEL, model_for, model_id
from tracuu.modelbuild.merge_adapter import ADAPTERS, RECORD, adapter_hash, merge, up_to_date

ADAPTED = model_for("legal-vi")
SHIPPED = ADAPTERS / "legal-vi"
TEXTS = ["query: Thừa phát lại được tống đạt những giấy tờ nào?",
         "passage: Luật này quy định về hoạt động bảo vệ an ninh quốc gia trên không gian mạng."]  # fmt: skip


def _needs_base() -> None:
    if not (BASE_MODEL / "model.safetensors").exists():
        pytest.skip("converted model missing: run `make model`")


@pytest.fixture(scope="module")
def random_adapter(tmp_path_factory):
    """A LoRA adapter with non-zero B (peft starts B at zero), saved as peft saves it."""
    _needs_base()
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModel

    torch.manual_seed(0)
    net = AutoModel.from_pretrained(BASE_MODEL)
    config = LoraConfig(r=4, lora_alpha=8, target_modules=["query", "value", "dense"], init_lora_weights=False,
                        layers_to_transform=[10, 11])  # fmt: skip
    peft_net = get_peft_model(net, config)
    folder = tmp_path_factory.mktemp("adapter") / "random"
    peft_net.save_pretrained(str(folder))
    return folder


def test_merged_model_embeds_as_peft_applies_the_adapter(random_adapter, tmp_path):
    from peft import PeftModel
    from sentence_transformers import SentenceTransformer

    out = tmp_path / "merged"
    changed = merge(BASE_MODEL, out, random_adapter)
    assert (
        changed == 2 * 5
    )  # query, value and the three dense layers (attention output, intermediate, output)
    st = SentenceTransformer(str(BASE_MODEL), device="cpu")
    before = st.encode(TEXTS)
    st[0].model = PeftModel.from_pretrained(st[0].model, str(random_adapter)).eval()
    want = st.encode(TEXTS)
    got = SentenceTransformer(str(out), device="cpu").encode(TEXTS)
    assert np.abs(got - want).max() < 1e-5
    assert np.abs(got - before).max() > 1e-3  # the adapter changed something, and the merge kept it
    record = json.loads((out / RECORD).read_text())
    assert record["sha256"] == adapter_hash(random_adapter) and up_to_date(out, random_adapter)
    assert not up_to_date(out, SHIPPED) and not (out / "onnx").exists()


def test_model_key_names_the_adapter(random_adapter, tmp_path):
    """Two adapters merged into folders of one name are two models: an index of one refuses the other."""
    a, b = tmp_path / "one" / "m", tmp_path / "two" / "m"
    a.parent.mkdir()
    b.parent.mkdir()
    merge(BASE_MODEL, a, random_adapter)
    merge(BASE_MODEL, b, random_adapter)
    assert model_id(a) == model_id(b)
    record = json.loads((b / RECORD).read_text())
    (b / RECORD).write_text(json.dumps({**record, "sha256": "another"}))
    assert model_id(a) != model_id(b) and model_id(a).startswith("m@")


def test_shipped_adapter_is_small_and_says_how_it_was_made():
    files = {p.name: p.stat().st_size for p in SHIPPED.iterdir()}
    assert {"adapter_model.safetensors", "adapter_config.json", "training.json"} <= set(files)
    assert sum(files.values()) <= 10 * 1024 * 1024
    log = json.loads((SHIPPED / "training.json").read_text())
    assert log["command"].startswith("python -m tracuu.modelbuild.train_adapter")
    data = log[
        "data"
    ]  # the guard ran: questions near an evaluation question were dropped, none kept above it
    assert data["dropped_near_forbidden"]["zalo"] > 0 and data["max_similarity_kept"] < data["near"]
    config = json.loads((SHIPPED / "adapter_config.json").read_text())
    assert config["r"] >= 4 and not config.get("use_dora")


def test_make_model_merged_the_shipped_adapter():
    _needs_base()
    if not (ADAPTED / RECORD).exists():
        pytest.skip("adapted model missing: run `make model`")
    assert up_to_date(ADAPTED, SHIPPED) and (ADAPTED / "onnx" / "model_quint8.onnx").exists()
    assert model_for("none") == BASE_MODEL == DEFAULT_MODEL and model_id(ADAPTED) != model_id(BASE_MODEL)


def test_settings_choose_the_model_by_adapter(monkeypatch):
    from pydantic import ValidationError

    from tracuu.core.settings import Settings

    monkeypatch.delenv("TRACUU_MODEL", raising=False)
    monkeypatch.delenv("TRACUU_ADAPTER", raising=False)
    assert Settings().model == str(DEFAULT_MODEL)
    monkeypatch.setenv("TRACUU_ADAPTER", "legal-vi")
    assert Settings().model == str(ADAPTED)
    monkeypatch.setenv("TRACUU_ADAPTER", "none")
    assert Settings().model == str(BASE_MODEL)
    monkeypatch.setenv("TRACUU_MODEL", "/models/other")
    assert Settings().model == "/models/other"  # a model named outright wins
    monkeypatch.setenv("TRACUU_ADAPTER", "medical")
    with pytest.raises(ValidationError):
        Settings()
