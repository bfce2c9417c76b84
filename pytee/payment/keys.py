"""P-256 keys, ``r || s`` signatures and the HPKE suite (docs/payment.md).

Every signature of the protocol is ECDSA P-256 with SHA-256 encoded as
``r || s`` (32 bytes each, big-endian), what ``TEE_AsymmetricSignDigest``
produces; ``cryptography`` speaks DER, so :func:`sign` and :func:`verify`
convert.  A public key travels as its 65-byte uncompressed point.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Union

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, hpke, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

from pytee.payment.codec import BytesLike
from pytee.payment.errors import BadSignature, UnsupportedSuite, WireError

__all__ = [
    "HPKE_INFO",
    "PUBLIC_KEY_SIZE",
    "SIGNATURE_SIZE",
    "SUITE_P256_SHA256_AES128GCM",
    "PublicKeyLike",
    "generate_private_key",
    "hpke_suite",
    "key_id",
    "load_private_key",
    "load_public_key",
    "private_key_from_pem",
    "private_key_to_pem",
    "public_key_bytes",
    "save_private_key",
    "sign",
    "verify",
]

PUBLIC_KEY_SIZE = 65
SIGNATURE_SIZE = 64
SUITE_P256_SHA256_AES128GCM = 0x0001
"""DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM: the only suite."""
HPKE_INFO = b"TEEPAY-HPKE-v1"

PublicKeyLike = Union[ec.EllipticCurvePublicKey, bytes, bytearray, memoryview]
"""A P-256 public key object or its 65-byte uncompressed point."""

_COORDINATE = 32


def generate_private_key() -> ec.EllipticCurvePrivateKey:
    """A fresh P-256 private key."""
    return ec.generate_private_key(ec.SECP256R1())


def public_key_bytes(key: ec.EllipticCurvePublicKey) -> bytes:
    """The 65-byte uncompressed point ``04 || X || Y`` of a P-256 key."""
    _check_curve(key.curve)
    return key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def load_public_key(point: BytesLike) -> ec.EllipticCurvePublicKey:
    """The P-256 key of a 65-byte uncompressed point; off-curve points raise."""
    if len(point) != PUBLIC_KEY_SIZE or point[0] != 0x04:
        raise WireError("a public key is 65 bytes starting with 04")
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(
            ec.SECP256R1(), bytes(point)
        )
    except ValueError as exc:
        raise WireError("not a point of P-256") from exc


def key_id(point: BytesLike) -> bytes:
    """First 16 bytes of SHA-256 of a 65-byte public key: ``device_id``."""
    if len(point) != PUBLIC_KEY_SIZE:
        raise WireError("a public key is 65 bytes, not %d" % len(point))
    return hashlib.sha256(bytes(point)).digest()[:16]


def _check_curve(curve: ec.EllipticCurve) -> None:
    if not isinstance(curve, ec.SECP256R1):
        raise ValueError("the payment system uses P-256 keys, not %s" % curve.name)


def _as_public_key(key: PublicKeyLike) -> ec.EllipticCurvePublicKey:
    if isinstance(key, (bytes, bytearray, memoryview)):
        return load_public_key(bytes(key))
    _check_curve(key.curve)
    return key


def sign(private_key: ec.EllipticCurvePrivateKey, message: BytesLike) -> bytes:
    """ECDSA P-256 SHA-256 signature of ``message`` as ``r || s`` (64 bytes)."""
    _check_curve(private_key.curve)
    der = private_key.sign(bytes(message), ec.ECDSA(hashes.SHA256()))
    r, s = utils.decode_dss_signature(der)
    return r.to_bytes(_COORDINATE, "big") + s.to_bytes(_COORDINATE, "big")


def verify(public_key: PublicKeyLike, message: BytesLike, signature: BytesLike) -> None:
    """Check an ``r || s`` signature; raise :class:`BadSignature` if it fails."""
    key = _as_public_key(public_key)
    if len(signature) != SIGNATURE_SIZE:
        raise BadSignature("a signature is 64 bytes, not %d" % len(signature))
    r = int.from_bytes(signature[:_COORDINATE], "big")
    s = int.from_bytes(signature[_COORDINATE:], "big")
    try:
        key.verify(
            utils.encode_dss_signature(r, s),
            bytes(message),
            ec.ECDSA(hashes.SHA256()),
        )
    except InvalidSignature:
        raise BadSignature("signature does not verify") from None


def hpke_suite(suite_id: int) -> hpke.Suite:
    """The ``cryptography`` HPKE suite of a protocol suite id."""
    if suite_id != SUITE_P256_SHA256_AES128GCM:
        raise UnsupportedSuite("unknown cipher suite %04X" % suite_id)
    return hpke.Suite(hpke.KEM.P256, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_128_GCM)


def private_key_to_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    """PKCS#8 PEM of a P-256 private key, not encrypted."""
    _check_curve(key.curve)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def private_key_from_pem(pem: bytes) -> ec.EllipticCurvePrivateKey:
    """The P-256 private key of a PEM block (PKCS#8 or SEC 1, not encrypted)."""
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError("not an EC private key")
    _check_curve(key.curve)
    return key


def save_private_key(key: ec.EllipticCurvePrivateKey, path: str | Path) -> None:
    """Write ``key`` as PEM to a new file readable by its owner only."""
    data = private_key_to_pem(key)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(data)


def load_private_key(path: str | Path) -> ec.EllipticCurvePrivateKey:
    """Read a P-256 private key from a PEM file."""
    return private_key_from_pem(Path(path).read_bytes())
