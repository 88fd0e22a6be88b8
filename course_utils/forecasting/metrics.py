"""How far off a forecast is (notebook 04): MAE, RMSE, MAPE, direction, lagged correlations, intervals.

Hand-written in NumPy on purpose: each is one line a learner should be able to read. The tests check them
against scikit-learn's metrics.
"""

from __future__ import annotations

import numpy as np

from course_utils.validation import as_float_array, check_float, check_int


def _pair(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    truth = as_float_array("y_true", y_true)
    prediction = as_float_array("y_pred", y_pred)
    if truth.shape != prediction.shape:
        raise ValueError(f"y_pred must have the shape of y_true {truth.shape}, got {prediction.shape}")
    return truth, prediction


def _scaled_errors(truth: np.ndarray, prediction: np.ndarray) -> tuple[float, np.ndarray]:
    """(scale, errors / scale) with scale the largest magnitude: finite inputs near the float64 limit would
    overflow in truth - prediction or in its square, while the scaled errors lie in [-2, 2]."""
    scale = float(max(np.abs(truth).max(), np.abs(prediction).max()))
    if scale == 0.0:
        return 1.0, np.zeros_like(truth)
    return scale, truth / scale - prediction / scale


def _finite(name: str, value: float) -> float:
    if not np.isfinite(value):
        raise ValueError(f"the {name} of these values overflows float64 (it exceeds {np.finfo(float).max:.3g})")
    return float(value)


def mae(y_true, y_pred) -> float:
    """Mean absolute error (notebook 04), in the units of the series."""
    truth, prediction = _pair(y_true, y_pred)
    scale, errors = _scaled_errors(truth, prediction)
    with np.errstate(over="ignore"):
        return _finite("MAE", scale * np.mean(np.abs(errors)))


def rmse(y_true, y_pred) -> float:
    """Root mean squared error (notebook 04), in the units of the series; punishes large misses."""
    truth, prediction = _pair(y_true, y_pred)
    scale, errors = _scaled_errors(truth, prediction)
    with np.errstate(over="ignore"):
        return _finite("RMSE", scale * np.sqrt(np.mean(errors**2)))


def mape(y_true, y_pred) -> float:
    """Mean absolute percentage error in % (notebook 04); undefined when a true value is 0, and may be
    infinite (never NaN) when a true value is so close to 0 that an error divided by it overflows."""
    truth, prediction = _pair(y_true, y_pred)
    if np.any(truth == 0):
        raise ValueError(f"y_true must have no zeros for MAPE, got {int(np.sum(truth == 0))} zero(s): use MAE")
    with np.errstate(over="ignore"):  # |error / truth| beyond float64: the honest answer is inf
        difference = np.abs(truth - prediction)  # inf only when both are near the float64 limit
        # Halving is exact for such large values and keeps the difference finite; truth != 0, so never 0 / 0.
        ratio = np.where(np.isfinite(difference), difference / np.abs(truth),
                         2.0 * (np.abs(truth / 2 - prediction / 2) / np.abs(truth)))
        return float(100.0 * np.mean(ratio))


def forecast_metrics(y_true, y_pred, with_mape: bool = True) -> dict:
    """MAE, RMSE and (unless with_mape=False, e.g. for returns near 0) MAPE of a forecast (notebook 04)."""
    if not isinstance(with_mape, bool):
        raise TypeError(f"with_mape must be True or False, got {type(with_mape).__name__}")
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
    # A correlation does not change when a series is divided by a positive number: scaling both to at most 1
    # keeps the squares inside np.corrcoef from overflowing for values near the float64 limit.
    prediction = prediction / max(float(np.abs(prediction).max()), np.finfo(float).tiny)
    truth = truth / max(float(np.abs(truth).max()), np.finfo(float).tiny)
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
    with np.errstate(over="ignore"):
        lower, upper = prediction + low, prediction + high
    if not (np.all(np.isfinite(lower)) and np.all(np.isfinite(upper))):
        raise ValueError("predictions and residuals must be small enough for the interval to be finite, got "
                         f"values up to {max(np.abs(prediction).max(), np.abs(errors).max()):.3g}")
    return lower, upper


def interval_coverage(y_true, lower, upper) -> float:
    """Fraction of true values inside [lower, upper] (notebook 04): compare with the nominal coverage."""
    truth, low = _pair(y_true, lower)
    _, high = _pair(y_true, upper)
    if np.any(low > high):
        raise ValueError("lower must be <= upper everywhere, got lower > upper somewhere")
    return float(np.mean((truth >= low) & (truth <= high)))
