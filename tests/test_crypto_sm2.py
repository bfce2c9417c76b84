"""libtee: SM2 signatures, encryption and key exchange (GM/T 0003).

``cryptography`` has no SM2; the oracle is ``sm2_ref``, a plain-Python
transcription of the standard, run both ways against the TA.  The key
exchange example of GM/T 0003.5 is the known answer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
import sm2_ref
from asym_ta import (
    ERROR_CIPHERTEXT_INVALID,
    TA_ASYM_TEST_UUID,
    AsymTA,
    G,
    be,
    vector_records,
)
from crypto_ta import Attr

from pytee import (
    BadParameters,
    Context,
    ShortBuffer,
    SignatureInvalid,
    TargetDead,
    TeeError,
)

MESSAGE = b"pytee encrypts with SM2"
IDENT = b"ALICE123@YAHOO.COM"


@pytest.fixture
def ta(context: Context) -> Iterator[AsymTA]:
    with context.open_session(TA_ASYM_TEST_UUID) as session:
        yield AsymTA(session)


def sm2_pair_attrs(d: int, pub: sm2_ref.Point) -> list[tuple[int, bytes]]:
    assert pub is not None
    return [
        (G.ATTR_ECC_PRIVATE_VALUE, be(d)),
        (G.ATTR_ECC_PUBLIC_VALUE_X, be(pub[0])),
        (G.ATTR_ECC_PUBLIC_VALUE_Y, be(pub[1])),
    ]


def public_point(ta: AsymTA, kid: int) -> sm2_ref.Point:
    return (
        ta.attr_int(kid, G.ATTR_ECC_PUBLIC_VALUE_X),
        ta.attr_int(kid, G.ATTR_ECC_PUBLIC_VALUE_Y),
    )


def e_value(pub: sm2_ref.Point, message: bytes) -> bytes:
    """The digest an SM2 signature signs: SM3(Z || M), which the TA computes."""
    return sm2_ref.sm3(sm2_ref.z_value(IDENT, pub), message)


# ---- signatures -------------------------------------------------------------


def test_generated_key_is_on_the_curve(ta: AsymTA) -> None:
    kid = ta.generate_key(G.TYPE_SM2_DSA_KEYPAIR, 256)
    d = ta.attr_int(kid, G.ATTR_ECC_PRIVATE_VALUE)
    assert sm2_ref.mul(d, sm2_ref.G) == public_point(ta, kid)


def test_signatures_both_ways(ta: AsymTA) -> None:
    kid = ta.generate_key(G.TYPE_SM2_DSA_KEYPAIR, 256)
    pub = public_point(ta, kid)
    e = e_value(pub, MESSAGE)
    sig = ta.sign(G.ALG_SM2_DSA_SM3, kid, e)
    assert len(sig) == 64
    assert sm2_ref.verify(pub, e, sig)
    assert not sm2_ref.verify(pub, e_value(pub, b"other"), sig)
    assert pub is not None
    pid = ta.import_key(
        G.TYPE_SM2_DSA_PUBLIC_KEY,
        256,
        [
            (G.ATTR_ECC_PUBLIC_VALUE_X, be(pub[0])),
            (G.ATTR_ECC_PUBLIC_VALUE_Y, be(pub[1])),
        ],
    )
    d = ta.attr_int(kid, G.ATTR_ECC_PRIVATE_VALUE)
    theirs = sm2_ref.sign(d, e)
    ta.verify(G.ALG_SM2_DSA_SM3, pid, e, theirs)
    with pytest.raises(SignatureInvalid):
        ta.verify(G.ALG_SM2_DSA_SM3, pid, e_value(pub, b"other"), theirs)


def test_imported_key_signs(ta: AsymTA) -> None:
    d, pub = sm2_ref.keypair()
    kid = ta.import_key(G.TYPE_SM2_DSA_KEYPAIR, 256, sm2_pair_attrs(d, pub))
    e = e_value(pub, MESSAGE)
    assert sm2_ref.verify(pub, e, ta.sign(G.ALG_SM2_DSA_SM3, kid, e))


def test_signature_short_buffer_and_wrong_length(ta: AsymTA) -> None:
    d, pub = sm2_ref.keypair()
    kid = ta.import_key(G.TYPE_SM2_DSA_KEYPAIR, 256, sm2_pair_attrs(d, pub))
    with pytest.raises(ShortBuffer) as info:
        ta.sign(G.ALG_SM2_DSA_SM3, kid, bytes(32), out_size=63)
    assert info.value.required_size == 64
    # OP-TEE: a signature that is not 64 bytes is BAD_PARAMETERS, a panic
    assert pub is not None
    pid = ta.import_key(
        G.TYPE_SM2_DSA_PUBLIC_KEY,
        256,
        [
            (G.ATTR_ECC_PUBLIC_VALUE_X, be(pub[0])),
            (G.ATTR_ECC_PUBLIC_VALUE_Y, be(pub[1])),
        ],
    )
    with pytest.raises(TargetDead):
        ta.verify(G.ALG_SM2_DSA_SM3, pid, bytes(32), bytes(65))


# ---- encryption -------------------------------------------------------------


def test_encryption_both_ways(ta: AsymTA) -> None:
    kid = ta.generate_key(G.TYPE_SM2_PKE_KEYPAIR, 256)
    d = ta.attr_int(kid, G.ATTR_ECC_PRIVATE_VALUE)
    pub = public_point(ta, kid)
    assert pub is not None
    pid = ta.import_key(
        G.TYPE_SM2_PKE_PUBLIC_KEY,
        256,
        [
            (G.ATTR_ECC_PUBLIC_VALUE_X, be(pub[0])),
            (G.ATTR_ECC_PUBLIC_VALUE_Y, be(pub[1])),
        ],
    )
    ct = ta.encrypt(G.ALG_SM2_PKE, pid, MESSAGE)
    # C1 || C2 || C3: 65 + message + 32 bytes
    assert len(ct) == 97 + len(MESSAGE) and ct[0] == 4
    assert sm2_ref.decrypt(d, ct) == MESSAGE
    assert ta.decrypt(G.ALG_SM2_PKE, kid, sm2_ref.encrypt(pub, MESSAGE)) == MESSAGE


def test_decryption_checks_c3_and_c1(ta: AsymTA) -> None:
    d, pub = sm2_ref.keypair()
    kid = ta.import_key(G.TYPE_SM2_PKE_KEYPAIR, 256, sm2_pair_attrs(d, pub))
    ct = bytearray(sm2_ref.encrypt(pub, MESSAGE))
    ct[-1] ^= 1
    with pytest.raises(TeeError) as info:
        ta.decrypt(G.ALG_SM2_PKE, kid, bytes(ct))
    assert info.value.code == ERROR_CIPHERTEXT_INVALID
    ct[-1] ^= 1
    ct[64] ^= 1  # C1 off the curve
    with pytest.raises(BadParameters):
        ta.decrypt(G.ALG_SM2_PKE, kid, bytes(ct))
    with pytest.raises(BadParameters):  # no room for a message
        ta.decrypt(G.ALG_SM2_PKE, kid, bytes(ct[:97]))


def test_empty_message_is_ciphertext_invalid(ta: AsymTA) -> None:
    # OP-TEE: the KDF output for no bytes counts as "all zero"
    d, pub = sm2_ref.keypair()
    kid = ta.import_key(G.TYPE_SM2_PKE_KEYPAIR, 256, sm2_pair_attrs(d, pub))
    with pytest.raises(TeeError) as info:
        ta.encrypt(G.ALG_SM2_PKE, kid, b"")
    assert info.value.code == ERROR_CIPHERTEXT_INVALID


def test_encryption_short_buffers(ta: AsymTA) -> None:
    d, pub = sm2_ref.keypair()
    kid = ta.import_key(G.TYPE_SM2_PKE_KEYPAIR, 256, sm2_pair_attrs(d, pub))
    with pytest.raises(ShortBuffer) as info:
        ta.encrypt(G.ALG_SM2_PKE, kid, MESSAGE, out_size=100)
    assert info.value.required_size == 97 + len(MESSAGE)
    ct = sm2_ref.encrypt(pub, MESSAGE)
    with pytest.raises(ShortBuffer) as info:
        ta.decrypt(G.ALG_SM2_PKE, kid, ct, out_size=5)
    assert info.value.required_size == len(MESSAGE)


# ---- key exchange -----------------------------------------------------------


def kep_params(
    initiator: bool, peer_pub: sm2_ref.Point, peer_eph: sm2_ref.Point,
    id_init: bytes, id_resp: bytes, conf_in: bytes | None,
) -> list[Attr]:  # fmt: skip
    assert peer_pub is not None and peer_eph is not None
    params: list[Attr] = [
        (G.ATTR_SM2_KEP_USER, (0 if initiator else 1, 0)),
        (G.ATTR_ECC_PUBLIC_VALUE_X, be(peer_pub[0])),
        (G.ATTR_ECC_PUBLIC_VALUE_Y, be(peer_pub[1])),
        (G.ATTR_ECC_EPHEMERAL_PUBLIC_VALUE_X, be(peer_eph[0])),
        (G.ATTR_ECC_EPHEMERAL_PUBLIC_VALUE_Y, be(peer_eph[1])),
        (G.ATTR_SM2_ID_INITIATOR, id_init),
        (G.ATTR_SM2_ID_RESPONDER, id_resp),
        (G.ATTR_SM2_KEP_CONFIRMATION_OUT, bytes(32)),
    ]
    if conf_in is not None:
        params.append((G.ATTR_SM2_KEP_CONFIRMATION_IN, conf_in))
    return params


def kep_keys(ta: AsymTA, d: int, r: int) -> tuple[int, int]:
    key = ta.import_key(
        G.TYPE_SM2_KEP_KEYPAIR, 256, sm2_pair_attrs(d, sm2_ref.mul(d, sm2_ref.G))
    )
    eph = ta.import_key(
        G.TYPE_SM2_KEP_KEYPAIR, 256, sm2_pair_attrs(r, sm2_ref.mul(r, sm2_ref.G))
    )
    return key, eph


def test_key_exchange_example_of_the_standard(ta: AsymTA) -> None:
    v = vector_records("sm2_kep_gmt0003_5.txt")[0]
    num = {k: int(v[k], 16) for k in ("dA", "rA", "dB", "rB")}
    ident_a, ident_b = bytes.fromhex(v["IDA"]), bytes.fromhex(v["IDB"])
    klen = int(v["klen"]) // 8
    pa, ra = sm2_ref.mul(num["dA"], sm2_ref.G), sm2_ref.mul(num["rA"], sm2_ref.G)
    pb, rb = sm2_ref.mul(num["dB"], sm2_ref.G), sm2_ref.mul(num["rB"], sm2_ref.G)
    # the initiator (A) checks S_B and gives S_A; the responder the reverse
    key, eph = kep_keys(ta, num["dA"], num["rA"])
    out = ta.derive(
        G.ALG_SM2_KEP, key,
        kep_params(True, pb, rb, ident_a, ident_b, bytes.fromhex(v["SB"])),
        klen * 8, key2=eph,
    )  # fmt: skip
    assert out == bytes.fromhex(v["K"]) + bytes.fromhex(v["SA"])
    key, eph = kep_keys(ta, num["dB"], num["rB"])
    out = ta.derive(
        G.ALG_SM2_KEP, key,
        kep_params(False, pa, ra, ident_a, ident_b, bytes.fromhex(v["SA"])),
        klen * 8, key2=eph,
    )  # fmt: skip
    assert out == bytes.fromhex(v["K"]) + bytes.fromhex(v["SB"])


def test_key_exchange_with_the_reference(ta: AsymTA) -> None:
    (da, pa), (ra, ea) = sm2_ref.keypair(), sm2_ref.keypair()
    (db, pb), (rb, eb) = sm2_ref.keypair(), sm2_ref.keypair()
    k_b, s_b, s_a_expected = sm2_ref.key_exchange(
        False, db, pb, rb, eb, pa, ea, IDENT, b"bob", 32
    )
    key, eph = kep_keys(ta, da, ra)
    out = ta.derive(
        G.ALG_SM2_KEP, key, kep_params(True, pb, eb, IDENT, b"bob", s_b), 256, key2=eph
    )
    assert out[:32] == k_b and out[32:] == s_a_expected


def test_key_exchange_with_a_wrong_confirmation_panics(ta: AsymTA) -> None:
    (da, _), (ra, _) = sm2_ref.keypair(), sm2_ref.keypair()
    (_, pb), (_, eb) = sm2_ref.keypair(), sm2_ref.keypair()
    key, eph = kep_keys(ta, da, ra)
    with pytest.raises(TargetDead):  # BAD_STATE from the core: a panic
        ta.derive(
            G.ALG_SM2_KEP, key, kep_params(True, pb, eb, IDENT, b"bob", bytes(32)),
            128, key2=eph,
        )  # fmt: skip


def test_key_exchange_needs_both_identities(ta: AsymTA) -> None:
    (da, _), (ra, _) = sm2_ref.keypair(), sm2_ref.keypair()
    (_, pb), (_, eb) = sm2_ref.keypair(), sm2_ref.keypair()
    key, eph = kep_keys(ta, da, ra)
    params = [
        p for p in kep_params(True, pb, eb, IDENT, b"bob", None)
        if p[0] != G.ATTR_SM2_ID_RESPONDER
    ]  # fmt: skip
    with pytest.raises(TargetDead):
        ta.derive(G.ALG_SM2_KEP, key, params, 128, key2=eph)


def test_sm3_of_the_reference_is_sm3() -> None:
    # the oracle's hash: GM/T 0004 example 1 ("abc")
    assert sm2_ref.sm3(b"abc").hex() == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )
    assert hashlib.new("sm3", b"abc").digest() == sm2_ref.sm3(b"abc")
