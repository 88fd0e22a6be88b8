"""Checkers of notebook 02: None -> "not attempted", right -> "correct", wrong -> AssertionError saying what is off."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.exercises import CORRECT, NOT_ATTEMPTED
from course_utils.exercises.lstm import check_carousel, check_forget_zero, check_gru_parameters, check_lstm_step
from course_utils.lstm import gru_parameter_count, lstm_parameter_count


def _sigmoid(values):
    return 1.0 / (1.0 + np.exp(-values))


def right_step(x_t, h, c, kernel, recurrent_kernel, bias):
    units = h.shape[1]
    z = x_t @ kernel + h @ recurrent_kernel + bias
    i, f = _sigmoid(z[:, :units]), _sigmoid(z[:, units : 2 * units])
    g, o = np.tanh(z[:, 2 * units : 3 * units]), _sigmoid(z[:, 3 * units :])
    c_new = f * c + i * g
    return o * np.tanh(c_new), c_new


def swapped_gates_step(x_t, h, c, kernel, recurrent_kernel, bias):
    units = h.shape[1]
    z = x_t @ kernel + h @ recurrent_kernel + bias
    f, i = _sigmoid(z[:, :units]), _sigmoid(z[:, units : 2 * units])  # i and f swapped
    g, o = np.tanh(z[:, 2 * units : 3 * units]), _sigmoid(z[:, 3 * units :])
    c_new = f * c + i * g
    return o * np.tanh(c_new), c_new


def no_forget_step(x_t, h, c, kernel, recurrent_kernel, bias):
    h_new, c_new = right_step(x_t, h, c, kernel, recurrent_kernel, bias)
    units = h.shape[1]
    z = x_t @ kernel + h @ recurrent_kernel + bias
    c_new = c + _sigmoid(z[:, :units]) * np.tanh(z[:, 2 * units : 3 * units])  # forgot the forget gate
    return h_new, c_new


@pytest.mark.parametrize("checker", [check_lstm_step, check_forget_zero, check_carousel, check_gru_parameters])
def test_none_is_not_attempted(checker, capsys):
    assert checker(None).status == NOT_ATTEMPTED
    assert "not attempted yet" in capsys.readouterr().out


def test_a_right_lstm_step_is_correct():
    assert check_lstm_step(right_step).status == CORRECT


@pytest.mark.parametrize("step, message", [
    (swapped_gates_step, r"c_new differs from Keras's LSTM by .* Is the gate order i, f, c, o\?"),
    (no_forget_step, "c_new differs"),
    (lambda *args: right_step(*args)[0], r"return a tuple \(h_new, c_new\), got ndarray"),
    (lambda *args: tuple(v[0] for v in right_step(*args)), r"c_new must have shape \(1, 1\)"),
    (lambda *args: (right_step(*args)[0] * 0.5, right_step(*args)[1]), r"h_new differs .* h_new = o \* tanh\(c_new\)"),
    (lambda x_t, h, c, kernel, recurrent_kernel, bias: (x_t.reshape(7), c), "lstm_step raised ValueError"),
    (3, "pass a function, got int"),
])
def test_wrong_lstm_steps_fail_with_a_reason(step, message):
    with pytest.raises(AssertionError, match=r"Exercise 02\.1 \(one LSTM step\): not yet right\. " + message):
        check_lstm_step(step)


def test_right_number_answers_are_correct():
    assert check_forget_zero(0).status == CORRECT
    assert check_forget_zero(np.float64(0.0)).status == CORRECT
    assert check_carousel(0.7).status == CORRECT
    assert check_gru_parameters(3 * (2 * 32 + 32 * 32 + 64)).status == CORRECT  # written out, not the package's formula
    assert check_gru_parameters(3 * (5 * 8 + 8 * 8 + 16), input_size=5, units=8).status == CORRECT


@pytest.mark.parametrize("checker, answer, message", [
    (check_forget_zero, 1.0, r"with f = 0 what is the product\? Got 1.0"),
    (check_carousel, 0.7**100, "nothing is forgotten and nothing is written"),  # forgot that f = 1
    (check_carousel, 0.0, "got 0.0"),
    (check_gru_parameters, lstm_parameter_count(2, 32), "That is an LSTM's count"),
    (check_gru_parameters, gru_parameter_count(2, 32) - 3 * 32, "two bias vectors per gate"),
    (check_gru_parameters, 1, r"got 1\.$"),
    (check_carousel, "0.7", "answer must be a number, got str"),
    (check_forget_zero, True, "answer must be a number, got bool"),
    (check_carousel, float("nan"), "answer must be finite"),
])
def test_wrong_number_answers_fail_with_a_reason(checker, answer, message):
    with pytest.raises(AssertionError, match="not yet right\\. .*" + message):
        checker(answer)
