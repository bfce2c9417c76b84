"""Symmetric ciphers through the crypto test TA (GP 6.4): known answers
(NIST CAVP, RFC 3686, RFC 3962, IEEE 1619 via CAVP XTSGen, the SM4 draft),
both directions against ``cryptography``, OP-TEE's buffering rules, short
buffers, in-place operation and misuse that panics."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import crypto_vectors
import pytest
from crypto_ta import TEE, CryptoTA, crypto_session, skip_unless_supported
from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives.ciphers import (
    BlockCipherAlgorithm,
    Cipher,
    algorithms,
    modes,
)

from pytee import ShortBuffer, TargetDead


@pytest.fixture
def ta() -> Iterator[CryptoTA]:
    with crypto_session() as opened:
        yield opened


def block_cipher(key_type: int, key: bytes) -> BlockCipherAlgorithm:
    if key_type == TEE.TYPE_AES:
        return algorithms.AES(key)
    if key_type == TEE.TYPE_SM4:
        return algorithms.SM4(key)
    if len(key) == 8:
        key = key * 3  # single DES as triple DES with one key
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return TripleDES(key)


def reference(
    key_type: int, key: bytes, mode: modes.Mode, data: bytes, encrypt: bool
) -> bytes:
    cipher: Cipher[Any] = Cipher(block_cipher(key_type, key), mode)
    ctx = cipher.encryptor() if encrypt else cipher.decryptor()
    return bytes(ctx.update(data) + ctx.finalize())


def ecb_block(key_type: int, key: bytes, block: bytes, encrypt: bool) -> bytes:
    return reference(key_type, key, modes.ECB(), block, encrypt)


def xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b))


def cts_reference(key: bytes, iv: bytes, data: bytes, encrypt: bool) -> bytes:
    """AES CBC-CS3 (RFC 3962) from cryptography's ECB, encrypt or decrypt."""
    if len(data) <= 16:
        return reference(TEE.TYPE_AES, key, modes.CBC(iv), data, encrypt)
    tail = len(data) - 16 * ((len(data) - 1) // 16 - 1)  # last two blocks
    head = data[: len(data) - tail]
    out = reference(TEE.TYPE_AES, key, modes.CBC(iv), head, encrypt)
    chain = (out if encrypt else head)[-16:] if head else iv
    last = data[len(head) :]
    d = tail - 16
    if encrypt:
        x = ecb_block(TEE.TYPE_AES, key, xor(last[:16], chain), True)
        y = ecb_block(TEE.TYPE_AES, key, xor(last[16:] + bytes(16 - d), x), True)
        return out + y + x[:d]
    z = ecb_block(TEE.TYPE_AES, key, last[:16], False)
    x = last[16:] + z[d:]
    pn = xor(z[:d], last[16:])
    return out + xor(ecb_block(TEE.TYPE_AES, key, x, False), chain) + pn


def gf_double(t: bytes) -> bytes:
    value = int.from_bytes(t, "little") << 1
    if value >> 128:
        value = (value & ((1 << 128) - 1)) ^ 0x87
    return value.to_bytes(16, "little")


def xts_reference(
    key_type: int, key1: bytes, key2: bytes, tweak: bytes, data: bytes, encrypt: bool
) -> bytes:
    """XTS (IEEE 1619, ciphertext stealing) from cryptography's ECB."""
    t = ecb_block(key_type, key2, tweak, True)

    def one(block: bytes, tw: bytes) -> bytes:
        return xor(ecb_block(key_type, key1, xor(block, tw), encrypt), tw)

    full, r = divmod(len(data), 16)
    out = b""
    for n in range(full - (1 if r else 0)):
        out += one(data[16 * n : 16 * n + 16], t)
        t = gf_double(t)
    if not r:
        return out
    t2 = gf_double(t)
    last = data[16 * (full - 1) : 16 * full]
    cc = one(last, t if encrypt else t2)
    pp = data[16 * full :] + cc[r:]
    return out + one(pp, t2 if encrypt else t) + cc[:r]


# ---- known answers ----------------------------------------------------------


def run(
    ta: CryptoTA,
    alg: int,
    key_type: int,
    key: bytes,
    iv: bytes | None,
    data: bytes,
    encrypt: bool,
    key2: bytes | None = None,
) -> bytes:
    mode = TEE.MODE_ENCRYPT if encrypt else TEE.MODE_DECRYPT
    op = ta.cipher_op(alg, mode, key_type, key, key2)
    ta.cipher_init(op, iv)
    out = ta.cipher_update(op, data[:7]) + ta.cipher_final(op, data[7:])
    ta.free_op(op)
    return out


def check_records(
    ta: CryptoTA, file: str, alg: int, key_type: int, key_of: object = None
) -> None:
    records = crypto_vectors.load(file)
    assert records
    for record in records:
        encrypt = record.get("_section", "ENCRYPT") == "ENCRYPT"
        if "key1" in record:
            key = b"".join(
                crypto_vectors.data(record, k) for k in ("key1", "key2", "key3")
            )
        else:
            key = crypto_vectors.data(record, "key")
        iv = crypto_vectors.data(record, "iv") or None
        plain = crypto_vectors.data(record, "plaintext")
        cipher = crypto_vectors.data(record, "ciphertext")
        source, expected = (plain, cipher) if encrypt else (cipher, plain)
        assert run(ta, alg, key_type, key, iv, source, encrypt) == expected, record


@pytest.mark.parametrize(
    "file, alg, key_type",
    [
        ("aes_ecb_mmt128.rsp", TEE.ALG_AES_ECB_NOPAD, TEE.TYPE_AES),
        ("aes_ecb_mmt256.rsp", TEE.ALG_AES_ECB_NOPAD, TEE.TYPE_AES),
        ("aes_cbc_mmt192.rsp", TEE.ALG_AES_CBC_NOPAD, TEE.TYPE_AES),
        ("aes_cbc_mmt256.rsp", TEE.ALG_AES_CBC_NOPAD, TEE.TYPE_AES),
        ("aes_ctr_rfc3686_128.txt", TEE.ALG_AES_CTR, TEE.TYPE_AES),
        ("aes_ctr_rfc3686_256.txt", TEE.ALG_AES_CTR, TEE.TYPE_AES),
        ("aes_cts_rfc3962.txt", TEE.ALG_AES_CTS, TEE.TYPE_AES),
        ("tdes_ecb_mmt3.rsp", TEE.ALG_DES3_ECB_NOPAD, TEE.TYPE_DES3),
        ("tdes_cbc_mmt3.rsp", TEE.ALG_DES3_CBC_NOPAD, TEE.TYPE_DES3),
        ("sm4_ecb_ribose.txt", TEE.ALG_SM4_ECB_NOPAD, TEE.TYPE_SM4),
        ("sm4_cbc_ribose.txt", TEE.ALG_SM4_CBC_NOPAD, TEE.TYPE_SM4),
        ("sm4_ctr_ribose.txt", TEE.ALG_SM4_CTR, TEE.TYPE_SM4),
    ],
)
def test_cipher_matches_known_answers(
    ta: CryptoTA, file: str, alg: int, key_type: int
) -> None:
    skip_unless_supported(ta, alg)
    check_records(ta, file, alg, key_type)


def test_two_key_triple_des_matches_known_answers(ta: CryptoTA) -> None:
    # the CAVP two-key files repeat KEY1 as KEY3: give the TA a 16-byte key
    for record in crypto_vectors.load("tdes_cbc_mmt2.rsp"):
        assert record["key1"] == record["key3"]
        key = crypto_vectors.data(record, "key1") + crypto_vectors.data(record, "key2")
        encrypt = record["_section"] == "ENCRYPT"
        plain = crypto_vectors.data(record, "plaintext")
        cipher = crypto_vectors.data(record, "ciphertext")
        iv = crypto_vectors.data(record, "iv")
        source, expected = (plain, cipher) if encrypt else (cipher, plain)
        assert (
            run(ta, TEE.ALG_DES3_CBC_NOPAD, TEE.TYPE_DES3, key, iv, source, encrypt)
            == expected
        )


@pytest.mark.parametrize(
    "file, partial", [("aes_xts_gen128.rsp", True), ("aes_xts_gen256.rsp", False)]
)
def test_xts_matches_known_answers(ta: CryptoTA, file: str, partial: bool) -> None:
    records = crypto_vectors.load(file)
    # the 128-bit file has data units that end in a partial block (stealing)
    assert any(int(r["dataunitlen"]) % 128 for r in records) == partial
    for record in records:
        key = crypto_vectors.data(record, "key")
        half = len(key) // 2
        encrypt = record["_section"] == "ENCRYPT"
        plain = crypto_vectors.data(record, "pt")
        cipher = crypto_vectors.data(record, "ct")
        source, expected = (plain, cipher) if encrypt else (cipher, plain)
        out = run(
            ta,
            TEE.ALG_AES_XTS,
            TEE.TYPE_AES,
            key[:half],
            crypto_vectors.data(record, "i"),
            source,
            encrypt,
            key[half:],
        )
        assert out == expected, record


# ---- against cryptography, both directions ----------------------------------


def ecb(iv: bytes) -> modes.Mode:
    """ECB, which takes no IV (a mode maker like modes.CBC)."""
    return modes.ECB()


CASES: dict[str, tuple[int, int, int, Callable[[bytes], modes.Mode]]] = {
    "AES-ECB-128": (TEE.ALG_AES_ECB_NOPAD, TEE.TYPE_AES, 16, ecb),
    "AES-ECB-192": (TEE.ALG_AES_ECB_NOPAD, TEE.TYPE_AES, 24, ecb),
    "AES-CBC-128": (TEE.ALG_AES_CBC_NOPAD, TEE.TYPE_AES, 16, modes.CBC),
    "AES-CBC-256": (TEE.ALG_AES_CBC_NOPAD, TEE.TYPE_AES, 32, modes.CBC),
    "AES-CTR-128": (TEE.ALG_AES_CTR, TEE.TYPE_AES, 16, modes.CTR),
    "AES-CTR-256": (TEE.ALG_AES_CTR, TEE.TYPE_AES, 32, modes.CTR),
    "DES-ECB": (TEE.ALG_DES_ECB_NOPAD, TEE.TYPE_DES, 8, ecb),
    "DES-CBC": (TEE.ALG_DES_CBC_NOPAD, TEE.TYPE_DES, 8, modes.CBC),
    "DES3-2KEY-ECB": (
        TEE.ALG_DES3_ECB_NOPAD,
        TEE.TYPE_DES3,
        16,
        ecb,
    ),
    "DES3-CBC": (TEE.ALG_DES3_CBC_NOPAD, TEE.TYPE_DES3, 24, modes.CBC),
    "SM4-ECB": (TEE.ALG_SM4_ECB_NOPAD, TEE.TYPE_SM4, 16, ecb),
    "SM4-CBC": (TEE.ALG_SM4_CBC_NOPAD, TEE.TYPE_SM4, 16, modes.CBC),
    "SM4-CTR": (TEE.ALG_SM4_CTR, TEE.TYPE_SM4, 16, modes.CTR),
}


def feed(ta: CryptoTA, op: int, data: bytes, cuts: list[int]) -> bytes:
    out = b""
    last = 0
    for cut in cuts:
        out += ta.cipher_update(op, data[last:cut])
        last = cut
    return out + ta.cipher_final(op, data[last:])


@pytest.mark.parametrize("name", sorted(CASES))
def test_cipher_agrees_with_cryptography_both_ways(ta: CryptoTA, name: str) -> None:
    alg, key_type, key_len, mode = CASES[name]
    skip_unless_supported(ta, alg)
    block = 8 if key_type in (TEE.TYPE_DES, TEE.TYPE_DES3) else 16
    key = os.urandom(key_len)
    iv = os.urandom(block)
    stream = alg in (TEE.ALG_AES_CTR, TEE.ALG_SM4_CTR)
    size = 5 * block + (3 if stream else 0)
    data = os.urandom(size)
    uses_iv = not isinstance(mode(iv), modes.ECB)
    # the TA encrypts, cryptography decrypts
    op = ta.cipher_op(alg, TEE.MODE_ENCRYPT, key_type, key)
    ta.cipher_init(op, iv if uses_iv else None)
    sealed = feed(ta, op, data, [1, block + 3, 3 * block])
    assert reference(key_type, key, mode(iv), sealed, False) == data
    # cryptography encrypts, the TA decrypts
    theirs = reference(key_type, key, mode(iv), data, True)
    op = ta.cipher_op(alg, TEE.MODE_DECRYPT, key_type, key)
    ta.cipher_init(op, iv if uses_iv else None)
    assert feed(ta, op, theirs, [2 * block - 1]) == data


@pytest.mark.parametrize("size", [16, 17, 31, 32, 33, 48, 70, 100])
def test_cts_agrees_with_a_cbc_reference_both_ways(ta: CryptoTA, size: int) -> None:
    key, iv, data = os.urandom(16), os.urandom(16), os.urandom(size)
    op = ta.cipher_op(TEE.ALG_AES_CTS, TEE.MODE_ENCRYPT, TEE.TYPE_AES, key)
    ta.cipher_init(op, iv)
    sealed = feed(ta, op, data, [5, min(size, 40)])
    assert sealed == cts_reference(key, iv, data, True)
    assert cts_reference(key, iv, sealed, False) == data
    op = ta.cipher_op(TEE.ALG_AES_CTS, TEE.MODE_DECRYPT, TEE.TYPE_AES, key)
    ta.cipher_init(op, iv)
    assert feed(ta, op, sealed, [size // 2]) == data


@pytest.mark.parametrize("key_len, size", [(16, 16), (16, 45), (32, 64), (32, 129)])
def test_aes_xts_agrees_with_cryptography_both_ways(
    ta: CryptoTA, key_len: int, size: int
) -> None:
    k1, k2, tweak = os.urandom(key_len), os.urandom(key_len), os.urandom(16)
    data = os.urandom(size)
    mode = modes.XTS(tweak)
    op = ta.cipher_op(TEE.ALG_AES_XTS, TEE.MODE_ENCRYPT, TEE.TYPE_AES, k1, k2)
    ta.cipher_init(op, tweak)
    sealed = feed(ta, op, data, [3, 20])
    assert reference(TEE.TYPE_AES, k1 + k2, mode, sealed, False) == data
    # the Python XTS used for SM4 below agrees with cryptography's
    assert xts_reference(TEE.TYPE_AES, k1, k2, tweak, data, True) == sealed
    op = ta.cipher_op(TEE.ALG_AES_XTS, TEE.MODE_DECRYPT, TEE.TYPE_AES, k1, k2)
    ta.cipher_init(op, tweak)
    theirs = reference(TEE.TYPE_AES, k1 + k2, mode, data, True)
    assert feed(ta, op, theirs, [size - 1]) == data


@pytest.mark.parametrize("size", [16, 40, 64])
def test_sm4_xts_agrees_with_an_ecb_reference_both_ways(
    ta: CryptoTA, size: int
) -> None:
    skip_unless_supported(ta, TEE.ALG_SM4_XTS)
    k1, k2, tweak, data = (
        os.urandom(16),
        os.urandom(16),
        os.urandom(16),
        os.urandom(size),
    )
    op = ta.cipher_op(TEE.ALG_SM4_XTS, TEE.MODE_ENCRYPT, TEE.TYPE_SM4, k1, k2)
    ta.cipher_init(op, tweak)
    sealed = feed(ta, op, data, [9])
    assert sealed == xts_reference(TEE.TYPE_SM4, k1, k2, tweak, data, True)
    op = ta.cipher_op(TEE.ALG_SM4_XTS, TEE.MODE_DECRYPT, TEE.TYPE_SM4, k1, k2)
    ta.cipher_init(op, tweak)
    assert feed(ta, op, sealed, []) == data


# ---- OP-TEE's buffering and sizes ------------------------------------------------


@pytest.mark.parametrize(
    "alg, key_type, key_len, steps",
    [
        # (update size, bytes out) in turn, as OP-TEE's libutee gives them
        (TEE.ALG_AES_CBC_NOPAD, TEE.TYPE_AES, 16, [(20, 16), (11, 0), (1, 16)]),
        (TEE.ALG_AES_CTR, TEE.TYPE_AES, 16, [(5, 5), (13, 13)]),
        (TEE.ALG_SM4_CTR, TEE.TYPE_SM4, 16, [(5, 0), (13, 16), (3, 0)]),
        (TEE.ALG_AES_CTS, TEE.TYPE_AES, 16, [(32, 0), (1, 16), (15, 0), (1, 16)]),
        (TEE.ALG_AES_XTS, TEE.TYPE_AES, 16, [(31, 0), (2, 16), (64, 64)]),
        (TEE.ALG_DES3_CBC_NOPAD, TEE.TYPE_DES3, 24, [(7, 0), (10, 16)]),
    ],
)
def test_update_returns_what_optee_returns(
    ta: CryptoTA, alg: int, key_type: int, key_len: int, steps: list[tuple[int, int]]
) -> None:
    skip_unless_supported(ta, alg)
    key = os.urandom(key_len)
    two = alg == TEE.ALG_AES_XTS
    op = ta.cipher_op(
        alg, TEE.MODE_ENCRYPT, key_type, key, os.urandom(key_len) if two else None
    )
    ta.cipher_init(op, os.urandom(8 if key_type == TEE.TYPE_DES3 else 16))
    total = 0
    for size, out in steps:
        assert len(ta.cipher_update(op, os.urandom(size))) == out
        total += size
    held = total - sum(out for _, out in steps)
    if total % 8 and alg in (TEE.ALG_AES_CBC_NOPAD, TEE.ALG_DES3_CBC_NOPAD):
        return
    assert len(ta.cipher_final(op, b"")) == held


def test_short_destination_reports_the_size_and_loses_nothing(ta: CryptoTA) -> None:
    key, iv, data = os.urandom(16), os.urandom(16), os.urandom(48)
    op = ta.cipher_op(TEE.ALG_AES_CBC_NOPAD, TEE.MODE_ENCRYPT, TEE.TYPE_AES, key)
    ta.cipher_init(op, iv)
    assert ta.cipher_update(op, data[:4]) == b""
    with pytest.raises(ShortBuffer) as raised:
        ta.cipher_update(op, data[4:40], size=31)
    assert raised.value.required_size == 32
    out = ta.cipher_update(op, data[4:40], size=32)
    with pytest.raises(ShortBuffer) as raised:
        ta.cipher_final(op, data[40:], size=15)
    assert raised.value.required_size == 16
    out += ta.cipher_final(op, data[40:], size=16)
    assert out == reference(TEE.TYPE_AES, key, modes.CBC(iv), data, True)


@pytest.mark.parametrize("alg", [TEE.ALG_AES_CBC_NOPAD, TEE.ALG_AES_CTS])
def test_in_place_operation_is_right(ta: CryptoTA, alg: int) -> None:
    key, iv, data = os.urandom(16), os.urandom(16), os.urandom(80)
    op = ta.cipher_op(alg, TEE.MODE_ENCRYPT, TEE.TYPE_AES, key)
    ta.cipher_init(op, iv)
    sealed = ta.cipher_in_place(False, op, data[:40], 0)
    sealed += ta.cipher_in_place(True, op, data[40:], 40)
    op2 = ta.cipher_op(alg, TEE.MODE_ENCRYPT, TEE.TYPE_AES, key)
    ta.cipher_init(op2, iv)
    assert sealed == ta.cipher_final(op2, data)


def test_init_restarts_an_active_cipher(ta: CryptoTA) -> None:
    key, iv = os.urandom(16), os.urandom(16)
    op = ta.cipher_op(TEE.ALG_AES_CBC_NOPAD, TEE.MODE_ENCRYPT, TEE.TYPE_AES, key)
    ta.cipher_init(op, iv)
    ta.cipher_update(op, os.urandom(20))
    ta.cipher_init(op, iv)
    data = os.urandom(32)
    assert ta.cipher_final(op, data) == reference(
        TEE.TYPE_AES, key, modes.CBC(iv), data, True
    )
    assert ta.op_info_multiple(op).operation_state == TEE.OPERATION_STATE_INITIAL


def test_copied_cipher_continues_on_its_own(ta: CryptoTA) -> None:
    key, iv, data = os.urandom(16), os.urandom(16), os.urandom(64)
    src = ta.cipher_op(TEE.ALG_AES_CTR, TEE.MODE_ENCRYPT, TEE.TYPE_AES, key)
    dst = ta.alloc_op(TEE.ALG_AES_CTR, TEE.MODE_ENCRYPT, 128)
    ta.cipher_init(src, iv)
    head = ta.cipher_update(src, data[:21])
    ta.copy_op(dst, src)
    expected = reference(TEE.TYPE_AES, key, modes.CTR(iv), data, True)
    assert head + ta.cipher_final(dst, data[21:]) == expected
    assert head + ta.cipher_final(src, data[21:]) == expected
    assert ta.op_info(dst).key_size == 128


# ---- misuse that panics -----------------------------------------------------


def aes_op(ta: CryptoTA, alg: int = TEE.ALG_AES_CBC_NOPAD) -> int:
    return ta.cipher_op(alg, TEE.MODE_ENCRYPT, TEE.TYPE_AES, bytes(16))


def test_update_before_init_panics(ta: CryptoTA) -> None:
    op = aes_op(ta)
    with pytest.raises(TargetDead):
        ta.cipher_update(op, bytes(16))


def test_init_without_a_key_panics(ta: CryptoTA) -> None:
    op = ta.alloc_op(TEE.ALG_AES_CBC_NOPAD, TEE.MODE_ENCRYPT, 128)
    with pytest.raises(TargetDead):
        ta.cipher_init(op, bytes(16))


def test_iv_given_to_ecb_panics(ta: CryptoTA) -> None:
    op = aes_op(ta, TEE.ALG_AES_ECB_NOPAD)
    with pytest.raises(TargetDead):
        ta.cipher_init(op, bytes(16))


def test_iv_of_the_wrong_length_panics(ta: CryptoTA) -> None:
    op = aes_op(ta)
    with pytest.raises(TargetDead):
        ta.cipher_init(op, bytes(8))


def test_nopad_final_with_a_partial_block_panics(ta: CryptoTA) -> None:
    op = aes_op(ta)
    ta.cipher_init(op, bytes(16))
    with pytest.raises(TargetDead):
        ta.cipher_final(op, bytes(17))


def test_cts_below_one_block_panics(ta: CryptoTA) -> None:
    op = aes_op(ta, TEE.ALG_AES_CTS)
    ta.cipher_init(op, bytes(16))
    with pytest.raises(TargetDead):
        ta.cipher_final(op, bytes(15))


def test_key_of_another_type_panics(ta: CryptoTA) -> None:
    op = ta.alloc_op(TEE.ALG_AES_CBC_NOPAD, TEE.MODE_ENCRYPT, 256)
    key = ta.secret_key(TEE.TYPE_HMAC_SHA256, bytes(32))
    with pytest.raises(TargetDead):
        ta.set_key(op, key)


def test_key_without_the_usage_panics(ta: CryptoTA) -> None:
    op = ta.alloc_op(TEE.ALG_AES_CBC_NOPAD, TEE.MODE_ENCRYPT, 128)
    key = ta.secret_key(TEE.TYPE_AES, bytes(16))
    ta.restrict_usage(key, TEE.USAGE_DECRYPT)
    with pytest.raises(TargetDead):
        ta.set_key(op, key)


def test_key_larger_than_max_key_size_panics(ta: CryptoTA) -> None:
    op = ta.alloc_op(TEE.ALG_AES_CBC_NOPAD, TEE.MODE_ENCRYPT, 128)
    key = ta.secret_key(TEE.TYPE_AES, bytes(32))
    with pytest.raises(TargetDead):
        ta.set_key(op, key)


def test_set_key_on_an_initialised_cipher_panics(ta: CryptoTA) -> None:
    op = aes_op(ta)
    ta.cipher_init(op, bytes(16))
    key = ta.secret_key(TEE.TYPE_AES, bytes(16))
    with pytest.raises(TargetDead):
        ta.set_key(op, key)
