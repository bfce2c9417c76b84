"""The issuer's device records on disk (Issuer.save_devices/load_devices):
an issuer loaded from its key and its records goes on where it stopped."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from pytee.payment import keys
from pytee.payment.errors import IssuerRefused, LoadReplay, Revoked
from pytee.payment.issuer import Acquirer, Issuer
from pytee.payment.wire import LoadChallenge


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
