"""Rebuild course_utils/datasets/bach_chorales.csv.bz2 (notebook 09) from music21's bundled corpus.

    python scripts/make_chorales_data.py [--out PATH] [--limit N]

Parses every Bach chorale of the corpus (`music21.corpus.getComposer("bach")`, MusicXML files named bwv...)
once, keeps those with exactly four parts (soprano, alto, tenor, bass), samples each part at every quarter-note
beat (`chorale_steps`), names its key with music21's Krumhansl-Schmuckler key finder (`score.analyze("key")`),
drops exact duplicates (the corpus holds a few harmonisations twice under two BWV numbers) and writes them in
corpus order (`write_chorales`), in the format `course_utils.music.read_chorales` reads. The output is byte-for-byte
repeatable: rerun it and `sha256sum -c course_utils/datasets/SHA256SUMS` still passes. About 30 s of CPU.
music21 (pinned in requirements.txt) parses the corpus here; the notebook uses it only to write a MIDI file.
"""

from __future__ import annotations

import argparse
import bz2
import csv
import io
from pathlib import Path

import numpy as np

from course_utils.music.chorales import CHORALES, COLUMNS, Chorale  # the course's package, installed (-e .)

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "course_utils" / "datasets" / "bach_chorales.csv.bz2"


def chorale_steps(score, step: float = 1.0) -> np.ndarray:
    """The pitches (steps, parts) a music21 Score sounds at every `step` quarter notes, 0 = rest.

    A part sounds, at time t, the note or rest whose span [offset, offset + duration) holds t; in a chord (rare in
    chorales) the part takes the highest pitch. Grace notes (no duration) are skipped, tied notes give the same
    pitch on both sides of the tie.
    """
    n_steps = int(np.ceil(float(score.highestTime) / step - 1e-9))
    if len(score.parts) == 0 or n_steps == 0:
        raise ValueError("score must have at least one part and a positive length")
    pitches = np.zeros((n_steps, len(score.parts)), dtype=np.int64)
    for column, part in enumerate(score.parts):
        for element in part.flatten().notesAndRests:
            start, length = float(element.offset), float(element.duration.quarterLength)
            if length <= 0 or element.isRest:
                continue
            midi = max(p.midi for p in element.pitches)
            first = int(np.ceil(start / step - 1e-9))
            last = int(np.ceil((start + length) / step - 1e-9))  # exclusive: the step at the end is the next note's
            pitches[first:min(last, n_steps), column] = midi
    return pitches


def write_chorales(chorales, path) -> None:
    """Write chorales (a list of Chorale) as bz2-compressed CSV, byte-for-byte repeatable.

    One row per chorale: name, tonic, mode, then each voice's pitches as space-separated MIDI numbers.
    """
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    for chorale in CHORALES("chorales", chorales, {}):
        voices = [" ".join(str(int(p)) for p in chorale.steps[:, v]) for v in range(4)]
        writer.writerow([chorale.name, chorale.tonic, chorale.mode, *voices])
    Path(path).write_bytes(bz2.compress(text.getvalue().encode("ascii"), 9))


def corpus_chorales(limit: int | None = None) -> tuple[list[Chorale], dict]:
    """The four-part chorales of music21's corpus as Chorale records, and counts of what was skipped."""
    from music21 import corpus

    paths = sorted((p for p in corpus.getComposer("bach") if p.name.startswith("bwv") and p.suffix in (".mxl", ".xml")),
                   key=lambda p: p.name)
    chorales, seen, skipped = [], set(), {"not four parts": 0, "duplicate": 0}
    for path in paths[:limit]:
        score = corpus.parse(path)
        if len(score.parts) != 4:
            skipped["not four parts"] += 1
            continue
        steps = chorale_steps(score, step=1.0)
        fingerprint = steps.tobytes()
        if fingerprint in seen:
            skipped["duplicate"] += 1
            continue
        seen.add(fingerprint)
        key = score.analyze("key")
        chorales.append(Chorale(path.name.rsplit(".", 1)[0], int(key.tonic.pitchClass), key.mode, steps))
    return chorales, skipped


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--limit", type=int, default=None, help="parse only the first N corpus files (for tests)")
    args = parser.parse_args(argv)
    chorales, skipped = corpus_chorales(args.limit)
    write_chorales(chorales, args.out)
    beats = sum(len(c.steps) for c in chorales)
    print(f"wrote {len(chorales)} chorales, {beats} beats, to {args.out} (skipped: {skipped})")


if __name__ == "__main__":
    main()
