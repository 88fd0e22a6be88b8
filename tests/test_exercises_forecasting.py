"""Exercise checkers of notebook 04: None is 'not attempted', a right answer passes, a wrong one says why."""

import numpy as np
import pytest

from course_utils.exercises import CORRECT, NOT_ATTEMPTED
from course_utils.exercises.forecasting import check_added_feature, check_other_horizon, sales_test_windows
from course_utils.forecasting import linear_ar, load_rdataset, make_windows, seasonal_naive_forecast


def test_unattempted_exercises_print_a_hint(capsys):
    assert check_other_horizon(None, None).status == NOT_ATTEMPTED
    assert check_other_horizon(None, 6).status == NOT_ATTEMPTED  # the horizon set, the forecasts not yet
    assert check_added_feature(None, None, None, None).status == NOT_ATTEMPTED
    assert capsys.readouterr().out.count("not attempted yet") == 3


def test_sales_test_windows_are_the_last_36_months():
    _, sales = load_rdataset()
    for horizon in (1, 6, 12):
        last_year, targets = sales_test_windows(horizon)
        assert last_year.shape == (37 - horizon, 12, 1) and targets.shape == (37 - horizon, horizon)
        np.testing.assert_array_equal(targets[0], sales[168 : 168 + horizon])
        np.testing.assert_array_equal(targets[-1], sales[204 - horizon :])
        np.testing.assert_array_equal(last_year[0, :, 0], sales[156:168])


def linear_ar_forecasts(horizon):
    """A forecaster that beats seasonal naive: linear AR on log sales relative to the last month."""
    _, sales = load_rdataset()
    logs = np.log(sales)
    X, y = make_windows(logs[:168], 24, horizon)
    model = linear_ar(ridge=0.1).fit(X - X[:, -1:], y - X[:, -1, :])
    X_test, _ = make_windows(logs[168 - 24 :], 24, horizon)
    return np.exp(model.predict(X_test - X_test[:, -1:]) + X_test[:, -1, :])


@pytest.mark.parametrize("horizon", [1, 6])
def test_a_forecaster_that_beats_seasonal_naive_passes(horizon, capsys):
    assert check_other_horizon(linear_ar_forecasts(horizon), horizon).status == CORRECT
    output = capsys.readouterr().out
    assert f"horizon {horizon}: your MAPE" in output and "vs seasonal naive" in output and "correct!" in output


@pytest.mark.parametrize("horizon, forecasts, message", [
    (6, lambda: seasonal_naive_forecast(*sales_test_windows(6)[:1], 12, 6), "beat the baseline"),
    (6, lambda: seasonal_naive_forecast(*sales_test_windows(6)[:1], 12, 6) * 0.5, "beat the baseline"),
    (12, lambda: linear_ar_forecasts(12), "other than the notebook's 12"),
    (0, lambda: np.ones((37, 0)), "integer from 1 to 24"),
    (25, lambda: np.ones((12, 25)), "integer from 1 to 24"),
    (True, lambda: np.ones((36, 1)), "horizon must be an integer, got bool"),
    (6.0, lambda: linear_ar_forecasts(6), "horizon must be an integer, got float"),
    (6, lambda: linear_ar_forecasts(6)[:-1], "shape \\(31, 6\\)"),
    (6, lambda: np.log(linear_ar_forecasts(6)), "log-sales"),
    (6, lambda: np.full((31, 6), np.nan), "NaN"),
])
def test_wrong_horizon_answers_fail_with_a_reason(horizon, forecasts, message):
    with pytest.raises(AssertionError, match=message):
        check_other_horizon(forecasts(), horizon)


def feature_windows(seed=0, n_train=300, n_test=80, lookback=10):
    rng = np.random.default_rng(seed)
    returns_train = rng.normal(size=(n_train, lookback, 1))
    returns_test = rng.normal(size=(n_test, lookback, 1))
    raw = rng.normal(loc=5.0, scale=3.0, size=n_train + n_test + lookback)  # e.g. log volume
    scaled = (raw - raw[: n_train + lookback].mean()) / raw[: n_train + lookback].std()  # training stats
    feature = np.lib.stride_tricks.sliding_window_view(scaled, lookback)  # (n_train + n_test + 1, lookback)
    train = np.concatenate([returns_train, feature[:n_train, :, None]], axis=2)
    test = np.concatenate([returns_test, feature[n_train : n_train + n_test, :, None]], axis=2)
    return train, test, returns_train, returns_test


def test_a_train_scaled_feature_passes():
    assert check_added_feature(*feature_windows()).status == CORRECT


def test_wrong_features_fail_with_a_reason():
    train, test, returns_train, returns_test = feature_windows()
    cases = [
        ((train[:, :, :1], test, returns_train, returns_test), "shape \\(300, 10, 2\\)"),
        ((train, test[:, :, :1], returns_train, returns_test),
         r"test windows \(returns \+ one feature\) must have shape \(80, 10, 2\)"),
        ((train * [1.0, 3.0] + [0.0, 2.0], test, returns_train, returns_test), "training mean and std"),
        ((train * [2.0, 1.0], test, returns_train, returns_test), "feature 0 of the train"),
        ((np.concatenate([returns_train, np.zeros_like(returns_train)], 2), test, returns_train, returns_test),
         "constant"),
        ((np.concatenate([returns_train, returns_train], 2), test, returns_train, returns_test), "copy of the returns"),
        ((np.where(train > 2, np.nan, train), test, returns_train, returns_test), "NaN"),
    ]
    for arguments, message in cases:
        with pytest.raises(AssertionError, match=message):
            check_added_feature(*arguments)
