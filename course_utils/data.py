"""Datasets made by code, so the course runs offline: counting, forecasting windows, adding problem."""

from __future__ import annotations

import numpy as np

from course_utils.validation import as_float_array, check_float, check_int


def counting_data(n: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """The seed deck's data (notebook 03): inputs 0..n-1 as (n, 1, 1), targets 1..n as (n, 1).

    Each sample is a sequence of length 1 holding one number; its target is the next number.
    """
    n = check_int("n", n, minimum=1)
    data = np.arange(n, dtype=np.float32).reshape((n, 1, 1))  # (samples, timesteps=1, features=1)
    target = np.arange(1, n + 1, dtype=np.float32).reshape((n, 1))  # (samples, 1)
    return data, target


def make_windows(series, lookback: int, horizon: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Cut a 1-D series into (X, y): the last `lookback` values -> the next `horizon` values.

    X has shape (n_windows, lookback, 1), ready for a Keras RNN; y has shape (n_windows, horizon);
    n_windows = len(series) - lookback - horizon + 1. Window i is series[i : i + lookback] and its
    target series[i + lookback : i + lookback + horizon]. Used in notebooks 03 and 04.
    """
    values = as_float_array("series", series, ndim=1)
    lookback = check_int("lookback", lookback, minimum=1)
    horizon = check_int("horizon", horizon, minimum=1)
    if lookback + horizon > len(values):
        raise ValueError(
            f"lookback + horizon must be <= len(series) to make at least one window, "
            f"got lookback={lookback} + horizon={horizon} > len(series)={len(values)}"
        )
    n_windows = len(values) - lookback - horizon + 1
    # Index matrices instead of a Python loop: row i of `starts + offsets` is window i.
    starts = np.arange(n_windows)[:, None]
    inputs = values[starts + np.arange(lookback)[None, :]]  # (n_windows, lookback)
    targets = values[starts + lookback + np.arange(horizon)[None, :]]  # (n_windows, horizon)
    return inputs[:, :, None], targets


def adding_problem(n: int, T: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Hochreiter & Schmidhuber (1997), Experiment 4, "the adding problem" (notebook 02).

    Each sequence has a random length between T and T + T//10. Element t is a pair
    (value, marker): value uniform in [-1, 1]; marker 1.0 at exactly two positions (one among the
    first 10 elements, X1, and one among the first T/2 - 1, X2, distinct), -1.0 at the first and
    last element when they are not marked, 0.0 elsewhere. If the first element is marked, its value
    is set to 0, as in the paper ("we set X1 to zero"). The target is 0.5 + (X1 + X2) / 4, in [0, 1]; a prediction
    counts as correct when its absolute error is below 0.04.

    Returns x of shape (n, T + T//10, 2) and y of shape (n,), float32. Shorter sequences are
    padded with zeros at the *start* (pre-padding), so every sequence ends at the last step,
    where the answer is read.
    """
    n = check_int("n", n, minimum=1)
    T = check_int("T", T, minimum=20)  # T/2 - 1 must leave room beyond the first 10 positions
    seed = check_int("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)
    max_length = T + T // 10
    x = np.zeros((n, max_length, 2), dtype=np.float32)
    y = np.zeros(n, dtype=np.float32)
    lengths = rng.integers(T, max_length + 1, size=n)  # T .. T + T//10 inclusive
    for k in range(n):
        length = int(lengths[k])
        values = rng.uniform(-1.0, 1.0, size=length)
        markers = np.zeros(length)
        markers[0] = markers[-1] = -1.0
        first = int(rng.integers(0, 10))
        # One of the first T/2 - 1 positions that is not already marked.
        candidates = np.setdiff1d(np.arange(T // 2 - 1), [first])
        second = int(rng.choice(candidates))
        markers[[first, second]] = 1.0
        if 0 in (first, second):  # the paper zeroes a marked first pair (it lost its start marker)
            values[0] = 0.0
        y[k] = 0.5 + (values[first] + values[second]) / 4.0
        x[k, max_length - length :, 0] = values
        x[k, max_length - length :, 1] = markers
    return x, y


def first_value_task(n: int, lag: int, seed: int, noise: float = 2.0) -> tuple[np.ndarray, np.ndarray]:
    """"Remember the first value" (notebook 01): the label is the sign of a value seen `lag` steps before the end.

    Each sequence has lag + 1 steps of one feature: step 0 holds +1 or -1 (the label, y = 1 or 0,
    each with probability 1/2), the `lag` steps after it hold Gaussian noise of standard deviation
    `noise`, which carries no information. The answer is read after the last step, so the model must
    carry one bit for `lag` steps through the noise; a perfect memory scores 100 %, chance is 50 %.
    Returns x of shape (n, lag + 1, 1) and y of shape (n,), float32.
    """
    n = check_int("n", n, minimum=1)
    lag = check_int("lag", lag, minimum=0)
    seed = check_int("seed", seed, minimum=0)
    noise = check_float("noise", noise, minimum=0.0)
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size=n)  # (n,): 0 or 1
    x = rng.normal(scale=noise, size=(n, lag + 1, 1))  # (n, lag + 1, 1): distractors
    x[:, 0, 0] = 2.0 * y - 1.0  # the value to remember: -1 or +1
    return x.astype(np.float32), y.astype(np.float32)
