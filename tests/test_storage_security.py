"""libtee: what trusted storage promises against someone who can read and
write the REE's files (docs/storage.md): confidentiality, tamper evidence
(TEE_ERROR_CORRUPT_OBJECT), rollback detection of single objects and of the
whole storage folder, isolation between TAs, atomic writes under kill -9,
and consistency between concurrent handles of several instances.

The tests reach into the software TEE's folders (``<data>/storage/<uuid>``,
``<data>/rpmb/<uuid>.ctr``); an object's files are found as the one that
appears when the object is created, and followed by their names' tag part
(the first 32 hex digits).  An object has two slots, ``<tag>-...01`` and
``<tag>-...02``: its creation writes slot 1 and each change the other one.
The manifest with counter ``v`` is ``manifest.<v % 2>``; the counter is
read from its file (the larger of its records).
"""

from __future__ import annotations

import itertools
import os
import signal
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import storage_ta as st
from storage_ta import GP, StorageTA
from tee_helpers import hosts_of, mode_of, wait_until

from pytee import Context, TeeError
from pytee.errors import AccessConflict, BadParameters, ItemNotFound

pytestmark = pytest.mark.software_tee

NO_HANDLE = st.STORAGE_TEST_OPT_NO_HANDLE
RW_SHARED = GP.ACCESS_READ | GP.ACCESS_WRITE | GP.SHARE_READ | GP.SHARE_WRITE
TARGET_DEAD = 0xFFFF3024
TESTS_DIR = Path(__file__).resolve().parent

_serial = itertools.count()


@pytest.fixture
def ta(context: Context) -> Iterator[StorageTA]:
    with context.open_session(st.STORAGE_TEST_UUID) as session:
        yield StorageTA(session)


@pytest.fixture
def oid(request: pytest.FixtureRequest) -> bytes:
    return ("%s#%d" % (request.node.name, next(_serial))).encode()[-64:]


def is_corrupt(error: TeeError) -> bool:
    return error.code == GP.ERROR_CORRUPT_OBJECT


def expect_corrupt(call: Callable[[], object]) -> None:
    with pytest.raises(TeeError) as caught:
        call()
    assert is_corrupt(caught.value), caught.value


def create_tracked(ta: StorageTA, object_id: bytes, data: bytes, uuid: str = "") -> str:
    """Create an object (no handle kept) and return its file's tag."""
    uuid = uuid or st.STORAGE_TEST_UUID
    before = {p.name for p in st.object_files(uuid)}
    ta.create(object_id, data=data, options=NO_HANDLE)
    new = [p.name for p in st.object_files(uuid) if p.name not in before]
    assert len(new) == 1, new
    return new[0][:32]


def files_of(tag: str, uuid: str = "") -> list[Path]:
    """The files of the object with this tag: one or both of its slots."""
    return [
        p
        for p in st.object_files(uuid or st.STORAGE_TEST_UUID)
        if p.name.startswith(tag)
    ]


def file_of(tag: str, uuid: str = "") -> Path:
    """The one file of an object that was created and never changed."""
    found = files_of(tag, uuid)
    assert [p.name[32:] for p in found] == ["-%016x" % 1], found
    return found[0]


def slot_file(tag: str, slot: int, uuid: str = "") -> Path:
    """Object slot 1 or 2 of the object with this tag."""
    folder = st.storage_folder(uuid or st.STORAGE_TEST_UUID)
    return folder / ("%s-%016x" % (tag, slot))


def counter_value(uuid: str) -> int:
    """The rollback counter: the larger of the counter file's records."""
    blob = st.counter_file(uuid).read_bytes()
    return max(
        struct.unpack_from("<Q", blob, at + 8)[0]
        for at in (0, 4096)
        if blob[at : at + 4] == b"PTSC"
    )


def manifest_slot(uuid: str, current: bool = True) -> Path:
    """The manifest slot holding the current manifest, or the other one."""
    parity = counter_value(uuid) % 2
    return st.storage_folder(uuid) / ("manifest.%d" % (parity ^ (not current)))


def state_files(uuid: str) -> dict[str, bytes]:
    """What the storage folder holds besides its lock files."""
    folder = st.storage_folder(uuid)
    return {
        p.name: p.read_bytes()
        for p in folder.iterdir()
        if p.name not in ("lock", "handles")
    }


def put_state(uuid: str, files: dict[str, bytes]) -> None:
    """Make the storage folder hold exactly these files (locks kept)."""
    folder = st.storage_folder(uuid)
    for p in folder.iterdir():
        if p.name not in ("lock", "handles") and p.name not in files:
            p.unlink()
    for name, data in files.items():
        (folder / name).write_bytes(data)


# ---- confidentiality --------------------------------------------------------


def test_ids_and_data_never_appear_in_the_files(ta: StorageTA, oid: bytes) -> None:
    secret = b"the secret payload of %s" % oid
    tag = create_tracked(ta, oid, secret)
    assert oid.hex() not in tag
    for path in st.storage_folder(st.STORAGE_TEST_UUID).iterdir():
        blob = path.read_bytes()
        assert oid not in blob and secret not in blob, path.name


def test_keys_and_folders_are_private(ta: StorageTA, oid: bytes) -> None:
    ta.create(oid, options=NO_HANDLE)
    root_key = st.data_dir() / "storage" / "root.key"
    assert root_key.stat().st_size == 32
    assert mode_of(root_key) == 0o600
    assert mode_of(st.storage_folder(st.STORAGE_TEST_UUID)) == 0o700
    assert mode_of(st.data_dir() / "rpmb") == 0o700


# ---- tampering --------------------------------------------------------------

# Byte regions of a sealed object file: magic, version, salt, nonce,
# ciphertext, GCM tag (docs/storage.md), plus changes of length.
TAMPER: dict[str, Callable[[bytes], bytes]] = {
    "magic": lambda b: bytes([b[0] ^ 1]) + b[1:],
    "version": lambda b: b[:4] + bytes([b[4] ^ 1]) + b[5:],
    "salt": lambda b: b[:20] + bytes([b[20] ^ 0x80]) + b[21:],
    "nonce": lambda b: b[:45] + bytes([b[45] ^ 1]) + b[46:],
    "ciphertext-first": lambda b: b[:52] + bytes([b[52] ^ 1]) + b[53:],
    "ciphertext-middle": lambda b: flip(b, (52 + len(b) - 16) // 2),
    "ciphertext-last": lambda b: flip(b, len(b) - 17),
    "gcm-tag": lambda b: flip(b, len(b) - 1),
    "truncated": lambda b: b[:-1],
    "extended": lambda b: b + b"\0",
    "empty": lambda b: b"",
}


def flip(blob: bytes, at: int) -> bytes:
    return blob[:at] + bytes([blob[at] ^ 0x10]) + blob[at + 1 :]


@pytest.mark.parametrize("region", sorted(TAMPER))
def test_any_tampered_byte_is_a_corrupt_object(
    ta: StorageTA, oid: bytes, region: str
) -> None:
    tag = create_tracked(ta, oid, b"z" * 200)
    path = file_of(tag)
    path.write_bytes(TAMPER[region](path.read_bytes()))
    expect_corrupt(lambda: ta.open(oid, GP.ACCESS_READ))
    # As OP-TEE does, the corrupt object is deleted.
    with pytest.raises(ItemNotFound):
        ta.open(oid, GP.ACCESS_READ)
    assert not path.exists()


def test_a_tampered_manifest_makes_every_object_corrupt(
    ta: StorageTA, oid: bytes
) -> None:
    ta.create(oid, data=b"fine", options=NO_HANDLE)
    manifest = manifest_slot(st.STORAGE_TEST_UUID)
    good = manifest.read_bytes()
    try:
        manifest.write_bytes(flip(good, len(good) // 2))
        expect_corrupt(lambda: ta.open(oid, GP.ACCESS_READ))
        expect_corrupt(lambda: ta.create(oid + b"-new"))
        expect_corrupt(ta.enum)
    finally:
        manifest.write_bytes(good)
    # Nothing was lost: the objects come back with the manifest.
    assert ta.read(ta.open(oid, GP.ACCESS_READ), 10) == b"fine"


def test_a_counter_with_no_good_record_is_corrupt(ta: StorageTA, oid: bytes) -> None:
    ta.create(oid, data=b"fine", options=NO_HANDLE)
    counter = st.counter_file(st.STORAGE_TEST_UUID)
    good = counter.read_bytes()
    try:
        counter.write_bytes(bytes(len(good)) + b"x" * 48)
        expect_corrupt(lambda: ta.open(oid, GP.ACCESS_READ))
    finally:
        counter.write_bytes(good)
    ta.open(oid, GP.ACCESS_READ)


def test_swapped_object_files_are_corrupt(ta: StorageTA, oid: bytes) -> None:
    first, second = oid + b"-1", oid + b"-2"
    one = file_of(create_tracked(ta, first, b"first" * 10))
    two = file_of(create_tracked(ta, second, b"secnd" * 10))
    blob_one, blob_two = one.read_bytes(), two.read_bytes()
    one.write_bytes(blob_two)
    two.write_bytes(blob_one)
    expect_corrupt(lambda: ta.open(first, GP.ACCESS_READ))
    expect_corrupt(lambda: ta.open(second, GP.ACCESS_READ))


@pytest.mark.parametrize("how", ["in-the-other-slot", "in-its-own-slot"])
def test_an_older_copy_of_an_object_is_detected(
    ta: StorageTA, oid: bytes, how: str
) -> None:
    tag = create_tracked(ta, oid, b"version 1")
    old_blob = file_of(tag).read_bytes()
    handle = ta.open(oid, GP.ACCESS_WRITE)
    ta.write(handle, b"VERSION 2")  # into slot 2
    if how == "in-its-own-slot":
        ta.seek(handle, 0)
        ta.write(handle, b"VERSION 3")  # into slot 1, over version 1
    ta.close(handle)
    current = slot_file(tag, 2 if how == "in-the-other-slot" else 1)
    current.write_bytes(old_blob)  # authentic, but not the version named
    expect_corrupt(lambda: ta.open(oid, GP.ACCESS_READ))


def test_an_object_whose_current_slot_is_gone_is_corrupt(
    ta: StorageTA, oid: bytes
) -> None:
    tag = create_tracked(ta, oid, b"version 1")
    handle = ta.open(oid, GP.ACCESS_WRITE)
    ta.write(handle, b"VERSION 2")
    ta.close(handle)
    slot_file(tag, 2).unlink()  # slot 1 still holds version 1
    expect_corrupt(lambda: ta.open(oid, GP.ACCESS_READ))


# ---- rollback of the whole storage folder -----------------------------------


def test_a_rolled_back_storage_folder_is_detected(context: Context, oid: bytes) -> None:
    uuid = st.STORAGE_TEST_UUID
    with context.open_session(uuid) as session:
        StorageTA(session).create(oid, data=b"balance=100", options=NO_HANDLE)
    snapshot = state_files(uuid)
    with context.open_session(uuid) as session:
        ta = StorageTA(session)
        slot = ta.open(oid, GP.ACCESS_WRITE)
        ta.write(slot, b"balance=000")
    current = state_files(uuid)
    put_state(uuid, snapshot)  # a consistent, authentic, older state
    try:
        with context.open_session(uuid) as session:
            ta = StorageTA(session)
            expect_corrupt(lambda: ta.open(oid, GP.ACCESS_READ))
            expect_corrupt(lambda: ta.open(b"any other object", GP.ACCESS_READ))
    finally:
        put_state(uuid, current)
    with context.open_session(uuid) as session:
        ta = StorageTA(session)
        assert ta.read(ta.open(oid, GP.ACCESS_READ), 20) == b"balance=000"


def test_a_storage_folder_emptied_after_use_is_detected(
    context: Context, oid: bytes
) -> None:
    uuid = st.STORAGE_TEST_UUID
    with context.open_session(uuid) as session:
        StorageTA(session).create(oid, data=b"x", options=NO_HANDLE)
    current = state_files(uuid)
    put_state(uuid, {})
    try:
        with context.open_session(uuid) as session:
            expect_corrupt(lambda: StorageTA(session).open(oid, GP.ACCESS_READ))
    finally:
        put_state(uuid, current)


def test_the_counter_kept_apart_is_what_detects_a_folder_rollback(
    context: Context, oid: bytes
) -> None:
    # Rolling back the counter along with the folder goes unseen: the
    # counter models RPMB, which the REE cannot roll back.
    uuid = st.STORAGE_TEST_UUID
    counter = st.counter_file(uuid)
    with context.open_session(uuid) as session:
        StorageTA(session).create(oid, data=b"old", options=NO_HANDLE)
    snapshot, old_counter = state_files(uuid), counter.read_bytes()
    with context.open_session(uuid) as session:
        ta = StorageTA(session)
        ta.write(ta.open(oid, GP.ACCESS_WRITE), b"new")
    current, new_counter = state_files(uuid), counter.read_bytes()
    put_state(uuid, snapshot)
    counter.write_bytes(old_counter)
    try:
        with context.open_session(uuid) as session:
            ta = StorageTA(session)
            assert ta.read(ta.open(oid, GP.ACCESS_READ), 10) == b"old"
    finally:
        put_state(uuid, current)
        counter.write_bytes(new_counter)


# ---- slots written in place -------------------------------------------------


def write_versions(ta: StorageTA, oid: bytes, versions: list[bytes]) -> None:
    handle = ta.open(oid, GP.ACCESS_WRITE)
    for data in versions:
        ta.seek(handle, 0)
        ta.write(handle, data)
    ta.close(handle)


def read_all(ta: StorageTA, oid: bytes) -> bytes:
    handle = ta.open(oid, GP.ACCESS_READ)
    data = ta.read(handle, 100)
    ta.close(handle)
    return data


@pytest.mark.parametrize("torn", ["garbage", "half-of-the-current", "empty"])
def test_a_torn_manifest_slot_leaves_the_previous_state(
    ta: StorageTA, oid: bytes, torn: str
) -> None:
    uuid = st.STORAGE_TEST_UUID
    ta.create(oid, data=b"v1", options=NO_HANDLE)
    write_versions(ta, oid, [b"v2"])
    current = manifest_slot(uuid).read_bytes()
    # The slot the next commit writes, as a crash in its middle leaves it.
    spare = manifest_slot(uuid, current=False)
    spare.write_bytes(
        {
            "garbage": os.urandom(len(current)),
            "half-of-the-current": current[: len(current) // 2]
            + spare.read_bytes()[len(current) // 2 :],
            "empty": b"",
        }[torn]
    )
    assert read_all(ta, oid) == b"v2"
    write_versions(ta, oid, [b"v3"])  # the commit rewrites that slot
    assert read_all(ta, oid) == b"v3"


def test_a_torn_object_slot_is_not_read(ta: StorageTA, oid: bytes) -> None:
    tag = create_tracked(ta, oid, b"v1")
    write_versions(ta, oid, [b"v2"])
    spare = slot_file(tag, 1)  # version 1, named by nothing now
    spare.write_bytes(flip(spare.read_bytes(), 60)[:-5])
    assert read_all(ta, oid) == b"v2"
    write_versions(ta, oid, [b"v3"])
    assert read_all(ta, oid) == b"v3"


@pytest.mark.parametrize("into", ["its-own-slot", "the-other-slot"])
def test_an_old_manifest_put_back_alone_is_ignored_or_detected(
    ta: StorageTA, oid: bytes, into: str
) -> None:
    uuid = st.STORAGE_TEST_UUID
    ta.create(oid, data=b"v1", options=NO_HANDLE)
    old_slot = manifest_slot(uuid)
    old = old_slot.read_bytes()
    write_versions(ta, oid, [b"v2", b"v3", b"v4"])
    # Three commits later the old slot holds the manifest before the
    # current one; the other slot holds the current one.
    assert manifest_slot(uuid) != old_slot
    if into == "its-own-slot":
        saved = old_slot.read_bytes()
        old_slot.write_bytes(old)  # older than the counter: ignored
        assert read_all(ta, oid) == b"v4"
        old_slot.write_bytes(saved)
    else:
        current = manifest_slot(uuid)
        saved = current.read_bytes()
        current.write_bytes(old)  # the current one gone: a rollback
        try:
            expect_corrupt(lambda: ta.open(oid, GP.ACCESS_READ))
        finally:
            current.write_bytes(saved)
    assert read_all(ta, oid) == b"v4"


def test_a_steady_change_makes_no_file(ta: StorageTA, oid: bytes) -> None:
    uuid = st.STORAGE_TEST_UUID
    tag = create_tracked(ta, oid, b"v0")
    write_versions(ta, oid, [b"v1"])  # both slots exist from now on
    folder = st.storage_folder(uuid)

    def inodes() -> dict[str, int]:
        files = [*folder.iterdir(), st.counter_file(uuid)]
        return {p.name: p.stat().st_ino for p in files}

    before = inodes()
    write_versions(ta, oid, [b"v%d" % n for n in range(2, 22)])
    assert inodes() == before
    assert read_all(ta, oid) == b"v21"
    assert len(files_of(tag)) == 2


def test_rename_and_delete_remove_both_slots(ta: StorageTA, oid: bytes) -> None:
    uuid, renamed = st.STORAGE_TEST_UUID, oid + b"-renamed"
    tag = create_tracked(ta, oid, b"v1")
    write_versions(ta, oid, [b"v2"])
    before = {p.name for p in st.object_files(uuid)}
    handle = ta.open(oid, GP.ACCESS_WRITE_META)
    ta.rename(handle, renamed)
    ta.close(handle)
    assert files_of(tag) == []
    (new,) = [p.name for p in st.object_files(uuid) if p.name not in before]
    assert read_all(ta, renamed) == b"v2"
    write_versions(ta, renamed, [b"v3"])
    assert len(files_of(new[:32])) == 2
    ta.delete(ta.open(renamed, GP.ACCESS_WRITE_META))
    assert files_of(new[:32]) == []


def test_a_folder_of_the_single_manifest_layout_is_read_and_converted(
    ta: StorageTA, oid: bytes
) -> None:
    uuid = st.STORAGE_TEST_UUID
    legacy = st.storage_folder(uuid) / "manifest"
    ta.create(oid, data=b"v1", options=NO_HANDLE)
    # Older versions kept the manifest, sealed the same way, in one file
    # replaced by rename: the current manifest moved there is such a folder.
    manifest_slot(uuid, current=False).unlink()
    manifest_slot(uuid).rename(legacy)
    old = legacy.read_bytes()
    assert read_all(ta, oid) == b"v1"
    write_versions(ta, oid, [b"v2"])  # the first commit converts
    assert not legacy.exists() and manifest_slot(uuid).exists()
    assert read_all(ta, oid) == b"v2"
    legacy.write_bytes(old)  # put back: a slot holds the manifest now
    try:
        assert read_all(ta, oid) == b"v2"
    finally:
        legacy.unlink(missing_ok=True)


# ---- isolation between TAs --------------------------------------------------


def test_another_ta_can_neither_see_nor_open_the_objects(
    context: Context, oid: bytes
) -> None:
    with (
        context.open_session(st.STORAGE_TEST_UUID) as s1,
        context.open_session(st.STORAGE_TEST2_UUID) as s2,
    ):
        one, two = StorageTA(s1), StorageTA(s2)
        one.create(oid, data=b"one's", options=NO_HANDLE)
        with pytest.raises(ItemNotFound):
            two.open(oid, GP.ACCESS_READ)
        try:
            found, _ = two.enum()
        except ItemNotFound:
            found = {}
        assert oid not in found
        two.create(oid, data=b"two's", options=NO_HANDLE)
        assert one.read(one.open(oid, GP.ACCESS_READ), 10) == b"one's"
        assert two.read(two.open(oid, GP.ACCESS_READ), 10) == b"two's"


def test_another_tas_files_do_not_open_under_this_tas_keys(
    context: Context, oid: bytes
) -> None:
    one_uuid, two_uuid = st.STORAGE_TEST_UUID, st.STORAGE_TEST2_UUID
    with context.open_session(one_uuid) as session:
        StorageTA(session).create(oid, data=b"stolen?", options=NO_HANDLE)
    with context.open_session(two_uuid) as session:
        StorageTA(session).create(oid + b"-2", options=NO_HANDLE)  # has a state
    two_state = state_files(two_uuid)
    put_state(two_uuid, state_files(one_uuid))
    try:
        with context.open_session(two_uuid) as session:
            expect_corrupt(lambda: StorageTA(session).open(oid, GP.ACCESS_READ))
    finally:
        put_state(two_uuid, two_state)


# ---- handles on an object found corrupt -------------------------------------


@pytest.mark.parametrize(
    "uuid, kept",
    [(st.STORAGE_TEST_UUID, False), (st.STORAGE_TEST2_UUID, True)],
    ids=["closed", "dont-close-flag"],
)
def test_a_handle_on_a_corrupt_object_is_closed_unless_the_ta_says_no(
    context: Context, oid: bytes, uuid: str, kept: bool
) -> None:
    with context.open_session(uuid) as session:
        ta = StorageTA(session)
        tag = create_tracked(ta, oid, b"data", uuid)
        reader = ta.open(oid, RW_SHARED)
        writer = ta.open(oid, RW_SHARED)
        ta.write(writer, b"DATA")  # a version the reader has not read
        path = slot_file(tag, 2, uuid)
        path.write_bytes(flip(path.read_bytes(), 60))
        expect_corrupt(lambda: ta.read(reader, 4))
        if kept:
            assert ta.info(reader).handle_flags & GP.HANDLE_PERSISTENT
            expect_corrupt(lambda: ta.read(reader, 4))  # deleted meanwhile
        else:
            with pytest.raises(BadParameters):  # the TA's slot was emptied
                ta.info(reader)
        with pytest.raises(ItemNotFound):
            ta.open(oid, GP.ACCESS_READ)


# ---- kill -9 in the middle of writes ----------------------------------------

# Enough writes that none of the delays sees them all done.
CHUNKS, CHUNK, SEED = 1000, 512, 7
OLD_BYTE = 0xEE

WRITER = """
import sys
sys.path.insert(0, {tests!r})
from pytee import Context, TeeError
import storage_ta as st
with Context() as ctx, ctx.open_session(st.STORAGE_TEST_UUID) as session:
    ta = st.StorageTA(session)
    slot = ta.open({oid!r}, st.GP.ACCESS_WRITE)
    print("ready", flush=True)
    try:
        ta.write_chunks(slot, {count}, {size}, {seed})
        print("finished", flush=True)
    except TeeError as error:
        print("error %#x" % error.code, flush=True)
"""


@pytest.mark.parametrize("delay", [0.05, 0.2, 0.5])
def test_kill_9_during_writes_leaves_old_or_new_content(
    context: Context, oid: bytes, delay: float
) -> None:
    uuid = st.STORAGE_TEST_UUID
    old = bytes([OLD_BYTE]) * (CHUNKS * CHUNK)
    with context.open_session(uuid) as session:
        tag = create_tracked(StorageTA(session), oid, old)
    hosts_before = hosts_of(uuid)
    code = WRITER.format(
        tests=str(TESTS_DIR), oid=oid, count=CHUNKS, size=CHUNK, seed=SEED
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        host = wait_until(lambda: hosts_of(uuid) - hosts_before, timeout=5)
        assert len(host) == 1
        threading.Event().wait(delay)
        os.kill(host.pop(), signal.SIGKILL)
        out, _ = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert out.strip() == "error %#x" % TARGET_DEAD  # killed mid-way

    with context.open_session(uuid) as session:
        ta = StorageTA(session)
        slot = ta.open(oid, GP.ACCESS_READ)  # not corrupt
        content = b"".join(
            ta.read(slot, 32 * 1024) for _ in range(len(old) // (32 * 1024) + 1)
        )
    assert len(content) == len(old)
    done = 0
    # A chunk of the pattern may equal the old bytes: the count is then
    # either, and both give the same content.
    while (
        done < CHUNKS
        and content[done * CHUNK : (done + 1) * CHUNK]
        == bytes([(SEED + done) & 0xFF]) * CHUNK
    ):
        done += 1
    # Exactly the first `done` writes, each whole, and nothing else.
    assert content == st.chunk_pattern(done, CHUNK, SEED) + old[done * CHUNK :]
    # No other files: the object has its two slots, the manifest its own.
    names = {p.name for p in st.storage_folder(uuid).iterdir()}
    assert {p.name for p in files_of(tag)} <= {
        slot_file(tag, 1).name,
        slot_file(tag, 2).name,
    }
    assert not [n for n in names if n.endswith(".tmp")]
    assert "manifest" not in names
    assert {"manifest.0", "manifest.1"} <= names


# ---- concurrent handles in several instances --------------------------------


def test_concurrent_writers_in_two_instances_lose_no_write(
    context: Context, oid: bytes
) -> None:
    half = 40 * 64
    with (
        context.open_session(st.STORAGE_TEST_UUID) as s1,
        context.open_session(st.STORAGE_TEST_UUID) as s2,
    ):
        one, two = StorageTA(s1), StorageTA(s2)
        one.create(oid, data=bytes(2 * half), options=NO_HANDLE)
        a = one.open(oid, RW_SHARED)
        b = two.open(oid, RW_SHARED)
        two.seek(b, half)
        errors: list[BaseException] = []

        def run(call: Callable[[], None]) -> None:
            try:
                call()
            except BaseException as error:  # reported below
                errors.append(error)

        threads = [
            threading.Thread(
                target=run, args=(lambda: one.write_chunks(a, 40, 64, 1),)
            ),
            threading.Thread(
                target=run, args=(lambda: two.write_chunks(b, 40, 64, 101),)
            ),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not errors
        one.seek(a, 0)
        content = one.read(a, 2 * half)
    assert content[:half] == st.chunk_pattern(40, 64, 1)
    assert content[half:] == st.chunk_pattern(40, 64, 101)


def test_two_instances_creating_one_id_at_once_make_one_object(
    context: Context, oid: bytes
) -> None:
    with (
        context.open_session(st.STORAGE_TEST_UUID) as s1,
        context.open_session(st.STORAGE_TEST_UUID) as s2,
    ):
        tas = [StorageTA(s1), StorageTA(s2)]
        outcome: list[str] = []
        start = threading.Barrier(2)

        def create(ta: StorageTA, data: bytes) -> None:
            start.wait()
            try:
                ta.create(oid, data=data, options=NO_HANDLE)
                outcome.append("created")
            except AccessConflict:
                outcome.append("conflict")

        threads = [
            threading.Thread(target=create, args=(ta, b"%d" % n))
            for n, ta in enumerate(tas)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(outcome) == ["conflict", "created"]
        assert tas[0].read(tas[0].open(oid, GP.ACCESS_READ), 4) in (b"0", b"1")
