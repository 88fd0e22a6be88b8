"""Beats as classes a model predicts (notebook 09): pitch classes, training windows, the beats every model is scored on.

A chorale encoded is an int array (beats, 4) of class ids: 0 = rest, 1..n = MIDI pitches lowest..highest, one
list of classes shared by the four voices.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_utils.music.chorales import _check_chorales, _check_steps
from course_utils.validation import check_int


class PitchClasses(NamedTuple):
    """The classes a model predicts: 0 = rest, 1..n = MIDI pitches lowest..highest (notebook 09)."""

    lowest: int
    highest: int

    @property
    def size(self) -> int:
        """Number of classes, the rest included."""
        return self.highest - self.lowest + 2


def _check_classes(classes) -> PitchClasses:
    if not isinstance(classes, PitchClasses):
        raise TypeError(f"classes must be a PitchClasses (from pitch_classes), got {type(classes).__name__}")
    return classes


def _check_classes_size(n_classes) -> int:
    return check_int("n_classes", n_classes, minimum=2, maximum=128)


def _check_sequences(sequences, n_classes: int | None = None) -> list[np.ndarray]:
    """`sequences` as a list of encoded chorales (T >= 2, 4) with ids below `n_classes`, or TypeError/ValueError."""
    if not isinstance(sequences, (list, tuple)) or not sequences:
        raise TypeError("sequences must be a non-empty list of encoded chorales (T, 4), "
                        f"got {type(sequences).__name__}")
    checked = [_check_steps(f"sequences[{i}]", s) for i, s in enumerate(sequences)]
    if any(len(s) < 2 for s in checked):
        raise ValueError("sequences must each have at least two beats (a beat to predict from and one to predict)")
    if n_classes is not None and max(int(s.max()) for s in checked) >= n_classes:
        raise ValueError(f"sequences must hold class ids below n_classes = {n_classes}")
    return checked


def pitch_classes(chorales) -> PitchClasses:
    """The pitch range of all voices of `chorales` as model classes (notebook 09)."""
    chorales = _check_chorales(chorales)
    sounding = np.concatenate([c.steps[c.steps > 0] for c in chorales])
    return PitchClasses(int(sounding.min()), int(sounding.max()))


def encode(steps, classes: PitchClasses) -> np.ndarray:
    """MIDI pitches (T, 4) -> class ids (T, 4): 0 = rest, pitch - lowest + 1 (notebook 09)."""
    steps, classes = _check_steps("steps", steps), _check_classes(classes)
    sounding = steps > 0
    if np.any(sounding & ((steps < classes.lowest) | (steps > classes.highest))):
        raise ValueError(f"steps must be rests or pitches {classes.lowest}-{classes.highest}, the classes' range")
    return np.where(sounding, steps - classes.lowest + 1, 0)


def decode(ids, classes: PitchClasses) -> np.ndarray:
    """Class ids (T, 4) -> MIDI pitches (T, 4), 0 = rest (notebook 09)."""
    classes, ids = _check_classes(classes), _check_steps("ids", ids)
    if ids.max() >= classes.size:
        raise ValueError(f"ids must be below the number of classes {classes.size}, got {ids.max()}")
    return np.where(ids > 0, ids + classes.lowest - 1, 0)


def beat_windows(sequences, length: int, stride: int):
    """Training pairs from encoded chorales: windows (n, length, 4) and the same windows one beat on (notebook 09)."""
    sequences = _check_sequences(sequences)
    length = check_int("length", length, minimum=1)
    stride = check_int("stride", stride, minimum=1)
    inputs, targets = [], []
    for sequence in sequences:
        for start in range(0, len(sequence) - length, stride):
            inputs.append(sequence[start:start + length])
            targets.append(sequence[start + 1:start + length + 1])
    if not inputs:
        raise ValueError(f"length must be shorter than some sequence, got {length}")
    return np.stack(inputs), np.stack(targets)


def next_beat_targets(sequences) -> np.ndarray:
    """The beats a model is scored on: every beat but each chorale's first, stacked (N, 4) (notebook 09)."""
    return np.concatenate([s[1:] for s in _check_sequences(sequences)])


def previous_beats(sequences, context: int) -> np.ndarray:
    """The `context` beats before each scored beat, oldest first (N, context, 4); rests before a chorale's start.

    Row i is what a model that sees `context` beats back reads to predict row i of `next_beat_targets` (notebook 09).
    """
    sequences = _check_sequences(sequences)
    context = check_int("context", context, minimum=1, maximum=64)
    windows = []
    for sequence in sequences:
        padded = np.concatenate([np.zeros((context - 1, 4), dtype=np.int64), sequence[:-1]])  # (context - 2 + T, 4)
        sliding = np.lib.stride_tricks.sliding_window_view(padded, context, axis=0)  # (T - 1, 4, context)
        windows.append(sliding.transpose(0, 2, 1))  # (T - 1, context, 4)
    return np.concatenate(windows)
