"""The course map: the notebooks in teaching order, and where their files and timings live.

Notebook 00 renders this table and the tests check notebook file names against it, so the map,
the files and the README cannot drift apart.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
BENCHMARK_FILE = REPO_ROOT / "docs" / "notebook_times.json"


class NotebookEntry(NamedTuple):
    number: int
    slug: str
    title: str
    teaches: str

    @property
    def filename(self) -> str:
        return f"{self.number:02d}_{self.slug}.ipynb"


COURSE_MAP = (
    NotebookEntry(0, "start_here", "Start here", "course map, how to run and test, environment check, timings"),
    NotebookEntry(1, "rnn_vanishing_gradients", "RNNs and the vanishing gradient",
                  "SimpleRNN and backpropagation through time in NumPy; gradient norm vs lag; clipping"),
    NotebookEntry(2, "lstm_gates", "LSTM gates from scratch",
                  "the LSTM cell in NumPy; gates as heatmaps; the adding problem of Hochreiter & Schmidhuber"),
    NotebookEntry(3, "keras_counting_example", "The deck's Keras example, examined",
                  "the seed deck's code run verbatim, what it really does, a linear baseline, a better version"),
    NotebookEntry(4, "time_series_stocks_sales", "Time series: stocks and sales",
                  "walk-forward evaluation against persistence and seasonal-naive baselines"),
    NotebookEntry(5, "text_generation", "Text generation", "a character-level LSTM vs an n-gram model"),
    NotebookEntry(6, "sentiment_analysis", "Sentiment analysis", "embeddings, masking, BiLSTM vs bag-of-words"),
    NotebookEntry(7, "machine_translation", "Machine translation", "an encoder-decoder LSTM with teacher forcing"),
    NotebookEntry(8, "speech_recognition", "Speech recognition", "audio features to words with an LSTM"),
    NotebookEntry(9, "music_composition", "Music composition", "a next-note LSTM, piano roll and MIDI"),
    NotebookEntry(10, "video_analysis", "Video analysis", "frame encoder + LSTM vs a single-frame baseline"),
    NotebookEntry(11, "tradeoffs", "Trade-offs", "the deck's advantages and disadvantages, measured"),
)


def course_status() -> list[dict]:
    """One row per notebook of the map: number, title, what it teaches, and whether it exists yet."""
    return [
        {
            "notebook": entry.filename,
            "title": entry.title,
            "teaches": entry.teaches,
            "status": "ready" if (NOTEBOOKS_DIR / entry.filename).exists() else "coming",
        }
        for entry in COURSE_MAP
    ]


def load_benchmark(path: Path | str = BENCHMARK_FILE) -> dict:
    """The measured notebook timings written by `make bench` (scripts/benchmark_notebooks.py)."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no benchmark at {path}: run `make bench` to measure the notebooks")
    return json.loads(path.read_text())
