"""Old Vietnamese encodings (Windows-1258, TCVN3, VNI) converted to Unicode, conservatively.

Offices still send files typed in the 1990s font encodings: raw bytes, or — more often — text that went
through a Latin-1/cp1252 reader and was saved as UTF-8 ("Céng hßa x· héi" for "Cộng hòa xã hội"). We
convert such text only when the conversion is clearly better Vietnamese than the input: it must give
many more valid Vietnamese syllables than the input has, and few invalid ones. Anything less certain is
left to the caller (who refuses the file with a clear reason).

Tables. TCVN3 (TCVN 5712:1993 "ABC", the .VnTime fonts) is a single-byte encoding; the byte for every
lowercase letter and for the seven toneless capitals Ă Â Đ Ê Ô Ơ Ư below was checked against three
independent public tables that agree: UniKey's VnConv `SingleByteTables` (unikey/data.cpp in
fcitx/fcitx5-unikey, Pham Kim Long), xvnkb's tcvn.h (Dao Hai Lam) and the TCVN3→Unicode converter in
hdbd789/clinic (Converter.cs). ABC has no byte for a capital with a tone: documents set capitals in the
.VnTimeH font, which draws the lowercase bytes as capitals, so those bytes decode to lowercase here and
a word or line written otherwise in capitals is upper-cased again (`_recase_vntimeh`). VNI-Windows
writes a base letter followed by a mark byte; the sequences follow xvnkb's vni.h, in the same letter
order as its utf8.h table.
"""

from __future__ import annotations

import re
import unicodedata

# ---------------------------------------------------------------- TCVN3 (ABC)
# Letters in the order a á à ả ã ạ per vowel; TCVN3 bytes given as Latin-1 characters (byte value = ord).
_TCVN3_PAIRS = (
    ("áàảãạ", "\xb8\xb5\xb6\xb7\xb9"),
    ("ăắằẳẵặ", "\xa8\xbe\xbb\xbc\xbd\xc6"),
    ("âấầẩẫậ", "\xa9\xca\xc7\xc8\xc9\xcb"),
    ("đ", "\xae"),
    ("éèẻẽẹ", "\xd0\xcc\xce\xcf\xd1"),
    ("êếềểễệ", "\xaa\xd5\xd2\xd3\xd4\xd6"),
    ("íìỉĩị", "\xdd\xd7\xd8\xdc\xde"),
    ("óòỏõọ", "\xe3\xdf\xe1\xe2\xe4"),
    ("ôốồổỗộ", "\xab\xe8\xe5\xe6\xe7\xe9"),
    ("ơớờởỡợ", "\xac\xed\xea\xeb\xec\xee"),
    ("úùủũụ", "\xf3\xef\xf1\xf2\xf4"),
    ("ưứừửữự", "\xad\xf8\xf5\xf6\xf7\xf9"),
    ("ýỳỷỹỵ", "\xfd\xfa\xfb\xfc\xfe"),
    ("ĂÂĐÊÔƠƯ", "\xa1\xa2\xa7\xa3\xa4\xa5\xa6"),
)
TCVN3_DECODE: dict[int, str] = {ord(b): u for us, bs in _TCVN3_PAIRS for u, b in zip(us, bs, strict=True)}
_TCVN3_ENCODE: dict[str, str] = {u: chr(b) for b, u in TCVN3_DECODE.items()}

# ---------------------------------------------------------------- VNI-Windows
_TONES_ORDER = "\u0301\u0300\u0309\u0303\u0323"  # sắc huyền hỏi ngã nặng: the order of the tables
# (Unicode base, VNI base, marks for: none, sắc, huyền, hỏi, ngã, nặng) for lowercase; capitals below.
_VNI_LOWER = (
    ("a", "a", ("", "ù", "ø", "û", "õ", "ï")),
    ("â", "a", ("â", "á", "à", "å", "ã", "ä")),
    ("ă", "a", ("ê", "é", "è", "ú", "ü", "ë")),
    ("e", "e", ("", "ù", "ø", "û", "õ", "ï")),
    ("ê", "e", ("â", "á", "à", "å", "ã", "ä")),
    ("o", "o", ("", "ù", "ø", "û", "õ", "ï")),
    ("ô", "o", ("â", "á", "à", "å", "ã", "ä")),
    ("ơ", "ô", ("", "ù", "ø", "û", "õ", "ï")),
    ("u", "u", ("", "ù", "ø", "û", "õ", "ï")),
    ("ư", "ö", ("", "ù", "ø", "û", "õ", "ï")),
    ("y", "y", ("", "ù", "ø", "û", "õ", None)),  # ỵ is the single byte î
)
_VNI_SINGLE_LOWER = {"í": "í", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "ị": "ò", "ỵ": "î", "đ": "ñ"}


def _build_vni() -> tuple[dict[str, str], dict[str, str]]:
    encode: dict[str, str] = {}
    for base, vbase, marks in _VNI_LOWER:
        for k, mark in enumerate(marks):
            if mark is None:
                continue
            letter = base if k == 0 else unicodedata.normalize("NFC", base + _TONES_ORDER[k - 1])
            encode[letter] = vbase + mark
            encode[letter.upper()] = (vbase + mark).upper()
    for letter, seq in _VNI_SINGLE_LOWER.items():
        encode[letter], encode[letter.upper()] = seq, seq.upper()
    encode = {u: s for u, s in encode.items() if u != s}  # a, e, í … are themselves
    decode = {s: u for u, s in encode.items()}
    # A mark typed in the other case ("Aù") still means the same letter; the base letter gives the case.
    for seq, letter in list(decode.items()):
        if len(seq) == 2:
            decode.setdefault(seq[0] + seq[1].swapcase(), letter)
    return encode, decode


_VNI_ENCODE, VNI_DECODE = _build_vni()
_VNI_BASES = "".join(sorted({k[0] for k in VNI_DECODE if len(k) == 2}))
_VNI_MARKS = "".join(sorted({k[1] for k in VNI_DECODE if len(k) == 2}))
_VNI_SINGLES = "".join(sorted(k for k in VNI_DECODE if len(k) == 1))
# A base and a mark, or a one-byte letter. No mark is a one-byte letter or a base, so a pair that is no
# letter ("yâ") is its base, converted alone, and the mark as it is: what a longest-match table gives.
_VNI_RE = re.compile(f"[{_VNI_BASES}][{_VNI_MARKS}]|[{_VNI_SINGLES}]")


def _vni_letter(m: re.Match[str]) -> str:
    seq = m.group(0)
    letter = VNI_DECODE.get(seq)
    return letter if letter is not None else VNI_DECODE.get(seq[0], seq[0]) + seq[1:]


# ---------------------------------------------------------------- converters
def from_tcvn3(text: str) -> str:
    """TCVN3 bytes seen as Latin-1/cp1252 characters → Unicode."""
    return _recase_vntimeh(text.translate(TCVN3_DECODE))


def from_vni(text: str) -> str:
    """VNI-Windows bytes seen as cp1252 characters → Unicode (NFC)."""
    return unicodedata.normalize("NFC", _VNI_RE.sub(_vni_letter, text))


def to_tcvn3(text: str) -> str:
    """Unicode → TCVN3 as Latin-1 characters; a capital with a tone becomes its lowercase byte (.VnTimeH).
    For tests and the fuzz bench: `to_tcvn3(s).encode("cp1252")` is the file a TCVN3 editor writes."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        code = _TCVN3_ENCODE.get(ch) or _TCVN3_ENCODE.get(ch.lower())
        out.append(code if code is not None and ch.lower() != ch.upper() else ch)
    return "".join(out)


def to_cp1258(text: str) -> bytes:
    """Unicode → Windows-1258 bytes: letters it has whole (á, ê, ơ) as one byte, the others as base and
    tone mark (for tests and the fuzz bench)."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
            out += (base + "".join(c for c in parts if c in _TONE_MARKS)).encode("cp1258")
    return bytes(out)


def to_vni(text: str) -> str:
    """Unicode → VNI-Windows as cp1252 characters (for tests and the fuzz bench)."""
    return "".join(_VNI_ENCODE.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


_WORD = re.compile(r"[^\W\d_]+")
_CAPS = "A-ZĂÂĐÊÔƠƯÀ-ÖØ-ÞŠŒŽŸ"  # the capitals TCVN3 text read as cp1252 can hold
_TWO_CAPS = re.compile(f"[{_CAPS}][^\\W\\d_]*[{_CAPS}]")
# Letters with a lowercase TCVN3 byte: lowercase in .VnTime, capitals in .VnTimeH.
_AMBIGUOUS = frozenset(TCVN3_DECODE[b] for b in TCVN3_DECODE if b >= 0xA8)


def _recase_vntimeh(text: str) -> str:
    """Upper-case the lowercase-coded letters of words written in capitals: "CéNG HßA" → "CộNG HòA" →
    "CỘNG HÒA". A word is in capitals when its other letters are capitals, at least two of them
    ("HòA"); a word with fewer ("Xã", "ở") follows a neighbour in capitals ("XÃ HỘI"), and stays as it
    is beside lowercase or beside an abbreviation that is no syllable ("Số: 12/KH-UBND")."""
    if not any(c in _AMBIGUOUS for c in text):
        return text
    return "\n".join(_recase_line(line) for line in text.split("\n"))


def _recase_line(line: str) -> str:
    if not _TWO_CAPS.search(line) or not any(c in _AMBIGUOUS for c in line):
        return line  # no word with two capitals: nothing says "capitals" (most lines; keeps this fast)
    words = list(_WORD.finditer(line))
    caps: list[bool] = []  # the word is evidence of capitals
    for m in words:
        word = m.group(0)
        sure = [c for c in word if c not in _AMBIGUOUS]
        ambiguous = len(sure) < len(word)
        caps.append(len(sure) >= 2 and all(c.isupper() for c in sure) and (ambiguous or is_syllable(word)))
    out, pos = [], 0
    for i, m in enumerate(words):
        word = m.group(0)
        sure = [c for c in word if c not in _AMBIGUOUS]
        if len(sure) < len(word) and all(c.isupper() for c in sure):
            beside = (i > 0 and caps[i - 1]) or (i + 1 < len(words) and caps[i + 1])
            if caps[i] or beside:
                word = word.upper()
        out.append(line[pos : m.start()] + word)
        pos = m.end()
    return "".join(out) + line[pos:]


# ---------------------------------------------------------------- scoring
_INITIAL = r"(?:ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnprstvx])"
_NUCLEUS = (
    r"(?:uyê|uya|uyu|uây|uôi|ươi|ươu|oai|oay|oeo|iêu|yêu|"
    r"ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|ôi|ơi|oo|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ưu|ươ|yê|"
    r"[aăâeêioôơuưy])"
)
_SYLLABLE = re.compile(rf"{_INITIAL}?{_NUCLEUS}(?:ch|ng|nh|[cmnpt])?")
_TONE_MARKS = frozenset(_TONES_ORDER)


def is_syllable(word: str) -> bool:
    """A Vietnamese syllable: initial, vowel nucleus, final, at most one tone mark and that on a vowel."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [i for i, c in enumerate(decomposed) if c in _TONE_MARKS]
    if len(tones) > 1:
        return False
    if tones:
        base = decomposed[: tones[0]].rstrip("\u0302\u0306\u031b")  # circumflex, breve, horn
        if not base or base[-1] not in "aeiouy":
            return False
    toneless = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    return _SYLLABLE.fullmatch(toneless) is not None


def syllable_score(text: str) -> tuple[int, int]:
    """(valid, invalid) counts of the words that hold a non-ASCII letter: ASCII words say nothing here,
    since every candidate conversion leaves them alone; nor do one-letter words, since a stray symbol
    ("¹", "½") converts to one ("ạ", "ẵ")."""
    good = bad = 0
    for m in _WORD.finditer(unicodedata.normalize("NFC", text)):
        word = m.group(0)
        if word.isascii() or len(word) < 2:
            continue
        if is_syllable(word):
            good += 1
        else:
            bad += 1
    return good, bad


# Letters only Unicode Vietnamese has: TCVN3 and VNI read as Latin-1/cp1252 never give them.
_UNICODE_ONLY = re.compile("[ăĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9]")
SAMPLE_CHARS = 100_000  # detection reads this much; conversion then runs on the whole text
MIN_GOOD = 5


def clearly_better(before: tuple[int, int], after: tuple[int, int]) -> bool:
    """The rule. The converted sample has at least MIN_GOOD valid syllables and at most one invalid word
    for every four valid ones; and its net count (valid minus invalid) is more than twice that of the
    input plus MIN_GOOD. Net, because a Windows-1258 file read as Latin-1 already shows half its words
    right ("các", "nhân") — and as many wrong."""
    good0, bad0 = before
    good1, bad1 = after
    return good1 >= MIN_GOOD and 4 * bad1 <= good1 and good1 - bad1 >= 2 * max(good0 - bad0, 0) + MIN_GOOD


def _cp1252(data: bytes) -> str:
    """cp1252 where defined, Latin-1 for its five holes: how Windows editors show single-byte fonts."""
    return data.decode("cp1252", errors="strict") if _cp1252_ok(data) else data.decode("latin-1")


def _cp1252_ok(data: bytes) -> bool:
    return not any(b in data for b in (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d"))


def _cp1258(data: bytes) -> str | None:
    try:
        return unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        return None


def _choose(before: tuple[int, int], scored: dict[str, tuple[int, int]]) -> str | None:
    """The reading that is clearly better (`clearly_better`) than the input and than every other
    reading; None when there is none. A short text can read well two ways ("coäng" is VNI "cộng" and
    TCVN3 "cọng"): then nothing is sure."""
    if not scored:
        return None
    name = max(scored, key=lambda n: scored[n][0] - scored[n][1])
    others = [before] + [score for other, score in scored.items() if other != name]
    return name if all(clearly_better(other, scored[name]) for other in others) else None


def convert_legacy_text(text: str) -> tuple[str, str] | None:
    """UTF-8 text that is TCVN3 or VNI read as Latin-1/cp1252 ("mojibake") → (Unicode text, encoding name),
    or None when the text should stay as it is."""
    sample = text[:SAMPLE_CHARS]
    if not any("\xa0" <= c <= "\xff" for c in sample):
        return None  # every TCVN3 and VNI letter shows as a Latin-1 character
    if len(_UNICODE_ONLY.findall(sample, 0, 20_000)) >= 20:
        return None  # Unicode Vietnamese ("ư", "ệ"): no old encoding shows these
    unicode_only = len(_UNICODE_ONLY.findall(sample))
    converters = {"tcvn3-in-utf8": from_tcvn3, "vni-in-utf8": from_vni}
    scored = {name: syllable_score(convert(sample)) for name, convert in converters.items()}
    name = _choose(syllable_score(sample), scored)
    if name is None or 20 * unicode_only > scored[name][0]:
        return None  # Unicode Vietnamese among the words: this text is Unicode, whatever else it holds
    return converters[name](text), name


def decode_legacy_bytes(data: bytes) -> tuple[str, str] | None:
    """Bytes that are not UTF-8 → (Unicode text, encoding name) for Windows-1258, TCVN3 or VNI, or None."""
    head = data[: SAMPLE_CHARS * 2]
    decoders = {
        "windows-1258": _cp1258,
        "tcvn3": lambda d: from_tcvn3(_cp1252(d)),
        "vni": lambda d: from_vni(_cp1252(d)),
    }
    texts = {name: decode(head) for name, decode in decoders.items()}
    scored = {name: syllable_score(text) for name, text in texts.items() if text is not None}
    name = _choose(syllable_score(head.decode("latin-1")), scored)
    if name is None:
        return None
    text = decoders[name](data)
    return (text, name) if text is not None else None
