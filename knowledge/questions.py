"""What a question asks and how much of it a passage holds: its kind (lead_agency / reference / passage,
with or without accents), its content words, a passage's coverage of them; the candidate passage every part
of an answer ranks, and the limits they share (how many candidates, how much evidence, the least coverage).

Apart from `answer.py` because every part of an answer (`lead_answer.py`, `named_documents.py`,
`evidence.py`) reads questions and passages this way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tracuu.index.search import Hit
from tracuu.ingest.normalize import fold

LEAD, REFERENCE, PASSAGE = "lead_agency", "reference", "passage"
EVIDENCE_K = 5
CANDIDATES = 20
MIN_COVERAGE = 0.5  # share of the question's content words the evidence must contain

_DOC_WORDS = r"(?:van ban|nghi dinh|quyet dinh|thong tu|chi thi|ke hoach|nghi quyet|luat|bo luat|phap lenh|cong van|de an)"
_REFERENCE_Q = re.compile(
    rf"\b{_DOC_WORDS}\s+(?:nao|so may|so bao nhieu|gi)\b|\bquy dinh (?:tai|o|trong)\b|\bcan cu (?:vao )?{_DOC_WORDS}"
    rf"|\btheo {_DOC_WORDS} nao\b|\bvan ban (?:phap luat|quy pham) nao\b"
)
_LEAD_Q = re.compile(
    r"\b(?:co quan|don vi|so|bo|nganh|to chuc|ben|cap|uy ban(?: nhan dan)?|ubnd|chi cuc|cuc|phong|tinh doan)"
    r"\s+nao\b|^\s*ai\b|\bai\s+(?:la\s+)?(?:chu tri|chiu trach nhiem"
    r"|phu trach|thuc hien|trien khai|to chuc|xay dung|lo|tham muu|huong dan|co nhiem vu|co trach nhiem)\b"
    r"|\bcua\s+ai\b|\bnhung ai\b"
)
_MEMBERS_Q = re.compile(r"\b(?:gom|bao gom)\b")  # "… gồm những ngành nào?" asks for a list, not a lead
_STOP = set(
    "cua cac va cho voi trong tai theo ve la duoc co nhung mot nay do de thi ma hay hoac boi tu den nhu "
    "nao gi dau nhieu may ai khong chua sao the o".split()  # "ở" (at, in): a preposition in nearly every passage
)


def detect_kind(question: str) -> str:
    """lead_agency, reference or passage, from the question's wording, with or without diacritics."""
    q = fold(question).lower()
    if _REFERENCE_Q.search(q):
        return REFERENCE
    if _LEAD_Q.search(q) and not _MEMBERS_Q.search(q):
        return LEAD
    return PASSAGE


_FRAME = re.compile(
    r"\b(?:co quan|don vi|to chuc|chu tri|chiu trach nhiem|co trach nhiem|phu trach|thuc hien|trien khai"
    r"|nhiem vu cua|nhiem vu|van ban|quy dinh|ban hanh|la ai|nao|ai"
    r"|(?:nam )?o(?= (?:van ban|dau|dieu|khoan|luat|nghi dinh|thong tu)\b)"
    r"|chinh sach nao|che do nao|ap dung (?:cho|doi voi))\b"
)


def content_words(question: str) -> list[str]:
    """The words a passage must contain to answer the question: folded, without the question's frame
    ("cơ quan nào chủ trì", "văn bản nào quy định") and stop words."""
    text = _FRAME.sub(" ", fold(question).lower())
    words = re.findall(r"\w+", text)
    return [w for w in words if w not in _STOP and (not w.isdigit() or len(w) >= 3)]


def coverage(question: str, text: str) -> float:
    """Share of the question's content words, and of its word pairs, that the passage contains."""
    words = content_words(question)
    if not words:
        return 0.0
    tokens = re.findall(r"\w+", fold(text).lower())
    have = set(tokens)
    unigram = sum(w in have for w in words) / len(words)
    pairs = list(zip(words, words[1:], strict=False))
    if not pairs:
        return unigram
    bigrams = set(zip(tokens, tokens[1:], strict=False))
    return (unigram + sum(p in bigrams for p in pairs) / len(pairs)) / 2


@dataclass
class _Candidate:
    hit: Hit
    coverage: float
    task: dict[str, Any] | None


def _candidate(hit: Hit, wording: str) -> _Candidate:
    """A passage with the share of the question's words it holds (its headings count too)."""
    return _Candidate(hit, coverage(wording, f"{hit.context}\n{hit.text}"), None)
