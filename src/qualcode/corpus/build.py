"""From a file on disk to a ``Transcript``: read, normalise, find paragraphs and turns."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from qualcode.corpus.metadata import find_header
from qualcode.corpus.model import Cue, Transcript, normalise
from qualcode.corpus.readers import DEFAULT_MAX_BYTES, RawDocument, read_document
from qualcode.corpus.structure import Paragraph, find_paragraphs, find_turns

__all__ = ["read_transcript", "transcript_from_text"]


def _join_cues(raw: RawDocument) -> tuple[str, list[tuple[int, int, int, int, str]]]:
    """Join cues into text: a speaker change starts a new paragraph with a label."""
    parts: list[str] = []
    spans: list[tuple[int, int, int, int, str]] = []
    pos = 0
    last_speaker: str | None = None
    for cue in raw.cues:
        if parts:
            sep = "\n" if cue.speaker == last_speaker or not cue.speaker else "\n\n"
            parts.append(sep)
            pos += len(sep)
        if cue.speaker and cue.speaker != last_speaker:
            label = f"{cue.speaker}: "
            parts.append(label)
            pos += len(label)
        body = normalise(cue.text)
        parts.append(body)
        spans.append((pos, pos + len(body), cue.begin_ms, cue.end_ms, cue.speaker))
        pos += len(body)
        last_speaker = cue.speaker or last_speaker
    return "".join(parts), spans


def transcript_from_text(
    text: str,
    *,
    file: str = "<text>",
    format: str = "txt",
    labels: Iterable[str] = (),
    interviewer_labels: Iterable[str] = (),
) -> Transcript:
    """A ``Transcript`` of *text* (normalised here), with paragraphs and turns found."""
    text = normalise(text)
    return _structure(
        text, file=file, format=format, labels=labels, interviewer_labels=interviewer_labels
    )


def _structure(
    text: str,
    *,
    file: str,
    format: str,
    labels: Iterable[str],
    interviewer_labels: Iterable[str],
    cues: tuple[Cue, ...] = (),
    raw: RawDocument | None = None,
) -> Transcript:
    labels = tuple(labels) + tuple(interviewer_labels)
    front = len(normalise(raw.text[: raw.front])) if raw is not None and raw.front else 0
    header = find_header(text, front=front, front_metadata=raw.metadata if raw else None)
    # The header is nobody's speech: blank it out (offsets kept) before looking for turns.
    body = "".join(ch if ch == "\n" else " " for ch in text[: header.end]) + text[header.end :]
    paragraphs = sorted(
        find_paragraphs(body, labels=labels)
        + [Paragraph(a, b, a, None, heading=True) for a, b in header.spans],
        key=lambda p: p.start,
    )
    turns = find_turns(paragraphs, interviewer_labels=interviewer_labels)
    return Transcript(
        file=file,
        text=text,
        format=format,
        turns=tuple(turns),
        paragraphs=tuple((p.body_start, p.end) for p in paragraphs),
        cues=cues,
        headings=tuple((p.start, p.end) for p in paragraphs if p.heading),
        metadata=header.metadata,
        metadata_spans=header.spans,
    )


def read_transcript(
    path: str | Path,
    *,
    name: str | None = None,
    labels: Iterable[str] = (),
    interviewer_labels: Iterable[str] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Transcript:
    """Read one interview record into a ``Transcript`` (no respondent metadata yet).

    *name* is the file name the transcript is known by (default: the file's name).
    Raises ``CorpusError`` when the file cannot be read.
    """
    path = Path(path)
    raw = read_document(path, max_bytes=max_bytes)
    fmt = path.suffix.lower().lstrip(".")
    cues: tuple[Cue, ...] = ()
    if raw.cues:
        text, spans = _join_cues(raw)
        cues = tuple(Cue(a, b, t0, t1, spk) for a, b, t0, t1, spk in spans)
    else:
        text = normalise(raw.text)
    if not text.strip():
        from qualcode.errors import CorpusError

        raise CorpusError(
            f"{path.name}: the file has no text; add the interview text or remove the file"
        )
    speakers = tuple({c.speaker for c in cues if c.speaker})
    return _structure(
        text,
        file=name or path.name,
        format=fmt,
        labels=tuple(labels) + speakers,
        interviewer_labels=interviewer_labels,
        cues=cues,
        raw=raw,
    )
