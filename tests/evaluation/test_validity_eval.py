"""Validity on gold written independently (tests/data/validity_gold: 14 documents written for the purpose,
57 facts "status of X on date D", 10 drafts with their expected codes; validity_gold_heldout: another
annotator's 14 documents, 72 facts, 12 drafts, never tuned on): the measure counts what it should, and the
product is held just under what it measures, so a regression fails. The first frozen runs are in BENCHMARKS.md."""

from __future__ import annotations

import json
import shutil

import pytest

from tracuu.evaluation.evaluate_validity import GOLD, HELD_OUT, validity_report, validity_reports


def _lines(path):
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


@pytest.fixture(scope="module")
def reports():
    return validity_reports()


@pytest.mark.parametrize("gold", [GOLD, HELD_OUT], ids=["development", "held_out"])
def test_the_gold_is_complete_and_covers_every_status_and_code(gold):
    facts, drafts = _lines(gold / "facts.jsonl"), _lines(gold / "drafts.jsonl")
    assert len(list((gold / "docs").glob("*.txt"))) == 14 and len(facts) >= 50 and len(drafts) >= 8
    assert {f["validity"] for f in facts} == {
        "in_force",
        "partly_expired",
        "expired",
        "not_yet_in_force",
        "unknown",
    }
    assert {c for d in drafts for e in d["expected"] for c in e["codes"]} == {
        "expired", "not_yet_in_force", "unit_repealed"}  # fmt: skip


def test_validity_holds_on_the_development_gold(reports):
    f, d = reports["development"]["facts"], reports["development"]["drafts"]
    assert f["facts"] >= 50
    assert f["validity_accuracy"] >= 0.95 and f["all_accuracy"] >= 0.9, f["misses"]
    assert d["precision"] >= 0.9 and d["recall"] >= 0.9, d["misses"]


def test_validity_holds_on_the_held_out_gold_without_showing_its_misses(reports):
    f, d = reports["held_out"]["facts"], reports["held_out"]["drafts"]
    assert "misses" not in f and "misses" not in d  # nobody tunes on them
    assert f["facts"] == 72 and f["validity_accuracy"] >= 0.95 and f["all_accuracy"] >= 0.9
    assert d["precision"] >= 0.9 and d["recall"] >= 0.9


def test_the_measure_sees_a_wrong_fact(tmp_path):
    """A gold whose first fact is changed to a wrong status is scored lower: the measure is not a constant."""
    gold = tmp_path / "gold"
    shutil.copytree(GOLD, gold)
    facts = (gold / "facts.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(facts[0])
    first["validity"] = "expired" if first["validity"] != "expired" else "in_force"
    (gold / "facts.jsonl").write_text(
        "\n".join([json.dumps(first, ensure_ascii=False), *facts[1:]]), encoding="utf-8"
    )
    out = validity_report(gold)["facts"]
    assert out["misses"][0]["number"] == first["number"] and out["validity_accuracy"] < 1.0
