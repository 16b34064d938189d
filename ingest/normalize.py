"""Text normalisation: one Unicode form, one tone-placement convention, clean lines.

Display text keeps what the author wrote (NFC, "Đ" fixed); `match_form` gives the form used for
matching, with the same length so offsets stay valid.
"""

from __future__ import annotations

import bisect
import re
import unicodedata

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
_CHAR_FIXES = str.maketrans(
    {
        "\u00d0": "Đ",  # Icelandic Eth, often typed for Đ
        "\u00f0": "đ",
        "\u0189": "Đ",  # African D
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u200b": None,  # zero-width space
        "\u200c": None,
        "\u200d": None,
        "\ufeff": None,
        "\u00ad": None,  # soft hyphen
        "\t": " ",
        "\r": None,
    }
)
# the lower-case letters of Vietnamese, for a character class: "[a-zà-ỹ]" would take most capitals with
# diacritics too ("Đ", "Ă", "Ơ", "Ư", "Ạ" … lie between "à" and "ỹ")
LOWER = "a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
UPPER = LOWER.upper()
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """NFC, "Ð"→"Đ", no control or zero-width characters, "\\n" line ends. Safe for display."""
    text = text.replace("\r\n", "\n")
    text = unicodedata.normalize("NFC", text).translate(_CHAR_FIXES)
    return _CONTROL.sub("", text)


# Old-style tone placement ("hoà", "khoẻ", "thuỷ") → new style ("hòa", "khỏe", "thủy").
_OLD_TONE = re.compile(r"(?<![qQ])([oOuU])([^\W\d_])(?![^\W\d_])")
_PAIRS = {("o", "a"), ("o", "e"), ("u", "y")}


def _move_tone(m: re.Match[str]) -> str:
    first, second = m.group(1), m.group(2)
    parts = unicodedata.normalize("NFD", second)
    base, marks = parts[0], parts[1:]
    if (first.lower(), base.lower()) not in _PAIRS or len(marks) != 1 or marks not in _TONES:
        return m.group(0)
    return unicodedata.normalize("NFC", first + marks) + base


def match_form(text: str) -> str:
    """The form used for matching: new-style tone placement. Same length as `text`."""
    return _OLD_TONE.sub(_move_tone, text)


def fold(text: str) -> str:
    """Lowercase, no diacritics, đ→d: what a query typed without accents looks like."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c))


# ---------------------------------------------------------------- markdown / crawler layout
# These run on every line of markdown, however long, so none may backtrack over a line: links are found by
# `_strip_links` (a line of "[" took quadratic time), no white space around a rule (spaces before "a---"
# were tried from every space), and a table separator is checked cell by cell (see `_table_separator`).
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_RULE = re.compile(r"[-_=—–]{3,}")  # the pieces around a rule are stripped
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_SEP_CELL = re.compile(r":?-{2,}:?")
_SEP_LAST = re.compile(r":?-*:?")


def _strip_links(line: str) -> str:
    """Markdown links and images to their text: what `re.sub(r"!?\\[([^\\]]*)\\]\\([^)]*\\)", r"\\1", line)` does,
    in linear time. That pattern scans from every "[" to the next "]", so a line of "[" took quadratic
    time; here every "[" before the same "]" shares one scan."""
    out: list[str] = []
    pos = i = 0
    close = paren = -1
    while (i := line.find("[", i)) >= 0:
        if close < i:
            close = line.find("]", i)
            if close < 0:
                break
        if line.startswith("(", close + 1):
            if paren < close:
                paren = line.find(")", close + 2)
                if paren < 0:
                    break
            start = i - 1 if i > pos and line[i - 1] == "!" else i
            out += [line[pos:start], line[i + 1 : close]]
            pos = i = paren + 1
        else:
            i += 1
    return "".join(out) + line[pos:] if out else line


def _table_separator(line: str) -> bool:
    """A markdown table's "| --- | :--: |" line: what `^\\s*\\|?(\\s*:?-{2,}:?\\s*\\|)+\\s*:?-*:?\\s*$` says, in linear
    time (that pattern took quadratic time on a long line of spaces)."""
    if "|" not in line or "--" not in line:
        return False
    cells = line.split("|")
    body = cells[1:-1] if not cells[0].strip() else cells[:-1]
    return (
        bool(body)
        and all(_SEP_CELL.fullmatch(c.strip()) for c in body)
        and _SEP_LAST.fullmatch(cells[-1].strip()) is not None
    )


def _is_pipe(line: str) -> bool:
    return line.strip() == "|"


def _bold(cell: list[str]) -> bool:
    text = " ".join(x.strip() for x in cell).strip()
    return len(text) > 4 and text.startswith("**") and text.endswith("**")


def cell_per_line_tables(lines: list[str]) -> list[str]:
    """Tables saved from the web with every cell on lines of its own between lines holding only "|" (a row:
    "|", cell, "|", cell, …, "|"; the next row opens with another "|") back to one line per row, "| a | b |",
    so the rows read as rows of any other table. Only where the first row is a header (every cell bold, at
    least `TABLE_MIN_COLUMNS`) and each following row has its cells then the row's closing "|": the rows
    that do not fit are left as they were, so a header block or a page's metadata is never re-cut."""
    out: list[str] = []
    i, n = 0, len(lines)
    while i < n:
        if not _is_pipe(lines[i]):
            out.append(lines[i])
            i += 1
            continue
        j = i  # the run of non-blank lines from this "|", split once into cells ([] between two "|" lines)
        while j < n and lines[j].strip():
            j += 1
        pipes = [k for k in range(i, j) if _is_pipe(lines[k])]
        cells = [lines[a + 1 : b] for a, b in zip(pipes, pipes[1:], strict=False)]
        # where a row can open: after a row's closing "|" (an empty cell), never mid-row
        opens = [c for c in range(2, len(cells)) if not cells[c - 1]]
        c, done = 0, i  # the cell tried, the lines already written
        while c < len(cells):
            rows, after = _aligned_rows(cells, c)
            if rows:
                out.extend(lines[done : pipes[c]])
                out.extend(["", *("| " + " | ".join(r) + " |" for r in rows), ""])
                done = pipes[after] if after < len(cells) else pipes[-1] + 1  # its last closing "|" read
                c = after
                continue
            nxt = bisect.bisect_left(opens, c + 2)
            c = opens[nxt] if nxt < len(opens) else len(cells)
        out.extend(lines[done:j])
        i = j
    return out


def _aligned_rows(cells: list[list[str]], c: int) -> tuple[list[list[str]], int]:
    """The rows of a cell-per-line table whose header is cell `c` on (see `cell_per_line_tables`), and the
    cell after the last row read."""
    width = next((k - c for k in range(c, len(cells)) if not cells[k]), len(cells) - c)
    if width < TABLE_MIN_COLUMNS or not all(_bold(x) for x in cells[c : c + width]):
        return [], c
    rows, k = [], c
    while k + width <= len(cells) and cells[k] and (k + width == len(cells) or not cells[k + width]):
        rows.append([" ".join(x.strip() for x in cell).strip() for cell in cells[k : k + width]])
        k += width + 1  # the last row may close the run without a next row's opening "|"
    if len(rows) < 2:
        return [], c
    return rows, min(k, len(cells))


def strip_markdown(text: str) -> str:
    """Markdown/crawler markup to plain lines: no bold/italic marks, table cells on their own lines,
    no rules. Line structure (blank lines between paragraphs) is kept."""
    out: list[str] = []
    lines = text.split("\n")
    if sum(map(_is_pipe, lines)) >= 2 * TABLE_MIN_COLUMNS:
        lines = cell_per_line_tables(lines)
    for line in lines:
        if _table_separator(line):
            out.append("")
            continue
        line = _HEADING.sub("", line)
        line = _strip_links(line)
        line = _MD_ESCAPE.sub(r"\1", line)
        line = line.replace("**", "").replace("__", "")
        if line.lstrip().startswith("* "):
            line = "- " + line.lstrip()[2:]
        line = line.replace("*", "")
        if line.lstrip().startswith(">"):
            line = line.lstrip()[1:]
        cells = line.split("|") if "|" in line else [line]
        row = table_row(cells)
        if row is not None:  # a wide table row stays one line: its columns carry meaning (Cơ quan chủ trì …)
            out.extend([row, ""])
            continue
        for cell in cells:
            pieces = _RULE.split(cell) if re.search(r"[-_=—–]{3,}", cell) else [cell]
            for piece in pieces:
                out.append(piece.strip() if len(cells) > 1 or len(pieces) > 1 else piece.rstrip())
            if len(cells) > 1:
                out.append("")
    return "\n".join(out)


TABLE_MIN_COLUMNS = 4
CELL_SEP = " | "


def table_row(cells: list[str]) -> str | None:
    """A row of a wide table as one line, cells joined by " | "; None for narrow (layout) tables,
    whose cells read better as their own lines (header blocks, signature tables)."""
    if cells and not cells[0].strip():
        cells = cells[1:]
    if cells and not cells[-1].strip():
        cells = cells[:-1]
    cells = [c.strip() for c in cells]
    if len(cells) < TABLE_MIN_COLUMNS or sum(1 for c in cells if c) < 2:
        return None
    return CELL_SEP.join(cells)


HEADER_ROWS_SEARCHED = 3  # a two-row header stands among a table's first rows (a title row may come first)


def merge_header_rows(rows: list[list[str]]) -> tuple[list[list[str]], int | None]:
    """A header of two rows (a cell spanning sub-columns named on the row below: "Cơ quan thực hiện" over
    "Chủ trì | Phối hợp"; cells beside it merged down) as one row naming each column by both, so a table of
    any format has one header row. Merged-across cells arrive empty ("") after their text, merged-down
    cells repeated. Returns the rows and the index of the row folded into the one above (None: no merge).
    A data row never merges: the row below must name every sub-column, in short labels without figures, and
    the row above must name at least two columns beside the group (a section row "I | CÔNG TÁC …" does not)."""
    for k in range(min(HEADER_ROWS_SEARCHED, len(rows) - 1)):
        top, sub = rows[k], rows[k + 1]
        if len(top) != len(sub) or len(top) < TABLE_MIN_COLUMNS or not top[0].strip():
            continue
        filled, spanned = list(top), set()
        for i in range(1, len(top)):
            if not top[i].strip() and filled[i - 1].strip():
                filled[i] = filled[i - 1]
                spanned |= {i - 1, i}
        named = [c.strip() for c in sub if c.strip()]
        beside = [i for i in range(len(top)) if i not in spanned and top[i].strip()]
        if (
            not spanned
            or len(beside)
            < 2  # a header names its other columns too; a group row ("I | Công tác …") does not
            or any(not sub[i].strip() for i in spanned)
            or any(sub[i].strip() and sub[i] != top[i] for i in range(len(top)) if i not in spanned)
            or any(len(c) > 40 or re.search(r"\d", c) for c in named)
        ):
            continue
        merged = [
            f"{t} {s}".strip() if i in spanned else t
            for i, (t, s) in enumerate(zip(filled, sub, strict=True))
        ]
        return [*rows[:k], merged, *rows[k + 2 :]], k + 1
    return rows, None


def article_start(line: str) -> bool:
    """ "Điều 6. Title", "Điều 6: …", "Điều 6 - Title", "Điều 6 (được sửa đổi)", "Điều 6" alone: an article's
    heading. Not a wrapped citation's next line ("Điều 6; khoản 5 Điều 9; …", "Điều 8 của Luật …")."""
    m = _ARTICLE_NUMBER.match(line)
    if m is None:
        return False
    rest = line[m.end() :]
    if rest[:1] in (";", ",") or rest[:1].isdigit():
        return False
    rest = rest.lstrip()
    return not rest or not rest[0].islower()


_ARTICLE_NUMBER = re.compile(r"^\s*Điều\s+\d+[a-z]?")
_MARKER = re.compile(
    r"^\s*(?:[-–—•+]\s|[IVXLC]+\.\s|[A-ZĐ]\.\s|\d+(?:\.\d+)*\.\s|[a-zđ]\)"
    r"|Chương\s+[IVXLC\d]|Mục\s+\d"
    r"|Nơi nhận|Căn cứ|Kính gửi|V/v\b)"
)


def is_marker(line: str) -> bool:
    """Does a line open a unit of its own (a numbered point, a bullet, an article, "Nơi nhận" …)?"""
    return bool(_MARKER.match(line)) or article_start(line)


def looks_hard_wrapped(lines: list[str]) -> bool:
    """Crawled text wrapped at ~80 columns: many lines go on, lower-case, on the next line."""
    pairs = continued = 0
    for line, nxt in zip(lines, lines[1:], strict=False):
        a, b = line.strip(), nxt.strip()
        if a and b:
            pairs += 1
            if (b[0].islower() or b[0].isdigit()) and a[-1] not in ".;:!?" and len(a) >= 40:
                continued += 1
    return continued >= 10 and continued >= 0.15 * pairs


_HEADER_LINES = 40  # where a document's header block lies, in lines
MOTTO = re.compile(r"Độc\s*lập\s*[-–—]\s*Tự\s*[dđ]o", re.I)  # the quốc hiệu's second line (header.py too)
_HEADER_MARK = re.compile(
    rf"{MOTTO.pattern}|ng[àa]y\s*\S{{1,3}}\s*th[áa]ng\s*\d{{1,2}}\s*n[ăa]m\s*\d{{4}}|^\s*s[ốóo]\s*:", re.I
)


def _shouting(line: str) -> bool:
    """In capitals, OCR's stray lower-case marks allowed."""
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) >= 0.85 * len(letters)


def _header_break(prev: str, line: str) -> bool:
    """Lines of the header block that wrapping never joins: the motto, the place and date, the number, and a
    line in capitals next to one that is not ("TRƯỜNG ĐẠI HỌC …" after the motto). Capitals after capitals
    are one name wrapped ("CỘNG HÒA XÃ" / "HỘI CHỦ NGHĨA VIỆT NAM")."""
    if not prev.strip() or not line.strip():
        return False
    if _HEADER_MARK.search(line) or _HEADER_MARK.search(prev):
        return True
    return _shouting(prev) != _shouting(line)


def rejoin_lines(text: str) -> str:
    """Join lines that continue a paragraph (no blank line between, next line not a list/heading marker).

    Each paragraph is kept as pieces and joined once: joining line by line copied the paragraph for
    every line, quadratic in its length (32,000 wrapped lines with no blank line: 8 s; 20 MB: minutes).
    `join_pair` only looks at the last two characters of the left side."""
    out: list[list[str]] = []
    for n, line in enumerate(text.split("\n")):
        keep = n < _HEADER_LINES and bool(out) and _header_break(out[-1][-1], line)
        if out and out[-1][0] and line.strip() and not is_marker(line) and not keep:
            pieces = out[-1]
            tail = (
                pieces[-1][-2:] if len(pieces[-1]) >= 2 or len(pieces) == 1 else pieces[-2][-1:] + pieces[-1]
            )
            pieces.append(join_pair(tail, line)[len(tail) :])
        else:
            out.append([line.strip() if not line.strip() else line.rstrip()])
    return "\n".join("".join(pieces) for pieces in out)


def join_pair(left: str, right: str) -> str:
    """Join two wrapped pieces: "2021-" + "2025" → "2021-2025", otherwise with one space."""
    left, right = left.rstrip(), right.strip()
    if left.endswith("-") and right[:1].isalnum() and len(left) > 1 and left[-2].isalnum():
        return left + right
    return f"{left} {right}"


def squeeze_blank_lines(text: str) -> str:
    text = re.sub(r"[ ]{2,}", " ", text)
    text = re.sub(r"[ ]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


# ---------------------------------------------------------------- PDF pages
_PAGE_NUMBER = re.compile(r"^\s*(?:[-–]\s*)?(?:Trang\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?(?:\s*[-–])?\s*$", re.I)


def _chrome_key(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def pdf_pages_to_text(pages: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Rebuild paragraphs from PDF page lines; drop running headers/footers and page numbers.

    Returns the text and (offset, page number) marks, page numbers starting at 1.
    """
    page_lines = [[ln.rstrip() for ln in clean_text(p).split("\n")] for p in pages]
    # A line that opens or closes most pages (digits ignored) is a running header or footer.
    edge_counts: dict[str, int] = {}
    for lines in page_lines:
        body = [ln for ln in lines if ln.strip()]
        for ln in {*body[:2], *body[-2:]}:
            edge_counts[_chrome_key(ln)] = edge_counts.get(_chrome_key(ln), 0) + 1
    repeated = {k for k, n in edge_counts.items() if len(pages) >= 3 and n >= max(3, len(pages) * 0.6)}

    widths = sorted(
        len(ln.strip()) for lines in page_lines for ln in lines if ln.strip() and CELL_SEP not in ln
    )
    full = widths[int(len(widths) * 0.8)] if widths else 0  # a full line of justified text
    paragraphs: list[tuple[str, int]] = []  # (text, page)
    prev_line = ""
    for number, lines in enumerate(page_lines, start=1):
        body = [ln for ln in lines if ln.strip()]
        for i, ln in enumerate(body):
            at_edge = i < 2 or i >= len(body) - 2
            if at_edge and CELL_SEP not in ln and (_PAGE_NUMBER.match(ln) or _chrome_key(ln) in repeated):
                continue
            ln = re.sub(r"\s{2,}", " ", ln.strip())
            header = number == 1 and 0 < i < _HEADER_LINES and _header_break(prev_line, ln)
            if not paragraphs or header or _starts_paragraph(prev_line, ln, full, paragraphs[-1][0]):
                paragraphs.append((ln, number))
            else:
                paragraphs[-1] = (join_pair(paragraphs[-1][0], ln), paragraphs[-1][1])
            prev_line = ln
    parts: list[str] = []
    marks: list[tuple[int, int]] = []
    offset = 0
    last_page = 0
    for text, page in paragraphs:
        if page != last_page:
            marks.append((offset, page))
            last_page = page
        parts.append(text)
        offset += len(text) + 2
    return "\n\n".join(parts), marks


_NUMBERED_HEADING = re.compile(r"^(?:[IVXLC]+|\d+(?:\.\d+)*)\.\s")
_OPEN_END = re.compile(r"(?:\b(?:và|của|với|các|cho|tại|về|theo|trong|là|được|hoặc|do|qua)|[,(–-])$")


def _starts_paragraph(prev: str, line: str, full: int, paragraph: str) -> bool:
    """Does a PDF line open a new paragraph?

    Yes after a line that stopped short of the full width (a heading, a header line, the end of a
    paragraph); yes for a marker (a), 1., I.) — but a dash after a full, unfinished line is the rest
    of a wrapped range ("… giai đoạn 2021 / - 2025"); yes for a capital after a finished sentence or
    after a one-line numbered heading."""
    prev = prev.rstrip()
    if not prev or len(prev) < 0.7 * full or CELL_SEP in prev or CELL_SEP in line:  # a table row: a line
        return True
    ends_sentence = prev[-1] in ".:;!?"
    heading = paragraph == prev and bool(_NUMBERED_HEADING.match(prev))  # a one-line numbered heading
    if is_marker(line):  # "- Chỉ đạo chung …" under "1. Đồng chí … Trưởng Ban tổ chức" is its bullet
        if re.match(r"^[-–—•+]\s", line):  # but "giai đoạn 2021" / "- 2025 …" is a range wrapped
            return ends_sentence or (heading and not re.match(r"^[-–—]\s*\d", line))
        return True
    if not line[:1].isupper():
        return False
    # "1. Tổ chức tập huấn … (Văn phòng HĐND và" / "UBND xã chủ trì …": a line that stops mid-phrase goes on,
    # as does one inside a bracket it has not closed ("… về Sở Y tế (qua" / "Phòng Nghiệp vụ Y) trước …")
    if paragraph.count("(") > paragraph.count(")"):
        return False
    return ends_sentence or (heading and not _OPEN_END.search(prev))
