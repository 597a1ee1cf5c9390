"""The SQLite layer: schema and migrations, transactions, damaged and newer files, two writers."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest
from store_fixtures import *  # noqa: F403 (fixtures)

from qualcode.errors import CodingError, StoreError
from qualcode.store import Project
from qualcode.store.db import Database
from qualcode.store.schema import LATEST_VERSION, MIGRATIONS, REQUIRED_TABLES


def _sql(path: Path, statement: str) -> list[tuple]:
    """Poke at a project file directly, as a damaged or foreign file would look."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(statement).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


def test_migrations_are_numbered_in_order():
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert MIGRATIONS[-1].version == LATEST_VERSION


def test_a_new_project_has_every_table_wal_and_foreign_keys(project_file):
    tables = {r[0] for r in _sql(project_file, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert set(REQUIRED_TABLES) <= tables
    assert _sql(project_file, "SELECT MAX(version) FROM schema_version") == [(LATEST_VERSION,)]
    assert _sql(project_file, "PRAGMA journal_mode") == [("wal",)]
    db = Database.open(project_file)
    try:
        assert db._conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
        assert db._conn.execute("PRAGMA busy_timeout").fetchone() == (30000,)
    finally:
        db.close()


def test_opening_a_missing_file(tmp_path):
    with pytest.raises(StoreError) as err:
        Project.open(tmp_path / "nergens.db")
    assert str(err.value) == (
        f"{tmp_path / 'nergens.db'}: no such project file; create one with 'qualcode project init'"
    )


def test_opening_a_file_that_is_not_sqlite(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("dit is geen database, maar een tekstbestand met notities\n" * 20)
    before = path.read_bytes()
    with pytest.raises(StoreError) as err:
        Project.open(path)
    assert str(err.value) == (
        f"{path}: not a qualcode project or a damaged one (file is not a database); "
        "pass the .db file made by 'qualcode project init'"
    )
    assert path.read_bytes() == before


def test_opening_an_sqlite_file_of_another_program(tmp_path):
    path = tmp_path / "other.db"
    _sql(path, "CREATE TABLE things (x)")
    with pytest.raises(StoreError) as err:
        Project.open(path)
    assert str(err.value) == (
        f"{path}: not a qualcode project (no schema_version table); "
        "create a project with 'qualcode project init'"
    )


def test_opening_a_file_from_a_newer_qualcode_changes_nothing(project_file):
    _sql(project_file, "PRAGMA journal_mode = DELETE")
    _sql(project_file, "INSERT INTO schema_version VALUES (99, 'future', '2030-01-01')")
    before = project_file.read_bytes()
    with pytest.raises(StoreError) as err:
        Project.open(project_file)
    assert str(err.value) == (
        f"{project_file}: made by a newer qualcode (schema version 99; this qualcode reads up to "
        f"{LATEST_VERSION}); upgrade qualcode to open it"
    )
    assert project_file.read_bytes() == before


def test_opening_a_file_with_a_missing_table(project_file):
    _sql(project_file, "DROP TABLE memos")
    with pytest.raises(StoreError) as err:
        Project.open(project_file)
    assert str(err.value) == (
        f"{project_file}: damaged project file: missing table memos; restore it from a backup"
    )


def test_opening_a_file_with_damaged_pages(project_file):
    data = bytearray(project_file.read_bytes())
    page = 4096
    assert len(data) > 4 * page
    data[2 * page : 4 * page] = b"\x5a" * (2 * page)
    project_file.write_bytes(bytes(data))
    with pytest.raises(StoreError) as err:
        Project.open(project_file)
    message = str(err.value)
    assert message.startswith(f"{project_file}: damaged project file (")
    assert message.endswith("); restore it from a backup")
    assert "\n" not in message
    assert project_file.read_bytes() == bytes(data)


def test_an_older_file_is_migrated_on_open(tmp_path):
    path = tmp_path / "old.db"
    _sql(
        path,
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT "
        "NOT NULL, applied TEXT NOT NULL)",
    )
    db = Database.open(path)
    try:
        assert db.schema_version() == LATEST_VERSION
    finally:
        db.close()
    tables = {r[0] for r in _sql(path, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert set(REQUIRED_TABLES) <= tables


def test_create_refuses_an_existing_file(tmp_path, folder, codebook_file):
    path = tmp_path / "studie.db"
    path.write_bytes(b"precious")
    with pytest.raises(StoreError) as err:
        Project.create(path, transcripts=folder, codebook=codebook_file)
    assert str(err.value) == (
        f"{path}: already exists; choose a new file name, or open it with Project.open"
    )
    assert path.read_bytes() == b"precious"


def test_a_failed_create_leaves_no_file(tmp_path, folder):
    bad = tmp_path / "kapot.yaml"
    bad.write_text("language: nl\ncodes: []\n")
    with pytest.raises(Exception, match="codes is empty"):
        Project.create(tmp_path / "studie.db", transcripts=folder, codebook=bad)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kapot.yaml", "transcripts"]


def test_a_failed_transaction_changes_nothing(project):
    db = project._db
    with pytest.raises(ZeroDivisionError), db.transaction():
        db.set_meta("note", "half")
        db.append_log("anna", "test", {})
        _ = 1 / 0
    assert db.get_meta("note") == ""
    assert [e.action for e in db.log()] == ["create"]


def test_writes_outside_a_transaction_are_a_bug(project):
    with pytest.raises(RuntimeError, match="outside Database.transaction"):
        project._db.set_meta("x", "y")


def test_the_change_log_is_append_only(project, project_file):
    project.code("a.txt", 53, 101, "FINANCIEN", coder="anna")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        _sql(project_file, "UPDATE log SET coder = 'mallory'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        _sql(project_file, "DELETE FROM log")
    assert list(project.log()["action"]) == ["create", "code"]


def test_a_failed_write_in_the_middle_of_a_change_rolls_all_of_it_back(project):
    frame_ok = project.codings()
    rows = [("a.txt", 53, 101, "FINANCIEN", "anna"), ("a.txt", 0, 5, "PLANNING", "anna")]
    import pandas as pd

    with pytest.raises(CodingError):
        project.import_codings(
            pd.DataFrame(rows, columns=["file", "start", "end", "code", "coder"])
        )
    assert project.codings().equals(frame_ok)


def _code_many(path: str, coder: str, file: str, spans: list[tuple[int, int]], barrier) -> None:
    with Project.open(path) as p:
        barrier.wait()
        for start, end in spans:
            p.code(file, start, end, "PLANNING", coder=coder, memo=f"{coder} {start}")


def test_two_processes_coding_at_once_both_keep_their_work(project_file):
    # Two notebooks on one project: each writes 25 codings, one transaction each, interleaved.
    a_spans = [(53 + i, 60 + i) for i in range(25)]
    b_spans = [(41 + i, 50 + i) for i in range(25)]
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    workers = [
        ctx.Process(target=_code_many, args=(str(project_file), "anna", "a.txt", a_spans, barrier)),
        ctx.Process(target=_code_many, args=(str(project_file), "bert", "b.txt", b_spans, barrier)),
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    assert [w.exitcode for w in workers] == [0, 0]
    with Project.open(project_file) as p:
        frame = p.codings()
        for coder, spans in (("anna", a_spans), ("bert", b_spans)):
            mine = frame[frame["coder"] == coder]
            assert sorted(zip(mine["start"], mine["end"], strict=True)) == spans
            assert set(mine["memo"]) == {f"{coder} {s}" for s, _ in spans}
        assert (p.log()["action"] == "code").sum() == 50
