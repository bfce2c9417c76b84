"""Objects and the generic operation functions through the crypto test TA
(GP 5.5, 5.6, 6.2, 6.8): OP-TEE's per-type rules, attributes, key
generation, operation allocation and keys, TEE_IsAlgorithmSupported,
random numbers, and misuse that panics.  Also checks the constants of
tests/crypto_ta.py against the C headers."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import crypto_ta
import pytest
from crypto_ta import (
    TA_CRYPTO_ID_BOGUS,
    TA_CRYPTO_MISUSE_OP_INFO_NULL,
    TA_CRYPTO_MISUSE_RANDOM_NULL,
    TA_CRYPTO_MISUSE_REF_ATTR_VALUE_ID,
    TA_CRYPTO_MISUSE_VALUE_ATTR_REF_ID,
    TEE,
    CryptoTA,
    crypto_session,
)
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from pytee import ItemNotFound, NotSupported, Security, ShortBuffer, TargetDead

CSRC = Path(__file__).resolve().parent.parent / "csrc"


@pytest.fixture
def ta() -> Iterator[CryptoTA]:
    with crypto_session() as opened:
        yield opened


def header_defines(*paths: Path) -> dict[str, int]:
    found: dict[str, int] = {}
    for path in paths:
        for name, value in re.findall(
            r"^#define\s+(\w+)\s+\(?(0x[0-9A-Fa-f]+|\d+)U?\)?\s*(?:/\*.*)?$",
            path.read_text(),
            re.MULTILINE,
        ):
            found[name] = int(value, 0)
    return found


def test_constants_match_the_c_headers() -> None:
    include = CSRC / "include"
    if not include.is_dir():
        pytest.skip("the C headers are not in this tree")
    gp = header_defines(
        include / "tee_api_defines.h", include / "tee_api_defines_extensions.h"
    )
    gp["TEE_ATTR_FLAG_PUBLIC"] = 1 << 28  # written as shifts in the header
    gp["TEE_ATTR_FLAG_VALUE"] = 1 << 29
    names = [n for n in vars(TEE) if n.isupper()]
    assert names
    for name in names:
        assert gp["TEE_" + name] == getattr(TEE, name), name
    ta_header = header_defines(
        CSRC / "ta" / "crypto_test" / "include" / "crypto_test_ta.h"
    )
    mine = {
        n: v
        for n, v in vars(crypto_ta).items()
        if n.startswith("TA_CRYPTO_") and not n.endswith("_UUID")
    }
    assert "TA_CRYPTO_CMD_MISUSE" in mine
    assert mine == ta_header
    text = (CSRC / "ta" / "crypto_test" / "include" / "crypto_test_ta.h").read_text()
    macro = text[text.index("#define TA_CRYPTO_TEST_UUID") :].split("}")[:2]
    fields = [int(v, 16) for v in re.findall(r"0x([0-9a-fA-F]+)", "".join(macro))]
    uuid = "%08x-%04x-%04x-" % tuple(fields[:3]) + bytes(fields[3:5]).hex()
    assert uuid + "-" + bytes(fields[5:]).hex() == crypto_ta.TA_CRYPTO_TEST_UUID


# ---- allocation rules -------------------------------------------------------


@pytest.mark.parametrize(
    "obj_type, size, ok",
    [
        (TEE.TYPE_AES, 128, True),
        (TEE.TYPE_AES, 192, True),
        (TEE.TYPE_AES, 256, True),
        (TEE.TYPE_AES, 64, False),
        (TEE.TYPE_AES, 160, False),
        (TEE.TYPE_AES, 512, False),
        (TEE.TYPE_DES, 64, True),
        (TEE.TYPE_DES, 56, False),
        (TEE.TYPE_DES3, 128, True),
        (TEE.TYPE_DES3, 192, True),
        (TEE.TYPE_DES3, 64, False),
        (TEE.TYPE_SM4, 128, True),
        (TEE.TYPE_SM4, 256, False),
        (TEE.TYPE_HMAC_SHA256, 192, True),
        (TEE.TYPE_HMAC_SHA256, 1024, True),
        (TEE.TYPE_HMAC_SHA256, 200, True),
        (TEE.TYPE_HMAC_SHA256, 184, False),
        (TEE.TYPE_HMAC_SHA256, 1032, False),
        (TEE.TYPE_HMAC_SHA256, 196, False),
        (TEE.TYPE_HMAC_MD5, 512, True),
        (TEE.TYPE_HMAC_MD5, 520, False),
        (TEE.TYPE_HMAC_SHA3_224, 192, True),
        (TEE.TYPE_HMAC_SHA3_224, 184, False),
        (TEE.TYPE_GENERIC_SECRET, 0, True),
        (TEE.TYPE_GENERIC_SECRET, 4096, True),
        (TEE.TYPE_GENERIC_SECRET, 4104, False),
        (TEE.TYPE_GENERIC_SECRET, 7, False),
        (TEE.TYPE_RSA_KEYPAIR, 256, True),
        (TEE.TYPE_RSA_KEYPAIR, 4096, True),
        (TEE.TYPE_RSA_KEYPAIR, 1025, True),
        (TEE.TYPE_RSA_KEYPAIR, 255, False),
        (TEE.TYPE_RSA_KEYPAIR, 4097, False),
        (TEE.TYPE_ECDSA_KEYPAIR, 521, True),
        (TEE.TYPE_ECDSA_KEYPAIR, 191, False),
        (TEE.TYPE_ED25519_KEYPAIR, 256, True),
        (TEE.TYPE_ED25519_KEYPAIR, 255, False),
        (TEE.TYPE_HKDF_IKM, 256, True),
        (TEE.TYPE_DATA, 0, False),
        (0xA0000099, 128, False),
    ],
)
def test_allocation_takes_the_sizes_optee_takes(
    ta: CryptoTA, obj_type: int, size: int, ok: bool
) -> None:
    if ok:
        info = ta.object_info(ta.alloc_object(obj_type, size))
        assert (info.object_type, info.max_object_size) == (obj_type, size)
        assert (info.object_size, info.handle_flags) == (0, 0)
        assert info.object_usage == 0xFFFFFFFF
    else:
        with pytest.raises(NotSupported):
            ta.alloc_object(obj_type, size)


# ---- secret objects ---------------------------------------------------------


def test_populated_secret_reads_back_and_sizes_the_object(ta: CryptoTA) -> None:
    key = os.urandom(24)
    oid = ta.secret_key(TEE.TYPE_AES, key, 256)
    info = ta.object_info(oid)
    assert info.object_size == 192
    assert info.handle_flags == TEE.HANDLE_FLAG_INITIALIZED
    assert ta.get_buffer_attr(oid, TEE.ATTR_SECRET_VALUE) == key


def test_short_attribute_buffer_reports_the_size(ta: CryptoTA) -> None:
    oid = ta.secret_key(TEE.TYPE_HMAC_SHA256, os.urandom(40), 1024)
    with pytest.raises(ShortBuffer) as raised:
        ta.get_buffer_attr(oid, TEE.ATTR_SECRET_VALUE, size=39)
    assert raised.value.required_size == 40


def test_attribute_the_object_lacks_is_item_not_found(ta: CryptoTA) -> None:
    oid = ta.secret_key(TEE.TYPE_AES, bytes(16))
    with pytest.raises(ItemNotFound):
        ta.get_buffer_attr(oid, TEE.ATTR_RSA_MODULUS)


def test_restricted_usage_only_narrows(ta: CryptoTA) -> None:
    oid = ta.secret_key(TEE.TYPE_AES, bytes(16))
    ta.restrict_usage(oid, TEE.USAGE_ENCRYPT | TEE.USAGE_DECRYPT)
    ta.restrict_usage(oid, TEE.USAGE_DECRYPT | TEE.USAGE_MAC)
    assert ta.object_info(oid).object_usage == TEE.USAGE_DECRYPT


def test_secret_of_a_non_extractable_object_panics(ta: CryptoTA) -> None:
    oid = ta.secret_key(TEE.TYPE_AES, bytes(16))
    ta.restrict_usage(oid, TEE.USAGE_ENCRYPT)
    with pytest.raises(TargetDead):
        ta.get_buffer_attr(oid, TEE.ATTR_SECRET_VALUE)


def test_reset_object_can_be_populated_again(ta: CryptoTA) -> None:
    oid = ta.secret_key(TEE.TYPE_AES, bytes(16), 256)
    ta.restrict_usage(oid, TEE.USAGE_EXTRACTABLE)
    ta.reset_object(oid)
    info = ta.object_info(oid)
    assert (info.object_size, info.handle_flags, info.object_usage) == (
        0,
        0,
        0xFFFFFFFF,
    )
    ta.populate(oid, [(TEE.ATTR_SECRET_VALUE, b"k" * 32)])
    assert ta.get_buffer_attr(oid, TEE.ATTR_SECRET_VALUE) == b"k" * 32


@pytest.mark.parametrize(
    "attrs",
    [
        [],  # the required secret is missing
        [(TEE.ATTR_SECRET_VALUE, bytes(16)), (TEE.ATTR_SECRET_VALUE, bytes(16))],
        [(TEE.ATTR_SECRET_VALUE, bytes(16)), (TEE.ATTR_RSA_MODULUS, bytes(16))],
        [(TEE.ATTR_SECRET_VALUE, bytes(32))],  # larger than maxObjectSize
    ],
    ids=["missing", "repeated", "foreign", "too-large"],
)
def test_bad_populate_panics(ta: CryptoTA, attrs: list[crypto_ta.Attr]) -> None:
    oid = ta.alloc_object(TEE.TYPE_AES, 128)
    with pytest.raises(TargetDead):
        ta.populate(oid, attrs)


def test_populate_of_an_initialised_object_panics(ta: CryptoTA) -> None:
    oid = ta.secret_key(TEE.TYPE_AES, bytes(16))
    with pytest.raises(TargetDead):
        ta.populate(oid, [(TEE.ATTR_SECRET_VALUE, bytes(16))])


def test_copy_takes_attributes_size_and_usage(ta: CryptoTA) -> None:
    src = ta.secret_key(TEE.TYPE_HMAC_SHA256, b"s" * 30, 512)
    ta.restrict_usage(src, TEE.USAGE_MAC | TEE.USAGE_EXTRACTABLE)
    dst = ta.alloc_object(TEE.TYPE_HMAC_SHA256, 1024)
    ta.copy_attrs(dst, src)
    info = ta.object_info(dst)
    assert (info.object_size, info.object_usage) == (
        240,
        TEE.USAGE_MAC | TEE.USAGE_EXTRACTABLE,
    )
    assert info.max_object_size == 1024
    assert ta.get_buffer_attr(dst, TEE.ATTR_SECRET_VALUE) == b"s" * 30


def test_copy_between_types_panics(ta: CryptoTA) -> None:
    src = ta.secret_key(TEE.TYPE_AES, bytes(16))
    dst = ta.alloc_object(TEE.TYPE_HMAC_SHA256, 256)
    with pytest.raises(TargetDead):
        ta.copy_attrs(dst, src)


# ---- key pairs --------------------------------------------------------------


def rsa_attrs(key: rsa.RSAPrivateKey) -> list[crypto_ta.Attr]:
    n = key.private_numbers()

    def b(v: int) -> bytes:
        return v.to_bytes((v.bit_length() + 7) // 8, "big")

    return [
        (TEE.ATTR_RSA_MODULUS, b(n.public_numbers.n)),
        (TEE.ATTR_RSA_PUBLIC_EXPONENT, b"\x00" + b(n.public_numbers.e)),
        (TEE.ATTR_RSA_PRIVATE_EXPONENT, b(n.d)),
        (TEE.ATTR_RSA_PRIME1, b(n.p)),
        (TEE.ATTR_RSA_PRIME2, b(n.q)),
        (TEE.ATTR_RSA_EXPONENT1, b(n.dmp1)),
        (TEE.ATTR_RSA_EXPONENT2, b(n.dmq1)),
        (TEE.ATTR_RSA_COEFFICIENT, b(n.iqmp)),
    ]


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=1024)


def test_rsa_key_pair_populates_and_its_public_part_copies(
    ta: CryptoTA, rsa_key: rsa.RSAPrivateKey
) -> None:
    pair = ta.alloc_object(TEE.TYPE_RSA_KEYPAIR, 1024)
    ta.populate(pair, rsa_attrs(rsa_key))
    assert ta.object_info(pair).object_size == 1024
    # big numbers read back without leading zeros
    assert ta.get_buffer_attr(pair, TEE.ATTR_RSA_PUBLIC_EXPONENT) == b"\x01\x00\x01"
    public = ta.alloc_object(TEE.TYPE_RSA_PUBLIC_KEY, 1024)
    ta.copy_attrs(public, pair)
    numbers = rsa_key.public_key().public_numbers()
    modulus = ta.get_buffer_attr(public, TEE.ATTR_RSA_MODULUS)
    assert int.from_bytes(modulus, "big") == numbers.n
    with pytest.raises(ItemNotFound):
        ta.get_buffer_attr(public, TEE.ATTR_RSA_PRIVATE_EXPONENT)


def test_public_attributes_read_without_extractable(
    ta: CryptoTA, rsa_key: rsa.RSAPrivateKey
) -> None:
    pair = ta.alloc_object(TEE.TYPE_RSA_KEYPAIR, 1024)
    ta.populate(pair, rsa_attrs(rsa_key))
    ta.restrict_usage(pair, TEE.USAGE_SIGN)
    assert ta.get_buffer_attr(pair, TEE.ATTR_RSA_MODULUS)
    with pytest.raises(TargetDead):
        ta.get_buffer_attr(pair, TEE.ATTR_RSA_PRIVATE_EXPONENT)


def test_partial_crt_group_panics(ta: CryptoTA, rsa_key: rsa.RSAPrivateKey) -> None:
    pair = ta.alloc_object(TEE.TYPE_RSA_KEYPAIR, 1024)
    with pytest.raises(TargetDead):
        ta.populate(pair, rsa_attrs(rsa_key)[:4])


def test_copy_of_a_public_key_into_a_key_pair_panics(
    ta: CryptoTA, rsa_key: rsa.RSAPrivateKey
) -> None:
    pair = ta.alloc_object(TEE.TYPE_RSA_KEYPAIR, 1024)
    ta.populate(pair, rsa_attrs(rsa_key))
    public = ta.alloc_object(TEE.TYPE_RSA_PUBLIC_KEY, 1024)
    ta.copy_attrs(public, pair)
    other = ta.alloc_object(TEE.TYPE_RSA_KEYPAIR, 1024)
    with pytest.raises(TargetDead):
        ta.copy_attrs(other, public)


def test_curve_sizes_the_object_and_value_keeps_only_a(ta: CryptoTA) -> None:
    oid = ta.alloc_object(TEE.TYPE_ECDSA_PUBLIC_KEY, 521)
    ta.populate(
        oid,
        [
            (TEE.ATTR_ECC_PUBLIC_VALUE_X, bytes(range(32))),
            (TEE.ATTR_ECC_PUBLIC_VALUE_Y, bytes(range(32))),
            (TEE.ATTR_ECC_CURVE, (TEE.ECC_CURVE_NIST_P256, 7)),
        ],
    )
    assert ta.object_info(oid).object_size == 256
    assert ta.get_value_attr(oid, TEE.ATTR_ECC_CURVE) == (TEE.ECC_CURVE_NIST_P256, 0)


# ---- key generation ---------------------------------------------------------


@pytest.mark.parametrize(
    "obj_type, size",
    [
        (TEE.TYPE_AES, 128),
        (TEE.TYPE_AES, 256),
        (TEE.TYPE_DES3, 192),
        (TEE.TYPE_HMAC_SHA1, 160),
        (TEE.TYPE_GENERIC_SECRET, 96),
    ],
)
def test_generated_secret_has_the_size_and_differs(
    ta: CryptoTA, obj_type: int, size: int
) -> None:
    first = ta.alloc_object(obj_type, size)
    second = ta.alloc_object(obj_type, size)
    ta.generate_key(first, size)
    ta.generate_key(second, size)
    info = ta.object_info(first)
    assert (info.object_size, info.handle_flags) == (size, TEE.HANDLE_FLAG_INITIALIZED)
    a = ta.get_buffer_attr(first, TEE.ATTR_SECRET_VALUE)
    b = ta.get_buffer_attr(second, TEE.ATTR_SECRET_VALUE)
    assert len(a) == len(b) == size // 8
    assert a != b


def test_generated_key_encrypts_as_cryptography_expects(ta: CryptoTA) -> None:
    key = ta.alloc_object(TEE.TYPE_AES, 128)
    ta.generate_key(key, 128)
    op = ta.alloc_op(TEE.ALG_AES_ECB_NOPAD, TEE.MODE_ENCRYPT, 128)
    ta.set_key(op, key)
    ta.cipher_init(op)
    data = os.urandom(32)
    secret = ta.get_buffer_attr(key, TEE.ATTR_SECRET_VALUE)
    enc = Cipher(algorithms.AES(secret), modes.ECB()).encryptor()
    assert ta.cipher_final(op, data) == enc.update(data) + enc.finalize()


@pytest.mark.parametrize("size", [100, 192])
def test_generate_key_of_a_size_the_object_refuses(ta: CryptoTA, size: int) -> None:
    oid = ta.alloc_object(TEE.TYPE_AES, 128)
    with pytest.raises(NotSupported):
        ta.generate_key(oid, size)


def test_generate_key_for_a_public_key_panics(ta: CryptoTA) -> None:
    oid = ta.alloc_object(TEE.TYPE_RSA_PUBLIC_KEY, 1024)
    with pytest.raises(TargetDead):
        ta.generate_key(oid, 1024)


def test_generate_key_of_an_initialised_object_panics(ta: CryptoTA) -> None:
    oid = ta.secret_key(TEE.TYPE_AES, bytes(16))
    with pytest.raises(TargetDead):
        ta.generate_key(oid, 128)


# ---- handles and attribute helpers ------------------------------------------


def test_closed_object_is_gone(ta: CryptoTA) -> None:
    oid = ta.secret_key(TEE.TYPE_AES, bytes(16))
    ta.close_object(oid)
    with pytest.raises(ItemNotFound):  # the TA's table forgot it
        ta.object_info(oid)


def test_a_pointer_that_is_no_object_panics(ta: CryptoTA) -> None:
    with pytest.raises(TargetDead):
        ta.object_info(TA_CRYPTO_ID_BOGUS)


def test_a_pointer_that_is_no_operation_panics(ta: CryptoTA) -> None:
    with pytest.raises(TargetDead):
        ta.op_info(TA_CRYPTO_ID_BOGUS)


@pytest.mark.parametrize(
    "case",
    [
        TA_CRYPTO_MISUSE_REF_ATTR_VALUE_ID,
        TA_CRYPTO_MISUSE_VALUE_ATTR_REF_ID,
        TA_CRYPTO_MISUSE_RANDOM_NULL,
    ],
)
def test_misuse_panics(ta: CryptoTA, case: int) -> None:
    with pytest.raises(TargetDead):
        ta.misuse(case)


def test_operation_info_without_a_destination_panics(ta: CryptoTA) -> None:
    op = ta.alloc_op(TEE.ALG_SHA256, TEE.MODE_DIGEST)
    with pytest.raises(TargetDead):
        ta.misuse(TA_CRYPTO_MISUSE_OP_INFO_NULL, op)


# ---- operations -------------------------------------------------------------


@pytest.mark.parametrize(
    "alg, mode, size, ok",
    [
        (TEE.ALG_AES_CBC_NOPAD, TEE.MODE_DECRYPT, 256, True),
        (TEE.ALG_AES_CBC_NOPAD, TEE.MODE_SIGN, 256, False),
        (TEE.ALG_AES_CBC_NOPAD, TEE.MODE_ENCRYPT, 100, False),  # no such AES key
        (TEE.ALG_AES_XTS, TEE.MODE_ENCRYPT, 128, False),  # two 64-bit keys
        (TEE.ALG_SHA256, TEE.MODE_DIGEST, 0, True),
        (TEE.ALG_HMAC_SHA256, TEE.MODE_MAC, 256, True),
        (TEE.ALG_HMAC_SHA256, TEE.MODE_ENCRYPT, 256, False),
        (TEE.ALG_RSASSA_PKCS1_V1_5_SHA256, TEE.MODE_SIGN, 2048, True),
        (TEE.ALG_RSASSA_PKCS1_V1_5_SHA256, TEE.MODE_DIGEST, 2048, False),
        (TEE.ALG_RSASSA_PKCS1_V1_5_SHA3_256, TEE.MODE_SIGN, 2048, False),
        (TEE.ALG_DSA_SHA1, TEE.MODE_VERIFY, 960, True),
        (TEE.ALG_DSA_SHA1, TEE.MODE_VERIFY, 1088, False),
        (TEE.ALG_DSA_SHA256, TEE.MODE_SIGN, 3072, True),
        (TEE.ALG_DSA_SHA256, TEE.MODE_SIGN, 1024, False),
        (TEE.ALG_ECDSA_SHA256, TEE.MODE_SIGN, 256, True),
        (TEE.ALG_ECDSA_SHA256, TEE.MODE_SIGN, 384, False),
        (TEE.ALG_ECDH_DERIVE_SHARED_SECRET, TEE.MODE_DERIVE, 521, True),
        (TEE.ALG_ECDH_DERIVE_SHARED_SECRET, TEE.MODE_DERIVE, 528, False),
        (TEE.ALG_ED25519, TEE.MODE_VERIFY, 256, True),
        (TEE.ALG_ED25519, TEE.MODE_VERIFY, 255, False),
        (TEE.ALG_X25519, TEE.MODE_DERIVE, 256, True),
        (TEE.ALG_X25519, TEE.MODE_ENCRYPT, 256, False),
        (TEE.ALG_SM2_KEP, TEE.MODE_DERIVE, 512, True),
        (TEE.ALG_SM2_KEP, TEE.MODE_DERIVE, 256, False),
        (TEE.ALG_HKDF_SHA256_DERIVE_KEY, TEE.MODE_DERIVE, 256, True),
        (TEE.ALG_X448, TEE.MODE_DERIVE, 448, False),
        (TEE.ALG_ED448, TEE.MODE_SIGN, 456, False),
        (TEE.ALG_SM4_ECB_PKCS5, TEE.MODE_ENCRYPT, 128, False),
        (TEE.ALG_ILLEGAL_VALUE, TEE.MODE_ENCRYPT, 128, False),
    ],
)
def test_allocate_operation_follows_optee(
    ta: CryptoTA, alg: int, mode: int, size: int, ok: bool
) -> None:
    if ok:
        info = ta.op_info(ta.alloc_op(alg, mode, size))
        assert (info.algorithm, info.mode, info.max_key_size) == (alg, mode, size)
    else:
        with pytest.raises(NotSupported):
            ta.alloc_op(alg, mode, size)


def test_rsa_nopad_requires_both_usages(ta: CryptoTA) -> None:
    info = ta.op_info(ta.alloc_op(TEE.ALG_RSA_NOPAD, TEE.MODE_ENCRYPT, 1024))
    assert info.operation_class == TEE.OPERATION_ASYMMETRIC_CIPHER
    assert info.required_key_usage == TEE.USAGE_ENCRYPT | TEE.USAGE_VERIFY
    info = ta.op_info(ta.alloc_op(TEE.ALG_RSA_NOPAD, TEE.MODE_DECRYPT, 1024))
    assert info.required_key_usage == TEE.USAGE_DECRYPT | TEE.USAGE_SIGN


def test_two_key_operation_reports_as_optee(ta: CryptoTA) -> None:
    op = ta.alloc_op(TEE.ALG_AES_XTS, TEE.MODE_ENCRYPT, 512)
    info = ta.op_info(op)
    assert info.handle_state == TEE.HANDLE_FLAG_EXPECT_TWO_KEYS
    assert (info.key_size, info.required_key_usage) == (0, 0)
    ta.set_key2(
        op,
        ta.secret_key(TEE.TYPE_AES, bytes(32)),
        ta.secret_key(TEE.TYPE_AES, bytes(32)),
    )
    multiple = ta.op_info_multiple(op)
    assert multiple.keys == ((256, TEE.USAGE_ENCRYPT), (256, TEE.USAGE_ENCRYPT))
    assert (
        multiple.handle_state
        == TEE.HANDLE_FLAG_EXPECT_TWO_KEYS | TEE.HANDLE_FLAG_KEY_SET
    )
    with pytest.raises(ShortBuffer):
        ta.op_info_multiple(op, slots=1)


def test_same_key_twice_is_a_security_error(ta: CryptoTA) -> None:
    op = ta.alloc_op(TEE.ALG_AES_XTS, TEE.MODE_ENCRYPT, 256)
    key = ta.secret_key(TEE.TYPE_AES, bytes(16))
    with pytest.raises(Security):
        ta.set_key2(op, key, key)


def test_one_key_for_a_two_key_operation_panics(ta: CryptoTA) -> None:
    op = ta.alloc_op(TEE.ALG_AES_XTS, TEE.MODE_ENCRYPT, 256)
    with pytest.raises(TargetDead):
        ta.set_key(op, ta.secret_key(TEE.TYPE_AES, bytes(16)))


def test_operation_keeps_its_own_copy_of_the_key(ta: CryptoTA) -> None:
    key = os.urandom(16)
    oid = ta.secret_key(TEE.TYPE_AES, key)
    op = ta.alloc_op(TEE.ALG_AES_ECB_NOPAD, TEE.MODE_ENCRYPT, 128)
    ta.set_key(op, oid)
    ta.free_object(oid)
    ta.cipher_init(op)
    enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    assert ta.cipher_final(op, bytes(16)) == enc.update(bytes(16))


def test_clearing_the_key_leaves_none(ta: CryptoTA) -> None:
    op = ta.alloc_op(TEE.ALG_AES_ECB_NOPAD, TEE.MODE_ENCRYPT, 128)
    ta.set_key(op, ta.secret_key(TEE.TYPE_AES, bytes(16)))
    assert ta.op_info(op).handle_state == TEE.HANDLE_FLAG_KEY_SET
    ta.set_key(op, crypto_ta.TA_CRYPTO_ID_NULL)
    assert ta.op_info(op).handle_state == 0
    with pytest.raises(TargetDead):
        ta.reset_op(op)  # TEE_ResetOperation panics without a key


@pytest.mark.parametrize(
    "alg, element, supported",
    [
        (TEE.ALG_AES_CBC_NOPAD, TEE.CRYPTO_ELEMENT_NONE, True),
        (TEE.ALG_AES_CBC_NOPAD, TEE.ECC_CURVE_NIST_P256, False),
        (TEE.ALG_SHAKE256, TEE.CRYPTO_ELEMENT_NONE, True),
        (TEE.ALG_DES3_CMAC, TEE.CRYPTO_ELEMENT_NONE, True),
        (TEE.ALG_RSA_NOPAD, TEE.CRYPTO_ELEMENT_NONE, True),
        (TEE.ALG_ECDSA_SHA256, TEE.ECC_CURVE_NIST_P256, True),
        (TEE.ALG_ECDSA_SHA256, TEE.CRYPTO_ELEMENT_NONE, False),
        (TEE.ALG_ECDH_DERIVE_SHARED_SECRET, TEE.ECC_CURVE_NIST_P256, True),
        (TEE.ALG_ED25519, TEE.ECC_CURVE_25519, True),
        (TEE.ALG_MD5SHA1, TEE.CRYPTO_ELEMENT_NONE, False),
        (TEE.ALG_X448, TEE.CRYPTO_ELEMENT_NONE, False),
        (TEE.ALG_HKDF_SHA256_DERIVE_KEY, TEE.CRYPTO_ELEMENT_NONE, False),
        (TEE.ALG_ILLEGAL_VALUE, TEE.CRYPTO_ELEMENT_NONE, False),
    ],
)
def test_is_algorithm_supported_answers_for_what_works(
    ta: CryptoTA, alg: int, element: int, supported: bool
) -> None:
    assert ta.is_supported(alg, element) is supported


@pytest.mark.parametrize(
    "alg, mode, size",
    [
        (TEE.ALG_SM3, TEE.MODE_DIGEST, 0),
        (TEE.ALG_HMAC_SM3, TEE.MODE_MAC, 256),
        (TEE.ALG_SM4_ECB_NOPAD, TEE.MODE_ENCRYPT, 128),
        (TEE.ALG_SM4_CTR, TEE.MODE_DECRYPT, 128),
        (TEE.ALG_SM4_XTS, TEE.MODE_ENCRYPT, 256),
    ],
)
def test_sm3_sm4_are_supported_exactly_when_they_allocate(
    ta: CryptoTA, alg: int, mode: int, size: int
) -> None:
    # they depend on the host's OpenSSL: the answer must match what works
    try:
        ta.alloc_op(alg, mode, size)
    except NotSupported:
        allocates = False
    else:
        allocates = True
    assert ta.is_supported(alg) is allocates


# ---- random numbers ---------------------------------------------------------


def test_random_fills_the_buffer_with_fresh_bytes(ta: CryptoTA) -> None:
    first, second = ta.random(64), ta.random(64)
    assert len(first) == len(second) == 64
    assert first != second
    big = ta.random(100_000)
    assert len(big) == 100_000
    # all 256 byte values show up in 100 000 random bytes
    assert len(set(big)) == 256
