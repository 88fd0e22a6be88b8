"""Unit tests of course_utils.tradeoffs (notebook 11): against Keras, NumPy's own fit, and by construction."""

from __future__ import annotations

import time

import numpy as np
import pytest

from course_utils.tradeoffs import (
    interleaved_cpu_times,
    loglog_slope,
    simple_rnn_parameter_count,
    with_position_channel,
)


@pytest.mark.parametrize("input_size, units", [(1, 1), (3, 5), (8, 32), (17, 4)])
def test_simple_rnn_parameter_count_matches_keras(input_size, units):
    import keras

    model = keras.Sequential([keras.Input((None, input_size)), keras.layers.SimpleRNN(units)])
    assert simple_rnn_parameter_count(input_size, units) == model.count_params()


def test_loglog_slope_recovers_the_power_of_a_power_law():
    rng = np.random.default_rng(0)
    for _ in range(20):
        power, scale = rng.uniform(-1, 3), rng.uniform(1e-4, 10)
        lengths = np.sort(rng.uniform(1, 5000, size=rng.integers(2, 8)))
        if np.unique(lengths).size < 2:
            continue
        assert loglog_slope(lengths, scale * lengths**power) == pytest.approx(power, abs=1e-9)


def test_loglog_slope_is_the_least_squares_fit_of_the_logs():
    lengths, costs = [16, 64, 256, 1024], [1.0, 1.3, 4.1, 17.0]
    expected = np.polyfit(np.log(lengths), np.log(costs), 1)[0]
    assert loglog_slope(lengths, costs) == pytest.approx(expected)


@pytest.mark.parametrize("lengths, costs, message", [
    ([1, 2, 3], [1, 2], "one value per length"),
    ([5, 5], [1, 2], "two different values"),
    ([1, 2], [0, 1], "must be > 0"),
    ([-1, 2], [1, 1], "must be > 0"),
])
def test_loglog_slope_refuses_bad_input(lengths, costs, message):
    with pytest.raises(ValueError, match=message):
        loglog_slope(lengths, costs)


def busy(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_interleaved_cpu_times_orders_work_and_calls_each_in_turn():
    order = []
    functions = {"short": lambda: (order.append("short"), busy(0.002)),
                 "long": lambda: (order.append("long"), busy(0.02))}
    times = interleaved_cpu_times(functions, repeats=3)
    assert order == ["short", "long"] * 3  # one round after another
    assert set(times) == {"short", "long"} and times["long"] > 3 * times["short"] > 0


@pytest.mark.parametrize("functions, repeats, error", [
    ({}, 1, TypeError), ([lambda: 1], 1, TypeError), ({"a": 3}, 1, TypeError), ({"a": lambda: 1}, 0, ValueError),
])
def test_interleaved_cpu_times_refuses_bad_input(functions, repeats, error):
    with pytest.raises(error, match="must"):
        interleaved_cpu_times(functions, repeats=repeats)


def test_with_position_channel_appends_zero_to_one():
    rng = np.random.default_rng(1)
    for _ in range(10):
        batch, steps, features = rng.integers(1, 5, size=3)
        x = rng.normal(size=(batch, steps, features))
        result = with_position_channel(x)
        assert result.shape == (batch, steps, features + 1) and result.dtype == np.float32
        assert np.allclose(result[..., :-1], x, atol=1e-6)
        expected = np.arange(steps) / max(steps - 1, 1)
        assert np.allclose(result[..., -1], np.broadcast_to(expected, (batch, steps)))


@pytest.mark.parametrize("x, error", [(np.zeros((2, 3)), ValueError), ("abc", TypeError),
                                      (np.full((1, 2, 1), np.nan), ValueError)])
def test_with_position_channel_refuses_bad_input(x, error):
    with pytest.raises(error, match="x must"):
        with_position_channel(x)
