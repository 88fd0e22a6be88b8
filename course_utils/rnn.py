"""A plain (Elman) RNN in NumPy, its backpropagation through time, its recurrent matrix, and its memory task.

Weights are laid out exactly as `keras.layers.SimpleRNN(...).get_weights()` returns them:
kernel (features, units), recurrent_kernel (units, units), bias (units,), and the recurrence is
h_t = tanh(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias), with h_{-1} = h0 (zeros by default).
Used by notebook 01 (and by notebook 02 to compare the LSTM's gradient flow with this one's).
"""

from __future__ import annotations

import numpy as np

from course_utils.validation import checked


@checked(x="(batch, T, features) floats", kernel="(features, units) floats", recurrent_kernel="(units, units) floats",
         bias="(units,) floats", h0="(batch, units) floats or zeros")
def simple_rnn_forward(x, kernel, recurrent_kernel, bias, h0=None) -> np.ndarray:
    """Hidden states (batch, T, units) of a tanh SimpleRNN with Keras's weight layout (notebook 01)."""
    h = h0  # (batch, units)
    states = []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ kernel + h @ recurrent_kernel + bias)  # (batch, units)
        states.append(h)
    return np.stack(states, axis=1)  # (batch, T, units)


@checked(grad_h="(batch, units) floats", h="(batch, units) floats", recurrent_kernel="(units, units) floats")
def bptt_step(grad_h, h, recurrent_kernel) -> np.ndarray:
    """One step of backpropagation through time (notebook 01): dL/dh_t and h_t -> dL/dh_{t-1}.

    Since h_t = tanh(z_t) with z_t = ... + h_{t-1} @ U, the chain rule gives
    dL/dh_{t-1} = (dL/dh_t * (1 - h_t**2)) @ U.T: the vector times the Jacobian diag(1 - h_t**2) U^T.
    """
    return (grad_h * (1.0 - h**2)) @ recurrent_kernel.T  # (batch, units)


@checked(x="(batch, T, features) floats", kernel="(features, units) floats", recurrent_kernel="(units, units) floats",
         bias="(units,) floats", h0="(batch, units) floats or zeros")
def bptt_gradients(x, kernel, recurrent_kernel, bias, h0=None) -> np.ndarray:
    """d(sum of h_T[b]) / d h_t[b] for every t, shape (batch, T, units), by BPTT in NumPy (notebook 01)."""
    states = simple_rnn_forward(x, kernel, recurrent_kernel, bias, h0)  # (batch, T, units)
    grad_h = np.ones_like(states[:, -1])  # d(sum of h_T) / d h_T: a vector of ones, (batch, units)
    gradients = [grad_h]
    for t in range(states.shape[1] - 1, 0, -1):  # from the last step back to the first
        grad_h = bptt_step(grad_h, states[:, t], recurrent_kernel)  # d/d h_{t-1}
        gradients.append(grad_h)
    return np.stack(gradients[::-1], axis=1)  # (batch, T, units), in time order


@checked(x="(batch, T, features) floats", kernel="(features, units) floats", recurrent_kernel="(units, units) floats",
         bias="(units,) floats", h0="(batch, units) floats or zeros")
def bptt_gradient_norms(x, kernel, recurrent_kernel, bias, h0=None) -> np.ndarray:
    """L2 norms (batch, T) of d(sum of h_T[b]) / d h_t[b]; [b, T-1] is sqrt(units) (notebooks 01, 02)."""
    return np.linalg.norm(bptt_gradients(x, kernel, recurrent_kernel, bias, h0), axis=-1)


@checked(matrix="(rows, columns) floats")
def largest_singular_value(matrix) -> float:
    """Largest singular value (spectral norm) of a 2-D matrix, e.g. the recurrent kernel (notebook 01)."""
    with np.errstate(over="ignore", invalid="ignore"):  # checked below, with a message that says what to do
        value = float(np.linalg.norm(matrix, ord=2))
    if not np.isfinite(value):
        raise ValueError(f"matrix's largest singular value overflows float64 (largest |entry| "
                         f"{np.max(np.abs(matrix)):.3g}): rescale the matrix first")
    return value


@checked(matrix="(n, n) floats")
def spectral_radius(matrix) -> float:
    """Largest absolute eigenvalue of a square matrix (notebook 01); never above the largest singular value."""
    return float(np.max(np.abs(np.linalg.eigvals(matrix))))


@checked(matrix="(rows, columns) floats", target="float >= 0")
def scale_to_singular_value(matrix, target) -> np.ndarray:
    """`matrix` rescaled so that its largest singular value is `target` (notebook 01)."""
    current = largest_singular_value(matrix)
    if current == 0.0:
        raise ValueError(f"matrix must have a nonzero singular value to be rescaled, got all zeros {matrix.shape}")
    return matrix * (target / current)


@checked(singular_value="float >= 0", lags="(lags,) floats >= 0", units="int >= 1", gamma="float >= 0")
def pascanu_bound(singular_value, lags, units: int, gamma: float = 1.0) -> np.ndarray:
    """Upper bound sqrt(units) * (gamma * singular_value) ** lag on the BPTT gradient norm (notebook 01).

    Pascanu, Mikolov & Bengio (2013): each Jacobian diag(f'(z)) U^T has norm at most gamma * sigma_max(U),
    with gamma = 1 for tanh, and the gradient at the last step has norm sqrt(units). A bound beyond float64
    is returned as inf (no bound), without a warning.
    """
    with np.errstate(over="ignore"):  # e.g. 1e200 ** 10: the bound is inf, honestly
        return np.sqrt(units) * (gamma * singular_value) ** lags


@checked(n="int >= 1", lag="int >= 0", seed="int >= 0", noise="float >= 0")
def first_value_task(n: int, lag: int, seed: int, noise: float = 2.0) -> tuple[np.ndarray, np.ndarray]:
    """"Remember the first value" (notebook 01): the label is the sign of a value seen `lag` steps before the end.

    Each sequence has lag + 1 steps of one feature: step 0 holds +1 or -1 (the label, y = 1 or 0,
    each with probability 1/2), the `lag` steps after it hold Gaussian noise of standard deviation
    `noise`, which carries no information. The answer is read after the last step, so the model must
    carry one bit for `lag` steps through the noise; a perfect memory scores 100 %, chance is 50 %.
    Returns x of shape (n, lag + 1, 1) and y of shape (n,), float32.
    """
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size=n)  # (n,): 0 or 1
    x = rng.normal(scale=noise, size=(n, lag + 1, 1))  # (n, lag + 1, 1): distractors
    x[:, 0, 0] = 2.0 * y - 1.0  # the value to remember: -1 or +1
    return x.astype(np.float32), y.astype(np.float32)


@checked(steps="int >= 1", ax="Axes or None")
def draw_unrolled_rnn(steps: int = 4, ax=None):
    """Draw a SimpleRNN unrolled over `steps` time steps (notebook 01): one cell per step, shared W and U.

    Each step t gets an input box x_t (bottom), a cell (middle) and its state h_t (top); the state arrow from one
    cell to the next is labelled U and the input arrow W, the same matrices at every step. Returns the matplotlib
    Axes (its texts hold every label, which the notebook's check cell reads).
    """
    import matplotlib.pyplot as plt  # imported here: importing course_utils stays light
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    spacing = 2.2  # between two steps
    ax = ax or plt.subplots(figsize=(spacing * steps + 1.5, 3.6))[1]

    def box(cx, cy, text, face, width=1.0, height=0.6):
        ax.add_patch(FancyBboxPatch((cx - width / 2, cy - height / 2), width, height,
                                    boxstyle="round,pad=0.05", facecolor=face, edgecolor="black"))
        ax.text(cx, cy, text, ha="center", va="center", fontsize=12)

    def arrow(start, end, label=None, offset=(0.0, 0.0), color="black"):
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14, color=color, linewidth=1.5))
        if label is not None:
            ax.text((start[0] + end[0]) / 2 + offset[0], (start[1] + end[1]) / 2 + offset[1], label,
                    ha="center", va="center", fontsize=11, color=color)

    box(0.0, 1.5, "$h_{-1} = 0$", "white", width=1.1)
    for t in range(steps):
        cx = spacing * (t + 1)
        box(cx, 1.5, "tanh", "#cfe2f3", width=1.1, height=0.8)  # the cell: the same weights at every step
        box(cx, 0.0, f"$x_{{{t}}}$", "#fde9c9")
        box(cx, 3.0, f"$h_{{{t}}}$", "#d9ead3")
        arrow((cx, 0.3), (cx, 1.1), "W", offset=(0.22, 0.0), color="tab:orange")
        arrow((cx, 1.9), (cx, 2.7))
        arrow((cx - spacing + 0.6, 1.5), (cx - 0.6, 1.5), "U", offset=(0.0, 0.22), color="tab:blue")
    ax.text(spacing * (steps + 0.55), 1.5, "...", ha="center", va="center", fontsize=14)
    ax.set(xlim=(-0.8, spacing * (steps + 0.8)), ylim=(-0.6, 3.6))
    ax.set_axis_off()
    ax.set_title(f"A SimpleRNN unrolled over {steps} steps: the same W and U at every step, "
                 "$h_t = \\tanh(x_t W + h_{t-1} U + b)$", fontsize=10)
    return ax
