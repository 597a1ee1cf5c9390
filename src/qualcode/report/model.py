"""What a report set contains, independent of the format it is written in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from qualcode.analysis import Quote
from qualcode.codebook.model import Code

if TYPE_CHECKING:
    from qualcode.report.i18n import Strings
    from qualcode.report.memos import MemoNote

__all__ = [
    "FigureRef",
    "QuoteGroup",
    "QuoteMarks",
    "ReportContent",
    "ReportSet",
    "Table",
    "VariableSection",
    "time_note",
]


def time_note(quote: Quote) -> str:
    """``", hh:mm:ss"`` after a quote's attribution when it comes from a recording, else ``""``.

    The time is where the quote starts in the ``.vtt``/``.srt`` record
    (``Quote.timestamp``), so that a reader can find the moment.
    """
    return f", {quote.timestamp}" if quote.timestamp else ""


@dataclass(frozen=True)
class FigureRef:
    """A chart of the report: ``figures/<stem>.png`` and ``.svg``, with its caption."""

    stem: str
    caption: str

    def path(self, suffix: str) -> str:
        """The figure's path relative to the report folder (always with ``/``)."""
        return f"figures/{self.stem}.{suffix}"


@dataclass(frozen=True)
class Table:
    """A table to show: a caption and a frame whose columns are display headers.

    ``links`` holds, per row, the file stem (no suffix) that the first cell links
    to, or is empty for no links.
    """

    caption: str
    frame: pd.DataFrame
    note: str = ""
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuoteMarks:
    """What a report shows on a quote besides its text.

    ``tags``: (name, kind) of each code it carries, kind ``code`` or ``valence``;
    ``segments``: the coded segments it joins; ``unreviewed``: it rests on a
    machine coding nobody has reviewed; ``link``: its place in the transcript view.
    """

    tags: tuple[tuple[str, str], ...] = ()
    segments: int = 1
    unreviewed: bool = False
    link: str = ""


@dataclass(frozen=True)
class QuoteGroup:
    """The quotes of one code with one valence, best first; ``total`` counts the unshown too.

    ``marks`` (when given) runs parallel to ``quotes``; ``segments`` counts the
    coded segments of all ``total`` quotes.
    """

    code: Code
    valence: str
    label: str
    quotes: tuple[Quote, ...]
    total: int
    colour: str = "#d8dce3"
    marks: tuple[QuoteMarks, ...] = ()
    segments: int = 0

    def count_text(self, s: Strings) -> str:
        """``4 quotes from 5 coded segments; the 3 best scored shown``, in the pages' language."""
        count = s("quotes_count", n=self.total)
        if self.marks:
            count += " " + s("from_segments", n=self.segments)
        if len(self.quotes) < self.total:
            count += "; " + s("best_shown", shown=len(self.quotes))
        return count


@dataclass(frozen=True)
class VariableSection:
    """One report: a variable's definition, tables, figures and quotes."""

    code: Code
    summary: str
    tables: tuple[Table, ...]
    figures: tuple[FigureRef, ...]
    quote_groups: tuple[QuoteGroup, ...]
    memos: tuple[MemoNote, ...] = ()  # the memos on the variable's codes and codings

    @property
    def file_stem(self) -> str:
        """The report's file name without suffix: the variable's id."""
        return self.code.id


@dataclass(frozen=True)
class ReportContent:
    """Everything the writers render: the overview (index) and one section per variable."""

    title: str
    facts: tuple[tuple[str, str], ...]
    tables: tuple[Table, ...]
    figures: tuple[FigureRef, ...]
    corpus: Table
    sections: tuple[VariableSection, ...]
    notes: tuple[str, ...]
    max_quotes: int
    language: str = "en"
    review_note: str = ""  # shown on every page while machine codings are unreviewed
    memos: tuple[MemoNote, ...] = ()  # every memo of the project: the memo report


@dataclass(frozen=True)
class ReportSet:
    """The files written for a report set, relative to ``folder``, and the number of quotes."""

    folder: Path
    files: tuple[str, ...]
    quotes: int = 0

    @property
    def index(self) -> Path:
        """The page to open first."""
        return self.folder / "index.html"

    def __str__(self) -> str:
        return f"{len(self.files)} files in {self.folder}"
