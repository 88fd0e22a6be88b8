"""Sphinx configuration of the course website (built by scripts/build_site.py, i.e. `make site`).

The source tree is assembled by build_site.py in a git-ignored folder; this file only says how to render it.
Everything the pages load is local: the theme's own assets, and MathJax 2.7.9 copied by build_site.py into
_static/mathjax/ from slides/node_modules (Sphinx's default is a CDN). Its URL, `mathjax_path`, is given by
build_site.py (`-D mathjax_path=...` from scripts/mathjax.py, the same configuration as the slide decks).
"""

project = "Understanding LSTM: a measured course"
author = "the LSTM course contributors"
copyright = "the LSTM course contributors, MIT licence"

extensions = ["myst_nb"]

# The stored outputs are the truth that CI checks with nbval: never execute at build time.
nb_execution_mode = "off"
nb_merge_streams = True  # one block per cell for stdout, as JupyterLab shows it
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3  # README's and the notebooks' "#section" links resolve
myst_update_mathjax = False  # MyST would write a MathJax 3 config; the local copy is MathJax 2
suppress_warnings = ["myst.header", "misc.highlighting_failure"]

# MathJax 2.7.9, from the local copy: mathjax_path (relative to _static/) comes from scripts/build_site.py.
mathjax2_config = {
    "tex2jax": {
        "inlineMath": [["\\(", "\\)"]],
        "displayMath": [["\\[", "\\]"]],
        "processRefs": False,
        "processEnvironments": False,
    },
    "showMathMenu": False,
    "messageStyle": "none",  # no "Loading MathJax" box
}

html_theme = "sphinx_book_theme"
html_title = "Understanding LSTM"
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "use_download_button": False,  # each page links its own .ipynb (the original, not the page's source)
    "use_fullscreen_button": False,
    "show_toc_level": 2,
}
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
# pydata-sphinx-theme reads the light/dark mode from this context value; left empty, every page logs a console
# error ("Got invalid theme mode") on a first visit. "auto" follows the reader's system setting.
html_context = {"default_mode": "auto"}

# Sphinx's search summarises each hit from the page's [role=main] element, which in this theme also holds the header
# bar, so every snippet began "System Settings Light Dark" (the theme switch): _static/search_snippets.js makes it
# summarise the article only.
html_static_path = ["_static"]
html_js_files = ["search_snippets.js"]
