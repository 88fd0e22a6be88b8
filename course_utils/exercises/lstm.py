"""Checkers for the exercises of notebook 02 (LSTM gates from scratch)."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import array, call, exercise, fail, number
from course_utils.lstm import gru_parameter_count, lstm_forward, lstm_parameter_count


@exercise("Exercise 02.1 (one LSTM step)", hint="Write lstm_step, with the forget-gate line c_new = f * c + i * g.")
def check_lstm_step(lstm_step) -> None:
    """Exercise 02.1: `lstm_step(x_t, h, c, kernel, recurrent_kernel, bias)` -> (h_new, c_new), Keras's layout.

    Compared with `course_utils.lstm.lstm_forward` on random weights and states, to 1e-6.
    """
    rng = np.random.default_rng(2)
    for batch, inputs, units in ((1, 1, 1), (3, 2, 4), (5, 4, 2)):
        x_t = rng.normal(size=(batch, inputs))
        h, c = rng.normal(size=(batch, units)), rng.normal(size=(batch, units))
        kernel, recurrent_kernel = rng.normal(size=(inputs, 4 * units)), rng.normal(size=(units, 4 * units))
        bias = rng.normal(size=4 * units)
        result = call(lstm_step, x_t, h, c, kernel, recurrent_kernel, bias, what="lstm_step")
        if not isinstance(result, tuple) or len(result) != 2:
            fail(f"return a tuple (h_new, c_new), got {type(result).__name__}")
        expected = lstm_forward(x_t[:, None, :], kernel, recurrent_kernel, bias, h0=h, c0=c)
        for label, got, want in (("c_new", result[1], expected.c[:, 0]), ("h_new", result[0], expected.h[:, 0])):
            got = array(got, shape=want.shape, what=label)
            if not np.allclose(got, want, atol=1e-6):
                hint = " Is the gate order i, f, c, o?" if label == "c_new" else " h_new = o * tanh(c_new)."
                fail(f"{label} differs from Keras's LSTM by {np.max(np.abs(got - want)):.3g}.{hint}")


@exercise("Exercise 02.2 (a forget gate stuck at 0)",
          hint="Multiply the forget gates along the carousel from t+1 to T.")
def check_forget_zero(answer) -> None:
    """Exercise 02.2: with f = 0 at every step, the norm of d c_T / d c_t along the cell path for t < T."""
    value = number(answer)
    if value != 0.0:
        fail(f"d c_T / d c_(T-1) = f_T along the carousel; with f = 0 what is the product? Got {value}")


@exercise("Exercise 02.3 (the carousel holds)",
          hint="Apply c_t = f * c_(t-1) + i * g a hundred times with f = 1, i = 0.")
def check_carousel(answer) -> None:
    """Exercise 02.3: c_0 = 0.7, then f = 1 and i = 0 for 100 steps: the value of c_100."""
    value = number(answer)
    if abs(value - 0.7) > 1e-9:
        fail(f"got {value}; nothing is forgotten and nothing is written")


@exercise("Exercise 02.4 (GRU parameters)", hint="Three gates, each with a kernel, a recurrent kernel and two biases.")
def check_gru_parameters(answer, input_size: int = 2, units: int = 32) -> None:
    """Exercise 02.4: the number of trainable parameters of keras.layers.GRU(units) on `input_size` features."""
    value = number(answer)
    expected = gru_parameter_count(input_size, units)
    if value != expected:
        hint = ""
        if value == lstm_parameter_count(input_size, units):
            hint = " That is an LSTM's count."
        elif value == expected - 3 * units:
            hint = " Keras's GRU (reset_after=True) has two bias vectors per gate."
        fail(f"got {value:g}.{hint}")
