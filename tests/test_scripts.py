"""The tools in scripts/ (issue 25 and the code review's infrastructure items): the refresh script's quiet-machine
rule, path checks and metadata, the seed check's per-offset record of check cells and figures, the flake check's
report, the benchmark's per-notebook dates, and the repository rules they rest on (no sys.path tricks, one MathJax
configuration, one benchmark path). Nothing here executes a course notebook.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from course_utils.runtime import FIGURES_FILE_VARIABLE, record_figure
from scripts import benchmark_notebooks, flake_check, machine, mathjax, refresh_notebooks, seed_check
from scripts.repo_paths import REPO_ROOT, all_notebooks

INTEL = "vendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Processor\nflags\t\t: fpu sse4_2 avx avx2 fma " \
        "avx512f avx512bw amx_tile\n"
AMD = "vendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\nflags\t\t: fpu sse4_2 avx avx2 fma\n"


# ----------------------------------------------------------------------------- which machine

def test_cpu_names_the_model_and_the_instruction_sets_that_change_numbers():
    intel, amd = machine.cpu(INTEL), machine.cpu(AMD)
    assert intel["model"] == "Intel(R) Xeon(R) Processor" and intel["vendor"] == "GenuineIntel"
    assert intel["flags"] == ["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "amx_tile"]
    assert amd["model"] == "AMD EPYC 7B13" and "avx512f" not in amd["flags"]
    assert machine.cpu("")["flags"] is None  # no /proc/cpuinfo (macOS, Windows): not known, rather than none
    assert set(machine.versions()) >= {"python", "tensorflow", "keras", "numpy"}


def test_one_provenance_stamp_for_every_record():
    """CPU, versions, time and load are stamped by machine.stamp() alone in the five tools that record runs."""
    assert set(machine.stamp()) == {"date", "cpu", "versions", "load_average_after"}
    assert set(machine.stamp(day=True, load=False)) == {"measured_on", "cpu", "versions"}
    assert machine.stamp(day=True, load=False)["measured_on"] == machine.today()
    for name in ("text_lstm_sweep", "translation_long_run", "flake_check", "refresh_notebooks", "seed_check"):
        source = (REPO_ROOT / "scripts" / f"{name}.py").read_text()
        assert "machine.stamp(" in source, name
        assert not re.search(r"machine\.(cpu|versions|now|today)\(", source), f"{name} stamps a record by hand"


# ----------------------------------------------------------------------------- refresh: a quiet machine

def test_wait_for_quiet_waits_then_refuses():
    said, slept = [], []
    loads = iter([3.0, 2.0, 1.2])
    assert refresh_notebooks.wait_for_quiet(1.5, 60, load=lambda: next(loads), sleep=slept.append,
                                            say=lambda *a, **k: said.append(a)) == 1.2
    assert slept == [10, 10] and len(said) == 2
    slept.clear()
    with pytest.raises(refresh_notebooks.BusyMachine, match="--allow-busy"):
        refresh_notebooks.wait_for_quiet(1.5, 25, load=lambda: 4.0, sleep=slept.append, say=lambda *a, **k: None)
    assert slept == [10, 10, 5]
    assert refresh_notebooks.wait_for_quiet(1.5, 0, load=lambda: 0.3) == 0.3


def test_refresh_refuses_a_missing_notebook_before_running_anything(monkeypatch, capsys):
    ran = []
    monkeypatch.setattr(refresh_notebooks, "refresh", lambda *args: ran.append(args))
    with pytest.raises(SystemExit) as stopped:
        refresh_notebooks.main(["notebooks/00_start_here.ipynb", "notebooks/00_start_hre.ipynb"])
    assert stopped.value.code == 2 and not ran
    assert "no such notebook: notebooks/00_start_hre.ipynb" in capsys.readouterr().err


def test_refresh_stops_on_a_busy_machine_and_the_override_is_passed_on(monkeypatch, capsys):
    monkeypatch.chdir(REPO_ROOT)
    monkeypatch.delenv(refresh_notebooks.ALLOW_BUSY_VARIABLE, raising=False)

    def busy(path, allow_busy, max_load, wait):
        if not allow_busy:
            raise refresh_notebooks.BusyMachine("load 3.0")
        return {"wall_seconds": 1.0, "cpu_seconds": 1.0, "load_average_before": 3.0, "load_average_after": 3.1,
                "busy_override": True}

    monkeypatch.setattr(refresh_notebooks, "refresh", busy)
    assert refresh_notebooks.main(["notebooks/00_start_here.ipynb"]) == 3
    assert "refusing to refresh" in capsys.readouterr().err
    assert refresh_notebooks.main(["--allow-busy", "notebooks/00_start_here.ipynb"]) == 0
    monkeypatch.setenv(refresh_notebooks.ALLOW_BUSY_VARIABLE, "1")
    assert refresh_notebooks.main(["notebooks/00_start_here.ipynb"]) == 0
    assert "BUSY machine: override recorded" in capsys.readouterr().out


def small_notebook(path: Path) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["course_run"] = {"date": "2026-12-06", "busy_override": False}
    notebook.metadata["widgets"] = {"state": {}}
    cell = nbformat.v4.new_code_cell("print(1)", metadata={"speaker_notes": "Say this.", "ExecuteTime": {"a": 1}})
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    cell.execution_count = 1
    notebook.cells = [nbformat.v4.new_markdown_cell("# T", metadata={"speaker_notes": "Notes."}), cell]
    nbformat.write(notebook, path)
    return path


def test_nbstripout_keeps_the_run_record_and_the_speaker_notes(tmp_path, monkeypatch):
    """Even under a git config that tells nbstripout to strip them (filter.nbstripout.extrakeys)."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "config", "filter.nbstripout.extrakeys",
                    "metadata.course_run cell.metadata.speaker_notes"], check=True)
    monkeypatch.chdir(tmp_path)
    kept = small_notebook(tmp_path / "kept.ipynb")
    refresh_notebooks.strip(kept)
    notebook = json.loads(kept.read_text())
    assert notebook["metadata"]["course_run"]["date"] == "2026-12-06" and "widgets" not in notebook["metadata"]
    assert [c["metadata"].get("speaker_notes") for c in notebook["cells"]] == ["Notes.", "Say this."]
    assert "ExecuteTime" not in notebook["cells"][1]["metadata"] and notebook["cells"][1]["outputs"]
    # The same call without the keep list strips them: the test above can fail.
    stripped = small_notebook(tmp_path / "stripped.ipynb")
    subprocess.run([sys.executable, "-m", "nbstripout", "--keep-output", "--keep-count", str(stripped)], check=True)
    notebook = json.loads(stripped.read_text())
    assert "course_run" not in notebook["metadata"] and "speaker_notes" not in notebook["cells"][0]["metadata"]


# ----------------------------------------------------------------------------- figures and the seed check

def test_record_figure_does_nothing_unless_asked_then_appends_json_lines(tmp_path, monkeypatch):
    monkeypatch.delenv(FIGURES_FILE_VARIABLE, raising=False)
    assert record_figure("LSTM test accuracy", 0.746) == 0.746
    assert list(tmp_path.iterdir()) == []
    target = tmp_path / "figures.jsonl"
    monkeypatch.setenv(FIGURES_FILE_VARIABLE, str(target))
    record_figure("LSTM test accuracy", 0.746)
    record_figure("bits per character", 2)
    record_figure("LSTM test accuracy", 0.7461)  # recorded twice: the last one counts
    assert seed_check.read_figures(target) == {"LSTM test accuracy": 0.7461, "bits per character": 2.0}
    assert type(record_figure("x", np.float32(0.5))) is np.float32  # returned as given, not converted
    for name in ("", "  ", None):
        with pytest.raises(TypeError, match="name must be a non-empty string"):
            record_figure(name, 0.5)
    with pytest.raises(TypeError, match="value must be a real number"):
        record_figure("accuracy", "0.5")
    with pytest.raises(ValueError, match="finite"):
        record_figure("accuracy", float("nan"))


def test_importing_course_utils_runtime_writes_nothing(tmp_path):
    target = tmp_path / "figures.jsonl"
    env = {**os.environ, FIGURES_FILE_VARIABLE: str(target), "PYTHONPATH": str(REPO_ROOT)}
    subprocess.run([sys.executable, "-c", "import course_utils.runtime"], check=True, env=env)
    assert not target.exists()


OLD_ENTRY = {"check_cells": 4, "failures": {"7": {"2": "AssertionError: x"}}, "held_for_every_offset": 3,
             "measured_on": "2026-11-30", "offsets": [1, 2, 3]}


def run_record(cells: dict, figures: dict, date="2026-12-06") -> dict:
    record = seed_check.offset_record({"cells": []}, cells, figures, by="seed check")
    record["measured_on"] = date
    return record


def test_seed_check_file_keeps_old_results_and_records_values_per_offset(tmp_path):
    path, readme = tmp_path / "seed_check.json", tmp_path / "README.md"
    path.write_text(json.dumps({"notebooks": {"old.ipynb": OLD_ENTRY}}))
    readme.write_text(f"before\n{seed_check.START}\nstale\n{seed_check.END}\nafter\n")
    data = seed_check.load(path)
    old = data["notebooks"]["old.ipynb"]
    assert old["offsets"]["2"]["held"] == 3 and old["offsets"]["1"]["held"] == 4 and old["held_for_every_offset"] == 3
    assert old["offsets"]["1"]["note"] == seed_check.MIGRATED_NOTE and old["offsets"]["1"]["cpu"] is None
    seed_check.record(data, "new.ipynb", 0, run_record({3: None, 9: None}, {"LSTM test accuracy": 0.746}))
    for offset, (error, accuracy) in enumerate([(None, 0.741), ("AssertionError: 0.69 < 0.7", 0.69)], start=1):
        seed_check.record(data, "new.ipynb", offset, run_record({3: None, 9: error}, {"LSTM test accuracy": accuracy}))
    seed_check.save(data, path)
    seed_check.write_readme(data, readme)
    new = json.loads(path.read_text())["notebooks"]["new.ipynb"]
    assert [new["offsets"][o]["figures"]["LSTM test accuracy"] for o in "012"] == [0.746, 0.741, 0.69]
    assert new["check_cells"] == 2 and new["held_for_every_offset"] == 1
    assert new["failures"] == {"9": {"2": "AssertionError: 0.69 < 0.7"}}
    assert new["offsets"]["1"]["cpu"]["model"] and new["offsets"]["1"]["check_cells"] == {"3": "held", "9": "held"}
    table = readme.read_text()
    assert table.startswith("before\n") and table.endswith("after\n") and "stale" not in table
    assert "| `new` | 1 / 2 | 0, 1, 2 |" in table
    assert "| `old` | 3 / 4 (first-format records: which code ran is not known) | 1, 2, 3 | 2026-11-30 |" in table
    assert "`new.ipynb` cell 9, offset 2: AssertionError" in table


def tiny_notebook(folder: Path) -> Path:
    """A notebook that records a figure depending on the seed offset, and a check cell that holds only at offset 0."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Tiny\n\n**Time to run:** about 5 s"),
        nbformat.v4.new_code_cell("from course_utils.runtime import record_figure, seed_offset\n"
                                  "value = record_figure('value', 0.5 + seed_offset() / 10)\nprint(value)"),
        nbformat.v4.new_code_cell("assert seed_offset() < 1, f'offset {seed_offset()}'"),
    ]
    path = folder / "99_tiny.ipynb"
    nbformat.write(notebook, path)
    return path


@pytest.fixture
def private_records(tmp_path, monkeypatch):
    """docs/seed_check.json and README.md replaced by copies in tmp_path for the test."""
    monkeypatch.setattr(seed_check, "OUTPUT", tmp_path / "seed_check.json")
    monkeypatch.setattr(seed_check, "README", tmp_path / "README.md")
    monkeypatch.setenv("PYTHONPATH", str(REPO_ROOT))  # the kernels import this checkout's course_utils
    return tmp_path / "seed_check.json"


def test_seed_check_runs_a_notebook_at_an_offset_and_keeps_its_figures(tmp_path, private_records):
    path = tiny_notebook(tmp_path)
    at_0, at_1 = seed_check.run_with_offset(path, 0), seed_check.run_with_offset(path, 1)
    assert at_0["figures"] == {"value": 0.5} and at_0["check_cells"] == {"2": "held"}
    assert at_1["figures"] == {"value": 0.6} and at_1["check_cells"] == {"2": "AssertionError: offset 1"}
    assert seed_check.main(["--seeds", "1", str(path)]) == 0
    entry = json.loads(private_records.read_text())["notebooks"]["99_tiny.ipynb"]
    assert list(entry["offsets"]) == ["1"] and entry["failures"] == {"2": {"1": "AssertionError: offset 1"}}


def test_seed_check_keeps_what_another_run_saved_while_it_ran(tmp_path, private_records, monkeypatch):
    """Two seed checks at once (two notebooks, or two engineers) must not erase each other's records: the file is
    read after the run, not before it (it was read before, and a 20-minute run overwrote the other's offsets)."""
    path = tiny_notebook(tmp_path)

    def run_while_another_saves(notebook_path, offset, cell_timeout):
        other = seed_check.load()
        seed_check.record(other, "other.ipynb", offset, run_record({3: None}, {"acc": 0.7}))
        seed_check.save(other)
        return run_record({2: None}, {"value": 0.5})

    monkeypatch.setattr(seed_check, "run_with_offset", run_while_another_saves)
    assert seed_check.main(["--seeds", "2", str(path)]) == 0
    saved = json.loads(private_records.read_text())["notebooks"]
    assert set(saved["other.ipynb"]["offsets"]) == {"1", "2"} and set(saved["99_tiny.ipynb"]["offsets"]) == {"1", "2"}


def test_refresh_stores_a_run_and_records_it(tmp_path, private_records):
    path = tiny_notebook(tmp_path)
    run = refresh_notebooks.refresh(path, allow_busy=True, max_load=1000.0)
    notebook = json.loads(path.read_text())
    assert notebook["metadata"]["course_run"] == run and run["busy_override"] is False  # below max_load=1000
    assert run["cpu"]["model"] and run["versions"]["tensorflow"] and run["wall_seconds"] > 0 < run["cpu_seconds"]
    printed = notebook["cells"][1]
    assert "".join(printed["outputs"][0]["text"]) == "0.5\n" and printed["execution_count"] == 1
    offset_0 = json.loads(private_records.read_text())["notebooks"]["99_tiny.ipynb"]["offsets"]["0"]
    assert offset_0["by"] == "refresh" and offset_0["figures"] == {"value": 0.5}
    assert offset_0["check_cells"] == {"2": "held"}


def test_seed_check_summary_speaks_only_for_the_stored_code():
    """Offsets run on older code (or migrated, code unknown) are neither counted as held nor allowed to hide a
    failure on the current code: the README names them as stale."""
    def on(code, cells, offset_date="2026-12-06"):
        record = run_record(cells, {}, offset_date)
        record["code_sha256"] = code
        return record

    data = {"notebooks": {"n.ipynb": seed_check.migrate(dict(OLD_ENTRY))}}
    seed_check.record(data, "n.ipynb", 0, on("new", {3: None, 9: None}))
    seed_check.record(data, "n.ipynb", 1, on("new", {3: None, 9: None}))
    seed_check.record(data, "n.ipynb", 2, on("new", {3: None, 9: "AssertionError: offset 2"}))
    seed_check.record(data, "n.ipynb", 3, on("old", {3: None, 9: None}))
    entry = data["notebooks"]["n.ipynb"]
    assert (entry["held_for_every_offset"], entry["check_cells"]) == (1, 2)
    assert entry["failures"] == {"9": {"2": "AssertionError: offset 2"}}
    assert entry["offsets_on_current_code"] == ["1", "2"] and "3" in entry["stale_offsets"]
    row = next(line for line in seed_check.readme_table(data).splitlines() if "`n`" in line)
    assert "1 / 2 at offsets 1, 2" in row and "ran older code: rerun" in row


def test_seed_check_renumbers_check_cells_moved_by_a_markdown_cell(monkeypatch):
    """Keys are indices among all cells: a markdown cell inserted after a run moves the check cells, not the code.
    Records on the same code are renumbered (the k-th key is the k-th check cell), so one check cell is counted once
    and a failure names the cell where it is now."""
    assert seed_check.renumbered({"3": "held", "9": "E"}, ["4", "10"]) == {"4": "held", "10": "E"}
    assert seed_check.renumbered({"3": "held", "9": "E"}, ["3", "9"]) == {"3": "held", "9": "E"}
    assert seed_check.renumbered({"3": "held"}, ["4", "10"]) == {"3": "held"}  # another count: left as it was
    assert seed_check.renumbered({"3": "held"}, None) == {"3": "held"}  # notebook not found

    def on(cells):
        record = run_record(cells, {})
        record["code_sha256"] = "same code"
        return record

    monkeypatch.setattr(seed_check, "current_code", lambda entry, name: "same code")
    monkeypatch.setattr(seed_check, "check_cells_now", lambda name: ["4", "10"])  # one markdown cell added above
    data = {"notebooks": {}}
    seed_check.record(data, "n.ipynb", 1, on({3: None, 9: None}))  # run before the markdown cell was added
    seed_check.record(data, "n.ipynb", 2, on({4: None, 10: "AssertionError: offset 2"}))  # run after
    entry = data["notebooks"]["n.ipynb"]
    assert (entry["held_for_every_offset"], entry["check_cells"]) == (1, 2)  # not 3 of 4
    assert entry["failures"] == {"10": {"2": "AssertionError: offset 2"}}
    assert set(entry["offsets"]["1"]["check_cells"]) == {"4", "10"}


def test_every_seed_check_record_on_current_code_names_the_notebooks_check_cells():
    """docs/seed_check.json as committed: a record run on a notebook's current code keys exactly its check cells."""
    data = seed_check.load()
    for path in all_notebooks():
        entry = data["notebooks"].get(path.name)
        if entry is None:
            continue
        notebook = json.loads(path.read_text())
        code, cells = seed_check.code_hash(notebook), seed_check.check_cells_now(path.name)
        for label, record in seed_check.labelled_records(entry).items():  # every CPU's records
            if record.get("code_sha256") == code and record.get("check_cells") is not None:
                assert sorted(record["check_cells"], key=int) == cells, (path.name, label)


def test_seed_check_merges_a_branchs_copy_per_offset():
    data = {"notebooks": {"old.ipynb": seed_check.migrate(OLD_ENTRY)}}
    seed_check.record(data, "new.ipynb", 1, run_record({3: None}, {"acc": 0.74}, date="2026-12-05"))
    branch = {"notebooks": {"old.ipynb": OLD_ENTRY, "other.ipynb": OLD_ENTRY}}
    seed_check.record(branch, "new.ipynb", 1, run_record({3: "AssertionError: no"}, {"acc": 0.70}, "2026-12-06"))
    seed_check.record(branch, "new.ipynb", 2, run_record({3: None}, {"acc": 0.75}, date="2026-12-04"))
    merged = seed_check.merge(data, branch)["notebooks"]
    assert sorted(merged) == ["new.ipynb", "old.ipynb", "other.ipynb"]
    assert merged["new.ipynb"]["offsets"]["1"]["figures"] == {"acc": 0.70}  # the later record wins
    assert merged["new.ipynb"]["failures"] == {"3": {"1": "AssertionError: no"}}
    assert merged["old.ipynb"]["held_for_every_offset"] == 3 and merged["other.ipynb"]["offsets"]["2"]["held"] == 3


def test_seed_check_merge_keeps_the_record_of_the_current_code(monkeypatch):
    """A branch's copy carries its own old records of notebooks it never touched: on the same day they must not
    replace main's records of the current code (what happened when notebook 04's branch was merged, 2026-12-07)."""
    def on(code, cells):
        record = run_record(cells, {}, "2026-12-07")
        record["code_sha256"] = code
        return record

    monkeypatch.setattr(seed_check, "current_code", lambda entry, name: "new")
    monkeypatch.setattr(seed_check, "check_cells_now", lambda name: None)
    main = {"notebooks": {}}
    seed_check.record(main, "n.ipynb", 1, on("new", {3: None}))
    branch = {"notebooks": {}}
    seed_check.record(branch, "n.ipynb", 1, on("old", {3: "AssertionError: old code"}))
    seed_check.record(branch, "n.ipynb", 2, on("new", {3: None}))
    merged = seed_check.merge(main, branch)["notebooks"]["n.ipynb"]
    assert merged["offsets"]["1"]["code_sha256"] == "new" and merged["failures"] == {}
    assert merged["offsets"]["2"]["code_sha256"] == "new"  # what only the branch ran is taken


INTEL_XEON = {"model": "Intel(R) Xeon(R) Processor", "flags": ["avx2", "avx512f"], "cores": 2, "vendor": "GenuineIntel"}
AMD_EPYC = {"model": "AMD EPYC", "flags": ["avx2"], "cores": 2, "vendor": "AuthenticAMD"}


def on_cpu(cpu, cells, accuracy, by="seed check"):
    record = run_record(cells, {"acc": accuracy})
    record.update(cpu=cpu, by=by, code_sha256="same code")
    return record


def test_seed_check_keeps_each_cpus_records_apart(tmp_path):
    """A seed check on another CPU must neither replace the stored run's CPU's records (prose quotes them) nor be
    lost; a check cell counts as held only if it held on every CPU; storing the notebook on the other CPU swaps
    them. (An AMD EPYC seed check of notebook 11 would have overwritten the Intel figures its prose quotes.)"""
    data = {"notebooks": {}}
    for offset in range(3):
        seed_check.record(data, "n.ipynb", offset, on_cpu(INTEL_XEON, {3: None}, 0.9 + offset / 100,
                                                           by="refresh" if offset == 0 else "seed check"))
    seed_check.record(data, "n.ipynb", 1, on_cpu(AMD_EPYC, {3: None}, 0.8))
    seed_check.record(data, "n.ipynb", 2, on_cpu(AMD_EPYC, {3: "AssertionError: 0.6"}, 0.6))
    entry = data["notebooks"]["n.ipynb"]
    assert [entry["offsets"][o]["figures"]["acc"] for o in "012"] == [0.9, 0.91, 0.92]  # Intel's, untouched
    assert {o: r["figures"]["acc"] for o, r in entry["other_cpus"]["AMD EPYC"].items()} == {"1": 0.8, "2": 0.6}
    assert entry["failures"] == {"3": {"2 on AMD EPYC": "AssertionError: 0.6"}}
    assert (entry["held_for_every_offset"], entry["check_cells"]) == (0, 1)
    row = next(line for line in seed_check.readme_table(data).splitlines() if "`n`" in line)
    assert "| 0 / 1 | 0, 1, 2; on AMD EPYC: 1, 2 |" in row and "Intel(R) Xeon(R) Processor (AVX-512); AMD EPYC" in row
    assert "`n.ipynb` cell 3, offset 2 on AMD EPYC: AssertionError" in seed_check.readme_table(data)
    assert seed_check.grouped(["1", "2", "1 on AMD EPYC", "3 on AMD EPYC"]) == "1, 2; 1, 3 on AMD EPYC"
    assert seed_check.grouped(["1", "2", "3 on AMD EPYC"], "Intel") == "1, 2 on Intel; 3 on AMD EPYC"
    seed_check.record(data, "n.ipynb", 0, on_cpu(AMD_EPYC, {3: "AssertionError: at 0"}, 0.6))  # a rerun of offset 0
    assert entry["failures"]["3"]["0 on AMD EPYC"] == "AssertionError: at 0"  # counts: it is another CPU's run

    seed_check.record(data, "n.ipynb", 0, on_cpu(AMD_EPYC, {3: None}, 0.85, by="seed check"))  # --include-offset-0
    assert entry["offsets"]["0"]["figures"]["acc"] == 0.9 and "0" in entry["other_cpus"]["AMD EPYC"]
    seed_check.record(data, "n.ipynb", 0, on_cpu(AMD_EPYC, {3: None}, 0.84, by="refresh"))  # stored on the AMD machine
    assert [entry["offsets"][o]["figures"]["acc"] for o in "012"] == [0.84, 0.8, 0.6]
    assert list(entry["other_cpus"]) == ["Intel(R) Xeon(R) Processor (AVX-512)"]
    assert entry["other_cpus"]["Intel(R) Xeon(R) Processor (AVX-512)"]["2"]["figures"]["acc"] == 0.92

    path = tmp_path / "seed_check.json"
    seed_check.save(data, path)
    from scripts.prose_numbers import seed_check_values
    values = seed_check_values("n.ipynb", path)
    for backed in (0.9, 0.92, 0.6, 0.84, (0.84 + 0.8 + 0.6) / 3, (0.9 + 0.91 + 0.92) / 3):  # each CPU's mean too
        assert backed == pytest.approx(min(values, key=lambda value: abs(value - backed)))


def test_seed_check_merge_routes_another_cpus_records():
    data = {"notebooks": {}}
    for offset in range(2):
        seed_check.record(data, "n.ipynb", offset, on_cpu(INTEL_XEON, {3: None}, 0.9,
                                                           "refresh" if offset == 0 else "seed check"))
    branch = {"notebooks": {}}
    seed_check.record(branch, "n.ipynb", 1, on_cpu(AMD_EPYC, {3: None}, 0.7))  # a branch that ran only on the AMD
    entry = seed_check.merge(data, branch)["notebooks"]["n.ipynb"]
    assert entry["offsets"]["1"]["figures"]["acc"] == 0.9 and entry["other_cpus"]["AMD EPYC"]["1"]["figures"] == {
        "acc": 0.7}
    stored_on_amd = {"notebooks": {}}  # merged into `data` as the first merge left it
    seed_check.record(stored_on_amd, "n.ipynb", 0, on_cpu(AMD_EPYC, {3: None}, 0.75, by="refresh"))
    entry = seed_check.merge(data, stored_on_amd)["notebooks"]["n.ipynb"]  # same day, same code: the incoming wins
    assert entry["offsets"]["0"]["figures"]["acc"] == 0.75 and entry["offsets"]["1"]["figures"]["acc"] == 0.7
    assert set(entry["other_cpus"]["Intel(R) Xeon(R) Processor (AVX-512)"]) == {"0", "1"}


def test_seed_check_refuses_a_missing_notebook():
    with pytest.raises(SystemExit):
        seed_check.main(["notebooks/nope.ipynb"])


# ----------------------------------------------------------------------------- flake check

JUNIT = """<testsuites><testsuite>
<testcase classname="notebooks.00_start_here.ipynb" name="Cell 0"/>
<testcase classname="notebooks.00_start_here.ipynb" name="Cell 1"><failure message="differs"/></testcase>
<testcase classname="notebooks.solutions.05_text_generation_solutions.ipynb" name="Cell 0"/>
<testcase classname="tests.test_x" name="test_y"/>
</testsuite></testsuites>"""


def test_flake_check_reads_nbval_results_and_tells_flaky_from_always(tmp_path):
    first = flake_check.parse_junit(JUNIT)
    assert first == {"00_start_here.ipynb": {"Cell 0": False, "Cell 1": True},
                     "05_text_generation_solutions.ipynb": {"Cell 0": False}}
    second = flake_check.parse_junit(JUNIT.replace('<failure message="differs"/>', ""))
    paths = [REPO_ROOT / "notebooks" / "00_start_here.ipynb",
             REPO_ROOT / "notebooks" / "solutions" / "05_text_generation_solutions.ipynb"]
    entries = flake_check.summarise(paths, [first, second, first])
    cell = entries["00_start_here.ipynb"]["differing_cells"]["Cell 1"]
    assert cell["runs_failed"] == 2 and cell["kind"] == "flaky" and cell["ipynb_cell"] == flake_check.ipynb_index(
        paths[0], "Cell 1") > 1
    assert entries["05_text_generation_solutions.ipynb"] | {"measured_on": 0, "cpu": 0, "versions": 0} == {
        "measured_on": 0, "cpu": 0, "versions": 0, "runs": 3, "cells_checked": 1, "differing_cells": {}}
    summary = flake_check.readme_summary({"notebooks": entries}, [p.name for p in paths] + ["11_tradeoffs.ipynb"])
    assert "3 consecutive nbval runs of 2 of the 3 notebooks" in summary and "1 cells differed" in summary
    assert "Not flake-checked yet: `11_tradeoffs.ipynb`" in summary
    assert f"CPUs: {machine.cpu()['model']} (2 notebooks)." in summary  # which CPU ran them: outputs differ by CPU


# ----------------------------------------------------------------------------- benchmark

def test_benchmark_only_keeps_the_full_runs_date_and_dates_its_own_notebooks(tmp_path, monkeypatch):
    output, readme = tmp_path / "times.json", tmp_path / "README.md"
    full = {"measured_on": "2026-11-30", "machine": {"cpu": "Intel(R) Xeon(R) Processor", "cpu_count": 2,
                                                      "memory_gb": 24, "python": "3.11.7"},
            "notebooks": {"00_start_here.ipynb": {"seconds": 5.6, "peak_memory_mb": 660},
                          "01_x.ipynb": {"seconds": 45.9, "peak_memory_mb": 930}}}
    output.write_text(json.dumps(full))
    readme.write_text(f"{benchmark_notebooks.START}\n{benchmark_notebooks.END}\n")
    monkeypatch.setattr(benchmark_notebooks, "OUTPUT", output)
    monkeypatch.setattr(benchmark_notebooks, "README", readme)
    monkeypatch.setattr(benchmark_notebooks, "all_notebooks", lambda: [Path("00_start_here.ipynb"), Path("01_x.ipynb")])
    monkeypatch.setattr(benchmark_notebooks, "measure", lambda path: {
        "seconds": 6.1, "peak_memory_mb": 661, "load_average_before": 0.1, "measured_on": "2026-12-06",
        "cpu": "AMD EPYC 7B13", "cpu_flags": ["avx2"]})
    stated = []  # the real notebook's intro and docs/workshop.md stay untouched by the test
    monkeypatch.setattr(benchmark_notebooks, "state_measured_times", lambda data, paths: stated.extend(paths))
    monkeypatch.setattr(sys, "argv", ["benchmark", "--only", str(REPO_ROOT / "notebooks" / "00_start_here.ipynb")])
    assert benchmark_notebooks.main() == 0
    assert [path.name for path in stated] == ["00_start_here.ipynb"]
    data = json.loads(output.read_text())
    assert data["measured_on"] == "2026-11-30" and data["machine"]["cpu"] == "Intel(R) Xeon(R) Processor"
    assert data["notebooks"]["00_start_here.ipynb"]["cpu"] == "AMD EPYC 7B13"
    table = readme.read_text()
    assert "Measured by `make bench` on 2026-11-30: Intel(R) Xeon(R) Processor" in table
    assert "| `00_start_here.ipynb` | 6 | 661 | 2026-12-06, AMD EPYC 7B13 |" in table
    assert "| `01_x.ipynb` | 46 | 930 |  |" in table
    monkeypatch.setattr(sys, "argv", ["benchmark", "--only", "notebooks/00_start_hre.ipynb"])
    with pytest.raises(SystemExit):
        benchmark_notebooks.main()


# ----------------------------------------------------------------------------- repository rules

def python_files() -> list[Path]:
    skip = {".venv", "node_modules", "build", "scratch", ".git"}
    return [p for p in REPO_ROOT.rglob("*.py") if not skip & set(p.relative_to(REPO_ROOT).parts)]


def test_no_sys_path_tricks():
    """Tools run as `python -m scripts.NAME` from the top folder, pytest adds it (pythonpath in pyproject.toml), the
    hub gets it on PYTHONPATH: no module edits sys.path."""
    found = [f"{p.relative_to(REPO_ROOT)}:{n}" for p in python_files()
             for n, line in enumerate(p.read_text().splitlines(), 1)
             if re.search(r"sys\.path\.(insert|append)", line) and "re.search" not in line]
    assert not found, f"sys.path edited in {found}"


def test_one_mathjax_configuration_for_the_decks_and_the_site():
    assert mathjax.CONFIG in mathjax.script_url("x") and all(f"config/{c}.js" in mathjax.PARTS
                                                             for c in mathjax.CONFIG.split(","))
    elsewhere = [str(p.relative_to(REPO_ROOT)) for p in python_files()
                 if "TeX-AMS" in p.read_text() and p.name not in ("mathjax.py", "test_scripts.py")]
    assert not elsewhere, f"a MathJax configuration named outside scripts/mathjax.py: {elsewhere}"


def test_the_benchmark_path_is_written_once():
    """docs/notebook_times.json is named in course_utils/layout.py only (hub/learner_home.py, which runs standalone
    with any Python, reads layout.py from its file)."""
    literal = re.compile(r"""["'](?:docs/)?notebook_times\.json["']|/ ?["']notebook_times\.json["']""")
    found = [str(p.relative_to(REPO_ROOT)) for p in python_files() if literal.search(p.read_text())]
    assert sorted(found) == ["course_utils/layout.py"], found


def test_tools_run_from_a_fresh_shell_and_tests_in_every_import_mode():
    """No PYTHONPATH: `python -m scripts.NAME` from the top folder, and pytest with --import-mode=importlib."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    tool = subprocess.run([sys.executable, "-m", "scripts.prose_numbers", "--help"], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True)
    assert tool.returncode == 0, tool.stderr
    tests = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:randomly", "-q",
                            "--import-mode=importlib", "tests/test_prose_numbers.py", "-k", "planted"],
                           cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    assert tests.returncode == 0, tests.stdout[-2000:] + tests.stderr[-2000:]


def test_bench_states_the_measured_times_in_the_intros_and_the_workshop_timetable(tmp_path):
    import nbformat

    path = tmp_path / "06_x.ipynb"
    intro = "# 06\n**Time to run:** about 28 s on a 2-core CPU (measured by `make bench`)."
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(intro)]), path)
    workshop = tmp_path / "workshop.md"
    workshop.write_text("| 06 sentiment | 28 s | 1 + exercises (the solutions run in 26 s) | 40 min |\n"
                        "| 07 translation | 73 s | 1 |\n| 30 | 15 (run 27 s) | 1 |\n")
    data = {"notebooks": {"06_x.ipynb": {"seconds": 81.4}, "06_x_solutions.ipynb": {"seconds": 97.6}}}
    benchmark_notebooks.state_measured_times(data, [path], workshop)
    assert "about 81 s on a 2-core CPU" in nbformat.read(path, as_version=4).cells[0].source
    assert workshop.read_text() == ("| 06 sentiment | 81 s | 1 + exercises (the solutions run in 98 s) | 40 min |\n"
                                    "| 07 translation | 73 s | 1 |\n| 30 | 15 (run 27 s) | 1 |\n")
