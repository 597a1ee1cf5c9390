"""Auto-coding on a Dask cluster: each partition of records read, coded and tabled on a worker.

A worker runs the same auto-coder as the local engine (``autocode`` in one
process, its coder compiled once per worker) and the same ``codings_frame``;
the partitions' codings come back in corpus order (file, then position, then
codebook order), so the table is the local engine's row for row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from qualcode.codebook.model import Codebook
from qualcode.coding.autocoder import Selection, autocode
from qualcode.coding.csvio import codings_frame, write_codings_parts
from qualcode.coding.learned import LearnedModel
from qualcode.coding.model import CODINGS_COLUMNS
from qualcode.corpus import Corpus, CorpusIssue
from qualcode.corpus.segments import check_unit
from qualcode.engine.cluster import worker_count
from qualcode.engine.records import Part, RecordSource, partition, read_part
from qualcode.engine.tasks import run_parts
from qualcode.errors import CodingError

__all__ = ["AutocodeRun", "CodedPart", "autocode_part", "autocode_records", "corpus_parts"]


@dataclass(frozen=True)
class CodedPart:
    """What a worker sends back for one partition: its codings, records and problems."""

    codings: pd.DataFrame  # the codings CSV contract
    transcripts: int
    errors: tuple[CorpusIssue, ...]


@dataclass(frozen=True)
class AutocodeRun:
    """What a distributed auto-coding run wrote."""

    out: Path
    codings: int
    variables: int
    transcripts: int
    errors: tuple[CorpusIssue, ...]
    warnings: tuple[str, ...] = ()  # as ``Corpus.warnings`` (no respondents table)


def code_corpus(
    corpus: Corpus,
    codebook: Codebook,
    unit: str,
    selection: Selection,
    model: LearnedModel | bool = True,
) -> pd.DataFrame:
    """The codings frame of *corpus*, coded in this process (as a worker does)."""
    codings = autocode(
        corpus, codebook, unit=check_unit(unit), selection=selection, workers=1, model=model
    )
    return codings_frame(codings, corpus, variable_of=codebook.variable_of)


def autocode_part(
    part: Part,
    codebook: Codebook,
    unit: str,
    selection: Selection,
    model: LearnedModel | bool = True,
) -> CodedPart:
    """Read and auto-code one partition (runs on a worker)."""
    corpus = read_part(part)
    frame = code_corpus(corpus, codebook, unit, selection, model)
    return CodedPart(frame, len(corpus), corpus.errors)


def corpus_parts(corpus: Corpus, workers: int) -> list[Part]:
    """Partitions of a corpus already read: the transcripts travel with their tasks."""
    by_file = {t.file: t for t in corpus.transcripts}
    runs = partition(list(by_file), [len(t.text) for t in corpus.transcripts], workers)
    return [
        Part(i, str(corpus.root), tuple(names), transcripts=tuple(by_file[n] for n in names))
        for i, names in enumerate(runs)
    ]


def autocode_corpus_frame(
    corpus: Corpus,
    codebook: Codebook,
    *,
    client: Any,
    unit: str,
    selection: Selection,
    model: LearnedModel | bool = True,
) -> pd.DataFrame:
    """The codings frame of a corpus already read, coded on the cluster of *client*.

    *model* is True (the shipped learned model, loaded by each worker) or False: a
    model fitted in this process cannot be sent to the workers.
    """
    if not isinstance(model, bool):
        raise CodingError(
            "a learned model fitted in this process cannot be sent to Dask workers; "
            "pass model=True (the shipped model, loaded on every worker) or model=False"
        )
    parts = corpus_parts(corpus, worker_count(client))
    results = run_parts(client, autocode_part, parts, codebook, unit, selection, model)
    frames = [r.codings for r in results]
    if not frames:
        return pd.DataFrame(columns=list(CODINGS_COLUMNS))
    return pd.concat(frames, ignore_index=True)


def autocode_records(
    source: RecordSource,
    codebook: Codebook,
    out: str | Path,
    *,
    client: Any,
    unit: str = "paragraph",
    selection: Selection | None = None,
    model: bool = True,
    progress: Callable[[Iterator[CodedPart], int], Iterator[CodedPart]] | None = None,
) -> AutocodeRun:
    """Auto-code the records of *source* on the cluster of *client*; the codings CSV to *out*.

    Workers read their partitions themselves; the codings are written to *out*
    part by part, in corpus order (the file appears whole or not at all).
    *model* False codes with the patterns alone (``autocode``'s ``model``).
    *progress* wraps the stream of parts (with their number).
    """
    selection = selection or Selection()
    parts = source.parts(worker_count(client))
    stream = run_parts(client, autocode_part, parts, codebook, unit, selection, model)
    if progress is not None:
        stream = progress(stream, len(parts))
    tally = {"codings": 0, "transcripts": 0}
    variables: set[str] = set()
    errors = source.issues_before()

    def frames() -> Iterator[pd.DataFrame]:
        yield pd.DataFrame(columns=list(CODINGS_COLUMNS))  # the header, also of no codings
        for part in stream:
            tally["codings"] += len(part.codings)
            tally["transcripts"] += part.transcripts
            variables.update(part.codings["variable"])
            errors.extend(part.errors)
            yield part.codings

    write_codings_parts(frames(), out)
    errors.extend(source.issues_after())
    return AutocodeRun(
        Path(out),
        tally["codings"],
        len(variables),
        tally["transcripts"],
        tuple(errors),
        source.warnings,
    )
