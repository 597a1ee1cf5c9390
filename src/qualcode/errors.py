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
    ├── OutputError        an output file or folder that must not or cannot be written
    ├── ArgumentError      an argument out of range, unknown, or contradicting another
    │                      (also a ``ValueError``; the CLI exits 2, a usage mistake)
    ├── DependencyError    an optional library that is not installed
    ├── ClusterError       a Dask scheduler out of reach, without workers, or losing them
    └── PlanError          a batch plan file (``qualcode batch``) that cannot be used

    QualcodeWarning        (a ``UserWarning``) a file read with a problem worth knowing

A message names the thing (file, line or row, code id), says what is wrong and
says how to fix it, in the library's words (arguments, files, rows, codes): never
in command-line flags, which only the CLI adds where it catches an error.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "ArgumentError",
    "ClusterError",
    "CodebookError",
    "CodingError",
    "CodingsRefused",
    "CorpusError",
    "DependencyError",
    "InteropError",
    "OutputError",
    "PlanError",
    "QualcodeError",
    "QualcodeWarning",
    "ReviewError",
    "StoreError",
]


class QualcodeError(Exception):
    """Root of every error caused by bad user input.

    *option*, when given, names the argument whose value is the fix (such as
    ``"respondents"``); the CLI adds that option's flag to the message.
    """

    def __init__(self, *args: object, option: str | None = None) -> None:
        super().__init__(*args)
        self.option = option


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

    def __init__(
        self, problems: Sequence[str], *, note: str = "", option: str | None = None
    ) -> None:
        self.problems = tuple(problems)
        self.note = note
        more = len(self.problems) - 1
        if more:
            tail = f" (and {more} more refused row{'s' if more > 1 else ''}"
            tail += f"; {note})" if note else ")"
        else:
            tail = f"; {note}" if note else ""
        super().__init__(self.problems[0] + tail, option=option)


class StoreError(QualcodeError):
    """The project store is damaged, too new, or a write was refused."""


class ReviewError(QualcodeError):
    """A draft report cannot be read for quote checking."""


class InteropError(QualcodeError):
    """A REFI-QDA file cannot be imported or exported."""


class OutputError(QualcodeError):
    """An output path is one of the inputs, not a regular file, or cannot be written."""


class ArgumentError(QualcodeError, ValueError):
    """An argument is out of range, unknown, or contradicts another (a usage mistake)."""


class DependencyError(QualcodeError):
    """An optional library a feature needs is not installed; the message says what to install."""


class ClusterError(QualcodeError):
    """The Dask cluster a run was sent to cannot do it: unreachable, no workers, workers lost."""


class PlanError(QualcodeError):
    """A batch plan names no studies, or a study lacks a key or has an unknown one."""


class QualcodeWarning(UserWarning):
    """Something was read, but not quite as written (e.g. a legacy encoding)."""
