"""A software TEE of its own: folders, daemon and TA path for one test run,
one demo or one script (:class:`IsolatedTee`), without pytest.

:mod:`pytee.testing`, the pytest plugin, builds its fixtures on it; the
payment demo (``pytee pay demo``) runs in one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import uuid as uuid_module
import weakref
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, Union

if TYPE_CHECKING:
    from pytee.client import Context

__all__ = [
    "BuildTa",
    "IsolatedTee",
    "TaBuildError",
    "TeeLeftRunning",
    "tee_processes",
]

StrPath = Union[str, "os.PathLike[str]"]
MakeValue = Union[str, int, "os.PathLike[str]"]

#: The variables through which libteec, teed and the TA hosts find their
#: folders (docs/architecture.md).
ENV_RUNTIME_DIR = "PYTEE_RUNTIME_DIR"
ENV_DATA_DIR = "PYTEE_DATA_DIR"
ENV_TA_PATH = "PYTEE_TA_PATH"
_ENV_KEYS = (ENV_RUNTIME_DIR, ENV_DATA_DIR, ENV_TA_PATH)

_TEE_PROCESSES = ("teed", "tahost")
# sockaddr_un.sun_path holds 108 bytes with the final NUL.
_SUN_PATH_MAX = 107
_BUILD_TIMEOUT = 600.0
_OUTPUT_LINES = 120
_TA_FILE = re.compile(r"^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\.ta\.so$")
_MAKE_NAME = re.compile(r"^[^\s=:#]+$")


class TaBuildError(RuntimeError):
    """``make`` did not build a TA folder.

    ``command`` is the make command line, ``returncode`` its exit status
    (``None`` when make could not run or ran out of time) and ``output``
    what it printed, stdout and stderr interleaved.
    """

    def __init__(
        self, message: str, command: list[str], returncode: int | None, output: str
    ) -> None:
        super().__init__(message)
        self.command = command
        self.returncode = returncode
        self.output = output


class TeeLeftRunning(RuntimeError):
    """``teed`` or TA hosts outlived ``teed --stop`` (they were then killed)."""


class BuildTa(Protocol):
    """The type of the ``pytee_build_ta`` fixture."""

    def __call__(
        self, path: StrPath, out: StrPath | None = None, **make_vars: MakeValue
    ) -> Path: ...


def tee_processes(runtime_dir: StrPath) -> list[tuple[int, str]]:
    """Live ``teed`` and ``tahost`` processes of a runtime folder.

    A process belongs to a runtime folder when its environment names it
    (``PYTEE_RUNTIME_DIR=<folder>``): teed inherits the environment of the
    client that started it, and each TA host that of teed.  Returns
    ``(pid, name)`` pairs sorted by pid.
    """
    marker = os.fsencode("%s=%s" % (ENV_RUNTIME_DIR, os.fspath(runtime_dir)))
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            name = (entry / "comm").read_text().strip()
            if name not in _TEE_PROCESSES:
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            if state in ("Z", "X"):
                continue  # dead, waiting for its parent to reap it
            environ = (entry / "environ").read_bytes().split(b"\0")
        except (OSError, IndexError):
            continue  # exited meanwhile, or not ours to read
        if marker in environ:
            found.append((int(entry.name), name))
    return sorted(found)


def _uuid_text(uuid: str | uuid_module.UUID) -> str:
    return str(uuid if isinstance(uuid, uuid_module.UUID) else uuid_module.UUID(uuid))


def _ta_path_entry(path: Path) -> str:
    if ":" in str(path):
        raise ValueError(
            "%s cannot be on PYTEE_TA_PATH: its folders are separated by ':'" % path
        )
    return str(path)


def _make_argument(name: str, value: MakeValue) -> str:
    if not _MAKE_NAME.match(name):
        raise ValueError("not a make variable name: %r" % name)
    if name == "O":
        raise TypeError("give the output folder as out=, not O=")
    if isinstance(value, bool) or not isinstance(value, (str, int, os.PathLike)):
        raise TypeError(
            "make variable %s must be a str, int or path, not %s"
            % (name, type(value).__name__)
        )
    text = os.fspath(value) if isinstance(value, os.PathLike) else str(value)
    return "%s=%s" % (name, text)


def _tail(output: str) -> str:
    lines = output.rstrip("\n").splitlines()
    if len(lines) <= _OUTPUT_LINES:
        return "\n".join(lines)
    return "(%d earlier lines left out)\n%s" % (
        len(lines) - _OUTPUT_LINES,
        "\n".join(lines[-_OUTPUT_LINES:]),
    )


def _default_devkit() -> Path:
    """The host TA dev kit of the software TEE in use: the one beside teed."""
    from pytee.cli import teed_path

    return teed_path().resolve().parent.parent / "devkit" / "ta"


class IsolatedTee:
    """A software TEE of its own: runtime, data and TA folders, and a daemon.

    ``root`` is a folder for the TEE's data (``root/data``: logs, trusted
    storage), its TA folder (``root/ta``) and TA builds (``root/build``);
    it is kept after :meth:`close` so that logs can be read after a failed
    run.  The runtime folder (socket and locks) is a new folder in the
    temporary folder (kept short: a socket path has at most 107 bytes) and
    is removed by :meth:`close`.  ``ta_path`` lists folders of prebuilt TAs.

    Nothing changes for the process until the object is entered as a
    context manager: then the three ``PYTEE_*`` folder variables of the
    process environment point at this TEE, and the first
    :class:`pytee.Context` starts its daemon.  Leaving (or :meth:`close`)
    closes the contexts made by :meth:`context`, stops the daemon, checks
    that none of its processes is left and restores the environment.
    """

    def __init__(
        self,
        root: StrPath,
        ta_path: Iterable[StrPath] = (),
        *,
        devkit: StrPath | None = None,
    ) -> None:
        self.root = Path(root).resolve()
        self.data_dir = self.root / "data"
        self.ta_dir = self.root / "ta"
        self.build_dir = self.root / "build"
        for folder in (self.root, self.data_dir, self.ta_dir, self.build_dir):
            folder.mkdir(mode=0o700, exist_ok=True)
        self._extra_ta_path = [
            _ta_path_entry(Path(folder).resolve()) for folder in ta_path
        ]
        self._devkit = Path(devkit).resolve() if devkit is not None else None
        self.runtime_dir = Path(tempfile.mkdtemp(prefix="pytee-run-")).resolve()
        socket_path = self.runtime_dir / "teed.sock"
        if len(os.fsencode(str(socket_path))) > _SUN_PATH_MAX:
            self.runtime_dir.rmdir()
            raise ValueError(
                "the daemon socket %s would be longer than %d bytes; set TMPDIR"
                " to a shorter folder" % (socket_path, _SUN_PATH_MAX)
            )
        #: Seconds :meth:`stop` waits for the processes to end.
        self.stop_timeout = 10.0
        self._saved_env: dict[str, str | None] | None = None
        self._contexts: weakref.WeakSet[Context] = weakref.WeakSet()

    # -- environment -------------------------------------------------------

    @property
    def ta_path(self) -> tuple[Path, ...]:
        """The folders of ``PYTEE_TA_PATH``, in search order."""
        return (self.ta_dir, *(Path(folder) for folder in self._extra_ta_path))

    @property
    def environment(self) -> dict[str, str]:
        """The ``PYTEE_*`` folder variables of this TEE."""
        return {
            ENV_RUNTIME_DIR: str(self.runtime_dir),
            ENV_DATA_DIR: str(self.data_dir),
            ENV_TA_PATH: ":".join(str(folder) for folder in self.ta_path),
        }

    @property
    def active(self) -> bool:
        """Whether the process environment points at this TEE."""
        return self._saved_env is not None

    def __enter__(self) -> IsolatedTee:
        if self._saved_env is not None:
            raise RuntimeError("this IsolatedTee is already active")
        self._saved_env = {key: os.environ.get(key) for key in _ENV_KEYS}
        os.environ.update(self.environment)
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.close()

    def _restore_environment(self) -> None:
        saved, self._saved_env = self._saved_env, None
        for key, value in (saved or {}).items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value

    def _require_active(self) -> None:
        if self._saved_env is None:
            raise RuntimeError(
                "this IsolatedTee is not active: use it in a `with` block"
            )

    # -- clients -----------------------------------------------------------

    def context(self) -> Context:
        """A new :class:`pytee.Context` on this TEE (starts the daemon if needed).

        Close it yourself, or leave it to :meth:`close`.
        """
        from pytee.client import Context

        self._require_active()
        ctx = Context()
        self._contexts.add(ctx)
        return ctx

    def add_ta_path(self, folder: StrPath) -> None:
        """Append ``folder`` (prebuilt ``<uuid>.ta.so`` files) to the TA path.

        A running daemon is restarted to read the new TA path, after the
        contexts made by :meth:`context` are closed: open those after the
        TA path is complete.  :meth:`build_ta` needs no restart.
        """
        text = _ta_path_entry(Path(folder).resolve())
        if text in self._extra_ta_path:
            return
        if self.processes():
            self._close_contexts()
            self.stop()
        self._extra_ta_path.append(text)
        if self.active:
            os.environ[ENV_TA_PATH] = self.environment[ENV_TA_PATH]

    # -- building TAs ------------------------------------------------------

    @property
    def devkit(self) -> Path:
        """The host TA dev kit (``TA_DEV_KIT_DIR``): that of the teed in use."""
        return self._devkit if self._devkit is not None else _default_devkit()

    def build_ta(
        self, path: StrPath, out: StrPath | None = None, **make_vars: MakeValue
    ) -> Path:
        """Build the OP-TEE TA folder ``path``; return the output folder.

        Runs ``make -C <path> TA_DEV_KIT_DIR=<devkit> O=<out> NAME=value...``
        with ``make_vars`` as the ``NAME=value`` arguments (for example
        ``CFG_TEE_TA_LOG_LEVEL=4``).  Without ``out`` the output goes to a
        folder of this TEE kept for ``path``, so building the same folder
        again only remakes what changed.  Each ``<uuid>.ta.so`` of the
        output folder is then linked into :attr:`ta_dir`, where the daemon
        finds it at the next session opening.

        Raises :class:`TaBuildError`, with make's output, when make fails.
        """
        source = Path(path).resolve()
        arguments = [_make_argument(name, value) for name, value in make_vars.items()]
        if out is None:
            digest = hashlib.sha256(os.fsencode(str(source))).hexdigest()[:12]
            output = self.build_dir / ("%s-%s" % (source.name, digest))
        else:
            output = Path(out).resolve()
        devkit = self.devkit
        if not (devkit / "mk" / "ta_dev_kit.mk").is_file():
            raise FileNotFoundError(
                "pytee: no host TA dev kit at %s; build pytee first" % devkit
            )
        output.mkdir(parents=True, exist_ok=True)
        command = [
            "make",
            "-C",
            str(source),
            "TA_DEV_KIT_DIR=%s" % devkit,
            "O=%s" % output,
            *arguments,
        ]
        shown = " ".join(command)
        try:
            done = subprocess.run(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
                timeout=_BUILD_TIMEOUT,
                check=False,
            )
        except OSError as exc:
            raise TaBuildError(
                "cannot run `%s`: %s" % (shown, exc), command, None, ""
            ) from exc
        except subprocess.TimeoutExpired as exc:
            partial = exc.output or ""
            text = (
                partial.decode(errors="replace")
                if isinstance(partial, bytes)
                else partial
            )
            raise TaBuildError(
                "`%s` ran for more than %.0f s:\n%s"
                % (shown, _BUILD_TIMEOUT, _tail(text)),
                command,
                None,
                text,
            ) from exc
        if done.returncode != 0:
            raise TaBuildError(
                "building the TA %s failed: `%s` exited with status %d:\n%s"
                % (source, shown, done.returncode, _tail(done.stdout)),
                command,
                done.returncode,
                done.stdout,
            )
        for built in sorted(output.iterdir()):
            if _TA_FILE.match(built.name) and built.is_file():
                self._install(built)
        return output

    def _install(self, built: Path) -> None:
        link = self.ta_dir / built.name
        temporary = self.ta_dir / (".%s.%d" % (built.name, os.getpid()))
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        temporary.symlink_to(built)
        os.replace(temporary, link)

    # -- state -------------------------------------------------------------

    def log(self, uuid: str | uuid_module.UUID) -> str:
        """The log of the TA ``uuid`` so far (``""`` if it has none yet)."""
        return self._read(self.data_dir / "log" / ("%s.log" % _uuid_text(uuid)))

    def daemon_log(self) -> str:
        """The daemon's log so far (``""`` if it has none yet)."""
        return self._read(self.data_dir / "log" / "teed.log")

    @staticmethod
    def _read(path: Path) -> str:
        try:
            return path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def processes(self) -> list[tuple[int, str]]:
        """Live ``(pid, name)`` of this TEE's ``teed`` and TA hosts."""
        return tee_processes(self.runtime_dir)

    # -- end ---------------------------------------------------------------

    def stop(self) -> None:
        """Stop the daemon and wait until none of this TEE's processes is left.

        Does nothing when none runs.  Processes still alive
        :attr:`stop_timeout` seconds after ``teed --stop`` are killed, and
        :class:`TeeLeftRunning` names them.  The next context starts a new
        daemon.
        """
        if not self.processes():
            return
        from pytee.cli import teed_path

        env = dict(os.environ)
        env.update(self.environment)
        try:
            done = subprocess.run(
                [str(teed_path()), "--stop"],
                env=env,
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
            said = (done.stdout + done.stderr).strip()
        except (OSError, subprocess.TimeoutExpired) as exc:
            said = str(exc)
        deadline = time.monotonic() + self.stop_timeout
        left = self.processes()
        while left and time.monotonic() < deadline:
            time.sleep(0.02)
            left = self.processes()
        if not left:
            return
        for pid, _name in left:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        raise TeeLeftRunning(
            "pytee: %s still running %g s after `teed --stop` (%s) for %s;"
            " killed them"
            % (
                ", ".join("%s %d" % (name, pid) for pid, name in left),
                self.stop_timeout,
                said or "no output",
                self.runtime_dir,
            )
        )

    def _close_contexts(self) -> None:
        for ctx in list(self._contexts):
            try:
                ctx.close()
            except BufferError:
                # A view of one of its blocks is still held: it cannot be
                # released cleanly; stopping the daemon ends its sessions.
                continue

    def close(self) -> None:
        """Close this TEE's contexts, stop it, restore the environment.

        Idempotent.  Raises :class:`TeeLeftRunning` if processes had to be
        killed; the environment is restored and the runtime folder removed
        in any case.
        """
        try:
            self._close_contexts()
        finally:
            try:
                self.stop()
            finally:
                self._restore_environment()
                shutil.rmtree(self.runtime_dir, ignore_errors=True)
