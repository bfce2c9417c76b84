"""A private pcscd with vsmartcard's vpcd reader, for tests and demos.

pcsc-lite 1.9 (Debian 12) puts its socket and pid file in ``/run/pcscd``,
a path built into the daemon: two daemons cannot share a machine, and only
root may write there.  :class:`PrivatePcscd` therefore runs ``pcscd
--foreground`` in a mount namespace of its own (``unshare --mount``, with
``--user --map-root-user`` when not root) where a private folder is bound
on ``/run``: the socket lands in that folder, the system's pcscd (if any)
is left alone, and nothing is written outside the folder.  Clients find
the socket through ``PCSCLITE_CSOCK_NAME`` (:attr:`PrivatePcscd.environ`),
which libpcsclite reads once per process, at its first use.

The daemon reads a reader.conf of its own (``--config``) that loads the
vpcd driver on a free port (vpcd's ``CHANNELID`` is the port of its first
slot; the driver's other slot takes the next port): a
:class:`~pytee.payment.vpcd.VirtualCard` connects to :attr:`port` and the
reader :attr:`reader` shows its card.

:func:`unavailable` tells why a private pcscd cannot run here (``None``
when it can).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

__all__ = [
    "DRIVER_CANDIDATES",
    "PcscdError",
    "PrivatePcscd",
    "find_vpcd_driver",
    "unavailable",
]

DRIVER_CANDIDATES = (
    Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so"),
    Path("/usr/lib64/pcsc/drivers/serial/libifdvpcd.so"),
    Path("/usr/local/lib/pcsc/drivers/serial/libifdvpcd.so"),
)
"""Where vpcd's driver is looked for when no reader.conf names it."""

_SYSTEM_CONF = Path("/etc/reader.conf.d/vpcd")
_PCSCD_CANDIDATES = ("/usr/sbin/pcscd", "/usr/local/sbin/pcscd")
_PORTS = (20000, 30000)  # below Linux's ephemeral range (32768-60999)
_SLOTS = 2  # vpcd 0.8 (vsmartcard 3.3) has two slots: port, port + 1
_LISTEN = "0A"  # TCP_LISTEN in /proc/net/tcp
_UNSET_FOR_DAEMON = ("LD_PRELOAD", "PCSCLITE_CSOCK_NAME")


class PcscdError(RuntimeError):
    """The private pcscd could not start or stop; the message says why,
    with the end of its log."""


def _which_pcscd() -> str | None:
    found = shutil.which("pcscd")
    if found:
        return found
    return next((p for p in _PCSCD_CANDIDATES if os.access(p, os.X_OK)), None)


def find_vpcd_driver() -> Path | None:
    """The vpcd driver (``libifdvpcd.so``): the ``LIBPATH`` of the system's
    ``/etc/reader.conf.d/vpcd`` when it exists, else a usual place."""
    if _SYSTEM_CONF.is_file():
        for line in _SYSTEM_CONF.read_text(errors="replace").splitlines():
            words = line.split()
            if len(words) == 2 and words[0] == "LIBPATH":
                path = Path(words[1])
                if path.is_file():
                    return path
    return next((p for p in DRIVER_CANDIDATES if p.is_file()), None)


def unavailable(user_namespace: bool | None = None) -> str | None:
    """Why a private pcscd with vpcd cannot run here, or None if it can
    (``user_namespace`` as for :class:`PrivatePcscd`)."""
    if _which_pcscd() is None:
        return "pcscd is not installed (Debian: apt-get install pcscd)"
    if find_vpcd_driver() is None:
        return (
            "vsmartcard's vpcd driver is not installed"
            " (Debian: apt-get install vsmartcard-vpcd)"
        )
    for tool in ("unshare", "mount", "sh"):
        if shutil.which(tool) is None:
            return "%s is missing (util-linux), needed for a private pcscd" % tool
    probe = subprocess.run(
        [*_namespace_command(user_namespace), "true"],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        return "cannot make a mount namespace for a private pcscd: %s" % (
            probe.stderr.strip() or "unshare exited %d" % probe.returncode
        )
    return None


def _namespace_command(user_namespace: bool | None) -> list[str]:
    """unshare's command line for a private mount namespace; a user
    namespace too when asked, or by default when not root."""
    if user_namespace is None:
        user_namespace = os.geteuid() != 0
    command = ["unshare", "--mount", "--propagation", "private"]
    if user_namespace:
        command[1:1] = ["--user", "--map-root-user"]
    return command


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("", port))
        except OSError:
            return False
    return True


def _free_ports(count: int) -> int:
    """The first of ``count`` consecutive TCP ports free on every address."""
    rng = random.SystemRandom()
    for _ in range(200):
        base = rng.randrange(_PORTS[0], _PORTS[1] - count)
        if all(_port_free(base + i) for i in range(count)):
            return base
    raise PcscdError("found no %d free consecutive TCP ports" % count)


def _listening(port: int) -> bool:
    """Whether some socket listens on TCP ``port`` (IPv4, this namespace)."""
    try:
        table = Path("/proc/net/tcp").read_text()
    except OSError:
        return not _port_free(port)
    for line in table.splitlines()[1:]:
        fields = line.split()
        local, state = fields[1], fields[3]
        if state == _LISTEN and int(local.rsplit(":", 1)[1], 16) == port:
            return True
    return False


class PrivatePcscd:
    """A pcscd of its own, with one vpcd reader, in a temporary folder.

    ``port`` is the TCP port of the vpcd reader's first slot (a free one by
    default); the reader is named ``name`` (pcscd adds `` 00 00`` for the
    slot).  ``debug`` makes pcscd log at debug level and log each APDU.
    ``user_namespace`` runs pcscd in a user namespace of its own (where it
    is root and may mount): by default only when not root.
    ``start`` (or ``with``) waits up to ``timeout`` seconds for the daemon;
    ``stop`` ends it and removes the folder.
    """

    def __init__(
        self,
        *,
        port: int | None = None,
        name: str = "pytee Virtual PCD",
        debug: bool = False,
        timeout: float = 10.0,
        user_namespace: bool | None = None,
    ) -> None:
        if port is not None and not 0 < port < 0x10000 - _SLOTS:
            raise ValueError("port %r is not a TCP port for vpcd" % port)
        if not name or '"' in name or "\n" in name:
            raise ValueError("a reader name is one line without quotes")
        self.name = name
        self.debug = debug
        self.timeout = timeout
        self.user_namespace = user_namespace
        self._wanted_port = port
        self.port = 0
        self.folder: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._log_file: int | None = None

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return "<PrivatePcscd %r vpcd port %d, %s>" % (self.name, self.port, state)

    @property
    def reader(self) -> str:
        """The PC/SC name of the vpcd reader slot at :attr:`port`."""
        return "%s 00 00" % self.name

    @property
    def socket_path(self) -> Path:
        if self.folder is None:
            raise PcscdError("the private pcscd is not started")
        return self.folder / "run" / "pcscd" / "pcscd.comm"

    @property
    def log_path(self) -> Path:
        if self.folder is None:
            raise PcscdError("the private pcscd is not started")
        return self.folder / "pcscd.log"

    @property
    def environ(self) -> Mapping[str, str]:
        """The environment a PC/SC client needs to reach this daemon."""
        return {"PCSCLITE_CSOCK_NAME": str(self.socket_path)}

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def log_tail(self, lines: int = 20) -> str:
        """The last lines pcscd wrote."""
        if self.folder is None or not self.log_path.exists():
            return ""
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    # -- life ---------------------------------------------------------------

    def start(self) -> PrivatePcscd:
        if self._process is not None:
            raise PcscdError("this private pcscd was already started")
        reason = unavailable(self.user_namespace)
        driver, pcscd = find_vpcd_driver(), _which_pcscd()
        if reason is not None or driver is None or pcscd is None:
            raise PcscdError(reason or "pcscd or the vpcd driver was just removed")
        self.folder = Path(tempfile.mkdtemp(prefix="pytee-pcscd-"))
        try:
            self._launch(pcscd, driver)
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _launch(self, pcscd: str, driver: Path) -> None:
        assert self.folder is not None
        if self._wanted_port is None:
            self.port = _free_ports(_SLOTS)
        else:
            self.port = self._wanted_port
            ports = range(self.port, self.port + _SLOTS)
            busy = [str(p) for p in ports if not _port_free(p)]
            if busy:
                raise PcscdError(
                    "TCP port %s taken: vpcd needs ports %d-%d"
                    % (", ".join(busy), ports[0], ports[-1])
                )
        conf = self.folder / "reader.conf.d"
        run = self.folder / "run"
        conf.mkdir()
        run.mkdir()
        (conf / "vpcd").write_text(
            'FRIENDLYNAME "%s"\n'
            "DEVICENAME   /dev/null:0x%04X\n"
            "LIBPATH      %s\n"
            "CHANNELID    0x%04X\n" % (self.name, self.port, driver, self.port)
        )
        daemon = [pcscd, "--foreground", "--config", str(conf)]
        if self.debug:
            daemon += ["--debug", "--apdu"]
        # In the new namespace: /run is the private folder, then pcscd.
        script = 'mount --bind "$1" /run && shift && exec "$@"'
        namespace = _namespace_command(self.user_namespace)
        command = [*namespace, "sh", "-c", script, "sh", str(run), *daemon]
        env = {k: v for k, v in os.environ.items() if k not in _UNSET_FOR_DAEMON}
        self._log_file = os.open(
            self.log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600
        )
        self._process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )

    def _wait_ready(self) -> None:
        """Until the socket exists and vpcd listens (pcscd makes its socket
        after it has started the readers)."""
        assert self._process is not None
        deadline = time.monotonic() + self.timeout
        while True:
            code = self._process.poll()
            if code is not None:
                raise PcscdError(
                    "pcscd exited with status %d at start-up:\n%s"
                    % (code, self.log_tail())
                )
            if self.socket_path.exists() and _listening(self.port):
                return
            if time.monotonic() > deadline:
                what = (
                    "vpcd does not listen on port %d" % self.port
                    if self.socket_path.exists()
                    else "no socket at %s" % self.socket_path
                )
                raise PcscdError(
                    "pcscd not ready after %.1f s (%s):\n%s"
                    % (self.timeout, what, self.log_tail())
                )
            time.sleep(0.02)

    def stop(self, timeout: float = 5.0) -> None:
        """End pcscd (SIGTERM, SIGKILL after ``timeout`` seconds) and remove
        the folder.  Idempotent."""
        process, self._process = self._process, None
        try:
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout)
        finally:
            if self._log_file is not None:
                os.close(self._log_file)
                self._log_file = None
            if self.folder is not None:
                shutil.rmtree(self.folder, ignore_errors=True)
                self.folder = None

    close = stop

    def __enter__(self) -> PrivatePcscd:
        if self._process is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
