"""The slide decks, as a teacher meets them: built offline, opened from disk in headless Chromium.

Builds every notebooks/NN_*.ipynb into a temporary folder with scripts/build_decks.py (the `make slides`
build), opens each deck from file:// in Debian's chromium (one browser, one page per deck), walks through
every slide and fragment, and fails on any console error, page error, failed request or request leaving
the machine (all are aborted and recorded), on math MathJax did not render, on a missing image or one without
alt text, on a slide that does not fit 1280x800 (slides/templates/offline/fit_slides.js splits tall ones), and on a
deck without speaker notes. A screenshot of each deck's first slide is saved under scratch/slides/.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import time

import pytest

from scripts.repo_paths import REPO_ROOT, SCRATCH
from tests.browser import launched_chromium, offline_context, watch_page
from tests.notebook_files import NOTEBOOKS, load, source

BUILD_MODULE = "scripts.build_decks"  # run as python -m from the top folder
NODE_MODULES = REPO_ROOT / "slides" / "node_modules"
SCREENSHOTS = SCRATCH / "slides"
# TeX left as text after MathJax ran: display or bracket delimiters, or $...$ holding a TeX command,
# a sub/superscript or braces (a plain "$5" price would not match).
LOCAL = ("file://", "data:", "blob:", "about:")  # all a deck may load: itself, its assets, embedded images
RAW_TEX = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]|\\begin\{|\$[^$\n]*[\\^_{}][^$\n]*\$")


def require_node_modules() -> None:
    if (NODE_MODULES / "reveal.js" / "package.json").exists():
        return
    message = "the slides' npm assets are not installed: run `make install` (npm ci in slides/) with the network on"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def slide_type(cell: dict) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")


def expected_images(notebook: dict) -> int:
    """PNG/JPEG outputs of the cells a deck shows (skipped cells and notes are not on a slide)."""
    return sum(
        1
        for cell in notebook["cells"]
        if cell["cell_type"] == "code" and slide_type(cell) not in ("skip", "notes")
        for output in cell.get("outputs", [])
        if {"image/png", "image/jpeg"} & set(output.get("data", {}))
    )


def has_math(notebook: dict) -> bool:
    return any(
        cell["cell_type"] == "markdown" and slide_type(cell) not in ("skip", "notes") and "$" in source(cell)
        for cell in notebook["cells"]
    )


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    """Every deck built once, into a temporary folder (the test leaves nothing in the repository)."""
    require_node_modules()
    out = tmp_path_factory.mktemp("slides")
    start, cpu_before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run([sys.executable, "-m", BUILD_MODULE, "--out", str(out)],
                            capture_output=True, text=True, cwd=REPO_ROOT, timeout=600)
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = {"wall": time.perf_counter() - start,
               "cpu": cpu_after.ru_utime - cpu_before.ru_utime + cpu_after.ru_stime - cpu_before.ru_stime}
    assert result.returncode == 0, f"scripts/build_decks.py failed:\n{result.stdout}\n{result.stderr}"
    built = {path.name: out / f"{path.stem}.slides.html" for path in NOTEBOOKS}
    missing = [name for name, deck in built.items() if not deck.exists()]
    assert not missing, f"no deck built for {missing}"
    return built, seconds


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as chromium:
        yield chromium


def test_every_notebook_has_a_deck(decks):
    # The build time is a figure of `make bench` (budget: a minute for all decks), not a timed assertion:
    # in the suite the build shares the two cores with notebook kernels.
    built, seconds = decks
    print(f"{len(built)} decks built in {seconds['wall']:.1f} s wall, {seconds['cpu']:.1f} s CPU")
    for path in NOTEBOOKS:
        title = source(load(path)["cells"][0]).splitlines()[0].lstrip("# ").strip()  # "03 · The deck's ..."
        html = built[path.name].read_text(encoding="utf-8")
        assert title.split(" · ")[-1].replace("'", "&#39;") in html or title.split(" · ")[-1] in html, (
            f"the deck of {path.name} does not show its title {title!r}"
        )


def test_build_uses_no_cdn(decks):
    built, _ = decks
    for name, deck in built.items():
        html = deck.read_text(encoding="utf-8")
        remote = re.findall(r'(?:src|href)="((?:https?:)?//[^"]+)"', html)
        remote = [url for url in remote if not re.search(r"\.(html?|ipynb)(#.*)?$|/#|github\.com", url)]
        assert not remote, f"{name}: the deck links remote assets {remote[:3]}"


# Runs in the page once the deck is loaded: the Reveal instance (loaded through RequireJS, so not a
# global), MathJax's typesetting finished, every image decoded.
SETTLE = """async () => {
  const Reveal = await new Promise((resolve, reject) =>
      require(["assets/reveal.js/dist/reveal.js"], resolve, reject));
  if (!Reveal.isReady()) await new Promise(resolve => Reveal.on("ready", resolve));
  const mathjax = typeof MathJax !== "undefined" && !!MathJax.Hub;
  if (mathjax) await new Promise(resolve => MathJax.Hub.Queue(resolve));
  await Promise.all([...document.images].map(image => image.decode().catch(() => null)));
  const deadline = Date.now() + 30000;  // fit_slides.js (the template) splits tall slides once all is typeset
  while (document.body.dataset.slidesFitted !== "true" && Date.now() < deadline)
    await new Promise(resolve => setTimeout(resolve, 100));
  window.__deck = Reveal;
  return {mathjax, slides: Reveal.getTotalSlides(), fitted: document.body.dataset.slidesFitted === "true",
          zoom: parseFloat(document.body.dataset.slidesZoom || "1")};
}"""

# Visit every slide and fragment in order, as the space bar does, letting the deck's own
# slide-changed handlers (MathJax re-render, scrolling) run on each.
WALK = """async () => {
  const Reveal = window.__deck;
  Reveal.slide(0, 0, -1);
  let steps = 0;
  const overflowing = {};
  const measure = () => {  // the shown slide's content against reveal.js's box (960 x 700, shown at 1280 x 800)
    const slide = Reveal.getCurrentSlide(), where = Reveal.getIndices();
    const tall = slide.scrollHeight - slide.clientHeight, wide = slide.scrollWidth - slide.clientWidth;
    const cut = [...slide.querySelectorAll("pre")].map(window.courseDeckWidths)  // text past its box's right edge
      .filter(([needed, shown]) => needed > shown + 2).map(([needed, shown]) => Math.round(needed - shown));
    if (tall > 1 || wide > 1 || cut.length) overflowing[`${where.h + 1}.${where.v + 1}`] = {tall, wide, cut};
  };
  measure();
  while (steps < 2000) {
    const before = JSON.stringify(Reveal.getIndices());
    Reveal.next();
    await new Promise(resolve => requestAnimationFrame(() => resolve()));
    if (JSON.stringify(Reveal.getIndices()) === before) break;
    measure();
    steps++;
  }
  if (typeof MathJax !== "undefined") await new Promise(resolve => MathJax.Hub.Queue(resolve));
  Reveal.slide(0, 0, -1);
  return {steps, overflowing};
}"""

# Show the first slide that has speaker notes; false if the deck has none.
GO_TO_NOTES = """() => {
  const Reveal = window.__deck;
  const slide = Reveal.getSlides().find(section => section.querySelector(":scope > aside.notes"));
  if (!slide) return false;
  const indices = Reveal.getIndices(slide);
  Reveal.slide(indices.h, indices.v);
  return true;
}"""

# What a reader would see as text in the rendered markdown (MathJax keeps the TeX source in
# <script type="math/tex"> and previews, which are not shown).
INSPECT = """() => {
  const visibleText = element => {
    const copy = element.cloneNode(true);
    copy.querySelectorAll("script, .MathJax_Preview, .MJX_Assistive_MathML").forEach(node => node.remove());
    return copy.textContent;
  };
  return {
    markdown: [...document.querySelectorAll(".reveal .jp-RenderedMarkdown")].map(visibleText),
    renderedMath: document.querySelectorAll(".mjx-chtml").length,
    mathErrors: [...document.querySelectorAll(".mjx-merror, .MathJax_Error, merror")].map(e => e.textContent),
    images: [...document.images].map(image => ({
      src: image.src.slice(0, 60), complete: image.complete, width: image.naturalWidth, alt: image.alt})),
    notes: document.querySelectorAll(".reveal aside.notes").length,
  };
}"""


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_deck_opens_offline_in_chromium(path, decks, browser):
    built, _ = decks
    deck = built[path.name]
    notebook = load(path)
    context, problems = offline_context(browser, LOCAL, {"width": 1280, "height": 800})

    def watch(page):  # every page of the context: the deck, and the speaker view it opens
        watch_page(page, problems)
        page.on("request", lambda request: None if request.url.startswith(LOCAL) else
                problems.append(f"request leaving the machine: {request.url}"))

    context.on("page", watch)
    page = context.new_page()
    speaker_notes = ""
    try:
        page.goto(deck.as_uri(), wait_until="load", timeout=60_000)
        state = page.evaluate(SETTLE)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{path.stem}.png"))
        walk = page.evaluate(WALK)
        steps = walk["steps"]
        seen = page.evaluate(INSPECT)
        if page.evaluate(GO_TO_NOTES):  # the speaker view ("s") must open, offline, and show the notes
            with context.expect_page(timeout=30_000) as opened:
                page.keyboard.press("s")
            speaker = opened.value
            speaker.wait_for_function(
                "() => (document.querySelector('.speaker-controls-notes')?.innerText || '').length > 20",
                timeout=30_000)  # the previews load the deck twice more: slow on a busy machine
            speaker_notes = speaker.inner_text(".speaker-controls-notes")
    finally:
        context.close()

    assert not problems, f"{deck.name}:\n" + "\n".join(dict.fromkeys(problems))
    assert state["mathjax"], f"{deck.name}: MathJax is not defined (the local copy did not load)"
    assert state["slides"] >= 2 and steps >= state["slides"] - 1, (
        f"{deck.name}: {state['slides']} slides, {steps} steps walked; is the slide metadata missing?"
    )
    # Every slide fits 1280 x 800: nothing to scroll to, no part zoomed below half size.
    assert state["fitted"], f"{deck.name}: fit_slides.js did not finish"
    assert not walk["overflowing"], f"{deck.name}: slides taller or wider than the screen: {walk['overflowing']}"
    assert state["zoom"] >= 0.5, f"{deck.name}: a part of a slide had to be zoomed to {state['zoom']} to fit"
    raw = [m.group(0) for text in seen["markdown"] for m in RAW_TEX.finditer(text)]
    assert not raw, f"{deck.name}: math left unrendered: {raw[:5]}"
    assert not seen["mathErrors"], f"{deck.name}: MathJax errors: {seen['mathErrors'][:3]}"
    if has_math(notebook):
        assert seen["renderedMath"] > 0, f"{deck.name}: the notebook has math but MathJax rendered none"
    broken = [image for image in seen["images"] if not image["complete"] or image["width"] == 0]
    assert not broken, f"{deck.name}: broken images: {json.dumps(broken)[:300]}"
    unnamed = [image for image in seen["images"] if len(image["alt"].strip()) < 10 or "No description" in image["alt"]]
    assert not unnamed, f"{deck.name}: images without alt text a screen reader can use: {json.dumps(unnamed)[:300]}"
    assert len(seen["images"]) >= expected_images(notebook), (
        f"{deck.name}: {len(seen['images'])} images shown, the notebook's slides hold {expected_images(notebook)}"
    )
    assert seen["notes"] >= 1, f"{deck.name}: no speaker notes (markdown cells with slide_type 'notes')"
    assert speaker_notes.strip(), f"{deck.name}: the speaker view did not show the notes"


def test_workshop_timings_quote_the_benchmark():
    """docs/workshop.md quotes measured run times; they must still agree with docs/notebook_times.json."""
    from course_utils.course_map import load_benchmark

    measured = {name[:2]: figures["seconds"] for name, figures in load_benchmark()["notebooks"].items()
                if not name.endswith("_solutions.ipynb")}
    text = (REPO_ROOT / "docs" / "workshop.md").read_text(encoding="utf-8")
    quoted = re.findall(r"^\| (\d\d) [^|]+\| (\d+) s \|", text, re.MULTILINE)
    assert quoted, "docs/workshop.md quotes no measured run time ('| NN name | N s |')"
    for number, seconds in quoted:
        assert number in measured, f"docs/workshop.md quotes a run time for {number}, which was never measured"
        assert abs(int(seconds) - measured[number]) <= max(10.0, 0.25 * measured[number]), (
            f"docs/workshop.md says notebook {number} runs in {seconds} s, `make bench` measured "
            f"{measured[number]:.0f} s: update the table"
        )
