"""pytee.internal where only a TA host runs it: trusted storage, properties,
the TA persistent time and the Internal Client API, driven through the
Python TA ta_python/objects_test.py (see that file for each command).

Object ids are unique to their test: the storage of a TA lives as long as
the suite's data folder.
"""

from __future__ import annotations

import itertools
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from pytee import Context, Session, TempIn, TempOut, ValueIn, ValueOut
from pytee.constants import Login, Origin, Result
from pytee.errors import AccessConflict, ItemNotFound, TeeError

pytestmark = pytest.mark.software_tee

OBJECTS_TEST_UUID = "026818a8-43f9-4ada-ba3d-ec87ce4d2a32"
TA_TEST_UUID = "25454e49-108c-41c6-b5de-a3727df251e3"  # the C test TA

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

TEE_TYPE_DATA = 0xA00000BF
TEE_TYPE_AES = 0xA0000010
TEE_DATA_FLAG_OVERWRITE = 0x00000400
TEE_LOGIN_TRUSTED_APP = 0xF0000000
TEE_STORAGE_PRIVATE = 0x00000001
TEE_STORAGE_PRIVATE_RPMB = 0x80000100
TEE_ERROR_CORRUPT_OBJECT = 0xF0100001

_serial = itertools.count()


def data_dir() -> Path:
    return Path(os.environ["PYTEE_DATA_DIR"])


@pytest.fixture
def ta(context: Context) -> Iterator[Session]:
    with context.open_session(OBJECTS_TEST_UUID) as session:
        yield session


@pytest.fixture
def oid(request: pytest.FixtureRequest) -> bytes:
    """An object id no other test uses."""
    return ("%s#%d" % (request.node.name, next(_serial))).encode()[-64:]


def store(ta: Session, object_id: bytes, data: bytes, flags: int = 0) -> None:
    ta.invoke(CMD_STORE, TempIn(object_id), TempIn(data), ValueIn(flags))


def load(ta: Session, object_id: bytes) -> tuple[bytes, int, int]:
    data, info = ta.invoke(CMD_LOAD, TempIn(object_id), TempOut(4096), ValueOut())
    return bytes(data), info.a, info.b


def answer(ta: Session, command: int, *params: Any) -> Any:
    (out,) = ta.invoke(command, *params, TempOut(16384))
    return json.loads(bytes(out))


# ---- persistent objects and data streams ------------------------------------


def test_a_stored_object_reads_back_as_a_data_object(ta: Session, oid: bytes) -> None:
    store(ta, oid, b"hello storage")
    assert load(ta, oid) == (b"hello storage", 13, TEE_TYPE_DATA)


def test_creating_an_existing_object_needs_overwrite(ta: Session, oid: bytes) -> None:
    store(ta, oid, b"first")
    with pytest.raises(AccessConflict) as raised:
        store(ta, oid, b"second")
    assert raised.value.origin == Origin.TRUSTED_APP
    assert load(ta, oid)[0] == b"first"
    store(ta, oid, b"second", TEE_DATA_FLAG_OVERWRITE)
    assert load(ta, oid)[0] == b"second"


def test_opening_a_missing_object_is_item_not_found(ta: Session, oid: bytes) -> None:
    with pytest.raises(ItemNotFound):
        load(ta, oid)


def test_close_and_delete_removes_the_object(ta: Session, oid: bytes) -> None:
    store(ta, oid, b"doomed")
    ta.invoke(CMD_DELETE, TempIn(oid))
    with pytest.raises(ItemNotFound):
        load(ta, oid)


def test_rename_moves_the_object_and_refuses_a_taken_id(
    ta: Session, oid: bytes
) -> None:
    new_id, taken = oid[:-8] + b"-renamed", oid[:-8] + b"-taken"
    store(ta, oid, b"moving")
    store(ta, taken, b"in the way")
    ta.invoke(CMD_RENAME, TempIn(oid), TempIn(new_id))
    assert load(ta, new_id)[0] == b"moving"
    with pytest.raises(ItemNotFound):
        load(ta, oid)
    with pytest.raises(AccessConflict):
        ta.invoke(CMD_RENAME, TempIn(new_id), TempIn(taken))
    assert load(ta, taken)[0] == b"in the way"


def test_the_enumerator_lists_every_object_with_its_info(
    ta: Session, oid: bytes
) -> None:
    ids = [oid[:-4] + b"/%d" % n for n in range(3)]
    for n, object_id in enumerate(ids):
        store(ta, object_id, b"x" * n)
    private = ValueIn(TEE_STORAGE_PRIVATE)
    listed = {
        bytes.fromhex(item[0]): item[1:] for item in answer(ta, CMD_LIST, private)
    }
    for n, object_id in enumerate(ids):
        assert listed[object_id] == [n, TEE_TYPE_DATA]
    ta.invoke(CMD_DELETE, TempIn(ids[1]))
    remaining = {bytes.fromhex(item[0]) for item in answer(ta, CMD_LIST, private)}
    assert ids[0] in remaining and ids[2] in remaining
    assert ids[1] not in remaining


def test_an_empty_or_unknown_storage_enumerates_nothing(ta: Session) -> None:
    assert answer(ta, CMD_LIST, ValueIn(TEE_STORAGE_PRIVATE_RPMB)) == []
    assert answer(ta, CMD_LIST, ValueIn(0x12345678)) == []


def test_a_data_stream_seeks_writes_reads_and_truncates(
    ta: Session, oid: bytes
) -> None:
    steps = answer(ta, CMD_STREAM, TempIn(oid))
    assert steps == {
        "created": [10, 0],
        "seek_set": 4,
        "after_write": 6,
        "seek_end": 8,
        "tail": b"89".hex(),
        "seek_cur": 0,  # a negative position becomes 0
        "whole": b"0123ab6789".hex(),
        "truncated": [5, 10],  # truncate keeps the position
        "final": b"0123a\0\0\0Z".hex(),
        "overflow": Result.OVERFLOW,
        "second_open": Result.ACCESS_CONFLICT,
        "read_write_only": "the object was not opened with TEE_DATA_FLAG_ACCESS_READ",
    }


def test_a_key_kept_in_storage_encrypts_like_aes_cbc(ta: Session, oid: bytes) -> None:
    (key,) = ta.invoke(CMD_KEY_STORE, TempIn(oid), TempOut(64))
    assert len(key) == 32
    assert load(ta, oid) == (b"aes key", 7, TEE_TYPE_AES)
    iv, text = bytes(range(16)), b"sixteen byte msg" * 3
    (sealed,) = ta.invoke(CMD_KEY_ENCRYPT, TempIn(oid), TempIn(iv + text), TempOut(64))
    encryptor = Cipher(algorithms.AES(bytes(key)), modes.CBC(iv)).encryptor()
    assert bytes(sealed) == encryptor.update(text) + encryptor.finalize()


# ---- properties --------------------------------------------------------------


def test_the_ta_reads_its_own_and_its_clients_properties(ta: Session) -> None:
    seen = answer(ta, CMD_PROPERTIES)
    assert seen["app_id"] == OBJECTS_TEST_UUID
    assert seen["ta"]["gpd.ta.appID"] == OBJECTS_TEST_UUID
    assert seen["data_size"] == 256 * 1024
    assert seen["ta"]["gpd.ta.dataSize"] == str(256 * 1024)
    assert seen["single_instance"] is False
    assert seen["answer"] == 42
    assert seen["big"] == 2**40 + 3
    assert seen["ta"]["org.pytee.objects_test.big"] == str(2**40 + 3)
    assert seen["name"] == "objects"
    assert bytes.fromhex(seen["blob"]) == b"\x00\x01\xfe\xffpytee"
    assert seen["login"] == Login.PUBLIC
    assert seen["client"]["gpd.client.identity"] == "%d:%s" % (
        seen["login"],
        seen["client_uuid"],
    )
    # values and names longer than the getters' first guess
    assert seen["long"] == "x" * 300
    assert seen["ta"]["org.pytee.objects_test.long"] == "x" * 300
    assert seen["long_name"] == "ab" * 200
    assert "org.pytee.objects_test." + "n" * 150 in seen["ta"]


# ---- Internal Client API -----------------------------------------------------


def test_a_python_ta_calls_another_ta(ta: Session) -> None:
    peer = uuid.UUID(TA_TEST_UUID).bytes
    result = answer(ta, CMD_CALL_TA, TempIn(peer))
    assert result == {
        "add": [42, 40 ^ 2],
        "reverse": "nohtyp",
        "login": TEE_LOGIN_TRUSTED_APP,  # the callee sees a TA as its client
        "uuid": OBJECTS_TEST_UUID,
        "short": [300, Origin.TRUSTED_APP],
        "filled": bytes(range(5)).hex(),
        "closed": True,
    }


def test_a_callee_error_keeps_its_code_and_origin(ta: Session) -> None:
    peer = uuid.UUID(TA_TEST_UUID).bytes
    (seen,) = ta.invoke(CMD_CALL_TA_FAIL, TempIn(peer), ValueIn(0xDEAD), ValueOut())
    assert (seen.a, seen.b) == (Result.NOT_SUPPORTED, Origin.TRUSTED_APP)


# ---- time ----------------------------------------------------------------


def test_the_ta_persistent_time_is_unset_then_follows_what_was_set(
    ta: Session,
) -> None:
    # The suite's data folder is fresh: nothing set this TA's time before.
    first = answer(ta, CMD_TIME, ValueIn(1_000_000))
    assert first["before_error"] == Result.TIME_NOT_SET
    assert first["after"][0] in (1_000_000, 1_000_001)
    second = answer(ta, CMD_TIME, ValueIn(5))
    assert 1_000_000 <= second["before"][0] <= 1_000_010
    assert second["after"][0] in (5, 6)


def test_a_handle_libtee_closes_on_a_corrupt_object_is_forgotten(
    ta: Session, oid: bytes
) -> None:
    folder = data_dir() / "storage" / OBJECTS_TEST_UUID
    before = set(folder.iterdir()) if folder.exists() else set()
    store(ta, oid, b"data")
    (created,) = [p for p in set(folder.iterdir()) - before if len(p.name) == 49]
    ta.invoke(CMD_HOLD, TempIn(oid))
    # "<tag>-<slot>": the writer's version went to the object's other slot
    for path in folder.glob(created.name[:32] + "-*"):
        blob = bytearray(path.read_bytes())
        blob[60] ^= 0x10  # inside the sealed content
        path.write_bytes(bytes(blob))
    # The TA closes its handles after the failed read: a second close of the
    # handle libtee closed would panic the TA.
    assert answer(ta, CMD_READ_HELD) == {
        "error": TEE_ERROR_CORRUPT_OBJECT,
        "reader_closed": True,
    }
    with pytest.raises(TeeError) as raised:
        load(ta, oid)
    assert raised.value.code in (Result.ITEM_NOT_FOUND, TEE_ERROR_CORRUPT_OBJECT)
    ta.invoke(CMD_LIST, ValueIn(TEE_STORAGE_PRIVATE), TempOut(16384))  # alive
