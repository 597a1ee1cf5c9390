"""Deciding on the auto-coder's suggestions: accept (the coder gets the coding) or reject.

A suggestion is shared by the team: once decided it leaves everyone's queue.
Removing the coding an acceptance made puts its suggestion back up for decision.
"""

from __future__ import annotations

from collections.abc import Iterable

from qualcode.coding.model import Coding
from qualcode.coding.reanchor import Anchor
from qualcode.corpus import Transcript
from qualcode.errors import CodingError
from qualcode.store.db import Database
from qualcode.store.records import NewCoding, StoredCoding

__all__ = ["accept", "pending", "reject", "reopen", "uncoded"]


def pending(db: Database, suggestion_id: int) -> StoredCoding:
    """The suggestion *suggestion_id*; ``CodingError`` when absent or already decided."""
    s = db.coding(int(suggestion_id))
    if s is None:
        raise CodingError(f"no coding with id {suggestion_id}; see project.codings(status=None)")
    if s.status != "suggested":
        raise CodingError(f"coding {s.id} is {s.status}, not a pending suggestion")
    return s


def accept(db: Database, s: StoredCoding, t: Transcript, *, coder: str) -> int:
    """Give *coder* an active coding of suggestion *s* (in transcript *t*); its id."""
    found = db.find_coding(s.file, s.start, s.end, s.code, coder, ("active",))
    if found is None:
        new = NewCoding(
            file=s.file,
            start=s.start,
            end=s.end,
            code=s.code,
            coder=coder,
            origin="manual",
            status="active",
            anchor=Anchor.of(t.text, s.start, s.end),
            evidence=s.evidence,
            source_id=s.id,
        )
        (found,) = db.add_codings([new])
    db.set_status(s.id, "accepted", decided_by=coder)
    db.append_log(
        coder, "accept", {"suggestion": s.id, "id": found, "file": s.file, "code": s.code}
    )
    return found


def reject(db: Database, s: StoredCoding, *, coder: str) -> None:
    """Mark suggestion *s* rejected by *coder* (it stays stored)."""
    db.set_status(s.id, "rejected", decided_by=coder)
    db.append_log(coder, "reject", {"suggestion": s.id, "file": s.file, "code": s.code})


def reopen(db: Database, removed: StoredCoding) -> None:
    """After *removed* was deleted: its accepted suggestion is pending again, if no other
    coding came from it."""
    if removed.source_id is None:
        return
    others = [
        o
        for o in db.codings(file=removed.file, statuses=("active",))
        if o.source_id == removed.source_id
    ]
    source = db.coding(removed.source_id)
    if not others and source is not None and source.status == "accepted":
        db.set_status(source.id, "suggested")


def uncoded(codings: Iterable[Coding], taken: Iterable[tuple[str, int, int]]) -> list[Coding]:
    """The *codings* whose span overlaps none of the *taken* ``(file, start, end)`` spans."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for file, start, end in taken:
        spans.setdefault(file, []).append((start, end))
    return [
        c for c in codings if not any(s < c.end and c.start < e for s, e in spans.get(c.file, ()))
    ]
