"""libtee: trusted storage, GP 5.7-5.9 (persistent objects, enumerators,
data streams) as OP-TEE behaves, driven through the storage test TA.

Every object id is unique to its test (the storage of a TA lives as long
as the suite's data folder), so tests do not see each other's objects.
Security properties (tampering, rollback, isolation, kill -9) are in
test_storage_security.py.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

import pytest
import storage_ta as st
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from storage_ta import ALL_ACCESS, GP, StorageTA

from pytee import Context
from pytee.errors import (
    AccessConflict,
    BadParameters,
    ItemNotFound,
    Overflow,
    TargetDead,
)

pytestmark = pytest.mark.software_tee

NO_HANDLE = st.STORAGE_TEST_OPT_NO_HANDLE
SHARED = GP.SHARE_READ | GP.SHARE_WRITE
RW_SHARED = GP.ACCESS_READ | GP.ACCESS_WRITE | SHARED

_serial = itertools.count()


@pytest.fixture
def ta(context: Context) -> Iterator[StorageTA]:
    with context.open_session(st.STORAGE_TEST_UUID) as session:
        yield StorageTA(session)


@pytest.fixture
def oid(request: pytest.FixtureRequest) -> bytes:
    """An object id no other test uses."""
    return ("%s#%d" % (request.node.name, next(_serial))).encode()[-64:]


# ---- create and open --------------------------------------------------------


def test_create_then_open_gives_the_initial_data(ta: StorageTA, oid: bytes) -> None:
    ta.close(ta.create_slot(oid, data=b"initial data"))
    slot = ta.open(oid, GP.ACCESS_READ)
    assert ta.read(slot, 100) == b"initial data"


def test_a_data_object_has_op_tees_info(ta: StorageTA, oid: bytes) -> None:
    flags = GP.ACCESS_READ | GP.ACCESS_WRITE | GP.SHARE_READ
    slot = ta.create_slot(oid, flags, b"12345")
    assert ta.info(slot) == st.Info(
        object_type=GP.TYPE_DATA,
        object_size=0,
        max_object_size=0,
        object_usage=GP.USAGE_DEFAULT,
        data_size=5,
        data_position=0,
        handle_flags=GP.HANDLE_PERSISTENT | GP.HANDLE_INITIALIZED | flags,
    )
    ta.close(slot)
    slot = ta.open(oid, GP.ACCESS_READ)
    info = ta.info(slot)
    assert (
        info.handle_flags
        == GP.HANDLE_PERSISTENT | GP.HANDLE_INITIALIZED | GP.ACCESS_READ
    )
    assert info.data_size == 5


def test_open_of_a_missing_object_is_item_not_found(ta: StorageTA, oid: bytes) -> None:
    with pytest.raises(ItemNotFound):
        ta.open(oid)


def test_create_of_an_existing_object_conflicts(ta: StorageTA, oid: bytes) -> None:
    ta.close(ta.create_slot(oid, data=b"first"))
    with pytest.raises(AccessConflict):
        ta.create(oid, data=b"second")
    slot = ta.open(oid, GP.ACCESS_READ)
    assert ta.read(slot, 100) == b"first"


def test_overwrite_replaces_an_existing_object(ta: StorageTA, oid: bytes) -> None:
    ta.close(ta.create_slot(oid, data=b"first version"))
    slot = ta.create_slot(oid, ALL_ACCESS | GP.OVERWRITE, b"second")
    assert ta.info(slot).handle_flags & GP.OVERWRITE
    ta.close(slot)
    slot = ta.open(oid, GP.ACCESS_READ)
    assert ta.read(slot, 100) == b"second"


def test_overwrite_of_an_object_open_with_other_sharing_conflicts(
    ta: StorageTA, oid: bytes
) -> None:
    ta.create_slot(oid, GP.ACCESS_READ)
    with pytest.raises(AccessConflict):
        ta.create(oid, GP.ACCESS_READ | GP.OVERWRITE)


def test_overwrite_of_an_object_open_with_the_same_sharing_is_seen_by_it(
    ta: StorageTA, oid: bytes
) -> None:
    reader = ta.create_slot(oid, GP.ACCESS_READ | SHARED, b"old")
    ta.create(oid, GP.ACCESS_READ | SHARED | GP.OVERWRITE, b"new", options=NO_HANDLE)
    assert ta.read(reader, 10) == b"new"


def test_create_without_a_handle_stores_the_object(ta: StorageTA, oid: bytes) -> None:
    created = ta.create(oid, data=b"kept", options=st.STORAGE_TEST_OPT_NO_HANDLE)
    assert created == st.Created(st.STORAGE_TEST_NO_SLOT, 0)
    assert ta.read(ta.open(oid, GP.ACCESS_READ), 10) == b"kept"


def test_create_with_null_initial_data_is_empty(ta: StorageTA, oid: bytes) -> None:
    slot = ta.create_slot(oid)
    assert ta.info(slot).data_size == 0
    assert ta.read(slot, 10) == b""


def test_objects_outlive_the_instance_that_made_them(
    context: Context, oid: bytes
) -> None:
    with context.open_session(st.STORAGE_TEST_UUID) as session:
        StorageTA(session).create(oid, data=b"durable", options=NO_HANDLE)
    with context.open_session(st.STORAGE_TEST_UUID) as session:
        other = StorageTA(session)
        assert other.read(other.open(oid, GP.ACCESS_READ), 100) == b"durable"


# ---- storage ids and object ids ---------------------------------------------


@pytest.mark.parametrize("storage", [GP.STORAGE_PRIVATE, GP.STORAGE_PRIVATE_REE])
def test_private_and_ree_are_one_storage(
    ta: StorageTA, oid: bytes, storage: int
) -> None:
    ta.create(oid, data=b"ree", options=NO_HANDLE, storage=GP.STORAGE_PRIVATE_REE)
    assert ta.read(ta.open(oid, GP.ACCESS_READ, storage), 10) == b"ree"


def test_rpmb_is_a_storage_of_its_own(ta: StorageTA, oid: bytes) -> None:
    ta.create(oid, data=b"rpmb", options=NO_HANDLE, storage=GP.STORAGE_PRIVATE_RPMB)
    with pytest.raises(ItemNotFound):
        ta.open(oid, GP.ACCESS_READ, GP.STORAGE_PRIVATE)
    ta.create(oid, data=b"ree", options=NO_HANDLE, storage=GP.STORAGE_PRIVATE)
    assert ta.read(ta.open(oid, GP.ACCESS_READ, GP.STORAGE_PRIVATE_RPMB), 9) == b"rpmb"
    assert ta.read(ta.open(oid, GP.ACCESS_READ, GP.STORAGE_PRIVATE), 9) == b"ree"


def test_an_unknown_storage_id_is_item_not_found(ta: StorageTA, oid: bytes) -> None:
    # OP-TEE's tee_svc_storage_file_ops() has no backend for it.
    with pytest.raises(ItemNotFound):
        ta.create(oid, storage=st.STORAGE_TEST_BAD_STORAGE)
    with pytest.raises(ItemNotFound):
        ta.open(oid, storage=st.STORAGE_TEST_BAD_STORAGE)
    with pytest.raises(ItemNotFound):
        ta.enum(st.STORAGE_TEST_BAD_STORAGE)


def test_ids_are_binary_up_to_64_bytes(ta: StorageTA) -> None:
    ids = [bytes(range(i, i + 64)) for i in (0, 64, 128, 192)]
    ids.append(b"../../x\0/y")
    for n, object_id in enumerate(ids):
        ta.close(ta.create_slot(object_id, ALL_ACCESS | GP.OVERWRITE, b"%d" % n))
    for n, object_id in enumerate(ids):
        slot = ta.open(object_id, GP.ACCESS_READ)
        assert ta.read(slot, 10) == b"%d" % n
        ta.close(slot)


def test_the_empty_id_is_an_id(ta: StorageTA) -> None:
    ta.close(ta.create_slot(b"", ALL_ACCESS | GP.OVERWRITE, b"empty id"))
    assert ta.read(ta.open(b"", GP.ACCESS_READ), 20) == b"empty id"


def test_an_id_of_65_bytes_panics(ta: StorageTA) -> None:
    with pytest.raises(TargetDead):
        ta.create(b"x" * 65)


@pytest.mark.parametrize("flags", [GP.OVERWRITE, 0x8, 0x100, 0x80000000])
def test_open_with_flags_outside_gp_panics(
    ta: StorageTA, oid: bytes, flags: int
) -> None:
    ta.create(oid, options=NO_HANDLE)
    with pytest.raises(TargetDead):
        ta.open(oid, flags | GP.ACCESS_READ)


def test_create_with_flags_outside_gp_panics(ta: StorageTA, oid: bytes) -> None:
    with pytest.raises(TargetDead):
        ta.create(oid, ALL_ACCESS | 0x800)


# ---- data streams -----------------------------------------------------------


def test_read_and_write_move_the_position(ta: StorageTA, oid: bytes) -> None:
    slot = ta.create_slot(oid, data=b"0123456789")
    assert ta.read(slot, 4) == b"0123"
    ta.write(slot, b"ab")
    assert ta.info(slot).data_position == 6
    assert ta.read(slot, 100) == b"6789"
    assert ta.info(slot).data_position == 10
    ta.seek(slot, 0)
    assert ta.read(slot, 100) == b"0123ab6789"


def test_seek_set_cur_end_and_clamp_at_zero(ta: StorageTA, oid: bytes) -> None:
    slot = ta.create_slot(oid, data=b"0123456789")
    ta.seek(slot, 3, GP.SEEK_SET)
    ta.seek(slot, 2, GP.SEEK_CUR)
    assert ta.read(slot, 1) == b"5"
    ta.seek(slot, -2, GP.SEEK_END)
    assert ta.read(slot, 5) == b"89"
    ta.seek(slot, -100, GP.SEEK_CUR)
    assert ta.info(slot).data_position == 0
    ta.seek(slot, -(2**63), GP.SEEK_END)
    assert ta.info(slot).data_position == 0


def test_write_past_the_end_fills_with_zeros(ta: StorageTA, oid: bytes) -> None:
    slot = ta.create_slot(oid, data=b"abc")
    ta.seek(slot, 5, GP.SEEK_END)
    assert ta.read(slot, 10) == b""
    ta.write(slot, b"Z")
    ta.seek(slot, 0)
    assert ta.read(slot, 100) == b"abc" + bytes(5) + b"Z"


def test_a_write_of_nothing_changes_nothing(ta: StorageTA, oid: bytes) -> None:
    slot = ta.create_slot(oid, data=b"abc")
    ta.seek(slot, 10)
    ta.write(slot, b"")
    info = ta.info(slot)
    assert (info.data_size, info.data_position) == (3, 10)


@pytest.mark.parametrize(
    "offset, whence",
    [
        (GP.DATA_MAX_POSITION + 1, GP.SEEK_SET),
        (2**40, GP.SEEK_SET),
        (GP.DATA_MAX_POSITION, GP.SEEK_CUR),
        (GP.DATA_MAX_POSITION - 2, GP.SEEK_END),
    ],
)
def test_seek_past_the_largest_position_overflows(
    ta: StorageTA, oid: bytes, offset: int, whence: int
) -> None:
    slot = ta.create_slot(oid, data=b"abc")
    ta.seek(slot, 1)
    with pytest.raises(Overflow):
        ta.seek(slot, offset, whence)
    assert ta.info(slot).data_position == 1


def test_seek_to_the_largest_position_is_allowed(ta: StorageTA, oid: bytes) -> None:
    slot = ta.create_slot(oid, data=b"abc")
    ta.seek(slot, GP.DATA_MAX_POSITION)
    assert ta.info(slot).data_position == GP.DATA_MAX_POSITION
    with pytest.raises(Overflow):
        ta.write(slot, b"x")


def test_an_unknown_whence_panics(ta: StorageTA, oid: bytes) -> None:
    slot = ta.create_slot(oid)
    with pytest.raises(TargetDead):
        ta.seek(slot, 0, 3)


def test_truncate_shrinks_and_extends_with_zeros(ta: StorageTA, oid: bytes) -> None:
    slot = ta.create_slot(oid, data=b"0123456789")
    ta.seek(slot, 8)
    ta.truncate(slot, 4)
    assert ta.info(slot).data_position == 8  # unchanged
    ta.truncate(slot, 6)
    ta.seek(slot, 0)
    assert ta.read(slot, 100) == b"0123\0\0"
    assert ta.info(slot).data_size == 6


def test_data_larger_than_one_call_round_trips(ta: StorageTA, oid: bytes) -> None:
    slot = ta.create_slot(oid)
    pieces = [bytes([n]) * 30000 for n in range(4)]
    for piece in pieces:
        ta.write(slot, piece)
    ta.close(slot)
    slot = ta.open(oid, GP.ACCESS_READ)
    assert b"".join(ta.read(slot, 30000) for _ in range(4)) == b"".join(pieces)
    assert ta.info(slot).data_size == 120000


@pytest.mark.parametrize(
    "flags, action",
    [
        (GP.ACCESS_WRITE, "read"),
        (GP.ACCESS_READ, "write"),
        (GP.ACCESS_READ, "truncate"),
        (GP.ACCESS_READ | GP.ACCESS_WRITE, "rename"),
        (GP.ACCESS_READ | GP.ACCESS_WRITE, "delete"),
    ],
)
def test_an_access_the_handle_lacks_panics(
    ta: StorageTA, oid: bytes, flags: int, action: str
) -> None:
    ta.create(oid, data=b"abc", options=NO_HANDLE)
    slot = ta.open(oid, flags)
    calls: dict[str, Callable[[], object]] = {
        "read": lambda: ta.read(slot, 1),
        "write": lambda: ta.write(slot, b"x"),
        "truncate": lambda: ta.truncate(slot, 0),
        "rename": lambda: ta.rename(slot, oid + b"-renamed"),
        "delete": lambda: ta.delete(slot),
    }
    with pytest.raises(TargetDead):
        calls[action]()


# ---- rename and delete ------------------------------------------------------


def test_rename_moves_the_object(ta: StorageTA, oid: bytes) -> None:
    slot = ta.create_slot(oid, data=b"payload")
    new = oid + b"-new"
    ta.rename(slot, new)
    ta.write(slot, b"!")  # the handle follows the object
    ta.close(slot)
    with pytest.raises(ItemNotFound):
        ta.open(oid)
    assert ta.read(ta.open(new, GP.ACCESS_READ), 100) == b"!ayload"


@pytest.mark.parametrize("target", ["existing", "itself", "open"])
def test_rename_to_a_taken_id_conflicts(ta: StorageTA, oid: bytes, target: str) -> None:
    other = oid + b"-other"
    if target == "existing":
        ta.create(other, options=NO_HANDLE)
    elif target == "open":
        ta.create_slot(other, GP.ACCESS_READ | SHARED)
    slot = ta.create_slot(oid, data=b"mine")
    with pytest.raises(AccessConflict):
        ta.rename(slot, oid if target == "itself" else other)
    assert ta.read(slot, 10) == b"mine"


@pytest.mark.parametrize("deprecated", [False, True], ids=["delete1", "delete"])
def test_close_and_delete_removes_the_object(
    ta: StorageTA, oid: bytes, deprecated: bool
) -> None:
    slot = ta.create_slot(oid, data=b"doomed")
    ta.delete(slot, deprecated)
    with pytest.raises(ItemNotFound):
        ta.open(oid)
    with pytest.raises(BadParameters):  # the slot is empty: handle closed
        ta.info(slot)
    ta.close(ta.create_slot(oid, data=b"again"))  # the id is free again


# ---- sharing rules ----------------------------------------------------------

R, W, M = GP.ACCESS_READ, GP.ACCESS_WRITE, GP.ACCESS_WRITE_META
SR, SW = GP.SHARE_READ, GP.SHARE_WRITE

SHARING = [
    # (first handle, second handle, second allowed?), OP-TEE's rules
    (R | SR, R | SR, True),
    (R, R, False),
    (R | SR, R, False),
    (R, R | SR, False),
    (W | SW, W | SW, True),
    (W, W | SW, False),
    (R | SR | SW, W | SR | SW, True),
    (R | SR, R | SR | SW, False),  # share bits must be equal
    (SR | SW, R | W | SR | SW, True),
    (0, 0, True),
    (0, R, False),
    (M | SR | SW, SR | SW, False),  # WRITE_META is exclusive
    (SR | SW, M | SR | SW, False),
    (R | SR, M | R | SR, False),
]


@pytest.mark.parametrize("first, second, allowed", SHARING)
def test_sharing_between_handles_of_one_instance(
    ta: StorageTA, oid: bytes, first: int, second: int, allowed: bool
) -> None:
    ta.create(oid, options=NO_HANDLE)
    ta.open(oid, first)
    if allowed:
        ta.open(oid, second)
    else:
        with pytest.raises(AccessConflict):
            ta.open(oid, second)


@pytest.mark.parametrize("first, second, allowed", SHARING[:8])
def test_sharing_between_instances(
    context: Context, oid: bytes, first: int, second: int, allowed: bool
) -> None:
    with (
        context.open_session(st.STORAGE_TEST_UUID) as s1,
        context.open_session(st.STORAGE_TEST_UUID) as s2,
    ):
        one, two = StorageTA(s1), StorageTA(s2)
        one.create(oid, options=NO_HANDLE)
        one.open(oid, first)
        if allowed:
            two.open(oid, second)
        else:
            with pytest.raises(AccessConflict):
                two.open(oid, second)


def test_closing_a_handle_ends_its_conflicts(ta: StorageTA, oid: bytes) -> None:
    slot = ta.create_slot(oid, R)
    with pytest.raises(AccessConflict):
        ta.open(oid, R)
    ta.close(slot)
    ta.open(oid, R)


def test_an_instance_that_dies_leaves_no_conflict(context: Context, oid: bytes) -> None:
    with context.open_session(st.STORAGE_TEST_UUID) as session:
        doomed = StorageTA(session)
        doomed.create_slot(oid, M)
        with pytest.raises(TargetDead):
            doomed.create(b"y" * 65)  # panics with the handle open
    with context.open_session(st.STORAGE_TEST_UUID) as session:
        StorageTA(session).open(oid, M)


def test_handles_in_two_instances_see_each_others_writes(
    context: Context, oid: bytes
) -> None:
    with (
        context.open_session(st.STORAGE_TEST_UUID) as s1,
        context.open_session(st.STORAGE_TEST_UUID) as s2,
    ):
        one, two = StorageTA(s1), StorageTA(s2)
        a = one.create_slot(oid, RW_SHARED, b"....")
        b = two.open(oid, RW_SHARED)
        one.write(a, b"AB")
        assert two.read(b, 10) == b"AB.."
        two.seek(b, 2)
        two.write(b, b"CDE")
        one.seek(a, 0)
        assert one.read(a, 10) == b"ABCDE"
        assert one.info(a).data_size == 5


# ---- enumeration ------------------------------------------------------------


def test_enumeration_lists_ids_and_info(ta: StorageTA, oid: bytes) -> None:
    mine = {oid + b"-%d" % n: b"x" * n for n in range(3)}
    for object_id, data in mine.items():
        ta.create(object_id, data=data, options=NO_HANDLE)
    found, corrupt = ta.enum()
    assert corrupt == 0
    for object_id, data in mine.items():
        info = found[object_id]
        assert info == st.Info(
            GP.TYPE_DATA,
            0,
            0,
            GP.USAGE_DEFAULT,
            len(data),
            0,
            GP.HANDLE_PERSISTENT | GP.HANDLE_INITIALIZED,
        )
    ta.delete(ta.open(oid + b"-1", ALL_ACCESS))
    found, _ = ta.enum()
    assert oid + b"-0" in found and oid + b"-1" not in found


def test_enumeration_is_per_storage(ta: StorageTA, oid: bytes) -> None:
    ta.create(oid, options=NO_HANDLE, storage=GP.STORAGE_PRIVATE_RPMB)
    rpmb, _ = ta.enum(GP.STORAGE_PRIVATE_RPMB)
    ree, _ = ta.enum(GP.STORAGE_PRIVATE_REE)
    assert oid in rpmb and oid not in ree


def test_enumerating_an_empty_storage_is_item_not_found(context: Context) -> None:
    # No test stores anything in the second TA's RPMB storage.
    with (
        context.open_session(st.STORAGE_TEST2_UUID) as session,
        pytest.raises(ItemNotFound),
    ):
        StorageTA(session).enum(GP.STORAGE_PRIVATE_RPMB)


def test_enumerator_corner_cases_are_item_not_found(ta: StorageTA, oid: bytes) -> None:
    ta.create(oid, options=NO_HANDLE)  # so that start succeeds
    assert ta.enum_edges() == (GP.ERROR_ITEM_NOT_FOUND,) * 4


# ---- persistent key objects -------------------------------------------------


def ecb(block: bytes) -> bytes:
    encryptor = Cipher(algorithms.AES(st.TEST_KEY), modes.ECB()).encryptor()
    return encryptor.update(block) + encryptor.finalize()


def test_a_key_object_keeps_type_size_usage_and_key(ta: StorageTA, oid: bytes) -> None:
    usage = GP.USAGE_ENCRYPT | GP.USAGE_EXTRACTABLE
    created = ta.create(
        oid, data=b"with data", options=st.STORAGE_TEST_OPT_AES_KEY, arg=usage
    )
    assert created.attributes_flags & GP.HANDLE_PERSISTENT == 0  # copied
    ta.close(created.slot)
    slot = ta.open(oid, GP.ACCESS_READ)
    info = ta.info(slot)
    assert (info.object_type, info.object_size, info.max_object_size) == (
        GP.TYPE_AES,
        256,
        256,
    )
    assert info.object_usage == usage
    assert info.data_size == 9
    assert ta.get_key(slot) == st.TEST_KEY
    assert ta.read(slot, 20) == b"with data"


def test_a_stored_key_encrypts_as_the_key_it_was_made_from(
    ta: StorageTA, oid: bytes
) -> None:
    key = ta.create_slot(oid, options=st.STORAGE_TEST_OPT_AES_KEY, arg=GP.USAGE_DEFAULT)
    ta.close(key)
    slot = ta.open(oid, GP.ACCESS_READ)
    block = bytes(range(32))
    assert ta.encrypt(slot, block) == ecb(block)


def test_a_persistent_object_can_give_the_attributes(ta: StorageTA, oid: bytes) -> None:
    key = ta.create_slot(oid, options=st.STORAGE_TEST_OPT_AES_KEY, arg=GP.USAGE_DEFAULT)
    copy = ta.create_slot(
        oid + b"-copy", options=st.STORAGE_TEST_OPT_SLOT_ATTRS, arg=key
    )
    assert ta.get_key(copy) == st.TEST_KEY
    assert ta.info(copy).object_type == GP.TYPE_AES


def test_no_handle_makes_the_transient_attributes_the_object(
    ta: StorageTA, oid: bytes
) -> None:
    # OP-TEE: with object NULL, a transient attributes object becomes the
    # persistent object.
    created = ta.create(
        oid,
        GP.ACCESS_READ,
        b"converted",
        options=st.STORAGE_TEST_OPT_AES_KEY | st.STORAGE_TEST_OPT_NO_HANDLE,
        arg=GP.USAGE_DEFAULT,
    )
    assert created.slot != st.STORAGE_TEST_NO_SLOT
    assert created.attributes_flags == (
        GP.HANDLE_PERSISTENT | GP.HANDLE_INITIALIZED | GP.ACCESS_READ
    )
    assert ta.read(created.slot, 20) == b"converted"
    assert ta.get_key(created.slot) == st.TEST_KEY
    with pytest.raises(AccessConflict):  # it is an open handle of the object
        ta.open(oid, GP.ACCESS_READ)
