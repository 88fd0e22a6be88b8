"""Exercise checkers of notebook 10: None is 'not attempted', a right answer passes, the typical wrong one fails."""

import numpy as np
import pytest

from course_utils.exercises.video import check_centroid_track, check_order_blind_ceiling


def right_centroid_track(clips):
    size = clips.shape[2]
    angles = 2 * np.pi * np.arange(size) / size
    rows = clips.sum(axis=3) @ np.exp(1j * angles)  # (n, T): intensity along the rows, as a mean vector
    columns = clips.sum(axis=2) @ np.exp(1j * angles)
    return np.stack([np.angle(rows) % (2 * np.pi), np.angle(columns) % (2 * np.pi)], axis=-1) * size / (2 * np.pi)


def plain_centroid_track(clips):  # the typical wrong answer: a plain mean, wrong across an edge
    rows, columns = np.indices(clips.shape[2:])
    mass = clips.sum(axis=(2, 3))
    return np.stack([(clips * rows).sum(axis=(2, 3)) / mass, (clips * columns).sum(axis=(2, 3)) / mass], axis=-1)


def test_unattempted_exercises_print_a_hint(capsys):
    check_centroid_track(None)
    check_order_blind_ceiling(None)
    assert capsys.readouterr().out.count("not attempted yet") == 2


def test_right_answers_pass(capsys):
    check_centroid_track(right_centroid_track)
    check_order_blind_ceiling(0.5)
    assert capsys.readouterr().out.count("correct!") == 2


@pytest.mark.parametrize("function, message", [
    (plain_centroid_track, "straddles an edge"),
    (lambda clips: right_centroid_track(clips)[..., ::-1], "expected"),  # (column, row)
    (lambda clips: right_centroid_track(clips)[:, 0], "shape"),
    (lambda clips: 1 / 0, "ZeroDivisionError"),
])
def test_wrong_centroids_fail_with_a_reason(function, message):
    with pytest.raises(AssertionError, match=message):
        check_centroid_track(function)


@pytest.mark.parametrize("answer, message", [
    (1 / 6, "chance"), (1.0, "coin toss"), (50, "fraction"), (1 / 3, "reversal pairs"), ("half", "number"),
])
def test_wrong_ceilings_fail_with_a_reason(answer, message):
    with pytest.raises(AssertionError, match=message):
        check_order_blind_ceiling(answer)
