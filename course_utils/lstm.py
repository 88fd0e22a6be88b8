"""The LSTM and GRU cells in NumPy, with Keras's weight layout, their gradient flow and initialisation (notebook 02).

Weights are exactly what `keras.layers.LSTM(units).get_weights()` returns: kernel (input, 4u),
recurrent_kernel (u, 4u), bias (4u), gates in the order i, f, c (the candidate, called g here), o.
For `keras.layers.GRU(units)` (default `reset_after=True`): kernel (input, 3u), recurrent_kernel
(u, 3u), bias (2, 3u) (row 0 for the input, row 1 for the recurrent part), gates in the order z, r, h.
`set_lstm_biases` and `chrono_forget_bias` set the gate biases of a Keras LSTM (notebooks 01, 02).
"""

from __future__ import annotations

import sys
from typing import NamedTuple

import numpy as np

from course_utils.validation import checked


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


@checked(x="(batch, T, input) floats", recurrent_kernel="(units, 4*units) floats", kernel="(input, 4*units) floats",
         bias="(4*units,) floats", h0="(batch, units) floats or zeros", c0="(batch, units) floats or zeros")
def lstm_forward(x, kernel, recurrent_kernel, bias, h0=None, c0=None) -> LSTMTrace:
    """Run an LSTM over x (batch, T, input) with Keras's weights and return every state and gate (notebook 02).

    Keras stores the gates' weights side by side in the order i, f, c (our g), o; h0 and c0 default to zeros.
    """
    W_i, W_f, W_g, W_o = np.split(kernel, 4, axis=1)  # each (input, units)
    U_i, U_f, U_g, U_o = np.split(recurrent_kernel, 4, axis=1)  # each (units, units)
    b_i, b_f, b_g, b_o = np.split(bias, 4)  # each (units,)
    h, c, steps = h0, c0, []
    for t in range(x.shape[1]):
        x_t = x[:, t]  # (batch, input)
        i = _sigmoid(x_t @ W_i + h @ U_i + b_i)  # input gate: how much to write, (batch, units)
        f = _sigmoid(x_t @ W_f + h @ U_f + b_f)  # forget gate: how much of the cell to keep
        g = np.tanh(x_t @ W_g + h @ U_g + b_g)  # candidate: what to write
        o = _sigmoid(x_t @ W_o + h @ U_o + b_o)  # output gate: how much of the cell to show
        c = f * c + i * g  # the cell state: kept by f, written by i
        h = o * np.tanh(c)  # the output: a gated view of the cell
        steps.append((h, c, i, f, g, o))
    return LSTMTrace(*(np.stack(values, axis=1) for values in zip(*steps, strict=True)))  # each (batch, T, units)


@checked(x="(batch, T, input) floats", recurrent_kernel="(units, 4*units) floats", kernel="(input, 4*units) floats",
         bias="(4*units,) floats", h0="(batch, units) floats or zeros", c0="(batch, units) floats or zeros",
         wrt=("h", "c"))
def lstm_gradient_norms(x, kernel, recurrent_kernel, bias, h0=None, c0=None, wrt: str = "h") -> np.ndarray:
    """Norms (batch, T) of d(sum of h_T) / d h_t (or d c_t with wrt="c"), by BPTT in NumPy (notebook 02).

    The LSTM counterpart of `course_utils.rnn.bptt_gradient_norms`: entry [b, t] measures how much the last hidden
    state still depends on the state at step t. With wrt="h", c_t is held fixed, so [b, T-1] is sqrt(units); with
    wrt="c" the gradient reaches c_t through h_t and through c_{t+1}.
    """
    trace = lstm_forward(x, kernel, recurrent_kernel, bias, h0, c0)  # each (batch, T, units)
    norms = np.empty(trace.h.shape[:2])  # (batch, T)
    grad_h = np.ones_like(h0)  # d(sum h_T) / d h_T, (batch, units)
    grad_c_later = np.zeros_like(c0)  # the gradient reaching c_t from c_{t+1}, not through h_t
    for t in range(x.shape[1] - 1, -1, -1):
        i, f, g, o, c = trace.i[:, t], trace.f[:, t], trace.g[:, t], trace.o[:, t], trace.c[:, t]
        c_before = trace.c[:, t - 1] if t > 0 else c0
        grad_c = grad_c_later + grad_h * o * (1 - np.tanh(c) ** 2)  # all of d/d c_t
        norms[:, t] = np.linalg.norm(grad_h if wrt == "h" else grad_c, axis=1)
        grad_i = grad_c * g * i * (1 - i)  # d/d(pre-activation) of each gate, (batch, units)
        grad_f = grad_c * c_before * f * (1 - f)
        grad_g = grad_c * i * (1 - g**2)
        grad_o = grad_h * np.tanh(c) * o * (1 - o)
        grad_h = np.concatenate([grad_i, grad_f, grad_g, grad_o], axis=1) @ recurrent_kernel.T  # d/d h_{t-1}
        grad_c_later = grad_c * f  # the constant error carousel: d c_t / d c_{t-1} = f_t
    return norms


@checked(x="(batch, T, input) floats", recurrent_kernel="(units, 3*units) floats", kernel="(input, 3*units) floats",
         bias="(2, 3*units) floats", h0="(batch, units) floats or zeros")
def gru_forward(x, kernel, recurrent_kernel, bias, h0=None) -> GRUTrace:
    """Run a GRU over x (batch, T, input) exactly as keras.layers.GRU(reset_after=True) does (notebook 02).

    Keras stores the gates' weights side by side in the order z, r, h (our candidate); bias is (2, 3 units): row 0
    is added to the input part, row 1 to the recurrent part, which the reset gate scales. h0 defaults to zeros.
    """
    W_z, W_r, W_h = np.split(kernel, 3, axis=1)  # each (input, units)
    U_z, U_r, U_h = np.split(recurrent_kernel, 3, axis=1)  # each (units, units)
    (b_z, b_r, b_h), (bu_z, bu_r, bu_h) = np.split(bias[0], 3), np.split(bias[1], 3)  # each (units,)
    h, steps = h0, []
    for t in range(x.shape[1]):
        x_t = x[:, t]  # (batch, input)
        z = _sigmoid(x_t @ W_z + b_z + h @ U_z + bu_z)  # update gate: how much of the old state to keep
        r = _sigmoid(x_t @ W_r + b_r + h @ U_r + bu_r)  # reset gate: how much of the old state the candidate sees
        candidate = np.tanh(x_t @ W_h + b_h + r * (h @ U_h + bu_h))  # (batch, units)
        h = z * h + (1.0 - z) * candidate
        steps.append((h, z, r, candidate))
    return GRUTrace(*(np.stack(values, axis=1) for values in zip(*steps, strict=True)))  # each (batch, T, units)


@checked(input_size="int >= 1", units="int >= 1")
def lstm_parameter_count(input_size: int, units: int) -> int:
    """Trainable parameters of keras.layers.LSTM: 4 (input*u + u*u + u) (notebook 02)."""
    return 4 * (input_size * units + units * units + units)


@checked(input_size="int >= 1", units="int >= 1")
def gru_parameter_count(input_size: int, units: int) -> int:
    """Trainable parameters of keras.layers.GRU(reset_after=True): 3 (input*u + u*u + 2u) (notebook 02)."""
    return 3 * (input_size * units + units * units + 2 * units)


# --------------------------------------------------------------------------- a Keras LSTM's gate biases

def _built_lstm(name: str, layer, dims: dict):
    """A built keras.layers.LSTM, which fixes `units` for the arguments after it."""
    keras = sys.modules.get("keras")  # not loaded: `layer` cannot be a Keras layer
    if keras is None or not isinstance(layer, keras.layers.LSTM) or not layer.built or not layer.use_bias:
        raise TypeError(f"{name} must be a built keras.layers.LSTM with a bias, got {type(layer).__name__}")
    dims["units"] = layer.units
    return layer


@checked(layer=_built_lstm, forget="float or (units,) floats", input="float or (units,) floats or None")
def set_lstm_biases(layer, forget, input=None) -> None:
    """Set the forget-gate (and optionally input-gate) slices of a built keras.layers.LSTM's bias (notebooks 01, 02).

    `forget` and `input` are numbers or arrays of shape (units,); the other slices are left as they are.
    """
    kernel, recurrent_kernel, bias = layer.get_weights()  # bias (4 units,): the gates i, f, c, o side by side
    units = layer.units
    bias[units : 2 * units] = forget
    if input is not None:
        bias[:units] = input
    layer.set_weights([kernel, recurrent_kernel, bias])


@checked(units="int >= 1", max_lag="int >= 3", seed="int >= 0")
def chrono_forget_bias(units: int, max_lag: int, seed: int = 0) -> np.ndarray:
    """Forget biases log(U(1, max_lag - 1)) of Tallec & Ollivier (2018), "chrono" initialisation (notebooks 01, 02).

    A unit whose forget gate is sigmoid(b) forgets with a time constant of about 1 + e^b steps, so these
    biases spread the units' memory spans between 1 and max_lag steps; use -bias for the input gate.
    """
    return np.log(np.random.default_rng(seed).uniform(1.0, max_lag - 1.0, size=units))
