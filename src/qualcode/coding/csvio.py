"""Writing the codings CSV (see ``CODINGS_COLUMNS`` for the contract); reading is in ``codings``."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from qualcode.coding.codings import read_codings_csv
from qualcode.coding.model import BEST_GUESS, CODED, CODINGS_COLUMNS, Coding
from qualcode.corpus import Corpus
from qualcode.files.output import open_output, write_failure

__all__ = [
    "codings_frame",
    "frame_to_codings",
    "read_codings_csv",
    "write_codings_csv",
    "write_codings_parts",
]


def codings_frame(
    codings: Iterable[Coding],
    corpus: Corpus,
    *,
    variable_of: Callable[[str], str],
) -> pd.DataFrame:
    """A DataFrame in the codings CSV contract, with text and metadata taken from *corpus*.

    *variable_of* maps a code id to its variable (the top-level code of its tree).
    """
    rows = []
    for c in codings:
        t = corpus.get(c.file)
        rows.append(
            {
                "file": c.file,
                "respondent": t.respondent,
                "organisation": t.organisation,
                "start": c.start,
                "end": c.end,
                "code": c.code,
                "variable": variable_of(c.code),
                "coder": c.coder,
                "score": round(float(c.score), 4),
                "text": t.text[c.start : c.end],
                "evidence": c.evidence,
                "confidence": "" if c.confidence is None else round(float(c.confidence), 4),
                "rank": c.rank if c.rank else "",
                "suggestion": BEST_GUESS if c.best_guess else CODED,
            }
        )
    return pd.DataFrame.from_records(rows, columns=list(CODINGS_COLUMNS))


def write_codings_csv(
    frame: pd.DataFrame, path: str | Path, *, inputs: Iterable[str | Path] = ()
) -> None:
    """Write *frame* as a UTF-8 codings CSV; the file appears whole or not at all.

    A missing folder is made. Raises ``OutputError`` when *path* is one of *inputs*
    (the files the codings were made from) or cannot be written
    (see :mod:`qualcode.files.output`).
    """
    write_codings_parts([frame], path, inputs=inputs)


def write_codings_parts(
    frames: Iterable[pd.DataFrame], path: str | Path, *, inputs: Iterable[str | Path] = ()
) -> None:
    """Write the *frames* one after the other as one codings CSV, whole or not at all.

    For codings made in parts (the Dask engine's partitions): each part is
    written as it comes, so the whole table is never held; the header is that
    of the first part. The bytes are those of one ``write_codings_csv`` of the
    parts put together; *inputs* as there.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_failure(path, exc) from None
    with open_output(path, inputs=inputs, text=True) as fh:
        for i, frame in enumerate(frames):
            frame.to_csv(
                fh, index=False, header=i == 0, quoting=csv.QUOTE_MINIMAL, lineterminator="\n"
            )


def _number(value: object) -> float | None:
    """A float from a CSV cell, None when it is empty or missing."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return None
    return float(value)  # type: ignore[arg-type]


def frame_to_codings(frame: pd.DataFrame) -> list[Coding]:
    """Codings from a codings DataFrame (as read by :func:`read_codings_csv`)."""
    has = set(frame.columns)
    return [
        Coding(
            file=str(r["file"]),
            start=int(r["start"]),
            end=int(r["end"]),
            code=str(r["code"]),
            coder=str(r["coder"]) if "coder" in has else "auto",
            score=float(r["score"]) if "score" in has else 1.0,
            evidence=str(r["evidence"]) if "evidence" in has else "",
            confidence=_number(r.get("confidence")),
            rank=int(_number(r.get("rank")) or 0),
            best_guess=str(r.get("suggestion", "")).strip().lower() == BEST_GUESS,
        )
        for r in frame.to_dict(orient="records")
    ]
