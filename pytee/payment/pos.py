"""The POS terminal: steps S2-S9 of docs/payment.md over a transport.

:meth:`PosTerminal.purchase` selects the contactless directory and the
application, sends GET PROCESSING OPTIONS with a fresh unpredictable number
and nonce, reads the issuer key and the certificates, makes every S8 check,
sends a DEBIT signed with the terminal's certified key and checks the
card's signed receipt.  Each check that fails raises its own subclass of
:class:`~pytee.payment.errors.PaymentError`; :class:`Purchase` keeps the
time spent in each step, crypto apart from card round trips.
"""

from __future__ import annotations

import datetime
import secrets
import time
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec

from pytee.payment import commands, keys
from pytee.payment.codec import AMOUNT_BCD_MAX, expiry_last_day, luhn_valid
from pytee.payment.errors import (
    BadCard,
    BadCertificate,
    BadLuhn,
    BadSignature,
    CardExpired,
    CardRefused,
    DeviceMismatch,
    RelaySuspected,
    StaleAtc,
    TransportError,
    UnsupportedSuite,
    WireError,
    WrongBin,
)
from pytee.payment.issuer import DEFAULT_BIN, Acquirer, RevocationList
from pytee.payment.status import SW_NO_PRECISE_DIAGNOSIS
from pytee.payment.transport import Transport, exchange
from pytee.payment.wire import (
    CURRENCY_CNY,
    NONCE_SIZE,
    TRANSACTION_PURCHASE,
    UN_SIZE,
    Certificate,
    CertKind,
    DebitReceipt,
    DebitRequest,
    GpoRequest,
    GpoResponse,
    HpkePlaintext,
    debit_message,
    receipt_message,
)

__all__ = ["SUPPORTED_SUITES", "PosTerminal", "Purchase"]

SUPPORTED_SUITES = (keys.SUITE_P256_SHA256_AES128GCM,)
"""The cipher suites this terminal accepts, most preferred first."""


@dataclass(frozen=True)
class Purchase:
    """A completed purchase, as the terminal checked it."""

    amount: int
    currency: int
    date: datetime.date
    atc: int
    balance: int
    """The card's balance after the debit, from its signed receipt."""
    sequence: int
    device_id: bytes
    token: str
    receipt: DebitReceipt
    timings: Mapping[str, float]
    """Seconds spent in each step, in the order of the steps."""

    @property
    def masked_token(self) -> str:
        return "*" * (len(self.token) - 4) + self.token[-4:]


@dataclass(frozen=True)
class _Card:
    """What the terminal learnt from the card before the S8 checks."""

    request: GpoRequest
    response: GpoResponse
    device_certificate: Certificate
    acquirer_certificate: Certificate


@contextmanager
def _timed(timings: dict[str, float], step: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[step] = timings.get(step, 0.0) + time.perf_counter() - start


class PosTerminal:
    """A POS terminal with its certified key, pinned issuer key and acquirer.

    ``accepted_bins`` are the token prefixes it takes; ``atc_seen`` maps
    device ids to the last ATC seen (share one mapping between terminals to
    share the memory); ``relay_limit``, in seconds, bounds the GPO round
    trip; a DEBIT whose answer is lost is sent again up to
    ``debit_retries`` times (the card answers a repeated DEBIT with the
    same receipt and debits once).
    """

    def __init__(
        self,
        private_key: ec.EllipticCurvePrivateKey,
        certificate: Certificate,
        *,
        issuer_public_key: bytes,
        acquirer: Acquirer,
        revocation: RevocationList | None = None,
        accepted_bins: Iterable[str] = (DEFAULT_BIN,),
        atc_seen: MutableMapping[bytes, int] | None = None,
        relay_limit: float | None = None,
        debit_retries: int = 1,
    ) -> None:
        if certificate.kind is not CertKind.TERMINAL:
            raise BadCertificate("not a terminal certificate")
        public = keys.public_key_bytes(private_key.public_key())
        if certificate.public_key != public:
            raise BadCertificate("the certificate is not of this terminal's key")
        try:
            certificate.verify(issuer_public_key)
        except BadSignature as exc:
            raise BadCertificate(
                "the terminal certificate is not the issuer's"
            ) from exc
        self._key = private_key
        self.certificate = certificate
        self.terminal_id = certificate.terminal_id
        self.issuer_public_key = keys.load_public_key(issuer_public_key)
        self._issuer_key_bytes = bytes(issuer_public_key)
        self.acquirer = acquirer
        self.revocation = revocation if revocation is not None else RevocationList()
        self.accepted_bins = tuple(accepted_bins)
        self.atc_seen: MutableMapping[bytes, int] = (
            atc_seen if atc_seen is not None else {}
        )
        self.relay_limit = relay_limit
        self.debit_retries = debit_retries
        self.sequence = 0

    @property
    def merchant(self) -> str:
        return self.certificate.name

    def save_key(self, path: str | Path) -> None:
        """Write the terminal key to a new PEM file (mode 0600)."""
        keys.save_private_key(self._key, path)

    # the card dialogue

    def _send_debit(self, transport: Transport, request: DebitRequest) -> DebitReceipt:
        parts = commands.debit_commands(request)
        for part in parts[:-1]:
            if exchange(transport, part, "DEBIT (chained part)"):
                raise WireError("a chained part of DEBIT got data back")
        answer = exchange(transport, parts[-1], "DEBIT")
        return commands.parse_debit_answer(answer)

    def _debit(self, transport: Transport, request: DebitRequest) -> DebitReceipt:
        """Send the DEBIT; if its outcome is unknown, select the application
        again (the card lost its session) and send it again.

        The outcome is unknown when the link fails before the answer, and
        when the card answers 6F00: its TA failed, maybe after it had
        stored the debit.  The card answers a repeated DEBIT with the
        receipt it made, or 6985 if it made none; either way the money
        moves at most once.
        """
        retries = self.debit_retries
        while True:
            try:
                return self._send_debit(transport, request)
            except TransportError:
                if retries <= 0:
                    raise
            except CardRefused as refused:
                if refused.sw != SW_NO_PRECISE_DIAGNOSIS or retries <= 0:
                    raise
            retries -= 1
            exchange(transport, commands.select_aid_command(), "SELECT (retry)")

    def purchase(
        self,
        transport: Transport,
        amount: int,
        *,
        currency: int = CURRENCY_CNY,
        date: datetime.date | None = None,
        transaction_type: int = TRANSACTION_PURCHASE,
    ) -> Purchase:
        """Run one purchase of ``amount`` fen; return it once fully checked."""
        if not 0 < amount <= AMOUNT_BCD_MAX:
            raise ValueError("an amount is 1 to %d fen" % AMOUNT_BCD_MAX)
        date = date or datetime.date.today()
        timings: dict[str, float] = {}
        card = self._read_card(
            transport, timings, amount, currency, date, transaction_type
        )
        request, response = card.request, card.response
        device = card.device_certificate
        with _timed(timings, "verify_certificates"):
            self._check_certificates(device, card.acquirer_certificate)
        with _timed(timings, "verify_gpo"):
            keys.verify(
                device.public_key, response.message(request), response.signature
            )
        with _timed(timings, "hpke_open"):
            plaintext = self.acquirer.open(response.hpke, request.suite)
        with _timed(timings, "checks"):
            self._check_card_data(plaintext, response, device, date)
        with _timed(timings, "sign_debit"):
            self.sequence += 1
            sequence = self.sequence
            message = debit_message(
                device.subject_id,
                response.atc,
                amount,
                currency,
                self.terminal_id,
                sequence,
                request.nonce,
            )
            debit = DebitRequest(
                response.atc,
                amount,
                self.terminal_id,
                sequence,
                self.certificate,
                keys.sign(self._key, message),
            )
        with _timed(timings, "debit"):
            receipt = self._debit(transport, debit)
        with _timed(timings, "verify_receipt"):
            message = receipt_message(
                device.subject_id,
                response.atc,
                amount,
                self.terminal_id,
                sequence,
                receipt.balance,
            )
            keys.verify(device.public_key, message, receipt.signature)
        return Purchase(
            amount=amount,
            currency=currency,
            date=date,
            atc=response.atc,
            balance=receipt.balance,
            sequence=sequence,
            device_id=device.subject_id,
            token=plaintext.token,
            receipt=receipt,
            timings=timings,
        )

    def _read_card(
        self,
        transport: Transport,
        timings: dict[str, float],
        amount: int,
        currency: int,
        date: datetime.date,
        transaction_type: int,
    ) -> _Card:
        """S2-S7 and READ RECORD: what the card says, not yet checked."""
        with _timed(timings, "select_directory"):
            answer = exchange(
                transport, commands.select_directory_command(), "SELECT directory"
            )
            entries = commands.parse_directory_answer(answer)
            if not any(entry.aid == commands.AID for entry in entries):
                raise BadCard("the card's directory has no TEEPAY application")
        with _timed(timings, "select_aid"):
            answer = exchange(
                transport, commands.select_aid_command(), "SELECT application"
            )
            fci = commands.parse_fci_answer(answer)
            if fci.aid != commands.AID:
                raise BadCard("the card selected another application")
            suite = next((s for s in SUPPORTED_SUITES if s in fci.suites), None)
            if suite is None:
                offered = ", ".join("%04X" % s for s in fci.suites)
                raise UnsupportedSuite("the card offers only suites %s" % offered)
        request = GpoRequest(
            amount=amount,
            currency=currency,
            date=date,
            type=transaction_type,
            terminal_id=self.terminal_id,
            unpredictable_number=secrets.token_bytes(UN_SIZE),
            nonce=secrets.token_bytes(NONCE_SIZE),
            suite=suite,
        )
        with _timed(timings, "gpo"):
            command = commands.gpo_command(request, fci.pdol)
            start = time.perf_counter()
            answer = exchange(transport, command, "GET PROCESSING OPTIONS")
            elapsed = time.perf_counter() - start
            if self.relay_limit is not None and elapsed > self.relay_limit:
                raise RelaySuspected(
                    "GPO took %.3f s, the limit is %.3f s" % (elapsed, self.relay_limit)
                )
            response = commands.parse_gpo_answer(answer)
        with _timed(timings, "read_records"):
            records = {
                record: commands.parse_record_answer(
                    record,
                    exchange(
                        transport,
                        commands.read_record_command(record),
                        "READ RECORD %d" % record,
                    ),
                )
                for record in commands.RECORD_TAGS
            }
        if records[commands.RECORD_ISSUER_KEY] != self._issuer_key_bytes:
            raise BadCertificate("the card pins another issuer key")
        return _Card(
            request,
            response,
            Certificate.decode(records[commands.RECORD_DEVICE_CERT]),
            Certificate.decode(records[commands.RECORD_ACQUIRER_CERT]),
        )

    # S8

    def _check_certificates(self, device: Certificate, acquirer: Certificate) -> None:
        """The device and acquirer certificates are the issuer's; not revoked."""
        for certificate, kind in (
            (device, CertKind.DEVICE),
            (acquirer, CertKind.ACQUIRER),
        ):
            if certificate.kind is not kind:
                raise BadCertificate("expected a %s certificate" % kind.name.lower())
            try:
                certificate.verify(self.issuer_public_key)
            except BadSignature as exc:
                raise BadCertificate(
                    "the %s certificate is not the issuer's" % kind.name.lower()
                ) from exc
        if acquirer.public_key != self.acquirer.public_key_bytes:
            raise BadCertificate("the card encrypts to another acquirer")
        self.revocation.check(device_id=device.subject_id)

    def _check_card_data(
        self,
        plaintext: HpkePlaintext,
        response: GpoResponse,
        device: Certificate,
        date: datetime.date,
    ) -> None:
        """The decrypted card data: binding, Luhn, BIN, expiry, ATC.

        The binding is the device id and the ATC: that the token is this
        device's is the issuer's record, which the acquirer checks when it
        clears the payment (no certificate holds the token, by design).
        """
        if plaintext.device_id != device.subject_id:
            raise DeviceMismatch(
                "the card data names device %s, the signer is %s"
                % (plaintext.device_id.hex(), device.subject_id.hex())
            )
        if plaintext.atc != response.atc:
            raise DeviceMismatch(
                "the card data has ATC %d, the answer %d"
                % (plaintext.atc, response.atc)
            )
        if not luhn_valid(plaintext.token):
            raise BadLuhn("the token fails the Luhn check")
        if not any(plaintext.token.startswith(b) for b in self.accepted_bins):
            raise WrongBin("token BIN %s is not accepted" % plaintext.token[:6])
        if date > expiry_last_day(plaintext.expiry):
            raise CardExpired("the card expired (%s)" % plaintext.expiry)
        if date > device.not_after:
            raise CardExpired("the device certificate expired on %s" % device.not_after)
        self.revocation.check(token=plaintext.token)
        last = self.atc_seen.get(plaintext.device_id)
        if last is not None and plaintext.atc <= last:
            raise StaleAtc(plaintext.atc, last)
        self.atc_seen[plaintext.device_id] = plaintext.atc
