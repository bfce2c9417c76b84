"""Speak pytee's wire protocol (csrc/common/wire.h) directly, for tests that
must send what libteec never would."""

from __future__ import annotations

import array
import os
import socket
import struct
import uuid
from dataclasses import dataclass, field
from pathlib import Path

MAGIC, VERSION = 0x5054, 1
HELLO, OPEN_SESSION, INVOKE, REPLY = 1, 2, 11, 13
MEM_NONE, MEM_NULL, MEM_INLINE, MEM_SHM, MEM_SHM_FD, MEM_TEMP_FD = range(6)
MAX_MSG = 128 * 1024

_HDR = struct.Struct("<HBBI")
_PARAM = struct.Struct("<IIIIQQQQ")
_REPLY_HEAD = struct.Struct("<IIII")


@dataclass
class Param:
    type: int = 0
    mem: int = MEM_NONE
    a: int = 0
    b: int = 0
    shm_id: int = 0
    offset: int = 0
    size: int = 0
    block_size: int = 0

    def pack(self) -> bytes:
        return _PARAM.pack(
            self.type, self.mem, self.a, self.b,
            self.shm_id, self.offset, self.size, self.block_size,
        )  # fmt: skip


@dataclass
class Reply:
    result: int
    origin: int
    session: int
    params: list[Param]
    fds: list[int] = field(default_factory=list)


def op(params: list[Param], data: bytes = b"") -> bytes:
    padded = params + [Param() for _ in range(4 - len(params))]
    return b"".join(p.pack() for p in padded) + struct.pack("<II", len(data), 0)


def send(
    sock: socket.socket, kind: int, body: bytes, fds: tuple[int, ...] = ()
) -> None:
    message = _HDR.pack(MAGIC, VERSION, kind, _HDR.size + len(body)) + body
    ancillary = []
    if fds:
        rights = array.array("i", fds).tobytes()
        ancillary = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, rights)]
    sock.sendmsg([message], ancillary)


def receive_reply(sock: socket.socket) -> Reply:
    data, ancillary, _flags, _addr = sock.recvmsg(MAX_MSG, socket.CMSG_SPACE(64))
    fds: list[int] = []
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.extend(array.array("i", payload[: len(payload) // 4 * 4]))
    if not data:
        raise ConnectionResetError("hang-up")
    magic, version, kind, length = _HDR.unpack_from(data)
    assert (magic, version, kind, length) == (MAGIC, VERSION, REPLY, len(data))
    result, origin, session, _seq = _REPLY_HEAD.unpack_from(data, _HDR.size)
    start = _HDR.size + _REPLY_HEAD.size
    params = [
        Param(*_PARAM.unpack_from(data, start + i * _PARAM.size)) for i in range(4)
    ]
    return Reply(result, origin, session, params, fds)


def connect(runtime: Path) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    sock.connect(str(runtime / "teed.sock"))
    send(sock, HELLO, struct.pack("<II", os.getpid(), 0))
    assert receive_reply(sock).result == 0
    return sock


def open_session(sock: socket.socket, ta: str) -> tuple[int, socket.socket]:
    """Open a PUBLIC session with no parameters: (session id, channel)."""
    body = uuid.UUID(ta).bytes + struct.pack("<II", 0, 0) + op([])
    send(sock, OPEN_SESSION, body)
    reply = receive_reply(sock)
    assert reply.result == 0, hex(reply.result)
    assert len(reply.fds) == 1
    return reply.session, socket.socket(fileno=reply.fds[0])


def invoke(
    channel: socket.socket,
    command: int,
    params: list[Param],
    data: bytes = b"",
    fds: tuple[int, ...] = (),
    seq: int = 1,
) -> Reply:
    send(
        channel, INVOKE, struct.pack("<II", command, seq) + op(params, data) + data, fds
    )
    return receive_reply(channel)
