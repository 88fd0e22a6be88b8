"""Notebook 08's features: log-mel spectrograms in NumPy (matched to tf.signal), per-utterance normalisation,
padding."""

from __future__ import annotations

import numpy as np

from course_utils.speech.data import SAMPLE_RATE
from course_utils.validation import checked, each, spec

FRAME_LENGTH = 256  # samples: 32 ms at 8 kHz
FRAME_STEP = 256  # samples: one frame every 32 ms
N_MELS = 32
LOWER_HZ, UPPER_HZ = 60.0, 3800.0
FEATURE_LIST = each("(frames_i, n_mels) floats", "feature arrays (frames, n_mels)")  # utterances, lengths differing


_ABOVE_LOWER_HZ = spec("float > lower_hz")


def _upper_hz(name: str, value, dims: dict) -> float:
    """@checked spec: a frequency above lower_hz and at most the Nyquist frequency, sample_rate / 2."""
    value = _ABOVE_LOWER_HZ(name, value, dims)
    if value > dims["sample_rate"] / 2:
        raise ValueError(f"{name} must be <= sample_rate / 2 ({dims['sample_rate'] / 2}), got {value}")
    return value


@checked(frequency="(...) floats >= 0")
def hertz_to_mel(frequency):
    """The HTK mel scale, 1127 ln(1 + f / 700), as tf.signal uses it (notebook 08)."""
    return 1127.0 * np.log1p(frequency / 700.0)


@checked(n_mels="int in [1, 512]", fft_length="int in [8, 65536]", sample_rate="int >= 1000", lower_hz="float >= 0",
         upper_hz=_upper_hz)
def mel_filterbank(n_mels: int = N_MELS, fft_length: int = FRAME_LENGTH, sample_rate: int = SAMPLE_RATE,
                   lower_hz: float = LOWER_HZ, upper_hz: float = UPPER_HZ) -> np.ndarray:
    """Triangular mel filters, shape (fft_length // 2 + 1, n_mels), in tf.signal's convention (notebook 08).

    Each filter rises linearly (on the mel scale) from the centre of the filter below to its own centre and
    falls to the centre of the one above; the DC bin gets weight 0.
    """
    n_bins = fft_length // 2 + 1
    bins_mel = hertz_to_mel(np.linspace(0.0, sample_rate / 2, n_bins)[1:])[:, None]  # (n_bins - 1, 1)
    edges = np.linspace(float(hertz_to_mel(lower_hz)), float(hertz_to_mel(upper_hz)), n_mels + 2)  # (n_mels + 2,)
    low, centre, high = edges[:-2], edges[1:-1], edges[2:]  # (n_mels,) each
    rising = (bins_mel - low) / (centre - low)
    falling = (high - bins_mel) / (high - centre)
    weights = np.maximum(0.0, np.minimum(rising, falling))  # (n_bins - 1, n_mels)
    return np.vstack([np.zeros((1, n_mels)), weights])


@checked(frame_length="int in [8, 65536]", frame_step="int in [1, frame_length]",
         audio="(samples >= frame_length,) floats", sample_rate="int >= 1000", n_mels="int in [1, 512]",
         floor="float >= 1e-12")
def log_mel_spectrogram(audio, sample_rate: int = SAMPLE_RATE, frame_length: int = FRAME_LENGTH,
                        frame_step: int = FRAME_STEP, n_mels: int = N_MELS, floor: float = 1e-6) -> np.ndarray:
    """log(mel-filtered power spectrum + floor), shape (frames, n_mels), in NumPy (notebook 08).

    Frames of `frame_length` samples every `frame_step` samples (no padding: a clip shorter than one frame
    is refused), a periodic Hann window, a real FFT of `frame_length` points, |X|^2, then `mel_filterbank`.
    """
    filters = mel_filterbank(n_mels, frame_length, sample_rate)  # (frame_length // 2 + 1, n_mels)
    n_frames = 1 + (audio.size - frame_length) // frame_step
    index = np.arange(frame_length)[None, :] + frame_step * np.arange(n_frames)[:, None]  # (frames, frame_length)
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(frame_length) / frame_length)  # periodic Hann
    power = np.abs(np.fft.rfft(audio[index] * window, n=frame_length)) ** 2  # (frames, frame_length // 2 + 1)
    return np.log(power @ filters + floor).astype(np.float32)


@checked(audio="(samples,) floats")
def utterance_features(audio) -> np.ndarray:
    """Log-mel features of one 8 kHz clip minus their mean over the clip's frames, (frames, N_MELS) (notebook 08).

    Subtracting each band's mean removes a constant gain (log(g^2 P) = log P + 2 log g) and a fixed microphone
    colouring: the per-utterance normalisation of the notebook.
    """
    log_mel = log_mel_spectrogram(audio)  # (frames, N_MELS)
    return log_mel - log_mel.mean(axis=0)


@checked(features=FEATURE_LIST)
def pad_features(features) -> tuple[np.ndarray, np.ndarray]:
    """A list of (frames_i, n_mels) arrays -> zero-padded (n, max frames, n_mels) float32 and the lengths (n,)."""
    lengths = np.array([f.shape[0] for f in features], dtype=np.int64)  # (n,)
    padded = np.zeros((len(features), int(lengths.max()), features[0].shape[1]), dtype=np.float32)
    for row, f in enumerate(features):
        padded[row, :len(f)] = f
    return padded, lengths
