"""libtee: the property API (TEE_GetPropertyAsString over the three sets).

GET_PROPERTY returns a property as the string TEE_GetPropertyAsString
makes of it: booleans as "true"/"false", integers in decimal, UUIDs as
lowercase text, identities as "<login>:<uuid>".  Values that describe pytee
itself (and its device-id file) carry the software_tee marker; the rest
holds on OP-TEE too.
"""

from __future__ import annotations

import os
import uuid

import pytest
from tee_helpers import data_dir

import pytee
from pytee import (
    Context,
    ItemNotFound,
    Login,
    Origin,
    Session,
    ShortBuffer,
    TempIn,
    TempOut,
    ValueIn,
)

import test_ta_ids as ids
from conftest import TestTA

TA = ids.TA_TEST_PROPSET_CURRENT_TA
CLIENT = ids.TA_TEST_PROPSET_CLIENT
TEE = ids.TA_TEST_PROPSET_IMPLEMENTATION
NAMESPACE = uuid.UUID("58ac9ca0-2086-4683-a1b8-ec4bc08e01b6")


def get(session: Session, propset: int, name: str, size: int = 256) -> str:
    (raw,) = session.invoke(
        ids.TA_TEST_CMD_GET_PROPERTY,
        ValueIn(propset),
        TempIn(name.encode()),
        TempOut(size),
    )
    assert raw.endswith(b"\0"), raw
    assert b"\0" not in raw[:-1], raw
    return str(raw[:-1].decode())


# (build, single, multi, keep-alive, version, description) of each build
BUILDS = {
    "test": (
        "test",
        "false",
        "false",
        "false",
        ids.TA_TEST_VERSION,
        "pytee test TA (one instance per session)",
    ),
    "single": (
        "single",
        "true",
        "false",
        "false",
        "Undefined version",
        "pytee test TA (single instance, single session)",
    ),
    "multi": (
        "multi",
        "true",
        "true",
        "false",
        ids.TA_TEST_VERSION,
        "pytee test TA (single instance, multi-session)",
    ),
    "keepalive": (
        "keepalive",
        "true",
        "true",
        "true",
        ids.TA_TEST_VERSION,
        "pytee test TA (single instance, multi-session, keep-alive)",
    ),
}


@pytest.mark.parametrize("build", sorted(BUILDS))
def test_ta_properties_come_from_the_header_defines(
    context: Context, test_ta: TestTA, build: str
) -> None:
    name, single, multi, keep, version, description = BUILDS[build]
    ta_uuid = test_ta.build(name)
    with context.open_session(ta_uuid) as session:
        assert get(session, TA, "gpd.ta.appID") == ta_uuid
        assert get(session, TA, "gpd.ta.singleInstance") == single
        assert get(session, TA, "gpd.ta.multiSession") == multi
        assert get(session, TA, "gpd.ta.instanceKeepAlive") == keep
        assert get(session, TA, "gpd.ta.dataSize") == str(ids.TA_TEST_DATA_SIZE)
        assert get(session, TA, "gpd.ta.stackSize") == str(ids.TA_TEST_STACK_SIZE)
        assert get(session, TA, "gpd.ta.version") == version
        assert get(session, TA, "gpd.ta.description") == description
        assert get(session, TA, "gpd.ta.endian") == "0"
        assert get(session, TA, "gpd.ta.doesNotCloseHandleOnCorruptObject") == "false"


@pytest.mark.software_tee
@pytest.mark.parametrize("build", sorted(BUILDS))
def test_instance_keep_crashed_property_is_false(
    context: Context, test_ta: TestTA, build: str
) -> None:
    with context.open_session(test_ta.build(BUILDS[build][0])) as session:
        assert get(session, TA, "gpd.ta.instanceKeepCrashed") == "false"


def test_extension_properties_of_the_keep_alive_build(
    context: Context, test_ta: TestTA
) -> None:
    with context.open_session(test_ta.keepalive) as session:
        assert get(session, TA, "pytee.test.name") == ids.TA_TEST_PROP_NAME_VALUE
        assert get(session, TA, "pytee.test.answer") == str(
            ids.TA_TEST_PROP_ANSWER_VALUE
        )


@pytest.mark.parametrize("name", ["pytee.test.name", "pytee.test.answer"])
def test_extension_properties_belong_to_their_ta_only(
    session: Session, name: str
) -> None:
    with pytest.raises(ItemNotFound) as info:
        get(session, TA, name)
    assert info.value.origin == Origin.TRUSTED_APP


def test_public_client_identity_is_login_zero_and_the_nil_uuid(
    session: Session,
) -> None:
    assert get(session, CLIENT, "gpd.client.identity") == "0:%s" % uuid.UUID(int=0)
    assert get(session, CLIENT, "gpd.client.endian") == "0"


def test_user_client_identity_names_the_user(context: Context, test_ta: TestTA) -> None:
    expected = uuid.uuid5(NAMESPACE, "uid=%x" % os.geteuid())
    with context.open_session(test_ta.uuid, login=Login.USER) as session:
        identity = get(session, CLIENT, "gpd.client.identity")
    assert identity == "%d:%s" % (Login.USER, expected)


def test_implementation_properties_of_the_api(session: Session) -> None:
    # TEE_CORE_API_VERSION: major << 24 | minor << 16 | maintenance << 8
    assert get(session, TEE, "gpd.tee.internalCore.version") == str(0x01030100)
    assert get(session, TEE, "gpd.tee.arith.maxBigIntSize") == "2048"


@pytest.mark.software_tee
def test_implementation_properties_describe_pytee(session: Session) -> None:
    assert get(session, TEE, "gpd.tee.apiversion") == "1.3.1"
    assert get(session, TEE, "gpd.tee.description") == "pytee software TEE"
    assert get(session, TEE, "gpd.tee.cryptography.ecc") == "true"
    assert get(session, TEE, "gpd.tee.trustedos.manufacturer") == "pytee"
    assert (
        get(session, TEE, "gpd.tee.trustedos.implementation.version")
        == pytee.__version__
    )
    assert get(session, TEE, "gpd.tee.firmware.manufacturer") == "FW_MAN_UNDEF"


@pytest.mark.software_tee
def test_device_id_is_a_stable_random_uuid_kept_in_the_data_folder(
    context: Context, test_ta: TestTA
) -> None:
    with context.open_session(test_ta.uuid) as session:
        first = uuid.UUID(get(session, TEE, "gpd.tee.deviceID"))
    with context.open_session(test_ta.multi) as session:
        second = uuid.UUID(get(session, TEE, "gpd.tee.deviceID"))
    assert first == second
    assert first.version == 4
    kept = data_dir() / "device-id"
    assert kept.read_text() == "%s\n" % first
    assert kept.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("propset", [TA, CLIENT, TEE], ids=["ta", "client", "tee"])
@pytest.mark.parametrize(
    "name", ["gpd.ta.no.such", "gpd.tee.nothing", "", "gpd.ta.appID.x"]
)
def test_unknown_property_is_item_not_found_from_the_ta(
    session: Session, propset: int, name: str
) -> None:
    with pytest.raises(ItemNotFound) as info:
        get(session, propset, name)
    assert info.value.code == 0xFFFF0008
    assert info.value.origin == Origin.TRUSTED_APP


def test_a_property_of_another_set_is_not_found(session: Session) -> None:
    with pytest.raises(ItemNotFound):
        get(session, TEE, "gpd.ta.appID")
    with pytest.raises(ItemNotFound):
        get(session, TA, "gpd.client.identity")


def test_short_buffer_reports_the_size_needed(session: Session) -> None:
    description = BUILDS["test"][5]
    needed = len(description) + 1  # with its NUL
    for size in (0, 1, needed - 1):
        with pytest.raises(ShortBuffer) as info:
            get(session, TA, "gpd.ta.description", size)
        assert info.value.origin == Origin.TRUSTED_APP
        assert info.value.required_size == needed
    assert get(session, TA, "gpd.ta.description", needed) == description


def test_a_null_buffer_asks_for_the_size(session: Session, test_ta: TestTA) -> None:
    with pytest.raises(ShortBuffer) as info:
        session.invoke(
            ids.TA_TEST_CMD_GET_PROPERTY,
            ValueIn(TA),
            TempIn(b"gpd.ta.appID"),
            TempOut(),
        )
    assert info.value.required_size == 37
    (raw,) = session.invoke_sized(
        ids.TA_TEST_CMD_GET_PROPERTY,
        ValueIn(TA),
        TempIn(b"gpd.ta.appID"),
        TempOut(),
    )
    assert raw == test_ta.uuid.encode() + b"\0"
