"""The offline auto-coder: codebook patterns applied to the respondent speech of a corpus.

Each segment (a paragraph, turn or sentence) of respondent speech is tokenised
with the codebook language's spaCy tokenizer and matched on lemmas against the
compiled patterns (:mod:`qualcode.coding.matcher`). A code's score is the
evidence its patterns found; a variable's score in a segment is the sum of the
scores of its codes (the top-level code and all sub-codes).

Which codes a segment gets:

* a variable is kept when its score is at least ``min_score`` and at least
  ``relative`` times the best variable's score in that segment; all codes of a
  kept variable with evidence are written, each with its own score;
* valence codes (and the codes of any other non-primary dimension) are only
  applied alongside a variable: in a segment that kept at least one variable,
  each valence code whose score is at least ``valence_min_score`` is written.

Interviewer speech (``Segment.is_respondent`` false) is never coded.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from qualcode.codebook.model import Codebook
from qualcode.coding.matcher import CodeEvidence, Matcher, Scan
from qualcode.coding.model import Coding
from qualcode.corpus.model import UNITS, Transcript
from qualcode.errors import CodingError

if TYPE_CHECKING:
    import pandas as pd

    from qualcode.corpus import Corpus

__all__ = [
    "DEFAULT_MIN_SCORE",
    "DEFAULT_RELATIVE",
    "DEFAULT_VALENCE_MIN_SCORE",
    "CodeGroups",
    "Selection",
    "autocode",
    "autocode_corpus",
    "autocode_frame",
    "autocode_text",
    "iter_autocode",
    "iter_autocode_texts",
]

# The defaults are the thresholds that ``qualcode evaluate --cross-validate`` tuned on the
# whole sample gold standard; its leave-one-organisation-out figures (README) are what
# to expect from them on interviews nobody tuned on.
#: A variable needs at least this much evidence in a segment (two patterns of weight 1).
DEFAULT_MIN_SCORE = 2.0
#: ... and at least this share of the segment's best variable score.
DEFAULT_RELATIVE = 0.5
#: A valence code needs at least this much evidence (one weak cue is enough).
DEFAULT_VALENCE_MIN_SCORE = 0.5
#: Corpora below this many characters are coded in one process (a pool costs more).
_PARALLEL_MIN_CHARS = 2_000_000
K = TypeVar("K")
#: Characters of transcript text sent to a worker process at once.
_CHUNK_CHARS = 200_000


@dataclass(frozen=True)
class Selection:
    """The thresholds that turn evidence into codings (see the module docstring)."""

    min_score: float = DEFAULT_MIN_SCORE
    relative: float = DEFAULT_RELATIVE
    valence_min_score: float = DEFAULT_VALENCE_MIN_SCORE

    def select(self, found: Sequence[CodeEvidence], groups: CodeGroups) -> list[CodeEvidence]:
        """The evidence of *found* (one segment) that passes the thresholds."""
        totals: dict[str, float] = {}
        for e in found:
            top = groups.top[e.code]
            totals[top] = totals.get(top, 0.0) + e.score
        variables = {g: s for g, s in totals.items() if g in groups.variables}
        if not variables:
            return []
        best = max(variables.values())
        keep = {
            g
            for g, s in variables.items()
            if s > 0 and s >= self.min_score and s >= self.relative * best
        }
        if not keep:
            return []
        keep.update(
            g
            for g, s in totals.items()
            if g not in groups.variables and s > 0 and s >= self.valence_min_score
        )
        return [e for e in found if groups.top[e.code] in keep]


@dataclass(frozen=True)
class CodeGroups:
    """Code id -> top-level id, and which top-level ids are variables (primary dimension).

    Build with :meth:`of`; :meth:`Selection.select` uses it for fast look-ups.
    """

    top: dict[str, str]
    variables: frozenset[str]

    @classmethod
    def of(cls, codebook: Codebook) -> CodeGroups:
        """The groups of *codebook*."""
        return cls(
            top={c.id: codebook.top_of(c.id) for c in codebook.codes},
            variables=frozenset(c.id for c in codebook.variables()),
        )


# -- one process ------------------------------------------------------------------------


class _Coder:
    """A compiled codebook plus thresholds; codes the segments of one transcript."""

    def __init__(self, codebook: Codebook, selection: Selection) -> None:
        self.matcher = Matcher(codebook)
        self.groups = CodeGroups.of(codebook)
        self.selection = selection
        from qualcode.nlp import tokenizer_only

        self.tokenizer: Any = tokenizer_only(codebook.language).tokenizer

    def code_text(self, file: str, text: str, spans: Sequence[tuple[int, int]]) -> list[Coding]:
        """Codings of the segments *spans* ``(start, end)`` of *text*, tokenised in one go."""
        out: list[Coding] = []
        if not spans:
            return out
        found = self.matcher.scan_segments(self.tokenizer(text), spans)
        for k, scan in sorted(found.items()):
            out.extend(self._codings(file, *spans[k], scan))
        return out

    def code_transcript(self, transcript: Transcript, unit: str) -> list[Coding]:
        """Codings of the respondent segments of *transcript*."""
        return self.code_text(transcript.file, transcript.text, _respondent_spans(transcript, unit))

    def _codings(self, file: str, start: int, end: int, scan: Scan) -> Iterator[Coding]:
        matcher = self.matcher
        for e in self.selection.select(matcher.scores(scan), self.groups):
            yield Coding(
                file=file,
                start=start,
                end=end,
                code=e.code,
                coder="auto",
                score=e.score,
                evidence=matcher.explain(scan, e.code),
            )


_WORKER: _Coder | None = None


def _init_worker(codebook: Codebook, selection: Selection) -> None:
    global _WORKER
    _WORKER = _Coder(codebook, selection)


def _work_spans(jobs: Sequence[tuple[str, str, Sequence[tuple[int, int]]]]) -> list[Any]:
    assert _WORKER is not None, "worker not initialised"
    return [_WORKER.code_text(file, text, spans) for file, text, spans in jobs]


def _work_texts(jobs: Sequence[tuple[str, str]], unit: str) -> list[Any]:
    from qualcode.corpus import transcript_from_text

    assert _WORKER is not None, "worker not initialised"
    return [_WORKER.code_transcript(transcript_from_text(t, file=f), unit) for f, t in jobs]


def _respondent_spans(transcript: Transcript, unit: str) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in transcript.segments(unit) if s.is_respondent]


def _check_unit(unit: str) -> None:
    if unit not in UNITS:
        raise CodingError(f"unknown unit {unit!r}; choose one of: {', '.join(UNITS)}")


def _pooled(
    items: Iterable[tuple[K, Any, int]],
    work: Callable[..., list[Any]],
    codebook: Codebook,
    selection: Selection,
    workers: int,
) -> Iterator[tuple[K, Any]]:
    """``(key, work result)`` for each ``(key, job, size)`` of *items*, in order, from a pool.

    Jobs go to the pool in chunks of about ``_CHUNK_CHARS`` (fewer, larger messages); at
    most ``2 * workers`` chunks are in flight, so a stream is never held whole.
    """
    pending: deque[tuple[list[K], Future[list[Any]]]] = deque()
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_init_worker, initargs=(codebook, selection)
    ) as pool:
        keys: list[K] = []
        jobs: list[Any] = []
        size = 0
        for key, job, job_size in items:
            keys.append(key)
            jobs.append(job)
            size += job_size
            if size >= _CHUNK_CHARS:
                pending.append((keys, pool.submit(work, jobs)))
                keys, jobs, size = [], [], 0
                while len(pending) >= 2 * workers:
                    done, future = pending.popleft()
                    yield from zip(done, future.result(), strict=True)
        if keys:
            pending.append((keys, pool.submit(work, jobs)))
        while pending:
            done, future = pending.popleft()
            yield from zip(done, future.result(), strict=True)


# -- public API -------------------------------------------------------------------------


def iter_autocode(
    transcripts: Iterable[Transcript],
    codebook: Codebook,
    *,
    unit: str = "paragraph",
    selection: Selection | None = None,
    workers: int = 1,
) -> Iterator[tuple[Transcript, list[Coding]]]:
    """Auto-code *transcripts* one by one, yielding each with its codings, in input order.

    *transcripts* may be a generator: with *workers* > 1 a process pool codes
    chunks of transcripts at most ``2 * workers`` chunks ahead of the consumer, so
    memory stays flat however long the stream.
    """
    _check_unit(unit)
    selection = selection or Selection()
    if workers <= 1:
        coder = _Coder(codebook, selection)
        for t in transcripts:
            yield t, coder.code_transcript(t, unit)
        return
    items = ((t, (t.file, t.text, _respondent_spans(t, unit)), len(t.text)) for t in transcripts)
    yield from _pooled(items, _work_spans, codebook, selection, workers)


def iter_autocode_texts(
    texts: Iterable[tuple[str, str]],
    codebook: Codebook,
    *,
    unit: str = "paragraph",
    selection: Selection | None = None,
    workers: int = 1,
) -> Iterator[tuple[str, list[Coding]]]:
    """Auto-code ``(file name, text)`` pairs, yielding each name with its codings, in order.

    For streams too large to load as a corpus: with *workers* > 1 the worker
    processes also build the transcripts (paragraphs, speaker turns), so the
    calling process only has to produce the texts. No respondent metadata.
    """
    _check_unit(unit)
    selection = selection or Selection()
    if workers <= 1:
        from qualcode.corpus import transcript_from_text

        coder = _Coder(codebook, selection)
        for file, text in texts:
            yield file, coder.code_transcript(transcript_from_text(text, file=file), unit)
        return
    items = ((file, (file, text), len(text)) for file, text in texts)
    yield from _pooled(items, partial(_work_texts, unit=unit), codebook, selection, workers)


def autocode(
    corpus: Corpus | Iterable[Transcript],
    codebook: Codebook,
    *,
    unit: str = "paragraph",
    selection: Selection | None = None,
    workers: int | None = None,
) -> list[Coding]:
    """Auto-code every transcript of *corpus* with *codebook*; codings in corpus order.

    *unit* is ``paragraph`` (default), ``turn`` or ``sentence``. *workers* is
    the number of processes (default: one for small corpora, every core for
    large ones).
    """
    transcripts = list(corpus)
    out: list[Coding] = []
    for _, codings in iter_autocode(
        transcripts,
        codebook,
        unit=unit,
        selection=selection,
        workers=_workers(transcripts, workers),
    ):
        out.extend(codings)
    return out


def _workers(transcripts: Sequence[Transcript], workers: int | None) -> int:
    if workers is not None:
        return workers
    size = sum(len(t.text) for t in transcripts)
    return (os.cpu_count() or 1) if size >= _PARALLEL_MIN_CHARS else 1


def autocode_text(
    text: str,
    codebook: Codebook,
    *,
    unit: str = "paragraph",
    file: str = "<text>",
    selection: Selection | None = None,
) -> list[Coding]:
    """Auto-code one string (speaker labels such as ``I:``/``R:`` are recognised)."""
    from qualcode.corpus import transcript_from_text

    transcript = transcript_from_text(text, file=file)
    return autocode([transcript], codebook, unit=unit, selection=selection, workers=1)


def autocode_frame(
    corpus: Corpus,
    codebook: Codebook,
    *,
    unit: str = "paragraph",
    selection: Selection | None = None,
    workers: int | None = None,
) -> pd.DataFrame:
    """Auto-code *corpus* and return the codings as a DataFrame in the codings CSV contract."""
    from qualcode.coding.csvio import codings_frame

    codings = autocode(corpus, codebook, unit=unit, selection=selection, workers=workers)
    return codings_frame(codings, corpus, variable_of=codebook.variable_of)


def autocode_corpus(
    corpus: Corpus,
    codebook: Codebook,
    out: str | Path,
    *,
    unit: str = "paragraph",
    selection: Selection | None = None,
    workers: int | None = None,
    wrap: Callable[[Iterator[Any]], Iterable[Any]] | None = None,
) -> pd.DataFrame:
    """Auto-code *corpus* and write the codings CSV *out* (whole or not at all).

    *wrap* may wrap the per-transcript stream (a progress bar). Returns the
    codings frame that was written.
    """
    from qualcode.coding.csvio import codings_frame, write_codings_csv

    stream: Iterable[tuple[Transcript, list[Coding]]] = iter_autocode(
        corpus.transcripts,
        codebook,
        unit=unit,
        selection=selection,
        workers=_workers(corpus.transcripts, workers),
    )
    if wrap is not None:
        stream = wrap(iter(stream))
    codings = [c for _, coded in stream for c in coded]
    frame = codings_frame(codings, corpus, variable_of=codebook.variable_of)
    write_codings_csv(frame, out)
    return frame
