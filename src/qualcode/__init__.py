"""qualcode: code and analyse qualitative interviews in Python.

Start with :func:`load_corpus` to read a folder of interview records.
"""

from qualcode.analysis import Analysis, Quote, Reach
from qualcode.codebook import Code, Codebook, load_codebook
from qualcode.coding.autocoder import autocode, autocode_frame, autocode_text
from qualcode.coding.evaluation import evaluate
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
from qualcode.report import build_report
from qualcode.review import QuoteCheck, check_quotes
from qualcode.store import Project

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "Code",
    "Codebook",
    "CodebookError",
    "CodingError",
    "Corpus",
    "CorpusError",
    "InteropError",
    "Project",
    "QualcodeError",
    "QualcodeWarning",
    "Quote",
    "QuoteCheck",
    "Reach",
    "ReviewError",
    "Segment",
    "StoreError",
    "Transcript",
    "Turn",
    "autocode",
    "autocode_frame",
    "autocode_text",
    "build_report",
    "check_quotes",
    "evaluate",
    "load_codebook",
    "load_corpus",
    "normalise",
    "read_respondents",
    "read_transcript",
    "transcript_from_text",
]
