"""Checkers of notebook 05: None -> "not attempted", right -> "correct", wrong -> AssertionError saying why."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.exercises import CORRECT, NOT_ATTEMPTED
from course_utils.exercises.text import check_bits_per_character, check_temperature


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
    (RIGHT_BITS + 0.3, "expected a number near"),
    ("2.3", "must be a number"),
    (float("nan"), "finite"),
])
def test_wrong_bits_fail_with_a_reason(answer, message):
    with pytest.raises(AssertionError, match=message):
        check_bits_per_character(answer, PROBABILITIES)
