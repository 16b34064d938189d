"""The checked draft as a Word file: each citation highlighted (green: correct, red: a problem, yellow:
unverifiable) with a comment giving the problems and the formal citation to use."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.text import WD_COLOR_INDEX

from .export import xml_safe

_COLOURS = {
    "ok": WD_COLOR_INDEX.BRIGHT_GREEN,
    "problem": WD_COLOR_INDEX.RED,
    "unverifiable": WD_COLOR_INDEX.YELLOW,
}


def comment_text(f: dict[str, Any]) -> str:
    lines = [p["message"] for p in f["problems"]]
    if f["status"] == "unverifiable":
        lines.append("Văn bản không có trong kho và danh mục: không kiểm chứng được (không phải là sai).")
    lines.append(f"Trích dẫn chuẩn: {f['citation']}")
    if f.get("unit") and f["unit"].get("status") == "found":
        lines.append(f"{f['unit']['citation']}: {f['unit']['text'][:300]}")
    return "\n".join(lines)


def annotated_docx(text: str, findings: list[dict[str, Any]]) -> bytes:
    """One paragraph per line of the draft; citation spans as highlighted runs carrying a comment."""
    doc = Document()
    text, findings = xml_safe(text), xml_safe(findings)  # one for one: the spans still fall on the text
    spans = sorted(findings, key=lambda f: f["span"][0])
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        para = doc.add_paragraph()
        at = start
        for f in spans:
            s, e = f["span"]
            if e <= start or s >= end:
                continue
            s, e = max(s, start), min(e, end)
            if s > at:
                para.add_run(text[at:s])
            run = para.add_run(text[s:e])
            run.font.highlight_color = _COLOURS.get(f["status"], WD_COLOR_INDEX.YELLOW)
            doc.add_comment(run, text=comment_text(f), author="tracuu", initials="TC")
            at = e
        if at < end:
            para.add_run(text[at:end])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
