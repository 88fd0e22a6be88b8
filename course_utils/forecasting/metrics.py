"""How far off a forecast is (notebook 04): MAE, RMSE, MAPE, direction, lagged correlations, intervals.

Hand-written in NumPy on purpose: each is one line a learner should be able to read, after one boundary check.
The tests check them against scikit-learn's metrics, on values of realistic size (no float64-overflow guards).
"""

from __future__ import annotations

import numpy as np

from course_utils.validation import checked, spec


def _no_zeros(name: str, value, dims: dict) -> np.ndarray:
    """@checked spec: floats of any shape with no zero (MAPE divides by them)."""
    values = spec("floats")(name, value, dims)
    if np.any(values == 0):
        raise ValueError(f"{name} must hold no zeros, got {int(np.sum(values == 0))} zero(s)")
    return values


def _upper_bound(name: str, value, dims: dict) -> np.ndarray:
    """@checked spec: an interval's upper ends, floats shaped like y_true and >= lower everywhere."""
    upper = spec("floats shaped like y_true")(name, value, dims)
    if np.any(upper < dims["values of lower"]):
        raise ValueError(f"{name} must be >= lower everywhere, got {np.sum(upper < dims['values of lower'])} of "
                         f"{upper.size} value(s) that are not")
    return upper


@checked(y_true="floats", y_pred="floats shaped like y_true")
def mae(y_true, y_pred) -> float:
    """Mean absolute error (notebook 04), in the units of the series: mean |y - y_hat|."""
    return float(np.mean(np.abs(y_true - y_pred)))


@checked(y_true="floats", y_pred="floats shaped like y_true")
def rmse(y_true, y_pred) -> float:
    """Root mean squared error (notebook 04), in the units of the series; punishes large misses."""
    return float(np.sqrt(np.mean((y_true - y_pred) ** 2)))


@checked(y_true=_no_zeros, y_pred="floats shaped like y_true")
def mape(y_true, y_pred) -> float:
    """Mean absolute percentage error in % (notebook 04): 100 * mean |(y - y_hat) / y|.

    Undefined when a y is 0: use MAE there."""
    return float(100.0 * np.mean(np.abs((y_true - y_pred) / y_true)))


@checked(y_true="floats", y_pred="floats shaped like y_true", with_mape=bool)
def forecast_metrics(y_true, y_pred, with_mape: bool = True) -> dict:
    """MAE, RMSE and (unless with_mape=False, e.g. for returns near 0) MAPE of a forecast (notebook 04)."""
    metrics = {"MAE": mae(y_true, y_pred), "RMSE": rmse(y_true, y_pred)}
    if with_mape:
        metrics["MAPE %"] = mape(y_true, y_pred)
    return metrics


@checked(actual_change="floats", predicted_change="floats shaped like actual_change")
def directional_accuracy(actual_change, predicted_change) -> float:
    """Fraction of steps whose predicted change has the sign of the actual change (notebook 04).

    Steps where the actual change is exactly 0 are left out; a predicted change of 0 counts as wrong.
    A coin flip scores about 0.5.
    """
    moved = actual_change != 0
    if not np.any(moved):
        raise ValueError("actual_change must hold at least one non-zero change, got only zeros")
    return float(np.mean(np.sign(actual_change[moved]) == np.sign(predicted_change[moved])))


@checked(predictions="(n,) floats", actual="(n,) floats", max_lag="int in [0, n - 3]")
def lagged_correlations(predictions, actual, max_lag: int = 5) -> np.ndarray:
    """Correlation of predictions[t] with actual[t - lag] for lag = 0..max_lag (notebook 04).

    predictions[t] is the forecast of actual[t]. A forecaster that only copies yesterday's value
    peaks at lag 1, not at lag 0: it follows the series one step late.
    """
    n = len(actual)
    correlations = []
    for lag in range(max_lag + 1):
        forecast_part, truth_part = predictions[lag:], actual[: n - lag]
        if forecast_part.std() == 0 or truth_part.std() == 0:  # a correlation with a constant is undefined
            raise ValueError(f"predictions and actual must not be constant (at lag {lag}), got standard deviations "
                             f"{forecast_part.std():.3g} and {truth_part.std():.3g}")
        correlations.append(np.corrcoef(forecast_part, truth_part)[0, 1])
    return np.array(correlations)


# ----------------------------------------------------------------------------- prediction intervals


@checked(predictions="(n, horizon) floats", residuals="(m, horizon) floats", coverage="float in (0, 1)")
def residual_interval(predictions, residuals, coverage: float = 0.8) -> tuple[np.ndarray, np.ndarray]:
    """Empirical prediction interval (notebook 04): (lower, upper) around `predictions` (n, horizon).

    `residuals` (m, horizon) are truth - prediction on data the model was not trained on (validation);
    each horizon step gets its own quantiles, so the band widens with the horizon if errors grow.
    """
    low, high = np.quantile(residuals, [(1 - coverage) / 2, (1 + coverage) / 2], axis=0)  # (horizon,) each
    return predictions + low, predictions + high


@checked(y_true="floats", lower="floats shaped like y_true", upper=_upper_bound)
def interval_coverage(y_true, lower, upper) -> float:
    """Fraction of true values inside [lower, upper] (notebook 04): compare with the nominal coverage."""
    return float(np.mean((y_true >= lower) & (y_true <= upper)))
