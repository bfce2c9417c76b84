"""The issuer's load device: a top-up point that loads a phone over the field.

Step S1's load (docs/payment.md, "Load") done at a terminal of the issuer
(a kiosk, a bank's ATM) instead of through the wallet: the phone is tapped,
and :meth:`LoadDevice.load` sends SELECT, INITIALIZE FOR LOAD (the TA's
challenge and load counter), has the issuer authorise the load, sends
CREDIT FOR LOAD and hands the TA's receipt to the issuer, which checks its
signature and counts the load.  The wallet app plays no part: its CA only
relays the APDUs to the TA, as for a payment.

When the issuer first wants the receipt of an earlier load whose answer
was lost (:class:`~pytee.payment.errors.UnconfirmedLoad`), the device asks
the card for it (CREDIT FOR LOAD with P1 ``01``, the TA's LAST_LOAD), gives
it to the issuer and asks for the authorisation again, once.
"""

from __future__ import annotations

import contextlib

from pytee.payment import commands
from pytee.payment.errors import BadSignature, LoadConfirmed, UnconfirmedLoad
from pytee.payment.issuer import Issuer
from pytee.payment.transport import Transport, exchange
from pytee.payment.wire import LoadChallenge, LoadReceipt

__all__ = ["LoadDevice"]


class LoadDevice:
    """A load device of ``issuer``: each :meth:`load` is one tap."""

    def __init__(self, issuer: Issuer) -> None:
        self.issuer = issuer

    def load(self, transport: Transport, amount: int) -> LoadReceipt:
        """Load ``amount`` fen (at most n12) onto the card on ``transport``.

        Returns the TA's receipt, which the issuer took.  The card's status
        words raise :class:`~pytee.payment.errors.CardRefused`, the issuer's
        refusals their :class:`~pytee.payment.errors.IssuerRefused`
        subclass; a receipt for another load counter raises
        :class:`~pytee.payment.errors.BadSignature`.
        """
        exchange(transport, commands.select_aid_command(), "SELECT")
        challenge = commands.parse_init_load_answer(
            exchange(transport, commands.init_load_command(), "INITIALIZE FOR LOAD")
        )
        try:
            authorisation = self.issuer.authorise_load(challenge, amount)
        except UnconfirmedLoad:
            self._confirm_last_load(transport, challenge)
            authorisation = self.issuer.authorise_load(challenge, amount)
        answer = exchange(
            transport,
            commands.credit_load_command(authorisation),
            "CREDIT FOR LOAD",
        )
        receipt = commands.parse_credit_load_answer(answer)
        if receipt.counter != challenge.counter:
            raise BadSignature(
                "the load receipt is for counter %d, not %d"
                % (receipt.counter, challenge.counter)
            )
        self.issuer.confirm_load(challenge.device_id, receipt)
        return receipt

    def _confirm_last_load(
        self, transport: Transport, challenge: LoadChallenge
    ) -> None:
        """Give the issuer the receipt of the card's last load (the issuer
        checks its signature; one it has already is no error)."""
        answer = exchange(transport, commands.last_load_command(), "LAST LOAD")
        receipt, _ = commands.parse_last_load_answer(answer)
        with contextlib.suppress(LoadConfirmed):
            self.issuer.confirm_load(challenge.device_id, receipt)
