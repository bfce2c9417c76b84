"""A private software TEE for the whole test run.

Before any test runs, the runtime and data folders of teed are pointed at a
fresh temporary folder (``PYTEE_RUNTIME_DIR``, ``PYTEE_DATA_DIR``) and
``PYTEE_TA_PATH`` at the built test TAs and at ``ta_python/``, so the suite
neither sees nor disturbs a daemon the user runs.  At the end the daemon is
stopped with ``teed --stop`` and the run fails if any teed or TA host of
that runtime folder is still alive.

The test TA exists twice, in C (``csrc/ta/test*``) and in Python
(``ta_python/test*.py``), with the same commands and the same expectations:
the ``test_ta`` fixture (and ``session``, which uses it) runs a test once
with each, and its test ids say which (``[c]``, ``[python]``).

Tests marked ``software_tee`` are skipped when the library in use is not
pytee's own (for example OP-TEE's inside a QEMU guest); so are the Python
TA's, which only the software TEE can host.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pytee import teec
from pytee.client import Context, Session

import test_ta_ids as ids

_ROOT: Path | None = None
#: The Python TAs of the source tree, the twins of the C test TA among them.
PYTHON_TA_DIR = Path(__file__).resolve().parent.parent / "ta_python"


def _native_ta_dir() -> Path:
    return teec.NATIVE_DIR / "ta"


def pytest_configure(config: pytest.Config) -> None:
    global _ROOT
    _ROOT = Path(tempfile.mkdtemp(prefix="pytee-tests-"))
    os.environ["PYTEE_RUNTIME_DIR"] = str(_ROOT / "run")
    os.environ["PYTEE_DATA_DIR"] = str(_ROOT / "data")
    # The built C TAs, unless the caller names other folders; the Python TAs
    # in any case.
    folders = os.environ.get("PYTEE_TA_PATH") or str(_native_ta_dir())
    if str(PYTHON_TA_DIR) not in folders.split(":"):
        folders += ":%s" % PYTHON_TA_DIR
    os.environ["PYTEE_TA_PATH"] = folders


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
    skip_python = pytest.mark.skip(reason="only pytee's software TEE hosts Python TAs")
    for item in items:
        if "software_tee" in item.keywords:
            item.add_marker(skip)
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("test_ta") == "python":
            item.add_marker(skip_python)


def runtime_dir() -> Path:
    return Path(os.environ["PYTEE_RUNTIME_DIR"])


#: How a Python TA host starts: ``<python> -m pytee.internal.host ...``.
PYTHON_HOST_ARGS = [b"-m", b"pytee.internal.host"]


def tee_role(proc: Path) -> str | None:
    """``"teed"``, ``"tahost"`` (a C or a Python TA host) or ``None`` for the
    process of ``/proc/<pid>``; raises OSError if it cannot be read."""
    name = (proc / "comm").read_text().strip()
    if name in ("teed", "tahost"):
        return name
    if (proc / "cmdline").read_bytes().split(b"\0")[1:3] == PYTHON_HOST_ARGS:
        return "tahost"
    return None


def tee_processes(runtime: Path) -> list[tuple[int, str]]:
    """Live teed and TA host processes whose environment names ``runtime``,
    with their role (``"teed"`` or ``"tahost"``)."""
    marker = b"PYTEE_RUNTIME_DIR=" + os.fsencode(str(runtime))
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            name = tee_role(entry)
            if name is None:
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


@dataclass(frozen=True)
class TestTA:
    """One implementation of the test TA: the UUIDs of its four builds, which
    differ only in their instance flags (csrc/ta/test/include/test_ta.h)."""

    __test__ = False  # not a test class, for the modules that import it

    language: str  # "c" or "python"
    uuid: str  # one instance per session
    single: str  # single instance, single session
    multi: str  # single instance, multi-session
    keepalive: str  # single instance, multi-session, keep-alive

    def build(self, name: str) -> str:
        """The UUID of build ``"test"``, ``"single"``, ``"multi"`` or
        ``"keepalive"``."""
        return self.uuid if name == "test" else str(getattr(self, name))


TEST_TAS = {
    "c": TestTA(
        "c",
        ids.TA_TEST_UUID,
        ids.TA_TEST_SINGLE_UUID,
        ids.TA_TEST_MULTI_UUID,
        ids.TA_TEST_KEEPALIVE_UUID,
    ),
    "python": TestTA(
        "python",
        ids.TA_TEST_PY_UUID,
        ids.TA_TEST_PY_SINGLE_UUID,
        ids.TA_TEST_PY_MULTI_UUID,
        ids.TA_TEST_PY_KEEPALIVE_UUID,
    ),
}


@pytest.fixture(scope="session", params=sorted(TEST_TAS))
def test_ta(request: pytest.FixtureRequest) -> TestTA:
    """The test TA in C, then in Python: a test that uses it runs with each."""
    return TEST_TAS[request.param]


@pytest.fixture
def session(context: Context, test_ta: TestTA) -> Iterator[Session]:
    """A session on the test TA (its build with one instance per session)."""
    with context.open_session(test_ta.uuid) as opened:
        yield opened
