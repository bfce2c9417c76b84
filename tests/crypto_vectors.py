"""Reads the known-answer files of ``tests/vectors`` (NIST CAVP style).

A file is a list of records ``NAME = value`` separated by blank lines and
started by a ``COUNT``/``Count``/``Len`` line; ``[SECTION]`` lines and the
``NAME = value`` lines between a section header and its first record apply
to every record of the section (``[ENCRYPT]`` is kept as ``_section``,
``[Alen = 0, Plen = 4]`` as the names it lists); a bare ``FAIL`` line marks
a record whose check must fail.  Names are lower-cased.  ``tests/vectors/
README.md`` says where each file comes from.
"""

from __future__ import annotations

import re
from pathlib import Path

VECTORS = Path(__file__).parent / "vectors"

Record = dict[str, str]

_START = re.compile(r"^(count|len)\s*=", re.IGNORECASE)


def load(name: str) -> list[Record]:
    """The records of ``tests/vectors/<name>``."""
    records: list[Record] = []
    section: Record = {}
    current: Record | None = None
    in_headers = False  # only section headers read since the section began
    for raw in (VECTORS / name).read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            if not line:
                current = None
            continue
        if line.startswith("["):
            if not in_headers:
                section = {}
            in_headers = True
            current = None
            body = line[1:-1]
            if "=" in body:
                for part in body.split(","):
                    key, _, value = part.partition("=")
                    section[key.strip().lower()] = value.strip()
            else:
                section["_section"] = body.strip().upper()
            continue
        in_headers = False
        if line.upper() == "FAIL":
            if current is None:
                raise ValueError("%s: FAIL outside a record" % name)
            current["fail"] = "1"
            continue
        key, _, value = line.partition("=")
        key = key.strip().lower()
        if _START.match(line) or (current is not None and key in current):
            current = dict(section)
            records.append(current)
        if current is None:
            section[key] = value.strip()
        else:
            current[key] = value.strip()
    return records


def data(record: Record, name: str) -> bytes:
    """A hex field as bytes (an absent or empty field is empty)."""
    return bytes.fromhex(record.get(name, ""))
