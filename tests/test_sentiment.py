"""course_utils.sentiment (notebook 06): data and its builder, split by film, tokens, probe pairs, NB-SVM, intervals,
mistakes, curves."""

import bz2
import csv
import io
import math

import numpy as np
import pytest
from scipy.sparse import csr_matrix

from course_utils import sentiment
from course_utils.sentiment import (
    NBSVM,
    PROBE_PAIRS,
    SPLIT_FOLDS,
    Snippets,
    bootstrap_interval,
    evaluate,
    log_count_ratio,
    mcnemar_p_value,
    most_confident_mistakes,
    pair_outcomes,
    paired_bootstrap_difference,
    read_snippets,
    same_bag_of_words,
    split_by_film,
    standardize,
    tokens,
)

# ----------------------------------------------------------------------------- data


def test_bundled_snippets_load_with_their_counts_and_films():
    snippets = sentiment.load_snippets()
    assert len(snippets.texts) == len(snippets.labels) == len(snippets.films) == 12752  # 12,808 less 56 repeats
    assert len(set(snippets.texts)) == len(snippets.texts)
    assert set(np.unique(snippets.labels)) == {0, 1}
    assert 0.57 < snippets.labels.mean() < 0.59  # 58 % fresh
    assert len(set(snippets.films)) == 507  # 508 films, one of them listed twice (its quotes are all repeats)
    assert all(isinstance(t, str) and t.strip() for t in snippets.texts)


def write_source(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["category", "text", "movie_name", "has_plot_and_reviews"])
    writer.writerows([category, text, film, "False"] for category, text, film in rows)
    return bz2.compress(buffer.getvalue().encode("utf-8"))


def test_the_builder_keeps_fresh_and_rotten_rows_with_their_film_in_order_byte_for_byte(tmp_path):
    from scripts.make_snippets_data import reduce_corpus

    source = write_source([("plot", "A story, long.", "a"), ("fresh", 'Good, "really".', "a"),
                           ("rotten", "Bad.\nReally.", "b"), ("fresh", "Café’s fine.", "c"), ("rotten", "Meh.", "a")])
    reduced, counts = reduce_corpus(source)
    assert counts == {"plot": 1, "fresh": 2, "rotten": 2}
    assert reduce_corpus(source)[0] == reduced
    (tmp_path / "a.csv.bz2").write_bytes(reduced)
    snippets = read_snippets(tmp_path / "a.csv.bz2")
    assert snippets.texts == ['Good, "really".', "Bad.\nReally.", "Café’s fine.", "Meh."]
    assert list(snippets.labels) == [1, 0, 1, 0] and snippets.films == ["a", "b", "c", "a"]
    with pytest.raises(ValueError, match="category, text and movie_name"):
        reduce_corpus(bz2.compress(b"category,text\nfresh,Good.\n"))


def test_reading_drops_exact_repeats_and_refuses_unknown_labels_and_non_paths(tmp_path):
    good = tmp_path / "good.csv.bz2"
    good.write_bytes(bz2.compress(b"label,film,text\nfresh,x,Fine.\nrotten,y,Dull.\nfresh,z,Fine.\n"))
    snippets = read_snippets(good)
    assert snippets.texts == ["Fine.", "Dull."] and list(snippets.labels) == [1, 0] and snippets.films == ["x", "y"]
    bad = tmp_path / "bad.csv.bz2"
    bad.write_bytes(bz2.compress(b"label,film,text\nplot,x,A story.\n"))
    with pytest.raises(ValueError, match="label in \\("):
        read_snippets(bad)
    for not_a_path in (None, 3, ["a"]):  # one message on every Python (Path(None)'s changed in 3.12)
        with pytest.raises(TypeError, match="path must be a file path"):
            read_snippets(not_a_path)


def fake_snippets(n_films=60, seed=0) -> Snippets:
    rng = np.random.default_rng(seed)
    texts, labels, films = [], [], []
    for film in range(n_films):
        fresh_share = rng.uniform(0.1, 0.9)  # films differ, as real ones do
        for quote in range(int(rng.integers(2, 36))):
            texts.append(f"film {film} quote {quote}")
            labels.append(int(rng.random() < fresh_share))
            films.append(f"film{film}")
    return Snippets(texts, np.array(labels), films)


def test_split_keeps_films_together_and_is_fixed_complete_and_stratified():
    for seed in (0, 1):
        snippets = fake_snippets(seed=seed)
        train, validation, test = split_by_film(snippets)
        again = split_by_film(snippets)
        assert [part.texts for part in again] == [train.texts, validation.texts, test.texts]
        film_sets = [set(part.films) for part in (train, validation, test)]
        assert not (film_sets[0] & film_sets[1] or film_sets[0] & film_sets[2] or film_sets[1] & film_sets[2])
        assert sorted(train.texts + validation.texts + test.texts) == sorted(snippets.texts)
        n = len(snippets.texts)
        for part in (validation, test):
            assert abs(len(part.texts) / n - 1 / SPLIT_FOLDS) < 0.05  # a seventh each
            assert abs(part.labels.mean() - snippets.labels.mean()) < 0.05
        for part in (train, validation, test):  # texts, labels and films stay aligned
            index = {text: i for i, text in enumerate(snippets.texts)}
            assert all(snippets.labels[index[t]] == y and snippets.films[index[t]] == f
                       for t, y, f in zip(part.texts, part.labels, part.films, strict=True))


@pytest.mark.parametrize("change, error", [
    (dict(labels=np.array([0, 1])), ValueError), (dict(labels=np.array([0, 2] * 10)), ValueError),
    (dict(films=None), TypeError), (dict(texts="a text"), TypeError),
])
def test_split_refuses_bad_snippets(change, error):
    snippets = Snippets([f"t{i}" for i in range(20)], np.array([0, 1] * 10), [f"f{i % 5}" for i in range(20)])
    with pytest.raises(error):
        split_by_film(snippets._replace(**change))
    with pytest.raises(TypeError, match="Snippets"):
        split_by_film((snippets.texts, snippets.labels))
    with pytest.raises(ValueError, match="folds"):
        split_by_film(snippets, folds=6)  # more folds than films


def test_standardize_keeps_exclamation_and_question_marks_as_tokens():
    assert standardize("It's GREAT!! Really?") == "its great ! ! really ?"
    assert tokens("Isn’t it... art-house; 22-year-old?") == ["isnt", "it", "art", "house", "22", "year", "old", "?"]
    assert tokens("Café: ÉPIQUE!") == ["café", "épique", "!"]
    with pytest.raises(TypeError, match="string"):
        standardize(3)


def test_text_vectorization_on_standardized_text_sees_exactly_the_tokens():
    import keras

    rng = np.random.default_rng(1)
    alphabet = list("abcXYZ  ,.'!?-\"()é’:;0É") + [" Not", "BAD", "it's"]
    samples = ["".join(rng.choice(alphabet, size=rng.integers(1, 30))) for _ in range(60)]
    layer = keras.layers.TextVectorization(standardize=None)
    layer.adapt([standardize(s) for s in samples])
    assert set(layer.get_vocabulary()[2:]) == {token for s in samples for token in tokens(s)}
    ids = np.asarray(layer([standardize(s) for s in samples]))
    vocabulary = layer.get_vocabulary()
    assert [[vocabulary[i] for i in row if i] for row in ids] == [tokens(s) for s in samples]


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
    with pytest.raises(ValueError, match=r"negative_predictions must have shape \(2\), got \(1,\)"):
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
    with pytest.raises(ValueError, match=r"labels must have shape \(3\), got \(2,\)"):
        log_count_ratio(np.ones((3, 2)), [0, 1])


TOY_TEXTS = ["good fun", "great good", "fun great film", "bad dull", "dull boring film", "boring bad",
             "good film", "bad film"]
TOY_LABELS = [1, 1, 1, 0, 0, 0, 1, 0]


def toy_counts():
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = CountVectorizer(binary=True).fit(TOY_TEXTS)
    return vectorizer, vectorizer.transform(TOY_TEXTS)


def test_nbsvm_interpolates_between_the_svm_and_naive_bayes():
    from sklearn.svm import LinearSVC

    vectorizer, x = toy_counts()
    model = NBSVM(C=1.0, beta=1.0).fit(x, TOY_LABELS)
    r = log_count_ratio(x, np.array(TOY_LABELS))
    svm = LinearSVC(C=1.0, random_state=0).fit(x.multiply(r).tocsr(), TOY_LABELS)
    np.testing.assert_allclose(model.decision_function(x), svm.decision_function(x.multiply(r).tocsr()))
    np.testing.assert_allclose(model.decision_function(x.toarray()), model.decision_function(x))  # dense works too
    naive = NBSVM(beta=0.0).fit(x, TOY_LABELS)
    w_bar = np.mean(np.abs(svm.coef_))  # beta = 0: every feature weighs mean|w| times its ratio r
    words = vectorizer.vocabulary_
    np.testing.assert_allclose(naive.decision_function(vectorizer.transform(["good bad fun"])),
                               w_bar * (r[words["good"]] + r[words["bad"]] + r[words["fun"]]) + svm.intercept_[0])
    assert list(model.predict(x)) == TOY_LABELS
    new = vectorizer.transform(["good great fun", "dull boring bad"])
    assert list(NBSVM().fit(x, TOY_LABELS).predict(new)) == [1, 0]


@pytest.mark.parametrize("kwargs, error", [
    ({"C": 0}, ValueError), ({"beta": 1.5}, ValueError), ({"alpha": "1"}, TypeError),
])
def test_nbsvm_refuses_bad_settings(kwargs, error):
    with pytest.raises(error):
        NBSVM(**kwargs)


def test_nbsvm_refuses_bad_data():
    _, x = toy_counts()
    with pytest.raises(ValueError, match="2 classes"):
        NBSVM().fit(x, [1] * 8)
    with pytest.raises(TypeError, match="counts"):
        NBSVM().fit(TOY_TEXTS, TOY_LABELS)  # texts, not counts
    with pytest.raises(ValueError, match="columns"):
        NBSVM().fit(x, TOY_LABELS).predict(x[:, :3])


# ----------------------------------------------------------------------------- intervals


def test_bootstrap_interval_agrees_with_the_normal_approximation():
    rng = np.random.default_rng(3)
    for accuracy in (0.6, 0.75, 0.9):
        correct = (rng.random(2000) < accuracy).astype(float)
        low, high = bootstrap_interval(correct, n_resamples=4000, seed=1)
        mean = correct.mean()
        half_width = 1.96 * math.sqrt(mean * (1 - mean) / len(correct))
        assert low < mean < high
        assert abs((high - low) / 2 - half_width) < 0.1 * half_width
        assert abs((high - low) / 2 - half_width * 1.645 / 1.96) > 0.1 * half_width  # a 90 % interval is narrower
        assert bootstrap_interval(correct, seed=5) == bootstrap_interval(correct, seed=5)
    assert bootstrap_interval([1, 1, 1]) == (1.0, 1.0)  # no spread, no interval (and no warning)


def test_paired_difference_is_the_accuracy_difference():
    rng = np.random.default_rng(4)
    a = (rng.random(500) < 0.8).astype(int)
    b = np.where(rng.random(500) < 0.9, a, 1 - a)
    difference, low, high = paired_bootstrap_difference(a, b)
    assert difference == pytest.approx(a.mean() - b.mean())
    assert low <= difference <= high
    same, low_same, high_same = paired_bootstrap_difference(a, a)
    assert same == low_same == high_same == 0.0


def test_grouped_bootstrap_resamples_whole_groups():
    rng = np.random.default_rng(6)
    films = np.repeat(np.arange(60), rng.integers(5, 30, 60))  # (n,) 60 groups of unequal sizes
    correct = (rng.random(len(films)) < rng.random(60)[films]).astype(int)  # each group with its own accuracy
    low, high = bootstrap_interval(correct, [f"film {i}" for i in films], n_resamples=4000, seed=1)
    sums, sizes = np.bincount(films, weights=correct), np.bincount(films)  # the oracle, written out:
    draws = rng.integers(0, 60, size=(4000, 60))  # 60 films drawn with replacement, 4,000 times
    oracle_low, oracle_high = np.percentile(sums[draws].sum(axis=1) / sizes[draws].sum(axis=1), [2.5, 97.5])
    assert low < correct.mean() < high
    assert abs((high - low) - (oracle_high - oracle_low)) < 0.1 * (oracle_high - oracle_low)
    plain_low, plain_high = bootstrap_interval(correct, n_resamples=4000, seed=1)
    assert high - low > 1.5 * (plain_high - plain_low)  # groups that agree within: far wider than single values
    difference, d_low, d_high = paired_bootstrap_difference(correct, 1 - correct, [str(i) for i in films], seed=2)
    assert difference == pytest.approx(2 * correct.mean() - 1) and d_low < difference < d_high


def test_mcnemar_matches_the_binomial_sum_written_out():
    rng = np.random.default_rng(5)
    for _ in range(20):
        n = int(rng.integers(5, 200))
        a, b = rng.random(n) < rng.uniform(0.3, 0.9), rng.random(n) < rng.uniform(0.3, 0.9)
        only_a, only_b = int(np.sum(a & ~b)), int(np.sum(~a & b))
        discordant, k = only_a + only_b, min(only_a, only_b)
        tail = sum(math.comb(discordant, i) for i in range(k + 1)) / 2**discordant  # P(X <= k), X ~ Bin(n, 1/2)
        assert mcnemar_p_value(a, b) == pytest.approx(min(1.0, 2 * tail))
    assert mcnemar_p_value([1, 0, 1], [1, 0, 1]) == 1.0


@pytest.mark.parametrize("function", [bootstrap_interval, lambda c: mcnemar_p_value(c, c),
                                      lambda c: paired_bootstrap_difference(c, c)])
def test_intervals_refuse_what_is_not_numbers(function):
    with pytest.raises(TypeError):
        function(["yes", "no"])


@pytest.mark.parametrize("function", [lambda c: mcnemar_p_value(c, c), lambda c: paired_bootstrap_difference(c, c)])
def test_paired_tests_refuse_values_other_than_zero_and_one(function):
    with pytest.raises(ValueError, match="0/1"):
        function([0, 1, 2])


def test_intervals_refuse_mismatched_lengths_and_bad_settings():
    with pytest.raises(ValueError, match=r"correct_b must have shape \(2\), got \(1,\)"):
        mcnemar_p_value([1, 0], [1])
    with pytest.raises(ValueError, match=r"correct_b must have shape \(2\)"):
        paired_bootstrap_difference([1, 0], [1])
    with pytest.raises(ValueError, match="confidence"):
        bootstrap_interval([1, 0], confidence=1.0)
    with pytest.raises(TypeError, match="n_resamples"):
        bootstrap_interval([1, 0], n_resamples=100.0)
    with pytest.raises(ValueError, match="groups must have 2 entries"):
        bootstrap_interval([1, 0], ["film a"])
    with pytest.raises(TypeError, match="groups must be a list of strings"):
        paired_bootstrap_difference([1, 0], [0, 1], "ab")


def test_evaluate_builds_a_row_with_the_recall_of_each_class():
    labels = np.array([1, 1, 1, 0, 0, 1, 0, 1])
    majority = np.ones(8, dtype=int)
    row = evaluate("majority", labels, majority)
    assert row["accuracy"] == pytest.approx(5 / 8)
    assert row["recall fresh"] == 1.0 and row["recall rotten"] == 0.0  # the failure an average hides
    assert row["macro F1"] == pytest.approx((2 * 5 / (5 + 8)) / 2)  # F1 of fresh 10/13, of rotten 0
    assert row["95% low"] <= row["accuracy"] <= row["95% high"]
    assert "McNemar p" not in row
    compared = evaluate("perfect", labels, labels, reference=majority)
    assert compared["minus best baseline"] == pytest.approx(3 / 8)
    assert compared["McNemar p"] == pytest.approx(2 * 0.5**3)
    with pytest.raises(ValueError, match=r"predictions must have shape \(8\), got \(7,\)"):
        evaluate("x", labels, labels[:-1])
    films = ["a", "a", "a", "a", "b", "b", "b", "b"]  # film a: 3 of 4 right, film b: 2 of 4
    grouped = evaluate("majority", labels, majority, groups=films, seed=0)
    assert grouped["accuracy"] == row["accuracy"] and (grouped["95% low"], grouped["95% high"]) == (0.5, 0.75)


# ----------------------------------------------------------------------------- mistakes, curves


def test_most_confident_mistakes():
    texts = ["a", "b", "c", "d"]
    mistakes = most_confident_mistakes(texts, [1, 0, 0, 1], [0.45, 0.99, 0.2, 0.01], k=5)
    assert mistakes == [("b", 0, 0.99), ("d", 1, 0.01), ("a", 1, 0.45)]
    with pytest.raises(ValueError, match=r"labels must have shape \(4\), got \(2,\)"):
        most_confident_mistakes(texts, [1, 0], [0.5, 0.5, 0.5, 0.5])


def test_the_drawing_shows_each_word_and_masks_the_padding():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    texts = [t.get_text() for t in sentiment.draw_lstm_classifier(["not", "bad"], padding=2).texts]
    assert texts.count("LSTM") == 2 and texts.count("skipped") == 2 and '"not"' in texts and '"bad"' in texts
    with pytest.raises(ValueError, match="words must not be empty"):
        sentiment.draw_lstm_classifier([])
    with pytest.raises(ValueError, match="1 to 8 words"):
        sentiment.draw_lstm_classifier(["word"] * 9)
    plt.close("all")


def test_loss_curves_mark_the_best_validation_epoch():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = sentiment.plot_loss_curves({"LSTM": {"loss": [0.7, 0.5, 0.4], "val_loss": [0.6, 0.55, 0.58]}})
    training, validation, star = ax.lines
    assert list(star.get_xdata()) == [2] and list(star.get_ydata()) == [0.55]
    with pytest.raises(TypeError, match="histories"):
        sentiment.plot_loss_curves({})
    plt.close("all")
