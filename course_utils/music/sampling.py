"""Composing (notebook 09): continue chorales beat by beat from any of the notebook's models, with a temperature.

Every model gives, from the beats so far, four distributions for the next beat (one per voice); the sampler draws
each voice from its distribution reweighted by the temperature, appends the beat and asks again.
"""

from __future__ import annotations

import numpy as np

from course_utils.generation import embedding_lstm_weights, run_embedding_lstm, sample_with_temperature
from course_utils.music.baselines import TABLE, SoftmaxRegression, fitted_regression, regression_probabilities
from course_utils.music.model import chorale_lstm
from course_utils.validation import checked, spec


def _composer(name: str, value, dims: dict):
    """@checked spec: the LSTM of build_chorale_lstm (or its weights), a table (4, K, K) from transition_table or
    repeat_table, or a SoftmaxRegression; each fixes n_classes for the prompts, and the beats it reads (context: 1
    but for a regression)."""
    dims["context"] = 1
    if isinstance(value, SoftmaxRegression):
        return fitted_regression(name, value, dims)
    if isinstance(value, (np.ndarray, list)):
        return spec(TABLE)(name, value, dims)
    try:
        return chorale_lstm(name, value, dims)
    except TypeError:
        raise TypeError(f"{name} must be the LSTM of build_chorale_lstm, a table (4, K, K) from transition_table or "
                        f"repeat_table, or a SoftmaxRegression, got {type(value).__name__}") from None


def _next_beat(model):
    """The model as a function: the beats so far (pieces, t, 4) -> the next beat's distributions (pieces, 4, K)."""
    if isinstance(model, SoftmaxRegression):
        return lambda pieces: regression_probabilities.unchecked(model, pieces[:, -model.context:])
    if isinstance(model, np.ndarray):  # a table (4, K, K)
        return lambda pieces: np.stack([model[v, pieces[:, -1, v]] for v in range(4)], axis=1)
    weights, state = embedding_lstm_weights(model), {}  # the Keras model's weights, read once

    def lstm_next_beat(pieces):  # reads the prompt once (checked), then one beat a call, carrying the state (h, c)
        if state:
            trace = run_embedding_lstm.unchecked(weights, pieces[:, -1:], state["h"], state["c"])
        else:
            trace = run_embedding_lstm(weights, pieces)
        state["h"], state["c"] = trace.h[:, -1], trace.c[:, -1]  # (pieces, units) each
        return trace.probabilities[:, -1]  # (pieces, 4, K)

    return lstm_next_beat


@checked(model=_composer, prompts="(pieces, P >= context, 4) ints in [0, n_classes)", beats="int in [1, 10000]",
         temperature="float in [1e-3, 100]", seed="int >= 0")
def sample_chorales(model, prompts, beats: int, temperature: float, seed: int) -> np.ndarray:
    """Continue each prompt of class ids (pieces, P, 4) by `beats` beats drawn at `temperature` (notebook 09).

    `model` is the LSTM of `build_chorale_lstm` (run in NumPy, its state (h, c) carried from beat to beat), a table
    (4, K, K) from `transition_table` or `repeat_table`, or a `SoftmaxRegression`. At every beat the four voices
    are drawn independently, each from its distribution after `apply_temperature`, and the beat is fed back.
    Returns the pieces, prompts included (pieces, P + beats, 4).
    """
    next_beat, pieces, rng = _next_beat(model), prompts, np.random.default_rng(seed)
    for _ in range(beats):  # next_beat's steps are unchecked; the draw is checked: a table's row may be all zeros
        beat = sample_with_temperature(next_beat(pieces), temperature, rng)  # (pieces, 4): one class a voice
        pieces = np.concatenate([pieces, beat[:, None]], axis=1)
    return pieces
