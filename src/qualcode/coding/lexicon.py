"""Pattern slots and the word forms that satisfy them, resolved once per word form.

Every slot of every pattern (a ``Term``: alternatives such as ``geld|budget`` or
``*financ*``) becomes an *atom*. The first time a word form is met, the atoms it
satisfies are worked out from its folded surface form and its lookup lemma, and
the form gets a word id; a sparse table (word id -> atoms) records the result.
After that, tokens are resolved in bulk through a hash table of the forms' hashes.
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


def _fold(word: str) -> str:
    """``fold(word)``; an ASCII word has no accents to remove, only case."""
    return word.lower() if word.isascii() else fold(word)


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


class _HashIndex:
    """An open-addressing hash table from 64-bit hashes to word ids, looked up in bulk.

    spaCy's hashes are uniformly spread, so their low bits are the home slot;
    collisions probe the next slots. Kept at most a quarter full, a look-up
    resolves almost every token in one vectorised pass.
    """

    def __init__(self) -> None:
        self._keys = np.zeros(1024, dtype=np.uint64)  # 0 marks an empty slot
        self._values = np.zeros(1024, dtype=np.intp)
        self._size = 0
        self._zero = -1  # the word id of hash 0, which cannot be stored as a key

    def find(self, hashes: npt.NDArray[np.uint64]) -> npt.NDArray[np.intp]:
        """The word id of each of *hashes*, -1 where unknown."""
        keys = self._keys
        mask = np.uint64(len(keys) - 1)
        slot = (hashes & mask).astype(np.intp)
        found = keys[slot]
        hit = found == hashes
        pending = np.flatnonzero(~hit & (found != 0))
        while len(pending):
            moved = (slot[pending] + 1) & (len(keys) - 1)
            slot[pending] = moved
            found = keys[moved]
            now = found == hashes[pending]
            hit[pending[now]] = True
            pending = pending[~now & (found != 0)]
        out: npt.NDArray[np.intp] = np.where(hit, self._values[slot], -1)
        if self._zero >= 0:
            out[hashes == 0] = self._zero
        return out

    def add(self, hashes: npt.NDArray[np.uint64], values: npt.NDArray[np.intp]) -> None:
        """Store *hashes* (new, distinct) with their word ids *values*."""
        zero = hashes == 0
        if zero.any():
            self._zero = int(values[zero][0])
            hashes, values = hashes[~zero], values[~zero]
        if 4 * (self._size + len(hashes)) > len(self._keys):
            old = self._keys != 0
            stored, ids = self._keys[old], self._values[old]
            size = len(self._keys)
            while 4 * (self._size + len(hashes)) > size:
                size *= 2
            self._keys = np.zeros(size, dtype=np.uint64)
            self._values = np.zeros(size, dtype=np.intp)
            self._size = 0
            self._insert(stored, ids)
        self._insert(hashes, values)

    def _insert(self, hashes: npt.NDArray[np.uint64], values: npt.NDArray[np.intp]) -> None:
        keys, last = self._keys, len(self._keys) - 1
        slot = (hashes & np.uint64(last)).astype(np.intp)
        pending = np.arange(len(hashes), dtype=np.intp)
        while len(pending):
            free = keys[slot[pending]] == 0
            # of the pending hashes that reach a free slot, the first per slot takes it
            taken, first = np.unique(slot[pending[free]], return_index=True)
            winners = pending[free][first]
            keys[taken] = hashes[winners]
            self._values[taken] = values[winners]
            placed = np.zeros(len(hashes), dtype=bool)
            placed[winners] = True
            pending = pending[~placed[pending]]
            slot[pending] = (slot[pending] + 1) & last
        self._size += len(hashes)


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
        self._index = _HashIndex()
        self.texts: list[str] = []  # word id -> lower-case form
        # word id -> atoms, as CSR: atoms of word w are indices[indptr[w]:indptr[w + 1]]
        self._indptr: list[int] = [0]
        self._indices: list[int] = []
        self._csr: tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]] | None = None
        self._text_array: npt.NDArray[np.object_] = np.empty(0, dtype=object)

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
        surface = _fold(lower)
        lemma = _fold(self._lemma(lower))
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
        ids = self._index.find(hashes)
        unknown = ids < 0
        if unknown.any():
            new = np.unique(hashes[unknown])
            first = len(self.texts)
            for h in new.tolist():
                text = str(strings[h])
                self.texts.append(text)
                self._indices.extend(self.atoms_of(text))
                self._indptr.append(len(self._indices))
            self._csr = None
            self._index.add(new, np.arange(first, len(self.texts), dtype=np.intp))
            ids[unknown] = self._index.find(hashes[unknown])
        return ids

    def text_array(self) -> npt.NDArray[np.object_]:
        """``texts`` as an array of Python strings (gathered by word ids at C speed)."""
        if len(self._text_array) < len(self.texts):
            more = np.empty(len(self.texts) - len(self._text_array), dtype=object)
            more[:] = self.texts[len(self._text_array) :]
            self._text_array = np.concatenate([self._text_array, more])
        return self._text_array

    def pairs(
        self, ids: npt.NDArray[np.intp], keep: npt.NDArray[np.bool_] | None = None
    ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
        """``(tokens, atoms)``: for each token position in *ids* (where *keep* is true,
        if given) and each atom its word satisfies, one entry (token positions ascending)."""
        if self._csr is None:
            self._csr = (
                np.array(self._indptr, dtype=np.intp),
                np.array(self._indices, dtype=np.intp),
            )
        indptr, indices = self._csr
        first = indptr[ids]
        counts = indptr[ids + 1] - first
        if keep is not None:
            counts[~keep] = 0
        # the atoms of each token's word, token after token: a gather of CSR ranges
        hits = np.flatnonzero(counts != 0)  # (a search of booleans is much faster)
        counts, first = counts[hits], first[hits]
        tokens = np.repeat(hits, counts)
        offset = np.repeat(first - (np.cumsum(counts) - counts), counts)
        return tokens, indices[offset + np.arange(len(tokens), dtype=np.intp)]
