"""Scores of next-beat predictions (notebook 09): NLL and accuracy per voice, and a model's gain over another with
an interval over whole held-out chorales.

Predictions are distributions (N, 4, K): for each scored beat (`next_beat_targets`), one over the K classes per
voice; targets are the class ids (N, 4).
"""

from __future__ import annotations

import numpy as np

from course_utils.music.encoding import encoded_chorales
from course_utils.validation import checked

PREDICTIONS = "(N, 4, n_classes) floats >= 0"  # for each scored beat, a distribution over the classes per voice
TARGETS = "(N, 4) ints in [0, n_classes)"  # the class ids of the scored beats


def _beat_nll(probabilities: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """-ln P(true class) of every beat and voice (N, 4)."""
    chosen = np.take_along_axis(probabilities, targets[..., None], axis=2)[..., 0]  # (N, 4)
    with np.errstate(divide="ignore"):
        return -np.log(chosen)


@checked(probabilities=PREDICTIONS, targets=TARGETS)
def nll_per_voice(probabilities, targets) -> np.ndarray:
    """Mean negative log-likelihood (nats) of the true classes, one number per voice (4,) (notebook 09)."""
    return _beat_nll(probabilities, targets).mean(axis=0)


@checked(probabilities=PREDICTIONS, targets=TARGETS)
def accuracy_per_voice(probabilities, targets) -> np.ndarray:
    """Share of beats whose most probable class is the true one, per voice (4,) (notebook 09)."""
    return np.mean(np.argmax(probabilities, axis=2) == targets, axis=0)


@checked(probabilities=PREDICTIONS, other_probabilities=PREDICTIONS, sequences=encoded_chorales, seed="int >= 0")
def nll_difference(probabilities, other_probabilities, sequences, seed: int = 0) -> tuple[float, float, float]:
    """Mean NLL per voice and beat of one model minus another's, and its 95 % bootstrap interval (notebook 09).

    Both predict every beat of `next_beat_targets(sequences)`. The interval resamples whole chorales (scipy's
    percentile bootstrap, 2,000 resamples, seeded): beats of one chorale are not independent draws, pieces are.
    Returns (difference, low, high); below zero the first model is better.
    """
    from scipy.stats import bootstrap

    targets = np.concatenate([s[1:] for s in sequences])  # (N, 4): the scored beats
    gain = (_beat_nll(probabilities, targets) - _beat_nll(other_probabilities, targets)).mean(axis=1)  # (N,)
    beats = np.array([len(s) - 1 for s in sequences])  # scored beats per chorale
    per_chorale = np.add.reduceat(gain, np.cumsum(beats) - beats)  # (chorales,) summed differences

    def mean_per_beat(summed, counted, axis=-1):
        return summed.sum(axis=axis) / counted.sum(axis=axis)

    result = bootstrap((per_chorale, beats), mean_per_beat, paired=True, vectorized=True, n_resamples=2000,
                       method="percentile", rng=np.random.default_rng(seed))
    interval = result.confidence_interval
    return float(gain.mean()), float(interval.low), float(interval.high)
