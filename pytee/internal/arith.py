"""The TEE Arithmetical API (GP 8): a thin :class:`BigInt` over ``TEE_BigInt``.

::

    from pytee.internal.arith import BigInt

    n = BigInt(0xC5) * 7 + 1
    int(n.exp_mod(65537, 2**127 - 1))

A :class:`BigInt` holds its own ``TEE_BigInt`` array; every operation
computes in libtee into a new one sized for its result, so a ``BigInt``
never changes.  Operands may be ``BigInt`` or ``int``.  Division follows
GP: :meth:`BigInt.div` rounds toward zero and gives the remainder the sign
of the dividend; the modular operations give results in ``[0, n - 1]``.

What GP answers with a panic raises before any C call: a zero divisor
``ZeroDivisionError``; a modulus below 2, a value without an inverse, a
negative exponent ``ValueError``; a value beyond what libtee can hold
(16320 bits) ``OverflowError``.  An even modulus of :meth:`BigInt.exp_mod`
raises :class:`~pytee.errors.NotSupported`, as libtee answers.
The fast modular multiplication (``TEE_BigIntFMM*``) is not wrapped.
"""

from __future__ import annotations

import functools
from typing import Any, Union

from pytee.internal._check import check, load, u32

__all__ = ["MAX_BITS", "BigInt"]

#: The largest magnitude libtee holds: TEE_BigIntInit takes at most 512
#: words, two of them the header (as OP-TEE's CFG_TA_BIGNUM_MAX_BITS 2048).
MAX_BITS = 510 * 32

_S32_MIN, _S32_MAX = -(2**31), 2**31 - 1

Operand = Union["BigInt", int]


def _words(bits: int) -> int:
    """``TEE_BigIntSizeInU32(bits)``, at least one word of magnitude."""
    if bits > MAX_BITS:
        raise OverflowError(
            "a result of up to %d bits exceeds the %d bits of a TEE_BigInt"
            % (bits, MAX_BITS)
        )
    return (max(bits, 1) + 31) // 32 + 2


@functools.total_ordering
class BigInt:
    """An immutable signed integer kept in a ``TEE_BigInt``."""

    __slots__ = ("_array",)

    def __init__(self, value: Operand = 0) -> None:
        if isinstance(value, BigInt):
            self._array: Any = value._array
            return
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(
                "a BigInt is made from an int, not %s" % type(value).__name__
            )
        _, lib = load()
        self._array = _new(value.bit_length())
        if _S32_MIN <= value <= _S32_MAX:
            lib.TEE_BigIntConvertFromS32(self._array, value)
            return
        magnitude = abs(value)
        octets = magnitude.to_bytes((magnitude.bit_length() + 7) // 8, "big")
        check(
            lib.TEE_BigIntConvertFromOctetString(
                self._array, octets, len(octets), -1 if value < 0 else 1
            ),
            "TEE_BigIntConvertFromOctetString",
        )

    # -- conversions

    @classmethod
    def from_bytes(cls, data: bytes, negative: bool = False) -> BigInt:
        """``TEE_BigIntConvertFromOctetString``: a big-endian magnitude."""
        _, lib = load()
        octets = bytes(data)
        result = cls._of(_new(8 * len(octets.lstrip(b"\0"))))
        check(
            lib.TEE_BigIntConvertFromOctetString(
                result._array, octets, len(octets), -1 if negative else 1
            ),
            "TEE_BigIntConvertFromOctetString",
        )
        return result

    def to_bytes(self) -> bytes:
        """``TEE_BigIntConvertToOctetString``: the magnitude, big-endian, in the
        fewest octets (``b""`` for zero); the sign is not represented."""
        ffi, lib = load()
        size = (self.bit_length() + 7) // 8
        buffer = ffi.new("uint8_t[]", max(size, 1))
        length = ffi.new("size_t *", size)
        check(
            lib.TEE_BigIntConvertToOctetString(buffer, length, self._array),
            "TEE_BigIntConvertToOctetString",
        )
        return bytes(ffi.buffer(buffer, int(length[0])))

    def __int__(self) -> int:
        magnitude = int.from_bytes(self.to_bytes(), "big")
        return -magnitude if self.sign() < 0 else magnitude

    __index__ = __int__

    def __repr__(self) -> str:
        return "BigInt(%d)" % int(self)

    def __hash__(self) -> int:
        return hash(int(self))

    # -- logical (GP 8.6)

    def sign(self) -> int:
        """-1, 0 or 1 (``TEE_BigIntCmpS32`` with 0)."""
        _, lib = load()
        return int(lib.TEE_BigIntCmpS32(self._array, 0))

    def cmp(self, other: Operand) -> int:
        """``TEE_BigIntCmp``: -1, 0 or 1."""
        _, lib = load()
        return int(lib.TEE_BigIntCmp(self._array, _operand(other)._array))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (BigInt, int)):
            return NotImplemented
        return self.cmp(other) == 0

    def __lt__(self, other: Operand) -> bool:
        if not isinstance(other, (BigInt, int)):
            return NotImplemented
        return self.cmp(other) < 0

    def bit_length(self) -> int:
        """``TEE_BigIntGetBitCount``: bits of the magnitude."""
        _, lib = load()
        return int(lib.TEE_BigIntGetBitCount(self._array))

    def get_bit(self, index: int) -> bool:
        """``TEE_BigIntGetBit``: bit ``index`` of the magnitude."""
        _, lib = load()
        return bool(lib.TEE_BigIntGetBit(self._array, u32(index, "index")))

    def __rshift__(self, bits: int) -> BigInt:
        """``TEE_BigIntShiftRight``: the magnitude shifted, the sign kept."""
        _, lib = load()
        if bits < 0:
            raise ValueError("negative shift count")
        result = self._of(_new(self.bit_length()))
        lib.TEE_BigIntShiftRight(result._array, self._array, bits)
        return result

    def __abs__(self) -> BigInt:
        _, lib = load()
        result = self._of(_new(self.bit_length()))
        check(lib.TEE_BigIntAbs(result._array, self._array), "TEE_BigIntAbs")
        return result

    # -- basic (GP 8.7)

    def __add__(self, other: Operand) -> BigInt:
        b = _operand(other)
        return self._binary(
            "TEE_BigIntAdd", b, max(self.bit_length(), b.bit_length()) + 1
        )

    __radd__ = __add__

    def __sub__(self, other: Operand) -> BigInt:
        b = _operand(other)
        return self._binary(
            "TEE_BigIntSub", b, max(self.bit_length(), b.bit_length()) + 1
        )

    def __rsub__(self, other: Operand) -> BigInt:
        return _operand(other) - self

    def __mul__(self, other: Operand) -> BigInt:
        b = _operand(other)
        return self._binary("TEE_BigIntMul", b, self.bit_length() + b.bit_length())

    __rmul__ = __mul__

    def __neg__(self) -> BigInt:
        _, lib = load()
        result = self._of(_new(self.bit_length()))
        lib.TEE_BigIntNeg(result._array, self._array)
        return result

    def square(self) -> BigInt:
        """``TEE_BigIntSquare``."""
        _, lib = load()
        result = self._of(_new(2 * self.bit_length()))
        lib.TEE_BigIntSquare(result._array, self._array)
        return result

    def div(self, divisor: Operand) -> tuple[BigInt, BigInt]:
        """``TEE_BigIntDiv``: ``(quotient, remainder)``, rounded toward zero."""
        _, lib = load()
        d = _operand(divisor)
        if d.sign() == 0:
            raise ZeroDivisionError("BigInt division by zero")
        quotient = self._of(_new(self.bit_length()))
        remainder = self._of(_new(d.bit_length()))
        lib.TEE_BigIntDiv(quotient._array, remainder._array, self._array, d._array)
        return quotient, remainder

    # -- modular (GP 8.8)

    def __mod__(self, modulus: Operand) -> BigInt:
        """``TEE_BigIntMod``: in ``[0, n - 1]``."""
        _, lib = load()
        n = _modulus(modulus)
        result = self._of(_new(n.bit_length()))
        lib.TEE_BigIntMod(result._array, self._array, n._array)
        return result

    def add_mod(self, other: Operand, modulus: Operand) -> BigInt:
        """``TEE_BigIntAddMod``."""
        return self._modular("TEE_BigIntAddMod", _operand(other), modulus)

    def sub_mod(self, other: Operand, modulus: Operand) -> BigInt:
        """``TEE_BigIntSubMod``."""
        return self._modular("TEE_BigIntSubMod", _operand(other), modulus)

    def mul_mod(self, other: Operand, modulus: Operand) -> BigInt:
        """``TEE_BigIntMulMod``."""
        return self._modular("TEE_BigIntMulMod", _operand(other), modulus)

    def square_mod(self, modulus: Operand) -> BigInt:
        """``TEE_BigIntSquareMod``."""
        return self._modular("TEE_BigIntSquareMod", None, modulus)

    def inv_mod(self, modulus: Operand) -> BigInt:
        """``TEE_BigIntInvMod``: the inverse modulo ``modulus``."""
        n = _modulus(modulus)
        if self.sign() == 0 or not self.relative_prime(n):
            raise ValueError("%r has no inverse modulo %r" % (self, n))
        return self._modular("TEE_BigIntInvMod", None, n)

    def exp_mod(self, exponent: Operand, modulus: Operand) -> BigInt:
        """``TEE_BigIntExpMod``: ``self ** exponent % modulus`` (odd modulus > 2)."""
        _, lib = load()
        e = _operand(exponent)
        n = _modulus(modulus)
        if n.cmp(2) <= 0:
            raise ValueError("exp_mod needs a modulus above 2")
        if e.sign() < 0:
            raise ValueError("exp_mod needs a non-negative exponent")
        result = self._of(_new(n.bit_length()))
        check(
            lib.TEE_BigIntExpMod(
                result._array, self._array, e._array, n._array, load()[0].NULL
            ),
            "TEE_BigIntExpMod",
        )
        return result

    # -- other (GP 8.9)

    def relative_prime(self, other: Operand) -> bool:
        """``TEE_BigIntRelativePrime``: whether gcd(|self|, |other|) is 1."""
        _, lib = load()
        return bool(lib.TEE_BigIntRelativePrime(self._array, _operand(other)._array))

    def extended_gcd(self, other: Operand) -> tuple[BigInt, BigInt, BigInt]:
        """``TEE_BigIntComputeExtendedGcd``: ``(gcd, u, v)`` with
        ``u * self + v * other == gcd``."""
        _, lib = load()
        b = _operand(other)
        bits = max(self.bit_length(), b.bit_length()) + 1
        gcd, u, v = (self._of(_new(bits)) for _ in range(3))
        lib.TEE_BigIntComputeExtendedGcd(
            gcd._array, u._array, v._array, self._array, b._array
        )
        return gcd, u, v

    def is_probable_prime(self, confidence: int = 80) -> bool | None:
        """``TEE_BigIntIsProbablePrime``: False if composite, True if prime
        with error below 2**-confidence, None if it cannot tell."""
        _, lib = load()
        answer = int(
            lib.TEE_BigIntIsProbablePrime(self._array, u32(confidence, "confidence"))
        )
        return None if answer < 0 else bool(answer)

    # -- helpers

    @classmethod
    def _of(cls, array: Any) -> BigInt:
        result = cls.__new__(cls)
        result._array = array
        return result

    def _binary(self, function: str, other: BigInt, bits: int) -> BigInt:
        _, lib = load()
        result = self._of(_new(bits))
        getattr(lib, function)(result._array, self._array, other._array)
        return result

    def _modular(self, function: str, other: BigInt | None, modulus: Operand) -> BigInt:
        _, lib = load()
        n = _modulus(modulus)
        result = self._of(_new(n.bit_length()))
        operands = (self._array,) if other is None else (self._array, other._array)
        getattr(lib, function)(result._array, *operands, n._array)
        return result


def _new(bits: int) -> Any:
    """A fresh ``TEE_BigInt`` array with room for ``bits`` (``TEE_BigIntInit``)."""
    ffi, lib = load()
    length = _words(bits)
    array = ffi.new("TEE_BigInt[]", length)
    lib.TEE_BigIntInit(array, length)
    return array


def _operand(value: Operand) -> BigInt:
    return value if isinstance(value, BigInt) else BigInt(value)


def _modulus(value: Operand) -> BigInt:
    n = _operand(value)
    if n.cmp(2) < 0:
        raise ValueError("a modulus must be at least 2, got %r" % (n,))
    return n
