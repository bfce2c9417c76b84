"""Cryptographic operations of the GP TEE Internal Core API (GP 6), the Python way.

::

    from pytee.internal import raw
    from pytee.internal.operation import Operation

    _, tee, _ = raw.load()   # the TEE_* constants

    with Operation(tee.TEE_ALG_SHA256, tee.TEE_MODE_DIGEST) as sha:
        sha.update(b"abc")
        digest = sha.final(b"def")

    with Operation(tee.TEE_ALG_AES_GCM, tee.TEE_MODE_ENCRYPT, 256) as gcm:
        gcm.set_key(key)                 # a TransientObject
        gcm.init(nonce, 128)             # tag length in bits
        gcm.update_aad(header)
        ciphertext, tag = gcm.encrypt_final(plaintext)

One class, :class:`Operation` (``TEE_AllocateOperation``), whose methods
follow the operation class of its algorithm:

==================  ==========================================================
class               methods
==================  ==========================================================
digest              ``update``, ``final``, ``extract`` (SHAKE)
cipher              ``init(iv)``, ``update``, ``final``
MAC                 ``init``, ``update``, ``compute_final``, ``compare_final``
AE                  ``init(nonce, tag_len, aad_len, payload_len)``,
                    ``update_aad``, ``update``, ``encrypt_final``,
                    ``decrypt_final``
asymmetric          ``encrypt``, ``decrypt``, ``sign_digest``, ``verify_digest``
key derivation      ``derive_key``
==================  ==========================================================

``update`` returns the output the call produced (always ``b""`` for digests
and MACs).  Output buffers are sized as GP says and, on
``TEE_ERROR_SHORT_BUFFER``, grown once to the size libtee reported.

A check that must not be ignored raises: :meth:`Operation.compare_final`
raises :class:`~pytee.errors.MacInvalid`, :meth:`Operation.decrypt_final`
too, and :meth:`Operation.verify_digest` raises
:class:`~pytee.errors.SignatureInvalid`.  A method of another operation
class raises ``TypeError``; a call in the wrong state (``update`` before
``init``, ``set_key`` on an initialised operation...) raises ``ValueError``
before reaching libtee, where GP would panic the TA.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Union

from pytee.errors import ClosedError, NotSupported, ShortBuffer
from pytee.internal._check import BufferLike, check, in_buffer, load, sized_output, u32
from pytee.internal.objects import (
    Attribute,
    PersistentObject,
    TransientObject,
    attribute_array,
)

__all__ = [
    "Operation",
    "OperationInfo",
    "OperationInfoMultiple",
    "OperationKeyInfo",
    "generate_random",
    "is_algorithm_supported",
]

# GP ABI values (tee_api_defines.h).
_CIPHER, _MAC, _AE, _DIGEST, _ASYM_CIPHER, _ASYM_SIGNATURE, _KEY_DERIVATION = (
    1,
    3,
    4,
    5,
    6,
    7,
    8,
)
_CLASS_NAMES = {
    _CIPHER: "cipher",
    _MAC: "MAC",
    _AE: "authenticated encryption",
    _DIGEST: "digest",
    _ASYM_CIPHER: "asymmetric cipher",
    _ASYM_SIGNATURE: "asymmetric signature",
    _KEY_DERIVATION: "key derivation",
}
_MODE_ENCRYPT, _MODE_DECRYPT, _MODE_SIGN, _MODE_VERIFY = 0, 1, 2, 3
_STATE_INITIAL, _STATE_ACTIVE, _STATE_EXTRACTING = 0, 1, 2
_HANDLE_FLAG_INITIALIZED = 0x00020000
_HANDLE_FLAG_KEY_SET = 0x00040000
_HANDLE_FLAG_EXPECT_TWO_KEYS = 0x00080000
_RSA = 0x30  # main algorithm byte of the RSA algorithms
_DES_MAIN = (0x11, 0x13)  # ... and of DES and triple DES
_SM4_PKCS5 = 0x15  # ... and of the SM4 modes with PKCS#5 padding
# A cipher holds back at most two blocks of 16 bytes (CTS, XTS).
_CIPHER_SLACK = 32
_DEFAULT_TAG_BITS = 128

#: What set_key() takes.
Key = Union[TransientObject, PersistentObject]


@dataclass(frozen=True)
class OperationInfo:
    """``TEE_OperationInfo`` (``TEE_GetOperationInfo``)."""

    algorithm: int
    operation_class: int
    mode: int
    digest_length: int
    max_key_size: int
    key_size: int
    required_key_usage: int
    handle_state: int


@dataclass(frozen=True)
class OperationKeyInfo:
    """``TEE_OperationInfoKey``: one key of an operation."""

    key_size: int
    required_key_usage: int


@dataclass(frozen=True)
class OperationInfoMultiple:
    """``TEE_OperationInfoMultiple`` (``TEE_GetOperationInfoMultiple``)."""

    algorithm: int
    operation_class: int
    mode: int
    digest_length: int
    max_key_size: int
    handle_state: int
    operation_state: int
    keys: tuple[OperationKeyInfo, ...]


def _free(function: Any, cell: Any) -> None:
    handle = cell[0]
    if handle:
        cell[0] = load()[0].NULL
        function(handle)


class Operation:
    """A cryptographic operation (``TEE_AllocateOperation``).

    ``algorithm`` is a ``TEE_ALG_*``, ``mode`` a ``TEE_MODE_*`` and
    ``max_key_size`` the largest key in bits (0 for digests; for the
    two-key algorithms, the two keys together).  Unsupported combinations
    raise :class:`~pytee.errors.NotSupported`.  A context manager;
    ``close()`` (``TEE_FreeOperation``) is idempotent.
    """

    def __init__(self, algorithm: int, mode: int, max_key_size: int = 0) -> None:
        ffi, lib = load()
        self._algorithm = u32(algorithm, "algorithm")
        self._mode = u32(mode, "mode")
        self._max_key_size = u32(max_key_size, "max_key_size")
        cell = ffi.new("TEE_OperationHandle *")
        check(
            lib.TEE_AllocateOperation(
                cell, self._algorithm, self._mode, self._max_key_size
            ),
            "TEE_AllocateOperation",
        )
        self._cell = cell
        self._finalizer = weakref.finalize(self, _free, lib.TEE_FreeOperation, cell)
        self._class = self.info.operation_class
        # bytes given to a cipher or MAC since init(), for _check_total()
        self._fed = 0

    # -- life cycle

    @property
    def handle(self) -> Any:
        """The ``TEE_OperationHandle``, for the raw layer; ClosedError once closed."""
        handle = self._cell[0]
        if not handle:
            raise ClosedError("the operation is closed")
        return handle

    @property
    def closed(self) -> bool:
        return not self._cell[0]

    def close(self) -> None:
        """``TEE_FreeOperation``; idempotent."""
        self._finalizer()

    def __enter__(self) -> Operation:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return "<Operation algorithm 0x%08X mode %d%s>" % (
            self._algorithm,
            self._mode,
            " closed" if self.closed else "",
        )

    @property
    def algorithm(self) -> int:
        return self._algorithm

    @property
    def mode(self) -> int:
        return self._mode

    @property
    def info(self) -> OperationInfo:
        """``TEE_GetOperationInfo``."""
        ffi, lib = load()
        info = ffi.new("TEE_OperationInfo *")
        lib.TEE_GetOperationInfo(self.handle, info)
        return OperationInfo(
            int(info.algorithm),
            int(info.operationClass),
            int(info.mode),
            int(info.digestLength),
            int(info.maxKeySize),
            int(info.keySize),
            int(info.requiredKeyUsage),
            int(info.handleState),
        )

    def info_multiple(self) -> OperationInfoMultiple:
        """``TEE_GetOperationInfoMultiple``: the state and each key's size."""
        ffi, lib = load()
        room = ffi.sizeof("TEE_OperationInfoMultiple") + 2 * ffi.sizeof(
            "TEE_OperationInfoKey"
        )
        memory = ffi.new("char[]", room)
        info = ffi.cast("TEE_OperationInfoMultiple *", memory)
        size = ffi.new("size_t *", room)
        check(
            lib.TEE_GetOperationInfoMultiple(self.handle, info, size),
            "TEE_GetOperationInfoMultiple",
        )
        keys = tuple(
            OperationKeyInfo(
                int(info.keyInformation[n].keySize),
                int(info.keyInformation[n].requiredKeyUsage),
            )
            for n in range(int(info.numberOfKeys))
        )
        return OperationInfoMultiple(
            int(info.algorithm),
            int(info.operationClass),
            int(info.mode),
            int(info.digestLength),
            int(info.maxKeySize),
            int(info.handleState),
            int(info.operationState),
            keys,
        )

    def reset(self) -> None:
        """``TEE_ResetOperation``: back to the initial state, keys kept."""
        _, lib = load()
        if not self.info.handle_state & _HANDLE_FLAG_KEY_SET:
            raise ValueError("the operation has no key to keep; set_key() first")
        lib.TEE_ResetOperation(self.handle)
        self._fed = 0

    def copy(self) -> Operation:
        """A new operation in the same state (``TEE_CopyOperation``)."""
        _, lib = load()
        handle = self.handle
        twin = Operation(self._algorithm, self._mode, self._max_key_size)
        lib.TEE_CopyOperation(twin.handle, handle)
        twin._fed = self._fed
        return twin

    # -- keys

    def _key_handle(self, key: Key, required_usage: int) -> Any:
        if not isinstance(key, (TransientObject, PersistentObject)):
            raise TypeError("a key is an object, not %s" % type(key).__name__)
        info = key.info
        if not key.initialized:
            raise ValueError("the key object has no attributes")
        if info.object_usage & required_usage != required_usage:
            raise ValueError(
                "the key's usage 0x%08X lacks 0x%08X"
                % (info.object_usage, required_usage)
            )
        if info.object_size > self._max_key_size:
            raise ValueError(
                "a key of %d bits exceeds the operation's %d"
                % (info.object_size, self._max_key_size)
            )
        return key.handle

    def set_key(self, key: Key | None) -> None:
        """``TEE_SetOperationKey``: a copy of ``key`` (``None`` clears it).

        Only before ``init`` (or after :meth:`reset`).
        """
        ffi, lib = load()
        self._not_of(_DIGEST)
        info = self.info
        if info.handle_state & _HANDLE_FLAG_INITIALIZED:
            raise ValueError("the operation is initialised; reset() it first")
        if info.handle_state & _HANDLE_FLAG_EXPECT_TWO_KEYS and key is not None:
            raise ValueError("this algorithm takes two keys: use set_key2()")
        handle = (
            ffi.NULL if key is None else self._key_handle(key, info.required_key_usage)
        )
        check(lib.TEE_SetOperationKey(self.handle, handle), "TEE_SetOperationKey")

    def set_key2(self, key1: Key | None, key2: Key | None) -> None:
        """``TEE_SetOperationKey2``: both keys of AES-XTS, SM4-XTS or SM2-KEP.

        ``None, None`` clears them.  The same object twice raises
        :class:`~pytee.errors.Security`.
        """
        ffi, lib = load()
        state = self.info_multiple()
        if not state.handle_state & _HANDLE_FLAG_EXPECT_TWO_KEYS:
            raise TypeError("this algorithm takes one key: use set_key()")
        if state.operation_state != _STATE_INITIAL:
            raise ValueError("the operation is active; reset() it first")
        if (key1 is None) != (key2 is None):
            raise ValueError("give both keys or neither")
        usage = state.keys[0].required_key_usage if state.keys else 0
        handles = [
            ffi.NULL if key is None else self._key_handle(key, usage)
            for key in (key1, key2)
        ]
        check(
            lib.TEE_SetOperationKey2(self.handle, handles[0], handles[1]),
            "TEE_SetOperationKey2",
        )

    # -- state checks made before calls GP answers with a panic

    def _of(self, *classes: int) -> Any:
        handle = self.handle
        if self._class not in classes:
            raise TypeError(
                "not for a %s operation" % _CLASS_NAMES.get(self._class, "unknown")
            )
        return handle

    def _not_of(self, operation_class: int) -> None:
        if self.closed:
            raise ClosedError("the operation is closed")
        if self._class == operation_class:
            raise TypeError("not for a %s operation" % _CLASS_NAMES[operation_class])

    def _keyed(self, *classes: int) -> Any:
        handle = self._of(*classes)
        if not self.info.handle_state & _HANDLE_FLAG_KEY_SET:
            raise ValueError("the operation has no key; set_key() first")
        return handle

    def _initialised(self, *classes: int, active: bool) -> Any:
        handle = self._of(*classes)
        state = self.info_multiple()
        if not state.handle_state & _HANDLE_FLAG_INITIALIZED or (
            active and state.operation_state != _STATE_ACTIVE
        ):
            raise ValueError("the operation is not initialised; init() it first")
        return handle

    def _check_total(self, extra: int) -> None:
        """Refuse a final call GP answers with a panic: a NOPAD cipher or
        CBC-MAC whose input is not whole blocks, CTS or XTS below a block."""
        algorithm = self._algorithm
        chaining, main = (algorithm >> 8) & 0xF, algorithm & 0xFF
        block = 8 if main in _DES_MAIN else 16
        total = self._fed + extra
        if self._class == _MAC:
            nopad = chaining == 1
        else:
            nopad = chaining in (0, 1) and main != _SM4_PKCS5
        if nopad and total % block:
            raise ValueError(
                "this algorithm takes whole %d-byte blocks, got %d bytes in all"
                % (block, total)
            )
        if self._class == _CIPHER and chaining in (3, 4) and total < block:
            raise ValueError("CTS and XTS need at least one block, got %d" % total)

    def _in_mode(self, mode: int, what: str) -> Any:
        handle = self._keyed(_ASYM_CIPHER, _ASYM_SIGNATURE)
        if self._mode != mode:
            raise ValueError("%s needs an operation allocated for that mode" % what)
        return handle

    # -- symmetric: digest, cipher, MAC, AE

    def init(
        self,
        iv: BufferLike = b"",
        tag_len: int | None = None,
        aad_len: int = 0,
        payload_len: int = 0,
    ) -> None:
        """Start a cipher, MAC or AE operation.

        Cipher (``TEE_CipherInit``) and MAC (``TEE_MACInit``): ``iv`` only
        (none for ECB and the MACs).  AE (``TEE_AEInit``): ``iv`` is the
        nonce, ``tag_len`` the tag length in bits (default 128);
        ``aad_len`` and ``payload_len`` matter for CCM only.
        """
        ffi, lib = load()
        handle = self._keyed(_CIPHER, _MAC, _AE)
        nonce, nonce_len = in_buffer(ffi, iv, "iv")
        self._fed = 0
        if self._class != _AE:
            if tag_len is not None or aad_len or payload_len:
                raise ValueError("tag_len, aad_len and payload_len are for AE only")
            if self._class == _CIPHER:
                _check_iv(self._algorithm, nonce_len)
                lib.TEE_CipherInit(handle, nonce if nonce_len else ffi.NULL, nonce_len)
            else:
                lib.TEE_MACInit(handle, nonce if nonce_len else ffi.NULL, nonce_len)
            return
        bits = _DEFAULT_TAG_BITS if tag_len is None else u32(tag_len, "tag_len")
        if not nonce_len:
            raise ValueError("AE needs a nonce")
        if self.info_multiple().operation_state != _STATE_INITIAL:
            raise ValueError("the operation is active; reset() it first")
        if aad_len < 0 or payload_len < 0:
            raise ValueError("aad_len and payload_len must not be negative")
        check(
            lib.TEE_AEInit(handle, nonce, nonce_len, bits, aad_len, payload_len),
            "TEE_AEInit",
        )

    def update(self, data: BufferLike) -> bytes:
        """Feed ``data``; returns the output this call produced.

        Digest (``TEE_DigestUpdate``) and MAC (``TEE_MACUpdate``): always
        ``b""``.  Cipher (``TEE_CipherUpdate``) and AE (``TEE_AEUpdate``):
        what the mode lets out now (whole blocks for the block modes).
        """
        ffi, lib = load()
        if self._class == _DIGEST:
            handle = self._of(_DIGEST)
            if self.info_multiple().operation_state == _STATE_EXTRACTING:
                raise ValueError("the digest is being extracted; reset() it first")
            source, length = in_buffer(ffi, data, "data")
            lib.TEE_DigestUpdate(handle, source, length)
            return b""
        if self._class == _MAC:
            handle = self._initialised(_MAC, active=True)
            source, length = in_buffer(ffi, data, "data")
            lib.TEE_MACUpdate(handle, source, length)
            self._fed += length
            return b""
        if self._class == _CIPHER:
            handle = self._initialised(_CIPHER, active=True)
            source, length = in_buffer(ffi, data, "data")
            output = _through(handle, "TEE_CipherUpdate", source, length)
            self._fed += length
            return output
        handle = self._initialised(_AE, active=False)
        source, length = in_buffer(ffi, data, "data")
        return _through(handle, "TEE_AEUpdate", source, length)

    def final(self, data: BufferLike = b"", *, length: int | None = None) -> bytes:
        """The last ``data`` and the result; the operation can start again.

        Digest (``TEE_DigestDoFinal``): the digest; a SHAKE digest gives
        ``length`` bytes (required there, refused elsewhere).  Cipher
        (``TEE_CipherDoFinal``): the rest of the output.
        """
        ffi, lib = load()
        if self._class == _CIPHER:
            if length is not None:
                raise ValueError("length is for SHAKE digests only")
            handle = self._initialised(_CIPHER, active=True)
            source, source_len = in_buffer(ffi, data, "data")
            self._check_total(source_len)
            output = _through(handle, "TEE_CipherDoFinal", source, source_len)
            self._fed = 0
            return output
        handle = self._of(_DIGEST)
        state = self.info_multiple()
        source, source_len = in_buffer(ffi, data, "data")
        if state.operation_state == _STATE_EXTRACTING and source_len:
            raise ValueError("no more data once extraction started")
        size = self._digest_size(state.digest_length, length)

        def call(buffer: Any, size_cell: Any) -> int:
            result: int = lib.TEE_DigestDoFinal(
                handle, source, source_len, buffer, size_cell
            )
            return result

        return sized_output(ffi, "TEE_DigestDoFinal", size, call)

    @staticmethod
    def _digest_size(digest_length: int, length: int | None) -> int:
        if digest_length == 0:  # an extendable-output function (SHAKE)
            if length is None:
                raise ValueError("a SHAKE digest needs a length")
            return u32(length, "length")
        if length is not None:
            raise ValueError("length is for SHAKE digests only")
        return digest_length

    def extract(self, length: int) -> bytes:
        """``TEE_DigestExtract``: the next ``length`` bytes of the digest.

        For SHAKE, more output; for a fixed-size digest, it finishes the
        digest and gives its bytes piece by piece (fewer at the end).
        """
        ffi, lib = load()
        handle = self._of(_DIGEST)
        size = u32(length, "length")

        def call(buffer: Any, size_cell: Any) -> int:
            result: int = lib.TEE_DigestExtract(handle, buffer, size_cell)
            return result

        return sized_output(ffi, "TEE_DigestExtract", size, call)

    def compute_final(self, data: BufferLike = b"") -> bytes:
        """``TEE_MACComputeFinal``: the MAC of everything fed and ``data``."""
        ffi, lib = load()
        handle = self._initialised(_MAC, active=True)
        source, length = in_buffer(ffi, data, "data")
        self._check_total(length)

        def call(buffer: Any, size: Any) -> int:
            result: int = lib.TEE_MACComputeFinal(handle, source, length, buffer, size)
            return result

        return sized_output(ffi, "TEE_MACComputeFinal", self.info.digest_length, call)

    def compare_final(self, data: BufferLike, mac: BufferLike) -> None:
        """``TEE_MACCompareFinal``; raises :class:`~pytee.errors.MacInvalid`."""
        ffi, lib = load()
        handle = self._initialised(_MAC, active=True)
        source, length = in_buffer(ffi, data, "data")
        self._check_total(length)
        expected, expected_len = in_buffer(ffi, mac, "mac")
        check(
            lib.TEE_MACCompareFinal(handle, source, length, expected, expected_len),
            "TEE_MACCompareFinal",
        )

    def update_aad(self, data: BufferLike) -> None:
        """``TEE_AEUpdateAAD``: associated data, before any payload."""
        ffi, lib = load()
        handle = self._initialised(_AE, active=False)
        if self.info_multiple().operation_state != _STATE_INITIAL:
            raise ValueError("associated data must come before the payload")
        source, length = in_buffer(ffi, data, "data")
        lib.TEE_AEUpdateAAD(handle, source, length)

    def encrypt_final(self, data: BufferLike = b"") -> tuple[bytes, bytes]:
        """``TEE_AEEncryptFinal``: ``(the rest of the ciphertext, the tag)``."""
        ffi, lib = load()
        handle = self._initialised(_AE, active=False)
        source, length = in_buffer(ffi, data, "data")
        sizes = [length + _CIPHER_SLACK, self.info.digest_length]
        out_len = ffi.new("size_t *")
        tag_len = ffi.new("size_t *")
        for attempt in range(2):
            out = ffi.new("uint8_t[]", max(sizes[0], 1))
            tag = ffi.new("uint8_t[]", max(sizes[1], 1))
            out_len[0], tag_len[0] = sizes
            result = lib.TEE_AEEncryptFinal(
                handle, source, length, out, out_len, tag, tag_len
            )
            reported = [int(out_len[0]), int(tag_len[0])]
            try:
                check(
                    result,
                    "TEE_AEEncryptFinal",
                    required_size=max(reported),
                    sizes=tuple(reported),
                )
            except ShortBuffer:
                if attempt or (reported[0] <= sizes[0] and reported[1] <= sizes[1]):
                    raise
                sizes = [max(a, b) for a, b in zip(sizes, reported)]
                continue
            return (
                bytes(ffi.buffer(out, min(reported[0], sizes[0]))),
                bytes(ffi.buffer(tag, min(reported[1], sizes[1]))),
            )
        raise AssertionError("unreachable")  # pragma: no cover

    def decrypt_final(self, data: BufferLike, tag: BufferLike) -> bytes:
        """``TEE_AEDecryptFinal``: the rest of the plaintext.

        Raises :class:`~pytee.errors.MacInvalid` when the tag does not match
        (the plaintext given out by :meth:`update` must then be discarded).
        """
        ffi, lib = load()
        handle = self._initialised(_AE, active=False)
        source, length = in_buffer(ffi, data, "data")
        expected, expected_len = in_buffer(ffi, tag, "tag")

        def call(buffer: Any, size: Any) -> int:
            result: int = lib.TEE_AEDecryptFinal(
                handle, source, length, buffer, size, expected, expected_len
            )
            return result

        return sized_output(ffi, "TEE_AEDecryptFinal", length + _CIPHER_SLACK, call)

    # -- asymmetric

    def _key_bytes(self) -> int:
        return (self.info.key_size + 7) // 8

    def encrypt(self, data: BufferLike, params: Iterable[Attribute] = ()) -> bytes:
        """``TEE_AsymmetricEncrypt`` (RSAES, SM2 PKE)."""
        ffi, lib = load()
        handle = self._in_mode(_MODE_ENCRYPT, "encrypt")
        source, length = in_buffer(ffi, data, "data")
        n = self._key_bytes()
        # RSA: the modulus size; SM2: C1 (a point), C3 (SM3), C2 (the message).
        size = n if self._algorithm & 0xFF == _RSA else 1 + 2 * n + 32 + length
        return self._asym(
            handle,
            lib.TEE_AsymmetricEncrypt,
            "TEE_AsymmetricEncrypt",
            params,
            source,
            length,
            size,
        )

    def decrypt(self, data: BufferLike, params: Iterable[Attribute] = ()) -> bytes:
        """``TEE_AsymmetricDecrypt`` (RSAES, SM2 PKE)."""
        ffi, lib = load()
        handle = self._in_mode(_MODE_DECRYPT, "decrypt")
        source, length = in_buffer(ffi, data, "data")
        return self._asym(
            handle,
            lib.TEE_AsymmetricDecrypt,
            "TEE_AsymmetricDecrypt",
            params,
            source,
            length,
            max(length, self._key_bytes()),
        )

    def sign_digest(
        self, digest: BufferLike, params: Iterable[Attribute] = ()
    ) -> bytes:
        """``TEE_AsymmetricSignDigest``: a signature of ``digest``.

        RSA: the modulus size; DSA, ECDSA, SM2: ``r || s``; Ed25519: 64 bytes
        (``digest`` is then the message).
        """
        ffi, lib = load()
        handle = self._in_mode(_MODE_SIGN, "sign_digest")
        source, length = in_buffer(ffi, digest, "digest")
        n = self._key_bytes()
        size = n if self._algorithm & 0xFF == _RSA else 2 * n
        return self._asym(
            handle,
            lib.TEE_AsymmetricSignDigest,
            "TEE_AsymmetricSignDigest",
            params,
            source,
            length,
            size,
        )

    def verify_digest(
        self,
        digest: BufferLike,
        signature: BufferLike,
        params: Iterable[Attribute] = (),
    ) -> None:
        """``TEE_AsymmetricVerifyDigest``; raises
        :class:`~pytee.errors.SignatureInvalid` for a wrong signature."""
        ffi, lib = load()
        handle = self._in_mode(_MODE_VERIFY, "verify_digest")
        source, length = in_buffer(ffi, digest, "digest")
        sig, sig_len = in_buffer(ffi, signature, "signature")
        array, count, owners = attribute_array(params)
        result = lib.TEE_AsymmetricVerifyDigest(
            handle, array, count, source, length, sig, sig_len
        )
        del owners
        check(result, "TEE_AsymmetricVerifyDigest")

    def _asym(
        self,
        handle: Any,
        function: Any,
        name: str,
        params: Iterable[Attribute],
        source: Any,
        length: int,
        size: int,
    ) -> bytes:
        ffi, _ = load()
        array, count, owners = attribute_array(params)

        def call(buffer: Any, size_cell: Any) -> int:
            result: int = function(
                handle, array, count, source, length, buffer, size_cell
            )
            return result

        try:
            return sized_output(ffi, name, size, call)
        finally:
            del owners

    # -- key derivation

    def derive_key(self, params: Iterable[Attribute], derived: TransientObject) -> None:
        """``TEE_DeriveKey``: fill the empty object ``derived`` (DH, ECDH,
        X25519, HKDF, SM2-KEP...) from ``params``."""
        _, lib = load()
        handle = self._keyed(_KEY_DERIVATION)
        if not isinstance(derived, TransientObject):
            raise TypeError(
                "derived must be a TransientObject, not %s" % type(derived).__name__
            )
        if derived.initialized:
            raise ValueError("derived is already initialised; reset() it first")
        array, count, owners = attribute_array(params)
        lib.TEE_DeriveKey(handle, array, count, derived.handle)
        del owners


def _through(handle: Any, name: str, source: Any, length: int) -> bytes:
    """``name``, a cipher or AE update or final: the output it gives."""
    ffi, lib = load()
    function = getattr(lib, name)

    def call(buffer: Any, size: Any) -> int:
        result: int = function(handle, source, length, buffer, size)
        return result

    return sized_output(ffi, name, length + _CIPHER_SLACK, call)


def _check_iv(algorithm: int, iv_len: int) -> None:
    """GP: no IV for ECB, else an IV of one block (8 bytes for DES)."""
    if (algorithm >> 8) & 0xF == 0:
        if iv_len:
            raise ValueError("ECB takes no IV")
        return
    block = 8 if algorithm & 0xFF in _DES_MAIN else 16
    if iv_len != block:
        raise ValueError("the IV must be %d bytes, got %d" % (block, iv_len))


def is_algorithm_supported(algorithm: int, element: int = 0) -> bool:
    """``TEE_IsAlgorithmSupported``; ``element`` is a ``TEE_ECC_CURVE_*`` or
    ``TEE_CRYPTO_ELEMENT_NONE`` (0)."""
    _, lib = load()
    result = lib.TEE_IsAlgorithmSupported(
        u32(algorithm, "algorithm"), u32(element, "element")
    )
    try:
        check(result, "TEE_IsAlgorithmSupported")
    except NotSupported:
        return False
    return True


def generate_random(size: int) -> bytes:
    """``TEE_GenerateRandom``: ``size`` random bytes."""
    ffi, lib = load()
    if size < 0:
        raise ValueError("size must not be negative")
    buffer = ffi.new("uint8_t[]", max(size, 1))
    lib.TEE_GenerateRandom(buffer, size)
    return bytes(ffi.buffer(buffer, size))
