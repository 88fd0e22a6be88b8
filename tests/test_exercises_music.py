"""Checkers of notebook 09: None -> "not attempted", right -> "correct", wrong -> AssertionError saying why."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.exercises import CORRECT, NOT_ATTEMPTED
from course_utils.exercises.music import check_common_key, check_common_key_nll, check_voice_by_voice
from course_utils.music import (
    Chorale,
    encode,
    load_chorales,
    next_beat_targets,
    nll_per_voice,
    pitch_classes,
    split_chorales,
    table_predictions,
    transition_table,
    transpose,
)


def right_common_key(chorale):
    semitones = ((0 if chorale.mode == "major" else 9) - chorale.tonic + 6) % 12 - 6
    return transpose(chorale, semitones)


def always_upwards(chorale):  # the typical mistake: shift by (target - tonic) % 12, sometimes up to 11 semitones
    return transpose(chorale, ((0 if chorale.mode == "major" else 9) - chorale.tonic) % 12)


def everything_to_c(chorale):  # minor chorales to C minor instead of A minor
    return transpose(chorale, (0 - chorale.tonic + 6) % 12 - 6)


def rests_moved(chorale):
    moved = right_common_key(chorale)
    shift = ((0 if chorale.mode == "major" else 9) - chorale.tonic + 6) % 12 - 6
    return Chorale(moved.name, moved.tonic, moved.mode, chorale.steps + shift)


def test_none_is_not_attempted(capsys):
    assert check_common_key(None).status == NOT_ATTEMPTED
    assert check_common_key_nll(None, [], []).status == NOT_ATTEMPTED
    assert check_voice_by_voice(None, 47).status == NOT_ATTEMPTED
    assert capsys.readouterr().out.count("not attempted yet") == 3


def test_the_voice_by_voice_hint_does_not_give_the_slice_away(capsys):
    """The hint is printed before any attempt: it says what each voice reads, not the slice that answers it; the
    slice is named only in the failure message of a model that reads its own answer."""
    check_voice_by_voice(None, 47)
    hint = capsys.readouterr().out
    assert "voices above it" in hint and "voices_now[" not in hint and ":voice]" not in hint


def test_right_common_key_passes():
    assert check_common_key(right_common_key).status == CORRECT


@pytest.mark.parametrize("function, message", [
    (always_upwards, "shorter way"),
    (everything_to_c, "A minor"),
    (rests_moved, "rest"),
    (lambda chorale: chorale.steps, "Chorale record"),
    (lambda chorale: 1 / 0, "raised ZeroDivisionError"),
    ("not a function", "pass a function"),
])
def test_wrong_common_key_fails_with_a_reason(function, message):
    with pytest.raises(AssertionError, match=message):
        check_common_key(function)


@pytest.fixture(scope="module")
def split():
    train, validation, _ = split_chorales(load_chorales(), 0.1, 0.1, seed=0)
    return train[:60], validation[:20]


def nll_of(fit_on, score_on, classes_from):
    classes = pitch_classes(classes_from)
    fitted = [encode(c.steps, classes) for c in fit_on]
    scored = [encode(c.steps, classes) for c in score_on]
    table = transition_table(fitted, classes.size, 0.1)
    return float(np.mean(nll_per_voice(table_predictions(table, scored), next_beat_targets(scored))))


def test_right_nll_passes(split):
    train, validation = split
    moved_train, moved_validation = [right_common_key(c) for c in train], [right_common_key(c) for c in validation]
    right = nll_of(moved_train, moved_validation, moved_train + moved_validation)
    assert check_common_key_nll(right, train, validation, 0.1).status == CORRECT
    assert check_common_key_nll(np.float32(right), train, validation, 0.1).status == CORRECT
    assert right < nll_of(train, validation, train + validation)  # one key helps the table (the exercise's point)


def test_wrong_nll_fails_with_a_reason(split):
    train, validation = split
    moved_train, moved_validation = [right_common_key(c) for c in train], [right_common_key(c) for c in validation]
    right = nll_of(moved_train, moved_validation, moved_train + moved_validation)
    on_validation = nll_of(moved_validation, moved_validation, moved_train + moved_validation)
    not_moved = nll_of(train, validation, train + validation)  # the typical mistake: nothing transposed
    for answer, message in [(right / np.log(2), "bits"), (on_validation, "fitted on the validation"),
                            (not_moved, "expected a mean validation NLL"), ("1.9", "must be a number")]:
        with pytest.raises(AssertionError, match=message):
            check_common_key_nll(answer, train, validation, 0.1)


# --------------------------------------------------------------------------- 09.3: voices one after the other

def voice_by_voice(n_classes=6, seen=lambda voice: voice, bidirectional=False, shape=None):
    """A small model of exercise 09.3 whose voice v reads voices_now[:, :, :seen(v)] (the right answer: seen = v)."""
    import keras

    keras.utils.set_random_seed(0)
    past, now = keras.Input((None, 4), dtype="int32"), keras.Input((None, 4), dtype="int32")
    embedding = keras.layers.Embedding(n_classes, 3)
    recurrent = keras.layers.LSTM(4, return_sequences=True)
    recurrent = keras.layers.Bidirectional(recurrent) if bidirectional else recurrent
    history = recurrent(keras.layers.Reshape((-1, 12))(embedding(past)))
    voices_now = embedding(now)
    logits = []
    for voice in range(4):
        features = history
        if seen(voice) > 0:
            above = keras.layers.Reshape((-1, 3 * seen(voice)))(voices_now[:, :, :seen(voice)])
            features = keras.layers.Concatenate()([history, above])
        logits.append(keras.layers.Dense(n_classes)(features))
    outputs = keras.ops.stack(logits, axis=2)
    return keras.Model([past, now], outputs if shape is None else keras.layers.Reshape(shape)(outputs))


def test_right_voice_by_voice_model_passes():
    assert check_voice_by_voice(voice_by_voice(), 6).status == CORRECT


@pytest.mark.parametrize("model, message", [
    (lambda: voice_by_voice(seen=lambda voice: voice + 1), "reads its own answer"),  # the usual mistake
    (lambda: voice_by_voice(seen=lambda voice: 4), "reads its own answer"),  # the whole beat
    (lambda: voice_by_voice(seen=lambda voice: 0), "alto's logits do not change when the soprano"),  # the notebook's
    (lambda: voice_by_voice(seen=lambda voice: min(voice, 1)), "tenor's logits do not change when the alto"),
    (lambda: voice_by_voice(bidirectional=True), "after t change"),  # reads the future
    (lambda: voice_by_voice(shape=(-1, 24)), "must return logits"),
    (lambda: (lambda inputs: 1 / 0), "raised ZeroDivisionError"),
    (lambda: "not a model", "pass a function"),
])
def test_wrong_voice_by_voice_models_fail_with_a_reason(model, message):
    with pytest.raises(AssertionError, match=message):
        check_voice_by_voice(model(), 6)


def test_voice_by_voice_checker_refuses_a_bad_class_count():
    with pytest.raises(ValueError, match="n_classes must be"):
        check_voice_by_voice(voice_by_voice(), 1)
