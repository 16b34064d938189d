"""Plain text and markdown: the encoding told (UTF-8, UTF-16, Windows-1258, legacy TCVN3/VNI glyphs
repaired or refused), front matter split off, markdown and crawler markup to plain lines."""

from __future__ import annotations

import re
from pathlib import Path

from ..encodings import convert_legacy_text, decode_legacy_bytes
from ..normalize import (
    clean_text,
    looks_hard_wrapped,
    rejoin_lines,
    strip_markdown,
)
from .base import (
    BinaryFile,
    RawText,
    WrongEncoding,
)

# ---------------------------------------------------------------- plain text and markdown
# TCVN3/VNI letters as they show in Latin-1 ("Céng hßa"), counted where they touch a letter; "§©®" are
# left out, ordinary text uses them.
_GLYPHS = "¸µ¶·¹¨»¾¼½ÆÊÇÈÉËÐÌÎÏÑ¬ÒÓÔÕÖ×ÝØÜÞ"
_LEGACY_GLYPHS = re.compile(f"(?<=[A-Za-z])[{_GLYPHS}]|[{_GLYPHS}](?=[A-Za-z])")  # inside a word: "hµnh"
_VIET_LETTERS = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I)
_NOT_UTF8 = (
    "tệp không phải UTF-8 và không nhận ra bảng mã cũ (Windows-1258, TCVN3, VNI); hãy lưu lại với mã UTF-8"
)


def decode_text(path: str | Path, data: bytes) -> str:
    """Text of a file; see `decode_bytes`."""
    return decode_bytes(path, data)[0]


def decode_bytes(path: str | Path, data: bytes) -> tuple[str, str | None]:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; Windows-1258, TCVN3 or VNI (raw, or read as Latin-1
    and saved as UTF-8) converted to Unicode when that is clearly Vietnamese. Returns the text and the
    old encoding it was converted from (None for Unicode); anything unsure is refused with the reason."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as exc:
            raise WrongEncoding(path, "tệp UTF-16 bị hỏng") from exc
    sample = data[:65536]
    if b"\x00" in sample or _control_share(sample) > 0.05:
        raise BinaryFile(path, "tệp nhị phân, không phải văn bản")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        converted = decode_legacy_bytes(data)
        if converted is None:
            raise WrongEncoding(path, _NOT_UTF8) from exc
        return converted
    converted = convert_legacy_text(text)
    if converted is not None:
        return converted
    letters = sum(1 for c in text[:20000] if c.isalpha())
    legacy = len(_LEGACY_GLYPHS.findall(text[:20000]))
    viet = len(_VIET_LETTERS.findall(text[:20000]))
    if letters and legacy > 0.03 * letters and legacy > viet:
        raise WrongEncoding(
            path,
            "văn bản dùng bảng mã cũ TCVN3/VNI (chữ hiển thị sai) mà không chuyển được chắc chắn; "
            "hãy chuyển sang Unicode",
        )
    return text, None


def _control_share(sample: bytes) -> float:
    if not sample:
        return 0.0
    bad = sum(1 for b in sample if b < 9 or 13 < b < 32 or b == 127)
    return bad / len(sample)


_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """`key: value` lines between `---` fences at the top of a corpus file."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    meta = {}
    for line in m.group(1).split("\n"):
        key, sep, value = line.partition(":")
        if sep and key.strip() and re.fullmatch(r"[A-Za-z_]+", key.strip()):
            meta[key.strip()] = value.strip()
        else:
            return {}, text  # not front matter after all
    return meta, text[m.end() :]


def read_plain(path: str | Path, data: bytes, markdown: bool = False) -> RawText:
    text, encoding = decode_bytes(path, data)
    meta, text = split_front_matter(clean_text(text))
    if encoding:
        meta["encoding"] = encoding  # converted from an old encoding: shown with the document
    if markdown or "**" in text or re.search(r"^\s*\|", text, re.M):
        text = clean_text(strip_markdown(text))  # removing marks can leave combining accents to compose
    if looks_hard_wrapped(text.split("\n")):
        text = rejoin_lines(text)
    return RawText(text=text, fmt="md" if markdown else "txt", metadata=meta)
