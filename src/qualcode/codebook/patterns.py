"""The pattern language of a codebook: parse pattern text into ``Term`` slots.

A pattern is a phrase of whitespace-separated slots; a slot lists alternatives
separated by ``|``; an alternative is a word, a word with ``*`` wildcards
(``financ*``, ``*regie*``), or ``=word`` for the surface form only (no lemma).
Words are compared lower-cased and accent-folded, on their lookup lemma as
well as their surface form, so ``signalen`` in a pattern and ``signaal`` in a
transcript (or the other way round) match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache
from typing import Any

from qualcode.codebook.model import Term

__all__ = ["PatternSyntaxError", "fold", "lemmatizer", "parse_phrase", "parse_term", "tokenizer"]

#: Fewest letters a wildcard alternative must keep, so that ``a*`` cannot match half the text.
MIN_WILDCARD_LETTERS = 3

_ALLOWED = re.compile(r"[\w*'’.&/+-]+")


class PatternSyntaxError(ValueError):
    """A pattern cannot be compiled; the message says why and how to fix it."""


def fold(word: str) -> str:
    """*word* lower-cased with accents removed (``Financiële`` -> ``financiele``)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def lemmatizer(language: str) -> Callable[[str], str]:
    """A function from a word to its lookup lemma in *language* (lower-case in, lower-case out).

    Uses the lookup table of ``qualcode.nlp.pipeline(language)``; words that
    are not in the table are their own lemma.
    """
    from qualcode.nlp import pipeline

    component: Any = pipeline(language).get_pipe("lemmatizer")
    table = component.lookups.get_table("lemma_lookup", {})
    get = table.get

    def lemma(word: str) -> str:
        found = get(word)
        return str(found).lower() if found is not None else word

    return lemma


@cache
def tokenizer(language: str) -> Callable[[str], list[str]]:
    """A function splitting text into token strings with *language*'s spaCy tokenizer."""
    from qualcode.nlp import tokenizer_only

    tokenizer = tokenizer_only(language).tokenizer
    return lambda text: [t.text for t in tokenizer(text)]


def parse_term(text: str, *, language: str) -> Term:
    """One slot: ``geld|budget|*financ*``. Raises ``PatternSyntaxError``."""
    alternatives = text.split("|")
    if any(not a for a in alternatives):
        raise PatternSyntaxError(
            f"empty alternative in {text!r}; remove the extra '|' (write 'a|b', not 'a||b')"
        )
    lemma = lemmatizer(language)
    folded: list[str] = []
    lemmas: list[str] = []
    exact: list[str] = []
    _check_characters(alternatives)
    for alt in alternatives:
        is_exact = alt.startswith("=") and len(alt) > 1
        if is_exact:
            alt = alt[1:]
        if "*" in alt:
            letters = len(alt.replace("*", ""))
            if letters < MIN_WILDCARD_LETTERS:
                raise PatternSyntaxError(
                    f"wildcard {alt!r} keeps {letters} letter{'s' if letters != 1 else ''}, "
                    f"so it would match almost any word; keep at least {MIN_WILDCARD_LETTERS}, "
                    "e.g. 'financ*'"
                )
        else:
            parts = tokenizer(language)(alt)
            if len(parts) > 1:
                raise PatternSyntaxError(
                    f"{alt!r} is split by the {language!r} tokenizer into "
                    f"{' '.join(repr(p) for p in parts)}; write it as separate words of a "
                    "phrase, without '|' alternatives in that slot"
                )
        word = fold(alt)
        if word not in folded:
            folded.append(word)
        if is_exact:
            exact.append(word)
        elif "*" not in alt:
            lem = fold(lemma(alt.lower()))
            if lem not in lemmas:
                lemmas.append(lem)
    return Term(alternatives=tuple(folded), lemmas=tuple(lemmas), exact=tuple(exact))


def _check_characters(alternatives: list[str]) -> None:
    for alt in alternatives:
        word = alt[1:] if alt.startswith("=") and len(alt) > 1 else alt
        if word and not _ALLOWED.fullmatch(word):
            bad = sorted({ch for ch in word if not _ALLOWED.fullmatch(ch)}, key=word.index)
            raise PatternSyntaxError(
                f"{alt!r} contains {' '.join(repr(c) for c in bad)}; a pattern word may hold "
                "letters, digits, - ' . & / + and * (wildcard)"
            )


def parse_phrase(text: str, *, language: str) -> tuple[Term, ...]:
    """A phrase: slots in a row (``te laat``). A single word the tokenizer splits
    (``e-mail`` in some languages) becomes several slots. Raises ``PatternSyntaxError``."""
    words = text.split()
    if not words:
        raise PatternSyntaxError("empty pattern; write a word or phrase, e.g. 'geld|budget'")
    slots: list[Term] = []
    for word in words:
        _check_characters(word.split("|"))
        if "|" not in word and "*" not in word and not word.startswith("="):
            parts = tokenizer(language)(word)
            if len(parts) > 1:
                slots.extend(parse_term(p, language=language) for p in parts)
                continue
        slots.append(parse_term(word, language=language))
    return tuple(slots)
