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

import gc
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, fields
from functools import partial
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import numpy.typing as npt

from qualcode.codebook.model import Codebook
from qualcode.coding.matcher import Matcher
from qualcode.coding.model import Coding
from qualcode.coding.ranking import rank_by_rules, rank_with_model
from qualcode.coding.selection import (
    DEFAULT_MIN_CONFIDENCE,
    DEFAULT_MIN_SCORE,
    DEFAULT_RELATIVE,
    DEFAULT_VALENCE_MIN_CONFIDENCE,
    DEFAULT_VALENCE_MIN_SCORE,
    CodeGroups,
    Selection,
)
from qualcode.corpus.model import Transcript, Unit
from qualcode.corpus.segments import check_unit, respondent_spans

if TYPE_CHECKING:
    import pandas as pd

    from qualcode.coding.learned import LearnedModel
    from qualcode.coding.matcher import TextScan
    from qualcode.corpus import Corpus

__all__ = [
    "DEFAULT_MIN_CONFIDENCE",
    "DEFAULT_MIN_SCORE",
    "DEFAULT_RELATIVE",
    "DEFAULT_VALENCE_MIN_CONFIDENCE",
    "DEFAULT_VALENCE_MIN_SCORE",
    "CodeGroups",
    "Selection",
    "autocode",
    "autocode_corpus",
    "autocode_frame",
    "autocode_text",
    "iter_autocode",
    "iter_autocode_texts",
    "resolve_model",
]

#: Corpora below this many characters are coded in one process (a pool costs more).
_PARALLEL_MIN_CHARS = 2_000_000
K = TypeVar("K")
T = TypeVar("T")
Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.intp]
Floats = npt.NDArray[np.float64]
#: Characters of transcript text coded at once (sent to a worker process at once): each
#: batch has a fixed cost of a few hundred array operations, worth spreading thin.
_CHUNK_CHARS = 400_000
#: ... except the first chunk of a pool, which the calling process tokenises and matches
#: before the workers start, and ranks while they start (see ``_pooled``): smaller, so
#: that they start sooner.
_FIRST_CHUNK_CHARS = 100_000


# -- one process ------------------------------------------------------------------------

# A text to code and the (start, end) spans of its respondent segments.
_Job = tuple[str, Sequence[tuple[int, int]]]
# Jobs tokenised and matched: how many, the spans of each, the scan (see _Coder.scan).
_Scanned = tuple[int, list[list[tuple[int, int]]], "TextScan"]


@dataclass(frozen=True, eq=False)
class _Coded:
    """The codings of a batch of texts, as arrays: cheap to send between processes.

    Codings are in order (text, segment, code); ``counts[i]`` of them belong to text i.
    """

    counts: Ints
    starts: Ints
    ends: Ints
    codes: Ints  # index into the codebook's codes
    scores: Floats
    evidence: list[str]
    confidences: Floats  # NaN: no confidence (rules alone)
    ranks: Ints
    best_guesses: Bools

    def codings(self, files: Sequence[str], codes: Sequence[str]) -> list[list[Coding]]:
        """The ``Coding`` records per text, *files* naming the texts, *codes* the code ids."""
        rows = zip(
            self.starts.tolist(),
            self.ends.tolist(),
            [codes[c] for c in self.codes.tolist()],
            self.scores.tolist(),
            self.evidence,
            [None if c != c else round(c, 4) for c in self.confidences.tolist()],
            self.ranks.tolist(),
            self.best_guesses.tolist(),
            strict=True,
        )
        make = _fill if _FILLABLE else _construct
        # Many small records, none in a reference cycle: a collection of the young
        # generation every few hundred of them would only walk the caller's heap.
        paused = gc.isenabled()
        gc.disable()
        try:
            return [
                [
                    make(file, start, end, code, score, why, confidence, rank, guess)
                    for start, end, code, score, why, confidence, rank, guess in islice(rows, n)
                ]
                for file, n in zip(files, self.counts.tolist(), strict=True)
            ]
        finally:
            if paused:
                gc.enable()


# The parent makes ~70,000 records per million words, and a frozen dataclass's __init__
# (an object.__setattr__ per field) costs more than the rest of its share of the work. So
# while Coding is the plain record it is now (checked here), its fields are filled in
# directly; the result is the same record (tests/test_autocoder.py checks both ways).
_FILLABLE = (
    tuple(f.name for f in fields(Coding))
    == (
        "file",
        "start",
        "end",
        "code",
        "coder",
        "score",
        "evidence",
        "memo",
        "confidence",
        "rank",
        "best_guess",
    )
    and not hasattr(Coding, "__post_init__")
    and not hasattr(Coding, "__slots__")
)


def _construct(
    file: str,
    start: int,
    end: int,
    code: str,
    score: float,
    why: str,
    confidence: float | None,
    rank: int,
    guess: bool,
) -> Coding:
    return Coding(file, start, end, code, "auto", score, why, "", confidence, rank, guess)


def _fill(
    file: str,
    start: int,
    end: int,
    code: str,
    score: float,
    why: str,
    confidence: float | None,
    rank: int,
    guess: bool,
) -> Coding:
    record = object.__new__(Coding)
    slots = record.__dict__
    slots["file"] = file
    slots["start"] = start
    slots["end"] = end
    slots["code"] = code
    slots["coder"] = "auto"
    slots["score"] = score
    slots["evidence"] = why
    slots["memo"] = ""
    slots["confidence"] = confidence
    slots["rank"] = rank
    slots["best_guess"] = guess
    return record


class _Coder:
    """A compiled codebook plus thresholds; codes the respondent segments of texts."""

    def __init__(
        self, codebook: Codebook, selection: Selection, model: LearnedModel | None
    ) -> None:
        self.spec = (codebook, selection, model)
        self.model = model
        self.matcher = Matcher(codebook)
        self.groups = CodeGroups.of(codebook)
        self.selection = selection
        from qualcode.nlp import tokenizer_only

        self.tokenizer: Any = tokenizer_only(codebook.language).tokenizer

    def code(self, jobs: Sequence[_Job]) -> _Coded:
        """The codings of each ``(text, respondent spans)`` of *jobs*, all matched at once."""
        return self.finish(self.scan(jobs))

    def scan(self, jobs: Sequence[_Job]) -> _Scanned:
        """The first step of :meth:`code`: *jobs* tokenised and matched. Every word form
        met is resolved here (spaCy's lexemes, the patterns' atoms, the model's word
        features), so that a process forked after it inherits them."""
        spans = [list(job_spans) for _, job_spans in jobs]
        docs = self.tokenizer.pipe([text for text, _ in jobs])
        scan = self.matcher.scan_texts(list(zip(docs, spans, strict=True)))
        if self.model is not None:
            self.model.cover(self.matcher.lexicon.texts)
        return len(jobs), spans, scan

    def finish(self, scanned: _Scanned) -> _Coded:
        """The second step of :meth:`code`: the codes of a scan chosen, ranked, explained."""
        n_jobs, spans, scan = scanned
        if self.model is None:
            ranked = rank_by_rules(scan, self.groups, self.selection)
        else:
            ranked = rank_with_model(scan, self.groups, self.selection, self.model)
        keep = ranked.keep
        segments, codes = np.nonzero(keep)
        bounds = np.array([span for job in spans for span in job], dtype=np.intp).reshape(-1, 2)
        job_of = np.repeat(np.arange(n_jobs), [len(job) for job in spans])
        return _Coded(
            counts=np.bincount(job_of[segments], minlength=n_jobs),
            starts=bounds[segments, 0],
            ends=bounds[segments, 1],
            codes=codes,
            scores=scan.scores[keep],
            evidence=ranked.evidence,
            confidences=ranked.confidence,
            ranks=ranked.rank,
            best_guesses=ranked.best_guess,
        )

    def code_transcripts(self, transcripts: Sequence[Transcript], unit: Unit) -> list[list[Coding]]:
        """Codings of the respondent segments of each of *transcripts*."""
        coded = self.code([(t.text, respondent_spans(t, unit)) for t in transcripts])
        return coded.codings([t.file for t in transcripts], self.matcher.codes)


#: The coders compiled in this process, newest last: a long-lived worker (a Dask worker,
#: a notebook) compiles a codebook once, not once per call. Keyed by codebook and options.
_CODERS: list[_Coder] = []
_KEEP_CODERS = 4


def coder_for(codebook: Codebook, selection: Selection, model: LearnedModel | None) -> _Coder:
    """The compiled coder for *codebook*, *selection* and *model*, made once per process."""
    spec = (codebook, selection, model)
    for coder in _CODERS:
        if coder.spec[0] is codebook and coder.spec[1:] == spec[1:] or coder.spec == spec:
            return coder
    coder = _Coder(codebook, selection, model)
    _CODERS.append(coder)
    del _CODERS[:-_KEEP_CODERS]
    return coder


_WORKER: _Coder | None = None


def _init_worker(codebook: Codebook, selection: Selection, model: LearnedModel | None) -> None:
    global _WORKER
    inherited = _WORKER  # set by the parent before forking (start method "fork")
    if inherited is None or inherited.spec != (codebook, selection, model):
        _WORKER = _Coder(codebook, selection, model)
    # The compiled codebook and spaCy live as long as the worker: keep the cyclic
    # garbage collector from walking them again and again.
    gc.freeze()


def _span_jobs(jobs: Sequence[_Job]) -> Sequence[_Job]:
    return jobs


def _text_jobs(texts: Sequence[str], unit: Unit) -> list[_Job]:
    from qualcode.corpus import transcript_from_text

    return [(t, respondent_spans(transcript_from_text(t), unit)) for t in texts]


def _in_worker(prepare: Callable[[Any], Sequence[_Job]], items: Any) -> _Coded:
    assert _WORKER is not None, "worker not initialised"
    return _WORKER.code(prepare(items))


def _batches(
    items: Iterable[T], size: Callable[[T], int], *, first: int | None = None
) -> Iterator[list[T]]:
    """*items* in lists of about ``_CHUNK_CHARS`` characters (by *size*), in order; the
    first list of about *first* characters if given (at most ``_CHUNK_CHARS``)."""
    batch: list[T] = []
    total = 0
    limit = _CHUNK_CHARS if first is None else min(first, _CHUNK_CHARS)
    for item in items:
        batch.append(item)
        total += size(item)
        if total >= limit:
            yield batch
            batch, total, limit = [], 0, _CHUNK_CHARS
    if batch:
        yield batch


def _split_last(chunks: Iterator[list[T]], parts: int) -> Iterator[list[T]]:
    """*chunks*, reading one ahead, with the last one cut into up to *parts* pieces: so
    that at the end of a stream every worker has a share, not one the whole last chunk."""
    held: list[T] | None = None
    for chunk in chunks:
        if held is not None:
            yield held
        held = chunk
    if held is not None:
        size = -(-len(held) // parts)
        for start in range(0, len(held), size):
            yield held[start : start + size]


def resolve_model(codebook: Codebook, model: LearnedModel | bool) -> LearnedModel | None:
    """The learned model to use: *model* itself, the shipped one (True) or none (False)."""
    if model is True:
        from qualcode.coding.learned import default_model

        return default_model(codebook)
    return None if model is False else model


def _pooled(
    items: Iterable[tuple[K, str, Any, int]],
    prepare: Callable[[Any], Sequence[_Job]],
    codebook: Codebook,
    selection: Selection,
    model: LearnedModel | None,
    workers: int,
) -> Iterator[tuple[K, list[Coding]]]:
    """``(key, codings)`` for each ``(key, file, job, size)`` of *items*, in order, from a pool.

    Jobs go to the pool in chunks of about ``_CHUNK_CHARS`` (fewer, larger messages); at
    most ``2 * workers`` chunks are in flight and one more is read ahead (to cut the last
    chunk among the workers), so a stream is never held whole. The first
    chunk (``_FIRST_CHUNK_CHARS``) is scanned here before the pool starts, so that forked
    workers inherit warm caches (spaCy's lexemes, the word forms already resolved)
    instead of each filling its own; it is ranked here while the workers start. *prepare*
    turns a chunk's jobs into ``(text, spans)`` pairs (in the worker). Workers send back
    arrays (:class:`_Coded`); the records are made here.
    """
    global _WORKER
    chunks = _batches(items, lambda item: item[3], first=_FIRST_CHUNK_CHARS)
    first = next(chunks, None)
    if first is None:
        return
    local = coder_for(codebook, selection, model)
    codes = local.matcher.codes

    def results(
        chunk: list[tuple[K, str, Any, int]], coded: _Coded
    ) -> Iterator[tuple[K, list[Coding]]]:
        files = [file for _, file, _, _ in chunk]
        return zip([key for key, _, _, _ in chunk], coded.codings(files, codes), strict=True)

    scanned = local.scan(prepare([job for _, _, job, _ in first]))
    pending: deque[tuple[list[tuple[K, str, Any, int]], Future[_Coded]]] = deque()
    _WORKER = local
    try:
        with ProcessPoolExecutor(
            max_workers=workers, initializer=_init_worker, initargs=(codebook, selection, model)
        ) as pool:
            # the workers fork at the first submit; the first chunk is finished meanwhile.
            # The second chunk goes as it comes (not held back by _split_last's look
            # ahead), so the first results wait for no more input than it.
            second = next(chunks, None)
            if second is not None:
                jobs = [job for _, _, job, _ in second]
                pending.append((second, pool.submit(_in_worker, prepare, jobs)))
            yield from results(first, local.finish(scanned))
            for chunk in _split_last(chunks, workers):
                jobs = [job for _, _, job, _ in chunk]
                pending.append((chunk, pool.submit(_in_worker, prepare, jobs)))
                while len(pending) >= 2 * workers:
                    done, future = pending.popleft()
                    yield from results(done, future.result())
            while pending:
                done, future = pending.popleft()
                yield from results(done, future.result())
    finally:
        _WORKER = None


# -- public API -------------------------------------------------------------------------


def iter_autocode(
    transcripts: Iterable[Transcript],
    codebook: Codebook,
    *,
    unit: Unit = "paragraph",
    selection: Selection | None = None,
    workers: int = 1,
    model: LearnedModel | bool = True,
) -> Iterator[tuple[Transcript, list[Coding]]]:
    """Auto-code *transcripts* one by one, yielding each with its codings, in input order.

    *transcripts* may be a generator: with *workers* > 1 a process pool codes
    chunks of transcripts at most ``2 * workers`` chunks (and one read) ahead of the
    consumer, so memory stays flat however long the stream.
    """
    check_unit(unit)
    selection = selection or Selection()
    learned = resolve_model(codebook, model)
    if workers <= 1:
        coder = coder_for(codebook, selection, learned)
        for batch in _batches(transcripts, lambda t: len(t.text)):
            yield from zip(batch, coder.code_transcripts(batch, unit), strict=True)
        return
    items = ((t, t.file, (t.text, respondent_spans(t, unit)), len(t.text)) for t in transcripts)
    yield from _pooled(items, _span_jobs, codebook, selection, learned, workers)


def iter_autocode_texts(
    texts: Iterable[tuple[str, str]],
    codebook: Codebook,
    *,
    unit: Unit = "paragraph",
    selection: Selection | None = None,
    workers: int = 1,
    model: LearnedModel | bool = True,
) -> Iterator[tuple[str, list[Coding]]]:
    """Auto-code ``(file name, text)`` pairs, yielding each name with its codings, in order.

    For streams too large to load as a corpus: with *workers* > 1 the worker
    processes also build the transcripts (paragraphs, speaker turns), so the
    calling process only has to produce the texts. No respondent metadata.
    """
    check_unit(unit)
    selection = selection or Selection()
    learned = resolve_model(codebook, model)
    if workers <= 1:
        coder = coder_for(codebook, selection, learned)
        for batch in _batches(texts, lambda pair: len(pair[1])):
            files = [file for file, _ in batch]
            coded = coder.code(_text_jobs([text for _, text in batch], unit))
            yield from zip(files, coded.codings(files, coder.matcher.codes), strict=True)
        return
    items = ((file, file, text, len(text)) for file, text in texts)
    prepare = partial(_text_jobs, unit=unit)
    yield from _pooled(items, prepare, codebook, selection, learned, workers)


def autocode(
    corpus: Corpus | Iterable[Transcript],
    codebook: Codebook,
    *,
    unit: Unit = "paragraph",
    selection: Selection | None = None,
    workers: int | None = None,
    model: LearnedModel | bool = True,
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
        model=model,
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
    unit: Unit = "paragraph",
    file: str = "<text>",
    selection: Selection | None = None,
    model: LearnedModel | bool = True,
) -> list[Coding]:
    """Auto-code one string (speaker labels such as ``I:``/``R:`` are recognised)."""
    from qualcode.corpus import transcript_from_text

    transcript = transcript_from_text(text, file=file)
    return autocode([transcript], codebook, unit=unit, selection=selection, workers=1, model=model)


def autocode_frame(
    corpus: Corpus,
    codebook: Codebook,
    *,
    unit: Unit = "paragraph",
    selection: Selection | None = None,
    workers: int | None = None,
    model: LearnedModel | bool = True,
    client: Any = None,
) -> pd.DataFrame:
    """Auto-code *corpus* and return the codings as a DataFrame in the codings CSV contract.

    With a ``dask.distributed`` *client* the corpus is coded in partitions of
    files on its cluster (the same rows in the same order); *workers* is then
    not used.
    """
    from qualcode.coding.csvio import codings_frame

    if client is not None:
        from qualcode.engine.autocode import autocode_corpus_frame

        return autocode_corpus_frame(
            corpus,
            codebook,
            client=client,
            unit=unit,
            selection=selection or Selection(),
            model=model,
        )
    codings = autocode(
        corpus, codebook, unit=unit, selection=selection, workers=workers, model=model
    )
    return codings_frame(codings, corpus, variable_of=codebook.variable_of)


def autocode_corpus(
    corpus: Corpus,
    codebook: Codebook,
    out: str | Path,
    *,
    unit: Unit = "paragraph",
    selection: Selection | None = None,
    workers: int | None = None,
    wrap: Callable[[Iterator[Any]], Iterable[Any]] | None = None,
    model: LearnedModel | bool = True,
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
        model=model,
    )
    if wrap is not None:
        stream = wrap(iter(stream))
    codings = [c for _, coded in stream for c in coded]
    frame = codings_frame(codings, corpus, variable_of=codebook.variable_of)
    write_codings_csv(frame, out, inputs=(*corpus.sources(), codebook.path))
    return frame
