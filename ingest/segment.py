"""Sentence and word segmentation with underthesea: the only module that imports it.

Only offline functions are used (`sent_tokenize`, `word_tokenize`); no model is downloaded.
underthesea ignores newlines and glues a heading to the next sentence, so text is split on lines first.
"""

from __future__ import annotations

import re
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
                from underthesea import sent_tokenize, word_tokenize

                sent_tokenize("Khởi động. Xong.")
                word_tokenize("Khởi động bộ tách từ", format="text")
                _LOADED = (sent_tokenize, word_tokenize)
    return _LOADED


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
        for sent in sent_tokenize(line) if len(line) > 80 else [line.strip()]:
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


_NUMBER_TOKEN = re.compile(r"[\w&.-]*\w/[\w/&.-]*\w")  # 20/2021/NĐ-CP, 161/QĐ-TTg, HIV/AIDS


def word_segment(text: str) -> str:
    """Word-segmented text with syllables of a word joined by "_" ("Lao_động"); document numbers
    such as "20/2021/NĐ-CP" and slashed terms ("HIV/AIDS") stay single tokens."""
    _, word_tokenize = _tk()
    out = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        kept = _NUMBER_TOKEN.findall(line)
        for i, token in enumerate(kept):
            line = line.replace(token, f" SOHIEU{i}X ", 1)
        seg = word_tokenize(line, format="text")
        for i, token in enumerate(kept):
            seg = seg.replace(f"SOHIEU{i}X", token, 1)
        out.append(seg)
    return "\n".join(out)
