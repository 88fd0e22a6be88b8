"""Sound (notebook 09): a chorale played by additive synthesis in NumPy, no sound font."""

from __future__ import annotations

import numpy as np

from course_utils.music.chorales import STEPS
from course_utils.validation import checked


@checked(voice="(T,) ints in [0, 127]")
def held_notes(voice) -> list[tuple[int, int, int]]:
    """(MIDI pitch, first beat, end beat) of each note of one voice (T,): equal pitches on consecutive beats make
    one held note, as the player and the MIDI file sound them (notebook 09)."""
    found, start = [], 0
    for beat in range(1, len(voice) + 1):
        if beat == len(voice) or voice[beat] != voice[start]:
            if voice[start] > 0:
                found.append((int(voice[start]), start, beat))
            start = beat
    return found


@checked(steps=STEPS, seconds_per_beat="float in [0.05, 5]", sample_rate="int in [1000, 96000]")
def synthesize(steps, seconds_per_beat: float = 0.5, sample_rate: int = 8000) -> np.ndarray:
    """Audio (samples,) in [-1, 1] of a chorale (T, 4): each note a sum of three sine harmonics with a short fade.

    Additive synthesis in NumPy, no sound font (notebook 09): a held note (the same pitch on consecutive beats)
    sounds once, for its whole length; every note fades in and out over 10 ms so that it does not click.
    """
    beat_samples = round(seconds_per_beat * sample_rate)
    audio = np.zeros(len(steps) * beat_samples)
    fade = max(1, round(0.01 * sample_rate))
    for voice in range(4):
        for pitch, first, last in held_notes(steps[:, voice]):
            length = (last - first) * beat_samples
            t = np.arange(length) / sample_rate  # seconds since the note began
            frequency = 440.0 * 2 ** ((pitch - 69) / 12)
            harmonics = [k for k in (1, 2, 3) if k * frequency < sample_rate / 2]  # below the Nyquist frequency
            tone = sum(np.sin(2 * np.pi * k * frequency * t) / k ** 2 for k in harmonics)
            envelope = np.minimum(1.0, np.minimum(np.arange(length) + 1, length - np.arange(length)) / fade)
            audio[first * beat_samples:last * beat_samples] += tone * envelope * np.exp(-0.6 * t)
    peak = np.abs(audio).max()
    return audio / peak * 0.9 if peak > 0 else audio
