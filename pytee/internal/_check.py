"""Checked layer of :mod:`pytee.internal`: results become exceptions.

:func:`check` is the only place in :mod:`pytee.internal` that compares a
``TEE_Result`` with ``TEE_SUCCESS``; everything above it gets the
:class:`pytee.errors.TeeError` family, with origin ``TEE_ORIGIN_TEE``
unless the call reported another one (the Internal Client API does).

The helpers below are shared by the Pythonic modules: the cached raw
library (:func:`load`), argument checks made before any C call (a wrong
argument raises ``TypeError`` or ``ValueError`` there, where libtee would
panic the TA), input buffers passed without a copy, output buffers sized
once and grown once on ``TEE_ERROR_SHORT_BUFFER``, and ``TEE_UUID``
conversions.
"""

from __future__ import annotations

import operator
import uuid as uuid_module
from typing import Any, Callable, Union

from pytee.constants import Origin
from pytee.errors import ShortBuffer
from pytee.errors import check as _errors_check

__all__ = [
    "BufferLike",
    "UuidLike",
    "check",
    "from_c_uuid",
    "in_buffer",
    "load",
    "sized_output",
    "to_c_uuid",
    "to_uuid",
    "u32",
]

#: Anything with the buffer protocol (bytes, bytearray, memoryview...).
BufferLike = Any
#: A UUID as a string, a :class:`uuid.UUID` or 16 octets.
UuidLike = Union[str, uuid_module.UUID, bytes, bytearray]

_U32_MAX = 0xFFFFFFFF
_library: tuple[Any, Any] | None = None


def load() -> tuple[Any, Any]:
    """``(ffi, lib)`` of libtee, loaded once by :mod:`pytee.internal.raw`."""
    global _library
    if _library is None:
        from pytee.internal import raw

        ffi, lib, _path = raw.load()
        _library = (ffi, lib)
    return _library


def check(
    result: int,
    function: str,
    *,
    origin: int = Origin.TEE,
    required_size: int | None = None,
    sizes: tuple[int | None, ...] = (),
) -> None:
    """Return if ``result`` is ``TEE_SUCCESS``, else raise its ``TeeError``.

    ``function`` is the GP name of the C function; ``required_size`` and
    ``sizes`` are recorded on :class:`~pytee.errors.ShortBuffer`.
    """
    _errors_check(result, origin, function, required_size=required_size, sizes=sizes)


def u32(value: object, what: str) -> int:
    """``value`` as an ``int`` in ``[0, 2**32)``, else ``TypeError``/``ValueError``."""
    try:
        number = operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(
            "%s must be an integer, not %s" % (what, type(value).__name__)
        ) from None
    if not 0 <= number <= _U32_MAX:
        raise ValueError("%s must be in [0, 2**32), got %d" % (what, number))
    return number


def in_buffer(ffi: Any, data: BufferLike, what: str) -> tuple[Any, int]:
    """A ``char[]`` over ``data`` (no copy) and its length in bytes.

    Keep the returned cdata alive for as long as C may read it.
    """
    if isinstance(data, str):
        raise TypeError("%s must be bytes-like, not str" % what)
    try:
        view = memoryview(data)
    except TypeError:
        raise TypeError(
            "%s must support the buffer protocol (bytes, bytearray, memoryview...),"
            " not %s" % (what, type(data).__name__)
        ) from None
    with view:
        if not view.c_contiguous:
            raise ValueError("%s must be a C-contiguous buffer" % what)
    cdata = ffi.from_buffer("char[]", data)
    return cdata, len(cdata)


def sized_output(
    ffi: Any, function: str, size: int, call: Callable[[Any, Any], int]
) -> bytes:
    """Run ``call(buffer, size_cell)`` for one output buffer; return its bytes.

    ``size`` is the first guess (what GP says the output needs); on
    ``TEE_ERROR_SHORT_BUFFER`` the call is made once more with the size
    libtee reported.  The result is trimmed to the size written back.
    """
    length = ffi.new("size_t *")
    for attempt in range(2):
        buffer = ffi.new("uint8_t[]", max(size, 1))
        length[0] = size
        result = call(buffer, length)
        try:
            check(result, function, required_size=int(length[0]))
        except ShortBuffer:
            if attempt or length[0] <= size:
                raise
            size = int(length[0])
            continue
        return bytes(ffi.buffer(buffer, min(int(length[0]), size)))
    raise AssertionError("unreachable")  # pragma: no cover


def to_uuid(value: object) -> uuid_module.UUID:
    """``value`` (str, :class:`uuid.UUID` or 16 bytes) as a :class:`uuid.UUID`."""
    if isinstance(value, uuid_module.UUID):
        return value
    if isinstance(value, str):
        try:
            return uuid_module.UUID(value)
        except ValueError:
            raise ValueError("not a UUID: %r" % value) from None
    if isinstance(value, (bytes, bytearray)):
        if len(value) != 16:
            raise ValueError("a UUID in bytes has 16 octets, got %d" % len(value))
        return uuid_module.UUID(bytes=bytes(value))
    raise TypeError(
        "uuid must be a str, uuid.UUID or 16 bytes, not %s" % type(value).__name__
    )


def to_c_uuid(ffi: Any, value: UuidLike) -> Any:
    """A new ``TEE_UUID *`` holding ``value`` (fields in host byte order)."""
    octets = to_uuid(value).bytes
    c_uuid = ffi.new("TEE_UUID *")
    c_uuid.timeLow = int.from_bytes(octets[0:4], "big")
    c_uuid.timeMid = int.from_bytes(octets[4:6], "big")
    c_uuid.timeHiAndVersion = int.from_bytes(octets[6:8], "big")
    c_uuid.clockSeqAndNode = list(octets[8:16])
    return c_uuid


def from_c_uuid(c_uuid: Any) -> uuid_module.UUID:
    """The :class:`uuid.UUID` in a ``TEE_UUID`` (a struct or a pointer to one)."""
    octets = (
        int(c_uuid.timeLow).to_bytes(4, "big")
        + int(c_uuid.timeMid).to_bytes(2, "big")
        + int(c_uuid.timeHiAndVersion).to_bytes(2, "big")
        + bytes(list(c_uuid.clockSeqAndNode))
    )
    return uuid_module.UUID(bytes=octets)
