"""The payment TA of CN103942678A, in Python (docs/payment.md).

The twin of the C TA ``csrc/ta/payment``: the same commands, parameter
types and results, its checks in the same order, the same state machine
and storage, with a UUID of its own.  Everything it does goes through
``pytee.internal``, the GP TEE Internal Core API: trusted storage, random
numbers, digests, ECDSA, ECDH, HKDF, AES-GCM and big-integer arithmetic.

Each session carries one transaction (IDLE -> SELECTED -> GPO_DONE ->
DEBITED) and a load challenge; the card itself (keys, balance, counters)
is in trusted storage.  One instance serves every session
(``TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION``): GP runs the
commands of an instance one at a time, so the read-change-write of the
stored state by one command never interleaves with another session's.

Its modules, next to it, each the twin of a C file of the TA:

- ``payment.py``: entry points, sessions and the commands
  (``payment_ta.c``, ``cmd_card.c``, ``cmd_load.c``, ``cmd_pay.c``);
- ``payment_messages.py``: the requests it parses, the answers it builds
  and the messages it signs, field by field;
- ``payment_bytes.py``: big-endian integers, a reader of fixed layouts,
  BCD dates (``bytes.c``);
- ``payment_cert.py``: the compact certificates (``cert.c``);
- ``payment_crypto.py``: SHA-256, P-256 keys, ECDSA, the device key
  (``sig.c``, ``devkey.c``);
- ``payment_hpke.py``: HPKE, RFC 9180 (``hpke.c``);
- ``payment_state.py``: the stored state (``state.c``);
- ``payment_tui.py``: the trusted UI's PIN screen (``cmd_pin.c``), the
  PIN logic (SET_PIN, the PIN check of GPO) being here.

The numbers are those of ``payment_ta.h``, from its Python mirror
:mod:`pytee.payment.ta_ids`, as the C TA includes its header.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from payment_bytes import date_past, expiry_past
from payment_cert import Certificate
from payment_crypto import DeviceKey, sha256, verify
from payment_hpke import seal
from payment_messages import (
    DebitRequest,
    Enrolment,
    GpoRequest,
    LoadAuthorisation,
    card_number_valid,
    debit_message,
    debit_receipt,
    enrol_message,
    gpo_message,
    gpo_response,
    hpke_plaintext,
    init_load_answer,
    load_message,
    load_receipt,
    loaded_message,
    receipt_message,
)
from payment_state import LastDebit, LastLoad, State
from payment_tui import displayable, pin_screen

from pytee import ItemNotFound, Result, Security
from pytee.internal import (
    TA_FLAG_MULTI_SESSION,
    TA_FLAG_SINGLE_INSTANCE,
    Memref,
    TrustedApplication,
    Value,
    error,
    generate_random,
)
from pytee.internal import ParamType as T
from pytee.payment.ta_ids import (
    PAYMENT_CERT_ACQUIRER,
    PAYMENT_CERT_DEVICE,
    PAYMENT_CERT_FIXED_LEN,
    PAYMENT_CERT_TERMINAL,
    PAYMENT_CHALLENGE_LEN,
    PAYMENT_CMD_CREDIT_LOAD,
    PAYMENT_CMD_DEBIT,
    PAYMENT_CMD_ENROL,
    PAYMENT_CMD_GET_INFO,
    PAYMENT_CMD_GPO,
    PAYMENT_CMD_INIT_LOAD,
    PAYMENT_CMD_KEYGEN,
    PAYMENT_CMD_LAST_LOAD,
    PAYMENT_CMD_READ_CERT,
    PAYMENT_CMD_SELECT,
    PAYMENT_CMD_SET_PIN,
    PAYMENT_CURRENCY,
    PAYMENT_CVM_LIMIT,
    PAYMENT_DEBIT_FIXED_LEN,
    PAYMENT_DEBIT_RECEIPT_LEN,
    PAYMENT_DEBIT_REQUEST_MAX,
    PAYMENT_ENROL_MAX,
    PAYMENT_ENROL_MIN,
    PAYMENT_GPO_REQUEST_LEN,
    PAYMENT_HPKE_INFO,
    PAYMENT_INIT_LOAD_LEN,
    PAYMENT_LOAD_AUTH_LEN,
    PAYMENT_LOAD_RECEIPT_LEN,
    PAYMENT_PIN_MAX,
    PAYMENT_PIN_MIN,
    PAYMENT_PIN_TRIES,
    PAYMENT_PUBKEY_LEN,
    PAYMENT_READ_ACQUIRER_CERT,
    PAYMENT_READ_DEVICE_CERT,
    PAYMENT_READ_ISSUER_KEY,
    PAYMENT_SIG_LEN,
    PAYMENT_STATE_ENROLLED,
    PAYMENT_STATE_KEY,
    PAYMENT_STATE_PIN_SET,
    PAYMENT_SUBJECT_ID_LEN,
    PAYMENT_TERMINAL_ID_LEN,
)

TA_UUID = "fcfaada9-c696-4c5c-903f-5fed5991252a"

U32_MAX = 0xFFFFFFFF
U64_MAX = 0xFFFFFFFFFFFFFFFF
HPKE_ENC_LEN = PAYMENT_PUBKEY_LEN
HPKE_TAG_LEN = 16

ta = TrustedApplication(
    TA_UUID,
    flags=TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION,
    stack_size=16 * 1024,
    data_size=64 * 1024,
    version="1.0",
    description="pytee payment TA (CN103942678A), in Python",
)


# ---- the session --------------------------------------------------------------


class Phase(enum.Enum):
    """The transaction state machine of docs/payment.md."""

    IDLE = enum.auto()
    SELECTED = enum.auto()
    GPO_DONE = enum.auto()
    DEBITED = enum.auto()


@dataclass(frozen=True)
class Transaction:
    """What GPO fixed for the DEBIT of the same transaction."""

    atc: int
    amount: int
    currency: int
    terminal_id: bytes
    nonce: bytes
    date: bytes


@dataclass
class Session:
    phase: Phase = Phase.IDLE
    transaction: Transaction | None = None  # set by GPO
    challenge: bytes | None = None  # drawn by INIT_LOAD, not used yet

    def after_gpo(self) -> Transaction:
        """The transaction GPO started; ``BAD_STATE`` unless GPO was the
        last step."""
        if self.phase is not Phase.GPO_DONE or self.transaction is None:
            raise error(Result.BAD_STATE, "no GPO to debit")
        return self.transaction


@ta.open_session()
def open_session() -> Session:
    """A card in the field: no transaction, no load challenge.  Closing the
    session (power off) forgets both."""
    return Session()


# ---- parameters ---------------------------------------------------------------


def copy_in(memref: Memref, min_size: int, max_size: int) -> bytes:
    """The TA's own copy of an input of ``min_size..max_size`` bytes; the
    client may change shared memory, so the TA parses the copy only.
    ``BAD_PARAMETERS`` for any other size."""
    size = memref.size
    if not min_size <= size <= max_size or len(memref.buffer) != size:
        raise error(Result.BAD_PARAMETERS, "an input of %d bytes" % size)
    return bytes(memref.buffer)


def need_room(out: Memref, size: int) -> None:
    """``SHORT_BUFFER`` with the size needed, unless ``out`` holds ``size``
    bytes: checked before anything changes."""
    if len(out.buffer) < size:
        out.size = size
        raise error(Result.SHORT_BUFFER, "%d bytes needed" % size)


def enrolled_state() -> State:
    """The stored state; ``BAD_STATE`` before ENROL."""
    state = State.load()
    if not state.enrolled:
        raise error(Result.BAD_STATE, "not enrolled")
    return state


# ---- the card: KEYGEN, GET_INFO, ENROL, READ_CERT -----------------------------


@ta.command(PAYMENT_CMD_KEYGEN, T.MEMREF_OUTPUT)
def keygen(session: Session, public: Memref) -> None:
    """Makes DK once; later calls give the same public key."""
    need_room(public, PAYMENT_PUBKEY_LEN)
    public.write(DeviceKey.create().public)


def has_device_key() -> bool:
    try:
        DeviceKey.load()
    except ItemNotFound:
        return False
    return True


@ta.command(PAYMENT_CMD_GET_INFO, T.VALUE_OUTPUT, T.VALUE_OUTPUT, T.VALUE_OUTPUT)
def get_info(session: Session, card: Value, balance: Value, counters: Value) -> None:
    state = State.load()
    bits = PAYMENT_STATE_KEY if has_device_key() else 0
    if state.enrolled:
        bits |= PAYMENT_STATE_ENROLLED
    if state.pin_set:
        bits |= PAYMENT_STATE_PIN_SET
    card.a, card.b = bits, state.atc
    balance.a, balance.b = state.balance >> 32, state.balance & U32_MAX
    counters.a, counters.b = state.load_counter, state.pin_tries


def check_enrolment(record: Enrolment, dk: DeviceKey) -> None:
    """The record's signature under the key it carries, its card number,
    then its certificates under that key: ``SECURITY`` when anything fails."""
    issuer_key = record.issuer_key
    verify(issuer_key, enrol_message(record), record.signature)
    if not card_number_valid(record.token, record.expiry):
        raise error(Result.SECURITY, "not a card number and expiry")
    device = Certificate.check(record.device_cert, PAYMENT_CERT_DEVICE, issuer_key)
    if device.subject != dk.id or device.key != dk.public:
        raise error(Result.SECURITY, "the certificate of another device")
    Certificate.check(record.acquirer_cert, PAYMENT_CERT_ACQUIRER, issuer_key)


@ta.command(PAYMENT_CMD_ENROL, T.MEMREF_INPUT)
def enrol(session: Session, record_in: Memref) -> None:
    record = Enrolment.parse(copy_in(record_in, PAYMENT_ENROL_MIN, PAYMENT_ENROL_MAX))
    try:
        dk = DeviceKey.load()
    except ItemNotFound:
        raise error(Result.BAD_STATE, "no KEYGEN yet") from None
    state = State.load()
    if state.enrolled:
        raise error(Result.ACCESS_CONFLICT, "enrolled already")
    check_enrolment(record, dk)
    # trust on first use: IK is pinned from now on
    state.enrolled = True
    state.issuer_key = record.issuer_key
    state.device_cert = record.device_cert
    state.acquirer_cert = record.acquirer_cert
    state.token = record.token
    state.expiry = record.expiry
    state.save()


@ta.command(PAYMENT_CMD_READ_CERT, T.VALUE_INPUT, T.MEMREF_OUTPUT)
def read_cert(session: Session, which: Value, out: Memref) -> None:
    state = State.load()
    items = {
        PAYMENT_READ_ISSUER_KEY: state.issuer_key,
        PAYMENT_READ_DEVICE_CERT: state.device_cert,
        PAYMENT_READ_ACQUIRER_CERT: state.acquirer_cert,
    }
    if which.a not in items:
        raise error(Result.BAD_PARAMETERS, "no item %d" % which.a)
    if not state.enrolled:
        raise error(Result.BAD_STATE, "not enrolled")
    out.write(items[which.a])


# ---- loads: INIT_LOAD, CREDIT_LOAD, LAST_LOAD ---------------------------------


@ta.command(PAYMENT_CMD_INIT_LOAD, T.MEMREF_OUTPUT)
def init_load(session: Session, out: Memref) -> None:
    """A fresh challenge for this session, the load counter and the device id."""
    need_room(out, PAYMENT_INIT_LOAD_LEN)
    state = enrolled_state()
    dk = DeviceKey.load()
    session.challenge = generate_random(PAYMENT_CHALLENGE_LEN)
    out.write(init_load_answer(session.challenge, state.load_counter, dk.id))


@ta.command(PAYMENT_CMD_CREDIT_LOAD, T.MEMREF_INPUT, T.MEMREF_OUTPUT)
def credit_load(session: Session, auth_in: Memref, out: Memref) -> None:
    """Credits the amount the issuer authorised for this session's challenge."""
    auth_bytes = copy_in(auth_in, PAYMENT_LOAD_AUTH_LEN, PAYMENT_LOAD_AUTH_LEN)
    auth = LoadAuthorisation.parse(auth_bytes)
    need_room(out, PAYMENT_LOAD_RECEIPT_LEN)
    state = State.load()
    challenge = session.challenge
    if not state.enrolled or challenge is None:
        raise error(Result.BAD_STATE, "no challenge")
    session.challenge = None  # one authorisation per challenge, whatever its fate
    dk = DeviceKey.load()
    message = load_message(dk.id, auth.counter, challenge, auth.amount)
    verify(state.issuer_key, message, auth.signature)
    if auth.counter != state.load_counter:
        raise error(Result.SECURITY, "a stale or replayed authorisation")
    if auth.amount > U64_MAX - state.balance or auth.counter == U32_MAX:
        raise error(Result.OVERFLOW, "the balance or the counter would wrap")
    state.balance += auth.amount
    state.load_counter = auth.counter + 1
    state.last_load = LastLoad(auth.counter, auth.amount, state.balance)
    # the receipt is made first: none exists for a load not stored
    signed = loaded_message(dk.id, auth.counter, auth.amount, state.balance)
    signature = dk.sign(signed)
    state.save()
    out.write(load_receipt(auth.counter, state.balance, signature))


@ta.command(PAYMENT_CMD_LAST_LOAD, T.MEMREF_OUTPUT, T.VALUE_OUTPUT)
def last_load(session: Session, out: Memref, amount: Value) -> None:
    """The receipt of the last credit again, signed afresh, and its amount:
    for a CA that lost CREDIT_LOAD's answer.  ``ITEM_NOT_FOUND`` when no
    load was credited (or none kept, by a state of version 3)."""
    need_room(out, PAYMENT_LOAD_RECEIPT_LEN)
    state = enrolled_state()
    last = state.last_load
    if last is None:
        raise error(Result.ITEM_NOT_FOUND, "no load credited yet")
    dk = DeviceKey.load()
    signed = loaded_message(dk.id, last.counter, last.amount, last.balance)
    out.write(load_receipt(last.counter, last.balance, dk.sign(signed)))
    amount.a, amount.b = last.amount >> 32, last.amount & U32_MAX


# ---- paying: SELECT, GPO, DEBIT -----------------------------------------------


@ta.command(PAYMENT_CMD_SELECT)
def select(session: Session) -> None:
    enrolled_state()
    # a new SELECT ends whatever transaction was under way
    session.transaction = None
    session.phase = Phase.SELECTED


def stored_certificate(data: bytes, kind: int) -> Certificate:
    """A certificate the TA checked when it stored it."""
    try:
        return Certificate.parse(data, kind)
    except Security:
        raise error(Result.GENERIC, "a stored certificate does not parse") from None


def gpo_response_size(plaintext: bytes) -> int:
    hpke_len = HPKE_ENC_LEN + len(plaintext) + HPKE_TAG_LEN
    return 4 + 2 + hpke_len + PAYMENT_SIG_LEN


@ta.command(PAYMENT_CMD_GPO, T.MEMREF_INPUT, T.MEMREF_OUTPUT)
def gpo(session: Session, request_in: Memref, out: Memref) -> None:
    """Counts the transaction (the ATC, stored before any answer) and gives
    the card number encrypted to the acquirer, signed with DK."""
    data = copy_in(request_in, PAYMENT_GPO_REQUEST_LEN, PAYMENT_GPO_REQUEST_LEN)
    if session.phase is not Phase.SELECTED:
        raise error(Result.BAD_STATE, "GPO needs a SELECT just before")
    request = GpoRequest.parse(data)
    state = enrolled_state()
    device = stored_certificate(state.device_cert, PAYMENT_CERT_DEVICE)
    acquirer = stored_certificate(state.acquirer_cert, PAYMENT_CERT_ACQUIRER)
    dk = DeviceKey.load()
    if (
        expiry_past(request.date, state.expiry)
        or date_past(request.date, device.not_after)
        or state.atc == U32_MAX
    ):
        raise error(Result.BAD_STATE, "the card expired or its ATC is used up")
    atc = state.atc + 1
    plaintext = hpke_plaintext(state.token, state.expiry, atc, dk.id)
    need_room(out, gpo_response_size(plaintext))

    # Above the cardholder verification limit the user sees what the card
    # signs on the trusted UI and types the PIN there, before the ATC is
    # spent: a wrong PIN has cost a try (stored) when this raises.
    if request.amount > PAYMENT_CVM_LIMIT:
        verify_pin_for_gpo(state, request)

    # the ATC is spent and stored before any answer can leave
    state.atc = atc
    state.save()
    hpke = seal(acquirer.key, PAYMENT_HPKE_INFO.encode("ascii"), plaintext)
    signature = dk.sign(gpo_message(request, atc, hpke))
    session.transaction = Transaction(
        atc,
        request.amount,
        request.currency,
        request.terminal_id,
        request.nonce,
        request.date,
    )
    session.phase = Phase.GPO_DONE
    out.write(gpo_response(atc, hpke, signature))


def check_terminal(
    state: State,
    dk: DeviceKey,
    request: DebitRequest,
    currency: int,
    nonce: bytes,
    date: bytes,
) -> None:
    """The terminal's certificate (kind 2 under IK, naming the request's
    terminal id, valid on ``date``) and its signature of the request for
    the transaction of ``(currency, nonce)``: ``SECURITY`` when either
    is wrong."""
    cert = Certificate.check(request.cert, PAYMENT_CERT_TERMINAL, state.issuer_key)
    padding = bytes(PAYMENT_SUBJECT_ID_LEN - PAYMENT_TERMINAL_ID_LEN)
    if cert.subject != request.terminal_id + padding or date_past(date, cert.not_after):
        raise error(Result.SECURITY, "not this terminal's certificate, or expired")
    message = debit_message(dk.id, request, currency, nonce)
    verify(cert.key, message, request.signature)


def is_retry(last: LastDebit, request: DebitRequest) -> bool:
    """Whether ``request`` asks again for the last debit made."""
    return (
        last.atc == request.atc
        and last.amount == request.amount
        and last.sequence == request.sequence
        and last.terminal_id == request.terminal_id
    )


@ta.command(PAYMENT_CMD_DEBIT, T.MEMREF_INPUT, T.MEMREF_OUTPUT)
def debit(session: Session, request_in: Memref, out: Memref) -> None:
    """Debits the transaction of this session's GPO once, for the terminal
    that signed the request; a retry gets the same receipt again."""
    data = copy_in(
        request_in,
        PAYMENT_DEBIT_FIXED_LEN + PAYMENT_CERT_FIXED_LEN,
        PAYMENT_DEBIT_REQUEST_MAX,
    )
    request = DebitRequest.parse(data)
    need_room(out, PAYMENT_DEBIT_RECEIPT_LEN)
    state = enrolled_state()
    dk = DeviceKey.load()

    # a retry after a lost answer: the same receipt, no second debit
    last = state.last
    if last is not None and is_retry(last, request):
        check_terminal(state, dk, request, last.currency, last.nonce, last.date)
        out.write(debit_receipt(last.balance, last.signature))
        return

    txn = session.after_gpo()
    check_terminal(state, dk, request, txn.currency, txn.nonce, txn.date)
    if (
        request.atc != txn.atc
        or request.amount != txn.amount
        or request.terminal_id != txn.terminal_id
        or request.amount > state.balance
    ):
        raise error(Result.BAD_STATE, "not this transaction, or funds short")
    balance = state.balance - request.amount
    # the receipt is signed first and stored with the debit
    signed = receipt_message(
        dk.id,
        request.atc,
        request.amount,
        request.terminal_id,
        request.sequence,
        balance,
    )
    state.balance = balance
    state.last = LastDebit(
        request.atc,
        request.amount,
        txn.currency,
        request.terminal_id,
        request.sequence,
        txn.nonce,
        txn.date,
        balance,
        dk.sign(signed),
    )
    state.save()
    session.phase = Phase.DEBITED
    out.write(debit_receipt(balance, state.last.signature))


# ---- the PIN: SET_PIN, the PIN check of GPO (cmd_pin.c) ---------------------

PIN_TAG = b"TEEPAY-PIN\0"
PIN_SALT_LEN = 16


def pin_digest(salt: bytes, pin: bytes) -> bytes:
    """The verifier of ``pin``: SHA-256 of a tag, the salt and the PIN."""
    return sha256(PIN_TAG + salt + pin)


def pin_wellformed(pin: bytes) -> bool:
    return PAYMENT_PIN_MIN <= len(pin) <= PAYMENT_PIN_MAX and all(
        0x30 <= c <= 0x39 for c in pin
    )


def pin_matches(state: State, pin: bytes) -> bool:
    """Whether ``pin`` is the PIN of the state's verifier."""
    if not pin_wellformed(pin):
        return False
    digest = pin_digest(state.pin_salt, pin)
    diff = 0
    for a, b in zip(digest, state.pin_verifier):
        diff |= a ^ b
    return diff == 0 and len(digest) == len(state.pin_verifier)


def pin_wrong(state: State) -> Exception:
    """A wrong PIN: one try fewer, stored before the answer; the error to
    raise (``SECURITY``, or ``ACCESS_DENIED`` when it was the last try)."""
    state.pin_tries = max(state.pin_tries - 1, 0)
    state.save()
    if state.pin_tries:
        return error(Result.SECURITY, "wrong PIN")
    return error(Result.ACCESS_DENIED, "wrong PIN, now blocked")


def format_amount(amount: int) -> str:
    return "%d.%02d" % (amount // 100, amount % 100)


def verify_pin_for_gpo(state: State, request: GpoRequest) -> None:
    """The cardholder verification of a GPO above the limit: amount,
    currency and terminal on the trusted UI, the PIN typed there.  On
    success the tries are reset in ``state`` (stored with the ATC)."""
    if not state.pin_set:
        raise error(Result.SECURITY, "no PIN set")
    if not state.pin_tries:
        raise error(Result.ACCESS_DENIED, "PIN blocked")
    currency = "CNY" if request.currency == PAYMENT_CURRENCY else "???"
    text = displayable(
        "Pay %s %s\nat terminal %s\n\nEnter your PIN to pay."
        % (
            format_amount(request.amount),
            currency,
            request.terminal_id.decode("ascii"),
        )
    )
    (pin,) = pin_screen(text, ["PIN"])
    if not pin_matches(state, bytes(pin)):
        raise pin_wrong(state)
    state.pin_tries = PAYMENT_PIN_TRIES


@ta.command(PAYMENT_CMD_SET_PIN)
def set_pin(session: Session) -> None:
    """The user chooses a PIN (or changes it, giving the current one first)
    on the trusted UI; the TA keeps a salted verifier of it."""
    state = enrolled_state()
    if state.pin_set and not state.pin_tries:
        raise error(Result.ACCESS_DENIED, "PIN blocked")
    if state.pin_set:
        intro = "Change the PIN of your TEEPAY card.\n4 to 6 digits."
        labels = ["Current PIN", "New PIN", "New PIN again"]
    else:
        intro = "Choose a PIN for your TEEPAY card.\n4 to 6 digits."
        labels = ["New PIN", "New PIN again"]
    values = pin_screen(intro, labels)
    if state.pin_set and not pin_matches(state, bytes(values[0])):
        raise pin_wrong(state)
    new_pin, again = bytes(values[-2]), bytes(values[-1])
    if not pin_wellformed(new_pin) or new_pin != again:
        raise error(Result.BAD_FORMAT, "the two entries differ")
    state.pin_salt = generate_random(PIN_SALT_LEN)
    state.pin_verifier = pin_digest(state.pin_salt, new_pin)
    state.pin_set = True
    state.pin_tries = PAYMENT_PIN_TRIES
    state.save()
