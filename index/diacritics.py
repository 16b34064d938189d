"""Put Vietnamese diacritics back on queries typed without them ("co quan nao chu tri" → "cơ quan nào chủ trì").

A syllable trigram language model counted on the indexed text itself (so it proposes the words the index
can match), smoothed by interpolated Kneser-Ney and decoded by a beam-limited Viterbi over the lattice of
accented forms of each folded syllable. Counts live in sorted int64 arrays looked up with `searchsorted`:
fitting the 60M-character Pháp điển corpus takes ~20-30 s and 0.4 GB, the model is a 5 MB `.npz`
(`MODEL_NAME`, beside the other index files), and a query takes ~1-3 ms.

Output is not lowercased: spacing, punctuation and capitals are kept, and only syllables typed without (all)
their accents change, to forms whose `fold` is what was typed (new-style tone placement, as `match_form`:
"hòa", not "hoà").
"""

from __future__ import annotations

import copy
import re
import unicodedata
from array import array
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from tracuu.ingest.normalize import fold, match_form

# One token per match: a chunk holding a digit or slash (document numbers like 20/2021/NĐ-CP, kept whole and
# unchanged), a syllable (letters only), or a sentence boundary.
_TOKEN = re.compile(r"(?P<num>[^\s]*[\d/][^\s]*)|(?P<syl>[^\W\d_]+)|(?P<end>[.!?;:\n])")
_BOS, _NUM, _UNK = 0, 1, 2  # <s> doubles as </s>; a number chunk is one word class; unknown query words
_SPECIAL = ["<s>", "<num>", "<unk>"]
MODEL_NAME = "diacritics.npz"
_FIXED = {"end": np.array([_BOS]), "num": np.array([_NUM]), "unk": np.array([_UNK])}  # one-way lattice steps
_FIXED_IDS = (_BOS, _NUM)  # lattice steps that are not syllables


QUESTIONS = Path(__file__).resolve().parent / "data" / "questions.txt"


def question_texts() -> list[str]:
    """How people ask, which documents themselves rarely write ("ở đâu", "bao nhiêu", "có được không"):
    real users' legal questions, fitted beside the indexed text. Built by `corpus/build_questions.py` from
    the Zalo 2021 questions that no evaluation uses; an installation without the file fits the text alone."""
    try:
        return QUESTIONS.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []


def _marks(ch: str) -> frozenset[str]:
    """Diacritics on one character (đ counts as d + a stroke), to test what a user typed."""
    return frozenset(
        {"đ"} if ch == "đ" else {c for c in unicodedata.normalize("NFD", ch) if unicodedata.combining(c)}
    )


def _consistent(typed: str, cand: str) -> bool:
    """Does `cand` carry every diacritic the user typed ("chủ" fits "chủ", "chu" fits any "ch?u")?"""
    if len(typed) != len(cand):
        return typed == cand
    return all(_marks(t) <= _marks(c) for t, c in zip(typed, cand, strict=True))


def _with_case(typed: str, cand: str) -> str:
    """`cand` with the capitals of `typed` (same length): "Co" + "cơ" → "Cơ"."""
    return "".join(
        t if c == t.lower() else (c.upper() if t.isupper() else c) for t, c in zip(typed, cand, strict=True)
    )


class DiacriticRestorer:
    """Syllable trigram model + Viterbi. `fit` (or `from_texts`), then `restore`; `save`/`load` to persist."""

    def __init__(
        self,
        discount: float = 0.75,
        beam: int = 16,
        max_candidates: int = 12,
        min_share: float = 0.0,
        min_count: int = 1,
    ) -> None:
        self.discount = discount  # Kneser-Ney absolute discount
        self.beam = beam  # Viterbi states kept per position
        # Accented forms tried per folded syllable: the most frequent ones, and only those seen at least
        # `min_share` times as often as the first (0.0005 drops typos and unaccented stray text on big crawls).
        self.max_candidates = max_candidates
        self.min_share = min_share
        self.min_count = min_count  # bigrams/trigrams seen fewer times are dropped (memory on big corpora)
        self.forgotten = 0  # rows deleted from the index since the last fit, still counted (see add)
        self.vocab: list[str] = list(_SPECIAL)
        self.uni = np.zeros(len(_SPECIAL), dtype=np.int64)
        self.bi_keys = np.zeros(0, dtype=np.int64)
        self.bi_counts = np.zeros(0, dtype=np.int64)
        self.tri_keys = np.zeros(0, dtype=np.int64)
        self.tri_counts = np.zeros(0, dtype=np.int64)
        self.candidates: dict[str, np.ndarray] = {}
        self._ids: dict[str, int] = {}
        self._ab_types = np.zeros(0)  # per bigram ab: how many different words follow it
        self._b_types = np.zeros(len(_SPECIAL))  # per word b: how many different words follow it
        self._cont = np.ones(len(_SPECIAL))  # per word c: share of bigram types ending in c (P_continuation)

    # ------------------------------------------------------------------ training
    @classmethod
    def from_texts(cls, texts: Iterable[str], **kwargs: Any) -> DiacriticRestorer:
        return cls(**kwargs).fit(texts)

    def fit(self, texts: Iterable[str]) -> DiacriticRestorer:
        """Count syllable uni/bi/trigrams; lines and . ! ? ; : end sentences. Replaces any previous model."""
        ids: dict[str, int] = {w: i for i, w in enumerate(_SPECIAL)}
        s = self._sequence(texts, ids)
        self.vocab = list(ids)
        v = np.int64(len(self.vocab))  # trigram keys (a·v + b)·v + c fit in int64 while v < 2 million
        self.uni = np.bincount(s[:-1], minlength=int(v)).astype(np.int64)  # last <s> closes, never opens
        self.bi_keys, self.bi_counts = self._count(s[:-1] * v + s[1:])
        mid_ok = s[1:-1] != _BOS  # a trigram never spans a sentence boundary
        self.tri_keys, self.tri_counts = self._count(((s[:-2] * v + s[1:-1]) * v + s[2:])[mid_ok])
        self.forgotten = 0
        self._index()
        return self

    def with_texts(self, texts: Iterable[str]) -> DiacriticRestorer:
        """A copy of the model with more text counted: the same counts as fitting everything again (with
        the default `min_count` 1), without reading the texts already counted (a one-document upload into
        a large store). New syllables extend the vocabulary, so the stored n-gram keys are re-encoded.
        This model is left as it was (a server may be restoring a query with it)."""
        return copy.copy(self)._count_in(texts)

    def _count_in(self, texts: Iterable[str]) -> DiacriticRestorer:
        """(on a copy: every array is replaced, never changed in place)"""
        ids = dict(self._ids) if self._ids else {w: i for i, w in enumerate(self.vocab)}
        s = self._sequence(texts, ids)
        if len(s) <= 1:
            return self
        old_v, v = np.int64(len(self.vocab)), np.int64(len(ids))
        if v != old_v:  # (a·old_v + b)·old_v + c → (a·v + b)·v + c
            a, bc = np.divmod(self.tri_keys, old_v * old_v)
            b, c = np.divmod(bc, old_v)
            self.tri_keys = (a * v + b) * v + c
            a, b = np.divmod(self.bi_keys, old_v)
            self.bi_keys = a * v + b
            self.vocab = list(ids)
            self.uni = np.concatenate([self.uni, np.zeros(int(v - old_v), dtype=np.int64)])
        self.uni = self.uni + np.bincount(s[:-1], minlength=int(v)).astype(np.int64)
        self.bi_keys, self.bi_counts = self._merge(self.bi_keys, self.bi_counts, s[:-1] * v + s[1:])
        mid_ok = s[1:-1] != _BOS
        tri = ((s[:-2] * v + s[1:-1]) * v + s[2:])[mid_ok]
        self.tri_keys, self.tri_counts = self._merge(self.tri_keys, self.tri_counts, tri)
        self._index()
        return self

    @staticmethod
    def _sequence(texts: Iterable[str], ids: dict[str, int]) -> np.ndarray:
        """The texts as word ids (new syllables get the next ids), sentences separated by <s>."""
        seq = array("i", [_BOS])  # the corpus as word ids, 4 bytes each: no per-token Python objects
        for text in [texts] if isinstance(texts, str) else texts:
            text = match_form(unicodedata.normalize("NFC", text).lower())
            for num, syl, _ in _TOKEN.findall(text):
                if syl:
                    seq.append(ids.setdefault(syl, len(ids)))
                elif num:
                    seq.append(_NUM)
                elif seq[-1] != _BOS:
                    seq.append(_BOS)
            if seq[-1] != _BOS:
                seq.append(_BOS)
        return np.frombuffer(seq, dtype=np.int32).astype(np.int64)

    def _merge(self, keys: np.ndarray, counts: np.ndarray, new: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        uniq, inverse = np.unique(np.concatenate([keys, new]), return_inverse=True)
        merged = np.bincount(
            inverse, np.concatenate([counts, np.ones(len(new), np.int64)]).astype(np.float64)
        )
        return uniq, merged.astype(np.int64)

    def _count(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        uniq, counts = np.unique(keys, return_counts=True)
        keep = counts >= self.min_count
        return uniq[keep], counts[keep].astype(np.int64)

    def _index(self) -> None:
        """Folded syllable → its accented forms (most frequent first), and the Kneser-Ney type counts.
        All derived from the stored counts, so `load` rebuilds them and the file stays small."""
        self._ids = {w: i for i, w in enumerate(self.vocab)}
        v = len(self.vocab)
        prefixes, n = np.unique(self.tri_keys // v, return_counts=True)
        self._ab_types = np.zeros(len(self.bi_keys))
        self._ab_types[np.searchsorted(self.bi_keys, prefixes)] = n
        self._b_types = np.bincount(self.bi_keys // v, minlength=v).astype(np.float64)
        self._cont = np.maximum(np.bincount(self.bi_keys % v, minlength=v), 0.5) / max(len(self.bi_keys), 1)
        groups: dict[str, list[int]] = {}
        for i in range(len(_SPECIAL), len(self.vocab)):
            if self.uni[i] > 0 and len(fold(self.vocab[i])) == len(self.vocab[i]):  # position-wise comparable
                groups.setdefault(fold(self.vocab[i]), []).append(i)
        self.candidates = {}
        for key, ids in groups.items():
            ids = sorted(ids, key=lambda i: -self.uni[i])[: self.max_candidates]
            floor = self.min_share * self.uni[ids[0]]
            self.candidates[key] = np.array([i for i in ids if self.uni[i] >= floor], dtype=np.int64)

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | Path) -> None:
        """One compressed .npz: vocabulary as UTF-8 bytes, counts as int arrays."""
        params = np.array([self.discount, self.beam, self.max_candidates, self.min_share, self.min_count])
        vocab = np.frombuffer("\n".join(self.vocab).encode("utf-8"), dtype=np.uint8)
        with open(path, "wb") as f:  # a file object: numpy would otherwise append ".npz" to the name
            np.savez_compressed(
                f, params=params, vocab=vocab, uni=self.uni, bi_keys=self.bi_keys, bi_counts=self.bi_counts,
                tri_keys=self.tri_keys, tri_counts=self.tri_counts, forgotten=np.array(self.forgotten),
            )  # fmt: skip

    @classmethod
    def load(cls, path: str | Path) -> DiacriticRestorer:
        with np.load(path) as z:
            discount, beam, max_candidates, min_share, min_count = z["params"].tolist()
            self = cls(discount, int(beam), int(max_candidates), min_share, int(min_count))
            self.vocab = z["vocab"].tobytes().decode("utf-8").split("\n")
            self.uni, self.bi_keys, self.bi_counts = z["uni"], z["bi_keys"], z["bi_counts"]
            self.tri_keys, self.tri_counts = z["tri_keys"], z["tri_counts"]
            self.forgotten = int(z["forgotten"]) if "forgotten" in z else 0
        self._index()
        return self

    # ------------------------------------------------------------------ querying
    def is_unaccented(self, query: str) -> bool:
        """No syllable carries a diacritic (document numbers like 20/2021/NĐ-CP do not count), and at least
        one has an accented form to restore: the case where searching the restored query too pays off."""
        syls = [
            m.group().lower()
            for m in _TOKEN.finditer(unicodedata.normalize("NFC", query))
            if m.lastgroup == "syl"
        ]
        if any(fold(s) != s for s in syls):
            return False
        return any(self.vocab[i] != s for s in syls for i in self.candidates.get(s, ()))

    def restore(self, query: str) -> str:
        """The query with diacritics restored (NFC). Spacing, punctuation, capitals, number chunks, unknown
        words and accented syllables the model knows are kept exactly as typed."""
        text = unicodedata.normalize("NFC", query)
        spans: list[tuple[int, int, str]] = []  # syllables: (start, end, typed)
        lattice: list[np.ndarray] = []  # candidate ids per token
        for m in _TOKEN.finditer(text):
            if m.lastgroup == "syl":
                spans.append((m.start(), m.end(), m.group()))
            lattice.append(self._options(m.group()) if m.lastgroup == "syl" else _FIXED[m.lastgroup])
        if not spans:
            return query
        best = [
            i for i, opts in zip(self._viterbi(lattice), lattice, strict=True) if opts[0] not in _FIXED_IDS
        ]
        out, last = [], 0
        for (start, end, typed), i in zip(spans, best, strict=True):
            word = self.vocab[i]
            keep = i == _UNK or word == match_form(typed.lower())
            out += [text[last:start], typed if keep else _with_case(typed, word)]
            last = end
        return "".join(out) + text[last:]

    def _options(self, typed: str) -> np.ndarray:
        """Candidate ids of one typed syllable. Unaccented: every accented form. Accented and known: itself
        (the user chose it; "dân" never becomes "dẫn"). Accented but unknown (partly typed, "đuong"): the
        forms carrying every typed mark. Otherwise <unk>, kept as typed."""
        low = match_form(typed.lower())
        key = fold(low)
        cands = self.candidates.get(key) if len(low) == len(typed) == len(key) else None
        if cands is None:
            return _FIXED["unk"]
        if key == low:
            return cands
        if low in self._ids:
            return np.array([self._ids[low]])
        cands = np.array([i for i in cands if _consistent(low, self.vocab[i])], dtype=np.int64)
        return cands if len(cands) else _FIXED["unk"]

    def _viterbi(self, lattice: list[np.ndarray]) -> list[int]:
        """Best path through the lattice; a state is (previous word, word), at most `beam` kept per step."""
        prev = np.array([_BOS], dtype=np.int64)  # state arrays: (prev, cur, score)
        cur = np.array([_BOS], dtype=np.int64)
        score = np.zeros(1)
        backs: list[tuple[np.ndarray, np.ndarray]] = []  # per step: (state's word, index of previous state)
        v = np.int64(len(self.vocab))
        for opts in [*lattice, np.array([_BOS])]:
            n, m = len(cur), len(opts)
            c = np.broadcast_to(opts.astype(np.int64), (n, m)).ravel()
            total = score.repeat(m) + self._logp(prev, cur, c, m)
            key = cur.repeat(m) * v + c  # states that share (b, c) are merged, best score wins
            order = np.lexsort((-total, key))
            skey = key[order]
            first = order[np.flatnonzero(np.concatenate(([True], skey[1:] != skey[:-1])))]
            if len(first) > self.beam:
                first = first[np.argpartition(-total[first], self.beam)[: self.beam]]
            origin = first // m
            prev, cur, score = cur[origin], c[first], total[first]
            backs.append((cur, origin))
        path: list[int] = []
        k = int(np.argmax(score))
        for words, origins in reversed(backs):
            path.append(int(words[k]))
            k = int(origins[k])
        return path[::-1][:-1]  # drop the closing </s>

    @staticmethod
    def _lookup(keys: np.ndarray, table: np.ndarray, *columns: np.ndarray) -> list[np.ndarray]:
        """Values of `columns` at `keys` in the sorted `table`, 0 where a key is absent."""
        if not len(table):
            return [np.zeros(len(keys)) for _ in columns]
        at = np.minimum(table.searchsorted(keys), len(table) - 1)
        hit = table[at] == keys
        return [np.where(hit, col[at], 0) for col in columns]

    def _logp(self, a: np.ndarray, b: np.ndarray, c: np.ndarray, m: int) -> np.ndarray:
        """log P(c | a b) for states (a, b), each followed by m words c, by interpolated Kneser-Ney:
        P(c|ab) = (c(abc)-D)⁺/c(ab) + D·N(ab•)/c(ab)·P(c|b),  P(c|b) = (c(bc)-D)⁺/c(b) + D·N(b•)/c(b)·Pcont(c).
        Stupid backoff was 0.3-1.2 points worse: it lets a frequent word win where its context was never seen."""
        v, d = np.int64(len(self.vocab)), self.discount
        ab, ab_types = (
            x.repeat(m) for x in self._lookup(a * v + b, self.bi_keys, self.bi_counts, self._ab_types)
        )
        b = b.repeat(m)
        (abc,) = self._lookup((a.repeat(m) * v + b) * v + c, self.tri_keys, self.tri_counts)
        (bc,) = self._lookup(b * v + c, self.bi_keys, self.bi_counts)
        nb = np.maximum(self.uni[b], 1)
        p2 = np.maximum(bc - d, 0) / nb + d * np.maximum(self._b_types[b], 1) / nb * self._cont[c]
        seen = ab_types > 0  # ab was followed by something (never so when b is a sentence boundary)
        ab = np.maximum(ab, 1)
        return np.log(np.where(seen, np.maximum(abc - d, 0) / ab + d * ab_types / ab * p2, p2))
