"""Tables of the project store as pandas DataFrames (codings, orphans, memos, the log)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

import pandas as pd

from qualcode.coding.csvio import codings_frame
from qualcode.coding.model import CODINGS_COLUMNS
from qualcode.corpus import Corpus
from qualcode.errors import StoreError
from qualcode.store.records import LogEntry, Memo, StoredCoding

__all__ = [
    "LOG_COLUMNS",
    "MEMO_COLUMNS",
    "ORPHAN_COLUMNS",
    "PROJECT_CODINGS_COLUMNS",
    "codings_table",
    "log_table",
    "memos_table",
    "orphans_table",
]

#: ``Project.codings()``: the codings CSV contract, then the store's own columns.
PROJECT_CODINGS_COLUMNS = (*CODINGS_COLUMNS, "id", "origin", "status", "memo", "created", "updated")
ORPHAN_COLUMNS = (
    "id",
    "file",
    "code",
    "coder",
    "status",
    "snippet",
    "old_start",
    "old_end",
    "memo",
    "updated",
)
MEMO_COLUMNS = ("kind", "target", "coder", "text", "created", "updated")
LOG_COLUMNS = ("id", "at", "coder", "action", "details")


def within_texts(codings: Iterable[StoredCoding], corpus: Corpus) -> list[StoredCoding]:
    """*codings*, after checking that each (but an orphan) lies inside its transcript's text.

    Raises ``StoreError`` naming the first coding that does not: it cannot be
    exported, since its quote would be cut short or empty.
    """
    records = list(codings)
    for c in records:
        size = len(corpus.get(c.file).text)
        if c.status != "orphaned" and not 0 <= c.start < c.end <= size:
            raise StoreError(
                f"stored coding {c.id} ({c.file} {c.start}-{c.end}, code {c.code}) lies outside "
                f"its transcript's text ({size} characters); the project file is damaged: "
                "restore it from a backup"
            )
    return records


def codings_table(
    codings: Iterable[StoredCoding], corpus: Corpus, variables: Mapping[str, str]
) -> pd.DataFrame:
    """Stored codings in the codings CSV contract plus ``id, origin, status, memo, created,
    updated``.

    *variables* maps code ids to their variable. ``text`` is the transcript's text
    at the offsets; for an orphaned coding, whose passage is gone, the stored snippet.
    """
    records = within_texts(codings, corpus)
    frame = codings_frame(
        (c.as_coding() for c in records), corpus, variable_of=lambda code: variables.get(code, "")
    )
    orphaned = [c.status == "orphaned" for c in records]
    if any(orphaned):
        frame.loc[orphaned, "text"] = [c.anchor.snippet for c in records if c.status == "orphaned"]
    for column in ("id", "origin", "status", "memo", "created", "updated"):
        frame[column] = [getattr(c, column) for c in records]
    return frame.astype({"start": "int64", "end": "int64", "id": "int64", "score": "float64"})


def orphans_table(codings: Iterable[StoredCoding]) -> pd.DataFrame:
    """Orphaned codings: what they were and where (in the old text) they used to be."""
    rows = [
        {
            "id": c.id,
            "file": c.file,
            "code": c.code,
            "coder": c.coder,
            "status": c.orphaned_from or "active",
            "snippet": c.anchor.snippet,
            "old_start": c.start,
            "old_end": c.end,
            "memo": c.memo,
            "updated": c.updated,
        }
        for c in codings
    ]
    return pd.DataFrame.from_records(rows, columns=list(ORPHAN_COLUMNS))


def memos_table(memos: Iterable[Memo], codings: Iterable[StoredCoding]) -> pd.DataFrame:
    """Memos on codes and transcripts, then the memos written on codings (kind ``coding``)."""
    rows = [
        {
            "kind": m.kind,
            "target": m.target,
            "coder": m.coder,
            "text": m.text,
            "created": m.created,
            "updated": m.updated,
        }
        for m in memos
    ]
    rows.extend(
        {
            "kind": "coding",
            "target": str(c.id),
            "coder": c.coder,
            "text": c.memo,
            "created": c.created,
            "updated": c.updated,
        }
        for c in codings
        if c.memo
    )
    return pd.DataFrame.from_records(rows, columns=list(MEMO_COLUMNS))


def log_table(entries: Iterable[LogEntry]) -> pd.DataFrame:
    """The change log, oldest first; ``details`` as JSON text."""
    rows = [
        {
            "id": e.id,
            "at": e.at,
            "coder": e.coder,
            "action": e.action,
            "details": json.dumps(dict(e.details), ensure_ascii=False, sort_keys=True),
        }
        for e in entries
    ]
    return pd.DataFrame.from_records(rows, columns=list(LOG_COLUMNS))
