"""A plain (Elman) RNN in NumPy, its backpropagation through time, its recurrent matrix, and its memory task.

Weights are laid out exactly as `keras.layers.SimpleRNN(...).get_weights()` returns them:
kernel (features, units), recurrent_kernel (units, units), bias (units,), and the recurrence is
h_t = tanh(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias), with h_{-1} = h0 (zeros by default).
Used by notebook 01 (and by notebook 02 to compare the LSTM's gradient flow with this one's).
"""

from __future__ import annotations

import functools

import numpy as np

from course_utils.diagram import arrow, box
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
    return float(np.linalg.norm(matrix, ord=2))


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
    with gamma = 1 for tanh, and the gradient at the last step has norm sqrt(units).
    """
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

    spacing = 2.2  # between two steps
    ax = ax or plt.subplots(figsize=(spacing * steps + 1.5, 3.6))[1]
    box(ax, 0.0, 1.5, "$h_{-1} = 0$", "white", width=1.1)
    for t in range(steps):
        cx = spacing * (t + 1)
        box(ax, cx, 1.5, "tanh", "#cfe2f3", width=1.1, height=0.8)  # the cell: the same weights at every step
        box(ax, cx, 0.0, f"$x_{{{t}}}$", "#fde9c9")
        box(ax, cx, 3.0, f"$h_{{{t}}}$", "#d9ead3")
        arrow(ax, (cx, 0.3), (cx, 1.1), "W", offset=(0.22, 0.0), color="tab:orange")
        arrow(ax, (cx, 1.9), (cx, 2.7))
        arrow(ax, (cx - spacing + 0.6, 1.5), (cx - 0.6, 1.5), "U", offset=(0.0, 0.22), color="tab:blue")
    ax.text(spacing * (steps + 0.55), 1.5, "...", ha="center", va="center", fontsize=14)
    ax.set(xlim=(-0.8, spacing * (steps + 0.8)), ylim=(-0.6, 3.6))
    ax.set_axis_off()
    ax.set_title(f"A SimpleRNN unrolled over {steps} steps: the same W and U at every step, "
                 "$h_t = \\tanh(x_t W + h_{t-1} U + b)$", fontsize=10)
    return ax


@checked(steps="int >= 1", shrink="float in [0, 1]", ax="Axes or None")
def draw_backward_pass(steps: int = 4, shrink: float = 0.6, ax=None):
    """The unrolled SimpleRNN of `draw_unrolled_rnn` with the gradient's way back drawn on it (notebook 01, section 3).

    From the last state, one red arrow per step goes back along the chain, each labelled with the matrix the
    gradient is multiplied by, diag(1 - h_t^2) U^T, and each thinner by `shrink` than the one after it: how a
    gradient that shrinks at every step looks. Returns the matplotlib Axes.
    """
    from matplotlib.patches import FancyArrowPatch

    ax = draw_unrolled_rnn(steps, ax)
    spacing = 2.2  # as in draw_unrolled_rnn
    for t in range(steps, 0, -1):  # from step t back to step t - 1
        cx, width = spacing * t, 4.0 * shrink ** (steps - t)  # the last step's arrow is the thickest
        ax.add_patch(FancyArrowPatch((cx - 0.6, 2.3), (cx - spacing + 0.6, 2.3), arrowstyle="-|>",
                                     mutation_scale=10 + 4 * width, color="tab:red", linewidth=width))
        ax.text(cx - spacing / 2, 2.55, f"$\\times\\,\\mathrm{{diag}}(1-h_{{{t - 1}}}^2)\\,U^\\top$",
                ha="center", va="center", fontsize=8, color="tab:red")
    ax.text(spacing * steps + 0.75, 3.0, "$\\partial L / \\partial h_T$", ha="left", va="center", fontsize=11,
            color="tab:red")
    ax.set_title("Backpropagation through time: the gradient goes back along the same chain, multiplied at every "
                 "step by the same kind of matrix", fontsize=10)
    return ax


@checked(gradient="(2,) floats", clip_norm="float >= 0", ax="Axes or None")
def draw_clipping(gradient=(3.0, 0.6), clip_norm: float = 1.0, ax=None):
    """Three arrows: a gradient of two weight tensors (one number each), clipped by global norm and per tensor.

    Global clipping (`global_clipnorm`) rescales the whole vector to length `clip_norm`: same direction. Clipping
    each tensor on its own (`clipnorm`) shortens each part to at most `clip_norm`: the direction turns (notebook 01,
    section 5). Returns the matplotlib Axes.
    """
    import matplotlib.pyplot as plt  # imported here: importing course_utils stays light

    ax = ax or plt.subplots(figsize=(6.5, 3.2))[1]
    global_clip = gradient * min(1.0, clip_norm / np.linalg.norm(gradient))  # (2,): length clip_norm at most
    per_tensor = np.array([g * min(1.0, clip_norm / abs(g)) if g else 0.0 for g in gradient])  # (2,)
    for vector, color, label in ((gradient, "gray", "the gradient g"),
                                 (global_clip, "tab:blue", "global_clipnorm: same direction, length c"),
                                 (per_tensor, "tab:orange", "clipnorm, per tensor: shorter, and turned")):
        ax.annotate("", xy=vector, xytext=(0, 0), arrowprops=dict(arrowstyle="-|>", color=color, lw=2))
        ax.plot([], [], color=color, lw=2, label=label)
    angle = np.linspace(0, np.pi / 2, 50)
    ax.plot(clip_norm * np.cos(angle), clip_norm * np.sin(angle), "k:", lw=1, label=f"length c = {clip_norm:g}")
    ax.set(xlabel="first tensor's gradient", ylabel="second tensor's", aspect="equal",
           xlim=(-0.1, gradient[0] + 0.3), ylim=(-0.1, max(gradient[1], clip_norm) + 0.4))
    ax.legend(fontsize=8, loc="upper right")
    ax.set_title("Clipping a gradient that is too long", fontsize=10)
    return ax

# Section 6.3 of notebook 01 trains the same small model at many lags: the helpers below run exactly what
# `model.fit` would, only faster (speed tricks, named as such in the notebook).


@checked(recurrent_layer="keras.layers.Layer", learning_rate="float >= 0", clip_norm="float >= 0",
         steps_per_call="int >= 1")
def compiled_memory_model(recurrent_layer, learning_rate: float = 0.01, clip_norm: float = 1.0,
                          steps_per_call: int = 50):
    """A recurrent layer then a sigmoid unit, for sequences of any length of one feature (notebook 01, 6.3).

    Compiled with Adam clipped by global norm and `steps_per_execution=steps_per_call`, as `fit_full_batch`
    wants. Returns the model and its initial weights (Keras's initialisation), which `train_at_lag` restores.
    """
    import keras  # imported here: importing course_utils stays light

    model = keras.Sequential([keras.Input((None, 1)), recurrent_layer, keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate, global_clipnorm=clip_norm),
                  loss="binary_crossentropy", steps_per_execution=steps_per_call)
    return model, model.get_weights()


@functools.cache
def _graph_call():
    """model(x) as one compiled TensorFlow graph, traced once per model and reused (built on first use)."""
    import tensorflow as tf

    return tf.function(lambda model, x: model(x), reduce_retracing=True)


@checked(model="keras.Model", x="(batch, T, 1) floats")
def probabilities(model, x) -> np.ndarray:
    """The model's probabilities for x, shape (batch,): `model.predict(x)[:, 0]`, run as one compiled graph.

    A speed trick: called directly, `model(x)` runs the loop over the steps in Python, one step at a time.
    """
    return np.asarray(_graph_call()(model, x.astype(np.float32)))[:, 0]  # (batch,)


def _weight_list(name, value, dims):
    if not isinstance(value, (list, tuple)) or not all(isinstance(w, np.ndarray) for w in value):
        raise TypeError(f"{name} must be a list of NumPy arrays (what model.get_weights() returns), got "
                        f"{type(value).__name__}")
    return list(value)


def _three_sizes(name, value, dims):
    if not (isinstance(value, tuple) and len(value) == 3 and all(type(n) is int and n >= 1 for n in value)):
        raise TypeError(f"{name} must be a tuple of three ints >= 1 (training, validation, test), got {value!r}")
    return value


def _function_or_none(name, value, dims):
    if value is not None and not callable(value):
        raise TypeError(f"{name} must be a function of the lag, or None, got {type(value).__name__}")
    return value


@checked(model="keras.Model", initial_weights=_weight_list, lag="int >= 0", steps="int >= 1", seed="int >= 0",
         noise="float >= 0", samples=_three_sizes, before_training=_function_or_none)
def train_at_lag(model, initial_weights, lag: int, steps: int, seed: int, noise: float = 2.0,
                 samples=(512, 256, 1000), before_training=None):
    """Train a `compiled_memory_model` on `first_value_task` at `lag`; return its test accuracy and loss curves.

    The steps of `model.fit(x, y, batch_size=len(x), shuffle=False, epochs=steps)`, run faster: from
    `initial_weights` and a fresh Adam, full-batch steps in compiled calls of `steps_per_execution` steps, validated
    after each call, never stopping early, the weights of the lowest validation loss (the initial ones included)
    restored at the end, as `keras.callbacks.ModelCheckpoint(save_best_only=True)` would keep them, and the test
    set used once, on them. `samples` are the training, validation and
    test sizes (data seeds: seed, seed + 2, seed + 1); `before_training(lag)` runs after the weights are restored.
    """
    import keras

    from course_utils.runtime import fit_full_batch

    x_train, y_train = first_value_task(samples[0], lag, seed=seed, noise=noise)  # (512, lag+1, 1)
    x_val, y_val = first_value_task(samples[1], lag, seed=seed + 2, noise=noise)  # (256, lag+1, 1)
    x_test, y_test = first_value_task(samples[2], lag, seed=seed + 1, noise=noise)  # (1000, lag+1, 1)
    model.set_weights(initial_weights)
    if before_training is not None:
        before_training(lag)  # e.g. special initial biases (notebook 01, section 7)
    for variable in model.optimizer.variables:  # a fresh Adam: step count and running averages back to zero
        if "learning_rate" not in variable.path:
            variable.assign(keras.ops.zeros_like(variable))
    per_call = model.steps_per_execution
    loss = keras.losses.BinaryCrossentropy()  # the validation loss, as model.evaluate(x_val, y_val) computes it
    curves = {"loss": [], "val_loss": [float(loss(y_val[:, None], probabilities(model, x_val)[:, None]))]}
    best_weights = model.get_weights()
    for _ in range(steps // per_call):
        curves["loss"] += fit_full_batch(model, x_train, y_train, per_call, per_call).history["loss"]
        curves["val_loss"].append(float(loss(y_val[:, None], probabilities(model, x_val)[:, None])))
        if curves["val_loss"][-1] <= min(curves["val_loss"]):
            best_weights = model.get_weights()  # what EarlyStopping(restore_best_weights=True) would keep
    model.set_weights(best_weights)
    return float(np.mean((probabilities(model, x_test) > 0.5) == y_test)), curves  # test set, once

