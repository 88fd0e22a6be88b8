"""Notebook 08's trained recogniser at work: decode many utterances through one compiled call, save the model with
its feature settings, and transcribe a WAV file (any sample rate, mono or stereo, integer or float samples)."""

from __future__ import annotations

import json
import weakref
from pathlib import Path

import numpy as np

from course_utils.speech.ctc import ctc_greedy_decode, labels_to_digits
from course_utils.speech.data import SAMPLE_RATE, digits_to_words
from course_utils.speech.features import FRAME_LENGTH, FRAME_STEP, N_MELS, pad_features, utterance_features
from course_utils.validation import as_float_array

RECOGNISER_FOLDER = Path("scratch") / "speech_recogniser"  # where notebook 08 saves its model (git-ignored)
_compiled = weakref.WeakKeyDictionary()  # model -> its forward pass as one compiled tf.function
_loaded: dict = {}  # (model file, its modification time) -> the loaded model, so transcribing many files loads once


def _check_model(model):
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    return model


def recognise(model, features) -> list[str]:
    """Digit strings for a list of (frames_i, n_mels) feature arrays (notebook 08): padded into one batch, run
    through the model as one compiled call (not model.predict in a loop), decoded greedily per utterance's frames."""
    import tensorflow as tf

    model = _check_model(model)
    padded, lengths = pad_features(features)  # (n, longest, n_mels), (n,)
    if model not in _compiled:  # one trace for every batch size and length
        signature = [tf.TensorSpec((None, None, padded.shape[2]), tf.float32)]
        _compiled[model] = tf.function(lambda x: model(x, training=False), input_signature=signature)
    log_probs = _compiled[model](tf.constant(padded)).numpy()  # (n, longest, 11)
    return [labels_to_digits(labels) for labels in ctc_greedy_decode(log_probs, lengths)]


def save_recogniser(model, band_scale, folder=RECOGNISER_FOLDER) -> Path:
    """Save a trained model and the per-band feature scale it was trained with, for `transcribe` (notebook 08)."""
    model = _check_model(model)
    band_scale = as_float_array("band_scale", band_scale, ndim=1)
    if band_scale.shape != (N_MELS,) or np.any(band_scale <= 0):
        raise ValueError(f"band_scale must be {N_MELS} positive numbers, got shape {band_scale.shape}")
    folder = Path(_path("folder", folder))
    folder.mkdir(parents=True, exist_ok=True)
    model.save(folder / "model.keras")
    settings = {"sample_rate": SAMPLE_RATE, "frame_length": FRAME_LENGTH, "frame_step": FRAME_STEP,
                "n_mels": N_MELS, "band_scale": band_scale.tolist()}
    (folder / "features.json").write_text(json.dumps(settings, indent=1))
    return folder


def _path(name: str, value) -> str:
    if not isinstance(value, (str, Path)):
        raise TypeError(f"{name} must be a path (str or pathlib.Path), got {type(value).__name__}")
    return str(value)


def read_wav(path) -> tuple[np.ndarray, int]:
    """A WAV file as mono float32 in [-1, 1] and its sample rate: 8-, 16-, 24- or 32-bit integer or float samples,
    any number of channels (averaged), any rate (notebook 08)."""
    from scipy.io import wavfile

    path = _path("path", path)
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
        raise ValueError(f"{path} holds no samples")
    if not np.all(np.isfinite(mono)):
        raise ValueError(f"{path} holds NaN or infinite samples")
    return mono, int(rate)


def transcribe(wav_path, recogniser=RECOGNISER_FOLDER) -> str:
    """What the recogniser saved by notebook 08 (in `recogniser`) hears in a WAV file, as words."""
    import keras
    from scipy.signal import resample_poly

    audio, rate = read_wav(wav_path)
    folder = Path(_path("recogniser", recogniser))
    if not (folder / "model.keras").is_file():
        raise FileNotFoundError(f"no trained recogniser in {folder}: run notebook 08 first (it saves one there)")
    settings = json.loads((folder / "features.json").read_text())
    divisor = np.gcd(SAMPLE_RATE, rate)
    audio = resample_poly(audio, SAMPLE_RATE // divisor, rate // divisor).astype(np.float32)  # now at 8 kHz
    if audio.size < FRAME_LENGTH:
        raise ValueError(f"{wav_path} is too short: at least {FRAME_LENGTH / SAMPLE_RATE * 1000:.0f} ms are needed")
    features = utterance_features(audio) / np.asarray(settings["band_scale"], dtype=np.float32)
    key = (str((folder / "model.keras").resolve()), (folder / "model.keras").stat().st_mtime_ns)
    if key not in _loaded:
        _loaded.clear()
        _loaded[key] = keras.models.load_model(folder / "model.keras", compile=False)
    return digits_to_words(recognise(_loaded[key], [features])[0])
