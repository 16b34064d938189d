"""The citation checker on a draft written for the tests (correct, wrong-date, wrong-issuer, unknown and
undefined-short-name citations, quoted units that exist and do not) and on the seed plan, against a store of
real corpus documents and the shipped Pháp điển catalog."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner

from conftest import CORPUS, ND20, ROOT, SEED, product_store
from tracuu.api.cli import cli
from tracuu.index.store import Store
from tracuu.ingest.pipeline import ingest_file
from tracuu.ingest.readers import read_file
from tracuu.knowledge import check as check_module
from tracuu.knowledge.catalog import CATALOG, Catalog
from tracuu.knowledge.check import MAX_FINDINGS, TooManyCitations, check_text

DRAFT = ROOT / "tests" / "data" / "du-thao-bao-cao.md"
QD161 = CORPUS / "quyet-dinh-161-QD-TTg-2016-partial.md"


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    store = product_store(home)
    for path in (SEED, ND20, QD161):
        store.put(ingest_file(path))
    store.close()
    return home


@pytest.fixture(scope="module")
def findings(home):
    store = product_store(home)
    result = check_text(store, read_file(DRAFT).text)
    store.close()
    return result["findings"]


def by_text(findings, start: str):
    return next(f for f in findings if f["text"].startswith(start))


def codes(f) -> list[str]:
    return [p["code"] for p in f["problems"]]


def test_catalog_is_shipped_and_read(home):
    assert CATALOG.exists()
    cat = Catalog(product_store(home))
    assert cat.lists("91/2015/QH13") and cat.covers("20/2021/NĐ-CP")
    assert cat.get("20/2021/ND-CP").source == "corpus"  # the corpus wins over the catalog
    assert not cat.covers("3743/KH-UBND")  # provincial plans are not catalogued


def test_correct_citations_have_no_problems(findings):
    for start in ("Kế hoạch số 1212/KH-UBND", "Quyết định số 161/QĐ-TTg", "Luật Người khuyết tật"):
        f = by_text(findings, start)
        assert f["problems"] == [] and f["status"] == "ok", f
    qd161 = by_text(findings, "Quyết định số 161/QĐ-TTg")
    assert (
        qd161["in_corpus"]
        and qd161["citation"] == "Quyết định số 161/QĐ-TTg ngày 25/01/2016 của Thủ tướng Chính phủ"
    )
    law = by_text(findings, "Luật Người khuyết tật")
    assert law["in_catalog"] and not law["in_corpus"]


def test_wrong_date(findings):
    f = by_text(findings, "Nghị định số 20/2021/NĐ-CP ngày 15/4/2021")
    assert codes(f) == ["date_mismatch"]
    assert f["citation"] == "Nghị định số 20/2021/NĐ-CP ngày 15/3/2021 của Chính phủ"
    assert f["reference"] == {"number": "20/2021/NĐ-CP", "type": "Nghị định", "date": "2021-04-15",
                              "issuer": "Chính phủ", "title": f["reference"]["title"]}  # fmt: skip


def test_wrong_issuer_and_unknown_number(findings):
    f = by_text(findings, "Quyết định số 1212/QĐ-TTg")
    assert codes(f) == ["issuer_mismatch", "not_found"]
    assert "Thủ tướng Chính phủ" in f["problems"][0]["message"]
    unknown = by_text(findings, "Nghị định số 888/2021/NĐ-CP")
    assert codes(unknown) == ["not_found"]


def test_short_name_used_before_its_definition(findings):
    early = by_text(findings, "Quyết định số 650")
    assert codes(early) == ["undefined_short_name"] and early["text"] == "Quyết định số 650"
    defined = by_text(findings, "Quyết định số 650/QĐ-LĐTBXH")
    assert defined["problems"] == [] and defined["status"] == "unverifiable"


def test_quoted_units(findings):
    found = by_text(findings, "Khoản 1 Điều 5 Nghị định")
    assert found["problems"] == [] and found["unit"]["status"] == "found"
    assert found["citation"] == "Khoản 1 Điều 5 Nghị định số 20/2021/NĐ-CP ngày 15/3/2021 của Chính phủ"
    assert found["unit"]["text"].startswith("1. Trẻ em dưới 16 tuổi không có nguồn nuôi dưỡng")
    missing = by_text(findings, "Khoản 12 Điều 5")
    assert codes(missing) == ["unit_not_found"]


def test_outside_corpus_and_catalog_is_unverifiable_not_wrong(findings):
    f = by_text(findings, "Kế hoạch số 3743/KH-UBND")
    assert f["status"] == "unverifiable" and f["problems"] == []
    assert not f["in_corpus"] and not f["in_catalog"]


def test_spans_point_into_the_draft(findings):
    text = read_file(DRAFT).text
    for f in findings:
        s, e = f["span"]
        assert text[s:e] == f["text"]


def test_seed_plan_year_mismatch_is_flagged(home):
    store = product_store(home)
    result = check_text(store, SEED.read_text(encoding="utf-8"))
    store.close()
    flagged = [f for f in result["findings"] if "year_mismatch" in codes(f)]
    assert [f["reference"]["number"] for f in flagged] == ["07/2029/NQ-HĐND"]


@pytest.mark.embedded_only  # the CLI over a module-wide data folder
def test_cli_check_json_and_stdin(home):
    runner = CliRunner()
    out = runner.invoke(cli, ["--home", str(home), "check", str(DRAFT), "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    for f in data["findings"]:
        assert set(f) >= {"span", "text", "reference", "in_corpus", "in_catalog", "citation", "problems"}
        assert set(f["reference"]) >= {"number", "type", "date", "issuer"}
        assert all(set(p) == {"code", "message"} for p in f["problems"])
    piped = runner.invoke(cli, ["--home", str(home), "check", "-", "--json"],
                          input="Theo Nghị định số 20/2021/NĐ-CP ngày 15/3/2021 của Chính phủ.")  # fmt: skip
    assert piped.exit_code == 0
    one = json.loads(piped.stdout)["findings"]
    assert len(one) == 1 and one[0]["problems"] == [] and one[0]["in_corpus"]
    readable = runner.invoke(cli, ["--home", str(home), "check", str(DRAFT)])
    assert "Trích dẫn chuẩn" in readable.output and "không kiểm chứng được" in readable.output
    missing = runner.invoke(cli, ["--home", str(home), "check", str(home / "none.txt")])
    assert missing.exit_code == 1


def test_a_law_cited_by_name_is_checked_by_its_name(tmp_path):
    """The corpus holds Luật Cư trú without a number (its source lacks the header) and Luật Phòng, chống ma
    túy as 73/2021/QH14: the first cited with its number is not "not found", the second with a wrong number
    is told the right one."""
    store = product_store(tmp_path)
    for name in ("luat-cu-tru.md", "luat-phong-chong-ma-tuy.md"):
        store.put(ingest_file(CORPUS / name))
    text = "Căn cứ Luật Cư trú số 68/2020/QH14 ngày 13/11/2020;\nCăn cứ Luật Phòng, chống ma túy số 73/2020/QH14;\n"
    cu_tru, ma_tuy = check_text(store, text)["findings"]
    assert cu_tru["problems"] == [] and cu_tru["in_corpus"] and cu_tru["status"] == "unverifiable"
    assert codes(ma_tuy) == ["number_mismatch"] and "73/2021/QH14" in ma_tuy["problems"][0]["message"]
    assert ma_tuy["citation"] == "Luật Phòng, chống ma túy số 73/2021/QH14 ngày 30/3/2021"
    store.close()


def test_a_date_against_the_corpus_citations(home):
    """Kế hoạch 3743/KH-UBND is known only from the seed plan's citation (07/5/2021): another date is
    flagged, the same date stays unverifiable without a problem."""
    store = product_store(home)
    wrong, right = check_text(
        store, "Kế hoạch số 3743/KH-UBND ngày 07/6/2021; Kế hoạch số 3743/KH-UBND ngày 07/5/2021."
    )["findings"]
    store.close()
    assert codes(wrong) == ["date_differs_from_citations"] and "07/5/2021" in wrong["problems"][0]["message"]
    assert right["problems"] == [] and right["status"] == "unverifiable"


def test_an_article_past_the_end_of_a_text_missing_only_its_preamble(home):
    """Nghị định 20's corpus text lacks its preamble and annex forms, not an article: Điều 45 (it ends at
    Điều 39) is not found. Quyết định 161's text is its opening only: Điều 3 cannot be checked."""
    store = product_store(home)
    text = "Điều 45 Nghị định số 20/2021/NĐ-CP; Điều 3 Quyết định số 161/QĐ-TTg; Điều 39 Nghị định số 20/2021/NĐ-CP."
    past, qd161, last = check_text(store, text)["findings"]
    store.close()
    assert codes(past) == ["unit_not_found"] and past["unit"]["status"] == "not_found"
    assert qd161["problems"] == [] and qd161["unit"]["status"] == "unverifiable"
    assert last["problems"] == [] and last["unit"]["status"] == "found"


def test_same_title_or_same_number_elsewhere_is_not_our_document(home):
    """Nghị định 136/2013 has Nghị định 20/2021's title (20 replaced it): it is not rewritten into 20. Plan
    numbers recur every year in every province: 3743/KH-UBND of 2022 from Lâm Đồng is not the cited one."""
    store = product_store(home)
    text = (
        "Nghị định số 136/2013/NĐ-CP ngày 21/10/2013 của Chính phủ quy định chính sách trợ giúp xã hội đối với "
        "đối tượng bảo trợ xã hội; Kế hoạch số 3743/KH-UBND ngày 07/6/2022 của UBND tỉnh Lâm Đồng."
    )
    nd136, other = check_text(store, text)["findings"]
    store.close()
    assert (
        "number_mismatch" not in codes(nd136)
        and "20/2021" not in nd136["citation"]
        and not nd136["in_corpus"]
    )
    assert other["problems"] == [] and other["status"] == "unverifiable"


ND20_UNIT = "Khoản 1 Điều 5 Nghị định số 20/2021/NĐ-CP ngày 15/3/2021 của Chính phủ; "


def spied(store: Store, monkeypatch) -> Counter:
    """Count the store's document and unit loads, by method and document."""
    calls: Counter = Counter()
    for name in ("find", "units"):
        method = getattr(store, name)

        def counted(ref, _method=method, _name=name):
            calls[_name, ref] += 1
            return _method(ref)

        monkeypatch.setattr(store, name, counted)
    return calls


def scans(monkeypatch) -> list[int]:
    """The length of every text the checker scans for citations."""
    lengths: list[int] = []
    real = check_module.find_references

    def counted(text):
        lengths.append(len(text))
        return real(text)

    monkeypatch.setattr(check_module, "find_references", counted)
    return lengths


def test_many_repeated_citations_are_each_checked_as_one_alone(home, monkeypatch):
    """300 citations of three documents: every finding is the one the citation alone gets (bar where it is),
    and each document and its units are loaded once for the whole draft."""
    one = ND20_UNIT + "Mục II Kế hoạch số 1212/KH-UBND; Kế hoạch số 3743/KH-UBND ngày 07/6/2021.\n"
    store = product_store(home)
    alone = check_text(store, one)["findings"]
    assert [(f["unit"] or {}).get("status") for f in alone] == ["found", "found", None]
    calls = spied(store, monkeypatch)
    result = check_text(store, one * 100)
    store.close()
    assert result["summary"]["total"] == 300 and len(result["findings"]) == 300
    for i, f in enumerate(result["findings"]):
        want = alone[i % 3]
        assert {k: v for k, v in f.items() if k not in {"span", "text"}} == {
            k: v for k, v in want.items() if k not in {"span", "text"}
        }
        assert f["text"] == want["text"] and f["span"] == [x + i // 3 * len(one) for x in want["span"]]
    assert calls and max(calls.values()) == 1, calls  # each document, each unit list: once per check
    assert {doc for (name, doc) in calls if name == "units"} == {
        "nghi-dinh-20-2021-nd-cp",
        "ke-hoach-1212-kh-ubnd-khanh-hoa-asean-2021-2025",
    }


def test_a_flood_of_citations_is_refused_before_any_is_checked(home, monkeypatch):
    """2,000 citations of a unit: TooManyCitations, raised before a single document or unit is loaded."""
    store = product_store(home)
    calls = spied(store, monkeypatch)
    with pytest.raises(TooManyCitations) as exc:
        check_text(store, ND20_UNIT * 2000)
    store.close()
    assert exc.value.limit == MAX_FINDINGS == 1000 and exc.value.code == "too-many-citations"
    assert "hơn 1.000 trích dẫn" in str(exc.value) and "chia nhỏ dự thảo" in str(exc.value)
    assert not calls  # not the units of Nghị định 20 once, nor anything else


def test_a_2_mb_flood_stops_scanning_at_the_limit(home, monkeypatch):
    """ "1/A " 500,000 times (2 MB, 500,000 citations): refused after scanning its first 16,384 characters,
    not the whole draft (20 s of scanning); with fewer number-shaped tokens than MAX_NUMBERS, so that the
    citation count is what refuses it."""
    monkeypatch.setattr(check_module, "MAX_NUMBERS", 10**6)
    store = product_store(home)
    lengths = scans(monkeypatch)
    with pytest.raises(TooManyCitations):
        check_text(store, "1/A " * 500_000)
    store.close()
    assert lengths == [16_384]


@pytest.mark.parametrize("flood", ["Mẫu số 1/A ", "1/A "])
def test_a_draft_of_numbers_is_refused_before_any_scan(home, monkeypatch, flood):
    """2 MB of "Mẫu số 1/A " holds no citation (a form's number) but took 5 s to scan: more number-shaped
    tokens than MAX_NUMBERS (the corpus's 2 MB of laws hold 153) are refused before `find_references` runs."""
    store = product_store(home)
    lengths = scans(monkeypatch)
    with pytest.raises(TooManyCitations, match=r"10\.000 số hiệu") as info:
        check_text(store, flood * (2_000_000 // len(flood)))
    store.close()
    assert lengths == [] and info.value.numbers == check_module.MAX_NUMBERS
    assert (
        check_text(product_store(home), "Căn cứ Mẫu số 1/A. " * 50)["summary"]["total"] == 0
    )  # a few are fine


def test_the_limit_itself_is_allowed(home):
    """Exactly MAX_FINDINGS citations are checked; one more is refused."""
    store = product_store(home)
    assert len(check_text(store, "1/A " * MAX_FINDINGS)["findings"]) == MAX_FINDINGS
    with pytest.raises(TooManyCitations):
        check_text(store, "1/A " * (MAX_FINDINGS + 1))
    store.close()


def test_a_long_draft_with_few_citations_is_scanned_as_before(home, monkeypatch):
    """A long draft whose first part is sparse in citations is scanned whole after one look at its start."""
    store = product_store(home)
    text = SEED.read_text(encoding="utf-8") * 8
    expected = check_text(store, text)
    lengths = scans(monkeypatch)
    assert check_text(store, text) == expected
    store.close()
    assert lengths == [16_384, len(text)]


def test_cli_check_refuses_a_flood(home, tmp_path):
    flood = tmp_path / "du-thao-lon.txt"
    flood.write_text(ND20_UNIT * 2000, encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(cli, ["--home", str(home), "check", str(flood), "--json"])
    assert out.exit_code == 1 and isinstance(out.exception, SystemExit), out.output
    assert f"{flood}: Dự thảo có hơn 1.000 trích dẫn" in out.output and "chia nhỏ dự thảo" in out.output
    assert "Traceback" not in out.output
    piped = runner.invoke(cli, ["--home", str(home), "check", "-"], input="1/A " * 5000)
    assert piped.exit_code == 1 and "stdin: Dự thảo có hơn 1.000 trích dẫn" in piped.output
