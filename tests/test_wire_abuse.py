"""A client that breaks the protocol harms only itself.

These tests speak the wire protocol directly (tests/wire_raw.py) to send
what libteec never sends, and check that a TA instance shared with other
sessions survives it, in the C TA host and in the Python one.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator

import pytest
import wire_raw

from pytee import Context, Session, ValueOut

import test_ta_ids as ids
from conftest import TestTA, runtime_dir

pytestmark = pytest.mark.software_tee

MEMREF_INPUT, VALUE_OUTPUT = 5, 2
TEE_ORIGIN_TEE = 3
MIB = 1024 * 1024


@pytest.fixture
def shared_instance(context: Context, test_ta: TestTA) -> Iterator[Session]:
    """A well-behaved session on the multi-session test TA."""
    with context.open_session(test_ta.multi) as session:
        yield session


def memfd(size: int, sealed: bool) -> int:
    fd = os.memfd_create("abuse", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
    os.ftruncate(fd, size)
    if sealed:
        fcntl.fcntl(fd, fcntl.F_ADD_SEALS, fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW)
    return fd


@pytest.mark.parametrize("sealed", [False, True], ids=["unsealed", "sealed"])
@pytest.mark.parametrize("kind", [wire_raw.MEM_TEMP_FD, wire_raw.MEM_SHM_FD])
def test_a_block_smaller_than_claimed_is_refused(
    shared_instance: Session, test_ta: TestTA, sealed: bool, kind: int
) -> None:
    sock = wire_raw.connect(runtime_dir())
    _, channel = wire_raw.open_session(sock, test_ta.multi)
    fd = memfd(4096, sealed)
    try:
        params = [
            wire_raw.Param(MEMREF_INPUT, kind, shm_id=7, size=MIB, block_size=MIB),
            wire_raw.Param(VALUE_OUTPUT),
        ]
        reply = wire_raw.invoke(channel, ids.TA_TEST_CMD_MEMREF_SUM, params, fds=(fd,))
        assert reply.result != 0
        assert reply.origin == TEE_ORIGIN_TEE
        # The instance is alive: this channel and the other session work.
        assert wire_raw.invoke(channel, ids.TA_TEST_CMD_NULL, [], seq=2).result == 0
        (count,) = shared_instance.invoke(ids.TA_TEST_CMD_COUNTER, ValueOut())
        assert count.a >= 1
    finally:
        os.close(fd)
        channel.close()
        sock.close()


def test_an_unsealed_block_of_the_right_size_is_refused(
    shared_instance: Session, test_ta: TestTA
) -> None:
    sock = wire_raw.connect(runtime_dir())
    _, channel = wire_raw.open_session(sock, test_ta.multi)
    fd = memfd(MIB, sealed=False)
    try:
        params = [
            wire_raw.Param(
                MEMREF_INPUT, wire_raw.MEM_TEMP_FD, size=MIB, block_size=MIB
            ),
            wire_raw.Param(VALUE_OUTPUT),
        ]
        reply = wire_raw.invoke(channel, ids.TA_TEST_CMD_MEMREF_SUM, params, fds=(fd,))
        assert reply.result != 0
        shared_instance.invoke(ids.TA_TEST_CMD_NULL)
    finally:
        os.close(fd)
        channel.close()
        sock.close()
