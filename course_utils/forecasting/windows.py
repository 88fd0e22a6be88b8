"""Windows, chronological splits, walk-forward origins and a training-only scaler (notebooks 03 and 04)."""

from __future__ import annotations

import numpy as np

from course_utils.validation import checked


@checked(series="(n,) floats", lookback="int in [1, n]", horizon="int in [1, n - lookback]")
def make_windows(series, lookback: int, horizon: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Cut a 1-D series into (X, y): the last `lookback` values -> the next `horizon` values (notebooks 03, 04).

    X has shape (n_windows, lookback, 1), ready for a Keras RNN; y has shape (n_windows, horizon);
    n_windows = len(series) - lookback - horizon + 1. Window i is series[i : i + lookback] and its
    target series[i + lookback : i + lookback + horizon].
    """
    # One sliding view of lookback + horizon values per window (no copy, no Python loop), then split it.
    both = np.lib.stride_tricks.sliding_window_view(series, lookback + horizon)  # (n_windows, lookback + horizon)
    return both[:, :lookback, None].copy(), both[:, lookback:].copy()


@checked(series="(n,) floats", validation_fraction="float in [0, 1]", test_fraction="float in [0, 1]")
def chronological_split(series, validation_fraction: float = 0.15, test_fraction: float = 0.15):
    """Split a 1-D series in time order into (train, validation, test), no shuffling (notebook 04).

    The test part is the last `test_fraction` of the values, the validation part the
    `validation_fraction` before it, and training gets the rest; each part holds at least one value.
    """
    n = len(series)
    n_test = int(round(n * test_fraction))
    n_validation = int(round(n * validation_fraction))
    n_train = n - n_test - n_validation
    if min(n_train, n_validation, n_test) < 1:
        raise ValueError(
            f"series must be long enough for three non-empty parts, got len(series)={n} with "
            f"validation_fraction={validation_fraction} and test_fraction={test_fraction} "
            f"({n_train}/{n_validation}/{n_test} values)"
        )
    return series[:n_train], series[n_train : n_train + n_validation], series[n_train + n_validation :]


def _one_feature_scaler(name: str, value, dims: dict):
    """@checked spec: a StandardScaler fitted on one feature (fit_scaler makes one)."""
    if np.shape(getattr(value, "mean_", None)) != (1,) or np.shape(getattr(value, "scale_", None)) != (1,):
        raise TypeError(f"{name} must be a StandardScaler fitted on one feature (use fit_scaler), "
                        f"got {type(value).__name__}")
    return value


class TrainScaler:
    """scikit-learn's StandardScaler fitted on the training values, usable on arrays of any shape (notebook 04).

    StandardScaler wants 2-D (samples, features) arrays; a series, its windows and its forecasts are one
    feature in other shapes, so this wrapper flattens them to one column and restores the shape.
    """

    @checked(scaler=_one_feature_scaler)
    def __init__(self, scaler) -> None:
        self.scaler = scaler  # a fitted sklearn.preprocessing.StandardScaler with one feature

    @property
    def mean(self) -> float:
        return float(self.scaler.mean_[0])

    @property
    def scale(self) -> float:
        return float(self.scaler.scale_[0])

    @checked(values="floats")
    def transform(self, values) -> np.ndarray:
        """(values - mean) / scale, for any array."""
        return self.scaler.transform(values.reshape(-1, 1)).reshape(values.shape)

    @checked(values="floats")
    def inverse(self, values) -> np.ndarray:
        """Undo `transform`: values * scale + mean."""
        return self.scaler.inverse_transform(values.reshape(-1, 1)).reshape(values.shape)

    def __repr__(self) -> str:
        return f"TrainScaler(mean={self.mean:.6g}, scale={self.scale:.6g})"


@checked(train="floats not constant")  # a spread to scale by: a standard deviation of 0 would divide by 0
def fit_scaler(train) -> TrainScaler:
    """Fit a StandardScaler on the training values only: fitting on all the data leaks the future (notebook 04)."""
    from sklearn.preprocessing import StandardScaler  # imported here so importing course_utils stays light

    return TrainScaler(StandardScaler().fit(train.reshape(-1, 1)))


@checked(n_values="int >= 2", first_origin="int in [1, n_values - 1]", horizon="int in [1, n_values - first_origin]",
         step="int >= 1", window="int in [1, first_origin] or None")
def walk_forward_origins(n_values: int, first_origin: int, horizon: int, step: int = 1,
                         window: int | None = None) -> list[tuple[slice, slice]]:
    """Rolling-origin evaluation (notebook 04): a list of (history, target) slices into a series.

    For each origin o = first_origin, first_origin + step, ... with o + horizon <= n_values, the model
    may use `series[history]` (everything before o, or only the last `window` values if given: a
    rolling window instead of an expanding one) to forecast `series[o : o + horizon]`. The origins and
    histories are those of scikit-learn's TimeSeriesSplit(test_size=step, max_train_size=window) (the tests
    compare them), with each target running `horizon` values from its origin.
    """
    origins = range(first_origin, n_values - horizon + 1, step)
    return [(slice(0 if window is None else origin - window, origin), slice(origin, origin + horizon))
            for origin in origins]
