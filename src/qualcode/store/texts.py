"""Transcripts in and out of the store, and the checks every coded span must pass.

A stored transcript keeps its normalised text and the paragraph, turn and cue
structure found when it was read, so that the transcript rebuilt from the
store has exactly the segments the coder saw, whatever labels were declared
when the folder was read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Container
from pathlib import Path
from typing import Any

from qualcode.codebook import Codebook
from qualcode.corpus import Corpus, Cue, Segment, Transcript, Turn, normalise
from qualcode.errors import CodebookError, CodingError, StoreError
from qualcode.store.records import StoredTranscript

#: The fields of ``Transcript`` the store keeps (a test checks that none is missed).
STORED_FIELDS = frozenset(
    {
        "file",
        "text",
        "format",
        "turns",
        "paragraphs",
        "respondent",
        "organisation",
        "attributes",
        "cues",
        "headings",
        "metadata",
        "metadata_spans",
    }
)

__all__ = [
    "STORED_FIELDS",
    "check_code",
    "check_span",
    "corpus_of",
    "find_phrase",
    "from_stored",
    "to_stored",
    "transcript_labels",
]


def to_stored(t: Transcript) -> StoredTranscript:
    """The stored form of transcript *t*."""
    structure = {
        "paragraphs": [list(p) for p in t.paragraphs],
        "turns": [[u.start, u.end, u.speaker, u.is_respondent, u.label_start] for u in t.turns],
        "cues": [[c.start, c.end, c.begin_ms, c.end_ms, c.speaker] for c in t.cues],
        "headings": [list(h) for h in t.headings],
        "metadata": dict(t.metadata),
        "metadata_spans": [list(m) for m in t.metadata_spans],
    }
    return StoredTranscript(
        t.file,
        t.text,
        t.content_hash,
        t.format,
        t.respondent,
        t.organisation,
        t.attributes,
        json.dumps(structure, ensure_ascii=False),
    )


def from_stored(s: StoredTranscript) -> Transcript:
    """The ``Transcript`` a stored record describes.

    Raises ``StoreError`` naming the transcript when its stored structure is damaged.
    """
    try:
        return _transcript(s, json.loads(s.structure))
    except (ValueError, KeyError, TypeError, AttributeError):
        raise StoreError(
            f"the stored structure of transcript {s.file} is damaged (not the JSON qualcode "
            "wrote); restore the project file from a backup, or run 'qualcode project "
            "refresh' to read the transcript again"
        ) from None


def _transcript(s: StoredTranscript, structure: dict[str, Any]) -> Transcript:
    return Transcript(
        file=s.file,
        text=s.text,
        format=s.format,
        turns=tuple(
            Turn(a, b, spk, bool(resp), lab) for a, b, spk, resp, lab in structure["turns"]
        ),
        paragraphs=tuple((a, b) for a, b in structure["paragraphs"]),
        respondent=s.respondent,
        organisation=s.organisation,
        attributes=s.attributes,
        cues=tuple(Cue(a, b, t0, t1, spk) for a, b, t0, t1, spk in structure["cues"]),
        headings=tuple((a, b) for a, b in structure.get("headings", ())),
        metadata=structure.get("metadata", {}),
        metadata_spans=tuple((a, b) for a, b in structure.get("metadata_spans", ())),
    )


def corpus_of(stored: list[StoredTranscript], root: Path) -> Corpus:
    """A ``Corpus`` of stored transcripts, rooted at the folder they came from."""
    return Corpus(root, tuple(from_stored(s) for s in stored))


def transcript_labels(t: Transcript) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The speaker labels of *t*, and those of them that are interviewers.

    Passed back to the reader when the file is read again, so that the new
    version's turns are found the same way.
    """
    speakers = tuple(dict.fromkeys(u.speaker for u in t.turns if u.speaker))
    interviewers = tuple(
        dict.fromkeys(u.speaker for u in t.turns if u.speaker and not u.is_respondent)
    )
    return speakers, interviewers


def check_code(
    code: str, *, known: Container[str], codebook: Callable[[], Codebook], where: str
) -> None:
    """Raise ``CodingError`` (naming *where*) when *code* is not among the *known* code ids.

    *codebook* gives the codebook, asked for only to word the error (close matches).
    """
    if code in known:
        return
    try:
        codebook().get(code)
    except CodebookError as exc:
        raise CodingError(f"{where}: {exc}") from None
    raise CodingError(f"{where}: unknown code {code!r}")


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
