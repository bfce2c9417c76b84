"""The issuer (scheme authority) and the acquirer, outside the TEE.

The :class:`Issuer` holds the P-256 key ``IK`` that every party pins.  It
certifies devices, terminals and the acquirer, gives each device a fresh
Luhn-valid token under its BIN, builds the enrolment record that a payment
TA takes (the only place, with the HPKE ciphertext, where the token travels:
no certificate holds it), signs load authorisations and checks the TA's
load receipts, and keeps the :class:`RevocationList`.  The
:class:`Acquirer` holds the HPKE key ``AK`` that the TA encrypts card data
to, and opens those ciphertexts.
"""

from __future__ import annotations

import datetime
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric import ec

from pytee.payment import keys
from pytee.payment.codec import (
    BytesLike,
    check_expiry,
    expiry_last_day,
    luhn_check_digit,
    luhn_valid,
)
from pytee.payment.errors import (
    BadCertificate,
    BadSignature,
    DecryptFailed,
    IssuerRefused,
    LoadConfirmed,
    LoadReplay,
    Revoked,
    UnconfirmedLoad,
)
from pytee.payment.wire import (
    Certificate,
    CertKind,
    EnrolmentRecord,
    HpkePlaintext,
    LoadAuthorisation,
    LoadChallenge,
    LoadReceipt,
    enrol_message,
    load_message,
    loaded_message,
    terminal_subject,
)

__all__ = [
    "DEFAULT_BIN",
    "Acquirer",
    "Issuer",
    "RevocationList",
]

DEFAULT_BIN = "629999"
"""The issuer identification number of pytee's test scheme."""
DEVICE_RECORDS_VERSION = 1
"""The version of the JSON of :meth:`Issuer.save_devices`."""
TOKEN_LENGTH = 16
CARD_YEARS = 5
TERMINAL_YEARS = 3
ACQUIRER_YEARS = 10


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class RevocationList:
    """Revoked device ids and tokens; shared by the issuer and terminals."""

    def __init__(self) -> None:
        self._device_ids: set[bytes] = set()
        self._tokens: set[str] = set()

    def revoke_device(self, device_id: bytes) -> None:
        self._device_ids.add(bytes(device_id))

    def revoke_token(self, token: str) -> None:
        self._tokens.add(token)

    @property
    def device_ids(self) -> frozenset[bytes]:
        return frozenset(self._device_ids)

    @property
    def tokens(self) -> frozenset[str]:
        return frozenset(self._tokens)

    def check(
        self, *, device_id: bytes | None = None, token: str | None = None
    ) -> None:
        """Raise :class:`Revoked` if the device id or the token is revoked."""
        if device_id is not None and bytes(device_id) in self._device_ids:
            raise Revoked("device %s is revoked" % bytes(device_id).hex())
        if token is not None and token in self._tokens:
            raise Revoked("token ending %s is revoked" % token[-4:])


@dataclass
class _Device:
    certificate: Certificate
    token: str
    expiry: str
    next_counter: int = 0
    """Every load counter below this one is spent (a receipt came back)."""
    pending: dict[int, list[int]] = field(default_factory=dict)
    """Amounts authorised, by load counter, whose receipt has not come back."""
    challenges: set[bytes] = field(default_factory=set)


class Issuer:
    """The scheme's issuer: certificates, enrolment, loads, revocation."""

    def __init__(
        self,
        private_key: ec.EllipticCurvePrivateKey | None = None,
        *,
        bin_prefix: str = DEFAULT_BIN,
        revocation: RevocationList | None = None,
    ) -> None:
        if not bin_prefix.isascii() or not bin_prefix.isdigit():
            raise ValueError("a BIN is ASCII digits, not %r" % bin_prefix)
        if not 1 <= len(bin_prefix) < TOKEN_LENGTH - 1:
            raise ValueError(
                "a BIN of %d digits leaves no account number" % len(bin_prefix)
            )
        self._key = private_key or keys.generate_private_key()
        self.public_key_bytes = keys.public_key_bytes(self._key.public_key())
        self.bin_prefix = bin_prefix
        self.revocation = revocation if revocation is not None else RevocationList()
        self._devices: dict[bytes, _Device] = {}
        self._tokens: set[str] = set()

    # keys

    @property
    def public_key(self) -> ec.EllipticCurvePublicKey:
        return self._key.public_key()

    def save(self, path: str | Path) -> None:
        """Write the issuer key to a new PEM file (mode 0600)."""
        keys.save_private_key(self._key, path)

    @classmethod
    def load(
        cls,
        path: str | Path,
        *,
        bin_prefix: str = DEFAULT_BIN,
        revocation: RevocationList | None = None,
    ) -> Issuer:
        """An issuer with the key of a PEM file (no devices known yet)."""
        key = keys.load_private_key(path)
        return cls(key, bin_prefix=bin_prefix, revocation=revocation)

    # device records

    def device_records(self) -> dict[str, Any]:
        """The issuer's device records and revocations as JSON-ready data:
        each device's certificate, token, expiry, spent load counters,
        pending authorisations and authorised challenges."""
        devices = [
            {
                "certificate": device.certificate.encode().hex(),
                "token": device.token,
                "expiry": device.expiry,
                "next_counter": device.next_counter,
                "pending": {
                    str(counter): amounts
                    for counter, amounts in sorted(device.pending.items())
                },
                "challenges": sorted(c.hex() for c in device.challenges),
            }
            for device in self._devices.values()
        ]
        return {
            "version": DEVICE_RECORDS_VERSION,
            "issuer_key": self.public_key_bytes.hex(),
            "devices": devices,
            "revoked_devices": sorted(d.hex() for d in self.revocation.device_ids),
            "revoked_tokens": sorted(self.revocation.tokens),
        }

    def restore_device_records(self, data: Any) -> None:
        """Take the records of :meth:`device_records` (of this issuer's key)
        in place of the ones it has; ``ValueError`` if they are malformed
        or another issuer's.  Revocations are added to :attr:`revocation`."""
        try:
            records = _parse_records(data, self.public_key_bytes)
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError("bad issuer device records: %s" % exc) from exc
        devices, revoked_devices, revoked_tokens = records
        self._devices = {d.certificate.subject_id: d for d in devices}
        self._tokens = {d.token for d in devices}
        for device_id in revoked_devices:
            self.revocation.revoke_device(device_id)
        for token in revoked_tokens:
            self.revocation.revoke_token(token)

    def save_devices(self, path: str | Path) -> None:
        """Write :meth:`device_records` to ``path`` as JSON (mode 0600),
        replacing it at once (a new file renamed over the old one)."""
        path = Path(path)
        text = json.dumps(self.device_records(), indent=1, sort_keys=True) + "\n"
        temporary = path.with_name(".%s.%d.tmp" % (path.name, os.getpid()))
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    def load_devices(self, path: str | Path) -> None:
        """Read the records :meth:`save_devices` wrote (see
        :meth:`restore_device_records`)."""
        text = Path(path).read_text(encoding="utf-8")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError("bad issuer device records: %s" % exc) from exc
        self.restore_device_records(data)

    # certificates

    def new_token(self) -> str:
        """A fresh 16-digit Luhn-valid token under the BIN, never issued before."""
        while True:
            digits = TOKEN_LENGTH - 1 - len(self.bin_prefix)
            payload = self.bin_prefix + "%0*d" % (digits, secrets.randbelow(10**digits))
            token = payload + luhn_check_digit(payload)
            if token not in self._tokens:
                return token

    def certify_device(
        self,
        public_key: bytes,
        *,
        token: str | None = None,
        expiry: str | None = None,
        today: datetime.date | None = None,
    ) -> Certificate:
        """A device certificate for a TA's public key; the issuer gives the
        device a token too, which the certificate does not hold (see
        :meth:`device_card` and the enrolment record).

        Without ``token``, a new one is drawn; without ``expiry`` (``YYMM``),
        the card expires five years from ``today``.  The certificate's
        ``not_after`` is the last day of the expiry month.
        """
        device_id = keys.key_id(public_key)
        keys.load_public_key(public_key)
        if device_id in self._devices:
            raise IssuerRefused("device %s is already certified" % device_id.hex())
        if token is None:
            token = self.new_token()
        elif not luhn_valid(token):
            raise ValueError("token fails the Luhn check")
        elif token in self._tokens:
            raise IssuerRefused("token already issued")
        if expiry is None:
            expiry = _years_later(today or datetime.date.today(), CARD_YEARS).strftime(
                "%y%m"
            )
        check_expiry(expiry)
        certificate = Certificate.issue(
            self._key,
            CertKind.DEVICE,
            device_id,
            public_key,
            expiry_last_day(expiry),
            b"",
        )
        self._tokens.add(token)
        self._devices[device_id] = _Device(certificate, token, expiry)
        return certificate

    def certify_terminal(
        self,
        terminal_id: bytes,
        public_key: bytes,
        merchant: str,
        *,
        not_after: datetime.date | None = None,
    ) -> Certificate:
        """A terminal certificate: 8-byte terminal id, merchant name."""
        keys.load_public_key(public_key)
        not_after = not_after or _years_later(datetime.date.today(), TERMINAL_YEARS)
        return Certificate.issue(
            self._key,
            CertKind.TERMINAL,
            terminal_subject(terminal_id),
            public_key,
            not_after,
            merchant.encode("utf-8"),
        )

    def certify_acquirer(
        self,
        public_key: bytes,
        name: str,
        *,
        not_after: datetime.date | None = None,
    ) -> Certificate:
        """An acquirer certificate for its HPKE public key."""
        keys.load_public_key(public_key)
        not_after = not_after or _years_later(datetime.date.today(), ACQUIRER_YEARS)
        return Certificate.issue(
            self._key,
            CertKind.ACQUIRER,
            keys.key_id(public_key),
            public_key,
            not_after,
            name.encode("utf-8"),
        )

    # enrolment and loads

    def enrol(
        self,
        device_public_key: bytes,
        acquirer_certificate: Certificate,
        *,
        token: str | None = None,
        expiry: str | None = None,
        today: datetime.date | None = None,
    ) -> EnrolmentRecord:
        """Certify a device and build the enrolment record its TA takes."""
        if acquirer_certificate.kind is not CertKind.ACQUIRER:
            raise BadCertificate("not an acquirer certificate")
        try:
            acquirer_certificate.verify(self.public_key_bytes)
        except BadSignature as exc:
            raise BadCertificate("the acquirer certificate is not ours") from exc
        certificate = self.certify_device(
            device_public_key, token=token, expiry=expiry, today=today
        )
        device = self._devices[certificate.subject_id]
        message = enrol_message(
            self.public_key_bytes,
            certificate.encode(),
            acquirer_certificate.encode(),
            device.token,
            device.expiry,
        )
        return EnrolmentRecord(
            self.public_key_bytes,
            certificate,
            acquirer_certificate,
            device.token,
            device.expiry,
            keys.sign(self._key, message),
        )

    def device_certificate(self, device_id: bytes) -> Certificate:
        return self._device(device_id).certificate

    def device_card(self, device_id: bytes) -> tuple[str, str]:
        """The token and the expiry (``YYMM``) this issuer gave a device."""
        device = self._device(device_id)
        return device.token, device.expiry

    def _device(self, device_id: bytes) -> _Device:
        device = self._devices.get(bytes(device_id))
        if device is None:
            raise IssuerRefused("unknown device %s" % bytes(device_id).hex())
        return device

    def revoke(self, device_id: bytes) -> None:
        """Revoke a device and its token."""
        device = self._device(device_id)
        self.revocation.revoke_device(device_id)
        self.revocation.revoke_token(device.token)

    def authorise_load(
        self, challenge: LoadChallenge, amount: int
    ) -> LoadAuthorisation:
        """Sign a load of ``amount`` fen for the TA's INIT_LOAD output.

        Refuses (:class:`LoadReplay`) a challenge already authorised and a
        counter whose load is known to be spent; refuses revoked and unknown
        devices.  A counter may be authorised again with a new challenge
        (a retry after a failed credit): the TA credits a counter once.

        A counter past one this issuer authorised and has no receipt of
        means the TA credited that load and its receipt was lost on the
        way (the TA's counter moves only by a credit): the issuer refuses
        with :class:`UnconfirmedLoad` until :meth:`confirm_load` has that
        receipt (the TA's LAST_LOAD gives it again), so that no load it
        signed is ever left uncounted.
        """
        if not 0 < amount < 1 << 64:
            raise ValueError("a load amount is 1 to 2**64 - 1 fen")
        device = self._device(challenge.device_id)
        self.revocation.check(device_id=challenge.device_id, token=device.token)
        if challenge.counter < device.next_counter:
            raise LoadReplay("load counter %d is spent" % challenge.counter)
        missing = [
            counter
            for counter, amounts in device.pending.items()
            if amounts and device.next_counter <= counter < challenge.counter
        ]
        if missing:
            raise UnconfirmedLoad(min(missing))
        if challenge.challenge in device.challenges:
            raise LoadReplay("challenge already authorised")
        message = load_message(
            challenge.device_id, challenge.counter, challenge.challenge, amount
        )
        signature = keys.sign(self._key, message)
        device.challenges.add(challenge.challenge)
        device.pending.setdefault(challenge.counter, []).append(amount)
        return LoadAuthorisation(challenge.counter, amount, signature)

    def confirm_load(self, device_id: bytes, receipt: LoadReceipt) -> int:
        """Check a TA's load receipt; return the amount it credited.

        The receipt must answer an authorisation of this issuer and carry
        the device's signature; its counter is then spent.  A receipt of a
        load confirmed already (the same one again, or LAST_LOAD's new
        signature of it) raises :class:`LoadConfirmed`: a load is counted
        once.
        """
        device = self._device(device_id)
        if receipt.counter < device.next_counter:
            raise LoadConfirmed(receipt.counter)
        amounts = device.pending.get(receipt.counter)
        if not amounts:
            raise IssuerRefused("no load authorised for counter %d" % receipt.counter)
        public_key = device.certificate.public_key
        for amount in amounts:
            message = loaded_message(
                device_id, receipt.counter, amount, receipt.balance
            )
            try:
                keys.verify(public_key, message, receipt.signature)
            except BadSignature:
                continue
            device.next_counter = receipt.counter + 1
            device.pending = {
                n: a for n, a in device.pending.items() if n > receipt.counter
            }
            return amount
        raise BadSignature(
            "the load receipt is not the device's, for an authorised load"
        )


def _int(value: Any, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError("%s is not a count: %r" % (what, value))
    return value


def _str(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError("%s is not a string: %r" % (what, value))
    return value


def _parse_device(item: Any, issuer_key: bytes) -> _Device:
    certificate = Certificate.decode(
        bytes.fromhex(_str(item["certificate"], "a certificate"))
    )
    if certificate.kind is not CertKind.DEVICE:
        raise ValueError("not a device certificate")
    try:
        certificate.verify(issuer_key)
    except BadSignature as exc:
        raise ValueError("a device certificate is not this issuer's") from exc
    token = _str(item["token"], "a token")
    if not luhn_valid(token):
        raise ValueError("token ending %s fails the Luhn check" % token[-4:])
    expiry = _str(item["expiry"], "an expiry")
    check_expiry(expiry)
    pending_data = item["pending"]
    if not isinstance(pending_data, dict):
        raise TypeError("pending loads are not a mapping")
    pending: dict[int, list[int]] = {}
    for counter, amounts in pending_data.items():
        if not isinstance(amounts, list):
            raise TypeError("pending amounts are not a list")
        pending[_int(int(counter), "a load counter")] = [
            _int(a, "an amount") for a in amounts
        ]
    challenges = item["challenges"]
    if not isinstance(challenges, list):
        raise TypeError("challenges are not a list")
    return _Device(
        certificate,
        token,
        expiry,
        _int(item["next_counter"], "a load counter"),
        pending,
        {bytes.fromhex(_str(c, "a challenge")) for c in challenges},
    )


def _parse_records(
    data: Any, issuer_key: bytes
) -> tuple[list[_Device], list[bytes], list[str]]:
    if not isinstance(data, dict):
        raise TypeError("not a JSON object")
    if data.get("version") != DEVICE_RECORDS_VERSION:
        raise ValueError("unknown version %r" % data.get("version"))
    if bytes.fromhex(_str(data["issuer_key"], "the issuer key")) != issuer_key:
        raise ValueError("they are another issuer's")
    items = data["devices"]
    revoked_devices = data["revoked_devices"]
    revoked_tokens = data["revoked_tokens"]
    if not all(isinstance(x, list) for x in (items, revoked_devices, revoked_tokens)):
        raise TypeError("devices and revocations are lists")
    devices = [_parse_device(item, issuer_key) for item in items]
    tokens = [d.token for d in devices]
    ids = [d.certificate.subject_id for d in devices]
    if len(set(tokens)) != len(tokens) or len(set(ids)) != len(ids):
        raise ValueError("a device or a token is listed twice")
    return (
        devices,
        [bytes.fromhex(_str(d, "a device id")) for d in revoked_devices],
        [_str(t, "a token") for t in revoked_tokens],
    )


class Acquirer:
    """The acquirer: its HPKE key pair, its certificate, and HPKE opening."""

    def __init__(
        self,
        private_key: ec.EllipticCurvePrivateKey | None = None,
        name: str = "pytee acquirer",
    ) -> None:
        self._key = private_key or keys.generate_private_key()
        self.name = name
        self.public_key_bytes = keys.public_key_bytes(self._key.public_key())
        self.key_id = keys.key_id(self.public_key_bytes)
        self._certificate: Certificate | None = None

    @property
    def certificate(self) -> Certificate:
        """The issuer's certificate of this acquirer's key."""
        if self._certificate is None:
            raise ValueError("the acquirer has no certificate yet")
        return self._certificate

    @certificate.setter
    def certificate(self, certificate: Certificate) -> None:
        if (
            certificate.kind is not CertKind.ACQUIRER
            or certificate.public_key != self.public_key_bytes
        ):
            raise BadCertificate("not a certificate of this acquirer's key")
        self._certificate = certificate

    def save(self, path: str | Path) -> None:
        keys.save_private_key(self._key, path)

    @classmethod
    def load(cls, path: str | Path, name: str = "pytee acquirer") -> Acquirer:
        return cls(keys.load_private_key(path), name)

    def open(
        self, hpke: BytesLike, suite: int = keys.SUITE_P256_SHA256_AES128GCM
    ) -> HpkePlaintext:
        """Decrypt a TA's ``enc || ciphertext`` and decode the card data."""
        try:
            plaintext = keys.hpke_suite(suite).decrypt(
                bytes(hpke), self._key, info=keys.HPKE_INFO
            )
        except InvalidTag:
            raise DecryptFailed(
                "the card data does not open with this acquirer's key"
            ) from None
        return HpkePlaintext.decode(plaintext)
