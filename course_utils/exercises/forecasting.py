"""Checkers for the exercises of notebook 04 (time series: stocks and sales)."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import array, exercise, fail, integer
from course_utils.forecasting import load_rdataset, make_windows, mape, seasonal_naive_forecast

SALES_SEASON = 12
SALES_TEST_START = 168  # a10: the last 36 of 204 months are the test period, as in notebook 04


def sales_test_windows(horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """a10 test windows for a horizon: (last 12 months (n, 12, 1), next `horizon` months (n, horizon)).

    Row k belongs to origin o = 168 + k: its inputs are sales[o - 12 : o], its targets sales[o : o + horizon].
    """
    _, sales = load_rdataset("fpp2", "a10")
    return make_windows(sales[SALES_TEST_START - SALES_SEASON :], SALES_SEASON, horizon)  # 37 - horizon rows


@exercise("Exercise 04.1 (another horizon)",
          hint="Forecast the test months with another horizon and pass the forecasts.")
def check_other_horizon(forecasts, horizon) -> None:
    """Exercise 04.1: forecasts of a10 sales `horizon` months ahead that beat seasonal naive on MAPE.

    `forecasts` has one row per test origin o = 168, 169, ..., 204 - horizon (the first month forecast
    is month o), in sales units (not logs): shape (37 - horizon, horizon). horizon must differ from 12.
    """
    horizon = integer(horizon, "horizon")
    if not 1 <= horizon <= 24:
        fail(f"horizon must be an integer from 1 to 24, got {horizon!r}")
    if horizon == SALES_SEASON:
        fail("use a horizon other than the notebook's 12 months")
    last_year, targets = sales_test_windows(horizon)
    predicted = array(forecasts, shape=targets.shape, what="forecasts (one row per test origin)")
    if np.all(predicted < 5):
        fail("the forecasts look like log-sales: take np.exp to return to sales units")
    yours = mape(targets, predicted)
    baseline = mape(targets, seasonal_naive_forecast(last_year, SALES_SEASON, horizon))
    if yours >= baseline:
        fail(f"your MAPE is {yours:.1f} %, seasonal naive's is {baseline:.1f} %: beat the baseline")
    print(f"horizon {horizon}: your MAPE {yours:.1f} % vs seasonal naive {baseline:.1f} %")


@exercise("Exercise 04.2 (add a feature)", hint="Stack a second, train-scaled feature next to the returns.")
def check_added_feature(train_windows, test_windows, returns_train_windows, returns_test_windows) -> None:
    """Exercise 04.2: stock windows with a second feature, scaled with training statistics only.

    The windows have shape (n, lookback, 2): feature 0 must be the notebook's scaled-returns windows
    (passed as returns_*_windows, shape (n, lookback, 1)); feature 1 is your new feature, standardised
    with the mean and standard deviation of the *training* period (so its training windows have mean
    about 0 and standard deviation about 1), and not re-standardised on the test period.
    """
    returns_train = array(returns_train_windows, shape=(None, None, 1), what="returns_train_windows")
    returns_test = array(returns_test_windows, shape=(None, None, 1), what="returns_test_windows")
    train = array(train_windows, shape=returns_train.shape[:2] + (2,), what="train windows (returns + one feature)")
    test = array(test_windows, shape=returns_test.shape[:2] + (2,), what="test windows (returns + one feature)")
    for label, windows, returns in [("train", train, returns_train), ("test", test, returns_test)]:
        if not np.allclose(windows[:, :, 0], returns[:, :, 0]):
            fail(f"feature 0 of the {label} windows must be the returns windows, unchanged")
    feature = train[:, :, 1]
    if feature.std() < 1e-6:
        fail("the new feature is constant on the training windows: it cannot tell the model anything")
    if abs(feature.mean()) > 0.15 or abs(feature.std() - 1) > 0.15:
        fail(f"scale the new feature with the training mean and std: its training windows have mean "
             f"{feature.mean():.2f} and std {feature.std():.2f}, expected about 0 and 1")
    if np.allclose(feature, train[:, :, 0]):
        fail("the new feature is a copy of the returns: pick something else (volume, high - low range...)")
