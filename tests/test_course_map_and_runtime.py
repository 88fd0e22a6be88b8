"""course_utils.runtime, course_utils.validation and course_utils.course_map."""

import subprocess
import sys

import numpy as np
import pytest

from course_utils.course_map import COURSE_MAP, course_status
from course_utils.runtime import Timer, environment_report, seed_everything
from course_utils.validation import as_float_array, check_float, check_int, check_shape


def test_seed_everything_makes_numpy_and_keras_repeat():
    import keras

    seed_everything(7)
    first = (np.random.rand(3), keras.random.normal((3,)).numpy())
    seed_everything(7)
    second = (np.random.rand(3), keras.random.normal((3,)).numpy())
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


@pytest.mark.parametrize("bad, error", [(-1, ValueError), (2**32, ValueError), (1.0, TypeError), (None, TypeError)])
def test_seed_everything_rejects_bad_seed(bad, error):
    with pytest.raises(error, match="seed must be"):
        seed_everything(bad)


def test_timer_measures_wall_time():
    import time

    with Timer() as timer:
        time.sleep(0.05)
    assert 0.04 <= timer.seconds < 1.0
    assert "s" in repr(timer)


def test_environment_report_has_versions_and_no_gpu_needed():
    report = environment_report()
    assert report["python"].startswith("3.")
    assert report["keras"].startswith("3.")
    assert report["cpu_count"] >= 1
    assert report["gpus_visible_to_tensorflow"] >= 0


def test_importing_course_utils_is_light_and_side_effect_free():
    code = ("import sys, course_utils, course_utils.data, course_utils.validation, course_utils.course_map, "
            "course_utils.exercises.counting, course_utils.runtime; "
            "print('tensorflow' in sys.modules or 'keras' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_course_map_is_numbered_in_order():
    assert [entry.number for entry in COURSE_MAP] == list(range(12))
    assert len({entry.slug for entry in COURSE_MAP}) == 12
    statuses = course_status()
    assert len(statuses) == 12 and {s["status"] for s in statuses} <= {"ready", "coming"}


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
    with pytest.raises(TypeError, match="complex"):
        as_float_array("z", np.array([1j]))
    with pytest.raises(TypeError, match="x must be an array of numbers"):
        as_float_array("x", [[1, 2], [3]])
    assert as_float_array("e", [], allow_empty=True).shape == (0,)
