"""The project file's schema: ordered migrations, each taking the file one version up.

A project file records the versions applied in ``schema_version``. Opening a
file applies the migrations it lacks, in order, in one transaction; a file
whose version is above :data:`LATEST_VERSION` was written by a newer qualcode
and is refused unread.

Never edit a migration that has been released: add a new one at the end.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LATEST_VERSION", "MIGRATIONS", "Migration", "REQUIRED_TABLES", "VERSION_TABLE"]


@dataclass(frozen=True)
class Migration:
    """One step of the schema: ``version`` is reached by running ``statements`` in order."""

    version: int
    description: str
    statements: tuple[str, ...]


#: The table that records which migrations a file has had; made before the first one.
VERSION_TABLE = """CREATE TABLE IF NOT EXISTS schema_version (
    version     INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied     TEXT NOT NULL
)"""

_V1 = (
    """CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE transcripts (
        id           INTEGER PRIMARY KEY,
        file         TEXT NOT NULL UNIQUE,
        text         TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        format       TEXT NOT NULL,
        respondent   TEXT NOT NULL DEFAULT '',
        organisation TEXT NOT NULL DEFAULT '',
        attributes   TEXT NOT NULL DEFAULT '{}',
        structure    TEXT NOT NULL,
        added        TEXT NOT NULL,
        updated      TEXT NOT NULL
    )""",
    """CREATE TABLE codebook (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        source_text TEXT NOT NULL,
        source_path TEXT NOT NULL DEFAULT '',
        language    TEXT NOT NULL DEFAULT '',
        updated     TEXT NOT NULL
    )""",
    """CREATE TABLE codes (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        parent      TEXT,
        variable    TEXT NOT NULL,
        color       TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        position    INTEGER NOT NULL
    )""",
    """CREATE TABLE coders (
        id      INTEGER PRIMARY KEY,
        name    TEXT NOT NULL UNIQUE,
        created TEXT NOT NULL
    )""",
    """CREATE TABLE codings (
        id             INTEGER PRIMARY KEY,
        transcript_id  INTEGER NOT NULL REFERENCES transcripts(id),
        start          INTEGER NOT NULL,
        "end"          INTEGER NOT NULL,
        code           TEXT NOT NULL REFERENCES codes(id),
        coder_id       INTEGER NOT NULL REFERENCES coders(id),
        origin         TEXT NOT NULL CHECK (origin IN ('manual', 'auto')),
        status         TEXT NOT NULL CHECK (status IN
                           ('active', 'suggested', 'accepted', 'rejected', 'orphaned')),
        orphaned_from  TEXT NOT NULL DEFAULT '',
        score          REAL NOT NULL DEFAULT 1.0,
        evidence       TEXT NOT NULL DEFAULT '',
        memo           TEXT NOT NULL DEFAULT '',
        source_id      INTEGER REFERENCES codings(id) ON DELETE SET NULL,
        decided_by     INTEGER REFERENCES coders(id),
        anchor_snippet TEXT NOT NULL,
        anchor_before  TEXT NOT NULL DEFAULT '',
        anchor_after   TEXT NOT NULL DEFAULT '',
        created        TEXT NOT NULL,
        updated        TEXT NOT NULL,
        CHECK (start >= 0 AND "end" > start)
    )""",
    "CREATE INDEX codings_by_transcript ON codings(transcript_id, start)",
    "CREATE INDEX codings_by_coder ON codings(coder_id, status)",
    """CREATE TABLE memos (
        id        INTEGER PRIMARY KEY,
        kind      TEXT NOT NULL CHECK (kind IN ('code', 'transcript')),
        target    TEXT NOT NULL,
        coder_id  INTEGER NOT NULL REFERENCES coders(id),
        text      TEXT NOT NULL,
        created   TEXT NOT NULL,
        updated   TEXT NOT NULL,
        UNIQUE (kind, target, coder_id)
    )""",
    """CREATE TABLE log (
        id      INTEGER PRIMARY KEY,
        at      TEXT NOT NULL,
        coder   TEXT NOT NULL,
        action  TEXT NOT NULL,
        details TEXT NOT NULL DEFAULT '{}'
    )""",
    """CREATE TRIGGER log_no_update BEFORE UPDATE ON log
       BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END""",
    """CREATE TRIGGER log_no_delete BEFORE DELETE ON log
       BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END""",
)

#: Every migration, in the order they are applied.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "transcripts, codebook, coders, codings, memos, change log", _V1),
)

LATEST_VERSION = MIGRATIONS[-1].version

#: Tables a project file must have; a file lacking one is damaged.
REQUIRED_TABLES = (
    "schema_version",
    "meta",
    "transcripts",
    "codebook",
    "codes",
    "coders",
    "codings",
    "memos",
    "log",
)
