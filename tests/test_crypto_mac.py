"""MACs through the crypto test TA (GP 6.5): HMAC with every hash, CMAC
and CBC-MAC; known answers (RFC 2202, RFC 4231, NIST SP 800-38B), both
directions against ``cryptography``, compare-final, short buffers, misuse."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator

import crypto_vectors
import pytest
from crypto_ta import TEE, CryptoTA, crypto_session, skip_unless_supported
from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives import cmac, hashes, hmac
from cryptography.hazmat.primitives.ciphers import (
    BlockCipherAlgorithm,
    Cipher,
    algorithms,
    modes,
)

from pytee import MacInvalid, ShortBuffer, TargetDead

HMACS = {
    "MD5": (TEE.ALG_HMAC_MD5, TEE.TYPE_HMAC_MD5, hashes.MD5()),
    "SHA1": (TEE.ALG_HMAC_SHA1, TEE.TYPE_HMAC_SHA1, hashes.SHA1()),
    "SHA224": (TEE.ALG_HMAC_SHA224, TEE.TYPE_HMAC_SHA224, hashes.SHA224()),
    "SHA256": (TEE.ALG_HMAC_SHA256, TEE.TYPE_HMAC_SHA256, hashes.SHA256()),
    "SHA384": (TEE.ALG_HMAC_SHA384, TEE.TYPE_HMAC_SHA384, hashes.SHA384()),
    "SHA512": (TEE.ALG_HMAC_SHA512, TEE.TYPE_HMAC_SHA512, hashes.SHA512()),
    "SHA3-224": (TEE.ALG_HMAC_SHA3_224, TEE.TYPE_HMAC_SHA3_224, hashes.SHA3_224()),
    "SHA3-256": (TEE.ALG_HMAC_SHA3_256, TEE.TYPE_HMAC_SHA3_256, hashes.SHA3_256()),
    "SHA3-384": (TEE.ALG_HMAC_SHA3_384, TEE.TYPE_HMAC_SHA3_384, hashes.SHA3_384()),
    "SHA3-512": (TEE.ALG_HMAC_SHA3_512, TEE.TYPE_HMAC_SHA3_512, hashes.SHA3_512()),
    "SM3": (TEE.ALG_HMAC_SM3, TEE.TYPE_HMAC_SM3, hashes.SM3()),
}

HMAC_KATS = {
    "MD5": "hmac_rfc_2202_md5.txt",
    "SHA1": "hmac_rfc_2202_sha1.txt",
    "SHA224": "hmac_rfc_4231_sha224.txt",
    "SHA256": "hmac_rfc_4231_sha256.txt",
    "SHA384": "hmac_rfc_4231_sha384.txt",
    "SHA512": "hmac_rfc_4231_sha512.txt",
}


@pytest.fixture
def ta() -> Iterator[CryptoTA]:
    with crypto_session() as opened:
        yield opened


# Largest HMAC key OP-TEE's object types take, in bits (others: 1024).
HMAC_MAX_BITS = {
    TEE.TYPE_HMAC_MD5: 512,
    TEE.TYPE_HMAC_SHA1: 512,
    TEE.TYPE_HMAC_SHA224: 512,
}


def key_bits(key_type: int, key: bytes) -> int:
    """The size to allocate a key object of: an HMAC key of any length up to
    its type's largest goes in an object of that largest size."""
    if key_type in (TEE.TYPE_AES, TEE.TYPE_DES, TEE.TYPE_DES3):
        return len(key) * 8
    return HMAC_MAX_BITS.get(key_type, 1024)


def mac_op(ta: CryptoTA, alg: int, key_type: int, key: bytes) -> int:
    bits = key_bits(key_type, key)
    op = ta.alloc_op(alg, TEE.MODE_MAC, bits)
    ta.set_key(op, ta.secret_key(key_type, key, bits))
    return op


def their_hmac(hash_: hashes.HashAlgorithm, key: bytes, data: bytes) -> bytes:
    h = hmac.HMAC(key, hash_)
    h.update(data)
    return h.finalize()


@pytest.mark.parametrize("name", sorted(HMAC_KATS))
def test_hmac_matches_known_answers(ta: CryptoTA, name: str) -> None:
    alg, key_type, _ = HMACS[name]
    records = crypto_vectors.load(HMAC_KATS[name])
    assert records
    for record in records:
        key = crypto_vectors.data(record, "key")
        if len(key) * 8 > key_bits(key_type, key):
            continue  # longer than OP-TEE's object type takes
        op = mac_op(ta, alg, key_type, key)
        ta.mac_init(op)
        mac = ta.mac_compute(op, crypto_vectors.data(record, "msg"))
        assert mac == crypto_vectors.data(record, "md")
        ta.free_op(op)


@pytest.mark.parametrize("name", sorted(HMACS))
def test_hmac_agrees_with_cryptography_both_ways(ta: CryptoTA, name: str) -> None:
    alg, key_type, hash_ = HMACS[name]
    skip_unless_supported(ta, alg)
    key = os.urandom(32)
    data = os.urandom(300)
    op = mac_op(ta, alg, key_type, key)
    ta.mac_init(op)
    ta.mac_update(op, data[:100])
    ta.mac_update(op, data[100:250])
    mac = ta.mac_compute(op, data[250:])
    # theirs verifies ours
    h = hmac.HMAC(key, hash_)
    h.update(data)
    h.verify(mac)
    # ours verifies theirs
    ta.mac_init(op)
    ta.mac_compare(op, data, their_hmac(hash_, key, data))


@pytest.mark.parametrize(
    "file", ["cmac_aes128.txt", "cmac_aes192.txt", "cmac_aes256.txt"]
)
def test_aes_cmac_matches_known_answers(ta: CryptoTA, file: str) -> None:
    for record in crypto_vectors.load(file):
        key = crypto_vectors.data(record, "key")
        op = mac_op(ta, TEE.ALG_AES_CMAC, TEE.TYPE_AES, key)
        ta.mac_init(op)
        mac = ta.mac_compute(op, crypto_vectors.data(record, "message"))
        assert mac == crypto_vectors.data(record, "output")
        ta.free_op(op)


def test_des3_cmac_matches_known_answers(ta: CryptoTA) -> None:
    records = crypto_vectors.load("cmac_3des.txt")
    assert records
    for record in records:
        key = b"".join(crypto_vectors.data(record, k) for k in ("key1", "key2", "key3"))
        op = mac_op(ta, TEE.ALG_DES3_CMAC, TEE.TYPE_DES3, key)
        ta.mac_init(op)
        mac = ta.mac_compute(op, crypto_vectors.data(record, "message"))
        assert mac == crypto_vectors.data(record, "output")
        ta.free_op(op)


def block_cipher(key_type: int, key: bytes) -> BlockCipherAlgorithm:
    if key_type == TEE.TYPE_AES:
        return algorithms.AES(key)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return TripleDES(key * 3 if len(key) == 8 else key)


def cbc_mac(key_type: int, key: bytes, data: bytes, pkcs5: bool) -> bytes:
    """The last block of a zero-IV CBC encryption (with PKCS#5 padding)."""
    block = 16 if key_type == TEE.TYPE_AES else 8
    if pkcs5:
        pad = block - len(data) % block
        data += bytes([pad]) * pad
    enc = Cipher(block_cipher(key_type, key), modes.CBC(bytes(block))).encryptor()
    return (enc.update(data) + enc.finalize())[-block:]


CBC_MACS = {
    "AES-NOPAD": (TEE.ALG_AES_CBC_MAC_NOPAD, TEE.TYPE_AES, 16, False),
    "AES-PKCS5": (TEE.ALG_AES_CBC_MAC_PKCS5, TEE.TYPE_AES, 32, True),
    "DES-NOPAD": (TEE.ALG_DES_CBC_MAC_NOPAD, TEE.TYPE_DES, 8, False),
    "DES-PKCS5": (TEE.ALG_DES_CBC_MAC_PKCS5, TEE.TYPE_DES, 8, True),
    "DES3-NOPAD": (TEE.ALG_DES3_CBC_MAC_NOPAD, TEE.TYPE_DES3, 24, False),
    "DES3-PKCS5": (TEE.ALG_DES3_CBC_MAC_PKCS5, TEE.TYPE_DES3, 16, True),
}


@pytest.mark.parametrize("name", sorted(CBC_MACS))
def test_cbc_mac_agrees_with_cryptography_both_ways(ta: CryptoTA, name: str) -> None:
    alg, key_type, key_len, pkcs5 = CBC_MACS[name]
    key = os.urandom(key_len)
    data = os.urandom(64 if not pkcs5 else 61)
    op = mac_op(ta, alg, key_type, key)
    ta.mac_init(op, os.urandom(16))  # the IV is ignored, as in OP-TEE
    ta.mac_update(op, data[:5])
    mac = ta.mac_compute(op, data[5:])
    assert mac == cbc_mac(key_type, key, data, pkcs5)
    ta.mac_init(op)
    ta.mac_compare(op, data, cbc_mac(key_type, key, data, pkcs5))


@pytest.mark.parametrize("key_len", [16, 32])
def test_aes_cmac_agrees_with_cryptography_both_ways(
    ta: CryptoTA, key_len: int
) -> None:
    key, data = os.urandom(key_len), os.urandom(100)
    op = mac_op(ta, TEE.ALG_AES_CMAC, TEE.TYPE_AES, key)
    ta.mac_init(op)
    ta.mac_update(op, data[:33])
    mac = ta.mac_compute(op, data[33:])
    theirs = cmac.CMAC(algorithms.AES(key))
    theirs.update(data)
    theirs.verify(mac)
    ta.mac_init(op)
    theirs = cmac.CMAC(algorithms.AES(key))
    theirs.update(data)
    ta.mac_compare(op, data, theirs.finalize())


def test_compare_final_refuses_a_wrong_mac_and_a_wrong_length(ta: CryptoTA) -> None:
    key, data = os.urandom(32), os.urandom(40)
    good = their_hmac(hashes.SHA256(), key, data)
    op = mac_op(ta, TEE.ALG_HMAC_SHA256, TEE.TYPE_HMAC_SHA256, key)
    for bad in (good[:-1] + bytes([good[-1] ^ 1]), good[:16], good + b"\0"):
        ta.mac_init(op)
        with pytest.raises(MacInvalid):
            ta.mac_compare(op, data, bad)
    ta.mac_init(op)
    ta.mac_compare(op, data, good)


def test_short_mac_buffer_reports_the_size_and_keeps_the_message_out(
    ta: CryptoTA,
) -> None:
    key = os.urandom(32)
    op = mac_op(ta, TEE.ALG_HMAC_SHA512, TEE.TYPE_HMAC_SHA512, key)
    ta.mac_init(op)
    ta.mac_update(op, b"head ")
    with pytest.raises(ShortBuffer) as raised:
        ta.mac_compute(op, b"tail", size=63)
    assert raised.value.required_size == 64
    assert ta.mac_compute(op, b"tail") == their_hmac(hashes.SHA512(), key, b"head tail")


def test_mac_operation_info(ta: CryptoTA) -> None:
    op = ta.alloc_op(TEE.ALG_AES_CMAC, TEE.MODE_MAC, 256)
    info = ta.op_info(op)
    assert info.operation_class == TEE.OPERATION_MAC
    assert info.digest_length == 16
    assert info.required_key_usage == TEE.USAGE_MAC
    assert info.handle_state == 0
    ta.set_key(op, ta.secret_key(TEE.TYPE_AES, bytes(32)))
    assert ta.op_info(op).key_size == 256
    ta.mac_init(op)
    assert ta.op_info_multiple(op).operation_state == TEE.OPERATION_STATE_ACTIVE
    ta.mac_compute(op, b"")
    info = ta.op_info(op)
    assert info.handle_state == TEE.HANDLE_FLAG_KEY_SET


def test_mac_update_before_init_panics(ta: CryptoTA) -> None:
    op = mac_op(ta, TEE.ALG_HMAC_SHA1, TEE.TYPE_HMAC_SHA1, bytes(20))
    with pytest.raises(TargetDead):
        ta.mac_update(op, b"x")


def test_mac_after_the_final_needs_init(ta: CryptoTA) -> None:
    op = mac_op(ta, TEE.ALG_HMAC_SHA1, TEE.TYPE_HMAC_SHA1, bytes(20))
    ta.mac_init(op)
    ta.mac_compute(op, b"x")
    with pytest.raises(TargetDead):
        ta.mac_update(op, b"y")


def test_cbc_mac_nopad_of_a_partial_block_panics(ta: CryptoTA) -> None:
    op = mac_op(ta, TEE.ALG_AES_CBC_MAC_NOPAD, TEE.TYPE_AES, bytes(16))
    ta.mac_init(op)
    with pytest.raises(TargetDead):
        ta.mac_compute(op, bytes(17))


def test_generic_secret_key_for_hmac_panics(ta: CryptoTA) -> None:
    # OP-TEE copies the key into an object of the HMAC's own type
    op = ta.alloc_op(TEE.ALG_HMAC_SHA256, TEE.MODE_MAC, 256)
    key = ta.secret_key(TEE.TYPE_GENERIC_SECRET, bytes(32))
    with pytest.raises(TargetDead):
        ta.set_key(op, key)
