"""Report sets on a Dask cluster: per-partition summaries and quotes, put together in order.

Each worker analyses its partition with the same :class:`~qualcode.analysis.Analysis`
the local engine uses and sends back a :class:`~qualcode.analysis.summary.Summary`
(counts per file, code and valence; co-occurrence and framework counts; one
line per transcript) and the partition's quotes. The client merges the
summaries (sums, and counts of distinct respondents and organisations over
the per-file counts) and orders the quotes as one corpus would, then writes the
report set with the local engine's writer: the same files, byte for byte.
No process holds the codings or the texts of the whole corpus; the client
holds the quote table (one row per quote, for ``quotes.csv``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from qualcode.analysis import Analysis
from qualcode.analysis.summary import QuoteTables, Summary
from qualcode.codebook.model import Codebook
from qualcode.coding.autocoder import Selection
from qualcode.coding.csvio import write_codings_parts
from qualcode.coding.model import CODINGS_COLUMNS
from qualcode.corpus import CorpusIssue
from qualcode.corpus.segments import check_unit
from qualcode.engine.autocode import code_corpus, corpus_parts
from qualcode.engine.cluster import worker_count
from qualcode.engine.records import Part, RecordSource, read_part
from qualcode.engine.tasks import run_parts

__all__ = ["ReportPart", "report_part", "report_records", "summarise_analysis"]


@dataclass(frozen=True)
class ReportPart:
    """What a worker sends back for one partition of a report run."""

    summary: Summary
    quotes: QuoteTables
    codings: pd.DataFrame | None  # the auto-codings, when the run keeps them


def report_part(
    part: Part, codebook: Codebook, unit: str, selection: Selection, keep: bool
) -> ReportPart:
    """Read, auto-code (unless the part carries codings) and summarise one partition."""
    corpus = read_part(part)
    if part.codings is None:
        frame = code_corpus(corpus, codebook, unit, selection)
        analysis = Analysis(frame, corpus, codebook, unit=check_unit(unit), source="auto-coding")
    else:
        frame = part.codings
        analysis = Analysis(frame, corpus, codebook, unit=check_unit(unit))
    kept = frame if keep and part.codings is None else None
    return ReportPart(Summary.of(analysis), QuoteTables.of(analysis), kept)


def _gather(
    client: Any,
    parts: Sequence[Part],
    codebook: Codebook,
    unit: str,
    selection: Selection,
    *,
    autocoded: Path | None,
    progress: Callable[[Iterator[ReportPart], int], Iterator[ReportPart]] | None = None,
) -> tuple[list[Summary], list[QuoteTables], list[CorpusIssue]]:
    stream = run_parts(client, report_part, parts, codebook, unit, selection, autocoded is not None)
    if progress is not None:
        stream = progress(stream, len(parts))
    summaries: list[Summary] = []
    quotes: list[QuoteTables] = []

    def frames() -> Iterator[pd.DataFrame]:
        yield pd.DataFrame(columns=list(CODINGS_COLUMNS))  # the header, also of no codings
        for part in stream:
            summaries.append(part.summary)
            quotes.append(part.quotes)
            if part.codings is not None:
                yield part.codings

    if autocoded is not None:
        write_codings_parts(frames(), autocoded)
    else:
        for _ in frames():
            pass
    return summaries, quotes, [e for s in summaries for e in s.errors]


def report_records(
    source: RecordSource,
    codebook: Codebook,
    *,
    client: Any,
    unit: str = "paragraph",
    selection: Selection | None = None,
    autocoded: Path | None = None,
    progress: Callable[[Iterator[ReportPart], int], Iterator[ReportPart]] | None = None,
) -> tuple[Summary, QuoteTables]:
    """Auto-code and summarise the records of *source* on the cluster of *client*.

    Returns the summary of the whole corpus (its ``errors`` in the order the
    local engine reports them) and its quotes. The auto-codings are written
    to *autocoded* (part by part, in corpus order) unless it is None.
    """
    parts = source.parts(worker_count(client)) or [Part(0, source.root, ())]
    summaries, quotes, errors = _gather(
        client,
        parts,
        codebook,
        unit,
        selection or Selection(),
        autocoded=autocoded,
        progress=progress,
    )
    issues = [*source.issues_before(), *errors, *source.issues_after()]
    return Summary.merge(summaries, errors=issues), QuoteTables.merge(quotes, codebook)


def summarise_analysis(analysis: Analysis, client: Any) -> tuple[Summary, QuoteTables]:
    """The summary and quotes of an analysis made here, computed per partition on a cluster."""
    parts = corpus_parts(analysis.corpus, worker_count(client)) or [
        Part(0, str(analysis.corpus.root), (), transcripts=())
    ]
    codings = analysis.codings
    parts = [replace(p, codings=codings[codings["file"].isin(p.names)]) for p in parts]
    summaries, quotes, _ = _gather(
        client, parts, analysis.codebook, analysis.unit, Selection(), autocoded=None
    )
    merged = Summary.merge(summaries, errors=analysis.corpus.errors)
    return merged, QuoteTables.merge(quotes, analysis.codebook)
