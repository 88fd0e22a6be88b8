"""course_utils.speech (notebook 08) against independent oracles: tf.signal for the features, keras.ops.ctc_decode
for greedy CTC decoding, a plain recursive edit distance, and espeak-ng itself for the generator's labels."""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from course_utils import speech

REPO = Path(__file__).resolve().parents[1]


def load_generator():
    spec = importlib.util.spec_from_file_location("make_speech_data", REPO / "scripts" / "make_speech_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ----------------------------------------------------------------------------- features vs tf.signal


@pytest.mark.parametrize("n_mels,fft_length,rate,lower,upper", [(32, 256, 8000, 60.0, 3800.0),
                                                                 (20, 512, 16000, 0.0, 8000.0),
                                                                 (7, 64, 8000, 300.0, 3400.0)])
def test_mel_filterbank_matches_tf_signal(n_mels, fft_length, rate, lower, upper):
    import tensorflow as tf

    expected = tf.signal.linear_to_mel_weight_matrix(n_mels, fft_length // 2 + 1, rate, lower, upper,
                                                     dtype=tf.float64).numpy()
    np.testing.assert_allclose(speech.mel_filterbank(n_mels, fft_length, rate, lower, upper), expected, atol=1e-9)


def test_log_mel_spectrogram_matches_tf_signal_on_random_audio():
    import tensorflow as tf

    rng = np.random.default_rng(0)
    for _ in range(5):
        length = int(rng.choice([64, 128, 256]))
        step = int(rng.integers(8, length + 1))
        audio = rng.normal(size=int(rng.integers(length, 3000))).astype(np.float32) * 0.3
        stft = tf.signal.stft(audio.astype(np.float64), length, step, fft_length=length)
        mel = tf.signal.linear_to_mel_weight_matrix(32, length // 2 + 1, 8000, 60.0, 3800.0, dtype=tf.float64)
        expected = np.log(tf.matmul(tf.abs(stft) ** 2, mel).numpy() + 1e-6)
        got = speech.log_mel_spectrogram(audio, 8000, length, step, 32)
        assert got.shape == expected.shape
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)


def test_hertz_to_mel_is_the_htk_formula():
    assert speech.hertz_to_mel(0.0) == 0.0
    np.testing.assert_allclose(speech.hertz_to_mel(700.0), 1127.0 * np.log(2.0))
    assert np.all(np.diff(speech.hertz_to_mel(np.linspace(0, 4000, 50))) > 0)


# ----------------------------------------------------------------------------- CTC decoding vs keras


def test_ctc_greedy_decode_matches_keras_ctc_decode():
    import keras

    rng = np.random.default_rng(1)
    for _ in range(10):
        batch, frames = int(rng.integers(1, 6)), int(rng.integers(1, 30))
        logits = rng.normal(size=(batch, frames, speech.N_CLASSES)) * 3
        logits[..., 0] += rng.uniform(0, 3)  # blanks common, as in a trained model
        lengths = rng.integers(1, frames + 1, size=batch)
        decoded, _ = keras.ops.ctc_decode(logits.astype(np.float32), lengths.astype(np.int32), strategy="greedy",
                                          mask_index=0)
        decoded = keras.ops.convert_to_numpy(decoded)[0]
        expected = [[int(c) for c in row if c > 0] for row in decoded]
        assert speech.ctc_greedy_decode(logits, lengths) == expected


def test_ctc_greedy_decode_merges_repeats_before_dropping_blanks():
    one_hot = np.eye(speech.N_CLASSES)[[5, 5, 0, 5, 0, 0, 2, 2]][None]
    assert speech.ctc_greedy_decode(one_hot) == [[5, 5, 2]]
    assert speech.labels_to_digits([5, 5, 2]) == "441"
    assert speech.ctc_greedy_decode(one_hot, [2]) == [[5]]


def test_encode_digits_round_trips_and_pads_with_blank():
    targets = speech.encode_digits(["477", "0", "93"])
    np.testing.assert_array_equal(targets, [[5, 8, 8], [1, 0, 0], [10, 4, 0]])
    assert [speech.labels_to_digits(row) for row in targets] == ["477", "0", "93"]
    assert speech.digits_to_words("407") == "four zero seven"


# ----------------------------------------------------------------------------- edit distance vs plain DP


def oracle_distance(a, b):
    @functools.cache
    def d(i, j):
        if i == 0 or j == 0:
            return i + j
        return min(d(i - 1, j) + 1, d(i, j - 1) + 1, d(i - 1, j - 1) + (a[i - 1] != b[j - 1]))
    return d(len(a), len(b))


def test_edit_distance_matches_a_recursive_oracle():
    rng = np.random.default_rng(2)
    for _ in range(300):
        a = [int(x) for x in rng.integers(0, 4, size=int(rng.integers(0, 8)))]
        b = [int(x) for x in rng.integers(0, 4, size=int(rng.integers(0, 8)))]
        assert speech.edit_distance(a, b) == oracle_distance(tuple(a), tuple(b))
    assert speech.edit_distance("kitten", "sitting") == 3


def test_error_rates_on_a_worked_example():
    refs, hyps = ["four seven seven", "two"], ["four seven", "three"]
    assert speech.error_rate(refs, hyps, "word") == pytest.approx(2 / 4)
    # characters: "four seven seven" -> "four seven" deletes 6; "two" -> "three" is 4 edits
    assert speech.error_rate(refs, hyps, "char") == pytest.approx((6 + 4) / (16 + 3))
    assert speech.error_rate(refs, refs) == 0.0


# ----------------------------------------------------------------------------- the data


def test_mu_law_decode_inverts_the_generators_encoder():
    encode = load_generator().mu_law_encode
    x = np.linspace(-1, 1, 2001)
    decoded = speech.mu_law_decode(encode(x))
    assert np.max(np.abs(decoded - x)) < 0.025  # 8-bit mu-law: small steps near 0, coarser near +-1
    small = np.linspace(-0.01, 0.01, 201)
    assert np.max(np.abs(speech.mu_law_decode(encode(small)) - small)) < 3e-4
    assert speech.mu_law_decode([0, 255]).tolist() == [-1.0, 1.0]


def test_bundled_dataset_keeps_test_voices_out_of_training():
    data = speech.load_spoken_digits()
    assert data.sample_rate == 8000 and len(data.audio) == len(data.digits) == 1380
    train_voices, test_voices = set(data.voice[~data.held_out]), set(data.voice[data.held_out])
    assert len(test_voices) == 3 and not train_voices & test_voices
    accents = lambda voices: {v.split("+")[0] for v in voices}  # noqa: E731
    variants = lambda voices: {v.split("+")[1] for v in voices}  # noqa: E731
    assert not accents(train_voices) & accents(test_voices)
    assert not variants(train_voices) & variants(test_voices)
    assert {len(d) for d in data.digits} == {1, 2, 3}
    assert all(0.2 < len(a) / 8000 < 3 for a in data.audio)


def test_noise_is_seeded_and_at_the_requested_level():
    clean = speech.load_spoken_digits(60.0, 60.0)
    noisy = speech.load_spoken_digits(10.0, 10.0, seed=3)
    again = speech.load_spoken_digits(10.0, 10.0, seed=3)
    np.testing.assert_array_equal(noisy.audio[5], again.audio[5])
    noise = noisy.audio[5] - clean.audio[5]
    snr = 10 * np.log10(np.mean(clean.audio[5] ** 2) / np.mean(noise**2))
    assert 9.0 < snr < 11.0


def test_spokennumbers_digits_load_and_join():
    clips, rate = speech.load_spokennumbers_digits("407")
    assert rate == 8000 and len(clips) == 3
    joined = speech.join_clips(clips, rate, 0.1)
    assert len(joined) == sum(len(c) for c in clips) + 4 * 800


def espeak_or_skip():
    if shutil.which("espeak-ng"):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("espeak-ng is missing under CI=true: .ci/run installs it with apt (apt-get install espeak-ng)")
    pytest.skip("espeak-ng is not installed (apt-get install espeak-ng); CI runs this test")


def test_generator_output_format_and_label_alignment():
    """The generator on a small sample: the format load_spoken_digits reads, and each clip says its own label
    (espeak-ng speaking the stored digits with the stored voice, speed, pitch and gap gives the same audio)."""
    espeak_or_skip()
    generator = load_generator()
    data = generator.make_dataset(n_train=6, n_test_per_voice=1, max_digits=3, seed=5)
    assert data["audio_mu_law"].dtype == np.uint8 and int(data["sample_rate"]) == 8000
    assert data["offsets"][0] == 0 and data["offsets"][-1] == data["audio_mu_law"].size
    assert len(data["digits"]) == len(data["voice"]) == 9 and data["test_voice"].sum() == 3
    audio = speech.mu_law_decode(data["audio_mu_law"])
    clips = [audio[a:b] for a, b in zip(data["offsets"][:-1], data["offsets"][1:], strict=True)]
    for index, clip in enumerate(clips):
        text = speech.digits_to_words(str(data["digits"][index]))
        voice = str(data["voices"][data["voice"][index]])
        spoken = generator.speak(text, voice, int(data["speed"][index]), int(data["pitch"][index]),
                                 int(data["word_gap"][index]))
        loud = np.flatnonzero(np.abs(clip) > 0.002)
        speech_part = clip[loud[0]:loud[-1] + 1]
        assert abs(len(speech_part) - len(spoken)) < 200, (index, len(speech_part), len(spoken))
        n = min(len(speech_part), len(spoken))
        assert np.corrcoef(speech_part[:n], spoken[:n])[0, 1] > 0.95
        other = str(data["digits"][(index + 1) % len(clips)])
        if len(other) != len(str(data["digits"][index])) or other != str(data["digits"][index]):
            wrong = generator.speak(speech.digits_to_words(other), voice, int(data["speed"][index]),
                                    int(data["pitch"][index]), int(data["word_gap"][index]))
            m = min(len(speech_part), len(wrong))
            assert len(wrong) != len(speech_part) or np.corrcoef(speech_part[:m], wrong[:m])[0, 1] < 0.9


# ----------------------------------------------------------------------------- models and batches


def test_models_give_eleven_logits_per_frame_and_only_the_lstm_mixes_frames():
    import keras

    keras.utils.set_random_seed(0)
    x = np.random.default_rng(0).normal(size=(2, 9, 32)).astype(np.float32)
    changed = x.copy()
    changed[:, 8] += 5.0
    for recurrent, mixes in ((True, True), (False, False)):
        model = speech.build_ctc_model(32, 8, recurrent=recurrent)
        before, after = model.predict(x, verbose=0), model.predict(changed, verbose=0)
        assert before.shape == (2, 9, speech.N_CLASSES)
        assert np.allclose(before[:, :8], after[:, :8], atol=1e-6) != mixes


def test_length_batches_cut_padding_and_cover_every_row():
    rng = np.random.default_rng(0)
    lengths = rng.integers(3, 20, size=50)
    features = np.zeros((50, 20, 4), dtype=np.float32)
    targets = speech.encode_digits([str(i % 100) for i in range(50)])
    dataset, steps = speech.length_batches(features, targets, lengths, batch_size=8, repeat=False)
    batches = list(dataset.as_numpy_iterator())
    assert steps == len(batches) == 7
    assert sum(len(x) for x, _ in batches) == 50
    assert max(x.shape[1] for x, _ in batches) == lengths.max()
    assert min(x.shape[1] for x, _ in batches) == np.sort(lengths)[7]  # the shortest batch: its longest row
    assert all(y.shape[1] == targets.shape[1] for _, y in batches)


@pytest.mark.parametrize("call", [
    lambda: speech.log_mel_spectrogram(np.zeros(100), frame_length=256),
    lambda: speech.mel_filterbank(upper_hz=5000.0),
    lambda: speech.encode_digits(["12a"]),
    lambda: speech.ctc_greedy_decode(np.zeros((2, 3, 11)), [4, 1]),
    lambda: speech.error_rate(["a"], ["a", "b"]),
    lambda: speech.error_rate(["a"], ["a"], unit="letter"),
    lambda: speech.mu_law_decode([256]),
    lambda: speech.labels_to_digits([11]),
])
def test_bad_arguments_raise_value_error(call):
    with pytest.raises(ValueError):
        call()


@pytest.mark.parametrize("call", [
    lambda: speech.edit_distance(3, "a"),
    lambda: speech.digits_to_words(47),
    lambda: speech.load_spokennumbers_digits("4x"),
    lambda: speech.build_ctc_model(recurrent="yes"),
    lambda: speech.error_rate("abc", ["abc"]),
])
def test_bad_types_raise_type_error(call):
    with pytest.raises(TypeError):
        call()
