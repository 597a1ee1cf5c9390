"""qualcode: code and analyse qualitative interviews in Python.

Start with :func:`load_corpus` to read a folder of interview records.
"""

from qualcode.corpus import (
    Corpus,
    QualcodeWarning,
    Segment,
    Transcript,
    Turn,
    load_corpus,
    normalise,
    read_respondents,
    read_transcript,
    transcript_from_text,
)
from qualcode.errors import (
    CodebookError,
    CodingError,
    CorpusError,
    InteropError,
    QualcodeError,
    ReviewError,
    StoreError,
)

__version__ = "0.1.0"

__all__ = [
    "CodebookError",
    "CodingError",
    "Corpus",
    "CorpusError",
    "InteropError",
    "QualcodeError",
    "QualcodeWarning",
    "ReviewError",
    "Segment",
    "StoreError",
    "Transcript",
    "Turn",
    "load_corpus",
    "normalise",
    "read_respondents",
    "read_transcript",
    "transcript_from_text",
]
