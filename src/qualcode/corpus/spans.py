"""Spans of a transcript that may be coded: the checks every coded span passes, finding a phrase.

These are transcript operations: the store, the coding widget and the REFI-QDA
import all use them, so that a span refused in one place is refused in all.
"""

from __future__ import annotations

from qualcode.corpus.model import Segment, Transcript, normalise
from qualcode.errors import CodingError

__all__ = ["check_span", "find_phrase"]


def check_span(t: Transcript, start: int, end: int, *, where: str | None = None) -> None:
    """Raise ``CodingError`` unless ``[start:end]`` is a non-empty span of respondent speech."""
    where = where or f"{t.file}, {start}-{end}"
    n = len(t.text)
    if start < 0 or end > n:
        raise CodingError(
            f"{where}: offsets outside the text ({t.file} has {n} characters, 0-{n}); "
            f"offsets count characters of the normalised text, see 'qualcode text {t.file}'"
        )
    if end <= start:
        raise CodingError(
            f"{where}: empty span (end {end} is not after start {start}); "
            "a coding needs end > start"
        )
    if not t.text[start:end].strip():
        raise CodingError(f"{where}: the span is only white space; code the words themselves")
    for lo, hi in t.headings:
        if lo < end and hi > start:
            raise CodingError(
                f"{where}: the span covers the heading {t.text[lo:hi]!r} ({lo}-{hi}), which is "
                "nobody's speech; narrow the span to the respondent's words"
            )
    for turn in t.turns:
        if turn.is_respondent:
            continue
        lo = turn.label_start if turn.label_start is not None else turn.start
        if lo < end and turn.end > start:
            raise CodingError(
                f"{where}: the span covers interviewer speech ({turn.speaker!r} at "
                f"{turn.start}-{turn.end}); only respondent speech is coded, narrow the span "
                "to the respondent's words"
            )


def _respondent_span(t: Transcript, start: int, end: int) -> bool:
    try:
        check_span(t, start, end)
    except CodingError:
        return False
    return True


def find_phrase(t: Transcript, phrase: str, *, segment: Segment | None = None) -> tuple[int, int]:
    """``(start, end)`` of the one occurrence of *phrase* in respondent speech of *t*.

    With *segment*, only inside that segment. Raises ``CodingError`` when the
    phrase is empty, absent, found only in interviewer speech, or found twice.
    """
    needle = normalise(phrase)
    if not needle.strip():
        raise CodingError(f"{t.file}: empty phrase; type the words to code")
    if segment is not None:
        lo, hi = segment.start, segment.end
        scope = f"{segment.unit} {segment.index} of {t.file}"
    else:
        lo, hi, scope = 0, len(t.text), t.file
    hits = []
    i = t.text.find(needle, lo)
    while i >= 0 and i + len(needle) <= hi:
        hits.append(i)
        i = t.text.find(needle, i + 1)
    spoken = [h for h in hits if _respondent_span(t, h, h + len(needle))]
    if not spoken:
        where = "only in interviewer speech" if hits else "nowhere"
        raise CodingError(
            f"{scope}: phrase {needle!r} occurs {where} there; copy the "
            "respondent's words exactly from the text"
        )
    if len(spoken) > 1:
        raise CodingError(
            f"{scope}: phrase {needle!r} occurs {len(spoken)} times (at "
            f"{', '.join(map(str, spoken[:5]))}); give a longer phrase"
            + ("" if segment is not None else " or the segment")
        )
    return spoken[0], spoken[0] + len(needle)
