"""Old Vietnamese encodings: Windows-1258, TCVN3 and VNI files (raw bytes, or read as Latin-1 and saved as
UTF-8) are converted back to the Unicode text; ordinary UTF-8 is never touched; unsure input is refused."""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import pytest

from conftest import CORPUS, SHARED
from tracuu.ingest.encodings import (
    _VNI_BASES,
    _VNI_MARKS,
    _VNI_SINGLES,
    from_tcvn3,
    from_vni,
    is_syllable,
    to_cp1258,
    to_tcvn3,
    to_vni,
)
from tracuu.ingest.pipeline import ingest_file
from tracuu.ingest.readers import WrongEncoding, decode_bytes, read_file

SOURCES = sorted(CORPUS.glob("*.md")) + sorted((SHARED / "corpus").glob("*.txt"))
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_PUNCT = set("“”‘’–—…•")  # cp1252 symbols that the old fonts kept


def viet_letter(ch: str) -> bool:
    base = unicodedata.normalize("NFD", ch)[0]
    return base.isascii() and base.isalpha() or ch in "đĐ"


def representable(text: str) -> str:
    """What an old encoding can hold: ASCII, Vietnamese letters and the cp1252 punctuation. Anything else
    (Latin-1 symbols such as "§" share bytes with TCVN3 letters) becomes a space, in both files compared."""
    text = unicodedata.normalize("NFC", text)
    return "".join(c if c.isascii() or viet_letter(c) or c in _PUNCT else " " for c in text)


# form name → (encoder, encoding name recorded in the metadata)
FORMS = {
    "windows-1258": (to_cp1258, "windows-1258"),
    "tcvn3": (lambda s: to_tcvn3(s).encode("cp1252"), "tcvn3"),
    "vni": (lambda s: to_vni(s).encode("cp1252"), "vni"),
    "tcvn3-mojibake": (lambda s: to_tcvn3(s).encode("utf-8"), "tcvn3-in-utf8"),
    "vni-mojibake": (lambda s: to_vni(s).encode("utf-8"), "vni-in-utf8"),
}


@pytest.mark.parametrize("form", list(FORMS))
@pytest.mark.parametrize("source", SOURCES, ids=[p.name for p in SOURCES])
def test_old_encoding_reads_back_as_the_unicode_text(tmp_path, source: Path, form: str):
    """The first 3,000 characters of each real document, written in the old encoding, read back as the
    same text as the UTF-8 file gives. TCVN3 is compared in lowercase: it has no byte for a capital with a
    tone (Word set capitals in the .VnTimeH font), so case comes back only where the line shows it."""
    text = representable(source.read_text(encoding="utf-8")[:3000])
    encode, name = FORMS[form]
    plain = tmp_path / f"unicode{source.suffix}"
    plain.write_text(text, encoding="utf-8")
    legacy = tmp_path / f"{form}{source.suffix}"
    legacy.write_bytes(encode(text))
    want, got = read_file(plain), read_file(legacy)
    if form.startswith("tcvn3"):
        assert got.text.lower() == want.text.lower()
    else:
        assert got.text == want.text
    assert got.metadata.pop("encoding") == name
    assert {k: v.lower() for k, v in got.metadata.items()} == {k: v.lower() for k, v in want.metadata.items()}


def test_tables_cover_every_vietnamese_letter():
    """All 134 letters with diacritics: one byte each in TCVN3 (lowercase; the seven toneless capitals
    too), a base letter and at most one mark byte in VNI; every one comes back."""
    lower = [unicodedata.normalize("NFC", v + t) for v in "aăâeêioôơuưy" for t in ["", *_TONES]] + ["đ"]
    letters = [c for c in lower + [c.upper() for c in lower] if not c.isascii()]
    assert len(set(letters)) == 134
    tcvn3 = {c: to_tcvn3(c) for c in letters}
    assert all(len(b) == 1 and "\xa1" <= b <= "\xfe" for b in tcvn3.values())
    assert len({tcvn3[c] for c in letters if c.islower()}) == 67  # no two letters share a byte
    for c in letters:
        assert from_tcvn3(tcvn3[c]) == (c if c.islower() or c in "ĂÂĐÊÔƠƯ" else c.lower()), c
        assert len(to_vni(c)) <= 2 and from_vni(to_vni(c)) == c, c


def test_vni_marks_are_never_letters_or_bases():
    """What lets `from_vni` match a base and a mark with one character class (see _VNI_RE)."""
    assert not set(_VNI_MARKS) & (set(_VNI_SINGLES) | set(_VNI_BASES))


def test_tcvn3_capitals_come_back_where_the_line_shows_them():
    lines = [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 1212/KH-UBND",
        "QUYẾT ĐỊNH VỀ VIỆC BAN HÀNH QUY CHẾ",
        "Điều 3. QUYỀN VÀ NGHĨA VỤ của cơ quan",
        "Ở ĐÂY",
    ]
    for line in lines:
        assert from_tcvn3(to_tcvn3(line)) == line


def test_converted_document_says_so(tmp_path):
    source = CORPUS / "ke-hoach-1212-KH-UBND-khanh-hoa-asean-2021-2025.md"
    path = tmp_path / "ke-hoach-tcvn3.txt"
    path.write_bytes(to_tcvn3(representable(source.read_text(encoding="utf-8"))).encode("cp1252"))
    doc = ingest_file(path, segment=False)
    assert doc.metadata["encoding"] == "tcvn3"
    assert doc.header.number == "1212/KH-UBND" and doc.units


def test_html_pages_in_old_encodings(tmp_path):
    body = representable((CORPUS / "hien-phap.md").read_text(encoding="utf-8")[400:2400])
    page = "<html><head><meta charset='{}'></head><body><p>{}</p></body></html>"
    cases = {
        "windows-1258": to_cp1258(page.format("windows-1258", body)),
        "tcvn3": to_tcvn3(page.format("iso-8859-1", body)).encode("cp1252"),
        "vni": to_vni(page.format("windows-1252", body)).encode("cp1252"),
    }
    want = read_file(_write(tmp_path / "unicode.html", page.format("utf-8", body).encode())).text
    for name, data in cases.items():
        got = read_file(_write(tmp_path / f"{name}.html", data))
        assert got.metadata == {"encoding": name}
        assert (got.text.lower(), name) == (want.lower(), name)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------- what must stay as it is
@pytest.mark.parametrize("source", SOURCES, ids=[p.name for p in SOURCES])
def test_real_utf8_documents_are_never_converted(source: Path):
    data = source.read_bytes()
    assert decode_bytes(source, data) == (data.decode("utf-8-sig"), None)


ORDINARY = [
    "Điều 5. Theo § 3 của Quy chế, bản quyền © 2024 thuộc Sở Thông tin và Truyền thông; nhãn hiệu ®.\n",
    "Copyright © 2024 ACME® Corporation. See § 12.3 and § 14 for the terms of use.\n",
    "Le café crème à la française, déjà vu, señor, naïve façade — 25 °C ± 2 µm.\n",
    "cộng cộng cộng cộng do do ¹ ¹ Î\n",  # found by the fuzz bench: "¹" and "Î" are TCVN3 "ạ" and "ẻ"
    "Thoi gian 1½ gio, dien tich 50 m², ty le ¼ va ¾, muc ¹ va ², nhiet do 25 °C · do dai 3 µm.\n",
    "Nhiệt độ 25 °C ± 2; đoạn ¶ 3 · mục § 4; giá 1.000 ¥ (©, ®); độ dài 5 µm, góc 30°.\n",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_utf8_with_symbols_is_not_altered(tmp_path, text):
    path = _write(tmp_path / "thuong.txt", (text * 5).encode())
    raw = read_file(path)
    assert raw.text.strip() == (text * 5).strip() and "encoding" not in raw.metadata


def test_unsure_input_is_refused_with_the_reason(tmp_path):
    """Latin-1 French is not Vietnamese in any encoding; four TCVN3 words are too few to be sure."""
    cases = {
        "phap.txt": ("Le café crème à la française, déjà vu, à très bientôt. " * 20).encode("latin-1"),
        "ngan.txt": "Hµ Néi, ngµy 5 th¸ng 3".encode(),
    }
    for name, data in cases.items():
        with pytest.raises(WrongEncoding) as info:
            read_file(_write(tmp_path / name, data))
        assert "UTF-8" in info.value.reason or "Unicode" in info.value.reason


def test_syllable_rule():
    good = [
        "cộng",
        "hòa",
        "nghĩa",
        "giữa",
        "quyết",
        "khuya",
        "rượu",
        "thuở",
        "xoăn",
        "khuỷu",
        "đường",
        "Việt",
    ]
    bad = ["hßa", "chñ", "nghÜa", "hoµch", "café", "déjà", "hóà", "xyz"]
    assert all(is_syllable(w) for w in good), [w for w in good if not is_syllable(w)]
    assert not any(is_syllable(w) for w in bad), [w for w in bad if is_syllable(w)]


def test_big_file_converts_in_time(tmp_path):
    text = representable((CORPUS / "bo-luat-dan-su.md").read_text(encoding="utf-8"))
    path = _write(tmp_path / "blds.md", to_vni(text).encode())
    started = time.monotonic()
    raw = read_file(path)
    elapsed = time.monotonic() - started
    assert raw.metadata["encoding"] == "vni-in-utf8" and len(raw.text) > 300_000
    assert elapsed < 10, elapsed


def test_vni_saved_as_utf8_is_converted_not_stored_garbled(tmp_path):
    """ "uûy ban nhaân daân tænh": VNI bytes read as Latin-1 and saved again as UTF-8 (what old pages become
    when copied). Converted back, and the file says so; never stored as it came."""
    from tracuu.ingest.readers import read_file

    garbled = ("Keá hoaïch soá 12/KH-UBND\nUûy ban nhaân daân tænh Khaùnh Hoøa ban haønh keá hoaïch trieån khai "
               "nhieäm vuï naêm 2025.\nSôû Y teá chuû trì thöïc hieän.\n")  # fmt: skip
    path = tmp_path / "vni.txt"
    path.write_text(garbled, encoding="utf-8")
    raw = read_file(path)
    assert raw.metadata.get("encoding") == "vni-in-utf8"
    assert "Ủy ban nhân dân tỉnh Khánh Hòa ban hành kế hoạch" in raw.text and "Sở Y tế chủ trì" in raw.text
    assert "nhaân" not in raw.text
