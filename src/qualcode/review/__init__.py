"""Checking the quotes of a draft report: was each one said, and by the organisation named?

Start with :func:`check_quotes`::

    check = check_quotes("draft.md", "transcripts_sample")
    check.summary            # {"verified": 20, "altered": 1, ...}
    for r in check.problems_first(): print(r.line, r.status, r.diff_text)

The pieces: ``reading`` (report files, PDF page furniture), ``extract``
(quotes), ``attribute`` (who they are attributed to), ``index`` and ``align``
(finding them in respondent speech), ``verify`` (statuses), ``render``
(text, JSON and HTML).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from qualcode.corpus import Corpus, load_corpus
from qualcode.errors import ArgumentError, ReviewError
from qualcode.review.align import DiffOp, diff_text
from qualcode.review.attribute import Attribution, attribute_quotes
from qualcode.review.extract import DraftQuote, QuotedTerm, QuotePart, find_quotes
from qualcode.review.index import SpeechIndex
from qualcode.review.model import PROBLEMS, QUOTE_STATUSES, Match, QuoteCheck, QuoteResult
from qualcode.review.names import OrganisationNames
from qualcode.review.parallel import PdfText, verify_all
from qualcode.review.reading import read_report
from qualcode.review.tokens import norm_word
from qualcode.review.verify import DEFAULT_THRESHOLD

__all__ = [
    "DEFAULT_THRESHOLD",
    "PROBLEMS",
    "QUOTE_STATUSES",
    "Attribution",
    "DiffOp",
    "Match",
    "OrganisationNames",
    "DraftQuote",
    "QuoteCheck",
    "QuotePart",
    "QuoteResult",
    "SpeechIndex",
    "QuotedTerm",
    "check_quotes",
    "diff_text",
]


def check_quotes(
    report_path: str | Path,
    corpus: Corpus | str | Path,
    *,
    min_words: int = 6,
    threshold: float = DEFAULT_THRESHOLD,
    respondents: str | Path | None = None,
    index: SpeechIndex | None = None,
    progress: Callable[[Iterable[int]], Iterable[int]] | None = None,
) -> QuoteCheck:
    """Check every quote of the draft report at *report_path* against *corpus*.

    *corpus* is a loaded ``Corpus`` or a transcripts folder (read with
    *respondents*, default ``respondents.csv`` in it). Quoted passages of fewer
    than *min_words* words are terms, not checked. A passage is the altered
    source of a quote from *threshold* similarity (0-1, words) up. Pass an
    *index* built earlier to check several reports against one corpus.

    Raises ``ReviewError`` for a missing, empty or unreadable report, and when
    no organisation is known (no respondents table).
    """
    if min_words < 1:
        raise ArgumentError(f"min_words must be at least 1, got {min_words}")
    if not 0 < threshold <= 1:
        raise ArgumentError(f"threshold must be above 0 and at most 1, got {threshold}")
    if not isinstance(corpus, Corpus):
        corpus = load_corpus(corpus, respondents=respondents)
    names = OrganisationNames.from_corpus(corpus)
    if not names.organisations:
        raise ReviewError(
            f"{corpus.root}: no organisations known, so no quote can be attributed; "
            "give a respondents table (file, respondent, organisation, aliases)",
            option="respondents",
        )
    path = Path(report_path)
    pdf = None
    try:
        pdf_file = path.suffix.lower() == ".pdf" and path.is_file() and path.stat().st_size
        if index is None and pdf_file:
            pdf = PdfText(path)  # read in child processes while the index is built
        if index is None:
            index = SpeechIndex(corpus.transcripts)
        known_index = index
        report = read_report(
            path,
            known=lambda w: known_index.known(norm_word(w)),
            pdf_text=pdf.get if pdf is not None else None,
        )
    finally:
        if pdf is not None:
            pdf.cancel()
    scan = find_quotes(report, min_words=min_words)
    attributions = attribute_quotes(report.text, scan.quotes, names)
    results = verify_all(
        scan.quotes,
        attributions,
        index,
        threshold=threshold,
        progress=progress,
        interviewer=SpeechIndex(corpus.transcripts, interviewer=True),
    )
    notes = scan.notes + tuple(f"corpus: {e.error}" for e in corpus.errors)
    return QuoteCheck(str(report_path), tuple(results), scan.terms, notes, threshold, corpus)
