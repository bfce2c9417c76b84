"""The storage test TAs from Python: ids, constants and a thin driver.

The constants mirror ``csrc/ta/storage_test/include/storage_test_ta.h``
(``test_storage_ids_match.py`` checks both ways); :class:`StorageTA` turns
each command into a method, so that a test reads like the TA code it drives.
Every TEE result other than success is raised as the TEE's own
:class:`pytee.TeeError` (origin TA), with its code untouched.

:func:`storage_folder` and :func:`counter_file` name where the software TEE
keeps a TA's objects and its rollback counter (see ``docs/storage.md``).
"""

from __future__ import annotations

import os
import struct
from pathlib import Path
from typing import NamedTuple

from pytee import Session, TempIn, TempOut, ValueIn, ValueInOut, ValueOut

STORAGE_TEST_UUID = "6b171deb-19c1-4d63-9532-22938a4b4db0"
STORAGE_TEST2_UUID = "d5d5f822-70db-41b1-8791-ab157f7bfcef"

STORAGE_TEST_DATA_SIZE = 64 * 1024
STORAGE_TEST_STACK_SIZE = 8 * 1024
STORAGE_TEST_SLOTS = 16
STORAGE_TEST_NO_SLOT = 0xFFFFFFFF
STORAGE_TEST_CHUNK_MAX = 4096
STORAGE_TEST_KEY_LEN = 32
STORAGE_TEST_KEY_MUL = 7
STORAGE_TEST_KEY_ADD = 1

STORAGE_TEST_OPT_NO_HANDLE = 0x1
STORAGE_TEST_OPT_AES_KEY = 0x2
STORAGE_TEST_OPT_SLOT_ATTRS = 0x4

STORAGE_TEST_CMD_CREATE = 0
STORAGE_TEST_CMD_OPEN = 1
STORAGE_TEST_CMD_CLOSE = 2
STORAGE_TEST_CMD_READ = 3
STORAGE_TEST_CMD_WRITE = 4
STORAGE_TEST_CMD_SEEK = 5
STORAGE_TEST_CMD_TRUNCATE = 6
STORAGE_TEST_CMD_RENAME = 7
STORAGE_TEST_CMD_DELETE = 8
STORAGE_TEST_CMD_INFO = 9
STORAGE_TEST_INFO_LEN = 28
STORAGE_TEST_CMD_ENUM = 10
STORAGE_TEST_CMD_ENUM_EDGES = 11
STORAGE_TEST_BAD_STORAGE = 0x12345678
STORAGE_TEST_CMD_GET_KEY = 12
STORAGE_TEST_CMD_ENCRYPT = 13
STORAGE_TEST_CMD_WRITE_CHUNKS = 14

# The key of STORAGE_TEST_OPT_AES_KEY.
TEST_KEY = bytes(
    (i * STORAGE_TEST_KEY_MUL + STORAGE_TEST_KEY_ADD) & 0xFF
    for i in range(STORAGE_TEST_KEY_LEN)
)


class GP:
    """GP and OP-TEE constants used by the storage tests."""

    STORAGE_PRIVATE = 0x00000001
    STORAGE_PRIVATE_REE = 0x80000000
    STORAGE_PRIVATE_RPMB = 0x80000100

    ACCESS_READ = 0x00000001
    ACCESS_WRITE = 0x00000002
    ACCESS_WRITE_META = 0x00000004
    SHARE_READ = 0x00000010
    SHARE_WRITE = 0x00000020
    OVERWRITE = 0x00000400

    HANDLE_PERSISTENT = 0x00010000
    HANDLE_INITIALIZED = 0x00020000

    SEEK_SET = 0
    SEEK_CUR = 1
    SEEK_END = 2
    DATA_MAX_POSITION = 0xFFFFFFFF
    OBJECT_ID_MAX_LEN = 64

    TYPE_AES = 0xA0000010
    TYPE_DATA = 0xA00000BF
    USAGE_DEFAULT = 0xFFFFFFFF
    USAGE_EXTRACTABLE = 0x00000001
    USAGE_ENCRYPT = 0x00000002

    ERROR_CORRUPT_OBJECT = 0xF0100001
    ERROR_ACCESS_CONFLICT = 0xFFFF0003
    ERROR_ITEM_NOT_FOUND = 0xFFFF0008
    ERROR_OVERFLOW = 0xFFFF300F
    ERROR_STORAGE_NO_SPACE = 0xFFFF3041
    ERROR_BAD_PARAMETERS = 0xFFFF0006
    ERROR_SHORT_BUFFER = 0xFFFF0010


ALL_ACCESS = GP.ACCESS_READ | GP.ACCESS_WRITE | GP.ACCESS_WRITE_META


class Info(NamedTuple):
    """A ``TEE_ObjectInfo`` as the TA reports it."""

    object_type: int
    object_size: int
    max_object_size: int
    object_usage: int
    data_size: int
    data_position: int
    handle_flags: int


def _info(raw: bytes) -> Info:
    return Info(*struct.unpack("<7I", raw))


class Created(NamedTuple):
    slot: int  # STORAGE_TEST_NO_SLOT when no handle was kept
    attributes_flags: int  # handleFlags of the transient key afterwards


class StorageTA:
    """The commands of a storage test TA session, one method each."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def create(
        self,
        object_id: bytes,
        flags: int = ALL_ACCESS,
        data: bytes = b"",
        *,
        storage: int = GP.STORAGE_PRIVATE,
        options: int = 0,
        arg: int = 0,
    ) -> Created:
        (out,) = self.session.invoke(
            STORAGE_TEST_CMD_CREATE,
            ValueIn(storage, flags),
            TempIn(object_id),
            TempIn(data or None),
            ValueInOut(options, arg),
        )
        return Created(out.a, out.b)

    def create_slot(
        self, object_id: bytes, flags: int = ALL_ACCESS, data: bytes = b"", **kw: int
    ) -> int:
        """Create and return the new handle's slot."""
        return self.create(object_id, flags, data, **kw).slot

    def open(
        self,
        object_id: bytes,
        flags: int = ALL_ACCESS,
        storage: int = GP.STORAGE_PRIVATE,
    ) -> int:
        (out,) = self.session.invoke(
            STORAGE_TEST_CMD_OPEN,
            ValueIn(storage, flags),
            TempIn(object_id),
            ValueOut(),
        )
        return int(out.a)

    def close(self, slot: int) -> None:
        self.session.invoke(STORAGE_TEST_CMD_CLOSE, ValueIn(slot, 0))

    def read(self, slot: int, size: int) -> bytes:
        (out,) = self.session.invoke(
            STORAGE_TEST_CMD_READ, ValueIn(slot, 0), TempOut(size)
        )
        return bytes(out)

    def write(self, slot: int, data: bytes) -> None:
        self.session.invoke(
            STORAGE_TEST_CMD_WRITE, ValueIn(slot, 0), TempIn(data or None)
        )

    def seek(self, slot: int, offset: int, whence: int = GP.SEEK_SET) -> None:
        bits = offset & 0xFFFFFFFFFFFFFFFF
        self.session.invoke(
            STORAGE_TEST_CMD_SEEK,
            ValueIn(slot, whence),
            ValueIn(bits & 0xFFFFFFFF, bits >> 32),
        )

    def truncate(self, slot: int, size: int) -> None:
        self.session.invoke(STORAGE_TEST_CMD_TRUNCATE, ValueIn(slot, size))

    def rename(self, slot: int, new_id: bytes) -> None:
        self.session.invoke(
            STORAGE_TEST_CMD_RENAME, ValueIn(slot, 0), TempIn(new_id or None)
        )

    def delete(self, slot: int, deprecated: bool = False) -> None:
        self.session.invoke(STORAGE_TEST_CMD_DELETE, ValueIn(slot, int(deprecated)))

    def info(self, slot: int) -> Info:
        (out,) = self.session.invoke(
            STORAGE_TEST_CMD_INFO, ValueIn(slot, 0), TempOut(STORAGE_TEST_INFO_LEN)
        )
        return _info(bytes(out))

    def enum(self, storage: int = GP.STORAGE_PRIVATE) -> tuple[dict[bytes, Info], int]:
        """``{id: info}`` of every object found, and the CORRUPT results met."""
        raw, counts = self.session.invoke(
            STORAGE_TEST_CMD_ENUM, ValueIn(storage, 0), TempOut(32 * 1024), ValueOut()
        )
        raw = bytes(raw)
        found: dict[bytes, Info] = {}
        pos = 0
        while pos < len(raw):
            (id_len,) = struct.unpack_from("<I", raw, pos)
            object_id = raw[pos + 4 : pos + 4 + id_len]
            pos += 4 + id_len
            found[object_id] = _info(raw[pos : pos + STORAGE_TEST_INFO_LEN])
            pos += STORAGE_TEST_INFO_LEN
        assert len(found) == counts.a
        return found, int(counts.b)

    def enum_edges(self) -> tuple[int, int, int, int]:
        first, second = self.session.invoke(
            STORAGE_TEST_CMD_ENUM_EDGES, ValueOut(), ValueOut()
        )
        return int(first.a), int(first.b), int(second.a), int(second.b)

    def get_key(self, slot: int) -> bytes:
        (out,) = self.session.invoke(
            STORAGE_TEST_CMD_GET_KEY, ValueIn(slot, 0), TempOut(64)
        )
        return bytes(out)

    def encrypt(self, slot: int, plaintext: bytes) -> bytes:
        (out,) = self.session.invoke(
            STORAGE_TEST_CMD_ENCRYPT,
            ValueIn(slot, 0),
            TempIn(plaintext),
            TempOut(len(plaintext)),
        )
        return bytes(out)

    def write_chunks(self, slot: int, count: int, size: int, seed: int = 0) -> None:
        self.session.invoke(
            STORAGE_TEST_CMD_WRITE_CHUNKS, ValueIn(slot, count), ValueIn(size, seed)
        )


def chunk_pattern(count: int, size: int, seed: int = 0) -> bytes:
    """What ``write_chunks(count, size, seed)`` writes."""
    return b"".join(bytes([(seed + i) & 0xFF]) * size for i in range(count))


def data_dir() -> Path:
    return Path(os.environ["PYTEE_DATA_DIR"])


def storage_folder(uuid: str) -> Path:
    """``<data>/storage/<uuid>``: the TA's manifest and object files."""
    return data_dir() / "storage" / uuid


def counter_file(uuid: str) -> Path:
    """``<data>/rpmb/<uuid>.ctr``: the TA's rollback counter, kept apart."""
    return data_dir() / "rpmb" / ("%s.ctr" % uuid)


def object_files(uuid: str) -> list[Path]:
    """The TA's object files ("<32 hex>-<16 hex>"), sorted by name (none
    before the TA first uses its storage)."""
    folder = storage_folder(uuid)
    if not folder.exists():
        return []
    return sorted(
        p for p in folder.iterdir() if len(p.name) == 49 and p.name[32] == "-"
    )
