"""BM25 fields: tokenisation of accented, unaccented and number tokens; scores equal a reference
implementation (bm25s, "lucene" variant); incremental add and delete equal a full rebuild."""

from __future__ import annotations

import numpy as np
import pytest

from tracuu.index.lexical import FieldIndex, LexicalIndex, fold_tokens, number_tokens, syllable_tokens

DOCS = [
    "Sở Y tế chủ trì, tăng cường công tác phòng, chống HIV/AIDS trên địa bàn tỉnh.",
    "Sở Lao động - Thương binh và Xã hội chủ trì thực hiện Nghị định 20/2021/NĐ-CP về trợ giúp xã hội.",
    "Thực hiện Quyết định số 161/QĐ-TTg ngày 25/01/2016 của Thủ tướng Chính phủ.",
    "Tỉnh đoàn Khánh Hòa chủ trì xây dựng các điểm sinh hoạt, vui chơi cho thiếu nhi.",
    "Người cao tuổi neo đơn được hưởng trợ cấp xã hội hằng tháng.",
    "Y tế cơ sở và y tế dự phòng; ở vùng sâu, vùng xa.",
]


def test_tokens_keep_one_letter_syllables_and_numbers():
    assert syllable_tokens("ở vùng y tế") == ["ở", "vùng", "y", "tế"]
    assert "20/2021/nd-cp" in syllable_tokens("Nghị định 20/2021/NĐ-CP")
    assert number_tokens("Chỉ thị số 39-CT/TW và 161/QĐ-TTg.") == ["39-ct/tw", "161/qd-ttg"]
    assert fold_tokens("Cơ quan nào chủ trì") == ["co", "quan", "nao", "chu", "tri"]
    # old and new tone placement give the same token
    assert syllable_tokens("hoà bình") == syllable_tokens("hòa bình")


def _field(docs: list[str]) -> FieldIndex:
    f = FieldIndex()
    f.add([syllable_tokens(d) for d in docs], 0)
    return f


def test_bm25_matches_the_reference_implementation():
    bm25s = pytest.importorskip("bm25s")
    corpus = [syllable_tokens(d) for d in DOCS]
    ref = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
    ref.index(corpus, show_progress=False)
    ours = _field(DOCS)
    alive = np.ones(len(DOCS), dtype=bool)
    for query in ("chủ trì", "y tế", "xã hội hằng tháng", "161/qđ-ttg"):
        q = syllable_tokens(query)
        expected = ref.get_scores(q)
        got = ours.scores(q, alive)
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_incremental_add_and_delete_equal_a_rebuild():
    inc = FieldIndex()
    inc.add([syllable_tokens(d) for d in DOCS[:3]], 0)
    inc.add([syllable_tokens(d) for d in DOCS[3:]], 3)
    alive = np.ones(len(DOCS), dtype=bool)
    alive[1] = False  # deleted
    rebuilt = _field([d for i, d in enumerate(DOCS) if i != 1])
    for query in ("chủ trì", "trợ giúp xã hội", "y tế"):
        q = syllable_tokens(query)
        got = np.delete(inc.scores(q, alive), 1)
        want = rebuilt.scores(q, np.ones(len(DOCS) - 1, dtype=bool))
        np.testing.assert_allclose(got, want, rtol=1e-5)
    inc.compact(alive)
    assert len(inc.segments) == 1
    np.testing.assert_allclose(inc.scores(syllable_tokens("chủ trì"), alive)[alive],
                               rebuilt.scores(syllable_tokens("chủ trì"), np.ones(5, bool)), rtol=1e-5)  # fmt: skip


def test_unfiltered_scores_over_segments_follow_additions():
    """The unfiltered path keeps its length normalisation between queries: still the rebuild's scores
    over several segments, and recomputed once documents are added."""
    inc = FieldIndex()
    inc.add([syllable_tokens(d) for d in DOCS[:3]], 0)
    q = syllable_tokens("chủ trì y tế")
    np.testing.assert_allclose(inc.scores(q, np.ones(3, bool)), _field(DOCS[:3]).scores(q, np.ones(3, bool)),
                               rtol=1e-5)  # fmt: skip
    inc.add([syllable_tokens(d) for d in DOCS[3:]], 3)
    alive = np.ones(len(DOCS), dtype=bool)
    np.testing.assert_allclose(inc.scores(q, alive), _field(DOCS).scores(q, alive), rtol=1e-5)


def test_unaccented_query_finds_its_passage_on_the_folded_field():
    index = LexicalIndex()
    index.add([{"syl": syllable_tokens(d), "words": [], "fold": fold_tokens(d)} for d in DOCS], 0)
    alive = np.ones(len(DOCS), dtype=bool)
    scores = index.scores({"fold": fold_tokens("nguoi cao tuoi neo don")}, alive, {"fold": 1.0})
    assert int(np.argmax(scores)) == 4
    on_syllables = index.scores({"syl": syllable_tokens("nguoi cao tuoi neo don")}, alive, {"syl": 1.0})
    assert on_syllables[4] < scores[4]  # only "cao" and "neo" match without accents


def test_number_variants_match():
    index = LexicalIndex()
    index.add([{"syl": syllable_tokens(d), "words": [], "fold": fold_tokens(d)} for d in DOCS], 0)
    alive = np.ones(len(DOCS), dtype=bool)
    for q in ("161/QD-TTg", "Quyết định số 161", "161/QĐ-TTg"):
        s = index.scores(
            {"syl": syllable_tokens(q), "fold": fold_tokens(q)}, alive, {"syl": 1.0, "fold": 1.0}
        )
        assert int(np.argmax(s)) == 2, q


def test_save_and_load_round_trip(tmp_path):
    index = LexicalIndex()
    index.add([{"syl": syllable_tokens(d), "words": [], "fold": fold_tokens(d)} for d in DOCS], 0)
    index.save(tmp_path)
    again = LexicalIndex.load(tmp_path)
    alive = np.ones(len(DOCS), dtype=bool)
    q = {"syl": syllable_tokens("chủ trì")}
    np.testing.assert_array_equal(index.scores(q, alive, {"syl": 1}), again.scores(q, alive, {"syl": 1}))


def test_top_rows_equal_the_full_ranking_on_the_seed_plan():
    """The one-accumulator top (all fields' postings added together) gives exactly the top of the
    per-field BM25 scores summed, over several segments, for real questions and random term mixes."""
    import random

    from conftest import SEED
    from tracuu.index.lexical import _top, field_tokens
    from tracuu.index.search import WEIGHTS_ACCENTED, WEIGHTS_UNACCENTED, query_fields
    from tracuu.ingest.segment import word_segment

    lines = [ln for ln in SEED.read_text(encoding="utf-8").splitlines() if len(ln.split()) > 3]
    docs = [field_tokens(ln, word_segment(ln)) for ln in lines]
    index = LexicalIndex()
    for start in range(0, len(docs), 150):  # several segments, as incremental adds leave them
        index.add(docs[start : start + 150], start)
    assert len(index.fields["syl"].segments) > 1
    rng = random.Random(7)
    vocab = sorted({t for d in docs for t in d["syl"]})
    questions = ["cơ quan nào chủ trì phòng chống HIV", "trợ giúp xã hội hằng tháng cho người cao tuổi",
                 "co quan nao chu tri giam ngheo", "của và các trong", "Nghị định 20/2021/NĐ-CP"]  # fmt: skip
    questions += [" ".join(rng.sample(vocab, rng.randint(1, 12))) for _ in range(60)]
    alive = np.ones(len(docs), dtype=bool)
    checked = 0
    for q in questions:
        queries = {f: list(t) for f, t in query_fields(q, q)}
        for weights in (WEIGHTS_ACCENTED, WEIGHTS_UNACCENTED, {"fold": 1.0}):
            for n in (1, 10, 100):
                scores = index.scores(queries, alive, weights)
                want_rows, want = _top(scores, n + 1)  # one more: is the last row tied with the next?
                rows, got = index.top(queries, alive, weights, n)
                np.testing.assert_allclose(got, want[:n], rtol=1e-5)
                for i in range(len(got)):
                    tied = (i > 0 and want[i - 1] - want[i] < 1e-4) or (
                        i + 1 < len(want) and want[i] - want[i + 1] < 1e-4
                    )
                    assert tied or rows[i] == want_rows[i], (q, weights, n, i)
                checked += len(want)
    assert checked > 1000
    # a filtered query (a dead row) takes the full path and still agrees
    alive[::3] = False
    queries = {f: list(t) for f, t in query_fields(questions[1], questions[1])}
    rows, got = index.top(queries, alive, WEIGHTS_ACCENTED, 10)
    want_rows, want = _top(index.scores(queries, alive, WEIGHTS_ACCENTED), 10)
    assert list(rows) == list(want_rows) and alive[rows].all()


def test_top_cuts_ties_in_row_order():
    from tracuu.index.lexical import _top

    rows, scores = _top(np.array([1, 1, 1, 1, 1, 2, 0], dtype=np.float32), 3)
    assert rows.tolist() == [5, 0, 1] and scores.tolist() == [2, 1, 1]
    assert _top(np.zeros(4, dtype=np.float32), 3)[0].tolist() == []
    assert _top(np.array([0.5, 0.0, 3.0], dtype=np.float32), 10)[0].tolist() == [2, 0]
