"""BM25 over three token fields, numpy only, with incremental add and delete.

Fields: `syl` (NFC-lowercased syllables, one tone convention), `words` (underthesea word tokens) and
`fold` (accent-stripped syllables, đ→d) so a query typed without diacritics still matches. Document
numbers ("161/QĐ-TTg", "20/2021/NĐ-CP") are also single tokens in a folded canonical form, so
"161/QD-TTg" and "161/QĐ-TTg" match each other, and their parts ("161") match "Quyết định số 161".

Postings live in immutable segments (one per batch of added rows); deletions are tombstones; statistics
(N, document frequency, average length) are computed over live rows at query time, so scores equal a
full rebuild's. `compact()` merges segments.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np

from tracuu.ingest.normalize import fold, match_form

FIELDS = ("syl", "words", "fold")
K1, B = 1.2, 0.75
TOKENIZER_VERSION = "tracuu-lex/1"

_NUMBER = re.compile(r"\b\d{1,6}[a-z]?(?:/\d{4})?(?:[/-][A-Za-zĐđ][\wĐđ&.]*)+(?:[/-][\wĐđ&.]+)*", re.U)
_SYLLABLE = re.compile(r"\w+", re.U)


def number_tokens(text: str) -> list[str]:
    """Canonical (folded, lower-case) document numbers found in text: "161/qd-ttg", "39-ct/tw"."""
    return [fold(m.group(0)).rstrip(".") for m in _NUMBER.finditer(text) if "/" in m.group(0)]


def _prepare(text: str) -> str:
    return match_form(unicodedata.normalize("NFC", text)).lower()


def syllable_tokens(text: str) -> list[str]:
    t = _prepare(text)
    return _SYLLABLE.findall(t) + number_tokens(t)


def fold_tokens(text: str) -> list[str]:
    t = fold(_prepare(text))
    return _SYLLABLE.findall(t) + number_tokens(t)


def word_tokens(segmented: str) -> list[str]:
    """Tokens of underthesea's output ("Lao_động"), lower-cased; punctuation dropped."""
    out = [w for w in _prepare(segmented).split() if any(c.isalnum() for c in w)]
    return out + [n for n in number_tokens(segmented.replace("_", " "))]


def field_tokens(text: str, words: str) -> dict[str, list[str]]:
    return {"syl": syllable_tokens(text), "words": word_tokens(words), "fold": fold_tokens(text)}


@dataclass
class Segment:
    """Postings of a batch of rows: for term i, rows[offsets[i]:offsets[i+1]] with their tfs."""

    terms: dict[str, int]
    offsets: np.ndarray  # int64, len(terms) + 1
    rows: np.ndarray  # int32 global row ids
    tfs: np.ndarray  # float32

    @classmethod
    def build(cls, docs: list[list[str]], first_row: int) -> Segment:
        per_term: dict[str, list[tuple[int, int]]] = {}
        for i, tokens in enumerate(docs):
            for term, tf in Counter(tokens).items():
                per_term.setdefault(term, []).append((first_row + i, tf))
        terms = {t: i for i, t in enumerate(per_term)}
        counts = np.fromiter((len(v) for v in per_term.values()), dtype=np.int64, count=len(per_term))
        offsets = np.zeros(len(terms) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        rows = np.empty(int(offsets[-1]), dtype=np.int32)
        tfs = np.empty(int(offsets[-1]), dtype=np.float32)
        pos = 0
        for postings in per_term.values():
            n = len(postings)
            arr = np.asarray(postings, dtype=np.int64)
            rows[pos : pos + n] = arr[:, 0]
            tfs[pos : pos + n] = arr[:, 1]
            pos += n
        return cls(terms, offsets, rows, tfs)

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        i = self.terms.get(term)
        if i is None:
            return None
        a, b = self.offsets[i], self.offsets[i + 1]
        return self.rows[a:b], self.tfs[a:b]


class Postings(NamedTuple):
    rows: np.ndarray  # ascending row ids
    saturated: np.ndarray  # tf / (tf + K1·(1 − B + B·len/avgdl)) of each row: below 1


@dataclass
class FieldIndex:
    """BM25 for one field over global row ids."""

    segments: list[Segment] = field(default_factory=list)
    lengths: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    # per posting tf / (tf + K1·(1 − B + B·len/avgdl)) over all rows: the unfiltered query's only per-row work
    _saturated: list[np.ndarray] | None = field(default=None, repr=False, compare=False)

    def add(self, docs: list[list[str]], first_row: int) -> None:
        if not docs:
            return
        self._saturated = None
        self.segments.append(Segment.build(docs, first_row))
        need = first_row + len(docs)
        if len(self.lengths) < need:
            self.lengths = np.concatenate([self.lengths, np.zeros(need - len(self.lengths), np.float32)])
        self.lengths[first_row:need] = [len(d) for d in docs]

    def scores(self, query: list[str], alive: np.ndarray) -> np.ndarray:
        """BM25 of every row (0 for dead rows and rows without a query term)."""
        n_rows = len(alive)
        out = np.zeros(n_rows, dtype=np.float32)
        if not query or not alive.any():
            return out
        lengths = self.lengths[:n_rows]
        if alive.all() and len(self.lengths) == n_rows:
            return self._scores_all_rows(query, out)
        n_live = int(alive.sum())
        avgdl = float(lengths[alive].mean()) or 1.0
        for term, qtf in Counter(query).items():
            parts = [p for s in self.segments if (p := s.postings(term)) is not None]
            if not parts:
                continue
            rows = np.concatenate([p[0] for p in parts])
            tfs = np.concatenate([p[1] for p in parts])
            live = alive[rows]
            rows, tfs = rows[live], tfs[live]
            df = len(rows)
            if df == 0:
                continue
            idf = np.log(1.0 + (n_live - df + 0.5) / (df + 0.5))
            norm = K1 * (1.0 - B + B * lengths[rows] / avgdl)
            out[rows] += qtf * idf * tfs / (tfs + norm)  # Lucene's BM25; a term lists each row once
        return out

    def _scores_all_rows(self, query: list[str], out: np.ndarray) -> np.ndarray:
        """The same BM25 when every row counts (no filter, no deleted row): document frequencies are the
        postings' lengths and the length normalisation is computed once per index, not per query."""
        for idf, parts in self.term_postings(query, len(out)):
            for p in parts:
                np.add.at(out, p.rows, idf * p.saturated)
        return out

    def term_postings(self, query: list[str], n_rows: int) -> list[tuple[np.ndarray, list[Postings]]]:
        """For each distinct query term found, with every row counting: qtf·idf, and per segment its rows
        (ascending) with tf / (tf + K1·(1 − B + B·len/avgdl)), which is below 1."""
        if self._saturated is None:
            avgdl = float(self.lengths.mean()) or 1.0
            self._saturated = [
                s.tfs / (s.tfs + K1 * (1.0 - B + B * self.lengths[s.rows] / avgdl)) for s in self.segments
            ]
        out = []
        for term, qtf in Counter(query).items():
            hits = [(k, i) for k, s in enumerate(self.segments) if (i := s.terms.get(term)) is not None]
            df = sum(int(self.segments[k].offsets[i + 1] - self.segments[k].offsets[i]) for k, i in hits)
            if df == 0:
                continue
            idf = np.float32(qtf * np.log(1.0 + (n_rows - df + 0.5) / (df + 0.5)))
            parts = []
            for k, i in hits:
                s = self.segments[k]
                a, b = s.offsets[i], s.offsets[i + 1]
                parts.append(Postings(s.rows[a:b], self._saturated[k][a:b]))
            out.append((idf, parts))
        return out

    def compact(self, alive: np.ndarray) -> None:
        """Merge all segments into one without dead rows."""
        if len(self.segments) <= 1 and alive.all():
            return
        merged: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}
        for s in self.segments:
            for term, i in s.terms.items():
                a, b = s.offsets[i], s.offsets[i + 1]
                rows, tfs = s.rows[a:b], s.tfs[a:b]
                keep = alive[rows]
                if keep.any():
                    merged.setdefault(term, []).append((rows[keep], tfs[keep]))
        terms = {t: i for i, t in enumerate(merged)}
        offsets = np.zeros(len(terms) + 1, dtype=np.int64)
        np.cumsum([sum(len(r) for r, _ in v) for v in merged.values()], out=offsets[1:])
        rows = np.concatenate([r for v in merged.values() for r, _ in v]) if merged else np.zeros(0, np.int32)
        tfs = (
            np.concatenate([t for v in merged.values() for _, t in v]) if merged else np.zeros(0, np.float32)
        )
        self.segments = [Segment(terms, offsets, rows.astype(np.int32), tfs.astype(np.float32))]
        self._saturated = None

    # ------------------------------------------------------------ persistence
    def save(self, path: Path) -> None:
        arrays: dict[str, np.ndarray] = {"lengths": self.lengths, "n_segments": np.array(len(self.segments))}
        for k, s in enumerate(self.segments):
            arrays[f"s{k}_terms"] = np.frombuffer("\x00".join(s.terms).encode("utf-8"), dtype=np.uint8)
            arrays[f"s{k}_offsets"] = s.offsets
            arrays[f"s{k}_rows"] = s.rows
            arrays[f"s{k}_tfs"] = s.tfs
        with open(path, "wb") as fh:
            np.savez(fh, **arrays)

    @classmethod
    def load(cls, path: Path) -> FieldIndex:
        data = np.load(path)  # no pickles: terms are stored as NUL-separated UTF-8
        segments = []
        for k in range(int(data["n_segments"])):
            raw = data[f"s{k}_terms"].tobytes().decode("utf-8")
            terms = {t: i for i, t in enumerate(raw.split("\x00"))} if raw else {}
            segments.append(Segment(terms, data[f"s{k}_offsets"], data[f"s{k}_rows"], data[f"s{k}_tfs"]))
        return cls(segments, data["lengths"])


@dataclass
class LexicalIndex:
    """The three BM25 fields side by side, over the same rows."""

    fields: dict[str, FieldIndex] = field(default_factory=lambda: {f: FieldIndex() for f in FIELDS})

    def add(self, docs: list[dict[str, list[str]]], first_row: int) -> None:
        for name, index in self.fields.items():
            index.add([d[name] for d in docs], first_row)

    def scores(
        self, queries: dict[str, list[str]], alive: np.ndarray, weights: dict[str, float]
    ) -> np.ndarray:
        total = np.zeros(len(alive), dtype=np.float32)
        for name, w in weights.items():
            if w and queries.get(name):
                total += w * self.fields[name].scores(queries[name], alive)
        return total

    def top(
        self, queries: dict[str, list[str]], alive: np.ndarray, weights: dict[str, float], n: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """The n best rows with a positive score, best first, and their scores: the top of `scores`.
        With no row filtered out, every field's postings are added into one accumulator (`np.add.at`:
        half the time of concatenating them for one bincount per field, measured at Pháp điển size)."""
        fields = {f: self.fields[f] for f, w in weights.items() if w and queries.get(f)}
        n_rows = len(alive)
        if not fields or not all(alive.all() and len(f.lengths) == n_rows for f in fields.values()):
            return _top(self.scores(queries, alive, weights), n)
        acc = np.zeros(n_rows, dtype=np.float32)
        for name, index in fields.items():
            for idf, parts in index.term_postings(queries[name], n_rows):
                weight = np.float32(weights[name] * idf)
                for p in parts:
                    np.add.at(acc, p.rows, weight * p.saturated)
        return _top(acc, n)

    def compact(self, alive: np.ndarray) -> None:
        for index in self.fields.values():
            index.compact(alive)

    def save(self, directory: Path) -> None:
        for name, index in self.fields.items():
            index.save(directory / f"lexical_{name}.npz")

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        return cls({name: FieldIndex.load(directory / f"lexical_{name}.npz") for name in FIELDS})


def _top(scores: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The n best rows with a positive score, best first (ties in row order)."""
    if n <= 0:
        return np.zeros(0, dtype=np.int64), scores[:0]
    rows = np.flatnonzero(scores > 0)
    scores = scores[rows]
    if len(rows) > n:  # everything scoring at least the n-th best, so ties at the cut go by row order
        keep = scores >= -np.partition(-scores, n - 1)[n - 1]
        rows, scores = rows[keep], scores[keep]
    order = np.lexsort((rows, -scores))[:n]
    return rows[order], scores[order]
