"""Helpers for the tests of teed, the TA hosts and libtee.

* :class:`IsolatedTee`: a TEE of its own (runtime and data folders under a
  fresh short folder in ``/tmp``), driven by client subprocesses, so that a
  test can change the environment teed starts with without touching the
  suite's daemon.
* :class:`LogTail`: what a log file gained since a mark, with polling.
* process and file-descriptor probes over ``/proc``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pytee.cli import teed_path

from conftest import daemon_listening, tee_role

TEE_NAMES = ("teed", "tahost")

T = TypeVar("T")


def data_dir() -> Path:
    """The suite's data folder (set by conftest)."""
    return Path(os.environ["PYTEE_DATA_DIR"])


def ta_log(uuid: str, data: Path | None = None) -> Path:
    return (data or data_dir()) / "log" / ("%s.log" % uuid)


def teed_log(data: Path | None = None) -> Path:
    return (data or data_dir()) / "log" / "teed.log"


def wait_until(
    probe: Callable[[], T], timeout: float = 10.0, interval: float = 0.02
) -> T:
    """Call ``probe`` until it returns something true; return that, or the last
    (false) value once ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    value = probe()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = probe()
    return value


def processes_with_env(entry: str, names: tuple[str, ...] = TEE_NAMES) -> list[int]:
    """Live processes whose role (``teed`` or ``tahost``, C or Python TA host:
    see ``conftest.tee_role``) is in ``names`` and whose environment holds
    ``entry`` (``KEY=value``), sorted by pid."""
    marker = os.fsencode(entry)
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if tee_role(proc) not in names:
                continue
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
            if state in ("Z", "X"):
                continue
            environ = (proc / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if marker in environ:
            found.append(int(proc.name))
    return sorted(found)


def process_name(pid: int) -> str | None:
    try:
        return Path("/proc/%d/comm" % pid).read_text().strip()
    except OSError:
        return None


def alive(pid: int) -> bool:
    """Whether ``pid`` exists and is not a zombie."""
    try:
        state = Path("/proc/%d/stat" % pid).read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def cmdline(pid: int) -> list[str]:
    raw = Path("/proc/%d/cmdline" % pid).read_bytes()
    return [os.fsdecode(part) for part in raw.split(b"\0") if part]


def hosts_of(uuid: str, runtime: Path | None = None) -> set[int]:
    """Live TA hosts of the TA ``uuid`` in the suite's TEE (or ``runtime``'s).

    A host's last argument is the TA log teed gives it, ``<uuid>.log``, for
    a C TA and a Python TA alike."""
    folder = runtime or Path(os.environ["PYTEE_RUNTIME_DIR"])
    found = set()
    for pid in processes_with_env("PYTEE_RUNTIME_DIR=%s" % folder, ("tahost",)):
        try:
            argv = cmdline(pid)
        except OSError:
            continue
        if len(argv) > 1 and Path(argv[-1]).name == "%s.log" % uuid:
            found.add(pid)
    return found


def fd_count(pid: int) -> int:
    return len(os.listdir("/proc/%d/fd" % pid))


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


class LogTail:
    """The text a log file gains after the moment this object is made."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.offset = path.stat().st_size
        except FileNotFoundError:
            self.offset = 0

    def text(self) -> str:
        try:
            with self.path.open("rb") as log:
                log.seek(self.offset)
                return log.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def lines(self) -> list[str]:
        return self.text().splitlines()

    def wait_for(self, pattern: str, timeout: float = 10.0) -> re.Match[str] | None:
        """The first match of ``pattern`` (multiline) in the new text, waiting
        up to ``timeout`` seconds for it; ``None`` if it never shows up."""
        regex = re.compile(pattern, re.MULTILINE)
        return wait_until(lambda: regex.search(self.text()), timeout)


CLIENT_PRELUDE = """\
import json, os, sys, time
import pytee
from pytee import *
import test_ta_ids as ids
"""


class IsolatedTee:
    """A software TEE of its own, used through client subprocesses.

    ``env`` is the environment of its clients and of ``teed`` commands;
    ``marker`` (a ``KEY=value`` entry of that environment) finds its
    processes.  :meth:`close` stops its daemon and checks that nothing of
    it is left running.
    """

    def __init__(
        self,
        changes: Mapping[str, str | None] | None = None,
        *,
        marker_key: str = "PYTEE_RUNTIME_DIR",
    ) -> None:
        # Short: the socket path must fit in sun_path (108 bytes).
        self.root = Path(tempfile.mkdtemp(prefix="pt-", dir="/tmp"))
        self.runtime = self.root / "run"
        self.data = self.root / "data"
        env = dict(os.environ)
        env["PYTEE_RUNTIME_DIR"] = str(self.runtime)
        env["PYTEE_DATA_DIR"] = str(self.data)
        env["PYTHONPATH"] = os.pathsep.join(
            [str(Path(__file__).resolve().parent), env.get("PYTHONPATH", "")]
        ).rstrip(os.pathsep)
        for key, value in (changes or {}).items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        self.env = env
        self.marker_key = marker_key

    @property
    def marker(self) -> str:
        """The environment entry that tells this TEE's processes apart."""
        return "%s=%s" % (self.marker_key, self.env[self.marker_key])

    # -- clients ----------------------------------------------------------

    def popen_client(self, code: str, **kwargs: Any) -> subprocess.Popen[str]:
        script = CLIENT_PRELUDE + textwrap.dedent(code)
        return subprocess.Popen(
            [sys.executable, "-c", script],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            **kwargs,
        )

    def run_client(self, code: str, timeout: float = 60) -> Any:
        """Run ``code`` in a client subprocess; return the JSON it prints last.

        Fails the test when the client does not exit with status 0.
        """
        proc = self.popen_client(code)
        out, err = proc.communicate(timeout=timeout)
        assert proc.returncode == 0, "client failed (%d):\n%s\n%s" % (
            proc.returncode,
            out,
            err,
        )
        lines = out.strip().splitlines()
        return json.loads(lines[-1]) if lines else None

    def teed(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(teed_path()), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pytee.cli", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    # -- state ------------------------------------------------------------

    def processes(self, names: tuple[str, ...] = TEE_NAMES) -> list[int]:
        return processes_with_env(self.marker, names)

    def teeds(self) -> list[int]:
        return self.processes(("teed",))

    def tahosts(self) -> list[int]:
        return self.processes(("tahost",))

    def listening(self, runtime: Path | None = None) -> bool:
        return daemon_listening(runtime or self.runtime)

    # -- end --------------------------------------------------------------

    def stop(self) -> None:
        """Stop the daemon (if any) and wait until none of its processes is left."""
        self.teed("--stop")
        left = wait_until(lambda: not self.processes(), timeout=10)
        if not left:
            for pid in self.processes():  # last resort: never leak processes
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, 9)
            raise AssertionError("processes left after teed --stop: %s" % self.marker)

    def close(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
