"""Word's automatic numbering, rendered as the labels a reader sees ("1.", "a)", "II.", "-").

A paragraph numbered by Word (`w:numPr`, on the paragraph or through its style) carries no "1." in its
text: the label is drawn from word/numbering.xml at display time. Plans typed with Word's list buttons
lose every "1." / "a)" / "-" without this, and with them the parts, points and bullets the structure and
the assignment rules are built on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .docx_text import WML, switched_on

_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]  # fmt: skip
_MAX_LEVELS = 9
_MAX_LETTERS = 26 * 30  # "a" … "zz…z" (30 letters); past that Word's letters are no label anyone reads


@dataclass(frozen=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    legal: bool = False  # isLgl: every number of the label in decimal ("1.2" under "II")


@dataclass
class Numbering:
    """The lists of one document and their running counters; `label(p)` advances them like Word."""

    levels: dict[str, dict[int, Level]] = field(default_factory=dict)  # numId → ilvl → level
    overrides: dict[str, dict[int, int]] = field(default_factory=dict)  # numId → ilvl → start
    styles: dict[str, tuple[str | None, int | None, str | None]] = field(default_factory=dict)
    counters: dict[str, list[int | None]] = field(default_factory=dict)  # list → ilvl → current number
    lists: dict[str, str] = field(
        default_factory=dict
    )  # numId → its counters (lists of one abstractNum share)
    labels: dict[object, str] = field(default_factory=dict)  # paragraph → its label, once counted

    @classmethod
    def parse(cls, numbering_xml: bytes | None, styles_xml: bytes | None) -> Numbering:
        """Both parts are optional: a document without lists has no numbering.xml."""
        made = cls()
        if styles_xml:
            made.styles = _styles(_root(styles_xml))
        if numbering_xml:
            made._read(_root(numbering_xml))
        return made

    def _read(self, root) -> None:
        abstract: dict[str, dict[int, Level]] = {}
        links: dict[str, str] = {}  # abstractNumId → the numbering style it takes its levels from
        for node in root.iter(f"{WML}abstractNum"):
            key = node.get(f"{WML}abstractNumId", "")
            abstract[key] = {_ilvl(lv): _level(lv) for lv in node.iter(f"{WML}lvl")}
            link = node.find(f"{WML}numStyleLink")
            if link is not None:
                links[key] = link.get(f"{WML}val", "")
        nums: dict[str, str] = {}
        for node in root.iter(f"{WML}num"):
            num_id, ref = node.get(f"{WML}numId", ""), node.find(f"{WML}abstractNumId")
            if ref is None:
                continue
            nums[num_id] = ref.get(f"{WML}val", "")
            replaced: dict[int, Level] = {}
            for over in node.iter(f"{WML}lvlOverride"):
                start, level = over.find(f"{WML}startOverride"), over.find(f"{WML}lvl")
                if start is not None:
                    self.overrides.setdefault(num_id, {})[_ilvl(over)] = _int(start.get(f"{WML}val"), 1)
                if level is not None:  # a whole level redefined for this list only
                    replaced[_ilvl(over)] = _level(level)
            if replaced:
                self.levels[num_id] = replaced
        for num_id, key in nums.items():
            if key in links:  # a list style: its levels live in the abstractNum its style's list points to
                linked = self.styles.get(links[key], (None, None, None))[0]
                key = nums.get(linked or "", key)
            own = self.levels.get(num_id, {})  # its overridden levels, if any
            self.levels[num_id] = {**abstract.get(key, {}), **own}
            # lists of one abstractNum go on counting from each other, unless one restarts (an override)
            self.lists[num_id] = num_id if own or num_id in self.overrides else f"abstract:{key}"

    def label(self, p) -> str:
        """The label Word draws before paragraph `p` ("" when it is not numbered); counts it once, however
        often the paragraph is read (a merged cell shows on every row it spans)."""
        if p in self.labels:
            return self.labels[p]
        self.labels[p] = found = self._count(p)
        return found

    def _count(self, p) -> str:
        num_id, ilvl = self._target(p)
        levels = self.levels.get(num_id or "")
        if not levels or ilvl is None or ilvl not in levels:
            return ""
        mark = p.find(f"{WML}pPr/{WML}rPr")
        if mark is not None and (
            mark.find(f"{WML}del") is not None or mark.find(f"{WML}moveFrom") is not None
        ):
            return ""  # a paragraph deleted (or moved away) in tracked changes is not on the page
        counts = self.counters.setdefault(self.lists.get(num_id, num_id), [None] * _MAX_LEVELS)
        if counts[ilvl] is None:
            counts[ilvl] = self.overrides.get(num_id, {}).get(ilvl, levels[ilvl].start)
        else:
            counts[ilvl] += 1
        for deeper in range(ilvl + 1, _MAX_LEVELS):
            counts[deeper] = None
        return _render(levels, counts, ilvl, self.overrides.get(num_id, {}))

    def _target(self, p) -> tuple[str | None, int | None]:
        ppr = p.find(f"{WML}pPr")
        num_id = ilvl = style = None
        if ppr is not None:
            numpr, pstyle = ppr.find(f"{WML}numPr"), ppr.find(f"{WML}pStyle")
            style = pstyle.get(f"{WML}val") if pstyle is not None else None
            if numpr is not None:
                num_id, ilvl = _numpr(numpr)
        if num_id is None or ilvl is None:
            from_style = self._style_numbering(style)
            num_id = num_id if num_id is not None else from_style[0]
            ilvl = ilvl if ilvl is not None else from_style[1]
        if num_id in (None, "0"):  # numId 0 switches a style's numbering off
            return None, None
        return num_id, ilvl if ilvl is not None else 0

    def _style_numbering(self, style: str | None) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        while style and style not in seen:  # basedOn chains; a loop in a broken file ends here
            seen.add(style)
            num_id, ilvl, parent = self.styles.get(style, (None, None, None))
            if num_id is not None:
                return num_id, ilvl
            style = parent
        return None, None


def _root(xml: bytes):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=True,
                             huge_tree=False)  # fmt: skip
    root = etree.fromstring(xml, parser)
    if root is None:
        raise ValueError("empty XML part")
    return root


def _styles(root) -> dict[str, tuple[str | None, int | None, str | None]]:
    found: dict[str, tuple[str | None, int | None, str | None]] = {}
    for style in root.iter(f"{WML}style"):
        numpr = style.find(f"{WML}pPr/{WML}numPr")
        based = style.find(f"{WML}basedOn")
        num_id, ilvl = _numpr(numpr) if numpr is not None else (None, None)
        found[style.get(f"{WML}styleId", "")] = (
            num_id,
            ilvl,
            based.get(f"{WML}val") if based is not None else None,
        )
    return found


def _numpr(numpr) -> tuple[str | None, int | None]:
    num, lvl = numpr.find(f"{WML}numId"), numpr.find(f"{WML}ilvl")
    ilvl = _int(lvl.get(f"{WML}val"), 0) if lvl is not None else None
    return (num.get(f"{WML}val") if num is not None else None), (
        min(max(ilvl, 0), _MAX_LEVELS - 1) if ilvl is not None else None
    )


def _level(node) -> Level:
    def val(tag: str) -> str | None:
        found = node.find(f"{WML}{tag}")
        return found.get(f"{WML}val") if found is not None else None

    legal = node.find(f"{WML}isLgl")
    return Level(start=_int(val("start"), 1), fmt=val("numFmt") or "decimal",
                 text=val("lvlText") if val("lvlText") is not None else "",
                 legal=switched_on(legal))  # fmt: skip


def _render(levels: dict[int, Level], counts: list[int | None], ilvl: int, overrides: dict[int, int]) -> str:
    level = levels[ilvl]
    if level.fmt == "bullet":
        return "-"  # the glyph is often a Symbol-font private-use character; "-" is what plans type
    if level.fmt == "none":
        return ""
    out = level.text
    for k in range(_MAX_LEVELS, 0, -1):  # %10 never exists; %1 after %1x would be wrong the other way
        if f"%{k}" not in out:
            continue
        at = levels.get(k - 1, Level())
        n = counts[k - 1] if counts[k - 1] is not None else overrides.get(k - 1, at.start)
        out = out.replace(f"%{k}", _format(n, "decimal" if level.legal else at.fmt))
    return out.strip()


def _format(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter") and n <= _MAX_LETTERS:
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman") and 0 < n < 4000:
        roman = ""
        for value, digits in _ROMAN:
            while n >= value:
                roman, n = roman + digits, n - value
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def _int(text: str | None, default: int) -> int:
    """A number attribute, kept to Word's range (a start of 200,000,000 letters is 69 MB of label)."""
    try:
        value = int(text) if text is not None else default
    except ValueError:
        return default
    return min(max(value, 0), 32767)


def _ilvl(node) -> int:
    return min(_int(node.get(f"{WML}ilvl"), 0), _MAX_LEVELS - 1)
