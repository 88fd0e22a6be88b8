"""Checkers for the exercises of notebook 09 (music composition): one common key, what it does to a baseline, and a
model that draws the voices of a beat one after the other."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import call, exercise, fail, number
from course_utils.music import (
    VOICES,
    Chorale,
    next_beat_targets,
    nll_per_voice,
    pitch_classes,
    table_predictions,
    transition_table,
    transpose,
)
from course_utils.validation import check_int

_TARGET_TONIC = {"major": 0, "minor": 9}  # C major and A minor: no sharps or flats


def _shift_to_common_key(chorale: Chorale) -> int:
    """The semitones (-6 to +5) that take the chorale's tonic to C (major) or A (minor) by the shortest way."""
    return (_TARGET_TONIC[chorale.mode] - chorale.tonic + 6) % 12 - 6


def _to_common_key(chorale: Chorale) -> Chorale:
    return transpose(chorale, _shift_to_common_key(chorale))


def _cases() -> list[Chorale]:
    steps = np.array([[74, 67, 58, 55], [74, 0, 60, 57], [77, 65, 62, 46], [72, 65, 57, 53]])

    def moved(semitones):
        return np.where(steps > 0, steps + semitones, 0)

    return [Chorale("g minor", 7, "minor", steps), Chorale("f# major", 6, "major", moved(1)),
            Chorale("c major", 0, "major", moved(-2)), Chorale("e minor", 4, "minor", moved(-5)),
            Chorale("b major", 11, "major", moved(5)), Chorale("a minor", 9, "minor", moved(-3))]


@exercise("Exercise 09.1 (one common key)",
          hint="Write to_common_key(chorale): move it by the number of semitones, between -6 and +5, that takes its "
               "tonic to C (major) or A (minor); transpose(chorale, semitones) does the moving.")
def check_common_key(function):
    """Exercise 09.1: `function(chorale)` returns the chorale in C major or A minor, moved by -6..+5 semitones."""
    for chorale in _cases():
        expected = _to_common_key(chorale)
        moved = call(function, chorale, what="to_common_key(chorale)")
        if not isinstance(moved, Chorale):
            fail(f"return a Chorale record (what transpose returns), got {type(moved).__name__}")
        steps = np.asarray(moved.steps)
        if steps.shape != chorale.steps.shape:
            fail(f"the chorale's beats must keep their shape {chorale.steps.shape}, got {steps.shape}")
        if np.any((steps == 0) != (chorale.steps == 0)):
            fail("a rest (0) must stay a rest: move only the notes")
        if (moved.tonic, moved.mode) != (expected.tonic, expected.mode):
            fail(f"a chorale in tonic {chorale.tonic}, {chorale.mode}, should end in tonic {expected.tonic} "
                 f"({'C major' if chorale.mode == 'major' else 'A minor'}), got tonic {moved.tonic}, {moved.mode}")
        shift = steps[chorale.steps > 0] - chorale.steps[chorale.steps > 0]
        if len(set(shift.tolist())) != 1:
            fail("every note must move by the same number of semitones")
        if not -6 <= shift[0] <= 5:
            fail(f"you moved a chorale by {shift[0]:+d} semitones: go the shorter way (between -6 and +5), "
                 "so the voices stay in their ranges")


@exercise("Exercise 09.2 (the transition baseline in one key)",
          hint="Move every training and validation chorale to the common key, make new PitchClasses from all of "
               "them, fit transition_table on the training ones and score the validation ones with nll_per_voice; "
               "answer with the mean over the four voices.")
def check_common_key_nll(answer, train, validation, smoothing: float = 0.1):
    """Exercise 09.2: the mean validation NLL (nats) of the transition table fitted and scored in one key."""
    for name, chorales in (("train", train), ("validation", validation)):
        if not isinstance(chorales, (list, tuple)) or not chorales or not all(isinstance(c, Chorale) for c in chorales):
            raise TypeError(f"{name} must be a non-empty list of Chorale records, got {type(chorales).__name__}")
    value = number(answer, "the mean negative log-likelihood")
    moved_train = [_to_common_key(c) for c in train]
    moved_validation = [_to_common_key(c) for c in validation]

    def score(fit_on, score_on, classes_from):
        classes = pitch_classes(classes_from)
        encode_all = [np.where(c.steps > 0, c.steps - classes.lowest + 1, 0) for c in fit_on + score_on]
        fitted, scored = encode_all[:len(fit_on)], encode_all[len(fit_on):]
        table = transition_table(fitted, classes.size, smoothing)
        return float(np.mean(nll_per_voice(table_predictions(table, scored), next_beat_targets(scored))))

    expected = score(moved_train, moved_validation, moved_train + moved_validation)
    if np.isclose(value, expected, atol=2e-3):
        return
    if np.isclose(value, expected / np.log(2), atol=2e-3):
        fail("that is in bits: the notebook's scores are in nats (natural logarithm), like Keras's loss")
    if np.isclose(value, score(moved_validation, moved_validation, moved_train + moved_validation), atol=2e-3):
        fail("the table was fitted on the validation chorales themselves: fit it on the training ones only")
    fail(f"expected a mean validation NLL near {expected:.3f} nats, got {value:.4f}")


def _logits(model, previous: np.ndarray, current: np.ndarray) -> np.ndarray:
    """The learner's model run on (previous, current) beats, as a NumPy array."""
    output = call(model, [previous, current], what="your model([previous_beats, next_beats])")
    return np.asarray(output, dtype=np.float64)


@exercise("Exercise 09.3 (voices one after the other)",
          hint="Write voice_features(history, voices_now, voice, embedding_dim): history alone for the soprano; each "
               "other voice also reads the embeddings of the voices above it in the beat it predicts (never its own), "
               "flattened to (batch, T, features) with keras.layers.Reshape and joined to history with "
               "keras.layers.Concatenate().")
def check_voice_by_voice(model, n_classes: int):
    """Exercise 09.3: model([beats so far, beats to predict]) -> logits (batch, T, 4, K) where voice v reads the voices
    above it in the beat it predicts, never itself or a voice below it, and nothing after that beat."""
    n_classes = check_int("n_classes", n_classes, minimum=2, maximum=128)
    rng = np.random.default_rng(0)
    previous, current = rng.integers(0, n_classes, size=(2, 2, 6, 4))  # (batch, T, 4) each
    other = (current + 1 + rng.integers(0, n_classes - 1, size=current.shape)) % n_classes  # every id changed
    logits = _logits(model, previous, current)
    if logits.shape != (2, 6, 4, n_classes):
        fail(f"the model must return logits (batch, T, 4, {n_classes}) for inputs (batch, T, 4), got {logits.shape}")
    later = _logits(model, previous * (np.arange(6) < 3)[None, :, None], np.where(np.arange(6)[None, :, None] < 3,
                                                                                   current, other))
    if not np.allclose(later[:, :3], logits[:, :3], atol=1e-5):
        fail("the logits of beat t change when beats after t change: a prediction may read only what came before "
             "it (a plain LSTM, not a Bidirectional one)")
    for voice in range(4):
        name = VOICES[voice]
        itself = _logits(model, previous, np.where(np.arange(4) >= voice, other, current))
        if not np.allclose(itself[:, :, voice], logits[:, :, voice], atol=1e-5):
            fail(f"the {name}'s logits change when the {name} (or a voice below it) of the beat it predicts changes: "
                 f"it reads its own answer, so training would look perfect and sampling is impossible. Give voice "
                 f"{voice} only voices_now[:, :, :{voice}]")
        for upper in range(voice):  # each voice above it, changed alone, must move its logits
            above = _logits(model, previous, np.where(np.arange(4) == upper, other, current))
            if np.allclose(above[:, :, voice], logits[:, :, voice], atol=1e-6):
                fail(f"the {name}'s logits do not change when the {VOICES[upper]} of the same beat changes: it is "
                     "drawn without knowing that voice. Join every voice above it to its input")
    moved = _logits(model, other[:, ::-1] % n_classes, current)
    if np.allclose(moved, logits, atol=1e-6):
        fail("the logits do not depend on the beats so far: the LSTM's state must reach every voice's layer")
