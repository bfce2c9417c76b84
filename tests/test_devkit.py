"""The dev kits as a user uses them, on the sample in ``tests/samples/hello``.

The sample is laid out like an OP-TEE example: ``ta/`` (``Makefile`` with
``BINARY=<uuid>`` and ``-include $(TA_DEV_KIT_DIR)/mk/ta_dev_kit.mk``,
``sub.mk``, ``user_ta_header_defines.h``, ``include/hello_ta.h``,
``hello_ta.c``) and ``host/`` (an OP-TEE host ``Makefile`` and a C client).
Each test copies it to a temporary folder and runs the commands an OP-TEE
user types, with the folders that ``pytee devkit ta`` and ``pytee devkit
teec`` print:

    make -C ta TA_DEV_KIT_DIR=$(pytee devkit ta) O=<out>
    make -C host TEEC_EXPORT=$(pytee devkit teec)
    PYTEE_TA_PATH=<out> LD_LIBRARY_PATH=<export>/lib host/optee_example_hello

Clients run against a TEE of their own (:class:`tee_helpers.IsolatedTee`)
whose only TA folder is ``<out>``.
"""

from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from tee_helpers import IsolatedTee, hosts_of, ta_log, wait_until

pytestmark = pytest.mark.software_tee

SAMPLE = Path(__file__).resolve().parent / "samples" / "hello"

# From tests/samples/hello/ta/include/hello_ta.h.
HELLO_UUID = "ec097199-59e5-4bbf-8060-064e1e0b664a"
CMD_INC_VALUE = 0
CMD_GET_ANSWER = 2
GREETING = "hello from the pytee sample TA"
ANSWER = 42

TA_SO = "%s.ta.so" % HELLO_UUID
# What OP-TEE users put on the TA make command line (build.git, optee_docs);
# the host dev kit must accept and ignore them.
OPTEE_VARIABLES = ["CROSS_COMPILE=aarch64-linux-gnu-", "PLATFORM=vexpress-qemu_armv8a"]
# Variables of the caller's environment that would change what make does.
MAKE_ENV_NOISE = ("TA_DEV_KIT_DIR", "TEEC_EXPORT", "CROSS_COMPILE", "O", "MAKEFLAGS")


def pytee_command() -> list[str]:
    """The ``pytee`` command of this Python environment."""
    script = Path(sys.executable).parent / "pytee"
    if os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "pytee"]


def devkit(kit: str) -> Path:
    """What ``pytee devkit <kit>`` prints, checked to be one absolute path."""
    done = subprocess.run(
        [*pytee_command(), "devkit", kit],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1, done.stdout
    folder = Path(lines[0])
    assert folder.is_absolute(), folder
    return folder


def make_env(changes: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in MAKE_ENV_NOISE}
    env.update(changes or {})
    return env


def make(
    folder: Path, *args: str, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "-C", str(folder), *args],
        env=dict(env) if env is not None else make_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def files_below(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def copy_sample(dest: Path) -> Path:
    copy = dest / "hello"
    shutil.copytree(SAMPLE, copy)
    return copy


def elf_machine(path: Path) -> int:
    """e_machine of a little-endian ELF file."""
    head = path.read_bytes()[:20]
    assert head[:4] == b"\x7fELF", path
    return int.from_bytes(head[18:20], "little")


@pytest.fixture(scope="module", autouse=True)
def build_tools() -> None:
    for tool in ("make", "cc"):
        if shutil.which(tool) is None:
            pytest.skip("%s not found: the sample cannot be built" % tool)


@pytest.fixture(scope="module")
def ta_kit() -> Path:
    return devkit("ta")


@pytest.fixture(scope="module")
def teec_export() -> Path:
    return devkit("teec")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, ta_kit: Path) -> tuple[Path, Path]:
    """(sample copy, output folder) after the plain OP-TEE-style TA build."""
    root = tmp_path_factory.mktemp("devkit")
    sample = copy_sample(root)
    out = root / "out"
    done = make(sample / "ta", "TA_DEV_KIT_DIR=%s" % ta_kit, "O=%s" % out)
    assert done.returncode == 0, done.stdout + done.stderr
    return sample, out


@pytest.fixture
def isolated(built: tuple[Path, Path]) -> Iterator[IsolatedTee]:
    """A TEE of its own whose only TA folder is the sample's output."""
    tee = IsolatedTee({"PYTEE_TA_PATH": str(built[1])})
    try:
        yield tee
    finally:
        tee.close()


# -- (1) the folders ---------------------------------------------------------


def test_devkit_ta_prints_a_ta_dev_kit(ta_kit: Path) -> None:
    for name in (
        "mk/ta_dev_kit.mk",
        "src/user_ta_header.c",
        "include/tee_internal_api.h",
        "include/user_ta_header.h",
        "include/trace.h",
        "include/compiler.h",
        "lib/libtee.so",
    ):
        assert (ta_kit / name).is_file(), name


def test_devkit_teec_prints_an_optee_client_export(teec_export: Path) -> None:
    assert (teec_export / "include" / "tee_client_api.h").is_file()
    lib = teec_export / "lib"
    # As optee_client installs it: the link-time name and the SONAME, one
    # library (links in a build tree, copies once installed from a wheel).
    assert (lib / "libteec.so").is_file()
    assert (lib / "libteec.so.2").is_file()
    assert filecmp.cmp(lib / "libteec.so", lib / "libteec.so.2", shallow=False)


# -- (2) building the TA -------------------------------------------------------


def test_ta_builds_into_out_and_leaves_its_folder_clean(
    tmp_path: Path, ta_kit: Path
) -> None:
    sample = copy_sample(tmp_path)
    before = files_below(sample)
    out = tmp_path / "out"
    done = make(sample / "ta", "TA_DEV_KIT_DIR=%s" % ta_kit, "O=%s" % out)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (out / TA_SO).is_file()
    assert files_below(sample) == before


def test_ta_builds_with_the_variables_optee_users_pass(
    tmp_path: Path, ta_kit: Path
) -> None:
    sample = copy_sample(tmp_path)
    before = files_below(sample)
    out = tmp_path / "out"
    done = make(
        sample / "ta", *OPTEE_VARIABLES, "TA_DEV_KIT_DIR=%s" % ta_kit, "O=%s" % out
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # Built for this machine (the TA host loads it), not for CROSS_COMPILE's.
    assert elf_machine(out / TA_SO) == elf_machine(ta_kit / "lib" / "libtee.so")
    assert files_below(sample) == before


def test_ta_calling_an_undefined_function_fails_to_link(
    tmp_path: Path, ta_kit: Path
) -> None:
    sample = copy_sample(tmp_path)
    ta = sample / "ta"
    (ta / "missing.c").write_text(
        "void no_such_function(void);\n"
        "void call_missing(void);\n"
        "void call_missing(void) { no_such_function(); }\n"
    )
    with (ta / "sub.mk").open("a") as submk:
        submk.write("srcs-y += missing.c\n")
    out = tmp_path / "out"
    done = make(ta, "TA_DEV_KIT_DIR=%s" % ta_kit, "O=%s" % out)
    assert done.returncode != 0
    assert re.search(r"undefined reference to .no_such_function", done.stderr), (
        done.stderr
    )
    assert not (out / TA_SO).exists()


def test_clean_without_a_dev_kit_uses_the_fallback(tmp_path: Path) -> None:
    sample = copy_sample(tmp_path)
    done = make(sample / "ta", "clean")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "nothing to clean" in done.stdout


def test_clean_with_the_dev_kit_removes_the_outputs(
    tmp_path: Path, ta_kit: Path
) -> None:
    sample = copy_sample(tmp_path)
    out = tmp_path / "out"
    args = ("TA_DEV_KIT_DIR=%s" % ta_kit, "O=%s" % out)
    done = make(sample / "ta", *args)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (out / TA_SO).is_file()
    done = make(sample / "ta", *args, "clean")
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (out / TA_SO).exists()
    assert files_below(out) == set()


# -- (3) the C client ----------------------------------------------------------


def test_host_builds_against_the_export_and_runs(
    built: tuple[Path, Path], teec_export: Path, isolated: IsolatedTee
) -> None:
    sample, _ = built
    host = sample / "host"
    done = make(host, "TEEC_EXPORT=%s" % teec_export)
    assert done.returncode == 0, done.stdout + done.stderr
    env = dict(isolated.env)
    env["LD_LIBRARY_PATH"] = os.pathsep.join(
        filter(None, [str(teec_export / "lib"), env.get("LD_LIBRARY_PATH")])
    )
    run = subprocess.run(
        [str(host / "optee_example_hello")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines() == [
        "Invoking TA to increment 42",
        "TA incremented value to 43",
    ]
    assert isolated.teeds(), "the client started no daemon of its own"


# -- (4) the Python client -----------------------------------------------------

CLIENT = """\
with Context() as ctx:
    with ctx.open_session(%(uuid)r) as one, ctx.open_session(%(uuid)r) as two:
        (value,) = one.invoke(%(inc)d, ValueInOut(7, 0))
        (answer,) = two.invoke(%(answer)d, ValueOut())
        print(json.dumps([value.a, answer.a]), flush=True)
        sys.stdin.readline()  # sessions stay open until the test has looked
"""


def test_python_client_finds_the_ta_through_pytee_ta_path(
    isolated: IsolatedTee,
) -> None:
    code = CLIENT % {"uuid": HELLO_UUID, "inc": CMD_INC_VALUE, "answer": CMD_GET_ANSWER}
    proc = isolated.popen_client(code, stdin=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdin is not None
    try:
        first = proc.stdout.readline()
        # TA_FLAGS is TA_FLAG_EXEC_DDR (0): one instance per session.
        hosts = wait_until(lambda: len(hosts_of(HELLO_UUID, isolated.runtime)) == 2)
        proc.stdin.write("\n")
        proc.stdin.flush()
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, first + out + err
    # The value went through; the TA read its own TA_CURRENT_TA_EXT_PROPERTIES.
    assert json.loads(first) == [8, ANSWER]
    assert hosts, hosts_of(HELLO_UUID, isolated.runtime)

    # Written by the TA before each call returned.
    log = ta_log(HELLO_UUID, isolated.data).read_text().splitlines()
    assert log.count("I/TA: %s" % GREETING) == 2, log
    assert "I/TA: hello TA: value 7 -> 8" in log, log
