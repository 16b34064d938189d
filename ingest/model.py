"""Plain dataclasses that flow from ingest/ to index/ (no behaviour beyond small helpers)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Bumped when parsing or extraction changes what a file yields: stored documents of an older version are
# parsed again on the next ingest even though the file itself is unchanged.
# 10: relations and entry into force; 11: their cited dates, sunsets, text edits as amendments
PIPELINE_VERSION = 11


@dataclass
class Header:
    """Header fields of an administrative document (Nghị định 30/2020/NĐ-CP layout).

    Every field is None when the text does not state it: we never guess.
    """

    issuer: str | None = None  # short form: "UBND tỉnh Khánh Hòa"
    issuer_full: str | None = None  # as in a citation: "Ủy ban nhân dân tỉnh Khánh Hòa"
    number: str | None = None  # số/ký hiệu: "1212/KH-UBND"
    place: str | None = None
    date: str | None = None  # ISO 8601
    type: str | None = None  # "Kế hoạch", "Quyết định", …
    title: str | None = None  # trích yếu
    signer: str | None = None
    signer_title: str | None = None
    recipients: list[str] = field(default_factory=list)  # "Nơi nhận"


@dataclass
class Unit:
    """One node of the outline: a part, section, point, bullet, chapter, article, clause, paragraph."""

    path: str  # stable id inside the document: "III.2.-1.+3", "C2.D32.K1.a"
    kind: str  # part, section, subsection, point, dash, plus, chapter, muc, article, clause, paragraph, preamble
    label: str  # as written: "III", "2", "a", "-", "+", "Chương II", "Điều 32", "Khoản 1", "Điểm a"
    heading: str  # the unit's first line, as written
    level: int
    start: int  # character offsets into Document.text, covering the whole subtree
    end: int
    body_end: int  # end of the unit's own text (before its first child unit)
    parent: str | None = None
    page_start: int | None = None
    page_end: int | None = None
    section: str = ""  # heading path for display: "III.2 › Sở Lao động … chủ trì… › +"


@dataclass
class Chunk:
    """A retrieval unit: one leaf unit, or one sentence-aligned piece of a long one."""

    chunk_id: str
    unit_path: str
    ord: int
    text: str
    words: str  # underthesea word-segmented text ("Sở Lao_động - Thương_binh_và Xã_hội …")
    section: str  # the heading path as written: "III.2 › Sở Lao động … chủ trì… › +"
    context: str  # headings above the text (article names, lead lines), prepended when embedding
    start: int
    end: int
    page: int | None
    hash: str  # content hash of what gets embedded: unchanged chunks are never re-embedded


@dataclass
class Task:
    """One assignment: who leads, who helps, what, by when, to whom it reports; offsets into Document.text."""

    unit_path: str
    section: str
    lead: str | None  # canonical agency name
    lead_written: str | None  # as the text writes it
    cooperating: list[str]
    task: str  # the task's full text
    deadline: str | None = None
    report_to: list[str] = field(default_factory=list)
    kind: str = "assign"  # assign (chủ trì/giao), request (đề nghị), duty (có trách nhiệm), table
    co_leads: list[str] = field(default_factory=list)
    start: int = 0
    end: int = 0


@dataclass
class Document:
    doc_id: str
    source_path: str
    file_hash: str
    text: str  # normalised display text (NFC); offsets of units and chunks point into it
    header: Header
    units: list[Unit]
    chunks: list[Chunk]
    kind: str = "admin"  # "admin" (plan, decision, letter) or "legal" (Chương/Điều/Khoản/Điểm)
    pages: list[tuple[int, int]] = field(default_factory=list)  # (start offset, page number)
    metadata: dict[str, Any] = field(default_factory=dict)  # front matter: source, completeness, missing …
    warnings: list[str] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)  # who leads what (ingest/assignments.py)
    references: list[Any] = field(default_factory=list)  # citations of other documents (ingest/references.py)
    relations: list[Any] = field(
        default_factory=list
    )  # replaces, amends, … other documents (ingest/relations.py)
    effect: Any = None  # its own entry into force (ingest/effect.py Effect), when the text states it
    pipeline: int = PIPELINE_VERSION

    def page_at(self, offset: int) -> int | None:
        """Page number holding a character offset, when the source has pages."""
        page = None
        for start, number in self.pages:
            if start > offset:
                break
            page = number
        return page

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
