"""Bach chorales as four voices on a beat grid (notebook 09): data, baselines, an LSTM, sampling, sound and MIDI.

A chorale is an int array (steps, 4): the MIDI pitch that the soprano, alto, tenor and bass sound at the start of
each quarter-note beat, 0 for a rest. The bundled file `bach_chorales.csv.bz2` holds the chorales of music21's
corpus in that form, made by scripts/make_chorales_data.py with `chorale_steps` (music21 is needed only to
rebuild it). Here too: the two count baselines (repeat the previous beat, a per-voice transition table;
hand-written, the notebook teaches them), scores per voice, a Keras next-beat LSTM (run in NumPy by
course_utils.generation.run_embedding_lstm) and sampling from it with a temperature, musical statistics of a
chorale, additive-sine audio and a small MIDI writer.
TensorFlow and matplotlib are imported only inside the functions that need them.
"""

from __future__ import annotations

import bz2
import csv
import io
import struct
from pathlib import Path
from typing import NamedTuple

import numpy as np

from course_utils.generation import embedding_lstm_weights, run_embedding_lstm, sample_with_temperature
from course_utils.validation import as_array, as_float_array, check_axes, check_float, check_int

CHORALES_FILE = "bach_chorales.csv.bz2"
VOICES = ("soprano", "alto", "tenor", "bass")
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


# --------------------------------------------------------------------------- data

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


def chorale_steps(score, step: float = 1.0) -> np.ndarray:
    """The pitches (steps, parts) a music21 Score sounds at every `step` quarter notes, 0 = rest (notebook 09).

    Used by scripts/make_chorales_data.py. A part sounds, at time t, the note or rest whose span
    [offset, offset + duration) holds t; in a chord (rare in chorales) the part takes the highest pitch.
    Grace notes (no duration) are skipped, tied notes give the same pitch on both sides of the tie.
    """
    parts = getattr(score, "parts", None)
    if parts is None or not hasattr(score, "highestTime"):
        raise TypeError(f"score must be a music21 Score (music21.corpus.parse(...)), got {type(score).__name__}")
    step = check_float("step", step, minimum=1 / 64, maximum=4.0)
    n_steps = int(np.ceil(float(score.highestTime) / step - 1e-9))
    if len(parts) == 0 or n_steps == 0:
        raise ValueError("score must have at least one part and a positive length")
    pitches = np.zeros((n_steps, len(parts)), dtype=np.int64)
    for column, part in enumerate(parts):
        for element in part.flatten().notesAndRests:
            start, length = float(element.offset), float(element.duration.quarterLength)
            if length <= 0 or element.isRest:
                continue
            midi = max(p.midi for p in element.pitches)
            first = int(np.ceil(start / step - 1e-9))
            last = int(np.ceil((start + length) / step - 1e-9))  # exclusive: the step at the end is the next note's
            pitches[first:min(last, n_steps), column] = midi
    return pitches


def write_chorales(chorales, path) -> None:
    """Write chorales (a list of Chorale) as bz2-compressed CSV, byte-for-byte repeatable (notebook 09's data).

    One row per chorale: name, tonic, mode, then each voice's pitches as space-separated MIDI numbers.
    """
    rows = _check_chorales(chorales)
    if not isinstance(path, (str, Path)):
        raise TypeError(f"path must be a file path (str or Path), got {type(path).__name__}")
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["name", "tonic", "mode", *VOICES])
    for chorale in rows:
        voices = [" ".join(str(int(p)) for p in chorale.steps[:, v]) for v in range(4)]
        writer.writerow([chorale.name, chorale.tonic, chorale.mode, *voices])
    Path(path).write_bytes(bz2.compress(text.getvalue().encode("ascii"), 9))


def read_chorales(path) -> list[Chorale]:
    """Read chorales written by `write_chorales` (notebook 09)."""
    if not isinstance(path, (str, Path)):
        raise TypeError(f"path must be a file path (str or Path), got {type(path).__name__}")
    try:
        text = bz2.decompress(Path(path).read_bytes()).decode("ascii")
    except (OSError, ValueError) as error:
        if isinstance(error, FileNotFoundError):
            raise
        raise ValueError(f"path must be a bz2 CSV file written by write_chorales: {error}") from None
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header != ["name", "tonic", "mode", *VOICES]:
        raise ValueError(f"path must be a chorale file with the columns name, tonic, mode and the voices, got {header}")
    chorales = []
    for row in reader:
        voices = [np.array(column.split(), dtype=np.int64) for column in row[3:]]
        chorales.append(Chorale(row[0], int(row[1]), row[2], np.stack(voices, axis=1)))
    return chorales


def _check_chorales(chorales) -> list[Chorale]:
    if not isinstance(chorales, (list, tuple)) or not chorales or not all(isinstance(c, Chorale) for c in chorales):
        raise TypeError(f"chorales must be a non-empty list of Chorale records, got {type(chorales).__name__}")
    for chorale in chorales:
        _check_steps(f"the steps of {chorale.name}", chorale.steps)
        if chorale.mode not in KEY_DEGREES or not 0 <= int(chorale.tonic) < 12:
            raise ValueError(f"{chorale.name}: the key must be a tonic 0-11 and 'major' or 'minor'")
    return list(chorales)


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
    pick = [chorales[i] for i in order]
    return pick[n_test + n_validation:], pick[n_test:n_test + n_validation], pick[:n_test]


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
    tonic = check_int("tonic", tonic, minimum=0, maximum=11)
    if not isinstance(mode, str) or mode not in KEY_DEGREES:
        raise ValueError(f"mode must be 'major' or 'minor', got {mode!r}"[:120])
    return f"{PITCH_NAMES[tonic]} {mode}"


# --------------------------------------------------------------------------- classes for the models

class PitchClasses(NamedTuple):
    """The classes a model predicts: 0 = rest, 1..n = MIDI pitches lowest..highest (notebook 09)."""

    lowest: int
    highest: int

    @property
    def size(self) -> int:
        """Number of classes, the rest included."""
        return self.highest - self.lowest + 2


def pitch_classes(chorales) -> PitchClasses:
    """The pitch range of all voices of `chorales` as model classes (notebook 09)."""
    chorales = _check_chorales(chorales)
    sounding = np.concatenate([c.steps[c.steps > 0] for c in chorales])
    return PitchClasses(int(sounding.min()), int(sounding.max()))


def encode(steps, classes: PitchClasses) -> np.ndarray:
    """MIDI pitches (T, 4) -> class ids (T, 4): 0 = rest, pitch - lowest + 1 (notebook 09)."""
    steps = _check_steps("steps", steps)
    if not isinstance(classes, PitchClasses):
        raise TypeError(f"classes must be a PitchClasses (from pitch_classes), got {type(classes).__name__}")
    sounding = steps > 0
    if np.any(sounding & ((steps < classes.lowest) | (steps > classes.highest))):
        raise ValueError(f"steps must be rests or pitches {classes.lowest}-{classes.highest}, the classes' range")
    return np.where(sounding, steps - classes.lowest + 1, 0)


def decode(ids, classes: PitchClasses) -> np.ndarray:
    """Class ids (T, 4) -> MIDI pitches (T, 4), 0 = rest (notebook 09)."""
    if not isinstance(classes, PitchClasses):
        raise TypeError(f"classes must be a PitchClasses (from pitch_classes), got {type(classes).__name__}")
    ids = _check_steps("ids", ids)
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


def _check_classes_size(n_classes) -> int:
    return check_int("n_classes", n_classes, minimum=2, maximum=128)


def _check_sequences(sequences, n_classes: int | None = None) -> list[np.ndarray]:
    if not isinstance(sequences, (list, tuple)) or not sequences:
        raise TypeError("sequences must be a non-empty list of encoded chorales (T, 4), "
                        f"got {type(sequences).__name__}")
    checked = [_check_steps(f"sequences[{i}]", s) for i, s in enumerate(sequences)]
    if any(len(s) < 2 for s in checked):
        raise ValueError("sequences must each have at least two beats (a beat to predict from and one to predict)")
    if n_classes is not None and max(int(s.max()) for s in checked) >= n_classes:
        raise ValueError(f"sequences must hold class ids below n_classes = {n_classes}")
    return checked


# --------------------------------------------------------------------------- baselines and scores

def next_beat_targets(sequences) -> np.ndarray:
    """The beats a model is scored on: every beat but each chorale's first, stacked (N, 4) (notebook 09)."""
    return np.concatenate([s[1:] for s in _check_sequences(sequences)])


def repeat_table(sequences, n_classes: int) -> np.ndarray:
    """Baseline "repeat the previous beat" as a table (4, K, K): P[v, a, b] of class b after a in voice v (notebook 09).

    Each voice keeps its class with the probability it does in `sequences` (the training chorales); the rest of
    the probability is spread evenly over the other classes, so that a change is possible, just not predicted.
    """
    n_classes = _check_classes_size(n_classes)
    sequences = _check_sequences(sequences, n_classes)
    stay = np.mean(np.concatenate([s[1:] == s[:-1] for s in sequences]), axis=0)  # (4,)
    table = np.empty((4, n_classes, n_classes))
    for voice in range(4):
        table[voice] = (1 - stay[voice]) / (n_classes - 1)
        np.fill_diagonal(table[voice], stay[voice])
    return table


def transition_table(sequences, n_classes: int, smoothing: float = 0.1) -> np.ndarray:
    """Baseline: each voice's next class given its own previous one, counted (4, K, K), add-`smoothing` (notebook 09).

    Hand-written (a bigram per voice: counting is the mechanism the notebook teaches); it knows each voice's
    habits (a leading note rises) but not the other voices or anything before the previous beat.
    """
    n_classes = _check_classes_size(n_classes)
    sequences = _check_sequences(sequences, n_classes)
    smoothing = check_float("smoothing", smoothing, minimum=1e-9)
    counts = np.zeros((4, n_classes, n_classes))
    for sequence in sequences:
        for voice in range(4):
            np.add.at(counts[voice], (sequence[:-1, voice], sequence[1:, voice]), 1)
    counts += smoothing
    return counts / counts.sum(axis=-1, keepdims=True)


def table_predictions(table, sequences) -> np.ndarray:
    """A (4, K, K) table's distributions (N, 4, K) for every beat of `next_beat_targets(sequences)` (notebook 09)."""
    table = as_float_array("table", table, ndim=3)
    if table.shape[0] != 4 or table.shape[1] != table.shape[2]:
        raise ValueError(f"table must have shape (4, K, K), got {table.shape}")
    sequences = _check_sequences(sequences, table.shape[1])
    previous = np.concatenate([s[:-1] for s in sequences])  # (N, 4)
    return np.stack([table[voice, previous[:, voice]] for voice in range(4)], axis=1)


def _check_predictions(probabilities, targets) -> tuple[np.ndarray, np.ndarray]:
    probabilities = as_float_array("probabilities", probabilities, ndim=3)
    targets = _check_steps("targets", targets)
    if probabilities.shape[:2] != targets.shape or targets.max() >= probabilities.shape[2]:
        raise ValueError(f"probabilities must have shape (N, 4, K) with N = len(targets) = {len(targets)} and K above "
                         f"every target, got {probabilities.shape}")
    if probabilities.min() < 0:
        raise ValueError("probabilities must not be negative")
    return probabilities, targets


def nll_per_voice(probabilities, targets) -> np.ndarray:
    """Mean negative log-likelihood (nats) of the true classes, one number per voice (4,) (notebook 09)."""
    probabilities, targets = _check_predictions(probabilities, targets)
    chosen = np.take_along_axis(probabilities, targets[..., None], axis=2)[..., 0]  # (N, 4)
    with np.errstate(divide="ignore"):
        return -np.mean(np.log(chosen), axis=0)


def accuracy_per_voice(probabilities, targets) -> np.ndarray:
    """Share of beats whose most probable class is the true one, per voice (4,) (notebook 09)."""
    probabilities, targets = _check_predictions(probabilities, targets)
    return np.mean(np.argmax(probabilities, axis=2) == targets, axis=0)


# --------------------------------------------------------------------------- the LSTM

def build_chorale_lstm(n_classes: int, units: int = 128, embedding_dim: int = 16, learning_rate: float = 3e-3):
    """Beats (batch, T, 4) of class ids -> logits (batch, T, 4, K) for the next beat, compiled (notebook 09).

    One embedding shared by the voices, the four vectors of a beat side by side (so the LSTM knows which voice is
    which), an LSTM over the beats, and a Dense layer giving four softmaxes: the voices of the next beat are
    predicted from everything before it, independently of each other.
    """
    import keras

    n_classes = _check_classes_size(n_classes)
    units = check_int("units", units, minimum=1, maximum=4096)
    embedding_dim = check_int("embedding_dim", embedding_dim, minimum=1, maximum=1024)
    learning_rate = check_float("learning_rate", learning_rate, minimum=1e-9, maximum=1.0)
    model = keras.Sequential([
        keras.Input(shape=(None, 4), dtype="int32"),  # (batch, T, 4) class ids of S, A, T, B
        keras.layers.Embedding(n_classes, embedding_dim, name="embedding"),  # (batch, T, 4, embedding_dim)
        keras.layers.Reshape((-1, 4 * embedding_dim)),  # (batch, T, 4 * embedding_dim): the voices side by side
        keras.layers.LSTM(units, return_sequences=True, name="lstm"),  # (batch, T, units)
        keras.layers.Dense(4 * n_classes, name="logits"),  # (batch, T, 4 * K)
        keras.layers.Reshape((-1, 4, n_classes)),  # (batch, T, 4, K): one softmax per voice
    ], name="chorale_lstm")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate, clipnorm=1.0),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")])
    return model


def lstm_predictions(model, sequences) -> np.ndarray:
    """The LSTM's distributions (N, 4, K) for every beat of `next_beat_targets(sequences)` (notebook 09).

    Each chorale is read from its first beat, so the prediction of beat t has seen every beat before it, the
    same beats the baselines are scored on.
    """
    weights = embedding_lstm_weights(model)
    sequences = _check_sequences(sequences, len(weights.embedding))
    longest = max(len(s) for s in sequences)
    padded = np.zeros((len(sequences), longest, 4), dtype=np.int64)
    for i, sequence in enumerate(sequences):
        padded[i, :len(sequence)] = sequence  # padding at the end: it never affects the beats before it
    probabilities = run_embedding_lstm(weights, padded).probabilities
    return np.concatenate([probabilities[i, :len(s) - 1] for i, s in enumerate(sequences)])


def sample_chorale(model, prompt, beats: int, temperature: float, seed: int) -> np.ndarray:
    """Continue the class ids `prompt` (P, 4) by `beats` beats sampled at `temperature`; returns (P + beats, 4).

    The four voices of a beat are drawn independently from their softmaxes (after `apply_temperature`), fed back
    as the next input, with the LSTM state carried from beat to beat (notebook 09).
    """
    weights = embedding_lstm_weights(model)
    prompt = _check_steps("prompt", prompt)
    if prompt.max() >= len(weights.embedding):
        raise ValueError(f"prompt must hold class ids below {len(weights.embedding)}")
    beats = check_int("beats", beats, minimum=1, maximum=10_000)
    temperature = check_float("temperature", temperature, minimum=1e-3, maximum=100.0)
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    trace = run_embedding_lstm(weights, prompt[None])
    piece = [*prompt]
    for _ in range(beats):
        beat = sample_with_temperature(trace.probabilities[0, -1], temperature, rng)  # (4,)
        piece.append(beat)
        trace = run_embedding_lstm(weights, beat[None, None], trace.h[:, -1], trace.c[:, -1])
    return np.stack(piece).astype(np.int64)


# --------------------------------------------------------------------------- musical statistics

def pitch_ranges(steps) -> np.ndarray:
    """Lowest and highest MIDI pitch of each voice (4, 2), rests ignored (notebook 09)."""
    steps = _check_steps("steps", steps)
    ranges = np.zeros((4, 2), dtype=np.int64)
    for voice in range(4):
        sounding = steps[:, voice][steps[:, voice] > 0]
        if len(sounding) == 0:
            raise ValueError(f"steps must have a note in every voice; the {VOICES[voice]} only rests")
        ranges[voice] = sounding.min(), sounding.max()
    return ranges


def in_key_share(steps, tonic: int, mode: str) -> float:
    """Share of the sounding notes whose pitch class belongs to the key (tonic, mode) (notebook 09).

    Minor keys count the raised sixth and seventh as in the key (melodic and harmonic minor): see KEY_DEGREES.
    """
    steps = _check_steps("steps", steps)
    tonic = check_int("tonic", tonic, minimum=0, maximum=11)
    if not isinstance(mode, str) or mode not in KEY_DEGREES:
        raise ValueError(f"mode must be 'major' or 'minor', got {mode!r}"[:120])
    sounding = steps[steps > 0]
    if len(sounding) == 0:
        raise ValueError("steps must hold at least one note")
    return float(np.mean(np.isin((sounding - tonic) % 12, KEY_DEGREES[mode])))


def melodic_intervals(steps) -> np.ndarray:
    """Every voice's moves from one beat to the next, in semitones (rests skipped), as one 1-D array (notebook 09)."""
    steps = _check_steps("steps", steps)
    moves = []
    for voice in range(4):
        sounding = steps[:, voice][steps[:, voice] > 0]
        moves.append(np.diff(sounding))
    return np.concatenate(moves)


def interval_histogram(steps, largest: int = 12) -> np.ndarray:
    """Share of melodic moves of each size |interval| = 0..largest, the last bin holding every larger leap.

    Returns (largest + 1,) shares summing to 1 (notebook 09): bin 0 is a repeated note, 1-2 steps, 3+ leaps.
    """
    largest = check_int("largest", largest, minimum=1, maximum=127)
    sizes = np.minimum(np.abs(melodic_intervals(steps)), largest)
    if len(sizes) == 0:
        raise ValueError("steps must hold at least two notes in one voice")
    return np.bincount(sizes, minlength=largest + 1) / len(sizes)


# --------------------------------------------------------------------------- pictures, sound, MIDI

def plot_piano_roll(steps, ax=None, title: str = ""):
    """Draw a chorale (T, 4) as a piano roll: one coloured bar per voice and beat (notebook 09). Returns the Axes."""
    import matplotlib.pyplot as plt

    steps = _check_steps("steps", steps)
    ax = check_axes("ax", ax)
    if not isinstance(title, str):
        raise TypeError(f"title must be a string, got {type(title).__name__}")
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 3))
    for voice in range(4):
        beats = np.flatnonzero(steps[:, voice] > 0)
        ax.barh(steps[beats, voice], 0.9, left=beats, height=0.8, color=f"C{voice}", label=VOICES[voice])
    ax.set(xlabel="beat (quarter note)", ylabel="MIDI pitch (60 = middle C)", title=title, xlim=(0, len(steps)))
    ax.legend(loc="upper right", fontsize=8, ncols=4)
    return ax


def synthesize(steps, seconds_per_beat: float = 0.5, sample_rate: int = 8000) -> np.ndarray:
    """Audio (samples,) in [-1, 1] of a chorale (T, 4): each note a sum of three sine harmonics with a short fade.

    Additive synthesis in NumPy, no sound font (notebook 09): a held note (the same pitch on consecutive beats)
    sounds once, for its whole length; every note fades in and out over 10 ms so that it does not click.
    """
    steps = _check_steps("steps", steps)
    seconds_per_beat = check_float("seconds_per_beat", seconds_per_beat, minimum=0.05, maximum=5.0)
    sample_rate = check_int("sample_rate", sample_rate, minimum=1000, maximum=96_000)
    beat_samples = round(seconds_per_beat * sample_rate)
    audio = np.zeros(len(steps) * beat_samples)
    fade = max(1, round(0.01 * sample_rate))
    for voice in range(4):
        for pitch, first, last in _notes(steps[:, voice]):
            length = (last - first) * beat_samples
            t = np.arange(length) / sample_rate
            frequency = 440.0 * 2 ** ((pitch - 69) / 12)
            harmonics = [k for k in (1, 2, 3) if k * frequency < sample_rate / 2]  # below the Nyquist frequency
            tone = sum(np.sin(2 * np.pi * k * frequency * t) / k ** 2 for k in harmonics)
            envelope = np.minimum(1.0, np.minimum(np.arange(length) + 1, length - np.arange(length)) / fade)
            audio[first * beat_samples:last * beat_samples] += tone * envelope * np.exp(-0.6 * t)
    peak = np.abs(audio).max()
    return audio / peak * 0.9 if peak > 0 else audio


def _notes(voice: np.ndarray):
    """(pitch, first beat, end beat) of each note of one voice: consecutive equal pitches make one note."""
    notes, start = [], 0
    for beat in range(1, len(voice) + 1):
        if beat == len(voice) or voice[beat] != voice[start]:
            if voice[start] > 0:
                notes.append((int(voice[start]), start, beat))
            start = beat
    return notes


def _variable_length(value: int) -> bytes:
    """A MIDI variable-length quantity: 7 bits a byte, the high bit set on all but the last."""
    groups = [value & 0x7F]
    while value > 0x7F:
        value >>= 7
        groups.append((value & 0x7F) | 0x80)
    return bytes(reversed(groups))


def write_midi(steps, path, beats_per_minute: float = 80.0) -> None:
    """Write a chorale (T, 4) as a standard MIDI file (format 1, one track per voice) at `path` (notebook 09).

    Hand-written (about 30 lines; the format is simple): 480 ticks per quarter note, a tempo event, and one
    note-on/note-off pair per note, consecutive equal pitches joined into one held note.
    """
    steps = _check_steps("steps", steps)
    if not isinstance(path, (str, Path)):
        raise TypeError(f"path must be a file path (str or Path), got {type(path).__name__}")
    beats_per_minute = check_float("beats_per_minute", beats_per_minute, minimum=10.0, maximum=400.0)
    ticks = 480
    tempo = round(60_000_000 / beats_per_minute)  # microseconds per quarter note
    tracks = [b"\x00\xff\x51\x03" + tempo.to_bytes(3, "big") + b"\x00\xff\x2f\x00"]
    for voice in range(4):
        events, now = bytearray(), 0
        name = VOICES[voice].capitalize().encode("ascii")
        events += b"\x00\xff\x03" + bytes([len(name)]) + name
        for pitch, first, last in _notes(steps[:, voice]):
            events += _variable_length(first * ticks - now) + bytes([0x90 | voice, pitch, 80])
            events += _variable_length((last - first) * ticks) + bytes([0x80 | voice, pitch, 0])
            now = last * ticks
        events += b"\x00\xff\x2f\x00"
        tracks.append(bytes(events))
    header = b"MThd" + struct.pack(">IHHH", 6, 1, len(tracks), ticks)
    partial = Path(f"{path}.partial")  # written whole, then renamed: a reader never sees half a file
    partial.write_bytes(header + b"".join(b"MTrk" + struct.pack(">I", len(t)) + t for t in tracks))
    partial.replace(path)


def read_midi_notes(path) -> list[tuple[int, int, float, float]]:
    """(voice channel, MIDI pitch, start beat, end beat) of every note of a MIDI file from `write_midi` (notebook 09).

    A minimal reader of format-1 files with note-on/note-off events and meta events (enough to check what
    write_midi wrote: tests compare it with music21's parser); other event types raise ValueError.
    """
    if not isinstance(path, (str, Path)):
        raise TypeError(f"path must be a file path (str or Path), got {type(path).__name__}")
    data = Path(path).read_bytes()
    if data[:4] != b"MThd" or len(data) < 14:
        raise ValueError(f"path must be a standard MIDI file (starting with MThd), got {data[:4]!r}")
    ticks = int.from_bytes(data[12:14], "big")
    position, notes = 14, []
    while position < len(data):
        if data[position:position + 4] != b"MTrk":
            raise ValueError(f"expected a track chunk MTrk at byte {position}")
        length = int.from_bytes(data[position + 4:position + 8], "big")
        track, i, now, sounding = data[position + 8:position + 8 + length], 0, 0, {}
        while i < len(track):
            delta = 0
            while True:  # variable-length delta time
                delta = (delta << 7) | (track[i] & 0x7F)
                i += 1
                if track[i - 1] < 0x80:
                    break
            now += delta
            status = track[i]
            if status == 0xFF:  # meta event: type, length, data
                i += 3 + track[i + 2]
            elif status & 0xF0 == 0x90 and track[i + 2] > 0:
                sounding[(status & 0x0F, track[i + 1])] = now
                i += 3
            elif status & 0xF0 in (0x80, 0x90):
                channel, pitch = status & 0x0F, track[i + 1]
                notes.append((channel, pitch, sounding.pop((channel, pitch)) / ticks, now / ticks))
                i += 3
            else:
                raise ValueError(f"expected only note and meta events in the file, got status byte {status:#x}")
        position += 8 + length
    return sorted(notes, key=lambda note: (note[2], note[0]))
