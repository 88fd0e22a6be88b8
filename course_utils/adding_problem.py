"""The adding problem of Hochreiter & Schmidhuber (1997), Experiment 4, and how notebook 02 trains on it.

The task (`adding_problem`), the criterion (`solved_fraction`), a stream of fresh training sequences that every
model sees in the same order (`AddingProblemStream`), and the harness of `model.fit` on that stream: a Keras metric
counting the sequences solved (`solved_rate_metric`), a callback that stops once a validation set is solved
(`stop_when_solved`), and the two wrapped in one call (`fit_until_solved`, returning an `AddingRun`); `fresh_start`
restarts a compiled model from new weights without tracing it again. The LSTM's
initialisation that makes it learn the task in a CPU budget (`set_lstm_biases`, `chrono_forget_bias`) is in
`course_utils.lstm`.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

from course_utils.validation import checked

TOLERANCE = 0.04  # the paper's criterion: a sequence is solved when the absolute error is below this


def _one_sequence(rng: np.random.Generator, T: int, length: int) -> tuple[np.ndarray, np.ndarray, float]:
    """One sequence of the paper's Experiment 4: values (length,), markers (length,) and its target."""
    values = rng.uniform(-1.0, 1.0, size=length)
    markers = np.zeros(length)
    markers[0] = markers[-1] = -1.0  # the ends, when not marked
    first = int(rng.integers(0, 10))  # X1: among the first 10 steps
    second = int(rng.choice(np.setdiff1d(np.arange(T // 2 - 1), [first])))  # X2: among the first T/2 - 1, not X1
    markers[[first, second]] = 1.0
    if 0 in (first, second):  # the paper zeroes a marked first value ("we set X1 to zero")
        values[0] = 0.0
    return values, markers, 0.5 + (values[first] + values[second]) / 4.0


@checked(n="int >= 1", T="int >= 20", seed="int >= 0")
def adding_problem(n: int, T: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Hochreiter & Schmidhuber (1997), Experiment 4, "the adding problem": x (n, T + T//10, 2), y (n,) (notebook 02).

    Each sequence has T to T + T//10 steps; step t is (value, marker): value uniform in [-1, 1], marker 1 at exactly
    two steps (X1 among the first 10, X2 among the first T/2 - 1), -1 at the first and last step when unmarked, 0
    elsewhere. The target is 0.5 + (X1 + X2) / 4, in [0, 1]; solved when the absolute error is below 0.04. Shorter
    sequences are padded with zeros at the *start*, so every sequence ends at the last step, where the answer is read.
    (T >= 20 leaves room for X2 beyond the first 10 steps.)
    """
    rng = np.random.default_rng(seed)
    steps = T + T // 10
    x = np.zeros((n, steps, 2), dtype=np.float32)  # (n, steps, 2): value, marker
    y = np.zeros(n, dtype=np.float32)  # (n,)
    lengths = rng.integers(T, steps + 1, size=n)  # T .. T + T//10 steps each
    for k in range(n):
        values, markers, y[k] = _one_sequence(rng, T, int(lengths[k]))
        x[k, steps - len(values) :, 0] = values  # pre-padding: the sequence ends at the last step
        x[k, steps - len(values) :, 1] = markers
    return x, y


@checked(predictions="(n, 1) floats or (n,) floats", targets="(n, 1) floats or (n,) floats", tolerance="float >= 0")
def solved_fraction(predictions, targets, tolerance: float = TOLERANCE) -> float:
    """Fraction of sequences whose absolute error is below `tolerance` (the paper's criterion, notebook 02)."""
    return float(np.mean(np.abs(predictions.reshape(-1) - targets.reshape(-1)) < tolerance))


class AddingProblemStream:
    """Training sequences of the adding problem, drawn in chunks once and replayed to every model (notebook 02).

    Sequence k of the stream is sequence k % chunk_size of `adding_problem(chunk_size, T, seed=seed * 10**6 + k //
    chunk_size)`: each is new to the model that sees it (as in the paper), and every model sees the same ones,
    in the same order, while drawing them (a Python loop) is paid once. Keep test seeds outside these seeds.
    """

    @checked(T="int >= 20", chunk_size="int >= 1", seed="int >= 1")
    def __init__(self, T: int, chunk_size: int = 1600, seed: int = 1) -> None:
        self.T, self.chunk_size, self.seed = T, chunk_size, seed
        self._chunks: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def _chunk(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        if index not in self._chunks:
            self._chunks[index] = adding_problem(self.chunk_size, self.T, seed=self.seed * 10**6 + index)
        return self._chunks[index]

    @checked(index="int >= 0", batch_size="int >= 1")
    def batch(self, index: int, batch_size: int) -> tuple[np.ndarray, np.ndarray]:
        """Sequences index * batch_size ... (index + 1) * batch_size - 1 of the stream: x (batch, T', 2), y (batch,)."""
        start = index * batch_size
        first, last = start // self.chunk_size, (start + batch_size - 1) // self.chunk_size
        chunks = [self._chunk(chunk) for chunk in range(first, last + 1)]  # a batch may span chunks
        x, y = np.concatenate([x for x, _ in chunks]), np.concatenate([y for _, y in chunks])
        offset = start - first * self.chunk_size
        return x[offset : offset + batch_size], y[offset : offset + batch_size]

    @checked(batch_size="int >= 1")
    def batches(self, batch_size: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Batches 0, 1, 2, ... of the stream, endlessly, for `model.fit`: x (batch, T', 2), y (batch, 1).

        The targets get a trailing axis to match the model's (batch, 1) output, so that a metric comparing
        them element-wise cannot broadcast (batch,) against (batch, 1) into a (batch, batch) table.
        """
        for index in itertools.count():
            x, y = self.batch(index, batch_size)
            yield x, y[:, None]


@checked(tolerance="float >= 0")
def solved_rate_metric(tolerance: float = TOLERANCE):
    """A Keras metric `solved_rate`: the fraction of sequences answered within `tolerance` (notebook 02).

    Pass it to `model.compile(metrics=[solved_rate_metric()])`; `fit` then logs `solved_rate` and `val_solved_rate`.
    """
    def solved_rate(y_true, y_pred):  # both (batch, 1)
        import keras  # imported here: importing course_utils stays light

        solved = keras.ops.abs(y_true - y_pred) < tolerance
        return keras.ops.mean(keras.ops.cast(solved, "float32"))

    return solved_rate


@checked(target="float in [0, 1]")
def stop_when_solved(target: float = 0.99):
    """A Keras callback that stops `fit` at the end of the first epoch whose `val_solved_rate` reaches `target`.

    Keras's EarlyStopping stops when a score stops improving; this stops on a criterion, as the paper did (notebook 02).
    The model must be compiled with `solved_rate_metric()` and fit with validation data.
    """
    import keras  # imported here: importing course_utils stays light

    def stop_if_solved(epoch, logs):
        if "val_solved_rate" not in logs:
            raise ValueError("stop_when_solved needs the metric solved_rate_metric() and validation_data in fit")
        if logs["val_solved_rate"] >= target:
            callback.model.stop_training = True

    callback = keras.callbacks.LambdaCallback(on_epoch_end=stop_if_solved)
    return callback


@checked(model="keras.Model")
def fresh_start(model) -> None:
    """New initial weights and a new optimizer state for a compiled model, without tracing it again (notebook 02).

    A speed trick: TensorFlow traces a model's training step once per model, which costs more CPU than a hundred
    short training steps; a loop over seeds can reuse one model instead. The weights are drawn by the layers' own
    initialisers from the current seed (as for a new model); the step counter and Adam's moments restart from zero.
    """
    import keras  # imported here: importing course_utils stays light

    for layer in model.layers:
        if layer.weights:
            fresh = layer.__class__.from_config(layer.get_config())  # the same layer, new
            fresh.build(layer.input.shape)  # which draws its initial weights
            layer.set_weights(fresh.get_weights())
    for variable in model.optimizer.variables:
        if variable is not model.optimizer.learning_rate:  # the learning rate stays
            variable.assign(keras.ops.zeros(variable.shape, variable.dtype))


class AddingRun(NamedTuple):
    """What one training on the adding problem measured (notebook 02)."""

    history: dict  # Keras's history.history: loss, solved_rate, val_loss, val_solved_rate, one value per epoch
    sequences: int  # training sequences seen when training stopped
    reached: bool  # whether the validation set reached the criterion within the budget
    epoch_cpu_seconds: list  # CPU time of each epoch (its batches and the validation set); the first includes tracing


@checked(model="keras.Model", stream=AddingProblemStream, x_validation="(n, steps, 2) floats",
         y_validation="(n,) floats", max_sequences="int >= 1", batch_size="int >= 1", check_every="int >= 1",
         target="float in [0, 1]")
def fit_until_solved(model, stream, x_validation, y_validation, max_sequences: int, batch_size: int = 64,
                     check_every: int = 25, target: float = 0.99) -> AddingRun:
    """`model.fit` on fresh batches of `stream` until `target` of the validation set is solved (notebook 02).

    An epoch is `check_every` batches, after which the validation set is scored; at most `max_sequences` training
    sequences. The model must be compiled with `solved_rate_metric()`. Each epoch's CPU time is kept: on a shared
    machine it varies far less than the wall time.
    """
    import keras  # imported here: importing course_utils stays light

    clock = []  # [start, end] of each epoch, in CPU seconds of this process (all its threads)
    timer = keras.callbacks.LambdaCallback(on_epoch_begin=lambda epoch, logs: clock.append([time.process_time()]),
                                           on_epoch_end=lambda epoch, logs: clock[-1].append(time.process_time()))
    history = model.fit(stream.batches(batch_size), steps_per_epoch=check_every,
                        epochs=max(1, max_sequences // (batch_size * check_every)), shuffle=False,
                        validation_data=(x_validation, y_validation[:, None]),  # (n, 1), like the model's output
                        validation_batch_size=len(x_validation), callbacks=[stop_when_solved(target), timer],
                        verbose=0)
    epochs = len(history.history["loss"])
    reached = history.history["val_solved_rate"][-1] >= target
    epoch_cpu_seconds = [end - start for start, end in clock]
    return AddingRun(history.history, epochs * batch_size * check_every, bool(reached), epoch_cpu_seconds)
