"""Tests of course_utils.text (notebook 05): data, the Kneser-Ney n-gram, scoring, sampling, features."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_utils.text import (
    CharVocabulary,
    KneserNeyModel,
    bits_per_character,
    coloured_html,
    correlations,
    gather_scored,
    load_hamlet,
    make_sequences,
    mixture_weight,
    scoring_windows,
    split_by_position,
    text_features,
    unigram_probabilities,
)

# --------------------------------------------------------------------------- data


def test_hamlet_is_the_bundled_text():
    text = load_hamlet()
    assert len(text) == 175_176 and len(set(text)) == 66
    assert text.startswith("\nThe Tragedy of Hamlet, Prince of Denmark")
    assert "To be, or not to be" in text


def test_split_by_position_keeps_reading_order():
    text = "".join(chr(97 + i % 26) for i in range(1000))
    train, validation, test = split_by_position(text, 0.1, 0.2)
    assert train + validation + test == text
    assert (len(train), len(validation), len(test)) == (700, 100, 200)


@pytest.mark.parametrize("arguments, error", [
    ((b"bytes", 0.1, 0.1), TypeError),
    (("abc" * 10, 0.6, 0.1), ValueError),
    (("abc" * 10, 0.1, "0.1"), TypeError),
    (("ab", 0.1, 0.1), ValueError),
])
def test_split_by_position_rejects_bad_arguments(arguments, error):
    with pytest.raises(error):
        split_by_position(*arguments)


def test_vocabulary_round_trip_and_errors():
    vocabulary = CharVocabulary("hello, world\n")
    assert vocabulary.symbols == "\n ,dehlorw" and len(vocabulary) == 10
    ids = vocabulary.encode("world, hello")
    assert ids.dtype == np.int32 and vocabulary.decode(ids) == "world, hello"
    assert vocabulary.decode([]) == ""
    with pytest.raises(ValueError, match="not in the vocabulary"):
        vocabulary.encode("Hello")
    with pytest.raises(ValueError, match="0..9"):
        vocabulary.decode([3, 10])
    with pytest.raises(TypeError):
        vocabulary.decode([0.5])
    with pytest.raises(TypeError):
        CharVocabulary("")


def test_make_sequences_shifts_targets_by_one():
    rng = np.random.default_rng(0)
    for _ in range(20):
        ids = rng.integers(0, 9, size=rng.integers(20, 200))
        length = int(rng.integers(1, 19))
        stride = int(rng.integers(1, 7))
        inputs, targets = make_sequences(ids, length, stride)
        expected = [(ids[s : s + length], ids[s + 1 : s + length + 1]) for s in range(0, len(ids) - length, stride)]
        assert inputs.shape == targets.shape == (len(expected), length)
        for row, (x, y) in enumerate(expected):
            np.testing.assert_array_equal(inputs[row], x)
            np.testing.assert_array_equal(targets[row], y)
    inputs, _ = make_sequences(np.arange(11), 5)  # default stride: non-overlapping
    np.testing.assert_array_equal(inputs, [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]])


@pytest.mark.parametrize("arguments, error", [
    ((np.arange(5), 5), ValueError),
    ((np.arange(10.0), 3), TypeError),
    ((np.arange(10), 0), ValueError),
    ((np.arange(10), 3, 0), ValueError),
    ((np.arange(-1, 9), 3), ValueError),
])
def test_make_sequences_rejects_bad_arguments(arguments, error):
    with pytest.raises(error):
        make_sequences(*arguments)


# --------------------------------------------------------------------------- Kneser-Ney


def test_kneser_ney_hand_computed_bigram():
    """Training text "aaab", vocabulary a, b, c, one discount D = 0.5, worked out by hand.

    Unigram level (continuation counts: a and b each follow one distinct character): total 2, back-off
    (0.5 + 0.5) / 2 = 0.5, so P1(a) = P1(b) = 0.5 / 2 + 0.5 / 3 = 5/12 and P1(c) = 0.5 / 3 = 1/6.
    Bigram level, context "a" (aa twice, ab once): total 3, back-off 1/3:
    P(a|a) = 1.5 / 3 + 5/36 = 23/36, P(b|a) = 0.5 / 3 + 5/36 = 11/36, P(c|a) = 1/18.
    Context "b" and "c" were never followed by anything: they fall back to P1.
    """
    model = KneserNeyModel(2, CharVocabulary("abc"), discount=0.5).fit("aaab")
    np.testing.assert_allclose(model.distribution("a"), [23 / 36, 11 / 36, 2 / 36])
    np.testing.assert_allclose(model.distribution("b"), [5 / 12, 5 / 12, 1 / 6])
    np.testing.assert_allclose(model.distribution("xxc"[-1:]), [5 / 12, 5 / 12, 1 / 6])
    np.testing.assert_allclose(model.distribution(""), [5 / 12, 5 / 12, 1 / 6])  # the first character
    np.testing.assert_allclose(model.probabilities_of_text("aaab"), [5 / 12, 23 / 36, 23 / 36, 11 / 36])


def test_kneser_ney_hand_computed_unigram():
    """Order 1 uses raw counts: a 3, b 1, total 4, back-off 1/4: P(a) = 2.5/4 + 1/12, P(b) = 0.5/4 + 1/12."""
    model = KneserNeyModel(1, CharVocabulary("abc"), discount=0.5).fit("aaab")
    np.testing.assert_allclose(model.distribution("anything"), [0.625 + 1 / 12, 0.125 + 1 / 12, 1 / 12])


def test_modified_discounts_follow_chen_and_goodman():
    # order 1 counts: a, b, c once (n1 = 3), d, e twice (n2 = 2), f, g 3 times (n3 = 2), h 4 times (n4 = 1)
    text = "abcddeefffggghhhh"
    model = KneserNeyModel(1, CharVocabulary(text)).fit(text)
    y = 3 / (3 + 2 * 2)
    np.testing.assert_allclose(model.levels[-1].discounts, (1 - 2 * y * 2 / 3, 2 - 3 * y * 2 / 2, 3 - 4 * y * 1 / 2))
    # a, b, c once, d twice, e 3 times, f and g 4 times: D3+ = 3 - 4 * 0.6 * 2 / 1 < 0 is clipped to 0
    clipped = KneserNeyModel(1, CharVocabulary("abcdefg")).fit("abcddeeeffffgggg")
    np.testing.assert_allclose(clipped.levels[-1].discounts, (0.6, 0.2, 0.0))
    too_few = KneserNeyModel(1, CharVocabulary("abc")).fit("aab")  # no count of 3 or 4: one discount of 0.5
    assert too_few.levels[-1].discounts == (0.5, 0.5, 0.5)


def test_kneser_ney_hand_computed_bigram_with_estimated_discounts():
    """Order 2, discount=None: the unigram level's discounts come from its continuation counts (issue 26, mutant M6).

    Training text "aabccbbdbac", vocabulary a, b, c, d. Its 10 bigrams aa ab bc cc cb bb bd db ba ac occur once each:
    the counts of counts have n2 = 0, so the bigram level falls back to one discount D = 0.5.
    Unigram level, continuation counts (distinct characters before each): a 2 (a, b), b 4 (a, c, b, d), c 3 (b, c, a),
    d 1 (b); total 10. Counts of counts n1 = n2 = n3 = n4 = 1, so y = 1 / (1 + 2 * 1) = 1/3 and
    D1 = 1 - 2 * (1/3) * 1/1 = 1/3, D2 = 2 - 3 * (1/3) * 1/1 = 1, D3+ = 3 - 4 * (1/3) * 1/1 = 5/3.
    (The raw unigram counts a 3, b 4, c 3, d 1 have n2 = 0: estimated from them, D would be 0.5 everywhere.)
    Back-off mass (D2 + D3+ + D3+ + D1) / 10 = (1 + 5/3 + 5/3 + 1/3) / 10 = 7/15, spread uniformly: 7/15 / 4 = 7/60.
    P1(a) = (2 - 1) / 10 + 7/60 = 13/60,       P1(b) = (4 - 5/3) / 10 + 7/60 = 21/60,
    P1(c) = (3 - 5/3) / 10 + 7/60 = 15/60,     P1(d) = (1 - 1/3) / 10 + 7/60 = 11/60   (sum 60/60).
    Bigram level, D = 0.5; each context's back-off is 0.5 * (number of followers) / total = 1/2 here:
    context "a" (aa, ab, ac; total 3):     P(x|a) = 0.5/3 [if ax seen] + P1(x) / 2 -> (20+13, 20+21, 20+15, 0+11) / 120
    context "b" (ba, bb, bc, bd; total 4): P(x|b) = 0.5/4 + P1(x) / 2          -> (15+13, 15+21, 15+15, 15+11) / 120
    context "c" (cb, cc; total 2):         P(x|c)                              -> (0+13, 30+21, 30+15, 0+11) / 120
    context "d" (db; total 1):             P(x|d)                              -> (0+13, 60+21, 0+15, 0+11) / 120
    """
    model = KneserNeyModel(2, CharVocabulary("abcd")).fit("aabccbbdbac")
    np.testing.assert_allclose(model.levels[0].discounts, (1 / 3, 1, 5 / 3))
    assert model.levels[1].discounts == (0.5, 0.5, 0.5)
    np.testing.assert_allclose(model.distribution(""), np.array([13, 21, 15, 11]) / 60)  # the first character
    np.testing.assert_allclose(model.distribution("a"), np.array([33, 41, 35, 11]) / 120)
    np.testing.assert_allclose(model.distribution("b"), np.array([28, 36, 30, 26]) / 120)
    np.testing.assert_allclose(model.distribution("c"), np.array([13, 51, 45, 11]) / 120)
    np.testing.assert_allclose(model.distribution("d"), np.array([13, 81, 15, 11]) / 120)


@given(st.text(alphabet="abcde \n", min_size=8, max_size=120), st.integers(1, 6),
       st.text(alphabet="abcdefg \n", max_size=8), st.sampled_from([None, 0.1, 0.75, 1.0]))
def test_kneser_ney_distributions_sum_to_one_for_any_context(training, order, context, discount):
    vocabulary = CharVocabulary("abcdefg \n")  # f and g never occur in training
    model = KneserNeyModel(order, vocabulary, discount=discount).fit(training)
    distribution = model.distribution(context)  # seen, unseen and partly seen contexts, and unseen characters
    assert distribution.shape == (9,)
    assert np.all(distribution > 0)
    assert distribution.sum() == pytest.approx(1.0, abs=1e-12)


def test_kneser_ney_on_hamlet_sums_to_one_and_orders_improve_on_training_text():
    text = load_hamlet()
    vocabulary = CharVocabulary(text)
    train = text[:20_000]
    training_bits = []
    for order in (1, 3, 6):
        model = KneserNeyModel(order, vocabulary).fit(train)
        for context in ("", "HAMLE", "To be, or not to b", "zzzzzz", "[Asid"):
            assert model.distribution(context).sum() == pytest.approx(1.0, abs=1e-12)
        training_bits.append(bits_per_character(model.probabilities_of_text(train, 0, 5_000)))
    assert training_bits[0] > training_bits[1] > training_bits[2]  # longer contexts fit the training text better


def test_probabilities_of_text_uses_the_text_before_first():
    text = load_hamlet()[:3_000]
    model = KneserNeyModel(4, CharVocabulary(text)).fit(text[:2_000])
    scored = model.probabilities_of_text(text, 2_500, 2_600)
    expected = [model.probability(text[p - 3 : p], text[p]) for p in range(2_500, 2_600)]
    np.testing.assert_allclose(scored, expected)
    assert model.probability(text[2_000 : 2_500], text[2_500]) == scored[0]  # only the last 3 characters count


def test_kneser_ney_rejects_bad_use():
    vocabulary = CharVocabulary("abc")
    with pytest.raises(ValueError, match="fit the model first"):
        KneserNeyModel(2, vocabulary).distribution("a")
    with pytest.raises(ValueError):
        KneserNeyModel(0, vocabulary)
    with pytest.raises(TypeError):
        KneserNeyModel(2, "abc")
    with pytest.raises(ValueError):
        KneserNeyModel(2, vocabulary, discount=1.5)
    with pytest.raises(ValueError):
        KneserNeyModel(2, vocabulary).fit("abd")  # d is outside the vocabulary
    with pytest.raises(ValueError, match="text must have at least order = 3 characters, got 2"):
        KneserNeyModel(3, vocabulary).fit("ab")
    with pytest.raises(TypeError, match="text must be a string"):
        KneserNeyModel(2, vocabulary).fit(["a", "b", "c"])
    model = KneserNeyModel(2, vocabulary).fit("abcabc")
    with pytest.raises(ValueError, match=r"character must hold only the vocabulary's symbols, got \['d'\]"):
        model.probability("a", "d")
    with pytest.raises(TypeError, match="character must be a single character, got 'ab'"):
        model.probability("a", "ab")
    with pytest.raises(ValueError, match=r"text must hold only the vocabulary's symbols, got \['d'\]"):
        model.probabilities_of_text("abdc", 2)  # d scored: refused; d read as context only: scored as unseen
    assert model.probabilities_of_text("abdc", 3).shape == (1,)
    with pytest.raises(ValueError, match="last must be <= characters"):
        model.probabilities_of_text("abc", 0, 4)
    with pytest.raises(ValueError, match=r"last must be >= first \+ 1 \(3\), got 2"):
        model.probabilities_of_text("abc", 2, 2)
    with pytest.raises(ValueError, match=r"first must be <= characters - 1 \(2\), got 3"):
        model.probabilities_of_text("abc", 3)


def test_unigram_is_add_one_frequency():
    vocabulary = CharVocabulary("abc")
    np.testing.assert_allclose(unigram_probabilities("aaab", vocabulary), [4 / 7, 2 / 7, 1 / 7])


# --------------------------------------------------------------------------- scores


def test_bits_per_character_is_minus_mean_log2():
    rng = np.random.default_rng(1)
    probabilities = rng.uniform(0.001, 1, size=100)
    assert bits_per_character(probabilities) == pytest.approx(-np.mean(np.log(probabilities)) / np.log(2))
    assert bits_per_character([1 / 66] * 10) == pytest.approx(np.log2(66))
    for bad in ([0.0, 0.5], [1.5], [np.nan]):
        with pytest.raises(ValueError):
            bits_per_character(bad)


def test_mixture_weight_picks_the_better_model():
    rng = np.random.default_rng(2)
    good = rng.uniform(0.5, 0.9, size=200)
    bad = good / 4
    assert mixture_weight(good, bad) == 1.0
    assert mixture_weight(bad, good) == 0.0
    complementary_a = np.where(np.arange(200) % 2 == 0, 0.9, 0.01)  # each model is right on half the characters
    complementary_b = np.where(np.arange(200) % 2 == 0, 0.01, 0.9)
    assert mixture_weight(complementary_a, complementary_b) == pytest.approx(0.5)
    with pytest.raises(ValueError):
        mixture_weight(good, good[:-1])
    with pytest.raises(ValueError):
        mixture_weight(good, bad, weights=[0.5, 1.5])


def test_scoring_windows_score_each_character_once_after_its_warmup():
    rng = np.random.default_rng(3)
    for _ in range(30):
        ids = rng.integers(0, 7, size=int(rng.integers(60, 300)))
        warmup, block = int(rng.integers(0, 12)), int(rng.integers(1, 25))
        last = int(rng.integers(warmup + block + 2, len(ids) + 1))
        first = int(rng.integers(warmup + 1, last))
        windows = scoring_windows(ids, first, last, warmup, block)
        assert windows.inputs.shape == windows.targets.shape == windows.positions.shape
        assert windows.inputs.shape[1] == warmup + block
        scored = windows.positions[windows.positions >= 0]
        np.testing.assert_array_equal(np.sort(scored), np.arange(first, last))  # each position exactly once
        for row in range(len(windows.inputs)):
            begin = np.flatnonzero(windows.targets[row] == windows.targets[row])[0]  # always 0
            for step in np.flatnonzero(windows.positions[row] >= 0):
                position = windows.positions[row, step]
                assert windows.targets[row, step] == ids[position]
                assert step - begin >= warmup  # at least warmup + 1 characters read before it
                np.testing.assert_array_equal(windows.inputs[row, : step + 1], ids[position - step - 1 : position])
        values = np.where(windows.positions >= 0, windows.positions * 10, -1)
        np.testing.assert_array_equal(gather_scored(values, windows.positions, first, last),
                                      np.arange(first, last) * 10)


@pytest.mark.parametrize("arguments", [
    (np.arange(100), 5, 50, 5, 10),  # first must leave room for the warm-up
    (np.arange(100), 50, 120, 5, 10),  # last beyond the text
    (np.arange(100), 50, 40, 5, 10),  # last before first
    (np.arange(100.0), 50, 90, 5, 10),  # not integer ids
])
def test_scoring_windows_reject_bad_arguments(arguments):
    with pytest.raises((ValueError, TypeError)):
        scoring_windows(*arguments)


def test_gather_scored_refuses_incomplete_positions():
    with pytest.raises(ValueError, match="exactly once"):
        gather_scored(np.zeros((1, 3)), np.array([[5, 6, 6]]), 5, 8)


# --------------------------------------------------------------------------- looking inside


def test_text_features_by_hand():
    text = "HAMLET\nTo be. [Aside] No\n"
    features = text_features(text, 0, len(text))
    assert features["position in line"].tolist() == [1, 2, 3, 4, 5, 6, 0] + list(range(1, 18)) + [0]
    assert features["upper-case line"].tolist() == [0, 1, 1, 1, 1, 1, 0] + [0] * 18  # two letters needed
    bracket = text.index("[")
    assert features["inside brackets"].tolist() == [0] * bracket + [1] * 6 + [0] * (len(text) - bracket - 6)
    stop = text.index(".")
    expected_stop = [0] * len(text)
    expected_stop[stop : stop + 2] = [1, 1]  # "." and " "; the "[" ends it
    assert features["after a full stop"].tolist() == expected_stop
    part = text_features(text, 5, 12)  # a slice gives the same values as the whole
    for name, values in part.items():
        np.testing.assert_array_equal(values, features[name][5:12])


def test_correlations_match_numpy_corrcoef():
    rng = np.random.default_rng(8)
    states = rng.normal(size=(300, 6))
    states[:, 2] = 1.0  # a constant unit: correlation 0, not NaN
    feature = states[:, 0] * 2 + rng.normal(size=300)
    found = correlations(states, feature)
    for unit in (0, 1, 3, 4, 5):
        assert found[unit] == pytest.approx(np.corrcoef(states[:, unit], feature)[0, 1])
    assert found[2] == 0.0
    with pytest.raises(ValueError):
        correlations(states, feature[:-1])


def test_coloured_html_escapes_and_checks_length():
    shown = coloured_html("<a>\n", [1.0, -1.0, 0.0, 0.5])
    assert "&lt;" in shown and "&gt;" in shown and "<br>" in shown
    assert shown.count("<span") == 4
    assert "rgb(255,0,0)" in shown and "rgb(0,0,255)" in shown and "rgb(255,255,255)" in shown
    with pytest.raises(ValueError):
        coloured_html("abc", [1.0, 2.0])


# --------------------------------------------------------------------------- the LSTM in NumPy and Keras


@pytest.fixture(scope="module")
def small_lstm():
    import keras

    from course_utils.text import build_char_lstm

    keras.utils.set_random_seed(0)
    model = build_char_lstm(7, units=5, embedding_dim=3, learning_rate=1e-3, decay_steps=10)
    return model


def test_lstm_probabilities_of_text_score_each_character_after_its_window(small_lstm):
    from course_utils.generation import run_embedding_lstm
    from course_utils.text import lstm_probabilities_of_text

    ids = np.random.default_rng(10).integers(0, 7, size=200)
    first, last, warmup, block = 60, 143, 10, 20
    scored = lstm_probabilities_of_text(small_lstm, ids, first, last, warmup, block)
    assert scored.shape == (last - first,)
    for position in (60, 79, 80, 121, 142):  # first and last of blocks, and the short last block
        block_start = first + (position - first) // block * block
        window_end = min(block_start + block, last)
        begin = window_end - warmup - block
        probabilities = run_embedding_lstm(small_lstm, ids[None, begin - 1 : position]).probabilities[0, -1]
        assert scored[position - first] == pytest.approx(probabilities[ids[position]], abs=1e-5)


def test_lstm_probabilities_carried_equals_one_pass_over_the_stream(small_lstm):
    from course_utils.generation import run_embedding_lstm
    from course_utils.text import lstm_probabilities_carried

    ids = np.random.default_rng(11).integers(0, 7, size=300)
    whole = run_embedding_lstm(small_lstm, ids[None, 49:249])  # reads ids[49..248], predicts ids[50..249]
    expected = whole.probabilities[0, np.arange(200), ids[50:250]]
    scored, h, c = lstm_probabilities_carried(small_lstm, ids, 50, 250, chunk=37)  # chunks that do not divide 200
    assert scored == pytest.approx(expected, abs=1e-6)
    assert h == pytest.approx(whole.h[:, -1], abs=1e-6) and c == pytest.approx(whole.c[:, -1], abs=1e-6)
    first, h, c = lstm_probabilities_carried(small_lstm, ids, 50, 120)
    second, _, _ = lstm_probabilities_carried(small_lstm, ids, 120, 250, h, c)  # the state handed on
    assert np.concatenate([first, second]) == pytest.approx(expected, abs=1e-6)
    with pytest.raises(ValueError):
        lstm_probabilities_carried(small_lstm, ids, 0, 10)  # nothing before the first character to read


def test_generate_is_seeded_and_uses_the_vocabulary(small_lstm):
    from course_utils.text import generate

    vocabulary = CharVocabulary("abcdefg")
    first = generate(small_lstm, vocabulary, "abc", 30, [0.2, 1.0], seed=3)
    assert first == generate(small_lstm, vocabulary, "abc", 30, [0.2, 1.0], seed=3)
    assert [len(s) for s in first] == [30, 30] and set("".join(first)) <= set("abcdefg")
    assert first != generate(small_lstm, vocabulary, "abc", 30, [0.2, 1.0], seed=4)
    # Checked once, at the call (the steps are not): a temperature sampling cannot use is refused before any step.
    with pytest.raises(ValueError, match=r"temperatures must be >= 1e-06, got values from 0.0 to 1.0"):
        generate(small_lstm, vocabulary, "abc", 30, [0.0, 1.0], seed=3)


def test_generate_s_unchecked_steps_give_what_checked_steps_give(small_lstm):
    """The loop of generate calls the bodies alone (.unchecked); written with the checked calls, it is the same."""
    from course_utils.generation import embedding_lstm_weights, run_embedding_lstm, sample_with_temperature
    from course_utils.text import generate

    vocabulary, temperatures, rng = CharVocabulary("abcdefg"), [0.2, 1.0, 3.0], np.random.default_rng(5)
    weights = embedding_lstm_weights(small_lstm)
    trace = run_embedding_lstm(weights, np.tile(vocabulary.encode("abcab"), (3, 1)))
    rows = []
    for _ in range(40):
        row = [sample_with_temperature(trace.probabilities[r, -1], t, rng) for r, t in enumerate(temperatures)]
        trace = run_embedding_lstm(weights, np.array(row)[:, None], trace.h[:, -1], trace.c[:, -1])
        rows.append(row)
    expected = [vocabulary.decode(column) for column in np.array(rows).T]
    assert generate(small_lstm, vocabulary, "abcab", 40, temperatures, seed=5) == expected


@pytest.mark.parametrize("arguments, error", [
    ((1,), ValueError),
    ((7, 0), ValueError),
    ((7, 8, 3, "fast"), TypeError),
    ((7, 8, 3, 1e-3, 0), ValueError),
])
def test_build_char_lstm_rejects_bad_arguments(arguments, error):
    from course_utils.text import build_char_lstm

    with pytest.raises(error):
        build_char_lstm(*arguments)
