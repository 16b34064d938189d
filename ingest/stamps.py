"""The number and day of a digitally signed document, read from the stamps drawn at signing.

Documents signed in the e-office systems leave blanks in their page text — "Số:      /UBND-VX",
"Quảng Ngãi, ngày     tháng     năm 2024" — and the number and day are drawn over them at signing by
annotations (signature widgets, stamps) whose appearance streams hold the text. Those streams are read as a
small page of their own; a blank is filled only from one unambiguous stamp (one number, one date, agreeing
with what the page prints: the symbol after the number, the year), otherwise it stays blank — the header then
has no number rather than a guessed one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_STAMPS = 64  # annotations read per page: a form with thousands of widgets is not a signature
STAMP_PAGES = 2  # the number and day are on the first page (a cover letter: the second)

_BLANK_NUMBER = re.compile(r"^([ \t]*Số\s*[:.]?[ \t]*)(/[^\s]+)", re.M)
_BLANK_DATE = re.compile(
    r"ng[àa]y[ \t]*(?:\n[ \t]*)?th[áa]ng[ \t]*(?:\n[ \t]*)?n[ăa]m(?:[ \t]*\n?[ \t]*(\d{4}))?", re.I
)
_NUMBER = re.compile(r"^\s*(?:Số\s*[:.]?\s*)?(\d{1,6})\s*(/[\w.&-]+)?\s*$", re.I)
_DATE = re.compile(
    r"^\s*(?:ng[àa]y\s*)?(\d{1,2})\s*(?:[/.-]|\s+th[áa]ng\s+)(\d{1,2})\s*(?:[/.-]|\s+n[ăa]m\s+)(\d{4})\s*$",
    re.I,
)


@dataclass(frozen=True)
class Stamp:
    page: int
    text: str


def read_stamps(reader, pages: int = STAMP_PAGES) -> list[Stamp]:
    """The text each annotation with an appearance stream draws on the first pages."""
    from pypdf import PageObject
    from pypdf.generic import DictionaryObject, NameObject, StreamObject

    out: list[Stamp] = []
    for number, page in enumerate(reader.pages[:pages]):
        annots = page.get("/Annots")
        annots = annots.get_object() if annots is not None else []
        for ref in list(annots)[:MAX_STAMPS]:
            try:
                appearance = ref.get_object()["/AP"]["/N"].get_object()
            except (KeyError, TypeError, AttributeError):
                continue
            if not isinstance(appearance, StreamObject):
                continue  # a check box's states, not a drawing
            canvas = PageObject.create_blank_page(width=600, height=200)
            canvas[NameObject("/Resources")] = appearance.get("/Resources", DictionaryObject())
            canvas.replace_contents(appearance)
            try:
                text = canvas.extract_text() or ""
            except Exception:  # noqa: BLE001 - a stamp pypdf cannot draw is a stamp not read
                continue
            if text.strip():
                out.append(Stamp(number, text.strip()))
    return out


def fill_blanks(text: str, stamps: list[Stamp]) -> str:
    """The page text with its blank number and blank day filled from the stamps, where they say one thing."""
    if not stamps:
        return text
    lines = [line for s in stamps for line in s.text.splitlines()]
    blank = _BLANK_NUMBER.search(text)
    if blank:
        numbers = {(m.group(1).lstrip("0") or "0", m.group(2)) for m in map(_NUMBER.match, lines) if m}
        fitting = {n for n, symbol in numbers if symbol in (None, blank.group(2))}
        if len(numbers) == 1 and len(fitting) == 1:
            text = f"{text[: blank.end(1)]}{fitting.pop()}{text[blank.start(2) :]}"
    day = _BLANK_DATE.search(text)
    if day:
        dates = {(int(m.group(1)), int(m.group(2)), m.group(3)) for m in map(_DATE.match, lines) if m}
        if len(dates) == 1:
            d, mo, y = dates.pop()
            if 1 <= d <= 31 and 1 <= mo <= 12 and day.group(1) in (None, y):
                text = f"{text[: day.start()]}ngày {d:02d} tháng {mo:02d} năm {y}{text[day.end() :]}"
    return text


def stamped_pages(reader, pages: list[str]) -> list[str]:
    """The pages' text with the first pages' blanks filled from their stamps (read only when a blank is there)."""
    first = pages[:STAMP_PAGES]
    if not any(_BLANK_NUMBER.search(p) or _BLANK_DATE.search(p) for p in first):
        return pages
    stamps = read_stamps(reader)
    filled = [fill_blanks(p, [s for s in stamps if s.page == i]) for i, p in enumerate(first)]
    return filled + pages[STAMP_PAGES:]
