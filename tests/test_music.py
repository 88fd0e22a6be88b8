"""Tests of course_utils.music (notebook 09): data, baselines, scores, the LSTM in NumPy, sampling, statistics, MIDI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from course_utils import music
from course_utils.generation import run_embedding_lstm
from course_utils.music import (
    CHORDS,
    Chorale,
    PitchClasses,
    accuracy_per_voice,
    beat_windows,
    chorale_statistics,
    chord_share,
    decode,
    encode,
    fit_softmax_regression,
    in_key_share,
    interval_histogram,
    key_name,
    load_chorales,
    melodic_intervals,
    next_beat_targets,
    nll_difference,
    nll_per_voice,
    parallel_moves,
    parallel_share,
    pitch_classes,
    pitch_ranges,
    previous_beats,
    read_chorales,
    read_midi_notes,
    regression_predictions,
    repeat_table,
    sample_chorales,
    split_chorales,
    synthesize,
    table_predictions,
    transition_table,
    transpose,
    voice_crossing_share,
    write_midi,
)
from course_utils.music.audio import held_notes
from scripts.make_chorales_data import chorale_steps, write_chorales

ROOT = Path(__file__).resolve().parent.parent
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


def test_chorale_steps_samples_each_part_at_every_beat():
    from music21 import chord, note, stream

    score = stream.Score()
    soprano = stream.Part([note.Note("C5", quarterLength=2), note.Note("D5", quarterLength=0.5),
                           note.Rest(quarterLength=0.5), note.Note("E5", quarterLength=1)])
    bass = stream.Part([note.Note("C3", quarterLength=1), chord.Chord(["G2", "G3"], quarterLength=3)])
    score.insert(0, soprano)
    score.insert(0, bass)
    steps = chorale_steps(score, step=1.0)
    assert steps.tolist() == [[72, 48], [72, 55], [74, 55], [76, 55]]  # the chord sounds its top note
    halves = chorale_steps(score, step=0.5)
    assert halves[:, 0].tolist() == [72, 72, 72, 72, 74, 0, 76, 76]


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


def test_previous_beats_are_the_beats_before_each_target_with_rests_before_the_start():
    sequences = [RNG.integers(1, 9, size=(n, 4)) for n in (6, 2, 9)]
    targets = next_beat_targets(sequences)
    for context in (1, 2, 3, 7):
        windows = previous_beats(sequences, context)
        assert windows.shape == (len(targets), context, 4)
        expected = []  # a plain loop: for the beat at t, the beats t - context .. t - 1, a rest (0) before beat 0
        for sequence in sequences:
            for t in range(1, len(sequence)):
                expected.append([sequence[b] if b >= 0 else np.zeros(4) for b in range(t - context, t)])
        assert np.array_equal(windows, np.array(expected))


def test_transpose_moves_notes_and_key_but_not_rests():
    chorale = random_chorale(RNG)
    moved = transpose(chorale, -5)
    assert np.array_equal(moved.steps == 0, chorale.steps == 0)
    assert np.array_equal(moved.steps[chorale.steps > 0], chorale.steps[chorale.steps > 0] - 5)
    assert moved.tonic == (chorale.tonic - 5) % 12
    assert in_key_share(moved.steps, moved.tonic, moved.mode) == in_key_share(chorale.steps, chorale.tonic,
                                                                              chorale.mode)
    with pytest.raises(ValueError, match="semitones = 5 moves a note out of the MIDI range 1-127"):
        transpose(Chorale("x", 0, "major", np.full((2, 4), 125)), 5)
    with pytest.raises(ValueError, match="semitones = -3 moves a note out of the MIDI range 1-127"):
        transpose(Chorale("x", 0, "major", np.array([[0, 0, 0, 2]] * 2)), -3)
    assert transpose(Chorale("x", 0, "major", np.array([[0, 0, 0, 2]] * 2)), -1).steps[0, 3] == 1  # the lowest
    assert not transpose(Chorale("x", 0, "major", np.zeros((2, 4), dtype=int)), 24).steps.any()  # rests stay rests


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


def test_softmax_regression_is_logistic_regression_on_the_one_hot_previous_beats():
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(1)
    sequences = [rng.integers(1, 7, size=(n, 4)) for n in (40, 25, 31)]  # classes 1..6: 0 (a rest) never sung
    sequences[0][5:9, 3] = 0  # the bass rests a while
    for context in (1, 2):
        regression = fit_softmax_regression(sequences, 7, context=context, C=0.5)
        probabilities = regression_predictions(regression, sequences)
        assert probabilities.shape == (93, 4, 7) and np.allclose(probabilities.sum(-1), 1)
        assert np.all(probabilities[:, :3, 0] == 0)  # a class a voice never sang in training keeps probability 0
        one_hot = np.eye(7)[previous_beats(sequences, context)].reshape(93, -1)  # (N, context * 4 * 7), dense
        for voice in range(4):  # the oracle: the same objective, written out by hand with dense inputs
            oracle = LogisticRegression(C=0.5, max_iter=5000, tol=1e-10).fit(one_hot, next_beat_targets(sequences)
                                                                              [:, voice])
            assert np.allclose(probabilities[:, voice, oracle.classes_], oracle.predict_proba(one_hot), atol=1e-3)


def test_nll_difference_is_the_mean_gap_with_an_interval_over_chorales():
    sequences = [RNG.integers(0, 5, size=(n, 4)) for n in (8, 12, 5, 9, 7, 11)]
    targets = next_beat_targets(sequences)
    table = table_predictions(transition_table(sequences, 5), sequences)
    uniform = np.full_like(table, 0.2)
    difference, low, high = nll_difference(table, uniform, sequences, seed=3)
    assert np.isclose(difference, nll_per_voice(table, targets).mean() - np.log(5))
    assert low <= difference <= high and high < 0  # fitted on these beats: better than uniform on every chorale
    assert nll_difference(table, table, sequences) == (0.0, 0.0, 0.0)
    assert nll_difference(uniform, table, sequences, seed=3) == pytest.approx((-difference, -high, -low))


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


def test_lstm_with_its_memory_cut_reads_only_the_last_beats(small_model):
    import tensorflow as tf

    sequences = [RNG.integers(0, 7, size=(n, 4)) for n in (9, 3, 12)]
    full = music.lstm_predictions(small_model, sequences)
    assert np.array_equal(music.lstm_predictions(small_model, sequences, memory=20), full)
    cut = music.lstm_predictions(small_model, sequences, memory=3)
    row = 0
    for sequence in sequences:
        for t in range(1, len(sequence)):  # the beat at t, read from the 3 beats before it (all of them if fewer)
            window = sequence[max(0, t - 3):t]
            expected = tf.nn.softmax(small_model(window[None])).numpy()[0, -1]  # Keras is the oracle
            assert np.allclose(cut[row], expected, atol=1e-5)
            row += 1
    assert np.abs(cut - full).max() > 1e-5  # and that differs from reading everything


def test_sampling_is_seeded_and_cold_sampling_is_greedy(small_model):
    prompts = RNG.integers(0, 7, size=(2, 3, 4))
    first = sample_chorales(small_model, prompts, 10, 1.0, seed=4)
    assert first.shape == (2, 13, 4) and np.array_equal(first[:, :3], prompts) and first.max() < 7
    assert np.array_equal(first, sample_chorales(small_model, prompts, 10, 1.0, seed=4))
    cold = sample_chorales(small_model, prompts, 5, 1e-3, seed=1)
    probabilities = run_embedding_lstm(small_model, cold).probabilities[:, 2:-1]  # (2, 5, 4, 7)
    chosen = np.take_along_axis(probabilities, cold[:, 3:, :, None], axis=3)[..., 0]
    assert np.all(chosen > 0.99 * probabilities.max(axis=3))  # at T -> 0 each voice takes (almost) its top class


def test_every_baseline_samples_from_its_own_next_beat_distribution():
    rng = np.random.default_rng(2)
    sequences = [rng.integers(1, 6, size=(30, 4)) for _ in range(3)]
    table = transition_table(sequences, 6)
    regression = fit_softmax_regression(sequences, 6, context=2, C=1.0)
    prompts = np.stack([s[:4] for s in sequences])
    for model, previous in ((table, 1), (regression, 2)):
        cold = sample_chorales(model, prompts, 6, 1e-3, seed=0)  # (3, 10, 4): greedy
        assert cold.shape == (3, 10, 4) and np.array_equal(cold[:, :4], prompts)
        history = [piece for piece in cold]
        predicted = (table_predictions(model, history) if previous == 1 else regression_predictions(model, history))
        predicted = predicted.reshape(3, 9, 4, 6)[:, 3:]  # the distributions of the 6 sampled beats
        chosen = np.take_along_axis(predicted, cold[:, 4:, :, None], axis=3)[..., 0]
        assert np.all(chosen == predicted.max(axis=3))  # at T -> 0: a most probable class (ties happen in a table)
    warm = sample_chorales(table, prompts, 2000, 1.0, seed=5)  # at T = 1: the table's own frequencies
    moves = warm[:, 4:]
    after_three = moves[:, 1:, 0][moves[:, :-1, 0] == 3]
    assert np.allclose(np.bincount(after_three, minlength=6) / len(after_three), table[0, 3], atol=0.03)
    with pytest.raises(TypeError, match="build_chorale_lstm, a table"):
        sample_chorales("model", prompts, 2, 1.0, seed=0)
    with pytest.raises(ValueError, match=re.escape("prompts must have shape (3, P >= context (2), 4), got (3, 1, 4)")):
        sample_chorales(regression, prompts[:, :1], 2, 1.0, seed=0)  # the regression reads two beats


def test_encoded_chorales_have_two_beats_each_and_score_the_beats_of_the_predictions():
    beats = np.array([[1, 2, 3, 4], [2, 2, 3, 1], [0, 3, 4, 4]])
    with pytest.raises(ValueError, match=re.escape("sequences[1] must have shape (T_i >= 2, 4), got (1, 4)")):
        next_beat_targets([beats, beats[:1]])
    probabilities = np.full((2, 4, 5), 0.2)  # N = 2 scored beats
    with pytest.raises(ValueError, match=re.escape("sequences must score N = 2 beats (each chorale's beats after its "
                                                   "first), got 4")):
        nll_difference(probabilities, probabilities, [beats, beats], seed=0)


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


def test_harmony_statistics_on_hand_made_beats():
    # C major chord, then parallel octaves between soprano and bass and parallel fifths (a twelfth) between alto and
    # bass (C-G-E-C up to D-A-D-D), then the alto below the tenor on a chord of G (G-B-D), then a cluster C-C#-D-D#
    # (no chord), and a rest.
    steps = np.array([[72, 67, 64, 48], [74, 69, 62, 50], [71, 55, 62, 43], [63, 62, 61, 48], [72, 0, 64, 48]])
    assert voice_crossing_share(steps) == 1 / 4  # beat 2 of the four full beats
    assert parallel_share(steps, "fifths") == parallel_share(steps, "octaves") == 1 / 3  # the move 0 -> 1 of three
    assert parallel_moves(steps, "octaves").tolist() == [[0, 0, 3]]  # soprano/bass octave
    assert parallel_moves(steps, "fifths").tolist() == [[0, 1, 3]]  # alto/bass fifth
    assert chord_share(steps) == 3 / 4  # beats 0, 1 (D minor), 2 (G major); not the cluster
    held = np.array([[72, 67, 60, 48], [72, 67, 60, 48]])  # nothing moves: no parallels
    assert parallel_share(held, "fifths") == parallel_share(held, "octaves") == 0
    assert parallel_moves(held, "fifths").shape == (0, 3)
    contrary = np.array([[72, 67, 64, 48], [67, 67, 64, 55]])  # C/C octave to G/G octave by contrary motion
    assert parallel_share(contrary, "octaves") == 0
    statistics = chorale_statistics(steps, 0, "major")
    assert statistics["voice crossings"] == 1 / 4 and statistics["chords"] == 3 / 4
    assert statistics["parallel 5ths"] == statistics["parallel 8ves"] == 1 / 3
    lonely = np.array([[72, 0, 64, 48], [72, 0, 0, 0]])  # never all four voices: the harmony is not defined
    assert np.isnan(chord_share(lonely)) and np.isnan(parallel_share(lonely, "fifths"))
    assert np.isnan(voice_crossing_share(lonely))
    assert np.all(np.isnan(interval_histogram(np.array([[72, 0, 0, 0]]))))


def test_parallels_of_crossed_voices_use_the_interval_they_sound():
    # The alto below the tenor: a fourth apart (C4 under F4, then D4 under G4), both rising, is no parallel fifth;
    # a fifth apart (C4 under G4, then D4 under A4) is one, whichever voice is on top. The soprano holds, the bass
    # falls.
    crossed_fourths = np.array([[72, 60, 65, 48], [72, 62, 67, 43]])
    crossed_fifths = np.array([[72, 60, 67, 48], [72, 62, 69, 43]])
    assert parallel_moves(crossed_fourths, "fifths").shape == (0, 3)
    assert parallel_moves(crossed_fifths, "fifths").tolist() == [[0, 1, 2]]
    assert parallel_share(crossed_fifths, "fifths") == 1 and parallel_share(crossed_fifths, "octaves") == 0
    crossed_octaves = np.array([[72, 48, 60, 43], [72, 50, 62, 41]])  # the alto an octave under the tenor, rising
    assert parallel_moves(crossed_octaves, "octaves").tolist() == [[0, 1, 2]]


def test_an_octave_leap_against_a_held_note_is_no_parallel():
    # The soprano leaps an octave while the bass holds: the interval stays an octave (or a fifth) give or take whole
    # octaves, but only one voice moves, so it is not a parallel. The alto and tenor hold.
    octave_leap = np.array([[72, 67, 64, 48], [84, 67, 64, 48]])  # C5 over C3 (two octaves), then C6 over C3
    fifth_leap = np.array([[67, 64, 60, 48], [79, 64, 60, 48]])  # G4 over C3 (a twelfth), then G5 over C3
    for steps in (octave_leap, fifth_leap):
        assert parallel_moves(steps, "octaves").shape == parallel_moves(steps, "fifths").shape == (0, 3)
        assert parallel_share(steps, "octaves") == parallel_share(steps, "fifths") == 0


def test_a_fifth_moving_to_a_twelfth_counts_as_parallel_fifths():
    # The interval is taken modulo the octave, so a fifth (G4 over C4) moving to a twelfth (A5 over D4), both voices
    # rising, is a parallel fifth (a compound one); so is the way back down. The alto and tenor hold.
    up = np.array([[67, 64, 62, 60], [81, 64, 62, 62]])
    assert parallel_moves(up, "fifths").tolist() == [[0, 0, 3]]
    assert parallel_moves(up[::-1], "fifths").tolist() == [[0, 0, 3]]
    assert parallel_moves(up, "octaves").shape == (0, 3)


def test_parallel_moves_refuses_an_unknown_kind():
    with pytest.raises(ValueError, match="kind"):
        parallel_moves(np.array([[72, 67, 64, 48], [74, 69, 62, 50]]), "thirds")


def test_chord_share_matches_a_set_oracle_on_every_pitch_class_set():
    import itertools

    chords = [{(root + degree) % 12 for degree in chord} for chord in CHORDS.values() for root in range(12)]
    for size in (1, 2, 3, 4):
        for pitch_classes_of_beat in itertools.combinations(range(12), size):
            beat = np.array([[60 + p for p in (pitch_classes_of_beat * 4)[:4]]])  # four voices, these classes
            expected = any(set(pitch_classes_of_beat) <= chord for chord in chords)
            assert chord_share(beat) == float(expected), pitch_classes_of_beat


def test_known_chords_are_chords_for_music21_too():
    from music21 import chord

    for pitches in ([60, 64, 67, 72], [62, 65, 69, 74], [59, 62, 65, 67], [57, 60, 63, 66], [60, 64, 68, 72],
                    [60, 61, 62, 63], [60, 62, 64, 65]):
        ours = chord_share(np.array([pitches]))
        music21_says = chord.Chord(pitches).isTriad() or chord.Chord(pitches).isSeventh()
        assert ours == float(music21_says), pitches


# --------------------------------------------------------------------------- sound and MIDI

def test_synthesized_audio_has_the_notes_frequencies():
    steps = np.array([[69, 0, 0, 0]] * 4 + [[0, 0, 0, 57]] * 4)  # A4 (440 Hz) for 2 s, then A3 (220 Hz)
    audio = synthesize(steps, seconds_per_beat=0.5, sample_rate=8000)
    assert audio.shape == (8 * 4000,) and np.abs(audio).max() <= 0.9 + 1e-12
    for half, frequency in ((audio[:16000], 440), (audio[16000:], 220)):
        spectrum = np.abs(np.fft.rfft(half))
        assert np.argmax(spectrum) * 8000 / len(half) == pytest.approx(frequency, abs=1)
    assert not np.any(synthesize(np.zeros((3, 4), dtype=int)))


def midi_events(path) -> list[tuple[int, int, float, float]]:
    """(track with notes, pitch, start beat, end beat) read from the file's raw events (music21's low-level MIDI file
    reader: delta times and note on/off messages, none of the score translation that read_midi_notes uses)."""
    from music21 import midi

    file = midi.MidiFile()
    file.open(str(path))
    file.read()
    file.close()
    found, voice = [], 0
    for track in file.tracks:
        now, sounding, notes = 0, {}, []
        for event in track.events:
            if event.isDeltaTime():
                now += event.time
            elif event.isNoteOn():
                sounding[event.pitch] = now
            elif event.isNoteOff():
                notes.append((voice, event.pitch, sounding.pop(event.pitch) / file.ticksPerQuarterNote,
                              now / file.ticksPerQuarterNote))
        voice += bool(notes)
        found += notes
    return sorted(found)


def test_midi_file_holds_every_held_note_once_and_reads_back(tmp_path):
    for _ in range(5):
        steps = random_chorale(RNG, beats=30).steps
        write_midi(steps, tmp_path / "c.mid", beats_per_minute=90)
        expected = sorted((v, p, float(a), float(b)) for v in range(4) for p, a, b in held_notes(steps[:, v]))
        assert midi_events(tmp_path / "c.mid") == expected  # the bytes hold what we meant
        assert sorted(read_midi_notes(tmp_path / "c.mid")) == expected  # and read back the same
    assert not list(tmp_path.glob("*.partial"))
    (tmp_path / "x.mid").write_bytes(b"RIFF....")
    with pytest.raises(ValueError, match="standard MIDI file"):
        read_midi_notes(tmp_path / "x.mid")


def test_midi_file_has_the_tempo_and_four_named_parts(tmp_path):
    from music21 import midi

    steps = np.array([[72, 67, 64, 48], [72, 65, 62, 47], [71, 65, 62, 43], [72, 64, 55, 48]])
    write_midi(steps, tmp_path / "c.mid", beats_per_minute=80)
    score = midi.translate.midiFilePathToStream(tmp_path / "c.mid")
    assert len(score.parts) == 4
    assert round(score.metronomeMarkBoundaries()[0][2].number) == 80
    assert [(p, a, b) for v, p, a, b in read_midi_notes(tmp_path / "c.mid") if v == 0] == [(72, 0.0, 2.0),
                                                                                          (71, 2.0, 3.0),
                                                                                          (72, 3.0, 4.0)]
