"""Client side of the asymmetric test TA (``csrc/ta/asym_test``).

The TA makes or imports key objects and runs one whole asymmetric
operation per command; ``csrc/ta/asym_test/include/asym_test_ta.h``
documents the commands.  The constants below are a hand-written mirror of
that header and of the GP constants the asymmetric tests use.

:class:`AsymTA` runs the commands on a session; every error is the
:class:`pytee.TeeError` the API function returned (``TargetDead`` when it
panicked).  The ``*_attrs`` helpers turn keys of the ``cryptography``
package into GP attributes (big-endian numbers, raw Curve25519 keys).
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from pathlib import Path

from crypto_ta import Attr, encode_attrs
from cryptography.hazmat.primitives.asymmetric import dh, dsa, ec, ed25519, rsa, x25519

from pytee import Session, TempIn, TempOut, ValueIn, ValueOut

TA_ASYM_TEST_UUID = "205c402b-a5b5-4893-8a65-4fbbf96bc4ab"

TA_ASYM_MAX_KEYS = 16
TA_ASYM_MAX_ATTRS = 16

TA_ASYM_CMD_IMPORT_KEY = 1
TA_ASYM_CMD_GENERATE_KEY = 2
TA_ASYM_CMD_GET_ATTR = 3
TA_ASYM_CMD_FREE_KEY = 4
TA_ASYM_CMD_ENCRYPT = 10
TA_ASYM_CMD_DECRYPT = 11
TA_ASYM_CMD_SIGN = 12
TA_ASYM_CMD_VERIFY = 13
TA_ASYM_CMD_DERIVE = 14

# TEE_Result codes the tests look for that have no pytee subclass
ERROR_CIPHERTEXT_INVALID = 0xF0100006


class G:
    """GP and OP-TEE constants of asymmetric crypto (tee_api_defines*.h)."""

    ATTR_FLAG_VALUE = 1 << 29
    # object types
    TYPE_GENERIC_SECRET = 0xA0000000
    TYPE_RSA_PUBLIC_KEY = 0xA0000030
    TYPE_RSA_KEYPAIR = 0xA1000030
    TYPE_DSA_PUBLIC_KEY = 0xA0000031
    TYPE_DSA_KEYPAIR = 0xA1000031
    TYPE_DH_KEYPAIR = 0xA1000032
    TYPE_ECDSA_PUBLIC_KEY = 0xA0000041
    TYPE_ECDSA_KEYPAIR = 0xA1000041
    TYPE_ECDH_KEYPAIR = 0xA1000042
    TYPE_ED25519_PUBLIC_KEY = 0xA0000043
    TYPE_ED25519_KEYPAIR = 0xA1000043
    TYPE_X25519_KEYPAIR = 0xA1000044
    TYPE_SM2_DSA_PUBLIC_KEY = 0xA0000045
    TYPE_SM2_DSA_KEYPAIR = 0xA1000045
    TYPE_SM2_KEP_KEYPAIR = 0xA1000046
    TYPE_SM2_PKE_PUBLIC_KEY = 0xA0000047
    TYPE_SM2_PKE_KEYPAIR = 0xA1000047
    TYPE_HKDF_IKM = 0xA10000C0
    TYPE_CONCAT_KDF_Z = 0xA10000C1
    TYPE_PBKDF2_PASSWORD = 0xA10000C2
    # attributes
    ATTR_SECRET_VALUE = 0xC0000000
    ATTR_RSA_MODULUS = 0xD0000130
    ATTR_RSA_PUBLIC_EXPONENT = 0xD0000230
    ATTR_RSA_PRIVATE_EXPONENT = 0xC0000330
    ATTR_RSA_PRIME1 = 0xC0000430
    ATTR_RSA_PRIME2 = 0xC0000530
    ATTR_RSA_EXPONENT1 = 0xC0000630
    ATTR_RSA_EXPONENT2 = 0xC0000730
    ATTR_RSA_COEFFICIENT = 0xC0000830
    ATTR_RSA_OAEP_LABEL = 0xD0000930
    ATTR_RSA_OAEP_MGF_HASH = 0xD0000931
    ATTR_RSA_PSS_SALT_LENGTH = 0xF0000A30
    ATTR_DSA_PRIME = 0xD0001031
    ATTR_DSA_SUBPRIME = 0xD0001131
    ATTR_DSA_BASE = 0xD0001231
    ATTR_DSA_PUBLIC_VALUE = 0xD0000131
    ATTR_DSA_PRIVATE_VALUE = 0xC0000231
    ATTR_DH_PRIME = 0xD0001032
    ATTR_DH_SUBPRIME = 0xD0001132
    ATTR_DH_BASE = 0xD0001232
    ATTR_DH_X_BITS = 0xF0001332
    ATTR_DH_PUBLIC_VALUE = 0xD0000132
    ATTR_DH_PRIVATE_VALUE = 0xC0000232
    ATTR_ECC_PUBLIC_VALUE_X = 0xD0000141
    ATTR_ECC_PUBLIC_VALUE_Y = 0xD0000241
    ATTR_ECC_PRIVATE_VALUE = 0xC0000341
    ATTR_ECC_CURVE = 0xF0000441
    ATTR_ECC_EPHEMERAL_PUBLIC_VALUE_X = 0xD0000146
    ATTR_ECC_EPHEMERAL_PUBLIC_VALUE_Y = 0xD0000246
    ATTR_SM2_ID_INITIATOR = 0xD0000446
    ATTR_SM2_ID_RESPONDER = 0xD0000546
    ATTR_SM2_KEP_USER = 0xF0000646
    ATTR_SM2_KEP_CONFIRMATION_IN = 0xD0000746
    ATTR_SM2_KEP_CONFIRMATION_OUT = 0xD0000846
    ATTR_EDDSA_PREHASH = 0xF0000004
    ATTR_EDDSA_CTX = 0xD0000643
    ATTR_ED25519_PUBLIC_VALUE = 0xD0000743
    ATTR_ED25519_PRIVATE_VALUE = 0xC0000843
    ATTR_X25519_PUBLIC_VALUE = 0xD0000944
    ATTR_X25519_PRIVATE_VALUE = 0xC0000A44
    ATTR_HKDF_SALT = 0xD0000946  # GP v1.3.1 (TEE_ALG_HKDF)
    ATTR_HKDF_INFO = 0xD0000A46
    ATTR_HKDF_HASH_ALGORITHM = 0xF0000B46
    ATTR_KDF_KEY_SIZE = 0xF0000C46
    ATTR_HKDF_IKM = 0xC00001C0
    OPTEE_ATTR_HKDF_SALT = 0xD00002C0
    OPTEE_ATTR_HKDF_INFO = 0xD00003C0
    ATTR_HKDF_OKM_LENGTH = 0xF00004C0
    ATTR_CONCAT_KDF_Z = 0xC00001C1
    ATTR_CONCAT_KDF_OTHER_INFO = 0xD00002C1
    ATTR_CONCAT_KDF_DKM_LENGTH = 0xF00003C1
    ATTR_PBKDF2_PASSWORD = 0xC00001C2
    ATTR_PBKDF2_SALT = 0xD00002C2
    ATTR_PBKDF2_ITERATION_COUNT = 0xF00003C2
    ATTR_PBKDF2_DKM_LENGTH = 0xF00004C2
    # curves
    ECC_CURVE_NIST_P192 = 1
    ECC_CURVE_NIST_P224 = 2
    ECC_CURVE_NIST_P256 = 3
    ECC_CURVE_NIST_P384 = 4
    ECC_CURVE_NIST_P521 = 5
    # digests (as hash attribute values)
    ALG_MD5 = 0x50000001
    ALG_SHA1 = 0x50000002
    ALG_SHA224 = 0x50000003
    ALG_SHA256 = 0x50000004
    ALG_SHA384 = 0x50000005
    ALG_SHA512 = 0x50000006
    ALG_SM3 = 0x50000007
    # RSA
    ALG_RSASSA_PKCS1_V1_5 = 0xF0000830
    ALG_RSASSA_PKCS1_V1_5_MD5 = 0x70001830
    ALG_RSASSA_PKCS1_V1_5_SHA1 = 0x70002830
    ALG_RSASSA_PKCS1_V1_5_SHA224 = 0x70003830
    ALG_RSASSA_PKCS1_V1_5_SHA256 = 0x70004830
    ALG_RSASSA_PKCS1_V1_5_SHA384 = 0x70005830
    ALG_RSASSA_PKCS1_V1_5_SHA512 = 0x70006830
    ALG_RSASSA_PKCS1_PSS_MGF1_MD5 = 0xF0111930
    ALG_RSASSA_PKCS1_PSS_MGF1_SHA1 = 0x70212930
    ALG_RSASSA_PKCS1_PSS_MGF1_SHA224 = 0x70313930
    ALG_RSASSA_PKCS1_PSS_MGF1_SHA256 = 0x70414930
    ALG_RSASSA_PKCS1_PSS_MGF1_SHA384 = 0x70515930
    ALG_RSASSA_PKCS1_PSS_MGF1_SHA512 = 0x70616930
    ALG_RSAES_PKCS1_V1_5 = 0x60000130
    ALG_RSAES_PKCS1_OAEP_MGF1_MD5 = 0xF0110230
    ALG_RSAES_PKCS1_OAEP_MGF1_SHA1 = 0x60210230
    ALG_RSAES_PKCS1_OAEP_MGF1_SHA224 = 0x60310230
    ALG_RSAES_PKCS1_OAEP_MGF1_SHA256 = 0x60410230
    ALG_RSAES_PKCS1_OAEP_MGF1_SHA384 = 0x60510230
    ALG_RSAES_PKCS1_OAEP_MGF1_SHA512 = 0x60610230
    ALG_RSA_NOPAD = 0x60000030
    # DSA, DH
    ALG_DSA_SHA1 = 0x70002131
    ALG_DSA_SHA224 = 0x70003131
    ALG_DSA_SHA256 = 0x70004131
    ALG_DH_DERIVE_SHARED_SECRET = 0x80000032
    # ECC
    ALG_ECDSA_SHA1 = 0x70001042
    ALG_ECDSA_SHA224 = 0x70002042
    ALG_ECDSA_SHA256 = 0x70003042
    ALG_ECDSA_SHA384 = 0x70004042
    ALG_ECDSA_SHA512 = 0x70005042
    OPTEE_ALG_ECDSA_P192 = 0x70001041
    OPTEE_ALG_ECDSA_P256 = 0x70003041
    OPTEE_ALG_ECDSA_P521 = 0x70005041
    ALG_ECDH_DERIVE_SHARED_SECRET = 0x80000042
    OPTEE_ALG_ECDH_P384 = 0x80004042
    ALG_ED25519 = 0x70006043
    ALG_X25519 = 0x80000044
    # SM2
    ALG_SM2_DSA_SM3 = 0x70006045
    ALG_SM2_KEP = 0x60000045
    ALG_SM2_PKE = 0x80000046
    # KDFs
    ALG_HKDF = 0x80000047
    ALG_HKDF_MD5_DERIVE_KEY = 0x800010C0
    ALG_HKDF_SHA1_DERIVE_KEY = 0x800020C0
    ALG_HKDF_SHA224_DERIVE_KEY = 0x800030C0
    ALG_HKDF_SHA256_DERIVE_KEY = 0x800040C0
    ALG_HKDF_SHA384_DERIVE_KEY = 0x800050C0
    ALG_HKDF_SHA512_DERIVE_KEY = 0x800060C0
    ALG_CONCAT_KDF_SHA1_DERIVE_KEY = 0x800020C1
    ALG_CONCAT_KDF_SHA224_DERIVE_KEY = 0x800030C1
    ALG_CONCAT_KDF_SHA256_DERIVE_KEY = 0x800040C1
    ALG_CONCAT_KDF_SHA384_DERIVE_KEY = 0x800050C1
    ALG_CONCAT_KDF_SHA512_DERIVE_KEY = 0x800060C1
    ALG_PBKDF2_HMAC_SHA1_DERIVE_KEY = 0x800020C2


def be(value: int, size: int = 0) -> bytes:
    """A non-negative integer big-endian, without leading zeros unless
    ``size`` asks for a fixed width."""
    length = max(size, (value.bit_length() + 7) // 8)
    return value.to_bytes(length, "big")


def value(a: int, b: int = 0) -> tuple[int, int]:
    return (a, b)


# ---- keys of the cryptography package as GP attributes ----------------------


def rsa_attrs(key: rsa.RSAPrivateKey, crt: bool = True) -> list[Attr]:
    priv = key.private_numbers()
    pub = priv.public_numbers
    attrs: list[Attr] = [
        (G.ATTR_RSA_MODULUS, be(pub.n)),
        (G.ATTR_RSA_PUBLIC_EXPONENT, be(pub.e)),
        (G.ATTR_RSA_PRIVATE_EXPONENT, be(priv.d)),
    ]
    if crt:
        attrs += [
            (G.ATTR_RSA_PRIME1, be(priv.p)),
            (G.ATTR_RSA_PRIME2, be(priv.q)),
            (G.ATTR_RSA_EXPONENT1, be(priv.dmp1)),
            (G.ATTR_RSA_EXPONENT2, be(priv.dmq1)),
            (G.ATTR_RSA_COEFFICIENT, be(priv.iqmp)),
        ]
    return attrs


def rsa_public_attrs(key: rsa.RSAPublicKey) -> list[Attr]:
    pub = key.public_numbers()
    return [(G.ATTR_RSA_MODULUS, be(pub.n)), (G.ATTR_RSA_PUBLIC_EXPONENT, be(pub.e))]


CURVES: dict[str, tuple[int, int]] = {
    # cryptography curve name: (TEE_ECC_CURVE_*, bits)
    "secp192r1": (G.ECC_CURVE_NIST_P192, 192),
    "secp224r1": (G.ECC_CURVE_NIST_P224, 224),
    "secp256r1": (G.ECC_CURVE_NIST_P256, 256),
    "secp384r1": (G.ECC_CURVE_NIST_P384, 384),
    "secp521r1": (G.ECC_CURVE_NIST_P521, 521),
}


def ec_public_attrs(key: ec.EllipticCurvePublicKey) -> list[Attr]:
    pub = key.public_numbers()
    return [
        (G.ATTR_ECC_PUBLIC_VALUE_X, be(pub.x)),
        (G.ATTR_ECC_PUBLIC_VALUE_Y, be(pub.y)),
        (G.ATTR_ECC_CURVE, value(CURVES[key.curve.name][0])),
    ]


def ec_attrs(key: ec.EllipticCurvePrivateKey) -> list[Attr]:
    return [
        (G.ATTR_ECC_PRIVATE_VALUE, be(key.private_numbers().private_value)),
        *ec_public_attrs(key.public_key()),
    ]


def dsa_attrs(key: dsa.DSAPrivateKey) -> list[Attr]:
    priv = key.private_numbers()
    par = priv.public_numbers.parameter_numbers
    return [
        (G.ATTR_DSA_PRIME, be(par.p)),
        (G.ATTR_DSA_SUBPRIME, be(par.q)),
        (G.ATTR_DSA_BASE, be(par.g)),
        (G.ATTR_DSA_PRIVATE_VALUE, be(priv.x)),
        (G.ATTR_DSA_PUBLIC_VALUE, be(priv.public_numbers.y)),
    ]


def dsa_public_attrs(key: dsa.DSAPublicKey) -> list[Attr]:
    pub = key.public_numbers()
    par = pub.parameter_numbers
    return [
        (G.ATTR_DSA_PRIME, be(par.p)),
        (G.ATTR_DSA_SUBPRIME, be(par.q)),
        (G.ATTR_DSA_BASE, be(par.g)),
        (G.ATTR_DSA_PUBLIC_VALUE, be(pub.y)),
    ]


def dh_attrs(key: dh.DHPrivateKey) -> list[Attr]:
    priv = key.private_numbers()
    par = priv.public_numbers.parameter_numbers
    attrs: list[Attr] = [
        (G.ATTR_DH_PRIME, be(par.p)),
        (G.ATTR_DH_BASE, be(par.g)),
        (G.ATTR_DH_PRIVATE_VALUE, be(priv.x)),
        (G.ATTR_DH_PUBLIC_VALUE, be(priv.public_numbers.y)),
    ]
    if par.q is not None:
        attrs.append((G.ATTR_DH_SUBPRIME, be(par.q)))
    return attrs


def ed25519_attrs(key: ed25519.Ed25519PrivateKey) -> list[Attr]:
    return [
        (G.ATTR_ED25519_PRIVATE_VALUE, key.private_bytes_raw()),
        (G.ATTR_ED25519_PUBLIC_VALUE, key.public_key().public_bytes_raw()),
    ]


def x25519_attrs(key: x25519.X25519PrivateKey) -> list[Attr]:
    return [
        (G.ATTR_X25519_PRIVATE_VALUE, key.private_bytes_raw()),
        (G.ATTR_X25519_PUBLIC_VALUE, key.public_key().public_bytes_raw()),
    ]


def _attrs_param(attrs: Iterable[Attr]) -> TempIn:
    encoded = encode_attrs(attrs)
    return TempIn(encoded if encoded else None)


class AsymTA:
    """The asymmetric test TA's commands on an open session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # ---- keys -----------------------------------------------------------

    def import_key(self, obj_type: int, max_size: int, attrs: Iterable[Attr]) -> int:
        (out,) = self.session.invoke(
            TA_ASYM_CMD_IMPORT_KEY,
            ValueIn(obj_type, max_size),
            _attrs_param(attrs),
            ValueOut(),
        )
        return int(out.a)

    def generate_key(
        self, obj_type: int, key_size: int, attrs: Iterable[Attr] = ()
    ) -> int:
        (out,) = self.session.invoke(
            TA_ASYM_CMD_GENERATE_KEY,
            ValueIn(obj_type, key_size),
            _attrs_param(attrs),
            ValueOut(),
        )
        return int(out.a)

    def attr(self, key: int, attr_id: int, size: int = 1024) -> bytes:
        (out,) = self.session.invoke(
            TA_ASYM_CMD_GET_ATTR, ValueIn(key, attr_id), TempOut(size)
        )
        return bytes(out)

    def attr_int(self, key: int, attr_id: int) -> int:
        return int.from_bytes(self.attr(key, attr_id), "big")

    def value_attr(self, key: int, attr_id: int) -> tuple[int, int]:
        a, b = struct.unpack("<II", self.attr(key, attr_id, 8))
        return a, b

    def free_key(self, key: int) -> None:
        self.session.invoke(TA_ASYM_CMD_FREE_KEY, ValueIn(key))

    # ---- operations -------------------------------------------------------

    def _transform(
        self,
        command: int,
        alg: int,
        key: int,
        data: bytes | None,
        attrs: Iterable[Attr],
        out_size: int,
    ) -> bytes:
        (out,) = self.session.invoke(
            command,
            ValueIn(alg, key),
            _attrs_param(attrs),
            TempIn(data),
            TempOut(out_size),
        )
        return bytes(out)

    def encrypt(
        self,
        alg: int,
        key: int,
        data: bytes | None,
        attrs: Iterable[Attr] = (),
        out_size: int = 1024,
    ) -> bytes:
        return self._transform(TA_ASYM_CMD_ENCRYPT, alg, key, data, attrs, out_size)

    def decrypt(
        self,
        alg: int,
        key: int,
        data: bytes | None,
        attrs: Iterable[Attr] = (),
        out_size: int = 1024,
    ) -> bytes:
        return self._transform(TA_ASYM_CMD_DECRYPT, alg, key, data, attrs, out_size)

    def sign(
        self,
        alg: int,
        key: int,
        digest: bytes | None,
        attrs: Iterable[Attr] = (),
        out_size: int = 1024,
    ) -> bytes:
        return self._transform(TA_ASYM_CMD_SIGN, alg, key, digest, attrs, out_size)

    def verify(
        self,
        alg: int,
        key: int,
        digest: bytes | None,
        signature: bytes | None,
        attrs: Iterable[Attr] = (),
    ) -> None:
        """Returns if the signature is valid; raises ``SignatureInvalid``
        (or the error of the API) otherwise."""
        self.session.invoke(
            TA_ASYM_CMD_VERIFY,
            ValueIn(alg, key),
            _attrs_param(attrs),
            TempIn(digest),
            TempIn(signature),
        )

    def derive(
        self,
        alg: int,
        key: int,
        attrs: Iterable[Attr],
        max_size: int,
        key2: int = 0,
        out_size: int = 1024,
    ) -> bytes:
        """The TEE_ATTR_SECRET_VALUE of a TEE_TYPE_GENERIC_SECRET object of
        ``max_size`` bits derived by TEE_DeriveKey (followed by the SM2
        confirmation when ``attrs`` ask for one)."""
        (out,) = self.session.invoke(
            TA_ASYM_CMD_DERIVE,
            ValueIn(alg, key),
            _attrs_param(attrs),
            ValueIn(key2, max_size),
            TempOut(out_size),
        )
        return bytes(out)


# ---- known-answer vectors (tests/vectors) --------------------------------------

VECTORS = Path(__file__).resolve().parent / "vectors"


def vector_records(name: str, shared_keys: Iterable[str] = ()) -> list[dict[str, str]]:
    """The records of a vector file of ``KEY = value`` lines.

    A record ends where one of its keys comes again, at ``COUNT`` and at a
    ``[section]`` line; blank and ``#`` lines are ignored.  Keys named in
    ``shared_keys`` (a section's domain parameters or key) are given to
    every record after them in their section; ``section`` is the name of
    the record's section.
    """
    common = set(shared_keys)
    records: list[dict[str, str]] = []
    current: dict[str, str] = {}
    shared: dict[str, str] = {}
    section = ""

    def close() -> None:
        nonlocal current
        if current:
            records.append({**shared, **current, "section": section})
        current = {}

    for raw in (VECTORS / name).read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            close()
            section, shared = line.strip("[]"), {}
            continue
        key, _, val = (part.strip() for part in line.partition("="))
        if key in common:
            shared[key] = val
            continue
        if key in current or key == "COUNT":
            close()
        current[key] = val
    close()
    return records
