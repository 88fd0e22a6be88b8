"""Beats as classes a model predicts (notebook 09): pitch classes, training windows, the beats every model is scored on.

A chorale encoded is an int array (beats, 4) of class ids: 0 = rest, 1..n = MIDI pitches lowest..highest, one
list of classes shared by the four voices.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_utils.music.chorales import CHORALES, STEPS
from course_utils.validation import checked, each


class PitchClasses(NamedTuple):
    """The classes a model predicts: 0 = rest, 1..n = MIDI pitches lowest..highest (notebook 09)."""

    lowest: int
    highest: int

    @property
    def size(self) -> int:
        """Number of classes, the rest included."""
        return self.highest - self.lowest + 2


def encoded_chorales(name: str, value, dims: dict) -> list[np.ndarray]:
    """The @checked spec of the `sequences` of notebook 09's models (encoding, baselines, model, scores): a
    non-empty list of encoded chorales, int arrays (T >= 2, 4) of class ids, below n_classes if an argument before
    fixes it; with N fixed before, they must score N beats (each chorale's beats after its first)."""
    ids = "(T_i >= 2, 4) ints in [0, n_classes)" if "n_classes" in dims else "(T_i >= 2, 4) ints in [0, 127]"
    sequences = each(ids, "encoded chorales (T, 4)")(name, value, dims)
    beats = sum(len(s) - 1 for s in sequences)  # the scored beats: every beat but each chorale's first
    if dims.setdefault("N", beats) != beats:
        raise ValueError(f"{name} must score N = {dims['N']} beats (each chorale's beats after its first), got "
                         f"{beats}")
    return sequences


@checked(chorales=CHORALES)
def pitch_classes(chorales) -> PitchClasses:
    """The pitch range of all voices of `chorales` as model classes (notebook 09)."""
    sounding = np.concatenate([c.steps[c.steps > 0] for c in chorales])
    return PitchClasses(int(sounding.min()), int(sounding.max()))


@checked(classes=PitchClasses, steps=STEPS)
def encode(steps, classes: PitchClasses) -> np.ndarray:
    """MIDI pitches (T, 4) -> class ids (T, 4): 0 = rest, pitch - lowest + 1 (notebook 09)."""
    sounding = steps > 0
    if np.any(sounding & ((steps < classes.lowest) | (steps > classes.highest))):
        raise ValueError(f"steps must be rests or pitches {classes.lowest}-{classes.highest}, the classes' range")
    return np.where(sounding, steps - classes.lowest + 1, 0)


@checked(classes=PitchClasses, ids="(T, 4) ints in [0, 127]")
def decode(ids, classes: PitchClasses) -> np.ndarray:
    """Class ids (T, 4) -> MIDI pitches (T, 4), 0 = rest (notebook 09)."""
    if ids.max() >= classes.size:
        raise ValueError(f"ids must be below the number of classes {classes.size}, got {ids.max()}")
    return np.where(ids > 0, ids + classes.lowest - 1, 0)


@checked(sequences=encoded_chorales, length="int >= 1", stride="int >= 1")
def beat_windows(sequences, length: int, stride: int):
    """Training pairs from encoded chorales: windows (n, length, 4) and the same windows one beat on (notebook 09)."""
    inputs, targets = [], []
    for sequence in sequences:
        for start in range(0, len(sequence) - length, stride):
            inputs.append(sequence[start:start + length])
            targets.append(sequence[start + 1:start + length + 1])
    if not inputs:
        raise ValueError(f"length must be shorter than some sequence, got {length}")
    return np.stack(inputs), np.stack(targets)


@checked(sequences=encoded_chorales)
def next_beat_targets(sequences) -> np.ndarray:
    """The beats a model is scored on: every beat but each chorale's first, stacked (N, 4) (notebook 09)."""
    return np.concatenate([s[1:] for s in sequences])


@checked(sequences=encoded_chorales, context="int in [1, 64]")
def previous_beats(sequences, context: int) -> np.ndarray:
    """The `context` beats before each scored beat, oldest first (N, context, 4); rests before a chorale's start.

    Row i is what a model that sees `context` beats back reads to predict row i of `next_beat_targets` (notebook 09).
    """
    windows = []
    for sequence in sequences:
        padded = np.concatenate([np.zeros((context - 1, 4), dtype=np.int64), sequence[:-1]])  # (context - 2 + T, 4)
        sliding = np.lib.stride_tricks.sliding_window_view(padded, context, axis=0)  # (T - 1, 4, context)
        windows.append(sliding.transpose(0, 2, 1))  # (T - 1, context, 4)
    return np.concatenate(windows)
