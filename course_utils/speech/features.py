"""Notebook 08's features: log-mel spectrograms in NumPy (matched to tf.signal), per-utterance normalisation,
padding."""

from __future__ import annotations

import numpy as np

from course_utils.speech.data import SAMPLE_RATE
from course_utils.validation import as_float_array, check_float, check_int

FRAME_LENGTH = 256  # samples: 32 ms at 8 kHz
FRAME_STEP = 256  # samples: one frame every 32 ms
N_MELS = 32
LOWER_HZ, UPPER_HZ = 60.0, 3800.0


def hertz_to_mel(frequency):
    """The HTK mel scale, 1127 ln(1 + f / 700), as tf.signal uses it (notebook 08)."""
    frequency = as_float_array("frequency", frequency, allow_empty=True)
    if np.any(frequency < 0):
        raise ValueError("frequency must be >= 0 Hz")
    return 1127.0 * np.log1p(frequency / 700.0)


def mel_filterbank(n_mels: int = N_MELS, fft_length: int = FRAME_LENGTH, sample_rate: int = SAMPLE_RATE,
                   lower_hz: float = LOWER_HZ, upper_hz: float = UPPER_HZ) -> np.ndarray:
    """Triangular mel filters, shape (fft_length // 2 + 1, n_mels), in tf.signal's convention (notebook 08).

    Each filter rises linearly (on the mel scale) from the centre of the filter below to its own centre and
    falls to the centre of the one above; the DC bin gets weight 0.
    """
    n_mels = check_int("n_mels", n_mels, minimum=1, maximum=512)
    fft_length = check_int("fft_length", fft_length, minimum=8, maximum=65536)
    rate = check_int("sample_rate", sample_rate, minimum=1000)
    lower = check_float("lower_hz", lower_hz, minimum=0.0)
    upper = check_float("upper_hz", upper_hz, minimum=lower, maximum=rate / 2)
    if upper <= lower:
        raise ValueError(f"upper_hz must be > lower_hz, got {upper} and {lower}")
    n_bins = fft_length // 2 + 1
    bins_mel = hertz_to_mel(np.linspace(0.0, rate / 2, n_bins)[1:])[:, None]  # (n_bins - 1, 1)
    edges = np.linspace(hertz_to_mel(lower)[()], hertz_to_mel(upper)[()], n_mels + 2)
    low, centre, high = edges[:-2], edges[1:-1], edges[2:]  # (n_mels,) each
    rising = (bins_mel - low) / (centre - low)
    falling = (high - bins_mel) / (high - centre)
    weights = np.maximum(0.0, np.minimum(rising, falling))  # (n_bins - 1, n_mels)
    return np.vstack([np.zeros((1, n_mels)), weights])


def log_mel_spectrogram(audio, sample_rate: int = SAMPLE_RATE, frame_length: int = FRAME_LENGTH,
                        frame_step: int = FRAME_STEP, n_mels: int = N_MELS, floor: float = 1e-6) -> np.ndarray:
    """log(mel-filtered power spectrum + floor), shape (frames, n_mels), in NumPy (notebook 08).

    Frames of `frame_length` samples every `frame_step` samples (no padding: a clip shorter than one frame
    is refused), a periodic Hann window, a real FFT of `frame_length` points, |X|^2, then `mel_filterbank`.
    """
    audio = as_float_array("audio", audio, ndim=1)
    length = check_int("frame_length", frame_length, minimum=8, maximum=65536)
    step = check_int("frame_step", frame_step, minimum=1, maximum=length)
    floor = check_float("floor", floor, minimum=1e-12)
    if audio.size < length:
        raise ValueError(f"audio must have at least frame_length={length} samples, got {audio.size}")
    filters = mel_filterbank(n_mels, length, sample_rate)  # (length // 2 + 1, n_mels)
    n_frames = 1 + (audio.size - length) // step
    index = np.arange(length)[None, :] + step * np.arange(n_frames)[:, None]  # (frames, length)
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(length) / length)
    power = np.abs(np.fft.rfft(audio[index] * window, n=length)) ** 2  # (frames, length // 2 + 1)
    return np.log(power @ filters + floor).astype(np.float32)


def utterance_features(audio) -> np.ndarray:
    """Log-mel features of one 8 kHz clip minus their mean over the clip's frames, (frames, N_MELS) (notebook 08).

    Subtracting each band's mean removes a constant gain (log(g^2 P) = log P + 2 log g) and a fixed microphone
    colouring: the per-utterance normalisation of the notebook.
    """
    log_mel = log_mel_spectrogram(audio)  # (frames, N_MELS)
    return log_mel - log_mel.mean(axis=0)


def pad_features(features) -> tuple[np.ndarray, np.ndarray]:
    """A list of (frames_i, n_mels) arrays -> zero-padded (n, max frames, n_mels) float32 and the lengths (n,)."""
    if not isinstance(features, (list, tuple)) or not features:
        raise TypeError(f"features must be a non-empty list of 2-D arrays, got {type(features).__name__}")
    arrays = [as_float_array(f"features[{i}]", f, ndim=2) for i, f in enumerate(features)]
    widths = {a.shape[1] for a in arrays}
    if len(widths) != 1:
        raise ValueError(f"features must all have the same number of columns, got {sorted(widths)}")
    lengths = np.array([a.shape[0] for a in arrays], dtype=np.int64)
    padded = np.zeros((len(arrays), int(lengths.max()), widths.pop()), dtype=np.float32)
    for row, a in enumerate(arrays):
        padded[row, :a.shape[0]] = a
    return padded, lengths
