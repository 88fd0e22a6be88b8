"""How much of a module's code only checks arguments, and how long its functions are (issue 26's figures).

    .venv/bin/python -m scripts.validation_share course_utils/rnn.py course_utils/lstm.py
    .venv/bin/python -m scripts.validation_share --functions course_utils/lstm.py   # and every function

The share is issue 26's figure: of the statements inside functions (the `def` lines, decorators and docstrings are
not statements inside a function), the ones that only check arguments. A statement is an argument check when it
- raises TypeError or ValueError, or is an `if` whose body only raises them (the `if` and its body count);
- calls a checker of `course_utils.validation` (`check_int`, `as_float_array`, ...) or the module's own `_check...`
  helpers, as a statement or the value assigned or returned;
- or sits in a validation helper: a function whose name starts with `_check`, or that a `@checked(...)` names as the
  check of an argument (`@checked(layer=_built_lstm)`).
The declared checks are reported beside it, in a column of their own, so that none is hidden: the `@checked(...)`
decorators (one per function at most) and the arguments they state, and the share with each decorator counted as
one more check statement of its function (the figure this script gave before 2026-12-07, which makes a one-line
function with its decorator 50 %).
A function's length is its lines from its first decorator to its last line, docstring included.

The modules' share leaves out the checks they declare and course_utils/validation.py runs, so the script reports
validation.py's own size after them (lines, statements inside its functions), and the cost of checking all told:
the modules' check statements plus validation.py's statements.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path
from typing import NamedTuple

from scripts.repo_paths import REPO_ROOT

VALIDATORS = {"check_int", "check_float", "as_float_array", "as_array", "check_axes", "check_shape"}
ERRORS = {"TypeError", "ValueError"}
VALIDATION = REPO_ROOT / "course_utils" / "validation.py"  # the spec language: what every @checked line runs


class FunctionFigures(NamedTuple):
    name: str
    lines: int  # from the first decorator to the last line
    statements: int  # inside the function (its docstring and decorators are not statements inside it)
    checks: int  # of those, the ones that only check arguments
    checked_lines: int  # its @checked(...) decorators (0 or 1)
    checked_arguments: int  # the arguments they state


def _raises_argument_error(node: ast.stmt) -> bool:
    if not isinstance(node, ast.Raise) or node.exc is None:
        return False
    exception = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    return isinstance(exception, ast.Name) and exception.id in ERRORS


def _calls_validator(node: ast.AST) -> bool:
    """True if `node` is (or builds a tuple or generator of) calls to a validation function."""
    if isinstance(node, ast.Call):
        function = node.func
        name = function.id if isinstance(function, ast.Name) else getattr(function, "attr", "")
        return name in VALIDATORS or name.startswith("_check")
    if isinstance(node, (ast.Tuple, ast.List)):
        return bool(node.elts) and all(_calls_validator(element) for element in node.elts)
    if isinstance(node, ast.GeneratorExp):
        return _calls_validator(node.elt)
    return False


def _is_check(node: ast.stmt) -> bool:
    if _raises_argument_error(node):
        return True
    if isinstance(node, ast.If) and not node.orelse and all(_raises_argument_error(s) for s in node.body):
        return True
    value = getattr(node, "value", None)
    return isinstance(node, (ast.Assign, ast.AnnAssign, ast.Expr, ast.Return)) and value is not None \
        and _calls_validator(value)


def _statements(body: list[ast.stmt]):
    """Every statement in `body`, nested ones included, except function definitions and their contents."""
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        yield node
        for field in ("body", "orelse", "finalbody"):
            yield from _statements(getattr(node, field, []))
        for handler in getattr(node, "handlers", []):
            yield from _statements(handler.body)


def _is_checked(decorator: ast.expr) -> bool:
    return isinstance(decorator, ast.Call) and getattr(decorator.func, "id", getattr(decorator.func, "attr", "")) \
        == "checked"


def _spec_functions(tree: ast.Module) -> set[str]:
    """Names of the functions that `@checked(...)` decorators use as the check of an argument."""
    return {keyword.value.id for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            for decorator in node.decorator_list if _is_checked(decorator)
            for keyword in decorator.keywords if isinstance(keyword.value, ast.Name)}


def _function_figures(function: ast.FunctionDef, prefix: str, helpers: set[str]) -> FunctionFigures:
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    statements = list(_statements(body))
    inside_checks = set()
    for node in statements:
        if node in inside_checks:
            continue
        if function.name.startswith("_check") or function.name in helpers or _is_check(node):
            inside_checks.add(node)
            inside_checks.update(_statements(getattr(node, "body", [])))
    decorators = [d for d in function.decorator_list if _is_checked(d)]
    first = min([function.lineno] + [d.lineno for d in function.decorator_list])
    return FunctionFigures(prefix + function.name, function.end_lineno - first + 1, len(statements),
                           len(inside_checks), len(decorators), sum(len(d.keywords) for d in decorators))


def module_figures(path: Path) -> list[FunctionFigures]:
    """Figures of every function and method defined in the module at `path`, nested functions included."""
    tree = ast.parse(path.read_text(), filename=str(path))
    helpers = _spec_functions(tree)
    found = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found.append(_function_figures(child, prefix, helpers))
                visit(child, prefix + child.name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")
            else:
                visit(child, prefix)

    visit(tree, "")
    return found


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="+", type=Path, help="Python files")
    parser.add_argument("--functions", action="store_true", help="also list every function: lines, checks")
    parser.add_argument("--validation", type=Path, default=VALIDATION,
                        help=f"the module of the checks (default {VALIDATION.relative_to(REPO_ROOT)})")
    arguments = parser.parse_args(argv)
    for path in [*arguments.modules, arguments.validation]:
        if not path.is_file():
            print(f"{path}: no such file", file=sys.stderr)
            return 2
    modules = [path for path in arguments.modules if path.resolve() != arguments.validation.resolve()]
    all_checks = 0
    for path in modules:
        figures = module_figures(path)
        statements = sum(f.statements for f in figures)
        checks = sum(f.checks for f in figures)
        decorators = sum(f.checked_lines for f in figures)
        declared = sum(f.checked_arguments for f in figures)
        longest = max(figures, key=lambda f: f.lines, default=None)
        all_checks += checks
        print(f"{path}: {checks} of {statements} statements inside functions check arguments "
              f"({_share(checks, statements)}); declared: {decorators} @checked lines stating {declared} arguments "
              f"(counted as statements: {_share(checks + decorators, statements + decorators)}); "
              f"longest function {longest.name if longest else '-'} ({longest.lines if longest else 0} lines)")
        if arguments.functions:
            for f in figures:
                print(f"    {f.name:<40} {f.lines:4d} lines  {f.checks:3d} of {f.statements:3d} statements check  "
                      f"{f.checked_lines} @checked ({f.checked_arguments} arguments)")
    lines = len(arguments.validation.read_text().splitlines())
    statements = sum(f.statements for f in module_figures(arguments.validation))
    print(f"{arguments.validation}: {lines} lines, {statements} statements inside functions (the checks the "
          f"@checked lines run)")
    print(f"checking, all told: {all_checks} statements in the {len(modules)} module(s) above + {statements} in "
          f"{arguments.validation.name} = {all_checks + statements} statements")
    return 0


if __name__ == "__main__":
    sys.exit(main())
