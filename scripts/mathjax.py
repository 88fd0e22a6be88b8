"""The local MathJax 2.7.9 that the slide decks and the website load: one configuration, one list of files.

MathJax comes from the slides' pinned npm packages (slides/node_modules/mathjax, 73 MB); only the parts that the
configuration below and its CommonHTML output request are copied next to the decks and into the site's _static/.
The configuration is nbconvert's own choice for reveal.js decks: every TeX extension preloaded ("-full", so no
further requests) and the Safe extension (no \\href to javascript:, no \\style from a notebook's markdown).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from scripts.repo_paths import REPO_ROOT

SOURCE = REPO_ROOT / "slides" / "node_modules" / "mathjax"
CONFIG = "TeX-AMS_CHTML-full,Safe"
PARTS = [
    "MathJax.js", "LICENSE", *[f"config/{name}.js" for name in CONFIG.split(",")], "extensions", "jax/input/TeX",
    "jax/element", "jax/output/CommonHTML", "fonts/HTML-CSS/TeX/woff", "fonts/HTML-CSS/TeX/otf",
]


def script_url(folder: str) -> str:
    """The URL a page loads MathJax from, `folder` being the copy's folder relative to the page (or to _static/)."""
    return f"{folder}/MathJax.js?config={CONFIG}"


def copy_mathjax(destination: Path) -> None:
    """Copy the parts of MathJax that CONFIG loads into `destination` (a folder named e.g. assets/mathjax)."""
    missing = [part for part in PARTS if not (SOURCE / part).exists()]
    if missing:
        raise SystemExit(f"MathJax missing under {SOURCE} ({missing[0]} ...): run `make install` "
                         "(npm ci in slides/) once with the network on")
    for part in PARTS:
        source, target = SOURCE / part, Path(destination) / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.map"))
        else:
            shutil.copy2(source, target)
