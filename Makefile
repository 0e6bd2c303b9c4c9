# The two commands of the README (both install what is missing first):
#   make demo   generate the demo data, train + evaluate the baseline, print
#               metrics and draw a ranked list
#   make test   run the test suite (tests/, the docstrings of mmreid/, and
#               projects/: each plugin's tests and docstrings)
PYTHON ?= python3
WORK_DIR ?= work_dirs/baseline_demo
CONFIG ?= configs/baseline/demo.py

.PHONY: install demo test

install:
	PYTHON=$(PYTHON) bash tools/misc/install_deps.sh

demo: install
	$(PYTHON) tools/misc/run_demo.py --config $(CONFIG) --work-dir $(WORK_DIR)

test: install
	$(PYTHON) -m pytest -q -p no:cacheprovider --timeout 900 tests mmreid projects
