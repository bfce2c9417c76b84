"""A top-up whose answer is lost is confirmed all the same (docs/payment.md,
"Load"), and a wallet whose TA died goes on with a new session.

The TA host is SIGKILLed right after the TA credited a load (CREDIT_LOAD
done and stored, its answer never read by the CA): the issuer then holds
an authorisation it never saw the receipt of, while the TA's balance and
load counter have moved.  The issuer refuses the next load
(``UnconfirmedLoad``) until the wallet gives it that receipt, which the TA
signs again on LAST_LOAD; so the TA's balance is always the sum of the
loads the issuer confirmed, each counted once.  Each test runs with the C
TA and with its Python twin (test ids ``[c]``, ``[python]``) and starts
from a new card, which only the software TEE allows.
"""

from __future__ import annotations

import functools
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest
from payment_helpers import (
    PAYMENT_TAS,
    LedgerIssuer,
    Yes,
    dying_invoke,
    kill_ta_host,
    reset_card,
)

from pytee import Context, Session, TargetDead
from pytee.payment.errors import LoadConfirmed, UnconfirmedLoad
from pytee.payment.issuer import Acquirer, Issuer
from pytee.payment.keys import verify
from pytee.payment.phone import Phone
from pytee.payment.ta_client import PaymentTa
from pytee.payment.ta_ids import PAYMENT_CMD_CREDIT_LOAD
from pytee.payment.ui import HistoryEntry
from pytee.payment.wire import (
    LoadAuthorisation,
    LoadChallenge,
    LoadReceipt,
    loaded_message,
)

pytestmark = pytest.mark.software_tee


@pytest.fixture(scope="module", params=sorted(PAYMENT_TAS))
def payment_ta(request: pytest.FixtureRequest) -> str:
    return PAYMENT_TAS[request.param]


@dataclass
class Scheme:
    """The parties outside the phone that a top-up needs."""

    issuer: LedgerIssuer
    acquirer: Acquirer


@pytest.fixture
def scheme() -> Scheme:
    issuer = LedgerIssuer()
    acquirer = Acquirer(name="Acquirer")
    acquirer.certificate = issuer.certify_acquirer(
        acquirer.public_key_bytes, acquirer.name
    )
    return Scheme(issuer, acquirer)


@pytest.fixture
def phone(context: Context, payment_ta: str, scheme: Scheme) -> Iterator[Phone]:
    """An enrolled phone on a new card, nothing loaded."""
    reset_card(payment_ta)
    with Phone(context, prompter=Yes(), uuid=payment_ta) as phone:
        phone.enrol(scheme.issuer, scheme.acquirer.certificate)
        yield phone


def ta_balance(uuid: str) -> int:
    """The TA's balance, by GET_INFO in a session of a context of its own."""
    with Context() as context, PaymentTa(context, uuid) as ta:
        return ta.info().balance


def confirmed(scheme: Scheme) -> list[int]:
    return scheme.issuer.confirmed


def lose_a_load_answer(phone: Phone, scheme: Scheme, uuid: str, amount: int) -> None:
    """A top-up during which the TA host dies right after CREDIT_LOAD."""
    fired: list[bool] = []
    kill = functools.partial(kill_ta_host, uuid)
    dying = dying_invoke(PAYMENT_CMD_CREDIT_LOAD, kill, fired)
    with mock.patch.object(Session, "invoke", dying), pytest.raises(TargetDead):
        phone.top_up(scheme.issuer, amount)
    assert fired, "CREDIT_LOAD never reached the TA"


# -- the lost answer ------------------------------------------------------------


def test_a_lost_load_answer_is_confirmed_before_the_next_load(
    context: Context, payment_ta: str, phone: Phone, scheme: Scheme
) -> None:
    lose_a_load_answer(phone, scheme, payment_ta, 1000)
    # the TA credited it; the issuer has not seen its receipt
    assert ta_balance(payment_ta) == 1000
    assert confirmed(scheme) == []

    # the user tries again with the wallet started anew
    with Phone(context, prompter=Yes(), uuid=payment_ta) as again:
        receipt = again.top_up(scheme.issuer, 2500)
        assert (receipt.counter, receipt.balance) == (1, 3500)
        assert again.display.history == [
            HistoryEntry("load", 1000, 1000, 0, "issuer"),
            HistoryEntry("load", 2500, 3500, 1, "issuer"),
        ]
    assert confirmed(scheme) == [1000, 2500]
    assert ta_balance(payment_ta) == sum(confirmed(scheme))
    device = scheme.issuer.device_records()["devices"][0]
    assert (device["next_counter"], device["pending"]) == (2, {})


def test_the_same_wallet_goes_on_after_the_ta_died(
    payment_ta: str, phone: Phone, scheme: Scheme
) -> None:
    lose_a_load_answer(phone, scheme, payment_ta, 700)
    receipt = phone.top_up(scheme.issuer, 300)  # a new session, no restart
    assert (receipt.counter, receipt.balance) == (1, 1000)
    assert confirmed(scheme) == [700, 300]
    assert ta_balance(payment_ta) == sum(confirmed(scheme))


def test_the_issuer_signs_no_load_while_one_is_unconfirmed(
    payment_ta: str, phone: Phone, scheme: Scheme
) -> None:
    lose_a_load_answer(phone, scheme, payment_ta, 1000)
    with Context() as context, PaymentTa(context, payment_ta) as ta:
        challenge = LoadChallenge.decode(ta.init_load())
        assert challenge.counter == 1
        with pytest.raises(UnconfirmedLoad) as refused:
            scheme.issuer.authorise_load(challenge, 5000)
        assert refused.value.counter == 0
        # LAST_LOAD: the missing receipt, which the issuer takes once
        last = ta.last_load()
        assert last.amount == 1000
        assert (last.receipt.counter, last.receipt.balance) == (0, 1000)
        device_id = challenge.device_id
        assert scheme.issuer.confirm_load(device_id, last.receipt) == 1000
        with pytest.raises(LoadConfirmed):
            scheme.issuer.confirm_load(device_id, ta.last_load().receipt)
        # the same challenge is good now
        authorisation = scheme.issuer.authorise_load(challenge, 5000)
        receipt = LoadReceipt.decode(ta.credit_load(authorisation.encode()))
        assert scheme.issuer.confirm_load(device_id, receipt) == 5000
    assert confirmed(scheme) == [1000, 5000]
    assert ta_balance(payment_ta) == 6000


def test_confirm_last_load_on_start(
    context: Context, payment_ta: str, phone: Phone, scheme: Scheme
) -> None:
    assert phone.confirm_last_load(scheme.issuer) is None  # no load yet
    phone.top_up(scheme.issuer, 400)
    assert phone.confirm_last_load(scheme.issuer) is None  # confirmed already
    lose_a_load_answer(phone, scheme, payment_ta, 600)
    with Phone(context, prompter=Yes(), uuid=payment_ta) as again:
        receipt = again.confirm_last_load(scheme.issuer)
        assert receipt is not None
        assert (receipt.counter, receipt.balance) == (1, 1000)
        verify(
            again.device_certificate.public_key,
            loaded_message(
                again.device_certificate.subject_id, 1, 600, receipt.balance
            ),
            receipt.signature,
        )
        assert again.display.history == [HistoryEntry("load", 600, 1000, 1, "issuer")]
        assert again.display.balance == 1000
        assert again.confirm_last_load(scheme.issuer) is None  # counted once
    assert confirmed(scheme) == [400, 600]
    assert ta_balance(payment_ta) == sum(confirmed(scheme))


def test_a_load_never_credited_is_simply_tried_again(
    payment_ta: str, phone: Phone, scheme: Scheme
) -> None:
    # the TA dies after the issuer's authorisation, before CREDIT_LOAD
    real = Issuer.authorise_load

    def then_die(
        self: Issuer, challenge: LoadChallenge, amount: int
    ) -> LoadAuthorisation:
        authorisation = real(self, challenge, amount)
        kill_ta_host(payment_ta)
        return authorisation

    with (
        mock.patch.object(Issuer, "authorise_load", then_die),
        pytest.raises(TargetDead),
    ):
        phone.top_up(scheme.issuer, 800)
    assert ta_balance(payment_ta) == 0
    assert phone.confirm_last_load(scheme.issuer) is None  # nothing credited
    receipt = phone.top_up(scheme.issuer, 800)  # the same counter again
    assert (receipt.counter, receipt.balance) == (0, 800)
    assert confirmed(scheme) == [800]


# -- a wallet whose TA died ---------------------------------------------------------


def test_a_session_that_got_target_dead_is_replaced(
    payment_ta: str, phone: Phone, scheme: Scheme
) -> None:
    phone.top_up(scheme.issuer, 1234)
    before = phone.info()
    kill_ta_host(payment_ta)
    with pytest.raises(TargetDead):
        phone.info()  # the session of the dead instance: dead for good
    assert phone.info() == before  # a new session, a new instance
    assert phone.balance() == 1234
    phone.top_up(scheme.issuer, 1)
    assert phone.balance() == 1235


# -- the state's version ---------------------------------------------------------

TA_PYTHON = Path(__file__).resolve().parent.parent / "ta_python"

STATE_CHECK = """
import payment_state as ps

from pytee import TeeError

CORRUPT_OBJECT = 0xF0100001

state = ps.State(enrolled=True, load_counter=2, balance=9)
v4 = state.encode()
assert len(v4) == ps.STATE_LEN == ps.STATE_V3_LEN + 20
assert v4[4] == 4
# a version 3 state: the same without the last load
v3 = v4[:4] + bytes([3]) + v4[5 : ps.STATE_V3_LEN]
old = ps.State.decode(v3)
assert (old.last_load, old.load_counter, old.balance) == (None, 2, 9)
assert old.encode() == v4  # written back as version 4
state.last_load = ps.LastLoad(1, 4, 9)
assert ps.State.decode(state.encode()).last_load == ps.LastLoad(1, 4, 9)
for bad in (v3[:5] + bytes([v3[5] | 4]) + v3[6:], v3 + bytes(20), v4[:-1]):
    try:
        ps.State.decode(bad)
    except TeeError as error:
        assert error.code == CORRUPT_OBJECT, error
    else:
        raise AssertionError("decoded a broken state")
"""


def test_the_python_twin_reads_a_version_3_state() -> None:
    """The state layout's version 4 added the last load; a card stored by
    version 3 is read as one with no last load kept (the C TA's decode()
    does the same).  In a process of its own: the TA's modules load
    libtee."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(STATE_CHECK)],
        cwd=TA_PYTHON,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
