"""The pytee test TA in Python: the twin of csrc/ta/test/test_ta.c.

One command per behaviour the TEE must get right (parameters, short
buffers, crashes, heap limit, cancellation, identity, properties and their
enumerators, instance sharing, logging, the GP 1.1 object functions).  The
commands, their parameters and their results are those of the C TA, which
csrc/ta/test/include/test_ta.h documents; the client tests run against both
TAs with the same expectations (tests/conftest.py).

The C source is built four times with different instance flags.  So is this
module: it declares the build with one instance per session, and
test_single.py, test_multi.py and test_keepalive.py call :func:`build` with
their own UUID, flags and properties.

Most commands use the Pythonic API of :mod:`pytee.internal`.  Those whose
point is a GP function itself (TEE_Malloc and friends, instance data, the
property enumerator functions, the GP 1.1 object functions,
TEE_CheckMemoryAccessRights, and the Internal Client API with the client's
buffer passed straight through) call it by its GP name through the raw
layer, as the C TA does.
"""

from __future__ import annotations

import mmap
import os
import struct
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pytee import Result, TeeError
from pytee.internal import (
    Memref,
    ParamType,
    TrustedApplication,
    Value,
    cancellation_requested,
    dmsg,
    emsg,
    error,
    fmsg,
    imsg,
    mask_cancellation,
    panic,
    param_types,
    raw,
    unmask_cancellation,
    wait,
)
from pytee.internal.properties import (
    Identity,
    PropSet,
    client_identity,
    get_binary,
    get_bool,
    get_identity,
    get_string,
    get_u32,
    get_u64,
    get_uuid,
)

TA_UUID = "ec32ddf5-7014-420e-866d-438821e6a747"

# ---------------------------------------------------------------- test_ta.h

TA_TEST_DATA_SIZE = 32 * 1024
TA_TEST_STACK_SIZE = 2 * 1024
TA_TEST_VERSION = "1.0"
TA_TEST_OPEN_MAGIC = 0x5A5A

TA_TEST_CMD_NULL = 0
TA_TEST_CMD_VALUE_ADD = 1
TA_TEST_CMD_VALUE_INC = 2
TA_TEST_CMD_MEMREF_SUM = 3
TA_TEST_CMD_MEMREF_FILL = 4
TA_TEST_CMD_MEMREF_REVERSE = 5
TA_TEST_CMD_SHORT_BUFFER = 6
TA_TEST_CMD_ALL_TYPES = 7
TA_TEST_CMD_PANIC = 8
TA_TEST_CMD_SEGFAULT = 9
TA_TEST_CMD_ABORT = 10
TA_TEST_CMD_STACK_OVERFLOW = 11
TA_TEST_CMD_HEAP_EXHAUST = 12
TA_TEST_CMD_WAIT = 13
TA_TEST_CMD_CLIENT_IDENTITY = 14
TA_TEST_CMD_GET_PROPERTY = 15
TA_TEST_CMD_COUNTER = 16
TA_TEST_CMD_LOG = 17
TA_TEST_CMD_INSTANCE_DATA = 18
TA_TEST_CMD_MALLOC_REALLOC = 19
TA_TEST_CMD_SESSION_INFO = 20
TA_TEST_CMD_TOUCH = 21
TA_TEST_CMD_CALL_TA = 22
TA_TEST_CALL_WAIT_MS = 10000
TA_TEST_CMD_PROPERTY_TYPED = 23
TA_TEST_CMD_PROPERTY_ENUMERATE = 24
TA_TEST_CMD_OBJECT_GP11 = 25
TA_TEST_GP11_INFO_WORDS = 7
TA_TEST_GP11_INFO_COUNT = 4
TA_TEST_GP11_INFO_SIZE = 4 * 7 * 4
TA_TEST_CMD_CHECK_ACCESS = 26
TA_TEST_MEM_PARAM = 0
TA_TEST_MEM_HEAP = 1
TA_TEST_MEM_RODATA = 2
TA_TEST_MEM_NULL = 3
TA_TEST_MEM_EMPTY = 4

TA_TEST_PROPSET_CURRENT_TA = 0
TA_TEST_PROPSET_CLIENT = 1
TA_TEST_PROPSET_IMPLEMENTATION = 2

TA_TEST_BOOL_GETTER = 0
TA_TEST_U32_GETTER = 1
TA_TEST_U64_GETTER = 2
TA_TEST_UUID_GETTER = 3
TA_TEST_IDENTITY_GETTER = 4
TA_TEST_BINARY_GETTER = 5

# ------------------------------------------------------------------ local

VIN = ParamType.VALUE_INPUT
VOUT = ParamType.VALUE_OUTPUT
VIO = ParamType.VALUE_INOUT
MIN = ParamType.MEMREF_INPUT
MOUT = ParamType.MEMREF_OUTPUT
MIO = ParamType.MEMREF_INOUT

U32_MASK = 0xFFFFFFFF
HEAP_BLOCK_SIZE = 1024
# HEAP_EXHAUST gives up here if TEE_Malloc never fails.
HEAP_BLOCK_CAP = 4 * TA_TEST_DATA_SIZE // HEAP_BLOCK_SIZE
# One TEE_ObjectInfo record of OBJECT_GP11: seven little-endian words.
GP11_RECORD = struct.Struct("<%dI" % TA_TEST_GP11_INFO_WORDS)
# Each byte XORed with 0xff, for ALL_TYPES.
FLIP = bytes(byte ^ 0xFF for byte in range(256))

PROPSETS = {
    TA_TEST_PROPSET_CURRENT_TA: PropSet.CURRENT_TA,
    TA_TEST_PROPSET_CLIENT: PropSet.CURRENT_CLIENT,
    TA_TEST_PROPSET_IMPLEMENTATION: PropSet.TEE_IMPLEMENTATION,
}

# The GP functions by their C names, for the commands that test them.
ffi, lib, _ = raw.load()


@dataclass
class Counts:
    """What this instance has run.  Module globals live as long as the
    instance, as a C TA's globals do."""

    create: int = 0
    destroy: int = 0
    open: int = 0
    close: int = 0
    counter: int = 0


@dataclass
class TestSession:
    """The session: the client's login, and the commands it invoked."""

    login: int
    invokes: int = 0


counts = Counts()
# INSTANCE_DATA's value; TEE_SetInstanceData keeps a pointer to it.
instance_value = ffi.new("uint32_t *")
# CHECK_ACCESS's constant: a read-only mapping, as a C TA's .rodata is.
test_rodata = mmap.mmap(-1, 64, access=mmap.ACCESS_READ)


def log_lifecycle(event: str) -> None:
    imsg(
        "lifecycle %s create=%d destroy=%d open=%d close=%d"
        % (event, counts.create, counts.destroy, counts.open, counts.close)
    )


def text_of(memref: Memref) -> str:
    """The text in a memref, up to its first NUL (the NUL is optional)."""
    text = bytes(memref.buffer).split(b"\0", 1)[0]
    return text.decode("utf-8", "replace")


def propset_of(which: Value) -> PropSet:
    """The property set a TA_TEST_PROPSET_* number names."""
    if which.a not in PROPSETS:
        raise error(Result.BAD_PARAMETERS)
    return PROPSETS[which.a]


def logged_client_identity() -> Identity:
    """gpd.client.identity; a failure is logged, then passed on."""
    try:
        return client_identity()
    except TeeError as failure:
        emsg("gpd.client.identity: %#x" % failure.code)
        raise


# ------------------------------------------------------------ entry points


def create_entry_point() -> None:
    counts.create += 1
    log_lifecycle("create")


def destroy_entry_point() -> None:
    counts.destroy += 1
    log_lifecycle("destroy")


def open_session_entry_point(
    types: int, refusal: Value | None, answer: Value | None, *unused: None
) -> TestSession:
    """No parameters, or p0 VALUE_INPUT (0, or the code to refuse the session
    with) and p1 VALUE_OUTPUT (TA_TEST_OPEN_MAGIC and the client's login)."""
    counts.open += 1
    log_lifecycle("open")
    if types not in (param_types(), param_types(VIN, VOUT)):
        raise error(Result.BAD_PARAMETERS)
    login = logged_client_identity().login
    if refusal is not None and answer is not None:
        answer.a = TA_TEST_OPEN_MAGIC
        answer.b = login
        if refusal.a != 0:
            raise error(refusal.a)
    return TestSession(login)


def close_session_entry_point(session: TestSession) -> None:
    counts.close += 1
    log_lifecycle("close")


# ---------------------------------------------------------------- commands


def cmd_null(session: TestSession) -> None:
    pass


def cmd_value_add(session: TestSession, operands: Value, result: Value) -> None:
    a, b = operands.a, operands.b
    result.a = (a + b) & U32_MASK
    result.b = a ^ b


def cmd_value_inc(session: TestSession, value: Value) -> None:
    value.a = (value.a + 1) & U32_MASK
    value.b = (value.b + 2) & U32_MASK


def cmd_memref_sum(session: TestSession, data: Memref, result: Value) -> None:
    result.a = sum(data.buffer) & U32_MASK
    result.b = data.size


def cmd_memref_fill(session: TestSession, byte: Value, out: Memref) -> None:
    out.buffer[:] = bytes([byte.a & 0xFF]) * len(out.buffer)


def cmd_memref_reverse(session: TestSession, data: Memref) -> None:
    data.buffer[:] = bytes(data.buffer)[::-1]


def cmd_short_buffer(session: TestSession, needed: Value, out: Memref) -> None:
    if out.size < needed.a:
        out.size = needed.a
        raise error(Result.SHORT_BUFFER)
    out.write((bytes(range(256)) * (needed.a // 256 + 1))[: needed.a])


def cmd_all_types(
    session: TestSession, value: Value, source: Memref, copy: Memref, flip: Memref
) -> None:
    value.b = (value.a + value.b) & U32_MASK
    value.a = source.size
    count = min(source.size, copy.size)
    copy.buffer[:count] = source.buffer[:count]
    copy.size = count
    flip.buffer[:] = bytes(flip.buffer).translate(FLIP)


def cmd_panic(session: TestSession, code: Value) -> None:
    panic(code.a)


def cmd_segfault(session: TestSession) -> None:
    # A store through a NULL pointer, as in C.  cffi refuses null[0] = ...
    # with a RuntimeError, so the store is ffi.memmove's, in C.
    ffi.memmove(ffi.cast("uint32_t *", 0), b"\xad\xde\0\0", 4)
    emsg("write through NULL did not fault")
    raise error(Result.GENERIC)


def cmd_abort(session: TestSession) -> None:
    # The C TA executes a trap instruction (SIGILL on x86, SIGTRAP on arm64).
    # Python has none at hand; abort(3) ends the process in the same way, by
    # a signal (SIGABRT), without running any Python cleanup.
    os.abort()


def recurse(depth: int) -> int:
    # Through map(), a C function: each level takes C stack as well as a
    # Python frame.  A direct self-call would not: since 3.11, CPython runs
    # Python-to-Python calls on frames of its own, off the C stack.
    return sum(map(recurse, (depth + 1,))) + depth


def cmd_stack_overflow(session: TestSession) -> None:
    # The C TA recurses until its stack runs out and the kernel sends
    # SIGSEGV.  CPython stops a deep recursion with RecursionError, an
    # exception like any other; with that limit lifted, the recursion below
    # runs the host's C stack out for real, with the same SIGSEGV.  CPython
    # 3.12 and later also count C recursion against a limit of their own that
    # cannot be lifted: there the recursion ends in RecursionError, which
    # ends the instance as any uncaught exception does (a panic).
    sys.setrecursionlimit(2**31 - 1)
    emsg("recursion ended: %d" % recurse(0))
    raise error(Result.GENERIC)


def cmd_heap_exhaust(session: TestSession, result: Value) -> None:
    blocks: list[Any] = []
    while len(blocks) < HEAP_BLOCK_CAP:
        block = lib.TEE_Malloc(HEAP_BLOCK_SIZE, lib.TEE_MALLOC_FILL_ZERO)
        if block == ffi.NULL:
            break
        blocks.append(block)
    for block in blocks:
        lib.TEE_Free(block)
    big = lib.TEE_Malloc(2 * TA_TEST_DATA_SIZE, lib.TEE_MALLOC_FILL_ZERO)
    result.a = len(blocks)
    result.b = int(big == ffi.NULL)
    lib.TEE_Free(big)


def cmd_wait(session: TestSession, request: Value, flag: Value) -> None:
    """TEE_Wait(request.a ms), cancellable when request.b is 1.  A cancelled
    wait raises Cancel: the client gets TEE_ERROR_CANCEL, and flag too."""
    unmask = request.b == 1
    if unmask:
        unmask_cancellation()
    try:
        wait(request.a)
    finally:
        flag.a = int(cancellation_requested())
        flag.b = 0
        if unmask:
            mask_cancellation()


def cmd_client_identity(session: TestSession, login: Value, client: Memref) -> None:
    identity = logged_client_identity()
    login.a = identity.login
    login.b = 0
    client.write(identity.uuid.bytes)


def cmd_get_property(
    session: TestSession, which: Value, name: Memref, out: Memref
) -> None:
    value = get_string(propset_of(which), text_of(name))
    out.write(value.encode() + b"\0")


def cmd_counter(session: TestSession, result: Value) -> None:
    counts.counter = (counts.counter + 1) & U32_MASK
    result.a = counts.counter
    result.b = 0


def cmd_log(session: TestSession, text: Memref) -> None:
    line = text_of(text)
    emsg("log-error: " + line)
    imsg("log-info: " + line)
    dmsg("log-debug: " + line)
    fmsg("log-flow: " + line)


def cmd_instance_data(session: TestSession, value: Value) -> None:
    stored = lib.TEE_GetInstanceData()
    if stored == ffi.NULL:
        instance_value[0] = value.a
        lib.TEE_SetInstanceData(instance_value)
        value.a, value.b = 0, 1
    else:
        value.a = ffi.cast("const uint32_t *", stored)[0]
        value.b = 0


def malloc_checks() -> int:
    """0, or the number of the first check of TEE_Malloc, TEE_Realloc,
    TEE_Free, TEE_MemFill, TEE_MemMove and TEE_MemCompare that failed; the
    C TA's checks, with its numbers."""
    p = q = r = ffi.NULL

    def content(block: Any, size: int) -> bytes:
        return bytes(ffi.buffer(block, size))

    try:
        # 1: TEE_Malloc gives memory; 2: zero-filled
        p = lib.TEE_Malloc(100, lib.TEE_MALLOC_FILL_ZERO)
        if p == ffi.NULL:
            return 1
        if content(p, 100) != bytes(100):
            return 2
        # 3: TEE_MemFill writes the byte; 4: only the low 8 bits of x
        lib.TEE_MemFill(p, 0xAB, 100)
        if content(p, 100) != b"\xab" * 100:
            return 3
        lib.TEE_MemFill(p, 0x1CD, 10)
        if content(p, 11) != b"\xcd" * 10 + b"\xab":
            return 4
        lib.TEE_MemFill(p, 0xAB, 100)
        # 5: TEE_Realloc grows and keeps the contents
        q = lib.TEE_Realloc(p, 4000)
        if q == ffi.NULL:
            return 5
        p = ffi.NULL
        if content(q, 100) != b"\xab" * 100:
            return 5
        q_1 = ffi.cast("uint8_t *", q) + 1
        # 6: TEE_MemMove with overlap, forward
        ffi.memmove(q, bytes(range(256)), 256)
        lib.TEE_MemMove(q_1, q, 255)
        if content(q_1, 255) != bytes(range(255)):
            return 6
        # 7: TEE_MemMove with overlap, backward
        ffi.memmove(q, bytes(range(256)), 256)
        lib.TEE_MemMove(q, q_1, 255)
        if content(q, 255) != bytes(range(1, 256)):
            return 7
        # 8: TEE_MemCompare: equal, less, greater
        a = ffi.new("uint8_t[4]", [1, 2, 3, 4])
        b = ffi.new("uint8_t[4]", [1, 2, 3, 5])
        if (
            lib.TEE_MemCompare(a, a, 4) != 0
            or lib.TEE_MemCompare(a, b, 4) >= 0
            or lib.TEE_MemCompare(b, a, 4) <= 0
        ):
            return 8
        # 9: TEE_Realloc shrinks and keeps the head
        head = bytes(range(0x40, 0x4A))
        ffi.memmove(q, head, 10)
        p = lib.TEE_Realloc(q, 10)
        if p == ffi.NULL:
            return 9
        q = ffi.NULL
        if content(p, 10) != head:
            return 9
        # 10: TEE_Realloc(NULL, n) allocates; TEE_Free(NULL) does nothing
        r = lib.TEE_Realloc(ffi.NULL, 16)
        if r == ffi.NULL:
            return 10
        lib.TEE_Free(ffi.NULL)
        # 11: a TEE_Realloc beyond the heap fails and keeps the block
        q = lib.TEE_Realloc(p, 2 * TA_TEST_DATA_SIZE)
        if q != ffi.NULL:
            p = ffi.NULL
            return 11
        if content(p, 10) != head:
            return 11
        # 12: a TEE_Malloc beyond the heap fails
        q = lib.TEE_Malloc(2 * TA_TEST_DATA_SIZE, lib.TEE_MALLOC_FILL_ZERO)
        return 12 if q != ffi.NULL else 0
    finally:
        lib.TEE_Free(p)
        lib.TEE_Free(q)
        lib.TEE_Free(r)


def cmd_malloc_realloc(session: TestSession, result: Value) -> None:
    failed = malloc_checks()
    result.a = failed
    result.b = 0
    if failed:
        emsg("malloc check %d failed" % failed)
        raise error(Result.GENERIC)


def cmd_session_info(session: TestSession, result: Value) -> None:
    result.a = session.login
    result.b = session.invokes


def cmd_touch(session: TestSession, data: Memref) -> None:
    view = data.buffer
    if len(view):
        view[0] = (view[0] + 1) & 0xFF
        view[-1] = (view[-1] + 1) & 0xFF


def cmd_call_ta(
    session: TestSession, callee: Memref, call: Value, data: Memref, seen: Value
) -> None:
    """Open a session to another TA, invoke one command there and close it;
    call gets the callee's result and origin, whatever they are.

    The client's buffer goes to the callee as it is, without a copy, as in
    the C TA: hence TEE_OpenTASession and TEE_InvokeTACommand themselves."""
    if callee.size != 16:
        raise error(Result.BAD_PARAMETERS)
    command = call.a
    timeout = call.b or lib.TEE_TIMEOUT_INFINITE
    params = ffi.new("TEE_Param[4]")
    shared = ffi.from_buffer(data.buffer)
    if command == TA_TEST_CMD_MEMREF_REVERSE:
        types = param_types(MIO)
        params[0].memref.buffer = shared
        params[0].memref.size = data.size
    elif command == TA_TEST_CMD_CLIENT_IDENTITY:
        types = param_types(VOUT, MOUT)
        params[1].memref.buffer = shared
        params[1].memref.size = data.size
    elif command == TA_TEST_CMD_WAIT:
        types = param_types(VIN, VOUT)
        params[0].value.a = TA_TEST_CALL_WAIT_MS
        params[0].value.b = 1
    else:
        raise error(Result.BAD_PARAMETERS)

    octets = bytes(callee.buffer)
    destination = ffi.new("TEE_UUID *")
    destination.timeLow = int.from_bytes(octets[0:4], "big")
    destination.timeMid = int.from_bytes(octets[4:6], "big")
    destination.timeHiAndVersion = int.from_bytes(octets[6:8], "big")
    destination.clockSeqAndNode = list(octets[8:16])
    handle = ffi.new("TEE_TASessionHandle *")
    origin = ffi.new("uint32_t *")
    res = lib.TEE_OpenTASession(
        destination, lib.TEE_TIMEOUT_INFINITE, 0, ffi.NULL, handle, origin
    )
    if res == Result.SUCCESS:
        res = lib.TEE_InvokeTACommand(
            handle[0], timeout, command, types, params, origin
        )
        lib.TEE_CloseTASession(handle[0])
    call.a = res
    call.b = origin[0]
    if command == TA_TEST_CMD_MEMREF_REVERSE:
        data.size = params[0].memref.size
    elif command == TA_TEST_CMD_CLIENT_IDENTITY:
        data.size = params[1].memref.size
        seen.a = params[0].value.a


def typed_value(propset: PropSet, getter: int, name: str) -> bytes:
    """The property as PROPERTY_TYPED returns it (test_ta.h)."""
    if getter == TA_TEST_BOOL_GETTER:
        return bytes([get_bool(propset, name)])
    if getter == TA_TEST_U32_GETTER:
        return get_u32(propset, name).to_bytes(4, "little")
    if getter == TA_TEST_U64_GETTER:
        return get_u64(propset, name).to_bytes(8, "little")
    if getter == TA_TEST_UUID_GETTER:
        return get_uuid(propset, name).bytes
    if getter == TA_TEST_IDENTITY_GETTER:
        identity = get_identity(propset, name)
        return identity.login.to_bytes(4, "little") + identity.uuid.bytes
    if getter == TA_TEST_BINARY_GETTER:
        return get_binary(propset, name)
    raise error(Result.BAD_PARAMETERS)


def cmd_property_typed(
    session: TestSession, which: Value, name: Memref, out: Memref
) -> None:
    out.write(typed_value(propset_of(which), which.b, text_of(name)))


def checked(res: int) -> None:
    if res != Result.SUCCESS:
        raise error(res)


def size_answer(res: int, size: int, what: str) -> None:
    """A GP "outstring" function asked with an empty buffer must answer
    TEE_ERROR_SHORT_BUFFER and ask for one byte at least."""
    if res == Result.SHORT_BUFFER and size > 0:
        return
    if res in (Result.SUCCESS, Result.SHORT_BUFFER):
        emsg("%s: an empty buffer gave %#x and size %d" % (what, res, size))
        res = Result.GENERIC
    raise error(res)


def current_line(enumerator: Any) -> bytes:
    """``<name>=<value>\n`` of the enumerator's current property, from
    TEE_GetPropertyName and TEE_GetPropertyAsString, each asked for its size
    first (with a one-byte buffer of size 0: OP-TEE's older libutee panics
    on NULL)."""
    probe = ffi.new("char[1]")
    size = ffi.new("size_t *", 0)
    res = lib.TEE_GetPropertyName(enumerator, probe, size)
    size_answer(res, size[0], "TEE_GetPropertyName")
    name = ffi.new("char[]", size[0])
    checked(lib.TEE_GetPropertyName(enumerator, name, size))
    size[0] = 0
    res = lib.TEE_GetPropertyAsString(enumerator, ffi.NULL, probe, size)
    size_answer(res, size[0], "TEE_GetPropertyAsString")
    value = ffi.new("char[]", size[0])
    checked(lib.TEE_GetPropertyAsString(enumerator, ffi.NULL, value, size))
    return bytes(ffi.string(name) + b"=" + ffi.string(value) + b"\n")


def cmd_property_enumerate(
    session: TestSession, which: Value, out: Memref, names: Value, first: Memref
) -> None:
    propset = ffi.cast("TEE_PropSetHandle", int(propset_of(which)))
    cell = ffi.new("TEE_PropSetHandle *")
    checked(lib.TEE_AllocatePropertyEnumerator(cell))
    enumerator = cell[0]
    probe = ffi.new("char[1]")
    size = ffi.new("size_t *", 0)
    try:
        names.a = lib.TEE_GetPropertyName(enumerator, probe, size)

        lines = []
        lib.TEE_StartPropertyEnumerator(enumerator, propset)
        res = Result.SUCCESS
        while res == Result.SUCCESS:
            lines.append(current_line(enumerator))
            res = lib.TEE_GetNextProperty(enumerator)
        if res != Result.ITEM_NOT_FOUND:
            raise error(res)

        # reset a started enumerator: it is as if just allocated
        lib.TEE_StartPropertyEnumerator(enumerator, propset)
        lib.TEE_ResetPropertyEnumerator(enumerator)
        size[0] = 0
        names.b = lib.TEE_GetPropertyName(enumerator, probe, size)

        lib.TEE_StartPropertyEnumerator(enumerator, propset)
        size[0] = first.size
        res = lib.TEE_GetPropertyName(enumerator, ffi.from_buffer(first.buffer), size)
        if res not in (Result.SUCCESS, Result.SHORT_BUFFER):
            raise error(res)
        first.size = size[0]
        # Both sizes go back before a short buffer is answered.
        text = b"".join(lines)
        if len(text) <= len(out.buffer):
            out.buffer[: len(text)] = text
        else:
            res = Result.SHORT_BUFFER
        out.size = len(text)
        checked(res)
    finally:
        lib.TEE_FreePropertyEnumerator(enumerator)


def object_info(obj: Any) -> bytes:
    """TEE_GetObjectInfo as seven little-endian words.  A transient object
    has no data stream: dataSize and dataPosition are 0 and fit a word."""
    info = ffi.new("TEE_ObjectInfo *")
    lib.TEE_GetObjectInfo(obj, info)
    return GP11_RECORD.pack(
        info.objectType,
        info.objectSize,
        info.maxObjectSize,
        info.objectUsage,
        info.dataSize,
        info.dataPosition,
        info.handleFlags,
    )


def cmd_object_gp11(
    session: TestSession, key: Memref, usages: Value, infos: Memref, secret: Memref
) -> None:
    """The deprecated GP 1.1 object functions, by their C names: the
    Pythonic objects use the GP 1.3 ones."""
    if key.size not in (16, 24, 32):
        raise error(Result.BAD_PARAMETERS)
    if infos.size < TA_TEST_GP11_INFO_SIZE:
        infos.size = TA_TEST_GP11_INFO_SIZE
        raise error(Result.SHORT_BUFFER)
    src = ffi.new("TEE_ObjectHandle *")
    dst = ffi.new("TEE_ObjectHandle *")
    try:
        checked(lib.TEE_AllocateTransientObject(lib.TEE_TYPE_AES, 256, src))
        records = [object_info(src[0])]

        key_bytes = ffi.from_buffer(key.buffer)
        attr = ffi.new("TEE_Attribute *")
        lib.TEE_InitRefAttribute(attr, lib.TEE_ATTR_SECRET_VALUE, key_bytes, key.size)
        checked(lib.TEE_PopulateTransientObject(src[0], attr, 1))
        records.append(object_info(src[0]))

        lib.TEE_RestrictObjectUsage(src[0], usages.a)
        lib.TEE_RestrictObjectUsage(src[0], usages.b)
        records.append(object_info(src[0]))

        checked(lib.TEE_AllocateTransientObject(lib.TEE_TYPE_AES, 256, dst))
        lib.TEE_CopyObjectAttributes(dst[0], src[0])
        records.append(object_info(dst[0]))
        infos.write(b"".join(records))

        # Panics, as GP says, when the usage left lacks TEE_USAGE_EXTRACTABLE.
        size = ffi.new("size_t *", secret.size)
        res = lib.TEE_GetObjectBufferAttribute(
            dst[0], lib.TEE_ATTR_SECRET_VALUE, ffi.from_buffer(secret.buffer), size
        )
        if res in (Result.SUCCESS, Result.SHORT_BUFFER):
            secret.size = size[0]
        checked(res)
    finally:
        lib.TEE_FreeTransientObject(dst[0])
        lib.TEE_FreeTransientObject(src[0])


def cmd_check_access(
    session: TestSession, request: Value, client: Memref, result: Value
) -> None:
    heap = lib.TEE_Malloc(64, lib.TEE_MALLOC_FILL_ZERO)
    if heap == ffi.NULL:
        raise error(Result.OUT_OF_MEMORY)
    try:
        memory = {
            TA_TEST_MEM_PARAM: (ffi.from_buffer(client.buffer), client.size),
            TA_TEST_MEM_HEAP: (heap, 64),
            TA_TEST_MEM_RODATA: (ffi.from_buffer(test_rodata), len(test_rodata)),
            TA_TEST_MEM_NULL: (ffi.NULL, 16),
            TA_TEST_MEM_EMPTY: (heap, 0),
        }
        if request.b not in memory:
            raise error(Result.BAD_PARAMETERS)
        buffer, size = memory[request.b]
        result.a = lib.TEE_CheckMemoryAccessRights(request.a, buffer, size)
    finally:
        lib.TEE_Free(heap)


# ------------------------------------------------------------- declaration

Handler = Callable[..., None]

# The commands, their parameter types (missing ones NONE) and handlers.
COMMANDS: list[tuple[int, tuple[ParamType, ...], Handler]] = [
    (TA_TEST_CMD_NULL, (), cmd_null),
    (TA_TEST_CMD_VALUE_ADD, (VIN, VOUT), cmd_value_add),
    (TA_TEST_CMD_VALUE_INC, (VIO,), cmd_value_inc),
    (TA_TEST_CMD_MEMREF_SUM, (MIN, VOUT), cmd_memref_sum),
    (TA_TEST_CMD_MEMREF_FILL, (VIN, MOUT), cmd_memref_fill),
    (TA_TEST_CMD_MEMREF_REVERSE, (MIO,), cmd_memref_reverse),
    (TA_TEST_CMD_SHORT_BUFFER, (VIN, MOUT), cmd_short_buffer),
    (TA_TEST_CMD_ALL_TYPES, (VIO, MIN, MOUT, MIO), cmd_all_types),
    (TA_TEST_CMD_PANIC, (VIN,), cmd_panic),
    (TA_TEST_CMD_SEGFAULT, (), cmd_segfault),
    (TA_TEST_CMD_ABORT, (), cmd_abort),
    (TA_TEST_CMD_STACK_OVERFLOW, (), cmd_stack_overflow),
    (TA_TEST_CMD_HEAP_EXHAUST, (VOUT,), cmd_heap_exhaust),
    (TA_TEST_CMD_WAIT, (VIN, VOUT), cmd_wait),
    (TA_TEST_CMD_CLIENT_IDENTITY, (VOUT, MOUT), cmd_client_identity),
    (TA_TEST_CMD_GET_PROPERTY, (VIN, MIN, MOUT), cmd_get_property),
    (TA_TEST_CMD_COUNTER, (VOUT,), cmd_counter),
    (TA_TEST_CMD_LOG, (MIN,), cmd_log),
    (TA_TEST_CMD_INSTANCE_DATA, (VIO,), cmd_instance_data),
    (TA_TEST_CMD_MALLOC_REALLOC, (VOUT,), cmd_malloc_realloc),
    (TA_TEST_CMD_SESSION_INFO, (VOUT,), cmd_session_info),
    (TA_TEST_CMD_TOUCH, (MIO,), cmd_touch),
    (TA_TEST_CMD_CALL_TA, (MIN, VIO, MIO, VOUT), cmd_call_ta),
    (TA_TEST_CMD_PROPERTY_TYPED, (VIN, MIN, MOUT), cmd_property_typed),
    (TA_TEST_CMD_PROPERTY_ENUMERATE, (VIN, MOUT, VOUT, MOUT), cmd_property_enumerate),
    (TA_TEST_CMD_OBJECT_GP11, (MIN, VIN, MOUT, MOUT), cmd_object_gp11),
    (TA_TEST_CMD_CHECK_ACCESS, (VIN, MIO, VOUT), cmd_check_access),
]


def count_invoke(session: TestSession, command_id: int, types: int) -> None:
    """Every invoke of the session, refused ones too (SESSION_INFO), as the C
    TA counts them in TA_InvokeCommandEntryPoint."""
    session.invokes += 1


def build(uuid: str, **header: Any) -> TrustedApplication:
    """A TA with the test TA's entry points and commands.

    ``header`` is what user_ta_header_defines.h says of a C build besides the
    sizes: ``flags``, ``description``, ``version``, ``properties``."""
    ta = TrustedApplication(
        uuid, data_size=TA_TEST_DATA_SIZE, stack_size=TA_TEST_STACK_SIZE, **header
    )
    ta.create(create_entry_point)
    ta.destroy(destroy_entry_point)
    ta.open_session(any_types=True)(open_session_entry_point)
    ta.close_session(close_session_entry_point)
    ta.every_command(count_invoke)
    for command, types, handler in COMMANDS:
        ta.command(command, *types)(handler)
    return ta


ta = build(
    TA_UUID,
    flags=0,
    version=TA_TEST_VERSION,
    description="pytee test TA (one instance per session)",
)
