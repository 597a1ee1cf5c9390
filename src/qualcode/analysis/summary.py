"""``Summary``: what a report needs from an analysis, in tables that add up across partitions.

A report set needs counts (coded segments per file, code and valence), the
co-occurrence and framework-matrix counts, and one line per transcript (who,
how many words and segments); never the codings or the texts themselves.
:meth:`Summary.of` takes these from an :class:`~qualcode.analysis.Analysis`;
:meth:`Summary.merge` puts the summaries of parts of a corpus (the Dask
engine's partitions, a few files each) together into the summary of the whole,
equal to the one :meth:`Summary.of` gives for the whole corpus. The report
is always written from a summary, whichever engine made it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, reduce

import numpy as np
import pandas as pd

from qualcode.analysis import frequencies as _freq
from qualcode.analysis import matrix as _matrix
from qualcode.analysis.codings import transcript_table
from qualcode.analysis.quotes import QUOTE_COLUMNS, quote_frame
from qualcode.codebook.model import Codebook
from qualcode.corpus import CorpusIssue

__all__ = ["QuoteTables", "Record", "Summary", "Tables", "coded_segments"]


@dataclass(frozen=True)
class Record:
    """One transcript without its text: who, how long, how much of it was coded."""

    file: str
    respondent: str
    organisation: str
    attributes: Mapping[str, str]
    words: int
    segments: int  # respondent segments of the analysis unit
    coded: int  # of which coded with anything


class Tables:
    """Frequencies, cross-tables and comparisons from ``code_counts`` and ``transcripts``.

    Shared by :class:`~qualcode.analysis.Analysis` and :class:`Summary`, so that
    both count the same way. Subclasses provide ``codebook``, ``code_counts``
    (``segment_counts``) and ``transcripts`` (``transcript_table``).
    """

    codebook: Codebook
    code_counts: pd.DataFrame
    transcripts: pd.DataFrame

    @property
    def respondents(self) -> int:
        """Number of respondents in the corpus."""
        return int(self.transcripts["respondent"].nunique())

    @property
    def organisations(self) -> int:
        """Number of organisations in the corpus."""
        return int(self.transcripts["organisation"].nunique())

    def frequencies(
        self,
        *,
        by: str | None = None,
        level: str = "code",
        codes: Iterable[str] | None = None,
        within: str | None = None,
    ) -> pd.DataFrame:
        """Coded segments, respondents and organisations per code (sub-codes roll up).

        *by* (``organisation``, ``respondent``, ``file`` or a respondents-table
        column such as ``steering_group``) gives one row per code and group.
        *level* is ``code`` (every code) or ``variable`` (the variables only);
        *codes* picks codes by id, *within* a code and its sub-codes. Columns:
        ``variable, code, name, [by], segments, respondents, organisations``.
        """
        return _freq.frequencies(
            self.code_counts,
            self.transcripts,
            self.codebook,
            by=by,
            level=level,
            codes=self._pick(codes, within),
        )

    def _pick(self, codes: Iterable[str] | None, within: str | None) -> list[str] | None:
        if within is not None:
            return [c.id for c in self.codebook.descendants(within)]
        return None if codes is None else list(codes)

    def crosstab(
        self,
        *,
        by: str = "organisation",
        level: str = "variable",
        value: str = "segments",
        codes: Iterable[str] | None = None,
        within: str | None = None,
    ) -> pd.DataFrame:
        """Codes x groups of *by*: *value* (``segments``, ``respondents`` or ``organisations``).

        The codes are chosen as in :meth:`frequencies`.
        """
        freq = self.frequencies(by=by, level=level, codes=codes, within=within)
        return _matrix.crosstab(freq, by=by, value=value)

    def group_sizes(self, by: str) -> pd.DataFrame:
        """Respondents and organisations in each group of *by*."""
        return _freq.group_sizes(self.transcripts, by)

    def valence_split(
        self,
        *,
        level: str = "variable",
        codes: Iterable[str] | None = None,
        within: str | None = None,
    ) -> pd.DataFrame:
        """Coded segments per code split by the valence coded on the same segment.

        The codes are chosen as in :meth:`frequencies`.
        """
        return _freq.valence_split(
            self.code_counts, self.codebook, level=level, codes=self._pick(codes, within)
        )

    def compare(
        self, attribute: str = "steering_group", *, level: str = "variable"
    ) -> pd.DataFrame:
        """Codes compared between the groups of *attribute* (see ``matrix.compare``)."""
        return _matrix.compare(
            self.code_counts, self.transcripts, self.codebook, attribute=attribute, level=level
        )


@dataclass(frozen=True, eq=False)
class Summary(Tables):
    """The additive tables of an analysis: everything a report set is written from.

    Build with :meth:`of` (one analysis) or :meth:`merge` (parts of a corpus).
    """

    codebook: Codebook
    unit: str
    records: tuple[Record, ...]
    code_counts: pd.DataFrame  # file, code, valence, segments
    pairs: pd.DataFrame  # co-occurrence of the variables (square, by code id)
    framework: pd.DataFrame  # organisations x variables: quotes merged per variable
    codings: int
    coders: tuple[str, ...]
    errors: tuple[CorpusIssue, ...] = ()

    @classmethod
    def of(cls, analysis: object) -> Summary:
        """The summary of an :class:`~qualcode.analysis.Analysis`."""
        from qualcode.analysis.core import Analysis

        assert isinstance(analysis, Analysis)
        segments = analysis.segments.groupby("file").size()
        coded = analysis.segment_codes.drop_duplicates(["file", "segment"]).groupby("file").size()
        records = tuple(
            Record(
                t.file,
                t.respondent,
                t.organisation,
                dict(t.attributes),
                t.words,
                int(segments.get(t.file, 0)),
                int(coded.get(t.file, 0)),
            )
            for t in analysis.corpus.transcripts
        )
        return cls(
            codebook=analysis.codebook,
            unit=analysis.unit,
            records=records,
            code_counts=analysis.code_counts,
            pairs=analysis.cooccurrence(),
            framework=analysis.framework_matrix(),
            codings=len(analysis.codings),
            coders=tuple(sorted({c for c in analysis.codings["coder"].unique() if c})),
            errors=analysis.corpus.errors,
        )

    @classmethod
    def merge(cls, parts: Sequence[Summary], *, errors: Sequence[CorpusIssue]) -> Summary:
        """The summary of a corpus from the summaries of its *parts* (in corpus order).

        *errors* are the problems of the whole corpus (the parts only know their
        own files).
        """
        first = parts[0]
        records = tuple(r for p in parts for r in p.records)
        counts = pd.concat([p.code_counts for p in parts], ignore_index=True)
        pairs = reduce(lambda a, b: a + b, [p.pairs for p in parts])
        zero = _matrix.framework_matrix(
            pd.DataFrame(columns=list(QUOTE_COLUMNS)),
            transcript_table(records),
            first.codebook,
        )
        framework = (
            pd.concat([p.framework for p in parts])
            .groupby(level=0)
            .sum()
            .reindex(index=zero.index, columns=zero.columns, fill_value=0)
            .astype(np.int64)
        )
        return cls(
            codebook=first.codebook,
            unit=first.unit,
            records=records,
            code_counts=counts,
            pairs=pairs,
            framework=framework,
            codings=sum(p.codings for p in parts),
            coders=tuple(sorted({c for p in parts for c in p.coders})),
            errors=tuple(errors),
        )

    @cached_property
    def transcripts(self) -> pd.DataFrame:  # type: ignore[override]
        """One row per transcript: file, respondent, organisation and every attribute."""
        return transcript_table(self.records)

    @property
    def words(self) -> dict[str, int]:
        """Words per file."""
        return {r.file: r.words for r in self.records}

    @property
    def segments(self) -> int:
        """Respondent segments in the corpus."""
        return sum(r.segments for r in self.records)

    @property
    def coded_segments(self) -> int:
        """Respondent segments coded with anything."""
        return sum(r.coded for r in self.records)

    def cooccurrence(self) -> pd.DataFrame:
        """Segments coded with both variables (see ``Analysis.cooccurrence``)."""
        return self.pairs.copy()

    def framework_matrix(self) -> pd.DataFrame:
        """Organisations x variables: the number of quotes (merged per variable) in each cell."""
        return self.framework.copy()


def coded_segments(analysis: object) -> pd.DataFrame:
    """Each segment coded with a variable: ``variable``, ``file``, ``start``, ``end``, and
    ``category``, its valence as the tables count it (a valence id, mixed or none)."""
    from qualcode.analysis.core import Analysis

    assert isinstance(analysis, Analysis)
    codebook = analysis.codebook
    ids = {v.id for v in codebook.variables()}
    rows = analysis.segment_codes
    marks = rows[rows["code"].isin([v.id for v in codebook.valence_codes()])]
    several = marks.duplicated(["file", "segment"], keep=False).to_numpy()
    marks = marks.assign(category=np.where(several, _freq.MIXED, marks["code"].to_numpy()))
    marks = marks.drop_duplicates(["file", "segment"])[["file", "segment", "category"]]
    rows = rows[rows["variable"].isin(ids)].drop_duplicates(["file", "segment", "variable"])
    rows = rows.merge(marks, on=["file", "segment"], how="left").fillna({"category": _freq.NONE})
    return rows.merge(analysis.segments, on=["file", "segment"])[
        ["variable", "file", "start", "end", "category"]
    ]


@dataclass(frozen=True, eq=False)
class QuoteTables:
    """The quotes a report set shows: per code, per variable (passages), and coded segments.

    One row per quote, passage or coded segment; build with :meth:`of` or
    :meth:`merge` (the tables of consecutive parts of a corpus).
    """

    quotes: pd.DataFrame  # per code, every code but the valence codes (quotes.csv)
    passages: pd.DataFrame  # merged per variable
    coded: pd.DataFrame  # segments coded with a variable (``coded_segments``)

    @classmethod
    def of(cls, analysis: object) -> QuoteTables:
        """The quote tables of an :class:`~qualcode.analysis.Analysis`."""
        from qualcode.analysis.core import Analysis

        assert isinstance(analysis, Analysis)
        codings, corpus, codebook = analysis.codings, analysis.corpus, analysis.codebook
        valence = {c.id for c in codebook.valence_codes()}
        codes = [c.id for c in codebook.codes if c.id not in valence]
        return cls(
            quote_frame(codings, corpus, codebook, codes=codes),
            quote_frame(codings, corpus, codebook, codes=codes, group="variable"),
            coded_segments(analysis),
        )

    @classmethod
    def merge(cls, parts: Sequence[QuoteTables], codebook: Codebook) -> QuoteTables:
        """The tables of consecutive parts of a corpus as one corpus's (codebook order first)."""
        return cls(
            _in_code_order([p.quotes for p in parts], codebook),
            _in_code_order([p.passages for p in parts], codebook),
            _concat([p.coded for p in parts]),
        )


def _concat(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    used = [f for f in frames if len(f)] or list(frames[:1])
    return pd.concat(used, ignore_index=True)


def _in_code_order(frames: Sequence[pd.DataFrame], codebook: Codebook) -> pd.DataFrame:
    """Quote frames of consecutive parts as one: by code, then file and position."""
    quotes = _concat(frames)
    order = {c.id: i for i, c in enumerate(codebook.codes)}
    rank = quotes["code"].map(order).to_numpy(dtype=np.int64)
    return quotes.iloc[np.argsort(rank, kind="stable")].reset_index(drop=True)
