"""The LSTM and GRU cells in NumPy, with Keras's weight layout, and gradient flow through them (notebook 02).

Weights are exactly what `keras.layers.LSTM(units).get_weights()` returns: kernel (input, 4u),
recurrent_kernel (u, 4u), bias (4u), gates in the order i, f, c (the candidate, called g here), o.
For `keras.layers.GRU(units)` (default `reset_after=True`): kernel (input, 3u), recurrent_kernel
(u, 3u), bias (2, 3u) (row 0 for the input, row 1 for the recurrent part), gates in the order z, r, h.
The same LSTM cell also runs the trained Embedding -> LSTM -> Dense models of notebooks 05 and 09 in NumPy
(`embedding_lstm_weights`, `run_embedding_lstm`), where sampling carries the state from one step to the next.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_utils.validation import as_array, as_float_array, check_int, check_shape


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
    if not isinstance(wrt, str) or wrt not in ("h", "c"):
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


# --------------------------------------------------------------------------- Embedding -> LSTM -> Dense, in NumPy

class EmbeddingLSTMWeights(NamedTuple):
    """The weights of an Embedding -> LSTM -> Dense model as float64 arrays, in Keras's layout (notebooks 05, 09)."""

    embedding: np.ndarray  # (V, embedding_dim)
    kernel: np.ndarray  # (k * embedding_dim, 4 units) for k ids a step, gates i, f, c, o as in Keras
    recurrent_kernel: np.ndarray  # (units, 4 units)
    bias: np.ndarray  # (4 units,)
    dense_kernel: np.ndarray  # (units, k * K) for k softmaxes of K classes a step
    dense_bias: np.ndarray  # (k * K,)


class EmbeddingLSTMTrace(NamedTuple):
    """A NumPy run of an Embedding -> LSTM -> Dense model: h, c (batch, T, units), probabilities (batch, T[, k], K)."""

    h: np.ndarray
    c: np.ndarray
    probabilities: np.ndarray


def embedding_lstm_weights(model) -> EmbeddingLSTMWeights:
    """The weights of a Keras model with layers named embedding, lstm and logits, or checked ones (notebooks 05, 09).

    Such models are made by `course_utils.text.build_char_lstm` and `course_utils.music.build_chorale_lstm`;
    an `EmbeddingLSTMWeights` is checked and returned as float64 arrays, so they can be read once and reused.
    """
    if isinstance(model, EmbeddingLSTMWeights):
        arrays = tuple(model)
    else:
        try:
            (embedding,) = model.get_layer("embedding").get_weights()
            kernel, recurrent_kernel, bias = model.get_layer("lstm").get_weights()
            dense_kernel, dense_bias = model.get_layer("logits").get_weights()
        except (AttributeError, TypeError, ValueError) as error:
            raise TypeError("model must be a Keras model with layers named embedding, lstm and logits (as "
                            f"build_char_lstm and build_chorale_lstm make), got {type(model).__name__}: {error}"
                            ) from None
        arrays = (embedding, kernel, recurrent_kernel, bias, dense_kernel, dense_bias)
    ranks = (2, 2, 2, 1, 2, 1)
    embedding, kernel, recurrent_kernel, bias, dense_kernel, dense_bias = (
        as_float_array(name, value, ndim=rank)
        for name, value, rank in zip(EmbeddingLSTMWeights._fields, arrays, ranks, strict=True))
    units = recurrent_kernel.shape[0]
    check_shape("recurrent_kernel", recurrent_kernel, (units, 4 * units))
    check_shape("bias", bias, (4 * units,))
    check_shape("dense_kernel", dense_kernel, (units, None))
    check_shape("dense_bias", dense_bias, (dense_kernel.shape[1],))
    if kernel.shape[1] != 4 * units or kernel.shape[0] % embedding.shape[1]:
        raise ValueError(f"kernel must have shape (k * embedding_dim {embedding.shape[1]}, 4 * units {4 * units}), "
                         f"got {kernel.shape}")
    return EmbeddingLSTMWeights(embedding, kernel, recurrent_kernel, bias, dense_kernel, dense_bias)


def _softmax(logits: np.ndarray) -> np.ndarray:
    """exp(logits) / sum(exp(logits)) along the last axis, without overflow."""
    weights = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return weights / weights.sum(axis=-1, keepdims=True)


def run_embedding_lstm(model, ids, h0=None, c0=None) -> EmbeddingLSTMTrace:
    """Run an Embedding -> LSTM -> Dense model in NumPy on ids (batch, T[, k]) from the state h0, c0 (notebooks 05, 09).

    `model` is a Keras model or its `embedding_lstm_weights`. With k ids a step (notebook 09: the four voices of a
    beat) their embeddings are read side by side and the logits split into k softmaxes, as the model's Reshape
    layers do. Uses `lstm_forward`, so it also returns the cell states, which Keras does not, and the last state
    can be passed back in: sampling then reads one step at a time instead of re-reading the whole sequence.
    """
    weights = embedding_lstm_weights(model)
    ids = as_array("ids", ids, "an array (batch, T) or (batch, T, k) of integer ids")
    if ids.ndim not in (2, 3) or not np.issubdtype(ids.dtype, np.integer):
        raise TypeError(f"ids must be a (batch, T) or (batch, T, k) array of integer ids, got shape {ids.shape} "
                        f"and dtype {ids.dtype}")
    vocabulary_size, embedding_dim = weights.embedding.shape
    if ids.size == 0 or ids.min() < 0 or ids.max() >= vocabulary_size:
        raise ValueError(f"ids must be a non-empty array of ids 0-{vocabulary_size - 1}, got shape {ids.shape}")
    per_step = ids.shape[2] if ids.ndim == 3 else 1
    if weights.kernel.shape[0] != per_step * embedding_dim or weights.dense_kernel.shape[1] % per_step:
        raise ValueError(f"ids must hold {weights.kernel.shape[0] // embedding_dim} ids a step for this model, "
                         f"got {per_step} (shape {ids.shape})")
    batch, steps = ids.shape[:2]
    inputs = weights.embedding[ids].reshape(batch, steps, -1)  # (batch, T, k * embedding_dim): side by side
    trace = lstm_forward(inputs, weights.kernel, weights.recurrent_kernel, weights.bias, h0, c0)
    logits = trace.h @ weights.dense_kernel + weights.dense_bias  # (batch, T, k * K)
    return EmbeddingLSTMTrace(trace.h, trace.c, _softmax(logits.reshape(ids.shape + (-1,))))
