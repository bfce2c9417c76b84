"""libtee: OP-TEE's extensions to the Internal Core API.

The functions of ``<tee_internal_api_extensions.h>``, driven one command per
function by the ext_test TA (``csrc/ta/ext_test``; the commands are
documented in its ``include/ext_test_ta.h``, mirrored below) and by its
twin without ``TA_FLAG_CACHE_MAINTENANCE`` (``csrc/ta/ext_test/nocache``).
The TA reports each function's result in an output value, so the results
below are the TA's, not the client API's.

What is expected is what OP-TEE's TAs see (csrc/libtee/extensions.c names
the sources): the cache functions need the flag and work on memory the TA
shares only, never on its private memory; ``tee_map_zi`` maps zeroed pages
that ``tee_unmap`` takes back once; ``tee_uuid_from_str`` takes the
canonical 36-character form only; no supplicant plugin exists; the heap
hooks are OP-TEE's non-debug ones.  Tests of pytee's deliberate
differences, and of what OP-TEE enforces only since its PR 7747, are marked
``software_tee``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from pytee import (
    BadParameters,
    Context,
    NotSupported,
    Result,
    Session,
    TargetDead,
    TempIn,
    TempInOut,
    TempOut,
    ValueIn,
    ValueOut,
    Whole,
)

TA_DIR = Path(__file__).resolve().parent.parent / "csrc" / "ta" / "ext_test"
HEADER = TA_DIR / "include" / "ext_test_ta.h"

# ---- mirror of csrc/ta/ext_test/include/ext_test_ta.h (checked below)

TA_EXT_TEST_UUID = "5081dfbc-7482-496b-9145-432c92ca70fc"
TA_EXT_TEST_NOCACHE_UUID = "09d39b90-f551-4eed-bacb-9e5f6219de89"
TA_EXT_TEST_PLUGIN_UUID = "c8d9e5c1-e96a-400e-932c-f3918ad44cba"
TA_EXT_TEST_DATA_SIZE = 32 * 1024
TA_EXT_TEST_STACK_SIZE = 8 * 1024
TA_EXT_TEST_VERSION = "1.0"
TA_EXT_PAGE_SIZE = 4096
TA_EXT_MAX_MAPS = 8
TA_EXT_PRIVATE_SIZE = 256
TA_EXT_ZI_SIZE = 2 * TA_EXT_PAGE_SIZE
TA_EXT_CMD_CACHE = 0
TA_EXT_CACHE_CLEAN = 0
TA_EXT_CACHE_FLUSH = 1
TA_EXT_CACHE_INVALIDATE = 2
TA_EXT_WHERE_MEMREF = 0
TA_EXT_WHERE_NULL = 1
TA_EXT_WHERE_DATA = 2
TA_EXT_WHERE_HEAP = 3
TA_EXT_WHERE_STACK = 4
TA_EXT_WHERE_ZI = 5
TA_EXT_WHERE_ZI_SHARED = 6
TA_EXT_WHERE_ZI_UNMAPPED = 7
TA_EXT_CMD_MAP_ZI = 1
TA_EXT_NO_SLOT = 0xFFFFFFFF
TA_EXT_CMD_ZI_WRITE = 2
TA_EXT_CMD_ZI_READ = 3
TA_EXT_CMD_TOUCH = 4
TA_EXT_CMD_UNMAP = 5
TA_EXT_BASE_NULL = 0xFFFFFFFF
TA_EXT_BASE_DATA = 0xFFFFFFFE
TA_EXT_CMD_UUID_FROM_STR = 6
TA_EXT_UUID_NULL_STR = 0x1
TA_EXT_UUID_NULL_UUID = 0x2
TA_EXT_UUID_FILL = 0xA5
TA_EXT_CMD_SUPP_PLUGIN = 7
TA_EXT_PLUGIN_NULL_UUID = 0x1
TA_EXT_PLUGIN_NULL_BUF = 0x2
TA_EXT_PLUGIN_ZERO_LEN = 0x4
TA_EXT_PLUGIN_NULL_OUTLEN = 0x8
TA_EXT_OUTLEN_UNSET = 0xDEADBEEF
TA_EXT_CMD_HEAP_CHECK = 8

# GP and OP-TEE values the TA passes through.
ANY_OWNER = 0x4
CACHE_FUNCTIONS = (TA_EXT_CACHE_CLEAN, TA_EXT_CACHE_FLUSH, TA_EXT_CACHE_INVALIDATE)
PAGE = TA_EXT_PAGE_SIZE


# ---- client side of the TA


class Mapping(NamedTuple):
    """What MAP_ZI reports about a tee_map_zi call."""

    slot: int  # TA_EXT_NO_SLOT when tee_map_zi returned NULL
    misalignment: int  # address modulo the page size
    nonzero: int  # bytes of the mapping that are not zero
    access: int  # TEE_CheckMemoryAccessRights(READ | WRITE | ANY_OWNER)


class ExtTA:
    """The commands of the ext_test TA on an open session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def cache(
        self,
        where: int,
        offset: int = 0,
        length: int = 16,
        function: int = TA_EXT_CACHE_FLUSH,
        memref: bytearray | Whole | None = None,
    ) -> int:
        param: Whole | TempInOut = (
            memref
            if isinstance(memref, Whole)
            else TempInOut(bytearray(64) if memref is None else memref)
        )
        out = self.session.invoke(
            TA_EXT_CMD_CACHE,
            ValueIn(function, where),
            param,
            ValueIn(offset, length),
            ValueOut(),
        )
        return int(out[-1].a)

    def map_zi(self, length: int, flags: int = 0) -> Mapping:
        where, checks = self.session.invoke(
            TA_EXT_CMD_MAP_ZI,
            ValueIn(length & 0xFFFFFFFF, length >> 32),
            ValueIn(flags, 0),
            ValueOut(),
            ValueOut(),
        )
        return Mapping(where.a, where.b, checks.a, checks.b)

    def mapped(self, length: int, flags: int = 0) -> int:
        """The slot of a new mapping, checked to be zeroed, aligned and usable."""
        mapping = self.map_zi(length, flags)
        assert mapping == Mapping(mapping.slot, 0, 0, Result.SUCCESS)
        assert mapping.slot != TA_EXT_NO_SLOT
        return mapping.slot

    def write(self, slot: int, offset: int, data: bytes) -> None:
        self.session.invoke(TA_EXT_CMD_ZI_WRITE, ValueIn(slot, offset), TempIn(data))

    def read(self, slot: int, offset: int, size: int) -> bytes:
        (data,) = self.session.invoke(
            TA_EXT_CMD_ZI_READ, ValueIn(slot, offset), TempOut(size)
        )
        return bytes(data)

    def touch(self, slot: int, offset: int) -> int:
        (byte,) = self.session.invoke(
            TA_EXT_CMD_TOUCH, ValueIn(slot, offset), ValueOut()
        )
        return int(byte.a)

    def unmap(self, base: int, offset: int, length: int) -> tuple[int, int]:
        """(tee_unmap's result, the access check on the first byte after)."""
        (out,) = self.session.invoke(
            TA_EXT_CMD_UNMAP,
            ValueIn(base, offset),
            ValueIn(length & 0xFFFFFFFF, length >> 32),
            ValueOut(),
        )
        return out.a, out.b

    def uuid_from_str(self, text: bytes, flags: int = 0) -> tuple[int, bytes]:
        """(tee_uuid_from_str's result, the TEE_UUID afterwards as octets)."""
        octets, result = self.session.invoke(
            TA_EXT_CMD_UUID_FROM_STR,
            TempIn(text),
            ValueIn(flags, 0),
            TempOut(16),
            ValueOut(),
        )
        return result.a, bytes(octets)

    def supp_plugin(
        self, data: bytearray, flags: int = 0, cmd: int = 1, sub_cmd: int = 2
    ) -> tuple[int, int]:
        """(tee_invoke_supp_plugin's result, *outlen afterwards)."""
        _, result = self.session.invoke(
            TA_EXT_CMD_SUPP_PLUGIN,
            ValueIn(cmd, sub_cmd),
            TempInOut(data),
            ValueIn(flags, 0),
            ValueOut(),
        )
        return result.a, result.b


@pytest.fixture
def ta(context: Context) -> Iterator[ExtTA]:
    """A session of its own (one instance per session): its mappings and a
    crash stay with the test."""
    with context.open_session(TA_EXT_TEST_UUID) as session:
        yield ExtTA(session)


@pytest.fixture
def nocache(context: Context) -> Iterator[ExtTA]:
    with context.open_session(TA_EXT_TEST_NOCACHE_UUID) as session:
        yield ExtTA(session)


# ---- the header and the builds


def test_python_mirror_matches_the_header() -> None:
    defines = dict(
        re.findall(
            r"^#define\s+(TA_EXT_\w+)\s+(.+?)\s*(?:/\*.*)?$",
            re.sub(r"\\\n", " ", HEADER.read_text()),
            re.M,
        )
    )
    mirrored = {name for name in globals() if name.startswith("TA_EXT_")}
    assert mirrored == set(defines)
    for name, text in defines.items():
        if text.startswith("{"):
            fields = [int(x, 16) for x in re.findall(r"0x[0-9a-fA-F]+", text)]
            octets = fields[0].to_bytes(4, "big") + fields[1].to_bytes(2, "big")
            octets += fields[2].to_bytes(2, "big") + bytes(fields[3:])
            expected: object = str(uuid.UUID(bytes=octets))
        else:
            # our own header; a define may use an earlier one
            names = {n: globals()[n] for n in mirrored}
            expected = eval(text, {"__builtins__": {}, **names})
        assert globals()[name] == expected, name


@pytest.mark.parametrize(
    ("folder", "ta_uuid"),
    [(TA_DIR, TA_EXT_TEST_UUID), (TA_DIR / "nocache", TA_EXT_TEST_NOCACHE_UUID)],
)
def test_each_build_is_named_after_its_uuid(folder: Path, ta_uuid: str) -> None:
    found = re.search(r"^BINARY = (\S+)$", (folder / "Makefile").read_text(), re.M)
    assert found and found[1] == ta_uuid


def test_unknown_commands_and_wrong_parameters_are_refused(ta: ExtTA) -> None:
    with pytest.raises(NotSupported):
        ta.session.invoke(99)
    with pytest.raises(BadParameters):
        ta.session.invoke(TA_EXT_CMD_MAP_ZI, ValueIn(PAGE, 0))


# ---- TEE_CacheClean, TEE_CacheFlush, TEE_CacheInvalidate


@pytest.mark.parametrize("function", CACHE_FUNCTIONS)
def test_cache_maintenance_of_a_memref_succeeds_and_keeps_its_data(
    ta: ExtTA, function: int
) -> None:
    data = bytearray(range(200))
    for offset, length in [(0, 200), (10, 100), (199, 1), (0, 0), (50, 0)]:
        result = ta.cache(TA_EXT_WHERE_MEMREF, offset, length, function, data)
        assert result == Result.SUCCESS, (offset, length)
    assert data == bytearray(range(200))


def test_cache_maintenance_of_shared_memory_succeeds(
    ta: ExtTA, context: Context
) -> None:
    with context.allocate_shared_memory(3 * PAGE) as shm:
        for function in CACHE_FUNCTIONS:
            result = ta.cache(TA_EXT_WHERE_MEMREF, 0, 3 * PAGE, function, Whole(shm))
            assert result == Result.SUCCESS


@pytest.mark.parametrize("function", CACHE_FUNCTIONS)
def test_cache_maintenance_of_a_shareable_mapping_succeeds(
    ta: ExtTA, function: int
) -> None:
    for offset, length in [(0, TA_EXT_ZI_SIZE), (PAGE - 8, 16), (5, 0)]:
        result = ta.cache(TA_EXT_WHERE_ZI_SHARED, offset, length, function)
        assert result == Result.SUCCESS, (offset, length)


# OP-TEE refuses TA private memory only since its PR 7747 (until then its
# check looked at the wrong field and let any mapped range through).
@pytest.mark.software_tee
@pytest.mark.parametrize("function", CACHE_FUNCTIONS)
@pytest.mark.parametrize(
    "where",
    [TA_EXT_WHERE_DATA, TA_EXT_WHERE_HEAP, TA_EXT_WHERE_STACK, TA_EXT_WHERE_ZI],
)
def test_cache_maintenance_of_ta_private_memory_is_denied(
    ta: ExtTA, function: int, where: int
) -> None:
    for offset, length in [(0, TA_EXT_PRIVATE_SIZE), (8, 1)]:
        result = ta.cache(where, offset, length, function)
        assert result == Result.ACCESS_DENIED, (offset, length)


def test_an_empty_range_needs_only_a_mapped_address(ta: ExtTA) -> None:
    # Nothing is touched, so not even private memory is refused...
    for where in (TA_EXT_WHERE_DATA, TA_EXT_WHERE_HEAP, TA_EXT_WHERE_ZI):
        assert ta.cache(where, 0, 0) == Result.SUCCESS
    # ...but the address must be mapped.
    assert ta.cache(TA_EXT_WHERE_ZI_UNMAPPED, 0, 0) == Result.ACCESS_DENIED
    assert ta.cache(TA_EXT_WHERE_NULL, 0, 0) == Result.ACCESS_DENIED


@pytest.mark.parametrize("function", CACHE_FUNCTIONS)
def test_cache_maintenance_of_null_or_unmapped_memory_is_denied(
    ta: ExtTA, function: int
) -> None:
    assert ta.cache(TA_EXT_WHERE_NULL, 0, 16, function) == Result.ACCESS_DENIED
    for offset, length in [(0, TA_EXT_ZI_SIZE), (100, 1)]:
        result = ta.cache(TA_EXT_WHERE_ZI_UNMAPPED, offset, length, function)
        assert result == Result.ACCESS_DENIED


@pytest.mark.software_tee  # OP-TEE maps a memref in whole pages
def test_a_range_running_past_the_memref_is_denied(ta: ExtTA) -> None:
    data = bytearray(64)
    assert ta.cache(TA_EXT_WHERE_MEMREF, 56, 16, memref=data) == Result.ACCESS_DENIED


@pytest.mark.parametrize("function", CACHE_FUNCTIONS)
def test_cache_maintenance_needs_the_cache_maintenance_flag(
    nocache: ExtTA, function: int
) -> None:
    # The flag is checked first: whatever the range, not supported.
    for where in (TA_EXT_WHERE_MEMREF, TA_EXT_WHERE_NULL, TA_EXT_WHERE_DATA):
        assert nocache.cache(where, 0, 16, function) == Result.NOT_SUPPORTED
    # The TA is otherwise the same: its mappings work.
    nocache.mapped(PAGE)


# ---- tee_map_zi, tee_unmap


@pytest.mark.parametrize(
    "length", [1, 100, PAGE - 1, PAGE, PAGE + 1, 3 * PAGE + 5, 1 << 20]
)
@pytest.mark.parametrize("flags", [0, ANY_OWNER])
def test_map_zi_gives_zeroed_writable_pages(ta: ExtTA, length: int, flags: int) -> None:
    slot = ta.mapped(length, flags)
    pattern = bytes((7 * i + 1) & 0xFF or 1 for i in range(min(length, 3000)))
    ta.write(slot, 0, pattern)
    ta.write(slot, length - 1, b"\xee")
    assert ta.read(slot, 0, len(pattern) - 1) == pattern[:-1]
    assert ta.touch(slot, length - 1) == 0xEE
    assert ta.unmap(slot, 0, length) == (Result.SUCCESS, Result.ACCESS_DENIED)


def test_mappings_are_distinct_and_fresh(ta: ExtTA) -> None:
    first = ta.mapped(PAGE)
    second = ta.mapped(PAGE)
    ta.write(first, 0, b"\x11" * PAGE)
    ta.write(second, 0, b"\x22" * PAGE)
    assert ta.read(first, 0, PAGE) == b"\x11" * PAGE
    assert ta.read(second, 0, PAGE) == b"\x22" * PAGE
    assert ta.unmap(first, 0, PAGE)[0] == Result.SUCCESS
    # A new mapping is zeroed again, wherever it lands.
    third = ta.mapped(PAGE)
    assert ta.read(third, 0, PAGE) == bytes(PAGE)
    assert ta.read(second, 0, PAGE) == b"\x22" * PAGE


@pytest.mark.parametrize(
    "flags",
    [0x1, 0x2, 0x3, ANY_OWNER | 0x1, 0x8, 0x10000000, 0x20000000, 0xFFFFFFFF],
)
def test_map_zi_takes_no_flag_but_any_owner(ta: ExtTA, flags: int) -> None:
    assert ta.map_zi(PAGE, flags).slot == TA_EXT_NO_SLOT


def test_map_zi_refuses_a_length_beyond_32_bits(ta: ExtTA) -> None:
    for length in (1 << 32, (1 << 32) + PAGE, 1 << 40):
        assert ta.map_zi(length).slot == TA_EXT_NO_SLOT


@pytest.mark.software_tee  # what OP-TEE does depends on its configuration
def test_map_zi_of_nothing_is_null(ta: ExtTA) -> None:
    assert ta.map_zi(0).slot == TA_EXT_NO_SLOT


def test_a_second_unmap_fails(ta: ExtTA) -> None:
    slot = ta.mapped(2 * PAGE)
    assert ta.unmap(slot, 0, 2 * PAGE) == (Result.SUCCESS, Result.ACCESS_DENIED)
    assert ta.unmap(slot, 0, 2 * PAGE)[0] == Result.BAD_PARAMETERS
    assert ta.unmap(slot, PAGE, PAGE)[0] == Result.BAD_PARAMETERS


def test_touching_unmapped_memory_kills_the_instance(ta: ExtTA) -> None:
    slot = ta.mapped(PAGE)
    assert ta.touch(slot, 0) == 0
    assert ta.unmap(slot, 0, PAGE)[0] == Result.SUCCESS
    with pytest.raises(TargetDead):
        ta.touch(slot, 0)


def test_unmap_rounds_the_length_up_to_whole_pages(ta: ExtTA) -> None:
    slot = ta.mapped(2 * PAGE + 1)
    assert ta.unmap(slot, 0, 1)[0] == Result.SUCCESS  # the first page
    assert ta.touch(slot, PAGE) == 0
    assert ta.unmap(slot, PAGE, PAGE + 1)[0] == Result.SUCCESS  # the rest
    assert ta.unmap(slot, 2 * PAGE, 1)[0] == Result.BAD_PARAMETERS


def test_part_of_a_mapping_can_be_unmapped(ta: ExtTA) -> None:
    slot = ta.mapped(3 * PAGE)
    ta.write(slot, 0, b"\x01" * (3 * PAGE))
    assert ta.unmap(slot, PAGE, PAGE) == (Result.SUCCESS, Result.ACCESS_DENIED)
    assert ta.read(slot, 0, PAGE) == b"\x01" * PAGE
    assert ta.read(slot, 2 * PAGE, PAGE) == b"\x01" * PAGE
    # The hole splits the mapping: a range across it is not wholly mapped.
    assert ta.unmap(slot, 0, 3 * PAGE)[0] == Result.BAD_PARAMETERS
    assert ta.unmap(slot, 0, PAGE)[0] == Result.SUCCESS
    assert ta.unmap(slot, 2 * PAGE, PAGE)[0] == Result.SUCCESS


@pytest.mark.parametrize(
    ("offset", "length"),
    [
        (1, PAGE),  # not page aligned
        (PAGE - 1, 1),
        (0, 0),  # nothing
        (0, 3 * PAGE),  # more than is mapped
        (0, 0xFFFFFFFF),
        (0, 1 << 32),  # 0 for OP-TEE, which passes 32 bits
        (0, (1 << 64) - 1),
    ],
)
def test_unmap_refuses_a_range_not_wholly_mapped(
    ta: ExtTA, offset: int, length: int
) -> None:
    slot = ta.mapped(2 * PAGE)
    ta.write(slot, 0, b"\x5a")
    assert ta.unmap(slot, offset, length)[0] == Result.BAD_PARAMETERS
    # The mapping is untouched.
    assert ta.touch(slot, 0) == 0x5A
    assert ta.touch(slot, 2 * PAGE - 1) == 0
    assert ta.unmap(slot, 0, 2 * PAGE)[0] == Result.SUCCESS


def test_unmap_of_null_fails(ta: ExtTA) -> None:
    assert ta.unmap(TA_EXT_BASE_NULL, 0, PAGE)[0] == Result.BAD_PARAMETERS


@pytest.mark.software_tee  # OP-TEE lets a TA unmap its own data (and die)
def test_unmap_refuses_memory_map_zi_did_not_map(ta: ExtTA) -> None:
    assert ta.unmap(TA_EXT_BASE_DATA, 0, PAGE) == (
        Result.BAD_PARAMETERS,
        Result.SUCCESS,
    )


# ---- tee_uuid_from_str

UNTOUCHED = bytes([TA_EXT_UUID_FILL]) * 16


@pytest.mark.parametrize(
    "text",
    [
        "00000000-0000-0000-0000-000000000000",
        "ffffffff-ffff-ffff-ffff-ffffffffffff",
        "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
        "5081dfbc-7482-496b-9145-432c92ca70fc",
        "5081DFBC-7482-496B-9145-432C92CA70FC",
        "5081dFbC-7482-496b-9145-432C92cA70fC",
        "01234567-89ab-cdef-0123-456789ABCDEF",
    ],
)
def test_uuid_from_str_parses_the_canonical_form(ta: ExtTA, text: str) -> None:
    assert ta.uuid_from_str(text.encode()) == (Result.SUCCESS, uuid.UUID(text).bytes)


def test_uuid_from_str_parses_random_uuids(ta: ExtTA) -> None:
    for _ in range(50):
        value = uuid.uuid4()
        assert ta.uuid_from_str(str(value).encode()) == (Result.SUCCESS, value.bytes)


def test_uuid_from_str_reads_up_to_the_nul(ta: ExtTA) -> None:
    text = TA_EXT_TEST_UUID.encode()
    expected = (Result.SUCCESS, uuid.UUID(TA_EXT_TEST_UUID).bytes)
    assert ta.uuid_from_str(text + b"\0trailing") == expected


GOOD = TA_EXT_TEST_UUID


@pytest.mark.parametrize(
    "text",
    [
        b"",
        GOOD[:-1].encode(),  # 35 characters
        (GOOD + "0").encode(),  # 37
        (GOOD + " ").encode(),
        (" " + GOOD[:-1]).encode(),
        ("{" + GOOD + "}").encode(),
        ("urn:uuid:" + GOOD).encode(),
        GOOD.replace("-", "").encode(),  # 32 digits
        GOOD.replace("-", "").ljust(36, "0").encode(),  # 36 digits, no dash
        (GOOD[:8] + GOOD[9] + "-" + GOOD[10:]).encode(),  # dash moved
        GOOD.replace("-", ":").encode(),
        GOOD.replace("c", "g").encode(),
        GOOD.replace("7482", "+482").encode(),
        GOOD.replace("9145", "91 5").encode(),
        GOOD.replace("432c", "432\xff").encode("latin-1"),
        (GOOD[:10] + "\0" + GOOD[11:]).encode(),  # NUL inside
    ],
)
def test_uuid_from_str_rejects_other_forms_and_leaves_the_uuid(
    ta: ExtTA, text: bytes
) -> None:
    assert ta.uuid_from_str(text) == (Result.BAD_FORMAT, UNTOUCHED)


def test_uuid_from_str_of_null_is_a_bad_format(ta: ExtTA) -> None:
    result = ta.uuid_from_str(GOOD.encode(), TA_EXT_UUID_NULL_STR)
    assert result == (Result.BAD_FORMAT, UNTOUCHED)
    both = TA_EXT_UUID_NULL_STR | TA_EXT_UUID_NULL_UUID
    assert ta.uuid_from_str(GOOD.encode(), both)[0] == Result.BAD_FORMAT
    # A bad text is refused before the uuid is looked at...
    assert ta.uuid_from_str(b"nope", TA_EXT_UUID_NULL_UUID)[0] == Result.BAD_FORMAT


def test_uuid_from_str_into_null_kills_the_instance(ta: ExtTA) -> None:
    # ...a good one is written through it (OP-TEE's TA faults; pytee panics).
    with pytest.raises(TargetDead):
        ta.uuid_from_str(GOOD.encode(), TA_EXT_UUID_NULL_UUID)


# ---- tee_invoke_supp_plugin


def test_no_supplicant_plugin_is_found(ta: ExtTA) -> None:
    data = bytearray(b"request")
    for cmd, sub_cmd in [(0, 0), (1, 2), (0xFFFFFFFF, 0xFFFFFFFF)]:
        assert ta.supp_plugin(data, cmd=cmd, sub_cmd=sub_cmd) == (
            Result.ITEM_NOT_FOUND,
            0,
        )
    assert data == bytearray(b"request")
    # Without a buffer at all the request is well formed too.
    flags = TA_EXT_PLUGIN_NULL_BUF | TA_EXT_PLUGIN_ZERO_LEN
    assert ta.supp_plugin(data, flags) == (Result.ITEM_NOT_FOUND, 0)
    # outlen may be NULL.
    result = ta.supp_plugin(data, TA_EXT_PLUGIN_NULL_OUTLEN)
    assert result == (Result.ITEM_NOT_FOUND, TA_EXT_OUTLEN_UNSET)


@pytest.mark.parametrize(
    "flags",
    [
        TA_EXT_PLUGIN_NULL_UUID,
        TA_EXT_PLUGIN_NULL_UUID | TA_EXT_PLUGIN_NULL_BUF | TA_EXT_PLUGIN_ZERO_LEN,
        TA_EXT_PLUGIN_NULL_BUF,  # a length without a buffer
        TA_EXT_PLUGIN_ZERO_LEN,  # a buffer without a length
    ],
)
def test_supp_plugin_checks_its_arguments_first(ta: ExtTA, flags: int) -> None:
    result = ta.supp_plugin(bytearray(b"request"), flags)
    assert result == (Result.BAD_PARAMETERS, TA_EXT_OUTLEN_UNSET)


# ---- tee_user_mem_mark_heap, tee_user_mem_check_heap


def test_heap_check_reports_nothing_as_without_heap_debugging(ta: ExtTA) -> None:
    for size in (0, 1, 1000):
        (out,) = ta.session.invoke(TA_EXT_CMD_HEAP_CHECK, ValueIn(size, 0), ValueOut())
        assert (out.a, out.b) == (0, 1)
