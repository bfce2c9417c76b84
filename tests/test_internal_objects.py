"""pytee.internal in this very process: objects, operations, arithmetic,
random numbers, time, the TEE's own properties and the Internal Client API
all work wherever libtee is loaded (storage, the TA's and the client's
properties need the TA host: tests/test_internal_storage_ta.py).

``cryptography``, ``hashlib``, ``hmac`` and Python's ``int`` are the
oracles.  libtee panics (ends the process) on misuse GP answers that way,
so these tests also check that the Pythonic layer refuses such misuse with
an exception first.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import time
from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.utils import (
    Prehashed,
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESCCM, AESGCM
from cryptography.hazmat.primitives.cmac import CMAC
from hypothesis import given, settings
from hypothesis import strategies as st

from pytee.constants import Origin, Result
from pytee.errors import (
    BadFormat,
    ClosedError,
    ItemNotFound,
    MacInvalid,
    NotSupported,
    Security,
    ShortBuffer,
    SignatureInvalid,
    TargetDead,
)
from pytee.internal import objects, operation, raw
from pytee.internal.arith import MAX_BITS, BigInt
from pytee.internal.objects import Attribute, TransientObject
from pytee.internal.operation import Operation, generate_random, is_algorithm_supported
from pytee.internal.properties import (
    PropSet,
    get_bool,
    get_string,
    get_u32,
    get_uuid,
    properties,
)
from pytee.internal.ta_client import (
    MemrefIn,
    MemrefInOut,
    MemrefOut,
    TASession,
    ValueIn,
    ValueInOut,
    ValueOut,
    ValuePair,
)
from pytee.internal.time import ree_time, system_time

# libtee is the software TEE's TA-side library.
pytestmark = pytest.mark.software_tee

_, tee, _ = raw.load()

TA_TEST_UUID = "25454e49-108c-41c6-b5de-a3727df251e3"  # the C test TA


def secret_key(object_type: int, key: bytes) -> TransientObject:
    """A transient object holding ``key`` as its TEE_ATTR_SECRET_VALUE."""
    obj = TransientObject.allocate(object_type, 8 * len(key))
    obj.populate([Attribute.ref(tee.TEE_ATTR_SECRET_VALUE, key)])
    return obj


def keyed(algorithm: int, mode: int, key: TransientObject) -> Operation:
    op = Operation(algorithm, mode, key.info.object_size)
    op.set_key(key)
    return op


def secret_op(algorithm: int, mode: int, object_type: int, key: bytes) -> Operation:
    """An operation keyed with ``key``; it keeps its own copy of the key."""
    with secret_key(object_type, key) as secret:
        return keyed(algorithm, mode, secret)


# ---- digests ------------------------------------------------------------------

DIGESTS = [
    ("TEE_ALG_MD5", "md5"),
    ("TEE_ALG_SHA1", "sha1"),
    ("TEE_ALG_SHA224", "sha224"),
    ("TEE_ALG_SHA256", "sha256"),
    ("TEE_ALG_SHA384", "sha384"),
    ("TEE_ALG_SHA512", "sha512"),
    ("TEE_ALG_SHA3_256", "sha3_256"),
    ("TEE_ALG_SM3", "sm3"),
]


@pytest.mark.parametrize(("algorithm", "name"), DIGESTS)
def test_a_digest_fed_in_pieces_matches_hashlib(algorithm: str, name: str) -> None:
    message = os.urandom(1000)
    with Operation(getattr(tee, algorithm), tee.TEE_MODE_DIGEST) as op:
        assert op.update(message[:1]) == b""
        op.update(bytearray(message[1:500]))
        op.update(memoryview(message)[500:900])
        assert op.final(message[900:]) == hashlib.new(name, message).digest()
        # final() leaves the operation ready for a new digest
        assert op.final(b"abc") == hashlib.new(name, b"abc").digest()


def test_a_copied_digest_goes_on_independently() -> None:
    with Operation(tee.TEE_ALG_SHA256, tee.TEE_MODE_DIGEST) as op:
        op.update(b"common ")
        with op.copy() as twin:
            op.update(b"left")
            twin.update(b"right")
            assert twin.final() == hashlib.sha256(b"common right").digest()
        assert op.final() == hashlib.sha256(b"common left").digest()


def test_shake_gives_the_length_asked_and_extract_squeezes_on() -> None:
    message = b"extendable output"
    with Operation(tee.TEE_ALG_SHAKE256, tee.TEE_MODE_DIGEST) as op:
        op.update(message)
        assert op.final(length=100) == hashlib.shake_256(message).digest(100)
        op.update(message)
        squeezed = op.extract(10) + op.extract(30)
        assert squeezed == hashlib.shake_256(message).digest(40)
        with pytest.raises(ValueError, match="length"):
            op.final()


def test_extract_hands_out_a_fixed_digest_piece_by_piece() -> None:
    with Operation(tee.TEE_ALG_SHA256, tee.TEE_MODE_DIGEST) as op:
        op.update(b"abc")
        pieces = op.extract(5) + op.extract(100)
        assert pieces == hashlib.sha256(b"abc").digest()
        with pytest.raises(ValueError, match="extract"):
            op.update(b"more")


# ---- symmetric ciphers ------------------------------------------------------


def test_aes_cbc_gives_whole_blocks_and_matches_cryptography() -> None:
    key, iv, text = os.urandom(32), os.urandom(16), os.urandom(64)
    expected = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor().update(text)
    cbc, aes = tee.TEE_ALG_AES_CBC_NOPAD, tee.TEE_TYPE_AES
    with secret_op(cbc, tee.TEE_MODE_ENCRYPT, aes, key) as op:
        op.init(iv)
        first = op.update(text[:20])
        assert len(first) == 16  # the other 4 bytes wait for a block
        rest = op.update(text[20:40]) + op.final(text[40:])
        assert first + rest == expected
    with secret_op(cbc, tee.TEE_MODE_DECRYPT, aes, key) as op:
        op.init(iv)
        assert op.final(expected) == text


def test_aes_ctr_passes_every_byte_through() -> None:
    key, iv, text = os.urandom(16), os.urandom(16), os.urandom(37)
    expected = Cipher(algorithms.AES(key), modes.CTR(iv)).encryptor().update(text)
    with secret_op(
        tee.TEE_ALG_AES_CTR, tee.TEE_MODE_ENCRYPT, tee.TEE_TYPE_AES, key
    ) as op:
        op.init(iv)
        first = op.update(text[:7])
        assert len(first) == 7
        assert first + op.final(text[7:]) == expected


def test_a_cipher_iv_is_checked_before_libtee_panics() -> None:
    key, encrypt, aes = bytes(16), tee.TEE_MODE_ENCRYPT, tee.TEE_TYPE_AES
    with secret_op(tee.TEE_ALG_AES_ECB_NOPAD, encrypt, aes, key) as op:
        with pytest.raises(ValueError, match="ECB"):
            op.init(bytes(16))
        op.init()
        block = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
        assert op.final(bytes(16)) == block.update(bytes(16))
    cbc = secret_op(tee.TEE_ALG_AES_CBC_NOPAD, encrypt, aes, key)
    with cbc, pytest.raises(ValueError, match="16 bytes"):
        cbc.init(bytes(8))


def test_a_final_call_on_a_partial_block_raises_instead_of_panicking() -> None:
    key, encrypt, aes = bytes(16), tee.TEE_MODE_ENCRYPT, tee.TEE_TYPE_AES
    with secret_op(tee.TEE_ALG_AES_CBC_NOPAD, encrypt, aes, key) as op:
        op.init(bytes(16))
        op.update(bytes(20))
        with pytest.raises(ValueError, match="whole 16-byte blocks, got 30"):
            op.final(bytes(10))
        with op.copy() as twin, pytest.raises(ValueError, match="got 21"):
            twin.final(bytes(1))  # a copy knows what was fed
        assert len(op.final(bytes(12))) == 16  # still usable: nothing reached libtee
    with secret_op(tee.TEE_ALG_AES_CBC_MAC_NOPAD, tee.TEE_MODE_MAC, aes, key) as op:
        op.init()
        op.update(bytes(8))
        with pytest.raises(ValueError, match="whole 16-byte blocks"):
            op.compute_final(bytes(7))
        assert len(op.compute_final(bytes(8))) == 16
    with secret_op(tee.TEE_ALG_AES_CTS, encrypt, aes, key) as op:
        op.init(bytes(16))
        with pytest.raises(ValueError, match="at least one block"):
            op.final(bytes(15))


def test_aes_gcm_matches_cryptography_both_ways() -> None:
    key, nonce = os.urandom(32), os.urandom(12)
    aad, text = b"header", os.urandom(50)
    expected = AESGCM(key).encrypt(nonce, text, aad)
    gcm, aes = tee.TEE_ALG_AES_GCM, tee.TEE_TYPE_AES
    with secret_op(gcm, tee.TEE_MODE_ENCRYPT, aes, key) as op:
        op.init(nonce, 128)
        op.update_aad(aad)
        head = op.update(text[:30])
        assert len(head) == 30
        tail, tag = op.encrypt_final(text[30:])
        assert head + tail + tag == expected
    with secret_op(gcm, tee.TEE_MODE_DECRYPT, aes, key) as op:
        op.init(nonce)
        op.update_aad(aad)
        assert op.decrypt_final(expected[:-16], expected[-16:]) == text
        op.init(nonce)
        op.update_aad(aad)
        forged = bytes([expected[-1] ^ 1])
        with pytest.raises(MacInvalid):
            op.decrypt_final(expected[:-16], expected[-16:-1] + forged)


def test_aes_gcm_takes_a_short_tag_and_refuses_an_odd_one() -> None:
    key, nonce, text = os.urandom(16), os.urandom(12), b"short tag"
    gcm, encrypt, aes = tee.TEE_ALG_AES_GCM, tee.TEE_MODE_ENCRYPT, tee.TEE_TYPE_AES
    with secret_op(gcm, encrypt, aes, key) as op:
        op.init(nonce, 96)
        body, tag = op.encrypt_final(text)
        assert len(tag) == 12
        decryptor = Cipher(
            algorithms.AES(key), modes.GCM(nonce, tag, min_tag_length=12)
        ).decryptor()
        assert decryptor.update(body) + decryptor.finalize() == text
    with secret_op(gcm, encrypt, aes, key) as op, pytest.raises(NotSupported):
        op.init(nonce, 64)


def test_aes_ccm_matches_cryptography() -> None:
    key, nonce, aad, text = os.urandom(16), os.urandom(13), b"aad!", os.urandom(40)
    expected = AESCCM(key, tag_length=16).encrypt(nonce, text, aad)
    with secret_op(
        tee.TEE_ALG_AES_CCM, tee.TEE_MODE_ENCRYPT, tee.TEE_TYPE_AES, key
    ) as op:
        op.init(nonce, 128, len(aad), len(text))
        op.update_aad(aad)
        body = op.update(text[:20])
        assert len(body) == 16  # CCM gives whole blocks
        tail, tag = op.encrypt_final(text[20:])
        assert body + tail + tag == expected


def test_aes_xts_takes_two_keys_and_matches_cryptography() -> None:
    first, second, tweak, text = (os.urandom(n) for n in (32, 32, 16, 50))
    expected = Cipher(algorithms.AES(first + second), modes.XTS(tweak)).encryptor()
    one = secret_key(tee.TEE_TYPE_AES, first)
    two = secret_key(tee.TEE_TYPE_AES, second)
    with one, two, Operation(tee.TEE_ALG_AES_XTS, tee.TEE_MODE_ENCRYPT, 512) as op:
        with pytest.raises(ValueError, match="two keys"):
            op.set_key(one)
        with pytest.raises(Security):  # GP: the same object twice
            op.set_key2(one, one)
        op.set_key2(one, two)
        assert [key.key_size for key in op.info_multiple().keys] == [256, 256]
        op.init(tweak)
        head = op.update(text[:40])
        assert len(head) == 16  # XTS holds back the last two blocks
        assert head + op.final(text[40:]) == expected.update(text)


# ---- MACs -------------------------------------------------------------------


def test_hmac_matches_the_hmac_module_and_compares() -> None:
    key, message = os.urandom(32), os.urandom(300)
    expected = hmac.new(key, message, "sha256").digest()
    hmac_sha256, mac = tee.TEE_ALG_HMAC_SHA256, tee.TEE_MODE_MAC
    with secret_op(hmac_sha256, mac, tee.TEE_TYPE_HMAC_SHA256, key) as op:
        op.init()
        assert op.update(message[:100]) == b""
        assert op.compute_final(message[100:]) == expected
        op.init()
        op.compare_final(message, expected)
        op.init()
        with pytest.raises(MacInvalid) as raised:
            op.compare_final(message, bytes(32))
        assert raised.value.origin == Origin.TEE
        assert raised.value.function == "TEE_MACCompareFinal"


def test_aes_cmac_matches_cryptography() -> None:
    key, message = os.urandom(16), os.urandom(45)
    oracle = CMAC(algorithms.AES(key))
    oracle.update(message)
    with secret_op(tee.TEE_ALG_AES_CMAC, tee.TEE_MODE_MAC, tee.TEE_TYPE_AES, key) as op:
        op.init()
        op.update(message)
        assert op.compute_final() == oracle.finalize()


# ---- asymmetric ---------------------------------------------------------------


def p256_keypair() -> TransientObject:
    pair = TransientObject.allocate(tee.TEE_TYPE_ECDSA_KEYPAIR, 256)
    curve = Attribute.value(tee.TEE_ATTR_ECC_CURVE, tee.TEE_ECC_CURVE_NIST_P256)
    pair.generate_key(256, [curve])
    return pair


def p256_public(pair: TransientObject) -> ec.EllipticCurvePublicKey:
    x = pair.get_buffer_attribute(tee.TEE_ATTR_ECC_PUBLIC_VALUE_X)
    y = pair.get_buffer_attribute(tee.TEE_ATTR_ECC_PUBLIC_VALUE_Y)
    numbers = ec.EllipticCurvePublicNumbers(
        int.from_bytes(x, "big"), int.from_bytes(y, "big"), ec.SECP256R1()
    )
    return numbers.public_key()  # checks the point is on the curve


def test_an_ecdsa_signature_of_the_tee_verifies_with_cryptography() -> None:
    digest = hashlib.sha256(b"signed in the TEE").digest()
    with p256_keypair() as pair:
        assert pair.get_value_attribute(tee.TEE_ATTR_ECC_CURVE) == (
            tee.TEE_ECC_CURVE_NIST_P256,
            0,
        )
        with keyed(tee.TEE_ALG_ECDSA_SHA256, tee.TEE_MODE_SIGN, pair) as op:
            signature = op.sign_digest(digest)
        assert len(signature) == 64
        r, s = (
            int.from_bytes(signature[:32], "big"),
            int.from_bytes(signature[32:], "big"),
        )
        p256_public(pair).verify(
            encode_dss_signature(r, s),
            digest,
            ec.ECDSA(Prehashed(hashes.SHA256())),
        )


def test_the_tee_verifies_an_ecdsa_signature_of_cryptography() -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    numbers = private.public_key().public_numbers()
    digest = hashlib.sha256(b"signed outside").digest()
    r, s = decode_dss_signature(
        private.sign(digest, ec.ECDSA(Prehashed(hashes.SHA256())))
    )
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    with TransientObject.allocate(tee.TEE_TYPE_ECDSA_PUBLIC_KEY, 256) as public:
        public.populate(
            [
                Attribute.ref(
                    tee.TEE_ATTR_ECC_PUBLIC_VALUE_X, numbers.x.to_bytes(32, "big")
                ),
                Attribute.ref(
                    tee.TEE_ATTR_ECC_PUBLIC_VALUE_Y, numbers.y.to_bytes(32, "big")
                ),
                Attribute.value(tee.TEE_ATTR_ECC_CURVE, tee.TEE_ECC_CURVE_NIST_P256),
            ]
        )
        with keyed(tee.TEE_ALG_ECDSA_SHA256, tee.TEE_MODE_VERIFY, public) as op:
            op.verify_digest(digest, signature)
            forged = signature[:-1] + bytes([signature[-1] ^ 1])
            with pytest.raises(SignatureInvalid):
                op.verify_digest(digest, forged)


def test_ecdh_derives_the_secret_cryptography_computes() -> None:
    peer = ec.generate_private_key(ec.SECP256R1())
    peer_numbers = peer.public_key().public_numbers()
    with TransientObject.allocate(tee.TEE_TYPE_ECDH_KEYPAIR, 256) as pair:
        curve = Attribute.value(tee.TEE_ATTR_ECC_CURVE, tee.TEE_ECC_CURVE_NIST_P256)
        pair.generate_key(256, [curve])
        x = pair.get_buffer_attribute(tee.TEE_ATTR_ECC_PUBLIC_VALUE_X)
        y = pair.get_buffer_attribute(tee.TEE_ATTR_ECC_PUBLIC_VALUE_Y)
        with TransientObject.allocate(tee.TEE_TYPE_GENERIC_SECRET, 256) as shared:
            with keyed(
                tee.TEE_ALG_ECDH_DERIVE_SHARED_SECRET, tee.TEE_MODE_DERIVE, pair
            ) as op:
                op.derive_key(
                    [
                        Attribute.ref(
                            tee.TEE_ATTR_ECC_PUBLIC_VALUE_X,
                            peer_numbers.x.to_bytes(32, "big"),
                        ),
                        Attribute.ref(
                            tee.TEE_ATTR_ECC_PUBLIC_VALUE_Y,
                            peer_numbers.y.to_bytes(32, "big"),
                        ),
                    ],
                    shared,
                )
            secret = shared.get_buffer_attribute(tee.TEE_ATTR_SECRET_VALUE)
    ours = ec.EllipticCurvePublicNumbers(
        int.from_bytes(x, "big"), int.from_bytes(y, "big"), ec.SECP256R1()
    ).public_key()
    assert secret == peer.exchange(ec.ECDH(), ours)


def test_an_ed25519_signature_of_the_tee_verifies_with_cryptography() -> None:
    with TransientObject.allocate(tee.TEE_TYPE_ED25519_KEYPAIR, 256) as pair:
        pair.generate_key(256)
        public = pair.get_buffer_attribute(tee.TEE_ATTR_ED25519_PUBLIC_VALUE)
        with keyed(tee.TEE_ALG_ED25519, tee.TEE_MODE_SIGN, pair) as op:
            signature = op.sign_digest(b"the whole message")
    assert len(signature) == 64
    Ed25519PublicKey.from_public_bytes(public).verify(signature, b"the whole message")


def test_sm2_encryption_round_trips_in_the_tee() -> None:
    message = b"SM2 public-key encryption"
    with TransientObject.allocate(tee.TEE_TYPE_SM2_PKE_KEYPAIR, 256) as pair:
        pair.generate_key(256)
        with keyed(tee.TEE_ALG_SM2_PKE, tee.TEE_MODE_ENCRYPT, pair) as op:
            sealed = op.encrypt(message)
        assert len(sealed) == 1 + 64 + 32 + len(message)  # C1 || C3 || C2
        with keyed(tee.TEE_ALG_SM2_PKE, tee.TEE_MODE_DECRYPT, pair) as op:
            assert op.decrypt(sealed) == message


def rsa_keypair(private: rsa.RSAPrivateKey) -> TransientObject:
    numbers = private.private_numbers()
    size = private.key_size

    def octets(value: int) -> bytes:
        return value.to_bytes((value.bit_length() + 7) // 8, "big")

    pair = TransientObject.allocate(tee.TEE_TYPE_RSA_KEYPAIR, size)
    pair.populate(
        Attribute.ref(getattr(tee, "TEE_ATTR_RSA_" + name), octets(value))
        for name, value in (
            ("MODULUS", numbers.public_numbers.n),
            ("PUBLIC_EXPONENT", numbers.public_numbers.e),
            ("PRIVATE_EXPONENT", numbers.d),
            ("PRIME1", numbers.p),
            ("PRIME2", numbers.q),
            ("EXPONENT1", numbers.dmp1),
            ("EXPONENT2", numbers.dmq1),
            ("COEFFICIENT", numbers.iqmp),
        )
    )
    return pair


@pytest.fixture(scope="module")
def rsa_private() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def oaep(label: bytes | None = None) -> padding.OAEP:
    return padding.OAEP(padding.MGF1(hashes.SHA256()), hashes.SHA256(), label)


def test_rsa_oaep_works_both_ways_with_cryptography(
    rsa_private: rsa.RSAPrivateKey,
) -> None:
    message = b"card number 4111 1111 1111 1111"
    alg = tee.TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA256
    with rsa_keypair(rsa_private) as pair:
        with keyed(alg, tee.TEE_MODE_ENCRYPT, pair) as op:
            sealed = op.encrypt(message)
        assert len(sealed) == 256
        assert rsa_private.decrypt(sealed, oaep()) == message
        with keyed(alg, tee.TEE_MODE_DECRYPT, pair) as op:
            assert (
                op.decrypt(rsa_private.public_key().encrypt(message, oaep())) == message
            )
            label = Attribute.ref(tee.TEE_ATTR_RSA_OAEP_LABEL, b"label")
            labelled = rsa_private.public_key().encrypt(message, oaep(b"label"))
            assert op.decrypt(labelled, [label]) == message


def test_an_rsa_key_generated_in_the_tee_signs_pss_for_cryptography() -> None:
    digest = hashlib.sha256(b"pss").digest()
    with TransientObject.allocate(tee.TEE_TYPE_RSA_KEYPAIR, 1024) as pair:
        pair.generate_key(1024)
        n = int.from_bytes(pair.get_buffer_attribute(tee.TEE_ATTR_RSA_MODULUS), "big")
        e = pair.get_buffer_attribute(tee.TEE_ATTR_RSA_PUBLIC_EXPONENT)
        assert n.bit_length() == 1024 and int.from_bytes(e, "big") == 65537
        alg = tee.TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA256
        with keyed(alg, tee.TEE_MODE_SIGN, pair) as op:
            signature = op.sign_digest(
                digest, [Attribute.value(tee.TEE_ATTR_RSA_PSS_SALT_LENGTH, 32)]
            )
    public = rsa.RSAPublicNumbers(int.from_bytes(e, "big"), n).public_key()
    public.verify(
        signature,
        digest,
        padding.PSS(padding.MGF1(hashes.SHA256()), 32),
        Prehashed(hashes.SHA256()),
    )


# ---- objects ----------------------------------------------------------------


@pytest.mark.parametrize("bits", [128, 192, 256])
def test_generated_aes_keys_have_the_size_asked(bits: int) -> None:
    with (
        TransientObject.allocate(tee.TEE_TYPE_AES, 256) as one,
        TransientObject.allocate(tee.TEE_TYPE_AES, 256) as two,
    ):
        one.generate_key(bits)
        two.generate_key(bits)
        info = one.info
        assert (info.object_type, info.object_size, info.max_object_size) == (
            tee.TEE_TYPE_AES,
            bits,
            256,
        )
        assert info.handle_flags & tee.TEE_HANDLE_FLAG_INITIALIZED
        first = one.get_buffer_attribute(tee.TEE_ATTR_SECRET_VALUE)
        assert len(first) == bits // 8
        assert first != two.get_buffer_attribute(tee.TEE_ATTR_SECRET_VALUE)


def test_unsupported_sizes_and_types_raise_not_supported() -> None:
    aes = TransientObject.allocate(tee.TEE_TYPE_AES, 256)
    with aes, pytest.raises(NotSupported):
        aes.generate_key(100)
    with pytest.raises(NotSupported) as raised:
        TransientObject.allocate(tee.TEE_TYPE_DATA, 0)
    assert raised.value.origin == Origin.TEE
    assert raised.value.function == "TEE_AllocateTransientObject"


def test_a_secret_of_a_non_extractable_key_is_refused() -> None:
    with secret_key(tee.TEE_TYPE_AES, bytes(range(16))) as aes:
        aes.restrict_usage(~tee.TEE_USAGE_EXTRACTABLE & 0xFFFFFFFF)
        assert not aes.info.object_usage & tee.TEE_USAGE_EXTRACTABLE
        with pytest.raises(ValueError, match="not extractable"):
            aes.get_buffer_attribute(tee.TEE_ATTR_SECRET_VALUE)
        with pytest.raises(ItemNotFound):
            aes.get_buffer_attribute(tee.TEE_ATTR_RSA_MODULUS)  # public, absent
        with pytest.raises(ValueError, match="value attribute"):
            aes.get_buffer_attribute(tee.TEE_ATTR_ECC_CURVE)


def test_populate_reset_and_copy_follow_the_object_state() -> None:
    with secret_key(tee.TEE_TYPE_AES, bytes(16)) as aes:
        with pytest.raises(ValueError, match="already initialised"):
            aes.populate([Attribute.ref(tee.TEE_ATTR_SECRET_VALUE, bytes(16))])
        aes.reset()
        assert not aes.initialized
        aes.populate([Attribute.ref(tee.TEE_ATTR_SECRET_VALUE, b"\x01" * 16)])
        assert aes.get_buffer_attribute(tee.TEE_ATTR_SECRET_VALUE) == b"\x01" * 16
    with (
        p256_keypair() as pair,
        TransientObject.allocate(tee.TEE_TYPE_ECDSA_PUBLIC_KEY, 256) as public,
    ):
        public.copy_from(pair)  # the public part of the pair
        for attribute in (
            tee.TEE_ATTR_ECC_PUBLIC_VALUE_X,
            tee.TEE_ATTR_ECC_PUBLIC_VALUE_Y,
        ):
            assert public.get_buffer_attribute(attribute) == pair.get_buffer_attribute(
                attribute
            )
        other = TransientObject.allocate(tee.TEE_TYPE_AES, 256)
        with other, pytest.raises(ValueError, match="cannot copy"):
            other.copy_from(pair)


def test_attributes_are_checked_against_their_kind() -> None:
    with pytest.raises(ValueError, match="value attribute"):
        Attribute.ref(tee.TEE_ATTR_ECC_CURVE, b"x")
    with pytest.raises(ValueError, match="buffer attribute"):
        Attribute.value(tee.TEE_ATTR_SECRET_VALUE, 1)
    with pytest.raises(TypeError):
        Attribute.ref(tee.TEE_ATTR_SECRET_VALUE, "text")
    assert Attribute.ref(tee.TEE_ATTR_SECRET_VALUE, bytearray(b"ab")).data == b"ab"


def test_closed_objects_and_operations_refuse_use() -> None:
    aes = TransientObject.allocate(tee.TEE_TYPE_AES, 128)
    aes.close()
    aes.close()  # idempotent
    assert aes.closed
    with pytest.raises(ClosedError):
        aes.generate_key(128)
    op = Operation(tee.TEE_ALG_SHA256, tee.TEE_MODE_DIGEST)
    op.close()
    with pytest.raises(ClosedError):
        op.update(b"x")
    assert repr(op).endswith("closed>")


# ---- operation misuse, refused before libtee panics -------------------------


def test_operation_misuse_raises_instead_of_panicking() -> None:
    cbc, encrypt = tee.TEE_ALG_AES_CBC_NOPAD, tee.TEE_MODE_ENCRYPT
    key = secret_key(tee.TEE_TYPE_AES, bytes(32))
    op = Operation(cbc, encrypt, 256)
    small = Operation(cbc, encrypt, 128)
    with key, op, small:
        with pytest.raises(ValueError, match="no key"):
            op.init(bytes(16))
        op.set_key(key)
        with pytest.raises(ValueError, match="not initialised"):
            op.update(bytes(16))
        with pytest.raises(TypeError, match="cipher"):
            op.extract(4)
        op.init(bytes(16))
        with pytest.raises(ValueError, match="reset"):
            op.set_key(key)
        op.reset()
        op.set_key(key)
        with pytest.raises(ValueError, match="exceeds"):
            small.set_key(key)
    digest = Operation(tee.TEE_ALG_SHA256, tee.TEE_MODE_DIGEST)
    with digest, pytest.raises(TypeError, match="digest"):
        digest.set_key(None)
    with p256_keypair() as pair:
        signer = keyed(tee.TEE_ALG_ECDSA_SHA256, tee.TEE_MODE_SIGN, pair)
        with signer, pytest.raises(ValueError, match="verify_digest"):
            signer.verify_digest(bytes(32), bytes(64))


def test_operation_info_reports_keys_and_state() -> None:
    hmac_sha256, mac = tee.TEE_ALG_HMAC_SHA256, tee.TEE_MODE_MAC
    with secret_op(hmac_sha256, mac, tee.TEE_TYPE_HMAC_SHA256, bytes(32)) as op:
        info = op.info
        assert (info.algorithm, info.operation_class, info.mode) == (
            hmac_sha256,
            tee.TEE_OPERATION_MAC,
            mac,
        )
        assert (info.digest_length, info.key_size) == (32, 256)
        assert info.handle_state & tee.TEE_HANDLE_FLAG_KEY_SET
        multiple = op.info_multiple()
        assert multiple.operation_state == tee.TEE_OPERATION_STATE_INITIAL
        assert [k.key_size for k in multiple.keys] == [256]
        op.init()
        assert op.info_multiple().operation_state == tee.TEE_OPERATION_STATE_ACTIVE


def test_a_bad_algorithm_raises_not_supported() -> None:
    with pytest.raises(NotSupported) as raised:
        Operation(tee.TEE_ALG_ILLEGAL_VALUE, tee.TEE_MODE_DIGEST)
    assert raised.value.code == Result.NOT_SUPPORTED
    assert raised.value.origin == Origin.TEE
    assert raised.value.function == "TEE_AllocateOperation"
    with pytest.raises(NotSupported):
        Operation(tee.TEE_ALG_SHA256, tee.TEE_MODE_ENCRYPT)
    assert is_algorithm_supported(tee.TEE_ALG_AES_GCM)
    assert is_algorithm_supported(tee.TEE_ALG_ECDSA_SHA256, tee.TEE_ECC_CURVE_NIST_P256)
    assert not is_algorithm_supported(tee.TEE_ALG_ILLEGAL_VALUE)


# ---- random numbers -----------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 31, 4096])
def test_random_bytes_have_the_length_asked(size: int) -> None:
    assert len(generate_random(size)) == size


def test_random_bytes_differ_from_call_to_call() -> None:
    assert generate_random(32) != generate_random(32)
    with pytest.raises(ValueError):
        generate_random(-1)


# ---- arithmetic ---------------------------------------------------------------

BIG = st.integers(min_value=-(2**600), max_value=2**600)
ODD_MODULUS = st.integers(min_value=3, max_value=2**300).map(lambda n: n | 1)


@settings(max_examples=60, deadline=None)
@given(BIG)
def test_a_bigint_holds_any_int(value: int) -> None:
    number = BigInt(value)
    assert int(number) == value
    assert number.bit_length() == value.bit_length()
    assert number.sign() == (value > 0) - (value < 0)
    magnitude = abs(value)
    assert number.to_bytes() == magnitude.to_bytes(
        (magnitude.bit_length() + 7) // 8, "big"
    )
    assert int(BigInt.from_bytes(number.to_bytes(), value < 0)) == value


@settings(max_examples=60, deadline=None)
@given(BIG, BIG)
def test_bigint_basic_operations_match_int(a: int, b: int) -> None:
    x, y = BigInt(a), BigInt(b)
    assert int(x + y) == a + b
    assert int(x - y) == a - b
    assert int(x * y) == a * b
    assert int(-x) == -a
    assert int(abs(x)) == abs(a)
    assert int(x.square()) == a * a
    assert (x < y, x == y, x >= y) == (a < b, a == b, a >= b)
    assert x.cmp(b) == (a > b) - (a < b)
    if b:
        quotient, remainder = x.div(y)
        truncated = abs(a) // abs(b) * (1 if (a < 0) == (b < 0) else -1)
        assert (int(quotient), int(remainder)) == (truncated, a - truncated * b)


@settings(max_examples=60, deadline=None)
@given(BIG, BIG, ODD_MODULUS, st.integers(min_value=0, max_value=2**64))
def test_bigint_modular_operations_match_int(a: int, b: int, n: int, e: int) -> None:
    x = BigInt(a)
    assert int(x % n) == a % n
    assert int(x.add_mod(b, n)) == (a + b) % n
    assert int(x.sub_mod(b, n)) == (a - b) % n
    assert int(x.mul_mod(b, n)) == (a * b) % n
    assert int(x.square_mod(n)) == (a * a) % n
    assert int(x.exp_mod(e, n)) == pow(a, e, n)
    if math.gcd(a, n) == 1:
        assert int(x.inv_mod(n)) == pow(a, -1, n)
        assert x.relative_prime(n)
    else:
        with pytest.raises(ValueError, match="no inverse"):
            x.inv_mod(n)


@settings(max_examples=60, deadline=None)
@given(BIG, BIG)
def test_bigint_extended_gcd_gives_bezout_coefficients(a: int, b: int) -> None:
    gcd, u, v = BigInt(a).extended_gcd(b)
    assert int(gcd) == math.gcd(a, b)
    assert int(u) * a + int(v) * b == int(gcd)


def test_bigint_bits_shifts_and_primes() -> None:
    value = BigInt(-(2**100 + 5))
    assert int(value >> 2) == -((2**100 + 5) >> 2)  # the sign is kept
    assert value.get_bit(100) and value.get_bit(0) and not value.get_bit(1)
    assert BigInt(2**127 - 1).is_probable_prime() is True
    assert BigInt(2**127 + 1).is_probable_prime() is False
    assert sorted([BigInt(3), BigInt(-7), BigInt(0)]) == [-7, 0, 3]
    assert 10 - BigInt(3) == 7 and 2 * BigInt(21) == 42
    # leading zero octets need no room
    assert int(BigInt.from_bytes(bytes(3000) + b"\x05", negative=True)) == -5


def test_bigint_misuse_raises_instead_of_panicking() -> None:
    with pytest.raises(ZeroDivisionError):
        BigInt(5).div(0)
    with pytest.raises(ValueError, match="modulus"):
        BigInt(5) % 1
    with pytest.raises(ValueError, match="exponent"):
        BigInt(5).exp_mod(-1, 7)
    with pytest.raises(NotSupported):
        BigInt(5).exp_mod(3, 8)  # libtee: even moduli are not supported
    with pytest.raises(OverflowError):
        BigInt(1 << MAX_BITS)
    big = BigInt((1 << MAX_BITS) - 1)
    with pytest.raises(OverflowError):
        big * big
    with pytest.raises(TypeError):
        BigInt("12")  # type: ignore[arg-type]


# ---- time and the TEE's properties -------------------------------------------


def test_system_time_runs_forward_and_ree_time_is_the_wall_clock() -> None:
    before = system_time()
    time.sleep(0.02)
    after = system_time()
    assert after.total_seconds() - before.total_seconds() >= 0.015
    assert 0 <= after.millis <= 999
    assert abs(ree_time().total_seconds() - time.time()) < 2


def test_the_tee_implementation_properties_read_in_every_type() -> None:
    assert [int(p) for p in PropSet] == [
        tee.TEE_PROPSET_TEE_IMPLEMENTATION,
        tee.TEE_PROPSET_CURRENT_CLIENT,
        tee.TEE_PROPSET_CURRENT_TA,
    ]
    implementation = PropSet.TEE_IMPLEMENTATION
    assert get_string(implementation, "gpd.tee.apiversion") == "1.3.1"
    assert get_u32(implementation, "gpd.tee.arith.maxBigIntSize") == 2048
    assert get_bool(implementation, "gpd.tee.cryptography.ecc") is True
    device = get_uuid(implementation, "gpd.tee.deviceID")
    listed = dict(properties(implementation))
    assert listed["gpd.tee.deviceID"] == str(device)
    assert listed["gpd.tee.apiversion"] == "1.3.1"
    assert listed["gpd.tee.arith.maxBigIntSize"] == "2048"
    with pytest.raises(BadFormat):
        get_u32(implementation, "gpd.tee.description")
    with pytest.raises(ItemNotFound):
        get_string(implementation, "no.such.property")


def test_abi_bits_copied_into_the_modules_match_libtee() -> None:
    assert objects._ATTR_FLAG_VALUE == tee.TEE_ATTR_FLAG_VALUE
    assert objects._ATTR_FLAG_PUBLIC == tee.TEE_ATTR_FLAG_PUBLIC
    assert objects._HANDLE_FLAG_INITIALIZED == tee.TEE_HANDLE_FLAG_INITIALIZED
    assert objects._USAGE_EXTRACTABLE == tee.TEE_USAGE_EXTRACTABLE
    assert objects._OBJECT_ID_MAX_LEN == tee.TEE_OBJECT_ID_MAX_LEN
    open_flags = (
        tee.TEE_DATA_FLAG_ACCESS_READ
        | tee.TEE_DATA_FLAG_ACCESS_WRITE
        | tee.TEE_DATA_FLAG_ACCESS_WRITE_META
        | tee.TEE_DATA_FLAG_SHARE_READ
        | tee.TEE_DATA_FLAG_SHARE_WRITE
    )
    assert open_flags == objects._OPEN_FLAGS
    assert open_flags | tee.TEE_DATA_FLAG_OVERWRITE == objects._CREATE_FLAGS
    assert operation._HANDLE_FLAG_KEY_SET == tee.TEE_HANDLE_FLAG_KEY_SET
    assert operation._HANDLE_FLAG_EXPECT_TWO_KEYS == tee.TEE_HANDLE_FLAG_EXPECT_TWO_KEYS
    assert operation._STATE_EXTRACTING == tee.TEE_OPERATION_STATE_EXTRACTING
    assert (operation._CIPHER, operation._MAC, operation._AE, operation._DIGEST) == (
        tee.TEE_OPERATION_CIPHER,
        tee.TEE_OPERATION_MAC,
        tee.TEE_OPERATION_AE,
        tee.TEE_OPERATION_DIGEST,
    )
    assert (
        operation._ASYM_CIPHER,
        operation._ASYM_SIGNATURE,
        operation._KEY_DERIVATION,
    ) == (
        tee.TEE_OPERATION_ASYMMETRIC_CIPHER,
        tee.TEE_OPERATION_ASYMMETRIC_SIGNATURE,
        tee.TEE_OPERATION_KEY_DERIVATION,
    )
    modes_ = (tee.TEE_MODE_ENCRYPT, tee.TEE_MODE_DECRYPT, tee.TEE_MODE_SIGN)
    assert modes_ == (
        operation._MODE_ENCRYPT,
        operation._MODE_DECRYPT,
        operation._MODE_SIGN,
    )


# ---- Internal Client API, from this process to the C test TA ------------------


@pytest.fixture
def peer() -> Iterator[TASession]:
    with TASession(TA_TEST_UUID) as session:
        yield session


def test_ta_session_returns_outputs_in_order(peer: TASession) -> None:
    assert peer.invoke(1, ValueIn(2, 3), ValueOut()) == (ValuePair(5, 2 ^ 3),)
    assert peer.invoke(2, ValueInOut(10, 20)) == ((11, 22),)
    assert peer.invoke(3, MemrefIn(bytes([1, 2, 3])), ValueOut()) == ((6, 3),)
    assert peer.invoke(5, MemrefInOut(b"abcdef")) == (b"fedcba",)
    # the callee sees the whole room, and its reported size trims the output
    assert peer.invoke(6, ValueIn(3), MemrefOut(64)) == (bytes([0, 1, 2]),)


def test_ta_session_short_buffer_carries_the_size_the_callee_asked(
    peer: TASession,
) -> None:
    for room in (MemrefOut(2), MemrefOut(0)):  # MemrefOut(0): a null memref
        with pytest.raises(ShortBuffer) as raised:
            peer.invoke(6, ValueIn(40), room)
        assert raised.value.required_size == 40
        assert raised.value.sizes == (None, 40)
        assert raised.value.origin == Origin.TRUSTED_APP


def test_ta_session_errors_keep_the_callee_code_and_origin(peer: TASession) -> None:
    with pytest.raises(NotSupported) as raised:
        peer.invoke(0xDEAD)
    assert (raised.value.origin, raised.value.function) == (
        Origin.TRUSTED_APP,
        "TEE_InvokeTACommand",
    )
    with pytest.raises(TargetDead) as dead:
        peer.invoke(8, ValueIn(0x1234))  # the callee panics
    assert dead.value.origin == Origin.TEE
    peer.close()
    peer.close()
    with pytest.raises(ClosedError):
        peer.invoke(0)


def test_ta_session_refuses_what_is_not_a_parameter() -> None:
    with pytest.raises(ItemNotFound):
        TASession("00000000-0000-4000-8000-000000000000")
    with pytest.raises(TypeError):
        TASession(TA_TEST_UUID, 5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        MemrefOut(-1)
