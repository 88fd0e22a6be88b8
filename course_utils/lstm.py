"""The LSTM and GRU cells in NumPy, with Keras's weight layout, and gradient flow through them (notebook 02).

Weights are exactly what `keras.layers.LSTM(units).get_weights()` returns: kernel (input, 4u),
recurrent_kernel (u, 4u), bias (4u), gates in the order i, f, c (the candidate, called g here), o.
For `keras.layers.GRU(units)` (default `reset_after=True`): kernel (input, 3u), recurrent_kernel
(u, 3u), bias (2, 3u) (row 0 for the input, row 1 for the recurrent part), gates in the order z, r, h.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_utils.validation import as_float_array, check_float, check_int, check_shape


class LSTMTrace(NamedTuple):
    """Everything an LSTM computes over a sequence (notebook 02); each array is (batch, T, units)."""

    h: np.ndarray  # hidden state (the layer's output)
    c: np.ndarray  # cell state
    i: np.ndarray  # input gate
    f: np.ndarray  # forget gate
    g: np.ndarray  # candidate cell input (Keras's "c" slice, after tanh)
    o: np.ndarray  # output gate


class GRUTrace(NamedTuple):
    """Everything a GRU computes over a sequence (notebook 02); each array is (batch, T, units)."""

    h: np.ndarray  # hidden state (the layer's output)
    z: np.ndarray  # update gate: how much of the old state is kept
    r: np.ndarray  # reset gate
    candidate: np.ndarray  # candidate state (Keras's "h" slice, after tanh)


def _sigmoid(values: np.ndarray) -> np.ndarray:
    """Logistic function, written so large negative inputs do not overflow."""
    return 0.5 * (1.0 + np.tanh(0.5 * values))


def _check_inputs(x, kernel, recurrent_kernel, gates: int):
    """Validate x (batch, T, input), kernel (input, gates*u), recurrent_kernel (u, gates*u); return them and u."""
    x = as_float_array("x", x, ndim=3)
    kernel = as_float_array("kernel", kernel, ndim=2)
    recurrent_kernel = as_float_array("recurrent_kernel", recurrent_kernel, ndim=2)
    units = recurrent_kernel.shape[0]
    check_shape("recurrent_kernel", recurrent_kernel, (units, gates * units))
    check_shape("kernel", kernel, (x.shape[2], gates * units))
    return x, kernel, recurrent_kernel, units


def _initial_state(name: str, value, batch: int, units: int) -> np.ndarray:
    """A (batch, units) initial state: zeros when None, else validated."""
    if value is None:
        return np.zeros((batch, units))
    value = as_float_array(name, value, ndim=2)
    check_shape(name, value, (batch, units))
    return value


def lstm_forward(x, kernel, recurrent_kernel, bias, h0=None, c0=None) -> LSTMTrace:
    """Run an LSTM over x (batch, T, input) with Keras's weights and return every state and gate (notebook 02).

    i = sigmoid(x W_i + h U_i + b_i), f = sigmoid(...), g = tanh(...), o = sigmoid(...),
    c_t = f * c_{t-1} + i * g, h_t = o * tanh(c_t); h0 and c0 default to zeros, shape (batch, units).
    """
    x, kernel, recurrent_kernel, units = _check_inputs(x, kernel, recurrent_kernel, 4)
    bias = as_float_array("bias", bias, ndim=1)
    check_shape("bias", bias, (4 * units,))
    batch, steps, _ = x.shape
    h = _initial_state("h0", h0, batch, units)
    c = _initial_state("c0", c0, batch, units)
    trace = {name: np.empty((batch, steps, units)) for name in LSTMTrace._fields}
    inputs_projected = x @ kernel + bias  # (batch, T, 4u): the input part of every gate at once
    for t in range(steps):
        z = inputs_projected[:, t] + h @ recurrent_kernel  # (batch, 4u)
        i = _sigmoid(z[:, :units])
        f = _sigmoid(z[:, units : 2 * units])
        g = np.tanh(z[:, 2 * units : 3 * units])
        o = _sigmoid(z[:, 3 * units :])
        c = f * c + i * g  # the cell state: kept by f, written by i
        h = o * np.tanh(c)  # the output: a gated view of the cell
        for name, value in zip(LSTMTrace._fields, (h, c, i, f, g, o), strict=True):
            trace[name][:, t] = value
    return LSTMTrace(**trace)


def lstm_gradient_norms(x, kernel, recurrent_kernel, bias, h0=None, c0=None, wrt: str = "h") -> np.ndarray:
    """Norms (batch, T) of d(sum of h_T) / d h_t (or d c_t with wrt="c"), by BPTT in NumPy (notebook 02).

    The LSTM counterpart of `course_utils.rnn.bptt_gradient_norms`: entry [b, t] measures how much
    the last hidden state still depends on the state at step t. With wrt="h", c_t is held fixed, so
    [b, T-1] is sqrt(units); with wrt="c" the gradient reaches c_t through h_t and through c_{t+1}.
    """
    if wrt not in ("h", "c"):
        raise ValueError(f"wrt must be 'h' or 'c', got {wrt!r}")
    trace = lstm_forward(x, kernel, recurrent_kernel, bias, h0, c0)
    recurrent_kernel = np.asarray(recurrent_kernel, dtype=np.float64)
    batch, steps, units = trace.h.shape
    c_initial = _initial_state("c0", c0, batch, units)
    norms = np.empty((batch, steps))
    grad_h = np.ones((batch, units))  # d(sum h_T) / d h_T
    grad_c_future = np.zeros((batch, units))  # gradient reaching c_t from c_{t+1}, not through h_t
    for t in range(steps - 1, -1, -1):
        tanh_c = np.tanh(trace.c[:, t])
        grad_c = grad_c_future + grad_h * trace.o[:, t] * (1.0 - tanh_c**2)  # total d/d c_t
        norms[:, t] = np.linalg.norm(grad_h if wrt == "h" else grad_c, axis=1)
        i, f, g, o = trace.i[:, t], trace.f[:, t], trace.g[:, t], trace.o[:, t]
        c_previous = trace.c[:, t - 1] if t > 0 else c_initial
        grad_pre = np.concatenate(
            [grad_c * g * i * (1 - i), grad_c * c_previous * f * (1 - f), grad_c * i * (1 - g**2),
             grad_h * tanh_c * o * (1 - o)],
            axis=1,
        )  # (batch, 4u): d/d(pre-activations) of i, f, g, o
        grad_h = grad_pre @ recurrent_kernel.T  # d/d h_{t-1}
        grad_c_future = grad_c * f  # the constant error carousel: d c_t / d c_{t-1} = f_t
    return norms


def gru_forward(x, kernel, recurrent_kernel, bias, h0=None) -> GRUTrace:
    """Run a GRU over x (batch, T, input) exactly as keras.layers.GRU(reset_after=True) does (notebook 02).

    z = sigmoid(x W_z + b_z + h U_z + b'_z), r likewise, candidate = tanh(x W_h + b_h + r * (h U_h + b'_h)),
    h_t = z * h_{t-1} + (1 - z) * candidate; bias is (2, 3u): row 0 input, row 1 recurrent.
    """
    x, kernel, recurrent_kernel, units = _check_inputs(x, kernel, recurrent_kernel, 3)
    bias = as_float_array("bias", bias, ndim=2)
    check_shape("bias", bias, (2, 3 * units))
    batch, steps, _ = x.shape
    h = _initial_state("h0", h0, batch, units)
    trace = {name: np.empty((batch, steps, units)) for name in GRUTrace._fields}
    inputs_projected = x @ kernel + bias[0]  # (batch, T, 3u)
    for t in range(steps):
        from_input = inputs_projected[:, t]
        from_state = h @ recurrent_kernel + bias[1]  # (batch, 3u)
        z = _sigmoid(from_input[:, :units] + from_state[:, :units])
        r = _sigmoid(from_input[:, units : 2 * units] + from_state[:, units : 2 * units])
        candidate = np.tanh(from_input[:, 2 * units :] + r * from_state[:, 2 * units :])
        h = z * h + (1.0 - z) * candidate
        for name, value in zip(GRUTrace._fields, (h, z, r, candidate), strict=True):
            trace[name][:, t] = value
    return GRUTrace(**trace)


def lstm_parameter_count(input_size: int, units: int) -> int:
    """Trainable parameters of keras.layers.LSTM: 4 (input*u + u*u + u) (notebook 02)."""
    input_size = check_int("input_size", input_size, minimum=1)
    units = check_int("units", units, minimum=1)
    return 4 * (input_size * units + units * units + units)


def gru_parameter_count(input_size: int, units: int) -> int:
    """Trainable parameters of keras.layers.GRU(reset_after=True): 3 (input*u + u*u + 2u) (notebook 02)."""
    input_size = check_int("input_size", input_size, minimum=1)
    units = check_int("units", units, minimum=1)
    return 3 * (input_size * units + units * units + 2 * units)


def set_lstm_biases(layer, forget, input=None) -> None:
    """Set the forget-gate (and optionally input-gate) slices of a built keras.layers.LSTM's bias (notebook 02).

    `forget` and `input` are numbers or arrays of shape (units,); the other slices are left as they are.
    """
    weights = layer.get_weights()
    if len(weights) != 3 or weights[2].ndim != 1 or weights[2].shape[0] % 4:
        raise ValueError(f"layer must be a built keras.layers.LSTM with a bias, got {type(layer).__name__}")
    units = weights[2].shape[0] // 4
    for name, value, start in (("forget", forget, units), ("input", input, 0)):
        if value is None:
            continue
        value = as_float_array(name, value, ndim=None)
        if value.ndim > 1 or value.size not in (1, units):
            raise ValueError(f"{name} must be a number or an array of shape ({units},), got shape {value.shape}")
        weights[2][start : start + units] = value
    layer.set_weights(weights)


def chrono_forget_bias(units: int, max_lag: int, seed: int = 0) -> np.ndarray:
    """Forget biases log(U(1, max_lag - 1)) of Tallec & Ollivier (2018), "chrono" initialisation (notebook 02).

    A unit whose forget gate is sigmoid(b) forgets with a time constant of about 1 + e^b steps, so these
    biases spread the units' memory spans between 1 and max_lag steps; use -bias for the input gate.
    """
    units = check_int("units", units, minimum=1)
    max_lag = check_int("max_lag", max_lag, minimum=3)
    seed = check_int("seed", seed, minimum=0)
    return np.log(np.random.default_rng(seed).uniform(1.0, max_lag - 1.0, size=units))


def solved_fraction(predictions, targets, tolerance: float = 0.04) -> float:
    """Fraction of sequences whose absolute error is below `tolerance` (the paper's criterion, notebook 02)."""
    predictions = as_float_array("predictions", predictions).reshape(-1)
    targets = as_float_array("targets", targets).reshape(-1)
    if predictions.shape != targets.shape:
        raise ValueError(f"predictions must have as many values as targets ({targets.size}), got {predictions.size}")
    tolerance = check_float("tolerance", tolerance, minimum=0.0)
    return float(np.mean(np.abs(predictions - targets) < tolerance))


class AddingRun(NamedTuple):
    """What `train_until_solved` measured (notebook 02)."""

    sequences: int  # training sequences seen when training stopped
    reached: bool  # whether the solved fraction reached the target within the budget
    solved: float  # fraction of the test set solved (|error| < 0.04) at the end
    mean_absolute_error: float  # on the test set, at the end
    seconds: float  # wall time of the training steps and test-set checks (drawing the batches excluded)
    history: np.ndarray  # (checks, 3): sequences seen, solved fraction, mean absolute error


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
        from course_utils.data import adding_problem

        index = check_int("index", index, minimum=0)
        batch_size = check_int("batch_size", batch_size, minimum=1)
        if self.chunk_size % batch_size:
            raise ValueError(f"batch_size must divide chunk_size={self.chunk_size}, got {batch_size}")
        chunk, offset = divmod(index * batch_size, self.chunk_size)
        if chunk not in self._chunks:
            self._chunks[chunk] = adding_problem(self.chunk_size, self.T, seed=self.seed * 10**6 + chunk)
        x, y = self._chunks[chunk]
        return x[offset : offset + batch_size], y[offset : offset + batch_size]


def train_until_solved(model, stream: AddingProblemStream, x_test, y_test, batch_size: int = 64,
                       max_sequences: int = 74_000, target_solved: float = 0.99,
                       check_every: int = 25) -> AddingRun:
    """Train a compiled Keras model on a stream of adding-problem batches until it solves the test set (notebook 02).

    Every `check_every` steps the test set is predicted; training stops as soon as the fraction with
    |error| < 0.04 reaches `target_solved`, or when `max_sequences` training sequences have been seen.
    """
    import time

    if not isinstance(stream, AddingProblemStream):
        raise TypeError(f"stream must be an AddingProblemStream, got {type(stream).__name__}")
    x_test = as_float_array("x_test", x_test, ndim=3).astype(np.float32)
    y_test = as_float_array("y_test", y_test, ndim=1)
    if x_test.shape[0] != y_test.shape[0]:
        raise ValueError(f"y_test must have one target per test sequence ({x_test.shape[0]}), got {y_test.shape[0]}")
    batch_size = check_int("batch_size", batch_size, minimum=1)
    max_sequences = check_int("max_sequences", max_sequences, minimum=batch_size)
    target_solved = check_float("target_solved", target_solved, minimum=0.0, maximum=1.0)
    check_every = check_int("check_every", check_every, minimum=1)

    def evaluate() -> tuple[float, float]:
        predictions = np.asarray(model.predict_on_batch(x_test), dtype=np.float64).reshape(-1)
        return solved_fraction(predictions, y_test), float(np.mean(np.abs(predictions - y_test)))

    history = []
    seconds, sequences, step = 0.0, 0, 0
    while sequences + batch_size <= max_sequences:
        x, y = stream.batch(step, batch_size)  # drawn once, shared by every model: not timed
        start = time.perf_counter()
        model.train_on_batch(x, y)
        sequences += batch_size
        step += 1
        if step % check_every == 0 or sequences + batch_size > max_sequences:
            history.append((sequences, *evaluate()))
        seconds += time.perf_counter() - start
        if history and history[-1][0] == sequences and history[-1][1] >= target_solved:
            break
    last = history[-1]
    return AddingRun(sequences, bool(last[1] >= target_solved), float(last[1]), float(last[2]), seconds,
                     np.array(history, dtype=np.float64))
