"""Baselines every forecaster must beat (notebook 04): persistence, seasonal naive (with and without drift), zero,
linear autoregression."""

from __future__ import annotations

import numpy as np

from course_utils.validation import checked


@checked(X="(n_windows, lookback, 1?) floats")
def _windows_2d(X) -> np.ndarray:
    """Windows (n, lookback) or (n, lookback, 1) as (n, lookback): the first step of linear_ar's pipeline."""
    return X


@checked(X="(n_windows, lookback, 1?) floats", horizon="int >= 1")
def persistence_forecast(X, horizon: int = 1) -> np.ndarray:
    """Naive forecast (notebook 04): every future step equals the last value seen; (n, horizon)."""
    return np.repeat(X[:, -1:], horizon, axis=1)


@checked(X="(n_windows, lookback, 1?) floats", season="int in [1, lookback]", horizon="int >= 1")
def seasonal_naive_forecast(X, season: int, horizon: int = 1) -> np.ndarray:
    """Seasonal naive forecast (notebook 04): step h repeats the value one season earlier; (n, horizon).

    With monthly data and season=12, next January is forecast as this January. Needs lookback >= season.
    """
    lookback = X.shape[1]
    columns = lookback - season + (np.arange(horizon) % season)  # step h (0-based) -> same month last season
    return X[:, columns]


@checked(X="(n_windows, lookback, 1?) floats", season="int >= 1", horizon="int >= 1")
def seasonal_naive_drift_forecast(X, season: int, horizon: int = 1) -> np.ndarray:
    """Seasonal naive with drift (notebook 04): seasonal naive plus the change from the season before last to the
    last one; (n, horizon). On log values this adds last year's growth: for a series that grows by a steady
    percentage a year, the baseline a sceptic picks first. Needs lookback >= 2 * season.
    """
    if 2 * season > X.shape[1]:
        raise ValueError(f"season must be <= lookback / 2 = {X.shape[1] / 2:g} (the window must hold two "
                         f"seasons), got {season}")
    drift = X[:, -season:].mean(axis=1) - X[:, -2 * season : -season].mean(axis=1)  # (n,)
    seasons_ahead = 1 + np.arange(horizon) // season  # (horizon,): step h repeats a value this many seasons back
    return seasonal_naive_forecast(X, season, horizon) + drift[:, None] * seasons_ahead


@checked(X="(n_windows, lookback, 1?) floats", horizon="int >= 1")
def zero_forecast(X, horizon: int = 1) -> np.ndarray:
    """Forecast 0 for every step (notebook 04): for returns, the random-walk 'no change' baseline."""
    return np.zeros((len(X), horizon))


@checked(ridge="float >= 0")
def linear_ar(ridge: float = 0.0):
    """Linear autoregression (notebook 04) as a scikit-learn pipeline: flatten the windows, then Ridge(alpha=ridge).

    `fit(X, y)` takes windows X (n, lookback[, 1]) and targets y (n, horizon); one linear model per horizon
    step ("direct" multi-step forecasting). The L2 penalty `ridge` (0: ordinary least squares) applies to the
    weights, not the intercept, and keeps long windows from overfitting. Predictions have the shape of the
    targets it was fitted on: (n, 1) for horizon 1 (Ridge alone would return (n,), which (n,) + (n, 1) silently
    broadcasts to (n, n)); TransformedTargetRegressor restores it. The fitted regression is `[-1].regressor_`.
    """
    from sklearn.compose import TransformedTargetRegressor  # imported here: importing course_utils stays light
    from sklearn.linear_model import LinearRegression, Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    regression = Ridge(alpha=ridge) if ridge > 0 else LinearRegression()
    return make_pipeline(FunctionTransformer(_windows_2d), TransformedTargetRegressor(regression))
