"""course_utils.diagram: the box and arrow of the unrolled-network pictures draw what they say, where they say."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_utils.diagram import arrow, box


@pytest.fixture
def ax():
    figure, axes = plt.subplots()
    yield axes
    plt.close(figure)


def test_box_is_one_patch_centred_on_its_point_with_its_text(ax):
    box(ax, 2.0, 1.0, "tanh", "#cfe2f3", width=1.1, height=0.8)
    (patch,), (text,) = ax.patches, ax.texts
    corner, width, height = np.array(patch.get_bbox().p0), patch.get_bbox().width, patch.get_bbox().height
    assert np.allclose(corner + [width / 2, height / 2], [2.0, 1.0])
    assert np.isclose(width, 1.1) and np.isclose(height, 0.8)
    assert text.get_text() == "tanh" and np.allclose(text.get_position(), (2.0, 1.0))


def test_arrow_label_sits_at_the_middle_moved_by_the_offset(ax):
    arrow(ax, (0.0, 0.0), (2.0, 0.0), "U", offset=(0.0, 0.22), color="tab:blue")
    arrow(ax, (0.0, 1.0), (0.0, 2.0))  # no label: no text
    assert len(ax.patches) == 2
    (text,) = ax.texts
    assert text.get_text() == "U" and np.allclose(text.get_position(), (1.0, 0.22))


def test_arrow_style_width_head_curve_and_alpha(ax):
    """The defaults draw notebooks 01 and 03's arrows; notebook 07's are thinner, with smaller heads, or curved."""
    arrow(ax, (0.0, 0.0), (1.0, 0.0))
    arrow(ax, (0.0, 1.0), (1.0, 1.0), color="tab:blue", width=0.8, head="-", head_size=11.0, curve=-0.25, alpha=0.3)
    default, curved = ax.patches
    assert (default.get_linewidth(), default.get_mutation_scale(), default.get_alpha()) == (1.5, 14.0, 1.0)
    assert (curved.get_linewidth(), curved.get_mutation_scale(), curved.get_alpha()) == (0.8, 11.0, 0.3)
    styles = [type(patch.get_arrowstyle()).__name__ for patch in (default, curved)]
    assert styles == ["CurveFilledB", "Curve"]  # '-|>' and '-'
    assert default.get_connectionstyle().rad == 0.0 and curved.get_connectionstyle().rad == -0.25
    with pytest.raises(ValueError, match=r"head must be '-\|>' or '-', got "):
        arrow(ax, (0.0, 0.0), (1.0, 0.0), head="->")


def test_none_draws_on_the_current_axes(ax):
    box(None, 0.0, 0.0, "x", "white")
    assert plt.gca().texts[-1].get_text() == "x"


def test_a_colour_matplotlib_cannot_read_is_refused_by_name(ax):
    with pytest.raises(ValueError, match="face must be a matplotlib colour"):
        box(ax, 0.0, 0.0, "x", "not-a-colour")
