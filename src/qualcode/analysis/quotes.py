"""Quote lists: the coded passages of respondent speech, merged, attributed and with valence.

A quote is always a view on a transcript: its ``text`` is exactly
``transcript.text[start:end]``. Overlapping (or touching) codings of the same
code in one transcript become one quote spanning their union; the parts of
that span that are not respondent speech (interviewer turns, speaker labels,
headings) are cut out, and surrounding whitespace is trimmed. A quote's
``valence`` is the valence code (``BEVORDEREND``, ``BELEMMEREND``) of the
valence codings that overlap it, several joined with ``;``, empty when none
does. A quote from a subtitle record (``.vtt``, ``.srt``) carries the start
time of its first cue as ``timestamp`` (``hh:mm:ss``), so that the moment can
be found in the recording; other quotes have an empty ``timestamp``.

The work is done on whole columns (numpy), so that tens of thousands of
codings are quoted in well under a second.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from qualcode.codebook.model import Codebook
from qualcode.corpus import Corpus, Transcript

__all__ = [
    "QUOTE_COLUMNS",
    "Quote",
    "clock",
    "cue_timestamp",
    "coded_quotes",
    "quote_frame",
    "quotes_of",
    "speech_spans",
]

#: The ``quotes.csv`` contract, then extra columns (add, never rename or drop).
QUOTE_COLUMNS = (
    "variable",
    "code",
    "file",
    "respondent",
    "organisation",
    "start",
    "end",
    "valence",
    "text",
    "score",
    "coders",
    "timestamp",
)


@dataclass(frozen=True)
class Quote:
    """A quotable passage of respondent speech for one code (or variable)."""

    variable: str
    code: str
    file: str
    respondent: str
    organisation: str
    start: int
    end: int
    valence: str
    text: str
    score: float
    coders: str
    timestamp: str = ""


def clock(ms: int) -> str:
    """*ms* milliseconds as ``hh:mm:ss`` (seconds rounded down, as a player's counter shows)."""
    seconds = ms // 1000
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def cue_timestamp(transcript: Transcript, start: int, end: int) -> str:
    """The start time (``hh:mm:ss``) of the first cue that ``text[start:end]`` touches.

    Empty for a transcript without cues (not a ``.vtt``/``.srt`` record) or a
    span outside every cue.
    """
    for cue in transcript.cues:
        if cue.start < end and start < cue.end:
            return clock(cue.begin_ms)
    return ""


def speech_spans(transcript: Transcript) -> list[tuple[int, int]]:
    """The stretches of *transcript* that are respondent speech, in order.

    Everything except interviewer turns, speaker labels and headings (title
    lines): text outside any turn (a written interview record) counts as the
    respondent's.
    """
    cuts: list[tuple[int, int]] = list(transcript.headings)
    for turn in transcript.turns:
        label = turn.label_start if turn.label_start is not None else turn.start
        cuts.append((label, turn.start if turn.is_respondent else turn.end))
    spans: list[tuple[int, int]] = []
    pos = 0
    for a, b in sorted(cuts):
        if a > pos:
            spans.append((pos, a))
        pos = max(pos, b)
    if pos < len(transcript.text):
        spans.append((pos, len(transcript.text)))
    return spans


def _runs(keys: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Run number of each span: spans of one key that overlap or touch share a run.

    The spans must be sorted by key, then start.
    """
    if not len(keys):
        return np.empty(0, dtype=np.int64)
    reach = pd.Series(ends).groupby(keys).cummax().to_numpy()
    new = np.ones(len(keys), dtype=bool)
    new[1:] = (keys[1:] != keys[:-1]) | (starts[1:] > reach[:-1])
    return np.cumsum(new) - 1


def _overlaps(
    starts: np.ndarray, ends: np.ndarray, a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i, j) where span i of (*starts*, *ends*) overlaps interval j of (*a*, *b*).

    The intervals must be sorted and disjoint.
    """
    lo = np.searchsorted(b, starts, side="right")
    hi = np.searchsorted(a, ends, side="left")
    counts = np.maximum(hi - lo, 0)
    which = np.repeat(np.arange(len(starts)), counts)
    step = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return which, np.repeat(lo, counts) + step


def quote_frame(
    codings: pd.DataFrame,
    corpus: Corpus,
    codebook: Codebook,
    *,
    codes: Iterable[str],
    group: str = "code",
) -> pd.DataFrame:
    """The quotes for *codes*, one row per merged span and code, in ``QUOTE_COLUMNS``.

    *codings* comes from ``codings_with_variables``. With *group* ``variable`` codings
    are merged per variable instead (a passage coded with two sub-codes of one
    variable is then one quote, its ``code`` the variable's id). Rows come in
    codebook order of their code, then by file and position.
    """
    wanted = set(codes)
    valence_ids = [c.id for c in codebook.valence_codes()]
    key = "code" if group == "code" else "variable"
    frame = codings[codings["code"].isin(wanted) & ~codings["code"].isin(valence_ids)]
    order = {c.id: i for i, c in enumerate(codebook.codes)}
    base: dict[str, int] = {}
    pos = 0
    for t in corpus.transcripts:
        base[t.file] = pos
        pos += len(t.text) + 1
    gstart = frame["file"].map(base).to_numpy(dtype=np.int64) + frame["start"].to_numpy()
    gend = gstart + (frame["end"] - frame["start"]).to_numpy()
    rank = frame[key].map(order).to_numpy(dtype=np.int64)
    sort = np.lexsort((gend, gstart, rank))
    rank, gstart, gend = rank[sort], gstart[sort], gend[sort]
    scores = frame["score"].to_numpy(dtype=float)[sort]
    coders = frame["coder"].to_numpy(dtype=object)[sort]
    run = _runs(rank, gstart, gend)
    n_runs = int(run[-1]) + 1 if len(run) else 0
    run_start = np.full(n_runs, np.iinfo(np.int64).max)
    np.minimum.at(run_start, run, gstart)
    run_end = np.zeros(n_runs, dtype=np.int64)
    np.maximum.at(run_end, run, gend)
    run_score = np.full(n_runs, -np.inf)
    np.maximum.at(run_score, run, scores)
    run_rank = np.zeros(n_runs, dtype=np.int64)
    run_rank[run] = rank
    run_coders = _joined(run, coders, n_runs)

    # respondent speech of every transcript on the same axis
    speech = [
        (base[t.file] + a, base[t.file] + b) for t in corpus.transcripts for a, b in speech_spans(t)
    ]
    sa = np.array([s[0] for s in speech], dtype=np.int64)
    sb = np.array([s[1] for s in speech], dtype=np.int64)
    which, interval = _overlaps(run_start, run_end, sa, sb)
    p_start = np.maximum(run_start[which], sa[interval])
    p_end = np.minimum(run_end[which], sb[interval])

    files = np.array([t.file for t in corpus.transcripts], dtype=object)
    bases = np.array([base[t.file] for t in corpus.transcripts], dtype=np.int64)
    texts = [t.text for t in corpus.transcripts]
    doc = np.searchsorted(bases, p_start, side="right") - 1
    starts = (p_start - bases[doc]).tolist()
    ends = (p_end - bases[doc]).tolist()
    keep_mask = np.ones(len(starts), dtype=bool)
    for i, (d, s, e) in enumerate(zip(doc.tolist(), starts, ends, strict=True)):
        text = texts[d]
        if text[s].isspace() or text[e - 1].isspace():  # trim the rare loose end
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            starts[i], ends[i], keep_mask[i] = s, e, e > s
    keep = np.flatnonzero(keep_mask)
    docs = doc[keep]
    local_start = np.asarray(starts, dtype=np.int64)[keep]
    local_end = np.asarray(ends, dtype=np.int64)[keep]
    valence = _valence(
        codings, valence_ids, base, bases[docs] + local_start, bases[docs] + local_end
    )
    ids = [c.id for c in codebook.codes]
    quote_code = [ids[r] for r in run_rank[which[keep]]]
    variable_of = {c: codebook.variable_of(c) for c in set(quote_code)}
    meta = {t.file: (t.respondent, t.organisation) for t in corpus.transcripts}
    out = pd.DataFrame(
        {
            "variable": [variable_of[c] for c in quote_code],
            "code": quote_code,
            "file": files[docs] if len(docs) else np.empty(0, dtype=object),
            "respondent": [meta[f][0] for f in files[docs]],
            "organisation": [meta[f][1] for f in files[docs]],
            "start": local_start,
            "end": local_end,
            "valence": valence,
            "text": [
                texts[d][s:e]
                for d, s, e in zip(
                    docs.tolist(), local_start.tolist(), local_end.tolist(), strict=True
                )
            ],
            "score": np.round(run_score[which[keep]], 4),
            "coders": run_coders[which[keep]] if len(keep) else np.empty(0, dtype=object),
            "timestamp": _timestamps(corpus, files[docs], local_start, local_end),
        },
        columns=list(QUOTE_COLUMNS),
    )
    return out


def _timestamps(
    corpus: Corpus, files: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> list[str]:
    """The ``timestamp`` of each span (empty unless its transcript has cues)."""
    timed = {t.file: t for t in corpus.transcripts if t.cues}
    return [
        cue_timestamp(timed[f], s, e) if f in timed else ""
        for f, s, e in zip(files.tolist(), starts.tolist(), ends.tolist(), strict=True)
    ]


def _joined(run: np.ndarray, coders: np.ndarray, n_runs: int) -> np.ndarray:
    """Per run, its coders sorted and joined with ``;``."""
    out = np.full(n_runs, "", dtype=object)
    unique = pd.unique(coders)
    if len(unique) == 1:
        out[:] = str(unique[0]) if unique[0] else ""
        return out
    pairs = pd.DataFrame({"run": run, "coder": coders.astype(str)})
    pairs = pairs[pairs["coder"] != ""].drop_duplicates().sort_values(["run", "coder"])
    joined = pairs.groupby("run")["coder"].agg(";".join)
    out[joined.index.to_numpy()] = joined.to_numpy()
    return out


def _valence(
    codings: pd.DataFrame,
    valence_ids: list[str],
    base: dict[str, int],
    starts: np.ndarray,
    ends: np.ndarray,
) -> list[str]:
    """For each span, the valence codes whose codings overlap it, joined with ``;``."""
    hits = np.zeros((len(starts), len(valence_ids)), dtype=bool)
    for j, code in enumerate(valence_ids):
        rows = codings[codings["code"] == code]
        if rows.empty:
            continue
        a = rows["file"].map(base).to_numpy(dtype=np.int64) + rows["start"].to_numpy()
        b = a + (rows["end"] - rows["start"]).to_numpy()
        sort = np.lexsort((b, a))
        a, b = a[sort], b[sort]
        run = _runs(np.zeros(len(a), dtype=np.int64), a, b)
        ra = np.full(int(run[-1]) + 1, np.iinfo(np.int64).max)
        np.minimum.at(ra, run, a)
        rb = np.zeros(int(run[-1]) + 1, dtype=np.int64)
        np.maximum.at(rb, run, b)
        lo = np.searchsorted(rb, starts, side="right")
        hi = np.searchsorted(ra, ends, side="left")
        hits[:, j] = hi > lo
    keys = hits.astype(np.int64) @ (1 << np.arange(len(valence_ids), dtype=np.int64))
    labels = np.array(
        [
            ";".join(v for j, v in enumerate(valence_ids) if key >> j & 1)
            for key in range(1 << len(valence_ids))
        ],
        dtype=object,
    )
    return list(labels[keys])


def quotes_of(frame: pd.DataFrame) -> list[Quote]:
    """The rows of a quote frame as ``Quote`` records."""
    return [Quote(*row) for row in frame[list(QUOTE_COLUMNS)].itertuples(index=False, name=None)]


def coded_quotes(
    codings: pd.DataFrame,
    corpus: Corpus,
    codebook: Codebook,
    *,
    codes: Iterable[str],
    group: str = "code",
) -> list[Quote]:
    """The quotes of :func:`quote_frame` as ``Quote`` records."""
    return quotes_of(quote_frame(codings, corpus, codebook, codes=codes, group=group))
