#!/usr/bin/env bash
# On a fresh Debian/Ubuntu machine: install what is missing, install pytee
# in a virtual environment, and run the payment demo on the software TEE:
# enrolment, a top-up and a purchase, step by step (pytee pay demo).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q '.[payment]'
.venv/bin/pytee pay demo  # the installed command: ./pytee is the uninstalled source
