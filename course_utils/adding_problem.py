"""The adding problem of Hochreiter & Schmidhuber (1997), Experiment 4, and what notebook 02 trains on.

The task (`adding_problem`), the criterion (`solved_fraction`), and a stream of fresh training sequences that
every model sees in the same order (`AddingProblemStream`), which notebook 02 feeds to `model.fit`. The LSTM's
initialisation that makes it learn the task in a CPU budget (`set_lstm_biases`, `chrono_forget_bias`) is in
`course_utils.lstm`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np

from course_utils.validation import as_float_array, check_float, check_int


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


def solved_fraction(predictions, targets, tolerance: float = 0.04) -> float:
    """Fraction of sequences whose absolute error is below `tolerance` (the paper's criterion, notebook 02)."""
    predictions = as_float_array("predictions", predictions).reshape(-1)
    targets = as_float_array("targets", targets).reshape(-1)
    if predictions.shape != targets.shape:
        raise ValueError(f"predictions must have as many values as targets ({targets.size}), got {predictions.size}")
    tolerance = check_float("tolerance", tolerance, minimum=0.0)
    return float(np.mean(np.abs(predictions - targets) < tolerance))


class AddingProblemStream:
    """Training sequences of the adding problem, drawn in chunks once and replayed to every model (notebook 02).

    Sequence k of the stream is sequence k % chunk_size of `adding_problem(chunk_size, T, seed=seed * 10**6 + k //
    chunk_size)`: each is new to the model that sees it (as in the paper), and every model sees the same ones,
    in the same order, while drawing them (a Python loop) is paid once. Keep test seeds outside these seeds.
    """

    def __init__(self, T: int, chunk_size: int = 1600, seed: int = 1) -> None:
        self.T = check_int("T", T, minimum=20)
        self.chunk_size = check_int("chunk_size", chunk_size, minimum=1)
        self.seed = check_int("seed", seed, minimum=1)
        self._chunks: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def batch(self, index: int, batch_size: int) -> tuple[np.ndarray, np.ndarray]:
        """Sequences index * batch_size ... (index + 1) * batch_size - 1 of the stream: x (batch, T', 2), y (batch,)."""
        index = check_int("index", index, minimum=0)
        batch_size = check_int("batch_size", batch_size, minimum=1)
        if self.chunk_size % batch_size:
            raise ValueError(f"batch_size must divide chunk_size={self.chunk_size}, got {batch_size}")
        chunk, offset = divmod(index * batch_size, self.chunk_size)
        if chunk not in self._chunks:
            self._chunks[chunk] = adding_problem(self.chunk_size, self.T, seed=self.seed * 10**6 + chunk)
        x, y = self._chunks[chunk]
        return x[offset : offset + batch_size], y[offset : offset + batch_size]

    def batches(self, batch_size: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Batches 0, 1, 2, ... of the stream, endlessly, for `model.fit`: x (batch, T', 2), y (batch, 1).

        The targets get a trailing axis to match the model's (batch, 1) output, so that a metric comparing
        them element-wise cannot broadcast (batch,) against (batch, 1) into a (batch, batch) table.
        """
        batch_size = check_int("batch_size", batch_size, minimum=1)
        if self.chunk_size % batch_size:
            raise ValueError(f"batch_size must divide chunk_size={self.chunk_size}, got {batch_size}")

        def generate() -> Iterator[tuple[np.ndarray, np.ndarray]]:
            for index in itertools.count():
                x, y = self.batch(index, batch_size)
                yield x, y[:, None]

        return generate()
