"""The Python twin of csrc/ta/test_single: the test TA (test_ta.py) as a
single instance with a single session.

Like the C build, it leaves the version undefined (gpd.ta.version is the
default) and logs at the dev kit's default level 2: EMSG and IMSG only.
"""

from pytee.internal import TA_FLAG_SINGLE_INSTANCE

from test_ta import build

TA_UUID = "eeed32be-0012-48ce-936a-b30225ea5ae7"

# The C build compiles DMSG and FMSG out (CFG_TEE_TA_LOG_LEVEL 2); a Python
# TA sets the level of libtee's trace functions instead.
ta = build(
    TA_UUID,
    flags=TA_FLAG_SINGLE_INSTANCE,
    log_level=2,
    description="pytee test TA (single instance, single session)",
)
