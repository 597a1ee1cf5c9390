"""Reading interview records into one normalised text model.

See ``model`` for the coordinate system every offset in qualcode uses.
"""

from qualcode.corpus.build import read_transcript, transcript_from_text
from qualcode.corpus.corpus import Corpus, CorpusIssue, load_corpus
from qualcode.corpus.model import UNITS, Cue, Segment, Transcript, Turn, count_words, normalise
from qualcode.corpus.readers import DEFAULT_MAX_BYTES
from qualcode.corpus.respondents import Respondent, RespondentsTable, read_respondents
from qualcode.errors import QualcodeWarning

__all__ = [
    "DEFAULT_MAX_BYTES",
    "UNITS",
    "Corpus",
    "CorpusIssue",
    "Cue",
    "QualcodeWarning",
    "Respondent",
    "RespondentsTable",
    "Segment",
    "Transcript",
    "Turn",
    "count_words",
    "load_corpus",
    "normalise",
    "read_respondents",
    "read_transcript",
    "transcript_from_text",
]
