"""pytee: write, run and test GlobalPlatform TEE software from Python.

The client API (:mod:`pytee.client`) is re-exported here, with the error
family (:mod:`pytee.errors`) and the constants (:mod:`pytee.constants`).
The raw cffi layer is :mod:`pytee.teec`.
"""

__version__ = "0.1.0"

import os
import sys

# A daemon started from this process runs Python TAs with this interpreter
# and its packages (docs/python-tas.md).
os.environ.setdefault("PYTEE_PYTHON", sys.executable)

from pytee.client import (
    CancelToken,
    Context,
    Parameter,
    PartialIn,
    PartialInOut,
    PartialOut,
    Session,
    SharedMemory,
    TempIn,
    TempInOut,
    TempOut,
    Value,
    ValueIn,
    ValueInOut,
    ValueOut,
    Whole,
)
from pytee.constants import Login, MemFlag, Origin, ParamType, Result
from pytee.errors import (
    AccessConflict,
    AccessDenied,
    BadFormat,
    BadParameters,
    BadState,
    Busy,
    Cancel,
    ClosedError,
    Communication,
    ExcessData,
    ExternalCancel,
    Generic,
    ItemNotFound,
    MacInvalid,
    NoData,
    NotSupported,
    OutOfMemory,
    Overflow,
    Security,
    ShortBuffer,
    SignatureInvalid,
    StorageNoSpace,
    StorageNotAvailable,
    TargetDead,
    TeeError,
    TimeNeedsReset,
    TimeNotSet,
    Unimplemented,
)

__all__ = [
    "AccessConflict",
    "AccessDenied",
    "BadFormat",
    "BadParameters",
    "BadState",
    "Busy",
    "Cancel",
    "CancelToken",
    "ClosedError",
    "Communication",
    "Context",
    "ExcessData",
    "ExternalCancel",
    "Generic",
    "ItemNotFound",
    "Login",
    "MacInvalid",
    "MemFlag",
    "NoData",
    "NotSupported",
    "Origin",
    "OutOfMemory",
    "Overflow",
    "ParamType",
    "Parameter",
    "PartialIn",
    "PartialInOut",
    "PartialOut",
    "Result",
    "Security",
    "Session",
    "SharedMemory",
    "ShortBuffer",
    "SignatureInvalid",
    "StorageNoSpace",
    "StorageNotAvailable",
    "TargetDead",
    "TeeError",
    "TempIn",
    "TempInOut",
    "TempOut",
    "TimeNeedsReset",
    "TimeNotSet",
    "Unimplemented",
    "Value",
    "ValueIn",
    "ValueInOut",
    "ValueOut",
    "Whole",
    "__version__",
]
