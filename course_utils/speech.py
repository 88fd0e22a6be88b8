"""Notebook 08 (speech recognition): spoken digits, log-mel features, CTC models, decoding and error rates.

The data are digit strings spoken by espeak-ng voices (scripts/make_speech_data.py made them once; they ship
as course_utils/datasets/spoken_digits.npz, 8 kHz 8-bit mu-law) and ten digits spoken by the one voice of the
`spokennumbers` package (spokennumbers_digits.npz). Features, greedy CTC decoding and the edit distance are
hand-written in NumPy because the notebook teaches them; the tests compare them with tf.signal, keras.ops.ctc_decode
and a plain dynamic-programming oracle.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from course_utils.validation import as_array, as_float_array, check_float, check_int

DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
BLANK = 0  # Keras 3's CTC blank (mask_index=0); digit d is class d + 1
N_CLASSES = 11
MU = 255.0


class SpokenDigits(NamedTuple):
    """The spoken-digit utterances of notebook 08: audio (list of float32 arrays), labels and voices."""

    audio: list
    digits: np.ndarray  # (n,) strings such as "477"
    voice: np.ndarray  # (n,) voice name of each utterance, e.g. "en-us+f2"
    held_out: np.ndarray  # (n,) True for the utterances of the test voices (never heard in training)
    sample_rate: int


def mu_law_decode(codes) -> np.ndarray:
    """8-bit mu-law codes (0-255, mu = 255) -> float32 audio in [-1, 1] (notebook 08's data format)."""
    codes = as_float_array("codes", codes, allow_empty=True)
    if np.any((codes < 0) | (codes > 255) | (codes != np.round(codes))):
        raise ValueError("codes must be integers from 0 to 255 (8-bit mu-law)")
    y = codes / MU * 2.0 - 1.0
    return (np.sign(y) * np.expm1(np.abs(y) * np.log1p(MU)) / MU).astype(np.float32)


def _unpack(path, noise_snr_db: tuple[float, float], seed: int):
    with np.load(path) as data:
        audio = mu_law_decode(data["audio_mu_law"])
        offsets = data["offsets"]
        rate = int(data["sample_rate"])
        voices = data["voices"]
        digits = data["digits"].astype(str)
        voice_names = voices[data["voice"]].astype(str) if "voice" in data else np.array([], dtype=str)
        held_out = data["test_voice"][data["voice"]] if "voice" in data else np.array([], dtype=bool)
    rng = np.random.default_rng(seed)
    clips = []
    for start, stop in zip(offsets[:-1], offsets[1:], strict=True):
        clip = audio[start:stop].astype(np.float32)
        if noise_snr_db is not None:
            snr = rng.uniform(*noise_snr_db)
            power = float(np.mean(clip**2))
            clip = clip + rng.normal(0, np.sqrt(power / 10 ** (snr / 10)), clip.shape).astype(np.float32)
        clips.append(clip)
    return clips, digits, voice_names, held_out, rate


def load_spoken_digits(min_snr_db: float = 10.0, max_snr_db: float = 30.0, seed: int = 0) -> SpokenDigits:
    """The espeak-ng spoken-digit dataset of notebook 08, with white noise at a random SNR per utterance (seeded)."""
    from course_utils.bundled_data import bundled_path

    low = check_float("min_snr_db", min_snr_db, minimum=-10.0, maximum=60.0)
    high = check_float("max_snr_db", max_snr_db, minimum=low, maximum=60.0)
    seed = check_int("seed", seed, minimum=0)
    clips, digits, voices, held_out, rate = _unpack(bundled_path("spoken_digits.npz"), (low, high), seed)
    return SpokenDigits(clips, digits, voices, held_out, rate)


def load_spokennumbers_digits(digits: str = "0123456789") -> tuple[list, int]:
    """The `spokennumbers` package's recordings of the digits in `digits`, 8 kHz float32 (notebook 08)."""
    from course_utils.bundled_data import bundled_path

    if not isinstance(digits, str) or not digits or not digits.isdigit() or not digits.isascii():
        raise TypeError(f"digits must be a non-empty string of the digits 0-9, got {digits!r}"[:120])
    clips, names, _, _, rate = _unpack(bundled_path("spokennumbers_digits.npz"), None, 0)
    by_digit = dict(zip(names, clips, strict=True))
    return [by_digit[d] for d in digits], rate


def join_clips(clips, sample_rate: int = 8000, gap_seconds: float = 0.1) -> np.ndarray:
    """Concatenate audio clips with `gap_seconds` of silence between them (notebook 08's real-voice strings)."""
    rate = check_int("sample_rate", sample_rate, minimum=1000)
    gap = check_float("gap_seconds", gap_seconds, minimum=0.0, maximum=5.0)
    if not isinstance(clips, (list, tuple)) or not clips:
        raise TypeError(f"clips must be a non-empty list of 1-D audio arrays, got {type(clips).__name__}")
    pieces = []
    silence = np.zeros(int(round(gap * rate)), dtype=np.float32)
    for index, clip in enumerate(clips):
        pieces += [silence, as_float_array(f"clips[{index}]", clip, ndim=1).astype(np.float32)]
    return np.concatenate(pieces + [silence])


def hertz_to_mel(frequency):
    """The HTK mel scale, 1127 ln(1 + f / 700), as tf.signal uses it (notebook 08)."""
    frequency = as_float_array("frequency", frequency, allow_empty=True)
    if np.any(frequency < 0):
        raise ValueError("frequency must be >= 0 Hz")
    return 1127.0 * np.log1p(frequency / 700.0)


def mel_filterbank(n_mels: int = 32, fft_length: int = 256, sample_rate: int = 8000,
                   lower_hz: float = 60.0, upper_hz: float = 3800.0) -> np.ndarray:
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
    bins_mel = hertz_to_mel(np.linspace(0.0, rate / 2, n_bins)[1:])[:, None]
    edges = np.linspace(hertz_to_mel(lower)[()], hertz_to_mel(upper)[()], n_mels + 2)
    low, centre, high = edges[:-2], edges[1:-1], edges[2:]
    rising = (bins_mel - low) / (centre - low)
    falling = (high - bins_mel) / (high - centre)
    weights = np.maximum(0.0, np.minimum(rising, falling))
    return np.vstack([np.zeros((1, n_mels)), weights])


def log_mel_spectrogram(audio, sample_rate: int = 8000, frame_length: int = 256, frame_step: int = 128,
                        n_mels: int = 32, floor: float = 1e-6) -> np.ndarray:
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
    filters = mel_filterbank(n_mels, length, sample_rate)
    n_frames = 1 + (audio.size - length) // step
    index = np.arange(length)[None, :] + step * np.arange(n_frames)[:, None]
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(length) / length)
    power = np.abs(np.fft.rfft(audio[index] * window, n=length)) ** 2
    return np.log(power @ filters + floor).astype(np.float32)


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


def _digit_strings(name: str, digits) -> list[str]:
    values = as_array(name, digits, "a list of digit strings")
    if values.ndim != 1 or values.size == 0 or values.dtype.kind != "U":
        raise TypeError(f"{name} must be a non-empty 1-D list of digit strings such as '477', got {values!r}"[:160])
    strings = [str(s) for s in values]
    if not all(s.isdigit() and s.isascii() for s in strings):
        raise ValueError(f"{name} must hold only strings of the digits 0-9, e.g. '477'")
    return strings


def encode_digits(digits) -> np.ndarray:
    """Digit strings -> CTC targets (n, longest) of class ids (digit d -> d + 1), padded with the blank 0."""
    strings = _digit_strings("digits", digits)
    targets = np.zeros((len(strings), max(len(s) for s in strings)), dtype=np.int32)
    for row, s in enumerate(strings):
        targets[row, :len(s)] = [int(c) + 1 for c in s]
    return targets


def labels_to_digits(labels) -> str:
    """A decoded label sequence (class ids 1-10, blanks and padding ignored) -> its digit string, e.g. "477"."""
    values = as_array("labels", labels, "a 1-D sequence of class ids")
    if values.ndim != 1 or (values.size and values.dtype.kind not in "iu"):
        raise TypeError(f"labels must be a 1-D sequence of integer class ids, got {values!r}"[:120])
    if np.any((values < -1) | (values >= N_CLASSES)):
        raise ValueError(f"labels must be class ids from -1 (padding) to {N_CLASSES - 1}")
    return "".join(str(int(v) - 1) for v in values if v > 0)


def digits_to_words(digits: str) -> str:
    """'477' -> 'four seven seven' (the transcript a speech recogniser would write, notebook 08)."""
    if not isinstance(digits, str) or not all(c.isdigit() and c.isascii() for c in digits):
        raise TypeError(f"digits must be a string of the digits 0-9, got {digits!r}"[:120])
    return " ".join(DIGIT_WORDS[int(c)] for c in digits)


def ctc_greedy_decode(logits, lengths=None, blank: int = BLANK) -> list[list[int]]:
    """Best-path CTC decoding in NumPy (notebook 08): argmax per frame, merge repeats, then drop blanks.

    logits: (batch, frames, classes) scores (logits or probabilities: the argmax is the same);
    lengths: (batch,) valid frames of each row (default: all). Returns one list of class ids per row.
    """
    scores = as_float_array("logits", logits, ndim=3)
    n, frames, classes = scores.shape
    blank = check_int("blank", blank, minimum=0, maximum=classes - 1)
    if lengths is None:
        lengths = np.full(n, frames)
    lengths = as_float_array("lengths", lengths, ndim=1)
    if lengths.shape != (n,) or np.any(lengths != np.round(lengths)) or np.any((lengths < 0) | (lengths > frames)):
        raise ValueError(f"lengths must be {n} integers from 0 to {frames}, got {lengths!r}"[:160])
    best = scores.argmax(axis=-1)
    decoded = []
    for row in range(n):
        path = best[row, :int(lengths[row])]
        keep = np.ones(path.size, dtype=bool)
        keep[1:] = path[1:] != path[:-1]
        decoded.append([int(c) for c in path[keep] if c != blank])
    return decoded


def edit_distance(reference, hypothesis) -> int:
    """Levenshtein distance between two sequences (substitutions, insertions, deletions cost 1), notebook 08.

    Hand-written (the notebook teaches it): one row of the dynamic-programming table at a time.
    """
    for name, value in (("reference", reference), ("hypothesis", hypothesis)):
        if not isinstance(value, (str, list, tuple)):
            raise TypeError(f"{name} must be a string, list or tuple, got {type(value).__name__}")
    previous = list(range(len(hypothesis) + 1))
    for i, ref_item in enumerate(reference, start=1):
        current = [i]
        for j, hyp_item in enumerate(hypothesis, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref_item != hyp_item)))
        previous = current
    return previous[-1]


def _texts(name: str, texts) -> list[str]:
    if not isinstance(texts, (list, tuple, np.ndarray)) or len(texts) == 0:
        raise TypeError(f"{name} must be a non-empty list of strings, got {type(texts).__name__}")
    if not all(isinstance(t, (str, np.str_)) for t in texts):
        raise TypeError(f"{name} must hold only strings")
    return [str(t) for t in texts]


def error_rate(references, hypotheses, unit: str = "word") -> float:
    """Word or character error rate: total edit distance / total reference length (notebook 08).

    unit="word" splits on spaces (WER); unit="char" compares characters, spaces included (CER), as jiwer does.
    """
    refs, hyps = _texts("references", references), _texts("hypotheses", hypotheses)
    if len(refs) != len(hyps):
        raise ValueError(f"references and hypotheses must have the same length, got {len(refs)} and {len(hyps)}")
    if not isinstance(unit, str) or unit not in ("word", "char"):
        raise ValueError(f"unit must be 'word' or 'char', got {unit!r}"[:80])
    split = str.split if unit == "word" else list
    total = sum(len(split(r)) for r in refs)
    if total == 0:
        raise ValueError("references must not all be empty")
    return sum(edit_distance(split(r), split(h)) for r, h in zip(refs, hyps, strict=True)) / total


def build_ctc_model(n_features: int = 32, units: int = 64, recurrent: bool = True, bidirectional: bool = True):
    """Frames (batch, frames, n_features) -> CTC logits (batch, frames, 11), notebook 08.

    recurrent=True: a (Bi)LSTM over the frames then a Dense layer; recurrent=False: the frame-wise baseline,
    two Dense layers applied to each frame on its own (no memory, no context).
    """
    import keras

    n_features = check_int("n_features", n_features, minimum=1)
    units = check_int("units", units, minimum=1, maximum=4096)
    for name, flag in (("recurrent", recurrent), ("bidirectional", bidirectional)):
        if not isinstance(flag, bool):
            raise TypeError(f"{name} must be True or False, got {flag!r}"[:80])
    inputs = keras.Input((None, n_features))
    if recurrent:
        lstm = keras.layers.LSTM(units, return_sequences=True)
        hidden = keras.layers.Bidirectional(lstm)(inputs) if bidirectional else lstm(inputs)
        name = "bilstm_ctc" if bidirectional else "lstm_ctc"
    else:
        hidden = keras.layers.Dense(units, activation="relu")(inputs)
        hidden = keras.layers.Dense(units, activation="relu")(hidden)
        name = "framewise_ctc"
    outputs = keras.layers.Dense(N_CLASSES)(hidden)
    return keras.Model(inputs, outputs, name=name)


def length_batches(features, targets, lengths, batch_size: int = 32, seed: int = 0, repeat: bool = True):
    """(tf.data.Dataset, batches per pass) of (features, targets) batches of similar length, each cut to its
    longest row (notebook 08): sorting by length saves the LSTM from stepping through padding. With repeat=True
    the batches come in a new seeded order on every pass, without end (give fit steps_per_epoch)."""
    import tensorflow as tf

    features = as_float_array("features", features, ndim=3)
    targets = as_float_array("targets", targets, ndim=2)
    lengths = as_float_array("lengths", lengths, ndim=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    if not isinstance(repeat, bool):
        raise TypeError(f"repeat must be True or False, got {repeat!r}"[:80])
    if not (len(features) == len(targets) == len(lengths)):
        raise ValueError(f"features, targets and lengths must have the same length, got {len(features)}, "
                         f"{len(targets)} and {len(lengths)}")
    order = np.argsort(lengths, kind="stable")
    batches = []
    for start in range(0, len(order), batch_size):
        rows = order[start:start + batch_size]
        frames = max(1, int(lengths[rows].max()))
        batches.append((features[rows, :frames].astype(np.float32), targets[rows].astype(np.int32)))
    rng = np.random.default_rng(seed)

    def generate():
        while True:
            yield from (batches[i] for i in rng.permutation(len(batches)))
            if not repeat:
                return

    signature = (tf.TensorSpec((None, None, features.shape[2]), tf.float32),
                 tf.TensorSpec((None, targets.shape[1]), tf.int32))
    return tf.data.Dataset.from_generator(generate, output_signature=signature), len(batches)
