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

__all__ = ["accept", "decide", "pending", "reject", "reopen", "uncoded", "uncoded_in"]


def pending(db: Database, suggestion_id: int) -> StoredCoding:
    """The suggestion *suggestion_id*; ``CodingError`` when absent or already decided."""
    s = db.coding(int(suggestion_id))
    if s is None:
        raise CodingError(f"no coding with id {suggestion_id}; see project.codings(status=None)")
    if s.status != "suggested":
        raise CodingError(f"coding {s.id} is {s.status}, not a pending suggestion")
    return s


def accept(
    db: Database, s: StoredCoding, t: Transcript, *, coder: str, code: str | None = None
) -> int:
    """Give *coder* an active coding of suggestion *s* (in transcript *t*); its id.

    With *code*, the coding gets that code instead of the suggested one (a change).
    """
    code = code or s.code
    found = db.find_coding(s.file, s.start, s.end, code, coder, ("active",))
    if found is None:
        new = NewCoding(
            file=s.file,
            start=s.start,
            end=s.end,
            code=code,
            coder=coder,
            origin="manual",
            status="active",
            anchor=Anchor.of(t.text, s.start, s.end),
            evidence=s.evidence,
            source_id=s.id,
        )
        (found,) = db.add_codings([new])
    db.set_status(s.id, "accepted", decided_by=coder)
    details: dict[str, object] = {"suggestion": s.id, "id": found, "file": s.file, "code": code}
    if code != s.code:
        details["suggested"] = s.code
    db.append_log(coder, "accept" if code == s.code else "change", details)
    return found


def decide(
    db: Database,
    s: StoredCoding,
    t: Transcript,
    decision: str,
    *,
    coder: str,
    code: str | None = None,
    memo: str = "",
) -> bool:
    """Apply *decision* (``accept``, ``reject`` or ``change`` to *code*) to suggestion *s*.

    True when it changed the project, False when *s* was already decided so (a
    repeated decision); ``CodingError`` when it was decided otherwise. A *memo*
    goes on the coding made (and into the log).
    """
    made = [c for c in db.codings(file=s.file, statuses=("active",)) if c.source_id == s.id]
    target = code if decision == "change" else s.code
    if s.status == "rejected" and decision == "reject":
        return False
    if s.status == "accepted" and decision != "reject" and any(c.code == target for c in made):
        return False
    if s.status != "suggested":
        was = (
            "rejected"
            if s.status == "rejected"
            else f"accepted as {made[0].code if made else s.code}"
        )
        raise CodingError(
            f"suggestion {s.id} was already decided ({was}); decide it in the project"
        )
    if decision == "reject":
        reject(db, s, coder=coder)
        if memo:
            db.append_log(coder, "memo", {"suggestion": s.id, "text": memo})
        return True
    found = accept(db, s, t, coder=coder, code=target)
    if memo:
        db.set_coding_memo(found, memo)
        db.append_log(coder, "memo", {"coding": found, "text": memo})
    return True


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


def uncoded_in(db: Database, codings: Iterable[Coding]) -> list[Coding]:
    """The *codings* over no span the project in *db* has coded or suggested already."""
    taken = [(c.file, c.start, c.end) for c in db.codings(statuses=("active", "suggested"))]
    return uncoded(codings, taken)
