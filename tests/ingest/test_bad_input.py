"""Bad input: every broken file gives a typed error that names the file and says why in Vietnamese,
never a stack trace, and a batch carries on with the good files."""

from __future__ import annotations

import functools
import io
import json
import os
import pickle
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ND20, PLANS, SEED
from tracuu.api.cli import cli
from tracuu.ingest import readers
from tracuu.ingest.model import Document
from tracuu.ingest.pipeline import ingest_file
from tracuu.ingest.readers import (
    BinaryFile,
    CorruptFile,
    EmptyFile,
    EncryptedPdf,
    FileTooLarge,
    IngestError,
    UnsupportedFormat,
    WrongEncoding,
    read_file,
)

VIET = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Ủy ban nhân dân tỉnh ban hành Kế hoạch triển khai thực hiện nhiệm vụ năm 2025 như sau:\n"
)


def is_vietnamese(reason: str) -> bool:
    """Vietnamese prose: Latin letters with diacritics (đ, ệ, ỗ …), not an English or empty message."""
    return any(ord(c) > 127 and unicodedata.name(c, "").startswith("LATIN") for c in reason)


@functools.cache
def small_pdf() -> bytes:
    """A real three-page PDF with a text layer (core font: no external font needed)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for page in range(1, 4):
        pdf.add_page()
        for line in range(20):
            text = f"Ke hoach so 12/KH-UBND, trang {page}, dong {line}: trien khai thuc hien nhiem vu."
            pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(small_pdf())))
    writer.encrypt("secret")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


# name, file name, bytes, expected error. Each is a kind of file users really drop into the folder.
BAD_FILES = [
    ("empty", "rong.txt", lambda: b"", EmptyFile),
    ("whitespace", "khoang-trang.txt", lambda: b"  \n\t\n   \r\n\xc2\xa0\n", EmptyFile),
    ("random-pdf", "ngau-nhien.pdf", lambda: os.urandom(4096), CorruptFile),
    ("truncated-pdf", "cat-ngang.pdf", lambda: small_pdf()[: len(small_pdf()) // 2], CorruptFile),
    ("encrypted-pdf", "mat-khau.pdf", encrypted_pdf, EncryptedPdf),
    # Windows-1258, TCVN3 and VNI text is converted (tests/test_encodings.py); what stays uncertain is refused
    (
        "latin1",
        "tieng-phap.txt",
        lambda: ("Le café crème à la française, déjà vu. " * 20).encode("latin-1"),
        WrongEncoding,
    ),  # fmt: skip
    ("tcvn3-short", "tcvn3.txt", lambda: "Hµ Néi, ngµy 5 th¸ng 3".encode(), WrongEncoding),
    ("binary-txt", "nhi-phan.txt", lambda: bytes(range(256)) * 8, BinaryFile),
    ("unsupported", "van-ban.xyz", lambda: VIET.encode(), UnsupportedFormat),
    ("docx-not-zip", "khong-phai-zip.docx", lambda: VIET.encode(), CorruptFile),
    ("docx-fake-zip", "zip-gia.docx", lambda: b"PK\x03\x04" + os.urandom(600), CorruptFile),
]


@pytest.mark.parametrize(("name", "data", "error"), [b[1:] for b in BAD_FILES], ids=[b[0] for b in BAD_FILES])
def test_bad_file_gives_typed_error(tmp_path, name, data, error):
    path = tmp_path / name
    path.write_bytes(data())
    with pytest.raises(IngestError) as info:
        ingest_file(path)
    exc = info.value
    assert type(exc) is error
    assert str(path) in str(exc) and exc.path == str(path)
    assert exc.reason.strip() and is_vietnamese(exc.reason), exc.reason


def test_file_over_size_limit(tmp_path):
    path = tmp_path / "qua-lon.txt"
    path.write_bytes((VIET * 40).encode()[:2000])
    assert path.stat().st_size == 2000
    with pytest.raises(FileTooLarge) as info:
        read_file(path, max_bytes=1000)
    assert str(path) in str(info.value)
    assert is_vietnamese(info.value.reason)
    read_file(path, max_bytes=2000)  # at the limit is fine


def test_size_message_shows_file_bigger_than_limit(tmp_path):
    """The user must be able to read from the message that the file is over the limit."""
    path = tmp_path / "qua-lon.txt"
    path.write_bytes(b"a" * 600_000)
    with pytest.raises(FileTooLarge) as info:
        read_file(path, max_bytes=512 * 1024)
    size, limit = (float(x) for x in re.findall(r"\d+(?:\.\d+)?", info.value.reason)[:2])
    assert size > limit, info.value.reason


_LINES = ["So Y te chu tri trien khai tiem chung mo rong", "Cong an tinh phoi hop bao dam an ninh",
          "UBND cac huyen bao cao ket qua hang quy", "So Tai chinh bo tri kinh phi thuc hien",
          "Dieu chinh ke hoach khi can thiet"]  # fmt: skip


def pdf_of(pages: int) -> bytes:
    """`pages` pages of plain text whose lines differ from page to page (repeated ones are dropped as
    running headers)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for page in range(pages):
        pdf.add_page()
        for line in range(2):
            pdf.cell(
                0, 6, f"{_LINES[(page + line) % 5]} (muc {page + 1}.{line}).", new_x="LMARGIN", new_y="NEXT"
            )
    return bytes(pdf.output())


def test_pdf_over_the_page_cap_is_refused_before_its_text_is_read(tmp_path, monkeypatch):
    """A 2,000-page PDF took 13 s of a core with no cap; its pages are counted first and the message says
    how many and the limit. A PDF at the cap is read."""
    path = tmp_path / "cong-bao.pdf"
    path.write_bytes(pdf_of(2000))
    extracted = []
    monkeypatch.setattr("pypdf.PageObject.extract_text", lambda page, *a, **k: extracted.append(1) or "")
    with pytest.raises(FileTooLarge) as info:
        read_file(path)
    assert not extracted  # refused before a single page's text was extracted
    assert str(path) in str(info.value) and is_vietnamese(info.value.reason)
    assert "2000 trang" in info.value.reason and f"{readers.MAX_PDF_PAGES} trang" in info.value.reason
    monkeypatch.undo()
    monkeypatch.setattr(readers.pdf, "MAX_PDF_PAGES", 3)
    path.write_bytes(pdf_of(3))
    assert "muc 3.1" in read_file(path).text


@pytest.mark.parametrize("error", [EmptyFile, CorruptFile, EncryptedPdf, WrongEncoding, IngestError])
def test_ingest_error_survives_pickling(error):
    """Worker processes send errors back to the parent by pickling them."""
    exc = pickle.loads(pickle.dumps(error("/tmp/a.txt", "tệp rỗng")))
    assert type(exc) is error and exc.path == "/tmp/a.txt" and exc.reason == "tệp rỗng"


# ---------------------------------------------------------------- the CLI on a mixed folder
BATCH_BAD = ["empty", "whitespace", "random-pdf", "truncated-pdf", "encrypted-pdf", "latin1", "tcvn3-short", "binary-txt",
             "docx-not-zip"]  # fmt: skip


@pytest.fixture
def batch(tmp_path):
    """A folder with the two shipped documents and a set of broken files, plus an unsupported file given by name."""
    folder = tmp_path / "den"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    shutil.copy(ND20, folder / ND20.name)
    bad = []
    for key, name, data, _ in BAD_FILES:
        if key in BATCH_BAD:
            (folder / name).write_bytes(data())
            bad.append(folder / name)
    odd = tmp_path / "ghi-chu.xyz"
    odd.write_text(VIET, encoding="utf-8")
    bad.append(odd)
    expected = {}
    for path in bad:
        with pytest.raises(IngestError) as info:
            read_file(path)
        expected[str(path.resolve())] = info.value.reason
    return folder, odd, expected, tmp_path / "kho"


def run(home: Path, *args: str):
    return CliRunner().invoke(cli, ["--home", str(home), *args])


def check_batch_output(result, expected: dict[str, str], as_json: bool = False) -> None:
    """Exit code 1 (user error), no traceback; each bad file named with its reason."""
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    assert type(result.exception) is SystemExit, repr(result.exception)
    if as_json:
        errors = json.loads(result.stdout)["errors"]
        assert {e["file"]: e["reason"] for e in errors} == expected
        assert all(e["code"] for e in errors)
    else:
        for path, reason in expected.items():
            assert f"Lỗi: {path}: {reason}" in result.output


def stored(home: Path) -> dict[str, dict]:
    result = run(home, "docs", "--json")
    assert result.exit_code == 0, result.output
    return {row["number"]: row for row in json.loads(result.stdout)["documents"]}


def test_cli_batch_reports_bad_files_keeps_good_ones(batch):
    """One run over a mixed folder: bad files named with their reason, good files stored, exit code 1;
    a second run skips unchanged files and loses nothing; an edited file replaces its old version."""
    folder, odd, expected, home = batch

    first = run(home, "ingest", "--workers", "1", str(folder), str(odd))
    check_batch_output(first, expected)
    assert "Đã nhập 2 văn bản" in first.output
    docs = stored(home)
    assert set(docs) == {"1212/KH-UBND", "20/2021/NĐ-CP"}
    assert all(row["units"] > 50 and row["chunks"] > 50 for row in docs.values())

    again = run(home, "ingest", "--workers", "1", "--json", str(folder), str(odd))
    check_batch_output(again, expected, as_json=True)
    summary = json.loads(again.stdout)
    assert set(summary) == {
        "documents",
        "units",
        "chunks",
        "tasks",
        "unchanged",
        "errors",
        "notices",
        "total",
    }
    assert summary["notices"] == []  # no task table that could not be read
    assert (summary["documents"], summary["units"], summary["chunks"], summary["unchanged"]) == (0, 0, 0, 2)
    assert summary["total"]["documents"] == 2
    assert summary["total"]["chunks"] == sum(row["chunks"] for row in docs.values())
    assert stored(home) == docs

    with (folder / ND20.name).open("a", encoding="utf-8") as f:
        f.write(
            "\n\nBộ Tài chính bảo đảm kinh phí thực hiện Nghị định này theo quy định của pháp luật về ngân sách.\n"
        )
    edited = run(home, "ingest", "--workers", "1", "--json", str(folder), str(odd))
    check_batch_output(edited, expected, as_json=True)
    summary = json.loads(edited.stdout)
    assert (summary["documents"], summary["unchanged"]) == (1, 1)
    assert summary["total"]["documents"] == 2
    after = stored(home)
    assert set(after) == set(docs)
    nd20_before, nd20_after = docs["20/2021/NĐ-CP"], after["20/2021/NĐ-CP"]
    assert nd20_after["doc_id"] == nd20_before["doc_id"]
    assert nd20_after["chunks"] != nd20_before["chunks"]
    assert after["1212/KH-UBND"] == docs["1212/KH-UBND"]
    assert summary["total"]["chunks"] == sum(row["chunks"] for row in after.values())


def test_cli_batch_with_default_parallel_workers(batch):
    """The plain command a user types (`tracuu ingest FOLDER`) must survive bad files too."""
    folder, odd, expected, home = batch
    result = run(home, "ingest", str(folder), str(odd))
    check_batch_output(result, expected)
    assert set(stored(home)) == {"1212/KH-UBND", "20/2021/NĐ-CP"}


# ---------------------------------------------------------------- random text never escapes as a crash
_VIET_LINES = st.sampled_from(
    [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 12/KH-UBND", "Hà Nội, ngày 05 tháng 3 năm 2024", "KẾ HOẠCH",
        "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "1.1. Nội dung", "a) Sở Tài chính chủ trì", "- Sở Y tế phối hợp;",
        "+ Báo cáo hằng quý.", "Chương II", "Điều 3. Hiệu lực", "Nơi nhận:", "CÔNG VĂN ĐẾN", "Thuỷ lợi hoà bình",
        "Ðiều 7", "giai đoạn 2021-", "2025", "**đậm**", "| ô | bảng |", "---",
    ]
)  # fmt: skip
_PIECES = st.one_of(
    _VIET_LINES,
    _VIET_LINES.map(lambda s: unicodedata.normalize("NFD", s)),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=80),  # includes control characters
    st.builds(lambda s, n: " ".join([s] * n), _VIET_LINES, st.integers(100, 600)),  # very long lines
    st.sampled_from(
        ["\n", "\n\n", "\r\n", "\t", "\x00", "\x0c", "\x1b", "\u200b", "\ufeff", "\u00a0", "\u0301"]
    ),
)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.lists(_PIECES, max_size=25).map("".join))
def test_random_text_gives_document_or_ingest_error(tmp_path, text):
    path = tmp_path / "ngau-nhien.txt"
    path.write_bytes(text.encode("utf-8"))
    try:
        doc = ingest_file(path)
    except IngestError as exc:
        assert str(path) in str(exc) and exc.reason
        return
    assert isinstance(doc, Document)
    assert all(0 <= u.start <= u.end <= len(doc.text) for u in doc.units)
    assert all(c.text and c.text in doc.text for c in doc.chunks)


def test_text_stays_nfc_after_markdown_is_stripped(tmp_path):
    path = tmp_path / "dau.md"
    path.write_text("Kế hoạch **đậm**\u0301 năm 2025.\n", encoding="utf-8")
    doc = ingest_file(path, segment=False)
    assert unicodedata.is_normalized("NFC", doc.text), ascii(doc.text)


@pytest.mark.parametrize("stamp", ["MẬT", "TỐI MẬT", "**TUYỆT MẬT**", "| Số: 15/KH-UBND | Độ mật: Tối mật |"])
def test_state_secret_stamp_is_refused(tmp_path, stamp):
    f = tmp_path / "ke-hoach-mat.md"
    f.write_text(
        f"ỦY BAN NHÂN DÂN\nTỈNH SƠN LA\n\n{stamp}\n\nKẾ HOẠCH\nTriển khai nhiệm vụ năm 2025\n\n{VIET}",
        encoding="utf-8",
    )
    with pytest.raises(IngestError) as e:
        ingest_file(f)
    assert e.value.code == "classified" and str(e.value).startswith(str(f)) and "MẬT" in e.value.reason


def test_a_plan_about_state_secrets_is_not_one():
    plan = PLANS / "12_SonLa_254-QD-UBND_2023-02-17_KH-bao-ve-BMNN.md"
    if not plan.exists():
        pytest.skip("../shared plans not beside the clone")
    doc = ingest_file(plan)
    assert "bí mật nhà nước" in doc.text.lower() and doc.header.number
