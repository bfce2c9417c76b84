"""The GlobalPlatform TEE Client API, the Python way.

::

    import pytee
    from pytee import TempIn, TempOut, ValueIn, ValueOut

    with pytee.Context() as ctx:
        with ctx.open_session("25454e49-108c-41c6-b5de-a3727df251e3") as session:
            (total,) = session.invoke(1, ValueIn(2, 3), ValueOut())
            total.a  # 5

Objects
    :class:`Context` (``TEEC_Context``) opens :class:`Session` objects
    (``TEEC_Session``) and owns :class:`SharedMemory` blocks
    (``TEEC_SharedMemory``).  All three are context managers; ``close()`` (or
    ``release()``) is idempotent and a closed object raises
    :class:`~pytee.errors.ClosedError` (a ``ValueError``).  A session and a
    block keep their context alive; closing a context closes its sessions,
    then releases its blocks, then finalizes it (the order GP asks for).
    ``weakref.finalize`` closes whatever is forgotten, as a safety net only.

Parameters (at most four per call; unused ones are ``TEEC_NONE``)

    ====================================  =====================  ==============
    parameter                             GP type                output item
    ====================================  =====================  ==============
    ``ValueIn(a, b)``                     VALUE_INPUT            none
    ``ValueOut()``                        VALUE_OUTPUT           ``Value(a, b)``
    ``ValueInOut(a, b)``                  VALUE_INOUT            ``Value(a, b)``
    ``TempIn(data)``                      MEMREF_TEMP_INPUT      none
    ``TempOut(size)``                     MEMREF_TEMP_OUTPUT     ``bytes``
    ``TempOut(buffer)``                   MEMREF_TEMP_OUTPUT     view of buffer
    ``TempInOut(buffer)``                 MEMREF_TEMP_INOUT      view of buffer
    ``Whole(shm)``                        MEMREF_WHOLE           view of block
    ``PartialIn(shm, offset, size)``      MEMREF_PARTIAL_INPUT   none
    ``PartialOut(shm, offset, size)``     MEMREF_PARTIAL_OUTPUT  view of block
    ``PartialInOut(shm, offset, size)``   MEMREF_PARTIAL_INOUT   view of block
    ====================================  =====================  ==============

    ``Value`` is a named tuple ``(a, b)``; a *view* is a ``memoryview`` (no
    copy) of the part the TA wrote; ``bytes`` is a copy of it.  ``Whole``
    gives an item only when the block has ``MemFlag.OUTPUT``.

    ``data`` and ``buffer`` are anything with the buffer protocol (``bytes``,
    ``bytearray``, ``memoryview``, ``array.array``, ``mmap``...), passed
    without a copy; ``buffer`` must be writable.  A *null memory reference*
    (NULL pointer, size 0: the GP "how big must it be?" query) is written
    ``TempIn(None)``, ``TempOut()`` (same as ``TempOut(0)`` or
    ``TempOut(None)``) or ``TempInOut(None)``.

    :meth:`Session.invoke` returns a tuple with one item per *output*
    parameter, in order.  An output memory reference gives only the part the
    TA wrote (the size it reported).  When a buffer was too small the call
    raises :class:`~pytee.errors.ShortBuffer` whose ``required_size`` is the
    size the TA asked for; :meth:`Session.invoke_sized` retries with
    ``TempOut(required_size)`` for you.

Shared memory
    :meth:`Context.allocate_shared_memory` gives a block allocated by
    ``libteec``; :attr:`SharedMemory.buffer` is a ``memoryview`` straight
    onto it (zero copy: the TA sees what you write there).  Like ``mmap``,
    a block whose memory is still viewed through views *you derived* from
    those pytee returned refuses to be released with ``BufferError``; the
    views pytee returned are released with the block, so keep the
    :class:`SharedMemory` object while you use them.  A finalizer, or a
    ``with`` block left by an exception, never raises that ``BufferError``:
    it leaves such a block mapped (leaked) rather than free memory in use.
    :meth:`Context.register_shared_memory` registers your own buffer and
    keeps it alive (and, for a ``bytearray``, unresizable) until released.

Threads
    A context may be used from several threads.  Calls on one session are
    serialised by a lock (the TA instance serialises them anyway); different
    sessions run in parallel, and cffi releases the GIL during C calls.
    :class:`CancelToken` cancels a running :meth:`Session.invoke` from
    another thread (``TEEC_RequestCancellation``).

Errors
    Every result other than ``TEEC_SUCCESS`` raises a
    :class:`~pytee.errors.TeeError` subclass with ``code``, ``origin`` and
    ``function``.  Misuse caught before any C call raises ``TypeError`` or
    ``ValueError``.  The functions that have no ``returnOrigin`` output
    (``TEEC_InitializeContext``, ``TEEC_AllocateSharedMemory``,
    ``TEEC_RegisterSharedMemory``) report origin ``TEEC_ORIGIN_API``.
"""

from __future__ import annotations

import contextlib
import operator
import os
import sys
import threading
import uuid as uuid_module
import weakref
from typing import Any, Callable, NamedTuple, SupportsIndex, Union

from pytee import teec
from pytee.constants import Login, MemFlag, Origin, ParamType, Result
from pytee.errors import Cancel, ClosedError, ShortBuffer, check

__all__ = [
    "CancelToken",
    "Context",
    "Parameter",
    "PartialIn",
    "PartialInOut",
    "PartialOut",
    "Session",
    "SharedMemory",
    "TempIn",
    "TempInOut",
    "TempOut",
    "Value",
    "ValueIn",
    "ValueInOut",
    "ValueOut",
    "Whole",
]

#: Anything with the buffer protocol (typed loosely: Python < 3.12 has no
#: ``collections.abc.Buffer``).
BufferLike = Any
#: What :class:`Context` accepts as ``lib``.
LibrarySpec = Union[teec.Library, str, "os.PathLike[str]", None]
#: What :meth:`Context.open_session` accepts as ``uuid``.
UuidLike = Union[str, uuid_module.UUID, bytes, bytearray]

_U32_MAX = 0xFFFFFFFF
# Largest size or offset accepted: the largest Python object size (2**63 - 1
# on 64-bit machines), which also fits size_t.
_SIZE_MAX = sys.maxsize
_MAX_PARAMS = 4
_FLAGS_ALL = MemFlag.INPUT | MemFlag.OUTPUT


# --------------------------------------------------------------------------
# Validation helpers (all before any C call)


def _integer(value: object, what: str) -> int:
    try:
        return operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(
            "%s must be an integer, not %s" % (what, type(value).__name__)
        ) from None


def _u32(value: object, what: str) -> int:
    number = _integer(value, what)
    if not 0 <= number <= _U32_MAX:
        raise ValueError("%s must be in [0, 2**32), got %d" % (what, number))
    return number


def _size(value: object, what: str) -> int:
    number = _integer(value, what)
    if not 0 <= number <= _SIZE_MAX:
        raise ValueError("%s must be in [0, %d], got %d" % (what, _SIZE_MAX, number))
    return number


def _flags(value: object) -> MemFlag:
    number = _integer(value, "flags")
    if number == 0 or number & ~int(_FLAGS_ALL):
        raise ValueError(
            "flags must be MemFlag.INPUT, MemFlag.OUTPUT or both, got %#x" % number
        )
    return MemFlag(number)


def _byte_view(obj: BufferLike, what: str, writable: bool) -> memoryview:
    """A flat unsigned-byte view of ``obj``, checked for the use we make of it."""
    try:
        view = memoryview(obj)
    except TypeError:
        raise TypeError(
            "%s must support the buffer protocol (bytes, bytearray, memoryview...),"
            " not %s" % (what, type(obj).__name__)
        ) from None
    if writable and view.readonly:
        view.release()
        raise TypeError(
            "%s must be a writable buffer, not a read-only %s"
            % (
                what,
                type(obj).__name__,
            )
        )
    if not view.c_contiguous:
        view.release()
        raise ValueError("%s must be a C-contiguous buffer" % what)
    if view.format != "B" or view.ndim != 1:
        view = view.cast("B")
    return view


def _to_uuid(value: object) -> uuid_module.UUID:
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


# --------------------------------------------------------------------------
# Parameters


class Value(NamedTuple):
    """The two 32-bit words of a value parameter, as returned by a call."""

    a: int
    b: int


class _Bound(NamedTuple):
    """One parameter written into a ``TEEC_Operation`` for one call."""

    keep: Any  # cdata owning the memory written into the slot, or None
    kind: str  # "value", "tmpref" or "memref"
    capacity: int | None  # bytes an output memory reference can take
    output: Callable[[Any, int], Any] | None  # (slot, reported size) -> item


class Parameter:
    """Base of the typed parameters; use one of the subclasses."""

    param_type: ParamType = ParamType.NONE
    # param_type as a plain int: packing paramTypes on every call through the
    # enum costs about 0.5 us (bench/RESULTS.md).
    _type_code: int = 0

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._type_code = int(cls.param_type)

    @property
    def is_output(self) -> bool:
        """Whether this parameter gives an item in the call's result tuple."""
        return False

    def _shared_memory(self) -> SharedMemory | None:
        return None

    def _bind(self, ffi: Any, slot: Any) -> _Bound:
        raise NotImplementedError


class _ValueParam(Parameter):
    __slots__ = ("a", "b")

    def __init__(self, a: SupportsIndex = 0, b: SupportsIndex = 0) -> None:
        self.a = _u32(a, "a")
        self.b = _u32(b, "b")

    def _bind(self, ffi: Any, slot: Any) -> _Bound:
        value = slot.value
        value.a = self.a
        value.b = self.b
        return _VALUE_OUT if self.is_output else _VALUE_IN

    def __repr__(self) -> str:
        return "%s(%d, %d)" % (type(self).__name__, self.a, self.b)


def _value_output(slot: Any, reported: int) -> Value:
    value = slot.value
    return Value(value.a, value.b)


_VALUE_IN = _Bound(None, "value", None, None)
_VALUE_OUT = _Bound(None, "value", None, _value_output)


class ValueIn(_ValueParam):
    """``TEEC_VALUE_INPUT``: two 32-bit unsigned integers for the TA."""

    param_type = ParamType.VALUE_INPUT


class ValueOut(_ValueParam):
    """``TEEC_VALUE_OUTPUT``: the TA writes two integers; returns a :class:`Value`."""

    param_type = ParamType.VALUE_OUTPUT

    def __init__(self) -> None:
        super().__init__(0, 0)

    @property
    def is_output(self) -> bool:
        return True

    def __repr__(self) -> str:
        return "ValueOut()"


class ValueInOut(_ValueParam):
    """``TEEC_VALUE_INOUT``: two integers in, two out (a :class:`Value`)."""

    param_type = ParamType.VALUE_INOUT

    @property
    def is_output(self) -> bool:
        return True


class _TempParam(Parameter):
    """A temporary memory reference: the buffer is shared for one call."""

    __slots__ = ("_buffer",)
    _writable = False

    def __init__(self, buffer: BufferLike | None) -> None:
        if buffer is not None:
            _byte_view(
                buffer, type(self).__name__ + " buffer", self._writable
            ).release()
        self._buffer = buffer

    @property
    def buffer(self) -> BufferLike | None:
        """The buffer given (``None`` for a null memory reference)."""
        return self._buffer

    def _bind(self, ffi: Any, slot: Any) -> _Bound:
        if self._buffer is None:
            slot.tmpref.buffer = ffi.NULL
            slot.tmpref.size = 0
            return _Bound(None, "tmpref", 0, self._null_output())
        owner = ffi.from_buffer(self._buffer, require_writable=self._writable)
        size = len(owner)
        slot.tmpref.buffer = owner
        slot.tmpref.size = size
        output = None
        if self.is_output:
            buffer = self._buffer

            def output(slot: Any, reported: int) -> memoryview:
                view = _byte_view(buffer, "buffer", True)
                return view[: min(reported, size)]

        return _Bound(owner, "tmpref", size, output)

    def _null_output(self) -> Callable[[Any, int], Any] | None:
        return None

    def __repr__(self) -> str:
        if self._buffer is None:
            return "%s(None)" % type(self).__name__
        return "%s(<%s>)" % (type(self).__name__, type(self._buffer).__name__)


class TempIn(_TempParam):
    """``TEEC_MEMREF_TEMP_INPUT``: bytes for the TA (``None``: null reference)."""

    param_type = ParamType.MEMREF_TEMP_INPUT

    def __init__(self, data: BufferLike | None) -> None:
        super().__init__(data)


class TempOut(_TempParam):
    """``TEEC_MEMREF_TEMP_OUTPUT``: room for the TA's answer.

    ``TempOut(n)`` lets pytee allocate ``n`` bytes and returns the written part
    as ``bytes``; ``TempOut(buffer)`` writes into your writable buffer and
    returns a ``memoryview`` of the written part.  ``TempOut()``,
    ``TempOut(0)`` and ``TempOut(None)`` are a null reference (size query).
    """

    __slots__ = ("_size",)
    param_type = ParamType.MEMREF_TEMP_OUTPUT
    _writable = True

    def __init__(self, size_or_buffer: int | BufferLike | None = None) -> None:
        self._size: int | None = None
        if size_or_buffer is None or isinstance(size_or_buffer, int):
            size = 0 if size_or_buffer is None else _size(size_or_buffer, "size")
            self._size = size
            super().__init__(None)
        else:
            super().__init__(size_or_buffer)

    @property
    def is_output(self) -> bool:
        return True

    @property
    def size(self) -> int | None:
        """The size pytee allocates, or ``None`` when a buffer was given."""
        return self._size

    def _bind(self, ffi: Any, slot: Any) -> _Bound:
        if self._size is None or self._size == 0:
            return super()._bind(ffi, slot)
        size = self._size
        owner = ffi.new("char[]", size)
        slot.tmpref.buffer = owner
        slot.tmpref.size = size

        def output(slot: Any, reported: int) -> bytes:
            return bytes(ffi.buffer(owner, min(reported, size)))

        return _Bound(owner, "tmpref", size, output)

    def _null_output(self) -> Callable[[Any, int], Any] | None:
        return _empty_output

    def __repr__(self) -> str:
        if self._size is not None:
            return "TempOut(%d)" % self._size
        return super().__repr__()


def _empty_output(slot: Any, reported: int) -> bytes:
    return b""


class TempInOut(_TempParam):
    """``TEEC_MEMREF_TEMP_INOUT``: a writable buffer the TA reads and rewrites."""

    param_type = ParamType.MEMREF_TEMP_INOUT
    _writable = True

    def __init__(self, buffer: BufferLike | None) -> None:
        super().__init__(buffer)

    @property
    def is_output(self) -> bool:
        return True

    def _null_output(self) -> Callable[[Any, int], Any] | None:
        return _empty_output


class _SharedParam(Parameter):
    __slots__ = ("_shm", "offset", "size")

    def __init__(self, shm: SharedMemory, offset: int, size: int) -> None:
        if not isinstance(shm, SharedMemory):
            raise TypeError(
                "%s needs a SharedMemory, not %s"
                % (type(self).__name__, type(shm).__name__)
            )
        self._shm = shm
        self.offset = _size(offset, "offset")
        self.size = _size(size, "size")

    @property
    def shared_memory(self) -> SharedMemory:
        return self._shm

    def _shared_memory(self) -> SharedMemory | None:
        return self._shm

    def _bind(self, ffi: Any, slot: Any) -> _Bound:
        state = self._shm._state
        slot.memref.parent = state.shm
        slot.memref.offset = self.offset
        slot.memref.size = self.size
        output = None
        if self.is_output:
            offset, size = self.offset, self.size

            def output(slot: Any, reported: int) -> memoryview:
                return state.view(offset, offset + min(reported, size))

        return _Bound(None, "memref", self.size, output)

    def __repr__(self) -> str:
        return "%s(%r, %d, %d)" % (
            type(self).__name__,
            self._shm,
            self.offset,
            self.size,
        )


class Whole(_SharedParam):
    """``TEEC_MEMREF_WHOLE``: a whole shared memory block.

    The direction is the block's flags; the call gives an output item (a view
    of the written part) when the block has ``MemFlag.OUTPUT``.
    """

    param_type = ParamType.MEMREF_WHOLE

    def __init__(self, shm: SharedMemory) -> None:
        if not isinstance(shm, SharedMemory):
            raise TypeError("Whole needs a SharedMemory, not %s" % type(shm).__name__)
        super().__init__(shm, 0, shm.size)

    @property
    def is_output(self) -> bool:
        return bool(self._shm.flags & MemFlag.OUTPUT)

    def __repr__(self) -> str:
        return "Whole(%r)" % (self._shm,)


class PartialIn(_SharedParam):
    """``TEEC_MEMREF_PARTIAL_INPUT``: ``[offset, offset + size)`` of a block.

    The block needs ``MemFlag.INPUT`` and the window must lie inside it;
    ``libteec`` checks both (``BadParameters``, origin API).
    """

    param_type = ParamType.MEMREF_PARTIAL_INPUT


class PartialOut(_SharedParam):
    """``TEEC_MEMREF_PARTIAL_OUTPUT``: the TA writes into a window of a block."""

    param_type = ParamType.MEMREF_PARTIAL_OUTPUT

    @property
    def is_output(self) -> bool:
        return True


class PartialInOut(_SharedParam):
    """``TEEC_MEMREF_PARTIAL_INOUT``: a window of a block, read and rewritten."""

    param_type = ParamType.MEMREF_PARTIAL_INOUT

    @property
    def is_output(self) -> bool:
        return True


# --------------------------------------------------------------------------
# Cancellation


class CancelToken:
    """Cancels the :meth:`Session.invoke` calls it is given to, from any thread.

    ::

        token = CancelToken()
        threading.Timer(1.0, token.cancel).start()
        session.invoke(CMD_SLOW, cancel=token)   # raises pytee.Cancel

    :meth:`cancel` calls ``TEEC_RequestCancellation`` on every call running
    with this token, and makes every later call with it raise
    :class:`~pytee.errors.Cancel` (origin API) without reaching the TA.  The
    TA sees the request only where it has unmasked cancellation, as GP says.
    A request that arrives while ``libteec`` is still starting the call may
    be missed, as with C clients.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancelled = False
        self._running: list[tuple[Any, Any]] = []

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        """Request cancellation (idempotent, thread-safe, never blocks long)."""
        with self._lock:
            self._cancelled = True
            for lib, operation in self._running:
                lib.TEEC_RequestCancellation(operation)

    def _begin(self, lib: Any, operation: Any, function: str) -> tuple[Any, Any]:
        entry = (lib, operation)
        with self._lock:
            if self._cancelled:
                raise Cancel(
                    Result.CANCEL, Origin.API, function, "cancelled before it started"
                )
            self._running.append(entry)
        return entry

    def _end(self, entry: tuple[Any, Any]) -> None:
        with self._lock:
            self._running.remove(entry)


# --------------------------------------------------------------------------
# Operations: the one place parameters meet the C structs


class _Prepared:
    """A ``TEEC_Operation`` filled from typed parameters, with its owners."""

    def __init__(self, ffi: Any, params: tuple[Parameter, ...]) -> None:
        self.ffi = ffi
        self.operation = ffi.new("TEEC_Operation *")
        self.params = params
        self.bound: list[_Bound] = []
        try:
            for index, param in enumerate(params):
                self.bound.append(param._bind(ffi, self.operation.params[index]))
        except BaseException:
            self.release()
            raise
        self.operation.paramTypes = _param_types(params)

    def release(self) -> None:
        """Free the temporary buffers and unlock the caller's buffers now.

        Not left to the garbage collector: a traceback that keeps this frame
        alive would otherwise keep a caller's ``bytearray`` unresizable.
        """
        for bound in self.bound:
            if bound.keep is not None:
                self.ffi.release(bound.keep)
        self.bound = []

    def reported_sizes(self) -> tuple[int | None, ...]:
        """Per parameter, the size written back for output memory references."""
        sizes: list[int | None] = []
        for index, bound in enumerate(self.bound):
            slot = self.operation.params[index]
            if bound.output is None or bound.kind == "value":
                sizes.append(None)
            elif bound.kind == "tmpref":
                sizes.append(int(slot.tmpref.size))
            else:
                sizes.append(int(slot.memref.size))
        return tuple(sizes)

    def finish(self, result: int, origin: int, function: str) -> tuple[Any, ...]:
        """Raise for a failed call; else the output items of a successful one."""
        sizes = self.reported_sizes()
        required = None
        for bound, reported in zip(self.bound, sizes):
            capacity = bound.capacity
            if reported is not None and capacity is not None and reported > capacity:
                required = reported
                break
        check(result, origin, function, required_size=required, sizes=sizes)
        outputs = []
        for index, bound in enumerate(self.bound):
            if bound.output is not None:
                reported = sizes[index]
                outputs.append(
                    bound.output(self.operation.params[index], reported or 0)
                )
        return tuple(outputs)


def _run_operation(
    context: _ContextState,
    params: tuple[Parameter, ...],
    function: str,
    call: Callable[[Any, Any], int],
) -> tuple[Any, ...]:
    """Fill an operation, ``call(operation, origin)``, return the outputs.

    The blocks in ``params`` stay open and every buffer stays alive for the
    length of the call; the temporary ones are freed before returning.
    """
    use = _SharedUse(context, params)
    try:
        prepared = _Prepared(context.ffi, params)
        try:
            origin = context.ffi.new("uint32_t *")
            result = call(prepared.operation, origin)
            return prepared.finish(result, origin[0], function)
        finally:
            prepared.release()
    finally:
        use.release()


def _param_types(params: tuple[Parameter, ...]) -> int:
    """``TEEC_PARAM_TYPES`` of ``params``: one nibble each, unused ones NONE."""
    packed = 0
    for index, param in enumerate(params):
        packed |= param._type_code << (4 * index)
    return packed


def _values_only(params: tuple[Parameter, ...]) -> bool:
    """Whether ``params`` has no memory reference (nothing to allocate, keep
    open or size for the call)."""
    # A loop, not all(...): no generator to make on every call (0.3 us).
    for param in params:  # noqa: SIM110
        if not isinstance(param, _ValueParam):
            return False
    return True


def _check_params(params: tuple[object, ...]) -> tuple[Parameter, ...]:
    if len(params) > _MAX_PARAMS:
        raise ValueError("at most %d parameters, got %d" % (_MAX_PARAMS, len(params)))
    for index, param in enumerate(params):
        if not isinstance(param, Parameter) or type(param) in (
            Parameter,
            _ValueParam,
            _TempParam,
            _SharedParam,
        ):
            raise TypeError(
                "parameter %d must be a pytee parameter (ValueIn, TempOut, ...),"
                " not %s" % (index, type(param).__name__)
            )
    return params  # type: ignore[return-value]


class _SharedUse:
    """Holds the blocks an operation uses open for the length of the call."""

    def __init__(self, context: _ContextState, params: tuple[Parameter, ...]) -> None:
        self._states: list[_ShmState] = []
        try:
            for param in params:
                shm = param._shared_memory()
                if shm is None:
                    continue
                state = shm._state
                if state.context is not context:
                    raise ValueError(
                        "shared memory %r belongs to another context" % (shm,)
                    )
                state.acquire()
                self._states.append(state)
        except BaseException:
            self.release()
            raise

    def release(self) -> None:
        for state in self._states:
            state.leave()
        self._states = []


# --------------------------------------------------------------------------
# States: what finalizers hold (never the public objects)


class _ContextState:
    def __init__(self, library: teec.Library, name: str | None) -> None:
        self.library = library
        self.ffi = library.ffi
        self.lib = library.lib
        self.context = self.ffi.new("TEEC_Context *")
        self.name = (
            self.ffi.NULL
            if name is None
            else self.ffi.new("char[]", name.encode("utf-8"))
        )
        result = self.lib.TEEC_InitializeContext(self.name, self.context)
        check(result, Origin.API, "TEEC_InitializeContext")
        self.cond = threading.Condition(threading.RLock())
        self.busy = 0
        self.closing = False
        self.closed = False
        self.sessions: set[_SessionState] = set()
        self.blocks: set[_ShmState] = set()

    def enter(self) -> None:
        with self.cond:
            if self.closed or self.closing:
                raise ClosedError("the context is closed")
            self.busy += 1

    def leave(self) -> None:
        with self.cond:
            self.busy -= 1
            self.cond.notify_all()

    def close(self, strict: bool = True) -> None:
        with self.cond:
            if self.closed:
                return
            self.closing = True
            while self.busy:
                self.cond.wait()
            sessions = list(self.sessions)
            blocks = list(self.blocks)
        try:
            for session in sessions:
                session.close()
            for block in blocks:
                block.release(strict)
        except BaseException:
            with self.cond:
                self.closing = False
            raise
        with self.cond:
            self.lib.TEEC_FinalizeContext(self.context)
            self.closed = True


class _SessionState:
    def __init__(self, context: _ContextState, session: Any) -> None:
        self.context = context
        self.session = session
        self.lock = threading.Lock()
        # Set before waiting for the lock, so that calls queued behind a
        # running one give way to close() instead of starving it.
        self.closing = False
        self.closed = False
        # Reused by invoke_values, under self.lock.
        self.ffi = context.ffi
        self.operation = self.ffi.new("TEEC_Operation *")
        self.origin = self.ffi.new("uint32_t *")
        self.invoke_command = context.lib.TEEC_InvokeCommand

    def invoke_values(
        self, command: int, params: tuple[Parameter, ...]
    ) -> tuple[Any, ...]:
        """``TEEC_InvokeCommand`` with value parameters only (or none) and no
        cancel token: the common case, kept short.

        Between two calls the caches go cold, so every Python step costs
        several times what it costs in a loop (bench/RESULTS.md).  Here
        nothing is allocated: the session's operation and origin cell are
        reused under the session lock, and a call without parameters passes
        a NULL operation; no block is kept open, no size is read back, and
        the result is looked at only when it is an error.  Otherwise it does
        what ``Session.invoke``'s general path does for these parameters.
        """
        if self.closing:
            raise ClosedError("the session is closed")
        with self.lock:
            if self.closing:
                raise ClosedError("the session is closed")
            origin = self.origin
            if not params:
                result: int = self.invoke_command(
                    self.session, command, self.ffi.NULL, origin
                )
                if result:
                    check(result, origin[0], "TEEC_InvokeCommand")
                return ()
            operation = self.operation
            slots = operation.params
            outputs = []  # (output, slot) of each output parameter
            for index, param in enumerate(params):
                slot = slots[index]
                output = param._bind(self.ffi, slot).output
                if output is not None:
                    outputs.append((output, slot))
            operation.paramTypes = _param_types(params)
            result = self.invoke_command(self.session, command, operation, origin)
            if result:
                # Value parameters report no size (_Prepared.reported_sizes).
                sizes = (None,) * len(params)
                check(result, origin[0], "TEEC_InvokeCommand", sizes=sizes)
            return tuple([output(slot, 0) for output, slot in outputs])

    def close(self) -> None:
        self.closing = True
        with self.lock:
            if self.closed:
                return
            self.closed = True
            self.context.lib.TEEC_CloseSession(self.session)
        with self.context.cond:
            self.context.sessions.discard(self)


class _ShmState:
    def __init__(
        self,
        context: _ContextState,
        shm: Any,
        size: int,
        flags: MemFlag,
        source: BufferLike | None,
        owner: Any,
    ) -> None:
        self.context = context
        self.shm = shm
        self.size = size
        self.flags = flags
        self.source = source  # the registered buffer, None when allocated
        self.registered = source is not None
        self.owner = owner  # ffi.from_buffer of source, keeps it exported
        self.cond = threading.Condition()
        self.uses = 0
        self.closing = False
        self.closed = False
        self.base: memoryview | None = None
        self.exporter: weakref.ref[Any] | None = None
        self.views: list[weakref.ref[memoryview]] = []

    def acquire(self) -> None:
        with self.cond:
            if self.closed or self.closing:
                raise ClosedError("the shared memory block is released")
            self.uses += 1

    def leave(self) -> None:
        with self.cond:
            self.uses -= 1
            self.cond.notify_all()

    def view(self, start: int, stop: int) -> memoryview:
        with self.cond:
            if self.closed or self.closing:
                raise ClosedError("the shared memory block is released")
            if self.source is not None:
                return _byte_view(self.source, "buffer", False)[start:stop]
            if self.base is None:
                ffi = self.context.ffi
                exporter = ffi.buffer(ffi.cast("char *", self.shm.buffer), self.size)
                self.base = memoryview(exporter)
                self.exporter = weakref.ref(exporter)
                del exporter
            view = self.base[start:stop]
            self.views.append(weakref.ref(view))
            return view

    def _drop_views(self) -> bool:
        """Release the views pytee handed out; True when none is left anywhere."""
        for ref in self.views:
            view = ref()
            if view is not None:
                # A view exported further stays; the exporter check sees it.
                with contextlib.suppress(BufferError):
                    view.release()
        self.views = []
        if self.base is not None:
            with contextlib.suppress(BufferError):
                self.base.release()
            self.base = None
        return self.exporter is None or self.exporter() is None

    def release(self, strict: bool = True) -> None:
        with self.cond:
            if self.closed:
                return
            self.closing = True
            while self.uses:
                self.cond.wait()
            if not self._drop_views():
                if strict:
                    self.closing = False
                    raise BufferError(
                        "cannot release shared memory: views derived from its"
                        " buffer still exist; release or drop them first"
                    )
                # A finalizer: keep the block mapped (leak it) rather than
                # free memory that a live view still points to.
                self.closed = True
                return
            self.context.lib.TEEC_ReleaseSharedMemory(self.shm)
            if self.owner is not None:
                self.context.ffi.release(self.owner)
                self.owner = None
            self.source = None
            self.closed = True
        with self.context.cond:
            self.context.blocks.discard(self)


# --------------------------------------------------------------------------
# Public objects


class Context:
    """A connection to a TEE (``TEEC_InitializeContext``).

    Args:
        name: the TEE to connect to; ``None`` (the default) for the default
            TEE, which is what ``libteec`` implementations support.
        lib: the ``libteec`` to use: a :class:`pytee.teec.Library`, a path,
            or ``None`` for :func:`pytee.teec.load`'s choice.
    """

    def __init__(self, name: str | None = None, lib: LibrarySpec = None) -> None:
        if name is not None and not isinstance(name, str):
            raise TypeError("name must be a str or None, not %s" % type(name).__name__)
        library = lib if isinstance(lib, teec.Library) else teec.load(lib)
        self._state = _ContextState(library, name)
        self._name = name
        self._finalizer = weakref.finalize(self, self._state.close, False)

    @property
    def library(self) -> teec.Library:
        """The ``libteec`` this context talks through."""
        return self._state.library

    @property
    def name(self) -> str | None:
        return self._name

    @property
    def closed(self) -> bool:
        return self._state.closed

    def close(self) -> None:
        """Close every session, release every block, finalize (idempotent).

        Raises ``BufferError`` (and stays open, its sessions closed) if a
        block is still viewed through views derived from the ones pytee gave.
        """
        self._state.close(True)
        self._finalizer.detach()

    def __enter__(self) -> Context:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.close()
        else:
            # Do not hide the exception in flight behind a BufferError.
            self._state.close(False)
            self._finalizer.detach()

    def __repr__(self) -> str:
        return "<pytee.Context %s%s>" % (
            self._state.library.path,
            " closed" if self.closed else "",
        )

    def open_session(
        self,
        uuid: UuidLike,
        *params: Parameter,
        login: Login | int = Login.PUBLIC,
        gid: int | None = None,
    ) -> Session:
        """Open a session with the TA ``uuid`` (``TEEC_OpenSession``).

        ``params`` are passed to the TA's open-session entry point; their
        output items are in :attr:`Session.open_result`.  ``gid`` is the
        group for ``Login.GROUP`` and ``Login.GROUP_APPLICATION`` (required
        there, refused elsewhere).
        """
        destination = _to_uuid(uuid)
        method = _u32(login, "login")
        if method in (Login.GROUP, Login.GROUP_APPLICATION):
            if gid is None:
                raise ValueError("login %s needs a gid" % Login(method).name)
            group: int | None = _u32(gid, "gid")
        elif gid is not None:
            raise ValueError("gid is only used with GROUP logins")
        else:
            group = None
        checked = _check_params(params)
        state = self._state
        ffi, lib = state.ffi, state.lib
        c_uuid = ffi.new("TEEC_UUID *")
        octets = destination.bytes
        c_uuid.timeLow = int.from_bytes(octets[0:4], "big")
        c_uuid.timeMid = int.from_bytes(octets[4:6], "big")
        c_uuid.timeHiAndVersion = int.from_bytes(octets[6:8], "big")
        c_uuid.clockSeqAndNode = list(octets[8:16])
        connection = ffi.NULL if group is None else ffi.new("uint32_t *", group)
        session = ffi.new("TEEC_Session *")

        def call(operation: Any, origin: Any) -> int:
            result: int = lib.TEEC_OpenSession(
                state.context,
                session,
                c_uuid,
                method,
                connection,
                operation if checked else ffi.NULL,
                origin,
            )
            return result

        state.enter()
        try:
            outputs = _run_operation(state, checked, "TEEC_OpenSession", call)
            session_state = _SessionState(state, session)
            with state.cond:
                state.sessions.add(session_state)
        finally:
            state.leave()
        return Session(self, session_state, destination, method, outputs)

    def allocate_shared_memory(
        self, size: int, flags: MemFlag | int = MemFlag.INPUT | MemFlag.OUTPUT
    ) -> SharedMemory:
        """Allocate a block shared with the TEE (``TEEC_AllocateSharedMemory``).

        Its :attr:`~SharedMemory.buffer` is a writable ``memoryview`` onto the
        block itself; the content is not initialised.
        """
        size = _size(size, "size")
        mem_flags = _flags(flags)
        return self._new_block(size, mem_flags, None)

    def register_shared_memory(
        self, buffer: BufferLike, flags: MemFlag | int = MemFlag.INPUT | MemFlag.OUTPUT
    ) -> SharedMemory:
        """Share your own buffer with the TEE (``TEEC_RegisterSharedMemory``).

        The buffer must be writable when ``flags`` has ``MemFlag.OUTPUT``; it
        is kept alive (a ``bytearray`` cannot be resized) until released.
        """
        mem_flags = _flags(flags)
        writable = bool(mem_flags & MemFlag.OUTPUT)
        _byte_view(buffer, "buffer", writable).release()
        return self._new_block(None, mem_flags, buffer)

    def _new_block(
        self, size: int | None, flags: MemFlag, buffer: BufferLike | None
    ) -> SharedMemory:
        state = self._state
        ffi, lib = state.ffi, state.lib
        shm = ffi.new("TEEC_SharedMemory *")
        shm.flags = flags
        owner = None
        state.enter()
        try:
            if buffer is None:
                assert size is not None
                shm.size = size
                function = "TEEC_AllocateSharedMemory"
                result = lib.TEEC_AllocateSharedMemory(state.context, shm)
            else:
                owner = ffi.from_buffer(
                    buffer, require_writable=bool(flags & MemFlag.OUTPUT)
                )
                size = len(owner)
                shm.buffer = owner
                shm.size = size
                function = "TEEC_RegisterSharedMemory"
                result = lib.TEEC_RegisterSharedMemory(state.context, shm)
            try:
                check(result, Origin.API, function)
            except BaseException:
                if owner is not None:
                    ffi.release(owner)
                raise
            block = _ShmState(state, shm, size, flags, buffer, owner)
            with state.cond:
                state.blocks.add(block)
        finally:
            state.leave()
        return SharedMemory(self, block)


class Session:
    """A session with a TA; made by :meth:`Context.open_session`."""

    def __init__(
        self,
        context: Context,
        state: _SessionState,
        uuid: uuid_module.UUID,
        login: int,
        open_result: tuple[Any, ...],
    ) -> None:
        self._context = context  # a session keeps its context alive
        self._state = state
        self._uuid = uuid
        self._login = login
        self._open_result = open_result
        self._finalizer = weakref.finalize(self, state.close)

    @property
    def context(self) -> Context:
        return self._context

    @property
    def uuid(self) -> uuid_module.UUID:
        """The TA's UUID."""
        return self._uuid

    @property
    def login(self) -> int:
        """The login method the session was opened with."""
        return self._login

    @property
    def open_result(self) -> tuple[Any, ...]:
        """The output items of the open-session parameters."""
        return self._open_result

    @property
    def closed(self) -> bool:
        return self._state.closing

    def close(self) -> None:
        """Close the session (``TEEC_CloseSession``); idempotent.

        Waits for a command running on this session in another thread.
        """
        self._state.close()
        self._finalizer.detach()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return "<pytee.Session %s%s>" % (self._uuid, " closed" if self.closed else "")

    def invoke(
        self, command: int, *params: Parameter, cancel: CancelToken | None = None
    ) -> tuple[Any, ...]:
        """Invoke ``command`` with up to four parameters (``TEEC_InvokeCommand``).

        Returns one item per output parameter, in order (see the module
        documentation).  ``cancel`` lets another thread cancel the call.
        """
        command_id = _u32(command, "command")
        state = self._state
        if not params and cancel is None:
            return state.invoke_values(command_id, ())  # the commonest call
        checked = _check_params(params)
        if cancel is not None and not isinstance(cancel, CancelToken):
            raise TypeError(
                "cancel must be a CancelToken, not %s" % type(cancel).__name__
            )
        # A cancel token needs an operation of its own for the call.
        if cancel is None and _values_only(checked):
            return state.invoke_values(command_id, checked)
        context = state.context
        lib = context.lib
        if state.closing:
            raise ClosedError("the session is closed")
        with state.lock:
            if state.closing:
                raise ClosedError("the session is closed")

            def call(operation: Any, origin: Any) -> int:
                entry = None
                if cancel is not None:
                    entry = cancel._begin(lib, operation, "TEEC_InvokeCommand")
                try:
                    result: int = lib.TEEC_InvokeCommand(
                        state.session, command_id, operation, origin
                    )
                finally:
                    if entry is not None and cancel is not None:
                        cancel._end(entry)
                return result

            return _run_operation(context, checked, "TEEC_InvokeCommand", call)

    def invoke_sized(
        self,
        command: int,
        *params: Parameter,
        cancel: CancelToken | None = None,
        max_tries: int = 4,
        max_size: int = 64 << 20,
    ) -> tuple[Any, ...]:
        """Like :meth:`invoke`, growing ``TempOut(n)`` buffers the TA finds short.

        On :class:`~pytee.errors.ShortBuffer`, each ``TempOut(n)`` (or null
        ``TempOut()``) whose reported size exceeds ``n`` becomes
        ``TempOut(reported)`` and the call is repeated, at most ``max_tries``
        calls in all.  The last ``ShortBuffer`` is raised when no parameter
        can grow (caller buffers never do), when a size exceeds
        ``max_size``, or when the tries run out.  Use it only for commands
        that are safe to repeat.
        """
        tries = _integer(max_tries, "max_tries")
        if tries < 1:
            raise ValueError("max_tries must be at least 1")
        limit = _size(max_size, "max_size")
        current = list(params)
        for attempt in range(tries):
            try:
                return self.invoke(command, *current, cancel=cancel)
            except ShortBuffer as error:
                if attempt == tries - 1:
                    raise
                grown = False
                for index, param in enumerate(current):
                    if not isinstance(param, TempOut) or param.size is None:
                        continue
                    if index >= len(error.sizes):
                        continue
                    wanted = error.sizes[index]
                    if wanted is None or wanted <= param.size:
                        continue
                    if wanted > limit:
                        raise
                    current[index] = TempOut(wanted)
                    grown = True
                if not grown:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover


class SharedMemory:
    """Memory shared with the TEE; see :meth:`Context.allocate_shared_memory`."""

    def __init__(self, context: Context, state: _ShmState) -> None:
        self._context = context  # a block keeps its context alive
        self._state = state
        self._finalizer = weakref.finalize(self, state.release, False)

    @property
    def context(self) -> Context:
        return self._context

    @property
    def size(self) -> int:
        return self._state.size

    @property
    def flags(self) -> MemFlag:
        return self._state.flags

    @property
    def registered(self) -> bool:
        """True for registered (your buffer), False for allocated memory."""
        return self._state.registered

    @property
    def closed(self) -> bool:
        return self._state.closed

    @property
    def buffer(self) -> memoryview:
        """A writable view of the block (zero copy).

        For allocated memory it is released when the block is released; for
        registered memory it is a view of your own buffer.
        """
        return self._state.view(0, self._state.size)

    def release(self) -> None:
        """``TEEC_ReleaseSharedMemory``; idempotent.

        Waits for calls using the block; raises ``BufferError`` (and keeps the
        block) if views derived from the ones pytee gave still exist.
        """
        self._state.release(True)
        self._finalizer.detach()

    close = release

    def __enter__(self) -> SharedMemory:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.release()
        else:
            self._state.release(False)
            self._finalizer.detach()

    def __len__(self) -> int:
        return self._state.size

    def __repr__(self) -> str:
        kind = "registered" if self._state.registered else "allocated"
        return "<pytee.SharedMemory %s %d bytes %s%s>" % (
            kind,
            self._state.size,
            self._state.flags.name
            if self._state.flags.name
            else int(self._state.flags),
            " released" if self.closed else "",
        )
