"""Checkers of notebook 03: None is 'not attempted', a right answer is 'correct', a wrong one fails saying why."""

import numpy as np
import pytest

from course_utils.exercises import CORRECT, NOT_ATTEMPTED
from course_utils.exercises.counting import check_next_two, check_window_length


class LinearNextModel:
    """A stand-in for a Keras model: predicts last + 1 (and last + 2), like the exact linear baseline."""

    def __init__(self, horizon=1, offset=0.0):
        self.horizon, self.offset = horizon, offset

    def predict(self, windows, verbose=0):
        last = np.asarray(windows)[:, -1, 0]
        return np.stack([last + step + self.offset for step in range(1, self.horizon + 1)], axis=1)


class CrashingModel:
    def predict(self, windows, verbose=0):
        raise ValueError("Input 0 of layer 'lstm' is incompatible with the layer")


def test_unattempted_exercises_print_a_hint(capsys):
    results = [check_window_length(None, None), check_next_two(None)]
    assert [result.status for result in results] == [NOT_ATTEMPTED, NOT_ATTEMPTED]
    assert capsys.readouterr().out.count("not attempted yet") == 2


@pytest.mark.parametrize("lookback", [1, 4, 5, 10])
def test_a_right_window_answer_is_correct(lookback, capsys):
    assert check_window_length(LinearNextModel(), lookback).status == CORRECT
    assert "Exercise 03.1 (window length): correct!" in capsys.readouterr().out


def test_a_right_next_two_answer_is_correct():
    assert check_next_two(LinearNextModel(horizon=2)).status == CORRECT
    assert check_next_two(LinearNextModel(horizon=2, offset=0.4)).status == CORRECT  # within 0.5


@pytest.mark.parametrize("model, lookback, message", [
    (LinearNextModel(), 3, "other than the notebook's 3"),  # the exercise: another window length
    (LinearNextModel(offset=1.0), 4, r"after \[..., 99, 100\] the model predicts 102.000, expected 101"),
    (LinearNextModel(offset=-0.6), 4, "expected 101"),
    (LinearNextModel(), 0, "positive integer"),
    (LinearNextModel(), 4.0, "lookback must be an integer, got float"),
    (CrashingModel(), 4, "model.predict raised ValueError: Input 0 of layer"),
    ("a model", 4, "pass a function, got NoneType"),  # has no predict
])
def test_wrong_window_answers_fail_with_a_reason(model, lookback, message):
    with pytest.raises(AssertionError, match=r"Exercise 03\.1 \(window length\): not yet right\. .*" + message):
        check_window_length(model, lookback)


@pytest.mark.parametrize("model, message", [
    (LinearNextModel(horizon=1), r"must output shape \(1, 2\) for one window, got \(1, 1\)"),  # still horizon 1
    (LinearNextModel(horizon=2, offset=0.8), r"expected \[101, 102\]"),
    (CrashingModel(), "model.predict raised ValueError"),
])
def test_wrong_next_two_answers_fail_with_a_reason(model, message):
    with pytest.raises(AssertionError, match=r"Exercise 03\.2 .*not yet right\. .*" + message):
        check_next_two(model)
