"""ISO 7816-4 command and response APDUs, short lengths only.

A command is ``CLA INS P1 P2`` then, by case: nothing (1), ``Le`` (2),
``Lc data`` (3), ``Lc data Le`` (4); ``Lc`` is 1-255, ``Le`` 1-256 (256
travels as ``00``).  Extended lengths are refused.  A command whose data
exceeds 255 bytes travels as a chain (ISO 7816-4 5.1.1.1): every part but
the last has bit b5 of CLA set (``0x10``); :func:`chain` splits and
:class:`ChainAssembler` joins.  A response is ``data || SW1 SW2``.
"""

from __future__ import annotations

from dataclasses import dataclass

from pytee.payment.codec import BytesLike
from pytee.payment.errors import ApduError, CardRefused
from pytee.payment.status import (
    SW_CHAINING_NOT_SUPPORTED,
    SW_CLA_NOT_SUPPORTED,
    SW_CONDITIONS_NOT_SATISFIED,
    SW_FILE_NOT_FOUND,
    SW_INS_NOT_SUPPORTED,
    SW_OK,
    SW_PIN_BLOCKED,
    SW_SECURITY_STATUS,
    SW_WRONG_DATA,
    SW_WRONG_LENGTH,
    sw_name,
)

__all__ = [
    "CLA_CHAINING",
    "MAX_DATA",
    "MAX_LE",
    "SW_CHAINING_NOT_SUPPORTED",
    "SW_CLA_NOT_SUPPORTED",
    "SW_CONDITIONS_NOT_SATISFIED",
    "SW_FILE_NOT_FOUND",
    "SW_INS_NOT_SUPPORTED",
    "SW_OK",
    "SW_PIN_BLOCKED",
    "SW_SECURITY_STATUS",
    "SW_WRONG_DATA",
    "SW_WRONG_LENGTH",
    "ChainAssembler",
    "CommandApdu",
    "ResponseApdu",
    "chain",
    "sw_name",
]

MAX_DATA = 255
MAX_LE = 256
CLA_CHAINING = 0x10


def _byte(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("%s must be an int" % name)
    if not 0 <= value <= 0xFF:
        raise ApduError("%s %d is not a byte" % (name, value))
    return value


@dataclass(frozen=True)
class CommandApdu:
    """A command APDU; ``le=None`` means no ``Le`` field, 256 encodes as 00."""

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None

    def __post_init__(self) -> None:
        for name in ("cla", "ins", "p1", "p2"):
            _byte(getattr(self, name), name)
        data = bytes(self.data)
        if len(data) > MAX_DATA:
            raise ApduError("%d data bytes need extended length" % len(data))
        object.__setattr__(self, "data", data)
        if self.le is not None and not 1 <= self.le <= MAX_LE:
            raise ApduError("Le %d is outside 1-256" % self.le)

    @property
    def case(self) -> int:
        """The ISO 7816-3 case: 1 no data no Le, 2 Le, 3 data, 4 data and Le."""
        if self.data:
            return 3 if self.le is None else 4
        return 1 if self.le is None else 2

    @property
    def chained(self) -> bool:
        """Whether more parts of a command chain follow this one."""
        return bool(self.cla & CLA_CHAINING)

    def encode(self) -> bytes:
        out = bytes([self.cla, self.ins, self.p1, self.p2])
        if self.data:
            out += bytes([len(self.data)]) + self.data
        if self.le is not None:
            out += bytes([self.le & 0xFF])
        return out

    @classmethod
    def decode(cls, raw: BytesLike) -> CommandApdu:
        raw = bytes(raw)
        if len(raw) < 4:
            raise ApduError("a command APDU has at least 4 bytes, not %d" % len(raw))
        cla, ins, p1, p2 = raw[:4]
        body = raw[4:]
        if not body:
            return cls(cla, ins, p1, p2)
        if len(body) == 1:
            return cls(cla, ins, p1, p2, le=body[0] or MAX_LE)
        lc = body[0]
        if lc == 0:
            raise ApduError("extended length APDUs are not supported")
        if len(body) == 1 + lc:
            return cls(cla, ins, p1, p2, body[1:])
        if len(body) == 2 + lc:
            return cls(cla, ins, p1, p2, body[1:-1], body[-1] or MAX_LE)
        raise ApduError("Lc %d does not match %d body bytes" % (lc, len(body)))


@dataclass(frozen=True)
class ResponseApdu:
    """A response APDU: data and the two status bytes as one int."""

    data: bytes
    sw: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "data", bytes(self.data))
        if not 0 <= self.sw <= 0xFFFF:
            raise ApduError("status word %X is not two bytes" % self.sw)

    @property
    def sw1(self) -> int:
        return self.sw >> 8

    @property
    def sw2(self) -> int:
        return self.sw & 0xFF

    @property
    def ok(self) -> bool:
        return self.sw == SW_OK

    def check(self, command: str = "") -> bytes:
        """The data if the status is ``9000``; else raise :class:`CardRefused`."""
        if self.sw != SW_OK:
            raise CardRefused(self.sw, command)
        return self.data

    def encode(self) -> bytes:
        return self.data + self.sw.to_bytes(2, "big")

    @classmethod
    def decode(cls, raw: BytesLike) -> ResponseApdu:
        raw = bytes(raw)
        if len(raw) < 2:
            raise ApduError("a response APDU has at least 2 bytes, not %d" % len(raw))
        return cls(raw[:-2], int.from_bytes(raw[-2:], "big"))


def chain(
    cla: int, ins: int, p1: int, p2: int, data: bytes, le: int | None = None
) -> list[CommandApdu]:
    """The command as a chain of short APDUs; one APDU if the data fits.

    Every part but the last has ``CLA | 0x10`` and no ``Le``.
    """
    data = bytes(data)
    if _byte(cla, "cla") & CLA_CHAINING:
        raise ApduError("CLA %02X already has the chaining bit" % cla)
    parts = [data[i : i + MAX_DATA] for i in range(0, len(data), MAX_DATA)] or [b""]
    commands = [
        CommandApdu(cla | CLA_CHAINING, ins, p1, p2, part) for part in parts[:-1]
    ]
    commands.append(CommandApdu(cla, ins, p1, p2, parts[-1], le))
    return commands


class ChainAssembler:
    """Joins the parts of a command chain (the card's side).

    :meth:`add` returns ``None`` while parts are still expected, and the
    data of the whole chain when the last part arrives (a command that is
    not part of a chain gives its own data back); the last part's header
    and ``Le`` are the command's.  A part whose CLA (without
    the chaining bit), INS, P1 or P2 differ from the first part's, or a
    chain longer than ``limit`` bytes, raises :class:`ApduError` and drops
    the chain.
    """

    def __init__(self, limit: int = 1024) -> None:
        self._limit = limit
        self._first: CommandApdu | None = None
        self._data = bytearray()

    @property
    def pending(self) -> bool:
        """Whether a chain has started and its last part is still expected."""
        return self._first is not None

    def reset(self) -> None:
        self._first = None
        self._data.clear()

    def add(self, command: CommandApdu) -> bytes | None:
        first = self._first
        if first is not None and (
            (first.cla & ~CLA_CHAINING, first.ins, first.p1, first.p2)
            != (command.cla & ~CLA_CHAINING, command.ins, command.p1, command.p2)
        ):
            self.reset()
            raise ApduError("a chain was broken by another command")
        if len(self._data) + len(command.data) > self._limit:
            self.reset()
            raise ApduError("command chain longer than %d bytes" % self._limit)
        if command.chained:
            if command.le is not None:
                self.reset()
                raise ApduError("a part of a chain before the last has no Le")
            self._first = first or command
            self._data += command.data
            return None
        data = bytes(self._data) + command.data
        self.reset()
        return data
