"""Message digests through the crypto test TA (GP 6.3): known answers from
NIST CAVP and the RFCs (tests/vectors), streaming against ``cryptography``,
TEE_DigestExtract, short buffers, state and misuse."""

from __future__ import annotations

import os
from collections.abc import Iterator

import crypto_vectors
import pytest
from crypto_ta import (
    TA_CRYPTO_MISUSE_DIGEST_NULL_LEN,
    TEE,
    CryptoTA,
    crypto_session,
    skip_unless_supported,
)
from cryptography.hazmat.primitives import hashes

from pytee import NotSupported, ShortBuffer, TargetDead

# algorithm, cryptography's hash (None: an XOF, sized per call), size
DIGESTS = {
    "MD5": (TEE.ALG_MD5, hashes.MD5()),
    "SHA1": (TEE.ALG_SHA1, hashes.SHA1()),
    "SHA224": (TEE.ALG_SHA224, hashes.SHA224()),
    "SHA256": (TEE.ALG_SHA256, hashes.SHA256()),
    "SHA384": (TEE.ALG_SHA384, hashes.SHA384()),
    "SHA512": (TEE.ALG_SHA512, hashes.SHA512()),
    "SHA3-224": (TEE.ALG_SHA3_224, hashes.SHA3_224()),
    "SHA3-256": (TEE.ALG_SHA3_256, hashes.SHA3_256()),
    "SHA3-384": (TEE.ALG_SHA3_384, hashes.SHA3_384()),
    "SHA3-512": (TEE.ALG_SHA3_512, hashes.SHA3_512()),
    "SM3": (TEE.ALG_SM3, hashes.SM3()),
}

KAT_FILES = {
    "MD5": "hash_md5_rfc1321.txt",
    "SHA1": "hash_sha1_short.rsp",
    "SHA224": "hash_sha224_short.rsp",
    "SHA256": "hash_sha256_short.rsp",
    "SHA384": "hash_sha384_short.rsp",
    "SHA512": "hash_sha512_short.rsp",
    "SHA3-224": "hash_sha3_224_short.rsp",
    "SHA3-256": "hash_sha3_256_short.rsp",
    "SHA3-384": "hash_sha3_384_short.rsp",
    "SHA3-512": "hash_sha3_512_short.rsp",
    "SM3": "hash_sm3_oscca.txt",
}


@pytest.fixture
def ta() -> Iterator[CryptoTA]:
    with crypto_session() as opened:
        yield opened


def digest(hash_: hashes.HashAlgorithm, data: bytes) -> bytes:
    h = hashes.Hash(hash_)
    h.update(data)
    return h.finalize()


def shake(size: int, data: bytes, bits: int) -> bytes:
    h = hashes.Hash(hashes.SHAKE128(size) if bits == 128 else hashes.SHAKE256(size))
    h.update(data)
    return h.finalize()


@pytest.mark.parametrize("name", sorted(KAT_FILES))
def test_digest_matches_known_answers(ta: CryptoTA, name: str) -> None:
    alg, _ = DIGESTS[name]
    skip_unless_supported(ta, alg)
    records = crypto_vectors.load(KAT_FILES[name])
    assert records
    op = ta.alloc_op(alg, TEE.MODE_DIGEST)
    for record in records:
        message = crypto_vectors.data(record, "msg")[: int(record["len"]) // 8]
        assert ta.digest_final(op, message) == crypto_vectors.data(record, "md")


@pytest.mark.parametrize("name", sorted(DIGESTS))
def test_digest_of_chunks_matches_cryptography(ta: CryptoTA, name: str) -> None:
    alg, hash_ = DIGESTS[name]
    skip_unless_supported(ta, alg)
    message = os.urandom(1000)
    op = ta.alloc_op(alg, TEE.MODE_DIGEST)
    for start in range(0, 900, 300):
        ta.digest_update(op, message[start : start + 300])
    ta.digest_update(op, b"")
    assert ta.digest_final(op, message[900:]) == digest(hash_, message)
    # the operation starts afresh after the final call
    assert ta.digest_final(op, b"abc") == digest(hash_, b"abc")


@pytest.mark.parametrize("bits", [128, 256])
def test_shake_matches_known_answers(ta: CryptoTA, bits: int) -> None:
    alg = TEE.ALG_SHAKE128 if bits == 128 else TEE.ALG_SHAKE256
    op = ta.alloc_op(alg, TEE.MODE_DIGEST)
    for record in crypto_vectors.load("hash_shake%d_varout.rsp" % bits):
        size = int(record["outputlen"]) // 8
        out = ta.digest_final(op, crypto_vectors.data(record, "msg"), size)
        assert out == crypto_vectors.data(record, "output")


@pytest.mark.parametrize("bits", [128, 256])
def test_shake_extract_squeezes_on_where_it_stopped(ta: CryptoTA, bits: int) -> None:
    alg = TEE.ALG_SHAKE128 if bits == 128 else TEE.ALG_SHAKE256
    message = os.urandom(77)
    op = ta.alloc_op(alg, TEE.MODE_DIGEST)
    ta.digest_update(op, message)
    parts = [ta.digest_extract(op, n) for n in (1, 31, 200, 7)]
    assert ta.op_info_multiple(op).operation_state == TEE.OPERATION_STATE_EXTRACTING
    assert b"".join(parts) == shake(239, message, bits)
    assert ta.op_info(op).digest_length == 0


def test_extract_of_a_fixed_digest_gives_it_in_pieces(ta: CryptoTA) -> None:
    message = os.urandom(50)
    expected = digest(hashes.SHA256(), message)
    op = ta.alloc_op(TEE.ALG_SHA256, TEE.MODE_DIGEST)
    ta.digest_update(op, message)
    assert ta.digest_extract(op, 10) == expected[:10]
    assert ta.op_info(op).handle_state & TEE.HANDLE_FLAG_EXTRACTING
    assert ta.digest_extract(op, 5) == expected[10:15]
    # DoFinal gives what is left (no more than the buffer), then restarts
    assert ta.digest_final(op, None, 64) == expected[15:]
    info = ta.op_info_multiple(op)
    assert info.operation_state == TEE.OPERATION_STATE_INITIAL
    assert not info.handle_state & TEE.HANDLE_FLAG_EXTRACTING
    assert ta.digest_final(op, message) == expected


def test_short_hash_buffer_reports_size_and_keeps_the_chunk_out(
    ta: CryptoTA,
) -> None:
    op = ta.alloc_op(TEE.ALG_SHA384, TEE.MODE_DIGEST)
    ta.digest_update(op, b"abc")
    with pytest.raises(ShortBuffer) as raised:
        ta.digest_final(op, b"def", size=47)
    assert raised.value.required_size == 48
    assert ta.digest_final(op, b"def") == digest(hashes.SHA384(), b"abcdef")


def test_digest_operation_info_follows_the_state(ta: CryptoTA) -> None:
    op = ta.alloc_op(TEE.ALG_SHA1, TEE.MODE_DIGEST)
    info = ta.op_info(op)
    assert info.operation_class == TEE.OPERATION_DIGEST
    assert info.mode == TEE.MODE_DIGEST
    assert info.digest_length == 20
    assert info.required_key_usage == 0
    assert info.handle_state == TEE.HANDLE_FLAG_KEY_SET | TEE.HANDLE_FLAG_INITIALIZED
    multiple = ta.op_info_multiple(op, slots=0)
    assert multiple.keys == ()
    assert multiple.operation_state == TEE.OPERATION_STATE_INITIAL
    ta.digest_update(op, b"x")
    assert ta.op_info_multiple(op).operation_state == TEE.OPERATION_STATE_ACTIVE
    ta.reset_op(op)
    assert ta.op_info_multiple(op).operation_state == TEE.OPERATION_STATE_INITIAL
    assert ta.digest_final(op, b"y") == digest(hashes.SHA1(), b"y")


def test_copied_digest_continues_on_its_own(ta: CryptoTA) -> None:
    first = ta.alloc_op(TEE.ALG_SHA512, TEE.MODE_DIGEST)
    second = ta.alloc_op(TEE.ALG_SHA512, TEE.MODE_DIGEST)
    ta.digest_update(first, b"common ")
    ta.copy_op(second, first)
    assert ta.digest_final(first, b"one") == digest(hashes.SHA512(), b"common one")
    assert ta.digest_final(second, b"two") == digest(hashes.SHA512(), b"common two")


def test_md5sha1_digest_is_not_supported(ta: CryptoTA) -> None:
    with pytest.raises(NotSupported):
        ta.alloc_op(TEE.ALG_MD5SHA1, TEE.MODE_DIGEST)
    assert not ta.is_supported(TEE.ALG_MD5SHA1)


def test_digest_refuses_other_modes(ta: CryptoTA) -> None:
    with pytest.raises(NotSupported):
        ta.alloc_op(TEE.ALG_SHA256, TEE.MODE_MAC)


def test_digest_update_on_a_cipher_operation_panics(ta: CryptoTA) -> None:
    op = ta.alloc_op(TEE.ALG_AES_CBC_NOPAD, TEE.MODE_ENCRYPT, 128)
    with pytest.raises(TargetDead):
        ta.digest_update(op, b"x")


def test_digest_final_without_a_length_panics(ta: CryptoTA) -> None:
    op = ta.alloc_op(TEE.ALG_SHA256, TEE.MODE_DIGEST)
    with pytest.raises(TargetDead):
        ta.misuse(TA_CRYPTO_MISUSE_DIGEST_NULL_LEN, op)


def test_set_key_on_a_digest_panics(ta: CryptoTA) -> None:
    op = ta.alloc_op(TEE.ALG_SHA256, TEE.MODE_DIGEST)
    key = ta.secret_key(TEE.TYPE_HMAC_SHA256, bytes(32))
    with pytest.raises(TargetDead):
        ta.set_key(op, key)
