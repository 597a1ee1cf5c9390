"""spaCy pipelines, built offline: a blank language with lookup lemmas and a sentencizer.

Trained pipelines are not installed (nothing is downloaded); ``spacy.blank``
plus the lookup tables of ``spacy-lookups-data`` gives tokens, lemmas and
sentences for Dutch and English.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from qualcode.errors import ArgumentError

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["pipeline", "tokenizer_only"]


@cache
def pipeline(language: str = "nl", *, lemmas: bool = True) -> Language:
    """A blank *language* pipeline with a sentencizer and, if *lemmas*, a lookup lemmatiser.

    Cached per process: build once, reuse everywhere.
    """
    import spacy

    try:
        nlp = spacy.blank(language)
    except (ImportError, KeyError) as exc:
        raise ArgumentError(
            f"language {language!r} is not supported by spaCy ({exc}); "
            "use an ISO code like 'nl' or 'en'"
        ) from None
    nlp.add_pipe("sentencizer")
    if lemmas:
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
    return nlp


@cache
def tokenizer_only(language: str = "nl") -> Language:
    """A blank pipeline with nothing but the tokenizer (the speed floor of this stack)."""
    import spacy

    return spacy.blank(language)
