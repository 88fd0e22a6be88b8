"""Notebooks are stored as a clean top-to-bottom run, follow the house skeleton and the course map.

nbval passes a code cell that has no stored output without checking it, so without these tests
an unexecuted notebook would pass CI while proving nothing.
"""

from __future__ import annotations

import json
import re

import pytest

from course_utils.course_map import COURSE_MAP, load_benchmark
from scripts.repo_paths import BENCHMARK_FILE, README
from tests.notebook_files import ALL_NOTEBOOKS, NOTEBOOKS, SOLUTIONS, code_cells, ids, load, source, tags


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found under notebooks/"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=ids(ALL_NOTEBOOKS))
def test_stored_executed_top_to_bottom(path):
    notebook = load(path)
    cells = code_cells(notebook)
    assert cells, f"{path.name} has no code cells"
    counts = [c.get("execution_count") for c in cells]
    never_run = [i for i, n in enumerate(counts) if n is None]
    assert not never_run, f"{path.name}: code cells {never_run} were never executed; run `make refresh`"
    assert counts == list(range(1, len(cells) + 1)), (
        f"{path.name}: execution counts {counts} are not 1..{len(cells)}: restart the kernel and run all"
    )
    for index, cell in enumerate(cells):
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if errors and "raises-exception" not in tags(cell):
            pytest.fail(f"{path.name}: code cell {index} stores an error ({errors[0].get('ename')})")
        if "raises-exception" in tags(cell):
            assert errors, f"{path.name}: code cell {index} is tagged raises-exception but raised nothing"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=ids(ALL_NOTEBOOKS))
def test_no_stray_plot_repr_or_skip_without_reason(path):
    for index, cell in enumerate(code_cells(load(path))):
        for output in cell.get("outputs", []):
            text = "".join(output.get("data", {}).get("text/plain", ""))
            assert not re.match(r"^\[<matplotlib\.|^<matplotlib\.|^Text\(", text), (
                f"{path.name}: code cell {index} prints a matplotlib repr; end it with plt.show() or ';'"
            )
        if "nbval-skip" in tags(cell):
            assert "# nbval-skip:" in source(cell), f"{path.name}: cell {index} skips nbval without a reason"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_file_name_follows_course_map(path):
    by_number = {entry.number: entry for entry in COURSE_MAP}
    match = re.fullmatch(r"(\d\d)_([a-z0-9_]+)\.ipynb", path.name)
    assert match, f"{path.name}: notebook names are NN_snake_case.ipynb"
    number = int(match.group(1))
    assert number in by_number, f"{path.name}: number {number} is not in the course map"
    assert path.name == by_number[number].filename, f"expected {by_number[number].filename}, got {path.name}"


@pytest.mark.parametrize("path", SOLUTIONS, ids=ids(SOLUTIONS))
def test_solutions_belong_to_a_notebook(path):
    stems = {p.stem for p in NOTEBOOKS}
    assert path.stem.endswith("_solutions") and path.stem[: -len("_solutions")] in stems, (
        f"{path.name}: solutions are named <notebook>_solutions.ipynb after an existing notebook"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_house_skeleton(path):
    notebook = load(path)
    markdown = [source(c) for c in notebook["cells"] if c["cell_type"] == "markdown"]
    first = source(notebook["cells"][0])
    assert notebook["cells"][0]["cell_type"] == "markdown" and first.startswith("# "), (
        f"{path.name}: the first cell is a markdown title ('# ...')"
    )
    assert re.search(r"learning goals", first, re.IGNORECASE), f"{path.name}: the intro lists its learning goals"
    assert re.search(r"Time to run:\*\* about \d+ s", first), (
        f"{path.name}: the intro states its measured run time as '**Time to run:** about N s ...'"
    )
    headings = "\n".join(line for text in markdown for line in text.splitlines() if line.startswith("#"))
    for section in ("Summary", "Exercises"):
        assert re.search(rf"^#+ .*{section}", headings, re.MULTILINE), f"{path.name}: no '{section}' heading"
    first_code = source(code_cells(notebook)[0])
    if re.search(r"import (keras|tensorflow)", "\n".join(source(c) for c in code_cells(notebook))):
        for variable in ("TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS"):
            assert variable in first_code, f"{path.name}: the first code cell sets {variable} before keras loads"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_stated_run_time_matches_benchmark(path):
    """The '**Time to run:** about N s' of each intro must agree with the measured benchmark."""
    benchmark = load_benchmark(BENCHMARK_FILE)
    stated = int(re.search(r"Time to run:\*\* about (\d+) s", source(load(path)["cells"][0])).group(1))
    assert path.name in benchmark["notebooks"], f"{path.name} has no measurement: run `make bench`"
    measured = benchmark["notebooks"][path.name]["seconds"]
    assert abs(stated - measured) <= max(10.0, 0.25 * measured), (
        f"{path.name} says about {stated} s but `make bench` measured {measured:.0f} s: update the intro"
    )


def stored_time_table(notebook: dict) -> str:
    """The table of run times notebook 00 stored (its cell reads docs/notebook_times.json; nbval ignores the output,
    since it changes with every `make bench`)."""
    for cell in code_cells(notebook):
        for output in cell.get("outputs", []):
            table = "".join(output.get("data", {}).get("text/markdown", ""))
            if table.startswith("| notebook | time (s) |"):
                return table
    raise AssertionError("notebook 00 stores no table of run times")


def test_start_here_shows_the_run_times_of_the_last_bench():
    """After `make bench` notebook 00 must be re-stored, or its map of run times shows the previous bench (it did, on
    2026-12-07: 11 at 83 s while the bench said 112 s)."""
    start_here = next(path for path in NOTEBOOKS if path.name.startswith("00_"))
    benchmark = load_benchmark(BENCHMARK_FILE)["notebooks"]
    expected = {name: f"{f['seconds']:.0f}" for name, f in benchmark.items()}
    stored = {}
    for row in stored_time_table(load(start_here)).strip().splitlines()[2:]:
        name, seconds, _memory = (part.strip() for part in row.strip("|").split("|"))
        stored[name] = seconds
    stale = {name: (stored.get(name), seconds) for name, seconds in expected.items() if stored.get(name) != seconds}
    assert not stale, f"re-store {start_here.name} after `make bench` (notebook: (stored s, benchmark s)): {stale}"


# Notebooks whose stored outputs were made while other trainings ran on the 2-core machine (issue 25): their printed
# seconds exceed the intro's "Time to run". The lead re-stores every notebook on a quiet machine at the end and
# empties this set; a notebook on it that already passes fails the test, so the set only shrinks. A notebook stored
# with the refresh script's busy-machine override (metadata course_run.busy_override) is an expected failure too,
# named as such, until it is re-stored quietly.
STORED_UNDER_LOAD = set()
SLOWER_BY_AT_MOST = 1.5  # a stored print of seconds may exceed the stated run time by 50 %, not more
# A printed duration: "trained in 507.3 s", "31 s", "(12.3s)", "1.5 min"; not "0s" (zeros), not "1072 s of audio".
SECONDS_PRINT = re.compile(r"(?<![\w.])(?P<value>\d+\.\d+ ?|\d+ )(?P<unit>s|sec|seconds|min|minutes)\b"
                           r"(?! of (?!training\b|compute\b))")


def printed_seconds(notebook: dict) -> list[tuple[int, float, str]]:
    """(cell index, seconds, the line) for every duration printed in a stored stream or text/plain output."""
    found = []
    for index, cell in enumerate(notebook["cells"]):
        for output in cell.get("outputs", []):
            text = source({"source": output.get("text", "")}) + source(
                {"source": output.get("data", {}).get("text/plain", "")})
            for line in text.splitlines():
                for match in SECONDS_PRINT.finditer(line):
                    seconds = float(match.group("value")) * (60 if match.group("unit").startswith("min") else 1)
                    found.append((index, seconds, line.strip()))
    return found


def stated_seconds(path, notebook: dict) -> float:
    """The intro's "**Time to run:** about N s"; a notebook without one (most solutions) is held to its make bench
    figure in docs/notebook_times.json, the figure the header is tied to (test_stated_run_time_matches_benchmark)."""
    header = re.search(r"Time to run:\*\* about (\d+) s", source(notebook["cells"][0]))
    if header:
        return float(header.group(1))
    benchmark = load_benchmark(BENCHMARK_FILE)["notebooks"]
    assert path.name in benchmark, f"{path.name} has no measurement: run `make bench`"
    return float(benchmark[path.name]["seconds"])


def other_cpu_problems(notebook: dict, run: dict) -> list[str]:
    """A store made on another CPU model than the one `make bench` timed cannot be held to the stated run time (an
    AMD EPYC with AVX2 ran notebook 09 in 201 s where the bench's Intel Xeon took 101 s, at the same load): it is held
    to having been quiet, as recorded, and to printing no duration longer than its own run."""
    problems = []
    if run["load_average_before"] > run["max_load"]:
        problems.append(f"stored at a load average of {run['load_average_before']} (over {run['max_load']})")
    problems += [f"cell {index} prints {seconds:g} s, longer than the whole stored run ({run['wall_seconds']} s): "
                 f"{line[:100]}" for index, seconds, line in printed_seconds(notebook) if seconds > run["wall_seconds"]]
    return problems


def timing_problems(path) -> list[str]:
    notebook = load(path)
    run = notebook["metadata"].get("course_run")
    bench_cpu = load_benchmark(BENCHMARK_FILE)["notebooks"].get(path.name, {}).get("cpu")
    if run and bench_cpu and run["cpu"]["model"] != bench_cpu:
        return other_cpu_problems(notebook, run)
    limit = SLOWER_BY_AT_MOST * stated_seconds(path, notebook)
    problems = [f"cell {index} prints {seconds:g} s: {line[:100]}" for index, seconds, line in printed_seconds(notebook)
                if seconds > limit]
    if run and run["wall_seconds"] > limit:  # the notebook's own total, recorded by the refresh script
        problems.append(f"the stored run took {run['wall_seconds']} s (metadata course_run.wall_seconds)")
    return problems


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=ids(ALL_NOTEBOOKS))
def test_stored_timings_agree_with_the_stated_run_time(path):
    """No stored print of seconds exceeds the notebook's "Time to run" by more than 50 %: outputs come from a quiet
    machine (issue 25), and a learner reading "trained in 507.3 s" under "about 55 s" trusts neither."""
    problems = timing_problems(path)
    stated = stated_seconds(path, load(path))
    if load(path)["metadata"].get("course_run", {}).get("busy_override"):
        if problems:
            pytest.xfail(f"stored with the busy-machine override (metadata course_run): re-store it quietly; "
                         f"{problems[0]}")
    elif path.name in STORED_UNDER_LOAD:
        assert problems, (f"{path.name}'s stored timings agree with its stated run time now: remove it from "
                          "STORED_UNDER_LOAD in tests/test_notebooks_stored.py (the set only shrinks)")
        pytest.xfail(f"stored under load (STORED_UNDER_LOAD, issue 25): {problems[0]}")
    assert not problems, (f"{path.name} states about {stated:.0f} s (limit {SLOWER_BY_AT_MOST * stated:.0f} s) but "
                          + "; ".join(problems) + ": refresh it on a quiet machine (make refresh)")


def test_printed_seconds_are_found_and_compared():
    """The parser finds durations, skips what is not one, and the comparison fails a slow print."""
    lines = ("BiLSTM: 51,083 weights, trained in 507.3 s; final loss\n1380 utterances, 1072 s of audio;\n"
             "the padding 0s stay\nepoch 8:  93.3 s, validation\n5 epochs of training took 2.5 min\n"
             "decoded in 12 s\n90 s of training")
    notebook = {"cells": [{"cell_type": "code", "source": "", "outputs": [
        {"output_type": "stream", "name": "stdout", "text": lines}]}], "metadata": {}}
    assert [seconds for _, seconds, _ in printed_seconds(notebook)] == [507.3, 93.3, 150.0, 12.0, 90.0]


def test_a_store_from_another_cpu_is_held_to_its_own_run(tmp_path):
    """The bench's CPU: held to the stated time; another CPU: held to a quiet store and to its own wall time."""
    stored = next(p for p in NOTEBOOKS if p.name == "09_music_composition.ipynb")
    bench = load_benchmark(BENCHMARK_FILE)["notebooks"][stored.name]
    stated = stated_seconds(stored, load(stored))
    slow_print = f"trained in {2 * stated:.1f} s"

    def problems(cpu_model, wall, load_before=0.5):
        notebook = load(stored)
        notebook["cells"].append({"cell_type": "code", "source": "", "metadata": {}, "outputs": [
            {"output_type": "stream", "name": "stdout", "text": slow_print}]})
        notebook["metadata"]["course_run"] = {"cpu": {"model": cpu_model}, "wall_seconds": wall, "max_load": 1.5,
                                              "load_average_before": load_before, "busy_override": False}
        path = tmp_path / "09_music_composition.ipynb"
        path.write_text(json.dumps(notebook))
        return timing_problems(path)

    assert problems(bench["cpu"], 3 * stated)  # the bench's CPU: twice the stated time printed is too slow
    assert not problems("Another CPU", 3 * stated)  # another CPU: a quiet run of its own length
    assert problems("Another CPU", 1.5 * stated)  # ... but no print longer than the whole run
    assert problems("Another CPU", 3 * stated, load_before=2.0)  # ... and quiet


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=ids(ALL_NOTEBOOKS))
def test_refresh_record_when_present(path):
    """A notebook refreshed by scripts/refresh_notebooks.py says when, how loaded, on which CPU and how long."""
    run = load(path)["metadata"].get("course_run")
    if run is None:
        pytest.skip("stored before the refresh script recorded its runs")
    expected = {"date", "load_average_before", "load_average_after", "busy_override", "cpu", "versions",
                "wall_seconds", "cpu_seconds"}
    assert expected <= set(run), f"{path.name}: metadata course_run lacks {sorted(expected - set(run))}"
    assert run["cpu"]["model"] and run["versions"]["python"], f"{path.name}: course_run has no CPU or versions"


DOWNLOADS = re.compile(r"keras\.datasets|tensorflow_datasets|tfds\.|nltk\.download|urlopen|requests\.get|"
                       r"hf_hub|load_dataset\(|get_file\(|https?://\S+\.(js|css)")


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=ids(ALL_NOTEBOOKS))
def test_no_run_time_downloads_in_code(path):
    for index, cell in enumerate(code_cells(load(path))):
        found = DOWNLOADS.search(source(cell))
        assert not found, f"{path.name}: code cell {index} downloads at run time ({found.group(0)})"


def test_readme_names_every_existing_notebook():
    readme = README.read_text()
    for path in NOTEBOOKS:
        assert path.name in readme, f"README.md does not mention {path.name}"


LOCAL_LINK = re.compile(r"\]\((?!https?://|#|mailto:)([^)\s#]+)(?:#[^)\s]*)?\)")


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=ids(ALL_NOTEBOOKS))
def test_links_point_at_files_that_exist(path):
    """A learner who clicks a link to a notebook (or a doc) of the course finds it: no link to one not written yet."""
    for index, cell in enumerate(load(path)["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        for target in LOCAL_LINK.findall(source(cell)):
            assert (path.parent / target).exists(), f"{path.name}: markdown cell {index} links to missing {target}"


def test_speaker_notes_are_out_of_a_readers_way():
    """Speaker notes live in cell metadata (`speaker_notes`), which the deck builder turns into notes slides: a
    self-paced reader never meets them, in JupyterLab, VS Code, Colab or on GitHub, nor after Run All."""
    for path in ALL_NOTEBOOKS:
        for index, cell in enumerate(load(path)["cells"]):
            assert cell["metadata"].get("slideshow", {}).get("slide_type") != "notes", (
                f"{path.name}: cell {index} is a speaker-notes cell; put its text in the metadata `speaker_notes` of "
                "the cell before it (scripts/build_decks.py makes the notes slide)")
            assert not source(cell).lstrip().startswith("Speaker notes"), f"{path.name}: cell {index} reads as notes"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_every_section_has_speaker_notes(path):
    """A teacher finds notes for every `##` section of a notebook in its deck (press s)."""
    section, noted = None, set()
    sections = []
    for cell in load(path)["cells"]:
        heading = source(cell) if cell["cell_type"] == "markdown" else ""
        if heading.startswith("## ") and not heading.startswith("## Next"):
            section = source(cell).splitlines()[0]
            sections.append(section)
        if section and cell["metadata"].get("speaker_notes", "").strip():
            noted.add(section)
    missing = [s for s in sections if s not in noted]
    assert not missing, f"{path.name}: sections without speaker notes (metadata speaker_notes): {missing}"
