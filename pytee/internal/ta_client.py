"""The Internal Client API (GP 4.9): a TA opens sessions on other TAs.

::

    from pytee.internal.ta_client import MemrefInOut, TASession, ValueIn, ValueOut

    with TASession("25454e49-108c-41c6-b5de-a3727df251e3") as peer:
        (total,) = peer.invoke(1, ValueIn(2, 3), ValueOut())
        total.a  # 5

The callee sees the login ``TEE_LOGIN_TRUSTED_APP`` and this TA's UUID as
``gpd.client.identity`` (GP: a TA-to-TA session has no other login).

Parameters (at most four; unused ones are ``TEE_PARAM_TYPE_NONE``)

    =============================  ==================  ===================
    parameter                      GP type             output item
    =============================  ==================  ===================
    ``ValueIn(a, b)``              VALUE_INPUT         none
    ``ValueOut()``                 VALUE_OUTPUT        ``ValuePair(a, b)``
    ``ValueInOut(a, b)``           VALUE_INOUT         ``ValuePair(a, b)``
    ``MemrefIn(data)``             MEMREF_INPUT        none
    ``MemrefOut(size)``            MEMREF_OUTPUT       ``bytes``
    ``MemrefInOut(data[, size])``  MEMREF_INOUT        ``bytes``
    =============================  ==================  ===================

:meth:`TASession.invoke` returns one item per output parameter, in order;
an output memory reference gives the bytes the callee reported writing.
``MemrefOut(0)`` is a null memory reference (the GP size query).  A
result other than success raises the :class:`~pytee.errors.TeeError` of
its code with the origin the call reported (``TEE_ORIGIN_TRUSTED_APP``
when the callee answered it); :class:`~pytee.errors.ShortBuffer` carries
the size the callee asked for in ``required_size``.
"""

from __future__ import annotations

import uuid as uuid_module
import weakref
from typing import Any, Callable, NamedTuple, SupportsIndex

from pytee.errors import ClosedError
from pytee.internal._check import (
    BufferLike,
    UuidLike,
    check,
    in_buffer,
    load,
    to_c_uuid,
    to_uuid,
    u32,
)

__all__ = [
    "MemrefIn",
    "MemrefInOut",
    "MemrefOut",
    "TAParameter",
    "TASession",
    "ValueIn",
    "ValueInOut",
    "ValueOut",
    "ValuePair",
]

_NUM_PARAMS = 4


class ValuePair(NamedTuple):
    """The two 32-bit words of an output value parameter."""

    a: int
    b: int


class _Bound(NamedTuple):
    keep: Any  # cdata owning the memory the slot points at, or None
    capacity: int | None  # bytes an output memref can take; None for values
    output: Callable[[Any], Any] | None  # slot -> output item


class TAParameter:
    """Base of the parameter classes; use a subclass."""

    param_type = 0  # TEE_PARAM_TYPE_NONE

    def _bind(self, ffi: Any, slot: Any) -> _Bound:
        raise NotImplementedError


class _ValueParam(TAParameter):
    def __init__(self, a: SupportsIndex = 0, b: SupportsIndex = 0) -> None:
        self.a = u32(a, "a")
        self.b = u32(b, "b")

    def _bind(self, ffi: Any, slot: Any) -> _Bound:
        slot.value.a = self.a
        slot.value.b = self.b
        output = _value_output if self.param_type != 1 else None
        return _Bound(None, None, output)

    def __repr__(self) -> str:
        return "%s(%d, %d)" % (type(self).__name__, self.a, self.b)


def _value_output(slot: Any) -> ValuePair:
    return ValuePair(int(slot.value.a), int(slot.value.b))


class ValueIn(_ValueParam):
    """``TEE_PARAM_TYPE_VALUE_INPUT``: two 32-bit unsigned integers."""

    param_type = 1


class ValueOut(_ValueParam):
    """``TEE_PARAM_TYPE_VALUE_OUTPUT``: the callee writes two integers."""

    param_type = 2

    def __init__(self) -> None:
        super().__init__()

    def __repr__(self) -> str:
        return "ValueOut()"


class ValueInOut(_ValueParam):
    """``TEE_PARAM_TYPE_VALUE_INOUT``: two integers in, two out."""

    param_type = 3


class MemrefIn(TAParameter):
    """``TEE_PARAM_TYPE_MEMREF_INPUT``: bytes for the callee (not copied here)."""

    param_type = 5

    def __init__(self, data: BufferLike) -> None:
        ffi, _ = load()
        in_buffer(ffi, data, "data")  # refuses what cannot be passed, now
        self.data = data

    def _bind(self, ffi: Any, slot: Any) -> _Bound:
        buffer, length = in_buffer(ffi, self.data, "data")
        slot.memref.buffer = buffer
        slot.memref.size = length
        return _Bound(buffer, None, None)

    def __repr__(self) -> str:
        return "MemrefIn(<%d bytes>)" % len(memoryview(self.data).cast("B"))


class _OutputMemref(TAParameter):
    def __init__(self, data: BufferLike | None, size: int) -> None:
        if size < 0:
            raise ValueError("size must not be negative")
        self.data = None if data is None else bytes(data)
        self.size = size

    def _bind(self, ffi: Any, slot: Any) -> _Bound:
        size = self.size
        if size == 0:
            slot.memref.buffer = ffi.NULL
            slot.memref.size = 0
            return _Bound(None, 0, _empty_output)
        buffer = ffi.new("uint8_t[]", size)
        if self.data:
            ffi.memmove(buffer, self.data, len(self.data))
        slot.memref.buffer = buffer
        slot.memref.size = len(self.data) if self.data is not None else size

        def output(slot: Any) -> bytes:
            return bytes(ffi.buffer(buffer, min(int(slot.memref.size), size)))

        return _Bound(buffer, size, output)


def _empty_output(slot: Any) -> bytes:
    return b""


class MemrefOut(_OutputMemref):
    """``TEE_PARAM_TYPE_MEMREF_OUTPUT``: room for ``size`` bytes of answer.

    ``MemrefOut(0)`` is a null memory reference.
    """

    param_type = 6

    def __init__(self, size: int) -> None:
        super().__init__(None, size)

    def __repr__(self) -> str:
        return "MemrefOut(%d)" % self.size


class MemrefInOut(_OutputMemref):
    """``TEE_PARAM_TYPE_MEMREF_INOUT``: ``data`` (copied) for the callee to
    read and rewrite; ``size`` (default ``len(data)``) is the room it has,
    which is what the callee sees as the size when ``size > len(data)``."""

    param_type = 7

    def __init__(self, data: BufferLike, size: int | None = None) -> None:
        if isinstance(data, str):
            raise TypeError("data must be bytes-like, not str")
        octets = bytes(data)
        room = len(octets) if size is None else size
        if room < len(octets):
            raise ValueError("size must be at least len(data)")
        super().__init__(octets, room)
        if room > len(octets):
            self.data = octets + bytes(room - len(octets))

    def __repr__(self) -> str:
        return "MemrefInOut(<%d bytes>)" % self.size


class _Call:
    """``TEE_Param[4]`` and its types, filled from parameters for one call."""

    def __init__(self, ffi: Any, params: tuple[TAParameter, ...]) -> None:
        if len(params) > _NUM_PARAMS:
            raise ValueError(
                "at most %d parameters, got %d" % (_NUM_PARAMS, len(params))
            )
        self.slots = ffi.new("TEE_Param[4]")
        self.types = 0
        self.bound: list[_Bound] = []
        for index, param in enumerate(params):
            if not isinstance(param, TAParameter) or type(param) in (
                TAParameter,
                _ValueParam,
                _OutputMemref,
            ):
                raise TypeError(
                    "parameter %d must be ValueIn, MemrefOut... not %s"
                    % (index, type(param).__name__)
                )
            self.bound.append(param._bind(ffi, self.slots[index]))
            self.types |= param.param_type << (4 * index)

    def finish(self, result: int, origin: int, function: str) -> tuple[Any, ...]:
        sizes: list[int | None] = []
        required = None
        for index, bound in enumerate(self.bound):
            if bound.capacity is None:
                sizes.append(None)
                continue
            reported = int(self.slots[index].memref.size)
            sizes.append(reported)
            if required is None and reported > bound.capacity:
                required = reported
        check(
            result, function, origin=origin, required_size=required, sizes=tuple(sizes)
        )
        return tuple(
            bound.output(self.slots[index])
            for index, bound in enumerate(self.bound)
            if bound.output is not None
        )


def _timeout(timeout: int | None) -> int:
    if timeout is None:
        return int(load()[1].TEE_TIMEOUT_INFINITE)
    return u32(timeout, "timeout")


def _close(function: Any, cell: Any) -> None:
    handle = cell[0]
    if handle:
        cell[0] = load()[0].NULL
        function(handle)


class TASession:
    """A session with another TA (``TEE_OpenTASession``).

    ``params`` go to the callee's open-session entry point; their output
    items are in :attr:`open_result`.  ``timeout`` is the cancellation
    timeout in milliseconds (``None`` or ``TIMEOUT_INFINITE``: none).  A
    context manager; ``close()`` (``TEE_CloseTASession``) is idempotent.
    """

    def __init__(
        self, uuid: UuidLike, *params: TAParameter, timeout: int | None = None
    ) -> None:
        ffi, lib = load()
        self._uuid = to_uuid(uuid)
        destination = to_c_uuid(ffi, self._uuid)
        call = _Call(ffi, params)
        cell = ffi.new("TEE_TASessionHandle *")
        origin = ffi.new("uint32_t *")
        result = lib.TEE_OpenTASession(
            destination, _timeout(timeout), call.types, call.slots, cell, origin
        )
        self._open_result = call.finish(result, int(origin[0]), "TEE_OpenTASession")
        self._cell = cell
        self._finalizer = weakref.finalize(self, _close, lib.TEE_CloseTASession, cell)

    @property
    def uuid(self) -> uuid_module.UUID:
        """The callee's UUID."""
        return self._uuid

    @property
    def open_result(self) -> tuple[Any, ...]:
        """The output items of the open-session parameters."""
        return self._open_result

    @property
    def closed(self) -> bool:
        return not self._cell[0]

    def close(self) -> None:
        """``TEE_CloseTASession``; idempotent."""
        self._finalizer()

    def __enter__(self) -> TASession:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return "<TASession %s%s>" % (self._uuid, " closed" if self.closed else "")

    def invoke(
        self, command: int, *params: TAParameter, timeout: int | None = None
    ) -> tuple[Any, ...]:
        """``TEE_InvokeTACommand``: one item per output parameter, in order.

        With a ``timeout`` (milliseconds) the call is cancelled when it
        runs longer; the callee decides what a cancellation means.
        """
        ffi, lib = load()
        handle = self._cell[0]
        if not handle:
            raise ClosedError("the TA session is closed")
        command_id = u32(command, "command")
        call = _Call(ffi, params)
        origin = ffi.new("uint32_t *")
        result = lib.TEE_InvokeTACommand(
            handle, _timeout(timeout), command_id, call.types, call.slots, origin
        )
        return call.finish(result, int(origin[0]), "TEE_InvokeTACommand")
