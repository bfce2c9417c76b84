"""libtee: RSA key generation, signatures and encryption (GP 5.6.5, 6.7).

Every scheme runs both ways against ``cryptography`` (the TA signs or
encrypts, ``cryptography`` verifies or decrypts, and the reverse), and the
PKCS #1 v2.1 and NIST CAVP vectors of tests/vectors check exact results.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator

import pytest
from asym_ta import (
    TA_ASYM_TEST_UUID,
    AsymTA,
    G,
    be,
    rsa_attrs,
    rsa_public_attrs,
    vector_records,
)
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from pytee import (
    BadParameters,
    Context,
    NotSupported,
    ShortBuffer,
    SignatureInvalid,
    TargetDead,
)

RSA_KEY_ATTRS = ("n", "e", "d", "p", "q", "dp", "dq", "qinv")

# (hash name, cryptography hash, PKCS#1 v1.5 id, PSS id, OAEP id)
HASHES = [
    ("md5", hashes.MD5(), G.ALG_RSASSA_PKCS1_V1_5_MD5,
     G.ALG_RSASSA_PKCS1_PSS_MGF1_MD5, G.ALG_RSAES_PKCS1_OAEP_MGF1_MD5),
    ("sha1", hashes.SHA1(), G.ALG_RSASSA_PKCS1_V1_5_SHA1,
     G.ALG_RSASSA_PKCS1_PSS_MGF1_SHA1, G.ALG_RSAES_PKCS1_OAEP_MGF1_SHA1),
    ("sha224", hashes.SHA224(), G.ALG_RSASSA_PKCS1_V1_5_SHA224,
     G.ALG_RSASSA_PKCS1_PSS_MGF1_SHA224, G.ALG_RSAES_PKCS1_OAEP_MGF1_SHA224),
    ("sha256", hashes.SHA256(), G.ALG_RSASSA_PKCS1_V1_5_SHA256,
     G.ALG_RSASSA_PKCS1_PSS_MGF1_SHA256, G.ALG_RSAES_PKCS1_OAEP_MGF1_SHA256),
    ("sha384", hashes.SHA384(), G.ALG_RSASSA_PKCS1_V1_5_SHA384,
     G.ALG_RSASSA_PKCS1_PSS_MGF1_SHA384, G.ALG_RSAES_PKCS1_OAEP_MGF1_SHA384),
    ("sha512", hashes.SHA512(), G.ALG_RSASSA_PKCS1_V1_5_SHA512,
     G.ALG_RSASSA_PKCS1_PSS_MGF1_SHA512, G.ALG_RSAES_PKCS1_OAEP_MGF1_SHA512),
]  # fmt: skip
HASH_IDS = [h[0] for h in HASHES]
MESSAGE = b"pytee says hello to RSA"


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(65537, 2048)


@pytest.fixture
def ta(context: Context) -> Iterator[AsymTA]:
    with context.open_session(TA_ASYM_TEST_UUID) as session:
        yield AsymTA(session)


def pair_and_public(ta: AsymTA, key: rsa.RSAPrivateKey) -> tuple[int, int]:
    pair = ta.import_key(G.TYPE_RSA_KEYPAIR, key.key_size, rsa_attrs(key))
    pub = ta.import_key(
        G.TYPE_RSA_PUBLIC_KEY, key.key_size, rsa_public_attrs(key.public_key())
    )
    return pair, pub


def h(x: str) -> bytes:
    return bytes.fromhex(x)


# ---- key generation ---------------------------------------------------------


def test_generated_key_pair_is_consistent_and_usable(ta: AsymTA) -> None:
    kid = ta.generate_key(G.TYPE_RSA_KEYPAIR, 1024)
    n, e, d, p, q, dp, dq, qinv = (
        ta.attr_int(kid, attr)
        for attr in (
            G.ATTR_RSA_MODULUS, G.ATTR_RSA_PUBLIC_EXPONENT,
            G.ATTR_RSA_PRIVATE_EXPONENT, G.ATTR_RSA_PRIME1, G.ATTR_RSA_PRIME2,
            G.ATTR_RSA_EXPONENT1, G.ATTR_RSA_EXPONENT2, G.ATTR_RSA_COEFFICIENT,
        )
    )  # fmt: skip
    assert n.bit_length() == 1024 and p * q == n and e == 65537
    assert (d * e) % math.lcm(p - 1, q - 1) == 1
    assert dp == d % (p - 1) and dq == d % (q - 1) and (qinv * q) % p == 1
    # the public key cryptography builds from the attributes checks the TA
    public = rsa.RSAPublicNumbers(e, n).public_key()
    digest = hashlib.sha256(MESSAGE).digest()
    sig = ta.sign(G.ALG_RSASSA_PKCS1_V1_5_SHA256, kid, digest)
    public.verify(sig, MESSAGE, padding.PKCS1v15(), hashes.SHA256())


def test_generation_takes_a_public_exponent(ta: AsymTA) -> None:
    kid = ta.generate_key(
        G.TYPE_RSA_KEYPAIR, 512, [(G.ATTR_RSA_PUBLIC_EXPONENT, be(65539))]
    )
    assert ta.attr_int(kid, G.ATTR_RSA_PUBLIC_EXPONENT) == 65539


def test_generation_refuses_an_exponent_below_65537(ta: AsymTA) -> None:
    # OP-TEE's rule (NIST SP 800-56B): TEE_GenerateKey panics
    with pytest.raises(TargetDead):
        ta.generate_key(G.TYPE_RSA_KEYPAIR, 512, [(G.ATTR_RSA_PUBLIC_EXPONENT, be(3))])


def test_generation_under_512_bits_is_not_supported(ta: AsymTA) -> None:
    # OpenSSL 3 makes no smaller RSA key; OP-TEE allows 256 and up
    with pytest.raises(NotSupported):
        ta.generate_key(G.TYPE_RSA_KEYPAIR, 256)


# ---- PKCS#1 v1.5 signatures -------------------------------------------------


@pytest.mark.parametrize("hname, chash, v15, pss, oaep", HASHES, ids=HASH_IDS)
def test_pkcs1_v15_signatures_both_ways(
    ta: AsymTA, key: rsa.RSAPrivateKey, hname: str, chash: hashes.HashAlgorithm,
    v15: int, pss: int, oaep: int,
) -> None:  # fmt: skip
    pair, pub = pair_and_public(ta, key)
    digest = hashlib.new(hname, MESSAGE).digest()
    sig = ta.sign(v15, pair, digest)
    key.public_key().verify(sig, MESSAGE, padding.PKCS1v15(), chash)
    theirs = key.sign(MESSAGE, padding.PKCS1v15(), chash)
    # PKCS#1 v1.5 is deterministic: both sides sign alike
    assert theirs == sig
    ta.verify(v15, pub, digest, theirs)
    with pytest.raises(SignatureInvalid):
        ta.verify(v15, pub, digest, theirs[:-1] + bytes([theirs[-1] ^ 1]))


def test_pkcs1_v15_without_digest_info_pads_the_input_as_given(
    ta: AsymTA, key: rsa.RSAPrivateKey
) -> None:
    pair, pub = pair_and_public(ta, key)
    data = b"any bytes, not a DigestInfo"
    sig = ta.sign(G.ALG_RSASSA_PKCS1_V1_5, pair, data)
    assert (
        key.public_key().recover_data_from_signature(sig, padding.PKCS1v15(), None)
        == data
    )
    # the reverse: EMSA-PKCS1-v1_5 block type 1 built here, raised to d
    k = key.key_size // 8
    em = b"\x00\x01" + b"\xff" * (k - 3 - len(data)) + b"\x00" + data
    priv = key.private_numbers()
    theirs = pow(int.from_bytes(em, "big"), priv.d, priv.public_numbers.n)
    ta.verify(G.ALG_RSASSA_PKCS1_V1_5, pub, data, theirs.to_bytes(k, "big"))


def test_pkcs1_v15_signature_vectors(ta: AsymTA) -> None:
    records = vector_records("rsa_pkcs1v15_sign_pkcs1v21.txt", RSA_KEY_ATTRS)
    rec = records[0]
    attrs = [
        (G.ATTR_RSA_MODULUS, h(rec["n"])),
        (G.ATTR_RSA_PUBLIC_EXPONENT, h(rec["e"])),
        (G.ATTR_RSA_PRIVATE_EXPONENT, h(rec["d"])),
        (G.ATTR_RSA_PRIME1, h(rec["p"])),
        (G.ATTR_RSA_PRIME2, h(rec["q"])),
        (G.ATTR_RSA_EXPONENT1, h(rec["dp"])),
        (G.ATTR_RSA_EXPONENT2, h(rec["dq"])),
        (G.ATTR_RSA_COEFFICIENT, h(rec["qinv"])),
    ]
    kid = ta.import_key(G.TYPE_RSA_KEYPAIR, 1024, attrs)
    for rec in records:
        digest = hashlib.sha1(h(rec["msg"])).digest()
        assert ta.sign(G.ALG_RSASSA_PKCS1_V1_5_SHA1, kid, digest) == h(rec["sig"])


def test_nist_pkcs1_v15_signatures_verify(ta: AsymTA) -> None:
    ids = {
        "SHA1": G.ALG_RSASSA_PKCS1_V1_5_SHA1,
        "SHA224": G.ALG_RSASSA_PKCS1_V1_5_SHA224,
        "SHA256": G.ALG_RSASSA_PKCS1_V1_5_SHA256,
        "SHA384": G.ALG_RSASSA_PKCS1_V1_5_SHA384,
        "SHA512": G.ALG_RSASSA_PKCS1_V1_5_SHA512,
    }
    records = vector_records("rsa_siggen15_186-3_2048.rsp", ("n", "e"))
    rec = records[0]
    pub = ta.import_key(
        G.TYPE_RSA_PUBLIC_KEY,
        2048,
        [(G.ATTR_RSA_MODULUS, h(rec["n"])), (G.ATTR_RSA_PUBLIC_EXPONENT, h(rec["e"]))],
    )
    assert {r["SHAAlg"] for r in records} == set(ids)
    for rec in records:
        digest = hashlib.new(rec["SHAAlg"].lower(), h(rec["Msg"])).digest()
        ta.verify(ids[rec["SHAAlg"]], pub, digest, h(rec["S"]))
        with pytest.raises(SignatureInvalid):
            ta.verify(ids[rec["SHAAlg"]], pub, bytes(len(digest)), h(rec["S"]))


def test_signing_a_key_without_crt_values_gives_the_same_signature(
    ta: AsymTA, key: rsa.RSAPrivateKey
) -> None:
    kid = ta.import_key(G.TYPE_RSA_KEYPAIR, 2048, rsa_attrs(key, crt=False))
    digest = hashlib.sha256(MESSAGE).digest()
    expected = key.sign(MESSAGE, padding.PKCS1v15(), hashes.SHA256())
    assert ta.sign(G.ALG_RSASSA_PKCS1_V1_5_SHA256, kid, digest) == expected


# ---- PSS --------------------------------------------------------------------


@pytest.mark.parametrize("hname, chash, v15, pss, oaep", HASHES, ids=HASH_IDS)
def test_pss_signatures_both_ways(
    ta: AsymTA, key: rsa.RSAPrivateKey, hname: str, chash: hashes.HashAlgorithm,
    v15: int, pss: int, oaep: int,
) -> None:  # fmt: skip
    pair, pub = pair_and_public(ta, key)
    digest = hashlib.new(hname, MESSAGE).digest()
    # the salt is as long as the digest unless a parameter says otherwise
    sig = ta.sign(pss, pair, digest)
    key.public_key().verify(
        sig, MESSAGE, padding.PSS(padding.MGF1(chash), len(digest)), chash
    )
    theirs = key.sign(MESSAGE, padding.PSS(padding.MGF1(chash), len(digest)), chash)
    ta.verify(pss, pub, digest, theirs)
    with pytest.raises(SignatureInvalid):
        ta.verify(pss, pub, bytes(len(digest)), theirs)


def test_pss_salt_length_parameter(ta: AsymTA, key: rsa.RSAPrivateKey) -> None:
    pair, pub = pair_and_public(ta, key)
    digest = hashlib.sha256(MESSAGE).digest()
    salt = [(G.ATTR_RSA_PSS_SALT_LENGTH, (0, 0))]
    sig = ta.sign(G.ALG_RSASSA_PKCS1_PSS_MGF1_SHA256, pair, digest, salt)
    pss0 = padding.PSS(padding.MGF1(hashes.SHA256()), 0)
    key.public_key().verify(sig, MESSAGE, pss0, hashes.SHA256())
    # salt 0 is deterministic, and verification checks the salt length
    assert sig == key.sign(MESSAGE, pss0, hashes.SHA256())
    ta.verify(G.ALG_RSASSA_PKCS1_PSS_MGF1_SHA256, pub, digest, sig, salt)
    with pytest.raises(SignatureInvalid):
        ta.verify(G.ALG_RSASSA_PKCS1_PSS_MGF1_SHA256, pub, digest, sig)


def test_pss_vectors_verify(ta: AsymTA) -> None:
    records = vector_records("rsa_pss_pkcs1v21.txt", RSA_KEY_ATTRS)
    pub = ta.import_key(
        G.TYPE_RSA_PUBLIC_KEY,
        1024,
        [
            (G.ATTR_RSA_MODULUS, h(records[0]["n"])),
            (G.ATTR_RSA_PUBLIC_EXPONENT, h(records[0]["e"])),
        ],
    )
    for rec in records:
        digest = hashlib.sha1(h(rec["msg"])).digest()
        ta.verify(G.ALG_RSASSA_PKCS1_PSS_MGF1_SHA1, pub, digest, h(rec["sig"]))


# ---- encryption -------------------------------------------------------------


def mgf1(hname: str, seed: bytes, length: int) -> bytes:
    out = b""
    counter = 0
    while len(out) < length:
        out += hashlib.new(hname, seed + counter.to_bytes(4, "big")).digest()
        counter += 1
    return out[:length]


def xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b))


def oaep_decrypt(key: rsa.RSAPrivateKey, hname: str, ct: bytes, label: bytes) -> bytes:
    """RFC 8017 7.1.2, for the hashes ``cryptography`` refuses (MD5)."""
    priv = key.private_numbers()
    k = key.key_size // 8
    em = pow(int.from_bytes(ct, "big"), priv.d, priv.public_numbers.n).to_bytes(
        k, "big"
    )
    hlen = hashlib.new(hname).digest_size
    seed = xor(em[1 : 1 + hlen], mgf1(hname, em[1 + hlen :], hlen))
    db = xor(em[1 + hlen :], mgf1(hname, seed, k - hlen - 1))
    assert em[0] == 0 and db[:hlen] == hashlib.new(hname, label).digest()
    return db[hlen:].lstrip(b"\x00")[1:]


def oaep_encrypt(key: rsa.RSAPublicKey, hname: str, msg: bytes, label: bytes) -> bytes:
    """RFC 8017 7.1.1 with a fixed seed (enough for a test)."""
    k = key.key_size // 8
    hlen = hashlib.new(hname).digest_size
    db = hashlib.new(hname, label).digest()
    db += bytes(k - len(msg) - 2 * hlen - 2) + b"\x01" + msg
    seed = bytes(range(hlen))
    masked_db = xor(db, mgf1(hname, seed, len(db)))
    em = b"\x00" + xor(seed, mgf1(hname, masked_db, hlen)) + masked_db
    pub = key.public_numbers()
    return pow(int.from_bytes(em, "big"), pub.e, pub.n).to_bytes(k, "big")


@pytest.mark.parametrize("hname, chash, v15, pss, oaep", HASHES, ids=HASH_IDS)
def test_oaep_both_ways(
    ta: AsymTA, key: rsa.RSAPrivateKey, hname: str, chash: hashes.HashAlgorithm,
    v15: int, pss: int, oaep: int,
) -> None:  # fmt: skip
    pair, pub = pair_and_public(ta, key)
    label = b"a label"
    ct = ta.encrypt(oaep, pub, MESSAGE, [(G.ATTR_RSA_OAEP_LABEL, label)])
    assert len(ct) == 256
    if hname == "md5":  # cryptography has no OAEP with MD5
        assert oaep_decrypt(key, hname, ct, label) == MESSAGE
        theirs = oaep_encrypt(key.public_key(), hname, MESSAGE, label)
    else:
        scheme = padding.OAEP(padding.MGF1(chash), chash, label)
        assert key.decrypt(ct, scheme) == MESSAGE
        theirs = key.public_key().encrypt(MESSAGE, scheme)
    assert ta.decrypt(oaep, pair, theirs, [(G.ATTR_RSA_OAEP_LABEL, label)]) == MESSAGE
    # another label does not decrypt: a padding error is TEE_ERROR_BAD_PARAMETERS
    with pytest.raises(BadParameters):
        ta.decrypt(oaep, pair, theirs)


def test_oaep_mgf1_hash_parameter(ta: AsymTA, key: rsa.RSAPrivateKey) -> None:
    pair, pub = pair_and_public(ta, key)
    mgf = [(G.ATTR_RSA_OAEP_MGF_HASH, G.ALG_SHA1.to_bytes(4, "little"))]
    scheme = padding.OAEP(padding.MGF1(hashes.SHA1()), hashes.SHA256(), None)
    ct = ta.encrypt(G.ALG_RSAES_PKCS1_OAEP_MGF1_SHA256, pub, MESSAGE, mgf)
    assert key.decrypt(ct, scheme) == MESSAGE
    theirs = key.public_key().encrypt(MESSAGE, scheme)
    assert ta.decrypt(G.ALG_RSAES_PKCS1_OAEP_MGF1_SHA256, pair, theirs, mgf) == MESSAGE
    # not a 4-byte buffer: TEE_ERROR_BAD_PARAMETERS
    with pytest.raises(BadParameters):
        ta.encrypt(G.ALG_RSAES_PKCS1_OAEP_MGF1_SHA256, pub, MESSAGE,
                   [(G.ATTR_RSA_OAEP_MGF_HASH, b"\x02\x00\x00\x50\x00")])  # fmt: skip


def test_oaep_vectors_decrypt(ta: AsymTA) -> None:
    records = vector_records("rsa_oaep_pkcs1v21.txt", RSA_KEY_ATTRS)
    rec = records[0]
    kid = ta.import_key(
        G.TYPE_RSA_KEYPAIR,
        1024,
        [
            (G.ATTR_RSA_MODULUS, h(rec["n"])),
            (G.ATTR_RSA_PUBLIC_EXPONENT, h(rec["e"])),
            (G.ATTR_RSA_PRIVATE_EXPONENT, h(rec["d"])),
        ],
    )
    for rec in records:
        assert ta.decrypt(G.ALG_RSAES_PKCS1_OAEP_MGF1_SHA1, kid, h(rec["ct"])) == h(
            rec["msg"]
        )


def test_pkcs1_v15_encryption_both_ways(ta: AsymTA, key: rsa.RSAPrivateKey) -> None:
    pair, pub = pair_and_public(ta, key)
    ct = ta.encrypt(G.ALG_RSAES_PKCS1_V1_5, pub, MESSAGE)
    assert key.decrypt(ct, padding.PKCS1v15()) == MESSAGE
    theirs = key.public_key().encrypt(MESSAGE, padding.PKCS1v15())
    assert ta.decrypt(G.ALG_RSAES_PKCS1_V1_5, pair, theirs) == MESSAGE
    # a block of the signature type (00 01 FF..FF 00 M) is a padding error
    # for PKCS#1 v1.5 decryption, not a panic.  (Not an OAEP block: one in
    # 256 of those happens to start 00 02 and decrypts to garbage.)
    public = key.public_key().public_numbers()
    size = key.key_size // 8
    block = b"\x00\x01" + b"\xff" * (size - 3 - len(MESSAGE)) + b"\x00" + MESSAGE
    wrong_type = pow(int.from_bytes(block, "big"), public.e, public.n)
    with pytest.raises(BadParameters):
        ta.decrypt(G.ALG_RSAES_PKCS1_V1_5, pair, be(wrong_type, size))


def test_raw_rsa_drops_leading_zeros(ta: AsymTA, key: rsa.RSAPrivateKey) -> None:
    pair, pub = pair_and_public(ta, key)
    priv = key.private_numbers()
    n, e, d = priv.public_numbers.n, priv.public_numbers.e, priv.d
    m = 0x1234
    c = pow(m, e, n)
    assert ta.encrypt(G.ALG_RSA_NOPAD, pub, be(m)) == be(c)
    # OP-TEE returns the result without its leading zero bytes
    assert ta.decrypt(G.ALG_RSA_NOPAD, pair, be(c, 256)) == b"\x12\x34"
    assert ta.decrypt(G.ALG_RSA_NOPAD, pair, be(pow(0, d, n), 1)) == b"\x00"
    # an input not below the modulus is TEE_ERROR_BAD_PARAMETERS
    with pytest.raises(BadParameters):
        ta.encrypt(G.ALG_RSA_NOPAD, pub, be(n))


def test_message_too_long_is_bad_parameters(ta: AsymTA, key: rsa.RSAPrivateKey) -> None:
    _, pub = pair_and_public(ta, key)
    with pytest.raises(BadParameters):
        ta.encrypt(G.ALG_RSAES_PKCS1_OAEP_MGF1_SHA256, pub, bytes(256 - 2 * 32 - 1))
    assert (
        len(
            ta.encrypt(G.ALG_RSAES_PKCS1_OAEP_MGF1_SHA256, pub, bytes(256 - 2 * 32 - 2))
        )
        == 256
    )


# ---- short buffers and misuse -----------------------------------------------


def test_short_buffers_report_the_size_needed(
    ta: AsymTA, key: rsa.RSAPrivateKey
) -> None:
    pair, pub = pair_and_public(ta, key)
    digest = hashlib.sha256(MESSAGE).digest()
    with pytest.raises(ShortBuffer) as info:
        ta.sign(G.ALG_RSASSA_PKCS1_V1_5_SHA256, pair, digest, out_size=255)
    assert info.value.required_size == 256
    with pytest.raises(ShortBuffer) as info:
        ta.encrypt(G.ALG_RSAES_PKCS1_V1_5, pub, MESSAGE, out_size=100)
    assert info.value.required_size == 256
    ct = ta.encrypt(G.ALG_RSAES_PKCS1_V1_5, pub, MESSAGE)
    # decryption reports the length of the message it found
    with pytest.raises(ShortBuffer) as info:
        ta.decrypt(G.ALG_RSAES_PKCS1_V1_5, pair, ct, out_size=3)
    assert info.value.required_size == len(MESSAGE)


def test_signing_a_digest_of_the_wrong_length_panics(
    ta: AsymTA, key: rsa.RSAPrivateKey
) -> None:
    pair, _ = pair_and_public(ta, key)
    with pytest.raises(TargetDead):
        ta.sign(G.ALG_RSASSA_PKCS1_V1_5_SHA256, pair, bytes(31))


def test_verifying_a_digest_of_the_wrong_length_panics(
    ta: AsymTA, key: rsa.RSAPrivateKey
) -> None:
    _, pub = pair_and_public(ta, key)
    with pytest.raises(TargetDead):
        ta.verify(G.ALG_RSASSA_PKCS1_PSS_MGF1_SHA1, pub, bytes(32), bytes(256))


def test_a_short_signature_is_invalid(ta: AsymTA, key: rsa.RSAPrivateKey) -> None:
    _, pub = pair_and_public(ta, key)
    digest = hashlib.sha256(MESSAGE).digest()
    sig = key.sign(MESSAGE, padding.PKCS1v15(), hashes.SHA256())
    with pytest.raises(SignatureInvalid):
        ta.verify(G.ALG_RSASSA_PKCS1_V1_5_SHA256, pub, digest, sig[1:])
