"""Checkers for the exercises of notebook 02 (LSTM gates from scratch)."""

from __future__ import annotations

import numbers

import numpy as np

from course_utils.exercises import correct, fail, not_attempted


def check_lstm_step(lstm_step) -> None:
    """Exercise 02.1: `lstm_step(x_t, h, c, kernel, recurrent_kernel, bias)` -> (h_new, c_new), Keras's layout.

    Compared with `course_utils.lstm.lstm_forward` on random weights and states, to 1e-6.
    """
    from course_utils.lstm import lstm_forward

    name = "Exercise 02.1 (one LSTM step)"
    if not_attempted(name, lstm_step, "Write lstm_step, with the forget-gate line c_new = f * c + i * g."):
        return
    if not callable(lstm_step):
        fail(name, f"pass a function, got {type(lstm_step).__name__}")
    rng = np.random.default_rng(2)
    for batch, inputs, units in ((1, 1, 1), (3, 2, 4), (5, 4, 2)):
        x_t = rng.normal(size=(batch, inputs))
        h, c = rng.normal(size=(batch, units)), rng.normal(size=(batch, units))
        kernel, recurrent_kernel = rng.normal(size=(inputs, 4 * units)), rng.normal(size=(units, 4 * units))
        bias = rng.normal(size=4 * units)
        result = lstm_step(x_t, h, c, kernel, recurrent_kernel, bias)
        if not isinstance(result, tuple) or len(result) != 2:
            fail(name, f"return a tuple (h_new, c_new), got {type(result).__name__}")
        expected = lstm_forward(x_t[:, None, :], kernel, recurrent_kernel, bias, h0=h, c0=c)
        for label, got, want in (("c_new", result[1], expected.c[:, 0]), ("h_new", result[0], expected.h[:, 0])):
            got = np.asarray(got, dtype=float)
            if got.shape != want.shape:
                fail(name, f"{label} must have shape (batch, units) = {want.shape}, got {got.shape}")
            if not np.allclose(got, want, atol=1e-6):
                hint = " Is the gate order i, f, c, o?" if label == "c_new" else " h_new = o * tanh(c_new)."
                fail(name, f"{label} differs from Keras's LSTM by {np.max(np.abs(got - want)):.3g}.{hint}")
    correct(name)


def _number(name: str, answer) -> float:
    """The learner's answer as a float, or a clear failure."""
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        fail(name, f"answer with a number, got {type(answer).__name__} {answer!r}")
    return float(answer)


def check_forget_zero(answer) -> None:
    """Exercise 02.2: with f = 0 at every step, the norm of d c_T / d c_t along the cell path for t < T."""
    name = "Exercise 02.2 (a forget gate stuck at 0)"
    if not_attempted(name, answer, "Multiply the forget gates along the carousel from t+1 to T."):
        return
    value = _number(name, answer)
    if value != 0.0:
        fail(name, f"d c_T / d c_(T-1) = f_T along the carousel; with f = 0 what is the product? Got {value}")
    correct(name)


def check_carousel(answer) -> None:
    """Exercise 02.3: c_0 = 0.7, then f = 1 and i = 0 for 100 steps: the value of c_100."""
    name = "Exercise 02.3 (the carousel holds)"
    if not_attempted(name, answer, "Apply c_t = f * c_(t-1) + i * g a hundred times with f = 1, i = 0."):
        return
    value = _number(name, answer)
    if abs(value - 0.7) > 1e-9:
        fail(name, f"got {value}; nothing is forgotten and nothing is written")
    correct(name)


def check_gru_parameters(answer, input_size: int = 2, units: int = 32) -> None:
    """Exercise 02.4: the number of trainable parameters of keras.layers.GRU(units) on `input_size` features."""
    name = "Exercise 02.4 (GRU parameters)"
    if not_attempted(name, answer, "Three gates, each with a kernel, a recurrent kernel and two biases."):
        return
    value = _number(name, answer)
    expected = 3 * (input_size * units + units * units + 2 * units)
    if value != expected:
        lstm_like = 4 * (input_size * units + units * units + units)
        hint = " That is an LSTM's count." if value == lstm_like else ""
        if value == expected - 3 * units:
            hint += " Keras's GRU (reset_after=True) has two bias vectors per gate."
        fail(name, f"got {value:g}.{hint}")
    correct(name)
