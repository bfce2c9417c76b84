"""Small encodings of the protocol: BCD numbers and dates, expiry, Luhn.

Amounts travel in APDUs as EMV ``n12``: twelve BCD digits in six bytes, in
fen.  Dates are ``YYMMDD`` in three BCD bytes, years 2000-2099.  A card
expiry is four ASCII digits ``YYMM``; the card is valid through the last day
of that month.
"""

from __future__ import annotations

import calendar
import datetime
from typing import Union

from pytee.payment.errors import WireError

__all__ = [
    "AMOUNT_BCD_MAX",
    "BytesLike",
    "amount_from_bcd",
    "amount_to_bcd",
    "bcd_decode",
    "bcd_encode",
    "check_expiry",
    "date_from_bcd",
    "date_to_bcd",
    "expiry_last_day",
    "luhn_check_digit",
    "luhn_valid",
]

BytesLike = Union[bytes, bytearray, memoryview]
"""What the decoders and checkers take: bytes or any view of them."""

AMOUNT_BCD_MAX = 999_999_999_999
"""The largest amount an ``n12`` field holds (fen)."""


def bcd_encode(value: int, size: int) -> bytes:
    """``value`` as ``2 * size`` BCD digits, left-padded with zeros."""
    if size < 1:
        raise ValueError("a BCD field has at least one byte")
    if value < 0 or value >= 10 ** (2 * size):
        raise ValueError("%d does not fit in %d BCD digits" % (value, 2 * size))
    digits = "%0*d" % (2 * size, value)
    return bytes.fromhex(digits)


def bcd_decode(data: BytesLike) -> int:
    """The number in BCD ``data``; any nibble above 9 raises ``WireError``."""
    text = bytes(data).hex()
    if not text.isdigit():
        raise WireError("not BCD: %s" % text)
    return int(text) if text else 0


def amount_to_bcd(amount: int) -> bytes:
    """An amount in fen as EMV ``n12`` (6 bytes)."""
    return bcd_encode(amount, 6)


def amount_from_bcd(data: BytesLike) -> int:
    """The amount in fen of an EMV ``n12`` field, which must be 6 bytes."""
    if len(data) != 6:
        raise WireError("an n12 amount is 6 bytes, not %d" % len(data))
    return bcd_decode(data)


def date_to_bcd(date: datetime.date) -> bytes:
    """``YYMMDD`` in 3 BCD bytes; the year must be in 2000-2099."""
    if not 2000 <= date.year <= 2099:
        raise ValueError("year %d is outside 2000-2099" % date.year)
    return bcd_encode((date.year - 2000) * 10000 + date.month * 100 + date.day, 3)


def date_from_bcd(data: BytesLike) -> datetime.date:
    """The date of a 3-byte ``YYMMDD`` BCD field; invalid dates raise."""
    if len(data) != 3:
        raise WireError("a BCD date is 3 bytes, not %d" % len(data))
    value = bcd_decode(data)
    try:
        return datetime.date(2000 + value // 10000, value // 100 % 100, value % 100)
    except ValueError as exc:
        raise WireError("not a date: %s" % bytes(data).hex()) from exc


def check_expiry(expiry: str) -> str:
    """Return ``expiry`` if it is four ASCII digits ``YYMM`` with a valid month."""
    if len(expiry) != 4 or not expiry.isascii() or not expiry.isdigit():
        raise WireError("an expiry is 4 digits YYMM, not %r" % expiry)
    if not 1 <= int(expiry[2:]) <= 12:
        raise WireError("no month %s in expiry %s" % (expiry[2:], expiry))
    return expiry


def expiry_last_day(expiry: str) -> datetime.date:
    """The last day on which a card with expiry ``YYMM`` is valid."""
    check_expiry(expiry)
    year, month = 2000 + int(expiry[:2]), int(expiry[2:])
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _luhn_sum(digits: str) -> int:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total


def _check_digits(number: str) -> None:
    if not number or not number.isascii() or not number.isdigit():
        raise ValueError("not a string of ASCII digits: %r" % number)


def luhn_check_digit(payload: str) -> str:
    """The Luhn check digit to append to ``payload`` (ASCII digits)."""
    _check_digits(payload)
    return str(-_luhn_sum(payload + "0") % 10)


def luhn_valid(number: str) -> bool:
    """Whether ``number`` (ASCII digits, check digit last) passes Luhn."""
    _check_digits(number)
    return len(number) >= 2 and _luhn_sum(number) % 10 == 0
