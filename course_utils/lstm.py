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


# --------------------------------------------------------------------------- the cells, drawn

def _cell_drawing(ax, highlight: str | None):
    """Drawing primitives on `ax`; a primitive of a part other than `highlight` is faded (None: nothing is)."""
    from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch  # imported here: course_utils stays light

    def alpha(part):  # the state along the top stays in view, half faded, while a gate is shown
        return 1.0 if highlight is None or part in (None, highlight) else 0.45 if part == "state" else 0.15

    def arrow(points, part=None, color="black", width=1.5, head=True):  # a polyline, with a head at its end
        for start, end in zip(points[:-1], points[1:], strict=True):
            style = "-|>" if head and end == points[-1] else "-"
            ax.add_patch(FancyArrowPatch(start, end, arrowstyle=style, mutation_scale=14, color=color,
                                         linewidth=width, alpha=alpha(part), shrinkA=0, shrinkB=0))

    def box(xy, label, part, colour, size=(0.9, 0.9)):  # a layer: a weight matrix and a squashing function
        corner = (xy[0] - size[0] / 2, xy[1] - size[1] / 2)
        ax.add_patch(FancyBboxPatch(corner, *size, boxstyle="round,pad=0.03", facecolor=colour, edgecolor="black",
                                    alpha=alpha(part)))
        ax.text(*xy, label, ha="center", va="center", fontsize=10, alpha=alpha(part))

    def operation(xy, symbol, part):  # a point-wise operation: x, + or 1-
        ax.add_patch(Circle(xy, 0.27, facecolor="white", edgecolor="black", zorder=3, alpha=alpha(part)))
        ax.text(*xy, symbol, ha="center", va="center", fontsize=12, zorder=4, alpha=alpha(part))

    def text(xy, label, part=None, **style):
        ax.text(*xy, label, fontsize=style.pop("fontsize", 12), alpha=alpha(part), **style)

    return arrow, box, operation, text


@checked(highlight=(None, "state", "forget", "input", "output"), ax="Axes or None")
def draw_lstm_cell(highlight: str | None = None, ax=None):
    """Draw one LSTM step, after colah's pictures (notebook 02); `highlight` one part and fade the others.

    The cell state c runs along the top, touched by one multiplication (forget) and one addition (write); below,
    [h_{t-1}, x_t] feeds the gates f, i, o (sigmoid) and the candidate g (tanh). The parts: "state" (the cell state),
    "forget", "input" (i and g, and what they write) and "output" (o, and h_t). Returns the matplotlib Axes.
    """
    import matplotlib.pyplot as plt  # imported here: importing course_utils stays light

    ax = ax or plt.subplots(figsize=(8, 4.6))[1]
    arrow, box, operation, text = _cell_drawing(ax, highlight)
    ax.add_patch(plt.Rectangle((0.8, 0.6), 8.4, 4.6, facecolor="#f4f4f4", edgecolor="gray", zorder=0))
    arrow([(0.2, 4.6), (9.8, 4.6)], "state", color="tab:blue", width=3)  # the cell state, c_{t-1} -> c_t
    for xy, label in (((0.2, 4.8), "$c_{t-1}$"), ((9.3, 4.8), "$c_t$")):
        text(xy, label, "state", color="tab:blue")
    arrow([(0.2, 1.2), (6.9, 1.2)], head=False)  # h_{t-1} joins x_t: [h_{t-1}, x_t] feeds every layer
    arrow([(1.6, 0.0), (1.6, 1.2)], head=False)
    for xy, label in (((0.1, 0.8), "$h_{t-1}$"), ((1.7, 0.05), "$x_t$")):
        text(xy, label)
    for label, x, part, colour in (("$f_t$\nσ", 2.5, "forget", "#f4b6b6"), ("$i_t$\nσ", 4.0, "input", "#bfe3c0"),
                                   ("$g_t$\ntanh", 5.2, "input", "#e3eaa0"), ("$o_t$\nσ", 6.9, "output", "#d3c6ea")):
        box((x, 2.45), label, part, colour)
        arrow([(x, 1.2), (x, 2.0)], part)
    operation((2.5, 4.6), "×", "forget")  # keep f_t of the old cell
    arrow([(2.5, 2.9), (2.5, 4.33)], "forget")
    operation((4.6, 3.6), "×", "input")  # write i_t of the candidate g_t
    operation((4.6, 4.6), "+", "input")
    for points in ([(4.0, 2.9), (4.4, 3.4)], [(5.2, 2.9), (4.8, 3.4)], [(4.6, 3.87), (4.6, 4.33)]):
        arrow(points, "input")
    box((8.2, 3.6), "tanh", "output", "white", size=(0.9, 0.5))  # read the cell, squashed, through o_t
    operation((8.2, 2.45), "×", "output")
    for points in ([(8.2, 4.6), (8.2, 3.85)], [(8.2, 3.35), (8.2, 2.72)], [(7.35, 2.45), (7.93, 2.45)]):
        arrow(points, "output")
    arrow([(8.2, 2.18), (8.2, 1.6), (9.8, 1.6)], "output")  # h_t: to the next step (right) and out (up)
    arrow([(9.0, 1.6), (9.0, 5.9)], "output", color="gray", width=1.0)
    text((9.3, 1.75), "$h_t$", "output")
    ax.set(xlim=(0, 10), ylim=(-0.2, 6.1))
    ax.set_axis_off()
    return ax


@checked(highlight=(None, "state", "update", "reset"), ax="Axes or None")
def draw_gru_cell(highlight: str | None = None, ax=None):
    """Draw one GRU step as Keras computes it (reset_after=True), in the style of draw_lstm_cell (notebook 02).

    The state h runs along the top; the update gate z keeps z of it and adds 1 - z of the candidate (Keras's and Cho et
    al.'s convention); the reset gate r scales h_{t-1} U_h. Parts: "state", "update", "reset". Returns the Axes."""
    import matplotlib.pyplot as plt  # imported here: importing course_utils stays light

    ax = ax or plt.subplots(figsize=(8, 4.6))[1]
    arrow, box, operation, text = _cell_drawing(ax, highlight)
    ax.add_patch(plt.Rectangle((0.8, 0.3), 8.4, 4.9, facecolor="#f4f4f4", edgecolor="gray", zorder=0))
    arrow([(0.2, 4.6), (9.8, 4.6)], "state", color="tab:blue", width=3)  # the state, h_{t-1} -> h_t
    arrow([(9.0, 4.6), (9.0, 5.9)], "state", color="gray", width=1.0)  # h_t is also the output
    for xy, label in (((0.2, 4.8), "$h_{t-1}$"), ((9.3, 4.8), "$h_t$")):
        text(xy, label, "state", color="tab:blue")
    arrow([(0.5, 4.6), (0.5, 1.4), (3.2, 1.4)], head=False)  # h_{t-1} joins x_t: [h_{t-1}, x_t] feeds z and r
    arrow([(1.3, -0.1), (1.3, 0.8), (5.8, 0.8), (5.8, 2.0)])  # x_t, to both gates and to the candidate
    arrow([(1.3, 0.8), (1.3, 1.4)], head=False)
    text((1.4, -0.1), "$x_t$")
    box((2.0, 2.45), "$z_t$\nσ", "update", "#bfe3c0")
    box((3.2, 2.45), "$r_t$\nσ", "reset", "#f4b6b6")
    box((5.8, 2.45), "$\\tilde h_t$\ntanh", None, "#e3eaa0")
    arrow([(2.0, 1.4), (2.0, 2.0)], "update")
    arrow([(3.2, 1.4), (3.2, 2.0)], "reset")
    operation((4.5, 2.45), "×", "reset")  # r_t scales the recurrent part of the candidate
    for points in ([(3.65, 2.45), (4.23, 2.45)], [(4.5, 4.6), (4.5, 2.72)], [(4.77, 2.45), (5.35, 2.45)]):
        arrow(points, "reset")
    text((4.6, 3.25), "$h_{t-1} U_h$", "reset", fontsize=9)
    arrow([(2.0, 2.9), (2.0, 3.8), (7.0, 3.8), (7.0, 4.33)], "update")  # keep z_t of the old state
    operation((7.0, 4.6), "×", "update")
    operation((7.7, 3.3), "1−", "update")
    arrow([(7.0, 3.8), (7.5, 3.48)], "update", head=False)
    operation((7.7, 2.45), "×", "update")  # and add 1 - z_t of the candidate
    arrow([(7.7, 3.03), (7.7, 2.72)], "update")
    arrow([(6.25, 2.45), (7.43, 2.45)], None)
    operation((8.4, 4.6), "+", "update")
    arrow([(7.97, 2.45), (8.4, 2.45), (8.4, 4.33)], "update")
    ax.set(xlim=(0, 10), ylim=(-0.3, 6.1))
    ax.set_axis_off()
    return ax
