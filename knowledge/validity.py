"""Is it still in force? A document's validity as of a date, from what texts state — never from a guess.

Two kinds of facts, each with the clause that states it:
- **entry into force**: "Nghị định này có hiệu lực từ ngày …" in the corpus document itself
  (`ingest/effect.py`), else the date the Pháp điển catalog gives its articles;
- **relations** (`ingest/relations.py`): document S states `replaces`, `expires`, `repeals_part`, `amends`,
  `guides`, `based_on` of document T, with a scope and a date ("on_effect" and no date both mean: from S's
  own effective date). Read from the corpus (stored per document) and from the catalog file built from Bộ
  Pháp điển (`corpus/build_validity.py`).

`Ledger.validity(number, at)` then says `in_force`, `partly_expired`, `expired`, `not_yet_in_force` or
`unknown`. `in_force` needs a stated effective date on or before `at` and no known expiry; without an
effective date the answer is `unknown` (unless an expiry is known). Two documents that both end one are a
conflict: both are kept as evidence and shown; the later effective date decides who replaced it.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from tracuu.ingest.normalize import fold
from tracuu.ingest.references import canonical_number, number_key

VALIDITY_FILE = Path(__file__).resolve().parent.parent / "corpus" / "catalog" / "phapdien_validity.jsonl"
STATUSES = ("in_force", "partly_expired", "expired", "not_yet_in_force", "unknown")
LABELS = {"in_force": "Còn hiệu lực", "partly_expired": "Hết hiệu lực một phần", "expired": "Hết hiệu lực toàn bộ",
          "not_yet_in_force": "Chưa có hiệu lực", "unknown": "Chưa rõ hiệu lực"}  # fmt: skip
INVERSE = {"replaces": "replaced_by", "expires": "expired_by", "repeals_part": "part_repealed_by",
           "amends": "amended_by", "guides": "guided_by", "based_on": "basis_for"}  # fmt: skip
_ENDS = {"replaces", "expires", "repeals_part"}  # relation types that end all or part of the other document


@dataclass
class Statement:
    """One relation as a text states it: `source` says `type` of `target`."""

    type: str
    source: str  # the stating document's number
    target: str  # the other document's number, or its name when the clause gives only that
    target_kind: str  # "number" | "title"
    scope: str  # "whole" or the parts ("Điều 17", "các điều từ Điều 40 đến Điều 43")
    date: str | None  # as stated: ISO, "on_effect", or None
    citation: (
        str  # the stating clause: "Khoản 2 Điều 11 Nghị định số 20/2021/NĐ-CP ngày 15/3/2021 của Chính phủ"
    )
    quote: str  # the clause's text
    origin: str  # "corpus" | "catalog"
    doc_id: str | None = None  # the stating corpus document and unit, to link to the clause
    unit_path: str | None = None
    source_date: str | None = None  # the stating document's own date (signed): nothing it states acts earlier
    target_date: str | None = (
        None  # the other document's date as the clause gives it (tells apart "05/QĐ-UBND"s)
    )
    source_key: str | None = (
        None  # the stating document's key (`doc_key`), when it has no number: "id:<doc_id>"
    )
    effective: str | None = None  # filled by the ledger: the date it takes effect


@dataclass
class Effect:
    """A document's own entry into force and where it is stated."""

    date: str | None
    basis: str  # date | signing | after_signing | after_gazette | catalog
    citation: str
    quote: str
    origin: str
    doc_id: str | None = None
    unit_path: str | None = None
    until: str | None = None  # the first day it is no longer in force, by its own words (a sunset)
    until_quote: str | None = None


@dataclass
class Validity:
    number: str
    at: str
    validity: str
    label: str
    effective_from: str | None
    expired_from: str | None
    replaced_by: str | None
    expired_by: str | None
    effective_evidence: dict[str, Any] | None
    evidence: list[dict[str, Any]] = field(default_factory=list)  # the statements that decide the status
    repealed_parts: list[dict[str, Any]] = field(default_factory=list)
    amended_by: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# ------------------------------------------------------------------ scopes
_SCOPE_TOKEN = re.compile(  # over the folded scope: "dieu", "khoan", "diem"
    r"(?P<range>tu\s+dieu\s+(?P<a>\d+)[a-z]?\s+den\s+dieu\s+(?P<b>\d+))|(?P<kw>dieu|khoan|diem)\b"
    r"|(?P<val>\d+[a-z]?|[a-z])\b",
)


def scope_items(scope: str) -> list[tuple[str, str | None, str | None]]:
    """The articles, clauses and points a scope names, as (điều, khoản, điểm): "khoản 2 và 3 Điều 1" →
    [("1","2",None), ("1","3",None)]; "các điều từ Điều 40 đến Điều 43" → Điều 40…43; "điểm b khoản 1 và
    khoản 5 Điều 99" → [("99","1","b"), ("99","5",None)]. Chapters and annexes give nothing (no article)."""
    items: list[tuple[str, str | None, str | None]] = []
    points: list[str] = []
    clauses: list[tuple[str, list[str]]] = []
    kind = None
    for m in _SCOPE_TOKEN.finditer(fold(scope).lower()):
        if m.group("range"):
            items += [(str(n), None, None) for n in range(int(m.group("a")), int(m.group("b")) + 1)]
            kind = None
        elif m.group("kw"):
            kind = m.group("kw")
        elif kind == "diem" and not m.group("val").isdigit():
            points.append(m.group("val"))
        elif kind == "khoan" and m.group("val")[0].isdigit():
            clauses.append((m.group("val"), points))
            points = []
        elif kind == "dieu" and m.group("val")[0].isdigit():
            if clauses:
                items += [(m.group("val"), k, p) for k, ps in clauses for p in (ps or [None])]
                clauses = []
            else:
                items.append((m.group("val"), None, None))
    return items


def covers(scope: str, dieu: str, khoan: str | None = None, diem: str | None = None) -> bool:
    """Whether a scope ends the whole of a cited unit (an article, a clause of one, a point of a clause)."""
    for d, k, p in scope_items(scope):
        if d == dieu and (k is None or k == khoan) and (p is None or p == diem):
            return True
    return False


# ------------------------------------------------------------------ the ledger
def title_key(text: str) -> str:
    """A document named by its title ("Luật Phòng, chống ma túy"): folded, lower case, words only."""
    return "title:" + " ".join(re.sub(r"[^\w\s]", " ", fold(text).lower()).split())


_YEAR_IN_NUMBER = re.compile(r"/(?:19|20)\d\d/|^\d+/(?:19|20)\d\d$")


def doc_key(number: str | None, date_: str | None = None, doc_id: str | None = None) -> str:
    """One key per document. A national number carries its year ("20/2021/NĐ-CP") and is its key; a local one
    does not ("05/QĐ-UBND": every province, every year), so its year joins it ("…@2019", "…@?" unknown); a
    document without a number is keyed by its id."""
    if not number:
        return f"id:{doc_id}"
    key = number_key(number)
    return key if _YEAR_IN_NUMBER.search(key) else f"{key}@{(date_ or '?')[:4]}"


class Ledger:
    """Every known effective date and relation, indexed both ways by the other document's key."""

    def __init__(self) -> None:
        self.effects: dict[str, Effect] = {}
        self.out: dict[str, list[Statement]] = defaultdict(list)
        self.into: dict[str, list[Statement]] = defaultdict(list)
        self.names: dict[str, str] = {}  # key → number or name as best written
        self.titles: dict[str, list[tuple[str, str | None]]] = defaultdict(
            list
        )  # "luat tro giup phap ly" → [(key, year)]

    # -------------------------------------------------------------- building
    def name(self, key: str, number: str) -> None:
        self.names.setdefault(key, number)

    def know_title(self, doc_type: str | None, title: str | None, key: str, issued: str | None) -> None:
        """A catalog or corpus document by its name, so a clause naming it only so still reaches it."""
        if not doc_type or not title:
            return
        name = title if fold(title).lower().startswith(fold(doc_type).lower()) else f"{doc_type} {title}"
        self.titles[title_key(name)].append((key, issued))

    def set_effect(self, key: str, name: str, effect: Effect, override: bool = False) -> None:
        self.name(key, name)
        if override or key not in self.effects:
            self.effects[key] = effect

    def add(self, s: Statement) -> None:
        """A stated relation, indexed both ways. One whose other document is the stating one itself (a
        name that resolves back to it) states nothing."""
        source = s.source_key or doc_key(s.source, s.source_date)
        s.source_key = source
        target = self.key(s.target, s.target_kind, s.target_date, source, s.source_date)
        if target == source:
            return
        self.out[source].append(s)
        self.into[target].append(s)
        self.name(source, s.source)

    def key(self, target: str, kind: str = "number", cited_date: str | None = None, source: str | None = None,
            before: str | None = None, record: bool = True) -> str:  # fmt: skip
        """The key of a document however it is named: its number (with the year a local number is cited
        with), or a title resolved to the one document of that name issued before the stating one (and of
        the year written after the name, "Luật Trợ giúp pháp lý năm 2006"); ambiguous names stay names."""
        if kind == "number":
            key = doc_key(target, cited_date)
            if record:
                self.name(key, canonical_number(target))
            return key
        tkey = title_key(target)
        year = m.group(1) if (m := re.search(r"năm\s+(\d{4})\s*$", target)) else None
        bare = title_key(re.sub(r"\s+năm\s+\d{4}\s*$", "", target))
        found = {k for k, issued in self.titles.get(bare, [])
                 if (year is None or (issued or "")[:4] == year) and k != source
                 and (before is None or not issued or issued < before)}  # fmt: skip
        if len(found) == 1:
            return found.pop()
        if record:
            self.name(tkey, target)
        return tkey

    def finish(self) -> None:
        """Each statement's date resolved: "on_effect" or no date → the stating document's effective date.
        Corpus statements win over the catalog's for the same fact (the corpus holds the full text); the
        same fact stated twice is kept once."""
        for key, statements in self.out.items():
            own = self.effects.get(key)
            fact = {id(s): (s.type, self.key(s.target, s.target_kind, s.target_date, key, s.source_date, False),
                            fold(s.scope).lower()) for s in statements}  # fmt: skip
            corpus = {fact[id(s)] for s in statements if s.origin == "corpus"}
            kept, seen = [], set()
            for s in sorted(statements, key=lambda s: s.origin != "corpus"):
                if (s.origin == "corpus" or fact[id(s)] not in corpus) and (
                    fact[id(s)],
                    s.origin,
                ) not in seen:
                    seen.add((fact[id(s)], s.origin))
                    kept.append(s)
            self.out[key] = kept
            for s in kept:
                s.effective = s.date if s.date not in (None, "on_effect") else (own.date if own else None)
        kept_ids = {id(s) for statements in self.out.values() for s in statements}
        for key, statements in self.into.items():
            self.into[key] = [s for s in statements if id(s) in kept_ids]

    # -------------------------------------------------------------- reading
    def lookup(self, ref: str) -> str:
        """The key for what a user typed: a number in any written form ("Nghị định số 136/2013/NĐ-CP",
        "136/2013/ND-CP"), or a document's name. Reading never adds to the ledger."""
        from tracuu.ingest.references import find_references

        found = [r for r in find_references(ref) if r.number]
        if found:
            return self.key(found[0].number, "number", found[0].date, record=False)
        if re.search(r"\d+/", ref):
            return self.key(ref.strip(), "number", record=False)
        return self.key(ref, "title", record=False)

    def knows(self, key: str) -> bool:
        return key in self.effects or key in self.out or key in self.into

    def relations(self, key: str) -> list[dict[str, Any]]:
        """Both directions, each with the stating clause: {type, other, scope, from, citation, direction,
        quote, origin, doc_id, unit_path}. Inverse types: replaced_by, expired_by, part_repealed_by,
        amended_by, guided_by, basis_for."""
        rows = [self._row(s, s.type, s.target, "out") for s in self.out.get(key, [])]
        rows += [self._row(s, INVERSE[s.type], s.source, "in") for s in self.into.get(key, [])]
        return rows

    @staticmethod
    def _row(s: Statement, kind: str, other: str, direction: str) -> dict[str, Any]:
        return {"type": kind, "other": other, "scope": s.scope, "from": s.effective, "citation": s.citation,
                "direction": direction, "quote": s.quote, "origin": s.origin, "doc_id": s.doc_id,
                "unit_path": s.unit_path}  # fmt: skip

    def validity(self, key: str, at: str | None = None) -> Validity:
        """The status of one document on `at` (ISO; today by default), with the clauses that prove it."""
        at = at or date.today().isoformat()
        effect = self.effects.get(key)
        effective = effect.date if effect else None
        # what ends the whole (replaced, declared ended) and what ends a part (repealed; a part "replaced" is
        # given new wording, amended: nothing of it ends)
        whole_all = [
            s for s in self.into.get(key, []) if s.type in ("replaces", "expires") and s.scope == "whole"
        ]
        whole = [s for s in whole_all if _happened(s, at)]
        parts = [s for s in self.into.get(key, []) if s.type in ("repeals_part", "expires") and s.scope != "whole"
                 and _happened(s, at)]  # fmt: skip
        sunset = effect.until if effect else None
        v = Validity(self.names.get(key, key), at, "unknown", "", effective, None, None, None,
                     asdict(effect) if effect else None)  # fmt: skip
        v.amended_by = [_evidence(s) for s in self.into.get(key, [])
                        if s.type == "amends" or (s.type == "replaces" and s.scope != "whole")]  # fmt: skip
        v.repealed_parts = [_evidence(s) for s in parts]
        # who ends it, whatever the date asked about (an ending stated for later is known already); two
        # documents ending it are a conflict, shown; the later effective date decides who replaced it
        if len({s.source_key for s in whole_all}) > 1:
            v.conflicts = [_evidence(s) for s in whole_all]
        later = lambda s: (self._effective_of(s) or "", s.effective or "")  # noqa: E731
        if whole_all:
            v.expired_by = max(whole_all, key=later).source
            replacing = [s for s in whole_all if s.type == "replaces"]
            v.replaced_by = max(replacing, key=later).source if replacing else None
        dates = [s.effective for s in (whole or whole_all) if s.effective] + ([sunset] if sunset else [])
        v.expired_from = min(dates, default=None)
        if whole or (sunset and sunset <= at):
            first = min(whole, key=lambda s: s.effective or "9999") if whole else None
            v.validity, v.evidence = "expired", [_evidence(s) for s in whole]
            if first is None or (sunset and sunset <= (first.effective or "9999")):
                v.reason = (
                    f"văn bản tự quy định hết hiệu lực từ ngày {_vn(sunset or '')}: “{effect.until_quote}”"  # type: ignore[union-attr]
                )
            else:
                verb = "thay thế" if first.type == "replaces" else "tuyên bố hết hiệu lực"
                v.reason = f"{first.citation} {verb} văn bản này"
            if v.conflicts:
                v.reason += (
                    f"; {len({s.source_key for s in whole_all})} văn bản cùng chấm dứt hiệu lực văn bản này"
                )
                v.reason += (
                    f" (văn bản thay thế, có hiệu lực muộn hơn: {v.replaced_by})" if v.replaced_by else ""
                )
        elif effective is None:
            v.reason = "văn bản và danh mục không nêu ngày có hiệu lực, và không văn bản nào đã biết tuyên bố nó hết hiệu lực"
        elif at < effective:
            v.validity, v.reason = "not_yet_in_force", f"có hiệu lực từ ngày {_vn(effective)}"
        elif parts:
            v.validity, v.evidence = "partly_expired", list(v.repealed_parts)
            v.reason = "một số phần đã bị bãi bỏ hoặc hết hiệu lực"
        else:
            v.validity = "in_force"
            v.reason = (
                f"có hiệu lực từ ngày {_vn(effective)}; chưa văn bản nào đã biết chấm dứt hiệu lực của nó"
            )
        if v.validity != "expired" and (whole_all or sunset):  # an ending stated for a later date
            v.evidence += [_evidence(s) for s in whole_all]
            if v.expired_from and v.validity != "unknown":
                v.reason = v.reason.split(";")[0] + f"; sẽ hết hiệu lực từ ngày {_vn(v.expired_from)}"
        v.label = LABELS[v.validity]
        return v

    def _effective_of(self, s: Statement) -> str | None:
        e = self.effects.get(s.source_key or doc_key(s.source, s.source_date))
        return e.date if e else None


def _happened(s: Statement, at: str) -> bool:
    """Whether an ending took effect by `at`. With no date known (neither the clause nor the stating
    document says when) it counts from the stating document's own date: nothing acts before it is signed."""
    if s.effective:
        return s.effective <= at
    return s.source_date <= at if s.source_date else True


def _vn(iso: str) -> str:
    from tracuu.index.citation import vn_date

    return vn_date(iso) or iso


def _evidence(s: Statement) -> dict[str, Any]:
    return {"type": s.type, "source": s.source, "target": s.target, "scope": s.scope, "from": s.effective,
            "citation": s.citation, "quote": s.quote, "origin": s.origin, "doc_id": s.doc_id,
            "unit_path": s.unit_path}  # fmt: skip


# ------------------------------------------------------------------ loading
def read_catalog(path: Path | None = VALIDITY_FILE) -> list[dict[str, Any]]:
    """The catalog file: one line per Pháp điển document (number, type, title, effective date, relations)."""
    if path is None or not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def key_of(doc: dict[str, Any]) -> str:
    """A stored document's key (its number, the year a local number needs, or its id)."""
    return doc_key(doc.get("number"), doc.get("date"), doc.get("doc_id"))


def build_ledger(
    store: Any, path: Path | None = VALIDITY_FILE, items: list[dict[str, Any]] | None = None
) -> Ledger:
    """The ledger of the store's documents and the catalog file's. Names first (a clause may name a
    document the catalog lists later), then effective dates (the corpus's own text over the catalog's),
    then relations."""
    from tracuu.index.citation import cite

    items = read_catalog(path) if items is None else items
    docs = store.effects()
    ledger = Ledger()
    for d in docs:
        ledger.know_title(d["type"], d["title"], key_of(d), d["date"])
    for item in items:
        ledger.know_title(
            item.get("doc_type"), item.get("title"), doc_key(item["doc_number"]), item.get("issue_date")
        )
    for item in items:
        if item.get("effective_from"):
            ledger.set_effect(doc_key(item["doc_number"]), item["doc_number"], Effect(
                item["effective_from"], "catalog", item.get("effective_citation") or "",
                item.get("effective_evidence") or "", "catalog"))  # fmt: skip
    for d in docs:
        e = d.get("effective")
        if e and (e.get("date") or e.get("until") or key_of(d) not in ledger.effects):
            doc = {"type": d["type"], "number": d["number"], "date": d["date"], "issuer_full": d["issuer_full"],
                   "title": d["title"]}  # fmt: skip
            ledger.set_effect(key_of(d), d["number"] or d["doc_id"], Effect(
                e.get("date"), e["basis"], cite(doc, e.get("section") or ""), e.get("quote") or "", "corpus",
                d["doc_id"], e.get("unit_path"), e.get("until"), e.get("until_quote")), override=True)  # fmt: skip
    for item in items:
        for r in item.get("relations", []):
            ledger.add(Statement(r["type"], item["doc_number"], r["other"], r["other_kind"], r["scope"], r.get("date"),
                                 r["citation"], r["quote"], "catalog", source_date=item.get("issue_date"),
                                 target_date=r.get("other_date")))  # fmt: skip
    for r in store.relations():
        doc = {"type": r["doc_type"], "number": r["doc_number"], "date": r["doc_date"], "issuer_full": r["doc_issuer"],
               "title": r["doc_title"]}  # fmt: skip
        ledger.add(Statement(r["type"], r["doc_number"] or r["doc_id"], r["other"], r["other_kind"], r["scope"],
                             r["date"], cite(doc, r["section"]), " ".join(r["quote"].split()), "corpus", r["doc_id"],
                             r["unit_path"], r["doc_date"], r.get("other_date"),
                             doc_key(r["doc_number"], r["doc_date"], r["doc_id"])))  # fmt: skip
    ledger.finish()
    return ledger


# ------------------------------------------------------------------ what the doors show
def stamp(ledger: Ledger, key: str | None, at: str | None = None) -> dict[str, Any]:
    """The validity fields every document, hit and cited document carries (`unknown` without a key)."""
    if not key:
        return {"validity": "unknown", "effective_from": None, "expired_from": None}
    v = ledger.validity(key, at)
    return {"validity": v.validity, "effective_from": v.effective_from, "expired_from": v.expired_from}


def parse_at(value: str | None) -> str | None:
    """A date the user typed ("2021-07-01", "01/07/2021", "1/7/2021") as ISO; None for none; ValueError
    for anything else (the doors turn it into a clear message)."""
    if value is None or not value.strip() or value.strip().lower() in ("today", "hôm nay", "hom nay"):
        return None
    text = value.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text) or None
    if m:
        y, mo, d = (int(x) for x in m.groups())
    elif m := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text):
        d, mo, y = (int(x) for x in m.groups())
    else:
        raise ValueError(text)
    if not 1945 <= y <= 2100:
        raise ValueError(text)
    return date(y, mo, d).isoformat()


def ref_key(ledger: Ledger, ref: dict[str, Any]) -> str | None:
    """The key of a cited document (an answer's reference, a cited group): its number with the date it is
    cited with, else its name ("Luật Cư trú"), else None."""
    if ref.get("number"):
        return ledger.key(ref["number"], "number", ref.get("date"), record=False)
    title, kind = ref.get("title") or "", ref.get("type") or ""
    if not title:
        return None
    name = title if fold(title).lower().startswith(fold(kind).lower()) else f"{kind} {title}".strip()
    return ledger.key(name, "title", record=False)


def with_validity(result: dict[str, Any], ledger: Ledger, keys: dict[str, str]) -> dict[str, Any]:
    """An answer whose references and evidence carry their documents' validity today, and a note for each
    document it rests on that is no longer (or not yet) in force: an answer must never quote dead law
    silently. `keys`: each stored document's key by its id."""
    notes: list[str] = []
    for ref in result["answer"].get("references", []):
        key = keys.get(ref["doc_id"]) if ref.get("doc_id") else ref_key(ledger, ref)
        ref.update(stamp(ledger, key))
        notes += _note(ledger, key, ref["validity"])
    for ev in result.get("evidence", []):
        key = keys.get(ev.get("doc_id"))
        ev.update(stamp(ledger, key))
        notes += _note(ledger, key, ev["validity"])
    result["answer"]["validity_notes"] = list(dict.fromkeys(notes))
    return result


def _note(ledger: Ledger, key: str | None, status: str) -> list[str]:
    if not key or status not in ("expired", "not_yet_in_force", "partly_expired"):
        return []
    v = ledger.validity(key)
    name = v.number if not v.number.startswith("id:") else "Văn bản"
    if status == "expired":
        since = f" từ ngày {_vn(v.expired_from)}" if v.expired_from else ""
        how = f", được thay thế bởi {v.replaced_by}" if v.replaced_by else (
            f", theo {v.evidence[0]['citation']}" if v.evidence else "")  # fmt: skip
        return [f"{name} đã hết hiệu lực{since}{how}"]
    if status == "not_yet_in_force":
        return [f"{name} chưa có hiệu lực (có hiệu lực từ ngày {_vn(v.effective_from or '')})"]
    return [f"{name} đã hết hiệu lực một phần: " + "; ".join(f"{e['scope']} theo {e['citation']}"
                                                           for e in v.repealed_parts[:3])]  # fmt: skip
