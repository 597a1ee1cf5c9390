"""Pattern slots and the word forms that satisfy them, resolved once per word form.

Every slot of every pattern (a ``Term``: alternatives such as ``geld|budget`` or
``*financ*``) becomes an *atom*. The first time a word form is met, the atoms it
satisfies are worked out from its folded surface form and its lookup lemma, and
the form gets a word id; a sparse table (word id -> atoms) records the result.
After that, resolving a token costs one dictionary look-up.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from qualcode.codebook.model import Term
from qualcode.codebook.patterns import fold, lemmatizer

__all__ = ["Lexicon"]


class _Wildcards:
    """Wildcard alternatives, indexed so that a new word is checked against few of them.

    ``abc*`` is found through the word's first three letters, ``*abc`` through
    its last three, ``*abc*`` by substring; other shapes (``a*bc``) by regex.
    """

    def __init__(self) -> None:
        self.prefix: dict[str, list[tuple[str, int]]] = {}
        self.suffix: dict[str, list[tuple[str, int]]] = {}
        self.infix: list[tuple[str, int]] = []
        self.other: list[tuple[re.Pattern[str], int]] = []

    def add(self, alt: str, atom: int) -> None:
        core = alt.strip("*")
        if "*" not in core and len(core) >= 3:
            if alt.startswith("*") and alt.endswith("*"):
                self.infix.append((core, atom))
                return
            if alt.endswith("*"):
                self.prefix.setdefault(core[:3], []).append((core, atom))
                return
            if alt.startswith("*"):
                self.suffix.setdefault(core[-3:], []).append((core, atom))
                return
        self.other.append((re.compile(".*".join(re.escape(p) for p in alt.split("*"))), atom))

    def matches(self, word: str) -> Iterator[int]:
        for core, atom in self.prefix.get(word[:3], ()):
            if word.startswith(core):
                yield atom
        for core, atom in self.suffix.get(word[-3:], ()):
            if word.endswith(core):
                yield atom
        for core, atom in self.infix:
            if core in word:
                yield atom
        for regex, atom in self.other:
            if regex.fullmatch(word):
                yield atom


class Lexicon:
    """The atoms of a codebook's patterns, and every word form met so far.

    Register all atoms with :meth:`atom` first; then :meth:`ids` maps token
    hashes to word ids, and :meth:`pairs` lists the (token, atom) pairs of a
    sequence of word ids.
    """

    def __init__(self, language: str) -> None:
        self._lemma = lemmatizer(language)
        self._atoms: dict[Term, int] = {}
        self._surface: dict[str, set[int]] = {}
        self._lemma_keys: dict[str, set[int]] = {}
        self._wild = _Wildcards()
        self._ids: dict[int, int] = {}
        self.texts: list[str] = []  # word id -> lower-case form
        # word id -> atoms, as CSR: atoms of word w are indices[indptr[w]:indptr[w + 1]]
        self._indptr: list[int] = [0]
        self._indices: list[int] = []
        self._csr: tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]] | None = None
        # known hashes, sorted, and their word ids: for vectorised look-ups
        self._sorted_hashes: npt.NDArray[np.uint64] | None = None
        self._sorted_ids: npt.NDArray[np.intp] = np.zeros(0, dtype=np.intp)

    def __len__(self) -> int:
        return len(self._atoms)

    def atom(self, term: Term) -> int:
        """The atom id of *term* (registered on first use)."""
        found = self._atoms.get(term)
        if found is not None:
            return found
        if self.texts:
            raise RuntimeError("register every atom before resolving words")
        atom = len(self._atoms)
        self._atoms[term] = atom
        for alt in term.alternatives:
            if "*" in alt:
                self._wild.add(alt, atom)
            elif alt in term.exact:
                self._surface.setdefault(alt, set()).add(atom)
            else:
                self._surface.setdefault(alt, set()).add(atom)
                self._lemma_keys.setdefault(alt, set()).add(atom)
        for lem in term.lemmas:
            self._surface.setdefault(lem, set()).add(atom)
            self._lemma_keys.setdefault(lem, set()).add(atom)
        return atom

    def atoms_of(self, lower: str) -> tuple[int, ...]:
        """The atoms a token with the lower-cased form *lower* satisfies."""
        surface = fold(lower)
        lemma = fold(self._lemma(lower))
        found = set(self._surface.get(surface, ()))
        found.update(self._lemma_keys.get(lemma, ()))
        found.update(self._wild.matches(surface))
        if lemma != surface:
            found.update(self._wild.matches(lemma))
        return tuple(sorted(found))

    def ids(self, hashes: npt.NDArray[np.uint64], strings: Any) -> npt.NDArray[np.intp]:
        """Word ids of tokens given by the hashes of their lower-case forms.

        *strings* is the spaCy ``StringStore`` that resolves a hash to its text;
        forms not met before are resolved and added.
        """
        hashes = np.asarray(hashes, dtype=np.uint64)
        found, where = self._lookup(hashes)
        if not found.all():
            self._learn(np.unique(hashes[~found]).tolist(), strings)
            found, where = self._lookup(hashes)
        ids: npt.NDArray[np.intp] = self._sorted_ids[where]
        return ids

    def _lookup(
        self, hashes: npt.NDArray[np.uint64]
    ) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.intp]]:
        """Whether each hash is known, and where it is in the sorted known hashes."""
        if self._sorted_hashes is None:
            known = np.fromiter(self._ids.keys(), dtype=np.uint64, count=len(self._ids))
            values = np.fromiter(self._ids.values(), dtype=np.intp, count=len(self._ids))
            order = np.argsort(known)
            self._sorted_hashes = known[order]
            self._sorted_ids = values[order]
        size = len(self._sorted_hashes)
        if not size:
            return np.zeros(len(hashes), dtype=bool), np.zeros(len(hashes), dtype=np.intp)
        where = np.minimum(np.searchsorted(self._sorted_hashes, hashes), size - 1)
        return self._sorted_hashes[where] == hashes, where

    def _learn(self, hashes: list[int], strings: Any) -> None:
        for h in hashes:
            text = str(strings[h])
            self._ids[h] = len(self.texts)
            self.texts.append(text)
            self._indices.extend(self.atoms_of(text))
            self._indptr.append(len(self._indices))
        self._csr = None
        self._sorted_hashes = None

    def pairs(self, ids: npt.NDArray[np.intp]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
        """``(tokens, atoms)``: for each token position in *ids* and each atom its word
        satisfies, one entry (token positions ascending)."""
        if self._csr is None:
            self._csr = (
                np.array(self._indptr, dtype=np.intp),
                np.array(self._indices, dtype=np.intp),
            )
        indptr, indices = self._csr
        first = indptr[ids]
        counts = indptr[ids + 1] - first
        tokens = np.repeat(np.arange(len(ids), dtype=np.intp), counts)
        within = np.arange(len(tokens), dtype=np.intp) - np.repeat(
            np.cumsum(counts) - counts, counts
        )
        return tokens, indices[first[tokens] + within]
