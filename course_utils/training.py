"""Training a network, from zero (notebook 00's primer): a line fitted by gradient descent, drawn step by step.

The primer's algorithm (the prediction, the loss, its gradient, the loop) is written in the notebook itself, in
cells the learner reads; this module holds the data and the pictures: the points, the loss over a grid of weights
for contour plots, the fitted lines step by step, the path of the weights on the loss surface, and a diagram of
the loop that `model.fit` runs.
"""

from __future__ import annotations

import numpy as np

from course_utils.validation import as_float_array, checked


def _paths(name: str, value, dims: dict) -> dict:
    """A dict {label: (steps, 2) array of (w, b) pairs}, one path of the weights per label."""
    if not isinstance(value, dict) or not value:
        raise TypeError(f"{name} must be a non-empty dict label -> (steps, 2) array of (w, b), got "
                        f"{type(value).__name__}")
    paths = {}
    for label, path in value.items():
        path = as_float_array(f"{name}[{label!r}]", path, ndim=2)
        if path.shape[1] != 2:
            raise ValueError(f"{name}[{label!r}] must have shape (steps, 2), pairs (w, b), got {path.shape}")
        paths[str(label)] = path
    return paths


@checked(n="int >= 2", seed="int >= 0", slope="float", intercept="float", noise="float >= 0")
def line_data(n: int, seed: int, slope: float = 2.0, intercept: float = 1.0,
              noise: float = 0.3) -> tuple[np.ndarray, np.ndarray]:
    """n points scattered around the line y = slope * x + intercept, x uniform in [-1, 1] (notebook 00).

    Returns x and y, both of shape (n,). The noise is Gaussian with standard deviation `noise`: no line goes
    through every point, and the best line is close to, not exactly, the one the points were drawn from.
    """
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, size=n)  # (n,)
    y = slope * x + intercept + rng.normal(scale=noise, size=n)  # (n,)
    return x, y


@checked(x="(n,) floats", y="(n,) floats", slopes="(k,) floats", intercepts="(m,) floats")
def mse_grid(x, y, slopes, intercepts) -> np.ndarray:
    """Mean squared error of the line w * x + b for every intercept b and slope w: shape (m, k) (notebook 00)."""
    predictions = slopes[None, :, None] * x + intercepts[:, None, None]  # (m, k, n): one line per (b, w)
    return np.mean((predictions - y) ** 2, axis=-1)  # (m, k)


@checked(x="(n,) floats", y="(n,) floats", path="(steps, 2) floats", steps_shown="(shown,) ints in [0, steps)",
         ax="Axes or None")
def plot_lines_at_steps(x, y, path, steps_shown, ax=None):
    """The points and the line w * x + b after each step in `steps_shown`, light to dark (notebook 00).

    `path` holds (w, b) after every step, row 0 the starting guess. Returns the matplotlib Axes.
    """
    import matplotlib.pyplot as plt  # imported here: importing course_utils stays light

    ax = ax or plt.subplots(figsize=(5, 4))[1]
    ax.scatter(x, y, s=12, color="gray", label="training points")
    grid = np.linspace(-1.0, 1.0, 2)  # a line needs two points
    for shade, step in zip(np.linspace(0.3, 1.0, len(steps_shown)), steps_shown, strict=True):
        w, b = path[step]
        ax.plot(grid, w * grid + b, color=plt.cm.Blues(shade), label=f"after step {step}: w = {w:.2f}, b = {b:.2f}")
    ax.set(xlabel="x", ylabel="y", title="The line, step by step")
    ax.legend(fontsize=7, loc="upper left")
    return ax


@checked(x="(n,) floats", y="(n,) floats", paths=_paths, ax="Axes or None")
def plot_loss_landscape(x, y, paths, ax=None):
    """Contours of the mean squared error over (w, b), and each path of the weights drawn on them (notebook 00).

    `paths` maps a label to a (steps, 2) array of (w, b). The view frames every path, with a margin. Returns the Axes.
    """
    import matplotlib.pyplot as plt  # imported here: importing course_utils stays light

    ax = ax or plt.subplots(figsize=(5, 4))[1]
    everything = np.concatenate(list(paths.values()))  # (all steps, 2)
    low, high = everything.min(axis=0), everything.max(axis=0)
    margin = 0.25 * (high - low) + 0.2
    slopes = np.linspace(low[0] - margin[0], high[0] + margin[0], 120)  # (120,)
    intercepts = np.linspace(low[1] - margin[1], high[1] + margin[1], 100)  # (100,)
    loss = mse_grid(x, y, slopes, intercepts)  # (100, 120)
    contours = ax.contour(slopes, intercepts, loss, levels=np.geomspace(loss.min() * 1.05, loss.max(), 12),
                          cmap="viridis", linewidths=0.8)
    ax.clabel(contours, fontsize=6, fmt="%.2g")
    for (label, path), color in zip(paths.items(), ("tab:red", "tab:orange", "tab:purple", "tab:brown"),
                                    strict=False):
        ax.plot(path[:, 0], path[:, 1], ".-", color=color, markersize=4, linewidth=1, label=label)
    ax.set(xlabel="slope w", ylabel="intercept b", title="The loss over (w, b), and the path of the weights")
    ax.legend(fontsize=7, loc="lower right")
    return ax


@checked(ax="Axes or None")
def draw_training_loop(ax=None):
    """A diagram of the loop `model.fit` runs: batch -> model -> loss -> gradient -> step, every batch (notebook 00).

    Returns the matplotlib Axes (its texts hold every label, which the notebook's check cell reads).
    """
    import matplotlib.pyplot as plt  # imported here: importing course_utils stays light
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    ax = ax or plt.subplots(figsize=(11, 3.4))[1]
    boxes = [("a batch of examples\n(x, y)", "#fde9c9"), ("the model\nŷ = model(x)", "#cfe2f3"),
             ("the loss\nhow wrong ŷ is", "#f4cccc"), ("the gradient\nof the loss,\nfor every weight", "#d9ead3"),
             ("a step\nweights -= learning\nrate × gradient", "#ead1dc")]
    centres = [(1.0 + 2.6 * k, 1.6) for k in range(len(boxes))]
    for (text, face), (cx, cy) in zip(boxes, centres, strict=True):
        ax.add_patch(FancyBboxPatch((cx - 0.95, cy - 0.5), 1.9, 1.0, boxstyle="round,pad=0.05", facecolor=face))
        ax.text(cx, cy, text, ha="center", va="center", fontsize=9)
    for (x0, y0), (x1, y1) in zip(centres, centres[1:], strict=False):
        ax.add_patch(FancyArrowPatch((x0 + 1.0, y0), (x1 - 1.0, y1), arrowstyle="-|>", mutation_scale=14))
    ax.add_patch(FancyArrowPatch((centres[-1][0], 1.05), (centres[1][0], 1.05), connectionstyle="arc3,rad=-0.25",
                                 arrowstyle="-|>", mutation_scale=14, color="tab:blue"))
    ax.text(centres[2][0] + 1.3, 0.05, "next batch, with the new weights: fit repeats this for every batch of every "
            "epoch", ha="center", fontsize=9, color="tab:blue")
    ax.text(centres[2][0], 2.5, "compile(loss=..., optimizer=...) chooses the loss and the step; "
            "fit(x, y, ...) runs the loop", ha="center", fontsize=9)
    ax.set(xlim=(-0.1, centres[-1][0] + 1.1), ylim=(-0.2, 2.8))
    ax.set_axis_off()
    return ax


@checked(x="(samples, T, features) floats", y="(samples,) floats")
def gradient_norm_callback(x, y):
    """A Keras callback recording, before every training step, the global norm of the loss's gradient on (x, y)
    (notebook 01): `callback.norms` holds one float per step, the length of the whole gradient laid end to end."""
    import keras  # imported here: importing course_utils stays light
    import tensorflow as tf

    x, y = tf.constant(x, tf.float32), tf.constant(y[:, None], tf.float32)  # (samples, T, features), (samples, 1)

    class GradientNorms(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.norms = []
            loss_function = keras.losses.get(self.model.loss)  # the loss given to compile, e.g. binary cross-entropy

            @tf.function
            def norm():
                with tf.GradientTape() as tape:
                    loss = tf.reduce_mean(loss_function(y, self.model(x, training=True)))
                return tf.linalg.global_norm(tape.gradient(loss, self.model.trainable_variables))

            self.norm = norm

        def on_train_batch_begin(self, batch, logs=None):
            self.norms.append(float(self.norm()))  # the gradient at the weights this step starts from

    return GradientNorms()
