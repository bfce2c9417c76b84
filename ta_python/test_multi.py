"""The Python twin of csrc/ta/test_multi: the test TA (test_ta.py) as a
single instance shared by all its sessions."""

from pytee.internal import TA_FLAG_MULTI_SESSION, TA_FLAG_SINGLE_INSTANCE

from test_ta import TA_TEST_VERSION, build

TA_UUID = "cad74f2d-0fa1-4605-ab3a-a4047c5c3151"

ta = build(
    TA_UUID,
    flags=TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION,
    version=TA_TEST_VERSION,
    description="pytee test TA (single instance, multi-session)",
)
