"""The Python twin of csrc/ta/test_keepalive: the test TA (test_ta.py) as a
single instance shared by all its sessions and kept alive without them,
with a property of its own of each type the typed getters read."""

import base64
import uuid

from pytee.internal import (
    TA_FLAG_INSTANCE_KEEP_ALIVE,
    TA_FLAG_MULTI_SESSION,
    TA_FLAG_SINGLE_INSTANCE,
    U64,
)

from test_ta import TA_TEST_VERSION, build

TA_UUID = "6c8bf9fd-bc23-45c1-a962-8a42ddb55370"

TA_TEST_PROP_NAME_VALUE = "keepalive"
TA_TEST_PROP_ANSWER_VALUE = 42
# does not fit a uint32_t; all its bytes differ
TA_TEST_PROP_U64_VALUE = 0x0123456789ABCDEF
# the largest u64 that TEE_GetPropertyAsU32 accepts
TA_TEST_PROP_U64_MAX32_VALUE = 0xFFFFFFFF
TA_TEST_PROP_UUID_VALUE = "6f7c2b1e-3d4a-4e5f-8a9b-0c1d2e3f4a5b"
# 00 01 fe ff "pytee!": 10 bytes, so the text ends in "==" padding
TA_TEST_PROP_BLOB_VALUE = "AAH+/3B5dGVlIQ=="

ta = build(
    TA_UUID,
    flags=TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION | TA_FLAG_INSTANCE_KEEP_ALIVE,
    version=TA_TEST_VERSION,
    description="pytee test TA (single instance, multi-session, keep-alive)",
    # in this order, as TA_CURRENT_TA_EXT_PROPERTIES lists them
    properties={
        "pytee.test.name": TA_TEST_PROP_NAME_VALUE,
        "pytee.test.answer": TA_TEST_PROP_ANSWER_VALUE,
        "pytee.test.u64": U64(TA_TEST_PROP_U64_VALUE),
        "pytee.test.u64.max32": U64(TA_TEST_PROP_U64_MAX32_VALUE),
        "pytee.test.uuid": uuid.UUID(TA_TEST_PROP_UUID_VALUE),
        "pytee.test.blob": base64.b64decode(TA_TEST_PROP_BLOB_VALUE),
    },
)
