"""course_utils.sentiment (notebook 06): data, split, probe pairs, NB-SVM, intervals, models, plots."""

import bz2
import csv
import io
import math

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.stats import binomtest

from course_utils import sentiment
from course_utils.sentiment import (
    NBSVM,
    PROBE_PAIRS,
    bootstrap_interval,
    evaluate,
    log_count_ratio,
    mcnemar_p_value,
    most_confident_mistakes,
    pad_ids,
    pair_outcomes,
    paired_bootstrap_difference,
    read_snippets,
    same_bag_of_words,
    split_snippets,
    standardize,
    tokens,
    write_reduced_corpus,
)

# ----------------------------------------------------------------------------- data


def test_bundled_snippets_load_with_their_counts():
    texts, labels = sentiment.load_snippets()
    assert len(texts) == len(labels) == 12752  # 12,808 snippets less 56 exact repeats
    assert len(set(texts)) == len(texts)
    assert set(np.unique(labels)) == {0, 1}
    assert 0.57 < labels.mean() < 0.59  # 58 % fresh
    assert all(isinstance(t, str) and t.strip() for t in texts)


def write_source(path, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["category", "text", "movie_name", "has_plot_and_reviews"])
    writer.writerows([category, text, "a_film", "False"] for category, text in rows)
    path.write_bytes(bz2.compress(buffer.getvalue().encode("utf-8")))


def test_reduction_keeps_fresh_and_rotten_rows_in_order_and_repeats_byte_for_byte(tmp_path):
    source = tmp_path / "full.csv.bz2"
    write_source(source, [("plot", "A story, long."), ("fresh", 'Good, "really".'), ("rotten", "Bad.\nReally."),
                          ("fresh", "Café’s fine."), ("rotten", "Meh.")])
    counts = write_reduced_corpus(source, tmp_path / "a.csv.bz2")
    write_reduced_corpus(source, tmp_path / "b.csv.bz2")
    assert counts == {"plot": 1, "fresh": 2, "rotten": 2}
    assert (tmp_path / "a.csv.bz2").read_bytes() == (tmp_path / "b.csv.bz2").read_bytes()
    texts, labels = read_snippets(tmp_path / "a.csv.bz2")
    assert texts == ['Good, "really".', "Bad.\nReally.", "Café’s fine.", "Meh."]
    assert list(labels) == [1, 0, 1, 0]


def test_reading_drops_exact_repeats_and_refuses_unknown_labels(tmp_path):
    good = tmp_path / "good.csv.bz2"
    good.write_bytes(bz2.compress(b"label,text\nfresh,Fine.\nrotten,Dull.\nfresh,Fine.\n"))
    texts, labels = read_snippets(good)
    assert texts == ["Fine.", "Dull."] and list(labels) == [1, 0]
    bad = tmp_path / "bad.csv.bz2"
    bad.write_bytes(bz2.compress(b"label,text\nplot,A story.\n"))
    with pytest.raises(ValueError, match="labels must be one of"):
        read_snippets(bad)
    wrong_columns = tmp_path / "wrong.csv.bz2"
    wrong_columns.write_bytes(bz2.compress(b"a,b\n1,2\n"))
    with pytest.raises(ValueError, match="category and text"):
        write_reduced_corpus(wrong_columns, tmp_path / "out.csv.bz2")


def test_split_is_fixed_disjoint_complete_and_stratified():
    rng = np.random.default_rng(0)
    for n in (200, 1001):
        texts = [f"snippet {i}" for i in range(n)]
        labels = (rng.random(n) < 0.6).astype(int)
        train, validation, test = split_snippets(texts, labels)
        again = split_snippets(texts, labels)
        assert [part.texts for part in again] == [train.texts, validation.texts, test.texts]
        parts = [set(part.texts) for part in (train, validation, test)]
        assert sum(map(len, parts)) == n and set.union(*parts) == set(texts)
        assert abs(len(test.texts) - 0.15 * n) <= 1 and abs(len(validation.texts) - 0.15 * n) <= 2
        for part in (train, validation, test):
            assert abs(part.labels.mean() - labels.mean()) < 0.03
            assert all(labels[int(t.split()[1])] == y for t, y in zip(part.texts, part.labels, strict=True))


@pytest.mark.parametrize("kwargs, error", [
    ({"labels": [0, 1]}, ValueError), ({"validation_fraction": 0.6}, ValueError),
    ({"test_fraction": "0.1"}, TypeError), ({"seed": -1}, ValueError),
])
def test_split_refuses_bad_arguments(kwargs, error):
    arguments = {"texts": [f"t{i}" for i in range(20)], "labels": [0, 1] * 10, **kwargs}
    with pytest.raises(error):
        split_snippets(**arguments)


def test_standardize_matches_text_vectorization():
    import tensorflow as tf

    rng = np.random.default_rng(1)
    alphabet = list("abcXYZ  ,.'!?-\"()é’:;0É") + [" Not", "BAD", "it's"]
    samples = ["".join(rng.choice(alphabet, size=rng.integers(1, 30))) for _ in range(60)]
    # What TextVectorization(standardize="lower_and_strip_punctuation") runs on the TensorFlow backend
    lowered = tf.strings.lower(samples)
    expected = tf.strings.regex_replace(lowered, r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']', "").numpy()
    assert [standardize(s) for s in samples] == [e.decode("utf-8") for e in expected]


def test_tokens_match_the_vocabulary_of_text_vectorization():
    import keras

    texts = ["It's NOT bad, really -- not bad at all!", "A 'so-so' film; dull."]
    layer = keras.layers.TextVectorization()
    layer.adapt(texts)
    vocabulary = set(layer.get_vocabulary()[2:])
    assert vocabulary == {word for text in texts for word in tokens(text)}
    with pytest.raises(TypeError, match="string"):
        standardize(3)


def test_same_bag_of_words():
    assert same_bag_of_words("Good, not bad.", "bad not good")
    assert not same_bag_of_words("good", "not good")
    assert not same_bag_of_words("good good bad", "good bad bad")


def test_probe_pairs_are_minimal_pairs_of_the_kinds_named():
    assert len({p.positive for p in PROBE_PAIRS} | {p.negative for p in PROBE_PAIRS}) == 2 * len(PROBE_PAIRS)
    for pair in PROBE_PAIRS:
        if pair.kind in ("contrast", "intensifier"):
            assert same_bag_of_words(pair.positive, pair.negative), pair
        else:
            assert pair.kind in ("negation", "not bad"), pair
            negated, plain = (pair.negative, pair.positive) if pair.kind == "negation" else (pair.positive,
                                                                                             pair.negative)
            extra = sorted(set(tokens(negated)) - set(tokens(plain)))
            assert extra in (["not"], ["never"]), pair
    kinds = [p.kind for p in PROBE_PAIRS]
    assert all(kinds.count(kind) >= 6 for kind in ("negation", "not bad", "contrast", "intensifier"))


def test_pair_outcomes():
    np.testing.assert_array_equal(pair_outcomes([1, 1, 0, 0], [0, 1, 0, 1]), [1, 0, 0, -1])
    np.testing.assert_array_equal(pair_outcomes(np.array([True]), np.array([False])), [1])
    with pytest.raises(ValueError, match="same shape"):
        pair_outcomes([1, 0], [1])
    with pytest.raises(ValueError, match="0/1"):
        pair_outcomes([0.7], [0.2])  # verdicts, not scores


# ----------------------------------------------------------------------------- NB-SVM


def test_log_count_ratio_against_a_loop():
    rng = np.random.default_rng(2)
    for _ in range(5):
        n, features = rng.integers(4, 12), rng.integers(1, 6)
        counts = (rng.random((n, features)) < 0.4).astype(float)
        labels = np.array([0, 1] + list(rng.integers(0, 2, size=n - 2)))
        alpha = float(rng.uniform(0.1, 2))
        p = [alpha + sum(counts[i, j] for i in range(n) if labels[i] == 1) for j in range(features)]
        q = [alpha + sum(counts[i, j] for i in range(n) if labels[i] == 0) for j in range(features)]
        expected = [math.log((p[j] / sum(p)) / (q[j] / sum(q))) for j in range(features)]
        np.testing.assert_allclose(log_count_ratio(csr_matrix(counts), labels, alpha), expected)
        np.testing.assert_allclose(log_count_ratio(counts, labels, alpha), expected)
    with pytest.raises(ValueError, match="one row per label"):
        log_count_ratio(np.ones((3, 2)), [0, 1])


TOY_TEXTS = ["good fun", "great good", "fun great film", "bad dull", "dull boring film", "boring bad",
             "good film", "bad film"]
TOY_LABELS = [1, 1, 1, 0, 0, 0, 1, 0]


def test_nbsvm_interpolates_between_the_svm_and_naive_bayes():
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.svm import LinearSVC

    model = NBSVM(C=1.0, beta=1.0, ngram_range=(1, 1)).fit(TOY_TEXTS, TOY_LABELS)
    counts = CountVectorizer(binary=True).fit(TOY_TEXTS)
    x = counts.transform(TOY_TEXTS)
    r = log_count_ratio(x, np.array(TOY_LABELS))
    svm = LinearSVC(C=1.0, random_state=0).fit(x.multiply(r).tocsr(), TOY_LABELS)
    np.testing.assert_allclose(model.decision_function(TOY_TEXTS), svm.decision_function(x.multiply(r).tocsr()))
    naive = NBSVM(beta=0.0, ngram_range=(1, 1)).fit(TOY_TEXTS, TOY_LABELS)
    w_bar = np.mean(np.abs(svm.coef_))  # beta = 0: every feature weighs mean|w| times its ratio r
    np.testing.assert_allclose(naive.decision_function(["good bad fun"]),
                               w_bar * (r[counts.vocabulary_["good"]] + r[counts.vocabulary_["bad"]]
                                        + r[counts.vocabulary_["fun"]]) + svm.intercept_[0])
    assert list(model.predict(TOY_TEXTS)) == TOY_LABELS
    assert list(NBSVM().fit(TOY_TEXTS, TOY_LABELS).predict(["good great fun", "dull boring bad"])) == [1, 0]


@pytest.mark.parametrize("kwargs, error", [
    ({"C": 0}, ValueError), ({"beta": 1.5}, ValueError), ({"alpha": "1"}, TypeError),
    ({"ngram_range": (2, 1)}, ValueError), ({"ngram_range": (0, 1)}, ValueError),
])
def test_nbsvm_refuses_bad_settings(kwargs, error):
    with pytest.raises(error):
        NBSVM(**kwargs)


def test_nbsvm_refuses_bad_data():
    with pytest.raises(ValueError, match="both classes"):
        NBSVM().fit(["a b", "c d"], [1, 1])
    with pytest.raises(TypeError, match="one string"):
        NBSVM().fit("good", [1])
    with pytest.raises(TypeError, match="one string"):
        NBSVM().fit(TOY_TEXTS, TOY_LABELS).predict("good")


# ----------------------------------------------------------------------------- intervals


def test_bootstrap_interval_agrees_with_the_normal_approximation():
    rng = np.random.default_rng(3)
    for accuracy in (0.6, 0.75, 0.9):
        correct = (rng.random(2000) < accuracy).astype(float)
        low, high = bootstrap_interval(correct, n_resamples=4000, seed=1)
        mean = correct.mean()
        half_width = 1.96 * math.sqrt(mean * (1 - mean) / len(correct))
        assert low < mean < high
        assert abs((high - low) / 2 - half_width) < 0.15 * half_width
        assert bootstrap_interval(correct, seed=5) == bootstrap_interval(correct, seed=5)


def test_paired_difference_is_the_accuracy_difference():
    rng = np.random.default_rng(4)
    a = (rng.random(500) < 0.8).astype(int)
    b = np.where(rng.random(500) < 0.9, a, 1 - a)
    difference, low, high = paired_bootstrap_difference(a, b)
    assert difference == pytest.approx(a.mean() - b.mean())
    assert low <= difference <= high
    same, low_same, high_same = paired_bootstrap_difference(a, a)
    assert same == low_same == high_same == 0.0


def test_mcnemar_matches_an_exact_binomial_test():
    rng = np.random.default_rng(5)
    for _ in range(20):
        n = int(rng.integers(5, 200))
        a, b = rng.random(n) < rng.uniform(0.3, 0.9), rng.random(n) < rng.uniform(0.3, 0.9)
        only_a, only_b = int(np.sum(a & ~b)), int(np.sum(~a & b))
        expected = 1.0 if only_a + only_b == 0 else binomtest(only_a, only_a + only_b, 0.5).pvalue
        assert mcnemar_p_value(a, b) == pytest.approx(expected)
    assert mcnemar_p_value([1, 0, 1], [1, 0, 1]) == 1.0


@pytest.mark.parametrize("function", [bootstrap_interval, lambda c: mcnemar_p_value(c, c),
                                      lambda c: paired_bootstrap_difference(c, c)])
def test_intervals_refuse_values_other_than_zero_and_one(function):
    with pytest.raises(ValueError, match="0/1"):
        function([0, 1, 2])
    with pytest.raises(TypeError):
        function(["yes", "no"])


def test_intervals_refuse_mismatched_lengths_and_bad_settings():
    with pytest.raises(ValueError, match="same examples"):
        mcnemar_p_value([1, 0], [1])
    with pytest.raises(ValueError, match="same examples"):
        paired_bootstrap_difference([1, 0], [1])
    with pytest.raises(ValueError, match="confidence"):
        bootstrap_interval([1, 0], confidence=1.0)
    with pytest.raises(TypeError, match="n_resamples"):
        bootstrap_interval([1, 0], n_resamples=100.0)


def test_evaluate_builds_a_row():
    labels = np.array([1, 1, 1, 0, 0, 1, 0, 1])
    majority = np.ones(8, dtype=int)
    row = evaluate("majority", labels, majority, seconds=0.5)
    assert row["accuracy"] == pytest.approx(5 / 8)
    assert row["macro F1"] == pytest.approx((2 * 5 / (5 + 8)) / 2)  # F1 of fresh 10/13, of rotten 0
    assert row["accuracy 95% low"] <= row["accuracy"] <= row["accuracy 95% high"]
    assert row["fit seconds"] == 0.5 and "McNemar p" not in row
    compared = evaluate("perfect", labels, labels, reference=majority)
    assert compared["vs best baseline"] == pytest.approx(3 / 8)
    assert compared["McNemar p"] == pytest.approx(2 * 0.5**3)
    with pytest.raises(ValueError, match="same shape"):
        evaluate("x", labels, labels[:-1])


# ----------------------------------------------------------------------------- padding, mistakes, models, plots


def test_pad_ids():
    np.testing.assert_array_equal(pad_ids(np.array([5, 3, 0, 0]), 6), [5, 3, 0, 0, 0, 0])
    np.testing.assert_array_equal(pad_ids(np.array([5, 3, 7]), 2), [5, 3])
    np.testing.assert_array_equal(pad_ids(np.array([5, 0, 3, 0]), 4), [5, 0, 3, 0])  # only trailing zeros are padding
    with pytest.raises(TypeError, match="integer token ids"):
        pad_ids(np.array([0.5, 1.0]), 3)
    with pytest.raises(ValueError, match="length"):
        pad_ids(np.array([1]), 0)


def test_most_confident_mistakes():
    texts = ["a", "b", "c", "d"]
    mistakes = most_confident_mistakes(texts, [1, 0, 0, 1], [0.45, 0.99, 0.2, 0.01], k=5)
    assert mistakes == [("b", 0, 0.99), ("d", 1, 0.01), ("a", 1, 0.45)]
    with pytest.raises(ValueError, match="same length"):
        most_confident_mistakes(texts, [1, 0], [0.5, 0.5, 0.5, 0.5])


def test_sentiment_lstm_counts_parameters_and_ignores_padding():
    vocabulary, dim, units = 30, 4, 5
    lstm_parameters = 4 * units * (dim + units + 1)
    model = sentiment.build_sentiment_lstm(vocabulary, dim, units)
    assert model.count_params() == vocabulary * dim + lstm_parameters + units + 1
    both = sentiment.build_sentiment_lstm(vocabulary, dim, units, bidirectional=True)
    assert both.count_params() == vocabulary * dim + 2 * lstm_parameters + 2 * units + 1
    unmasked = sentiment.build_sentiment_lstm(vocabulary, dim, units, mask_zero=False)
    unmasked.set_weights(model.get_weights())
    review = np.array([4, 9, 2, 17])
    short, long = pad_ids(review, 6)[None], pad_ids(review, 25)[None]
    assert abs(float(model(short)[0, 0]) - float(model(long)[0, 0])) < 1e-6
    assert float(model(short)[0, 0]) == pytest.approx(float(model(review[None])[0, 0]), abs=1e-6)
    assert abs(float(unmasked(short)[0, 0]) - float(unmasked(long)[0, 0])) > 1e-6  # without the mask it reads zeros
    with pytest.raises(TypeError, match="True or False"):
        sentiment.build_sentiment_lstm(vocabulary, bidirectional=1)
    with pytest.raises(ValueError, match="vocabulary_size"):
        sentiment.build_sentiment_lstm(1)


def test_plots_return_their_axes():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = sentiment.plot_confusion_matrix([0, 1, 1, 0], [0, 1, 0, 0], title="t")
    assert [t.get_text() for t in ax.texts] == ["2", "0", "1", "1"]
    history = {"loss": [0.7, 0.5], "val_loss": [0.6, 0.55]}
    ax = sentiment.plot_loss_curves({"LSTM": history})
    assert len(ax.lines) == 2
    plt.close("all")
