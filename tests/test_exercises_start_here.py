"""Checker of notebook 00: one step of LSTM memory, with the usual slips rejected and named."""

import numpy as np
import pytest

from course_utils.exercises import CORRECT, NOT_ATTEMPTED
from course_utils.exercises.start_here import check_memory_step


def right(c_prev, f, i, g, o):
    c = f * c_prev + i * g
    return c, o * np.tanh(c)


def test_none_is_not_attempted(capsys):
    assert check_memory_step(None).status == NOT_ATTEMPTED
    assert "Exercise 00.1 (one step of LSTM memory): not attempted yet" in capsys.readouterr().out


def test_the_deck_equations_are_correct():
    assert check_memory_step(right).status == CORRECT


def test_a_float32_answer_is_correct():
    """A learner who computes in float32 (as Keras does) is right: its rounding is far below the slips' size."""
    def in_float32(c_prev, f, i, g, o):
        return right(*(a.astype("float32") for a in (c_prev, f, i, g, o)))
    assert check_memory_step(in_float32).status == CORRECT


@pytest.mark.parametrize("wrong, message", [
    (lambda c_prev, f, i, g, o: (c_prev + i * g, o * np.tanh(c_prev + i * g)), "forget gate f must scale"),
    (lambda c_prev, f, i, g, o: (f * c_prev * i * g, o * np.tanh(f * c_prev * i * g)), "added, not multiplied"),
    (lambda c_prev, f, i, g, o: (f * c_prev + g, o * np.tanh(f * c_prev + g)), "input gate i decides"),
    (lambda c_prev, f, i, g, o: (i * c_prev + f * g, o * np.tanh(i * c_prev + f * g)), "not the other way round"),
    (lambda c_prev, f, i, g, o: (f * c_prev + i * g, o * (f * c_prev + i * g)), r"squashes the memory first"),
    (lambda c_prev, f, i, g, o: (f * c_prev + i * g, np.tanh(o * (f * c_prev + i * g))), "tanh applies to c"),
    (lambda c_prev, f, i, g, o: (f * c_prev + i * g, o * np.tanh(c_prev)), "NEW memory"),
    (lambda c_prev, f, i, g, o: (f * c_prev + i * g, o * np.tanh(c_prev) + 1), "h is off"),
    (lambda c_prev, f, i, g, o: (f * c_prev + i * g + 0.1, o), "c is off"),
    (lambda c_prev, f, i, g, o: (f * c_prev + i * g)[..., :1], "must return a pair"),
    (lambda c_prev, f, i, g, o: [f * c_prev + i * g, o], "must return a pair"),
    (lambda c_prev, f, i, g, o: (np.zeros(1), np.zeros(1)), r"c must have shape \(3\)"),
    (lambda c_prev, f, i, g, o: (f * c_prev + i * g, "h"), "h must be an array of numbers"),
    (lambda c_prev, f: (c_prev, f), "raised TypeError"),
    ("not a function", "pass a function"),
])
def test_usual_slips_fail_with_a_reason(wrong, message):
    wrong_answer = r"Exercise 00\.1 \(one step of LSTM memory\): not yet right\. .*"
    with pytest.raises(AssertionError, match=wrong_answer + message):
        check_memory_step(wrong)


def test_an_answer_right_only_on_one_shape_fails():
    def only_1d(c_prev, f, i, g, o):
        if c_prev.ndim > 1:
            return np.zeros_like(c_prev), np.zeros_like(c_prev)
        return right(c_prev, f, i, g, o)
    with pytest.raises(AssertionError, match="c is off"):
        check_memory_step(only_1d)
