"""A private software TEE for the whole test run.

Before any test runs, the runtime and data folders of teed are pointed at a
fresh temporary folder (``PYTEE_RUNTIME_DIR``, ``PYTEE_DATA_DIR``) and
``PYTEE_TA_PATH`` at the built test TAs, so the suite neither sees nor
disturbs a daemon the user runs.  At the end the daemon is stopped with
``teed --stop`` and the run fails if any teed or TA host of that runtime
folder is still alive.

Tests marked ``software_tee`` are skipped when the library in use is not
pytee's own (for example OP-TEE's inside a QEMU guest).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pytee import teec
from pytee.client import Context, Session

import test_ta_ids as ids

_ROOT: Path | None = None


def _native_ta_dir() -> Path:
    return teec.NATIVE_DIR / "ta"


def pytest_configure(config: pytest.Config) -> None:
    global _ROOT
    _ROOT = Path(tempfile.mkdtemp(prefix="pytee-tests-"))
    os.environ["PYTEE_RUNTIME_DIR"] = str(_ROOT / "run")
    os.environ["PYTEE_DATA_DIR"] = str(_ROOT / "data")
    os.environ.setdefault("PYTEE_TA_PATH", str(_native_ta_dir()))


def pytest_unconfigure(config: pytest.Config) -> None:
    if _ROOT is not None:
        shutil.rmtree(_ROOT, ignore_errors=True)


def _uses_software_tee() -> bool:
    try:
        library = teec.load()
    except OSError:
        return True  # nothing loads: let the tests fail loudly, not skip
    return library.bundled or bool(os.environ.get(teec.ENV_LIBTEEC))


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    if _uses_software_tee():
        return
    skip = pytest.mark.skip(reason="needs pytee's software TEE, not a kernel TEE")
    for item in items:
        if "software_tee" in item.keywords:
            item.add_marker(skip)


def runtime_dir() -> Path:
    return Path(os.environ["PYTEE_RUNTIME_DIR"])


def tee_processes(runtime: Path) -> list[tuple[int, str]]:
    """Live teed and tahost processes whose environment names ``runtime``."""
    marker = b"PYTEE_RUNTIME_DIR=" + os.fsencode(str(runtime))
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            name = (entry / "comm").read_text().strip()
            if name not in ("teed", "tahost"):
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            if state in ("Z", "X"):
                continue  # already dead, waiting to be reaped
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue  # exited meanwhile, or not ours to read
        if marker in environ:
            found.append((int(entry.name), name))
    return found


def daemon_listening(runtime: Path) -> bool:
    """Whether something accepts connections on the runtime's teed.sock."""
    path = runtime / "teed.sock"
    if not path.exists():
        return False
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        sock.connect(str(path))
    except OSError:
        return False
    finally:
        sock.close()
    return True


def stop_daemon() -> subprocess.CompletedProcess[str]:
    from pytee.cli import teed_path

    return subprocess.run(
        [str(teed_path()), "--stop"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


@pytest.fixture(scope="session", autouse=True)
def private_tee() -> Iterator[Path]:
    """The run's runtime folder; stops its daemon and checks nothing is left."""
    runtime = runtime_dir()
    yield runtime
    if not _uses_software_tee():
        return
    stopped = stop_daemon()
    deadline = time.monotonic() + 10
    left = tee_processes(runtime)
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = tee_processes(runtime)
    assert not left, "still running after teed --stop (%s): %r" % (
        (stopped.stdout + stopped.stderr).strip(),
        left,
    )
    assert not daemon_listening(runtime), "teed.sock still accepts connections"


@pytest.fixture
def library() -> teec.Library:
    return teec.load()


@pytest.fixture
def context() -> Iterator[Context]:
    with Context() as ctx:
        yield ctx


@pytest.fixture
def session(context: Context) -> Iterator[Session]:
    with context.open_session(ids.TA_TEST_UUID) as opened:
        yield opened
