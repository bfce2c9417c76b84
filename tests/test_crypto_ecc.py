"""libtee: ECDSA, ECDH, Ed25519 and X25519 (GP 5.6.5, 6.7, 6.8).

Both ways against ``cryptography`` on every NIST curve, with OP-TEE's
signature format (r || s, each padded to the curve size) and its binding
of the ECDSA identifiers to curves; NIST CAVP, RFC 8032 and RFC 7748
vectors for exact results.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from asym_ta import (
    CURVES,
    TA_ASYM_TEST_UUID,
    VECTORS,
    AsymTA,
    G,
    be,
    ec_attrs,
    ec_public_attrs,
    ed25519_attrs,
    vector_records,
    x25519_attrs,
)
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, utils, x25519

from pytee import Context, NotSupported, ShortBuffer, SignatureInvalid, TargetDead

# curve, the ECDSA id OP-TEE binds to it, its hash
ECDSA = [
    (ec.SECP192R1(), G.ALG_ECDSA_SHA1, hashes.SHA1()),
    (ec.SECP224R1(), G.ALG_ECDSA_SHA224, hashes.SHA224()),
    (ec.SECP256R1(), G.ALG_ECDSA_SHA256, hashes.SHA256()),
    (ec.SECP384R1(), G.ALG_ECDSA_SHA384, hashes.SHA384()),
    (ec.SECP521R1(), G.ALG_ECDSA_SHA512, hashes.SHA512()),
]
CURVE_IDS = [c[0].name for c in ECDSA]
MESSAGE = b"pytee signs with elliptic curves"


@pytest.fixture
def ta(context: Context) -> Iterator[AsymTA]:
    with context.open_session(TA_ASYM_TEST_UUID) as session:
        yield AsymTA(session)


def digest_of(chash: hashes.HashAlgorithm, data: bytes) -> bytes:
    h = hashes.Hash(chash)
    h.update(data)
    return h.finalize()


def raw_to_der(sig: bytes) -> bytes:
    half = len(sig) // 2
    return utils.encode_dss_signature(
        int.from_bytes(sig[:half], "big"), int.from_bytes(sig[half:], "big")
    )


def der_to_raw(der: bytes, size: int) -> bytes:
    r, s = utils.decode_dss_signature(der)
    return be(r, size) + be(s, size)


def curve_bytes(curve: ec.EllipticCurve) -> int:
    return (curve.key_size + 7) // 8


# ---- ECDSA ------------------------------------------------------------------


@pytest.mark.parametrize("curve, alg, chash", ECDSA, ids=CURVE_IDS)
def test_ecdsa_both_ways(
    ta: AsymTA, curve: ec.EllipticCurve, alg: int, chash: hashes.HashAlgorithm
) -> None:
    key = ec.generate_private_key(curve)
    pair = ta.import_key(G.TYPE_ECDSA_KEYPAIR, curve.key_size, ec_attrs(key))
    pub = ta.import_key(
        G.TYPE_ECDSA_PUBLIC_KEY, curve.key_size, ec_public_attrs(key.public_key())
    )
    digest = digest_of(chash, MESSAGE)
    sig = ta.sign(alg, pair, digest)
    assert len(sig) == 2 * curve_bytes(curve)
    key.public_key().verify(raw_to_der(sig), digest, ec.ECDSA(utils.Prehashed(chash)))
    theirs = der_to_raw(key.sign(MESSAGE, ec.ECDSA(chash)), curve_bytes(curve))
    ta.verify(alg, pub, digest, theirs)
    with pytest.raises(SignatureInvalid):
        ta.verify(alg, pub, digest_of(chash, b"another message"), theirs)


@pytest.mark.parametrize("curve, alg, chash", ECDSA, ids=CURVE_IDS)
def test_generated_ecdsa_key_is_on_its_curve(
    ta: AsymTA, curve: ec.EllipticCurve, alg: int, chash: hashes.HashAlgorithm
) -> None:
    tee_curve = CURVES[curve.name][0]
    kid = ta.generate_key(
        G.TYPE_ECDSA_KEYPAIR, curve.key_size, [(G.ATTR_ECC_CURVE, (tee_curve, 0))]
    )
    assert ta.value_attr(kid, G.ATTR_ECC_CURVE) == (tee_curve, 0)
    d = ta.attr_int(kid, G.ATTR_ECC_PRIVATE_VALUE)
    x = ta.attr_int(kid, G.ATTR_ECC_PUBLIC_VALUE_X)
    y = ta.attr_int(kid, G.ATTR_ECC_PUBLIC_VALUE_Y)
    # cryptography derives the same public point from the private value
    assert ec.derive_private_key(d, curve).public_key().public_numbers() == (
        ec.EllipticCurvePublicNumbers(x, y, curve)
    )
    digest = digest_of(chash, MESSAGE)
    sig = ta.sign(alg, kid, digest)
    public = ec.EllipticCurvePublicNumbers(x, y, curve).public_key()
    public.verify(raw_to_der(sig), digest, ec.ECDSA(utils.Prehashed(chash)))


def test_deprecated_optee_ecdsa_ids_work(ta: AsymTA) -> None:
    for curve, alg in (
        (ec.SECP192R1(), G.OPTEE_ALG_ECDSA_P192),
        (ec.SECP256R1(), G.OPTEE_ALG_ECDSA_P256),
        (ec.SECP521R1(), G.OPTEE_ALG_ECDSA_P521),
    ):
        key = ec.generate_private_key(curve)
        kid = ta.import_key(G.TYPE_ECDSA_KEYPAIR, curve.key_size, ec_attrs(key))
        digest = hashlib.sha256(MESSAGE).digest()
        sig = ta.sign(alg, kid, digest)
        key.public_key().verify(
            raw_to_der(sig), digest, ec.ECDSA(utils.Prehashed(hashes.SHA256()))
        )


def test_ecdsa_signs_a_digest_of_any_length(ta: AsymTA) -> None:
    # as OP-TEE: the digest is used as given (truncated to the order size)
    key = ec.generate_private_key(ec.SECP256R1())
    kid = ta.import_key(G.TYPE_ECDSA_KEYPAIR, 256, ec_attrs(key))
    digest = hashlib.sha512(MESSAGE).digest()
    sig = ta.sign(G.ALG_ECDSA_SHA256, kid, digest)
    key.public_key().verify(
        raw_to_der(sig), digest, ec.ECDSA(utils.Prehashed(hashes.SHA512()))
    )


def test_ecdsa_id_of_another_curve_is_not_supported(ta: AsymTA) -> None:
    key = ec.generate_private_key(ec.SECP384R1())
    kid = ta.import_key(G.TYPE_ECDSA_KEYPAIR, 384, ec_attrs(key))
    with pytest.raises(NotSupported):  # TEE_AllocateOperation, maxKeySize 384
        ta.sign(G.ALG_ECDSA_SHA256, kid, bytes(32))


def test_ecdsa_short_buffer_reports_twice_the_curve_size(ta: AsymTA) -> None:
    key = ec.generate_private_key(ec.SECP521R1())
    kid = ta.import_key(G.TYPE_ECDSA_KEYPAIR, 521, ec_attrs(key))
    with pytest.raises(ShortBuffer) as info:
        ta.sign(G.ALG_ECDSA_SHA512, kid, bytes(64), out_size=131)
    assert info.value.required_size == 132


def test_ecdsa_signature_of_the_wrong_length_panics(ta: AsymTA) -> None:
    # OP-TEE's core answers TEE_ERROR_BAD_PARAMETERS, which libutee panics on
    key = ec.generate_private_key(ec.SECP256R1())
    pub = ta.import_key(G.TYPE_ECDSA_PUBLIC_KEY, 256, ec_public_attrs(key.public_key()))
    with pytest.raises(TargetDead):
        ta.verify(G.ALG_ECDSA_SHA256, pub, bytes(32), bytes(63))


def test_nist_ecdsa_signature_vectors(ta: AsymTA) -> None:
    by_section = {
        "P-192,SHA-1": (ec.SECP192R1(), G.ALG_ECDSA_SHA1, "sha1"),
        "P-224,SHA-224": (ec.SECP224R1(), G.ALG_ECDSA_SHA224, "sha224"),
        "P-256,SHA-256": (ec.SECP256R1(), G.ALG_ECDSA_SHA256, "sha256"),
        "P-384,SHA-384": (ec.SECP384R1(), G.ALG_ECDSA_SHA384, "sha384"),
        "P-521,SHA-512": (ec.SECP521R1(), G.ALG_ECDSA_SHA512, "sha512"),
    }
    records = vector_records("ecdsa_sigver_186-3.rsp")
    outcomes = set()
    for rec in records:
        curve, alg, hname = by_section[rec["section"]]
        size = curve_bytes(curve)
        pub = ta.import_key(
            G.TYPE_ECDSA_PUBLIC_KEY,
            curve.key_size,
            [
                (G.ATTR_ECC_PUBLIC_VALUE_X, be(int(rec["Qx"], 16))),
                (G.ATTR_ECC_PUBLIC_VALUE_Y, be(int(rec["Qy"], 16))),
                (G.ATTR_ECC_CURVE, (CURVES[curve.name][0], 0)),
            ],
        )
        digest = hashlib.new(hname, bytes.fromhex(rec["Msg"])).digest()
        sig = be(int(rec["R"], 16), size) + be(int(rec["S"], 16), size)
        if rec["Result"].startswith("P"):
            ta.verify(alg, pub, digest, sig)
        else:
            with pytest.raises(SignatureInvalid):
                ta.verify(alg, pub, digest, sig)
        outcomes.add(rec["Result"][0])
        ta.free_key(pub)
    assert outcomes == {"P", "F"}


# ---- ECDH -------------------------------------------------------------------


@pytest.mark.parametrize("curve", [c[0] for c in ECDSA], ids=CURVE_IDS)
def test_ecdh_agrees_with_cryptography(ta: AsymTA, curve: ec.EllipticCurve) -> None:
    tee_curve = CURVES[curve.name][0]
    mine = ta.generate_key(
        G.TYPE_ECDH_KEYPAIR, curve.key_size, [(G.ATTR_ECC_CURVE, (tee_curve, 0))]
    )
    public = ec.EllipticCurvePublicNumbers(
        ta.attr_int(mine, G.ATTR_ECC_PUBLIC_VALUE_X),
        ta.attr_int(mine, G.ATTR_ECC_PUBLIC_VALUE_Y),
        curve,
    ).public_key()
    peer = ec.generate_private_key(curve)
    pn = peer.public_key().public_numbers()
    size = curve_bytes(curve)
    secret = ta.derive(
        G.ALG_ECDH_DERIVE_SHARED_SECRET,
        mine,
        [(G.ATTR_ECC_PUBLIC_VALUE_X, be(pn.x)), (G.ATTR_ECC_PUBLIC_VALUE_Y, be(pn.y))],
        size * 8,
    )
    # the x coordinate, padded to the field size
    assert secret == peer.exchange(ec.ECDH(), public)
    assert len(secret) == size


def test_ecdh_with_an_imported_key_and_the_optee_id(ta: AsymTA) -> None:
    key = ec.generate_private_key(ec.SECP384R1())
    kid = ta.import_key(G.TYPE_ECDH_KEYPAIR, 384, ec_attrs(key))
    peer = ec.generate_private_key(ec.SECP384R1())
    pn = peer.public_key().public_numbers()
    secret = ta.derive(
        G.OPTEE_ALG_ECDH_P384,
        kid,
        [(G.ATTR_ECC_PUBLIC_VALUE_X, be(pn.x)), (G.ATTR_ECC_PUBLIC_VALUE_Y, be(pn.y))],
        384,
    )
    assert secret == key.exchange(ec.ECDH(), peer.public_key())


def test_ecdh_with_a_point_off_the_curve_panics(ta: AsymTA) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    kid = ta.import_key(G.TYPE_ECDH_KEYPAIR, 256, ec_attrs(key))
    pn = key.public_key().public_numbers()
    with pytest.raises(TargetDead):
        ta.derive(
            G.ALG_ECDH_DERIVE_SHARED_SECRET,
            kid,
            [(G.ATTR_ECC_PUBLIC_VALUE_X, be(pn.x)),
             (G.ATTR_ECC_PUBLIC_VALUE_Y, be(pn.y ^ 1))],
            256,
        )  # fmt: skip


def test_ecdh_takes_x_then_y_only(ta: AsymTA) -> None:
    # OP-TEE wants exactly the two coordinates, in that order
    key = ec.generate_private_key(ec.SECP256R1())
    kid = ta.import_key(G.TYPE_ECDH_KEYPAIR, 256, ec_attrs(key))
    pn = key.public_key().public_numbers()
    with pytest.raises(TargetDead):
        ta.derive(
            G.ALG_ECDH_DERIVE_SHARED_SECRET,
            kid,
            [(G.ATTR_ECC_PUBLIC_VALUE_Y, be(pn.y)),
             (G.ATTR_ECC_PUBLIC_VALUE_X, be(pn.x))],
            256,
        )  # fmt: skip


# ---- Ed25519 ----------------------------------------------------------------


def test_ed25519_rfc8032_vectors(ta: AsymTA) -> None:
    for line in (VECTORS / "ed25519_rfc8032.txt").read_text().splitlines():
        sk_pk, pk, msg, sig_msg, _ = line.split(":")
        seed, pub = bytes.fromhex(sk_pk[:64]), bytes.fromhex(pk)
        message = bytes.fromhex(msg)
        signature = bytes.fromhex(sig_msg)[:64]
        kid = ta.import_key(
            G.TYPE_ED25519_KEYPAIR,
            256,
            [(G.ATTR_ED25519_PRIVATE_VALUE, seed), (G.ATTR_ED25519_PUBLIC_VALUE, pub)],
        )
        # Ed25519 is deterministic: the TA gives the RFC's signature
        assert ta.sign(G.ALG_ED25519, kid, message) == signature
        pid = ta.import_key(
            G.TYPE_ED25519_PUBLIC_KEY, 256, [(G.ATTR_ED25519_PUBLIC_VALUE, pub)]
        )
        ta.verify(G.ALG_ED25519, pid, message, signature)
        with pytest.raises(SignatureInvalid):
            ta.verify(G.ALG_ED25519, pid, message + b"!", signature)
        ta.free_key(kid)
        ta.free_key(pid)


def test_ed25519_both_ways(ta: AsymTA) -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    kid = ta.import_key(G.TYPE_ED25519_KEYPAIR, 256, ed25519_attrs(key))
    sig = ta.sign(G.ALG_ED25519, kid, MESSAGE)
    key.public_key().verify(sig, MESSAGE)
    pid = ta.import_key(
        G.TYPE_ED25519_PUBLIC_KEY,
        256,
        [(G.ATTR_ED25519_PUBLIC_VALUE, key.public_key().public_bytes_raw())],
    )
    ta.verify(G.ALG_ED25519, pid, MESSAGE, key.sign(MESSAGE))


def test_generated_ed25519_key(ta: AsymTA) -> None:
    kid = ta.generate_key(G.TYPE_ED25519_KEYPAIR, 256)
    seed = ta.attr(kid, G.ATTR_ED25519_PRIVATE_VALUE)
    pub = ta.attr(kid, G.ATTR_ED25519_PUBLIC_VALUE)
    key = ed25519.Ed25519PrivateKey.from_private_bytes(seed)
    assert key.public_key().public_bytes_raw() == pub
    sig = ta.sign(G.ALG_ED25519, kid, MESSAGE)
    assert sig == key.sign(MESSAGE)
    with pytest.raises(InvalidSignature):
        key.public_key().verify(sig, MESSAGE + b"!")


def test_ed25519_short_buffer_and_pure_parameters(ta: AsymTA) -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    kid = ta.import_key(G.TYPE_ED25519_KEYPAIR, 256, ed25519_attrs(key))
    with pytest.raises(ShortBuffer) as info:
        ta.sign(G.ALG_ED25519, kid, MESSAGE, out_size=10)
    assert info.value.required_size == 64
    # prehash 0 and an empty context still mean pure Ed25519
    sig = ta.sign(
        G.ALG_ED25519,
        kid,
        MESSAGE,
        [(G.ATTR_EDDSA_PREHASH, (0, 0)), (G.ATTR_EDDSA_CTX, b"")],
    )
    assert sig == key.sign(MESSAGE)


def test_ed25519ctx_is_not_available_and_panics(ta: AsymTA) -> None:
    # OpenSSL 3.0 has no Ed25519ctx / Ed25519ph: TEE_ERROR_NOT_SUPPORTED
    key = ed25519.Ed25519PrivateKey.generate()
    kid = ta.import_key(G.TYPE_ED25519_KEYPAIR, 256, ed25519_attrs(key))
    with pytest.raises(TargetDead):
        ta.sign(G.ALG_ED25519, kid, MESSAGE, [(G.ATTR_EDDSA_CTX, b"context")])


def test_ed25519_unknown_parameter_panics(ta: AsymTA) -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    kid = ta.import_key(G.TYPE_ED25519_KEYPAIR, 256, ed25519_attrs(key))
    with pytest.raises(TargetDead):
        ta.sign(G.ALG_ED25519, kid, MESSAGE, [(G.ATTR_RSA_PSS_SALT_LENGTH, (0, 0))])


# ---- X25519 -----------------------------------------------------------------


def test_x25519_rfc7748_vectors(ta: AsymTA) -> None:
    for rec in vector_records("x25519_rfc7748.txt"):
        scalar = bytes.fromhex(rec["INPUT_SCALAR"])
        # the object's public value is not used by the derivation
        public = x25519.X25519PrivateKey.from_private_bytes(scalar).public_key()
        kid = ta.import_key(
            G.TYPE_X25519_KEYPAIR,
            256,
            [
                (G.ATTR_X25519_PRIVATE_VALUE, scalar),
                (G.ATTR_X25519_PUBLIC_VALUE, public.public_bytes_raw()),
            ],
        )
        secret = ta.derive(
            G.ALG_X25519,
            kid,
            [(G.ATTR_X25519_PUBLIC_VALUE, bytes.fromhex(rec["INPUT_U"]))],
            256,
        )
        assert secret == bytes.fromhex(rec["OUTPUT_U"])
        ta.free_key(kid)


def test_x25519_both_ways(ta: AsymTA) -> None:
    ours = ta.generate_key(G.TYPE_X25519_KEYPAIR, 256)
    our_public = ta.attr(ours, G.ATTR_X25519_PUBLIC_VALUE)
    theirs = x25519.X25519PrivateKey.generate()
    secret = ta.derive(
        G.ALG_X25519,
        ours,
        [(G.ATTR_X25519_PUBLIC_VALUE, theirs.public_key().public_bytes_raw())],
        256,
    )
    assert secret == theirs.exchange(
        x25519.X25519PublicKey.from_public_bytes(our_public)
    )
    # and with a key cryptography made, imported
    kid = ta.import_key(G.TYPE_X25519_KEYPAIR, 256, x25519_attrs(theirs))
    assert (
        ta.derive(G.ALG_X25519, kid, [(G.ATTR_X25519_PUBLIC_VALUE, our_public)], 256)
        == secret
    )
