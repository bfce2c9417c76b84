"""libtee: OP-TEE's trace macros (EMSG, IMSG, DMSG, FMSG) and the TA log.

LOG writes its text four times, once per macro.  Each line goes to
<data dir>/log/<uuid>.log in OP-TEE's format: a level letter and "/TA:",
then, for error, debug and flow, a blank thread id and "function:line ".
A TA keeps the lines its build level allows: 4 (all) for most test TAs, the
dev kit's default 2 (error and info) for test_single.
"""

from __future__ import annotations

import re
import uuid

import pytest
from tee_helpers import LogTail, mode_of, ta_log

from pytee import Context, Session, TempIn

import test_ta_ids as ids
from conftest import TestTA

pytestmark = pytest.mark.software_tee

# Most lines a trace may have, without its newline (OP-TEE's MAX_PRINT_SIZE - 2).
LINE_MAX = 254

LEVEL4 = ["E", "I", "D", "F"]
LEVEL2 = ["E", "I"]
BUILDS = {"test": LEVEL4, "single": LEVEL2, "multi": LEVEL4, "keepalive": LEVEL4}
EXPECTED = {
    "E": r"E/TA:  cmd_log:\d+ log-error: %s",
    "I": r"I/TA: log-info: %s",
    "D": r"D/TA:  cmd_log:\d+ log-debug: %s",
    "F": r"F/TA:  cmd_log:\d+ log-flow: %s",
}


def log(session: Session, text: str | bytes) -> None:
    data = text.encode() if isinstance(text, str) else text
    session.invoke(ids.TA_TEST_CMD_LOG, TempIn(data))


def lines_with(tail: LogTail, marker: str) -> list[str]:
    return [line for line in tail.lines() if marker in line]


@pytest.mark.parametrize("build", sorted(BUILDS))
def test_log_levels_of_each_build(
    context: Context, test_ta: TestTA, build: str
) -> None:
    ta_uuid, levels = test_ta.build(build), BUILDS[build]
    marker = uuid.uuid4().hex
    tail = LogTail(ta_log(ta_uuid))
    with context.open_session(ta_uuid) as session:
        log(session, marker)
    lines = lines_with(tail, marker)
    assert len(lines) == len(levels), lines
    for line, level in zip(lines, levels):
        assert re.fullmatch(EXPECTED[level] % marker, line), line


def test_trace_lines_are_in_the_user_readable_ta_log(
    session: Session, test_ta: TestTA
) -> None:
    marker = uuid.uuid4().hex
    log(session, marker)
    path = ta_log(test_ta.uuid)
    assert mode_of(path) == 0o600
    assert mode_of(path.parent) == 0o700
    with path.open() as readable:  # the user who runs the TEE reads it
        assert marker in readable.read()


def test_every_instance_appends_to_the_same_log(
    context: Context, test_ta: TestTA
) -> None:
    first_marker, second_marker = uuid.uuid4().hex, uuid.uuid4().hex
    tail = LogTail(ta_log(test_ta.uuid))
    with (
        context.open_session(test_ta.uuid) as first,
        context.open_session(test_ta.uuid) as second,
    ):
        log(first, first_marker)
        log(second, second_marker)
        log(first, first_marker)
    assert len(lines_with(tail, first_marker)) == 8
    assert len(lines_with(tail, second_marker)) == 4


def test_trailing_newlines_are_dropped(session: Session, test_ta: TestTA) -> None:
    marker = uuid.uuid4().hex
    tail = LogTail(ta_log(test_ta.uuid))
    log(session, marker + "\n\n")
    text = tail.text()
    assert len(lines_with(tail, marker)) == 4
    assert "\n\n" not in text
    assert all(line.endswith(marker) for line in lines_with(tail, marker))


def test_long_messages_are_cut_at_the_line_limit(
    session: Session, test_ta: TestTA
) -> None:
    marker = uuid.uuid4().hex
    text = marker + "x" * 400
    tail = LogTail(ta_log(test_ta.uuid))
    log(session, text)
    lines = lines_with(tail, marker)
    assert len(lines) == 4
    assert all(len(line) == LINE_MAX for line in lines), [len(x) for x in lines]
    assert lines[1] == ("I/TA: log-info: " + text)[:LINE_MAX]


def test_a_nul_terminated_text_is_logged_without_the_nul(
    session: Session, test_ta: TestTA
) -> None:
    marker = uuid.uuid4().hex
    tail = LogTail(ta_log(test_ta.uuid))
    log(session, marker.encode() + b"\0")
    assert lines_with(tail, marker)[1] == "I/TA: log-info: " + marker
    assert "\0" not in tail.text()
