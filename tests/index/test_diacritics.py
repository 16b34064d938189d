"""Diacritic restoration: accuracy on held-out corpus sentences and on real questions, and the behaviour the
search relies on (numbers, typed accents, unknown words, spacing untouched; save/load identical).

Accuracy = share of syllables restored exactly (after `match_form`, so "hoà"/"hòa" count as equal); run with
`-s` to see the numbers."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CORPUS, SHARED
from tracuu.index.diacritics import DiacriticRestorer, question_texts
from tracuu.ingest.normalize import fold, match_form

DEV = SHARED / "eval" / "seed_qa_dev.jsonl"
ALQAC_LAW = SHARED / "data" / "incoming" / "alqac2024" / "law.json"
ALQAC_QUESTIONS = SHARED / "data" / "incoming" / "alqac2025" / "alqac25_train.json"
ZALO_EVAL = SHARED / "data" / "incoming" / "phapdien_vn" / "zalo2021_on_phapdien_qrels.jsonl"
_SYL = re.compile(r"[^\W\d_]+")


def corpus_texts() -> list[str]:
    """The text of each shipped corpus file, front matter (between the first two `---` lines) left out."""
    texts = []
    for path in sorted(CORPUS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            text = text.split("---\n", 2)[2]
        texts.append(text)
    return texts


def syllables(text: str) -> list[str]:
    """Syllables outside number chunks, lowercased, new-style tone placement."""
    text = match_form(unicodedata.normalize("NFC", text).lower())
    return [s for chunk in text.split() if not re.search(r"[\d/]", chunk) for s in _SYL.findall(chunk)]


def accuracy(model: DiacriticRestorer, sentences: list[str]) -> float:
    """Fold each sentence, restore it, count syllables equal to the original."""
    right = total = 0
    for sentence in sentences:
        gold, got = syllables(sentence), syllables(model.restore(fold(sentence)))
        assert len(gold) == len(got), (sentence, got)
        right += sum(g == o for g, o in zip(gold, got, strict=True))
        total += len(gold)
    return right / total


@pytest.fixture(scope="module")
def model() -> DiacriticRestorer:
    return DiacriticRestorer().fit(corpus_texts())


# ---------------------------------------------------------------- accuracy
def test_heldout_corpus_sentences():
    """Every 10th line of each document is held out; the model is fitted on the rest."""
    train, held = [], []
    for text in corpus_texts():
        for i, line in enumerate(text.split("\n")):
            (held if i % 10 == 5 else train).append(line)
    sentences = [s for line in held for s in re.split(r"(?<=[.!?;:])\s+", line) if len(syllables(s)) >= 3]
    acc = accuracy(DiacriticRestorer().fit(train), sentences)
    print(f"\nheld-out corpus sentences: {len(sentences)}, syllable accuracy {acc:.4f}")  # measured 0.992
    assert acc >= 0.97


@pytest.mark.skipif(not DEV.is_file(), reason="../shared (benchmark data) is not beside the clone")
def test_dev_questions(model):
    questions = [json.loads(line)["question"] for line in DEV.read_text(encoding="utf-8").splitlines()]
    accented = [q for q in questions if fold(q) != q.lower()]  # two dev questions were typed without accents
    acc = accuracy(model, accented)
    print(f"\ndev questions with accents: {len(accented)}, syllable accuracy {acc:.4f}")  # measured 0.991
    assert acc >= 0.95
    # The two typed without accents, against what an official would have written:
    assert model.restore("ai chiu trach nhiem cong tac xa hoi giai doan 2021-2030") == (
        "ai chịu trách nhiệm công tác xã hội giai đoạn 2021-2030"
    )
    assert (
        model.restore(
            "co quan nao chu tri nghien cuu ung dung cong nghe sinh hoc tao giong cay trong vat nuoi"
        )
        == "cơ quan nào chủ trì nghiên cứu ứng dụng công nghệ sinh học tạo giống cây trồng vật nuôi"
    )


@pytest.mark.skipif(
    not ALQAC_QUESTIONS.is_file(), reason="../shared (benchmark data) is not beside the clone"
)
def test_alqac_questions():
    """ALQAC 2025 questions against a model of the ALQAC 2024 law articles. Lower than the plans' questions:
    the law text never says "đúng hay sai", so "dung hay sai" often becomes "dừng"/"dùng"."""
    laws = json.loads(ALQAC_LAW.read_text(encoding="utf-8"))
    law_model = DiacriticRestorer().fit(a["text"] for law in laws for a in law["articles"])
    questions = [q["text"] for q in json.loads(ALQAC_QUESTIONS.read_text(encoding="utf-8"))]
    acc = accuracy(law_model, questions)
    print(f"\nALQAC 2025 questions: {len(questions)}, syllable accuracy {acc:.4f}")  # measured 0.980
    assert acc >= 0.95


@pytest.mark.skipif(not ZALO_EVAL.is_file(), reason="../shared (benchmark data) is not beside the clone")
def test_question_language_on_unseen_questions():
    """The shipped question language (users' questions no evaluation uses) against the 923 Zalo questions
    `tracuu eval zalo` asks, which it must not contain: fitted beside the corpus it restores them better
    than the corpus alone (measured 0.933 → 0.976 with the plans; corpus only here)."""
    asked = [json.loads(line)["query"] for line in ZALO_EVAL.read_text(encoding="utf-8").splitlines()]
    shipped = question_texts()
    assert len(shipped) > 2000
    assert not {" ".join(q.split()).lower() for q in asked} & {q.lower() for q in shipped}
    alone = accuracy(DiacriticRestorer().fit(corpus_texts()), asked)
    with_questions = accuracy(DiacriticRestorer().fit([*shipped, *corpus_texts()]), asked)
    print(f"\nZalo eval questions: corpus alone {alone:.4f}, with the question language {with_questions:.4f}")
    assert with_questions >= alone + 0.02
    assert with_questions >= 0.96


# ---------------------------------------------------------------- behaviour
def test_classic_query(model):
    assert model.restore("co quan nao chu tri") == "cơ quan nào chủ trì"
    assert model.restore("co quan nao chu tri giam ngheo") == "cơ quan nào chủ trì giảm nghèo"


def test_one_letter_syllables(model):
    assert model.restore("nguoi dan o vung sau vung xa") == "người dân ở vùng sâu vùng xa"
    assert model.restore("ho tro nha o cho nguoi co cong") == "hỗ trợ nhà ở cho người có công"


def test_numbers_untouched(model):
    assert model.restore("nghi dinh 20/2021/nd-cp quy dinh gi") == "nghị định 20/2021/nd-cp quy định gì"
    assert model.restore("20/2021/nd-cp") == "20/2021/nd-cp"


def test_typed_accents_respected(model):
    assert model.restore("chủ tri") == "chủ trì"
    assert model.restore("cổ quan") == "cổ quan"  # a known accented syllable is the user's choice
    assert model.restore("dân toc") == "dân tộc"
    assert model.restore("đuong giao thong") == "đường giao thông"  # partly typed: completed, "đ" kept
    assert model.restore("hoà giải") == "hoà giải"  # old-style tone placement left as typed


def test_unknown_words_stay(model):
    assert model.restore("qwrtz co quan") == "qwrtz cơ quan"
    assert model.restore("xyzzy") == "xyzzy"


def test_spacing_punctuation_and_case_kept(model):
    assert model.restore("Co  quan NAO chu tri?") == "Cơ  quan NÀO chủ trì?"
    assert model.restore(" (chu tri), giam ngheo…\n") == " (chủ trì), giảm nghèo…\n"


@pytest.mark.parametrize("query", ["", " ", "\n", "?!...", "-- ,;", "«»", "2021", "20/2021/NĐ-CP"])
def test_nothing_to_restore(model, query):
    assert model.restore(query) == query


def test_is_unaccented(model):
    assert model.is_unaccented("co quan nao chu tri")
    assert model.is_unaccented("nghi dinh 20/2021/NĐ-CP")  # accents in a document number do not count
    assert not model.is_unaccented("cơ quan nào chủ trì")
    assert not model.is_unaccented("chủ tri")
    assert not model.is_unaccented("qwrtz xyzzy")  # nothing the model could restore
    assert not model.is_unaccented("")
    assert not model.is_unaccented("20/2021")


def test_save_load_round_trip(model, tmp_path):
    path = tmp_path / "diacritics.npz"
    model.save(path)
    loaded = DiacriticRestorer.load(path)
    queries = [fold(line) for line in corpus_texts()[0].split("\n")[:60]]
    queries += ["co quan nao chu tri", "chủ tri", "Co  quan NAO chu tri?", "nghi dinh 20/2021/nd-cp", ""]
    for q in queries:
        assert loaded.restore(q) == model.restore(q)
        assert loaded.is_unaccented(q) == model.is_unaccented(q)
    assert path.stat().st_size < 2_000_000


def test_empty_model():
    empty = DiacriticRestorer().fit([])
    assert empty.restore("co quan nao") == "co quan nao"
    assert not empty.is_unaccented("co quan nao")


_ALNUM = "abcdeghiklmnopqrstuvxyđABCDĐEGHIKLMNOQRSTUVXY0123456789 ăâêôơưáàảãạấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet=st.sampled_from(_ALNUM), max_size=60))
def test_restore_keeps_the_folded_query(model, query):
    out = model.restore(query)
    assert isinstance(out, str)
    assert fold(out) == fold(query)


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=40))
def test_restore_never_raises(model, query):
    assert isinstance(model.restore(query), str)
    model.is_unaccented(query)


def _ngrams(m: DiacriticRestorer) -> tuple[dict, dict, dict]:
    """The model's counts by words, whatever ids its vocabulary gave them."""
    v, w = len(m.vocab), m.vocab
    uni = {w[i]: int(c) for i, c in enumerate(m.uni) if c}
    bi = {
        (w[k // v], w[k % v]): int(c) for k, c in zip(m.bi_keys.tolist(), m.bi_counts.tolist(), strict=True)
    }
    tri = {
        (w[k // (v * v)], w[k // v % v], w[k % v]): int(c)
        for k, c in zip(m.tri_keys.tolist(), m.tri_counts.tolist(), strict=True)
    }
    return uni, bi, tri


def test_counting_more_text_equals_fitting_everything_again(tmp_path):
    """An upload counts only its own text into the model; the counts equal a fit over all the text, new
    syllables included, and the model it was built from is left unchanged (a server may be using it)."""
    texts = corpus_texts()
    first, rest = texts[: len(texts) // 2], texts[len(texts) // 2 :]
    base = DiacriticRestorer().fit(first)
    before = _ngrams(base)
    grown = base.with_texts(rest)
    assert len(grown.vocab) > len(base.vocab)  # the second half brings syllables the first did not have
    assert _ngrams(grown) == _ngrams(DiacriticRestorer().fit(first + rest))
    assert _ngrams(base) == before
    full = DiacriticRestorer().fit(first + rest)
    for q in ("co quan nao chu tri giam ngheo", "tro giup xa hoi hang thang", "nguoi cao tuoi"):
        assert grown.restore(q) == full.restore(q)
    grown.forgotten = 7
    grown.save(tmp_path / "m.npz")
    assert DiacriticRestorer.load(tmp_path / "m.npz").forgotten == 7
