"""Checkers for the exercises of notebook 11 (trade-offs, measured)."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import exercise, fail, number
from course_utils.lstm import lstm_parameter_count
from course_utils.tradeoffs import loglog_slope

# Exercise 11.2's measurements: the cost of some layer at four sequence lengths.
SLOPE_LENGTHS = (100, 200, 400, 800)
SLOPE_SECONDS = (0.01, 0.04, 0.16, 0.64)


@exercise("Exercise 11.1 (LSTM parameters)",
          hint="Four gate blocks, each with an input kernel, a recurrent kernel and a bias.")
def check_lstm_parameters(answer, input_size: int = 3, units: int = 10) -> None:
    """Exercise 11.1: trainable parameters of keras.layers.LSTM(units) on `input_size` features."""
    value = number(answer)
    expected = lstm_parameter_count(input_size, units)
    if value != expected:
        hint = ""
        if value == expected - 4 * units:
            hint = " You left out the biases."
        elif value == expected // 4:
            hint = " That is one gate; an LSTM has four blocks (i, f, c, o)."
        elif value == 4 * (input_size * units + units + units):
            hint = " The recurrent kernel maps units to 4*units: units*units per block."
        fail(f"got {value:g}.{hint}")


@exercise("Exercise 11.2 (a slope on log-log axes)",
          hint="Fit log(seconds) against log(length); for cost = a * length**k the slope is k.")
def check_cost_slope(answer) -> None:
    """Exercise 11.2: the log-log slope of SLOPE_SECONDS against SLOPE_LENGTHS (quadratic: 2)."""
    value = number(answer)
    expected = loglog_slope(SLOPE_LENGTHS, SLOPE_SECONDS)
    if abs(value - expected) > 0.05:
        linear = np.polyfit(SLOPE_LENGTHS, SLOPE_SECONDS, 1)[0]
        hint = " That is the slope on linear axes (seconds per step): take logarithms first." if abs(
            value - linear) < 1e-3 else ""
        fail(f"got {value:.3g}.{hint}")


@exercise("Exercise 11.3 (a bidirectional LSTM)",
          hint="Bidirectional holds two LSTMs, one reading forwards and one backwards, with their own weights.")
def check_bidirectional_parameters(answer, input_size: int = 3, units: int = 10) -> None:
    """Exercise 11.3: trainable parameters of Bidirectional(LSTM(units)) on `input_size` features."""
    value = number(answer)
    single = lstm_parameter_count(input_size, units)
    if value != 2 * single:
        hint = " That is one direction only." if value == single else ""
        fail(f"got {value:g}.{hint}")
