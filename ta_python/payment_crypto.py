"""The payment TA's crypto, all through the GP TEE Internal Core API:
SHA-256, P-256 public keys, ECDSA P-256 SHA-256 verification and the
device key DK (the twin of ``sig.c`` and ``devkey.c``).

A public key from outside (``04 || X || Y``) is checked to be a point of
the curve, with GP's arithmetic, before any crypto function sees it: a bad
key is then ``SECURITY``, as a bad signature is.

DK is a P-256 key pair made once, inside the TA, and kept as a persistent
key object; its private part never leaves trusted storage.  ``device_id``
is the first 16 bytes of SHA-256 of its public key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from pytee import ItemNotFound, Result, SignatureInvalid
from pytee.internal import (
    Attribute,
    BigInt,
    Operation,
    PersistentObject,
    TransientObject,
    error,
    raw,
)
from pytee.payment.ta_ids import PAYMENT_DEVICE_ID_LEN, PAYMENT_PUBKEY_LEN

_, tee, _ = raw.load()

P256_BYTES = 32  # of a coordinate or a scalar
P256_BITS = 256
# P-256 (FIPS 186-4 D.1.2.3): y^2 = x^3 - 3x + b mod p
P256_P = BigInt(0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF)
P256_B = BigInt(0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B)
CURVE_P256 = Attribute.value(tee.TEE_ATTR_ECC_CURVE, tee.TEE_ECC_CURVE_NIST_P256)

DK_ID = b"payment.dk"
DK_FLAGS = tee.TEE_DATA_FLAG_ACCESS_READ | tee.TEE_DATA_FLAG_SHARE_READ

Key = Union[TransientObject, PersistentObject]


def sha256(message: bytes) -> bytes:
    with Operation(tee.TEE_ALG_SHA256, tee.TEE_MODE_DIGEST) as digest:
        return digest.final(message)


def p256_point_valid(public: bytes) -> bool:
    """Whether ``04 || X || Y`` is a point of P-256."""
    if len(public) != PAYMENT_PUBKEY_LEN or public[0] != 0x04:
        return False
    x = BigInt.from_bytes(public[1 : 1 + P256_BYTES])
    y = BigInt.from_bytes(public[1 + P256_BYTES :])
    if x >= P256_P or y >= P256_P:
        return False
    x_cubed = x.square_mod(P256_P).mul_mod(x, P256_P)
    three_x = x.mul_mod(3, P256_P)
    rhs = x_cubed.sub_mod(three_x, P256_P).add_mod(P256_B, P256_P)
    return y.square_mod(P256_P) == rhs


def point_attributes(public: bytes) -> list[Attribute]:
    """The X and Y attributes of ``04 || X || Y``."""
    return [
        Attribute.ref(tee.TEE_ATTR_ECC_PUBLIC_VALUE_X, public[1 : 1 + P256_BYTES]),
        Attribute.ref(tee.TEE_ATTR_ECC_PUBLIC_VALUE_Y, public[1 + P256_BYTES :]),
    ]


def p256_value(key: Key, attribute_id: int) -> bytes:
    """A coordinate or secret of ``key``, 32 bytes (a big number may come
    without its leading zeros)."""
    return key.get_buffer_attribute(attribute_id).rjust(P256_BYTES, b"\0")


def public_key_of(key: Key) -> bytes:
    """``04 || X || Y`` of a P-256 key pair."""
    return (
        b"\x04"
        + p256_value(key, tee.TEE_ATTR_ECC_PUBLIC_VALUE_X)
        + p256_value(key, tee.TEE_ATTR_ECC_PUBLIC_VALUE_Y)
    )


def verify(public: bytes, message: bytes, signature: bytes) -> None:
    """Returns when ``signature`` is ``public``'s ECDSA P-256 SHA-256
    signature of ``message``; raises ``SECURITY`` when it is not or when
    ``public`` is no point of the curve."""
    digest = sha256(message)
    if not p256_point_valid(public):
        raise error(Result.SECURITY, "the key is no point of P-256")
    with TransientObject.allocate(tee.TEE_TYPE_ECDSA_PUBLIC_KEY, P256_BITS) as key:
        key.populate([*point_attributes(public), CURVE_P256])
        with Operation(tee.TEE_ALG_ECDSA_SHA256, tee.TEE_MODE_VERIFY, P256_BITS) as op:
            op.set_key(key)
            try:
                op.verify_digest(digest, signature)
            except SignatureInvalid:
                raise error(Result.SECURITY, "bad signature") from None


@dataclass(frozen=True)
class DeviceKey:
    """DK's public key and the device id made from it."""

    public: bytes
    id: bytes

    @classmethod
    def of(cls, key: Key) -> DeviceKey:
        public = public_key_of(key)
        return cls(public, sha256(public)[:PAYMENT_DEVICE_ID_LEN])

    @classmethod
    def load(cls) -> DeviceKey:
        """DK as stored; ``ItemNotFound`` before KEYGEN."""
        with PersistentObject.open(DK_ID, DK_FLAGS) as stored:
            return cls.of(stored)

    @classmethod
    def create(cls) -> DeviceKey:
        """Makes and stores DK unless it exists."""
        try:
            return cls.load()
        except ItemNotFound:
            pass
        with TransientObject.allocate(tee.TEE_TYPE_ECDSA_KEYPAIR, P256_BITS) as pair:
            pair.generate_key(P256_BITS, [CURVE_P256])
            # signing is all it is for: the TEE will never give out its secret
            pair.restrict_usage(tee.TEE_USAGE_SIGN)
            # without OVERWRITE: a key that exists is never replaced
            with PersistentObject.create(DK_ID, DK_FLAGS, pair) as stored:
                return cls.of(stored)

    def sign(self, message: bytes) -> bytes:
        """DK's ECDSA P-256 SHA-256 signature of ``message``, ``r || s``."""
        digest = sha256(message)
        with Operation(tee.TEE_ALG_ECDSA_SHA256, tee.TEE_MODE_SIGN, P256_BITS) as op:
            with PersistentObject.open(DK_ID, DK_FLAGS) as stored:
                op.set_key(stored)  # the operation keeps its own copy
            return op.sign_digest(digest)
