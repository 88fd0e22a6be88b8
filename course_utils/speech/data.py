"""Notebook 08's audio: the bundled spoken digits of three synthesisers, the spokennumbers clips, noise and
augmentation (speed perturbation, gain, noise)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_utils.validation import checked, each, spec

DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
SAMPLE_RATE = 8000  # Hz: every bundled clip, and what the features expect
MU = 255.0  # 8-bit mu-law (ITU-T G.711's formula)
SPEED_FACTORS = (0.9, 1.0, 1.1)  # speed perturbation as Ko et al. (2015) do it: resample, tempo and pitch together


class SpokenDigits(NamedTuple):
    """The spoken-digit utterances of notebook 08: clean audio (no noise added), labels, voices, synthesisers."""

    audio: list  # (n,) float32 arrays at sample_rate
    digits: np.ndarray  # (n,) strings such as "477"
    voice: np.ndarray  # (n,) voice of each utterance, e.g. "en-us+f2", "awb", "kal_diphone"
    synthesiser: np.ndarray  # (n,) "espeak-ng", "flite" or "festival"
    held_out: np.ndarray  # (n,) True for the utterances of the held-out voices (never heard in training)
    sample_rate: int


def _decibel_range(name: str, value, dims: dict):
    """@checked spec: a (low, high) pair of decibels in [-60, 100], low <= high."""
    pair = spec("(2,) floats in [-60, 100]")(name, value, dims)
    if pair[0] > pair[1]:
        raise ValueError(f"{name} must be (low, high) with low <= high, got {tuple(pair.tolist())}")
    return pair


@checked(codes="(n,) ints in [0, 255]")
def mu_law_decode(codes) -> np.ndarray:
    """8-bit mu-law codes (0-255, mu = 255) -> float32 audio in [-1, 1] (notebook 08's data format)."""
    y = codes / MU * 2.0 - 1.0  # (n,) in [-1, 1], compressed
    return (np.sign(y) * np.expm1(np.abs(y) * np.log1p(MU)) / MU).astype(np.float32)


def _read_bundle(name: str) -> dict:
    """A bundled .npz of clips (checked against its SHA-256) as a dict of arrays, the clips decoded and cut."""
    from course_utils.bundled_data import bundled_path

    with np.load(bundled_path(name)) as data:
        arrays = {key: data[key] for key in data.files}
    audio, offsets = mu_law_decode(arrays.pop("audio_mu_law")), arrays.pop("offsets")
    arrays["clips"] = [audio[start:stop] for start, stop in zip(offsets[:-1], offsets[1:], strict=True)]
    return arrays


def load_spoken_digits() -> SpokenDigits:
    """Notebook 08's 1,850 digit strings spoken by espeak-ng, flite and festival voices (clean, 8 kHz)."""
    data = _read_bundle("spoken_digits.npz")
    voice = data["voice"]  # (n,) index into the voice table
    return SpokenDigits(data["clips"], data["digits"].astype(str), data["voices"][voice].astype(str),
                        data["synthesiser"][voice].astype(str), data["test_voice"][voice],
                        int(data["sample_rate"]))


@checked(digits="str matching [0-9]+")
def load_spokennumbers_digits(digits: str = "0123456789") -> tuple[list, int]:
    """The `spokennumbers` package's recordings of the digits in `digits`, 8 kHz float32 (notebook 08)."""
    data = _read_bundle("spokennumbers_digits.npz")
    by_digit = dict(zip(data["digits"].astype(str), data["clips"], strict=True))
    return [by_digit[d] for d in digits], int(data["sample_rate"])


@checked(clips=each("(samples_i,) floats", "1-D audio arrays"), sample_rate="int >= 1000",
         gap_seconds="float in [0, 5]", fade_seconds="float in [0, 1]")
def join_clips(clips, sample_rate: int = SAMPLE_RATE, gap_seconds: float = 0.1,
               fade_seconds: float = 0.01) -> np.ndarray:
    """Clips joined with `gap_seconds` of silence between them, each faded in and out over `fade_seconds` so that
    a clip cut while still sounding does not click at the join (notebook 08's spokennumbers strings)."""
    silence = np.zeros(int(round(gap_seconds * sample_rate)), dtype=np.float32)
    pieces = [silence]
    for clip in clips:
        ramp = np.minimum(np.arange(1, len(clip) + 1), np.arange(len(clip), 0, -1)) / max(1.0, fade_seconds *
                                                                                           sample_rate)
        pieces += [clip.astype(np.float32) * np.minimum(1.0, ramp).astype(np.float32), silence]  # 0 -> 1 -> 0
    return np.concatenate(pieces)


@checked(digits="str matching [0-9]*")  # empty: a recogniser may hear nothing
def digits_to_words(digits: str) -> str:
    """'477' -> 'four seven seven' (the transcript a speech recogniser would write, notebook 08)."""
    return " ".join(DIGIT_WORDS[int(c)] for c in digits)


@checked(audio="(samples,) floats", snr_db="float in [-20, 100]", rng=np.random.Generator)
def add_noise(audio, snr_db: float, rng) -> np.ndarray:
    """`audio` plus white noise at a signal-to-noise ratio of `snr_db` decibels (notebook 08)."""
    noise_power = np.mean(audio**2) / 10 ** (snr_db / 10)
    return (audio + rng.normal(0.0, np.sqrt(noise_power), audio.shape)).astype(np.float32)


@checked(audio="(samples,) floats", rng=np.random.Generator, gain_db=_decibel_range, snr_db=_decibel_range)
def augment(audio, rng, gain_db: tuple = (-20.0, 0.0), snr_db: tuple = (10.0, 30.0)) -> np.ndarray:
    """A new version of one training clip (notebook 08): speed perturbed by a factor drawn from SPEED_FACTORS
    (Ko et al. 2015: resampling changes tempo and pitch together), scaled by a random gain in `gain_db`
    decibels, with white noise at a random SNR in `snr_db`."""
    from scipy.signal import resample_poly

    factor = rng.choice(SPEED_FACTORS)
    faster = resample_poly(audio, 10, int(round(10 * factor)))  # factor 1.1: 10/11 as many samples, 10 % faster
    louder = faster * 10 ** (rng.uniform(*gain_db) / 20)
    return add_noise(louder, rng.uniform(*snr_db), rng)
