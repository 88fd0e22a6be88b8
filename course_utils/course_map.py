"""The course map (notebook 00): the notebooks in teaching order, which of them exist, and their measured timings.

Notebook 00 renders this table and the tests check notebook file names against it, so the map, the files
and the README cannot drift apart. The package does not assume where it is installed: the notebooks are
found from a folder you give, or from the current folder (JupyterLab runs a notebook from notebooks/).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

import numpy as np

from course_utils.layout import BENCHMARK_RELATIVE_PATH
from course_utils.validation import as_float_array, checked

FIRST_NOTEBOOK = "00_start_here.ipynb"


class NotebookEntry(NamedTuple):
    number: int
    slug: str
    title: str
    teaches: str

    @property
    def filename(self) -> str:
        return f"{self.number:02d}_{self.slug}.ipynb"


COURSE_MAP = (
    NotebookEntry(0, "start_here", "Start here",
                  "course map, how to run and test, environment check, timings; section 6, read it before 01: "
                  "training a network in ten minutes (loss, gradient descent, batches and epochs, validation, "
                  "Keras's compile and fit, loss curves)"),
    NotebookEntry(1, "rnn_vanishing_gradients", "RNNs and the vanishing gradient",
                  "SimpleRNN and backpropagation through time in NumPy; gradient norm vs lag; exploding gradients "
                  "and clipping; a SimpleRNN, an LSTM and a GRU on one memory task"),
    NotebookEntry(2, "lstm_gates", "LSTM gates from scratch",
                  "the LSTM cell in NumPy; its gates at work, step by step; the adding problem of Hochreiter & "
                  "Schmidhuber"),
    NotebookEntry(3, "keras_counting_example", "The deck's Keras example, examined",
                  "the seed deck's code run verbatim, what it really does, a linear baseline, a better version"),
    NotebookEntry(4, "time_series_stocks_sales", "Time series: stocks and sales",
                  "walk-forward evaluation against persistence and seasonal-naive baselines"),
    NotebookEntry(5, "text_generation", "Text generation", "a character-level LSTM vs an n-gram model"),
    NotebookEntry(6, "sentiment_analysis", "Sentiment analysis", "embeddings, masking, BiLSTM vs bag-of-words"),
    NotebookEntry(7, "machine_translation", "Machine translation", "an encoder-decoder LSTM, beam search, attention"),
    NotebookEntry(8, "speech_recognition", "Speech recognition",
                  "spoken digits: log-mel, BiLSTM + CTC vs a frame-wise model"),
    NotebookEntry(9, "music_composition", "Music composition",
                  "Bach chorales: a next-beat LSTM, piano rolls, audio, MIDI"),
    NotebookEntry(10, "video_analysis", "Video analysis",
                  "frame encoder + LSTM vs single-frame and order-blind models"),
    NotebookEntry(11, "tradeoffs", "Trade-offs", "the deck's advantages and disadvantages, measured"),
)


def _path_or_none(kind: str):
    """The spec of a folder or file path (str or Path), or None."""
    def check(name: str, value, dims: dict):
        if value is not None and not isinstance(value, (str, Path)):
            raise TypeError(f"{name} must be a {kind} path (str or Path) or None, got {type(value).__name__}")
        return value
    return check


def _times(name: str, value, dims: dict) -> dict:
    """A non-empty dict notebook name -> seconds."""
    if not isinstance(value, dict) or not value:
        raise TypeError(f"{name} must be a non-empty dict notebook -> seconds, got {type(value).__name__}")
    seconds = as_float_array(name, list(value.values()), ndim=1)
    return dict(zip((str(key) for key in value), seconds, strict=True))


@checked(start=_path_or_none("folder"))
def find_notebooks_dir(start: Path | str | None = None) -> Path:
    """The course's notebooks/ folder: `start` itself, or its notebooks/ subfolder, or the same from a parent.

    `start` defaults to the current folder. Raises FileNotFoundError, saying where it looked, when no folder
    holding 00_start_here.ipynb is found (e.g. course_utils used outside a clone of the course).
    """
    start = Path.cwd() if start is None else Path(start)
    if not start.is_dir():
        raise FileNotFoundError(f"start must be an existing folder, got {str(start)!r}")
    looked = []
    for folder in [start.resolve(), *start.resolve().parents]:
        for candidate in (folder, folder / "notebooks"):
            looked.append(str(candidate))
            if (candidate / FIRST_NOTEBOOK).is_file():
                return candidate
    raise FileNotFoundError(f"no folder holding {FIRST_NOTEBOOK} found from {start}; looked in {looked[:4]} "
                            "and their parents: pass notebooks_dir= (the course's notebooks/ folder)")


@checked(notebooks_dir=_path_or_none("folder"))
def course_status(notebooks_dir: Path | str | None = None) -> list[dict]:
    """One row per notebook of the map: file, title, what it teaches, and "ready" if it exists, else "coming"."""
    folder = find_notebooks_dir(notebooks_dir)
    return [
        {
            "notebook": entry.filename,
            "title": entry.title,
            "teaches": entry.teaches,
            "status": "ready" if (folder / entry.filename).exists() else "coming",
        }
        for entry in COURSE_MAP
    ]


@checked(path=_path_or_none("file"))
def load_benchmark(path: Path | str | None = None) -> dict:
    """The measured notebook timings written by `make bench` (docs/notebook_times.json of the course).

    `path` defaults to that file beside the notebooks/ folder found by `find_notebooks_dir()`.
    """
    path = find_notebooks_dir().parent / BENCHMARK_RELATIVE_PATH if path is None else Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no benchmark at {path}: run `make bench` to measure the notebooks")
    return json.loads(path.read_text())


@checked(times=_times, budget_seconds="float >= 0", ax="Axes or None")
def plot_notebook_times(times: dict, budget_seconds: float = 120.0, ax=None):
    """Horizontal bars of measured execution time per notebook, with the time budget (notebook 00)."""
    import matplotlib.pyplot as plt  # imported here: importing course_utils stays light

    names = list(times)
    seconds = np.array([times[name] for name in names])  # (notebooks,)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.45 * len(names) + 1.2))
    positions = np.arange(len(names))
    ax.barh(positions, seconds, color="tab:blue")
    ax.axvline(budget_seconds, color="tab:red", linestyle="--", label=f"budget {budget_seconds:.0f} s")
    ax.set_yticks(positions, names)
    ax.invert_yaxis()
    ax.set_xlabel("execution time (s)")
    ax.legend()
    return ax
