"""Client side of the crypto test TA (``csrc/ta/crypto_test``).

The TA is a thin command layer over the GP TEE Internal Core API's objects
and cryptographic operations; ``csrc/ta/crypto_test/include/crypto_test_ta.h``
documents every command and byte format.  The constants below are a
hand-written mirror of that header and of the GP constants the tests use;
``test_crypto_objects.py`` checks them against the C headers.

:class:`CryptoTA` runs the commands on a session: objects and operations are
named by the ids the TA hands out, attributes are ``(id, bytes)`` or
``(id, (a, b))`` pairs, and every error is the :class:`pytee.TeeError` the
API function returned.
"""

from __future__ import annotations

import contextlib
import struct
from collections.abc import Iterable, Iterator
from typing import NamedTuple, Union

import pytest

from pytee import (
    Context,
    NotSupported,
    Session,
    TempIn,
    TempInOut,
    TempOut,
    ValueIn,
    ValueOut,
)

TA_CRYPTO_TEST_UUID = "0e692e4d-8be8-443d-9be7-b195536e654f"

TA_CRYPTO_MAX_HANDLES = 64
TA_CRYPTO_MAX_ATTRS = 16
TA_CRYPTO_ID_NULL = 0
TA_CRYPTO_ID_BOGUS = 0xFFFFFFFF

TA_CRYPTO_CMD_ALLOC_OBJECT = 1
TA_CRYPTO_CMD_FREE_OBJECT = 2
TA_CRYPTO_CMD_RESET_OBJECT = 3
TA_CRYPTO_CMD_CLOSE_OBJECT = 4
TA_CRYPTO_CMD_POPULATE = 5
TA_CRYPTO_CMD_GENERATE_KEY = 6
TA_CRYPTO_CMD_GET_BUFFER_ATTR = 7
TA_CRYPTO_CMD_GET_VALUE_ATTR = 8
TA_CRYPTO_CMD_GET_OBJECT_INFO = 9
TA_CRYPTO_CMD_RESTRICT_USAGE = 10
TA_CRYPTO_CMD_COPY_ATTRS = 11
TA_CRYPTO_CMD_ALLOC_OP = 20
TA_CRYPTO_CMD_FREE_OP = 21
TA_CRYPTO_CMD_RESET_OP = 22
TA_CRYPTO_CMD_COPY_OP = 23
TA_CRYPTO_CMD_SET_KEY = 24
TA_CRYPTO_CMD_SET_KEY2 = 25
TA_CRYPTO_CMD_GET_OP_INFO = 26
TA_CRYPTO_CMD_GET_OP_INFO_MULTIPLE = 27
TA_CRYPTO_CMD_IS_SUPPORTED = 28
TA_CRYPTO_CMD_DIGEST_UPDATE = 30
TA_CRYPTO_CMD_DIGEST_FINAL = 31
TA_CRYPTO_CMD_DIGEST_EXTRACT = 32
TA_CRYPTO_CMD_CIPHER_INIT = 40
TA_CRYPTO_CMD_CIPHER_UPDATE = 41
TA_CRYPTO_CMD_CIPHER_FINAL = 42
TA_CRYPTO_CMD_MAC_INIT = 50
TA_CRYPTO_CMD_MAC_UPDATE = 51
TA_CRYPTO_CMD_MAC_COMPUTE = 52
TA_CRYPTO_CMD_MAC_COMPARE = 53
TA_CRYPTO_CMD_AE_INIT = 60
TA_CRYPTO_CMD_AE_UPDATE_AAD = 61
TA_CRYPTO_CMD_AE_UPDATE = 62
TA_CRYPTO_CMD_AE_ENCRYPT_FINAL = 63
TA_CRYPTO_CMD_AE_DECRYPT_FINAL = 64
TA_CRYPTO_CMD_RANDOM = 70
TA_CRYPTO_CMD_MISUSE = 90

TA_CRYPTO_MISUSE_REF_ATTR_VALUE_ID = 1
TA_CRYPTO_MISUSE_VALUE_ATTR_REF_ID = 2
TA_CRYPTO_MISUSE_DIGEST_NULL_LEN = 3
TA_CRYPTO_MISUSE_RANDOM_NULL = 4
TA_CRYPTO_MISUSE_OP_INFO_NULL = 5


class TEE:
    """GP constants (``tee_api_defines.h`` and OP-TEE's extensions)."""

    # modes
    MODE_ENCRYPT = 0
    MODE_DECRYPT = 1
    MODE_SIGN = 2
    MODE_VERIFY = 3
    MODE_MAC = 4
    MODE_DIGEST = 5
    MODE_DERIVE = 6
    # operation classes and states
    OPERATION_CIPHER = 1
    OPERATION_MAC = 3
    OPERATION_AE = 4
    OPERATION_DIGEST = 5
    OPERATION_ASYMMETRIC_CIPHER = 6
    OPERATION_ASYMMETRIC_SIGNATURE = 7
    OPERATION_KEY_DERIVATION = 8
    OPERATION_STATE_INITIAL = 0
    OPERATION_STATE_ACTIVE = 1
    OPERATION_STATE_EXTRACTING = 2
    # usage and handle flags
    USAGE_EXTRACTABLE = 0x00000001
    USAGE_ENCRYPT = 0x00000002
    USAGE_DECRYPT = 0x00000004
    USAGE_MAC = 0x00000008
    USAGE_SIGN = 0x00000010
    USAGE_VERIFY = 0x00000020
    USAGE_DERIVE = 0x00000040
    HANDLE_FLAG_PERSISTENT = 0x00010000
    HANDLE_FLAG_INITIALIZED = 0x00020000
    HANDLE_FLAG_KEY_SET = 0x00040000
    HANDLE_FLAG_EXPECT_TWO_KEYS = 0x00080000
    HANDLE_FLAG_EXTRACTING = 0x00100000
    # object types
    TYPE_AES = 0xA0000010
    TYPE_DES = 0xA0000011
    TYPE_DES3 = 0xA0000013
    TYPE_SM4 = 0xA0000014
    TYPE_HMAC_MD5 = 0xA0000001
    TYPE_HMAC_SHA1 = 0xA0000002
    TYPE_HMAC_SHA224 = 0xA0000003
    TYPE_HMAC_SHA256 = 0xA0000004
    TYPE_HMAC_SHA384 = 0xA0000005
    TYPE_HMAC_SHA512 = 0xA0000006
    TYPE_HMAC_SM3 = 0xA0000007
    TYPE_HMAC_SHA3_224 = 0xA0000008
    TYPE_HMAC_SHA3_256 = 0xA0000009
    TYPE_HMAC_SHA3_384 = 0xA000000A
    TYPE_HMAC_SHA3_512 = 0xA000000B
    TYPE_GENERIC_SECRET = 0xA0000000
    TYPE_RSA_PUBLIC_KEY = 0xA0000030
    TYPE_RSA_KEYPAIR = 0xA1000030
    TYPE_ECDSA_PUBLIC_KEY = 0xA0000041
    TYPE_ECDSA_KEYPAIR = 0xA1000041
    TYPE_ED25519_KEYPAIR = 0xA1000043
    TYPE_DATA = 0xA00000BF
    TYPE_HKDF_IKM = 0xA10000C0
    # attributes
    ATTR_FLAG_PUBLIC = 1 << 28
    ATTR_FLAG_VALUE = 1 << 29
    ATTR_SECRET_VALUE = 0xC0000000
    ATTR_RSA_MODULUS = 0xD0000130
    ATTR_RSA_PUBLIC_EXPONENT = 0xD0000230
    ATTR_RSA_PRIVATE_EXPONENT = 0xC0000330
    ATTR_RSA_PRIME1 = 0xC0000430
    ATTR_RSA_PRIME2 = 0xC0000530
    ATTR_RSA_EXPONENT1 = 0xC0000630
    ATTR_RSA_EXPONENT2 = 0xC0000730
    ATTR_RSA_COEFFICIENT = 0xC0000830
    ATTR_ECC_PUBLIC_VALUE_X = 0xD0000141
    ATTR_ECC_PUBLIC_VALUE_Y = 0xD0000241
    ATTR_ECC_PRIVATE_VALUE = 0xC0000341
    ATTR_ECC_CURVE = 0xF0000441
    ATTR_HKDF_IKM = 0xC00001C0
    ECC_CURVE_NIST_P256 = 0x00000003
    ECC_CURVE_25519 = 0x00000300
    CRYPTO_ELEMENT_NONE = 0
    # algorithms: symmetric ciphers
    ALG_AES_ECB_NOPAD = 0x10000010
    ALG_AES_CBC_NOPAD = 0x10000110
    ALG_AES_CTR = 0x10000210
    ALG_AES_CTS = 0x10000310
    ALG_AES_XTS = 0x10000410
    ALG_AES_CBC_MAC_NOPAD = 0x30000110
    ALG_AES_CBC_MAC_PKCS5 = 0x30000510
    ALG_AES_CMAC = 0x30000610
    ALG_AES_CCM = 0x40000710
    ALG_AES_GCM = 0x40000810
    ALG_DES_ECB_NOPAD = 0x10000011
    ALG_DES_CBC_NOPAD = 0x10000111
    ALG_DES_CBC_MAC_NOPAD = 0x30000111
    ALG_DES_CBC_MAC_PKCS5 = 0x30000511
    ALG_DES3_ECB_NOPAD = 0x10000013
    ALG_DES3_CBC_NOPAD = 0x10000113
    ALG_DES3_CBC_MAC_NOPAD = 0x30000113
    ALG_DES3_CBC_MAC_PKCS5 = 0x30000513
    ALG_DES3_CMAC = 0xF0000613
    ALG_SM4_ECB_NOPAD = 0x10000014
    ALG_SM4_CBC_NOPAD = 0x10000114
    ALG_SM4_CTR = 0x10000214
    ALG_SM4_ECB_PKCS5 = 0x10000015
    ALG_SM4_CBC_PKCS5 = 0x10000115
    ALG_SM4_XTS = 0xF0000414
    # digests
    ALG_MD5 = 0x50000001
    ALG_SHA1 = 0x50000002
    ALG_SHA224 = 0x50000003
    ALG_SHA256 = 0x50000004
    ALG_SHA384 = 0x50000005
    ALG_SHA512 = 0x50000006
    ALG_SM3 = 0x50000007
    ALG_SHA3_224 = 0x50000008
    ALG_SHA3_256 = 0x50000009
    ALG_SHA3_384 = 0x5000000A
    ALG_SHA3_512 = 0x5000000B
    ALG_MD5SHA1 = 0x5000000F
    ALG_SHAKE128 = 0x50000101
    ALG_SHAKE256 = 0x50000102
    # HMAC
    ALG_HMAC_MD5 = 0x30000001
    ALG_HMAC_SHA1 = 0x30000002
    ALG_HMAC_SHA224 = 0x30000003
    ALG_HMAC_SHA256 = 0x30000004
    ALG_HMAC_SHA384 = 0x30000005
    ALG_HMAC_SHA512 = 0x30000006
    ALG_HMAC_SM3 = 0x30000007
    ALG_HMAC_SHA3_224 = 0x30000008
    ALG_HMAC_SHA3_256 = 0x30000009
    ALG_HMAC_SHA3_384 = 0x3000000A
    ALG_HMAC_SHA3_512 = 0x3000000B
    # asymmetric, for the allocation rules
    ALG_RSASSA_PKCS1_V1_5_SHA256 = 0x70004830
    ALG_RSASSA_PKCS1_V1_5_SHA3_256 = 0x70009830
    ALG_RSA_NOPAD = 0x60000030
    ALG_DSA_SHA1 = 0x70002131
    ALG_DSA_SHA256 = 0x70004131
    ALG_ECDSA_SHA256 = 0x70003042
    ALG_ECDH_DERIVE_SHARED_SECRET = 0x80000042
    ALG_ED25519 = 0x70006043
    ALG_ED448 = 0x70006044
    ALG_X25519 = 0x80000044
    ALG_X448 = 0x80000045
    ALG_SM2_KEP = 0x60000045
    ALG_HKDF_SHA256_DERIVE_KEY = 0x800040C0
    ALG_ILLEGAL_VALUE = 0xEFFFFFFF


Attr = tuple[int, Union[bytes, tuple[int, int]]]


def encode_attrs(attrs: Iterable[Attr]) -> bytes:
    """Attributes in the TA's format: id, then a and b, or length and bytes."""
    out = bytearray()
    for attr_id, content in attrs:
        out += struct.pack("<I", attr_id)
        if attr_id & TEE.ATTR_FLAG_VALUE:
            if not isinstance(content, tuple):
                raise TypeError("a value attribute takes (a, b)")
            out += struct.pack("<II", *content)
        else:
            if isinstance(content, tuple):
                raise TypeError("a buffer attribute takes bytes")
            out += struct.pack("<I", len(content)) + bytes(content)
    return bytes(out)


class ObjectInfo(NamedTuple):
    object_type: int
    object_size: int
    max_object_size: int
    object_usage: int
    data_size: int
    data_position: int
    handle_flags: int


class OperationInfo(NamedTuple):
    algorithm: int
    operation_class: int
    mode: int
    digest_length: int
    max_key_size: int
    key_size: int
    required_key_usage: int
    handle_state: int


class OperationInfoMultiple(NamedTuple):
    algorithm: int
    operation_class: int
    mode: int
    digest_length: int
    max_key_size: int
    handle_state: int
    operation_state: int
    keys: tuple[tuple[int, int], ...]  # (keySize, requiredKeyUsage) per key


def skip_unless_supported(ta: CryptoTA, alg: int) -> None:
    """Skip the calling test when the TEE lacks ``alg`` (SM3 and SM4 depend on
    the OpenSSL of the host)."""
    if not ta.is_supported(alg):
        pytest.skip("the TEE does not support algorithm 0x%08x" % alg)


@contextlib.contextmanager
def crypto_session() -> Iterator[CryptoTA]:
    """A session with a fresh instance of the crypto test TA."""
    with Context() as context, context.open_session(TA_CRYPTO_TEST_UUID) as session:
        yield CryptoTA(session)


def _maybe(data: bytes | None) -> TempIn:
    """An "in" parameter: ``None`` is the null memory reference."""
    return TempIn(data)


class CryptoTA:
    """The crypto test TA's commands on an open session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # ---- objects ---------------------------------------------------------

    def alloc_object(self, obj_type: int, max_size: int) -> int:
        (out,) = self.session.invoke(
            TA_CRYPTO_CMD_ALLOC_OBJECT, ValueIn(obj_type, max_size), ValueOut()
        )
        return int(out.a)

    def free_object(self, oid: int) -> None:
        self.session.invoke(TA_CRYPTO_CMD_FREE_OBJECT, ValueIn(oid))

    def reset_object(self, oid: int) -> None:
        self.session.invoke(TA_CRYPTO_CMD_RESET_OBJECT, ValueIn(oid))

    def close_object(self, oid: int) -> None:
        self.session.invoke(TA_CRYPTO_CMD_CLOSE_OBJECT, ValueIn(oid))

    def populate(self, oid: int, attrs: Iterable[Attr]) -> None:
        self.session.invoke(
            TA_CRYPTO_CMD_POPULATE, ValueIn(oid), TempIn(encode_attrs(attrs))
        )

    def generate_key(self, oid: int, key_size: int, attrs: Iterable[Attr] = ()) -> None:
        encoded = encode_attrs(attrs)
        self.session.invoke(
            TA_CRYPTO_CMD_GENERATE_KEY,
            ValueIn(oid, key_size),
            TempIn(encoded if encoded else None),
        )

    def get_buffer_attr(self, oid: int, attr_id: int, size: int = 1024) -> bytes:
        (out,) = self.session.invoke(
            TA_CRYPTO_CMD_GET_BUFFER_ATTR, ValueIn(oid, attr_id), TempOut(size)
        )
        return bytes(out)

    def get_value_attr(self, oid: int, attr_id: int) -> tuple[int, int]:
        (out,) = self.session.invoke(
            TA_CRYPTO_CMD_GET_VALUE_ATTR, ValueIn(oid, attr_id), ValueOut()
        )
        return int(out.a), int(out.b)

    def object_info(self, oid: int) -> ObjectInfo:
        (out,) = self.session.invoke(
            TA_CRYPTO_CMD_GET_OBJECT_INFO, ValueIn(oid), TempOut(28)
        )
        return ObjectInfo(*struct.unpack("<7I", out))

    def restrict_usage(self, oid: int, usage: int) -> None:
        self.session.invoke(TA_CRYPTO_CMD_RESTRICT_USAGE, ValueIn(oid, usage))

    def copy_attrs(self, dst: int, src: int) -> None:
        self.session.invoke(TA_CRYPTO_CMD_COPY_ATTRS, ValueIn(dst, src))

    def secret_key(self, obj_type: int, key: bytes, max_size: int | None = None) -> int:
        """A new object of obj_type holding key as TEE_ATTR_SECRET_VALUE."""
        oid = self.alloc_object(
            obj_type, len(key) * 8 if max_size is None else max_size
        )
        self.populate(oid, [(TEE.ATTR_SECRET_VALUE, key)])
        return oid

    # ---- operations --------------------------------------------------------

    def alloc_op(self, alg: int, mode: int, max_key_size: int = 0) -> int:
        (out,) = self.session.invoke(
            TA_CRYPTO_CMD_ALLOC_OP,
            ValueIn(alg, mode),
            ValueIn(max_key_size),
            ValueOut(),
        )
        return int(out.a)

    def free_op(self, op: int) -> None:
        self.session.invoke(TA_CRYPTO_CMD_FREE_OP, ValueIn(op))

    def reset_op(self, op: int) -> None:
        self.session.invoke(TA_CRYPTO_CMD_RESET_OP, ValueIn(op))

    def copy_op(self, dst: int, src: int) -> None:
        self.session.invoke(TA_CRYPTO_CMD_COPY_OP, ValueIn(dst, src))

    def set_key(self, op: int, key: int) -> None:
        self.session.invoke(TA_CRYPTO_CMD_SET_KEY, ValueIn(op, key))

    def set_key2(self, op: int, key1: int, key2: int) -> None:
        self.session.invoke(TA_CRYPTO_CMD_SET_KEY2, ValueIn(op), ValueIn(key1, key2))

    def op_info(self, op: int) -> OperationInfo:
        (out,) = self.session.invoke(
            TA_CRYPTO_CMD_GET_OP_INFO, ValueIn(op), TempOut(32)
        )
        return OperationInfo(*struct.unpack("<8I", out))

    def op_info_multiple(self, op: int, slots: int = 2) -> OperationInfoMultiple:
        (out,) = self.session.invoke(
            TA_CRYPTO_CMD_GET_OP_INFO_MULTIPLE,
            ValueIn(op),
            TempOut(32 + 8 * slots),
        )
        words = struct.unpack("<%dI" % (len(out) // 4), out)
        keys = tuple((words[8 + 2 * n], words[9 + 2 * n]) for n in range(words[7]))
        return OperationInfoMultiple(
            algorithm=words[0],
            operation_class=words[1],
            mode=words[2],
            digest_length=words[3],
            max_key_size=words[4],
            handle_state=words[5],
            operation_state=words[6],
            keys=keys,
        )

    def is_supported(self, alg: int, element: int = 0) -> bool:
        try:
            self.session.invoke(TA_CRYPTO_CMD_IS_SUPPORTED, ValueIn(alg, element))
        except NotSupported:
            return False
        return True

    def cipher_op(
        self, alg: int, mode: int, key_type: int, key: bytes, key2: bytes | None = None
    ) -> int:
        """An operation of alg with key (and key2 for XTS) set."""
        size = len(key) * 8
        op = self.alloc_op(alg, mode, size * (2 if key2 is not None else 1))
        k1 = self.secret_key(key_type, key)
        if key2 is None:
            self.set_key(op, k1)
        else:
            self.set_key2(op, k1, self.secret_key(key_type, key2))
        return op

    # ---- digests ------------------------------------------------------------

    def digest_update(self, op: int, data: bytes | None) -> None:
        self.session.invoke(TA_CRYPTO_CMD_DIGEST_UPDATE, ValueIn(op), _maybe(data))

    def digest_final(self, op: int, data: bytes | None = b"", size: int = 64) -> bytes:
        (out,) = self.session.invoke(
            TA_CRYPTO_CMD_DIGEST_FINAL, ValueIn(op), _maybe(data), TempOut(size)
        )
        return bytes(out)

    def digest_extract(self, op: int, size: int) -> bytes:
        (out,) = self.session.invoke(
            TA_CRYPTO_CMD_DIGEST_EXTRACT, ValueIn(op), TempOut(size)
        )
        return bytes(out)

    # ---- ciphers ------------------------------------------------------------

    def cipher_init(self, op: int, iv: bytes | None = None) -> None:
        if iv is None:
            self.session.invoke(TA_CRYPTO_CMD_CIPHER_INIT, ValueIn(op))
        else:
            self.session.invoke(TA_CRYPTO_CMD_CIPHER_INIT, ValueIn(op), TempIn(iv))

    def _stream(
        self, command: int, op: int, data: bytes | None, size: int | None
    ) -> bytes:
        room = (len(data or b"") + 64) if size is None else size
        (out,) = self.session.invoke(command, ValueIn(op), _maybe(data), TempOut(room))
        return bytes(out)

    def cipher_update(
        self, op: int, data: bytes | None, size: int | None = None
    ) -> bytes:
        return self._stream(TA_CRYPTO_CMD_CIPHER_UPDATE, op, data, size)

    def cipher_final(
        self, op: int, data: bytes | None = b"", size: int | None = None
    ) -> bytes:
        return self._stream(TA_CRYPTO_CMD_CIPHER_FINAL, op, data, size)

    def cipher_in_place(self, final: bool, op: int, data: bytes, room: int) -> bytes:
        """Update or final with one buffer for source and destination: data,
        then room more bytes for the output."""
        command = TA_CRYPTO_CMD_CIPHER_FINAL if final else TA_CRYPTO_CMD_CIPHER_UPDATE
        buffer = bytearray(data) + bytearray(room)
        (out,) = self.session.invoke(
            command, ValueIn(op), TempInOut(buffer), ValueIn(len(data))
        )
        return bytes(out)

    # ---- MACs ----------------------------------------------------------------

    def mac_init(self, op: int, iv: bytes | None = None) -> None:
        if iv is None:
            self.session.invoke(TA_CRYPTO_CMD_MAC_INIT, ValueIn(op))
        else:
            self.session.invoke(TA_CRYPTO_CMD_MAC_INIT, ValueIn(op), TempIn(iv))

    def mac_update(self, op: int, data: bytes | None) -> None:
        self.session.invoke(TA_CRYPTO_CMD_MAC_UPDATE, ValueIn(op), _maybe(data))

    def mac_compute(self, op: int, data: bytes | None = b"", size: int = 64) -> bytes:
        return self._stream(TA_CRYPTO_CMD_MAC_COMPUTE, op, data, size)

    def mac_compare(self, op: int, data: bytes | None, mac: bytes) -> None:
        self.session.invoke(
            TA_CRYPTO_CMD_MAC_COMPARE, ValueIn(op), _maybe(data), TempIn(mac)
        )

    # ---- authenticated encryption ---------------------------------------------

    def ae_init(
        self,
        op: int,
        nonce: bytes,
        tag_bits: int,
        aad_len: int = 0,
        payload_len: int = 0,
    ) -> None:
        self.session.invoke(
            TA_CRYPTO_CMD_AE_INIT,
            ValueIn(op, tag_bits),
            TempIn(nonce),
            ValueIn(aad_len, payload_len),
        )

    def ae_update_aad(self, op: int, data: bytes | None) -> None:
        self.session.invoke(TA_CRYPTO_CMD_AE_UPDATE_AAD, ValueIn(op), _maybe(data))

    def ae_update(self, op: int, data: bytes | None, size: int | None = None) -> bytes:
        return self._stream(TA_CRYPTO_CMD_AE_UPDATE, op, data, size)

    def ae_encrypt_final(
        self, op: int, data: bytes | None, size: int | None = None, tag_size: int = 16
    ) -> tuple[bytes, bytes]:
        room = (len(data or b"") + 64) if size is None else size
        out, tag = self.session.invoke(
            TA_CRYPTO_CMD_AE_ENCRYPT_FINAL,
            ValueIn(op),
            _maybe(data),
            TempOut(room),
            TempOut(tag_size),
        )
        return bytes(out), bytes(tag)

    def ae_decrypt_final(
        self, op: int, data: bytes | None, tag: bytes, size: int | None = None
    ) -> bytes:
        room = (len(data or b"") + 64) if size is None else size
        (out,) = self.session.invoke(
            TA_CRYPTO_CMD_AE_DECRYPT_FINAL,
            ValueIn(op),
            _maybe(data),
            TempOut(room),
            TempIn(tag),
        )
        return bytes(out)

    # ---- other -------------------------------------------------------------------

    def random(self, size: int) -> bytes:
        (out,) = self.session.invoke(TA_CRYPTO_CMD_RANDOM, TempOut(size))
        return bytes(out)

    def misuse(self, case: int, target: int = 0) -> None:
        self.session.invoke(TA_CRYPTO_CMD_MISUSE, ValueIn(case, target))
