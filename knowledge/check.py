"""Citation checker for drafts: every reference to a document, checked against the corpus and the catalog.

A finding says where the citation is, what it parses to, whether the document is known (full text in the
corpus, metadata in the catalog), the formal citation to use, and what does not add up. A correct
citation has no problems; a document outside the corpus and the catalog is unverifiable, not wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tracuu.core.errors import InvalidArgument
from tracuu.index.citation import LAW_TYPES, cite, designation, vn_date
from tracuu.index.store import Store
from tracuu.ingest.normalize import fold
from tracuu.ingest.references import (
    Reference,
    count_numbers,
    expected_issuer,
    find_references,
    number_key,
    symbol_type,
)

from .catalog import Catalog, Known
from .lifetime import Lifetime
from .validity import key_of

# A unit quoted right before the citation: "Khoản 2 Điều 5 Nghị định …", "mục 3 của Quyết định số 161".
_UNIT_BEFORE = re.compile(
    r"(?:(?:[Đđ]iểm\s+(?P<diem>[a-zđ])\s*,?\s+)?(?:[Kk]hoản\s+(?P<khoan>\d+)\s*,?\s+)?[Đđ]iều\s+(?P<dieu>\d+[a-z]?)"
    r"|[Mm]ục\s+(?P<muc>[IVXLC]+(?:\.\d+)*|\d+(?:\.\d+)*)|[Pp]hần\s+(?P<phan>[IVXLC]+))"
    r"\s*,?\s*(?:của|tại|theo|thuộc)?\s*$"
)


# a `missing` note that says articles are lacking, not only the preamble, signature or annexes
_ARTICLES_MISSING = re.compile(r"\barticles?\b|everything|Điều\b|Chương\b", re.I)


# Citations one check may report. A real draft cites tens of documents (the corpus's 2 MB of laws hold 362
# citations in all), a long one a few hundred. A finding is 0.3 kB of JSON, about 1 kB when it quotes a unit
# of the corpus (up to 800 characters of its text): measured, 1,000 × "Khoản 1 Điều 5 Bộ luật Dân sự số
# 91/2015/QH13 ngày 24/11/2015 của Quốc hội" answer in 1.07 MB, 1,000 × "1/A" in 0.28 MB, where a 2 MB flood
# of "1/A " made 500,000 findings and a 138 MB answer.
MAX_FINDINGS = 1_000
# Number-shaped tokens a draft may hold (each costs `find_references` about 17 µs, citation or not: 2 MB of
# "Mẫu số 1/A " took 5 s); counted first, at 1 µs each. The corpus's 2 MB of laws hold 153.
MAX_NUMBERS = 10 * MAX_FINDINGS
# A long draft is first scanned in prefixes (16,384 characters, then 4 × longer) while they hold citations
# densely enough to pass the limit over the whole draft, so that a flood stops after its first thousand
# citations instead of being scanned whole. Only citations starting _PROBE_MARGIN characters before a
# prefix's end are counted: what the cut may change (a name, a date, an issuer, a trích yếu cut short) lies
# after them, as `find_references` reads a citation from the few hundred characters around it.
_PROBE_FROM = 16_384
_PROBE_MARGIN = 4_096


class TooManyCitations(InvalidArgument):
    title = "quá nhiều trích dẫn"

    """A draft with more citations than one check reports (`limit`): the HTTP API answers 413, the CLI exits 1."""

    def __init__(self, limit: int = MAX_FINDINGS, numbers: int | None = None):
        self.limit, self.numbers = limit, numbers
        if numbers is None:
            what = f"{_vi_count(limit)} trích dẫn"
        else:
            what = f"{_vi_count(numbers)} số hiệu (dạng 12/KH-UBND, 1/A)"
        super().__init__(
            f"Dự thảo có hơn {what} (giới hạn của một lần kiểm tra); hãy chia nhỏ dự thảo",
            code="too-many-citations",
        )

    def __reduce__(self):
        return (type(self), (self.limit, self.numbers))


def _vi_count(n: int) -> str:
    return f"{n:,}".replace(",", ".")  # 1.000, as Vietnamese writes it


def problem(code: str, message: str) -> dict[str, str]:
    return {"code": code, "message": message}


def check_text(store: Store, text: str, catalog: Catalog | None = None) -> dict[str, Any]:
    """`tracuu check --json`: {"findings": [{"span", "text", "reference", "in_corpus", "in_catalog",
    "citation", "problems", …}]} for every citation in a draft.

    Raises TooManyCitations for a draft with more than MAX_FINDINGS citations, before checking any."""
    catalog = catalog or Catalog(store)
    lookups = _Lookups(store)
    refs = _references(text)
    stored = {key_of(h): h["doc_id"] for h in store.headers()}
    lifetime = Lifetime(catalog.ledger, text,
                        lambda key: lookups.units(stored[key]).units if key in stored else [])  # fmt: skip
    findings = [_finding(lookups, catalog, text, r) for r in refs]
    for ref, finding in zip(refs, findings, strict=True):
        key = lifetime.key(ref)
        if key is not None and catalog.ledger.knows(key):  # another text's clause names it: it exists
            finding["problems"] = [p for p in finding["problems"] if p["code"] != "not_found"]
            if not finding["problems"] and finding["status"] == "problem":
                finding["status"] = "unverifiable"
        found = lifetime.problems(text, ref)
        if found:
            finding["problems"] += found
            finding["status"] = "problem"
    return {"findings": findings, "summary": _summary(findings), "checked_at": lifetime.at,
            "checked_at_source": lifetime.at_source}  # fmt: skip


def _references(text: str, limit: int = MAX_FINDINGS) -> list[Reference]:
    """The draft's citations, or TooManyCitations as soon as a prefix of it holds more than `limit`.

    Scanning costs about 45 µs a number, so a 2 MB flood of "1/A " takes 20 s to scan whole; its first
    16,384 characters already hold 3,072 citations. Otherwise the draft is scanned whole, as before, after
    one prefix or a few (a real 2 MB text scans in 0.1 s)."""
    if count_numbers(text, MAX_NUMBERS + 1) > MAX_NUMBERS:
        raise TooManyCitations(limit, numbers=MAX_NUMBERS)
    size = _PROBE_FROM
    while size < len(text):
        cut = size - _PROBE_MARGIN
        seen = sum(1 for r in find_references(text[:size]) if r.start < cut)
        if seen > limit:
            raise TooManyCitations(limit)
        if seen * len(text) <= limit * cut:  # too sparse to pass the limit: the whole scan will tell
            break
        size *= 4
    refs = find_references(text)
    if len(refs) > limit:
        raise TooManyCitations(limit)
    return refs


@dataclass
class _Units:
    """A corpus document's units, indexed the ways a quoted unit is looked for (the first in order wins)."""

    units: list[dict[str, Any]]
    by_suffix: dict[tuple[str, ...], int] = field(default_factory=dict)  # path ending: ("D5", "K1")
    by_path: dict[str, int] = field(default_factory=dict)
    by_label: dict[str, int] = field(default_factory=dict)  # of sections and parts

    def __post_init__(self) -> None:
        for i, u in enumerate(self.units):
            parts = tuple(u["path"].split("."))
            for k in range(1, len(parts) + 1):
                self.by_suffix.setdefault(parts[-k:], i)
            self.by_path.setdefault(u["path"], i)
            if u["kind"] in {"section", "part"}:
                self.by_label.setdefault(u["label"], i)


class _Lookups:
    """What one check looks up in the store, each once: a draft cites the same few documents again and again
    (a document's units are thousands of rows: the Bộ luật Dân sự has 2,730)."""

    def __init__(self, store: Store):
        self.store = store
        self._docs: dict[str, dict[str, Any] | None] = {}
        self._units: dict[str, _Units] = {}
        self._citations: dict[str, str | None] = {}
        self._resolved: dict[tuple[str, str], dict[str, Any] | None] = {}
        self._found: dict[tuple[str, int], tuple[str, str, str]] = {}

    def doc(self, doc_id: str) -> dict[str, Any] | None:
        if doc_id not in self._docs:
            self._docs[doc_id] = self.store.find(doc_id)
        return self._docs[doc_id]

    def units(self, doc_id: str) -> _Units:
        if doc_id not in self._units:
            self._units[doc_id] = _Units(self.store.units(doc_id))
        return self._units[doc_id]

    def citation(self, doc_id: str) -> str | None:
        """The formal citation of a corpus document; None when the store no longer has it."""
        if doc_id not in self._citations:
            doc = self.doc(doc_id)
            self._citations[doc_id] = cite(doc) if doc is not None else None
        return self._citations[doc_id]

    def resolve(self, type_: str, title: str) -> dict[str, Any] | None:
        """The corpus document a law cited by name is, by `knowledge.resolve`."""
        if (type_, title) not in self._resolved:
            from .graph import resolve

            self._resolved[type_, title] = resolve(self.store, {"type": type_, "title": title})
        return self._resolved[type_, title]

    def found(self, doc_id: str, i: int) -> tuple[str, str, str]:
        """A unit's path, text (800 characters, spaces collapsed) and citation."""
        if (doc_id, i) not in self._found:
            doc, hit = self.doc(doc_id), self.units(doc_id).units[i]
            body = re.sub(r"\s+", " ", doc["text"][hit["start"] : hit["end"]]).strip()
            self._found[doc_id, i] = (hit["path"], body[:800], cite(doc, hit["section"]))
        return self._found[doc_id, i]


def _finding(lookups: _Lookups, catalog: Catalog, text: str, ref: Reference) -> dict[str, Any]:
    known = catalog.get(ref.number) if ref.number else None
    trusted = known if known is not None and known.source in {"corpus", "catalog"} else None
    # a law cited by name and a number we do not know: the corpus may hold it by name ("Luật Cư trú")
    by_name = _by_name(lookups, ref) if ref.number and known is None else None
    problems = _problems(catalog, ref, trusted, by_name)
    if known is not None and known.source == "cited":
        problems += _against_citations(ref, known)
    target = trusted or (_known_doc(by_name, ref) if by_name else None)
    unit = _unit(lookups, text, ref, target) if target and target.doc_id else None
    if unit and unit.get("status") == "not_found":
        problems.append(problem("unit_not_found", f"{unit['label']} không có trong {ref.number or ref.text}"))
    start = unit["start"] if unit and "start" in unit else ref.start
    return {
        "span": [start, ref.end],
        "text": text[start : ref.end],
        "reference": {
            "number": ref.number,
            "type": ref.type,
            "date": ref.date,
            "issuer": ref.issuer,
            "title": ref.title,
        },  # fmt: skip
        "in_corpus": bool(trusted and trusted.source == "corpus") or by_name is not None,
        "in_catalog": bool(ref.number) and catalog.lists(ref.number),
        "citation": unit["citation"]
        if unit and unit.get("status") == "found"
        else _citation(
            lookups, ref, trusted or (_known_doc(by_name, ref) if by_name and by_name["number"] else None)
        ),
        "status": "ok" if not problems and trusted else ("problem" if problems else "unverifiable"),
        "problems": problems,
        "unit": {k: v for k, v in unit.items() if k != "start"} if unit else None,
        "known": {"source": known.source, "date": known.date, "issuer": known.issuer} if known else None,
    }


def _problems(catalog: Catalog, ref: Reference, known: Known | None,
              by_name: dict[str, Any] | None = None) -> list[dict[str, str]]:  # fmt: skip
    out: list[dict[str, str]] = []
    if not ref.number:
        if not ref.title and re.search(r"\d", ref.text):  # "Quyết định số 161" with no definition before it
            out.append(problem("undefined_short_name",
                               f"“{ref.text}” là tên gọi tắt chưa được định nghĩa trước khi dùng"))  # fmt: skip
        return out
    year = re.match(r"^[0-9.]+[a-z]?/([0-9]{4})/", ref.number)
    if year and ref.date and year.group(1) != ref.date[:4]:
        out.append(problem("year_mismatch",
                           f"Năm trong số hiệu ({year.group(1)}) khác năm ban hành ghi trong văn bản ({ref.date[:4]})"))  # fmt: skip
    if known is not None and ref.date and known.date and ref.date != known.date:
        out.append(problem("date_mismatch", f"Ngày ban hành ghi {vn_date(ref.date)} nhưng "
                                            f"{ref.number} ban hành ngày {vn_date(known.date)}"))  # fmt: skip
    want = (known.issuer if known and known.issuer else None) or expected_issuer(ref.number)
    if ref.issuer and want and not _same_issuer(ref.issuer, want):
        out.append(problem("issuer_mismatch", f"Cơ quan ban hành ghi “{ref.issuer}” nhưng {ref.number} là văn bản "
                                              f"của {want}"))  # fmt: skip
    want_type = (known.type if known and known.type else None) or symbol_type(ref.number)
    if ref.type and want_type and not _same_type(ref.type, want_type):
        out.append(
            problem("type_mismatch", f"Loại văn bản ghi “{ref.type}” nhưng {ref.number} là {want_type}")
        )
    if by_name is not None and by_name["number"] and number_key(by_name["number"]) != number_key(ref.number):
        out.append(problem("number_mismatch", f"{designation({**by_name, 'number': None})} trong kho có số {by_name['number']}, "
                                              f"không phải {ref.number}"))  # fmt: skip
    elif known is None and by_name is None and catalog.covers(ref.number) and catalog.get(ref.number) is None:
        out.append(problem("not_found", f"Không có văn bản số {ref.number} trong kho và danh mục văn bản "
                                        f"đã biết ({len(catalog)} văn bản)"))  # fmt: skip
    return out


def _against_citations(ref: Reference, known: Known) -> list[dict[str, str]]:
    """A document known only from how the corpus cites it: a date of the same year that none of those
    citations gives is flagged (one of them is wrong). Numbers without a year (3743/KH-UBND) recur every
    year and in every province, so another year, or another issuer, is another document."""
    dates = {d for d in (known.date, *known.other_dates) if d}
    if not ref.date or not dates or ref.date in dates or all(d[:4] != ref.date[:4] for d in dates):
        return []
    if ref.issuer and known.issuer and not _same_issuer(ref.issuer, known.issuer):
        return []
    cited = ", ".join(vn_date(d) or d for d in sorted(dates))
    return [problem("date_differs_from_citations", f"Ngày ban hành ghi {vn_date(ref.date)} nhưng các văn bản "
                    f"trong kho trích dẫn {ref.number} ngày {cited}")]  # fmt: skip


def _by_name(lookups: _Lookups, ref: Reference) -> dict[str, Any] | None:
    """The corpus law a citation names ("Luật Cư trú") under a number nothing else knows: one held without
    a number, or one whose number shares the cited number's sequence or year (a slip: "73/2020/QH14" for
    73/2021/QH14). Laws only: a decree's or plan's title is often its predecessor's too, and an older law
    of the same name (Luật Giáo dục 2005 beside 2019) is another document."""
    if not ref.title or ref.type not in LAW_TYPES or not ref.number:
        return None
    doc = lookups.resolve(ref.type, ref.title)
    if doc is None or not doc.get("number"):
        return doc
    cited, held = number_key(ref.number).split("/"), number_key(doc["number"]).split("/")
    same_sequence = cited[0] == held[0]
    same_year = len(cited) > 2 and len(held) > 2 and cited[1] == held[1]
    return doc if same_sequence or same_year else None


def _known_doc(doc: dict[str, Any], ref: Reference) -> Known:
    return Known(doc["number"] or ref.number or "", doc["type"], doc.get("date"), doc.get("issuer_full"),
                 doc.get("title"), "corpus", doc["doc_id"])  # fmt: skip


def _norm_issuer(s: str) -> str:
    s = re.sub(r"^(?:Bộ trưởng|Chủ tịch|Thủ trưởng)\s+", "", s.strip())
    s = re.sub(r"\bUBND\b", "Ủy ban nhân dân", re.sub(r"\bHĐND\b", "Hội đồng nhân dân", s))
    return re.sub(r"[^a-z0-9]", "", fold(s))


def _same_issuer(written: str, known: str) -> bool:
    a, b = _norm_issuer(written), _norm_issuer(known)
    return a.startswith(b) or b.startswith(a) and len(a) >= 6


def _same_type(written: str, known: str) -> bool:
    w, k = fold(written).lower(), fold(known).lower()
    return w == k or w.startswith(k) or k.startswith(w) or {w, k} <= {"quy dinh", "quyet dinh"}


def _citation(lookups: _Lookups, ref: Reference, known: Known | None) -> str:
    """The formal citation to use: from the corpus or the catalog when known, else from what is written."""
    if known is not None and known.doc_id:
        citation = lookups.citation(known.doc_id)
        if citation is not None:
            return citation
    if known is not None:
        return designation(known.as_doc())
    if not ref.number and not ref.title:
        return ref.text  # a short name nothing defines: nothing to expand it to
    return designation({"type": ref.type or (symbol_type(ref.number) if ref.number else None),
                        "number": ref.number, "date": ref.date, "issuer_full": ref.issuer,
                        "title": ref.title})  # fmt: skip


def _unit(lookups: _Lookups, text: str, ref: Reference, known: Known) -> dict[str, Any] | None:
    """A unit quoted before the citation ("Khoản 2 Điều 5 …"): found in the corpus document, with its text."""
    m = _UNIT_BEFORE.search(text[max(0, ref.start - 80) : ref.start])
    if not m:
        return None
    start = max(0, ref.start - 80) + m.start()
    label = m.group(0).strip().rstrip(",").strip()
    label = re.sub(r"\s*,?\s*(?:của|tại|theo|thuộc)$", "", label)
    doc_id = str(known.doc_id)  # _finding asks only of a document with one
    doc, units = lookups.doc(doc_id), lookups.units(doc_id)
    if m.group("dieu"):
        want = [f"D{m.group('dieu')}"] + ([f"K{m.group('khoan')}"] if m.group("khoan") else [])
        want += [m.group("diem")] if m.group("diem") else []
        hit = units.by_suffix.get(tuple(want))  # the first unit whose path ends so
    else:
        number = m.group("muc") or m.group("phan")
        hits = [i for i in (units.by_path.get(number), units.by_label.get(number)) if i is not None]
        hit = min(hits) if hits else None  # the first unit with that path, or a section or part so labelled
    if hit is None:
        article_there = bool(m.group("dieu")) and (f"D{m.group('dieu')}",) in units.by_suffix
        status = (
            "unverifiable" if _may_lack(doc or {}, m.group("dieu")) and not article_there else "not_found"
        )
        return {"label": label, "status": status, "start": start}
    path, body, citation = lookups.found(doc_id, hit)
    return {"label": label, "status": "found", "path": path, "text": body, "citation": citation,
            "start": start}  # fmt: skip


def _may_lack(doc: dict[str, Any], dieu: str | None) -> bool:
    """Whether the corpus text may lack a unit the original has, so its absence proves nothing: a partial
    text (the corpus's 161/QĐ-TTg is its opening only), unless its `missing` note names only parts outside
    the articles (Nghị định 20 lacks its preamble and annex forms, not an article); an article the note
    names ("missing: Điều 45")."""
    meta = doc.get("metadata", {})
    missing = str(meta.get("missing") or "")
    if dieu is not None:
        if dieu in re.findall(r"Điều\s+(\d+[a-z]?)", missing):
            return True
        if meta.get("completeness") == "partial":
            return bool(_ARTICLES_MISSING.search(missing)) or not missing
        return False
    return meta.get("completeness") == "partial"


def _summary(findings: list[dict[str, Any]]) -> dict[str, int]:
    out = {"total": len(findings), "ok": 0, "problem": 0, "unverifiable": 0}
    for f in findings:
        out[f["status"]] += 1
    return out
