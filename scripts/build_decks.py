"""Build one offline reveal.js deck per notebook: slides/build/NN_slug.slides.html, assets beside them.

nbconvert's reveal template links reveal.js, RequireJS, jQuery and MathJax from CDNs, which fail in a
lecture hall without network. This script points those links at local copies taken from the npm packages
pinned in slides/package-lock.json (installed once, with network, by `make install`: `npm ci` in slides/),
copied into <out>/assets/ (MathJax's parts and configuration: scripts/mathjax.py, shared with the website), and
renders the notebooks with a small template override (slides/templates/offline: nbconvert's `reveal`, without the
mermaid and widget loaders, with each figure's alt text (scripts/alt_text.py), and fit_slides.js, which splits a
slide taller than the box into continuation slides below it, so that nothing is cut off at 1280x800).
Plots are embedded in the HTML as base64 images by nbconvert. The folder <out> is self-sufficient:
copy it to a USB stick and open any deck by double-clicking it.

Usage: python -m scripts.build_decks [--out DIR] [NOTEBOOK ...]   (from the top folder; default: every
notebooks/NN_*.ipynb)
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import time
from pathlib import Path

from scripts import alt_text, mathjax
from scripts.repo_paths import REPO_ROOT, course_notebooks

SLIDES_DIR = REPO_ROOT / "slides"
NODE_MODULES = SLIDES_DIR / "node_modules"
TEMPLATES = SLIDES_DIR / "templates"
DEFAULT_OUT = SLIDES_DIR / "build"

# What the decks load besides MathJax, as (source under node_modules, destination under <out>/assets).
ASSETS = [
    ("reveal.js/dist/reveal.js", "reveal.js/dist/reveal.js"),
    ("reveal.js/dist/reveal.css", "reveal.js/dist/reveal.css"),
    ("reveal.js/dist/theme", "reveal.js/dist/theme"),
    ("reveal.js/plugin/notes/notes.js", "reveal.js/plugin/notes/notes.js"),
    ("reveal.js/LICENSE", "reveal.js/LICENSE"),
    ("requirejs/require.js", "require.js"),
    ("jquery/dist/jquery.min.js", "jquery.min.js"),
]
# Links between notebooks become links between decks (the notebook's own links stay .ipynb).
NOTEBOOK_LINK = re.compile(r'href="(\d\d_[a-z0-9_]+)\.ipynb(#[^"]*)?"')


def notebooks_to_build() -> list[Path]:
    """Every notebooks/NN_*.ipynb, in teaching order (solutions have no deck)."""
    return course_notebooks()


def copy_assets(out: Path) -> None:
    """Copy the pinned npm assets the decks load into out/assets (replacing any older copy)."""
    missing = [source for source, _ in ASSETS if not (NODE_MODULES / source).exists()]
    if missing:
        raise SystemExit(
            f"slide assets missing under {NODE_MODULES} ({missing[0]} ...): run `make install` "
            "(or `cd slides && npm ci`) once with the network on"
        )
    target = out / "assets"
    if target.exists():
        shutil.rmtree(target)
    for source, destination in ASSETS:
        source_path, destination_path = NODE_MODULES / source, target / destination
        destination_path.parent.mkdir(parents=True, exist_ok=True)
        if source_path.is_dir():
            shutil.copytree(source_path, destination_path, ignore=shutil.ignore_patterns("*.map", "*.scss"))
        else:
            shutil.copy2(source_path, destination_path)
    mathjax.copy_mathjax(target / "mathjax")


def make_exporter():
    """nbconvert's SlidesExporter with every script and style link pointing into assets/."""
    from nbconvert import SlidesExporter

    return SlidesExporter(
        template_name="offline",
        extra_template_basedirs=[str(TEMPLATES)],
        reveal_url_prefix="assets/reveal.js",
        jquery_url="assets/jquery.min.js",
        require_js_url="assets/require.js",
        mathjax_url=mathjax.script_url("assets/mathjax"),
        reveal_theme="white",
        reveal_transition="none",
        reveal_number="c/t",
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


def with_speaker_notes(cells: list) -> list:
    """The cells with a reveal.js notes cell after each cell that carries `metadata.speaker_notes`.

    Speaker notes live in cell metadata, so a self-paced reader never meets them (in JupyterLab, VS Code, Colab or
    on GitHub); in the deck they belong to the slide of the cell they follow, and the speaker view (s) shows them.
    """
    import nbformat

    expanded = []
    for cell in cells:
        expanded.append(cell)
        notes = cell.get("metadata", {}).get("speaker_notes")
        if notes:
            expanded.append(nbformat.v4.new_markdown_cell(notes, metadata={"slideshow": {"slide_type": "notes"}}))
    return expanded


def with_alt_text(notebook) -> None:
    """Put each figure's alt text (scripts/alt_text.py) in its output's metadata, where the template reads it."""
    for index, texts in alt_text.alt_texts(notebook).items():
        images = [output for output in notebook.cells[index].outputs
                  if set(alt_text.IMAGE_TYPES) & set(output.get("data", {}))]
        for output, text in zip(images, texts, strict=True):
            for mime in alt_text.IMAGE_TYPES:
                if mime in output.data:
                    output.setdefault("metadata", {}).setdefault(mime, {})["alt"] = text
    alt_text.html_outputs_alt(notebook)


def build_deck(exporter, notebook_path: Path, out: Path) -> Path:
    """Render one notebook to out/<stem>.slides.html and return its path."""
    import nbformat

    notebook = nbformat.read(notebook_path, as_version=4)
    notebook.metadata.pop("widgets", None)  # static outputs only: no widget manager from a CDN
    with_alt_text(notebook)
    notebook.cells = with_speaker_notes(notebook.cells)
    html, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": notebook_path.stem}})
    html = NOTEBOOK_LINK.sub(lambda m: f'href="{m.group(1)}.slides.html{m.group(2) or ""}"', html)
    deck = out / f"{notebook_path.stem}.slides.html"
    deck.write_text(html, encoding="utf-8")
    return deck


def build_all(out: Path = DEFAULT_OUT, notebooks: list[Path] | None = None) -> list[Path]:
    """Copy the assets and build a deck for each notebook; return the decks' paths."""
    out.mkdir(parents=True, exist_ok=True)
    copy_assets(out)
    exporter = make_exporter()
    return [build_deck(exporter, path, out) for path in (notebooks or notebooks_to_build())]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: slides/build)")
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to build (default: all NN_*.ipynb)")
    arguments = parser.parse_args(argv)
    start = time.perf_counter()
    decks = build_all(arguments.out.resolve(), [p.resolve() for p in arguments.notebooks] or None)
    if not decks:
        raise SystemExit("no notebooks found under notebooks/")
    for deck in decks:
        print(f"built {deck.relative_to(Path.cwd()) if deck.is_relative_to(Path.cwd()) else deck}")
    print(f"{len(decks)} decks in {time.perf_counter() - start:.1f} s; open {decks[0]} in a browser")
    return 0


if __name__ == "__main__":
    sys.exit(main())
