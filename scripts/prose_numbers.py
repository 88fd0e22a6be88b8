"""Numbers in a notebook's prose that nothing in the notebook backs (issue 25: prose is the outputs' servant).

A number in a markdown cell or in a cell's speaker notes (metadata `speaker_notes`) is *checked* when it is a
decimal (0.72), a percentage (15 %), a number of three or more digits (100, 27,200), or in scientific form
(3e-5, 3 \\times 10^{-5}); thousands separators are dropped ("27,200" is 27200) and the sign is ignored
("−0.09" is 0.09: prose says "falls by 0.09" where an output prints -0.09). Not checked:
  - small counts: whole numbers below 100 without a % ("5 seeds", "32 units", "02" in "notebook 02");
  - years beside a citation: a bare 19xx/20xx that the notebook's markdown writes next to an author or in
    parentheses somewhere ("Hochreiter & Schmidhuber (1997)", "Cho et al., 2014"); then "the 1997 paper" is
    that year too;
  - numbers naming a place, not a quantity: after §, section, exercise, notebook, cell, experiment, table, fig.,
    chapter, equation, checker, item, issue, page ("exercise 02.3", "Table 7", "cells 12-14"), a heading's own
    number ("### 5.2 ..."), ids with a leading zero ("02.3"), software versions ("Python 3.11", "2.7.9"), arXiv
    ids, subscripts ($h_{100}$), link targets, URLs, HTML tags and attributes;
  - the N of the intro's "**Time to run:** about N s": tests/test_notebooks_stored.py ties it to make bench.

A checked number is *backed* when one of these holds it:
  1. an output of the same notebook (text/plain, stream, text/html without its tags, text/markdown, error text),
  2. the code of the same notebook (comments excluded: a comment is prose, and a hand-typed result in a comment
     would otherwise back itself),
  3. the notebook's references cell: a markdown cell tagged `references` that lists each figure quoted from a
     paper with its source ("74,000 sequences: Hochreiter & Schmidhuber 1997, Table 7"),
  4. the figures docs/seed_check.json records for that notebook at any seed offset
     (course_utils.runtime.record_figure, written by make seed-check and make refresh), and each figure's mean
     over the offsets that record it,
  5. arithmetic written in the prose itself: "$0.99^{50} \\approx 0.6$", "0.5^15 = 3e-5", "$\\sigma(-10) \\approx
     0.00005$" are backed when the expression left of =, ≈ or ~ evaluates to the number as written.
Matching is "the same number at the precision the prose writes": a prose number with d decimals is backed by a
source value within half a unit of its last digit, so "0.72" is backed by 0.7213 and "0.7" by 0.72 (honest
rounding), but "0.75" is not backed by 0.7213 and "0.7213" is not backed by 0.72 (the prose may not claim more
digits than the output shows). A whole number with trailing zeros and at least two significant digits may round
there: "12,800" is backed by 12,808, but "100" only by 100 (one significant digit would back anything from 50 to
149). A percentage is also backed by the fraction ("99.4 %" by 0.994 or 0.9943), and a plain number by a
percentage printed with its % ("0.994" by "99.4%"). An ISO date (2026-11-30) is backed only by the same date.
These rules let honest rounding pass and make a planted figure fail: a figure from a planning run, another seed
or memory is not in the notebook, and a rounding that changes a digit is caught.

The README's notebook table is held to the same rule: each number of a notebook's row must be backed by that notebook.

Usage: python -m scripts.prose_numbers [NOTEBOOK ...]   (make prose-check; default: every notebook and solutions
notebook) prints, per notebook, each unbacked number with its cell index (0-based, as in the .ipynb), or "table row"
for the README, and its context.
"""

from __future__ import annotations

import argparse
import ast
import html
import io
import json
import math
import re
import sys
import tokenize
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path

from scripts.repo_paths import README, SEED_CHECK_FILE, all_notebooks

SMALL = 100  # whole numbers below this are counts ("5 seeds", "32 units") and are not checked

# A number as prose and outputs write it: thousands separators (27,200), decimals, scientific notation, a %.
_NUMBER_CORE = (
    r"(?P<number>\d{1,3}(?:,\d{3})+(?![\d])(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?:\s*(?:e|E)(?P<exponent>[+-−]?\d+)(?![\w]))?"
    r"(?:\s*(?:\\times|×|\\cdot|·)\s*10\^\{?(?P<power>[-−]?\d+)\}?)?"
    r"(?P<percent>\s?(?:\\?%|percent\b))?"
)
NUMBER = re.compile(r"(?<![\w.])" + _NUMBER_CORE)  # not glued to a word (float32, x_1) or after a decimal point
PROSE_NUMBER = re.compile(r"(?<![\w.])(?<![A-Za-z]-)" + _NUMBER_CORE)  # nor a name's number: SHA-256, GPT-2
DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
VERSION = re.compile(r"(?<![\w.])\d+\.\d+\.\d+(?:\.\d+)*(?![\w.]*\d)")  # 2.7.9, 127.0.0.1
ARXIV = re.compile(r"arXiv[:\s]*\d{4}\.\d{4,5}(?:v\d+)?", re.IGNORECASE)
DOI = re.compile(r"\b10\.\d{4,9}/\S+")
PLACE_WORDS = (
    r"§|sections?|exercises?|notebooks?|cells?|experiments?|exp\.|tables?|figs?\.|figures?|chapters?|ch\.|"
    r"eqs?\.|equations?|appendix|parts?|checkers?|items?|issues?|pages?|pp?\.|lines?|solutions?|steps? \d+ of"
)
SOFTWARE_WORDS = (
    r"python|tensorflow|tf|keras|numpy|jupyterlab|jupyter|mathjax|reveal\.js|scikit-learn|sklearn|music21|"
    r"nbconvert|pip|node|npm|debian|ubuntu|versions?|v"
)
# A place word, then one number or a list/range of them: "exercises 02.1-02.5", "sections 2 and 3", "§5".
PLACE = re.compile(
    rf"(?:\b|(?<=§))(?:{PLACE_WORDS})\s*(?:\d+(?:\.\d+)*[a-z]?(?:\s*(?:,|-|–|—|/|&|and|or|to)\s*)?)+",
    re.IGNORECASE)
SOFTWARE = re.compile(rf"\b(?:{SOFTWARE_WORDS})\s*\d+(?:\.\d+)*", re.IGNORECASE)
FENCED_CODE = re.compile(r"^\s*(```|~~~).*?^\s*\1", re.S | re.M)  # code shown in markdown is code, not a claim
HEADING_NUMBER = re.compile(r"^#+\s*\d+(?:\.\d+)*\.?", re.M)
TIME_TO_RUN = re.compile(r"Time to run:\*\*\s*about\s+\d+\s*s")
SUBSCRIPT = re.compile(r"_\{?\d+\}?")
CITATION_YEAR = re.compile(
    r"(?:[A-Z][A-Za-z\-'’]+|et al\.?|&)[,]?\s+\(?(?P<a>(?:19|20)\d\d)[a-z]?\b|\((?P<b>(?:19|20)\d\d)[a-z]?[,;)]")
RELATION = re.compile(r"(?:=|≈|\\approx|\\simeq|~|\\sim|≃)\s*[-−+]?\s*$")


@dataclass(frozen=True)
class ProseNumber:
    """A checked number of the prose: as written, its value, the decimals it shows, whether it is a %."""

    text: str
    value: float
    tolerance: float
    percent: bool
    start: int
    end: int


@dataclass(frozen=True)
class Unbacked:
    """An unbacked number: where it is (0-based cell index, 'markdown' or 'speaker notes') and its context."""

    notebook: str
    cell: int
    where: str
    number: str
    context: str

    def __str__(self) -> str:
        return f"{self.notebook}: {self.where} of cell {self.cell}: {self.number!r} in ...{self.context}..."


# ----------------------------------------------------------------------------- reading numbers

def _value(match: re.Match) -> tuple[float, float]:
    """The value of a NUMBER match and its tolerance: half a unit of the last digit written."""
    digits = match.group("number").replace(",", "")
    whole, _, decimals = digits.partition(".")
    value = float(digits)
    exponent = match.group("exponent") or match.group("power")
    if exponent:
        scale = 10.0 ** int(exponent.replace("−", "-"))
        return value * scale, 0.5 * 10.0 ** -len(decimals) * scale
    if decimals:
        return value, 0.5 * 10.0 ** -len(decimals)
    stripped = whole.lstrip("0")
    significant = stripped.rstrip("0")
    trailing = len(stripped) - len(significant)
    if trailing and len(significant) >= 2:  # "12,800": rounded to the hundreds
        return value, 0.5 * 10.0 ** trailing
    return value, 0.5


def numbers_in(text: str) -> list[tuple[float, bool]]:
    """Every number in an output or in code, as (absolute value, printed with a %). Generous on purpose: a
    comma-grouped "1,200" also gives 1 and 200, a "1_000" of code gives 1000."""
    text = text.replace("−", "-")
    found = []
    for match in NUMBER.finditer(text):
        value, _ = _value(match)
        found.append((abs(value), bool(match.group("percent"))))
        if "," in match.group("number"):
            found += [(float(part), False) for part in re.findall(r"\d+", match.group("number"))]
    for match in re.finditer(r"(?<![\w.])\d{1,3}(?:_\d{3})+\b", text):
        found.append((float(match.group(0).replace("_", "")), False))
    return found


def _blank(text: str, pattern: re.Pattern) -> str:
    """Replace each match by spaces (same length, so offsets stay valid)."""
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def checked_numbers(text: str, citation_years: set[int] = frozenset(), sections: set[str] = frozenset()
                    ) -> list[ProseNumber]:
    """The numbers of a markdown text that must be backed (see the module docstring for what is not checked)."""
    text = text.replace("\u202f", " ").replace("\u2009", " ").replace("\xa0", " ")
    masked = text
    for pattern in (FENCED_CODE, re.compile(r"<!--.*?-->", re.S), re.compile(r"<[^>]+>"), re.compile(r"\]\([^)]*\)"),
                    re.compile(r"https?://\S+"), re.compile(r"data:[\w/+.-]+;base64,[\w+/=]+"), ARXIV, DOI,
                    VERSION, PLACE, SOFTWARE, HEADING_NUMBER, TIME_TO_RUN, SUBSCRIPT):
        masked = _blank(masked, pattern)
    found = []
    for match in PROSE_NUMBER.finditer(masked):
        digits = match.group("number")
        percent = bool(match.group("percent"))
        scientific = bool(match.group("exponent") or match.group("power"))
        plain = digits.replace(",", "")
        if DATE.match(text, match.start()) or (match.start() > 0 and DATE.match(text, match.start() - 5)) or (
                match.start() > 7 and DATE.match(text, match.start() - 8)):
            continue  # dates are checked whole, below
        if re.fullmatch(r"0\d+(?:\.\d+)?", plain):
            continue  # "02", "02.3": notebook and exercise ids
        if plain in sections and not percent:
            continue  # "as in 5.3": a section of this notebook
        if not percent and not scientific and "." not in plain:
            number = int(plain)
            if number < SMALL:
                continue
            if "," not in digits and 1900 <= number <= 2099 and number in citation_years:
                continue
        value, tolerance = _value(match)
        found.append(ProseNumber(match.group(0).strip(), abs(value), tolerance, percent, match.start(),
                                 match.end()))
    for match in DATE.finditer(text):
        found.append(ProseNumber(match.group(0), math.nan, 0.0, False, match.start(), match.end()))
    return sorted(found, key=lambda n: n.start)


def section_numbers(markdown: str) -> set[str]:
    """The numbers of the notebook's headings with a dot inside ("### 5.3 ..." gives "5.3")."""
    return set(re.findall(r"^#+\s*(\d+\.\d+(?:\.\d+)*)", markdown, flags=re.M))


def citation_years(markdown: str) -> set[int]:
    """Years the notebook writes beside a citation: 'Gers, Schmidhuber & Cummins (2000)', 'Cho et al., 2014'."""
    return {int(m.group("a") or m.group("b")) for m in CITATION_YEAR.finditer(markdown)}


# ----------------------------------------------------------------------------- arithmetic in the prose

_FUNCTIONS = {"sigma": lambda x: 1 / (1 + math.exp(-x)), "tanh": math.tanh, "exp": math.exp, "log": math.log,
              "ln": math.log, "sqrt": math.sqrt}


def _evaluate(node: ast.AST) -> float:
    if isinstance(node, ast.Expression):
        return _evaluate(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _evaluate(node.operand)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)):
        left, right = _evaluate(node.left), _evaluate(node.right)
        if isinstance(node.op, ast.Pow) and abs(right) > 1000:
            raise ValueError("exponent too large")
        return {ast.Add: left + right, ast.Sub: left - right, ast.Mult: left * right,
                ast.Div: left / right if right else math.nan, ast.Pow: left ** right}[type(node.op)]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS \
            and len(node.args) == 1:
        return _FUNCTIONS[node.func.id](_evaluate(node.args[0]))
    raise ValueError(f"not arithmetic: {ast.dump(node)[:40]}")


def _as_python(latex: str) -> str:
    """A LaTeX or plain-text formula as a Python expression (only what prose arithmetic uses)."""
    text = latex.replace("−", "-").replace("\\left", "").replace("\\right", "").replace("\\,", "")
    text = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", r"((\1)/(\2))", text)
    text = re.sub(r"\be\^", "exp", text)
    text = re.sub(r"\\(sigma|tanh|exp|log|ln|sqrt)\b|σ", lambda m: m.group(1) or "sigma", text)
    text = re.sub(r"\\(?:cdot|times)|[×·]", "*", text)
    text = text.replace("^", "**").replace("{", "(").replace("}", ")").replace("$", " ")
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    text = re.sub(r"(\d)\s*\(", r"\1*(", text)  # 20(x) -> 20*(x)
    return text


def backed_by_arithmetic(text: str, number: ProseNumber) -> bool:
    """True when the prose right before the number is 'EXPRESSION =' (or ≈, ~) and EXPRESSION evaluates to it."""
    before = text[max(0, number.start - 120):number.start]
    relation = RELATION.search(before)
    if not relation:
        return False
    expression = _as_python(before[:relation.start()]).rstrip()
    starts = [m.start() for m in re.finditer(r"(?<![\w.])[\w(.-]", expression)]
    for start in starts:
        candidate = expression[start:].strip()
        if not re.search(r"[-+*/]|\*\*|sigma|tanh|exp|log|sqrt", candidate) or candidate.count("(") != candidate.count(
                ")"):
            continue
        try:
            value = _evaluate(ast.parse(candidate, mode="eval"))
        except (SyntaxError, ValueError, OverflowError, ZeroDivisionError, TypeError, RecursionError):
            continue
        if math.isfinite(value) and _close(abs(value), number):
            return True
    return False


# ----------------------------------------------------------------------------- evidence and matching

def _close(value: float, number: ProseNumber) -> bool:
    return abs(value - number.value) <= number.tolerance * (1 + 1e-9) + 1e-12


@dataclass
class Evidence:
    """What backs prose numbers in one notebook: numbers (sorted; those printed with a % apart) and raw text."""

    values: list[float]
    percent_values: list[float]
    text: str

    @classmethod
    def from_texts(cls, texts: list[str], extra_values: list[float] = ()) -> Evidence:
        pairs = [pair for text in texts for pair in numbers_in(text)]
        values = sorted({v for v, _ in pairs} | {abs(float(v)) for v in extra_values})
        return cls(values, sorted({v for v, percent in pairs if percent}), "\n".join(texts))

    @staticmethod
    def _any_within(values: list[float], low: float, high: float) -> bool:
        i = bisect_left(values, low)
        return i < len(values) and values[i] <= high

    def backs(self, number: ProseNumber) -> bool:
        if math.isnan(number.value):  # a date: the same date somewhere
            return number.text in self.text
        slack = number.tolerance * (1 + 1e-9) + 1e-12
        low, high = number.value - slack, number.value + slack
        if self._any_within(self.values, low, high):
            return True
        if number.percent:  # "99.4 %" backed by 0.994
            return self._any_within(self.values, low / 100, high / 100)
        return self._any_within(self.percent_values, low * 100, high * 100)  # "0.994" backed by "99.4%"


def source_text(cell: dict) -> str:
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def code_without_comments(code: str) -> str:
    """A code cell's text without its comments (IPython magics and shell lines are kept as text)."""
    lines = [line for line in code.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return re.sub(r"#[^\n'\"]*$", "", code, flags=re.M)
    return " ".join(t.string for t in tokens if t.type != tokenize.COMMENT)


def output_texts(cell: dict) -> list[str]:
    """The text of a code cell's outputs: streams, text/plain, text/markdown, text/latex, text/html (tags and
    embedded data removed), and error names and messages."""
    texts = []
    for output in cell.get("outputs", []):
        if "text" in output:
            texts.append(source_text({"source": output["text"]}))
        if output.get("output_type") == "error":
            texts.append(f"{output.get('ename', '')}: {output.get('evalue', '')}")
        data = output.get("data", {})
        for kind in ("text/plain", "text/markdown", "text/latex"):
            if kind in data:
                texts.append(source_text({"source": data[kind]}))
        if "text/html" in data:
            page = source_text({"source": data["text/html"]})
            page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
            texts.append(html.unescape(re.sub(r"<[^>]+>", " ", page)))
    return texts


def is_references(cell: dict) -> bool:
    return cell.get("cell_type") == "markdown" and "references" in cell.get("metadata", {}).get("tags", [])


def seed_check_values(notebook_name: str, path: Path = SEED_CHECK_FILE) -> list[float]:
    """Every figure docs/seed_check.json records for the notebook, at any offset on any CPU, and each figure's mean
    over the offsets that record it, on each CPU and on all of them (prose states a spread as "mean 0.134,
    0.111-0.156 over offsets 0-3"). More values back more numbers by chance: a number matching only a pooled mean
    over two CPUs deserves a look."""
    if not Path(path).exists():
        return []
    entry = json.loads(Path(path).read_text()).get("notebooks", {}).get(notebook_name, {})
    offsets = entry.get("offsets", {})
    if not isinstance(offsets, dict):  # the format before figures were recorded: a list of offsets
        return []
    by_cpu = [offsets, *entry.get("other_cpus", {}).values()]  # each CPU's records: {offset: record}
    by_name: dict[str, list[list[float]]] = {}  # figure name -> its values on each CPU
    for records in by_cpu:
        on_this_cpu: dict[str, list[float]] = {}
        for record in records.values():
            for name, value in record.get("figures", {}).items():
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    on_this_cpu.setdefault(name, []).append(float(value))
        for name, values in on_this_cpu.items():
            by_name.setdefault(name, []).append(values)
    values = [value for per_cpu in by_name.values() for recorded in per_cpu for value in recorded]
    groups = [recorded for per_cpu in by_name.values() for recorded in per_cpu]
    groups += [[value for recorded in per_cpu for value in recorded]  # all CPUs together
               for per_cpu in by_name.values() if len(per_cpu) > 1]
    means = [math.fsum(recorded) / len(recorded) for recorded in groups if len(recorded) > 1]
    return values + means


def prose_of(notebook: dict) -> list[tuple[int, str, str]]:
    """(cell index, 'markdown' or 'speaker notes', text) for every piece of prose that is checked."""
    pieces = []
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "markdown" and not is_references(cell):
            pieces.append((index, "markdown", source_text(cell)))
        notes = cell.get("metadata", {}).get("speaker_notes")
        if notes:
            pieces.append((index, "speaker notes", notes if isinstance(notes, str) else "".join(notes)))
    return pieces


def evidence_of(notebook: dict, seed_values: list[float] = ()) -> Evidence:
    texts = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            texts.append(code_without_comments(source_text(cell)))
            texts += output_texts(cell)
        elif is_references(cell):
            texts.append(source_text(cell))
    return Evidence.from_texts(texts, list(seed_values))


def unbacked_numbers(notebook: dict, name: str = "notebook", seed_values: list[float] = ()) -> list[Unbacked]:
    """Every checked number of the notebook's prose that no output, code, references cell, recorded seed-check
    figure or arithmetic of its own backs."""
    evidence = evidence_of(notebook, seed_values)
    markdown = "\n".join(source_text(c) for c in notebook["cells"] if c["cell_type"] == "markdown")
    years, sections = citation_years(markdown), section_numbers(markdown)
    found = []
    for index, where, text in prose_of(notebook):
        for number in checked_numbers(text, years, sections):
            if evidence.backs(number) or backed_by_arithmetic(text, number):
                continue
            context = " ".join(text[max(0, number.start - 50):number.end + 30].split())
            found.append(Unbacked(name, index, where, number.text, context))
    return found


def references_without_source(notebook: dict) -> list[tuple[int, str]]:
    """(cell index, line) for each line of a references cell that quotes a checked number but names no source
    (authors and a year): "74,000 sequences" alone says nothing about where the figure comes from."""
    return [(index, line.strip()) for index, cell in enumerate(notebook["cells"]) if is_references(cell)
            for line in source_text(cell).splitlines()
            if checked_numbers(line, citation_years(line)) and not citation_years(line)]


def unbacked_in_file(path: Path, seed_check_file: Path = SEED_CHECK_FILE) -> list[Unbacked]:
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    return unbacked_numbers(notebook, Path(path).name, seed_check_values(Path(path).name, seed_check_file))


README_ROW = re.compile(r"^\| \d\d \| `(?P<name>\d\d_\w+\.ipynb)` \| (?P<text>.*) \|$", re.M)


def readme_rows(readme_text: str) -> dict[str, str]:
    """The README's notebook table: {notebook file name: what its row says it teaches and measures}."""
    return {m.group("name"): m.group("text") for m in README_ROW.finditer(readme_text)}


def unbacked_in_readme_row(path: Path, row: str, seed_check_file: Path = SEED_CHECK_FILE) -> list[Unbacked]:
    """The numbers of a notebook's README row that the notebook itself does not back (same rules as its prose)."""
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    evidence = evidence_of(notebook, seed_check_values(Path(path).name, seed_check_file))
    markdown = "\n".join(source_text(c) for c in notebook["cells"] if c["cell_type"] == "markdown")
    return [Unbacked(f"README.md, row of {Path(path).name}", 0, "table row", number.text,
                     " ".join(row[max(0, number.start - 50):number.end + 30].split()))
            for number in checked_numbers(row, citation_years(markdown) | citation_years(row))
            if not evidence.backs(number) and not backed_by_arithmetic(row, number)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks (default: all, solutions included)")
    arguments = parser.parse_args(argv)
    missing = [str(p) for p in arguments.notebooks if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    total = 0
    rows = readme_rows(README.read_text()) if README.exists() else {}
    for path in arguments.notebooks or all_notebooks():
        found = unbacked_in_file(path)
        if path.name in rows:
            found += unbacked_in_readme_row(path, rows[path.name])
        total += len(found)
        print(f"{path.name}: {len(found)} unbacked")
        for item in found:
            where = item.where if item.where == "table row" else f"{item.where} of cell {item.cell}"
            print(f"    {where}: {item.number!r}   ...{item.context}...")
    print(f"{total} unbacked numbers in all")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
