"""Is it music? Statistics of a chorale's beats (T, 4) of MIDI pitches (notebook 09), for Bach's and for samples.

Melody: each voice's range, notes in the key, and its moves from beat to beat (the same note again, a step, a leap).
Harmony: voice crossings, parallel fifths and octaves (what harmony textbooks forbid), and beats that form a chord.
All count on the beat grid, so a held note and a repeated one look the same, and a passing note between beats is
not seen: Bach's own chorales are measured the same way, as the reference. A share with nothing to count (no note,
no beat where all four voices sound) is NaN, which pandas leaves out of a mean.
"""

from __future__ import annotations

import functools
import itertools

import numpy as np

from course_utils.music.chorales import KEY_DEGREES, MODES, STEPS, VOICES
from course_utils.validation import checked

# The chords of four-part harmony as pitch classes above the root: triads (major, minor, diminished, augmented)
# and seventh chords (dominant, major, minor, half-diminished, diminished).
CHORDS = {"major": (0, 4, 7), "minor": (0, 3, 7), "diminished": (0, 3, 6), "augmented": (0, 4, 8),
          "dominant seventh": (0, 4, 7, 10), "major seventh": (0, 4, 7, 11), "minor seventh": (0, 3, 7, 10),
          "half-diminished seventh": (0, 3, 6, 10), "diminished seventh": (0, 3, 6, 9)}


@functools.cache
def _in_a_chord() -> np.ndarray:
    """(4096,) bool: is the set of pitch classes with these 12 bits contained in one chord of CHORDS, at any root?"""
    chords = {sum(1 << ((root + degree) % 12) for degree in chord) for chord in CHORDS.values() for root in range(12)}
    return np.array([any(mask & chord == mask for chord in chords) for mask in range(4096)])


@checked(steps=STEPS)
def pitch_ranges(steps) -> np.ndarray:
    """Lowest and highest MIDI pitch of each voice (4, 2), rests ignored (notebook 09)."""
    ranges = np.zeros((4, 2), dtype=np.int64)
    for voice in range(4):
        sounding = steps[:, voice][steps[:, voice] > 0]
        if len(sounding) == 0:
            raise ValueError(f"steps must have a note in every voice; the {VOICES[voice]} only rests")
        ranges[voice] = sounding.min(), sounding.max()
    return ranges


@checked(steps=STEPS, tonic="int in [0, 11]", mode=MODES)
def in_key_share(steps, tonic: int, mode: str) -> float:
    """Share of the sounding notes whose pitch class belongs to the key (tonic, mode) (notebook 09).

    Minor keys count the raised sixth and seventh as in the key (melodic and harmonic minor): see KEY_DEGREES. So a
    note drawn at random is in the key with probability 7/12 in major and 9/12 in minor: the chance level.
    """
    sounding = steps[steps > 0]  # (notes,)
    return _share(np.isin((sounding - tonic) % 12, KEY_DEGREES[mode]))


@checked(steps=STEPS, ranges="(4, 2) ints in [0, 127]")
def out_of_range_share(steps, ranges) -> float:
    """Share of the sounding notes outside their voice's range (4, 2) of lowest and highest pitch, e.g. the ranges
    the voices have in Bach's training chorales (`pitch_ranges`) (notebook 09)."""
    outside = (steps < ranges[:, 0]) | (steps > ranges[:, 1])  # (T, 4), one range per column
    return _share(outside[steps > 0])


@checked(steps=STEPS)
def melodic_intervals(steps) -> np.ndarray:
    """Every voice's moves from one beat to the next, in semitones (rests skipped), as one 1-D array (notebook 09)."""
    return np.concatenate([np.diff(steps[:, voice][steps[:, voice] > 0]) for voice in range(4)])


@checked(steps=STEPS, largest="int in [1, 127]")
def interval_histogram(steps, largest: int = 12) -> np.ndarray:
    """Share of melodic moves of each size |interval| = 0..largest, the last bin holding every larger leap.

    Returns (largest + 1,) shares summing to 1 (notebook 09): bin 0 is the same note again (held or repeated: the
    beat grid cannot tell), 1-2 are steps, 3 and more leaps.
    """
    sizes = np.minimum(np.abs(melodic_intervals(steps)), largest)  # (moves,)
    counts = np.bincount(sizes, minlength=largest + 1)
    return counts / len(sizes) if len(sizes) else np.full(largest + 1, np.nan)  # NaN: no voice moves


def _share(flags: np.ndarray) -> float:
    """The share of True in `flags`, NaN if there is none to count (a piece that does not define the statistic)."""
    return float(np.mean(flags)) if len(flags) else float("nan")


@checked(steps=STEPS)
def voice_crossing_share(steps) -> float:
    """Share of the beats (all four voices sounding) where a voice sounds below the one written under it (notebook 09):
    the alto below the tenor, the tenor below the bass, ..."""
    full = steps[np.all(steps > 0, axis=1)]  # (n, 4): soprano, alto, tenor, bass
    return _share(np.any(full[:, :-1] < full[:, 1:], axis=1))


# The two parallels harmony textbooks forbid, by the interval the two voices keep, in semitones modulo the octave.
PARALLELS = {"fifths": 7, "octaves": 0}  # a fifth (or a twelfth...); an octave or a unison


@checked(steps=STEPS, kind=tuple(PARALLELS))
def parallel_moves(steps, kind: str) -> np.ndarray:
    """Every parallel fifth (kind "fifths") or octave or unison ("octaves"), as rows (beat t, upper voice, lower
    voice) of the move t -> t + 1 (notebook 09): both voices move the same way and are that interval apart, give or
    take whole octaves, before and after: the interval is |upper - lower| % 12, so a fifth moving to a twelfth (a
    compound fifth) counts as parallel fifths, and a voice leaping an octave while the other holds is no parallel
    (one voice does not move). The interval is the distance between the two pitches, whichever voice is on top:
    crossed voices a fourth apart are not a fifth. Fifths and octaves by contrary motion, and hidden (direct) ones
    reached from another interval, are not counted. Only moves between beats where all four voices sound count.
    Returns (n, 3) ints, sorted."""
    full = np.all(steps > 0, axis=1)
    moves = np.flatnonzero(full[:-1] & full[1:])  # beat t -> t + 1, both full
    found = []
    for upper, lower in itertools.combinations(range(4), 2):
        before, after = steps[moves][:, [upper, lower]], steps[moves + 1][:, [upper, lower]]  # (moves, 2) each
        same_way = np.prod(np.sign(after - before), axis=1) > 0
        interval_before = np.abs(before[:, 0] - before[:, 1]) % 12  # 7: a fifth, 0: an octave or unison
        interval_after = np.abs(after[:, 0] - after[:, 1]) % 12
        parallel = same_way & (interval_before == PARALLELS[kind]) & (interval_after == PARALLELS[kind])
        found += [(beat, upper, lower) for beat in moves[parallel]]
    return np.array(sorted(found), dtype=np.int64).reshape(-1, 3)


@checked(steps=STEPS, kind=tuple(PARALLELS))
def parallel_share(steps, kind: str) -> float:
    """Share of the moves from one beat to the next, between beats where all four voices sound, with parallel fifths
    (kind "fifths") or octaves ("octaves") between some two voices (`parallel_moves`) (notebook 09)."""
    full = np.all(steps > 0, axis=1)
    moves = np.flatnonzero(full[:-1] & full[1:])  # beat t -> t + 1, both full
    return _share(np.isin(moves, parallel_moves(steps, kind)[:, 0]))


@checked(steps=STEPS)
def chord_share(steps) -> float:
    """Share of the beats (all four voices sounding) whose pitch classes all belong to one triad or seventh chord
    of CHORDS, in any inversion (notebook 09)."""
    full = steps[np.all(steps > 0, axis=1)]  # (n, 4)
    masks = np.bitwise_or.reduce(1 << (full % 12), axis=1)  # (n,): the set of pitch classes as 12 bits
    return _share(_in_a_chord()[masks])


@checked(steps=STEPS, tonic="int in [0, 11]", mode=MODES)
def chorale_statistics(steps, tonic: int, mode: str) -> dict[str, float]:
    """The melody and harmony statistics of one piece (T, 4) in the key (tonic, mode), as a dict (notebook 09)."""
    histogram = interval_histogram(steps)
    return {"in key": in_key_share(steps, tonic, mode),
            "same note (held)": float(histogram[0]),
            "steps (1-2 semitones)": float(histogram[1:3].sum()),
            "leaps over an octave": float(histogram[12]),
            "voice crossings": voice_crossing_share(steps),
            "parallel 5ths": parallel_share(steps, "fifths"),
            "parallel 8ves": parallel_share(steps, "octaves"),
            "chords": chord_share(steps)}
