"""The GP Trusted User Interface API on the software TEE (docs/tui.md).

The TUI test TA (csrc/ta/tui_test) calls each of the five functions; the
tests drive it through the pytee client on daemons of their own:

* ``TestScripted``: a daemon started with ``PYTEE_TUI_SCRIPT`` (the
  scripted user answers every screen) and a short session timeout;
* ``TestDisplay``: a daemon without a script, to which the tests attach a
  display with :class:`pytee.tui.DisplayConnection`, as ``pytee tui``
  does, and ``pytee tui --once`` itself, fed through a pipe.

A TA panic shows as ``TargetDead`` (the TA's instance ends).
"""

from __future__ import annotations

import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time
import uuid
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import pytee
from pytee import (
    CancelToken,
    Context,
    Session,
    TargetDead,
    TempIn,
    TempOut,
    ValueIn,
    ValueOut,
)
from pytee import tui as display_mod
from pytee.testing import IsolatedTee
from pytee.tui import DisplayBusy, DisplayConnection, Screen

pytestmark = pytest.mark.software_tee

TA_TUI_TEST_UUID = "e35654d3-2e04-4600-96d5-0e7a6c97e9e9"
TA_TUI_TEST_DIR = Path(__file__).resolve().parent.parent / "csrc" / "ta" / "tui_test"

# include/tui_test_ta.h
CMD_CHECK_TEXT, CMD_SCREEN_INFO, CMD_INIT, CMD_CLOSE, CMD_DISPLAY, CMD_STORE = range(6)
INFO_WORDS = 15
BUTTON_TEXT = 16
INFO_SIZE = 4 * INFO_WORDS + 6 * (16 + BUTTON_TEXT)
NULL = 0xFFFFFFFF
IMAGE_BUTTON = 0xFFFFFFFE
FLAG_NULL_CONFIG = 0x1
FLAG_NULL_SELECTED = 0x2
FLAG_NULL_FIELDS = 0x4
FLAG_SHORT_BUFFER = 0x8
FLAG_UNMASK_CANCEL = 0x10

# GP values
SUCCESS = 0
CANCEL_ERR = 0xFFFF0002
ACCESS_DENIED = 0xFFFF0001
BAD_FORMAT = 0xFFFF0005
BAD_PARAMETERS = 0xFFFF0006
BAD_STATE = 0xFFFF0007
ITEM_NOT_FOUND = 0xFFFF0008
NOT_SUPPORTED = 0xFFFF000A
BUSY = 0xFFFF000D
EXTERNAL_CANCEL = 0xFFFF0011
CORRECTION, OK, CANCEL, VALIDATE, PREVIOUS, NEXT = range(6)
HIDDEN, CLEAR, TEMPORARY_CLEAR = range(3)
NUMERICAL, ALPHANUMERICAL = range(2)
PORTRAIT, LANDSCAPE = range(2)
NO_SOURCE, REF_SOURCE, OBJECT_SOURCE = range(3)

TIMEOUT_MS = 1000  # the scripted daemon's TUI session timeout


def png(width: int, height: int) -> bytes:
    """A small, well-formed PNG of width x height (one grey row per line)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\0" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


# ------------------------------------------------------- the TA's client


@dataclass
class Entry:
    label: str | None = "PIN"
    mode: int = HIDDEN
    type: int = NUMERICAL
    min: int = 4
    max: int = 6


@dataclass
class Spec:
    """A screen for DISPLAY (include/tui_test_ta.h says the layout)."""

    label: str | bytes | None = "Pay 12.50 EUR\nto Corner Shop"
    buttons: tuple[int, ...] = (OK,)
    entries: list[Entry] = field(default_factory=list)
    orientation: int = PORTRAIT
    close: bool = False
    label_xy: tuple[int, int] = (0, 0)
    rgb: int = 0x102030
    image_source: int = NO_SOURCE
    image_xy: tuple[int, int] = (0, 0)
    image_wh: tuple[int, int] = (0, 0)
    image: bytes = b""
    # per button: custom text, or IMAGE_BUTTON for one with an image
    button_texts: dict[int, str | int] = field(default_factory=dict)
    count: int | None = None  # entry fields announced, if not len(entries)

    @staticmethod
    def _bytes(text: str | bytes) -> bytes:
        return text.encode() if isinstance(text, str) else text

    def encode(self) -> bytes:
        label = b"" if self.label is None else self._bytes(self.label)
        words = [
            self.orientation,
            sum(1 << b for b in self.buttons),
            int(self.close),
            len(self.entries) if self.count is None else self.count,
            *self.label_xy,
            self.rgb,
            self.image_source,
            *self.image_xy,
            *self.image_wh,
            len(self.image),
            NULL if self.label is None else len(label),
        ]
        texts = [label]
        for button in range(6):
            custom = self.button_texts.get(button)
            if custom is None:
                words.append(NULL)
            elif isinstance(custom, int):
                words.append(custom)
            else:
                words.append(len(custom.encode()))
                texts.append(custom.encode())
        for entry in self.entries:
            raw = b"" if entry.label is None else entry.label.encode()
            words += [entry.mode, entry.type, entry.min, entry.max]
            words.append(NULL if entry.label is None else len(raw))
            texts.append(raw)
        return struct.pack("<%dI" % len(words), *words) + b"".join(texts) + self.image


@dataclass
class Shown:
    result: int
    button: int
    values: list[bytes]


class TuiTA:
    """The TUI test TA behind one session (one instance of its own)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def check_text(self, text: bytes) -> tuple[int, int, int, int]:
        """(result, lastIndex, width, height)"""
        res, size = self.session.invoke(
            CMD_CHECK_TEXT, TempIn(text), ValueOut(), ValueOut()
        )
        return res.a, res.b, size.a, size.b

    def screen_info(self, orientation: int, count: int) -> tuple[int, dict[str, Any]]:
        res, raw = self.session.invoke(
            CMD_SCREEN_INFO, ValueIn(orientation, count), ValueOut(), TempOut(INFO_SIZE)
        )
        words = struct.unpack_from("<%dI" % INFO_WORDS, raw)
        names = [
            "grayscaleBitsDepth",
            "redBitsDepth",
            "greenBitsDepth",
            "blueBitsDepth",
            "widthInch",
            "heightInch",
            "maxEntryFields",
            "entryFieldLabelWidth",
            "entryFieldLabelHeight",
            "maxEntryFieldLength",
        ]
        info: dict[str, Any] = dict(zip(names, words))
        info["labelColor"] = tuple(words[10:13])
        info["labelWidth"], info["labelHeight"] = words[13], words[14]
        buttons = []
        at = 4 * INFO_WORDS
        for _ in range(6):
            width, height, text_custom, image_custom = struct.unpack_from(
                "<4I", raw, at
            )
            text = raw[at + 16 : at + 16 + BUTTON_TEXT].split(b"\0")[0].decode()
            buttons.append((text, width, height, bool(text_custom), bool(image_custom)))
            at += 16 + BUTTON_TEXT
        info["buttonInfo"] = buttons
        return res.a, info

    def init(self) -> int:
        (res,) = self.session.invoke(CMD_INIT, ValueOut())
        return int(res.a)

    def close(self) -> int:
        (res,) = self.session.invoke(CMD_CLOSE, ValueOut())
        return int(res.a)

    def display(
        self, spec: Spec, flags: int = 0, cancel: CancelToken | None = None
    ) -> Shown:
        sizes = [e.max + (0 if flags & FLAG_SHORT_BUFFER else 1) for e in spec.entries]
        res, out = self.session.invoke(
            CMD_DISPLAY,
            TempIn(spec.encode()),
            ValueOut(),
            TempOut(max(1, sum(sizes))),
            ValueIn(flags),
            cancel=cancel,
        )
        values = []
        at = 0
        for size in sizes:
            values.append(bytes(out[at : at + size]).split(b"\0")[0])
            at += size
        return Shown(res.a, res.b, values)

    def store(self, object_id: bytes, data: bytes) -> int:
        (res,) = self.session.invoke(
            CMD_STORE, TempIn(object_id), TempIn(data), ValueOut()
        )
        return int(res.a)


# ------------------------------------------------------------- the daemons


@dataclass
class Tee:
    tee: IsolatedTee
    script: Path | None

    def context(self) -> Context:
        return self.tee.context()

    def write_script(self, *rules: dict[str, Any]) -> None:
        assert self.script is not None
        self.script.write_text("".join(json.dumps(rule) + "\n" for rule in rules))

    def log(self) -> str:
        return self.tee.daemon_log()

    def wait_log(self, text: str, count: int, timeout: float = 10.0) -> None:
        """Wait until ``text`` is in the log ``count`` times."""
        deadline = time.monotonic() + timeout
        while self.log().count(text) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert self.log().count(text) >= count, "%r not logged %d times" % (text, count)

    def attach(self, timeout: float = 10.0) -> DisplayConnection:
        """A display, once the previous test's display has detached."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                return DisplayConnection(self.tee.runtime_dir)
            except DisplayBusy:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)


@contextmanager
def tui_tee(root: Path, script: Path | None, timeout_ms: int) -> Iterator[Tee]:
    """An isolated daemon with (or without) the scripted user; teed takes
    its TUI settings from the environment of the client that starts it."""
    keys = ("PYTEE_TUI_SCRIPT", "PYTEE_TUI_SESSION_TIMEOUT_MS")
    saved = {key: os.environ.get(key) for key in keys}
    ta_path = [p for p in os.environ.get("PYTEE_TA_PATH", "").split(":") if p]
    try:
        if script is None:
            os.environ.pop("PYTEE_TUI_SCRIPT", None)
        else:
            os.environ["PYTEE_TUI_SCRIPT"] = str(script)
        os.environ["PYTEE_TUI_SESSION_TIMEOUT_MS"] = str(timeout_ms)
        with IsolatedTee(root, ta_path) as tee:
            yield Tee(tee, script)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextmanager
def tui_ta(tee: Tee) -> Iterator[TuiTA]:
    """A session on the TUI test TA: an instance of its own."""
    with tee.context() as ctx, ctx.open_session(TA_TUI_TEST_UUID) as session:
        yield TuiTA(session)


def init_when_free(ta: TuiTA, timeout: float = 10.0) -> None:
    """TEE_TUIInitSession, once an earlier test's instance has let go.

    A TA instance that ends holding the TUI session frees it when teed sees
    its host go, a moment after the client's session closed."""
    deadline = time.monotonic() + timeout
    result = ta.init()
    while result == BUSY and time.monotonic() < deadline:
        time.sleep(0.05)
        result = ta.init()
    assert result == SUCCESS, hex(result)


# ======================================================== the scripted user


@pytest.fixture(scope="class")
def scripted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tee]:
    root = tmp_path_factory.mktemp("tui-scripted")
    script = root / "script.jsonl"
    script.write_text("")
    with tui_tee(root, script, TIMEOUT_MS) as tee:
        yield tee


PIN_SCREEN = Spec(
    label="Pay 12.50 EUR\nto Corner Shop",
    buttons=(CANCEL, VALIDATE),
    entries=[Entry("PIN", HIDDEN, NUMERICAL, 4, 6)],
)


class TestScripted:
    # -- what needs no session: text and screen information -------------

    def test_screen_info_describes_the_virtual_portrait_screen(
        self, scripted: Tee
    ) -> None:
        with tui_ta(scripted) as ta:
            result, info = ta.screen_info(PORTRAIT, 1)
        assert result == SUCCESS
        assert info["grayscaleBitsDepth"] == 8
        assert (
            info["redBitsDepth"],
            info["greenBitsDepth"],
            info["blueBitsDepth"],
        ) == (
            8,
            8,
            8,
        )
        assert (info["widthInch"], info["heightInch"]) == (160, 160)
        assert info["maxEntryFields"] == 3
        assert info["entryFieldLabelWidth"] == 240
        assert info["entryFieldLabelHeight"] == 24
        assert info["maxEntryFieldLength"] == 32
        assert info["labelColor"] == (255, 255, 255)
        assert info["labelWidth"] == 480
        # (800 - 96 - 72) px, in whole 24-pixel lines
        assert info["labelHeight"] == 26 * 24
        assert info["buttonInfo"] == [
            (name, 120, 48, True, False)
            for name in ("Correction", "OK", "Cancel", "Validate", "Previous", "Next")
        ]

    def test_screen_info_landscape_and_the_label_shrinking_with_fields(
        self, scripted: Tee
    ) -> None:
        with tui_ta(scripted) as ta:
            heights = [ta.screen_info(LANDSCAPE, n)[1]["labelHeight"] for n in (0, 2)]
            result, info = ta.screen_info(LANDSCAPE, 0)
        assert result == SUCCESS
        assert (info["labelWidth"], info["maxEntryFields"]) == (800, 2)
        assert info["entryFieldLabelWidth"] == 360
        assert heights == [16 * 24, 10 * 24]

    @pytest.mark.parametrize(
        ("orientation", "count"), [(PORTRAIT, 4), (LANDSCAPE, 3), (2, 0), (0xFFFF, 1)]
    )
    def test_screen_info_refuses_what_the_screen_cannot_do(
        self, scripted: Tee, orientation: int, count: int
    ) -> None:
        with tui_ta(scripted) as ta:
            assert ta.screen_info(orientation, count)[0] == NOT_SUPPORTED

    @pytest.mark.parametrize(
        ("text", "last", "width", "height"),
        [
            (b"Pay 12.50 EUR", 12, 13 * 12, 24),
            (b"a\nbcd", 4, 3 * 12, 2 * 24),
            (b"a\r\nbc\r\n", 5, 2 * 12, 2 * 24),
            (b"", 0, 0, 0),
            (b"\n", 0, 0, 24),
            # bold and underline take no room, U+E002 one pixel right,
            # U+E003 one pixel down
            ("\ue000ab\ue000\ue002".encode(), 8, 2 * 12 + 1, 24),
            ("x\ue003\ue003".encode(), 4, 12, 24 + 2),
            (b" !09AZaz{}", 9, 10 * 12, 24),
        ],
    )
    def test_check_text_format_measures_text_the_screen_shows(
        self, scripted: Tee, text: bytes, last: int, width: int, height: int
    ) -> None:
        with tui_ta(scripted) as ta:
            assert ta.check_text(text) == (SUCCESS, last, width, height)

    @pytest.mark.parametrize(
        ("text", "index"),
        [
            (b"Pay ~5", 4),  # U+007E is past the GP default alphabet
            ("caf\u00e9".encode(), 3),
            (b"tab\there", 3),
            (b"ab\xffcd", 2),  # not UTF-8
            (b"ab\xe2\x82", 2),  # cut short
            ("\ue004".encode(), 0),
            (b"\x1b[2J", 0),
        ],
    )
    def test_check_text_format_points_at_the_first_character_not_shown(
        self, scripted: Tee, text: bytes, index: int
    ) -> None:
        with tui_ta(scripted) as ta:
            result, last, _, _ = ta.check_text(text)
        assert (result, last) == (NOT_SUPPORTED, index)

    # -- the session ------------------------------------------------------

    def test_init_and_close(self, scripted: Tee) -> None:
        with tui_ta(scripted) as ta:
            init_when_free(ta)
            assert ta.close() == SUCCESS
            assert ta.close() == BAD_STATE

    def test_close_and_display_without_a_session_are_bad_state(
        self, scripted: Tee
    ) -> None:
        scripted.write_script({"button": "ok"})
        with tui_ta(scripted) as ta:
            assert ta.close() == BAD_STATE
            assert ta.display(Spec()).result == BAD_STATE
            init_when_free(ta)
            assert ta.close() == SUCCESS
            assert ta.display(Spec()).result == BAD_STATE

    def test_a_second_ta_instance_is_busy_while_the_first_holds_the_session(
        self, scripted: Tee
    ) -> None:
        with tui_ta(scripted) as first, tui_ta(scripted) as second:
            init_when_free(first)
            assert second.init() == BUSY
            assert first.init() == BUSY  # one session, held already
            assert second.close() == BAD_STATE  # not its session
            assert first.close() == SUCCESS
            assert second.init() == SUCCESS
            assert first.init() == BUSY
            assert second.close() == SUCCESS
        assert "busy, TA %s" % TA_TUI_TEST_UUID in scripted.log()

    def test_a_ta_instance_that_ends_releases_the_session(self, scripted: Tee) -> None:
        gone = "ended: the TA host is gone"
        before = scripted.log().count(gone)
        with tui_ta(scripted) as first:
            init_when_free(first)
        # The first instance is gone without TEE_TUICloseSession.
        scripted.wait_log(gone, before + 1)
        with tui_ta(scripted) as second:
            assert second.init() == SUCCESS
            assert second.close() == SUCCESS

    def test_the_session_times_out_when_no_screen_is_shown(self, scripted: Tee) -> None:
        scripted.write_script({"button": "ok"})
        with tui_ta(scripted) as ta, tui_ta(scripted) as other:
            init_when_free(ta)
            assert other.init() == BUSY
            time.sleep(TIMEOUT_MS / 1000 * 1.5)
            assert ta.display(Spec()).result == BAD_STATE
            assert ta.close() == BAD_STATE
            assert other.init() == SUCCESS
            assert other.close() == SUCCESS
        assert "ended: timed out" in scripted.log()

    def test_screens_restart_the_timeout(self, scripted: Tee) -> None:
        scripted.write_script({"button": "ok", "delay_ms": TIMEOUT_MS * 3 // 4})
        with tui_ta(scripted) as ta:
            init_when_free(ta)
            # Each screen takes 3/4 of the timeout: their sum passes it.
            for _ in range(3):
                assert ta.display(Spec()).result == SUCCESS
            assert ta.close() == SUCCESS

    # -- screens ----------------------------------------------------------

    def test_a_message_screen_returns_the_button_the_user_pressed(
        self, scripted: Tee
    ) -> None:
        scripted.write_script(
            {"expect": "Welcome", "button": "cancel"},
            {"expect": ["Pay 12.50 EUR", "Corner Shop"], "button": "ok"},
        )
        with tui_ta(scripted) as ta:
            init_when_free(ta)
            shown = ta.display(Spec(buttons=(OK,)))
            assert (shown.result, shown.button) == (SUCCESS, OK)
            assert ta.close() == SUCCESS

    def test_a_hidden_pin_entry_fills_the_field(self, scripted: Tee) -> None:
        scripted.write_script(
            {
                "expect": ["Corner Shop", "PIN"],
                "button": "validate",
                "entries": ["1234"],
            }
        )
        with tui_ta(scripted) as ta:
            init_when_free(ta)
            shown = ta.display(PIN_SCREEN)
            assert (shown.result, shown.button, shown.values) == (
                SUCCESS,
                VALIDATE,
                [b"1234"],
            )
            assert ta.close() == SUCCESS
        # teed logs the button, never what was typed
        assert "1234" not in scripted.log()

    def test_login_and_password_fields_and_custom_button_texts(
        self, scripted: Tee
    ) -> None:
        scripted.write_script(
            {
                "expect": ["Log in to Bank", "Sign in", "Login", "Password"],
                "button": "validate",
                "entries": ["alice", "s3cret pw!"],
            }
        )
        spec = Spec(
            label="Log in to Bank",
            buttons=(CANCEL, VALIDATE),
            button_texts={VALIDATE: "Sign in"},
            entries=[
                Entry("Login", CLEAR, ALPHANUMERICAL, 1, 16),
                Entry("Password", TEMPORARY_CLEAR, ALPHANUMERICAL, 8, 32),
            ],
        )
        with tui_ta(scripted) as ta:
            init_when_free(ta)
            shown = ta.display(spec)
            assert shown.result == SUCCESS
            assert shown.values == [b"alice", b"s3cret pw!"]
            assert ta.close() == SUCCESS

    def test_cancel_leaves_the_fields_as_typed(self, scripted: Tee) -> None:
        scripted.write_script({"button": "cancel", "entries": ["12"]})
        with tui_ta(scripted) as ta:
            init_when_free(ta)
            shown = ta.display(PIN_SCREEN)
            # Shorter than the minimum: only Validate insists on it.
            assert (shown.result, shown.button, shown.values) == (
                SUCCESS,
                CANCEL,
                [b"12"],
            )
            assert ta.close() == SUCCESS

    def test_fields_a_rule_gives_no_value_for_stay_empty(self, scripted: Tee) -> None:
        scripted.write_script({"button": "cancel", "entries": ["alice"]})
        spec = Spec(
            buttons=(CANCEL, VALIDATE),
            entries=[Entry("Login", CLEAR, ALPHANUMERICAL, 1, 8), Entry("PIN")],
        )
        with tui_ta(scripted) as ta:
            init_when_free(ta)
            shown = ta.display(spec)
            assert (shown.result, shown.button) == (SUCCESS, CANCEL)
            assert shown.values == [b"alice", b""]
            assert ta.close() == SUCCESS

    @pytest.mark.parametrize(
        "buttons",
        [
            (OK, PREVIOUS),
            (CANCEL, NEXT),
            (CANCEL, PREVIOUS, NEXT),
            (CANCEL, VALIDATE, PREVIOUS),
            (CORRECTION, OK),
        ],
    )
    def test_every_authorised_button_combination_shows(
        self, scripted: Tee, buttons: tuple[int, ...]
    ) -> None:
        last = max(buttons)
        scripted.write_script({"button": display_mod.BUTTON_NAMES[last].lower()})
        with tui_ta(scripted) as ta:
            init_when_free(ta)
            shown = ta.display(Spec(buttons=buttons))
            assert (shown.result, shown.button) == (SUCCESS, last)
            assert ta.close() == SUCCESS

    def test_landscape_with_two_fields(self, scripted: Tee) -> None:
        scripted.write_script({"button": "validate", "entries": ["1", "22"]})
        spec = Spec(
            orientation=LANDSCAPE,
            buttons=(CANCEL, VALIDATE),
            entries=[
                Entry("A", CLEAR, NUMERICAL, 1, 1),
                Entry("B", CLEAR, NUMERICAL, 2, 2),
            ],
        )
        with tui_ta(scripted) as ta:
            init_when_free(ta)
            assert ta.display(spec).values == [b"1", b"22"]
            assert ta.close() == SUCCESS

    def test_close_tui_session_with_the_screen(self, scripted: Tee) -> None:
        scripted.write_script({"button": "ok"})
        with tui_ta(scripted) as ta, tui_ta(scripted) as other:
            init_when_free(ta)
            assert ta.display(Spec(close=True)).result == SUCCESS
            assert ta.close() == BAD_STATE
            assert other.init() == SUCCESS
            assert other.close() == SUCCESS

    def test_a_screen_no_rule_answers_is_cancelled_by_the_ree(
        self, scripted: Tee
    ) -> None:
        scripted.write_script({"expect": "something else", "button": "ok"})
        with tui_ta(scripted) as ta:
            init_when_free(ta)
            assert ta.display(Spec()).result == EXTERNAL_CANCEL
            # An REE event ends the TUI session.
            assert ta.close() == BAD_STATE
        assert "no rule for this screen" in scripted.log()

    def test_the_script_can_cancel_from_the_ree(self, scripted: Tee) -> None:
        scripted.write_script({"result": "external_cancel"})
        with tui_ta(scripted) as ta:
            init_when_free(ta)
            assert ta.display(Spec()).result == EXTERNAL_CANCEL

    def test_rules_for_another_ta_do_not_answer(self, scripted: Tee) -> None:
        scripted.write_script(
            {"ta": str(uuid.uuid4()), "button": "cancel"},
            {"ta": TA_TUI_TEST_UUID, "button": "ok"},
        )
        with tui_ta(scripted) as ta:
            init_when_free(ta)
            assert ta.display(Spec()).button == OK
            assert ta.close() == SUCCESS

    @pytest.mark.parametrize(
        "rule",
        [
            {"button": "ok"},  # OK is not on the PIN screen
            {"button": "validate", "entries": ["12"]},  # too short to validate
            {"button": "validate", "entries": ["12a4"]},  # not digits
            {"button": "validate", "entries": ["1234567"]},  # too long
            {"button": "validate", "entries": ["1234", "5678"]},  # two values
        ],
        ids=["button", "short", "letters", "long", "count"],
    )
    def test_an_answer_that_does_not_fit_the_screen_is_never_given(
        self, scripted: Tee, rule: dict[str, Any]
    ) -> None:
        scripted.write_script(rule)
        with tui_ta(scripted) as ta:
            init_when_free(ta)
            shown = ta.display(PIN_SCREEN)
            assert (shown.result, shown.values) == (EXTERNAL_CANCEL, [b""])
        assert "does not answer the screen" in scripted.log()

    def test_malformed_script_lines_are_skipped(self, scripted: Tee) -> None:
        assert scripted.script is not None
        scripted.script.write_text(
            "# comments and blank lines are fine\n\n"
            '{"button": "sideways"}\n'
            '{"button": "ok", "unknown": 1}\n'
            "not json\n"
            '{"entries": ["1"]}\n'
            '{"button": "ok", "comment": "this one"}\n'
        )
        with tui_ta(scripted) as ta:
            init_when_free(ta)
            assert ta.display(Spec()).button == OK
            assert ta.close() == SUCCESS
        for line in (3, 4, 5, 6):
            assert "line %d: not a rule" % line in scripted.log()

    def test_the_client_cancels_a_screen(self, scripted: Tee) -> None:
        scripted.write_script({"button": "ok", "delay_ms": 60000})
        token = CancelToken()
        timer = threading.Timer(0.3, token.cancel)
        with tui_ta(scripted) as ta:
            init_when_free(ta)
            timer.start()
            start = time.monotonic()
            shown = ta.display(Spec(), FLAG_UNMASK_CANCEL, cancel=token)
            assert shown.result == CANCEL_ERR
            assert time.monotonic() - start < 10
            # The session stays: only the screen was cancelled.
            assert ta.close() == SUCCESS
        timer.join()

    def test_a_masked_cancellation_waits_for_the_user(self, scripted: Tee) -> None:
        scripted.write_script({"button": "ok", "delay_ms": 600})
        token = CancelToken()
        timer = threading.Timer(0.1, token.cancel)
        with tui_ta(scripted) as ta:
            init_when_free(ta)
            timer.start()
            shown = ta.display(Spec(), cancel=token)
            assert (shown.result, shown.button) == (SUCCESS, OK)
            assert ta.close() == SUCCESS
        timer.join()

    # -- label images -----------------------------------------------------

    def test_a_png_label_image_from_memory(self, scripted: Tee) -> None:
        scripted.write_script({"button": "ok"})
        spec = Spec(
            image_source=REF_SOURCE,
            image=png(64, 32),
            image_wh=(64, 32),
            image_xy=(8, 48),
        )
        with tui_ta(scripted) as ta:
            init_when_free(ta)
            assert ta.display(spec).result == SUCCESS
            assert (
                ta.display(
                    Spec(
                        image_source=REF_SOURCE,
                        image=b"GIF89a" + bytes(40),
                        image_wh=(1, 1),
                    )
                ).result
                == BAD_FORMAT
            )
            # the size given must be the image's
            wrong = Spec(image_source=REF_SOURCE, image=png(64, 32), image_wh=(32, 32))
            assert ta.display(wrong).result == BAD_FORMAT
            assert ta.close() == SUCCESS

    def test_a_png_label_image_from_trusted_storage(self, scripted: Tee) -> None:
        scripted.write_script({"button": "ok"})
        with tui_ta(scripted) as ta:
            assert ta.store(b"logo", png(20, 10)) == SUCCESS
            assert (
                ta.store(b"not-png", b"plain text, not an image at all......")
                == SUCCESS
            )
            init_when_free(ta)
            logo = Spec(image_source=OBJECT_SOURCE, image=b"logo", image_wh=(20, 10))
            assert ta.display(logo).result == SUCCESS
            missing = Spec(image_source=OBJECT_SOURCE, image=b"nope", image_wh=(20, 10))
            assert ta.display(missing).result == ITEM_NOT_FOUND
            text = Spec(image_source=OBJECT_SOURCE, image=b"not-png", image_wh=(20, 10))
            assert ta.display(text).result == BAD_FORMAT
            assert ta.close() == SUCCESS

    # -- misuse: GP leaves no error code, the TA panics -------------------

    @pytest.mark.parametrize(
        ("spec", "flags", "code"),
        [
            pytest.param(Spec(), FLAG_NULL_CONFIG, BAD_PARAMETERS, id="null-config"),
            pytest.param(
                Spec(), FLAG_NULL_SELECTED, BAD_PARAMETERS, id="null-selected"
            ),
            pytest.param(
                PIN_SCREEN, FLAG_NULL_FIELDS, BAD_PARAMETERS, id="null-fields"
            ),
            pytest.param(
                PIN_SCREEN, FLAG_SHORT_BUFFER, BAD_PARAMETERS, id="no-room-for-the-nul"
            ),
            pytest.param(Spec(buttons=(OK, CANCEL)), 0, BAD_PARAMETERS, id="ok-cancel"),
            pytest.param(Spec(buttons=(VALIDATE,)), 0, BAD_PARAMETERS, id="validate"),
            pytest.param(Spec(buttons=()), 0, BAD_PARAMETERS, id="no-button"),
            pytest.param(Spec(orientation=2), 0, NOT_SUPPORTED, id="orientation"),
            pytest.param(
                Spec(buttons=(CANCEL, VALIDATE), entries=[Entry()] * 4),
                0,
                NOT_SUPPORTED,
                id="four-fields",
            ),
            pytest.param(
                Spec(
                    orientation=LANDSCAPE,
                    buttons=(CANCEL, VALIDATE),
                    entries=[Entry()] * 3,
                ),
                0,
                NOT_SUPPORTED,
                id="three-fields-in-landscape",
            ),
            pytest.param(
                Spec(buttons=(CANCEL, VALIDATE), entries=[Entry(mode=3)]),
                0,
                BAD_PARAMETERS,
                id="field-mode",
            ),
            pytest.param(
                Spec(buttons=(CANCEL, VALIDATE), entries=[Entry(type=2)]),
                0,
                BAD_PARAMETERS,
                id="field-type",
            ),
            pytest.param(
                Spec(buttons=(CANCEL, VALIDATE), entries=[Entry(min=5, max=4)]),
                0,
                BAD_PARAMETERS,
                id="min-above-max",
            ),
            pytest.param(
                Spec(buttons=(CANCEL, VALIDATE), entries=[Entry(max=33)]),
                0,
                BAD_PARAMETERS,
                id="max-above-the-screen",
            ),
            pytest.param(
                Spec(buttons=(CANCEL, VALIDATE), entries=[Entry(label="x" * 21)]),
                0,
                NOT_SUPPORTED,
                id="field-label-too-wide",
            ),
            pytest.param(
                Spec(buttons=(CANCEL, VALIDATE), entries=[Entry(label="two\nlines")]),
                0,
                NOT_SUPPORTED,
                id="field-label-on-two-lines",
            ),
            pytest.param(Spec(label="Pay ~5"), 0, NOT_SUPPORTED, id="label-character"),
            pytest.param(Spec(label="x" * 41), 0, NOT_SUPPORTED, id="label-too-wide"),
            pytest.param(Spec(label="\n" * 30), 0, NOT_SUPPORTED, id="label-too-tall"),
            pytest.param(
                Spec(label="x", label_xy=(470, 0)), 0, NOT_SUPPORTED, id="label-offset"
            ),
            pytest.param(
                Spec(button_texts={OK: "Eleven char"}),
                0,
                NOT_SUPPORTED,
                id="button-text-too-wide",
            ),
            pytest.param(
                Spec(button_texts={OK: "two\nlines"}),
                0,
                NOT_SUPPORTED,
                id="button-text-on-two-lines",
            ),
            pytest.param(
                Spec(button_texts={OK: IMAGE_BUTTON}),
                0,
                NOT_SUPPORTED,
                id="button-image",
            ),
            pytest.param(Spec(image_source=3), 0, BAD_PARAMETERS, id="image-source"),
            pytest.param(
                Spec(image_source=REF_SOURCE, image=png(481, 8), image_wh=(481, 8)),
                0,
                NOT_SUPPORTED,
                id="image-too-wide",
            ),
        ],
    )
    def test_misuse_panics_the_ta(
        self, scripted: Tee, spec: Spec, flags: int, code: int
    ) -> None:
        scripted.write_script({"button": "ok"})
        before = len(scripted.tee.log(TA_TUI_TEST_UUID))
        with tui_ta(scripted) as ta, pytest.raises(TargetDead):
            ta.display(spec, flags)
        said = scripted.tee.log(TA_TUI_TEST_UUID)[before:]
        assert "TA panicked with code 0x%08x" % code in said, said

    def test_misuse_panics_even_without_a_session_and_leaves_the_tui_free(
        self, scripted: Tee
    ) -> None:
        with tui_ta(scripted) as ta, pytest.raises(TargetDead):
            ta.display(Spec(buttons=(OK, CANCEL)))
        with tui_ta(scripted) as ta:
            init_when_free(ta)
            assert ta.close() == SUCCESS

    def test_the_fallback_build_answers_not_supported(
        self, scripted: Tee, tmp_path: Path
    ) -> None:
        # As with OP-TEE's dev kit, which does not define CFG_PYTEE_TUI.
        out = scripted.tee.build_ta(
            TA_TUI_TEST_DIR, tmp_path / "out", CFG_PYTEE_TUI="n"
        )
        built = out / ("%s.ta.so" % TA_TUI_TEST_UUID)
        symbols = subprocess.run(
            ["nm", "-D", "--undefined-only", str(built)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "TEE_TUI" not in symbols
        try:
            with tui_ta(scripted) as ta, pytest.raises(pytee.NotSupported):
                ta.init()
        finally:
            # Back to the TA with the Trusted UI for the other tests.
            (scripted.tee.ta_dir / built.name).unlink()


# ============================================================= the display


@pytest.fixture(scope="class")
def displayed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tee]:
    root = tmp_path_factory.mktemp("tui-display")
    with tui_tee(root, None, 30000) as tee:
        yield tee


class Background:
    """A call running in a thread (the TA blocks while its screen is up)."""

    def __init__(self, call: Any, *args: Any, **kwargs: Any) -> None:
        self.result: Any = None
        self.error: BaseException | None = None

        def run() -> None:
            try:
                self.result = call(*args, **kwargs)
            except BaseException as exc:  # handed to the test by join()
                self.error = exc

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def join(self, timeout: float = 20.0) -> Any:
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the call did not return"
        if self.error is not None:
            raise self.error
        return self.result


def next_of(display: DisplayConnection, kind: type, timeout: float = 10.0) -> Any:
    """The next event of ``kind``; session events of an earlier test's
    instance (still ending when this one attached) are passed over."""
    deadline = time.monotonic() + timeout
    while True:
        event = display.next_event(max(0.0, deadline - time.monotonic()))
        if isinstance(event, kind):
            return event
        assert isinstance(
            event, (display_mod.SessionStarted, display_mod.SessionEnded)
        ), event


class TestDisplay:
    def test_without_display_or_script_the_tui_is_busy(self, displayed: Tee) -> None:
        with tui_ta(displayed) as ta:
            assert ta.init() == BUSY
        assert "busy, no display and no script" in displayed.log()

    def test_a_display_shows_the_screen_and_answers_it(self, displayed: Tee) -> None:
        with displayed.attach() as display, tui_ta(displayed) as ta:
            init_when_free(ta)
            started = next_of(display, display_mod.SessionStarted)
            assert started.ta == uuid.UUID(TA_TUI_TEST_UUID)
            spec = Spec(
                label="Pay 12.50 EUR\nto Corner Shop",
                label_xy=(12, 24),
                rgb=0x336699,
                buttons=(CANCEL, VALIDATE),
                button_texts={VALIDATE: "Pay"},
                entries=[Entry("PIN", HIDDEN, NUMERICAL, 4, 6)],
                image_source=REF_SOURCE,
                image=png(16, 16),
                image_wh=(16, 16),
                image_xy=(400, 0),
            )
            call = Background(ta.display, spec)
            screen = next_of(display, Screen)
            assert screen.ta == uuid.UUID(TA_TUI_TEST_UUID)
            assert screen.label == "Pay 12.50 EUR\nto Corner Shop"
            assert screen.label_offset == (12, 24)
            assert screen.label_color == (0x33, 0x66, 0x99)
            assert screen.buttons == (CORRECTION, CANCEL, VALIDATE)
            assert screen.exits == (CANCEL, VALIDATE)
            assert screen.button_text(VALIDATE) == "Pay"
            assert screen.button_text(CANCEL) == "Cancel"
            assert screen.image == (16, 16, 400, 0)
            assert screen.entries == (
                display_mod.EntryField("PIN", HIDDEN, NUMERICAL, 4, 6),
            )
            assert not screen.close_session
            with pytest.raises(ValueError):
                display.answer(screen, OK, ["1234"])  # not shown
            with pytest.raises(ValueError):
                display.answer(screen, VALIDATE, ["12"])  # too short
            display.answer(screen, VALIDATE, ["4321"])
            shown = call.join()
            assert (shown.result, shown.button, shown.values) == (
                SUCCESS,
                VALIDATE,
                [b"4321"],
            )
            assert ta.close() == SUCCESS
            ended = next_of(display, display_mod.SessionEnded)
            assert ended.ta == uuid.UUID(TA_TUI_TEST_UUID)

    def test_a_display_attached_mid_session_learns_of_it(self, displayed: Tee) -> None:
        with tui_ta(displayed) as ta:
            with displayed.attach():
                init_when_free(ta)
            # The display left: the session remains but has no screen.
            with displayed.attach() as display:
                next_of(display, display_mod.SessionStarted)
                assert ta.close() == SUCCESS
                next_of(display, display_mod.SessionEnded)

    def test_one_display_at_a_time(self, displayed: Tee) -> None:
        with displayed.attach(), pytest.raises(DisplayBusy):
            DisplayConnection(displayed.tee.runtime_dir)
        # The first one gone, another may attach.
        displayed.attach().close()

    def test_walking_away_cancels_from_the_ree_and_ends_the_session(
        self, displayed: Tee
    ) -> None:
        with displayed.attach() as display, tui_ta(displayed) as ta:
            init_when_free(ta)
            next_of(display, display_mod.SessionStarted)
            call = Background(ta.display, Spec())
            display.walk_away(next_of(display, Screen))
            assert call.join().result == EXTERNAL_CANCEL
            next_of(display, display_mod.SessionEnded)
            assert ta.close() == BAD_STATE

    def test_a_display_that_goes_during_a_screen_cancels_it(
        self, displayed: Tee
    ) -> None:
        with tui_ta(displayed) as ta:
            display = displayed.attach()
            init_when_free(ta)
            call = Background(ta.display, Spec())
            next_of(display, display_mod.SessionStarted)
            next_of(display, Screen)
            display.close()
            assert call.join().result == EXTERNAL_CANCEL
            assert ta.close() == BAD_STATE

    def test_a_cancelled_command_takes_the_screen_down(self, displayed: Tee) -> None:
        token = CancelToken()
        with displayed.attach() as display, tui_ta(displayed) as ta:
            init_when_free(ta)
            next_of(display, display_mod.SessionStarted)
            call = Background(ta.display, Spec(), FLAG_UNMASK_CANCEL, cancel=token)
            screen = next_of(display, Screen)
            token.cancel()
            down = next_of(display, display_mod.ScreenTakenDown)
            assert (down.number, down.reason) == (screen.number, CANCEL_ERR)
            assert call.join().result == CANCEL_ERR
            # A late answer to that screen is ignored.
            display.answer(screen, OK)
            assert ta.close() == SUCCESS
            next_of(display, display_mod.SessionEnded)

    def test_a_ta_that_dies_takes_its_screen_down(self, displayed: Tee) -> None:
        with displayed.attach() as display:
            others = set(displayed.tee.processes())
            with tui_ta(displayed) as ta:
                init_when_free(ta)
                next_of(display, display_mod.SessionStarted)
                call = Background(ta.display, Spec())
                screen = next_of(display, Screen)
                host = [
                    pid
                    for pid, name in set(displayed.tee.processes()) - others
                    if name == "tahost"
                ]
                assert len(host) == 1
                os.kill(host[0], 9)
                with pytest.raises(TargetDead):
                    call.join()
            down = next_of(display, display_mod.ScreenTakenDown)
            assert down.number == screen.number
            next_of(display, display_mod.SessionEnded)

    def test_an_answer_that_does_not_fit_drops_the_display(
        self, displayed: Tee
    ) -> None:
        with tui_ta(displayed) as ta:
            display = displayed.attach()
            init_when_free(ta)
            next_of(display, display_mod.SessionStarted)
            call = Background(ta.display, PIN_SCREEN)
            screen = next_of(display, Screen)
            # What DisplayConnection.answer refuses: OK is not on the screen.
            body = display_mod._INPUT.pack(screen.number, 0, OK, 1, 4, 0, 0, 0)
            display._send(display_mod.T_TUI_INPUT, body, b"1234")
            assert call.join().result == EXTERNAL_CANCEL
            with pytest.raises((ConnectionError, display_mod.ProtocolError)):
                while True:
                    display.next_event(10)
            display.close()

    @pytest.mark.parametrize(
        "message",
        [
            b"\x00" * 3,
            # an input with a length that is not the sum of its values
            struct.pack("=HBBI", 0x5054, 1, 17, 8 + 32 + 1)
            + struct.pack("=4I3II", 1, 0, 1, 1, 4, 0, 0, 0)
            + b"1",
            # a screen from the display
            struct.pack("=HBBI", 0x5054, 1, 16, 8 + 172) + bytes(172),
        ],
        ids=["short", "input-length", "screen"],
    )
    def test_a_display_that_breaks_the_protocol_is_dropped(
        self, displayed: Tee, message: bytes
    ) -> None:
        display = displayed.attach()
        display.sock.send(message)
        display.sock.settimeout(10)
        assert display.sock.recv(16) == b""  # teed hung up
        display.close()
        # teed lives on, and the next display is welcome.
        displayed.attach().close()
        with tui_ta(displayed) as ta:
            assert ta.screen_info(PORTRAIT, 0)[0] == SUCCESS

    def test_only_a_ta_host_may_open_a_tui_channel(self, displayed: Tee) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        with sock:
            sock.connect(str(displayed.tee.runtime_dir / "teed.sock"))
            hello = struct.pack("=II", os.getpid(), 2)  # WIRE_HELLO_TUI
            sock.send(struct.pack("=HBBI", 0x5054, 1, 1, 8 + len(hello)) + hello)
            reply = sock.recv(4096)
            assert struct.unpack_from("=I", reply, 8)[0] == ACCESS_DENIED
        assert "not a TA host" in displayed.log()

    def test_pytee_tui_once_takes_input_from_a_pipe(self, displayed: Tee) -> None:
        root = Path(display_mod.__file__).resolve().parent.parent
        env = dict(os.environ, PYTHONPATH=str(root))
        attached = displayed.log().count("display attached")
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pytee.tui",
                "--once",
                "--runtime-dir",
                str(displayed.tee.runtime_dir),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        try:
            displayed.wait_log("display attached", count=attached + 1)
            with tui_ta(displayed) as ta:
                init_when_free(ta)
                call = Background(ta.display, PIN_SCREEN)
                assert proc.stdin is not None
                # a refused value first: letters in a numeric field
                proc.stdin.write("12ab\n9876\n7\nvalidate\n")
                proc.stdin.flush()
                shown = call.join()
                assert (shown.result, shown.button, shown.values) == (
                    SUCCESS,
                    VALIDATE,
                    [b"9876"],
                )
                assert ta.close() == SUCCESS
            out, err = proc.communicate(timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        assert proc.returncode == 0, err
        assert "pytee trusted UI: TA %s" % TA_TUI_TEST_UUID in out
        assert "Pay 12.50 EUR" in out
        assert "PIN takes up to 6 digits" in out
        assert "no such button: '7'" in out
        assert "9876" not in out  # hidden, and never echoed

    def test_pytee_tui_without_a_daemon_says_so(self, tmp_path: Path) -> None:
        assert display_mod.main(["--runtime-dir", str(tmp_path)]) == 1

    def test_the_terminal_rendering_hides_and_reveals(self, displayed: Tee) -> None:
        screen = Screen(
            ta=uuid.UUID(TA_TUI_TEST_UUID),
            number=7,
            orientation=PORTRAIT,
            buttons=(CORRECTION, CANCEL, VALIDATE),
            button_texts={},
            close_session=False,
            label="\ue000Total\ue000 12.50\n\x1b[2J",
            label_offset=(0, 0),
            label_color=(0, 0, 0),
            image=None,
            entries=(
                display_mod.EntryField("PIN", HIDDEN, NUMERICAL, 4, 6),
                display_mod.EntryField("Code", TEMPORARY_CLEAR, ALPHANUMERICAL, 0, 4),
                display_mod.EntryField("Name", CLEAR, ALPHANUMERICAL, 0, 8),
            ),
        )
        edit = display_mod._Editing(screen)
        edit.values = ["1234", "ab", "bob"]
        term = display_mod.TerminalDisplay.__new__(display_mod.TerminalDisplay)
        term.color = False
        text = term.render(edit)
        assert "PIN: [****__]" in text
        assert "Code: [**__]" in text  # revealed for a second only
        assert "Name: [bob_____]" in text
        assert "Total 12.50" in text
        assert "\x1b" not in text  # no terminal escapes from a TA
        edit.revealed_until = time.monotonic() + 60
        assert "Code: [*b__]" in term.render(edit)
