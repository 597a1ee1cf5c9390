"""Errors raised by qualcode.

Every error a user can cause by giving qualcode bad input is a ``QualcodeError``;
the CLI turns it into one line on stderr and a non-zero exit status. Anything
else escaping the library is a bug.

Hierarchy::

    QualcodeError
    ├── CorpusError        reading interview records and the respondents table
    ├── CodebookError      loading and validating a codebook
    ├── CodingError        codings CSVs, offsets, auto-coding input
    │   └── CodingsRefused one line per refused row of a codings table
    ├── StoreError         the project store (SQLite file)
    ├── ReviewError        checking quotes of a draft report
    ├── InteropError       REFI-QDA import and export
    └── OutputError        an output file that must not or cannot be written

A message names the thing (file, line or row, code id), says what is wrong and
says how to fix it.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "CodebookError",
    "CodingError",
    "CodingsRefused",
    "CorpusError",
    "InteropError",
    "OutputError",
    "QualcodeError",
    "ReviewError",
    "StoreError",
]


class QualcodeError(Exception):
    """Root of every error caused by bad user input."""


class CorpusError(QualcodeError):
    """An interview record or the respondents table cannot be used."""


class CodebookError(QualcodeError):
    """A codebook file is malformed or inconsistent."""


class CodingError(QualcodeError):
    """Codings (a CSV, offsets, a code id) do not fit the corpus or codebook."""


class CodingsRefused(CodingError):
    """Rows of a codings table refused; ``problems`` holds one line per refused row.

    The message is the first row's problem and how many more rows were
    refused, then *note* (what happened as a result, such as "nothing was
    imported") when given.
    """

    def __init__(self, problems: Sequence[str], *, note: str = "") -> None:
        self.problems = tuple(problems)
        self.note = note
        more = len(self.problems) - 1
        if more:
            tail = f" (and {more} more refused row{'s' if more > 1 else ''}"
            tail += f"; {note})" if note else ")"
        else:
            tail = f"; {note}" if note else ""
        super().__init__(self.problems[0] + tail)


class StoreError(QualcodeError):
    """The project store is damaged, too new, or a write was refused."""


class ReviewError(QualcodeError):
    """A draft report cannot be read for quote checking."""


class InteropError(QualcodeError):
    """A REFI-QDA file cannot be imported or exported."""


class OutputError(QualcodeError):
    """An output path is one of the inputs, not a regular file, or cannot be written."""
