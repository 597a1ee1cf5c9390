"""The array matcher against a plain reference: the documented semantics, segment by segment.

The reference below evaluates every pattern of a codebook the slow, obvious way
(one segment, one rule, one position at a time) and builds scores and evidence
as the matcher's docstring describes them. The auto-coder, with its batching,
worker processes and array operations, must give exactly the same codings on the
sample corpus, whatever the sample corpus and the codebook hold at the time.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

import qualcode
from qualcode.codebook.model import Codebook, Pattern
from qualcode.coding.autocoder import CodeGroups, Selection, autocode, iter_autocode_texts
from qualcode.coding.lexicon import Lexicon
from qualcode.nlp import tokenizer_only

ROOT = Path(__file__).resolve().parents[1]
MSM = ROOT / "codebook" / "msm.yaml"

Coded = tuple[str, int, int, str, float, str]


class Reference:
    """A slow, direct reading of the pattern semantics, for comparison."""

    def __init__(self, book: Codebook) -> None:
        self.book = book
        self.lexicon = Lexicon(book.language)
        self.rules: list[tuple[int, Pattern]] = [
            (c, p) for c, code in enumerate(book.codes) for p in code.patterns
        ]
        for _, p in self.rules:  # every atom before any word is resolved
            for item in p.items:
                for term in item:
                    self.lexicon.atom(term)
            if p.unless is not None:
                self.lexicon.atom(p.unless)
        self.tokenizer = tokenizer_only(book.language).tokenizer

    def starts(self, item: tuple[int, ...], words: list[frozenset[int]]) -> list[int]:
        """Positions where the slots of *item* match one after the other."""
        return [
            p
            for p in self.where[item[0]]
            if p + len(item) <= len(words)
            and all(atom in words[p + j] for j, atom in enumerate(item))
        ]

    def negated(self, p: Pattern, words: list[frozenset[int]], first: int, last: int) -> bool:
        if p.unless is None:
            return False
        atom, w = self.lexicon.atom(p.unless), p.unless_within
        around = [*range(max(0, first - w), first), *range(last + 1, min(len(words), last + 1 + w))]
        return any(atom in words[i] for i in around)

    def matches(self, p: Pattern, lowers: list[str], words: list[frozenset[int]]) -> list[str]:
        """The words shown for each match of *p*, in the order of the matches."""
        items = [tuple(self.lexicon.atom(t) for t in item) for item in p.items]
        found: list[str] = []
        if p.kind == "phrase":
            width = len(items[0])
            for s in self.starts(items[0], words):
                if not self.negated(p, words, s, s + width - 1):
                    found.append(" ".join(lowers[s : s + width]))
            return found
        others = [self.starts(item, words) for item in items[1:]]
        for anchor in self.starts(items[0], words):
            span = [anchor]
            for starts in others:
                near = [s for s in starts if s != anchor and abs(s - anchor) <= p.within]
                if not near:
                    break
                span.append(min(near, key=lambda s: (abs(s - anchor), s)))  # ties: earlier
            else:
                if not self.negated(p, words, min(span), max(span)):
                    found.append("…".join(lowers[i] for i in sorted(span)))
        return found

    def segment(self, lowers: list[str]) -> tuple[list[float], list[str]]:
        """Score and evidence of every code in one segment (its lower-case tokens)."""
        words = [frozenset(self.lexicon.atoms_of(w)) for w in lowers]
        self.where: dict[int, list[int]] = defaultdict(list)  # atom -> positions
        for i, atoms in enumerate(words):
            for atom in atoms:
                self.where[atom].append(i)
        parts: dict[int, list[tuple[float, int, str]]] = defaultdict(list)
        for r, (c, p) in enumerate(self.rules):
            shown = self.matches(p, lowers, words)
            if not shown:
                continue
            n = len(shown)
            score = p.weight * (2.0 - 0.5 ** (n - 1))
            forms = list(dict.fromkeys(shown))
            text = "/".join(forms[:3]) + ("/…" if len(forms) > 3 else "")
            text += f'~"{p.source}"' + (f" ({n}x)" if n > 1 else "")
            parts[c].append((score, r, text))
        scores = [0.0] * len(self.book.codes)
        evidence = [""] * len(self.book.codes)
        for c, found in parts.items():
            scores[c] = sum(score for score, _, _ in found)
            evidence[c] = "; ".join(
                text for _, _, text in sorted(found, key=lambda f: (-f[0], f[1]))
            )
        return scores, evidence

    def evidence(
        self, text: str, spans: list[tuple[int, int]]
    ) -> list[tuple[list[float], list[str]]]:
        """Scores and evidence of the codes in each of *spans* of *text*."""
        doc = self.tokenizer(text)
        return [self.segment([t.lower_ for t in doc if a <= t.idx < b]) for a, b in spans]

    def code(
        self,
        file: str,
        spans: list[tuple[int, int]],
        rows: list[tuple[list[float], list[str]]],
        sel: Selection,
    ) -> list[Coded]:
        """The codings *sel* keeps, from the :meth:`evidence` *rows* of *spans*."""
        if not rows:
            return []
        scores = np.round(np.array([s for s, _ in rows], dtype=np.float64), 4)
        keep = sel.keep(scores, CodeGroups.of(self.book))
        codes = [c.id for c in self.book.codes]
        return [
            (file, spans[k][0], spans[k][1], codes[c], float(scores[k, c]), rows[k][1][c])
            for k, c in zip(*np.nonzero(keep), strict=True)
        ]


def as_rows(codings: list[qualcode.Coding]) -> list[Coded]:
    return [(c.file, c.start, c.end, c.code, c.score, c.evidence) for c in codings]


@pytest.fixture(scope="module")
def msm() -> Codebook:
    return qualcode.load_codebook(MSM)


Expected = list[tuple[str, list[tuple[int, int]], list[tuple[list[float], list[str]]]]]


@pytest.fixture(scope="module")
def reference(sample_corpus, msm) -> dict[str, Expected]:
    """Per unit: each sample transcript's respondent spans with the reference's evidence."""
    ref = Reference(msm)
    out: dict[str, Expected] = {}
    for unit in ("paragraph", "turn"):
        out[unit] = []
        for t in sample_corpus.transcripts:
            spans = [(s.start, s.end) for s in t.segments(unit) if s.is_respondent]
            out[unit].append((t.file, spans, ref.evidence(t.text, spans)))
    return out


@pytest.mark.parametrize(
    ("unit", "selection"),
    [("paragraph", Selection()), ("paragraph", Selection(0.0, 0.0, 0.0)), ("turn", Selection())],
)
def test_sample_codings_equal_the_reference(sample_corpus, msm, reference, unit, selection) -> None:
    ref = Reference(msm)
    expected = [
        c for f, spans, rows in reference[unit] for c in ref.code(f, spans, rows, selection)
    ]
    assert len(expected) > 500
    for workers in (1, 2):
        got = autocode(
            sample_corpus, msm, unit=unit, selection=selection, workers=workers, model=False
        )
        assert as_rows(got) == expected


def test_streamed_texts_equal_the_reference(sample_corpus, msm, reference) -> None:
    ref = Reference(msm)
    expected = [ref.code(f, spans, rows, Selection()) for f, spans, rows in reference["paragraph"]]
    texts = [(t.file, t.text) for t in sample_corpus.transcripts]
    got = [as_rows(c) for _, c in iter_autocode_texts(iter(texts), msm, workers=2, model=False)]
    assert got == expected
