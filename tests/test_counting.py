"""course_utils.counting, course_utils.training and course_utils.plots (notebook 03)."""

import matplotlib

matplotlib.use("Agg")  # these unit tests only build figures; notebooks use the inline backend

import keras
import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_utils.counting import build_counting_model
from course_utils.data import make_windows
from course_utils.plots import plot_extrapolation, plot_notebook_times
from course_utils.runtime import seed_everything
from course_utils.training import fit_full_batch


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
    ({"lookback": 3, "activation": "sigmoid"}, ValueError, "activation must be one of"),
    ({"lookback": 3, "predict_step": 1}, TypeError, "predict_step must be True or False"),
    ({"lookback": 3, "scale": 0.0}, ValueError, "scale must be >="),
    ({"lookback": 2.0}, TypeError, "lookback must be an integer"),
])
def test_counting_model_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        build_counting_model(**kwargs)


def _compiled_linear_model(steps_per_execution):
    model = keras.Sequential([keras.Input((3, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse", steps_per_execution=steps_per_execution)
    return model


def test_fit_full_batch_takes_exactly_the_steps_of_plain_full_batch_fit():
    X, y = make_windows(np.linspace(0, 1, 20), lookback=3)
    seed_everything(0)
    fast = _compiled_linear_model(steps_per_execution=10)
    seed_everything(0)
    plain = _compiled_linear_model(steps_per_execution=1)
    history = fit_full_batch(fast, X, y, steps=30, steps_per_call=10)
    plain.fit(X, y, batch_size=len(X), epochs=30, shuffle=False, verbose=0)
    assert len(history.history["loss"]) == 3
    for fast_weight, plain_weight in zip(fast.get_weights(), plain.get_weights(), strict=True):
        np.testing.assert_allclose(fast_weight, plain_weight, rtol=1e-5, atol=1e-6)


def test_fit_full_batch_rejects_bad_arguments():
    X, y = make_windows(np.arange(10.0), lookback=3)
    model = _compiled_linear_model(steps_per_execution=5)
    with pytest.raises(ValueError, match="multiple of steps_per_call=5"):
        fit_full_batch(model, X, y, steps=7, steps_per_call=5)
    with pytest.raises(ValueError, match="compile the model with steps_per_execution=4"):
        fit_full_batch(model, X, y, steps=8, steps_per_call=4)
    with pytest.raises(ValueError, match="same number of samples"):
        fit_full_batch(model, X, y[:-1], steps=5, steps_per_call=5)
    with pytest.raises(TypeError, match="compiled keras.Model"):
        fit_full_batch(object(), X, y, steps=5, steps_per_call=5)
    with pytest.raises(ValueError, match="steps must be >= 1"):
        fit_full_batch(model, X, y, steps=0, steps_per_call=5)


def test_plot_extrapolation_draws_every_model_and_the_truth():
    inputs = np.arange(10.0)
    ax = plot_extrapolation(inputs, {"a": inputs + 1, "b": inputs * 2}, truth=inputs + 1, train_max=5)
    assert [line.get_label() for line in ax.get_lines()] == ["a", "b", "truth"]
    plt.close("all")


@pytest.mark.parametrize("predictions, error, message", [
    ({}, TypeError, "non-empty dict"),
    ({"a": np.arange(3.0)}, ValueError, r"predictions\['a'\] must have shape \(10,\)"),
    ({"a": np.full(10, np.nan)}, ValueError, "NaN"),
])
def test_plot_extrapolation_rejects_bad_predictions(predictions, error, message):
    with pytest.raises(error, match=message):
        plot_extrapolation(np.arange(10.0), predictions, truth=np.arange(10.0), train_max=5)
    plt.close("all")


def test_plot_notebook_times():
    ax = plot_notebook_times({"00_start_here.ipynb": 5.0, "03_keras_counting_example.ipynb": 60.0})
    assert len(ax.patches) == 2
    with pytest.raises(TypeError, match="non-empty dict"):
        plot_notebook_times({})
    plt.close("all")
