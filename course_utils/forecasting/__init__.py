"""Forecasting done honestly (notebook 04), one module a job; everything is importable from here.

- `windows`: sliding windows, chronological splits, walk-forward origins, a scaler fitted on training data
- `baselines`: persistence, seasonal naive (with and without drift), zero, and the linear autoregression
  (scikit-learn's Ridge)
- `metrics`: MAE, RMSE, MAPE, direction, lagged correlations, prediction intervals
- `models`: the small Keras LSTM forecaster
- `plots`: the walk-forward diagram and the loss curves of a training (notebooks 03 and 04)
- `datasets`: the bundled stock prices and drug sales

Windows follow `make_windows`: X is (n_windows, lookback, 1) or (n_windows, lookback), y is (n_windows,
horizon); row i of X holds the values just before row i of y.
"""

from course_utils.forecasting.baselines import (
    linear_ar,
    persistence_forecast,
    seasonal_naive_drift_forecast,
    seasonal_naive_forecast,
    zero_forecast,
)
from course_utils.forecasting.datasets import STOCK_COLUMNS, STOCK_TICKERS, load_rdataset, load_stock
from course_utils.forecasting.metrics import (
    directional_accuracy,
    forecast_metrics,
    interval_coverage,
    lagged_correlations,
    mae,
    mape,
    residual_interval,
    rmse,
)
from course_utils.forecasting.models import build_lstm_forecaster
from course_utils.forecasting.plots import plot_training_curves, plot_walk_forward
from course_utils.forecasting.windows import (
    TrainScaler,
    chronological_split,
    fit_scaler,
    make_windows,
    walk_forward_origins,
)

__all__ = [
    "STOCK_COLUMNS", "STOCK_TICKERS", "TrainScaler", "build_lstm_forecaster", "chronological_split",
    "directional_accuracy", "fit_scaler", "forecast_metrics", "interval_coverage", "lagged_correlations",
    "linear_ar", "load_rdataset", "load_stock", "mae", "make_windows", "mape", "persistence_forecast",
    "plot_training_curves", "plot_walk_forward", "residual_interval", "rmse", "seasonal_naive_drift_forecast",
    "seasonal_naive_forecast",
    "walk_forward_origins", "zero_forecast",
]
