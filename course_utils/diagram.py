"""Boxes and arrows: the one drawing primitive of the course's unrolled-network pictures (notebooks 01, 03, 07).

`draw_unrolled_rnn` (course_utils.rnn), `draw_lstm_outputs` (course_utils.counting) and `draw_encoder_decoder`
(course_utils.translation) draw their cells, inputs and states with `box` and the connections between them with
`arrow`, so the pictures look alike.
"""

from __future__ import annotations

from course_utils.validation import checked


def _colour(name: str, value, dims: dict) -> str:
    """@checked spec: a matplotlib colour, by name ('black', 'tab:blue') or as '#rrggbb'."""
    from matplotlib.colors import is_color_like  # imported here: importing course_utils stays light

    if not isinstance(value, str) or not is_color_like(value):
        raise ValueError(f"{name} must be a matplotlib colour such as 'black', 'tab:blue' or '#cfe2f3', got "
                         f"{value!r}"[:160])
    return value


@checked(ax="Axes or None", cx="float", cy="float", text="str", face=_colour, width="float >= 0",
         height="float >= 0", fontsize="float >= 1")
def box(ax, cx, cy, text, face, width=1.0, height=0.6, fontsize=12):
    """A rounded box of `width` x `height` centred on (cx, cy), filled with colour `face`, with `text` in it.

    Draws on `ax` (None: the current Axes of matplotlib).
    """
    import matplotlib.pyplot as plt  # imported here: importing course_utils stays light
    from matplotlib.patches import FancyBboxPatch

    ax = ax or plt.gca()
    ax.add_patch(FancyBboxPatch((cx - width / 2, cy - height / 2), width, height,
                                boxstyle="round,pad=0.05", facecolor=face, edgecolor="black"))
    ax.text(cx, cy, text, ha="center", va="center", fontsize=fontsize)


@checked(ax="Axes or None", start="(2,) floats", end="(2,) floats", label="str or None", offset="(2,) floats",
         color=_colour, width="float > 0", head=("-|>", "-"), head_size="float > 0", curve="float",
         alpha="float in [0, 1]")
def arrow(ax, start, end, label=None, offset=(0.0, 0.0), color="black", width=1.5, head="-|>", head_size=14.0,
          curve=0.0, alpha=1.0):
    """An arrow from `start` to `end` (x, y), with an optional `label` at its middle moved by `offset`.

    Draws on `ax` (None: the current Axes of matplotlib) a line `width` points wide, with a head ("-|>") of
    `head_size` or none ("-"), bent by `curve` (0: straight; matplotlib's arc3 rad), `alpha` opaque.
    """
    import matplotlib.pyplot as plt  # imported here: importing course_utils stays light
    from matplotlib.patches import FancyArrowPatch

    ax = ax or plt.gca()
    ax.add_patch(FancyArrowPatch(tuple(start), tuple(end), arrowstyle=head, mutation_scale=head_size, color=color,
                                 linewidth=width, connectionstyle=f"arc3,rad={curve}", alpha=alpha))
    if label is not None:
        middle = (start + end) / 2 + offset  # (2,): start, end and offset are arrays here
        ax.text(middle[0], middle[1], label, ha="center", va="center", fontsize=11, color=color)
