"""The deck's advantages and disadvantages, measured (notebook 11): what is new there and nowhere else.

Parameter counts of the LSTM and GRU come from `course_utils.lstm`, the memory task from `course_utils.rnn`, the
adding problem from `course_utils.adding_problem`; this module adds the SimpleRNN's count, the reach of a stack of
causal convolutions, a timing loop that measures several models in turn (CPU seconds, and wall-clock seconds on
all CPUs and on one), the log-log slope of a cost against the sequence length, the number of operations in each
step of a compiled recurrent loop, and a restart of a compiled model for the next training.
"""

from __future__ import annotations

import contextlib
import math
import os
import time
from collections.abc import Callable, Iterator, Mapping
from typing import NamedTuple

import numpy as np

from course_utils.validation import as_float_array, check_axes, check_int

BOOKKEEPING_OPS = ("Const", "Identity", "NoOp")  # graph nodes that do no work at run time


def simple_rnn_parameter_count(input_size: int, units: int) -> int:
    """Trainable parameters of keras.layers.SimpleRNN: input*u + u*u + u, one gate's worth (notebook 11)."""
    input_size = check_int("input_size", input_size, minimum=1)
    units = check_int("units", units, minimum=1)
    return input_size * units + units * units + units


def receptive_field(kernel_size: int, dilations) -> int:
    """Steps that the last output of a stack of causal Conv1D layers sees: 1 + (kernel_size - 1) * sum(dilations).

    One layer of kernel k and dilation d reaches (k - 1) * d steps further back than its input did (notebook 11).
    """
    kernel_size = check_int("kernel_size", kernel_size, minimum=1)
    if isinstance(dilations, (str, bytes)) or not hasattr(dilations, "__iter__") or not list(dilations):
        raise TypeError(f"dilations must be a non-empty list of integers, one per layer, got {dilations!r}")
    dilations = [check_int("each dilation", d, minimum=1) for d in dilations]
    return 1 + (kernel_size - 1) * sum(dilations)


def draw_receptive_field(kernel_size: int, dilations, steps: int = 32, ax=None):
    """Draw a stack of causal Conv1D layers over `steps` inputs and what its last output sees (notebook 11).

    Rows are the input and each layer; dark dots and lines are the steps the last output depends on.
    Returns the matplotlib Axes.
    """
    import matplotlib.pyplot as plt

    reach = receptive_field(kernel_size, dilations)  # checks kernel_size and dilations
    steps = check_int("steps", steps, minimum=2)
    ax = check_axes("ax", ax) or plt.subplots(figsize=(8, 2.4))[1]
    seen = [{steps - 1}]  # seen[0]: the last output; seen[l]: what it depends on, l layers down
    for dilation in reversed(dilations):
        below = {t - j * dilation for t in seen[-1] for j in range(kernel_size) if t - j * dilation >= 0}
        for t in seen[-1]:
            for source in below & {t - j * dilation for j in range(kernel_size)}:
                ax.plot([t, source], [len(dilations) - len(seen) + 1, len(dilations) - len(seen)], color="tab:blue",
                        lw=0.8)
        seen.append(below)
    for row, active in enumerate(reversed(seen)):  # row 0: the input
        ax.scatter(range(steps), [row] * steps, s=12, color="lightgray", zorder=2)
        ax.scatter(sorted(active), [row] * len(active), s=16, color="tab:blue", zorder=3)
    ax.set_yticks(range(len(dilations) + 1), ["input"] + [f"layer {i + 1}, d = {d}" for i, d in enumerate(dilations)])
    ax.set_xlabel("step")
    ax.set_title(f"kernel {kernel_size}, dilations {tuple(dilations)}: the last output sees {min(reach, steps)} "
                 f"of {steps} steps (reach {reach})", fontsize=9)
    ax.spines[["top", "right", "left"]].set_visible(False)
    return ax


def loglog_slope(lengths, costs) -> float:
    """Slope of log(cost) against log(length), fitted by least squares (notebook 11).

    A cost proportional to length**k has slope k: about 1 for a recurrent layer, which takes one step per
    element, about 2 for self-attention once its length x length score matrix dominates.
    """
    lengths = as_float_array("lengths", lengths, ndim=1)
    costs = as_float_array("costs", costs, ndim=1)
    if lengths.shape != costs.shape:
        raise ValueError(f"costs must have one value per length ({lengths.size}), got {costs.size}")
    if lengths.size < 2 or np.unique(lengths).size < 2:
        raise ValueError(f"lengths must hold at least two different values, got {lengths.tolist()}")
    if np.any(lengths <= 0) or np.any(costs <= 0):
        raise ValueError("lengths and costs must be > 0 (their logarithms are fitted), got a value <= 0")
    return float(np.polyfit(np.log(lengths), np.log(costs), 1)[0])


@contextlib.contextmanager
def pinned_to_one_cpu() -> Iterator[bool]:
    """Run the block with every thread of this process on one CPU; yields False where the OS cannot (notebook 11).

    Linux only (os.sched_setaffinity, applied to each thread in /proc/self/task); the CPUs allowed before are
    given back on exit, to every thread, including any started inside the block.
    """
    if not hasattr(os, "sched_setaffinity") or not os.path.isdir("/proc/self/task"):
        yield False  # macOS, Windows: the caller reports "not measured"
        return
    allowed = os.sched_getaffinity(0)
    _set_affinity_of_every_thread({min(allowed)})
    try:
        yield True
    finally:
        _set_affinity_of_every_thread(allowed)


def _set_affinity_of_every_thread(cpus: set[int]) -> None:
    for thread_id in os.listdir("/proc/self/task"):
        with contextlib.suppress(OSError):  # a thread that ended since the listing
            os.sched_setaffinity(int(thread_id), cpus)


class Timing(NamedTuple):
    """What `time_in_turn` measured for one function."""

    cpu: float  # median CPU seconds of this process, all its threads: the work, barely changed by other programs
    wall: float  # fastest wall-clock seconds, all CPUs allowed: the run least disturbed by other programs
    wall_one_cpu: float  # the same with every thread pinned to one CPU; nan if not asked for or not possible


def time_in_turn(functions: Mapping[str, Callable[[], object]], repeats: int = 5,
                 one_cpu: bool = False) -> dict[str, Timing]:
    """Time each call in `functions`, in rotation, `repeats` rounds; a Timing per name (notebook 11).

    Calling the functions in turn, one round after another, makes a change of load on the machine fall on all of
    them alike. With one_cpu=True each call is also timed with the process pinned to one CPU (`pinned_to_one_cpu`):
    wall seconds on one CPU over wall seconds on all of them is how much the call gained from running in parallel.
    """
    if not isinstance(functions, Mapping) or not functions:
        raise TypeError(f"functions must be a non-empty dict of name -> callable, got {type(functions).__name__}")
    for name, function in functions.items():
        if not callable(function):
            raise TypeError(f"functions[{name!r}] must be callable, got {type(function).__name__}")
    repeats = check_int("repeats", repeats, minimum=1)
    if not isinstance(one_cpu, bool):
        raise TypeError(f"one_cpu must be True or False, got {type(one_cpu).__name__}")
    cpu, wall, wall_one_cpu = ({name: [] for name in functions} for _ in range(3))
    for _ in range(repeats):
        for name, function in functions.items():
            start_cpu, start_wall = time.process_time(), time.perf_counter()
            function()
            wall[name].append(time.perf_counter() - start_wall)
            cpu[name].append(time.process_time() - start_cpu)
            if one_cpu:
                with pinned_to_one_cpu() as pinned:
                    start_wall = time.perf_counter()
                    function()
                    wall_one_cpu[name].append(time.perf_counter() - start_wall if pinned else math.nan)
    return {name: Timing(float(np.median(cpu[name])), min(wall[name]),
                         min(wall_one_cpu[name]) if one_cpu else math.nan) for name in functions}


def ops_per_loop_step(function) -> int:
    """Operations TensorFlow runs in each step of the one while loop of a traced function (notebook 11).

    `function` is a concrete function (`tf.function(...).get_concrete_function(...)`) whose graph holds one
    while loop, as a Keras recurrent layer's does; its body's nodes are counted, bookkeeping (Const, Identity,
    NoOp) left out. At small sizes each of these operations costs a fixed time, whatever its arithmetic.
    """
    graph = getattr(function, "graph", None)
    if graph is None or not hasattr(graph, "as_graph_def"):
        raise TypeError(f"function must be a concrete tf.function (with a .graph), got {type(function).__name__}")
    graph_def = graph.as_graph_def()
    loops = [node for node in graph_def.node if node.op in ("While", "StatelessWhile")]
    if len(loops) != 1:
        raise ValueError(f"function must hold exactly one while loop, got {len(loops)}")
    bodies = {body.signature.name: body for body in graph_def.library.function}
    body = bodies[loops[0].attr["body"].func.name]
    return sum(node.op not in BOOKKEEPING_OPS for node in body.node_def)


def restart_training(model, weights) -> None:
    """Give a compiled Keras model `weights` and a fresh optimizer (step count and moments zero), so that the next
    `fit` trains it from scratch without compiling it again (notebook 11).

    A speed trick: compiling a recurrent model's training step takes about a second, longer than many of the
    notebook's trainings; the result is that of a model built with `weights` and compiled anew.
    """
    if not callable(getattr(model, "set_weights", None)) or getattr(model, "optimizer", None) is None:
        raise TypeError(f"model must be a compiled keras.Model, got {type(model).__name__}")
    if not isinstance(weights, (list, tuple)):
        raise TypeError(f"weights must be a list of arrays (model.get_weights()), got {type(weights).__name__}")
    expected = [tuple(variable.shape) for variable in model.weights]
    given = [np.shape(array) if isinstance(array, np.ndarray) else None for array in weights]
    if given != expected:
        raise ValueError(f"weights must be arrays of the model's shapes {expected}, got {given}")
    model.set_weights(weights)
    for variable in model.optimizer.variables:
        if variable.path.split("/")[-1] != "learning_rate":
            variable.assign(np.zeros(variable.shape, variable.dtype))
