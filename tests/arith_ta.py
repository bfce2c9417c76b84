"""Client side of the arith_test TA (``csrc/ta/arith_test``).

The constants are a hand-written mirror of
``csrc/ta/arith_test/include/arith_test_ta.h`` (that header documents every
command); ``test_arith.py`` checks that the two agree.  :class:`ArithTA`
runs the commands on a session: big integers travel as Python ``int``.
"""

from __future__ import annotations

import struct
from typing import NamedTuple

from pytee import Origin, Session, TempIn, TempOut, ValueIn, ValueInOut, ValueOut
from pytee.errors import check

TA_ARITH_TEST_UUID = "5b7256e3-5e20-43ee-a83a-a550a4735c34"
TA_ARITH_TEST_PEER_UUID = "c3110537-2f00-454a-ad1b-beb952829472"

TA_ARITH_TEST_DATA_SIZE = 64 * 1024
TA_ARITH_TEST_STACK_SIZE = 4 * 1024
TA_ARITH_TEST_VERSION = "1.0"

TA_ARITH_MAX_BYTES = 2040
TA_ARITH_MAX_BITS = 16320

TA_ARITH_FLAG_ALIAS = 0x1
TA_ARITH_FLAG_NULL_1 = 0x2
TA_ARITH_FLAG_NULL_2 = 0x4
TA_ARITH_FLAG_FMM_CONTEXT = 0x8
TA_ARITH_FLAG_OLD_CONTEXT = 0x10

TA_ARITH_CMD_FROM_OCTETS = 0
TA_ARITH_CMD_TO_OCTETS = 1
TA_ARITH_CMD_FROM_S32 = 2
TA_ARITH_CMD_TO_S32 = 3
TA_ARITH_CMD_CMP = 4
TA_ARITH_CMD_CMP_S32 = 5
TA_ARITH_CMD_SHIFT_RIGHT = 6
TA_ARITH_CMD_GET_BIT = 7
TA_ARITH_CMD_GET_BIT_COUNT = 8
TA_ARITH_CMD_SET_BIT = 9
TA_ARITH_CMD_ASSIGN = 10
TA_ARITH_CMD_ABS = 11
TA_ARITH_CMD_NEG = 12
TA_ARITH_CMD_ADD = 13
TA_ARITH_CMD_SUB = 14
TA_ARITH_CMD_MUL = 15
TA_ARITH_CMD_SQUARE = 16
TA_ARITH_CMD_DIV = 17
TA_ARITH_CMD_MOD = 18
TA_ARITH_CMD_ADD_MOD = 19
TA_ARITH_CMD_SUB_MOD = 20
TA_ARITH_CMD_MUL_MOD = 21
TA_ARITH_CMD_SQUARE_MOD = 22
TA_ARITH_CMD_INV_MOD = 23
TA_ARITH_CMD_EXP_MOD = 24
TA_ARITH_CMD_RELATIVE_PRIME = 25
TA_ARITH_CMD_EXTENDED_GCD = 26
TA_ARITH_CMD_IS_PROBABLE_PRIME = 27
TA_ARITH_CMD_FMM = 28
TA_ARITH_CMD_INIT = 29

TA_ARITH_CMD_SYSTEM_TIME = 100
TA_ARITH_CMD_REE_TIME = 101
TA_ARITH_CMD_GET_PERSISTENT_TIME = 102
TA_ARITH_CMD_SET_PERSISTENT_TIME = 103
TA_ARITH_CMD_WAIT_ELAPSED = 104

#: Result size used when a call does not name one: room for any product of
#: two operands of the largest size the tests use.
DEFAULT_BITS = 4 * 2048
#: Room for three results of the largest size.
OUT_SIZE = 3 * (5 + TA_ARITH_MAX_BYTES)


def encode(*values: int) -> bytes:
    """Operands in the TA's encoding: sign octet, length, magnitude."""
    out = bytearray()
    for value in values:
        magnitude = abs(value).to_bytes((abs(value).bit_length() + 7) // 8, "big")
        out += struct.pack(">BI", value < 0, len(magnitude)) + magnitude
    return bytes(out)


def decode(data: bytes) -> list[int]:
    """The results the TA encoded, checking the encoding as it goes."""
    values = []
    pos = 0
    while pos < len(data):
        sign, length = struct.unpack_from(">BI", data, pos)
        pos += 5
        magnitude = data[pos : pos + length]
        assert sign in (0, 1) and len(magnitude) == length, "bad encoding"
        assert not magnitude or magnitude[0], "magnitude not minimal"
        value = int.from_bytes(magnitude, "big")
        assert value or not sign, "negative zero"
        values.append(-value if sign else value)
        pos += length
    return values


def s32(value: int) -> int:
    """A uint32 the TA sent back, read as the int32 it holds."""
    return value - (1 << 32) if value & 0x80000000 else value


def u32(value: int) -> int:
    """An int32 as the uint32 the TA reads it from."""
    return value & 0xFFFFFFFF


class Reply(NamedTuple):
    """What a big integer command gives back."""

    values: list[int]
    a: int  # p3 out a: the function's return value
    b: int  # p3 out b


class TeeTime(NamedTuple):
    seconds: int
    millis: int

    @property
    def ms(self) -> int:
        return self.seconds * 1000 + self.millis


class ArithTA:
    """The commands of the arith_test TA on an open session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def call(
        self,
        cmd: int,
        *operands: int,
        bits: int = DEFAULT_BITS,
        arg: int = 0,
        flags: int = 0,
        raw: bytes | None = None,
    ) -> Reply:
        """Run a big integer command; ``raw`` replaces the encoded operands."""
        data = encode(*operands) if raw is None else raw
        out, ret = self.session.invoke(
            cmd,
            TempIn(data),
            TempOut(OUT_SIZE),
            ValueIn(bits, arg),
            ValueInOut(flags, 0),
        )
        values = [] if cmd == TA_ARITH_CMD_TO_OCTETS else decode(bytes(out))
        return Reply(values, ret.a, ret.b)

    def value(
        self,
        cmd: int,
        *operands: int,
        bits: int = DEFAULT_BITS,
        arg: int = 0,
        flags: int = 0,
    ) -> int:
        """The one result of a command."""
        (result,) = self.call(cmd, *operands, bits=bits, arg=arg, flags=flags).values
        return result

    def to_octets(self, x: int, offered: int) -> tuple[int, int, bytes]:
        """TEE_BigIntConvertToOctetString: (result, reported length, octets)."""
        out, ret = self.session.invoke(
            TA_ARITH_CMD_TO_OCTETS,
            TempIn(encode(x)),
            TempOut(OUT_SIZE),
            ValueIn(DEFAULT_BITS, offered),
            ValueInOut(0, 0),
        )
        return ret.a, ret.b, bytes(out)

    # -- time ------------------------------------------------------------

    def _time(self, cmd: int) -> TeeTime:
        (t,) = self.session.invoke(cmd, ValueOut())
        return TeeTime(t.a, t.b)

    def system_time(self) -> TeeTime:
        return self._time(TA_ARITH_CMD_SYSTEM_TIME)

    def ree_time(self) -> TeeTime:
        return self._time(TA_ARITH_CMD_REE_TIME)

    def persistent_time(self) -> tuple[int, TeeTime]:
        """TEE_GetTAPersistentTime: (its result, the time it filled in)."""
        t, res = self.session.invoke(
            TA_ARITH_CMD_GET_PERSISTENT_TIME, ValueOut(), ValueOut()
        )
        return res.a, TeeTime(t.a, t.b)

    def checked_persistent_time(self) -> TeeTime:
        """TEE_GetTAPersistentTime; a result other than success raises its
        TeeError (origin TRUSTED_APP), as if the command had returned it."""
        code, t = self.persistent_time()
        check(code, Origin.TRUSTED_APP, "TEE_GetTAPersistentTime")
        return t

    def set_persistent_time(self, seconds: int, millis: int) -> None:
        """TEE_SetTAPersistentTime; its error, if any, raises."""
        self.session.invoke(TA_ARITH_CMD_SET_PERSISTENT_TIME, ValueIn(seconds, millis))

    def wait_elapsed(self, ms: int) -> tuple[int, int]:
        """(system time in ms around TEE_Wait(ms), TEE_Wait's result)."""
        (out,) = self.session.invoke(
            TA_ARITH_CMD_WAIT_ELAPSED, ValueIn(ms, 0), ValueOut()
        )
        return out.a, out.b
