"""Notebook 10 (video analysis): clips of real handwritten digits whose class is their motion, and the models.

Each clip shows one digit of scikit-learn's bundled `load_digits` moving on a small square canvas that wraps
around at its edges (a digit leaving on the right comes back on the left, as in old arcade games), with noise
and a static distractor digit. The class is the motion only: left, right, up, down, approaching (growing) or
receding (shrinking). The generator is built so that one frame taken at a random time has the same
distribution in every class: the position is uniform on the wrapping canvas and the digit's size is drawn
from the same sizes, so a single frame carries no information about the class at all, and a model that sees
the frames in any order can tell the axis of the motion but not its direction (a clip played backwards is a
clip of the opposite class). Notebook 10 measures both.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np

from course_utils.validation import checked, spec

MOTION_CLASSES = ("left", "right", "up", "down", "approaching", "receding")
# The translating classes and their step on the canvas, (rows, columns) per pixel moved: rows count downwards.
DIRECTIONS = {"left": (0, -1), "right": (0, 1), "up": (-1, 0), "down": (1, 0)}
APPROACHING, RECEDING = MOTION_CLASSES.index("approaching"), MOTION_CLASSES.index("receding")
# Each class and the class of the same clip played backwards (a time-reversed left clip is a right clip).
REVERSED_CLASS = tuple(MOTION_CLASSES.index(name) for name in
                       ("right", "left", "down", "up", "receding", "approaching"))
# The classes in pairs that differ only in the direction of time: a model blind to order must toss a coin in each.
REVERSAL_PAIRS = (("left", "right"), ("up", "down"), ("approaching", "receding"))
DIGIT_PIXELS = 8  # load_digits images are 8 x 8
SPEED_RANGE = (2.5, 3.5)  # pixels per frame of the translating classes


class MotionClips(NamedTuple):
    """What `make_motion_clips` returns: clips (n, T, size, size) in [0, 1], labels (n,), the moving digit's
    centre (n, T, 2) as (row, column) on the wrapping canvas, its size in pixels (n, T), and which digit it is."""

    clips: np.ndarray
    labels: np.ndarray
    centres: np.ndarray
    sizes: np.ndarray
    digits: np.ndarray


@checked(frames="int in [2, 100]", size="int in [16, 128]")
def digit_sizes(frames: int, size: int) -> np.ndarray:
    """The digit sizes (pixels) of notebook 10's clips: `frames` sizes from size/4 to size/2, one a frame of an
    approaching clip; translating clips draw their constant size from the same list."""
    return np.linspace(size / 4, size / 2, frames)


def _load_digit_images() -> np.ndarray:
    from sklearn.datasets import load_digits  # imported here: importing course_utils must stay light

    return load_digits().images / 16.0  # (1797, 8, 8) in [0, 1]


def _resized(images: np.ndarray, pixels: float) -> np.ndarray:
    """`images` (..., 8, 8) scaled to round(pixels) x round(pixels) by bilinear interpolation (pixel centres
    aligned), each image on its own: (..., round(pixels), round(pixels))."""
    from scipy import ndimage

    factors = (1,) * (images.ndim - 2) + (round(pixels) / DIGIT_PIXELS,) * 2  # leading axes kept as they are
    zoomed = ndimage.zoom(images, factors, order=1, grid_mode=True, mode="nearest")
    return np.clip(zoomed, 0.0, 1.0)


def _stamp(canvases: np.ndarray, scaled: dict, which: np.ndarray, pixels: np.ndarray, centres: np.ndarray) -> None:
    """Draw digit `which[k]` at size `pixels[k]` with its centre at `centres[k]` (row, column) on the wrapping
    canvas `canvases[k]`, in place (the brighter of the two), for every k; `scaled[p]` holds every digit at p pixels."""
    size = canvases.shape[-1]
    for p in np.unique(np.round(pixels)).astype(int):  # one digit size at a time
        where = np.flatnonzero(np.round(pixels) == p)  # (m,): the canvases that get a digit of p x p pixels
        corner = np.round(centres[where] - (p - 1) / 2).astype(int)  # (m, 2): top-left (row, column)
        rows = (corner[:, :1] + np.arange(p)) % size  # (m, p): pixels past an edge come back on the other side
        columns = (corner[:, 1:] + np.arange(p)) % size  # (m, p)
        index = (where[:, None, None], rows[:, :, None], columns[:, None, :])  # each (m, p, p) after broadcasting
        canvases[index] = np.maximum(canvases[index], scaled[p][which[where]])


def _motion(label: int, start: np.ndarray, sizes_grid: np.ndarray, rng) -> tuple[np.ndarray, np.ndarray]:
    """One clip's path: the digit's centre (T, 2) and size (T,) for class `label`, from the centre `start`."""
    frames, size = len(sizes_grid), 4 * sizes_grid[0]
    name = MOTION_CLASSES[label]
    if name in DIRECTIONS:  # translating at a constant speed and size
        speed = rng.uniform(*SPEED_RANGE)
        steps = np.arange(frames)[:, None] * np.array(DIRECTIONS[name])[None, :]  # (T, 2) unit steps so far
        return (start + speed * steps) % size, np.full(frames, sizes_grid[rng.integers(frames)])
    growing = sizes_grid if label == APPROACHING else sizes_grid[::-1]  # in place, through every size
    return np.repeat(start[None, :], frames, axis=0), growing


@checked(n="int in [1, 100000]", frames="int in [2, 100]", size="int in [16, 128]", noise="float in [0, 1]",
         distractors="int in [0, 5]", seed="int in [0, 4294967295]")
def make_motion_clips(n: int, frames: int = 12, size: int = 24, noise: float = 0.1, distractors: int = 1,
                      seed: int = 0) -> MotionClips:
    """`n` clips of notebook 10: a handwritten digit moving on a wrapping canvas, classed by its motion only.

    Classes (MOTION_CLASSES) are balanced and shuffled. Translating digits move 2.5 to 3.5 pixels a frame
    from a uniformly random start, at a constant size drawn from `digit_sizes`; approaching and receding
    digits stay at a random place and run through those sizes up or down. `distractors` other digits sit
    still in every frame, and Gaussian noise of standard deviation `noise` is added (then clipped to [0, 1]).
    """
    rng = np.random.default_rng(seed)
    images, sizes_grid = _load_digit_images(), digit_sizes(frames, size)
    scaled = {p: _resized(images, p) for p in np.unique(np.round(sizes_grid)).astype(int)}  # (1797, p, p) each
    labels = rng.permutation(np.arange(n) % len(MOTION_CLASSES))
    chosen = rng.integers(0, len(images), size=n)  # the moving digit of each clip
    centres, sizes = np.zeros((n, frames, 2)), np.zeros((n, frames))
    still = np.zeros((n, distractors, 2), dtype=int)  # each still digit: which image, which size
    still_centres = np.zeros((n, distractors, 2))
    for i, label in enumerate(labels):  # the random draws, clip by clip
        centres[i], sizes[i] = _motion(label, rng.uniform(0, size, size=2), sizes_grid, rng)
        for k in range(distractors):
            still[i, k] = rng.integers(len(images)), rng.integers(frames)
            still_centres[i, k] = rng.uniform(0, size, size=2)
    backgrounds = np.zeros((n, size, size), dtype=np.float32)
    for k in range(distractors):  # still digits, in every frame
        _stamp(backgrounds, scaled, still[:, k, 0], sizes_grid[still[:, k, 1]], still_centres[:, k])
    clips = np.repeat(backgrounds[:, None], frames, axis=1)  # (n, T, size, size)
    _stamp(clips.reshape(n * frames, size, size), scaled, np.repeat(chosen, frames), sizes.reshape(-1),
           centres.reshape(-1, 2))  # the moving digit, frame by frame
    if noise > 0:
        clips += rng.normal(0.0, noise, size=clips.shape).astype(np.float32)
        np.clip(clips, 0.0, 1.0, out=clips)
    return MotionClips(clips, labels.astype(np.int64), centres, sizes, chosen.astype(np.int64))


@checked(clips="(n, T, size, size) floats")
def circular_centroids(clips) -> np.ndarray:
    """The intensity centroid (row, column) of every frame on the wrapping canvas (notebook 10), (n, T, 2).

    A plain mean of pixel coordinates breaks when a digit straddles an edge; here each coordinate is an angle
    on a circle, and the centroid is the angle of the intensity-weighted mean of the unit vectors.
    """
    size = clips.shape[2]
    angles = 2 * np.pi * np.arange(size) / size
    result = np.zeros(clips.shape[:2] + (2,))
    for axis, summed_over in ((0, 3), (1, 2)):
        profile = clips.sum(axis=summed_over)  # (n, T, size): intensity along rows (axis 0) or columns (1)
        vector = profile @ np.exp(1j * angles)  # (n, T) complex
        result[..., axis] = (np.angle(vector) % (2 * np.pi)) * size / (2 * np.pi)
    return result


@checked(centres="(n, T, 2) floats", size="int >= 2")
def unwrapped_displacement(centres, size: int) -> np.ndarray:
    """Total displacement (row, column) from the first to the last frame of each clip, (n, 2) (notebook 10):
    the sum of the frame-to-frame steps, each taken the short way round the wrapping canvas."""
    steps = np.diff(centres, axis=1)
    steps = (steps + size / 2) % size - size / 2
    return steps.sum(axis=1)


@checked(clips="(n, T, rows, columns) floats", seed="int in [0, 4294967295]")
def random_frames(clips, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """One frame of each clip, taken at a uniformly random time (notebook 10's single-frame baseline):
    frames (n, size, size) and the times chosen (n,)."""
    times = np.random.default_rng(seed).integers(0, clips.shape[1], size=len(clips))
    return clips[np.arange(len(clips)), times].astype(np.float32), times


@checked(trials="int >= 1", successes="int in [0, trials]", confidence="float in [0.5, 0.9999]")
def binomial_interval(successes: int, trials: int, confidence: float = 0.99) -> tuple[float, float]:
    """Clopper-Pearson interval of a proportion (notebook 10: is an accuracy compatible with chance?)."""
    from scipy.stats import binomtest

    interval = binomtest(successes, trials).proportion_ci(confidence_level=confidence, method="exact")
    return float(interval.low), float(interval.high)


@checked(labels="(n,) ints in [0, 5]", predictions="(n,) ints in [0, 5]")
def direction_counts(labels, predictions) -> dict[str, tuple[int, int]]:
    """For each reversal pair of notebook 10 ("left/right", "up/down", "approaching/receding"): (clips called in the
    right direction, clips of the pair called by one of its two classes), i.e. the direction once the axis is right."""
    counts = {}
    for first, second in REVERSAL_PAIRS:
        pair = [MOTION_CLASSES.index(first), MOTION_CLASSES.index(second)]
        right_axis = np.isin(labels, pair) & np.isin(predictions, pair)  # (n,)
        counts[f"{first}/{second}"] = (int(np.sum(predictions[right_axis] == labels[right_axis])),
                                       int(right_axis.sum()))
    return counts


@checked(size="int in [8, 128]", filters="int in [1, 256]", features="int in [1, 1024]", channels="int in [1, 2]")
def build_frame_encoder(size: int, filters: int = 8, features: int = 32, channels: int = 1):
    """The per-frame encoder of notebook 10: two strided 3x3 convolutions and a dense layer, (size, size) -> features
    (or (size, size, channels) -> features). It flattens rather than pools, so that its features can say where the
    digit is."""
    import keras

    return keras.Sequential([
        keras.Input((size, size) if channels == 1 else (size, size, channels)),
        keras.layers.Reshape((size, size, channels)),
        keras.layers.Conv2D(filters, 3, strides=2, padding="same", activation="relu"),  # (size/2, size/2, filters)
        keras.layers.Conv2D(2 * filters, 3, strides=2, padding="same", activation="relu"),  # (size/4, size/4, 2f)
        keras.layers.Flatten(),
        keras.layers.Dense(features, activation="relu"),  # (features,)
    ], name="frame_encoder")


def _with_frame_differences(clips):
    """Each frame of `clips` (batch, T, size, size) beside its change since the frame before, (batch, T, size, size,
    2) (notebook 10; the change of frame 0 is zero): a cheap stand-in for optical flow. A Keras-ops function."""
    import keras

    previous = keras.ops.concatenate([clips[:, :1], clips[:, :-1]], axis=1)  # (batch, T, size, size)
    return keras.ops.stack([clips, clips - previous], axis=-1)


MODEL_KINDS = ("single_frame", "order_blind", "temporal_conv", "cnn_lstm")


def _model_kind(name: str, kind, dims: dict) -> str:
    """@checked spec: one of MODEL_KINDS (remembered, for the spec of frame_differences)."""
    kind = spec(MODEL_KINDS)(name, kind, dims)
    dims["one frame"] = kind == "single_frame"
    return kind


def _differences_allowed(name: str, value, dims: dict) -> bool:
    """@checked spec: True or False, and False for a single frame, which has no frame before it."""
    if spec((True, False))(name, value, dims) and dims["one frame"]:
        raise ValueError(f"{name} must be False for kind 'single_frame' (one frame has no frame before it), got True")
    return value


@checked(kind=_model_kind, size="int in [8, 128]", filters="int in [1, 256]", features="int in [1, 1024]",
         units="int in [1, 1024]", learning_rate="float in [1e-6, 1]", frame_differences=_differences_allowed)
def build_video_model(kind: str, size: int, filters: int = 8, features: int = 32, units: int = 32,
                      learning_rate: float = 3e-3, frame_differences: bool = False):
    """A compiled classifier of notebook 10, one of MODEL_KINDS, each on the same frame encoder: "single_frame" (one
    frame), "order_blind" (every frame, features averaged over time), "temporal_conv" (a Conv1D over the features,
    3 frames at a time, so T >= 3), "cnn_lstm" (an LSTM over them, layer "states"). With `frame_differences` the
    encoder sees each frame beside its change since the frame before."""
    encoder = build_frame_encoder(size, filters, features, channels=2 if frame_differences else 1)
    import keras

    layers = keras.layers
    if kind == "single_frame":
        inputs = keras.Input((size, size))  # (batch, size, size)
        summary = encoder(inputs)  # (batch, features)
    else:
        inputs = keras.Input((None, size, size))  # (batch, T, size, size): any number of frames
        frames = inputs
        if frame_differences:  # (batch, T, size, size, 2): each frame and its change since the one before
            frames = layers.Lambda(_with_frame_differences, name="frame_differences")(inputs)
        per_frame = layers.TimeDistributed(encoder)(frames)  # (batch, T, features)
        if kind == "order_blind":
            summary = layers.Dense(units, activation="relu")(layers.GlobalAveragePooling1D()(per_frame))
        elif kind == "temporal_conv":
            local = layers.Conv1D(units, 3, activation="relu")(per_frame)  # (batch, T - 2, units): frames t-2..t
            summary = layers.GlobalAveragePooling1D()(local)  # (batch, units)
        else:
            states = layers.LSTM(units, return_sequences=True, name="states")(per_frame)  # (batch, T, units)
            summary = layers.Lambda(lambda sequence: sequence[:, -1, :], name="last_state")(states)  # (batch, units)
    outputs = layers.Dense(len(MOTION_CLASSES), activation="softmax")(summary)  # (batch, 6)
    model = keras.Model(inputs, outputs, name=kind)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def _lstm_model(name: str, model, dims: dict):
    """@checked spec: a "cnn_lstm" model of build_video_model (a Keras model with a layer named "states")."""
    if "states" not in [layer.name for layer in getattr(model, "layers", [])]:
        raise TypeError(f"{name} must be a cnn_lstm model of build_video_model, got {type(model).__name__}")
    return model


@checked(model=_lstm_model, clips="(n, T, rows, columns) floats")
def hidden_states(model, clips) -> np.ndarray:
    """The LSTM's hidden state after every frame, (n, T, units), of a "cnn_lstm" model of notebook 10."""
    import keras

    clips = clips.astype(np.float32)  # (n, T, rows, columns)
    reader = keras.Model(model.input, model.get_layer("states").output)  # one input tensor, not a list of one
    # Called directly, batch by batch: predict() would trace a new tf.function for every new reader model and
    # warn about retracing when the notebook probes several models.
    return np.concatenate([np.asarray(reader(clips[start : start + 256], training=False))
                           for start in range(0, len(clips), 256)])


@checked(clips="(n, T, rows, columns) floats", labels="(n,) ints in [0, 5]", frames_shown="int in [1, T]")
def plot_frame_strips(clips, labels, frames_shown: int = 6):
    """One row of frames per clip, titled with its class (notebook 10); returns the figure."""
    import matplotlib.pyplot as plt

    times = np.linspace(0, clips.shape[1] - 1, frames_shown).round().astype(int)
    fig, axes = plt.subplots(len(clips), frames_shown, figsize=(1.3 * frames_shown, 1.4 * len(clips)),
                             squeeze=False)
    for row, (clip, label) in enumerate(zip(clips, labels.astype(int), strict=True)):
        for column, t in enumerate(times):
            ax = axes[row, column]
            ax.imshow(clip[t], cmap="gray", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
            if row == 0:
                ax.set_title(f"frame {t}", fontsize=9)
        axes[row, 0].set_ylabel(MOTION_CLASSES[label], fontsize=9)
    fig.tight_layout()
    return fig


@checked(clips="(n, T, rows, columns) floats", labels="(n,) ints in [0, 5]", interval_ms="int in [10, 5000]")
def clip_animation_html(clips, labels, interval_ms: int = 150) -> str:
    """An HTML/JavaScript animation of a few clips side by side that plays offline (notebook 10): matplotlib's
    `to_jshtml`, which embeds every frame as an image; its link to an icon font on a CDN is removed and the
    buttons are drawn as text, so nothing is fetched from the network."""
    if len(clips) > 12:  # side by side in one row
        raise ValueError(f"clips must be at most 12 clips, got {len(clips)}")
    import matplotlib.pyplot as plt
    from matplotlib import animation

    fig, axes = plt.subplots(1, len(clips), figsize=(1.6 * len(clips), 1.9), squeeze=False)
    pictures = []
    for ax, clip, label in zip(axes[0], clips, labels.astype(int), strict=True):
        pictures.append(ax.imshow(clip[0], cmap="gray", vmin=0, vmax=1))
        ax.set_title(MOTION_CLASSES[label], fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])

    def show(t):
        for picture, clip in zip(pictures, clips, strict=True):
            picture.set_data(clip[t])
        return pictures

    movie = animation.FuncAnimation(fig, show, frames=clips.shape[1], interval=interval_ms, blit=True)
    html = movie.to_jshtml(default_mode="loop")
    plt.close(fig)
    # matplotlib links its buttons' icon font from a CDN, which fails offline: drop the link, draw the icons as text.
    html = re.sub(r"<link[^>]*font-awesome[^>]*>", "", html)
    for icon, text in _BUTTON_TEXT.items():
        html = html.replace(f'<i class="fa {icon}"></i>', text)
    if re.search(r"https?://", html):
        raise RuntimeError("the animation still refers to the network; matplotlib's template has changed")
    return html


_BUTTON_TEXT = {  # matplotlib's animation buttons (font-awesome names) -> the same symbols as HTML entities
    "fa-minus": "&#8722;", "fa-plus": "+", "fa-fast-backward": "|&#9664;&#9664;", "fa-step-backward": "|&#9664;",
    "fa-play fa-flip-horizontal": "&#9664;", "fa-pause": "&#8214;", "fa-play": "&#9654;",
    "fa-step-forward": "&#9654;|", "fa-fast-forward": "&#9654;&#9654;|",
}


_HEADS = (  # (name, what reads the frame features over time), the diagram's rows top to bottom
    ("single frame", "the encoder on one frame,\ntaken at a random time"),
    ("order-blind", "average over time,\nDense(32, relu)"),
    ("temporal conv", "Conv1D(32, kernel 3),\naverage over time"),
    ("CNN + LSTM", "LSTM(32): its state\nafter the last frame"),
)


@checked(ax="Axes or None")
def plot_video_models(ax=None):
    """The models of notebook 10 as one diagram: the shared frame encoder, the four heads over time, the softmax."""
    import matplotlib.pyplot as plt  # imported here: importing course_utils stays light

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 3.6))
    box = dict(boxstyle="round,pad=0.4", facecolor="white", edgecolor="gray")
    arrow = dict(arrowstyle="->", color="gray")
    ax.text(0.06, 0.5, "clip\n(T frames,\n24 x 24)", ha="center", va="center", bbox=box, fontsize=9)
    ax.text(0.25, 0.5, "frame encoder\non every frame\n(TimeDistributed):\nConv2D, Conv2D,\nDense(32)\nout: (T, 32)",
            ha="center", va="center", bbox=dict(box, facecolor="#e8f0fb"), fontsize=9)
    ax.annotate("", xy=(0.16, 0.5), xytext=(0.11, 0.5), arrowprops=arrow)
    for row, (name, head) in enumerate(_HEADS):
        y = 0.9 - row * 0.27  # the rows, top to bottom
        label = ax.text(0.47, y, f"{name}\n{head}", ha="left", va="center", bbox=box, fontsize=8.5)
        ax.annotate("", xy=(0.46, y), xytext=(0.34, 0.5), arrowprops=arrow)
        ax.annotate("", xy=(0.86, 0.5), xytext=(1.0, 0.5), textcoords=label, arrowprops=arrow)  # from its right side
    ax.text(0.93, 0.5, "Dense(6,\nsoftmax)", ha="center", va="center", bbox=box, fontsize=9)
    ax.set(xlim=(0, 1), ylim=(0, 1))
    ax.axis("off")
    return ax.figure
