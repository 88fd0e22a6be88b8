"""Tests of course_utils.music (notebook 09): data, baselines, scores, the NumPy LSTM, statistics, audio, MIDI."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from course_utils import music
from course_utils.generation import run_embedding_lstm
from course_utils.music import (
    Chorale,
    PitchClasses,
    accuracy_per_voice,
    beat_windows,
    decode,
    encode,
    in_key_share,
    interval_histogram,
    key_name,
    load_chorales,
    melodic_intervals,
    next_beat_targets,
    nll_per_voice,
    pitch_classes,
    pitch_ranges,
    read_chorales,
    repeat_table,
    split_chorales,
    synthesize,
    table_predictions,
    transition_table,
    transpose,
    write_chorales,
    write_midi,
)

ROOT = Path(__file__).resolve().parent.parent
HAS_MUSIC21 = importlib.util.find_spec("music21") is not None
RNG = np.random.default_rng(0)


def random_chorale(rng, beats=None, name="bwv0.0") -> Chorale:
    beats = beats or int(rng.integers(2, 40))
    centres = np.array([70, 64, 57, 48])
    steps = centres + rng.integers(-5, 6, size=(beats, 4))
    steps[rng.random((beats, 4)) < 0.05] = 0  # a few rests
    return Chorale(name, int(rng.integers(12)), str(rng.choice(["major", "minor"])), steps)


# --------------------------------------------------------------------------- the bundled data

def test_bundled_chorales_are_four_voices_in_their_ranges():
    chorales = load_chorales()
    assert len(chorales) == 363 and sum(len(c.steps) for c in chorales) == 19_775
    assert len({c.name for c in chorales}) == len(chorales)
    ranges = pitch_ranges(np.concatenate([c.steps for c in chorales]))
    assert ranges.tolist() == [[57, 81], [53, 74], [48, 69], [36, 64]]  # soprano high ... bass low
    assert all(in_key_share(c.steps, c.tonic, c.mode) > 0.8 for c in chorales)  # the key finder's keys fit
    first = chorales[0]
    assert first.name == "bwv10.7" and key_name(first.tonic, first.mode) == "G minor"


def test_written_chorales_read_back_and_the_bytes_repeat(tmp_path):
    chorales = [random_chorale(RNG, name=f"bwv{i}.1") for i in range(5)]
    write_chorales(chorales, tmp_path / "a.csv.bz2")
    write_chorales(read_chorales(tmp_path / "a.csv.bz2"), tmp_path / "b.csv.bz2")
    assert (tmp_path / "a.csv.bz2").read_bytes() == (tmp_path / "b.csv.bz2").read_bytes()
    for written, read in zip(chorales, read_chorales(tmp_path / "a.csv.bz2"), strict=True):
        assert (read.name, read.tonic, read.mode) == (written.name, written.tonic, written.mode)
        assert np.array_equal(read.steps, written.steps)


def test_read_chorales_refuses_other_files(tmp_path):
    (tmp_path / "x.bz2").write_bytes(b"not bz2")
    with pytest.raises(ValueError, match="must be a bz2 CSV"):
        read_chorales(tmp_path / "x.bz2")
    with pytest.raises(FileNotFoundError):
        read_chorales(tmp_path / "missing.bz2")


def test_split_keeps_whole_chorales_apart():
    chorales = [random_chorale(RNG, name=f"c{i}") for i in range(50)]
    train, validation, test = split_chorales(chorales, 0.1, 0.2, seed=3)
    names = [c.name for c in train + validation + test]
    assert (len(train), len(validation), len(test)) == (35, 5, 10) and sorted(names) == sorted(c.name for c in chorales)
    assert [c.name for c in split_chorales(chorales, 0.1, 0.2, seed=3)[2]] == [c.name for c in test]
    with pytest.raises(ValueError, match="no training chorale"):
        split_chorales(chorales[:2], 0.5, 0.5)


@pytest.mark.skipif(not HAS_MUSIC21, reason="music21 rebuilds the data only")
def test_chorale_steps_samples_each_part_at_every_beat():
    from music21 import chord, note, stream

    score = stream.Score()
    soprano = stream.Part([note.Note("C5", quarterLength=2), note.Note("D5", quarterLength=0.5),
                           note.Rest(quarterLength=0.5), note.Note("E5", quarterLength=1)])
    bass = stream.Part([note.Note("C3", quarterLength=1), chord.Chord(["G2", "G3"], quarterLength=3)])
    score.insert(0, soprano)
    score.insert(0, bass)
    steps = music.chorale_steps(score, step=1.0)
    assert steps.tolist() == [[72, 48], [72, 55], [74, 55], [76, 55]]  # the chord sounds its top note
    halves = music.chorale_steps(score, step=0.5)
    assert halves[:, 0].tolist() == [72, 72, 72, 72, 74, 0, 76, 76]


@pytest.mark.skipif(not HAS_MUSIC21, reason="music21 rebuilds the data only")
def test_rebuild_script_reproduces_the_first_bundled_chorales(tmp_path):
    out = tmp_path / "few.csv.bz2"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_chorales_data.py"), "--out", str(out), "--limit", "6"],
                   check=True, capture_output=True, env=env, timeout=300)
    rebuilt, bundled = read_chorales(out), {c.name: c for c in load_chorales()}
    assert len(rebuilt) >= 4
    for chorale in rebuilt:
        same = bundled[chorale.name]
        assert (chorale.tonic, chorale.mode) == (same.tonic, same.mode)
        assert np.array_equal(chorale.steps, same.steps)


# --------------------------------------------------------------------------- classes and windows

def test_encode_decode_round_trip_on_random_chorales():
    for _ in range(20):
        chorales = [random_chorale(RNG) for _ in range(3)]
        classes = pitch_classes(chorales)
        for chorale in chorales:
            ids = encode(chorale.steps, classes)
            assert ids.min() >= 0 and ids.max() < classes.size
            assert np.array_equal((ids == 0), (chorale.steps == 0))
            assert np.array_equal(decode(ids, classes), chorale.steps)
    with pytest.raises(ValueError, match="classes' range"):
        encode(np.full((2, 4), 100), PitchClasses(40, 80))
    with pytest.raises(ValueError, match="below the number of classes"):
        decode(np.full((2, 4), 50), PitchClasses(40, 80))


def test_windows_targets_are_the_inputs_one_beat_on():
    sequences = [RNG.integers(0, 9, size=(n, 4)) for n in (10, 3, 25)]
    inputs, targets = beat_windows(sequences, 4, 2)
    assert inputs.shape == targets.shape == (3 + 0 + 11, 4, 4)
    assert np.array_equal(inputs[:, 1:], targets[:, :-1])
    assert np.array_equal(inputs[0], sequences[0][:4]) and np.array_equal(targets[-1], sequences[2][21:25])
    with pytest.raises(ValueError, match="length must be shorter"):
        beat_windows(sequences, 30, 1)


def test_transpose_moves_notes_and_key_but_not_rests():
    chorale = random_chorale(RNG)
    moved = transpose(chorale, -5)
    assert np.array_equal(moved.steps == 0, chorale.steps == 0)
    assert np.array_equal(moved.steps[chorale.steps > 0], chorale.steps[chorale.steps > 0] - 5)
    assert moved.tonic == (chorale.tonic - 5) % 12
    assert in_key_share(moved.steps, moved.tonic, moved.mode) == in_key_share(chorale.steps, chorale.tonic,
                                                                              chorale.mode)
    with pytest.raises(ValueError, match="out of the MIDI range"):
        transpose(Chorale("x", 0, "major", np.full((2, 4), 125)), 5)


# --------------------------------------------------------------------------- baselines and scores

def test_tables_are_distributions_and_match_counts():
    sequences = [RNG.integers(0, 6, size=(n, 4)) for n in (30, 12)]
    repeat, transition = repeat_table(sequences, 6), transition_table(sequences, 6, smoothing=0.5)
    assert np.allclose(repeat.sum(-1), 1) and np.allclose(transition.sum(-1), 1)
    stay = np.mean(np.concatenate([s[1:] == s[:-1] for s in sequences]), axis=0)
    assert np.allclose(np.diagonal(repeat, axis1=1, axis2=2), stay[:, None])
    pairs = [(int(a), int(b)) for s in sequences for a, b in zip(s[:-1, 2], s[1:, 2], strict=True)]
    from_three = [b for a, b in pairs if a == 3]
    assert np.isclose(transition[2, 3, 1], (from_three.count(1) + 0.5) / (len(from_three) + 6 * 0.5))


def test_scores_against_a_direct_computation():
    sequences = [RNG.integers(0, 5, size=(n, 4)) for n in (8, 9)]
    table = transition_table(sequences, 5)
    probabilities, targets = table_predictions(table, sequences), next_beat_targets(sequences)
    assert probabilities.shape == (15, 4, 5) and targets.shape == (15, 4)
    previous = np.concatenate([s[:-1] for s in sequences])
    expected_nll = [-np.mean([np.log(table[v, previous[i, v], targets[i, v]]) for i in range(15)]) for v in range(4)]
    assert np.allclose(nll_per_voice(probabilities, targets), expected_nll)
    from sklearn.metrics import accuracy_score, log_loss

    for voice in range(4):
        assert np.isclose(nll_per_voice(probabilities, targets)[voice],
                          log_loss(targets[:, voice], probabilities[:, voice], labels=range(5)))
        assert np.isclose(accuracy_per_voice(probabilities, targets)[voice],
                          accuracy_score(targets[:, voice], probabilities[:, voice].argmax(-1)))
    with pytest.raises(ValueError, match="shape"):
        nll_per_voice(probabilities[:3], targets)


# --------------------------------------------------------------------------- the LSTM

@pytest.fixture(scope="module")
def small_model():
    import keras

    keras.utils.set_random_seed(0)
    return music.build_chorale_lstm(7, units=5, embedding_dim=3, learning_rate=0.01)


def test_lstm_predictions_score_the_same_beats_as_the_tables(small_model):
    import tensorflow as tf

    sequences = [RNG.integers(0, 7, size=(n, 4)) for n in (6, 11, 2)]
    predictions = music.lstm_predictions(small_model, sequences)
    assert predictions.shape == next_beat_targets(sequences).shape + (7,)
    one = tf.nn.softmax(small_model(sequences[1][None])).numpy()[0, :-1]
    assert np.allclose(predictions[5:15], one, atol=1e-5)


def test_sampling_is_seeded_and_cold_sampling_is_greedy(small_model):
    prompt = RNG.integers(0, 7, size=(3, 4))
    first = music.sample_chorale(small_model, prompt, 10, 1.0, seed=4)
    assert first.shape == (13, 4) and np.array_equal(first[:3], prompt) and first.max() < 7
    assert np.array_equal(first, music.sample_chorale(small_model, prompt, 10, 1.0, seed=4))
    cold = music.sample_chorale(small_model, prompt, 5, 1e-3, seed=1)
    probabilities = run_embedding_lstm(small_model, cold[None]).probabilities[0, 2:-1]  # (5, 4, 7)
    chosen = np.take_along_axis(probabilities, cold[3:, :, None], axis=2)[..., 0]
    assert np.all(chosen > 0.99 * probabilities.max(axis=2))  # at T -> 0 each voice takes (almost) its top class


# --------------------------------------------------------------------------- statistics

def test_statistics_on_a_hand_made_chorale():
    steps = np.array([[72, 67, 64, 48], [74, 67, 0, 47], [61, 67, 64, 60]])  # C major; C#5 is out of the key
    assert pitch_ranges(steps).tolist() == [[61, 74], [67, 67], [64, 64], [47, 60]]
    assert in_key_share(steps, 0, "major") == 10 / 11
    assert in_key_share(steps, 9, "minor") == 10 / 11  # C# is A's major third: out of A minor too
    assert in_key_share(steps, 2, "major") == 8 / 11  # the three Cs are out of D major
    assert sorted(melodic_intervals(steps).tolist()) == sorted([2, -13, 0, 0, 0, -1, 13])
    histogram = interval_histogram(steps, largest=12)
    assert np.isclose(histogram.sum(), 1) and histogram[0] == 3 / 7 and histogram[12] == 2 / 7


def test_in_key_share_of_random_notes_is_the_scale_share():
    notes = RNG.integers(40, 88, size=(12_000, 4))
    assert abs(in_key_share(notes, 2, "major") - 7 / 12) < 0.02
    assert abs(in_key_share(notes, 2, "minor") - 9 / 12) < 0.02


# --------------------------------------------------------------------------- sound and MIDI

def test_synthesized_audio_has_the_notes_frequencies():
    steps = np.array([[69, 0, 0, 0]] * 4 + [[0, 0, 0, 57]] * 4)  # A4 (440 Hz) for 2 s, then A3 (220 Hz)
    audio = synthesize(steps, seconds_per_beat=0.5, sample_rate=8000)
    assert audio.shape == (8 * 4000,) and np.abs(audio).max() <= 0.9 + 1e-12
    for half, frequency in ((audio[:16000], 440), (audio[16000:], 220)):
        spectrum = np.abs(np.fft.rfft(half))
        assert np.argmax(spectrum) * 8000 / len(half) == pytest.approx(frequency, abs=1)
    assert not np.any(synthesize(np.zeros((3, 4), dtype=int)))


def test_midi_file_reads_back_note_for_note(tmp_path):
    for _ in range(5):
        steps = random_chorale(RNG).steps
        write_midi(steps, tmp_path / "c.mid", beats_per_minute=90)
        expected = sorted((v, p, float(a), float(b)) for v in range(4) for p, a, b in music._notes(steps[:, v]))
        assert sorted(music.read_midi_notes(tmp_path / "c.mid")) == expected
    (tmp_path / "x.mid").write_bytes(b"RIFF....")
    with pytest.raises(ValueError, match="standard MIDI file"):
        music.read_midi_notes(tmp_path / "x.mid")


@pytest.mark.skipif(not HAS_MUSIC21, reason="music21 is the independent MIDI reader")
def test_music21_reads_our_midi_file(tmp_path):
    from music21 import converter

    steps = np.array([[72, 67, 64, 48], [72, 65, 62, 47], [71, 65, 62, 43], [72, 64, 55, 48]])
    write_midi(steps, tmp_path / "c.mid", beats_per_minute=80)
    score = converter.parse(tmp_path / "c.mid")
    assert len(score.parts) == 4
    soprano = [(n.pitch.midi, float(n.offset), float(n.quarterLength)) for n in score.parts[0].flatten().notes]
    assert soprano == [(72, 0.0, 2.0), (71, 2.0, 1.0), (72, 3.0, 1.0)]
    assert round(score.metronomeMarkBoundaries()[0][2].number) == 80
    ours = [(pitch, start, end - start) for voice, pitch, start, end in music.read_midi_notes(tmp_path / "c.mid")
            if voice == 0]
    assert ours == soprano  # our reader and music21's agree
