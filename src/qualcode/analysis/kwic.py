"""Keywords in context: every occurrence of a term in respondent speech, with the words around it.

A term is written in the codebook's pattern language (``docs/codebook.md``): a
word, a phrase (``te laat``), alternatives (``geld|budget``) or a ``*``
wildcard (``financ*``). It is compiled into a one-code codebook and found by
the auto-coder's :class:`~qualcode.coding.matcher.Matcher`, so a term in a KWIC
query and the same text in a codebook pattern find the same places. By
default a word matches its own forms only (as ``=word`` in a pattern); with
``lemma=True`` every form of its lemma (``signaal`` finds ``signalen``).

Only respondent speech is searched (the ranges of
:func:`qualcode.analysis.words.speech_ranges`), and no match crosses from one
paragraph into the next. The context on each side is at most *window* words
of the same paragraph, with runs of white space shown as one space and none at
either end. ``timestamp`` is the start of the match's cue in a ``.vtt``/``.srt``
record (``hh:mm:ss``), empty for other records.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from qualcode.analysis.codings import BLANK
from qualcode.analysis.quotes import cue_timestamp
from qualcode.analysis.words import speech_ranges
from qualcode.codebook.model import Code, Codebook, Dimension, Pattern
from qualcode.codebook.patterns import PatternSyntaxError, parse_phrase
from qualcode.corpus import Corpus, Transcript
from qualcode.errors import CodebookError

__all__ = ["KWIC_COLUMNS", "kwic", "kwic_pattern"]

#: Columns of :func:`kwic`, a contract: ``text[start:end] == match`` on every row.
KWIC_COLUMNS = (
    "file",
    "respondent",
    "organisation",
    "start",
    "end",
    "left",
    "match",
    "right",
    "timestamp",
)

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def kwic_pattern(term: str, *, lemma: bool = False, language: str = "nl") -> Pattern:
    """*term* compiled as a codebook pattern; ``CodebookError`` says what is wrong with it.

    Without *lemma*, every plain word of the term (no ``*``, no ``=``) is
    matched on its surface form only.
    """
    text = " ".join(term.split())
    if not lemma:
        text = " ".join(
            "|".join(a if "*" in a or a.startswith("=") or not a else "=" + a for a in w.split("|"))
            for w in text.split()
        )
    try:
        slots = parse_phrase(text, language=language)
    except PatternSyntaxError as exc:
        raise CodebookError(f"search term {term!r}: {exc}") from None
    return Pattern(kind="phrase", items=(slots,), source=text)


def _context(text: str, start: int, end: int, words: int, *, before: bool) -> str:
    """At most *words* words of ``text[start:end]``: the last ones (before) or the first."""
    part = text[start:end]
    found = list(_WORD.finditer(part))
    if words <= 0 or not found:
        return ""
    if before:
        cut = found[-words].start() if len(found) >= words else 0
        return _SPACE.sub(" ", part[cut:]).strip()
    cut = found[words - 1].end() if len(found) >= words else len(part)
    return _SPACE.sub(" ", part[:cut]).strip()


def kwic(
    corpus: Corpus,
    term: str,
    *,
    lemma: bool = False,
    window: int = 8,
    within: Iterable[tuple[str, int, int]] | None = None,
    language: str = "nl",
) -> pd.DataFrame:
    """Every occurrence of *term* in respondent speech, one row each (``KWIC_COLUMNS``).

    *term* and *lemma* as in :func:`kwic_pattern`; *window* is the number of
    words of context on each side. *within* limits the matches to those lying
    wholly inside one of its ``(file, start, end)`` ranges (the codings of a
    code). Rows are in corpus order, then by position.
    """
    from qualcode.coding.matcher import Matcher
    from qualcode.nlp import tokenizer_only

    pattern = kwic_pattern(term, lemma=lemma, language=language)
    codebook = Codebook(
        name="kwic",
        language=language,
        version="1",
        dimensions=(Dimension("KWIC", "KWIC"),),
        codes=(Code("KWIC", "KWIC", "", dimension="KWIC", patterns=(pattern,)),),
    )
    matcher = Matcher(codebook)
    width = len(pattern.items[0])
    ranges: dict[str, list[tuple[int, int]]] = {}
    for file, start, end in within or ():
        ranges.setdefault(file, []).append((start, end))
    rows: list[tuple[object, ...]] = []
    for t in corpus.transcripts:
        if within is not None and t.file not in ranges:
            continue
        rows.extend(_matches(t, matcher, tokenizer_only(language), width, window, ranges))
    return pd.DataFrame.from_records(rows, columns=list(KWIC_COLUMNS))


def _matches(
    transcript: Transcript,
    matcher: object,
    nlp: object,
    width: int,
    window: int,
    ranges: dict[str, list[tuple[int, int]]],
) -> list[tuple[object, ...]]:
    """The KWIC rows of one transcript."""
    spans = speech_ranges(transcript)
    if not spans:
        return []
    text = transcript.text
    doc = nlp(text)  # type: ignore[operator]
    scan = matcher.scan_texts([(doc, spans)])  # type: ignore[attr-defined]
    limits = ranges.get(transcript.file)
    rows: list[tuple[object, ...]] = []
    for place in np.sort(scan.place).tolist():
        first, last = doc[place], doc[place + width - 1]
        start, end = first.idx, last.idx + len(last.text)
        if limits is not None and not any(a <= start and end <= b for a, b in limits):
            continue
        seg_start, seg_end = spans[int(scan.segment[place])]
        rows.append(
            (
                transcript.file,
                transcript.respondent or transcript.file,
                transcript.organisation or BLANK,
                start,
                end,
                _context(text, seg_start, start, window, before=True),
                text[start:end],
                _context(text, end, seg_end, window, before=False),
                cue_timestamp(transcript, start, end),
            )
        )
    return rows
