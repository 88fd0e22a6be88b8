"""The deck's advantages and disadvantages, measured (notebook 11): what is new there and nowhere else.

Parameter counts of the LSTM and GRU come from `course_utils.lstm`, the memory task from `course_utils.rnn`, the
adding problem from `course_utils.adding_problem`; this module adds the SimpleRNN's count, a timing loop that
measures several models in turn (so that a load on the machine hits all of them alike), the log-log slope of a
cost against the sequence length, and a position channel for the attention model.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

import numpy as np

from course_utils.validation import as_float_array, check_int


def simple_rnn_parameter_count(input_size: int, units: int) -> int:
    """Trainable parameters of keras.layers.SimpleRNN: input*u + u*u + u, one gate's worth (notebook 11)."""
    input_size = check_int("input_size", input_size, minimum=1)
    units = check_int("units", units, minimum=1)
    return input_size * units + units * units + units


def loglog_slope(lengths, costs) -> float:
    """Slope of log(cost) against log(length), fitted by least squares (notebook 11).

    A cost proportional to length**k has slope k: about 1 for a recurrent layer, which takes one step per
    element, about 2 for self-attention once its length x length score matrix dominates.
    """
    lengths = as_float_array("lengths", lengths, ndim=1)
    costs = as_float_array("costs", costs, ndim=1)
    if lengths.shape != costs.shape:
        raise ValueError(f"costs must have one value per length ({lengths.size}), got {costs.size}")
    if lengths.size < 2 or np.unique(lengths).size < 2:
        raise ValueError(f"lengths must hold at least two different values, got {lengths.tolist()}")
    if np.any(lengths <= 0) or np.any(costs <= 0):
        raise ValueError("lengths and costs must be > 0 (their logarithms are fitted), got a value <= 0")
    return float(np.polyfit(np.log(lengths), np.log(costs), 1)[0])


def interleaved_cpu_times(functions: Mapping[str, Callable[[], object]], repeats: int = 5) -> dict[str, float]:
    """Median CPU seconds of each call in `functions`, measured in turn, `repeats` rounds (notebook 11).

    CPU time of this process (all its threads), not wall time: other programs on the machine slow the wall clock
    but barely change the work done here. The functions are called in rotation, one round after another, so a
    change of load during the measurement falls on all of them; the median drops the odd slow round.
    """
    if not isinstance(functions, Mapping) or not functions:
        raise TypeError(f"functions must be a non-empty dict of name -> callable, got {type(functions).__name__}")
    for name, function in functions.items():
        if not callable(function):
            raise TypeError(f"functions[{name!r}] must be callable, got {type(function).__name__}")
    repeats = check_int("repeats", repeats, minimum=1)
    seconds: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeats):
        for name, function in functions.items():
            start = time.process_time()
            function()
            seconds[name].append(time.process_time() - start)
    return {name: float(np.median(values)) for name, values in seconds.items()}


def with_position_channel(x) -> np.ndarray:
    """Append the position t / (T - 1) (0 at the first step, 1 at the last) as a last feature (notebook 11).

    Self-attention treats its input as a set: without this, it cannot tell the first step from any other.
    x (batch, T, features) -> (batch, T, features + 1), float32.
    """
    x = as_float_array("x", x, ndim=3)
    batch, steps, _ = x.shape
    position = np.linspace(0.0, 1.0, steps) if steps > 1 else np.zeros(1)
    channel = np.broadcast_to(position[None, :, None], (batch, steps, 1))
    return np.concatenate([x, channel], axis=-1).astype(np.float32)
