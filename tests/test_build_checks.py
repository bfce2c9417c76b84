"""The build stops with one line naming the package to install.

``setup.py`` checks for make, a C compiler and the OpenSSL headers before
building anything; these tests run that check with each one missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CHECK = """
import runpy, sys
sys.argv = ["setup.py"]
setup = runpy.run_path(%r, run_name="pytee_setup")
setup["check_toolchain"]()
print("toolchain ok")
""" % str(ROOT / "setup.py")


def run_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHECK],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def bin_dir_with(tmp_path: Path, *tools: str) -> Path:
    """A folder holding links to just the named tools."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in tools:
        found = shutil.which(tool)
        if found is None:
            pytest.skip("%s is not installed" % tool)
        (folder / tool).symlink_to(found)
    return folder


def test_the_check_passes_on_this_machine() -> None:
    result = run_check(dict(os.environ))
    assert result.returncode == 0, result.stderr
    assert "toolchain ok" in result.stdout


def test_a_missing_make_names_the_package(tmp_path: Path) -> None:
    env = dict(os.environ, PATH=str(bin_dir_with(tmp_path, "gcc")))
    result = run_check(env)
    assert result.returncode != 0
    assert result.stderr.strip() == "pytee: make not found: apt-get install make"


def test_a_missing_compiler_names_the_package(tmp_path: Path) -> None:
    env = dict(os.environ, PATH=str(bin_dir_with(tmp_path, "make")))
    env.pop("CC", None)
    result = run_check(env)
    assert result.returncode != 0
    assert result.stderr.strip() == "pytee: C compiler not found: apt-get install gcc"


def test_missing_openssl_headers_name_the_package(tmp_path: Path) -> None:
    # A compiler that cannot see /usr/include/openssl: gcc with an empty sysroot.
    sysroot = tmp_path / "sysroot"
    (sysroot / "usr" / "include").mkdir(parents=True)
    env = dict(os.environ, CC="gcc --sysroot=%s" % sysroot)
    env["PKG_CONFIG_PATH"] = str(tmp_path / "nothing")
    result = run_check(env)
    assert result.returncode != 0
    assert (
        result.stderr.strip()
        == "pytee: OpenSSL headers not found: apt-get install libssl-dev"
    )
