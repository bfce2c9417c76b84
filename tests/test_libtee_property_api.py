"""libtee: typed property getters, property enumerators, GP 1.1 object calls.

The test TA's PROPERTY_TYPED command reads one property with one of
TEE_GetPropertyAsBool, ..U32, ..U64, ..UUID, ..Identity and ..BinaryBlock
and returns the raw value; PROPERTY_ENUMERATE walks a property set with
TEE_AllocatePropertyEnumerator, TEE_StartPropertyEnumerator,
TEE_GetPropertyName, TEE_GetPropertyAsString, TEE_GetNextProperty,
TEE_ResetPropertyEnumerator and TEE_FreePropertyEnumerator; OBJECT_GP11
drives the deprecated TEE_GetObjectInfo, TEE_RestrictObjectUsage and
TEE_CopyObjectAttributes on an AES key (csrc/ta/test/include/test_ta.h
documents the three).

The getters behave as OP-TEE's: each accepts only a property of its own type
and answers any other with TEE_ERROR_BAD_FORMAT, except that a U32 property
is a valid U64 and a U64 one a valid U32 when its value fits.  The TA
properties of each type come from the keep-alive build of the test TA.
"""

from __future__ import annotations

import base64
import struct
import uuid
from collections.abc import Iterator
from typing import NamedTuple

import pytest
from crypto_ta import TEE
from tee_helpers import LogTail, ta_log

from pytee import (
    BadFormat,
    Context,
    ItemNotFound,
    Origin,
    Session,
    ShortBuffer,
    TargetDead,
    TempIn,
    TempOut,
    ValueIn,
    ValueOut,
)

import test_ta_ids as ids
from conftest import TestTA

TA = ids.TA_TEST_PROPSET_CURRENT_TA
CLIENT = ids.TA_TEST_PROPSET_CLIENT
TEE_SET = ids.TA_TEST_PROPSET_IMPLEMENTATION
SETS = {"ta": TA, "client": CLIENT, "tee": TEE_SET}

BOOL = ids.TA_TEST_BOOL_GETTER
U32 = ids.TA_TEST_U32_GETTER
U64 = ids.TA_TEST_U64_GETTER
UUID = ids.TA_TEST_UUID_GETTER
IDENTITY = ids.TA_TEST_IDENTITY_GETTER
BINARY = ids.TA_TEST_BINARY_GETTER
STRING = -1  # no typed getter: only TEE_GetPropertyAsString reads it
GETTERS = {
    "bool": BOOL,
    "u32": U32,
    "u64": U64,
    "uuid": UUID,
    "identity": IDENTITY,
    "binary": BINARY,
}

ITEM_NOT_FOUND = 0xFFFF0008
USAGE_DEFAULT = 0xFFFFFFFF  # TEE_USAGE_DEFAULT: every usage
BLOB = base64.b64decode(ids.TA_TEST_PROP_BLOB_VALUE)

# The properties of the keep-alive build's TA set, in table order: the
# dev kit's gpd.ta.* properties, then TA_CURRENT_TA_EXT_PROPERTIES.
KEEPALIVE_EXT = [
    ("pytee.test.name", STRING),
    ("pytee.test.answer", U32),
    ("pytee.test.u64", U64),
    ("pytee.test.u64.max32", U64),
    ("pytee.test.uuid", UUID),
    ("pytee.test.blob", BINARY),
]
TA_PROPERTIES = [
    ("gpd.ta.appID", UUID),
    ("gpd.ta.singleInstance", BOOL),
    ("gpd.ta.multiSession", BOOL),
    ("gpd.ta.instanceKeepAlive", BOOL),
    ("gpd.ta.instanceKeepCrashed", BOOL),
    ("gpd.ta.dataSize", U32),
    ("gpd.ta.stackSize", U32),
    ("gpd.ta.version", STRING),
    ("gpd.ta.description", STRING),
    ("gpd.ta.endian", U32),
    ("gpd.ta.doesNotCloseHandleOnCorruptObject", BOOL),
    *KEEPALIVE_EXT,
]
SOFTWARE_ONLY = {"gpd.ta.instanceKeepCrashed"}
CLIENT_PROPERTIES = [
    ("gpd.client.identity", IDENTITY),
    ("gpd.client.endian", U32),
]
# OP-TEE's names, types and order (libutee's two first, then the core's).
TEE_PROPERTIES = [
    ("gpd.tee.arith.maxBigIntSize", U32),
    ("gpd.tee.internalCore.version", U32),
    ("gpd.tee.apiversion", STRING),
    ("gpd.tee.description", STRING),
    ("gpd.tee.deviceID", UUID),
    ("gpd.tee.systemTime.protectionLevel", U32),
    ("gpd.tee.TAPersistentTime.protectionLevel", U32),
    ("gpd.tee.cryptography.ecc", BOOL),
    ("gpd.tee.trustedStorage.antiRollback.protectionLevel", U32),
    ("gpd.tee.trustedos.implementation.version", STRING),
    ("gpd.tee.trustedos.implementation.binaryversion", U32),
    ("gpd.tee.trustedos.manufacturer", STRING),
    ("gpd.tee.firmware.implementation.version", STRING),
    ("gpd.tee.firmware.implementation.binaryversion", U32),
    ("gpd.tee.firmware.manufacturer", STRING),
]
PROPERTIES = {"ta": TA_PROPERTIES, "client": CLIENT_PROPERTIES, "tee": TEE_PROPERTIES}

# What GP v1.3.1 (4.5 to 4.7) says every TEE has, whatever else it lists.
REQUIRED = {
    "ta": {
        "gpd.ta.appID",
        "gpd.ta.singleInstance",
        "gpd.ta.multiSession",
        "gpd.ta.instanceKeepAlive",
        "gpd.ta.dataSize",
        "gpd.ta.stackSize",
    },
    "client": {"gpd.client.identity"},
    "tee": {
        "gpd.tee.apiversion",
        "gpd.tee.internalCore.version",
        "gpd.tee.description",
        "gpd.tee.deviceID",
        "gpd.tee.systemTime.protectionLevel",
        "gpd.tee.TAPersistentTime.protectionLevel",
        "gpd.tee.arith.maxBigIntSize",
        "gpd.tee.cryptography.ecc",
        "gpd.tee.trustedStorage.antiRollback.protectionLevel",
        "gpd.tee.trustedos.implementation.version",
        "gpd.tee.trustedos.implementation.binaryversion",
        "gpd.tee.trustedos.manufacturer",
        "gpd.tee.firmware.implementation.version",
        "gpd.tee.firmware.implementation.binaryversion",
        "gpd.tee.firmware.manufacturer",
    },
}


@pytest.fixture(scope="module")
def keepalive(test_ta: TestTA) -> Iterator[Session]:
    """A session to the build whose TA set has a property of each type."""
    with (
        Context() as context,
        context.open_session(test_ta.keepalive) as session,
    ):
        yield session


def typed(session: Session, propset: int, getter: int, name: str) -> bytes:
    (raw,) = session.invoke(
        ids.TA_TEST_CMD_PROPERTY_TYPED,
        ValueIn(propset, getter),
        TempIn(name.encode()),
        TempOut(64),
    )
    return bytes(raw)


def as_string(session: Session, propset: int, name: str) -> str:
    (raw,) = session.invoke_sized(
        ids.TA_TEST_CMD_GET_PROPERTY,
        ValueIn(propset),
        TempIn(name.encode()),
        TempOut(64),
    )
    assert raw.endswith(b"\0"), raw
    return str(raw[:-1].decode())


def string_form(getter: int, raw: bytes) -> str:
    """What TEE_GetPropertyAsString makes of the value a typed getter gave."""
    if getter == BOOL:
        assert raw in (b"\0", b"\1"), raw
        return "true" if raw == b"\1" else "false"
    if getter in (U32, U64):
        assert len(raw) == (4 if getter == U32 else 8), raw
        return str(int.from_bytes(raw, "little"))
    if getter == UUID:
        return str(uuid.UUID(bytes=raw))
    if getter == IDENTITY:
        assert len(raw) == 20, raw
        return "%d:%s" % (int.from_bytes(raw[:4], "little"), uuid.UUID(bytes=raw[4:]))
    return base64.b64encode(raw).decode()


class Enumeration(NamedTuple):
    lines: list[tuple[str, str]]  # (name, value as a string), in order
    fresh: int  # TEE_GetPropertyName on a just-allocated enumerator
    after_reset: int  # ... on one started, then reset
    first_again: bytes  # the name after the reset and a new start


def enumerate_set(session: Session, propset: int) -> Enumeration:
    text, names, first = session.invoke_sized(
        ids.TA_TEST_CMD_PROPERTY_ENUMERATE,
        ValueIn(propset),
        TempOut(64),
        ValueOut(),
        TempOut(8),
    )
    decoded = bytes(text).decode()
    assert decoded.endswith("\n"), decoded
    lines = []
    for line in decoded[:-1].split("\n"):
        name, sep, value = line.partition("=")
        assert sep, line
        lines.append((name, value))
    return Enumeration(lines, names.a, names.b, bytes(first))


# ---------------------------------------------------------------- getters


def _accepts(kind: int, getter: int, value: str) -> bool:
    if kind == getter:
        return True
    # U32 and U64 convert into each other when the value fits.
    if {kind, getter} == {U32, U64}:
        return int(value) <= 0xFFFFFFFF
    return False


@pytest.mark.parametrize(
    "propset, name, kind",
    [
        pytest.param(
            SETS[key],
            name,
            kind,
            id=name,
            # a pytee property, as in test_libtee_properties.py
            marks=[pytest.mark.software_tee] if name in SOFTWARE_ONLY else [],
        )
        for key, props in PROPERTIES.items()
        for name, kind in props
    ],
)
def test_each_getter_reads_its_own_type_and_refuses_others(
    keepalive: Session, propset: int, name: str, kind: int
) -> None:
    value = as_string(keepalive, propset, name)
    for label, getter in GETTERS.items():
        if _accepts(kind, getter, value):
            raw = typed(keepalive, propset, getter, name)
            assert string_form(getter, raw) == value, label
        else:
            with pytest.raises(BadFormat) as info:
                typed(keepalive, propset, getter, name)
            assert info.value.code == 0xFFFF0005, label
            assert info.value.origin == Origin.TRUSTED_APP, label


def test_bool_getter_reads_the_instance_flags(
    keepalive: Session, session: Session
) -> None:
    assert typed(keepalive, TA, BOOL, "gpd.ta.singleInstance") == b"\1"
    assert typed(keepalive, TA, BOOL, "gpd.ta.instanceKeepAlive") == b"\1"
    assert typed(session, TA, BOOL, "gpd.ta.singleInstance") == b"\0"


def test_u32_getter_reads_the_ta_sizes(keepalive: Session) -> None:
    raw = typed(keepalive, TA, U32, "gpd.ta.dataSize")
    assert raw == ids.TA_TEST_DATA_SIZE.to_bytes(4, "little")
    raw = typed(keepalive, TA, U32, "pytee.test.answer")
    assert raw == ids.TA_TEST_PROP_ANSWER_VALUE.to_bytes(4, "little")


def test_u64_getter_reads_all_eight_bytes(keepalive: Session) -> None:
    raw = typed(keepalive, TA, U64, "pytee.test.u64")
    assert raw == ids.TA_TEST_PROP_U64_VALUE.to_bytes(8, "little")


def test_u64_getter_takes_a_u32_property(keepalive: Session) -> None:
    raw = typed(keepalive, TA, U64, "pytee.test.answer")
    assert raw == ids.TA_TEST_PROP_ANSWER_VALUE.to_bytes(8, "little")


def test_u32_getter_takes_a_u64_property_only_when_it_fits(
    keepalive: Session,
) -> None:
    raw = typed(keepalive, TA, U32, "pytee.test.u64.max32")
    assert raw == ids.TA_TEST_PROP_U64_MAX32_VALUE.to_bytes(4, "little")
    with pytest.raises(BadFormat):
        typed(keepalive, TA, U32, "pytee.test.u64")


def test_uuid_getter_reads_the_app_id_and_a_uuid_property(
    keepalive: Session, test_ta: TestTA
) -> None:
    raw = typed(keepalive, TA, UUID, "gpd.ta.appID")
    assert uuid.UUID(bytes=raw) == uuid.UUID(test_ta.keepalive)
    raw = typed(keepalive, TA, UUID, "pytee.test.uuid")
    assert uuid.UUID(bytes=raw) == uuid.UUID(ids.TA_TEST_PROP_UUID_VALUE)


def test_uuid_getter_reads_the_device_id(keepalive: Session) -> None:
    raw = typed(keepalive, TEE_SET, UUID, "gpd.tee.deviceID")
    assert str(uuid.UUID(bytes=raw)) == as_string(
        keepalive, TEE_SET, "gpd.tee.deviceID"
    )


def test_identity_getter_reads_the_public_client(keepalive: Session) -> None:
    raw = typed(keepalive, CLIENT, IDENTITY, "gpd.client.identity")
    assert raw == bytes(4) + uuid.UUID(int=0).bytes


def test_binary_block_getter_decodes_the_base64_text(keepalive: Session) -> None:
    assert typed(keepalive, TA, BINARY, "pytee.test.blob") == BLOB
    assert len(BLOB) == 10  # so that the text ends in padding


def test_binary_block_string_form_is_its_padded_base64(keepalive: Session) -> None:
    text = as_string(keepalive, TA, "pytee.test.blob")
    assert text == ids.TA_TEST_PROP_BLOB_VALUE


@pytest.mark.parametrize("size", [None, 1, len(BLOB) - 1])
def test_binary_block_short_buffer_reports_the_size_needed(
    keepalive: Session, size: int | None
) -> None:
    with pytest.raises(ShortBuffer) as info:
        keepalive.invoke(
            ids.TA_TEST_CMD_PROPERTY_TYPED,
            ValueIn(TA, BINARY),
            TempIn(b"pytee.test.blob"),
            TempOut(size),
        )
    assert info.value.origin == Origin.TRUSTED_APP
    assert info.value.required_size == len(BLOB)


def test_binary_block_fits_an_exact_buffer(keepalive: Session) -> None:
    (raw,) = keepalive.invoke(
        ids.TA_TEST_CMD_PROPERTY_TYPED,
        ValueIn(TA, BINARY),
        TempIn(b"pytee.test.blob"),
        TempOut(len(BLOB)),
    )
    assert bytes(raw) == BLOB


@pytest.mark.parametrize("getter", sorted(GETTERS.values()), ids=sorted(GETTERS))
@pytest.mark.parametrize("propset", list(SETS.values()), ids=list(SETS))
def test_typed_getters_pass_item_not_found(
    keepalive: Session, propset: int, getter: int
) -> None:
    with pytest.raises(ItemNotFound) as info:
        typed(keepalive, propset, getter, "pytee.no.such.property")
    assert info.value.origin == Origin.TRUSTED_APP


def test_a_property_of_another_set_is_not_found_by_typed_getters(
    keepalive: Session,
) -> None:
    with pytest.raises(ItemNotFound):
        typed(keepalive, TEE_SET, UUID, "gpd.ta.appID")
    with pytest.raises(ItemNotFound):
        typed(keepalive, TA, IDENTITY, "gpd.client.identity")


# ------------------------------------------------------------ enumerators


@pytest.mark.parametrize("propset", list(SETS.values()), ids=list(SETS))
def test_enumeration_gives_the_values_lookup_by_name_gives(
    keepalive: Session, propset: int
) -> None:
    lines = enumerate_set(keepalive, propset).lines
    names = [name for name, _ in lines]
    assert len(set(names)) == len(names), names
    for name, value in lines:
        assert as_string(keepalive, propset, name) == value, name


def test_enumeration_and_lookup_agree_on_which_names_exist(
    keepalive: Session,
) -> None:
    listed = {
        key: {name for name, _ in enumerate_set(keepalive, propset).lines}
        for key, propset in SETS.items()
    }
    candidates = set().union(*listed.values()) | {
        name for props in PROPERTIES.values() for name, _ in props
    }
    candidates |= {"gpd.ta.no.such", "gpd.tee", "", "pytee.test"}
    for key, propset in SETS.items():
        found = set()
        for name in sorted(candidates):
            try:
                as_string(keepalive, propset, name)
            except ItemNotFound:
                continue
            found.add(name)
        assert found == listed[key], key


@pytest.mark.parametrize("key", sorted(SETS))
def test_enumeration_lists_what_gp_requires(keepalive: Session, key: str) -> None:
    names = {name for name, _ in enumerate_set(keepalive, SETS[key]).lines}
    assert REQUIRED[key] <= names


def test_enumeration_of_the_ta_set_has_its_own_values(
    keepalive: Session, test_ta: TestTA
) -> None:
    lines = dict(enumerate_set(keepalive, TA).lines)
    assert lines["gpd.ta.appID"] == test_ta.keepalive
    assert lines["pytee.test.name"] == ids.TA_TEST_PROP_NAME_VALUE
    assert lines["pytee.test.u64"] == str(ids.TA_TEST_PROP_U64_VALUE)
    assert lines["pytee.test.uuid"] == ids.TA_TEST_PROP_UUID_VALUE
    assert lines["pytee.test.blob"] == ids.TA_TEST_PROP_BLOB_VALUE


def test_enumeration_of_another_build_lacks_the_extensions(session: Session) -> None:
    names = [name for name, _ in enumerate_set(session, TA).lines]
    assert "gpd.ta.appID" in names
    assert not [name for name in names if name.startswith("pytee.")]


@pytest.mark.software_tee
@pytest.mark.parametrize("key", sorted(SETS))
def test_enumeration_order_is_the_table_order(keepalive: Session, key: str) -> None:
    names = [name for name, _ in enumerate_set(keepalive, SETS[key]).lines]
    assert names == [name for name, _ in PROPERTIES[key]]


@pytest.mark.parametrize("propset", list(SETS.values()), ids=list(SETS))
def test_a_fresh_or_reset_enumerator_has_no_current_property(
    keepalive: Session, propset: int
) -> None:
    seen = enumerate_set(keepalive, propset)
    assert seen.fresh == ITEM_NOT_FOUND
    assert seen.after_reset == ITEM_NOT_FOUND
    # Started again after the reset, it is back at the first property.
    assert seen.first_again == seen.lines[0][0].encode() + b"\0"


def test_enumeration_reports_the_sizes_it_needs(keepalive: Session) -> None:
    full = enumerate_set(keepalive, TA)
    text = "".join("%s=%s\n" % line for line in full.lines).encode()
    with pytest.raises(ShortBuffer) as info:
        keepalive.invoke(
            ids.TA_TEST_CMD_PROPERTY_ENUMERATE,
            ValueIn(TA),
            TempOut(len(text) - 1),
            ValueOut(),
            TempOut(1),
        )
    assert info.value.origin == Origin.TRUSTED_APP
    assert info.value.sizes[1] == len(text)
    assert info.value.sizes[3] == len(full.first_again)
    out, _, first = keepalive.invoke(
        ids.TA_TEST_CMD_PROPERTY_ENUMERATE,
        ValueIn(TA),
        TempOut(len(text)),
        ValueOut(),
        TempOut(len(full.first_again)),
    )
    assert bytes(out) == text
    assert bytes(first) == full.first_again


def test_freed_enumerators_give_their_memory_back(session: Session) -> None:
    # An enumerator takes 48 bytes of the 32 KiB TA heap here: without
    # TEE_FreePropertyEnumerator, 1000 of them would not fit.
    (before,) = session.invoke(ids.TA_TEST_CMD_HEAP_EXHAUST, ValueOut())
    for _ in range(1000):
        enumerate_set(session, CLIENT)
    (after,) = session.invoke(ids.TA_TEST_CMD_HEAP_EXHAUST, ValueOut())
    assert after.a == before.a


# ------------------------------------------------ GP 1.1 object functions


class Info(NamedTuple):
    obj_type: int
    size: int
    max_size: int
    usage: int
    data_size: int
    data_position: int
    flags: int


def gp11(
    session: Session, key: bytes, first: int, second: int
) -> tuple[list[Info], bytes]:
    """(TEE_ObjectInfo of the source fresh, populated, restricted, and of the
    copy; the copy's secret value)."""
    raw, secret = session.invoke(
        ids.TA_TEST_CMD_OBJECT_GP11,
        TempIn(key),
        ValueIn(first, second),
        TempOut(ids.TA_TEST_GP11_INFO_SIZE),
        TempOut(64),
    )
    words = struct.unpack(
        "<%dI" % (ids.TA_TEST_GP11_INFO_COUNT * ids.TA_TEST_GP11_INFO_WORDS), raw
    )
    step = ids.TA_TEST_GP11_INFO_WORDS
    infos = [Info(*words[i : i + step]) for i in range(0, len(words), step)]
    return infos, bytes(secret)


KEYS = [bytes(range(n)) for n in (16, 24, 32)]
KEEP = TEE.USAGE_EXTRACTABLE | TEE.USAGE_ENCRYPT | TEE.USAGE_DECRYPT


@pytest.mark.parametrize("key", KEYS, ids=lambda key: "aes%d" % (8 * len(key)))
def test_get_object_info_describes_a_transient_key(
    session: Session, key: bytes
) -> None:
    infos, _ = gp11(session, key, USAGE_DEFAULT, USAGE_DEFAULT)
    fresh, populated = infos[0], infos[1]
    # Allocated: no key yet, every usage, no flag.
    assert fresh == Info(TEE.TYPE_AES, 0, 256, USAGE_DEFAULT, 0, 0, 0)
    assert populated == Info(
        TEE.TYPE_AES,
        8 * len(key),
        256,
        USAGE_DEFAULT,
        0,
        0,
        TEE.HANDLE_FLAG_INITIALIZED,
    )


def test_restrict_object_usage_only_ever_removes_bits(session: Session) -> None:
    second = TEE.USAGE_EXTRACTABLE | TEE.USAGE_DECRYPT | TEE.USAGE_MAC
    infos, _ = gp11(session, KEYS[0], KEEP, second)
    populated, restricted = infos[1], infos[2]
    # MAC, dropped by the first call, does not come back with the second.
    assert restricted.usage == TEE.USAGE_EXTRACTABLE | TEE.USAGE_DECRYPT
    assert restricted._replace(usage=populated.usage) == populated


@pytest.mark.parametrize("key", KEYS, ids=lambda key: "aes%d" % (8 * len(key)))
def test_copy_object_attributes_copies_the_key_its_size_and_usage(
    session: Session, key: bytes
) -> None:
    infos, secret = gp11(session, key, KEEP, USAGE_DEFAULT)
    restricted, copy = infos[2], infos[3]
    assert restricted.usage == KEEP
    # The copy keeps its own maximum size.
    assert copy == Info(
        TEE.TYPE_AES, 8 * len(key), 256, KEEP, 0, 0, TEE.HANDLE_FLAG_INITIALIZED
    )
    assert secret == key


def _copy_without_extractable(context: Context, ta: TestTA) -> TargetDead:
    usage = TEE.USAGE_ENCRYPT | TEE.USAGE_DECRYPT
    with (
        context.open_session(ta.uuid) as session,
        pytest.raises(TargetDead) as info,
    ):
        gp11(session, KEYS[0], usage, USAGE_DEFAULT)
    return info.value


def test_a_restricted_copy_does_not_give_its_secret_away(
    context: Context, test_ta: TestTA
) -> None:
    # GP: reading a secret attribute of an object without
    # TEE_USAGE_EXTRACTABLE panics the TA.
    error = _copy_without_extractable(context, test_ta)
    assert error.origin == Origin.TEE


@pytest.mark.software_tee
def test_the_refused_secret_read_panics_with_bad_parameters(
    context: Context, test_ta: TestTA
) -> None:
    tail = LogTail(ta_log(test_ta.uuid))
    _copy_without_extractable(context, test_ta)
    assert tail.wait_for(r"TA panicked with code 0xffff0006")
