"""A tour of pytee's client API against the test TA on the software TEE.

Run it with ``python examples/demo_client.py`` once pytee is installed: the
first Context starts the daemon (teed) for you; the test TA ships with pytee.
"""

import pytee
from pytee import TempInOut, TempOut, ValueIn, ValueOut, Whole

TEST_TA = "25454e49-108c-41c6-b5de-a3727df251e3"  # csrc/ta/test
CMD_VALUE_ADD, CMD_MEMREF_REVERSE, CMD_SHORT_BUFFER, CMD_PANIC = 1, 5, 6, 8


def main() -> None:
    with pytee.Context() as ctx, ctx.open_session(TEST_TA) as session:
        (total,) = session.invoke(CMD_VALUE_ADD, ValueIn(2, 40), ValueOut())
        print(f"value add:        2 + 40 = {total.a}")

        data = bytearray(b"pytee")
        session.invoke(CMD_MEMREF_REVERSE, TempInOut(data))
        print(f"temp memref:      reversed in the TA -> {bytes(data)!r}")

        with ctx.allocate_shared_memory(8) as shm:
            shm.buffer[:] = b"zerocopy"
            session.invoke(CMD_MEMREF_REVERSE, Whole(shm))
            print(f"shared memory:    reversed in place -> {bytes(shm.buffer)!r}")

        (out,) = session.invoke_sized(CMD_SHORT_BUFFER, ValueIn(12), TempOut(4))
        print(f"short buffer:     retried with the size asked for -> {len(out)} bytes")

        try:
            session.invoke(CMD_PANIC, ValueIn(0xDEAD))
        except pytee.TargetDead as err:
            print(f"TA panic:         {err}")
    print(f"library:          {pytee.teec.load().path}")


if __name__ == "__main__":
    main()
