"""A draft's citations against the validity of what they cite: `expired` (with the document that replaced
it), `not_yet_in_force`, and `unit_repealed` (an article, clause or point a later text repealed), each with
the clause that proves it. Judged on the draft's own date when its header gives one (a report dated
15/3/2021 may cite what was in force then), otherwise today.

A document the draft itself ends or amends ("Nghị định này thay thế Nghị định số 136/2013/NĐ-CP") is
cited to be ended, not relied on: its citations are not flagged.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from tracuu.index.citation import vn_date
from tracuu.ingest.header import parse_header
from tracuu.ingest.references import Reference
from tracuu.ingest.relations import find_relations

from .validity import Ledger, covers

# A unit quoted right before the citation: "Điều 17 Nghị định …", "điểm a khoản 2 Điều 5 của Luật …".
_UNIT_BEFORE = re.compile(
    r"(?:[Đđ]iểm\s+(?P<diem>[a-zđ])\s*,?\s+)?(?:[Kk]hoản\s+(?P<khoan>\d+[a-z]?)\s*,?\s+)?[Đđ]iều\s+(?P<dieu>\d+[a-z]?)"
    r"\s*,?\s*(?:của|tại|theo|thuộc)?\s*$"
)
_ENDS = ("replaces", "expires", "repeals_part")


class Lifetime:
    """What one check knows of time: the date it judges on and the documents the draft itself ends."""

    def __init__(self, ledger: Ledger, text: str):
        self.ledger = ledger
        own = parse_header(text[:4000]).header.date
        self.at, self.at_source = (own, "draft") if own else (date.today().isoformat(), "today")
        self.ended = {self.ledger.key(r.other, r.other_kind) for r in find_relations(text)
                      if r.type in (*_ENDS, "amends")}  # fmt: skip

    def problems(self, text: str, ref: Reference) -> list[dict[str, Any]]:
        name = ref.number or (f"{ref.type} {ref.title}" if ref.type and ref.title else None)
        if not name:
            return []
        key = self.ledger.key(name, "number" if ref.number else "title")
        if key in self.ended or not self.ledger.knows(key):
            return []
        v = self.ledger.validity(key, self.at)
        name = f"{ref.type} số {ref.number}" if ref.type and ref.number else name
        when = "ngày dự thảo " + vn_date(self.at) if self.at_source == "draft" else "hôm nay"
        out: list[dict[str, Any]] = []
        if v.validity == "expired":
            proof = v.evidence[0]
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
            if s.type in _ENDS and s.scope != "whole" and (not s.effective or s.effective <= self.at):
                if covers(s.scope, dieu, khoan, diem):
                    label = " ".join(m.group(0).split()).rstrip(" ,")
                    label = re.sub(r"\s*,?\s*(?:của|tại|theo|thuộc)$", "", label)
                    since = f" từ ngày {vn_date(s.effective)}" if s.effective else ""
                    return [{"code": "unit_repealed", "message": f"{label} {name} đã bị bãi bỏ{since} theo "
                             f"{s.citation}", "unit": label, "expired_from": s.effective,
                             "evidence": {"citation": s.citation, "quote": s.quote, "doc_id": s.doc_id,
                                          "unit_path": s.unit_path, "source": s.source}}]  # fmt: skip
        return []


def _proof(e: dict[str, Any]) -> dict[str, Any]:
    return {k: e.get(k) for k in ("citation", "quote", "doc_id", "unit_path", "source", "type")}
