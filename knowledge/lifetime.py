"""A draft's citations against the validity of what they cite: `expired` (with the document that replaced
it), `not_yet_in_force`, and `unit_repealed` (an article, clause or point a later text repealed), each with
the clause that proves it. Judged on the draft's own date when its header gives one (a report dated
15/3/2021 may cite what was in force then), otherwise today.

A document the draft itself ends or amends ("Nghị định này thay thế Nghị định số 136/2013/NĐ-CP") is
cited to be ended, not relied on: its citations are not flagged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from tracuu.index.citation import LAW_TYPES, vn_date
from tracuu.ingest.effect import find_effect
from tracuu.ingest.header import parse_header
from tracuu.ingest.references import Reference
from tracuu.ingest.relations import find_relations

from .validity import Ledger, _happened, covers

# A unit quoted right before the citation: "Điều 17 Nghị định …", "điểm a khoản 2 Điều 5 của Luật …".
_UNIT_BEFORE = re.compile(
    r"(?:[Đđ]iểm\s+(?P<diem>[a-zđ])\s*,?\s+)?(?:[Kk]hoản\s+(?P<khoan>\d+[a-z]?)\s*,?\s+)?[Đđ]iều\s+(?P<dieu>\d+[a-z]?)"
    r"\s*,?\s*(?:của|tại|theo|thuộc)?\s*$"
)
_ENDS = ("replaces", "expires", "repeals_part")


class Lifetime:
    """What one check knows of time: the date it judges on and the documents the draft itself ends."""

    def __init__(
        self, ledger: Ledger, text: str, units_of: Callable[[str], list[dict[str, Any]]] | None = None
    ):
        self.ledger = ledger
        self.units_of = units_of or (lambda key: [])  # a stored document's outline, by ledger key
        header = parse_header(text[:4000]).header
        # a decree detailing a law is signed before the law takes effect and takes effect with it: a draft
        # that states its own entry into force is judged on that day, else on the day it is dated, else today
        effect = find_effect(text, header.date)
        if effect is not None and effect.date:
            self.at, self.at_source = effect.date, "draft_effective"
        elif header.date:
            self.at, self.at_source = header.date, "draft"
        else:
            self.at, self.at_source = date.today().isoformat(), "today"
        self.ended = {self.ledger.key(r.other, r.other_kind, r.other_date, record=False) for r in find_relations(text)
                      if r.type in (*_ENDS, "amends")}  # fmt: skip

    def key(self, ref: Reference) -> str | None:
        if ref.number:
            return self.ledger.key(ref.number, "number", ref.date, record=False)
        if ref.type and ref.title:
            return self.ledger.key(f"{ref.type} {ref.title}", "title", record=False)
        return None

    def problems(self, text: str, ref: Reference) -> list[dict[str, Any]]:
        key = self.key(ref)
        if key is None or key in self.ended or not self.ledger.knows(key):
            return []
        v = self.ledger.validity(key, self.at)
        name = _name(ref)
        when = {"draft_effective": "ngày dự thảo có hiệu lực ", "draft": "ngày dự thảo "}.get(
            self.at_source, ""
        )
        when = f"{when}{vn_date(self.at)}" if when else "hôm nay"
        out: list[dict[str, Any]] = []
        if v.validity == "expired":
            proof = v.evidence[0] if v.evidence else {"citation": "văn bản tự quy định thời hạn hiệu lực",
                                                      "quote": (v.effective_evidence or {}).get("until_quote")}  # fmt: skip
            instead = f"; văn bản thay thế: {v.replaced_by}" if v.replaced_by else ""
            since = f" từ ngày {vn_date(v.expired_from)}" if v.expired_from else ""
            out.append({"code": "expired", "message": f"{name} đã hết hiệu lực{since} (tính đến {when}), theo "
                        f"{proof['citation']}{instead}", "replaced_by": v.replaced_by, "expired_from": v.expired_from,
                        "evidence": _proof(proof)})  # fmt: skip
        elif v.validity == "not_yet_in_force":
            effect = v.effective_evidence or {}
            out.append({"code": "not_yet_in_force", "message": f"{name} chỉ có hiệu lực từ ngày "
                        f"{vn_date(v.effective_from)}, sau {when}", "effective_from": v.effective_from,
                        "evidence": {"citation": effect.get("citation"), "quote": effect.get("quote")}})  # fmt: skip
        m = _UNIT_BEFORE.search(text[max(0, ref.start - 80) : ref.start])
        if m and v.validity != "expired":
            out += self._unit_repealed(key, name, m)
        return out

    def _unit_repealed(self, key: str, name: str, m: re.Match[str]) -> list[dict[str, Any]]:
        dieu, khoan, diem = m.group("dieu"), m.group("khoan"), m.group("diem")
        for s in self.ledger.into.get(key, []):
            ends_part = s.type == "repeals_part" or (s.type == "expires" and s.scope != "whole")
            if (
                ends_part
                and _happened(s, self.at)
                and (covers(s.scope, dieu, khoan, diem) or self._in_chapter(key, s.scope, dieu))
            ):
                label = " ".join(m.group(0).split()).rstrip(" ,")
                label = re.sub(r"\s*,?\s*(?:của|tại|theo|thuộc)$", "", label)
                label = label[:1].upper() + label[1:]
                since = f" từ ngày {vn_date(s.effective)}" if s.effective else ""
                return [{"code": "unit_repealed", "message": f"{label} {name} đã bị bãi bỏ{since} theo "
                         f"{s.citation}", "unit": label, "expired_from": s.effective,
                         "evidence": {"citation": s.citation, "quote": s.quote, "doc_id": s.doc_id,
                                      "unit_path": s.unit_path, "source": s.source}}]  # fmt: skip
        return []

    def _in_chapter(self, key: str, scope: str, dieu: str) -> bool:
        """Whether a repealed chapter ("Bãi bỏ Chương VII …") holds the cited article: read from the outline of
        the document when the knowledge base holds it (a catalog document has none here)."""
        chapters = {f"Chương {c.upper()}" for c in _CHAPTER.findall(scope)}
        if not chapters:
            return False
        units = self.units_of(key)
        paths = {u["path"] for u in units if u["kind"] == "chapter" and u["label"] in chapters}
        return any(u["kind"] == "article" and u["label"] == f"Điều {dieu}" and u["path"].split(".")[0] in paths
                   for u in units)  # fmt: skip


_CHAPTER = re.compile(r"\bchương\s+([ivxlc]+)\b", re.I)


def _name(ref: Reference) -> str:
    """How a message names the cited document: "Bộ luật Hình sự số 100/2015/QH13", "Nghị định số 20/2021/NĐ-CP"."""
    if ref.type in LAW_TYPES and ref.title and ref.number:
        return f"{ref.type} {ref.title} số {ref.number}"
    if ref.type and ref.number:
        return f"{ref.type} số {ref.number}"
    return ref.number or f"{ref.type or ''} {ref.title or ''}".strip()


def _proof(e: dict[str, Any]) -> dict[str, Any]:
    return {k: e.get(k) for k in ("citation", "quote", "doc_id", "unit_path", "source", "type")}
