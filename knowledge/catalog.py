"""Known documents, to check a citation against: the corpus (full text), the Bộ Pháp điển catalog shipped in
`corpus/catalog/` (3,181 laws, ordinances, decrees, decisions, circulars: metadata only), and what the
corpus's own citations say of the documents they cite (number, date, issuer as written there).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from tracuu.index.store import Store
from tracuu.ingest.references import canonical_number, number_key

from .validity import VALIDITY_FILE, Ledger, build_ledger

CATALOG = Path(__file__).resolve().parent.parent / "corpus" / "catalog" / "phapdien_documents.jsonl"


@dataclass
class Known:
    """What is known of a document: from the corpus, the catalog, or a corpus citation ("cited")."""

    number: str
    type: str | None
    date: str | None  # ISO
    issuer: str | None
    title: str | None
    source: str  # corpus | catalog | cited
    doc_id: str | None = None
    other_dates: list[str] = field(default_factory=list)  # of a "cited" one: other dates its citations give

    def as_doc(self) -> dict[str, str | None]:
        """The fields `index.citation` formats a citation from."""
        return {"type": self.type, "number": self.number, "date": self.date, "issuer_full": self.issuer,
                "title": self.title}  # fmt: skip


def _iso(date: str | None) -> str | None:
    m = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", (date or "").strip())
    return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}" if m else None


def symbol_code(number: str) -> str:
    """The issuer part of a symbol, the class of documents a catalog does or does not cover:
    "20/2021/NĐ-CP" → "nd-cp", "91/2015/QH13" → "qh", "09/2013/TT-BXD" → "tt-bxd"."""
    tail = number_key(number).split("/")[-1]
    return re.sub(r"\d+$", "", tail)


class Catalog:
    """Number → Known, corpus first (authoritative), then the catalog file, then corpus citations."""

    def __init__(self, store: Store, path: Path | None = CATALOG, validity_path: Path | None = VALIDITY_FILE):
        self.by_key: dict[str, Known] = {}
        self.covered: set[str] = set()  # symbol codes the catalog file lists documents of
        self.listed: set[str] = set()  # number keys the catalog file lists
        seen, args = store.unhidden()  # no document the reader may not see, nor what it cites
        for row in store.conn.execute(
            f"SELECT doc_id, number, type, date, issuer_full, title FROM documents WHERE {seen}", args
        ):
            if row["number"]:
                self.by_key[number_key(row["number"])] = Known(
                    row["number"],
                    row["type"],
                    row["date"],
                    row["issuer_full"],
                    row["title"],
                    "corpus",
                    row["doc_id"],
                )
        if path is not None and path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                item = json.loads(line)
                number = canonical_number(item["doc_number"])
                self.covered.add(symbol_code(number))
                self.listed.add(number_key(number))
                self.by_key.setdefault(number_key(number), Known(
                    number, item.get("doc_type"), _iso(item.get("issue_date")), item.get("issuer"),
                    item.get("title"), "catalog",
                ))  # fmt: skip
        for row in store.conn.execute(
            f"SELECT number, type, date, issuer, title FROM refs WHERE number IS NOT NULL AND {seen}"
            " ORDER BY doc_id, ord",
            args,
        ):
            known = self.by_key.get(number_key(row["number"]))
            if known is None:
                self.by_key[number_key(row["number"])] = Known(
                    row["number"], row["type"], row["date"], row["issuer"], row["title"], "cited"
                )
            elif known.source == "cited":  # fill what an earlier citation left out
                if (
                    row["date"]
                    and known.date
                    and row["date"] != known.date
                    and row["date"] not in known.other_dates
                ):
                    known.other_dates.append(row["date"])
                known.date, known.issuer = known.date or row["date"], known.issuer or row["issuer"]
        self.ledger: Ledger = build_ledger(store, validity_path)  # effective dates and relations, both ways

    def get(self, number: str) -> Known | None:
        return self.by_key.get(number_key(number))

    def lists(self, number: str) -> bool:
        """Whether the shipped catalog (not only the corpus) holds this number."""
        return number_key(number) in self.listed

    def covers(self, number: str) -> bool:
        """Whether the catalog lists documents of this kind, so a number it lacks is probably wrong."""
        return symbol_code(number) in self.covered

    def __len__(self) -> int:
        return len(self.by_key)
