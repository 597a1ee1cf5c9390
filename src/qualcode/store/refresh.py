"""Refreshing a project from its transcripts folder: new texts in, every coding re-anchored.

A transcript whose text changed is stored anew, and each of its codings is
moved to where its passage now is (see ``qualcode.coding.reanchor``). A
coding whose passage is gone becomes *orphaned*: it keeps its code, coder,
memo and stored snippet, is listed by ``Project.orphans()`` and can be put
back with ``Project.restore``; nothing is deleted. Orphans of earlier refreshes
are looked for again, and restored when their passage is back.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qualcode.coding.reanchor import FUZZY_THRESHOLD, Alignment, Anchor, locate
from qualcode.corpus import Transcript, load_corpus, read_transcript
from qualcode.errors import StoreError
from qualcode.store.db import Database
from qualcode.store.records import StoredCoding
from qualcode.store.texts import from_stored, to_stored, transcript_labels

__all__ = ["Orphan", "RefreshResult", "refresh_from", "refresh_project"]


@dataclass(frozen=True)
class Orphan:
    """A coding whose passage could not be found: what it was, and where it used to be."""

    id: int
    file: str
    code: str
    coder: str
    status: str  # the status it had before it was orphaned
    snippet: str
    old_start: int
    old_end: int

    @classmethod
    def of(cls, c: StoredCoding) -> Orphan:
        """The orphan record of stored coding *c*."""
        return cls(
            c.id,
            c.file,
            c.code,
            c.coder,
            c.orphaned_from or c.status,
            c.anchor.snippet,
            c.start,
            c.end,
        )


@dataclass(frozen=True)
class RefreshResult:
    """What a refresh did, counted in codings; ``orphans`` are the ones orphaned by it."""

    unchanged: int
    moved: int
    orphaned: int
    orphans: tuple[Orphan, ...] = ()
    restored: int = 0
    still_orphaned: int = 0
    changed_files: tuple[str, ...] = ()
    added_files: tuple[str, ...] = ()
    missing_files: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """The JSON form (``qualcode project refresh --format json``)."""
        return {
            "unchanged": self.unchanged,
            "moved": self.moved,
            "orphaned": self.orphaned,
            "orphans": [
                {
                    "id": o.id,
                    "file": o.file,
                    "code": o.code,
                    "coder": o.coder,
                    "status": o.status,
                    "snippet": o.snippet,
                    "old_start": o.old_start,
                    "old_end": o.old_end,
                }
                for o in self.orphans
            ],
            "restored": self.restored,
            "still_orphaned": self.still_orphaned,
            "changed_files": list(self.changed_files),
            "added_files": list(self.added_files),
            "missing_files": list(self.missing_files),
            "problems": list(self.problems),
        }


@dataclass
class _Tally:
    unchanged: int = 0
    moved: int = 0
    restored: int = 0


def _reanchor_file(
    db: Database, old: Transcript, new: Transcript, *, who: str, threshold: float, tally: _Tally
) -> list[Orphan]:
    alignment = Alignment(old.text, new.text)
    orphans: list[Orphan] = []
    moved: list[int] = []
    for c in db.codings(file=old.file):
        place = locate(
            c.anchor, new.text, old_span=(c.start, c.end), alignment=alignment, threshold=threshold
        )
        if place is None:
            if c.status != "orphaned":
                db.set_status(c.id, "orphaned", orphaned_from=c.status)
                orphans.append(Orphan.of(c))
            continue
        anchor = Anchor.of(new.text, place.start, place.end)
        if c.status == "orphaned":
            db.move_coding(c.id, place.start, place.end, anchor)
            db.set_status(c.id, c.orphaned_from or "active")
            tally.restored += 1
        elif (place.start, place.end) == (c.start, c.end):
            if anchor != c.anchor:
                db.move_coding(c.id, place.start, place.end, anchor)
            tally.unchanged += 1
        else:
            db.move_coding(c.id, place.start, place.end, anchor)
            moved.append(c.id)
    tally.moved += len(moved)
    db.append_log(
        who,
        "refresh",
        {
            "file": old.file,
            "old_hash": old.content_hash,
            "new_hash": new.content_hash,
            "moved": moved,
            "orphaned": [o.id for o in orphans],
        },
    )
    return orphans


def _with_metadata_of(t: Transcript, source: Transcript) -> Transcript:
    return t.with_metadata(
        respondent=source.respondent, organisation=source.organisation, attributes=source.attributes
    )


def refresh_from(
    db: Database,
    folder: Path,
    *,
    respondents: Path | None,
    who: str,
    threshold: float = FUZZY_THRESHOLD,
) -> RefreshResult:
    """Re-read *folder* into the project held by *db* (inside a transaction).

    Raises ``CorpusError`` when the folder (or the respondents table) cannot be read.
    """
    fresh = load_corpus(folder, respondents=respondents)
    unreadable = {issue.file for issue in fresh.errors}
    found = {t.file: t for t in fresh}
    stored = {s.file: s for s in db.transcripts()}
    tally = _Tally()
    orphans: list[Orphan] = []
    changed: list[str] = []
    missing: list[str] = []
    touched = False
    for file, record in stored.items():
        old = from_stored(record)
        new = found.get(file)
        if new is None:
            if file not in unreadable:
                missing.append(file)
            tally.unchanged += sum(c.status != "orphaned" for c in db.codings(file=file))
            continue
        if new.content_hash == record.content_hash:
            kept = _with_metadata_of(old, new)
            if to_stored(kept) != record:
                db.put_transcript(to_stored(kept))
                touched = True
            tally.unchanged += sum(c.status != "orphaned" for c in db.codings(file=file))
            continue
        labels, interviewers = transcript_labels(old)
        reread = read_transcript(
            folder / file, name=file, labels=labels, interviewer_labels=interviewers
        )
        new = _with_metadata_of(reread, new)
        orphans.extend(_reanchor_file(db, old, new, who=who, threshold=threshold, tally=tally))
        db.put_transcript(to_stored(new))
        changed.append(file)
    added = [file for file in found if file not in stored]
    for file in added:
        db.put_transcript(to_stored(found[file]))
    if added:
        db.append_log(who, "add-transcripts", {"files": added})
    if changed or added or touched:
        db.set_meta("text_version", str(int(db.get_meta("text_version", "0")) + 1))
    total_orphans = db.status_counts().get("orphaned", 0)
    return RefreshResult(
        unchanged=tally.unchanged,
        moved=tally.moved,
        orphaned=len(orphans),
        orphans=tuple(orphans),
        restored=tally.restored,
        still_orphaned=total_orphans - len(orphans),
        changed_files=tuple(changed),
        added_files=tuple(added),
        missing_files=tuple(missing),
        problems=tuple(issue.error for issue in fresh.errors),
    )


def refresh_project(
    db: Database,
    *,
    transcripts_dir: str | Path | None,
    respondents: str | Path | None,
    who: str,
    threshold: float = FUZZY_THRESHOLD,
) -> RefreshResult:
    """Refresh the project *db* from *transcripts_dir* (default: the folder it was made from).

    *respondents* defaults to the table used before, unless that lay in the old
    folder and a new folder is given (then the new folder's ``respondents.csv``).
    A new folder or table is remembered. Runs inside one transaction of *db*.
    """
    stored_dir = Path(db.get_meta("transcripts_dir"))
    folder = Path(transcripts_dir) if transcripts_dir is not None else stored_dir
    if not folder.is_dir():
        raise StoreError(
            f"{folder}: transcripts folder not found; pass the folder the "
            "transcripts are in now (transcripts_dir)",
            option="transcripts",
        )
    stored_table = db.get_meta("respondents")
    table: Path | None = None
    if respondents is not None:
        table = Path(respondents)
    elif stored_table and Path(stored_table).is_file():
        moved = folder.resolve() != stored_dir and Path(stored_table).parent == stored_dir
        table = None if moved else Path(stored_table)
    with db.transaction():
        result = refresh_from(db, folder, respondents=table, who=who, threshold=threshold)
        db.set_meta("transcripts_dir", str(folder.resolve()))
        fresh_table = table or (folder / "respondents.csv")
        db.set_meta("respondents", str(fresh_table.resolve()) if fresh_table.is_file() else "")
    return result
