"""The one table model DOCX and HTML tables are written in: a two-row header folded into one, a wide
table's rows one line each (cells joined by " | ", as PDF rows and markdown pipes come), a narrow
layout table's cells as paragraphs."""

from __future__ import annotations

from ..normalize import (
    merge_header_rows,
    table_row,
)

MAX_SPAN = (
    64  # columns (or rows) one merged cell can stand for: colspan="100000000", gridSpan in a hostile file
)


def table_lines(rows: list[list[list[str]]]) -> list[str]:
    """DOCX and HTML tables, rows of cells of paragraphs, as text: a two-row header as one
    (`merge_header_rows`); each row of a wide table one line, cells joined by " | " (as PDF tables and
    markdown pipes come); the cells of narrow layout tables (header blocks, signatures) their own paragraphs."""
    texts = [[" ".join(t.strip() for t in cell if t.strip()) for cell in row] for row in rows]
    texts, folded = merge_header_rows(texts)
    if folded is not None:
        rows = [*rows[:folded], *rows[folded + 1 :]]
    out: list[str] = []
    for cells, row in zip(texts, rows, strict=True):
        wide = table_row(cells)
        if wide is not None:
            out.extend([wide, ""])
            continue
        for paragraphs in row:
            out.extend([*paragraphs, ""])
    return out
