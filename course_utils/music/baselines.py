"""The baselines a sceptic picks first (notebook 09): repeat the previous beat, a per-voice transition table, and
softmax regression on the previous beats of all four voices.

Each gives, for every beat of `next_beat_targets(sequences)`, four distributions (N, 4, K) over the K classes.
The two tables are hand-written (counting is the mechanism the notebook teaches); the regression is scikit-learn's
`LogisticRegression` on one-hot inputs, as a learner would write it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_utils.music.encoding import encoded_chorales, previous_beats
from course_utils.validation import checked

N_CLASSES = "int in [2, 128]"  # the classes a model predicts: the rest and the pitches


@checked(n_classes=N_CLASSES, sequences=encoded_chorales)
def repeat_table(sequences, n_classes: int) -> np.ndarray:
    """Baseline "repeat the previous beat" as a table (4, K, K): P[v, a, b] of class b after a in voice v (notebook 09).

    Each voice keeps its class with the probability it does in `sequences` (the training chorales); the rest of
    the probability is spread evenly over the other classes, so that a change is possible, just not predicted.
    """
    stay = np.mean(np.concatenate([s[1:] == s[:-1] for s in sequences]), axis=0)  # (4,)
    table = np.empty((4, n_classes, n_classes))
    for voice in range(4):
        table[voice] = (1 - stay[voice]) / (n_classes - 1)
        np.fill_diagonal(table[voice], stay[voice])
    return table


@checked(n_classes=N_CLASSES, sequences=encoded_chorales, smoothing="float >= 1e-9")
def transition_table(sequences, n_classes: int, smoothing: float = 0.1) -> np.ndarray:
    """Baseline: each voice's next class given its own previous one, counted (4, K, K), add-`smoothing` (notebook 09).

    A bigram per voice: it knows each voice's habits (a leading note rises) but not the other voices or anything
    before the previous beat.
    """
    counts = np.zeros((4, n_classes, n_classes))
    for sequence in sequences:
        for voice in range(4):
            np.add.at(counts[voice], (sequence[:-1, voice], sequence[1:, voice]), 1)
    counts += smoothing
    return counts / counts.sum(axis=-1, keepdims=True)


TABLE = "(4, n_classes, n_classes) floats >= 0"  # P[voice, class before, class after]


@checked(table=TABLE, sequences=encoded_chorales)
def table_predictions(table, sequences) -> np.ndarray:
    """A table's distributions (N, 4, K) for every beat of `next_beat_targets(sequences)` (notebook 09)."""
    previous = previous_beats(sequences, 1)[:, 0]  # (N, 4): the beat before each scored beat
    return np.stack([table[voice, previous[:, voice]] for voice in range(4)], axis=1)  # (N, 4, K)


class SoftmaxRegression(NamedTuple):
    """Softmax regression of each voice of the next beat on the `context` beats before it, all four voices
    (notebook 09): one fitted scikit-learn pipeline (OneHotEncoder -> LogisticRegression) a voice."""

    context: int
    n_classes: int
    voices: tuple  # 4 fitted sklearn Pipelines: class ids (N, context * 4) -> the voice's next class


@checked(n_classes=N_CLASSES, sequences=encoded_chorales, context="int in [1, 16]", C="float in [1e-6, 1e6]")
def fit_softmax_regression(sequences, n_classes: int, context: int = 1, C: float = 1.0) -> SoftmaxRegression:
    """Fit the softmax regression of every voice's next class on the previous `context` beats (notebook 09).

    The inputs are the class ids of the `context` beats before, one-hot encoded (4 * context ones among
    4 * context * K columns, a sparse matrix); each voice gets its own multinomial LogisticRegression with an L2
    penalty of strength 1 / C (choose C on validation chorales). It sees all four voices, so it can learn harmony
    and voice leading from one or two beats back, but nothing older, and only sums of one weight per input note.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder
    from threadpoolctl import threadpool_limits

    inputs = previous_beats(sequences, context).reshape(-1, context * 4)  # (N, context * 4) class ids
    targets = np.concatenate([s[1:] for s in sequences])  # (N, 4): the beats that follow
    voices = []
    with threadpool_limits(1):  # one thread: on problems this small, a second one only waits (and costs CPU time)
        for voice in range(4):
            one_hot = OneHotEncoder(categories=[np.arange(n_classes)] * (context * 4))
            pipeline = make_pipeline(one_hot, LogisticRegression(C=C, max_iter=2000))
            voices.append(pipeline.fit(inputs, targets[:, voice]))
    return SoftmaxRegression(context, n_classes, tuple(voices))


def fitted_regression(name: str, value, dims: dict) -> SoftmaxRegression:
    """The @checked spec of a model argument (baselines, sampling): a SoftmaxRegression (from
    fit_softmax_regression); fixes n_classes and the beats it reads
    (context) for the arguments after it."""
    if not isinstance(value, SoftmaxRegression):
        raise TypeError(f"{name} must be a SoftmaxRegression (from fit_softmax_regression), got {type(value).__name__}")
    dims["n_classes"], dims["context"] = value.n_classes, value.context
    return value


@checked(regression=fitted_regression, previous="(N, context, 4) ints in [0, n_classes)")
def regression_probabilities(regression, previous) -> np.ndarray:
    """A softmax regression's distributions (N, 4, K) of the beat after `previous` (N, context, 4) class ids, the
    `context` beats before it (notebook 09: scoring and composing)."""
    inputs = previous.reshape(len(previous), -1)  # (N, context * 4)
    probabilities = np.zeros((len(previous), 4, regression.n_classes))
    for voice, pipeline in enumerate(regression.voices):
        # A class this voice never sang in training keeps probability 0.
        probabilities[:, voice, pipeline.classes_] = pipeline.predict_proba(inputs)
    return probabilities


@checked(regression=fitted_regression, sequences=encoded_chorales)
def regression_predictions(regression, sequences) -> np.ndarray:
    """A softmax regression's distributions (N, 4, K) for every beat of `next_beat_targets(sequences)` (notebook 09)."""
    return regression_probabilities(regression, previous_beats(sequences, regression.context))
