# Every target creates .venv and installs requirements.txt first if needed, so a fresh clone
# needs only Python 3.11 and make.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The README's test command: unit tests + every notebook with nbval, two workers, one notebook each.
PYTEST_ARGS ?= -n 2 --dist loadfile

.PHONY: install lab test slides refresh bench flake-check seed-check lint clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	touch $(STAMP)

# The slides' offline assets (reveal.js, RequireJS, jQuery, MathJax 2.7.9), pinned in slides/package-lock.json,
# fetched once from the npm registry; after this nothing needs the network (not `make slides`, not `make test`).
NPM_STAMP := slides/node_modules/.installed
$(NPM_STAMP): slides/package.json slides/package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js and npm (apt-get install -y npm)"; exit 1; }
	cd slides && npm ci --no-audit --no-fund --loglevel=error
	touch $(NPM_STAMP)

# The website's packages (Sphinx, MyST-NB, sphinx-book-theme), pinned apart from the course's own requirements.
SITE_STAMP := $(VENV)/.installed-site
$(SITE_STAMP): docs/requirements-site.txt $(STAMP)
	$(BIN)/python -m pip install -r docs/requirements-site.txt
	touch $(SITE_STAMP)

# Only the set-up (.venv + requirements + slide assets), e.g. before running the tests with the network off.
# Without npm the course still installs; the slide test then skips (and fails under CI=true).
install: $(STAMP) $(SITE_STAMP)
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory -s $(NPM_STAMP); \
	else echo "== npm not found: slide assets not installed (apt-get install -y npm, then make install)"; fi

# Start JupyterLab on the first notebook, with a kernel named after the course.
# Containers and lab machines often run as root, which JupyterLab refuses unless told.
LAB_ARGS ?= $(if $(filter 0,$(shell id -u)),--allow-root,)
lab: $(STAMP)
	$(BIN)/python -m ipykernel install --user --name lstm-course --display-name "Python (LSTM course)"
	$(BIN)/jupyter lab $(LAB_ARGS) notebooks/00_start_here.ipynb

# `install` first, so a newcomer's `make test` includes the slide test when npm is there; once the assets
# are installed it does nothing, which keeps CI's network-off `make test` offline.
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# One offline reveal.js deck per notebook: slides/build/NN_slug.slides.html, assets in slides/build/assets/.
slides: $(STAMP) $(NPM_STAMP)
	$(BIN)/python slides/build_decks.py

# The course as a static website in site/build/html/ (open index.html): the stored notebooks rendered by Sphinx
# + MyST-NB, nothing executed, the slide decks and a local MathJax included; offline once installed.
.PHONY: site
site: $(SITE_STAMP) $(NPM_STAMP)
	$(BIN)/python site/build_site.py

lint: $(STAMP)
	$(BIN)/ruff check course_utils tests scripts notebooks slides site

# Re-execute notebooks in place and strip noisy metadata (NB=notebooks/03_*.ipynb for one).
NB ?= notebooks/*.ipynb notebooks/solutions/*.ipynb
refresh: $(STAMP)
	$(BIN)/python scripts/refresh_notebooks.py $(NB)

# Time every notebook (wall time, peak memory) and write the table into the README and docs/.
bench: $(STAMP)
	$(BIN)/python scripts/benchmark_notebooks.py

# Run the notebooks through nbval three times and report any cell whose output differs between runs.
flake-check: $(STAMP)
	$(BIN)/python scripts/flake_check.py --runs 3

# Rerun the notebooks with 3 other seeds (COURSE_SEED_OFFSET=1..3) and report, per check cell, whether it held.
# NB=notebooks/02_lstm_gates.ipynb for one; results in docs/seed_check.json.
SEEDS ?= 3
seed-check: $(STAMP)
	$(BIN)/python scripts/seed_check.py --seeds $(SEEDS) $(if $(filter command line,$(origin NB)),$(NB),)

clean-venv:
	rm -rf $(VENV)
