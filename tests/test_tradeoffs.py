"""Unit tests of course_utils.tradeoffs (notebook 11): against Keras, NumPy's own fit, and by construction."""

from __future__ import annotations

import time

import numpy as np
import pytest

from course_utils.tradeoffs import (
    Timing,
    loglog_slope,
    ops_per_loop_step,
    receptive_field,
    restart_training,
    simple_rnn_parameter_count,
    time_in_turn,
)


@pytest.mark.parametrize("input_size, units", [(1, 1), (3, 5), (8, 32), (17, 4)])
def test_simple_rnn_parameter_count_matches_keras(input_size, units):
    import keras

    model = keras.Sequential([keras.Input((None, input_size)), keras.layers.SimpleRNN(units)])
    assert simple_rnn_parameter_count(input_size, units) == model.count_params()


@pytest.mark.parametrize("kernel_size, dilations", [(3, [1]), (3, [1, 1]), (2, [1, 2, 4, 8, 16]), (3, [1, 2, 4, 8]),
                                                    (5, [1, 3])])
def test_receptive_field_is_what_a_keras_stack_sees(kernel_size, dilations):
    """The oldest step whose change moves the last output of a random causal stack, counted from the end."""
    import keras

    rng = np.random.default_rng(0)
    model = keras.Sequential([keras.Input((None, 1))] + [
        keras.layers.Conv1D(4, kernel_size, padding="causal", dilation_rate=d) for d in dilations])  # linear layers
    length = 80
    x = rng.normal(size=(1, length, 1)).astype("float32")
    last = np.asarray(model(x))[0, -1]
    seen = []
    for step in range(length):
        moved = x.copy()
        moved[0, step, 0] += 1.0
        seen.append(not np.allclose(np.asarray(model(moved))[0, -1], last, atol=1e-7))
    assert receptive_field(kernel_size, dilations) == length - seen.index(True)


@pytest.mark.parametrize("kernel_size, dilations, error", [(0, [1], ValueError), (3, [], TypeError),
                                                           (3, "124", TypeError), (3, [1, 0], ValueError),
                                                           (3, [1.5], TypeError), (3, 4, ValueError)])
def test_receptive_field_refuses_bad_input(kernel_size, dilations, error):
    with pytest.raises(error, match="must"):
        receptive_field(kernel_size, dilations)


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
    ([1, 2, 3], [1, 2], "costs must have shape \\(3\\), got \\(2,\\)"),
    ([5, 5], [1, 2], "lengths must not be constant \\(two different values at least\\), got 2 value\\(s\\), all 5.0"),
    ([5], [1], "lengths must not be constant"),
    ([1, 2], [0, 1], "costs must be > 0.0, got values from 0.0 to 1.0"),
    ([-1, 2], [1, 1], "lengths must be > 0.0, got values from -1.0 to 2.0"),
])
def test_loglog_slope_refuses_bad_input(lengths, costs, message):
    with pytest.raises(ValueError, match=message):
        loglog_slope(lengths, costs)


def busy(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_time_in_turn_orders_work_and_calls_each_in_turn():
    order = []
    functions = {"short": lambda: (order.append("short"), busy(0.002)),
                 "long": lambda: (order.append("long"), busy(0.02))}
    times = time_in_turn(functions, repeats=3)
    assert order == ["short", "long"] * 3  # one round after another
    assert set(times) == {"short", "long"} and all(isinstance(t, Timing) for t in times.values())
    assert times["long"].cpu > 3 * times["short"].cpu > 0
    assert times["long"].wall >= 0.9 * times["long"].cpu  # one thread: wall time at least its CPU time


@pytest.mark.parametrize("functions, repeats, error", [
    ({}, 1, TypeError), ([lambda: 1], 1, TypeError), ({"a": 3}, 1, TypeError),
    ({"a": lambda: 1}, 0, ValueError), ({"a": lambda: 1}, 1.5, TypeError),
])
def test_time_in_turn_refuses_bad_input(functions, repeats, error):
    with pytest.raises(error, match="must"):
        time_in_turn(functions, repeats=repeats)


def test_ops_per_loop_step_counts_the_body_of_a_while_loop():
    import tensorflow as tf

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def double_and_add(x):  # the body: Mul and AddV2 for x, AddV2 for i, AddV2 for tf.while_loop's own counter
        return tf.while_loop(lambda i, x: i < 10, lambda i, x: (i + 1, x * 2.0 + 1.0), (0, x))[1]

    assert ops_per_loop_step(double_and_add.get_concrete_function()) == 4


def test_ops_per_loop_step_of_keras_layers_grows_with_the_cell():
    import keras
    import tensorflow as tf

    counts = {}
    for name in ("SimpleRNN", "LSTM", "GRU"):
        model = keras.Sequential([keras.Input((None, 2)), getattr(keras.layers, name)(4)])
        traced = tf.function(lambda x, model=model: model(x)).get_concrete_function(
            tf.TensorSpec([None, None, 2], tf.float32))
        counts[name] = ops_per_loop_step(traced)
    assert 2 <= counts["SimpleRNN"] < counts["LSTM"]  # two matrix products and a tanh at least; the gates add more


def test_ops_per_loop_step_refuses_what_is_not_one_loop():
    import tensorflow as tf

    with pytest.raises(TypeError, match="must be a concrete tf.function holding exactly one while loop"):
        ops_per_loop_step(lambda x: x)
    no_loop = tf.function(lambda x: x * 2.0).get_concrete_function(tf.TensorSpec([2], tf.float32))
    with pytest.raises(TypeError, match="exactly one while loop, got ConcreteFunction"):
        ops_per_loop_step(no_loop)


def test_restart_training_trains_as_a_model_compiled_anew():
    """Fit, restart with fresh weights, fit again: the same weights as compiling a new model with them and fitting."""
    import keras

    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(32, 5, 2)).astype("float32"), rng.normal(size=(32, 1)).astype("float32")

    def build(seed):
        keras.utils.set_random_seed(seed)
        return keras.Sequential([keras.Input((5, 2)), keras.layers.LSTM(3), keras.layers.Dense(1)])

    def compiled(model):
        model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
        return model

    reused = compiled(build(1))
    reused.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)  # moves the weights and Adam's moments
    fresh_weights = build(2).get_weights()
    restart_training(reused, fresh_weights)
    assert all(np.array_equal(a, b) for a, b in zip(reused.get_weights(), fresh_weights, strict=True))
    assert int(reused.optimizer.iterations) == 0
    reused.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    anew = compiled(build(2))
    anew.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    for a, b in zip(reused.get_weights(), anew.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-6)
    assert float(reused.optimizer.learning_rate) == pytest.approx(0.05)  # the learning rate is kept


def test_restart_training_refuses_what_does_not_fit():
    import keras

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    with pytest.raises(TypeError, match="compiled keras.Model"):
        restart_training(model, model.get_weights())  # not compiled
    model.compile(optimizer="adam", loss="mse")
    with pytest.raises(ValueError, match="weights must be a list of arrays of the model's shapes"):
        restart_training(model, np.zeros(3))
    with pytest.raises(ValueError, match="weights must be a list of arrays of the model's shapes"):
        restart_training(model, [np.zeros((3, 2)), [0.0, 0.0]])  # a list where an array should be
    with pytest.raises(ValueError, match=r"model's shapes \[\(3, 2\), \(2,\)\], got \[\(3, 2\)\]"):
        restart_training(model, [np.zeros((3, 2))])  # the bias is missing

