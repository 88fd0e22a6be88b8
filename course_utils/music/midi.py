"""MIDI files (notebook 09): a chorale written as a standard MIDI file and read back, with music21.

music21 (pinned in requirements.txt) writes and parses the files; importing it costs about 0.3 s of CPU, once, when
the first file is written (measured here: small beside the notebook's budget), so no hand-written MIDI code.
"""

from __future__ import annotations

from course_utils.music.audio import held_notes
from course_utils.music.chorales import STEPS, VOICES
from course_utils.validation import checked


@checked(steps=STEPS, path="path", beats_per_minute="float in [10, 400]")
def write_midi(steps, path, beats_per_minute: float = 80.0) -> None:
    """Write a chorale (T, 4) as a standard MIDI file at `path`: one track per voice, one note per held note
    (equal pitches on consecutive beats joined), a tempo of `beats_per_minute` quarter notes (notebook 09)."""
    from music21 import note, stream, tempo

    score = stream.Score()
    for voice, name in enumerate(VOICES):
        part = stream.Part()
        part.partName = name.capitalize()
        if voice == 0:
            part.insert(0, tempo.MetronomeMark(number=beats_per_minute))
        for pitch, first, last in held_notes(steps[:, voice]):
            part.insert(first, note.Note(pitch, quarterLength=last - first))  # offsets in beats (quarter notes)
        score.insert(0, part)
    partial = path.with_name(path.name + ".partial")  # written whole, then renamed: a reader never sees half a file
    score.write("midi", fp=partial)
    partial.replace(path)


@checked(path="path")
def read_midi_notes(path) -> list[tuple[int, int, float, float]]:
    """(voice, MIDI pitch, start beat, end beat) of every note of a MIDI file, sorted by start (notebook 09).

    The voice is the index of the file's track among those with notes (0 = soprano for files from write_midi).
    """
    from music21 import midi

    if not path.is_file():
        raise FileNotFoundError(f"no MIDI file at {path}")
    try:
        score = midi.translate.midiFilePathToStream(path).stripTies()  # a note across a bar line: one note again
    except (midi.MidiException, IndexError, ValueError) as error:
        raise ValueError(f"path must be a standard MIDI file: {error}"[:200]) from None
    found = [(voice, int(n.pitch.midi), float(n.offset), float(n.offset + n.quarterLength))
             for voice, part in enumerate(score.parts) for n in part.flatten().notes]
    return sorted(found, key=lambda item: (item[2], item[0]))
