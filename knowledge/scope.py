"""Which documents a question is about when it names a place or an issuer ("Ở Quảng Ngãi, cơ quan nào chủ
trì …", "quang ngai don vi nao chu tri …", "Bộ nào được giao … theo thông báo của Văn phòng Chính phủ").

With many provinces' plans in one knowledge base, "who leads X" has one answer per province: a question that
names a province must be answered from that province's documents, not from the best-matching passage of
another one. Each document offers the names it can be asked by, from its own header:
- the place of a local issuer ("Ủy ban nhân dân tỉnh Quảng Ngãi" → "Quảng Ngãi"; a Sở's or a xã's
  documents by the place of their date line), named anywhere in the question;
- the issuer's own name ("Văn phòng Chính phủ", "Bộ Y tế"), only where the question makes it the source
  ("theo …", "trong kế hoạch của …", "thông báo của …"): "Bộ Y tế chủ trì những nhiệm vụ nào?" asks about Bộ
  Y tế's duties in everyone's documents, "quyết định nào của Thủ tướng" asks for a document (in any), "theo
  kế hoạch của Bộ Y tế" is about Bộ Y tế's documents.
Matching is on folded text (no accents, lowercase), so an unaccented question scopes the same; the longest
name wins ("Văn phòng Chính phủ", not "Chính phủ" inside it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tracuu.ingest.normalize import fold

# administrative units before a place name in an issuer ("Ủy ban nhân dân tỉnh Quảng Ngãi")
_UNIT = re.compile(r"\b(?:tinh|thanh pho|tp\.?|huyen|quan|thi xa|xa|phuong|thi tran|dac khu)\s+(.+)$")
_PLACE_PREFIX = re.compile(r"^(?:thanh pho|tp\.?|tinh|huyen|quan|thi xa|xa|phuong|thi tran)\s+")
# words that make a named issuer the question's source: "theo (thông báo) (của)", "trong kế hoạch do", "kế hoạch
# của" — not "quyết định nào của Thủ tướng", which asks for one of the issuer's documents, in any document
_DOCS = r"(?:ke hoach|thong bao|quyet dinh|van ban|cong van|chi thi|nghi quyet|ket luan|chuong trinh)"
_SOURCE = re.compile(
    rf"(?:\b(?:theo|trong|tai)\s+(?:{_DOCS}\s+)?(?:(?:cua|do)\s+)?|\b{_DOCS}\s+(?:cua|do)\s+)$"
)
_MARKER = re.compile(r"(?:\b(?:o|tai|theo|trong|cua|do)\s+)?(?:(?:tinh|thanh pho|tp)\s+)?$")
_CAPITAL = "ha noi"  # central bodies date their documents "Hà Nội, ngày …": that place is not theirs


@dataclass(frozen=True)
class Scope:
    """The documents a question is about, the names it used (as the documents write them) and where the
    question wrote them."""

    names: tuple[str, ...]
    docs: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"names": list(self.names), "documents": list(self.docs)}


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text)))


def document_names(doc: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """(places, issuer names) a document can be asked by, folded → as the header writes them: places from a
    local issuer's name or, when the issuer names none, from the date line; the issuer's short and full names."""
    places: dict[str, str] = {}
    issuers = {_words(n): n for n in (doc.get("issuer"), doc.get("issuer_full")) if n}
    for name in (doc.get("issuer_full"), doc.get("issuer")):
        m = _UNIT.search(fold(name or ""))
        if m:
            places.setdefault(_words(m.group(1)), name[m.start(1) :].strip())  # fold keeps offsets (NFC)
    written = _PLACE_PREFIX.sub("", fold(doc.get("place") or "").strip())
    place = _words(written)
    if not places and place and place != _CAPITAL:
        places[place] = (doc.get("place") or "")[-len(written) :].strip() if written else place
    keep = lambda d: {k: v for k, v in d.items() if len(k.split()) >= 2}  # noqa: E731 - one-word names are too loose
    return keep(places), keep(issuers)


def question_scope(headers: list[dict[str, Any]], question: str) -> Scope | None:
    """The documents among `headers` (doc_id, issuer, issuer_full, place) that the question names by place or
    by source issuer; None when it names none of them."""
    tokens = [(m.start(), m.end(), fold(m.group())) for m in re.finditer(r"\w+", question)]
    folded = " ".join(t for _, _, t in tokens)
    starts = {}  # character offset in `folded` → token index
    pos = 0
    for i, (_, _, t) in enumerate(tokens):
        starts[pos] = i
        pos += len(t) + 1
    found: list[tuple[int, int, str, bool]] = []  # (start, end) in folded, name, is a place
    names: dict[tuple[str, bool], list[str]] = {}
    shown: dict[tuple[str, bool], str] = {}
    for doc in headers:
        places, issuers = document_names(doc)
        for is_place, found_names in ((True, places), (False, issuers)):
            for key, written in found_names.items():
                names.setdefault((key, is_place), []).append(doc["doc_id"])
                if not shown.get((key, is_place), "")[:1].isupper():  # an OCRed "hò chí minh" is shown last
                    shown[(key, is_place)] = written
    for name, is_place in names:
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", folded):
            if is_place or _SOURCE.search(folded[: m.start()]):
                found.append((m.start(), m.end(), name, is_place))
    # the longest names win: "văn phòng chính phủ" over the "chính phủ" inside it
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    kept: list[tuple[int, int, str, bool]] = []
    for f in found:
        if all(f[1] <= k[0] or f[0] >= k[1] for k in kept):
            kept.append(f)
    if not kept:
        return None
    docs: set[str] = set()
    for _, _, name, is_place in kept:
        docs.update(names[(name, is_place)])
    if len(docs) == len(headers):
        return None  # it names what every document has in common: no narrowing
    kept.sort()
    spans, typed = [], []
    for start, end, name, is_place in kept:
        first = starts[start]
        last = max(i for i, offset in enumerate(starts) if offset < end)
        marker = (_MARKER if is_place else _SOURCE).search(folded[:start])
        lead_in = len(folded[marker.start() : start].split())  # type: ignore[union-attr]  (both always match here)
        span_start = tokens[first - lead_in][0]
        spans.append((span_start, tokens[last][1]))
        typed.append(shown[(name, is_place)])
    return Scope(tuple(typed), tuple(sorted(docs)), tuple(spans))


def without_scope(question: str, scope: Scope) -> str:
    """The question with the names (and their "ở", "theo thông báo của") taken out: what the passages
    themselves must cover."""
    parts, last = [], 0
    for start, end in scope.spans:
        parts.append(question[last:start])
        last = end
    parts.append(question[last:])
    return re.sub(r"\s+([,?.;:])", r"\1", re.sub(r"\s+", " ", " ".join(parts))).strip(" ,")


_AT = re.compile(r"\b(?:o|tai)\s+(?:(?:tinh|thanh pho|tp)\s+)?$")


def unknown_place(headers: list[dict[str, Any]], question: str) -> str | None:
    """A province the question asks within ("Ở Quảng Ngãi, …", "tai quang ngai …") that no document in the
    knowledge base comes from: answering from another province's plan would be a wrong answer, not a near
    one. Only after "ở"/"tại", so a plan about a province ("kết luận về Thanh Hóa") is not taken for one."""
    from tracuu.ingest.header import PROVINCES

    folded = " ".join(re.findall(r"\w+", fold(question)))
    known = {p for h in headers for p in document_names(h)[0]}
    for province in PROVINCES:
        name = _words(province)
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", folded):
            if name not in known and _AT.search(folded[: m.start()]):
                return " ".join(w.capitalize() for w in province.lower().split())
    return None
