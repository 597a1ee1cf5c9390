"""The units of comparison, and how much of each unit every coder coded with every code.

Units are the *codable* segments (paragraphs, sentences or turns) of the
transcripts compared: respondent speech only, as the auto-coder and the coding
widget see it (:func:`qualcode.corpus.segments.respondent_spans`), so that
interviewer turns, headings and record metadata, which nobody may code, do not
count as units every coder "agreed" to leave empty. For the ``character`` unit
the units are the characters of those segments' paragraphs. The ``all`` scope
keeps every segment (or character), as programs that count the whole source
do. Characters are not
materialised one by one: the boundaries of all codings cut each transcript
into runs inside which nothing changes, and each run is one row of the grid
with a weight equal to its length. A coder applied a code to a unit when the
union of their codings with that code overlaps it by at least one character.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from qualcode.agreement.inputs import CheckedCodings
from qualcode.coding.codings import overlaps
from qualcode.corpus import Corpus
from qualcode.corpus.segments import check_unit, respondent_spans

__all__ = ["AGREEMENT_UNITS", "UNIT_SCOPES", "UnitGrid", "build_grid"]

#: Units agreement can be computed on.
AGREEMENT_UNITS: tuple[str, ...] = ("paragraph", "sentence", "turn", "character")
#: Which units count: the codable ones (respondent speech), or all of them.
UNIT_SCOPES: tuple[str, ...] = ("codable", "all")

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class UnitGrid:
    """Units (rows) by coders by codes: characters of the unit covered by the coder's codings.

    ``weights`` is 1 per segment, or the length of a character run; ``file``
    indexes ``files``; ``starts``/``ends`` are offsets into that transcript.
    ``n_left_out`` counts the units (or characters) of those transcripts that
    the scope left out.
    """

    unit: str
    files: tuple[str, ...]
    coders: tuple[str, ...]
    codes: tuple[str, ...]
    file: IntArray
    starts: IntArray
    ends: IntArray
    weights: IntArray
    overlap: IntArray  # shape (units, coders, codes)
    scope: str = "all"
    n_left_out: int = 0

    @property
    def n_units(self) -> int:
        """Number of units (segments, or characters for the character unit)."""
        return int(self.weights.sum())

    @property
    def applied(self) -> npt.NDArray[np.bool_]:
        """Whether each coder applied each code to each unit: ``overlap > 0``."""
        return self.overlap > 0


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The union of *spans* as sorted, disjoint, non-touching intervals."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _spans(pairs: Sequence[tuple[int, int]]) -> tuple[IntArray, IntArray]:
    starts = np.fromiter((a for a, _ in pairs), dtype=np.int64, count=len(pairs))
    ends = np.fromiter((b for _, b in pairs), dtype=np.int64, count=len(pairs))
    return starts, ends


def _unit_spans(
    corpus: Corpus, file: str, unit: str, cuts: Sequence[int], scope: str
) -> tuple[IntArray, IntArray, int]:
    """Starts and ends of the units of *file* in *scope*, and how many units it left out."""
    transcript = corpus.get(file)
    if unit == "character":
        size = len(transcript.text)
        if scope == "all":
            bounds = np.unique(np.asarray([0, size, *cuts], dtype=np.int64))
            return bounds[:-1], bounds[1:], 0
        codable = respondent_spans(transcript, "paragraph")
        if not codable:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), size
        edges = [offset for span in codable for offset in span]
        bounds = np.unique(np.asarray([0, size, *cuts, *edges], dtype=np.int64))
        starts, ends = bounds[:-1], bounds[1:]
        # A run lies inside the codable span that starts last at or before it, or in none.
        first, last = _spans(codable)
        inside = np.searchsorted(first, starts, side="right") - 1
        keep = (inside >= 0) & (starts < last[np.maximum(inside, 0)])
        kept = int((ends[keep] - starts[keep]).sum())
        return starts[keep], ends[keep], size - kept
    unit = check_unit(unit)
    every = [(s.start, s.end) for s in transcript.segments(unit)]
    if scope == "all":
        return (*_spans(every), 0)
    codable = respondent_spans(transcript, unit)
    return (*_spans(codable), len(every) - len(codable))


def build_grid(
    checked: CheckedCodings,
    corpus: Corpus,
    *,
    unit: str,
    codes: Sequence[str],
    files: Sequence[str],
    scope: str = "codable",
) -> UnitGrid:
    """The :class:`UnitGrid` of *checked* codings with *codes*, over the transcripts *files*.

    Codings with other codes are left out; *files* are the transcripts whose
    units are compared (in the order given); *scope* is ``codable`` or ``all``
    (see the module's docstring).
    """
    code_index = {c: i for i, c in enumerate(codes)}
    coder_index = {c: i for i, c in enumerate(checked.coder_order)}
    spans: dict[str, dict[tuple[int, int], list[tuple[int, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for file, start, end, code, coder in zip(
        checked.files, checked.starts, checked.ends, checked.codes, checked.coders, strict=True
    ):
        if code in code_index:
            spans[file][(coder_index[coder], code_index[code])].append((start, end))
    shape = (len(checked.coder_order), len(codes))
    parts: list[tuple[int, IntArray, IntArray, IntArray]] = []
    left_out = 0
    for position, file in enumerate(files):
        merged = {key: _merge(found) for key, found in spans[file].items()}
        cuts = [offset for intervals in merged.values() for span in intervals for offset in span]
        starts, ends, dropped = _unit_spans(corpus, file, unit, cuts, scope)
        left_out += dropped
        overlap = np.zeros((len(starts), *shape), dtype=np.int64)
        keys = [key for key, intervals in merged.items() for _ in intervals]
        spans_of = [span for intervals in merged.values() for span in intervals]
        if keys:
            lo, hi = np.asarray(spans_of, dtype=np.int64).T
            coding, unit_ix, shared = overlaps(
                np.full(len(keys), file, dtype=object),
                lo,
                hi,
                np.full(len(starts), file, dtype=object),
                starts,
                ends,
            )
            coder_ix, code_ix = np.asarray(keys, dtype=np.int64).T
            np.add.at(overlap, (unit_ix, coder_ix[coding], code_ix[coding]), shared)
        parts.append((position, starts, ends, overlap))
    if parts:
        file_ix = np.concatenate([np.full(len(s), p, dtype=np.int64) for p, s, _, _ in parts])
        all_starts = np.concatenate([s for _, s, _, _ in parts])
        all_ends = np.concatenate([e for _, _, e, _ in parts])
        all_overlap = np.concatenate([o for _, _, _, o in parts])
    else:
        file_ix = all_starts = all_ends = np.zeros(0, dtype=np.int64)
        all_overlap = np.zeros((0, *shape), dtype=np.int64)
    weights = all_ends - all_starts if unit == "character" else np.ones_like(all_starts)
    return UnitGrid(
        unit,
        tuple(files),
        checked.coder_order,
        tuple(codes),
        file_ix,
        all_starts,
        all_ends,
        weights,
        all_overlap,
        scope,
        left_out,
    )
