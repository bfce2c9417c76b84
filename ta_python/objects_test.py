"""A Python TA that exercises what only a TA host can run: trusted storage,
properties, the TA persistent time and the Internal Client API, through the
Pythonic layer of pytee.internal.  tests/test_internal_storage_ta.py drives it.

Answers that hold more than two integers are JSON in a MEMREF_OUTPUT; bytes
travel there as hex.  A TeeError raised by the classes reaches the client
with its code, as any TA result does.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from pytee.errors import ShortBuffer, TeeError
from pytee.internal import U64, Memref, TrustedApplication, Value, raw
from pytee.internal import ParamType as T
from pytee.internal.objects import ObjectEnumerator, PersistentObject, TransientObject
from pytee.internal.operation import Operation
from pytee.internal.properties import (
    PropSet,
    client_identity,
    get_binary,
    get_bool,
    get_string,
    get_u32,
    get_u64,
    get_uuid,
    properties,
)
from pytee.internal.ta_client import (
    MemrefInOut,
    MemrefOut,
    TASession,
    ValueIn,
    ValueOut,
)
from pytee.internal.time import Time, set_ta_persistent_time, ta_persistent_time

TA_UUID = "026818a8-43f9-4ada-ba3d-ec87ce4d2a32"

CMD_STORE = 0
CMD_LOAD = 1
CMD_DELETE = 2
CMD_RENAME = 3
CMD_LIST = 4
CMD_STREAM = 5
CMD_KEY_STORE = 6
CMD_KEY_ENCRYPT = 7
CMD_PROPERTIES = 8
CMD_CALL_TA = 9
CMD_CALL_TA_FAIL = 10
CMD_TIME = 11
CMD_HOLD = 12
CMD_READ_HELD = 13

# The C test TA's commands (tests/test_ta_ids.py) that CMD_CALL_TA uses.
PEER_VALUE_ADD = 1
PEER_MEMREF_REVERSE = 5
PEER_SHORT_BUFFER = 6
PEER_CLIENT_IDENTITY = 14

PROPERTIES: dict[str, object] = {
    "org.pytee.objects_test.answer": 42,
    "org.pytee.objects_test.big": U64(2**40 + 3),
    "org.pytee.objects_test.name": "objects",
    "org.pytee.objects_test.blob": b"\x00\x01\xfe\xffpytee",
    # longer than the first guess of the getters: they must grow their buffer
    "org.pytee.objects_test.long": "x" * 300,
    "org.pytee.objects_test." + "n" * 150: b"\xab" * 200,
}

_, tee, _ = raw.load()

READ_WRITE = tee.TEE_DATA_FLAG_ACCESS_READ | tee.TEE_DATA_FLAG_ACCESS_WRITE
ALL_ACCESS = READ_WRITE | tee.TEE_DATA_FLAG_ACCESS_WRITE_META

ta = TrustedApplication(
    TA_UUID,
    data_size=256 * 1024,
    description="pytee.internal objects, storage, properties and TA calls",
    properties=PROPERTIES,
)


def _answer(out: Memref, value: Any) -> None:
    out.write(json.dumps(value, sort_keys=True).encode())


@ta.open_session()
def open_session() -> dict[str, PersistentObject]:
    """The session keeps the handles of CMD_HOLD."""
    return {}


@ta.command(CMD_STORE, T.MEMREF_INPUT, T.MEMREF_INPUT, T.VALUE_INPUT)
def store(session: object, object_id: Memref, data: Memref, extra: Value) -> None:
    """Create a data object; extra.a adds TEE_DATA_FLAG_* (OVERWRITE)."""
    flags = READ_WRITE | extra.a
    with PersistentObject.create(bytes(object_id), flags, data=bytes(data)):
        pass


@ta.command(CMD_LOAD, T.MEMREF_INPUT, T.MEMREF_OUTPUT, T.VALUE_OUTPUT)
def load(session: object, object_id: Memref, out: Memref, info: Value) -> None:
    """The whole data stream of an object, its data size and its type."""
    flags = tee.TEE_DATA_FLAG_ACCESS_READ | tee.TEE_DATA_FLAG_SHARE_READ
    with PersistentObject.open(bytes(object_id), flags) as stored:
        details = stored.info
        out.write(stored.read())
        info.a = details.data_size
        info.b = details.object_type


@ta.command(CMD_DELETE, T.MEMREF_INPUT)
def delete(session: object, object_id: Memref) -> None:
    PersistentObject.open(bytes(object_id), ALL_ACCESS).close_and_delete()


@ta.command(CMD_RENAME, T.MEMREF_INPUT, T.MEMREF_INPUT)
def rename(session: object, object_id: Memref, new_id: Memref) -> None:
    with PersistentObject.open(bytes(object_id), ALL_ACCESS) as stored:
        stored.rename(bytes(new_id))


@ta.command(CMD_LIST, T.VALUE_INPUT, T.MEMREF_OUTPUT)
def list_objects(session: object, storage: Value, out: Memref) -> None:
    """Every object of storage.a: id, data size, type."""
    with ObjectEnumerator() as objects:
        listed = [
            [object_id.hex(), info.data_size, info.object_type]
            for object_id, info in objects.iterate(storage.a)
        ]
    _answer(out, sorted(listed))


@ta.command(CMD_STREAM, T.MEMREF_INPUT, T.MEMREF_OUTPUT)
def stream(session: object, object_id: Memref, out: Memref) -> None:
    """Edit a new object's data stream step by step; report each step."""
    steps: dict[str, Any] = {}
    flags = ALL_ACCESS | tee.TEE_DATA_FLAG_OVERWRITE
    with PersistentObject.create(bytes(object_id), flags, data=b"0123456789") as f:
        steps["created"] = [f.info.data_size, f.info.data_position]
        steps["seek_set"] = f.seek(4)
        f.write(b"ab")
        steps["after_write"] = f.info.data_position
        steps["seek_end"] = f.seek(-2, tee.TEE_DATA_SEEK_END)
        steps["tail"] = f.read(10).hex()
        steps["seek_cur"] = f.seek(-100, tee.TEE_DATA_SEEK_CUR)  # clamps to 0
        steps["whole"] = f.read().hex()
        f.truncate(5)
        steps["truncated"] = [f.info.data_size, f.info.data_position]
        f.seek(8)
        f.write(b"Z")  # past the end: the gap reads as zeros
        f.seek(0)
        steps["final"] = f.read().hex()
        try:
            f.seek(tee.TEE_DATA_MAX_POSITION + 1)
        except TeeError as failure:
            steps["overflow"] = int(failure.code)
        try:  # this handle shares nothing
            PersistentObject.open(bytes(object_id), tee.TEE_DATA_FLAG_ACCESS_READ)
        except TeeError as failure:
            steps["second_open"] = int(failure.code)
    with PersistentObject.open(bytes(object_id), tee.TEE_DATA_FLAG_ACCESS_WRITE) as f:
        try:
            f.read(1)
        except ValueError as refused:
            steps["read_write_only"] = str(refused)
    _answer(out, steps)


@ta.command(CMD_KEY_STORE, T.MEMREF_INPUT, T.MEMREF_OUTPUT)
def key_store(session: object, object_id: Memref, out: Memref) -> None:
    """A new AES-256 key, kept as a persistent object; gives its bytes."""
    with TransientObject.allocate(tee.TEE_TYPE_AES, 256) as key:
        key.generate_key(256)
        flags = READ_WRITE | tee.TEE_DATA_FLAG_OVERWRITE
        with PersistentObject.create(bytes(object_id), flags, key, b"aes key"):
            pass
    with PersistentObject.open(bytes(object_id), tee.TEE_DATA_FLAG_ACCESS_READ) as s:
        out.write(s.get_buffer_attribute(tee.TEE_ATTR_SECRET_VALUE))


@ta.command(CMD_KEY_ENCRYPT, T.MEMREF_INPUT, T.MEMREF_INPUT, T.MEMREF_OUTPUT)
def key_encrypt(session: object, object_id: Memref, data: Memref, out: Memref) -> None:
    """AES-CBC with the stored key: data is the IV (16 bytes) and the text."""
    message = bytes(data)
    flags = tee.TEE_DATA_FLAG_ACCESS_READ
    with Operation(tee.TEE_ALG_AES_CBC_NOPAD, tee.TEE_MODE_ENCRYPT, 256) as cbc:
        with PersistentObject.open(bytes(object_id), flags) as key:
            cbc.set_key(key)  # the operation keeps its own copy
        cbc.init(message[:16])
        out.write(cbc.update(message[16:]) + cbc.final())


@ta.command(CMD_PROPERTIES, T.MEMREF_OUTPUT)
def read_properties(session: object, out: Memref) -> None:
    identity = client_identity()
    current = PropSet.CURRENT_TA
    _answer(
        out,
        {
            "ta": dict(properties(current)),
            "client": dict(properties(PropSet.CURRENT_CLIENT)),
            "app_id": str(get_uuid(current, "gpd.ta.appID")),
            "data_size": get_u32(current, "gpd.ta.dataSize"),
            "single_instance": get_bool(current, "gpd.ta.singleInstance"),
            "answer": get_u32(current, "org.pytee.objects_test.answer"),
            "big": get_u64(current, "org.pytee.objects_test.big"),
            "name": get_string(current, "org.pytee.objects_test.name"),
            "blob": get_binary(current, "org.pytee.objects_test.blob").hex(),
            "login": identity.login,
            "client_uuid": str(identity.uuid),
            "long": get_string(current, "org.pytee.objects_test.long"),
            "long_name": get_binary(
                current, "org.pytee.objects_test." + "n" * 150
            ).hex(),
        },
    )


@ta.command(CMD_CALL_TA, T.MEMREF_INPUT, T.MEMREF_OUTPUT)
def call_ta(session: object, peer: Memref, out: Memref) -> None:
    """Calls on the C test TA: values, a memref both ways, its view of us,
    and a short buffer."""
    result: dict[str, Any] = {}
    with TASession(uuid.UUID(bytes=bytes(peer))) as callee:
        (total,) = callee.invoke(PEER_VALUE_ADD, ValueIn(40, 2), ValueOut())
        result["add"] = list(total)
        (reversed_,) = callee.invoke(PEER_MEMREF_REVERSE, MemrefInOut(b"python"))
        result["reverse"] = reversed_.decode()
        login, who = callee.invoke(PEER_CLIENT_IDENTITY, ValueOut(), MemrefOut(16))
        result["login"] = login.a
        result["uuid"] = str(uuid.UUID(bytes=who))
        try:
            callee.invoke(PEER_SHORT_BUFFER, ValueIn(300), MemrefOut(10))
        except ShortBuffer as failure:
            result["short"] = [failure.required_size, int(failure.origin)]
        (filled,) = callee.invoke(PEER_SHORT_BUFFER, ValueIn(5), MemrefOut(300))
        result["filled"] = filled.hex()
    result["closed"] = callee.closed
    _answer(out, result)


@ta.command(CMD_CALL_TA_FAIL, T.MEMREF_INPUT, T.VALUE_INPUT, T.VALUE_OUTPUT)
def call_ta_fail(session: object, peer: Memref, command: Value, seen: Value) -> None:
    """Invoke a command the peer refuses; report the code and origin seen."""
    with TASession(uuid.UUID(bytes=bytes(peer))) as callee:
        try:
            callee.invoke(command.a)
        except TeeError as failure:
            seen.a = int(failure.code)
            seen.b = int(failure.origin)


@ta.command(CMD_TIME, T.VALUE_INPUT, T.MEMREF_OUTPUT)
def persistent_time(session: object, target: Value, out: Memref) -> None:
    """The TA persistent time before and after setting it to target.a s."""
    report: dict[str, Any] = {}
    try:
        report["before"] = list(ta_persistent_time())
    except TeeError as failure:
        report["before_error"] = int(failure.code)
    set_ta_persistent_time(Time(target.a, 250))
    report["after"] = list(ta_persistent_time())
    _answer(out, report)


@ta.command(CMD_HOLD, T.MEMREF_INPUT)
def hold(session: dict[str, PersistentObject], object_id: Memref) -> None:
    """Open a reader and a writer on an object and keep them in the session;
    the writer writes a version the reader has not read yet."""
    shared = READ_WRITE | tee.TEE_DATA_FLAG_SHARE_READ | tee.TEE_DATA_FLAG_SHARE_WRITE
    session["reader"] = PersistentObject.open(bytes(object_id), shared)
    session["writer"] = PersistentObject.open(bytes(object_id), shared)
    session["writer"].write(b"DATA")


@ta.command(CMD_READ_HELD, T.MEMREF_OUTPUT)
def read_held(session: dict[str, PersistentObject], out: Memref) -> None:
    """Read with the reader CMD_HOLD kept, then close both handles."""
    report: dict[str, Any] = {}
    reader = session.pop("reader")
    try:
        report["data"] = reader.read(4).hex()
    except TeeError as failure:
        report["error"] = int(failure.code)
    report["reader_closed"] = reader.closed
    reader.close()  # must not close what libtee already closed
    session.pop("writer").close()
    _answer(out, report)
