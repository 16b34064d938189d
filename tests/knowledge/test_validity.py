"""Validity as of a date, from the clauses that state it: on the corpus decree (Nghị định 20/2021 ends
Nghị định 136/2013 and parts of three others), on decrees written for the tests (a conflict, a date in
words, a document named only by title), on the shipped catalog built from Bộ Pháp điển, and in every door
(CLI, HTTP, search filter, check)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import ND20, SEED, product_store
from tracuu.api.cli import cli
from tracuu.ingest.pipeline import ingest_file
from tracuu.knowledge.catalog import Catalog
from tracuu.knowledge.check import check_text
from tracuu.knowledge.validity import VALIDITY_FILE, Effect, Ledger, Statement, covers, scope_items

REPLACER = """CHÍNH PHỦ
-------
Số: 301/2024/NĐ-CP
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hà Nội, ngày 10 tháng 10 năm 2024

NGHỊ ĐỊNH
QUY ĐỊNH CHÍNH SÁCH TRỢ GIÚP XÃ HỘI (THỬ)

Căn cứ Luật Người cao tuổi số 39/2009/QH12;

Điều 1. Phạm vi điều chỉnh
Nghị định này quy định chi tiết Luật Người cao tuổi số 39/2009/QH12 về trợ giúp xã hội.

Điều 2. Hiệu lực thi hành
1. Nghị định này có hiệu lực thi hành từ ngày mồng một tháng Giêng năm hai nghìn không trăm hai mươi lăm.
2. Nghị định này thay thế Nghị định số 20/2021/NĐ-CP ngày 15 tháng 3 năm 2021 của Chính phủ.
3. Bãi bỏ khoản 2 Điều 5 Nghị định số 302/2024/NĐ-CP ngày 01 tháng 10 năm 2024 của Chính phủ.
"""

OTHER_REPLACER = """CHÍNH PHỦ
-------
Số: 303/2025/NĐ-CP
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hà Nội, ngày 02 tháng 01 năm 2025

NGHỊ ĐỊNH
VỀ TRỢ GIÚP XÃ HỘI (THỬ, BẢN KHÁC)

Điều 1. Hiệu lực thi hành
1. Nghị định này có hiệu lực thi hành kể từ ngày 01/3/2025.
2. Nghị định này thay thế Nghị định số 20/2021/NĐ-CP ngày 15 tháng 3 năm 2021 của Chính phủ.
"""


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    folder = tmp_path_factory.mktemp("written")
    store = product_store(home)
    for path in (SEED, ND20):
        store.put(ingest_file(path))
    for name, text in (("nd301.txt", REPLACER), ("nd303.txt", OTHER_REPLACER)):
        (folder / name).write_text(text, encoding="utf-8")
        store.put(ingest_file(folder / name))
    store.close()
    return home


def validity(home, ref: str, at: str | None = None) -> dict:
    args = ["--home", str(home), "validity", ref, "--json"] + (["--at", at] if at else [])
    out = CliRunner().invoke(cli, args)
    assert out.exit_code == 0, out.output
    return json.loads(out.output)


def test_the_decree_states_its_own_entry_into_force_and_what_it_ends(nd20_doc):
    assert nd20_doc.effect.date == "2021-07-01"
    assert nd20_doc.text[nd20_doc.effect.start : nd20_doc.effect.end].startswith("Nghị định này có hiệu lực")
    got = {(r.type, r.other, r.scope) for r in nd20_doc.relations}
    assert ("expires", "136/2013/NĐ-CP", "whole") in got
    assert ("repeals_part", "140/2018/NĐ-CP", "Điều 17") in got
    assert ("repeals_part", "103/2017/NĐ-CP", "các điều từ Điều 40 đến Điều 43") in got
    assert all(r.unit_path.endswith("D38.K2") for r in nd20_doc.relations)


def test_an_ended_decree_is_expired_from_the_date_the_clause_resolves_to(home):
    v = validity(home, "136/2013/ND-CP", "2022-01-01")  # any written form
    assert (
        v["validity"] == "expired" and v["expired_from"] == "2021-07-01"
    )  # "kể từ ngày Nghị định này có hiệu lực"
    assert v["expired_by"] == "20/2021/NĐ-CP" and v["replaced_by"] is None  # declared ended, not replaced
    proof = v["evidence"][0]
    assert proof["citation"].startswith("Khoản 2 Điều 38 Nghị định số 20/2021/NĐ-CP")
    assert "136/2013/NĐ-CP" in proof["quote"] and proof["doc_id"] and proof["unit_path"].endswith("D38.K2")
    # before the ending took effect nothing says when 136/2013 itself took effect: unknown, never in_force
    before = validity(home, "136/2013/NĐ-CP", "2021-06-30")
    assert before["validity"] == "unknown" and before["expired_from"] == "2021-07-01"


def test_in_force_needs_a_stated_effective_date(home):
    v = validity(home, "20/2021/NĐ-CP", "2022-06-01")
    assert v["validity"] == "in_force" and v["effective_from"] == "2021-07-01"
    assert v["effective_evidence"]["citation"].startswith("Khoản 1 Điều 38 Nghị định số 20/2021/NĐ-CP")
    assert validity(home, "20/2021/NĐ-CP", "01/05/2021")["validity"] == "not_yet_in_force"
    plan = validity(home, "1212/KH-UBND")  # a plan states no entry into force
    assert plan["validity"] == "unknown" and plan["effective_from"] is None


def test_two_documents_replacing_one_are_a_conflict_shown_and_resolved_by_the_later(home):
    v = validity(home, "20/2021/NĐ-CP", "2025-06-01")
    assert v["validity"] == "expired"
    assert v["expired_from"] == "2025-01-01"  # the first replacement (date written in words)
    assert v["replaced_by"] == "303/2025/NĐ-CP"  # the later effective date decides
    assert {c["source"] for c in v["conflicts"]} == {"301/2024/NĐ-CP", "303/2025/NĐ-CP"}
    assert validity(home, "20/2021/NĐ-CP", "2024-12-31")["validity"] == "in_force"
    shown = json.loads(
        CliRunner().invoke(cli, ["--home", str(home), "show", "20/2021/NĐ-CP", "--json"]).output
    )
    assert {c["source"] for c in shown["validity_conflicts"]} == {"301/2024/NĐ-CP", "303/2025/NĐ-CP"}
    assert shown["replaced_by"] == "303/2025/NĐ-CP"  # the later of the two
    inverse = {(r["type"], r["other"]) for r in v["relations"] if r["direction"] == "in"}
    assert ("replaced_by", "301/2024/NĐ-CP") in inverse and ("replaced_by", "303/2025/NĐ-CP") in inverse


def test_a_document_known_only_from_a_clause_and_part_repeals(home):
    v = validity(home, "302/2024/NĐ-CP", "2025-02-01")
    assert v["validity"] == "unknown" and not v["in_corpus"]  # no effective date is known
    assert v["repealed_parts"][0]["scope"] == "khoản 2 Điều 5"
    out = CliRunner().invoke(cli, ["--home", str(home), "validity", "999/2099/NĐ-CP"])
    assert out.exit_code != 0 and "Không biết văn bản" in out.output and "Traceback" not in out.output
    bad = CliRunner().invoke(cli, ["--home", str(home), "validity", "20/2021/NĐ-CP", "--at", "31/02/2021"])
    assert bad.exit_code != 0 and "không hợp lệ" in bad.output


def test_the_catalog_knows_validity_from_phap_dien(home):
    lines = [json.loads(x) for x in VALIDITY_FILE.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 3181 and {"doc_number", "effective_from", "relations", "validity", "as_of"} <= set(
        lines[0]
    )
    assert sum(1 for x in lines if x["effective_from"]) > 3000
    v = validity(home, "24/2018/QH14", "2020-01-01")  # Luật An ninh mạng: catalog only
    assert v["validity"] == "in_force" and v["effective_from"] == "2019-01-01" and v["in_catalog"]
    assert "có hiệu lực thi hành kể từ ngày 01/01/2019" in v["effective_evidence"]["quote"]
    assert validity(home, "24/2018/QH14", "2018-12-31")["validity"] == "not_yet_in_force"


def test_docs_show_and_refs_carry_validity_and_relations(home):
    run = CliRunner()
    docs = json.loads(run.invoke(cli, ["--home", str(home), "docs", "--json"]).output)["documents"]
    nd20 = next(d for d in docs if d["number"] == "20/2021/NĐ-CP")
    assert {"validity", "effective_from", "expired_from", "relations"} <= set(nd20)
    rel = next(r for r in nd20["relations"] if r["other"] == "136/2013/NĐ-CP")
    assert {"type", "other", "scope", "from", "citation"} <= set(rel) and rel["type"] == "expires"
    show = json.loads(run.invoke(cli, ["--home", str(home), "show", "301/2024/NĐ-CP", "--json"]).output)
    assert show["validity"] == "in_force" and show["effective_from"] == "2025-01-01"
    assert ("guides", "39/2009/QH12") in {(r["type"], r["other"]) for r in show["relations"]}
    assert ("based_on", "39/2009/QH12") in {(r["type"], r["other"]) for r in show["relations"]}
    refs = json.loads(run.invoke(cli, ["--home", str(home), "refs", "136/2013/NĐ-CP", "--json"]).output)
    assert refs["references"][0]["validity"] == "expired"


def test_check_flags_expired_not_yet_in_force_and_repealed_units(home):
    draft = """UBND TỈNH KHÁNH HÒA
Số: 15/BC-UBND
Khánh Hòa, ngày 10 tháng 9 năm 2022

BÁO CÁO
Tình hình thực hiện chính sách trợ giúp xã hội

Căn cứ Nghị định số 136/2013/NĐ-CP ngày 21 tháng 10 năm 2013 của Chính phủ;
Căn cứ Điều 17 Nghị định số 140/2018/NĐ-CP ngày 08 tháng 10 năm 2018 của Chính phủ;
Căn cứ Nghị định số 20/2021/NĐ-CP ngày 15 tháng 3 năm 2021 của Chính phủ;
Căn cứ Điều 41 Nghị định số 103/2017/NĐ-CP ngày 12 tháng 9 năm 2017 của Chính phủ;
Căn cứ Điều 44 Nghị định số 103/2017/NĐ-CP ngày 12 tháng 9 năm 2017 của Chính phủ;
Căn cứ Nghị định số 301/2024/NĐ-CP ngày 10 tháng 10 năm 2024 của Chính phủ;
"""
    store = product_store(home)
    result = check_text(store, draft, Catalog(store))
    store.close()
    assert result["checked_at"] == "2022-09-10" and result["checked_at_source"] == "draft"
    by = {f["text"][:40]: [p["code"] for p in f["problems"]] for f in result["findings"]}
    codes = [(f["reference"]["number"], [p["code"] for p in f["problems"]]) for f in result["findings"]]
    assert codes == [("136/2013/NĐ-CP", ["expired"]), ("140/2018/NĐ-CP", ["unit_repealed"]),
                     ("20/2021/NĐ-CP", []), ("103/2017/NĐ-CP", ["unit_repealed"]), ("103/2017/NĐ-CP", []),
                     ("301/2024/NĐ-CP", ["not_yet_in_force"])], by  # fmt: skip
    expired = result["findings"][0]["problems"][0]
    assert expired["evidence"]["citation"].startswith("Khoản 2 Điều 38 Nghị định số 20/2021/NĐ-CP")
    assert expired["expired_from"] == "2021-07-01" and "replaced_by" in expired
    repealed = result["findings"][1]["problems"][0]
    assert repealed["unit"] == "Điều 17" and "140/2018/NĐ-CP" in repealed["evidence"]["quote"]
    # judged today when the draft has no date of its own; a draft that itself ends a document is not flagged
    store = product_store(home)
    own = check_text(store, "Nghị định này thay thế Nghị định số 136/2013/NĐ-CP ngày 21/10/2013 của Chính phủ.",
                     Catalog(store))  # fmt: skip
    store.close()
    assert own["checked_at_source"] == "today" and own["findings"][0]["problems"] == []


def test_scopes_name_articles_clauses_and_points():
    assert scope_items("khoản 2 và 3 Điều 1") == [("1", "2", None), ("1", "3", None)]
    assert scope_items("điểm b khoản 1 và khoản 5 Điều 99") == [("99", "1", "b"), ("99", "5", None)]
    assert [d for d, _, _ in scope_items("các điều từ Điều 40 đến Điều 43")] == ["40", "41", "42", "43"]
    assert scope_items("Khoản 1 Điều 3; Điều 4") == [("3", "1", None), ("4", None, None)]
    assert scope_items("Chương V") == []
    assert covers("Điều 17", "17", "2") and not covers("khoản 2 Điều 7", "7")  # the whole article stays


def test_a_document_named_only_by_title_reaches_the_law_of_that_year_never_the_current_one():
    """ "Luật Trợ giúp pháp lý năm 2006 hết hiệu lực" read from the clause itself: the year goes with the name,
    so the 2006 law ends, not the 2017 one that says so; a name that resolves to the stating law states nothing."""
    from tracuu.ingest.relations import find_relations
    from tracuu.knowledge.validity import doc_key

    clause = "2. Luật Trợ giúp pháp lý năm 2006 hết hiệu lực kể từ ngày Luật này có hiệu lực."
    [rel] = find_relations(clause)
    assert (rel.type, rel.other, rel.date) == ("expires", "Luật Trợ giúp pháp lý năm 2006", "on_effect")
    ledger = Ledger()
    for number, issued in (("69/2006/QH11", "2006-06-29"), ("11/2017/QH14", "2017-06-20")):
        ledger.know_title("Luật", "Trợ giúp pháp lý", doc_key(number), issued)
    ledger.set_effect(
        doc_key("11/2017/QH14"), "11/2017/QH14", Effect("2018-01-01", "date", "Điều 48 …", "…", "corpus")
    )
    ledger.add(Statement(rel.type, "11/2017/QH14", rel.other, rel.other_kind, rel.scope, rel.date,
                         "Khoản 2 Điều 48 Luật Trợ giúp pháp lý số 11/2017/QH14", clause, "corpus",
                         source_date="2017-06-20"))  # fmt: skip
    ledger.add(
        Statement(
            "expires",
            "11/2017/QH14",
            "Luật Trợ giúp pháp lý",
            "title",
            "whole",
            None,
            "…",
            "…",
            "corpus",
            source_date="2017-06-20",
        )
    )  # no year: only 69/2006 is older than the stating law
    ledger.finish()
    old = ledger.validity(ledger.lookup("69/2006/QH11"), "2019-01-01")
    assert old.validity == "expired" and old.expired_from == "2018-01-01" and old.expired_by == "11/2017/QH14"
    assert ledger.validity(ledger.lookup("11/2017/QH14"), "2019-01-01").validity == "in_force"
    assert ledger.lookup("Luật Trợ giúp pháp lý năm 2006") == ledger.lookup("69/2006/QH11")


def test_a_local_number_without_a_year_is_told_apart_by_the_year_it_is_cited_with():
    """ "05/QĐ-UBND" is every province's, every year: Gia Lai replacing its own 05/QĐ-UBND of 2019 leaves
    Khánh Hòa's of 2020 in force."""
    from tracuu.knowledge.validity import doc_key

    ledger = Ledger()
    ledger.set_effect(
        doc_key("05/QĐ-UBND", "2020-02-01"), "05/QĐ-UBND", Effect("2020-02-01", "signing", "…", "…", "corpus")
    )
    ledger.set_effect(
        doc_key("06/QĐ-UBND", "2023-03-01"), "06/QĐ-UBND", Effect("2023-03-01", "signing", "…", "…", "corpus")
    )
    ledger.add(Statement("replaces", "06/QĐ-UBND", "05/QĐ-UBND", "number", "whole", None, "…", "…", "corpus",
                         source_date="2023-03-01", target_date="2019-01-10"))  # fmt: skip
    ledger.finish()
    assert ledger.validity(doc_key("05/QĐ-UBND", "2020-02-01"), "2024-01-01").validity == "in_force"
    assert ledger.validity(doc_key("05/QĐ-UBND", "2019-01-10"), "2024-01-01").validity == "expired"


def test_text_edits_amend_and_a_sunset_ends(tmp_path):
    """ "Thay thế cụm từ …" and "Thay thế khoản 2 Điều 5 … như sau" give new wording (amends: nothing ends); a
    document's own "… có hiệu lực … đến hết ngày 31/12/2025" ends it on 01/01/2026; "Điều 5 Nghị định này có
    hiệu lực …" is a part's date, not the document's."""
    from tracuu.ingest.effect import find_effect
    from tracuu.ingest.relations import find_relations

    edits = find_relations("Thay thế cụm từ “Cục Tài chính” bằng cụm từ “Cục Kế hoạch” tại Điều 9 Thông tư số "
                           "19/2017/TT-BCA. 2. Thay thế từ, cụm từ, dấu phẩy tại các điều sau đây của Bộ luật Hình sự "
                           "số 100/2015/QH13:")  # fmt: skip
    assert [r.type for r in edits] == ["amends", "amends"]
    e = find_effect("Điều 5 Nghị định này có hiệu lực từ ngày 01/01/2023. Nghị quyết này có hiệu lực từ ngày "
                    "01/01/2022 đến hết ngày 31/12/2025.")  # fmt: skip
    assert (e.date, e.until) == ("2022-01-01", "2026-01-01")


def test_the_catalog_keeps_laws_in_force_that_only_had_words_or_annexes_changed():
    """Bộ luật Hình sự (phrases replaced by 12/2017/QH14), Luật Doanh nghiệp, Luật Quản lý thuế, Luật Phí và lệ
    phí (one annex point repealed): never "expired" from a clause that ends only words, an annex or another
    document's article run into the text."""
    lines = {
        x["doc_number"]: x for x in map(json.loads, VALIDITY_FILE.read_text(encoding="utf-8").splitlines())
    }
    for number in ("100/2015/QH13", "59/2020/QH14", "38/2019/QH14", "17/2023/QH15", "11/2017/QH14"):
        assert lines[number]["validity"] == "in_force", number
    assert lines["97/2015/QH13"]["validity"] == "partly_expired"
    assert lines["24/2000/QH10"]["validity"] == "expired"  # Luật Kinh doanh bảo hiểm: ended by 08/2022/QH15


def test_the_shipped_catalog_is_what_the_script_derives(tmp_path):
    """corpus/build_validity.py over Bộ Pháp điển gives the shipped file again (save the date it was built on):
    the catalog never drifts from the extractor that reads the texts."""
    import subprocess
    import sys

    from conftest import ROOT

    shipped = [json.loads(x) for x in VALIDITY_FILE.read_text(encoding="utf-8").splitlines()]
    out = tmp_path / "validity.jsonl"
    run = subprocess.run([sys.executable, str(ROOT / "corpus" / "build_validity.py"), "--out", str(out),
                          "--as-of", shipped[0]["as_of"]], capture_output=True, text=True, timeout=600)  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    assert out.read_text(encoding="utf-8") == VALIDITY_FILE.read_text(encoding="utf-8")


def test_a_repealed_chapter_flags_the_articles_in_it(tmp_path):
    """ "Bãi bỏ Chương VII Nghị định số 20/2021/NĐ-CP": a draft citing Điều 34 (in Chương VII, by the stored
    outline) gets unit_repealed; Điều 5 (Chương II) stays in force."""
    (tmp_path / "nd400.txt").write_text(
        "CHÍNH PHỦ\n-------\nSố: 400/2024/NĐ-CP\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Hà Nội, ngày 10 tháng 10 năm 2024\n\nNGHỊ ĐỊNH\nSỬA ĐỔI NGHỊ ĐỊNH 20/2021/NĐ-CP (THỬ)\n\nĐiều 1. Hiệu lực thi "
        "hành\n1. Nghị định này có hiệu lực thi hành từ ngày 01 tháng 12 năm 2024.\n2. Bãi bỏ Chương VII Nghị định số "
        "20/2021/NĐ-CP ngày 15 tháng 3 năm 2021 của Chính phủ.\n",
        encoding="utf-8",
    )
    store = product_store(tmp_path / "home")
    for path in (ND20, tmp_path / "nd400.txt"):
        store.put(ingest_file(path))
    draft = ("Căn cứ Điều 34 Nghị định số 20/2021/NĐ-CP ngày 15/3/2021 của Chính phủ;\n"
             "Căn cứ Điều 5 Nghị định số 20/2021/NĐ-CP ngày 15/3/2021 của Chính phủ;\n")  # fmt: skip
    found = check_text(store, draft, Catalog(store))["findings"]
    store.close()
    assert [[p["code"] for p in f["problems"]] for f in found] == [["unit_repealed"], []]
    assert found[0]["problems"][0]["evidence"]["citation"].startswith(
        "Khoản 2 Điều 1 Nghị định số 400/2024/NĐ-CP"
    )
