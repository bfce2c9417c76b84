"""HPKE (RFC 9180), base mode, single-shot seal, suite DHKEM(P-256,
HKDF-SHA256) 0x0010 / HKDF-SHA256 0x0001 / AES-128-GCM 0x0001, from GP
crypto only (the twin of ``hpke.c``):

==============  =========================================================
ephemeral key   ``generate_key`` of a ``TEE_TYPE_ECDH_KEYPAIR`` on P-256
DH              ``derive_key`` with ``TEE_ALG_ECDH_P256``: the x coordinate
Extract+Expand  ``derive_key`` with ``TEE_ALG_HKDF_SHA256_DERIVE_KEY``,
                OP-TEE's HKDF (RFC 5869), which runs both steps in one
Extract alone   ``TEE_ALG_HMAC_SHA256`` (HKDF-Extract is HMAC(salt, ikm))
AEAD            ``TEE_ALG_AES_GCM``, 128-bit tag
==============  =========================================================

Every Expand of a base-mode seal comes straight after an Extract::

    shared_secret = LabeledExpand(LabeledExtract("", "eae_prk", dh),
                                  "shared_secret", enc || pkR, 32)
    key           = LabeledExpand(LabeledExtract(shared_secret, "secret", ""),
                                  "key", key_schedule_context, 16)
    base_nonce    = the same with "base_nonce", 12

so the GP HKDF derives them, with the RFC's labels put into its IKM and
info.  Only ``psk_id_hash`` and ``info_hash`` are Extracts used as they
are: HMACs under the all-zero salt (RFC 5869: an empty salt is HashLen
zeros).  With one message per context the nonce is ``base_nonce`` itself.
"""

from __future__ import annotations

from payment_bytes import u16
from payment_crypto import (
    CURVE_P256,
    P256_BITS,
    p256_point_valid,
    p256_value,
    point_attributes,
    public_key_of,
)

from pytee import Result
from pytee.internal import Attribute, Operation, TransientObject, error, raw

_, tee, _ = raw.load()

KEM_ID, KDF_ID, AEAD_ID = 0x0010, 0x0001, 0x0001
KEM_SUITE = b"KEM" + u16(KEM_ID)
HPKE_SUITE = b"HPKE" + u16(KEM_ID) + u16(KDF_ID) + u16(AEAD_ID)
MODE_BASE = 0x00
N_SECRET = 32  # DHKEM(P-256) shared secret
N_K = 16  # AES-128-GCM key
N_N = 12  # its nonce
TAG_BITS = 128

HKDF_SALT = tee.__OPTEE_ATTR_HKDF_SALT
HKDF_INFO = tee.__OPTEE_ATTR_HKDF_INFO


def labeled_ikm(suite: bytes, label: bytes, ikm: bytes) -> bytes:
    """The IKM of LabeledExtract: ``"HPKE-v1" || suite_id || label || ikm``."""
    return b"HPKE-v1" + suite + label + ikm


def labeled_info(length: int, suite: bytes, label: bytes, info: bytes) -> bytes:
    """The info of LabeledExpand: ``I2OSP(L, 2) || "HPKE-v1" || suite_id ||
    label || info``."""
    return u16(length) + labeled_ikm(suite, label, info)


def hkdf(salt: bytes, ikm: bytes, info: bytes, length: int) -> bytes:
    """HKDF-SHA256 of ``length`` bytes, Extract then Expand, by the GP
    derivation (no salt: HashLen zeros)."""
    params = [
        Attribute.ref(HKDF_INFO, info),
        Attribute.value(tee.TEE_ATTR_HKDF_OKM_LENGTH, length),
    ]
    if salt:
        params.append(Attribute.ref(HKDF_SALT, salt))
    ikm_bits = 8 * len(ikm)
    with TransientObject.allocate(tee.TEE_TYPE_HKDF_IKM, ikm_bits) as key:
        key.populate([Attribute.ref(tee.TEE_ATTR_HKDF_IKM, ikm)])
        with Operation(
            tee.TEE_ALG_HKDF_SHA256_DERIVE_KEY, tee.TEE_MODE_DERIVE, ikm_bits
        ) as op:
            op.set_key(key)
            with TransientObject.allocate(
                tee.TEE_TYPE_GENERIC_SECRET, 8 * length
            ) as okm:
                op.derive_key(params, okm)
                return okm.get_buffer_attribute(tee.TEE_ATTR_SECRET_VALUE)


def extract_without_salt(ikm: bytes) -> bytes:
    """HKDF-Extract with no salt: HMAC-SHA256 under 32 zero bytes."""
    with TransientObject.allocate(tee.TEE_TYPE_HMAC_SHA256, 256) as key:
        key.populate([Attribute.ref(tee.TEE_ATTR_SECRET_VALUE, bytes(32))])
        with Operation(tee.TEE_ALG_HMAC_SHA256, tee.TEE_MODE_MAC, 256) as mac:
            mac.set_key(key)
            mac.init()
            return mac.compute_final(ikm)


def ecdh(ephemeral: TransientObject, pk_r: bytes) -> bytes:
    """DH(skE, pkR): the x coordinate of the shared point."""
    with Operation(tee.TEE_ALG_ECDH_P256, tee.TEE_MODE_DERIVE, P256_BITS) as op:
        op.set_key(ephemeral)
        with TransientObject.allocate(tee.TEE_TYPE_GENERIC_SECRET, P256_BITS) as dh:
            op.derive_key(point_attributes(pk_r), dh)
            return p256_value(dh, tee.TEE_ATTR_SECRET_VALUE)


def kem_shared_secret(dh: bytes, enc: bytes, pk_r: bytes) -> bytes:
    """DHKEM's ExtractAndExpand(dh, enc || pkR) (RFC 9180 4.1)."""
    return hkdf(
        salt=b"",
        ikm=labeled_ikm(KEM_SUITE, b"eae_prk", dh),
        info=labeled_info(N_SECRET, KEM_SUITE, b"shared_secret", enc + pk_r),
        length=N_SECRET,
    )


def key_schedule(shared_secret: bytes, info: bytes) -> tuple[bytes, bytes]:
    """KeySchedule(mode_base, shared_secret, info, "", "") (RFC 9180 5.1):
    the AEAD key and nonce."""
    psk_id_hash = extract_without_salt(labeled_ikm(HPKE_SUITE, b"psk_id_hash", b""))
    info_hash = extract_without_salt(labeled_ikm(HPKE_SUITE, b"info_hash", info))
    context = bytes([MODE_BASE]) + psk_id_hash + info_hash
    secret_ikm = labeled_ikm(HPKE_SUITE, b"secret", b"")  # psk = ""
    key = hkdf(
        salt=shared_secret,
        ikm=secret_ikm,
        info=labeled_info(N_K, HPKE_SUITE, b"key", context),
        length=N_K,
    )
    nonce = hkdf(
        salt=shared_secret,
        ikm=secret_ikm,
        info=labeled_info(N_N, HPKE_SUITE, b"base_nonce", context),
        length=N_N,
    )
    return key, nonce


def aead_seal(key: bytes, nonce: bytes, plaintext: bytes) -> bytes:
    """AES-128-GCM, no AAD: ``ciphertext || tag``."""
    with TransientObject.allocate(tee.TEE_TYPE_AES, 8 * N_K) as aes:
        aes.populate([Attribute.ref(tee.TEE_ATTR_SECRET_VALUE, key)])
        with Operation(tee.TEE_ALG_AES_GCM, tee.TEE_MODE_ENCRYPT, 8 * N_K) as gcm:
            gcm.set_key(aes)
            gcm.init(nonce, TAG_BITS, payload_len=len(plaintext))
            ciphertext, tag = gcm.encrypt_final(plaintext)
    return ciphertext + tag


def seal(pk_r: bytes, info: bytes, plaintext: bytes) -> bytes:
    """HPKE base-mode seal of ``plaintext`` to ``pk_r`` (``04 || X || Y``):
    ``enc || ciphertext || tag``, ``65 + len(plaintext) + 16`` bytes."""
    if not p256_point_valid(pk_r):
        raise error(Result.SECURITY, "the recipient key is no point of P-256")
    with TransientObject.allocate(tee.TEE_TYPE_ECDH_KEYPAIR, P256_BITS) as ephemeral:
        ephemeral.generate_key(P256_BITS, [CURVE_P256])
        enc = public_key_of(ephemeral)
        dh = ecdh(ephemeral, pk_r)
    shared_secret = kem_shared_secret(dh, enc, pk_r)
    key, nonce = key_schedule(shared_secret, info)
    return enc + aead_seal(key, nonce, plaintext)
