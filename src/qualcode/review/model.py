"""The records of a quote check: matches, one result per quote, and the check as a whole."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from qualcode.review.align import DiffOp, diff_text
from qualcode.review.attribute import Attribution
from qualcode.review.extract import DraftQuote, QuotedTerm

if TYPE_CHECKING:
    import pandas as pd

    from qualcode.corpus import Corpus

__all__ = ["PROBLEMS", "QUOTE_STATUSES", "Match", "QuoteCheck", "QuoteResult"]

#: Every status, in the order reports list them.
QUOTE_STATUSES = ("verified", "altered", "misattributed", "not_found", "unattributed")
#: The statuses that make a check fail (exit status 1).
PROBLEMS = ("altered", "misattributed", "not_found")


@dataclass(frozen=True)
class Match:
    """A passage of respondent speech that a quote was matched to.

    ``start``/``end`` are offsets into the transcript's normalised text, from
    the first to the last matched character (for a quote with ``[…]``, the
    whole stretch); ``pieces`` are the spans of each said piece.
    """

    file: str
    organisation: str
    start: int
    end: int
    similarity: float
    pieces: tuple[tuple[int, int], ...] = ()
    diff: tuple[DiffOp, ...] = ()

    @property
    def exact(self) -> bool:
        """Whether the quote's words are the passage's words."""
        return self.similarity >= 1.0


@dataclass(frozen=True)
class QuoteResult:
    """The verdict on one quote: its attribution, status and the passages it matched.

    ``matches`` are passages at or above the similarity threshold, the one
    the status is about first; ``closest`` is the most similar passage found
    at all (also below the threshold), or None. ``source`` says whose words
    the first match is: ``respondent`` (said), ``paraphrase`` (a prose
    record's own account of what the respondent said, outside its quotation
    marks) or ``interviewer`` (found only in the interviewer's turns); None
    without a match.
    """

    quote: DraftQuote
    attribution: Attribution
    status: str
    matches: tuple[Match, ...] = ()
    closest: Match | None = None
    source: str | None = None

    @property
    def text(self) -> str:
        """The quote as written in the report."""
        return self.quote.text

    @property
    def line(self) -> int:
        """The report line (``.docx``: paragraph) where the quote opens."""
        return self.quote.line

    @property
    def attributed_to(self) -> str | None:
        """The organisation the report attributes the quote to, or None."""
        return self.attribution.organisation if self.attribution.kind == "respondent" else None

    @property
    def diff(self) -> tuple[DiffOp, ...]:
        """Word diff against the first match (empty when it is exact or there is none)."""
        if self.matches and not self.matches[0].exact:
            return self.matches[0].diff
        return ()

    @property
    def diff_text(self) -> str | None:
        """The diff as one line, ``… de [-gemeenten-] {+gemeente+} …``, or None."""
        return diff_text(self.diff) or None

    @property
    def problem(self) -> bool:
        """Whether the quote fails the check."""
        return self.status in PROBLEMS


@dataclass(frozen=True)
class QuoteCheck:
    """The check of one draft report: a result per quote, in report order.

    ``terms`` are short quoted passages left unchecked; ``notes`` describe
    quotation marks that could not be paired and problems reading the corpus.
    """

    report: str
    results: tuple[QuoteResult, ...]
    terms: tuple[QuotedTerm, ...] = ()
    notes: tuple[str, ...] = ()
    threshold: float = 0.7
    corpus: Corpus | None = field(default=None, repr=False, compare=False)

    def __iter__(self) -> Iterator[QuoteResult]:
        return iter(self.results)

    def __repr__(self) -> str:
        counts = ", ".join(f"{s}={n}" for s, n in self.summary.items())
        return f"QuoteCheck(report={self.report!r}, quotes={len(self.results)}, {counts})"

    def __len__(self) -> int:
        return len(self.results)

    @property
    def summary(self) -> dict[str, int]:
        """Number of quotes per status (every status, zeros included)."""
        counts = dict.fromkeys(QUOTE_STATUSES, 0)
        for r in self.results:
            counts[r.status] += 1
        return counts

    @property
    def ok(self) -> bool:
        """True when every quote is verified or unattributed."""
        return not any(r.problem for r in self.results)

    @property
    def exit_code(self) -> int:
        """0 when :attr:`ok`, else 1 (for CI)."""
        return 0 if self.ok else 1

    def _repr_html_(self) -> str:
        from qualcode.review.render import to_html

        return to_html(self, page=False)

    def to_dict(self) -> dict[str, Any]:
        """The check as plain data: the ``--format json`` contract (see ``review.render``)."""
        return {
            "report": self.report,
            "threshold": self.threshold,
            "quotes": [
                {
                    "text": r.text,
                    "line": r.line,
                    "page": r.quote.page,
                    "line_in_page": r.quote.page_line,
                    "attributed_to": r.attributed_to,
                    "attribution": r.attribution.text,
                    "attribution_kind": r.attribution.kind,
                    "status": r.status,
                    "source": r.source,
                    "words": r.quote.words,
                    "matches": [self._match_dict(m) for m in r.matches],
                    "diff": r.diff_text,
                    "closest": self._match_dict(r.closest) if r.closest is not None else None,
                }
                for r in self.results
            ],
            "summary": self.summary,
            "terms": [{"text": t.text, "line": t.line} for t in self.terms],
            "notes": list(self.notes),
        }

    def _match_dict(self, m: Match) -> dict[str, Any]:
        passage = None if self.corpus is None else self.corpus.get(m.file).text[m.start : m.end]
        return {
            "file": m.file,
            "organisation": m.organisation,
            "start": m.start,
            "end": m.end,
            "similarity": m.similarity,
            "pieces": [list(p) for p in m.pieces],
            "passage": passage,
        }

    def problems_first(self) -> list[QuoteResult]:
        """Results with problems first (by status, then report order), then the rest."""
        order = {s: i for i, s in enumerate((*PROBLEMS, "unattributed", "verified"))}
        return sorted(self.results, key=lambda r: (order[r.status], r.quote.start))

    def to_frame(self, *, problems_first: bool = False) -> pd.DataFrame:
        """One row per quote: its status, attribution, text, best match and diff.

        Rows are in report order, or with *problems_first* as :meth:`problems_first`.
        """
        import pandas as pd

        rows = []
        for r in self.problems_first() if problems_first else self.results:
            best = r.matches[0] if r.matches else None
            rows.append(
                {
                    "line": r.line,
                    "status": r.status,
                    "attributed_to": r.attributed_to,
                    "attribution": r.attribution.text,
                    "text": r.text,
                    "file": best.file if best else None,
                    "organisation": best.organisation if best else None,
                    "start": best.start if best else None,
                    "end": best.end if best else None,
                    "similarity": best.similarity if best else None,
                    "diff": r.diff_text,
                }
            )
        columns = [
            "line",
            "status",
            "attributed_to",
            "attribution",
            "text",
            "file",
            "organisation",
            "start",
            "end",
            "similarity",
            "diff",
        ]
        return pd.DataFrame.from_records(rows, columns=columns)
