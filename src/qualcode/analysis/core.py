"""``Analysis``: codings mapped onto a corpus once, asked for frequencies, matrices and quotes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from qualcode.analysis import cases as _cases
from qualcode.analysis import frequencies as _freq
from qualcode.analysis import matrix as _matrix
from qualcode.analysis.codings import (
    codings_with_variables,
    map_to_segments,
    segment_table,
    transcript_table,
)
from qualcode.analysis.kwic import kwic as _kwic
from qualcode.analysis.quotes import Quote, quote_frame, quotes_of
from qualcode.analysis.summary import Tables
from qualcode.analysis.words import words as _words
from qualcode.codebook.model import Codebook
from qualcode.coding.model import Coding
from qualcode.corpus import Corpus
from qualcode.corpus.model import Unit
from qualcode.corpus.segments import check_unit
from qualcode.errors import ArgumentError

if TYPE_CHECKING:
    from qualcode.store import Project

__all__ = ["Analysis", "Reach", "load_sources"]


def load_sources(
    *,
    transcripts: str | Path | None = None,
    respondents: str | Path | None = None,
    codebook: str | Path | None = None,
    project: str | Path | None = None,
    coder: Sequence[str] = (),
    suggested: bool = False,
) -> tuple[Corpus, Codebook, pd.DataFrame | None]:
    """The corpus, the codebook and, with *project*, the project's codings (else None).

    With *suggested*, the project's pending suggestions come too (their coder is
    the auto-coder's: unreviewed machine codings).

    Without *project*, *transcripts* and *codebook* are needed; with it, they
    replace the project's own when given. *coder* limits the project's codings
    to some coders. Raises ``ArgumentError`` when a source is missing.
    """
    from qualcode.codebook import load_codebook
    from qualcode.corpus import load_corpus

    if project is None:
        if transcripts is None or codebook is None:
            raise ArgumentError("codings are read against transcripts and a codebook, or a project")
        return load_corpus(transcripts, respondents=respondents), load_codebook(codebook), None
    from qualcode.store import Project

    with Project.open(project) as opened:
        corpus = (
            load_corpus(transcripts, respondents=respondents)
            if transcripts is not None
            else opened.corpus
        )
        book = load_codebook(codebook) if codebook is not None else opened.codebook
        status = ("active", "suggested") if suggested else ("active",)
        frame = opened.codings(coder=list(coder) or None, status=status)
    return corpus, book, frame


@dataclass(frozen=True)
class Reach:
    """How widely a code was raised: what a report says as "12 of 21 organisations"."""

    code: str
    name: str
    segments: int
    respondents: int
    of_respondents: int
    organisations: int
    of_organisations: int

    def __str__(self) -> str:
        return (
            f"{self.name}: {self.segments} segment{'s' * (self.segments != 1)}, "
            f"{self.respondents} of {self.of_respondents} respondents, "
            f"{self.organisations} of {self.of_organisations} organisations"
        )


class Analysis(Tables):
    """Codings of a corpus, mapped once onto its segments, ready to count and quote.

    Build it from a codings DataFrame (the codings CSV contract) or a list of
    ``Coding``, the ``Corpus`` they belong to and the ``Codebook``; or use
    :meth:`from_csv` and :meth:`from_project`. Every codings row is checked
    (file, code, offsets, and the coded text when the row carries it) and a
    ``CodingError`` names the first bad row. *unit* is the segment unit that
    frequencies count (``paragraph``, ``turn``, ``sentence``).

    Every method returns a new pandas DataFrame.
    """

    def __init__(
        self,
        codings: pd.DataFrame | Iterable[Coding],
        corpus: Corpus,
        codebook: Codebook,
        *,
        unit: Unit = "paragraph",
        source: str = "codings",
    ) -> None:
        check_unit(unit)
        self.corpus = corpus
        self.codebook = codebook
        self.unit = unit
        self.codings = codings_with_variables(codings, corpus, codebook, source=source)
        self.transcripts = transcript_table(corpus)
        self.segments = segment_table(corpus, unit=unit)
        self.segment_codes = map_to_segments(self.codings, self.segments, corpus)

    @classmethod
    def from_csv(
        cls, path: str | Path, corpus: Corpus, codebook: Codebook, *, unit: Unit = "paragraph"
    ) -> Analysis:
        """An analysis of the codings CSV at *path* (read with ``read_codings``)."""
        from qualcode.coding.codings import read_codings

        return cls(read_codings(path), corpus, codebook, unit=unit, source=Path(path).name)

    @classmethod
    def from_project(
        cls, project: Project, *, coder: str | None = None, unit: Unit = "paragraph"
    ) -> Analysis:
        """An analysis of a project's codings (one *coder*'s, or all) on its corpus and codebook."""
        return cls(
            project.codings(coder=coder),
            project.corpus,
            project.codebook,
            unit=unit,
            source="project",
        )

    @classmethod
    def load(
        cls,
        *,
        transcripts: str | Path | None = None,
        respondents: str | Path | None = None,
        codebook: str | Path | None = None,
        codings: str | Path | None = None,
        project: str | Path | None = None,
        unit: Unit = "paragraph",
    ) -> Analysis:
        """An analysis of a codings CSV (with *transcripts* and *codebook*) or of a project.

        With *project*, its own transcripts and codebook are used unless
        *transcripts* or *codebook* are given. Raises ``ArgumentError`` when a
        source is missing or both *codings* and *project* are given.
        """
        if (codings is None) == (project is None):
            raise ArgumentError("give a codings CSV or a project, not both")
        corpus, book, frame = load_sources(
            transcripts=transcripts, respondents=respondents, codebook=codebook, project=project
        )
        if frame is None:
            return cls.from_csv(str(codings), corpus, book, unit=unit)
        return cls(frame, corpus, book, unit=unit, source=Path(str(project)).name)

    def __repr__(self) -> str:
        return (
            f"<Analysis {len(self.codings)} codings, {len(self.corpus)} transcripts, "
            f"unit={self.unit}>"
        )

    @cached_property
    def rolled_codes(self) -> pd.DataFrame:
        """``segment_codes`` with each code repeated for its ancestors (sub-codes roll up)."""
        return _freq.rolled_up(self.segment_codes, self.codebook)

    @cached_property
    def code_counts(self) -> pd.DataFrame:
        """Coded segments per file, code and valence: what every count is taken from."""
        return _freq.segment_counts(self.rolled_codes, self.codebook)

    # -- counts ---------------------------------------------------------------------------

    def reach(self, code: str) -> Reach:
        """How widely *code* (with its sub-codes) was raised, for a sentence in a report."""
        row = self.frequencies(codes=[code]).iloc[0]
        return Reach(
            code=code,
            name=str(row["name"]),
            segments=int(row["segments"]),
            respondents=int(row["respondents"]),
            of_respondents=self.respondents,
            organisations=int(row["organisations"]),
            of_organisations=self.organisations,
        )

    # -- matrices ---------------------------------------------------------------------------

    def cooccurrence(
        self, *, level: str = "variable", include_valence: bool = False
    ) -> pd.DataFrame:
        """Segments coded with both codes, as a square table (diagonal: coded at all)."""
        return _matrix.cooccurrence(
            self.segment_codes,
            self.codebook,
            level=level,
            include_valence=include_valence,
            rolled=self.rolled_codes,
        )

    def framework_matrix(self, *, values: str = "count") -> pd.DataFrame:
        """Organisations x variables: quotes (merged per variable) or their number per cell."""
        return _matrix.framework_matrix(
            self._variable_quotes, self.transcripts, self.codebook, values=values
        )

    def case_matrix(self, by: str = "organisation", *, values: str = "count") -> pd.DataFrame:
        """Cases of *by* x codes, ready for R or SPSS (see ``qualcode.analysis.cases``).

        One row per case (organisation, respondent, file or group of an
        attribute) with its attributes, then one column per code id: the coded
        segments of the case (sub-codes roll up), or with *values*
        ``presence`` 1 where there are any.
        """
        return _cases.case_matrix(
            self.rolled_codes, self.transcripts, self.codebook, by=by, values=values
        )

    def code_key(self) -> pd.DataFrame:
        """The key to the code columns of :meth:`case_matrix`: id, name, variable, parent."""
        return _cases.code_key(self.codebook)

    # -- words --------------------------------------------------------------------------------

    def words(
        self, *, by: str | None = None, top: int | None = None, min_count: int = 3
    ) -> pd.DataFrame:
        """Lemma frequencies of respondent speech, with *by* their keyness per group.

        See :func:`qualcode.analysis.words.words`; the codebook's language picks
        the lemmas and stop words.
        """
        return _words(
            self.corpus, by=by, top=top, min_count=min_count, language=self.codebook.language
        )

    def kwic(
        self, term: str, *, lemma: bool = False, window: int = 8, code: str | None = None
    ) -> pd.DataFrame:
        """Every occurrence of *term* (pattern language) in respondent speech, in context.

        With *code*, only occurrences inside the codings of that code or its
        sub-codes. See :func:`qualcode.analysis.kwic.kwic` for the columns.
        """
        within = None
        if code is not None:
            ids = [c.id for c in self.codebook.descendants(code)]
            rows = self.codings[self.codings["code"].isin(ids)]
            within = list(
                zip(rows["file"], rows["start"].tolist(), rows["end"].tolist(), strict=True)
            )
        return _kwic(
            self.corpus,
            term,
            lemma=lemma,
            window=window,
            within=within,
            language=self.codebook.language,
        )

    # -- quotes -----------------------------------------------------------------------------

    @cached_property
    def _variable_quotes(self) -> pd.DataFrame:
        ids = [c.id for v in self.codebook.variables() for c in self.codebook.descendants(v.id)]
        return quote_frame(self.codings, self.corpus, self.codebook, codes=ids, group="variable")

    def quotes(
        self,
        code: str | None = None,
        *,
        by_score: bool = True,
        valence: str | None = None,
        organisation: str | None = None,
    ) -> pd.DataFrame:
        """Quotes of *code* (a variable or code id, sub-codes included; None: all codes).

        One row per merged passage and code, respondent speech only, in the
        ``quotes.csv`` columns (``QUOTE_COLUMNS``). *by_score* sorts the best
        evidence first; otherwise codebook order, then file and position.
        *valence* keeps the quotes whose valence includes that valence code
        (mixed quotes too), or with ``""`` those without valence;
        *organisation* keeps one organisation's quotes.
        """
        if code is None:
            ids = [c.id for c in self.codebook.codes]
        else:
            ids = [c.id for c in self.codebook.descendants(code)]
        frame = quote_frame(self.codings, self.corpus, self.codebook, codes=ids)
        if valence is not None:
            has = (
                frame["valence"].str.split(";").map(lambda v: valence in v)
                if valence
                else frame["valence"] == ""
            )
            frame = frame[has.astype(bool)]
        if organisation is not None:
            frame = frame[frame["organisation"] == organisation]
        if by_score:
            frame = frame.sort_values(
                ["score", "file", "start"], ascending=[False, True, True], kind="stable"
            )
        return frame.reset_index(drop=True)

    def quote_list(self, code: str | None = None, *, by_score: bool = True) -> list[Quote]:
        """The quotes of *code* and its sub-codes (all codes when None), as ``Quote`` records."""
        return quotes_of(self.quotes(code, by_score=by_score))
