"""Sentence and word segmentation with underthesea: the only module that imports it.

Only offline functions are used (`sent_tokenize`, `word_tokenize`); no model is downloaded.
underthesea ignores newlines and glues a heading to the next sentence, so text is split on lines first.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import threading

SEGMENTER_VERSION = "underthesea-9.5.0/1"

_LOCK = threading.Lock()
_LOADED: tuple = ()


def _tk():
    """underthesea's tokenizers, their models loaded once. underthesea loads lazily into a global that
    another thread can see half-loaded, so the first use happens here, under a lock (server threads)."""
    global _LOADED
    if not _LOADED:
        with _LOCK:
            if not _LOADED:
                sent_tokenize, word_tokenize = _import_tokenizers()
                sent_tokenize("Khởi động. Xong.")
                word_tokenize("Khởi động bộ tách từ", format="text")
                _LOADED = (sent_tokenize, word_tokenize)
    return _LOADED


def _import_tokenizers():
    """The two tokenizers without underthesea's package __init__, which imports its translation pipeline
    and so torch and transformers: 3–5 s at every process start that the tokenizers never use."""
    if "underthesea" not in sys.modules:
        spec = importlib.util.find_spec("underthesea")
        if spec is not None and spec.submodule_search_locations:
            sys.modules["underthesea"] = importlib.util.module_from_spec(spec)  # a bare package: not run
    try:
        import underthesea.pipeline.text_normalize  # noqa: F401  (first, as the package does: a cycle)
        from underthesea.pipeline.sent_tokenize import sent_tokenize
        from underthesea.pipeline.word_tokenize import word_tokenize
    except ImportError:  # another layout of the package: the ordinary import
        sys.modules.pop("underthesea", None)
        from underthesea import sent_tokenize, word_tokenize
    return sent_tokenize, word_tokenize


def sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each sentence, lines first, then underthesea's sentence splitter."""
    sent_tokenize, _ = _tk()
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        cursor = line_start
        for sent in _sentences(sent_tokenize, line) if len(line) > 80 else [line.strip()]:
            sent = sent.strip()
            if not sent:
                continue
            found = text.find(sent, cursor, pos)
            if found < 0:  # the tokenizer changed spacing: fall back to the whole rest of the line
                spans.append((cursor + offset, pos - 1 + offset))
                cursor = pos - 1
                break
            spans.append((found + offset, found + len(sent) + offset))
            cursor = found + len(sent)
    return spans


def _sentences(sent_tokenize, line: str) -> list[str]:
    """underthesea's sentences of a line; a long run without spaces (see _LONG_TOKEN) is a sentence of
    its own, since the splitter takes quadratic time in it (12,000 characters of "a.b" took 3.5 s)."""
    if not _LONG_TOKEN.search(line):
        return sent_tokenize(line)
    out: list[str] = []
    pos = 0
    for m in _LONG_TOKEN.finditer(line):
        if line[pos : m.start()].strip():
            out += sent_tokenize(line[pos : m.start()])
        out.append(m.group(0))
        pos = m.end()
    if line[pos:].strip():
        out += sent_tokenize(line[pos:])
    return out


_NUMBER_TOKEN = re.compile(r"[\w&.-]*\w/[\w/&.-]*\w")  # 20/2021/NĐ-CP, 161/QĐ-TTg, HIV/AIDS
# A run of this many non-space characters is no word (a URL, a dot leader "……", a pasted blob); it is
# kept whole. underthesea's tokenizers and _NUMBER_TOKEN all take quadratic time in a run's length:
# 50,000 characters took a minute each.
_LONG_TOKEN = re.compile(r"\S{64,}")


def word_segment(text: str) -> str:
    """Word-segmented text with syllables of a word joined by "_" ("Lao_động"); document numbers
    such as "20/2021/NĐ-CP" and slashed terms ("HIV/AIDS") stay single tokens."""
    out = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        parts, pos = [], 0
        for m in _LONG_TOKEN.finditer(line):
            parts += [_segment_line(line[pos : m.start()]), m.group(0)]
            pos = m.end()
        parts.append(_segment_line(line[pos:]))
        out.append(" ".join(p for p in parts if p))
    return "\n".join(out)


def _segment_line(line: str) -> str:
    if not line.strip():
        return ""
    _, word_tokenize = _tk()
    kept = _NUMBER_TOKEN.findall(line)
    for i, token in enumerate(kept):
        line = line.replace(token, f" SOHIEU{i}X ", 1)
    seg = word_tokenize(line, format="text")
    for i, token in enumerate(kept):
        seg = seg.replace(f"SOHIEU{i}X", token, 1)
    return seg
