"""The PIN and "what you see is what you sign" through the trusted UI
(docs/payment.md, "The PIN and the trusted UI"), with the payment TA in C
and its Python twin (test ids ``[c]``, ``[python]``), the phone's CA and a
POS, on a software TEE of their own whose scripted user
(``PYTEE_TUI_SCRIPT``, docs/tui.md) types on the trusted display.

A purchase up to the cardholder verification limit (300.00 CNY) needs no
PIN and shows no screen; above it the TA shows amount, currency and
terminal id and takes the PIN before it spends an ATC or signs.  Wrong
PINs cost tries, stored; the third blocks the PIN (``6983``), across a
daemon restart.  The PIN passes through no APDU and no Client API buffer.
Without a trusted UI (no display, no script; or the C TA built without
``CFG_PYTEE_TUI``, as with OP-TEE's dev kit) a purchase above the limit is
``6982`` and one below it works as before.
"""

from __future__ import annotations

import struct
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from payment_helpers import PAYMENT_TAS, Tee, a_new_card, a_phone, software_tee

from pytee import (
    AccessDenied,
    BadFormat,
    Busy,
    Cancel,
    NotSupported,
    Security,
)
from pytee.client import Session
from pytee.payment.card import NO_TRUSTED_UI
from pytee.payment.demo import Scheme, new_scheme
from pytee.payment.errors import CardRefused
from pytee.payment.phone import Phone
from pytee.payment.pos import Purchase
from pytee.payment.ta_ids import (
    PAYMENT_CVM_LIMIT,
    PAYMENT_PIN_TRIES,
    PAYMENT_STATE_PIN_SET,
    TA_PAYMENT_UUID,
)
from pytee.payment.transport import InProcessTransport

pytestmark = pytest.mark.software_tee

PAYMENT_TA_DIR = Path(__file__).resolve().parent.parent / "csrc" / "ta" / "payment"

PIN = "924681"
OTHER_PIN = "1357"
WRONG_PIN = "813579"
ABOVE = 50000  # 500.00 CNY: above the limit
SW_SECURITY, SW_BLOCKED = 0x6982, 0x6983


@pytest.fixture(scope="module", params=sorted(PAYMENT_TAS))
def payment_ta(request: pytest.FixtureRequest) -> str:
    return PAYMENT_TAS[request.param]


# ---------------------------------------------------------------- the TEE


@pytest.fixture(scope="module")
def scripted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tee]:
    root = tmp_path_factory.mktemp("pin-scripted")
    with software_tee(root, root / "script.jsonl") as tee:
        yield tee


@pytest.fixture
def scheme() -> Scheme:
    return new_scheme()


@pytest.fixture
def phone(scripted: Tee, payment_ta: str, scheme: Scheme) -> Iterator[Phone]:
    """A new card, enrolled, with 1000.00 CNY on it; no PIN set."""
    with a_new_card(scripted, payment_ta, scheme) as phone:
        yield phone


def set_pin_rule(pin: str = PIN, again: str | None = None) -> dict[str, Any]:
    return {
        "expect": ["Choose a PIN", "New PIN again"],
        "button": "validate",
        "entries": [pin, pin if again is None else again],
    }


def pay_rule(scheme: Scheme, pin: str, amount: str = "500.00") -> dict[str, Any]:
    """The user who sees the amount and the terminal, and types ``pin``."""
    return {
        "expect": ["Pay %s CNY" % amount, scheme.pos.terminal_id.decode(), "PIN"],
        "button": "validate",
        "entries": [pin],
    }


def purchase(phone: Phone, scheme: Scheme, amount: int) -> Purchase:
    return scheme.pos.purchase(InProcessTransport(phone.card), amount)


def refused(phone: Phone, scheme: Scheme, amount: int) -> int:
    with pytest.raises(CardRefused) as refusal:
        purchase(phone, scheme, amount)
    return refusal.value.sw


def with_pin(scripted: Tee, phone: Phone, pin: str = PIN) -> None:
    scripted.say(set_pin_rule(pin))
    phone.set_pin()


# ------------------------------------------------------------------ SET_PIN


def test_the_pin_is_set_on_the_trusted_ui(scripted: Tee, phone: Phone) -> None:
    before = phone.info()
    assert before.pin_tries == PAYMENT_PIN_TRIES and not before.pin_set
    shown = scripted.screens(phone.card.uuid)
    with_pin(scripted, phone)
    after = phone.info()
    assert after.state & PAYMENT_STATE_PIN_SET and after.pin_tries == PAYMENT_PIN_TRIES
    assert scripted.screens(phone.card.uuid) == shown + 1


def test_set_pin_refuses_two_different_entries_and_a_cancel(
    scripted: Tee, phone: Phone
) -> None:
    scripted.say(set_pin_rule(PIN, again=OTHER_PIN))
    with pytest.raises(BadFormat):
        phone.set_pin()
    scripted.say({"expect": "Choose a PIN", "button": "cancel"})
    with pytest.raises(Cancel):
        phone.set_pin()
    assert not phone.info().pin_set


def test_changing_the_pin_takes_the_current_one_first(
    scripted: Tee, phone: Phone, scheme: Scheme
) -> None:
    with_pin(scripted, phone)
    change = {"expect": ["Change the PIN", "Current PIN"], "button": "validate"}
    scripted.say(dict(change, entries=[WRONG_PIN, OTHER_PIN, OTHER_PIN]))
    with pytest.raises(Security):
        phone.set_pin()
    assert phone.info().pin_tries == PAYMENT_PIN_TRIES - 1
    scripted.say(dict(change, entries=[PIN, OTHER_PIN, OTHER_PIN]))
    phone.set_pin()
    assert phone.info().pin_tries == PAYMENT_PIN_TRIES
    scripted.say(pay_rule(scheme, OTHER_PIN))
    assert purchase(phone, scheme, ABOVE).balance == 100000 - ABOVE


# ------------------------------------------------------------- purchases


def test_up_to_the_limit_no_pin_and_no_screen(
    scripted: Tee, phone: Phone, scheme: Scheme
) -> None:
    # a user who would cancel any screen: none is shown
    scripted.say({"button": "cancel"})
    shown = scripted.screens(phone.card.uuid)
    assert purchase(phone, scheme, 1999).balance == 100000 - 1999
    with_pin(scripted, phone)
    scripted.say({"button": "cancel"})
    shown += 1
    done = purchase(phone, scheme, PAYMENT_CVM_LIMIT)
    assert done.balance == 100000 - 1999 - PAYMENT_CVM_LIMIT
    assert scripted.screens(phone.card.uuid) == shown


def test_above_the_limit_the_right_pin_pays_what_the_screen_showed(
    scripted: Tee, phone: Phone, scheme: Scheme
) -> None:
    with_pin(scripted, phone)
    atc = phone.info().atc
    shown = scripted.screens(phone.card.uuid)
    # the rule answers only a screen that shows amount and terminal id
    scripted.say(pay_rule(scheme, PIN, "300.01"))
    done = purchase(phone, scheme, PAYMENT_CVM_LIMIT + 1)
    assert done.atc == atc + 1
    assert done.balance == 100000 - PAYMENT_CVM_LIMIT - 1
    assert scripted.screens(phone.card.uuid) == shown + 1
    info = phone.info()
    assert info.atc == atc + 1 and info.pin_tries == PAYMENT_PIN_TRIES


def test_a_screen_showing_another_amount_is_not_answered(
    scripted: Tee, phone: Phone, scheme: Scheme
) -> None:
    with_pin(scripted, phone)
    atc = phone.info().atc
    scripted.say(pay_rule(scheme, PIN, "500.00"))  # the user expects 500.00
    assert refused(phone, scheme, 60000) == SW_SECURITY  # the screen says 600.00
    assert phone.info().atc == atc


def test_above_the_limit_without_a_pin_set_is_6982(
    scripted: Tee, phone: Phone, scheme: Scheme
) -> None:
    scripted.say(pay_rule(scheme, PIN))
    shown = scripted.screens(phone.card.uuid)
    assert refused(phone, scheme, ABOVE) == SW_SECURITY
    assert scripted.screens(phone.card.uuid) == shown
    assert phone.info().atc == 0


def test_cancel_is_6982_and_spends_no_atc_and_no_try(
    scripted: Tee, phone: Phone, scheme: Scheme
) -> None:
    with_pin(scripted, phone)
    scripted.say({"expect": "Pay 500.00 CNY", "button": "cancel"})
    assert refused(phone, scheme, ABOVE) == SW_SECURITY
    # the REE takes the screen down (no rule answers it): as a cancel
    scripted.say({"expect": "Pay 500.00 CNY", "result": "external_cancel"})
    assert refused(phone, scheme, ABOVE) == SW_SECURITY
    info = phone.info()
    assert (info.atc, info.balance, info.pin_tries) == (0, 100000, PAYMENT_PIN_TRIES)


def test_wrong_pins_cost_tries_and_the_third_blocks_across_a_restart(
    scripted: Tee, phone: Phone, scheme: Scheme, payment_ta: str
) -> None:
    with_pin(scripted, phone)
    scripted.say(pay_rule(scheme, WRONG_PIN))
    assert refused(phone, scheme, ABOVE) == SW_SECURITY
    assert phone.info().pin_tries == 2
    assert refused(phone, scheme, ABOVE) == SW_SECURITY
    assert phone.info().pin_tries == 1
    assert refused(phone, scheme, ABOVE) == SW_BLOCKED
    assert phone.info().pin_tries == 0
    # blocked: no screen, even for the right PIN
    scripted.say(pay_rule(scheme, PIN))
    shown = scripted.screens(payment_ta)
    assert refused(phone, scheme, ABOVE) == SW_BLOCKED
    assert scripted.screens(payment_ta) == shown
    assert phone.info().atc == 0  # no wrong PIN spent an ATC
    phone.close()

    scripted.tee.stop()  # the daemon goes, the tries stay counted
    with a_phone(scripted, payment_ta) as again:
        info = again.info()
        assert (info.pin_tries, info.atc, info.balance) == (0, 0, 100000)
        assert refused(again, scheme, ABOVE) == SW_BLOCKED
        with pytest.raises(AccessDenied):
            again.set_pin()  # no way round: unblocking is the issuer's
        # as EMV contactless: below the limit the card still pays
        assert purchase(again, scheme, 500).balance == 100000 - 500


def test_the_ca_never_sees_the_pin(
    scripted: Tee,
    phone: Phone,
    scheme: Scheme,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[bytes] = []
    invoke = Session.invoke

    def snapshot(param: Any) -> bytes:
        shm = getattr(param, "_shm", None)
        if shm is not None:
            view = shm.buffer
            try:
                return bytes(view)
            finally:
                view.release()
        buffer = getattr(param, "buffer", None)
        return b"" if buffer is None else bytes(buffer)

    def recording(self: Session, command: int, *params: Any, **kw: Any) -> Any:
        seen.extend(snapshot(p) for p in params)
        seen.append(struct.pack(">I", command))
        try:
            out = invoke(self, command, *params, **kw)
        finally:
            seen.extend(snapshot(p) for p in params)
        for item in out:
            if hasattr(item, "a"):
                seen.append(struct.pack(">II", item.a, item.b))
            else:
                seen.append(bytes(item))
        return out

    monkeypatch.setattr(Session, "invoke", recording)
    card_process = phone.card.process

    def process(apdu: bytes) -> bytes:
        answer = card_process(apdu)
        seen.extend([bytes(apdu), answer])
        return answer

    monkeypatch.setattr(phone.card, "process", process)

    with_pin(scripted, phone)
    scripted.say(pay_rule(scheme, PIN))
    purchase(phone, scheme, ABOVE)
    scripted.say(pay_rule(scheme, WRONG_PIN))
    assert refused(phone, scheme, ABOVE) == SW_SECURITY
    assert len(seen) > 20
    for data in seen:
        assert PIN.encode() not in data
        assert WRONG_PIN.encode() not in data
    assert not any(PIN in message for message in phone.prompter.messages)  # type: ignore[attr-defined]


# ------------------------------------------------------- no trusted UI


def test_without_a_display_or_script_above_the_limit_is_6982(
    tmp_path: Path, payment_ta: str, scheme: Scheme
) -> None:
    with software_tee(tmp_path, None) as bare, a_phone(bare, payment_ta) as phone:
        phone.enrol(scheme.issuer, scheme.acquirer.certificate)
        phone.top_up(scheme.issuer, 100000)
        with pytest.raises(Busy):
            phone.set_pin()
        assert refused(phone, scheme, ABOVE) == SW_SECURITY
        assert phone.info().atc == 0
        assert purchase(phone, scheme, PAYMENT_CVM_LIMIT).atc == 1


def test_the_c_ta_built_without_trusted_ui_falls_back(
    tmp_path: Path, payment_ta: str, scheme: Scheme
) -> None:
    if payment_ta != TA_PAYMENT_UUID:
        pytest.skip("a build option of the C TA (OP-TEE's dev kit has no TUI)")
    with software_tee(tmp_path / "tee", tmp_path / "script.jsonl") as tee:
        out = tee.tee.build_ta(PAYMENT_TA_DIR, tmp_path / "out", CFG_PYTEE_TUI="n")
        built = out / ("%s.ta.so" % TA_PAYMENT_UUID)
        symbols = subprocess.run(
            ["nm", "-D", "--undefined-only", str(built)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "TEE_TUI" not in symbols
        tee.say({"button": "validate", "entries": [PIN, PIN]})
        with a_phone(tee, payment_ta) as phone:
            phone.enrol(scheme.issuer, scheme.acquirer.certificate)
            phone.top_up(scheme.issuer, 100000)
            with pytest.raises(NotSupported):
                phone.set_pin()
            assert refused(phone, scheme, ABOVE) == SW_SECURITY
            messages = phone.prompter.messages  # type: ignore[attr-defined]
            assert NO_TRUSTED_UI in messages
            assert phone.info().atc == 0
            assert purchase(phone, scheme, 1000).balance == 100000 - 1000
        assert tee.screens(payment_ta) == 0
