#!/usr/bin/env bash
# On a fresh Debian/Ubuntu machine: install what is missing, install pytee
# in a virtual environment, and run the demo client on the software TEE.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q .
.venv/bin/python examples/demo_client.py
