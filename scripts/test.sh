#!/usr/bin/env bash
# On a fresh Debian/Ubuntu machine: install what is missing, then run
# pytee's tests: the suite, the suite again with the C parts built under
# ASan and UBSan, and the linters; short runs of the fuzzer and of the
# payment soak (crashes at random moments).  `.ci/run` runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]' tox
.venv/bin/python -m pytest -q
.venv/bin/python -m tox -q -e fuzz -- 20
PYTEE_SOAK_EXAMPLES=40 .venv/bin/python -m tox -q -e soak
.venv/bin/python -m tox -q -e sanitize,lint
