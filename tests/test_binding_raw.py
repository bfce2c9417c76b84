"""pytee.teec: which libteec is loaded, and the raw GP functions it exposes.

The raw tests call the C functions directly, with the argument checks the
GP API and OP-TEE's libteec make before anything reaches the TEE.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pytee import teec
from pytee.constants import Origin, ParamType, Result

import test_ta_ids as ids

NEUTRAL_DIR = "/"
PROBE = (
    "import json; from pytee import teec; l = teec.load(); "
    "print(json.dumps([l.path, l.bundled, l.reason, teec.loaded() is l]))"
)


def load_in_child(env: dict[str, str]) -> tuple[str, bool, str, bool]:
    """What teec.load() chooses in a fresh interpreter with ``env``.

    It runs outside the source tree so that it imports the same pytee as
    this process (the source tree's may differ from an installed one).
    """
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=NEUTRAL_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    path, bundled, reason, same = json.loads(result.stdout)
    return path, bundled, reason, same


def child_env(**changes: str | None) -> dict[str, str]:
    env = dict(os.environ)
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


@pytest.mark.skipif(os.path.exists("/dev/tee0"), reason="a kernel TEE is present")
def test_without_a_kernel_tee_the_bundled_library_is_chosen() -> None:
    path, bundled, reason, same = load_in_child(child_env(PYTEE_LIBTEEC=None))
    assert Path(path) == teec.BUNDLED_LIBRARY
    assert bundled
    assert "/dev/tee0" in reason
    assert same  # loaded() reports the default choice


def test_environment_variable_wins() -> None:
    target = str(teec.BUNDLED_LIBRARY.resolve())
    path, bundled, reason, _ = load_in_child(child_env(PYTEE_LIBTEEC=target))
    assert path == target
    assert bundled
    assert "PYTEE_LIBTEEC" in reason


def test_environment_variable_naming_nothing_fails_instead_of_falling_back(
    tmp_path: Path,
) -> None:
    missing = str(tmp_path / "libteec.so.2")
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=NEUTRAL_DIR,
        env=child_env(PYTEE_LIBTEEC=missing),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode != 0
    assert "OSError" in result.stderr


def test_explicit_path_is_loaded_once_and_unpacks_as_a_triple() -> None:
    first = teec.load(teec.BUNDLED_LIBRARY)
    ffi, lib, path = first
    assert path == str(teec.BUNDLED_LIBRARY)
    assert lib is first.lib
    assert teec.load(str(teec.BUNDLED_LIBRARY)) is first
    assert ffi is teec.ffi
    assert first.bundled


def test_explicit_missing_path_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        teec.load(tmp_path / "nothing.so")


def test_is_bundled_tells_other_paths_apart(tmp_path: Path) -> None:
    assert teec.is_bundled(teec.BUNDLED_LIBRARY)
    assert not teec.is_bundled(tmp_path / "libteec.so.2")
    assert not teec.is_bundled("libteec.so.2")


def test_library_exports_the_nine_functions(library: teec.Library) -> None:
    for name in (
        "TEEC_InitializeContext",
        "TEEC_FinalizeContext",
        "TEEC_OpenSession",
        "TEEC_CloseSession",
        "TEEC_InvokeCommand",
        "TEEC_RegisterSharedMemory",
        "TEEC_AllocateSharedMemory",
        "TEEC_ReleaseSharedMemory",
        "TEEC_RequestCancellation",
    ):
        function = getattr(library.lib, name)
        assert library.ffi.typeof(function).kind == "function", name


def test_library_constants_equal_the_enums(library: teec.Library) -> None:
    for result in Result:
        assert getattr(library.lib, result.gp_name) == result
    assert library.lib.TEEC_MEMREF_PARTIAL_INOUT == ParamType.MEMREF_PARTIAL_INOUT


# --- raw GP semantics (argument checks made before the TEE is reached) ------


def test_initialize_context_refuses_null_context(library: teec.Library) -> None:
    ffi, lib, _ = library
    assert lib.TEEC_InitializeContext(ffi.NULL, ffi.NULL) == Result.BAD_PARAMETERS


def test_open_session_refuses_null_context_with_origin_api(
    library: teec.Library,
) -> None:
    ffi, lib, _ = library
    session = ffi.new("TEEC_Session *")
    uuid = ffi.new("TEEC_UUID *")
    origin = ffi.new("uint32_t *", 0xDEAD)
    result = lib.TEEC_OpenSession(
        ffi.NULL, session, uuid, 0, ffi.NULL, ffi.NULL, origin
    )
    assert result == Result.BAD_PARAMETERS
    assert origin[0] == Origin.API


def test_invoke_refuses_null_session_with_origin_api(library: teec.Library) -> None:
    ffi, lib, _ = library
    origin = ffi.new("uint32_t *", 0xDEAD)
    result = lib.TEEC_InvokeCommand(ffi.NULL, 0, ffi.NULL, origin)
    assert result == Result.BAD_PARAMETERS
    assert origin[0] == Origin.API


@pytest.fixture
def raw_context(library: teec.Library) -> Iterator[Any]:
    ffi, lib, _ = library
    context = ffi.new("TEEC_Context *")
    assert lib.TEEC_InitializeContext(ffi.NULL, context) == Result.SUCCESS
    yield context
    lib.TEEC_FinalizeContext(context)


@pytest.mark.parametrize("flags", [0, 4, 0x80000001])
def test_register_refuses_bad_flags(
    library: teec.Library, raw_context: Any, flags: int
) -> None:
    ffi, lib, _ = library
    backing = ffi.new("char[]", 16)
    shm = ffi.new("TEEC_SharedMemory *")
    shm.buffer = backing
    shm.size = 16
    shm.flags = flags
    assert lib.TEEC_RegisterSharedMemory(raw_context, shm) == Result.BAD_PARAMETERS


def test_register_refuses_null_buffer(library: teec.Library, raw_context: Any) -> None:
    ffi, lib, _ = library
    shm = ffi.new("TEEC_SharedMemory *")
    shm.size = 16
    shm.flags = 3
    assert lib.TEEC_RegisterSharedMemory(raw_context, shm) == Result.BAD_PARAMETERS


def test_release_of_a_never_registered_block_leaves_fd_0_open(
    library: teec.Library,
) -> None:
    """OP-TEE's libteec would close(0) here; pytee's must not."""
    ffi, lib, _ = library
    try:
        before = os.fstat(0)
    except OSError:  # run without stdin: put something on fd 0 to watch
        assert os.open(os.devnull, os.O_RDONLY) == 0
        before = os.fstat(0)
    lib.TEEC_ReleaseSharedMemory(ffi.new("TEEC_SharedMemory *"))
    after = os.fstat(0)
    assert (before.st_dev, before.st_ino) == (after.st_dev, after.st_ino)


@pytest.mark.parametrize("nibble", [0x4, 0x8, 0x9, 0xA, 0xB])
def test_invalid_parameter_type_is_refused_by_libteec(
    library: teec.Library, raw_context: Any, nibble: int
) -> None:
    ffi, lib, _ = library
    session = ffi.new("TEEC_Session *")
    uuid = ffi.new("TEEC_UUID *")
    octets = bytes.fromhex(ids.TA_TEST_UUID.replace("-", ""))
    uuid.timeLow = int.from_bytes(octets[0:4], "big")
    uuid.timeMid = int.from_bytes(octets[4:6], "big")
    uuid.timeHiAndVersion = int.from_bytes(octets[6:8], "big")
    uuid.clockSeqAndNode = list(octets[8:])
    origin = ffi.new("uint32_t *")
    opened = lib.TEEC_OpenSession(
        raw_context, session, uuid, 0, ffi.NULL, ffi.NULL, origin
    )
    assert opened == Result.SUCCESS
    try:
        operation = ffi.new("TEEC_Operation *")
        operation.paramTypes = nibble << 4
        result = lib.TEEC_InvokeCommand(
            session, ids.TA_TEST_CMD_NULL, operation, origin
        )
        assert result == Result.BAD_PARAMETERS
        assert origin[0] == Origin.API
    finally:
        lib.TEEC_CloseSession(session)
