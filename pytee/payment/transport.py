"""How a terminal reaches a card: anything that carries an APDU and its answer.

A :class:`Transport` sends one command APDU and returns the response APDU
(data and status word), as bytes.  :class:`InProcessTransport` hands the
bytes to a :class:`Card` object in the same process (the CA implements
``process``); a PC/SC reader is another transport.  A transport whose link
fails raises :class:`~pytee.payment.errors.TransportError`.
:func:`exchange` is a terminal's side of one command: it follows the
card's ``61xx`` and ``6Cxx`` and returns the data of a ``9000``.
"""

from __future__ import annotations

from typing import Protocol

from pytee.payment.apdu import CommandApdu, ResponseApdu

__all__ = ["Card", "InProcessTransport", "Transport", "exchange"]

_GET_RESPONSE = (0x00, 0xC0, 0x00, 0x00)


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


def exchange(transport: Transport, command: CommandApdu, what: str) -> bytes:
    """Send ``command``; follow 61xx and 6Cxx; return the data of a 9000.

    Another status word raises :class:`~pytee.payment.errors.CardRefused`
    naming ``what``.
    """
    response = ResponseApdu.decode(transport.transmit(command.encode()))
    if response.sw1 == 0x6C:
        command = CommandApdu(
            command.cla,
            command.ins,
            command.p1,
            command.p2,
            command.data,
            response.sw2 or 256,
        )
        response = ResponseApdu.decode(transport.transmit(command.encode()))
    data = response.data
    while response.sw1 == 0x61:
        get = CommandApdu(*_GET_RESPONSE, le=response.sw2 or 256)
        response = ResponseApdu.decode(transport.transmit(get.encode()))
        data += response.data
    response.check(what)
    return data
