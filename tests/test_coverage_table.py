"""docs/internal-api-coverage.md is what tests/coverage_table.py makes now."""

from __future__ import annotations

import shutil

import coverage_table
import pytest

from pytee import teec


@pytest.mark.software_tee
def test_the_committed_coverage_table_is_current() -> None:
    if shutil.which("nm") is None:
        pytest.skip("nm (binutils) is not installed")
    libtee = teec.NATIVE_DIR / "lib" / "libtee.so"
    expected = coverage_table.table(libtee)
    assert coverage_table.TABLE.read_text() == expected, (
        "docs/internal-api-coverage.md is stale: "
        "run python tests/coverage_table.py --write"
    )


def test_every_declared_function_is_listed() -> None:
    names = coverage_table.declared_functions()
    assert "TEE_OpenPersistentObject" in names
    assert "TEE_BigIntExpMod" in names
    assert "TA_InvokeCommandEntryPoint" in names
    assert "TEE_TUIDisplayScreen" in names
    # Macros are not functions.
    assert "TEE_PARAM_TYPES" not in names
