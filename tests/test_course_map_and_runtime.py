"""course_utils.runtime, course_utils.validation and course_utils.course_map (what every notebook shares)."""

import json
import os
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # these unit tests only build figures; notebooks use the inline backend

import keras
import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_utils.course_map import (
    COURSE_MAP,
    FIRST_NOTEBOOK,
    course_status,
    find_notebooks_dir,
    load_benchmark,
    plot_notebook_times,
)
from course_utils.forecasting import make_windows
from course_utils.runtime import Timer, environment_report, fit_full_batch, seed_everything, seed_offset
from course_utils.validation import as_float_array, check_float, check_int, check_shape
from scripts.repo_paths import BENCHMARK_FILE, NOTEBOOKS_DIR, REPO_ROOT, course_notebooks

# ----------------------------------------------------------------------------- seeding, timing, environment


def test_seed_everything_makes_numpy_and_keras_repeat():
    seed_everything(7)
    first = (np.random.rand(3), keras.random.normal((3,)).numpy())
    seed_everything(7)
    second = (np.random.rand(3), keras.random.normal((3,)).numpy())
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    seed_everything(8)
    assert not np.array_equal(np.random.rand(3), first[0])


def test_seed_offset_shifts_the_seed(monkeypatch):
    monkeypatch.delenv("COURSE_SEED_OFFSET", raising=False)
    assert seed_offset() == 0 and seed_everything(5) == 5
    reference = np.random.rand(3)
    monkeypatch.setenv("COURSE_SEED_OFFSET", " 3 ")
    assert seed_offset() == 3 and seed_everything(5) == 8
    shifted = np.random.rand(3)
    seed_everything(8 - 3)
    np.testing.assert_array_equal(np.random.rand(3), shifted)
    assert not np.array_equal(shifted, reference)
    monkeypatch.setenv("COURSE_SEED_OFFSET", "two")
    with pytest.raises(ValueError, match="COURSE_SEED_OFFSET must be an integer, got 'two'"):
        seed_offset()
    monkeypatch.setenv("COURSE_SEED_OFFSET", "-10")
    with pytest.raises(ValueError, match=r"seed \+ COURSE_SEED_OFFSET must be >= 0"):
        seed_everything(5)


@pytest.mark.parametrize("bad, error", [(-1, ValueError), (2**32, ValueError), (1.0, TypeError), (None, TypeError)])
def test_seed_everything_rejects_bad_seed(bad, error):
    with pytest.raises(error, match="seed must be"):
        seed_everything(bad)


def test_timer_measures_wall_time():
    timer = Timer()
    assert repr(timer) == "Timer(running)" and timer.seconds is None
    with timer:
        time.sleep(0.05)
    assert 0.04 <= timer.seconds < 1.0
    assert repr(timer) == f"Timer({timer.seconds:.2f} s)"


def test_environment_report_is_this_environment():
    import platform

    import tensorflow as tf

    report = environment_report()
    assert report["python"] == platform.python_version()
    assert report["keras"] == keras.__version__ and report["tensorflow"] == tf.__version__
    assert report["numpy"] == np.__version__ and report["matplotlib"] == matplotlib.__version__
    assert report["machine"] == platform.machine() and report["cpu_count"] == os.cpu_count()
    assert report["gpus_visible_to_tensorflow"] == len(tf.config.list_physical_devices("GPU"))
    json.dumps(report)  # pasteable into a bug report: plain values only


# ----------------------------------------------------------------------------- fit_full_batch (notebook 03)


def _compiled_linear_model(steps_per_execution):
    model = keras.Sequential([keras.Input((3, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse", steps_per_execution=steps_per_execution)
    return model


def test_fit_full_batch_takes_exactly_the_steps_of_plain_full_batch_fit():
    X, y = make_windows(np.linspace(0, 1, 20), lookback=3)
    seed_everything(0)
    fast = _compiled_linear_model(steps_per_execution=10)
    seed_everything(0)
    plain = _compiled_linear_model(steps_per_execution=1)
    history = fit_full_batch(fast, X, y, steps=30, steps_per_call=10)
    plain.fit(X, y, batch_size=len(X), epochs=30, shuffle=False, verbose=0)
    assert len(history.history["loss"]) == 3
    for fast_weight, plain_weight in zip(fast.get_weights(), plain.get_weights(), strict=True):
        np.testing.assert_allclose(fast_weight, plain_weight, rtol=1e-5, atol=1e-6)


def test_fit_full_batch_rejects_bad_arguments():
    X, y = make_windows(np.arange(10.0), lookback=3)
    model = _compiled_linear_model(steps_per_execution=5)
    with pytest.raises(ValueError, match=r"steps must be a multiple of steps_per_call \(5\), got 7"):
        fit_full_batch(model, X, y, steps=7, steps_per_call=5)
    with pytest.raises(ValueError, match="compile the model with steps_per_execution=4"):
        fit_full_batch(model, X, y, steps=8, steps_per_call=4)
    with pytest.raises(ValueError, match=r"y must have shape \(7, ...\), got \(6, 1\)"):
        fit_full_batch(model, X, y[:-1], steps=5, steps_per_call=5)
    with pytest.raises(TypeError, match="model must be a compiled keras.Model, got object"):
        fit_full_batch(object(), X, y, steps=5, steps_per_call=5)
    with pytest.raises(TypeError, match="model must be a compiled keras.Model"):
        uncompiled = keras.Sequential([keras.Input((3, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
        fit_full_batch(uncompiled, X, y, steps=5, steps_per_call=5)
    with pytest.raises(ValueError, match="steps must be >= 1"):
        fit_full_batch(model, X, y, steps=0, steps_per_call=5)


# ----------------------------------------------------------------------------- the course map


def test_course_map_is_numbered_in_order():
    assert [entry.number for entry in COURSE_MAP] == list(range(12))
    assert len({entry.slug for entry in COURSE_MAP}) == 12
    assert COURSE_MAP[0].filename == FIRST_NOTEBOOK


def test_course_status_of_this_course_says_which_notebooks_are_written():
    written = {path.name for path in course_notebooks()}
    assert FIRST_NOTEBOOK in written and len(written) >= 5  # 00-04 are written
    statuses = course_status(NOTEBOOKS_DIR)
    assert [row["notebook"] for row in statuses] == [entry.filename for entry in COURSE_MAP]
    for row in statuses:
        assert row["status"] == ("ready" if row["notebook"] in written else "coming"), row
    assert course_status() == statuses  # from the current folder, the project's top folder under pytest


def test_course_status_of_a_temporary_notebooks_folder(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for entry in (COURSE_MAP[0], COURSE_MAP[2], COURSE_MAP[7]):
        (folder / entry.filename).write_text("{}")
    (folder / "02_not_in_the_map.ipynb").write_text("{}")
    statuses = {row["notebook"]: row["status"] for row in course_status(folder)}
    assert [name for name, status in statuses.items() if status == "ready"] == [
        COURSE_MAP[0].filename, COURSE_MAP[2].filename, COURSE_MAP[7].filename]
    assert list(statuses.values()).count("coming") == 9
    assert course_status(str(tmp_path)) == course_status(folder)  # the folder above notebooks/ works too


def test_find_notebooks_dir_from_a_subfolder_from_notebooks_and_from_the_top(tmp_path, monkeypatch):
    notebooks = tmp_path / "course" / "notebooks"
    deep = notebooks / "solutions" / "deeper"
    deep.mkdir(parents=True)
    (notebooks / FIRST_NOTEBOOK).write_text("{}")
    assert find_notebooks_dir(deep) == notebooks.resolve()
    assert find_notebooks_dir(notebooks) == notebooks.resolve()
    assert find_notebooks_dir(tmp_path / "course") == notebooks.resolve()
    monkeypatch.chdir(deep)  # the default is the current folder: JupyterLab runs a notebook from its folder
    assert find_notebooks_dir() == notebooks.resolve()
    monkeypatch.chdir(REPO_ROOT / "notebooks")
    assert find_notebooks_dir() == NOTEBOOKS_DIR


def test_find_notebooks_dir_elsewhere_is_a_clear_error(tmp_path, monkeypatch):
    if any((folder / FIRST_NOTEBOOK).exists() or (folder / "notebooks" / FIRST_NOTEBOOK).exists()
           for folder in [tmp_path, *tmp_path.parents]):
        pytest.skip("the temporary folder lies inside a course checkout")
    with pytest.raises(FileNotFoundError, match=f"no folder holding {FIRST_NOTEBOOK} found from .*notebooks_dir="):
        find_notebooks_dir(tmp_path)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match="pass notebooks_dir="):
        course_status()
    with pytest.raises(FileNotFoundError, match="start must be an existing folder"):
        find_notebooks_dir(tmp_path / "missing")
    with pytest.raises(TypeError, match="start must be a folder path"):
        find_notebooks_dir(3)


def test_load_benchmark(tmp_path):
    benchmark = load_benchmark(BENCHMARK_FILE)
    assert benchmark == json.loads(BENCHMARK_FILE.read_text())
    assert set(benchmark["notebooks"]) >= {path.name for path in course_notebooks()}
    assert load_benchmark() == benchmark  # found beside notebooks/ from the current folder
    with pytest.raises(FileNotFoundError, match="run `make bench`"):
        load_benchmark(tmp_path / "none.json")
    with pytest.raises(TypeError, match="path must be a file path"):
        load_benchmark(3.0)


def test_plot_notebook_times():
    times = {"00_start_here.ipynb": 5.0, "03_keras_counting_example.ipynb": 60.0}
    ax = plot_notebook_times(times, budget_seconds=50)
    assert [bar.get_width() for bar in ax.patches] == [5.0, 60.0]
    assert [label.get_text() for label in ax.get_yticklabels()] == list(times)
    assert ax.get_lines()[0].get_xdata()[0] == 50
    _, given = plt.subplots()
    assert plot_notebook_times(times, ax=given) is given
    with pytest.raises(TypeError, match="non-empty dict"):
        plot_notebook_times({})
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes or None"):
        plot_notebook_times(times, ax="left")
    plt.close("all")


# ----------------------------------------------------------------------------- validation


def test_validation_messages_name_expected_and_given():
    with pytest.raises(TypeError, match="k must be an integer, got float 1.5"):
        check_int("k", 1.5)
    with pytest.raises(ValueError, match="k must be <= 3, got 4"):
        check_int("k", 4, maximum=3)
    with pytest.raises(ValueError, match="rate must be finite"):
        check_float("rate", float("nan"))
    with pytest.raises(TypeError, match="rate must be a real number"):
        check_float("rate", "0.1")
    with pytest.raises(ValueError, match="rate must be >= 0"):
        check_float("rate", -0.5, minimum=0)
    with pytest.raises(ValueError, match=r"w must have shape \(2, any\), got \(3, 4\)"):
        check_shape("w", np.zeros((3, 4)), (2, None))
    with pytest.raises(TypeError, match="w must be a NumPy array, got list"):
        check_shape("w", [[0.0] * 4] * 3, (3, 4))
    with pytest.raises(TypeError, match="expected must be a tuple of sizes"):
        check_shape("w", np.zeros(3), [3])
    with pytest.raises(TypeError, match="complex"):
        as_float_array("z", np.array([1j]))
    with pytest.raises(TypeError, match="x must be an array of numbers"):
        as_float_array("x", [[1, 2], [3]])
    assert as_float_array("e", [], allow_empty=True).shape == (0,)
    assert isinstance(check_int("k", np.int64(3)), int) and check_float("r", np.float32(0.5)) == 0.5


def test_repo_paths_point_at_this_checkout():
    assert (REPO_ROOT / "pyproject.toml").is_file() and NOTEBOOKS_DIR == Path(REPO_ROOT, "notebooks")
    assert course_notebooks()[0].name == FIRST_NOTEBOOK
