"""The issuer's device records on disk (Issuer.save_devices/load_devices):
an issuer loaded from its key and its records goes on where it stopped;
and its books of loads: a load it authorised and never saw the receipt of
stops the next ones (UnconfirmedLoad), a receipt counts once
(LoadConfirmed)."""

from __future__ import annotations

import json
import secrets
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from pytee.payment import keys
from pytee.payment.errors import (
    BadSignature,
    IssuerRefused,
    LoadConfirmed,
    LoadReplay,
    Revoked,
    UnconfirmedLoad,
)
from pytee.payment.issuer import Acquirer, Issuer
from pytee.payment.wire import LoadChallenge, LoadReceipt, loaded_message


def enrolled(issuer: Issuer) -> bytes:
    """A device enrolled with ``issuer``; its id."""
    acquirer = Acquirer()
    acquirer.certificate = issuer.certify_acquirer(acquirer.public_key_bytes, "acq")
    device_key = keys.public_key_bytes(keys.generate_private_key().public_key())
    record = issuer.enrol(device_key, acquirer.certificate)
    return record.device_certificate.subject_id


def reloaded(issuer: Issuer, folder: Path) -> Issuer:
    issuer.save(folder / "issuer.pem")
    issuer.save_devices(folder / "devices.json")
    again = Issuer.load(folder / "issuer.pem")
    again.load_devices(folder / "devices.json")
    return again


def test_records_survive_a_save_and_a_load(tmp_path: Path) -> None:
    issuer = Issuer()
    first, second = enrolled(issuer), enrolled(issuer)
    challenge = LoadChallenge(bytes(16), 0, first)
    issuer.authorise_load(challenge, 500)
    issuer.revoke(second)
    again = reloaded(issuer, tmp_path)
    assert stat.S_IMODE((tmp_path / "devices.json").stat().st_mode) == 0o600
    assert again.device_records() == issuer.device_records()
    assert again.device_card(first) == issuer.device_card(first)
    assert again.device_certificate(first) == issuer.device_certificate(first)
    with pytest.raises(LoadReplay, match="already authorised"):
        again.authorise_load(challenge, 500)  # the challenge is remembered
    with pytest.raises(Revoked):
        again.authorise_load(LoadChallenge(bytes(range(16)), 0, second), 1)
    token, _ = issuer.device_card(first)
    with pytest.raises(Revoked):
        again.revocation.check(token=issuer.device_card(second)[0])
    again.revocation.check(token=token)
    with pytest.raises(IssuerRefused, match="already issued"):
        again.certify_device(
            keys.public_key_bytes(keys.generate_private_key().public_key()),
            token=token,
        )


def test_records_of_another_issuer_or_damaged_are_refused(tmp_path: Path) -> None:
    issuer = Issuer()
    enrolled(issuer)
    issuer.save_devices(tmp_path / "devices.json")
    with pytest.raises(ValueError, match="another issuer's"):
        Issuer().load_devices(tmp_path / "devices.json")
    data = issuer.device_records()
    data["devices"][0]["token"] = "6299990000000000"
    issuer.save(tmp_path / "issuer.pem")
    with pytest.raises(ValueError, match="Luhn"):
        Issuer.load(tmp_path / "issuer.pem").restore_device_records(data)
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(ValueError, match="bad issuer device records"):
        issuer.load_devices(tmp_path / "bad.json")
    with pytest.raises(ValueError, match="version"):
        issuer.restore_device_records({"version": 99})


def test_saving_replaces_the_file_whole(tmp_path: Path) -> None:
    issuer = Issuer()
    path = tmp_path / "devices.json"
    issuer.save_devices(path)
    assert json.loads(path.read_text())["devices"] == []
    enrolled(issuer)
    issuer.save_devices(path)
    assert len(json.loads(path.read_text())["devices"]) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["devices.json"]


# -- the books of loads ----------------------------------------------------------


class Device:
    """A device key enrolled with an issuer, playing the TA's part of a load:
    its counter and balance, and receipts signed with its key."""

    def __init__(self, issuer: Issuer) -> None:
        self.key: ec.EllipticCurvePrivateKey = keys.generate_private_key()
        acquirer = Acquirer()
        acquirer.certificate = issuer.certify_acquirer(acquirer.public_key_bytes, "acq")
        public = keys.public_key_bytes(self.key.public_key())
        self.id = issuer.enrol(
            public, acquirer.certificate
        ).device_certificate.subject_id
        self.counter = 0
        self.balance = 0

    def challenge(self) -> LoadChallenge:
        return LoadChallenge(secrets.token_bytes(16), self.counter, self.id)

    def credit(self, amount: int) -> LoadReceipt:
        """The TA credits ``amount`` for its counter; the receipt."""
        counter, self.counter = self.counter, self.counter + 1
        self.balance += amount
        message = loaded_message(self.id, counter, amount, self.balance)
        return LoadReceipt(counter, self.balance, keys.sign(self.key, message))


def test_a_load_whose_receipt_never_came_stops_the_next(tmp_path: Path) -> None:
    issuer = Issuer()
    device = Device(issuer)
    issuer.authorise_load(device.challenge(), 1000)
    lost = device.credit(1000)  # the answer never reaches the issuer
    challenge = device.challenge()
    with pytest.raises(UnconfirmedLoad) as refused:
        issuer.authorise_load(challenge, 500)
    assert refused.value.counter == 0
    assert isinstance(refused.value, IssuerRefused)
    # the issuer's records remember it: a restarted issuer refuses too
    again = reloaded(issuer, tmp_path)
    with pytest.raises(UnconfirmedLoad):
        again.authorise_load(challenge, 500)
    # the missing receipt, and the same challenge is good again
    assert again.confirm_load(device.id, lost) == 1000
    authorisation = again.authorise_load(challenge, 500)
    assert authorisation.counter == 1
    assert again.confirm_load(device.id, device.credit(500)) == 500


def test_a_counter_ahead_of_the_books_without_authorisation_is_signed() -> None:
    # nothing the issuer authorised is missing: nothing to wait for
    issuer = Issuer()
    device = Device(issuer)
    device.counter = 3
    assert issuer.authorise_load(device.challenge(), 10).counter == 3


def test_a_retry_of_a_load_never_credited_is_no_unconfirmed_load() -> None:
    issuer = Issuer()
    device = Device(issuer)
    issuer.authorise_load(device.challenge(), 1000)  # never credited
    issuer.authorise_load(device.challenge(), 1000)  # the same counter again
    assert issuer.confirm_load(device.id, device.credit(1000)) == 1000
    assert issuer.authorise_load(device.challenge(), 1).counter == 1


def test_a_receipt_counts_once() -> None:
    issuer = Issuer()
    device = Device(issuer)
    issuer.authorise_load(device.challenge(), 1000)
    receipt = device.credit(1000)
    assert issuer.confirm_load(device.id, receipt) == 1000
    with pytest.raises(LoadConfirmed) as twice:
        issuer.confirm_load(device.id, receipt)
    assert twice.value.counter == 0
    assert isinstance(twice.value, LoadReplay)
    # LAST_LOAD's new signature of the same load: still once
    message = loaded_message(device.id, 0, 1000, 1000)
    again = LoadReceipt(0, 1000, keys.sign(device.key, message))
    with pytest.raises(LoadConfirmed):
        issuer.confirm_load(device.id, again)
    # and the books say one load
    record = issuer.device_records()["devices"][0]
    assert (record["next_counter"], record["pending"]) == (1, {})


def test_a_receipt_of_a_load_not_authorised_or_not_signed_is_refused() -> None:
    issuer = Issuer()
    device = Device(issuer)
    with pytest.raises(IssuerRefused, match="no load authorised"):
        issuer.confirm_load(device.id, device.credit(5))
    issuer.authorise_load(device.challenge(), 7)
    receipt = device.credit(7)
    with pytest.raises(BadSignature):
        issuer.confirm_load(
            device.id,
            LoadReceipt(receipt.counter, receipt.balance + 1, receipt.signature),
        )
    assert issuer.confirm_load(device.id, receipt) == 7
