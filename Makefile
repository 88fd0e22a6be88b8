# Every target creates .venv and installs requirements.txt first if needed, so a fresh clone
# needs only Python 3.11 and make.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The README's test command: unit tests + every notebook with nbval, two workers, one notebook each.
PYTEST_ARGS ?= -n 2 --dist loadfile

.PHONY: install lab test refresh bench flake-check lint clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	touch $(STAMP)

# Only the set-up (.venv + requirements), e.g. before running the tests with the network off.
install: $(STAMP)

# Start JupyterLab on the first notebook, with a kernel named after the course.
# Containers and lab machines often run as root, which JupyterLab refuses unless told.
LAB_ARGS ?= $(if $(filter 0,$(shell id -u)),--allow-root,)
lab: $(STAMP)
	$(BIN)/python -m ipykernel install --user --name lstm-course --display-name "Python (LSTM course)"
	$(BIN)/jupyter lab $(LAB_ARGS) notebooks/00_start_here.ipynb

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check course_utils tests scripts notebooks

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

clean-venv:
	rm -rf $(VENV)
