"""Analysis of coded interviews: frequencies, co-occurrence, quotes, framework matrix.

Pandas in, pandas out. Start with :class:`Analysis`::

    analysis = Analysis(codings, corpus, codebook)
    analysis.frequencies(by="organisation", level="variable")
    analysis.quotes("REPRESENTATIE")
"""

from qualcode.analysis.codings import codings_with_variables, map_to_segments, segment_table
from qualcode.analysis.core import Analysis, Reach
from qualcode.analysis.matrix import COMPARE_MEASURES
from qualcode.analysis.quotes import QUOTE_COLUMNS, Quote, quote_frame, quotes_of, speech_spans

__all__ = [
    "COMPARE_MEASURES",
    "QUOTE_COLUMNS",
    "Analysis",
    "Quote",
    "Reach",
    "codings_with_variables",
    "map_to_segments",
    "quote_frame",
    "quotes_of",
    "segment_table",
    "speech_spans",
]
