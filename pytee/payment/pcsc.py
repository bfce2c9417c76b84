"""A POS's link to a card through PC/SC (pcsc-lite, through pyscard).

:class:`PcscTransport` is a :class:`~pytee.payment.transport.Transport`
over a PC/SC reader: any reader, but by default the first whose name has
``Virtual PCD`` in it, the reader of vsmartcard's vpcd, where
:class:`~pytee.payment.vpcd.VirtualCard` puts the phone.  It waits for a
card, connects to it (T=0 or T=1, as the card offers), and sends each
APDU with ``SCardTransmit``.

A link that fails (the card left the field, the reader went away) raises
:class:`PcscError`, a :class:`~pytee.payment.errors.TransportError`; the
next :meth:`~PcscTransport.transmit` waits for the card and connects
again, so a POS that selects the application again can retry.  Status
words ``61xx`` and ``6Cxx`` are passed on as they are (the POS follows
them), unless ``get_response`` asks the transport to follow them.

pyscard is imported when a transport is made: without it,
:class:`PcscUnavailable` says how to install it.  Which pcscd is reached is
libpcsclite's choice: the system's, or the one whose socket
``PCSCLITE_CSOCK_NAME`` names (read once per process, at the first use).
"""

from __future__ import annotations

import importlib
import time
from types import ModuleType, TracebackType
from typing import Any

from pytee.payment.apdu import CommandApdu
from pytee.payment.errors import ApduError, TransportError

__all__ = [
    "VPCD_READER",
    "PcscError",
    "PcscTransport",
    "PcscUnavailable",
    "load_scard",
]

VPCD_READER = "Virtual PCD"
"""What the name of a vpcd reader has in it (its stock FRIENDLYNAME)."""

_GET_RESPONSE = b"\x00\xc0\x00\x00"
_MAX_GET_RESPONSE = 32
"""GET RESPONSE rounds for one command before the answer is refused."""
_POLL = 0.25
"""Seconds between looks for a new reader."""
_SETTLE = 3.0
"""Seconds to wait, after a failed transmit, for the reader to see the
card leave, before looking for a card again anyway."""


class PcscUnavailable(ImportError):
    """pyscard (the ``smartcard`` package) is not installed."""


class PcscError(TransportError):
    """A PC/SC call failed: :attr:`function`, :attr:`code` and pcsc-lite's
    message; ``code`` is None for a failure found above PC/SC (no reader,
    no card in time)."""

    def __init__(self, function: str, code: int | None, message: str) -> None:
        self.function = function
        self.code = code
        if code is None:
            text = "%s: %s" % (function, message)
        else:
            text = "%s: %s (0x%08X)" % (function, message, code & 0xFFFFFFFF)
        super().__init__(text)


def load_scard() -> ModuleType:
    """pyscard's ``smartcard.scard`` (the PC/SC API), or
    :class:`PcscUnavailable` saying how to get it."""
    try:
        return importlib.import_module("smartcard.scard")
    except ImportError as exc:
        raise PcscUnavailable(
            "pyscard is not installed (pip install pyscard; it builds from"
            " source on Linux and needs swig and libpcsclite-dev, the"
            " PC/SC headers): %s" % exc
        ) from exc


class PcscTransport:
    """A transport to the card in a PC/SC reader.

    ``reader`` is a reader's exact name, or a part of it: among the readers
    whose name has it, the first one with a card is used.  Connecting waits
    up to ``timeout`` seconds for a reader and a card.  ``get_response``
    makes :meth:`transmit` follow ``61xx`` with GET RESPONSE and ``6Cxx``
    with the command again (``Le`` as told).  On :meth:`close` the card is
    unpowered (the field goes off) unless ``unpower`` is false.
    """

    def __init__(
        self,
        reader: str = VPCD_READER,
        *,
        timeout: float = 10.0,
        get_response: bool = False,
        unpower: bool = True,
    ) -> None:
        if not reader:
            raise ValueError("name a reader, or a part of its name")
        self._scard = load_scard()
        self.reader_pattern = reader
        self.timeout = timeout
        self.get_response = get_response
        self.unpower = unpower
        self.reader: str | None = None
        """The reader in use, once connected."""
        self.atr: bytes | None = None
        """The card's ATR, once connected."""
        self.protocol: int | None = None
        self._context: Any = None
        self._card: Any = None
        self._lost: tuple[str, int] | None = None
        self._closed = False

    def __repr__(self) -> str:
        where = self.reader if self._card is not None else "not connected"
        return "<PcscTransport %r: %s>" % (self.reader_pattern, where)

    # -- PC/SC calls --------------------------------------------------------

    def _check(self, function: str, result: Any) -> list[Any]:
        """The values of a pyscard call after its result code, or PcscError."""
        values = list(result) if isinstance(result, (list, tuple)) else [result]
        code: int = values[0]
        if code != self._scard.SCARD_S_SUCCESS:
            raise PcscError(function, code, self._scard.SCardGetErrorMessage(code))
        return values[1:]

    def _establish(self) -> Any:
        if self._context is None:
            (self._context,) = self._check(
                "SCardEstablishContext",
                self._scard.SCardEstablishContext(self._scard.SCARD_SCOPE_USER),
            )
        return self._context

    def readers(self) -> list[str]:
        """The names of the readers PC/SC knows now."""
        scard = self._scard
        result = scard.SCardListReaders(self._establish(), [])
        if result[0] == scard.SCARD_E_NO_READERS_AVAILABLE:
            return []
        (names,) = self._check("SCardListReaders", result)
        return list(names)

    def _candidates(self) -> list[str]:
        names = self.readers()
        if self.reader_pattern in names:
            return [self.reader_pattern]
        return [name for name in names if self.reader_pattern in name]

    def _reader_with_card(self, deadline: float) -> str:
        """The first matching reader with a card, waiting until ``deadline``."""
        scard = self._scard
        while True:
            candidates = self._candidates()
            left = deadline - time.monotonic()
            if candidates:
                states = [(name, scard.SCARD_STATE_UNAWARE) for name in candidates]
                (states,) = self._check(
                    "SCardGetStatusChange",
                    scard.SCardGetStatusChange(self._establish(), 0, states),
                )
                for name, state, _atr in states:
                    if state & scard.SCARD_STATE_PRESENT and not (
                        state & scard.SCARD_STATE_MUTE
                    ):
                        return str(name)
                if left > 0:
                    self._wait_change(states, left)
                    continue
                raise PcscError(
                    "connect",
                    None,
                    "no card in %s after %.1f s"
                    % (", ".join(candidates), self.timeout),
                )
            if left <= 0:
                known = ", ".join(self.readers()) or "none"
                raise PcscError(
                    "connect",
                    None,
                    "no reader named like %r after %.1f s (readers: %s)"
                    % (self.reader_pattern, self.timeout, known),
                )
            time.sleep(min(left, _POLL))

    def _wait_change(self, states: list[Any], left: float) -> None:
        """Until a reader in ``states`` (as last seen) changes, or ``left``
        seconds (at most :data:`_POLL`, to see new readers too)."""
        scard = self._scard
        known = [
            (name, state & ~scard.SCARD_STATE_CHANGED) for name, state, _ in states
        ]
        wait_ms = max(1, int(min(left, _POLL) * 1000))
        result = scard.SCardGetStatusChange(self._establish(), wait_ms, known)
        if result[0] != scard.SCARD_E_TIMEOUT:
            self._check("SCardGetStatusChange", result)

    # -- the link -----------------------------------------------------------

    def connect(self) -> PcscTransport:
        """Wait for a reader with a card and connect to the card (done by
        the first :meth:`transmit` otherwise)."""
        if self._closed:
            raise ValueError("this transport is closed")
        if self._card is not None:
            return self
        scard = self._scard
        deadline = time.monotonic() + self.timeout
        if self._lost is not None:
            self._await_change(*self._lost, deadline)
            self._lost = None
        # A vpcd reader may say "present" while no virtual card is there
        # yet (SCardConnect: unpowered, removed): that is no card, so wait on.
        not_there = (
            scard.SCARD_W_UNPOWERED_CARD,
            scard.SCARD_W_REMOVED_CARD,
            scard.SCARD_E_NO_SMARTCARD,
        )
        while True:
            reader = self._reader_with_card(deadline)
            result = scard.SCardConnect(
                self._establish(),
                reader,
                scard.SCARD_SHARE_SHARED,
                scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
            )
            if result[0] not in not_there:
                break
            if time.monotonic() >= deadline:
                raise PcscError(
                    "connect",
                    None,
                    "no card in %s after %.1f s" % (reader, self.timeout),
                )
            time.sleep(_POLL)
        card, protocol = self._check("SCardConnect", result)
        self._card, self.protocol, self.reader = card, protocol, reader
        _name, _state, _protocol, atr = self._check(
            "SCardStatus", scard.SCardStatus(card)
        )
        self.atr = bytes(atr)
        return self

    def _card_lost(self, code: int | None) -> None:
        """A transmit failed: let go of the card; unless it was only reset,
        the next :meth:`connect` waits for the reader to see it leave and
        come back (pcscd may not have seen it leave yet)."""
        scard = self._scard
        reader = self.reader
        self._drop_card(scard.SCARD_LEAVE_CARD)
        if reader is None or code in (
            scard.SCARD_W_RESET_CARD,
            scard.SCARD_W_UNPOWERED_CARD,
        ):
            return
        result = scard.SCardGetStatusChange(
            self._establish(), 0, [(reader, scard.SCARD_STATE_UNAWARE)]
        )
        if result[0] == scard.SCARD_S_SUCCESS:
            (_name, state, _atr) = result[1][0]
            self._lost = (reader, state & ~scard.SCARD_STATE_CHANGED)
        # Otherwise the reader is gone too: the next connect looks afresh.

    def _await_change(self, reader: str, state: int, deadline: float) -> None:
        """Until ``reader``'s state is no longer ``state`` (its card left, or
        left and came back), for at most :data:`_SETTLE` seconds: a card
        that came back before pcscd looked leaves no trace."""
        scard = self._scard
        deadline = min(deadline, time.monotonic() + _SETTLE)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            result = scard.SCardGetStatusChange(
                self._establish(), max(1, int(left * 1000)), [(reader, state)]
            )
            if result[0] == scard.SCARD_E_UNKNOWN_READER:
                return  # the reader left too: look for one afresh
            if result[0] == scard.SCARD_E_TIMEOUT:
                continue
            (states,) = self._check("SCardGetStatusChange", result)
            (_name, now, _atr) = states[0]
            if now & ~scard.SCARD_STATE_CHANGED != state:
                return

    def _drop_card(self, disposition: int) -> None:
        """Let go of the card handle; a handle already dead is let go too."""
        card, self._card = self._card, None
        self.atr = self.protocol = None
        if card is None:
            return
        code = self._scard.SCardDisconnect(card, disposition)
        if code not in (
            self._scard.SCARD_S_SUCCESS,
            self._scard.SCARD_W_REMOVED_CARD,
            self._scard.SCARD_E_INVALID_HANDLE,
            self._scard.SCARD_E_NO_SERVICE,
            self._scard.SCARD_E_READER_UNAVAILABLE,
        ):
            raise PcscError(
                "SCardDisconnect", code, self._scard.SCardGetErrorMessage(code)
            )

    def close(self) -> None:
        """Disconnect (unpowering the card unless told not to) and release
        the PC/SC context.  Idempotent."""
        if self._closed:
            return
        self._closed = True
        scard = self._scard
        try:
            self._drop_card(
                scard.SCARD_UNPOWER_CARD if self.unpower else scard.SCARD_LEAVE_CARD
            )
        finally:
            context, self._context = self._context, None
            if context is not None:
                self._check("SCardReleaseContext", scard.SCardReleaseContext(context))

    def __enter__(self) -> PcscTransport:
        return self.connect()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _transmit_once(self, apdu: bytes) -> bytes:
        self.connect()
        try:
            (response,) = self._check(
                "SCardTransmit",
                self._scard.SCardTransmit(self._card, self.protocol, list(apdu)),
            )
            if len(response) < 2:
                # vpcd's answer when the card left while answering.
                raise PcscError("SCardTransmit", None, "an answer without status word")
        except PcscError as exc:
            self._card_lost(exc.code)
            raise
        return bytes(response)

    def transmit(self, apdu: bytes) -> bytes:
        """Send one command APDU; return the response APDU (data and SW)."""
        apdu = bytes(apdu)
        if self._closed:
            raise ValueError("this transport is closed")
        answer = self._transmit_once(apdu)
        if not self.get_response:
            return answer
        if answer[-2] == 0x6C:
            answer = self._transmit_once(_with_le(apdu, answer[-1]))
        data = b""
        for _ in range(_MAX_GET_RESPONSE):
            if answer[-2] != 0x61:
                return data + answer
            data += answer[:-2]
            answer = self._transmit_once(_GET_RESPONSE + answer[-1:])
        raise PcscError(
            "transmit",
            None,
            "more than %d GET RESPONSE rounds for one command" % _MAX_GET_RESPONSE,
        )


def _with_le(apdu: bytes, le: int) -> bytes:
    """``apdu`` with its Le set to ``le`` (0 meaning 256), as 6Cxx asks."""
    try:
        command = CommandApdu.decode(apdu)
    except ApduError as exc:
        raise PcscError("transmit", None, "6Cxx for a malformed APDU") from exc
    return CommandApdu(
        command.cla, command.ins, command.p1, command.p2, command.data, le or 256
    ).encode()
