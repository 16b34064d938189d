"""The text of a WordprocessingML body as Word shows it: blocks in order, each paragraph's visible text.

python-docx's `CT_P.text` reads only the runs and hyperlinks directly under a paragraph, so it drops
what sits one level deeper: content controls (`w:sdt`, how e-office templates hold "Số: …" and the
date), tracked insertions (`w:ins`), smart tags, simple fields, custom XML — and body-level content
controls lose whole paragraphs. Here every visible `w:t` counts; deleted and moved-away text, field
codes and the fallback copy of a drawing do not; a text box's paragraphs follow the paragraph that
anchors them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

WML = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_HIDDEN = {f"{WML}del", f"{WML}moveFrom", f"{WML}pPr", f"{WML}rPr", f"{WML}instrText", f"{WML}delText",
           f"{WML}txbxContent", f"{_MC}Fallback", f"{WML}footnoteReference", f"{WML}endnoteReference"}  # fmt: skip
_CHARS = {
    f"{WML}tab": "\t",
    f"{WML}ptab": "\t",
    f"{WML}br": "\n",
    f"{WML}cr": "\n",
    f"{WML}noBreakHyphen": "-",
}
_WRAPPERS = {
    f"{WML}sdt",
    f"{WML}sdtContent",
    f"{WML}customXml",
    f"{WML}ins",
    f"{WML}moveTo",
    f"{WML}smartTag",
}


def _tag(el) -> str:
    return el.tag if isinstance(el.tag, str) else ""  # comments and processing instructions have no name


def _descend(root, enter: Callable[[object], bool]) -> Iterator:
    """Every element under `root` in document order, looking inside those `enter` accepts; an explicit
    stack, so a hostile file's deep nesting costs memory, never the interpreter's recursion limit."""
    stack = [iter(root)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        yield child
        if enter(child):
            stack.append(iter(child))


def switched_on(prop) -> bool:
    """A WordprocessingML on/off property (`<w:vanish/>`, `<w:isLgl w:val="0"/>`): present and not "0"/"false"."""
    return prop is not None and prop.get(f"{WML}val", "true") not in ("0", "false", "off")


def _shown(el) -> bool:
    """Not hidden text: a run formatted `w:vanish` is not on the page."""
    return not (_tag(el) == f"{WML}r" and switched_on(el.find(f"{WML}rPr/{WML}vanish")))


def paragraph_text(p) -> str:
    """The visible text of one `w:p`, at any depth of wrapping."""
    out: list[str] = []
    for el in _descend(p, lambda el: _tag(el) not in _HIDDEN and len(el) > 0 and _shown(el)):
        tag = _tag(el)
        if tag == f"{WML}t":
            out.append(el.text or "")
        elif tag in _CHARS:
            out.append(_CHARS[tag])
    return "".join(out)


def text_boxes(p) -> list:
    """The text boxes a paragraph anchors (`w:txbxContent`), each once: the copy under `mc:Fallback`
    repeats the one under `mc:Choice`."""
    boxes = []
    for box in p.iter(f"{WML}txbxContent"):
        if not any(a.tag == f"{_MC}Fallback" for a in box.iterancestors()):
            boxes.append(box)
    return [b for b in boxes if not any(a.tag == f"{WML}txbxContent" for a in b.iterancestors())]


def blocks(container) -> Iterator[tuple[str, object]]:
    """("p", paragraph) and ("tbl", table) in reading order, looking through content controls and custom
    XML at block level, and giving a paragraph's text boxes right after it."""
    for el in _descend(container, lambda el: _tag(el) in _WRAPPERS):
        if _tag(el) == f"{WML}p":
            yield "p", el
            for box in text_boxes(el):
                yield from blocks(box)
        elif _tag(el) == f"{WML}tbl":
            yield "tbl", el


def children(el, tag: str) -> list:
    """`el`'s children named `tag` (without the namespace: "tr", "tc"), looking through content controls
    and custom XML: rows and cells a template wraps in a content control are still the table's."""
    return [c for c in _descend(el, lambda c: _tag(c) in _WRAPPERS) if _tag(c) == f"{WML}{tag}"]


MAX_NESTED_TABLES = 4  # tables in tables in cells: deeper ones are layout, and each level multiplies work


def cell_lines(tc, text: Callable[[object], str], depth: int = 0) -> list[str]:
    """A table cell's paragraphs (through content controls, text boxes after their anchor); a table nested
    in the cell gives one line per row, its cells (read the same way) joined by spaces."""
    lines: list[str] = []
    for kind, block in blocks(tc):
        if kind == "p":
            lines.append(text(block))
        elif depth < MAX_NESTED_TABLES:
            for tr in children(block, "tr"):
                cells = [" ".join(cell_lines(inner, text, depth + 1)) for inner in children(tr, "tc")]
                lines.append(" ".join(c.strip() for c in cells if c.strip()))
    return lines
