"""Checkers for the exercises of notebook 04 (time series: stocks and sales)."""

from __future__ import annotations

import numpy as np

from course_utils.data import make_windows
from course_utils.exercises import correct, fail, not_attempted
from course_utils.forecasting import load_rdataset, mape, seasonal_naive_forecast

SALES_SEASON = 12
SALES_TEST_START = 168  # a10: the last 36 of 204 months are the test period, as in notebook 04


def sales_test_windows(horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """a10 test windows for a horizon: (last 12 months (n, 12, 1), next `horizon` months (n, horizon)).

    Row k belongs to origin o = 168 + k: its inputs are sales[o - 12 : o], its targets sales[o : o + horizon].
    """
    _, sales = load_rdataset("fpp2", "a10")
    return make_windows(sales[SALES_TEST_START - SALES_SEASON :], SALES_SEASON, horizon)  # 37 - horizon rows


def check_other_horizon(horizon, forecasts) -> None:
    """Exercise 04.1: forecasts of a10 sales `horizon` months ahead that beat seasonal naive on MAPE.

    `forecasts` has one row per test origin o = 168, 169, ..., 204 - horizon (the first month forecast
    is month o), in sales units (not logs): shape (37 - horizon, horizon). horizon must differ from 12.
    """
    name = "Exercise 04.1 (another horizon)"
    if not_attempted(name, forecasts, "Forecast the test months with another horizon and pass the forecasts."):
        return
    if isinstance(horizon, bool) or not isinstance(horizon, (int, np.integer)) or not 1 <= horizon <= 24:
        fail(name, f"horizon must be an integer from 1 to 24, got {horizon!r}")
    if horizon == SALES_SEASON:
        fail(name, "use a horizon other than the notebook's 12 months")
    last_year, targets = sales_test_windows(int(horizon))
    try:
        predicted = np.asarray(forecasts, dtype=float)
    except (TypeError, ValueError):
        fail(name, f"forecasts must be an array of numbers, got {type(forecasts).__name__}")
    if predicted.shape != targets.shape:
        fail(name, f"forecasts must have shape {targets.shape} (one row per test origin), got {predicted.shape}")
    if not np.all(np.isfinite(predicted)):
        fail(name, "forecasts hold NaN or infinite values")
    if np.all(predicted < 5):
        fail(name, "the forecasts look like log-sales: take np.exp to return to sales units")
    yours = mape(targets, predicted)
    baseline = mape(targets, seasonal_naive_forecast(last_year, SALES_SEASON, int(horizon)))
    if yours >= baseline:
        fail(name, f"your MAPE is {yours:.1f} %, seasonal naive's is {baseline:.1f} %: beat the baseline")
    print(f"horizon {horizon}: your MAPE {yours:.1f} % vs seasonal naive {baseline:.1f} %")
    correct(name)


def check_added_feature(train_windows, test_windows, returns_train_windows, returns_test_windows) -> None:
    """Exercise 04.2: stock windows with a second feature, scaled with training statistics only.

    The windows have shape (n, lookback, 2): feature 0 must be the notebook's scaled-returns windows
    (passed as returns_*_windows, shape (n, lookback, 1)); feature 1 is your new feature, standardised
    with the mean and standard deviation of the *training* period (so its training windows have mean
    about 0 and standard deviation about 1), and not re-standardised on the test period.
    """
    name = "Exercise 04.2 (add a feature)"
    if not_attempted(name, train_windows, "Stack a second, train-scaled feature next to the returns."):
        return
    train = np.asarray(train_windows, dtype=float)
    test = np.asarray(test_windows, dtype=float)
    returns_train = np.asarray(returns_train_windows, dtype=float)
    returns_test = np.asarray(returns_test_windows, dtype=float)
    for label, windows, returns in [("train", train, returns_train), ("test", test, returns_test)]:
        expected = returns.shape[:2] + (2,)
        if windows.shape != expected:
            fail(name, f"{label} windows must have shape {expected} (returns + one feature), got {windows.shape}")
        if not np.all(np.isfinite(windows)):
            fail(name, f"{label} windows hold NaN or infinite values")
        if not np.allclose(windows[:, :, 0], returns[:, :, 0]):
            fail(name, f"feature 0 of the {label} windows must be the returns windows, unchanged")
    feature = train[:, :, 1]
    if feature.std() < 1e-6:
        fail(name, "the new feature is constant on the training windows: it cannot tell the model anything")
    if abs(feature.mean()) > 0.15 or abs(feature.std() - 1) > 0.15:
        fail(name, f"scale the new feature with the training mean and std: its training windows have mean "
                   f"{feature.mean():.2f} and std {feature.std():.2f}, expected about 0 and 1")
    if np.allclose(feature, train[:, :, 0]):
        fail(name, "the new feature is a copy of the returns: pick something else (volume, high - low range...)")
    correct(name)
