"""Checker of notebook 00: one step of gradient descent on a line, with the usual slips rejected and named."""

import numpy as np
import pytest

from course_utils.exercises import CORRECT, NOT_ATTEMPTED
from course_utils.exercises.start_here import check_gradient_step


def right(w, b, x, y, learning_rate):
    error = w * x + b - y
    return w - learning_rate * np.mean(2 * error * x), b - learning_rate * np.mean(2 * error)


def test_none_is_not_attempted(capsys):
    assert check_gradient_step(None).status == NOT_ATTEMPTED
    assert "Exercise 00.1 (one step of gradient descent): not attempted yet" in capsys.readouterr().out


def test_the_primer_step_is_correct():
    assert check_gradient_step(right).status == CORRECT


def test_a_list_and_numpy_scalars_are_correct():
    """A learner who returns [w, b] of NumPy floats, or computes with np.dot, is right too."""
    def as_list(w, b, x, y, learning_rate):
        error = w * x + b - y
        return [np.float32(w - learning_rate * 2 * np.dot(error, x) / len(x)), b - learning_rate * 2 * error.mean()]
    assert check_gradient_step(as_list).status == CORRECT


@pytest.mark.parametrize("wrong, message", [
    (lambda w, b, x, y, lr: tuple(2 * np.array([w, b]) - np.array(right(w, b, x, y, lr))), "stepped uphill"),
    (lambda w, b, x, y, lr: (w - lr * np.mean((w * x + b - y) * x), b - lr * np.mean(w * x + b - y)), "factor 2"),
    (lambda w, b, x, y, lr: (w - lr * np.sum(2 * (w * x + b - y) * x), b - lr * np.sum(2 * (w * x + b - y))),
     "not a sum"),
    (lambda w, b, x, y, lr: (right(w, b, x, y, lr)[0], b - lr * np.mean(2 * (w * x + b - y) * x)), "without x"),
    (lambda w, b, x, y, lr: (w, b), "did not change"),
    (lambda w, b, x, y, lr: (right(w, b, x, y, lr)[0] + 0.01, right(w, b, x, y, lr)[1]), "should give"),
    (lambda w, b, x, y, lr: right(w, b, x, y, lr)[0], "must return the pair"),
    (lambda w, b, x, y, lr: (1.0, "b"), "the new b must be a number"),
    (lambda w, b, x, y: (w, b), "raised TypeError"),
    ("not a function", "pass a function"),
])
def test_usual_slips_fail_with_a_reason(wrong, message):
    wrong_answer = r"Exercise 00\.1 \(one step of gradient descent\): not yet right\. .*"
    with pytest.raises(AssertionError, match=wrong_answer + message):
        check_gradient_step(wrong)


def test_an_answer_right_only_on_the_first_case_fails():
    def only_first(w, b, x, y, learning_rate):
        return right(w, b, x, y, learning_rate) if len(x) == 64 else (0.0, 0.0)
    with pytest.raises(AssertionError, match="should give"):
        check_gradient_step(only_first)
