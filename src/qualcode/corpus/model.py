"""The text model: a transcript owns its normalised text; turns and segments are views on it.

Every offset in qualcode is a 0-based code-point offset into ``Transcript.text``,
end exclusive. ``Transcript.text`` is the file's text after :func:`normalise`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

__all__ = ["Cue", "Segment", "Transcript", "Turn", "Unit", "UNITS", "normalise", "count_words"]

Unit = Literal["paragraph", "turn", "sentence"]
UNITS: tuple[str, ...] = ("paragraph", "turn", "sentence")

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def normalise(text: str) -> str:
    """Return *text* in qualcode's one coordinate system.

    Unicode NFC, line endings ``\\n``, a leading byte-order mark removed; nothing
    else changes.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def count_words(text: str) -> int:
    """Number of words in *text* (runs of letters or digits, inner hyphens and apostrophes kept)."""
    return len(_WORD.findall(text))


@dataclass(frozen=True)
class Turn:
    """A stretch of speech by one speaker: ``text[start:end]`` without the speaker label."""

    start: int
    end: int
    speaker: str
    is_respondent: bool
    label_start: int | None = None  # where the label ("R:") begins, when there is one


@dataclass(frozen=True)
class Cue:
    """A subtitle cue of a .vtt/.srt file: where its text is, and when it was said (ms)."""

    start: int
    end: int
    begin_ms: int
    end_ms: int
    speaker: str = ""


@dataclass(frozen=True)
class Segment:
    """A unit of analysis: a paragraph, a turn or a sentence of one transcript."""

    file: str
    unit: Unit
    index: int
    start: int
    end: int
    speaker: str
    is_respondent: bool
    text: str


@dataclass(frozen=True)
class Transcript:
    """One interview record, read and normalised, with its respondent metadata.

    ``paragraphs``, ``headings`` and ``turns`` are computed when the record is
    read; use :meth:`segments` for units of analysis. ``headings`` are the
    paragraphs that are nobody's speech: titles, section headings and the
    record's own metadata. ``metadata`` holds the fields that metadata states
    (``{"title": ..., "Datum": ..., "Respondent": ...}``, see
    ``qualcode.corpus.metadata``) and ``metadata_spans`` where it stands in the
    text; ``respondent``, ``organisation`` and ``attributes`` come from the
    respondents table instead.
    """

    file: str
    text: str
    format: str
    turns: tuple[Turn, ...]
    paragraphs: tuple[tuple[int, int], ...]
    respondent: str = ""
    organisation: str = ""
    attributes: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    cues: tuple[Cue, ...] = ()
    headings: tuple[tuple[int, int], ...] = ()  # paragraphs that are nobody's speech
    metadata: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    metadata_spans: tuple[tuple[int, int], ...] = ()  # where the metadata stands (in headings)

    def __hash__(self) -> int:
        return hash((self.file, self.text, self.organisation))

    def __post_init__(self) -> None:
        for name in ("attributes", "metadata"):
            value = getattr(self, name)
            if not isinstance(value, MappingProxyType):
                object.__setattr__(self, name, MappingProxyType(dict(value)))

    @property
    def words(self) -> int:
        """Word count of the whole text."""
        return count_words(self.text)

    @property
    def content_hash(self) -> str:
        """SHA-256 of the normalised text (hex)."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def speaker_at(self, offset: int) -> Turn | None:
        """The turn that contains *offset*, or None (outside any turn, e.g. a label)."""
        for turn in self.turns:
            if turn.start <= offset < turn.end:
                return turn
        return None

    def segments(self, unit: Unit = "paragraph") -> tuple[Segment, ...]:
        """The transcript cut into *unit* segments (``paragraph``, ``turn`` or ``sentence``)."""
        from qualcode.corpus.segments import segment_transcript

        return segment_transcript(self, unit)

    def with_metadata(
        self, *, respondent: str, organisation: str, attributes: Mapping[str, str]
    ) -> Transcript:
        """A copy carrying respondent metadata."""
        from dataclasses import replace

        return replace(
            self,
            respondent=respondent,
            organisation=organisation,
            attributes=MappingProxyType(dict(attributes)),
        )
