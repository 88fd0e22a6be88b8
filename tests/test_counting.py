"""course_utils.counting (notebook 03): the deck's data, the counting models and their plot."""

import matplotlib

matplotlib.use("Agg")  # these unit tests only build figures; notebooks use the inline backend

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_utils.counting import arithmetic_windows, build_counting_model, counting_data, plot_extrapolation


@given(n=st.integers(1, 500))
def test_counting_data_is_the_decks(n):
    data, target = counting_data(n)
    assert data.shape == (n, 1, 1) and target.shape == (n, 1)
    np.testing.assert_array_equal(data.ravel(), np.arange(n))
    np.testing.assert_array_equal(target.ravel() - data.ravel(), np.ones(n))


def test_counting_data_default_matches_deck_literally():
    data, target = counting_data()
    deck_data = np.array([i for i in range(100)]).reshape((100, 1, 1))
    deck_target = np.array([i for i in range(1, 101)]).reshape((100, 1))
    np.testing.assert_array_equal(data, deck_data)
    np.testing.assert_array_equal(target, deck_target)


@pytest.mark.parametrize("bad, error", [(0, ValueError), (-3, ValueError), (2.5, TypeError), ("10", TypeError),
                                        (True, TypeError)])
def test_counting_data_rejects_bad_n(bad, error):
    with pytest.raises(error, match="n must be"):
        counting_data(bad)


@pytest.mark.parametrize("lookback, horizon", [(1, 1), (3, 1), (3, 2), (6, 3)])
@pytest.mark.parametrize("predict_step", [True, False])
def test_counting_model_maps_raw_windows_to_horizon(lookback, horizon, predict_step):
    model = build_counting_model(lookback, horizon=horizon, predict_step=predict_step, units=4)
    windows = np.random.default_rng(lookback).uniform(0, 100, size=(5, lookback, 1)).astype("float32")
    assert model(windows).shape == (5, horizon)


def test_step_model_adds_its_output_to_the_last_value():
    model = build_counting_model(3, predict_step=True, units=4)
    step_layer = model.get_layer("step")
    weights, _ = step_layer.get_weights()
    step_layer.set_weights([np.zeros_like(weights), np.array([2.5], dtype="float32")])  # step = 2.5 always
    windows = np.array([[[7.0], [8.0], [9.0]], [[40.0], [41.0], [42.0]]], dtype="float32")
    np.testing.assert_allclose(model(windows).numpy()[:, 0], [11.5, 44.5], rtol=1e-6)


def test_level_model_rescales_inputs_and_outputs():
    model = build_counting_model(2, predict_step=False, units=4, center=10.0, scale=5.0)
    level = model.get_layer("level")
    weights, _ = level.get_weights()
    level.set_weights([np.zeros_like(weights), np.array([1.0], dtype="float32")])  # scaled output 1
    assert float(model(np.zeros((1, 2, 1), "float32"))[0, 0]) == pytest.approx(15.0)  # 1 * 5 + 10


@pytest.mark.parametrize("kwargs, error, message", [
    ({"lookback": 0}, ValueError, "lookback must be >= 1"),
    ({"lookback": 3, "horizon": 0}, ValueError, "horizon must be >= 1"),
    ({"lookback": 3, "activation": "sigmoid"}, ValueError, "activation must be .tanh. or .relu."),
    ({"lookback": 3, "predict_step": 1}, TypeError, "predict_step must be a bool"),
    ({"lookback": 3, "scale": 0.0}, ValueError, "scale must be >="),
    ({"lookback": 2.0}, TypeError, "lookback must be an integer"),
    ({"lookback": 3, "activation": ["tanh"]}, ValueError, "activation must be .tanh. or .relu."),
])
def test_counting_model_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        build_counting_model(**kwargs)


def test_plot_extrapolation_draws_every_model_and_the_truth():
    inputs = np.arange(10.0)
    ax = plot_extrapolation(inputs, {"a": inputs + 1, "b": inputs * 2}, truth=inputs + 1, train_max=5, title="T")
    assert [line.get_label() for line in ax.get_lines()] == ["a", "b", "truth"]
    np.testing.assert_array_equal(ax.get_lines()[1].get_ydata(), inputs * 2)
    assert ax.get_title() == "T"
    _, given_ax = plt.subplots()
    assert plot_extrapolation(inputs, {"a": inputs}, inputs, 5, ax=given_ax) is given_ax
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes or None"):
        plot_extrapolation(inputs, {"a": inputs}, inputs, 5, ax=plt)
    plt.close("all")


@pytest.mark.parametrize("predictions, error, message", [
    ({}, TypeError, "non-empty dict"),
    ({"a": np.arange(3.0)}, ValueError, r"predictions\['a'\] must have shape \(10\), got \(3,\)"),
    ({"a": np.full(10, np.nan)}, ValueError, "NaN"),
])
def test_plot_extrapolation_rejects_bad_predictions(predictions, error, message):
    with pytest.raises(error, match=message):
        plot_extrapolation(np.arange(10.0), predictions, truth=np.arange(10.0), train_max=5)
    plt.close("all")


@given(n=st.integers(1, 300), lookback=st.integers(1, 12), seed=st.integers(0, 2**31))
def test_arithmetic_windows_are_arithmetic_sequences(n, lookback, seed):
    x, y = arithmetic_windows(n, lookback, seed)
    assert x.shape == (n, lookback) and y.shape == (n,) and x.dtype == y.dtype == np.float32
    whole = np.column_stack([x, y]).astype(np.float64)  # (n, lookback + 1)
    steps = np.diff(whole, axis=1)  # (n, lookback): one constant step per row
    np.testing.assert_allclose(steps, steps[:, :1].repeat(lookback, axis=1), atol=1e-5)
    assert np.all(np.abs(steps) <= 0.2 + 1e-5) and np.all(np.abs(whole[:, 0]) <= 1.0)
    np.testing.assert_array_equal(arithmetic_windows(n, lookback, seed)[0], x)  # the seed repeats


def test_arithmetic_windows_one_number_cannot_tell_the_step():
    x, y = arithmetic_windows(5000, 1, seed=3)
    repeat_last = np.sqrt(np.mean((x[:, 0] - y) ** 2))  # the best a window of one can do: step's mean is 0
    assert 0.10 < repeat_last < 0.13  # the std of a uniform step in [-0.2, 0.2] is 0.2 / sqrt(3) = 0.115
    x2, y2 = arithmetic_windows(5000, 2, seed=3)
    np.testing.assert_allclose(2 * x2[:, 1] - x2[:, 0], y2, atol=1e-5)  # two numbers tell it exactly


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(n=0, lookback=3), ValueError, "n must be"), (dict(n=5, lookback=0), ValueError, "lookback must be"),
    (dict(n=5, lookback=2.0), TypeError, "lookback must be"), (dict(n="5", lookback=2), TypeError, "n must be"),
    (dict(n=5, lookback=2, seed=-1), ValueError, "seed must be"),
])
def test_arithmetic_windows_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        arithmetic_windows(**kwargs)
