"""The phone's normal UI (patent claims 4 and 9): prompts and the display copy.

:class:`Prompter` is what the client application (CA) asks the user and
tells them; :class:`ConsolePrompter` prints (and answers with a fixed
choice, for unattended runs), :class:`ScriptedPrompter` plays answers
written in advance (tests).  :class:`Display` is the CA's copy of the
balance and the history: non-core data, updated from the receipts the TA
signs, shown to the user and never trusted for a payment (the TA keeps the
balance that counts; malware may edit this copy).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol, TextIO

__all__ = [
    "ConsolePrompter",
    "Display",
    "HistoryEntry",
    "Prompter",
    "ScriptedPrompter",
    "format_amount",
]


def format_amount(fen: int, currency: str = "CNY") -> str:
    """``12345`` -> ``"123.45 CNY"``."""
    sign = "-" if fen < 0 else ""
    return "%s%d.%02d %s" % (sign, abs(fen) // 100, abs(fen) % 100, currency)


class Prompter(Protocol):
    """The normal UI: questions for the user and messages to them."""

    def confirm(self, question: str) -> bool:
        """Ask a yes/no question; True for yes."""
        ...

    def notify(self, message: str) -> None:
        """Tell the user something."""
        ...


class ConsolePrompter:
    """Prints prompts and messages to ``out`` (standard output by default).

    It does not read a terminal: every question gets ``answer``, printed
    after it, so that a demonstration or a script runs unattended.
    """

    def __init__(self, out: TextIO | None = None, *, answer: bool = True) -> None:
        self._out = out
        self.answer = answer

    @property
    def out(self) -> TextIO:
        return self._out if self._out is not None else sys.stdout

    def confirm(self, question: str) -> bool:
        print(
            "  [phone] %s %s" % (question, "yes" if self.answer else "no"),
            file=self.out,
        )
        return self.answer

    def notify(self, message: str) -> None:
        print("  [phone] %s" % message, file=self.out)


class ScriptedPrompter:
    """Answers questions from a script; keeps what it was asked and told.

    A question beyond the script raises ``LookupError``, so a test notices
    a prompt it did not expect.
    """

    def __init__(self, answers: Iterable[bool] = ()) -> None:
        self._answers = list(answers)
        self.questions: list[str] = []
        self.messages: list[str] = []

    def confirm(self, question: str) -> bool:
        self.questions.append(question)
        if not self._answers:
            raise LookupError("no scripted answer for %r" % question)
        return self._answers.pop(0)

    def notify(self, message: str) -> None:
        self.messages.append(message)


@dataclass(frozen=True)
class HistoryEntry:
    """One line of the history: a load or a purchase, as the TA signed it."""

    kind: str
    """``"load"`` or ``"purchase"``."""
    amount: int
    balance: int
    """The balance after it, from the TA's signed receipt."""
    counter: int
    """The load counter of a load, the ATC of a purchase."""
    party: str
    """Who: the issuer of a load, the merchant and terminal of a purchase."""


@dataclass
class Display:
    """The CA's copy of the balance and the history (non-core data).

    ``balance`` is ``None`` until the CA learns one.  It may be edited at
    will: nothing reads it to authorise anything.
    """

    balance: int | None = None
    history: list[HistoryEntry] = field(default_factory=list)
    _recorded: set[tuple[str, int]] = field(
        default_factory=set, init=False, repr=False, compare=False
    )
    """The (kind, counter) of every entry :meth:`record` took: a set, so a
    long history costs nothing per receipt."""

    def __post_init__(self) -> None:
        self._recorded.update((e.kind, e.counter) for e in self.history)

    def record(self, entry: HistoryEntry) -> bool:
        """Add ``entry`` and show its balance; False (nothing changes) if
        this load counter or ATC was recorded before (a receipt sent
        again)."""
        key = (entry.kind, entry.counter)
        if key in self._recorded:
            return False
        self._recorded.add(key)
        self.history.append(entry)
        self.balance = entry.balance
        return True
