"""The chorales (notebook 09): one record per chorale, the bundled file, the split into whole pieces, keys.

A chorale's beats are an int array (beats, 4): the MIDI pitch (60 = middle C, +1 a semitone) that the soprano,
alto, tenor and bass sound at the start of each quarter-note beat, 0 for a rest. The bundled file
`bach_chorales.csv.bz2` was made from music21's corpus by scripts/make_chorales_data.py, so reading it needs no
music parser.
"""

from __future__ import annotations

import bz2
import csv
import io
from pathlib import Path
from typing import NamedTuple

import numpy as np

from course_utils.validation import as_array, check_float, check_int

CHORALES_FILE = "bach_chorales.csv.bz2"
VOICES = ("soprano", "alto", "tenor", "bass")
COLUMNS = ("name", "tonic", "mode", *VOICES)  # the bundled file's header
PITCH_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
# Pitch classes above the tonic that belong to the key: the major scale; for minor, the natural minor scale
# plus the raised sixth and seventh of the melodic and harmonic minor, which Bach uses all the time.
KEY_DEGREES = {"major": (0, 2, 4, 5, 7, 9, 11), "minor": (0, 2, 3, 5, 7, 8, 9, 10, 11)}


class Chorale(NamedTuple):
    """One chorale: its corpus name (e.g. 'bwv1.6'), key (tonic pitch class 0-11, 'major'/'minor'), beats."""

    name: str
    tonic: int
    mode: str
    steps: np.ndarray  # (beats, 4) int: MIDI pitch of soprano, alto, tenor, bass; 0 = rest


# --------------------------------------------------------------------------- argument checks of the package

def _check_steps(name: str, steps, voices: int | None = 4) -> np.ndarray:
    """`steps` as an int64 array (T, voices) of MIDI pitches 0-127 (0 = rest), or TypeError/ValueError."""
    values = as_array(name, steps, "an array (steps, voices) of MIDI pitches")
    numeric = np.issubdtype(values.dtype, np.integer) or np.issubdtype(values.dtype, np.floating)
    if values.dtype == bool or not numeric:
        raise TypeError(f"{name} must be an array of MIDI pitches (integers), got dtype {values.dtype}")
    if values.ndim != 2 or values.shape[0] < 1 or (voices is not None and values.shape[1] != voices):
        wanted = f"(steps, {voices})" if voices is not None else "(steps, voices)"
        raise ValueError(f"{name} must have shape {wanted} with at least one step, got {values.shape}")
    if not np.all(np.isfinite(values)) or np.any(values != np.round(values)) or values.min() < 0 or values.max() > 127:
        raise ValueError(f"{name} must hold whole MIDI pitches 0-127 (0 = rest)")
    return values.astype(np.int64)


def _check_chorales(chorales) -> list[Chorale]:
    """`chorales` as a list of valid Chorale records, or TypeError/ValueError."""
    if not isinstance(chorales, (list, tuple)) or not chorales or not all(isinstance(c, Chorale) for c in chorales):
        raise TypeError(f"chorales must be a non-empty list of Chorale records, got {type(chorales).__name__}")
    for chorale in chorales:
        _check_steps(f"the steps of {chorale.name}", chorale.steps)
        if chorale.mode not in KEY_DEGREES or not 0 <= int(chorale.tonic) < 12:
            raise ValueError(f"{chorale.name}: the key must be a tonic 0-11 and 'major' or 'minor'")
    return list(chorales)


def _check_path(name: str, path) -> Path:
    if not isinstance(path, (str, Path)):
        raise TypeError(f"{name} must be a file path (str or Path), got {type(path).__name__}")
    return Path(path)


def _check_key(tonic, mode) -> tuple[int, str]:
    tonic = check_int("tonic", tonic, minimum=0, maximum=11)
    if not isinstance(mode, str) or mode not in KEY_DEGREES:
        raise ValueError(f"mode must be 'major' or 'minor', got {mode!r}"[:120])
    return tonic, mode


# --------------------------------------------------------------------------- reading, splitting, keys

def read_chorales(path) -> list[Chorale]:
    """Read a chorale file (bz2-compressed CSV, one row per chorale, as scripts/make_chorales_data.py writes it).

    Columns: name, tonic, mode, then each voice's pitches as space-separated MIDI numbers (notebook 09).
    """
    path = _check_path("path", path)
    try:
        text = bz2.decompress(path.read_bytes()).decode("ascii")
    except (OSError, ValueError) as error:
        if isinstance(error, FileNotFoundError):
            raise
        raise ValueError(f"path must be a bz2 CSV file of chorales: {error}") from None
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header != list(COLUMNS):
        raise ValueError(f"path must be a chorale file with the columns {', '.join(COLUMNS)}, got {header}")
    chorales = []
    for name, tonic, mode, *voices in reader:
        steps = np.stack([np.array(voice.split(), dtype=np.int64) for voice in voices], axis=1)  # (beats, 4)
        chorales.append(Chorale(name, int(tonic), mode, steps))
    return chorales


def load_chorales() -> list[Chorale]:
    """The bundled Bach chorales (music21 corpus, four voices, one row per beat), checked by SHA-256 (notebook 09)."""
    from course_utils.bundled_data import bundled_path

    return read_chorales(bundled_path(CHORALES_FILE))


def split_chorales(chorales, validation_fraction: float = 0.1, test_fraction: float = 0.1, seed: int = 0):
    """Shuffle whole chorales with `seed` and cut them into (train, validation, test) lists (notebook 09).

    Whole chorales, never beats of one chorale on both sides: the held-out chorales are new pieces.
    """
    chorales = _check_chorales(chorales)
    validation_fraction = check_float("validation_fraction", validation_fraction, minimum=0.0, maximum=0.5)
    test_fraction = check_float("test_fraction", test_fraction, minimum=0.0, maximum=0.5)
    seed = check_int("seed", seed, minimum=0)
    order = np.random.default_rng(seed).permutation(len(chorales))
    n_test, n_validation = round(len(chorales) * test_fraction), round(len(chorales) * validation_fraction)
    if len(chorales) - n_test - n_validation < 1:
        raise ValueError(f"the fractions leave no training chorale out of {len(chorales)}")
    shuffled = [chorales[i] for i in order]
    return shuffled[n_test + n_validation:], shuffled[n_test:n_test + n_validation], shuffled[:n_test]


def transpose(chorale: Chorale, semitones: int) -> Chorale:
    """The chorale moved by `semitones` (rests stay rests), with its key moved too (notebook 09)."""
    if not isinstance(chorale, Chorale):
        raise TypeError(f"chorale must be a Chorale record, got {type(chorale).__name__}")
    semitones = check_int("semitones", semitones, minimum=-24, maximum=24)
    steps = _check_steps("chorale.steps", chorale.steps)
    moved = np.where(steps > 0, steps + semitones, 0)
    if moved.max() > 127 or moved[steps > 0].min(initial=1) < 1:
        raise ValueError(f"semitones = {semitones} moves a note out of the MIDI range 1-127")
    return Chorale(chorale.name, (chorale.tonic + semitones) % 12, chorale.mode, moved)


def key_name(tonic: int, mode: str) -> str:
    """'A major', 'F# minor', ... from a tonic pitch class and a mode (notebook 09)."""
    tonic, mode = _check_key(tonic, mode)
    return f"{PITCH_NAMES[tonic]} {mode}"
