"""A C client built like an OP-TEE host program passes against the software TEE.

``tests/c/client_check.c`` is compiled with gcc against the TEEC export of
the dev kit (``-I$TEEC_EXPORT/include -L$TEEC_EXPORT/lib -lteec``, as an
OP-TEE host Makefile does) and run against the test TA with its own runtime
and data folders, so that it starts and stops a daemon of its own.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from pytee import teec

pytestmark = pytest.mark.software_tee

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tests" / "c" / "client_check.c"
TEST_TA_INCLUDE = ROOT / "csrc" / "ta" / "test" / "include"
CFLAGS = ["-std=c11", "-O2", "-Wall", "-Wextra", "-Werror"]
SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed$")


def _is_tree(folder: Path) -> bool:
    return all(
        (folder / part).exists()
        for part in (
            "devkit/teec/include/tee_client_api.h",
            "devkit/teec/lib",
            "lib/libteec.so.2",
            "libexec/teed",
            "ta",
        )
    )


def native_tree() -> Path:
    """The software TEE the Python tests use: the tree of ``$PYTEE_LIBTEEC``,
    else the one bundled with pytee, else ``csrc/build`` of this checkout."""
    candidates = []
    explicit = os.environ.get(teec.ENV_LIBTEEC)
    if explicit and os.sep in explicit:
        candidates.append(Path(explicit).resolve().parent.parent)
    candidates += [teec.NATIVE_DIR, ROOT / "csrc" / "build"]
    for folder in candidates:
        if _is_tree(folder):
            return folder.resolve()
    pytest.fail(
        "no built software TEE (lib/, libexec/teed, ta/, devkit/teec/) in any"
        " of %s; build pytee first" % ", ".join(str(c) for c in candidates)
    )


@pytest.fixture
def isolated_env(native: Path) -> Iterator[dict[str, str]]:
    """Fresh runtime and data folders; the daemon started there is stopped."""
    runtime = Path(tempfile.mkdtemp(prefix="pytee-c-run-"))
    data = Path(tempfile.mkdtemp(prefix="pytee-c-data-"))
    env = dict(os.environ)
    env["PYTEE_RUNTIME_DIR"] = str(runtime)
    env["PYTEE_DATA_DIR"] = str(data)
    env["PYTEE_TA_PATH"] = str(native / "ta")
    library_path = env.get("LD_LIBRARY_PATH")
    # As a user of the export would run it: its lib/ on the library path.
    env["LD_LIBRARY_PATH"] = os.pathsep.join(
        filter(None, [str(native / "devkit" / "teec" / "lib"), library_path])
    )
    try:
        yield env
    finally:
        subprocess.run(
            [str(native / "libexec" / "teed"), "--stop"],
            env=env,
            capture_output=True,
            timeout=30,
            check=False,
        )
        shutil.rmtree(runtime, ignore_errors=True)
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture
def native() -> Path:
    return native_tree()


@pytest.fixture
def gcc() -> str:
    found = shutil.which("gcc")
    if found is None:
        pytest.skip("gcc not found: the C client cannot be built")
    return found


def test_c_client_built_against_teec_export_passes_every_check(
    gcc: str, native: Path, isolated_env: dict[str, str], tmp_path: Path
) -> None:
    export = native / "devkit" / "teec"
    program = tmp_path / "client_check"
    build = subprocess.run(
        [
            gcc,
            *CFLAGS,
            "-I%s" % (export / "include"),
            "-I%s" % TEST_TA_INCLUDE,
            "-o",
            str(program),
            str(SOURCE),
            "-L%s" % (export / "lib"),
            "-lteec",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, "gcc failed:\n%s%s" % (build.stdout, build.stderr)

    run = subprocess.run(
        [str(program)],
        env=isolated_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = "%s%s" % (run.stdout, run.stderr)
    lines = run.stdout.strip().splitlines()
    summary = SUMMARY.match(lines[-1]) if lines else None
    assert run.returncode == 0, "client_check exited %d:\n%s" % (
        run.returncode,
        output,
    )
    assert summary is not None, "no summary line:\n%s" % output
    assert int(summary.group(2)) == 0, output
    assert int(summary.group(1)) > 0, output
