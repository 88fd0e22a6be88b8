"""Notebook 08's trained recogniser at work: decode many utterances through one compiled call, save the model with
its feature settings, and transcribe a WAV file (any sample rate, mono or stereo, integer or float samples)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from course_utils.speech.ctc import ctc_greedy_decode, labels_to_digits
from course_utils.speech.data import SAMPLE_RATE, digits_to_words
from course_utils.speech.features import (
    FEATURE_LIST,
    FRAME_LENGTH,
    FRAME_STEP,
    N_MELS,
    pad_features,
    utterance_features,
)
from course_utils.validation import checked

RECOGNISER_FOLDER = Path("scratch") / "speech_recogniser"  # where notebook 08 saves its model (git-ignored)
_loaded: dict = {}  # (model file, its modification time) -> the loaded model, so transcribing many files loads once


@checked(model="keras.Model", features=FEATURE_LIST)
def recognise(model, features) -> list[str]:
    """Digit strings for a list of (frames_i, n_mels) feature arrays (notebook 08): padded into one batch, run
    through the model in one compiled call (model.predict on the whole batch, not once per utterance), decoded
    greedily over each utterance's own frames."""
    padded, lengths = pad_features(features)  # (n, longest, n_mels), (n,)
    log_probabilities = model.predict(padded, batch_size=len(padded), verbose=0)  # (n, longest, 11)
    return [labels_to_digits(labels) for labels in ctc_greedy_decode(log_probabilities, lengths)]


@checked(model="keras.Model", band_scale=f"({N_MELS},) floats >= 1e-9", folder="path")
def save_recogniser(model, band_scale, folder=RECOGNISER_FOLDER) -> Path:
    """Save a trained model and the per-band feature scale it was trained with, for `transcribe` (notebook 08)."""
    folder.mkdir(parents=True, exist_ok=True)
    model.save(folder / "model.keras")
    settings = {"sample_rate": SAMPLE_RATE, "frame_length": FRAME_LENGTH, "frame_step": FRAME_STEP,
                "n_mels": N_MELS, "band_scale": band_scale.tolist()}
    (folder / "features.json").write_text(json.dumps(settings, indent=1))
    return folder


@checked(path="path")
def read_wav(path) -> tuple[np.ndarray, int]:
    """A WAV file as mono float32 in [-1, 1] and its sample rate: 8-, 16-, 24- or 32-bit integer or float samples,
    any number of channels (averaged), any rate (notebook 08)."""
    from scipy.io import wavfile

    try:
        rate, samples = wavfile.read(path)
    except FileNotFoundError:
        raise
    except (ValueError, OSError) as error:
        raise ValueError(f"{path} must be a WAV file of integer or float samples; reading it failed: {error}") from None
    if samples.dtype == np.uint8:  # 8-bit WAV is unsigned, silence at 128
        samples = (samples.astype(np.float32) - 128.0) / 128.0
    elif samples.dtype.kind == "i":
        samples = samples.astype(np.float32) / float(np.iinfo(samples.dtype).max + 1)
    elif samples.dtype.kind != "f":
        raise ValueError(f"{path} holds {samples.dtype} samples: expected integer or float PCM")
    mono = samples.reshape(len(samples), -1).mean(axis=1).astype(np.float32)  # (samples,) channels averaged
    if mono.size == 0:
        raise ValueError(f"{path} must hold samples, got none")
    if not np.all(np.isfinite(mono)):
        raise ValueError(f"{path} must hold finite samples, got NaN or infinite ones")
    return mono, int(rate)


@checked(wav_path="path", recogniser="path")
def transcribe(wav_path, recogniser=RECOGNISER_FOLDER) -> str:
    """What the recogniser saved by notebook 08 (in `recogniser`) hears in a WAV file, as words."""
    import keras
    from scipy.signal import resample_poly

    audio, rate = read_wav(wav_path)
    model_file = recogniser / "model.keras"
    if not model_file.is_file():
        raise FileNotFoundError(f"no trained recogniser in {recogniser}: run notebook 08 first (it saves one there)")
    settings = json.loads((recogniser / "features.json").read_text())
    divisor = np.gcd(SAMPLE_RATE, rate)
    audio = resample_poly(audio, SAMPLE_RATE // divisor, rate // divisor).astype(np.float32)  # now at 8 kHz
    features = utterance_features(audio) / np.asarray(settings["band_scale"], dtype=np.float32)  # (frames, 32)
    key = (str(model_file.resolve()), model_file.stat().st_mtime_ns)
    if key not in _loaded:  # load once, reload when the notebook saves a new model
        _loaded.clear()
        _loaded[key] = keras.models.load_model(model_file, compile=False)
    return digits_to_words(recognise(_loaded[key], [features])[0])
