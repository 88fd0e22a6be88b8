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
from typing import NamedTuple

import numpy as np

from course_utils.validation import checked, each, record, spec

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


# --------------------------------------------------------------------------- @checked specs of the package

STEPS = "(T, 4) ints in [0, 127]"  # a chorale's beats: MIDI pitches of the four voices, 0 = rest
MODES = ("major", "minor")


CHORALE = record(Chorale, steps=STEPS, tonic="int in [0, 11]", mode=MODES)  # a Chorale with valid beats and key
CHORALES = each(CHORALE, "Chorale records")


# --------------------------------------------------------------------------- reading, splitting, keys

@checked(path="path")
def read_chorales(path) -> list[Chorale]:
    """Read a chorale file (bz2-compressed CSV, one row per chorale, as scripts/make_chorales_data.py writes it).

    Columns: name, tonic, mode, then each voice's pitches as space-separated MIDI numbers (notebook 09).
    """
    try:
        rows = list(csv.reader(io.StringIO(bz2.decompress(path.read_bytes()).decode("ascii"))))
    except (OSError, ValueError) as error:
        if isinstance(error, FileNotFoundError):
            raise
        raise ValueError(f"path must be a bz2 CSV file of chorales: {error}") from None
    if not rows or rows[0] != list(COLUMNS):
        raise ValueError(f"path must be a chorale file with the columns {', '.join(COLUMNS)}, got {rows[:1]}")
    chorales = []
    for name, tonic, mode, *voices in rows[1:]:
        steps = np.stack([np.array(voice.split(), dtype=np.int64) for voice in voices], axis=1)  # (beats, 4)
        chorales.append(Chorale(name, int(tonic), mode, steps))
    return chorales


def load_chorales() -> list[Chorale]:
    """The bundled Bach chorales (music21 corpus, four voices, one row per beat), checked by SHA-256 (notebook 09)."""
    from course_utils.bundled_data import bundled_path

    return read_chorales(bundled_path(CHORALES_FILE))


@checked(chorales=CHORALES, validation_fraction="float in [0, 0.5]", test_fraction="float in [0, 0.5]",
         seed="int >= 0")
def split_chorales(chorales, validation_fraction: float = 0.1, test_fraction: float = 0.1, seed: int = 0):
    """Shuffle whole chorales with `seed` and cut them into (train, validation, test) lists (notebook 09).

    Whole chorales, never beats of one chorale on both sides: the held-out chorales are new pieces.
    """
    n_test, n_validation = round(len(chorales) * test_fraction), round(len(chorales) * validation_fraction)
    if len(chorales) - n_test - n_validation < 1:
        raise ValueError(f"the fractions leave no training chorale out of {len(chorales)}")
    shuffled = [chorales[i] for i in np.random.default_rng(seed).permutation(len(chorales))]
    return shuffled[n_test + n_validation:], shuffled[n_test:n_test + n_validation], shuffled[:n_test]


def _semitones(name: str, value, dims: dict) -> int:
    """@checked spec: an int in [-24, 24] that keeps every note of the chorale before it in the MIDI range 1-127."""
    value = spec("int in [-24, 24]")(name, value, dims)
    steps = dims["values of chorale"].steps
    notes = steps[steps > 0]  # 0 is a rest, which stays a rest
    if notes.size and (notes.max() + value > 127 or notes.min() + value < 1):
        raise ValueError(f"{name} = {value} moves a note out of the MIDI range 1-127")
    return value


@checked(chorale=CHORALE, semitones=_semitones)
def transpose(chorale: Chorale, semitones: int) -> Chorale:
    """The chorale moved by `semitones` (rests stay rests), with its key moved too (notebook 09)."""
    moved = np.where(chorale.steps > 0, chorale.steps + semitones, 0)
    return Chorale(chorale.name, (chorale.tonic + semitones) % 12, chorale.mode, moved)


@checked(tonic="int in [0, 11]", mode=MODES)
def key_name(tonic: int, mode: str) -> str:
    """'A major', 'F# minor', ... from a tonic pitch class and a mode (notebook 09)."""
    return f"{PITCH_NAMES[tonic]} {mode}"
