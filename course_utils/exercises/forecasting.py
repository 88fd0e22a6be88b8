"""Checkers for the exercises of notebook 04 (time series: stocks and sales)."""

from __future__ import annotations

import functools

import numpy as np

from course_utils.exercises import array, call, exercise, fail, integer, keras_layers
from course_utils.forecasting import (
    chronological_split,
    fit_scaler,
    load_rdataset,
    load_stock,
    make_windows,
    mape,
    seasonal_naive_forecast,
)

SALES_SEASON = 12
SALES_TEST_START = 168  # a10: the last 36 of 204 months are the test period, as in notebook 04
STOCK_LOOKBACK = 10  # days in each window of section 4
STOCK_FRACTION = 0.15  # validation and test fractions of the MSFT days, as in notebook 04


def sales_test_windows(horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """a10 test windows for a horizon: (last 12 months (n, 12, 1), next `horizon` months (n, horizon)).

    Row k belongs to origin o = 168 + k: its inputs are sales[o - 12 : o], its targets sales[o : o + horizon].
    """
    _, sales = load_rdataset("fpp2", "a10")
    return make_windows(sales[SALES_TEST_START - SALES_SEASON :], SALES_SEASON, horizon)  # 37 - horizon rows


@exercise("Exercise 04.1 (an LSTM for another horizon)",
          hint="Write a Keras model with an LSTM layer, fit it on (n, lookback, 1) windows of relative log "
               "sales, and pass the fitted model and its horizon.")
def check_lstm_horizon(model, horizon) -> None:
    """Exercise 04.1: a fitted Keras LSTM forecasting a10 `horizon` months ahead beats seasonal naive on MAPE.

    The model maps (batch, lookback, 1) windows of log sales minus the window's last month (section 5's
    `relative`, without the scaler) to (batch, horizon): the next `horizon` log sales minus that last month.
    The checker builds the test windows itself (origins 168 .. 204 - horizon, the lookback read from the
    model's input), turns the outputs back into sales and compares them with seasonal naive.
    horizon must differ from 12.
    """
    import keras  # imported here: importing the checkers must stay light

    horizon = integer(horizon, "horizon")
    if not 1 <= horizon <= 24:
        fail(f"horizon must be an integer from 1 to 24, got {horizon!r}")
    if horizon == SALES_SEASON:
        fail("use a horizon other than the notebook's 12 months")
    if not isinstance(model, keras.Model):
        fail(f"pass a Keras model (keras.Sequential or keras.Model), got {type(model).__name__}")
    if not any(isinstance(layer, keras.layers.LSTM) for layer in keras_layers(model)):  # nested and wrapped too
        fail("the model has no LSTM layer: this exercise is about an LSTM (keras.layers.LSTM)")
    input_shape = tuple(model.input_shape) if isinstance(model.input_shape, (tuple, list)) else ()
    if len(input_shape) != 3:
        fail(f"the model reads inputs of shape {input_shape}: an LSTM reads (batch, timesteps, features); "
             f"reshape the windows to (n, lookback, 1)")
    lookback, features = input_shape[1], input_shape[2]
    if features != 1 or not isinstance(lookback, int):
        fail(f"the model reads windows of shape (batch, {lookback}, {features}): one month per time step and one "
             f"feature, (n, lookback, 1), so that the LSTM steps through the months (a window of shape "
             f"(n, 1, lookback) is one time step: nothing is recurrent)")
    if not SALES_SEASON <= lookback <= SALES_TEST_START - horizon:
        fail(f"use a lookback from {SALES_SEASON} (a whole season) to {SALES_TEST_START - horizon} months, "
             f"got {lookback}")
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or int(optimizer.iterations.numpy()) == 0:
        fail("the model has not been trained: compile it and call model.fit on the training windows")
    _, sales = load_rdataset("fpp2", "a10")
    log_sales = np.log(sales)
    windows, targets = make_windows(log_sales[SALES_TEST_START - lookback :], lookback, horizon)  # (37 - h, ...)
    last = windows[:, -1, :]  # (n, 1) the log sales of each origin's last known month
    outputs = call(getattr(model, "predict", None), (windows - windows[:, -1:]).astype(np.float32),
                   what="model.predict", verbose=0)
    outputs = array(outputs, shape=(len(windows), horizon), what="the model's output (one row per test origin)")
    forecasts = np.exp(np.clip(outputs + last, -50.0, 50.0))
    actual = np.exp(targets)
    yours = mape(actual, forecasts)
    baseline = mape(actual, np.exp(seasonal_naive_forecast(windows, SALES_SEASON, horizon)))
    if yours >= baseline:
        fail(f"your LSTM's MAPE is {yours:.1f} %, seasonal naive's is {baseline:.1f} %: beat the baseline. The "
             f"model must map log sales minus the window's last month to the next {horizon} log sales minus "
             f"that month (section 5 without the scaler); train it longer or check the targets")
    print(f"horizon {horizon}, lookback {lookback}: your LSTM's MAPE {yours:.1f} % vs seasonal naive {baseline:.1f} %")


@functools.lru_cache(maxsize=1)
def _stock_return_windows() -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Section 4 of notebook 04, rebuilt: MSFT scaled-returns windows (3259, 10, 1), the masks of the training
    and the test windows, and n_train (the days before validation; log_returns[k] is the return of day k + 1)."""
    _, prices = load_stock("MSFT", "adj_close")
    train_prices, validation_prices, _ = chronological_split(prices, STOCK_FRACTION, STOCK_FRACTION)
    n_train = len(train_prices)
    test_start = n_train + len(validation_prices)
    log_returns = np.diff(np.log(prices))  # (3269,)
    return_day = np.arange(1, len(prices))
    scaler = fit_scaler(log_returns[return_day < n_train])
    windows, _ = make_windows(scaler.transform(log_returns), STOCK_LOOKBACK)
    target_day = return_day[STOCK_LOOKBACK:]
    return windows, target_day < n_train, target_day >= test_start, n_train


def _matches(mean: float, std: float, values: np.ndarray) -> bool:
    """Whether (mean, std) are those of `values`, with either ddof (numpy's 0 or pandas' 1)."""
    return any(abs(mean - values.mean()) <= 1e-4 * values.std(ddof=ddof)
               and abs(std / values.std(ddof=ddof) - 1) <= 1e-4 for ddof in (0, 1))


@exercise("Exercise 04.2 (add a feature)",
          hint="Standardise a second feature with the training days' mean and std, stack it next to the returns, "
               "and pass the training and test windows with the raw feature.")
def check_added_feature(train_windows, test_windows, raw_feature) -> None:
    """Exercise 04.2: stock windows with a second feature, scaled with the statistics of the training days only.

    `raw_feature` is the new feature before scaling, one value per return (shape (3269,), aligned with
    `log_returns`: raw_feature[k] belongs to day k + 1, e.g. np.log(volume[1:])). The windows have shape
    (n, 10, 2), for the training and the test windows of section 4: feature 0 is the scaled returns, feature 1
    is (raw_feature - mean) / std with mean and std of the training days (raw_feature[return_day < n_train]).
    The checker recovers the mean and std you used from your windows and the raw feature, so a scaler fitted on
    all days (leakage) fails even when its numbers are close, and the test windows must use the same scaler.
    """
    return_windows, in_train, in_test, n_train = _stock_return_windows()  # cached: do not modify
    n_returns = len(return_windows) + STOCK_LOOKBACK  # 3269 returns, 3259 windows
    raw = array(raw_feature, shape=(None,), what="raw_feature")
    if len(raw) == n_returns + 1:
        fail(f"raw_feature has one value per trading day ({len(raw)}); give one per return ({n_returns}): drop "
             f"the first day (e.g. volume[1:]), as np.diff does for the returns")
    if len(raw) != n_returns:
        fail(f"raw_feature must hold one value per return, shape ({n_returns},), got {raw.shape}")
    train = array(train_windows, shape=(int(in_train.sum()), STOCK_LOOKBACK, 2),
                  what="train windows (returns + one feature)")
    test = array(test_windows, shape=(int(in_test.sum()), STOCK_LOOKBACK, 2),
                 what="test windows (returns + one feature)")
    for label, windows, mask in [("train", train, in_train), ("test", test, in_test)]:
        if not np.allclose(windows[:, :, 0], return_windows[mask, :, 0], atol=1e-5):
            fail(f"feature 0 of the {label} windows must be the scaled returns windows of section 4, unchanged")
    feature = train[:, :, 1]
    if feature.std() < 1e-6:
        fail("the new feature is constant on the training windows: it cannot tell the model anything")
    if np.allclose(feature, train[:, :, 0], atol=1e-5):
        fail("the new feature is a copy of the returns: pick something else (volume, high - low range...)")
    raw_windows = np.lib.stride_tricks.sliding_window_view(raw, STOCK_LOOKBACK)  # (3260, 10): window k = raw[k:k+10]
    raw_train, raw_test = raw_windows[: len(in_train)][in_train], raw_windows[: len(in_test)][in_test]
    x, z = raw_train.ravel(), feature.ravel()
    if x.std() == 0:
        fail("raw_feature is constant on the training days: it cannot tell the model anything")
    slope = np.mean((x - x.mean()) * (z - z.mean())) / x.var()
    intercept = z.mean() - slope * x.mean()
    if slope <= 0 or np.max(np.abs(z - (slope * x + intercept))) > 1e-4 * max(1.0, np.max(np.abs(z))):
        fail("feature 1 of the training windows must be (raw_feature - mean) / std at the same days as the returns "
             "(raw_feature[k] belongs to the day of log_returns[k]); it is not")
    mean, std = -intercept / slope, 1 / slope  # the statistics you standardised with
    training_days = raw[: n_train - 1]  # the returns of days 1 .. n_train - 1: return_day < n_train
    # Any training-only prefix that covers the training windows is fine (it differs by a few days at most).
    honest = any(_matches(mean, std, raw[:end]) for end in range(n_train - 1 - STOCK_LOOKBACK, n_train))
    if not honest:
        if _matches(mean, std, raw):
            fail(f"the feature was standardised with the mean and std of ALL days ({mean:.4g}, {std:.4g}), test "
                 f"days included: that is leakage. Use the training days only, raw_feature[return_day < n_train] "
                 f"(mean {training_days.mean():.4g}, std {training_days.std():.4g})")
        fail(f"the feature was standardised with mean {mean:.4g} and std {std:.4g}; the training days, "
             f"raw_feature[return_day < n_train], have mean {training_days.mean():.4g} and std "
             f"{training_days.std():.4g}: use those")
    expected_test = (raw_test - mean) / std
    if not np.allclose(test[:, :, 1], expected_test, rtol=1e-4, atol=1e-4):
        fail("feature 1 of the test windows must be scaled with the same training mean and std as the training "
             "windows (do not fit a scaler on the test days), at the same days as the returns")
    print(f"feature standardised with the training days' mean {mean:.4g} and std {std:.4g}")
