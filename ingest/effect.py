"""When a document takes effect, as it says of itself: "Nghị định này có hiệu lực từ ngày 01 tháng 7 năm
2021", "Quyết định này có hiệu lực kể từ ngày ký", "Luật này có hiệu lực thi hành kể từ ngày 01/01/2019",
"Thông tư này có hiệu lực thi hành sau 45 ngày kể từ ngày ký ban hành".

Only a statement whose subject is the document itself ("… này") counts: "Điều 5 có hiệu lực …" or a cited
document's date is not the document's own effective date. The first such statement wins (later ones are
usually exceptions for parts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .dates import DATE, number_words, parse_date
from .relations import _SELF

_EFFECT = re.compile(
    # "Nghị quyết này đã được Hội đồng nhân dân tỉnh … thông qua ngày … và có hiệu lực từ ngày …": the subject
    # may be a clause away from its "có hiệu lực"
    rf"\b{_SELF}(?:\s+(?:đã\s+được|được)\s[^.;\n]{{0,250}}?\s+và)?\s+có\s+hiệu\s+lực(?:\s+thi\s+hành)?"
    r"(?:\s+(?:chính\s+thức|toàn\s+bộ))?\s*"
    r"(?:(?:sau|kể\s+từ\s+sau)\s+(?P<n>\d{1,3}|[a-zà-ỹđ ]{3,20}?)\s+ngày"
    r"(?P<gazette>,?\s*(?:kể\s+)?từ\s+ngày\s+đăng\s+công\s+báo)?\s*,?\s*)?"
    r"(?:(?:trong\s+[^,.;\n]{1,20}?\s+)?(?:kể\s+)?từ\s+|vào\s+)?",  # "trong hai năm kể từ ngày …": from that day
    re.I,
)
_SIGNING = re.compile(
    r"(?:ngày\s+)?(?:ký|ban\s+hành|công\s+bố|thông\s+qua)(?:\s+(?:ban\s+hành|và\s+ban\s+hành))?\b", re.I
)
_DAY_WORD = re.compile(r"ngày\s+(?=\d{1,2}\s*[/-])", re.I)
_PART_SUBJECT = re.compile(r"\b(?:Điều|Khoản|Điểm|Chương|Mục)\s+[\w.]+\s*(?:,\s*)?(?:của\s+)?$", re.I)


@dataclass
class Effect:
    """A document's own entry into force."""

    date: str | None  # ISO, when the text gives it or it follows from the signing date
    basis: str  # "date" (written), "signing" (từ ngày ký), "after_signing" (sau N ngày kể từ ngày ký),
    #             "after_gazette" (sau N ngày kể từ ngày đăng Công báo: the date is not in the text)
    days: int | None  # N of "sau N ngày"
    start: int  # the stating sentence's span in the text given
    end: int
    unit_path: str = ""  # the unit holding it, once placed in a document (ingest/pipeline.py)
    section: str = ""
    until: str | None = None  # the first day it is no longer in force, when it says so of itself (a sunset)
    until_quote: str | None = None  # the sentence that says so

    def to_dict(self) -> dict[str, object]:
        return {"date": self.date, "basis": self.basis, "days": self.days, "span": [self.start, self.end],
                "unit_path": self.unit_path, "section": self.section, "until": self.until,
                "until_quote": self.until_quote}  # fmt: skip


def find_effect(text: str, signed: str | None = None, number: str | None = None) -> Effect | None:
    """The document's own entry into force; `signed` (ISO) resolves "kể từ ngày ký" and "sau N ngày". Its
    own end, when it states one ("… có hiệu lực … đến hết ngày 31/12/2025", "Nghị định này hết hiệu lực kể từ
    ngày …", or its own number "… hết hiệu lực …"), is `until`."""
    effect = _start(text, signed)
    if effect is not None:
        effect.until, effect.until_quote = _sunset(text, number)
    return effect


def _start(text: str, signed: str | None) -> Effect | None:
    for m in _EFFECT.finditer(text):
        if _PART_SUBJECT.search(text, max(0, m.start() - 40), m.start()):
            continue  # "Điều 5 Nghị định này có hiệu lực …": a part's date, not the document's
        rest = m.end()
        end = _sentence_end(text, m.start())
        days = number_words(m.group("n")) if m.group("n") else None
        if days is not None and _SIGNING.match(text, rest):
            when = (date.fromisoformat(signed) + timedelta(days=days)).isoformat() if signed else None
            return Effect(when, "after_signing", days, _sentence_start(text, m.start()), end)
        if days is not None and m.group("gazette"):
            return Effect(None, "after_gazette", days, _sentence_start(text, m.start()), end)
        if _SIGNING.match(text, rest):
            return Effect(signed, "signing", None, _sentence_start(text, m.start()), end)
        at = rest + (d.end() - d.start() if (d := _DAY_WORD.match(text, rest)) else 0)
        if (found := DATE.match(text, at)) and (iso := parse_date(found)):
            return Effect(iso, "date", None, _sentence_start(text, m.start()), end)
    return None


def _sunset(text: str, number: str | None) -> tuple[str | None, str | None]:
    """The first day a document says it is no longer in force, and the sentence saying so."""
    own = rf"{_SELF}" + (rf"|(?:\S+\s+){{0,3}}số\s+{re.escape(number)}" if number else "")
    for m in re.finditer(
        rf"(?:\b(?:{own}))[^.;\n]{{0,200}}?\b(?:hết\s+hiệu\s+lực|có\s+hiệu\s+lực)", text, re.I
    ):
        tail = text[m.end() : m.end() + 120]
        until = re.match(
            r"[^.;\n]{0,80}?\bđến\s+(?:hết\s+)?(?=ngày)", tail, re.I
        )  # "… đến hết ngày D": D + 1
        ends = (
            re.match(r"\s*(?:thi\s+hành\s+)?(?:kể\s+)?từ\s+(?=ngày)", tail, re.I)
            if "hết" in m.group(0)[-16:]
            else None
        )
        hit = until or ends
        if hit is None:
            continue
        at = hit.end() + (d.end() - d.start() if (d := _DAY_WORD.match(tail, hit.end())) else 0)
        if (found := DATE.match(tail, at)) and (iso := parse_date(found)):
            day = date.fromisoformat(iso) + timedelta(days=1 if until else 0)
            return day.isoformat(), text[m.start() : _sentence_end(text, m.end())].strip()
    return None, None


def _sentence_start(text: str, at: int) -> int:
    starts = [text.rfind(c, 0, at) for c in ("\n", ". ")]
    start = max(starts)
    return 0 if start < 0 else start + (1 if text[start] == "\n" else 2)


def _sentence_end(text: str, at: int) -> int:
    ends = [i for i in (text.find("\n", at), text.find(". ", at)) if i >= 0]
    return min(ends) + (1 if ends and text[min(ends)] == "." else 0) if ends else len(text)
