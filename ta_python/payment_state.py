"""The card's stored state (the twin of ``state.c``): one data object in
``TEE_STORAGE_PRIVATE``, in a fixed layout of its own, rewritten whole by
each change with ``PersistentObject.create`` and ``OVERWRITE``, which
trusted storage commits atomically: a change is on disk entirely or not
at all, whenever the TA is killed.

Layout (big-endian), ``STATE_LEN`` bytes::

    "PAYS" | version u8 | flags u8 (bit 0: enrolled) | atc u32 |
    load counter u32 | PIN tries u32 | balance u64 | issuer key (65) |
    device cert len u16 | device cert, padded to PAYMENT_CERT_MAX |
    acquirer cert len u16 | acquirer cert, padded to PAYMENT_CERT_MAX |
    token len u8 | token, padded to PAYMENT_TOKEN_MAX | expiry (4) |
    last debit: valid u8 | atc u32 | amount u64 | currency u16 |
    terminal id (8) | sequence u32 | nonce (16) | date (3) |
    balance u64 | receipt signature (64) |
    PIN salt (16) | PIN verifier (32) |
    last load: counter u32 | amount u64 | balance u64

flags bit 1: a PIN is set (the verifier is SHA-256 of a tag, the salt and
the PIN, never the PIN itself); bit 2: a last load is kept (LAST_LOAD
signs its receipt again).

A version 3 state, the same without the last load, is still read (as a
card with no last load kept); the next write makes it version 4.
"""

from __future__ import annotations

from dataclasses import dataclass

from payment_bytes import Reader, u16, u32, u64

from pytee import ItemNotFound, Result, TeeError
from pytee.internal import PersistentObject, emsg, error, panic, raw
from pytee.payment.ta_ids import (
    PAYMENT_CERT_MAX,
    PAYMENT_DATE_LEN,
    PAYMENT_EXPIRY_LEN,
    PAYMENT_NONCE_LEN,
    PAYMENT_PIN_TRIES,
    PAYMENT_PUBKEY_LEN,
    PAYMENT_SIG_LEN,
    PAYMENT_TERMINAL_ID_LEN,
    PAYMENT_TOKEN_MAX,
)

_, tee, _ = raw.load()

STATE_ID = b"payment.state"
MAGIC = b"PAYS"
VERSION = 4  # 3: the PIN verifier; 4: the last load
VERSION_NO_LOAD = 3  # still read
ENROLLED = 0x01
PIN_SET = 0x02
LAST_LOAD = 0x04
FLAGS = ENROLLED | PIN_SET | LAST_LOAD
PIN_SALT_LEN = 16
PIN_VERIFIER_LEN = 32
DEBIT_LEN = (
    1
    + 4
    + 8
    + 2
    + PAYMENT_TERMINAL_ID_LEN
    + 4
    + PAYMENT_NONCE_LEN
    + PAYMENT_DATE_LEN
    + 8
    + PAYMENT_SIG_LEN
)
LAST_LOAD_LEN = 4 + 8 + 8
STATE_V3_LEN = (
    4
    + 1
    + 1
    + 4
    + 4
    + 4
    + 8
    + PAYMENT_PUBKEY_LEN
    + 2 * (2 + PAYMENT_CERT_MAX)
    + 1
    + PAYMENT_TOKEN_MAX
    + PAYMENT_EXPIRY_LEN
    + DEBIT_LEN
    + PIN_SALT_LEN
    + PIN_VERIFIER_LEN
)
STATE_LEN = STATE_V3_LEN + LAST_LOAD_LEN

READ_FLAGS = tee.TEE_DATA_FLAG_ACCESS_READ | tee.TEE_DATA_FLAG_SHARE_READ
WRITE_FLAGS = (
    tee.TEE_DATA_FLAG_ACCESS_READ
    | tee.TEE_DATA_FLAG_ACCESS_WRITE
    | tee.TEE_DATA_FLAG_ACCESS_WRITE_META
    | tee.TEE_DATA_FLAG_OVERWRITE
)


@dataclass(frozen=True)
class LastDebit:
    """The last DEBIT made, kept to answer its retry with the same receipt."""

    atc: int
    amount: int
    currency: int
    terminal_id: bytes
    sequence: int
    nonce: bytes
    date: bytes
    balance: int
    signature: bytes

    def encode(self) -> bytes:
        return (
            b"\x01"  # valid
            + u32(self.atc)
            + u64(self.amount)
            + u16(self.currency)
            + self.terminal_id
            + u32(self.sequence)
            + self.nonce
            + self.date
            + u64(self.balance)
            + self.signature
        )

    @classmethod
    def decode(cls, r: Reader) -> LastDebit | None:
        valid = r.u8()
        last = cls(
            atc=r.u32(),
            amount=r.u64(),
            currency=r.u16(),
            terminal_id=r.take(PAYMENT_TERMINAL_ID_LEN),
            sequence=r.u32(),
            nonce=r.take(PAYMENT_NONCE_LEN),
            date=r.take(PAYMENT_DATE_LEN),
            balance=r.u64(),
            signature=r.take(PAYMENT_SIG_LEN),
        )
        if valid > 1:
            raise error(tee.TEE_ERROR_CORRUPT_OBJECT, "bad last debit flag")
        return last if valid else None


@dataclass(frozen=True)
class LastLoad:
    """The last CREDIT_LOAD made, kept to give its receipt again."""

    counter: int  # the authorisation's
    amount: int
    balance: int  # after the credit

    def encode(self) -> bytes:
        return u32(self.counter) + u64(self.amount) + u64(self.balance)

    @classmethod
    def decode(cls, r: Reader) -> LastLoad:
        return cls(counter=r.u32(), amount=r.u64(), balance=r.u64())


def _padded(data: bytes, size: int) -> bytes:
    return data + bytes(size - len(data))


def _unpadded(r: Reader, length: int, size: int) -> bytes:
    padded = r.take(size)
    if length > size:
        raise error(tee.TEE_ERROR_CORRUPT_OBJECT, "a length beyond its room")
    return padded[:length]


@dataclass
class State:
    """Everything the card keeps between sessions, except the key DK."""

    enrolled: bool = False
    atc: int = 0
    load_counter: int = 0
    pin_tries: int = PAYMENT_PIN_TRIES
    balance: int = 0
    issuer_key: bytes = bytes(PAYMENT_PUBKEY_LEN)
    device_cert: bytes = b""
    acquirer_cert: bytes = b""
    token: bytes = b""
    expiry: bytes = bytes(PAYMENT_EXPIRY_LEN)
    last: LastDebit | None = None
    pin_set: bool = False
    pin_salt: bytes = bytes(PIN_SALT_LEN)
    pin_verifier: bytes = bytes(PIN_VERIFIER_LEN)
    last_load: LastLoad | None = None

    def encode(self) -> bytes:
        no_debit = bytes(DEBIT_LEN)
        return (
            MAGIC
            + bytes(
                [
                    VERSION,
                    (ENROLLED if self.enrolled else 0)
                    | (PIN_SET if self.pin_set else 0)
                    | (LAST_LOAD if self.last_load is not None else 0),
                ]
            )
            + u32(self.atc)
            + u32(self.load_counter)
            + u32(self.pin_tries)
            + u64(self.balance)
            + self.issuer_key
            + u16(len(self.device_cert))
            + _padded(self.device_cert, PAYMENT_CERT_MAX)
            + u16(len(self.acquirer_cert))
            + _padded(self.acquirer_cert, PAYMENT_CERT_MAX)
            + bytes([len(self.token)])
            + _padded(self.token, PAYMENT_TOKEN_MAX)
            + self.expiry
            + (no_debit if self.last is None else self.last.encode())
            + self.pin_salt
            + self.pin_verifier
            + (
                bytes(LAST_LOAD_LEN)
                if self.last_load is None
                else self.last_load.encode()
            )
        )

    @classmethod
    def decode(cls, data: bytes) -> State:
        r = Reader(data, tee.TEE_ERROR_CORRUPT_OBJECT)
        if r.take(len(MAGIC)) != MAGIC:
            raise error(tee.TEE_ERROR_CORRUPT_OBJECT, "not a state")
        version = r.u8()
        if version not in (VERSION, VERSION_NO_LOAD):
            raise error(tee.TEE_ERROR_CORRUPT_OBJECT, "not a state of this version")
        flags = r.u8()
        if flags & ~FLAGS or (version == VERSION_NO_LOAD and flags & LAST_LOAD):
            raise error(tee.TEE_ERROR_CORRUPT_OBJECT, "unknown flags")
        state = cls(
            enrolled=bool(flags & ENROLLED),
            atc=r.u32(),
            load_counter=r.u32(),
            pin_tries=r.u32(),
            balance=r.u64(),
            issuer_key=r.take(PAYMENT_PUBKEY_LEN),
            device_cert=_unpadded(r, r.u16(), PAYMENT_CERT_MAX),
            acquirer_cert=_unpadded(r, r.u16(), PAYMENT_CERT_MAX),
            token=_unpadded(r, r.u8(), PAYMENT_TOKEN_MAX),
            expiry=r.take(PAYMENT_EXPIRY_LEN),
            last=LastDebit.decode(r),
            pin_set=bool(flags & PIN_SET),
            pin_salt=r.take(PIN_SALT_LEN),
            pin_verifier=r.take(PIN_VERIFIER_LEN),
        )
        if version == VERSION:
            last_load = LastLoad.decode(r)
            if flags & LAST_LOAD:
                state.last_load = last_load
        r.done()
        return state

    @classmethod
    def load(cls) -> State:
        """The stored state, or a new card's when none was stored yet."""
        try:
            with PersistentObject.open(STATE_ID, READ_FLAGS) as stored:
                data = stored.read(STATE_LEN + 1)  # one more: to see a longer one
        except ItemNotFound:
            return cls()  # a new card
        try:
            return cls.decode(data)
        except TeeError:
            emsg("stored state is malformed (%d bytes)" % len(data))
            raise

    def save(self) -> None:
        """Replaces the stored state by this one, in one atomic write."""
        data = self.encode()
        if len(data) != STATE_LEN:  # the layout is fixed: a bug of this TA
            panic(Result.GENERIC)
        with PersistentObject.create(STATE_ID, WRITE_FLAGS, data=data):
            pass
