"""One exception family for the payment system.

Every check that stops a transaction raises its own subclass of
:class:`PaymentError`, so a caller (or a test) can tell which check stopped
it.  Malformed bytes raise :class:`WireError`, which is also a
``ValueError``.
"""

from __future__ import annotations

from pytee.payment.status import sw_name

__all__ = [
    "ApduError",
    "BadCard",
    "BadCertificate",
    "BadLuhn",
    "BadSignature",
    "CardExpired",
    "CardRefused",
    "DecryptFailed",
    "DeviceMismatch",
    "IssuerRefused",
    "LoadConfirmed",
    "LoadReplay",
    "PaymentError",
    "RelaySuspected",
    "Revoked",
    "StaleAtc",
    "TlvError",
    "TransportError",
    "UnconfirmedLoad",
    "UnsupportedSuite",
    "WireError",
    "WrongBin",
]


class PaymentError(Exception):
    """Base of every error of :mod:`pytee.payment`."""


class WireError(PaymentError, ValueError):
    """Bytes that do not follow a layout of docs/payment.md."""


class TlvError(WireError):
    """Malformed BER-TLV: bad tag, bad or overlong length, truncation."""


class ApduError(WireError):
    """A malformed command or response APDU."""


class TransportError(PaymentError):
    """The link to the card failed (the field dropped, the reader left)."""


class CardRefused(PaymentError):
    """The card answered a status word other than ``9000``."""

    def __init__(self, sw: int, command: str = "") -> None:
        self.sw = sw
        self.command = command
        where = " to %s" % command if command else ""
        super().__init__("card answered %04X (%s)%s" % (sw, sw_name(sw), where))


class BadSignature(PaymentError):
    """An ECDSA signature does not verify, or is not 64 bytes."""


class BadCertificate(PaymentError):
    """A certificate is not the issuer's, has the wrong kind or subject."""


class Revoked(PaymentError):
    """The device or its token is on the revocation list."""


class StaleAtc(PaymentError):
    """The transaction counter is not greater than the last one seen."""

    def __init__(self, atc: int, last: int) -> None:
        self.atc = atc
        self.last = last
        super().__init__("ATC %d is not greater than the last seen, %d" % (atc, last))


class UnsupportedSuite(PaymentError):
    """No cipher suite both sides support, or an unknown suite id."""


class DecryptFailed(PaymentError):
    """The HPKE ciphertext does not open with the acquirer key."""


class RelaySuspected(PaymentError):
    """The card took longer than the terminal's delay bound to answer GPO."""


class BadCard(PaymentError):
    """The card data fails a check of the terminal."""


class BadLuhn(BadCard):
    """The token's Luhn check digit is wrong."""


class WrongBin(BadCard):
    """The token is not under a BIN that the terminal accepts."""


class CardExpired(BadCard):
    """The card or its certificate expired before the transaction date."""


class DeviceMismatch(BadCard):
    """The encrypted card data belongs to another device or answer."""


class IssuerRefused(PaymentError):
    """The issuer refuses to certify, enrol or authorise a load."""


class LoadReplay(IssuerRefused):
    """A load challenge the issuer has already seen or that is spent."""


class LoadConfirmed(LoadReplay):
    """A load receipt for a load counter the issuer has confirmed already:
    it counts each load once."""

    def __init__(self, counter: int) -> None:
        self.counter = counter
        super().__init__("the load of counter %d is confirmed already" % counter)


class UnconfirmedLoad(IssuerRefused):
    """The TA's load counter is past a load the issuer authorised and never
    saw the receipt of (CREDIT_LOAD's answer was lost): the issuer signs no
    more loads for the device until that receipt comes (LAST_LOAD gives it
    again).  ``counter`` is the load counter whose receipt is missing."""

    def __init__(self, counter: int) -> None:
        self.counter = counter
        super().__init__(
            "the receipt of load %d never reached the issuer: confirm it first"
            % counter
        )
