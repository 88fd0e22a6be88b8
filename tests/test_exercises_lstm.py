"""Checkers of notebook 02: None -> "not attempted", right -> "correct", wrong -> AssertionError saying what is off."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.exercises.lstm import check_carousel, check_forget_zero, check_gru_parameters, check_lstm_step


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
    checker(None)
    assert "not attempted yet" in capsys.readouterr().out


def test_lstm_step(capsys):
    check_lstm_step(right_step)
    assert "correct" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="gate order"):
        check_lstm_step(swapped_gates_step)
    with pytest.raises(AssertionError, match="c_new differs"):
        check_lstm_step(no_forget_step)
    with pytest.raises(AssertionError, match="tuple"):
        check_lstm_step(lambda *args: right_step(*args)[0])
    with pytest.raises(AssertionError, match="shape"):
        check_lstm_step(lambda *args: tuple(v[0] for v in right_step(*args)))
    with pytest.raises(AssertionError, match="pass a function"):
        check_lstm_step(3)


def test_number_answers(capsys):
    check_forget_zero(0)
    check_carousel(0.7)
    check_gru_parameters(3 * (2 * 32 + 32 * 32 + 64))
    assert capsys.readouterr().out.count("correct") == 3
    with pytest.raises(AssertionError, match="product"):
        check_forget_zero(1.0)
    with pytest.raises(AssertionError, match="nothing is forgotten"):
        check_carousel(0.7**100)
    with pytest.raises(AssertionError, match="LSTM's count"):
        check_gru_parameters(4 * (2 * 32 + 32 * 32 + 32))
    with pytest.raises(AssertionError, match="two bias vectors"):
        check_gru_parameters(3 * (2 * 32 + 32 * 32 + 32))
    with pytest.raises(AssertionError, match="answer with a number"):
        check_carousel("0.7")
    with pytest.raises(AssertionError, match="answer with a number"):
        check_forget_zero(True)
