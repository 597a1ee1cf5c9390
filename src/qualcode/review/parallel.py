"""The slow steps of a quote check side by side on the machine's cores.

Two steps take most of the time: reading a PDF (pypdf, pure Python) and
verifying each quote. With the ``fork`` start method (Linux, macOS), the PDF
is read in a child process while the speech index is built, and the quotes
are verified in chunks by forked workers that inherit the index (nothing is
copied to them). Elsewhere, or for a short report, both run here, in order;
the results are the same either way.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import Any

from qualcode.errors import QualcodeError, ReviewError
from qualcode.review.attribute import Attribution
from qualcode.review.extract import DraftQuote
from qualcode.review.index import SpeechIndex
from qualcode.review.model import QuoteResult
from qualcode.review.verify import verify_quote

__all__ = ["PdfText", "verify_all"]

#: Fewest quotes worth verifying in worker processes.
MIN_PARALLEL = 64
_CHUNK = 25
#: What the verifying workers inherit from the parent when forked.
_SHARED: dict[str, Any] = {}


def _context() -> Any:
    if (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context("fork")


def _pdf_text(path: str) -> tuple[str, str]:
    """``("ok", text)`` or ``("error", message)``: errors travel back as plain text."""
    from qualcode.review.reading import read_pdf_text

    try:
        return "ok", read_pdf_text(Path(path))
    except QualcodeError as exc:
        return "error", str(exc)


class PdfText:
    """The text of a PDF report, read in a child process while the caller goes on."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._pool: Pool | None = None
        self._result: AsyncResult[tuple[str, str]] | None = None
        ctx = _context()
        if ctx is not None:
            self._pool = ctx.Pool(1)
            self._result = self._pool.apply_async(_pdf_text, (str(path),))
            self._pool.close()

    def get(self) -> str:
        """The text (pages separated by form feeds); raises ``ReviewError`` as the reader does."""
        if self._pool is None or self._result is None:
            kind, value = _pdf_text(str(self.path))
        else:
            try:
                kind, value = self._result.get()
            finally:
                self._pool.join()
        if kind == "error":
            raise ReviewError(value)
        return value


def _verify_chunk(bounds: tuple[int, int]) -> list[QuoteResult]:
    s = _SHARED
    return [
        verify_quote(
            s["quotes"][i],
            s["attributions"][i],
            s["index"],
            threshold=s["threshold"],
            interviewer=s["interviewer"],
        )
        for i in range(*bounds)
    ]


def verify_all(
    quotes: Sequence[DraftQuote],
    attributions: Sequence[Attribution],
    index: SpeechIndex,
    *,
    threshold: float,
    interviewer: SpeechIndex | None,
    progress: Callable[[Iterable[int]], Iterable[int]] | None = None,
) -> list[QuoteResult]:
    """Verify every quote, as :func:`~qualcode.review.verify.verify_quotes` does.

    With 64 quotes or more and ``fork`` available, in two worker processes,
    chunk by chunk; *progress* wraps the quote numbers as chunks come back.
    """
    ctx = _context()
    chunks = [(k, min(k + _CHUNK, len(quotes))) for k in range(0, len(quotes), _CHUNK)]
    results: list[QuoteResult] = []
    if ctx is None or len(quotes) < MIN_PARALLEL:

        def serial() -> Iterator[int]:
            for bounds in chunks:
                results.extend(_verify_chunk(bounds))
                yield from range(*bounds)

        runner: Callable[[], Iterator[int]] = serial
    else:

        def forked() -> Iterator[int]:
            with ctx.Pool(2) as pool:
                for bounds, part in zip(chunks, pool.imap(_verify_chunk, chunks), strict=True):
                    results.extend(part)
                    yield from range(*bounds)

        runner = forked
    _SHARED.update(
        quotes=quotes,
        attributions=attributions,
        index=index,
        threshold=threshold,
        interviewer=interviewer,
    )
    try:
        steps: Iterable[int] = runner()
        for _ in progress(steps) if progress is not None else steps:
            pass
    finally:
        _SHARED.clear()
    return results
