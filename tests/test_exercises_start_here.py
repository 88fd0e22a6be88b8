"""Checker of notebook 00: the slowest notebook, read from the benchmark of the course being run."""

import json

import pytest

from course_utils.course_map import FIRST_NOTEBOOK, load_benchmark
from course_utils.exercises import CORRECT, NOT_ATTEMPTED
from course_utils.exercises.start_here import check_slowest_notebook

TIMES = {"00_start_here.ipynb": 5.0, "02_lstm_gates.ipynb": 90.0, "03_keras_counting_example.ipynb": 60.0}


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A course folder with a known benchmark, made the current folder (as when notebook 00 runs)."""
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / FIRST_NOTEBOOK).write_text("{}")
    (tmp_path / "docs").mkdir()
    notebooks = {name: {"seconds": seconds} for name, seconds in TIMES.items()}
    (tmp_path / "docs" / "notebook_times.json").write_text(json.dumps({"notebooks": notebooks}))
    monkeypatch.chdir(tmp_path / "notebooks")
    return tmp_path


def test_none_is_not_attempted(course, capsys):
    assert check_slowest_notebook(None).status == NOT_ATTEMPTED
    assert "Exercise 00.1 (slowest notebook): not attempted yet" in capsys.readouterr().out


def test_the_slowest_notebook_is_correct(course):
    assert check_slowest_notebook("02_lstm_gates.ipynb").status == CORRECT


@pytest.mark.parametrize("answer, message", [
    ("03_keras_counting_example.ipynb", "took 60 s; another notebook took longer"),  # a slow one, not the slowest
    ("00_start_here.ipynb", "took 5 s; another notebook took longer"),
    ("02_lstm_gates", "is not a measured notebook"),  # without .ipynb
    (2, "as a string, got int"),
])
def test_wrong_answers_fail_with_a_reason(course, answer, message):
    with pytest.raises(AssertionError, match=r"Exercise 00\.1 \(slowest notebook\): not yet right\. .*" + message):
        check_slowest_notebook(answer)


def test_the_slowest_notebook_of_this_course_is_correct():
    times = {name: figures["seconds"] for name, figures in load_benchmark()["notebooks"].items()}
    assert check_slowest_notebook(max(times, key=times.get)).status == CORRECT
