"""Words for quote matching: one tokenizer for report quotes and transcripts alike.

A quote is compared word by word. Before comparing, a word is normalised:
Unicode NFKC, apostrophes (’ ‘ ` ´ ′) become ``'``, hyphens inside a word are
dropped (``multi-stakeholderproces`` = ``multistakeholderproces``: a compound
split at a line end reads the same whether or not its hyphen was kept), soft
hyphens are dropped, accents are dropped and the word is case-folded.
Punctuation between words (commas, full stops, quote marks, dashes between
words) is not a word and never makes a quote *altered*; whitespace never
counts.

Case is ignored on purpose: report authors capitalise the first word of a
quote that started mid-sentence, and a changed capital is not a changed word.
Accents are ignored because Dutch uses them for emphasis (``dit ís toch``,
``regie óp gemeenten``, ``één``) and for spelling variants (``coördinatie``),
never to make another word a report would quote.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["WORD", "Token", "norm_word", "tokenize"]

#: A word: letters or digits, with inner hyphens/apostrophes, and inner
#: ``.``/``,`` between digits (``1.000``, ``2,5``).
WORD = re.compile(r"\w+(?:(?:[-'’‘`´′‐‑–\u00ad]|(?<=\d)[.,](?=\d))\w+)*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "′": "'"})
_DASHES = str.maketrans({"‐": "-", "‑": "-", "–": "-", "—": "-", "−": "-"})


@dataclass(frozen=True)
class Token:
    """A word: its normalised form and where it is, ``text[start:end]``."""

    norm: str
    start: int
    end: int


@lru_cache(maxsize=1 << 16)
def norm_word(word: str) -> str:
    """The comparison form of *word*: one apostrophe, no hyphens or accents, case-folded.

    Cached: a report and its transcripts repeat most of their words many times.
    """
    word = unicodedata.normalize("NFKD", word.replace("\u00ad", ""))
    word = "".join(c for c in word if not unicodedata.combining(c))
    word = unicodedata.normalize("NFKC", word).translate(_APOSTROPHES).translate(_DASHES)
    return word.replace("-", "").casefold()


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The words of ``text[start:end]``, with offsets into *text*."""
    stop = len(text) if end is None else end
    return [
        Token(norm_word(m.group()), m.start(), m.end()) for m in WORD.finditer(text, start, stop)
    ]
