"""Transcripts in and out of the store, and the check of a code id against it.

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
from qualcode.corpus import Corpus, Cue, Transcript, Turn
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
    "corpus_of",
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
