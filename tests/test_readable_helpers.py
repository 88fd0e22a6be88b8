"""The helpers a notebook prints or sends the learner to read are their algorithm: whole on one screen (at most 40
lines, decorator and docstring included), with no argument check in the body (it is stated once by @checked).

Measured with scripts/validation_share.py, which counts the statements inside functions that only check arguments
(and, apart, the @checked lines). A module whose notebook is rewritten adds its functions here.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import re
from pathlib import Path

import pytest

from scripts.repo_paths import REPO_ROOT
from scripts.validation_share import main, module_figures
from tests.notebook_files import ALL_NOTEBOOKS, ids, load, source

MAX_LINES = 40
POINTED_TO = {  # module -> the functions its notebook prints or points to
    "course_utils/rnn.py": ["simple_rnn_forward", "bptt_step", "bptt_gradients", "bptt_gradient_norms",
                            "largest_singular_value", "spectral_radius", "scale_to_singular_value", "pascanu_bound",
                            "first_value_task", "draw_unrolled_rnn", "compiled_memory_model", "probabilities",
                            "train_at_lag", "draw_backward_pass", "draw_clipping"],
    "course_utils/lstm.py": ["lstm_forward", "lstm_gradient_norms", "gru_forward", "lstm_parameter_count",
                             "gru_parameter_count", "set_lstm_biases", "chrono_forget_bias", "draw_lstm_cell",
                             "draw_gru_cell"],
    "course_utils/training.py": ["line_data", "mse_grid", "plot_lines_at_steps", "plot_loss_landscape",
                                 "draw_training_loop", "gradient_norm_callback"],
    "course_utils/adding_problem.py": ["adding_problem", "solved_fraction", "solved_rate_metric", "stop_when_solved",
                                       "fresh_start", "fit_until_solved", "AddingProblemStream.batch",
                                       "AddingProblemStream.batches"],
    "course_utils/text.py": ["split_by_position", "make_sequences", "unigram_probabilities", "bits_per_character",
                             "mixture_weight", "scoring_windows", "correlations", "text_features",
                             "lstm_probabilities_carried", "build_char_lstm", "CharVocabulary.__init__",
                             "CharVocabulary.encode", "CharVocabulary.decode", "KneserNeyModel.__init__",
                             "KneserNeyModel.fit", "KneserNeyModel.probability", "KneserNeyModel.distribution",
                             "KneserNeyModel.probabilities_of_text"],
    "course_utils/counting.py": ["counting_data", "arithmetic_windows", "build_counting_model", "plot_extrapolation"],
    "course_utils/forecasting/metrics.py": ["mae", "rmse", "mape", "forecast_metrics", "directional_accuracy",
                                            "lagged_correlations", "residual_interval", "interval_coverage"],
    "course_utils/forecasting/windows.py": ["make_windows", "chronological_split", "fit_scaler",
                                            "walk_forward_origins"],
    "course_utils/forecasting/baselines.py": ["persistence_forecast", "seasonal_naive_forecast",
                                              "seasonal_naive_drift_forecast", "zero_forecast", "linear_ar"],
    "course_utils/forecasting/models.py": ["build_lstm_forecaster"],
    "course_utils/forecasting/plots.py": ["plot_walk_forward", "plot_training_curves"],
    "course_utils/generation.py": ["softmax", "apply_temperature", "sample_with_temperature", "run_embedding_lstm"],
    "course_utils/speech/data.py": ["add_noise", "augment", "join_clips"],
    "course_utils/speech/features.py": ["hertz_to_mel", "mel_filterbank", "log_mel_spectrogram", "utterance_features",
                                        "pad_features"],
    "course_utils/speech/ctc.py": ["ctc_targets", "ctc_loss", "labels_to_digits", "ctc_greedy_decode",
                                   "edit_distance", "error_rate"],
    "course_utils/speech/batches.py": ["length_batches"],
    "course_utils/speech/recogniser.py": ["recognise", "read_wav", "transcribe"],
    "course_utils/music/baselines.py": ["repeat_table", "transition_table", "table_predictions",
                                        "fit_softmax_regression", "regression_predictions"],
    "course_utils/music/encoding.py": ["pitch_classes"],
    "course_utils/music/chorales.py": ["transpose"],  # 09 names it without importing it
    "course_utils/music/model.py": ["build_chorale_lstm", "lstm_predictions"],
    "course_utils/music/sampling.py": ["sample_chorales"],
    "course_utils/music/scores.py": ["nll_per_voice", "accuracy_per_voice", "nll_difference"],
    "course_utils/music/statistics.py": ["in_key_share", "interval_histogram", "voice_crossing_share", "parallel_moves",
                                         "parallel_share", "chord_share", "chorale_statistics", "out_of_range_share"],
    "course_utils/music/audio.py": ["synthesize"],
    "course_utils/music/midi.py": ["write_midi", "read_midi_notes"],
    "course_utils/music/plots.py": ["plot_piano_roll"],
    "course_utils/sentiment.py": ["read_snippets", "split_by_film", "standardize", "pair_outcomes", "log_count_ratio",
                                 "NBSVM.fit", "NBSVM.decision_function", "bootstrap_interval",
                                 "paired_bootstrap_difference", "mcnemar_p_value", "evaluate",
                                 "most_confident_mistakes", "plot_loss_curves", "draw_lstm_classifier"],
    "course_utils/translation.py": ["split_numbers", "make_pairs", "reverse_source", "learn_dictionary",
                                    "translate_word_by_word", "learn_context_dictionary",
                                    "translate_in_context", "greedy_decode", "beam_search", "beam_search_tree",
                                    "sequence_log_probs",
                                    "exact_match", "token_accuracy", "mark_differences", "exact_match_by_length",
                                    "draw_encoder_decoder", "plot_alignment", "plot_beam_tree"],
    "course_utils/runtime.py": ["fit_full_batch"],
    "course_utils/tradeoffs.py": ["simple_rnn_parameter_count", "receptive_field", "draw_receptive_field",
                                  "loglog_slope", "time_in_turn", "ops_per_loop_step",
                                  "restart_training"],
    "course_utils/video.py": ["make_motion_clips", "circular_centroids", "unwrapped_displacement", "random_frames",
                              "binomial_interval", "direction_counts", "build_frame_encoder", "build_video_model",
                              "hidden_states"],
}
# Checks that stay in a body, and why (each one a value the spec language cannot state).
ALLOWED_IN_BODY = {
    ("course_utils/rnn.py", "scale_to_singular_value"): 2,  # an all-zero matrix cannot be rescaled
    ("course_utils/speech/recogniser.py", "read_wav"): 7,  # what the file holds: not a WAV, odd samples, none, NaN
    ("course_utils/music/midi.py", "read_midi_notes"): 1,  # a file music21 cannot parse (known only by parsing)
    ("course_utils/sentiment.py", "read_snippets"): 2,  # a row of the file, not an argument, is wrong
    ("course_utils/forecasting/metrics.py", "directional_accuracy"): 2,  # every actual change 0: nothing to score
    ("course_utils/forecasting/metrics.py", "lagged_correlations"): 2,  # a part constant at some lag: undefined
    ("course_utils/forecasting/windows.py", "chronological_split"): 2,  # fractions that leave an empty part
    ("course_utils/forecasting/baselines.py", "seasonal_naive_drift_forecast"): 2,  # two seasons: lookback / 2
    ("course_utils/speech/ctc.py", "error_rate"): 2,  # references all empty: no word to divide by
    ("course_utils/text.py", "split_by_position"): 2,  # fractions that leave an empty part: known only with len(text)
    # What the instance holds, which a spec cannot see (it is given the arguments, not self): the vocabulary's symbols
    # (KneserNeyModel._check_symbols, CharVocabulary.encode), its size (decode), the model's order (fit).
    ("course_utils/text.py", "CharVocabulary.encode"): 2,
    ("course_utils/text.py", "CharVocabulary.decode"): 2,
    ("course_utils/text.py", "KneserNeyModel.fit"): 1,
    ("course_utils/text.py", "KneserNeyModel.probability"): 1,
    ("course_utils/text.py", "KneserNeyModel.probabilities_of_text"): 1,
}

CASES = [(module, name) for module, names in POINTED_TO.items() for name in names]


@pytest.mark.parametrize("module, name", CASES, ids=[f"{m.split('/')[-1]}:{n}" for m, n in CASES])
def test_a_helper_a_notebook_points_to_reads_as_its_algorithm(module, name):
    figures = {f.name: f for f in module_figures(Path(REPO_ROOT) / module)}
    assert name in figures, f"{name} is not a function of {module}"
    function = figures[name]
    assert function.lines <= MAX_LINES, f"{name} has {function.lines} lines, more than one screen ({MAX_LINES})"
    assert function.checks <= ALLOWED_IN_BODY.get((module, name), 0), (
        f"{name} checks arguments in its body ({function.checks} statements): state them in @checked")
    assert function.checked_lines == 1, f"{name} needs one @checked line stating its arguments"


def test_the_measure_counts_checks_in_a_body(tmp_path):
    """The counter finds what it must: an if/raise and a validation call in a body, a @checked line, a long function."""
    path = tmp_path / "module.py"
    path.write_text(
        "@checked(x='int', y='float')\n"
        "def short(x, y):\n"
        "    return x\n\n\n"
        "def inline(x):\n"
        "    x = check_int('x', x)\n"
        "    if x < 0:\n"
        "        raise ValueError('x must be >= 0')\n"
        "    return x\n" + "\n" * 40)
    figures = {f.name: f for f in module_figures(path)}
    # lines, statements inside the function, checks among them, @checked lines, arguments they state
    assert figures["short"][1:] == (3, 1, 0, 1, 2)
    assert figures["inline"][1:] == (5, 4, 3, 0, 0)


def test_the_share_is_of_statements_inside_functions_and_the_decorators_have_their_own_column(tmp_path, capsys):
    """Issue 26's figure counts the statements inside functions; the @checked lines are reported beside it, and so
    is the share with each of them counted as a check statement, so that no check is hidden."""
    path = tmp_path / "module.py"
    path.write_text("@checked(x='int')\ndef short(x):\n    return x\n\n\n"
                    "def inline(x):\n    if x < 0:\n        raise ValueError('x must be >= 0')\n    return x\n")
    assert main([str(path)]) == 0
    line = capsys.readouterr().out
    assert "2 of 4 statements inside functions check arguments (50%)" in line  # the if and its raise
    assert "declared: 1 @checked lines stating 1 arguments (counted as statements: 60%)" in line  # 3 of 5
    assert "longest function inline (4 lines)" in line


def test_the_report_ends_with_the_size_of_validation_py_and_the_cost_of_checking_all_told(tmp_path, capsys):
    """The modules' share leaves out what their @checked lines run: validation.py's own lines and statements are
    reported after them, and the sum of both is the cost of checking."""
    module, validation = tmp_path / "module.py", tmp_path / "validation.py"
    module.write_text("def inline(x):\n    if x < 0:\n        raise ValueError('x must be >= 0')\n    return x\n")
    validation.write_text('import re\n\n\ndef check(name, value):\n    """Docstring."""\n    if not value:\n'
                          '        raise TypeError(name)\n    return value\n')
    assert main([str(module), str(validation), "--validation", str(validation)]) == 0  # listed, counted once
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and lines[0].startswith(f"{module}: 2 of 3 statements")
    assert lines[1].endswith("validation.py: 8 lines, 3 statements inside functions (the checks the @checked "
                             "lines run)")
    assert lines[2] == "checking, all told: 2 statements in the 1 module(s) above + 3 in validation.py = 5 statements"


def test_the_default_validation_module_is_the_package_s(capsys):
    assert main([str(Path(REPO_ROOT) / "course_utils" / "rnn.py")]) == 0
    assert "course_utils/validation.py: " in capsys.readouterr().out


# Where the rule "a public function states its arguments by @checked, or checks none in its body" does not apply.
NOT_HELD_TO_CHECKED = {
    "course_utils/exercises": "checkers answer a wrong answer with feedback, through number/integer/array and fail",
    "course_utils/validation.py": "the spec language itself: its functions are the checks",
}
# Functions that break the rule, each listed until it is fixed (issue 26 emptied the list).
CHECKS_WITHOUT_CHECKED: set[str] = set()


def _public_function(node: ast.AST) -> bool:
    """A public function or __init__, but not a check function (name, value, dims) that @checked lines name: those
    are the spec language's own words (music's encoded_chorales, chorale_lstm...), made of checks."""
    check_function = isinstance(node, ast.FunctionDef) and [a.arg for a in node.args.args] == ["name", "value", "dims"]
    return isinstance(node, ast.FunctionDef) and not check_function and (
        not node.name.startswith("_") or node.name == "__init__")


def public_functions_checking_without_checked(root: Path) -> set[str]:
    """'module:function' for each public function or method (taking arguments) with a check in its body and no
    @checked line, in every module of root/course_utils but those of NOT_HELD_TO_CHECKED."""
    found = set()
    for path in sorted((root / "course_utils").rglob("*.py")):
        module = path.relative_to(root).as_posix()
        if any(module == exempt or module.startswith(exempt + "/") for exempt in NOT_HELD_TO_CHECKED):
            continue
        tree = ast.parse(path.read_text())
        functions = {node.name: node for node in tree.body if _public_function(node)}
        functions |= {f"{cls.name}.{node.name}": node for cls in tree.body if isinstance(cls, ast.ClassDef)
                      and not cls.name.startswith("_") for node in cls.body if _public_function(node)}
        figures = {figure.name: figure for figure in module_figures(path)}
        found |= {f"{module}:{name}" for name, node in functions.items()
                  if figures[name].checks and not figures[name].checked_lines
                  and {a.arg for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs} - {"self", "cls"}}
    return found


def test_every_public_function_that_checks_an_argument_states_it_by_checked():
    assert public_functions_checking_without_checked(Path(REPO_ROOT)) == CHECKS_WITHOUT_CHECKED


def test_the_rule_finds_an_inline_check_in_a_public_function(tmp_path):
    """plot_extrapolation as it was (10 check statements, no @checked) is found; a private helper is not."""
    (tmp_path / "course_utils").mkdir()
    (tmp_path / "course_utils" / "counting.py").write_text(
        "def plot_extrapolation(inputs, ax=None):\n    inputs = as_float_array('inputs', inputs, ndim=1)\n"
        "    return inputs\n\n\ndef _helper(x):\n    if x < 0:\n        raise ValueError('x must be >= 0')\n"
        "\n\ndef positive(name, value, dims):\n    if value < 0:\n        raise ValueError(f'{name} must be >= 0')\n")
    assert public_functions_checking_without_checked(tmp_path) == {"course_utils/counting.py:plot_extrapolation"}


# Notebooks print a helper with inspect.getsource, never a slice of it (CONTRIBUTING).
CUTTING = {"index", "rindex", "find", "rfind", "split", "rsplit", "partition", "rpartition", "splitlines"}


def _is_getsource(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "getsource"


def getsource_cuts(code: str) -> list[int]:
    """Lines of `code` that slice a getsource result, or search or split it (to cut it), directly or via a name."""
    code = "\n".join("pass" if line.lstrip().startswith(("%", "!")) else line for line in code.splitlines())  # magics
    tree = ast.parse(code)
    names = {target.id for node in ast.walk(tree) if isinstance(node, ast.Assign) and _is_getsource(node.value)
             for target in node.targets if isinstance(target, ast.Name)}

    def is_source(node):
        return _is_getsource(node) or isinstance(node, ast.Name) and node.id in names

    return sorted(node.lineno for node in ast.walk(tree)
                  if isinstance(node, ast.Subscript) and is_source(node.value)
                  or isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr in CUTTING and is_source(node.func.value))


# Not yet held, until it is stored again: notebook 10 prints build_video_model whole on branch h26x-store10-amd, but a
# store on an AMD EPYC changed 10's trained figures (its stored outputs come from an Intel Xeon): it waits for a store
# on the Intel machine, where only that cell's output should change. Remove the entry then.
CUT_NOT_YET: dict[str, list[tuple[int, int]]] = {}  # notebook -> (cell of the .ipynb, line) of a cut not yet fixed


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=ids(ALL_NOTEBOOKS))
def test_notebooks_print_a_helper_whole(path):
    cuts = [(index, line) for index, cell in enumerate(load(path)["cells"]) if cell["cell_type"] == "code"
            for line in getsource_cuts(source(cell))]
    assert cuts == CUT_NOT_YET.get(path.name, []), f"(cell, line) that cut an inspect.getsource result: {cuts}; " \
        "print it whole (and take a notebook that does off CUT_NOT_YET)"


def test_a_cut_source_is_found():
    """Notebook 10's cell as it was, and notebook 02's older cut, are found; printing the source whole is not."""
    old_cell_20 = 'source = inspect.getsource(build_video_model)\nprint(source[source.index("def "):])'
    assert getsource_cuts(old_cell_20) == [2, 2]  # the slice and the index() that cut it
    assert getsource_cuts('text = inspect.getsource(lstm_forward)\nhead, _, body = text.partition("    inputs")') == [2]
    assert getsource_cuts("print(inspect.getsource(f).split('\\n')[3:])") == [1]
    assert getsource_cuts("%time x = 1\nprint(inspect.getsource(lstm_forward))") == []


# POINTED_TO is checked complete: a course_utils function or class that a notebook prints (inspect.getsource) or names
# in backticks in its markdown, resolved through the notebook's imports, is listed there, or here with a reason. A name
# the notebook does not import (05's `build_char_lstm`, 09's `transpose`) is not resolved: list it by hand.
NAMED_FOR_USE = {  # named so that the learner knows what to call, not sent to read it
    "course_utils/runtime.py:seed_everything": "the seeding plumbing every notebook calls first",
    "course_utils/runtime.py:record_figure": "records a figure for the seed check; no algorithm",
    "course_utils/forecasting/datasets.py:load_stock": "where 04's data comes from: a loader",
    "course_utils/forecasting/datasets.py:load_rdataset": "where 04's data comes from: a loader",
}
# Pointed to, with checks in the body, each listed until it is fixed (issue 26 emptied the list).
POINTED_NOT_YET_HELD: dict[str, str] = {}


def _defined_where(value) -> str | None:
    """'module:qualified name' of a function or class defined in course_utils (outside exercises, validation)."""
    if not (inspect.isfunction(value) or inspect.isclass(value)):
        return None
    value = inspect.unwrap(value)
    module = Path(inspect.getsourcefile(value)).resolve().relative_to(Path(REPO_ROOT).resolve()).as_posix()
    if not module.startswith("course_utils/") or any(module.startswith(exempt) for exempt in NOT_HELD_TO_CHECKED):
        return None
    return f"{module}:{value.__qualname__}"


def _attribute(value, name: str):
    """value.name, or the submodule value.name of a package not imported yet, or None."""
    if hasattr(value, name):
        return getattr(value, name)
    if inspect.ismodule(value) and importlib.util.find_spec(f"{value.__name__}.{name}") is not None:
        return importlib.import_module(f"{value.__name__}.{name}")
    return None


def notebook_pointers(path: Path) -> set[str]:
    """'module:name' of each course_utils function or class the notebook prints or names in its markdown."""
    names = {}  # a name in the notebook -> what it is bound to by `from course_utils... import ...`
    for cell in load(path)["cells"]:
        if cell["cell_type"] == "code" and "course_utils" in source(cell):
            code = "\n".join("pass" if line.lstrip().startswith(("%", "!")) else line
                             for line in source(cell).splitlines())
            for node in ast.walk(ast.parse(code)):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("course_utils"):
                    names |= {alias.asname or alias.name: _attribute(importlib.import_module(node.module), alias.name)
                              for alias in node.names}

    def resolve(dotted: str):
        head, *rest = dotted.split(".")
        value = importlib.import_module("course_utils") if head == "course_utils" else names.get(head)
        for part in rest:
            value = _attribute(value, part)
        return value

    dotted = set()
    for cell in load(path)["cells"]:
        if cell["cell_type"] == "markdown":
            dotted |= {match[1] for chunk in re.findall(r"`([^`]+)`", source(cell))
                       if (match := re.fullmatch(r"([A-Za-z_][\w.]*)(?:\(.*\))?", chunk.strip()))}
        elif cell["cell_type"] == "code":
            dotted |= set(re.findall(r"getsource\(([\w.]+)\)", source(cell)))
    return {where for name in dotted if (where := _defined_where(resolve(name)))}


def test_pointed_to_lists_every_helper_a_notebook_prints_or_names():
    pointed = {f"{module}:{name}" for module, names in POINTED_TO.items() for name in names}
    classes = {entry.rsplit(".", 1)[0] for entry in pointed if "." in entry.split(":")[1]}
    found = set().union(*(notebook_pointers(path) for path in ALL_NOTEBOOKS))
    assert "course_utils/lstm.py:lstm_forward" in found and "course_utils/text.py:KneserNeyModel" in found
    assert found - pointed - classes == set(NAMED_FOR_USE) | set(POINTED_NOT_YET_HELD)
