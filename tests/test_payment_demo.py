"""``pytee pay demo`` (pytee/payment/demo.py): enrolment, a top-up and a
purchase on a software TEE of its own, with a readable transcript.

The demo runs as a user runs it, ``python -m pytee pay demo``, in a child
process that inherits ``PYTEE_LIBTEEC`` and ``PYTEE_TA_PATH`` (so it runs
against the build under test).
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from pytee import cli
from pytee.payment import commands

pytestmark = pytest.mark.software_tee


def run_pytee(*args: str) -> subprocess.CompletedProcess[str]:
    # From "/" so that the child imports the same pytee as this process.
    return subprocess.run(
        [sys.executable, "-m", "pytee", *args],
        cwd="/",
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
    )


@pytest.fixture(scope="module")
def transcript() -> str:
    done = run_pytee("pay", "demo")
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_transcript_shows_every_step_of_the_patent(transcript: str) -> None:
    for step in range(1, 10):
        assert re.search(r"^S%d\b" % step, transcript, re.MULTILINE), "S%d" % step
    assert transcript.index("S1 enrolment") < transcript.index("S1 top-up")
    assert transcript.index("S1 top-up") < transcript.index("S2 ")


def test_the_transcript_shows_apdus_and_status_words(transcript: str) -> None:
    directory = commands.select_directory_command().encode().hex().upper()
    assert "POS >  %s" % directory in transcript
    assert "POS >  %s" % commands.select_aid_command().encode().hex().upper() in (
        transcript
    )
    assert "POS >  80A800002C832A" in transcript  # GPO, 42 bytes of PDOL values
    assert "POS >  90540100" in transcript  # the DEBIT chain
    assert "card < 77" in transcript
    assert transcript.count("SW 9000: success") >= 8


def _apdu_bytes(transcript: str) -> list[bytes]:
    """Each APDU and answer of the transcript, as bytes."""
    messages: list[str] = []
    for line in transcript.splitlines():
        start = re.match(r"^    (?:POS > |card <) ([0-9A-F]*)$", line)
        more = re.match(r"^ {11}([0-9A-F]+)$", line)
        if start:
            messages.append(start.group(1))
        elif more and messages:
            messages[-1] += more.group(1)
    return [bytes.fromhex(m) for m in messages]


def test_the_transcript_shows_no_card_number(transcript: str) -> None:
    apdus = _apdu_bytes(transcript)
    assert len(apdus) >= 20
    # The token crosses the link only inside the HPKE ciphertext: no run of
    # 16 ASCII digits, nor the issuer's BIN, in any APDU or answer...
    for data in apdus:
        assert not re.search(rb"[0-9]{16}", data)
        assert b"629999" not in data
    # ...and the text says only its last four digits.
    prose = [line for line in transcript.splitlines() if not re.match(r"^ {4}", line)]
    assert not re.search(r"\b\d{16,19}\b", "\n".join(prose))
    assert re.search(r"card \*{12}\d{4}, ATC 1", transcript)
    assert "record 2: the device certificate (no card number in it)" in transcript


def test_the_transcript_ends_with_the_balances(transcript: str) -> None:
    # 200.00 loaded, 25.99 paid.
    assert "loaded 200.00 CNY; balance 200.00 CNY" in transcript
    assert "balance 174.01 CNY" in transcript
    assert "display copy: 174.01 CNY" in transcript
    assert transcript.rstrip().endswith("final balance: 174.01 CNY")


def test_a_missing_ta_folder_is_an_error() -> None:
    done = run_pytee("pay", "demo", "--ta-path", "/nonexistent")
    assert done.returncode == 1
    assert "no payment TA" in done.stderr
    assert done.stdout == ""


def test_pay_needs_a_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["pay"])
    assert info.value.code == 2
    assert "usage: pytee pay" in capsys.readouterr().err
