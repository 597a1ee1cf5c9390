"""Word frequencies of respondent speech, and keyness: what one group says more than the rest.

Words are spaCy tokens with at least one letter, taken from respondent speech
only (``qualcode.corpus.segments.respondent_spans``: interviewer turns,
headings and record metadata are left out; so are speaker labels such as
``R:``). Each word is counted under its lookup lemma; a hyphenated compound
stays one word (``G40-gemeenten`` -> ``g40-gemeente``: the lemma of its last
part). Stop words (spaCy's list for
the language) are counted in the size of a group but not listed.

Keyness compares a group with the rest of the corpus. For a lemma with ``a``
occurrences in a group of ``c`` words and ``b`` in the ``d`` words of the rest,
with expected values ``E1 = c(a+b)/(c+d)`` and ``E2 = d(a+b)/(c+d)``:

- log-likelihood ``G2 = 2 (a ln(a/E1) + b ln(b/E2))`` (a zero term counts 0),
  with its p-value from the chi-squared distribution with one degree of
  freedom (``erfc(sqrt(G2/2))``);
- log ratio ``log2((a/c) / (b/d))``, where a zero count is taken as 0.5: the
  effect size (1 = twice as frequent as in the rest).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from qualcode.analysis.codings import transcript_table
from qualcode.analysis.frequencies import _sorted_groups, check_grouping
from qualcode.corpus import Corpus, Transcript
from qualcode.corpus.segments import respondent_spans
from qualcode.errors import CorpusError

__all__ = [
    "KEYNESS_COLUMNS",
    "WORD_COLUMNS",
    "SpeechWord",
    "keyness",
    "speech_ranges",
    "speech_words",
    "words",
]

#: Columns of :func:`words` without a grouping.
WORD_COLUMNS = ("lemma", "count", "per_10000", "respondents")
#: Columns of :func:`words` with a grouping, after the grouping column itself.
KEYNESS_COLUMNS = (
    "lemma",
    "count",
    "words",
    "per_10000",
    "respondents",
    "rest_count",
    "rest_words",
    "rest_per_10000",
    "g2",
    "p",
    "log_ratio",
)


@dataclass(frozen=True)
class SpeechWord:
    """One word of respondent speech: ``text[start:end]``, its lemma, whether a stop word."""

    start: int
    end: int
    lemma: str
    stop: bool


@cache
def _stop_words(language: str) -> frozenset[str]:
    from spacy.util import get_lang_class

    try:
        return frozenset(get_lang_class(language).Defaults.stop_words)
    except (ImportError, KeyError):
        raise CorpusError(
            f"language {language!r} is not supported by spaCy; use an ISO code like 'nl' or 'en'"
        ) from None


def _lemma_of(lower: str, language: str) -> str:
    """The lookup lemma of a lower-case word; a hyphenated compound keeps its head's lemma."""
    from qualcode.codebook.patterns import lemmatizer

    lemma = lemmatizer(language)
    head, dash, last = lower.rpartition("-")
    if dash and head and last:
        return f"{head}-{lemma(last)}"
    return lemma(lower)


def speech_ranges(transcript: Transcript) -> list[tuple[int, int]]:
    """Respondent speech of *transcript* as ``(start, end)`` ranges, speaker labels cut out.

    ``respondent_spans`` at the paragraph unit, less the label (``R:``) that
    opens a respondent turn: a label is not something the respondent said.
    """
    labels = sorted((t.label_start, t.start) for t in transcript.turns if t.label_start is not None)
    out: list[tuple[int, int]] = []
    for start, end in respondent_spans(transcript, "paragraph"):
        for a, b in labels:
            if a >= end or b <= start:
                continue
            if a > start:
                out.append((start, a))
            start = max(start, b)
        if start < end:
            out.append((start, end))
    return out


def speech_words(transcript: Transcript, *, language: str = "nl") -> Iterator[SpeechWord]:
    """The words of *transcript*'s respondent speech, in text order (see the module doc)."""
    from qualcode.nlp import tokenizer_only

    spans = speech_ranges(transcript)
    if not spans:
        return
    starts = [a for a, _ in spans]
    stops = _stop_words(language)
    for token in tokenizer_only(language)(transcript.text):
        text = token.text
        if not any(ch.isalpha() for ch in text):
            continue
        start = token.idx
        end = start + len(text)
        i = bisect_right(starts, start) - 1
        if i < 0 or end > spans[i][1]:
            continue
        lower = text.lower()
        lemma = _lemma_of(lower, language)
        yield SpeechWord(start, end, lemma, lower in stops or lemma in stops)


def _word_table(corpus: Corpus, language: str) -> pd.DataFrame:
    """One row per word of respondent speech: file, lemma, stop."""
    files: list[str] = []
    lemmas: list[str] = []
    stop: list[bool] = []
    for t in corpus.transcripts:
        for word in speech_words(t, language=language):
            files.append(t.file)
            lemmas.append(word.lemma)
            stop.append(word.stop)
    return pd.DataFrame({"file": files, "lemma": lemmas, "stop": np.array(stop, dtype=bool)})


def keyness(
    a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(G2, p, log ratio)`` of counts *a* in *c* words against *b* in *d* (arrays).

    See the module doc for the formulas.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    c, d = np.asarray(c, dtype=float), np.asarray(d, dtype=float)
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(a > 0, a * np.log(a / e1), 0.0)
        t2 = np.where(b > 0, b * np.log(b / e2), 0.0)
        ratio = np.log2((np.where(a > 0, a, 0.5) / c) / (np.where(b > 0, b, 0.5) / d))
    g2 = np.maximum(2.0 * (t1 + t2), 0.0)
    p = np.array([math.erfc(math.sqrt(g / 2.0)) for g in g2.tolist()], dtype=float)
    return g2, p, ratio


def words(
    corpus: Corpus,
    *,
    by: str | None = None,
    top: int | None = None,
    min_count: int = 3,
    language: str = "nl",
) -> pd.DataFrame:
    """Lemma frequencies of respondent speech, and with *by* their keyness per group.

    Without *by*: columns ``WORD_COLUMNS`` (``per_10000``: occurrences per
    10,000 words of respondent speech, stop words included; ``respondents``:
    how many respondents used it), most frequent first. With *by*
    (``organisation``, ``respondent``, ``file`` or a respondents-table column
    such as ``steering_group``): one row per group and lemma, columns *by* and
    ``KEYNESS_COLUMNS`` (the group against the rest of the corpus), each group
    sorted by keyness: the lemmas the group uses more than the rest first,
    strongest G2 first. Lemmas used fewer than *min_count* times in the group
    are left out; *top* keeps the first rows of each group. Raises
    ``CorpusError`` for an unknown grouping or one that gives a single group.
    """
    table = _word_table(corpus, language)
    people = transcript_table(corpus).set_index("file")
    if by is None:
        listed = table[~table["stop"]]
        total = max(len(table), 1)
        counts = listed.groupby("lemma").size()
        resp = listed.assign(r=listed["file"].map(people["respondent"])).groupby("lemma")["r"]
        frame = pd.DataFrame(
            {
                "lemma": counts.index,
                "count": counts.to_numpy(dtype=np.int64),
                "per_10000": np.round(counts.to_numpy() * 10_000 / total, 2),
                "respondents": resp.nunique().reindex(counts.index).to_numpy(dtype=np.int64),
            }
        )
        frame = frame[frame["count"] >= min_count]
        frame = frame.sort_values(["count", "lemma"], ascending=[False, True], kind="stable")
        frame = frame.reset_index(drop=True)
        return frame if top is None else frame.head(top)
    check_grouping(people.reset_index(), by)
    table = table.assign(
        group=table["file"].map(people[by]), respondent=table["file"].map(people["respondent"])
    )
    sizes = table.groupby("group").size()
    if len(sizes) < 2:
        raise CorpusError(
            f"grouping by {by!r} gives one group ({', '.join(map(str, sizes.index))}); "
            "keyness compares a group with the rest: choose a grouping with two or more groups"
        )
    listed = table[~table["stop"]]
    grouped = listed.groupby(["group", "lemma"])
    counts = grouped.size()
    respondents = grouped["respondent"].nunique()
    totals = listed.groupby("lemma").size()
    group = counts.index.get_level_values(0)
    lemma = counts.index.get_level_values(1)
    a = counts.to_numpy(dtype=np.int64)
    c = sizes.reindex(group).to_numpy(dtype=np.int64)
    b = totals.reindex(lemma).to_numpy(dtype=np.int64) - a
    d = len(table) - c
    g2, p, ratio = keyness(a, b, c, d)
    frame = pd.DataFrame(
        {
            by: group.astype(str),
            "lemma": lemma,
            "count": a,
            "words": c,
            "per_10000": np.round(a * 10_000 / c, 2),
            "respondents": respondents.to_numpy(dtype=np.int64),
            "rest_count": b,
            "rest_words": d,
            "rest_per_10000": np.round(b * 10_000 / np.maximum(d, 1), 2),
            "g2": np.round(g2, 3),
            "p": p,
            "log_ratio": np.round(ratio, 3),
        }
    )
    frame = frame[frame["count"] >= min_count]
    signed = np.where(frame["log_ratio"] >= 0, frame["g2"], -frame["g2"])
    order = _sorted_groups(frame[by])
    frame = frame.assign(
        _g=pd.Categorical(frame[by], categories=order, ordered=True), _k=-signed
    ).sort_values(["_g", "_k", "lemma"], kind="stable")
    frame = frame.drop(columns=["_g", "_k"]).reset_index(drop=True)
    if top is not None:
        frame = frame.groupby(by, sort=False).head(top).reset_index(drop=True)
    return frame
