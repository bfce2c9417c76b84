"""Bytes for the payment TA: big-endian integers, a reader of fixed layouts,
the ASCII tags of signed messages and BCD dates (docs/payment.md).

A layout is read field by field with :class:`Reader`, which raises the TEE
error its caller chose when the bytes run out or are left over: a request
that does not parse is ``BAD_PARAMETERS``, a certificate ``SECURITY``.
A layout is written as the concatenation of its fields, in order.
"""

from __future__ import annotations

from pytee.internal import error


def u16(value: int) -> bytes:
    return value.to_bytes(2, "big")


def u32(value: int) -> bytes:
    return value.to_bytes(4, "big")


def u64(value: int) -> bytes:
    return value.to_bytes(8, "big")


def tag(name: str) -> bytes:
    """The ASCII tag that starts a signed message, and its zero byte."""
    return name.encode("ascii") + b"\0"


class Reader:
    """Takes the fields of a layout off ``data``, front to back.

    Any read past the end, and :meth:`done` with bytes left, raise
    ``error(code)``.
    """

    def __init__(self, data: bytes, code: int) -> None:
        self._data = data
        self._pos = 0
        self._code = code

    def take(self, size: int) -> bytes:
        end = self._pos + size
        if end > len(self._data):
            raise error(self._code, "the layout runs past the end")
        field = self._data[self._pos : end]
        self._pos = end
        return field

    def u8(self) -> int:
        return self.take(1)[0]

    def u16(self) -> int:
        return int.from_bytes(self.take(2), "big")

    def u32(self) -> int:
        return int.from_bytes(self.take(4), "big")

    def u64(self) -> int:
        return int.from_bytes(self.take(8), "big")

    def done(self) -> None:
        """Everything was read: nothing is left over."""
        if self._pos != len(self._data):
            raise error(self._code, "bytes left after the layout")


def _bcd(byte: int) -> int | None:
    """The value of a BCD byte, or None when a nibble is above 9."""
    high, low = byte >> 4, byte & 0xF
    return None if high > 9 or low > 9 else high * 10 + low


def bcd_date_valid(date: bytes) -> bool:
    """YYMMDD in BCD, with a month 01-12 and a day 01-31."""
    year, month, day = (_bcd(b) for b in date)
    return (
        year is not None
        and month is not None
        and 1 <= month <= 12
        and day is not None
        and 1 <= day <= 31
    )


def date_past(date: bytes, not_after: bytes) -> bool:
    """Whether a certificate valid through ``not_after`` has expired on ``date``
    (BCD dates of one century compare as their bytes do)."""
    return date > not_after


def expiry_past(date: bytes, expiry: bytes) -> bool:
    """Whether a card that expires in ``expiry`` (ASCII YYMM) has expired on
    ``date``: it is good through the last day of that month."""
    return date[:2] > bytes.fromhex(expiry.decode("ascii"))


def digits(data: bytes) -> bool:
    """Only ASCII digits (and at least one)."""
    return data.isdigit()


def printable(data: bytes) -> bool:
    """Only printable ASCII (20-7E), as a terminal id."""
    return all(0x20 <= b <= 0x7E for b in data)
