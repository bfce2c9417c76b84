"""``pytee pay init|enrol|top-up|balance|arm|tap|load`` (pytee/payment/cli.py).

The wallet commands run in this process through :func:`pytee.cli.main`, on
the suite's daemon, each test with a wallet folder of its own and a new
card (the C payment TA's storage removed, as test_payment_flow.py does).
``arm``, ``tap`` and ``load`` run as a user runs them, ``python -m pytee pay ...``,
in child processes that reach a private pcscd of this module (so that
each libpcsclite reads its socket from the environment it starts with);
they are skipped, saying why, where pcscd, the vpcd driver, namespaces or
pyscard are missing, as in test_payment_pcsc.py.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from storage_ta import counter_file, storage_folder
from tee_helpers import hosts_of, wait_until

from pytee import cli
from pytee.payment.cli import default_home, parse_amount
from pytee.payment.pcscd import PrivatePcscd, unavailable
from pytee.payment.ta_ids import TA_PAYMENT_UUID

pytestmark = pytest.mark.software_tee


def reset_card() -> None:
    """Forget the C payment TA's card, once no instance of it is left."""
    assert wait_until(lambda: not hosts_of(TA_PAYMENT_UUID)), "payment TA running"
    shutil.rmtree(storage_folder(TA_PAYMENT_UUID), ignore_errors=True)
    counter_file(TA_PAYMENT_UUID).unlink(missing_ok=True)


def pay(
    capsys: pytest.CaptureFixture[str], home: Path, *args: str
) -> tuple[int, str, str]:
    """``pytee pay ARGS --home HOME``: exit status, output, errors."""
    status = cli.main(["pay", *args, "--home", str(home)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "wallet"


@pytest.fixture
def enrolled(capsys: pytest.CaptureFixture[str], home: Path) -> Path:
    """A wallet folder with a scheme and the phone (a new card) enrolled."""
    reset_card()
    assert pay(capsys, home, "init")[0] == 0
    status, _, err = pay(capsys, home, "enrol")
    assert status == 0, err
    return home


def test_init_makes_the_wallet_folder(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    status, out, _ = pay(capsys, home, "init")
    assert status == 0 and "made a payment scheme in %s" % home in out
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert sorted(p.name for p in home.iterdir()) == [
        "acquirer.cert",
        "acquirer.pem",
        "devices.json",
        "issuer.pem",
        "scheme.json",
        "terminal.cert",
        "terminal.json",
        "terminal.pem",
    ]
    for path in home.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert json.loads((home / "devices.json").read_text())["devices"] == []
    status, _, err = pay(capsys, home, "init")
    assert status == 1
    assert err == "pytee pay init: %s already holds a scheme; give another --home\n" % (
        home
    )


def test_enrol_top_up_and_balance(
    capsys: pytest.CaptureFixture[str], enrolled: Path
) -> None:
    records = json.loads((enrolled / "devices.json").read_text())["devices"]
    assert len(records) == 1 and records[0]["next_counter"] == 0
    token = records[0]["token"]
    status, out, err = pay(capsys, enrolled, "top-up", "100.00")
    assert status == 0, err
    assert "INIT_LOAD" in out and "CREDIT_LOAD" in out
    assert out.endswith("balance: 100.00 CNY\n")
    assert pay(capsys, enrolled, "top-up", "0.5")[0] == 0
    records = json.loads((enrolled / "devices.json").read_text())["devices"]
    assert records[0]["next_counter"] == 2  # both loads confirmed, on disk
    status, out, _ = pay(capsys, enrolled, "balance")
    assert status == 0
    assert out.startswith("card ****%s (expires " % token[-4:])
    assert "balance 100.50 CNY, ATC 0, load counter 2" in out


def test_enrol_output_and_second_enrol(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    reset_card()
    pay(capsys, home, "init")
    status, out, _ = pay(capsys, home, "enrol")
    assert status == 0
    assert "S1  [phone] KEYGEN" in out and "S1  [phone] ENROL" in out
    assert "enrolled card ****" in out and out.endswith("balance 0.00 CNY\n")
    status, _, err = pay(capsys, home, "enrol")
    assert status == 1
    assert err == (
        "pytee pay enrol: the phone is already enrolled (its TA keeps one card)\n"
    )


def test_commands_before_init_say_so(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    commands = (["enrol"], ["top-up", "1"], ["balance"], ["arm"], ["tap", "1"])
    for args in (*commands, ["load", "1"]):
        status, _, err = pay(capsys, home, *args)
        assert status == 1
        assert err == (
            "pytee pay %s: no payment scheme in %s: run `pytee pay init` first\n"
            % (args[0], home)
        )


def test_commands_before_enrol_say_so(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    reset_card()
    pay(capsys, home, "init")
    for args in (["top-up", "1"], ["balance"], ["arm", "--once"]):
        status, _, err = pay(capsys, home, *args)
        assert status == 1
        assert err == (
            "pytee pay %s: the phone is not enrolled: run `pytee pay enrol` first\n"
            % args[0]
        )


def test_a_phone_of_another_scheme(
    capsys: pytest.CaptureFixture[str], enrolled: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    pay(capsys, other, "init")
    status, _, err = pay(capsys, other, "balance")
    assert status == 1
    assert "enrolled with another issuer than the one in %s" % other in err


@pytest.mark.parametrize(
    "amount", ["", "abc", "1.234", "-5", "1,00", "1e3", "0", "0.00"]
)
def test_malformed_amounts(
    capsys: pytest.CaptureFixture[str], home: Path, amount: str
) -> None:
    pay(capsys, home, "init")
    status, _, err = pay(capsys, home, "top-up", amount)
    assert status == 1
    assert err.startswith("pytee pay top-up: ")
    assert "amount" in err and err.count("\n") == 1


def test_amounts() -> None:
    assert parse_amount("100.00") == 10000
    assert parse_amount("100") == 10000
    assert parse_amount("0.5") == 50
    assert parse_amount("25.99") == 2599
    assert parse_amount("9999999999.99") == 999_999_999_999


def test_the_default_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PYTEE_DATA_DIR", str(tmp_path))
    assert default_home() == tmp_path / "pay"
    monkeypatch.delenv("PYTEE_DATA_DIR")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_home() == tmp_path / ".local/share/pytee/pay"


def test_arm_without_vpcd_says_what_to_install(
    capsys: pytest.CaptureFixture[str], enrolled: Path
) -> None:
    # Port 1: nothing listens there.
    status, _, err = pay(
        capsys, enrolled, "arm", "--vpcd", "127.0.0.1:1", "--wait", "0.3"
    )
    assert status == 1
    assert err.startswith("pytee pay arm: no vpcd reader at 127.0.0.1:1: is pcscd")
    assert "apt-get install pcscd vsmartcard-vpcd" in err
    status, _, err = pay(capsys, enrolled, "arm", "--vpcd", "nowhere")
    assert status == 1 and "malformed --vpcd 'nowhere'" in err


# -- arm and tap over a private pcscd ------------------------------------------

PCSCD_MISSING = unavailable()


def pyscard_missing() -> str | None:
    try:
        from pytee.payment.pcsc import load_scard

        load_scard()
    except ImportError as exc:
        return str(exc)
    return None


PYSCARD_MISSING = pyscard_missing()
pcsc_stack = pytest.mark.skipif(
    PCSCD_MISSING is not None, reason="no private pcscd: %s" % PCSCD_MISSING
)
needs_pyscard = pytest.mark.skipif(
    PYSCARD_MISSING is not None, reason=PYSCARD_MISSING or ""
)


@pytest.fixture(scope="module")
def pcscd() -> Iterator[PrivatePcscd]:
    with PrivatePcscd() as daemon:
        yield daemon


def pytee_process(
    pcscd: PrivatePcscd | None, *args: str, wait: bool = True
) -> subprocess.Popen[str]:
    env = dict(os.environ)
    if pcscd is not None:
        env.update(pcscd.environ)
    process = subprocess.Popen(
        [sys.executable, "-m", "pytee", "pay", *args],
        cwd="/",  # so that the child imports the same pytee as this process
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    if wait:
        process.wait(120)
    return process


@pcsc_stack
@needs_pyscard
def test_arm_and_tap_pay_over_pcsc(
    capsys: pytest.CaptureFixture[str], enrolled: Path, pcscd: PrivatePcscd
) -> None:
    assert pay(capsys, enrolled, "top-up", "100.00")[0] == 0
    home = str(enrolled)
    vpcd = "127.0.0.1:%d" % pcscd.port
    arm = pytee_process(
        pcscd, "arm", "--home", home, "--vpcd", vpcd, "--taps", "2", wait=False
    )
    try:
        tap = pytee_process(
            pcscd,
            "tap",
            "25.99",
            "--home",
            home,
            "--reader",
            pcscd.reader,
            "--wait",
            "30",
        )
        out, err = tap.communicate()
        assert tap.returncode == 0, out + err
        assert "S2  the POS looks for the contactless directory" in out
        assert "POS >  80A800002C832A" in out  # GPO
        assert "SW 9000: success" in out
        assert "S9  the POS checked the receipt: paid 25.99 CNY" in out
        assert out.endswith("balance: 74.01 CNY\n")
        tap = pytee_process(
            pcscd, "tap", "4.01", "--home", home, "--reader", pcscd.reader
        )
        out, err = tap.communicate()
        assert tap.returncode == 0, out + err
        assert "ATC 2, balance 70.00 CNY" in out
        armed, armed_err = arm.communicate(timeout=60)
    finally:
        if arm.poll() is None:
            arm.kill()
            arm.wait()
    assert arm.returncode == 0, armed + armed_err
    assert "vpcd took the card" in armed
    assert "S6  [phone] the TA counted ATC 1" in armed
    assert "[phone] paid 25.99 CNY to pytee Coffee Shop (POS00001)" in armed
    assert armed.endswith("balance: 70.00 CNY\n")
    terminal = json.loads((enrolled / "terminal.json").read_text())
    assert terminal["sequence"] == 2 and list(terminal["atc_seen"].values()) == [2]
    status, out, _ = pay(capsys, enrolled, "balance")
    assert status == 0 and "balance 70.00 CNY, ATC 2, load counter 1" in out


@pcsc_stack
@needs_pyscard
def test_arm_then_load_and_tap_over_pcsc(
    capsys: pytest.CaptureFixture[str], enrolled: Path, pcscd: PrivatePcscd
) -> None:
    home = str(enrolled)
    vpcd = "127.0.0.1:%d" % pcscd.port
    arm = pytee_process(
        pcscd, "arm", "--home", home, "--vpcd", vpcd, "--taps", "2", wait=False
    )
    reader = ("--home", home, "--reader", pcscd.reader, "--wait", "30")
    try:
        load = pytee_process(pcscd, "load", "50.00", *reader)
        out, err = load.communicate()
        assert load.returncode == 0, out + err
        assert "S1  load of 50.00 CNY at the issuer's load device" in out
        assert "POS >  80500000" in out  # INITIALIZE FOR LOAD
        assert "CREDIT FOR LOAD" in out
        assert "the issuer took the card's receipt of load 0" in out
        assert out.endswith("balance: 50.00 CNY\n")
        tap = pytee_process(pcscd, "tap", "12.50", *reader)
        out, err = tap.communicate()
        assert tap.returncode == 0, out + err
        assert out.endswith("balance: 37.50 CNY\n")
        armed, armed_err = arm.communicate(timeout=60)
    finally:
        if arm.poll() is None:
            arm.kill()
            arm.wait()
    assert arm.returncode == 0, armed + armed_err
    assert "S1  [phone] CREDIT_LOAD: the TA credited 50.00 CNY" in armed
    assert armed.endswith("balance: 37.50 CNY\n")
    # The issuer's records kept the load: the wallet's top-up goes on.
    status, out, _ = pay(capsys, enrolled, "top-up", "1.00")
    assert status == 0 and out.endswith("balance: 38.50 CNY\n")


@pcsc_stack
@needs_pyscard
def test_tap_without_a_card_says_so(
    capsys: pytest.CaptureFixture[str], home: Path, pcscd: PrivatePcscd
) -> None:
    pay(capsys, home, "init")
    tap = pytee_process(
        pcscd,
        "tap",
        "1.00",
        "--home",
        str(home),
        "--reader",
        pcscd.reader,
        # Long enough for a busy machine to show the reader (else "no
        # reader"), and no card comes.
        "--wait",
        "3",
    )
    _, err = tap.communicate()
    assert tap.returncode == 1
    assert err.startswith("pytee pay tap: ")
    assert "no card in %s" % pcscd.reader in err
    assert "is `pytee pay arm` serving the phone" in err
    assert err.count("\n") == 1


@needs_pyscard
def test_tap_without_pcscd_says_what_to_install(
    capsys: pytest.CaptureFixture[str], home: Path, tmp_path: Path
) -> None:
    pay(capsys, home, "init")
    env = {"PCSCLITE_CSOCK_NAME": str(tmp_path / "no-pcscd.comm")}
    tap = subprocess.run(
        [sys.executable, "-m", "pytee", "pay", "tap", "1", "--home", str(home)],
        cwd="/",
        env=dict(os.environ, **env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert tap.returncode == 1
    assert tap.stderr.startswith("pytee pay tap: ")
    assert "apt-get install pcscd vsmartcard-vpcd" in tap.stderr
    assert tap.stderr.count("\n") == 1


def test_tap_without_pyscard_says_how_to_get_it(
    capsys: pytest.CaptureFixture[str], home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pay(capsys, home, "init")
    monkeypatch.setitem(sys.modules, "smartcard.scard", None)
    monkeypatch.setitem(sys.modules, "smartcard", None)
    status, _, err = pay(capsys, home, "tap", "1")
    assert status == 1
    assert err.startswith(
        "pytee pay tap: pyscard is not installed (pip install pyscard"
    )
    assert err.count("\n") == 1
