"""Features of the learned auto-coder: Dutch morphology, word and character n-grams, per word form.

Every word form is turned into a sparse feature vector once, the first time it
is met (:class:`WordFeatures`), in a hashed space of ``DIMENSIONS`` columns:

* ``w:`` the Snowball stem of the form's lookup lemma: the lemma (from
  ``spacy-lookups-data``, the same table the patterns use) undoes irregular
  inflection (``vertegenwoordigd`` -> ``vertegenwoordigen``), the stem (nltk's
  Dutch Snowball, which needs no downloaded data) then joins derivations and
  regular inflection (``betrokken``/``betrokkenheid`` -> ``betrok``);
* the head and the modifier of a compound (``financieringstekort`` ->
  ``tekort`` + ``financiering``), split against the lemma table's words;
* the character 3- to 5-grams of the folded form between word boundaries, so
  that a word never seen in training still shares features with its relatives
  (``onderfinanciering``, ``budgetten``).

A segment's vector is the sum of its tokens' vectors (each weighted by how rare
its word is in the training passages), plus hashed pairs of neighbouring stems,
divided by ``n ** length_power`` (n: the segment's words). Because the model is
linear, its class scores are computed per word form once and summed per
segment, which keeps coding a large corpus almost as cheap as matching it.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from qualcode.codebook.patterns import fold, lemmatizer

__all__ = [
    "CONTENT_IDF",
    "DIMENSIONS",
    "FeatureWeights",
    "WordFeatures",
    "compound_parts",
    "prepare",
    "stemmer",
]

#: Columns of the hashed feature space (word, compound, character and pair features).
DIMENSIONS = 2**18
#: Words at least this rare in training (ln(N/df) + 1) are content words: explanations name
#: only those (``de``, ``niet``, ``was`` weigh in the model but explain nothing).
CONTENT_IDF = 3.0
#: Everyday spoken fillers and intensifiers that are frequent in interviews but missing from
#: spaCy's Dutch stop words; like those, never named as evidence.
FILLERS = frozenset(
    {
        "echt", "heel", "eigenlijk", "gewoon", "natuurlijk", "nou", "even", "beetje", "best",
        "toch", "zeg", "hè", "ja", "nee", "vooral", "steeds", "zeker", "soms", "daarom",
        "verder", "helemaal", "ofzo", "enzo", "zo'n", "zulke",
    }
)  # fmt: skip
Ints = npt.NDArray[np.intp]
Floats = npt.NDArray[np.float64]
_PAIR_MULT = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class FeatureWeights:
    """How much each family of features weighs, and how segment length is discounted."""

    word: float = 1.0
    chars: float = 0.6
    pairs: float = 0.5
    rules: float = 1.0
    length_power: float = 0.5


def _hash(text: str) -> int:
    return zlib.crc32(text.encode("utf-8")) % DIMENSIONS


@cache
def stemmer(language: str) -> object:
    """nltk's Snowball stemmer for *language* (``nl`` -> Dutch); no data is downloaded."""
    from nltk.stem.snowball import SnowballStemmer

    names = {"nl": "dutch", "en": "english", "de": "german", "fr": "french"}
    return SnowballStemmer(names.get(language, "dutch"))


@cache
def _vocabulary(language: str) -> frozenset[str]:
    """Words of the lemma table (its lemmas): the parts a compound may be split into."""
    from qualcode.nlp import pipeline

    component = pipeline(language).get_pipe("lemmatizer")
    table = component.lookups.get_table("lemma_lookup", {})  # type: ignore[attr-defined]
    words = (str(v) for v in table.values())
    return frozenset(w if w.isascii() else fold(w) for w in words if w.isalpha())


def prepare(language: str) -> None:
    """Load the word list that compounds are split against (once per process)."""
    _vocabulary(language)


def compound_parts(word: str, language: str = "nl") -> tuple[str, str] | None:
    """``(modifier, head)`` of a compound *word* (folded, lower-case), or None.

    The head is the longest known word (at least 4 letters) ending *word* whose
    remainder, less a linking ``s``, ``e`` or ``en``, is a known word of at least
    3 letters: ``financieringstekort`` -> ``('financiering', 'tekort')``.
    """
    if len(word) < 8 or not word.isalpha():
        return None
    known = _vocabulary(language)
    for cut in range(3, len(word) - 3):
        head = word[cut:]
        if head not in known:
            continue
        modifier = word[:cut]
        for link in ("", "s", "en", "e"):
            base = modifier[: len(modifier) - len(link)] if link else modifier
            if (not link or modifier.endswith(link)) and len(base) >= 3 and base in known:
                return base, head
    return None


class WordFeatures:
    """Feature vectors of word forms, computed once per form and kept in id order.

    Each form has a row; :meth:`rows` maps the word ids of a
    :class:`~qualcode.coding.lexicon.Lexicon` (its ``texts``) to rows.
    *idf* maps a stem key to its inverse document frequency (unknown stems get
    *max_idf*).
    """

    def __init__(
        self,
        language: str,
        weights: FeatureWeights,
        idf: dict[str, float] | None = None,
        max_idf: float = 1.0,
    ) -> None:
        self.language = language
        self.weights = weights
        self.idf = idf or {}
        self.max_idf = max_idf
        self._lemma = lemmatizer(language)
        self._stem = stemmer(language).stem  # type: ignore[attr-defined]
        self.stems: list[str] = []  # per row: its stem key ('' for no word)
        self.forms: list[str] = []  # per row: the lower-case form
        self.index: dict[str, int] = {}  # form -> row
        self._aligned: dict[int, tuple[list[str], Ints]] = {}
        # the vectors of the first rows as one CSR matrix (preloaded, or gathered by
        # matrix()); _rows holds the rows after them, as lists, until they are gathered
        self._done: sp.csr_matrix = self._csr([])
        self._rows: list[tuple[list[int], list[float]]] = []
        self._stem_hash = np.zeros(0, dtype=np.uint64)
        self._is_word = np.zeros(0, dtype=bool)
        self._content = np.zeros(0, dtype=bool)

    def __len__(self) -> int:
        return len(self.stems)

    def stem_key(self, lower: str) -> str:
        """The ``w:`` key of a lower-case form: the stem of its lemma; '' for no word."""
        form = fold(lower)
        if not any(ch.isalpha() for ch in form):
            return "#num" if any(ch.isdigit() for ch in form) else ""
        return self._stem(fold(self._lemma(lower)))

    def rows(self, texts: list[str]) -> Ints:
        """The row of each word form of *texts* (a lexicon's ``texts``, by word id).

        Forms not met before get their vectors now; the alignment is kept per
        *texts* list and extended as the list grows.
        """
        kept, aligned = self._aligned.get(id(texts), (texts, np.zeros(0, dtype=np.intp)))
        if len(aligned) < len(texts):
            start = len(self.stems)
            more = [self._row(lower) for lower in texts[len(aligned) :]]
            aligned = np.concatenate([aligned, np.array(more, dtype=np.intp)])
            self._aligned[id(texts)] = (kept, aligned)
            self._extend_arrays(start)
        return aligned

    def _extend_arrays(self, start: int) -> None:
        """The per-row arrays for the rows from *start* on."""
        if len(self.stems) <= start:
            return
        new = self.stems[start:]
        hashes = np.array([zlib.crc32(s.encode()) for s in new], dtype=np.uint64)
        self._stem_hash = np.concatenate([self._stem_hash, hashes])
        words = np.array([bool(s) for s in new], dtype=bool)
        self._is_word = np.concatenate([self._is_word, words])
        stop = _stop_words(self.language)
        rare = [
            bool(s) and self.idf.get(s, self.max_idf) >= CONTENT_IDF and fold(f) not in stop
            for s, f in zip(new, self.forms[start:], strict=True)
        ]
        self._content = np.concatenate([self._content, np.array(rare, dtype=bool)])

    def table(self) -> dict[str, npt.NDArray[Any]]:
        """Every word form met so far with its stem and vector, as arrays (for a cache)."""
        matrix = self.matrix()
        return {
            "forms": np.array(self.forms, dtype=str),
            "stems": np.array(self.stems, dtype=str),
            "indptr": matrix.indptr,
            "indices": matrix.indices,
            "data": matrix.data,
        }

    def preload(self, table: dict[str, npt.NDArray[Any]]) -> None:
        """Take the word forms of :meth:`table` (of features with the same weights and idf)."""
        start = len(self.stems)
        indptr, indices, data = table["indptr"], table["indices"], table["data"]
        forms, stems = table["forms"].tolist(), table["stems"].tolist()
        if not self._rows and not self.index.keys() & set(forms):
            # all new, nothing pending: the table's rows are taken whole, as arrays
            self.index.update(zip(forms, range(start, start + len(forms)), strict=True))
            self.forms.extend(forms)
            self.stems.extend(stems)
            block = sp.csr_matrix((data, indices, indptr), shape=(len(forms), DIMENSIONS))
            self._done = sp.vstack([self._done, block], format="csr")
            self._extend_arrays(start)
            return
        for k, (form, stem) in enumerate(zip(forms, stems, strict=True)):
            if form in self.index:
                continue
            self.index[form] = len(self.stems)
            self.forms.append(form)
            self.stems.append(stem)
            a, b = int(indptr[k]), int(indptr[k + 1])
            self._rows.append((indices[a:b].tolist(), data[a:b].tolist()))
        self._extend_arrays(start)

    def _row(self, lower: str) -> int:
        found = self.index.get(lower)
        if found is None:
            found = self.index[lower] = len(self.stems)
            self.forms.append(lower)
            self._add(lower)
        return found

    def _add(self, lower: str) -> None:
        key = self.stem_key(lower)
        self.stems.append(key)
        if not key:
            self._rows.append(([], []))
            return
        w = self.weights
        form = fold(lower)
        word = {_hash("w:" + key): 1.0}
        parts = compound_parts(form, self.language) if form.isalpha() else None
        if parts is not None:
            modifier, head = parts
            word[_hash("w:" + self._stem(head))] = word.get(_hash("w:" + self._stem(head)), 0) + 0.7
            word[_hash("m:" + self._stem(modifier))] = 0.5
        chars: dict[int, float] = {}
        padded = f"<{form}>"
        for n in (3, 4, 5):
            for i in range(len(padded) - n + 1):
                h = _hash("c:" + padded[i : i + n])
                chars[h] = chars.get(h, 0.0) + 1.0
        idf = self.idf.get(key, self.max_idf)
        cols: dict[int, float] = {}
        for family, scale in ((word, w.word), (chars, w.chars)):
            norm = math.sqrt(sum(v * v for v in family.values())) or 1.0
            for h, v in family.items():
                cols[h] = cols.get(h, 0.0) + idf * scale * v / norm
        self._rows.append((list(cols), list(cols.values())))

    def matrix(self, start: int = 0) -> sp.csr_matrix:
        """Rows ``start..`` x ``DIMENSIONS``: the word forms' vectors."""
        done = self._done.shape[0]
        if start >= done:
            return self._csr(self._rows[start - done :])
        if self._rows:
            self._done = sp.vstack([self._done, self._csr(self._rows)], format="csr")
            self._rows = []
        return self._done[start:] if start else self._done

    @staticmethod
    def _csr(rows: list[tuple[list[int], list[float]]]) -> sp.csr_matrix:
        indptr = np.cumsum([0] + [len(c) for c, _ in rows])
        indices = np.array([h for c, _ in rows for h in c], dtype=np.int32)
        data = np.array([v for _, d in rows for v in d], dtype=np.float64)
        return sp.csr_matrix((data, indices, indptr), shape=(len(rows), DIMENSIONS))

    def is_content(self, rows: Ints) -> npt.NDArray[np.bool_]:
        """Which of *rows* are content words: not a stop word (spaCy's list for the
        language, plus ``FILLERS``), and in at most one training passage in eight or so
        (inverse document frequency at least ``CONTENT_IDF``) or never seen in training."""
        return self._content[rows]

    def is_word(self, rows: Ints) -> npt.NDArray[np.bool_]:
        """Which of *rows* are words (not punctuation)."""
        return self._is_word[rows]

    def pair_columns(self, ids: Ints, segment: Ints) -> tuple[Ints, Ints]:
        """``(position, column)`` of each pair of neighbouring words in one segment.

        *ids* (rows) and *segment* are per token (segment -1: outside every segment);
        punctuation tokens are skipped over, so pairs join the words around them.
        """
        words = np.flatnonzero(self._is_word[ids] & (segment >= 0))
        if len(words) < 2:
            empty = np.zeros(0, dtype=np.intp)
            return empty, empty
        left, right = words[:-1], words[1:]
        same = segment[left] == segment[right]
        left, right = left[same], right[same]
        a, b = self._stem_hash[ids[left]], self._stem_hash[ids[right]]
        with np.errstate(over="ignore"):
            mixed = (a * _PAIR_MULT) ^ (b + np.uint64(0x632BE59BD9B4E019))
        columns = (mixed % np.uint64(DIMENSIONS)).astype(np.intp)
        return left, columns

    def pair_weight(self) -> float:
        """The value of one pair feature."""
        return self.weights.pairs


@cache
def _stop_words(language: str) -> frozenset[str]:
    """spaCy's stop words for *language* (folded, as forms are compared) and ``FILLERS``."""
    import spacy.util

    try:
        words = spacy.util.get_lang_class(language).Defaults.stop_words
    except ImportError:  # a language spaCy does not know: rarity alone decides
        words = set()
    return frozenset(fold(w) for w in words) | (FILLERS if language == "nl" else frozenset())
