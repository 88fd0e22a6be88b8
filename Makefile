# Every target creates .venv and installs requirements.txt first if needed, so a fresh clone
# needs only Python (3.11, 3.12 or 3.13) and make.
# The Python: the newest supported one found that runs (a pyenv shim for a version not selected does not), unless
# PYTHON=/path/to/python is given; looked up once, when a target needs it. Checked before a venv is made with it.
SUPPORTED_PYTHONS := 3.13 3.12 3.11
PYTHON ?= $(eval PYTHON := $(shell for v in $(SUPPORTED_PYTHONS); do p=$$(command -v python$$v) && "$$p" -c "" \
	2>/dev/null && { echo "$$p"; exit 0; }; done; command -v python3))$(PYTHON)
define check_python
@version=$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null); \
case " $(SUPPORTED_PYTHONS) " in \
	*" $$version "*) echo "== using $(PYTHON): Python $$($(PYTHON) -c 'import platform; print(platform.python_version())')" ;; \
	*) echo "== the course needs Python 3.11, 3.12 or 3.13 (what its pinned TensorFlow is tested on), but" \
		"$(if $(PYTHON),$(PYTHON) $$(test -n "$$version" && echo "is Python $$version" || echo "does not run"),no python3 was found)." \
		"Install one of them (python.org, your system's packages, pyenv) and run make again, or name it:" \
		"make PYTHON=/path/to/python3.12 install" >&2; exit 1 ;; \
esac
endef
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The README's test command: unit tests + every notebook with nbval, two workers, one notebook each.
PYTEST_ARGS ?= -n 2 --dist loadfile

.PHONY: install lab test slides refresh bench flake-check seed-check prose-check lint clean-venv which-python canary

# Which Python make would make the venvs with (and whether it is supported), without making anything.
which-python:
	$(check_python)

$(BIN)/python:
	$(check_python)
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

# The course's JupyterLab settings (lab-settings/overrides.json: no "Jupyter news?" question, no update checks),
# installed into the venv's JupyterLab, so they hold for `make lab` and for .venv/bin/jupyter lab alike.
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json
$(LAB_OVERRIDES): lab-settings/overrides.json | $(BIN)/python
	mkdir -p $(@D) && cp lab-settings/overrides.json $@

# Only the set-up (.venv + requirements + slide assets), e.g. before running the tests with the network off.
# Without npm the course still installs; the slide test then skips (and fails under CI=true).
install: $(STAMP) $(SITE_STAMP) $(LAB_OVERRIDES)
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory -s $(NPM_STAMP); \
	else echo "== npm not found: slide assets not installed (apt-get install -y npm, then make install)"; fi

# Start JupyterLab on the first notebook, with a kernel named after the course: a desktop browser opens notebook 00,
# and the URL printed (no desktop browser, a container, a remote machine) is notebook 00's too.
# Containers and lab machines often run as root, which JupyterLab refuses unless told.
LAB_ARGS ?= $(if $(filter 0,$(shell id -u)),--allow-root,)
LAB_URL := /lab/tree/notebooks/00_start_here.ipynb
lab: $(STAMP) $(LAB_OVERRIDES)
	$(BIN)/python -m ipykernel install --user --name lstm-course --display-name "Python (LSTM course)"
	$(BIN)/jupyter lab $(LAB_ARGS) --LabApp.default_url=$(LAB_URL)

# `install` first, so a newcomer's `make test` includes the slide test when npm is there; once the assets
# are installed it does nothing, which keeps CI's network-off `make test` offline.
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The tools in scripts/ run as modules from this folder (python -m scripts.NAME): no sys.path tricks.
# One offline reveal.js deck per notebook: slides/build/NN_slug.slides.html, assets in slides/build/assets/.
slides: $(STAMP) $(NPM_STAMP)
	$(BIN)/python -m scripts.build_decks

# The course as a static website in site/build/html/ (open index.html): the stored notebooks rendered by Sphinx
# + MyST-NB, nothing executed, the slide decks and a local MathJax included; offline once installed.
.PHONY: site
site: $(SITE_STAMP) $(NPM_STAMP)
	$(BIN)/python -m scripts.build_site

# ruff's rules, then PEP 8's blank lines (ruff's E3, in preview) in the .py files: the formatting check (tests/test_lint.py).
LINT_PATHS := course_utils tests scripts notebooks slides site hub
lint: $(STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff check --preview --select E3 --extend-exclude '*.ipynb' $(LINT_PATHS)

# Re-execute notebooks in place, one at a time, and strip noisy metadata (NB=notebooks/03_*.ipynb for one).
# Refuses a busy machine (1-minute load average above 1.5, after waiting a minute); COURSE_REFRESH_ALLOW_BUSY=1
# runs anyway and the notebook's metadata records it. A path that does not exist stops it before anything runs.
NB ?= notebooks/*.ipynb notebooks/solutions/*.ipynb
refresh: $(STAMP)
	$(BIN)/python -m scripts.refresh_notebooks $(NB)

# Time every notebook (wall time, peak memory) and write the table into the README and docs/.
bench: $(STAMP)
	$(BIN)/python -m scripts.benchmark_notebooks

# Run the notebooks through nbval three times and report any cell whose output differs from the stored one;
# results in docs/flake_check.json and the README. NB=... for some notebooks only.
flake-check: $(STAMP)
	$(BIN)/python -m scripts.flake_check --runs 3 $(if $(filter command line,$(origin NB)),$(NB),)

# Rerun the notebooks with 3 other seeds (COURSE_SEED_OFFSET=1..3) and record, per offset, which check cells held
# and the figures the notebook records (record_figure). NB=notebooks/02_lstm_gates.ipynb for one; results in
# docs/seed_check.json and the README.
SEEDS ?= 3
seed-check: $(STAMP)
	$(BIN)/python -m scripts.seed_check --seeds $(SEEDS) $(if $(filter command line,$(origin NB)),$(NB),)

# List the numbers in the notebooks' prose that no output, code, references cell or seed-check figure backs
# (what tests/test_prose_numbers.py enforces). NB=... for some notebooks only.
prose-check: $(STAMP)
	$(BIN)/python -m scripts.prose_numbers $(if $(filter command line,$(origin NB)),$(NB),)

clean-venv:
	rm -rf $(VENV)

# The newest releases of the course's main libraries (tensorflow-cpu, keras, numpy, pandas, scikit-learn, matplotlib,
# jupyterlab, nbval...) in a throwaway venv (scratch/canary/), running the unit tests and every notebook; the report,
# with the versions tried and the first error of each failure, goes to docs/canary.md. Needs the network, takes long,
# and is not part of `make test` or CI: run it monthly and before a workshop. CANARY_ARGS="--notebooks N ..." for some.
CANARY_ARGS ?=
canary:
	$(check_python)
	$(PYTHON) -m scripts.canary --python $(PYTHON) $(CANARY_ARGS)

# ---- The server for the room (issue 19; docs/workshop.md, "server for the room"). JupyterHub and the single-user
# servers live in their own hub/.venv (pinned in hub/requirements.txt + hub/constraints.txt), the proxy in
# hub/node_modules (hub/package-lock.json); the learners' kernels run this clone's .venv. Not part of `make install`.
HUB_BIN := hub/.venv/bin
HUB_STAMP := hub/.venv/.installed
HUB_LAB_OVERRIDES := hub/.venv/share/jupyter/lab/settings/overrides.json
.PHONY: hub-install hub hub-load-test hub-reset
$(HUB_STAMP): hub/requirements.txt hub/constraints.txt hub/package.json hub/package-lock.json
	$(check_python)
	$(PYTHON) -m venv hub/.venv
	$(HUB_BIN)/python -m pip install -q -r hub/requirements.txt -c hub/constraints.txt
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js and npm (apt-get install -y npm)"; exit 1; }
	cd hub && npm ci --no-audit --no-fund --loglevel=error
	touch $(HUB_STAMP)
$(HUB_LAB_OVERRIDES): lab-settings/overrides.json | $(HUB_STAMP)
	mkdir -p $(@D) && cp lab-settings/overrides.json $@
hub-install: $(STAMP) $(HUB_STAMP) $(HUB_LAB_OVERRIDES)
# Start the hub (Ctrl-C stops it and every learner's server). Settings: environment variables, see the config's top.
hub: hub-install
	COURSE_PYTHON=$(abspath $(BIN)/python) PYTHONPATH=$(CURDIR) $(HUB_BIN)/jupyterhub -f hub/jupyterhub_config.py
# N learners at once run HUB_NB through their own servers; results in docs/hub_load_test.json and docs/workshop.md.
HUB_N ?= 1 2 4 8
HUB_NB ?= notebooks/04_time_series_stocks_sales.ipynb
hub-load-test: hub-install
	$(HUB_BIN)/python -m scripts.hub_load_test --learners $(HUB_N) --notebook $(HUB_NB) --course-python $(BIN)/python --write
# Give one learner the course's notebooks back (their copy is kept beside): make hub-reset LEARNER=alice
COURSE_HUB_STATE ?= scratch/hub
hub-reset:
	@test -n "$(LEARNER)" || { echo "usage: make hub-reset LEARNER=name [COURSE_HUB_STATE=folder]"; exit 2; }
	$(HUB_BIN)/python hub/learner_home.py reset $(COURSE_HUB_STATE)/homes/$(LEARNER)
