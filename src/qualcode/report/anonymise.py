"""Replacing person names in report texts by a role placeholder.

Names come from the respondents table's ``name`` column (several names in one
cell separated by ``;``) and from names given by the user. Each name is
replaced as a whole, and so are its first name and its surname (with its
particles: ``de Groot`` and ``De Groot``; a bare ``Groot`` is too often an
ordinary word), as whole words and case-sensitively
(``Visser`` is replaced, ``visser`` is not).

Respondents' names become ``[respondent]``; other names become ``[person]``.
The ``role`` column is deliberately not used as the placeholder: in a small
field a role ("implementation manager for municipalities") identifies the
person as surely as the name does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import pandas as pd

from qualcode.corpus import Corpus, Transcript

if TYPE_CHECKING:
    from qualcode.analysis.summary import Record

__all__ = ["PERSON", "RESPONDENT", "Anonymiser"]

RESPONDENT = "[respondent]"
PERSON = "[person]"

#: Lower-case words that join a Dutch surname to its particles (tussenvoegsels).
_PARTICLES = frozenset(
    {
        "de",
        "den",
        "der",
        "van",
        "von",
        "te",
        "ter",
        "ten",
        "het",
        "la",
        "le",
        "du",
        "da",
        "di",
        "el",
        "al",
        "op",
        "in",
        "'t",
    }
)


def _variants(name: str) -> list[str]:
    """The full name, the first name and the surname (with and without capitalised particle)."""
    words = name.split()
    if not words:
        return []
    out = [" ".join(words)]
    if len(words) > 1:
        out.append(words[0])
        rest = words[1:]
        out.append(" ".join(rest))
        if rest[0].lower() in _PARTICLES:  # 'de Groot' is also written 'De Groot'
            out.append(" ".join([rest[0][:1].upper() + rest[0][1:], *rest[1:]]))
    return [v for v in out if len(v) >= 2]


@dataclass(frozen=True)
class Anonymiser:
    """Replaces the given respondents' and other people's names in texts."""

    respondent_names: tuple[str, ...] = ()
    other_names: tuple[str, ...] = ()

    @classmethod
    def for_corpus(cls, corpus: Corpus, *, names: Iterable[str] = ()) -> Anonymiser:
        """Names from the respondents table's ``name`` column, plus *names*."""
        return cls.for_records(corpus.transcripts, names=names)

    @classmethod
    def for_records(
        cls, records: Iterable[Transcript | Record], *, names: Iterable[str] = ()
    ) -> Anonymiser:
        """Names from the ``name`` attribute of *records* (transcripts), plus *names*."""
        found: list[str] = []
        for t in records:
            found.extend(n.strip() for n in t.attributes.get("name", "").split(";") if n.strip())
        others = [n.strip() for n in names if n.strip()]
        return cls(tuple(dict.fromkeys(found)), tuple(dict.fromkeys(others)))

    @cached_property
    def _table(self) -> dict[str, str]:
        table: dict[str, str] = {}
        for label, names in ((PERSON, self.other_names), (RESPONDENT, self.respondent_names)):
            for name in names:
                for variant in _variants(name):
                    table[variant] = label
        return table

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        variants = sorted(self._table, key=len, reverse=True)
        if not variants:
            return None
        alternatives = "|".join(re.escape(v) for v in variants)
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")

    def __bool__(self) -> bool:
        return bool(self.respondent_names or self.other_names)

    def apply(self, text: str) -> str:
        """*text* with every known name replaced by its placeholder."""
        pattern = self._pattern
        if pattern is None:
            return text
        table = self._table
        return pattern.sub(lambda m: table[m.group(0)], text)

    def frame(self, frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
        """A copy of *frame* with names replaced in the text *columns*."""
        pattern = self._pattern
        if pattern is None:
            return frame
        table = self._table
        out = frame.copy()
        for column in columns:
            if column in out.columns:
                out[column] = (
                    out[column]
                    .astype(str)
                    .str.replace(pattern, lambda m: table[m.group(0)], regex=True)
                )
        return out
