"""The deck's advantages and disadvantages, measured (notebook 11): what is new there and nowhere else.

Parameter counts of the LSTM and GRU and the gate biases come from `course_utils.lstm`, the memory task from
`course_utils.rnn`, the adding problem from `course_utils.adding_problem`; this module adds the SimpleRNN's count, the
reach of a stack of causal convolutions and its drawing, a timing loop that measures several calls in turn (CPU
seconds and wall-clock seconds), the log-log slope of a cost against the sequence length,
the number of operations in each step of a compiled recurrent loop, and a restart of a compiled model for the next
training.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import NamedTuple

import numpy as np

from course_utils.validation import checked

BOOKKEEPING_OPS = ("Const", "Identity", "NoOp")  # graph nodes that do no work at run time


@checked(input_size="int >= 1", units="int >= 1")
def simple_rnn_parameter_count(input_size: int, units: int) -> int:
    """Trainable parameters of keras.layers.SimpleRNN: input*u + u*u + u, one gate's worth (notebook 11)."""
    return input_size * units + units * units + units


@checked(kernel_size="int >= 1", dilations="(layers,) ints >= 1")
def receptive_field(kernel_size: int, dilations) -> int:
    """Steps that the last output of a stack of causal Conv1D layers sees: 1 + (kernel_size - 1) * sum(dilations).

    One layer of kernel k and dilation d reaches (k - 1) * d steps further back than its input did (notebook 11).
    """
    return 1 + (kernel_size - 1) * int(dilations.sum())


@checked(kernel_size="int >= 1", dilations="(layers,) ints >= 1", steps="int >= 2", ax="Axes or None")
def draw_receptive_field(kernel_size: int, dilations, steps: int = 32, ax=None):
    """Draw a stack of causal Conv1D layers over `steps` inputs and what its last output sees (notebook 11).

    Rows are the input and each layer; blue dots and lines are the steps the last output depends on. Returns the Axes.
    """
    import matplotlib.pyplot as plt

    ax = ax or plt.subplots(figsize=(8, 2.4))[1]
    layers = len(dilations)
    seen = [{steps - 1}]  # seen[j]: the steps that the last output depends on, j layers below it
    for row, dilation in zip(range(layers, 0, -1), dilations[::-1], strict=True):  # from the top layer down
        taps = {t: {t - j * dilation for j in range(kernel_size) if t - j * dilation >= 0} for t in seen[-1]}
        for t, sources in taps.items():
            for source in sources:
                ax.plot([t, source], [row, row - 1], color="tab:blue", lw=0.8)
        seen.append(set().union(*taps.values()))
    for row, active in enumerate(reversed(seen)):  # row 0: the input
        ax.scatter(range(steps), [row] * steps, s=12, color="lightgray", zorder=2)
        ax.scatter(sorted(active), [row] * len(active), s=16, color="tab:blue", zorder=3)
    ax.set_yticks(range(layers + 1), ["input"] + [f"layer {i + 1}, d = {d}" for i, d in enumerate(dilations)])
    ax.set_xlabel("step")
    reach = receptive_field(kernel_size, dilations)
    ax.set_title(f"kernel {kernel_size}, dilations {tuple(int(d) for d in dilations)}: the last output sees "
                 f"{min(reach, steps)} of {steps} steps (reach {reach})", fontsize=9)
    ax.spines[["top", "right", "left"]].set_visible(False)
    return ax


@checked(lengths="(n,) floats > 0, not constant", costs="(n,) floats > 0")
def loglog_slope(lengths, costs) -> float:
    """Slope of log(cost) against log(length), fitted by least squares (notebook 11).

    A cost proportional to length**k has slope k: about 1 for a recurrent layer, which takes one step per
    element, about 2 for self-attention once its length x length score matrix dominates.
    """
    return float(np.polyfit(np.log(lengths), np.log(costs), 1)[0])


class Timing(NamedTuple):
    """What `time_in_turn` measured for one function."""

    cpu: float  # median CPU seconds of this process, all its threads: the work, barely changed by other programs
    wall: float  # fastest wall-clock seconds: the run least disturbed by other programs


def _named_calls(name: str, value, dims: dict):
    """A non-empty dict of name -> callable."""
    if not isinstance(value, Mapping) or not value or not all(callable(f) for f in value.values()):
        raise TypeError(f"{name} must be a non-empty dict of name -> callable, got {type(value).__name__}")
    return value


@checked(functions=_named_calls, repeats="int >= 1")
def time_in_turn(functions: Mapping[str, Callable[[], object]], repeats: int = 5) -> dict[str, Timing]:
    """Time each call in `functions`, in rotation, `repeats` rounds; a Timing per name (notebook 11).

    Calling the functions in turn, one round after another, makes a change of load on the machine fall on all of
    them alike.
    """
    cpu, wall = {name: [] for name in functions}, {name: [] for name in functions}  # name -> seconds, one per round
    for _ in range(repeats):
        for name, function in functions.items():
            start_cpu, start_wall = time.process_time(), time.perf_counter()
            function()
            wall[name].append(time.perf_counter() - start_wall)
            cpu[name].append(time.process_time() - start_cpu)
    return {name: Timing(float(np.median(cpu[name])), min(wall[name])) for name in functions}


def _one_loop(name: str, value, dims: dict):
    """A concrete tf.function whose graph holds exactly one while loop."""
    graph_def = value.graph.as_graph_def() if hasattr(getattr(value, "graph", None), "as_graph_def") else None
    if graph_def is None or sum(node.op in ("While", "StatelessWhile") for node in graph_def.node) != 1:
        raise TypeError(f"{name} must be a concrete tf.function holding exactly one while loop, got "
                        f"{type(value).__name__}")
    return value


@checked(function=_one_loop)
def ops_per_loop_step(function) -> int:
    """Operations TensorFlow runs in each step of the one while loop of a traced function (notebook 11).

    `function` is a concrete function (`tf.function(...).get_concrete_function(...)`) whose graph holds one
    while loop, as a Keras recurrent layer's does; its body's nodes are counted, bookkeeping (Const, Identity,
    NoOp) left out. At small sizes each of these operations costs a fixed time, whatever its arithmetic.
    """
    graph_def = function.graph.as_graph_def()
    loop = next(node for node in graph_def.node if node.op in ("While", "StatelessWhile"))
    body = next(f for f in graph_def.library.function if f.signature.name == loop.attr["body"].func.name)
    return sum(node.op not in BOOKKEEPING_OPS for node in body.node_def)


def _weights_that_fit(name: str, value, dims: dict) -> list:
    """@checked spec: a list of arrays of the shapes of the model's weights."""
    expected = [tuple(variable.shape) for variable in dims["values of model"].weights]
    shapes = [a.shape if isinstance(a, np.ndarray) else None for a in value] if isinstance(value, list) else None
    if shapes != expected:
        raise ValueError(f"{name} must be a list of arrays of the model's shapes {expected}, got {shapes}")
    return value


@checked(model="compiled keras.Model", weights=_weights_that_fit)
def restart_training(model, weights) -> None:
    """Give a compiled Keras model `weights` and a fresh optimizer (step count and moments zero), so that the next
    `fit` trains it from scratch without compiling it again (notebook 11).

    A speed trick: compiling a recurrent model's training step takes about a second, longer than many of the
    notebook's trainings; the result is that of a model built with `weights` and compiled anew.
    """
    model.set_weights(weights)
    for variable in model.optimizer.variables:  # the step count, and Adam's moments; not the learning rate
        if variable.path.split("/")[-1] != "learning_rate":
            variable.assign(np.zeros(variable.shape, variable.dtype))

