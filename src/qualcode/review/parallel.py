"""The slow steps of a quote check side by side on the machine's cores.

Two steps take most of the time: reading a PDF (pypdf, pure Python) and
verifying each quote. Where processes can be forked (Linux, macOS), the PDF
is read in child processes (two for a long report, each taking every other
page) while the speech index is built, and the quotes are verified in chunks,
half of them here and half in a forked child that inherits the index
(nothing is copied to it). Elsewhere, or for a short report, both run here,
in order; the results are the same either way.

A child is a bare ``os.fork`` that sends its result back through a pipe
(:class:`Forked`): a process pool costs three times as long to start and stop,
which is a tenth of a whole check.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar

from qualcode.errors import QualcodeError, ReviewError
from qualcode.review.attribute import Attribution
from qualcode.review.extract import DraftQuote
from qualcode.review.index import SpeechIndex
from qualcode.review.model import QuoteResult
from qualcode.review.reading import pdf_text_of
from qualcode.review.verify import verify_quote

__all__ = ["Forked", "PdfText", "verify_all"]

T = TypeVar("T")

#: Fewest quotes worth verifying in worker processes.
MIN_PARALLEL = 64
_CHUNK = 25
#: What the verifying workers inherit from the parent when forked.
_SHARED: dict[str, Any] = {}


def _context() -> bool:
    """Whether work may go to forked children: a second core and ``os.fork``."""
    return (os.cpu_count() or 1) >= 2 and hasattr(os, "fork")


class Forked(Generic[T]):
    """``fn(*args)`` run in a forked child; :meth:`get` waits for its result.

    The child inherits everything the parent holds (nothing is copied to it)
    and sends back the pickled result, or the exception it raised (with the
    child's traceback as a note), which :meth:`get` raises. A child that dies
    without an answer, or whose answer cannot be read back, raises
    ``RuntimeError``. However :meth:`get` ends (also by Ctrl-C), the child is
    gone afterwards; :meth:`cancel` stops one whose result is not wanted.
    """

    def __init__(self, fn: Callable[..., T], *args: Any) -> None:
        with _FORKING:  # no other thread's fork inherits this pipe's write end
            read, write = os.pipe()
            try:
                pid = os.fork()
            except BaseException:
                os.close(read)
                os.close(write)
                raise
            if pid == 0:  # the child: compute, send, leave without running the parent's exit code
                os._exit(_child(fn, args, read, write))
            os.close(write)
        self._pid, self._read = pid, read
        self._taken = False  # get() was called
        self._reaped = False  # the child is waited for, the pipe closed

    def get(self) -> T:
        """The child's result (raises what the child raised)."""
        if self._taken:
            raise RuntimeError("the result of this forked worker was already asked for")
        self._taken = True
        pipe = os.fdopen(self._read, "rb")
        self._read = -1  # the file object owns (and closes) the descriptor now
        try:
            with pipe:
                data = pipe.read()
            with contextlib.suppress(ChildProcessError):  # SIGCHLD ignored: reaped already
                os.waitpid(self._pid, 0)
            self._reaped = True
        finally:
            self.cancel()  # interrupted while waiting: the child must not outlive this call
        if not data:
            raise RuntimeError("a forked worker ended without a result")
        try:
            ok, value = pickle.loads(data)
        except Exception as exc:  # e.g. an exception type that cannot be rebuilt from its args
            raise RuntimeError(f"a forked worker's answer could not be read: {exc}") from None
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]

    def cancel(self) -> None:
        """Stop and reap the child unless that is done (the caller gave up on its result)."""
        if self._reaped:
            return
        self._reaped = self._taken = True
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self._pid, 0)
        if self._read >= 0:
            os.close(self._read)
            self._read = -1


_FORKING = threading.Lock()


def _child(fn: Callable[..., Any], args: tuple[Any, ...], read: int, write: int) -> int:
    """The forked child's work: ``fn(*args)`` pickled into *write*; the exit status."""
    try:
        # the collector leaves the inherited objects alone: touching them would copy
        # the memory pages this process shares with the parent
        gc.freeze()
        os.close(read)
        try:
            answer: tuple[bool, Any] = (True, fn(*args))
        except BaseException as exc:  # noqa: BLE001  (sent to the parent, raised there)
            exc.add_note("in a forked worker:\n" + "".join(traceback.format_exc()))
            answer = (False, exc)
        try:
            data = pickle.dumps(answer, pickle.HIGHEST_PROTOCOL)
            if not answer[0]:
                pickle.loads(data)  # an error the parent could not rebuild is sent as text
        except Exception as exc:  # noqa: BLE001
            what = "result" if answer[0] else f"error {answer[1]!r}"
            data = pickle.dumps((False, RuntimeError(f"a forked worker's {what}: {exc}")))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)
        return 0
    except BaseException:  # noqa: BLE001  (the parent sees no result and says so)
        return 1


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
        self._children: list[Forked[tuple[str, list[str] | str]]] = []
        if _context():
            step = 2 if path.stat().st_size >= SPLIT_PDF_BYTES else 1
            if step > 1:
                import pypdf  # noqa: F401  (imported once here, not in each child: 0.1 s)
            try:
                for k in range(step):
                    self._children.append(Forked(_pdf_pages, str(path), k, step))
            except BaseException:
                self.cancel()  # a child started before the failure is not left behind
                raise

    def get(self) -> str:
        """The text (pages separated by form feeds); raises ``ReviewError`` as the reader does."""
        if self._children:
            try:
                parts = [child.get() for child in self._children]
            finally:
                self.cancel()
        else:
            parts = [_pdf_pages(str(self.path), 0, 1)]
        shares: list[list[str]] = []
        for kind, value in parts:
            if kind == "error" or isinstance(value, str):
                raise ReviewError(str(value))
            shares.append(value)
        pages = [p for k in range(len(shares[0])) for p in (s[k] for s in shares if k < len(s))]
        return pdf_text_of(self.path, pages)

    def cancel(self) -> None:
        """Stop the children still reading (the text is no longer wanted)."""
        for child in self._children:
            child.cancel()


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


def _verdicts(bounds: tuple[int, int]) -> list[tuple[Any, ...]]:
    """What a forked child sends back: each result without the quote and attribution the
    parent holds (a third less to pickle and unpickle)."""
    return [(r.status, r.matches, r.closest, r.source) for r in _verify_chunk(bounds)]


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
    chunks = [(k, min(k + _CHUNK, len(quotes))) for k in range(0, len(quotes), _CHUNK)]
    results: list[QuoteResult] = []
    if not _context() or len(quotes) < MIN_PARALLEL:

        def serial() -> Iterator[int]:
            for bounds in chunks:
                results.extend(_verify_chunk(bounds))
                yield from range(*bounds)

        runner: Callable[[], Iterator[int]] = serial
    else:

        def forked() -> Iterator[int]:
            # the second half in one forked child, the first half here meanwhile
            mine, theirs = chunks[: len(chunks) // 2], chunks[len(chunks) // 2 :]
            child = Forked(_verdicts, (theirs[0][0], theirs[-1][1]))
            try:
                for bounds in mine:
                    results.extend(_verify_chunk(bounds))
                    yield from range(*bounds)
                first = theirs[0][0]
                results.extend(
                    QuoteResult(
                        quotes[first + k],
                        attributions[first + k],
                        status=status,
                        matches=matches,
                        closest=closest,
                        source=source,
                    )
                    for k, (status, matches, closest, source) in enumerate(child.get())
                )
            finally:
                child.cancel()
            yield from range(theirs[0][0], theirs[-1][1])

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
