"""Bach chorales and a next-beat LSTM (notebook 09), one module a job; everything is importable from here.

- `chorales`: the Chorale record, the bundled file, the split into whole pieces, transposition, key names
- `encoding`: pitches as model classes, training windows, the beats every model is scored on
- `baselines`: repeat the previous beat, a per-voice transition table, softmax regression on the previous beats
- `scores`: NLL and accuracy per voice, one model's gain over another with an interval over chorales
- `model`: the Keras next-beat LSTM and its predictions, run in NumPy
- `sampling`: composing: continue chorales from any model with a temperature
- `statistics`: melody and harmony of a piece (key, intervals, voice crossings, parallel fifths, chords)
- `plots`, `audio`, `midi`: the piano roll, additive-sine sound, MIDI files (music21)

A chorale's beats are an int array (beats, 4): the MIDI pitch of soprano, alto, tenor and bass at the start of
each quarter-note beat, 0 for a rest; encoded, the same shape of class ids.
"""

from course_utils.music.audio import synthesize
from course_utils.music.baselines import (
    SoftmaxRegression,
    fit_softmax_regression,
    regression_predictions,
    repeat_table,
    table_predictions,
    transition_table,
)
from course_utils.music.chorales import (
    CHORALES_FILE,
    KEY_DEGREES,
    PITCH_NAMES,
    VOICES,
    Chorale,
    key_name,
    load_chorales,
    read_chorales,
    split_chorales,
    transpose,
)
from course_utils.music.encoding import (
    PitchClasses,
    beat_windows,
    decode,
    encode,
    next_beat_targets,
    pitch_classes,
    previous_beats,
)
from course_utils.music.midi import read_midi_notes, write_midi
from course_utils.music.model import build_chorale_lstm, lstm_predictions
from course_utils.music.plots import plot_piano_roll
from course_utils.music.sampling import sample_chorales
from course_utils.music.scores import accuracy_per_voice, nll_difference, nll_per_voice
from course_utils.music.statistics import (
    CHORDS,
    chorale_statistics,
    chord_share,
    in_key_share,
    interval_histogram,
    melodic_intervals,
    out_of_range_share,
    parallel_moves,
    parallel_share,
    pitch_ranges,
    voice_crossing_share,
)

__all__ = [
    "CHORALES_FILE", "CHORDS", "KEY_DEGREES", "PITCH_NAMES", "VOICES", "Chorale", "PitchClasses",
    "SoftmaxRegression", "accuracy_per_voice", "beat_windows", "build_chorale_lstm", "chord_share",
    "chorale_statistics", "decode", "encode", "fit_softmax_regression", "in_key_share", "interval_histogram",
    "key_name", "load_chorales", "lstm_predictions", "melodic_intervals", "next_beat_targets", "nll_difference",
    "nll_per_voice", "out_of_range_share", "parallel_moves", "parallel_share", "pitch_classes", "pitch_ranges",
    "plot_piano_roll", "previous_beats", "read_chorales", "read_midi_notes", "regression_predictions", "repeat_table",
    "sample_chorales", "split_chorales", "synthesize", "table_predictions", "transition_table", "transpose",
    "voice_crossing_share", "write_midi",
]
