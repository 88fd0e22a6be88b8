"""Scores of next-beat predictions (notebook 09): NLL and accuracy per voice, and a model's gain over another with
an interval over whole held-out chorales.

Predictions are distributions (N, 4, K): for each scored beat (`next_beat_targets`), one over the K classes per
voice; targets are the class ids (N, 4).
"""

from __future__ import annotations

import numpy as np

from course_utils.music.chorales import _check_steps
from course_utils.music.encoding import _check_sequences
from course_utils.validation import as_float_array, check_int


def _check_predictions(probabilities, targets) -> tuple[np.ndarray, np.ndarray]:
    probabilities = as_float_array("probabilities", probabilities, ndim=3)
    targets = _check_steps("targets", targets)
    if probabilities.shape[:2] != targets.shape or targets.max() >= probabilities.shape[2]:
        raise ValueError(f"probabilities must have shape (N, 4, K) with N = len(targets) = {len(targets)} and K above "
                         f"every target, got {probabilities.shape}")
    if probabilities.min() < 0:
        raise ValueError("probabilities must not be negative")
    return probabilities, targets


def _beat_nll(probabilities: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """-ln P(true class) of every beat and voice (N, 4)."""
    chosen = np.take_along_axis(probabilities, targets[..., None], axis=2)[..., 0]  # (N, 4)
    with np.errstate(divide="ignore"):
        return -np.log(chosen)


def nll_per_voice(probabilities, targets) -> np.ndarray:
    """Mean negative log-likelihood (nats) of the true classes, one number per voice (4,) (notebook 09)."""
    probabilities, targets = _check_predictions(probabilities, targets)
    return _beat_nll(probabilities, targets).mean(axis=0)


def accuracy_per_voice(probabilities, targets) -> np.ndarray:
    """Share of beats whose most probable class is the true one, per voice (4,) (notebook 09)."""
    probabilities, targets = _check_predictions(probabilities, targets)
    return np.mean(np.argmax(probabilities, axis=2) == targets, axis=0)


def nll_difference(probabilities, other_probabilities, sequences, seed: int = 0) -> tuple[float, float, float]:
    """Mean NLL per voice and beat of one model minus another's, and its 95 % bootstrap interval (notebook 09).

    Both predict every beat of `next_beat_targets(sequences)`. The interval resamples whole chorales (scipy's
    percentile bootstrap, 2,000 resamples, seeded): beats of one chorale are not independent draws, pieces are.
    Returns (difference, low, high); below zero the first model is better.
    """
    from scipy.stats import bootstrap

    sequences = _check_sequences(sequences)
    targets = np.concatenate([s[1:] for s in sequences])  # (N, 4)
    probabilities, targets = _check_predictions(probabilities, targets)
    other_probabilities, _ = _check_predictions(other_probabilities, targets)
    seed = check_int("seed", seed, minimum=0)
    gain = (_beat_nll(probabilities, targets) - _beat_nll(other_probabilities, targets)).mean(axis=1)  # (N,)
    beats = np.array([len(s) - 1 for s in sequences])  # scored beats per chorale
    per_chorale = np.add.reduceat(gain, np.cumsum(beats) - beats)  # (chorales,) summed differences

    def mean_per_beat(summed, counted, axis=-1):
        return summed.sum(axis=axis) / counted.sum(axis=axis)

    result = bootstrap((per_chorale, beats), mean_per_beat, paired=True, vectorized=True, n_resamples=2000,
                       method="percentile", rng=np.random.default_rng(seed))
    interval = result.confidence_interval
    return float(gain.mean()), float(interval.low), float(interval.high)
