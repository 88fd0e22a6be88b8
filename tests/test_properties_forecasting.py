"""Property tests (hypothesis) for course_utils.forecasting: random valid series and windows give results
of the documented shapes, finite, with the invariants the definitions imply; junk in any argument raises
TypeError or ValueError whose message names the argument. Nothing else, and never a silent NaN.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from course_utils import forecasting as fc
from tests.junk import junk, raises_clearly, realistic_junk

finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
series = hnp.arrays(np.float64, st.integers(1, 60), elements=finite)
windows = hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=12), elements=finite)
fractions = st.floats(0.0, 1.0)


@settings(max_examples=200, deadline=None)
@given(values=series, validation_fraction=st.one_of(fractions, junk), test_fraction=st.one_of(fractions, junk))
def test_chronological_split(values, validation_fraction, test_fraction):
    parts = raises_clearly(fc.chronological_split, values, validation_fraction, test_fraction,
                           expected_words=("series", "validation_fraction", "test_fraction"))
    if parts is not None:
        assert all(len(part) >= 1 for part in parts)
        np.testing.assert_array_equal(np.concatenate(parts), values)  # in time order, nothing lost or shuffled


@settings(max_examples=200, deadline=None)
@given(train=st.one_of(series, realistic_junk), values=series)
def test_fit_scaler_round_trip(train, values):
    scaler = raises_clearly(fc.fit_scaler, train, expected_words=("train",))
    if scaler is not None:
        assert np.isfinite(scaler.mean) and scaler.scale > 0
        magnitude = abs(scaler.mean) + scaler.scale + np.abs(values).max()  # float64 keeps ~16 digits of this
        np.testing.assert_allclose(scaler.inverse(scaler.transform(values)), values, rtol=0, atol=1e-12 * magnitude)


@settings(max_examples=200, deadline=None)
@given(n_values=st.one_of(st.integers(1, 50), junk), first_origin=st.one_of(st.integers(1, 50), junk),
       horizon=st.one_of(st.integers(1, 5), junk), step=st.one_of(st.integers(1, 4), junk),
       window=st.one_of(st.none(), st.integers(1, 50), junk))
def test_walk_forward_origins_never_peek(n_values, first_origin, horizon, step, window):
    origins = raises_clearly(fc.walk_forward_origins, n_values, first_origin, horizon, step, window,
                             expected_words=("n_values", "first_origin", "horizon", "step", "window"))
    if origins is not None:
        assert origins, "at least one origin"
        for history, target in origins:
            assert history.stop == target.start  # the history ends where the forecast starts
            assert target.stop - target.start == horizon and target.stop <= n_values
            assert window is None or history.stop - history.start == window


@settings(max_examples=200, deadline=None)
@given(X=st.one_of(windows, junk), season=st.one_of(st.integers(1, 12), junk),
       horizon=st.one_of(st.integers(1, 5), junk))
def test_baseline_forecasts(X, season, horizon):
    words = ("X", "season", "horizon")
    persistence = raises_clearly(fc.persistence_forecast, X, horizon, expected_words=words)
    if persistence is not None:
        assert persistence.shape == (len(X), horizon)
        np.testing.assert_array_equal(persistence, np.repeat(np.asarray(X, float)[:, -1:], horizon, axis=1))
    zero = raises_clearly(fc.zero_forecast, X, horizon, expected_words=words)
    assert zero is None or (zero.shape == (len(X), horizon) and not zero.any())
    seasonal = raises_clearly(fc.seasonal_naive_forecast, X, season, horizon, expected_words=words)
    if seasonal is not None:
        X = np.asarray(X, float)
        assert seasonal.shape == (len(X), horizon)
        np.testing.assert_array_equal(seasonal[:, 0], X[:, X.shape[1] - season])  # the same step, a season ago


@settings(max_examples=100, deadline=None)
@given(X=windows, ridge=st.one_of(st.floats(0, 10), junk), seed=st.integers(0, 2**16))
def test_linear_ar_recovers_a_linear_rule(X, ridge, seed):
    model = raises_clearly(fc.linear_ar, ridge, expected_words=("ridge",))
    if model is None:
        return
    weights = np.random.default_rng(seed).normal(size=(X.shape[1], 2))  # (lookback, horizon)
    y = X @ weights + 3.0  # (n, horizon): an exact linear rule
    forecast = model.fit(X, y).predict(X)
    assert forecast.shape == y.shape and np.all(np.isfinite(forecast))
    design = np.hstack([X, np.ones((len(X), 1))])  # (n, lookback + 1)
    if ridge == 0.0 and len(X) > X.shape[1] + 1 and np.linalg.cond(design) < 1e3:  # well-posed: a unique fit
        np.testing.assert_allclose(forecast, y, atol=1e-5 * (1 + np.abs(y).max()))  # least squares is exact


@settings(max_examples=200, deadline=None)
@given(truth=st.one_of(windows, realistic_junk), noise=st.one_of(windows, realistic_junk))
def test_metrics(truth, noise):
    words = ("y_true", "y_pred")
    error_mae = raises_clearly(fc.mae, truth, noise, expected_words=words)
    error_rmse = raises_clearly(fc.rmse, truth, noise, expected_words=words)
    if error_mae is not None:
        assert 0 <= error_mae <= error_rmse + 1e-9  # RMSE is never below MAE
    error_mape = raises_clearly(fc.mape, truth, noise, expected_words=words)
    assert error_mape is None or error_mape >= 0  # never NaN
    accuracy = raises_clearly(fc.directional_accuracy, truth, noise,
                              expected_words=("actual_change", "predicted_change"))
    assert accuracy is None or 0 <= accuracy <= 1


@settings(max_examples=200, deadline=None)
@given(values=hnp.arrays(np.float64, st.integers(1, 40), elements=finite), max_lag=st.one_of(st.integers(0, 6), junk))
def test_lagged_correlations(values, max_lag):
    prediction = np.roll(values, 1)  # a copier: today's forecast is yesterday's value (wrapped at the start)
    correlations = raises_clearly(fc.lagged_correlations, prediction, values, max_lag,
                                  expected_words=("predictions", "actual", "max_lag"))
    if correlations is not None:
        assert correlations.shape == (max_lag + 1,)
        assert np.all(np.isfinite(correlations)) and np.all(np.abs(correlations) <= 1 + 1e-9)


@settings(max_examples=200, deadline=None)
@given(predictions=st.one_of(windows, realistic_junk), residuals=st.one_of(windows, realistic_junk),
       coverage=st.one_of(st.floats(0.01, 0.99), junk))
def test_residual_interval_and_its_coverage(predictions, residuals, coverage):
    band = raises_clearly(fc.residual_interval, predictions, residuals, coverage,
                          expected_words=("predictions", "residuals", "coverage"))
    if band is not None:
        lower, upper = band
        assert lower.shape == upper.shape == np.shape(predictions) and np.all(lower <= upper)
        covered = fc.interval_coverage(np.asarray(predictions, float), lower, upper)
        assert 0 <= covered <= 1


def test_lagged_correlations_of_a_constant_forecast_is_an_error_not_nan():
    with pytest.raises(ValueError, match="constant"):
        fc.lagged_correlations(np.ones(10), np.arange(10.0), 2)
