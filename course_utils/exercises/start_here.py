"""Checkers for the exercises of notebook 00 (start here)."""

from __future__ import annotations

from course_utils.course_map import load_benchmark
from course_utils.exercises import exercise, fail


@exercise("Exercise 00.1 (slowest notebook)", hint="Read load_benchmark()['notebooks'] and find the largest 'seconds'.")
def check_slowest_notebook(name) -> None:
    """Exercise 00.1: the file name of the notebook that `make bench` measured as the slowest."""
    if not isinstance(name, str):
        fail(f"give the notebook's file name as a string, got {type(name).__name__}")
    times = {notebook: figures["seconds"] for notebook, figures in load_benchmark()["notebooks"].items()}
    slowest = max(times, key=times.get)
    if name not in times:
        fail(f"{name!r} is not a measured notebook; names look like '03_keras_counting_example.ipynb'")
    if name != slowest:
        fail(f"{name!r} took {times[name]:.0f} s; another notebook took longer")
