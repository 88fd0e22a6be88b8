"""course_utils.bundled_data: data files inside the package, each checked against its SHA-256 on load.

No file is bundled yet, so each test builds a temporary datasets folder (files + SHA256SUMS) and points the
module at it; the last test checks the real manifest parses and lists only files that exist and match.
"""

import hashlib

import pytest

from course_utils import bundled_data
from course_utils.bundled_data import bundled_path, expected_checksums


@pytest.fixture
def datasets(tmp_path, monkeypatch):
    """A datasets folder holding two files and their manifest, in the format `sha256sum` writes and checks."""
    files = {"notes.txt": b"an LSTM remembers\n", "table.csv": b"x,y\n1,2\n"}
    lines = ["# a comment line", ""]
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
        lines.append(f"{hashlib.sha256(content).hexdigest()}  {name}")
    lines[-1] = lines[-1].replace("  table.csv", " *table.csv")  # sha256sum's binary-mode marker
    (tmp_path / bundled_data.MANIFEST).write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(bundled_data, "_datasets_folder", lambda: tmp_path)
    return tmp_path


def test_expected_checksums_read_the_manifest(datasets):
    assert expected_checksums() == {name: hashlib.sha256((datasets / name).read_bytes()).hexdigest()
                                    for name in ("notes.txt", "table.csv")}


def test_a_listed_unchanged_file_loads(datasets):
    assert bundled_path("notes.txt") == datasets / "notes.txt"
    assert bundled_path("table.csv").read_bytes() == b"x,y\n1,2\n"


def test_a_changed_file_is_refused(datasets):
    (datasets / "notes.txt").write_bytes(b"an LSTM forgets\n")
    with pytest.raises(ValueError, match="notes.txt has SHA-256 .* expected .*: the file was changed or corrupted"):
        bundled_path("notes.txt")


def test_a_missing_file_and_an_unlisted_name_are_clear_errors(datasets):
    (datasets / "table.csv").unlink()
    with pytest.raises(FileNotFoundError, match="table.csv is listed in SHA256SUMS but missing"):
        bundled_path("table.csv")
    (datasets / "extra.txt").write_text("not in the manifest")
    with pytest.raises(ValueError, match=r"no bundled data file named 'extra.txt': name must be one of \['notes"):
        bundled_path("extra.txt")
    with pytest.raises(TypeError, match="name must be a string, got PosixPath"):
        bundled_path(datasets / "notes.txt")


def test_the_real_manifest_lists_only_files_that_exist_and_match():
    folder = bundled_data._datasets_folder()
    assert (folder / bundled_data.MANIFEST).is_file() and (folder / "README.md").is_file()
    for name in expected_checksums():
        assert bundled_path(name).parent == folder
    with pytest.raises(ValueError, match="no bundled data file named"):
        bundled_path("no_such_file.csv")
