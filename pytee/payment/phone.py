"""The phone's wallet app (the CA's user side): enrolment, top-ups, balance.

:class:`Phone` is the client application of the patent as the user sees
it.  Step S1 of docs/payment.md runs here: :meth:`Phone.enrol` has the TA
make its device key (KEYGEN), has the issuer certify it and passes the
issuer's enrolment record to the TA (ENROL); :meth:`Phone.top_up` is the
two-step load (INIT_LOAD, the issuer's authorisation, CREDIT_LOAD) and
checks the TA's signed load receipt before the issuer and the display see
it; :meth:`Phone.confirm_last_load` gives the issuer the receipt of a load
whose CREDIT_LOAD answer was lost (LAST_LOAD), which :meth:`Phone.top_up`
also does when the issuer asks for it; :meth:`Phone.set_pin` has the TA
take the cardholder's PIN on the trusted UI (SET_PIN), which the wallet
never sees.  :attr:`Phone.card` is the contactless side, the
:class:`~pytee.payment.card.PhoneCard` a POS talks to; both share the
display copy (:attr:`Phone.display`) and the prompter.

The wallet has a TA session of its own, apart from the card's, so that a
field that drops during a payment does not end a top-up and the other way
round.
"""

from __future__ import annotations

import datetime

from pytee.client import Context
from pytee.errors import ItemNotFound, NotSupported
from pytee.payment.card import NO_TRUSTED_UI, PhoneCard, Trace
from pytee.payment.errors import (
    BadCertificate,
    BadSignature,
    LoadConfirmed,
    PaymentError,
    UnconfirmedLoad,
)
from pytee.payment.issuer import Issuer
from pytee.payment.keys import key_id, verify
from pytee.payment.ta_client import PaymentTa, TaInfo
from pytee.payment.ta_ids import PAYMENT_READ_DEVICE_CERT, TA_PAYMENT_UUID
from pytee.payment.ui import (
    ConsolePrompter,
    Display,
    HistoryEntry,
    Prompter,
    format_amount,
)
from pytee.payment.wire import (
    Certificate,
    LoadChallenge,
    LoadReceipt,
    loaded_message,
)

__all__ = ["Declined", "Phone"]


class Declined(PaymentError):
    """The user answered no to the wallet's question."""


class Phone:
    """The wallet app on a phone whose TEE runs the payment TA.

    ``context`` reaches the TEE; ``prompter`` is the normal UI (a
    :class:`~pytee.payment.ui.ConsolePrompter` by default); ``trace`` (if
    given) is told ``(step, text)`` for each step taken inside the phone.
    TA failures raise their :class:`pytee.TeeError` subclass; the checks
    the wallet makes itself raise :class:`~pytee.payment.errors.PaymentError`
    subclasses.  :meth:`close` ends both TA sessions.
    """

    def __init__(
        self,
        context: Context,
        *,
        prompter: Prompter | None = None,
        trace: Trace | None = None,
        uuid: str = TA_PAYMENT_UUID,
    ) -> None:
        self.prompter: Prompter = (
            prompter if prompter is not None else ConsolePrompter()
        )
        self.display = Display()
        self.trace = trace
        self._ta = PaymentTa(context, uuid)
        self.card = PhoneCard(
            context,
            display=self.display,
            prompter=self.prompter,
            trace=trace,
            uuid=uuid,
        )
        self._device: Certificate | None = None
        self.token: str | None = None
        """The token of the enrolment this wallet made, ``None`` before: the
        TA gives it to no one (it travels only encrypted to the acquirer)."""

    def close(self) -> None:
        self.card.power_off()
        self._ta.close()

    def __enter__(self) -> Phone:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.close()

    def _tell(self, text: str) -> None:
        if self.trace is not None:
            self.trace("S1", text)

    def _ask(self, question: str) -> None:
        if not self.prompter.confirm(question):
            raise Declined("the user declined: %s" % question)

    # -- what the TA says ---------------------------------------------------

    def info(self) -> TaInfo:
        """The TA's state bits, ATC, balance, load counter and PIN tries."""
        return self._ta.info()

    def balance(self) -> int:
        """The balance the TA keeps (fen); the display copy is set to it."""
        balance = self._ta.info().balance
        self.display.balance = balance
        return balance

    @property
    def device_certificate(self) -> Certificate:
        """The device certificate the TA was enrolled with."""
        if self._device is None:
            raw = self._ta.read_cert(PAYMENT_READ_DEVICE_CERT)
            self._device = Certificate.decode(raw)
        return self._device

    # -- S1 -------------------------------------------------------------------

    def enrol(
        self,
        issuer: Issuer,
        acquirer_certificate: Certificate,
        *,
        expiry: str | None = None,
        today: datetime.date | None = None,
    ) -> Certificate:
        """Enrol the TA with ``issuer``: KEYGEN, certification, ENROL.

        ``acquirer_certificate`` is the certificate of the acquirer whose key
        the TA will encrypt card data to.  Returns the device certificate.
        """
        self._ask("Enrol this phone for payments with the issuer?")
        public_key = self._ta.keygen()
        self._tell(
            "KEYGEN: the TA made its device key, id %s" % key_id(public_key).hex()
        )
        record = issuer.enrol(
            public_key, acquirer_certificate, expiry=expiry, today=today
        )
        device = record.device_certificate
        if device.public_key != public_key:
            raise BadCertificate("the issuer certified another key than the TA's")
        self._tell(
            "the issuer certified the key and gave card ****%s, expiry %s"
            % (record.token[-4:], record.expiry)
        )
        self._ta.enrol(record.encode())
        self._tell(
            "ENROL: the TA pinned the issuer key and keeps the certificates,"
            " the token and the expiry"
        )
        self._device = device
        self.token = record.token
        self.balance()
        self.prompter.notify(
            "card ****%s is ready (expires %s/%s)"
            % (record.token[-4:], record.expiry[2:], record.expiry[:2])
        )
        return device

    def _check_load_receipt(self, receipt: LoadReceipt, amount: int) -> None:
        """The TA's signature of a load receipt (device id, counter, amount,
        balance) under the device key: else :class:`BadSignature`."""
        device = self.device_certificate
        verify(
            device.public_key,
            loaded_message(device.subject_id, receipt.counter, amount, receipt.balance),
            receipt.signature,
        )

    def confirm_last_load(self, issuer: Issuer) -> LoadReceipt | None:
        """Give ``issuer`` the receipt of the last load the TA credited, if
        the issuer never saw it (the TA died, or the link failed, after
        CREDIT_LOAD and before its answer came back): LAST_LOAD, the
        receipt checked as :meth:`top_up` checks it, the issuer's
        confirmation, the display's history.  A wallet calls it when it
        starts; :meth:`top_up` calls it when the issuer refuses a load
        with :class:`~pytee.payment.errors.UnconfirmedLoad`.

        Returns the receipt the issuer took, or ``None`` when there was
        nothing to confirm: no load credited yet, or the issuer has that
        receipt already (it counts each load once).
        """
        try:
            last = self._ta.last_load()
        except ItemNotFound:
            return None
        receipt = last.receipt
        self._check_load_receipt(receipt, last.amount)
        self._tell(
            "LAST_LOAD: the TA signed again the receipt of load %d, %s:"
            " balance %s"
            % (
                receipt.counter,
                format_amount(last.amount),
                format_amount(receipt.balance),
            )
        )
        try:
            issuer.confirm_load(self.device_certificate.subject_id, receipt)
        except LoadConfirmed:
            self._tell("the issuer has that receipt already")
            return None
        self.display.record(
            HistoryEntry(
                "load", last.amount, receipt.balance, receipt.counter, "issuer"
            )
        )
        self.prompter.notify(
            "loaded %s earlier, now confirmed; balance %s"
            % (format_amount(last.amount), format_amount(receipt.balance))
        )
        return receipt

    def top_up(self, issuer: Issuer, amount: int) -> LoadReceipt:
        """Load ``amount`` fen: INIT_LOAD, the issuer's authorisation,
        CREDIT_LOAD; returns the TA's load receipt once checked.

        The receipt must be for this load's counter and carry the TA's
        signature over it (device id, counter, amount, new balance): else
        :class:`~pytee.payment.errors.BadSignature`.  When the issuer first
        wants the receipt of an earlier load whose answer was lost
        (:class:`~pytee.payment.errors.UnconfirmedLoad`), the wallet gives
        it (:meth:`confirm_last_load`) and asks again, once.
        """
        self._ask("Top up %s?" % format_amount(amount))
        challenge = LoadChallenge.decode(self._ta.init_load())
        self._tell(
            "INIT_LOAD: challenge %s, load counter %d"
            % (challenge.challenge.hex(), challenge.counter)
        )
        try:
            authorisation = issuer.authorise_load(challenge, amount)
        except UnconfirmedLoad as missing:
            self._tell("the issuer has no receipt of load %d yet" % missing.counter)
            self.confirm_last_load(issuer)
            authorisation = issuer.authorise_load(challenge, amount)
        self._tell("the issuer signed the load of %s" % format_amount(amount))
        receipt = LoadReceipt.decode(self._ta.credit_load(authorisation.encode()))
        if receipt.counter != challenge.counter:
            raise BadSignature(
                "the load receipt is for counter %d, not %d"
                % (receipt.counter, challenge.counter)
            )
        self._check_load_receipt(receipt, amount)
        self._tell(
            "CREDIT_LOAD: the TA credited it and signed a receipt: balance %s"
            % format_amount(receipt.balance)
        )
        issuer.confirm_load(challenge.device_id, receipt)
        self.display.record(
            HistoryEntry("load", amount, receipt.balance, receipt.counter, "issuer")
        )
        self.prompter.notify(
            "loaded %s; balance %s"
            % (format_amount(amount), format_amount(receipt.balance))
        )
        return receipt

    # -- the PIN ----------------------------------------------------------------

    def set_pin(self) -> None:
        """Set (or change) the PIN: SET_PIN, for which the TA shows a screen
        on the trusted UI where the user types the new PIN twice (and the
        current one first, to change it).  The PIN never passes through
        the wallet: the TA keeps a verifier of it.  A GPO above the
        cardholder verification limit asks for it.

        TA failures raise as the TA answers them: :class:`~pytee.Cancel`
        the user cancelled, :class:`~pytee.BadFormat` the two entries
        differ, :class:`~pytee.Security` wrong current PIN,
        :class:`~pytee.AccessDenied` PIN blocked, :class:`~pytee.Busy` no
        trusted UI free, :class:`~pytee.NotSupported` a TEE without one.
        """
        self.prompter.notify("type the new PIN on the trusted display")
        try:
            self._ta.set_pin()
        except NotSupported:
            self.prompter.notify(NO_TRUSTED_UI)
            raise
        self.prompter.notify("the PIN is set")
