"""Checkers of notebook 03: None is 'not attempted', a right answer is 'correct', a wrong one fails saying why."""

import numpy as np
import pytest

from course_utils.exercises import CORRECT, NOT_ATTEMPTED
from course_utils.exercises.counting import check_any_step, check_next_two


class LinearNextModel:
    """A stand-in for a Keras model: predicts last + 1 (and last + 2), like the exact linear baseline."""

    def __init__(self, horizon=1, offset=0.0):
        self.horizon, self.offset = horizon, offset

    def predict(self, windows, verbose=0):
        last = np.asarray(windows)[:, -1, 0]
        return np.stack([last + step + self.offset for step in range(1, self.horizon + 1)], axis=1)


class ArithmeticModel:
    """The exact rule for arithmetic sequences: last + (last - previous); needs a window of 2 or more."""

    def __init__(self, offset=0.0, flat=False):
        self.offset, self.flat = offset, flat

    def predict(self, windows, verbose=0):
        windows = np.asarray(windows)
        if windows.ndim != 3 or windows.shape[2] != 1:
            raise ValueError(f"expected shape (None, lookback, 1), got {windows.shape}")
        last = windows[:, -1, 0]
        previous = windows[:, -2, 0] if windows.shape[1] > 1 else last  # one number: best guess is "no step"
        prediction = 2 * last - previous + self.offset
        return prediction if self.flat else prediction[:, None]


class WrongShapeModel:
    """A model built for (batch, 1, lookback): the windows reshaped with time and features swapped."""

    def predict(self, windows, verbose=0):
        if np.asarray(windows).shape[1] != 1:
            raise ValueError("Input 0 of layer 'functional' is incompatible: expected shape=(None, 1, 3)")
        return np.asarray(windows)[:, 0, -1:]


class CrashingModel:
    def predict(self, windows, verbose=0):
        raise ValueError("Input 0 of layer 'lstm' is incompatible with the layer")


def test_unattempted_exercises_print_a_hint(capsys):
    results = [check_any_step(None, None), check_next_two(None)]
    assert [result.status for result in results] == [NOT_ATTEMPTED, NOT_ATTEMPTED]
    assert capsys.readouterr().out.count("not attempted yet") == 2


@pytest.mark.parametrize("lookback", [2, 3, 5, 10])
@pytest.mark.parametrize("flat", [False, True])
def test_a_right_any_step_answer_is_correct(lookback, flat, capsys):
    assert check_any_step(ArithmeticModel(flat=flat), lookback).status == CORRECT
    assert check_any_step(ArithmeticModel(offset=0.015), lookback).status == CORRECT  # within the tolerance
    assert "Exercise 03.1 (count by any step): correct!" in capsys.readouterr().out


def test_a_right_next_two_answer_is_correct():
    assert check_next_two(LinearNextModel(horizon=2)).status == CORRECT
    assert check_next_two(LinearNextModel(horizon=2, offset=0.4)).status == CORRECT  # within 0.5


@pytest.mark.parametrize("model, lookback, message", [
    # the typical wrong answer: a window of one number. Even the best such model (repeat the last) fails.
    (ArithmeticModel(), 1, "from one number no model can tell the step"),
    (LinearNextModel(), 1, "from one number no model can tell the step"),
    (LinearNextModel(), 3, r"root-mean-square error 0\.\d+, needs at most 0\.02"),  # the deck's "+1" rule
    (ArithmeticModel(offset=0.05), 3, "needs at most 0.02"),  # under-trained
    (WrongShapeModel(), 3, r"model.predict raised ValueError: .*expected shape=\(None, 1, 3\)"),
    (LinearNextModel(horizon=2), 3, r"must return 500 numbers, got shape \(500, 2\)"),
    (ArithmeticModel(), 0, "positive integer"),
    (ArithmeticModel(), 4.0, "lookback must be an integer, got float"),
    (CrashingModel(), 4, "model.predict raised ValueError: Input 0 of layer"),
    ("a model", 4, "pass a function, got NoneType"),  # has no predict
])
def test_wrong_any_step_answers_fail_with_a_reason(model, lookback, message):
    with pytest.raises(AssertionError, match=r"Exercise 03\.1 \(count by any step\): not yet right\. .*" + message):
        check_any_step(model, lookback)


@pytest.mark.parametrize("model, message", [
    (LinearNextModel(horizon=1), r"must output shape \(1, 2\) for one window, got \(1, 1\)"),  # still horizon 1
    (LinearNextModel(horizon=2, offset=0.8), r"expected \[101, 102\]"),
    (CrashingModel(), "model.predict raised ValueError"),
])
def test_wrong_next_two_answers_fail_with_a_reason(model, message):
    with pytest.raises(AssertionError, match=r"Exercise 03\.2 .*not yet right\. .*" + message):
        check_next_two(model)
