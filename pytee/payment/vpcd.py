"""The phone as a contactless card behind a real PC/SC stack (vsmartcard's vpcd).

vsmartcard's ``vpcd`` is a pcsc-lite reader driver whose "card" is a TCP
peer: each reader slot listens on a port (35963 for the first slot of the
stock ``/etc/reader.conf.d/vpcd``, whose ``CHANNELID 0x8C7B`` sets it; the
next slot listens on the next port).  :class:`VirtualCard` connects to that
port and answers for a :class:`~pytee.payment.transport.Card` (the phone's
CA), so that any PC/SC program (pyscard, ``pcsc_scan``, ``scriptor``, a
POS) sees a contactless card in the reader.

The vpcd protocol: every message, either way, is a 2-byte big-endian length
followed by that many bytes.  From the reader, a 1-byte message is a control
code (:data:`CTRL_OFF`, :data:`CTRL_ON`, :data:`CTRL_RESET` expect no
answer; :data:`CTRL_ATR` expects the ATR); any longer message is a command
APDU, answered with the response APDU.  pcscd asks for the ATR every few
hundred milliseconds to learn whether the card is still there.

A power-off or a reset from the reader, and a lost connection, reach the
card as ``power_off()`` (when the card has one): the field is gone and the
transaction with it.  A lost connection is retried until :meth:`stop`.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType

from pytee.payment.errors import TransportError
from pytee.payment.transport import Card

__all__ = [
    "CTRL_ATR",
    "CTRL_OFF",
    "CTRL_ON",
    "CTRL_RESET",
    "DEFAULT_ATR",
    "VPCD_PORT",
    "VirtualCard",
    "VpcdError",
    "contactless_atr",
]

_log = logging.getLogger(__name__)

VPCD_PORT = 35963
"""The port of vpcd's first slot in the stock reader.conf (0x8C7B)."""

CTRL_OFF = 0x00
CTRL_ON = 0x01
CTRL_RESET = 0x02
CTRL_ATR = 0x04

_CONTROL_NAMES = {
    CTRL_OFF: "power off",
    CTRL_ON: "power on",
    CTRL_RESET: "reset",
    CTRL_ATR: "get ATR",
}
_MAX_MESSAGE = 0xFFFF
_SW_NO_PRECISE_DIAGNOSIS = b"\x6f\x00"
_MAX_HISTORICAL = 15
_TCP_QUICKACK: int | None = getattr(socket, "TCP_QUICKACK", None)


def contactless_atr(historical: bytes) -> bytes:
    """The ATR a PC/SC reader builds for an ISO/IEC 14443-4 card.

    PC/SC part 3 (3.1.3.2.3): ``3B 8n 80 01`` + the ``n`` historical bytes
    (from the card's ATS) + TCK, the XOR of every byte after ``3B``.  T0
    announces TD1; TD1 (T=0) announces TD2; TD2 says T=1.
    """
    historical = bytes(historical)
    if len(historical) > _MAX_HISTORICAL:
        raise ValueError("an ATR has at most 15 historical bytes")
    body = bytes([0x80 | len(historical), 0x80, 0x01]) + historical
    tck = 0
    for byte in body:
        tck ^= byte
    return b"\x3b" + body + bytes([tck])


DEFAULT_ATR = contactless_atr(b"\x80\x55pytee")
"""The ATR of :class:`VirtualCard` by default: historical bytes of ISO
7816-4 (category ``80``) with the card issuer's data ``"pytee"`` (compact
TLV ``55``)."""


class VpcdError(TransportError):
    """vpcd cannot be reached, or broke its protocol."""


class _Closed(Exception):
    """The connection ended (by the peer, by :meth:`VirtualCard.drop` or
    :meth:`VirtualCard.stop`)."""


class VirtualCard:
    """Serves ``card`` to vpcd at ``host``:``port`` until stopped.

    Run it in a thread of its own with :meth:`start` (and :meth:`stop`, or
    ``with``), or block in :meth:`serve`.  ``atr`` is what the reader gets
    for the card (:data:`DEFAULT_ATR`).  A connection that cannot be made is
    tried again every ``retry_delay`` seconds.  When the connection is lost
    or ended by :meth:`drop`, the card is powered off and stays out of the
    field for ``away_time`` seconds before it connects again: vpcd takes a
    connection only when pcscd polls the reader (every 0.4 s), and pcscd
    sees the card leave only if a poll finds no connection, so the default
    of 1 s (two polls and some) lets every PC/SC client see the card go and
    come back.  A card whose ``process`` raises answers ``6F00``, and the
    exception is logged.
    """

    def __init__(
        self,
        card: Card,
        host: str = "localhost",
        port: int = VPCD_PORT,
        *,
        atr: bytes = DEFAULT_ATR,
        retry_delay: float = 0.2,
        away_time: float = 1.0,
        connect_timeout: float = 5.0,
    ) -> None:
        if not 0 < port < 0x10000:
            raise ValueError("port %r is not a TCP port" % port)
        atr = bytes(atr)
        if not 2 <= len(atr) <= 33:
            raise ValueError("an ATR is 2 to 33 bytes")
        if min(retry_delay, away_time, connect_timeout) <= 0:
            raise ValueError(
                "retry_delay, away_time and connect_timeout must be positive"
            )
        self.card = card
        self.host = host
        self.port = port
        self.atr = atr
        self.retry_delay = retry_delay
        self.away_time = away_time
        self.connect_timeout = connect_timeout
        self.connections = 0
        """How many times the connection to vpcd was made."""
        self.apdus = 0
        """How many command APDUs the card answered."""
        self.powered = False
        """Whether the reader has powered the card (and not powered it off)."""
        self.error: BaseException | None = None
        """Why :meth:`serve` ended in the thread of :meth:`start`, if not stopped."""
        self._stop = threading.Event()
        self._connected = threading.Condition()
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._talking = False
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        state = "connected" if self.connected else "not connected"
        return "<VirtualCard vpcd %s:%d, %s>" % (self.host, self.port, state)

    # -- life -------------------------------------------------------------

    def start(self) -> VirtualCard:
        """Serve in a daemon thread; return at once."""
        if self._thread is not None:
            raise RuntimeError("this virtual card was already started")
        self._thread = threading.Thread(
            target=self._run, name="vpcd %s:%d" % (self.host, self.port), daemon=True
        )
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            self.serve()
        except Exception as exc:  # kept for wait_connected, and logged
            self.error = exc
            with self._connected:
                self._connected.notify_all()
            _log.error("vpcd %s:%d: %s", self.host, self.port, exc)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving: close the connection (the card is powered off) and,
        if started in a thread, wait for it.  Idempotent."""
        self._stop.set()
        self._shutdown()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
            if thread.is_alive():
                raise RuntimeError("the vpcd thread did not stop in %.1f s" % timeout)

    close = stop

    def __enter__(self) -> VirtualCard:
        if self._thread is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def connected(self) -> bool:
        """Whether vpcd talks to the card: it took the connection (vpcd
        accepts it when pcscd next polls the reader) and sent a message."""
        return self._talking

    def wait_connected(self, timeout: float = 10.0) -> None:
        """Wait until :attr:`connected`; raise :class:`VpcdError` if it is
        not within ``timeout`` seconds or if serving failed."""
        deadline = time.monotonic() + timeout
        with self._connected:
            while not self._talking:
                if self.error is not None:
                    raise VpcdError("serving the card failed: %s" % self.error)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise VpcdError(
                        "no vpcd reader at %s:%d after %.1f s: is pcscd running"
                        " with the vpcd driver on that port?"
                        % (self.host, self.port, timeout)
                    )
                self._connected.wait(left)

    def drop(self) -> None:
        """Take the card out of the field: close the connection now (an
        answer being sent is lost); it is made again after ``away_time``."""
        self._shutdown()

    def _shutdown(self) -> None:
        with self._lock:
            sock = self._sock
            if sock is not None:
                with contextlib.suppress(OSError):  # already shut by the peer
                    sock.shutdown(socket.SHUT_RDWR)

    # -- serving ------------------------------------------------------------

    def serve(self) -> None:
        """Serve until :meth:`stop`: connect, answer, and connect again when
        the connection is lost.  Raises :class:`VpcdError` when ``host``
        does not resolve."""
        failures = 0
        while not self._stop.is_set():
            try:
                sock = self._connect()
            except socket.gaierror as exc:
                raise VpcdError(
                    "cannot resolve vpcd host %r: %s" % (self.host, exc)
                ) from exc
            except OSError as exc:
                if failures == 0:
                    _log.info(
                        "vpcd %s:%d: %s; trying again every %.1f s",
                        self.host,
                        self.port,
                        exc.strerror or exc,
                        self.retry_delay,
                    )
                failures += 1
                self._stop.wait(self.retry_delay)
                continue
            if sock is None:
                break
            failures = 0
            try:
                self._session(sock)
            finally:
                self._disconnected(sock)
            self._stop.wait(self.away_time)

    def _connect(self) -> socket.socket | None:
        """A new connection to vpcd, or None if stopped meanwhile."""
        sock = socket.create_connection(
            (self.host, self.port), timeout=self.connect_timeout
        )
        sock.settimeout(None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        _quick_ack(sock)
        with self._lock:
            if self._stop.is_set():
                sock.close()
                return None
            self._sock = sock
        self.connections += 1
        _log.info("vpcd %s:%d: connected", self.host, self.port)
        return sock

    def _disconnected(self, sock: socket.socket) -> None:
        with self._lock:
            self._sock = None
            self._talking = False
            sock.close()
        self._power_off()
        _log.info("vpcd %s:%d: disconnected", self.host, self.port)

    def _session(self, sock: socket.socket) -> None:
        """Answer vpcd on ``sock`` until the connection ends."""
        try:
            while True:
                message = self._receive(sock)
                if not self._talking:
                    with self._connected:
                        self._talking = True
                        self._connected.notify_all()
                answer = self._answer(message)
                if answer is not None:
                    self._send(sock, answer)
        except _Closed:
            pass
        except VpcdError as exc:
            _log.error("vpcd %s:%d: %s; reconnecting", self.host, self.port, exc)

    def _answer(self, message: bytes) -> bytes | None:
        """What to send back for one message from vpcd, if anything."""
        if len(message) == 1:
            return self._control(message[0])
        if not message:
            raise VpcdError("vpcd sent an empty message")
        self.apdus += 1
        return self._process(message)

    def _control(self, code: int) -> bytes | None:
        if code == CTRL_ATR:
            return self.atr
        if code == CTRL_ON:
            self.powered = True
        elif code == CTRL_OFF:
            self._power_off()
        elif code == CTRL_RESET:
            self._power_off()
            self.powered = True
        else:
            _log.warning("vpcd sent unknown control code 0x%02X: ignored", code)
        return None

    def _power_off(self) -> None:
        """Tell the card the field is gone (if it has ``power_off``)."""
        self.powered = False
        power_off: Callable[[], object] | None = getattr(self.card, "power_off", None)
        if power_off is None:
            return
        try:
            power_off()
        except Exception:
            _log.exception("the card failed to power off")

    def _process(self, apdu: bytes) -> bytes:
        try:
            response = bytes(self.card.process(apdu))
        except Exception:
            _log.exception("the card failed on APDU %s: answering 6F00", apdu.hex())
            return _SW_NO_PRECISE_DIAGNOSIS
        if not 2 <= len(response) <= _MAX_MESSAGE:
            _log.error(
                "the card answered %d bytes to APDU %s: answering 6F00",
                len(response),
                apdu.hex(),
            )
            return _SW_NO_PRECISE_DIAGNOSIS
        return response

    # -- framing ------------------------------------------------------------

    @staticmethod
    def _receive(sock: socket.socket) -> bytes:
        header = _receive_exactly(sock, 2)
        return _receive_exactly(sock, int.from_bytes(header, "big"))

    @staticmethod
    def _send(sock: socket.socket, message: bytes) -> None:
        try:
            sock.sendall(len(message).to_bytes(2, "big") + message)
        except OSError as exc:
            raise _Closed() from exc


def _quick_ack(sock: socket.socket) -> None:
    """Acknowledge at once what comes next (Linux forgets after a while).

    vpcd sends a message's length and its body in two writes: with Nagle's
    algorithm on its side and a delayed ACK on ours, the body waits ~40 ms
    for the ACK of the length.
    """
    if _TCP_QUICKACK is not None:
        sock.setsockopt(socket.IPPROTO_TCP, _TCP_QUICKACK, 1)


def _receive_exactly(sock: socket.socket, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        try:
            chunk = sock.recv(size - len(data))
        except OSError as exc:
            raise _Closed() from exc
        if not chunk:
            raise _Closed()
        _quick_ack(sock)
        data += chunk
    return bytes(data)
