"""Checkers of notebook 05: None -> "not attempted", right -> "correct", wrong -> AssertionError saying why."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.exercises import CORRECT, NOT_ATTEMPTED
from course_utils.exercises.text import check_bits_per_character, check_char_model, check_temperature


def right_temperature(probabilities, temperature):
    weights = np.asarray(probabilities, dtype=float) ** (1.0 / temperature)
    return weights / weights.sum()


def multiplied_temperature(probabilities, temperature):  # the typical mistake: log p times T
    weights = np.asarray(probabilities, dtype=float) ** temperature
    return weights / weights.sum()


def unnormalised_temperature(probabilities, temperature):
    return np.asarray(probabilities, dtype=float) ** (1.0 / temperature)


def scaled_temperature(probabilities, temperature):
    weights = np.asarray(probabilities, dtype=float) * temperature
    return weights / weights.sum()


def raising_temperature(probabilities, temperature):
    raise ZeroDivisionError("oops")


def test_none_is_not_attempted(capsys):
    assert check_temperature(None).status == NOT_ATTEMPTED
    assert check_bits_per_character(None, [0.5]).status == NOT_ATTEMPTED
    assert capsys.readouterr().out.count("not attempted yet") == 2


def test_right_temperature_passes():
    assert check_temperature(right_temperature).status == CORRECT


@pytest.mark.parametrize("function, message", [
    (multiplied_temperature, "multiplied the log-probabilities by T"),
    (unnormalised_temperature, "normalise"),
    (scaled_temperature, "constant changes nothing"),
    (raising_temperature, "raised ZeroDivisionError"),
    (lambda p, t: p[:2], "shape"),
    (lambda p, t: np.roll(right_temperature(p, t), 1), "expected"),
    ("not a function", "pass a function"),
])
def test_wrong_temperature_fails_with_a_reason(function, message):
    with pytest.raises(AssertionError, match=message):
        check_temperature(function)


PROBABILITIES = np.random.default_rng(0).uniform(0.01, 0.9, size=500)
RIGHT_BITS = float(-np.mean(np.log2(PROBABILITIES)))


def test_right_bits_pass():
    assert check_bits_per_character(RIGHT_BITS, PROBABILITIES).status == CORRECT
    assert check_bits_per_character(np.float32(RIGHT_BITS), PROBABILITIES).status == CORRECT


@pytest.mark.parametrize("answer, message", [
    (float(-np.mean(np.log(PROBABILITIES))), "nats"),  # the typical mistake: natural logarithm
    (float(np.mean(np.log2(PROBABILITIES))), "negative logarithm"),
    (float(-np.sum(np.log2(PROBABILITIES))), "total"),
    (float(-np.log2(np.mean(PROBABILITIES))), "average the logarithms"),
    (RIGHT_BITS + 0.3, "is not the bits per character"),
    ("2.3", "must be a number"),
    (float("nan"), "finite"),
])
def test_wrong_bits_fail_with_a_reason(answer, message):
    with pytest.raises(AssertionError, match=message):
        check_bits_per_character(answer, PROBABILITIES)


def test_the_bits_checker_does_not_leak_the_answer():
    with pytest.raises(AssertionError) as wrong:
        check_bits_per_character(RIGHT_BITS + 0.3, PROBABILITIES)
    assert f"{RIGHT_BITS:.2f}" not in str(wrong.value)


def char_model(vocabulary_size, units, last_sequences=True, layers=2, head=None, wrapper=None, first_sequences=True):
    import keras

    recurrent = [keras.layers.LSTM(units, return_sequences=first_sequences) for _ in range(layers - 1)]
    last = keras.layers.LSTM(units, return_sequences=last_sequences)
    return keras.Sequential([
        keras.Input(shape=(None,), dtype="int32"),
        keras.layers.Embedding(vocabulary_size, 4),
        *recurrent,
        wrapper(last) if wrapper else last,
        keras.layers.Dense(vocabulary_size, activation=head),
    ])


def test_right_char_model_passes():
    assert check_char_model(char_model).status == CORRECT
    assert check_char_model(None).status == NOT_ATTEMPTED


def test_the_temperature_hint_points_without_giving_the_formula_away():
    """The hint is printed before any attempt: it points at section 7, it does not state p ** (1 / T)."""
    message = check_temperature(None).message
    assert "section 7" in message
    for answer in ("1 / T", "1/T", "power", "**", "divid", "log"):
        assert answer not in message, answer


def test_the_char_model_hint_points_without_giving_the_answer_away(capsys):
    """The hint is printed before any attempt: it may point at section 4 and at every step, not name the fix."""
    message = check_char_model(None).message
    assert "section 4" in message and "every step" in message
    for answer in ("return_sequences", "Sequential", "Embedding", "Dense", "softmax"):
        assert answer not in message, answer


def test_wrong_char_models_fail_with_a_reason():
    import keras

    cases = [
        (lambda v, u: char_model(v, u, last_sequences=False), "return_sequences=True"),  # the usual mistake
        (lambda v, u: char_model(v, u, first_sequences=False), "the LSTM before it needs return_sequences=True"),
        (lambda v, u: char_model(v, 256), "use the argument `units`"),  # a width of its own
        (lambda v, u: char_model(v, u, layers=1), "stack two"),
        (lambda v, u: char_model(v, u, head="softmax"), "without softmax"),
        (lambda v, u: char_model(v, u, wrapper=keras.layers.Bidirectional), "reads the"),
        (lambda v, u: "a model", "must return a Keras model"),
    ]
    for function, message in cases:
        with pytest.raises(AssertionError, match=message):
            check_char_model(function)
