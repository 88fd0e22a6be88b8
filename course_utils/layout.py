"""Where the course's files are, relative to its top folder (a clone of the course): the one place these paths
are written. Standard library only: the package (notebook 00 finds the measured run times from its own folder),
scripts/, tests/ and hub/ (whose environment, hub/.venv, has no NumPy) all take them from here.
"""

from pathlib import PurePosixPath

NOTEBOOKS_RELATIVE_PATH = PurePosixPath("notebooks")
BENCHMARK_RELATIVE_PATH = PurePosixPath("docs/notebook_times.json")  # written by `make bench`
