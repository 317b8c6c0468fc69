# The two set-up commands of the README: `make book` and `make test`.
# Both create .venv if it is missing and install requirements.txt into it.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BUILD  ?= _build
# Notebook kernels turn numpy's RuntimeWarnings (overflow, divide by zero, invalid) into errors too.
export PYTHONWARNINGS := error::RuntimeWarning
# ... and send each cell's printed output in one piece (see the file), so builds repeat.
export PYTHONSTARTUP := $(CURDIR)/book/_ext/kernel_startup.py
# The book's matrices are small: one BLAS thread does them faster than two that hand work
# back and forth, and a busy machine no longer slows a build several times over. (The
# benchmarks set their own thread counts.)
export OPENBLAS_NUM_THREADS ?= 1

.PHONY: help venv book pdf pdf-test print-tex-packages fresh-cache test lab lab-test clean browser-test check-reproducible build-report
# (`book` is also a folder: without .PHONY, make would call it up to date.)

help:
	@echo "make book   build the HTML book into $(BUILD)/html (warnings are errors)"
	@echo "make test   unit tests and every chapter notebook (nbval), in one pytest run"
	@echo "make lab    open the book in JupyterLab, widgets live"
	@echo "make pdf    build the PDF edition into $(BUILD)/pdf/book.pdf (needs XeLaTeX)"
	@echo "make clean  remove build outputs and caches (keeps .venv)"
	@echo "make browser-test        build the book, then read every page in Chromium, offline"
	@echo "make lab-test            run every chapter in JupyterLab, in Chromium (MyST rendered, widgets live)"
	@echo "make pdf-test            build the PDF edition, then check it (text, fonts, pages)"
	@echo "make check-reproducible  two cold builds must print identical text outputs"
	@echo "make build-report        cold and cached build times, and every page's weight"

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

venv: $(STAMP)

book: $(STAMP) fresh-cache
	@# The notebooks that the cache lacks, two at a time (the build would run them one by one).
	$(BIN)/python scripts/execute_book.py $(BUILD)/.jupyter_cache
	$(BIN)/jupyter-book build . --path-output $(BUILD)/.. -W -n --keep-going
	@echo
	@echo "The book is at: file://$(abspath $(BUILD))/html/index.html"

# The PDF edition: Sphinx's LaTeX builder, typeset by XeLaTeX (latexmk) into
# $(BUILD)/pdf/book.pdf. It shares the execution cache with `make book`.
TEX_PACKAGES := texlive-xetex texlive-latex-extra texlive-fonts-recommended texlive-lang-chinese \
                latexmk fonts-wqy-zenhei fonts-dejavu-core poppler-utils
print-tex-packages:
	@echo $(TEX_PACKAGES)

pdf: $(STAMP) fresh-cache
	@command -v xelatex >/dev/null && command -v latexmk >/dev/null || { \
	  echo "make pdf needs XeLaTeX and latexmk, from Debian's packages:"; \
	  echo "  apt-get install --no-install-recommends $(TEX_PACKAGES)"; exit 1; }
	$(BIN)/python scripts/execute_book.py $(BUILD)/.jupyter_cache
	$(BIN)/jupyter-book build . --builder latex --path-output $(BUILD)/.. -W -n --keep-going
	$(MAKE) -C $(BUILD)/latex all-pdf LATEXMKOPTS="-interaction=nonstopmode -halt-on-error -silent"
	@mkdir -p $(BUILD)/pdf && cp $(BUILD)/latex/book.pdf $(BUILD)/pdf/book.pdf
	@echo
	@echo "The PDF edition is at: $(abspath $(BUILD))/pdf/book.pdf"

# The PDF, built and then read back: titles, references, fonts, page count, pages as PNG.
# Its equation numbers are compared with the HTML book's, so it builds that too.
pdf-test: book pdf
	NNBOOK_PDF=$(BUILD)/pdf/book.pdf NNBOOK_HTML=$(BUILD)/html $(BIN)/python -m pytest tests/pdf

fresh-cache:
	@# jupyter-cache keys on code cells only: re-execute everything when nnlib changes.
	@# Sphinx re-reads only notebooks whose source changed, and keeps their old outputs
	@# in .doctrees: clear that too, or an emptied cache is never used (stale pages).
	@mkdir -p $(BUILD)
	@new=$$(cat nnlib/*.py pyproject.toml | sha256sum | cut -c1-16); \
	 old=$$(cat $(BUILD)/.nnlib-hash 2>/dev/null); \
	 if [ "$$new" != "$$old" ]; then \
	   [ -z "$$old" ] || echo "nnlib changed: clearing the execution cache"; \
	   rm -rf $(BUILD)/.jupyter_cache $(BUILD)/.doctrees $(BUILD)/jupyter_execute; \
	   echo $$new > $(BUILD)/.nnlib-hash; fi
	@# The same for the book's Sphinx extension (it shapes every page), minus re-execution.
	@new=$$(cat book/_ext/*.py book/_ext/latex/* | sha256sum | cut -c1-16); \
	 if [ "$$new" != "$$(cat $(BUILD)/.ext-hash 2>/dev/null)" ]; then \
	   rm -rf $(BUILD)/.doctrees; echo $$new > $(BUILD)/.ext-hash; fi

test: $(STAMP)
	$(BIN)/python -m pytest

# make lab LAB_ROOT=. opens the repository root (nnlib/ browsable beside book/);
# make lab LAB_ARGS="--port 8890 --no-browser" passes options to JupyterLab.
LAB_ROOT ?= book/
LAB_ARGS ?=
lab: $(STAMP)
	@# The live widgets only: no precomputed frames while you explore.
	@# Printed output streams live (no kernel_startup.py): the build's one-piece rule is for repeatability.
	PYTHONSTARTUP= NNLIB_WIDGETS=live $(BIN)/jupyter lab $(LAB_ROOT) $(LAB_ARGS) $$([ "$$(id -u)" = 0 ] && echo --allow-root)

clean:
	rm -rf _build .pytest_cache .hypothesis
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
	find . -name .ipynb_checkpoints -not -path './$(VENV)/*' -prune -exec rm -rf {} +

# The published book, checked in a browser: every page of $(BUILD)/html served from
# 127.0.0.1 and read by Debian's Chromium (/usr/bin/chromium; skipped if it is missing).
# axe-core (the accessibility audit) is installed from tests/browser/package-lock.json,
# with npm, into tests/browser/node_modules (git-ignored) when it is missing.
browser-test: book
	test -f tests/browser/node_modules/axe-core/axe.min.js || npm ci --prefix tests/browser --no-audit --no-fund
	NNBOOK_HTML=$(BUILD)/html $(BIN)/python -m pytest tests/browser

# The chapters as `make lab` shows them: JupyterLab, on a temporary copy of book/, read by
# Debian's Chromium; every chapter run, its MyST rendered, its live figures moved by keyboard.
lab-test: $(STAMP)
	$(BIN)/python -m pytest tests/lab

check-reproducible: $(STAMP)
	$(BIN)/python scripts/check_reproducible.py

build-report: $(STAMP)
	$(BIN)/python scripts/build_report.py
