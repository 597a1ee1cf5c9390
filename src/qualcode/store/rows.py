"""Rows of the store read by column name: the codings query and the codes table."""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

from qualcode.coding.reanchor import Anchor
from qualcode.store.records import StoredCoding

__all__ = ["CODING_SELECT", "CodeRow", "by_name", "coding_of"]

CODING_SELECT = """
    SELECT c.id, t.file, c.start, c."end", c.code, k.name AS coder, c.origin, c.status, c.score,
           c.evidence, c.memo, c.anchor_snippet, c.anchor_before, c.anchor_after, c.created,
           c.updated, c.source_id, COALESCE(d.name, '') AS decided_by, c.orphaned_from
    FROM codings c
    JOIN transcripts t ON t.id = c.transcript_id
    JOIN coders k ON k.id = c.coder_id
    LEFT JOIN coders d ON d.id = c.decided_by
"""


class CodeRow(NamedTuple):
    """A row of the codes table, read by column name."""

    id: str
    name: str
    parent: str | None
    variable: str
    color: str
    description: str
    position: int


def coding_of(row: sqlite3.Row) -> StoredCoding:
    """A stored coding from a row of ``CODING_SELECT``, read by column name."""
    return StoredCoding(
        id=row["id"],
        file=row["file"],
        start=row["start"],
        end=row["end"],
        code=row["code"],
        coder=row["coder"],
        origin=row["origin"],
        status=row["status"],
        score=row["score"],
        evidence=row["evidence"],
        memo=row["memo"],
        anchor=Anchor(row["anchor_snippet"], row["anchor_before"], row["anchor_after"]),
        created=row["created"],
        updated=row["updated"],
        source_id=row["source_id"],
        decided_by=row["decided_by"],
        orphaned_from=row["orphaned_from"],
    )


def by_name(cursor: sqlite3.Cursor) -> sqlite3.Cursor:
    """*cursor*, giving rows that are read by column name."""
    cursor.row_factory = sqlite3.Row
    return cursor
