"""The codebook as data: dimensions, codes, auto-coding patterns, and the tree API.

A codebook is a tree of codes in one or more *dimensions*. The first dimension
is the analytic frame: its top-level codes are the *variables* (for
``codebook/msm.yaml`` the eight MSM variables). Codes of any other dimension
(``VALENCE``: ``BEVORDEREND``/``BELEMMEREND``) are applied alongside the
variables; their variable is the dimension's id.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from difflib import get_close_matches
from functools import cached_property
from pathlib import Path
from typing import Literal

from qualcode.errors import CodebookError

__all__ = ["Code", "Codebook", "Dimension", "Pattern", "Term"]


@dataclass(frozen=True)
class Term:
    """One token slot of a pattern: alternative words, each possibly with ``*`` wildcards.

    ``alternatives`` are lower-cased and accent-folded (``financiële`` -> ``financiele``);
    ``lemmas`` holds the lookup lemma of each alternative without a wildcard or ``=``;
    ``exact`` lists the alternatives written ``=word``, matched on the surface form only.
    """

    alternatives: tuple[str, ...]
    lemmas: tuple[str, ...] = ()
    exact: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The slot as written in the pattern language (``geld|budget``)."""
        return "|".join(("=" + a) if a in self.exact else a for a in self.alternatives)


@dataclass(frozen=True)
class Pattern:
    """A rule that finds evidence for a code in a segment.

    ``kind`` is ``phrase`` (the ``items[0]`` slots in a row) or ``near`` (every
    item occurs within ``within`` tokens of the first item). Each item is a tuple
    of slots. A match preceded or followed within ``unless_within`` tokens by an
    ``unless`` word is cancelled (negation: ``niet goed``).
    """

    kind: Literal["phrase", "near"]
    items: tuple[tuple[Term, ...], ...]
    source: str
    weight: float = 1.0
    within: int = 0
    unless: Term | None = None
    unless_within: int = 2
    line: int = 0


@dataclass(frozen=True)
class Dimension:
    """A dimension of the codebook (``MSM``, ``VALENCE``)."""

    id: str
    name: str
    description: str = ""
    line: int = 0


@dataclass(frozen=True)
class Code:
    """One code of the tree.

    ``dimension`` and ``color`` are resolved: a sub-code inherits them from its
    parent unless it sets its own colour. ``line`` is where the code starts in
    the codebook file.
    """

    id: str
    name: str
    description: str
    parent: str | None = None
    dimension: str = ""
    color: str = ""
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    patterns: tuple[Pattern, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Codebook:
    """A validated codebook; build one with :func:`qualcode.codebook.load_codebook`."""

    name: str
    language: str
    version: str
    dimensions: tuple[Dimension, ...]
    codes: tuple[Code, ...]
    source_text: str = ""
    path: str = ""
    description: str = ""

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    def __contains__(self, code_id: object) -> bool:
        return code_id in self._by_id

    @cached_property
    def _by_id(self) -> dict[str, Code]:
        return {c.id: c for c in self.codes}

    @cached_property
    def _children(self) -> dict[str | None, tuple[Code, ...]]:
        out: dict[str | None, list[Code]] = {}
        for c in self.codes:
            out.setdefault(c.parent, []).append(c)
        return {k: tuple(v) for k, v in out.items()}

    @property
    def primary_dimension(self) -> str:
        """The id of the first dimension: its top-level codes are the variables."""
        return self.dimensions[0].id if self.dimensions else ""

    def get(self, code_id: str) -> Code:
        """The code *code_id*; ``CodebookError`` naming close matches when unknown."""
        try:
            return self._by_id[code_id]
        except KeyError:
            close = get_close_matches(code_id, list(self._by_id), n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise CodebookError(
                f"unknown code {code_id!r} in codebook {self.name!r}{hint} "
                f"(see 'qualcode codebook show' for all ids)"
            ) from None

    def dimension(self, dimension_id: str) -> Dimension:
        """The dimension *dimension_id*; ``CodebookError`` when unknown."""
        for d in self.dimensions:
            if d.id == dimension_id:
                return d
        valid = ", ".join(d.id for d in self.dimensions)
        raise CodebookError(f"unknown dimension {dimension_id!r}; valid dimensions: {valid}")

    def lineage(self) -> dict[str, tuple[str, ...]]:
        """For every code: its id and its ancestors' ids, up to its top-level code."""
        out: dict[str, tuple[str, ...]] = {}
        for code in self.codes:
            chain = [code.id]
            parent = code.parent
            while parent is not None and parent in self._by_id:
                chain.append(parent)
                parent = self._by_id[parent].parent
            out[code.id] = tuple(chain)
        return out

    def top_of(self, code_id: str) -> str:
        """The id of the top-level ancestor of *code_id* (itself when top-level)."""
        code = self.get(code_id)
        while code.parent is not None:
            code = self._by_id[code.parent]
        return code.id

    def variable_of(self, code_id: str) -> str:
        """The variable of *code_id*: its top-level ancestor, or its dimension's id outside
        the primary dimension (``VALENCE`` for ``BEVORDEREND``)."""
        code = self.get(code_id)
        if code.dimension and code.dimension != self.primary_dimension:
            return code.dimension
        return self.top_of(code_id)

    def top_level(self) -> tuple[Code, ...]:
        """All top-level codes, in file order."""
        return self._children.get(None, ())

    def variables(self) -> tuple[Code, ...]:
        """The top-level codes of the primary dimension (the variables), in file order."""
        return tuple(c for c in self.top_level() if c.dimension == self.primary_dimension)

    def dimension_codes(self, dimension_id: str) -> tuple[Code, ...]:
        """Every code of dimension *dimension_id*, in file order."""
        return tuple(c for c in self.codes if c.dimension == dimension_id)

    def valence_codes(self) -> tuple[Code, ...]:
        """The codes of the ``VALENCE`` dimension (empty when the codebook has none)."""
        return self.dimension_codes("VALENCE")

    def children(self, code_id: str) -> tuple[Code, ...]:
        """The direct sub-codes of *code_id*, in file order."""
        self.get(code_id)
        return self._children.get(code_id, ())

    def descendants(self, code_id: str) -> tuple[Code, ...]:
        """*code_id* itself and every code under it, depth first in file order."""
        out = [self.get(code_id)]
        for child in self._children.get(code_id, ()):
            out.extend(self.descendants(child.id))
        return tuple(out)

    def depth(self, code_id: str) -> int:
        """0 for a top-level code, 1 for its children, and so on."""
        code, depth = self.get(code_id), 0
        while code.parent is not None:
            code, depth = self._by_id[code.parent], depth + 1
        return depth

    def patterns(self) -> Iterator[tuple[Code, Pattern]]:
        """Every ``(code, pattern)`` pair, in file order."""
        for code in self.codes:
            for pattern in code.patterns:
                yield code, pattern

    @property
    def file_name(self) -> str:
        """The codebook file's name, or ``<codebook>`` when it was not read from a file."""
        return Path(self.path).name if self.path else "<codebook>"
