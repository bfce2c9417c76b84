"""UUIDs, command ids and constants of the pytee test TAs.

A hand-written mirror of ``csrc/ta/test/include/test_ta.h`` (see that header
for what each command does with its parameters); ``test_ta_ids_match.py``
checks that every ``#define`` there has the same value here and that nothing
here is missing from the header, but for the UUIDs of the Python twins of
the test TA (``ta_python/``), which it checks against those files.  UUIDs are
canonical lowercase strings.
"""

# The four builds of the test TA (csrc/ta/test, test_single, test_multi,
# test_keepalive); they differ only in their instance flags.
TA_TEST_UUID = "25454e49-108c-41c6-b5de-a3727df251e3"
TA_TEST_SINGLE_UUID = "95902e9a-1b9f-499c-a5d4-eb37175da8f7"
TA_TEST_MULTI_UUID = "35b6334d-dfca-4e6e-9c3e-e8cf10b7ae0a"
TA_TEST_KEEPALIVE_UUID = "98ec2d8b-ed7d-45e2-8c5a-910abc1d67fa"

# Their Python twins (ta_python/test_ta.py, test_single.py, test_multi.py,
# test_keepalive.py): the same commands, flags and properties, UUIDs of
# their own.  Not in test_ta.h: test_ta_ids_match.py checks them against the
# TA_UUID lines of those files.
TA_TEST_PY_UUID = "ec32ddf5-7014-420e-866d-438821e6a747"
TA_TEST_PY_SINGLE_UUID = "eeed32be-0012-48ce-936a-b30225ea5ae7"
TA_TEST_PY_MULTI_UUID = "cad74f2d-0fa1-4605-ab3a-a4047c5c3151"
TA_TEST_PY_KEEPALIVE_UUID = "6c8bf9fd-bc23-45c1-a962-8a42ddb55370"

# Sizes and fixed values
TA_TEST_DATA_SIZE = 32 * 1024
TA_TEST_STACK_SIZE = 2 * 1024
TA_TEST_VERSION = "1.0"
TA_TEST_OPEN_MAGIC = 0x5A5A
TA_TEST_PROP_NAME_VALUE = "keepalive"
TA_TEST_PROP_ANSWER_VALUE = 42
TA_TEST_PROP_U64_VALUE = 0x0123456789ABCDEF
TA_TEST_PROP_U64_MAX32_VALUE = 0xFFFFFFFF
TA_TEST_PROP_UUID_VALUE = "6f7c2b1e-3d4a-4e5f-8a9b-0c1d2e3f4a5b"
TA_TEST_PROP_BLOB_VALUE = "AAH+/3B5dGVlIQ=="

# Command ids
TA_TEST_CMD_NULL = 0
TA_TEST_CMD_VALUE_ADD = 1
TA_TEST_CMD_VALUE_INC = 2
TA_TEST_CMD_MEMREF_SUM = 3
TA_TEST_CMD_MEMREF_FILL = 4
TA_TEST_CMD_MEMREF_REVERSE = 5
TA_TEST_CMD_SHORT_BUFFER = 6
TA_TEST_CMD_ALL_TYPES = 7
TA_TEST_CMD_PANIC = 8
TA_TEST_CMD_SEGFAULT = 9
TA_TEST_CMD_ABORT = 10
TA_TEST_CMD_STACK_OVERFLOW = 11
TA_TEST_CMD_HEAP_EXHAUST = 12
TA_TEST_CMD_WAIT = 13
TA_TEST_CMD_CLIENT_IDENTITY = 14
TA_TEST_CMD_GET_PROPERTY = 15
TA_TEST_CMD_COUNTER = 16
TA_TEST_CMD_LOG = 17
TA_TEST_CMD_INSTANCE_DATA = 18
TA_TEST_CMD_MALLOC_REALLOC = 19
TA_TEST_CMD_SESSION_INFO = 20
TA_TEST_CMD_TOUCH = 21
TA_TEST_CMD_CALL_TA = 22
TA_TEST_CALL_WAIT_MS = 10000
TA_TEST_CMD_PROPERTY_TYPED = 23
TA_TEST_CMD_PROPERTY_ENUMERATE = 24
TA_TEST_CMD_OBJECT_GP11 = 25
TA_TEST_GP11_INFO_WORDS = 7
TA_TEST_GP11_INFO_COUNT = 4
TA_TEST_GP11_INFO_SIZE = 4 * 7 * 4

# Property sets for TA_TEST_CMD_GET_PROPERTY and PROPERTY_*
TA_TEST_PROPSET_CURRENT_TA = 0
TA_TEST_PROPSET_CLIENT = 1
TA_TEST_PROPSET_IMPLEMENTATION = 2

# Getters for TA_TEST_CMD_PROPERTY_TYPED
TA_TEST_BOOL_GETTER = 0
TA_TEST_U32_GETTER = 1
TA_TEST_U64_GETTER = 2
TA_TEST_UUID_GETTER = 3
TA_TEST_IDENTITY_GETTER = 4
TA_TEST_BINARY_GETTER = 5

# TEE_CheckMemoryAccessRights (CHECK_ACCESS)
TA_TEST_CMD_CHECK_ACCESS = 26
TA_TEST_MEM_PARAM = 0
TA_TEST_MEM_HEAP = 1
TA_TEST_MEM_RODATA = 2
TA_TEST_MEM_NULL = 3
TA_TEST_MEM_EMPTY = 4
