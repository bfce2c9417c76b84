"""tests/storage_ta.py must say what storage_test_ta.h says.

The header is the source of truth for the storage test TAs' UUIDs, command
ids and constants; the Python mirror is written by hand.  These tests
compare every ``STORAGE_TEST_*`` definition both ways (with the header
parser of test_ta_ids_match.py) and check that each storage TA folder's
``BINARY`` is the UUID its ``user_ta_header_defines.h`` declares.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import storage_ta
from test_ta_ids_match import parse_defines

TA_DIR = Path(__file__).resolve().parent.parent / "csrc" / "ta"
HEADER = TA_DIR / "storage_test" / "include" / "storage_test_ta.h"
FOLDERS = {"storage_test": "STORAGE_TEST_UUID", "storage_test2": "STORAGE_TEST2_UUID"}


@pytest.fixture(scope="module")
def header() -> dict[str, Any]:
    return parse_defines(HEADER)


def test_the_header_is_parsed(header: dict[str, Any]) -> None:
    assert header["STORAGE_TEST_CMD_CREATE"] == 0
    assert header["STORAGE_TEST_UUID"] == "6b171deb-19c1-4d63-9532-22938a4b4db0"


def test_every_header_define_is_mirrored(header: dict[str, Any]) -> None:
    for name, value in header.items():
        if name.startswith("STORAGE_TEST_") and name != "STORAGE_TEST_TA_H":
            assert getattr(storage_ta, name, None) == value, name


def test_the_mirror_has_nothing_the_header_lacks(header: dict[str, Any]) -> None:
    extra = [
        n for n in vars(storage_ta) if n.startswith("STORAGE_TEST_") and n not in header
    ]
    assert extra == []


def test_command_ids_are_distinct(header: dict[str, Any]) -> None:
    commands = [v for n, v in header.items() if n.startswith("STORAGE_TEST_CMD_")]
    assert len(set(commands)) == len(commands)


@pytest.mark.parametrize("folder", sorted(FOLDERS))
def test_binary_is_the_ta_uuid(folder: str, header: dict[str, Any]) -> None:
    makefile = (TA_DIR / folder / "Makefile").read_text()
    binary = re.search(r"^\s*BINARY\s*:?=\s*(\S+)", makefile, flags=re.MULTILINE)
    assert binary is not None
    defines = (TA_DIR / folder / "user_ta_header_defines.h").read_text()
    assert re.search(r"#\s*define\s+TA_UUID\s+%s\b" % FOLDERS[folder], defines)
    assert header[FOLDERS[folder]] == binary.group(1)


def test_the_test_key_follows_the_header_formula(header: dict[str, Any]) -> None:
    mul, add = header["STORAGE_TEST_KEY_MUL"], header["STORAGE_TEST_KEY_ADD"]
    want = bytes((i * mul + add) & 0xFF for i in range(header["STORAGE_TEST_KEY_LEN"]))
    assert want == storage_ta.TEST_KEY
