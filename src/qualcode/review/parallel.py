"""The slow steps of a quote check side by side on the machine's cores.

Two steps take most of the time: reading a PDF (pypdf, pure Python) and
verifying each quote. With the ``fork`` start method (Linux, macOS), the PDF
is read in child processes (two for a long report, each taking every other
page) while the speech index is built, and the quotes are verified in chunks,
half of them here and half in a forked worker that inherits the index
(nothing is copied to it). Elsewhere, or for a short report, both run here,
in order; the results are the same either way.
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
from qualcode.review.reading import pdf_text_of
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


#: Size from which a PDF is read by two child processes, each taking every other page.
SPLIT_PDF_BYTES = 200_000


def _pdf_pages(path: str, first: int, step: int) -> tuple[str, list[str] | str]:
    """``("ok", pages)`` or ``("error", message)``: errors travel back as plain text."""
    from qualcode.review.reading import read_pdf_pages

    try:
        return "ok", read_pdf_pages(Path(path), first, step)
    except QualcodeError as exc:
        return "error", str(exc)


class PdfText:
    """The text of a PDF report, read in child processes while the caller goes on.

    A long report (from :data:`SPLIT_PDF_BYTES`) is read by two children,
    each taking every other page; the text is the same as read in one go.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._pool: Pool | None = None
        self._results: list[AsyncResult[tuple[str, list[str] | str]]] = []
        ctx = _context()
        if ctx is not None:
            step = 2 if path.stat().st_size >= SPLIT_PDF_BYTES else 1
            if step > 1:
                import pypdf  # noqa: F401  (imported once here, not in each child: 0.1 s)
            self._pool = ctx.Pool(step)
            self._results = [
                self._pool.apply_async(_pdf_pages, (str(path), k, step)) for k in range(step)
            ]
            self._pool.close()

    def get(self) -> str:
        """The text (pages separated by form feeds); raises ``ReviewError`` as the reader does."""
        if self._pool is None:
            parts = [_pdf_pages(str(self.path), 0, 1)]
        else:
            try:
                parts = [r.get() for r in self._results]
            finally:
                self._pool.join()
        shares: list[list[str]] = []
        for kind, value in parts:
            if kind == "error" or isinstance(value, str):
                raise ReviewError(str(value))
            shares.append(value)
        pages = [p for k in range(len(shares[0])) for p in (s[k] for s in shares if k < len(s))]
        return pdf_text_of(self.path, pages)


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

    With 64 quotes or more and ``fork`` available, the first half here and the
    second in a forked worker, chunk by chunk; *progress* wraps the quote
    numbers as chunks are done.
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
            # the second half in one forked worker, the first half here meanwhile
            mine, theirs = chunks[: len(chunks) // 2], chunks[len(chunks) // 2 :]
            with ctx.Pool(1) as pool:
                pending = pool.map_async(_verify_chunk, theirs)
                for bounds in mine:
                    results.extend(_verify_chunk(bounds))
                    yield from range(*bounds)
                for bounds, part in zip(theirs, pending.get(), strict=True):
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
