"""Composing (notebook 09): continue chorales beat by beat from any of the notebook's models, with a temperature.

Every model gives, from the beats so far, four distributions for the next beat (one per voice); the sampler draws
each voice from its distribution reweighted by the temperature, appends the beat and asks again.
"""

from __future__ import annotations

import numpy as np

from course_utils.lstm import embedding_lstm_weights, run_embedding_lstm
from course_utils.music.baselines import SoftmaxRegression, _check_table, _regression_probabilities
from course_utils.music.chorales import _check_steps
from course_utils.text import sample_with_temperature
from course_utils.validation import as_array, check_float, check_int


def _next_beat_function(model):
    """(function: beats so far (pieces, t, 4) -> next beat's distributions (pieces, 4, K), K) for a model."""
    if isinstance(model, SoftmaxRegression):
        return (lambda pieces: _regression_probabilities(model, pieces[:, -model.context:])), model.n_classes
    if isinstance(model, np.ndarray):
        table = _check_table(model)  # (4, K, K)
        return (lambda pieces: np.stack([table[v, pieces[:, -1, v]] for v in range(4)], axis=1)), table.shape[1]
    try:
        weights = embedding_lstm_weights(model)
    except (TypeError, ValueError):
        raise TypeError("model must be the LSTM of build_chorale_lstm, a table (4, K, K) from transition_table or "
                        f"repeat_table, or a SoftmaxRegression, got {type(model).__name__}") from None
    state = {}

    def lstm_next_beat(pieces):  # reads the prompt once, then one beat a call, carrying the state (h, c)
        if state:
            trace = run_embedding_lstm(weights, pieces[:, -1:], state["h"], state["c"])
        else:
            trace = run_embedding_lstm(weights, pieces)
        state["h"], state["c"] = trace.h[:, -1], trace.c[:, -1]  # (pieces, units) each
        return trace.probabilities[:, -1]  # (pieces, 4, K)

    return lstm_next_beat, len(weights.embedding)


def sample_chorales(model, prompts, beats: int, temperature: float, seed: int) -> np.ndarray:
    """Continue each prompt of class ids (pieces, P, 4) by `beats` beats drawn at `temperature` (notebook 09).

    `model` is the LSTM of `build_chorale_lstm` (run in NumPy, its state (h, c) carried from beat to beat), a table
    (4, K, K) from `transition_table` or `repeat_table`, or a `SoftmaxRegression`. At every beat the four voices
    are drawn independently, each from its distribution after `apply_temperature`, and the beat is fed back.
    Returns the pieces, prompts included (pieces, P + beats, 4).
    """
    next_beat, n_classes = _next_beat_function(model)
    prompts = as_array("prompts", prompts, "an array (pieces, beats, 4) of class ids")
    if prompts.ndim != 3:
        raise ValueError(f"prompts must have shape (pieces, beats, 4), got {prompts.shape}")
    pieces = np.stack([_check_steps(f"prompts[{i}]", prompt) for i, prompt in enumerate(prompts)])
    if pieces.max() >= n_classes or pieces.shape[1] < getattr(model, "context", 1):
        raise ValueError(f"prompts must hold class ids below {n_classes} and at least the beats the model reads")
    beats = check_int("beats", beats, minimum=1, maximum=10_000)
    temperature = check_float("temperature", temperature, minimum=1e-3, maximum=100.0)
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    for _ in range(beats):
        beat = sample_with_temperature(next_beat(pieces), temperature, rng)  # (pieces, 4): one class a voice
        pieces = np.concatenate([pieces, beat[:, None]], axis=1)
    return pieces
