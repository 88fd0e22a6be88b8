"""Build the course as a static website: site/build/html/index.html (the `make site` build).

Sphinx + MyST-NB render the stored, executed notebooks (00-11 and their solutions) with their outputs:
nothing is executed at build time (conf.py sets nb_execution_mode = "off"), because the stored outputs are
what CI checks. The notebooks are not copied into git: this script assembles a throw-away Sphinx source tree
in <out>/src (git-ignored) from
  - each notebook, with its speaker notes (cell metadata `speaker_notes`, meant for the decks) removed, each figure's
    alt text (scripts/alt_text.py) in MyST-NB's cell metadata, and a line of links added under its introduction:
    the .ipynb, its solutions (or its notebook), its slide deck;
  - README.md, CONTRIBUTING.md, docs/workshop.md and docs/canary.md, at the same relative paths, so their links work;
  - a home page generated from course_utils.course_map.COURSE_MAP: the course map, in teaching order.
Then it runs Sphinx (config in site/conf.py) into <out>/html and adds what the pages link or load:
  - <out>/html/notebooks/*.ipynb: the original notebooks, for download;
  - <out>/html/slides/: the slide decks, built by scripts/build_decks.py;
  - <out>/html/_static/mathjax/: the parts of the local MathJax 2.7.9 (slides/node_modules, from npm) that
    its CommonHTML output loads, the same files and configuration as the decks (scripts/mathjax.py); Sphinx's
    default would load MathJax from a CDN.
The result is a folder of static files that works offline: open <out>/html/index.html, or serve it.

Usage: python -m scripts.build_site [--out DIR] [--no-slides]   (from the top folder; default DIR: site/build; a DIR
that is not empty must hold an earlier build, marked by the file .course-site-build)
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import sys
import time
from pathlib import Path

from scripts import alt_text, mathjax
from scripts.build_decks import build_all
from scripts.repo_paths import REPO_ROOT, all_notebooks, course_notebooks

SITE_DIR = REPO_ROOT / "site"
DEFAULT_OUT = SITE_DIR / "build"
PAGES = ["README.md", "CONTRIBUTING.md", "docs/workshop.md", "docs/canary.md"]  # copied at their own relative paths
BUILD_MARK = ".course-site-build"  # in <out>: a folder the build may clear on the next build


def slide_type(cell: dict) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")


def deck_name(notebook: Path) -> str:
    """scripts/build_decks.py's file name for the deck of a course notebook."""
    return f"{notebook.stem}.slides.html"


def links_cell(notebook: Path, with_slides: bool) -> dict:
    """A markdown cell of links for the page of `notebook` (hrefs relative to the page, as built)."""
    is_solution = notebook.parent.name == "solutions"
    up = "../" if is_solution else ""
    links = [f'<a href="{notebook.name}" download>{notebook.name}</a> (download, run it in JupyterLab)']
    if is_solution:
        partner = notebook.name.replace("_solutions.ipynb", ".ipynb")
        links.append(f"[the notebook]({up}{partner})")
        stem = partner.removesuffix(".ipynb")
    else:
        partner = f"solutions/{notebook.stem}_solutions.ipynb"
        if (notebook.parent / partner).exists():
            links.append(f"[worked solutions]({partner})")
        stem = notebook.stem
    if with_slides:
        links.append(f'<a href="{up}../slides/{stem}.slides.html">slide deck</a> (press s for speaker notes)')
    return {"cell_type": "markdown", "metadata": {}, "source": "**On this page's files:** " + " · ".join(links)}


def page_notebook(notebook: Path, with_slides: bool) -> dict:
    """The notebook as the site shows it: stored outputs, no speaker notes, a line of links under the intro."""
    content = json.loads(notebook.read_text(encoding="utf-8"))
    page = copy.deepcopy(content)
    page["metadata"].pop("widgets", None)  # static outputs only: no widget manager from a CDN
    cells = page["cells"]
    for cell in cells:
        cell["metadata"].pop("speaker_notes", None)  # for the teacher's deck (press s), not the reader's page
    for index, texts in alt_text.alt_texts(page).items():  # MyST-NB gives every image of a cell the cell's alt
        image = cells[index]["metadata"].setdefault("mystnb", {}).setdefault("image", {})
        image["alt"] = texts[0] if len(texts) == 1 else "; ".join(texts)
    alt_text.html_outputs_alt(page)
    links = links_cell(notebook, with_slides)
    if (page["nbformat"], page["nbformat_minor"]) >= (4, 5):
        links["id"] = "site-links"  # nbformat 4.5 wants an id on every cell
    cells.insert(1, links)
    page["cells"] = cells
    return page


def home_page(with_slides: bool) -> str:
    """index.md: the course map of notebook 00 (COURSE_MAP), in teaching order, and the navigation."""
    from course_utils.course_map import COURSE_MAP

    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8").split("\n\n")
    intro = next(block for block in readme[1:] if block.strip() and not block.startswith("#"))
    rows = []
    for entry in COURSE_MAP:
        solutions = f"notebooks/solutions/{Path(entry.filename).stem}_solutions.ipynb"
        cells = [
            f"{entry.number:02d}",
            f"[{entry.title}](notebooks/{entry.filename})",
            entry.teaches,
            f"[solutions]({solutions})" if (REPO_ROOT / solutions).exists() else "",
        ]
        if with_slides:
            cells.append(f'<a href="slides/{Path(entry.filename).stem}.slides.html">deck</a>')
        rows.append("| " + " | ".join(cells) + " |")
    header = "| # | notebook | what it teaches | solutions |" + (" slides |" if with_slides else "")
    rule = "|---|---|---|---|" + ("---|" if with_slides else "")
    notebooks = "\n".join(f"notebooks/{entry.filename}" for entry in COURSE_MAP)
    solutions = "\n".join(f"notebooks/solutions/{path.name}" for path in all_notebooks()
                          if path.parent.name == "solutions")
    return f"""# Understanding LSTM: a measured course

{intro}

Every page below is a notebook of the course with the outputs it produced when it was last run and
tested; nothing is re-run to build this site. Download a page's `.ipynb` to run it yourself, or clone the
course and run `make lab` ([how](README.md)).

## The course map

{header}
{rule}
{chr(10).join(rows)}

```{{toctree}}
:hidden:
:caption: Notebooks

{notebooks}
```

```{{toctree}}
:hidden:
:caption: Solutions

{solutions}
```

```{{toctree}}
:hidden:
:caption: About the course

README.md
docs/workshop.md
CONTRIBUTING.md
docs/canary.md
```
"""


def assemble_sources(src: Path, with_slides: bool) -> None:
    """The Sphinx source tree: notebooks as pages, the Markdown pages, the generated home page."""
    if src.exists():
        shutil.rmtree(src)
    for notebook in all_notebooks():
        target = src / notebook.relative_to(REPO_ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(page_notebook(notebook, with_slides), ensure_ascii=False), encoding="utf-8")
    for name in PAGES:
        target = src / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO_ROOT / name, target)
    (src / "index.md").write_text(home_page(with_slides), encoding="utf-8")


def check_out(out: Path) -> None:
    """Refuse to build into a folder that holds anything but an earlier build: the build deletes <out>/src and
    <out>/html, and `--out ~/Documents` must not delete someone's html folder."""
    if out.exists() and not out.is_dir():
        raise SystemExit(f"--out {out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / BUILD_MARK).exists():
        raise SystemExit(f"--out {out} is not empty and holds no earlier build of the site ({BUILD_MARK} is "
                         "missing): give an empty or new folder")


def build(out: Path = DEFAULT_OUT, with_slides: bool = True) -> Path:
    """Assemble the sources, run Sphinx, add notebooks, decks and MathJax; return the site's index.html."""
    from sphinx.cmd.build import build_main

    check_out(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / BUILD_MARK).write_text("A build of the course website (scripts/build_site.py): it may be deleted.\n")
    src, html = out / "src", out / "html"
    assemble_sources(src, with_slides)
    if html.exists():
        shutil.rmtree(html)
    # -W: a warning (a broken cross-reference, a notebook MyST cannot read) fails the build.
    # The MathJax URL comes from scripts/mathjax.py, the decks' configuration (site/conf.py leaves it to this -D).
    status = build_main(["-b", "html", "-q", "-W", "--keep-going", "-j", "auto", "-E", "-c", str(SITE_DIR),
                         "-D", f"mathjax_path={mathjax.script_url('mathjax')}",
                         "-d", str(out / "doctrees"), str(src), str(html)])
    if status != 0:
        raise SystemExit(f"sphinx-build failed with status {status}")
    for notebook in all_notebooks():  # the originals, for the download links
        shutil.copy2(notebook, html / notebook.relative_to(REPO_ROOT))
    mathjax.copy_mathjax(html / "_static" / "mathjax")
    if with_slides:
        build_all(html / "slides", course_notebooks())
    return html / "index.html"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="build folder (default: site/build)")
    parser.add_argument("--no-slides", action="store_true", help="do not build the slide decks into the site")
    arguments = parser.parse_args(argv)
    start = time.perf_counter()
    index = build(arguments.out.resolve(), with_slides=not arguments.no_slides)
    print(f"site built in {time.perf_counter() - start:.1f} s: open {index} "
          f"or serve it with python -m http.server -d {index.parent}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
