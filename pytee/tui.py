"""``pytee tui``: the trusted display of the software TEE, in a terminal.

The GP Trusted User Interface API of the software TEE (docs/tui.md) shows
its screens on a display that ``teed`` owns: this program, run by the user
in a terminal of their own.  It connects to the daemon's socket as *the*
display (one at a time), shows each screen a TA sends, lets the user type
in the entry fields and press a button, and sends that back to the daemon,
which hands it to the TA.  The client application that asked the TA for
something never sees the screen or what was typed.

Layers, as elsewhere in pytee: :class:`DisplayConnection` speaks the
display's side of the wire protocol (``csrc/common/wire.h``), with the
same checks of type, exact length and counts as ``wire.c``, and yields
:class:`Screen` and session events; :class:`TerminalDisplay` draws a
screen and takes the user's input, character by character on a terminal
or line by line from a pipe; :func:`main` runs them::

    pytee tui [--once] [--runtime-dir DIR]

Keys on a terminal: type in the focused entry field (``*`` echoes hidden
characters); Backspace is the Correction button; Tab, Enter or the arrows
move between the fields and the buttons; a digit presses the button of
that number, Enter the focused one.  Ctrl-C leaves the screen (the TA sees
``TEE_ERROR_EXTERNAL_CANCEL``) and quits.
"""

from __future__ import annotations

import argparse
import os
import select
import socket
import struct
import sys
import termios
import time
import tty
import uuid as uuid_module
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO, Union

__all__ = [
    "BUTTON_NAMES",
    "DisplayBusy",
    "DisplayConnection",
    "EntryField",
    "ProtocolError",
    "Screen",
    "ScreenTakenDown",
    "SessionEnded",
    "SessionStarted",
    "TerminalDisplay",
    "main",
    "runtime_dir",
]

# ---------------------------------------------------------------- the wire

WIRE_MAGIC = 0x5054
WIRE_VERSION = 1
WIRE_MAX_MSG = 128 * 1024

# enum wire_type (wire.h)
T_HELLO = 1
T_REPLY = 13
T_TUI_INIT = 14
T_TUI_CLOSE = 15
T_TUI_SCREEN = 16
T_TUI_INPUT = 17
T_TUI_CANCEL = 18

HELLO_DISPLAY = 1  # enum wire_hello_kind

TUI_BUTTONS = 6
TUI_MAX_ENTRIES = 3
TUI_LABEL_MAX = 4096
TUI_TEXT_MAX = 256
TUI_VALUE_MAX = 64
CELL_W = 12
CELL_H = 24

TEE_SUCCESS = 0x00000000
TEE_ERROR_CANCEL = 0xFFFF0002
TEE_ERROR_BUSY = 0xFFFF000D
TEE_ERROR_EXTERNAL_CANCEL = 0xFFFF0011
TEE_ERROR_TARGET_DEAD = 0xFFFF3024

# TEE_TUIButtonType, TEE_TUIEntryFieldMode, TEE_TUIEntryFieldType
CORRECTION, OK, CANCEL, VALIDATE, PREVIOUS, NEXT = range(6)
BUTTON_NAMES = ("Correction", "OK", "Cancel", "Validate", "Previous", "Next")
HIDDEN_MODE, CLEAR_MODE, TEMPORARY_CLEAR_MODE = range(3)
NUMERICAL, ALPHANUMERICAL = range(2)

_HDR = struct.Struct("=HBBI")
_HELLO = struct.Struct("=II")
# struct wire_reply: result, origin, session, seq, then a wire_op (four
# 48-byte params, data_len, pad)
_REPLY = struct.Struct("=IIII192xII")
_SESSION = struct.Struct("=16sII")
_SCREEN = struct.Struct("=16s8I3Bx4I6I2I18I")
_INPUT = struct.Struct("=4I3II")

_ORIENTATIONS = ("portrait", "landscape")
_SCREEN_SIZE = {0: (480, 800), 1: (800, 480)}


class ProtocolError(Exception):
    """The daemon sent something the display protocol does not allow."""


class DisplayBusy(Exception):
    """Another display is attached to the daemon."""


def runtime_dir() -> Path:
    """The daemon's runtime folder, found as libteec finds it."""
    explicit = os.environ.get("PYTEE_RUNTIME_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg:
        return Path(xdg) / "pytee"
    return Path("/tmp/pytee-%d" % os.geteuid())


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError("a text is not UTF-8") from exc


@dataclass(frozen=True)
class EntryField:
    """One entry field of a screen (``TEE_TUIEntryField`` without its buffer)."""

    label: str
    mode: int
    type: int
    min_length: int
    max_length: int

    def accepts(self, char: str) -> bool:
        """Whether ``char`` may be typed in this field."""
        if self.type == NUMERICAL:
            return "0" <= char <= "9"
        return " " <= char <= "}"


@dataclass(frozen=True)
class Screen:
    """A screen a TA asks to show, as the daemon sends it."""

    ta: uuid_module.UUID
    number: int
    orientation: int
    buttons: tuple[int, ...]  # shown, in TEE_TUIButtonType order
    button_texts: dict[int, str]
    close_session: bool
    label: str
    label_offset: tuple[int, int]
    label_color: tuple[int, int, int]
    image: tuple[int, int, int, int] | None  # width, height, x, y
    entries: tuple[EntryField, ...]

    @property
    def exits(self) -> tuple[int, ...]:
        """The buttons that leave the screen (all shown but Correction)."""
        return tuple(b for b in self.buttons if b != CORRECTION)

    def button_text(self, button: int) -> str:
        return self.button_texts.get(button, BUTTON_NAMES[button])


@dataclass(frozen=True)
class SessionStarted:
    """A TA took the Trusted UI."""

    ta: uuid_module.UUID


@dataclass(frozen=True)
class SessionEnded:
    """The TUI session ended."""

    ta: uuid_module.UUID


@dataclass(frozen=True)
class ScreenTakenDown:
    """A screen left the display without the user (``reason`` a TEE_ERROR_*)."""

    number: int
    reason: int


Event = Union[Screen, SessionStarted, SessionEnded, ScreenTakenDown]


def _decode_screen(body: bytes, data: bytes) -> Screen:
    f = _SCREEN.unpack(body)
    (raw_uuid, number, orientation, buttons, custom, close, label_len) = f[:7]
    label_x, label_y = f[7], f[8]
    rgb = (f[9], f[10], f[11])
    image_w, image_h, image_x, image_y = f[12:16]
    button_len = f[16:22]
    nentries, pad1 = f[22], f[23]
    raw_entries = [f[24 + 6 * i : 30 + 6 * i] for i in range(TUI_MAX_ENTRIES)]
    everything = (1 << TUI_BUTTONS) - 1
    if (
        orientation > 1
        or buttons & ~everything
        or custom & ~everything
        or close > 1
        or label_len > TUI_LABEL_MAX
        or pad1
        or nentries > TUI_MAX_ENTRIES
    ):
        raise ProtocolError("screen %d: a field out of range" % number)
    total = label_len
    for i, length in enumerate(button_len):
        if length > TUI_TEXT_MAX or (length and not custom & (1 << i)):
            raise ProtocolError("screen %d: button text %d" % (number, i))
        total += length
    for i, (mode, kind, low, high, label, pad) in enumerate(raw_entries):
        if i >= nentries:
            if mode or kind or low or high or label or pad:
                raise ProtocolError("screen %d: unused entry %d set" % (number, i))
        elif (
            mode > 2
            or kind > 1
            or low > high
            or high > TUI_VALUE_MAX
            or label > TUI_TEXT_MAX
            or pad
        ):
            raise ProtocolError("screen %d: entry %d out of range" % (number, i))
        total += label
    if total != len(data) or b"\0" in data:
        raise ProtocolError("screen %d: %d bytes of texts" % (number, len(data)))
    at = label_len
    label = _text(data[:at])
    texts = {}
    for i, length in enumerate(button_len):
        if custom & (1 << i):
            texts[i] = _text(data[at : at + length])
        at += length
    entries = []
    for mode, kind, low, high, length, _ in raw_entries[:nentries]:
        entries.append(EntryField(_text(data[at : at + length]), mode, kind, low, high))
        at += length
    return Screen(
        ta=uuid_module.UUID(bytes=raw_uuid),
        number=number,
        orientation=orientation,
        buttons=tuple(b for b in range(TUI_BUTTONS) if buttons & (1 << b)),
        button_texts=texts,
        close_session=bool(close),
        label=label,
        label_offset=(label_x, label_y),
        label_color=rgb,
        image=(image_w, image_h, image_x, image_y) if image_w or image_h else None,
        entries=tuple(entries),
    )


class DisplayConnection:
    """The display's connection to ``teed`` (one per daemon at a time).

    Raises :class:`FileNotFoundError`/:class:`ConnectionError` when no
    daemon listens, :class:`DisplayBusy` when another display is attached.
    """

    def __init__(self, runtime: str | os.PathLike[str] | None = None) -> None:
        folder = Path(runtime) if runtime is not None else runtime_dir()
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.sock.connect(str(folder / "teed.sock"))
            self._send(T_HELLO, _HELLO.pack(os.getpid(), HELLO_DISPLAY))
            kind, body, _ = self._recv()
            if kind != T_REPLY:
                raise ProtocolError("message %d instead of the hello's reply" % kind)
            result = _REPLY.unpack(body)[0]
            if result == TEE_ERROR_BUSY:
                raise DisplayBusy("another display is attached to the daemon")
            if result != TEE_SUCCESS:
                raise ProtocolError("the daemon refused the display: 0x%08x" % result)
        except BaseException:
            self.sock.close()
            raise

    def fileno(self) -> int:
        return self.sock.fileno()

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> DisplayConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, kind: int, body: bytes, data: bytes = b"") -> None:
        length = _HDR.size + len(body) + len(data)
        self.sock.send(_HDR.pack(WIRE_MAGIC, WIRE_VERSION, kind, length) + body + data)

    def _recv(self) -> tuple[int, bytes, bytes]:
        raw, ancillary, flags, _ = self.sock.recvmsg(
            WIRE_MAX_MSG, socket.CMSG_SPACE(5 * 4)
        )
        for level, kind, fds in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                for at in range(0, len(fds) - len(fds) % 4, 4):
                    os.close(int.from_bytes(fds[at : at + 4], sys.byteorder))
        if not raw:
            raise ConnectionResetError("the daemon closed the display")
        if ancillary or flags & (socket.MSG_TRUNC | socket.MSG_CTRUNC):
            raise ProtocolError("a message with fds or truncated")
        if len(raw) < _HDR.size:
            raise ProtocolError("a message of %d bytes" % len(raw))
        magic, version, kind, length = _HDR.unpack_from(raw)
        if magic != WIRE_MAGIC or version != WIRE_VERSION or length != len(raw):
            raise ProtocolError("a message with a bad header")
        sizes = {
            T_REPLY: _REPLY.size,
            T_TUI_INIT: _SESSION.size,
            T_TUI_CLOSE: _SESSION.size,
            T_TUI_CANCEL: _SESSION.size,
            T_TUI_SCREEN: _SCREEN.size,
        }
        size = sizes.get(kind)
        if size is None or len(raw) < _HDR.size + size:
            raise ProtocolError("unexpected message %d of %d bytes" % (kind, len(raw)))
        body = raw[_HDR.size : _HDR.size + size]
        data = raw[_HDR.size + size :]
        if kind != T_TUI_SCREEN and data:
            raise ProtocolError("message %d with %d bytes too many" % (kind, len(data)))
        if kind == T_REPLY and _REPLY.unpack(body)[4]:
            raise ProtocolError("a reply with data")
        return kind, body, data

    def next_event(self, timeout: float | None = None) -> Event | None:
        """The next thing the daemon says, or ``None`` after ``timeout`` s."""
        if timeout is not None:
            ready, _, _ = select.select([self.sock], [], [], timeout)
            if not ready:
                return None
        kind, body, data = self._recv()
        if kind == T_TUI_SCREEN:
            return _decode_screen(body, data)
        if kind in (T_TUI_INIT, T_TUI_CLOSE, T_TUI_CANCEL):
            raw_uuid, number, reason = _SESSION.unpack(body)
            ta = uuid_module.UUID(bytes=raw_uuid)
            if kind == T_TUI_INIT:
                return SessionStarted(ta)
            if kind == T_TUI_CLOSE:
                return SessionEnded(ta)
            return ScreenTakenDown(number, reason)
        raise ProtocolError("unexpected message %d" % kind)

    def answer(self, screen: Screen, button: int, values: Sequence[str] = ()) -> None:
        """Leave ``screen`` with ``button``, ``values`` typed in its fields.

        Raises ``ValueError`` for what the daemon would refuse: a button
        not shown or Correction, a value count other than the fields',
        a value too long, of the wrong characters, or (for Validate) too
        short.
        """
        if button not in screen.exits:
            raise ValueError("button %r is not one that leaves the screen" % button)
        if len(values) != len(screen.entries):
            raise ValueError(
                "%d values for %d entry fields" % (len(values), len(screen.entries))
            )
        for value, entry in zip(values, screen.entries):
            if len(value) > entry.max_length or not all(map(entry.accepts, value)):
                raise ValueError("%r does not fit the field %r" % (value, entry.label))
            if button == VALIDATE and len(value) < entry.min_length:
                raise ValueError("%r is too short for %r" % (value, entry.label))
        raw = [value.encode("ascii") for value in values]
        lengths = [len(v) for v in raw] + [0] * (TUI_MAX_ENTRIES - len(raw))
        body = _INPUT.pack(screen.number, TEE_SUCCESS, button, len(raw), *lengths, 0)
        self._send(T_TUI_INPUT, body, b"".join(raw))

    def walk_away(self, screen: Screen) -> None:
        """Leave ``screen`` without a button: the TA gets EXTERNAL_CANCEL."""
        body = _INPUT.pack(screen.number, TEE_ERROR_EXTERNAL_CANCEL, 0, 0, 0, 0, 0, 0)
        self._send(T_TUI_INPUT, body)


# ------------------------------------------------------------ the terminal

_BOLD, _UNDERLINE, _RIGHT, _DOWN = "\ue000", "\ue001", "\ue002", "\ue003"
_KEEP = {"\n"}


def _printable(text: str, markup: bool) -> str:
    """``text`` with nothing a terminal would act on (defence in depth)."""
    out = []
    bold = underline = False
    for char in text.replace("\r\n", "\n").replace("\r", "\n"):
        if char in _KEEP or " " <= char <= "}":
            out.append(char)
        elif char == _BOLD:
            bold = not bold
            out.append("\x1b[1m" if bold and markup else "\x1b[22m" if markup else "")
        elif char == _UNDERLINE:
            underline = not underline
            out.append(
                "\x1b[4m" if underline and markup else "\x1b[24m" if markup else ""
            )
        elif char in (_RIGHT, _DOWN):
            continue
        else:
            out.append("?")
    if markup and (bold or underline):
        out.append("\x1b[22;24m")
    return "".join(out)


@dataclass
class _Editing:
    """What the user has done so far on one screen."""

    screen: Screen
    values: list[str] = field(default_factory=list)
    focus: int = 0  # entry index, or len(entries) + button position
    revealed_until: float = 0.0  # TEMPORARY_CLEAR: last character shown until
    message: str = ""

    def __post_init__(self) -> None:
        self.values = [""] * len(self.screen.entries)

    @property
    def on_buttons(self) -> bool:
        return self.focus >= len(self.screen.entries)


class TerminalDisplay:
    """Draws screens on ``out`` and reads the user's keys from ``inp``."""

    def __init__(self, conn: DisplayConnection, inp: TextIO, out: TextIO) -> None:
        self.conn = conn
        self.inp = inp
        self.out = out
        self.tty = inp.isatty() and out.isatty()
        self.color = self.tty and not os.environ.get("NO_COLOR")
        self._fd = inp.fileno()
        self._pending = b""  # line mode: input read but not used yet

    # -- drawing -----------------------------------------------------------

    def render(self, edit: _Editing) -> str:
        """The screen as text: header (the security indicator), label,
        entry fields, buttons."""
        s = edit.screen
        width, _ = _SCREEN_SIZE[s.orientation]
        cols = width // CELL_W
        rule = "+" + "-" * cols + "+"
        lines = [
            rule,
            "| pytee trusted UI: TA %s" % s.ta,
            "| screen %d, %s" % (s.number, _ORIENTATIONS[s.orientation]),
            rule,
        ]
        pad_left = " " * (s.label_offset[0] // CELL_W)
        lines.extend([""] * (s.label_offset[1] // CELL_H))
        label = _printable(s.label, self.color)
        if self.color and s.label:
            label = "\x1b[38;2;%d;%d;%dm%s\x1b[39m" % (*s.label_color, label)
        lines.extend(pad_left + line for line in label.split("\n") if s.label)
        if s.image:
            lines.append("[image %dx%d px at %d,%d]" % s.image)
        lines.append("")
        now = time.monotonic()
        for i, entry in enumerate(s.entries):
            value = edit.values[i]
            if entry.mode == HIDDEN_MODE:
                shown = "*" * len(value)
            elif entry.mode == TEMPORARY_CLEAR_MODE:
                last = value[-1:] if now < edit.revealed_until else "*" * bool(value)
                shown = "*" * (len(value) - 1) + last if value else ""
            else:
                shown = value
            mark = ">" if edit.focus == i else " "
            lines.append(
                "%s %s: [%s%s] (%d-%d %s)"
                % (
                    mark,
                    _printable(entry.label, False),
                    shown,
                    "_" * (entry.max_length - len(value)),
                    entry.min_length,
                    entry.max_length,
                    "digits" if entry.type == NUMERICAL else "characters",
                )
            )
        buttons = []
        for n, button in enumerate(s.exits):
            text = "%d %s" % (n + 1, _printable(s.button_text(button), False))
            focused = edit.on_buttons and edit.focus - len(s.entries) == n
            buttons.append("[%s]" % text if focused else " %s " % text)
        if CORRECTION in s.buttons:
            buttons.append(
                " Backspace %s " % _printable(s.button_text(CORRECTION), False)
            )
        lines.append("")
        lines.append(" ".join(buttons))
        if edit.message:
            lines.append(edit.message)
        lines.append(rule)
        return "\n".join(lines) + "\n"

    def _draw(self, edit: _Editing) -> None:
        if self.tty:
            self.out.write("\x1b[H\x1b[2J")
        self.out.write(self.render(edit).replace("\n", "\r\n" if self.tty else "\n"))
        self.out.flush()

    def _say(self, text: str) -> None:
        self.out.write(text + ("\r\n" if self.tty else "\n"))
        self.out.flush()

    # -- input -------------------------------------------------------------

    def _press(self, edit: _Editing, button: int) -> bool:
        """Whether ``button`` may leave the screen now (Validate needs every
        field at its minimum length)."""
        if button == VALIDATE:
            for entry, value in zip(edit.screen.entries, edit.values):
                if len(value) < entry.min_length:
                    edit.message = "%s needs at least %d characters" % (
                        _printable(entry.label, False),
                        entry.min_length,
                    )
                    return False
        self.conn.answer(edit.screen, button, edit.values)
        return True

    def _key(self, edit: _Editing, key: str) -> bool:
        """Apply one key; True when the screen was left."""
        s = edit.screen
        n_entries = len(s.entries)
        edit.message = ""
        if key in ("\t", "\r", "\n", "\x1b[B", "\x1b[C"):
            if key in ("\r", "\n") and edit.on_buttons:
                return self._press(edit, s.exits[edit.focus - n_entries])
            edit.focus = (edit.focus + 1) % (n_entries + len(s.exits))
        elif key in ("\x1b[A", "\x1b[D", "\x1b[Z"):
            edit.focus = (edit.focus - 1) % (n_entries + len(s.exits))
        elif key in ("\x7f", "\b"):
            if n_entries and CORRECTION in s.buttons:
                i = min(edit.focus, n_entries - 1)
                edit.values[i] = edit.values[i][:-1]
        elif edit.on_buttons or not n_entries:
            if key.isdigit() and 1 <= int(key) <= len(s.exits):
                return self._press(edit, s.exits[int(key) - 1])
        elif len(key) == 1:
            entry = s.entries[edit.focus]
            value = edit.values[edit.focus]
            if entry.accepts(key) and len(value) < entry.max_length:
                edit.values[edit.focus] = value + key
                edit.revealed_until = time.monotonic() + 1.0
        return False

    def _read_key(self) -> str:
        key = os.read(self._fd, 1).decode("latin-1")
        if key == "\x1b":
            ready, _, _ = select.select([self._fd], [], [], 0.05)
            if ready:
                key += os.read(self._fd, 2).decode("latin-1")
        return key

    def _prompt(self, edit: _Editing) -> None:
        """Line mode: ask for the focused field, or for the button."""
        s = edit.screen
        if edit.message:
            self._say(edit.message)
            edit.message = ""
        if not edit.on_buttons:
            self.out.write("%s: " % _printable(s.entries[edit.focus].label, False))
        else:
            names = ", ".join(
                "%d %s" % (n + 1, _printable(s.button_text(b), False))
                for n, b in enumerate(s.exits)
            )
            self.out.write("button (%s): " % names)
        self.out.flush()

    def _line(self, edit: _Editing, line: str) -> bool:
        """Line mode: apply one line; True when the screen was left."""
        s = edit.screen
        if not edit.on_buttons:
            entry = s.entries[edit.focus]
            if len(line) > entry.max_length or not all(map(entry.accepts, line)):
                edit.message = "%s takes up to %d %s" % (
                    _printable(entry.label, False),
                    entry.max_length,
                    "digits" if entry.type == NUMERICAL else "characters",
                )
                return False
            edit.values[edit.focus] = line
            edit.focus += 1
            return False
        choice = line.strip().lower()
        for n, button in enumerate(s.exits):
            if choice in (str(n + 1), BUTTON_NAMES[button].lower()):
                return self._press(edit, button)
        edit.message = "no such button: %r" % choice
        return False

    def _take_line(self) -> str | None:
        if b"\n" not in self._pending:
            return None
        line, _, self._pending = self._pending.partition(b"\n")
        return line.decode("utf-8", "replace").rstrip("\r")

    def show(self, screen: Screen) -> str:
        """Show ``screen`` until the user leaves it or the daemon takes it
        down: ``"answered"``, ``"taken down"``, ``"quit"`` (Ctrl-C, or the
        end of the input: the screen is left without a button)."""
        edit = _Editing(screen)
        self._draw(edit)
        if not self.tty:
            self._prompt(edit)
        try:
            while True:
                line = None if self.tty else self._take_line()
                if line is not None:
                    if self._line(edit, line):
                        return "answered"
                    self._prompt(edit)
                    continue
                timeout = None
                if self.tty and edit.revealed_until:
                    timeout = max(0.0, edit.revealed_until - time.monotonic())
                sock = self.conn.fileno()
                ready, _, _ = select.select([sock, self._fd], [], [], timeout)
                if sock in ready:
                    event = self.conn.next_event()
                    if isinstance(event, ScreenTakenDown):
                        if event.number == screen.number:
                            self._say(
                                "screen %d taken down (0x%08x)"
                                % (event.number, event.reason)
                            )
                            return "taken down"
                    elif isinstance(event, Screen):
                        raise ProtocolError(
                            "screen %d while screen %d is up"
                            % (event.number, screen.number)
                        )
                    continue
                if self._fd not in ready:
                    edit.revealed_until = 0.0  # a temporary clear expired
                    self._draw(edit)
                    continue
                if not self.tty:
                    chunk = os.read(self._fd, 4096)
                    if not chunk:
                        self.conn.walk_away(screen)
                        return "quit"
                    self._pending += chunk
                    continue
                key = self._read_key()
                if key in ("\x03", "\x04", ""):
                    self.conn.walk_away(screen)
                    return "quit"
                if self._key(edit, key):
                    return "answered"
                self._draw(edit)
        except KeyboardInterrupt:
            self.conn.walk_away(screen)
            return "quit"

    def run(self, once: bool = False) -> int:
        """Serve screens until the daemon goes (or, with ``once``, until one
        screen is answered)."""
        saved = None
        if self.tty:
            saved = termios.tcgetattr(self.inp.fileno())
            tty.setcbreak(self.inp.fileno())
        try:
            self._say("pytee trusted display attached; waiting for a TA")
            while True:
                event = self.conn.next_event()
                if isinstance(event, SessionStarted):
                    self._say("TA %s took the trusted UI" % event.ta)
                elif isinstance(event, SessionEnded):
                    self._say("TA %s left the trusted UI" % event.ta)
                elif isinstance(event, Screen):
                    outcome = self.show(event)
                    if outcome == "quit" or (once and outcome == "answered"):
                        return 0
        except (ConnectionResetError, BrokenPipeError):
            self._say("the daemon is gone")
            return 0
        except KeyboardInterrupt:
            return 0
        finally:
            if saved is not None:
                termios.tcsetattr(self.inp.fileno(), termios.TCSADRAIN, saved)


def main(argv: Sequence[str] | None = None) -> int:
    """``pytee tui``: run the trusted display; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="pytee tui",
        description="The trusted display of pytee's software TEE (docs/tui.md).",
    )
    parser.add_argument(
        "--once", action="store_true", help="exit after the first screen answered"
    )
    parser.add_argument(
        "--runtime-dir",
        metavar="DIR",
        help="the daemon's runtime folder (default: as libteec finds it)",
    )
    args = parser.parse_args(argv)
    try:
        conn = DisplayConnection(args.runtime_dir)
    except DisplayBusy as exc:
        print("pytee tui: %s" % exc, file=sys.stderr)
        return 1
    except OSError as exc:
        print("pytee tui: no daemon to attach to: %s" % exc, file=sys.stderr)
        return 1
    with conn:
        return TerminalDisplay(conn, sys.stdin, sys.stdout).run(once=args.once)


if __name__ == "__main__":
    sys.exit(main())
