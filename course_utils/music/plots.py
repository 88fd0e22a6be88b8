"""The piano roll (notebook 09): a chorale's four voices drawn as bars, one per beat."""

from __future__ import annotations

import numpy as np

from course_utils.music.chorales import STEPS, VOICES
from course_utils.validation import checked


@checked(steps=STEPS, ax="Axes or None", title="str")
def plot_piano_roll(steps, ax=None, title: str = ""):
    """Draw a chorale (T, 4) as a piano roll: one coloured bar per voice and beat (notebook 09). Returns the Axes.

    The legend sits outside the axes, on the right, so that it never hides a note.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 3))
    for voice in range(4):
        beats = np.flatnonzero(steps[:, voice] > 0)
        ax.barh(steps[beats, voice], 0.9, left=beats, height=0.8, color=f"C{voice}", label=VOICES[voice])
    ax.set(xlabel="beat (quarter note)", ylabel="MIDI pitch (60 = middle C)", title=title, xlim=(0, len(steps)))
    ax.legend(loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=8, frameon=False)
    return ax
