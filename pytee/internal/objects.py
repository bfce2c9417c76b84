"""Trusted Storage of the GP TEE Internal Core API (GP 5), the Python way.

::

    from pytee.internal import raw
    from pytee.internal.objects import Attribute, PersistentObject, TransientObject

    _, tee, _ = raw.load()   # the TEE_* constants

    with TransientObject.allocate(tee.TEE_TYPE_AES, 256) as key:
        key.generate_key(256)
        flags = tee.TEE_DATA_FLAG_ACCESS_READ | tee.TEE_DATA_FLAG_ACCESS_WRITE
        with PersistentObject.create(b"key", flags, key, b"notes") as stored:
            stored.read(5)   # b"notes"

Objects
    :class:`TransientObject` (``TEE_AllocateTransientObject``),
    :class:`PersistentObject` (``TEE_CreatePersistentObject``,
    ``TEE_OpenPersistentObject``) and :class:`ObjectEnumerator`
    (``TEE_AllocatePersistentObjectEnumerator``) are context managers;
    ``close()`` is idempotent and a closed object raises
    :class:`~pytee.errors.ClosedError`.  ``weakref.finalize`` frees what is
    forgotten, as a safety net only.

Attributes
    :class:`Attribute` is a ``TEE_Attribute`` made from Python values:
    ``Attribute.ref(TEE_ATTR_SECRET_VALUE, key_bytes)`` or
    ``Attribute.value(TEE_ATTR_ECC_CURVE, TEE_ECC_CURVE_NIST_P256)``.

Errors
    Every result other than ``TEE_SUCCESS`` raises a
    :class:`~pytee.errors.TeeError` (origin ``TEE_ORIGIN_TEE``).  Misuse
    that GP answers with a panic and that can be seen from here (an
    initialised object populated again, a secret read from an object that
    is not extractable, a read without ``TEE_DATA_FLAG_ACCESS_READ``, an
    object id longer than 64 bytes...) raises ``ValueError`` or
    ``TypeError`` before any C call; the rest panics the TA as GP says.
"""

from __future__ import annotations

import io
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

from pytee.errors import ClosedError, ItemNotFound, TeeError
from pytee.internal._check import (
    BufferLike,
    check,
    in_buffer,
    load,
    sized_output,
    u32,
)
from pytee.internal.properties import PropSet, get_bool

__all__ = [
    "Attribute",
    "ObjectEnumerator",
    "ObjectInfo",
    "PersistentObject",
    "TransientObject",
    "ValueAttribute",
]

# GP fixes these bits of the ABI (tee_api_defines.h).
_ATTR_FLAG_PUBLIC = 1 << 28
_ATTR_FLAG_VALUE = 1 << 29
_HANDLE_FLAG_PERSISTENT = 0x00010000
_HANDLE_FLAG_INITIALIZED = 0x00020000
_USAGE_EXTRACTABLE = 0x00000001
_DATA_FLAG_ACCESS_READ = 0x00000001
_DATA_FLAG_ACCESS_WRITE = 0x00000002
_DATA_FLAG_ACCESS_WRITE_META = 0x00000004
_OPEN_FLAGS = 0x00000037  # ACCESS_READ | _WRITE | _WRITE_META | SHARE_READ | _WRITE
_CREATE_FLAGS = _OPEN_FLAGS | 0x00000400  # and OVERWRITE
_OBJECT_ID_MAX_LEN = 64
_KEY_PAIR_BIT = 0x01000000  # a key-pair type is its public type with this bit
_CORRUPT_OBJECT = (0xF0100001, 0xF0100002)  # TEE_ERROR_CORRUPT_OBJECT(_2)

_T = TypeVar("_T", bound="_Object")


# --------------------------------------------------------------------------
# Attributes and information


@dataclass(frozen=True)
class Attribute:
    """A ``TEE_Attribute``: a buffer (``data``) or two integers (``a``, ``b``).

    Whether it is a value attribute is bit 29 of ``attribute_id``
    (``TEE_ATTR_FLAG_VALUE``); build one with :meth:`ref` or :meth:`value`.
    """

    attribute_id: int
    data: bytes | None = None
    a: int = 0
    b: int = 0

    def __post_init__(self) -> None:
        u32(self.attribute_id, "attribute_id")
        if self.is_value:
            if self.data is not None:
                raise ValueError(
                    "attribute 0x%08X is a value attribute: give a and b, not data"
                    % self.attribute_id
                )
            u32(self.a, "a")
            u32(self.b, "b")
        elif not isinstance(self.data, bytes):
            raise ValueError(
                "attribute 0x%08X is a buffer attribute: give its data as bytes"
                % self.attribute_id
            )

    @classmethod
    def ref(cls, attribute_id: int, data: BufferLike) -> Attribute:
        """A buffer attribute (``TEE_InitRefAttribute``); ``data`` is copied."""
        if isinstance(data, str):
            raise TypeError("data must be bytes-like, not str")
        return cls(attribute_id, bytes(data))

    @classmethod
    def value(cls, attribute_id: int, a: int, b: int = 0) -> Attribute:
        """A value attribute (``TEE_InitValueAttribute``)."""
        return cls(attribute_id, None, a, b)

    @property
    def is_value(self) -> bool:
        """Whether this is a value attribute (``TEE_ATTR_FLAG_VALUE`` set)."""
        return bool(self.attribute_id & _ATTR_FLAG_VALUE)


class ValueAttribute(NamedTuple):
    """The two integers of a value attribute."""

    a: int
    b: int


@dataclass(frozen=True)
class ObjectInfo:
    """``TEE_ObjectInfo``: what ``TEE_GetObjectInfo1`` tells about an object."""

    object_type: int
    object_size: int
    max_object_size: int
    object_usage: int
    data_size: int
    data_position: int
    handle_flags: int

    @classmethod
    def _from_c(cls, info: Any) -> ObjectInfo:
        return cls(
            int(info.objectType),
            int(info.objectSize),
            int(info.maxObjectSize),
            int(info.objectUsage),
            int(info.dataSize),
            int(info.dataPosition),
            int(info.handleFlags),
        )


def attribute_array(attributes: Iterable[Attribute]) -> tuple[Any, int, list[Any]]:
    """``(TEE_Attribute array or NULL, count, owners)`` for a C call.

    Keep ``owners`` (the buffers the array points into) alive during the call.
    """
    ffi, lib = load()
    items = list(attributes)
    for item in items:
        if not isinstance(item, Attribute):
            raise TypeError(
                "attributes must be Attribute objects, not %s" % type(item).__name__
            )
    if not items:
        return ffi.NULL, 0, []
    array = ffi.new("TEE_Attribute[]", len(items))
    owners: list[Any] = [array]
    for index, item in enumerate(items):
        slot = array + index
        if item.data is None:
            lib.TEE_InitValueAttribute(slot, item.attribute_id, item.a, item.b)
        else:
            buffer, length = in_buffer(ffi, item.data, "attribute data")
            owners.append(buffer)
            lib.TEE_InitRefAttribute(slot, item.attribute_id, buffer, length)
    return array, len(items), owners


# --------------------------------------------------------------------------
# Objects


def _object_id(object_id: BufferLike) -> bytes:
    if isinstance(object_id, str):
        raise TypeError("object_id must be bytes-like, not str")
    octets = bytes(object_id)
    if len(octets) > _OBJECT_ID_MAX_LEN:
        raise ValueError(
            "an object id has at most %d bytes, got %d"
            % (_OBJECT_ID_MAX_LEN, len(octets))
        )
    return octets


def _storage(storage: int | None) -> int:
    if storage is None:
        return int(load()[1].TEE_STORAGE_PRIVATE)
    return u32(storage, "storage")


def _release(function: Any, cell: Any) -> None:
    """Free the handle in ``cell`` (finalizer and close() alike)."""
    handle = cell[0]
    if handle:
        cell[0] = load()[0].NULL
        function(handle)


class _Object:
    """What transient and persistent objects share (GP 5.5)."""

    _kind = "object"

    def __init__(self, cell: Any, release: Any) -> None:
        # cell: a TEE_ObjectHandle * owning the handle; NULL once closed.
        self._cell = cell
        self._finalizer = weakref.finalize(self, _release, release, cell)

    @property
    def handle(self) -> Any:
        """The ``TEE_ObjectHandle``, for the raw layer; ClosedError once closed."""
        handle = self._cell[0]
        if not handle:
            raise ClosedError("the %s is closed" % self._kind)
        return handle

    @property
    def closed(self) -> bool:
        return not self._cell[0]

    def close(self) -> None:
        """Free the handle; idempotent."""
        self._finalizer()

    def __enter__(self: _T) -> _T:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.close()

    def __repr__(self) -> str:
        if self.closed:
            return "<%s closed>" % type(self).__name__
        info = self.info
        return "<%s type 0x%08X size %d>" % (
            type(self).__name__,
            info.object_type,
            info.object_size,
        )

    @property
    def info(self) -> ObjectInfo:
        """``TEE_GetObjectInfo1``."""
        ffi, lib = load()
        info = ffi.new("TEE_ObjectInfo *")
        check(lib.TEE_GetObjectInfo1(self.handle, info), "TEE_GetObjectInfo1")
        return ObjectInfo._from_c(info)

    @property
    def initialized(self) -> bool:
        """Whether the object holds attributes (``TEE_HANDLE_FLAG_INITIALIZED``)."""
        return bool(self.info.handle_flags & _HANDLE_FLAG_INITIALIZED)

    def restrict_usage(self, usage: int) -> None:
        """``TEE_RestrictObjectUsage1``: keep only the ``TEE_USAGE_*`` bits given."""
        _, lib = load()
        check(
            lib.TEE_RestrictObjectUsage1(self.handle, u32(usage, "usage")),
            "TEE_RestrictObjectUsage1",
        )

    def _readable(self, attribute_id: int, value: bool) -> int:
        number = u32(attribute_id, "attribute_id")
        if bool(number & _ATTR_FLAG_VALUE) != value:
            raise ValueError(
                "attribute 0x%08X is a %s attribute"
                % (number, "buffer" if value else "value")
            )
        info = self.info
        if not info.handle_flags & _HANDLE_FLAG_INITIALIZED:
            raise ValueError("the object has no attributes yet")
        if not number & _ATTR_FLAG_PUBLIC and not (
            info.object_usage & _USAGE_EXTRACTABLE
        ):
            raise ValueError(
                "attribute 0x%08X is secret and the object is not extractable" % number
            )
        return number

    def get_buffer_attribute(self, attribute_id: int) -> bytes:
        """A buffer attribute's bytes (``TEE_GetObjectBufferAttribute``).

        Raises :class:`~pytee.errors.ItemNotFound` if the object lacks it.
        """
        ffi, lib = load()
        number = self._readable(attribute_id, False)
        handle = self.handle
        size = (self.info.object_size + 7) // 8  # bounds all but odd ones: retried

        def call(buffer: Any, length: Any) -> int:
            result: int = lib.TEE_GetObjectBufferAttribute(
                handle, number, buffer, length
            )
            return result

        return sized_output(ffi, "TEE_GetObjectBufferAttribute", size, call)

    def get_value_attribute(self, attribute_id: int) -> ValueAttribute:
        """A value attribute's ``(a, b)`` (``TEE_GetObjectValueAttribute``)."""
        ffi, lib = load()
        number = self._readable(attribute_id, True)
        a = ffi.new("uint32_t *")
        b = ffi.new("uint32_t *")
        check(
            lib.TEE_GetObjectValueAttribute(self.handle, number, a, b),
            "TEE_GetObjectValueAttribute",
        )
        return ValueAttribute(int(a[0]), int(b[0]))


class TransientObject(_Object):
    """A transient object: a key or key pair held in memory (GP 5.6).

    Make one with :meth:`allocate`, then fill it with :meth:`populate`,
    :meth:`generate_key` or :meth:`copy_from`.
    """

    _kind = "transient object"

    @classmethod
    def allocate(cls, object_type: int, max_size: int) -> TransientObject:
        """``TEE_AllocateTransientObject``: an empty object of a ``TEE_TYPE_*``.

        ``max_size`` is the largest key size in bits it will hold.
        """
        ffi, lib = load()
        cell = ffi.new("TEE_ObjectHandle *")
        check(
            lib.TEE_AllocateTransientObject(
                u32(object_type, "object_type"), u32(max_size, "max_size"), cell
            ),
            "TEE_AllocateTransientObject",
        )
        return cls(cell, lib.TEE_FreeTransientObject)

    def _blank(self) -> Any:
        if self.initialized:
            raise ValueError("the object is already initialised; reset() it first")
        return self.handle

    def populate(self, attributes: Iterable[Attribute]) -> None:
        """``TEE_PopulateTransientObject``: set the object's attributes."""
        _, lib = load()
        handle = self._blank()
        array, count, owners = attribute_array(attributes)
        result = lib.TEE_PopulateTransientObject(handle, array, count)
        del owners
        check(result, "TEE_PopulateTransientObject")

    def generate_key(self, size: int, attributes: Iterable[Attribute] = ()) -> None:
        """``TEE_GenerateKey``: a new random key of ``size`` bits.

        ``attributes`` are the generation parameters some types take (the
        curve of an ECC key, the domain of a DH or DSA key...).
        """
        _, lib = load()
        handle = self._blank()
        array, count, owners = attribute_array(attributes)
        result = lib.TEE_GenerateKey(handle, u32(size, "size"), array, count)
        del owners
        check(result, "TEE_GenerateKey")

    def copy_from(self, source: TransientObject | PersistentObject) -> None:
        """``TEE_CopyObjectAttributes1``: take the attributes of ``source``.

        ``source`` has this object's type, or is the key pair of this
        object's public-key type (only the public part is copied).
        """
        _, lib = load()
        if not isinstance(source, _Object):
            raise TypeError("source must be an object, not %s" % type(source).__name__)
        handle = self._blank()
        source_info = source.info
        if not source_info.handle_flags & _HANDLE_FLAG_INITIALIZED:
            raise ValueError("the source object has no attributes")
        own_type = self.info.object_type
        if source_info.object_type not in (own_type, own_type | _KEY_PAIR_BIT):
            raise ValueError(
                "cannot copy an object of type 0x%08X into one of type 0x%08X"
                % (source_info.object_type, own_type)
            )
        check(
            lib.TEE_CopyObjectAttributes1(handle, source.handle),
            "TEE_CopyObjectAttributes1",
        )

    def reset(self) -> None:
        """``TEE_ResetTransientObject``: back to empty, the usage restored."""
        _, lib = load()
        lib.TEE_ResetTransientObject(self.handle)


class PersistentObject(_Object):
    """A persistent object of trusted storage and its data stream (GP 5.7, 5.9).

    Make one with :meth:`create` or :meth:`open`.  ``flags`` are the
    ``TEE_DATA_FLAG_*`` bits; ``storage`` defaults to ``TEE_STORAGE_PRIVATE``.

    An object found corrupt raises ``TeeError`` with code
    ``TEE_ERROR_CORRUPT_OBJECT`` and is deleted; the handle is then closed
    too, unless the TA has ``TA_FLAG_DONT_CLOSE_HANDLE_ON_CORRUPT_OBJECT``.
    """

    _kind = "persistent object"

    def __init__(self, cell: Any, release: Any, flags: int) -> None:
        super().__init__(cell, release)
        self._flags = flags

    @classmethod
    def create(
        cls,
        object_id: BufferLike,
        flags: int,
        attributes: TransientObject | PersistentObject | None = None,
        data: BufferLike = b"",
        storage: int | None = None,
    ) -> PersistentObject:
        """``TEE_CreatePersistentObject``: a new object, opened with ``flags``.

        ``attributes`` (an initialised object, kept as it is) gives the
        object's type and attributes; without it the object holds data
        only.  ``data`` is the initial data stream.  With
        ``TEE_DATA_FLAG_OVERWRITE`` an existing object of that id is
        replaced, else creating it raises
        :class:`~pytee.errors.AccessConflict`.
        """
        ffi, lib = load()
        octets = _object_id(object_id)
        mode = _flags(flags, _CREATE_FLAGS)
        space = _storage(storage)
        source = ffi.NULL
        if attributes is not None:
            if not isinstance(attributes, _Object):
                raise TypeError(
                    "attributes must be an object, not %s" % type(attributes).__name__
                )
            if not attributes.initialized:
                raise ValueError("the attributes object has no attributes")
            source = attributes.handle
        initial, initial_len = in_buffer(ffi, data, "data")
        cell = ffi.new("TEE_ObjectHandle *")
        result = lib.TEE_CreatePersistentObject(
            space, octets, len(octets), mode, source, initial, initial_len, cell
        )
        check(result, "TEE_CreatePersistentObject")
        return cls(cell, lib.TEE_CloseObject, mode)

    @classmethod
    def open(
        cls, object_id: BufferLike, flags: int, storage: int | None = None
    ) -> PersistentObject:
        """``TEE_OpenPersistentObject``: open an existing object.

        Raises :class:`~pytee.errors.ItemNotFound` if there is none, and
        :class:`~pytee.errors.AccessConflict` if a handle already open on it
        does not share the access asked for.
        """
        ffi, lib = load()
        octets = _object_id(object_id)
        mode = _flags(flags, _OPEN_FLAGS)
        cell = ffi.new("TEE_ObjectHandle *")
        result = lib.TEE_OpenPersistentObject(
            _storage(storage), octets, len(octets), mode, cell
        )
        check(result, "TEE_OpenPersistentObject")
        return cls(cell, lib.TEE_CloseObject, mode)

    @property
    def flags(self) -> int:
        """The ``TEE_DATA_FLAG_*`` bits the handle was opened with."""
        return self._flags

    def _check(self, result: int, function: str) -> None:
        """check(), and forget the handle when libtee closed it.

        A read, write, truncate or rename that finds the object corrupt
        deletes it and, as OP-TEE, closes the handle unless the TA has
        TA_FLAG_DONT_CLOSE_HANDLE_ON_CORRUPT_OBJECT; closing it again would
        panic.
        """
        try:
            check(result, function)
        except TeeError as failure:
            if failure.code in _CORRUPT_OBJECT and not get_bool(
                PropSet.CURRENT_TA, "gpd.ta.doesNotCloseHandleOnCorruptObject"
            ):
                self._finalizer.detach()
                self._cell[0] = load()[0].NULL
            raise

    def _needs(self, flag: int, name: str) -> Any:
        handle = self.handle
        if not self._flags & flag:
            raise ValueError("the object was not opened with %s" % name)
        return handle

    def read(self, size: int = -1) -> bytes:
        """``TEE_ReadObjectData``: up to ``size`` bytes from the position.

        Fewer bytes (``b""`` at the end) when the stream ends first; a
        negative ``size`` reads to the end.
        """
        ffi, lib = load()
        handle = self._needs(_DATA_FLAG_ACCESS_READ, "TEE_DATA_FLAG_ACCESS_READ")
        if size < 0:
            info = self.info
            size = max(info.data_size - info.data_position, 0)
        wanted = u32(size, "size")
        buffer = ffi.new("uint8_t[]", max(wanted, 1))
        count = ffi.new("size_t *")
        self._check(
            lib.TEE_ReadObjectData(handle, buffer, wanted, count),
            "TEE_ReadObjectData",
        )
        return bytes(ffi.buffer(buffer, min(int(count[0]), wanted)))

    def write(self, data: BufferLike) -> None:
        """``TEE_WriteObjectData``: write ``data`` at the position."""
        ffi, lib = load()
        handle = self._needs(_DATA_FLAG_ACCESS_WRITE, "TEE_DATA_FLAG_ACCESS_WRITE")
        buffer, length = in_buffer(ffi, data, "data")
        self._check(
            lib.TEE_WriteObjectData(handle, buffer, length), "TEE_WriteObjectData"
        )

    def truncate(self, size: int) -> None:
        """``TEE_TruncateObjectData``: cut or zero-extend the stream to ``size``."""
        _, lib = load()
        handle = self._needs(_DATA_FLAG_ACCESS_WRITE, "TEE_DATA_FLAG_ACCESS_WRITE")
        if size < 0:
            raise ValueError("size must not be negative")
        self._check(lib.TEE_TruncateObjectData(handle, size), "TEE_TruncateObjectData")

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """``TEE_SeekObjectData``; returns the new position.

        ``whence`` is ``TEE_DATA_SEEK_SET``, ``_CUR`` or ``_END``, which are
        ``io.SEEK_SET``, ``io.SEEK_CUR`` and ``io.SEEK_END``.  A position
        past ``TEE_DATA_MAX_POSITION`` raises :class:`~pytee.errors.Overflow`;
        a negative one becomes 0.
        """
        _, lib = load()
        handle = self.handle
        if whence not in (io.SEEK_SET, io.SEEK_CUR, io.SEEK_END):
            raise ValueError("whence must be SEEK_SET, SEEK_CUR or SEEK_END")
        if not -(2**63) <= offset < 2**63:
            raise ValueError("offset out of intmax_t range")
        check(lib.TEE_SeekObjectData(handle, offset, whence), "TEE_SeekObjectData")
        return self.info.data_position

    def rename(self, new_id: BufferLike) -> None:
        """``TEE_RenamePersistentObject``; needs ``TEE_DATA_FLAG_ACCESS_WRITE_META``.

        Raises :class:`~pytee.errors.AccessConflict` if ``new_id`` exists.
        """
        _, lib = load()
        handle = self._needs(
            _DATA_FLAG_ACCESS_WRITE_META, "TEE_DATA_FLAG_ACCESS_WRITE_META"
        )
        octets = _object_id(new_id)
        self._check(
            lib.TEE_RenamePersistentObject(handle, octets, len(octets)),
            "TEE_RenamePersistentObject",
        )

    def close_and_delete(self) -> None:
        """``TEE_CloseAndDeletePersistentObject1``: delete the object and close.

        Needs ``TEE_DATA_FLAG_ACCESS_WRITE_META``.  The handle is closed
        even when the deletion fails (as GP says).
        """
        ffi, lib = load()
        handle = self._needs(
            _DATA_FLAG_ACCESS_WRITE_META, "TEE_DATA_FLAG_ACCESS_WRITE_META"
        )
        self._finalizer.detach()
        self._cell[0] = ffi.NULL
        check(
            lib.TEE_CloseAndDeletePersistentObject1(handle),
            "TEE_CloseAndDeletePersistentObject1",
        )


def _flags(flags: int, allowed: int) -> int:
    number = u32(flags, "flags")
    if number & ~allowed:
        raise ValueError("unknown TEE_DATA_FLAG_* bits: 0x%08X" % (number & ~allowed))
    return number


# --------------------------------------------------------------------------
# Enumeration


class ObjectEnumerator:
    """Lists the persistent objects of a storage (GP 5.8).

    ::

        with ObjectEnumerator() as objects:
            for object_id, info in objects.iterate():
                ...

    :meth:`iterate` (re)starts the enumeration and yields ``(object_id,
    info)`` pairs; :meth:`start` and :meth:`next` do it one step at a
    time.  An object found corrupt raises ``TeeError`` with code
    ``TEE_ERROR_CORRUPT_OBJECT``; a later :meth:`next` moves on.
    """

    def __init__(self) -> None:
        ffi, lib = load()
        cell = ffi.new("TEE_ObjectEnumHandle *")
        check(
            lib.TEE_AllocatePersistentObjectEnumerator(cell),
            "TEE_AllocatePersistentObjectEnumerator",
        )
        self._cell = cell
        self._finalizer = weakref.finalize(
            self, _release, lib.TEE_FreePersistentObjectEnumerator, cell
        )

    @property
    def handle(self) -> Any:
        """The ``TEE_ObjectEnumHandle``; ClosedError once closed."""
        handle = self._cell[0]
        if not handle:
            raise ClosedError("the enumerator is closed")
        return handle

    @property
    def closed(self) -> bool:
        return not self._cell[0]

    def close(self) -> None:
        """``TEE_FreePersistentObjectEnumerator``; idempotent."""
        self._finalizer()

    def __enter__(self) -> ObjectEnumerator:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.close()

    def start(self, storage: int | None = None) -> bool:
        """``TEE_StartPersistentObjectEnumerator``; False if the storage is empty."""
        _, lib = load()
        result = lib.TEE_StartPersistentObjectEnumerator(self.handle, _storage(storage))
        try:
            check(result, "TEE_StartPersistentObjectEnumerator")
        except ItemNotFound:
            return False
        return True

    def reset(self) -> None:
        """``TEE_ResetPersistentObjectEnumerator``: back to before :meth:`start`."""
        _, lib = load()
        lib.TEE_ResetPersistentObjectEnumerator(self.handle)

    def next(self) -> tuple[bytes, ObjectInfo] | None:
        """``TEE_GetNextPersistentObject``: the next ``(object_id, info)``, or None."""
        ffi, lib = load()
        info = ffi.new("TEE_ObjectInfo *")
        object_id = ffi.new("uint8_t[]", _OBJECT_ID_MAX_LEN)
        length = ffi.new("size_t *", _OBJECT_ID_MAX_LEN)
        result = lib.TEE_GetNextPersistentObject(self.handle, info, object_id, length)
        try:
            check(result, "TEE_GetNextPersistentObject")
        except ItemNotFound:
            return None
        return bytes(ffi.buffer(object_id, int(length[0]))), ObjectInfo._from_c(info)

    def iterate(self, storage: int | None = None) -> Iterator[tuple[bytes, ObjectInfo]]:
        """Start on ``storage`` and yield each ``(object_id, info)``."""
        if not self.start(storage):
            return
        while True:
            item = self.next()
            if item is None:
                return
            yield item
