"""Checkers for the exercises of notebook 10 (video analysis): a centroid on a wrapping canvas, the best
accuracy a model blind to frame order can reach, and a model head that reads the order without recurrence."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import array, call, exercise, fail, keras_layers, number
from course_utils.video import (
    MOTION_CLASSES,
    REVERSED_CLASS,
    build_frame_encoder,
    circular_centroids,
    make_motion_clips,
)

CHECK_CLIPS = 24  # clean clips (no noise, no distractor) the centroid checker tries


@exercise("Exercise 10.1 (a centroid on a wrapping canvas)",
          hint="Write centroid_track(clips) -> (n, T, 2): turn each row and column index into an angle, average the "
               "unit vectors weighted by intensity, and turn the mean vector's angle back into a position.")
def check_centroid_track(centroid_track):
    """`centroid_track(clips)` must give the digit's (row, column) on the wrapping canvas, even across an edge."""
    data = make_motion_clips(CHECK_CLIPS, frames=6, size=24, noise=0.0, distractors=0, seed=10)
    answer = array(call(centroid_track, data.clips.copy(), what="centroid_track(clips)"), shape=(CHECK_CLIPS, 6, 2),
                   what="centroid_track's result")
    expected = circular_centroids(data.clips)
    error = np.abs((answer - expected + 12) % 24 - 12)  # distance the short way round
    if np.max(error) < 0.05:
        return
    rows, columns = np.indices((24, 24))
    mass = data.clips.sum(axis=(2, 3))
    plain = np.stack([(data.clips * rows).sum(axis=(2, 3)) / mass, (data.clips * columns).sum(axis=(2, 3)) / mass],
                     axis=-1)
    if np.allclose(answer, plain, atol=0.05):
        fail("that is the plain intensity-weighted mean of the pixel coordinates: it is right while the digit is "
             "whole and lands in the middle of the canvas when the digit straddles an edge. Average angles instead")
    worst = np.unravel_index(np.argmax(error.max(axis=-1)), error.shape[:2])
    fail(f"clip {worst[0]}, frame {worst[1]}: expected (row, column) {np.round(expected[worst], 2)}, got "
         f"{np.round(answer[worst], 2)}")


@exercise("Exercise 10.2 (the order-blind ceiling)",
          hint="A clip played backwards is a clip of another class (REVERSED_CLASS) with the same frames. What can "
               "a model that sees the frames in any order do at best with each such pair?")
def check_order_blind_ceiling(accuracy):
    """The best expected accuracy of a model that sees the frames of a clip in any order, on balanced classes."""
    value = number(accuracy, what="the accuracy")
    if value > 1:
        fail("give the accuracy as a fraction between 0 and 1, not a percentage")
    chance = 1 / len(MOTION_CLASSES)
    pairs = len(MOTION_CLASSES) / 2  # classes pair up with their reversal
    if abs(value - chance) < 1e-6:
        fail("that is chance, the single frame's ceiling: the set of frames does tell the axis of the motion")
    if abs(value - 1.0) < 1e-6:
        fail(f"a clip and its reversal ({MOTION_CLASSES[0]} and {MOTION_CLASSES[REVERSED_CLASS[0]]}) have the same "
             "frames: without the order, no model can tell them apart more often than by a coin toss")
    if abs(value - 0.5) > 1e-6:
        fail(f"with {len(MOTION_CLASSES)} balanced classes in {pairs:.0f} reversal pairs, a perfect order-blind model "
             "knows the pair (the set of frames shows the axis) and tosses a coin within it")


HEAD_SIZE, HEAD_FEATURES = 16, 8  # the small frame encoder the head checker puts under the learner's head


@exercise("Exercise 10.3 (a head that reads the order, without recurrence)",
          hint="Write head(per_frame) -> probabilities: per_frame is a Keras tensor (batch, T, features). Let a layer "
               "see neighbouring frames together (keras.layers.Conv1D, or the change from one frame's features to "
               "the next) before anything averages over time, then a Dense(6, activation='softmax').")
def check_order_aware_head(head):
    """`head(per_frame)` turns frame features (batch, T, features) into class probabilities (batch, 6), with no
    recurrent layer, for clips of any length; its answer must change when the clip is played backwards, when one
    frame in the middle changes and when two neighbouring frames in the middle are swapped (so a head reading one
    frame, or only the ends, fails)."""
    model = _model_with_head(head)  # clips (batch, T, 16, 16) -> probabilities (batch, 6)
    clips = make_motion_clips(4, frames=10, size=HEAD_SIZE, seed=10).clips  # (4, 10, 16, 16)
    _require_any_length_and_probabilities(model, clips)
    _require_the_order_read(model, clips)


def _model_with_head(head):
    """The learner's head on a small frame encoder, as a Keras model; refused if it fails or recurs."""
    import keras

    clips = keras.Input((None, HEAD_SIZE, HEAD_SIZE))  # (batch, T, 16, 16)
    per_frame = keras.layers.TimeDistributed(build_frame_encoder(HEAD_SIZE, 4, HEAD_FEATURES))(clips)
    if not callable(head):
        fail(f"pass a function head(per_frame), got {type(head).__name__}")
    try:
        outputs = head(per_frame)
    except Exception as error:  # the learner's code: report what it raised, in one line
        if "None" in str(error):
            fail("per_frame has shape (batch, None, features): any number of frames. A layer that needs a fixed "
                 "number (Flatten, then Dense) cannot take it; let a Conv1D or a pooling layer handle the time axis")
        fail(f"head(per_frame) raised {type(error).__name__}: {error}"[:300])
    try:
        model = keras.Model(clips, outputs)
    except Exception as error:  # not a Keras tensor, or not built from per_frame
        fail(f"head must return the Keras tensor of its last layer, built from per_frame ({type(error).__name__})")
    recurrent = [layer.name for layer in keras_layers(model) if isinstance(layer, keras.layers.RNN)]
    if recurrent:
        fail(f"{recurrent[0]} is a recurrent layer: that is section 4's model. Read the order without one")
    return model


def _require_any_length_and_probabilities(model, clips: np.ndarray) -> None:
    """The model must take clips (n, T, size, size) of 10 frames and of 6, and answer probabilities (n, 6)."""
    for frames in (10, 6):  # clips of any length, as every model of the notebook takes
        try:
            probabilities = np.asarray(model(clips[:, :frames], training=False))
        except Exception as error:
            fail(f"the head must take clips of any number of frames; with {frames}: {type(error).__name__}")
        probabilities = array(probabilities, shape=(len(clips), len(MOTION_CLASSES)), what="the head's output")
        if not np.allclose(probabilities.sum(axis=1), 1, atol=1e-4) or probabilities.min() < 0:
            fail("the head must end in probabilities over the 6 classes: Dense(6, activation='softmax')")


def _require_the_order_read(model, clips: np.ndarray) -> None:
    """The answer to clips (n, 10, size, size) must change played backwards, with a middle frame changed, and with
    the two middle frames swapped."""
    forwards = np.asarray(model(clips, training=False))  # (n, 6)

    def changes(altered):  # does the model answer these (altered) clips differently from the originals?
        return np.max(np.abs(np.asarray(model(altered, training=False)) - forwards)) > 1e-4

    if not changes(clips[:, ::-1]):  # the usual mistake: pooling over time first
        fail("a clip and the same clip played backwards get the same answer: the head is order-blind. Averaging "
             "(or taking the maximum, or summing absolute changes) over time forgets the order; let a layer see "
             "neighbouring frames together before anything pools over time")
    read = [t for t in range(10) if changes(_with_frame_replaced(clips, t))]  # frames the answer depends on
    if len(read) <= 1:
        fail(f"the answer depends on one frame only (frame {read[0] if read else '?'} of 10): one frame holds no "
             "motion. Let the head read every frame, neighbours side by side, before it pools over time")
    if 4 not in read or 5 not in read:
        fail("changing a frame in the middle of the clip does not change the answer: the head reads only some "
             "frames (the ends?). Let it read every frame")
    swapped = clips.copy()
    swapped[:, [4, 5]] = clips[:, [5, 4]]
    if not changes(swapped):
        fail("swapping two neighbouring frames in the middle of the clip does not change the answer: the head "
             "does not read the order there. Let a layer see neighbouring frames together")


def _with_frame_replaced(clips: np.ndarray, t: int) -> np.ndarray:
    """The clips (n, T, size, size) with frame t of each taken from the next clip instead."""
    altered = clips.copy()
    altered[:, t] = np.roll(clips[:, t], 1, axis=0)
    return altered
