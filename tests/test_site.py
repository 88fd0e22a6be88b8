"""The course website, as a reader meets it: built offline by `make site`, served on 127.0.0.1, read in Chromium.

Builds the site once into a temporary folder with scripts/build_site.py (the `make site` build: Sphinx + MyST-NB
from the stored notebooks, nothing executed, the slide decks included), checks the HTML for assets loaded
from outside the machine, then serves the folder on 127.0.0.1 and opens every page in Debian's headless
chromium: any console error, page error, failed request or request leaving 127.0.0.1 (aborted and recorded)
fails the page, and so do math MathJax did not render, raw TeX left in the text, a broken image, figures or
code cells of the notebook missing from its page. The built-in search must find "forget gate" in notebook 02
and "walk-forward" in notebook 04, with snippets from the article (not the theme's header bar); every figure has
alt text a screen reader can use (scripts/alt_text.py). Screenshots go to scratch/site/.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from scripts.repo_paths import REPO_ROOT, SCRATCH
from tests.browser import launched_chromium, offline_context, watch_page
from tests.notebook_files import ALL_NOTEBOOKS, NOTEBOOKS, SOLUTIONS, load, source

BUILD_MODULE = "scripts.build_site"  # run as python -m from the top folder
MATHJAX = REPO_ROOT / "slides" / "node_modules" / "mathjax" / "MathJax.js"
SCREENSHOTS = SCRATCH / "site"
# Every page of the site (the decks under slides/ are test_slides.py's): home, about pages, search, notebooks.
PAGES = ["index.html", "README.html", "CONTRIBUTING.html", "docs/workshop.html", "docs/canary.html", "search.html",
         "genindex.html",
         *[str(path.relative_to(REPO_ROOT)).removesuffix(".ipynb") + ".html" for path in ALL_NOTEBOOKS]]
SCREENSHOT_PAGES = {"index.html", "notebooks/02_lstm_gates.html", "notebooks/04_time_series_stocks_sales.html",
                    "notebooks/10_video_analysis.html"}
# Same pattern as test_slides.py: TeX delimiters, or $...$ holding a TeX command, a sub/superscript or braces.
RAW_TEX = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]|\\begin\{|\$[^$\n]*[\\^_{}][^$\n]*\$")
# What makes a browser load something: script/img/iframe/audio/video/source src, and <link href> (styles, fonts).
LOADS = re.compile(r'<(?:script|img|iframe|audio|video|source|embed)\b[^>]*\bsrc="([^"]+)"'
                   r'|<link\b[^>]*\bhref="([^"]+)"')


def requirement(message: str) -> None:
    """Skip, or fail in CI, when something `make install` provides is missing."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def slide_type(cell: dict) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")


def shown_cells(notebook: dict) -> list[dict]:
    """The cells a site page shows: all but the speaker notes (they belong to the decks)."""
    return [cell for cell in notebook["cells"] if slide_type(cell) != "notes"]


def page_of(path: Path) -> str:
    return str(path.relative_to(REPO_ROOT)).removesuffix(".ipynb") + ".html"


def notebook_of(page: str) -> Path | None:
    path = REPO_ROOT / page.removesuffix(".html")
    return path.with_suffix(".ipynb") if path.with_suffix(".ipynb") in ALL_NOTEBOOKS else None


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site built once into a temporary folder (nothing is left in the repository); its html folder."""
    if not MATHJAX.exists():
        requirement("the local MathJax (slides/node_modules) is missing: run `make install` with the network on")
    try:
        import myst_nb  # noqa: F401
        import sphinx_book_theme  # noqa: F401
    except ImportError as error:
        requirement(f"the site's packages are not installed ({error}): run `make install`")
    out = tmp_path_factory.mktemp("site")
    start, cpu_before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run([sys.executable, "-m", BUILD_MODULE, "--out", str(out)],
                            capture_output=True, text=True, cwd=REPO_ROOT, timeout=600)
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = cpu_after.ru_utime - cpu_before.ru_utime + cpu_after.ru_stime - cpu_before.ru_stime
    assert result.returncode == 0, f"scripts/build_site.py failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    # The build time is a figure of the README (make site), not a timed assertion: the suite shares the cores.
    print(f"site built in {time.perf_counter() - start:.1f} s wall, {cpu:.1f} s CPU")
    return out / "html"


@pytest.fixture(scope="module")
def server(site):
    """The built site served by Python's http.server on 127.0.0.1 (a free port); its base URL."""
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - http.server's signature
        pass


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as chromium:
        yield chromium


def test_every_page_is_built(site):
    missing = [page for page in PAGES if not (site / page).exists()]
    assert not missing, f"pages not built: {missing}"


def test_nothing_is_loaded_from_outside(site):
    """No page (decks aside: test_slides.py) loads a script, style, font, image or frame from another machine."""
    pages = [path for path in site.rglob("*.html") if "slides" not in path.relative_to(site).parts]
    assert len(pages) >= len(PAGES)
    for page in pages:
        html = page.read_text(encoding="utf-8")
        remote = [url for match in LOADS.finditer(html) for url in match.groups()
                  if url and re.match(r"(?:https?:)?//", url)]
        assert not remote, f"{page.relative_to(site)} loads {remote[:3]} from outside the machine"
    for css in (site / "_static").rglob("*.css"):  # fonts and images pulled in by the theme's stylesheets
        text = css.read_text(encoding="utf-8", errors="replace")
        remote = re.findall(r"(?:url\(|@import\s+)['\"]?((?:https?:)?//[^'\")]+)", text)
        assert not remote, f"{css.relative_to(site)} loads {remote[:3]} from outside the machine"


def test_navigation_is_in_teaching_order(site):
    """The sidebar of the home page lists the notebooks 00-11, then the solutions, in order."""
    html = (site / "index.html").read_text(encoding="utf-8")
    sidebar = html[html.index('class="bd-links bd-docs-nav"'):]
    sidebar = sidebar[:sidebar.index("</nav>")]
    listed = list(dict.fromkeys(re.findall(r'href="(notebooks/[^"#]+\.html)"', sidebar)))
    assert listed == [page_of(path) for path in NOTEBOOKS + SOLUTIONS], f"sidebar order: {listed}"
    table = re.findall(r'href="(notebooks/\d\d_[a-z0-9_]+\.html)"', html[html.index('id="the-course-map"'):])
    assert list(dict.fromkeys(table)) == [page_of(path) for path in NOTEBOOKS], "the course map is not in order"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=[page_of(p) for p in ALL_NOTEBOOKS])
def test_page_links_its_notebook_solutions_and_deck(site, path):
    page = site / page_of(path)
    html = page.read_text(encoding="utf-8")
    links = html[html.index("On this page’s files"):]
    links = links[:links.index("</p>")]
    hrefs = re.findall(r'href="([^"#]+)', links)
    wanted = [path.name]
    if path in SOLUTIONS:
        wanted += [path.name.replace("_solutions.ipynb", ".html"),
                   f"../../slides/{path.name.replace('_solutions.ipynb', '.slides.html')}"]
    else:
        wanted += [f"../slides/{path.stem}.slides.html"]
        if (path.parent / "solutions" / f"{path.stem}_solutions.ipynb").exists():
            wanted.append(f"solutions/{path.stem}_solutions.html")
    for href in wanted:
        assert any(link.endswith(href) for link in hrefs), f"{page.name} does not link {href}: {hrefs}"
    for href in hrefs:
        assert (page.parent / href).resolve().is_file(), f"{page.name} links {href}, which was not built"
    assert (page.parent / path.name).read_bytes() == path.read_bytes(), "the download is not the stored notebook"


# Runs in the page once it has loaded: MathJax's typesetting finished (if the page loads it), images decoded,
# then what a reader sees: prose text (code cells, outputs and MathJax's hidden sources removed), math, images.
INSPECT = """async () => {
  const mathjax = typeof MathJax !== "undefined" && !!MathJax.Hub;
  if (mathjax) await new Promise(resolve => MathJax.Hub.Queue(resolve));
  await Promise.all([...document.images].map(image => image.decode().catch(() => null)));
  const article = document.querySelector("article") || document.body;
  const prose = article.cloneNode(true);
  prose.querySelectorAll("script, .MathJax_Preview, .MJX_Assistive_MathML, div.cell, pre, code")
       .forEach(node => node.remove());
  return {
    mathjax,
    prose: prose.textContent,
    renderedMath: document.querySelectorAll(".mjx-chtml").length,
    mathErrors: [...document.querySelectorAll(".mjx-merror, .MathJax_Error, merror")].map(e => e.textContent),
    images: [...article.querySelectorAll("img")].map(image => ({
      src: image.src.slice(-60), complete: image.complete, width: image.naturalWidth, alt: image.alt})),
    codeCells: article.querySelectorAll("div.cell div.cell_input").length,
  };
}"""


def meaningful_alt(alt: str) -> bool:
    """Alt text that says something: not empty, not a file name (Sphinx's default), not nbconvert's placeholder."""
    alt = (alt or "").strip()
    return len(alt) >= 10 and not re.search(r"\.(png|jpe?g|svg|gif)$|_images/", alt) and "No description" not in alt


def has_math(notebook: dict) -> bool:
    return any(cell["cell_type"] == "markdown" and "$" in source(cell) for cell in shown_cells(notebook))


def image_outputs(notebook: dict) -> int:
    return sum(1 for cell in shown_cells(notebook) if cell["cell_type"] == "code"
               for output in cell.get("outputs", []) if {"image/png", "image/jpeg"} & set(output.get("data", {})))


def open_page(browser, url: str, base: str, screenshot: str | None = None) -> tuple[dict, list[str]]:
    """Load `url` in a fresh context; return what INSPECT saw and every problem recorded on the way."""
    context, problems = offline_context(browser, (base, "data:", "blob:", "about:"), {"width": 1280, "height": 900})
    page = context.new_page()
    watch_page(page, problems)
    page.on("response", lambda response: response.status >= 400 and problems.append(
        f"HTTP {response.status}: {response.url}"))
    try:
        page.goto(url, wait_until="load", timeout=60_000)
        seen = page.evaluate(INSPECT)
        if screenshot:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / screenshot))
            if seen["renderedMath"]:  # and the first displayed equation, for a reviewer to see the math
                page.locator(".MJXc-display").first.scroll_into_view_if_needed()
                page.screenshot(path=str(SCREENSHOTS / screenshot.replace(".png", "_math.png")))
    finally:
        context.close()
    return seen, problems


@pytest.mark.parametrize("page", PAGES)
def test_page_reads_offline_in_chromium(page, server, browser):
    shot = page.replace("/", "__").removesuffix(".html") + ".png" if page in SCREENSHOT_PAGES else None
    seen, problems = open_page(browser, server + page, server, shot)
    assert not problems, f"{page}:\n" + "\n".join(dict.fromkeys(problems))
    raw = [match.group(0) for match in RAW_TEX.finditer(seen["prose"])]
    assert not raw, f"{page}: math left unrendered: {raw[:5]}"
    assert not seen["mathErrors"], f"{page}: MathJax errors: {seen['mathErrors'][:3]}"
    broken = [image for image in seen["images"] if not image["complete"] or image["width"] == 0]
    assert not broken, f"{page}: broken images: {broken[:3]}"
    unnamed = [image for image in seen["images"] if not meaningful_alt(image["alt"])]
    assert not unnamed, f"{page}: images without alt text a screen reader can use: {unnamed[:3]}"
    notebook_path = notebook_of(page)
    if notebook_path is None:
        return
    notebook = load(notebook_path)
    if has_math(notebook):
        assert seen["mathjax"] and seen["renderedMath"] > 0, f"{page}: the notebook has math, MathJax rendered none"
    assert len(seen["images"]) >= image_outputs(notebook), (
        f"{page}: {len(seen['images'])} images shown, the notebook's outputs hold {image_outputs(notebook)}")
    code_cells = sum(1 for cell in notebook["cells"] if cell["cell_type"] == "code")
    assert seen["codeCells"] == code_cells, f"{page}: {seen['codeCells']} code cells shown of {code_cells}"


# Sphinx writes "Search finished" once every result is listed, but fills each result's snippet later, when its
# page has been fetched and parsed: a notebook page with its figures is megabytes, so wait for the expected page's
# snippet as well (CI failed on an empty snippet under load, 2026-12-06).
SEARCH = """async (expected) => {
  const deadline = Date.now() + 60000;
  const items = () => [...document.querySelectorAll("#search-results ul.search li")];
  while (Date.now() < deadline) {
    const done = document.querySelector("#search-results h2, #search-results .search-summary");
    const summary = document.querySelector("#search-results p.search-summary, #search-results > p");
    const hit = items().find(item => item.querySelector("a").getAttribute("href").split("#")[0] === expected);
    if (done && summary && summary.textContent.trim() && (!hit || hit.querySelector("p.context"))) break;
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  return items().map(item => ({
    href: item.querySelector("a").getAttribute("href"),
    snippet: (item.querySelector("p.context") || {textContent: ""}).textContent}));
}"""
# The theme's header bar (its light/dark switch): Sphinx's snippets began with it before site/_static/search_snippets.js
THEME_TEXT = ("System Settings", "Light Dark")


@pytest.mark.parametrize(("query", "expected"), [("forget gate", "notebooks/02_lstm_gates.html"),
                                                 ("walk-forward", "notebooks/04_time_series_stocks_sales.html")])
def test_search_finds_the_notebook(query, expected, server, browser):
    context, _ = offline_context(browser, (server,), {"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{server}search.html?q={query.replace(' ', '+')}", wait_until="load", timeout=60_000)
        results = page.evaluate(SEARCH, expected)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"search_{query.replace(' ', '_')}.png"))
    finally:
        context.close()
    pages = [result["href"].split("#")[0].split("?")[0] for result in results]
    assert expected in pages, f"searching {query!r} found {pages[:10]}, not {expected}"
    snippets = [result["snippet"] for result in results[:10]]  # Sphinx gives none when the words are in the title only
    hit = next(result["snippet"] for result in results if result["href"].split("#")[0] == expected)
    assert query.split()[0] in hit.lower(), f"searching {query!r}: {expected}'s snippet does not show it: {hit!r}"
    themed = [snippet for snippet in snippets if any(text in snippet for text in THEME_TEXT)]
    assert not themed, f"searching {query!r}: snippets with the theme's text: {themed[:2]}"


def test_alt_text_from_metadata_or_a_meaningful_fallback():
    from scripts.alt_text import alt_texts, html_images_alt

    def cell(source, images=1, **metadata):
        outputs = [{"output_type": "display_data", "data": {"image/png": "iVBOR"}, "metadata": {}}] * images
        return {"cell_type": "code", "source": source, "metadata": metadata, "outputs": outputs}

    notebook = {"cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "## 3. The lag\nThe forecast trails the price. More."},
        cell("plt.plot(x)", alt="Price and forecast: the forecast is the price shifted by a day"),
        cell("# Loss per epoch, both models\nplt.plot(loss)"),
        cell("ax.set_title('Validation loss')\nax.plot(v)", images=2),
        cell("plt.plot(y)"),
        cell("plt.plot(z)", images=2, alt=["the first", "the second"]),
        cell("print(1)", images=0),
    ]}
    texts = alt_texts(notebook)
    assert texts == {
        1: ["Price and forecast: the forecast is the price shifted by a day"],
        2: ["Figure in the section “3. The lag”: Loss per epoch, both models"],
        3: ["Figure in the section “3. The lag”: plot titled “Validation loss” (figure 1 of 2)",
            "Figure in the section “3. The lag”: plot titled “Validation loss” (figure 2 of 2)"],
        4: ["Figure in the section “3. The lag”: The forecast trails the price."],
        5: ["the first", "the second"],
    }
    assert all(meaningful_alt(text) for values in texts.values() for text in values if len(text) >= 10)
    assert not meaningful_alt("../_images/3f2a.png") and not meaningful_alt("No description has been provided")
    assert html_images_alt('<img id="a"><img alt="x" src="b">', 'frames "1"') == (
        '<img alt="frames &quot;1&quot;" id="a"><img alt="x" src="b">')


def test_build_refuses_a_folder_that_is_not_a_build(tmp_path):
    from scripts.build_site import BUILD_MARK, check_out

    check_out(tmp_path / "new")  # a new folder, and an empty one, are fine
    check_out(tmp_path)
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "my page.html").write_text("someone's work")
    with pytest.raises(SystemExit, match="not empty and holds no earlier build"):
        check_out(tmp_path)
    (tmp_path / BUILD_MARK).write_text("")
    check_out(tmp_path)
    with pytest.raises(SystemExit, match="is a file"):
        check_out(tmp_path / BUILD_MARK)
