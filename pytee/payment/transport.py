"""How a terminal reaches a card: anything that carries an APDU and its answer.

A :class:`Transport` sends one command APDU and returns the response APDU
(data and status word), as bytes.  :class:`InProcessTransport` hands the
bytes to a :class:`Card` object in the same process (the CA implements
``process``); a PC/SC reader is another transport.  A transport whose link
fails raises :class:`~pytee.payment.errors.TransportError`.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["Card", "InProcessTransport", "Transport"]


class Transport(Protocol):
    """Carries one command APDU to a card and its response back."""

    def transmit(self, apdu: bytes) -> bytes: ...


class Card(Protocol):
    """The card side: answers a command APDU with a response APDU."""

    def process(self, apdu: bytes) -> bytes: ...


class InProcessTransport:
    """A transport to a card object in the same process."""

    def __init__(self, card: Card) -> None:
        self.card = card

    def transmit(self, apdu: bytes) -> bytes:
        return bytes(self.card.process(bytes(apdu)))
