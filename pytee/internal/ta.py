"""Declaring a trusted application in Python: its UUID, flags, properties,
entry points and commands (docs/python-tas.md).

A TA module builds one :class:`TrustedApplication` and registers its entry
points with the decorators.  The Python TA host (:mod:`pytee.internal.host`)
turns it into the table libtee's runtime serves (``libtee_host_run``): from
then on every entry point is a call from libtee into :meth:`_Entries`.

Parameters reach a handler as :class:`Value` and :class:`Memref` objects
over the call's own ``TEE_Param`` slots.  A handler's result: returning is
``TEE_SUCCESS``; raising a :class:`pytee.TeeError` gives its code to the
client; any other exception ends the instance (:func:`panic`).
"""

from __future__ import annotations

import base64
import enum
import sys
import traceback
import uuid as uuid_module
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, TypeVar

from pytee.constants import Origin, Result
from pytee.errors import TeeError, error_class
from pytee.internal import raw

__all__ = [
    "TA_FLAG_DONT_CLOSE_HANDLE_ON_CORRUPT_OBJECT",
    "TA_FLAG_INSTANCE_KEEP_ALIVE",
    "TA_FLAG_MULTI_SESSION",
    "TA_FLAG_SINGLE_INSTANCE",
    "U64",
    "Identity",
    "Memref",
    "ParamType",
    "TrustedApplication",
    "Value",
    "dmsg",
    "emsg",
    "error",
    "fmsg",
    "imsg",
    "panic",
]

# OP-TEE's TA_FLAG_* values (user_ta_header.h).
TA_FLAG_SINGLE_INSTANCE = 1 << 2
TA_FLAG_MULTI_SESSION = 1 << 3
TA_FLAG_INSTANCE_KEEP_ALIVE = 1 << 4
TA_FLAG_DONT_CLOSE_HANDLE_ON_CORRUPT_OBJECT = 1 << 11

_U32_MAX = 0xFFFFFFFF
_U64_MAX = 0xFFFFFFFFFFFFFFFF
_NUM_PARAMS = 4
# The code TEE_Panic gets for an exception the TA did not handle.
_UNCAUGHT_PANIC_CODE = int(Result.GENERIC)


class ParamType(enum.IntEnum):
    """``TEE_PARAM_TYPE_*``: the type of one parameter a TA receives."""

    NONE = 0
    VALUE_INPUT = 1
    VALUE_OUTPUT = 2
    VALUE_INOUT = 3
    MEMREF_INPUT = 5
    MEMREF_OUTPUT = 6
    MEMREF_INOUT = 7


def param_types(*types: ParamType) -> int:
    """``TEE_PARAM_TYPES(t0, t1, t2, t3)``; missing ones are ``NONE``."""
    if len(types) > _NUM_PARAMS:
        raise ValueError(
            "at most %d parameter types, got %d" % (_NUM_PARAMS, len(types))
        )
    packed = 0
    for index, kind in enumerate(types):
        packed |= ParamType(kind) << (4 * index)
    return packed


def _type_at(packed: int, index: int) -> int:
    return (packed >> (4 * index)) & 0xF


class U64(int):
    """A ``U64`` property value (a plain ``int`` is a ``U32``)."""


class Identity(NamedTuple):
    """A ``TEE_Identity``: a login method and a UUID."""

    login: int
    uuid: uuid_module.UUID


# ------------------------------------------------------------------ results


def error(code: int, detail: str | None = None) -> TeeError:
    """The :class:`TeeError` subclass for ``code``, to raise from a handler:
    ``raise error(Result.SHORT_BUFFER)``; the client gets ``code``."""
    return error_class(code)(code, Origin.TRUSTED_APP, "TA", detail)


def panic(code: int = _UNCAUGHT_PANIC_CODE) -> None:
    """``TEE_Panic(code)``: end this instance now; its sessions get
    ``TEEC_ERROR_TARGET_DEAD``.  Does not return."""
    _, lib, _ = raw.load()
    sys.stdout.flush()
    sys.stderr.flush()
    lib.TEE_Panic(code & _U32_MAX)


def _trace(level: int, text: str) -> None:
    ffi, lib, _ = raw.load()
    caller = sys._getframe(2)
    lib.trace_printf(
        caller.f_code.co_name.encode(),
        ffi.cast("int", caller.f_lineno),
        ffi.cast("int", level),
        ffi.cast("bool", True),
        b"%s",
        ffi.new("char[]", text.encode("utf-8", "replace")),
    )


def emsg(text: str) -> None:
    """``EMSG``: an error line in the TA log."""
    _trace(1, text)


def imsg(text: str) -> None:
    """``IMSG``: an information line in the TA log."""
    _trace(2, text)


def dmsg(text: str) -> None:
    """``DMSG``: a debug line in the TA log (with the calling function)."""
    _trace(3, text)


def fmsg(text: str) -> None:
    """``FMSG``: a flow line in the TA log (with the calling function)."""
    _trace(4, text)


# --------------------------------------------------------------- parameters


class Value:
    """A value parameter: ``a`` and ``b``, 32-bit unsigned.  Assigning them
    writes the slot the client reads back (outputs only)."""

    __slots__ = ("_output", "_slot")

    def __init__(self, slot: Any, output: bool) -> None:
        self._slot = slot
        self._output = output

    @property
    def a(self) -> int:
        return int(self._slot.a)

    @a.setter
    def a(self, number: int) -> None:
        self._slot.a = self._checked(number, "a")

    @property
    def b(self) -> int:
        return int(self._slot.b)

    @b.setter
    def b(self, number: int) -> None:
        self._slot.b = self._checked(number, "b")

    def _checked(self, number: int, name: str) -> int:
        if not self._output:
            raise AttributeError("%s of a VALUE_INPUT parameter is read-only" % name)
        if not isinstance(number, int) or not 0 <= number <= _U32_MAX:
            raise ValueError(
                "%s must be an int in 0..0xFFFFFFFF, not %r" % (name, number)
            )
        return number

    def __repr__(self) -> str:
        return "Value(a=%d, b=%d)" % (self.a, self.b)


class Memref:
    """A memory reference parameter: the client's buffer for this call.

    ``buffer`` is a memoryview over it (read-only for ``MEMREF_INPUT``),
    valid only until the entry point returns.  ``size`` starts as the size
    the client gave; setting it sets what the client reads back (the output
    length, or the size needed with ``TEE_ERROR_SHORT_BUFFER``).
    """

    __slots__ = ("_output", "_slot", "buffer")

    def __init__(self, ffi: Any, slot: Any, output: bool) -> None:
        self._slot = slot
        self._output = output
        size = int(slot.size)
        if slot.buffer == ffi.NULL or size == 0:
            view = memoryview(bytearray())
        else:
            view = memoryview(ffi.buffer(slot.buffer, size))
        self.buffer: memoryview = view if output else view.toreadonly()

    @property
    def size(self) -> int:
        return int(self._slot.size)

    @size.setter
    def size(self, size: int) -> None:
        if not self._output:
            raise AttributeError("the size of a MEMREF_INPUT parameter is read-only")
        if not isinstance(size, int) or not 0 <= size <= _U64_MAX:
            raise ValueError("size must be a non-negative int, not %r" % (size,))
        self._slot.size = size

    def write(self, data: Any) -> None:
        """Copy ``data`` to the start of the buffer and report its length;
        if it does not fit, report the length needed and raise
        ``ShortBuffer``, as a TA answers a short buffer."""
        source = memoryview(data).cast("B")
        needed = len(source)
        if needed > len(self.buffer):
            self.size = needed
            raise error(Result.SHORT_BUFFER, "%d bytes needed" % needed)
        self.buffer[:needed] = source
        self.size = needed

    def __len__(self) -> int:
        return len(self.buffer)

    def __bytes__(self) -> bytes:
        return bytes(self.buffer)

    def _release(self) -> None:
        self.buffer.release()

    def __repr__(self) -> str:
        return "Memref(%d bytes)" % len(self.buffer)


def _make_params(ffi: Any, packed: int, slots: Any) -> list[Any]:
    """One object per parameter slot: Value, Memref or None (NONE)."""
    params: list[Any] = []
    for index in range(_NUM_PARAMS):
        kind = _type_at(packed, index)
        if kind in (1, 2, 3):
            params.append(Value(slots[index].value, kind != 1))
        elif kind in (5, 6, 7):
            params.append(Memref(ffi, slots[index].memref, kind != 5))
        else:
            params.append(None)
    return params


def _release(params: list[Any]) -> None:
    for param in params:
        if isinstance(param, Memref):
            param._release()


# ---------------------------------------------------------------- the TA

Handler = Callable[..., Any]
F = TypeVar("F", bound=Handler)


class _Command(NamedTuple):
    handler: Handler
    expected: int | None  # packed types, None: any
    used: int  # how many parameters the handler takes (with any_types: 4)


class TrustedApplication:
    """A TA: UUID, flags, sizes, properties, entry points and commands.

    ``flags`` are OP-TEE's ``TA_FLAG_*``; ``data_size`` bounds
    ``TEE_Malloc`` (``TA_DATA_SIZE``); ``stack_size`` is reported as
    ``gpd.ta.stackSize`` (``TA_STACK_SIZE``).  ``properties`` adds the TA's
    own properties (``TA_CURRENT_TA_EXT_PROPERTIES``): ``bool``, ``int``
    (U32), :class:`U64`, ``str``, :class:`uuid.UUID`, :class:`Identity` or
    ``bytes`` (a binary block).
    """

    def __init__(
        self,
        uuid: str | uuid_module.UUID,
        *,
        flags: int = 0,
        stack_size: int = 2048,
        data_size: int = 32768,
        version: str = "Undefined version",
        description: str = "Undefined description",
        properties: Mapping[str, object] | None = None,
        log_level: int | None = None,
    ) -> None:
        self.uuid = (
            uuid if isinstance(uuid, uuid_module.UUID) else uuid_module.UUID(uuid)
        )
        for name, number in (
            ("flags", flags),
            ("stack_size", stack_size),
            ("data_size", data_size),
        ):
            if not isinstance(number, int) or not 0 <= number <= _U32_MAX:
                raise ValueError(
                    "%s must be an int in 0..0xFFFFFFFF, not %r" % (name, number)
                )
        if data_size < 1024:
            raise ValueError("data_size must be at least 1024 bytes (as TA_DATA_SIZE)")
        if log_level is not None and log_level not in range(5):
            raise ValueError(
                "log_level is 0..4 (none, EMSG .. FMSG), not %r" % (log_level,)
            )
        self.log_level = log_level
        self.flags = flags
        self.stack_size = stack_size
        self.data_size = data_size
        self.version = version
        self.description = description
        self.properties = dict(properties or {})
        for name, value in self.properties.items():
            if not isinstance(name, str) or not name:
                raise ValueError(
                    "property names are non-empty strings, not %r" % (name,)
                )
            if name.startswith("gpd."):
                raise ValueError(
                    "%s: gpd.* properties come from the TA's arguments" % name
                )
            _property_type(name, value)  # refuses unsupported values now
        self._create: Callable[[], Any] | None = None
        self._destroy: Callable[[], Any] | None = None
        self._open: _Command | None = None
        self._close: Callable[[Any], Any] | None = None
        self._commands: dict[int, _Command] = {}
        self._every_command: Callable[[Any, int, int], Any] | None = None

    # -- decorators

    def create(self, function: F) -> F:
        """``TA_CreateEntryPoint``: ``function()`` when the instance starts."""
        self._create = function
        return function

    def destroy(self, function: F) -> F:
        """``TA_DestroyEntryPoint``: ``function()`` when the instance ends."""
        self._destroy = function
        return function

    def open_session(
        self, *types: ParamType, any_types: bool = False
    ) -> Callable[[F], F]:
        """``TA_OpenSessionEntryPoint``: ``function(*params)`` returns the
        session object every later call of the session gets first."""

        def register(function: F) -> F:
            self._open = _command(function, types, any_types)
            return function

        return register

    def close_session(self, function: F) -> F:
        """``TA_CloseSessionEntryPoint``: ``function(session)``."""
        self._close = function
        return function

    def every_command(self, function: F) -> F:
        """``function(session, command_id, param_types)`` before every
        invoke, also those refused for their parameter types or command id
        (what a C TA's ``TA_InvokeCommandEntryPoint`` sees first).  Raising
        a :class:`TeeError` there refuses the call."""
        self._every_command = function
        return function

    def command(
        self, command_id: int, *types: ParamType, any_types: bool = False
    ) -> Callable[[F], F]:
        """Register ``function(session, *params)`` for ``command_id``.

        With ``types`` (up to four, missing ones ``NONE``) a call with other
        parameter types gets ``TEE_ERROR_BAD_PARAMETERS`` and the function
        does not run.  With ``any_types=True`` it gets
        ``(session, param_types, p0, p1, p2, p3)``.
        """
        if not isinstance(command_id, int) or not 0 <= command_id <= _U32_MAX:
            raise ValueError(
                "command ids are ints in 0..0xFFFFFFFF, not %r" % (command_id,)
            )

        def register(function: F) -> F:
            if command_id in self._commands:
                raise ValueError("command %d is declared twice" % command_id)
            self._commands[command_id] = _command(function, types, any_types)
            return function

        return register


def _command(
    function: Handler, types: tuple[ParamType, ...], any_types: bool
) -> _Command:
    if any_types:
        if types:
            raise ValueError("give parameter types or any_types=True, not both")
        return _Command(function, None, _NUM_PARAMS)
    return _Command(function, param_types(*types), len(types))


def _property_type(name: str, value: object) -> str:
    """The ``USER_TA_PROP_TYPE_*`` name for a property value."""
    if isinstance(value, bool):
        return "BOOL"
    if isinstance(value, U64):
        if not 0 <= value <= _U64_MAX:
            raise ValueError("%s: a U64 is in 0..2**64-1" % name)
        return "U64"
    if isinstance(value, int):
        if not 0 <= value <= _U32_MAX:
            raise ValueError(
                "%s: an int property is a U32 (use U64(n) for more)" % name
            )
        return "U32"
    if isinstance(value, Identity):
        return "IDENTITY"
    if isinstance(value, uuid_module.UUID):
        return "UUID"
    if isinstance(value, str):
        return "STRING"
    if isinstance(value, (bytes, bytearray)):
        return "BINARY_BLOCK"
    raise TypeError("%s: unsupported property value %r" % (name, value))


def _uuid_fill(ffi: Any, target: Any, value: uuid_module.UUID) -> None:
    octets = value.bytes
    target.timeLow = int.from_bytes(octets[0:4], "big")
    target.timeMid = int.from_bytes(octets[4:6], "big")
    target.timeHiAndVersion = int.from_bytes(octets[6:8], "big")
    ffi.memmove(target.clockSeqAndNode, octets[8:16], 8)


def _property_value(ffi: Any, kind: str, value: Any) -> Any:
    """cdata holding ``value`` as libtee reads a property of ``kind``."""
    if kind == "BOOL":
        return ffi.new("bool *", value)
    if kind == "U32":
        return ffi.new("uint32_t *", value)
    if kind == "U64":
        return ffi.new("uint64_t *", value)
    if kind == "UUID":
        cell = ffi.new("TEE_UUID *")
        _uuid_fill(ffi, cell, value)
        return cell
    if kind == "IDENTITY":
        cell = ffi.new("TEE_Identity *")
        cell.login = value.login
        _uuid_fill(ffi, cell.uuid, value.uuid)
        return cell
    if kind == "STRING":
        return ffi.new("char[]", value.encode())
    return ffi.new("char[]", base64.b64encode(bytes(value)))


class _Entries:
    """The TA's table for ``libtee_host_run`` and the callbacks behind it.

    Keeps every cdata libtee reads alive as long as it exists.  Session
    objects live in a dict; libtee holds their key as the session context.
    """

    def __init__(self, ta: TrustedApplication, ffi: Any, lib: Any) -> None:
        self.ta = ta
        self.ffi = ffi
        self.lib = lib
        self.sessions: dict[int, Any] = {}
        self.next_session = 1
        self.keep: list[Any] = []
        self.ops = ffi.new("struct libtee_ta_ops *")
        if ta.log_level is not None:
            lib.trace_set_level(ta.log_level)
        self._fill_head()
        self._fill_properties()
        self._callbacks = (
            ffi.callback("TEE_Result(void)", self._on_create, onerror=self._on_error),
            ffi.callback("void(void)", self._on_destroy, onerror=self._on_error),
            ffi.callback(
                "TEE_Result(uint32_t, TEE_Param *, void **)",
                self._on_open,
                onerror=self._on_error,
            ),
            ffi.callback("void(void *)", self._on_close, onerror=self._on_error),
            ffi.callback(
                "TEE_Result(void *, uint32_t, uint32_t, TEE_Param *)",
                self._on_invoke,
                onerror=self._on_error,
            ),
        )
        (
            self.ops.create,
            self.ops.destroy,
            self.ops.open,
            self.ops.close,
            self.ops.invoke,
        ) = self._callbacks

    def _fill_head(self) -> None:
        head = self.ffi.new("struct pytee_ta_head *")
        _uuid_fill(self.ffi, head.uuid, self.ta.uuid)
        head.flags = self.ta.flags
        head.stack_size = self.ta.stack_size
        head.data_size = self.ta.data_size
        self.keep.append(head)
        self.ops.head = head

    def _fill_properties(self) -> None:
        ta = self.ta
        flags = ta.flags
        gpd: list[tuple[str, object]] = [
            ("gpd.ta.appID", ta.uuid),
            ("gpd.ta.singleInstance", bool(flags & TA_FLAG_SINGLE_INSTANCE)),
            ("gpd.ta.multiSession", bool(flags & TA_FLAG_MULTI_SESSION)),
            ("gpd.ta.instanceKeepAlive", bool(flags & TA_FLAG_INSTANCE_KEEP_ALIVE)),
            ("gpd.ta.instanceKeepCrashed", bool(flags & (1 << 13))),
            ("gpd.ta.dataSize", ta.data_size),
            ("gpd.ta.stackSize", ta.stack_size),
            ("gpd.ta.version", ta.version),
            ("gpd.ta.description", ta.description),
            ("gpd.ta.endian", 0),
            (
                "gpd.ta.doesNotCloseHandleOnCorruptObject",
                bool(flags & TA_FLAG_DONT_CLOSE_HANDLE_ON_CORRUPT_OBJECT),
            ),
        ]
        entries = gpd + list(ta.properties.items())
        table = self.ffi.new("struct user_ta_property[]", len(entries))
        for slot, (name, value) in zip(table, entries):
            kind = _property_type(name, value)
            name_cell = self.ffi.new("char[]", name.encode())
            value_cell = _property_value(self.ffi, kind, value)
            self.keep += [name_cell, value_cell]
            slot.name = name_cell
            slot.type = getattr(self.lib, "USER_TA_PROP_TYPE_" + kind)
            slot.value = value_cell
        self.keep.append(table)
        self.ops.props = table
        self.ops.nprops = len(entries)

    # -- callbacks from libtee (exceptions that escape them: _on_error)

    def _on_error(self, kind: Any, value: Any, tb: Any) -> None:
        self._uncaught(value)

    def _uncaught(self, exc: BaseException) -> None:
        """An exception the TA did not turn into a result: log it, panic."""
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        self.lib.trace_ext_puts(
            self.ffi.new(
                "char[]",
                ("E/TA: uncaught exception, the TA panics:\n" + text).encode(
                    "utf-8", "replace"
                ),
            )
        )
        panic(_UNCAUGHT_PANIC_CODE)

    def _run(self, function: Callable[..., Any], *args: Any) -> tuple[int, Any]:
        try:
            return 0, function(*args)
        except TeeError as failure:
            return int(failure.code), None
        except BaseException as failure:  # the TA did not handle it: panic
            self._uncaught(failure)
            raise  # not reached: panic does not return

    def _on_create(self) -> int:
        if self.ta._create is None:
            return 0
        return self._run(self.ta._create)[0]

    def _on_destroy(self) -> None:
        if self.ta._destroy is not None:
            self._run(self.ta._destroy)

    def _call(
        self, command: _Command, packed: int, slots: Any, first: tuple[Any, ...]
    ) -> tuple[int, Any]:
        if command.expected is not None and packed != command.expected:
            return int(Result.BAD_PARAMETERS), None
        params = _make_params(self.ffi, packed, slots)
        try:
            if command.expected is None:
                return self._run(command.handler, *first, packed, *params)
            return self._run(command.handler, *first, *params[: command.used])
        finally:
            _release(params)

    def _on_open(self, packed: int, slots: Any, context: Any) -> int:
        opening = self.ta._open or _Command(_no_session, param_types(), 0)
        result, session = self._call(opening, packed, slots, ())
        if result == 0:
            key = self.next_session
            self.next_session += 1
            self.sessions[key] = session
            context[0] = self.ffi.cast("void *", key)
        return result

    def _on_close(self, context: Any) -> None:
        session = self.sessions.pop(int(self.ffi.cast("uintptr_t", context)), None)
        if self.ta._close is not None:
            self._run(self.ta._close, session)

    def _on_invoke(self, context: Any, command_id: int, packed: int, slots: Any) -> int:
        session = self.sessions.get(int(self.ffi.cast("uintptr_t", context)))
        if self.ta._every_command is not None:
            result = self._run(self.ta._every_command, session, command_id, packed)[0]
            if result:
                return result
        command = self.ta._commands.get(command_id)
        if command is None:
            return int(Result.NOT_SUPPORTED)
        return self._call(command, packed, slots, (session,))[0]


def _no_session() -> None:
    return None
