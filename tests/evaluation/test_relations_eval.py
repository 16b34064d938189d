"""The relations measure itself: one gold relation to one extracted relation by type and other document
(numbers by key, names folded and allowed to be cut short), every unlisted extraction a false positive;
and the extractor held just under what it measures on the clause gold, so a regression fails."""

from __future__ import annotations

import json

from tracuu.evaluation.evaluate_relations import other_key, relations_eval, relations_report


def _gold(tmp_path, items):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items), encoding="utf-8")
    return path


def test_a_found_relation_counts_once_and_an_unlisted_one_is_a_false_positive(tmp_path):
    clause = ("Bãi bỏ Quyết định số 30/2018/QĐ-UBND và Quyết định số 31/2018/QĐ-UBND của Ủy ban nhân dân "
              "tỉnh.")  # fmt: skip
    gold = _gold(tmp_path, [
        {"id": "a", "clause": clause, "relations": [{"type": "expires", "other": "30/2018/QD-UBND", "scope": "whole",
                                                     "from": None}]},
        {"id": "b", "clause": "Bãi bỏ thủ tục hành chính về cấp phép.", "relations": []},
    ])  # fmt: skip
    out = relations_eval(gold)
    assert (out["relations"], out["recall"], out["precision"]) == (1, 1.0, 0.5)  # 31/2018 is not in the gold
    assert out["by_type"]["expires"] == {"gold": 1, "found": 2, "recall": 1.0, "precision": 0.5}
    assert [m["extra"]["other"] for m in out["misses"] if "extra" in m] == ["31/2018/QĐ-UBND"]


def test_one_gold_relation_takes_one_extraction(tmp_path):
    clause = "Bãi bỏ Điều 5 Nghị định số 15/2018/NĐ-CP và Điều 5 Nghị định số 15/2018/NĐ-CP."
    gold = _gold(tmp_path, [{"id": "a", "clause": clause, "relations": [
        {"type": "repeals_part", "other": "15/2018/NĐ-CP", "scope": "Điều 5", "from": None},
        {"type": "repeals_part", "other": "15/2018/NĐ-CP", "scope": "Điều 7", "from": None},
        {"type": "based_on", "other": "Luật Thuế giá trị gia tăng", "other_kind": "title", "scope": "whole",
         "from": None}]}])  # fmt: skip
    out = relations_eval(gold)  # two extractions of Điều 5: one pairs, the other pairs with Điều 7's item
    assert out["relations"] == 3 and out["by_type"]["repeals_part"] == {"gold": 2, "found": 2, "recall": 1.0,
                                                                       "precision": 1.0}  # fmt: skip
    assert out["scope_accuracy"] == 0.5 and out["by_type"]["based_on"]["recall"] == 0.0


def test_names_are_compared_folded_without_their_type_word():
    assert other_key("Luật Khí tượng thủy văn", "title") == other_key("Khí tượng thủy văn", "title")
    assert other_key("161/QD-TTg") == other_key("161/QĐ-TTg")


def test_both_golds_stay_where_they_were_measured():
    report = relations_report()
    for name, (recall, precision) in (("development", (0.86, 0.89)), ("held_out", (0.83, 0.80))):
        out = report[name]
        assert out["relations"] >= 130 and all(r["gold"] >= 12 for r in out["by_type"].values())
        assert out["recall"] >= recall and out["precision"] >= precision, (
            name,
            out["recall"],
            out["precision"],
        )
    assert "misses" not in report["held_out"]  # nobody changing the rules reads them
