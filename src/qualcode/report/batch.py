"""The batch run behind ``qualcode report``: load, auto-code when needed, analyse, write."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from qualcode.analysis import Analysis
from qualcode.codebook.model import Codebook
from qualcode.corpus import Corpus, CorpusIssue
from qualcode.corpus.model import Unit
from qualcode.errors import ArgumentError, OutputError
from qualcode.report.build import (
    DEFAULT_FORMATS,
    DEFAULT_MAX_QUOTES,
    Step,
    build_report,
    write_report,
)
from qualcode.report.model import ReportSet
from qualcode.store.imports import AUTO_CODER

__all__ = ["AUTO_COMPARE", "AUTOCODED_CSV", "ReportRun", "report_corpus"]

#: ``compare`` value meaning: compare by ``steering_group`` when the corpus has that column.
AUTO_COMPARE = "auto"
#: Where the codings go when the report auto-coded the corpus itself.
AUTOCODED_CSV = "codings_auto.csv"


@dataclass(frozen=True)
class ReportRun:
    """What a batch run did: the report set, where auto-codings went, corpus problems."""

    report: ReportSet
    codings: int
    autocoded: Path | None
    errors: tuple[CorpusIssue, ...]
    warnings: tuple[str, ...] = ()


def _sources(
    *,
    transcripts: str | Path | None,
    respondents: str | Path | None,
    codebook: str | Path | None,
    project: str | Path | None,
    coder: Sequence[str],
    reviewed: bool = False,
) -> tuple[Corpus, Codebook, pd.DataFrame | None]:
    """The corpus, the codebook, and the project's codings frame (or None): pending
    suggestions included (marked unreviewed in the report) unless *reviewed* or *coder*."""
    from qualcode.analysis.core import load_sources

    if project is None and (transcripts is None or codebook is None):
        raise ArgumentError("a report needs transcripts and a codebook, or a project")
    return load_sources(
        transcripts=transcripts,
        respondents=respondents,
        codebook=codebook,
        project=project,
        coder=coder,
        suggested=not (reviewed or coder),
    )


def _memos(project: str | Path | None) -> pd.DataFrame | None:
    """The memos of *project* for the report (None without a project)."""
    if project is None:
        return None
    from qualcode.report.memos import project_memos
    from qualcode.store import Project

    with Project.open(project) as opened:
        return project_memos(opened)


def _autocode(
    corpus: Corpus,
    codebook: Codebook,
    target: Path | None,
    *,
    unit: Unit,
    progress: Callable[[Iterator[Any], int], Iterable[Any]] | None,
) -> pd.DataFrame:
    """Auto-code *corpus*; the codings CSV goes to *target* (None: nowhere)."""
    from qualcode.coding.autocoder import autocode_corpus

    def wrap(items: Iterator[Any]) -> Iterable[Any]:
        return items if progress is None else progress(items, len(corpus))

    if target is not None:
        return autocode_corpus(corpus, codebook, target, unit=unit, wrap=wrap)
    with tempfile.TemporaryDirectory(prefix="qualcode-autocode-") as tmp:
        return autocode_corpus(corpus, codebook, Path(tmp) / AUTOCODED_CSV, unit=unit, wrap=wrap)


def report_corpus(
    out: str | Path,
    *,
    transcripts: str | Path | None = None,
    respondents: str | Path | None = None,
    codebook: str | Path | None = None,
    codings: str | Path | None = None,
    project: str | Path | None = None,
    coder: Sequence[str] = (),
    unit: Unit = "paragraph",
    formats: str | Iterable[str] = DEFAULT_FORMATS,
    compare: str | None = AUTO_COMPARE,
    max_quotes: int = DEFAULT_MAX_QUOTES,
    anonymise: bool = False,
    names: Iterable[str] = (),
    title: str = "",
    language: str | None = None,
    workers: int | None = None,
    autocode_progress: Callable[[Iterator[Any], int], Iterable[Any]] | None = None,
    progress: Callable[[Sequence[Step]], Iterable[Step]] | None = None,
    client: Any = None,
    reviewed: bool = False,
) -> ReportRun:
    """Write the report set of a corpus into *out*, auto-coding it first when no codings are given.

    The corpus and codebook come from *transcripts* (+ *respondents*) and
    *codebook*, or from the *project* file (which *transcripts* and *codebook*
    then override). Codings come from the codings CSV *codings*, from the
    project (*coder* limits them to some coders), or, with neither, from the
    auto-coder; auto-codings are also written to ``codings_auto.csv`` in *out*
    so that the report can be checked and rebuilt (not when anonymising: that
    file quotes the transcripts as they are). *compare* ``auto`` compares
    by ``steering_group`` when the respondents table has it. The other options
    are those of :func:`build_report`.

    With a ``dask.distributed`` *client*, a corpus to auto-code is read, coded
    and summarised by the workers of its cluster (records in a folder every
    worker sees, or at an fsspec URL); given codings are analysed here and
    summarised on the cluster. The report set is the same.
    """
    if codings is not None and project is not None:
        raise ArgumentError("give codings or a project, not both")
    if Path(out).exists() and not Path(out).is_dir():
        raise OutputError(f"{out}: exists and is not a folder; choose a folder for the report set")
    if coder and project is None:
        raise ArgumentError("a coder chooses codings of a project; give the project too")
    if reviewed and codings is None and project is None:
        raise ArgumentError(
            "reviewed codings only leaves nothing to report: every auto-coding is unreviewed; "
            "review the suggestions in a project first, or give reviewed codings"
        )
    options: dict[str, Any] = {
        "language": language,
        "formats": formats,
        "max_quotes": max_quotes,
        "anonymise": anonymise,
        "names": names,
        "title": title,
        "progress": progress,
        "workers": workers,
    }
    if client is not None and codings is None and project is None:
        return _report_on_cluster(
            out,
            client,
            transcripts=transcripts,
            respondents=respondents,
            codebook=codebook,
            unit=unit,
            compare=compare,
            autocode_progress=autocode_progress,
            **options,
        )
    corpus, book, frame = _sources(
        transcripts=transcripts,
        respondents=respondents,
        codebook=codebook,
        project=project,
        coder=coder,
        reviewed=reviewed,
    )
    if compare == AUTO_COMPARE:
        compare = "steering_group" if "steering_group" in corpus.attribute_columns() else None
    autocoded: Path | None = None
    if frame is not None:
        analysis = Analysis(frame, corpus, book, unit=unit, source=Path(str(project)).name)
    elif codings is not None:
        analysis = Analysis.from_csv(codings, corpus, book, unit=unit)
        if reviewed:  # the auto-coder's rows are unreviewed suggestions
            kept = analysis.codings[analysis.codings["coder"] != AUTO_CODER]
            analysis = Analysis(kept, corpus, book, unit=unit, source=Path(codings).name)
    else:
        # the codings CSV quotes the transcripts, names and all: not kept when anonymising
        autocoded = None if anonymise else Path(out) / AUTOCODED_CSV
        auto = _autocode(corpus, book, autocoded, unit=unit, progress=autocode_progress)
        analysis = Analysis(auto, corpus, book, unit=unit, source="auto-coding")
    inputs: tuple[str | Path, ...] = (
        *corpus.sources(),
        book.path,
        *(str(p) for p in (codings, project) if p),
    )
    report = build_report(
        analysis,
        out,
        memos=_memos(project),
        compare=compare,
        client=client,
        inputs=inputs,
        **options,
    )
    return ReportRun(report, len(analysis.codings), autocoded, corpus.errors, corpus.warnings)


def _report_on_cluster(
    out: str | Path,
    client: Any,
    *,
    transcripts: str | Path | None,
    respondents: str | Path | None,
    codebook: str | Path | None,
    unit: str,
    compare: str | None,
    anonymise: bool,
    autocode_progress: Callable[[Iterator[Any], int], Iterable[Any]] | None,
    **options: Any,
) -> ReportRun:
    """``report_corpus`` of a corpus to auto-code, on the cluster of *client*."""
    from qualcode.codebook import load_codebook
    from qualcode.engine.records import RecordSource
    from qualcode.engine.report import report_records

    if transcripts is None or codebook is None:
        raise ArgumentError("a report needs transcripts and a codebook, or a project")
    source = RecordSource.open(transcripts, respondents=respondents)
    book = load_codebook(codebook)
    # the codings CSV quotes the transcripts, names and all: not kept when anonymising
    autocoded = None if anonymise else Path(out) / AUTOCODED_CSV

    def wrap(items: Iterator[Any], total: int) -> Iterator[Any]:
        if autocode_progress is None:
            return items
        return iter(autocode_progress(items, total))

    summary, quotes = report_records(
        source, book, client=client, unit=unit, autocoded=autocoded, progress=wrap
    )
    if compare == AUTO_COMPARE:
        has = any("steering_group" in r.attributes for r in summary.records)
        compare = "steering_group" if has else None

    def pages(folder: Path) -> list[str]:
        """The transcript view, read part by part, with the codings the cluster wrote."""
        from qualcode.coding.codings import read_codings
        from qualcode.engine.records import read_part
        from qualcode.report.build import transcript_pages

        assert autocoded is not None
        codings = read_codings(autocoded)
        codings = codings.assign(variable=codings["code"].map(book.variable_of))
        written: list[str] = []
        for part in source.parts(1):
            written += transcript_pages(
                read_part(part).transcripts, codings, book, options.get("language"), folder
            )
        return written

    report = write_report(
        summary,
        quotes,
        out,
        compare=compare,
        anonymise=anonymise,
        inputs=(*source.paths(), book.path),
        pages=pages if autocoded is not None else None,
        **options,
    )
    return ReportRun(report, summary.codings, autocoded, summary.errors, source.warnings)
