"""Authenticated encryption through the crypto test TA (GP 6.6): AES-GCM and
AES-CCM; known answers (NIST CAVP gcmEncryptExtIV, gcmDecrypt, CCM DVPT),
both directions against ``cryptography``, tag rules, buffering, misuse."""

from __future__ import annotations

import os
from collections.abc import Iterator

import crypto_vectors
import pytest
from crypto_ta import TEE, CryptoTA, crypto_session
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESCCM, AESGCM

from pytee import MacInvalid, NotSupported, ShortBuffer, TargetDead


@pytest.fixture
def ta() -> Iterator[CryptoTA]:
    with crypto_session() as opened:
        yield opened


def ae_op(ta: CryptoTA, alg: int, encrypt: bool, key: bytes) -> int:
    mode = TEE.MODE_ENCRYPT if encrypt else TEE.MODE_DECRYPT
    return ta.cipher_op(alg, mode, TEE.TYPE_AES, key)


def seal(
    ta: CryptoTA,
    alg: int,
    key: bytes,
    nonce: bytes,
    aad: bytes,
    data: bytes,
    tag_bits: int,
) -> tuple[bytes, bytes]:
    op = ae_op(ta, alg, True, key)
    ta.ae_init(op, nonce, tag_bits, len(aad), len(data))
    ta.ae_update_aad(op, aad[:3])
    ta.ae_update_aad(op, aad[3:])
    out = ta.ae_update(op, data[:21])
    body, tag = ta.ae_encrypt_final(op, data[21:])
    ta.free_op(op)
    return out + body, tag


def open_(
    ta: CryptoTA,
    alg: int,
    key: bytes,
    nonce: bytes,
    aad: bytes,
    data: bytes,
    tag: bytes,
    tag_bits: int,
) -> bytes:
    op = ae_op(ta, alg, False, key)
    ta.ae_init(op, nonce, tag_bits, len(aad), len(data))
    ta.ae_update_aad(op, aad)
    out = ta.ae_update(op, data[:17])
    return out + ta.ae_decrypt_final(op, data[17:], tag)


# ---- known answers ----------------------------------------------------------


def test_gcm_encryption_matches_known_answers(ta: CryptoTA) -> None:
    records = crypto_vectors.load("aes_gcm_encrypt128.rsp")
    assert records
    for r in records:
        sealed, tag = seal(
            ta,
            TEE.ALG_AES_GCM,
            crypto_vectors.data(r, "key"),
            crypto_vectors.data(r, "iv"),
            crypto_vectors.data(r, "aad"),
            crypto_vectors.data(r, "pt"),
            int(r["taglen"]),
        )
        assert (sealed, tag) == (
            crypto_vectors.data(r, "ct"),
            crypto_vectors.data(r, "tag"),
        )


def test_gcm_decryption_matches_known_answers(ta: CryptoTA) -> None:
    records = crypto_vectors.load("aes_gcm_decrypt256.rsp")
    assert any("fail" in r for r in records) and any("fail" not in r for r in records)
    for r in records:
        args = (
            ta,
            TEE.ALG_AES_GCM,
            crypto_vectors.data(r, "key"),
            crypto_vectors.data(r, "iv"),
            crypto_vectors.data(r, "aad"),
            crypto_vectors.data(r, "ct"),
            crypto_vectors.data(r, "tag"),
            int(r["taglen"]),
        )
        if "fail" in r:
            with pytest.raises(MacInvalid):
                open_(*args)
        else:
            assert open_(*args) == crypto_vectors.data(r, "pt")


@pytest.mark.parametrize("file", ["aes_ccm_dvpt128.rsp", "aes_ccm_dvpt256.rsp"])
def test_ccm_decryption_matches_known_answers(ta: CryptoTA, file: str) -> None:
    records = crypto_vectors.load(file)
    assert any(r["result"] == "Fail" for r in records)
    for r in records:
        tlen = int(r["tlen"])
        aad = crypto_vectors.data(r, "adata")[: int(r["alen"])]
        ct = crypto_vectors.data(r, "ct")
        args = (
            ta,
            TEE.ALG_AES_CCM,
            crypto_vectors.data(r, "key"),
            crypto_vectors.data(r, "nonce"),
            aad,
            ct[:-tlen],
            ct[-tlen:],
            tlen * 8,
        )
        if r["result"] == "Fail":
            with pytest.raises(MacInvalid):
                open_(*args)
        else:
            payload = crypto_vectors.data(r, "payload")[: int(r["plen"])]
            assert open_(*args) == payload


# ---- against cryptography, both directions ----------------------------------


@pytest.mark.parametrize(
    "key_len, nonce_len, tag_bits, size",
    [
        (16, 12, 128, 0),
        (16, 12, 96, 50),
        (24, 16, 104, 33),
        (32, 8, 120, 100),
        (32, 60, 128, 16),
    ],
)
def test_gcm_agrees_with_cryptography_both_ways(
    ta: CryptoTA, key_len: int, nonce_len: int, tag_bits: int, size: int
) -> None:
    key, nonce = os.urandom(key_len), os.urandom(nonce_len)
    aad, data = os.urandom(20), os.urandom(size)
    sealed, tag = seal(ta, TEE.ALG_AES_GCM, key, nonce, aad, data, tag_bits)
    theirs = AESGCM(key).encrypt(nonce, data, aad)
    # a truncated tag is the head of the full one
    assert sealed + tag == theirs[: size + tag_bits // 8]
    if tag_bits == 128:
        assert AESGCM(key).decrypt(nonce, sealed + tag, aad) == data
    assert (
        open_(
            ta,
            TEE.ALG_AES_GCM,
            key,
            nonce,
            aad,
            theirs[:size],
            theirs[size:][: tag_bits // 8],
            tag_bits,
        )
        == data
    )


@pytest.mark.parametrize(
    "key_len, nonce_len, tag_bits, aad_len, size",
    [
        (16, 13, 128, 0, 0),
        (16, 7, 32, 20, 33),
        (24, 11, 64, 300, 64),
        (32, 12, 96, 5, 100),
    ],
)
def test_ccm_agrees_with_cryptography_both_ways(
    ta: CryptoTA, key_len: int, nonce_len: int, tag_bits: int, aad_len: int, size: int
) -> None:
    key, nonce = os.urandom(key_len), os.urandom(nonce_len)
    aad, data = os.urandom(aad_len), os.urandom(size)
    ccm = AESCCM(key, tag_length=tag_bits // 8)
    sealed, tag = seal(ta, TEE.ALG_AES_CCM, key, nonce, aad, data, tag_bits)
    assert ccm.decrypt(nonce, sealed + tag, aad) == data
    theirs = ccm.encrypt(nonce, data, aad)
    assert (
        open_(
            ta, TEE.ALG_AES_CCM, key, nonce, aad, theirs[:size], theirs[size:], tag_bits
        )
        == data
    )


def test_tampered_ciphertext_is_refused(ta: CryptoTA) -> None:
    key, nonce, data = os.urandom(16), os.urandom(12), os.urandom(40)
    theirs = AESGCM(key).encrypt(nonce, data, b"")
    bad = bytes([theirs[0] ^ 1]) + theirs[1:40]
    with pytest.raises(MacInvalid):
        open_(ta, TEE.ALG_AES_GCM, key, nonce, b"", bad, theirs[40:], 128)
    with pytest.raises(InvalidTag):
        AESGCM(key).decrypt(nonce, bad + theirs[40:], b"")


def test_tag_of_another_length_than_init_is_refused(ta: CryptoTA) -> None:
    key, nonce, data = os.urandom(16), os.urandom(12), os.urandom(16)
    theirs = AESGCM(key).encrypt(nonce, data, b"")
    with pytest.raises(MacInvalid):
        open_(ta, TEE.ALG_AES_GCM, key, nonce, b"", theirs[:16], theirs[16:28], 128)


# ---- rules ------------------------------------------------------------------


@pytest.mark.parametrize(
    "alg, tag_bits, ok",
    [
        (TEE.ALG_AES_GCM, 96, True),
        (TEE.ALG_AES_GCM, 104, True),
        (TEE.ALG_AES_GCM, 128, True),
        (TEE.ALG_AES_GCM, 88, False),
        (TEE.ALG_AES_GCM, 100, False),
        (TEE.ALG_AES_GCM, 136, False),
        (TEE.ALG_AES_CCM, 32, True),
        (TEE.ALG_AES_CCM, 48, True),
        (TEE.ALG_AES_CCM, 40, False),
        (TEE.ALG_AES_CCM, 16, False),
        (TEE.ALG_AES_CCM, 144, False),
    ],
)
def test_tag_lengths_are_those_optee_takes(
    ta: CryptoTA, alg: int, tag_bits: int, ok: bool
) -> None:
    op = ae_op(ta, alg, True, bytes(16))
    if ok:
        ta.ae_init(op, bytes(12), tag_bits, 0, 0)
        assert ta.op_info(op).digest_length == tag_bits // 8
    else:
        with pytest.raises(NotSupported):
            ta.ae_init(op, bytes(12), tag_bits, 0, 0)


def test_ccm_update_returns_whole_blocks_gcm_everything(ta: CryptoTA) -> None:
    key, nonce = bytes(16), bytes(12)
    ccm = ae_op(ta, TEE.ALG_AES_CCM, True, key)
    ta.ae_init(ccm, nonce, 128, 0, 40)
    assert len(ta.ae_update(ccm, bytes(20))) == 16
    assert len(ta.ae_update(ccm, bytes(5))) == 0
    body, tag = ta.ae_encrypt_final(ccm, bytes(15))
    assert (len(body), len(tag)) == (24, 16)
    gcm = ae_op(ta, TEE.ALG_AES_GCM, True, key)
    ta.ae_init(gcm, nonce, 128)
    assert len(ta.ae_update(gcm, bytes(5))) == 5


def test_short_buffers_of_the_final_report_sizes(ta: CryptoTA) -> None:
    key, nonce, data = os.urandom(16), os.urandom(12), os.urandom(30)
    op = ae_op(ta, TEE.ALG_AES_GCM, True, key)
    ta.ae_init(op, nonce, 112)
    with pytest.raises(ShortBuffer) as raised:
        ta.ae_encrypt_final(op, data, tag_size=13)
    assert raised.value.required_size == 14
    with pytest.raises(ShortBuffer) as raised:
        ta.ae_encrypt_final(op, data, size=29)
    assert raised.value.required_size == 30
    body, tag = ta.ae_encrypt_final(op, data)
    assert body + tag == AESGCM(key).encrypt(nonce, data, b"")[:44]


def test_aad_after_payload_panics(ta: CryptoTA) -> None:
    op = ae_op(ta, TEE.ALG_AES_GCM, True, bytes(16))
    ta.ae_init(op, bytes(12), 128)
    ta.ae_update(op, b"payload")
    with pytest.raises(TargetDead):
        ta.ae_update_aad(op, b"late")


def test_ae_update_before_init_panics(ta: CryptoTA) -> None:
    op = ae_op(ta, TEE.ALG_AES_GCM, True, bytes(16))
    with pytest.raises(TargetDead):
        ta.ae_update(op, b"payload")


def test_ccm_payload_beyond_what_init_announced_panics(ta: CryptoTA) -> None:
    op = ae_op(ta, TEE.ALG_AES_CCM, True, bytes(16))
    ta.ae_init(op, bytes(12), 128, 0, 8)
    with pytest.raises(TargetDead):
        ta.ae_encrypt_final(op, bytes(9))


def test_ae_init_twice_without_final_panics(ta: CryptoTA) -> None:
    op = ae_op(ta, TEE.ALG_AES_GCM, True, bytes(16))
    ta.ae_init(op, bytes(12), 128)
    ta.ae_update(op, b"x")
    with pytest.raises(TargetDead):
        ta.ae_init(op, bytes(12), 128)
