"""Records the project store hands out and takes in (frozen dataclasses, no dicts)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, get_args

from qualcode.coding.model import Coding
from qualcode.coding.reanchor import ANCHOR_CONTEXT, Anchor
from qualcode.errors import CodingError

__all__ = [
    "ANCHOR_CONTEXT",
    "Anchor",
    "LogEntry",
    "Memo",
    "NewCoding",
    "Origin",
    "ProjectInfo",
    "Status",
    "CODING_STATUSES",
    "StoredCoding",
    "StoredTranscript",
    "check_statuses",
    "CODING_STATUSES",
    "DECIDED_STATUSES",
]

Origin = Literal["manual", "auto"]
Status = Literal["active", "suggested", "accepted", "rejected", "orphaned"]

#: Every status a stored coding can have. ``active``: a coder's coding; ``suggested``:
#: an auto-coder's suggestion waiting for a decision, ``accepted``/``rejected`` once decided;
#: ``orphaned``: its text disappeared when the transcript changed (see ``Project.orphans``).
CODING_STATUSES: tuple[str, ...] = get_args(Status)

#: The statuses of a coder's own decisions (what agreement and reports count as coded);
#: ``suggested``, ``rejected`` and ``orphaned`` codings are not.
DECIDED_STATUSES: tuple[str, ...] = ("active", "accepted")


def check_statuses(status: str | Sequence[str] | None) -> tuple[str, ...] | None:
    """*status* as a tuple (None: every status); ``CodingError`` naming an unknown one."""
    if status is None:
        return None
    wanted = (status,) if isinstance(status, str) else tuple(status)
    for s in wanted:
        if s not in CODING_STATUSES:
            raise CodingError(f"unknown status {s!r}; choose from {', '.join(CODING_STATUSES)}")
    return wanted


@dataclass(frozen=True)
class StoredTranscript:
    """A transcript as stored: its text, hash, metadata and paragraph/turn structure (JSON)."""

    file: str
    text: str
    content_hash: str
    format: str
    respondent: str
    organisation: str
    attributes: Mapping[str, str]
    structure: str

    def __post_init__(self) -> None:
        if not isinstance(self.attributes, MappingProxyType):
            object.__setattr__(self, "attributes", MappingProxyType(dict(self.attributes)))


@dataclass(frozen=True)
class NewCoding:
    """A coding about to be stored."""

    file: str
    start: int
    end: int
    code: str
    coder: str
    origin: str
    status: str
    anchor: Anchor
    score: float = 1.0
    evidence: str = ""
    memo: str = ""
    source_id: int | None = None


@dataclass(frozen=True)
class StoredCoding:
    """A coding in the project, with its id, status and history."""

    id: int
    file: str
    start: int
    end: int
    code: str
    coder: str
    origin: str
    status: str
    score: float
    evidence: str
    memo: str
    anchor: Anchor
    created: str
    updated: str
    source_id: int | None = None
    decided_by: str = ""
    orphaned_from: str = ""

    def as_coding(self) -> Coding:
        """The plain ``Coding`` (file, offsets, code, coder, score, evidence, memo)."""
        return Coding(
            self.file,
            self.start,
            self.end,
            self.code,
            self.coder,
            self.score,
            self.evidence,
            self.memo,
        )


@dataclass(frozen=True)
class Memo:
    """A coder's memo on a code or a transcript."""

    kind: str
    target: str
    coder: str
    text: str
    created: str
    updated: str


@dataclass(frozen=True)
class ProjectInfo:
    """Counts that describe a project (``qualcode project info``)."""

    path: str
    id: str
    schema_version: int
    transcripts_dir: str
    transcripts: int
    codes: int
    coders: tuple[str, ...]
    codings: dict[str, int]
    memos: int
    log_entries: int


@dataclass(frozen=True)
class LogEntry:
    """One line of the append-only change log."""

    id: int
    at: str
    coder: str
    action: str
    details: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
