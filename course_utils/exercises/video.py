"""Checkers for the exercises of notebook 10 (video analysis): a centroid on a wrapping canvas, and the best
accuracy a model blind to frame order can reach."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import array, call, exercise, fail, number
from course_utils.video import MOTION_CLASSES, REVERSED_CLASS, circular_centroids, make_motion_clips

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
