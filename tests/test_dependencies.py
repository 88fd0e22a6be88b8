"""`pip install .` gets what course_utils imports: every third-party module the package imports (at the top of a
module or inside a function) belongs to a distribution declared in pyproject.toml."""

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
PACKAGE = REPO_ROOT / "course_utils"


def normalised(name: str) -> str:
    """A distribution name as pip compares them (PEP 503): tensorflow_cpu and TensorFlow-CPU are tensorflow-cpu."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared_distributions(pyproject: Path = REPO_ROOT / "pyproject.toml") -> set[str]:
    """The names in [project] dependencies and every optional-dependencies group, without versions or markers."""
    project = tomllib.loads(pyproject.read_text())["project"]
    requirements = list(project["dependencies"])
    for group in project.get("optional-dependencies", {}).values():
        requirements += group
    return {normalised(re.match(r"[A-Za-z0-9_.-]+", requirement).group()) for requirement in requirements}


def imported_modules(package: Path = PACKAGE) -> dict[str, str]:
    """Top-level third-party modules imported anywhere in the package: {module: first file importing it}."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top != package.name and top not in sys.stdlib_module_names:
                    found.setdefault(top, str(path.relative_to(package.parent)))
    return found


def undeclared_imports(declared: set[str]) -> dict[str, str]:
    """{module: where it is imported} for each imported module none of whose distributions is declared."""
    distributions = importlib.metadata.packages_distributions()
    return {module: where for module, where in imported_modules().items()
            if not {normalised(name) for name in distributions.get(module, [module])} & declared}


def test_every_import_of_course_utils_is_declared_in_pyproject():
    assert undeclared_imports(declared_distributions()) == {}


def test_the_check_names_an_undeclared_import():
    """The check can fail: without sacrebleu and the TensorFlow builds, it names them and where they are imported."""
    declared = declared_distributions() - {"sacrebleu", "tensorflow", "tensorflow-cpu"}
    missing = undeclared_imports(declared)
    assert set(missing) == {"sacrebleu", "tensorflow"}
    assert missing["sacrebleu"] == "course_utils/translation.py"


def test_the_package_imports_what_the_notebooks_need():
    """A guard on the scan itself: it sees imports inside functions (num2words, sacrebleu are imported lazily)."""
    assert {"numpy", "keras", "tensorflow", "num2words", "sacrebleu", "scipy", "sklearn"} <= set(imported_modules())


# Keywords of the field's libraries that appeared in a known version: a call using one needs at least that floor.
NEWER_KEYWORDS = {("scipy", "bootstrap", "rng"): "1.15"}  # SciPy 1.15.0: SPEC 7's rng replaced random_state


def declared_floors(pyproject: Path = REPO_ROOT / "pyproject.toml") -> dict[str, str]:
    """{distribution: its lower bound} for each [project] dependency declared with `>=`."""
    requirements = tomllib.loads(pyproject.read_text())["project"]["dependencies"]
    return {normalised(match[1]): match[2] for requirement in requirements
            if (match := re.match(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9.]+)", requirement))}


def keyword_calls(package: Path = PACKAGE) -> set[tuple[str, str]]:
    """(function name, keyword) of every call in the package: bootstrap(..., rng=...) is ("bootstrap", "rng")."""
    calls = set()
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute):
                name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
                calls |= {(name, keyword.arg) for keyword in node.keywords}
    return calls


def floors_too_low(floors: dict[str, str]) -> list[str]:
    from packaging.version import Version
    used = keyword_calls()
    return [f"{function}(..., {keyword}=...) needs {distribution}>={version}, declared >={floors[distribution]}"
            for (distribution, function, keyword), version in NEWER_KEYWORDS.items()
            if (function, keyword) in used and Version(floors[distribution]) < Version(version)]


def test_the_declared_floors_admit_the_keywords_the_package_uses():
    assert floors_too_low(declared_floors()) == []


def test_the_floor_check_names_a_floor_below_a_keyword_s_version():
    assert floors_too_low(declared_floors() | {"scipy": "1.10"}) == [
        "bootstrap(..., rng=...) needs scipy>=1.15, declared >=1.10"]


def test_every_floor_is_at_most_the_version_requirements_txt_pins():
    """The course is tested with requirements.txt's pins: a floor above one would declare an untested version."""
    from packaging.version import Version
    pins = dict(re.findall(r"^([A-Za-z0-9_.-]+)==([0-9.]+)", (REPO_ROOT / "requirements.txt").read_text(), re.M))
    pins = {normalised(name): version for name, version in pins.items()}
    assert [name for name, floor in declared_floors().items()
            if name in pins and Version(floor) > Version(pins[name])] == []
