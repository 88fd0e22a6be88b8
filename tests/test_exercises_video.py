"""Exercise checkers of notebook 10: None is 'not attempted', a right answer passes, the typical wrong one fails."""

import numpy as np
import pytest

from course_utils.exercises.video import check_centroid_track, check_order_aware_head, check_order_blind_ceiling


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


def conv_head(per_frame):  # right: a Conv1D sees neighbouring frames together, then the average
    import keras

    local = keras.layers.Conv1D(8, 3, activation="relu")(per_frame)
    return keras.layers.Dense(6, activation="softmax")(keras.layers.GlobalAveragePooling1D()(local))


def difference_head(per_frame):  # right too: the change from each frame's features to the next, then the average
    import keras

    change = keras.layers.Lambda(lambda f: f[:, 1:] - f[:, :-1])(per_frame)
    detected = keras.layers.Dense(8, activation="relu")(change)
    return keras.layers.Dense(6, activation="softmax")(keras.layers.GlobalAveragePooling1D()(detected))


def mean_head(per_frame):  # the usual mistake: average over time first, which forgets the order
    import keras

    averaged = keras.layers.GlobalAveragePooling1D()(per_frame)
    return keras.layers.Dense(6, activation="softmax")(keras.layers.Dense(8, activation="relu")(averaged))


def absolute_change_head(per_frame):  # order-blind too: |change| is the same played backwards
    import keras

    change = keras.layers.Lambda(lambda f: keras.ops.abs(f[:, 1:] - f[:, :-1]))(per_frame)
    return keras.layers.Dense(6, activation="softmax")(keras.layers.GlobalAveragePooling1D()(change))


def lstm_head(per_frame):
    import keras

    return keras.layers.Dense(6, activation="softmax")(keras.layers.LSTM(4)(per_frame))


def flatten_head(per_frame):  # needs a fixed number of frames
    import keras

    return keras.layers.Dense(6, activation="softmax")(keras.layers.Flatten()(per_frame))


def no_softmax_head(per_frame):
    import keras

    return keras.layers.Dense(6)(keras.layers.Conv1D(4, 2)(per_frame)[:, -1])


def last_frame_head(per_frame):  # reads one frame: differs played backwards, yet sees no motion
    import keras

    return keras.layers.Dense(6, activation="softmax")(keras.layers.Lambda(lambda f: f[:, -1])(per_frame))


def one_middle_frame_head(per_frame):  # one frame again, from the middle: swapping it with its neighbour changes it
    import keras

    return keras.layers.Dense(6, activation="softmax")(keras.layers.Lambda(lambda f: f[:, 5])(per_frame))


def ends_head(per_frame):  # the first and the last frame: order-aware at the ends, blind to the middle
    import keras

    ends = keras.layers.Lambda(lambda f: keras.ops.concatenate([f[:, 0], f[:, -1]], axis=-1))(per_frame)
    return keras.layers.Dense(6, activation="softmax")(ends)


def mean_and_ends_head(per_frame):  # reads every frame, but its order only at the ends
    import keras

    summary = keras.layers.Lambda(lambda f: keras.ops.concatenate([keras.ops.mean(f, axis=1), f[:, 0] - f[:, -1]],
                                                                  axis=-1))(per_frame)
    return keras.layers.Dense(6, activation="softmax")(summary)


def ten_frames_head(per_frame):  # builds on (batch, None, 8), yet works only for clips of exactly 10 frames
    import keras

    flat = keras.layers.Lambda(lambda f: keras.ops.reshape(f, (-1, 10 * 8)), output_shape=(10 * 8,))(per_frame)
    return keras.layers.Dense(6, activation="softmax")(flat)


@pytest.mark.parametrize("head", [conv_head, difference_head])
def test_heads_that_read_the_order_pass(head, capsys):
    check_order_aware_head(head)
    assert "correct!" in capsys.readouterr().out


def test_the_head_exercise_unattempted_prints_a_hint(capsys):
    check_order_aware_head(None)
    assert "not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize("head, message", [
    (mean_head, "order-blind"), (absolute_change_head, "order-blind"), (lstm_head, "recurrent"),
    (flatten_head, "any number of frames"), (no_softmax_head, "softmax"), (lambda per_frame: 3, "Keras tensor"),
    (lambda per_frame: 1 / 0, "ZeroDivisionError"), (last_frame_head, "one frame only"),
    (one_middle_frame_head, "one frame only"), (ends_head, "middle of the clip does not change"),
    (mean_and_ends_head, "swapping two neighbouring frames"), (3, "pass a function head"),
    (ten_frames_head, "any number of frames; with 6"),
])
def test_wrong_heads_fail_with_a_reason(head, message):
    with pytest.raises(AssertionError, match=message):
        check_order_aware_head(head)
