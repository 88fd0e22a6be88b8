"""Tests of course_utils.video (notebook 10): the motion clips, their labels, the models and the plots."""

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy import ndimage, stats

from course_utils.video import (
    DIRECTIONS,
    MOTION_CLASSES,
    REVERSAL_PAIRS,
    REVERSED_CLASS,
    _resized,
    _with_frame_differences,
    binomial_interval,
    build_video_model,
    circular_centroids,
    clip_animation_html,
    digit_sizes,
    direction_counts,
    hidden_states,
    make_motion_clips,
    plot_frame_strips,
    random_frames,
    unwrapped_displacement,
)


@pytest.fixture(scope="module")
def clean():
    """Clips without noise or distractors: the moving digit alone, so its centroid is measurable."""
    return make_motion_clips(120, frames=10, size=24, noise=0.0, distractors=0, seed=3)


def test_clips_are_seeded_balanced_and_in_range():
    first = make_motion_clips(30, seed=7)
    again = make_motion_clips(30, seed=7)
    other = make_motion_clips(30, seed=8)
    assert np.array_equal(first.clips, again.clips) and np.array_equal(first.labels, again.labels)
    assert not np.array_equal(first.clips, other.clips)
    assert first.clips.shape == (30, 12, 24, 24) and first.clips.dtype == np.float32
    assert first.clips.min() >= 0 and first.clips.max() <= 1
    assert np.array_equal(np.bincount(first.labels, minlength=6), [5] * 6)


@pytest.mark.parametrize("seed", range(3))
def test_each_label_matches_the_measured_motion(seed):
    """The class is checked against the digit's measured centroid and ink, not against the generator's own record."""
    data = make_motion_clips(60, frames=int(10 + 2 * seed), size=int(24 + 4 * seed), noise=0.0, distractors=0,
                             seed=seed)
    size = data.clips.shape[2]
    moved = unwrapped_displacement(circular_centroids(data.clips), size)  # (n, 2) rows, columns
    ink = data.clips.sum(axis=(2, 3))  # (n, T)
    expected_direction = {MOTION_CLASSES.index(name): step for name, step in DIRECTIONS.items()}
    assert sorted(expected_direction) == [0, 1, 2, 3] and expected_direction[2] == (-1, 0)  # up: rows decrease
    for label, shift, mass in zip(data.labels, moved, ink, strict=True):
        if label in expected_direction:
            axis = int(np.argmax(np.abs(expected_direction[label])))
            assert shift[axis] * expected_direction[label][axis] > 5  # moved that way by more than 5 pixels
            assert abs(shift[1 - axis]) < 1  # and not along the other axis
            assert np.ptp(mass) < 1e-3 * mass.mean()  # at a constant size
        else:
            assert np.all(np.abs(shift) < 1.5)  # stays in place (the centroid wobbles as pixels round)
            growth = np.diff(mass)
            assert np.all(growth >= -1e-6) if label == 4 else np.all(growth <= 1e-6)
            assert abs(mass[-1] - mass[0]) > 0.5 * mass.min()


def bilinear_matrix(pixels):
    """The (m, 8) bilinear resizing matrix with aligned pixel centres and clamped edges, written out by hand."""
    m = int(round(pixels))
    source = np.clip((np.arange(m) + 0.5) * 8 / m - 0.5, 0, 7)
    low = np.floor(source).astype(int)
    high = np.minimum(low + 1, 7)
    matrix = np.zeros((m, 8))
    matrix[np.arange(m), low] += 1 - (source - low)
    matrix[np.arange(m), high] += source - low
    return matrix


@pytest.mark.parametrize("pixels", [3.2, 6.0, 6.67, 7.33, 8.0, 9.4, 12.0, 17.6, 30.0])
def test_the_digit_is_resized_bilinearly(pixels):
    """scipy.ndimage.zoom(order=1) with grid_mode=True is the bilinear matrix product with pixel centres aligned."""
    image = np.random.default_rng(int(pixels * 10)).random((8, 8))
    matrix = bilinear_matrix(pixels)
    assert np.allclose(_resized(image, pixels), matrix @ image @ matrix.T, atol=1e-12)


def test_direction_counts_count_the_direction_once_the_axis_is_right():
    labels = [0, 1, 2, 3, 4, 5, 0, 2]
    predictions = [1, 1, 2, 2, 4, 0, 0, 3]  # clip 5 (receding called left) has the wrong axis: not counted
    assert direction_counts(labels, predictions) == {"left/right": (2, 3), "up/down": (1, 3),
                                                     "approaching/receding": (1, 1)}
    assert [REVERSED_CLASS[MOTION_CLASSES.index(first)] for first, _ in REVERSAL_PAIRS] == [
        MOTION_CLASSES.index(second) for _, second in REVERSAL_PAIRS]


def test_centroids_agree_with_scipy_away_from_the_edges(clean):
    centroids = circular_centroids(clean.clips)
    checked = 0
    for clip, track in zip(clean.clips, centroids, strict=True):
        for frame, centre in zip(clip, track, strict=True):
            rows, columns = np.nonzero(frame > 0)
            if rows.min() > 0 and columns.min() > 0 and rows.max() < 23 and columns.max() < 23:
                assert np.allclose(ndimage.center_of_mass(frame), centre, atol=0.3)  # circular mean ~ plain mean
                checked += 1
    assert checked > 100


def test_centres_recorded_are_the_centroids_up_to_a_pixel(clean):
    difference = (circular_centroids(clean.clips) - clean.centres + 12) % 24 - 12
    assert np.max(np.abs(difference)) < 3.0  # the ink of a digit is not centred in its box
    assert np.mean(np.abs(difference)) < 0.6


def test_a_single_frame_at_a_random_time_holds_no_class_information():
    """Position uniform on the wrapping canvas and sizes from one list: frame statistics alike in every class."""
    data = make_motion_clips(1200, frames=8, noise=0.0, distractors=0, seed=11)
    times = np.random.default_rng(0).integers(0, 8, size=1200)
    picked_sizes = data.sizes[np.arange(1200), times]
    grid = digit_sizes(8, 24)
    counts = np.array([[np.sum(np.isclose(picked_sizes[data.labels == k], s)) for s in grid] for k in range(6)])
    assert counts.sum() == 1200
    assert stats.chi2_contingency(counts).pvalue > 0.001
    columns = np.floor(data.centres[np.arange(1200), times, 1] / 6).astype(int)  # 4 column bands
    bands = np.array([np.bincount(columns[data.labels == k], minlength=4) for k in range(6)])
    assert stats.chi2_contingency(bands).pvalue > 0.001


def test_a_clip_played_backwards_is_a_clip_of_the_reversed_class(clean):
    moved = unwrapped_displacement(circular_centroids(clean.clips[:, ::-1]), 24)
    for label, shift in zip(clean.labels, moved, strict=True):
        if label < 4:
            reversed_label = REVERSED_CLASS[label]
            axis = 1 if reversed_label in (0, 1) else 0
            assert np.sign(shift[axis]) == (-1 if reversed_label in (0, 2) else 1)
    assert [REVERSED_CLASS[REVERSED_CLASS[k]] for k in range(6)] == list(range(6))


def test_unwrapped_displacement_takes_the_short_way_round():
    centres = np.array([[[0.0, 22.0], [0.0, 23.5], [0.0, 1.0], [0.0, 2.5]]])  # crossing the right edge
    assert np.allclose(unwrapped_displacement(centres, 24), [[0.0, 4.5]])


def test_random_frames_pick_the_frame_of_the_time_reported():
    data = make_motion_clips(12, seed=1)
    frames, times = random_frames(data.clips, seed=5)
    assert frames.shape == (12, 24, 24) and times.shape == (12,)
    assert all(np.array_equal(frames[i], data.clips[i, times[i]]) for i in range(12))


@pytest.mark.parametrize("successes, trials", [(0, 10), (5, 10), (17, 100), (200, 1200), (1200, 1200)])
def test_binomial_interval_is_clopper_pearson(successes, trials):
    low, high = binomial_interval(successes, trials, confidence=0.95)
    expected_low = 0.0 if successes == 0 else stats.beta.ppf(0.025, successes, trials - successes + 1)
    expected_high = 1.0 if successes == trials else stats.beta.ppf(0.975, successes + 1, trials - successes)
    assert np.isclose(low, expected_low) and np.isclose(high, expected_high)


def test_models_have_the_documented_inputs_and_outputs():
    data = make_motion_clips(6, frames=5, seed=0)
    lstm = build_video_model("cnn_lstm", 24, units=7)
    assert lstm(data.clips).shape == (6, 6)
    assert lstm(data.clips[:, :2]).shape == (6, 6)  # any number of frames
    assert np.allclose(np.asarray(lstm(data.clips)).sum(axis=1), 1, atol=1e-5)
    states = hidden_states(lstm, data.clips)
    assert states.shape == (6, 5, 7)
    assert np.allclose(hidden_states(lstm, data.clips[:, :3]), states[:, :3], atol=1e-5)  # causal: no peeking ahead
    blind = build_video_model("order_blind", 24)
    shuffled = data.clips[:, np.random.default_rng(0).permutation(5)]
    assert np.allclose(np.asarray(blind(data.clips)), np.asarray(blind(shuffled)), atol=1e-5)  # order-blind
    single = build_video_model("single_frame", 24)
    assert single(data.clips[:, 0]).shape == (6, 6)
    reversed_clips = data.clips[:, ::-1]
    for model in (build_video_model("temporal_conv", 24), build_video_model("cnn_lstm", 24, frame_differences=True),
                  build_video_model("order_blind", 24, frame_differences=True)):  # the differences carry the order
        assert model(data.clips).shape == (6, 6)
        assert not np.allclose(np.asarray(model(data.clips)), np.asarray(model(reversed_clips)), atol=1e-4)
    with_differences = build_video_model("cnn_lstm", 24, units=5, frame_differences=True)
    assert np.allclose(hidden_states(with_differences, data.clips[:, :3]), hidden_states(with_differences, data.clips)[
        :, :3], atol=1e-5)  # still causal: the difference looks back, never ahead


def test_frame_differences_are_each_frame_and_its_change():
    clips = np.random.default_rng(0).random((2, 4, 16, 16)).astype(np.float32)
    stacked = np.asarray(_with_frame_differences(clips))
    assert stacked.shape == (2, 4, 16, 16, 2)
    assert np.array_equal(stacked[..., 0], clips)
    assert np.allclose(stacked[:, 0, ..., 1], 0) and np.allclose(stacked[:, 1:, ..., 1], np.diff(clips, axis=1))


def test_the_animation_plays_offline():
    data = make_motion_clips(3, frames=4, seed=0)
    html = clip_animation_html(data.clips, data.labels, interval_ms=100)
    assert "<script" in html and "data:image/png;base64" in html
    assert not re.search(r"""src\s*=\s*["']?\s*(https?:)?//""", html)  # no script or image from the network
    assert not re.search(r"https?://", html)
    assert "&#9654;" in html and "fa-play" not in html  # the buttons are drawn as text, not with a web font


def test_frame_strips_show_one_row_per_clip():
    data = make_motion_clips(3, seed=0)
    fig = plot_frame_strips(data.clips, data.labels, frames_shown=4)
    assert len(fig.axes) == 12
    assert fig.axes[0].get_ylabel() == MOTION_CLASSES[data.labels[0]]
    plt.close(fig)


@pytest.mark.parametrize("call, error", [
    (lambda: make_motion_clips(0), ValueError),
    (lambda: make_motion_clips(10, frames=1), ValueError),
    (lambda: make_motion_clips(10, size=8), ValueError),
    (lambda: make_motion_clips(10, noise=-0.1), ValueError),
    (lambda: make_motion_clips(10, seed=-1), ValueError),
    (lambda: make_motion_clips(2.5), TypeError),
    (lambda: make_motion_clips(10, distractors="one"), TypeError),
    (lambda: circular_centroids(np.zeros((2, 3, 24, 20))), ValueError),
    (lambda: circular_centroids(np.zeros((3, 24, 24))), ValueError),
    (lambda: unwrapped_displacement(np.zeros((2, 3, 3)), 24), ValueError),
    (lambda: binomial_interval(11, 10), ValueError),
    (lambda: build_video_model("gru", 24), ValueError),
    (lambda: build_video_model("cnn_lstm", 24, frame_differences="yes"), ValueError),
    (lambda: build_video_model("single_frame", 24, frame_differences=True), ValueError),
    (lambda: direction_counts([0, 1], [0, 6]), ValueError),
    (lambda: direction_counts([0, 1], [0]), ValueError),
    (lambda: hidden_states(build_video_model("order_blind", 24), np.zeros((1, 2, 24, 24))), TypeError),
    (lambda: plot_frame_strips(np.zeros((2, 3, 24, 24)), [0, 9]), ValueError),
    (lambda: clip_animation_html(np.zeros((2, 3, 24, 24)), [0]), ValueError),
])
def test_bad_arguments_raise_clear_errors(call, error):
    with pytest.raises(error, match="must"):
        call()
