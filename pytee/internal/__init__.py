"""pytee.internal: the GP TEE Internal Core API for trusted applications
written in Python, hosted by the software TEE (docs/python-tas.md).

Three layers, as for the client API: :mod:`pytee.internal.raw` (libtee
with the GP names, nothing checked), thin checked wrappers that raise the
:class:`pytee.TeeError` family, and the Pythonic objects re-exported here.
"""

from pytee.internal.cancellation import (
    TIMEOUT_INFINITE,
    cancellation_requested,
    mask_cancellation,
    unmask_cancellation,
    wait,
)
from pytee.internal.ta import (
    TA_FLAG_DONT_CLOSE_HANDLE_ON_CORRUPT_OBJECT,
    TA_FLAG_INSTANCE_KEEP_ALIVE,
    TA_FLAG_MULTI_SESSION,
    TA_FLAG_SINGLE_INSTANCE,
    U64,
    Identity,
    Memref,
    ParamType,
    TrustedApplication,
    Value,
    dmsg,
    emsg,
    error,
    fmsg,
    imsg,
    panic,
    param_types,
)

__all__ = [
    "TA_FLAG_DONT_CLOSE_HANDLE_ON_CORRUPT_OBJECT",
    "TA_FLAG_INSTANCE_KEEP_ALIVE",
    "TA_FLAG_MULTI_SESSION",
    "TA_FLAG_SINGLE_INSTANCE",
    "TIMEOUT_INFINITE",
    "U64",
    "Identity",
    "Memref",
    "ParamType",
    "TrustedApplication",
    "Value",
    "cancellation_requested",
    "dmsg",
    "emsg",
    "error",
    "fmsg",
    "imsg",
    "mask_cancellation",
    "panic",
    "param_types",
    "unmask_cancellation",
    "wait",
]
