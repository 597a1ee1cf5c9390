"""The SQLite layer of the project store: the one module that speaks SQL.

A :class:`Database` wraps one connection to one project file (WAL journal,
foreign keys on, a busy timeout so that two notebooks can write to the same
project). Every change runs inside :meth:`Database.transaction`, which takes the
write lock at once (``BEGIN IMMEDIATE``) and commits all or nothing. Methods
that write refuse to run outside a transaction.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qualcode.errors import StoreError
from qualcode.store.records import (
    Anchor,
    LogEntry,
    Memo,
    NewCoding,
    StoredCoding,
    StoredTranscript,
)
from qualcode.store.rows import CODING_SELECT, CodeRow, by_name, coding_of
from qualcode.store.schema import LATEST_VERSION, MIGRATIONS, REQUIRED_TABLES, VERSION_TABLE

__all__ = ["BUSY_TIMEOUT_S", "MEMORY", "CodeRow", "Database", "now"]

#: How long a writer waits for another process's write to finish, in seconds.
BUSY_TIMEOUT_S = 30.0

#: The path that makes an in-memory project (nothing written to disk).
MEMORY = ":memory:"


def now() -> str:
    """The current time, UTC, ISO 8601 with milliseconds (how every timestamp is stored)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _attributes(file: str, stored: object) -> dict[str, str]:
    """The stored attributes of transcript *file*; ``StoreError`` unless a JSON object."""
    try:
        value = json.loads(str(stored))
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise StoreError(
            f"the stored attributes of transcript {file} are damaged (not a JSON object); "
            "restore the project file from a backup"
        )
    return {str(k): str(v) for k, v in value.items()}


def _writable(path: Path) -> bool:
    """Whether *path* and its folder (where SQLite keeps its lock files) may be written."""
    return os.access(path, os.W_OK) and os.access(path.resolve().parent, os.W_OK)


def _sqlite_problem(path: Path | str, exc: sqlite3.Error) -> str:
    """What an SQLite error opening or changing *path* means, in words, with the fix."""
    text = str(exc)
    if "full" in text:
        return f"{path}: the disk is full ({text}); free some space and try again"
    if "readonly" in text or "read-only" in text:
        return (
            f"{path}: the project is read-only ({text}); reading commands (info, exports) "
            "work, changes need a writable file and folder"
        )
    if "unable to open" in text:
        return (
            f"{path}: cannot be opened ({text}); check that the file and its folder may be "
            "read (and written, for changes)"
        )
    return ""


def _connect(target: str, *, uri: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(
        target, uri=uri, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _inspect(path: Path) -> None:
    """Check, read-only, that *path* is a project file this qualcode can open."""
    try:
        conn = sqlite3.connect(
            path.resolve().as_uri() + "?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S
        )
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open the project file ({exc})") from None
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "schema_version" not in tables:
            raise StoreError(
                f"{path}: not a qualcode project (no schema_version table); "
                "create a project with 'qualcode project init'"
            )
        version = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0
        if version > LATEST_VERSION:
            raise StoreError(
                f"{path}: made by a newer qualcode (schema version {version}; this qualcode reads "
                f"up to {LATEST_VERSION}); upgrade qualcode to open it"
            )
        problem = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
        if problem != "ok":
            detail = " ".join(str(problem).replace("*** in database main ***", "").split())
            raise StoreError(f"{path}: damaged project file ({detail}); restore it from a backup")
        if version == LATEST_VERSION:
            missing = [t for t in REQUIRED_TABLES if t not in tables]
            if missing:
                raise StoreError(
                    f"{path}: damaged project file: missing table{'s' if len(missing) > 1 else ''} "
                    f"{', '.join(missing)}; restore it from a backup"
                )
    except sqlite3.OperationalError as exc:
        raise StoreError(
            _sqlite_problem(path, exc)
            or f"{path}: not a qualcode project or a damaged one ({exc}); "
            "pass the .db file made by 'qualcode project init'"
        ) from None
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"{path}: not a qualcode project or a damaged one ({exc}); "
            "pass the .db file made by 'qualcode project init'"
        ) from None
    finally:
        conn.close()


class Database:
    """One open project file."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self._conn = conn
        self.path = path
        self._depth = 0

    # -- opening --------------------------------------------------------------------------

    @classmethod
    def create(cls, path: str | Path) -> Database:
        """A new, empty project database at *path* (which must not exist) or in memory."""
        target = str(path)
        if target != MEMORY and Path(target).exists():
            raise StoreError(f"{target}: already exists; choose a new file name or delete it first")
        db = cls(_connect(target), target)
        with db.transaction():
            db._migrate(0)
        return db

    @classmethod
    def open(cls, path: str | Path) -> Database:
        """Open the project file at *path*, upgrading an older schema in one transaction.

        A file that may not be written (or whose folder may not be) is opened
        read-only: everything can be read, and a change raises ``StoreError``.
        """
        p = Path(path)
        if not p.is_file():
            raise StoreError(f"{p}: no such project file; create one with 'qualcode project init'")
        if not _writable(p):
            return cls._open_read_only(p)
        _inspect(p)
        conn = _connect(str(p))
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.OperationalError as exc:
            conn.close()
            raise StoreError(f"{p}: cannot open the project file for writing ({exc})") from None
        if mode.lower() != "wal":
            conn.close()
            raise StoreError(
                f"{p}: the file system does not support SQLite's WAL journal; "
                "copy the project to a local disk"
            )
        conn.execute("PRAGMA synchronous = NORMAL")
        db = cls(conn, str(p))
        version = db.schema_version()
        if version < LATEST_VERSION:
            with db.transaction():
                db._migrate(version)
        return db

    @classmethod
    def _open_read_only(cls, p: Path) -> Database:
        uri = p.resolve().as_uri()
        wal = p.with_name(p.name + "-wal")
        conn = None
        if wal.exists() and wal.stat().st_size:  # changes not yet in the file: read through them
            try:
                _inspect(p)
                conn = _connect(uri + "?mode=ro", uri=True)
                conn.execute("SELECT 1 FROM schema_version").fetchone()
            except sqlite3.OperationalError:
                conn = None
        if conn is None:  # the file as it stands, touching no lock file
            conn = _connect(uri + "?immutable=1", uri=True)
            try:
                conn.execute("SELECT 1 FROM schema_version").fetchone()
            except sqlite3.DatabaseError as exc:
                conn.close()
                raise StoreError(
                    f"{p}: not a qualcode project or a damaged one ({exc}); "
                    "pass the .db file made by 'qualcode project init'"
                ) from None
        db = cls(conn, str(p))
        if db.schema_version() < LATEST_VERSION:
            conn.close()
            raise StoreError(
                f"{p}: read-only, and made by an older qualcode; make it writable once so "
                "that it can be upgraded"
            )
        return db

    def _migrate(self, current: int) -> None:
        self._writing()
        self._conn.execute(VERSION_TABLE)
        for migration in MIGRATIONS:
            if migration.version <= current:
                continue
            for statement in migration.statements:
                self._conn.execute(statement)
            self._conn.execute(
                "INSERT INTO schema_version (version, description, applied) VALUES (?, ?, ?)",
                (migration.version, migration.description, now()),
            )

    def close(self) -> None:
        """Close the connection (idempotent)."""
        self._conn.close()

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the main file (for copying the file elsewhere)."""
        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # -- transactions ---------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All changes inside the block are committed together, or none of them.

        Nested blocks join the outer transaction. The write lock is taken at the
        start (``BEGIN IMMEDIATE``), waiting up to ``BUSY_TIMEOUT_S`` for another writer.
        """
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(
                _sqlite_problem(self.path, exc)
                or f"{self.path}: cannot start a change ({exc}); another process may "
                "hold the project for writing, try again"
            ) from None
        self._depth = 1
        try:
            yield
            self._conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            self._rollback()
            problem = _sqlite_problem(self.path, exc) or f"{self.path}: the change failed ({exc})"
            raise StoreError(f"{problem}; nothing was changed") from None
        except BaseException:
            self._rollback()
            raise
        finally:
            self._depth = 0

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    def _writing(self) -> None:
        if not self._depth:
            raise RuntimeError("a write outside Database.transaction()")

    # -- meta and schema ------------------------------------------------------------------

    def schema_version(self) -> int:
        """The highest migration applied to this file."""
        return int(self._conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0)

    def get_meta(self, key: str, default: str = "") -> str:
        """The project setting *key* (``default`` when unset)."""
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return default if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Set the project setting *key*."""
        self._writing()
        self._conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # -- transcripts ----------------------------------------------------------------------

    def put_transcript(self, t: StoredTranscript) -> None:
        """Store transcript *t*, new, or replacing the text, hash, structure and metadata."""
        self._writing()
        stamp = now()
        self._conn.execute(
            "INSERT INTO transcripts (file, text, content_hash, format, respondent, organisation, "
            "attributes, structure, added, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(file) DO UPDATE SET text = excluded.text, "
            "content_hash = excluded.content_hash, format = excluded.format, "
            "respondent = excluded.respondent, organisation = excluded.organisation, "
            "attributes = excluded.attributes, structure = excluded.structure, "
            "updated = excluded.updated",
            (
                t.file,
                t.text,
                t.content_hash,
                t.format,
                t.respondent,
                t.organisation,
                json.dumps(dict(t.attributes), ensure_ascii=False),
                t.structure,
                stamp,
                stamp,
            ),
        )

    def transcripts(self) -> list[StoredTranscript]:
        """Every stored transcript, in file-name order."""
        rows = self._conn.execute(
            "SELECT file, text, content_hash, format, respondent, organisation, attributes, "
            "structure FROM transcripts ORDER BY file"
        ).fetchall()
        return [
            StoredTranscript(r[0], r[1], r[2], r[3], r[4], r[5], _attributes(r[0], r[6]), r[7])
            for r in rows
        ]

    # -- codebook -------------------------------------------------------------------------

    def set_codebook(
        self, source_text: str, source_path: str, language: str, codes: Iterable[CodeRow]
    ) -> None:
        """Store the codebook's YAML text and its codes (replacing the codes table)."""
        self._writing()
        self._conn.execute(
            "INSERT INTO codebook (id, source_text, source_path, language, updated) "
            "VALUES (1, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
            "source_text = excluded.source_text, "
            "source_path = excluded.source_path, language = excluded.language, "
            "updated = excluded.updated",
            (source_text, source_path, language, now()),
        )
        rows = list(codes)
        keep = [r[0] for r in rows]
        self._conn.execute(f"DELETE FROM codes WHERE id NOT IN ({','.join('?' * len(keep))})", keep)
        self._conn.executemany(
            "INSERT INTO codes (id, name, parent, variable, color, description, position) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, "
            "parent = excluded.parent, variable = excluded.variable, color = excluded.color, "
            "description = excluded.description, position = excluded.position",
            rows,
        )

    def codebook_source(self) -> tuple[str, str]:
        """The stored codebook: its YAML text and the path it was read from."""
        row = self._conn.execute("SELECT source_text, source_path FROM codebook").fetchone()
        if row is None:
            raise StoreError(
                f"{self.path}: damaged project file: no codebook stored; restore it from a backup"
            )
        return str(row[0]), str(row[1])

    def codes(self) -> list[CodeRow]:
        """The stored codes, in codebook order."""
        return [
            CodeRow(*r)
            for r in self._conn.execute(
                "SELECT id, name, parent, variable, color, description, position FROM codes "
                "ORDER BY position"
            )
        ]

    def codes_in_use(self) -> dict[str, int]:
        """Number of codings (any status) per code."""
        rows = self._conn.execute("SELECT code, COUNT(*) FROM codings GROUP BY code")
        return {r[0]: int(r[1]) for r in rows}

    # -- coders ---------------------------------------------------------------------------

    def coder_id(self, name: str) -> int:
        """The id of coder *name*, registering the coder when new."""
        self._writing()
        row = self._conn.execute("SELECT id FROM coders WHERE name = ?", (name,)).fetchone()
        if row is not None:
            return int(row[0])
        cur = self._conn.execute("INSERT INTO coders (name, created) VALUES (?, ?)", (name, now()))
        return int(cur.lastrowid or 0)

    def coders(self) -> list[str]:
        """Every coder's name, in the order they joined."""
        return [r[0] for r in self._conn.execute("SELECT name FROM coders ORDER BY id")]

    # -- codings --------------------------------------------------------------------------

    def add_codings(self, codings: Iterable[NewCoding]) -> list[int]:
        """Store *codings*; their ids, in order."""
        self._writing()
        files = dict(self._conn.execute("SELECT file, id FROM transcripts").fetchall())
        coder_ids: dict[str, int] = {}
        stamp = now()
        ids = []
        for c in codings:
            if c.coder not in coder_ids:
                coder_ids[c.coder] = self.coder_id(c.coder)
            cur = self._conn.execute(
                'INSERT INTO codings (transcript_id, start, "end", code, coder_id, origin, status, '
                "score, evidence, memo, source_id, anchor_snippet, anchor_before, anchor_after, "
                "created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    files[c.file],
                    c.start,
                    c.end,
                    c.code,
                    coder_ids[c.coder],
                    c.origin,
                    c.status,
                    c.score,
                    c.evidence,
                    c.memo,
                    c.source_id,
                    c.anchor.snippet,
                    c.anchor.before,
                    c.anchor.after,
                    stamp,
                    stamp,
                ),
            )
            ids.append(int(cur.lastrowid or 0))
        return ids

    def coding(self, coding_id: int) -> StoredCoding | None:
        """The coding with id *coding_id*, or None."""
        row = by_name(self._conn.execute(CODING_SELECT + " WHERE c.id = ?", (coding_id,)))
        row = row.fetchone()
        return None if row is None else coding_of(row)

    def codings(
        self,
        *,
        file: str | None = None,
        coder: str | Sequence[str] | None = None,
        statuses: Sequence[str] | None = None,
        code: str | None = None,
        overlapping: tuple[int, int] | None = None,
    ) -> list[StoredCoding]:
        """Stored codings matching every filter given, by file, start, end, code and id."""
        where: list[str] = []
        args: list[Any] = []
        if file is not None:
            where.append("t.file = ?")
            args.append(file)
        if coder is not None:
            coders = (coder,) if isinstance(coder, str) else tuple(coder)
            where.append(f"k.name IN ({','.join('?' * len(coders))})")
            args.extend(coders)
        if statuses is not None:
            where.append(f"c.status IN ({','.join('?' * len(statuses))})")
            args.extend(statuses)
        if code is not None:
            where.append("c.code = ?")
            args.append(code)
        if overlapping is not None:
            where.append('c.start < ? AND c."end" > ?')
            args.extend([overlapping[1], overlapping[0]])
        sql = CODING_SELECT + (" WHERE " + " AND ".join(where) if where else "")
        sql += ' ORDER BY t.file, c.start, c."end", c.code, c.id'
        return [coding_of(r) for r in by_name(self._conn.execute(sql, args))]

    def find_coding(
        self, file: str, start: int, end: int, code: str, coder: str, statuses: Sequence[str]
    ) -> int | None:
        """The id of a coding with exactly these fields and one of *statuses*, or None."""
        row = self._conn.execute(
            "SELECT c.id FROM codings c JOIN transcripts t ON t.id = c.transcript_id "
            'JOIN coders k ON k.id = c.coder_id WHERE t.file = ? AND c.start = ? AND c."end" = ? '
            f"AND c.code = ? AND k.name = ? AND c.status IN ({','.join('?' * len(statuses))}) "
            "ORDER BY c.id LIMIT 1",
            (file, start, end, code, coder, *statuses),
        ).fetchone()
        return None if row is None else int(row[0])

    def move_coding(self, coding_id: int, start: int, end: int, anchor: Anchor) -> None:
        """Give a coding new offsets and a new anchor."""
        self._writing()
        self._conn.execute(
            'UPDATE codings SET start = ?, "end" = ?, anchor_snippet = ?, anchor_before = ?, '
            "anchor_after = ?, updated = ? WHERE id = ?",
            (start, end, anchor.snippet, anchor.before, anchor.after, now(), coding_id),
        )

    def set_status(
        self, coding_id: int, status: str, *, decided_by: str | None = None, orphaned_from: str = ""
    ) -> None:
        """Change a coding's status (recording who decided, or what it was before orphaning)."""
        self._writing()
        decider = None if decided_by is None else self.coder_id(decided_by)
        self._conn.execute(
            "UPDATE codings SET status = ?, decided_by = COALESCE(?, decided_by), "
            "orphaned_from = ?, updated = ? WHERE id = ?",
            (status, decider, orphaned_from, now(), coding_id),
        )

    def set_coding_memo(self, coding_id: int, memo: str) -> None:
        """Replace a coding's memo."""
        self._writing()
        self._conn.execute(
            "UPDATE codings SET memo = ?, updated = ? WHERE id = ?", (memo, now(), coding_id)
        )

    def delete_coding(self, coding_id: int) -> None:
        """Remove a coding."""
        self._writing()
        self._conn.execute("DELETE FROM codings WHERE id = ?", (coding_id,))

    def status_counts(self) -> dict[str, int]:
        """Number of codings per status."""
        rows = self._conn.execute("SELECT status, COUNT(*) FROM codings GROUP BY status")
        return {r[0]: int(r[1]) for r in rows}

    # -- memos ----------------------------------------------------------------------------

    def set_memo(self, kind: str, target: str, coder: str, text: str) -> None:
        """Set (or with empty *text*, remove) *coder*'s memo on a code or transcript."""
        self._writing()
        coder_id = self.coder_id(coder)
        if not text:
            self._conn.execute(
                "DELETE FROM memos WHERE kind = ? AND target = ? AND coder_id = ?",
                (kind, target, coder_id),
            )
            return
        stamp = now()
        self._conn.execute(
            "INSERT INTO memos (kind, target, coder_id, text, created, updated) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(kind, target, coder_id) "
            "DO UPDATE SET text = excluded.text, updated = excluded.updated",
            (kind, target, coder_id, text, stamp, stamp),
        )

    def memos(self, *, kind: str | None = None, target: str | None = None) -> list[Memo]:
        """Memos on codes and transcripts, by kind, target and coder."""
        where, args = [], []
        if kind is not None:
            where.append("m.kind = ?")
            args.append(kind)
        if target is not None:
            where.append("m.target = ?")
            args.append(target)
        rows = self._conn.execute(
            "SELECT m.kind, m.target, k.name, m.text, m.created, m.updated FROM memos m "
            "JOIN coders k ON k.id = m.coder_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY m.kind, m.target, k.name",
            args,
        )
        return [Memo(*r) for r in rows]

    # -- change log -----------------------------------------------------------------------

    def append_log(self, coder: str, action: str, details: dict[str, object]) -> None:
        """Add a line to the change log."""
        self._writing()
        self._conn.execute(
            "INSERT INTO log (at, coder, action, details) VALUES (?, ?, ?, ?)",
            (now(), coder, action, json.dumps(details, ensure_ascii=False, sort_keys=True)),
        )

    def log(self) -> list[LogEntry]:
        """The change log, oldest first."""
        rows = self._conn.execute("SELECT id, at, coder, action, details FROM log ORDER BY id")
        return [LogEntry(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in rows]
