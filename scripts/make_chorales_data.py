"""Rebuild course_utils/datasets/bach_chorales.csv.bz2 (notebook 09) from music21's bundled corpus.

    python scripts/make_chorales_data.py [--out PATH] [--limit N]

Parses every Bach chorale of the corpus (`music21.corpus.getComposer("bach")`, MusicXML files named bwv...)
once, keeps those with exactly four parts (soprano, alto, tenor, bass), samples each part at every quarter-note
beat with `course_utils.music.chorale_steps`, names its key with music21's Krumhansl-Schmuckler key finder
(`score.analyze("key")`), drops exact duplicates (the corpus holds a few harmonisations twice under two BWV
numbers) and writes them in corpus order with `course_utils.music.write_chorales`. The output is byte-for-byte
repeatable: rerun it and `sha256sum -c course_utils/datasets/SHA256SUMS` still passes. About 30 s of CPU.
music21 (pinned in requirements.txt) is needed only here, not by the notebook.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from course_utils.music import Chorale, chorale_steps, write_chorales  # the course's package, installed (-e .)

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "course_utils" / "datasets" / "bach_chorales.csv.bz2"


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
