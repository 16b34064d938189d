"""`ingest_file(path) -> Document`: the single entry point from a file to a structured document."""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from pathlib import Path

from .assignments import extract_tasks
from .effect import Effect, find_effect
from .header import HeaderResult, issuer_names, parse_header
from .model import Chunk, Document, Header, Unit
from .normalize import fold, squeeze_blank_lines
from .readers import DEFAULT_MAX_BYTES, RawText, read_file
from .references import Reference, find_references, number_key
from .relations import Relation, find_relations
from .secrecy import refuse_secret
from .segment import sentence_spans, word_segment
from .structure import is_legal, parse_structure

MAX_CHUNK_CHARS = 1200  # longer leaf units are split on sentence boundaries
TARGET_CHUNK_CHARS = 800
MIN_OWN_TEXT = 60  # a heading-with-children keeps a chunk of its own text only when it says something
MAX_SENTENCE_CHARS = 4 * MAX_CHUNK_CHARS  # a longer "sentence" (no punctuation: a blob, a run-on line) is cut

_CHROME = re.compile(
    r"^(?:.*THƯ VIỆN PHÁP LUẬT|.*ThuVienPhapLuat|Văn bản liên quan|Lược đồ|Đang tải văn bản|Click vào|"
    r"Mọi hành vi sao chép|.*Đăng nhập|.*Đăng xuất|Cảm ơn đã dùng)",
    re.M,
)


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def slugify(name: str) -> str:
    """ASCII id from a file name or number: "Kế hoạch 1212/KH-UBND" → "ke-hoach-1212-kh-ubnd"."""
    s = fold(unicodedata.normalize("NFC", name))
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s[:80] or "van-ban"


def ingest_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES, ocr: bool | None = None,
                doc_id: str | None = None, segment: bool = True) -> Document:  # fmt: skip
    """Read, normalise, parse and chunk one file. Raises `IngestError` for bad input."""
    path = Path(path)
    raw = read_file(path, max_bytes=max_bytes, ocr=ocr)
    file_hash = file_sha256(path.read_bytes())
    return build_document(raw, str(path), file_hash, doc_id or slugify(path.stem), segment=segment)


def build_document(
    raw: RawText, source_path: str, file_hash: str, doc_id: str, segment: bool = True
) -> Document:
    """RawText → Document: trim page chrome, parse header and outline, make chunks."""
    text = raw.text if raw.pages else squeeze_blank_lines(raw.text)
    pages = list(raw.pages)
    warnings: list[str] = []
    hr = parse_header(text)
    refuse_secret(text, hr.body_start, source_path)  # before anything of it is kept
    cut_end = _chrome_tail(text, hr)
    if hr.doc_start > 0 or cut_end < len(text):
        dropped = hr.doc_start + (len(text) - cut_end)
        warnings.append(f"bỏ {dropped} ký tự không thuộc văn bản (quảng cáo, đầu/chân trang web)")
        text = text[hr.doc_start : cut_end]
        pages = [(max(0, o - hr.doc_start), p) for o, p in pages]
        if not raw.pages:
            text = squeeze_blank_lines(text)
        hr = parse_header(text)
    header = _apply_front_matter(hr.header, raw.metadata)
    end = hr.tail_start if hr.tail_start is not None else len(text)
    units = parse_structure(text, hr.body_start, end)
    doc = Document(
        doc_id=doc_id, source_path=source_path, file_hash=file_hash, text=text, header=header,
        units=units, chunks=[], pages=pages, metadata=dict(raw.metadata), warnings=warnings + hr.notes,
    )  # fmt: skip
    doc.metadata.setdefault("format", raw.fmt)
    doc.kind = "legal" if is_legal(header.type, units) else "admin"
    for u in units:
        u.page_start, u.page_end = doc.page_at(u.start), doc.page_at(max(u.start, u.end - 1))
    doc.chunks = make_chunks(doc, segment=segment)
    doc.tasks = extract_tasks(doc)
    doc.references = body_references(doc)
    doc.relations, doc.effect = body_relations(doc)
    if not units:
        doc.warnings.append("không nhận ra cấu trúc (phần, mục, điều) trong văn bản")
    return doc


def body_references(doc: Document) -> list[Reference]:
    """Citations in the body (not the header, not the Nơi nhận block, not the document's own number),
    each placed in the deepest unit that holds it."""
    if not doc.units:
        return []
    start, end = min(u.start for u in doc.units), max(u.end for u in doc.units)
    own = number_key(doc.header.number) if doc.header.number else None
    refs = [
        r
        for r in find_references(doc.text[start:end])
        if not (own and r.number and number_key(r.number) == own)
    ]
    by_path = {u.path: u for u in doc.units}
    starts = [u.start for u in doc.units]  # document order
    for r in refs:
        r.start, r.end = r.start + start, r.end + start
        holder = _holder(doc.units, by_path, starts, r.start)
        r.unit_path, r.section = (holder.path, holder.section) if holder else ("", "")
    return refs


def body_relations(doc: Document) -> tuple[list[Relation], Effect | None]:
    """What the body states of other documents (relations, each placed in its unit) and of itself (its
    entry into force, with offsets into the document's text)."""
    if not doc.units:
        return [], None
    start, end = min(u.start for u in doc.units), max(u.end for u in doc.units)
    body = doc.text[start:end]
    own = number_key(doc.header.number) if doc.header.number else None
    by_path = {u.path: u for u in doc.units}
    starts = [u.start for u in doc.units]
    relations = [
        r
        for r in find_relations(body)
        if not (own and r.other_kind == "number" and number_key(r.other) == own)
    ]
    for r in relations:
        r.start, r.end = r.start + start, r.end + start
        holder = _holder(doc.units, by_path, starts, r.start)
        r.unit_path, r.section = (holder.path, holder.section) if holder else ("", "")
    effect = find_effect(body, doc.header.date, doc.header.number)
    if effect is not None:
        effect.start, effect.end = effect.start + start, effect.end + start
        holder = _holder(doc.units, by_path, starts, effect.start)
        effect.unit_path, effect.section = (holder.path, holder.section) if holder else ("", "")
    return relations, effect


def _holder(units: list[Unit], by_path: dict[str, Unit], starts: list[int], offset: int) -> Unit | None:
    """The deepest unit holding `offset`. Units nest (a unit spans its subtree) and come in document
    order, so it is the last unit starting at or before `offset`, or the nearest ancestor of it that
    still reaches it. (A scan of every unit for every reference was quadratic: 15,000 references in
    as many units took four minutes.)"""
    i = bisect.bisect_right(starts, offset) - 1
    u = units[i] if i >= 0 else None
    while u is not None and not (u.start <= offset < u.end):
        u = by_path.get(u.parent) if u.parent else None
    return u


def _chrome_tail(text: str, hr: HeaderResult) -> int:
    """Crawler footers after the document (login notices, "Văn bản liên quan")."""
    if hr.tail_start is None:
        return len(text)
    m = _CHROME.search(text, hr.tail_start)
    if not m:
        return len(text)
    line_start = text.rfind("\n", 0, m.start()) + 1
    return line_start


def _apply_front_matter(h: Header, meta: dict[str, str]) -> Header:
    """Corpus files state their metadata; it fills (and corrects) what the text's header gives."""
    for key in ("title", "type", "number", "date", "signer"):
        if meta.get(key):
            setattr(h, key, meta[key])
    if meta.get("issuer"):
        h.issuer, h.issuer_full = issuer_names(meta["issuer"])
    return h


def _leaf_paths(units: list[Unit]) -> set[str]:
    parents = {u.parent for u in units if u.parent}
    return {u.path for u in units if u.path not in parents}


def make_chunks(doc: Document, segment: bool = True) -> list[Chunk]:
    """One chunk per leaf unit (and per heading whose own text says something), long ones split on
    sentence boundaries; each carries its heading path as context."""
    by_path = {u.path: u for u in doc.units}
    leaves = _leaf_paths(doc.units)
    chunks: list[Chunk] = []
    for u in doc.units:
        if u.path in leaves:
            start, end = u.start, u.end
        elif u.kind in {"dash", "plus", "point", "diem", "clause", "paragraph"} or (
            u.kind in {"section", "subsection", "article"} and u.body_end - u.start >= 100
        ):
            start, end = u.start, u.body_end
            if end - start < MIN_OWN_TEXT:
                continue
        else:
            continue
        body = doc.text[start:end].strip()
        if not body:
            continue
        context = _context(u, by_path)
        for k, (s, e) in enumerate(_pieces(doc.text, start, end)):
            piece = doc.text[s:e].strip()
            if not any(c.isalnum() for c in piece):  # a rule of underscores or "***": nothing to find
                continue
            cid = f"{doc.doc_id}#{u.path}" + (f"~{k + 1}" if k else "")
            chunks.append(
                Chunk(
                    chunk_id=cid,
                    unit_path=u.path,
                    ord=len(chunks),
                    text=piece,
                    words=word_segment(piece) if segment else "",
                    section=u.section,
                    context=context,
                    start=s,
                    end=e,
                    page=doc.page_at(s),
                    hash=hashlib.sha256(f"{context}\n{piece}".encode()).hexdigest(),
                )  # fmt: skip
            )
    return chunks


def _context(u: Unit, by_path: dict[str, Unit]) -> str:
    """Headings of the ancestors, shortened: what a reader sees above the passage."""
    chain = []
    p = by_path.get(u.parent) if u.parent else None
    while p is not None:
        chain.append(p.heading if len(p.heading) <= 160 else p.heading[:160].rsplit(" ", 1)[0] + "…")
        p = by_path.get(p.parent) if p.parent else None
    return " › ".join(reversed(chain))


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    if end - start <= MAX_CHUNK_CHARS:
        return [(start, end)]
    spans = [
        piece
        for s, e in sentence_spans(text[start:end], offset=start)
        for piece in (_cut(text, s, e) if e - s > MAX_SENTENCE_CHARS else [(s, e)])
    ]
    pieces: list[tuple[int, int]] = []
    cur_s = cur_e = None
    for s, e in spans:
        if cur_s is None:
            cur_s, cur_e = s, e
        elif e - cur_s > TARGET_CHUNK_CHARS:
            pieces.append((cur_s, cur_e))
            cur_s, cur_e = s, e
        else:
            cur_e = e
    if cur_s is not None:
        pieces.append((cur_s, cur_e))
    return pieces or [(start, end)]


def _cut(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span with no sentence end in sight, cut at the last space before every MAX_CHUNK_CHARS (or
    right there when there is none): without this a 10 MB line with no full stop was one 10 MB chunk."""
    pieces: list[tuple[int, int]] = []
    while end - start > MAX_CHUNK_CHARS:
        cut = text.rfind(" ", start + 1, start + MAX_CHUNK_CHARS)
        cut = cut if cut > start else start + MAX_CHUNK_CHARS
        pieces.append((start, cut))
        start = cut + 1 if text[cut] == " " else cut
    if end > start:
        pieces.append((start, end))
    return pieces
