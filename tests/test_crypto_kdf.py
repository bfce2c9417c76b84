"""libtee: HKDF, Concat KDF and PBKDF2 through TEE_DeriveKey.

OP-TEE's key derivation extensions (HKDF-<hash>, Concat KDF, PBKDF2-SHA1)
and GP v1.3.1's TEE_ALG_HKDF, checked against ``cryptography``'s HKDF,
ConcatKDFHash and PBKDF2HMAC on random inputs and against the RFC 5869
and RFC 6070 vectors.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from asym_ta import TA_ASYM_TEST_UUID, AsymTA, G, vector_records
from crypto_ta import Attr
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.concatkdf import ConcatKDFHash
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from pytee import Context, TargetDead

HKDF_ALGS = [
    (G.ALG_HKDF_MD5_DERIVE_KEY, hashes.MD5()),
    (G.ALG_HKDF_SHA1_DERIVE_KEY, hashes.SHA1()),
    (G.ALG_HKDF_SHA224_DERIVE_KEY, hashes.SHA224()),
    (G.ALG_HKDF_SHA256_DERIVE_KEY, hashes.SHA256()),
    (G.ALG_HKDF_SHA384_DERIVE_KEY, hashes.SHA384()),
    (G.ALG_HKDF_SHA512_DERIVE_KEY, hashes.SHA512()),
]
CONCAT_ALGS = [
    (G.ALG_CONCAT_KDF_SHA1_DERIVE_KEY, hashes.SHA1()),
    (G.ALG_CONCAT_KDF_SHA224_DERIVE_KEY, hashes.SHA224()),
    (G.ALG_CONCAT_KDF_SHA256_DERIVE_KEY, hashes.SHA256()),
    (G.ALG_CONCAT_KDF_SHA384_DERIVE_KEY, hashes.SHA384()),
    (G.ALG_CONCAT_KDF_SHA512_DERIVE_KEY, hashes.SHA512()),
]


@pytest.fixture
def ta(context: Context) -> Iterator[AsymTA]:
    with context.open_session(TA_ASYM_TEST_UUID) as session:
        yield AsymTA(session)


def ikm_key(ta: AsymTA, ikm: bytes) -> int:
    return ta.import_key(G.TYPE_HKDF_IKM, len(ikm) * 8, [(G.ATTR_HKDF_IKM, ikm)])


# ---- HKDF -------------------------------------------------------------------


@pytest.mark.parametrize("alg, chash", HKDF_ALGS, ids=[h.name for _, h in HKDF_ALGS])
def test_hkdf_matches_cryptography(
    ta: AsymTA, alg: int, chash: hashes.HashAlgorithm
) -> None:
    ikm, salt, info = os.urandom(40), os.urandom(16), b"pytee context"
    kid = ikm_key(ta, ikm)
    okm = ta.derive(
        alg,
        kid,
        [
            (G.OPTEE_ATTR_HKDF_SALT, salt),
            (G.OPTEE_ATTR_HKDF_INFO, info),
            (G.ATTR_HKDF_OKM_LENGTH, (50, 0)),
        ],
        512,
    )
    assert okm == HKDF(chash, 50, salt, info).derive(ikm)
    # salt and info are optional
    okm = ta.derive(alg, kid, [(G.ATTR_HKDF_OKM_LENGTH, (20, 0))], 160)
    assert okm == HKDF(chash, 20, None, None).derive(ikm)


@pytest.mark.parametrize("name", ["hkdf_rfc5869_sha256.txt", "hkdf_rfc5869_sha1.txt"])
def test_hkdf_rfc5869_vectors(ta: AsymTA, name: str) -> None:
    algs = {
        "SHA-256": G.ALG_HKDF_SHA256_DERIVE_KEY,
        "SHA-1": G.ALG_HKDF_SHA1_DERIVE_KEY,
    }
    for rec in vector_records(name):
        length = int(rec["L"])
        params: list[Attr] = [(G.ATTR_HKDF_OKM_LENGTH, (length, 0))]
        if rec["salt"]:
            params.append((G.OPTEE_ATTR_HKDF_SALT, bytes.fromhex(rec["salt"])))
        if rec["info"]:
            params.append((G.OPTEE_ATTR_HKDF_INFO, bytes.fromhex(rec["info"])))
        kid = ikm_key(ta, bytes.fromhex(rec["IKM"]))
        okm = ta.derive(algs[rec["Hash"]], kid, params, length * 8)
        assert okm == bytes.fromhex(rec["OKM"])
        ta.free_key(kid)


def test_gp_hkdf_takes_the_hash_as_a_parameter(ta: AsymTA) -> None:
    ikm, salt, info = os.urandom(32), os.urandom(8), b"gp"
    kid = ikm_key(ta, ikm)
    common = [(G.ATTR_HKDF_SALT, salt), (G.ATTR_HKDF_INFO, info)]
    okm = ta.derive(G.ALG_HKDF, kid, [*common, (G.ATTR_HKDF_OKM_LENGTH, (32, 0))], 256)
    # SHA-256 when no hash is named
    assert okm == HKDF(hashes.SHA256(), 32, salt, info).derive(ikm)
    okm = ta.derive(
        G.ALG_HKDF,
        kid,
        [*common, (G.ATTR_HKDF_HASH_ALGORITHM, (G.ALG_SHA384, 0)),
         (G.ATTR_KDF_KEY_SIZE, (40, 0))],
        320,
    )  # fmt: skip
    assert okm == HKDF(hashes.SHA384(), 40, salt, info).derive(ikm)


def test_hkdf_needs_a_length(ta: AsymTA) -> None:
    kid = ikm_key(ta, os.urandom(16))
    with pytest.raises(TargetDead):
        ta.derive(G.ALG_HKDF_SHA256_DERIVE_KEY, kid, [], 256)


def test_hkdf_length_beyond_the_object_panics(ta: AsymTA) -> None:
    kid = ikm_key(ta, os.urandom(16))
    with pytest.raises(TargetDead):
        ta.derive(
            G.ALG_HKDF_SHA256_DERIVE_KEY, kid, [(G.ATTR_HKDF_OKM_LENGTH, (33, 0))], 256
        )


def test_hkdf_foreign_parameter_panics(ta: AsymTA) -> None:
    kid = ikm_key(ta, os.urandom(16))
    with pytest.raises(TargetDead):
        ta.derive(
            G.ALG_HKDF_SHA256_DERIVE_KEY,
            kid,
            [(G.ATTR_HKDF_OKM_LENGTH, (16, 0)), (G.ATTR_PBKDF2_SALT, b"x")],
            256,
        )


# ---- Concat KDF -------------------------------------------------------------


@pytest.mark.parametrize(
    "alg, chash", CONCAT_ALGS, ids=[h.name for _, h in CONCAT_ALGS]
)
def test_concat_kdf_matches_cryptography(
    ta: AsymTA, alg: int, chash: hashes.HashAlgorithm
) -> None:
    z, other = os.urandom(32), b"AlgorithmID||PartyUInfo||PartyVInfo"
    kid = ta.import_key(G.TYPE_CONCAT_KDF_Z, 256, [(G.ATTR_CONCAT_KDF_Z, z)])
    dkm = ta.derive(
        alg,
        kid,
        [
            (G.ATTR_CONCAT_KDF_OTHER_INFO, other),
            (G.ATTR_CONCAT_KDF_DKM_LENGTH, (70, 0)),
        ],
        1024,
    )
    assert dkm == ConcatKDFHash(chash, 70, other).derive(z)
    dkm = ta.derive(alg, kid, [(G.ATTR_CONCAT_KDF_DKM_LENGTH, (16, 0))], 128)
    assert dkm == ConcatKDFHash(chash, 16, None).derive(z)


# ---- PBKDF2 -----------------------------------------------------------------


def password_key(ta: AsymTA, password: bytes) -> int:
    return ta.import_key(
        G.TYPE_PBKDF2_PASSWORD, len(password) * 8, [(G.ATTR_PBKDF2_PASSWORD, password)]
    )


def test_pbkdf2_rfc6070_vectors(ta: AsymTA) -> None:
    checked = 0
    for rec in vector_records("pbkdf2_rfc6070_sha1.txt"):
        iterations = int(rec["ITERATIONS"])
        if iterations > 4096:
            continue  # the 2^24-iteration case would take seconds
        password = rec["PASSWORD"].replace("\\0", "\0").encode()
        salt = rec["SALT"].replace("\\0", "\0").encode()
        length = int(rec["LENGTH"])
        kid = password_key(ta, password)
        dkm = ta.derive(
            G.ALG_PBKDF2_HMAC_SHA1_DERIVE_KEY,
            kid,
            [
                (G.ATTR_PBKDF2_SALT, salt),
                (G.ATTR_PBKDF2_ITERATION_COUNT, (iterations, 0)),
                (G.ATTR_PBKDF2_DKM_LENGTH, (length, 0)),
            ],
            256,
        )
        assert dkm == bytes.fromhex(rec["DERIVED_KEY"])
        ta.free_key(kid)
        checked += 1
    assert checked == 5


def test_pbkdf2_matches_cryptography(ta: AsymTA) -> None:
    password, salt = os.urandom(20), os.urandom(16)
    kid = password_key(ta, password)
    dkm = ta.derive(
        G.ALG_PBKDF2_HMAC_SHA1_DERIVE_KEY,
        kid,
        [
            (G.ATTR_PBKDF2_SALT, salt),
            (G.ATTR_PBKDF2_ITERATION_COUNT, (100, 0)),
            (G.ATTR_PBKDF2_DKM_LENGTH, (48, 0)),
        ],
        512,
    )
    assert dkm == PBKDF2HMAC(hashes.SHA1(), 48, salt, 100).derive(password)


def test_pbkdf2_needs_an_iteration_count(ta: AsymTA) -> None:
    kid = password_key(ta, b"password")
    with pytest.raises(TargetDead):
        ta.derive(
            G.ALG_PBKDF2_HMAC_SHA1_DERIVE_KEY,
            kid,
            [(G.ATTR_PBKDF2_SALT, b"salt"), (G.ATTR_PBKDF2_DKM_LENGTH, (20, 0))],
            256,
        )
