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
SALES_VALIDATION_START = 132  # a10: the 36 months before the test period validate
SALES_MONTHS = 204
FUTURE_CORRELATION = 0.3  # |corr(feature on a window's last day, the return it forecasts)| above this: from the future
STOCK_LOOKBACK = 10  # days in each window of section 4
STOCK_FRACTION = 0.15  # validation and test fractions of the MSFT days, as in notebook 04
LATER_DAYS = 5  # a feature that copies a series of up to 5 days later (in rank) comes from the future
SAME_RANKS = 0.99  # rank correlation above this: the same series, up to a monotone transform


def _training_months(lookback: int, horizon: int, train_inputs, train_targets) -> int:
    """The last month any training target comes from: each row of (train_inputs, train_targets) must be a window
    log_sales[k : k + lookback + horizon] minus its month k + lookback - 1 (section 5's `relative`)."""
    inputs = array(train_inputs, shape=(None, lookback, 1), what="train_inputs (your (n, lookback, 1) windows)")
    targets = array(train_targets, shape=(len(inputs), horizon), what="train_targets (one row per window)")
    _, sales = load_rdataset("fpp2", "a10")
    rows = np.lib.stride_tricks.sliding_window_view(np.log(sales), lookback + horizon)  # (m, lookback + horizon)
    rows = rows - rows[:, lookback - 1 : lookback]  # relative to each window's last input month
    yours = np.concatenate([inputs[:, :, 0], targets], axis=1)  # (n, lookback + horizon)
    distance = np.abs(yours[:, None, :] - rows[None, :, :]).max(axis=2)  # (n, m)
    found = distance.min(axis=1) < 1e-4  # (n,)
    if not np.all(found):
        fail(f"row {int(np.argmin(found))} of train_inputs/train_targets is not a window of log sales minus its last "
             f"input month (section 5's relative windows, without the scaler)")
    return int(distance.argmin(axis=1).max()) + lookback + horizon - 1


@exercise("Exercise 04.1 (an LSTM for another horizon)",
          hint="Write a Keras model with an LSTM layer, fit it on (n, lookback, 1) windows of relative log "
               "sales of the training months, and pass the fitted model, its horizon and its training arrays.")
def check_lstm_horizon(model, horizon, train_inputs=None, train_targets=None) -> None:
    """Exercise 04.1: a fitted Keras LSTM forecasting a10 `horizon` months ahead beats seasonal naive on validation.

    The model maps (batch, lookback, 1) windows of log sales minus the window's last month (section 5's
    `relative`, without the scaler) to (batch, horizon): the next `horizon` log sales minus that last month.
    The checker builds the windows itself (the lookback read from the model's input), turns the outputs back into
    sales and judges them against seasonal naive on the validation origins (132 .. 168 - horizon): the learner
    may iterate against those. The test origins (168 .. 204 - horizon) are scored once, printed for information.
    horizon must differ from 12. `train_inputs` (n, lookback, 1) and `train_targets` (n, horizon) are what the
    model was fitted on: every target must come from a training month (before month 132), so a model trained on
    the validation or test months fails however good its score.
    """
    horizon = _horizon_other_than_the_season(horizon)
    lookback = _lookback_of_a_fitted_lstm(model, horizon)  # months in each window the model reads
    _check_fitted_on_training_months_only(lookback, horizon, train_inputs, train_targets)
    yours, baseline = _mape_against_seasonal_naive(model, lookback, horizon, SALES_VALIDATION_START, SALES_TEST_START)
    if yours >= baseline:
        fail(f"on the validation origins your LSTM's MAPE is {yours:.1f} %, seasonal naive's is {baseline:.1f} %: "
             f"beat the baseline. The model must map log sales minus the window's last month to the next {horizon} "
             f"log sales minus that month (section 5 without the scaler); train it longer or check the targets")
    test_yours, test_baseline = _mape_against_seasonal_naive(model, lookback, horizon, SALES_TEST_START, SALES_MONTHS)
    print(f"horizon {horizon}, lookback {lookback}: your LSTM's MAPE on the validation origins {yours:.1f} % vs "
          f"seasonal naive {baseline:.1f} % (judged); on the test origins {test_yours:.1f} % vs {test_baseline:.1f} % "
          f"(for information: the test months are scored once, not tuned on)")


def _horizon_other_than_the_season(horizon) -> int:
    """The learner's horizon: an integer from 1 to 24 months, not the notebook's 12."""
    horizon = integer(horizon, "horizon")
    if not 1 <= horizon <= 24:
        fail(f"horizon must be an integer from 1 to 24, got {horizon!r}")
    if horizon == SALES_SEASON:
        fail("use a horizon other than the notebook's 12 months")
    return horizon


def _lookback_of_a_fitted_lstm(model, horizon: int) -> int:
    """The lookback of a trained Keras model with an LSTM layer that reads (batch, lookback, 1) windows of months,
    from a whole season to as many months as the training part leaves before the horizon."""
    import keras  # imported here: importing the checkers must stay light

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
    if not SALES_SEASON <= lookback <= SALES_VALIDATION_START - horizon:
        fail(f"use a lookback from {SALES_SEASON} (a whole season) to {SALES_VALIDATION_START - horizon} months, "
             f"got {lookback}")
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or int(optimizer.iterations.numpy()) == 0:
        fail("the model has not been trained: compile it and call model.fit on the training windows")
    return lookback


def _check_fitted_on_training_months_only(lookback: int, horizon: int, train_inputs, train_targets) -> None:
    """The arrays the model was fitted on are given, and every target in them comes from a training month (before
    the validation months): a model fitted on the months it is scored on fails however good its score."""
    if train_inputs is None or train_targets is None:
        fail("pass the arrays the model was fitted on too: check_lstm_horizon(model, horizon, train_X, train_y)")
    last_month = _training_months(lookback, horizon, train_inputs, train_targets)
    if last_month >= SALES_VALIDATION_START:
        fail(f"a training target comes from month {last_month}: the validation months start at "
             f"{SALES_VALIDATION_START} and the test months at {SALES_TEST_START}. A model fitted on them is scored "
             f"on what it was trained on; fit on windows whose targets all lie before month {SALES_VALIDATION_START}")


def _mape_against_seasonal_naive(model, lookback: int, horizon: int, first_origin: int, end: int):
    """MAPE of the model and of seasonal naive on the a10 origins first_origin .. end - horizon (relative windows in,
    relative forecasts out, both turned back into sales)."""
    _, sales = load_rdataset("fpp2", "a10")
    log_sales = np.log(sales[first_origin - lookback : end])
    windows, targets = make_windows(log_sales, lookback, horizon)  # (n, lookback, 1), (n, horizon)
    last = windows[:, -1, :]  # (n, 1) the log sales of each origin's last known month
    outputs = call(getattr(model, "predict", None), (windows - windows[:, -1:]).astype(np.float32),
                   what="model.predict", verbose=0)
    outputs = array(outputs, shape=(len(windows), horizon), what="the model's output (one row per origin)")
    forecasts = np.exp(np.clip(outputs + last, -50.0, 50.0))
    actual = np.exp(targets)
    return mape(actual, forecasts), mape(actual, np.exp(seasonal_naive_forecast(windows, SALES_SEASON, horizon)))


def _later_day_series() -> dict[str, np.ndarray]:
    """MSFT series a learner may pick as a feature, aligned with the returns: value k belongs to day k + 1."""
    _, prices = load_stock("MSFT", "adj_close")
    high, low = load_stock("MSFT", "high")[1], load_stock("MSFT", "low")[1]
    return {"volume": load_stock("MSFT", "volume")[1][1:], "high - low range": (high - low)[1:],
            "high / low range": (high / low)[1:], "size of the return": np.abs(np.diff(np.log(prices)))}


def _same_ranks(values: np.ndarray, other: np.ndarray) -> bool:
    """Whether `other` ranks like `values` (Spearman's rank correlation > SAME_RANKS: the same series up to a monotone
    transform); False where the rank correlation is undefined (fewer than 3 values, or a constant one)."""
    from scipy.stats import spearmanr  # imported here: importing the checkers must stay light

    if len(values) < 3 or np.ptp(values) == 0 or np.ptp(other) == 0:
        return False
    return bool(spearmanr(values, other).statistic > SAME_RANKS)


def _copied_later_day(raw: np.ndarray) -> tuple[str, int] | None:
    """(series name, days later) if raw_feature[k] ranks like a series of day k + 1 + later, for later >= 1."""
    for name, series in _later_day_series().items():
        for later in range(1, LATER_DAYS + 1):
            if _same_ranks(raw[:-later], series[later:]):
                return name, later
    return None


@functools.lru_cache(maxsize=1)
def _stock_return_windows() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """Section 4 of notebook 04, rebuilt: MSFT scaled-returns windows (3259, 10, 1), their targets (3259, 1), the
    masks of the training and the test windows, and n_train (the days before validation; log_returns[k] is the
    return of day k + 1)."""
    _, prices = load_stock("MSFT", "adj_close")
    train_prices, validation_prices, _ = chronological_split(prices, STOCK_FRACTION, STOCK_FRACTION)
    n_train = len(train_prices)
    test_start = n_train + len(validation_prices)
    log_returns = np.diff(np.log(prices))  # (3269,)
    return_day = np.arange(1, len(prices))
    scaler = fit_scaler(log_returns[return_day < n_train])
    windows, targets = make_windows(scaler.transform(log_returns), STOCK_LOOKBACK)
    target_day = return_day[STOCK_LOOKBACK:]
    return windows, targets, target_day < n_train, target_day >= test_start, n_train


def _matches(mean: float, std: float, values: np.ndarray) -> bool:
    """Whether (mean, std) are those of `values`, with either ddof (numpy's 0 or pandas' 1)."""
    return any(abs(mean - values.mean()) <= 1e-4 * values.std(ddof=ddof)
               and abs(std / values.std(ddof=ddof) - 1) <= 1e-4 for ddof in (0, 1))


def _two_feature_model(model) -> None:
    """Fail unless `model` is a fitted Keras model reading (batch, 10, 2)."""
    import keras  # imported here: importing the checkers must stay light

    if model is None:
        fail("pass your fitted model too: check_added_feature(train_windows, test_windows, raw_feature, model)")
    if not isinstance(model, keras.Model):
        fail(f"model must be a Keras model, got {type(model).__name__}")
    if tuple(model.input_shape) != (None, STOCK_LOOKBACK, 2):
        fail(f"the model must read windows of shape (batch, {STOCK_LOOKBACK}, 2), got {tuple(model.input_shape)}")
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or int(optimizer.iterations.numpy()) == 0:
        fail("the model has not been trained: fit it on the training windows")


@exercise("Exercise 04.2 (add a feature)",
          hint="Standardise a second feature with the training days' mean and std, stack it next to the returns, "
               "train build_lstm_forecaster(..., n_features=2) on the training windows, and pass the training and "
               "test windows, the raw feature and the fitted model.")
def check_added_feature(train_windows, test_windows, raw_feature, model=None) -> None:
    """Exercise 04.2: stock windows with a second feature, scaled with the statistics of the training days only.

    `raw_feature` is the new feature before scaling, one value per return (shape (3269,), aligned with
    `log_returns`: raw_feature[k] belongs to day k + 1, e.g. np.log(volume[1:])). The windows have shape
    (n, 10, 2), for the training and the test windows of section 4: feature 0 is the scaled returns, feature 1
    is (raw_feature - mean) / std with mean and std of the training days (raw_feature[return_day < n_train]).
    The checker recovers the mean and std you used from your windows and the raw feature, so a scaler fitted on
    all days (leakage) fails even when its numbers are close, and the test windows must use the same scaler.
    A feature whose value on a window's last day correlates with the return the window forecasts
    (|corr| > FUTURE_CORRELATION) comes from the future (e.g. tomorrow's return) and fails, and so does one that
    copies (up to a monotone transform) the volume, the high-low range or the size of the return of a later day,
    which carries the size of the forecast day's move rather than its sign. `model`, fitted on
    the training windows, must read (batch, 10, 2); the checker prints its test RMSE against the zero forecast.
    """
    return_windows, next_returns, in_train, in_test, n_train = _stock_return_windows()  # cached: do not modify
    raw = _one_value_per_return(raw_feature, n_returns=len(return_windows) + STOCK_LOOKBACK)  # (3269,)
    train, test = _windows_of_returns_and_feature(train_windows, test_windows, return_windows, in_train, in_test)
    _check_known_at_the_window_end(train, next_returns[in_train, 0], raw)
    raw_windows = np.lib.stride_tricks.sliding_window_view(raw, STOCK_LOOKBACK)  # (3260, 10): window k = raw[k:k+10]
    mean, std = _statistics_used(raw_windows[: len(in_train)][in_train], train[:, :, 1])
    _check_training_days_only(mean, std, raw, n_train)
    if not np.allclose(test[:, :, 1], (raw_windows[: len(in_test)][in_test] - mean) / std, rtol=1e-4, atol=1e-4):
        fail("feature 1 of the test windows must be scaled with the same training mean and std as the training "
             "windows (do not fit a scaler on the test days), at the same days as the returns")
    _two_feature_model(model)
    ratio = _test_rmse_ratio(model, test, next_returns[in_test, 0])
    print(f"feature standardised with the training days' mean {mean:.4g} and std {std:.4g}; your model's test "
          f"RMSE / RMSE of the training mean (scaled returns) = {ratio:.3f}")


def _one_value_per_return(raw_feature, n_returns: int) -> np.ndarray:
    """The raw feature holds one value per return (n_returns,), not one per trading day."""
    raw = array(raw_feature, shape=(None,), what="raw_feature")
    if len(raw) == n_returns + 1:
        fail(f"raw_feature has one value per trading day ({len(raw)}); give one per return ({n_returns}): drop "
             f"the first day (e.g. volume[1:]), as np.diff does for the returns")
    if len(raw) != n_returns:
        fail(f"raw_feature must hold one value per return, shape ({n_returns},), got {raw.shape}")
    return raw


def _windows_of_returns_and_feature(train_windows, test_windows, return_windows, in_train, in_test):
    """(n, 10, 2) training and test windows whose feature 0 is section 4's scaled returns, unchanged."""
    train = array(train_windows, shape=(int(in_train.sum()), STOCK_LOOKBACK, 2),
                  what="train windows (returns + one feature)")
    test = array(test_windows, shape=(int(in_test.sum()), STOCK_LOOKBACK, 2),
                 what="test windows (returns + one feature)")
    for label, windows, mask in [("train", train, in_train), ("test", test, in_test)]:
        if not np.allclose(windows[:, :, 0], return_windows[mask, :, 0], atol=1e-5):
            fail(f"feature 0 of the {label} windows must be the scaled returns windows of section 4, unchanged")
    return train, test


def _check_known_at_the_window_end(train: np.ndarray, next_returns: np.ndarray, raw: np.ndarray) -> None:
    """The new feature says something, is not the returns again, and is known on each window's last day:
    it neither correlates with the return to forecast nor copies a later day's volume, range or size of move."""
    feature = train[:, :, 1]  # (n, 10)
    if feature.std() < 1e-6:
        fail("the new feature is constant on the training windows: it cannot tell the model anything")
    if np.allclose(feature, train[:, :, 0], atol=1e-5):
        fail("the new feature is a copy of the returns: pick something else (volume, high - low range...)")
    future = np.corrcoef(feature[:, -1], next_returns)[0, 1]
    if abs(future) > FUTURE_CORRELATION:
        fail(f"on the training windows the feature's last day correlates with the return to forecast "
             f"(corr {future:.2f}): it comes from the future (is raw_feature[k] known on the day of log_returns[k]? "
             f"tomorrow's return is not). Use a feature known at the end of each window, such as the day's volume")
    copied = _copied_later_day(raw)
    if copied is not None:
        name, later = copied
        fail(f"raw_feature[k] is the {name} of day k + 1 + {later}, but log_returns[k] is the return of day k + 1: "
             f"on a window's last day it tells the model about the day it forecasts (its size, if not its sign). "
             f"Align it with the returns: raw_feature[k] must belong to day k + 1, e.g. np.log(volume[1:])")


def _statistics_used(raw_train: np.ndarray, feature: np.ndarray) -> tuple[float, float]:
    """The (mean, std) the learner standardised with, read off a straight-line fit of the training windows'
    feature (n, 10) against the raw values at the same days: feature = (raw - mean) / std exactly, or fail."""
    x, z = raw_train.ravel(), feature.ravel()
    if x.std() == 0:
        fail("raw_feature is constant on the training days: it cannot tell the model anything")
    slope = np.mean((x - x.mean()) * (z - z.mean())) / x.var()
    intercept = z.mean() - slope * x.mean()
    if slope <= 0 or np.max(np.abs(z - (slope * x + intercept))) > 1e-4 * max(1.0, np.max(np.abs(z))):
        fail("feature 1 of the training windows must be (raw_feature - mean) / std at the same days as the returns "
             "(raw_feature[k] belongs to the day of log_returns[k]); it is not")
    return -intercept / slope, 1 / slope


def _check_training_days_only(mean: float, std: float, raw: np.ndarray, n_train: int) -> None:
    """Those statistics are the training days' (any training-only prefix that covers the training windows:
    they differ by a few days at most), not all days' (leakage) nor any others."""
    if any(_matches(mean, std, raw[:end]) for end in range(n_train - 1 - STOCK_LOOKBACK, n_train)):
        return
    training_days = raw[: n_train - 1]  # the returns of days 1 .. n_train - 1: return_day < n_train
    if _matches(mean, std, raw):
        fail(f"the feature was standardised with the mean and std of ALL days ({mean:.4g}, {std:.4g}), test "
             f"days included: that is leakage. Use the training days only, raw_feature[return_day < n_train] "
             f"(mean {training_days.mean():.4g}, std {training_days.std():.4g})")
    fail(f"the feature was standardised with mean {mean:.4g} and std {std:.4g}; the training days, "
         f"raw_feature[return_day < n_train], have mean {training_days.mean():.4g} and std "
         f"{training_days.std():.4g}: use those")


def _test_rmse_ratio(model, test: np.ndarray, targets: np.ndarray) -> float:
    """For information (not judged): the model's test RMSE over that of the training mean, 0 in scaled returns."""
    outputs = call(getattr(model, "predict", None), test.astype(np.float32), what="model.predict", verbose=0)
    outputs = array(outputs, shape=(len(test), 1), what="the model's output (one return per test window)")
    return float(np.sqrt(np.mean((outputs[:, 0] - targets) ** 2)) / np.sqrt(np.mean(targets**2)))
